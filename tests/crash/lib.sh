# Writers that record what was acknowledged, and the checks of a store
# against them; sourced after tests/cli/lib.sh (R, WORK, ENGINE, sql).
#   start_writers N      N background writers; each acknowledged write is a
#                        line of $WORK/acked.K: "c ID" a contact, "l MARK" an
#                        interaction whose summary is MARK, "i TAG" an import
#                        of $IMPORT_ROWS contacts tagged TAG
#   stop_writers
#   check_store STORE ACKED  prints what is wrong and fails, or prints counts
#   store_integrity STORE    "ok" when the engine finds the store whole
IMPORT_ROWS=${IMPORT_ROWS:-20}
WRITERS=()

writer() {
	local k=$1 i=0 line id
	while [ ! -e "$WORK/stop" ]; do
		i=$((i + 1))
		if line=$("$R" contact add "W$k-$i" --tag "w$k" 2>/dev/null); then
			id=${line##*(#}
			id=${id%%)*}
			echo "c $id" >>"$WORK/acked.$k"
			"$R" log "$id" "m$k-$i" >/dev/null 2>&1 && echo "l m$k-$i" >>"$WORK/acked.$k"
		fi
		if [ $((i % 4)) = 0 ]; then
			{
				echo "name,tags"
				for n in $(seq "$IMPORT_ROWS"); do echo "I$k-$i-$n,imp$k-$i"; done
			} >"$WORK/imp.$k.csv"
			"$R" import contacts "$WORK/imp.$k.csv" >/dev/null 2>&1 && echo "i imp$k-$i" >>"$WORK/acked.$k"
		fi
	done
}

start_writers() {
	rm -f "$WORK/stop"
	for k in $(seq "$1"); do
		: >"$WORK/acked.$k"
		writer "$k" &
		WRITERS+=($!)
	done
}

stop_writers() {
	touch "$WORK/stop"
	wait "${WRITERS[@]}" 2>/dev/null
	WRITERS=()
}

# A query's rows against STORE ($1).
q() { sql "$2" "$1"; }

check_store() {
	local store=$1 acked=$2 bad=0 n want
	local ids marks tags
	ids=$(awk '$1 == "c" {printf "%s%s", sep, $2; sep = ","}' "$acked")
	marks=$(awk '$1 == "l" {printf "%s'"'"'%s'"'"'", sep, $2; sep = ","}' "$acked")
	tags=$(awk '$1 == "i" {printf "%s'"'"'%s'"'"'", sep, $2; sep = ","}' "$acked")
	want=$(grep -c '^c ' "$acked")
	n=$(q "$store" "SELECT count(*) FROM contact WHERE id IN (${ids:-0})")
	[ "$n" = "$want" ] || { echo "contacts: $n of $want acknowledged"; bad=1; }
	want=$(grep -c '^l ' "$acked")
	n=$(q "$store" "SELECT count(*) FROM interaction WHERE summary IN (${marks:-''})")
	[ "$n" = "$want" ] || { echo "interactions: $n of $want acknowledged"; bad=1; }
	want=$(grep -c '^i ' "$acked")
	n=$(q "$store" "SELECT count(DISTINCT tag) FROM contact_tag WHERE tag IN (${tags:-''})")
	[ "$n" = "$want" ] || { echo "imports: $n of $want acknowledged"; bad=1; }
	# All or nothing: every import present has all its rows.
	n=$(q "$store" "SELECT count(*) FROM (SELECT tag FROM contact_tag WHERE tag LIKE 'imp%'
		GROUP BY tag HAVING count(*) <> $IMPORT_ROWS) x")
	[ "$n" = 0 ] || { echo "$n imports half there"; bad=1; }
	# Each contact's last touch is its latest interaction (or when added).
	n=$(q "$store" "SELECT count(*) FROM contact c WHERE last_touch_at <>
		coalesce((SELECT max(at) FROM interaction WHERE contact_id = c.id), created_at)")
	[ "$n" = 0 ] || { echo "$n contacts whose last touch disagrees with their interactions"; bad=1; }
	[ "$bad" = 0 ] && echo "$(wc -l <"$acked") acknowledged writes checked"
	return $bad
}

store_integrity() {
	local store=$1
	if [ "$ENGINE" = pg ]; then
		# Foreign keys hold (each constraint checked again by a query), and
		# every B-tree index is whole (amcheck).
		q "$store" "CREATE EXTENSION IF NOT EXISTS amcheck" >/dev/null 2>&1
		local bad
		bad=$(q "$store" "SELECT count(*) FROM (SELECT bt_index_check(c.oid) FROM pg_index i
			JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_am a ON a.oid = c.relam
			JOIN pg_namespace s ON s.oid = c.relnamespace
			WHERE a.amname = 'btree' AND s.nspname = 'public') x" 2>&1 | grep -v '^[0-9]*$')
		[ -z "$bad" ] || { echo "amcheck: $bad"; return; }
		bad=$(fk_violations "$store")
		[ "$bad" = 0 ] && echo ok || echo "foreign keys broken: $bad"
	else
		local r fk
		r=$(sqlite3 "$store" "PRAGMA integrity_check")
		fk=$(sqlite3 "$store" "PRAGMA foreign_key_check")
		[ "$r" = ok ] && [ -z "$fk" ] && echo ok || echo "$r $fk"
	fi
}

# Rows whose foreign key points at nothing, over every single-column
# foreign key of the public schema.
fk_violations() {
	local store=$1 total=0 n
	while IFS='|' read -r t col rt rcol; do
		n=$(q "$store" "SELECT count(*) FROM \"$t\" x WHERE x.\"$col\" IS NOT NULL AND NOT EXISTS
			(SELECT 1 FROM \"$rt\" y WHERE y.\"$rcol\" = x.\"$col\")")
		total=$((total + n))
	done < <(q "$store" "SELECT cl.relname, a.attname, rc.relname, ra.attname FROM pg_constraint co
		JOIN pg_class cl ON cl.oid = co.conrelid JOIN pg_class rc ON rc.oid = co.confrelid
		JOIN pg_attribute a ON a.attrelid = co.conrelid AND a.attnum = co.conkey[1]
		JOIN pg_attribute ra ON ra.attrelid = co.confrelid AND ra.attnum = co.confkey[1]
		WHERE co.contype = 'f' AND array_length(co.conkey, 1) = 1")
	echo "$total"
}
