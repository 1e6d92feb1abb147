# The cooperation game from the command line: tournaments and Nowak & May's
# lattice.  The store is not used, but is there as for any command.
. "$(dirname "$0")/lib.sh"
"$R" init >/dev/null

run "$R" simulate tournament --json
ok "simulate tournament exits 0" test "$rc" = 0
ok "all seven strategies, each once" \
	json 'sorted(s["name"] for s in d["strategies"])==["allc","alld","grim","gtft","random","tft","wsls"]'
ok "ranked by payoff per round" \
	json 'all(a["mean_per_round"]>=b["mean_per_round"] for a,b in zip(d["strategies"],d["strategies"][1:]))'
ok "the defaults: 200 rounds, 5,3,1,0, no noise, 10 repetitions, 28 matches each" \
	json 'd["rounds"]==200 and d["w"] is None and d["noise"]==0 and d["payoffs"]=={"T":5,"R":3,"P":1,"S":0} and d["repetitions"]==10 and d["matches"]==280'
ok "generous tit-for-tat forgives with probability 1/3" json 'abs(d["gtft_forgiveness"]-1/3)<1e-12'
# TFT: 600 against allc, tft, gtft, grim and wsls, 199 against alld; the
# random one's share varies by seed.
ok "tit-for-tat's score, exact where nothing is random" \
	json '[s for s in d["strategies"] if s["name"]=="tft"][0]["score"]>5*600+199 and [s for s in d["strategies"] if s["name"]=="alld"][0]["mean_per_round"]<[s for s in d["strategies"] if s["name"]=="tft"][0]["mean_per_round"]'
first=$out
run "$R" simulate tournament --json
ok "the same seed plays the same tournament" test "$out" = "$first"
run "$R" simulate tournament --json --seed 2
ok "another seed another" test "$out" != "$first"

run "$R" simulate tournament --w 0.95 --noise 0.02 --payoffs 4,3,1,0 --repetitions 50 --rounds 1000 --json
ok "with w, noise and payoffs" test "$rc" = 0
ok "given back" json 'd["w"]==0.95 and d["noise"]==0.02 and d["payoffs"]["T"]==4 and d["rounds"]==1000 and d["repetitions"]==50'
ok "matches of about 1/(1-w) = 20 rounds" \
	json 'all(15 < s["rounds"]/(7*50) < 25 for s in d["strategies"])'
run "$R" simulate tournament
ok "as a table" has "$out" "generous tit-for-tat forgives with probability 0.3333"
ok "ranked" has "$out" "   1  grim"

run "$R" simulate tournament --payoffs 3,5,1,0
ok "payoffs that are no dilemma are refused" test "$rc" = 1
ok "saying what they need" has "$err" "T > R > P > S"
run "$R" simulate tournament --payoffs 7,3,1,0
ok "2R > T + S is checked" has "$err" "2R > T + S"
run "$R" simulate tournament --payoffs 5,3,1
ok "four payoffs" has "$err" "four numbers T,R,P,S"
run "$R" simulate tournament --w 1
ok "w below 1" test "$rc" = 1 -a -n "$err"
run "$R" simulate tournament --noise 0.7
ok "noise below 0.5" has "$err" "below 0.5"
run "$R" simulate tournament --rounds 10001
ok "at most 10000 rounds" has "$err" "--rounds must be 1 to 10000"
run "$R" simulate tournament --rounds 10000 --repetitions 1000
ok "bounded work" has "$err" "ask for fewer"

run "$R" simulate lattice --size 100 --b 1.9 --generations 200 --json
ok "simulate lattice exits 0" test "$rc" = 0
ok "the shape" json 'd["size"]==100 and d["b"]==1.9 and d["generations"]==200 and d["defectors"]==0.1 and d["seed"]==1 and len(d["share"])==201'
ok "10% defectors at the start" json 'd["share"][0]==0.9'
ok "1.8 < b < 2: the share swings about 0.32 (Nowak & May)" json '0.29 < sum(d["share"][101:])/100 < 0.35'
run "$R" simulate lattice --size 100 --b 1.7 --generations 100 --json
ok "b < 1.8: cooperators hold most" json 'd["share"][-1] > 0.6'
run "$R" simulate lattice --size 100 --b 2.1 --generations 100 --json
ok "b > 2: defectors win" json 'd["share"][-1] < 0.1'
run "$R" simulate lattice --size 50 --b 1.9 --generations 3 --defectors 0.5 --seed 9 --json
ok "defectors and seed" json 'd["share"][0]==0.5 and d["seed"]==9 and len(d["share"])==4'
run "$R" simulate lattice --size 20 --b 1.9 --generations 2
ok "as text" has "$out" "20 x 20 lattice, b = 1.9"
ok "a line per generation" has "$out" "         2  "

run "$R" simulate lattice --size 1001 --b 1.9 --generations 5
ok "at most 1000 a side" has "$err" "--size must be 3 to 1000"
run "$R" simulate lattice --size 100 --b 1.9 --generations 1001
ok "at most 1000 generations" has "$err" "--generations must be 1 to 1000"
run "$R" simulate lattice --size 1000 --b 1.9 --generations 1000
ok "bounded work" has "$err" "cell updates"
run "$R" simulate lattice --size 100 --b 0.5 --generations 5
ok "b above 1" has "$err" "above 1"
run "$R" simulate lattice --size 100 --b abc --generations 5
ok "b a number" has "$err" "must be a number"
run "$R" simulate lattice --size 100 --b 1.9 --generations 5 --defectors 2
ok "a share within 0 and 1" has "$err" "within 0 and 1"
run "$R" simulate lattice --b 1.9 --generations 5
ok "the size is needed" test "$rc" = 2
finish
