// Showing what went wrong: the server's message, its code and status.

import { api } from './api.js';
import { h } from './dom.js';
import { t, waitText } from './i18n.js';

export function errorText(e) {
	if (!e) return t('err.title');
	let s = e.message || t('err.title');
	if (e.retryAfter) s += ` ${t('err.retryAfter', { n: waitText(e.retryAfter) })}`;
	return s;
}

// A visible, announced error block.  retry: optional function.
export function errorBox(e, retry) {
	const meta = [];
	if (e && e.status) meta.push(`HTTP ${e.status}`);
	if (e && e.code) meta.push(e.code);
	return h(
		'div',
		{ class: 'error', role: 'alert' },
		h('strong', null, t('err.title')),
		h('p', { class: 'error-message' }, errorText(e)),
		meta.length ? h('p', { class: 'error-code' }, meta.join(' · ')) : null,
		retry ? h('button', { type: 'button', onclick: retry }, t('retry')) : null,
	);
}

// The document a view shows, asked for while slot says it is busy.  null
// when the view has gone or the call failed; a failure is shown in slot,
// with a way to try again.  unavailable: what to say, calmly, when the
// server has no such route (404), as one made before it.
export async function viewData(ctx, slot, path, query, unavailable) {
	slot.setAttribute('aria-busy', 'true');
	let doc;
	try {
		doc = await api('GET', path, { query, signal: ctx.signal });
	} catch (e) {
		if (!ctx.alive() || e.name === 'AbortError' || e.status === 401) return null;
		slot.removeAttribute('aria-busy');
		if (unavailable && e.status === 404) slot.replaceChildren(h('p', { class: 'empty unavailable' }, unavailable), h('p', { class: 'hint' }, `HTTP 404 · ${e.message}`));
		else slot.replaceChildren(errorBox(e, () => ctx.rerender()));
		return null;
	}
	if (!ctx.alive()) return null;
	slot.removeAttribute('aria-busy');
	return doc;
}
