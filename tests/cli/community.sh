# Communities: names, members, show with ties, health with contagion alerts.
. "$(dirname "$0")/lib.sh"
export RAPPORT_NOW=2026-11-23T10:00:00Z

"$R" init >/dev/null
for n in "Anna Ivanova" "Boris Petrov" "Clara Sokolova" "Dmitri Orlov"; do "$R" contact add "$n" >/dev/null; done
"$R" relate Petrov Ivanova --kind friend >/dev/null
"$R" relate Sokolova Petrov --kind family >/dev/null

run "$R" community add "Book club" --rules "come on time, bring a friend"
ok "community add prints the id" test "$rc" = 0 -a "$out" = 1
run "$R" community add "BOOK CLUB"
ok "a name taken in another case is refused" test "$rc" = 1
ok "saying so" has "$err" "regardless of case"
for c in Ivanova Petrov Sokolova; do "$R" community join "book club" "$c" --on 2026-01-10 >/dev/null; done
run "$R" community join 1 Orlov --role organiser
ok "community join" has "$out" "Dmitri Orlov (#4) joined Book club as organiser on 2026-11-23"
run "$R" community join 1 Orlov
ok "already a member is refused" has "$err" "a member of community 1 already"
run "$R" community join 1 Orlov --role king
ok "a bad role is refused" has "$err" "member, founder, organiser or guest"
run "$R" community join Choir Orlov
ok "an unknown community is refused" has "$err" "no community is named \"Choir\""
run "$R" community list --json
ok "community list" json 'd["communities"]==[{"id":1,"name":"Book club","rules":"come on time, bring a friend","members":4}]'

# Done means: a community with a member we let down raises a contagion alert naming who is at risk.
"$R" trust record Petrov --by company --act defect --on 2026-11-03 "delivered late and said nothing" >/dev/null
"$R" trust record Ivanova --by client --act cooperate --on 2026-10-05 "paid early" >/dev/null
run "$R" community health "Book club" --json
ok "the alert names who is at risk" json 'd["alerts"]==[{"contact":{"id":2,"name":"Boris Petrov"},"why":"we let them down","on":"2026-11-03","text":"delivered late and said nothing","touches":2,"at_risk":[{"id":1,"name":"Anna Ivanova"},{"id":3,"name":"Clara Sokolova"}]}]'
ok "let down" json '[(x["contact"]["id"],x["on"]) for x in d["let_down"]]==[(2,"2026-11-03")]'
ok "cooperation share by month" json 'len(d["periods"])==12 and d["periods"][-1]=="2026-11" and d["cooperation_share"][-2:]==[1.0,0.0] and d["cooperation_share"][0] is None'
run "$R" community health 1
ok "the health text" has "$out" "ALERT Boris Petrov (#2): we let them down on 2026-11-03; tied to 2 members at risk: Anna Ivanova (#1), Clara Sokolova (#3)"
run "$R" community show "book club" --json
ok "community show: members with their trust state" json '[(m["contact"]["id"],m["role"],m["joined_on"],m["trust_state"]) for m in d["members"]]==[(1,"member","2026-01-10","mutual cooperation"),(2,"member","2026-01-10","we let them down"),(3,"member","2026-01-10","no history"),(4,"organiser","2026-11-23","no history")]'
ok "and the ties between them" json 'sorted((t["a"],t["b"],t["kind"]) for t in d["ties"])==[(1,2,"friend"),(2,3,"family")]'

"$R" trust record Petrov --by company --act cooperate "apologised and sent a replacement at once" >/dev/null
run "$R" community health 1 --json
ok "made good, the alert goes" json 'd["alerts"]==[] and d["let_down"]==[]'

run "$R" community leave 1 Orlov
ok "community leave" test "$rc" = 0
run "$R" community leave 1 Orlov
ok "leaving twice is refused" has "$err" "not a member"
run "$R" community show 9
ok "an unknown id is refused" test "$rc" = 1

# ---- the question of a community: one member starts to cheat ----
"$R" community add "Reading circle" >/dev/null
for i in $(seq 1 8); do
	"$R" contact add "Reader $i" >/dev/null
	"$R" community join "Reading circle" "Reader $i" >/dev/null
done
# a ring of friends, each tied to the next two
for i in $(seq 1 8); do
	"$R" relate "Reader $i" "Reader $(( i % 8 + 1 ))" --kind friend >/dev/null
	"$R" relate "Reader $i" "Reader $(( (i + 1) % 8 + 1 ))" --kind friend >/dev/null
done
run "$R" simulate community "Reading circle" --policy tft --cheater "Reader 3" --weight 20 --generations 5 --json
ok "simulate community: the cheater named, everyone else honest at the start" \
	json 'd["cheater"]["name"]=="Reader 3" and d["members"]==8 and d["share"][0]==7/8 and len(d["share"])==6'
ok "answered in kind, cheating does not pay and cooperation comes back" json 'd["share"][-1]==1'
run "$R" simulate community "Reading circle" --policy allc --cheater "Reader 3" --weight 20 --generations 5 --json
ok "served whatever they do, the cheater is copied" json 'd["share"][-1] < 0.5'
run "$R" simulate community "Reading circle" --policy tft --cheater "Reader 3" --weight 20 --generations 5
ok "as text, a row per generation" has "$out" "Reader 3 (#" && has "$out" "         5  1.0000"
run "$R" simulate community "Reading circle" --policy nice
ok "an unknown policy is refused, naming the policies" test "$rc" = 1 && has "$err" "allc, alld, tft, gtft"
run "$R" simulate community "Reading circle" --cheater Petrov
ok "a cheater who is not a member is refused" test "$rc" = 1 && has "$err" "not a member"
"$R" community add Alone >/dev/null
run "$R" simulate community Alone
ok "a community of fewer than two is refused" test "$rc" = 1 && has "$err" "at least two"
finish
