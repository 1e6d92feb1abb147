# Similar stories, themes and the report over HTTP: the command line's JSON.
. "$(dirname "$0")/lib.sh"
export RAPPORT_TODAY=2026-11-23
"$R" init >/dev/null
printf 'password-of-viewer\n' | "$R" user add viewer --role viewer >/dev/null
"$R" token create viewer >token.viewer
"$R" contact add "Анна Иванова" >/dev/null
"$R" contact add "Борис Петров" >/dev/null
"$R" contact add "John Smith" >/dev/null
"$R" story add Анна --kind interaction "На ресепшене мне не обратили внимания, девушки болтали по телефону" >/dev/null
"$R" story add Борис --kind interaction "Администратор болтала по телефону и не обратила на меня внимания" >/dev/null
"$R" story add Smith --kind product "The kettle broke after two weeks" >/dev/null
serve
V=$(auth "$(cat token.viewer)")

call GET "/api/v1/stories/1/similar?limit=5" -H "$V"
ok "GET /stories/1/similar as a viewer" test "$status" = 200
ok "the story and the others like it" json 'd["story"]["id"]==1 and d["similar"][0]["id"]==2 and d["similar"][0]["contact"]["name"]=="Борис Петров" and d["similar"][0]["score"]>0'
ok "the same document as the command line" test "$(python3 -c 'import json,sys; print(json.dumps(json.load(sys.stdin), sort_keys=True))' <<<"$out")" = \
	"$("$R" story similar 1 --limit 5 --json | python3 -c 'import json,sys; print(json.dumps(json.load(sys.stdin), sort_keys=True))')"
call GET /api/v1/stories/9/similar -H "$V"
ok "an unknown story is 404" test "$status" = 404
ok "saying so" has "$out" "no story 9"
call GET "/api/v1/stories/1/similar?limit=500" -H "$V"
ok "a limit out of bounds is 400" test "$status" = 400
call GET /api/v1/stories/1/similar
ok "nobody logged in: 401" test "$status" = 401

call GET /api/v1/stories/themes -H "$V"
ok "GET /stories/themes" test "$status" = 200
ok "one theme of two clients" json 'len(d["themes"])==1 and d["themes"][0]["clients"]==2 and sorted(d["themes"][0]["story_ids"])==[1,2] and d["since"]=="2026-08-25"'
call GET "/api/v1/stories/themes?kind=product" -H "$V"
ok "?kind=product: no theme of one story" json 'd["themes"]==[]'
call GET "/api/v1/stories/themes?since=soon" -H "$V"
ok "a bad date is 400" test "$status" = 400

call GET "/api/v1/stories/report?by=quarter" -H "$V"
ok "GET /stories/report" test "$status" = 200
ok "the report's shape" json 'd["periods"]==["2026-Q1","2026-Q2","2026-Q3","2026-Q4"] and d["themes"][0]["by_period"]==[0,0,0,2] and d["without_lesson"]["count"]==3 and d["lessons"]=={"open":0,"doing":0,"done":0,"dropped":0}'
call GET "/api/v1/stories/report?by=week" -H "$V"
ok "a bad period is 400" test "$status" = 400
finish
