# rapport backup and restore: a round trip while writers write.  Writers
# record each write that was acknowledged (exit 0); the backup must hold
# every write acknowledged before it started, no half of any transaction,
# and restore into a fresh store that works.
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/lib.sh"
. "$HERE/../crash/lib.sh"

run "$R" init
ok "init" test "$rc" = 0

# Writers: contacts, interactions and 20-row imports, each acknowledged
# write appended to acked.N after the command succeeded.
start_writers 3
sleep 2
# What was acknowledged before the backup starts must be in it.
cat "$WORK"/acked.* >"$WORK/before"
run "$R" backup "$WORK/b.bak" --json
ok "backup under write load" test "$rc" = 0
ok "backup reports its schema version" json 'd["schema_version"] >= 10 and d["bytes"] > 0'
ok "no temporary file is left" test ! -e "$WORK/b.bak.tmp"
sleep 1
stop_writers
ok "writers acknowledged writes before the backup" test "$(wc -l <"$WORK/before")" -gt 5

RESTORED=$(newdb restored)
run "$R" --db "$RESTORED" restore "$WORK/b.bak" --json
ok "restore into a fresh store" test "$rc" = 0
ok "restore reports the versions" json 'd["backup_version"] == d["schema_version"]'
run check_store "$RESTORED" "$WORK/before"
ok "every acknowledged write is in the restored store, none half done: $out" test "$rc" = 0
ok "the restored store is whole" test "$(store_integrity "$RESTORED")" = ok

# The restored store takes writes, its ids following the restored ones.
max=$(sql "SELECT max(id) FROM contact" "$RESTORED")
run "$R" --db "$RESTORED" contact add "After Restore"
new=${out##*(#}
new=${new%%)*}
# (PostgreSQL's sequences may have moved past the last row the backup saw.)
ok "restored store takes writes, with ids after the restored ones" test "$rc" = 0 -a "$new" -gt "$max"

# A store with data is not replaced unless asked.
run "$R" --db "$RESTORED" restore "$WORK/b.bak"
ok "a store holding data is refused" test "$rc" = 1
ok "says how to replace it" has "$err" "--force"
ok "the refused restore changed nothing" test "$(sql "SELECT count(*) FROM contact WHERE name = 'After Restore'" "$RESTORED")" = 1
run "$R" --db "$RESTORED" restore "$WORK/b.bak" --force
ok "--force replaces it" test "$rc" = 0
ok "with the backup's contents" test "$(sql "SELECT count(*) FROM contact WHERE name = 'After Restore'" "$RESTORED")" = 0

# Bad input.
run "$R" --db "$RESTORED" restore "$WORK/missing.bak"
ok "a missing backup is named" has "$err" "missing.bak"
echo "not a backup" >"$WORK/junk.bak"
run "$R" --db "$RESTORED" restore "$WORK/junk.bak" --force
ok "a file that is no backup is refused" has "$err" "not a rapport backup"
ok "and the store is untouched" test "$(sql "SELECT count(*) FROM contact" "$RESTORED")" -gt 5
if [ "$ENGINE" = sqlite ]; then
	run "$R" backup "$RAPPORT_DB"
	ok "a backup over the store itself is refused" has "$err" "the store itself"
	# A backup killed half way leaves the previous backup file whole.
	for i in 1 2 3; do
		"$R" backup "$WORK/b.bak" >/dev/null 2>&1 &
		pid=$!
		sleep 0.0$((i * 3))
		kill -9 "$pid" 2>/dev/null
		wait "$pid" 2>/dev/null
		ok "after a killed backup ($i) the file is whole" \
			test "$(sqlite3 "$WORK/b.bak" 'PRAGMA integrity_check')" = ok
	done
else
	run env PATH=/nonexistent "$R" backup "$WORK/p.bak"
	ok "pg_dump missing: a clear error" has "$err" "pg_dump was not found"
fi
finish
