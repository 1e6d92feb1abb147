// What the stories add up to.  The report (#/stories/report, from
// GET /stories/report): themes over periods as a stacked chart, themes by
// kind, the stories no lesson has taken up yet, lessons by status.  The
// themes (#/stories/themes, from GET /stories/themes): each theme on one
// screen, "12 clients told us about …", with their words and a way to
// make it a lesson.

import { enc } from './api.js';
import { chartFigure, drawThemes } from './charts.js';
import { badge, disclosures, field, fmtDay, h, id, section } from './dom.js';
import { viewData } from './errors.js';
import { filterForm } from './forms.js';
import { lessonDone, LESSON_STATUSES, lessonForm, statusBadge } from './lessons.js';
import { STORY_KINDS, kindBadge, storyItem } from './stories.js';
import { locale, t, tn, word } from './i18n.js';

const DAY = /^\d{4}-\d{2}-\d{2}$/;

function subnav(here) {
	const link = (href, key, name) => h('a', { href, 'aria-current': here === name ? 'page' : null }, t(key));
	return h('p', { class: 'subnav' }, link('#/stories', 'stories.title', 'feed'), link('#/stories/report', 'stories.report', 'report'), link('#/stories/themes', 'stories.themes', 'themes'));
}

// "2026-09" reads as "Sep 2026"; other period names stay as they are.
function periodLabel(p) {
	const m = /^(\d{4})-(\d{2})$/.exec(p);
	if (!m) return p;
	return new Intl.DateTimeFormat(locale(), { month: 'short', year: 'numeric', timeZone: 'UTC' }).format(new Date(Date.UTC(+m[1], +m[2] - 1, 1)));
}

// ---- the report ------------------------------------------------------------------

export async function reportView(root, ctx, params) {
	const since = DAY.test(params.get('since') || '') ? params.get('since') : '';
	const by = params.get('by') === 'quarter' ? 'quarter' : 'month';
	const heading = h('h1', { tabindex: '-1' }, t('report.title'));
	document.title = `${t('report.title')} · rapport`;
	const slot = h('div', { class: 'report-slot', 'aria-busy': 'true' }, h('p', { class: 'loading' }, t('loading')));
	const chart = chartFigure(t('report.chart'), 'themes-chart');
	chart.fig.hidden = true;
	root.replaceChildren(h('header', { class: 'view-head' }, heading, subnav('report')), reportFilters(ctx, since, by), chart.fig, slot);
	ctx.focus(heading);

	const doc = await viewData(ctx, slot, '/stories/report', { since: since || undefined, by }, t('report.unavailable'));
	if (!doc) return;
	const periods = doc.periods || [];
	const themes = doc.themes || [];
	const without = doc.without_lesson || { count: 0, stories: [] };
	const lessons = doc.lessons || {};
	slot.replaceChildren(
		themes.length ? section('bykind', t('report.byKind'), h('div', { class: 'table-scroll' }, kindTable(themes))) : h('p', { class: 'empty' }, t('report.empty')),
		section(
			'without',
			t('report.without'),
			without.count ? h('p', { class: 'lead without-count' }, t('report.withoutCount', { stories: tn('stories.count', without.count) })) : h('p', { class: 'empty' }, t('report.withoutNone')),
			(without.stories || []).length ? h('ol', { class: 'story-list without-list' }, without.stories.map((s) => storyItem(s, ctx))) : null,
		),
		section(
			'lesson-counts',
			t('report.lessons'),
			h(
				'dl',
				{ class: 'lesson-counts' },
				LESSON_STATUSES.map((st) => h('div', { dataset: { status: st } }, h('dt', null, statusBadge(st)), h('dd', null, String(lessons[st] || 0)))),
			),
			h('p', null, h('a', { href: '#/lessons' }, t('lessons.all'))),
		),
	);
	if (themes.length && periods.length) {
		chart.fig.hidden = false;
		drawThemes(chart, periods.map(periodLabel), themes);
	}
}

function reportFilters(ctx, since, by) {
	const sinceInput = h('input', { type: 'date', name: 'since', value: since, class: 'short' });
	const byPick = h('select', { name: 'by' }, ['month', 'quarter'].map((b) => h('option', { value: b, selected: b === by }, t(`report.${b}`))));
	return filterForm(ctx, '#/stories/report', { class: 'filters report-filters' }, [
		field(t('report.since'), sinceInput).wrap,
		field(t('report.by'), byPick).wrap,
		h('div', { class: 'field buttons' }, h('button', { type: 'submit' }, t('report.show'))),
	]);
}

function kindTable(themes) {
	return h(
		'table',
		{ class: 'report bykind' },
		h('thead', null, h('tr', null, h('th', { scope: 'col' }, t('report.theme')), STORY_KINDS.map((k) => h('th', { scope: 'col', class: 'num' }, word('skind', k))), h('th', { scope: 'col', class: 'num' }, t('report.total')))),
		h(
			'tbody',
			null,
			themes.map((th) =>
				h(
					'tr',
					null,
					h('th', { scope: 'row' }, th.label, (th.terms || []).length ? h('small', { class: 'terms' }, th.terms.join(', ')) : null),
					STORY_KINDS.map((k) => h('td', { class: 'num', dataset: { kind: k } }, String((th.by_kind || {})[k] || 0))),
					h('td', { class: 'num total' }, String(th.stories || 0)),
				),
			),
		),
	);
}

// ---- the themes -------------------------------------------------------------------

export async function themesView(root, ctx, params) {
	const since = DAY.test(params.get('since') || '') ? params.get('since') : '';
	const heading = h('h1', { tabindex: '-1' }, t('themes.title'));
	document.title = `${t('themes.title')} · rapport`;
	const lead = h('p', { class: 'lead' });
	const slot = h('div', { class: 'themes-slot', 'aria-busy': 'true' }, h('p', { class: 'loading' }, t('loading')));
	root.replaceChildren(h('header', { class: 'view-head' }, heading, lead, subnav('themes')), slot);
	ctx.focus(heading);

	const doc = await viewData(ctx, slot, '/stories/themes', { since: since || undefined }, t('themes.unavailable'));
	if (!doc) return;
	if (doc.since) lead.textContent = t('themes.since', { date: fmtDay(doc.since) });
	const themes = doc.themes || [];
	slot.replaceChildren(
		doc.capped ? h('p', { class: 'hint themes-capped' }, t('themes.capped')) : '',
		themes.length ? h('ol', { class: 'themes' }, themes.map((th) => themeCard(th, ctx))) : h('p', { class: 'empty' }, t('themes.empty')),
	);
}

function themeCard(th, ctx) {
	const hid = id('theme');
	const kinds = Object.entries(th.by_kind || {}).filter(([, n]) => n > 0);
	const card = h(
		'li',
		{ class: 'theme panel', 'aria-labelledby': hid },
		h('h2', { id: hid, class: 'theme-told' }, tn('themes.told', th.clients || 0, { label: th.label })),
		h(
			'p',
			{ class: 'theme-meta' },
			h('span', { class: 'theme-stories' }, tn('stories.count', th.stories || 0)),
			...kinds.map(([k, n]) => h('span', { class: 'theme-kind' }, kindBadge(k), ` ${n}`)),
		),
		(th.terms || []).length ? h('p', { class: 'theme-terms' }, h('span', { class: 'muted' }, `${t('themes.terms')}: `), th.terms.map((w) => badge(w, 'term'))) : null,
		(th.examples || []).length
			? h(
					'div',
					{ class: 'theme-examples' },
					h('h3', null, t('themes.examples')),
					h(
						'ul',
						{ class: 'examples' },
						th.examples.map((x) => h('li', { dataset: { storyId: String(x.id) } }, h('blockquote', { class: 'story-text' }, x.text), h('a', { class: 'story-contact', href: `#/contact/${enc(x.contact.id)}` }, `— ${x.contact.name}`))),
					),
				)
			: null,
	);
	const ids = (th.story_ids || []).length ? th.story_ids : (th.examples || []).map((x) => x.id);
	if (ctx.canWrite() && ids.length) {
		const d = disclosures();
		const box = h('div');
		card.append(
			h(
				'div',
				{ class: 'actions' },
				d.button(t('lesson.newTheme'), { class: 'small to-lesson' }, (close) => {
					const form = lessonForm(ids, ctx, {
						legend: `${t('lesson.newTheme')} (${tn('stories.count', ids.length)})`,
						onCancel: close,
						onSaved: (lesson, problem) => {
							box.replaceChildren(lessonDone(lesson, t('lesson.created'), problem));
							box.querySelector('a').focus();
						},
					});
					box.replaceChildren(form);
					box.focusFirst = () => form.focusFirst();
					return box;
				}),
			),
			d.slot,
		);
	}
	return card;
}
