# Stories: what clients tell in their own words, on the command line.
. "$(dirname "$0")/lib.sh"
export RAPPORT_TODAY=2026-11-23

"$R" init >/dev/null
"$R" contact add "Анна Петровна Иванова" >/dev/null
"$R" contact add "John Smith" >/dev/null

run "$R" story add Иванова --kind interaction --tone negative --tag Reception --tag RECEPTION --on 2026-11-20 \
	Сотрудники болтали по телефону и не обратили на меня внимания
ok "story add exits 0" test "$rc" = 0
ok "story add prints the new id" test "$out" = 1
run "$R" story add Smith --kind product "They ignored me at the front desk"
ok "a second story" test "$rc" = 0 -a "$out" = 2
run "$R" story add Smith --kind choice --tone positive "A friend told me about you"
ok "a third, with a tone" test "$rc" = 0 -a "$out" = 3

run "$R" story list --json
ok "story list --json" test "$rc" = 0
ok "newest told first" json '[s["id"] for s in d["stories"]]==[3,2,1]'
ok "the words are kept whole" json 'd["stories"][2]["text"]=="Сотрудники болтали по телефону и не обратили на меня внимания"'
ok "with day, kind, tone, tags and who recorded it" \
	json '(s:=d["stories"][2])["told_on"]=="2026-11-20" and s["kind"]=="interaction" and s["tone"]=="negative" and s["tags"]==["reception"] and s["by"]=="tester"'
ok "told today by default, tone unset" json 'd["stories"][1]["told_on"]=="2026-11-23" and d["stories"][1]["tone"] is None'
run "$R" story list Иванова --json
ok "one contact's" json '[s["id"] for s in d["stories"]]==[1] and d["stories"][0]["contact"]["name"]=="Анна Петровна Иванова"'
run "$R" story list --kind product --json
ok "one kind" json '[s["id"] for s in d["stories"]]==[2]'
run "$R" story list --limit 1 --json
ok "--limit" json 'len(d["stories"])==1'
run "$R" story list Smith
ok "as text" has "$out" "They ignored me at the front desk"
ok "as text, with the kind" has "$out" "choice"

run "$R" search болтал --json
ok "search finds a story by another form of a word" json 'any(h["kind"]=="story" and h["ref"]==1 and h["story_kind"]=="interaction" and h["told_on"]=="2026-11-20" for h in d["hits"])'
run "$R" search внимание
ok "search as text" has "$out" "2026-11-20 interaction: Сотрудники"
run "$R" search ignoring --json
ok "an English story by another form" json 'any(h["kind"]=="story" and h["ref"]==2 and h["contact"]["name"]=="John Smith" for h in d["hits"])'
run "$R" contact show Иванова --json
ok "the card shows the stories" json 'd["stories"]==[{"id":1,"told_on":"2026-11-20","kind":"interaction","tone":"negative","text":"Сотрудники болтали по телефону и не обратили на меня внимания"}]'
run "$R" contact show Иванова
ok "the card as text" has "$out" "Stories:"

# errors: exit 1, nothing on stdout, a message saying what to do
run "$R" story add Иванова --kind gossip "x"
ok "an unknown kind: exit 1" test "$rc" = 1 -a -z "$out"
ok "says the kinds" has "$err" "choice, interaction, product, friends or life"
run "$R" story add Иванова --kind life --tone angry "x"
ok "an unknown tone: exit 1" test "$rc" = 1
ok "says the tones" has "$err" "positive, neutral or negative"
run "$R" story add Иванова --kind life --on 23.11.2026 "x"
ok "a bad date: exit 1" test "$rc" = 1
ok "says how to write it" has "$err" "YYYY-MM-DD"
run "$R" story add Иванова --kind life --on 2026-11-24 "x"
ok "a day in the future: exit 1" test "$rc" = 1
ok "says so" has "$err" "after today"
run "$R" story add Иванова --kind life
ok "no text: exit 1" test "$rc" = 1
ok "asks for the words" has "$err" "client's words"
run "$R" story add Иванова --kind life --tag "a,b" "x"
ok "a bad tag: exit 1" test "$rc" = 1 -a -n "$err"
run "$R" story add Nobody --kind life "x"
ok "an unknown contact: exit 1" test "$rc" = 1
ok "names it" has "$err" "Nobody"
big=$(head -c 102401 /dev/zero | tr '\0' a)
run "$R" story add Иванова --kind life "$big"
ok "over 100 KB: exit 1" test "$rc" = 1
ok "says the limit" has "$err" "100 KB"
run "$R" story list --kind gossip
ok "list of an unknown kind: exit 1" test "$rc" = 1 -a -n "$err"
run "$R" story list --limit 0
ok "a limit of 0: exit 1" test "$rc" = 1 -a -n "$err"
run "$R" story list --json
ok "refused adds wrote nothing" json 'len(d["stories"])==3'

run "$R" story --help
ok "help lists the commands" has "$out$err" "story add"

# a removed contact takes its stories, and search forgets them
run "$R" contact rm Smith
ok "contact rm" test "$rc" = 0
run "$R" story list --json
ok "their stories went" json '[s["id"] for s in d["stories"]]==[1]'
run "$R" search ignoring --json
ok "search no longer finds them" json 'not any(h["kind"]=="story" for h in d["hits"])'
finish
