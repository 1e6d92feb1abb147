# Slow and oversized clients cannot exhaust the server (the short form of
# make soak's, tests/soak/attack.py): a slowloris from two addresses, past
# the limit of connections from one address and past the usual soft limit
# of 1,024 descriptors, slow bodies and bodies held half sent, while a
# client at another address is answered within a second; then bodies of
# 100 MB (with and without a length), a lying Content-Length, a megabyte
# of header or URL and 20,000 headers, each refused at once, the server's
# memory not grown by them and every descriptor given back.
SOAK=$(cd "$(dirname "$0")/../soak" && pwd)
. "$(dirname "$0")/lib.sh"
"$R" init >/dev/null
printf 'password-of-owner\n' | "$R" user add owner --role owner >/dev/null
TOKEN=$("$R" token create owner --label tests)
"$R" contact add "Анна Петровна" >/dev/null
# The server starts with the common soft limit; the hard one stays.
ulimit -Sn 1024
serve
limits() { sed -n 's/^Max open files *\([0-9a-z]*\) *\([0-9a-z]*\).*/\1 \2/p' "/proc/$SERVER/limits"; }
call GET /api/v1/contacts/1 -H "$(auth "$TOKEN")"
ok "a contact card to begin with" test "$status" = 200
read -r soft hard < <(limits)
ok "the server raised its soft limit of descriptors to the hard one ($soft, $hard)" test "$soft" = "$hard"
fds() { ls "/proc/$SERVER/fd" | wc -l; }
# Every worker opens its store connection at its first request: forty at
# once reach both, and the descriptors counted next are the baseline.
pids=()
for _ in $(seq 40); do
	curl -s -o /dev/null -H "$(auth "$TOKEN")" "$BASE/api/v1/contacts/1" &
	pids+=($!)
done
wait "${pids[@]}"
fd0=$(fds)

# attack ARGS...: one run of attack.py; each of its checks counts as one.
attack() {
	run python3 "$SOAK/attack.py" "$@" "$BASE" "$TOKEN" "$SERVER"
	local line
	while read -r line; do
		case $line in
		"ok "*) ok "${line#ok }" true ;;
		"FAIL "*) ok "${line#FAIL }" false ;;
		esac
	done <<<"$out"
	ok "attack.py $1 ran to its end" has "$out" "figures "
	figures=$(sed -n 's/^figures //p' <<<"$out")
}
# 1,100 connections from two addresses (500 each kept), 50 slow bodies,
# 100 bodies of a megabyte left unfinished: 1,150 connections held.
attack slow --conns 1100 --addresses 2 --body-conns 50 --stall-conns 100 --seconds 6 --interval 2
out=$figures
ok "the server kept 500 slowloris connections from each address, closed the rest" json 'd["held"]["header"] == 1000'
ok "slow bodies and unfinished bodies kept their connections too (beyond 1,024 descriptors)" \
	json 'd["held"]["body"] == 50 and d["held"]["stall"] == 100 and d["fds_peak"] > 1024'
for _ in $(seq 50); do
	[ "$(fds)" -le "$fd0" ] && break
	sleep 0.2
done
ok "descriptors back to $fd0 after the slow clients left ($(fds))" test "$(fds)" -le "$fd0"

attack oversized --mb 100
for _ in $(seq 50); do
	[ "$(fds)" -le "$fd0" ] && break
	sleep 0.2
done
ok "descriptors back to $fd0 after the oversized requests ($(fds))" test "$(fds)" -le "$fd0"
call GET /api/v1/contacts/1 -H "$(auth "$TOKEN")"
ok "the server still answers" test "$status" = 200
finish
