# Several servers, one database: two `rapport serve` processes on the same
# store take concurrent writes to the same contacts (interactions, edits,
# tags, facts, consent, merges).  Afterwards nothing acknowledged is lost or doubled,
# nothing refused was written, and the store's own invariants hold.
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/lib.sh"

"$R" init >/dev/null
printf 'password-of-boss\n' | "$R" user add boss --role manager >/dev/null
TOKEN=$("$R" token create boss --label hammer)
for i in $(seq 8); do
	"$R" contact add "Client $i" --birthday "1980-0$((i % 9 + 1))-1$i" --tier regular >/dev/null
done
for i in $(seq 12); do
	"$R" contact add "Dup $i" --birthday "1990-0$((i % 9 + 1))-2$((i % 8))" --tag dup >/dev/null
	"$R" log "Dup $i" "before the rush $i" >/dev/null
done

PIDS=()
BASES=()
stop_all() {
	for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null; done
	for p in "${PIDS[@]}"; do wait "$p" 2>/dev/null; done
}
trap 'stop_all; cleanup' EXIT
for n in 1 2; do
	"$R" serve --listen 127.0.0.1:0 --threads 4 >"$WORK/serve$n.out" 2>"$WORK/serve$n.err" &
	PIDS+=($!)
	base=""
	for _ in $(seq 100); do
		base=$(sed -n 's/^listening on \(http:.*\)$/\1/p' "$WORK/serve$n.out")
		[ -n "$base" ] && break
		sleep 0.05
	done
	[ -n "$base" ] || { echo "server $n did not start: $(cat "$WORK/serve$n.err")"; exit 2; }
	BASES+=("$base")
done
ok "two servers listen on different ports" test "${BASES[0]}" != "${BASES[1]}"

run python3 "$HERE/hammer.py" "$TOKEN" "${HAMMER_SECONDS:-8}" "${BASES[@]}"
ok "the load ran" test "$rc" = 0
printf '%s' "$out" >"$WORK/hammer.json"
hj() { python3 -c "import json,sys; d=json.load(open('$WORK/hammer.json')); $1"; }
echo "  $NAME: statuses $(hj 'print(d["statuses"])'), $(hj 'print(len(d["merges"]))') merges"
ok "both servers answered many writes" hj 'sys.exit(0 if sum(d["statuses"].values()) > 200 else 1)'
ok "no server error" hj 'sys.exit(0 if not any(k.startswith("5") and k != "503" for k in d["statuses"]) else 1)'
ok "contacts were really merged" hj 'sys.exit(0 if len(d["merges"]) > 0 else 1)'

# Every acknowledged interaction is there exactly once; none that was refused.
sql "SELECT summary FROM interaction WHERE summary LIKE 'm-%'" | sort >"$WORK/stored"
hj 'print("\n".join(sorted(d["acked"])))' | sed '/^$/d' >"$WORK/acked"
ok "every acknowledged interaction is stored once, nothing else" \
	cmp -s "$WORK/stored" "$WORK/acked"
ok "and there were many" test "$(wc -l <"$WORK/acked")" -gt 50
sql "SELECT body FROM fact WHERE body LIKE 'f-%'" | sort >"$WORK/facts"
hj 'print("\n".join(sorted(d["facts"])))' | sed '/^$/d' >"$WORK/acked_facts"
ok "every acknowledged fact is stored once" cmp -s "$WORK/facts" "$WORK/acked_facts"
ok "and there were many" test "$(wc -l <"$WORK/acked_facts")" -gt 20
ok "the interactions logged before the rush all survived the merges" \
	test "$(sql "SELECT count(*) FROM interaction WHERE summary LIKE 'before the rush %'")" = 12

# A merged duplicate is gone, and what it knew moved to a contact that exists.
gone=$(hj 'print(" ".join(str(o) for k, o in d["merges"]))')
left=0
for id in $gone; do
	left=$((left + $(sql "SELECT count(*) FROM contact WHERE id = $id")))
done
ok "every merged duplicate is removed" test "$left" = 0
ok "no interaction, fact or date points to a missing contact" test "$(sql "
	SELECT (SELECT count(*) FROM interaction WHERE contact_id NOT IN (SELECT id FROM contact))
	     + (SELECT count(*) FROM fact WHERE contact_id NOT IN (SELECT id FROM contact))
	     + (SELECT count(*) FROM contact_date WHERE contact_id NOT IN (SELECT id FROM contact))")" = 0

# The agenda's copies of tier and owner agree with their contact.
ok "every date carries its contact's tier and owner" test "$(sql "
	SELECT count(*) FROM contact_date d JOIN contact c ON c.id = d.contact_id
	 WHERE d.tier <> c.tier OR coalesce(d.owner, '') <> coalesce(c.owner, '')")" = 0
ok "one birthday per contact at most" test "$(sql "
	SELECT count(*) FROM (SELECT contact_id FROM contact_date WHERE kind = 'birthday'
	 GROUP BY contact_id HAVING count(*) > 1) AS x")" = 0
# last_touch_at is never behind the contact's latest interaction.
ok "each contact was last touched no earlier than its latest interaction" test "$(sql "
	SELECT count(*) FROM contact c
	 WHERE c.last_touch_at < (SELECT max(at) FROM interaction i WHERE i.contact_id = c.id)")" = 0
# Consent: every acknowledged change is a row of the history; each client's
# stage agrees with its latest move, and a client whose latest answers
# are all withdrawn does not stand at yes (a merge joins two histories and
# keeps the higher stage, so kept contacts are left out of that check).
keepers=$(hj 'print(",".join(str(k) for k, o in d["merges"]) or "0")')
ok "consent changes were made" hj 'sys.exit(0 if len(d["consents"]) > 20 else 1)'
ok "every acknowledged consent change is in the history" test \
	"$(sql "SELECT count(*) FROM consent WHERE evidence LIKE 'hammer %'")" -ge "$(hj 'print(len(d["consents"]))')"
ok "each contact's stage is its latest move's" test "$(sql "
	SELECT count(*) FROM contact c JOIN stage_move m ON m.contact_id = c.id
	 WHERE m.id = (SELECT max(id) FROM stage_move l WHERE l.contact_id = c.id) AND m.to_stage <> c.stage")" = 0
ok "nobody stands at yes without a current yes" test "$(sql "
	SELECT count(*) FROM contact c WHERE c.stage = 'yes' AND c.id NOT IN ($keepers) AND NOT EXISTS (
	 SELECT 1 FROM consent k WHERE k.contact_id = c.id AND k.state = 'granted'
	  AND k.id = (SELECT max(id) FROM consent l WHERE l.contact_id = k.contact_id
	   AND l.channel = k.channel AND l.purpose = k.purpose))")" = 0
ok "every server is still up" kill -0 "${PIDS[0]}" "${PIDS[1]}"
finish
