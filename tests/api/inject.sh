# SQL injection on every parameter: every operation of the OpenAPI document
# the server serves, every path, query and JSON body parameter, each of a
# dozen payloads, with an owner's token so that authorisation lets the
# payload through to the store.  No answer may be a 5xx (a payload that
# reached the SQL parser as text would break the statement), none may hold
# a planted secret (password hash, token, token hashes, session, CSRF and
# feed tokens, a webhook secret), and afterwards every table is still
# there, the tables no probe can write have as many rows as before, the
# planted secrets are as they were, and the store is sound.  Payloads a
# write legitimately keeps must read back byte for byte.  PROBE_DEBUG=1
# prints why each probe of the first payload was refused (400).
. "$(dirname "$0")/lib.sh"
export RAPPORT_TODAY=2026-11-23
"$R" init >/dev/null
printf 'password-of-owner\n' | "$R" user add owner --role owner >/dev/null
"$R" token create owner --label probes >token.owner
# The sentinels: a user whose password and tokens no answer may show.
SENTINEL_PW="sentinel-pw-$RANDOM$RANDOM-Zq"
printf '%s\n' "$SENTINEL_PW" | "$R" user add sentinel --role staff >/dev/null
printf 'password-of-probe\n' | "$R" user add probe --role viewer >/dev/null
"$R" token create sentinel --label sentinel >token.sentinel
RAPPORT_USER=sentinel "$R" feed url | sed -n 's,.*/feed/,,p' >feed.sentinel
WEBHOOK_SECRET="whsec-$RANDOM$RANDOM-sentinel"
printf '%s\n' "$WEBHOOK_SECRET" | "$R" webhook add https://hooks.example.org/rapport --events story.recorded --secret >/dev/null
# Something for the benign arguments to name: contacts 1 and 2, a fact, a
# story, a lesson, a complaint, an interaction, a community.
"$R" contact add "Anna Ivanova" --email anna@example.org --tag vip --owner owner >/dev/null
"$R" contact add "Boris Petrov" --phone +79161234567 >/dev/null
"$R" fact add 1 "knee surgery" --follow-up 2026-12-01 >/dev/null
"$R" story add 1 --kind interaction --tone negative "nobody noticed me at the reception" >/dev/null
"$R" lesson add 1 "greet everyone at the door" --owner owner >/dev/null
"$R" log 1 "called about the surgery" --kind call --direction in >/dev/null
"$R" complaint open 1 "waited an hour" >/dev/null
"$R" community add "Book club" >/dev/null
"$R" config set public.url https://crm.example.org >/dev/null
"$R" config set smtp.url smtp://127.0.0.1:9 >/dev/null
"$R" profile preset atelier >/dev/null
serve
call POST /api/v1/session -H 'Content-Type: application/json' \
	-d "{\"login\":\"sentinel\",\"password\":\"$SENTINEL_PW\"}"
ok "the sentinel logs in" test "$status" = 200
sed -n 's/^[Ss]et-[Cc]ookie: rapport_session=\([0-9a-f]*\);.*/\1/p' <<<"$hdr" >session.sentinel
python3 -c 'import json,sys; print(json.load(sys.stdin)["csrf"])' <<<"$out" >csrf.sentinel
ok "a session cookie and a CSRF token" test -s session.sentinel -a -s csrf.sentinel

# The secrets as the store has them, and the tables with their row counts.
if [ "$ENGINE" = pg ]; then
	tables() { sql "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() ORDER BY 1"; }
	plain() { tables; }
else
	tables() { sql "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY 1"; }
	# the search indexes' tables use rapport's own tokenizer, which sqlite3 lacks
	plain() { sql "SELECT name FROM sqlite_master WHERE type = 'table' AND sql NOT LIKE 'CREATE VIRTUAL%' ORDER BY 1"; }
fi
counts() { for t in $(plain); do echo "$t $(sql "SELECT count(*) FROM \"$t\"")"; done; }
planted() {
	sql "SELECT password_hash FROM account WHERE login = 'sentinel'"
	sql "SELECT token_hash || ' ' || coalesce(revoked_at, 0) FROM api_token WHERE label = 'sentinel'"
	sql "SELECT token_hash || ' ' || csrf FROM session"
	sql "SELECT token_hash FROM feed_token"
	sql "SELECT secret FROM webhook WHERE url = 'https://hooks.example.org/rapport'"
}
tables >tables.before
counts >counts.before
planted >planted.before
{
	echo "$SENTINEL_PW"
	echo "$WEBHOOK_SECRET"
	cat token.sentinel session.sentinel csrf.sentinel feed.sentinel
	planted | tr ' ' '\n' | grep -v '^0$'
} | grep -v '^$' >sentinels
ok "the sentinels are planted (password, its hash, token, session, CSRF, feed, webhook, hashes)" \
	test "$(wc -l <sentinels)" -ge 9

curl -s "$BASE/api/v1/openapi.json" >openapi.json
python3 - "$BASE" "$(cat token.owner)" >probes.txt <<'PY'
import http.client, json, os, sys, urllib.parse
base, token = sys.argv[1], sys.argv[2]
host = urllib.parse.urlsplit(base).netloc
spec = json.load(open("openapi.json"))
sentinels = [s for s in open("sentinels").read().split("\n") if s]
PAYLOADS = [
    "' OR '1'='1",
    "1 OR 1=1",
    "1; DROP TABLE contact; --",
    "' UNION SELECT login, password_hash FROM account --",
    "' UNION SELECT token_hash, label FROM api_token WHERE '1'='1",
    "\"); DELETE FROM session; --",
    "%27%20OR%201%3D1",
    "a\x00b",
    "\\' OR 1=1 --",
    "$1",
    "?",
    "%_%' --",
    "x" * 6000,
    b"\xff\xfe' OR 1=1",  # not UTF-8: refused before any statement
]
# Benign values for the other arguments, so that the payload is not
# refused for a missing or malformed neighbour before it reaches the store.
BENIGN = {
    "contact": "1", "other": "2", "keep": "1", "community": "1", "a": "1", "b": "2",
    "fact": 1, "story": 1, "lesson": 1, "complaint": 1, "interaction": 1,
    "id": 999999, "merge": 999999, "request": 999999, "webhook": 999999,
    "login": "probe", "role": "viewer", "password": "a-password-long-enough",
    "kind": "interaction", "tone": "neutral", "channel": "email", "purpose": "news",
    "date": "1990-06-01", "on": "2026-11-20", "since": "2026-01-01", "until": "2026-12-31",
    "from": "2026-01-01", "to": "2026-12-31", "at": "2026-11-20T10:00", "follow_up": "2026-12-01",
    "birthday": "1980-11-23", "tier": "regular", "address": "vy", "what": "contacts",
    "direction": "in", "url": "https://hooks.example.org/other", "events": "all",
    "key": "merge.undo_days", "value": "30", "method": "lexicon", "status": "started",
    "act": "cooperate", "by": "month", "email": "probe@example.org", "phone": "+79160000000",
    "text": "a text", "name": "Probe", "title": "a title", "query": "anna", "how": "form",
    "amount": "100", "currency": "RUB", "cost": "100", "by": "client", "state": "queued",
    "policy": "tft", "segment": "tier:close", "rm_email": "anna@example.org", "rm_phone": "+79161234567",
    "rm_tag": "vip", "secret": "a-secret-long-enough-16", "size": 10, "stage": "yes", "dimension": "price", "preset": "atelier", "version": "4.0",
}
# Where one operation's argument takes other values than another's.
OVERRIDES = {
    ("/dates", "kind"): "anniversary", ("/stage", "to"): "yes", ("/communities/", "role"): "member",
    ("/lessons", "status"): "open", ("/lessons/{lesson}", "status"): "doing", ("/coverage", "by"): "month",
    ("/export/", "what"): "vcard", ("/interactions", "kind"): "call", ("/stories/report", "by"): "month", ("/users", "role"): "viewer",
}
def benign(name, typ, path):
    for (where, n), v in OVERRIDES.items():
        if n == name and where in path and not (where == "/lessons" and "{lesson}" in path):
            return v
    if name in BENIGN:
        v = BENIGN[name]
        if typ in ("integer", "number") and not isinstance(v, int):
            return 1
        return [v] if typ == "array" else v
    return {"integer": 1, "number": 1, "boolean": False, "array": ["x"], "object": {}}.get(typ, "x")
def as_text(v):
    return v.decode("latin-1") if isinstance(v, bytes) else v
def quote(v):
    return urllib.parse.quote(v if isinstance(v, bytes) else v.encode(), safe="")

conn = http.client.HTTPConnection(host, timeout=60)
def request(method, url, body, ctype):
    global conn
    headers = {"Authorization": "Bearer " + token}
    if body is not None:
        headers["Content-Type"] = ctype
    for attempt in range(2):
        try:
            conn.request(method, url, body=body, headers=headers)
            r = conn.getresponse()
            return r.status, r.read()
        except (http.client.HTTPException, OSError):
            conn.close()
            conn = http.client.HTTPConnection(host, timeout=60)
    return 0, b""

probes = routes = reached = 0
fails = []
# Removals last, so that the contacts the others name are there for them.
ops = sorted(((p, m, op) for p, item in spec["paths"].items() for m, op in item.items()),
             key=lambda x: (x[1] == "delete", x[0], x[1]))
for path, method, op in ops:
    params = [(q["name"], q["in"], q["schema"].get("type")) for q in op.get("parameters", [])]
    content = (op.get("requestBody") or {}).get("content", {})
    ctype = next((c for c in content if c == "application/json"), next(iter(content), None))
    schema = content.get(ctype, {}).get("schema", {}) if ctype else {}
    body_params = [(k, "body", v.get("type")) for k, v in schema.get("properties", {}).items()]
    every = params + body_params
    if not every:
        continue
    routes += 1
    for name, where, typ in every:
        for payload in PAYLOADS:
            vals = {n: (payload if n == name and w == where else benign(n, t, path)) for n, w, t in every}
            url = path
            query = []
            for n, w, t in params:
                v = vals[n]
                enc = quote(v if isinstance(v, (str, bytes)) else json.dumps(v) if not isinstance(v, bool) else str(v).lower())
                if w == "path":
                    url = url.replace("{%s}" % n, enc)
                elif n == name or t != "boolean":
                    query.append(n + "=" + enc)
            if query:
                url += "?" + "&".join(query)
            body = None
            if ctype:
                b = {n: vals[n] for n, w, t in body_params}
                if isinstance(b.get(name), bytes) or (isinstance(payload, bytes) and where == "body"):
                    raw = json.dumps({k: ("@@" if k == name else v) for k, v in b.items()}).encode()
                    body = raw.replace(b'"@@"', b'"' + payload + b'"')
                elif ctype == "application/json":
                    if where == "body":
                        if typ == "array":
                            b[name] = [payload]
                        elif typ == "object":
                            b[name] = {"q": payload}
                    body = json.dumps(b).encode()
                else:
                    body = urllib.parse.urlencode({k: as_text(v) for k, v in b.items()}).encode()
            status, answer = request(method.upper(), url, body, ctype)
            probes += 1
            # past the arguments' checks: an answer, a conflict, or a lookup
            # that found nothing (404)
            if status not in (400, 413, 414, 415):
                reached += 1
            label = "%s %s %s=%r" % (method.upper(), path, name, as_text(payload)[:40])
            if status == 400 and os.environ.get("PROBE_DEBUG") and payload == PAYLOADS[0]:
                sys.stderr.write("400 %s %s\n" % (label, answer[:150].decode()))
            if status == 0 or status >= 500:
                fails.append("FAIL %s: status %d %s" % (label, status, answer[:200].decode("utf-8", "replace")))
            text = answer.decode("utf-8", "replace")
            for s in sentinels:
                if s in text:
                    fails.append("FAIL %s: the answer holds a planted secret (%s...)" % (label, s[:8]))
print("probes", probes, "routes", routes, "payloads", len(PAYLOADS), "reached", reached)
for f in fails:
    print(f)
PY
read -r _ probes _ routes _ npayloads _ reached <probes.txt
echo "$NAME: $probes probes over $routes operations with parameters, $npayloads payloads; $reached got past argument checks"
ok "every operation with parameters was probed ($routes)" test "$routes" -ge 90
ok "at least routes x payloads probes ($probes)" test "$probes" -ge $((routes * npayloads))
ok "many probes reached the operation itself ($reached)" test "$reached" -ge $((probes / 4))
ok "no 5xx, no planted secret in any answer" test "$(grep -c '^FAIL' probes.txt)" = 0
grep '^FAIL' probes.txt | head -20

call GET /api/v1/session -H "Authorization: Bearer $(cat token.owner)"
ok "the server still answers" test "$status" = 200
ok "every table is still there" cmp -s tables.before <(tables)
counts >counts.after
for t in account session feed_token schema_version; do
	if grep -q "^$t " counts.before; then
		ok "$t has as many rows as before" test "$(grep "^$t " counts.before)" = "$(grep "^$t " counts.after)"
	fi
done
ok "the planted secrets are as they were" cmp -s planted.before <(planted)
if [ "$ENGINE" = sqlite ]; then
	ok "integrity_check" test "$(sql 'PRAGMA integrity_check')" = ok
fi

# A payload that a write keeps is kept as it came, byte for byte.
TOKEN=$(cat token.owner)
python3 - "$BASE" "$TOKEN" >verbatim.txt <<'PY'
import json, sys, urllib.request
base, token = sys.argv[1], sys.argv[2]
def call(method, path, body=None):
    req = urllib.request.Request(base + path, method=method, data=json.dumps(body).encode() if body else None)
    req.add_header("Authorization", "Bearer " + token)
    req.add_header("Content-Type", "application/json")
    with urllib.request.urlopen(req) as r:
        return json.load(r)
for p in ["' OR '1'='1 verbatim", "1; DROP TABLE contact; -- verbatim", "\"); DELETE FROM session; -- v",
          "\\' OR 1=1 -- verbatim", "$1 ? %_% verbatim"]:
    made = call("POST", "/api/v1/contacts", {"name": p, "note": p})
    cid = made.get("id") or made.get("contact", {}).get("id")
    got = call("GET", "/api/v1/contacts/%d" % cid)
    c = got.get("contact", got)
    print("ok" if c.get("name") == p and c.get("note") == p else "FAIL", repr(p), repr(c.get("name")), repr(c.get("note")))
PY
ok "payloads were stored (5 contacts)" test "$(grep -c . verbatim.txt)" = 5
while read -r verdict rest; do
	ok "kept verbatim: $rest" test "$verdict" = ok
done <verbatim.txt
finish
