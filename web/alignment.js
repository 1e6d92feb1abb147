// Alignment: how close a client's values are to the company's own.  The
// value profile (#/profile: the dimensions the company describes itself on,
// presets, and what the best clients suggest), the card's Alignment section
// (score, reasons, the client's traits and the "best client" mark) and the
// report (#/alignment: the spread of scores and how each group fares).

import { api, enc } from './api.js';
import { chartFigure, drawHistogram } from './charts.js';
import { announce, badge, field, fmtMoney, fmtNum, fmtPct, fmtTime, h, section } from './dom.js';
import { errorBox, viewData } from './errors.js';
import { missing, quickForm, submitting } from './forms.js';
import { locale, t, tn, word } from './i18n.js';
import { scoreMeter } from './trust.js';

export const VERDICTS = ['ours', 'maybe', 'not ours', 'unknown'];
const slug = (s) => String(s || '').replace(/[^a-z0-9]+/gi, '-').toLowerCase();

export function verdictBadge(verdict) {
	if (!verdict) return null;
	return badge(word('verdict', verdict), `verdict verdict-${slug(verdict)}`);
}

// -0.35 as "−0.35", +0.8 as "+0.80": positions and scores read with a sign.
export function signed(v) {
	const n = Number(v);
	if (v === null || v === undefined || !Number.isFinite(n)) return t('none');
	return new Intl.NumberFormat(locale(), { maximumFractionDigits: 2, minimumFractionDigits: 2, signDisplay: 'exceptZero' }).format(n);
}

export function alignMeter(score) {
	return scoreMeter(score, 'align.scoreOf');
}

// Where a value lies between two poles, in words: "0.80, towards quality first".
function poleText(v, dim) {
	const n = Number(v);
	if (!Number.isFinite(n)) return t('none');
	if (!dim || Math.abs(n) < 0.15) return t('align.middle', { v: signed(n) });
	return t('align.towards', { v: signed(n), pole: n < 0 ? dim.left || '−1' : dim.right || '+1' });
}

// A slider from min to max with the number it stands at beside it, and its
// poles on either side when it has them.  {wrap, input}.
function slider(name, label, value, { min, max, left, right, disabled }) {
	const input = h('input', { type: 'range', name, min: String(min), max: String(max), step: '0.05', value: String(value ?? 0), disabled });
	const out = h('output', { class: 'slider-value', for: input.id || '' });
	const paint = () => {
		const v = Number(input.value);
		out.textContent = min < 0 ? signed(v) : fmtNum(v, 2);
		input.setAttribute('aria-valuetext', min < 0 ? poleText(v, { left, right }) : fmtNum(v, 2));
	};
	input.addEventListener('input', paint);
	const f = field(label, input);
	out.setAttribute('for', input.id);
	paint();
	const track = h('div', { class: 'slider' }, left !== undefined ? h('span', { class: 'pole pole-left', 'aria-hidden': 'true' }, left || '−1') : null, input, right !== undefined ? h('span', { class: 'pole pole-right', 'aria-hidden': 'true' }, right || '+1') : null);
	f.wrap.replaceChildren(f.wrap.firstChild, track, out);
	f.wrap.classList.add('slider-field');
	return { wrap: f.wrap, input, paint };
}

// The poles' labels beside a position slider follow what is typed.
function followPoles(pos, left, right) {
	const poles = () => {
		pos.wrap.querySelector('.pole-left').textContent = left.value || '−1';
		pos.wrap.querySelector('.pole-right').textContent = right.value || '+1';
	};
	left.addEventListener('input', poles);
	right.addEventListener('input', poles);
}

// The reasons for and against, each list only when it has any.
export function reasonLists(forList, against) {
	const list = (cls, title, items) => (items && items.length ? h('div', { class: `align-reasons ${cls}` }, h('h3', null, title), h('ul', null, items.map((r) => h('li', null, r)))) : null);
	// Only the lists there are: a null spread into replaceChildren would
	// show as the text "null".
	return [list('reasons-for', t('align.for'), forList), list('reasons-against', t('align.against'), against)].filter(Boolean);
}

// The groups table of the suggestion and of the report: per verdict, how
// many clients and how they fare.
export function groupsTable(groups) {
	return h(
		'div',
		{ class: 'table-scroll' },
		h(
			'table',
			{ class: 'report align-groups' },
			h(
				'thead',
				null,
				h('tr', null, h('th', { scope: 'col' }, t('align.verdict')), ['clients', 'meanClv', 'complaints', 'meanTrust'].map((k) => h('th', { scope: 'col', class: 'num' }, t(`align.col.${k}`)))),
			),
			h(
				'tbody',
				null,
				groups.map((g) =>
					h(
						'tr',
						{ dataset: { verdict: String(g.verdict) } },
						h('th', { scope: 'row' }, verdictBadge(g.verdict)),
						h('td', { class: 'num clients' }, String(g.clients ?? 0)),
						h('td', { class: 'num mean-clv' }, fmtMoney(g.mean_clv)),
						h('td', { class: 'num complaints' }, fmtNum(g.complaints_per_client, 2)),
						h('td', { class: 'num mean-trust' }, signed(g.mean_trust)),
					),
				),
			),
		),
	);
}

// ---- the profile ---------------------------------------------------------------------

const canManage = (ctx) => !!ctx.user && (ctx.user.role === 'manager' || ctx.user.role === 'owner');

export async function profileView(root, ctx) {
	const heading = h('h1', { tabindex: '-1' }, t('profile.title'));
	const slot = h('div', { class: 'profile-slot', 'aria-busy': 'true' }, h('p', { class: 'loading' }, t('loading')));
	root.replaceChildren(h('header', { class: 'view-head' }, heading, h('p', { class: 'lead' }, t('profile.lead')), h('p', { class: 'subnav' }, h('a', { href: '#/alignment' }, t('align.reportLink')), h('a', { href: '#/intake' }, t('nav.intake')))), slot);
	ctx.focus(heading);
	const doc = await viewData(ctx, slot, '/profile', null, t('profile.unavailable'));
	if (!doc) return;
	const manage = canManage(ctx);
	let dims = doc.dimensions || [];
	const presets = doc.presets || [];

	const list = h('div', { class: 'dimension-list' });
	const none = h('p', { class: 'empty' }, t('profile.none'));
	const paint = (focusKey) => {
		list.replaceChildren(...dims.map((d) => dimensionForm(d)));
		none.hidden = dims.length > 0;
		if (focusKey) list.querySelector(`[data-dimension="${CSS.escape(focusKey)}"] input[type=range]`)?.focus();
	};

	// One dimension: its poles, its question, where we stand and how much it
	// matters; saved as a whole.
	function dimensionForm(d) {
		const ro = !manage;
		const left = h('input', { type: 'text', name: 'left', maxlength: '200', value: d.left || '', readonly: ro });
		const right = h('input', { type: 'text', name: 'right', maxlength: '200', value: d.right || '', readonly: ro });
		const question = h('textarea', { name: 'question', rows: '2', maxlength: '1000', readonly: ro });
		question.value = d.question || '';
		const pos = slider('position', t('profile.position'), d.position, { min: -1, max: 1, left: d.left, right: d.right, disabled: ro });
		const weight = slider('weight', t('profile.weight'), d.weight, { min: 0, max: 1, disabled: ro });
		followPoles(pos, left, right);
		const err = h('div', { class: 'form-error' });
		const fields = [pos.wrap, weight.wrap, h('div', { class: 'row' }, field(t('profile.left'), left).wrap, field(t('profile.right'), right).wrap), field(t('profile.question'), question, t('profile.questionHint')).wrap];
		const legend = h('span', null, h('code', { class: 'dim-key' }, d.key));
		if (ro) return h('fieldset', { class: 'dimension', dataset: { dimension: d.key } }, h('legend', null, legend), fields);
		const form = quickForm('dimension-form', legend, fields, err, { submit: t('profile.save') });
		form.dataset.dimension = d.key;
		const confirmSlot = h('div', { class: 'confirm-slot' });
		const rm = h('button', { type: 'button', class: 'ghost remove-dimension', 'aria-label': t('profile.removeLabel', { key: d.key }) }, t('profile.remove'));
		rm.addEventListener('click', () => {
			confirmSlot.replaceChildren(
				confirmBox(t('profile.removeConfirm', { key: d.key }), t('profile.removeYes'), async (box, boxErr) => {
					const res = await submitting(box, boxErr, () => api('DELETE', `/profile/${enc(d.key)}`));
					if (res === undefined) return;
					dims = dims.filter((x) => x.key !== d.key);
					paint();
					announce(t('profile.removed', { key: d.key }));
					heading.focus();
				}, () => {
					confirmSlot.replaceChildren();
					rm.focus();
				}),
			);
		});
		form.querySelector('.actions').appendChild(rm);
		form.appendChild(confirmSlot);
		form.addEventListener('submit', async (ev) => {
			ev.preventDefault();
			const body = { position: Number(pos.input.value), weight: Number(weight.input.value), left: left.value.trim(), right: right.value.trim(), question: question.value.trim() };
			const res = await submitting(form, err, () => api('PUT', `/profile/${enc(d.key)}`, { body }));
			if (!res) return;
			Object.assign(d, body, res);
			announce(t('profile.saved', { key: d.key }));
		});
		return form;
	}

	// A new dimension.
	function addForm() {
		const key = h('input', { type: 'text', name: 'key', required: true, maxlength: '40', autocomplete: 'off', autocapitalize: 'none', spellcheck: 'false' });
		const left = h('input', { type: 'text', name: 'left', required: true, maxlength: '200' });
		const right = h('input', { type: 'text', name: 'right', required: true, maxlength: '200' });
		const question = h('textarea', { name: 'question', rows: '2', maxlength: '1000' });
		const pos = slider('position', t('profile.position'), 0, { min: -1, max: 1, left: '', right: '' });
		const weight = slider('weight', t('profile.weight'), 0.5, { min: 0, max: 1 });
		followPoles(pos, left, right);
		const err = h('div', { class: 'form-error' });
		const form = quickForm('add-dimension-form', t('profile.add'), [field(t('profile.key'), key, t('profile.keyHint')).wrap, h('div', { class: 'row' }, field(t('profile.left'), left).wrap, field(t('profile.right'), right).wrap), field(t('profile.question'), question, t('profile.questionHint')).wrap, pos.wrap, weight.wrap], err, { submit: t('profile.addSubmit') });
		form.addEventListener('submit', async (ev) => {
			ev.preventDefault();
			if (missing(key, left, right)) return;
			const k = key.value.trim();
			if (!/^[a-z0-9][a-z0-9_-]*$/.test(k) || dims.some((x) => x.key === k)) {
				key.setAttribute('aria-invalid', 'true');
				err.replaceChildren(errorBox({ message: t(dims.some((x) => x.key === k) ? 'profile.keyTaken' : 'profile.keyBad', { key: k }) }));
				key.focus();
				return;
			}
			const body = { position: Number(pos.input.value), weight: Number(weight.input.value), left: left.value.trim(), right: right.value.trim(), question: question.value.trim() };
			const res = await submitting(form, err, () => api('PUT', `/profile/${enc(k)}`, { body }));
			if (!res) return;
			dims = dims.concat([{ key: k, ...body, ...res }]);
			for (const el of [key, left, right, question]) el.value = '';
			paint(k);
			announce(t('profile.added', { key: k }));
		});
		return form;
	}

	// A preset replaces the whole profile: asked twice.
	function presetForm() {
		const pick = h('select', { name: 'preset' }, presets.map((p) => h('option', { value: p.key }, `${p.name || p.key} (${tn('dimensions', p.dimensions ?? 0)})`)));
		const err = h('div', { class: 'form-error' });
		const confirmSlot = h('div', { class: 'confirm-slot' });
		const form = quickForm('preset-form', t('profile.preset'), [field(t('profile.presetPick'), pick, t('profile.presetHint')).wrap], err, { submit: t('profile.presetApply') });
		form.appendChild(confirmSlot);
		form.addEventListener('submit', (ev) => {
			ev.preventDefault();
			const p = presets.find((x) => x.key === pick.value);
			if (!p) return;
			confirmSlot.replaceChildren(
				confirmBox(t('profile.presetConfirm', { name: p.name || p.key, now: tn('dimensions', dims.length) }), t('profile.presetYes'), async (box, boxErr) => {
					const res = await submitting(box, boxErr, () => api('POST', '/profile/preset', { body: { preset: p.key } }));
					if (!res) return;
					confirmSlot.replaceChildren();
					dims = res.dimensions || [];
					paint();
					announce(t('profile.presetDone', { name: p.name || p.key }));
					list.querySelector('input[type=range]')?.focus();
				}, () => {
					confirmSlot.replaceChildren();
					pick.focus();
				}),
			);
		});
		return form;
	}

	const learn = learnSection(ctx, () => dims, (d) => {
		const i = dims.findIndex((x) => x.key === d.key);
		if (i >= 0) dims[i] = { ...dims[i], ...d };
		paint(d.key);
	});
	paint();
	slot.replaceChildren(
		...[
			manage && presets.length ? section('presets', t('profile.presets'), presetForm()) : null,
			section('dimensions', t('profile.dimensions'), manage ? null : h('p', { class: 'hint' }, t('profile.readOnly')), none, list, manage ? addForm() : null),
			learn,
		].filter(Boolean),
	);
}

// "Are you sure?" inside the page (no dialogs): a note with a danger button
// that runs yes(box, errSlot), and Cancel (or Escape).
function confirmBox(text, yesLabel, yes, cancel) {
	const err = h('div', { class: 'form-error' });
	const yesBtn = h('button', { type: 'button', class: 'danger confirm-yes' }, yesLabel);
	const box = h('div', { class: 'confirm', role: 'group', 'aria-label': text }, h('p', null, text), err, h('div', { class: 'actions' }, yesBtn, h('button', { type: 'button', class: 'ghost', onclick: cancel }, t('cancel'))));
	yesBtn.addEventListener('click', () => yes(box, err));
	box.addEventListener('keydown', (ev) => {
		if (ev.key === 'Escape') {
			ev.preventDefault();
			ev.stopPropagation();
			cancel();
		}
	});
	setTimeout(() => yesBtn.focus(), 0);
	return box;
}

// What the best clients suggest, beside where we stand now, each to apply;
// and how the current profile sorts the past clients.
function learnSection(ctx, current, applied) {
	const slot = h('div', { class: 'learn-slot' });
	const btn = h('button', { type: 'button', class: 'learn-now' }, t('learn.button'));
	btn.addEventListener('click', async () => {
		btn.disabled = true;
		const doc = await viewData(ctx, slot, '/profile/suggest', null, t('learn.unavailable'));
		btn.disabled = false;
		if (!doc) return;
		const byKey = Object.fromEntries(current().map((d) => [d.key, d]));
		const sugg = doc.suggested || [];
		const rows = sugg.map((s) => {
			const d = byKey[s.key];
			const err = h('div', { class: 'form-error' });
			const cell = h('td', { class: 'apply-cell' });
			if (canManage(ctx) && d) {
				const b = h('button', { type: 'button', class: 'small apply-suggestion', 'aria-label': t('learn.applyLabel', { key: s.key }) }, t('learn.apply'));
				b.addEventListener('click', async () => {
					b.disabled = true;
					err.replaceChildren();
					const body = { position: Number(s.position), weight: Number(s.weight), left: d.left || '', right: d.right || '', question: d.question || '' };
					let res;
					try {
						res = await api('PUT', `/profile/${enc(s.key)}`, { body });
					} catch (e) {
						b.disabled = false;
						if (e.status !== 401) err.replaceChildren(errorBox(e));
						return;
					}
					applied({ ...d, ...body, ...res });
					b.replaceWith(h('span', { class: 'applied' }, t('learn.applied')));
					announce(t('learn.appliedKey', { key: s.key }));
				});
				cell.append(b, err);
			}
			return h(
				'tr',
				{ dataset: { dimension: String(s.key) } },
				h('th', { scope: 'row' }, d && d.left && d.right ? `${d.left} ↔ ${d.right}` : s.key),
				h('td', { class: 'num position' }, `${d ? signed(d.position) : t('none')} → ${signed(s.position)}`),
				h('td', { class: 'num weight' }, `${d ? fmtNum(d.weight, 2) : t('none')} → ${fmtNum(s.weight, 2)}`),
				cell,
			);
		});
		const cols = ['dimension', 'position', 'weight', 'action'];
		slot.replaceChildren(
			h('p', { class: 'learn-from' }, t(doc.from === 'marked' ? 'learn.fromMarked' : 'learn.fromValue', { clients: tn('clients', doc.clients ?? 0) })),
			sugg.length
				? h('div', { class: 'table-scroll' }, h('table', { class: 'report suggestions' }, h('thead', null, h('tr', null, cols.map((k, i) => h('th', { scope: 'col', class: i && i < 3 ? 'num' : null }, t(`learn.col.${k}`))))), h('tbody', null, rows)))
				: h('p', { class: 'empty' }, t('learn.noSuggestion')),
			h('h3', null, t('learn.sorted')),
			h('p', { class: 'hint' }, t('learn.sortedHint')),
			(doc.sorted || []).length ? groupsTable(doc.sorted) : h('p', { class: 'empty' }, t('align.noGroups')),
		);
		slot.querySelector('.learn-from').setAttribute('tabindex', '-1');
		slot.querySelector('.learn-from').focus();
	});
	return section('learn', t('learn.title'), h('p', { class: 'hint' }, t('learn.intro')), h('div', { class: 'actions' }, btn), slot);
}

// ---- the card -----------------------------------------------------------------------

// The card's Alignment section from the card's "alignment" (null: no value
// profile yet; absent: a server that does not score, and no section).  The
// traits come from GET /contacts/{id}/traits; setting one draws the
// alignment again from GET /contacts/{id}/alignment.
export function alignmentSection(c, ctx) {
	if (!('alignment' in c)) return null;
	const s = section('alignment', t('align.section'));
	if (!c.alignment) {
		s.append(h('p', { class: 'empty align-none' }, t('align.noProfile'), ' ', h('a', { href: '#/profile' }, t('align.toProfile'))));
		return s;
	}
	const summary = h('div', { class: 'align-summary' });
	paintAlignment(summary, c.alignment);
	s.append(summary, bestToggle(c, ctx));
	const traitsSlot = h('div', { class: 'traits-slot' }, h('p', { class: 'loading' }, t('loading')));
	s.append(h('h3', null, t('traits.title')), traitsSlot);
	let dims = [];
	let form = null;
	const refresh = async () => {
		try {
			const a = await api('GET', `/contacts/${enc(c.id)}/alignment`, { signal: ctx.signal });
			if (ctx.alive()) paintAlignment(summary, a);
		} catch (e) {
			if (e.name !== 'AbortError' && e.status !== 401 && ctx.alive()) summary.append(errorBox(e));
		}
	};
	const load = async () => {
		const doc = await viewData(ctx, traitsSlot, `/contacts/${enc(c.id)}/traits`, null, t('traits.unavailable'));
		if (!doc) return;
		const traits = doc.traits || [];
		const dimOf = Object.fromEntries(dims.map((d) => [d.key, d]));
		traitsSlot.replaceChildren(
			traits.length
				? h(
						'ul',
						{ class: 'trait-list' },
						traits.map((tr) =>
							h(
								'li',
								{ class: 'trait', dataset: { dimension: String(tr.dimension) } },
								h('span', { class: 'trait-dim' }, dimLabel(tr.dimension, dimOf[tr.dimension])),
								' ',
								h('span', { class: 'trait-value' }, poleText(tr.value, dimOf[tr.dimension])),
								' ',
								badge(word('source', tr.source), `source source-${slug(tr.source)}`),
								h('span', { class: 'muted trait-meta' }, [tr.by ? t('card.by', { who: tr.by }) : null, tr.set_at ? fmtTime(tr.set_at) : null].filter(Boolean).join(' · ')),
							),
						),
					)
				: h('p', { class: 'empty' }, t('traits.none')),
		);
	};
	(async () => {
		// The profile gives the dimensions to choose from and their poles.
		try {
			const p = await api('GET', '/profile', { signal: ctx.signal });
			dims = p.dimensions || [];
		} catch (e) {
			if (e.name === 'AbortError') return;
			dims = (c.alignment.dimensions || []).map((d) => ({ key: d.key }));
		}
		if (!ctx.alive()) return;
		await load();
		if (ctx.canWrite() && !form && dims.length) {
			form = traitForm(c, dims, async (res) => {
				announce(t('traits.saved', { key: res.dimension || '' }));
				await Promise.all([load(), refresh()]);
			});
			s.appendChild(form);
		}
	})();
	return s;
}

function dimLabel(key, d) {
	return d && d.left && d.right ? `${d.left} ↔ ${d.right}` : key;
}

function paintAlignment(el, a) {
	const rows = [
		['score', t('align.score'), alignMeter(a.score), ' ', verdictBadge(a.verdict)],
		['coverage', t('align.coverage'), fmtPct(a.coverage)],
	];
	const dims = a.dimensions || [];
	el.replaceChildren(
		h('dl', { class: 'trust-facts align-facts' }, rows.map(([k, label, ...v]) => h('div', { dataset: { align: k } }, h('dt', null, label), h('dd', null, v)))),
		...reasonLists(a.for, a.against),
		dims.length
			? h(
					'div',
					{ class: 'table-scroll' },
					h(
						'table',
						{ class: 'report align-dimensions' },
						h('thead', null, h('tr', null, ['dimension', 'company', 'client', 'weight', 'agreement'].map((k, i) => h('th', { scope: 'col', class: i ? 'num' : null }, t(`align.col.${k}`))))),
						h(
							'tbody',
							null,
							dims.map((d) =>
								h(
									'tr',
									{ dataset: { dimension: String(d.key) } },
									h('th', { scope: 'row' }, d.key),
									h('td', { class: 'num company' }, signed(d.company)),
									h('td', { class: 'num client' }, d.client === null || d.client === undefined ? t('align.unknownTrait') : signed(d.client)),
									h('td', { class: 'num weight' }, fmtNum(d.weight, 2)),
									h('td', { class: 'num agreement' }, d.agreement === null || d.agreement === undefined ? t('none') : signed(d.agreement)),
								),
							),
						),
					),
				)
			: null,
	);
}

// "One of our best clients": a toggle (PUT / DELETE …/best).  Whether the
// client is marked comes from the card's or the alignment's "best", when
// the server says it.
function bestToggle(c, ctx) {
	let on = !!(c.best ?? (c.alignment && c.alignment.best));
	const err = h('div', { class: 'form-error' });
	const b = h('button', { type: 'button', class: 'best-toggle', 'aria-pressed': String(on), disabled: !ctx.canWrite() }, t('align.best'));
	b.addEventListener('click', async () => {
		b.disabled = true;
		err.replaceChildren();
		try {
			await api(on ? 'DELETE' : 'PUT', `/contacts/${enc(c.id)}/best`, on ? {} : { body: {} });
			on = !on;
			b.setAttribute('aria-pressed', String(on));
			announce(t(on ? 'align.bestOn' : 'align.bestOff', { name: c.name }));
		} catch (e) {
			if (e.status !== 401) err.replaceChildren(errorBox(e));
		} finally {
			b.disabled = false;
		}
	});
	return h('div', { class: 'best' }, b, h('small', { class: 'hint' }, t('align.bestHint')), err);
}

// "Set a trait": the dimension, where the client stands, set by a person.
function traitForm(c, dims, onSaved) {
	const dim = h('select', { name: 'dimension' }, dims.map((d) => h('option', { value: d.key }, dimLabel(d.key, d))));
	const holder = h('div', { class: 'trait-slider' });
	let value = null;
	const drawSlider = () => {
		const d = dims.find((x) => x.key === dim.value) || {};
		const was = value ? value.input.value : 0;
		value = slider('value', t('traits.value'), was, { min: -1, max: 1, left: d.left || '', right: d.right || '' });
		holder.replaceChildren(value.wrap);
	};
	dim.addEventListener('change', drawSlider);
	drawSlider();
	const err = h('div', { class: 'form-error' });
	const form = quickForm('trait-form', t('traits.legend', { name: c.name }), [field(t('traits.dimension'), dim).wrap, holder, h('p', { class: 'hint' }, t('traits.byPerson'))], err, { submit: t('traits.submit') });
	form.addEventListener('submit', async (ev) => {
		ev.preventDefault();
		const body = { value: Number(value.input.value), source: 'person' };
		const res = await submitting(form, err, () => api('PUT', `/contacts/${enc(c.id)}/traits/${enc(dim.value)}`, { body }));
		if (!res) return;
		await onSaved({ dimension: dim.value, ...res });
		dim.focus();
	});
	return form;
}

// ---- the report ----------------------------------------------------------------------

export async function alignmentView(root, ctx) {
	const heading = h('h1', { tabindex: '-1' }, t('align.title'));
	const chart = chartFigure(t('align.distribution'), 'align-chart');
	const slot = h('div', { class: 'align-slot', 'aria-busy': 'true' }, h('p', { class: 'loading' }, t('loading')));
	root.replaceChildren(h('header', { class: 'view-head' }, heading, h('p', { class: 'lead' }, t('align.lead')), h('p', { class: 'subnav' }, h('a', { href: '#/profile' }, t('nav.profile')))), slot);
	ctx.focus(heading);
	const doc = await viewData(ctx, slot, '/alignment/report', null, t('align.unavailable'));
	if (!doc) return;
	const dist = doc.distribution || {};
	const edges = dist.edges || [];
	const counts = dist.counts || [];
	const groups = doc.groups || [];
	const drawn = counts.length && edges.length >= counts.length;
	slot.replaceChildren(drawn ? chart.fig : h('p', { class: 'empty' }, t('align.noScores')), section('align-groups', t('align.groups'), h('p', { class: 'hint' }, t('align.groupsHint')), groups.length ? groupsTable(groups) : h('p', { class: 'empty' }, t('align.noGroups'))));
	if (drawn) drawHistogram(chart, edges, counts);
}

