// Today's agenda: the people to reach, each with the reasons, and one-click
// actions (log a touch; mark a follow-up done).

import { api, enc } from './api.js';
import { chartFigure, drawLoad } from './charts.js';
import { addressBadge, announce, badge, field, fmtDay, h, id, tierBadge } from './dom.js';
import { errorBox } from './errors.js';
import { touchForm } from './forms.js';
import { t } from './i18n.js';

export async function agendaView(root, ctx, params) {
	const date = params.get('date') || '';
	const mine = params.get('mine') === '1';
	const heading = h('h1', { tabindex: '-1' }, t('agenda.title'));
	const count = h('p', { class: 'lead' });
	const filters = agendaFilters(ctx, date, mine);
	const listSlot = h('div', { class: 'agenda-main', 'aria-busy': 'true' }, h('p', { class: 'loading' }, t('loading')));
	const load = chartFigure(t('agenda.load'), 'load-chart');
	load.fig.hidden = true;
	root.replaceChildren(
		h('header', { class: 'view-head' }, heading, count),
		filters,
		h('div', { class: 'agenda-layout' }, listSlot, h('aside', { class: 'agenda-side' }, load.fig)),
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

function agendaFilters(ctx, date, mine) {
	const dateInput = h('input', { type: 'date', name: 'date', value: date, class: 'short' });
	const mineBox = h('input', { type: 'checkbox', name: 'mine', id: id('mine') });
	mineBox.checked = mine;
	const form = h(
		'form',
		{ class: 'filters agenda-filters' },
		field(t('agenda.date'), dateInput).wrap,
		h('div', { class: 'field check' }, mineBox, h('label', { for: mineBox.id }, t('agenda.mine'))),
		h('div', { class: 'field' }, h('button', { type: 'submit' }, t('agenda.show'))),
	);
	form.addEventListener('submit', (ev) => {
		ev.preventDefault();
		const p = new URLSearchParams();
		if (dateInput.value) p.set('date', dateInput.value);
		if (mineBox.checked) p.set('mine', '1');
		const q = p.toString();
		ctx.go(`#/agenda${q ? `?${q}` : ''}`);
	});
	return form;
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
