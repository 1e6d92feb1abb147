# Secrets never reach a log: passwords (right, wrong, changed), API tokens,
# session ids, CSRF tokens, calendar feed tokens, the tokens of
# confirmation and withdrawal links, webhook secrets and the password of a
# PostgreSQL URL are used the ways they are meant to be, then looked for,
# as they are and URL-encoded, in everything rapport writes: the server's
# standard output and error, what the commands print besides the secret
# they were asked for, the audit log, /metrics, and the store itself
# (which keeps hashes only; a webhook's signing secret is the one secret it
# must keep, and a session's CSRF token is kept with it so that
# GET /api/v1/session can give it again; it proves nothing without the
# session cookie, which is kept hashed: the store is not searched for these).  The server has no
# access log: nothing records a request's path or query.
. "$(dirname "$0")/lib.sh"
# Characters that URL encoding changes, so that both forms are looked for.
OWNER_PW="Owner pw/+&=%1!$RANDOM"
ANNA_PW="anna-first-pw-$RANDOM$RANDOM"
ANNA_NEW="anna new pw+$RANDOM$RANDOM"
ANNA_OWN="anna's own choice $RANDOM$RANDOM"
WRONG_PW="wrong-guess-$RANDOM$RANDOM"
GHOST_PW="ghost-pw-$RANDOM$RANDOM"
WH_CLI="webhook-secret-cli-$RANDOM$RANDOM"
WH_API="webhook-secret-api-$RANDOM$RANDOM"
FAKE_TOKEN=$(printf 'f%.0s' $(seq 64))
PG_PW="pg-pw-$RANDOM$RANDOM"
: >secrets
secret() { printf '%s\n' "$@" >>secrets; }
secret "$OWNER_PW" "$ANNA_PW" "$ANNA_NEW" "$ANNA_OWN" "$WRONG_PW" "$GHOST_PW" "$FAKE_TOKEN" "$PG_PW"
store_secret() { printf '%s\n' "$@" >>store_secrets; }
store_secret "$WH_CLI" "$WH_API"
# What commands print, but for the secret they are asked to show.
log() { "$@" >>cli.out 2>>cli.err; }

log "$R" init
printf '%s\n' "$OWNER_PW" | log "$R" user add owner --role owner
printf '%s\n' "$ANNA_PW" | log "$R" user add anna --role staff
TOKEN=$("$R" token create owner --label cli 2>>cli.err)
secret "$TOKEN"
printf '%s\n' "$WH_CLI" | log "$R" webhook add https://hooks.example.org/a --events contact.created --secret
log "$R" config set webhook.backoff_seconds 1
log "$R" contact add "Anna Ivanova" --email anna@example.org
mailserver
log "$R" config set smtp.url "smtp://127.0.0.1:$SMTP_PORT"
log "$R" config set public.url https://crm.example.org
log "$R" config set smtp.from "Shop <shop@example.org>"
serve

# Logging in: a right password, wrong ones, an unknown login.
login owner "$OWNER_PW"
ok "the owner logs in" test "$status" = 200
COOKIE=$cookie CSRF=$csrf
secret "$COOKIE"
store_secret "$CSRF"
for _ in 1 2 3; do
	login anna "$WRONG_PW"
done
ok "a wrong password: 401" test "$status" = 401
login ghost "$GHOST_PW"
ok "an unknown login: 401" test "$status" = 401
call POST /api/v1/session -H 'Content-Type: application/x-www-form-urlencoded' \
	--data-urlencode login=anna --data-urlencode "password=$WRONG_PW"
ok "a form-encoded login is refused, not logged" test "$status" != 200

# The session: reads, a write with the CSRF token, a token made with it.
with_cookie=(-b "rapport_session=$COOKIE" -H "X-CSRF-Token: $CSRF" -H 'Content-Type: application/json')
call GET /api/v1/session -b "rapport_session=$COOKIE"
ok "the cookie is the session" test "$status" = 200
call POST /api/v1/contacts "${with_cookie[@]}" -d '{"name":"Boris Petrov"}'
ok "a write with the cookie and the CSRF token" test "$status" = 200
call POST /api/v1/tokens "${with_cookie[@]}" -d '{"login":"anna","label":"scripts"}'
ok "a token made over the API" test "$status" = 200
ANNA_TOKEN=$(python3 -c 'import json, sys; print(json.load(sys.stdin)["token"])' <<<"$out")
secret "$ANNA_TOKEN"
call GET /api/v1/contacts -H "Authorization: Bearer $ANNA_TOKEN"
ok "and used" test "$status" = 200
call GET /api/v1/contacts -H "Authorization: Bearer $FAKE_TOKEN"
ok "a wrong token: 401" test "$status" = 401

# A new password, and a session with it that ends.
call PATCH /api/v1/users/anna "${with_cookie[@]}" -d "$(json_body password "$ANNA_NEW")"
ok "anna's password is changed" test "$status" = 200
login anna "$ANNA_NEW"
ok "anna logs in with it" test "$status" = 200
ANNA_COOKIE=$cookie ANNA_CSRF=$csrf
secret "$ANNA_COOKIE"
store_secret "$ANNA_CSRF"
call POST /api/v1/session/password -b "rapport_session=$ANNA_COOKIE" -H "X-CSRF-Token: $ANNA_CSRF" \
	-H 'Content-Type: application/json' -d "$(json_body current "$WRONG_PW" password "$ANNA_OWN")"
ok "a wrong current password does not change it" test "$status" = 403
call POST /api/v1/session/password -b "rapport_session=$ANNA_COOKIE" -H "X-CSRF-Token: $ANNA_CSRF" \
	-H 'Content-Type: application/json' -d "$(json_body current "$ANNA_NEW" password "$ANNA_OWN")"
ok "anna changes it herself" test "$status" = 200
call DELETE /api/v1/session -b "rapport_session=$ANNA_COOKIE" -H "X-CSRF-Token: $ANNA_CSRF"
ok "and logs out" test "$status" = 200
call GET /api/v1/session -b "rapport_session=$ANNA_COOKIE"
ok "the ended session is refused" test "$status" = 401

# A calendar feed: its token is in the path.
call POST /api/v1/feed "${with_cookie[@]}"
ok "a feed address" test "$status" = 200
FEED=$(python3 -c 'import json, sys; print(json.load(sys.stdin)["url"])' <<<"$out")
FEED_TOKEN=${FEED##*/feed/}
FEED_TOKEN=${FEED_TOKEN%.ics}
secret "$FEED_TOKEN"
call GET "/feed/$FEED_TOKEN.ics"
ok "the feed is read at its address" test "$status" = 200
call GET "/feed/$FAKE_TOKEN.ics"
ok "a wrong feed address: 404" test "$status" = 404

# Links in messages: a signup's confirmation, then the withdrawal link.
call POST /api/v1/public/signup -H 'Content-Type: application/json' \
	-d '{"email":"vera@example.org","purpose":"news","shown":"News? [Yes]"}'
ok "a signup" test "$status" = 200
m=$(lastmail)
CONFIRM=$(python3 -c "import json, re, sys; print(re.search(r'/confirm/([A-Za-z0-9_-]+)', json.loads(sys.argv[1])['body']).group(1))" "$m")
WITHDRAW=$(python3 -c "import json, sys; print(json.loads(sys.argv[1])['unsubscribe'].rsplit('/', 1)[1])" "$m")
secret "$CONFIRM" "$WITHDRAW"
call GET "/api/v1/public/confirm/$CONFIRM" -H 'Accept: text/html'
ok "the confirmation page" test "$status" = 200
call POST "/api/v1/public/confirm/$CONFIRM"
ok "confirmed" test "$status" = 200
call POST "/api/v1/public/confirm/$FAKE_TOKEN"
ok "a wrong confirmation link: 404" test "$status" = 404
call POST "/api/v1/public/withdraw/$WITHDRAW" -d 'List-Unsubscribe=One-Click'
ok "withdrawn by the link" test "$status" = 200
call GET "/api/v1/public/withdraw/$FAKE_TOKEN"
ok "a wrong withdrawal link: 404" test "$status" = 404

# A webhook's secret given over the API, and a delivery signed with it.
call POST /api/v1/webhooks "${with_cookie[@]}" -d "$(json_body url https://hooks.example.org/b events all secret "$WH_API")"
ok "a webhook with a secret" test "$status" = 200
call POST /api/v1/contacts -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' -d '{"name":"Clara"}'
sleep 1.5

# A PostgreSQL URL with a password: what the commands say of the store.
if [ "$ENGINE" = pg ]; then
	pgurl=$(sed "s,^postgres://\([^@]*\)@,postgres://\1:$PG_PW@," <<<"$RAPPORT_DB")
	log "$R" --db "$pgurl" contact list
	log "$R" --db "$pgurl" backup "$WORK/b.dump"
	log "$R" --db "$pgurl" init
	ok "the URL with a password works (the test server trusts)" grep -q Anna cli.out
fi
log "$R" --db "postgres://rapport:$PG_PW@127.0.0.1:1/nothing" contact list
log "$R" migrate-store --from "$RAPPORT_DB" --to "postgres://rapport:$PG_PW@127.0.0.1:1/nothing"
ok "a store that cannot be reached is named, without its password" grep -q 'postgres://rapport:\*\*\*@127.0.0.1:1' cli.err

curl -s "$BASE/metrics" >metrics.txt
ok "/metrics answers" grep -q '^rapport_' metrics.txt
kill "$SERVER"
wait "$SERVER" 2>/dev/null
sql "SELECT * FROM audit" >audit.txt
ok "the audit log has the logins, failed too" test "$(sql "SELECT count(*) FROM audit WHERE action = 'session create' AND ok = 0")" -ge 5
for action in "session create" "password change" "user set" "token create" "feed url" "confirm" "withdraw one-click" "webhook add" "session end"; do
	ok "the audit log has a $action" test "$(sql "SELECT count(*) FROM audit WHERE action = '$action'")" -ge 1
done
if [ "$ENGINE" = pg ]; then
	pg_dump --data-only "$RAPPORT_DB" >store.dump
else
	cat "$RAPPORT_DB"* >store.dump
fi

python3 - >found.txt <<'PY'
import urllib.parse
def forms(s):
    return {s, urllib.parse.quote(s, safe=""), urllib.parse.quote_plus(s), urllib.parse.quote(s)}
secrets = [s for s in open("secrets").read().split("\n") if s]
store_secrets = [s for s in open("store_secrets").read().split("\n") if s]
places = {p: open(p, "rb").read() for p in ["serve.out", "serve.err", "cli.out", "cli.err", "audit.txt", "metrics.txt"]}
store = open("store.dump", "rb").read()
checked = 0
for s in secrets + store_secrets:
    for f in forms(s):
        for p, text in places.items():
            checked += 1
            if f.encode() in text:
                print("FAIL", "%s...%s" % (s[:6], s[-4:]), "is in", p)
        if s in secrets:
            checked += 1
            if f.encode() in store:
                print("FAIL", "%s...%s" % (s[:6], s[-4:]), "is in the store")
print("checked", len(secrets) + len(store_secrets), checked)
PY
read -r _ nsecrets nchecks < <(grep '^checked' found.txt)
echo "$NAME: $nsecrets secrets, $nchecks looks"
ok "every kind of secret was made ($nsecrets)" test "$nsecrets" -ge 18
while read -r verdict rest; do
	ok "$rest" test "$verdict" != FAIL
done < <(grep '^FAIL' found.txt)
ok "no secret in a log, the audit, /metrics or the store" test "$(grep -c '^FAIL' found.txt)" = 0
finish
