# rapport privacy export and erase, end to end: everything about a person
# comes out as one document; after the erasure nothing of them is left in
# any row, the search index or (SQLite) the bytes of the database file, its
# WAL and its shm, while a hashed suppression entry refuses their return and
# the anonymous counts stay.
. "$(dirname "$0")/lib.sh"
"$R" init >/dev/null

PERSON='Зинаида Феоктистовна Пржевальская'
EMAIL='Zinaida.Przh@Example.org'
PHONE='+7 (916) 555-12-34'
# What must be gone afterwards: as typed, as stored (emails in lower case,
# phones as + and digits, names folded for search), the search index's
# words (folded, stemmed: a distinctive stretch of each), in UTF-8.
NEEDLES=("$PERSON" 'Пржевальская' 'пржевальская' 'евальск' 'Zinaida' 'zinaida' 'ZINAIDA' 'Przh' 'przh'
	"$PHONE" '+79165551234' '79165551234' '555-12-34' 'Qwerzy' 'qwerzy' 'Zyxwvu' 'zyxwvu'
	'Phalaenopsisxq' 'phalaenopsisxq' 'Лиственничная')

# A population around her, so that her rows share pages with others'.
{
	echo 'name,email,phone,note'
	for i in $(seq 1 400); do echo "Клиент $i,client$i@example.org,+7900000$(printf %04d "$i"),заметка $i"; done
} >others.csv
run "$R" import contacts others.csv
ok "a population to hide among" test "$rc" = 0

run "$R" contact add "$PERSON" --email "$EMAIL" --phone "$PHONE" --messenger telegram:@zinaida_przh \
	--postal 'ул. Лиственничная, 7' --birthday 1970-05-06 --tier close --tag vip --note 'Любит орхидеи'
ok "she is added" test "$rc" = 0
ZID=$(sql "SELECT id FROM contact WHERE name = '$PERSON'")
"$R" contact add 'Борис Годунов' --email boris@example.org --phone +79001112233 >/dev/null
# Her note rewritten a few times: the old versions' bytes are freed space.
for n in 1 2 3; do "$R" contact edit "$ZID" --note "Любит орхидеи Phalaenopsisxq, версия $n" >/dev/null; done
"$R" relate Пржевальская Годунов --kind family --note сестра >/dev/null
"$R" date add Пржевальская 1995-07-08 --label свадьба >/dev/null
"$R" fact add Пржевальская 'Коллекционирует марки Qwerzy' --follow-up 2030-01-01 >/dev/null
"$R" fact add Годунов 'Любит рыбалку' >/dev/null
"$R" story add Пржевальская --kind friends --tone positive --tag орхидеи 'Подруги Зинаиды берут марки Qwerzy' >/dev/null
"$R" story add Годунов --kind life 'Живёт рыбалкой' >/dev/null
{
	echo 'contact_id,at,kind,summary'
	for i in $(seq 1 30); do
		echo "$ZID,2024-01-$(printf %02d $(((i - 1) % 28 + 1)))T10:00:00Z,call,Разговор $i о фестивале Zyxwvu"
	done
} >calls.csv
run "$R" import interactions calls.csv
ok "her interactions are imported" test "$rc" = 0
"$R" log Годунов 'Борис звонил' >/dev/null
# Consent, stage moves, messages to her and their withdrawal links, through
# the commands that record them; and an email the mail server refused, as
# the outbox keeps it (no mail server here).
"$R" config set public.url https://crm.example.org >/dev/null
run "$R" consent grant Пржевальская --channel email --purpose news --how form --evidence 'Форма на сайте: Зинаида Пржевальская'
ok "her consent is recorded" test "$rc" = 0
"$R" consent grant Пржевальская --channel sms --purpose news --how call --evidence "Сказала по телефону $PHONE" >/dev/null
run "$R" stage Пржевальская --to dialogue --why 'Зинаида ответила на письмо' --evidence 'Письмо от zinaida.przh@example.org'
ok "she moves on the ladder" test "$rc" = 0
run "$R" send Пржевальская --channel sms --purpose news --body 'Зинаида, новости Qwerzy'
ok "a message to her is queued" test "$rc" = 0
run "$R" send Пржевальская --channel sms --purpose offers --body 'Предложение Qwerzy'
ok "one without her consent is refused, and kept" test "$rc" = 1
"$R" outbox export --channel sms sms.csv >/dev/null
NOW=$(date +%s)
sql "INSERT INTO outbox(contact_id, channel, purpose, address, subject, body, state, reason, created_at, by_user)
	VALUES ($ZID, 'email', 'news', 'zinaida.przh@example.org', 'Здравствуйте, Зинаида', 'Новости Qwerzy',
	'failed', '550 zinaida.przh@example.org: no such user', $NOW, 'tester')"
"$R" consent grant Годунов --channel sms --purpose news --how call --evidence 'Согласился по телефону' >/dev/null
"$R" send Годунов --channel sms --purpose news --body 'Борис, новости' >/dev/null

run "$R" search Пржевальская
ok "search finds her before" has "$out" "$PERSON"
run "$R" search qwerzy
ok "search finds her fact before" has "$out" 'Qwerzy'

# ---- export ------------------------------------------------------------------
run "$R" privacy export Пржевальская
ok "export runs" test "$rc" = 0
ok "export is one JSON document with everything" json "d['contact']['name'] == '$PERSON' and d['contact']['note'].endswith('версия 3')
	and {c['value'] for c in d['channels']} >= {'zinaida.przh@example.org', '+79165551234', 'telegram:@zinaida_przh'}
	and d['tags'] == ['vip'] and len(d['dates']) == 2 and len(d['facts']) == 1
	and [(x['kind'], x['text'], x['tags']) for x in d['stories']] == [('friends', 'Подруги Зинаиды берут марки Qwerzy', ['орхидеи'])]
	and len(d['interactions']) == 30 and len(d['consent']) == 2 and len(d['stage_moves']) == 2
	and len(d['consent_links']) >= 1 and len(d['outbox']) == 3
	and d['relations'][0]['contact']['name'] == 'Борис Годунов' and set(d['relations'][0]['contact']) == {'id', 'name'}
	and any(a['action'] == 'contact add' for a in d['audit']) and any(a['action'] == 'fact add' for a in d['audit'])"
ok "export leaves out the links' token hashes and others' data" bash -c '! grep -q -e token_hash \
	-e "$2" -e "Любит рыбалку" -e "Борис звонил" -e "Борис, новости" <<<"$1"' _ "$out" "$(sql "SELECT token_hash FROM consent_link LIMIT 1")"
run "$R" privacy export Пржевальская --json
ok "export --json is the same document" json "d['contact']['id'] == $ZID"
ok "the export is audited by id" test "$(sql "SELECT target FROM audit WHERE action = 'privacy export' ORDER BY id DESC LIMIT 1")" = "{\"contact\":\"$ZID\"}"

# ---- erase -------------------------------------------------------------------
OUTBOX=$(sql "SELECT count(*) FROM outbox")
MOVES=$(sql "SELECT count(*) FROM stage_move")
run "$R" privacy erase Пржевальская
ok "erase without --yes refuses" test "$rc" = 1
ok "and says how to confirm" has "$err" "--yes"
ok "and erases nothing" test "$(sql "SELECT count(*) FROM contact WHERE id = $ZID")" = 1
ok "the refusal's audit row names her by id only" \
	test "$(sql "SELECT target FROM audit WHERE action = 'privacy erase' ORDER BY id DESC LIMIT 1")" = "{\"contact\":\"$ZID\"}"

run "$R" privacy erase Пржевальская --yes
ok "erase runs" test "$rc" = 0
ok "erase reports what it did, without her name" bash -c 'grep -q "erased contact" <<<"$1" && ! grep -q Зинаида <<<"$1"' _ "$out"
run "$R" contact show "$ZID"
ok "she is gone" test "$rc" = 1
run "$R" search Пржевальская
ok "search does not find her" has "$out" "nothing found"
run "$R" search qwerzy
ok "nor her fact" has "$out" "nothing found"
run "$R" search zyxwvu
ok "nor her interactions" has "$out" "nothing found"
run "$R" search рыбалку
ok "others are still found" has "$out" "Годунов"
ok "her outbox rows stay for the counts" test "$(sql "SELECT count(*) FROM outbox")" = "$OUTBOX"
ok "without anything about her" test "$(sql "SELECT count(*) FROM outbox WHERE contact_id IS NULL AND address IS NULL
	AND subject IS NULL AND body IS NULL AND reason IS NULL AND state IN ('sent', 'refused', 'failed')")" = 3
ok "the counts per state stay" test "$(sql "SELECT state, count(*) FROM outbox WHERE contact_id IS NULL GROUP BY state
	ORDER BY state" | tr '\n' ' ')" = "failed|1 refused|1 sent|1 "
ok "others' messages are untouched" test "$(sql "SELECT count(*) FROM outbox o JOIN contact c ON c.id = o.contact_id
	WHERE c.name = 'Борис Годунов' AND o.body LIKE 'Борис%'")" = 1
ok "her stage moves stay for the funnel" test "$(sql "SELECT count(*) FROM stage_move")" = "$MOVES"
ok "anonymous" test "$(sql "SELECT count(*) FROM stage_move WHERE contact_id IS NULL AND why IS NULL AND evidence IS NULL")" = 2
ok "so the funnel still counts them" bash -c '"$1" funnel --json | grep -q "\"erased\": *[1-9]"' _ "$R"
ok "her stories are gone, others' stay" test "$(sql "SELECT count(*) FROM story")/$(sql "SELECT count(*) FROM story_tag")" = 1/0
ok "her emails and phone are suppressed as hashes" test "$(sql "SELECT count(*) FROM suppression")" = 2
ok "the erasure's audit row names her by id only" \
	test "$(sql "SELECT target FROM audit WHERE action = 'privacy erase' ORDER BY id DESC LIMIT 1")" = "{\"contact\":\"$ZID\",\"yes\":true}"
ok "the audit rows that named her are redacted" test "$(sql "SELECT count(*) FROM audit WHERE target = '{\"erased\":true}'")" -ge 8
ok "others' audit rows are not" test "$(sql "SELECT count(*) FROM audit WHERE target LIKE '%Борис звонил%'")" = 1
run "$R" audit --json --limit 1000
ok "the audit log shows no trace of her" bash -c '! grep -q -e Зинаида -e zinaida -e 5551234 <<<"$1"' _ "$out"

# No trace in any row (PostgreSQL: every column of every table as text) ...
traces=
if [ "$ENGINE" = pg ]; then
	for t in $(sql "SELECT tablename FROM pg_tables WHERE schemaname = current_schema()"); do
		for s in "${NEEDLES[@]}"; do
			n=$(sql "SELECT count(*) FROM \"$t\" x WHERE x::text LIKE '%$s%'")
			[ "$n" != 0 ] && traces="$traces $t:$s"
		done
	done
fi
ok "no row anywhere holds her name, email or phone" test -z "$traces"
if [ "$ENGINE" = pg ]; then
	ok "the tables that held her were vacuumed" test "$(sql "SELECT count(*) FROM pg_stat_user_tables
		WHERE relname IN ('contact', 'interaction', 'fact', 'audit', 'outbox', 'stage_move') AND last_vacuum IS NOT NULL")" = 6
	# n_dead_tup is a statistic that may count the deletes after the vacuum
	# reported; pgstattuple reads the pages themselves.
	if [ "$(sql "SELECT count(*) FROM pg_available_extensions WHERE name = 'pgstattuple'")" = 1 ]; then
		sql "CREATE EXTENSION IF NOT EXISTS pgstattuple" >/dev/null
		ok "no dead row versions are left in them" test "$(sql "SELECT sum((pgstattuple(t)).dead_tuple_count)
			FROM unnest(ARRAY['contact', 'contact_channel', 'contact_date', 'contact_tag', 'relation', 'fact',
			'interaction', 'consent', 'consent_link', 'stage_move', 'outbox', 'audit']) AS t")" = 0
	fi
else
	# ... nor any byte of the database file, its WAL or its shm (SQLite).
	python3 - "$RAPPORT_DB" "${NEEDLES[@]}" >scan.txt <<-'PY'
		import os, sys
		db, needles = sys.argv[1], sys.argv[2:]
		for f in (db, db + "-wal", db + "-shm"):
		    if not os.path.exists(f):
		        continue
		    data = open(f, "rb").read()
		    for s in needles:
		        if s.encode() in data:
		            print(f"{os.path.basename(f)}: {s}")
		    print(f"scanned {os.path.basename(f)} {len(data)}")
	PY
	out=$(cat scan.txt)
	ok "the database file was scanned" has "$out" "scanned t.db"
	ok "no byte of the file, the WAL or the shm holds her" bash -c '! grep -v ^scanned <<<"$1"' _ "$out"
	ok "the WAL is empty" bash -c '[ ! -e "$1-wal" ] || [ ! -s "$1-wal" ]' _ "$RAPPORT_DB"
fi

# ---- she cannot come back unnoticed ------------------------------------------
printf 'name,email\nНовая Клиентка,new.client@example.org\nЗина,ZINAIDA.PRZH@example.org\n' >again.csv
run "$R" import contacts again.csv
ok "an import with her email is refused" test "$rc" = 1
ok "naming the row and the reason" has "$out$err" "erased at their request"
ok "and imports nothing" test "$(sql "SELECT count(*) FROM contact WHERE name IN ('Зина', 'Новая Клиентка')")" = 0
run "$R" import contacts again.csv --skip-bad
ok "with --skip-bad the others come in" test "$(sql "SELECT count(*) FROM contact WHERE name = 'Новая Клиентка'")" = 1
ok "and her row is reported" has "$out" "line 3:"
run "$R" contact add 'Зина' --phone '+7 916 555 12 34'
ok "adding her phone again is refused" test "$rc" = 1
ok "saying how to override" has "$err" "--unsuppress"
run "$R" contact edit Годунов --email zinaida.przh@example.org
ok "giving her email to someone else is refused" test "$rc" = 1
run "$R" contact add 'Зинаида П.' --email "$EMAIL" --unsuppress
ok "she may be added again when she asks" test "$rc" = 0
ok "which lifts her email's entry only" test "$(sql "SELECT count(*) FROM suppression")" = 1

# ---- --rewrite: on PostgreSQL the tables are written anew, so that no file
# of the database keeps either person's bytes (only the server's WAL does,
# until it is recycled: docs/POSTGRES.md).
"$R" contact add 'Евлампия Второва' --email evlampia.vtorova@example.org --note 'Кварцит Mnbvcxq' >/dev/null
EID=$(sql "SELECT id FROM contact WHERE name = 'Евлампия Второва'")
"$R" fact add "$EID" 'Собирает Mnbvcxq' >/dev/null
run "$R" privacy erase "$EID" --yes --rewrite
ok "erase --rewrite runs" test "$rc" = 0
if [ "$ENGINE" = pg ]; then
	ok "and rewrites the tables" has "$out" "rewritten (VACUUM FULL)"
	# Only where the server's files can be read (tests/pg's own server).
	dir=$(sql "SHOW data_directory" 2>/dev/null)/base/$(sql "SELECT oid FROM pg_database WHERE datname = current_database()")
	if [ -r "$dir" ] && sql "CHECKPOINT" >/dev/null 2>&1; then
		# Her email came back with her, and what was typed to re-add her
		# is in the audit log: the rest of her must not be anywhere.
		python3 - "$dir" "$PERSON" 'Пржевальская' 'пржевальская' 'евальск' 'Qwerzy' 'qwerzy' 'Zyxwvu' 'zyxwvu' \
			'Phalaenopsisxq' 'phalaenopsisxq' 'Лиственничная' 'Mnbvcxq' 'mnbvcxq' 'evlampia' 'Второва' <<-'PY' >scan.txt
			import os, sys
			root, needles = sys.argv[1], sys.argv[2:]
			for f in sorted(os.listdir(root)):
			    data = open(os.path.join(root, f), "rb").read()
			    print("\n".join(f"{f}: {s}" for s in needles if s.encode() in data))
		PY
		out=$(grep . scan.txt)
		ok "no file of the database holds either person" test -z "$out"
	fi
else
	ok "and the file is vacuumed as always" has "$out" "database file vacuumed"
fi

run "$R" privacy erase 999999 --yes
ok "erasing nobody is an error" test "$rc" = 1
run "$R" privacy erase 'Никто Такой' --yes
ok "without repeating the name" bash -c '[ "$2" = 1 ] && ! grep -q "Никто" <<<"$1"' _ "$err" "$rc"
ok "not even in the audit log" test "$(sql "SELECT count(*) FROM audit WHERE target LIKE '%Никто%' OR detail LIKE '%Никто%'")" = 0
finish
