# The outbox against a real SMTP server (Debian's python3-aiosmtpd, each
# message kept in a maildir): the gate refuses without consent and keeps the
# refusal, delivers with it, stops when it is withdrawn (from the command
# line, or by the link every message carries); double opt-in through the
# public signup; links that work once and expire; throttling; other channels
# exported; and no code but the gate's that can deliver.
. "$(dirname "$0")/lib.sh"

"$R" init >/dev/null
"$R" contact add "Анна Петровна Иванова" --email anna@example.org >/dev/null
"$R" contact add "Boris Brown" --email boris@example.org --phone "+7 916 123-45-67" >/dev/null
"$R" contact add "Nobody Without Mail" >/dev/null
for who in viewer staff manager; do
	printf 'password-of-%s\n' "$who" | "$R" user add "$who" --role "$who" >/dev/null
	eval "TOKEN_$who=\$(\"\$R\" token create $who)"
done

mailserver
serve
ok "the SMTP server runs" python3 -c "import socket; socket.create_connection(('127.0.0.1', $SMTP_PORT), 1)"
jget() { python3 -c "import json, sys; print(json.loads(sys.argv[1])$2)" "$1"; }
state_of() { sql "SELECT state FROM outbox WHERE id = $1"; }
consent_of() { # contact channel purpose: the current answer
	sql "SELECT state FROM consent WHERE contact_id = $1 AND channel = '$2' AND purpose = '$3' ORDER BY id DESC LIMIT 1"
}

# Before the settings: nothing can go, and the command says what to set.
run "$R" send Иванова --channel email --purpose news --subject "Hi" --body "Hello"
ok "without public.url nothing is sent, and it says what to set" test "$rc" = 1 -a -n "$(has "$err" "public.url" && echo y)"
run "$R" config set smtp.url "smtp://user:secret@127.0.0.1:$SMTP_PORT"
ok "a password in smtp.url is refused (it would be stored in clear)" test "$rc" = 1 -a -n "$(has "$err" ".netrc" && echo y)"
run "$R" config set public.url "ftp://example.org"
ok "public.url must be http(s)" test "$rc" = 1
"$R" config set smtp.url "smtp://127.0.0.1:$SMTP_PORT" >/dev/null
"$R" config set smtp.from "Ателье «Шов» <shop@example.org>" >/dev/null
run "$R" config set public.url "$BASE/"
ok "public.url is set" test "$rc" = 0
run "$R" config get --json
ok "config get shows the outbox's settings" json 'd["smtp.url"]["value"].startswith("smtp://127.0.0.1") and d["public.url"]["value"]'

# 1. No consent: refused, kept with the reason, nothing arrives.
run "$R" send Иванова --channel email --purpose news --subject "Новая коллекция" --body "Анна, у нас новая коллекция."
ok "a message without consent is refused: exit 1" test "$rc" = 1
ok "with the reason" has "$err" "has not agreed to receive news by email (consent: none)"
ok "nothing on stdout" test -z "$out"
ok "the refusal is in the outbox" test "$(sql "SELECT state FROM outbox WHERE reason IS NOT NULL ORDER BY id DESC LIMIT 1"):$(sql "SELECT count(*) FROM outbox")" = "refused:1"
ok "nothing reached the mail server" test "$(mails)" = 0
run "$R" outbox --state refused --json
ok "outbox --state refused lists it with its reason" json 'len(d["messages"]) == 1 and d["messages"][0]["state"] == "refused" and "consent" in d["messages"][0]["reason"] and d["messages"][0]["contact"]["name"].startswith("Анна")'

# 2. With consent: delivered to the SMTP server.
"$R" consent grant Иванова --channel email --purpose news --evidence "Signed the paper form: news by email" >/dev/null
subject="Новая коллекция — осень"
run "$R" send Иванова --channel email --purpose news --subject "$subject" --body "Анна, у нас новая коллекция.
.Строка с точкой в начале."
ok "with consent the message goes: exit 0" test "$rc" = 0
ok "and says so" has "$out" "sent message"
ok "the SMTP server got one message" test "$(mails)" = 1
m=$(lastmail)
ok "To: the contact's address, with the name" test "$(jget "$m" '["to"]')" = "Анна Петровна Иванова <anna@example.org>"
ok "From: smtp.from" test "$(jget "$m" '["from"]')" = "Ателье «Шов» <shop@example.org>"
ok "Subject: decoded as sent" test "$(jget "$m" '["subject"]')" = "$subject"
ok "the body arrives whole (a leading dot too)" has "$(jget "$m" '["body"]')" ".Строка с точкой в начале."
ok "Date and Message-ID are there" test -n "$(jget "$m" '["date"]')" -a -n "$(jget "$m" '["message_id"]')"
wurl=$(jget "$m" '["unsubscribe"]')
ok "List-Unsubscribe holds the withdrawal link" has "$wurl" "$BASE/api/v1/public/withdraw/"
ok "with the one-click POST (RFC 8058)" test "$(jget "$m" '["post"]')" = "List-Unsubscribe=One-Click"
ok "and the body holds the same link" has "$(jget "$m" '["body"]')" "$wurl"
wtok=${wurl##*/}
ok "the link's secret is not stored, only its hash" test "$(sql "SELECT count(*) FROM consent_link WHERE token_hash = '$wtok'"):$(sql "SELECT count(*) FROM consent_link WHERE token_hash = '$(hash_of "$wtok")'")" = "0:1"
ok "nor in the outbox's copy of the message" test "$(sql "SELECT count(*) FROM outbox WHERE body LIKE '%$wtok%'")" = 0
id=$(sql "SELECT max(id) FROM outbox")
ok "the outbox row is sent, with the address and the time" test "$(sql "SELECT state || ' ' || address FROM outbox WHERE id = $id AND sent_at IS NOT NULL")" = "sent anna@example.org"
run "$R" send Boris --channel email --purpose news --subject "Plain news" --body "Hello Boris, a plain line that is long enough to be folded by quoted-printable at seventy-six."
ok "a message to someone else without consent: refused" test "$rc" = 1
"$R" consent grant Boris --channel email --purpose news --evidence "web form" >/dev/null
run "$R" send Boris --channel email --purpose news --subject "Plain news" --body "Hello Boris, a plain line that is long enough to be folded by quoted-printable at seventy-six."
m=$(lastmail)
ok "Latin text goes as quoted-printable, and arrives whole" test "$(jget "$m" '["cte"]')" = "quoted-printable" -a -n "$(has "$(jget "$m" '["body"]')" "folded by quoted-printable at seventy-six." && echo y)"

# 3. A withdrawn consent stops the next message.
"$R" consent revoke Иванова --channel email --purpose news >/dev/null
n=$(mails)
run "$R" send Иванова --channel email --purpose news --subject "Ещё" --body "Ещё новости"
ok "after the consent is revoked the next message is refused" test "$rc" = 1
ok "saying the consent is revoked" has "$err" "consent: revoked"
ok "and nothing more arrived" test "$(mails)" = "$n"

# 4. The link in a message withdraws, with one click, no login.
"$R" consent grant Иванова --channel email --purpose news --evidence "Asked again in the shop" >/dev/null
"$R" send Иванова --channel email --purpose news --subject "Снова" --body "Снова новости" >/dev/null
wurl=$(jget "$(lastmail)" '["unsubscribe"]')
call GET "${wurl#"$BASE"}"
ok "following the withdrawal link works without a login" test "$status" = 200
ok "and answers that the consent is withdrawn" json 'd["state"] == "revoked" and d["purpose"] == "news"'
ok "the consent is revoked, by the link, by nobody of the team" test "$(sql "SELECT state || ' ' || how || ' ' || coalesce(by_user, '-') FROM consent WHERE contact_id = 1 ORDER BY id DESC LIMIT 1")" = "revoked link -"
run "$R" send Иванова --channel email --purpose news --subject "После" --body "После отписки"
ok "the next message is refused" test "$rc" = 1
call GET "${wurl#"$BASE"}" -H 'Accept: text/html'
ok "again: still fine, and a browser gets a page" test "$status" = 200 -a -n "$(has "$out" "<h1>You are unsubscribed</h1>" && echo y)"
ok "a second click wrote no second row" test "$(sql "SELECT count(*) FROM consent WHERE contact_id = 1 AND state = 'revoked' AND how = 'link'")" = 1
"$R" consent grant Boris --channel email --purpose news --evidence "web form" >/dev/null
"$R" send Boris --channel email --purpose news --subject "More" --body "More news" >/dev/null
burl=$(jget "$(lastmail)" '["unsubscribe"]')
call POST "${burl#"$BASE"}" -H 'Content-Type: application/x-www-form-urlencoded' -d 'List-Unsubscribe=One-Click'
ok "a mail program's one-click POST withdraws too" test "$status" = 200 -a "$(consent_of 2 email news)" = revoked
call GET /api/v1/public/withdraw/not-a-real-token-of-any-kind
ok "an unknown link: 404" test "$status" = 404
ok "no token of a link is in the audit log" test "$(sql "SELECT count(*) FROM audit WHERE target LIKE '%${wurl##*/}%' OR target LIKE '%${burl##*/}%'")" = 0

# 5. Over HTTP: the same gate, 409 with the reason.
call POST /api/v1/outbox -H "$(auth "$TOKEN_staff")" -H 'Content-Type: application/json' \
	-d '{"contact":"Иванова","channel":"email","purpose":"news","subject":"X","body":"Y"}'
ok "over HTTP a refused message is 409" test "$status" = 409
ok "with the reason" json 'd["error"]["code"] == "conflict" and "consent: revoked" in d["error"]["message"]'
call POST /api/v1/outbox -H "$(auth "$TOKEN_viewer")" -H 'Content-Type: application/json' \
	-d '{"contact":"Иванова","channel":"email","purpose":"news","subject":"X","body":"Y"}'
ok "a viewer may not send: 403" test "$status" = 403
call GET "/api/v1/outbox?state=sent&limit=2" -H "$(auth "$TOKEN_viewer")"
ok "a viewer reads the outbox, newest first" json 'len(d["messages"]) == 2 and all(m["state"] == "sent" for m in d["messages"]) and d["messages"][0]["id"] > d["messages"][1]["id"]'
run "$R" send "Nobody" --channel email --purpose service --subject "X" --body "Y"
ok "a contact without consent and address: refused" test "$rc" = 1
"$R" consent grant Nobody --channel email --purpose service --evidence "said so" >/dev/null
run "$R" send "Nobody" --channel email --purpose service --subject "X" --body "Y"
ok "with consent but no address: refused, saying so" test "$rc" = 1 -a -n "$(has "$err" "has no email" && echo y)"

# 6. Double opt-in: signup, confirmation mail, the link confirms once.
n=$(mails)
call POST /api/v1/public/signup -H 'Content-Type: application/json' \
	-d '{"name":"Вера Сёмина","email":"Vera@Example.org","purpose":"news","shown":"Новости раз в месяц? [Да]"}'
ok "a signup needs no login" test "$status" = 200
ok "and answers that a confirmation is on its way" json 'd["state"] == "pending" and d["email"] == "vera@example.org"'
vera=$(sql "SELECT contact_id FROM contact_channel WHERE kind = 'email' AND value = 'vera@example.org'")
ok "the contact is made, the address folded" test -n "$vera"
ok "the consent is pending, with the evidence" test "$(sql "SELECT state || ' ' || how FROM consent WHERE contact_id = $vera ORDER BY id DESC LIMIT 1")" = "pending signup"
ok "the evidence holds what was shown and from where" has "$(sql "SELECT evidence FROM consent WHERE contact_id = $vera ORDER BY id DESC LIMIT 1")" '"shown":"Новости раз в месяц? [Да]"'
ok "the confirmation arrived" test "$(mails)" = $((n + 1))
m=$(lastmail)
ok "to the signed-up address" has "$(jget "$m" '["to"]')" "<vera@example.org>"
curl_=$(python3 -c "import json, re, sys; print(re.search(r'(http\S*/confirm/[A-Za-z0-9_-]+)', json.loads(sys.argv[1])['body']).group(1))" "$m")
ok "with a confirmation link" has "$curl_" "$BASE/api/v1/public/confirm/"
ok "and a withdrawal link, as every message" has "$(jget "$m" '["unsubscribe"]')" "/withdraw/"
ok "the confirmation is in the outbox as a service message, without the link's secret" test "$(sql "SELECT state || ' ' || purpose FROM outbox WHERE body NOT LIKE '%${curl_##*/}%' ORDER BY id DESC LIMIT 1"):$(sql "SELECT max(id) FROM outbox WHERE purpose = 'service'")" = "sent service:$(sql "SELECT max(id) FROM outbox")"
cpath=${curl_#"$BASE"}
call GET "$cpath" -H 'Accept: text/html'
ok "the link opens a page with one button that posts" test "$status" = 200 -a -n "$(has "$out" '<form method="post"><button type="submit">Confirm</button>' && echo y)"
ok "opening it changed nothing (a link checker must not confirm)" test "$(consent_of "$vera" email news)" = pending
call POST "$cpath" -H 'Content-Type: application/x-www-form-urlencoded'
ok "pressing the button confirms at once" test "$status" = 200 && ok "granted" json 'd["state"] == "granted"'
ok "the consent is granted, by the link" test "$(sql "SELECT state || ' ' || how FROM consent WHERE contact_id = $vera ORDER BY id DESC LIMIT 1")" = "granted link"
ok "its evidence keeps the signup's" has "$(sql "SELECT evidence FROM consent WHERE contact_id = $vera ORDER BY id DESC LIMIT 1")" "Новости раз в месяц"
ok "the ladder moved to yes" test "$(sql "SELECT stage FROM contact WHERE id = $vera")" = yes
call POST "$cpath"
ok "the second time the link fails: 409" test "$status" = 409
ok "saying it was used" json '"already used" in d["error"]["message"]'
call GET "$cpath" -H 'Accept: text/html'
ok "its page says so too" test "$status" = 409 -a -n "$(has "$out" "already used" && echo y)"
run "$R" send "$vera" --channel email --purpose news --subject "Welcome" --body "Welcome, Vera"
ok "news to the confirmed address go" test "$rc" = 0

# An expired link changes nothing.
call POST /api/v1/public/signup -H 'Content-Type: application/json' \
	-d '{"email":"late@example.org","purpose":"offers","shown":"Offers? [Yes]"}'
ok "a second signup" test "$status" = 200
lurl=$(python3 -c "import json, re, sys; print(re.search(r'(http\S*/confirm/[A-Za-z0-9_-]+)', json.loads(sys.argv[1])['body']).group(1))" "$(lastmail)")
late=$(sql "SELECT contact_id FROM contact_channel WHERE value = 'late@example.org'")
ok "its link expires after optin.hours" test "$(sql "SELECT expires_at - created_at FROM consent_link WHERE token_hash = '$(hash_of "${lurl##*/}")'")" = $((48 * 3600))
sql "UPDATE consent_link SET expires_at = created_at - 1 WHERE token_hash = '$(hash_of "${lurl##*/}")'" >/dev/null
call POST "${lurl#"$BASE"}"
ok "after expiry the link fails: 409" test "$status" = 409
ok "saying it expired" json '"expired" in d["error"]["message"]'
ok "and the consent stays pending" test "$(consent_of "$late" email offers)" = pending
ok "the link is not spent by the attempt" test "$(sql "SELECT count(*) FROM consent_link WHERE token_hash = '$(hash_of "${lurl##*/}")' AND used_at IS NULL")" = 1
call POST "/api/v1/public/confirm/${wurl##*/}"
ok "a withdrawal link does not confirm" test "$status" = 404
call POST /api/v1/public/signup -H 'Content-Type: application/json' -d '{"email":"x@example.org","purpose":"service","shown":"x"}'
ok "no signup for service messages: 400" test "$status" = 400
call POST /api/v1/public/signup -H 'Content-Type: application/json' -d '{"email":"not an address","purpose":"news","shown":"x"}'
ok "a bad address: 400" test "$status" = 400

# Throttling: signups per network address.
got=
for i in $(seq 12); do
	call POST /api/v1/public/signup -H 'Content-Type: application/json' \
		-d "{\"email\":\"flood$i@example.org\",\"purpose\":\"news\",\"shown\":\"x\"}"
	[ "$status" = 429 ] && got=$i && break
done
ok "too many signups from one address: 429" test -n "$got"
ok "with Retry-After" grep -qi '^retry-after: [0-9]' <<<"$hdr"
ok "saying why" json '"too many signups" in d["error"]["message"]'

# 7. A mail server that cannot be reached: kept as failed, with the error.
"$R" config set smtp.url "smtp://127.0.0.1:1" >/dev/null
"$R" consent grant Boris --channel email --purpose news --evidence "web form" >/dev/null
run "$R" send Boris --channel email --purpose news --subject "Lost?" --body "Not lost"
ok "an unreachable mail server: exit 1" test "$rc" = 1 -a -n "$(has "$err" "not delivered" && echo y)"
ok "the message is kept as failed, with the error" test "$(sql "SELECT state FROM outbox WHERE reason LIKE '%mail server%' AND id = (SELECT max(id) FROM outbox)")" = failed
"$R" config set smtp.url "smtp://127.0.0.1:$SMTP_PORT" >/dev/null

# 8. Other channels wait for the export, which checks the consent again.
"$R" consent grant Boris --channel sms --purpose offers --evidence "ticked the SMS box" >/dev/null
run "$R" send Boris --channel sms --purpose offers --body "Sale: -20% until Sunday"
ok "an SMS waits in the outbox" test "$rc" = 0 -a "$(sql "SELECT state || ' ' || address FROM outbox ORDER BY id DESC LIMIT 1")" = "queued +79161234567"
first=$(sql "SELECT max(id) FROM outbox")
"$R" send Boris --channel sms --purpose offers --body "Second offer" >/dev/null
second=$(sql "SELECT max(id) FROM outbox")
run "$R" outbox export --channel sms sms.csv
ok "export writes the file" test "$rc" = 0 -a -s sms.csv
ok "and says how many" has "$out" "exported 2 sms messages"
ok "each row with its address, text and own withdrawal link" python3 - <<-'PY'
	import csv, sys
	rows = list(csv.DictReader(open("sms.csv", newline="")))
	ok = len(rows) == 2 and rows[0]["address"] == "+79161234567" and rows[0]["text"].startswith("Sale: -20%")
	ok = ok and "/api/v1/public/withdraw/" in rows[0]["withdraw_url"] and rows[0]["withdraw_url"] in rows[0]["text"]
	ok = ok and rows[0]["withdraw_url"] != rows[1]["withdraw_url"]
	sys.exit(0 if ok else 1)
PY
ok "the exported messages are sent" test "$(state_of "$first") $(state_of "$second")" = "sent sent"
"$R" send Boris --channel sms --purpose offers --body "Third offer" >/dev/null
third=$(sql "SELECT max(id) FROM outbox")
"$R" consent revoke Boris --channel sms --purpose offers >/dev/null
call POST /api/v1/outbox/export -H "$(auth "$TOKEN_manager")" -H 'Content-Type: application/json' -d '{"channel":"sms"}'
ok "over HTTP the export is CSV" test "$status" = 200 && ok "text/csv" grep -qi '^content-type: text/csv' <<<"$hdr"
ok "a consent withdrawn after queueing refuses the message at export" test "$(state_of "$third")" = refused -a "$(wc -l <<<"$out")" = 1
call POST /api/v1/outbox/export -H "$(auth "$TOKEN_staff")" -H 'Content-Type: application/json' -d '{"channel":"sms"}'
ok "staff may not export: 403" test "$status" = 403
run "$R" outbox export --channel email
ok "email is not exported" test "$rc" = 1

# 9. No way around the gate: the outbox's module is the only code that
# uses libcurl's transfer to reach a person (the other user, webhooks, posts
# ids to the business's own systems, never a message), and the only one
# that states an outbox row.
objs=$(dirname "$R")/build/rel/src
if [ -d "$objs" ]; then
	users=$(for o in $(find "$objs" -name '*.o'); do nm -u "$o" | grep -q ' curl_easy_perform$' && echo "${o#"$objs"/}"; done | sort | tr '\n' ' ')
	ok "only core/outbox.o (and webhooks) call curl_easy_perform" test "$users" = "core/outbox.o core/webhook.o "
	writers=$(for o in $(find "$objs" -name '*.o'); do strings "$o" | grep -qE "INSERT INTO outbox|UPDATE outbox SET state|state = 'sent'" && echo "${o#"$objs"/}"; done)
	ok "only core/outbox.o adds outbox rows or sets their state" test "$writers" = "core/outbox.o"
fi
finish
