# Customer value over HTTP: a client whose time costs more than his margin
# brings is listed with the reasons, and let go gracefully.
. "$(dirname "$0")/lib.sh"
export RAPPORT_TODAY=2026-11-23
"$R" init >/dev/null
for who in viewer staff; do
	printf 'password-of-%s\n' "$who" | "$R" user add "$who" --role "$who" >/dev/null
	"$R" token create "$who" >"token.$who"
done
for i in $(seq 1 24); do
	"$R" contact add "Client $i" >/dev/null
	first=$(( (i * 37) % 200 )) n=$(( i % 5 )) gap=$(( (i * 13) % 40 + 7 )) amount=$(( 1000 + (i * 731) % 5000 ))
	for k in $(seq 0 $n); do
		day=$(date -u -d "2025-11-01 + $((first + k * gap)) days" +%F)
		"$R" log "$i" --kind purchase --amount $((amount + k * 100)) --currency RUB --at "${day}T12:00" >/dev/null
	done
done
"$R" contact add "Costly Client" >/dev/null # id 25
for d in 2026-02-01 2026-05-01 2026-08-01; do
	"$R" log 25 --kind purchase --amount 300 --currency RUB --at "${d}T10:00" >/dev/null
done
"$R" log 25 --kind purchase --amount -150 --currency RUB --at 2026-05-03T10:00 >/dev/null
for m in 01 03 05 07 09 11; do
	"$R" log 25 --kind call --minutes 480 --at "2026-$m-15T10:00" "Long call" >/dev/null
done
serve
S=$(auth "$(cat token.staff)") V=$(auth "$(cat token.viewer)")

call POST /api/v1/value/fit -H "$V" -H 'Content-Type: application/json' -d '{}'
ok "a viewer may not fit" test "$status" = 403
call POST /api/v1/value/fit -H "$S" -H 'Content-Type: application/json' -d '{"summary": "/etc/passwd", "model": "bgnbd"}'
ok "a summary file is for the command line only" test "$status" = 400
call POST /api/v1/value/fit -H "$S" -H 'Content-Type: application/json' -d '{}'
ok "POST /value/fit" test "$status" = 200
ok "scores every buyer" json 'd["customers"]==25 and d["stored"]==25 and d["time_unit"]=="weeks"'

call GET /api/v1/value/negative -H "$V"
ok "GET /value/negative" test "$status" = 200
ok "the costly client, with reasons in numbers" \
	json 'd["clients"][0]["contact"]=={"id":25,"name":"Costly Client"} and d["clients"][0]["reasons"][0]=="12 hours of our time a quarter (1440.00 RUB)" and d["clients"][0]["reasons"][1]=="1 refund (150.00 RUB)" and float(d["clients"][0]["expected_margin"])<0'
call GET "/api/v1/value/negative?threshold=-100000" -H "$V"
ok "nobody below a low threshold" json 'd["clients"]==[] and d["threshold"]=="-100000.00"'
call GET /api/v1/contacts/25/value -H "$V"
ok "GET /contacts/25/value" json 'd["negative"] is True and d["cost_to_serve"]["minutes"]==2880 and d["revenue"]=="900.00"'
call GET /api/v1/contacts/25 -H "$V"
ok "the card's value" json 'd["value"]["contact"]["id"]==25 and d["value"]["cost_to_serve"]["total"]=="1590.00"'
call GET /api/v1/value/report -H "$V"
ok "GET /value/report" json 'sum(d["distribution"]["counts"])==25 and d["negative"][0]["contact"]["id"]==25 and len(d["periods"])==4'
call GET /api/v1/agenda -H "$V"
ok "the agenda has a value block" json 'isinstance(d["value"], list)'

call POST /api/v1/contacts/25/letgo -H "$V" -H 'Content-Type: application/json' -d '{"note": "bye"}'
ok "a viewer may not let go" test "$status" = 403
call POST /api/v1/contacts/25/letgo -H "$S" -H 'Content-Type: application/json' \
	-d '{"note": "We part kindly", "handover": "staff", "stop_cadence": true}'
ok "POST /contacts/25/letgo" test "$status" = 200
ok "answers owner, tier and the note" json 'd["owner"]=="staff" and d["tier"]=="distant" and d["note_interaction"]>0'
call GET /api/v1/contacts/25 -H "$V"
ok "nothing deleted: the value and purchases stay" \
	json 'd["value"] is not None and any(i["kind"]=="note" and i["summary"]=="We part kindly" for i in d["interactions"])'
ok "audited" test "$(sql "SELECT count(*) FROM audit WHERE action = 'value letgo' AND ok = 1")" = 1
finish
