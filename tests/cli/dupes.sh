# Duplicates: found with the evidence, merged with nothing lost, and undone.
. "$(dirname "$0")/lib.sh"
export RAPPORT_TODAY=2026-11-23

"$R" init >/dev/null
"$R" contact add "Анна Петровна Иванова" --email anna@example.org --birthday 1980-04-15 --tag vip >/dev/null
"$R" contact add "Иванова Анна" --email ANNA@example.org --phone +79161234567 --tag new >/dev/null
"$R" contact add "Борис Смирнов" >/dev/null
"$R" log 2 "зашла за заказом" >/dev/null
"$R" fact add 2 "любит чай" >/dev/null
"$R" story add 2 --kind choice "Пришла по совету подруги" >/dev/null

run "$R" dupes --json
ok "dupes --json" test "$rc" = 0
ok "the pair is found, with its evidence" \
	json '(p:=d["pairs"][0])["a"]=={"id":1,"name":"Анна Петровна Иванова"} and p["b"]["id"]==2 and "same email anna@example.org" in p["reasons"] and p["score"]>50'
ok "and nobody else" json 'len(d["pairs"])==1'

run "$R" merge 1 2
ok "merge exits 0" test "$rc" = 0
ok "merge prints its id" grep -q "merged #2 into #1; undo with: rapport merge undo 1" <<<"$out"
run "$R" contact show 1 --json
ok "nothing lost: both emails' owner has the phone, both tags, the fact, the visit, the story" \
	json 'len(d["phones"])==1 and sorted(d["tags"])==["new","vip"] and len(d["facts"])==1 and len(d["interactions"])==1'
run "$R" story list 1 --json
ok "the story moved" json 'len(d["stories"])==1'
run "$R" merge list
ok "merge list names the merge and its undo" grep -q "#1 Анна Петровна Иванова <- #2 Иванова Анна  undoable" <<<"$out"

run "$R" merge undo 1
ok "merge undo exits 0" test "$rc" = 0
run "$R" contact show 2 --json
ok "the duplicate is back with its id and its own things" \
	json 'd["name"]=="Иванова Анна" and len(d["facts"])==1 and len(d["interactions"])==1 and d["tags"]==["new"]'
run "$R" contact show 1 --json
ok "the kept contact has only its own again" json 'd["tags"]==["vip"] and len(d["facts"])==0 and len(d["phones"])==0'
run "$R" merge undo 1
ok "undo twice is refused" test "$rc" != 0
ok "saying why" grep -q "already undone" <<<"$err"

"$R" merge 1 2 >/dev/null
"$R" fact add 1 "новый факт" >/dev/null
"$R" fact done 1 >/dev/null
run "$R" merge undo 2
ok "undo after a moved fact was changed is refused" test "$rc" != 0
ok "naming the row" grep -q "fact #1 has changed since the merge" <<<"$err"

run "$R" dupes dismiss 1 3
ok "dismiss exits 0" test "$rc" = 0
run "$R" dupes dismiss 1 1
ok "dismissing a contact with itself is refused" test "$rc" != 0
finish
