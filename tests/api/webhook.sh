# Webhooks: signed deliveries from a durable queue, checked by a receiver of
# our own (tests/api/webhook_receiver.py, Python's hmac), and a delivery
# that survives the receiver being down for a minute.
#   WEBHOOK_OUTAGE=SECONDS shortens the outage for a quick run (default 60).
RECV=$(cd "$(dirname "$0")" && pwd)/webhook_receiver.py
. "$(dirname "$0")/lib.sh"
OUTAGE=${WEBHOOK_OUTAGE:-60}
SECRET=the-shared-secret-of-hook-one
"$R" init >/dev/null
"$R" config set webhook.private 1 >/dev/null
"$R" config set webhook.backoff_seconds 1 >/dev/null

# Registration: URLs and events are checked, a given secret is never echoed.
run "$R" webhook add ftp://example.org/x --events all
ok "only http and https" test "$rc" != 0 -a -n "$(has "$err" "http://" && echo y)"
run "$R" webhook add http://example.org/x --events contact.made
ok "an unknown event is named" has "$err" '"contact.made" is not an event'
run "$R" webhook add https://hook:pass-in-url@example.org/x --events all
ok "no user or password in the URL (they would be kept and shown in clear)" test "$rc" != 0 -a -n "$(has "$err" "user or password" && echo y)"
run sh -c "printf '%s\n' '$SECRET' | '$R' webhook add http://127.0.0.1:1/hook --events all --secret --json"
ok "webhook add with a secret" json 'd["id"]==1 and "secret" not in d and d["events"].count(",")==8'
run "$R" webhook add http://127.0.0.1:1/stories --events story.recorded --json
ok "a random secret is shown once" json 'd["id"]==2 and len(d["secret"])==64'
SECRET2=$(python3 -c 'import json,sys; print(json.load(sys.stdin)["secret"])' <<<"$out")
run "$R" webhook list --json
ok "the list never shows a secret" json '[w["id"] for w in d["webhooks"]]==[1,2] and "secret" not in d["webhooks"][0]'
ok "the store keeps no audit of the secret" test "$(sql "SELECT count(*) FROM audit WHERE target LIKE '%$SECRET%'")" = 0

# A private address is refused unless webhook.private is 1.
"$R" config set webhook.private 0 >/dev/null
"$R" contact add "Early Bird" >/dev/null
run "$R" webhook deliver --json
ok "loopback is refused by default" test "$(sql "SELECT count(*) FROM webhook_delivery WHERE last_error LIKE '%private network%'")" = 1
"$R" config set webhook.private 1 >/dev/null
sql "DELETE FROM webhook_delivery" >/dev/null

# The receiver, on a port of its own.
PORTF=$WORK/recv.port LOG=$WORK/recv.log
: >"$LOG"
start_receiver() {
	python3 "$RECV" "$PORTF" "$LOG" "$SECRET" "$SECRET2" &
	RECEIVER=$!
	for _ in $(seq 100); do [ -s "$PORTF" ] && curl -s -o /dev/null "http://127.0.0.1:$(cat "$PORTF")/" && return; sleep 0.05; done
}
start_receiver
PORT=$(cat "$PORTF")
sql "UPDATE webhook SET url = replace(url, '127.0.0.1:1/', '127.0.0.1:$PORT/')" >/dev/null
trap 'kill $RECEIVER 2>/dev/null; kill $SERVER 2>/dev/null; wait 2>/dev/null; cleanup' EXIT

# A rejected write queues nothing; a committed one queues one per webhook.
run "$R" contact add "Bad Tier" --tier nonsense
ok "a rejected write fails" test "$rc" != 0
ok "and queues nothing" test "$(sql "SELECT count(*) FROM webhook_delivery")" = 0
"$R" contact add "Anna Smith" --email anna@example.org >/dev/null
"$R" story add Anna --kind product "The app is slow" >/dev/null
ok "one delivery per webhook that asked" test "$(sql "SELECT count(*) FROM webhook_delivery")" = 3
run "$R" webhook deliver --json
ok "webhook deliver sends them" json 'd["delivered"]==3 and d["given_up"]==0'
deliveries() { python3 -c 'import json,sys; print(len([l for l in open(sys.argv[1]) if l.strip()]))' "$LOG"; }
ok "the receiver got three" test "$(deliveries)" = 3
out=$(cat "$LOG")
ok "every signature is valid, payloads are id/event/at/data" python3 -c '
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
assert all(r["valid"] and r["keys"] == ["at", "data", "event", "id"] for r in rows), rows
assert [(r["path"], r["event"]) for r in rows] == [("/hook", "contact.created"), ("/hook", "story.recorded"),
        ("/stories", "story.recorded")], rows
assert rows[0]["data"] == {"contact": 2} and rows[1]["data"]["kind"] == "product", rows' "$LOG"
run "$R" webhook log --json
ok "the log shows them delivered with the status code" json 'all(x["status"]=="delivered" and x["attempts"]==1 and x["last_code"]==200 for x in d["deliveries"])'
ok "no data names the person" test "$(sql "SELECT count(*) FROM webhook_delivery WHERE data LIKE '%Anna%' OR data LIKE '%example.org%'")" = 0

# A wrong secret is refused by the receiver, and retried.
sql "UPDATE webhook SET secret = 'not-the-secret-at-all!' WHERE id = 2" >/dev/null
"$R" story add Anna --kind life "Moved to the country" >/dev/null
"$R" webhook deliver >/dev/null
ok "a receiver that refuses the signature is retried" \
	test "$(sql "SELECT status || ' ' || attempts || ' ' || last_code FROM webhook_delivery WHERE webhook_id = 2 ORDER BY id DESC LIMIT 1")" = "pending 1 401"
"$R" webhook rm 2 >/dev/null
ok "webhook rm takes its queue too" test "$(sql "SELECT count(*) FROM webhook_delivery WHERE webhook_id = 2")" = 0
: >"$LOG"
sql "DELETE FROM webhook_delivery" >/dev/null

# The outage: the receiver goes down, events happen, the server's thread
# retries with backoff, the receiver comes back, and each arrives once.
kill "$RECEIVER"
wait "$RECEIVER" 2>/dev/null
serve
trap 'kill $RECEIVER 2>/dev/null; kill $SERVER 2>/dev/null; wait 2>/dev/null; cleanup' EXIT
down_at=$(date +%s)
"$R" contact add "Boris Petrov" >/dev/null
"$R" contact edit Boris --tier close >/dev/null
"$R" consent grant Boris --channel email --purpose news --evidence "said yes at the desk" >/dev/null
"$R" stage Boris --to dialogue --why "wrote back" >/dev/null
"$R" complaint open Boris "The parcel came late" >/dev/null
"$R" complaint answer 1 "Sorry, we sent it again" >/dev/null
"$R" story add Boris --kind interaction "They answered my letter in an hour" >/dev/null
"$R" lesson add 3 "Answer every letter within the hour" --owner tester >/dev/null
"$R" lesson done 1 --note "a rota for letters" >/dev/null
"$R" privacy erase Boris --yes >/dev/null
queued=$(sql "SELECT count(*) FROM webhook_delivery")
ok "every event is queued" test "$queued" = 10
sleep 5
run "$R" webhook log --json
ok "failures are logged with an error and a next try" \
	json 'all(x["status"]=="pending" for x in d["deliveries"]) and d["deliveries"][-1]["attempts"]>=2 and d["deliveries"][-1]["last_error"] and d["deliveries"][-1]["last_code"] is None and d["deliveries"][-1]["next_at"]'
ok "later deliveries wait behind the first (order)" \
	test "$(sql "SELECT count(*) FROM webhook_delivery WHERE attempts > 0")" = 1
ok "nothing arrived while it was down" test "$(deliveries)" = 0
sleep $((OUTAGE - ($(date +%s) - down_at)))
tries=$(sql "SELECT attempts FROM webhook_delivery ORDER BY id LIMIT 1")
ok "retried with backoff (doubling from 1 s: about log2 of the outage, not one a second)" \
	test "$tries" -ge 3 -a "$tries" -le 9
start_receiver
for _ in $(seq 200); do
	[ "$(sql "SELECT count(*) FROM webhook_delivery WHERE status = 'delivered'")" = "$queued" ] && break
	sleep 0.5
done
back=$(($(date +%s) - down_at))
ok "all delivered after the receiver came back ($back s after the outage began)" \
	test "$(sql "SELECT count(*) FROM webhook_delivery WHERE status = 'delivered'")" = "$queued"
out=$(cat "$LOG")
ok "each exactly once, in order, signed" python3 -c '
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
ids = [r["id"] for r in rows]
assert len(ids) == int(sys.argv[2]) and ids == sorted(set(ids)), ids
assert all(r["valid"] for r in rows)
events = [r["event"] for r in rows]
for ev in ["contact.created", "contact.updated", "consent.changed", "stage.moved", "complaint.opened",
           "complaint.answered", "story.recorded", "lesson.done", "contact.erased"]:
    assert ev in events, (ev, events)
assert events[-1] == "contact.erased" and rows[-1]["data"] == {"contact": 3}, rows[-1]' "$LOG" "$queued"
ok "the erased person is in no queued payload" test "$(sql "SELECT count(*) FROM webhook_delivery WHERE data LIKE '%Boris%'")" = 0
run "$R" webhook log --json
ok "the first one shows its attempts" json 'd["deliveries"][-1]["attempts"]>=4 and d["deliveries"][-1]["last_code"]==200'

# Over HTTP: owners only, and the secret reaches neither the answer nor the audit log.
printf 'password-of-boss\n' | "$R" user add boss --role owner >/dev/null
printf 'password-of-staff\n' | "$R" user add staff --role staff >/dev/null
call POST /api/v1/webhooks -H "$(auth "$("$R" token create staff)")" -H 'Content-Type: application/json' \
	-d '{"url": "https://hooks.example.org/x", "events": "lesson.done"}'
ok "a staff member may not add a webhook" test "$status" = 403
OWNER=$(auth "$("$R" token create boss)")
call POST /api/v1/webhooks -H "$OWNER" -H 'Content-Type: application/json' \
	-d '{"url": "https://hooks.example.org/x", "events": "lesson.done", "secret": "an-http-secret-of-ours"}'
ok "POST /api/v1/webhooks" json 'd["id"]>1 and d["events"]=="lesson.done" and "secret" not in d'
HOOK=$(python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])' <<<"$out")
ok "the secret is not in the audit log" test "$(sql "SELECT count(*) FROM audit WHERE target LIKE '%an-http-secret%'")" = 0
call GET "/api/v1/webhooks/log?webhook=1&limit=2" -H "$OWNER"
ok "GET /api/v1/webhooks/log" json 'len(d["deliveries"])==2 and all(x["webhook"]==1 for x in d["deliveries"])'
call DELETE "/api/v1/webhooks/$HOOK" -H "$OWNER"
ok "DELETE /api/v1/webhooks/ID" test "$status" = 200
finish
