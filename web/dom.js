// Building the page from data without ever parsing data as HTML: every
// server string becomes a text node or an attribute value.

import { locale, t, tn } from './i18n.js';

// h('a', {href: '#/x', class: 'c', onclick: fn}, 'text', child, [more])
export function h(tag, attrs, ...children) {
	const el = document.createElement(tag);
	if (attrs) {
		for (const [k, v] of Object.entries(attrs)) {
			if (v === undefined || v === null || v === false) continue;
			if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2), v);
			else if (k === 'class') el.className = v;
			else if (k === 'text') el.textContent = v;
			else if (k === 'dataset') Object.assign(el.dataset, v);
			else if (k === 'value' && 'value' in el) el.value = v;
			else if (v === true) el.setAttribute(k, '');
			else el.setAttribute(k, String(v));
		}
	}
	append(el, children);
	return el;
}

function append(el, children) {
	for (const c of children) {
		if (c === undefined || c === null || c === false) continue;
		if (Array.isArray(c)) append(el, c);
		else if (c instanceof Node) el.appendChild(c);
		else el.appendChild(document.createTextNode(String(c)));
	}
}

export function clear(el) {
	while (el.firstChild) el.removeChild(el.firstChild);
	return el;
}

let uid = 0;
export function id(prefix) {
	uid += 1;
	return `${prefix}-${uid}`;
}

// A labelled form field: returns {wrap, input}.
export function field(label, input, hint) {
	const fid = input.id || id('f');
	input.id = fid;
	const parts = [h('label', { for: fid }, label), input];
	if (hint) {
		const hid = id('hint');
		input.setAttribute('aria-describedby', hid);
		parts.push(h('small', { id: hid, class: 'hint' }, hint));
	}
	return { wrap: h('div', { class: 'field' }, parts), input };
}

// A titled section of a page: <section class="panel NAME-section"> with an h2.
export function section(name, title, ...children) {
	return h('section', { class: `panel ${name}-section`, 'aria-labelledby': `h-${name}` }, h('h2', { id: `h-${name}` }, title), children);
}

// Buttons that each open a panel in one shared slot below them (one panel
// at a time; the same button or Escape closes it and gives the focus back).
// button(label, attrs, build): build(close) makes the panel; its
// focusFirst(), if any, takes the focus when it opens.
export function disclosures() {
	const slot = h('div', { class: 'disclosure-slot', id: id('slot') });
	let open = null;
	const close = (focus = true) => {
		const b = open;
		if (!b) return;
		open = null;
		slot.replaceChildren();
		b.setAttribute('aria-expanded', 'false');
		if (focus) b.focus();
	};
	const button = (label, attrs, build) => {
		const b = h('button', { type: 'button', 'aria-expanded': 'false', 'aria-controls': slot.id, ...attrs }, label);
		b.addEventListener('click', () => {
			const was = open;
			close(false);
			if (was === b) return;
			const panel = build(close);
			slot.replaceChildren(panel);
			open = b;
			b.setAttribute('aria-expanded', 'true');
			if (panel.focusFirst) panel.focusFirst();
		});
		return b;
	};
	slot.addEventListener('keydown', (ev) => {
		if (ev.key === 'Escape' && open) {
			ev.preventDefault();
			close();
		}
	});
	return { slot, button, close };
}

// Polite announcements for screen readers (and a visible toast).
export function announce(text) {
	const live = document.getElementById('live');
	if (!live) return;
	live.textContent = '';
	// A fresh node so that repeating the same text is announced again.
	live.appendChild(h('span', null, text));
	clearTimeout(announce.timer);
	live.classList.add('shown');
	announce.timer = setTimeout(() => live.classList.remove('shown'), 3500);
}

// ---- dates ---------------------------------------------------------------

// "1980-11-23" or "--11-23" (year unknown) as a local calendar date.
export function fmtDay(s, opts) {
	if (!s) return t('none');
	const m = /^(\d{4}|--)-?(\d{2})-(\d{2})$/.exec(s);
	if (!m) return s;
	const noYear = m[1] === '--';
	const d = new Date(Date.UTC(noYear ? 2000 : +m[1], +m[2] - 1, +m[3]));
	const o = Object.assign({ day: 'numeric', month: 'long', timeZone: 'UTC' }, noYear ? {} : { year: 'numeric' }, opts || {});
	return new Intl.DateTimeFormat(locale(), o).format(d);
}

// An ISO 8601 timestamp in the reader's time zone.
export function fmtTime(s) {
	if (!s) return t('none');
	const d = new Date(s);
	if (isNaN(d)) return s;
	return new Intl.DateTimeFormat(locale(), { dateStyle: 'medium', timeStyle: 'short' }).format(d);
}

export function fmtDateOnly(s) {
	if (!s) return t('none');
	const d = new Date(s);
	if (isNaN(d)) return s;
	return new Intl.DateTimeFormat(locale(), { dateStyle: 'medium' }).format(d);
}

// "3 days ago", "in 2 days"
export function fmtAgo(s) {
	if (!s) return '';
	const d = new Date(s);
	if (isNaN(d)) return '';
	const days = Math.round((d.getTime() - Date.now()) / 86400000);
	const rtf = new Intl.RelativeTimeFormat(locale(), { numeric: 'auto' });
	if (Math.abs(days) >= 365) return rtf.format(Math.round(days / 365), 'year');
	if (Math.abs(days) >= 60) return rtf.format(Math.round(days / 30), 'month');
	return rtf.format(days, 'day');
}

export function years(n) {
	return tn('years', n);
}

// Today's date as YYYY-MM-DD in the reader's zone.
export function todayIso() {
	const d = new Date();
	const p = (n) => String(n).padStart(2, '0');
	return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}`;
}

// ---- numbers and money ------------------------------------------------------

// An amount as the API gives it (a decimal string like "1234.50", or a
// number) in the reader's way of writing money; '—' when there is none.
export function fmtMoney(v, currency) {
	if (v === undefined || v === null || v === '') return t('none');
	const n = Number(v);
	if (!Number.isFinite(n)) return String(v);
	if (currency && /^[A-Z]{3}$/.test(currency)) {
		try {
			return new Intl.NumberFormat(locale(), { style: 'currency', currency }).format(n);
		} catch (_) {
			/* a code Intl does not know: written out below */
		}
	}
	const s = new Intl.NumberFormat(locale(), { minimumFractionDigits: 2, maximumFractionDigits: 2 }).format(n);
	return currency ? `${s} ${currency}` : s;
}

// A number with at most `digits` decimals; '—' when there is none.
export function fmtNum(v, digits = 1) {
	if (v === undefined || v === null || v === '') return t('none');
	const n = Number(v);
	if (!Number.isFinite(n)) return String(v);
	return new Intl.NumberFormat(locale(), { maximumFractionDigits: digits }).format(n);
}

// A share from 0 to 1 as a percentage.
export function fmtPct(v, digits = 0) {
	if (v === undefined || v === null || v === '') return t('none');
	const n = Number(v);
	if (!Number.isFinite(n)) return String(v);
	return new Intl.NumberFormat(locale(), { style: 'percent', maximumFractionDigits: digits }).format(n);
}

// Small badges.
export function badge(text, cls) {
	return h('span', { class: `badge ${cls || ''}`.trim() }, text);
}

export function tierBadge(tier) {
	if (!tier) return null;
	return badge(t(`tier.${tier}`), `tier tier-${tier}`);
}

export function addressBadge(address) {
	if (address !== 'ty' && address !== 'vy') return null;
	return badge(address === 'ty' ? '«ты»' : '«вы»', 'addr');
}
