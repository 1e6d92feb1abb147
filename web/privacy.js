// A person's rights on the client card, for owners only: download everything
// kept about them as one JSON file, and erase them for good after a
// confirmation step.  Its strings are kept here in English and Russian, in
// the form of i18n.js, and follow the language chosen there.

import { api, enc } from './api.js';
import { announce, h, id } from './dom.js';
import { errorBox } from './errors.js';
import { lang } from './i18n.js';

const en = {
	'privacy.title': 'Personal data',
	'privacy.intro': 'If {name} asks what is kept about them, or to be forgotten.',
	'privacy.export': 'Export personal data',
	'privacy.exporting': 'Preparing the file…',
	'privacy.exported': 'The file with {name}’s data is downloaded.',
	'privacy.erase': 'Erase this person…',
	'privacy.confirmTitle': 'Erase {name} for good?',
	'privacy.what1': 'The card goes, with channels, dates, tags, relations, facts, every interaction and consent.',
	'privacy.what2': 'Audit entries that name them are blanked; counts of messages sent and stage moves stay, without them.',
	'privacy.what3': 'Their emails and phones are kept only as a keyed hash, so that nobody adds them again by mistake.',
	'privacy.what4': 'What other clients’ notes say about them is not changed.',
	'privacy.undo': 'This cannot be undone. Export their data first if they asked for it.',
	'privacy.check': '{name} asked to be erased, and I understand it cannot be undone',
	'privacy.confirm': 'Erase for good',
	'privacy.erasing': 'Erasing…',
	'privacy.erased': 'Erased. Nothing about this person is kept.',
	'privacy.cancel': 'Cancel',
};

const ru = {
	'privacy.title': 'Персональные данные',
	'privacy.intro': 'Если клиент ({name}) спросит, что о нём хранится, или попросит его забыть.',
	'privacy.export': 'Выгрузить персональные данные',
	'privacy.exporting': 'Готовим файл…',
	'privacy.exported': 'Файл с данными клиента ({name}) скачан.',
	'privacy.erase': 'Удалить этого человека…',
	'privacy.confirmTitle': 'Удалить навсегда: {name}?',
	'privacy.what1': 'Удаляется карточка со способами связи, датами, метками, связями, фактами, всей историей и согласиями.',
	'privacy.what2': 'Записи журнала, где он упомянут, обезличиваются; счётчики писем и движений по лестнице остаются — без него.',
	'privacy.what3': 'Почта и телефоны сохраняются только как хэш с ключом, чтобы его не добавили снова по ошибке.',
	'privacy.what4': 'Заметки других клиентов, где он упомянут, не меняются.',
	'privacy.undo': 'Отменить это нельзя. Если клиент просил выгрузку, сначала выгрузите данные.',
	'privacy.check': 'Клиент ({name}) попросил удалить его, и я понимаю, что это нельзя отменить',
	'privacy.confirm': 'Удалить навсегда',
	'privacy.erasing': 'Удаляем…',
	'privacy.erased': 'Удалено. Об этом человеке ничего не хранится.',
	'privacy.cancel': 'Отмена',
};

const TABLES = { en, ru };

function pt(key, vars) {
	const s = (TABLES[lang()] || en)[key] ?? en[key] ?? key;
	return s.replace(/\{(\w+)\}/g, (m, k) => (vars && k in vars ? String(vars[k]) : m));
}

// The section for contact c, or null: only an owner may export or erase.
export function privacySection(c, ctx) {
	if (!ctx.user || ctx.user.role !== 'owner') return null;
	const name = c.name;
	const status = h('div', { class: 'privacy-status' });
	const exportBtn = h('button', { type: 'button', class: 'small' }, pt('privacy.export'));
	const eraseBtn = h('button', { type: 'button', class: 'small danger', 'aria-expanded': 'false' }, pt('privacy.erase'));
	const confirmBox = confirmation(c, ctx, status, () => {
		confirmBox.hidden = true;
		eraseBtn.setAttribute('aria-expanded', 'false');
		eraseBtn.focus();
	});
	confirmBox.hidden = true;
	eraseBtn.setAttribute('aria-controls', confirmBox.id);

	exportBtn.addEventListener('click', async () => {
		exportBtn.disabled = true;
		status.replaceChildren(h('p', { class: 'loading' }, pt('privacy.exporting')));
		try {
			const doc = await api('GET', `/contacts/${enc(c.id)}/privacy`, { signal: ctx.signal });
			if (!ctx.alive()) return;
			download(`rapport-contact-${c.id}.json`, JSON.stringify(doc, null, 2));
			status.replaceChildren();
			announce(pt('privacy.exported', { name }));
		} catch (e) {
			if (!ctx.alive() || e.name === 'AbortError' || e.status === 401) return;
			status.replaceChildren(errorBox(e));
		} finally {
			exportBtn.disabled = false;
		}
	});
	eraseBtn.addEventListener('click', () => {
		const open = confirmBox.hidden;
		confirmBox.hidden = !open;
		eraseBtn.setAttribute('aria-expanded', String(open));
		if (open) confirmBox.querySelector('input').focus();
	});

	return h(
		'section',
		{ class: 'panel privacy-section', 'aria-labelledby': 'h-privacy' },
		h('h2', { id: 'h-privacy' }, pt('privacy.title')),
		h('p', { class: 'muted' }, pt('privacy.intro', { name })),
		h('p', { class: 'privacy-actions' }, exportBtn, ' ', eraseBtn),
		confirmBox,
		status,
	);
}

// The confirmation step: what the erasure does, a box to tick, the button.
function confirmation(c, ctx, status, close) {
	const name = c.name;
	const check = h('input', { type: 'checkbox', id: id('privacy-check') });
	const go = h('button', { type: 'button', class: 'danger', disabled: true }, pt('privacy.confirm'));
	const cancel = h('button', { type: 'button', class: 'ghost' }, pt('privacy.cancel'));
	check.addEventListener('change', () => {
		go.disabled = !check.checked;
	});
	cancel.addEventListener('click', () => {
		check.checked = false;
		go.disabled = true;
		close();
	});
	go.addEventListener('click', async () => {
		go.disabled = cancel.disabled = check.disabled = true;
		go.textContent = pt('privacy.erasing');
		status.replaceChildren();
		try {
			await api('DELETE', `/contacts/${enc(c.id)}/privacy`, { query: { yes: true } });
		} catch (e) {
			go.textContent = pt('privacy.confirm');
			cancel.disabled = check.disabled = false;
			go.disabled = !check.checked;
			if (e.status !== 401) status.replaceChildren(errorBox(e));
			return;
		}
		announce(pt('privacy.erased'));
		ctx.go('#/contacts');
	});
	const titleId = id('privacy-confirm');
	return h(
		'div',
		{ class: 'privacy-confirm', id: id('privacy-box'), role: 'group', 'aria-labelledby': titleId },
		h('h3', { id: titleId }, pt('privacy.confirmTitle', { name })),
		h('ul', null, ['what1', 'what2', 'what3', 'what4'].map((k) => h('li', null, pt(`privacy.${k}`)))),
		h('p', null, h('strong', null, pt('privacy.undo'))),
		h('p', { class: 'privacy-check' }, check, ' ', h('label', { for: check.id }, pt('privacy.check', { name }))),
		h('p', { class: 'privacy-actions' }, go, ' ', cancel),
	);
}

// Save text as a file: the document never leaves the browser but to disk.
function download(filename, text) {
	const url = URL.createObjectURL(new Blob([text], { type: 'application/json' }));
	const a = h('a', { href: url, download: filename, hidden: true });
	document.body.appendChild(a);
	a.click();
	a.remove();
	setTimeout(() => URL.revokeObjectURL(url), 60000);
}
