# Objects that are someone's: API tokens, sessions, calendar feeds, team
# members' accounts, webhooks, a person's data (privacy export and
# erasure), who an interaction is by.  What each role can and cannot do to
# the ones that are not theirs; where an object is another's, the answer to
# a role below the route's is the same whether the object exists or not.
. "$(dirname "$0")/lib.sh"
export RAPPORT_TODAY=2026-11-23
"$R" init >/dev/null
for u in owner:owner owner2:owner boris:manager anna:staff carl:staff vic:viewer; do
	printf 'password-of-%s\n' "${u%%:*}" | "$R" user add "${u%%:*}" --role "${u#*:}" >/dev/null
done
declare -A T
for u in owner boris anna carl vic; do
	T[$u]=$("$R" token create "$u" --label "$u's")
done
"$R" webhook add https://hooks.example.org/a --events all >/dev/null
"$R" contact add "Anna's Client" --owner anna --birthday 1980-11-25 >/dev/null
"$R" contact add "Carl's Client" --owner carl --birthday 1975-11-26 >/dev/null
serve
as() { local who=$1 method=$2 path=$3; shift 3; call "$method" "$path" -H "Authorization: Bearer ${T[$who]}" -H 'Content-Type: application/json' "$@"; }
carl_token_id=$(sql "SELECT t.id FROM api_token t JOIN account a ON a.id = t.account_id WHERE a.login = 'carl'")

# API tokens: the owners' alone.
as boris GET /api/v1/tokens
ok "a manager cannot list tokens" test "$status" = 403
as boris DELETE "/api/v1/tokens/$carl_token_id"
ok "a manager cannot revoke a colleague's token" test "$status" = 403
as boris DELETE /api/v1/tokens/99999
ok "nor learn whether a token id exists (the same 403)" test "$status" = 403
as anna POST /api/v1/tokens -d '{"login":"anna"}'
ok "a staff member cannot make a token, even their own" test "$status" = 403
as carl GET /api/v1/session
ok "carl's token still works" test "$status" = 200
as owner DELETE "/api/v1/tokens/$carl_token_id"
ok "an owner revokes it" test "$status" = 200
as carl GET /api/v1/session
ok "and it is refused from then on" test "$status" = 401
as owner DELETE /api/v1/tokens/99999
ok "an unknown token id: 404 to an owner" test "$status" = 404
T[carl]=$("$R" token create carl)

# Sessions: logging out ends one's own; a CSRF token is the session's own.
login anna password-of-anna
anna_cookie=$cookie anna_csrf=$csrf
login carl password-of-carl
carl_cookie=$cookie carl_csrf=$csrf
call GET /api/v1/session -b "rapport_session=$anna_cookie"
ok "a session shows its own user" json 'd["login"] == "anna" and d["csrf"] != "'"$carl_csrf"'"'
call POST /api/v1/contacts -b "rapport_session=$anna_cookie" -H "X-CSRF-Token: $carl_csrf" -H 'Content-Type: application/json' -d '{"name":"X"}'
ok "another session's CSRF token does not pass" test "$status" = 403
call DELETE /api/v1/session -b "rapport_session=$anna_cookie" -H "X-CSRF-Token: $anna_csrf"
ok "anna logs out" test "$status" = 200
call GET /api/v1/session -b "rapport_session=$carl_cookie"
ok "carl's session goes on" test "$status" = 200 && ok "as carl" json 'd["login"] == "carl"'
call GET /api/v1/session -b "rapport_session=$anna_cookie"
ok "anna's has ended" test "$status" = 401
as anna DELETE /api/v1/session
ok "logging out with a token ends no one's session" test "$status" = 200
call GET /api/v1/session -b "rapport_session=$carl_cookie"
ok "carl's still goes on" test "$status" = 200

# Calendar feeds: each member's own, of their own contacts (managers: all).
feed_of() { as "$1" POST /api/v1/feed; python3 -c 'import json, sys; print(json.load(sys.stdin)["url"].split("/feed/")[1])' <<<"$out"; }
anna_feed=$(feed_of anna)
carl_feed=$(feed_of carl)
boris_feed=$(feed_of boris)
call GET "/feed/$anna_feed"
ok "anna's feed has her client's birthday" has "$out" "Anna's Client"
ok "and not carl's client" test -z "$(has "$out" "Carl's Client" && echo y)"
call GET "/feed/$boris_feed"
ok "a manager's feed has every client" has "$out" "Anna's Client" && ok "both" has "$out" "Carl's Client"
as anna DELETE /api/v1/feed
ok "anna ends her feed" test "$status" = 200
call GET "/feed/$anna_feed"
ok "it is gone" test "$status" = 404
call GET "/feed/$carl_feed"
ok "carl's is not" test "$status" = 200

# Team members' accounts: the owners'; an owner cannot lower or disable themself.
as boris PATCH /api/v1/users/anna -d '{"role":"owner"}'
ok "a manager cannot raise a colleague" test "$status" = 403
as boris PATCH /api/v1/users/boris -d '{"role":"owner"}'
ok "nor themself" test "$status" = 403
as boris PATCH /api/v1/users/owner -d '{"password":"a-new-password-1"}'
ok "nor set an owner's password" test "$status" = 403
as anna POST /api/v1/users -d '{"login":"mallory","role":"owner","password":"a-new-password-1"}'
ok "a staff member cannot add a user" test "$status" = 403
as boris GET /api/v1/users
ok "a manager cannot list the users" test "$status" = 403
as owner PATCH /api/v1/users/owner -d '{"role":"manager"}'
ok "an owner cannot lower their own role" test "$status" = 409
as owner PATCH /api/v1/users/owner -d '{"disabled":true}'
ok "nor disable their own account" test "$status" = 409
ok "the owner is still an owner" test "$(sql "SELECT role FROM account WHERE login = 'owner'")" = owner
as owner PATCH /api/v1/users/owner2 -d '{"role":"manager"}'
ok "another owner can be lowered" test "$status" = 200
as owner GET /api/v1/users
ok "an owner lists the users" test "$status" = 200

# Webhooks, the audit log, a person's data: the owners'.
as boris GET /api/v1/webhooks
ok "a manager cannot list webhooks" test "$status" = 403
as boris DELETE /api/v1/webhooks/1
ok "nor remove one" test "$status" = 403
as boris DELETE /api/v1/webhooks/99999
ok "nor learn whether it exists" test "$status" = 403
ok "the webhook is there" test "$(sql "SELECT count(*) FROM webhook")" = 1
as boris GET /api/v1/audit
ok "a manager cannot read the audit log" test "$status" = 403
as boris GET /api/v1/contacts/1/privacy
ok "a manager cannot export a person's data" test "$status" = 403
as boris GET /api/v1/contacts/99999/privacy
ok "nor learn whether the person exists" test "$status" = 403
as boris DELETE "/api/v1/contacts/1/privacy?yes=true"
ok "nor erase a person" test "$status" = 403
as owner GET /api/v1/contacts/1/privacy
ok "an owner can" test "$status" = 200

# Who an interaction is by: one's own, unless a manager records it.
as anna POST /api/v1/contacts/1/interactions -d '{"summary":"called","kind":"call","by":"carl"}'
ok "a staff member cannot record an interaction as a colleague's" test "$status" = 403
ok "saying so" json '"manager" in d["error"]["message"]'
as anna POST /api/v1/contacts/1/interactions -d '{"summary":"called","kind":"call","by":"anna"}'
ok "their own, named" test "$status" = 200
as anna POST /api/v1/contacts/1/interactions -d '{"summary":"called","kind":"call"}'
ok "their own, by default" test "$status" = 200 && ok "by anna" test "$(sql "SELECT by_user FROM interaction ORDER BY id DESC LIMIT 1")" = anna
as boris POST /api/v1/contacts/1/interactions -d '{"summary":"called","kind":"call","by":"carl"}'
ok "a manager records a colleague's" test "$status" = 200 && ok "by carl" test "$(sql "SELECT by_user FROM interaction ORDER BY id DESC LIMIT 1")" = carl
ok "the refused one wrote nothing" test "$(sql "SELECT count(*) FROM interaction")" = 3

# One's own password: the current one first; the other sessions end.
login anna password-of-anna
a1_cookie=$cookie a1_csrf=$csrf
login anna password-of-anna
a2_cookie=$cookie
pw() { call POST /api/v1/session/password -b "rapport_session=$a1_cookie" -H "X-CSRF-Token: $a1_csrf" -H 'Content-Type: application/json' -d "$(json_body current "$1" password "$2")"; }
pw wrong-password-of-anna anna-new-password-1
ok "a wrong current password: 403" test "$status" = 403
pw password-of-anna short
ok "a new password under 10 characters: 400" test "$status" = 400
pw password-of-anna password-of-anna
ok "the same password again: 400" test "$status" = 400
pw password-of-anna "anna's new pass phrase, any characters: ё ✓"
ok "anna changes her own password" test "$status" = 200
call GET /api/v1/session -b "rapport_session=$a1_cookie"
ok "the session that changed it goes on" test "$status" = 200
call GET /api/v1/session -b "rapport_session=$a2_cookie"
ok "her other session has ended" test "$status" = 401
login anna password-of-anna
ok "the old password no longer logs in" test "$status" = 401
login anna "anna's new pass phrase, any characters: ё ✓"
ok "the new one does" test "$status" = 200
as vic POST /api/v1/session/password -d '{"login":"carl","current":"password-of-vic","password":"carl-is-mine-now"}'
ok "there is no naming another user's account" test "$status" = 400
for _ in 1 2 3 4 5; do
	as vic POST /api/v1/session/password -d '{"current":"not-vics-password","password":"vic-new-password"}'
done
as vic POST /api/v1/session/password -d '{"current":"password-of-vic","password":"vic-new-password"}'
ok "wrong current passwords are throttled like logins: 429" test "$status" = 429

# Sessions end after 12 hours unused, or 30 days after the login however used.
login carl password-of-carl
idle_cookie=$cookie
login carl password-of-carl
old_cookie=$cookie
sql "UPDATE session SET last_seen_at = last_seen_at - 12 * 3600 - 1 WHERE token_hash = '$(hash_of "$idle_cookie")'" >/dev/null
sql "UPDATE session SET created_at = created_at - 30 * 86400 - 1 WHERE token_hash = '$(hash_of "$old_cookie")'" >/dev/null
call GET /api/v1/session -b "rapport_session=$idle_cookie"
ok "a session unused for 12 hours has ended" test "$status" = 401
call GET /api/v1/session -b "rapport_session=$old_cookie"
ok "a session 30 days old has ended, though used" test "$status" = 401

# Passwords of any length from 10 to 1024 characters, no default account.
long=$(python3 -c 'print("long password " * 8)')
as owner PATCH /api/v1/users/owner2 -d "$(json_body password "$long")"
ok "an owner sets a password of ${#long} characters" test "$status" = 200
login owner2 "$long"
ok "and it logs in, as it was given" test "$status" = 200
login owner2 "${long% }"
ok "not with its last character cut" test "$status" = 401
ok "no account but those added (init makes none)" test "$(sql "SELECT count(*) FROM account")" = 6

# Contacts are the team's: every role reads every contact, whoever owns it.
as vic GET "/api/v1/contacts?owner=carl"
ok "a viewer reads another member's contacts" test "$status" = 200 && ok "carl's" has "$out" "Carl's Client"
as anna PATCH /api/v1/contacts/2 -d '{"note":"seen"}'
ok "a staff member edits a contact another member owns" test "$status" = 200
as anna DELETE /api/v1/contacts/2
ok "but removing one needs a manager" test "$status" = 403
finish
