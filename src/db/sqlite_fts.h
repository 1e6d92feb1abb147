#ifndef RP_DB_SQLITE_FTS_H
#define RP_DB_SQLITE_FTS_H

#include <sqlite3.h>

#include "util/words.h"

/* Name under which the tokenizer is registered:
 *   CREATE VIRTUAL TABLE t USING fts5(body, tokenize='rapport');
 * The tokenizer takes no arguments. */
#define RP_FTS_TOKENIZER "rapport"

/* Longest token, in bytes, handed to FTS5; longer tokens are cut at a
 * UTF-8 character boundary. */
#define RP_FTS_MAX_TOKEN RP_WORDS_MAX

/*
 * Registers the "rapport" FTS5 tokenizer on db. Must be called on every
 * connection that creates, writes or queries a table using it.
 *
 * Tokens are maximal runs of Unicode letters and digits (categories L*, N*;
 * combining marks Mn/Mc continue a token but never start one); everything
 * else, including bytes that are not valid UTF-8, separates tokens. Each
 * token is folded like rp_fold() (NFC + case folding + U+0451 -> U+0435),
 * cut to RP_FTS_MAX_TOKEN bytes, then stemmed with the Snowball "russian"
 * stemmer if it contains a Cyrillic letter, else "english" if it contains a
 * Latin letter, else left as is. Offsets reported to FTS5 are those of the
 * original text.
 *
 * When indexing documents, a token whose stem differs from its folded form
 * is also indexed in folded form at the same position (a colocated token),
 * and prefix query terms (foo*) are folded but not stemmed: 'колен*' thus
 * matches "колено" even though its stem is "кол". Plain query terms are
 * stemmed only.
 *
 * Returns SQLITE_OK, or an SQLite error code (e.g. when FTS5 is missing).
 */
int rp_fts_register(sqlite3 *db);

#endif
