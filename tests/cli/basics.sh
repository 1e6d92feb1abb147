# The foundation's promise, end to end: init, add, log, fact, search, agenda.
. "$(dirname "$0")/lib.sh"
export RAPPORT_TODAY=2026-11-23

run "$R" --db "$RAPPORT_DB" init
ok "init creates the database" test "$rc" = 0 -a "$(store_state)" = made
run "$R" --db "$RAPPORT_DB" init
ok "init again is harmless" test "$rc" = 0
ok "init again says updated" has "$out" "updated"

run "$R" --db "$RAPPORT_DB" contact add "Анна Петровна Иванова" --birthday 1980-11-23 --tier close --address vy --email anna@example.org
ok "contact add" test "$rc" = 0
ok "contact add shows the age" has "$out" "1980-11-23 (46)"
run "$R" --db "$RAPPORT_DB" log Иванова --kind call --minutes 15 "Рассказала, что дочь поступила в университет"
ok "log by part of the name" test "$rc" = 0
run "$R" --db "$RAPPORT_DB" fact add Иванова "Операция на колене" --follow-up 2026-11-23
ok "fact add" test "$rc" = 0

run "$R" --db "$RAPPORT_DB" search УНИВЕРСИТЕТЕ --json
ok "search exits 0" test "$rc" = 0
ok "search finds her through another case and ending" json 'any(h["contact"]["name"]=="Анна Петровна Иванова" and h["kind"]=="interaction" for h in d["hits"])'
run "$R" --db "$RAPPORT_DB" search ИВАНОВА --json
ok "search by upper-case surname" json 'any(h["kind"]=="contact" and h["contact"]["id"]==1 for h in d["hits"])'
run "$R" --db "$RAPPORT_DB" search колене --json
ok "search finds the fact" json 'any(h["kind"]=="fact" for h in d["hits"])'
run "$R" --db "$RAPPORT_DB" search "колен*" --json
ok "prefix search" json 'len(d["hits"])>=1'
run "$R" --db "$RAPPORT_DB" search 'x" OR "y' --json
ok "FTS syntax in a query is just words" test "$rc" = 0

run "$R" --db "$RAPPORT_DB" agenda --json
ok "agenda exits 0" test "$rc" = 0
ok "agenda lists her first" json 'd["items"][0]["contact"]["id"]==1 and d["items"][0]["contact"]["name"]=="Анна Петровна Иванова"'
ok "agenda gives the birthday with the age" json 'any(r["kind"]=="birthday" and r["age"]==46 and r["text"] for r in d["items"][0]["reasons"])'
ok "agenda gives the follow-up" json 'any(r["kind"]=="follow_up" and "Операция на колене" in r["text"] for r in d["items"][0]["reasons"])'
run "$R" --db "$RAPPORT_DB" agenda
ok "agenda as text" has "$out" "turns 46"

run "$R" --db "$RAPPORT_DB" contact show Nobody
ok "unknown contact: exit 1" test "$rc" = 1
ok "unknown contact: nothing on stdout" test -z "$out"
ok "unknown contact: a clear message" has "$err" 'no contact matches "Nobody"'

run "$R" --db "$RAPPORT_DB" contact show 1 --json
ok "show --json is one document" json 'd["name"]=="Анна Петровна Иванова" and d["emails"]==["anna@example.org"] and d["age"]==46 and len(d["facts"])==1 and len(d["interactions"])==1'
ok "the interaction keeps its minutes" json 'd["interactions"][0]["minutes"]==15'

# ty/vy, tiers and channels are checked
run "$R" --db "$RAPPORT_DB" contact add "Пётр Сёмин" --address you
ok "bad form of address: exit 1" test "$rc" = 1 -a -z "$out"
ok "bad form of address: says what is allowed" has "$err" "ty or vy"
run "$R" --db "$RAPPORT_DB" contact add "Пётр Сёмин" --tier best
ok "bad tier refused" test "$rc" = 1
run "$R" --db "$RAPPORT_DB" contact add "Пётр Сёмин" --email nope
ok "bad email refused" test "$rc" = 1
run "$R" --db "$RAPPORT_DB" contact list --json
ok "refused adds wrote nothing" json 'len(d["contacts"])==1'

# ё folds to е, both in names and search
run "$R" --db "$RAPPORT_DB" contact add "Пётр Сёмин" --birthday --02-29 --tier regular --phone "+7 (916) 123-45-67" --tag VIP
ok "a birthday without a year" test "$rc" = 0
run "$R" --db "$RAPPORT_DB" contact show семин --json
ok "named without ё" json 'd["name"]=="Пётр Сёмин" and d["birthday"]=="--02-29" and d["phones"]==["+79161234567"] and d["tags"]==["vip"]'
run "$R" --db "$RAPPORT_DB" search петр --json
ok "search without ё" json 'any(h["contact"]["name"]=="Пётр Сёмин" for h in d["hits"])'

# English stems
run "$R" --db "$RAPPORT_DB" contact add "John Smith" --tier distant
run "$R" --db "$RAPPORT_DB" log Smith --kind visit "Both knee surgeries went well"
run "$R" --db "$RAPPORT_DB" search surgery --json
ok "surgery finds surgeries" json 'any(h["contact"]["name"]=="John Smith" for h in d["hits"])'

# edit and rm
run "$R" --db "$RAPPORT_DB" contact edit Smith --tier close --email john@example.com --tag wedding
ok "edit" test "$rc" = 0
run "$R" --db "$RAPPORT_DB" contact edit Smith --rm-tag wedding --owner kate --json
ok "edit rejects --json on a write" test "$rc" = 2
run "$R" --db "$RAPPORT_DB" contact edit Smith --rm-tag wedding --owner kate
run "$R" --db "$RAPPORT_DB" contact show Smith --json
ok "edit applied" json 'd["tier"]=="close" and d["tags"]==[] and d["owner"]=="kate" and d["emails"]==["john@example.com"]'
run "$R" --db "$RAPPORT_DB" contact rm Smith
ok "rm" test "$rc" = 0
run "$R" --db "$RAPPORT_DB" search surgery --json
ok "rm leaves nothing searchable" json 'd["hits"]==[]'
run "$R" --db "$RAPPORT_DB" contact show Smith
ok "rm removed the contact" test "$rc" = 1

# relations and dates
run "$R" --db "$RAPPORT_DB" contact add "Мария Иванова" --tier regular
run "$R" --db "$RAPPORT_DB" contact show Иванова
ok "an ambiguous name is an error" test "$rc" = 1 -a -z "$out"
ok "the error lists the candidates" has "$err" "Мария Иванова"
run "$R" --db "$RAPPORT_DB" relate "Мария Иванова" "Анна Петровна" --kind referred_by --note "sister"
ok "relate" test "$rc" = 0
run "$R" --db "$RAPPORT_DB" contact show "Анна Петровна" --json
ok "the relation reads from both sides" json 'd["relations"][0]["kind"]=="referred" and d["relations"][0]["contact"]["name"]=="Мария Иванова"'
run "$R" --db "$RAPPORT_DB" date add "Анна Петровна" 2005-06-12 --label "свадьба"
ok "date add" test "$rc" = 0
run "$R" --db "$RAPPORT_DB" agenda --date 2026-06-12 --json
ok "the anniversary is on the agenda with its years" json 'any(r["kind"]=="date" and r["years"]==21 for i in d["items"] for r in i["reasons"])'
finish
