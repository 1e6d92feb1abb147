// Today's agenda: complaints waiting for an answer on top of everything;
// the people to reach, each with the reasons, and one-click actions (log a
// touch; mark a follow-up done); beside them the clients we let down and
// have not made it good, valuable clients drifting away,
// the panel clients whose turn to be asked has come, and the lessons under
// way.

import { api, enc } from './api.js';
import { chartFigure, drawLoad } from './charts.js';
import { agendaComplaints } from './complaints.js';
import { addressBadge, announce, badge, field, fmtDay, h, id, section, tierBadge } from './dom.js';
import { errorBox } from './errors.js';
import { filterForm, touchForm } from './forms.js';
import { t, tn } from './i18n.js';
import { lessonItem } from './lessons.js';
import { kindBadge } from './stories.js';
import { agendaTrust } from './trust.js';
import { agendaValue } from './value.js';

export async function agendaView(root, ctx, params) {
	const date = params.get('date') || '';
	const mine = params.get('mine') === '1';
	const heading = h('h1', { tabindex: '-1' }, t('agenda.title'));
	const count = h('p', { class: 'lead' });
	const filters = agendaFilters(ctx, date, mine);
	const listSlot = h('div', { class: 'agenda-main', 'aria-busy': 'true' }, h('p', { class: 'loading' }, t('loading')));
	const load = chartFigure(t('agenda.load'), 'load-chart');
	load.fig.hidden = true;
	const side = h('aside', { class: 'agenda-side' }, load.fig);
	const complaintsSlot = h('div', { class: 'agenda-complaints-slot' });
	root.replaceChildren(
		h('header', { class: 'view-head' }, heading, count),
		complaintsSlot,
		filters,
		h('div', { class: 'agenda-layout' }, listSlot, side),
	);
	ctx.focus(heading);

	let doc;
	try {
		doc = await api('GET', '/agenda', {
			query: { date: date || undefined, owner: mine && ctx.user ? ctx.user.login : undefined, limit: 30 },
			signal: ctx.signal,
		});
	} catch (e) {
		if (!ctx.alive() || e.name === 'AbortError' || e.status === 401) return;
		listSlot.removeAttribute('aria-busy');
		listSlot.replaceChildren(errorBox(e, () => ctx.rerender()));
		return;
	}
	if (!ctx.alive()) return;
	if (date) heading.textContent = t('agenda.titleDate', { date: fmtDay(doc.date) });
	// Complaints waiting for an answer come before anything else.
	const complaints = agendaComplaints(doc.complaints, ctx);
	if (complaints) complaintsSlot.replaceChildren(complaints);
	// The let-downs, the clients drifting away, the panel and the lessons stand apart
	// from the people to reach.
	const blocks = [agendaTrust(doc.trust), agendaValue(doc.value), panelBlock(doc.panel), lessonsBlock(doc.lessons, ctx)].filter(Boolean);
	side.prepend(...blocks);
	side.classList.toggle('has-blocks', blocks.length > 0);
	const items = doc.items || [];
	let chart = null;
	const refresh = () => {
		count.textContent = items.length ? t('agenda.count', { n: items.length }) : t('agenda.empty');
		drawLoad(load, items, chart).then((c) => {
			chart = c || chart;
		});
	};
	listSlot.removeAttribute('aria-busy');
	if (!items.length) {
		listSlot.replaceChildren(h('p', { class: 'empty' }, t('agenda.empty')));
		count.textContent = '';
		return;
	}
	const list = h('ol', { class: 'agenda-list' });
	for (const item of items) list.appendChild(agendaItem(item, items, ctx, refresh));
	listSlot.replaceChildren(list);
	load.fig.hidden = false;
	refresh();
}

// The panel: clients asked in turn, whose turn has come, with what to ask.
// Absent from the document (an older server): nothing.
function panelBlock(panel) {
	if (!Array.isArray(panel) || !panel.length) return null;
	return section(
		'panel-due',
		t('agenda.panel'),
		h(
			'ol',
			{ class: 'panel-list' },
			panel.map((p) => {
				const c = p.contact;
				const nameId = id('panel');
				const over = p.days_over > 0 ? badge(t('panel.overdue', { days: tn('days', p.days_over) }), 'due') : p.days_over === 0 ? badge(t('panel.due'), 'soon') : badge(t('panel.dueOn', { date: fmtDay(p.due_on) }), 'ok');
				return h(
					'li',
					{ class: 'panel-item', dataset: { contactId: String(c.id) } },
					h('div', { class: 'item-head' }, h('a', { class: 'name', id: nameId, href: `#/contact/${enc(c.id)}` }, c.name), over),
					h(
						'p',
						{ class: 'panel-when muted' },
						p.last_on ? t('panel.last', { date: fmtDay(p.last_on) }) : t('panel.never'),
						typeof p.cadence_days === 'number' ? ` · ${t('panel.every', { days: tn('days', p.cadence_days) })}` : '',
					),
					(p.ask_about || []).length ? h('p', { class: 'panel-ask' }, h('span', { class: 'muted' }, `${t('panel.askAbout')}: `), p.ask_about.map((k) => kindBadge(k))) : null,
					(p.questions || []).length ? h('ul', { class: 'questions', 'aria-label': t('panel.questions', { name: c.name }) }, p.questions.map((q) => h('li', null, q))) : null,
				);
			}),
		),
	);
}

// Open lessons and those under way, with how long they have been open.
function lessonsBlock(lessons, ctx) {
	if (!Array.isArray(lessons) || !lessons.length) return null;
	return section(
		'agenda-lessons',
		t('agenda.lessons'),
		h(
			'ol',
			{ class: 'lesson-list agenda-lesson-list' },
			lessons.map((l) => lessonItem(l, ctx)),
		),
		h('p', null, h('a', { href: '#/lessons' }, t('lessons.all'))),
	);
}

function agendaFilters(ctx, date, mine) {
	const dateInput = h('input', { type: 'date', name: 'date', value: date, class: 'short' });
	const mineBox = h('input', { type: 'checkbox', name: 'mine', id: id('mine') });
	mineBox.checked = mine;
	return filterForm(ctx, '#/agenda', { class: 'filters agenda-filters' }, [
		field(t('agenda.date'), dateInput).wrap,
		h('div', { class: 'field check' }, mineBox, h('label', { for: mineBox.id }, t('agenda.mine'))),
		h('div', { class: 'field' }, h('button', { type: 'submit' }, t('agenda.show'))),
	]);
}

function agendaItem(item, items, ctx, refresh) {
	const c = item.contact;
	const canWrite = ctx.canWrite();
	const li = h('li', { class: 'agenda-item', dataset: { contactId: String(c.id) } });
	const nameId = id('who');
	const head = h(
		'div',
		{ class: 'item-head' },
		h('span', { class: 'rank', 'aria-label': t('agenda.rank', { n: item.rank }) }, String(item.rank)),
		h('a', { class: 'name', href: `#/contact/${enc(c.id)}`, id: nameId }, c.name),
		h('span', { class: 'badges' }, addressBadge(c.address), tierBadge(c.tier), c.owner ? badge(c.owner, 'owner') : null),
	);
	const reasons = h('ul', { class: 'reasons', 'aria-label': t('agenda.reasons') });
	for (const r of item.reasons || []) reasons.appendChild(reasonRow(r, item, items, li, ctx, refresh));

	const slot = h('div', { class: 'touch-slot' });
	const actions = h('div', { class: 'item-actions' });
	if (canWrite) {
		const slotId = id('touch');
		slot.id = slotId;
		const toggle = h('button', { type: 'button', class: 'log-touch', 'aria-expanded': 'false', 'aria-controls': slotId, 'aria-describedby': nameId }, t('agenda.logTouch'));
		const close = () => {
			slot.replaceChildren();
			toggle.setAttribute('aria-expanded', 'false');
			toggle.focus();
		};
		toggle.addEventListener('click', () => {
			if (slot.firstChild) return close();
			const form = touchForm(c, {
				onCancel: close,
				onSaved: () => {
					li.classList.add('touched');
					if (!head.querySelector('.touched-mark')) head.appendChild(badge(`✓ ${t('agenda.touched')}`, 'touched-mark'));
					announce(t('touch.saved'));
					close();
				},
			});
			slot.replaceChildren(form);
			toggle.setAttribute('aria-expanded', 'true');
			form.focusFirst();
		});
		actions.appendChild(toggle);
	}
	li.append(head, reasons, actions, slot);
	return li;
}

function reasonRow(r, item, items, li, ctx, refresh) {
	const row = h('li', { class: `reason reason-${r.kind}` }, h('span', { class: 'reason-text' }, r.text));
	if (r.kind === 'follow_up' && r.fact_id && ctx.canWrite()) {
		const done = h('button', { type: 'button', class: 'done small', 'aria-label': t('agenda.doneLabel', { fact: r.fact || r.text }) }, t('agenda.done'));
		const err = h('div', { class: 'form-error' });
		done.addEventListener('click', async () => {
			done.disabled = true;
			err.replaceChildren();
			try {
				await api('POST', `/facts/${enc(r.fact_id)}/done`);
			} catch (e) {
				done.disabled = false;
				if (e.status !== 401) err.replaceChildren(errorBox(e));
				return;
			}
			item.reasons = item.reasons.filter((x) => x !== r);
			const next = row.nextElementSibling || row.previousElementSibling;
			row.remove();
			if (!item.reasons.length) {
				const after = li.nextElementSibling || li.previousElementSibling;
				li.remove();
				items.splice(items.indexOf(item), 1);
				announce(t('agenda.allDone', { name: item.contact.name }));
				const target = after && after.querySelector('a.name');
				if (target) target.focus();
			} else {
				announce(t('agenda.reasonDone'));
				const target = (next && next.querySelector('button')) || li.querySelector('button.log-touch') || li.querySelector('a.name');
				if (target) target.focus();
			}
			refresh();
		});
		row.append(done, err);
	}
	return row;
}
