# The panel: a few clients interviewed on a cadence, their stories covered.
. "$(dirname "$0")/lib.sh"
export RAPPORT_TODAY=2026-09-01

"$R" init >/dev/null
"$R" contact add "Анна Петровна Иванова" --tier close --owner anna --birthday 1980-05-05 >/dev/null
"$R" contact add "John Smith" --owner boris --address ty >/dev/null
"$R" contact add "Мария Соколова" >/dev/null

run "$R" panel add Иванова --cadence 21
ok "panel add exits 0" test "$rc" = 0
ok "says the cadence and when the first interview is due" has "$out" "every 21 days, next due 2026-09-01"
ok "the tier is panel, on the dates too" test "$(sql "SELECT c.tier || d.tier FROM contact c JOIN contact_date d ON d.contact_id = c.id WHERE c.id = 1")" = panelpanel
ok "the old tier is kept" test "$(sql "SELECT prior_tier || ' ' || joined_on || ' ' || by_user FROM panel WHERE contact_id = 1")" = "close 2026-09-01 tester"
cadence() { sql "SELECT cadence_days FROM panel WHERE contact_id = $1"; }
run "$R" panel add Smith
ok "the default cadence is 30" test "$rc" = 0 -a "$(cadence 2)" = 30
"$R" config set panel.cadence 14 >/dev/null
run "$R" panel add 3
ok "or the setting panel.cadence" test "$(cadence 3)" = 14
run "$R" panel add Smith
ok "adding again keeps the cadence" test "$rc" = 0 -a "$(cadence 2)" = 30
run "$R" panel add Smith --cadence 28
ok "adding again with one changes it" test "$rc" = 0 -a "$(cadence 2)" = 28
run "$R" panel list --json
ok "members as panel list shows them" json 'd["members"][1]["contact"]=={"id":2,"name":"John Smith"} and d["members"][1]["prior_tier"]=="regular" and d["members"][1]["last_on"] is None and d["members"][1]["by"]=="tester"'
ok "still one row each" test "$(sql "SELECT count(*) FROM panel")" = 3

# refused: exit 1, a message saying what to do, nothing written
for bad in 0 -3 3651 99999999; do
	run "$R" panel add Соколова --cadence "$bad"
	ok "cadence $bad is refused" test "$rc" = 1 -a -z "$out"
	ok "saying the range" has "$err" "from 1 to 3650"
done
ok "the refused cadences wrote nothing" test "$(cadence 3)" = 14
run "$R" panel add Соколова --cadence often
ok "a cadence that is not a number: a usage error" test "$rc" = 2
run "$R" panel add Nobody
ok "an unknown contact: exit 1" test "$rc" = 1 -a -n "$err"
run "$R" panel rm Nobody
ok "rm of an unknown contact: exit 1" test "$rc" = 1
run "$R" panel add
ok "no contact: a usage error" test "$rc" = 2
run "$R" config set panel.cadence 0
ok "the setting is checked too" test "$rc" = 1

# stories and conversations move the next interview
export RAPPORT_TODAY=2026-11-23
"$R" story add Иванова --kind life --on 2026-10-25 "Дочь поступила в университет" >/dev/null
"$R" story add Иванова --kind product --on 2026-11-10 "Пользуется каждый день" >/dev/null
"$R" log Smith --kind call --at 2026-11-20T10:00 "Called about the order" >/dev/null
run "$R" panel list --json
ok "panel list, next due first" json '[m["contact"]["id"] for m in d["members"]]==[3,1,2]'
ok "never talked: due since joining" json 'd["members"][0]["last_on"] is None and d["members"][0]["due_on"]=="2026-09-01"'
ok "the last story sets the last conversation" json 'd["members"][1]["last_on"]=="2026-11-10" and d["members"][1]["due_on"]=="2026-12-01"'
ok "an interaction does too" json 'd["members"][2]["last_on"]=="2026-11-20" and d["members"][2]["due_on"]=="2026-12-18"'
ok "each kind with the day it was last told" json 'd["members"][1]["kinds"]=={"choice":None,"interaction":None,"product":"2026-11-10","friends":None,"life":"2026-10-25"}'
run "$R" panel list
ok "as text" has "$out" "Анна Петровна Иванова: every 21 days since 2026-09-01; last talked 2026-11-10, next due 2026-12-01"

# the agenda: members due, most overdue first, with what to ask
run "$R" agenda --date 2026-12-05 --json
ok "due members on the agenda, most overdue first" json '[(p["contact"]["id"],p["days_over"],p["due_on"]) for p in d["panel"]]==[(3,95,"2026-09-01"),(1,4,"2026-12-01")]'
ok "with the kinds not told for three cadences, a question each" \
	json 'd["panel"][1]["ask_about"]==["choice","interaction","friends"] and len(d["panel"][1]["questions"])==3 and "friends" in d["panel"][1]["questions"][2]'
ok "and the shape the web reads" json 'set(d["panel"][1])=={"contact","cadence_days","last_on","due_on","days_over","ask_about","questions"} and d["panel"][0]["last_on"] is None'
ok "the agenda's other parts stay" json '"items" in d and "lessons" in d'
run "$R" agenda --date 2026-12-18 --owner boris --json
ok "one owner's members" json '[p["contact"]["id"] for p in d["panel"]]==[2] and d["panel"][0]["days_over"]==0'
run "$R" agenda --date 2026-12-05
ok "the agenda as text lists them" has "$out" "Panel interviews due: 2"
ok "with a question" has "$out" "- friends: What do your friends choose"
run env RAPPORT_LANG=ru "$R" agenda --date 2026-12-18 --owner boris --json
ok "in Russian, to a «ты» client" json '"твои друзья" in d["panel"][0]["questions"][3]'
run env RAPPORT_LANG=ru "$R" agenda --date 2026-12-05 --owner anna --json
ok "and to a «вы» client" json '"ваши друзья" in d["panel"][0]["questions"][2]'

# coverage: stories per kind per member per period, zeros included
"$R" story add Иванова --kind life --on 2026-08-31 "Отпуск на море" >/dev/null
"$R" story add Соколова --kind choice --on 2026-07-02 "Выбрала по совету подруги" >/dev/null
run "$R" panel coverage --from 2026-07-01 --to 2026-11-30 --json
ok "panel coverage --json" test "$rc" = 0
ok "its periods and kinds" json 'd["periods"]==["2026-07","2026-08","2026-09","2026-10","2026-11"] and d["kinds"]==["choice","interaction","product","friends","life"]'
ok "counts per kind per period" json 'd["members"][0]["contact"]["id"]==1 and d["members"][0]["counts"]["life"]==[0,1,0,1,0] and d["members"][0]["counts"]["product"]==[0,0,0,0,1] and d["members"][0]["total"]==3'
ok "a member with no stories shows zeros" json 'd["members"][1]["contact"]["id"]==2 and d["members"][1]["total"]==0 and all(v==[0]*5 for v in d["members"][1]["counts"].values())'
run "$R" panel coverage --from 2026-07-01 --to 2026-12-31 --by quarter --json
ok "by quarter" json 'd["periods"]==["2026-Q3","2026-Q4"] and d["members"][0]["counts"]["life"]==[1,1] and d["members"][2]["counts"]["choice"]==[1,0]'
run "$R" panel coverage --from 2026-07-01
ok "as a table" has "$out" "Panel coverage by month, 2026-07-01 to 2026-11-23"
ok "with a row per kind" has "$out" "  life              .       1       .       1       .       2"
run "$R" panel coverage --from 2026-12-01 --to 2026-11-01
ok "from after to: exit 1" test "$rc" = 1
ok "says so" has "$err" "after --to"
run "$R" panel coverage --by week
ok "an unknown period: exit 1" test "$rc" = 1 -a -n "$err"
run "$R" panel coverage --from 1990-01-01
ok "too many periods: exit 1" test "$rc" = 1
ok "says how to narrow it" has "$err" "at most 120"

# leaving gives the tier back; a tier chosen meanwhile stands
run "$R" panel rm Иванова
ok "panel rm" test "$rc" = 0
ok "says the tier" has "$out" "left the panel; tier close"
ok "back to close, on the dates too" test "$(sql "SELECT c.tier || d.tier FROM contact c JOIN contact_date d ON d.contact_id = c.id WHERE c.id = 1")" = closeclose
run "$R" panel rm Иванова
ok "not a member: exit 1" test "$rc" = 1
ok "says so" has "$err" "is not on the panel"
"$R" contact edit Smith --tier distant >/dev/null
run "$R" panel rm Smith
ok "a tier chosen while a member stands" has "$out" "tier distant"
run "$R" story list Иванова --json
ok "the stories stay" json 'len(d["stories"])==3'

# merge moves a membership; removing or erasing a contact removes it
"$R" contact add "Мария С." >/dev/null
"$R" panel add "Мария С." --cadence 9 >/dev/null
"$R" panel rm Соколова >/dev/null
"$R" contact merge 3 4 >/dev/null
run "$R" panel list --json
ok "a merged duplicate's membership moves to the kept contact" json '[(m["contact"]["id"],m["cadence_days"]) for m in d["members"]]==[(3,9)]'
run "$R" privacy export 3 --json
ok "privacy export has the membership" json 'd["panel"][0]["cadence_days"]==9 and d["panel"][0]["joined_on"]=="2026-11-23"'
run "$R" privacy erase 3 --yes
ok "privacy erase" test "$rc" = 0
ok "takes the membership" test "$(sql "SELECT count(*) FROM panel")" = 0
"$R" panel add Smith >/dev/null
"$R" contact rm Smith >/dev/null
ok "contact rm takes it too" test "$(sql "SELECT count(*) FROM panel")" = 0
run "$R" panel list
ok "an empty panel says how to add" has "$out" "rapport panel add CONTACT"
run "$R" panel --help
ok "help lists the commands" has "$out$err" "panel coverage"
finish
