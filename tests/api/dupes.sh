# Duplicates and merges over HTTP: find, dismiss, merge, undo, and who may.
. "$(dirname "$0")/lib.sh"
"$R" init >/dev/null
for who in viewer staff manager; do
	printf 'password-of-%s\n' "$who" | "$R" user add "$who" --role "$who" >/dev/null
	"$R" token create "$who" >"token.$who"
done
"$R" contact add "Анна Петровна Иванова" --email anna@example.org >/dev/null
"$R" contact add "Иванова Анна" --phone "+79161234567" >/dev/null
"$R" contact add "John Smith" >/dev/null
"$R" contact add "Smith John" >/dev/null
"$R" log 2 --kind call "Asked about the fitting" >/dev/null
serve
V=$(auth "$(cat token.viewer)") S=$(auth "$(cat token.staff)") M=$(auth "$(cat token.manager)")
J='Content-Type: application/json'

call GET /api/v1/dupes -H "$V"
ok "GET /dupes: both pairs, with reasons" \
	json 'sorted((p["a"]["id"],p["b"]["id"]) for p in d["pairs"])==[(1,2),(3,4)] and all(p["reasons"] for p in d["pairs"])'
call POST /api/v1/dupes/dismiss -H "$V" -H "$J" -d '{"contact": "3", "other": "4"}'
ok "a viewer may not dismiss" test "$status" = 403
call POST /api/v1/dupes/dismiss -H "$S" -H "$J" -d '{"contact": "3", "other": "4"}'
ok "staff dismiss a pair" test "$status" = 200
call GET /api/v1/dupes -H "$V"
ok "a dismissed pair is not shown again" json '[(p["a"]["id"],p["b"]["id"]) for p in d["pairs"]]==[(1,2)]'

call POST /api/v1/merges -H "$S" -H "$J" -d '{"keep": "1", "other": "2"}'
ok "staff may not merge" test "$status" = 403
call POST /api/v1/merges -H "$M" -H "$J" -d '{"keep": "1", "other": "2"}'
ok "a manager merges" test "$status" = 200
ok "answering the kept card and the undo id" json 'd["id"]==1 and d["merged"]==2 and d["merge_id"]>0'
mid=$(printf '%s' "$out" | python3 -c 'import json,sys; print(json.load(sys.stdin)["merge_id"])')
call GET /api/v1/contacts/2 -H "$V"
ok "the duplicate is gone" test "$status" = 404
call GET /api/v1/merges -H "$V"
ok "GET /merges lists it, undoable" json 'd["merges"][0]["id"]=='"$mid"' and d["merges"][0]["undoable"]==True'
call POST "/api/v1/merges/$mid/undo" -H "$M"
ok "undo" test "$status" = 200
call GET /api/v1/contacts/2 -H "$V"
ok "the duplicate is back, with its call" json 'd["name"]=="Иванова Анна" and any(i["summary"]=="Asked about the fitting" for i in d["interactions"])'
call POST "/api/v1/merges/$mid/undo" -H "$M"
ok "undo twice is a conflict" test "$status" = 409
call POST /api/v1/merges/999/undo -H "$M"
ok "an unknown merge is 404" test "$status" = 404
finish
