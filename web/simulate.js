// The cooperation game, played out: a round robin of strategies, Nowak &
// May's lattice, and a community answered by a policy of the company when
// one member starts to cheat.  #/simulate[?community=NAME]
//
// Every number is checked here against the bounds the server enforces, so
// that a mistake is shown at once beside its field; whatever the server
// still refuses (a 400) is shown in the form with its message.

import { api } from './api.js';
import { chartFigure, drawScores, drawShares } from './charts.js';
import { field, fmtNum, fmtPct, h, section } from './dom.js';
import { submitting } from './forms.js';
import { t, tn, word } from './i18n.js';

export const STRATEGIES = ['allc', 'alld', 'tft', 'gtft', 'grim', 'wsls', 'random'];

// The bounds of the server (src/ops/simulate.c and model/game).
export const BOUNDS = { rounds: 10000, size: 1000, generations: 1000, cellUpdates: 100000000 };

// ---- checking the fields ---------------------------------------------------------------

// A number input read against its rule: {value} when fine (value undefined
// when left empty and optional), {problem} otherwise.
function read(input, { integer = false, min, max, above, below, optional = false } = {}) {
	const raw = input.value.trim().replace(',', '.');
	if (raw === '') return optional ? { value: undefined } : { problem: t('sim.required') };
	const n = Number(raw);
	if (!Number.isFinite(n)) return { problem: t('sim.notNumber', { value: raw }) };
	if (integer && !Number.isInteger(n)) return { problem: t('sim.notWhole', { value: raw }) };
	if (min !== undefined && n < min) return { problem: t('sim.atLeast', { n: fmtNum(min, 6) }) };
	if (max !== undefined && n > max) return { problem: t('sim.atMost', { n: fmtNum(max, 6) }) };
	if (above !== undefined && !(n > above)) return { problem: t('sim.above', { n: fmtNum(above, 6) }) };
	if (below !== undefined && !(n < below)) return { problem: t('sim.below', { n: fmtNum(below, 6) }) };
	return { value: n };
}

// Checks every [label, input, rule] and, with extra(values) for the rules
// that tie fields together, marks what is wrong and says why in err.
// Returns the values by input name, or null (the first wrong field focused).
function checkAll(err, specs, extra) {
	const values = {};
	const problems = [];
	for (const [label, input, rule] of specs) {
		const r = read(input, rule);
		if (r.problem) {
			input.setAttribute('aria-invalid', 'true');
			problems.push([input, `${label}: ${r.problem}`]);
		} else {
			input.removeAttribute('aria-invalid');
			values[input.name] = r.value;
		}
	}
	if (!problems.length && extra) {
		for (const [inputs, text] of extra(values)) {
			inputs.forEach((i) => i.setAttribute('aria-invalid', 'true'));
			problems.push([inputs[0], text]);
		}
	}
	if (!problems.length) {
		err.replaceChildren();
		return values;
	}
	err.replaceChildren(h('div', { class: 'error invalid', role: 'alert' }, h('strong', null, t('sim.fix')), h('ul', null, problems.map(([, text]) => h('li', null, text)))));
	problems[0][0].focus();
	return null;
}

function numInput(name, value, attrs = {}) {
	return h('input', { name, type: 'text', inputmode: 'decimal', autocomplete: 'off', class: 'short', value: value === undefined ? '' : String(value), ...attrs });
}

function simForm(cls, legend, fields, err, submit) {
	return h('form', { class: `quick sim-form ${cls}`, novalidate: true }, h('fieldset', null, h('legend', null, legend), fields, err, h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'primary' }, submit))));
}

export function strategyName(s) {
	return word('strategy', s);
}

// ---- the page -------------------------------------------------------------------------

export async function simulateView(root, ctx, params) {
	const heading = h('h1', { tabindex: '-1' }, t('sim.title'));
	root.replaceChildren(
		h('header', { class: 'view-head' }, heading, h('p', { class: 'lead' }, t('sim.lead'))),
		tournamentSection(ctx),
		latticeSection(ctx),
		await communitySection(ctx, params.get('community') || ''),
	);
	ctx.focus(heading);
}

// Runs a simulation asked for by a checked form and draws its answer; the
// server's refusal is shown in the form.
async function run(ctx, form, err, path, query, show) {
	const res = await submitting(form, err, () => api('GET', path, { query, signal: ctx.signal }), t('sim.running'));
	if (!res || !ctx.alive()) return;
	show(res);
}

// ---- a round robin ------------------------------------------------------------------

function tournamentSection(ctx) {
	const rounds = numInput('rounds', 200, { inputmode: 'numeric' });
	const w = numInput('w', '');
	const noise = numInput('noise', 0);
	const pay = { T: numInput('T', 5), R: numInput('R', 3), P: numInput('P', 1), S: numInput('S', 0) };
	const err = h('div', { class: 'form-error' });
	const out = h('div', { class: 'sim-result tournament-result', 'aria-live': 'polite' });
	const chart = chartFigure(t('sim.scores'), 'scores-chart');
	const form = simForm(
		'tournament-form',
		t('sim.tournament.legend'),
		[
			h('div', { class: 'row' }, field(t('sim.rounds'), rounds, t('sim.roundsHint', { max: BOUNDS.rounds })).wrap, field(t('sim.w'), w, t('sim.wHint')).wrap, field(t('sim.noise'), noise, t('sim.noiseHint')).wrap),
			h('fieldset', { class: 'payoffs' }, h('legend', null, t('sim.payoffs')), h('div', { class: 'row' }, ['T', 'R', 'P', 'S'].map((k) => field(t(`sim.pay.${k}`), pay[k]).wrap)), h('small', { class: 'hint' }, t('sim.payoffsHint'))),
		],
		err,
		t('sim.play'),
	);
	form.addEventListener('submit', async (ev) => {
		ev.preventDefault();
		const v = checkAll(
			err,
			[
				[t('sim.rounds'), rounds, { integer: true, min: 1, max: BOUNDS.rounds }],
				[t('sim.w'), w, { min: 0, below: 1, optional: true }],
				[t('sim.noise'), noise, { min: 0, below: 0.5, optional: true }],
				...['T', 'R', 'P', 'S'].map((k) => [t(`sim.pay.${k}`), pay[k], {}]),
			],
			(x) => {
				const bad = [];
				if (!(x.T > x.R && x.R > x.P && x.P > x.S)) bad.push([[pay.T, pay.R, pay.P, pay.S], t('sim.notDilemma')]);
				else if (!(2 * x.R > x.T + x.S)) bad.push([[pay.R, pay.T, pay.S], t('sim.takingTurns')]);
				return bad;
			},
		);
		if (!v) return;
		// w of 0 is the same as none: matches of a fixed number of rounds.
		const query = { rounds: v.rounds, w: v.w ? v.w : undefined, noise: v.noise || undefined, payoffs: [v.T, v.R, v.P, v.S].join(',') };
		await run(ctx, form, err, '/simulate/tournament', query, (res) => showTournament(out, chart, res));
	});
	return section('tournament', t('sim.tournament'), h('p', { class: 'hint' }, t('sim.tournament.about')), form, out);
}

function showTournament(out, chart, res) {
	const list = (res.strategies || []).slice().sort((a, b) => (b.mean_per_round ?? b.score) - (a.mean_per_round ?? a.score) || b.score - a.score);
	const table = h(
		'table',
		{ class: 'report scores' },
		h('thead', null, h('tr', null, h('th', { scope: 'col', class: 'num' }, t('sim.rank')), h('th', { scope: 'col' }, t('sim.strategy')), h('th', { scope: 'col', class: 'num' }, t('sim.score')), h('th', { scope: 'col', class: 'num' }, t('sim.perRound')))),
		h(
			'tbody',
			null,
			list.map((s, i) => h('tr', { dataset: { strategy: String(s.name) } }, h('td', { class: 'num' }, String(i + 1)), h('th', { scope: 'row' }, strategyName(s.name)), h('td', { class: 'num score' }, fmtNum(s.score, 1)), h('td', { class: 'num per-round' }, fmtNum(s.mean_per_round, 3)))),
		),
	);
	const notes = [];
	if (typeof res.matches === 'number') notes.push(tn('sim.matches', res.matches));
	if (typeof res.gtft_forgiveness === 'number') notes.push(t('sim.forgiveness', { p: fmtNum(res.gtft_forgiveness, 3) }));
	out.replaceChildren(h('h3', null, t('sim.ranking')), h('div', { class: 'table-scroll' }, table), notes.length ? h('p', { class: 'hint sim-notes' }, notes.join(' · ')) : null, chart.fig);
	const labels = list.map((s) => strategyName(s.name));
	drawScores(chart, labels, list.map((s) => s.score), t('sim.scoresSummary', { list: list.map((s, i) => `${labels[i]} ${fmtNum(s.score, 1)}`).join(', ') }), t('sim.score'));
}

// ---- Nowak & May's lattice ----------------------------------------------------------

function latticeSection(ctx) {
	const size = numInput('size', 100, { inputmode: 'numeric' });
	const b = numInput('b', 1.9);
	const gens = numInput('generations', 100, { inputmode: 'numeric' });
	const seed = numInput('seed', '', { inputmode: 'numeric' });
	const err = h('div', { class: 'form-error' });
	const out = h('div', { class: 'sim-result lattice-result', 'aria-live': 'polite' });
	const chart = chartFigure(t('sim.lattice.chart'), 'lattice-chart');
	const form = simForm(
		'lattice-form',
		t('sim.lattice.legend'),
		[h('div', { class: 'row' }, field(t('sim.size'), size, t('sim.sizeHint', { max: BOUNDS.size })).wrap, field(t('sim.b'), b, t('sim.bHint')).wrap, field(t('sim.generations'), gens, t('sim.generationsHint', { max: BOUNDS.generations })).wrap, field(t('sim.seed'), seed, t('sim.seedHint')).wrap)],
		err,
		t('sim.play'),
	);
	form.addEventListener('submit', async (ev) => {
		ev.preventDefault();
		const v = checkAll(
			err,
			[
				[t('sim.size'), size, { integer: true, min: 3, max: BOUNDS.size }],
				[t('sim.b'), b, { above: 1 }],
				[t('sim.generations'), gens, { integer: true, min: 1, max: BOUNDS.generations }],
				[t('sim.seed'), seed, { integer: true, optional: true }],
			],
			(x) => (x.size * x.size * x.generations > BOUNDS.cellUpdates ? [[[size, gens], t('sim.tooMuch', { n: fmtNum(BOUNDS.cellUpdates, 0) })]] : []),
		);
		if (!v) return;
		await run(ctx, form, err, '/simulate/lattice', { size: v.size, b: v.b, generations: v.generations, seed: v.seed }, (res) => showShares(out, chart, res.share || [], t('sim.lattice.about', { size: res.size ?? v.size, b: fmtNum(res.b ?? v.b, 3) })));
	});
	return section('lattice', t('sim.lattice'), h('p', { class: 'hint' }, t('sim.lattice.intro')), form, out);
}

// A share of cooperators per generation (the first is the start).
function showShares(out, chart, share, head) {
	const labels = share.map((_, i) => String(i));
	const first = share.length ? share[0] : null;
	const last = share.length ? share[share.length - 1] : null;
	const sentence = t('sim.sharesSummary', { start: fmtPct(first), end: fmtPct(last), generations: tn('generations', Math.max(0, share.length - 1)) });
	out.replaceChildren(h('p', { class: 'sim-head' }, head), h('p', { class: 'sim-outcome' }, sentence), chart.fig);
	drawShares(chart, labels, [{ label: t('sim.cooperators'), data: share }], sentence);
}

// "community" as a name or as {id, name}.
function communityName(c) {
	return c && typeof c === 'object' ? c.name : c;
}

// ---- a community, one member cheating ------------------------------------------------

async function communitySection(ctx, chosen) {
	const s = section('sim-community', t('sim.community'), h('p', { class: 'hint' }, t('sim.community.about')));
	const slot = h('div', { class: 'sim-community-slot' }, h('p', { class: 'loading' }, t('loading')));
	s.appendChild(slot);
	// The communities to choose from; when the server cannot list them
	// (that is not this page's failure), a name is typed in.
	api('GET', '/communities', { signal: ctx.signal })
		.then((doc) => (Array.isArray(doc) ? doc : (doc && doc.communities) || []).map((c) => c.name))
		.catch((e) => (e.name === 'AbortError' || e.status === 401 ? null : []))
		.then((names) => {
			if (names === null || !ctx.alive()) return;
			slot.replaceChildren(communityForm(ctx, names, chosen));
		});
	return s;
}

function communityForm(ctx, names, chosen) {
	const name = names.length
		? h('select', { name: 'name' }, names.map((n) => h('option', { value: n, selected: n === chosen }, n)))
		: h('input', { name: 'name', type: 'text', required: true, autocomplete: 'off', value: chosen });
	const policy = h('select', { name: 'policy' }, STRATEGIES.map((p) => h('option', { value: p, selected: p === 'gtft' }, strategyName(p))));
	const gens = numInput('generations', 50, { inputmode: 'numeric' });
	const seed = numInput('seed', '', { inputmode: 'numeric' });
	const err = h('div', { class: 'form-error' });
	const out = h('div', { class: 'sim-result community-result', 'aria-live': 'polite' });
	const chart = chartFigure(t('sim.community.chart'), 'community-chart');
	const form = simForm(
		'community-sim-form',
		t('sim.community.legend'),
		[h('div', { class: 'row' }, field(t('sim.communityName'), name).wrap, field(t('sim.policy'), policy, t('sim.policyHint')).wrap), h('div', { class: 'row' }, field(t('sim.generations'), gens, t('sim.generationsHint', { max: BOUNDS.generations })).wrap, field(t('sim.seed'), seed, t('sim.seedHint')).wrap)],
		err,
		t('sim.play'),
	);
	form.addEventListener('submit', async (ev) => {
		ev.preventDefault();
		if (!name.value.trim()) {
			name.setAttribute('aria-invalid', 'true');
			err.replaceChildren(h('div', { class: 'error invalid', role: 'alert' }, h('strong', null, t('sim.fix')), h('ul', null, h('li', null, `${t('sim.communityName')}: ${t('sim.required')}`))));
			name.focus();
			return;
		}
		name.removeAttribute('aria-invalid');
		const v = checkAll(err, [
			[t('sim.generations'), gens, { integer: true, min: 1, max: BOUNDS.generations, optional: true }],
			[t('sim.seed'), seed, { integer: true, optional: true }],
		]);
		if (!v) return;
		const query = { name: name.value.trim(), policy: policy.value, generations: v.generations, seed: v.seed };
		await run(ctx, form, err, '/simulate/community', query, (res) =>
			showShares(out, chart, res.share || [], t('sim.community.head', { name: communityName(res.community) ?? query.name, members: tn('members', res.members ?? 0), policy: strategyName(res.policy ?? query.policy) })),
		);
	});
	if (!names.length && ctx.alive()) form.prepend(h('p', { class: 'hint' }, t('sim.community.typeName')));
	return h('div', null, form, out);
}
