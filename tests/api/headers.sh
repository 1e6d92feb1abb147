# Security headers on every kind of answer: the web UI (its assets), the
# server's own HTML pages, JSON answers and JSON errors.  A page must not be
# framed by another site (clickjacking), no answer may be sniffed into
# another type, and no address leaks in a Referer.
. "$(dirname "$0")/lib.sh"
export RAPPORT_TODAY=2026-11-23
"$R" init >/dev/null
printf 'password-of-owner\n' | "$R" user add owner --role owner >/dev/null
TOKEN=$("$R" token create owner --label tests)
serve

# header NAME: the value of header NAME in the last answer ("" when absent).
header() { printf '%s\n' "$hdr" | tr -d '\r' | sed -n "s/^$1: //Ip" | head -1; }
# The headers every answer carries.
common() {
	ok "$1: X-Content-Type-Options: nosniff" test "$(header X-Content-Type-Options)" = nosniff
	ok "$1: a Referrer-Policy" test "$(header Referrer-Policy)" = no-referrer
	ok "$1: a Content-Security-Policy that forbids framing" has "$(header Content-Security-Policy)" "frame-ancestors 'none'"
	ok "$1: no Strict-Transport-Security over plain HTTP" test -z "$(header Strict-Transport-Security)"
}

call GET /
ok "the UI's page is served" test "$status" = 200
common "the UI's page"
ok "the UI's policy lets its own scripts run, nothing else" has "$(header Content-Security-Policy)" "default-src 'self'"
ok "the UI's policy takes no <base> from anywhere" has "$(header Content-Security-Policy)" "base-uri 'none'"
call GET /app.js
ok "a script of the UI is served" test "$status" = 200
common "a script of the UI"
call GET /intake -H "Accept: text/html"
ok "the public form is an HTML page" has "$(header Content-Type)" text/html
common "the public form"
ok "the public form runs no script at all" has "$(header Content-Security-Policy)" "default-src 'none'"

call GET /api/v1/contacts -H "Authorization: Bearer $TOKEN"
ok "a JSON answer" test "$status" = 200
common "a JSON answer"
call GET /api/v1/contacts
ok "a JSON error (401)" test "$status" = 401
common "a JSON error"
ok "a JSON error is JSON" has "$(header Content-Type)" application/json
call GET /api/v1/contacts/12345 -H "Authorization: Bearer $TOKEN"
ok "a JSON error (404)" test "$status" = 404
common "a 404"
call POST /api/v1/contacts -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' -d '{"name":'
ok "a JSON error (400, malformed body)" test "$status" = 400
common "a 400"
call GET /no-such-page
ok "an unknown page (404)" test "$status" = 404
common "an unknown page"
finish
