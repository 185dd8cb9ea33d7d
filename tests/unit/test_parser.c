/*
 * test_parser.c - the grammar (compiler/parser.y): the tree parse_idl builds,
 * its syntax errors with their exact text and place, and error recovery.
 * Names and types are not checked here (that is sema's work), so the trees
 * may hold types that do not exist.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compiler_test.h"
#include "parse.h"

typedef struct Parsed {
    Buf diags;
    Diag diag;
    Arena *arena;
    Module *m;
    bool ok;
} Parsed;

static Parsed *parse_n(const char *src, size_t len) {
    Parsed *p = calloc(1, sizeof *p);
    ck_assert_ptr_nonnull(p);
    diag_init(&p->diag, TEST_FILE, src, len, &p->diags);
    p->arena = arena_new();
    p->m = arena_alloc(p->arena, sizeof *p->m);
    ParseCtx ctx = {.diag = &p->diag, .arena = p->arena, .module = p->m};
    p->ok = parse_idl(&ctx);
    return p;
}

static Parsed *parse(const char *src) { return parse_n(src, strlen(src)); }

static const char *diags(const Parsed *p) { return p->diags.data ? p->diags.data : ""; }

static void parsed_free(Parsed *p) {
    arena_free(p->arena);
    buf_free(&p->diags);
    free(p);
}

/* Parses without a diagnostic. */
static Parsed *parse_ok(const char *src) {
    Parsed *p = parse(src);
    ck_assert_msg(p->ok, "parse failed:\n%s", diags(p));
    ck_assert_str_eq(diags(p), "");
    return p;
}

static Func *func_at(const Module *m, int i) {
    Func *f = m->funcs;
    while (f && i-- > 0)
        f = f->next;
    ck_assert_ptr_nonnull(f);
    return f;
}

static Param *param_at(const Func *f, int i) {
    Param *p = f->params;
    while (p && i-- > 0)
        p = p->next;
    ck_assert_ptr_nonnull(p);
    return p;
}

static int count_params(const Func *f) {
    int n = 0;
    for (const Param *p = f->params; p; p = p->next)
        n++;
    return n;
}

/* Fails unless `src` is refused with exactly `expected` as diagnostics. */
static void expect_error(const char *src, const char *expected) {
    Parsed *p = parse(src);
    ck_assert(!p->ok);
    ck_assert_str_eq(diags(p), expected);
    parsed_free(p);
}

/* ---- Trees */

START_TEST(module_name_and_doc) {
    Parsed *p = parse_ok("/// The module.\n/// Two lines.\nmodule geo;\n");
    ck_assert_str_eq(p->m->name, "geo");
    ck_assert_str_eq(p->m->doc, "The module.\nTwo lines.");
    ck_assert_int_eq(p->m->loc.line, 3);
    ck_assert_int_eq(diag_col(&p->diag, p->m->loc), 8);
    ck_assert_ptr_null(p->m->funcs);
    ck_assert_int_eq(p->m->nfuncs, 0);
    parsed_free(p);
}
END_TEST

START_TEST(module_without_doc) {
    Parsed *p = parse_ok("// not a doc comment\nmodule m;");
    ck_assert_str_eq(p->m->name, "m");
    ck_assert_ptr_null(p->m->doc);
    parsed_free(p);
}
END_TEST

START_TEST(functions_in_order_with_docs) {
    Parsed *p = parse_ok("module m;\n"
                         "/// First.\n"
                         "void a();\n"
                         "i32 b(i32 x);\n"
                         "/// Third,\n///   indented.\n"
                         "string c(string s, f64 y);\n");
    ck_assert_int_eq(p->m->nfuncs, 3);
    Func *a = func_at(p->m, 0), *b = func_at(p->m, 1), *c = func_at(p->m, 2);
    ck_assert_ptr_null(c->next);
    ck_assert_str_eq(a->name, "a");
    ck_assert_str_eq(a->doc, "First.");
    ck_assert_str_eq(a->ret.name, "void");
    ck_assert_ptr_null(a->params);
    ck_assert_int_eq(a->loc.line, 3);
    ck_assert_int_eq(diag_col(&p->diag, a->loc), 6);
    ck_assert_str_eq(b->name, "b");
    ck_assert_ptr_null(b->doc);
    ck_assert_str_eq(b->ret.name, "i32");
    ck_assert_int_eq(b->ret.loc.line, 4);
    ck_assert_int_eq(diag_col(&p->diag, b->ret.loc), 1);
    ck_assert_int_eq(count_params(b), 1);
    ck_assert_str_eq(c->name, "c");
    ck_assert_str_eq(c->doc, "Third,\n  indented.");
    ck_assert_int_eq(count_params(c), 2);
    ck_assert_str_eq(param_at(c, 0)->name, "s");
    ck_assert_str_eq(param_at(c, 0)->type.name, "string");
    ck_assert_str_eq(param_at(c, 1)->name, "y");
    ck_assert_int_eq(diag_col(&p->diag, param_at(c, 1)->loc), 24);
    ck_assert_int_eq(c->ret_slot, -1);
    ck_assert_int_eq(param_at(c, 0)->slot, -1);
    parsed_free(p);
}
END_TEST

START_TEST(return_type_ref) {
    Parsed *p = parse_ok("module m;\nf64[] a();\nu8 b();\nnosuch c();\n");
    Func *a = func_at(p->m, 0), *b = func_at(p->m, 1), *c = func_at(p->m, 2);
    ck_assert_str_eq(a->ret.name, "f64");
    ck_assert(a->ret.is_array);
    ck_assert_int_eq(a->ret.len_kind, LEN_NONE);
    ck_assert_int_eq(a->ret.id, T_UNRESOLVED); /* sema resolves */
    ck_assert_str_eq(b->ret.name, "u8");
    ck_assert(!b->ret.is_array);
    ck_assert_str_eq(c->ret.name, "nosuch"); /* any name parses */
    parsed_free(p);
}
END_TEST

START_TEST(param_modes) {
    Parsed *p = parse_ok("module m;\nvoid f(i32 a, in i32 b, out i32 c, inout f32[] d);\n");
    Func *f = func_at(p->m, 0);
    ck_assert_int_eq(count_params(f), 4);
    ck_assert_int_eq(param_at(f, 0)->mode, MODE_IN);
    ck_assert_int_eq(param_at(f, 1)->mode, MODE_IN);
    ck_assert_int_eq(param_at(f, 2)->mode, MODE_OUT);
    ck_assert_int_eq(param_at(f, 3)->mode, MODE_INOUT);
    ck_assert_str_eq(param_at(f, 3)->name, "d");
    ck_assert(param_at(f, 3)->type.is_array);
    ck_assert(!param_at(f, 2)->type.is_array);
    /* The location of a parameter is its name; of its type, the type. */
    ck_assert_int_eq(diag_col(&p->diag, param_at(f, 2)->loc), 33);
    ck_assert_int_eq(diag_col(&p->diag, param_at(f, 2)->type.loc), 29);
    parsed_free(p);
}
END_TEST

START_TEST(out_length_literal) {
    Parsed *p = parse_ok("module m;\nvoid f(out f64[16] r, out u8[0x10] s);\n");
    Param *r = param_at(func_at(p->m, 0), 0), *s = param_at(func_at(p->m, 0), 1);
    ck_assert(r->type.is_array);
    ck_assert_int_eq(r->type.len_kind, LEN_LITERAL);
    ck_assert_uint_eq(r->type.len_value, 16);
    ck_assert_int_eq(r->type.len_loc.line, 2);
    ck_assert_int_eq(diag_col(&p->diag, r->type.len_loc), 16);
    ck_assert_int_eq(diag_col(&p->diag, r->type.loc), 12);
    ck_assert_int_eq(s->type.len_kind, LEN_LITERAL);
    ck_assert_uint_eq(s->type.len_value, 16);
    parsed_free(p);
}
END_TEST

START_TEST(out_length_param) {
    Parsed *p = parse_ok("module m;\nvoid f(u32 n, out f64[n] r);\n");
    Param *r = param_at(func_at(p->m, 0), 1);
    ck_assert_int_eq(r->type.len_kind, LEN_PARAM);
    ck_assert_str_eq(r->type.len_name, "n");
    ck_assert_int_eq(diag_col(&p->diag, r->type.len_loc), 23);
    ck_assert_ptr_null(r->len_param); /* sema links it */
    parsed_free(p);
}
END_TEST

START_TEST(out_length_len_of) {
    Parsed *p = parse_ok("module m;\nvoid f(f64[] a, out f64[len(a)] r);\n");
    Param *r = param_at(func_at(p->m, 0), 1);
    ck_assert_int_eq(r->type.len_kind, LEN_OF);
    ck_assert_str_eq(r->type.len_name, "a");
    /* The place of len(a) is the array it names. */
    ck_assert_int_eq(diag_col(&p->diag, r->type.len_loc), 29);
    parsed_free(p);
}
END_TEST

START_TEST(unknown_length_function) {
    /* A length expression: sema refuses it outside a binding (tests/diag). */
    Parsed *p = parse_ok("module m;\nvoid f(f64[] a, out f64[size(a)] r);\n");
    Param *r = param_at(func_at(p->m, 0), 1);
    ck_assert_int_eq(r->type.len_kind, LEN_EXPR);
    ck_assert_int_eq(r->type.len_expr->kind, E_CALL);
    ck_assert_str_eq(r->type.len_expr->name, "size");
    ck_assert_int_eq(diag_col(&p->diag, r->type.len_expr->loc), 25);
    parsed_free(p);
}
END_TEST

START_TEST(comments_anywhere) {
    Parsed *p = parse_ok("/* a */ module /* b */ m // c\n;\n"
                         "void /* x */ f( // y\n i32 /**/ a ) ;");
    ck_assert_str_eq(p->m->name, "m");
    ck_assert_str_eq(param_at(func_at(p->m, 0), 0)->name, "a");
    parsed_free(p);
}
END_TEST

START_TEST(crlf_source) {
    Parsed *p = parse_ok("module m;\r\n/// d\r\nvoid f(i32 x);\r\n");
    Func *f = func_at(p->m, 0);
    ck_assert_str_eq(f->doc, "d");
    ck_assert_int_eq(f->loc.line, 3);
    ck_assert_int_eq(diag_col(&p->diag, f->loc), 6);
    parsed_free(p);
}
END_TEST

START_TEST(no_final_newline) {
    Parsed *p = parse_ok("module m;\nvoid f();");
    ck_assert_int_eq(p->m->nfuncs, 1);
    parsed_free(p);
}
END_TEST

/* ---- Syntax errors */

START_TEST(missing_semicolon_after_module) {
    expect_error("module m\nvoid f();\n",
                 TEST_FILE ":2:1: error: syntax error, unexpected identifier, expecting ';'\n"
                           "  void f();\n"
                           "  ^\n");
}
END_TEST

START_TEST(missing_semicolon_at_end_of_file) {
    expect_error("module m;\nvoid f(i32 x)",
                 TEST_FILE ":2:14: error: syntax error, unexpected end of file, expecting 'throws' or 'as' or ';' or '='\n"
                           "  void f(i32 x)\n"
                           "               ^\n");
}
END_TEST

START_TEST(missing_param_name) {
    expect_error("module m;\nvoid f(i32);\n",
                 TEST_FILE ":2:11: error: syntax error, unexpected ')', expecting identifier or '[' or '?'\n"
                           "  void f(i32);\n"
                           "            ^\n");
}
END_TEST

START_TEST(trailing_comma) {
    expect_error("module m;\nvoid f(i32 x,);\n",
                 TEST_FILE ":2:14: error: syntax error, unexpected ')', expecting identifier or 'in' or 'out' or 'inout' or 'self'\n"
                           "  void f(i32 x,);\n"
                           "               ^\n");
}
END_TEST

START_TEST(keyword_as_name) {
    /* Keywords are names where a name is expected (not types). */
    Parsed *p = parse_ok("module m;\nvoid f(i32 out, out i32 in, u8[] self);\n");
    ck_assert_str_eq(param_at(func_at(p->m, 0), 0)->name, "out");
    ck_assert_int_eq(param_at(func_at(p->m, 0), 1)->mode, MODE_OUT);
    ck_assert_str_eq(param_at(func_at(p->m, 0), 1)->name, "in");
    ck_assert_str_eq(param_at(func_at(p->m, 0), 2)->name, "self");
    parsed_free(p);
    expect_error("module m;\nstruct out;\n",
                 TEST_FILE ":2:8: error: syntax error, unexpected 'out', expecting identifier\n"
                           "  struct out;\n"
                           "         ^\n");
}
END_TEST

START_TEST(callback_forms) {
    /* A callback is a function declaration; user_data and lifetimes are parameter forms. */
    Parsed *p = parse_ok("module m;\n"
                         "callback i32 cmp(user_data as \"void *\", i32 a, u32 n = len(s), string s);\n"
                         "resource r { user_data = set_ud; void on(stored(self) cmp? c); }\n"
                         "void f(cmp a, stored cmp b, stored(x) cmp c, user_data(a) as \"void *\", i32 stored);\n");
    const Func *cb = p->m->callbacks;
    ck_assert_ptr_nonnull(cb);
    ck_assert(cb->is_callback);
    ck_assert_str_eq(cb->name, "cmp");
    ck_assert(param_at(cb, 0)->is_user_data);
    ck_assert_ptr_null(param_at(cb, 0)->ud_of);
    ck_assert_str_eq(param_at(cb, 0)->type.c_type, "void *");
    ck_assert_int_eq(param_at(cb, 2)->value->kind, E_LEN);
    ck_assert_str_eq(p->m->resources->ud_fn, "set_ud");
    ck_assert_int_eq(p->m->resources->methods->params->life, LIFE_OWNED);
    ck_assert_str_eq(p->m->resources->methods->params->owner_name, "self");
    ck_assert(p->m->resources->methods->params->type.optional);
    const Func *f = func_at(p->m, 0);
    ck_assert_int_eq(param_at(f, 0)->life, LIFE_CALL);
    ck_assert_int_eq(param_at(f, 1)->life, LIFE_STORED);
    ck_assert_int_eq(param_at(f, 2)->life, LIFE_OWNED);
    ck_assert_str_eq(param_at(f, 2)->owner_name, "x");
    ck_assert(param_at(f, 3)->is_user_data);
    ck_assert_str_eq(param_at(f, 3)->ud_of, "a");
    ck_assert_str_eq(param_at(f, 4)->name, "stored"); /* a keyword is a name where a name is expected */
    ck_assert_ptr_null(p->m->funcs->next);            /* the callback is not a function */
    parsed_free(p);
    expect_error("module m;\ncallback cmp(i32 a);\n",
                 TEST_FILE ":2:13: error: syntax error, unexpected '(', expecting identifier or '[' or '?'\n"
                           "  callback cmp(i32 a);\n"
                           "              ^\n");
}
END_TEST

START_TEST(reserved_word) {
    expect_error("module m;\nstruct point;\n",
                 TEST_FILE ":2:13: error: syntax error, unexpected ';', expecting 'as' or '{'\n"
                           "  struct point;\n"
                           "              ^\n");
}
END_TEST

START_TEST(module_without_name) {
    expect_error("module;\n", TEST_FILE ":1:7: error: syntax error, unexpected ';', expecting identifier\n"
                                        "  module;\n"
                                        "        ^\n");
}
END_TEST

START_TEST(unclosed_bracket) {
    expect_error("module m;\nvoid f(out f64[4 r);\n",
                 TEST_FILE ":2:18: error: syntax error, unexpected identifier, expecting '+' or '-' or '*' or '/' or ']'\n"
                           "  void f(out f64[4 r);\n"
                           "                   ^\n");
}
END_TEST

START_TEST(recovery_reports_a_later_error) {
    Parsed *p = parse("module m;\nvoid f(i32 x y);\nvoid g();\nvoid h(,);\n");
    ck_assert(!p->ok);
    ck_assert_int_eq(p->diag.errors, 2);
    ck_assert_has(diags(p), TEST_FILE ":2:14: error: syntax error, unexpected identifier, expecting 'as' or '->' or '=' or ')' or ','\n"
                            "  void f(i32 x y);\n"
                            "               ^\n"
                            TEST_FILE ":4:8: error: syntax error, unexpected ',', expecting identifier or 'in' or "
                            "'out' or 'inout' or 'self' or ')'\n");
    ck_assert_has(diags(p), "\n  void h(,);\n"
                            "         ^\n");
    /* The good declaration between the two is kept. */
    ck_assert_int_eq(p->m->nfuncs, 1);
    ck_assert_str_eq(func_at(p->m, 0)->name, "g");
    parsed_free(p);
}
END_TEST

START_TEST(lexical_and_syntax_errors_together) {
    Parsed *p = parse("module m;\nvoid f() $;\nvoid g(i32 x y);\n");
    ck_assert(!p->ok);
    ck_assert_int_eq(p->diag.errors, 2);
    ck_assert_has(diags(p), TEST_FILE ":2:10: error: unexpected character '$'\n");
    ck_assert_has(diags(p), TEST_FILE ":3:14: error: syntax error, unexpected identifier, expecting 'as' or '->' or '=' or ')' or ','\n");
    parsed_free(p);
}
END_TEST

START_TEST(error_limit_stops_with_too_many_errors) {
    Buf src = {0};
    buf_puts(&src, "module m;\n");
    for (int i = 0; i < 50; i++)
        buf_printf(&src, "void f%d() x;\n", i);
    Parsed *p = parse_n(src.data, src.len);
    ck_assert(!p->ok);
    const char *d = diags(p);
    ck_assert_int_eq(count_of(d, ": error: syntax error"), DIAG_MAX_ERRORS);
    ck_assert_has(d, TEST_FILE ":21:12: error: syntax error, unexpected identifier, expecting 'throws' or 'as' or ';' or '='\n");
    ck_assert_lacks(d, TEST_FILE ":22:");
    ck_assert_int_eq(count_of(d, "too many errors"), 1);
    char last[128];
    snprintf(last, sizeof last, TEST_FILE ": error: too many errors; stopping after %d\n",
             DIAG_MAX_ERRORS);
    size_t n = strlen(last);
    ck_assert_str_eq(d + strlen(d) - n, last);
    ck_assert(diag_full(&p->diag));
    parsed_free(p);
    buf_free(&src);
}
END_TEST

START_TEST(error_limit_counts_lexical_errors) {
    Buf src = {0};
    buf_puts(&src, "module m;\n");
    for (int i = 0; i < 30; i++)
        buf_puts(&src, "$\n");
    Parsed *p = parse_n(src.data, src.len);
    ck_assert(!p->ok);
    ck_assert_int_eq(count_of(diags(p), "unexpected character '$'"), DIAG_MAX_ERRORS);
    ck_assert_int_eq(count_of(diags(p), "too many errors; stopping after 20"), 1);
    parsed_free(p);
    buf_free(&src);
}
END_TEST

/* ---- The module declaration */

START_TEST(empty_file) {
    expect_error("", TEST_FILE ":1:1: error: expected 'module NAME;': the file declares nothing\n"
                     "  \n"
                     "  ^\n");
}
END_TEST

START_TEST(only_comments) {
    expect_error("// nothing\n/* here */\n",
                 TEST_FILE ":1:1: error: expected 'module NAME;': the file declares nothing\n"
                           "  // nothing\n"
                           "  ^\n");
}
END_TEST

START_TEST(missing_module) {
    expect_error("void f();\nvoid g();\n",
                 TEST_FILE ":1:1: error: expected 'module NAME;' before the first declaration\n"
                           "  void f();\n"
                           "  ^\n");
}
END_TEST

START_TEST(module_not_first) {
    Parsed *p = parse("/// f\nvoid f();\nmodule m;\n");
    ck_assert(!p->ok);
    ck_assert_str_eq(diags(p), TEST_FILE ":2:1: error: expected 'module NAME;' before the first declaration\n"
                               "  void f();\n"
                               "  ^\n"
                               TEST_FILE ":3:1: error: 'module' must be the first declaration\n"
                               "  module m;\n"
                               "  ^\n");
    parsed_free(p);
}
END_TEST

START_TEST(second_module) {
    Parsed *p = parse("module a;\nvoid f();\n\nmodule b;\n");
    ck_assert(!p->ok);
    ck_assert_str_eq(diags(p), TEST_FILE ":4:1: error: a second 'module' declaration; the first is on line 1\n"
                               "  module b;\n"
                               "  ^\n");
    ck_assert_str_eq(p->m->name, "a"); /* the first one stands */
    parsed_free(p);
}
END_TEST

START_TEST(doc_comment_at_end_of_file) {
    Parsed *p = parse("module m;\n/// dangling\n");
    ck_assert(!p->ok);
    ck_assert_str_eq(diags(p), TEST_FILE ":2:1: error: doc comment documents nothing: put it before a declaration\n"
                               "  /// dangling\n"
                               "  ^\n");
    parsed_free(p);
}
END_TEST

static Suite *parser_suite(void) {
    Suite *s = suite_create("parser");
    TCase *tc = tcase_create("trees");
    tcase_add_test(tc, module_name_and_doc);
    tcase_add_test(tc, module_without_doc);
    tcase_add_test(tc, functions_in_order_with_docs);
    tcase_add_test(tc, return_type_ref);
    tcase_add_test(tc, param_modes);
    tcase_add_test(tc, out_length_literal);
    tcase_add_test(tc, out_length_param);
    tcase_add_test(tc, out_length_len_of);
    tcase_add_test(tc, comments_anywhere);
    tcase_add_test(tc, crlf_source);
    tcase_add_test(tc, no_final_newline);
    suite_add_tcase(s, tc);

    tc = tcase_create("syntax errors");
    tcase_add_test(tc, unknown_length_function);
    tcase_add_test(tc, missing_semicolon_after_module);
    tcase_add_test(tc, missing_semicolon_at_end_of_file);
    tcase_add_test(tc, missing_param_name);
    tcase_add_test(tc, trailing_comma);
    tcase_add_test(tc, keyword_as_name);
    tcase_add_test(tc, callback_forms);
    tcase_add_test(tc, reserved_word);
    tcase_add_test(tc, module_without_name);
    tcase_add_test(tc, unclosed_bracket);
    tcase_add_test(tc, recovery_reports_a_later_error);
    tcase_add_test(tc, lexical_and_syntax_errors_together);
    tcase_add_test(tc, error_limit_stops_with_too_many_errors);
    tcase_add_test(tc, error_limit_counts_lexical_errors);
    suite_add_tcase(s, tc);

    tc = tcase_create("module declaration");
    tcase_add_test(tc, empty_file);
    tcase_add_test(tc, only_comments);
    tcase_add_test(tc, missing_module);
    tcase_add_test(tc, module_not_first);
    tcase_add_test(tc, second_module);
    tcase_add_test(tc, doc_comment_at_end_of_file);
    suite_add_tcase(s, tc);
    return s;
}

int main(void) {
    Suite *suites[] = {parser_suite()};
    return run_suites(suites, 1);
}
