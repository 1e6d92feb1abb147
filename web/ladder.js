// The permission ladder on the client card: where the client stands, the
// moves that took them there, and (for staff) moving them; and their
// consents, each withdrawn with one click.  A consent given or withdrawn
// may move the client, so the two sections refresh together.

import { api, enc } from './api.js';
import { announce, badge, field, fmtTime, h, id, section } from './dom.js';
import { errorBox } from './errors.js';
import { missing } from './forms.js';
import { t, word } from './i18n.js';

export const STAGES = ['stranger', 'attention', 'yes', 'dialogue', 'trust', 'customer', 'advocate'];
const CHANNELS = ['email', 'phone', 'sms', 'messenger', 'post'];
const PURPOSES = ['service', 'news', 'offers', 'surveys'];
const HOWS = ['call', 'form', 'in_person'];
const SHOWN_MOVES = 5;

// A stage as people read it: the name the business gave it, else ours.
export function stageName(s) {
	return s.label && s.label !== s.stage ? s.label : t(`stage.${s.stage}`);
}

// Both sections for contact c: [stage, consent].
export function ladderSections(c, ctx) {
	const stage = section('stage', t('ladder.title'));
	const consent = section('consent', t('consent.title'));
	const stageBody = h('div', { 'aria-busy': 'true' }, h('p', { class: 'loading' }, t('loading')));
	const consentBody = h('div', { 'aria-busy': 'true' }, h('p', { class: 'loading' }, t('loading')));
	stage.appendChild(stageBody);
	consent.appendChild(consentBody);
	const base = `/contacts/${enc(c.id)}`;
	const canWrite = ctx.canWrite();

	const showStage = (doc) => {
		stageBody.removeAttribute('aria-busy');
		stageBody.replaceChildren(...stageParts(doc, canWrite, base, showStage));
	};
	const showConsent = (doc) => {
		consentBody.removeAttribute('aria-busy');
		consentBody.replaceChildren(...consentParts(c, doc, canWrite, base, refresh));
	};
	async function load(path, body, show) {
		try {
			const doc = await api('GET', path, { signal: ctx.signal });
			if (ctx.alive()) show(doc);
		} catch (e) {
			if (!ctx.alive() || e.name === 'AbortError' || e.status === 401) return;
			body.removeAttribute('aria-busy');
			body.replaceChildren(errorBox(e, () => load(path, body, show)));
		}
	}
	function refresh() {
		load(`${base}/stage`, stageBody, showStage);
		load(`${base}/consent`, consentBody, showConsent);
	}
	refresh();
	return [stage, consent];
}

// ---- the stage ------------------------------------------------------------

function stageParts(doc, canWrite, base, show) {
	const stages = doc.stages || STAGES.map((s) => ({ stage: s, label: s }));
	const rungs = h(
		'ol',
		{ class: 'ladder', 'aria-label': t('ladder.title') },
		stages.map((s) => h('li', { class: s.stage === doc.stage ? 'rung current' : 'rung', 'aria-current': s.stage === doc.stage ? 'step' : null }, stageName(s))),
	);
	const byKey = Object.fromEntries(stages.map((s) => [s.stage, s]));
	const name = (k) => (byKey[k] ? stageName(byKey[k]) : k);
	const moves = doc.moves || [];
	const list = h(
		'ol',
		{ class: 'moves' },
		moves.slice(0, SHOWN_MOVES).map((m) =>
			h(
				'li',
				{ class: 'move' },
				h('div', { class: 'move-meta' }, h('time', { datetime: m.at }, fmtTime(m.at)), badge(word('cause', m.cause), `cause cause-${m.cause}`), m.by ? h('span', { class: 'muted' }, t('card.by', { who: m.by })) : null),
				h('p', { class: 'move-what' }, `${name(m.from)} → ${name(m.to)}`, m.why ? h('span', { class: 'muted' }, ` · ${m.why}`) : null),
			),
		),
	);
	const parts = [
		h('p', { class: 'stage-now' }, t('ladder.now'), ' ', h('strong', { class: 'stage-name' }, name(doc.stage))),
		rungs,
		h('h3', null, t('ladder.history')),
		moves.length ? list : h('p', { class: 'empty' }, t('ladder.noMoves')),
		moves.length > SHOWN_MOVES ? h('p', { class: 'muted' }, t('ladder.more', { n: moves.length - SHOWN_MOVES })) : null,
	];
	if (canWrite) parts.push(moveForm(doc, stages, base, show));
	return parts.filter(Boolean);
}

function moveForm(doc, stages, base, show) {
	const to = h(
		'select',
		{ name: 'to' },
		stages.map((s) => h('option', { value: s.stage, selected: s.stage === doc.stage }, stageName(s))),
	);
	const why = h('input', { name: 'why', type: 'text', maxlength: '2000', autocomplete: 'off', required: true, placeholder: t('ladder.whyHint') });
	const evidence = h('input', { name: 'evidence', type: 'text', maxlength: '2000', autocomplete: 'off' });
	const err = h('div', { class: 'form-error' });
	const submit = h('button', { type: 'submit', class: 'primary' }, t('ladder.submit'));
	const form = h(
		'form',
		{ class: 'quick stage-form', novalidate: true },
		h('fieldset', null, h('legend', null, t('ladder.move')), field(t('ladder.to'), to).wrap, field(t('ladder.why'), why).wrap, field(t('ladder.evidence'), evidence).wrap, err, h('div', { class: 'actions' }, submit)),
	);
	form.addEventListener('submit', async (ev) => {
		ev.preventDefault();
		if (missing(why)) return;
		const body = { to: to.value, why: why.value.trim() };
		if (evidence.value.trim()) body.evidence = evidence.value.trim();
		const res = await busy(form, err, () => api('POST', `${base}/stage`, { body }));
		if (!res) return;
		show(res);
		const name = stageName({ stage: res.stage, label: res.label });
		announce(res.moved ? t('ladder.moved', { stage: name }) : t('ladder.same', { stage: name }));
	});
	return form;
}

// Runs a submission with the form disabled; errors are shown in err.
async function busy(form, err, run) {
	const controls = form.querySelectorAll('button, input, select');
	controls.forEach((b) => (b.disabled = true));
	err.replaceChildren();
	try {
		return await run();
	} catch (e) {
		if (e && e.status !== 401) err.replaceChildren(errorBox(e));
		return undefined;
	} finally {
		controls.forEach((b) => (b.disabled = false));
	}
}

// ---- consent ----------------------------------------------------------------

function consentParts(c, doc, canWrite, base, refresh) {
	const current = doc.current || [];
	const parts = [];
	if (!current.length) parts.push(h('p', { class: 'empty' }, t('consent.none')));
	else
		parts.push(
			h(
				'ul',
				{ class: 'consents' },
				current.map((x) => consentRow(x, canWrite, base, refresh)),
			),
		);
	if (canWrite) parts.push(grantForm(c, base, refresh));
	return parts;
}

function consentRow(x, canWrite, base, refresh) {
	const what = `${word('channel', x.channel)} · ${word('purpose', x.purpose)}`;
	const li = h(
		'li',
		{ class: `consent consent-${x.state}`, dataset: { channel: x.channel, purpose: x.purpose } },
		h('span', { class: 'consent-what' }, what),
		badge(word('consent', x.state), x.state === 'granted' ? 'ok' : x.state === 'pending' ? 'soon' : 'due'),
		h('small', { class: 'muted consent-when' }, `${fmtTime(x.at)} · ${word('how', x.how)}`),
	);
	if (canWrite && x.state === 'granted') {
		// One click: withdrawing asks for nothing more than that.
		const btn = h('button', { type: 'button', class: 'small withdraw', 'aria-label': t('consent.withdrawLabel', { what }) }, t('consent.withdraw'));
		btn.addEventListener('click', async () => {
			btn.disabled = true;
			try {
				await api('POST', `${base}/consent/revoke`, { body: { channel: x.channel, purpose: x.purpose } });
			} catch (e) {
				btn.disabled = false;
				if (e.status !== 401) li.appendChild(errorBox(e));
				return;
			}
			announce(t('consent.withdrawn'));
			refresh();
		});
		li.appendChild(btn);
	}
	return li;
}

function grantForm(c, base, refresh) {
	const select = (name, words, prefix) => h('select', { name }, words.map((w) => h('option', { value: w }, word(prefix, w))));
	const channel = select('channel', CHANNELS, 'channel');
	const purpose = select('purpose', PURPOSES, 'purpose');
	const how = select('how', HOWS, 'how');
	const evidence = h('input', { name: 'evidence', type: 'text', maxlength: '5000', autocomplete: 'off', required: true, placeholder: t('consent.evidenceHint') });
	const err = h('div', { class: 'form-error' });
	const slot = h('div', { id: id('grant') });
	const toggle = h('button', { type: 'button', class: 'small grant-toggle', 'aria-expanded': 'false', 'aria-controls': slot.id }, t('consent.add'));
	const form = h(
		'form',
		{ class: 'quick grant-form', novalidate: true },
		h(
			'fieldset',
			null,
			h('legend', null, t('consent.add')),
			h('div', { class: 'row' }, field(t('consent.channel'), channel).wrap, field(t('consent.purpose'), purpose).wrap),
			field(t('consent.how'), how).wrap,
			field(t('consent.evidence'), evidence).wrap,
			err,
			h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'primary' }, t('save')), h('button', { type: 'button', class: 'ghost', onclick: () => close() }, t('cancel'))),
		),
	);
	const close = () => {
		slot.replaceChildren();
		toggle.setAttribute('aria-expanded', 'false');
		toggle.focus();
	};
	toggle.addEventListener('click', () => {
		if (slot.firstChild) return close();
		slot.replaceChildren(form);
		toggle.setAttribute('aria-expanded', 'true');
		channel.focus();
	});
	form.addEventListener('submit', async (ev) => {
		ev.preventDefault();
		if (missing(evidence)) return;
		const body = { channel: channel.value, purpose: purpose.value, how: how.value, evidence: evidence.value.trim() };
		const res = await busy(form, err, () => api('POST', `${base}/consent/grant`, { body }));
		if (!res) return;
		evidence.value = '';
		announce(t('consent.saved'));
		refresh();
	});
	return h('div', { class: 'grant' }, toggle, slot);
}
