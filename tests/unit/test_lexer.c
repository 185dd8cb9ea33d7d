/*
 * test_lexer.c - the scanner (compiler/lexer.l) on its own: token kinds,
 * values and locations, and the lexical errors with their exact text.
 *
 * The scanner is driven the way parse_idl drives it: a ParseCtx as its
 * extra data, a Diag printing into a Buf, yy_scan_bytes over the source.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compiler_test.h"
#include "parse.h"
#include "parser.h"
#include "lexer.h"

typedef struct Lx {
    char *src; /* owned copy: the Diag shows lines from it */
    size_t len;
    Buf diags;
    Diag diag;
    Arena *arena;
    Module module;
    ParseCtx ctx;
    yyscan_t scanner;
    YY_BUFFER_STATE buffer;
} Lx;

typedef struct Tok {
    int kind;
    YYSTYPE val;
    Loc loc;
} Tok;

static Lx *lx_open_n(const char *src, size_t len) {
    Lx *l = calloc(1, sizeof *l);
    ck_assert_ptr_nonnull(l);
    l->src = malloc(len + 1);
    memcpy(l->src, src, len);
    l->src[len] = '\0';
    l->len = len;
    diag_init(&l->diag, TEST_FILE, l->src, len, &l->diags);
    l->arena = arena_new();
    l->ctx.diag = &l->diag;
    l->ctx.arena = l->arena;
    l->ctx.module = &l->module;
    l->ctx.func_tail = &l->module.funcs;
    l->ctx.pos = (Loc){1, 0};
    ck_assert_int_eq(yylex_init_extra(&l->ctx, &l->scanner), 0);
    l->buffer = yy_scan_bytes(l->src, (int)len, l->scanner);
    return l;
}

static Lx *lx_open(const char *src) { return lx_open_n(src, strlen(src)); }

static Tok lx_next(Lx *l) {
    Tok t;
    memset(&t, 0, sizeof t);
    t.kind = yylex(&t.val, &t.loc, l->scanner);
    return t;
}

static void lx_close(Lx *l) {
    yy_delete_buffer(l->buffer, l->scanner);
    yylex_destroy(l->scanner);
    arena_free(l->arena);
    buf_free(&l->diags);
    free(l->src);
    free(l);
}

/* The diagnostics so far ("" when none). */
static const char *lx_diags(const Lx *l) { return l->diags.data ? l->diags.data : ""; }

#define assert_loc(lx, t, l, c, o)                                                       \
    do {                                                                                 \
        ck_assert_int_eq((t).loc.line, (l));                                             \
        ck_assert_int_eq(diag_col(&(lx)->diag, (t).loc), (c));                           \
        ck_assert_uint_eq((t).loc.offset, (o));                                          \
    } while (0)

/* The next token is an identifier `name` at line:col, byte offset `o`. */
#define expect_ident(lx, name, l, c, o)                                                  \
    do {                                                                                 \
        Tok t_ = lx_next(lx);                                                            \
        ck_assert_int_eq(t_.kind, IDENT);                                                \
        ck_assert_str_eq(t_.val.str, (name));                                            \
        assert_loc(lx, t_, l, c, o);                                                     \
    } while (0)

#define expect_kind(lx, k, l, c, o)                                                      \
    do {                                                                                 \
        Tok t_ = lx_next(lx);                                                            \
        ck_assert_int_eq(t_.kind, (k));                                                  \
        assert_loc(lx, t_, l, c, o);                                                     \
    } while (0)

#define expect_int(lx, v, l, c, o)                                                       \
    do {                                                                                 \
        Tok t_ = lx_next(lx);                                                            \
        ck_assert_int_eq(t_.kind, INTEGER);                                              \
        ck_assert_uint_eq(t_.val.num, (uint64_t)(v));                                    \
        assert_loc(lx, t_, l, c, o);                                                     \
    } while (0)

#define expect_doc(lx, text, l, c, o)                                                    \
    do {                                                                                 \
        Tok t_ = lx_next(lx);                                                            \
        ck_assert_int_eq(t_.kind, DOC);                                                  \
        ck_assert_str_eq(t_.val.str, (text));                                            \
        assert_loc(lx, t_, l, c, o);                                                     \
    } while (0)

#define expect_eof(lx, l, c, o) expect_kind(lx, YYEOF, l, c, o)

/* ---- Tokens */

START_TEST(empty_input_is_eof_at_1_1) {
    Lx *l = lx_open("");
    expect_eof(l, 1, 1, 0);
    ck_assert_int_eq(l->diag.errors, 0);
    lx_close(l);
}
END_TEST

START_TEST(identifiers) {
    Lx *l = lx_open("abc _x A1_b\n  z9");
    expect_ident(l, "abc", 1, 1, 0);
    expect_ident(l, "_x", 1, 5, 4);
    expect_ident(l, "A1_b", 1, 8, 7);
    expect_ident(l, "z9", 2, 3, 14);
    expect_eof(l, 2, 5, 16);
    ck_assert_int_eq(l->diag.errors, 0);
    lx_close(l);
}
END_TEST

START_TEST(keywords) {
    Lx *l = lx_open("module in out inout");
    expect_kind(l, MODULE, 1, 1, 0);
    expect_kind(l, IN, 1, 8, 7);
    expect_kind(l, OUT, 1, 11, 10);
    expect_kind(l, INOUT, 1, 15, 14);
    expect_eof(l, 1, 20, 19);
    lx_close(l);
}
END_TEST

START_TEST(keyword_prefixes_are_identifiers) {
    Lx *l = lx_open("modules inx output inouts Module structs");
    expect_ident(l, "modules", 1, 1, 0);
    expect_ident(l, "inx", 1, 9, 8);
    expect_ident(l, "output", 1, 13, 12);
    expect_ident(l, "inouts", 1, 20, 19);
    expect_ident(l, "Module", 1, 27, 26);
    expect_ident(l, "structs", 1, 34, 33);
    ck_assert_int_eq(l->diag.errors, 0);
    lx_close(l);
}
END_TEST

START_TEST(reserved_words) {
    static const char *const words[] = {"struct", "enum", "resource", "import", "throws"};
    static const int kinds[] = {STRUCT, ENUM, RESOURCE, IMPORT, THROWS};
    Lx *l = lx_open("struct enum resource import throws");
    size_t col = 1;
    for (size_t i = 0; i < 5; i++) {
        Tok t = lx_next(l);
        ck_assert_int_eq(t.kind, kinds[i]);
        assert_loc(l, t, 1, (int)col, col - 1);
        col += strlen(words[i]) + 1;
    }
    expect_eof(l, 1, 35, 34);
    ck_assert_int_eq(l->diag.errors, 0);
    lx_close(l);
}
END_TEST

START_TEST(punctuation) {
    Lx *l = lx_open(";,()[]");
    const char *p = ";,()[]";
    for (int i = 0; p[i]; i++)
        expect_kind(l, p[i], 1, i + 1, (size_t)i);
    expect_eof(l, 1, 7, 6);
    lx_close(l);
}
END_TEST

START_TEST(integers_decimal_and_hex) {
    Lx *l = lx_open("0 42 007 0x1F 0XfF 0xffffffffffffffff 18446744073709551615");
    expect_int(l, 0, 1, 1, 0);
    expect_int(l, 42, 1, 3, 2);
    expect_int(l, 7, 1, 6, 5);
    expect_int(l, 0x1f, 1, 10, 9);
    expect_int(l, 0xff, 1, 15, 14);
    expect_int(l, UINT64_MAX, 1, 20, 19);
    expect_int(l, UINT64_MAX, 1, 39, 38);
    ck_assert_int_eq(l->diag.errors, 0);
    lx_close(l);
}
END_TEST

START_TEST(integer_overflow_decimal) {
    Lx *l = lx_open("x 18446744073709551616;");
    expect_ident(l, "x", 1, 1, 0);
    expect_int(l, 0, 1, 3, 2); /* still an integer, so the parser goes on */
    expect_kind(l, ';', 1, 23, 22);
    ck_assert_int_eq(l->diag.errors, 1);
    ck_assert_str_eq(lx_diags(l), TEST_FILE ":1:3: error: integer '18446744073709551616' is too large\n"
                                            "  x 18446744073709551616;\n"
                                            "    ^\n");
    lx_close(l);
}
END_TEST

START_TEST(integer_overflow_hex) {
    Lx *l = lx_open("0x10000000000000000");
    expect_int(l, 0, 1, 1, 0);
    ck_assert_int_eq(l->diag.errors, 1);
    ck_assert_has(lx_diags(l), ":1:1: error: integer '0x10000000000000000' is too large\n");
    lx_close(l);
}
END_TEST

START_TEST(integer_overflow_long_text_is_cut) {
    char src[128];
    memset(src, '9', 100);
    src[100] = '\0';
    Lx *l = lx_open(src);
    expect_int(l, 0, 1, 1, 0);
    char line[256];
    ck_assert_str_eq(first_line(lx_diags(l), line, sizeof line),
                     TEST_FILE ":1:1: error: integer '9999999999999999999999999999999999999999...' is too large");
    lx_close(l);
}
END_TEST

START_TEST(digit_then_letters_is_an_error) {
    Lx *l = lx_open("void 1abc();");
    expect_ident(l, "void", 1, 1, 0);
    expect_ident(l, "1abc", 1, 6, 5); /* a name, so that the parse stays on track */
    expect_kind(l, '(', 1, 10, 9);
    ck_assert_int_eq(l->diag.errors, 1);
    ck_assert_str_eq(lx_diags(l),
                     TEST_FILE ":1:6: error: '1abc' is neither a number nor a name (names cannot start with a digit)\n"
                               "  void 1abc();\n"
                               "       ^\n");
    lx_close(l);
}
END_TEST

START_TEST(hex_then_letters_is_an_error) {
    Lx *l = lx_open("0x1g");
    Tok t = lx_next(l);
    ck_assert_int_eq(t.kind, IDENT);
    ck_assert_int_eq(l->diag.errors, 1);
    ck_assert_has(lx_diags(l), "'0x1g' is neither a number nor a name");
    lx_close(l);
}
END_TEST

/* ---- Comments */

START_TEST(doc_comment_single) {
    Lx *l = lx_open("/// Adds two numbers.\nx");
    expect_doc(l, "Adds two numbers.", 1, 1, 0);
    expect_ident(l, "x", 2, 1, 22);
    lx_close(l);
}
END_TEST

START_TEST(doc_comment_joined_across_lines) {
    /* One space after /// is dropped, further ones kept; trailing blanks
     * go; indentation before /// does not matter. */
    Lx *l = lx_open("/// first line\n///   indented  \t\n    ///third\n///\n/// after empty\nx");
    expect_doc(l, "first line\n  indented\nthird\n\nafter empty", 1, 1, 0);
    expect_ident(l, "x", 6, 1, 66);
    ck_assert_int_eq(l->diag.errors, 0);
    lx_close(l);
}
END_TEST

START_TEST(doc_comments_split_by_blank_line) {
    Lx *l = lx_open("/// a\n\n/// b\nx");
    expect_doc(l, "a", 1, 1, 0);
    expect_doc(l, "b", 3, 1, 7);
    expect_ident(l, "x", 4, 1, 13);
    lx_close(l);
}
END_TEST

START_TEST(doc_comment_documenting_nothing) {
    Lx *l = lx_open("x\n/// at the end\n\n");
    expect_ident(l, "x", 1, 1, 0);
    expect_eof(l, 4, 1, 18);
    ck_assert_str_eq(lx_diags(l), TEST_FILE ":2:1: error: doc comment documents nothing: put it before a declaration\n"
                                            "  /// at the end\n"
                                            "  ^\n");
    lx_close(l);
}
END_TEST

START_TEST(doc_comment_crlf) {
    Lx *l = lx_open("/// one\r\n/// two\r\nx");
    expect_doc(l, "one\ntwo", 1, 1, 0);
    expect_ident(l, "x", 3, 1, 18);
    lx_close(l);
}
END_TEST

START_TEST(doc_comment_keeps_utf8_and_stars) {
    Lx *l = lx_open("/// héllo */ € ok\nx");
    expect_doc(l, "héllo */ € ok", 1, 1, 0);
    expect_ident(l, "x", 2, 1, 21);
    ck_assert_int_eq(l->diag.errors, 0);
    lx_close(l);
}
END_TEST

START_TEST(doc_comment_invalid_utf8) {
    Lx *l = lx_open("/// ab\xff\nx");
    Tok t = lx_next(l);
    ck_assert_int_eq(t.kind, DOC);
    ck_assert_int_eq(l->diag.errors, 1);
    ck_assert_str_eq(lx_diags(l), TEST_FILE ":1:7: error: invalid UTF-8 in a doc comment\n"
                                            "  /// ab?\n"
                                            "        ^\n");
    lx_close(l);
}
END_TEST

START_TEST(line_comments_skipped) {
    Lx *l = lx_open("a // b c /* d\n// ///\nz // end");
    expect_ident(l, "a", 1, 1, 0);
    expect_ident(l, "z", 3, 1, 21);
    expect_eof(l, 3, 9, 29);
    ck_assert_int_eq(l->diag.errors, 0);
    lx_close(l);
}
END_TEST

START_TEST(block_comments_skipped) {
    Lx *l = lx_open("a /* b\n * c ** / */ d /**/ e /*/ f */ g /* // */ h");
    expect_ident(l, "a", 1, 1, 0);
    expect_ident(l, "d", 2, 14, 20);
    expect_ident(l, "e", 2, 21, 27);
    expect_ident(l, "g", 2, 32, 38);
    expect_ident(l, "h", 2, 43, 49);
    ck_assert_int_eq(l->diag.errors, 0);
    lx_close(l);
}
END_TEST

START_TEST(block_comments_do_not_nest) {
    Lx *l = lx_open("/* /* /* */ x");
    expect_ident(l, "x", 1, 13, 12);
    ck_assert_int_eq(l->diag.errors, 0);
    lx_close(l);
}
END_TEST

START_TEST(unterminated_block_comment) {
    Lx *l = lx_open("a\n  /* never\n closed");
    expect_ident(l, "a", 1, 1, 0);
    expect_eof(l, 3, 8, 20);
    ck_assert_int_eq(l->diag.errors, 1);
    ck_assert_str_eq(lx_diags(l),
                     TEST_FILE ":2:3: error: unterminated comment: '/*' has no matching '*/'\n"
                               "    /* never\n"
                               "    ^\n");
    lx_close(l);
}
END_TEST

START_TEST(many_comment_openers) {
    /* 10,000 openers inside one comment: no nesting, no recursion. */
    size_t n = 10000;
    char *src = malloc(n * 3 + 16);
    size_t o = 0;
    for (size_t i = 0; i < n; i++) {
        memcpy(src + o, "/* ", 3);
        o += 3;
    }
    memcpy(src + o, "*/ x", 5);
    Lx *l = lx_open(src);
    expect_ident(l, "x", 1, (int)o + 4, o + 3);
    ck_assert_int_eq(l->diag.errors, 0);
    lx_close(l);
    free(src);
}
END_TEST

/* ---- Line endings, bytes and characters */

START_TEST(crlf_line_endings) {
    Lx *l = lx_open("a\r\nb\r\n c\r\n");
    expect_ident(l, "a", 1, 1, 0);
    expect_ident(l, "b", 2, 1, 3);
    expect_ident(l, "c", 3, 2, 7);
    expect_eof(l, 4, 1, 10);
    ck_assert_int_eq(l->diag.errors, 0);
    lx_close(l);
}
END_TEST

START_TEST(crlf_error_line_shows_no_cr) {
    Lx *l = lx_open("a\r\nb $\r\nc");
    expect_ident(l, "a", 1, 1, 0);
    expect_ident(l, "b", 2, 1, 3);
    expect_ident(l, "c", 3, 1, 8);
    ck_assert_str_eq(lx_diags(l), TEST_FILE ":2:3: error: unexpected character '$'\n"
                                            "  b $\n"
                                            "    ^\n");
    lx_close(l);
}
END_TEST

START_TEST(nul_byte) {
    Lx *l = lx_open_n("ab\0cd", 5);
    expect_ident(l, "ab", 1, 1, 0);
    expect_ident(l, "cd", 1, 4, 3);
    expect_eof(l, 1, 6, 5);
    ck_assert_int_eq(l->diag.errors, 1);
    /* The NUL shows as a space, so the caret stays under it. */
    ck_assert_str_eq(lx_diags(l), TEST_FILE ":1:3: error: unexpected NUL byte\n"
                                            "  ab cd\n"
                                            "    ^\n");
    lx_close(l);
}
END_TEST

START_TEST(invalid_utf8_lone_byte) {
    Lx *l = lx_open("a \xff b");
    expect_ident(l, "a", 1, 1, 0);
    expect_ident(l, "b", 1, 5, 4);
    ck_assert_int_eq(l->diag.errors, 1);
    char line[256];
    ck_assert_str_eq(first_line(lx_diags(l), line, sizeof line),
                     TEST_FILE ":1:3: error: invalid UTF-8 byte 0xFF");
    lx_close(l);
}
END_TEST

START_TEST(invalid_utf8_truncated_sequence) {
    Lx *l = lx_open("\xc3(");
    expect_kind(l, '(', 1, 2, 1);
    ck_assert_int_eq(l->diag.errors, 1);
    ck_assert_has(lx_diags(l), ":1:1: error: invalid UTF-8 byte 0xC3\n");
    lx_close(l);
}
END_TEST

START_TEST(invalid_utf8_surrogate) {
    /* U+D800 encoded: well-formed bytes, but not a character. One error. */
    Lx *l = lx_open("x \xed\xa0\x80 y");
    expect_ident(l, "x", 1, 1, 0);
    expect_ident(l, "y", 1, 5, 6);
    ck_assert_int_eq(l->diag.errors, 1);
    ck_assert_has(lx_diags(l), ":1:3: error: invalid UTF-8 byte 0xED\n");
    lx_close(l);
}
END_TEST

START_TEST(invalid_utf8_overlong) {
    Lx *l = lx_open("\xc0\xafz");
    expect_ident(l, "z", 1, 2, 2);
    ck_assert_int_eq(l->diag.errors, 2);
    ck_assert_has(lx_diags(l), "invalid UTF-8 byte 0xC0");
    ck_assert_has(lx_diags(l), "invalid UTF-8 byte 0xAF");
    lx_close(l);
}
END_TEST

START_TEST(non_ascii_identifier) {
    Lx *l = lx_open("café x");
    expect_ident(l, "caf", 1, 1, 0);
    expect_ident(l, "x", 1, 6, 6);
    ck_assert_int_eq(l->diag.errors, 1);
    ck_assert_str_eq(lx_diags(l),
                     TEST_FILE ":1:4: error: unexpected character 'é': names are ASCII letters, digits and '_'\n"
                               "  café x\n"
                               "     ^\n");
    lx_close(l);
}
END_TEST

START_TEST(columns_count_code_points) {
    /* 2-, 3- and 4-byte characters each move the column by one. */
    Lx *l = lx_open("/* é € 😀 */ x\n// ünï\ny");
    expect_ident(l, "x", 1, 13, 18);
    expect_ident(l, "y", 3, 1, 29);
    lx_close(l);
}
END_TEST

START_TEST(caret_counts_code_points) {
    Lx *l = lx_open("/* ééé */ $");
    lx_next(l);
    ck_assert_str_eq(lx_diags(l), TEST_FILE ":1:11: error: unexpected character '$'\n"
                                            "  /* ééé */ $\n"
                                            "            ^\n");
    lx_close(l);
}
END_TEST

START_TEST(caret_keeps_tabs) {
    Lx *l = lx_open("\t\tx $");
    expect_ident(l, "x", 1, 3, 2);
    lx_next(l);
    ck_assert_str_eq(lx_diags(l), TEST_FILE ":1:5: error: unexpected character '$'\n"
                                            "  \t\tx $\n"
                                            "  \t\t  ^\n");
    lx_close(l);
}
END_TEST

START_TEST(stray_characters) {
    Lx *l = lx_open("a $ \x01 \x7f @");
    expect_ident(l, "a", 1, 1, 0);
    expect_eof(l, 1, 10, 9);
    ck_assert_int_eq(l->diag.errors, 4);
    const char *d = lx_diags(l);
    ck_assert_has(d, ":1:3: error: unexpected character '$'\n");
    ck_assert_has(d, ":1:5: error: unexpected control character 0x01\n");
    ck_assert_has(d, ":1:7: error: unexpected control character 0x7F\n");
    ck_assert_has(d, ":1:9: error: unexpected character '@'\n");
    lx_close(l);
}
END_TEST

/* ---- Identifier length */

static char *repeat(char c, size_t n) {
    char *s = malloc(n + 1);
    memset(s, c, n);
    s[n] = '\0';
    return s;
}

START_TEST(identifier_at_the_limit) {
    char *name = repeat('a', PARSE_MAX_IDENT);
    Lx *l = lx_open(name);
    expect_ident(l, name, 1, 1, 0);
    ck_assert_int_eq(l->diag.errors, 0);
    lx_close(l);
    free(name);
}
END_TEST

START_TEST(identifier_too_long) {
    char *name = repeat('b', 300);
    char src[400];
    snprintf(src, sizeof src, "x %s;", name);
    Lx *l = lx_open(src);
    expect_ident(l, "x", 1, 1, 0);
    expect_ident(l, name, 1, 3, 2); /* still returned whole */
    expect_kind(l, ';', 1, 303, 302);
    ck_assert_int_eq(l->diag.errors, 1);
    char line[256];
    ck_assert_str_eq(first_line(lx_diags(l), line, sizeof line),
                     TEST_FILE ":1:3: error: identifier is too long (300 characters; the limit is 255)");
    lx_close(l);
    free(name);
}
END_TEST

START_TEST(identifier_one_past_the_limit) {
    char *name = repeat('c', PARSE_MAX_IDENT + 1);
    Lx *l = lx_open(name);
    lx_next(l);
    ck_assert_int_eq(l->diag.errors, 1);
    ck_assert_has(lx_diags(l), "identifier is too long (256 characters; the limit is 255)");
    lx_close(l);
    free(name);
}
END_TEST

START_TEST(a_whole_declaration) {
    Lx *l = lx_open("/// d\nmodule m;\nvoid f(out f64[len(a)] r, inout i32[] a);\n");
    int kinds[] = {DOC,   MODULE, IDENT, ';',   IDENT,   IDENT, '(', OUT, IDENT, '[',
                   IDENT, '(',    IDENT, ')',   ']',     IDENT, ',', INOUT, IDENT, '[',
                   ']',   IDENT,  ')',   ';',   YYEOF};
    for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++) {
        Tok t = lx_next(l);
        ck_assert_msg(t.kind == kinds[i], "token %zu: kind %d, expected %d", i, t.kind, kinds[i]);
    }
    ck_assert_int_eq(l->diag.errors, 0);
    lx_close(l);
}
END_TEST

static Suite *lexer_suite(void) {
    Suite *s = suite_create("lexer");
    TCase *tc = tcase_create("tokens");
    tcase_add_test(tc, empty_input_is_eof_at_1_1);
    tcase_add_test(tc, identifiers);
    tcase_add_test(tc, keywords);
    tcase_add_test(tc, keyword_prefixes_are_identifiers);
    tcase_add_test(tc, reserved_words);
    tcase_add_test(tc, punctuation);
    tcase_add_test(tc, integers_decimal_and_hex);
    tcase_add_test(tc, integer_overflow_decimal);
    tcase_add_test(tc, integer_overflow_hex);
    tcase_add_test(tc, integer_overflow_long_text_is_cut);
    tcase_add_test(tc, digit_then_letters_is_an_error);
    tcase_add_test(tc, hex_then_letters_is_an_error);
    tcase_add_test(tc, a_whole_declaration);
    suite_add_tcase(s, tc);

    tc = tcase_create("comments");
    tcase_add_test(tc, doc_comment_single);
    tcase_add_test(tc, doc_comment_joined_across_lines);
    tcase_add_test(tc, doc_comments_split_by_blank_line);
    tcase_add_test(tc, doc_comment_crlf);
    tcase_add_test(tc, doc_comment_documenting_nothing);
    tcase_add_test(tc, doc_comment_keeps_utf8_and_stars);
    tcase_add_test(tc, doc_comment_invalid_utf8);
    tcase_add_test(tc, line_comments_skipped);
    tcase_add_test(tc, block_comments_skipped);
    tcase_add_test(tc, block_comments_do_not_nest);
    tcase_add_test(tc, unterminated_block_comment);
    tcase_add_test(tc, many_comment_openers);
    suite_add_tcase(s, tc);

    tc = tcase_create("bytes");
    tcase_add_test(tc, crlf_line_endings);
    tcase_add_test(tc, crlf_error_line_shows_no_cr);
    tcase_add_test(tc, nul_byte);
    tcase_add_test(tc, invalid_utf8_lone_byte);
    tcase_add_test(tc, invalid_utf8_truncated_sequence);
    tcase_add_test(tc, invalid_utf8_surrogate);
    tcase_add_test(tc, invalid_utf8_overlong);
    tcase_add_test(tc, non_ascii_identifier);
    tcase_add_test(tc, columns_count_code_points);
    tcase_add_test(tc, caret_counts_code_points);
    tcase_add_test(tc, caret_keeps_tabs);
    tcase_add_test(tc, stray_characters);
    suite_add_tcase(s, tc);

    tc = tcase_create("identifier length");
    tcase_add_test(tc, identifier_at_the_limit);
    tcase_add_test(tc, identifier_too_long);
    tcase_add_test(tc, identifier_one_past_the_limit);
    suite_add_tcase(s, tc);
    return s;
}

int main(void) {
    Suite *suites[] = {lexer_suite()};
    return run_suites(suites, 1);
}
