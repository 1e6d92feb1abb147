# Customer value: the CLV models on the CDNOW summaries, a fit to the
# timeline's purchases, and a client whose time costs more than his margin
# brings, listed with the reasons and let go gracefully.
DATA=$(cd "$(dirname "$0")/../data/cdnow" && pwd)
. "$(dirname "$0")/lib.sh"
export RAPPORT_TODAY=2026-11-23

"$R" init >/dev/null

# ---- summary files: the published estimates, to their printed digits ----
near() { python3 -c "import sys; sys.exit(0 if abs($1-($2)) <= $3 else 1)"; }
run "$R" value fit --summary "$DATA/cdnow_customers_summary.csv" --model bgnbd --json
ok "BG/NBD on CDNOW" test "$rc" = 0
ok "over 2,357 customers" json 'd["model"]=="bgnbd" and d["customers"]==2357 and d["seconds"]>=0'
ok "r, alpha, a, b as published (0.243, 4.414, 0.793, 2.426)" \
	json 'all(abs(d["params"][k]-v)<=0.001 for k,v in {"r":0.243,"alpha":4.414,"a":0.793,"b":2.426}.items())'
ok "log-likelihood -9582.4" json 'abs(d["loglik"]+9582.4)<=0.05'
run "$R" value fit --summary "$DATA/cdnow_customers_summary.csv" --model pareto --json
ok "Pareto/NBD r, alpha, s, beta as published (0.553, 10.578, 0.606, 11.669)" \
	json 'all(abs(d["params"][k]-v)<=t for k,v,t in [("r",0.553,0.001),("alpha",10.578,0.001),("s",0.606,0.001),("beta",11.669,0.0015)])'
ok "log-likelihood -9595.0" json 'abs(d["loglik"]+9595.0)<=0.05'
run "$R" value fit --summary "$DATA/cdnow_customers_summary_with_transactions.csv" --model gg --json
ok "Gamma-Gamma on the 946 repeat buyers: p, q, gamma (6.25, 3.74, 15.44)" \
	json 'd["customers"]==946 and all(abs(d["params"][k]-v)<=t for k,v,t in [("p",6.25,0.005),("q",3.74,0.005),("gamma",15.44,0.01)])'
run "$R" value fit --summary "$DATA/cdnow_customers_summary.csv" --model bgnbd
ok "without --json the same parameters by name" has "$out" 'alpha = 4.41'
ok "and the log-likelihood" has "$out" 'log-likelihood -9582.4'
(cd "$WORK" && env -u RAPPORT_DB "$R" value fit --summary "$DATA/cdnow_customers_summary.csv" --model bgnbd >/dev/null)
ok "a summary fit needs no store" test "$?" = 0 -a ! -e "$WORK/rapport.db"
run "$R" value fit --summary "$DATA/cdnow_customers_summary.csv" --model weibull
ok "an unknown model is refused, naming the three" test "$rc" = 1 && has "$err" "bgnbd, pareto or gg"
printf 'frequency,recency\n1,2\n' >"$WORK/bad.csv"
run "$R" value fit --summary "$WORK/bad.csv" --model bgnbd
ok "a summary without T is refused, saying so" test "$rc" = 1 && has "$err" "no T column"
run "$R" value fit --summary "$DATA/cdnow_customers_summary.csv"
ok "--summary needs --model" test "$rc" = 1 && has "$err" "--model"
ok "a summary fit stores nothing" test "$(sql "SELECT count(*) FROM value_fit")" = 0

# ---- the timeline ----
run "$R" value fit
ok "no purchases: a clear refusal" test "$rc" = 1 && has "$err" "no purchases up to 2026-11-23"
for i in $(seq 1 24); do
	"$R" contact add "Client $i" >/dev/null
done
"$R" contact add "Трудный Клиент" --owner anna >/dev/null # id 25
"$R" log 1 --kind purchase --amount 1500 --currency RUB --at 2026-01-10 >/dev/null
run "$R" value fit
ok "one buyer: too few purchases to fit, said clearly" test "$rc" = 1 && has "$err" "too few purchases to fit"
ok "and nothing is stored" test "$(sql "SELECT count(*) FROM value_fit")" = 0
# 24 clients with different habits: first purchase, repeats, spacing, spend
for i in $(seq 1 24); do
	first=$(( (i * 37) % 200 ))
	n=$(( i % 5 ))
	gap=$(( (i * 13) % 40 + 7 ))
	amount=$(( 1000 + (i * 731) % 5000 ))
	for k in $(seq 0 $n); do
		[ "$i" = 1 ] && [ "$k" = 0 ] && continue
		day=$(date -u -d "2025-11-01 + $((first + k * gap)) days" +%F)
		"$R" log "$i" --kind purchase --amount $((amount + k * 100)) --currency RUB --at "${day}T12:00" >/dev/null
	done
done
# the costly client: small purchases, two refunds, long calls, and calls of the others are short
for d in 2026-02-01 2026-05-01 2026-08-01; do
	"$R" log 25 --kind purchase --amount 300 --currency RUB --at "${d}T10:00" >/dev/null
done
"$R" log 25 --kind purchase --amount -150 --currency RUB --at 2026-05-03T10:00 >/dev/null
"$R" log 25 --kind purchase --amount -100 --currency RUB --at 2026-08-03T10:00 >/dev/null
for m in 01 02 03 04 05 06 07 08 09 10 11; do
	"$R" log 25 --kind call --minutes 260 --at "2026-$m-15T10:00" "Long call about the order" >/dev/null
done
"$R" log 3 --kind call --minutes 10 --at 2026-06-01T10:00 "Thanked us" >/dev/null

run "$R" value fit --json
ok "the fit to the timeline" test "$rc" = 0
ok "25 buyers in RUB, in weeks" json 'd["customers"]==25 and d["currency"]=="RUB" and d["time_unit"]=="weeks" and d["until"]=="2026-11-23"'
ok "BG/NBD parameters and log-likelihood" json 'set(d["bgnbd"]["params"])=={"r","alpha","a","b"} and d["bgnbd"]["loglik"]<0'
ok "Gamma-Gamma with enough repeat buyers, or a note why not" \
	json 'd["repeat_buyers"]>=10 and (d["gg"] and set(d["gg"]["params"])=={"p","q","gamma"} or d["gg"] is None and d["gg_note"].startswith("Gamma-Gamma skipped"))'
ok "every buyer scored" json 'd["stored"]==25'
ok "stored as integers: P(alive) in millionths" test "$(sql "SELECT count(*) FROM value_score WHERE p_alive BETWEEN 0 AND 1000000")" = 25

run "$R" value show "Трудный" --json
ok "value show" test "$rc" = 0
ok "the agreed shape" json 'set(["contact","fitted_at","currency","frequency","recency_days","age_days","monetary","p_alive","p_alive_before","expected_purchases_year","clv","rfm","segment","cost_to_serve","revenue","margin","expected_margin","negative","reasons"])<=set(d)'
ok "cost to serve: 2,860 minutes at 30.00 an hour, refunds 250.00" \
	json 'd["cost_to_serve"]=={"minutes":2860,"time_cost":"1430.00","make_goods":"0.00","discounts":"250.00","total":"1680.00"}'
ok "revenue 900.00, margin 0.3 x 900 - 1680" json 'd["revenue"]=="900.00" and d["margin"]=="-1410.00"'
ok "negative, expected margin below zero" json 'd["negative"] is True and float(d["expected_margin"])<0'
ok "RFM scores in 1..5 and a segment" json 'all(1<=d["rfm"][k]<=5 for k in "rfm") and len(d["rfm"]["score"])==3 and d["segment"] in ("champions","loyal","new","at risk","promising","hibernating")'
ok "p_alive_before is null at the first fit" json 'd["p_alive_before"] is None and 0<=d["p_alive"]<=1'

run "$R" value negative --json
ok "value negative" test "$rc" = 0
ok "lists the costly client with reasons in numbers and words" \
	json 'any(c["contact"]["id"]==25 and c["reasons"][0]=="11.9 hours of our time a quarter (1430.00 RUB)" and c["reasons"][1]=="2 refunds (250.00 RUB)" and c["reasons"][-1].startswith("expected margin -") for c in d["clients"])'
ok "with threshold and currency" json 'd["threshold"]=="0.00" and d["currency"]=="RUB"'
ok "only clients below the threshold" json 'all(float(c["expected_margin"])<0 for c in d["clients"])'
run "$R" value negative
ok "as text: the client with the reasons in numbers" has "$out" "Трудный Клиент (#25): expected margin -" && has "$out" "hours of our time a quarter"
run "$R" value show Трудный
ok "value show as text" has "$out" "costs more than it brings" && has "$out" "RFM "
run "$R" value negative --threshold -1000000 --json
ok "a low threshold lists nobody" json 'd["clients"]==[]'
run "$R" value negative --threshold lots
ok "a threshold that is not money is refused" test "$rc" = 1 && has "$err" "--threshold"
RAPPORT_LANG=ru run "$R" value negative --json
ok "reasons in Russian" json 'any(c["contact"]["id"]==25 and c["reasons"][1]=="возвратов: 2 (250.00 RUB)" for c in d["clients"])'

run "$R" contact show 25 --json
ok "the card has the value" json 'd["value"]["clv"] and d["value"]["segment"] and d["value"]["negative"] is True'
run "$R" contact show "Client 2" --json
ok "a client without a score has value null" test "$rc" = 0
"$R" contact add "Никто Неведомый" >/dev/null
run "$R" contact show "Никто" --json
ok "value null when no fit scored the contact" json 'd["value"] is None'

run "$R" value report --json
ok "value report" test "$rc" = 0
ok "distribution, segments, top, negative, totals" \
	json 'len(d["distribution"]["edges"])==len(d["distribution"]["counts"])+1 and sum(d["distribution"]["counts"])==25 and sum(s["count"] for s in d["segments"])==25 and len(d["top"])>0 and any(n["contact"]["id"]==25 for n in d["negative"]) and set(d["totals"])=={"clv","revenue","cost_to_serve"}'
ok "margin by quarter" json 'd["by"]=="quarter" and [p["period"] for p in d["periods"]]==["2025-Q4","2026-Q1","2026-Q2","2026-Q3"] or [p["period"] for p in d["periods"]][-1]=="2026-Q4"'
run "$R" value report --by month --json
ok "or by month, twelve of them up to the fit" json 'len(d["periods"])==12 and d["periods"][-1]["period"]=="2026-11"'
run "$R" value report --by week
ok "--by week is refused" test "$rc" = 1 && has "$err" "month or quarter"

# ---- falling P(alive): a second fit later keeps the first as p_alive_before ----
run "$R" value fit --until 2027-06-30
ok "an end after today is refused" test "$rc" = 1 && has "$err" "after today"
RAPPORT_TODAY=2027-06-30 run "$R" value fit --json
ok "a fit half a year later" test "$rc" = 0
ok "keeps the previous P(alive)" test "$(sql "SELECT count(*) FROM value_score WHERE p_alive_before IS NOT NULL")" = 25
ok "two fits kept" test "$(sql "SELECT count(*) FROM value_fit")" = 2
RAPPORT_TODAY=2027-06-30 run "$R" agenda --json
ok "the agenda's value block: high value, P(alive) falling" \
	json 'len(d["value"])>0 and all(v["p_alive"]<0.5 or v["p_alive_before"]-v["p_alive"]>=0.1 for v in d["value"]) and all(set(["contact","clv","p_alive","p_alive_before","reason"])<=set(v) for v in d["value"])'
RAPPORT_TODAY=2027-06-30 run "$R" agenda
ok "and in the agenda's text" has "$out" "worth a call"

# ---- let go ----
before=$(sql "SELECT count(*) FROM interaction")
run "$R" value letgo 25 --note "Agreed to part ways kindly" --handover boris --stop-cadence --json
ok "value letgo" test "$rc" = 0
ok "hands over and stops the cadence" json 'd["owner"]=="boris" and d["tier"]=="distant" and d["note_interaction"]>0 and d["contact"]["id"]==25'
ok "a note on the timeline, nothing deleted" test "$(sql "SELECT count(*) FROM interaction")" = $((before + 1))
ok "the cadence stop is kept" test "$(sql "SELECT count(*) FROM cadence_stop WHERE contact_id = 25")" = 1
run "$R" agenda --date 2029-01-01 --limit 1000 --json
ok "no keep-in-touch reminder for a client let go" json 'not any(i["contact"]["id"]==25 for i in d["items"]) and any(i["contact"]["id"]==24 for i in d["items"])'
run "$R" value letgo 25
ok "a let-go needs a note" test "$rc" = 2 && has "$err" "--note"

# ---- merge, export, erase ----
run "$R" privacy export 25 --json
ok "the export has the value and the let-go" json 'd["value"][0]["segment"] and d["cadence_stop"][0]["note_interaction"]>0'
"$R" contact merge 24 23 >/dev/null
ok "a merge drops the duplicate's scores and keeps the kept one's" \
	test "$(sql "SELECT count(*) FROM value_score WHERE contact_id IN (23, 24)")" = 1
"$R" contact rm 25 >/dev/null
ok "removing a client removes their scores and let-go" \
	test "$(sql "SELECT count(*) FROM value_score WHERE contact_id = 25") $(sql "SELECT count(*) FROM cadence_stop")" = "0 0"

run "$R" config set value.margin_rate 1.5
ok "a margin rate above 1 is refused" test "$rc" = 1 && has "$err" "from 0 to 1"
run "$R" config set value.rfm_bins 3
ok "rfm bins set" test "$rc" = 0
"$R" value fit >/dev/null
ok "RFM scores in 1..3 after value.rfm_bins 3" \
	test "$(sql "SELECT count(*) FROM value_score WHERE detail LIKE '%\"r\":4%' OR detail LIKE '%\"f\":5%'")" = 0
finish
