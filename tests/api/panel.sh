# The panel over HTTP: the routes answer with the command line's JSON.
. "$(dirname "$0")/lib.sh"
export RAPPORT_TODAY=2026-11-23
"$R" init >/dev/null
for who in viewer staff; do
	printf 'password-of-%s\n' "$who" | "$R" user add "$who" --role "$who" >/dev/null
	"$R" token create "$who" >"token.$who"
done
"$R" contact add "John Smith" --tier close --owner staff >/dev/null
"$R" contact add "Анна Иванова" >/dev/null
"$R" story add Smith --kind product --on 2026-10-01 "The app is slow" >/dev/null
serve
S=$(auth "$(cat token.staff)") V=$(auth "$(cat token.viewer)")
J='Content-Type: application/json'

call PUT /api/v1/panel/Smith -H "$S" -H "$J" -d '{"cadence": 21}'
ok "PUT /panel/{contact}" test "$status" = 200
ok "answers the member" json 'd["contact"]=={"id":1,"name":"John Smith"} and d["cadence_days"]==21 and d["prior_tier"]=="close" and d["by"]=="staff" and d["last_on"]=="2026-10-01" and d["due_on"]=="2026-10-22"'
call PUT /api/v1/panel/2 -H "$S"
ok "without a body: the default cadence" test "$status" = 200 && json 'd["cadence_days"]==30 and d["joined_on"]=="2026-11-23"'
call PUT /api/v1/panel/1 -H "$S" -H "$J" -d '{"cadence": 14}'
ok "again: a new cadence" json 'd["cadence_days"]==14 and d["due_on"]=="2026-10-15"'

# refusals write nothing
for bad in 0 -1 3651; do
	call PUT /api/v1/panel/2 -H "$S" -H "$J" -d "{\"cadence\": $bad}"
	ok "cadence $bad is 400" test "$status" = 400
	ok "saying the range" json '"from 1 to 3650" in d["error"]["message"]'
done
call PUT /api/v1/panel/2 -H "$S" -H "$J" -d '{"cadence": "weekly"}'
ok "a cadence that is not a number is 400" test "$status" = 400
ok "the refused writes changed nothing" test "$(sql "SELECT contact_id || ':' || cadence_days FROM panel ORDER BY contact_id" | tr '\n' ' ')" = "1:14 2:30 "
call PUT /api/v1/panel/Nobody -H "$S" -H "$J" -d '{"cadence": 30}'
ok "an unknown contact is 404" test "$status" = 404
call DELETE /api/v1/panel/99 -H "$S"
ok "rm of an unknown contact is 404" test "$status" = 404
call PUT /api/v1/panel/2 -H "$V" -H "$J" -d '{"cadence": 7}'
ok "a viewer may not add" test "$status" = 403
call DELETE /api/v1/panel/2 -H "$V"
ok "nor remove" test "$status" = 403
ok "nothing changed" test "$(sql "SELECT cadence_days FROM panel WHERE contact_id = 2")" = 30
call GET /api/v1/panel
ok "reading needs a login" test "$status" = 401

call GET /api/v1/panel -H "$V"
ok "GET /panel as a viewer" test "$status" = 200
ok "members, next due first" json '[(m["contact"]["id"],m["due_on"]) for m in d["members"]]==[(1,"2026-10-15"),(2,"2026-11-23")] and d["members"][0]["kinds"]["product"]=="2026-10-01"'
# product was told 53 days ago: more than three cadences of 14
call GET "/api/v1/agenda?date=2026-11-23" -H "$V"
ok "due members on the agenda" json '[(p["contact"]["id"],p["days_over"]) for p in d["panel"]]==[(1,39),(2,0)] and d["panel"][0]["ask_about"]==["choice","interaction","product","friends","life"]'
call GET "/api/v1/agenda?date=2026-11-23" -H "$V" -H 'Accept-Language: ru'
ok "questions in the reader's language" json '"ваши друзья" in d["panel"][0]["questions"][3]'
call GET "/api/v1/agenda?date=2026-11-23&owner=staff" -H "$V"
ok "one owner's members" json '[p["contact"]["id"] for p in d["panel"]]==[1]'

call GET "/api/v1/panel/coverage?from=2026-09-01&to=2026-11-30" -H "$V"
ok "GET /panel/coverage" test "$status" = 200
ok "stories per kind per member per month" json 'd["periods"]==["2026-09","2026-10","2026-11"] and d["members"][0]["counts"]["product"]==[0,1,0] and d["members"][0]["total"]==1'
ok "zeros for a member who told nothing" json 'd["members"][1]["contact"]["id"]==2 and d["members"][1]["total"]==0 and d["members"][1]["counts"]["life"]==[0,0,0]'
call GET "/api/v1/panel/coverage?by=quarter&from=2026-01-01&to=2026-12-31" -H "$V"
ok "by quarter" json 'd["periods"]==["2026-Q1","2026-Q2","2026-Q3","2026-Q4"] and d["members"][0]["counts"]["product"]==[0,0,0,1]'
call GET "/api/v1/panel/coverage?from=2026-12-01&to=2026-01-01" -H "$V"
ok "from after to is 400" test "$status" = 400

call DELETE /api/v1/panel/Smith -H "$S"
ok "DELETE /panel/{contact}" test "$status" = 200
ok "answers the tier given back" json 'd["tier"]=="close" and d["contact"]["id"]==1'
call DELETE /api/v1/panel/Smith -H "$S"
ok "not a member any more: 404" test "$status" = 404
call GET /api/v1/panel -H "$V"
ok "the panel after" json '[m["contact"]["id"] for m in d["members"]]==[2]'
finish
