// Quick entry forms shared by the agenda and the card, and the filter forms
// of the views.

import { api, enc } from './api.js';
import { field, h, id } from './dom.js';
import { t } from './i18n.js';
import { errorBox } from './errors.js';

export const TOUCH_KINDS = ['call', 'meeting', 'message', 'visit', 'email', 'note'];

// The required fields left empty are marked, and the first of them takes
// the focus: true when one was.
export function missing(...inputs) {
	const empty = inputs.filter((input) => !input.value.trim());
	for (const input of inputs) {
		if (empty.includes(input)) input.setAttribute('aria-invalid', 'true');
		else input.removeAttribute('aria-invalid');
	}
	if (empty.length) empty[0].focus();
	return empty.length > 0;
}

// Runs a submission: disables the form while the request runs (its button
// saying busy) and shows the error inside the form.
export async function submitting(form, errSlot, run, busy = t('saving')) {
	const buttons = form.querySelectorAll('button, input, select, textarea');
	const submit = form.querySelector('button[type=submit]');
	const label = submit ? submit.textContent : '';
	buttons.forEach((b) => (b.disabled = true));
	if (submit) submit.textContent = busy;
	errSlot.replaceChildren();
	try {
		return await run();
	} catch (e) {
		if (e && e.status === 401) return undefined;
		errSlot.replaceChildren(errorBox(e));
		return undefined;
	} finally {
		buttons.forEach((b) => (b.disabled = false));
		if (submit) submit.textContent = label;
	}
}

// A labelled checkbox: {box, wrap}.
export function checkField(name, label) {
	const box = h('input', { type: 'checkbox', name, id: id(name) });
	return { box, wrap: h('div', { class: 'field check' }, box, h('label', { for: box.id }, label)) };
}

// A quick form: its legend, the fields, the place for its error, the
// submit button (red when danger) and, with onCancel, a Cancel button and
// Escape to cancel.
export function quickForm(cls, legend, fields, err, { submit, onCancel, danger } = {}) {
	const form = h(
		'form',
		{ class: `quick ${cls}`, novalidate: true },
		h(
			'fieldset',
			null,
			h('legend', null, legend),
			fields,
			err,
			h(
				'div',
				{ class: 'actions' },
				h('button', { type: 'submit', class: danger ? 'danger' : 'primary' }, submit),
				onCancel ? h('button', { type: 'button', class: 'ghost', onclick: () => onCancel() }, t('cancel')) : null,
			),
		),
	);
	if (onCancel) {
		form.addEventListener('keydown', (ev) => {
			if (ev.key === 'Escape') {
				ev.preventDefault();
				ev.stopPropagation();
				onCancel();
			}
		});
	}
	return form;
}

// "Log a touch": kind, minutes, summary -> POST .../interactions.
// onSaved(result, sent) gets the answer and what was sent.
export function touchForm(contact, { onSaved, onCancel } = {}) {
	const kind = h(
		'select',
		{ name: 'kind' },
		TOUCH_KINDS.map((k) => h('option', { value: k }, t(`kind.${k}`))),
	);
	const minutes = h('input', { name: 'minutes', type: 'number', min: '0', max: '1440', step: '1', inputmode: 'numeric', class: 'short' });
	const summary = h('input', { name: 'summary', type: 'text', maxlength: '2000', autocomplete: 'off', placeholder: t('touch.summaryHint') });
	const err = h('div', { class: 'form-error' });
	const form = h(
		'form',
		{ class: 'quick touch-form', novalidate: true },
		h(
			'fieldset',
			null,
			h('legend', null, t('touch.legend', { name: contact.name })),
			h('div', { class: 'row' }, field(t('touch.kind'), kind).wrap, field(t('touch.minutes'), minutes).wrap),
			field(t('touch.summary'), summary).wrap,
			err,
			h(
				'div',
				{ class: 'actions' },
				h('button', { type: 'submit', class: 'primary' }, t('save')),
				onCancel ? h('button', { type: 'button', class: 'ghost', onclick: () => onCancel() }, t('cancel')) : null,
			),
		),
	);
	form.addEventListener('keydown', (ev) => {
		if (ev.key === 'Escape' && onCancel) {
			ev.preventDefault();
			onCancel();
		}
	});
	form.addEventListener('submit', async (ev) => {
		ev.preventDefault();
		const body = { kind: kind.value };
		const m = minutes.value.trim();
		if (m !== '') {
			const n = Number(m);
			if (!Number.isInteger(n) || n < 0) {
				minutes.setAttribute('aria-invalid', 'true');
				minutes.focus();
				return;
			}
			body.minutes = n;
		}
		minutes.removeAttribute('aria-invalid');
		const s = summary.value.trim();
		if (s) body.summary = s;
		const res = await submitting(form, err, () => api('POST', `/contacts/${enc(contact.id)}/interactions`, { body }));
		if (res) {
			summary.value = '';
			minutes.value = '';
			if (onSaved) onSaved(res, body);
		}
	});
	form.focusFirst = () => kind.focus();
	return form;
}

// "Remember a fact": text and an optional follow-up date.
export function factForm(contact, { onSaved } = {}) {
	const text = h('input', { name: 'text', type: 'text', required: true, maxlength: '2000', autocomplete: 'off', placeholder: t('card.factHint') });
	const follow = h('input', { name: 'follow_up', type: 'date', class: 'short' });
	const err = h('div', { class: 'form-error' });
	const form = h(
		'form',
		{ class: 'quick fact-form', novalidate: true },
		h(
			'fieldset',
			null,
			h('legend', null, t('card.addFact')),
			field(t('card.factText'), text).wrap,
			field(t('card.factFollowUp'), follow).wrap,
			err,
			h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'primary' }, t('save'))),
		),
	);
	form.addEventListener('submit', async (ev) => {
		ev.preventDefault();
		if (missing(text)) return;
		const body = { text: text.value.trim() };
		if (follow.value) body.follow_up = follow.value;
		const res = await submitting(form, err, () => api('POST', `/contacts/${enc(contact.id)}/facts`, { body }));
		if (res) {
			text.value = '';
			follow.value = '';
			if (onSaved) onSaved(res, body);
			text.focus();
		}
	});
	return form;
}

// A filter form that shows its choices by going to base with them in the
// address, so that a view can be bookmarked and reloaded: every named
// control that has a value (a ticked box as 1), after the fixed ones.
export function filterForm(ctx, base, attrs, children, fixed = {}) {
	const form = h('form', attrs, children);
	form.addEventListener('submit', (ev) => {
		ev.preventDefault();
		const p = new URLSearchParams(fixed);
		for (const el of form.elements) {
			if (!el.name) continue;
			const v = el.type === 'checkbox' ? (el.checked ? '1' : '') : el.value.trim();
			if (v) p.set(el.name, v);
		}
		const q = p.toString();
		ctx.go(`${base}${q ? `?${q}` : ''}`);
	});
	return form;
}
