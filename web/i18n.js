// Interface strings in English and Russian.  The language comes from a
// choice remembered in localStorage, else from the browser's language.

const KEY = 'rapport.lang';

const en = {
	'app.name': 'rapport',
	'app.skip': 'Skip to content',
	'nav.label': 'Main',
	'nav.agenda': 'Today',
	'nav.contacts': 'Contacts',
	'nav.search': 'Search',
	'lang.label': 'Language',
	'user.logout': 'Log out',
	'user.as': 'Signed in as {login} ({role})',
	'loading': 'Loading…',
	'retry': 'Try again',
	'close': 'Close',
	'save': 'Save',
	'cancel': 'Cancel',
	'saving': 'Saving…',
	'none': '—',
	'dismiss': 'Dismiss',

	'login.title': 'Sign in',
	'login.intro': 'Keep every client relationship personal.',
	'login.login': 'Login',
	'login.password': 'Password',
	'login.submit': 'Sign in',
	'login.wait': 'Too many attempts. Try again in {n}.',
	'login.waitDone': 'You can try again now.',

	'err.title': 'Something went wrong',
	'err.network': 'The server cannot be reached. Check the connection and try again.',
	'err.status': 'HTTP {status}',
	'err.retryAfter': 'Try again in {n}.',
	'err.notFound': 'Nothing here. Check the address.',

	'agenda.title': 'Today',
	'agenda.titleDate': 'Agenda for {date}',
	'agenda.count': '{n} people to reach',
	'agenda.empty': 'Nobody to reach on this day. Enjoy it.',
	'agenda.date': 'Day',
	'agenda.mine': 'Only my clients',
	'agenda.show': 'Show',
	'agenda.reasons': 'Why',
	'agenda.logTouch': 'Log a touch',
	'agenda.done': 'Done',
	'agenda.doneLabel': 'Mark the follow-up “{fact}” as done',
	'agenda.touched': 'Touch logged',
	'agenda.allDone': 'Nothing left for {name}.',
	'agenda.reasonDone': 'Follow-up marked as done.',
	'agenda.load': 'Today’s load by reason',
	'agenda.loadSummary': 'Reasons today: {list}',
	'agenda.rank': 'No. {n}',

	'reason.birthday': 'Birthdays',
	'reason.date': 'Yearly dates',
	'reason.follow_up': 'Follow-ups',
	'reason.cadence': 'Keeping in touch',

	'touch.legend': 'Log a touch with {name}',
	'touch.kind': 'Kind',
	'touch.minutes': 'Minutes',
	'touch.summary': 'What happened',
	'touch.summaryHint': 'A line or two, in the client’s words',
	'touch.saved': 'Touch logged.',

	'kind.call': 'Call',
	'kind.meeting': 'Meeting',
	'kind.message': 'Message',
	'kind.visit': 'Visit',
	'kind.email': 'Email',
	'kind.note': 'Note',
	'kind.purchase': 'Purchase',
	'kind.complaint': 'Complaint',

	'dir.in': 'from the client',
	'dir.out': 'to the client',

	'tier.panel': 'Panel',
	'tier.close': 'Close',
	'tier.regular': 'Regular',
	'tier.distant': 'Distant',
	'tier.any': 'Any tier',

	'address.ty': '«ты» (informal)',
	'address.vy': '«вы» (formal)',

	'card.address': 'Address as',
	'card.tier': 'Tier',
	'card.owner': 'Looked after by',
	'card.birthday': 'Birthday',
	'card.age': '{age}',
	'card.lastTouch': 'Last touch',
	'card.created': 'Added',
	'card.note': 'Note',
	'card.channels': 'Channels',
	'card.emails': 'Email',
	'card.phones': 'Phone',
	'card.messengers': 'Messenger',
	'card.postal': 'Post',
	'card.tags': 'Tags',
	'card.dates': 'Dates',
	'card.noChannels': 'No channels yet.',
	'card.facts': 'Facts',
	'card.noFacts': 'Nothing remembered yet.',
	'card.followUp': 'follow up {date}',
	'card.followUpDone': 'followed up',
	'card.factDone': 'Done',
	'card.addFact': 'Remember a fact',
	'card.factText': 'Fact',
	'card.factHint': 'e.g. Knee surgery in December',
	'card.factFollowUp': 'Follow up on (optional)',
	'card.factSaved': 'Fact saved.',
	'card.relations': 'Relations',
	'card.noRelations': 'No relations recorded.',
	'card.timeline': 'Timeline',
	'card.noTimeline': 'No interactions yet.',
	'card.touches': 'Touches per week',
	'card.touchesSummary': '{touches} in the last {weeks} weeks',
	'card.by': 'by {who}',
	'card.minutes': '{n} min',
	'card.back': 'Back',

	'date.birthday': 'Birthday',
	'date.anniversary': 'Anniversary',
	'date.other': 'Date',

	'rel.family': 'Family',
	'rel.friend': 'Friend',
	'rel.colleague': 'Colleague',
	'rel.referred_by': 'Referred by',
	'rel.referred': 'Referred',

	'contacts.title': 'Contacts',
	'contacts.name': 'Name',
	'contacts.tier': 'Tier',
	'contacts.tag': 'Tag',
	'contacts.owner': 'Owner',
	'contacts.apply': 'Apply',
	'contacts.reset': 'Reset',
	'contacts.prev': 'Previous',
	'contacts.next': 'Next',
	'contacts.range': '{from}–{to}',
	'contacts.empty': 'No contacts match.',
	'contacts.lastTouch': 'Last touch',
	'contacts.channel': 'Channel',
	'contacts.paging': 'Pages',

	'search.title': 'Search',
	'search.label': 'Find clients, facts and conversations',
	'search.hint': 'Any word form: “университете” finds “университет”.',
	'search.empty': 'Nothing found for “{q}”.',
	'search.count': '{n} found',
	'search.kind.contact': 'Client',
	'search.kind.fact': 'Fact',
	'search.kind.interaction': 'Interaction',

	'nav.funnel': 'Funnel',

	'stage.stranger': 'Stranger',
	'stage.attention': 'Attention',
	'stage.yes': 'Said yes',
	'stage.dialogue': 'Dialogue',
	'stage.trust': 'Trust',
	'stage.customer': 'Customer',
	'stage.advocate': 'Advocate',

	'ladder.title': 'Ladder',
	'ladder.now': 'Stands at',
	'ladder.history': 'Moves',
	'ladder.noMoves': 'No moves yet.',
	'ladder.more': '…and {n} earlier',
	'ladder.move': 'Move on the ladder',
	'ladder.to': 'To',
	'ladder.why': 'Why',
	'ladder.whyHint': 'e.g. Asked for the spring catalogue',
	'ladder.evidence': 'Evidence (optional)',
	'ladder.submit': 'Move',
	'ladder.moved': 'Moved to {stage}.',
	'ladder.same': 'Already at {stage}.',

	'cause.person': 'by hand',
	'cause.consent': 'consent',
	'cause.revoke': 'consent withdrawn',
	'cause.purchase': 'purchase',
	'cause.referral': 'referral bought',
	'cause.import': 'import',
	'cause.merge': 'merge',

	'consent.title': 'Consent',
	'consent.none': 'No consent recorded. Nothing is assumed.',
	'consent.granted': 'granted',
	'consent.revoked': 'withdrawn',
	'consent.pending': 'awaiting confirmation',
	'consent.withdraw': 'Withdraw',
	'consent.withdrawLabel': 'Withdraw the consent: {what}',
	'consent.withdrawn': 'Consent withdrawn.',
	'consent.add': 'Record a consent',
	'consent.channel': 'Channel',
	'consent.purpose': 'Purpose',
	'consent.how': 'How it was given',
	'consent.evidence': 'What the client was shown or said',
	'consent.evidenceHint': 'e.g. Signed the paper form “News by email”',
	'consent.saved': 'Consent recorded.',

	'channel.email': 'Email',
	'channel.phone': 'Phone',
	'channel.sms': 'SMS',
	'channel.messenger': 'Messenger',
	'channel.post': 'Post',
	'purpose.service': 'Service',
	'purpose.news': 'News',
	'purpose.offers': 'Offers',
	'purpose.surveys': 'Surveys',
	'how.call': 'Call',
	'how.form': 'Form',
	'how.in_person': 'In person',
	'how.import': 'Import',
	'how.link': 'Link',
	'how.signup': 'Sign-up',

	'funnel.title': 'Funnel',
	'funnel.period': '{from} – {to}',
	'funnel.from': 'From',
	'funnel.to': 'To',
	'funnel.show': 'Show',
	'funnel.chart': 'Clients who entered each stage',
	'funnel.summary': 'Entered: {list}',
	'funnel.stage': 'Stage',
	'funnel.entered': 'Entered',
	'funnel.converted': 'Went higher',
	'funnel.conversion': 'Conversion',
	'funnel.median': 'Median days in stage',
	'funnel.dropped': 'Dropped out',
	'funnel.empty': 'Nobody moved on the ladder in this period.',
	'funnel.help': 'Conversion: of the clients who entered a stage in the period, the share who reached a higher stage by its end. Median days: time in the stage of the moves out of it in the period.',
	'funnel.erased': '{n} entries are of clients erased since: they count as entered, and are not followed further.',

	'wait.s': '{n} s',
	'wait.min': '{n} min',
	'years': { one: '{n} year', other: '{n} years' },
	'days': { one: '{n} day', other: '{n} days' },
	'touches': { one: '{n} touch', other: '{n} touches' },
};

const ru = {
	'app.name': 'rapport',
	'app.skip': 'К содержимому',
	'nav.label': 'Разделы',
	'nav.agenda': 'Сегодня',
	'nav.contacts': 'Клиенты',
	'nav.search': 'Поиск',
	'lang.label': 'Язык',
	'user.logout': 'Выйти',
	'user.as': 'Вы вошли как {login} ({role})',
	'loading': 'Загрузка…',
	'retry': 'Повторить',
	'close': 'Закрыть',
	'save': 'Сохранить',
	'cancel': 'Отмена',
	'saving': 'Сохраняем…',
	'none': '—',
	'dismiss': 'Скрыть',

	'login.title': 'Вход',
	'login.intro': 'Помните о каждом клиенте лично.',
	'login.login': 'Логин',
	'login.password': 'Пароль',
	'login.submit': 'Войти',
	'login.wait': 'Слишком много попыток. Повторите через {n}.',
	'login.waitDone': 'Можно попробовать снова.',

	'err.title': 'Что-то пошло не так',
	'err.network': 'Сервер недоступен. Проверьте соединение и повторите.',
	'err.status': 'HTTP {status}',
	'err.retryAfter': 'Повторите через {n}.',
	'err.notFound': 'Здесь ничего нет. Проверьте адрес.',

	'agenda.title': 'Сегодня',
	'agenda.titleDate': 'План на {date}',
	'agenda.count': 'Связаться: {n}',
	'agenda.empty': 'В этот день связываться не с кем.',
	'agenda.date': 'День',
	'agenda.mine': 'Только мои клиенты',
	'agenda.show': 'Показать',
	'agenda.reasons': 'Почему',
	'agenda.logTouch': 'Записать контакт',
	'agenda.done': 'Готово',
	'agenda.doneLabel': 'Отметить «{fact}» как выполненное',
	'agenda.touched': 'Контакт записан',
	'agenda.allDone': 'По клиенту {name} больше ничего нет.',
	'agenda.reasonDone': 'Отмечено как выполненное.',
	'agenda.load': 'Нагрузка дня по причинам',
	'agenda.loadSummary': 'Причины на сегодня: {list}',
	'agenda.rank': '№ {n}',

	'reason.birthday': 'Дни рождения',
	'reason.date': 'Памятные даты',
	'reason.follow_up': 'Напоминания',
	'reason.cadence': 'Давно не общались',

	'touch.legend': 'Записать контакт: {name}',
	'touch.kind': 'Вид',
	'touch.minutes': 'Минуты',
	'touch.summary': 'Что было',
	'touch.summaryHint': 'Пара строк, словами клиента',
	'touch.saved': 'Контакт записан.',

	'kind.call': 'Звонок',
	'kind.meeting': 'Встреча',
	'kind.message': 'Сообщение',
	'kind.visit': 'Визит',
	'kind.email': 'Письмо',
	'kind.note': 'Заметка',
	'kind.purchase': 'Покупка',
	'kind.complaint': 'Жалоба',

	'dir.in': 'от клиента',
	'dir.out': 'клиенту',

	'tier.panel': 'Панель',
	'tier.close': 'Близкий',
	'tier.regular': 'Обычный',
	'tier.distant': 'Дальний',
	'tier.any': 'Любой круг',

	'address.ty': '«ты»',
	'address.vy': '«вы»',

	'card.address': 'Обращение',
	'card.tier': 'Круг',
	'card.owner': 'Ведёт',
	'card.birthday': 'День рождения',
	'card.age': '{age}',
	'card.lastTouch': 'Последний контакт',
	'card.created': 'Добавлен',
	'card.note': 'Заметка',
	'card.channels': 'Связь',
	'card.emails': 'Почта',
	'card.phones': 'Телефон',
	'card.messengers': 'Мессенджер',
	'card.postal': 'Адрес',
	'card.tags': 'Метки',
	'card.dates': 'Даты',
	'card.noChannels': 'Способов связи пока нет.',
	'card.facts': 'Факты',
	'card.noFacts': 'Пока ничего не запомнили.',
	'card.followUp': 'напомнить {date}',
	'card.followUpDone': 'выполнено',
	'card.factDone': 'Готово',
	'card.addFact': 'Запомнить факт',
	'card.factText': 'Факт',
	'card.factHint': 'например: операция на колене в декабре',
	'card.factFollowUp': 'Напомнить (необязательно)',
	'card.factSaved': 'Факт сохранён.',
	'card.relations': 'Связи',
	'card.noRelations': 'Связей нет.',
	'card.timeline': 'История',
	'card.noTimeline': 'Контактов пока не было.',
	'card.touches': 'Контакты по неделям',
	'card.touchesSummary': '{touches} за последние {weeks} нед.',
	'card.by': '{who}',
	'card.minutes': '{n} мин',
	'card.back': 'Назад',

	'date.birthday': 'День рождения',
	'date.anniversary': 'Годовщина',
	'date.other': 'Дата',

	'rel.family': 'Семья',
	'rel.friend': 'Друг',
	'rel.colleague': 'Коллега',
	'rel.referred_by': 'Пришёл по рекомендации',
	'rel.referred': 'Порекомендовал',

	'contacts.title': 'Клиенты',
	'contacts.name': 'Имя',
	'contacts.tier': 'Круг',
	'contacts.tag': 'Метка',
	'contacts.owner': 'Ведёт',
	'contacts.apply': 'Применить',
	'contacts.reset': 'Сбросить',
	'contacts.prev': 'Назад',
	'contacts.next': 'Дальше',
	'contacts.range': '{from}–{to}',
	'contacts.empty': 'Никого не нашлось.',
	'contacts.lastTouch': 'Последний контакт',
	'contacts.channel': 'Связь',
	'contacts.paging': 'Страницы',

	'search.title': 'Поиск',
	'search.label': 'Найти клиентов, факты и разговоры',
	'search.hint': 'Любая форма слова: «университете» найдёт «университет».',
	'search.empty': 'По запросу «{q}» ничего не нашлось.',
	'search.count': 'Найдено: {n}',
	'search.kind.contact': 'Клиент',
	'search.kind.fact': 'Факт',
	'search.kind.interaction': 'Контакт',

	'nav.funnel': 'Воронка',

	'stage.stranger': 'Незнакомец',
	'stage.attention': 'Внимание',
	'stage.yes': 'Согласие',
	'stage.dialogue': 'Диалог',
	'stage.trust': 'Доверие',
	'stage.customer': 'Покупатель',
	'stage.advocate': 'Рекомендует',

	'ladder.title': 'Лестница',
	'ladder.now': 'Сейчас',
	'ladder.history': 'Переходы',
	'ladder.noMoves': 'Переходов пока не было.',
	'ladder.more': '…и ещё {n} раньше',
	'ladder.move': 'Перевести на ступень',
	'ladder.to': 'Куда',
	'ladder.why': 'Почему',
	'ladder.whyHint': 'например: попросила весенний каталог',
	'ladder.evidence': 'Подтверждение (необязательно)',
	'ladder.submit': 'Перевести',
	'ladder.moved': 'Переведён: {stage}.',
	'ladder.same': 'Уже на ступени «{stage}».',

	'cause.person': 'вручную',
	'cause.consent': 'согласие',
	'cause.revoke': 'согласие отозвано',
	'cause.purchase': 'покупка',
	'cause.referral': 'рекомендованный купил',
	'cause.import': 'импорт',
	'cause.merge': 'объединение',

	'consent.title': 'Согласия',
	'consent.none': 'Согласий нет. Ничего не предполагается.',
	'consent.granted': 'дано',
	'consent.revoked': 'отозвано',
	'consent.pending': 'ждёт подтверждения',
	'consent.withdraw': 'Отозвать',
	'consent.withdrawLabel': 'Отозвать согласие: {what}',
	'consent.withdrawn': 'Согласие отозвано.',
	'consent.add': 'Записать согласие',
	'consent.channel': 'Канал',
	'consent.purpose': 'Цель',
	'consent.how': 'Как дано',
	'consent.evidence': 'Что клиент видел или сказал',
	'consent.evidenceHint': 'например: подписала бумажную форму «Новости по почте»',
	'consent.saved': 'Согласие записано.',

	'channel.email': 'Почта',
	'channel.phone': 'Телефон',
	'channel.sms': 'SMS',
	'channel.messenger': 'Мессенджер',
	'channel.post': 'Письмо',
	'purpose.service': 'Обслуживание',
	'purpose.news': 'Новости',
	'purpose.offers': 'Предложения',
	'purpose.surveys': 'Опросы',
	'how.call': 'Звонок',
	'how.form': 'Форма',
	'how.in_person': 'Лично',
	'how.import': 'Импорт',
	'how.link': 'Ссылка',
	'how.signup': 'Подписка',

	'funnel.title': 'Воронка',
	'funnel.period': '{from} – {to}',
	'funnel.from': 'С',
	'funnel.to': 'По',
	'funnel.show': 'Показать',
	'funnel.chart': 'Сколько клиентов пришло на каждую ступень',
	'funnel.summary': 'Пришли: {list}',
	'funnel.stage': 'Ступень',
	'funnel.entered': 'Пришли',
	'funnel.converted': 'Поднялись выше',
	'funnel.conversion': 'Конверсия',
	'funnel.median': 'Медиана дней на ступени',
	'funnel.dropped': 'Опустились',
	'funnel.empty': 'За этот период никто не двигался по лестнице.',
	'funnel.help': 'Конверсия: доля клиентов, пришедших на ступень за период, которые к его концу поднялись выше. Медиана дней: сколько клиенты пробыли на ступени до перехода с неё за период.',
	'funnel.erased': 'Из них удалены с тех пор: {n}. Они учтены как пришедшие, дальше их не проследить.',

	'wait.s': '{n} с',
	'wait.min': '{n} мин',
	'years': { one: '{n} год', few: '{n} года', many: '{n} лет', other: '{n} года' },
	'days': { one: '{n} день', few: '{n} дня', many: '{n} дней', other: '{n} дня' },
	'touches': { one: '{n} контакт', few: '{n} контакта', many: '{n} контактов', other: '{n} контакта' },
};

export const LANGS = { en: 'English', ru: 'Русский' };
const TABLES = { en, ru };

function initial() {
	let saved = null;
	try {
		saved = localStorage.getItem(KEY);
	} catch (_) {
		/* storage may be disabled */
	}
	if (saved && TABLES[saved]) return saved;
	const wanted = navigator.languages && navigator.languages.length ? navigator.languages : [navigator.language || 'en'];
	for (const l of wanted) {
		const base = String(l).toLowerCase().slice(0, 2);
		if (TABLES[base]) return base;
	}
	return 'en';
}

let current = initial();

export function lang() {
	return current;
}

export function locale() {
	return current === 'ru' ? 'ru-RU' : 'en-GB';
}

export function setLang(l) {
	if (!TABLES[l]) return;
	current = l;
	try {
		localStorage.setItem(KEY, l);
	} catch (_) {
		/* not remembered, still switched */
	}
	document.documentElement.lang = l;
}

function fill(s, vars) {
	return s.replace(/\{(\w+)\}/g, (m, k) => (vars && k in vars ? String(vars[k]) : m));
}

// t('key', {vars}): the string in the current language, English if missing.
export function t(key, vars) {
	let s = TABLES[current][key];
	if (s === undefined) s = en[key];
	if (s === undefined) return key;
	if (typeof s === 'object') s = s.other;
	return fill(s, vars);
}

// tn('years', 3): the plural form for n.
const rules = {};
export function tn(key, n) {
	const forms = TABLES[current][key] || en[key];
	if (!forms) return String(n);
	rules[current] = rules[current] || new Intl.PluralRules(locale());
	const form = rules[current].select(n);
	return fill(forms[form] || forms.other, { n });
}

// A wait in seconds as people read it: "45 s", "15 min".
export function waitText(seconds) {
	const n = Math.max(1, Math.ceil(seconds));
	return n < 60 ? t('wait.s', { n }) : t('wait.min', { n: Math.ceil(n / 60) });
}
