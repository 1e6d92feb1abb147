// Communities: named groups of clients with their own rules, their members
// (role, joining date, where trust stands with each), and their health: the
// share of cooperative acts per period, the members we let down lately,
// and the contagion alerts (a member let down or defecting, tied to others
// who may follow), ranked by how many they touch.
//   #/communities            the list, and a form to found one
//   #/communities/NAME-or-ID one community

import { api, enc } from './api.js';
import { chartFigure, drawShares } from './charts.js';
import { announce, badge, field, fmtDay, fmtPct, h, section, todayIso } from './dom.js';
import { errorBox, viewData } from './errors.js';
import { missing, quickForm, submitting } from './forms.js';
import { t, tn, word } from './i18n.js';
import { trustBadge } from './trust.js';

// The list document: {"communities": [...]} or the list itself.
function listOf(doc) {
	if (Array.isArray(doc)) return doc;
	return (doc && doc.communities) || [];
}

// Where a community's page is: by id when there is one.
export function communityHref(x) {
	return `#/communities/${enc(x.id ?? x.name)}`;
}

function memberCount(x) {
	if (typeof x.members === 'number') return x.members;
	if (Array.isArray(x.members)) return x.members.length;
	if (typeof x.member_count === 'number') return x.member_count;
	return null;
}

export async function communitiesView(root, ctx, params, arg) {
	if (arg) return communityView(root, ctx, arg);
	const heading = h('h1', { tabindex: '-1' }, t('communities.title'));
	const slot = h('div', { class: 'communities-slot', 'aria-busy': 'true' }, h('p', { class: 'loading' }, t('loading')));
	root.replaceChildren(h('header', { class: 'view-head' }, heading, h('p', { class: 'lead' }, t('communities.lead'))), slot);
	ctx.focus(heading);
	const doc = await viewData(ctx, slot, '/communities', null, t('communities.unavailable'));
	if (!doc) return;
	const items = listOf(doc);
	const list = items.length
		? h(
				'ul',
				{ class: 'community-list' },
				items.map((x) => {
					const n = memberCount(x);
					return h(
						'li',
						{ class: 'community-item', dataset: { communityId: String(x.id ?? '') } },
						h('div', { class: 'item-head' }, h('a', { class: 'name', href: communityHref(x) }, x.name), n !== null ? h('span', { class: 'muted member-count' }, tn('members', n)) : null),
						x.rules ? h('p', { class: 'community-rules-short' }, x.rules) : null,
					);
				}),
			)
		: h('p', { class: 'empty' }, t('communities.none'));
	slot.replaceChildren(list, ctx.canWrite() ? addForm(ctx) : null);
}

// Founding one: its name and its rules.
function addForm(ctx) {
	const name = h('input', { name: 'name', type: 'text', required: true, maxlength: '200', autocomplete: 'off' });
	const rules = h('textarea', { name: 'rules', rows: '3', maxlength: '4000', placeholder: t('communities.rulesHint') });
	const err = h('div', { class: 'form-error' });
	const form = quickForm('community-form', t('communities.add'), [field(t('communities.name'), name).wrap, field(t('communities.rules'), rules).wrap], err, { submit: t('communities.addSubmit') });
	form.addEventListener('submit', async (ev) => {
		ev.preventDefault();
		if (missing(name)) return;
		const body = { name: name.value.trim() };
		if (rules.value.trim()) body.rules = rules.value.trim();
		const res = await submitting(form, err, () => api('POST', '/communities', { body }));
		if (!res) return;
		announce(t('communities.added', { name: body.name }));
		ctx.go(communityHref({ id: res.id, name: body.name }));
	});
	return form;
}

// ---- one community -------------------------------------------------------------------

async function communityView(root, ctx, ref) {
	const heading = h('h1', { tabindex: '-1' }, t('loading'));
	const crumbs = h('p', { class: 'crumbs' }, h('a', { href: '#/communities' }, t('communities.title')));
	const slot = h('div', { class: 'community-slot', 'aria-busy': 'true' }, h('p', { class: 'loading' }, t('loading')));
	const healthSlot = h('div', { class: 'health-slot', 'aria-busy': 'true' }, h('p', { class: 'loading' }, t('loading')));
	root.replaceChildren(h('header', { class: 'view-head' }, crumbs, heading), slot, healthSlot);
	ctx.focus(heading);
	const base = `/communities/${enc(ref)}`;
	// A 404 here is most likely no such community: the server says which.
	const [doc, health] = await Promise.all([viewData(ctx, slot, base), viewData(ctx, healthSlot, `${base}/health`, null, t('health.unavailable'))]);
	if (!ctx.alive()) return;
	heading.textContent = doc ? doc.name : health && health.community ? health.community.name : t('err.title');
	if (doc) {
		document.title = `${doc.name} · rapport`;
		slot.replaceChildren(...communityParts(doc, ctx, base));
	}
	if (health) {
		const { parts, draw } = healthParts(health);
		healthSlot.replaceChildren(...parts);
		draw();
	}
}

function communityParts(doc, ctx, base) {
	const members = doc.members || [];
	const ties = doc.ties || [];
	const canWrite = ctx.canWrite();
	const rows = members.map((m) => memberRow(m, ctx, base, canWrite));
	const table = h(
		'table',
		{ class: 'report members' },
		h(
			'thead',
			null,
			h('tr', null, h('th', { scope: 'col' }, t('communities.member')), h('th', { scope: 'col' }, t('communities.role')), h('th', { scope: 'col' }, t('communities.joined')), h('th', { scope: 'col' }, t('trust.state')), canWrite ? h('th', { scope: 'col' }, h('span', { class: 'visually-hidden' }, t('communities.actions'))) : null),
		),
		h('tbody', null, rows),
	);
	const info = section(
		'community-info',
		t('communities.rules'),
		doc.rules ? h('p', { class: 'community-rules' }, doc.rules) : h('p', { class: 'empty' }, t('communities.noRules')),
		h('p', { class: 'muted community-links' }, tn('members', members.length), ' · ', tn('ties', ties.length), ' · ', h('a', { href: `#/simulate?community=${enc(doc.name)}` }, t('communities.simulate'))),
	);
	const mem = section('members', t('communities.members'), members.length ? h('div', { class: 'table-scroll' }, table) : h('p', { class: 'empty' }, t('communities.noMembers')));
	if (canWrite) mem.appendChild(joinForm(ctx, base));
	return [info, mem];
}

function memberRow(m, ctx, base, canWrite) {
	const c = m.contact || {};
	const tr = h(
		'tr',
		{ dataset: { contactId: String(c.id) } },
		h('th', { scope: 'row' }, h('a', { href: `#/contact/${enc(c.id)}` }, c.name)),
		h('td', { class: 'role', dataset: { label: t('communities.role') } }, m.role || t('none')),
		h('td', { class: 'joined', dataset: { label: t('communities.joined') } }, m.joined_on ? h('time', { datetime: m.joined_on }, fmtDay(m.joined_on)) : t('none')),
		h('td', { class: 'trust' }, trustBadge(m.trust_state) || t('none')),
	);
	if (canWrite) {
		const err = h('div', { class: 'form-error' });
		const leave = h('button', { type: 'button', class: 'small leave', 'aria-label': t('communities.leaveLabel', { name: c.name }) }, t('communities.leave'));
		leave.addEventListener('click', async () => {
			leave.disabled = true;
			err.replaceChildren();
			try {
				await api('DELETE', `${base}/members/${enc(c.id)}`);
			} catch (e) {
				leave.disabled = false;
				if (e.status !== 401) err.replaceChildren(errorBox(e));
				return;
			}
			announce(t('communities.left', { name: c.name }));
			ctx.rerender();
		});
		tr.appendChild(h('td', { class: 'actions-cell' }, leave, err));
	}
	return tr;
}

// Joining: who (an id or a unique part of the name), the role, since when.
function joinForm(ctx, base) {
	const contact = h('input', { name: 'contact', type: 'text', required: true, maxlength: '200', autocomplete: 'off', spellcheck: 'false' });
	const role = h('input', { name: 'role', type: 'text', maxlength: '100', autocomplete: 'off', placeholder: t('communities.roleHint') });
	const on = h('input', { name: 'on', type: 'date', class: 'short', max: todayIso() });
	const err = h('div', { class: 'form-error' });
	const form = quickForm('join-form', t('communities.join'), [field(t('communities.contact'), contact, t('communities.contactHint')).wrap, h('div', { class: 'row' }, field(t('communities.role'), role).wrap, field(t('communities.joinedOn'), on).wrap)], err, { submit: t('communities.joinSubmit') });
	form.addEventListener('submit', async (ev) => {
		ev.preventDefault();
		if (missing(contact)) return;
		const body = { contact: contact.value.trim() };
		if (role.value.trim()) body.role = role.value.trim();
		if (on.value) body.on = on.value;
		const res = await submitting(form, err, () => api('POST', `${base}/members`, { body }));
		if (!res) return;
		announce(t('communities.joinedDone'));
		ctx.rerender();
	});
	return form;
}

// ---- health --------------------------------------------------------------------------

function healthParts(doc) {
	const periods = doc.periods || [];
	const shares = doc.cooperation_share || [];
	const letDown = doc.let_down || [];
	const alerts = (doc.alerts || []).slice().sort((a, b) => (b.touches || 0) - (a.touches || 0));
	const chart = chartFigure(t('health.chart'), 'cooperation-chart');
	const known = shares.filter((v) => v !== null && v !== undefined);
	const last = known.length ? known[known.length - 1] : null;
	const parts = [
		section(
			'health',
			t('health.title'),
			last !== null ? h('p', { class: 'health-last' }, t('health.lastShare', { share: fmtPct(last) })) : null,
			periods.length ? chart.fig : h('p', { class: 'empty' }, t('health.noActs')),
			section(
				'alerts',
				t('health.alerts'),
				alerts.length ? h('ol', { class: 'alert-list' }, alerts.map((a) => alertItem(a))) : h('p', { class: 'empty' }, t('health.noAlerts')),
			),
			section(
				'let-down',
				t('health.letDown'),
				letDown.length
					? h(
							'ul',
							{ class: 'letdown-list' },
							letDown.map((x) =>
								h(
									'li',
									{ class: 'letdown-item', dataset: { contactId: String(x.contact.id) } },
									h('a', { class: 'name', href: `#/contact/${enc(x.contact.id)}` }, x.contact.name),
									x.on ? h('span', { class: 'muted' }, ` · ${fmtDay(x.on)}`) : null,
									x.text ? h('p', { class: 'letdown-text' }, x.text) : null,
								),
							),
						)
					: h('p', { class: 'empty' }, t('health.noLetDown')),
			),
		),
	];
	const draw = () => {
		if (!periods.length) return;
		const sentence = t('health.summary', { list: periods.map((p, i) => `${p} ${shares[i] === null || shares[i] === undefined ? t('health.noneInPeriod') : fmtPct(shares[i])}`).join(', ') });
		drawShares(chart, periods, [{ label: t('health.share'), data: periods.map((_, i) => (shares[i] === undefined ? null : shares[i])) }], sentence);
	};
	return { parts, draw };
}

function alertItem(a) {
	const c = a.contact || {};
	const risk = a.at_risk || [];
	return h(
		'li',
		{ class: 'contagion-alert', dataset: { contactId: String(c.id) } },
		h(
			'div',
			{ class: 'item-head' },
			h('a', { class: 'name', href: `#/contact/${enc(c.id)}` }, c.name),
			badge(word('why', a.why), a.why === 'they defected' ? 'due why' : 'soon why'),
			h('span', { class: 'touches' }, tn('touches.members', a.touches ?? risk.length)),
		),
		a.on ? h('p', { class: 'muted alert-on' }, t('health.since', { date: fmtDay(a.on) })) : null,
		risk.length
			? h(
					'p',
					{ class: 'at-risk' },
					h('span', { class: 'muted' }, `${t('health.atRisk')}: `),
					risk.map((r, i) => [i ? ', ' : '', h('a', { href: `#/contact/${enc(r.id)}` }, r.name)]),
				)
			: null,
	);
}
