# The permission ladder end to end: 'stage', 'consent grant|revoke|list',
# the events that move clients (consent, purchase, referral, import,
# merge), and 'funnel' on an example worked by hand.  RAPPORT_TODAY fixes
# the clock at noon of a day, so each command below happens on its day.
. "$(dirname "$0")/lib.sh"
on() { RAPPORT_TODAY=$1 "${@:2}"; } # run a command on a given day
export RAPPORT_TODAY=2026-02-15

"$R" init >/dev/null
for n in "Анна Иванова" "Борис Петров" "Вера Сидорова" "Глеб Орлов" "Дина Смирнова"; do
	"$R" contact add "$n" >/dev/null
done

# ---- the contract ------------------------------------------------------------
run "$R" stage Анна
ok "stage shows the stage" test "$rc" = 0
ok "a new contact is a stranger" has "$out" "Анна Иванова  (#1): stranger"
run "$R" stage Анна --json
ok "stage --json" json 'd["stage"]=="stranger" and d["label"]=="stranger" and d["moves"]==[] and [s["stage"] for s in d["stages"]]==["stranger","attention","yes","dialogue","trust","customer","advocate"]'
run "$R" contact show Анна --json
ok "the card has the stage" json 'd["stage"]=="stranger"'

run "$R" stage Анна --to attention
ok "a move needs --why: exit 1" test "$rc" = 1 -a -z "$out"
ok "and says so" has "$err" "say why the client moves (--why TEXT)"
run "$R" stage Анна --to friend --why "x"
ok "an unknown stage: exit 1" test "$rc" = 1
ok "lists the stages" has "$err" "stranger, attention, yes, dialogue, trust, customer or advocate"
run "$R" stage Анна --why "x"
ok "--why without --to: exit 1" test "$rc" = 1 -a -z "$out"
run "$R" stage Nobody
ok "an unknown contact: exit 1" test "$rc" = 1 -a -z "$out"
run "$R" stage
ok "no contact: usage error" test "$rc" = 2
run "$R" stage Анна --to
ok "--to without a value: usage error" test "$rc" = 2
run "$R" stage Анна --json
ok "refused moves wrote nothing" json 'd["moves"]==[]'

run "$R" consent grant Анна --channel email --purpose news
ok "a consent needs its evidence: exit 1" test "$rc" = 1 -a -z "$out"
ok "and says so" has "$err" "a consent needs its evidence"
run "$R" consent grant Анна --channel fax --purpose news --evidence x
ok "an unknown channel: exit 1" test "$rc" = 1
ok "lists the channels" has "$err" "email, phone, sms, messenger or post"
run "$R" consent grant Анна --channel email --purpose spam --evidence x
ok "an unknown purpose: exit 1" test "$rc" = 1
ok "lists the purposes" has "$err" "service, news, offers or surveys"
run "$R" consent grant Анна --channel email --purpose news --evidence x --how link
ok "--how is how a person heard it: exit 1" test "$rc" = 1
ok "and says which" has "$err" "form, call or in_person"
run "$R" consent grant Анна --purpose news --evidence x
ok "no --channel: usage error" test "$rc" = 2
run "$R" consent list Анна --json
ok "refused consents wrote nothing" json 'd["current"]==[] and d["history"]==[]'
run "$R" consent list Анна
ok "consent list as text" has "$out" "no consent recorded"

# ---- the example ---------------------------------------------------------------
# 20 Feb  Anna -> attention (met at the fair)
# 2 Mar   Anna grants email/news -> yes
# 3 Mar   Boris -> attention
# 4 Mar   Boris grants sms/offers -> yes
# 5 Mar   Anna -> dialogue
# 6 Mar   Vera (referred by Gleb) buys -> customer; Gleb -> advocate
# 7 Mar   Dina -> attention; Dina is removed afterwards
# 9 Mar   Anna buys -> customer
# 10 Mar  Boris revokes sms/offers -> back to attention
# 2 Apr   Boris grants email/news again -> yes (after the period)
run on 2026-02-20 "$R" stage Анна --to attention --why "Met at the fair" --evidence "card from the stand"
ok "stage --to moves" test "$rc" = 0
ok "and shows the move" has "$out" "stranger -> attention  person by tester: Met at the fair [card from the stand]"
run on 2026-03-02 "$R" consent grant Анна --channel email --purpose news --how in_person \
	--evidence "Signed the paper form 'News by email, at most monthly'"
ok "consent grant" test "$rc" = 0
ok "says the stage" has "$out" "granted email/news for contact 1 (in_person); stage now yes"
on 2026-03-03 "$R" stage Борис --to attention --why "Called about the sale" >/dev/null
run on 2026-03-04 "$R" consent grant Борис --channel sms --purpose offers --evidence "Said yes on the phone"
ok "consent grant, --how call by default" has "$out" "(call); stage now yes"
on 2026-03-05 "$R" stage Анна --to dialogue --why "Asked for the spring catalogue" >/dev/null
"$R" relate Вера Глеб --kind referred_by >/dev/null
run on 2026-03-06 "$R" log Вера --kind purchase --amount 4500 --currency RUB "Spring coat"
ok "a purchase is logged" test "$rc" = 0
run "$R" stage Вера --json
ok "a purchase lifts to customer" json 'd["stage"]=="customer" and d["moves"][0]["cause"]=="purchase" and d["moves"][0]["by"] is None and d["moves"][0]["at"]=="2026-03-06T12:00:00Z"'
run "$R" stage Глеб --json
ok "the referrer becomes an advocate" json 'd["stage"]=="advocate" and d["moves"][0]["cause"]=="referral" and d["moves"][0]["from"]=="stranger"'
on 2026-03-07 "$R" stage Дина --to attention --why "Walked in" >/dev/null
on 2026-03-09 "$R" log Анна --kind purchase --amount 12000 --currency RUB "Catalogue order" >/dev/null
run on 2026-03-10 "$R" consent revoke Борис --channel sms --purpose offers
ok "consent revoke needs no evidence" test "$rc" = 0
ok "the last consent withdrawn: back to attention" has "$out" "revoked sms/offers for contact 2 (call); stage now attention"
run "$R" stage Борис --json
ok "the fall is a move" json 'd["moves"][0]["from"]=="yes" and d["moves"][0]["to"]=="attention" and d["moves"][0]["cause"]=="revoke"'
on 2026-04-02 "$R" consent grant Борис --channel email --purpose news --evidence "Website form" --how form >/dev/null
"$R" contact rm Дина >/dev/null

run "$R" consent list Борис --json
ok "consent list: current answers" json '[(c["channel"],c["purpose"],c["state"]) for c in d["current"]]==[("email","news","granted"),("sms","offers","revoked")]'
ok "consent list: the whole history, newest first" json '[h["state"] for h in d["history"]]==["granted","revoked","granted"] and d["history"][2]["evidence"]=="Said yes on the phone" and d["history"][2]["by"]=="tester" and d["history"][2]["how"]=="call"'
run "$R" consent list Борис
ok "consent list as text" has "$out" "sms        offers    revoked  since 2026-03-10"

run "$R" stage Анна
ok "the history, newest first" test "$(grep -c -- ' -> ' <<<"$out")" = 4
ok "with causes" has "$out" "dialogue -> customer  purchase: bought"

# The period is March.  By hand (D: days; contacts added on 15 February):
#   stage      entered             converted          median days in stage       drop-outs
#   stranger   0                   -                  Boris 16, Vera 19, Gleb 19 -> 19   0
#   attention  2 (Boris, Dina*)    1 of 1 (Boris)     Anna 10, Boris 1 -> 5.5            0
#   yes        2 (Anna, Boris)     1 of 2 (Anna)      Anna 3, Boris 6 -> 4.5             1 (Boris)
#   dialogue   1 (Anna)            1 of 1             Anna 4                             0
#   trust      0                   -                  -                                  0
#   customer   2 (Vera, Anna)      0 of 2             -                                  0
#   advocate   1 (Gleb)            -                  -                                  0
# * Dina was removed: she counts as entered, and is not followed further.
run on 2026-04-05 "$R" funnel --from 2026-03-01 --to 2026-03-31 --json
ok "funnel --json" test "$rc" = 0
ok "the period" json 'd["from"]=="2026-03-01" and d["to"]=="2026-03-31"'
ok "entered" json '[s["entered"] for s in d["stages"]]==[0,2,2,1,0,2,1]'
ok "erased" json '[s["erased"] for s in d["stages"]]==[0,1,0,0,0,0,0]'
ok "converted" json '[s["converted"] for s in d["stages"]]==[0,1,1,1,0,0,None]'
ok "conversion" json '[s["conversion"] for s in d["stages"]]==[None,1.0,0.5,1.0,None,0.0,None]'
ok "median days in stage" json '[s["median_days"] for s in d["stages"]]==[19.0,5.5,4.5,4.0,None,None,None]'
ok "drop-outs" json '[s["dropped"] for s in d["stages"]]==[0,0,1,0,0,0,0]'
run on 2026-04-05 "$R" funnel --from 2026-03-01 --to 2026-03-31
ok "funnel as a table" has "$out" "Funnel from 2026-03-01 to 2026-03-31"
ok "the row of yes" grep -Eq '^yes +2 +1 +50% +4\.5 +1$' <<<"$out"
ok "the row of attention" grep -Eq '^attention +2 +1 +100% +5\.5 +0$' <<<"$out"
ok "the row of advocate" grep -Eq '^advocate +1 +- +- +- +0$' <<<"$out"
ok "erased clients are explained" has "$out" "erased since"
run on 2026-03-31 "$R" funnel --json
ok "by default the 30 days up to today" json 'd["from"]=="2026-03-02" and d["to"]=="2026-03-31" and d["stages"][2]["entered"]==2'
run on 2026-04-05 "$R" funnel --from 2026-04-01
ok "--from alone ends today" has "$out" "Funnel from 2026-04-01 to 2026-04-05"
run "$R" funnel --from 2026-03-31 --to 2026-03-01
ok "a period the wrong way round: exit 1" test "$rc" = 1 -a -z "$out"
ok "and says so" has "$err" "after it ends"
run "$R" funnel --from 2026-02-30
ok "an impossible date: exit 1" test "$rc" = 1 -a -z "$out"

# ---- names of the stages ---------------------------------------------------------
run "$R" config set stage.name.yes "Да, пишите"
ok "a stage's name is a setting" test "$rc" = 0
ok "config set shows it" has "$out" "stage.name.yes = Да, пишите"
run "$R" config set stage.name.maybe "x"
ok "only the stages have names" test "$rc" = 1
run "$R" config get --json
ok "config get lists it" json 'd["stage.name.yes"]["value"]=="Да, пишите" and d["stage.name.trust"]["value"] is None'
run "$R" stage Борис --json
ok "the name is the label beside the key" json 'd["stage"]=="yes" and d["label"]=="Да, пишите" and d["stages"][2]=={"stage":"yes","label":"Да, пишите"}'
run "$R" stage Борис
ok "and in the text" has "$out" "yes (Да, пишите)"
run "$R" stage Глеб --to "Да, пишите" --why "Asked to be written to only"
ok "--to takes a name too" test "$rc" = 0
ok "moving down" has "$out" "Глеб Орлов  (#4): yes (Да, пишите)"
run "$R" stage Глеб --to yes --why "again"
ok "where they stand: nothing moves" has "$out" "already there"
run on 2026-04-05 "$R" funnel --from 2026-03-01 --to 2026-03-31
ok "the funnel shows the name" grep -Eq '^yes .* Да, пишите$' <<<"$out"

# Moves are audited under their own name; showing is not.
run "$R" audit --json
ok "moves are audited as 'stage move'" json 'sum(1 for x in d["entries"] if x["action"]=="stage move" and x["ok"])==6 and sum(1 for x in d["entries"] if x["action"]=="stage move" and not x["ok"])==2'
ok "showing is not audited" json 'not any(x["action"]=="stage" for x in d["entries"])'

# ---- imports and merges -------------------------------------------------------------
cat >contacts.csv <<'EOF'
name,email,consent,consent_evidence
Егор Волков,egor@example.org,email:news;sms:offers,"Paper form v2 ""News and offers"""
Лариса Белова,larisa@example.org,,
EOF
run "$R" import contacts contacts.csv
ok "contacts with consents import" test "$rc" = 0
run "$R" consent list Егор --json
ok "each consent is recorded, how import, with the file's evidence" json 'len(d["current"])==2 and all(c["how"]=="import" and c["state"]=="granted" and c["evidence"]=="Paper form v2 \"News and offers\" (import, line 2)" for c in d["current"])'
run "$R" stage Егор --json
ok "an imported consent lifts to yes" json 'd["stage"]=="yes"'
run "$R" consent list Лариса --json
ok "nothing assumed without consent" json 'd["history"]==[]'
printf 'name,consent,consent_evidence\nЗоя Зайцева,email:news,\n' >bad.csv
run "$R" import contacts bad.csv
ok "a consent without evidence is a bad row" test "$rc" = 1
ok "named with its line" has "$err" "line 2: a consent needs its evidence"
run "$R" contact list --name Зоя --json
ok "and nothing is imported" json 'd["contacts"]==[]'

cat >touches.csv <<'EOF'
contact_email,at,kind,amount,currency,summary
larisa@example.org,2026-03-20T10:00:00Z,call,,,Asked about sizes
larisa@example.org,2026-03-21T10:00:00Z,purchase,3000,RUB,Boots
egor@example.org,2026-03-22T10:00:00Z,note,,,Liked the newsletter
EOF
"$R" relate Лариса Анна --kind referred_by >/dev/null
run "$R" import interactions touches.csv
ok "interactions import" test "$rc" = 0
run "$R" stage Лариса --json
ok "an imported purchase lifts to customer" json 'd["stage"]=="customer" and d["moves"][0]["cause"]=="purchase"'
run "$R" stage Анна --json
ok "and the referrer to advocate" json 'd["stage"]=="advocate" and d["moves"][0]["cause"]=="referral"'
run "$R" stage Егор --json
ok "a note moves nobody" json 'd["stage"]=="yes"'

"$R" contact add "Егор В." >/dev/null
on 2026-04-20 "$R" stage "Егор В." --to trust --why "Long talk at the shop" >/dev/null
run "$R" contact merge "Егор Волков" "Егор В."
ok "merge" test "$rc" = 0
run "$R" stage "Егор Волков" --json
ok "merge keeps the higher stage and both histories" json 'd["stage"]=="trust" and len(d["moves"])==2'
run "$R" consent list "Егор Волков" --json
ok "and the consents" json 'len(d["history"])==2'

run "$R" stage --help
ok "stage --help" test "$rc" = 0
ok "says moving needs staff" has "$out" "moving needs the role staff"
finish
