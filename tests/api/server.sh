# The JSON API against a live server: accounts, sessions, CSRF, tokens,
# throttling, errors, the audit log, and the same JSON as the CLI.
. "$(dirname "$0")/lib.sh"
export RAPPORT_TODAY=2026-11-23
"$R" init >/dev/null
"$R" contact add "Анна Петровна Иванова" --birthday 1980-11-23 --tier close --email anna@example.org >/dev/null
for who in viewer staff manager owner; do
	printf 'password-of-%s\n' "$who" | "$R" user add "$who" --role "$who" >/dev/null
	eval "TOKEN_$who=\$(\"\$R\" token create $who --label tests)"
done
serve

# A second server cannot take the same port: it says so and stops.
run timeout 10 "$R" serve --listen "${BASE#http://}"
ok "a port in use is refused at once" test "$rc" = 1
ok "and the error says why" has "$err" "already in use"

call GET /api/v1/contacts/1
ok "no credentials: 401" test "$status" = 401
ok "errors are JSON with code and message" json 'd["error"]["code"]=="unauthenticated" and d["error"]["message"]'
call GET /api/v1/contacts/1 -H "$(auth "$TOKEN_viewer")"
ok "a viewer reads a contact" test "$status" = 200
"$R" contact show 1 --json >cli.json
ok "the same JSON as the command line" python3 -c "
import json, sys
a = json.loads(sys.argv[1]); b = json.load(open('cli.json'))
sys.exit(0 if a == b else 1)" "$out"
call GET /api/v1/contacts/1 -H "Authorization: Bearer nonsense-token-of-some-length"
ok "a wrong token: 401" test "$status" = 401
call POST /api/v1/contacts -H "$(auth "$TOKEN_viewer")" -H 'Content-Type: application/json' -d '{"name":"X"}'
ok "a viewer may not add: 403" test "$status" = 403
ok "and is told why" json '"staff" in d["error"]["message"]'
call POST /api/v1/contacts -H "$(auth "$TOKEN_staff")" -H 'Content-Type: application/json' -d '{"name":"Пётр Сёмин","tier":"close","email":["petr@example.org"]}'
ok "staff adds a contact" test "$status" = 200
ok "and gets the card" json 'd["name"]=="Пётр Сёмин" and d["emails"]==["petr@example.org"]'

# Bad requests write nothing.
count() { "$R" contact list --json | python3 -c 'import json,sys; print(len(json.load(sys.stdin)["contacts"]))'; }
before=$(count)
call POST /api/v1/contacts -H "$(auth "$TOKEN_staff")" -H 'Content-Type: application/json' -d '{"name": "broken"'
ok "malformed JSON: 400" test "$status" = 400
ok "says where" json '"malformed JSON" in d["error"]["message"]'
call POST /api/v1/contacts -H "$(auth "$TOKEN_staff")" -H 'Content-Type: application/json' -d '{"name":"X","tier":"best"}'
ok "a bad field: 400 naming it" test "$status" = 400 -a "$(json 'True' && echo y)" = y
ok "the field is named" json '"tier" in d["error"]["message"]'
call POST /api/v1/contacts -H "$(auth "$TOKEN_staff")" -H 'Content-Type: application/json' -d '{"name":"X","colour":"red"}'
ok "an unknown field: 400" test "$status" = 400
call POST /api/v1/contacts -H "$(auth "$TOKEN_staff")" -H 'Content-Type: text/plain' -d 'name=X'
ok "not JSON: 415" test "$status" = 415
head -c 2097152 /dev/zero | tr '\0' 'x' >big.json
call POST /api/v1/contacts -H "$(auth "$TOKEN_staff")" -H 'Content-Type: application/json' --data-binary @big.json
ok "a 2 MiB body: 413" test "$status" = 413
ok "413 is JSON too" json 'd["error"]["code"]=="too_large"'
ok "none of them wrote anything" test "$(count)" = "$before"
call GET /api/v1/nothing-here -H "$(auth "$TOKEN_owner")"
ok "an unknown route: 404" test "$status" = 404
call GET /api/v1/contacts/99999 -H "$(auth "$TOKEN_viewer")"
ok "an unknown contact: 404" test "$status" = 404
call POST /api/v1/users -H "$(auth "$TOKEN_owner")" -H 'Content-Type: application/json' -d '{"login":"staff","role":"staff","password":"another-password"}'
ok "a duplicate user: 409" test "$status" = 409
call GET /api/v1/search?query=%D0%B8%D0%B2%D0%B0%D0%BD%D0%BE%D0%B2%D0%B0 -H "$(auth "$TOKEN_viewer")"
ok "search through the query string" json 'd["hits"][0]["contact"]["id"]==1'
call GET "/api/v1/contacts?limit=many" -H "$(auth "$TOKEN_viewer")"
ok "a query value of the wrong type: 400" test "$status" = 400

# Sessions: cookie, CSRF, logout.
call POST /api/v1/session -H 'Content-Type: application/json' -d '{"login":"staff","password":"password-of-staff"}' -c jar
ok "log in" test "$status" = 200
ok "the cookie is HttpOnly and SameSite=Strict" grep -qi 'set-cookie: rapport_session=.*HttpOnly.*SameSite=Strict' <<<"$hdr"
ok "and not Secure over plain HTTP" bash -c "! grep -qi 'set-cookie:.*Secure' <<<\"\$1\"" _ "$hdr"
csrf=$(python3 -c 'import json,sys; print(json.loads(sys.argv[1])["csrf"])' "$out")
ok "the answer holds no session token" python3 -c "
import sys; sys.exit(0 if open('jar').read().split()[-1] not in sys.argv[1] else 1)" "$out"
call GET /api/v1/agenda -b jar
ok "the session reads" test "$status" = 200
call POST /api/v1/contacts/1/facts -b jar -H 'Content-Type: application/json' -d '{"text":"Операция на колене","follow_up":"2026-11-23"}'
ok "a write without the CSRF token: 403" test "$status" = 403
call POST /api/v1/contacts/1/facts -b jar -H "X-CSRF-Token: $csrf" -H 'Content-Type: application/json' -d '{"text":"Операция на колене","follow_up":"2026-11-23"}'
ok "with it: 200" test "$status" = 200
call GET /api/v1/session -b jar
ok "who am I" json 'd["login"]=="staff" and d["role"]=="staff"'
call DELETE /api/v1/session -b jar -H "X-CSRF-Token: $csrf"
ok "log out" test "$status" = 200
call GET /api/v1/agenda -b jar
ok "the session has ended: 401" test "$status" = 401

# Throttling: five wrong passwords, then 429 with Retry-After.
for _ in 1 2 3 4 5; do
	call POST /api/v1/session -H 'Content-Type: application/json' -d '{"login":"manager","password":"wrong-wrong-wrong"}'
done
ok "a wrong password: 401" test "$status" = 401
call POST /api/v1/session -H 'Content-Type: application/json' -d '{"login":"manager","password":"password-of-manager"}'
ok "then even the right one: 429" test "$status" = 429
ok "with Retry-After" grep -qi '^retry-after: [0-9]' <<<"$hdr"

# Disabling a user ends their sessions and tokens.
call POST /api/v1/session -H 'Content-Type: application/json' -d '{"login":"viewer","password":"password-of-viewer"}' -c jar2
ok "viewer logs in" test "$status" = 200
"$R" user set viewer --disabled >/dev/null
call GET /api/v1/agenda -b jar2
ok "a disabled user's session: 401" test "$status" = 401
call GET /api/v1/agenda -H "$(auth "$TOKEN_viewer")"
ok "a disabled user's token: 401" test "$status" = 401

# The audit log: writes and logins, never a password.
call GET /api/v1/audit?limit=200 -H "$(auth "$TOKEN_owner")"
ok "the owner reads the audit log" test "$status" = 200
ok "it has the failed logins" json 'sum(1 for x in d["entries"] if x["action"]=="session create" and not x["ok"]) >= 5'
ok "and the fact added over HTTP" json 'any(x["action"]=="fact add" and x["actor"]=="staff" and x["ok"] and x["address"]=="127.0.0.1" for x in d["entries"])'
ok "and writes from the command line" json 'any(x["action"]=="user add" and x["address"]=="cli" for x in d["entries"])'
ok "but no password anywhere" bash -c "! grep -q 'password-of' <<<\"\$1\"" _ "$out"
call GET /api/v1/audit -H "$(auth "$TOKEN_manager")"
ok "a manager may not: 403" test "$status" = 403

# Answers to reads may come from a cache, but never a stale one.
call GET /api/v1/contacts/1 -H "$(auth "$TOKEN_owner")"
call GET /api/v1/contacts/1 -H "$(auth "$TOKEN_owner")"
ok "a read twice: the same answer" json 'd["id"]==1'
call POST /api/v1/contacts/1/interactions -H "$(auth "$TOKEN_staff")" -H 'Content-Type: application/json' -d '{"kind":"call","summary":"cache check one"}'
call GET /api/v1/contacts/1 -H "$(auth "$TOKEN_owner")"
ok "a write over HTTP shows at once" json 'any(i["summary"]=="cache check one" for i in d["interactions"])'
"$R" contact edit 1 --note "written by another process" >/dev/null
call GET /api/v1/contacts/1 -H "$(auth "$TOKEN_owner")"
ok "a write by another process shows at once" json 'd["note"]=="written by another process"'
"$R" token create manager >token.extra
call GET /api/v1/agenda -H "$(auth "$(cat token.extra)")"
ok "a new token works" test "$status" = 200
"$R" token revoke "$("$R" token list --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["tokens"][-1]["id"])')" >/dev/null
call GET /api/v1/agenda -H "$(auth "$(cat token.extra)")"
ok "a revoked token stops at once" test "$status" = 401

# Paths on the server's machine are for the command line only.
call GET "/api/v1/export/contacts?out=$WORK/written-by-http.csv" -H "$(auth "$TOKEN_manager")"
ok "export refuses a server path: 400" test "$status" = 400
ok "and wrote no file" test ! -e "$WORK/written-by-http.csv"
call GET /api/v1/export/contacts -H "$(auth "$TOKEN_manager")"
ok "export answers CSV" test "$status" = 200
ok "with the contacts" grep -q "Анна Петровна Иванова" <<<"$out"
call POST "/api/v1/import/contacts?file=/etc/passwd" -H "$(auth "$TOKEN_manager")" -H 'Content-Type: text/csv' --data-binary $'name\nX'
ok "import refuses a server path: 400" test "$status" = 400
call POST /api/v1/import/contacts -H "$(auth "$TOKEN_manager")" -H 'Content-Type: text/csv' --data-binary $'name,tier\nМария Соколова,close\n'
ok "import takes the CSV body" json 'd["imported"]==1'

# Prometheus metrics, from this machine.
call GET /metrics
ok "metrics: 200" test "$status" = 200
ok "requests by route and status" grep -q 'rapport_http_requests_total{route="contact show",status="200"} [1-9]' <<<"$out"
ok "the 401s are counted too" grep -q 'rapport_http_requests_total{route="contact show",status="401"} [1-9]' <<<"$out"
ok "a latency histogram" grep -q 'rapport_http_request_duration_seconds_bucket{route="contact show",le="+Inf"} [1-9]' <<<"$out"
ok "and time in the store" grep -q 'rapport_db_seconds_total{route="contact show"} 0\.0*[1-9]' <<<"$out"
ok "the heap in use" grep -q '^rapport_memory_heap_bytes [1-9][0-9]*$' <<<"$out"
heap=$(sed -n 's/^rapport_memory_heap_bytes //p' <<<"$out") store=$(sed -n 's/^rapport_memory_store_bytes //p' <<<"$out")
if [ "${RAPPORT_TEST_PG:-}" ]; then
	ok "no store caches in the server on PostgreSQL" test "$store" = 0
else
	ok "the SQLite connections' caches, a part of the heap" test "$store" -gt 0 -a "$store" -lt "$heap"
fi

# The OpenAPI document.
call GET /api/v1/openapi.json
ok "the OpenAPI document is public" test "$status" = 200
ok "it is OpenAPI 3.1 with the routes" json 'd["openapi"]=="3.1.0" and "/api/v1/contacts/{contact}" in d["paths"] and "get" in d["paths"]["/api/v1/agenda"]'
# An argument in both the path and the body (found by
# tests/fuzz/fuzz_request.c: the message once read the body's freed key).
call POST /api/v1/contacts/1/stage -H "$(auth "$TOKEN_owner")" -H 'Content-Type: application/json' -d '{"contact": "3"}'
ok "an argument given in the path and the body: 400" test "$status" = 400
ok "and the message names it" json '"argument \"contact\" is given twice" in d["error"]["message"]'
finish
