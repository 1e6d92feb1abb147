# Trust and communities over HTTP: the routes answer with the command line's JSON.
. "$(dirname "$0")/lib.sh"
export RAPPORT_NOW=2026-11-23T10:00:00Z
"$R" init >/dev/null
for who in viewer staff; do
	printf 'password-of-%s\n' "$who" | "$R" user add "$who" --role "$who" >/dev/null
	"$R" token create "$who" >"token.$who"
done
for n in "Anna Ivanova" "Boris Petrov" "Clara Sokolova"; do "$R" contact add "$n" >/dev/null; done
"$R" relate Petrov Ivanova --kind friend >/dev/null
"$R" relate Sokolova Petrov --kind family >/dev/null
serve
S=$(auth "$(cat token.staff)") V=$(auth "$(cat token.viewer)")
J='Content-Type: application/json'

call POST /api/v1/contacts/2/trust -H "$S" -H "$J" -d '{"by": "company", "act": "defect", "text": "delivered late and said nothing", "on": "2026-11-03"}'
ok "POST /contacts/2/trust" test "$status" = 200
ok "answers the act with its id" json 'd["id"]==1 and d["by"]=="company" and d["act"]=="defect" and d["on"]=="2026-11-03" and d["state"]=="we let them down"'
call POST /api/v1/contacts/2/trust -H "$V" -H "$J" -d '{"by": "company", "act": "defect", "text": "x"}'
ok "a viewer may not record" test "$status" = 403
call POST /api/v1/contacts/2/trust -H "$S" -H "$J" -d '{"by": "us", "act": "defect", "text": "x"}'
ok "a bad side is 400" test "$status" = 400
call POST /api/v1/contacts/9/trust -H "$S" -H "$J" -d '{"by": "client", "act": "defect", "text": "x"}'
ok "an unknown contact is 404" test "$status" = 404
call GET /api/v1/contacts/2/trust -H "$V"
ok "GET /contacts/2/trust" json 'd["contact"]=={"id":2,"name":"Boris Petrov"} and d["state"]=="we let them down" and d["recommendation"]["act"]=="make good" and len(d["acts"])==1'
call GET /api/v1/contacts/2 -H "$V"
ok "the card's trust" json 'd["trust"]["state"]=="we let them down" and "acts" not in d["trust"]'
call GET /api/v1/contacts/1 -H "$V"
ok "no history: null" json 'd["trust"] is None'
call GET /api/v1/agenda -H "$V"
ok "the agenda's trust block" json '[(t["contact"]["name"],t["reason"]) for t in d["trust"]]==[("Boris Petrov","we let them down on 3 Nov and have not made it good")]'

call POST /api/v1/communities -H "$S" -H "$J" -d '{"name": "Book club", "rules": "come on time"}'
ok "POST /communities" json 'd["id"]==1 and d["name"]=="Book club" and d["members"]==[]'
call POST /api/v1/communities -H "$S" -H "$J" -d '{"name": "book CLUB"}'
ok "a taken name is 409" test "$status" = 409
call POST /api/v1/communities -H "$V" -H "$J" -d '{"name": "Choir"}'
ok "a viewer may not add" test "$status" = 403
for c in 1 2 3; do
	call POST /api/v1/communities/1/members -H "$S" -H "$J" -d "{\"contact\": \"$c\"}"
done
ok "POST /communities/1/members" json 'd["contact"]=={"id":3,"name":"Clara Sokolova"} and d["role"]=="member" and d["members"]==3'
call POST /api/v1/communities/1/members -H "$S" -H "$J" -d '{"contact": "3"}'
ok "already a member is 409" test "$status" = 409
call POST /api/v1/communities/1/members -H "$S" -H "$J" -d '{"contact": "3", "role": "king"}'
ok "a bad role is 400" test "$status" = 400
call POST /api/v1/communities/7/members -H "$S" -H "$J" -d '{"contact": "3"}'
ok "an unknown community is 404" test "$status" = 404
call GET /api/v1/communities -H "$V"
ok "GET /communities" json '[(c["name"],c["members"]) for c in d["communities"]]==[("Book club",3)]'
call GET /api/v1/communities/1 -H "$V"
ok "GET /communities/1" json 'len(d["members"])==3 and len(d["ties"])==2 and d["members"][1]["trust_state"]=="we let them down"'
# Done means: a member we let down raises a contagion alert naming who is at risk.
call GET /api/v1/communities/1/health -H "$V"
ok "GET /communities/1/health: the alert" json 'd["community"]=={"id":1,"name":"Book club"} and [(a["contact"]["id"],a["why"],a["touches"],[r["name"] for r in a["at_risk"]]) for a in d["alerts"]]==[(2,"we let them down",2,["Anna Ivanova","Clara Sokolova"])]'
call GET /api/v1/communities/7/health -H "$V"
ok "health of an unknown community is 404" test "$status" = 404
call DELETE /api/v1/communities/1/members/3 -H "$V"
ok "a viewer may not remove a member" test "$status" = 403
call DELETE /api/v1/communities/1/members/3 -H "$S"
ok "DELETE /communities/1/members/3" test "$status" = 200
call DELETE /api/v1/communities/1/members/3 -H "$S"
ok "not a member: 404" test "$status" = 404
finish
