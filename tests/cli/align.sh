# Alignment: the value profile, traits, the score with its reasons, learning
# from the best clients, the report, and the triage of intake requests.
. "$(dirname "$0")/lib.sh"
export RAPPORT_TODAY=2026-11-23

"$R" init >/dev/null
"$R" contact add "Анна Петровна Иванова" --email anna@example.org >/dev/null
"$R" contact add "Boris Bargain" --tag bargain >/dev/null
"$R" contact add "Clara Neutral" >/dev/null

run "$R" align Иванова
ok "no profile yet: align says how to start" test "$rc" = 1 -a -n "$(grep -F 'profile preset' <<<"$err")"
run "$R" contact show Иванова --json
ok "the card's alignment is null without a profile" json 'd["alignment"] is None'

run "$R" profile preset atelier --json
ok "profile preset atelier" json '[x["key"] for x in d["dimensions"]]==["price","term","pace","formality","novelty"]'
ok "positions and weights as decimals" json 'd["dimensions"][0]["position"]==0.8 and d["dimensions"][0]["weight"]==0.9'
ok "with three presets at least" json 'len(d["presets"])>=3 and {"atelier","clinic","camp"} <= {p["key"] for p in d["presets"]}'
RAPPORT_LANG=ru run "$R" profile show --json
ok "the preset's texts in Russian" json 'd["dimensions"][0]["left"]=="самая низкая цена"'
run "$R" profile preset spa
ok "an unknown preset is refused, naming the presets" test "$rc" = 1 -a -n "$(grep -F 'atelier, clinic, camp' <<<"$err")"

run "$R" profile set warmth --position 0.6 --weight 0.5
ok "a new dimension needs its poles" test "$rc" = 1 -a -n "$(grep -F -- '--left and --right' <<<"$err")"
run "$R" profile set warmth --position 1.6 --weight 0.5 --left cool --right warm
ok "a position beyond 1 is refused" test "$rc" = 1 -a -n "$(grep -F 'from -1 to 1' <<<"$err")"
ok "and nothing was written" test "$(sql "SELECT count(*) FROM profile_dimension WHERE key = 'warmth'")" = 0
run "$R" profile set warmth --position 0.6 --weight 0.5 --left cool --right warm --json
ok "profile set adds it" json 'd=={"key":"warmth","left":"cool","right":"warm","question":"","position":0.6,"weight":0.5}'
run "$R" profile set novelty --weight 0
ok "profile set changes one field" test "$rc" = 0 -a "$(sql "SELECT weight || ' ' || position FROM profile_dimension WHERE key = 'novelty'")" = "0 200"
run "$R" profile rm warmth
ok "profile rm" test "$rc" = 0 -a "$(sql "SELECT count(*) FROM profile_dimension")" = 5

run "$R" trait set Иванова price 0.9
ok "trait set" test "$rc" = 0
"$R" trait set Иванова term 1 >/dev/null
"$R" trait set Иванова pace 0.4 --source questionnaire >/dev/null
run "$R" trait set Иванова price 3
ok "a value beyond 1 is refused" test "$rc" = 1
run "$R" trait set Иванова price 0.5 --source gossip
ok "an unknown source is refused" test "$rc" = 1 -a -n "$(grep -F 'person, questionnaire or tag' <<<"$err")"
run "$R" trait list Иванова --json
ok "trait list, each with its source" json '[(t["dimension"],t["value"],t["source"],t["by"]) for t in d["traits"]]==[("pace",0.4,"questionnaire","tester"),("price",0.9,"person","tester"),("term",1.0,"person","tester")]'

run "$R" align Иванова --json
ok "close to the profile: ours" json 'd["verdict"]=="ours" and d["score"]>=0.5 and d["contact"]["name"]=="Анна Петровна Иванова"'
ok "with reasons for, in words" json 'd["for"][0]=="quality first, like us" and d["against"]==[]'
ok "and per dimension" json '[x for x in d["dimensions"] if x["key"]=="price"]==[{"key":"price","company":0.8,"client":0.9,"weight":0.9,"agreement":0.9}]'
ok "coverage: the weight known" json 'abs(d["coverage"]-2.1/2.5)<0.001'
run "$R" align Иванова
ok "as text" has "$out" "ours, score +0."
ok "with its reasons" has "$out" "+ quality first, like us"

run "$R" config set trait.tags "bargain:price=-0.9,term=-1,pace=-1"
ok "trait.tags maps tags to traits" test "$rc" = 0
run "$R" config set trait.tags "bargain:price=cheap"
ok "a mapping that is not numbers is refused" test "$rc" = 1
run "$R" align Boris --json
ok "far from the profile through its tag: not ours" json 'd["verdict"]=="not ours" and d["score"]<=0'
ok "with reasons against" json 'd["against"][0]=="lowest price, unlike us" and d["for"]==[]'
RAPPORT_LANG=ru run "$R" align Boris --json
ok "reasons in Russian" json 'd["against"][0]=="самая низкая цена, не как мы"'
run "$R" align Clara --json
ok "nothing known: unknown, no score" json 'd["verdict"]=="unknown" and d["score"] is None and d["coverage"]==0'
run "$R" contact show Иванова --json
ok "the card carries the alignment" json 'd["alignment"]["verdict"]=="ours"'

run "$R" align mark Иванова
ok "align mark" test "$rc" = 0 -a "$(sql "SELECT count(*) FROM best_client")" = 1
run "$R" profile suggest --json
ok "suggested from the marked clients" json 'd["from"]=="marked" and d["clients"]==1'
ok "their traits as positions" json '{s["key"]:s["position"] for s in d["suggested"]}=={"pace":0.4,"price":0.9,"term":1.0}'
ok "and how the profile sorts past clients" json '{g["verdict"]:g["clients"] for g in d["sorted"]}=={"ours":1,"maybe":0,"not ours":1,"unknown":0}'
run "$R" align unmark Иванова
ok "align unmark" test "$rc" = 0 -a "$(sql "SELECT count(*) FROM best_client")" = 0

"$R" complaint open Boris Too expensive >/dev/null
run "$R" align report --json
ok "report: the distribution of scores" json 'd["distribution"]["edges"]==[-1,-0.5,0,0.5,1] and sum(d["distribution"]["counts"])==2'
ok "and how each group fares" json '[(g["verdict"],g["clients"],g["complaints_per_client"]) for g in d["groups"]][:3]==[("ours",1,0),("maybe",0,None),("not ours",1,1)]'
run "$R" align report
ok "the report as text" has "$out" "not ours"

# intake requests arrive over HTTP (tests/api/intake.sh); here the queue
sql "INSERT INTO intake_request(received_at, name, email, phone, message, answers, consent, lang, score, coverage, verdict, reasons)
     VALUES (1795435200, 'Vera', 'vera@example.org', NULL, 'A coat', '{\"price\":1}', '{\"email\":true,\"phone\":false}', 'en', 900, 360, 'maybe',
     '{\"en\":{\"for\":[\"quality first, like us\"],\"against\":[]},\"ru\":{\"for\":[\"качество прежде всего, как и мы\"],\"against\":[]}}'),
     (1795435300, 'Gleb', NULL, '+79160000000', 'Cheap', '{\"price\":-1}', '{\"email\":false,\"phone\":false}', 'ru', -800, 360, 'maybe',
     '{\"en\":{\"for\":[],\"against\":[\"lowest price, unlike us\"]},\"ru\":{\"for\":[],\"against\":[\"самая низкая цена, не как мы\"]}}')" >/dev/null
run "$R" intake list --json
ok "intake list, newest first" json '[r["id"] for r in d["requests"]]==[2,1] and d["requests"][1]["for"]==["quality first, like us"]'
run "$R" intake list
ok "as text, with the reasons" has "$out" "- lowest price, unlike us"
run "$R" intake accept 1 --stage yes --json
ok "intake accept makes the contact" json 'd["status"]=="accepted" and d["contact"]["name"]=="Vera"'
v=$(sql "SELECT contact_id FROM intake_request WHERE id = 1")
ok "at stage yes, with the form's consent" test "$(sql "SELECT stage FROM contact WHERE id = $v")" = yes -a "$(sql "SELECT how FROM consent WHERE contact_id = $v")" = form
ok "the answers became questionnaire traits" test "$(sql "SELECT dimension || value || source FROM contact_trait WHERE contact_id = $v")" = "price1000questionnaire"
run "$R" intake decline 2
ok "intake decline gives the reply in the request's language" has "$out" "Здравствуйте, Gleb"
ok "kept with the request" test "$(sql "SELECT status FROM intake_request WHERE id = 2")" = declined
run "$R" intake accept 2
ok "a declined one cannot be accepted" test "$rc" = 1 -a -n "$(grep -F 'declined already' <<<"$err")"

# the person's data: export, merge, erasure
run "$R" privacy export Vera --json
ok "privacy export has traits and the intake request" json '[t["dimension"] for t in d["traits"]]==["price"] and [r["id"] for r in d["intake_requests"]]==[1]'
"$R" contact add "Vera K" >/dev/null
"$R" trait set "Vera K" term 0.7 >/dev/null
"$R" trait set "Vera K" price -1 >/dev/null
"$R" align mark "Vera K" >/dev/null
run "$R" contact merge "$v" "Vera K"
ok "contact merge" test "$rc" = 0
ok "the duplicate's traits follow where the kept has none" test "$(sql "SELECT value FROM contact_trait WHERE contact_id = $v AND dimension = 'price'") $(sql "SELECT value FROM contact_trait WHERE contact_id = $v AND dimension = 'term'")" = "1000 700"
ok "and the mark" test "$(sql "SELECT contact_id FROM best_client")" = "$v"
run "$R" privacy erase "$v" --yes
ok "privacy erase" test "$rc" = 0
ok "takes the traits, the mark and the request" test "$(sql "SELECT (SELECT count(*) FROM contact_trait WHERE contact_id = $v) + (SELECT count(*) FROM best_client) + (SELECT count(*) FROM intake_request WHERE id = 1)")" = 0
finish
