// Triage of incoming requests (#/intake[?status=pending|accepted|declined]):
// what the public form brought in, scored against the value profile, each
// with its verdict and reasons; a person accepts (the request becomes a
// contact at stage attention or yes) or declines politely.  And the count of
// pending requests beside the navigation's link.

import { api, enc } from './api.js';
import { alignMeter, reasonLists, signed, verdictBadge } from './alignment.js';
import { announce, badge, field, fmtTime, h } from './dom.js';
import { errorBox, viewData } from './errors.js';
import { t, tn, word } from './i18n.js';

export const STATUSES = ['pending', 'accepted', 'declined'];

// ---- the count in the navigation -----------------------------------------------

// Asked at most once a minute; a server without intake (404) is not asked
// again.
const count = { n: null, at: 0, gone: false, asking: null };

// One request fewer to triage: the navigation says so at once.
function triaged() {
	if (count.n) count.n -= 1;
	const into = document.querySelector('.nav-intake .nav-count');
	if (into) intakeCount(into);
}

export function intakeCount(into) {
	if (count.gone) return;
	// The number to see, and what it means to hear.
	const show = () => {
		into.replaceChildren(...(count.n ? [h('span', { 'aria-hidden': 'true' }, String(count.n)), h('span', { class: 'visually-hidden' }, ` (${tn('intake.pendingCount', count.n)})`)] : []));
		into.hidden = !count.n;
	};
	if (count.n !== null) show();
	if (Date.now() - count.at < 60000) return;
	if (!count.asking) {
		count.asking = api('GET', '/intake', { query: { status: 'pending' } })
			.then((doc) => {
				count.n = (doc.requests || []).length;
				count.at = Date.now();
			})
			.catch((e) => {
				if (e.status === 404 || e.status === 403) count.gone = true;
				count.at = Date.now();
			})
			.finally(() => {
				count.asking = null;
			});
	}
	count.asking.then(() => {
		if (into.isConnected && !count.gone) show();
	});
}

// ---- the page ----------------------------------------------------------------------

export async function intakeView(root, ctx, params) {
	const status = STATUSES.includes(params.get('status')) ? params.get('status') : 'pending';
	const heading = h('h1', { tabindex: '-1' }, t('intake.title'));
	const tabs = h(
		'nav',
		{ class: 'subnav intake-tabs', 'aria-label': t('intake.tabs') },
		STATUSES.map((s) => h('a', { href: s === 'pending' ? '#/intake' : `#/intake?status=${s}`, 'aria-current': s === status ? 'page' : null, dataset: { status: s } }, t(`intake.tab.${s}`))),
	);
	const slot = h('div', { class: 'intake-slot', 'aria-busy': 'true' }, h('p', { class: 'loading' }, t('loading')));
	root.replaceChildren(h('header', { class: 'view-head' }, heading, h('p', { class: 'lead' }, t('intake.lead')), tabs), slot);
	ctx.focus(heading);
	// The questions name the answers; without them the keys do.
	let dims = {};
	try {
		const q = await api('GET', '/intake/questions', { signal: ctx.signal });
		dims = Object.fromEntries((q.questions || []).map((x) => [x.key, x]));
	} catch (e) {
		if (e.name === 'AbortError' || !ctx.alive()) return;
	}
	const doc = await viewData(ctx, slot, '/intake', { status }, t('intake.unavailable'));
	if (!doc) return;
	const reqs = doc.requests || [];
	count.gone = false;
	if (status === 'pending') {
		count.n = reqs.length;
		count.at = Date.now();
		const c = document.querySelector('.nav-intake .count');
		if (c) intakeCount(c);
	}
	slot.replaceChildren(reqs.length ? h('ol', { class: 'intake-list' }, reqs.map((r) => requestItem(r, dims, ctx))) : h('p', { class: 'empty' }, t(`intake.none.${status}`)));
}

function requestItem(r, dims, ctx) {
	const answers = Object.entries(r.answers || {});
	const statusLine = h('p', { class: 'intake-status' });
	const li = h(
		'li',
		{ class: `intake-item status-${r.status}`, dataset: { requestId: String(r.id) } },
		h('div', { class: 'item-head' }, h('h2', { class: 'intake-name' }, r.name), verdictBadge(r.verdict), alignMeter(r.score)),
		h('p', { class: 'intake-meta muted' }, [r.received_at ? fmtTime(r.received_at) : null, r.email, r.phone].filter(Boolean).join(' · ')),
		r.message ? h('blockquote', { class: 'intake-message' }, r.message) : null,
		...reasonLists(r.for, r.against),
		answers.length
			? h(
					'details',
					{ class: 'intake-answers' },
					h('summary', null, tn('intake.answers', answers.length)),
					h('dl', null, answers.map(([k, v]) => h('div', { dataset: { dimension: k } }, h('dt', null, dims[k] && dims[k].question ? dims[k].question : k), h('dd', null, answerText(v, dims[k]))))),
				)
			: null,
		statusLine,
	);
	paintStatus(statusLine, r);
	if (r.status === 'pending' && ctx.canWrite()) li.appendChild(actions(r, li, statusLine));
	return li;
}

function answerText(v, q) {
	const n = Number(v);
	if (typeof v !== 'number' || !Number.isFinite(n)) return String(v);
	const num = signed(n);
	if (!q || Math.abs(n) < 0.15) return num;
	return `${num} (${n < 0 ? q.left : q.right})`;
}

function paintStatus(el, r) {
	if (r.status === 'accepted') {
		const c = r.contact || (r.contact_id ? { id: r.contact_id, name: r.name } : null);
		el.replaceChildren(badge(word('istatus', r.status), 'ok'), ' ', c ? h('a', { href: `#/contact/${enc(c.id)}` }, t('intake.toContact', { name: c.name })) : null);
	} else if (r.status === 'declined') el.replaceChildren(badge(word('istatus', r.status), 'due'));
	else el.replaceChildren();
}

// Accept (at the stage chosen) or decline; either answer replaces the
// buttons with what came of it.
function actions(r, li, statusLine) {
	// "yes" means the person said yes to hearing from us: only with the
	// consent the form recorded (when the request says what it was).
	const consent = r.consent && typeof r.consent === 'object' ? r.consent : null;
	const yesAllowed = !consent || Object.values(consent).some(Boolean);
	const stage = h('select', { name: 'stage' }, h('option', { value: 'attention' }, word('stage', 'attention')), h('option', { value: 'yes', disabled: !yesAllowed }, word('stage', 'yes')));
	const err = h('div', { class: 'form-error' });
	const accept = h('button', { type: 'button', class: 'primary accept', 'aria-label': t('intake.acceptLabel', { name: r.name }) }, t('intake.accept'));
	const decline = h('button', { type: 'button', class: 'danger decline', 'aria-label': t('intake.declineLabel', { name: r.name }) }, t('intake.decline'));
	const box = h(
		'div',
		{ class: 'intake-actions' },
		h('div', { class: 'row' }, field(t('intake.stage'), stage, yesAllowed ? t('intake.stageHint') : t('intake.noConsent')).wrap),
		h('div', { class: 'actions' }, accept, decline),
		err,
	);
	const run = async (btn, path, body, done) => {
		for (const b of box.querySelectorAll('button, select')) b.disabled = true;
		err.replaceChildren();
		let res;
		try {
			res = await api('POST', path, { body });
		} catch (e) {
			for (const b of box.querySelectorAll('button, select')) b.disabled = false;
			stage.querySelector('option[value=yes]').disabled = !yesAllowed;
			if (e.status !== 401) err.replaceChildren(errorBox(e));
			return;
		}
		triaged();
		done(res);
	};
	accept.addEventListener('click', () =>
		run(accept, `/intake/${enc(r.id)}/accept`, { stage: stage.value }, (res) => {
			r.status = 'accepted';
			r.contact = res.contact || null;
			li.className = 'intake-item status-accepted';
			box.remove();
			paintStatus(statusLine, r);
			statusLine.setAttribute('tabindex', '-1');
			statusLine.focus();
			announce(t('intake.accepted', { name: r.name }));
		}),
	);
	decline.addEventListener('click', () =>
		run(decline, `/intake/${enc(r.id)}/decline`, {}, (res) => {
			r.status = 'declined';
			li.className = 'intake-item status-declined';
			box.remove();
			paintStatus(statusLine, r);
			const reply = h('div', { class: 'intake-reply', role: 'status' }, h('h3', { tabindex: '-1' }, t('intake.reply')), h('p', { class: 'hint' }, t('intake.replyHint')), h('blockquote', { class: 'reply-text' }, res.reply || t('none')));
			li.appendChild(reply);
			reply.querySelector('h3').focus();
			announce(t('intake.declined', { name: r.name }));
		}),
	);
	if (!yesAllowed) stage.value = 'attention';
	return box;
}
