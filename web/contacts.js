// The contact list: filters and paging, one page at a time (the server
// never sends more than a page, so this works with a million contacts).

import { enc } from './api.js';
import { addressBadge, fmtAgo, fmtDateOnly, field, h, tierBadge } from './dom.js';
import { viewData } from './errors.js';
import { filterForm } from './forms.js';
import { t } from './i18n.js';

export const PAGE = 50;
const TIERS = ['panel', 'close', 'regular', 'distant'];

export async function contactsView(root, ctx, params) {
	const f = {
		name: params.get('name') || '',
		tier: params.get('tier') || '',
		tag: params.get('tag') || '',
		owner: params.get('owner') || '',
	};
	const offset = Math.max(0, parseInt(params.get('offset') || '0', 10) || 0);
	const heading = h('h1', { tabindex: '-1' }, t('contacts.title'));
	const slot = h('div', { class: 'contacts-slot', 'aria-busy': 'true' }, h('p', { class: 'loading' }, t('loading')));
	const pager = h('nav', { class: 'pager', 'aria-label': t('contacts.paging') });
	root.replaceChildren(h('header', { class: 'view-head' }, heading), contactFilters(ctx, f), slot, pager);
	ctx.focus(heading);

	// One more than a page tells whether there is a next page.
	const doc = await viewData(ctx, slot, '/contacts', { ...f, limit: PAGE + 1, offset: offset || undefined });
	if (!doc) return;
	const all = doc.contacts || [];
	const more = all.length > PAGE;
	const rows = all.slice(0, PAGE);
	if (!rows.length) {
		slot.replaceChildren(h('p', { class: 'empty' }, t('contacts.empty')));
	} else {
		slot.replaceChildren(
			h(
				'table',
				{ class: 'contacts' },
				h('thead', null, h('tr', null, h('th', { scope: 'col' }, t('contacts.name')), h('th', { scope: 'col' }, t('contacts.tier')), h('th', { scope: 'col' }, t('contacts.owner')), h('th', { scope: 'col' }, t('contacts.channel')), h('th', { scope: 'col' }, t('contacts.lastTouch')))),
				h('tbody', null, rows.map(row)),
			),
		);
	}
	const link = (o) => {
		const p = new URLSearchParams();
		for (const [k, v] of Object.entries(f)) if (v) p.set(k, v);
		if (o > 0) p.set('offset', String(o));
		const q = p.toString();
		return `#/contacts${q ? `?${q}` : ''}`;
	};
	const prev = h('button', { type: 'button', class: 'prev', disabled: offset <= 0, onclick: () => ctx.go(link(Math.max(0, offset - PAGE))) }, `← ${t('contacts.prev')}`);
	const next = h('button', { type: 'button', class: 'next', disabled: !more, onclick: () => ctx.go(link(offset + PAGE)) }, `${t('contacts.next')} →`);
	const range = rows.length ? t('contacts.range', { from: offset + 1, to: offset + rows.length }) : '';
	pager.replaceChildren(prev, h('span', { class: 'range', 'aria-live': 'polite' }, range), next);
}

function row(c) {
	const channel = c.phone || c.email;
	return h(
		'tr',
		null,
		h('td', { class: 'c-name' }, h('a', { href: `#/contact/${enc(c.id)}` }, c.name), ' ', addressBadge(c.address)),
		h('td', { class: 'c-tier' }, tierBadge(c.tier)),
		h('td', { class: 'c-owner' }, c.owner || ''),
		h('td', { class: 'c-channel' }, channel ? h('a', { href: c.phone ? `tel:${c.phone}` : `mailto:${c.email}` }, channel) : ''),
		h('td', { class: 'c-touch' }, c.last_touch_at ? h('time', { datetime: c.last_touch_at, title: fmtDateOnly(c.last_touch_at) }, fmtAgo(c.last_touch_at)) : ''),
	);
}

function contactFilters(ctx, f) {
	const name = h('input', { type: 'search', name: 'name', value: f.name, autocomplete: 'off' });
	const tier = h('select', { name: 'tier' }, h('option', { value: '' }, t('tier.any')), TIERS.map((x) => h('option', { value: x }, t(`tier.${x}`))));
	tier.value = f.tier;
	const tag = h('input', { type: 'text', name: 'tag', value: f.tag, autocomplete: 'off', class: 'short' });
	const owner = h('input', { type: 'text', name: 'owner', value: f.owner, autocomplete: 'off', class: 'short' });
	return filterForm(ctx, '#/contacts', { class: 'filters contact-filters', role: 'search' }, [
		field(t('contacts.name'), name).wrap,
		field(t('contacts.tier'), tier).wrap,
		field(t('contacts.tag'), tag).wrap,
		field(t('contacts.owner'), owner).wrap,
		h(
			'div',
			{ class: 'field buttons' },
			h('button', { type: 'submit', class: 'primary' }, t('contacts.apply')),
			h('button', { type: 'button', class: 'ghost', onclick: () => ctx.go('#/contacts') }, t('contacts.reset')),
		),
	]);
}
