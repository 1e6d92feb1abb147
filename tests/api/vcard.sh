# vCards and spreadsheets of people over HTTP: the media types, the report, the export.
DATA="$(cd "$(dirname "$0")/.." && pwd)/data"
. "$(dirname "$0")/lib.sh"
"$R" init >/dev/null
for who in viewer manager; do
	printf 'password-of-%s\n' "$who" | "$R" user add "$who" --role "$who" >/dev/null
	"$R" token create "$who" >"token.$who"
done
serve
M=$(auth "$(cat token.manager)") V=$(auth "$(cat token.viewer)")
CARD=$'BEGIN:VCARD\r\nVERSION:4.0\r\nUID:urn:uuid:42\r\nFN:Анна Иванова\r\nTEL;TYPE=cell:8 916 123 45 67\r\nBDAY:--0415\r\nEND:VCARD\r\n'

call POST /api/v1/import/vcard -H "$M" -H 'Content-Type: text/csv' --data-binary "$CARD"
ok "a vCard sent as CSV is refused" test "$status" = 415
call POST "/api/v1/import/vcard?dry_run=true" -H "$M" -H 'Content-Type: text/vcard' --data-binary "$CARD"
ok "dry run over HTTP" json 'd["created"]==1 and d["dry_run"] and d["lines"][0]["action"]=="created"'
call POST /api/v1/import/vcard -H "$V" -H 'Content-Type: text/vcard' --data-binary "$CARD"
ok "a viewer may not import" test "$status" = 403
call POST /api/v1/import/vcard -H "$M" -H 'Content-Type: text/vcard; charset=utf-8' --data-binary "$CARD"
ok "import vcard" json 'd["created"]==1 and d["cards"]==1'
call POST /api/v1/import/vcard -H "$M" -H 'Content-Type: text/x-vcard' --data-binary "$CARD"
ok "again: unchanged (text/x-vcard taken too)" json 'd["created"]==0 and d["unchanged"]==1'
call POST /api/v1/import/vcard -H "$M" -H 'Content-Type: text/vcard' --data-binary $'BEGIN:VCARD\r\nFN:x\r\n'
ok "a broken file is 400" test "$status" = 400
ok "naming the line" has "$out" "line 1: the card begun here has no END:VCARD"
call GET "/api/v1/export/vcard?version=4.0" -H "$M"
ok "export vcard" test "$status" = 200
ok "as text/vcard" has "$hdr" "text/vcard"
ok "the card" has "$out" "BDAY:--0415"
call GET "/api/v1/export/vcard?contact=Иванова" -H "$M"
ok "one contact's card, 3.0 by default" has "$out" "VERSION:3.0"
call POST "/api/v1/import/csv?layout=google" -H "$M" -H 'Content-Type: text/csv' --data-binary @"$DATA/google_contacts.csv"
ok "import csv (google) over HTTP: Анна matched by phone" json 'd["layout"]=="google" and d["created"]==2 and d["changed"]==1'
call POST "/api/v1/import/csv?map=ФИО%3Dname" -H "$M" -H 'Content-Type: text/csv' --data-binary $'ФИО\nНина\n'
ok "--map over HTTP" json 'd["layout"]=="map" and d["created"]==1'
finish
