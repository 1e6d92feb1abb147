# Sourced by tests/api/*.sh: the CLI test helpers, plus a live server.
#   serve [ARGS]        starts `rapport serve [ARGS]` on a free port; sets $BASE
#   call METHOD PATH [curl args...]   sets $status, $out (the body), $hdr (headers)
. "$(dirname "$0")/../cli/lib.sh"
NAME=api/$(basename "$0" .sh)

serve() {
	"$R" serve --listen 127.0.0.1:0 --threads 2 "$@" >"$WORK/serve.out" 2>"$WORK/serve.err" &
	SERVER=$!
	# the server first: its connections would keep the store's database open
	trap 'kill $SERVER 2>/dev/null; wait $SERVER 2>/dev/null; cleanup' EXIT
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
