# Complaints over HTTP: the routes answer with the command line's JSON.
. "$(dirname "$0")/lib.sh"
export RAPPORT_NOW=2026-11-23T10:00:00Z
"$R" init >/dev/null
for who in viewer staff; do
	printf 'password-of-%s\n' "$who" | "$R" user add "$who" --role "$who" >/dev/null
	"$R" token create "$who" >"token.$who"
done
"$R" contact add "John Smith" >/dev/null
"$R" contact add "Olga Ivanova" >/dev/null
"$R" log Smith --kind purchase --amount 90 --currency EUR --at 2026-11-01 "a lamp" >/dev/null
# A message ten minutes ago: a complaint opened from it is late already.
"$R" log Smith --kind message --direction in --at 2026-11-23T09:50:00Z "The lamp arrived broken" >/dev/null
serve
S=$(auth "$(cat token.staff)") V=$(auth "$(cat token.viewer)")
J='Content-Type: application/json'

call POST /api/v1/contacts/1/complaints -H "$S" -H "$J" -d '{"text": "The lamp arrived broken", "from": 2}'
ok "POST /contacts/1/complaints" test "$status" = 200 -o "$status" = 201
ok "answers the complaint" json 'd["id"]==1 and d["channel"]=="message" and d["state"]=="waiting" and d["late"] is True and d["opened_at"]=="2026-11-23T09:50:00Z" and d["opened_by"]=="staff" and d["contact"]=={"id":1,"name":"John Smith"}'
call POST /api/v1/contacts/2/complaints -H "$S" -H "$J" -d '{"text": "Rude on the phone", "channel": "call", "duty": "staff"}'
ok "a second, on staff's duty" test "$status" = 200 -o "$status" = 201
call GET "/api/v1/agenda?owner=staff" -H "$V"
ok "the agenda: the late one first" json '[(k["id"],k["state"],k["minutes_waiting"]) for k in d["complaints"]]==[(1,"late",10),(2,"waiting",0)]'

before=$(sql "SELECT count(*) FROM complaint")
call POST /api/v1/contacts/1/complaints -H "$V" -H "$J" -d '{"text": "x"}'
ok "a viewer may not open one" test "$status" = 403
call POST /api/v1/contacts/99/complaints -H "$S" -H "$J" -d '{"text": "x"}'
ok "an unknown contact is 404" test "$status" = 404
call POST /api/v1/contacts/1/complaints -H "$S" -H "$J" -d '{"text": ""}'
ok "empty words are 400" test "$status" = 400
call POST /api/v1/contacts/1/complaints -H "$S" -H "$J" -d '{"text": "x", "channel": "fax"}'
ok "a bad channel is 400" test "$status" = 400
ok "naming the channels" json '"call, message, email, visit or ui" in d["error"]["message"]'
call POST /api/v1/contacts/2/complaints -H "$S" -H "$J" -d '{"text": "x", "from": 2}'
ok "another contact's interaction is 400" test "$status" = 400
call POST /api/v1/contacts/1/complaints -H "$S" -H "$J" -d '{"text": "x", "from": 2}'
ok "an interaction opens one complaint: 409" test "$status" = 409
ok "nothing was written" test "$(sql "SELECT count(*) FROM complaint")" = "$before"

call POST /api/v1/complaints/1/answer -H "$V" -H "$J" -d '{"text": "Sorry"}'
ok "a viewer may not answer" test "$status" = 403
call POST /api/v1/complaints/1/answer -H "$S" -H "$J" -d '{"text": "So sorry: a new one goes today", "apology": true}'
ok "POST /complaints/1/answer" test "$status" = 200
ok "answered, late" json 'd["state"]=="answered" and d["first_response_minutes"]==10.0 and d["late"] is True and d["apology"] is True and d["answered_by"]=="staff"'
call POST /api/v1/complaints/1/answer -H "$S" -H "$J" -d '{"text": "again"}'
ok "answering twice is 409" test "$status" = 409
call POST /api/v1/complaints/9/answer -H "$S" -H "$J" -d '{"text": "x"}'
ok "an unknown complaint is 404" test "$status" = 404

call POST /api/v1/complaints/1/resolve -H "$S" -H "$J" -d '{"make_good": "a voucher", "cost": "-1"}'
ok "a negative cost is 400" test "$status" = 400
call POST /api/v1/complaints/1/resolve -H "$S" -H "$J" -d '{"make_good": "a voucher", "cost": "15", "resolution": "replaced"}'
ok "POST /complaints/1/resolve" test "$status" = 200
ok "resolved, in the client's currency" json 'd["state"]=="resolved" and d["make_good_cost"]=="15.00" and d["currency"]=="EUR" and d["resolution"]=="replaced"'
call POST /api/v1/complaints/1/resolve -H "$S" -H "$J" -d '{"resolution": "again"}'
ok "resolving twice is 409" test "$status" = 409

call GET /api/v1/complaints -H "$V"
ok "GET /complaints" json '[k["id"] for k in d["complaints"]]==[2,1]'
call GET "/api/v1/complaints?open=true" -H "$V"
ok "GET /complaints?open" json '[k["id"] for k in d["complaints"]]==[2]'
call GET /api/v1/complaints/2 -H "$V"
ok "GET /complaints/2" json 'd["id"]==2 and d["duty"]=="staff" and d["channel"]=="call"'
call GET /api/v1/complaints/9 -H "$V"
ok "GET an unknown complaint is 404" test "$status" = 404
call GET /api/v1/complaints/report -H "$V"
ok "GET /complaints/report" json 'd["count"]==2 and d["answered"]==1 and d["answered_in_time"]==0 and d["share_in_time"]==0.0 and d["median_first_response_minutes"]==10.0 and d["make_goods"]["count"]==1 and d["make_goods"]["cost"]=="15.00" and d["make_goods"]["currency"]=="EUR" and d["kept"]["clients"]==0'
call GET "/api/v1/complaints/report?since=soon" -H "$V"
ok "a bad since is 400" test "$status" = 400
finish
