# vCards and spreadsheets of people: written and read by python3-vobject (an
# implementation other than ours), Google and Outlook exports, upserts.
TESTS="$(cd "$(dirname "$0")/.." && pwd)"
. "$(dirname "$0")/lib.sh"
export RAPPORT_TODAY=2026-11-23
PY=/usr/bin/python3
VOB=$TESTS/vcard_vobject.py
DATA=$TESTS/data

# Every table's row count: a re-import must leave them all as they were
# (but the audit log, which records each import as it should).
counts() {
	local tables
	if [ "$ENGINE" = pg ]; then
		tables=$(sql "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() ORDER BY 1")
	else
		tables=$(sql "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND sql NOT LIKE 'CREATE VIRTUAL%' ORDER BY 1")
	fi
	for t in $tables; do
		[ "$t" = audit ] && continue
		printf '%s=%s ' "$t" "$(sql "SELECT count(*) FROM $t")"
	done
}

for v in 3.0 4.0; do
	RAPPORT_DB=$(newdb v${v%.0})
	"$R" init >/dev/null
	"$PY" "$VOB" write $v vobject-$v.vcf
	ok "vobject $v: its PHOTO is over 200 KB" test "$(wc -c <vobject-$v.vcf)" -gt 200000
	run "$R" import vcard vobject-$v.vcf
	ok "vobject $v: imported" test "$rc" = 0
	ok "vobject $v: two created" has "$out" "created 2, changed 0, 0 unchanged"
	ok "vobject $v: the PHOTO is counted as ignored" has "$out" "ignored: PHOTO x1"
	run "$R" contact show Иванова --json
	ok "vobject $v: FN, emails, phones in E.164 (8 (916) ... read as RU)" json 'd["name"]=="Анна Иванова" and d["emails"]==["anna@example.org","anna.ivanova@work.example"] and d["phones"]==["+79161234567","+74951234567"]'
	ok "vobject $v: ADR with escaped , and ; in the street" json 'd["postal"]==["ул. Тверская, 1; кв. 5, Москва, 125009, Россия"]'
	ok "vobject $v: NOTE unescaped (; , and a line break)" json 'd["note"]=="Любит зелёный чай; приходит по субботам,\nиногда с дочерью"'
	ok "vobject $v: BDAY and ANNIVERSARY" json 'd["birthday"]=="1985-04-15" and [x["date"] for x in d["dates"] if x["kind"]=="anniversary"]==["2010-06-20"]'
	ok "vobject $v: CATEGORIES are tags, ORG a fact" json 'd["tags"]==["vip","постоянные"] and [f["body"] for f in d["facts"]]==["Organisation: ООО Ромашка"]'
	ok "vobject $v: TYPE=HOME,CELL is the label" test "$(sql "SELECT label FROM contact_channel WHERE value = '+79161234567'")" = "home,cell"
	ok "vobject $v: EMAIL TYPE=WORK is the label" test "$(sql "SELECT label FROM contact_channel WHERE value = 'anna.ivanova@work.example'")" = "work"
	ok "vobject $v: UID is the external id" test "$(sql "SELECT xid FROM contact_xid ORDER BY xid" | tr '\n' ' ')" = "vcard:urn:uuid:1f0b6a62-anna vcard:urn:uuid:2c9d-petr "
	run "$R" contact show Сидоров --json
	ok "vobject $v: a birthday without a year" json 'd["birthday"]=="--04-15" and d["phones"]==["+79031112233"] and d["tags"]==["опт"]'
	if [ $v = 4.0 ]; then
		ok "vobject 4.0: RELATED naming a contact we have is a relation" json '[(r["kind"], r["contact"]["name"]) for r in d["relations"]]==[("friend","Анна Иванова")]'
	fi
	before=$(counts)
	run "$R" import vcard vobject-$v.vcf
	ok "vobject $v: a second import creates and changes nothing" has "$out" "created 0, changed 0, 2 unchanged"
	ok "vobject $v: every table as it was" test "$(counts)" = "$before"

	# Ours, read back by vobject: the same values as the store holds.
	run "$R" export vcard --version $v
	ok "export $v" test "$rc" = 0
	printf '%s\n' "$out" >ours-$v.vcf
	ok "export $v: CRLF lines, folded at 75 bytes" test "$(awk '{ if (length($0) > 76) n++ } END { print n + 0 }' ours-$v.vcf)" = 0
	"$PY" "$VOB" read ours-$v.vcf >read-$v.json
	out=$(cat read-$v.json)
	ok "vobject reads ours $v: version, UID, FN" json 'd[0]["version"]=="'$v'" and d[0]["uid"]=="urn:uuid:1f0b6a62-anna" and d[0]["fn"]=="Анна Иванова"'
	ok "vobject reads ours $v: TEL and EMAIL with their types" json 'd[0]["tel"]==[["+79161234567",["cell","home"]],["+74951234567",["work"]]] and d[0]["email"]==[["anna@example.org",["home"]],["anna.ivanova@work.example",["work"]]]'
	ok "vobject reads ours $v: ADR, NOTE, ORG, CATEGORIES" json 'd[0]["adr"]=="ул. Тверская, 1; кв. 5, Москва, 125009, Россия" and d[0]["adr_type"]==["home"] and d[0]["note"]=="Любит зелёный чай; приходит по субботам,\nиногда с дочерью" and d[0]["org"]==["ООО Ромашка"] and d[0]["categories"]==["vip","постоянные"]'
	if [ $v = 4.0 ]; then
		ok "vobject reads ours 4.0: BDAY, ANNIVERSARY, --MMDD, RELATED" json 'd[0]["bday"]=="19850415" and d[0]["anniversary"]=="20100620" and d[1]["bday"]=="--0415" and d[1]["related"]=="Анна Иванова"'
	else
		ok "vobject reads ours 3.0: BDAY, X-ANNIVERSARY, --MM-DD" json 'd[0]["bday"]=="1985-04-15" and d[0]["anniversary"]=="2010-06-20" and d[1]["bday"]=="--04-15"'
	fi
	# And ours back into rapport: the same people, nothing new.
	run "$R" import vcard ours-$v.vcf
	ok "our own $v export re-imported changes nothing" has "$out" "created 0, changed 0, 2 unchanged"
	ok "our own $v export: every table as it was" test "$(counts)" = "$before"
done

# One contact, by name.
run "$R" export vcard Сидоров
ok "export vcard CONTACT: one card" test "$(grep -c BEGIN:VCARD <<<"$out")" = 1
ok "export vcard CONTACT: that contact" has "$out" "FN:Пётр Сидоров"
run "$R" export vcard --version 2.1
ok "export --version 2.1 is refused" test "$rc" != 0
ok "saying which versions there are" has "$err" "3.0 or 4.0"

# A 2.1 card from an old phone: bare types, QUOTED-PRINTABLE in windows-1251
# with a soft line break, a folded PHOTO.
printf 'BEGIN:VCARD\r\nVERSION:2.1\r\nN;CHARSET=WINDOWS-1251;ENCODING=QUOTED-PRINTABLE:=CE=EB=E5=E3;=CE=F0=EB=EE=E2\r\nFN;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:=D0=9E=D0=BB=D0=B5=D0=B3 =D0=9E=D1=80=D0=BB=D0=BE=\r\n=D0=B2\r\nTEL;CELL;PREF:89261112233\r\nTEL;HOME:+7 (495) 222-33-44\r\nPHOTO;ENCODING=BASE64;TYPE=JPEG:\r\n /9j/4AAQSkZJRgABAQEASABIAAD\r\n /2wBDAAMCAgMCAgMDAwMEAwMEBQgFBQQEBQoHBwYIDAoMDAsKCwsNDhIQDQ4RDgsLEBYQERMU\r\n\r\nEND:VCARD\r\n' >old.vcf
run "$R" import vcard old.vcf
ok "a 2.1 card with QUOTED-PRINTABLE imports" test "$rc" = 0
run "$R" contact show Орлов --json
ok "QP with a soft line break is the name; bare CELL and HOME are labels" json 'd["name"]=="Олег Орлов" and d["phones"]==["+79261112233","+74952223344"]'
ok "bare 2.1 types: CELL,PREF read as cell" test "$(sql "SELECT label FROM contact_channel WHERE value = '+79261112233'")" = "cell"

# One bad card: nothing from the file, the line named.
n=$(sql "SELECT count(*) FROM contact")
printf 'BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Новый Человек\r\nEND:VCARD\r\nBEGIN:VCARD\r\nVERSION:3.0\r\nFN:Плохая Дата\r\nBDAY:15.04.1985\r\nEND:VCARD\r\n' >bad.vcf
run "$R" import vcard bad.vcf
ok "a bad card: exit 1" test "$rc" = 1
ok "a bad card: the line and the reason" has "$err" "line 8: BDAY \"15.04.1985\" is not a date"
ok "a bad card: nothing imported, not even the good card" test "$(sql "SELECT count(*) FROM contact")" = "$n"
printf 'BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Без Конца\r\n' >open.vcf
run "$R" import vcard open.vcf
ok "a card without END:VCARD is refused" has "$err" "line 1: the card begun here has no END:VCARD"
head -c 70000 /dev/zero | tr '\0' 'x' | sed 's/^/BEGIN:VCARD\nVERSION:3.0\nNOTE:/;s/$/\nEND:VCARD/' >long.vcf
run "$R" import vcard long.vcf
ok "a line over 64 KiB is refused, naming it" has "$err" "line 3: a line longer than 65536 bytes"
run "$R" import vcard bad.vcf --dry-run
ok "dry run of a bad file fails too" test "$rc" = 1

# An email of one contact and the UID of another: refused, both named.
printf 'BEGIN:VCARD\r\nVERSION:3.0\r\nUID:urn:uuid:2c9d-petr\r\nFN:Кто-то\r\nEMAIL:anna@example.org\r\nEND:VCARD\r\n' >two.vcf
run "$R" import vcard two.vcf
ok "a card matching two contacts is refused" test "$rc" = 1
ok "naming both" has "$err" "it matches two contacts"

# A different name and note from a file are kept out and reported.
printf 'BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Анечка\r\nEMAIL:ANNA@example.org\r\nNOTE:другая заметка\r\nTEL:+44 20 7946 0958\r\nEND:VCARD\r\n' >other.vcf
run "$R" import vcard other.vcf
ok "the same person by email (any case)" has "$out" "created 0, changed 1, 0 unchanged"
ok "the name kept, reported" has "$out" 'name: kept "Анна Иванова"; the file says "Анечка"'
ok "the note kept, reported" has "$out" 'note: kept'
run "$R" contact show Иванова --json
ok "the new phone was added, the name and note not overwritten" json '"+442079460958" in d["phones"] and d["name"]=="Анна Иванова" and d["note"].startswith("Любит")'

# ---- spreadsheets --------------------------------------------------------
RAPPORT_DB=$(newdb sheets)
"$R" init >/dev/null
run "$R" import csv "$DATA/google_contacts.csv" --dry-run
ok "google dry run: what would be created" has "$out" "would create 3, would change 0, 0 unchanged (csv, 3 rows)"
ok "google dry run: the lines" has "$out" "line 3: created #"
ok "google dry run: nothing written" test "$(sql "SELECT count(*) FROM contact")" = 0
run "$R" import csv "$DATA/google_contacts.csv" --json
ok "google: the layout read from the header" json 'd["layout"]=="google" and d["created"]==3 and "Gender" in d["ignored_columns"]'
run "$R" contact show Иванова --json
ok "google: two emails, two phones (8 (916)... as +7), labels" json 'd["emails"]==["anna.ivanova@example.ru","a.ivanova@romashka.example"] and d["phones"]==["+79161234567","+74951234567"]'
ok "google: Group Membership as tags without * myContacts; birthday; note; address" json 'd["tags"]==["vip","постоянные"] and d["birthday"]=="1985-04-15" and d["note"].startswith("Любит") and d["postal"]==["Москва, ул. Тверская, д. 1, кв. 5"]'
ok "google: * Home is the label home" test "$(sql "SELECT label FROM contact_channel WHERE value = 'anna.ivanova@example.ru'")" = home
run "$R" contact show Сидоров --json
ok "google: ' ::: ' separates several values in a cell" json 'd["emails"]==["petr@example.ru","p.sidorov@example.com"] and d["phones"]==["+79167654321","+79031112233"] and d["birthday"]=="--07-02"'
before=$(counts)
run "$R" import csv "$DATA/google_contacts.csv"
ok "google twice: no new contact" has "$out" "created 0, changed 0, 3 unchanged"
ok "google twice: every table as it was" test "$(counts)" = "$before"
run "$R" import csv "$DATA/outlook_contacts.csv" --json
ok "outlook: detected, two created" json 'd["layout"]=="outlook" and d["created"]==2'
run "$R" contact show Смирнова --json
ok "outlook: emails, phones, M/D/YYYY dates, categories, business address" json 'd["emails"]==["maria@smirnova.example","m.smirnova@example.ru"] and d["phones"]==["+78125551234","+79215556677"] and d["birthday"]=="1990-03-08" and d["tags"]==["vip","опт"] and d["postal"]==["Невский пр., 10, Санкт-Петербург, 191186, Россия"]'
run "$R" contact show Петров --json
ok "outlook: 0/0/00 is no birthday; Home Phone 8 (495)" json 'd["birthday"] is None and sorted(d["phones"])==["+74957654321","+79160001122"]'
before=$(counts)
run "$R" import csv "$DATA/outlook_contacts.csv" --layout outlook
ok "outlook twice: nothing new" has "$out" "created 0, changed 0, 2 unchanged"
ok "outlook twice: every table as it was" test "$(counts)" = "$before"

# --map: any other layout; a person already known by phone is updated.
printf 'ФИО,Почта,Телефон,Заметка\nИгорь Петров,igor.new@example.ru,+7 916 000 11 22,\nНина Белова,nina@example.ru,8 (926) 555-00-11,пришла по рекомендации\n' >mine.csv
run "$R" import csv mine.csv
ok "an unknown header without --map is refused" has "$err" "--map"
run "$R" import csv mine.csv --map "ФИО=name,Почта=email,Телефон=phone,Заметка=note" --dry-run
ok "--map dry run: one created, one changed" has "$out" "would create 1, would change 1, 0 unchanged"
run "$R" import csv mine.csv --map "ФИО=name,Почта=email,Телефон=phone,Заметка=note"
run "$R" contact show Петров --json
ok "--map: matched by phone, the new email added" json '"igor.new@example.ru" in d["emails"]'
run "$R" import csv mine.csv --map "ФИО=name,Почта=nonsense"
ok "--map with an unknown field is refused" has "$err" "is not a field"
run "$R" import csv mine.csv --layout excel
ok "an unknown layout is refused" has "$err" "google, outlook or rapport"

# Phones: the region setting; an unknown region is refused clearly.
run "$R" config set import.region XX
ok "an unknown region is refused" has "$err" "RU, GB, US, DE or FR"
"$R" config set import.region GB >/dev/null
printf 'name,phone\nJohn Smith,020 7946 0000\n' >gb.csv
run "$R" import csv gb.csv --layout rapport
run "$R" contact show Smith --json
ok "import.region GB: 020 ... is +4420..." json 'd["phones"]==["+442079460000"]'
printf 'name,phone\nJohn Bad,12\n' >badphone.csv
run "$R" import csv badphone.csv --layout rapport
ok "a phone that fits no rule makes the file bad" test "$rc" = 1
ok "saying why" has "$err" "is not a number of region GB"

finish
