// Lessons: a client's story turned into a change for the whole business.
// The lessons page (#/lessons, grouped by status) and one lesson
// (#/lessons/ID, with its supporting stories); the forms that make a lesson
// from stories or link a story to one; and moving a lesson along (start,
// drop, done with a note saying what was done).

import { api, enc } from './api.js';
import { announce, badge, disclosures, field, fmtDateOnly, fmtDay, h, id } from './dom.js';
import { errorBox, viewData } from './errors.js';
import { filterForm, missing, quickForm, submitting } from './forms.js';
import { t, tn, word } from './i18n.js';

export const LESSON_STATUSES = ['open', 'doing', 'done', 'dropped'];
const OPEN = new Set(['open', 'doing']);

export function statusBadge(status) {
	const cls = { open: 'soon', done: 'ok' }[status] || '';
	return badge(word('lstatus', status), `lesson-status status-${status} ${cls}`);
}

// "Turn into a lesson": a lesson made from the first of storyIds, the others
// linked to it as supporting stories.  onSaved({id, title}, linkError) runs
// once the lesson exists, even if linking a later story failed (then
// linkError says why), so that nobody makes the same lesson twice.
export function lessonForm(storyIds, ctx, { legend, onSaved, onCancel } = {}) {
	const title = h('input', { name: 'title', type: 'text', required: true, maxlength: '500', autocomplete: 'off', placeholder: t('lesson.titleHint') });
	const owner = h('input', { name: 'owner', type: 'text', required: true, maxlength: '100', autocomplete: 'off', autocapitalize: 'none', spellcheck: 'false', value: ctx.user ? ctx.user.login : '' });
	const segment = h('input', { name: 'segment', type: 'text', maxlength: '200', autocomplete: 'off' });
	const err = h('div', { class: 'form-error' });
	const progress = h('p', { class: 'muted', role: 'status' });
	const form = h(
		'form',
		{ class: 'quick lesson-form', novalidate: true },
		h(
			'fieldset',
			null,
			h('legend', null, legend || t('lesson.new')),
			field(t('lesson.titleField'), title).wrap,
			h('div', { class: 'row' }, field(t('lesson.owner'), owner).wrap, field(t('lesson.segment'), segment, t('lesson.segmentHint')).wrap),
			err,
			progress,
			h(
				'div',
				{ class: 'actions' },
				h('button', { type: 'submit', class: 'primary' }, t('lesson.create')),
				onCancel ? h('button', { type: 'button', class: 'ghost', onclick: () => onCancel() }, t('cancel')) : null,
			),
		),
	);
	form.addEventListener('submit', async (ev) => {
		ev.preventDefault();
		if (missing(title, owner)) return;
		const body = { story: storyIds[0], title: title.value.trim(), owner: owner.value.trim() };
		if (segment.value.trim()) body.segment = segment.value.trim();
		const res = await submitting(form, err, () => api('POST', '/lessons', { body }));
		if (!res) return;
		let linkError = null;
		const rest = storyIds.slice(1);
		for (let i = 0; i < rest.length && !linkError; i++) {
			progress.textContent = t('lesson.linking', { done: i, total: rest.length });
			try {
				await api('POST', `/lessons/${enc(res.id)}/stories`, { body: { story: rest[i] } });
			} catch (e) {
				linkError = e;
			}
		}
		progress.textContent = '';
		announce(t('lesson.created'));
		if (onSaved) onSaved({ id: res.id, title: body.title }, linkError);
	});
	form.focusFirst = () => title.focus();
	return form;
}

// What a made or linked lesson looks like where the form was: a line that
// says so, with a link to the lesson.
export function lessonDone(lesson, message, problem) {
	return h(
		'div',
		{ class: 'lesson-made', role: 'status' },
		h('p', null, `${message} `, h('a', { href: `#/lessons/${enc(lesson.id)}` }, `${t('lesson.open')}: ${lesson.title}`)),
		problem ? errorBox(problem) : null,
	);
}

// "Link to a lesson": pick one of the lessons still open or under way.
// onSaved(lesson) gets the chosen lesson.
export function linkForm(storyId, ctx, { onSaved, onCancel } = {}) {
	const wrap = h('div', { class: 'link-lesson', 'aria-busy': 'true' }, h('p', { class: 'loading' }, t('loading')));
	const cancel = onCancel ? h('button', { type: 'button', class: 'ghost', onclick: () => onCancel() }, t('cancel')) : null;
	wrap.tabIndex = -1;
	wrap.focusFirst = () => wrap.focus();
	// The lessons come after the click: take the focus if it is still ours.
	const settle = (el) => {
		if (el && document.activeElement === wrap) el.focus();
	};
	(async () => {
		let doc;
		try {
			doc = await api('GET', '/lessons', { signal: ctx.signal });
		} catch (e) {
			if (!ctx.alive() || e.name === 'AbortError' || e.status === 401) return;
			wrap.removeAttribute('aria-busy');
			wrap.replaceChildren(errorBox(e), cancel || '');
			settle(cancel);
			return;
		}
		if (!ctx.alive()) return;
		wrap.removeAttribute('aria-busy');
		const open = (doc.lessons || []).filter((l) => OPEN.has(l.status));
		if (!open.length) {
			wrap.replaceChildren(h('p', { class: 'empty' }, t('lesson.noOpen')), cancel || '');
			settle(cancel);
			return;
		}
		const pick = h(
			'select',
			{ name: 'lesson' },
			open.map((l) => h('option', { value: String(l.id) }, `${l.title} · ${word('lstatus', l.status)} · ${l.owner}`)),
		);
		const err = h('div', { class: 'form-error' });
		const form = h(
			'form',
			{ class: 'quick link-form', novalidate: true },
			h('fieldset', null, h('legend', null, t('lesson.linkLegend')), field(t('lesson.pick'), pick).wrap, err, h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'primary' }, t('lesson.linkSubmit')), cancel)),
		);
		form.addEventListener('submit', async (ev) => {
			ev.preventDefault();
			const lesson = open.find((l) => String(l.id) === pick.value);
			const res = await submitting(form, err, () => api('POST', `/lessons/${enc(lesson.id)}/stories`, { body: { story: storyId } }));
			if (!res) return;
			announce(t('lesson.linked', { title: lesson.title }));
			if (onSaved) onSaved(lesson);
		});
		wrap.replaceChildren(form);
		settle(pick);
	})();
	return wrap;
}

// ---- moving a lesson along -------------------------------------------------

// The buttons for lesson l: start, drop (with an optional note), done (with
// the required note).  onChanged(fresh, message) gets the lesson as the
// server has it after the change.
export function lessonActions(l, ctx, onChanged) {
	if (!ctx.canWrite() || !OPEN.has(l.status)) return null;
	const wrap = h('div', { class: 'lesson-actions', role: 'group', 'aria-label': t('lesson.actions', { title: l.title }) });
	const d = disclosures();
	const err = h('div', { class: 'form-error' });

	async function changed(message) {
		let fresh = null;
		try {
			fresh = await api('GET', `/lessons/${enc(l.id)}`, { signal: ctx.signal });
		} catch (e) {
			if (!ctx.alive() || e.name === 'AbortError') return;
			fresh = null;
		}
		announce(message);
		onChanged(fresh, message);
	}

	const buttons = h('div', { class: 'actions' });
	if (l.status === 'open') {
		const start = h('button', { type: 'button', class: 'small start' }, t('lesson.start'));
		start.addEventListener('click', async () => {
			start.disabled = true;
			err.replaceChildren();
			try {
				await api('PATCH', `/lessons/${enc(l.id)}`, { body: { status: 'doing' } });
			} catch (e) {
				start.disabled = false;
				if (e.status !== 401) err.replaceChildren(errorBox(e));
				return;
			}
			changed(t('lesson.started'));
		});
		buttons.appendChild(start);
	}
	buttons.appendChild(
		d.button(t('lesson.done'), { class: 'small done-toggle' }, (close) =>
			noteForm({
				legend: t('lesson.doneLegend'),
				label: t('lesson.doneNote'),
				hint: t('lesson.doneHint'),
				needed: true,
				submit: t('lesson.doneSubmit'),
				cls: 'done-form',
				close,
				run: (note) => api('POST', `/lessons/${enc(l.id)}/done`, { body: { note } }),
				after: () => changed(t('lesson.wasDone')),
			}),
		),
	);
	buttons.appendChild(
		d.button(t('lesson.drop'), { class: 'small drop-toggle' }, (close) =>
			noteForm({
				legend: t('lesson.dropLegend'),
				label: t('lesson.dropNote'),
				needed: false,
				submit: t('lesson.dropConfirm'),
				cls: 'drop-form',
				danger: true,
				close,
				run: (note) => api('PATCH', `/lessons/${enc(l.id)}`, { body: note ? { status: 'dropped', note } : { status: 'dropped' } }),
				after: () => changed(t('lesson.wasDropped')),
			}),
		),
	);
	wrap.append(buttons, err, d.slot);
	return wrap;
}

function noteForm({ legend, label, hint, needed, submit, cls, danger, close, run, after }) {
	const note = h('textarea', { name: 'note', rows: '2', maxlength: '5000', required: needed || null });
	const err = h('div', { class: 'form-error' });
	const form = quickForm(cls, legend, field(label, note, hint).wrap, err, { submit, onCancel: close, danger });
	form.addEventListener('submit', async (ev) => {
		ev.preventDefault();
		if (needed && missing(note)) return;
		const res = await submitting(form, err, () => run(note.value.trim()));
		if (res) after();
	});
	form.focusFirst = () => note.focus();
	return form;
}

// ---- the lessons page --------------------------------------------------------

export function lessonsView(root, ctx, params, lessonId) {
	if (lessonId) return lessonView(root, ctx, lessonId);
	return lessonList(root, ctx, params);
}

async function lessonList(root, ctx, params) {
	const status = LESSON_STATUSES.includes(params.get('status')) ? params.get('status') : '';
	const mine = params.get('mine') === '1';
	const heading = h('h1', { tabindex: '-1' }, t('lessons.title'));
	const slot = h('div', { class: 'lessons-slot', 'aria-busy': 'true' }, h('p', { class: 'loading' }, t('loading')));
	root.replaceChildren(h('header', { class: 'view-head' }, heading, h('p', { class: 'lead' }, t('lessons.lead'))), lessonFilters(ctx, status, mine), slot);
	ctx.focus(heading);

	const doc = await viewData(ctx, slot, '/lessons', { status: status || undefined, owner: mine && ctx.user ? ctx.user.login : undefined });
	if (!doc) return;
	const lessons = doc.lessons || [];
	const render = (focusId) => {
		if (!lessons.length) {
			slot.replaceChildren(h('p', { class: 'empty' }, t('lessons.empty')));
			return;
		}
		const groups = LESSON_STATUSES.map((st) => [st, lessons.filter((l) => l.status === st)]).filter(([, ls]) => ls.length);
		slot.replaceChildren(
			...groups.map(([st, ls]) => {
				const hid = id('lessons');
				return h(
					'section',
					{ class: `panel lesson-group group-${st}`, 'aria-labelledby': hid },
					h('h2', { id: hid }, word('lstatus', st), ' ', h('span', { class: 'count' }, `(${ls.length})`)),
					h('ol', { class: 'lesson-list' }, ls.map((l) => lessonItem(l, ctx, onChanged))),
				);
			}),
		);
		const link = focusId && slot.querySelector(`li[data-lesson-id="${focusId}"] a.lesson-title`);
		if (link) link.focus();
	};
	function onChanged(fresh, old) {
		const i = lessons.indexOf(old);
		if (fresh && i >= 0) lessons[i] = fresh;
		// Filtered by a status it has left: it goes from this list.
		if (status && fresh && fresh.status !== status && i >= 0) lessons.splice(i, 1);
		render(fresh ? fresh.id : old.id);
		if (!fresh) ctx.rerender();
	}
	render();
}

function lessonFilters(ctx, status, mine) {
	const pick = h(
		'select',
		{ name: 'status' },
		h('option', { value: '' }, t('lessons.anyStatus')),
		LESSON_STATUSES.map((s) => h('option', { value: s, selected: s === status }, word('lstatus', s))),
	);
	const mineBox = h('input', { type: 'checkbox', name: 'mine', id: id('lessons-mine') });
	mineBox.checked = mine;
	return filterForm(ctx, '#/lessons', { class: 'filters lesson-filters' }, [
		field(t('lessons.status'), pick).wrap,
		h('div', { class: 'field check' }, mineBox, h('label', { for: mineBox.id }, t('lessons.mine'))),
		h('div', { class: 'field buttons' }, h('button', { type: 'submit' }, t('lessons.show'))),
	]);
}

// A lesson in a list (the lessons page, the agenda): its title linking to
// it, status, owner, supporting stories, how long open or when added.
// onChanged(fresh, l), if given, adds the buttons that move it along.
export function lessonItem(l, ctx, onChanged) {
	return h(
		'li',
		{ class: `lesson lesson-${l.status}`, dataset: { lessonId: String(l.id) } },
		h('div', { class: 'lesson-head' }, h('a', { class: 'lesson-title', href: `#/lessons/${enc(l.id)}` }, l.title), statusBadge(l.status)),
		h(
			'p',
			{ class: 'lesson-meta' },
			h('span', { class: 'lesson-owner' }, `${t('lesson.ownerIs')}: ${l.owner}`),
			h('span', { class: 'lesson-stories' }, tn('stories.count', l.stories || 0)),
			typeof l.days_open === 'number' ? h('span', { class: 'muted' }, t('lesson.openFor', { days: tn('days', l.days_open) })) : null,
			l.segment ? h('span', { class: 'lesson-segment' }, `${t('lesson.for')}: ${l.segment}`) : null,
			l.created_at ? h('span', { class: 'muted' }, fmtDateOnly(l.created_at)) : null,
		),
		l.note ? h('p', { class: 'lesson-note' }, h('strong', null, `${t('lesson.note')}: `), l.note) : null,
		onChanged ? lessonActions(l, ctx, (fresh) => onChanged(fresh, l)) : null,
	);
}

// ---- one lesson ------------------------------------------------------------------

async function lessonView(root, ctx, lessonId) {
	const heading = h('h1', { tabindex: '-1' }, t('loading'));
	const crumbs = h('p', { class: 'crumbs' }, h('a', { href: '#/lessons' }, t('lessons.all')));
	root.replaceChildren(h('header', { class: 'view-head' }, crumbs, heading), h('p', { class: 'loading', 'aria-busy': 'true' }, t('loading')));
	ctx.focus(heading);
	let l;
	try {
		l = await api('GET', `/lessons/${enc(lessonId)}`, { signal: ctx.signal });
	} catch (e) {
		if (!ctx.alive() || e.name === 'AbortError' || e.status === 401) return;
		heading.textContent = t('err.title');
		root.replaceChildren(h('header', { class: 'view-head' }, crumbs, heading), errorBox(e, e.status === 404 ? null : () => ctx.rerender()));
		return;
	}
	if (!ctx.alive()) return;
	const show = (lesson) => {
		document.title = `${lesson.title} · rapport`;
		heading.textContent = lesson.title;
		const about = [
			[t('lessons.status'), statusBadge(lesson.status)],
			[t('lesson.ownerIs'), lesson.owner],
			[t('lesson.for'), segmentLine(lesson)],
			[t('lesson.added'), t('lesson.addedBy', { date: fmtDateOnly(lesson.created_at), who: lesson.created_by || t('none') })],
			lesson.done_at ? [t('lesson.doneAt'), fmtDateOnly(lesson.done_at)] : null,
			lesson.note ? [t('lesson.note'), h('span', { class: 'lesson-note' }, lesson.note)] : null,
		].filter(Boolean);
		const supporting = lesson.supporting || [];
		const stories = h(
			'section',
			{ class: 'panel supporting-section', 'aria-labelledby': 'h-supporting' },
			h('h2', { id: 'h-supporting' }, t('lesson.supporting'), ' ', h('span', { class: 'count' }, `(${supporting.length})`)),
			supporting.length
				? h(
						'ul',
						{ class: 'story-list supporting' },
						supporting.map((s) =>
							h(
								'li',
								{ class: 'story', dataset: { storyId: String(s.id) } },
								h('div', { class: 'story-meta' }, h('a', { class: 'story-contact', href: `#/contact/${enc(s.contact.id)}` }, s.contact.name), h('time', { datetime: s.told_on }, fmtDay(s.told_on))),
								h('blockquote', { class: 'story-text' }, s.text),
							),
						),
					)
				: h('p', { class: 'empty' }, t('lesson.noSupporting')),
		);
		root.replaceChildren(
			h('header', { class: 'view-head lesson-page-head' }, crumbs, heading, h('dl', { class: 'about' }, about.map(([k, v]) => h('div', null, h('dt', null, k), h('dd', null, v))))),
			lessonActions(lesson, ctx, (fresh) => {
				if (!fresh) return ctx.rerender();
				show(fresh);
				heading.focus();
			}) || '',
			stories,
		);
	};
	show(l);
}

// A segment is a saved filter: how many clients it selects today, linked
// to the contacts list with the same filter.  A segment kept as free text
// (before segments were filters) shows as it is.
function segmentLine(lesson) {
	if (!lesson.segment) return t('lesson.everyone');
	if (!lesson.segment_filter || lesson.segment_size == null) return lesson.segment;
	const q = new URLSearchParams(lesson.segment_filter).toString();
	return h('span', null, lesson.segment, ' · ', h('a', { href: `#/contacts?${q}`, class: 'segment-size' }, t('lesson.segmentSize', { n: lesson.segment_size })));
}
