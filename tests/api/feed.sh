# The calendar feed: made on the command line and over HTTP, read at its
# secret address, parsed by python3-icalendar and imported by khal.
. "$(dirname "$0")/lib.sh"
PY=/usr/bin/python3 # Debian's, with python3-icalendar
"$R" init >/dev/null
printf 'password-of-anna\n' | "$R" user add anna --role staff >/dev/null
printf 'password-of-boss\n' | "$R" user add boss --role manager >/dev/null
"$R" token create anna >token.anna
"$R" config set public.url https://crm.example.org/ >/dev/null
"$R" contact add "Anna's client, Ivanova; A." --owner anna --birthday --02-29 >/dev/null
"$R" contact add "Boris Petrov" --owner anna --birthday 1980-04-15 >/dev/null
"$R" date add Boris 2010-06-01 --label "first order" >/dev/null
"$R" fact add Boris "Asked about the winter range" --follow-up 2026-12-05 >/dev/null
"$R" fact add Boris "Done already" --follow-up 2026-11-01 >/dev/null
"$R" fact done 2 >/dev/null
"$R" panel add Boris >/dev/null
"$R" contact add "Someone Else" --owner boss --birthday 1990-01-02 >/dev/null

run env RAPPORT_USER=nobody "$R" feed url
ok "a user is needed" has "$err" 'no active user "nobody"'
run env RAPPORT_USER=anna "$R" feed url --json
ok "feed url prints the address once" json 'd["url"].startswith("https://crm.example.org/feed/") and d["url"].endswith(".ics") and len(d["path"])==6+64+4'
PATH_A=$(python3 -c 'import json,sys; print(json.load(sys.stdin)["path"])' <<<"$out")
TOKEN_A=${PATH_A#/feed/}
TOKEN_A=${TOKEN_A%.ics}
ok "only its hash is stored" test "$(sql "SELECT count(*) FROM feed_token WHERE token_hash = '$TOKEN_A'")" = 0
run env RAPPORT_USER=anna "$R" feed url
ok "a second feed url says how to get a new one" test "$rc" != 0 -a -n "$(has "$err" 'feed revoke' && echo y)"

serve
call GET "$PATH_A"
ok "GET /feed/TOKEN.ics" test "$status" = 200
ok "is text/calendar" has "$hdr" "Content-Type: text/calendar; charset=utf-8"
printf '%s' "$out" >anna.ics
ok "python3-icalendar parses it" $PY - anna.ics <<'PYEOF'
import sys, icalendar
cal = icalendar.Calendar.from_ical(open(sys.argv[1], "rb").read())
ev = {str(c["UID"]): c for c in cal.walk("VEVENT")}
assert set(ev) == {"birthday-1@rapport", "birthday-2@rapport", "date-3@rapport", "fact-1@rapport",
                   "panel-2@rapport"}, sorted(ev)
for c in ev.values():
    assert c.get("DTSTAMP") and c.get("SUMMARY") and c.decoded("DTSTART").__class__.__name__ == "date", c
feb = ev["birthday-1@rapport"]
assert str(feb["SUMMARY"]) == "Birthday: Anna's client, Ivanova; A.", feb["SUMMARY"]
assert feb.decoded("DTSTART").isoformat() == "2000-02-29"
r = feb["RRULE"]
assert r["FREQ"] == ["YEARLY"] and r["BYMONTH"] == [2] and r["BYMONTHDAY"] == [-1], r
bd = ev["birthday-2@rapport"]
assert bd.decoded("DTSTART").isoformat() == "1980-04-15" and bd["RRULE"]["FREQ"] == ["YEARLY"]
assert "BYMONTHDAY" not in bd["RRULE"]
assert str(ev["date-3@rapport"]["SUMMARY"]) == "Anniversary: Boris Petrov (first order)"
f = ev["fact-1@rapport"]
assert f.decoded("DTSTART").isoformat() == "2026-12-05" and "RRULE" not in f
assert str(f["DESCRIPTION"]) == "Asked about the winter range"
assert str(ev["panel-2@rapport"]["SUMMARY"]) == "Panel interview: Boris Petrov"
PYEOF
ok "libical escapes , and ; in text" has "$out" 'SUMMARY:Birthday: Anna'"'"'s client\, Ivanova\; A.'

# khal (Debian's) imports it into a calendar of its own.
mkdir -p khal/cal
cat >khal/config <<KHAL
[calendars]
[[rapport]]
path = $WORK/khal/cal
type = calendar
[locale]
timeformat = %H:%M
dateformat = %Y-%m-%d
longdateformat = %Y-%m-%d
datetimeformat = %Y-%m-%d %H:%M
longdatetimeformat = %Y-%m-%d %H:%M
[sqlite]
path = $WORK/khal/khal.db
KHAL
run khal -c khal/config import --batch -a rapport anna.ics
ok "khal imports the feed" test "$rc" = 0 -a "$(ls khal/cal | wc -l)" = 5
run khal -c khal/config list --format '{start-date} {title}' 2027-02-01 2027-03-02
ok "khal: 29 February falls on the 28th in 2027" has "$out" "2027-02-28 Birthday: Anna's client, Ivanova; A."
run khal -c khal/config list --format '{start-date} {title}' 2028-02-01 2028-03-02
ok "khal: and on the 29th in 2028" has "$out" "2028-02-29 Birthday: Anna's client, Ivanova; A."
run khal -c khal/config list --format '{start-date} {title}' 2026-12-01 2026-12-10
ok "khal: the follow-up on its day" has "$out" "2026-12-05 Follow up: Boris Petrov"

# A manager's feed holds every contact, in the language asked for.
run env RAPPORT_USER=boss RAPPORT_LANG=ru "$R" feed url --json
PATH_B=$(python3 -c 'import json,sys; print(json.load(sys.stdin)["path"])' <<<"$out")
call GET "$PATH_B"
ok "a manager sees everyone's dates" has "$out" "UID:birthday-3@rapport"
ok "titled in the user's language" has "$out" "SUMMARY:День рождения: Someone Else"

# People's text goes in whole and clean: a long name is not cut inside a
# letter, and a CR or another control character does not reach the calendar
# (RFC 5545 allows none in text; the CR becomes a line break).
LONG=$(python3 -c 'print("Я" * 499 + "a")')
"$R" contact add "$LONG" --owner boss --birthday 1985-03-08 >/dev/null
"$R" fact add 4 $'  call\rback\x01 soon\t' --follow-up 2026-12-07 >/dev/null
# a title line of exactly 75 bytes, which libical folds between CR and LF
"$R" contact add Aleksandra-Konstantinovna-Rimskaya-Korsakova-Vasilievskaya-Dolgorukova-XY --owner boss \
	--birthday 1991-05-17 >/dev/null
call GET "$PATH_B"
printf '%s' "$out" >boss.ics
ok "long names and odd characters read back as written, cleaned" env LONG="$LONG" $PY - boss.ics <<'PYEOF'
import os, sys, icalendar
raw = open(sys.argv[1], "rb").read()
raw.decode("utf-8")  # whole letters only
assert not any(b < 32 and b not in (9, 10, 13) or b == 127 for b in raw), "a control character"
lines = raw.rstrip(b"\r\n").split(b"\r\n")  # (the shell drops the last line end)
assert all(len(l) <= 75 and b"\r" not in l and b"\n" not in l for l in lines), \
    [l for l in lines if len(l) > 75 or b"\r" in l or b"\n" in l]
ev = {str(c["UID"]): c for c in icalendar.Calendar.from_ical(raw).walk("VEVENT")}
assert str(ev["birthday-4@rapport"]["SUMMARY"]) == "День рождения: " + os.environ["LONG"]
assert str(ev["birthday-5@rapport"]["SUMMARY"]) == \
    "День рождения: Aleksandra-Konstantinovna-Rimskaya-Korsakova-Vasilievskaya-Dolgorukova-XY"
assert str(ev["fact-3@rapport"]["DESCRIPTION"]) == "call\nback\ufffd soon", repr(str(ev["fact-3@rapport"]["DESCRIPTION"]))
PYEOF
call GET "$PATH_A"
ok "a staff member sees only their own contacts" test -z "$(has "$out" "Someone Else" && echo y)"

# Revoked, wrong or malformed tokens are 404.
RAPPORT_USER=anna "$R" feed revoke >/dev/null
call GET "$PATH_A"
ok "a revoked address is 404" test "$status" = 404
call GET "/feed/$(printf '0%.0s' $(seq 64)).ics"
ok "a wrong token is 404" test "$status" = 404
call GET "/feed/$TOKEN_A"
ok "an address without .ics is 404" test "$status" = 404
run env RAPPORT_USER=anna "$R" feed revoke
ok "revoking twice says there is none" has "$err" "no calendar address"

# Over HTTP: the session's user.
call POST /api/v1/feed -H "$(auth "$(cat token.anna)")"
ok "POST /api/v1/feed makes a new address" json 'd["url"].startswith("https://crm.example.org/feed/")'
NEW=$(python3 -c 'import json,sys; print(json.load(sys.stdin)["path"])' <<<"$out")
ok "a new token, not the old" test "$NEW" != "$PATH_A"
call GET "$NEW"
ok "the new address works" test "$status" = 200
call DELETE /api/v1/feed -H "$(auth "$(cat token.anna)")"
ok "DELETE /api/v1/feed revokes it" test "$status" = 200
call GET "$NEW"
ok "and it is gone" test "$status" = 404
call POST /api/v1/feed
ok "making one needs a login" test "$status" = 401
run env RAPPORT_USER=anna "$R" feed url
ok "feed url prints the address alone on its line" grep -qxE 'https://crm\.example\.org/feed/[0-9a-f]{64}\.ics' <<<"$out"
finish
