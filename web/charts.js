// Charts with the Chart.js the server ships (/vendor/chart.min.js), loaded
// the first time a chart is drawn.  Each chart also says what it shows in
// words, for screen readers and for when the script cannot load.

import { h } from './dom.js';
import { locale, t, tn } from './i18n.js';

let loading = null;
const live = new Set();

export function loadChart() {
	if (window.Chart) return Promise.resolve(window.Chart);
	if (!loading) {
		loading = new Promise((resolve, reject) => {
			const s = document.createElement('script');
			s.src = '/vendor/chart.min.js';
			s.async = true;
			s.onload = () => (window.Chart ? resolve(window.Chart) : reject(new Error('Chart.js did not load')));
			s.onerror = () => {
				loading = null;
				reject(new Error('Chart.js did not load'));
			};
			document.head.appendChild(s);
		});
	}
	return loading;
}

// Forget every chart (called when the view changes).
export function destroyCharts() {
	for (const c of live) c.destroy();
	live.clear();
}

function cssVar(name, fallback) {
	const v = getComputedStyle(document.documentElement).getPropertyValue(name).trim();
	return v || fallback;
}

// A figure with a caption, a canvas and a text summary.
export function chartFigure(title, cls) {
	const canvas = h('canvas', { role: 'img' });
	const summary = h('p', { class: 'chart-summary' });
	const fig = h('figure', { class: `chart ${cls || ''}`.trim() }, h('figcaption', null, title), h('div', { class: 'chart-box' }, canvas), summary);
	return { fig, canvas, summary };
}

// A chart on canvas, replacing any drawn there before; null when Chart.js
// cannot load (the text summary still says what it would show).
async function draw(canvas, config) {
	let Chart;
	try {
		Chart = await loadChart();
	} catch (_) {
		canvas.parentNode.hidden = true;
		return null;
	}
	if (!canvas.isConnected) return null;
	const old = Chart.getChart(canvas);
	if (old) {
		live.delete(old);
		old.destroy();
	}
	const chart = new Chart(canvas, config);
	live.add(chart);
	return chart;
}

function axes(opts) {
	const text = cssVar('--muted', '#555');
	const grid = cssVar('--line', '#ddd');
	return {
		x: { stacked: !!opts.stacked, ticks: { color: text, autoSkip: true, maxRotation: 0 }, grid: { display: !!opts.horizontal, color: grid } },
		y: { stacked: !!opts.stacked, beginAtZero: true, ticks: { color: text, precision: 0 }, grid: { display: !opts.horizontal, color: grid } },
	};
}

function bars(canvas, labels, values, opts = {}) {
	return draw(canvas, {
		type: 'bar',
		data: {
			labels,
			datasets: [
				{
					label: opts.label || '',
					data: values,
					backgroundColor: opts.colors || cssVar('--accent', '#2f6f5e'),
					borderRadius: 3,
					maxBarThickness: 48,
				},
			],
		},
		options: {
			indexAxis: opts.horizontal ? 'y' : 'x',
			responsive: true,
			maintainAspectRatio: false,
			animation: false,
			locale: locale(),
			plugins: { legend: { display: false }, tooltip: { enabled: true } },
			scales: axes(opts),
		},
	});
}

// Touches per week over the last `weeks` weeks (weeks start on Monday).
export function weeklyTouches(interactions, weeks = 26, now = new Date()) {
	const day = 86400000;
	const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
	const dow = (new Date(today).getUTCDay() + 6) % 7;
	const thisWeek = today - dow * day;
	const start = thisWeek - (weeks - 1) * 7 * day;
	const counts = new Array(weeks).fill(0);
	for (const it of interactions) {
		const at = Date.parse(it.at);
		if (!Number.isFinite(at) || at < start) continue;
		const i = Math.floor((at - start) / (7 * day));
		if (i >= 0 && i < weeks) counts[i] += 1;
	}
	const fmt = new Intl.DateTimeFormat(locale(), { day: 'numeric', month: 'short', timeZone: 'UTC' });
	const labels = counts.map((_, i) => fmt.format(new Date(start + i * 7 * day)));
	return { labels, counts };
}

export async function drawTouches(parts, interactions) {
	const weeks = 26;
	const { labels, counts } = weeklyTouches(interactions, weeks);
	const total = counts.reduce((a, b) => a + b, 0);
	const sentence = t('card.touchesSummary', { touches: tn('touches', total), weeks });
	parts.summary.textContent = sentence;
	parts.canvas.setAttribute('aria-label', sentence);
	return bars(parts.canvas, labels, counts, { label: t('card.touches') });
}

export const REASON_KINDS = ['birthday', 'date', 'follow_up', 'cadence'];
const REASON_COLORS = { birthday: '#c2410c', date: '#7c3aed', follow_up: '#0f766e', cadence: '#2563eb' };

export function reasonLoad(items) {
	const counts = Object.fromEntries(REASON_KINDS.map((k) => [k, 0]));
	for (const it of items) for (const r of it.reasons || []) counts[r.kind] = (counts[r.kind] || 0) + 1;
	return counts;
}

export async function drawLoad(parts, items, existing) {
	const counts = reasonLoad(items);
	const kinds = Object.keys(counts);
	const labels = kinds.map((k) => t(`reason.${k}`));
	const values = kinds.map((k) => counts[k]);
	const sentence = t('agenda.loadSummary', { list: kinds.map((k, i) => `${labels[i]} ${values[i]}`).join(', ') });
	parts.summary.textContent = sentence;
	parts.canvas.setAttribute('aria-label', sentence);
	if (existing && existing.canvas === parts.canvas && existing.ctx) {
		existing.data.labels = labels;
		existing.data.datasets[0].data = values;
		existing.update();
		return existing;
	}
	return bars(parts.canvas, labels, values, {
		horizontal: true,
		label: t('agenda.load'),
		colors: kinds.map((k) => REASON_COLORS[k] || '#64748b'),
	});
}

// The funnel: how many clients entered each stage.  name(stage) gives the
// name shown for a stage of the document.
export async function drawFunnel(parts, stages, name) {
	const labels = stages.map(name);
	const values = stages.map((s) => s.entered);
	const sentence = t('funnel.summary', { list: labels.map((l, i) => `${l} ${values[i]}`).join(', ') });
	parts.summary.textContent = sentence;
	parts.canvas.setAttribute('aria-label', sentence);
	return bars(parts.canvas, labels, values, { label: t('funnel.entered') });
}

// Themes over periods: one stacked bar per period, a colour per theme.
// periods are labels already fit to read; themes [{label, by_period}].
const THEME_COLORS = ['#2f6f5e', '#c2410c', '#2563eb', '#7c3aed', '#b45309', '#0f766e', '#be185d', '#4d7c0f', '#64748b'];

export async function drawThemes(parts, periods, themes) {
	const total = (th) => (th.by_period || []).reduce((a, b) => a + b, 0);
	const sentence = t('report.chartSummary', { list: themes.map((th) => `${th.label} ${total(th)}`).join(', ') });
	parts.summary.textContent = sentence;
	parts.canvas.setAttribute('aria-label', sentence);
	return draw(parts.canvas, {
		type: 'bar',
		data: {
			labels: periods,
			datasets: themes.map((th, i) => ({
				label: th.label,
				data: periods.map((_, j) => (th.by_period || [])[j] || 0),
				backgroundColor: THEME_COLORS[i % THEME_COLORS.length],
				maxBarThickness: 56,
			})),
		},
		options: {
			responsive: true,
			maintainAspectRatio: false,
			animation: false,
			locale: locale(),
			plugins: { legend: { display: true, position: 'bottom', labels: { color: cssVar('--text', '#222'), boxWidth: 12 } }, tooltip: { enabled: true } },
			scales: axes({ stacked: true }),
		},
	});
}

// How lifetime values spread: one bar per bin of edges (edges[i] to
// edges[i+1]; with as many edges as counts, the last bin is open above).
function moneyShort(v, currency) {
	const n = Number(v);
	if (!Number.isFinite(n)) return String(v);
	const o = { notation: 'compact', maximumFractionDigits: 1 };
	if (currency && /^[A-Z]{3}$/.test(currency)) {
		try {
			return new Intl.NumberFormat(locale(), { ...o, style: 'currency', currency }).format(n);
		} catch (_) {
			/* written without the currency below */
		}
	}
	return new Intl.NumberFormat(locale(), o).format(n);
}

// "a–b" per bin of edges, each edge written by fmt; the last bin open
// above when there are as many edges as bins.
function rangeLabels(edges, n, fmt) {
	const labels = [];
	for (let i = 0; i < n; i++) {
		const from = fmt(edges[i]);
		labels.push(i + 1 < edges.length ? `${from}–${fmt(edges[i + 1])}` : `≥ ${from}`);
	}
	return labels;
}

export function binLabels(edges, n, currency) {
	return rangeLabels(edges, n, (v) => moneyShort(v, currency));
}

export async function drawDistribution(parts, edges, counts, currency) {
	const labels = binLabels(edges, counts.length, currency);
	const total = counts.reduce((a, b) => a + (Number(b) || 0), 0);
	const sentence = t('value.distributionSummary', { clients: tn('clients', total), list: labels.map((l, i) => `${l}: ${counts[i]}`).join(', ') });
	parts.summary.textContent = sentence;
	parts.canvas.setAttribute('aria-label', sentence);
	return bars(parts.canvas, labels, counts, { label: t('value.clients') });
}

// Shares from 0 to 1 along a line, one per label (a period, a generation);
// null leaves a gap.  series: [{label, data}]; sentence says it in words.
const LINE_COLORS = ['#2f6f5e', '#c2410c', '#2563eb', '#7c3aed'];

export async function drawShares(parts, labels, series, sentence) {
	parts.summary.textContent = sentence;
	parts.canvas.setAttribute('aria-label', sentence);
	const pct = new Intl.NumberFormat(locale(), { style: 'percent', maximumFractionDigits: 0 });
	const scales = axes({});
	scales.y = { ...scales.y, min: 0, max: 1, ticks: { ...scales.y.ticks, precision: undefined, callback: (v) => pct.format(v) } };
	return draw(parts.canvas, {
		type: 'line',
		data: {
			labels,
			datasets: series.map((s, i) => ({
				label: s.label,
				data: s.data,
				borderColor: LINE_COLORS[i % LINE_COLORS.length],
				backgroundColor: LINE_COLORS[i % LINE_COLORS.length],
				pointRadius: labels.length > 60 ? 0 : 2,
				borderWidth: 2,
				spanGaps: false,
				tension: 0,
			})),
		},
		options: {
			responsive: true,
			maintainAspectRatio: false,
			animation: false,
			locale: locale(),
			plugins: { legend: { display: series.length > 1, position: 'bottom' }, tooltip: { enabled: true } },
			scales,
		},
	});
}

// Scores side by side, the best on top.
export async function drawScores(parts, labels, values, sentence, label) {
	parts.summary.textContent = sentence;
	parts.canvas.setAttribute('aria-label', sentence);
	return bars(parts.canvas, labels, values, { horizontal: true, label });
}

// How alignment scores spread from -1 to 1: one bar per bin of edges.
export async function drawHistogram(parts, edges, counts) {
	const fmt = new Intl.NumberFormat(locale(), { maximumFractionDigits: 2, signDisplay: 'exceptZero' });
	const labels = rangeLabels(edges, counts.length, (v) => fmt.format(Number(v)));
	const total = counts.reduce((a, b) => a + (Number(b) || 0), 0);
	const sentence = t('align.distributionSummary', { clients: tn('clients', total), list: labels.map((l, i) => `${l}: ${counts[i]}`).join(', ') });
	parts.summary.textContent = sentence;
	parts.canvas.setAttribute('aria-label', sentence);
	return bars(parts.canvas, labels, counts, { label: t('value.clients') });
}
