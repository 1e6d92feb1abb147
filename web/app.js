// rapport's web UI: a single page with a hash router.
//   #/login  #/agenda[?date=&mine=1]  #/contact/ID  #/contacts[?name=&tier=&tag=&owner=&offset=]  #/search[?q=]
//   #/funnel[?from=&to=]  #/stories[?kind=&contact=&limit=]  #/stories/report[?since=&by=]
//   #/stories/themes[?since=]  #/lessons[?status=&mine=1]  #/lessons/ID
//   #/contact/ID?letgo=1  #/complaints[?since=]  #/value
//   #/communities  #/communities/NAME-or-ID  #/simulate[?community=]
//   #/profile  #/alignment  #/intake[?status=pending|accepted|declined]

import { agendaView } from './agenda.js';
import { alignmentView, profileView } from './alignment.js';
import { api, setCsrf, whenUnauthenticated } from './api.js';
import { cardView } from './card.js';
import { communitiesView } from './communities.js';
import { complaintsView } from './complaints.js';
import { destroyCharts } from './charts.js';
import { contactsView } from './contacts.js';
import { field, h } from './dom.js';
import { errorBox, errorText } from './errors.js';
import { funnelView } from './funnel.js';
import { intakeCount, intakeView } from './intake.js';
import { LANGS, lang, setLang, t, waitText } from './i18n.js';
import { lessonsView } from './lessons.js';
import { reportView, themesView } from './report.js';
import { searchView } from './search.js';
import { simulateView } from './simulate.js';
import { storiesView } from './stories.js';
import { valueView } from './value.js';

const state = {
	user: null, // {login, role}
	returnTo: '',
	expired: null, // the error that ended the session, shown on the login screen
	view: null, // {abort}
	seq: 0,
	started: false,
};

const main = document.getElementById('main');
const top = document.getElementById('top');

// ---- the shell -------------------------------------------------------------

function renderShell(route) {
	const navItems = [
		['agenda', '#/agenda', t('nav.agenda')],
		['contacts', '#/contacts', t('nav.contacts')],
		['search', '#/search', t('nav.search')],
		['stories', '#/stories', t('nav.stories')],
		['lessons', '#/lessons', t('nav.lessons')],
		['complaints', '#/complaints', t('nav.complaints')],
		['value', '#/value', t('nav.value')],
		['communities', '#/communities', t('nav.communities')],
		['simulate', '#/simulate', t('nav.simulate')],
		['funnel', '#/funnel', t('nav.funnel')],
		['profile', '#/profile', t('nav.profile')],
		['intake', '#/intake', t('nav.intake')],
	];
	const langSelect = h('select', { id: 'lang', name: 'lang' }, Object.entries(LANGS).map(([k, name]) => h('option', { value: k, lang: k }, name)));
	langSelect.value = lang();
	langSelect.addEventListener('change', () => {
		setLang(langSelect.value);
		document.getElementById('live')?.classList.remove('shown');
		render();
		document.getElementById('lang')?.focus();
	});
	const skip = h('a', { class: 'skip', href: '#main' }, t('app.skip'));
	skip.addEventListener('click', (ev) => {
		ev.preventDefault();
		main.focus();
	});
	const parts = [skip, h('a', { class: 'brand', href: state.user ? '#/agenda' : '#/login' }, h('span', { class: 'logo', 'aria-hidden': 'true' }, 'r'), t('app.name'))];
	if (state.user) {
		parts.push(
			h(
				'nav',
				{ class: 'main-nav', 'aria-label': t('nav.label') },
				navItems.map(([name, href, label]) => {
					const current = route === name || (name === 'contacts' && route === 'contact') || (name === 'profile' && route === 'alignment');
					const a = h('a', { href, 'aria-current': current ? 'page' : null, class: `nav-${name}` }, label);
					if (name === 'intake') {
						const n = h('span', { class: 'count nav-count', hidden: true });
						a.append(' ', n);
						intakeCount(n);
					}
					return a;
				}),
			),
		);
	}
	const tools = h('div', { class: 'tools' }, h('div', { class: 'lang' }, h('label', { for: 'lang' }, t('lang.label')), langSelect));
	if (state.user) {
		tools.appendChild(h('span', { class: 'who', title: t('user.as', { login: state.user.login, role: state.user.role }) }, state.user.login));
		tools.appendChild(h('button', { type: 'button', class: 'ghost logout', onclick: logout }, t('user.logout')));
	}
	parts.push(tools);
	top.replaceChildren(h('div', { class: 'top-inner' }, parts));
}

// ---- the router ----------------------------------------------------------------

function parseHash() {
	const raw = location.hash.replace(/^#/, '');
	const [path, qs] = raw.split('?');
	const parts = (path || '').split('/').filter(Boolean);
	let arg = null;
	try {
		arg = parts[1] ? decodeURIComponent(parts[1]) : null;
	} catch (_) {
		arg = parts[1];
	}
	return { name: parts[0] || '', arg, params: new URLSearchParams(qs || '') };
}

function go(hash) {
	if (location.hash === hash) render();
	else location.hash = hash;
}

function render() {
	if (state.view) state.view.abort();
	destroyCharts();
	const route = parseHash();
	if (!state.user && route.name !== 'login') {
		if (route.name) state.returnTo = location.hash;
		history.replaceState(null, '', '#/login');
		route.name = 'login';
	} else if (state.user && (route.name === 'login' || !route.name)) {
		history.replaceState(null, '', '#/agenda');
		route.name = 'agenda';
	}
	const my = ++state.seq;
	const ctrl = new AbortController();
	state.view = ctrl;
	const ctx = {
		signal: ctrl.signal,
		alive: () => state.seq === my,
		user: state.user,
		canWrite: () => !!state.user && state.user.role !== 'viewer',
		go,
		rerender: render,
		focus: (el) => {
			if (state.seq === my) el.focus({ preventScroll: false });
		},
	};
	renderShell(route.name);
	main.className = `view view-${route.name}`;
	const titles = { login: 'login.title', agenda: 'agenda.title', contacts: 'contacts.title', search: 'search.title', funnel: 'funnel.title', stories: 'stories.title', lessons: 'lessons.title', complaints: 'complaints.title', value: 'value.title', communities: 'communities.title', simulate: 'sim.title', profile: 'profile.title', alignment: 'align.title', intake: 'intake.title' };
	document.title = `${t(titles[route.name] || 'app.name')} · rapport`;
	switch (route.name) {
		case 'login':
			return loginView(main, ctx);
		case 'agenda':
			return agendaView(main, ctx, route.params);
		case 'contact':
			return cardView(main, ctx, route.arg || '', route.params);
		case 'contacts':
			return contactsView(main, ctx, route.params);
		case 'search':
			return searchView(main, ctx, route.params);
		case 'funnel':
			return funnelView(main, ctx, route.params);
		case 'stories':
			if (route.arg === 'report') return reportView(main, ctx, route.params);
			if (route.arg === 'themes') return themesView(main, ctx, route.params);
			return storiesView(main, ctx, route.params);
		case 'lessons':
			return lessonsView(main, ctx, route.params, route.arg);
		case 'complaints':
			return complaintsView(main, ctx, route.params);
		case 'value':
			return valueView(main, ctx);
		case 'communities':
			return communitiesView(main, ctx, route.params, route.arg);
		case 'simulate':
			return simulateView(main, ctx, route.params);
		case 'profile':
			return profileView(main, ctx);
		case 'alignment':
			return alignmentView(main, ctx);
		case 'intake':
			return intakeView(main, ctx, route.params);
		default: {
			const hd = h('h1', { tabindex: '-1' }, t('err.title'));
			main.replaceChildren(hd, errorBox({ status: 404, code: 'not_found', message: t('err.notFound') }));
			ctx.focus(hd);
		}
	}
}

// ---- signing in and out ---------------------------------------------------------

function loginView(root, ctx) {
	const heading = h('h1', { tabindex: '-1' }, t('login.title'));
	const login = h('input', { name: 'login', type: 'text', autocomplete: 'username', autocapitalize: 'none', spellcheck: 'false', required: true });
	const password = h('input', { name: 'password', type: 'password', autocomplete: 'current-password', required: true });
	const submit = h('button', { type: 'submit', class: 'primary' }, t('login.submit'));
	const err = h('div', { class: 'form-error', id: 'login-error' });
	const form = h('form', { class: 'login-form', novalidate: true }, field(t('login.login'), login).wrap, field(t('login.password'), password).wrap, err, h('div', { class: 'actions' }, submit));
	if (state.expired) {
		err.replaceChildren(errorBox(state.expired));
		state.expired = null;
	}
	let countdown = 0;
	ctx.signal.addEventListener('abort', () => clearInterval(countdown), { once: true });
	form.addEventListener('submit', async (ev) => {
		ev.preventDefault();
		if (!login.value.trim() || !password.value) {
			(login.value.trim() ? password : login).focus();
			return;
		}
		submit.disabled = true;
		err.replaceChildren();
		let res;
		try {
			res = await api('POST', '/session', { body: { login: login.value.trim(), password: password.value } });
		} catch (e) {
			if (!ctx.alive()) return;
			if (e.status === 429) return throttled(e);
			submit.disabled = false;
			err.replaceChildren(errorBox(e));
			password.select();
			password.focus();
			return;
		}
		setCsrf(res.csrf);
		state.user = { login: res.login, role: res.role };
		const back = state.returnTo && !state.returnTo.startsWith('#/login') ? state.returnTo : '#/agenda';
		state.returnTo = '';
		go(back);
	});

	// Too many attempts: say how long to wait, counting down.
	function throttled(e) {
		let left = e.retryAfter || 60;
		const line = h('p', { class: 'wait' }, t('login.wait', { n: waitText(left) }));
		const box = h('div', { class: 'error', role: 'alert' }, h('strong', null, t('err.title')), h('p', { class: 'error-message' }, e.message), line, h('p', { class: 'error-code' }, `HTTP ${e.status} · ${e.code}`));
		err.replaceChildren(box);
		clearInterval(countdown);
		countdown = setInterval(() => {
			left -= 1;
			if (left <= 0) {
				clearInterval(countdown);
				line.textContent = t('login.waitDone');
				submit.disabled = false;
				return;
			}
			line.textContent = t('login.wait', { n: waitText(left) });
		}, 1000);
	}

	root.replaceChildren(h('div', { class: 'login-card' }, h('div', { class: 'login-brand', 'aria-hidden': 'true' }, 'r'), heading, h('p', { class: 'lead' }, t('login.intro')), form));
	ctx.focus(login);
}

async function logout() {
	try {
		await api('DELETE', '/session');
	} catch (_) {
		/* the session is gone either way */
	}
	setCsrf('');
	state.user = null;
	state.returnTo = '';
	go('#/login');
}

whenUnauthenticated((e) => {
	if (!state.started) return;
	const was = state.user;
	state.user = null;
	setCsrf('');
	if (was) state.expired = e;
	if (parseHash().name !== 'login') {
		state.returnTo = location.hash;
		go('#/login');
	}
});

// ---- start ------------------------------------------------------------------------

async function start() {
	setLang(lang());
	window.addEventListener('hashchange', render);
	try {
		const who = await api('GET', '/session');
		state.user = { login: who.login, role: who.role };
		if (who.csrf) setCsrf(who.csrf);
	} catch (e) {
		state.user = null;
		if (e.status !== 401) {
			renderShell('');
			const retry = () => start();
			main.replaceChildren(h('h1', null, t('err.title')), errorBox(e, retry));
			window.removeEventListener('hashchange', render);
			return;
		}
	}
	state.started = true;
	render();
}

window.addEventListener('unhandledrejection', (ev) => {
	const e = ev.reason;
	if (e && (e.name === 'AbortError' || e.status === 401)) {
		ev.preventDefault();
		return;
	}
	const live = document.getElementById('live');
	if (live) live.textContent = errorText(e);
});

start();
