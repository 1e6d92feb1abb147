// The funnel: how clients moved on the permission ladder in a period
// (GET /funnel): a bar chart of who entered each stage, and a table with
// conversion, median days in the stage and drop-outs.  docs/API.md defines
// each number.

import { chartFigure, drawFunnel } from './charts.js';
import { field, fmtDay, h } from './dom.js';
import { viewData } from './errors.js';
import { filterForm } from './forms.js';
import { stageName } from './ladder.js';
import { locale, t } from './i18n.js';

const DAY = /^\d{4}-\d{2}-\d{2}$/;

export async function funnelView(root, ctx, params) {
	const from = DAY.test(params.get('from') || '') ? params.get('from') : '';
	const to = DAY.test(params.get('to') || '') ? params.get('to') : '';
	const heading = h('h1', { tabindex: '-1' }, t('funnel.title'));
	const lead = h('p', { class: 'lead' });
	const slot = h('div', { class: 'funnel-slot', 'aria-busy': 'true' }, h('p', { class: 'loading' }, t('loading')));
	const chart = chartFigure(t('funnel.chart'), 'funnel-chart');
	chart.fig.hidden = true;
	root.replaceChildren(h('header', { class: 'view-head' }, heading, lead), periodForm(ctx, from, to), chart.fig, slot);
	ctx.focus(heading);

	const doc = await viewData(ctx, slot, '/funnel', { from: from || undefined, to: to || undefined });
	if (!doc) return;
	lead.textContent = t('funnel.period', { from: fmtDay(doc.from), to: fmtDay(doc.to) });
	const stages = doc.stages || [];
	const moved = stages.some((s) => s.entered > 0 || s.dropped > 0 || s.median_days !== null);
	const erased = stages.reduce((n, s) => n + (s.erased || 0), 0);
	slot.replaceChildren(
		...[
			moved ? null : h('p', { class: 'empty' }, t('funnel.empty')),
			h('div', { class: 'table-scroll' }, funnelTable(stages)),
			h('p', { class: 'hint' }, t('funnel.help')),
			erased ? h('p', { class: 'hint funnel-erased' }, t('funnel.erased', { n: erased })) : null,
		].filter(Boolean),
	);
	chart.fig.hidden = false;
	drawFunnel(chart, stages, stageName);
}

function periodForm(ctx, from, to) {
	const fromInput = h('input', { type: 'date', name: 'from', value: from, class: 'short' });
	const toInput = h('input', { type: 'date', name: 'to', value: to, class: 'short' });
	return filterForm(ctx, '#/funnel', { class: 'filters funnel-filters' }, [
		field(t('funnel.from'), fromInput).wrap,
		field(t('funnel.to'), toInput).wrap,
		h('div', { class: 'field buttons' }, h('button', { type: 'submit' }, t('funnel.show'))),
	]);
}

function funnelTable(stages) {
	const pct = new Intl.NumberFormat(locale(), { style: 'percent', maximumFractionDigits: 0 });
	const num = new Intl.NumberFormat(locale(), { maximumFractionDigits: 1 });
	const dash = t('none');
	const cols = ['funnel.stage', 'funnel.entered', 'funnel.converted', 'funnel.conversion', 'funnel.median', 'funnel.dropped'];
	return h(
		'table',
		{ class: 'funnel' },
		h('thead', null, h('tr', null, cols.map((k, i) => h('th', { scope: 'col', class: i ? 'num' : null }, t(k))))),
		h(
			'tbody',
			null,
			stages.map((s) =>
				h(
					'tr',
					{ dataset: { stage: s.stage } },
					h('th', { scope: 'row' }, stageName(s)),
					h('td', { class: 'num' }, String(s.entered)),
					h('td', { class: 'num' }, s.converted === null ? dash : String(s.converted)),
					h('td', { class: 'num' }, s.conversion === null ? dash : pct.format(s.conversion)),
					h('td', { class: 'num' }, s.median_days === null ? dash : num.format(s.median_days)),
					h('td', { class: 'num' }, String(s.dropped)),
				),
			),
		),
	);
}
