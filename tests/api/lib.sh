# Sourced by tests/api/*.sh: the CLI test helpers, plus a live server.
#   serve [ARGS]        starts `rapport serve [ARGS]` on a free port; sets $BASE
#   call METHOD PATH [curl args...]   sets $status, $out (the body), $hdr (headers)
#   login LOGIN PASSWORD   logs in over the API; sets $status, $cookie, $csrf
#   json_body K V [K V...]  prints the JSON object {"K": "V", ...}
#   hash_of TOKEN        the hash the store keeps of a token (BLAKE2b-256, hex)
#   mailserver          starts an SMTP server on $SMTP_PORT (Debian's python3-aiosmtpd)
#                       that keeps each message in $WORK/mail/new; before serve
#   mails, lastmail     how many messages came; the newest as JSON (see below)
. "$(dirname "$0")/../cli/lib.sh"
NAME=api/$(basename "$0" .sh)

serve() {
	"$R" serve --listen 127.0.0.1:0 --threads 2 "$@" >"$WORK/serve.out" 2>"$WORK/serve.err" &
	SERVER=$!
	# the server first: its connections would keep the store's database open
	trap 'kill $SERVER ${SMTP:-} 2>/dev/null; wait $SERVER ${SMTP:-} 2>/dev/null; cleanup' EXIT
	for _ in $(seq 100); do
		BASE=$(sed -n 's/^listening on \(http:.*\)$/\1/p' "$WORK/serve.out")
		[ -n "$BASE" ] && return 0
		sleep 0.05
	done
	echo "the server did not start: $(cat "$WORK/serve.err")"
	exit 2
}

call() {
	local method=$1 path=$2
	shift 2
	status=$(curl -s -o "$WORK/.body" -D "$WORK/.hdr" -w '%{http_code}' -X "$method" "$@" "$BASE$path")
	out=$(cat "$WORK/.body")
	hdr=$(cat "$WORK/.hdr")
	rc=$status
	err=""
}

auth() { echo "Authorization: Bearer $1"; }

hash_of() { python3 -c "import hashlib, sys; print(hashlib.blake2b(sys.argv[1].encode(), digest_size=32).hexdigest())" "$1"; }

json_body() { python3 -c 'import json, sys; print(json.dumps(dict(zip(sys.argv[1::2], sys.argv[2::2]))))' "$@"; }

login() {
	call POST /api/v1/session -H 'Content-Type: application/json' -d "$(json_body login "$1" password "$2")"
	cookie=$(sed -n 's/^[Ss]et-[Cc]ookie: rapport_session=\([0-9a-f]*\);.*/\1/p' <<<"$hdr")
	csrf=$(python3 -c 'import json, sys; print(json.load(sys.stdin).get("csrf", ""))' <<<"$out" 2>/dev/null)
}

mailserver() {
	SMTP_PORT=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
	/usr/bin/python3 -m aiosmtpd -n -l "127.0.0.1:$SMTP_PORT" -c aiosmtpd.handlers.Mailbox "$WORK/mail" \
		>"$WORK/smtp.log" 2>&1 &
	SMTP=$!
	trap 'kill $SMTP 2>/dev/null; wait $SMTP 2>/dev/null; cleanup' EXIT
	for _ in $(seq 100); do
		python3 -c "import socket; socket.create_connection(('127.0.0.1', $SMTP_PORT), 1)" 2>/dev/null && break
		sleep 0.05
	done
	[ -d "$WORK/mail/new" ] || mkdir -p "$WORK/mail/new"
}

mails() { find "$WORK/mail/new" -type f | wc -l; }
# The newest message as JSON: to, from, subject (decoded), body (decoded),
# unsubscribe (the List-Unsubscribe URL), the transfer encoding.
lastmail() {
	local f
	f=$(ls -t "$WORK/mail/new" | head -1)
	python3 - "$WORK/mail/new/$f" <<-'PY'
		import email, json, sys
		from email import policy
		from email.header import decode_header, make_header
		raw = open(sys.argv[1], "rb").read()
		m = email.message_from_bytes(raw, policy=policy.default)
		# RFC 2047's own decoding for the addresses: policy.default puts a
		# space between adjacent encoded words of a display name.
		h = email.message_from_bytes(raw)
		name = lambda k: str(make_header(decode_header(h[k])))
		print(json.dumps({"to": name("To"), "from": name("From"), "subject": str(m["Subject"]),
		                  "body": m.get_body().get_content(), "cte": str(m["Content-Transfer-Encoding"]),
		                  "unsubscribe": str(m["List-Unsubscribe"] or "").strip("<>"),
		                  "post": str(m["List-Unsubscribe-Post"] or ""), "date": str(m["Date"] or ""),
		                  "message_id": str(m["Message-ID"] or "")}))
	PY
}
