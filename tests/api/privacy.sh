# Privacy over HTTP: an owner exports a person's data (GET) and erases them
# (DELETE, confirmed with yes=true); nobody below owner may; both audited by
# the contact's id only.
. "$(dirname "$0")/lib.sh"
"$R" init >/dev/null
"$R" contact add 'Зинаида Пржевальская' --email zinaida.przh@example.org --note 'Любит орхидеи' >/dev/null
"$R" contact add 'Евлампия Второва' --phone '+79165550000' >/dev/null
"$R" fact add Пржевальская 'Коллекционирует марки' >/dev/null
for who in manager owner; do
	printf 'password-of-%s\n' "$who" | "$R" user add "$who" --role "$who" >/dev/null
	eval "TOKEN_$who=\$(\"\$R\" token create $who)"
done
serve

call GET /api/v1/contacts/1/privacy -H "$(auth "$TOKEN_manager")"
ok "a manager may not export: 403" test "$status" = 403
call GET /api/v1/contacts/1/privacy -H "$(auth "$TOKEN_owner")"
ok "an owner exports" test "$status" = 200
ok "the whole document" json 'd["contact"]["name"] == "Зинаида Пржевальская" and len(d["facts"]) == 1 and d["channels"][0]["value"] == "zinaida.przh@example.org"'
"$R" privacy export 1 --json >cli.json
ok "the same document as the command line, but for the time" python3 -c "
import json, sys
a = json.loads(sys.argv[1]); b = json.load(open('cli.json'))
a.pop('exported_at'); b.pop('exported_at'); a.pop('audit'); b.pop('audit')
sys.exit(0 if a == b else 1)" "$out"
ok "the export is audited, by id" test "$(sql "SELECT target FROM audit WHERE action = 'privacy export' AND address <> 'cli' AND ok = 1")" = '{"contact":"1"}'

call DELETE /api/v1/contacts/1/privacy -H "$(auth "$TOKEN_manager")"
ok "a manager may not erase: 403" test "$status" = 403
call DELETE /api/v1/contacts/Пржевальская/privacy -H "$(auth "$TOKEN_owner")"
ok "erasing without confirmation: 400" test "$status" = 400
ok "saying how to confirm" json '"yes=true" in d["error"]["message"]'
ok "nothing was erased" test "$(sql "SELECT count(*) FROM contact WHERE id = 1")" = 1
call DELETE '/api/v1/contacts/1/privacy?yes=true' -H "$(auth "$TOKEN_owner")"
ok "an owner erases with yes=true" test "$status" = 200
ok "the answer counts what was done" json 'd["erased"] is True and d["id"] == 1 and d["suppressed"] == 1 and d["traces"]'
call GET /api/v1/contacts/1 -H "$(auth "$TOKEN_owner")"
ok "she is gone: 404" test "$status" = 404
call GET '/api/v1/search?query=орхидеи' -H "$(auth "$TOKEN_owner")"
ok "search does not find her" json 'd["hits"] == []'
ok "the erasure is audited, by id" \
	test "$(sql "SELECT target FROM audit WHERE action = 'privacy erase' AND ok = 1")" = '{"contact":"1","yes":true}'
ok "the audit log keeps no trace of her" test "$(sql "SELECT count(*) FROM audit WHERE target LIKE '%Пржевальская%'")" = 0
call POST /api/v1/contacts -H "$(auth "$TOKEN_owner")" -H 'Content-Type: application/json' \
	-d '{"name":"Зина","email":["Zinaida.Przh@example.org"]}'
ok "her address is refused: 409" test "$status" = 409
ok "saying why" json '"erased at their request" in d["error"]["message"]'
call POST /api/v1/contacts -H "$(auth "$TOKEN_owner")" -H 'Content-Type: application/json' \
	-d '{"name":"Зина","email":["Zinaida.Przh@example.org"],"unsuppress":true}'
ok "unless she asked to come back" test "$status" = 200

# The confirmation may also come in a JSON body.
call DELETE /api/v1/contacts/2/privacy -H "$(auth "$TOKEN_owner")" -H 'Content-Type: application/json' -d '{"yes":true}'
ok "yes in a JSON body confirms too" test "$status" = 200
finish
