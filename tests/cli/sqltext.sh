# No SQL text is built from a value: every statement is a constant with $N
# parameters, and the few that are put together at run time may interpolate
# only identifiers from fixed lists (the table catalog, the store's own
# catalog) or placeholders' numbers.  Every printf-family call or buffer
# write in src/ whose literal text holds an SQL keyword must be one of the
# builders listed here, each with why what it interpolates is not a value;
# a new one fails this test until it is checked and listed.
SRC=$(cd "$(dirname "$0")/../../src" && pwd)
. "$(dirname "$0")/lib.sh"
python3 - "$SRC" >sqltext.txt <<'PY'
import os, re, sys
src = sys.argv[1]
# (file, function): why what the call puts into the statement is safe.
allowed = {
    ("core/align.c", "profile_set"): "a column name from the fixed cols[] array; the values are $1, $2",
    ("core/ladder.c", "apply_event"): "only placeholder numbers ($N) joined by OR into a fixed template",
    ("core/copy.c", "shape_read"): "the table's name from rp_tables and its columns from the store's catalog, quoted by put_ident; values are $N",
    ("core/copy.c", "insert_sql"): "the table's name from rp_tables and its catalog columns, quoted by put_ident; values are $N",
    ("core/copy.c", "table_sum"): "the table's name from rp_tables, quoted by put_ident",
    ("core/copy.c", "store_check_empty"): "the names of rp_tables, quoted by put_ident",
    ("core/merge.c", "snapshot"): "table and column names from rp_tables' contact references, quoted; the ids are $1, $2",
    ("core/merge.c", "where_key"): "key columns from rp_tables, quoted; the values are $N",
    ("core/merge.c", "current"): "the table's name from rp_tables, quoted",
    ("core/merge.c", "undo_one"): "the table from rp_tables (table_of refuses any other) and the columns of the journal rapport wrote from that table's rows, quoted; the values are $N",
    ("db/postgres.c", "create_database"): "the database named in the store's own URL, quoted by PQescapeIdentifier",
    ("db/postgres.c", "pg_fulltext_defer"): "the table is checked to be contact or interaction just before",
    ("db/postgres.c", "pg_load"): "index names from pg_index, quoted by quote_ident in the catalog query",
    ("db/postgres.c", "pg_ids_follow"): "a table name that plain_name allows (lower-case letters and _ only), given by the copy from rp_tables",
    ("db/sqlite.c", "sq_fulltext_defer"): "the name of a trigger found in sqlite_schema just before",
    ("db/sqlite.c", "sq_load"): "index names from sqlite_schema, quoted by %w",
    ("db/sqlite.c", "sq_erase_traces"): "full-text table names from sqlite_schema, quoted by %w",
}
calls = re.compile(r"\b(v?s?n?printf|asprintf|rp_buf_printf|rp_buf_puts|rp_buf_put|sqlite3_v?mprintf|sqlite3_snprintf|strn?cat|strn?cpy|memcpy)\s*\(")
sql = re.compile(r"\b(SELECT|INSERT|UPDATE|DELETE|WHERE|FROM|ORDER BY|GROUP BY|DROP|CREATE|ALTER|TRUNCATE|LIMIT|OFFSET|JOIN|VALUES|SET|BETWEEN|LIKE|RETURNING|UNION)\b")
seen = set()
bad = 0
for dirpath, _, files in os.walk(src):
    for f in sorted(files):
        if not f.endswith((".c", ".h")):
            continue
        path = os.path.join(dirpath, f)
        rel = os.path.relpath(path, src)
        text = open(path, encoding="utf-8", errors="replace").read()
        # the function each offset is in: the last definition line before it
        defs = [(m.start(), m.group(1)) for m in re.finditer(r"^(?:static\s+)?(?:const\s+)?[a-zA-Z_][\w]*[\s\*]+\**(\w+)\s*\([^;{]*\)\s*\{", text, re.M)]
        for m in calls.finditer(text):
            # the call's arguments, up to the matching parenthesis
            i, depth, lits, cur, instr = m.end(), 1, [], "", False
            while i < len(text) and depth:
                c = text[i]
                if instr:
                    if c == "\\":
                        cur += text[i:i + 2]
                        i += 2
                        continue
                    if c == '"':
                        instr = False
                        lits.append(cur)
                        cur = ""
                    else:
                        cur += c
                elif c == '"':
                    instr = True
                elif c == "(":
                    depth += 1
                elif c == ")":
                    depth -= 1
                i += 1
            literal = " ".join(lits)
            if not sql.search(literal) or "%" not in literal and m.group(1) not in ("rp_buf_puts", "rp_buf_put", "strcat", "strncat", "strcpy", "strncpy", "memcpy"):
                continue
            fn = [n for s, n in defs if s < m.start()]
            where = (rel, fn[-1] if fn else "?")
            line = text.count("\n", 0, m.start()) + 1
            if where in allowed:
                seen.add(where)
                print("ok", "%s:%d" % (rel, line), where[1], "-", allowed[where])
            else:
                bad += 1
                print("FAIL", "%s:%d" % (rel, line), where[1], "builds SQL text at run time:", literal[:80])
for where in sorted(set(allowed) - seen):
    print("STALE", "%s %s is listed but builds no SQL text any more: remove it from the list" % where)
PY
rc=0
checked=$(grep -c '^ok' sqltext.txt)
ok "the SQL builders were found ($checked calls)" test "$checked" -ge 20
while read -r verdict rest; do
	out=$rest
	ok "$rest" test "$verdict" = ok
done <sqltext.txt
finish
