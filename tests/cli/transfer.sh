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
FRESH=$(newdb fresh)
"$R" --db "$FRESH" init >/dev/null
run "$R" --db "$FRESH" import contacts c1.csv
ok "re-import exported contacts" test "$rc" = 0
run "$R" --db "$FRESH" import interactions i1.csv
ok "re-import exported interactions" test "$rc" = 0
"$R" --db "$FRESH" export contacts >c2.csv
"$R" --db "$FRESH" export interactions >i2.csv
ok "contacts round trip byte for byte" cmp -s c1.csv c2.csv
ok "interactions round trip byte for byte" cmp -s i1.csv i2.csv
run "$R" --db "$FRESH" import interactions i1.csv
ok "importing the same interactions again is refused (ids exist)" test "$rc" = 1
ok "naming the duplicate id" has "$err" "already exists"

# Facts
printf 'contact_id,body,follow_up\n1,Операция на колене,2026-11-20\n2,Allergic to wool,\n' >facts.csv
run "$R" import facts facts.csv
ok "import facts" test "$rc" = 0
run "$R" agenda --json
ok "an imported follow-up is on the agenda" json 'any(r["kind"]=="follow_up" and r["overdue_days"]==3 for i in d["items"] for r in i["reasons"])'

# Piped: no progress bar, stdin works.
PIPE=$(newdb pipe)
run bash -c "cat good.csv | '$R' --db '$PIPE' init >/dev/null && cat good.csv | '$R' --db '$PIPE' import contacts -"
ok "import from standard input" test "$rc" = 0 -a -z "$err"


# A larger import crosses many batches of the two-thread pipeline: problems
# from the reader and the writer come back in file order, good rows all go
# in with --skip-bad, and each contact's last touch is its latest interaction.
BIG=$(newdb big)
"$R" --db "$BIG" init >/dev/null
python3 - <<'PY'
import csv
with open("bigc.csv", "w", newline="") as f:
    w = csv.writer(f)
    w.writerow(["id", "name", "email", "tier"])
    for i in range(1, 301):
        w.writerow([i, f"Клиент Номер{i}", f"c{i}@example.org", "close"])
with open("bigi.csv", "w", newline="") as f:
    w = csv.writer(f)
    w.writerow(["contact_id", "contact_email", "at", "kind", "summary"])
    for line in range(2, 1002):
        c = (line * 7) % 300 + 1
        at = f"2026-{1 + line % 10:02d}-{1 + line % 28:02d}T10:00:00Z"
        if line == 10:
            w.writerow([c, "", at, "dance", "bad kind"])
        elif line == 500:
            w.writerow([9999, "", at, "call", "no such contact"])
        elif line == 999:
            w.writerow(["", "nobody@example.org", at, "call", "no such email"])
        elif line % 5 == 0:
            w.writerow(["", f"C{c}@EXAMPLE.org", at, "call", f"звонок {line}"])
        else:
            w.writerow([c, "", at, "visit", f"визит {line}"])
PY
run "$R" --db "$BIG" import contacts bigc.csv
ok "300 contacts in" has "$out" "imported 300 contacts"
run "$R" --db "$BIG" import interactions bigi.csv
ok "three bad rows stop the import" test "$rc" = 1 -a -z "$out"
ok "the first is named" has "$err" 'first: line 10: kind "dance"'
ok "the missing contact is named" has "$err" "line 500: no contact has id 9999"
ok "the unknown email is named" has "$err" 'line 999: no contact has the email "nobody@example.org"'
ok "in file order" python3 -c "
import re, sys
lines = [int(x) for x in re.findall(r'^  line (\d+):', sys.argv[1], re.M)]
sys.exit(0 if lines == [10, 500, 999] else 1)" "$err"
run "$R" --db "$BIG" timeline 1 --json
ok "nothing went in" json 'd["interactions"]==[]'
run "$R" --db "$BIG" import interactions bigi.csv --skip-bad
ok "--skip-bad imports the rest" has "$out" "imported 997 interactions; skipped 3 bad rows"
"$R" --db "$BIG" export interactions >bigout.csv
ok "997 rows exported" test "$(($(wc -l <bigout.csv) - 1))" = 997
ok "emails in any case found their contacts" grep -q "звонок 15" bigout.csv
run "$R" --db "$BIG" contact show 8 --json
ok "last touch is the latest interaction" python3 -c "
import csv, json, sys
rows = [r for r in csv.DictReader(open('bigout.csv')) if r['contact_id'] == '8']
card = json.loads(sys.argv[1])
sys.exit(0 if rows and card['last_touch_at'] == max(r['at'] for r in rows) else 1)" "$out"
printf 'contact_id,at,kind,summary\n8,2026-11-20T09:00:00Z,call,later call\n' >one.csv
run "$R" --db "$BIG" import interactions one.csv
ok "a small import into a full table" test "$rc" = 0
run "$R" --db "$BIG" contact show 8 --json
ok "moves that contact's last touch" json 'd["last_touch_at"]=="2026-11-20T09:00:00Z"'
run "$R" --db "$BIG" search "later" --json
ok "and is searchable" json 'len(d["hits"])==1'
finish
