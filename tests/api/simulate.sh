# The cooperation game over HTTP: the routes answer with the command line's
# JSON, for any role, and refuse work beyond their bounds with 400.
. "$(dirname "$0")/lib.sh"
"$R" init >/dev/null
printf 'password-of-viewer\n' | "$R" user add viewer --role viewer >/dev/null
"$R" token create viewer >token.viewer
cli_t=$("$R" simulate tournament --json --noise 0.01 --seed 3)
cli_l=$("$R" simulate lattice --size 60 --b 1.9 --generations 30 --json)
serve
V=$(auth "$(cat token.viewer)")

call GET "/api/v1/simulate/tournament?noise=0.01&seed=3" -H "$V"
ok "GET /simulate/tournament as a viewer" test "$status" = 200
ok "the command line's document" \
	python3 -c "import json,sys; sys.exit(0 if json.loads(sys.argv[1])==json.loads(sys.argv[2]) else 1)" "$out" "$cli_t"
ok "seven strategies with name, score and mean per round" \
	json 'len(d["strategies"])==7 and all(set(s)=={"name","score","mean_per_round","rounds"} for s in d["strategies"])'
call GET "/api/v1/simulate/tournament?rounds=50&w=0.9&payoffs=4,3,1,0&repetitions=3" -H "$V"
ok "with w and payoffs" json 'd["w"]==0.9 and d["payoffs"]["T"]==4 and d["rounds"]==50 and d["matches"]==84'
call GET "/api/v1/simulate/tournament" 
ok "not without a login" test "$status" = 401

call GET "/api/v1/simulate/lattice?size=60&b=1.9&generations=30" -H "$V"
ok "GET /simulate/lattice" test "$status" = 200
ok "the command line's document" \
	python3 -c "import json,sys; sys.exit(0 if json.loads(sys.argv[1])==json.loads(sys.argv[2]) else 1)" "$out" "$cli_l"
ok "a share per generation and the start" json 'len(d["share"])==31 and d["share"][0]==0.9'

call GET "/api/v1/simulate/lattice?size=5000&b=1.9&generations=10" -H "$V"
ok "a lattice too large is 400" test "$status" = 400
ok "saying the bound" has "$out" "--size must be 3 to 1000"
call GET "/api/v1/simulate/lattice?size=1000&b=1.9&generations=1000" -H "$V"
ok "too much work is 400" test "$status" = 400
call GET "/api/v1/simulate/lattice?size=100&generations=10" -H "$V"
ok "b is needed" test "$status" = 400
call GET "/api/v1/simulate/tournament?rounds=20000" -H "$V"
ok "too many rounds is 400" test "$status" = 400
call GET "/api/v1/simulate/tournament?payoffs=1,2,3,4" -H "$V"
ok "payoffs that are no dilemma are 400" test "$status" = 400
ok "saying why" has "$out" "T > R > P > S"
finish
