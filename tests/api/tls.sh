# Behind a TLS front end (serve --tls) the session cookie is Secure.
. "$(dirname "$0")/lib.sh"
"$R" init >/dev/null
printf 'password-of-owner\n' | "$R" user add owner --role owner >/dev/null
serve --tls
call POST /api/v1/session -H 'Content-Type: application/json' -d '{"login":"owner","password":"password-of-owner"}'
ok "log in" test "$status" = 200
ok "the cookie is Secure, HttpOnly and SameSite=Strict" grep -qi 'set-cookie: rapport_session=.*HttpOnly.*SameSite=Strict.*Secure' <<<"$hdr"
ok "answers carry Strict-Transport-Security" grep -qi '^strict-transport-security: max-age=31536000' <<<"$hdr"
call GET /
ok "the UI's page too" grep -qi '^strict-transport-security: max-age=31536000' <<<"$hdr"
finish
