// Trust: the honest ledger of the game played with each client (who kept
// faith, who let the other down, and when), the state it leaves the
// relationship in, and what the company's policy says to do next.  The
// card's section (with the ledger and a form to record an act), the
// agenda's block of clients we let down and have not made it good, and the
// small pieces the communities pages share.

import { api, enc } from './api.js';
import { announce, badge, field, fmtDay, h, section, todayIso } from './dom.js';
import { viewData } from './errors.js';
import { missing, quickForm, submitting } from './forms.js';
import { locale, t, word } from './i18n.js';

export const STATES = ['mutual cooperation', 'we let them down', 'they let us down', 'mutual defection', 'no history'];

const slug = (s) => String(s || '').replace(/[^a-z0-9]+/gi, '-').toLowerCase();

// The state of a relationship as a badge coloured by what it means.
export function trustBadge(state) {
	if (!state) return null;
	return badge(word('tstate', state), `trust-state trust-${slug(state)}`);
}

// The score from -1 (only let-downs) to 1 (only kept faith): a bar and the
// number written with its sign.  label: the key of its spoken name.
export function scoreMeter(score, label = 'trust.scoreOf') {
	const n = Number(score);
	if (!Number.isFinite(n)) return h('span', { class: 'trust-score' }, t('none'));
	const v = Math.max(-1, Math.min(1, n));
	const text = new Intl.NumberFormat(locale(), { maximumFractionDigits: 2, minimumFractionDigits: 2, signDisplay: 'exceptZero' }).format(v);
	return h(
		'span',
		{ class: 'trust-score' },
		h('meter', { min: '-1', max: '1', low: '-0.2', high: '0.2', optimum: '1', value: String(v), 'aria-label': t(label, { score: text }) }, text),
		' ',
		h('span', { class: 'trust-score-num' }, text),
	);
}

// ---- the card ------------------------------------------------------------------------

// The card's Trust section from the card's "trust" (null: no history yet;
// absent: a server that keeps no ledger, and no section).  The ledger
// itself comes from GET /contacts/{id}/trust; recording an act draws the
// whole section again from the server's answer, since one act can change
// the state, the score and the advice.
export function trustSection(c, ctx) {
	if (!('trust' in c)) return null;
	const s = section('trust', t('trust.section'));
	const summary = h('div', { class: 'trust-summary' });
	const ledgerSlot = h('div', { class: 'trust-ledger-slot' }, h('p', { class: 'loading' }, t('loading')));
	s.append(summary, h('h3', { class: 'trust-ledger-title' }, t('trust.ledger')), ledgerSlot);
	paintSummary(summary, c.trust);
	let form = null;
	const list = h('ol', { class: 'trust-acts' });
	const none = h('p', { class: 'empty' }, t('trust.noActs'));
	const load = async (fresh) => {
		const doc = await viewData(ctx, ledgerSlot, `/contacts/${enc(c.id)}/trust`, null, t('trust.unavailable'));
		if (!doc) return;
		paintSummary(summary, doc.state === 'no history' && !(doc.acts || []).length ? null : doc);
		const acts = doc.acts || [];
		list.replaceChildren(...acts.map((a) => actItem(a)));
		if (fresh !== undefined) list.querySelector(`[data-act-id="${CSS.escape(String(fresh))}"]`)?.classList.add('fresh');
		none.hidden = acts.length > 0;
		ledgerSlot.replaceChildren(none, list);
		// The form stays where it is while the ledger is drawn again, so
		// that it keeps the focus for the next act.
		if (ctx.canWrite() && !form) {
			form = recordForm(c, {
				onSaved: (res) => {
					announce(t('trust.recorded'));
					load(res && res.id !== undefined ? res.id : undefined);
				},
			});
			s.appendChild(form);
		}
	};
	load();
	return s;
}

// The state, the score, the advice and the let-down not made good.
function paintSummary(el, tr) {
	if (!tr) {
		el.replaceChildren(h('p', { class: 'empty trust-none' }, t('trust.none')));
		return;
	}
	const rec = tr.recommendation || {};
	const rows = [
		['state', t('trust.state'), trustBadge(tr.state)],
		['score', t('trust.score'), scoreMeter(tr.score)],
		['advice', t('trust.advice'), rec.act ? h('strong', { class: `trust-advice advice-${slug(rec.act)}` }, word('trec', rec.act)) : t('none'), rec.why ? h('span', { class: 'trust-why' }, rec.why) : null],
	];
	el.replaceChildren(
		h('dl', { class: 'trust-facts' }, rows.map(([k, label, ...v]) => h('div', { dataset: { trust: k } }, h('dt', null, label), h('dd', null, v)))),
		tr.open_letdown ? letdown(tr.open_letdown) : null,
	);
}

// "We let them down on 3 Nov and have not made it good", with what happened.
function letdown(o) {
	return h(
		'div',
		{ class: 'trust-letdown', role: 'note' },
		h('p', { class: 'letdown-line' }, h('strong', null, t('trust.letdown', { date: fmtDay(o.on) }))),
		o.text ? h('blockquote', { class: 'letdown-text' }, o.text) : null,
	);
}

function actItem(a) {
	const by = a.by === 'client' ? 'client' : 'company';
	const act = a.act === 'defect' ? 'defect' : 'cooperate';
	const from = [];
	if (a.complaint !== null && a.complaint !== undefined) from.push(t('trust.fromComplaint', { id: a.complaint }));
	if (a.interaction !== null && a.interaction !== undefined) from.push(t('trust.fromTouch', { id: a.interaction }));
	return h(
		'li',
		{ class: `trust-act by-${by} act-${act}`, dataset: { actId: String(a.id) } },
		h(
			'div',
			{ class: 'act-meta' },
			a.on ? h('time', { datetime: a.on }, fmtDay(a.on)) : null,
			badge(t(`trust.by.${by}`), `act-by by-${by}`),
			badge(t(`trust.act.${act}`), act === 'defect' ? 'due act-kind' : 'ok act-kind'),
			from.length ? h('span', { class: 'muted act-from' }, from.join(' · ')) : null,
		),
		a.text ? h('p', { class: 'act-text' }, a.text) : null,
	);
}

// "Record an act": by whom, kept faith or let down, what happened, when.
export function recordForm(contact, { onSaved } = {}) {
	const by = h('select', { name: 'by' }, ['company', 'client'].map((k) => h('option', { value: k }, t(`trust.byChoice.${k}`))));
	const act = h('select', { name: 'act' }, ['cooperate', 'defect'].map((k) => h('option', { value: k }, t(`trust.actChoice.${k}`))));
	const text = h('input', { name: 'text', type: 'text', required: true, maxlength: '2000', autocomplete: 'off', placeholder: t('trust.textHint') });
	const on = h('input', { name: 'on', type: 'date', class: 'short', max: todayIso() });
	const err = h('div', { class: 'form-error' });
	const form = quickForm('trust-form', t('trust.record'), [h('div', { class: 'row' }, field(t('trust.by'), by).wrap, field(t('trust.act'), act).wrap), field(t('trust.text'), text).wrap, field(t('trust.on'), on, t('trust.onHint')).wrap], err, { submit: t('trust.recordSubmit') });
	form.addEventListener('submit', async (ev) => {
		ev.preventDefault();
		if (missing(text)) return;
		const body = { by: by.value, act: act.value, text: text.value.trim() };
		if (on.value) body.on = on.value;
		const res = await submitting(form, err, () => api('POST', `/contacts/${enc(contact.id)}/trust`, { body }));
		if (!res) return;
		text.value = '';
		on.value = '';
		if (onSaved) onSaved(res, body);
		text.focus();
	});
	form.focusFirst = () => by.focus();
	return form;
}

// The communities a contact belongs to, when the card tells them
// ([{id, name, role, joined_on}]); nothing otherwise.
export function cardCommunities(c) {
	const list = Array.isArray(c.communities) ? c.communities : null;
	if (!list || !list.length) return null;
	return section(
		'card-communities',
		t('communities.ofContact'),
		h(
			'ul',
			{ class: 'card-community-list' },
			list.map((m) =>
				h(
					'li',
					null,
					h('a', { href: `#/communities/${enc(m.id ?? m.name)}` }, m.name),
					m.role ? h('span', { class: 'muted' }, ` · ${m.role}`) : null,
					m.joined_on ? h('span', { class: 'muted' }, ` · ${t('communities.since', { date: fmtDay(m.joined_on) })}`) : null,
				),
			),
		),
	);
}

// ---- the agenda's block ----------------------------------------------------------

// Clients we let down and have not made it good, oldest first.  Absent or
// empty: nothing.
export function agendaTrust(list) {
	if (!Array.isArray(list) || !list.length) return null;
	return section(
		'agenda-trust',
		t('agenda.trust'),
		h(
			'ol',
			{ class: 'trust-list' },
			list.map((x) =>
				h(
					'li',
					{ class: 'trust-item', dataset: { contactId: String(x.contact.id) } },
					h('div', { class: 'item-head' }, h('a', { class: 'name', href: `#/contact/${enc(x.contact.id)}` }, x.contact.name), trustBadge(x.state)),
					h('p', { class: 'trust-reason' }, x.reason || t('trust.letdown', { date: fmtDay(x.on) })),
					x.text ? h('p', { class: 'trust-text muted' }, x.text) : null,
				),
			),
		),
	);
}
