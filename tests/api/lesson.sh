# Lessons over HTTP: the routes answer with the command line's JSON.
. "$(dirname "$0")/lib.sh"
"$R" init >/dev/null
for who in viewer staff; do
	printf 'password-of-%s\n' "$who" | "$R" user add "$who" --role "$who" >/dev/null
	"$R" token create "$who" >"token.$who"
done
"$R" contact add "John Smith" >/dev/null
"$R" story add Smith --kind interaction "They ignored me at the front desk" >/dev/null
"$R" story add Smith --kind product "The app is slow" >/dev/null
serve
S=$(auth "$(cat token.staff)") V=$(auth "$(cat token.viewer)")

call POST /api/v1/lessons -H "$S" -H 'Content-Type: application/json' \
	-d '{"story": 1, "title": "Greet every client", "owner": "staff", "segment": "tier:close"}'
ok "POST /lessons" test "$status" = 200 -o "$status" = 201
ok "answers the id" json 'd["id"]==1 and d["story_id"]==1'
call POST /api/v1/lessons -H "$V" -H 'Content-Type: application/json' -d '{"story": 1, "title": "x", "owner": "v"}'
ok "a viewer may not add" test "$status" = 403
call POST /api/v1/lessons/1/stories -H "$S" -H 'Content-Type: application/json' -d '{"story": 2}'
ok "POST /lessons/1/stories" test "$status" = 200
call PATCH /api/v1/lessons/1 -H "$S" -H 'Content-Type: application/json' -d '{"status": "doing"}'
ok "PATCH /lessons/1" test "$status" = 200
call GET /api/v1/lessons/1 -H "$V"
ok "GET /lessons/1 as a viewer" json 'd["status"]=="doing" and [s["id"] for s in d["supporting"]]==[1,2]'
call GET "/api/v1/agenda?owner=staff" -H "$V"
ok "on its owner's agenda" json '[l["id"] for l in d["lessons"]]==[1]'
call POST /api/v1/lessons/1/done -H "$S" -H 'Content-Type: application/json' -d '{"note": "a greeter"}'
ok "POST /lessons/1/done" test "$status" = 200
call POST /api/v1/lessons/1/done -H "$S" -H 'Content-Type: application/json' -d '{"note": "again"}'
ok "done twice is a conflict" test "$status" = 409
call GET "/api/v1/lessons?status=done" -H "$V"
ok "GET /lessons?status=done" json '[(l["id"],l["stories"]) for l in d["lessons"]]==[(1,2)]'
call GET "/api/v1/agenda?owner=staff" -H "$V"
ok "a done lesson leaves the agenda" json 'd["lessons"]==[]'
call GET /api/v1/lessons/9 -H "$V"
ok "an unknown lesson is 404" test "$status" = 404
finish
