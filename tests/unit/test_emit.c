/*
 * test_emit.c - the whole pipeline through wasmgen_compile: the key lines of
 * each generated file, doc comments, --emit masks, the runtime file, the
 * failure contract, and a module with 10,000 functions.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compiler_test.h"
#include "emit.h"
#include "wasmgen.h"

static const wasmgen_options all_files = {.emit = WASMGEN_EMIT_ALL, .inline_runtime = false, .runtime_file = true};

/* The bits of emit_targets whose key is `key`, as --emit=KEY selects them
 * (one key may name more than one file: dts gives .d.ts and .d.mts). */
static unsigned emit_bit(const char *key) {
    unsigned mask = 0;
    for (size_t i = 0; i < emit_ntargets; i++)
        if (strcmp(emit_targets[i].key, key) == 0)
            mask |= 1u << i;
    ck_assert_msg(mask != 0, "no emitter '%s'", key);
    return mask;
}

/* Does `mask` make target i? WASMGEN_EMIT_ALL leaves out the targets made
 * only on request (the native host's). */
static bool makes(unsigned mask, size_t i) {
    if (mask == WASMGEN_EMIT_ALL && emit_targets[i].on_request)
        return false;
    return (mask >> i) & 1u;
}

/* How many files the emitters behind `mask` write. */
static int files_of(unsigned mask) {
    int n = 0;
    for (size_t i = 0; i < emit_ntargets; i++)
        n += makes(mask, i);
    return n;
}

static int compile_opt(const char *src, const wasmgen_options *opt, wasmgen_result *res) {
    return wasmgen_compile("dir/" TEST_FILE, src, strlen(src), opt, res);
}

/* Compiles `src` with every output; fails the test on any diagnostic. */
static void compile_ok(const char *src, wasmgen_result *res) {
    int rc = compile_opt(src, &all_files, res);
    ck_assert_msg(rc == 0, "compile failed:\n%s", res->diagnostics);
    ck_assert_str_eq(res->diagnostics, "");
    ck_assert_int_eq(res->errors, 0);
}

/* The text of output `name`, or NULL. */
static const char *file_named(const wasmgen_result *res, const char *name) {
    for (int i = 0; i < res->nfiles; i++)
        if (strcmp(res->files[i].name, name) == 0) {
            ck_assert_uint_eq(strlen(res->files[i].data), res->files[i].len);
            return res->files[i].data;
        }
    return NULL;
}

static const char *must_have(const wasmgen_result *res, const char *name) {
    const char *text = file_named(res, name);
    ck_assert_msg(text != NULL, "no output file %s", name);
    return text;
}

/* ---- The C contract and the generated files */

static const char *const arrays_idl =
    "/// Arrays, strings and results.\n"
    "module arr;\n"
    "/// Element-wise sum.\n"
    "f64[] add(f64[] a, f64[] b);\n"
    "f64 sum(f64[] values);\n"
    "void add_into(f64[] a, f64[] b, out f64[len(a)] result);\n"
    "void scale(inout f32[] data, f32 factor);\n"
    "i32 divide(i32 numerator, i32 denominator, out i32 remainder);\n"
    "string reverse(string s);\n"
    "u64 checksum(u8[] bytes);\n"
    "bool is_ascii(string text);\n"
    "i64 big(i64 x, u64 y);\n"
    "void halves(i32 n, out f64[n] lo, out u16[4] hi);\n"
    "void nothing();\n"
    "void count(string s, out u32 n);\n";

/* buf_insert: what emit_js uses to put the import line before the code it
 * scanned for features, without a second copy of the output. */
START_TEST(buf_insert_places_bytes) {
    Buf b = {0};
    buf_insert(&b, 0, "xyz", 0); /* nothing: still empty */
    ck_assert_uint_eq(b.len, 0);
    buf_puts(&b, "ace");
    buf_insert(&b, 1, "b", 1);
    buf_insert(&b, 3, "d", 1);
    buf_insert(&b, 0, ">", 1);
    buf_insert(&b, b.len, "<", 1);
    ck_assert_str_eq(b.data, ">abcde<");
    ck_assert_uint_eq(b.len, 7);
    for (int i = 0; i < 1000; i++) /* growth: the buffer moves, the bytes stay in order */
        buf_insert(&b, 1, "0123456789", 10);
    ck_assert_uint_eq(b.len, 10007);
    ck_assert_int_eq(b.data[0], '>');
    ck_assert_int_eq(memcmp(b.data + 1, "0123456789", 10), 0);
    ck_assert_str_eq(b.data + 10001, "abcde<");
    buf_free(&b);
}
END_TEST

START_TEST(header_prototypes) {
    wasmgen_result res;
    compile_ok(arrays_idl, &res);
    const char *h = must_have(&res, "arr.h");
    ck_assert_has(h, "#ifndef WASMGEN_ARR_H\n#define WASMGEN_ARR_H\n");
    ck_assert_has(h, "#include <wasmgen.h>\n");
    ck_assert_has(h, "extern \"C\" {");
    ck_assert_has(h, "\nwg_f64_array arr_add(const double *a, size_t a_len, const double *b, size_t b_len);\n");
    ck_assert_has(h, "\ndouble arr_sum(const double *values, size_t values_len);\n");
    ck_assert_has(h, "\nvoid arr_add_into(const double *a, size_t a_len, const double *b, size_t b_len, double *result);\n");
    ck_assert_has(h, "\nvoid arr_scale(float *data, size_t data_len, float factor);\n");
    ck_assert_has(h, "\nint32_t arr_divide(int32_t numerator, int32_t denominator, int32_t *remainder);\n");
    ck_assert_has(h, "\nchar *arr_reverse(const char *s, size_t s_len);\n");
    ck_assert_has(h, "\nuint64_t arr_checksum(const uint8_t *bytes, size_t bytes_len);\n");
    ck_assert_has(h, "\nbool arr_is_ascii(const char *text, size_t text_len);\n");
    ck_assert_has(h, "\nint64_t arr_big(int64_t x, uint64_t y);\n");
    ck_assert_has(h, "\nvoid arr_halves(int32_t n, double *lo, uint16_t *hi);\n");
    ck_assert_has(h, "\nvoid arr_nothing(void);\n");
    ck_assert_has(h, "\nvoid arr_count(const char *s, size_t s_len, uint32_t *n);\n");
    /* Notes on lengths and ownership. */
    ck_assert_has(h, " * @param result room for `a_len` elements.\n");
    ck_assert_has(h, " * @param lo room for `n` elements.\n");
    ck_assert_has(h, " * @param hi room for 4 elements.\n");
    ck_assert_has(h, " * @return a NUL-terminated string from malloc (NULL for null); the caller frees it.\n");
    ck_assert_has(h, " * @return .ptr from malloc, .len elements; the caller frees .ptr.\n");
    ck_assert_has(h, "arr.h - generated by wasmgen " WASMGEN_VERSION " from " TEST_FILE "; do not edit.");
    wasmgen_result_free(&res);
}
END_TEST

START_TEST(glue_exports_and_slots) {
    wasmgen_result res;
    compile_ok(arrays_idl, &res);
    const char *c = must_have(&res, "arr_glue.c");
    ck_assert_has(c, "#include \"arr.h\"\n");
    ck_assert_has(c, "WG_EXPORT(\"wg_f_add\") void wg__arr_add(void *wg_ret, const double *a, size_t a_len, const double *b, size_t b_len);");
    ck_assert_has(c, "    WG_RET_BUF(wg_ret, 0, wg_r.ptr, wg_r.ptr ? wg_r.len : 0);\n");
    ck_assert_has(c, "WG_EXPORT(\"wg_f_sum\") double wg__arr_sum(const double *values, size_t values_len);");
    ck_assert_has(c, "    return (double)arr_sum(values, values_len);\n");
    ck_assert_has(c, "WG_EXPORT(\"wg_f_divide\") void wg__arr_divide(void *wg_ret, int32_t numerator, int32_t denominator);");
    ck_assert_has(c, "    int32_t wg_o_remainder = (int32_t)0;\n");
    ck_assert_has(c, "    int32_t wg_r = arr_divide(numerator, denominator, &wg_o_remainder);\n");
    ck_assert_has(c, "    WG_RET(wg_ret, 0, int32_t, wg_r);\n    WG_RET(wg_ret, 1, int32_t, wg_o_remainder);\n");
    ck_assert_has(c, "    WG_RET_BUF(wg_ret, 0, wg_r, wg_strlen(wg_r));\n");
    /* Small integers widen through the glue. */
    ck_assert_has(c, "WG_EXPORT(\"wg_f_is_ascii\") int32_t wg__arr_is_ascii(");
    /* void + one out scalar: the out value is the wasm result. */
    ck_assert_has(c, "WG_EXPORT(\"wg_f_count\") uint32_t wg__arr_count(const char *s, size_t s_len);");
    ck_assert_has(c, "    return (uint32_t)wg_o_n;\n");
    ck_assert_has(c, "WG_EXPORT(\"wg_f_nothing\") void wg__arr_nothing(void);");
    ck_assert_has(c, "WG_EXPORT(\"wg_f_halves\") void wg__arr_halves(int32_t n, double *lo, uint16_t *hi);");
    ck_assert_int_eq(count_of(c, "WG_EXPORT("), 12);
    ck_assert_int_eq(count_of(c, "WG_ENTER();"), 12);
    wasmgen_result_free(&res);
}
END_TEST

/* A value a C result is compared with is the literal as written, at the
 * ends of 64 bits too (it was INT64_MAX for any literal above it, and
 * -INT64_MAX for -2^63: a failure C reported went unseen). */
START_TEST(glue_fails_when_64_bit_ends) {
    wasmgen_result res;
    compile_ok("module big;\ninclude \"big_lib.h\";\n"
               "u64 get() as \"uint64_t\" = lib_get fails when == 18446744073709551615;\n"
               "i64 low() as \"int64_t\" = lib_low fails when == -9223372036854775808;\n"
               "i64 mid() as \"int64_t\" = lib_mid fails when == -9223372036854775807;\n",
               &res);
    const char *c = must_have(&res, "big_glue.c");
    ck_assert_has(c, "    if (wg_r == 18446744073709551615u)\n");
    ck_assert_has(c, "    if (wg_r == (-9223372036854775807LL - 1))\n");
    ck_assert_has(c, "    if (wg_r == -9223372036854775807)\n");
    ck_assert_int_eq(count_of(c, "9223372036854775807)"), 1);
    wasmgen_result_free(&res);
}
END_TEST

/* In an expression worked out in int64_t (a computed parameter, a
 * length), -9223372036854775808 is INT64_MIN, not -INT64_MAX (sema refuses
 * a literal above INT64_MAX there). */
START_TEST(glue_checked_int64_min) {
    wasmgen_result res;
    compile_ok("module big;\ninclude \"big_lib.h\";\n"
               "void put(i64 v = -9223372036854775808 as \"int64_t\", i64 w = 1 + -9223372036854775808 as \"int64_t\")"
               " = lib_put;\n",
               &res);
    const char *c = must_have(&res, "big_glue.c");
    ck_assert_int_eq(count_of(c, "(int64_t)(-9223372036854775807LL - 1)"), 2);
    ck_assert_int_eq(count_of(c, "9223372036854775807LL)"), 0);
    wasmgen_result_free(&res);
}
END_TEST

/* The runtime's features a module's code calls are imported (and given to
 * Runtime.create) only when its code calls their methods, so that bundlers
 * drop the rest: here the codecs (structType), resources (resourceType), what
 * C returns (fresh, begin), throws (raise), a scalar's check (bad), and the
 * check of options.imports (imported). */
START_TEST(js_features) {
    wasmgen_result res;
    compile_ok("module feat;\nstruct pt { f64 x; }\npt mid(pt a);\ni32 check(bool b) throws;\n"
               "resource box { new(); }\nimport void note(string s);\n", &res);
    const char *js = must_have(&res, "feat.mjs");
    ck_assert_has(js, "import { Runtime, WasmgenError, Resource, scalars, handleFeature, codecFeature, resourceFeature, "
                      "scalarFeature, scalarCallFeature, resultFeature, throwsFeature, importFeature } "
                      "from './wasmgen-runtime.mjs';\n"
                      "export { WasmArray, WasmgenError, Resource } from './wasmgen-runtime.mjs';\n");
    ck_assert_has(js, "[handleFeature, codecFeature, resourceFeature, scalarFeature, scalarCallFeature, resultFeature, "
                      "throwsFeature, importFeature]);\n");
    ck_assert_has(js, "    build: ($rt, $u) => ($u = $rt.imported($u, ['note']), {\n");
    /* (no $T: no arrays; no $x: every export is called; $unwind: three functions) */
    ck_assert_has(js, "  const $V = scalars, $unwind = (e) => $rt.unwind(e);\n");
    /* The exports the code calls are locals; the destructor, which only the
     * runtime calls, is checked but not one of them. */
    ck_assert_has(js, "  const $required = [\n    'wg_f_mid', 'wg_f_check', 'wg_r_box_new', 'wg_r_box_drop'\n  ];\n");
    ck_assert_has(js, "  const [$wg_f_mid, $wg_f_check, $wg_r_box_new] = $required.map((e) => $rt.exports[e]);\n");
    ck_assert_lacks(js, "const $x");
    /* A throws function without a result to free: one call checks. */
    ck_assert_has(js, "        $wg_f_check($r, b ? 1 : 0);\n        $rt.raiseIf($r + ");
    wasmgen_result_free(&res);
}
END_TEST

/* A module of numbers and strings only meets no handle: no handleFeature (the
 * handles, their lifetimes, m.alloc), no WasmArray or Resource export, no
 * element types; one more parameter, an array, brings them all. */
START_TEST(js_no_handles) {
    wasmgen_result res;
    compile_ok("module lean;\nstring? greet(string name, u32 times) throws;\nf64 half(f64 x);\n", &res);
    const char *js = must_have(&res, "lean.mjs");
    ck_assert_has(js, "import { Runtime, WasmgenError, noHandleFeature, scalarFeature, scalarCallFeature, resultFeature, "
                      "throwsFeature } "
                      "from './wasmgen-runtime.mjs';\n"
                      "export { WasmgenError } from './wasmgen-runtime.mjs';\n");
    /* (noHandleFeature: m.alloc and m.from, which throw) */
    ck_assert_has(js, "[noHandleFeature, scalarFeature, scalarCallFeature, resultFeature, throwsFeature]);\n");
    ck_assert_lacks(js, "const $x");
    ck_assert_lacks(js, "const $T");
    /* Two functions: each catch calls $rt.unwind itself (a local would cost more). */
    ck_assert_has(js, "      } catch ($e) {\n        throw $rt.unwind($e);\n      }");
    ck_assert_lacks(js, "$unwind(");
    ck_assert_lacks(js, "handleFeature");
    ck_assert_lacks(js, "WasmArray");
    wasmgen_result_free(&res);
    compile_ok("module lean;\nstring? greet(string name, u32 times) throws;\nf64 half(f64 x, u8[] pad);\n", &res);
    js = must_have(&res, "lean.mjs");
    ck_assert_has(js, "export { WasmArray, WasmgenError } from './wasmgen-runtime.mjs';\n"); /* (no resources) */
    ck_assert_has(js, "[handleFeature, ");
    ck_assert_lacks(js, "noHandleFeature");
    ck_assert_has(js, "  const $T = types;\n");
    wasmgen_result_free(&res);
    /* An optional scalar's codec leans on the handles: the .mjs imports
     * them and exports WasmArray, and the .d.ts says so too. */
    compile_ok("module lean;\nf64 half(f64 x);\nf64 opt(f64? x);\n", &res);
    js = must_have(&res, "lean.mjs");
    ck_assert_has(js, "export { WasmArray, WasmgenError } from './wasmgen-runtime.mjs';\n");
    ck_assert_has(js, "handleFeature, codecFeature");
    ck_assert_has(must_have(&res, "lean.d.ts"), "\nexport declare class WasmArray<");
    wasmgen_result_free(&res);
    /* Arrays only in: no array results' feature (takeArr, ownArr); only out: no arr(). */
    compile_ok("module lean;\nf64 sum(f64[] v);\n", &res);
    js = must_have(&res, "lean.mjs");
    ck_assert_has(js, "[handleFeature, arrayFeature]);\n");
    wasmgen_result_free(&res);
    compile_ok("module lean;\nu8[] make(u32 n);\n", &res);
    js = must_have(&res, "lean.mjs");
    ck_assert_has(js, "[handleFeature, scalarFeature, arrayResultFeature]);\n");
    wasmgen_result_free(&res);
    compile_ok("module lean;\nf64 half(f64 x);\n", &res);
    ck_assert_has(must_have(&res, "lean.d.ts"), "\ndeclare class WasmArray<");
    ck_assert_lacks(must_have(&res, "lean.d.ts"), "export declare class WasmArray");
    wasmgen_result_free(&res);
}
END_TEST

START_TEST(js_methods) {
    wasmgen_result res;
    compile_ok(arrays_idl, &res);
    const char *js = must_have(&res, "arr.mjs");
    /* Numbers, strings and arrays only: no codecs; scalars' checks (bad),
     * calls of scalars only (start), arrays in (arr) and out (takeArr),
     * inout arrays (inout, back), out arrays (out, own), and results made
     * exception-safe (begin, abort). */
    ck_assert_has(js, "import { Runtime, WasmgenError, types, handleFeature, scalarFeature, scalarCallFeature, "
                      "arrayFeature, arrayResultFeature, inoutFeature, outFeature, resultFeature } "
                      "from './wasmgen-runtime.mjs';\n");
    ck_assert_has(js, ", () => import('./wasmgen-wasi.mjs'), [handleFeature, scalarFeature, scalarCallFeature, "
                      "arrayFeature, arrayResultFeature, inoutFeature, outFeature, resultFeature]);\n");
    ck_assert_has(js, "  const $T = types, $unwind = (e) => $rt.unwind(e);\n");
    ck_assert_has(js, "export async function instantiate(source, options = {}) {\n");
    ck_assert_has(js, "  const $required = [\n    'wg_f_add', 'wg_f_sum', 'wg_f_add_into', ");
    ck_assert_has(js, "  const $rt = await Runtime.create(source, options, 'arr', $required, null, ");
    ck_assert_has(js, "  const [$wg_f_add, $wg_f_sum, $wg_f_add_into, ");
    ck_assert_has(js, "\n// Names with '$' are the generated code's own");
    ck_assert_has(js, "\n    add(a, b) {\n");
    ck_assert_has(js, "\n    addInto(a, b) {\n");
    ck_assert_has(js, "\n    isAscii(text) {\n");
    ck_assert_has(js, "\n    divide(numerator, denominator) {\n");
    ck_assert_has(js, "\n    halves(n) {\n");
    ck_assert_lacks(js, "\n    add_into(");
    ck_assert_lacks(js, "\n    is_ascii(");
    /* Each function names itself once, in $f (error messages). A call
     * with temporaries or a return area starts with enter(), which checks
     * an exact argument count, gives back what finalizers left, marks the
     * temporaries and reserves the return area ($r); release() ends them.
     * A call without either starts with start(), which does the same but
     * marks nothing; its scalar checks follow. */
    ck_assert_has(js, "\n    isAscii(text) {\n      const $f = 'isAscii';\n"
                      "      $rt.enter($f, 0, arguments.length, 1);\n      try {\n");
    ck_assert_lacks(js, "'isAscii', 'text'");
    ck_assert_has(js, "\n    add(a, b) {\n      const $f = 'add';\n"
                      "      const $r = $rt.enter($f, 1, arguments.length, 2);\n      try {\n"
                      "        const a$p = ");
    ck_assert_has(js, "      } finally {\n        $rt.release();\n      }\n    },\n");
    ck_assert_lacks(js, "$rt.pop(");
    ck_assert_lacks(js, "$rt.push(");
    ck_assert_has(js, "\n    big(x, y) {\n      const $f = 'big';\n      $rt.start($f, arguments.length, 2);\n"
                      "      if (typeof x !== 'bigint'");
    ck_assert_has(js, "\n    nothing() {\n      const $f = 'nothing';\n      $rt.start($f, arguments.length, 0);\n"
                      "      try {\n");
    /* Out arrays' trailing options: opts() checks the count, then them. */
    ck_assert_has(js, "      const $o = $rt.opts($f, arguments.length, 1, arguments[1], ['lo', 'hi']);\n"
                      "      $rt.enter($f, 0);\n");
    ck_assert_lacks(js, "arityOpt");
    ck_assert_has(js, "        $wg_f_add_into(a$p, a$n, b$p, b$n, result$p);\n");
    ck_assert_has(js, "        return {\n          return: $rt.i32[$r >>> 2],\n"
                      "          remainder: $rt.i32[($r + 8) >>> 2],\n        };\n");
    ck_assert_has(js, "return $rt.takeStr($r, $f, true);");
    ck_assert_has(js, "      } catch ($e) {\n        throw $unwind($e);\n      }");
    ck_assert_lacks(js, "throw $rt.unwind(");
    ck_assert_has(js, "const lo$n = n, lo$p = $rt.out($T.f64, lo$n, $f, 'lo'");
    ck_assert_has(js, "const hi$n = 4, hi$p = $rt.out($T.u16, hi$n, $f, 'hi'");
    ck_assert_has(js, "$rt.back($T.f32, data, data$p, data$n, $f);");
    wasmgen_result_free(&res);
}
END_TEST

START_TEST(dts_types) {
    wasmgen_result res;
    compile_ok(arrays_idl, &res);
    const char *d = must_have(&res, "arr.d.ts");
    ck_assert_has(d, "export interface ArrModule extends WasmgenModule {\n");
    ck_assert_has(d, "  add(a: Float64Array | ArrayLike<number> | WasmArray<Float64Array>, "
                     "b: Float64Array | ArrayLike<number> | WasmArray<Float64Array>): WasmArray<Float64Array>;\n");
    ck_assert_has(d, "  sum(values: Float64Array | ArrayLike<number> | WasmArray<Float64Array>): number;\n");
    ck_assert_has(d, "  reverse(s: string): string;\n");
    ck_assert_has(d, "  checksum(bytes: Uint8Array | ArrayLike<number> | WasmArray<Uint8Array>): bigint;\n");
    ck_assert_has(d, "  big(x: bigint, y: bigint): bigint;\n");
    ck_assert_has(d, "  isAscii(text: string): boolean;\n");
    ck_assert_has(d, "  divide(numerator: number, denominator: number): { return: number; remainder: number; };\n");
    ck_assert_has(d, "  halves(n: number): { lo: WasmArray<Float64Array>; hi: WasmArray<Uint16Array>; };\n");
    /* Given destinations, each out array comes back as the one given. */
    ck_assert_has(d, "  halves<$lo extends Float64Array | WasmArray<Float64Array> = WasmArray<Float64Array>, "
                     "$hi extends Uint16Array | WasmArray<Uint16Array> = WasmArray<Uint16Array>>"
                     "(n: number, into: { lo?: $lo; hi?: $hi; }): { lo: $lo; hi: $hi; };\n");
    ck_assert_has(d, "  nothing(): void;\n");
    ck_assert_has(d, "  count(s: string): number;\n");
    ck_assert_has(d, "export declare function instantiate(source?: WasmSource | null, options?: InstantiateOptions): Promise<ArrModule>;\n");
    /* The runtime's declarations are included, so the file stands alone;
     * without resources, Resource is declared but not exported (as the .mjs). */
    const char *resource = strstr(wasmgen_runtime_dts, "\nexport declare class Resource {");
    ck_assert_ptr_nonnull(resource);
    char *expected = malloc(strlen(wasmgen_runtime_dts) + 1);
    ck_assert_ptr_nonnull(expected);
    size_t head = (size_t)(resource - wasmgen_runtime_dts) + 1;
    memcpy(expected, wasmgen_runtime_dts, head);
    strcpy(expected + head, resource + 1 + strlen("export "));
    ck_assert_has(d, expected);
    free(expected);
    ck_assert_has(d, "\nexport {};\n");
    wasmgen_result_free(&res);
}
END_TEST

START_TEST(js_reserved_param_names) {
    wasmgen_result res;
    compile_ok("module m;\nvoid f(i32 yield, string function, out i32 await);\n", &res);
    const char *js = must_have(&res, "m.mjs");
    ck_assert_has(js, "    f(yield_, function_) {\n");
    ck_assert_has(js, "$rt.bad('i32', yield_, $f, 'yield')");
    ck_assert_has(must_have(&res, "m.d.ts"), "  f(yield_: number, function_: string): number;\n");
    ck_assert_has(must_have(&res, "m.h"), "void m_f(int32_t yield, const char *function, size_t function_len, int32_t *await);");
    wasmgen_result_free(&res);
}
END_TEST

/* ---- Doc comments */

START_TEST(docs_in_every_output) {
    wasmgen_result res;
    compile_ok("/// The module.\nmodule m;\n/// Adds.\n/// Two lines.\ni32 add(i32 a, i32 b);\n", &res);
    ck_assert_has(must_have(&res, "m.h"), "/**\n * The module.\n */\n");
    ck_assert_has(must_have(&res, "m.h"), "/**\n * Adds.\n * Two lines.\n */\nint32_t m_add(");
    /* The module's doc and instantiate()'s are two comments. */
    ck_assert_has(must_have(&res, "m.mjs"), "/**\n * The module.\n */\n\n/**\n * Compile and instantiate the module.\n");
    ck_assert_has(must_have(&res, "m.mjs"), "    /**\n     * Adds.\n     * Two lines.\n     */\n    add(a, b) {\n");
    ck_assert_has(must_have(&res, "m.d.ts"), "/**\n * The module.\n */\nexport interface MModule");
    ck_assert_has(must_have(&res, "m.d.ts"), "  /**\n   * Adds.\n   * Two lines.\n   */\n  add(a: number, b: number): number;\n");
    wasmgen_result_free(&res);
}
END_TEST

START_TEST(doc_comment_cannot_close_early) {
    wasmgen_result res;
    compile_ok("module m;\n/// a */ b **/ c\n/// x/*y\nvoid f();\n", &res);
    const char *outs[] = {"m.h", "m.mjs", "m.d.ts"};
    for (int i = 0; i < 3; i++) {
        const char *text = must_have(&res, outs[i]);
        ck_assert_has(text, " * a * / b ** / c\n");
        ck_assert_has(text, " * x/*y\n");
        ck_assert_lacks(text, "a */ b");
        ck_assert_lacks(text, "**/ c");
    }
    wasmgen_result_free(&res);
}
END_TEST

START_TEST(empty_doc_lines) {
    wasmgen_result res;
    compile_ok("module m;\n/// one\n///\n/// three\nvoid f();\n", &res);
    ck_assert_has(must_have(&res, "m.h"), "/**\n * one\n *\n * three\n */\nvoid m_f(void);\n");
    wasmgen_result_free(&res);
}
END_TEST

/* ---- Options */

static const char *const small_idl = "module small;\ni32 one();\n";

/* Compiling small_idl with `opt` gives exactly the files of the emitters
 * in opt->emit, plus the runtime (and its WASI and unfreed-handle parts)
 * when `runtime` is set. */
static void expect_files(const wasmgen_options *opt, bool runtime) {
    wasmgen_result res;
    ck_assert_int_eq(compile_opt(small_idl, opt, &res), 0);
    ck_assert_int_eq(res.nfiles, files_of(opt->emit) + (runtime ? 3 : 0));
    for (size_t i = 0; i < emit_ntargets; i++) {
        char name[64];
        snprintf(name, sizeof name, "small%s", emit_targets[i].suffix);
        if (makes(opt->emit, i))
            ck_assert_msg(file_named(&res, name) != NULL, "no %s", name);
        else
            ck_assert_msg(file_named(&res, name) == NULL, "unexpected %s", name);
    }
    ck_assert_int_eq(file_named(&res, WASMGEN_RUNTIME_JS_NAME) != NULL, runtime);
    ck_assert_int_eq(file_named(&res, WASMGEN_RUNTIME_WASI_NAME) != NULL, runtime);
    ck_assert_int_eq(file_named(&res, WASMGEN_RUNTIME_UNFREED_NAME) != NULL, runtime);
    wasmgen_result_free(&res);
}

START_TEST(default_outputs) {
    expect_files(&all_files, true);
    wasmgen_result res;
    ck_assert_int_eq(compile_opt(small_idl, &all_files, &res), 0);
    const char *names[] = {"small.h", "small_glue.c", "small.mjs", "small.d.ts", WASMGEN_RUNTIME_JS_NAME};
    for (int i = 0; i < 5; i++)
        must_have(&res, names[i]);
    /* The runtime file: the text inline mode pastes, the codecs, then the
     * exports only a file needs. */
    const char *rt = file_named(&res, WASMGEN_RUNTIME_JS_NAME);
    size_t n = strlen(wasmgen_runtime_js), nc = strlen(wasmgen_runtime_codecs_js);
    ck_assert(strncmp(rt, wasmgen_runtime_js, n) == 0);
    ck_assert(strncmp(rt + n, wasmgen_runtime_codecs_js, nc) == 0);
    ck_assert(strcmp(rt + n + nc, wasmgen_runtime_js_exports) == 0);
    ck_assert_str_eq(file_named(&res, WASMGEN_RUNTIME_WASI_NAME), wasmgen_runtime_wasi_file);
    ck_assert_str_eq(file_named(&res, WASMGEN_RUNTIME_UNFREED_NAME), wasmgen_runtime_unfreed_file);
    /* ... which the runtime file loads from beside it. */
    ck_assert_has(rt, "import('./" WASMGEN_RUNTIME_UNFREED_NAME "')");
    wasmgen_result_free(&res);
}
END_TEST

START_TEST(emit_masks) {
    wasmgen_options o = {.emit = emit_bit("h"), .inline_runtime = false, .runtime_file = true};
    expect_files(&o, false);
    o.emit = emit_bit("c");
    expect_files(&o, false);
    o.emit = emit_bit("dts");
    expect_files(&o, false);
    o.emit = emit_bit("js");
    expect_files(&o, true);
    o.emit = emit_bit("h") | emit_bit("js");
    expect_files(&o, true);
    o.emit = emit_bit("c") | emit_bit("dts");
    expect_files(&o, false);
    o.emit = 0;
    expect_files(&o, false);
    /* The native host's two files, only when asked for by name. */
    o.emit = emit_bit("host");
    expect_files(&o, false);
    wasmgen_result res;
    ck_assert_int_eq(compile_opt(small_idl, &o, &res), 0);
    ck_assert_has(must_have(&res, "small_host.h"), "\nint small_host_new(small_host **out, const wg_host_options *options);\n");
    ck_assert_has(must_have(&res, "small_host.c"), "#include \"small.wasm2c.h\"\n");
    wasmgen_result_free(&res);
    /* Single bits, whatever the table holds. */
    for (size_t i = 0; i < emit_ntargets; i++) {
        o.emit = 1u << i;
        expect_files(&o, emit_targets[i].emit == emit_js);
    }
}
END_TEST

START_TEST(runtime_inlined) {
    wasmgen_options o = {.emit = WASMGEN_EMIT_ALL, .inline_runtime = true, .runtime_file = true};
    expect_files(&o, false);
    wasmgen_result res;
    ck_assert_int_eq(compile_opt(small_idl, &o, &res), 0);
    const char *js = must_have(&res, "small.mjs");
    /* Numbers and strings only: the runtime without the handles' parts. */
    ck_assert_lacks(js, "class WasmArray");
    ck_assert_lacks(js, wasmgen_runtime_js);
    ck_assert_has(js, wasmgen_runtime_lean_js);
    ck_assert_has(js, "// ---- The wasmgen JS runtime, inlined (--js-runtime=inline).\n");
    ck_assert_lacks(js, "from './wasmgen-runtime.mjs';\n");
    ck_assert_lacks(js, wasmgen_runtime_js_exports);
    /* Only the parts the module uses: no codecs here; WASI always (whether
     * the C uses it is known only once the module is linked). */
    ck_assert_lacks(js, wasmgen_runtime_codecs_js);
    ck_assert_has(js, wasmgen_runtime_wasi_js);
    /* No handles here: no part for unfreed handles either. */
    ck_assert_lacks(js, wasmgen_runtime_unfreed_js);
    ck_assert_lacks(js, "function loadUnfreed()");
    wasmgen_result_free(&res);
    ck_assert_int_eq(compile_opt("module s;\nstruct pt { f64 x; }\npt mid(pt a);\n", &o, &res), 0);
    js = must_have(&res, "s.mjs");
    ck_assert_has(js, wasmgen_runtime_js); /* (handles: the whole runtime) */
    ck_assert_has(js, "class WasmArray");
    ck_assert_has(js, wasmgen_runtime_codecs_js);
    /* The part for unfreed handles, pasted and loaded from here (not from a file). */
    ck_assert_has(js, wasmgen_runtime_unfreed_js);
    ck_assert_has(js, "function loadUnfreed() { return Promise.resolve({ Unfreed }); }\n");
    ck_assert_lacks(js, "import('./" WASMGEN_RUNTIME_UNFREED_NAME "')");
    wasmgen_result_free(&res);
}
END_TEST

START_TEST(runtime_none) {
    wasmgen_options o = {.emit = WASMGEN_EMIT_ALL, .inline_runtime = false, .runtime_file = false};
    expect_files(&o, false);
    wasmgen_result res;
    ck_assert_int_eq(compile_opt(small_idl, &o, &res), 0);
    ck_assert_has(must_have(&res, "small.mjs"), "from './wasmgen-runtime.mjs';\n");
    ck_assert_lacks(must_have(&res, "small.mjs"), "class WasmArray");
    wasmgen_result_free(&res);
}
END_TEST

START_TEST(runtime_file_only_with_js) {
    wasmgen_options o = {.emit = emit_bit("h") | emit_bit("dts"), .inline_runtime = false, .runtime_file = true};
    expect_files(&o, false);
}
END_TEST

START_TEST(banner_uses_base_name) {
    wasmgen_result res;
    ck_assert_int_eq(wasmgen_compile("a/b/c/thing.idl", small_idl, strlen(small_idl), &all_files, &res), 0);
    ck_assert_has(must_have(&res, "small.mjs"),
                  "// small.mjs - generated by wasmgen " WASMGEN_VERSION " from thing.idl; do not edit.\n");
    ck_assert_lacks(must_have(&res, "small.h"), "a/b/c");
    wasmgen_result_free(&res);
}
END_TEST

/* ---- Failure */

START_TEST(errors_give_no_files) {
    wasmgen_result res;
    const char *src = "module m;\nvoid f(int x);\nvoid g() $;\n";
    ck_assert_int_eq(compile_opt(src, &all_files, &res), 1);
    ck_assert_int_eq(res.nfiles, 0);
    ck_assert_int_eq(res.errors, 1); /* the lexical error stops before sema */
    ck_assert_str_eq(res.diagnostics, "dir/" TEST_FILE ":3:10: error: unexpected character '$'\n"
                                      "  void g() $;\n"
                                      "           ^\n");
    wasmgen_result_free(&res);
    ck_assert_int_eq(res.nfiles, 0);
    ck_assert_ptr_null(res.diagnostics);
}
END_TEST

/* A sink that records what it is given, and fails on the name asked. */
typedef struct Sunk {
    char names[12][64];
    size_t lens[12];
    int n;
    const char *fail_on;
} Sunk;

static int sink(void *ctx, const char *name, const char *data, size_t len) {
    Sunk *k = ctx;
    (void)data;
    snprintf(k->names[k->n], sizeof k->names[0], "%s", name);
    k->lens[k->n++] = len;
    return k->fail_on && strcmp(name, k->fail_on) == 0 ? 2 : 0;
}

START_TEST(sink_gets_each_output_and_can_stop) {
    Sunk k = {.n = 0};
    wasmgen_options o = {.emit = WASMGEN_EMIT_ALL, .runtime_file = true, .sink = sink, .sink_ctx = &k};
    wasmgen_result res;
    ck_assert_int_eq(compile_opt(arrays_idl, &o, &res), 0);
    ck_assert_int_eq(res.nfiles, 0); /* given away, not kept */
    ck_assert_int_eq(k.n, 8);
    ck_assert_str_eq(k.names[0], "arr.h");
    ck_assert_str_eq(k.names[5], "wasmgen-runtime.mjs");
    ck_assert_str_eq(k.names[6], "wasmgen-wasi.mjs");
    ck_assert_str_eq(k.names[7], "wasmgen-unfreed.mjs");
    for (int i = 0; i < k.n; i++)
        ck_assert_uint_gt(k.lens[i], 0);
    wasmgen_result_free(&res);

    Sunk stop = {.n = 0, .fail_on = "arr_glue.c"};
    o.sink_ctx = &stop;
    ck_assert_int_eq(compile_opt(arrays_idl, &o, &res), 2);
    ck_assert_int_eq(stop.n, 2); /* nothing after the failure */
    wasmgen_result_free(&res);
}
END_TEST

START_TEST(sema_errors_give_no_files) {
    wasmgen_result res;
    ck_assert_int_eq(compile_opt("module m;\nvoid f(int x, out string s);\n", &all_files, &res), 1);
    ck_assert_int_eq(res.nfiles, 0);
    ck_assert_int_eq(res.errors, 2);
    ck_assert_has(res.diagnostics, "dir/" TEST_FILE ":2:8: error: unknown type 'int'; did you mean 'i32'?\n");
    ck_assert_has(res.diagnostics, "dir/" TEST_FILE ":2:19: error: out parameters are numbers, bools, enums and numeric arrays; return the string instead");
    wasmgen_result_free(&res);
}
END_TEST

START_TEST(source_with_nul_bytes) {
    static const char src[] = "module m;\nvoid f(\0);\n";
    wasmgen_result res;
    ck_assert_int_eq(wasmgen_compile(TEST_FILE, src, sizeof src - 1, &all_files, &res), 1);
    ck_assert_int_eq(res.nfiles, 0);
    ck_assert_str_eq(res.diagnostics, TEST_FILE ":2:8: error: unexpected NUL byte\n"
                                      "  void f( );\n"
                                      "         ^\n");
    wasmgen_result_free(&res);
}
END_TEST

/* A source longer than WASMGEN_MAX_SOURCE is refused unread: `src` is the
 * 10 bytes of a module, so reading past them is an error ASan reports. */
START_TEST(source_too_large) {
    static const char src[] = "module m;\n";
    wasmgen_result res;
    ck_assert_int_eq(wasmgen_compile(TEST_FILE, src, WASMGEN_MAX_SOURCE + 1, &all_files, &res), 1);
    ck_assert_int_eq(res.nfiles, 0);
    ck_assert_str_eq(res.diagnostics, TEST_FILE ": error: too large: a source must be under 1 GiB\n");
    wasmgen_result_free(&res);
    ck_assert_int_eq(wasmgen_compile(TEST_FILE, src, (size_t)1 << 32 | 10, &all_files, &res), 1);
    ck_assert_str_eq(res.diagnostics, TEST_FILE ": error: too large: a source must be under 1 GiB\n");
    wasmgen_result_free(&res);
}
END_TEST

START_TEST(empty_module_compiles) {
    wasmgen_result res;
    compile_ok("module empty;\n", &res);
    ck_assert_has(must_have(&res, "empty.mjs"), "return $rt.finish({});\n");
    ck_assert_has(must_have(&res, "empty.d.ts"), "export interface EmptyModule extends WasmgenModule {\n}\n");
    wasmgen_result_free(&res);
}
END_TEST

/* ---- Scale */

START_TEST(ten_thousand_functions) {
    enum { N = 10000 };
    Buf src = {0};
    buf_puts(&src, "module big;\n");
    for (int i = 0; i < N; i++)
        buf_printf(&src, "i32 fn_%d(i32 x_%d, f64[] a);\n", i, i);
    wasmgen_result res;
    int rc = wasmgen_compile(TEST_FILE, src.data, src.len, &all_files, &res);
    ck_assert_msg(rc == 0, "%.2000s", res.diagnostics);
    ck_assert_int_eq(res.nfiles, files_of(WASMGEN_EMIT_ALL) + 3);
    const char *h = must_have(&res, "big.h");
    ck_assert_int_eq(count_of(h, "\nint32_t big_fn_"), N);
    ck_assert_has(h, "\nint32_t big_fn_9999(int32_t x_9999, const double *a, size_t a_len);\n");
    ck_assert_int_eq(count_of(must_have(&res, "big_glue.c"), "WG_EXPORT("), N);
    ck_assert_has(must_have(&res, "big.mjs"), "\n    fn_9999(x_9999, a) {\n");
    ck_assert_has(must_have(&res, "big.d.ts"), "  fn_0(x_0: number, a: ");
    wasmgen_result_free(&res);
    buf_free(&src);
}
END_TEST

START_TEST(ten_thousand_functions_one_duplicate) {
    enum { N = 10000 };
    Buf src = {0};
    buf_puts(&src, "module big;\n");
    for (int i = 0; i < N; i++)
        buf_printf(&src, "void f%d();\n", i);
    buf_puts(&src, "void f1234();\nvoid f_5();\nvoid f5();\n");
    wasmgen_result res;
    ck_assert_int_eq(wasmgen_compile(TEST_FILE, src.data, src.len, &all_files, &res), 1);
    ck_assert_int_eq(res.nfiles, 0);
    ck_assert_int_eq(res.errors, 2);
    ck_assert_has(res.diagnostics, TEST_FILE ":10002:6: error: function 'f1234' is already declared on line 1236\n");
    ck_assert_has(res.diagnostics, TEST_FILE ":10004:6: error: function 'f5' is already declared on line 7\n");
    wasmgen_result_free(&res);
    buf_free(&src);
}
END_TEST

/* 20,000 structs declared in reverse, each holding the next by value: the
 * header defines each after the one it holds, the glue pins the last one's
 * size, and a 100,000-field struct lays out with the last offset right. */
START_TEST(deep_and_wide_structs) {
    enum { N = 20000, F = 100000 };
    Buf src = {0};
    buf_puts(&src, "module deep;\n");
    for (int i = N - 1; i > 0; i--)
        buf_printf(&src, "struct s%d { s%d inner; i32 x; }\n", i, i - 1);
    buf_puts(&src, "struct s0 { i32 x; }\nvoid f(s19999 v);\nstruct wide {\n");
    for (int i = 0; i < F; i++)
        buf_printf(&src, "  u8 f%d;\n", i);
    buf_puts(&src, "  f64 last;\n}\nwide g();\n");
    wasmgen_result res;
    int rc = wasmgen_compile(TEST_FILE, src.data, src.len, &all_files, &res);
    ck_assert_msg(rc == 0, "%.2000s", res.diagnostics);
    const char *h = must_have(&res, "deep.h");
    const char *s0 = strstr(h, "\nstruct deep_s0 {"), *s1 = strstr(h, "\nstruct deep_s1 {");
    const char *last = strstr(h, "\nstruct deep_s19999 {");
    ck_assert(s0 && s1 && last && s0 < s1 && s1 < last);
    const char *glue = must_have(&res, "deep_glue.c");
    /* s_i holds s_(i-1) and an i32: 4 * (i + 1) bytes. */
    ck_assert_has(glue, "_Static_assert(sizeof(deep_s19999) == 80000 && _Alignof(deep_s19999) == 4,");
    ck_assert_has(glue, "_Static_assert(offsetof(deep_wide, last) == 100000, \"wide.last\");");
    ck_assert_has(glue, "_Static_assert(sizeof(deep_wide) == 100008 && _Alignof(deep_wide) == 8,");
    wasmgen_result_free(&res);
    buf_free(&src);
}
END_TEST

/* A thousand structs, each in lists, optional and both: every codec the JS
 * declares, once each, past any fixed size of the table that dedupes them. */
START_TEST(a_thousand_codecs) {
    enum { N = 1000 };
    Buf src = {0};
    buf_puts(&src, "module many;\n");
    for (int i = 0; i < N; i++)
        buf_printf(&src, "struct s%d { u8 x; }\nvoid f%d(s%d[] a, s%d? b, s%d[]? c);\ns%d[] g%d(s%d[] again);\n",
                   i, i, i, i, i, i, i, i);
    wasmgen_result res;
    int rc = wasmgen_compile(TEST_FILE, src.data, src.len, &all_files, &res);
    ck_assert_msg(rc == 0, "%.2000s", res.diagnostics);
    const char *js = must_have(&res, "many.mjs");
    ck_assert_int_eq(count_of(js, "\n  const $L_s"), N);
    ck_assert_int_eq(count_of(js, "\n  const $SO_s"), N);
    ck_assert_int_eq(count_of(js, "\n  const $LO_s"), N);
    ck_assert_int_eq(count_of(js, "\n  const $L_s999 = "), 1);
    ck_assert_int_eq(count_of(js, "\n  const $LO_s0 = "), 1);
    /* Each struct used in a list has its _array type in the header. */
    ck_assert_int_eq(count_of(must_have(&res, "many.h"), "\ntypedef struct many_s"), 2 * N);
    ck_assert_has(must_have(&res, "many.h"), "typedef struct many_s999_array { many_s999 *ptr; size_t len; }");
    wasmgen_result_free(&res);
    buf_free(&src);
}
END_TEST

/* package.json's default name: the module's, lowercased, without the
 * leading underscores an npm name cannot start with. */
START_TEST(package_name_from_module) {
    wasmgen_options opt = all_files;
    opt.package = true;
    wasmgen_result res;
    const char *src = "module _My_Lib;\nvoid f();\n";
    ck_assert_int_eq(wasmgen_compile(TEST_FILE, src, strlen(src), &opt, &res), 0);
    ck_assert_has(must_have(&res, "package.json"), "\"name\": \"my_lib\"");
    wasmgen_result_free(&res);
}
END_TEST

static Suite *emit_suite(void) {
    Suite *s = suite_create("emit");
    TCase *tc = tcase_create("outputs");
    tcase_add_test(tc, buf_insert_places_bytes);
    tcase_add_test(tc, header_prototypes);
    tcase_add_test(tc, glue_exports_and_slots);
    tcase_add_test(tc, js_methods);
    tcase_add_test(tc, js_features);
    tcase_add_test(tc, js_no_handles);
    tcase_add_test(tc, glue_fails_when_64_bit_ends);
    tcase_add_test(tc, glue_checked_int64_min);
    tcase_add_test(tc, dts_types);
    tcase_add_test(tc, js_reserved_param_names);
    tcase_add_test(tc, empty_module_compiles);
    suite_add_tcase(s, tc);

    tc = tcase_create("docs");
    tcase_add_test(tc, docs_in_every_output);
    tcase_add_test(tc, doc_comment_cannot_close_early);
    tcase_add_test(tc, empty_doc_lines);
    suite_add_tcase(s, tc);

    tc = tcase_create("options");
    tcase_add_test(tc, default_outputs);
    tcase_add_test(tc, emit_masks);
    tcase_add_test(tc, runtime_inlined);
    tcase_add_test(tc, runtime_none);
    tcase_add_test(tc, runtime_file_only_with_js);
    tcase_add_test(tc, banner_uses_base_name);
    tcase_add_test(tc, package_name_from_module);
    suite_add_tcase(s, tc);

    tc = tcase_create("failure");
    tcase_add_test(tc, errors_give_no_files);
    tcase_add_test(tc, sema_errors_give_no_files);
    tcase_add_test(tc, sink_gets_each_output_and_can_stop);
    tcase_add_test(tc, source_with_nul_bytes);
    tcase_add_test(tc, source_too_large);
    suite_add_tcase(s, tc);

    tc = tcase_create("scale");
    tcase_set_timeout(tc, 30);
    tcase_add_test(tc, ten_thousand_functions);
    tcase_add_test(tc, ten_thousand_functions_one_duplicate);
    tcase_add_test(tc, deep_and_wide_structs);
    tcase_add_test(tc, a_thousand_codecs);
    suite_add_tcase(s, tc);
    return s;
}

int main(void) {
    Suite *suites[] = {emit_suite()};
    return run_suites(suites, 1);
}
