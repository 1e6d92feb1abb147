# The ladder over HTTP: reading and moving are two routes with their own
# roles, consent is given and withdrawn with one request each, and the
# answers are the JSON of the command line.
. "$(dirname "$0")/lib.sh"
export RAPPORT_TODAY=2026-03-10
"$R" init >/dev/null
"$R" contact add "Анна Иванова" --email anna@example.org >/dev/null
for who in viewer staff; do
	printf 'password-of-%s\n' "$who" | "$R" user add "$who" --role "$who" >/dev/null
	eval "TOKEN_$who=\$(\"\$R\" token create $who --label tests)"
done
serve
J='Content-Type: application/json'

call GET /api/v1/contacts/1/stage -H "$(auth "$TOKEN_viewer")"
ok "a viewer reads the stage" test "$status" = 200
"$R" stage 1 --json >cli.json
ok "the same JSON as 'rapport stage'" python3 -c "
import json, sys
sys.exit(0 if json.loads(sys.argv[1]) == json.load(open('cli.json')) else 1)" "$out"
call POST /api/v1/contacts/1/stage -H "$(auth "$TOKEN_viewer")" -H "$J" -d '{"to":"attention","why":"x"}'
ok "a viewer may not move: 403" test "$status" = 403
call POST /api/v1/contacts/1/stage -H "$(auth "$TOKEN_staff")" -H "$J" -d '{"to":"attention"}'
ok "a move without why: 400" test "$status" = 400
call POST /api/v1/contacts/1/stage -H "$(auth "$TOKEN_staff")" -H "$J" -d '{"to":"upstairs","why":"x"}'
ok "an unknown stage: 400" test "$status" = 400 -a "$(json '"stranger, attention" in d["error"]["message"]' && echo y)" = y
call POST /api/v1/contacts/1/stage -H "$(auth "$TOKEN_staff")" -H "$J" -d '{"to":"attention","why":"Met at the fair"}'
ok "staff moves" test "$status" = 200
ok "the answer is the stage, with from and moved" json 'd["stage"]=="attention" and d["from"]=="stranger" and d["moved"] is True and d["moves"][0]["by"]=="staff" and d["moves"][0]["why"]=="Met at the fair"'
call GET /api/v1/contacts/1/stage -H "$(auth "$TOKEN_viewer")"
ok "and a read after it sees the move" json 'd["stage"]=="attention" and len(d["moves"])==1'

call POST /api/v1/contacts/1/consent/grant -H "$(auth "$TOKEN_viewer")" -H "$J" -d '{"channel":"email","purpose":"news","evidence":"x"}'
ok "a viewer may not record consent: 403" test "$status" = 403
call POST /api/v1/contacts/1/consent/grant -H "$(auth "$TOKEN_staff")" -H "$J" -d '{"channel":"email","purpose":"news"}'
ok "a consent without evidence: 400" test "$status" = 400 -a "$(json '"evidence" in d["error"]["message"]' && echo y)" = y
call POST /api/v1/contacts/1/consent/grant -H "$(auth "$TOKEN_staff")" -H "$J" -d '{"channel":"email","purpose":"news","how":"form","evidence":"Ticked the box: news by email"}'
ok "staff records a consent" test "$status" = 200
ok "which lifts her to yes" json 'd["state"]=="granted" and d["how"]=="form" and d["stage"]=="yes"'
call POST /api/v1/contacts/1/consent/revoke -H "$(auth "$TOKEN_staff")" -H "$J" -d '{"channel":"email","purpose":"news"}'
ok "withdrawn with one request, nothing more asked" test "$status" = 200
ok "back to attention" json 'd["state"]=="revoked" and d["stage"]=="attention"'
call GET /api/v1/contacts/1/consent -H "$(auth "$TOKEN_viewer")"
ok "a viewer reads the consents" test "$status" = 200
ok "current and history" json 'd["current"][0]["state"]=="revoked" and len(d["history"])==2 and d["history"][1]["by"]=="staff"'

call GET "/api/v1/funnel?from=2026-03-01&to=2026-03-31" -H "$(auth "$TOKEN_viewer")"
ok "a viewer reads the funnel" test "$status" = 200
ok "with this month's moves" json '[s["entered"] for s in d["stages"]]==[0,1,1,0,0,0,0] and d["stages"][2]["dropped"]==1'
"$R" funnel --from 2026-03-01 --to 2026-03-31 --json >cli.json
ok "the same JSON as 'rapport funnel'" python3 -c "
import json, sys
sys.exit(0 if json.loads(sys.argv[1]) == json.load(open('cli.json')) else 1)" "$out"
call GET "/api/v1/funnel?from=2026-03-31&to=2026-03-01" -H "$(auth "$TOKEN_viewer")"
ok "a period the wrong way round: 400" test "$status" = 400
call GET "/api/v1/funnel?from=yesterday" -H "$(auth "$TOKEN_viewer")"
ok "not a date: 400" test "$status" = 400
finish
