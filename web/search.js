// Search as you type: ~200 ms after the last key, the words go to
// /api/v1/search; results link to the cards.  While a word is still being
// typed it is also tried as a prefix ("Соко" finds "Соколова"), beside the
// whole-word search that matches any form of it.

import { api, enc } from './api.js';
import { badge, fmtDateOnly, h } from './dom.js';
import { errorBox } from './errors.js';
import { t } from './i18n.js';

const DEBOUNCE_MS = 200;
const LIMIT = 20;

export function searchView(root, ctx, params) {
	const q0 = params.get('q') || '';
	const heading = h('h1', { tabindex: '-1' }, t('search.title'));
	const input = h('input', {
		type: 'search',
		id: 'search-input',
		name: 'q',
		value: q0,
		autocomplete: 'off',
		spellcheck: 'false',
		enterkeyhint: 'search',
		'aria-describedby': 'search-hint',
		'aria-controls': 'search-results',
	});
	const status = h('p', { class: 'search-status', role: 'status', 'aria-live': 'polite' });
	const results = h('ul', { class: 'search-results', id: 'search-results' });
	const form = h(
		'form',
		{ class: 'search-form', role: 'search' },
		h('label', { for: 'search-input' }, t('search.label')),
		input,
		h('small', { id: 'search-hint', class: 'hint' }, t('search.hint')),
	);
	root.replaceChildren(h('header', { class: 'view-head' }, heading), form, status, results);

	let timer = 0;
	let seq = 0;
	let inflight = null;

	const run = async (text) => {
		const n = ++seq;
		if (inflight) inflight.abort();
		const words = text.trim();
		const here = `#/search${words ? `?q=${enc(words)}` : ''}`;
		if (location.hash !== here) history.replaceState(null, '', here);
		if (!words) {
			results.replaceChildren();
			status.textContent = '';
			results.removeAttribute('aria-busy');
			return;
		}
		inflight = new AbortController();
		const signal = inflight.signal;
		results.setAttribute('aria-busy', 'true');
		const asks = [api('GET', '/search', { query: { query: words, limit: LIMIT }, signal })];
		const last = words.split(/\s+/).pop();
		if (!/\s$/.test(text) && !last.endsWith('*') && /[\p{L}\p{N}]$/u.test(last)) {
			asks.push(api('GET', '/search', { query: { query: `${words}*`, limit: LIMIT }, signal }).catch(() => ({ hits: [] })));
		}
		let docs;
		try {
			docs = await Promise.all(asks);
		} catch (e) {
			if (n !== seq || !ctx.alive() || e.name === 'AbortError' || e.status === 401) return;
			results.removeAttribute('aria-busy');
			status.textContent = '';
			results.replaceChildren(h('li', null, errorBox(e)));
			return;
		}
		if (n !== seq || !ctx.alive()) return;
		results.removeAttribute('aria-busy');
		const seen = new Set();
		const hits = [];
		for (const d of docs) {
			for (const hit of d.hits || []) {
				const key = `${hit.kind}:${hit.ref}`;
				if (seen.has(key) || !hit.contact) continue;
				seen.add(key);
				hits.push(hit);
			}
		}
		const shown = hits.slice(0, LIMIT);
		status.textContent = shown.length ? t('search.count', { n: shown.length }) : t('search.empty', { q: words });
		results.replaceChildren(...shown.map(resultRow));
	};

	input.addEventListener('input', () => {
		clearTimeout(timer);
		const text = input.value;
		timer = setTimeout(() => run(text), DEBOUNCE_MS);
	});
	form.addEventListener('submit', (ev) => {
		ev.preventDefault();
		clearTimeout(timer);
		run(input.value);
	});
	ctx.signal.addEventListener(
		'abort',
		() => {
			clearTimeout(timer);
			if (inflight) inflight.abort();
		},
		{ once: true },
	);

	ctx.focus(input);
	if (q0) {
		input.setSelectionRange(q0.length, q0.length);
		run(q0);
	}
}

function resultRow(hit) {
	const c = hit.contact;
	const isContact = hit.kind === 'contact';
	return h(
		'li',
		{ class: `hit hit-${hit.kind}` },
		h(
			'a',
			{ href: `#/contact/${enc(c.id)}`, class: 'hit-link' },
			h('span', { class: 'hit-name' }, c.name),
			' ',
			badge(t(`search.kind.${hit.kind}`), `kind hit-kind`),
			!isContact && hit.text ? h('span', { class: 'hit-text' }, hit.text) : null,
			hit.at ? h('time', { class: 'hit-at', datetime: hit.at }, fmtDateOnly(hit.at)) : null,
		),
	);
}
