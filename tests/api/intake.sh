# The public intake form over HTTP: a request close to the profile is
# triaged "ours", a far one "not ours", each with reasons; floods get 429,
# malformed input and spam 400, and a refused request writes nothing.
. "$(dirname "$0")/lib.sh"
"$R" init >/dev/null
printf 'password-of-staff\n' | "$R" user add staff --role staff >/dev/null
"$R" token create staff >token.staff
printf 'password-of-manager\n' | "$R" user add boss --role manager >/dev/null
"$R" token create boss >token.boss
"$R" profile preset atelier >/dev/null
serve
S=$(auth "$(cat token.staff)")
J='Content-Type: application/json'
count() { sql "SELECT count(*) FROM intake_request"; }

call GET /api/v1/intake/questions
ok "the questions need no login" test "$status" = 200
ok "they are the profile's" json '[q["key"] for q in d["questions"]]==["price","term","pace","formality","novelty"] and d["questions"][0]["left"]=="lowest price"'
call GET /api/v1/intake/questions -H 'Accept-Language: ru'
ok "in Russian for a Russian reader" json 'd["questions"][0]["right"]=="качество прежде всего"'

call GET /intake -H 'Accept: text/html'
ok "GET /intake is a page" test "$status" = 200
ok "an HTML form" has "$out" '<form method="post">'
ok "with the profile's questions on a scale" has "$out" 'name="a.price" value="-1"'
ok "and a field people do not see" has "$out" 'name="website" tabindex="-1"'
call GET /intake
ok "a program gets the form as JSON" json 'any(f["name"]=="a.term" and f["kind"]=="scale" for f in d["fields"])'

# close to the profile: quality, long-term, take the time
call POST /api/v1/intake -H "$J" -d '{"name":"Анна Иванова","email":"anna@example.org","message":"Хочу пальто на много лет",
	"answers":{"price":1,"term":0.9,"pace":0.5,"formality":0.5},"consent":{"email":true}}'
ok "a request needs no login" test "$status" = 200
ok "answers received and the id" json 'd["received"] is True and d["id"]==1'
# far from it: the lowest price, once, fast
call POST /api/v1/intake -H "$J" -H 'Accept-Language: ru' -d '{"name":"Boris","phone":"+7 916 123-45-67","message":"cheapest possible, by tomorrow",
	"answers":{"price":-1,"term":-1,"pace":-1}}'
ok "a second request" json 'd["id"]==2'

call GET /api/v1/intake
ok "anonymous may not see the queue" test "$status" = 401
call GET "/api/v1/intake?status=pending" -H "$S"
ok "the queue, newest first" json '[r["id"] for r in d["requests"]]==[2,1]'
ok "the close one is ours, with reasons for" json '(lambda r: r["verdict"]=="ours" and r["score"]>=0.5 and "quality first, like us" in r["for"] and r["against"]==[])(d["requests"][1])'
ok "the far one is not ours, with reasons against" json '(lambda r: r["verdict"]=="not ours" and r["score"]<=0 and "lowest price, unlike us" in r["against"] and r["for"]==[])(d["requests"][0])'
ok "the answers and the phone as sent (canonical)" json '(lambda r: r["answers"]=={"price":-1,"term":-1,"pace":-1} and r["phone"]=="+79161234567")(d["requests"][0])'
call GET /api/v1/intake -H "$S" -H 'Accept-Language: ru'
ok "reasons in Russian for a Russian reader" json '"самая низкая цена, не как мы" in d["requests"][0]["against"]'

# refusals write nothing (the throttle's count starts afresh for them)
sql "DELETE FROM auth_failure" >/dev/null
before=$(count)
call POST /api/v1/intake -H "$J" -d '{"name":"x","email":"x@example.org","message":"hi","answers":{"price":5}}'
ok "an answer out of range: 400" test "$status" = 400
ok "saying what was wrong" has "$out" "from -1 to 1"
call POST /api/v1/intake -H "$J" -d '{"name":"x","email":"x@example.org","message":"hi","answers":{"colour":1}}'
ok "an unknown question: 400" test "$status" = 400
call POST /api/v1/intake -H "$J" -d '{"name":"x","message":"hi"}'
ok "no way to answer: 400" test "$status" = 400
call POST /api/v1/intake -H "$J" -d '{"name":"x","email":"x@example.org","message":"hi"'
ok "malformed JSON: 400" test "$status" = 400
call POST /api/v1/intake -H "$J" -d '{"name":"x","email":"x@example.org","message":"cheap pills https://spam.example"}'
ok "links in the message: refused as spam (400)" test "$status" = 400 -a -n "$(grep -i spam <<<"$out")"
ok "refusals wrote nothing" test "$(count)" = "$before"

# a flood from one address: the eleventh within 15 minutes is refused
sql "DELETE FROM auth_failure" >/dev/null
got=
for i in $(seq 1 12); do
	call POST /api/v1/intake -H "$J" -d '{"name":"Flood","email":"f@example.org","message":"again","website":"http://bot"}'
	[ "$status" = 429 ] && got=$i && break
	[ "$status" = 400 ] || break
done
ok "the honeypot filled: refused as spam" test "$(count)" = "$before"
ok "too many from one address: the eleventh gets 429" test "$got" = 11
ok "with Retry-After" grep -qi '^retry-after: [0-9]' <<<"$hdr"
call POST /api/v1/intake -H "$J" -d '{"name":"Polite","email":"p@example.org","message":"a fair request"}'
ok "even a good request waits then" test "$status" = 429
ok "and nothing was written" test "$(count)" = "$before"

# triage
call POST /api/v1/intake/1/accept -H "$S" -H "$J" -d '{"stage":"yes"}'
ok "accept: the contact is made" json 'd["status"]=="accepted" and d["contact"]["name"]=="Анна Иванова"'
c=$(sql "SELECT contact_id FROM intake_request WHERE id = 1")
ok "at stage yes, with the consent the form recorded" test "$(sql "SELECT stage FROM contact WHERE id = $c") $(sql "SELECT state || ' ' || how FROM consent WHERE contact_id = $c")" = "yes granted form"
ok "its answers are traits from the questionnaire" test "$(sql "SELECT count(*) FROM contact_trait WHERE contact_id = $c AND source = 'questionnaire'")" = 4
call GET "/api/v1/contacts/$c/alignment" -H "$S"
ok "and the contact is ours" json 'd["verdict"]=="ours" and d["contact"]["id"]=='"$c"
call POST /api/v1/intake/1/accept -H "$S" -H "$J" -d '{}'
ok "twice: 409" test "$status" = 409
call POST /api/v1/intake/2/accept -H "$S" -H "$J" -d '{"stage":"yes"}'
ok "yes without consent: 400" test "$status" = 400
call POST /api/v1/intake/2/decline -H "$S" -H "$J" -d '{}'
ok "decline: a polite reply in the request's language" json 'd["status"]=="declined" and d["reply"].startswith("Здравствуйте, Boris")'
ok "no contact for a declined one" test "$(sql "SELECT count(*) FROM contact")" = 1
call GET "/api/v1/intake?status=declined" -H "$S"
ok "kept with its reply" json '[r["id"] for r in d["requests"]]==[2] and d["requests"][0]["reply"].startswith("Здравствуйте")'

# the profile and traits over HTTP take numbers
M=$(auth "$(cat token.boss)")
call PUT /api/v1/profile/price -H "$S" -H "$J" -d '{"position":0.9,"weight":1}'
ok "staff may not change the profile" test "$status" = 403
call PUT /api/v1/profile/price -H "$M" -H "$J" -d '{"position":0.9,"weight":1}'
ok "a manager may: numbers in, numbers out" json 'd["key"]=="price" and d["position"]==0.9 and d["weight"]==1'
call PUT /api/v1/profile/price -H "$M" -H "$J" -d '{"position":"high"}'
ok "a position that is not a number: 400" test "$status" = 400
call PUT "/api/v1/contacts/$c/traits/novelty" -H "$S" -H "$J" -d '{"value":-0.5,"source":"person"}'
ok "PUT a trait" json 'd["dimension"]=="novelty" and d["value"]==-0.5 and d["source"]=="person" and d["by"]=="staff" and d["contact"]["id"]=='"$c"
call GET "/api/v1/contacts/$c/traits" -H "$S"
ok "GET the traits" json 'len(d["traits"])==5'
call DELETE "/api/v1/contacts/$c/traits/novelty" -H "$S"
ok "DELETE a trait" test "$status" = 200
call GET "/api/v1/contacts/$c" -H "$S"
ok "the card has the alignment" json 'd["alignment"]["verdict"]=="ours"'
call GET /api/v1/profile/suggest -H "$S"
ok "GET /profile/suggest" json 'd["from"]=="marked" and d["clients"]==0 and len(d["sorted"])==4'
call GET /api/v1/alignment/report -H "$S"
ok "GET /alignment/report" json 'sum(d["distribution"]["counts"])==1'

# the HTML form posts back (another address would be needed past the throttle: clear it)
sql "DELETE FROM auth_failure" >/dev/null
call POST /intake -H 'Accept: text/html' -H 'Content-Type: application/x-www-form-urlencoded' \
	--data 'name=Vera+K&email=vera%40example.org&message=A+coat&a.price=1&a.term=1&consent_email=1&website='
ok "the form's post is thanked" test "$status" = 200 -a -n "$(grep 'Thank you' <<<"$out")"
ok "and queued with its answers and consent" test "$(sql "SELECT answers || ' ' || consent FROM intake_request WHERE name = 'Vera K'")" = '{"price":1.0,"term":1.0} {"email":true,"phone":false}'
call POST /intake -H 'Accept: text/html' -H 'Content-Type: application/x-www-form-urlencoded' \
	--data 'name=Bot&email=bot%40example.org&message=hi&website=http%3A%2F%2Fx'
ok "the form with its hidden field filled: 400 page" test "$status" = 400 -a -n "$(grep -i spam <<<"$out")"
# A field without '=' (found by tests/fuzz/fuzz_public.c): it once took
# the server down; now it is a field with an empty value.
call POST /intake -H 'Accept: text/html' -H 'Content-Type: application/x-www-form-urlencoded' --data 'name'
ok "a form field without '=': 400 page, the name is missing" test "$status" = 400 -a -n "$(grep -i 'name' <<<"$out")"
call POST /intake -H 'Accept: text/html' -H 'Content-Type: application/x-www-form-urlencoded' \
	--data 'name=Ida&email=ida%40example.org&message=hello&consent_email'
ok "a bare consent box is ticked" test "$status" = 200
ok "and the server still answers" test "$(curl -s -o /dev/null -w '%{http_code}' "$BASE/")" = 200
call POST /intake -H 'Accept: text/html' -H 'Content-Type: application/x-www-form-urlencoded' \
	--data 'name=Ida&email=ida%40example.org&message=hello&a.price=inf'
ok "an infinite answer is refused, not dropped" test "$status" = 400 -a -n "$(grep -- '-1 to 1' <<<"$out")"
finish
