#include "db/sqlite_fts.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "util/words.h"

/* The FTS5 side of util/words.c: each word's stem, and in documents its
 * folded form too at the same position, so that prefix queries (which are
 * not stemmed) match whole words: 'колен*' finds "колено" although its stem
 * is "кол". */
typedef struct RpTokenizer {
    rp_words *words;
} RpTokenizer;

typedef int (*rp_xtoken_fn)(void *, int, const char *, int, int, int);

typedef struct Emit {
    void *ctx;
    int flags;
    rp_xtoken_fn xToken;
} Emit;

static int emit_word(void *arg, const char *tok, size_t n, const char *stem, size_t sn,
                     size_t start, size_t end)
{
    Emit *m = arg;
    int rc;

    if (!stem)
        return m->xToken(m->ctx, 0, tok, (int)n, (int)start, (int)end);
    rc = m->xToken(m->ctx, 0, stem, (int)sn, (int)start, (int)end);
    if (rc != SQLITE_OK || !(m->flags & FTS5_TOKENIZE_DOCUMENT))
        return rc;
    return m->xToken(m->ctx, FTS5_TOKEN_COLOCATED, tok, (int)n, (int)start, (int)end);
}

static int rp_tok_tokenize(Fts5Tokenizer *pTok, void *ctx, int flags,
                           const char *pText, int nText, rp_xtoken_fn xToken)
{
    RpTokenizer *t = (RpTokenizer *)pTok;
    Emit m = {ctx, flags, xToken};
    int rc = rp_words_scan(t->words, pText, nText > 0 ? (size_t)nText : 0,
                           !(flags & FTS5_TOKENIZE_PREFIX), emit_word, &m);

    return rc == RP_WORDS_NOMEM ? SQLITE_NOMEM : rc;
}

static void rp_tok_delete(Fts5Tokenizer *pTok)
{
    RpTokenizer *t = (RpTokenizer *)pTok;

    if (!t)
        return;
    rp_words_free(t->words);
    free(t);
}

static int rp_tok_create(void *pCtx, const char **azArg, int nArg,
                         Fts5Tokenizer **ppOut)
{
    RpTokenizer *t;

    (void)pCtx;
    (void)azArg;
    *ppOut = NULL;
    if (nArg > 0)
        return SQLITE_ERROR;
    t = calloc(1, sizeof *t);
    if (!t)
        return SQLITE_NOMEM;
    t->words = rp_words_new();
    if (!t->words) {
        rp_tok_delete((Fts5Tokenizer *)t);
        return SQLITE_NOMEM;
    }
    *ppOut = (Fts5Tokenizer *)t;
    return SQLITE_OK;
}

int rp_fts_register(sqlite3 *db)
{
    fts5_api *api = NULL;
    sqlite3_stmt *stmt = NULL;
    fts5_tokenizer tok;
    int rc;

    if (!db)
        return SQLITE_MISUSE;
    rc = sqlite3_prepare_v2(db, "SELECT fts5(?1)", -1, &stmt, NULL);
    if (rc != SQLITE_OK)
        return rc;
    sqlite3_bind_pointer(stmt, 1, (void *)&api, "fts5_api_ptr", NULL);
    rc = sqlite3_step(stmt);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
        sqlite3_finalize(stmt);
        return rc;
    }
    rc = sqlite3_finalize(stmt);
    if (rc != SQLITE_OK)
        return rc;
    if (!api || api->iVersion < 2)
        return SQLITE_ERROR;

    tok.xCreate = rp_tok_create;
    tok.xDelete = rp_tok_delete;
    tok.xTokenize = rp_tok_tokenize;
    return api->xCreateTokenizer(api, RP_FTS_TOKENIZER, NULL, &tok, NULL);
}
