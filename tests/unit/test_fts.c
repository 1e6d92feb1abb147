#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <libstemmer.h>
#include <sqlite3.h>

#include "db/sqlite_fts.h"
#include "util/fold.h"

/* ------------------------------------------------------------------ */
/* rp_fold / rp_utf8_valid                                             */
/* ------------------------------------------------------------------ */

static void expect_fold(const char *in, size_t inlen, const char *want)
{
    size_t outlen = (size_t)-1;
    char *out = rp_fold(in, inlen, &outlen);

    assert_non_null(out);
    assert_int_equal(outlen, strlen(want));
    assert_memory_equal(out, want, outlen);
    assert_int_equal(out[outlen], '\0');
    free(out);
}

#define FOLD(in, want) expect_fold((in), strlen(in), (want))

static void test_fold_latin(void **state)
{
    (void)state;
    FOLD("Hello WORLD", "hello world");
    FOLD("already lower 123", "already lower 123");
    FOLD("MiXeD-CaSe_42!", "mixed-case_42!");
    /* Full case folding, not just lowercasing. */
    FOLD("Straße STRASSE", "strasse strasse");
    FOLD("ÀÉÎÕÜ", "àéîõü");
}

static void test_fold_cyrillic(void **state)
{
    (void)state;
    FOLD("ПРИВЕТ, Мир", "привет, мир");
    FOLD("АБВГДЕЖЗИЙКЛМНОПРСТУФХЦЧШЩЪЫЬЭЮЯ",
         "абвгдежзийклмнопрстуфхцчшщъыьэюя");
    FOLD("Анна Петровна ИВАНОВА", "анна петровна иванова");
    /* Non-Russian Cyrillic letters fold too. */
    FOLD("ЇЖАК Ґанок", "їжак ґанок");
}

static void test_fold_yo(void **state)
{
    (void)state;
    FOLD("Ёлка", "елка");
    FOLD("ёжик ЁЖИК", "ежик ежик");
    FOLD("Е\xcc\x88", "е"); /* Е + combining diaeresis -> Ё -> ё -> е */
    FOLD("е\xcc\x88", "е");
    /* Other letters with diaeresis are untouched. */
    FOLD("Ï", "ï");
}

static void test_fold_nfc(void **state)
{
    (void)state;
    FOLD("e\xcc\x81", "\xc3\xa9");          /* e + U+0301 -> é */
    FOLD("E\xcc\x81", "\xc3\xa9");          /* E + U+0301 -> é */
    FOLD("cafe\xcc\x81", "caf\xc3\xa9");
    FOLD("и\xcc\x86", "й");                 /* и + breve -> й */
    FOLD("\xc3\xa9", "\xc3\xa9");           /* already composed */
}

static void test_fold_invalid(void **state)
{
    static const char *bad[] = {
        "\xff",             /* never valid */
        "abc\xc3",          /* truncated sequence */
        "\xc3(",            /* bad continuation */
        "\xc0\xaf",         /* overlong '/' */
        "\xe0\x80\xaf",     /* overlong, 3 bytes */
        "\xed\xa0\x80",     /* surrogate U+D800 */
        "\xf4\x90\x80\x80", /* above U+10FFFF */
        "\x80",             /* lone continuation */
        "ok \xfe\xfe",
    };
    size_t i;
    (void)state;

    for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        size_t outlen = 77;
        assert_null(rp_fold(bad[i], strlen(bad[i]), &outlen));
        assert_int_equal(rp_utf8_valid(bad[i], strlen(bad[i])), 0);
    }
}

static void test_fold_misc(void **state)
{
    char *out;
    size_t outlen = 99;
    (void)state;

    /* outlen may be NULL */
    out = rp_fold("ABC", 3, NULL);
    assert_non_null(out);
    assert_string_equal(out, "abc");
    free(out);

    /* empty input gives an empty string */
    out = rp_fold("", 0, &outlen);
    assert_non_null(out);
    assert_int_equal(outlen, 0);
    assert_string_equal(out, "");
    free(out);

    /* only len bytes are read */
    out = rp_fold("ABCDEF", 2, &outlen);
    assert_non_null(out);
    assert_int_equal(outlen, 2);
    assert_string_equal(out, "ab");
    free(out);

    /* embedded NUL is preserved */
    out = rp_fold("A\0B", 3, &outlen);
    assert_non_null(out);
    assert_int_equal(outlen, 3);
    assert_memory_equal(out, "a\0b", 3);
    free(out);
}

static void test_utf8_valid(void **state)
{
    (void)state;
    assert_int_equal(rp_utf8_valid("", 0), 1);
    assert_int_equal(rp_utf8_valid("plain ascii text, long enough", 29), 1);
    assert_int_equal(rp_utf8_valid("Привет", strlen("Привет")), 1);
    assert_int_equal(rp_utf8_valid("\xe2\x82\xac", 3), 1);         /* € */
    assert_int_equal(rp_utf8_valid("\xf0\x9f\x98\x80", 4), 1);     /* emoji */
    assert_int_equal(rp_utf8_valid("\xf4\x8f\xbf\xbf", 4), 1);     /* max */
    assert_int_equal(rp_utf8_valid("\xef\xbf\xbe", 3), 1); /* noncharacter ok */
    assert_int_equal(rp_utf8_valid("\xf0\x9f\x98", 3), 0);
    assert_int_equal(rp_utf8_valid("abcdefgh\xff", 9), 0);
    assert_int_equal(rp_utf8_valid("\xf5\x80\x80\x80", 4), 0);
}

static void test_fold_into_matches_fold(void **state)
{
    static const char *cases[] = {
        "Hello WORLD", "ПРИВЕТ Ёлка", "Straße", "cafe\xcc\x81", "İstanbul",
        "ΣΟΦΊΑ ΟΔΟΣ", "ǅemal", "ﬁnance", "", "東京 2024",
        "Е\xcc\x88 и\xcc\x86",
    };
    void *scratch = NULL;
    size_t cap = 0, i;
    char big[3000];
    (void)state;

    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        size_t want_len;
        char *want = rp_fold(cases[i], strlen(cases[i]), &want_len);
        ptrdiff_t r = rp_fold_into(cases[i], strlen(cases[i]), &scratch, &cap);
        assert_non_null(want);
        assert_int_equal(r, (ptrdiff_t)want_len);
        assert_memory_equal(scratch, want, want_len);
        free(want);
    }
    /* grows the scratch buffer; ß expands to ss */
    for (i = 0; i + 2 <= sizeof big - 1; i += 2)
        memcpy(big + i, "\xc3\x9f", 2);
    big[i] = '\0';
    {
        size_t want_len;
        char *want = rp_fold(big, i, &want_len);
        ptrdiff_t r = rp_fold_into(big, i, &scratch, &cap);
        assert_non_null(want);
        assert_int_equal(want_len, i);
        assert_int_equal(r, (ptrdiff_t)want_len);
        assert_memory_equal(scratch, want, want_len);
        free(want);
    }
    assert_int_equal(rp_fold_into("\xff", 1, &scratch, &cap), RP_FOLD_EINVAL);
    free(scratch);
}

/* ------------------------------------------------------------------ */
/* SQL-level tokenizer tests                                           */
/* ------------------------------------------------------------------ */

/* The tokenizer plugs into SQLite's FTS5 alone (PostgreSQL has its own
** text search), so the pass against PostgreSQL (RAPPORT_TEST_PG set) skips
** these tests; the folding tests above depend on no engine and run in both. */
static void sqlite_only(void)
{
    if (getenv("RAPPORT_TEST_PG") && *getenv("RAPPORT_TEST_PG"))
        skip();
}

static sqlite3 *open_db(void)
{
    sqlite3 *db = NULL;

    assert_int_equal(sqlite3_open(":memory:", &db), SQLITE_OK);
    assert_int_equal(rp_fts_register(db), SQLITE_OK);
    assert_int_equal(
        sqlite3_exec(db,
                     "CREATE VIRTUAL TABLE t USING fts5(body, tokenize='rapport');"
                     "CREATE VIRTUAL TABLE v USING fts5vocab(t, 'row');",
                     NULL, NULL, NULL),
        SQLITE_OK);
    return db;
}

static void insert(sqlite3 *db, const char *text, int len)
{
    sqlite3_stmt *st = NULL;

    assert_int_equal(
        sqlite3_prepare_v2(db, "INSERT INTO t(body) VALUES (?1)", -1, &st, NULL),
        SQLITE_OK);
    assert_int_equal(sqlite3_bind_text(st, 1, text, len, SQLITE_TRANSIENT),
                     SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_DONE);
    sqlite3_finalize(st);
}

static int count_matches(sqlite3 *db, const char *query)
{
    sqlite3_stmt *st = NULL;
    int n = -1;

    assert_int_equal(sqlite3_prepare_v2(db,
                                        "SELECT count(*) FROM t WHERE t MATCH ?1",
                                        -1, &st, NULL),
                     SQLITE_OK);
    sqlite3_bind_text(st, 1, query, -1, SQLITE_STATIC);
    if (sqlite3_step(st) == SQLITE_ROW)
        n = sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    return n;
}

static int has_term(sqlite3 *db, const char *term, int len)
{
    sqlite3_stmt *st = NULL;
    int n = -1;

    assert_int_equal(sqlite3_prepare_v2(db,
                                        "SELECT count(*) FROM v WHERE term = ?1",
                                        -1, &st, NULL),
                     SQLITE_OK);
    sqlite3_bind_text(st, 1, term, len, SQLITE_STATIC);
    if (sqlite3_step(st) == SQLITE_ROW)
        n = sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    return n;
}

static void test_sql_university(void **state)
{
    sqlite_only();
    sqlite3 *db = open_db();
    (void)state;

    insert(db, "Рассказала, что дочь поступила в университет", -1);
    insert(db, "Something unrelated", -1);
    assert_int_equal(count_matches(db, "\"УНИВЕРСИТЕТЕ\""), 1);
    assert_int_equal(count_matches(db, "\"университета\""), 1);
    assert_int_equal(count_matches(db, "\"университетом\""), 1);
    assert_int_equal(count_matches(db, "\"поступила в университет\""), 1);
    assert_int_equal(count_matches(db, "\"школа\""), 0);
    sqlite3_close(db);
}

static void test_sql_names(void **state)
{
    sqlite_only();
    sqlite3 *db = open_db();
    (void)state;

    insert(db, "Анна Петровна Иванова", -1);
    assert_int_equal(count_matches(db, "\"ИВАНОВА\""), 1);
    assert_int_equal(count_matches(db, "\"иванова\""), 1);
    assert_int_equal(count_matches(db, "\"Анна Петровна\""), 1);
    assert_int_equal(count_matches(db, "\"Сидорова\""), 0);
    sqlite3_close(db);
}

static void test_sql_english(void **state)
{
    sqlite_only();
    sqlite3 *db = open_db();
    (void)state;

    insert(db, "knee surgeries went well", -1);
    assert_int_equal(count_matches(db, "\"surgery\""), 1);
    assert_int_equal(count_matches(db, "\"SURGERIES\""), 1);
    assert_int_equal(count_matches(db, "\"Knees\""), 1);
    assert_int_equal(count_matches(db, "\"hip\""), 0);
    sqlite3_close(db);
}

static void test_sql_yo(void **state)
{
    sqlite_only();
    sqlite3 *db = open_db();
    (void)state;

    insert(db, "Ёлка", -1);
    assert_int_equal(count_matches(db, "\"елки\""), 1);
    assert_int_equal(count_matches(db, "\"ёлку\""), 1);
    assert_int_equal(count_matches(db, "\"ЕЛКА\""), 1);
    assert_int_equal(count_matches(db, "\"ёлка\""), 1);
    assert_int_equal(count_matches(db, "ёл*"), 1);
    assert_int_equal(count_matches(db, "ел*"), 1);
    /* Е + combining diaeresis in the query */
    assert_int_equal(count_matches(db, "\"Е\xcc\x88лке\""), 1);
    sqlite3_close(db);
}

static void test_sql_prefix(void **state)
{
    sqlite_only();
    sqlite3 *db = open_db();
    (void)state;

    insert(db, "колено", -1);
    insert(db, "Рассказала, что дочь поступила в университет", -1);
    assert_int_equal(count_matches(db, "колен*"), 1);
    assert_int_equal(count_matches(db, "КОЛЕН*"), 1);
    assert_int_equal(count_matches(db, "колено*"), 1);
    assert_int_equal(count_matches(db, "колени*"), 0);
    assert_int_equal(count_matches(db, "универ*"), 1);
    assert_int_equal(count_matches(db, "Рассказал*"), 1);
    assert_int_equal(count_matches(db, "рассказала*"), 1);
    sqlite3_close(db);
}

static void test_sql_garbage(void **state)
{
    sqlite_only();
    static const char g[] = "\xff\xfe abc \xc3";
    sqlite3 *db = open_db();
    (void)state;

    insert(db, g, (int)sizeof g - 1);
    assert_int_equal(count_matches(db, "abc"), 1);
    assert_int_equal(count_matches(db, "\"abc\""), 1);
    insert(db, "\xc3\xc3\xc3x\xe2\x82y\xed\xa0\x80z\xf4\x90\x80\x80", -1);
    assert_int_equal(count_matches(db, "x"), 1);
    assert_int_equal(count_matches(db, "y"), 1);
    assert_int_equal(count_matches(db, "z"), 1);
    sqlite3_close(db);
}

static void test_sql_highlight_offsets(void **state)
{
    sqlite_only();
    sqlite3 *db = open_db();
    sqlite3_stmt *st = NULL;
    (void)state;

    insert(db, "Hello, МИР! Visited the cafe\xcc\x81s, \xff Ёлки.", -1);
    assert_int_equal(
        sqlite3_prepare_v2(db,
                           "SELECT highlight(t, 0, '[', ']') FROM t "
                           "WHERE t MATCH ?1",
                           -1, &st, NULL),
        SQLITE_OK);

    sqlite3_bind_text(st, 1, "мир OR café OR елка OR visit", -1, SQLITE_STATIC);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    assert_string_equal((const char *)sqlite3_column_text(st, 0),
                        "Hello, [МИР]! [Visited] the [cafe\xcc\x81s], \xff [Ёлки].");
    sqlite3_finalize(st);
    sqlite3_close(db);
}

static void test_sql_vocab_terms(void **state)
{
    sqlite_only();
    sqlite3 *db = open_db();
    (void)state;

    insert(db, "Колено surgeries 2024г 東京 ΣΟΦΊΑ", -1);
    assert_int_equal(has_term(db, "кол", -1), 1);     /* stem */
    assert_int_equal(has_term(db, "колено", -1), 1);  /* colocated full form */
    assert_int_equal(has_term(db, "surgeri", -1), 1);
    assert_int_equal(has_term(db, "surgeries", -1), 1);
    assert_int_equal(has_term(db, "2024г", -1), 1);
    assert_int_equal(has_term(db, "東京", -1), 1);
    assert_int_equal(has_term(db, "σοφία", -1), 1);
    assert_int_equal(has_term(db, "Колено", -1), 0);
    sqlite3_close(db);
}

static void test_sql_long_token(void **state)
{
    sqlite_only();
    sqlite3 *db = open_db();
    char word[601];
    char query[700];
    sqlite3_stmt *st = NULL;
    (void)state;

    memset(word, 'q', 600);
    word[600] = '\0';
    insert(db, word, -1);
    snprintf(query, sizeof query, "\"%s\"", word);
    assert_int_equal(count_matches(db, query), 1);
    assert_int_equal(
        sqlite3_prepare_v2(db, "SELECT max(length(CAST(term AS BLOB))) FROM v",
                           -1, &st, NULL),
        SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    assert_int_equal(sqlite3_column_int(st, 0), RP_FTS_MAX_TOKEN);
    sqlite3_finalize(st);
    sqlite3_close(db);
}

static void test_sql_tokenizer_args_rejected(void **state)
{
    sqlite_only();
    sqlite3 *db = NULL;
    (void)state;

    assert_int_equal(sqlite3_open(":memory:", &db), SQLITE_OK);
    assert_int_equal(rp_fts_register(db), SQLITE_OK);
    assert_int_not_equal(
        sqlite3_exec(db,
                     "CREATE VIRTUAL TABLE t USING fts5(b, tokenize='rapport x')",
                     NULL, NULL, NULL),
        SQLITE_OK);
    /* registering twice is harmless */
    assert_int_equal(rp_fts_register(db), SQLITE_OK);
    assert_int_equal(
        sqlite3_exec(db,
                     "CREATE VIRTUAL TABLE t USING fts5(b, tokenize='rapport')",
                     NULL, NULL, NULL),
        SQLITE_OK);
    sqlite3_close(db);
    assert_int_equal(rp_fts_register(NULL), SQLITE_MISUSE);
}

/* ------------------------------------------------------------------ */
/* Direct tokenizer tests                                              */
/* ------------------------------------------------------------------ */

#define MAX_TOKS 4096

typedef struct {
    char text[RP_FTS_MAX_TOKEN + 1];
    int len, tflags, start, end;
} Tok;

typedef struct {
    Tok toks[MAX_TOKS];
    int n;
    int ntext;
    int bad; /* set when a callback received something malformed */
} TokList;

typedef struct {
    sqlite3 *db;
    fts5_tokenizer api;
    Fts5Tokenizer *tok;
    TokList *list;
} Fixture;

static int collect(void *ctx, int tflags, const char *p, int n, int s, int e)
{
    TokList *l = ctx;

    if (n < 1 || n > RP_FTS_MAX_TOKEN || !rp_utf8_valid(p, (size_t)n) ||
        s < 0 || e <= s || e > l->ntext ||
        (l->n > 0 && s < l->toks[l->n - 1].start) ||
        (tflags != 0 && tflags != FTS5_TOKEN_COLOCATED) ||
        (tflags == FTS5_TOKEN_COLOCATED &&
         (l->n == 0 || l->toks[l->n - 1].start != s))) {
        l->bad++;
        return SQLITE_OK;
    }
    if (l->n < MAX_TOKS) {
        Tok *t = &l->toks[l->n++];
        memcpy(t->text, p, (size_t)n);
        t->text[n] = '\0';
        t->len = n;
        t->tflags = tflags;
        t->start = s;
        t->end = e;
    }
    return SQLITE_OK;
}

static int fixture_setup(void **state)
{
    Fixture *f = calloc(1, sizeof *f);
    fts5_api *api = NULL;
    sqlite3_stmt *st = NULL;
    void *ctx = NULL;

    if (!f)
        return -1;
    f->list = calloc(1, sizeof *f->list);
    if (!f->list || sqlite3_open(":memory:", &f->db) != SQLITE_OK ||
        rp_fts_register(f->db) != SQLITE_OK)
        return -1;
    if (sqlite3_prepare_v2(f->db, "SELECT fts5(?1)", -1, &st, NULL) != SQLITE_OK)
        return -1;
    sqlite3_bind_pointer(st, 1, (void *)&api, "fts5_api_ptr", NULL);
    sqlite3_step(st);
    sqlite3_finalize(st);
    if (!api ||
        api->xFindTokenizer(api, RP_FTS_TOKENIZER, &ctx, &f->api) != SQLITE_OK)
        return -1;
    if (f->api.xCreate(ctx, NULL, 0, &f->tok) != SQLITE_OK)
        return -1;
    *state = f;
    return 0;
}

static int fixture_teardown(void **state)
{
    Fixture *f = *state;

    if (f) {
        if (f->tok)
            f->api.xDelete(f->tok);
        sqlite3_close(f->db);
        free(f->list);
        free(f);
    }
    return 0;
}

static TokList *tokenize(Fixture *f, int flags, const char *text, int len)
{
    if (len < 0)
        len = (int)strlen(text);
    memset(f->list, 0, sizeof *f->list);
    f->list->ntext = len;
    assert_int_equal(f->api.xTokenize(f->tok, f->list, flags, text, len, collect),
                     SQLITE_OK);
    assert_int_equal(f->list->bad, 0);
    return f->list;
}

static void expect_tok(const TokList *l, int i, const char *text, int start,
                       int end)
{
    assert_true(i < l->n);
    assert_string_equal(l->toks[i].text, text);
    assert_int_equal(l->toks[i].start, start);
    assert_int_equal(l->toks[i].end, end);
}

#define Q FTS5_TOKENIZE_QUERY
#define QP (FTS5_TOKENIZE_QUERY | FTS5_TOKENIZE_PREFIX)
#define DOC FTS5_TOKENIZE_DOCUMENT

static void test_tok_split(void **state)
{
    sqlite_only();
    Fixture *f = *state;
    TokList *l;

    l = tokenize(f, Q, "Hello, world! 123abc x_y a-b", -1);
    assert_int_equal(l->n, 7);
    expect_tok(l, 0, "hello", 0, 5);
    expect_tok(l, 1, "world", 7, 12);
    expect_tok(l, 2, "123abc", 14, 20);
    expect_tok(l, 3, "x", 21, 22);
    expect_tok(l, 4, "y", 23, 24);
    expect_tok(l, 5, "a", 25, 26);
    expect_tok(l, 6, "b", 27, 28);

    /* Cyrillic byte offsets; punctuation, symbols and spaces separate */
    l = tokenize(f, Q, "«Дочь»—ok…№5 €10", -1);
    assert_int_equal(l->n, 4);
    expect_tok(l, 0, "доч", 2, 10);
    expect_tok(l, 1, "ok", 15, 17);
    expect_tok(l, 2, "5", 23, 24);
    expect_tok(l, 3, "10", 28, 30);

    /* nothing to index */
    l = tokenize(f, Q, "", 0);
    assert_int_equal(l->n, 0);
    l = tokenize(f, Q, " ,.;!? \t\n\xe2\x80\x94 ", -1);
    assert_int_equal(l->n, 0);

    /* embedded NUL separates */
    l = tokenize(f, Q, "abc\0def", 7);
    assert_int_equal(l->n, 2);
    expect_tok(l, 0, "abc", 0, 3);
    expect_tok(l, 1, "def", 4, 7);
}

static void test_tok_marks(void **state)
{
    sqlite_only();
    Fixture *f = *state;
    TokList *l;

    /* a combining mark inside a word belongs to it and is composed */
    l = tokenize(f, QP, "CAFE\xcc\x81s x", -1);
    assert_int_equal(l->n, 2);
    expect_tok(l, 0, "caf\xc3\xa9s", 0, 7);
    expect_tok(l, 1, "x", 8, 9);

    /* a mark with no word before it is a separator */
    l = tokenize(f, QP, "\xcc\x81" "abc \xcc\x81", -1);
    assert_int_equal(l->n, 1);
    expect_tok(l, 0, "abc", 2, 5);

    /* spacing combining mark (Devanagari) stays in the word */
    l = tokenize(f, QP, "\xe0\xa4\x95\xe0\xa4\xbe", -1); /* क + ा */
    assert_int_equal(l->n, 1);
    expect_tok(l, 0, "\xe0\xa4\x95\xe0\xa4\xbe", 0, 6);

    /* и + breve composes to й */
    l = tokenize(f, QP, "И\xcc\x86", -1);
    assert_int_equal(l->n, 1);
    expect_tok(l, 0, "й", 0, 4);
}

static void test_tok_stemmer_choice(void **state)
{
    sqlite_only();
    Fixture *f = *state;
    TokList *l;

    l = tokenize(f, Q, "running Бегущие 2024 東京 ΣΟΦΊΑ abcдома", -1);
    assert_int_equal(l->n, 6);
    expect_tok(l, 0, "run", 0, 7);              /* english */
    assert_string_equal(l->toks[1].text, "бегущ"); /* russian */
    assert_string_equal(l->toks[2].text, "2024");  /* digits: as is */
    assert_string_equal(l->toks[3].text, "東京");  /* other script */
    assert_string_equal(l->toks[4].text, "σοφία"); /* folded only */
    /* Cyrillic wins over Latin in a mixed token */
    assert_string_equal(l->toks[5].text, "abcдом");

    l = tokenize(f, Q, "Ёлку ёлки ЕЛКА", -1);
    assert_int_equal(l->n, 3);
    assert_string_equal(l->toks[0].text, "елк");
    assert_string_equal(l->toks[1].text, "елк");
    assert_string_equal(l->toks[2].text, "елк");

    /* Latin with diacritics still goes to the english stemmer */
    l = tokenize(f, Q, "CAFÉS", -1);
    assert_int_equal(l->n, 1);
    assert_string_equal(l->toks[0].text, "café");
}

static void test_tok_prefix_not_stemmed(void **state)
{
    sqlite_only();
    Fixture *f = *state;
    TokList *l;

    l = tokenize(f, QP, "Колено", -1);
    assert_int_equal(l->n, 1);
    expect_tok(l, 0, "колено", 0, 12);
    l = tokenize(f, Q, "Колено", -1);
    assert_int_equal(l->n, 1);
    expect_tok(l, 0, "кол", 0, 12);
    l = tokenize(f, QP, "SURGERIES Ёлки", -1);
    assert_int_equal(l->n, 2);
    assert_string_equal(l->toks[0].text, "surgeries");
    assert_string_equal(l->toks[1].text, "елки");
}

static void test_tok_document_colocated(void **state)
{
    sqlite_only();
    Fixture *f = *state;
    TokList *l;

    l = tokenize(f, DOC, "Колено ok дом", -1);
    /* stem, then the folded word at the same position when it differs */
    assert_int_equal(l->n, 4);
    expect_tok(l, 0, "кол", 0, 12);
    assert_int_equal(l->toks[0].tflags, 0);
    expect_tok(l, 1, "колено", 0, 12);
    assert_int_equal(l->toks[1].tflags, FTS5_TOKEN_COLOCATED);
    expect_tok(l, 2, "ok", 13, 15);
    assert_int_equal(l->toks[2].tflags, 0);
    expect_tok(l, 3, "дом", 16, 22);
    assert_int_equal(l->toks[3].tflags, 0);
}

static void test_tok_fold_matches_rp_fold(void **state)
{
    sqlite_only();
    static const char *words[] = {
        "ПРИВЕТ", "Ёжик", "Straße", "CAFE\xcc\x81", "ǅemal", "İstanbul",
        "ΣΟΦΊΑ", "ЇЖАК", "Mixedкириллица", "ﬁnance", "Ⅻ", "Е\xcc\x88ж",
        "ABC123", "ＡＢＣ",
    };
    Fixture *f = *state;
    size_t i;

    for (i = 0; i < sizeof words / sizeof words[0]; i++) {
        size_t len;
        char *want = rp_fold(words[i], strlen(words[i]), &len);
        TokList *l = tokenize(f, QP, words[i], -1);
        assert_non_null(want);
        assert_int_equal(l->n, 1);
        assert_int_equal(l->toks[0].len, (int)len);
        assert_memory_equal(l->toks[0].text, want, len);
        assert_int_equal(l->toks[0].start, 0);
        assert_int_equal(l->toks[0].end, (int)strlen(words[i]));
        free(want);
    }
}

static void test_tok_truncation(void **state)
{
    sqlite_only();
    Fixture *f = *state;
    char buf[1200];
    TokList *l;
    int i, n;

    /* ASCII: cut at exactly 255 bytes */
    memset(buf, 'A', 300);
    l = tokenize(f, QP, buf, 300);
    assert_int_equal(l->n, 1);
    assert_int_equal(l->toks[0].len, 255);
    assert_int_equal(l->toks[0].text[0], 'a');
    assert_int_equal(l->toks[0].start, 0);
    assert_int_equal(l->toks[0].end, 300);

    /* two-byte letters: 255 would split a character, so 254 */
    for (n = 0, i = 0; i < 200; i++, n += 2)
        memcpy(buf + n, "Я", 2);
    l = tokenize(f, QP, buf, n);
    assert_int_equal(l->n, 1);
    assert_int_equal(l->toks[0].len, 254);
    assert_int_equal(l->toks[0].end, n);
    assert_memory_equal(l->toks[0].text, "яя", 4);

    /* shifted by one ASCII byte: 255 is a boundary again */
    buf[0] = 'x';
    for (n = 1, i = 0; i < 200; i++, n += 2)
        memcpy(buf + n, "я", 2);
    l = tokenize(f, QP, buf, n);
    assert_int_equal(l->n, 1);
    assert_int_equal(l->toks[0].len, 255);

    /* general path: decomposed é (3 bytes) folds to 2 bytes, cut at 254 */
    for (n = 0, i = 0; i < 300; i++, n += 3)
        memcpy(buf + n, "e\xcc\x81", 3);
    l = tokenize(f, QP, buf, n);
    assert_int_equal(l->n, 1);
    assert_int_equal(l->toks[0].len, 254);
    assert_int_equal(l->toks[0].end, n);

    /* three-byte characters: 255 = 85 * 3 */
    for (n = 0, i = 0; i < 100; i++, n += 3)
        memcpy(buf + n, "東", 3);
    l = tokenize(f, Q, buf, n);
    assert_int_equal(l->n, 1);
    assert_int_equal(l->toks[0].len, 255);

    /* four-byte letters (Gothic): 252 */
    for (n = 0, i = 0; i < 100; i++, n += 4)
        memcpy(buf + n, "\xf0\x90\x8c\xb0", 4);
    l = tokenize(f, Q, buf, n);
    assert_int_equal(l->n, 1);
    assert_int_equal(l->toks[0].len, 252);

    /* stemming path (no prefix flag) stays within the limit too */
    for (n = 0, i = 0; i < 200; i++, n += 2)
        memcpy(buf + n, "Я", 2);
    l = tokenize(f, DOC, buf, n);
    assert_true(l->n >= 1);
    for (i = 0; i < l->n; i++)
        assert_true(l->toks[i].len <= 255);
}

static void test_tok_garbage(void **state)
{
    sqlite_only();
    static const char g[] = "\xff\xfe abc \xc3";
    Fixture *f = *state;
    TokList *l;

    l = tokenize(f, DOC, g, (int)sizeof g - 1);
    assert_int_equal(l->n, 1);
    expect_tok(l, 0, "abc", 3, 6);

    /* invalid bytes glued to words split them */
    l = tokenize(f, DOC, "ab\xff" "cd\xc3", -1);
    assert_int_equal(l->n, 2);
    expect_tok(l, 0, "ab", 0, 2);
    expect_tok(l, 1, "cd", 3, 5);

    /* truncated multibyte sequence in the middle of Cyrillic */
    l = tokenize(f, QP, "да\xd0нет", -1);
    assert_int_equal(l->n, 2);
    expect_tok(l, 0, "да", 0, 4);
    expect_tok(l, 1, "нет", 5, 11);
}

/* xorshift PRNG so failures reproduce */
static uint64_t rng_state = 0x9E3779B97F4A7C15u;
static uint32_t rnd(void)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return (uint32_t)(rng_state >> 32);
}

static int random_text(char *buf, int cap)
{
    static const char *pieces[] = {
        "a", "Z", "9", " ", ",", "Я", "ё", "Ё", "\xcc\x81", "\xcc\x88",
        "東", "\xf0\x90\x8c\xb0", "ß", "İ", "\xe0\xa4\xbe", "\xc3", "\xff",
        "\xed\xa0\x80", "\xf4\x90\x80\x80", "\xe2\x82", "\x80", "\0", "-",
        "ǅ", "Σ", "ﬁ", "\xef\xbf\xbe", "\xc0\xaf",
    };
    int n = 0, want = (int)(rnd() % (unsigned)cap);

    while (n < want) {
        if (rnd() % 4 == 0) {
            buf[n++] = (char)(rnd() & 0xFF);
        } else {
            const char *p = pieces[rnd() % (sizeof pieces / sizeof pieces[0])];
            size_t pl = p[0] ? strlen(p) : 1;
            int reps = (rnd() % 16 == 0) ? 1 + (int)(rnd() % 200) : 1;
            while (reps-- > 0 && n + (int)pl <= cap) {
                memcpy(buf + n, p, pl);
                n += (int)pl;
            }
            if (n + (int)pl > cap)
                break;
        }
    }
    return n;
}

/* Repeated and colliding words must always get the stemmer's answer. */
static void test_tok_stem_repeat(void **state)
{
    sqlite_only();
    static const char *cyr[] = {"а", "о", "ы", "н", "к", "ами", "ов", "ение", "Т",
                                "ё", "Ё", "ла"};
    static const char *lat[] = {"a", "e", "s", "ing", "ed", "ies", "T", "r",
                                "ly", "ness"};
    enum { NWORDS = 6000 };
    Fixture *f = *state;
    struct sb_stemmer *ru = sb_stemmer_new("russian", "UTF_8");
    struct sb_stemmer *en = sb_stemmer_new("english", "UTF_8");
    char (*words)[128] = calloc(NWORDS, sizeof *words);
    int round, i;

    assert_non_null(ru);
    assert_non_null(en);
    assert_non_null(words);
    for (i = 0; i < NWORDS; i++) {
        int is_ru = i % 2, parts = 1 + (int)(rnd() % 12), k;
        for (k = 0; k < parts; k++) {
            const char *p = is_ru ? cyr[rnd() % (sizeof cyr / sizeof cyr[0])]
                                  : lat[rnd() % (sizeof lat / sizeof lat[0])];
            strcat(words[i], p);
        }
    }
    for (round = 0; round < 3; round++) {
        for (i = 0; i < NWORDS; i++) {
            int w = round == 1 ? NWORDS - 1 - i : (i * 7919) % NWORDS;
            size_t flen;
            char *folded = rp_fold(words[w], strlen(words[w]), &flen);
            struct sb_stemmer *st = (w % 2) ? ru : en;
            const sb_symbol *stem;
            int sl;
            TokList *l = tokenize(f, Q, words[w], -1);

            assert_non_null(folded);
            stem = sb_stemmer_stem(st, (const sb_symbol *)folded, (int)flen);
            assert_non_null(stem);
            sl = sb_stemmer_length(st);
            assert_int_equal(l->n, 1);
            if (sl > 0) {
                assert_int_equal(l->toks[0].len, sl);
                assert_memory_equal(l->toks[0].text, stem, (size_t)sl);
            } else {
                assert_string_equal(l->toks[0].text, folded);
            }
            free(folded);
        }
    }
    free(words);
    sb_stemmer_delete(ru);
    sb_stemmer_delete(en);
}

static void test_tok_fuzz(void **state)
{
    sqlite_only();
    static const int flagsets[] = {DOC, Q, QP, FTS5_TOKENIZE_AUX};
    Fixture *f = *state;
    char *buf = malloc(4096);
    sqlite3_stmt *st = NULL;
    int iter;

    assert_non_null(buf);
    assert_int_equal(
        sqlite3_exec(f->db,
                     "CREATE VIRTUAL TABLE fz USING fts5(b, tokenize='rapport')",
                     NULL, NULL, NULL),
        SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(f->db, "INSERT INTO fz(b) VALUES (?1)",
                                        -1, &st, NULL),
                     SQLITE_OK);
    for (iter = 0; iter < 3000; iter++) {
        int n = random_text(buf, 4096);
        TokList *l = tokenize(f, flagsets[iter % 4], buf, n);
        assert_true(l->n >= 0);
        if (iter % 10 == 0) {
            sqlite3_bind_text(st, 1, buf, n, SQLITE_STATIC);
            assert_int_equal(sqlite3_step(st), SQLITE_DONE);
            sqlite3_reset(st);
        }
    }
    sqlite3_finalize(st);
    /* queries on garbage do not crash either */
    for (iter = 0; iter < 200; iter++) {
        int n = random_text(buf, 64);
        sqlite3_stmt *q = NULL;
        char *expr;
        int i, j = 0;
        expr = malloc((size_t)n * 2 + 3);
        assert_non_null(expr);
        expr[j++] = '"';
        for (i = 0; i < n; i++) {
            if (buf[i] == '"')
                expr[j++] = '"';
            expr[j++] = buf[i] ? buf[i] : ' ';
        }
        expr[j++] = '"';
        assert_int_equal(
            sqlite3_prepare_v2(f->db, "SELECT count(*) FROM fz WHERE fz MATCH ?1",
                               -1, &q, NULL),
            SQLITE_OK);
        sqlite3_bind_text(q, 1, expr, j, SQLITE_STATIC);
        (void)sqlite3_step(q);
        sqlite3_finalize(q);
        free(expr);
    }
    free(buf);
}

int main(void)
{
    const struct CMUnitTest fold_tests[] = {
        cmocka_unit_test(test_fold_latin),
        cmocka_unit_test(test_fold_cyrillic),
        cmocka_unit_test(test_fold_yo),
        cmocka_unit_test(test_fold_nfc),
        cmocka_unit_test(test_fold_invalid),
        cmocka_unit_test(test_fold_misc),
        cmocka_unit_test(test_utf8_valid),
        cmocka_unit_test(test_fold_into_matches_fold),
    };
    const struct CMUnitTest sql_tests[] = {
        cmocka_unit_test(test_sql_university),
        cmocka_unit_test(test_sql_names),
        cmocka_unit_test(test_sql_english),
        cmocka_unit_test(test_sql_yo),
        cmocka_unit_test(test_sql_prefix),
        cmocka_unit_test(test_sql_garbage),
        cmocka_unit_test(test_sql_highlight_offsets),
        cmocka_unit_test(test_sql_vocab_terms),
        cmocka_unit_test(test_sql_long_token),
        cmocka_unit_test(test_sql_tokenizer_args_rejected),
    };
    const struct CMUnitTest tok_tests[] = {
        cmocka_unit_test_setup_teardown(test_tok_split, fixture_setup,
                                        fixture_teardown),
        cmocka_unit_test_setup_teardown(test_tok_marks, fixture_setup,
                                        fixture_teardown),
        cmocka_unit_test_setup_teardown(test_tok_stemmer_choice, fixture_setup,
                                        fixture_teardown),
        cmocka_unit_test_setup_teardown(test_tok_prefix_not_stemmed,
                                        fixture_setup, fixture_teardown),
        cmocka_unit_test_setup_teardown(test_tok_document_colocated,
                                        fixture_setup, fixture_teardown),
        cmocka_unit_test_setup_teardown(test_tok_fold_matches_rp_fold,
                                        fixture_setup, fixture_teardown),
        cmocka_unit_test_setup_teardown(test_tok_truncation, fixture_setup,
                                        fixture_teardown),
        cmocka_unit_test_setup_teardown(test_tok_garbage, fixture_setup,
                                        fixture_teardown),
        cmocka_unit_test_setup_teardown(test_tok_stem_repeat, fixture_setup,
                                        fixture_teardown),
        cmocka_unit_test_setup_teardown(test_tok_fuzz, fixture_setup,
                                        fixture_teardown),
    };
    int failed = 0;

    failed += cmocka_run_group_tests_name("fold", fold_tests, NULL, NULL);
    failed += cmocka_run_group_tests_name("fts_sql", sql_tests, NULL, NULL);
    failed += cmocka_run_group_tests_name("fts_tokenizer", tok_tests, NULL, NULL);
    return failed ? 1 : 0;
}
