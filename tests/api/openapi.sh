# The served OpenAPI document: valid OpenAPI 3.1 by the official schema
# (tests/openapi, an npm package), unique operationIds, every documented
# route served, and a broken copy rejected so the check itself can fail.
CHECKER=$(cd "$(dirname "$0")/../openapi" && pwd)
. "$(dirname "$0")/lib.sh"
"$R" init >/dev/null
printf 'password-of-owner\n' | "$R" user add owner --role owner >/dev/null
serve

call GET /api/v1/openapi.json
ok "the document is served without credentials" test "$status" = 200
ok "as JSON" grep -qi '^content-type: application/json' <<<"$hdr"
printf '%s' "$out" >openapi.json
doc=$out

# The validator and its dependencies, exactly as package-lock.json pins them.
have_node() { command -v node >/dev/null && command -v npm >/dev/null; }
ok "node and npm are installed" have_node
if have_node && { [ ! -f "$CHECKER/node_modules/.package-lock.json" ] ||
	[ "$CHECKER/package-lock.json" -nt "$CHECKER/node_modules/.package-lock.json" ]; }; then
	(cd "$CHECKER" && npm ci --no-audit --no-fund) >npm.log 2>&1 || cat npm.log
fi
validate() { run node "$CHECKER/validate.mjs" "$@"; }
rejected() { [ "$rc" = 1 ] && has "$out" ": invalid ("; }

validate openapi.json 3.1
ok "the validator accepts it as OpenAPI 3.1" test "$rc" = 0
[ "$rc" = 0 ] || echo "$out"

out=$doc
ok "every path has operations, each with an operationId, all different" json '
(lambda ops: len(d["paths"]) > 0
	and all(any(m in item for m in ("get","put","post","delete","patch")) for item in d["paths"].values())
	and all(isinstance(o.get("operationId"), str) and o["operationId"] for o in ops)
	and len({o["operationId"] for o in ops}) == len(ops))(
	[o for item in d["paths"].values() for m, o in item.items() if m in ("get","put","post","delete","patch")])'
ok "the routes of the docs are there" json 'all(p in d["paths"] for p in
	("/api/v1/session", "/api/v1/agenda", "/api/v1/contacts", "/api/v1/contacts/{contact}",
	 "/api/v1/contacts/{contact}/interactions", "/api/v1/search", "/api/v1/users", "/api/v1/tokens", "/api/v1/audit"))'

# Every documented operation is a route of the server: without credentials,
# one that needs a role answers 401 (not 404 or 405).
out=$(python3 - "$BASE" <<'EOF'
import json, re, sys, urllib.error, urllib.request
base = sys.argv[1]
d = json.load(open("openapi.json"))
for path, item in d["paths"].items():
	for method, o in item.items():
		if method not in ("get", "put", "post", "delete", "patch") or o.get("security") == []:
			continue
		url = base + re.sub(r"\{[^}]*\}", "1", path)
		req = urllib.request.Request(url, method=method.upper())
		try:
			urllib.request.urlopen(req, timeout=10)
			status = 200
		except urllib.error.HTTPError as e:
			status = e.code
		if status != 401:
			print(f"{method.upper()} {path}: {status}")
EOF
)
ok "every operation that needs a role is routed and asks for credentials" test -z "$out"

# Broken copies must be rejected, with the reason printed.
python3 -c '
import json
d = json.load(open("openapi.json"))
d["paths"] = 5
json.dump(d, open("broken-paths.json", "w"))
d = json.load(open("openapi.json"))
op = d["paths"]["/api/v1/contacts/{contact}"]["get"]
op["parameters"][0]["schema"]["type"] = "strng"
json.dump(d, open("broken-schema.json", "w"))
d = json.load(open("openapi.json"))
d["paths"]["/api/v1/agenda"]["get"]["operationId"] = d["paths"]["/api/v1/contacts"]["get"]["operationId"]
json.dump(d, open("broken-ids.json", "w"))
'
validate broken-paths.json 3.1
ok "paths set to a number is rejected" rejected
ok "and the validator says where" has "$out" "/paths"
validate broken-schema.json 3.1
ok "a Schema Object with an unknown type is rejected" rejected
ok "naming it" has "$out" "/parameters/0/schema/type"
validate broken-ids.json 3.1
ok "a repeated operationId is rejected" rejected
validate openapi.json 3.0
ok "and 3.1 is not taken for 3.0" rejected
finish
