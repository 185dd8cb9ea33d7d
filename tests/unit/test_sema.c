/*
 * test_sema.c - sema_check (compiler/sema.c): resolved types, ABI classes,
 * return-area slots, JS names, and every semantic error with its exact
 * message and place.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compiler_test.h"
#include "lower.h"
#include "parse.h"
#include "sema.h"

typedef struct Checked {
    char *src;
    Buf diags;
    Diag diag;
    Arena *arena;
    Module *m;
    bool parsed, ok;
} Checked;

static Checked *check_src(const char *src) {
    Checked *c = calloc(1, sizeof *c);
    ck_assert_ptr_nonnull(c);
    c->src = strdup(src);
    diag_init(&c->diag, TEST_FILE, c->src, strlen(c->src), &c->diags);
    c->arena = arena_new();
    c->m = arena_alloc(c->arena, sizeof *c->m);
    ParseCtx ctx = {.diag = &c->diag, .arena = c->arena, .module = c->m};
    c->parsed = parse_idl(&ctx);
    c->ok = c->parsed && sema_check(c->m, c->arena, &c->diag);
    if (c->ok)
        lower_module(c->m, c->arena); /* the classes and slots are lower.c's */
    return c;
}

static const char *diags(const Checked *c) { return c->diags.data ? c->diags.data : ""; }

static void checked_free(Checked *c) {
    arena_free(c->arena);
    buf_free(&c->diags);
    free(c->src);
    free(c);
}

static Checked *check_ok(const char *src) {
    Checked *c = check_src(src);
    ck_assert_msg(c->ok, "check failed:\n%s", diags(c));
    ck_assert_str_eq(diags(c), "");
    return c;
}

static Func *func_named(const Module *m, const char *name) {
    for (Func *f = m->funcs; f; f = f->next)
        if (strcmp(f->name, name) == 0)
            return f;
    ck_abort_msg("no function '%s'", name);
    return NULL;
}

static Param *param_named(const Func *f, const char *name) {
    for (Param *p = f->params; p; p = p->next)
        if (strcmp(p->name, name) == 0)
            return p;
    ck_abort_msg("no parameter '%s' in '%s'", name, f->name);
    return NULL;
}

/* `decls` (after "module m;\n") parses, and sema refuses it with exactly
 * one error whose first line is "t.idl:LINE:COL: error: MESSAGE". */
static void expect_sema_error(const char *decls, const char *first) {
    char src[1024];
    snprintf(src, sizeof src, "module m;\n%s", decls);
    Checked *c = check_src(src);
    ck_assert_msg(c->parsed, "did not even parse:\n%s", diags(c));
    ck_assert_msg(!c->ok, "accepted:\n%s", src);
    char line[512];
    ck_assert_str_eq(first_line(diags(c), line, sizeof line), first);
    ck_assert_msg(c->diag.errors == 1, "%d errors:\n%s", c->diag.errors, diags(c));
    checked_free(c);
}

/* ---- Types and ABI classes */

START_TEST(scalar_types_resolve) {
    Checked *c = check_ok("module m;\n"
                          "void f(bool a, i8 b, u8 c, i16 d, u16 e, i32 g, u32 h, i64 i, u64 j,"
                          " f32 k, f64 l, string s);\n");
    Func *f = func_named(c->m, "f");
    static const ScalarId ids[] = {T_BOOL, T_I8,  T_U8,  T_I16, T_U16, T_I32,
                                   T_U32,  T_I64, T_U64, T_F32, T_F64, T_STRING};
    int i = 0;
    for (Param *p = f->params; p; p = p->next, i++) {
        ck_assert_int_eq(p->type.id, ids[i]);
        ck_assert_int_eq(p->index, i);
        ck_assert_int_eq(p->abi, ids[i] == T_STRING ? ABI_STRING_IN : ABI_SCALAR_IN);
    }
    ck_assert_int_eq(i, 12);
    ck_assert_int_eq(f->nparams, 12);
    ck_assert_int_eq(f->ret.id, T_VOID);
    checked_free(c);
}
END_TEST

START_TEST(param_abi_classes) {
    Checked *c = check_ok("module m;\n"
                          "void f(i32 a, string s, f64[] arr, inout f32[] io, out i32 o,"
                          " out f64[4] oa, in u8[] b);\n");
    Func *f = func_named(c->m, "f");
    ck_assert_int_eq(param_named(f, "a")->abi, ABI_SCALAR_IN);
    ck_assert_int_eq(param_named(f, "s")->abi, ABI_STRING_IN);
    ck_assert_int_eq(param_named(f, "arr")->abi, ABI_ARRAY_IN);
    ck_assert_int_eq(param_named(f, "io")->abi, ABI_ARRAY_INOUT);
    ck_assert_int_eq(param_named(f, "o")->abi, ABI_OUT_SCALAR);
    ck_assert_int_eq(param_named(f, "oa")->abi, ABI_OUT_ARRAY);
    ck_assert_int_eq(param_named(f, "b")->abi, ABI_ARRAY_IN);
    ck_assert_int_eq(param_named(f, "arr")->type.id, T_F64);
    checked_free(c);
}
END_TEST

START_TEST(result_abi_classes) {
    Checked *c = check_ok("module m;\nvoid v();\nu64 s();\nstring t();\ni16[] a();\nbool b();\n");
    ck_assert_int_eq(func_named(c->m, "v")->ret_abi, ABI_NONE);
    ck_assert_int_eq(func_named(c->m, "s")->ret_abi, ABI_RET_SCALAR);
    ck_assert_int_eq(func_named(c->m, "t")->ret_abi, ABI_RET_STRING);
    ck_assert_int_eq(func_named(c->m, "a")->ret_abi, ABI_RET_ARRAY);
    ck_assert_int_eq(func_named(c->m, "a")->ret.id, T_I16);
    ck_assert_int_eq(func_named(c->m, "b")->ret_abi, ABI_RET_SCALAR);
    checked_free(c);
}
END_TEST

START_TEST(out_lengths_link_their_params) {
    Checked *c = check_ok("module m;\n"
                          "void f(u32 n, f64[] a, inout i8[] b, out f64[n] x, out f64[len(a)] y,"
                          " out i8[len(b)] z, out u8[8] w);\n");
    Func *f = func_named(c->m, "f");
    ck_assert_ptr_eq(param_named(f, "x")->len_param, param_named(f, "n"));
    ck_assert_ptr_eq(param_named(f, "y")->len_param, param_named(f, "a"));
    ck_assert_ptr_eq(param_named(f, "z")->len_param, param_named(f, "b"));
    ck_assert_ptr_null(param_named(f, "w")->len_param);
    checked_free(c);
}
END_TEST

START_TEST(len_of_may_name_a_later_array) {
    Checked *c = check_ok("module m;\nvoid f(out f64[len(a)] q, f64[] a);\n");
    Func *f = func_named(c->m, "f");
    ck_assert_ptr_eq(param_named(f, "q")->len_param, param_named(f, "a"));
    checked_free(c);
}
END_TEST

START_TEST(every_integer_type_may_be_a_length) {
    static const char *const ints[] = {"i8", "u8", "i16", "u16", "i32", "u32"};
    for (size_t i = 0; i < 6; i++) {
        char src[128];
        snprintf(src, sizeof src, "module m;\nvoid f(%s n, out f64[n] r);\n", ints[i]);
        Checked *c = check_ok(src);
        checked_free(c);
    }
}
END_TEST

/* ---- Return-area slots */

START_TEST(direct_scalar_return) {
    Checked *c = check_ok("module m;\nf64 f(f64[] a, i32 b, out f64[2] r);\n");
    Func *f = func_named(c->m, "f");
    ck_assert(f->direct);
    ck_assert_ptr_null(f->direct_out);
    ck_assert_int_eq(f->ret_slot, -1);
    ck_assert_int_eq(f->nslots, 0);
    ck_assert_int_eq(f->nresults, 2);
    ck_assert_int_eq(param_named(f, "r")->slot, -1);
    checked_free(c);
}
END_TEST

START_TEST(void_and_one_out_scalar_is_direct_out) {
    Checked *c = check_ok("module m;\nvoid f(i32 a, out u16 r);\n");
    Func *f = func_named(c->m, "f");
    ck_assert(f->direct);
    ck_assert_ptr_eq(f->direct_out, param_named(f, "r"));
    ck_assert_int_eq(f->nslots, 0);
    ck_assert_int_eq(f->ret_slot, -1);
    ck_assert_int_eq(param_named(f, "r")->slot, -1);
    ck_assert_int_eq(f->nresults, 1);
    checked_free(c);
}
END_TEST

START_TEST(direct_out_beside_out_arrays) {
    /* Out arrays come back through buffers, not slots: the one out
     * scalar is still the wasm result. */
    Checked *c = check_ok("module m;\nvoid f(out f64[4] a, out i32 n, out u8[2] b);\n");
    Func *f = func_named(c->m, "f");
    ck_assert(f->direct);
    ck_assert_ptr_eq(f->direct_out, param_named(f, "n"));
    ck_assert_int_eq(f->nslots, 0);
    ck_assert_int_eq(f->nresults, 3);
    checked_free(c);
}
END_TEST

START_TEST(return_then_out_scalars_take_slots) {
    Checked *c = check_ok("module m;\ni32 f(i32 a, out i32 r, f64[] x, out f64 s, out f64[3] t);\n");
    Func *f = func_named(c->m, "f");
    ck_assert(!f->direct);
    ck_assert_ptr_null(f->direct_out);
    ck_assert_int_eq(f->ret_slot, 0);
    ck_assert_int_eq(param_named(f, "r")->slot, 1);
    ck_assert_int_eq(param_named(f, "s")->slot, 2);
    ck_assert_int_eq(param_named(f, "t")->slot, -1);
    ck_assert_int_eq(param_named(f, "a")->slot, -1);
    ck_assert_int_eq(f->nslots, 3);
    ck_assert_int_eq(f->nresults, 4);
    checked_free(c);
}
END_TEST

START_TEST(two_out_scalars_take_slots) {
    Checked *c = check_ok("module m;\nvoid f(out i64 a, out bool b);\n");
    Func *f = func_named(c->m, "f");
    ck_assert(!f->direct);
    ck_assert_int_eq(f->ret_slot, -1);
    ck_assert_int_eq(param_named(f, "a")->slot, 0);
    ck_assert_int_eq(param_named(f, "b")->slot, 1);
    ck_assert_int_eq(f->nslots, 2);
    ck_assert_int_eq(f->nresults, 2);
    checked_free(c);
}
END_TEST

START_TEST(string_and_array_returns_take_slot_0) {
    Checked *c = check_ok("module m;\nstring s(string x);\nf64[] a(out u32 n);\n");
    Func *s = func_named(c->m, "s"), *a = func_named(c->m, "a");
    ck_assert(!s->direct);
    ck_assert_int_eq(s->ret_slot, 0);
    ck_assert_int_eq(s->nslots, 1);
    ck_assert_int_eq(s->nresults, 1);
    ck_assert(!a->direct);
    ck_assert_int_eq(a->ret_slot, 0);
    ck_assert_int_eq(param_named(a, "n")->slot, 1);
    ck_assert_int_eq(a->nslots, 2);
    checked_free(c);
}
END_TEST

START_TEST(no_results) {
    Checked *c = check_ok("module m;\nvoid f(inout f64[] a);\nvoid g(out f64[4] r);\n");
    Func *f = func_named(c->m, "f"), *g = func_named(c->m, "g");
    ck_assert(!f->direct);
    ck_assert_int_eq(f->nslots, 0);
    ck_assert_int_eq(f->nresults, 0);
    ck_assert(!g->direct);
    ck_assert_int_eq(g->nslots, 0);
    ck_assert_int_eq(g->nresults, 1);
    checked_free(c);
}
END_TEST

/* ---- Names */

START_TEST(camel_case) {
    Arena *a = arena_new();
    ck_assert_str_eq(sema_camel(a, "add_into"), "addInto");
    ck_assert_str_eq(sema_camel(a, "a_b_c"), "aBC");
    ck_assert_str_eq(sema_camel(a, "is_ascii"), "isAscii");
    ck_assert_str_eq(sema_camel(a, "x_1"), "x_1");
    ck_assert_str_eq(sema_camel(a, "_private"), "_private");
    ck_assert_str_eq(sema_camel(a, "_a_b"), "_aB");
    ck_assert_str_eq(sema_camel(a, "add_Into"), "add_Into");
    ck_assert_str_eq(sema_camel(a, "trailing_"), "trailing_");
    ck_assert_str_eq(sema_camel(a, "a__b"), "a__b");
    ck_assert_str_eq(sema_camel(a, "v2_x"), "v2X");
    ck_assert_str_eq(sema_camel(a, "plain"), "plain");
    ck_assert_str_eq(sema_camel(a, ""), "");
    arena_free(a);
}
END_TEST

START_TEST(names_for_c_and_js) {
    Checked *c = check_ok("module geo_shapes;\nf64 area_of(f64 side_len);\n");
    Func *f = func_named(c->m, "area_of");
    ck_assert_str_eq(f->c_name, "geo_shapes_area_of");
    ck_assert_str_eq(f->js_name, "areaOf");
    ck_assert_str_eq(f->export_name, "wg_f_area_of");
    ck_assert_str_eq(param_named(f, "side_len")->js_name, "sideLen");
    ck_assert_str_eq(param_named(f, "side_len")->js_local, "sideLen");
    ck_assert_str_eq(c->m->ts_name, "GeoShapesModule");
    checked_free(c);
}
END_TEST

START_TEST(js_reserved_params_escaped) {
    Checked *c = check_ok("module m;\n"
                          "void f(i32 yield, i32 function, i32 await, i32 eval, i32 let, i32 arguments,"
                          " i32 plain);\n");
    Func *f = func_named(c->m, "f");
    ck_assert_str_eq(param_named(f, "yield")->js_local, "yield_");
    ck_assert_str_eq(param_named(f, "yield")->js_name, "yield"); /* the result key stays */
    ck_assert_str_eq(param_named(f, "function")->js_local, "function_");
    ck_assert_str_eq(param_named(f, "await")->js_local, "await_");
    ck_assert_str_eq(param_named(f, "eval")->js_local, "eval_");
    ck_assert_str_eq(param_named(f, "let")->js_local, "let_");
    ck_assert_str_eq(param_named(f, "arguments")->js_local, "arguments_");
    ck_assert_str_eq(param_named(f, "plain")->js_local, "plain");
    checked_free(c);
}
END_TEST

START_TEST(runtime_members) {
    ck_assert(sema_is_runtime_member("stats"));
    ck_assert(sema_is_runtime_member("flush"));
    ck_assert(sema_is_runtime_member("memory"));
    ck_assert(sema_is_runtime_member("exports"));
    ck_assert(!sema_is_runtime_member("statistics"));
    ck_assert(!sema_is_runtime_member("add"));
}
END_TEST

START_TEST(runtime_members_from_the_table) {
    /* Every member of runtime.def, the list the JS runtime and the .d.ts are
     * generated from, is one sema knows. */
#define K(c, js, value, doc)
#define M(name, kind, ts, ...) ck_assert(sema_is_runtime_member(#name));
#include "runtime.def"
#undef K
#undef M
}
END_TEST

START_TEST(scalar_names) {
    /* Every row of types.def is found by its name, whatever its first letter
     * or length; other names are not scalars. */
    size_t n = 0;
    for (const ScalarInfo *si; (si = scalar_info((ScalarId)n)) != NULL; n++)
        ck_assert_int_eq(scalar_lookup(si->idl), (ScalarId)n);
    ck_assert_uint_gt(n, 10);
    ck_assert_int_eq(scalar_lookup("string"), T_STRING);
    ck_assert_int_eq(scalar_lookup("void"), T_VOID);
    static const char *const others[] = {"Point", "i", "i322", "f", "bool_", "strings", "x", "int"};
    for (size_t i = 0; i < sizeof others / sizeof others[0]; i++)
        ck_assert_int_eq(scalar_lookup(others[i]), T_UNRESOLVED);
}
END_TEST

START_TEST(allowed_names) {
    /* Function names are prefixed in C, so C keywords are fine there;
     * names merely containing wg_ are fine too. */
    Checked *c = check_ok("module m;\nvoid int(i32 my_wg_x);\nvoid default();\nvoid stats_of(i32 stats);\n");
    checked_free(c);
}
END_TEST

/* ---- Errors */

START_TEST(unknown_type_hints) {
    expect_sema_error("i32 f(int x);\n", TEST_FILE ":2:7: error: unknown type 'int'; did you mean 'i32'?");
    expect_sema_error("unsigned f();\n", TEST_FILE ":2:1: error: unknown type 'unsigned'; did you mean 'u32'?");
    expect_sema_error("void f(double x);\n", TEST_FILE ":2:8: error: unknown type 'double'; did you mean 'f64'?");
    expect_sema_error("void f(int32_t x);\n", TEST_FILE ":2:8: error: unknown type 'int32_t'; did you mean 'i32'?");
    expect_sema_error("uint8_t f();\n", TEST_FILE ":2:1: error: unknown type 'uint8_t'; did you mean 'u8'?");
    expect_sema_error("void f(str s);\n", TEST_FILE ":2:8: error: unknown type 'str'; did you mean 'string'?");
    expect_sema_error("void f(boolean b);\n", TEST_FILE ":2:8: error: unknown type 'boolean'; did you mean 'bool'?");
    expect_sema_error("void f(i3 x);\n", TEST_FILE ":2:8: error: unknown type 'i3'; did you mean 'i8'?");
    expect_sema_error("void f(strng s);\n", TEST_FILE ":2:8: error: unknown type 'strng'; did you mean 'string'?");
    expect_sema_error("void f(u64x x);\n", TEST_FILE ":2:8: error: unknown type 'u64x'; did you mean 'u64'?");
}
END_TEST

START_TEST(unknown_type_without_hint) {
    expect_sema_error("void f(matrix m);\n", TEST_FILE ":2:8: error: unknown type 'matrix'");
    expect_sema_error("void f(out quaternion[4] q);\n", TEST_FILE ":2:12: error: unknown type 'quaternion'");
}
END_TEST

START_TEST(unsupported_arrays) {
    expect_sema_error("void f(bool[] b);\n",
                      TEST_FILE ":2:8: error: arrays of 'bool' are not supported; use u8[] for an array of flags");
    expect_sema_error("void[] f();\n", TEST_FILE ":2:1: error: 'void' is not a value type; it can only be a result");
    expect_sema_error("i53[] f();\n", TEST_FILE ":2:1: error: arrays of 'i53' are not supported; use i64[] (BigInts) for 64-bit integers");
    expect_sema_error("void f(out bool[4] b);\n",
                      TEST_FILE ":2:12: error: arrays of 'bool' are not supported; use u8[] for an array of flags");
}
END_TEST

START_TEST(void_parameter) {
    expect_sema_error("void f(void x);\n", TEST_FILE ":2:8: error: parameter 'x' cannot be void");
    expect_sema_error("void f(out void x);\n", TEST_FILE ":2:12: error: parameter 'x' cannot be void");
}
END_TEST

START_TEST(duplicate_function) {
    expect_sema_error("void f();\ni32 g();\nf64 f(i32 x);\n",
                      TEST_FILE ":4:5: error: function 'f' is already declared on line 2");
}
END_TEST

START_TEST(duplicate_param) {
    expect_sema_error("void f(i32 a, f64 b, u8 a);\n",
                      TEST_FILE ":2:25: error: duplicate parameter 'a' (first declared at column 12)");
}
END_TEST

START_TEST(camel_collision_functions) {
    expect_sema_error("void add_into();\nvoid addInto();\n",
                      TEST_FILE ":3:6: error: 'add_into' (line 2) and 'addInto' are both m.addInto in JavaScript");
}
END_TEST

START_TEST(camel_collision_params) {
    expect_sema_error("void f(i32 a_b, i32 aB);\n",
                      TEST_FILE ":2:21: error: parameters 'a_b' and 'aB' are both 'aB' in JavaScript");
}
END_TEST

START_TEST(reserved_c_words_as_params) {
    static const char *const words[] = {"int", "default", "new", "delete", "size_t", "class", "NULL"};
    for (size_t i = 0; i < sizeof words / sizeof words[0]; i++) {
        char decl[128], msg[256];
        snprintf(decl, sizeof decl, "void f(i32 %s);\n", words[i]);
        snprintf(msg, sizeof msg,
                 TEST_FILE ":2:12: error: parameter name '%s' is a reserved word in C or C++; choose another name",
                 words[i]);
        expect_sema_error(decl, msg);
    }
}
END_TEST

START_TEST(wg_prefix_names) {
    expect_sema_error("void wg_f();\n",
                      TEST_FILE ":2:6: error: function name 'wg_f' is reserved: names starting with 'wg_' or '__' belong to wasmgen");
    expect_sema_error("void f(i32 wg_x);\n",
                      TEST_FILE ":2:12: error: parameter name 'wg_x' is reserved: names starting with 'wg_' or '__' belong to wasmgen");
    expect_sema_error("void __f();\n",
                      TEST_FILE ":2:6: error: function name '__f' is reserved: names starting with 'wg_' or '__' belong to wasmgen");
    Checked *c = check_src("module wg_m;\n");
    ck_assert(!c->ok);
    ck_assert_str_eq(diags(c), TEST_FILE ":1:8: error: module name 'wg_m' is reserved: names starting with 'wg_' or '__' belong to wasmgen\n"
                               "  module wg_m;\n"
                               "         ^\n");
    checked_free(c);
}
END_TEST

START_TEST(module_named_wg) {
    Checked *c = check_src("module wg;\nvoid f();\n");
    ck_assert(!c->ok);
    ck_assert_str_eq(diags(c), TEST_FILE ":1:8: error: module name 'wg' is reserved: it is the runtime's C prefix\n"
                               "  module wg;\n"
                               "         ^\n");
    checked_free(c);
}
END_TEST

START_TEST(runtime_member_names) {
    /* A function may be named like a runtime member: it wins on the module
     * object, and the member stays reachable as m.runtime.NAME ... */
    static const char *const names[] = {"stats", "flush", "scope", "alloc", "from", "leaks", "memory", "exports"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        char src[128];
        snprintf(src, sizeof src, "module m;\nvoid %s();\n", names[i]);
        Checked *c = check_ok(src);
        checked_free(c);
    }
    /* ... so "runtime" itself is refused. */
    expect_sema_error("void runtime();\n",
                      TEST_FILE ":2:6: error: function 'runtime' would hide m.runtime, which keeps the "
                                "runtime's members reachable; choose another name");
}
END_TEST

START_TEST(inout_scalar) {
    expect_sema_error("void f(inout i32 x);\n",
                      TEST_FILE ":2:18: error: inout applies to numeric arrays only; 'x' is i32 (use out for a result)");
    expect_sema_error("void f(inout string s);\n",
                      TEST_FILE ":2:21: error: inout applies to numeric arrays only; 's' is string (use out for a result)");
}
END_TEST

START_TEST(out_string) {
    expect_sema_error("void f(out string s);\n",
                      TEST_FILE ":2:12: error: out parameters are numbers, bools, enums and numeric arrays; return the string instead");
}
END_TEST

START_TEST(out_array_without_length) {
    expect_sema_error("void f(out f64[] r);\n",
                      TEST_FILE ":2:12: error: out array 'r' needs a length: write f64[N], f64[param] or f64[len(array)]");
}
END_TEST

START_TEST(out_array_length_too_large) {
    expect_sema_error("void f(out f64[0x80000000] r);\n",
                      TEST_FILE ":2:16: error: out array length 2147483648 is too large");
    Checked *c = check_ok("module m;\nvoid f(out f64[0x7fffffff] r);\n");
    checked_free(c);
}
END_TEST

START_TEST(length_on_in_array) {
    expect_sema_error("void f(f64[4] a);\n",
                      TEST_FILE ":2:12: error: only out arrays declare a length; an in array brings its own");
    expect_sema_error("void f(i32 n, in f64[n] a);\n",
                      TEST_FILE ":2:22: error: only out arrays declare a length; an in array brings its own");
    expect_sema_error("void f(inout f64[4] a);\n",
                      TEST_FILE ":2:18: error: only out arrays declare a length; an inout array brings its own");
}
END_TEST

START_TEST(length_on_return_type) {
    expect_sema_error("f64[4] f();\n",
                      TEST_FILE ":2:5: error: a returned array carries its own length; write f64[]");
    expect_sema_error("f64[len(a)] f(f64[] a);\n",
                      TEST_FILE ":2:9: error: a returned array carries its own length; write f64[]");
}
END_TEST

START_TEST(len_of_non_array) {
    expect_sema_error("void f(i32 n, out f64[len(n)] r);\n",
                      TEST_FILE ":2:27: error: len(n): 'n' must be an in or inout array parameter that is not optional");
    expect_sema_error("void f(out f64[4] a, out f64[len(a)] r);\n",
                      TEST_FILE ":2:34: error: len(a): 'a' must be an in or inout array parameter that is not optional");
    expect_sema_error("void f(out f64[len(q)] r);\n",
                      TEST_FILE ":2:20: error: len(q): 'q' is not a parameter of 'f'");
}
END_TEST

START_TEST(length_param_not_an_integer_in_param) {
    expect_sema_error("void f(f64 n, out f64[n] r);\n",
                      TEST_FILE ":2:23: error: out array length 'n' must be an in parameter of an integer type (i8 to u32); it is f64");
    expect_sema_error("void f(i64 n, out f64[n] r);\n",
                      TEST_FILE ":2:23: error: out array length 'n' must be an in parameter of an integer type (i8 to u32); it is i64");
    expect_sema_error("void f(out i32 n, out f64[n] r);\n",
                      TEST_FILE ":2:27: error: out array length 'n' must be an in parameter of an integer type (i8 to u32); it is out i32");
    expect_sema_error("void f(i32[] n, out f64[n] r);\n",
                      TEST_FILE ":2:25: error: out array length 'n' must be an in parameter of an integer type (i8 to u32); it is i32[]");
    expect_sema_error("void f(bool n, out f64[n] r);\n",
                      TEST_FILE ":2:24: error: out array length 'n' must be an in parameter of an integer type (i8 to u32); it is bool");
    expect_sema_error("void f(out f64[q] r);\n",
                      TEST_FILE ":2:16: error: out array length 'q' is not a parameter of 'f'");
}
END_TEST

START_TEST(len_suffix_collision) {
    expect_sema_error("void f(f64[] a, i32 a_len);\n",
                      TEST_FILE ":2:21: error: parameter 'a_len' collides with the length C passes for 'a'; rename it");
    expect_sema_error("void f(u32 s_len, string s);\n",
                      TEST_FILE ":2:12: error: parameter 's_len' collides with the length C passes for 's'; rename it");
    expect_sema_error("void f(inout u8[] b, out i32 b_len);\n",
                      TEST_FILE ":2:30: error: parameter 'b_len' collides with the length C passes for 'b'; rename it");
    /* An out array gets no length parameter, so there is nothing to collide with. */
    Checked *c = check_ok("module m;\nvoid f(out u8[4] b, i32 b_len);\n");
    checked_free(c);
}
END_TEST

START_TEST(errors_in_several_functions) {
    Checked *c = check_src("module m;\nvoid f(int x);\nvoid g(out string s);\nvoid h();\nvoid h();\n");
    ck_assert(!c->ok);
    ck_assert_int_eq(c->diag.errors, 3);
    ck_assert_has(diags(c), TEST_FILE ":2:8: error: unknown type 'int'");
    ck_assert_has(diags(c), TEST_FILE ":3:12: error: out parameters are numbers, bools, enums and numeric arrays; return the string instead");
    ck_assert_has(diags(c), TEST_FILE ":5:6: error: function 'h' is already declared on line 4");
    checked_free(c);
}
END_TEST

START_TEST(error_limit_stops_checking) {
    Buf src = {0};
    buf_puts(&src, "module m;\n");
    for (int i = 0; i < 100; i++)
        buf_printf(&src, "int f%d();\n", i);
    Checked *c = check_src(src.data);
    ck_assert(!c->ok);
    ck_assert_int_eq(count_of(diags(c), "unknown type 'int'"), DIAG_MAX_ERRORS);
    ck_assert_int_eq(count_of(diags(c), "too many errors; stopping after 20"), 1);
    ck_assert_int_eq(c->diag.errors, DIAG_MAX_ERRORS + 1); /* stopped right away */
    checked_free(c);
    buf_free(&src);
}
END_TEST

/* ---- Regressions: bugs these tests found. */
START_TEST(length_param_may_come_later) {
    /* Lengths are checked while parameters are resolved in order; a later
     * length parameter must still be recognised as an integer. */
    Checked *c = check_ok("module m;\nvoid f(out f64[n] r, i32 n);\n");
    Func *f = func_named(c->m, "f");
    ck_assert_ptr_eq(param_named(f, "r")->len_param, param_named(f, "n"));
    checked_free(c);
}
END_TEST

START_TEST(unknown_type_transposed_digits) {
    /* f46 is f64 with two digits swapped: one edit, nearer than i16. */
    expect_sema_error("f46 f();\n", TEST_FILE ":2:1: error: unknown type 'f46'; did you mean 'f64'?");
}
END_TEST

static Suite *sema_suite(void) {
    Suite *s = suite_create("sema");
    TCase *tc = tcase_create("abi");
    tcase_add_test(tc, scalar_types_resolve);
    tcase_add_test(tc, param_abi_classes);
    tcase_add_test(tc, result_abi_classes);
    tcase_add_test(tc, out_lengths_link_their_params);
    tcase_add_test(tc, len_of_may_name_a_later_array);
    tcase_add_test(tc, every_integer_type_may_be_a_length);
    suite_add_tcase(s, tc);

    tc = tcase_create("slots");
    tcase_add_test(tc, direct_scalar_return);
    tcase_add_test(tc, void_and_one_out_scalar_is_direct_out);
    tcase_add_test(tc, direct_out_beside_out_arrays);
    tcase_add_test(tc, return_then_out_scalars_take_slots);
    tcase_add_test(tc, two_out_scalars_take_slots);
    tcase_add_test(tc, string_and_array_returns_take_slot_0);
    tcase_add_test(tc, no_results);
    suite_add_tcase(s, tc);

    tc = tcase_create("names");
    tcase_add_test(tc, camel_case);
    tcase_add_test(tc, names_for_c_and_js);
    tcase_add_test(tc, js_reserved_params_escaped);
    tcase_add_test(tc, runtime_members);
    tcase_add_test(tc, runtime_members_from_the_table);
    tcase_add_test(tc, scalar_names);
    tcase_add_test(tc, allowed_names);
    suite_add_tcase(s, tc);

    tc = tcase_create("errors");
    tcase_add_test(tc, unknown_type_hints);
    tcase_add_test(tc, unknown_type_without_hint);
    tcase_add_test(tc, unsupported_arrays);
    tcase_add_test(tc, void_parameter);
    tcase_add_test(tc, duplicate_function);
    tcase_add_test(tc, duplicate_param);
    tcase_add_test(tc, camel_collision_functions);
    tcase_add_test(tc, camel_collision_params);
    tcase_add_test(tc, reserved_c_words_as_params);
    tcase_add_test(tc, wg_prefix_names);
    tcase_add_test(tc, module_named_wg);
    tcase_add_test(tc, runtime_member_names);
    tcase_add_test(tc, inout_scalar);
    tcase_add_test(tc, out_string);
    tcase_add_test(tc, out_array_without_length);
    tcase_add_test(tc, out_array_length_too_large);
    tcase_add_test(tc, length_on_in_array);
    tcase_add_test(tc, length_on_return_type);
    tcase_add_test(tc, len_of_non_array);
    tcase_add_test(tc, length_param_not_an_integer_in_param);
    tcase_add_test(tc, len_suffix_collision);
    tcase_add_test(tc, errors_in_several_functions);
    tcase_add_test(tc, error_limit_stops_checking);
    suite_add_tcase(s, tc);

    tc = tcase_create("regressions");
    tcase_add_test(tc, length_param_may_come_later);
    tcase_add_test(tc, unknown_type_transposed_digits);
    suite_add_tcase(s, tc);
    return s;
}

int main(void) {
    Suite *suites[] = {sema_suite()};
    return run_suites(suites, 1);
}
