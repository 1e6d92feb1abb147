# CSV import and export: one transaction, line numbers, --skip-bad, round trips.
. "$(dirname "$0")/lib.sh"
export RAPPORT_TODAY=2026-11-23
"$R" init >/dev/null

cat >good.csv <<'CSV'
name,address,tier,owner,email,phone,birthday,tags,note
Анна Петровна Иванова,vy,close,anna,anna@example.org;anna.i@example.com,+79161234567,1980-11-23,vip;wedding,"Любит кофе,
без сахара"
John Smith,ty,regular,,john@example.com,,--04-15,,"Says ""hi"""
CSV
run "$R" import contacts good.csv
ok "import contacts" test "$rc" = 0
ok "import reports the count" has "$out" "imported 2 contacts"
run "$R" contact show Иванова --json
ok "several emails, tags and a quoted newline survive" json 'd["emails"]==["anna@example.org","anna.i@example.com"] and d["tags"]==["vip","wedding"] and d["note"]=="Любит кофе,\nбез сахара"'
run "$R" contact show Smith --json
ok "a birthday without a year and doubled quotes" json 'd["birthday"]=="--04-15" and d["note"]=="Says \"hi\""'

# A bad row: its line number (counting the quoted newline), and nothing imported.
cat >bad.csv <<'CSV'
name,tier,email,note
Мария Соколова,close,maria@example.org,"две
строки"
Пётр Сёмин,best,petr@example.org,
Олег Орлов,regular,not-an-email,
CSV
run "$R" import contacts bad.csv
ok "a bad file: exit 1" test "$rc" = 1
ok "a bad file: nothing on stdout" test -z "$out"
ok "the bad tier is named with its line" has "$err" 'line 4: tier "best"'
ok "the bad email is named with its line" has "$err" 'line 5: email "not-an-email"'
ok "says nothing was imported" has "$err" "nothing imported"
run "$R" contact list --json
ok "nothing was imported" json 'len(d["contacts"])==2'
run "$R" import contacts bad.csv --dry-run
ok "dry run of a bad file fails the same way" test "$rc" = 1
run "$R" import contacts bad.csv --skip-bad
ok "--skip-bad imports the good rows" test "$rc" = 0
ok "--skip-bad reports the skipped" has "$out" "skipped 2 bad rows"
run "$R" contact list --json
ok "one more contact" json 'len(d["contacts"])==3'

printf 'name,colour\nX,red\n' >unknown.csv
run "$R" import contacts unknown.csv
ok "an unknown column is refused" test "$rc" = 1
ok "and named" has "$err" 'unknown column "colour"'
printf '' >empty.csv
run "$R" import contacts empty.csv
ok "an empty file is refused" test "$rc" = 1
printf 'name\n"unterminated\n' >open.csv
run "$R" import contacts open.csv
ok "an open quote is refused" test "$rc" = 1 -a -z "$out"
run "$R" import contacts missing.csv
ok "a missing file is refused" test "$rc" = 1
ok "and named" has "$err" "missing.csv"
run "$R" import things good.csv
ok "importing an unknown kind is a usage error" test "$rc" = 2

# Interactions by contact id or email; last touch moves.
cat >int.csv <<'CSV'
contact_email,at,kind,direction,minutes,amount,currency,by,summary
anna@example.org,2026-10-01T10:00:00Z,purchase,in,30,4500.00,RUB,anna,Купила пальто
john@example.com,2026-10-02 11:00,call,out,5,,,sam,Asked about the fitting
CSV
run "$R" import interactions int.csv
ok "import interactions" test "$rc" = 0
run "$R" timeline Иванова --json
ok "the purchase keeps its money" json 'd["interactions"][0]["amount"]["minor"]==450000 and d["interactions"][0]["amount"]["currency"]=="RUB"'
run "$R" search пальто --json
ok "imported interactions are searchable" json 'len(d["hits"])==1'
run "$R" contact show Иванова --json
ok "last touch moved to the purchase" json 'd["last_touch_at"]=="2026-10-01T10:00:00Z"'
printf 'contact_id,at,kind,summary\n999,2026-10-01,call,x\n1,yesterday,call,y\n1,2026-10-01,dance,z\n' >badint.csv
run "$R" import interactions badint.csv
ok "bad interactions refused" test "$rc" = 1
ok "a missing contact is named" has "$err" "line 2: no contact has id 999"
ok "a bad time is named" has "$err" 'line 3: at "yesterday"'
ok "a bad kind is named" has "$err" 'line 4: kind "dance"'
run "$R" timeline 1 --json
ok "none of them was imported" json 'len(d["interactions"])==1'

# Round trip: export, import into a fresh store, export again: the same bytes.
run "$R" export contacts --out c1.csv
ok "export contacts" test "$rc" = 0 -a -s c1.csv
"$R" export interactions >i1.csv
"$R" --db fresh.db init >/dev/null
run "$R" --db fresh.db import contacts c1.csv
ok "re-import exported contacts" test "$rc" = 0
run "$R" --db fresh.db import interactions i1.csv
ok "re-import exported interactions" test "$rc" = 0
"$R" --db fresh.db export contacts >c2.csv
"$R" --db fresh.db export interactions >i2.csv
ok "contacts round trip byte for byte" cmp -s c1.csv c2.csv
ok "interactions round trip byte for byte" cmp -s i1.csv i2.csv
run "$R" --db fresh.db import interactions i1.csv
ok "importing the same interactions again is refused (ids exist)" test "$rc" = 1
ok "naming the duplicate id" has "$err" "already exists"

# Facts
printf 'contact_id,body,follow_up\n1,Операция на колене,2026-11-20\n2,Allergic to wool,\n' >facts.csv
run "$R" import facts facts.csv
ok "import facts" test "$rc" = 0
run "$R" agenda --json
ok "an imported follow-up is on the agenda" json 'any(r["kind"]=="follow_up" and r["overdue_days"]==3 for i in d["items"] for r in i["reasons"])'

# Piped: no progress bar, stdin works.
run bash -c "cat good.csv | '$R' --db pipe.db init >/dev/null && cat good.csv | '$R' --db pipe.db import contacts -"
ok "import from standard input" test "$rc" = 0 -a -z "$err"
finish
