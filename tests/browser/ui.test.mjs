// The web UI in a real browser: Debian's Chromium driven by playwright-core
// against a live server (tests/browser/run.sh sets it up).
//   BASE_URL  the server, e.g. http://127.0.0.1:40123
//   CHROMIUM  the browser binary; SCREENSHOTS  where to save a picture per step
//   PROFILE_DIR  a fresh folder for the browser's profiles
//   RAPPORT_LOGIN, RAPPORT_PASSWORD  a manager's login
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { chromium } from 'playwright-core';

const BASE = process.env.BASE_URL;
const SHOTS = process.env.SCREENSHOTS || 'build/test-output/screenshots';
const LOGIN = process.env.RAPPORT_LOGIN || 'anna';
const PASSWORD = process.env.RAPPORT_PASSWORD || 'password-for-tests';
const MARKUP_NAME = 'Zed <b>Bold</b> Tester';

let context;
let page;
const problems = []; // uncaught errors and CSP violations seen by the page

function watch(p) {
	p.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
	p.on('console', (m) => {
		if (m.type() !== 'error') return;
		const text = m.text();
		// Refused logins and ended sessions are answered 401 on purpose.
		if (/Failed to load resource/.test(text)) return;
		problems.push(`console: ${text}`);
	});
}

async function shot(name, p = page) {
	const file = join(SHOTS, `${name}.png`);
	try {
		await p.screenshot({ path: file, fullPage: false });
		console.log(`screenshot: ${file}`);
	} catch (e) {
		console.log(`screenshot ${file} failed: ${e.message}`);
	}
}

// Run body, then save a screenshot whether it passed or not.
// (autoShot false: the step saves its own.)
function step(name, body, { timeout = 45000, autoShot = true } = {}) {
	test(name.replace(/-/g, ' '), { timeout }, async () => {
		try {
			await body();
		} finally {
			if (autoShot) await shot(name);
		}
	});
}

// A link of the main navigation.
function nav(name, p = page) {
	return p.getByRole('navigation').getByRole('link', { name, exact: true });
}

// The API as the page sees it (same cookie), for checking what was stored.
function apiGet(path) {
	return page.evaluate(async (p) => {
		const r = await fetch(`/api/v1${p}`, { headers: { Accept: 'application/json' } });
		return { status: r.status, body: await r.json() };
	}, path);
}

// Each browser gets a fresh profile folder (--user-data-dir).
let profiles;
async function launch(options) {
	const dir = mkdtempSync(join(profiles, 'profile-'));
	const ctx = await chromium.launchPersistentContext(dir, {
		executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
		headless: true,
		args: [
			'--no-sandbox',
			'--disable-gpu',
			'--disable-quic',
			'--no-first-run',
			'--disable-background-networking',
			'--disable-component-update',
			'--disable-sync',
		],
		...options,
	});
	ctx.setDefaultTimeout(10000);
	return ctx;
}

before(async () => {
	assert.ok(BASE, 'BASE_URL must name the server');
	mkdirSync(SHOTS, { recursive: true });
	profiles = process.env.PROFILE_DIR || mkdtempSync(join(tmpdir(), 'rapport-chromium-'));
	mkdirSync(profiles, { recursive: true });
	context = await launch({ viewport: { width: 1280, height: 900 }, locale: 'en-US' });
	page = context.pages()[0] || (await context.newPage());
	watch(page);
});

after(async () => {
	if (context) await context.close();
});

step('01-login', async () => {
	await page.goto(`${BASE}/`);
	await page.waitForURL(/#\/login$/);
	await assert.doesNotReject(page.getByRole('heading', { name: 'Sign in' }).waitFor());

	// A wrong password is refused with the server's error shown.
	await page.getByLabel('Login').fill(LOGIN);
	await page.getByLabel('Password').fill('not-the-password');
	await page.getByRole('button', { name: 'Sign in' }).click();
	const alert = page.locator('.login-form [role=alert]');
	await alert.waitFor();
	assert.match(await alert.innerText(), /unauthenticated|401/);
	assert.match(page.url(), /#\/login$/, 'still on the login screen');

	await page.getByLabel('Password').fill(PASSWORD);
	await page.getByRole('button', { name: 'Sign in' }).click();
	await page.waitForURL(/#\/agenda$/);
	assert.equal((await page.locator('.tools .who').innerText()).trim(), LOGIN);
	const csrf = await page.evaluate(() => sessionStorage.getItem('rapport.csrf'));
	assert.match(csrf || '', /^[0-9a-f]{64}$/, 'the CSRF token is kept for the tab');
	const cookie = (await context.cookies()).find((c) => c.name === 'rapport_session');
	assert.ok(cookie && cookie.httpOnly, 'the session cookie is HttpOnly');
});

step('02-agenda', async () => {
	await page.locator('.agenda-item').first().waitFor();
	const items = await page.locator('.agenda-item').count();
	assert.ok(items >= 1, 'somebody to reach today');
	const reasons = await page.locator('.agenda-item .reason-text').allInnerTexts();
	assert.ok(reasons.length >= 1, 'at least one reason');
	assert.ok(reasons.every((r) => r.trim().length > 0), 'every reason has its text');

	// Server strings are text, never markup.
	const zed = page.locator('.agenda-item', { has: page.getByRole('link', { name: MARKUP_NAME, exact: true }) });
	await zed.waitFor();
	assert.equal(await page.locator('.agenda-list b, .agenda-list i').count(), 0, 'no element made from a name or a fact');
	const zedReasons = (await zed.locator('.reason-text').allInnerTexts()).join('\n');
	assert.match(zedReasons, /birthday today/);
	assert.match(zedReasons, /<i>winter<\/i>/);

	// The load chart is drawn with Chart.js, and says what it shows.
	await page.waitForFunction(() => window.Chart && window.Chart.getChart(document.querySelector('.load-chart canvas')));
	assert.match(await page.locator('.load-chart .chart-summary').innerText(), /Birthdays [1-9]/);
});

step('03-agenda-done', async () => {
	await page.evaluate(() => {
		window.__sameDocument = true;
	});
	const zed = page.locator('.agenda-item', { has: page.getByRole('link', { name: MARKUP_NAME, exact: true }) });
	const before = await zed.locator('.reason').count();
	const followUp = zed.locator('.reason-follow_up');
	assert.equal(await followUp.count(), 1);
	await followUp.getByRole('button', { name: /Mark the follow-up/ }).click();
	await followUp.waitFor({ state: 'detached' });
	assert.equal(await zed.locator('.reason').count(), before - 1, 'the reason is gone');
	assert.equal(await page.evaluate(() => window.__sameDocument), true, 'without a reload');
	const id = await zed.getAttribute('data-contact-id');
	const card = await apiGet(`/contacts/${id}`);
	const fact = card.body.facts.find((f) => /winter/.test(f.body));
	assert.equal(fact.done, true, 'the server has it done');
});

step('04-agenda-log-touch', async () => {
	const item = page.locator('.agenda-item').nth(1);
	const id = await item.getAttribute('data-contact-id');
	await item.getByRole('button', { name: 'Log a touch' }).click();
	const form = item.locator('form.touch-form');
	await form.waitFor();
	await form.getByLabel('Kind').selectOption('call');
	await form.getByLabel('Minutes').fill('12');
	const summary = `Called about the spring collection ${Date.now()}`;
	await form.getByLabel('What happened').fill(summary);
	await shot('04-agenda-touch-form');
	await form.getByRole('button', { name: 'Save' }).click();
	await form.waitFor({ state: 'detached' });
	assert.ok(await item.evaluate((el) => el.classList.contains('touched')), 'the item shows the touch');
	const tl = await apiGet(`/contacts/${id}/interactions?limit=5`);
	const it = tl.body.interactions.find((x) => x.summary === summary);
	assert.ok(it, 'the interaction is stored');
	assert.equal(it.kind, 'call');
	assert.equal(it.minutes, 12);
	assert.equal(it.by, LOGIN);
});

step('05-card', async () => {
	const link = page.locator('.agenda-item a.name').first();
	const name = (await link.innerText()).trim();
	const id = await page.locator('.agenda-item').first().getAttribute('data-contact-id');
	await link.click();
	await page.waitForURL(new RegExp(`#/contact/${id}$`));
	await page.getByRole('heading', { level: 1, name }).waitFor();
	for (const section of ['Facts', 'Timeline', 'Channels', 'Relations']) {
		await page.getByRole('heading', { level: 2, name: section }).waitFor();
	}
	const card = await apiGet(`/contacts/${id}`);
	assert.equal(await page.locator('.timeline > li').count(), card.body.interactions.length, 'the whole recent timeline');
	if (card.body.address) {
		assert.match(await page.locator('.about').innerText(), card.body.address === 'ty' ? /«ты»/ : /«вы»/);
	}
	await page.waitForFunction(() => window.Chart && window.Chart.getChart(document.querySelector('.touches-chart canvas')));
	assert.match(await page.locator('.touches-chart .chart-summary').innerText(), /in the last 26 weeks/);
});

step('06-card-add-fact', async () => {
	await page.evaluate(() => {
		window.__sameDocument = true;
	});
	const text = `Knee surgery <i>in</i> December ${Date.now()}`;
	const form = page.locator('form.fact-form');
	await form.getByLabel('Fact').fill(text);
	await form.getByLabel(/Follow up on/).fill('2031-12-01');
	await form.getByRole('button', { name: 'Save' }).click();
	const row = page.locator('.facts > li', { hasText: text });
	await row.waitFor();
	assert.match(await row.innerText(), /2031/, 'with its follow-up date');
	assert.equal(await page.locator('.facts i').count(), 0, 'the fact is text');
	assert.equal(await page.evaluate(() => window.__sameDocument), true, 'in place, without a reload');
	assert.equal(await page.locator('form.fact-form').getByLabel('Fact').inputValue(), '', 'the form is ready for the next one');
	// Stored: still there after a reload, and still writable (the CSRF
	// token is recovered with the session).
	await page.reload();
	const again = page.locator('.facts > li', { hasText: text });
	await again.waitFor();
	await again.getByRole('button', { name: /Done/ }).click();
	await again.locator('.badge.ok').waitFor();
	assert.equal(await again.getByRole('button').count(), 0, 'done: no button left');
});

step('07-language-russian', async () => {
	try {
		await russian();
	} finally {
		// Back to English for the steps after this one, whatever happened.
		if ((await page.evaluate(() => document.documentElement.lang)) !== 'en') {
			await page.evaluate(() => localStorage.setItem('rapport.lang', 'en'));
			await page.reload();
		}
	}
});

async function russian() {
	const lang = page.getByLabel('Language');
	await lang.selectOption('ru');
	await nav('Сегодня').waitFor();
	await nav('Клиенты').waitFor();
	await page.getByRole('heading', { level: 2, name: 'Факты' }).waitFor();
	assert.equal(await page.evaluate(() => document.documentElement.lang), 'ru');
	assert.equal(await page.getByRole('button', { name: 'Log out' }).count(), 0, 'no English left in the bar');
	// Remembered, and the agenda's reasons come in Russian too.
	await page.goto(`${BASE}/#/agenda`);
	await page.getByRole('heading', { level: 1, name: 'Сегодня' }).waitFor();
	await page.locator('.agenda-item').first().waitFor();
	const reasons = (await page.locator('.reason-text').allInnerTexts()).join('\n');
	assert.match(reasons, /[а-яё]/i);
	assert.doesNotMatch(reasons, /no contact for|follow up:|birthday today/);
	await shot('07-agenda-russian');
	await page.getByLabel('Язык').selectOption('en');
	await nav('Today').waitFor();
}

step('08-search-as-you-type', async () => {
	await nav('Search').click();
	const box = page.getByLabel('Find clients, facts and conversations');
	await assert.doesNotReject(box.waitFor());
	assert.equal(await box.evaluate((el) => el === document.activeElement), true, 'the box has the focus');
	const asked = [];
	const onRequest = (r) => {
		if (r.url().includes('/api/v1/search')) asked.push(r.url());
	};
	page.on('request', onRequest);
	// A word still being typed: "Teste" finds "Tester", with no Enter.
	await box.pressSequentially('Teste', { delay: 40 });
	const hit = page.locator('.search-results a', { hasText: MARKUP_NAME });
	await hit.waitFor();
	page.off('request', onRequest);
	// Two requests a search (whole words, and the last word as a prefix):
	// without the debounce, 5 keys would make 10.
	assert.ok(asked.length >= 1 && asked.length <= 6, `typing is debounced (${asked.length} requests for 5 keys)`);
	assert.match(page.url(), /#\/search\?q=Teste$/);
	// Whole words in another form find their stem.
	await box.fill('');
	await page.waitForFunction(() => !document.querySelector('.search-results a'));
	await box.pressSequentially('Testers ', { delay: 20 });
	await page.locator('.search-results a', { hasText: MARKUP_NAME }).waitFor();
	await shot('08-search-results');
	await page.locator('.search-results a', { hasText: MARKUP_NAME }).first().click();
	await page.getByRole('heading', { level: 1, name: MARKUP_NAME }).waitFor();
	assert.equal(await page.locator('h1 b').count(), 0);
});

step('09-contact-list', async () => {
	await nav('Contacts').click();
	await page.locator('table.contacts tbody tr').first().waitFor();
	assert.equal(await page.locator('table.contacts tbody tr').count(), 50, 'one page of 50');
	assert.equal(await page.getByRole('button', { name: /Previous/ }).isDisabled(), true);
	const first = await page.locator('table.contacts tbody tr a').first().innerText();
	await page.getByRole('button', { name: /Next/ }).click();
	await page.waitForURL(/#\/contacts\?offset=50$/);
	await page.locator('.range', { hasText: '51–100' }).waitFor();
	assert.notEqual(await page.locator('table.contacts tbody tr a').first().innerText(), first);
	assert.equal(await page.getByRole('button', { name: /Previous/ }).isEnabled(), true);
	// Filters.
	await page.getByLabel('Tier').selectOption('panel');
	await page.getByLabel('Tag').fill('regression');
	await page.getByRole('button', { name: 'Apply' }).click();
	await page.waitForURL(/tier=panel/);
	await page.locator('table.contacts tbody tr a', { hasText: MARKUP_NAME }).waitFor();
	assert.equal(await page.locator('table.contacts tbody tr').count(), 1);
	assert.equal(await page.getByRole('button', { name: /Next/ }).isDisabled(), true);
});

step('09-ladder-and-funnel', async () => {
	await page.goto(`${BASE}/#/contacts?tag=regression`);
	await page.locator('table.contacts tbody tr a', { hasText: MARKUP_NAME }).click();
	await page.getByRole('heading', { level: 1, name: MARKUP_NAME }).waitFor();
	const id = /#\/contact\/(\d+)$/.exec(page.url())[1];
	const stage = page.locator('.stage-section');
	await stage.getByRole('heading', { level: 2, name: 'Ladder' }).waitFor();
	await stage.locator('.stage-name', { hasText: 'Stranger' }).waitFor();
	// A consent, with what the client was shown, lifts them to "Said yes".
	const consent = page.locator('.consent-section');
	await consent.getByRole('button', { name: 'Record a consent' }).click();
	const form = consent.locator('form.grant-form');
	await form.getByLabel('Channel').selectOption('email');
	await form.getByLabel('Purpose').selectOption('news');
	await form.getByLabel('How it was given').selectOption('in_person');
	await form.getByRole('button', { name: 'Save' }).click();
	assert.equal(await form.getByLabel('What the client was shown or said').getAttribute('aria-invalid'), 'true', 'no consent without its evidence');
	await form.getByLabel('What the client was shown or said').fill('Signed the <b>paper</b> form');
	await form.getByRole('button', { name: 'Save' }).click();
	await consent.locator('.consent-granted').waitFor();
	await stage.locator('.stage-name', { hasText: 'Said yes' }).waitFor();
	// One click withdraws it, and the client is back at attention.
	await consent.getByRole('button', { name: /Withdraw the consent/ }).click();
	await consent.locator('.consent-revoked').waitFor();
	await stage.locator('.stage-name', { hasText: 'Attention' }).waitFor();
	// A person moves the client, saying why.
	const move = stage.locator('form.stage-form');
	await move.getByLabel('To', { exact: true }).selectOption('dialogue');
	await move.getByRole('button', { name: 'Move', exact: true }).click();
	assert.equal(await move.getByLabel('Why').getAttribute('aria-invalid'), 'true', 'a move needs its reason');
	await move.getByLabel('Why').fill('Asked for the <i>spring</i> catalogue');
	await move.getByRole('button', { name: 'Move', exact: true }).click();
	await stage.locator('.stage-name', { hasText: 'Dialogue' }).waitFor();
	assert.equal(await page.locator('.stage-section i, .consent-section b').count(), 0, 'reasons and evidence are text');
	assert.doesNotMatch(await page.locator('.card-side').innerText(), /\bnull\b|undefined/);
	const st = await apiGet(`/contacts/${id}/stage`);
	assert.equal(st.body.stage, 'dialogue');
	assert.deepEqual(
		st.body.moves.map((m) => [m.from, m.to, m.cause]),
		[['attention', 'dialogue', 'person'], ['yes', 'attention', 'revoke'], ['stranger', 'yes', 'consent']],
	);
	assert.equal(st.body.moves[0].by, LOGIN);
	await shot('09-ladder');
	// The funnel counts today's moves, as a chart and a table.
	await nav('Funnel').click();
	await page.waitForURL(/#\/funnel$/);
	await page.getByRole('heading', { level: 1, name: 'Funnel' }).waitFor();
	await page.locator('table.funnel tbody tr').first().waitFor();
	assert.equal(await page.locator('table.funnel tbody tr').count(), 7);
	await page.waitForFunction(() => window.Chart && window.Chart.getChart(document.querySelector('.funnel-chart canvas')));
	const fun = (await apiGet('/funnel')).body;
	const dialogue = fun.stages.find((s) => s.stage === 'dialogue');
	assert.ok(dialogue.entered >= 1, 'the move just made is counted');
	assert.equal((await page.locator('table.funnel tr[data-stage=dialogue] td').first().innerText()).trim(), String(dialogue.entered));
	assert.match(await page.locator('.funnel-chart .chart-summary').innerText(), new RegExp(`Dialogue ${dialogue.entered}`));
	assert.doesNotMatch(await page.locator('main').innerText(), /\bnull\b|undefined|NaN/);
	await shot('09-funnel');
	// Another period, through the form.
	const period = page.locator('form.funnel-filters');
	await period.getByLabel('From').fill('2020-01-01');
	await period.getByLabel('To').fill('2020-01-31');
	await period.getByRole('button', { name: 'Show' }).click();
	await page.waitForURL(/#\/funnel\?from=2020-01-01&to=2020-01-31$/);
	await page.locator('.funnel-slot .empty').waitFor();
	assert.equal((await page.locator('table.funnel tr[data-stage=dialogue] td').first().innerText()).trim(), '0');
});

step('10-phone-agenda', async () => {
	await page.setViewportSize({ width: 375, height: 740 });
	try {
		await phone();
	} finally {
		await page.setViewportSize({ width: 1280, height: 900 });
	}
}, { autoShot: false });

async function phone() {
	await page.goto(`${BASE}/#/agenda`);
	await page.locator('.agenda-item').first().waitFor();
	await page.waitForFunction(() => window.Chart && window.Chart.getChart(document.querySelector('.load-chart canvas')));
	const widths = await page.evaluate(() => ({
		doc: document.documentElement.scrollWidth,
		body: document.body.scrollWidth,
		view: window.innerWidth,
		widest: Math.max(...[...document.querySelectorAll('body *')].map((el) => el.getBoundingClientRect().right)),
	}));
	assert.equal(widths.view, 375);
	assert.ok(widths.doc <= 375, `no horizontal scroll (document is ${widths.doc} px wide)`);
	assert.ok(widths.body <= 375, `no horizontal scroll (body is ${widths.body} px wide)`);
	assert.ok(widths.widest <= 375.5, `nothing sticks out (rightmost edge at ${widths.widest} px)`);
	await shot('10-phone-agenda');
	// The touch form fits as well.
	await page.locator('.agenda-item').first().getByRole('button', { name: 'Log a touch' }).click();
	await page.locator('form.touch-form').waitFor();
	assert.ok((await page.evaluate(() => document.documentElement.scrollWidth)) <= 375);
	await shot('10-phone-touch-form');
	await page.getByRole('button', { name: 'Cancel' }).click();
	await page.locator('form.touch-form').waitFor({ state: 'detached' });
}

step('11-session-ends', async () => {
	await page.goto(`${BASE}/#/agenda`);
	await page.locator('.agenda-item').first().waitFor();
	// The session disappears (as when it expires): the next call answers 401.
	await context.clearCookies();
	await nav('Contacts').click();
	await page.waitForURL(/#\/login$/);
	await page.locator('.login-form [role=alert]').waitFor();
	await page.getByLabel('Login').fill(LOGIN);
	await page.getByLabel('Password').fill(PASSWORD);
	await page.getByRole('button', { name: 'Sign in' }).click();
	await page.waitForURL(/#\/contacts$/);
	await page.locator('table.contacts tbody tr').first().waitFor();
	// Logging out ends the session on the server.
	await page.getByRole('button', { name: 'Log out' }).click();
	await page.waitForURL(/#\/login$/);
	assert.equal((await apiGet('/session')).status, 401);
	assert.equal(await page.evaluate(() => sessionStorage.getItem('rapport.csrf')), null);
});

step('12-russian-browser-and-throttling', async () => {
	const ru = await launch({ viewport: { width: 375, height: 740 }, locale: 'ru-RU' });
	const p = ru.pages()[0] || (await ru.newPage());
	watch(p);
	try {
		await p.goto(`${BASE}/`);
		// The browser's language chooses Russian when nothing was chosen.
		await p.getByRole('heading', { name: 'Вход' }).waitFor();
		assert.equal(await p.evaluate(() => document.documentElement.lang), 'ru');
		// Too many wrong passwords: 429, with the wait shown.
		let text = '';
		for (let i = 0; i < 8 && !/Повторите через \d+ (с|мин)/.test(text); i++) {
			await p.getByLabel('Логин').fill('mallory');
			await p.getByLabel('Пароль').fill(`wrong-${i}`);
			await p.getByRole('button', { name: 'Войти' }).click();
			const alert = p.locator('.login-form [role=alert]');
			await alert.waitFor();
			await p.waitForFunction(() => !document.querySelector('.login-form button[type=submit]').disabled || /429/.test(document.querySelector('.login-form').innerText));
			text = await alert.innerText();
		}
		assert.match(text, /Слишком много попыток\. Повторите через \d+ (с|мин)\./);
		assert.match(text, /429/);
		assert.equal(await p.getByRole('button', { name: 'Войти' }).isDisabled(), true, 'no more tries until then');
	} finally {
		await shot('12-russian-throttled', p);
		await ru.close();
	}
}, { autoShot: false });

test('13 no page errors', async () => {
	assert.deepEqual(problems, [], 'no uncaught errors and no CSP violations');
});
