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
import { after, before, describe, test } from 'node:test';
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
	// No page of ours opens dialogs: one would be markup from data run as code.
	p.on('dialog', (d) => {
		problems.push(`dialog: ${d.message()}`);
		d.dismiss().catch(() => {});
	});
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

// A change through the API as the page would make it (cookie and CSRF token).
function apiSend(method, path, body) {
	return page.evaluate(
		async ([m, p, b]) => {
			const r = await fetch(`/api/v1${p}`, {
				method: m,
				headers: { Accept: 'application/json', 'Content-Type': 'application/json', 'X-CSRF-Token': sessionStorage.getItem('rapport.csrf') || '' },
				body: JSON.stringify(b),
			});
			return { status: r.status, body: await r.json() };
		},
		[method, path, body],
	);
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
	await page.getByRole('heading', { level: 2, name: 'Истории' }).waitFor();
	await nav('Истории').waitFor();
	await nav('Уроки').waitFor();
	assert.equal(await page.locator('form.story-form').getByLabel('О чём').count(), 1, 'the story form speaks Russian');
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

// ---- stories and lessons ------------------------------------------------------------

const XSS = '<img src=x onerror=alert(1)>';
let zedId; // the client whose name looks like markup
let xssId; // the story told on their card, with markup in its words
let lessonId;
let lessonTitle;

const today = () => page.evaluate(() => {
	const d = new Date();
	const p = (n) => String(n).padStart(2, '0');
	return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}`;
});

// No value of a document shows as "null", "undefined" or "NaN".
async function noGaps(where = 'main') {
	assert.doesNotMatch(await page.locator(where).innerText(), /\bnull\b|undefined|NaN/);
}

// The feed's item for the story whose words contain text.
const feedItem = (text) => page.locator('.feed > li', { hasText: text });

step('11-card-quick-story', async () => {
	const found = await apiGet('/contacts?tag=regression');
	zedId = found.body.contacts.find((c) => c.name === MARKUP_NAME).id;
	await page.goto(`${BASE}/#/contact/${zedId}`);
	await page.getByRole('heading', { level: 1, name: MARKUP_NAME }).waitFor();
	const section = page.locator('.stories-section');
	await section.getByRole('heading', { level: 2, name: 'Stories' }).waitFor();
	// The story told before, with the tags the story list adds.
	const told = section.locator('.card-stories > li', { hasText: 'A friend recommended the tailor' });
	await told.waitFor();
	await told.locator('.badge.tag', { hasText: '#friends' }).waitFor();
	assert.match(await told.locator('.story-meta').innerText(), /Choice/);
	assert.match(await told.locator('.story-meta').innerText(), /Positive/);

	await page.evaluate(() => {
		window.__sameDocument = true;
	});
	const form = section.locator('form.story-form');
	const words = form.getByLabel('In the client’s words');
	assert.equal(await form.getByLabel('Told on').inputValue(), await today(), 'told today unless said otherwise');
	// Nothing chosen, nothing said: the form says what is missing.
	await form.getByRole('button', { name: 'Save' }).click();
	assert.equal(await form.getByLabel('About').getAttribute('aria-invalid'), 'true');
	assert.equal(await words.getAttribute('aria-invalid'), 'true');
	assert.equal(await form.getByLabel('About').evaluate((el) => el === document.activeElement), true, 'the focus goes to the first thing missing');
	// A day after today: the server refuses it and the form says why.
	await form.getByLabel('About').selectOption('interaction');
	await form.getByLabel('Tone (optional)').selectOption('negative');
	const text = `${XSS} Nobody greeted me at the door ${Date.now()}`;
	await words.fill(text);
	await form.getByLabel('Tags (optional)').fill('Front desk, reception, front desk');
	await form.getByLabel('Told on').fill('2099-01-01');
	await form.getByRole('button', { name: 'Save' }).click();
	const alert = form.locator('[role=alert]');
	await alert.waitFor();
	assert.match(await alert.innerText(), /after today/);
	assert.match(await alert.innerText(), /HTTP 400/);
	assert.equal(await words.inputValue(), text, 'what was typed is kept');
	await shot('11-card-story-error');
	// Today: saved, and on top of the stories at once.
	await form.getByLabel('Told on').fill(await today());
	await form.getByRole('button', { name: 'Save' }).click();
	await alert.waitFor({ state: 'detached' });
	const first = section.locator('.card-stories > li').first();
	await first.locator('.story-text', { hasText: 'Nobody greeted me at the door' }).waitFor();
	assert.equal(await first.locator('.story-text').innerText(), text, 'the words exactly, as text');
	assert.equal(await section.locator('img').count(), 0, 'no element made from the story');
	assert.deepEqual(await first.locator('.badge.tag').allInnerTexts(), ['#front desk', '#reception']);
	assert.equal(await words.inputValue(), '', 'the form is ready for the next one');
	assert.equal(await page.evaluate(() => window.__sameDocument), true, 'without a reload');
	const stored = (await apiGet(`/stories?contact=${zedId}&limit=1`)).body.stories[0];
	assert.equal(stored.text, text);
	assert.equal(stored.kind, 'interaction');
	assert.equal(stored.tone, 'negative');
	assert.deepEqual(stored.tags, ['front desk', 'reception']);
	assert.equal(stored.by, LOGIN);
	xssId = stored.id;
	// Still first and still text after a reload.
	await page.reload();
	await section.locator('.card-stories > li').first().locator('.story-text', { hasText: 'Nobody greeted me at the door' }).waitFor();
	assert.equal(await section.locator('img').count(), 0);
	assert.equal(await section.locator('.card-stories > li').count(), 2);
	await noGaps('.stories-section');
});

step('12-story-feed', async () => {
	await nav('Stories').click();
	await page.waitForURL(/#\/stories$/);
	await page.getByRole('heading', { level: 1, name: 'Stories' }).waitFor();
	const all = (await apiGet('/stories')).body.stories;
	await page.locator('.feed > li').first().waitFor();
	assert.equal(await page.locator('.feed > li').count(), all.length, 'every story');
	// Newest first, each with who told it, linked to their card.
	const top = page.locator('.feed > li').first();
	assert.equal(await top.getAttribute('data-story-id'), String(all[0].id));
	assert.equal(await top.locator('a.story-contact').getAttribute('href'), `#/contact/${all[0].contact.id}`);
	assert.equal(await feedItem('Nobody greeted me at the door').locator('a.story-contact').innerText(), MARKUP_NAME);
	assert.equal(await page.locator('main img, main b').count(), 0, 'names and words are text');
	await noGaps();
	// One kind only.
	const filter = page.locator('form.story-filters');
	await filter.getByLabel('About').selectOption('product');
	await filter.getByRole('button', { name: 'Show' }).click();
	await page.waitForURL(/#\/stories\?kind=product$/);
	const product = (await apiGet('/stories?kind=product')).body.stories;
	assert.equal(product.length, 3);
	await page.waitForFunction((n) => document.querySelectorAll('.feed > li').length === n && !document.querySelector('.stories-slot[aria-busy]'), product.length);
	assert.deepEqual([...new Set(await page.locator('.feed .badge.skind').allInnerTexts())], ['Product']);
	assert.match(await page.locator('.stories-slot .count').innerText(), /^3 stories$/);
	// Another: the story just told is among them.
	await filter.getByLabel('About').selectOption('interaction');
	await filter.getByRole('button', { name: 'Show' }).click();
	await page.waitForURL(/#\/stories\?kind=interaction$/);
	await feedItem('Nobody greeted me at the door').waitFor();
	const interaction = (await apiGet('/stories?kind=interaction')).body.stories;
	assert.equal(await page.locator('.feed > li').count(), interaction.length);
	assert.deepEqual([...new Set(await page.locator('.feed .badge.skind').allInnerTexts())], ['Dealing with us']);
	assert.equal(await page.locator('main img').count(), 0);
	// On a phone the feed fits the screen.
	await page.setViewportSize({ width: 375, height: 740 });
	try {
		await feedItem('Nobody greeted me at the door').getByRole('button', { name: 'Turn into a lesson' }).click();
		await page.locator('form.lesson-form').waitFor();
		const width = await page.evaluate(() => document.documentElement.scrollWidth);
		assert.ok(width <= 375, `no horizontal scroll (document is ${width} px wide)`);
		await shot('12-phone-feed');
		await page.keyboard.press('Escape');
		await page.locator('form.lesson-form').waitFor({ state: 'detached' });
	} finally {
		await page.setViewportSize({ width: 1280, height: 900 });
	}
});

step('13-story-to-lesson', async () => {
	const li = feedItem('Nobody greeted me at the door');
	const toLesson = li.getByRole('button', { name: 'Turn into a lesson' });
	// By keyboard: Enter opens the form with the focus in it, Escape closes it.
	await toLesson.focus();
	await page.keyboard.press('Enter');
	const form = li.locator('form.lesson-form');
	await form.waitFor();
	assert.equal(await toLesson.getAttribute('aria-expanded'), 'true');
	assert.equal(await form.getByLabel('What to change').evaluate((el) => el === document.activeElement), true);
	await page.keyboard.press('Escape');
	await form.waitFor({ state: 'detached' });
	assert.equal(await toLesson.evaluate((el) => el === document.activeElement), true, 'the focus is back on the button');
	await page.keyboard.press('Enter');
	await form.waitFor();
	assert.equal(await form.getByLabel('Who sees it through (login)').inputValue(), LOGIN, 'the one who makes it owns it unless said otherwise');
	await form.getByRole('button', { name: 'Create the lesson' }).click();
	assert.equal(await form.getByLabel('What to change').getAttribute('aria-invalid'), 'true', 'a lesson says what to change');
	lessonTitle = `Greet every client at the door <b>${Date.now()}</b>`;
	await form.getByLabel('What to change').fill(lessonTitle);
	await form.getByLabel('For which clients (optional)').fill('tier:panel');
	await form.getByRole('button', { name: 'Create the lesson' }).click();
	await li.locator('.lesson-made').waitFor();
	await li.locator('.lesson-mark', { hasText: lessonTitle }).waitFor();
	const lesson = (await apiGet('/lessons')).body.lessons.find((l) => l.title === lessonTitle);
	assert.ok(lesson, 'the lesson is stored');
	assert.equal(lesson.status, 'open');
	assert.equal(lesson.owner, LOGIN);
	assert.equal(lesson.segment, 'tier:panel');
	assert.equal(lesson.stories, 1);
	lessonId = lesson.id;
	assert.equal(await li.locator('.lesson-made a').getAttribute('href'), `#/lessons/${lessonId}`);
	await shot('13-story-lesson-made');

	// Another story supports it.
	const other = feedItem('Waited 10 minutes at the reception');
	const otherId = Number(await other.getAttribute('data-story-id'));
	await other.getByRole('button', { name: 'Link to a lesson' }).click();
	const link = other.locator('form.link-form');
	await link.waitFor();
	await link.getByLabel('Lesson').selectOption(String(lessonId));
	await link.getByRole('button', { name: 'Link', exact: true }).click();
	await other.locator('.lesson-made').waitFor();
	const shown = (await apiGet(`/lessons/${lessonId}`)).body;
	assert.deepEqual(shown.supporting.map((s) => s.id).sort((a, b) => a - b), [otherId, xssId].sort((a, b) => a - b));

	// The lessons page: open, with its owner and both stories.
	await nav('Lessons').click();
	await page.waitForURL(/#\/lessons$/);
	const row = page.locator('.group-open li.lesson', { hasText: lessonTitle });
	await row.waitFor();
	assert.match(await row.innerText(), /2 stories/);
	assert.match(await row.innerText(), new RegExp(`Owner: ${LOGIN}`));
	assert.equal(await page.locator('.lesson-list b').count(), 0, 'the title is text');
	await noGaps();
	await row.getByRole('link', { name: lessonTitle }).click();
	await page.waitForURL(new RegExp(`#/lessons/${lessonId}$`));
	await page.getByRole('heading', { level: 1, name: lessonTitle }).waitFor();
	assert.equal(await page.locator('.supporting > li').count(), 2);
	// The segment is a filter: its clients counted, linked to the list.
	const seg = (await apiGet(`/lessons/${lessonId}`)).body;
	assert.deepEqual(seg.segment_filter, { tier: 'panel' });
	const segLink = page.locator('a.segment-size');
	assert.equal(await segLink.innerText(), `${seg.segment_size} clients now`);
	assert.equal(await segLink.getAttribute('href'), '#/contacts?tier=panel');
	await page.locator('.supporting .story-text', { hasText: 'Nobody greeted me at the door' }).waitFor();
	assert.equal(await page.locator('main img, main b').count(), 0);
	await noGaps();
	await shot('13-lesson-page');

	// On its owner's agenda, apart from the people.
	await page.goto(`${BASE}/#/agenda?mine=1`);
	const block = page.locator('.agenda-lessons-section');
	await block.getByRole('link', { name: lessonTitle }).waitFor();
	const item = block.locator('li', { hasText: lessonTitle });
	assert.match(await item.innerText(), /Open/);
	assert.match(await item.innerText(), /2 stories/);
	assert.match(await item.innerText(), /open 0 days/);
});

step('14-lesson-done', async () => {
	await page.goto(`${BASE}/#/lessons/${lessonId}`);
	await page.getByRole('heading', { level: 1, name: lessonTitle }).waitFor();
	await page.getByRole('button', { name: 'Start' }).click();
	await page.locator('.about .status-doing').waitFor();
	assert.equal((await apiGet(`/lessons/${lessonId}`)).body.status, 'doing');
	// Done says what was done.
	await page.locator('button.done-toggle').click();
	const form = page.locator('form.done-form');
	await form.waitFor();
	await form.getByRole('button', { name: 'Mark done' }).click();
	assert.equal(await form.getByLabel('What was done').getAttribute('aria-invalid'), 'true', 'no done without its note');
	assert.equal((await apiGet(`/lessons/${lessonId}`)).body.status, 'doing', 'nothing was sent');
	await form.getByLabel('What was done').fill('A greeter stands at the door <i>every morning</i>');
	await form.getByRole('button', { name: 'Mark done' }).click();
	await page.locator('.about .status-done').waitFor();
	assert.match(await page.locator('.about').innerText(), /A greeter stands at the door <i>every morning<\/i>/);
	assert.equal(await page.locator('button.done-toggle').count(), 0, 'a done lesson is closed');
	const done = (await apiGet(`/lessons/${lessonId}`)).body;
	assert.equal(done.status, 'done');
	assert.equal(done.note, 'A greeter stands at the door <i>every morning</i>');
	await shot('14-lesson-done');

	// Out of the open lessons, among the done ones.
	await nav('Lessons').click();
	await page.locator('.group-done li.lesson', { hasText: lessonTitle }).waitFor();
	assert.equal(await page.locator('.group-open li.lesson, .group-doing li.lesson').filter({ hasText: lessonTitle }).count(), 0);
	// Dropping from the list: the lesson moves to the dropped ones in place.
	const drop = `Call back within the hour ${Date.now()}`;
	const made = await apiSend('POST', '/lessons', { story: xssId, title: drop, owner: LOGIN });
	assert.equal(made.status, 200);
	await page.reload();
	const row = page.locator('.group-open li.lesson', { hasText: drop });
	await row.getByRole('button', { name: 'Drop' }).click();
	await row.locator('form.drop-form').getByLabel('Why (optional)').fill('The phones cannot do it');
	await row.locator('form.drop-form').getByRole('button', { name: 'Drop it' }).click();
	const dropped = page.locator('.group-dropped li.lesson', { hasText: drop });
	await dropped.waitFor();
	assert.equal(await dropped.locator('a.lesson-title').evaluate((el) => el === document.activeElement), true, 'the focus follows the lesson');
	assert.equal((await apiGet(`/lessons/${made.body.id}`)).body.status, 'dropped');

	// Off the owner's agenda.
	await page.goto(`${BASE}/#/agenda?mine=1`);
	await page.locator('.agenda-main:not([aria-busy])').waitFor();
	const agenda = (await apiGet(`/agenda?owner=${LOGIN}`)).body;
	assert.ok(!agenda.lessons.some((l) => l.id === lessonId || l.id === made.body.id));
	assert.equal(await page.locator('.agenda-lessons-section li', { hasText: lessonTitle }).count(), 0);
	assert.equal(await page.locator('.agenda-lessons-section li', { hasText: drop }).count(), 0);
});

// The pages for the routes made alongside, drawn from documents of their
// documented shape (the requests are answered here), so that the drawing
// is tested whatever this server has.  The same pages against the real
// routes are in the group further down.

step('15-agenda-panel-drawn', async () => {
	const one = (await apiGet('/contacts/1')).body;
	const panel = [
		{
			contact: { id: zedId, name: MARKUP_NAME },
			cadence_days: 30,
			last_on: '2026-01-05',
			due_on: '2026-02-04',
			days_over: 12,
			ask_about: ['life', 'friends'],
			questions: ['What <b>changed</b> at home since the winter?', `Which shops do your friends like now? ${XSS}`],
		},
		{ contact: { id: one.id, name: one.name }, cadence_days: 14, last_on: null, due_on: '2026-02-04', days_over: 0, ask_about: ['choice'], questions: [] },
	];
	await page.route('**/api/v1/agenda?*', async (route) => {
		const res = await route.fetch();
		await route.fulfill({ response: res, json: { ...(await res.json()), panel } });
	});
	try {
		await page.goto(`${BASE}/#/agenda`);
		const block = page.locator('.panel-due-section');
		await block.getByRole('heading', { level: 2, name: 'Panel: time to ask' }).waitFor();
		assert.equal(await block.locator('.panel-item').count(), 2);
		const zed = block.locator('.panel-item').first();
		assert.equal(await zed.locator('a.name').innerText(), MARKUP_NAME);
		assert.equal(await zed.locator('a.name').getAttribute('href'), `#/contact/${zedId}`);
		const text = await zed.innerText();
		assert.match(text, /overdue by 12 days/);
		assert.match(text, /last asked 5 January 2026/);
		assert.match(text, /every 30 days/);
		assert.deepEqual(await zed.locator('.panel-ask .badge').allInnerTexts(), ['Life', 'Friends']);
		assert.deepEqual(await zed.getByRole('list', { name: `Questions to ask ${MARKUP_NAME}` }).locator('li').allInnerTexts(), panel[0].questions);
		assert.equal(await block.locator('b, img').count(), 0, 'questions are text');
		const second = await block.locator('.panel-item').nth(1).innerText();
		assert.match(second, /due today/);
		assert.match(second, /never asked/);
		await noGaps('.panel-due-section');
		await shot('15-agenda-panel');
	} finally {
		await page.unroute('**/api/v1/agenda?*');
	}
	// A document without the block: no block.
	const real = (await apiGet('/agenda?limit=30')).body;
	if (!('panel' in real)) {
		await page.reload();
		await page.locator('.agenda-main:not([aria-busy])').waitFor();
		assert.equal(await page.locator('.panel-due-section').count(), 0);
	}
});

step('16-similar-stories-drawn', async () => {
	const interaction = (await apiGet('/stories?kind=interaction')).body.stories.filter((s) => s.id !== xssId);
	const similar = interaction.slice(0, 2).map((s, i) => ({ id: s.id, contact: s.contact, told_on: s.told_on, kind: s.kind, tone: s.tone, text: s.text, score: 0.8 - i * 0.25 }));
	similar.push({ id: 999999, contact: { id: zedId, name: MARKUP_NAME }, told_on: '2026-01-02', kind: 'life', tone: null, text: '<img src=y onerror=alert(2)>', score: 0.1 });
	const answer = (route, status, json) => route.fulfill({ status, contentType: 'application/json', body: JSON.stringify(json) });
	await page.route('**/api/v1/stories/*/similar', (route) => answer(route, 200, { story: { id: xssId }, similar }));
	await page.goto(`${BASE}/#/stories?kind=interaction`);
	const li = feedItem('Nobody greeted me at the door');
	const toggle = li.getByRole('button', { name: 'Similar stories' });
	const panel = li.locator('section.similar');
	try {
		await toggle.click();
		await panel.locator('.similar-list > li').first().waitFor();
		assert.equal(await panel.locator('.similar-list > li').count(), 3);
		const first = panel.locator('.similar-list > li').first();
		assert.equal(await first.getAttribute('data-story-id'), String(similar[0].id));
		assert.match(await first.innerText(), /similarity 0\.8/);
		assert.equal(await first.locator('a.story-contact').getAttribute('href'), `#/contact/${similar[0].contact.id}`);
		assert.equal(await panel.locator('img').count(), 0, 'similar stories are text');
		assert.equal(await panel.locator('.story-text').last().innerText(), '<img src=y onerror=alert(2)>');
		await shot('16-similar');
		await toggle.click();
		await panel.waitFor({ state: 'detached' });
	} finally {
		await page.unroute('**/api/v1/stories/*/similar');
	}
	// A server without the route answers 404: said calmly, not as an error.
	await page.route('**/api/v1/stories/*/similar', (route) => answer(route, 404, { error: { code: 'not_found', message: 'no such route; see docs/API.md' } }));
	try {
		await toggle.click();
		await panel.locator('.similar-unavailable', { hasText: 'This server cannot find similar stories yet.' }).waitFor();
		assert.equal(await li.locator('[role=alert]').count(), 0);
		await toggle.click();
	} finally {
		await page.unroute('**/api/v1/stories/*/similar');
	}
	// Any other failure is shown as one, with a way to try again.
	await page.route('**/api/v1/stories/*/similar', (route) => answer(route, 500, { error: { code: 'store', message: 'the store did not answer' } }));
	try {
		await toggle.click();
		const alert = panel.locator('[role=alert]');
		await alert.waitFor();
		assert.match(await alert.innerText(), /the store did not answer/);
		assert.match(await alert.innerText(), /HTTP 500 · store/);
		await alert.getByRole('button', { name: 'Try again' }).waitFor();
	} finally {
		await page.unroute('**/api/v1/stories/*/similar');
	}
});

step('17-report-and-themes-drawn', async () => {
	const interaction = (await apiGet('/stories?kind=interaction')).body.stories;
	const loose = interaction.find((s) => s.id !== xssId);
	const report = {
		periods: ['2026-09', '2026-10', '2026-11'],
		themes: [
			{ label: 'waiting at reception', terms: ['wait', 'reception', 'greet'], stories: 5, by_kind: { interaction: 5 }, by_period: [1, 2, 2] },
			{ label: 'late <b>delivery</b>', terms: ['deliver', 'late'], stories: 3, by_kind: { product: 2, life: 1 }, by_period: [0, 1, 2] },
		],
		without_lesson: { count: 4, stories: [{ id: loose.id, contact: loose.contact, told_on: loose.told_on, kind: loose.kind, text: loose.text }] },
		lessons: { open: 2, doing: 0, done: 1, dropped: 1 },
	};
	const asked = [];
	await page.route('**/api/v1/stories/report*', (route) => {
		asked.push(new URL(route.request().url()).searchParams.get('by'));
		return route.fulfill({ contentType: 'application/json', body: JSON.stringify(report) });
	});
	try {
		// Reached from the stories.
		await nav('Stories').click();
		await page.getByRole('link', { name: 'Report', exact: true }).click();
		await page.waitForURL(/#\/stories\/report$/);
		await page.getByRole('heading', { level: 1, name: 'Stories report' }).waitFor();
		await page.waitForFunction(() => window.Chart && window.Chart.getChart(document.querySelector('.themes-chart canvas')));
		const chart = await page.evaluate(() => {
			const c = window.Chart.getChart(document.querySelector('.themes-chart canvas'));
			return { labels: c.data.labels, sets: c.data.datasets.map((d) => [d.label, d.data]), stacked: c.options.scales.x.stacked && c.options.scales.y.stacked };
		});
		assert.equal(chart.labels.length, 3);
		assert.match(chart.labels.join('|'), /^Sept? 2026\|Oct 2026\|Nov 2026$/, 'months as people read them');
		assert.deepEqual(chart.sets, [
			['waiting at reception', [1, 2, 2]],
			['late <b>delivery</b>', [0, 1, 2]],
		]);
		assert.equal(chart.stacked, true, 'the themes stack in each period');
		assert.match(await page.locator('.themes-chart .chart-summary').innerText(), /waiting at reception 5, late <b>delivery<\/b> 3/);
		const rows = page.locator('table.bykind tbody tr');
		assert.equal(await rows.count(), 2);
		assert.equal(await rows.nth(0).locator('td[data-kind=interaction]').innerText(), '5');
		assert.equal(await rows.nth(1).locator('td[data-kind=product]').innerText(), '2');
		assert.equal(await rows.nth(1).locator('td.total').innerText(), '3');
		assert.equal(await page.locator('main b').count(), 0, 'theme labels are text');
		assert.match(await page.locator('.without-count').innerText(), /4 stories not turned into a lesson yet/);
		const lone = page.locator('.without-list > li');
		assert.equal(await lone.count(), 1);
		await lone.getByRole('button', { name: 'Turn into a lesson' }).waitFor();
		assert.equal(await page.locator('.lesson-counts [data-status=done] dd').innerText(), '1');
		assert.equal(await page.locator('.lesson-counts [data-status=open] dd').innerText(), '2');
		await noGaps();
		await shot('17-report');
		// By quarter.
		await page.getByLabel('Periods').selectOption('quarter');
		await page.getByRole('button', { name: 'Show' }).click();
		await page.waitForURL(/#\/stories\/report\?by=quarter$/);
		await page.locator('table.bykind').waitFor();
		assert.deepEqual(asked, ['month', 'quarter']);
	} finally {
		await page.unroute('**/api/v1/stories/report*');
	}

	const ids = interaction.map((s) => s.id).slice(0, 3);
	const themes = {
		since: '2026-09-01',
		capped: true,
		themes: [
			{
				label: 'waiting at reception',
				terms: ['wait', 'reception'],
				stories: 3,
				clients: 3,
				by_kind: { interaction: 3 },
				examples: interaction.slice(0, 2).map((s) => ({ id: s.id, contact: s.contact, text: s.text })),
				story_ids: ids,
			},
		],
	};
	await page.route('**/api/v1/stories/themes*', (route) => route.fulfill({ contentType: 'application/json', body: JSON.stringify(themes) }));
	try {
		await page.getByRole('link', { name: 'Themes', exact: true }).click();
		await page.waitForURL(/#\/stories\/themes$/);
		await page.getByRole('heading', { level: 1, name: 'What clients tell us' }).waitFor();
		const card = page.locator('li.theme');
		await card.getByRole('heading', { level: 2, name: '3 clients told us about “waiting at reception”' }).waitFor();
		assert.match(await page.locator('.view-head .lead').innerText(), /Since 1 September 2026/);
		await page.locator('.themes-capped').waitFor();
		assert.equal(await card.locator('.examples > li').count(), 2);
		assert.equal(await page.locator('main img').count(), 0, 'examples are text');
		await noGaps();
		await shot('17-themes');
		// The theme becomes one lesson with all its stories behind it.
		await card.getByRole('button', { name: 'Turn the theme into a lesson' }).click();
		const title = `Greet at the door within a minute ${Date.now()}`;
		await card.getByLabel('What to change').fill(title);
		await card.getByRole('button', { name: 'Create the lesson' }).click();
		await card.locator('.lesson-made').waitFor();
		const lesson = (await apiGet('/lessons')).body.lessons.find((l) => l.title === title);
		const shown = (await apiGet(`/lessons/${lesson.id}`)).body;
		assert.deepEqual(shown.supporting.map((s) => s.id).sort((a, b) => a - b), [...ids].sort((a, b) => a - b));
	} finally {
		await page.unroute('**/api/v1/stories/themes*');
	}
	// A server without the report says so calmly.
	const missing = { error: { code: 'not_found', message: 'no such route; see docs/API.md' } };
	await page.route('**/api/v1/stories/report*', (route) => route.fulfill({ status: 404, contentType: 'application/json', body: JSON.stringify(missing) }));
	try {
		await page.goto(`${BASE}/#/stories/report`);
		await page.locator('.report-slot .unavailable', { hasText: 'This server does not make the stories report yet.' }).waitFor();
		assert.equal(await page.locator('main [role=alert]').count(), 0);
		assert.equal(await page.locator('.themes-chart').isHidden(), true, 'no empty chart');
	} finally {
		await page.unroute('**/api/v1/stories/report*');
	}
});

// ---- client value and complaints, drawn ---------------------------------------------
// The value and complaints routes are built alongside: here the page's
// requests for them are answered by a small stand-in that keeps its
// documents in the shapes agreed for them, so that the drawing and the
// forms are tested whatever this server has.  The same pages against the
// real routes are in the group further down.

const minutesAgo = (n) => new Date(Date.now() - n * 60000).toISOString();

// The stand-in: fake.values[id] is the card's "value" (absent: the card as
// the server has it), fake.complaints the complaints, fake.sent every
// change asked for ({method, path, body}); fake.fail[path] answers that
// path with {status, error} instead.
function issue7Fake() {
	const fake = {
		values: {},
		complaints: [],
		agenda: null,
		report: null,
		valueReport: null,
		sent: [],
		asked: [],
		fail: {},
		nextId: 900,
	};
	const json = (route, body, status = 200) => route.fulfill({ status, contentType: 'application/json', body: JSON.stringify(body) });
	const mine = (url) => /^\/api\/v1\/(complaints(\/.*)?|value\/.*|agenda|contacts\/\d+(\/(complaints|letgo))?)$/.test(url.pathname);
	const handler = async (route) => {
		const req = route.request();
		const url = new URL(req.url());
		const path = url.pathname.replace(/^\/api\/v1/, '');
		const method = req.method();
		const failure = fake.fail[path];
		if (failure) return json(route, { error: failure.error }, failure.status);
		if (method !== 'GET') fake.sent.push({ method, path, body: req.postDataJSON() });
		else fake.asked.push(`${path}${url.search}`);
		let m;
		if (method === 'GET' && (m = /^\/contacts\/(\d+)$/.exec(path))) {
			const res = await route.fetch();
			const card = await res.json();
			if (m[1] in fake.values) card.value = fake.values[m[1]];
			return route.fulfill({ response: res, json: card });
		}
		if (method === 'GET' && path === '/agenda') {
			const res = await route.fetch();
			return route.fulfill({ response: res, json: { ...(await res.json()), ...(fake.agenda || {}) } });
		}
		if (method === 'GET' && path === '/complaints') {
			const c = url.searchParams.get('contact');
			return json(route, { complaints: fake.complaints.filter((x) => !c || String(x.contact.id) === c) });
		}
		if (method === 'GET' && path === '/complaints/report') return json(route, fake.report);
		if (method === 'GET' && path === '/value/report') return json(route, fake.valueReport);
		if (method === 'POST' && path === '/value/fit') return json(route, { fitted_at: new Date().toISOString(), customers: 300, repeat_buyers: 120, bgnbd: { params: {}, loglik: -1 }, gg: null, stored: 300 });
		if (method === 'POST' && (m = /^\/contacts\/(\d+)\/complaints$/.exec(path))) {
			const id = fake.nextId++;
			const body = req.postDataJSON();
			fake.complaints.unshift({ id, contact: { id: Number(m[1]), name: 'someone' }, channel: body.channel, text: body.text, opened_at: new Date().toISOString(), opened_by: 'anna', duty: null, state: 'waiting', late: false });
			return json(route, { id });
		}
		if (method === 'POST' && (m = /^\/complaints\/(\d+)\/(answer|resolve)$/.exec(path))) {
			const body = req.postDataJSON();
			const c = fake.complaints.find((x) => String(x.id) === m[1]);
			if (!c) return json(route, { id: Number(m[1]) });
			if (m[2] === 'answer') Object.assign(c, { state: 'answered', answered_at: new Date().toISOString(), answer: body.text, answered_by: 'anna', apology: !!body.apology, first_response_minutes: 13 });
			else Object.assign(c, { state: 'resolved', resolved_at: new Date().toISOString(), make_good: body.make_good, make_good_cost: Number(body.cost).toFixed(2), currency: 'EUR', resolution: body.resolution || null, apology: c.apology || !!body.apology });
			return json(route, c);
		}
		if (method === 'POST' && (m = /^\/contacts\/(\d+)\/letgo$/.exec(path))) return json(route, { contact: { id: Number(m[1]), name: 'someone' }, owner: req.postDataJSON().handover || null, tier: 'distant', note_interaction: 4242 });
		return route.fallback();
	};
	fake.start = () => page.route(mine, handler);
	fake.stop = () => page.unroute(mine, handler);
	return fake;
}

// The page drawn by body while the server answers paths with 404, as one
// made before those routes.
async function withoutRoutes(paths, body) {
	const fake = issue7Fake();
	for (const path of paths) fake.fail[path] = { status: 404, error: { code: 'not_found', message: 'no such route; see docs/API.md' } };
	await fake.start();
	// The fake answers only its own paths: the others given here are
	// refused too, whatever the real server has.
	const gone = (route) => {
		const path = new URL(route.request().url()).pathname.replace(/^\/api\/v1/, '');
		if (!paths.includes(path)) return route.fallback();
		return route.fulfill({ status: 404, contentType: 'application/json', body: JSON.stringify({ error: fake.fail[path].error }) });
	};
	await page.route('**/api/v1/**', gone);
	try {
		await body();
	} finally {
		await page.unroute('**/api/v1/**', gone);
		await fake.stop();
	}
}

// The value of a client who costs more than they bring.
function negativeValue(id, name) {
	return {
		contact: { id, name },
		fitted_at: '2026-11-01T10:00:00Z',
		currency: 'EUR',
		frequency: 4,
		recency_days: 200,
		age_days: 900,
		monetary: '120.00',
		p_alive: 0.41,
		p_alive_before: 0.78,
		expected_purchases_year: 0.37,
		clv: '86.40',
		rfm: { r: 2, f: 3, m: 1, score: 231 },
		segment: 'at_risk',
		cost_to_serve: { minutes: 720, time_cost: '480.00', make_goods: '35.00', discounts: '12.50', total: '527.50' },
		revenue: '480.00',
		margin: '-335.50',
		expected_margin: '-340.00',
		negative: true,
		reasons: ['12 hours of calls a quarter', '2 refunds', 'expected margin -340', XSS],
	};
}

// Go to a page of the app, drawing it afresh even if it is the one shown.
async function visit(hash) {
	if (page.url() === `${BASE}/${hash}`) await page.reload();
	else await page.goto(`${BASE}/${hash}`);
}

// Nothing in the document is wider than a phone.
async function fitsPhone(what) {
	const w = await page.evaluate(() => ({ doc: document.documentElement.scrollWidth, widest: Math.max(...[...document.querySelectorAll('body *')].filter((el) => el.getClientRects().length).map((el) => el.getBoundingClientRect().right)) }));
	assert.ok(w.doc <= 375, `${what}: no horizontal scroll (document is ${w.doc} px wide)`);
	assert.ok(w.widest <= 375.5, `${what}: nothing sticks out (rightmost edge at ${w.widest} px)`);
}

step('17a-card-value-drawn', async () => {
	const fake = issue7Fake();
	fake.values[zedId] = negativeValue(zedId, MARKUP_NAME);
	await fake.start();
	try {
		await visit(`#/contact/${zedId}`);
		const s = page.locator('.value-section');
		await s.getByRole('heading', { level: 2, name: 'Value' }).waitFor();
		const val = (k) => s.locator(`.value-facts [data-value=${k}] dd`).innerText();
		assert.equal(await val('clv'), '€86.40');
		assert.match(await val('p_alive'), /^41%\s+▼ down 37 points from 78%$/);
		assert.equal(await s.locator('.p-alive-change.falling').count(), 1);
		assert.equal(await val('expected'), '0.37');
		assert.match(await val('cost'), /^€527\.50/);
		assert.deepEqual(await s.locator('.cost-parts li').allInnerTexts(), ['time: 720 minutes, €480.00', 'make-goods: €35.00', 'discounts: €12.50']);
		assert.equal(await val('margin'), '-€335.50');
		assert.equal(await val('expected_margin'), '-€340.00');
		assert.equal(await s.locator('[data-value=expected_margin] .money.negative').count(), 1, 'a loss stands out');
		assert.match(await val('rfm'), /R2 F3 M1 · 231\s*at_risk/);
		assert.match(await s.locator('.value-fitted').innerText(), /Scored 1 Nov 2026/);
		// The reasons, in numbers, as text.
		assert.deepEqual(await s.locator('.value-reasons li').allInnerTexts(), fake.values[zedId].reasons);
		assert.equal(await s.locator('img').count(), 0, 'reasons are text');
		await noGaps('.value-section');
		await shot('17a-card-value');

		// The let-go form, by keyboard: Enter opens it, Escape closes it.
		const toggle = s.getByRole('button', { name: 'Let go gracefully' });
		await toggle.focus();
		await page.keyboard.press('Enter');
		const form = s.locator('form.letgo-form');
		await form.waitFor();
		const note = form.getByLabel('Note for the timeline');
		assert.equal(await note.evaluate((el) => el === document.activeElement), true, 'the focus goes to the note');
		await page.keyboard.press('Escape');
		await form.waitFor({ state: 'detached' });
		assert.equal(await toggle.evaluate((el) => el === document.activeElement), true, 'the focus is back on the button');
		await toggle.click();
		// No let-go without its note.
		await form.getByRole('button', { name: 'Let go', exact: true }).click();
		assert.equal(await note.getAttribute('aria-invalid'), 'true');
		assert.equal(fake.sent.length, 0, 'nothing was sent');
		const words = 'Agreed to part as friends; <b>referred</b> to a tailor nearer home';
		await note.fill(words);
		await form.getByLabel('Hand over to (optional)').fill(LOGIN);
		await form.getByLabel('Stop the keep-in-touch reminders').check();
		await shot('17a-card-letgo-form');
		await form.getByRole('button', { name: 'Let go', exact: true }).click();
		const done = s.locator('.letgo-done');
		await done.waitFor();
		assert.deepEqual(fake.sent, [{ method: 'POST', path: `/contacts/${zedId}/letgo`, body: { note: words, handover: LOGIN, stop_cadence: true } }]);
		assert.match(await done.innerText(), new RegExp(`Now with ${LOGIN} · tier: Distant · note kept`));
		assert.equal(await s.getByRole('button', { name: 'Let go gracefully' }).count(), 0, 'let go once');
		assert.equal(await done.locator('p').first().evaluate((el) => el === document.activeElement), true, 'the focus goes to what happened');

		// Linked from the value report: the form is open at once.
		await visit(`#/contact/${zedId}?letgo=1`);
		await s.locator('form.letgo-form').waitFor();
		assert.equal(await s.getByLabel('Note for the timeline').evaluate((el) => el === document.activeElement), true);

		// Not scored yet: a quiet line.
		fake.values[zedId] = null;
		await visit(`#/contact/${zedId}`);
		await s.locator('.value-none', { hasText: 'Not scored yet; run a fit (rapport value fit).' }).waitFor();
		assert.equal(await s.locator('.value-facts, [role=alert]').count(), 0);
	} finally {
		await fake.stop();
	}
	// A server that does not score: no section.
	const real = (await apiGet(`/contacts/${zedId}`)).body;
	if (!('value' in real)) {
		await page.reload();
		await page.getByRole('heading', { level: 2, name: 'Facts' }).waitFor();
		assert.equal(await page.locator('.value-section').count(), 0);
	}
});

step('17b-card-complaints-drawn', async () => {
	const fake = issue7Fake();
	fake.complaints = [
		{ id: 801, contact: { id: zedId, name: MARKUP_NAME }, channel: 'call', text: `The coat came back with a tear ${XSS}`, opened_at: minutesAgo(12), opened_by: 'anna', duty: null, answered_at: null, answer: null, answered_by: null, first_response_minutes: null, resolved_at: null, resolution: null, apology: false, make_good: null, make_good_cost: null, currency: null, state: 'waiting', late: true },
		{ id: 802, contact: { id: zedId, name: MARKUP_NAME }, channel: 'email', text: 'Wrong size sent', opened_at: '2026-10-01T09:00:00Z', opened_by: 'anna', duty: 'anna', answered_at: '2026-10-01T09:04:00Z', answer: 'So sorry, <i>we will</i> fix it', answered_by: 'anna', first_response_minutes: 4, resolved_at: '2026-10-02T12:00:00Z', resolution: 'Sent the right size', apology: true, make_good: 'Free alteration', make_good_cost: '25.00', currency: 'EUR', state: 'resolved', late: false },
	];
	await fake.start();
	try {
		await visit(`#/contact/${zedId}`);
		const s = page.locator('.complaints-section');
		await s.getByRole('heading', { level: 2, name: 'Complaints' }).waitFor();
		const items = s.locator('.card-complaints > li');
		await items.first().waitFor();
		assert.ok(fake.asked.includes(`/complaints?contact=${zedId}`), 'the client’s complaints are asked for');
		assert.equal(await items.count(), 2);
		const waiting = items.nth(0);
		assert.match(await waiting.getAttribute('class'), /\blate\b/);
		assert.match(await waiting.locator('.complaint-meta').innerText(), /Waiting/);
		assert.match(await waiting.locator('.complaint-wait').innerText(), /^Late · waiting 1[23] min$/);
		assert.equal(await waiting.locator('.complaint-text').innerText(), fake.complaints[0].text, 'the words exactly, as text');
		const resolved = items.nth(1);
		assert.match(await resolved.locator('.complaint-answer').innerText(), /Answered in 4 min\s*by anna\s*with an apology\s*So sorry, <i>we will<\/i> fix it/);
		assert.match(await resolved.locator('.complaint-resolution').innerText(), /Make-good: Free alteration \(€25\.00\)\.\s*Sent the right size/);
		assert.equal(await s.locator('img, i').count(), 0, 'complaints are text');
		assert.equal(await resolved.getByRole('button').count(), 0, 'nothing left to do on a resolved one');
		await noGaps('.complaints-section');

		// Opening one: the words are required.
		const form = s.locator('form.complaint-form');
		await form.getByRole('button', { name: 'Open the complaint' }).click();
		assert.equal(await form.getByLabel('What the client said').getAttribute('aria-invalid'), 'true');
		assert.equal(fake.sent.length, 0);
		await form.getByLabel('How it came').selectOption('visit');
		const words = `Nobody at the <b>counter</b> for ten minutes ${Date.now()}`;
		await form.getByLabel('What the client said').fill(words);
		await form.getByRole('button', { name: 'Open the complaint' }).click();
		await items.first().locator('.complaint-text', { hasText: 'Nobody at the' }).waitFor();
		assert.deepEqual(fake.sent, [{ method: 'POST', path: `/contacts/${zedId}/complaints`, body: { text: words, channel: 'visit' } }]);
		assert.equal(await items.count(), 3);
		assert.match(await items.first().getAttribute('class'), /fresh/);
		assert.match(await items.first().locator('.complaint-meta').innerText(), /Waiting\s*Visit/);
		assert.equal(await form.getByLabel('What the client said').inputValue(), '', 'ready for the next one');
		assert.equal(await s.locator('b').count(), 0);

		// Answering the late one from the card.
		await items.nth(1).getByRole('button', { name: 'Answer' }).click();
		const answer = s.locator('form.answer-form');
		await answer.getByLabel('Our answer').fill('Called back and apologised');
		await answer.getByLabel('We apologised').check();
		await answer.getByRole('button', { name: 'Save the answer' }).click();
		await s.locator('[data-complaint-id="801"] .complaint-answer').waitFor();
		assert.deepEqual(fake.sent[1], { method: 'POST', path: '/complaints/801/answer', body: { text: 'Called back and apologised', apology: true } });
		assert.equal(await s.locator('[data-complaint-id="801"]').evaluate((el) => el === document.activeElement), true, 'the focus stays on the complaint');
		assert.match(await s.locator('[data-complaint-id="801"] .complaint-meta').innerText(), /Answered\s*Late/);
		await shot('17b-card-complaints');
	} finally {
		await fake.stop();
	}
	// A server that does not keep complaints says so calmly.
	await withoutRoutes(['/complaints'], async () => {
		await page.reload();
		await page.locator('.complaints-section .unavailable', { hasText: 'This server does not keep complaints yet.' }).waitFor();
		assert.equal(await page.locator('.complaints-section [role=alert], form.complaint-form').count(), 0);
	});
});

function complaintsFixture() {
	const zed = { id: zedId, name: MARKUP_NAME };
	const other = { id: 1, name: 'Ada <i>Second</i>' };
	const base = { opened_by: 'anna', duty: null, answered_at: null, answer: null, answered_by: null, first_response_minutes: null, resolved_at: null, resolution: null, apology: false, make_good: null, make_good_cost: null, currency: null };
	return [
		{ ...base, id: 811, contact: other, channel: 'message', text: 'Still no reply about the hem', opened_at: minutesAgo(3), state: 'waiting', late: false },
		{ ...base, id: 812, contact: zed, channel: 'call', text: `The buttons fell off ${XSS}`, opened_at: minutesAgo(12), state: 'waiting', late: true },
		{ ...base, id: 813, contact: other, channel: 'visit', text: 'Rude at the counter', opened_at: '2026-10-03T10:00:00Z', answered_at: '2026-10-03T10:09:00Z', answer: 'We are sorry', answered_by: 'anna', first_response_minutes: 9, state: 'answered', late: true },
		{ ...base, id: 814, contact: zed, channel: 'email', text: 'Invoice was wrong', opened_at: '2026-09-03T10:00:00Z', answered_at: '2026-09-03T10:02:00Z', answer: 'Fixed', answered_by: 'anna', first_response_minutes: 2, resolved_at: '2026-09-04T10:00:00Z', make_good: 'Refund of the difference', make_good_cost: '35.00', currency: 'EUR', apology: true, state: 'resolved', late: false },
	];
}

const complaintsReport = {
	since: null,
	target_minutes: 5,
	count: 4,
	answered: 3,
	answered_in_time: 2,
	share_in_time: 0.6667,
	median_first_response_minutes: 4,
	make_goods: { count: 2, cost: '60.00', currency: 'EUR' },
	kept: { clients: 2, revenue: '1240.00', currency: 'EUR' },
};

step('17c-complaints-page-drawn', async () => {
	const fake = issue7Fake();
	fake.complaints = complaintsFixture();
	fake.report = complaintsReport;
	await fake.start();
	try {
		await nav('Complaints').click();
		await page.waitForURL(/#\/complaints$/);
		await page.getByRole('heading', { level: 1, name: 'Complaints' }).waitFor();
		const report = page.locator('.complaint-report-section');
		await report.waitFor();
		const stat = (k) => report.locator(`[data-stat=${k}]`).innerText();
		assert.match(await stat('inTime'), /Answered in time\s*67%\s*2 of 3 answered within 5 min/);
		assert.match(await stat('median'), /Median first response\s*4 min/);
		assert.match(await stat('count'), /Complaints\s*4\s*3 answered/);
		assert.match(await stat('makeGoods'), /€60\.00\s*2 make-goods/);
		assert.match(await stat('kept'), /€1,240\.00\s*2 clients kept/);
		// Waiting first, the late one on top; then answered, then resolved.
		const groups = await page.locator('.complaint-group h2').allInnerTexts();
		assert.deepEqual(groups, ['Waiting for an answer (2)', 'Answered, not resolved (1)', 'Resolved (1)']);
		const waiting = page.locator('.group-waiting-section .complaint');
		assert.deepEqual(await waiting.evaluateAll((els) => els.map((el) => el.dataset.complaintId)), ['812', '811']);
		assert.match(await waiting.nth(0).locator('.complaint-wait').innerText(), /^Late · waiting 1[23] min \(target 5 min\)$/);
		assert.equal(await waiting.nth(0).locator('.badge.due').count(), 1, 'late in the warning style');
		assert.match(await waiting.nth(1).locator('.complaint-wait').innerText(), /^waiting [34] min \(target 5 min\)$/);
		assert.equal(await waiting.nth(1).locator('.badge.due').count(), 0);
		assert.equal(await page.locator('.group-answered-section .complaint .late-mark').count(), 1, 'answered late is marked');
		assert.equal(await waiting.nth(0).locator('a.complaint-contact').getAttribute('href'), `#/contact/${zedId}`);
		assert.equal(await page.locator('main img, main b, main i').count(), 0, 'names and words are text');
		await noGaps();
		await shot('17c-complaints-page');

		// Answering by keyboard; a refusal keeps what was typed.
		const late = page.locator('[data-complaint-id="812"]');
		await late.getByRole('button', { name: 'Answer' }).focus();
		await page.keyboard.press('Enter');
		const form = late.locator('form.answer-form');
		await form.waitFor();
		assert.equal(await form.getByLabel('Our answer').evaluate((el) => el === document.activeElement), true);
		await page.keyboard.type('Called back: new buttons sewn on today');
		fake.fail['/complaints/812/answer'] = { status: 409, error: { code: 'conflict', message: 'complaint 812 is already answered' } };
		await form.getByRole('button', { name: 'Save the answer' }).click();
		const alert = form.locator('[role=alert]');
		await alert.waitFor();
		assert.match(await alert.innerText(), /complaint 812 is already answered/);
		assert.match(await alert.innerText(), /HTTP 409 · conflict/);
		assert.equal(await form.getByLabel('Our answer').inputValue(), 'Called back: new buttons sewn on today');
		delete fake.fail['/complaints/812/answer'];
		await form.getByLabel('We apologised').check();
		await form.getByRole('button', { name: 'Save the answer' }).click();
		await page.locator('.group-answered-section [data-complaint-id="812"]').waitFor();
		assert.deepEqual(fake.sent.at(-1), { method: 'POST', path: '/complaints/812/answer', body: { text: 'Called back: new buttons sewn on today', apology: true } });
		assert.equal(await page.locator('.group-answered-section [data-complaint-id="812"]').evaluate((el) => el === document.activeElement), true, 'the focus follows the complaint');
		assert.match(await page.locator('.group-waiting-section h2').innerText(), /\(1\)/);

		// Resolving: the make-good and a cost that is an amount.
		const answered = page.locator('.group-answered-section [data-complaint-id="812"]');
		await answered.getByRole('button', { name: 'Resolve' }).click();
		const resolve = answered.locator('form.resolve-form');
		await resolve.getByRole('button', { name: 'Resolve' }).click();
		assert.equal(await resolve.getByLabel('Make-good').getAttribute('aria-invalid'), 'true');
		assert.equal(await resolve.getByLabel('What it cost').getAttribute('aria-invalid'), 'true');
		await resolve.getByLabel('Make-good').fill('Free <b>alteration</b>');
		await resolve.getByLabel('What it cost').fill('twenty');
		await resolve.getByRole('button', { name: 'Resolve' }).click();
		assert.equal(await resolve.getByLabel('What it cost').getAttribute('aria-invalid'), 'true');
		assert.match(await resolve.locator('[role=alert]').innerText(), /an amount like 25 or 25\.50/);
		const sentBefore = fake.sent.length;
		await resolve.getByLabel('What it cost').fill('25,5');
		await resolve.getByLabel('How it ended (optional)').fill('Client happy');
		await shot('17c-complaints-resolve-form');
		await resolve.getByRole('button', { name: 'Resolve' }).click();
		await page.locator('.group-resolved-section [data-complaint-id="812"]').waitFor();
		assert.equal(fake.sent.length, sentBefore + 1, 'only the valid one was sent');
		assert.deepEqual(fake.sent.at(-1), { method: 'POST', path: '/complaints/812/resolve', body: { make_good: 'Free <b>alteration</b>', cost: '25.5', resolution: 'Client happy', apology: true } });
		assert.match(await page.locator('.group-resolved-section [data-complaint-id="812"] .complaint-resolution').innerText(), /Make-good: Free <b>alteration<\/b> \(€25\.50\)\./);
		assert.equal(await page.locator('main b').count(), 0);

		// The report since a day, from the address.
		await page.locator('form.complaint-filters').getByLabel('Report since').fill('2026-09-01');
		await page.locator('form.complaint-filters').getByRole('button', { name: 'Show' }).click();
		await page.waitForURL(/#\/complaints\?since=2026-09-01$/);
		await page.locator('.complaint-report-section').waitFor();
		assert.ok(fake.asked.includes('/complaints/report?since=2026-09-01'));
	} finally {
		await fake.stop();
	}
	await withoutRoutes(['/complaints', '/complaints/report'], async () => {
		await visit(`#/complaints`);
		await page.locator('.complaints-page-slot .unavailable', { hasText: 'This server does not keep complaints yet.' }).waitFor();
		await page.locator('.complaint-report-slot .unavailable', { hasText: 'This server does not make the complaints report yet.' }).waitFor();
		assert.equal(await page.locator('main [role=alert]').count(), 0);
	});
	// Any other failure is shown as one, with a way to try again.
	const fake500 = issue7Fake();
	fake500.fail['/complaints'] = { status: 500, error: { code: 'store', message: 'the store did not answer' } };
	fake500.report = complaintsReport;
	await fake500.start();
	try {
		await page.reload();
		const alert = page.locator('.complaints-page-slot [role=alert]');
		await alert.waitFor();
		assert.match(await alert.innerText(), /the store did not answer[\s\S]*HTTP 500 · store/);
		await alert.getByRole('button', { name: 'Try again' }).waitFor();
	} finally {
		await fake500.stop();
	}
});

function valueReportFixture() {
	return {
		fitted_at: '2026-11-01T10:00:00Z',
		currency: 'EUR',
		customers: 300,
		distribution: { edges: [0, 100, 250, 500, 1000, 5000], counts: [120, 80, 60, 30, 10] },
		segments: [
			{ name: 'champions', count: 40, clv: '52000.00' },
			{ name: '<b>at_risk</b>', count: 25, clv: '8000.00' },
		],
		top: [
			{ contact: { id: zedId, name: MARKUP_NAME }, clv: '4800.00', p_alive: 0.93, segment: 'champions' },
			{ contact: { id: 1, name: 'Ada Second' }, clv: '3100.50', p_alive: 0.71, segment: 'loyal' },
		],
		negative: [{ contact: { id: zedId, name: MARKUP_NAME }, expected_margin: '-340.00', reasons: ['12 hours of calls a quarter', '2 refunds', XSS] }],
		totals: { clv: '123456.78', revenue: '98000.00', cost_to_serve: '7600.00' },
		periods: [{ period: '2026-Q3', revenue: '2648.40', minutes: 6120, cost_to_serve: '3060.00', margin: '-411.60' }],
	};
}

step('17d-value-report-drawn', async () => {
	const fake = issue7Fake();
	fake.valueReport = valueReportFixture();
	fake.values[zedId] = negativeValue(zedId, MARKUP_NAME);
	await fake.start();
	try {
		await nav('Value').click();
		await page.waitForURL(/#\/value$/);
		await page.getByRole('heading', { level: 1, name: 'Client value' }).waitFor();
		await page.locator('.value-totals-section').waitFor();
		assert.match(await page.locator('.view-head .lead').innerText(), /Scored 1 Nov 2026.* · 300 clients/);
		const stat = (k) => page.locator(`.value-totals-section [data-stat=${k}] dd`).innerText();
		assert.equal(await stat('customers'), '300');
		assert.equal(await stat('clv'), '€123,456.78');
		assert.equal(await stat('revenue'), '€98,000.00');
		assert.equal(await stat('cost'), '€7,600.00');
		// The spread of CLV, drawn with Chart.js from the edges and counts.
		await page.waitForFunction(() => window.Chart && window.Chart.getChart(document.querySelector('.clv-chart canvas')));
		const chart = await page.evaluate(() => {
			const c = window.Chart.getChart(document.querySelector('.clv-chart canvas'));
			return { type: c.config.type, labels: c.data.labels, data: c.data.datasets[0].data };
		});
		assert.equal(chart.type, 'bar');
		assert.deepEqual(
			chart.labels.map((l) => l.toLowerCase()),
			['€0–€100', '€100–€250', '€250–€500', '€500–€1k', '€1k–€5k'],
		);
		assert.deepEqual(chart.data, [120, 80, 60, 30, 10]);
		assert.match(await page.locator('.clv-chart .chart-summary').innerText(), /^Lifetime value of 300 clients: €0–€100: 120, /);
		// Margin by period, a loss in red.
		assert.deepEqual(await page.locator('table.periods tbody tr').first().locator('th, td').allInnerTexts(), ['2026-Q3', '€2,648.40', '6,120', '€3,060.00', '-€411.60']);
		assert.equal(await page.locator('table.periods [data-col=margin] .money.negative').count(), 1);
		// Segments, top clients, negative ones with their reasons.
		const seg = page.locator('table.segments tbody tr');
		assert.equal(await seg.count(), 2);
		assert.deepEqual(await seg.nth(1).locator('th, td').allInnerTexts(), ['<b>at_risk</b>', '25', '€8,000.00']);
		const top = page.locator('table.top-clients tbody tr');
		assert.equal(await top.count(), 2);
		assert.deepEqual(await top.nth(0).locator('th, td').allInnerTexts(), [MARKUP_NAME, '€4,800.00', '93%', 'champions']);
		assert.equal(await top.nth(0).locator('a').getAttribute('href'), `#/contact/${zedId}`);
		const neg = page.locator('.negative-list > li');
		assert.equal(await neg.count(), 1);
		assert.match(await neg.locator('.expected-margin').innerText(), /expected margin -€340\.00/);
		assert.deepEqual(await neg.locator('.value-reasons li').allInnerTexts(), fake.valueReport.negative[0].reasons);
		assert.equal(await page.locator('main img, main b').count(), 0, 'names, segments and reasons are text');
		await noGaps();
		await shot('17d-value-report');
		// From a negative client to the let-go form on the card.
		await neg.getByRole('link', { name: `Let ${MARKUP_NAME} go gracefully` }).click();
		await page.waitForURL(new RegExp(`#/contact/${zedId}\\?letgo=1$`));
		await page.locator('.value-section form.letgo-form').waitFor();
		// Scoring again from the report.
		await page.goBack();
		await page.getByRole('button', { name: 'Score again' }).click();
		await page.waitForFunction(() => document.getElementById('live').textContent.includes('Scored 300 clients'));
		assert.deepEqual(fake.sent.filter((x) => x.path === '/value/fit'), [{ method: 'POST', path: '/value/fit', body: {} }]);
		await page.locator('.value-totals-section').waitFor();
		assert.equal(fake.asked.filter((x) => x === '/value/report').length, 3, 'drawn again after the fit');
		// Before any fit: say so, and offer one.
		fake.valueReport = { fitted_at: null, currency: 'EUR', customers: 0, distribution: { edges: [], counts: [] }, segments: [], top: [], negative: [], totals: {} };
		await page.reload();
		await page.locator('.value-slot .empty', { hasText: 'No client is scored yet.' }).waitFor();
		await page.getByRole('button', { name: 'Score the clients now' }).waitFor();
		assert.equal(await page.locator('.clv-chart').count(), 0);
	} finally {
		await fake.stop();
	}
	await withoutRoutes(['/value/report'], async () => {
		await page.reload();
		await page.locator('.value-slot .unavailable', { hasText: 'This server does not score client value yet.' }).waitFor();
		assert.equal(await page.locator('main [role=alert]').count(), 0);
	});
});

step('17e-agenda-complaints-and-value-drawn', async () => {
	const fake = issue7Fake();
	fake.agenda = {
		complaints: [
			{ id: 821, contact: { id: zedId, name: MARKUP_NAME }, text: `Where is my coat? ${XSS}`, opened_at: minutesAgo(14), minutes_waiting: 14, target_minutes: 5, state: 'late', duty: null },
			{ id: 822, contact: { id: 1, name: 'Ada Second' }, text: 'The fitting room was locked', opened_at: minutesAgo(4), minutes_waiting: 4, target_minutes: 5, state: 'near', duty: LOGIN },
		],
		value: [{ contact: { id: zedId, name: MARKUP_NAME }, clv: '4800.00', currency: 'EUR', p_alive: 0.6, p_alive_before: 0.9, reason: 'no purchase for 7 months <i>after</i> 12 a year' }],
	};
	await fake.start();
	try {
		await visit(`#/agenda`);
		const block = page.locator('.agenda-complaints-section');
		await block.getByRole('heading', { level: 2, name: 'Complaints waiting for an answer' }).waitFor();
		// Above everything else on the page but its title.
		const order = await page.evaluate(() => {
			const b = document.querySelector('.agenda-complaints-section');
			const later = ['.agenda-filters', '.agenda-layout', '.agenda-list'].map((s) => document.querySelector(s));
			return later.map((el) => !!(b.compareDocumentPosition(el) & Node.DOCUMENT_POSITION_FOLLOWING));
		});
		assert.deepEqual(order, [true, true, true]);
		assert.match(await block.getAttribute('class'), /has-late/);
		const items = block.locator('.agenda-complaint');
		assert.equal(await items.count(), 2);
		assert.match(await items.nth(0).getAttribute('class'), /\blate\b/);
		assert.match(await items.nth(0).locator('.complaint-meta').innerText(), /Late · waiting 14 min \(target 5 min\)/);
		assert.match(await items.nth(1).locator('.complaint-meta').innerText(), /waiting 4 min \(target 5 min\)\s*Almost late\s*on duty: anna/);
		assert.equal(await items.nth(0).locator('.complaint-text').innerText(), fake.agenda.complaints[0].text);
		assert.equal(await block.locator('img').count(), 0, 'complaints are text');
		await block.getByRole('link', { name: 'All complaints' }).waitFor();
		// The value block beside the people to reach.
		const value = page.locator('.agenda-side .agenda-value-section');
		await value.getByRole('heading', { level: 2, name: 'Valuable clients drifting away' }).waitFor();
		assert.equal(await value.locator('.value-item').count(), 1);
		assert.match(await value.locator('.value-item').innerText(), /€4,800\.00[\s\S]*60%\s*▼ down 30 points from 90%[\s\S]*no purchase for 7 months <i>after<\/i> 12 a year/);
		assert.equal(await value.locator('i').count(), 0);
		await noGaps('.agenda-complaints-section');
		await shot('17e-agenda-complaints');
		// A quick answer in place: the complaint leaves the block.
		await items.nth(0).getByRole('button', { name: `Answer ${MARKUP_NAME}` }).click();
		const form = items.nth(0).locator('form.answer-form');
		await form.getByLabel('Our answer').fill('On its way today, sorry');
		await form.getByRole('button', { name: 'Save the answer' }).click();
		await page.locator('[data-complaint-id="821"]').waitFor({ state: 'detached' });
		assert.deepEqual(fake.sent, [{ method: 'POST', path: '/complaints/821/answer', body: { text: 'On its way today, sorry' } }]);
		assert.equal(await items.count(), 1);
		assert.equal(await page.getByRole('button', { name: 'Answer Ada Second' }).evaluate((el) => el === document.activeElement), true, 'the focus goes to the next one');
		// Empty blocks: nothing.
		fake.agenda = { complaints: [], value: [] };
		await page.reload();
		await page.locator('.agenda-main:not([aria-busy])').waitFor();
		assert.equal(await page.locator('.agenda-complaints-section, .agenda-value-section').count(), 0);
	} finally {
		await fake.stop();
	}
});

step('17f-phone-and-russian', async () => {
	const fake = issue7Fake();
	fake.complaints = complaintsFixture();
	fake.report = complaintsReport;
	fake.valueReport = valueReportFixture();
	fake.values[zedId] = negativeValue(zedId, MARKUP_NAME);
	fake.agenda = { complaints: [{ id: 812, contact: { id: zedId, name: MARKUP_NAME }, text: 'A very long complaint '.repeat(12), opened_at: minutesAgo(14), minutes_waiting: 14, target_minutes: 5, state: 'late', duty: 'someone-with-a-long-login' }], value: [{ contact: { id: zedId, name: MARKUP_NAME }, clv: '4800.00', currency: 'EUR', p_alive: 0.6, p_alive_before: 0.9, reason: 'falling' }] };
	await fake.start();
	await page.setViewportSize({ width: 375, height: 740 });
	try {
		await visit(`#/complaints`);
		await page.locator('[data-complaint-id="812"]').getByRole('button', { name: 'Resolve' }).click();
		await page.locator('form.resolve-form').waitFor();
		await fitsPhone('complaints');
		await shot('17f-phone-complaints');
		await visit(`#/value`);
		await page.waitForFunction(() => window.Chart && window.Chart.getChart(document.querySelector('.clv-chart canvas')));
		await fitsPhone('value report');
		await shot('17f-phone-value');
		await visit(`#/contact/${zedId}?letgo=1`);
		await page.locator('form.letgo-form').waitFor();
		await page.locator('.card-complaints > li').first().waitFor();
		await fitsPhone('card');
		await visit(`#/agenda`);
		await page.locator('.agenda-complaints-section').getByRole('button', { name: /^Answer / }).click();
		await page.locator('form.answer-form').waitFor();
		await fitsPhone('agenda');
		await shot('17f-phone-agenda');
		// In Russian.
		await page.getByLabel('Language').selectOption('ru');
		await page.locator('.agenda-complaints-section').getByRole('heading', { level: 2, name: 'Жалобы ждут ответа' }).waitFor();
		assert.match(await page.locator('.agenda-complaint').first().innerText(), /Опоздали · ждёт 14 мин \(цель 5 мин\)/);
		await nav('Жалобы').click();
		await page.getByRole('heading', { level: 1, name: 'Жалобы' }).waitFor();
		await page.locator('.complaint-report-section').getByText('Медиана первого ответа').waitFor();
		await nav('Ценность').click();
		await page.getByRole('heading', { level: 1, name: 'Ценность клиентов' }).waitFor();
		await page.locator('.value-totals-section').waitFor();
		assert.match(await page.locator('.value-totals-section [data-stat=clv] dd').innerText(), /123\s456,78\s€/);
		await visit(`#/contact/${zedId}`);
		await page.locator('.value-section').getByRole('heading', { level: 2, name: 'Ценность' }).waitFor();
		assert.match(await page.locator('.value-section').innerText(), /на 37 п\. п\. ниже, было 78\s?%/);
		await page.locator('.value-section').getByRole('button', { name: 'Бережно отпустить' }).waitFor();
		await fitsPhone('card in Russian');
		await shot('17f-phone-card-russian');
	} finally {
		await page.setViewportSize({ width: 1280, height: 900 });
		await fake.stop();
		if ((await page.evaluate(() => document.documentElement.lang)) !== 'en') {
			await page.evaluate(() => localStorage.setItem('rapport.lang', 'en'));
			await page.reload();
		}
	}
}, { autoShot: false });

// ---- trust, communities and the simulator, drawn -------------------------------------
// The ledger, the communities and the simulator are built alongside: here
// the page's requests for them are answered by a stand-in keeping its
// documents in the shapes agreed for them (docs of issue 8), so that the
// drawing, the forms and the checks are tested whatever this server has.
// The same pages against the real routes are in the group further down.

// fake.trust[id]: the card's "trust" (absent: the card as the server has
// it); fake.acts[id]: the ledger; fake.communities, fake.shows[ref],
// fake.health[ref], fake.agenda, fake.sim[kind]; fake.sent every change,
// fake.asked every read; fake.fail[path] answers that path with {status, error}.
function issue8Fake() {
	const fake = { trust: {}, acts: {}, communities: [], shows: {}, health: {}, agenda: null, sim: {}, sent: [], asked: [], fail: {}, nextId: 700 };
	const json = (route, body, status = 200) => route.fulfill({ status, contentType: 'application/json', body: JSON.stringify(body) });
	const mine = (url) => /^\/api\/v1\/(agenda|communities(\/.*)?|simulate\/.*|contacts\/\d+(\/trust)?)$/.test(url.pathname);
	const handler = async (route) => {
		const req = route.request();
		const url = new URL(req.url());
		const path = url.pathname.replace(/^\/api\/v1/, '');
		const method = req.method();
		const failure = fake.fail[path];
		if (method !== 'GET') fake.sent.push({ method, path, body: req.postDataJSON() });
		else fake.asked.push(`${path}${url.search}`);
		if (failure) return json(route, { error: failure.error }, failure.status);
		let m;
		if (method === 'GET' && (m = /^\/contacts\/(\d+)$/.exec(path))) {
			const res = await route.fetch();
			const card = await res.json();
			if (m[1] in fake.trust) card.trust = fake.trust[m[1]];
			return route.fulfill({ response: res, json: card });
		}
		if (method === 'GET' && path === '/agenda') {
			const res = await route.fetch();
			return route.fulfill({ response: res, json: { ...(await res.json()), ...(fake.agenda || {}) } });
		}
		if ((m = /^\/contacts\/(\d+)\/trust$/.exec(path))) {
			const id = m[1];
			const acts = (fake.acts[id] = fake.acts[id] || []);
			if (method === 'POST') {
				const body = req.postDataJSON();
				const act = { id: fake.nextId++, on: body.on || '2026-11-20', by: body.by, act: body.act, text: body.text, interaction: null, complaint: null };
				acts.unshift(act);
				// A company defect not made good: we let them down.
				if (body.by === 'company' && body.act === 'defect') fake.trust[id] = { ...(fake.trust[id] || {}), state: 'we let them down', score: -0.4, recommendation: { act: 'make good', why: 'we let them down and have not made it good' }, open_letdown: { on: act.on, text: act.text } };
				return json(route, { id: act.id, ...act });
			}
			const tr = fake.trust[id];
			return json(route, { contact: { id: Number(id), name: 'someone' }, ...(tr || { state: 'no history', score: 0, recommendation: { act: 'cooperate', why: 'nothing yet' }, open_letdown: null }), acts });
		}
		if (path === '/communities') {
			if (method === 'POST') {
				const body = req.postDataJSON();
				const c = { id: fake.nextId++, name: body.name, rules: body.rules || null, members: 0 };
				fake.communities.push(c);
				fake.shows[String(c.id)] = { id: c.id, name: c.name, rules: c.rules, members: [], ties: [] };
				fake.health[String(c.id)] = { community: { id: c.id, name: c.name }, periods: [], cooperation_share: [], let_down: [], alerts: [] };
				return json(route, { id: c.id, name: c.name });
			}
			return json(route, { communities: fake.communities });
		}
		if ((m = /^\/communities\/([^/]+)(\/health|\/members(?:\/(\d+))?)?$/.exec(path))) {
			const ref = decodeURIComponent(m[1]);
			const show = fake.shows[ref];
			if (!show) return json(route, { error: { code: 'not_found', message: `no community "${ref}"` } }, 404);
			if (method === 'GET' && !m[2]) return json(route, show);
			if (method === 'GET' && m[2] === '/health') return json(route, fake.health[ref]);
			if (method === 'POST' && m[2] === '/members') {
				const body = req.postDataJSON();
				show.members.push({ contact: { id: 1, name: body.contact }, role: body.role || null, joined_on: body.on || '2026-11-20', trust_state: 'no history' });
				return json(route, { community: show.id, contact: 1 });
			}
			if (method === 'DELETE' && m[3]) {
				show.members = show.members.filter((x) => String(x.contact.id) !== m[3]);
				return json(route, { left: true });
			}
		}
		if (method === 'GET' && (m = /^\/simulate\/(tournament|lattice|community)$/.exec(path))) {
			const doc = fake.sim[m[1]];
			return json(route, typeof doc === 'function' ? doc(url.searchParams) : doc);
		}
		return route.fallback();
	};
	fake.start = () => page.route(mine, handler);
	fake.stop = () => page.unroute(mine, handler);
	return fake;
}

// Where trust stands with a client we let down.
function letDownTrust(name) {
	return {
		contact: { id: zedId, name },
		state: 'we let them down',
		score: -0.35,
		recommendation: { act: 'make good', why: `Generous tit-for-tat: always make good our own defection ${XSS}` },
		open_letdown: { on: '2026-11-03', text: `Delivered the coat late and said nothing <b>at all</b>` },
	};
}

function ledgerActs() {
	return [
		{ id: 51, on: '2026-11-03', by: 'company', act: 'defect', text: 'Delivered the coat late and said nothing <b>at all</b>', interaction: null, complaint: 812 },
		{ id: 50, on: '2026-10-01', by: 'client', act: 'cooperate', text: `Paid early ${XSS}`, interaction: 4242, complaint: null },
	];
}

function communityFixture() {
	const zed = { id: zedId, name: MARKUP_NAME };
	const ada = { id: 1, name: 'Ada <i>Second</i>' };
	const bo = { id: 2, name: 'Bo Third' };
	return {
		show: {
			id: 31,
			name: 'Tailors’ <b>circle</b>',
			rules: `Pay on time; tell us first when something is wrong.\nNo <script>alert(3)</script> in the rules`,
			members: [
				{ contact: zed, role: 'founder', joined_on: '2026-01-15', trust_state: 'we let them down' },
				{ contact: ada, role: 'member <i>x</i>', joined_on: '2026-03-02', trust_state: 'mutual cooperation' },
				{ contact: bo, role: null, joined_on: '2026-05-20', trust_state: 'they let us down' },
			],
			ties: [
				{ a: zedId, b: 1, kind: 'friend' },
				{ a: zedId, b: 2, kind: 'referred-by' },
			],
		},
		health: {
			community: { id: 31, name: 'Tailors’ <b>circle</b>' },
			periods: ['2026-08', '2026-09', '2026-10', '2026-11'],
			cooperation_share: [1, null, 0.75, 0.5],
			let_down: [{ contact: zed, on: '2026-11-03', text: `Late coat ${XSS}` }],
			// Deliberately not in order: the page ranks them by touches.
			alerts: [
				{ contact: bo, why: 'they defected', on: '2026-10-10', touches: 1, at_risk: [zed] },
				{ contact: zed, why: 'we let them down', on: '2026-11-03', touches: 2, at_risk: [ada, bo] },
			],
		},
	};
}

const TOURNAMENT = {
	strategies: [
		{ name: 'alld', score: 520.4, mean_per_round: 2.602 },
		{ name: 'tft', score: 600, mean_per_round: 3 },
		{ name: 'gtft', score: 598.5, mean_per_round: 2.9925 },
		{ name: 'random', score: 410, mean_per_round: 2.05 },
	],
	payoffs: { T: 5, R: 3, P: 1, S: 0 },
	rounds: 200,
	matches: 280,
	gtft_forgiveness: 1 / 3,
};

step('25a-card-trust-drawn', async () => {
	const fake = issue8Fake();
	fake.trust[zedId] = letDownTrust(MARKUP_NAME);
	fake.acts[zedId] = ledgerActs();
	await fake.start();
	try {
		await visit(`#/contact/${zedId}`);
		const s = page.locator('.trust-section');
		await s.getByRole('heading', { level: 2, name: 'Trust' }).waitFor();
		await s.locator('.trust-acts > li').first().waitFor();
		assert.ok(fake.asked.includes(`/contacts/${zedId}/trust`), 'the ledger is asked for');
		const fact = (k) => s.locator(`.trust-facts [data-trust=${k}] dd`).innerText();
		assert.equal(await fact('state'), 'We let them down');
		assert.equal(await s.locator('.badge.trust-we-let-them-down').count(), 1);
		assert.equal(await fact('score'), '-0.35');
		assert.equal(await s.locator('meter').getAttribute('value'), '-0.35');
		assert.equal(await s.locator('meter').getAttribute('min'), '-1');
		assert.match(await s.locator('meter').getAttribute('aria-label'), /from −1 to \+1/);
		assert.equal(await fact('advice'), `Make it good\nGenerous tit-for-tat: always make good our own defection ${XSS}`);
		// The let-down not made good stands out, with what happened as text.
		const letdown = s.locator('.trust-letdown');
		assert.equal(await letdown.locator('.letdown-line').innerText(), 'We let them down on 3 November 2026 and have not made it good');
		assert.equal(await letdown.locator('.letdown-text').innerText(), 'Delivered the coat late and said nothing <b>at all</b>');
		// The ledger, newest first: who, what, where it came from.
		const acts = s.locator('.trust-acts > li');
		assert.equal(await acts.count(), 2);
		assert.match(await acts.nth(0).getAttribute('class'), /by-company act-defect/);
		assert.match(await acts.nth(0).locator('.act-meta').innerText(), /3 November 2026\s*We\s*let down\s*from complaint 812/);
		assert.match(await acts.nth(1).locator('.act-meta').innerText(), /1 October 2026\s*Client\s*kept faith\s*from touch 4242/);
		assert.equal(await acts.nth(1).locator('.act-text').innerText(), `Paid early ${XSS}`);
		assert.equal(await s.locator('img, b, script').count(), 0, 'words from data are text');
		await noGaps('.trust-section');
		await shot('25a-card-trust');

		// Recording an act: what happened is required.
		const form = s.locator('form.trust-form');
		await form.getByRole('button', { name: 'Record' }).click();
		assert.equal(await form.getByLabel('What happened').getAttribute('aria-invalid'), 'true');
		assert.equal(fake.sent.length, 0, 'nothing was sent');
		// By keyboard: who, what, the words, the day.
		await form.getByLabel('Who acted').focus();
		await page.keyboard.press('ArrowDown');
		assert.equal(await form.getByLabel('Who acted').inputValue(), 'client');
		await form.getByLabel('Who acted').selectOption('company');
		await form.getByLabel('What it was').selectOption('cooperate');
		const words = `Apologised and sent a <b>replacement</b> at once ${Date.now()}`;
		await form.getByLabel('What happened').fill(words);
		await form.getByLabel('On (optional)').fill('2026-11-05');
		await form.getByRole('button', { name: 'Record' }).click();
		await acts.first().locator('.act-text', { hasText: 'Apologised and sent' }).waitFor();
		assert.deepEqual(fake.sent, [{ method: 'POST', path: `/contacts/${zedId}/trust`, body: { by: 'company', act: 'cooperate', text: words, on: '2026-11-05' } }]);
		assert.equal(await acts.count(), 3);
		assert.match(await acts.first().getAttribute('class'), /fresh/);
		assert.equal(await form.getByLabel('What happened').inputValue(), '', 'ready for the next one');
		assert.equal(await form.getByLabel('What happened').evaluate((el) => el === document.activeElement), true);
		assert.equal(await s.locator('b').count(), 0);
		// A company defect: the summary is drawn again from the server's answer.
		fake.trust[zedId] = null;
		fake.acts[zedId] = [];
		await page.reload();
		await s.locator('.trust-none', { hasText: 'No history yet' }).waitFor();
		await s.locator('.trust-ledger-slot .empty', { hasText: 'No acts recorded yet.' }).waitFor();
		assert.equal(await s.locator('.trust-facts, .trust-letdown, [role=alert]').count(), 0);
		await form.getByLabel('What it was').selectOption('defect');
		await form.getByLabel('What happened').fill('Delivered late and said nothing');
		await form.getByRole('button', { name: 'Record' }).click();
		await s.locator('.trust-letdown').waitFor();
		assert.equal(await fact('state'), 'We let them down');
		assert.equal(await s.locator('.trust-none').count(), 0);

		// A refusal is shown in the form, and what was typed is kept.
		fake.fail[`/contacts/${zedId}/trust`] = { status: 400, error: { code: 'invalid', message: '--on must be a day such as 2026-11-03' } };
		await form.getByLabel('What happened').fill('Paid early');
		await form.getByRole('button', { name: 'Record' }).click();
		const alert = form.locator('[role=alert]');
		await alert.waitFor();
		assert.match(await alert.innerText(), /--on must be a day such as 2026-11-03[\s\S]*HTTP 400 · invalid/);
		assert.equal(await form.getByLabel('What happened').inputValue(), 'Paid early');
	} finally {
		await fake.stop();
	}
	// A server without the ledger: the card says so calmly, with no form.
	const without = issue8Fake();
	without.trust[zedId] = null;
	without.fail[`/contacts/${zedId}/trust`] = { status: 404, error: { code: 'not_found', message: 'no such route; see docs/API.md' } };
	await without.start();
	try {
		await page.reload();
		await page.locator('.trust-section .unavailable', { hasText: 'This server does not keep the trust ledger yet.' }).waitFor();
		assert.equal(await page.locator('.trust-section [role=alert], form.trust-form').count(), 0);
	} finally {
		await without.stop();
	}
	// A card without "trust" (a server that keeps no ledger): no section.
	const real = (await apiGet(`/contacts/${zedId}`)).body;
	if (!('trust' in real)) {
		await page.reload();
		await page.getByRole('heading', { level: 2, name: 'Facts' }).waitFor();
		assert.equal(await page.locator('.trust-section').count(), 0);
	}
});

step('25b-agenda-trust-drawn', async () => {
	const fake = issue8Fake();
	fake.agenda = {
		trust: [
			{ contact: { id: zedId, name: MARKUP_NAME }, state: 'we let them down', on: '2026-11-03', text: `Late coat ${XSS}`, reason: 'we let her down on 3 Nov and have not made it good' },
			{ contact: { id: 1, name: 'Ada Second' }, state: 'mutual defection', on: '2026-11-10', text: 'Wrong size', reason: 'we let him down on 10 Nov and have not made it good' },
		],
	};
	await fake.start();
	try {
		await visit('#/agenda');
		const block = page.locator('.agenda-side .agenda-trust-section');
		await block.getByRole('heading', { level: 2, name: 'Let down and not made good' }).waitFor();
		const items = block.locator('.trust-item');
		assert.equal(await items.count(), 2);
		assert.equal(await items.nth(0).getByRole('link').innerText(), MARKUP_NAME);
		assert.equal(await items.nth(0).getByRole('link').getAttribute('href'), `#/contact/${zedId}`);
		assert.equal(await items.nth(0).locator('.trust-reason').innerText(), 'we let her down on 3 Nov and have not made it good');
		assert.equal(await items.nth(0).locator('.trust-text').innerText(), `Late coat ${XSS}`);
		assert.match(await items.nth(1).locator('.item-head').innerText(), /Mutual defection/);
		assert.equal(await block.locator('img, b').count(), 0);
		await noGaps('.agenda-trust-section');
		await shot('25b-agenda-trust');
		fake.agenda = { trust: [] };
		await page.reload();
		await page.locator('.agenda-main:not([aria-busy])').waitFor();
		assert.equal(await page.locator('.agenda-trust-section').count(), 0, 'empty: nothing');
	} finally {
		await fake.stop();
	}
});

step('25c-communities-drawn', async () => {
	const fake = issue8Fake();
	const fx = communityFixture();
	fake.communities = [{ id: 31, name: fx.show.name, rules: 'Pay on time', members: 3 }];
	fake.shows['31'] = fx.show;
	fake.health['31'] = fx.health;
	await fake.start();
	try {
		await nav('Communities').click();
		await page.waitForURL(/#\/communities$/);
		await page.getByRole('heading', { level: 1, name: 'Communities' }).waitFor();
		const item = page.locator('.community-item').first();
		await item.waitFor();
		assert.match(await item.innerText(), /Tailors’ <b>circle<\/b>\s*3 members\s*Pay on time/);
		// Founding one: the name is required; then its page.
		const add = page.locator('form.community-form');
		await add.getByRole('button', { name: 'Found it' }).click();
		assert.equal(await add.getByLabel('Name').getAttribute('aria-invalid'), 'true');
		assert.equal(fake.sent.length, 0);
		await add.getByLabel('Name').fill('Brides of <i>2027</i>');
		await add.getByLabel('Rules').fill('Recommend only what you wore');
		await add.getByRole('button', { name: 'Found it' }).click();
		await page.waitForURL(/#\/communities\/700$/);
		await page.getByRole('heading', { level: 1, name: 'Brides of <i>2027</i>' }).waitFor();
		assert.deepEqual(fake.sent, [{ method: 'POST', path: '/communities', body: { name: 'Brides of <i>2027</i>', rules: 'Recommend only what you wore' } }]);
		await page.locator('.members-section .empty', { hasText: 'Nobody has joined yet.' }).waitFor();
		await page.locator('.health-section .empty', { hasText: 'No acts between the members and us yet.' }).waitFor();

		// One community: rules, members, health.
		await visit('#/communities/31');
		await page.getByRole('heading', { level: 1, name: fx.show.name }).waitFor();
		assert.equal(await page.locator('.community-rules').innerText(), fx.show.rules);
		assert.match(await page.locator('.community-links').innerText(), /3 members · 2 ties/);
		const rows = page.locator('table.members tbody tr');
		assert.equal(await rows.count(), 3);
		assert.deepEqual((await rows.nth(0).locator('th, td').allInnerTexts()).slice(0, 4), [MARKUP_NAME, 'founder', '15 January 2026', 'We let them down']);
		assert.deepEqual((await rows.nth(1).locator('th, td').allInnerTexts()).slice(0, 4), ['Ada <i>Second</i>', 'member <i>x</i>', '2 March 2026', 'Mutual cooperation']);
		assert.equal((await rows.nth(2).locator('td.role').innerText()).trim(), '—');
		// Health: the share of cooperative acts per period, a gap where none.
		await page.waitForFunction(() => window.Chart && window.Chart.getChart(document.querySelector('.cooperation-chart canvas')));
		const chart = await page.evaluate(() => {
			const c = window.Chart.getChart(document.querySelector('.cooperation-chart canvas'));
			return { type: c.config.type, labels: c.data.labels, data: c.data.datasets[0].data };
		});
		assert.deepEqual(chart, { type: 'line', labels: fx.health.periods, data: [1, null, 0.75, 0.5] });
		assert.equal(await page.locator('.cooperation-chart .chart-summary').innerText(), 'Cooperative acts per period: 2026-08 100%, 2026-09 no acts, 2026-10 75%, 2026-11 50%');
		assert.equal(await page.locator('.health-last').innerText(), 'Latest period: 50% of acts cooperative.');
		// Contagion alerts, the one touching most first, with who is at risk.
		const alerts = page.locator('.contagion-alert');
		assert.equal(await alerts.count(), 2);
		assert.match(await alerts.nth(0).locator('.item-head').innerText(), new RegExp(`${MARKUP_NAME.replace(/[<>/]/g, '.')}\\s*We let them down\\s*touches 2 members`));
		assert.equal(await alerts.nth(0).locator('.at-risk').innerText(), 'At risk: Ada <i>Second</i>, Bo Third');
		assert.equal(await alerts.nth(0).locator('.at-risk a').nth(1).getAttribute('href'), '#/contact/2');
		assert.match(await alerts.nth(1).locator('.item-head').innerText(), /Bo Third\s*They defected\s*touches 1 member$/);
		assert.match(await page.locator('.letdown-item').innerText(), /3 November 2026[\s\S]*Late coat <img/);
		assert.equal(await page.locator('main img, main b, main i, main script').count(), 0, 'names, roles and rules are text');
		await noGaps();
		await shot('25c-community');

		// Leaving, by its labelled button; joining, with the contact required.
		await rows.nth(2).getByRole('button', { name: 'Leave: Bo Third' }).click();
		await page.locator('table.members tbody tr').nth(2).waitFor({ state: 'detached' });
		assert.deepEqual(fake.sent.at(-1), { method: 'DELETE', path: '/communities/31/members/2', body: null });
		const join = page.locator('form.join-form');
		await join.getByRole('button', { name: 'Add' }).click();
		assert.equal(await join.getByLabel('Client').getAttribute('aria-invalid'), 'true');
		await join.getByLabel('Client').fill('Bo');
		await join.getByLabel('Role').fill('host');
		await join.getByLabel('Joined on (optional)').fill('2026-11-01');
		await join.getByRole('button', { name: 'Add' }).click();
		await page.locator('table.members tbody tr', { hasText: 'host' }).waitFor();
		assert.deepEqual(fake.sent.at(-1), { method: 'POST', path: '/communities/31/members', body: { contact: 'Bo', role: 'host', on: '2026-11-01' } });
		// A refusal (no such client) is shown in the form.
		fake.fail['/communities/31/members'] = { status: 404, error: { code: 'not_found', message: 'no contact matches "Nobody"' } };
		await join.getByLabel('Client').fill('Nobody');
		await join.getByRole('button', { name: 'Add' }).click();
		await join.locator('[role=alert]', { hasText: 'no contact matches "Nobody"' }).waitFor();
		assert.equal(await join.getByLabel('Client').inputValue(), 'Nobody');
		delete fake.fail['/communities/31/members'];
		// No such community: the server's 404, not a blank page.
		await visit('#/communities/nowhere');
		await page.locator('.community-slot [role=alert]', { hasText: 'no community "nowhere"' }).waitFor();
	} finally {
		await fake.stop();
	}
	// A server made before communities: its 404, said calmly.
	const gone = (route) => route.fulfill({ status: 404, contentType: 'application/json', body: JSON.stringify({ error: { code: 'not_found', message: 'no such route; see docs/API.md' } }) });
	await page.route('**/api/v1/communities', gone);
	try {
		await visit('#/communities');
		await page.locator('.communities-slot .unavailable', { hasText: 'This server does not keep communities yet.' }).waitFor();
		assert.equal(await page.locator('main [role=alert], form.community-form').count(), 0);
	} finally {
		await page.unroute('**/api/v1/communities', gone);
	}
});

step('25d-simulator-drawn', async () => {
	const fake = issue8Fake();
	fake.communities = [{ id: 31, name: 'Tailors’ circle' }, { id: 32, name: 'Brides <b>2027</b>' }];
	fake.sim.tournament = TOURNAMENT;
	fake.sim.lattice = (q) => ({ size: Number(q.get('size')), b: Number(q.get('b')), generations: Number(q.get('generations')), share: Array.from({ length: Number(q.get('generations')) + 1 }, (_, i) => Math.max(0.32, 0.9 - i * 0.1)) });
	fake.sim.community = { community: 'Tailors’ circle', policy: 'tft', members: 12, generations: 4, share: [1, 0.92, 0.92, 1, 1] };
	await fake.start();
	const simAsked = () => fake.asked.filter((x) => x.startsWith('/simulate/'));
	try {
		await nav('Simulator').click();
		await page.waitForURL(/#\/simulate$/);
		await page.getByRole('heading', { level: 1, name: 'Cooperation simulator' }).waitFor();

		// The tournament: every bound checked before anything is asked.
		const tf = page.locator('form.tournament-form');
		const tries = [
			['Rounds per match', '10001', /Rounds per match: at most 10,000/],
			['Rounds per match', '2.5', /not a whole number/],
			['w (chance of another round)', '1', /w \(chance of another round\): must be below 1/],
			['w (chance of another round)', '-0.1', /at least 0/],
			['Noise', '0.5', /Noise: must be below 0\.5/],
			['Noise', 'lots', /“lots” is not a number/],
		];
		for (const [label, value, message] of tries) {
			const input = tf.getByLabel(label, { exact: true });
			const was = await input.inputValue();
			await input.fill(value);
			await tf.getByRole('button', { name: 'Run' }).click();
			const alert = tf.locator('[role=alert]');
			await alert.waitFor();
			assert.match(await alert.innerText(), message);
			assert.equal(await input.getAttribute('aria-invalid'), 'true');
			assert.equal(await input.evaluate((el) => el === document.activeElement), true, 'the focus goes to the field to fix');
			await input.fill(was);
		}
		await tf.getByLabel('T (temptation)').fill('3');
		await tf.getByLabel('R (reward)').fill('5');
		await tf.getByRole('button', { name: 'Run' }).click();
		assert.match(await tf.locator('[role=alert]').innerText(), /not a prisoner’s dilemma/);
		await tf.getByLabel('T (temptation)').fill('7');
		await tf.getByLabel('R (reward)').fill('3');
		await tf.getByRole('button', { name: 'Run' }).click();
		assert.match(await tf.locator('[role=alert]').innerText(), /2R > T \+ S/);
		assert.deepEqual(simAsked(), [], 'nothing out of bounds was asked');
		await tf.getByLabel('T (temptation)').fill('5');
		await tf.getByLabel('w (chance of another round)').fill('0.99');
		await tf.getByLabel('Noise').fill('0.05');
		await tf.getByLabel('Rounds per match').fill('2000');
		await tf.getByRole('button', { name: 'Run' }).click();
		const rows = page.locator('table.scores tbody tr');
		await rows.first().waitFor();
		assert.equal(await tf.locator('[role=alert]').count(), 0);
		assert.deepEqual(simAsked(), ['/simulate/tournament?rounds=2000&w=0.99&noise=0.05&payoffs=5%2C3%2C1%2C0']);
		// Ranked, best per round first.
		assert.deepEqual(await rows.nth(0).locator('th, td').allInnerTexts(), ['1', 'Tit-for-tat', '600', '3']);
		assert.deepEqual(await rows.nth(1).locator('th, td').allInnerTexts(), ['2', 'Generous tit-for-tat', '598.5', '2.993']);
		assert.deepEqual(await rows.nth(3).locator('th, td').allInnerTexts(), ['4', 'Random', '410', '2.05']);
		assert.match(await page.locator('.sim-notes').innerText(), /280 matches played · generous tit-for-tat forgives with probability 0\.333/);
		await page.waitForFunction(() => window.Chart && window.Chart.getChart(document.querySelector('.scores-chart canvas')));
		const bars = await page.evaluate(() => {
			const c = window.Chart.getChart(document.querySelector('.scores-chart canvas'));
			return { type: c.config.type, axis: c.options.indexAxis, labels: c.data.labels, data: c.data.datasets[0].data };
		});
		assert.deepEqual(bars, { type: 'bar', axis: 'y', labels: ['Tit-for-tat', 'Generous tit-for-tat', 'Always defect', 'Random'], data: [600, 598.5, 520.4, 410] });
		// The server's refusal, as it said it.
		fake.fail['/simulate/tournament'] = { status: 400, error: { code: 'invalid', message: '--rounds 2000 x --repetitions 10 is more than 2000000 rounds per match in all; ask for fewer' } };
		await tf.getByRole('button', { name: 'Run' }).click();
		const refused = tf.locator('[role=alert]');
		await refused.waitFor();
		assert.match(await refused.innerText(), /ask for fewer[\s\S]*HTTP 400 · invalid/);
		assert.equal(await tf.getByRole('button', { name: 'Run' }).isEnabled(), true, 'the form can be sent again');
		delete fake.fail['/simulate/tournament'];
		await shot('25d-simulator-tournament');

		// The lattice: the side, the generations and their product checked.
		const lf = page.locator('form.lattice-form');
		await lf.getByLabel('Side').fill('1001');
		await lf.getByRole('button', { name: 'Run' }).click();
		assert.match(await lf.locator('[role=alert]').innerText(), /Side: at most 1,000/);
		await lf.getByLabel('Side').fill('1000');
		await lf.getByLabel('Generations').fill('1000');
		await lf.getByRole('button', { name: 'Run' }).click();
		assert.match(await lf.locator('[role=alert]').innerText(), /more than 100,000,000 cell updates/);
		await lf.getByLabel('b (a defector’s gain)').fill('1');
		await lf.getByLabel('Generations').fill('1001');
		await lf.getByRole('button', { name: 'Run' }).click();
		const both = await lf.locator('[role=alert] li').allInnerTexts();
		assert.deepEqual(both, ['b (a defector’s gain): must be above 1', 'Generations: at most 1,000'], 'every mistake at once');
		assert.equal(simAsked().filter((x) => x.startsWith('/simulate/lattice')).length, 0);
		await lf.getByLabel('Side').fill('200');
		await lf.getByLabel('b (a defector’s gain)').fill('1.9');
		await lf.getByLabel('Generations').fill('8');
		await lf.getByLabel('Seed (optional)').fill('7');
		await lf.getByRole('button', { name: 'Run' }).click();
		await page.waitForFunction(() => window.Chart && window.Chart.getChart(document.querySelector('.lattice-chart canvas')));
		assert.equal(simAsked().at(-1), '/simulate/lattice?size=200&b=1.9&generations=8&seed=7');
		const line = await page.evaluate(() => {
			const c = window.Chart.getChart(document.querySelector('.lattice-chart canvas'));
			return { type: c.config.type, labels: c.data.labels, data: c.data.datasets[0].data.map((v) => Math.round(v * 100) / 100) };
		});
		assert.deepEqual(line, { type: 'line', labels: ['0', '1', '2', '3', '4', '5', '6', '7', '8'], data: [0.9, 0.8, 0.7, 0.6, 0.5, 0.4, 0.32, 0.32, 0.32] });
		assert.equal(await page.locator('.lattice-result .sim-outcome').innerText(), 'Cooperators: 90% at the start, 32% after 8 generations.');

		// A community answered by a policy.
		const cf = page.locator('form.community-sim-form');
		await cf.waitFor();
		assert.deepEqual(await cf.getByLabel('Community').locator('option').allInnerTexts(), ['Tailors’ circle', 'Brides <b>2027</b>']);
		await cf.getByLabel('Our policy').selectOption('tft');
		await cf.getByLabel('Generations').fill('4');
		await cf.getByRole('button', { name: 'Run' }).click();
		await page.waitForFunction(() => window.Chart && window.Chart.getChart(document.querySelector('.community-chart canvas')));
		assert.equal(simAsked().at(-1), '/simulate/community?name=Tailors%E2%80%99+circle&policy=tft&generations=4');
		assert.equal(await page.locator('.community-result .sim-head').innerText(), 'Tailors’ circle: 12 members, our policy Tit-for-tat.');
		assert.equal(await page.locator('.community-result .sim-outcome').innerText(), 'Cooperators: 100% at the start, 100% after 4 generations.');
		assert.equal(await page.locator('main b, main img').count(), 0);
		await noGaps();
		await shot('25d-simulator');
		// From a community's page, that community is chosen.
		await visit(`#/simulate?community=${encodeURIComponent('Brides <b>2027</b>')}`);
		await page.locator('form.community-sim-form').waitFor();
		assert.equal(await page.locator('form.community-sim-form').getByLabel('Community').inputValue(), 'Brides <b>2027</b>');
	} finally {
		await fake.stop();
	}
	// Without the communities list, the name is typed.
	await withoutRoutes(['/communities'], async () => {
		await visit('#/simulate');
		const cf = page.locator('form.community-sim-form');
		await cf.getByText('This server cannot list the communities: type the name.').waitFor();
		await cf.getByRole('button', { name: 'Run' }).click();
		assert.match(await cf.locator('[role=alert]').innerText(), /Community: required/);
	});
});

step('25e-phone-and-russian', async () => {
	const fake = issue8Fake();
	const fx = communityFixture();
	fake.trust[zedId] = letDownTrust(MARKUP_NAME);
	fake.acts[zedId] = ledgerActs();
	fake.communities = [{ id: 31, name: fx.show.name, members: 3 }];
	fake.shows['31'] = fx.show;
	fake.health['31'] = fx.health;
	fake.sim.tournament = TOURNAMENT;
	fake.agenda = { trust: [{ contact: { id: zedId, name: MARKUP_NAME }, state: 'we let them down', on: '2026-11-03', text: 'A very long story of a late coat '.repeat(6), reason: 'we let her down on 3 Nov and have not made it good' }] };
	await fake.start();
	await page.setViewportSize({ width: 375, height: 740 });
	try {
		await visit(`#/contact/${zedId}`);
		await page.locator('.trust-acts > li').first().waitFor();
		await fitsPhone('card with trust');
		await shot('25e-phone-card-trust');
		await visit('#/communities/31');
		await page.waitForFunction(() => window.Chart && window.Chart.getChart(document.querySelector('.cooperation-chart canvas')));
		await fitsPhone('community');
		await shot('25e-phone-community');
		await visit('#/simulate');
		await page.locator('form.tournament-form').getByRole('button', { name: 'Run' }).click();
		await page.locator('table.scores tbody tr').first().waitFor();
		await page.locator('form.lattice-form').getByLabel('Side').fill('5000');
		await page.locator('form.lattice-form').getByRole('button', { name: 'Run' }).click();
		await page.locator('form.lattice-form [role=alert]').waitFor();
		await fitsPhone('simulator');
		await shot('25e-phone-simulator');
		await visit('#/agenda');
		await page.locator('.agenda-trust-section').waitFor();
		await fitsPhone('agenda');
		// In Russian.
		await page.getByLabel('Language').selectOption('ru');
		await page.locator('.agenda-trust-section').getByRole('heading', { level: 2, name: 'Подвели и не загладили вину' }).waitFor();
		await nav('Сообщества').click();
		await page.getByRole('heading', { level: 1, name: 'Сообщества' }).waitFor();
		await page.locator('.community-item').first().waitFor();
		assert.match(await page.locator('.community-item').first().innerText(), /3 участника/);
		await visit('#/communities/31');
		await page.locator('.alerts-section').getByRole('heading', { level: 2, name: 'Угроза заражения' }).waitFor();
		assert.match(await page.locator('.contagion-alert').first().innerText(), /Мы подвели\s*связан с 2 участниками[\s\S]*Под угрозой: Ada/);
		await nav('Симулятор').click();
		await page.getByRole('heading', { level: 1, name: 'Симулятор сотрудничества' }).waitFor();
		const lf = page.locator('form.lattice-form');
		await lf.getByLabel('Сторона').fill('5000');
		await lf.getByRole('button', { name: 'Запустить' }).click();
		assert.match(await lf.locator('[role=alert]').innerText(), /Сторона: не больше 1\s000/);
		await visit(`#/contact/${zedId}`);
		const s = page.locator('.trust-section');
		await s.getByRole('heading', { level: 2, name: 'Доверие' }).waitFor();
		assert.equal(await s.locator('.letdown-line').innerText(), 'Мы подвели клиента 3 ноября 2026 г. и ещё не загладили вину');
		assert.equal(await s.locator('.trust-facts [data-trust=state] dd').innerText(), 'Мы подвели клиента');
		await s.locator('form.trust-form').getByLabel('Кто поступил').waitFor();
		await fitsPhone('card in Russian');
		await shot('25e-phone-card-russian');
	} finally {
		await page.setViewportSize({ width: 1280, height: 900 });
		await fake.stop();
		if ((await page.evaluate(() => document.documentElement.lang)) !== 'en') {
			await page.evaluate(() => localStorage.setItem('rapport.lang', 'en'));
			await page.reload();
		}
	}
}, { autoShot: false });

// ---- alignment: the value profile, the card's alignment, intake, the report ----------
// Drawn from documents in the agreed shapes, answered here (page.route): the
// pages are tested whether or not the server has the routes.  The same pages
// against the real routes are in the group "with the alignment and intake
// backends" further down.

// fake.profile (GET /profile), fake.presetDims[key], fake.alignment[id] (the
// card's "alignment"; absent: the card as the server has it), fake.traits[id],
// fake.best[id], fake.suggest, fake.intake (every request), fake.questions,
// fake.reply, fake.report; fake.sent every change, fake.asked every read;
// fake.fail[path] answers that path with {status, error}.
function issue9Fake() {
	const fake = { profile: { dimensions: [], presets: [] }, presetDims: {}, alignment: {}, traits: {}, best: {}, suggest: null, intake: [], questions: [], reply: '', report: null, sent: [], asked: [], fail: {} };
	const json = (route, body, status = 200) => route.fulfill({ status, contentType: 'application/json', body: JSON.stringify(body) });
	const mine = (url) => /^\/api\/v1\/(profile(\/[^/]+)?|intake(\/.*)?|alignment\/report|contacts\/\d+(\/traits(\/[^/]+)?|\/alignment|\/best)?)$/.test(url.pathname);
	const handler = async (route) => {
		const req = route.request();
		const url = new URL(req.url());
		const path = url.pathname.replace(/^\/api\/v1/, '');
		const method = req.method();
		const failure = fake.fail[path];
		if (method !== 'GET') fake.sent.push({ method, path, body: req.postDataJSON() });
		else fake.asked.push(`${path}${url.search}`);
		if (failure) return json(route, { error: failure.error }, failure.status);
		const dims = fake.profile.dimensions;
		let m;
		if (method === 'GET' && (m = /^\/contacts\/(\d+)$/.exec(path))) {
			const res = await route.fetch();
			const card = await res.json();
			if (m[1] in fake.alignment) card.alignment = fake.alignment[m[1]];
			return route.fulfill({ response: res, json: card });
		}
		if (method === 'GET' && (m = /^\/contacts\/(\d+)\/alignment$/.exec(path))) return json(route, fake.alignment[m[1]]);
		if (method === 'GET' && (m = /^\/contacts\/(\d+)\/traits$/.exec(path))) return json(route, { traits: fake.traits[m[1]] || [] });
		if (method === 'PUT' && (m = /^\/contacts\/(\d+)\/traits\/([^/]+)$/.exec(path))) {
			const body = req.postDataJSON();
			const dim = decodeURIComponent(m[2]);
			const tr = { dimension: dim, value: body.value, source: body.source || 'person', set_at: '2026-11-21T09:30:00Z', by: 'anna' };
			fake.traits[m[1]] = [tr, ...(fake.traits[m[1]] || []).filter((x) => x.dimension !== dim)];
			const a = fake.alignment[m[1]];
			if (a) {
				// What the server would say after: the trait counts.
				const row = a.dimensions.find((d) => d.key === dim);
				if (row) row.client = body.value;
				a.coverage = 1;
				a.for = [...a.for, `now known on ${dim}`];
			}
			return json(route, { contact: { id: Number(m[1]), name: 'someone' }, ...tr });
		}
		if ((m = /^\/contacts\/(\d+)\/best$/.exec(path))) {
			fake.best[m[1]] = method === 'PUT';
			return json(route, { contact: { id: Number(m[1]), name: 'someone' }, best: fake.best[m[1]] });
		}
		if (path === '/profile' && method === 'GET') return json(route, fake.profile);
		if (path === '/profile/suggest' && method === 'GET') return json(route, fake.suggest);
		if (path === '/profile/preset' && method === 'POST') {
			fake.profile.dimensions = structuredClone(fake.presetDims[req.postDataJSON().preset] || []);
			return json(route, fake.profile);
		}
		if ((m = /^\/profile\/([^/]+)$/.exec(path))) {
			const key = decodeURIComponent(m[1]);
			const i = dims.findIndex((d) => d.key === key);
			if (method === 'DELETE') {
				dims.splice(i, 1);
				return json(route, { removed: key });
			}
			const d = { key, ...req.postDataJSON() };
			if (i >= 0) dims[i] = d;
			else dims.push(d);
			return json(route, d);
		}
		if (path === '/intake' && method === 'GET') return json(route, { requests: fake.intake.filter((r) => r.status === (url.searchParams.get('status') || 'pending')) });
		if (path === '/intake/questions') return json(route, { questions: fake.questions });
		if (method === 'POST' && (m = /^\/intake\/(\d+)\/(accept|decline)$/.exec(path))) {
			const r = fake.intake.find((x) => String(x.id) === m[1]);
			if (m[2] === 'accept') {
				r.status = 'accepted';
				r.contact_id = 9001;
				return json(route, { id: r.id, status: 'accepted', contact: { id: 9001, name: r.name } });
			}
			r.status = 'declined';
			return json(route, { id: r.id, status: 'declined', reply: fake.reply });
		}
		if (path === '/alignment/report') return json(route, fake.report);
		return route.fallback();
	};
	fake.start = () => page.route(mine, handler);
	fake.stop = () => page.unroute(mine, handler);
	return fake;
}

function profileFixture() {
	return {
		dimensions: [
			{ key: 'price', left: 'lowest <b>price</b>', right: 'quality first', question: `What matters more to you? ${XSS}`, position: 0.8, weight: 0.9 },
			{ key: 'horizon', left: 'one-off', right: 'long-term', question: 'Do you plan to come back?', position: 0.6, weight: 0.7 },
		],
		presets: [
			{ key: 'craft', name: 'Craft workshop', dimensions: 3 },
			{ key: 'fast', name: 'Fast <i>service</i>', dimensions: 2 },
		],
	};
}

const CRAFT = [
	{ key: 'price', left: 'lowest price', right: 'quality first', question: 'Price or quality?', position: 0.9, weight: 1 },
	{ key: 'novelty', left: 'classic', right: 'novelty', question: 'Classic or new?', position: -0.4, weight: 0.5 },
	{ key: 'formality', left: 'formal', right: 'on first-name terms', question: 'Formal or friendly?', position: 0.5, weight: 0.6 },
];

const SORTED = [
	{ verdict: 'ours', clients: 40, mean_clv: '1234.5', complaints_per_client: 0.2, mean_trust: 0.6 },
	{ verdict: 'maybe', clients: 25, mean_clv: '610', complaints_per_client: 0.48, mean_trust: 0.1 },
	{ verdict: 'not ours', clients: 12, mean_clv: '95.25', complaints_per_client: 1.5, mean_trust: -0.35 },
];

function zedAlignment() {
	return {
		contact: { id: zedId, name: MARKUP_NAME },
		score: 0.42,
		coverage: 0.5,
		verdict: 'ours',
		for: [`values long-term service like us ${XSS}`],
		against: ['wants the lowest <b>price</b>, unlike us'],
		dimensions: [
			{ key: 'price', company: 0.8, client: -0.5, weight: 0.9, agreement: -0.3 },
			{ key: 'horizon', company: 0.6, client: 0.9, weight: 0.7, agreement: 0.85 },
			{ key: 'formality', company: 0.5, client: null, weight: 0.6, agreement: null },
		],
	};
}

function intakeFixture() {
	return [
		{ id: 11, received_at: '2026-11-20T08:15:00Z', name: 'Olga <b>Near</b>', email: 'olga@example.org', phone: null, message: `I want a coat that lasts ten years ${XSS}`, answers: { price: 0.9, horizon: 1 }, score: 0.86, verdict: 'ours', for: ['values quality over price like us', 'wants a long relationship like us'], against: [], status: 'pending', contact_id: null, consent: { email: true, phone: false } },
		{ id: 12, received_at: '2026-11-20T09:00:00Z', name: 'Petr Middle', email: null, phone: '+7 900 000-00-00', message: 'Something for a wedding', answers: { price: 0 }, score: 0.1, verdict: 'maybe', for: [], against: [], status: 'pending', contact_id: null, consent: { email: false, phone: false } },
		{ id: 13, received_at: '2026-11-20T10:30:00Z', name: 'Max Far', email: 'max@example.org', phone: null, message: 'Cheapest possible, today', answers: { price: -1, horizon: -1 }, score: -0.9, verdict: 'not ours', for: [], against: ['wants the lowest price, unlike us', 'a one-off, unlike us'], status: 'pending', contact_id: null },
		{ id: 9, received_at: '2026-11-18T10:30:00Z', name: 'Ann Earlier', email: 'ann@example.org', phone: null, message: 'Hello', answers: {}, score: 0.5, verdict: 'ours', for: [], against: [], status: 'accepted', contact_id: 77 },
		{ id: 8, received_at: '2026-11-17T10:30:00Z', name: 'Bob Declined', email: null, phone: null, message: 'Cheap', answers: {}, score: -0.7, verdict: 'not ours', for: [], against: [], status: 'declined', contact_id: null },
	];
}

const QUESTIONS = [
	{ key: 'price', question: 'What matters more to you: the price or the quality?', left: 'lowest price', right: 'quality first' },
	{ key: 'horizon', question: 'Do you plan to come back?', left: 'one-off', right: 'long-term' },
];

// The value of a range input and the text shown beside it.
async function sliderAt(form, label) {
	const input = form.getByLabel(label, { exact: true });
	const out = input.locator('xpath=ancestor::div[contains(@class,"slider-field")]//output');
	return [await input.inputValue(), await out.innerText()];
}

step('27a-profile-drawn', async () => {
	const fake = issue9Fake();
	fake.profile = profileFixture();
	fake.presetDims.craft = CRAFT;
	fake.suggest = { from: 'marked', clients: 7, suggested: [{ key: 'price', position: 0.95, weight: 1 }, { key: 'horizon', position: 0.4, weight: 0.55 }], sorted: SORTED };
	await fake.start();
	try {
		await visit('#/agenda');
		await nav('Profile').click();
		await page.waitForURL(/#\/profile$/);
		await page.getByRole('heading', { level: 1, name: 'Value profile' }).waitFor();
		const price = page.locator('form.dimension-form[data-dimension=price]');
		await price.waitFor();
		assert.equal(await page.locator('form.dimension-form').count(), 2);
		assert.deepEqual(await sliderAt(price, 'Where we stand'), ['0.8', '+0.80']);
		assert.deepEqual(await sliderAt(price, 'How much it matters'), ['0.9', '0.9']);
		// The poles either side of the slider, as text.
		assert.deepEqual(await price.locator('.pole').allInnerTexts(), ['lowest <b>price</b>', 'quality first']);
		assert.equal(await price.getByLabel('Where we stand').getAttribute('aria-valuetext'), '+0.80, towards “quality first”');
		assert.equal(await price.getByLabel('Question for the intake form').inputValue(), `What matters more to you? ${XSS}`);
		assert.equal(await page.locator('main b, main img, main i').count(), 0, 'words from data are text');
		// By keyboard: one step towards the left pole, then all the way right.
		await price.getByLabel('Where we stand').focus();
		await page.keyboard.press('ArrowLeft');
		assert.deepEqual(await sliderAt(price, 'Where we stand'), ['0.75', '+0.75']);
		await page.keyboard.press('End');
		await price.getByLabel('How much it matters').focus();
		await page.keyboard.press('ArrowLeft');
		await price.getByLabel('Question for the intake form').fill('Price or quality?');
		await price.getByLabel('Right pole (+1)').fill('quality, always');
		assert.equal(await price.locator('.pole-right').innerText(), 'quality, always', 'the pole follows what is typed');
		await price.getByRole('button', { name: 'Save' }).click();
		await page.waitForFunction(() => !document.querySelector('form.dimension-form[data-dimension=price] button[type=submit]').disabled);
		assert.deepEqual(fake.sent, [{ method: 'PUT', path: '/profile/price', body: { position: 1, weight: 0.85, left: 'lowest <b>price</b>', right: 'quality, always', question: 'Price or quality?' } }]);
		// The server's refusal, in the form.
		fake.fail['/profile/price'] = { status: 400, error: { code: 'invalid', message: '--weight must be between 0 and 1' } };
		await price.getByRole('button', { name: 'Save' }).click();
		await price.locator('[role=alert]').waitFor();
		assert.match(await price.locator('[role=alert]').innerText(), /--weight must be between 0 and 1[\s\S]*HTTP 400 · invalid/);
		delete fake.fail['/profile/price'];
		fake.sent.length = 0;

		// A new dimension: the key, both poles required and checked first.
		const add = page.locator('form.add-dimension-form');
		await add.getByRole('button', { name: 'Add' }).click();
		assert.equal(await add.getByLabel('Key').getAttribute('aria-invalid'), 'true');
		assert.equal(await add.getByLabel('Key').evaluate((el) => el === document.activeElement), true);
		await add.getByLabel('Key').fill('Speed Up');
		await add.getByLabel('Left pole (−1)').fill('take our time');
		await add.getByLabel('Right pole (+1)').fill('fast');
		await add.getByRole('button', { name: 'Add' }).click();
		assert.match(await add.locator('[role=alert]').innerText(), /“Speed Up” cannot be a key/);
		await add.getByLabel('Key').fill('price');
		await add.getByRole('button', { name: 'Add' }).click();
		assert.match(await add.locator('[role=alert]').innerText(), /already has a dimension price/);
		assert.equal(fake.sent.length, 0, 'nothing was sent');
		await add.getByLabel('Key').fill('speed');
		await add.getByLabel('Where we stand').focus();
		await page.keyboard.press('ArrowRight');
		await page.keyboard.press('ArrowRight');
		await add.getByRole('button', { name: 'Add' }).click();
		const speed = page.locator('form.dimension-form[data-dimension=speed]');
		await speed.waitFor();
		assert.deepEqual(fake.sent, [{ method: 'PUT', path: '/profile/speed', body: { position: 0.1, weight: 0.5, left: 'take our time', right: 'fast', question: '' } }]);
		assert.equal(await speed.getByLabel('Where we stand').evaluate((el) => el === document.activeElement), true, 'the new dimension takes the focus');
		assert.equal(await add.getByLabel('Key').inputValue(), '', 'ready for the next one');
		// Removing asks first; Escape says no.
		await speed.getByRole('button', { name: 'Remove the dimension speed' }).click();
		const confirm = speed.locator('.confirm');
		await confirm.waitFor();
		assert.match(await confirm.innerText(), /Remove the dimension speed\?/);
		await page.keyboard.press('Escape');
		await confirm.waitFor({ state: 'detached' });
		assert.equal(await speed.getByRole('button', { name: 'Remove the dimension speed' }).evaluate((el) => el === document.activeElement), true);
		assert.equal(fake.sent.length, 1, 'nothing removed');
		await speed.getByRole('button', { name: 'Remove the dimension speed' }).click();
		await speed.getByRole('button', { name: 'Remove it' }).click();
		await speed.waitFor({ state: 'detached' });
		assert.deepEqual(fake.sent.at(-1), { method: 'DELETE', path: '/profile/speed', body: null });

		// A preset replaces the profile: asked first.
		const pf = page.locator('form.preset-form');
		assert.deepEqual(await pf.getByLabel('Preset').locator('option').allInnerTexts(), ['Craft workshop (3 dimensions)', 'Fast <i>service</i> (2 dimensions)']);
		await pf.getByLabel('Preset').selectOption('craft');
		await pf.getByRole('button', { name: 'Apply the preset…' }).click();
		const sure = pf.locator('.confirm');
		assert.match(await sure.innerText(), /Replace the profile \(2 dimensions now\) with the preset “Craft workshop”\?/);
		assert.equal(fake.sent.filter((x) => x.path === '/profile/preset').length, 0, 'not before it is confirmed');
		await sure.getByRole('button', { name: 'Replace the profile' }).click();
		await page.locator('form.dimension-form[data-dimension=novelty]').waitFor();
		assert.deepEqual(fake.sent.at(-1), { method: 'POST', path: '/profile/preset', body: { preset: 'craft' } });
		assert.deepEqual(await page.locator('form.dimension-form').evaluateAll((fs) => fs.map((f) => f.dataset.dimension)), ['price', 'novelty', 'formality']);
		assert.deepEqual(await sliderAt(page.locator('form.dimension-form[data-dimension=novelty]'), 'Where we stand'), ['-0.4', '-0.40']);
		assert.equal(await sure.count(), 0);
		await noGaps();
		await shot('27a-profile');

		// Learning from the best clients.
		const learn = page.locator('.learn-section');
		await learn.getByRole('button', { name: 'Learn from the best clients' }).click();
		await learn.locator('table.suggestions tbody tr').first().waitFor();
		assert.ok(fake.asked.includes('/profile/suggest'));
		assert.equal(await learn.locator('.learn-from').innerText(), 'From the 7 clients marked as best.');
		const row = learn.locator('table.suggestions tr[data-dimension=price]');
		assert.deepEqual((await row.locator('th, td').allInnerTexts()).slice(0, 3), ['lowest price ↔ quality first', '+0.90 → +0.95', '1 → 1']);
		assert.deepEqual((await learn.locator('table.suggestions tr[data-dimension=horizon] td').allInnerTexts()).slice(0, 2), ['— → +0.40', '— → 0.55']);
		const hor = learn.locator('table.suggestions tr[data-dimension=horizon]');
		assert.equal(await hor.getByRole('button').count(), 0, 'nothing to apply to a dimension the profile no longer has');
		await row.getByRole('button', { name: 'Apply the suggestion for price' }).click();
		await row.getByText('Applied').waitFor();
		assert.deepEqual(fake.sent.at(-1), { method: 'PUT', path: '/profile/price', body: { position: 0.95, weight: 1, left: 'lowest price', right: 'quality first', question: 'Price or quality?' } });
		assert.deepEqual(await sliderAt(page.locator('form.dimension-form[data-dimension=price]'), 'Where we stand'), ['0.95', '+0.95']);
		// How the current profile sorts past clients.
		const groups = learn.locator('table.align-groups tbody tr');
		assert.equal(await groups.count(), 3);
		assert.deepEqual(await groups.nth(0).locator('th, td').allInnerTexts(), ['Ours', '40', '1,234.50', '0.2', '+0.60']);
		assert.deepEqual(await groups.nth(2).locator('th, td').allInnerTexts(), ['Not ours', '12', '95.25', '1.5', '-0.35']);
		assert.equal(await learn.locator('.badge.verdict-not-ours').count(), 1);
		await page.getByRole('link', { name: 'Alignment report' }).waitFor();
		await noGaps();
		await shot('27a-profile-learn');
	} finally {
		await fake.stop();
	}
	// A server made before the profile: said calmly.
	await withoutRoutes(['/profile'], async () => {
		await visit('#/profile');
		await page.locator('.profile-slot .unavailable', { hasText: 'This server does not keep a value profile yet.' }).waitFor();
	});
}, { autoShot: false });

step('27b-card-alignment-drawn', async () => {
	const fake = issue9Fake();
	fake.profile = { ...profileFixture(), dimensions: [...profileFixture().dimensions, { key: 'formality', left: 'formal', right: 'on first-name terms', question: 'Formal?', position: 0.5, weight: 0.6 }] };
	fake.alignment[zedId] = zedAlignment();
	fake.traits[zedId] = [
		{ dimension: 'price', value: -0.5, source: 'questionnaire', set_at: '2026-11-02T10:00:00Z', by: null },
		{ dimension: 'horizon', value: 0.9, source: 'person', set_at: '2026-11-03T10:00:00Z', by: 'anna <i>x</i>' },
	];
	await fake.start();
	try {
		await visit(`#/contact/${zedId}`);
		const s = page.locator('.alignment-section');
		await s.getByRole('heading', { level: 2, name: 'Alignment' }).waitFor();
		const fact = (k) => s.locator(`.align-facts [data-align=${k}] dd`).innerText();
		assert.match(await fact('score'), /^\+0\.42\s+Ours$/);
		assert.equal(await s.locator('meter').getAttribute('value'), '0.42');
		assert.match(await s.locator('meter').getAttribute('aria-label'), /Alignment \+0\.42 on a scale from −1 to \+1/);
		assert.equal(await s.locator('.badge.verdict-ours').innerText(), 'Ours');
		assert.equal(await fact('coverage'), '50%');
		assert.deepEqual(await s.locator('.reasons-for li').allInnerTexts(), [`values long-term service like us ${XSS}`]);
		assert.deepEqual(await s.locator('.reasons-against li').allInnerTexts(), ['wants the lowest <b>price</b>, unlike us']);
		const rows = s.locator('table.align-dimensions tbody tr');
		assert.deepEqual(await rows.nth(0).locator('th, td').allInnerTexts(), ['price', '+0.80', '-0.50', '0.9', '-0.30']);
		assert.deepEqual(await rows.nth(2).locator('th, td').allInnerTexts(), ['formality', '+0.50', 'not known', '0.6', '—']);
		// The traits, with where each came from.
		const traits = s.locator('.trait-list .trait');
		await traits.first().waitFor();
		assert.match(await traits.nth(0).innerText(), /lowest <b>price<\/b> ↔ quality first\s+-0\.50, towards “lowest <b>price<\/b>”\s+from the questionnaire/);
		assert.match(await traits.nth(1).innerText(), /long-term[\s\S]*set by a person[\s\S]*by anna <i>x<\/i>/);
		assert.equal(await s.locator('b, i, img').count(), 0, 'words from data are text');
		await noGaps('.alignment-section');
		await s.scrollIntoViewIfNeeded();
		await shot('27b-card-alignment');

		// Setting a trait by hand: the dimension from the profile, a slider.
		const form = s.locator('form.trait-form');
		assert.deepEqual(await form.getByLabel('Dimension').locator('option').evaluateAll((os) => os.map((o) => o.value)), ['price', 'horizon', 'formality']);
		await form.getByLabel('Dimension').selectOption('formality');
		assert.deepEqual(await form.locator('.pole').allInnerTexts(), ['formal', 'on first-name terms']);
		await form.getByLabel('Where the client stands').focus();
		await page.keyboard.press('ArrowRight');
		await page.keyboard.press('ArrowRight');
		await form.getByRole('button', { name: 'Set' }).click();
		await s.locator('.reasons-for li', { hasText: 'now known on formality' }).waitFor();
		assert.deepEqual(fake.sent, [{ method: 'PUT', path: `/contacts/${zedId}/traits/formality`, body: { value: 0.1, source: 'person' } }]);
		assert.ok(fake.asked.includes(`/contacts/${zedId}/alignment`), 'the alignment is drawn again from the server');
		assert.equal(await rows.nth(2).locator('td.client').innerText(), '+0.10');
		assert.equal(await fact('coverage'), '100%');
		await s.locator('.trait[data-dimension=formality]').waitFor();
		assert.equal(await form.getByLabel('Dimension').evaluate((el) => el === document.activeElement), true, 'ready for the next one');

		// One of the best clients: a toggle.
		const best = s.getByRole('button', { name: 'One of our best clients' });
		assert.equal(await best.getAttribute('aria-pressed'), 'false');
		await best.click();
		await page.waitForFunction(() => document.querySelector('.best-toggle').getAttribute('aria-pressed') === 'true');
		assert.deepEqual(fake.sent.at(-1), { method: 'PUT', path: `/contacts/${zedId}/best`, body: {} });
		await best.press('Enter');
		await page.waitForFunction(() => document.querySelector('.best-toggle').getAttribute('aria-pressed') === 'false');
		assert.equal(fake.sent.at(-1).method, 'DELETE');
		assert.equal(fake.sent.at(-1).path, `/contacts/${zedId}/best`);
		// Refused: said, and the toggle stays as it was.
		fake.fail[`/contacts/${zedId}/best`] = { status: 403, error: { code: 'forbidden', message: 'marking the best clients needs a manager' } };
		await best.click();
		await s.locator('.best [role=alert]').waitFor();
		assert.match(await s.locator('.best [role=alert]').innerText(), /needs a manager[\s\S]*HTTP 403/);
		assert.equal(await best.getAttribute('aria-pressed'), 'false');

		// No profile yet: said, with the way to make one.
		fake.alignment[zedId] = null;
		await page.reload();
		await s.locator('.align-none').waitFor();
		assert.equal(await s.locator('.align-none').innerText(), 'No value profile yet, so nothing to compare with. Describe the company’s values');
		assert.equal(await s.getByRole('link', { name: 'Describe the company’s values' }).getAttribute('href'), '#/profile');
		assert.equal(await s.locator('form, meter').count(), 0);
	} finally {
		await fake.stop();
	}
	// A card without "alignment": no section.
	if (!('alignment' in (await apiGet(`/contacts/${zedId}`)).body)) {
		await page.reload();
		await page.getByRole('heading', { level: 2, name: 'Facts' }).waitFor();
		assert.equal(await page.locator('.alignment-section').count(), 0);
	}
}, { autoShot: false });

step('27c-intake-drawn', async () => {
	const fake = issue9Fake();
	fake.intake = intakeFixture();
	fake.questions = QUESTIONS;
	fake.reply = 'Thank you for writing to us. We are not the right workshop for this, and we would rather say so <b>now</b>.';
	await fake.start();
	try {
		await visit('#/agenda');
		await page.reload();
		// The navigation says how many wait.
		const link = page.getByRole('navigation').getByRole('link', { name: 'Intake (3 requests to triage)' });
		await link.waitFor();
		assert.equal(await link.locator('[aria-hidden=true]').innerText(), '3');
		await link.click();
		await page.waitForURL(/#\/intake$/);
		await page.getByRole('heading', { level: 1, name: 'Intake' }).waitFor();
		const items = page.locator('.intake-item');
		await items.first().waitFor();
		assert.equal(await items.count(), 3, 'the pending ones');
		assert.equal(await page.locator('.intake-tabs a[aria-current=page]').innerText(), 'To triage');
		const olga = items.nth(0);
		assert.equal(await olga.locator('.intake-name').innerText(), 'Olga <b>Near</b>');
		assert.equal(await olga.locator('.badge.verdict-ours').innerText(), 'Ours');
		assert.equal(await olga.locator('meter').getAttribute('value'), '0.86');
		assert.match(await olga.locator('.intake-meta').innerText(), /^20 Nov 2026, \d\d:\d\d · olga@example\.org$/);
		assert.equal(await olga.locator('.intake-message').innerText(), `I want a coat that lasts ten years ${XSS}`);
		assert.deepEqual(await olga.locator('.reasons-for li').allInnerTexts(), ['values quality over price like us', 'wants a long relationship like us']);
		assert.equal(await olga.locator('.reasons-against').count(), 0);
		await olga.locator('.intake-answers summary').click();
		assert.deepEqual(await olga.locator('.intake-answers dt').allInnerTexts(), ['What matters more to you: the price or the quality?', 'Do you plan to come back?']);
		assert.deepEqual(await olga.locator('.intake-answers dd').allInnerTexts(), ['+0.90 (quality first)', '+1.00 (long-term)']);
		assert.equal(await items.nth(1).locator('.badge.verdict-maybe').innerText(), 'Maybe');
		const max = items.nth(2);
		assert.equal(await max.locator('.badge.verdict-not-ours').innerText(), 'Not ours');
		assert.deepEqual(await max.locator('.reasons-against li').allInnerTexts(), ['wants the lowest price, unlike us', 'a one-off, unlike us']);
		assert.equal(await page.locator('main b, main img').count(), 0, 'words from data are text');
		await noGaps();
		await shot('27c-intake');

		// "Yes" only where the form recorded a consent.
		const petr = items.nth(1);
		assert.equal(await petr.locator('option[value=yes]').isDisabled(), true);
		assert.match(await petr.locator('.intake-actions').innerText(), /recorded no consent/);
		assert.equal(await olga.locator('option[value=yes]').isDisabled(), false);
		// A refusal is shown and the buttons come back.
		fake.fail['/intake/11/accept'] = { status: 409, error: { code: 'conflict', message: 'request 11 was already triaged' } };
		await olga.getByRole('button', { name: 'Accept the request of Olga <b>Near</b>' }).click();
		await olga.locator('[role=alert]').waitFor();
		assert.match(await olga.locator('[role=alert]').innerText(), /already triaged[\s\S]*HTTP 409 · conflict/);
		assert.equal(await olga.getByRole('button', { name: /^Accept/ }).isEnabled(), true);
		assert.equal(await olga.locator('option[value=yes]').isDisabled(), false);
		delete fake.fail['/intake/11/accept'];
		// Accept at "yes", by keyboard.
		await olga.getByLabel('Accept at stage').selectOption('yes');
		await olga.getByRole('button', { name: /^Accept/ }).focus();
		await page.keyboard.press('Enter');
		await olga.locator('.intake-status a').waitFor();
		assert.deepEqual(fake.sent.at(-1), { method: 'POST', path: '/intake/11/accept', body: { stage: 'yes' } });
		assert.equal(await olga.locator('.intake-status').innerText(), 'Accepted Open the card of Olga <b>Near</b>');
		assert.equal(await olga.locator('.intake-status a').getAttribute('href'), '#/contact/9001');
		assert.equal(await olga.locator('.intake-actions').count(), 0);
		assert.equal(await olga.locator('.intake-status').evaluate((el) => el === document.activeElement), true);
		// Decline: the polite reply to send, as text.
		await max.getByRole('button', { name: 'Decline the request of Max Far' }).click();
		await max.locator('.intake-reply').waitFor();
		assert.deepEqual(fake.sent.at(-1), { method: 'POST', path: '/intake/13/decline', body: {} });
		assert.equal(await max.locator('.reply-text').innerText(), fake.reply);
		assert.equal(await max.locator('.intake-status').innerText(), 'Declined');
		assert.equal(await page.locator('main b').count(), 0);
		await page.getByRole('navigation').getByRole('link', { name: 'Intake (1 request to triage)' }).waitFor();
		await shot('27c-intake-triaged');

		// The tabs: accepted and declined.
		await page.locator('.intake-tabs').getByRole('link', { name: 'Accepted' }).click();
		await page.waitForURL(/#\/intake\?status=accepted$/);
		await page.locator('.intake-item[data-request-id="9"]').waitFor();
		assert.ok(fake.asked.includes('/intake?status=accepted'));
		assert.deepEqual(await items.evaluateAll((li) => li.map((x) => x.dataset.requestId)), ['11', '9']);
		assert.equal(await page.locator('.intake-actions').count(), 0, 'nothing to decide');
		assert.equal(await page.locator('.intake-item[data-request-id="9"] .intake-status a').getAttribute('href'), '#/contact/77');
		await page.locator('.intake-tabs').getByRole('link', { name: 'Declined' }).click();
		await page.locator('.intake-item[data-request-id="8"]').waitFor();
		assert.deepEqual(await items.evaluateAll((li) => li.map((x) => x.dataset.requestId)), ['13', '8']);
		await page.locator('.intake-tabs').getByRole('link', { name: 'To triage' }).click();
		await page.waitForURL(/#\/intake$/);
		await page.locator('.intake-item[data-request-id="12"]').waitFor();
		assert.equal(await items.count(), 1);
		await page.getByRole('navigation').getByRole('link', { name: 'Intake (1 request to triage)' }).waitFor();
		fake.intake = fake.intake.filter((r) => r.status !== 'pending');
		await visit('#/intake');
		await page.locator('.intake-slot .empty', { hasText: 'Nothing to triage.' }).waitFor();
	} finally {
		await fake.stop();
	}
	await withoutRoutes(['/intake'], async () => {
		await visit('#/intake');
		await page.locator('.intake-slot .unavailable', { hasText: 'This server does not take requests yet.' }).waitFor();
	});
}, { autoShot: false });

step('27d-alignment-report-drawn', async () => {
	const fake = issue9Fake();
	fake.profile = profileFixture();
	fake.report = { distribution: { edges: [-1, -0.5, 0, 0.5, 1], counts: [3, 10, 22, 7] }, groups: SORTED };
	await fake.start();
	try {
		await visit('#/profile');
		await page.getByRole('link', { name: 'Alignment report' }).click();
		await page.waitForURL(/#\/alignment$/);
		await page.getByRole('heading', { level: 1, name: 'Alignment report' }).waitFor();
		await page.waitForFunction(() => window.Chart && window.Chart.getChart(document.querySelector('.align-chart canvas')));
		const bars = await page.evaluate(() => {
			const c = window.Chart.getChart(document.querySelector('.align-chart canvas'));
			return { type: c.config.type, labels: c.data.labels, data: c.data.datasets[0].data };
		});
		assert.deepEqual(bars, { type: 'bar', labels: ['-1–-0.5', '-0.5–0', '0–+0.5', '+0.5–+1'], data: [3, 10, 22, 7] });
		assert.equal(await page.locator('.align-chart .chart-summary').innerText(), '42 clients: -1–-0.5: 3, -0.5–0: 10, 0–+0.5: 22, +0.5–+1: 7');
		const groups = page.locator('.align-groups-section table.align-groups tbody tr');
		assert.equal(await groups.count(), 3);
		assert.deepEqual(await groups.nth(1).locator('th, td').allInnerTexts(), ['Maybe', '25', '610.00', '0.48', '+0.10']);
		assert.equal(await page.getByRole('navigation').getByRole('link', { name: 'Profile' }).getAttribute('aria-current'), 'page', 'the report belongs to the profile');
		await noGaps();
		await shot('27d-alignment-report');
		fake.report = { distribution: { edges: [], counts: [] }, groups: [] };
		await page.reload();
		await page.locator('.align-slot .empty', { hasText: 'No client has a score yet.' }).waitFor();
		assert.equal(await page.locator('.align-chart').count(), 0);
	} finally {
		await fake.stop();
	}
}, { autoShot: false });

step('27e-phone-and-russian', async () => {
	const fake = issue9Fake();
	fake.profile = profileFixture();
	fake.profile.dimensions[0].left = 'the lowest possible price, whatever the quality turns out to be';
	fake.suggest = { from: 'value and trust', clients: 21, suggested: [{ key: 'price', position: 0.95, weight: 1 }], sorted: SORTED };
	fake.alignment[zedId] = zedAlignment();
	fake.intake = intakeFixture();
	fake.intake[0].message = 'A very long message without spaces: '.repeat(3) + 'x'.repeat(120);
	fake.questions = QUESTIONS;
	fake.report = { distribution: { edges: [-1, -0.5, 0, 0.5, 1], counts: [3, 10, 22, 7] }, groups: SORTED };
	await fake.start();
	await page.setViewportSize({ width: 375, height: 740 });
	try {
		await visit('#/profile');
		await page.locator('form.dimension-form').first().waitFor();
		await page.locator('.learn-section').getByRole('button', { name: 'Learn from the best clients' }).click();
		await page.locator('table.suggestions').waitFor();
		assert.equal(await page.locator('.learn-from').innerText(), 'From the 21 clients with the highest value and trust.');
		await fitsPhone('profile');
		await shot('27e-phone-profile');
		await visit(`#/contact/${zedId}`);
		await page.locator('form.trait-form').waitFor();
		await fitsPhone('card with alignment');
		await shot('27e-phone-card-alignment');
		await visit('#/intake');
		await page.locator('.intake-item').first().waitFor();
		await fitsPhone('intake');
		await shot('27e-phone-intake');
		await visit('#/alignment');
		await page.waitForFunction(() => window.Chart && window.Chart.getChart(document.querySelector('.align-chart canvas')));
		await fitsPhone('alignment report');
		// In Russian.
		await page.getByLabel('Language').selectOption('ru');
		await page.getByRole('heading', { level: 1, name: 'Отчёт о совпадении' }).waitFor();
		assert.equal(await page.locator('table.align-groups tbody tr').first().locator('th').innerText(), 'Наш');
		await visit('#/intake');
		await page.getByRole('heading', { level: 1, name: 'Заявки' }).waitFor();
		assert.equal(await page.locator('.intake-item .badge.verdict-not-ours').innerText(), 'Не наш');
		assert.match(await page.locator('.intake-item').nth(1).locator('.intake-actions').innerText(), /не записала согласия/);
		await page.getByRole('navigation').getByRole('link', { name: /^Заявки \(3 заявки ждут разбора\)$/ }).waitFor();
		await visit('#/profile');
		await page.getByRole('heading', { level: 1, name: 'Профиль ценностей' }).waitFor();
		assert.equal(await page.locator('form.dimension-form').first().getByLabel('Где мы стоим').getAttribute('aria-valuetext'), '+0,80, ближе к «quality first»');
		await visit(`#/contact/${zedId}`);
		await page.locator('.alignment-section').getByRole('heading', { level: 2, name: 'Совпадение ценностей' }).waitFor();
		assert.match(await page.locator('.align-facts [data-align=score] dd').innerText(), /^\+0,42\s+Наш$/);
		await page.locator('form.trait-form').getByLabel('Где стоит клиент').waitFor();
		await fitsPhone('card in Russian');
		await shot('27e-phone-card-russian');
	} finally {
		await page.setViewportSize({ width: 1280, height: 900 });
		await fake.stop();
		if ((await page.evaluate(() => document.documentElement.lang)) !== 'en') {
			await page.evaluate(() => localStorage.setItem('rapport.lang', 'en'));
			await page.reload();
		}
	}
}, { autoShot: false });

// ---- against the routes built alongside ------------------------------------------
// These need GET /agenda's "panel", GET /stories/{id}/similar,
// GET /stories/report and GET /stories/themes from the server: they fail
// where those are not there yet.

describe('with the routes built alongside: agenda panel, similar stories, stories report, themes', () => {
	step('18-agenda-panel', async () => {
		const doc = (await apiGet('/agenda?limit=30')).body;
		assert.ok(Array.isArray(doc.panel), 'the agenda has its panel block');
		await page.goto(`${BASE}/#/agenda`);
		await page.locator('.agenda-main:not([aria-busy])').waitFor();
		const block = page.locator('.panel-due-section');
		if (!doc.panel.length) {
			assert.equal(await block.count(), 0, 'an empty panel shows nothing');
			return;
		}
		assert.equal(await block.locator('.panel-item').count(), doc.panel.length);
		const first = block.locator('.panel-item').first();
		assert.equal(await first.locator('a.name').innerText(), doc.panel[0].contact.name);
		assert.deepEqual(await first.locator('.questions li').allInnerTexts(), doc.panel[0].questions);
	});

	step('19-similar-stories', async () => {
		const doc = await apiGet(`/stories/${xssId}/similar`);
		assert.equal(doc.status, 200, 'GET /stories/{id}/similar answers');
		assert.equal(doc.body.story.id, xssId);
		assert.ok(doc.body.similar.length >= 1, 'the other stories of nobody greeting them are alike');
		await page.goto(`${BASE}/#/stories?kind=interaction`);
		const li = feedItem('Nobody greeted me at the door');
		await li.getByRole('button', { name: 'Similar stories' }).click();
		const items = li.locator('.similar-list > li');
		await items.first().waitFor();
		assert.equal(await items.count(), doc.body.similar.length);
		assert.equal(await items.first().getAttribute('data-story-id'), String(doc.body.similar[0].id));
	});

	step('20-stories-report', async () => {
		const doc = await apiGet('/stories/report?by=month');
		assert.equal(doc.status, 200, 'GET /stories/report answers');
		await page.goto(`${BASE}/#/stories/report`);
		await page.locator('.report-slot:not([aria-busy])').waitFor();
		assert.equal(await page.locator('table.bykind tbody tr').count(), doc.body.themes.length);
		if (doc.body.themes.length) await page.waitForFunction(() => window.Chart && window.Chart.getChart(document.querySelector('.themes-chart canvas')));
		assert.equal(await page.locator('.without-list > li').count(), doc.body.without_lesson.stories.length);
		for (const st of ['open', 'doing', 'done', 'dropped']) {
			assert.equal(await page.locator(`.lesson-counts [data-status=${st}] dd`).innerText(), String(doc.body.lessons[st]));
		}
		assert.ok(doc.body.lessons.done >= 1, 'the lesson done before is counted');
	});

	step('21-stories-themes', async () => {
		const doc = await apiGet('/stories/themes');
		assert.equal(doc.status, 200, 'GET /stories/themes answers');
		await page.goto(`${BASE}/#/stories/themes`);
		await page.locator('.themes-slot:not([aria-busy])').waitFor();
		assert.equal(await page.locator('li.theme').count(), doc.body.themes.length);
		if (doc.body.themes.length) assert.match(await page.locator('li.theme h2').first().innerText(), new RegExp(`${doc.body.themes[0].clients} clients? told us about`));
	});
});

// ---- against the value and complaints backends -----------------------------------------
// These need the complaints routes (POST /contacts/{id}/complaints,
// /complaints/{id}/answer and /resolve, GET /complaints, /complaints/{id},
// /complaints/report, the agenda's "complaints") and the value routes
// (POST /value/fit, GET /value/report, the card's "value", POST
// /contacts/{id}/letgo): they fail where those are not there yet.

describe('with the value and complaints backends', () => {
	let complaintId;

	step('21a-complaint-open-answer-resolve', async () => {
		assert.equal((await apiGet(`/complaints?contact=${zedId}`)).status, 200, 'GET /complaints answers');
		await page.goto(`${BASE}/#/contact/${zedId}`);
		const s = page.locator('.complaints-section');
		const form = s.locator('form.complaint-form');
		await form.waitFor();
		const words = `The hem came undone after one wash ${XSS} ${Date.now()}`;
		await form.getByLabel('How it came').selectOption('call');
		await form.getByLabel('What the client said').fill(words);
		await form.getByRole('button', { name: 'Open the complaint' }).click();
		await s.locator('.card-complaints > li', { hasText: 'The hem came undone' }).waitFor();
		const listed = (await apiGet(`/complaints?contact=${zedId}`)).body.complaints.find((c) => c.text === words);
		assert.ok(listed, 'the complaint is stored');
		assert.equal(listed.state, 'waiting');
		assert.equal(listed.channel, 'call');
		assert.equal(listed.opened_by, LOGIN);
		complaintId = listed.id;
		// On the complaints page among the waiting ones; answered from there.
		await nav('Complaints').click();
		const item = page.locator(`.group-waiting-section [data-complaint-id="${complaintId}"]`);
		await item.waitFor();
		assert.equal(await item.locator('.complaint-text').innerText(), words);
		assert.equal(await page.locator('main img').count(), 0);
		await item.getByRole('button', { name: 'Answer' }).click();
		await item.getByLabel('Our answer').fill('Called back within minutes: we will mend it today');
		await item.getByLabel('We apologised').check();
		await item.getByRole('button', { name: 'Save the answer' }).click();
		const answered = page.locator(`.group-answered-section [data-complaint-id="${complaintId}"]`);
		await answered.waitFor();
		let c = (await apiGet(`/complaints/${complaintId}`)).body;
		assert.equal(c.state, 'answered');
		assert.equal(c.apology, true);
		assert.equal(c.answered_by, LOGIN);
		assert.equal(typeof c.first_response_minutes, 'number');
		assert.equal(c.late, false, 'answered at once');
		// Resolved with a make-good.
		await answered.getByRole('button', { name: 'Resolve' }).click();
		await answered.getByLabel('Make-good').fill('Free mending and a tie');
		await answered.getByLabel(/What it cost/).fill('12.50');
		await answered.getByRole('button', { name: 'Resolve' }).last().click();
		await page.locator(`.group-resolved-section [data-complaint-id="${complaintId}"]`).waitFor();
		c = (await apiGet(`/complaints/${complaintId}`)).body;
		assert.equal(c.state, 'resolved');
		assert.equal(c.make_good, 'Free mending and a tie');
		assert.equal(c.make_good_cost, '12.50');
		// The report counts it.
		const report = (await apiGet('/complaints/report')).body;
		assert.ok(report.count >= 1 && report.answered >= 1);
		assert.equal(await page.locator('.complaint-report-section [data-stat=count] dd').first().innerText(), String(report.count));
		assert.equal(await page.locator('.complaint-report-section [data-stat=median] dd').first().innerText(), report.median_first_response_minutes === null ? '—' : `${Math.round(report.median_first_response_minutes)} min`);
	});

	step('21b-agenda-complaints', async () => {
		const words = `Nobody called me back about the lining ${Date.now()}`;
		const made = await apiSend('POST', `/contacts/${zedId}/complaints`, { text: words, channel: 'message' });
		assert.equal(made.status, 200);
		const agenda = (await apiGet('/agenda?limit=30')).body;
		const entry = (agenda.complaints || []).find((x) => x.text === words);
		assert.ok(entry, 'an unanswered complaint is on the agenda');
		await page.goto(`${BASE}/#/agenda`);
		const block = page.locator('.agenda-complaints-section');
		const li = block.locator('.agenda-complaint', { hasText: words });
		await li.waitFor();
		assert.equal(await block.locator('.agenda-complaint').count(), agenda.complaints.length);
		const first = await page.evaluate(() => !!(document.querySelector('.agenda-complaints-section').compareDocumentPosition(document.querySelector('.agenda-list')) & Node.DOCUMENT_POSITION_FOLLOWING));
		assert.equal(first, true, 'above the people to reach');
		await li.getByRole('button', { name: `Answer ${MARKUP_NAME}` }).click();
		await li.getByLabel('Our answer').fill('Sorry: the lining is ready on Friday');
		await li.getByRole('button', { name: 'Save the answer' }).click();
		await li.waitFor({ state: 'detached' });
		const after = (await apiGet('/agenda?limit=30')).body;
		assert.ok(!(after.complaints || []).some((x) => x.text === words), 'answered: off the agenda');
	});

	step('21c-value-fit-report-and-card', async () => {
		const fit = await apiSend('POST', '/value/fit', {});
		assert.equal(fit.status, 200, 'POST /value/fit answers');
		const doc = (await apiGet('/value/report')).body;
		await nav('Value').click();
		await page.locator('.value-slot:not([aria-busy])').waitFor();
		if (doc.customers) {
			assert.equal(await page.locator('.value-totals-section [data-stat=customers] dd').innerText(), String(doc.customers));
			assert.equal(await page.locator('table.top-clients tbody tr').count(), doc.top.length);
			assert.equal(await page.locator('.negative-list > li').count(), doc.negative.length);
			if ((doc.distribution.counts || []).length) await page.waitForFunction(() => window.Chart && window.Chart.getChart(document.querySelector('.clv-chart canvas')));
		} else {
			await page.locator('.value-slot .empty').waitFor();
		}
		await noGaps();
		// The card of the top client shows their value.
		const who = doc.top.length ? doc.top[0].contact.id : zedId;
		const card = (await apiGet(`/contacts/${who}`)).body;
		assert.ok('value' in card, 'the card has its "value"');
		await page.goto(`${BASE}/#/contact/${who}`);
		const s = page.locator('.value-section');
		await s.waitFor();
		if (card.value) assert.equal(await s.locator('[data-value=clv] dd').innerText(), await page.evaluate(([v, c]) => new Intl.NumberFormat('en-GB', { style: 'currency', currency: c }).format(Number(v)), [card.value.clv, card.value.currency]));
		else await s.locator('.value-none').waitFor();
		// A negative client is let go gracefully from the report's link.
		if (doc.negative.length) {
			const n = doc.negative[0].contact;
			await page.goto(`${BASE}/#/contact/${n.id}?letgo=1`);
			const form = page.locator('form.letgo-form');
			await form.waitFor();
			const note = `Parted as friends ${Date.now()}`;
			await form.getByLabel('Note for the timeline').fill(note);
			await form.getByLabel('Stop the keep-in-touch reminders').check();
			await form.getByRole('button', { name: 'Let go', exact: true }).click();
			await page.locator('.letgo-done').waitFor();
			const after = (await apiGet(`/contacts/${n.id}/interactions?limit=5`)).body.interactions;
			assert.ok(after.some((it) => (it.summary || '').includes(note)), 'the note is on the timeline');
		}
	});
});

// ---- against the trust, communities and simulator backends ----------------------------
// These need the ledger (the card's "trust", GET and POST
// /contacts/{id}/trust, the agenda's "trust"), the communities routes
// (GET and POST /communities, GET /communities/{c}, /communities/{c}/health,
// POST and DELETE /communities/{c}/members) and GET /simulate/tournament,
// /simulate/lattice and /simulate/community: they fail where those are not
// there yet.

describe('with the trust, communities and simulator backends', () => {
	let communityName;

	step('26a-trust-record-and-agenda', async () => {
		assert.equal((await apiGet(`/contacts/${zedId}/trust`)).status, 200, 'GET /contacts/{id}/trust answers');
		await page.goto(`${BASE}/#/contact/${zedId}`);
		const s = page.locator('.trust-section');
		const form = s.locator('form.trust-form');
		await form.waitFor();
		// We let them down: the ledger, the card and the agenda say so.
		const words = `Delivered the coat late and said nothing ${XSS} ${Date.now()}`;
		await form.getByLabel('Who acted').selectOption('company');
		await form.getByLabel('What it was').selectOption('defect');
		await form.getByLabel('What happened').fill(words);
		await form.getByRole('button', { name: 'Record' }).click();
		await s.locator('.trust-acts > li', { hasText: 'Delivered the coat late' }).waitFor();
		let doc = (await apiGet(`/contacts/${zedId}/trust`)).body;
		assert.equal(doc.acts[0].text, words, 'newest first');
		assert.equal(doc.acts[0].by, 'company');
		assert.equal(doc.acts[0].act, 'defect');
		assert.equal(doc.state, 'we let them down');
		assert.ok(doc.open_letdown, 'an open let-down');
		await s.locator('.trust-letdown').waitFor();
		assert.equal(await s.locator('.trust-acts > li').count(), doc.acts.length);
		assert.equal(await s.locator('.trust-facts [data-trust=state] dd').innerText(), 'We let them down');
		assert.equal(await s.locator('meter').getAttribute('value'), String(Math.max(-1, Math.min(1, doc.score))));
		assert.equal(await s.locator('img').count(), 0);
		const card = (await apiGet(`/contacts/${zedId}`)).body;
		assert.equal(card.trust.state, doc.state, 'the card has its "trust"');
		assert.ok(!('acts' in card.trust), 'without the acts');
		const agenda = (await apiGet('/agenda?limit=30')).body;
		const entry = (agenda.trust || []).find((x) => x.contact.id === zedId);
		assert.ok(entry, 'the let-down is on the agenda');
		await page.goto(`${BASE}/#/agenda`);
		const item = page.locator('.agenda-trust-section .trust-item', { has: page.getByRole('link', { name: MARKUP_NAME, exact: true }) });
		await item.waitFor();
		assert.equal(await item.locator('.trust-reason').innerText(), entry.reason);
		// Made good: the state moves on and the let-down is closed.
		await page.goto(`${BASE}/#/contact/${zedId}`);
		await form.waitFor();
		await form.getByLabel('Who acted').selectOption('company');
		await form.getByLabel('What it was').selectOption('cooperate');
		await form.getByLabel('What happened').fill('Apologised and sent a replacement at once');
		await form.getByRole('button', { name: 'Record' }).click();
		await s.locator('.trust-acts > li', { hasText: 'Apologised and sent' }).waitFor();
		doc = (await apiGet(`/contacts/${zedId}/trust`)).body;
		assert.equal(doc.open_letdown, null, 'made good');
		await s.locator('.trust-letdown').waitFor({ state: 'detached' });
		assert.equal(await s.locator('.trust-facts [data-trust=state] dd').innerText(), await page.evaluate((st) => ({ 'mutual cooperation': 'Mutual cooperation', 'we let them down': 'We let them down', 'they let us down': 'They let us down', 'mutual defection': 'Mutual defection', 'no history': 'No history' })[st], doc.state));
		assert.ok(!((await apiGet('/agenda?limit=30')).body.trust || []).some((x) => x.contact.id === zedId), 'off the agenda');
	});

	step('26b-community-found-join-health-leave', async () => {
		assert.equal((await apiGet('/communities')).status, 200, 'GET /communities answers');
		communityName = `Tailors circle ${Date.now()}`;
		await page.goto(`${BASE}/#/communities`);
		const add = page.locator('form.community-form');
		await add.getByLabel('Name').fill(communityName);
		await add.getByLabel('Rules').fill('Pay on time; <b>tell us</b> first');
		await add.getByRole('button', { name: 'Found it' }).click();
		await page.getByRole('heading', { level: 1, name: communityName }).waitFor();
		assert.equal(await page.locator('.community-rules').innerText(), 'Pay on time; <b>tell us</b> first');
		// Zed joins, by number, as the founder.
		const join = page.locator('form.join-form');
		await join.getByLabel('Client').fill(String(zedId));
		await join.getByLabel('Role').fill('founder');
		await join.getByRole('button', { name: 'Add' }).click();
		const row = page.locator(`table.members tbody tr[data-contact-id="${zedId}"]`);
		await row.waitFor();
		const show = (await apiGet(`/communities/${encodeURIComponent(communityName)}`)).body;
		const m = show.members.find((x) => x.contact.id === zedId);
		assert.ok(m, 'stored as a member');
		assert.equal(m.role, 'founder');
		assert.equal(await row.locator('td.role').innerText(), 'founder');
		// Health, as the server measures it.
		const health = (await apiGet(`/communities/${encodeURIComponent(communityName)}/health`)).body;
		await page.locator('.health-section').waitFor();
		assert.equal(await page.locator('.contagion-alert').count(), health.alerts.length);
		assert.equal(await page.locator('.letdown-item').count(), health.let_down.length);
		if (health.periods.length) await page.waitForFunction(() => window.Chart && window.Chart.getChart(document.querySelector('.cooperation-chart canvas')));
		await noGaps();
		// In the list.
		await nav('Communities').click();
		await page.locator('.community-item', { hasText: communityName }).waitFor();
		// Leaving.
		await page.locator('.community-item', { hasText: communityName }).getByRole('link').click();
		await row.getByRole('button', { name: `Leave: ${MARKUP_NAME}` }).click();
		await row.waitFor({ state: 'detached' });
		assert.ok(!(await apiGet(`/communities/${encodeURIComponent(communityName)}`)).body.members.some((x) => x.contact.id === zedId), 'left');
		// Back in, for the simulation.
		assert.equal((await apiSend('POST', `/communities/${encodeURIComponent(communityName)}/members`, { contact: String(zedId) })).status, 200);
	});

	step('26c-simulator', async () => {
		// The bounds checked in the page are the server's.
		for (const q of ['lattice?size=1001&b=1.9&generations=10', 'lattice?size=50&b=1.9&generations=1001', 'lattice?size=50&b=1&generations=10', 'tournament?rounds=10001', 'tournament?w=1', 'tournament?noise=0.5', 'tournament?payoffs=3,5,1,0']) {
			assert.equal((await apiGet(`/simulate/${q}`)).status, 400, `${q} is refused`);
		}
		const doc = (await apiGet('/simulate/tournament?rounds=200&payoffs=5%2C3%2C1%2C0')).body;
		await nav('Simulator').click();
		await page.locator('form.tournament-form').getByRole('button', { name: 'Run' }).click();
		const rows = page.locator('table.scores tbody tr');
		await rows.first().waitFor();
		assert.equal(await rows.count(), doc.strategies.length);
		const best = doc.strategies.slice().sort((a, b) => b.mean_per_round - a.mean_per_round)[0];
		assert.equal(await rows.first().getAttribute('data-strategy'), best.name);
		await page.waitForFunction(() => window.Chart && window.Chart.getChart(document.querySelector('.scores-chart canvas')));
		// Nowak & May: the chart is the server's share per generation.
		const lattice = (await apiGet('/simulate/lattice?size=50&b=1.9&generations=20&seed=3')).body;
		const lf = page.locator('form.lattice-form');
		await lf.getByLabel('Side').fill('50');
		await lf.getByLabel('b (a defector’s gain)').fill('1.9');
		await lf.getByLabel('Generations').fill('20');
		await lf.getByLabel('Seed (optional)').fill('3');
		await lf.getByRole('button', { name: 'Run' }).click();
		await page.waitForFunction(() => window.Chart && window.Chart.getChart(document.querySelector('.lattice-chart canvas')));
		const data = await page.evaluate(() => window.Chart.getChart(document.querySelector('.lattice-chart canvas')).data.datasets[0].data);
		assert.deepEqual(data, lattice.share);
		// The community with one member starting to cheat, answered by a policy:
		// it takes two.
		const other = (await apiGet('/contacts?limit=5')).body.contacts.find((c) => c.id !== zedId);
		assert.equal((await apiSend('POST', `/communities/${encodeURIComponent(communityName)}/members`, { contact: String(other.id) })).status, 200);
		const cf = page.locator('form.community-sim-form');
		await cf.getByLabel('Community').selectOption(communityName);
		await cf.getByLabel('Our policy').selectOption('tft');
		await cf.getByLabel('Generations').fill('10');
		await cf.getByRole('button', { name: 'Run' }).click();
		const outcome = page.locator('.community-result .sim-outcome');
		await outcome.waitFor();
		const sim = (await apiGet(`/simulate/community?name=${encodeURIComponent(communityName)}&policy=tft&generations=10`)).body;
		assert.equal(sim.policy, 'tft');
		assert.match(await page.locator('.community-result .sim-head').innerText(), new RegExp(`${sim.members} members?, our policy Tit-for-tat`));
		await noGaps();
	});
});

// ---- against the alignment and intake backends ------------------------------------------
// These need GET /profile, PUT and DELETE /profile/{dimension}, POST
// /profile/preset, GET /profile/suggest, the card's "alignment", GET and PUT
// /contacts/{id}/traits[/{dimension}], GET /contacts/{id}/alignment, PUT and
// DELETE /contacts/{id}/best, the public POST /intake and GET
// /intake/questions, GET /intake, POST /intake/{id}/accept|decline and GET
// /alignment/report: they fail where those are not there yet.

describe('with the alignment and intake backends', () => {
	const near = (a, b) => Math.abs(Number(a) - Number(b)) < 1e-6;

	step('28a-profile-preset-edit-learn', async () => {
		let doc = (await apiGet('/profile')).body;
		assert.ok(Array.isArray(doc.dimensions) && Array.isArray(doc.presets), 'GET /profile answers');
		assert.ok(doc.presets.length >= 1, 'presets to start from');
		await page.goto(`${BASE}/#/profile`);
		const pf = page.locator('form.preset-form');
		await pf.getByLabel('Preset').selectOption(doc.presets[0].key);
		await pf.getByRole('button', { name: 'Apply the preset…' }).click();
		await pf.getByRole('button', { name: 'Replace the profile' }).click();
		await pf.locator('.confirm').waitFor({ state: 'detached' });
		doc = (await apiGet('/profile')).body;
		assert.equal(doc.dimensions.length, doc.presets[0].dimensions, 'the preset replaced the profile');
		assert.deepEqual(await page.locator('form.dimension-form').evaluateAll((fs) => fs.map((f) => f.dataset.dimension)), doc.dimensions.map((d) => d.key));
		// Where we stand on the first dimension, by keyboard.
		const first = doc.dimensions[0];
		const form = page.locator(`form.dimension-form[data-dimension="${first.key}"]`);
		await form.getByLabel('Where we stand').focus();
		await page.keyboard.press('Home');
		await page.keyboard.press('ArrowRight');
		await page.keyboard.press('ArrowRight');
		await form.getByLabel('Question for the intake form').fill(`Price or <b>quality</b>? ${Date.now()}`);
		const saved = page.waitForResponse((r) => r.request().method() === 'PUT' && r.url().endsWith(`/api/v1/profile/${encodeURIComponent(first.key)}`));
		await form.getByRole('button', { name: 'Save' }).click();
		assert.equal((await saved).status(), 200);
		let now = (await apiGet('/profile')).body.dimensions.find((d) => d.key === first.key);
		assert.ok(near(now.position, -0.9), `position stored as -0.9 (got ${now.position})`);
		assert.match(now.question, /^Price or <b>quality<\/b>\?/);
		// Back where the preset had it, for the scores further on.
		assert.equal((await apiSend('PUT', `/profile/${encodeURIComponent(first.key)}`, { position: first.position, weight: first.weight })).status, 200);
		// A dimension of our own, then gone.
		const add = page.locator('form.add-dimension-form');
		await add.getByLabel('Key').fill('uitest');
		await add.getByLabel('Left pole (−1)').fill('by the book');
		await add.getByLabel('Right pole (+1)').fill('improvised');
		await add.getByRole('button', { name: 'Add' }).click();
		const mine = page.locator('form.dimension-form[data-dimension=uitest]');
		await mine.waitFor();
		now = (await apiGet('/profile')).body.dimensions.find((d) => d.key === 'uitest');
		assert.ok(now, 'stored');
		assert.equal(now.right, 'improvised');
		await mine.getByRole('button', { name: 'Remove the dimension uitest' }).click();
		await mine.getByRole('button', { name: 'Remove it' }).click();
		await mine.waitFor({ state: 'detached' });
		assert.ok(!(await apiGet('/profile')).body.dimensions.some((d) => d.key === 'uitest'), 'removed');
		// What the best clients suggest, and how the profile sorts past clients.
		const suggest = (await apiGet('/profile/suggest')).body;
		const learn = page.locator('.learn-section');
		await learn.getByRole('button', { name: 'Learn from the best clients' }).click();
		await learn.locator('.learn-from').waitFor();
		assert.equal(await learn.locator('table.suggestions tbody tr').count(), (suggest.suggested || []).length);
		assert.equal(await learn.locator('table.align-groups tbody tr').count(), (suggest.sorted || []).length);
		await noGaps();
	});

	step('28b-card-trait-and-best', async () => {
		const card = (await apiGet(`/contacts/${zedId}`)).body;
		assert.ok(card.alignment && typeof card.alignment === 'object', 'the card has its "alignment"');
		const dims = (await apiGet('/profile')).body.dimensions;
		await page.goto(`${BASE}/#/contact/${zedId}`);
		const s = page.locator('.alignment-section');
		const form = s.locator('form.trait-form');
		await form.waitFor();
		await form.getByLabel('Dimension').selectOption(dims[0].key);
		await form.getByLabel('Where the client stands').focus();
		await page.keyboard.press('Home');
		await form.getByRole('button', { name: 'Set' }).click();
		await s.locator(`.trait[data-dimension="${dims[0].key}"]`).waitFor();
		const tr = (await apiGet(`/contacts/${zedId}/traits`)).body.traits.find((x) => x.dimension === dims[0].key);
		assert.ok(near(tr.value, -1));
		assert.equal(tr.source, 'person');
		const a = (await apiGet(`/contacts/${zedId}/alignment`)).body;
		await page.waitForFunction(([key]) => document.querySelector(`.align-dimensions tr[data-dimension="${key}"] td.client`)?.textContent === '-1.00', [dims[0].key]);
		assert.equal(await s.locator('meter').getAttribute('value'), a.score === null ? null : String(Math.max(-1, Math.min(1, a.score))));
		assert.equal(await s.locator('.align-facts .badge.verdict').innerText(), await page.evaluate((v) => ({ ours: 'Ours', maybe: 'Maybe', 'not ours': 'Not ours', unknown: 'Unknown' })[v], a.verdict));
		// Marked as one of the best clients, and unmarked.
		const best = s.getByRole('button', { name: 'One of our best clients' });
		const wasPressed = (await best.getAttribute('aria-pressed')) === 'true';
		const first = page.waitForResponse((r) => r.url().endsWith(`/api/v1/contacts/${zedId}/best`));
		await best.click();
		const r1 = await first;
		assert.equal(r1.status(), 200);
		assert.equal(r1.request().method(), wasPressed ? 'DELETE' : 'PUT');
		const second = page.waitForResponse((r) => r.url().endsWith(`/api/v1/contacts/${zedId}/best`));
		await best.click();
		assert.equal((await second).status(), 200);
		assert.equal(await s.locator('[role=alert]').count(), 0);
		await noGaps('.alignment-section');
	});

	step('28c-intake-triage', async () => {
		const qs = await page.evaluate(async () => (await fetch('/api/v1/intake/questions')).json());
		assert.ok(Array.isArray(qs.questions) && qs.questions.length, 'the public questions');
		const dims = (await apiGet('/profile')).body.dimensions;
		const stamp = Date.now();
		const close = Object.fromEntries(dims.map((d) => [d.key, d.position]));
		const far = Object.fromEntries(dims.map((d) => [d.key, d.position >= 0 ? -1 : 1]));
		const post = (body) => page.evaluate(async (b) => {
			const r = await fetch('/api/v1/intake', { method: 'POST', headers: { 'Content-Type': 'application/json', Accept: 'application/json' }, body: JSON.stringify(b) });
			return { status: r.status, body: await r.json() };
		}, body);
		const ours = await post({ name: `Near <b>Client</b> ${stamp}`, email: `near${stamp}@example.org`, message: `A coat for ten years ${XSS}`, answers: close, consent: { email: true, phone: false } });
		const theirs = await post({ name: `Far Client ${stamp}`, email: `far${stamp}@example.org`, message: 'The cheapest, today', answers: far });
		assert.equal(ours.body.received, true);
		assert.equal(theirs.body.received, true);
		const pending = (await apiGet('/intake?status=pending')).body.requests;
		const rOurs = pending.find((r) => r.id === ours.body.id);
		const rFar = pending.find((r) => r.id === theirs.body.id);
		assert.equal(rOurs.verdict, 'ours');
		assert.equal(rFar.verdict, 'not ours');
		await page.goto(`${BASE}/#/intake`);
		const itemOurs = page.locator(`.intake-item[data-request-id="${rOurs.id}"]`);
		const itemFar = page.locator(`.intake-item[data-request-id="${rFar.id}"]`);
		await itemOurs.waitFor();
		assert.equal(await itemOurs.locator('.intake-name').innerText(), `Near <b>Client</b> ${stamp}`);
		assert.equal(await itemOurs.locator('.badge.verdict-ours').count(), 1);
		assert.equal(await itemFar.locator('.badge.verdict-not-ours').count(), 1);
		assert.deepEqual(await itemOurs.locator('.reasons-for li').allInnerTexts(), rOurs.for);
		assert.deepEqual(await itemFar.locator('.reasons-against li').allInnerTexts(), rFar.against);
		assert.equal(await page.locator('main b, main img').count(), 0);
		// Accepted at "yes" (the form recorded the consent), declined politely.
		await itemOurs.getByLabel('Accept at stage').selectOption('yes');
		await itemOurs.getByRole('button', { name: /^Accept/ }).click();
		await itemOurs.locator('.intake-status a').waitFor();
		const accepted = (await apiGet('/intake?status=accepted')).body.requests.find((r) => r.id === rOurs.id);
		assert.ok(accepted && accepted.contact_id, 'a contact was made');
		assert.equal(await itemOurs.locator('.intake-status a').getAttribute('href'), `#/contact/${accepted.contact_id}`);
		const declining = page.waitForResponse((r) => r.url().endsWith(`/api/v1/intake/${rFar.id}/decline`));
		await itemFar.getByRole('button', { name: /^Decline/ }).click();
		const reply = (await (await declining).json()).reply;
		await itemFar.locator('.reply-text').waitFor();
		assert.equal(await itemFar.locator('.reply-text').innerText(), reply);
		assert.ok((await apiGet('/intake?status=declined')).body.requests.some((r) => r.id === rFar.id));
		await page.locator('.intake-tabs').getByRole('link', { name: 'Accepted' }).click();
		await page.locator(`.intake-item[data-request-id="${rOurs.id}"]`).waitFor();
		await noGaps();
	});

	step('28d-alignment-report', async () => {
		const res = await apiGet('/alignment/report');
		assert.equal(res.status, 200, 'GET /alignment/report answers');
		const doc = res.body;
		await page.goto(`${BASE}/#/alignment`);
		await page.getByRole('heading', { level: 1, name: 'Alignment report' }).waitFor();
		const counts = doc.distribution.counts;
		if (counts.length) {
			await page.waitForFunction(() => window.Chart && window.Chart.getChart(document.querySelector('.align-chart canvas')));
			const data = await page.evaluate(() => window.Chart.getChart(document.querySelector('.align-chart canvas')).data.datasets[0].data);
			assert.deepEqual(data, counts);
		}
		await page.locator('.align-groups-section').waitFor();
		assert.equal(await page.locator('.align-groups-section tbody tr').count(), doc.groups.length);
		await noGaps();
	});
});

step('22-session-ends', async () => {
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

step('23-russian-browser-and-throttling', async () => {
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
		await shot('23-russian-throttled', p);
		await ru.close();
	}
}, { autoShot: false });

test('24 no page errors', async () => {
	assert.deepEqual(problems, [], 'no uncaught errors and no CSP violations');
});
