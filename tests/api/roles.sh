# Every route of the table, from the OpenAPI document, with no credentials
# and with every role: 401 without, 403 below the route's role, and past
# authorisation (neither) at or above it.  The document must hold every
# method and path of src/ops/table.c; the pages outside the table (the web
# UI's files, /metrics) are checked apart.
TABLE=$(cd "$(dirname "$0")/../../src/ops" && pwd)/table.c
. "$(dirname "$0")/lib.sh"
"$R" init >/dev/null
for who in viewer staff manager owner; do
	printf 'password-of-%s\n' "$who" | "$R" user add "$who" --role "$who" >/dev/null
	"$R" token create "$who" >"token.$who"
done
serve
curl -s "$BASE/api/v1/openapi.json" >openapi.json
python3 - "$BASE" >walk.txt <<'PY'
import json, sys, urllib.request, urllib.error
base = sys.argv[1]
spec = json.load(open("openapi.json"))
rank = {"viewer": 0, "staff": 1, "manager": 2, "owner": 3}
tokens = {r: open("token." + r).read().strip() for r in rank}
for path, item in sorted(spec["paths"].items()):
    for method, op in sorted(item.items()):
        url = base + path.replace("{", "").replace("}", "")  # the names stand as values
        url = url.replace("/contact/", "/999999/").replace("/contacts/contact", "/contacts/999999")
        need = op["x-role"]
        def status(token):
            req = urllib.request.Request(url, method=method.upper(), data=b"{}" if method in ("post", "patch", "put") else None)
            req.add_header("Content-Type", "application/json")
            if token:
                req.add_header("Authorization", "Bearer " + token)
            try:
                return urllib.request.urlopen(req).status
            except urllib.error.HTTPError as e:
                return e.code
        s = status(None)
        if need == "anyone":
            print("ok" if s not in (401, 403) else "FAIL", method, path, "anonymous", s)
            continue
        print("ok" if s == 401 else "FAIL", method, path, "anonymous", s)
        for r, t in tokens.items():
            s = status(t)
            want = "forbidden" if rank[r] < rank[need] else "allowed"
            good = s == 403 if want == "forbidden" else s not in (401, 403)
            print("ok" if good else "FAIL", method, path, r, s)
PY
routes=$(grep -c anonymous walk.txt)
ok "the walk covered every route ($routes)" test "$routes" -ge 25
# The table's own rows with a route, read from its source, against the walk.
python3 - "$TABLE" >table.routes <<'PY'
import re, sys
for m, p in re.findall(r'"(GET|POST|PUT|PATCH|DELETE)",\s*"(/[^"]*)"', open(sys.argv[1]).read()):
    print(m.lower(), p)
PY
awk '$4 == "anonymous" {print $2, $3}' walk.txt | sort >walk.routes
ok "the table has as many routes as the walk ($(wc -l <table.routes))" test "$(wc -l <table.routes)" = "$routes"
ok "every method and path of the table was walked" cmp -s walk.routes <(sort table.routes)

# Outside the table: the web UI's files hold no data and are anyone's, for
# GET and HEAD only; HEAD on a route is its GET, authorised alike; a method
# a path does not take is 405 before any credentials are asked for.
for page in / /index.html /app.js; do
	call GET "$page"
	ok "the UI's $page is served to anyone" test "$status" = 200
	call POST "$page"
	ok "the UI's $page takes no POST" test "$status" = 405
done
call HEAD /api/v1/contacts
ok "HEAD of a route needs its credentials" test "$status" = 401
call HEAD /api/v1/contacts -H "$(auth "$(cat token.viewer)")"
ok "HEAD of a route with them" test "$status" = 200
call PUT /api/v1/contacts -H "$(auth "$(cat token.owner)")"
ok "a method the path does not take: 405" test "$status" = 405
call GET /api/v1/no-such-route -H "$(auth "$(cat token.owner)")"
ok "an unknown route: 404" test "$status" = 404
call GET /metrics
ok "/metrics answers this machine without credentials" test "$status" = 200
while read -r verdict rest; do
	ok "$rest" test "$verdict" = ok
done <walk.txt
finish
