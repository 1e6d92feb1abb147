// The JSON API: one function for every call.  The session cookie is
// HttpOnly and rides along by itself; changes also carry the CSRF token that
// came with the login.  Errors are {"error": {"code", "message"}}.

import { lang, t } from './i18n.js';

const CSRF_KEY = 'rapport.csrf';
let csrf = '';
try {
	csrf = sessionStorage.getItem(CSRF_KEY) || '';
} catch (_) {
	csrf = '';
}

export function setCsrf(value) {
	csrf = value || '';
	try {
		if (csrf) sessionStorage.setItem(CSRF_KEY, csrf);
		else sessionStorage.removeItem(CSRF_KEY);
	} catch (_) {
		/* kept in memory only */
	}
}

export class ApiError extends Error {
	constructor(status, code, message, retryAfter) {
		super(message);
		this.name = 'ApiError';
		this.status = status;
		this.code = code;
		this.retryAfter = retryAfter;
	}
}

let onUnauthenticated = () => {};
export function whenUnauthenticated(fn) {
	onUnauthenticated = fn;
}

function queryString(query) {
	if (!query) return '';
	const p = new URLSearchParams();
	for (const [k, v] of Object.entries(query)) {
		if (v === undefined || v === null || v === '') continue;
		p.append(k, String(v));
	}
	const s = p.toString();
	return s ? `?${s}` : '';
}

// api('GET', '/agenda', {query: {limit: 30}}) -> the parsed document.
export async function api(method, path, opts = {}) {
	const headers = { Accept: 'application/json', 'Accept-Language': lang() };
	const init = { method, headers, credentials: 'same-origin', cache: 'no-store' };
	if (opts.signal) init.signal = opts.signal;
	if (opts.body !== undefined) {
		headers['Content-Type'] = 'application/json';
		init.body = JSON.stringify(opts.body);
	}
	if (method !== 'GET' && method !== 'HEAD' && csrf) headers['X-CSRF-Token'] = csrf;
	let res;
	try {
		res = await fetch(`/api/v1${path}${queryString(opts.query)}`, init);
	} catch (e) {
		if (e && e.name === 'AbortError') throw e;
		throw new ApiError(0, 'network', t('err.network'));
	}
	const text = await res.text();
	let data = null;
	if (text) {
		try {
			data = JSON.parse(text);
		} catch (_) {
			data = null;
		}
	}
	if (!res.ok) {
		const err = data && data.error ? data.error : {};
		const retry = parseInt(res.headers.get('Retry-After') || '', 10);
		const e = new ApiError(
			res.status,
			err.code || `http_${res.status}`,
			err.message || `${t('err.status', { status: res.status })} ${res.statusText || ''}`.trim(),
			Number.isFinite(retry) ? retry : undefined,
		);
		// A failed login is the login form's business; anything else means
		// the session has gone.
		if (res.status === 401 && !(path === '/session' && method === 'POST')) onUnauthenticated(e);
		throw e;
	}
	return data;
}

export const enc = encodeURIComponent;
