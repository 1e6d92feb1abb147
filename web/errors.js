// Showing what went wrong: the server's message, its code and status.

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
