// Stories: what clients told, in their own words.  A story as a list item
// (with its actions: turn it into a lesson, link it to one, find similar
// ones), the quick entry form of the card, and the feed (#/stories).
// A story is free text from a client: it only ever becomes text nodes.

import { api, enc } from './api.js';
import { announce, badge, disclosures, field, fmtDay, h, id, section, todayIso } from './dom.js';
import { errorBox, viewData } from './errors.js';
import { filterForm, missing, submitting } from './forms.js';
import { lessonDone, lessonForm, linkForm } from './lessons.js';
import { locale, t, tn, word } from './i18n.js';

export const STORY_KINDS = ['choice', 'interaction', 'product', 'friends', 'life'];
export const TONES = ['positive', 'neutral', 'negative'];
const PAGE = 50;

export function kindBadge(kind) {
	const hint = t(`skindHint.${kind}`);
	const b = badge(word('skind', kind), `skind skind-${kind}`);
	if (hint !== `skindHint.${kind}`) b.title = hint;
	return b;
}

export function toneBadge(tone) {
	return tone ? badge(word('tone', tone), `tone tone-${tone}`) : null;
}

function kindOptions() {
	return STORY_KINDS.map((k) => h('option', { value: k }, `${word('skind', k)} — ${t(`skindHint.${k}`)}`));
}

// The line above a story: who told it (when the list mixes clients), when,
// what about, the tone, the tags and who wrote it down.
function storyMeta(s, showContact) {
	return h(
		'div',
		{ class: 'story-meta' },
		showContact && s.contact ? h('a', { class: 'story-contact', href: `#/contact/${enc(s.contact.id)}` }, s.contact.name) : null,
		s.told_on ? h('time', { datetime: s.told_on }, fmtDay(s.told_on)) : null,
		s.kind ? kindBadge(s.kind) : null,
		toneBadge(s.tone),
		...(s.tags || []).map((tag) => badge(`#${tag}`, 'tag')),
		s.by ? h('span', { class: 'muted story-by' }, t('card.by', { who: s.by })) : null,
		typeof s.score === 'number' ? h('span', { class: 'muted story-score' }, t('similar.score', { n: new Intl.NumberFormat(locale(), { maximumFractionDigits: 2 }).format(s.score) })) : null,
	);
}

// One story.  opts: contact (show who told it), actions (the buttons),
// fresh (just added), lesson: false to leave out the lesson buttons.
export function storyItem(s, ctx, opts = {}) {
	const li = h('li', { class: `story${s.tone ? ` tone-${s.tone}` : ''}${opts.fresh ? ' fresh' : ''}`, dataset: { storyId: String(s.id) } }, storyMeta(s, opts.contact !== false), h('blockquote', { class: 'story-text' }, s.text));
	if (opts.actions === false) return li;
	const d = disclosures();
	const who = s.contact ? s.contact.name : '';
	const group = h('div', { class: 'story-actions', role: 'group', 'aria-label': `${who} · ${fmtDay(s.told_on)}` });
	const marks = h('p', { class: 'story-lessons' });
	if (ctx.canWrite() && opts.lesson !== false) {
		group.appendChild(
			d.button(t('story.toLesson'), { class: 'small to-lesson' }, (close) => {
				const box = h('div');
				const form = lessonForm([s.id], ctx, {
					onCancel: close,
					onSaved: (lesson, problem) => {
						marks.appendChild(lessonMark(lesson));
						box.replaceChildren(lessonDone(lesson, t('lesson.created'), problem));
						box.querySelector('a').focus();
					},
				});
				box.appendChild(form);
				box.focusFirst = () => form.focusFirst();
				return box;
			}),
		);
		group.appendChild(
			d.button(t('story.link'), { class: 'small link-lesson-toggle' }, (close) => {
				const box = h('div');
				const form = linkForm(s.id, ctx, {
					onCancel: close,
					onSaved: (lesson) => {
						marks.appendChild(lessonMark(lesson));
						box.replaceChildren(lessonDone(lesson, t('lesson.linked', { title: lesson.title })));
						box.querySelector('a').focus();
					},
				});
				box.appendChild(form);
				box.focusFirst = () => form.focusFirst();
				return box;
			}),
		);
	}
	group.appendChild(d.button(t('story.similar'), { class: 'small similar-toggle' }, () => similarPanel(s, ctx)));
	li.append(marks, group, d.slot);
	return li;
}

function lessonMark(lesson) {
	return h('a', { class: 'badge ok lesson-mark', href: `#/lessons/${enc(lesson.id)}` }, t('story.lessonBadge', { title: lesson.title }));
}

// Stories like s (GET /stories/{id}/similar).  A server without that route
// answers 404: said calmly, not as a failure.
function similarPanel(s, ctx) {
	const hid = id('similar');
	const body = h('div', { 'aria-busy': 'true' }, h('p', { class: 'loading' }, t('loading')));
	const panel = h('section', { class: 'similar', 'aria-labelledby': hid, tabindex: '-1' }, h('h3', { id: hid }, t('similar.title')), body);
	panel.focusFirst = () => panel.focus();
	const load = async () => {
		body.setAttribute('aria-busy', 'true');
		let doc;
		try {
			doc = await api('GET', `/stories/${enc(s.id)}/similar`, { signal: ctx.signal });
		} catch (e) {
			if (!ctx.alive() || e.name === 'AbortError' || e.status === 401) return;
			body.removeAttribute('aria-busy');
			if (e.status === 404) body.replaceChildren(h('p', { class: 'empty similar-unavailable' }, /route/.test(e.message) ? t('similar.unavailable') : e.message));
			else body.replaceChildren(errorBox(e, load));
			return;
		}
		if (!ctx.alive()) return;
		body.removeAttribute('aria-busy');
		const similar = doc.similar || [];
		body.replaceChildren(
			similar.length ? h('ul', { class: 'story-list similar-list' }, similar.map((x) => storyItem(x, ctx, { actions: false }))) : h('p', { class: 'empty' }, t('similar.none')),
		);
	};
	load();
	return panel;
}

// Tags as the server keeps them ("Front desk" and "front desk" are one
// tag, in order), so that a new story shows as it will after a reload.
function foldTags(list) {
	return [...new Set(list.map((x) => x.normalize('NFKC').toLowerCase().replace(/ё/g, 'е')))].sort();
}

// ---- quick entry on the card -----------------------------------------------------

// "Record a story": kind, tone, tags, the words, the day.  onSaved(story)
// gets the story as the card shows it.
export function storyForm(contact, ctx, { onSaved } = {}) {
	const kind = h('select', { name: 'kind', required: true }, h('option', { value: '' }, t('story.kindPick')), kindOptions());
	const tone = h('select', { name: 'tone' }, h('option', { value: '' }, t('tone.none')), TONES.map((x) => h('option', { value: x }, word('tone', x))));
	const tags = h('input', { name: 'tags', type: 'text', autocomplete: 'off', maxlength: '500' });
	const today = todayIso();
	const on = h('input', { name: 'on', type: 'date', class: 'short', value: today, max: today });
	const text = h('textarea', { name: 'text', rows: '3', required: true, placeholder: t('story.textHint') });
	const err = h('div', { class: 'form-error' });
	const form = h(
		'form',
		{ class: 'quick story-form', novalidate: true },
		h(
			'fieldset',
			null,
			h('legend', null, t('story.add')),
			h('div', { class: 'row' }, field(t('story.kind'), kind).wrap, field(t('story.tone'), tone).wrap, field(t('story.on'), on).wrap),
			field(t('story.text'), text).wrap,
			field(t('story.tags'), tags, t('story.tagsHint')).wrap,
			err,
			h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'primary' }, t('save'))),
		),
	);
	form.addEventListener('submit', async (ev) => {
		ev.preventDefault();
		if (missing(kind, text)) return;
		const body = { kind: kind.value, text: text.value.trim() };
		if (tone.value) body.tone = tone.value;
		const tagList = tags.value.split(/[,;\n]/).map((x) => x.trim()).filter(Boolean);
		if (tagList.length) body.tag = tagList;
		// The day left as it was is the server's today: the reader's clock
		// may already be on tomorrow.
		if (on.value && on.value !== today) body.on = on.value;
		const res = await submitting(form, err, () => api('POST', `/contacts/${enc(contact.id)}/stories`, { body }));
		if (!res) return;
		text.value = '';
		tags.value = '';
		announce(t('story.saved'));
		if (onSaved) {
			onSaved({ id: res.id, contact: { id: contact.id, name: contact.name }, told_on: body.on || today, kind: body.kind, tone: body.tone || null, text: body.text, tags: foldTags(tagList), by: ctx.user ? ctx.user.login : null });
		}
		text.focus();
	});
	return form;
}

// The card's stories: the entry form, then the latest ones, the newest on
// top.  The card has them without tags; the story list has those, so the
// section asks for it once drawn.
export function storiesSection(c, ctx) {
	const list = h('ol', { class: 'story-list card-stories' });
	const none = h('p', { class: 'empty' }, t('story.none'));
	const show = (stories) => {
		list.replaceChildren(...stories.map((s) => storyItem({ ...s, contact: s.contact || { id: c.id, name: c.name } }, ctx, { contact: false })));
		none.hidden = stories.length > 0;
	};
	show(c.stories || []);
	const s = section('stories', t('story.section'));
	if (ctx.canWrite()) {
		s.appendChild(
			storyForm(c, ctx, {
				onSaved: (story) => {
					list.prepend(storyItem(story, ctx, { contact: false, fresh: true }));
					none.hidden = true;
				},
			}),
		);
	}
	s.append(none, list, h('p', { class: 'more-stories' }, h('a', { href: `#/stories?contact=${enc(c.id)}` }, t('story.all'))));
	if ((c.stories || []).length) {
		api('GET', '/stories', { query: { contact: c.id, limit: 10 }, signal: ctx.signal })
			.then((doc) => {
				// Not over a story just added or a panel opened meanwhile.
				if (ctx.alive() && !list.querySelector('.fresh, [aria-expanded=true]')) show(doc.stories || []);
			})
			.catch(() => {});
	}
	return s;
}

// ---- the feed ----------------------------------------------------------------------

export async function storiesView(root, ctx, params) {
	const kind = STORY_KINDS.includes(params.get('kind')) ? params.get('kind') : '';
	const contact = /^\d+$/.test(params.get('contact') || '') ? params.get('contact') : '';
	const limit = Math.min(Math.max(parseInt(params.get('limit') || '', 10) || PAGE, 1), 1000);
	const heading = h('h1', { tabindex: '-1' }, t('stories.title'));
	const lead = h('p', { class: 'lead' }, t('stories.lead'));
	const slot = h('div', { class: 'stories-slot', 'aria-busy': 'true' }, h('p', { class: 'loading' }, t('loading')));
	const sub = h('p', { class: 'subnav' }, h('a', { href: '#/stories/report', class: 'to-report' }, t('stories.report')), h('a', { href: '#/stories/themes', class: 'to-themes' }, t('stories.themes')));
	root.replaceChildren(h('header', { class: 'view-head' }, heading, lead, sub), feedFilters(ctx, kind, contact), slot);
	ctx.focus(heading);

	const doc = await viewData(ctx, slot, '/stories', { kind: kind || undefined, contact: contact || undefined, limit });
	if (!doc) return;
	const stories = doc.stories || [];
	if (contact) {
		const who = stories[0] && stories[0].contact;
		heading.textContent = who ? t('stories.ofContact', { name: who.name }) : t('stories.title');
		lead.replaceChildren(who ? h('a', { href: `#/contact/${enc(who.id)}` }, who.name) : '', who ? ' · ' : '', h('a', { href: '#/stories' }, t('stories.everyone')));
	}
	if (!stories.length) {
		slot.replaceChildren(h('p', { class: 'empty' }, t('stories.empty')));
		return;
	}
	const more = () => {
		const p = new URLSearchParams(params);
		p.set('limit', String(limit + PAGE));
		ctx.go(`#/stories?${p}`);
	};
	slot.replaceChildren(
		...[
			h('p', { class: 'count', role: 'status' }, tn('stories.count', stories.length)),
			h('ol', { class: 'story-list feed' }, stories.map((s) => storyItem(s, ctx))),
			stories.length >= limit ? h('div', { class: 'pager' }, h('button', { type: 'button', class: 'more', onclick: more }, t('stories.more'))) : null,
		].filter(Boolean),
	);
}

function feedFilters(ctx, kind, contact) {
	const pick = h('select', { name: 'kind' }, h('option', { value: '' }, t('stories.anyKind')), kindOptions());
	pick.value = kind;
	return filterForm(
		ctx,
		'#/stories',
		{ class: 'filters story-filters' },
		[field(t('stories.kind'), pick).wrap, h('div', { class: 'field buttons' }, h('button', { type: 'submit' }, t('stories.show')))],
		contact ? { contact } : {},
	);
}
