// The client card: everything remembered about one person, with quick entry
// of interactions and facts that update the card in place.

import { alignmentSection } from './alignment.js';
import { api, enc } from './api.js';
import { chartFigure, drawTouches } from './charts.js';
import { addressBadge, announce, badge, fmtAgo, fmtDateOnly, fmtDay, fmtTime, h, section, tierBadge, years } from './dom.js';
import { errorBox } from './errors.js';
import { factForm, touchForm } from './forms.js';
import { t } from './i18n.js';
import { privacySection } from './privacy.js';
import { ladderSections } from './ladder.js';
import { storiesSection } from './stories.js';
import { complaintsSection } from './complaints.js';
import { cardCommunities, trustSection } from './trust.js';
import { valueSection } from './value.js';

// params: letgo=1 opens the graceful let-go form of a negative client.
export async function cardView(root, ctx, contactRef, params) {
	const heading = h('h1', { tabindex: '-1' }, t('loading'));
	root.replaceChildren(h('header', { class: 'view-head' }, heading), h('p', { class: 'loading', 'aria-busy': 'true' }, t('loading')));
	ctx.focus(heading);
	let c;
	try {
		c = await api('GET', `/contacts/${enc(contactRef)}`, { signal: ctx.signal });
	} catch (e) {
		if (!ctx.alive() || e.name === 'AbortError' || e.status === 401) return;
		heading.textContent = t('err.title');
		root.replaceChildren(h('header', { class: 'view-head' }, heading), errorBox(e, e.status === 404 ? null : () => ctx.rerender()));
		return;
	}
	if (!ctx.alive()) return;
	document.title = `${c.name} · rapport`;
	heading.textContent = c.name;

	const canWrite = ctx.canWrite();
	const interactions = (c.interactions || []).slice();
	let history = null; // the longer timeline, for the chart

	// ---- facts
	const factList = h('ul', { class: 'facts' });
	const noFacts = h('p', { class: 'empty' }, t('card.noFacts'));
	const renderFacts = (facts) => {
		factList.replaceChildren(...facts.map((f) => factRow(f, canWrite)));
		noFacts.hidden = facts.length > 0;
	};
	renderFacts(c.facts || []);
	const factsSection = section('facts', t('card.facts'), noFacts, factList);
	if (canWrite) {
		factsSection.appendChild(
			factForm(c, {
				onSaved: (res, sent) => {
					const f = { id: res.id, body: res.text || sent.text, follow_up: res.follow_up || sent.follow_up || null, done: false, created_at: new Date().toISOString(), by: ctx.user ? ctx.user.login : null };
					factList.prepend(factRow(f, canWrite, true));
					noFacts.hidden = true;
					announce(t('card.factSaved'));
				},
			}),
		);
	}

	// ---- timeline and its chart
	const timeline = h('ol', { class: 'timeline' });
	const noTimeline = h('p', { class: 'empty' }, t('card.noTimeline'));
	const renderTimeline = () => {
		timeline.replaceChildren(...interactions.map((it) => timelineRow(it)));
		noTimeline.hidden = interactions.length > 0;
	};
	renderTimeline();
	const touches = chartFigure(t('card.touches'), 'touches-chart');
	const timelineSection = section('timeline', t('card.timeline'));
	if (canWrite) {
		timelineSection.appendChild(
			touchForm(c, {
				onSaved: (res, sent) => {
					const it = { id: res.id, at: res.at, kind: res.kind || sent.kind, direction: null, minutes: sent.minutes ?? null, amount: null, by: ctx.user ? ctx.user.login : null, summary: res.summary ?? sent.summary ?? null };
					interactions.unshift(it);
					if (history) history.unshift(it);
					renderTimeline();
					timeline.firstElementChild?.classList.add('fresh');
					lastTouch.textContent = fmtTime(res.at);
					drawTouches(touches, history || interactions);
					announce(t('touch.saved'));
				},
			}),
		);
	}
	timelineSection.append(touches.fig, noTimeline, timeline);

	// ---- the person
	const lastTouch = h('span', null, fmtTime(c.last_touch_at));
	const facts = [
		c.address ? [t('card.address'), addressText(c.address)] : null,
		c.tier ? [t('card.tier'), t(`tier.${c.tier}`)] : null,
		c.owner ? [t('card.owner'), c.owner] : null,
		c.birthday ? [t('card.birthday'), birthdayText(c)] : null,
		[t('card.lastTouch'), lastTouch, c.last_touch_at ? h('small', { class: 'muted' }, ` (${fmtAgo(c.last_touch_at)})`) : null],
		[t('card.created'), fmtDateOnly(c.created_at)],
	].filter(Boolean);
	const about = h('dl', { class: 'about' }, facts.map(([k, ...v]) => h('div', null, h('dt', null, k), h('dd', null, v))));

	const head = h(
		'header',
		{ class: 'view-head card-head' },
		h('p', { class: 'crumbs' }, h('a', { href: '#/agenda' }, t('nav.agenda')), ' / ', h('a', { href: '#/contacts' }, t('nav.contacts'))),
		heading,
		h('p', { class: 'badges' }, addressBadge(c.address), tierBadge(c.tier), ...(c.tags || []).map((tag) => h('a', { class: 'badge tag', href: `#/contacts?tag=${enc(tag)}` }, `#${tag}`))),
		about,
		c.note ? h('p', { class: 'note' }, h('strong', null, `${t('card.note')}: `), c.note) : null,
	);

	const value = valueSection(c, ctx);
	root.replaceChildren(
		head,
		h(
			'div',
			{ class: 'card-layout' },
			h('div', { class: 'card-main' }, factsSection, trustSection(c, ctx), alignmentSection(c, ctx), complaintsSection(c, ctx), storiesSection(c, ctx), timelineSection),
			h('div', { class: 'card-side' }, value, ...ladderSections(c, ctx), channels(c), datesSection(c), relations(c), cardCommunities(c), privacySection(c, ctx)),
		),
	);
	if (params && params.get('letgo') === '1' && value && value.openLetgo) value.openLetgo();

	// The chart wants more than the card's recent interactions.
	try {
		const tl = await api('GET', `/contacts/${enc(c.id)}/interactions`, { query: { limit: 500 }, signal: ctx.signal });
		if (!ctx.alive()) return;
		history = tl.interactions || [];
	} catch (e) {
		if (!ctx.alive() || e.name === 'AbortError') return;
		history = null;
	}
	drawTouches(touches, history || interactions);
}

function addressText(a) {
	return a === 'ty' || a === 'vy' ? t(`address.${a}`) : a;
}

function birthdayText(c) {
	const s = fmtDay(c.birthday);
	return typeof c.age === 'number' ? `${s} · ${years(c.age)}` : s;
}

function factRow(f, canWrite, fresh) {
	const state = h('span', { class: 'fact-state' });
	const li = h('li', { class: `fact${f.done ? ' done' : ''}${fresh ? ' fresh' : ''}`, dataset: { factId: String(f.id) } }, h('span', { class: 'fact-body' }, f.body), state);
	const paint = () => {
		state.replaceChildren();
		if (f.follow_up) {
			state.appendChild(badge(f.done ? `✓ ${t('card.followUpDone')}` : t('card.followUp', { date: fmtDay(f.follow_up) }), f.done ? 'ok' : overdue(f.follow_up) ? 'due' : 'soon'));
		}
		if (f.follow_up && !f.done && canWrite) {
			const btn = h('button', { type: 'button', class: 'small done', 'aria-label': `${t('card.factDone')}: ${f.body}` }, t('card.factDone'));
			btn.addEventListener('click', async () => {
				btn.disabled = true;
				try {
					await api('POST', `/facts/${enc(f.id)}/done`);
				} catch (e) {
					btn.disabled = false;
					if (e.status !== 401) li.appendChild(errorBox(e));
					return;
				}
				f.done = true;
				li.classList.add('done');
				paint();
				announce(t('agenda.reasonDone'));
			});
			state.appendChild(btn);
		}
	};
	paint();
	return li;
}

function overdue(day) {
	return day <= new Date().toISOString().slice(0, 10);
}

function timelineRow(it) {
	const meta = [h('time', { datetime: it.at }, fmtTime(it.at)), badge(t(`kind.${it.kind}`) === `kind.${it.kind}` ? it.kind : t(`kind.${it.kind}`), `kind kind-${it.kind}`)];
	if (it.direction) meta.push(h('span', { class: 'muted' }, t(`dir.${it.direction}`)));
	if (typeof it.minutes === 'number') meta.push(h('span', { class: 'muted' }, t('card.minutes', { n: it.minutes })));
	if (it.amount && it.amount.value) meta.push(h('span', { class: 'amount' }, `${it.amount.value} ${it.amount.currency || ''}`.trim()));
	if (it.by) meta.push(h('span', { class: 'muted' }, t('card.by', { who: it.by })));
	return h('li', { class: 'touch' }, h('div', { class: 'touch-meta' }, meta), it.summary ? h('p', { class: 'touch-summary' }, it.summary) : null);
}

function channels(c) {
	const rows = [];
	const add = (key, values, href) => {
		for (const v of values || []) rows.push(h('li', null, h('span', { class: 'ch-kind' }, t(key)), href ? h('a', { href: href(v) }, v) : h('span', null, v)));
	};
	add('card.phones', c.phones, (v) => `tel:${v}`);
	add('card.emails', c.emails, (v) => `mailto:${v}`);
	add('card.messengers', c.messengers);
	add('card.postal', c.postal);
	const s = section('channels', t('card.channels'));
	s.appendChild(rows.length ? h('ul', { class: 'channels-list' }, rows) : h('p', { class: 'empty' }, t('card.noChannels')));
	return s;
}

function datesSection(c) {
	// The birthday is shown with the person; here the other yearly dates.
	const dates = (c.dates || []).filter((d) => d.kind !== 'birthday');
	if (!dates.length) return null;
	const s = section('dates', t('card.dates'));
	s.appendChild(
		h(
			'ul',
			{ class: 'dates-list' },
			dates.map((d) =>
				h(
					'li',
					null,
					h('span', { class: 'ch-kind' }, d.label || t(`date.${d.kind}`)),
					h('span', null, fmtDay(d.date), typeof d.years === 'number' ? ` · ${years(d.years)}` : ''),
				),
			),
		),
	);
	return s;
}

function relations(c) {
	const rel = c.relations || [];
	const s = section('relations', t('card.relations'));
	if (!rel.length) {
		s.appendChild(h('p', { class: 'empty' }, t('card.noRelations')));
		return s;
	}
	s.appendChild(
		h(
			'ul',
			{ class: 'relations-list' },
			rel.map((r) =>
				h(
					'li',
					null,
					h('span', { class: 'ch-kind' }, t(`rel.${r.kind}`) === `rel.${r.kind}` ? r.kind : t(`rel.${r.kind}`)),
					h('a', { href: `#/contact/${enc(r.contact.id)}` }, r.contact.name),
					r.note ? h('span', { class: 'muted' }, ` (${r.note})`) : null,
				),
			),
		),
	);
	return s;
}
