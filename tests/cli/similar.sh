# Similar stories, themes and the report on the command line.
. "$(dirname "$0")/lib.sh"
export RAPPORT_TODAY=2026-11-23

"$R" init >/dev/null
for who in "Анна Петровна Иванова" "Борис Петров" "John Smith" "Mary Jones" "Ольга Сидорова"; do
	"$R" contact add "$who" >/dev/null
done
# 1: the story asked about; 2 and 3 tell the same in other words; 4 is the
# same client's own; 5 and 6 are of something else.
"$R" story add Иванова --kind interaction "На ресепшене мне не обратили внимания, девушки болтали по телефону" >/dev/null
"$R" story add Борис --kind interaction "Администратор болтала по телефону и не обратила на меня никакого внимания" >/dev/null
"$R" story add Smith --kind interaction "They ignored me completely, the receptionist kept typing on her phone" >/dev/null
"$R" story add Иванова --kind interaction "Опять на стойке никто не поздоровался" >/dev/null
"$R" story add Jones --kind product "The kettle broke after two weeks" --on 2026-10-02 >/dev/null
"$R" story add Сидорова --kind product "Чайник сломался через неделю" --on 2026-06-10 >/dev/null

run "$R" story similar 1 --json
ok "story similar exits 0" test "$rc" = 0
ok "the story itself, with its contact" json 'd["story"]["id"]==1 and d["story"]["contact"]["name"]=="Анна Петровна Иванова" and d["story"]["text"].startswith("На ресепшене")'
ok "other clients' stories of the same thing first, in both languages" json '[s["id"] for s in d["similar"]][:2]==[2,3]'
ok "never the same client's" json 'all(s["contact"]["id"]!=1 for s in d["similar"])'
ok "each with contact, day, kind, tone, text and score" \
	json 'all(set(s)=={"id","contact","told_on","kind","tone","text","score"} for s in d["similar"]) and d["similar"][0]["score"]>d["similar"][-1]["score"]'
run "$R" story similar 1 --limit 1 --json
ok "--limit" json 'len(d["similar"])==1'
run "$R" story similar 1 --method tfidf --json
ok "--method tfidf: words only, the English story is out of reach" json '2 in [s["id"] for s in d["similar"]] and 3 not in [s["id"] for s in d["similar"]]'
run "$R" story similar 1
ok "as text" has "$out" "told by others:"
ok "as text, with the client and the words" has "$out" "story 3, 2026-11-23 interaction, John Smith (#3)"

run "$R" story similar 99
ok "an unknown story: exit 1" test "$rc" = 1 -a -z "$out"
ok "saying so" has "$err" "no story 99"
run "$R" story similar 1 --limit 0
ok "--limit 0: exit 1" test "$rc" = 1
ok "saying the bounds" has "$err" "between 1 and 100"
run "$R" story similar 1 --limit 101
ok "--limit 101 refused" test "$rc" = 1
run "$R" story similar 1 --method magic
ok "an unknown method" test "$rc" = 1 && has "$err" "lexicon"

run "$R" story themes --json
ok "story themes exits 0" test "$rc" = 0
ok "the last 90 days by default" json 'd["since"]=="2026-08-25" and d["capped"] is False'
ok "being ignored: 4 stories from 3 clients" \
	json '(t:=d["themes"][0])["stories"]==4 and t["clients"]==3 and t["by_kind"]=={"interaction":4} and sorted(t["story_ids"])==[1,2,3,4]'
ok "labelled by readable words" json '"attention" in d["themes"][0]["terms"] and d["themes"][0]["label"]'
ok "with examples" json 'all(set(x)=={"id","contact","text"} for x in d["themes"][0]["examples"]) and len(d["themes"][0]["examples"])==3'
ok "one story alone is no theme (the June kettle is too old)" json 'len(d["themes"])==1'
run "$R" story themes --since 2026-01-01 --kind product --json
ok "--since and --kind" json 'len(d["themes"])==1 and sorted(d["themes"][0]["story_ids"])==[5,6] and d["themes"][0]["clients"]==2'
run "$R" story themes
ok "as text" has "$out" "4 stories from 3 clients"
run "$R" story themes --since yesterday
ok "a bad date: exit 1" test "$rc" = 1 && has "$err" "YYYY-MM-DD"
run "$R" story themes --kind gossip
ok "a bad kind: exit 1" test "$rc" = 1 && has "$err" "choice, interaction"

printf 'password-of-anna\n' | "$R" user add anna --role staff >/dev/null
"$R" lesson add 1 Greet every client at the desk --owner anna >/dev/null
run "$R" story report --json
ok "story report exits 0" test "$rc" = 0
ok "twelve months" json 'd["periods"][0]=="2025-12" and d["periods"][-1]=="2026-11" and len(d["periods"])==12 and d["by"]=="month"'
ok "themes by period and kind" \
	json '{t["stories"]:t["by_period"] for t in d["themes"]}=={4:[0]*11+[4], 2:[0]*6+[1,0,0,0,1,0]} and all("by_kind" in t and "terms" in t and "label" in t for t in d["themes"])'
ok "stories without a lesson" json 'd["without_lesson"]["count"]==5 and [s["id"] for s in d["without_lesson"]["stories"]]==[4,3,2,5,6] and set(d["without_lesson"]["stories"][0])=={"id","contact","told_on","kind","text"}'
ok "lessons by status" json 'd["lessons"]=={"open":1,"doing":0,"done":0,"dropped":0}'
run "$R" story report --by quarter --since 2026-07-01 --json
ok "--by quarter --since" json 'd["periods"]==["2026-Q3","2026-Q4"] and d["without_lesson"]["count"]==4'
run "$R" story report
ok "as text" has "$out" "lessons: 1 open, 0 doing, 0 done, 0 dropped"
ok "as text, without a lesson" has "$out" "stories without a lesson: 5"
run "$R" story report --by week
ok "a bad period: exit 1" test "$rc" = 1 && has "$err" "month or quarter"
finish
