// What a client is worth: lifetime value, the chance they are still with us,
// what serving them costs and what they leave.  The card's section (with the
// reasons and a graceful let-go for a client who costs more than they
// bring), the value report (#/value: the spread of CLV, segments, the top
// and the negative clients), and the agenda's block of valuable clients
// drifting away.

import { api, enc } from './api.js';
import { chartFigure, drawDistribution } from './charts.js';
import { announce, badge, disclosures, field, fmtMoney, fmtNum, fmtPct, fmtTime, h, section } from './dom.js';
import { errorBox, viewData } from './errors.js';
import { checkField, missing, quickForm, submitting } from './forms.js';
import { t, tn, word } from './i18n.js';

// "72%", with where it was and an arrow when it moved.
function pAlive(now, before) {
	const parts = [h('span', { class: 'p-alive' }, fmtPct(now, 1))];
	if (typeof now === 'number' && typeof before === 'number') {
		const diff = Math.round((now - before) * 100);
		if (diff) {
			parts.push(
				' ',
				h('span', { class: `p-alive-change ${diff < 0 ? 'falling' : 'rising'}` }, h('span', { 'aria-hidden': 'true' }, diff < 0 ? '▼ ' : '▲ '), t(diff < 0 ? 'value.fell' : 'value.rose', { n: Math.abs(diff), was: fmtPct(before, 1) })),
			);
		}
	}
	return parts;
}

function segmentBadge(name) {
	return name ? badge(word('segment', name), `segment segment-${String(name).replace(/[^a-z0-9_-]/gi, '')}`) : null;
}

function signed(v, currency) {
	const n = Number(v);
	return h('span', { class: Number.isFinite(n) && n < 0 ? 'money negative' : 'money' }, fmtMoney(v, currency));
}

// ---- the card ------------------------------------------------------------------------

// The card's Value section from the card's "value" (null: not scored yet;
// absent: a server that does not score, and no section).  For a client who
// costs more than they bring, the section's openLetgo() opens the let-go
// form (the card does so for #/contact/ID?letgo=1).
export function valueSection(c, ctx) {
	if (!('value' in c)) return null;
	const v = c.value;
	const s = section('value', t('value.section'));
	if (!v) {
		s.appendChild(h('p', { class: 'empty value-none' }, t('value.none')));
		return s;
	}
	const cur = v.currency;
	const cost = v.cost_to_serve || {};
	const rfm = v.rfm || {};
	const rows = [
		['clv', t('value.clv'), h('strong', null, fmtMoney(v.clv, cur))],
		['p_alive', t('value.pAlive'), pAlive(v.p_alive, v.p_alive_before)],
		['expected', t('value.expectedYear'), fmtNum(v.expected_purchases_year, 2)],
		['revenue', t('value.revenue'), fmtMoney(v.revenue, cur)],
		[
			'cost',
			t('value.costToServe'),
			fmtMoney(cost.total, cur),
			h(
				'ul',
				{ class: 'cost-parts' },
				h('li', { dataset: { part: 'time' } }, t('value.timeCost', { time: tn('minutes', cost.minutes ?? 0), cost: fmtMoney(cost.time_cost, cur) })),
				h('li', { dataset: { part: 'make_goods' } }, t('value.makeGoods', { cost: fmtMoney(cost.make_goods, cur) })),
				h('li', { dataset: { part: 'discounts' } }, t('value.discounts', { cost: fmtMoney(cost.discounts, cur) })),
			),
		],
		['margin', t('value.margin'), signed(v.margin, cur)],
		['expected_margin', t('value.expectedMargin'), signed(v.expected_margin, cur)],
		['rfm', t('value.rfm'), rfm.score !== undefined && rfm.score !== null ? h('span', { class: 'rfm' }, t('value.rfmScore', { r: rfm.r ?? '?', f: rfm.f ?? '?', m: rfm.m ?? '?', score: rfm.score })) : t('none'), ' ', segmentBadge(v.segment)],
	];
	s.appendChild(h('dl', { class: 'value-facts' }, rows.map(([k, label, ...val]) => h('div', { dataset: { value: k } }, h('dt', null, label), h('dd', null, val)))));
	if (v.fitted_at) s.appendChild(h('p', { class: 'hint value-fitted' }, t('value.fittedAt', { date: fmtTime(v.fitted_at) })));
	const reasons = (v.reasons || []).length ? h('ul', { class: 'value-reasons' }, v.reasons.map((r) => h('li', null, r))) : null;
	if (!v.negative && reasons) s.append(h('h3', { class: 'value-why' }, t('value.inNumbers')), reasons);
	if (v.negative) {
		const box = h('div', { class: 'value-negative' }, h('h3', null, t('value.negative')), reasons);
		s.appendChild(box);
		if (ctx.canWrite()) {
			const d = disclosures();
			const done = h('div', { class: 'letgo-result' });
			const toggle = d.button(t('letgo.button'), { class: 'letgo-toggle' }, (close) =>
				letgoForm(c, {
					onCancel: close,
					onSaved: (res) => {
						close(false);
						toggle.remove();
						done.replaceChildren(letgoDone(res));
						done.querySelector('p').focus();
					},
				}),
			);
			box.append(h('div', { class: 'actions' }, toggle), d.slot, done);
			s.openLetgo = () => {
				if (toggle.getAttribute('aria-expanded') !== 'true') toggle.click();
				s.scrollIntoView({ block: 'start' });
			};
		}
	}
	return s;
}

// The graceful let-go: a note on the timeline, perhaps a hand-over to a
// colleague, perhaps no more keep-in-touch reminders.  Nothing is deleted.
export function letgoForm(contact, { onSaved, onCancel } = {}) {
	const note = h('textarea', { name: 'note', rows: '3', required: true, maxlength: '4000', placeholder: t('letgo.noteHint') });
	const handover = h('input', { name: 'handover', type: 'text', maxlength: '100', autocomplete: 'off', autocapitalize: 'none', spellcheck: 'false' });
	const stop = checkField('stop_cadence', t('letgo.stopCadence'));
	const err = h('div', { class: 'form-error' });
	const form = quickForm(
		'letgo-form',
		t('letgo.legend', { name: contact.name }),
		[h('p', { class: 'hint' }, t('letgo.intro')), field(t('letgo.note'), note).wrap, field(t('letgo.handover'), handover, t('letgo.handoverHint')).wrap, stop.wrap],
		err,
		{ submit: t('letgo.submit'), onCancel },
	);
	form.addEventListener('submit', async (ev) => {
		ev.preventDefault();
		if (missing(note)) return;
		const body = { note: note.value.trim() };
		if (handover.value.trim()) body.handover = handover.value.trim();
		if (stop.box.checked) body.stop_cadence = true;
		const res = await submitting(form, err, () => api('POST', `/contacts/${enc(contact.id)}/letgo`, { body }));
		if (!res) return;
		announce(t('letgo.done'));
		if (onSaved) onSaved(res, body);
	});
	form.focusFirst = () => note.focus();
	return form;
}

function letgoDone(res) {
	return h(
		'div',
		{ class: 'letgo-done', role: 'status' },
		h('p', { tabindex: '-1' }, t('letgo.done')),
		h(
			'p',
			{ class: 'muted' },
			res.owner ? t('letgo.owner', { who: res.owner }) : t('letgo.noOwner'),
			res.tier ? ` · ${t('letgo.tier', { tier: word('tier', res.tier) })}` : '',
			res.note_interaction ? ` · ${t('letgo.noteKept')}` : '',
		),
	);
}

// ---- the agenda's block ----------------------------------------------------------

// Valuable clients whose chance of staying is falling: worth a call.
// Absent or empty: nothing.
export function agendaValue(list) {
	if (!Array.isArray(list) || !list.length) return null;
	return section(
		'agenda-value',
		t('agenda.value'),
		h(
			'ol',
			{ class: 'value-list' },
			list.map((x) =>
				h(
					'li',
					{ class: 'value-item', dataset: { contactId: String(x.contact.id) } },
					h('div', { class: 'item-head' }, h('a', { class: 'name', href: `#/contact/${enc(x.contact.id)}` }, x.contact.name), h('span', { class: 'clv' }, fmtMoney(x.clv, x.currency))),
					h('p', { class: 'value-when' }, h('span', { class: 'muted' }, `${t('value.pAlive')}: `), pAlive(x.p_alive, x.p_alive_before)),
					x.reason ? h('p', { class: 'value-reason' }, x.reason) : null,
				),
			),
		),
		h('p', null, h('a', { href: '#/value' }, t('value.report'))),
	);
}

// ---- the report -----------------------------------------------------------------------

export async function valueView(root, ctx) {
	const heading = h('h1', { tabindex: '-1' }, t('value.title'));
	const lead = h('p', { class: 'lead' }, t('value.lead'));
	const chart = chartFigure(t('value.distribution'), 'clv-chart');
	chart.fig.hidden = true;
	const slot = h('div', { class: 'value-slot', 'aria-busy': 'true' }, h('p', { class: 'loading' }, t('loading')));
	root.replaceChildren(h('header', { class: 'view-head' }, heading, lead), slot);
	ctx.focus(heading);

	const doc = await viewData(ctx, slot, '/value/report', null, t('value.unavailable'));
	if (!doc) return;
	const cur = doc.currency;
	const fit = ctx.canWrite() ? fitButton(ctx, doc.fitted_at) : null;
	if (!doc.fitted_at && !doc.customers) {
		slot.replaceChildren(h('p', { class: 'empty' }, t('value.noFit')), fit || '');
		return;
	}
	lead.textContent = t('value.leadFitted', { date: fmtTime(doc.fitted_at), clients: tn('clients', doc.customers ?? 0) });
	const totals = doc.totals || {};
	const dist = doc.distribution || {};
	const segments = doc.segments || [];
	const top = doc.top || [];
	const negative = doc.negative || [];
	slot.replaceChildren(
		...[
		section(
			'value-totals',
			t('value.totals'),
			h(
				'dl',
				{ class: 'stats' },
				[
					['customers', String(doc.customers ?? 0)],
					['clv', fmtMoney(totals.clv, cur)],
					['revenue', fmtMoney(totals.revenue, cur)],
					['cost', fmtMoney(totals.cost_to_serve, cur)],
				].map(([k, v]) => h('div', { dataset: { stat: k } }, h('dt', null, t(`vtotal.${k}`)), h('dd', null, v))),
			),
			fit,
		),
		chart.fig,
		section('segments', t('value.segments'), segments.length ? h('div', { class: 'table-scroll' }, segmentTable(segments, cur)) : h('p', { class: 'empty' }, t('value.noSegments'))),
		(doc.periods || []).length ? section('periods', t('value.periods'), h('div', { class: 'table-scroll' }, periodTable(doc.periods, cur))) : null,
		section('top', t('value.top'), top.length ? h('div', { class: 'table-scroll' }, topTable(top, cur)) : h('p', { class: 'empty' }, t('value.noTop'))),
		section('negative', t('value.negativeClients'), negative.length ? h('ol', { class: 'negative-list' }, negative.map((n) => negativeItem(n, cur, ctx))) : h('p', { class: 'empty' }, t('value.noNegative'))),
		].filter(Boolean),
	);
	const edges = dist.edges || [];
	const counts = dist.counts || [];
	if (counts.length && edges.length >= counts.length) {
		chart.fig.hidden = false;
		drawDistribution(chart, edges, counts, cur);
	}
}

function fitButton(ctx, fitted) {
	const err = h('div', { class: 'form-error' });
	const label = t(fitted ? 'value.refit' : 'value.fit');
	const btn = h('button', { type: 'button', class: 'fit-now' }, label);
	btn.addEventListener('click', async () => {
		btn.disabled = true;
		btn.textContent = t('value.fitting');
		err.replaceChildren();
		let res;
		try {
			res = await api('POST', '/value/fit', { body: {} });
		} catch (e) {
			if (e.status !== 401) err.replaceChildren(errorBox(e));
			return;
		} finally {
			btn.disabled = false;
			btn.textContent = label;
		}
		announce(t('value.fitted', { clients: tn('clients', res.customers ?? 0) }));
		ctx.rerender();
	});
	return h('div', { class: 'fit' }, btn, err);
}

function segmentTable(segments, cur) {
	return h(
		'table',
		{ class: 'report segments' },
		h('thead', null, h('tr', null, h('th', { scope: 'col' }, t('value.segment')), h('th', { scope: 'col', class: 'num' }, t('value.clients')), h('th', { scope: 'col', class: 'num' }, t('value.clv')))),
		h(
			'tbody',
			null,
			segments.map((s) => h('tr', { dataset: { segment: String(s.name) } }, h('th', { scope: 'row' }, segmentBadge(s.name)), h('td', { class: 'num count' }, String(s.count ?? 0)), h('td', { class: 'num clv' }, fmtMoney(s.clv, cur)))),
		),
	);
}

// Revenue, time, cost to serve and margin by period (a document that has
// them: extra to the agreed shape).
function periodTable(periods, cur) {
	const money = (v) => fmtMoney(v, cur);
	const cols = [
		['revenue', t('value.revenue'), money],
		['minutes', t('value.minutes'), (v) => fmtNum(v, 0)],
		['cost_to_serve', t('value.costToServe'), money],
		['margin', t('value.margin'), (v) => signed(v, cur)],
	];
	return h(
		'table',
		{ class: 'report periods' },
		h('thead', null, h('tr', null, h('th', { scope: 'col' }, t('value.period')), cols.map(([, label]) => h('th', { scope: 'col', class: 'num' }, label)))),
		h('tbody', null, periods.map((p) => h('tr', null, h('th', { scope: 'row' }, p.period), cols.map(([k, , f]) => h('td', { class: 'num', dataset: { col: k } }, f(p[k])))))),
	);
}

function topTable(top, cur) {
	return h(
		'table',
		{ class: 'report top-clients' },
		h('thead', null, h('tr', null, h('th', { scope: 'col' }, t('value.client')), h('th', { scope: 'col', class: 'num' }, t('value.clv')), h('th', { scope: 'col', class: 'num' }, t('value.pAlive')), h('th', { scope: 'col' }, t('value.segment')))),
		h(
			'tbody',
			null,
			top.map((x) =>
				h(
					'tr',
					{ dataset: { contactId: String(x.contact.id) } },
					h('th', { scope: 'row' }, h('a', { href: `#/contact/${enc(x.contact.id)}` }, x.contact.name)),
					h('td', { class: 'num clv' }, fmtMoney(x.clv, cur)),
					h('td', { class: 'num p-alive' }, fmtPct(x.p_alive, 1)),
					h('td', null, segmentBadge(x.segment)),
				),
			),
		),
	);
}

function negativeItem(n, cur, ctx) {
	return h(
		'li',
		{ class: 'negative-client', dataset: { contactId: String(n.contact.id) } },
		h('div', { class: 'item-head' }, h('a', { class: 'name', href: `#/contact/${enc(n.contact.id)}` }, n.contact.name), h('span', { class: 'expected-margin' }, t('value.expectedMarginIs', { m: fmtMoney(n.expected_margin, cur) }))),
		h('ul', { class: 'value-reasons' }, (n.reasons || []).map((r) => h('li', null, r))),
		ctx.canWrite() ? h('p', { class: 'letgo-link' }, h('a', { href: `#/contact/${enc(n.contact.id)}?letgo=1` }, t('letgo.link', { name: n.contact.name }))) : null,
	);
}
