// Complaints: a client unhappy with us, answered within minutes, with an
// apology and a make-good.  The complaints page (#/complaints: the waiting
// ones first, then answered, then resolved, under the report), the card's
// section (the client's complaints and a way to open one), the block at the
// top of the agenda, and the forms that answer and resolve one.
// A complaint is a client's words: it only ever becomes text nodes.

import { api, enc } from './api.js';
import { announce, badge, disclosures, field, fmtDay, fmtMoney, fmtPct, fmtTime, h, section } from './dom.js';
import { viewData } from './errors.js';
import { checkField, filterForm, missing, quickForm, submitting } from './forms.js';
import { t, tn, word } from './i18n.js';

export const CHANNELS = ['call', 'message', 'email', 'visit', 'ui'];
const STATES = ['waiting', 'answered', 'resolved'];
const DAY = /^\d{4}-\d{2}-\d{2}$/;
// An amount as people type it: "12", "12.50", "12,5".
const AMOUNT = /^\d{1,12}([.,]\d{1,2})?$/;

// GET /complaints answers {"complaints": [...]} (an array is taken too).
function listOf(doc) {
	return Array.isArray(doc) ? doc : (doc && doc.complaints) || [];
}

function minutesSince(iso) {
	const at = Date.parse(iso);
	return Number.isFinite(at) ? Math.max(0, Math.floor((Date.now() - at) / 60000)) : null;
}

// A span of minutes as people read it: "4 min", "2 h 5 min", "3 days".
export function fmtMinutes(v) {
	if (v === undefined || v === null || v === '' || !Number.isFinite(Number(v))) return t('none');
	const n = Math.round(Number(v));
	if (n < 60) return t('wait.min', { n });
	if (n < 48 * 60) {
		const m = n % 60;
		return m ? t('wait.hmin', { h: Math.floor(n / 60), m }) : t('wait.h', { h: Math.floor(n / 60) });
	}
	return tn('days', Math.floor(n / 1440));
}

export function stateBadge(state) {
	const cls = { resolved: 'ok', waiting: 'soon' }[state] || '';
	return badge(word('cstate', state), `cstate cstate-${state} ${cls}`.trim());
}

// "Waiting 12 min (target 5 min)", late in the warning style.
function waitingBadge(minutes, target, late) {
	const text = typeof target === 'number' ? t('complaint.waitingTarget', { wait: fmtMinutes(minutes), target: fmtMinutes(target) }) : t('complaint.waiting', { wait: fmtMinutes(minutes) });
	return badge(late ? `${t('complaint.late')} · ${text}` : text, `waiting-time ${late ? 'due' : 'soon'}`);
}

// ---- the forms --------------------------------------------------------------------

// "Open a complaint" on the card: how it came and what the client said.
// onSaved(complaint) gets the complaint as the lists show it.
export function openForm(contact, ctx, { onSaved } = {}) {
	const channel = h('select', { name: 'channel' }, CHANNELS.map((c) => h('option', { value: c }, word('cchannel', c))));
	const text = h('textarea', { name: 'text', rows: '3', required: true, maxlength: '4000', placeholder: t('complaint.textHint') });
	const err = h('div', { class: 'form-error' });
	const form = quickForm('complaint-form', t('complaint.open'), [field(t('complaint.channel'), channel).wrap, field(t('complaint.text'), text).wrap], err, { submit: t('complaint.openSubmit') });
	form.addEventListener('submit', async (ev) => {
		ev.preventDefault();
		if (missing(text)) return;
		const body = { text: text.value.trim(), channel: channel.value };
		const res = await submitting(form, err, () => api('POST', `/contacts/${enc(contact.id)}/complaints`, { body }));
		if (!res) return;
		text.value = '';
		announce(t('complaint.opened'));
		const made = { id: res.id, contact: { id: contact.id, name: contact.name }, channel: body.channel, text: body.text, opened_at: new Date().toISOString(), opened_by: ctx.user ? ctx.user.login : null, state: 'waiting', late: false };
		if (onSaved) onSaved(res && res.state ? { ...made, ...res } : made);
	});
	return form;
}

// The first response: what we said, and whether we apologised.
export function answerForm(c, { onSaved, onCancel } = {}) {
	const text = h('textarea', { name: 'text', rows: '3', required: true, maxlength: '4000', placeholder: t('complaint.answerHint') });
	const apology = checkField('apology', t('complaint.apology'));
	const err = h('div', { class: 'form-error' });
	const form = quickForm('answer-form', t('complaint.answerLegend', { name: c.contact ? c.contact.name : '' }), [field(t('complaint.answerText'), text).wrap, apology.wrap], err, { submit: t('complaint.answerSubmit'), onCancel });
	form.addEventListener('submit', async (ev) => {
		ev.preventDefault();
		if (missing(text)) return;
		const body = { text: text.value.trim() };
		if (apology.box.checked) body.apology = true;
		const res = await submitting(form, err, () => api('POST', `/complaints/${enc(c.id)}/answer`, { body }));
		if (!res) return;
		announce(t('complaint.answered'));
		if (onSaved) onSaved(res, body);
	});
	form.focusFirst = () => text.focus();
	return form;
}

// Closing it: the make-good (what and what it cost), how it ended, and
// whether we apologised.
export function resolveForm(c, { onSaved, onCancel } = {}) {
	const makeGood = h('input', { name: 'make_good', type: 'text', required: true, maxlength: '1000', autocomplete: 'off', placeholder: t('complaint.makeGoodHint') });
	const cost = h('input', { name: 'cost', type: 'text', required: true, inputmode: 'decimal', autocomplete: 'off', class: 'short', placeholder: '0.00' });
	const resolution = h('textarea', { name: 'resolution', rows: '2', maxlength: '4000' });
	const apology = checkField('apology', t('complaint.apology'));
	apology.box.checked = !!c.apology;
	const err = h('div', { class: 'form-error' });
	const costLabel = c.currency ? `${t('complaint.cost')} (${c.currency})` : t('complaint.cost');
	const form = quickForm(
		'resolve-form',
		t('complaint.resolveLegend', { name: c.contact ? c.contact.name : '' }),
		[h('div', { class: 'row' }, field(t('complaint.makeGood'), makeGood).wrap, field(costLabel, cost, t('complaint.costHint')).wrap), field(t('complaint.resolution'), resolution).wrap, apology.wrap],
		err,
		{ submit: t('complaint.resolveSubmit'), onCancel },
	);
	form.addEventListener('submit', async (ev) => {
		ev.preventDefault();
		if (missing(makeGood, cost)) return;
		if (!AMOUNT.test(cost.value.trim())) {
			cost.setAttribute('aria-invalid', 'true');
			err.replaceChildren(h('p', { class: 'error', role: 'alert' }, t('complaint.costInvalid')));
			cost.focus();
			return;
		}
		const body = { make_good: makeGood.value.trim(), cost: cost.value.trim().replace(',', '.') };
		if (resolution.value.trim()) body.resolution = resolution.value.trim();
		if (apology.box.checked) body.apology = true;
		const res = await submitting(form, err, () => api('POST', `/complaints/${enc(c.id)}/resolve`, { body }));
		if (!res) return;
		announce(t('complaint.resolved'));
		if (onSaved) onSaved(res, body);
	});
	form.focusFirst = () => makeGood.focus();
	return form;
}

// ---- one complaint -----------------------------------------------------------------

// opts: contact (show whose it is), target (minutes), onChanged(id) after
// an answer or a resolution, actions: false for none.
export function complaintItem(c, ctx, opts = {}) {
	const state = STATES.includes(c.state) ? c.state : 'waiting';
	const li = h('li', { class: `complaint state-${state}${c.late ? ' late' : ''}`, dataset: { complaintId: String(c.id) }, tabindex: '-1' });
	const meta = h(
		'div',
		{ class: 'complaint-meta' },
		opts.contact !== false && c.contact ? h('a', { class: 'complaint-contact', href: `#/contact/${enc(c.contact.id)}` }, c.contact.name) : null,
		stateBadge(state),
		state !== 'waiting' && c.late ? badge(t('complaint.late'), 'due late-mark') : null,
		c.channel ? badge(word('cchannel', c.channel), 'channel') : null,
		c.opened_at ? h('time', { datetime: c.opened_at }, fmtTime(c.opened_at)) : null,
		c.opened_by ? h('span', { class: 'muted' }, t('card.by', { who: c.opened_by })) : null,
		c.duty ? h('span', { class: 'muted duty' }, t('complaint.duty', { who: c.duty })) : null,
	);
	li.append(meta, h('blockquote', { class: 'complaint-text' }, c.text || ''));
	if (state === 'waiting') {
		const minutes = typeof c.minutes_waiting === 'number' ? c.minutes_waiting : minutesSince(c.opened_at);
		li.appendChild(h('p', { class: 'complaint-wait' }, waitingBadge(minutes, opts.target, !!c.late)));
	}
	if (c.answered_at || c.answer) {
		li.appendChild(
			h(
				'p',
				{ class: 'complaint-answer' },
				h('span', { class: 'muted' }, typeof c.first_response_minutes === 'number' ? t('complaint.answeredIn', { time: fmtMinutes(c.first_response_minutes) }) : t('complaint.answeredLabel')),
				c.answered_by ? h('span', { class: 'muted' }, ` ${t('card.by', { who: c.answered_by })}`) : null,
				c.apology ? badge(t('complaint.withApology'), 'ok apology') : null,
				c.answer ? h('span', { class: 'answer-text' }, c.answer) : null,
			),
		);
	}
	if (state === 'resolved') {
		li.appendChild(
			h(
				'p',
				{ class: 'complaint-resolution' },
				c.resolved_at ? h('span', { class: 'muted' }, `${t('complaint.resolvedOn', { date: fmtTime(c.resolved_at) })} `) : null,
				c.make_good ? h('span', { class: 'make-good' }, t('complaint.makeGoodWas', { what: c.make_good, cost: fmtMoney(c.make_good_cost, c.currency) })) : null,
				c.resolution ? h('span', { class: 'resolution-text' }, c.resolution) : null,
			),
		);
	}
	if (opts.actions !== false && ctx.canWrite() && state !== 'resolved') {
		const d = disclosures();
		const done = (msg) => () => {
			d.close(false);
			if (opts.onChanged) opts.onChanged(c.id, msg);
		};
		const group = h('div', { class: 'complaint-actions', role: 'group', 'aria-label': t('complaint.actions', { name: c.contact ? c.contact.name : '' }) });
		if (state === 'waiting') group.appendChild(d.button(t('complaint.answer'), { class: 'small answer-toggle' }, (close) => answerForm(c, { onCancel: close, onSaved: done(t('complaint.answered')) })));
		group.appendChild(d.button(t('complaint.resolve'), { class: 'small resolve-toggle' }, (close) => resolveForm(c, { onCancel: close, onSaved: done(t('complaint.resolved')) })));
		li.append(group, d.slot);
	}
	return li;
}

// ---- the card's section ----------------------------------------------------------

export function complaintsSection(c, ctx) {
	const s = section('complaints', t('complaints.section'));
	const slot = h('div', { class: 'complaints-slot' }, h('p', { class: 'loading' }, t('loading')));
	s.appendChild(slot);
	const list = h('ol', { class: 'complaint-list card-complaints' });
	const none = h('p', { class: 'empty' }, t('complaints.none'));
	let form = null;
	const load = async (focusId) => {
		const doc = await viewData(ctx, slot, '/complaints', { contact: c.id }, t('complaints.unavailable'));
		if (!doc) return;
		const items = listOf(doc);
		list.replaceChildren(...items.map((x) => complaintItem({ ...x, contact: x.contact || { id: c.id, name: c.name } }, ctx, { contact: false, onChanged: (cid) => load(cid) })));
		none.hidden = items.length > 0;
		if (ctx.canWrite() && !form) {
			form = openForm(c, ctx, {
				onSaved: (made) => {
					list.prepend(complaintItem(made, ctx, { contact: false, onChanged: (cid) => load(cid) }));
					list.firstElementChild.classList.add('fresh');
					none.hidden = true;
				},
			});
		}
		slot.replaceChildren(...[form, none, list].filter(Boolean));
		if (focusId !== undefined) list.querySelector(`[data-complaint-id="${CSS.escape(String(focusId))}"]`)?.focus();
	};
	load();
	return s;
}

// ---- the agenda's block ----------------------------------------------------------

// Unanswered complaints for whoever is on duty, at the very top of the
// agenda: late ones in the warning style, each with a quick answer.
// Absent or empty: nothing.
export function agendaComplaints(list, ctx) {
	if (!Array.isArray(list) || !list.length) return null;
	const ol = h('ol', { class: 'complaint-list agenda-complaint-list' });
	const s = section('agenda-complaints', t('agenda.complaints'), ol, h('p', { class: 'to-complaints' }, h('a', { href: '#/complaints' }, t('complaints.all'))));
	const late = list.some((x) => x.state === 'late');
	if (late) s.classList.add('has-late');
	for (const x of list) {
		const st = ['near', 'late', 'waiting'].includes(x.state) ? x.state : 'waiting';
		const minutes = typeof x.minutes_waiting === 'number' ? x.minutes_waiting : minutesSince(x.opened_at);
		const target = typeof x.target_minutes === 'number' ? x.target_minutes : undefined;
		const li = h(
			'li',
			{ class: `agenda-complaint complaint state-${st}${st === 'late' ? ' late' : ''}`, dataset: { complaintId: String(x.id) } },
			h(
				'div',
				{ class: 'complaint-meta' },
				h('a', { class: 'complaint-contact name', href: `#/contact/${enc(x.contact.id)}` }, x.contact.name),
				waitingBadge(minutes, target, st === 'late'),
				st === 'near' ? badge(t('complaint.near'), 'soon near-mark') : null,
				x.duty ? h('span', { class: 'muted duty' }, t('complaint.duty', { who: x.duty })) : null,
			),
			h('blockquote', { class: 'complaint-text' }, x.text || ''),
		);
		if (ctx.canWrite()) {
			const d = disclosures();
			li.append(
				h(
					'div',
					{ class: 'complaint-actions' },
					d.button(t('complaint.answer'), { class: 'small primary answer-toggle', 'aria-label': t('complaint.answerTo', { name: x.contact.name }) }, (close) =>
						answerForm(x, {
							onCancel: close,
							onSaved: () => {
								const next = li.nextElementSibling || li.previousElementSibling;
								li.remove();
								if (!ol.children.length) {
									const heading = s.closest('.view')?.querySelector('h1');
									s.remove();
									heading?.focus();
								} else {
									(next.querySelector('button') || next.querySelector('a')).focus();
								}
							},
						}),
					),
				),
				d.slot,
			);
		} else {
			li.append(h('p', { class: 'complaint-actions' }, h('a', { href: '#/complaints' }, t('complaints.all'))));
		}
		ol.appendChild(li);
	}
	return s;
}

// ---- the page --------------------------------------------------------------------------

export async function complaintsView(root, ctx, params) {
	const since = DAY.test(params.get('since') || '') ? params.get('since') : '';
	const heading = h('h1', { tabindex: '-1' }, t('complaints.title'));
	const reportSlot = h('div', { class: 'complaint-report-slot', 'aria-busy': 'true' }, h('p', { class: 'loading' }, t('loading')));
	const slot = h('div', { class: 'complaints-page-slot', 'aria-busy': 'true' }, h('p', { class: 'loading' }, t('loading')));
	root.replaceChildren(h('header', { class: 'view-head' }, heading, h('p', { class: 'lead' }, t('complaints.lead'))), reportSlot, slot);
	ctx.focus(heading);

	const load = async (focusId, message) => {
		const [list, report] = await Promise.all([viewData(ctx, slot, '/complaints', null, t('complaints.unavailable')), viewData(ctx, reportSlot, '/complaints/report', { since: since || undefined }, t('complaints.reportUnavailable'))]);
		if (report) reportSlot.replaceChildren(reportBlock(report, ctx, since));
		if (!list) return;
		const target = report && typeof report.target_minutes === 'number' ? report.target_minutes : undefined;
		const items = listOf(list);
		const by = Object.fromEntries(STATES.map((s) => [s, []]));
		for (const x of items) (by[x.state] || by.waiting).push(x);
		// Late ones first, then the longest waiting.
		by.waiting.sort((a, b) => (b.late ? 1 : 0) - (a.late ? 1 : 0) || String(a.opened_at).localeCompare(String(b.opened_at)));
		by.answered.sort((a, b) => String(b.answered_at).localeCompare(String(a.answered_at)));
		by.resolved.sort((a, b) => String(b.resolved_at).localeCompare(String(a.resolved_at)));
		const onChanged = (cid, msg) => load(cid, msg);
		slot.replaceChildren(
			...STATES.map((st) => {
				const g = section(`group-${st}`, `${word('cgroup', st)} (${by[st].length})`);
				g.classList.add('complaint-group');
				g.appendChild(by[st].length ? h('ol', { class: 'complaint-list' }, by[st].map((x) => complaintItem(x, ctx, { target, onChanged }))) : h('p', { class: 'empty' }, t(`complaints.none.${st}`)));
				return g;
			}),
		);
		if (focusId !== undefined) slot.querySelector(`[data-complaint-id="${CSS.escape(String(focusId))}"]`)?.focus();
		if (message) announce(message);
	};
	await load();
}

// The report: the share answered in time, the median first response, and
// what the make-goods cost against what the clients kept have bought since.
function reportBlock(r, ctx, since) {
	const sinceInput = h('input', { type: 'date', name: 'since', value: since, class: 'short' });
	const filters = filterForm(ctx, '#/complaints', { class: 'filters complaint-filters' }, [field(t('complaints.since'), sinceInput).wrap, h('div', { class: 'field buttons' }, h('button', { type: 'submit' }, t('complaints.show')))]);
	const mg = r.make_goods || {};
	const kept = r.kept || {};
	const stat = (key, value, note) => h('div', { dataset: { stat: key } }, h('dt', null, t(`creport.${key}`)), h('dd', null, value), note ? h('dd', { class: 'stat-note' }, note) : null);
	return section(
		'complaint-report',
		r.since ? t('creport.titleSince', { date: fmtDay(r.since) }) : t('creport.title'),
		h(
			'dl',
			{ class: 'stats' },
			stat('inTime', fmtPct(r.share_in_time), t('creport.inTimeNote', { n: r.answered_in_time ?? 0, of: r.answered ?? 0, target: fmtMinutes(r.target_minutes) })),
			stat('median', fmtMinutes(r.median_first_response_minutes)),
			stat('count', String(r.count ?? 0), t('creport.answeredNote', { n: r.answered ?? 0 })),
			stat('makeGoods', fmtMoney(mg.cost, mg.currency), tn('creport.makeGoodsCount', mg.count ?? 0)),
			stat('kept', fmtMoney(kept.revenue, kept.currency), tn('creport.keptClients', kept.clients ?? 0)),
		),
		filters,
	);
}
