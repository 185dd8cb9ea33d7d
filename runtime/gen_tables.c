/*
 * gen_tables.c - print the runtimes' copies of the compiler's tables, so
 * that each is written once: compiler/types.def (the scalar types) and
 * compiler/runtime.def (the shared numbers and the module object's members).
 * A build tool, run on the build machine:
 *
 *   gen_tables wasmgen_tables.h     the C runtime's type lists and numbers
 *                                   (included by wasmgen.h, installed)
 *   gen_tables wasmgen_host_tables.h the native host's scalar conversions
 *                                   (included by wasmgen-host-glue.h, installed)
 *   gen_tables tables.mjs           the JS runtime's part with the same
 *   gen_tables element-types.d.ts   ElementType and ElementArrays
 *   gen_tables typed-arrays.d.ts    AnyTypedArray
 *   gen_tables runtime-members.d.ts the members of WasmgenRuntime
 *   gen_tables module-members.d.ts  the members WasmgenModule adds
 *
 * The JS runtime derives everything else from a type's row: its range from
 * kind, size and signedness, its DataView accessors, its checks and error
 * messages (runtime/js/types.mjs). Signedness is the glue C type's: the
 * stdint names say it (uintN_t is unsigned).
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct Scalar {
    const char *idl, *c, *kind, *typed_array, *glue, *wasm;
    unsigned size;
} Scalar;

static const Scalar scalars[] = {
#define X(id, idl, c, size, kind, ta, wasm, glue, chk, to, from, ts) {idl, c, #kind, ta, glue, wasm, size},
#include "types.def"
#undef X
};
#define NSCALARS (sizeof scalars / sizeof scalars[0])

typedef struct Number {
    const char *c, *js, *doc;
    long value;
} Number;

typedef struct Member {
    const char *name, *kind, *ts;
    const char *const *doc; /* lines, NULL-terminated */
} Member;

#define K(c, js, value, doc) {#c, #js, doc, value},
#define M(name, kind, ts, ...)
static const Number numbers[] = {
#include "runtime.def"
};
#undef K
#undef M
#define K(c, js, value, doc)
#define M(name, kind, ts, ...) {#name, #kind, ts, (const char *const[]){__VA_ARGS__, NULL}},
static const Member members[] = {
#include "runtime.def"
};
#undef K
#undef M
#define NNUMBERS (sizeof numbers / sizeof numbers[0])
#define NMEMBERS (sizeof members / sizeof members[0])

static bool is_signed(const Scalar *s) { return strncmp(s->glue, "uint", 4) != 0; }

/* The JS typed arrays and their BYTES_PER_ELEMENT: a row of types.def that
 * names one must give its size (checked here, at build time, rather than by
 * the JS runtime at every load). */
static const struct {
    const char *name;
    unsigned size;
} TYPED_ARRAYS[] = {
    {"Int8Array", 1},     {"Uint8Array", 1},     {"Int16Array", 2},     {"Uint16Array", 2},
    {"Int32Array", 4},    {"Uint32Array", 4},    {"BigInt64Array", 8}, {"BigUint64Array", 8},
    {"Float32Array", 4},  {"Float64Array", 8},
};

/* The kinds of scalar types (the compiler's ScalarKind, in its order): in
 * tables.mjs, constants the rows name (Numbers: a minifier inlines them). */
static const char *const KINDS[] = {"BOOL", "INT", "BIG", "INT53", "FLOAT"};
#define NKINDS (sizeof KINDS / sizeof KINDS[0])

static bool kinds_known(void) {
    bool ok = true;
    for (size_t i = 0; i < NSCALARS; i++) {
        size_t k = 0;
        while (k < NKINDS && strcmp(KINDS[k], scalars[i].kind) != 0)
            k++;
        if (k == NKINDS) {
            fprintf(stderr, "gen_tables: compiler/types.def gives %s the kind %s, which is not one of ScalarKind's\n",
                    scalars[i].idl, scalars[i].kind);
            ok = false;
        }
    }
    return ok;
}

static bool typed_arrays_agree(void) {
    bool ok = true;
    for (size_t i = 0; i < NSCALARS; i++) {
        const Scalar *s = &scalars[i];
        if (!s->typed_array)
            continue;
        size_t k = 0, n = sizeof TYPED_ARRAYS / sizeof TYPED_ARRAYS[0];
        while (k < n && strcmp(TYPED_ARRAYS[k].name, s->typed_array) != 0)
            k++;
        if (k == n || TYPED_ARRAYS[k].size != s->size) {
            fprintf(stderr, "gen_tables: compiler/types.def gives %s %u bytes but %s%s\n", s->idl, s->size,
                    s->typed_array, k == n ? ", which is not a JS typed array" : ", whose elements are not that size");
            ok = false;
        }
    }
    return ok;
}

/* ---- Lists wrapped at 100 columns. */

typedef struct Wrap {
    const char *prefix; /* of every line */
    size_t col;
    bool fresh;
} Wrap;

static void wrap_item(Wrap *w, const char *sep, const char *item) {
    size_t need = strlen(sep) + strlen(item);
    if (!w->fresh && w->col + need > 100) {
        printf("\n%s", w->prefix);
        w->col = strlen(w->prefix);
        w->fresh = true;
    }
    if (w->fresh) {
        printf("%s", item);
        w->col += strlen(item);
    } else {
        printf("%s%s", sep, item);
        w->col += need;
    }
    w->fresh = false;
}

static void wrap_start(Wrap *w, const char *prefix) {
    w->prefix = prefix;
    w->col = strlen(prefix);
    w->fresh = true;
    printf("%s", prefix);
}

/* Prose wrapped at 80 columns: `first` opens it, `next` starts each further line. */
static void prose(const char *first, const char *next, const char *text, const char *end) {
    size_t col = strlen(first);
    bool start = true;
    printf("%s", first);
    for (const char *p = text; *p;) {
        size_t n = strcspn(p, " ");
        if (!start && col + 1 + n > 80) {
            printf("\n%s", next);
            col = strlen(next);
            start = true;
        }
        printf("%s%.*s", start ? "" : " ", (int)n, p);
        col += n + !start;
        start = false;
        p += n;
        p += strspn(p, " ");
    }
    printf("%s", end);
}

/* ---- The outputs. */

static void banner(const char *first, const char *next, const char *name) {
    printf("%s%s - generated from compiler/types.def and compiler/runtime.def\n"
           "%sby runtime/gen_tables.c; do not edit.\n",
           first, name, next);
}

static void c_header(void) {
    banner("/* ", " * ", "wasmgen_tables.h");
    printf(" * Included by wasmgen.h. */\n"
           "#ifndef WASMGEN_TABLES_H\n"
           "#define WASMGEN_TABLES_H\n");
    for (size_t i = 0; i < NNUMBERS; i++) {
        prose("\n/* ", " * ", numbers[i].doc, " */\n");
        printf("#define %s %ld\n", numbers[i].c, numbers[i].value);
    }
    printf("\n/* The element types of arrays: X(IDL name, C type). */\n#define WG_ARRAY_TYPES(X)");
    for (size_t i = 0; i < NSCALARS; i++)
        if (scalars[i].typed_array)
            printf(" \\\n    X(%s, %s)", scalars[i].idl, scalars[i].c);
    printf("\n\n/* The scalar types, each of which may be optional (T?): X(IDL name, C type). */\n"
           "#define WG_OPT_TYPES(X)");
    for (size_t i = 0; i < NSCALARS; i++)
        printf(" \\\n    X(%s, %s)", scalars[i].idl, scalars[i].c);
    printf("\n\n#endif\n");
}

/* The native host's conversions of every scalar type, which generated
 * NAME_host.c names in its templates (compiler/abi.def's host columns):
 * FROM, a wasm2c value the module gave, as the host's C type (bools
 * normalised, i53 checked); TO, the host's value as wasm2c's; LOAD and
 * STORE, the value in linear memory at its own size (struct fields, optional
 * scalars). `w` names the value in messages. */
static void host_header(void) {
    banner("/* ", " * ", "wasmgen_host_tables.h");
    printf(" * Included by wasmgen-host-glue.h. */\n"
           "#ifndef WASMGEN_HOST_TABLES_H\n"
           "#define WASMGEN_HOST_TABLES_H\n\n"
           "/* Scalars between the host's C types and wasm2c's values: FROM a value the\n"
           " * module gave, TO the module, LOAD and STORE in linear memory (checked). */\n");
    for (size_t i = 0; i < NSCALARS; i++) {
        const Scalar *s = &scalars[i];
        const char *y = s->idl;
        bool fl = strcmp(s->kind, "FLOAT") == 0;
        bool wide = strcmp(s->wasm, "i64") == 0 || strcmp(s->wasm, "f64") == 0;
        const char *w = wide ? (fl ? "f64" : "u64") : (fl ? "f32" : "u32"); /* wasm2c's type */
        const char *mem = fl ? (s->size == 8 ? "f64" : "f32")
                          : s->size == 1 ? "u8" : s->size == 2 ? "u16" : s->size == 4 ? "u32" : "u64";
        if (strcmp(s->kind, "BOOL") == 0) {
            printf("#define WG_HOST_FROM_%s(sb, v, w) ((v) != 0)\n", y);
            printf("#define WG_HOST_TO_%s(sb, v, w) ((v) ? 1u : 0u)\n", y);
            printf("#define WG_HOST_LOAD_%s(sb, a, w) (wg_host_ld_%s((sb), (a)) != 0)\n", y, mem);
            printf("#define WG_HOST_STORE_%s(sb, a, v, w) wg_host_st_%s((sb), (a), (v) ? 1 : 0)\n", y, mem);
        } else if (strcmp(s->kind, "INT53") == 0) {
            printf("#define WG_HOST_FROM_%s(sb, v, w) wg_host_i53((sb), (int64_t)(v), (w))\n", y);
            printf("#define WG_HOST_TO_%s(sb, v, w) ((%s)wg_host_i53_arg((sb), (v), (w)))\n", y, w);
            printf("#define WG_HOST_LOAD_%s(sb, a, w) wg_host_i53((sb), (int64_t)wg_host_ld_%s((sb), (a)), (w))\n", y,
                   mem);
            printf("#define WG_HOST_STORE_%s(sb, a, v, w) wg_host_st_%s((sb), (a), (uint64_t)wg_host_i53_arg((sb), (v), (w)))\n",
                   y, mem);
        } else {
            printf("#define WG_HOST_FROM_%s(sb, v, w) ((%s)(%s)(v))\n", y, s->c, s->glue);
            printf("#define WG_HOST_TO_%s(sb, v, w) ((%s)(%s)(v))\n", y, w, s->glue);
            printf("#define WG_HOST_LOAD_%s(sb, a, w) ((%s)wg_host_ld_%s((sb), (a)))\n", y, s->c, mem);
            if (fl)
                printf("#define WG_HOST_STORE_%s(sb, a, v, w) wg_host_st_%s((sb), (a), (v))\n", y, mem);
            else
                printf("#define WG_HOST_STORE_%s(sb, a, v, w) wg_host_st_%s((sb), (a), (uint%u_t)(v))\n", y, mem,
                       8 * s->size);
        }
    }
    printf("\n#endif\n");
}

/* The values scalar type `s` holds, as JS literals: its [min, max] into
 * `min` and `max` (BigInts for BIG; null for BOOL), computed here once
 * rather than by the runtime at every load. */
static void js_limits(const Scalar *s, char *min, char *max, size_t n) {
    unsigned bits = 8 * s->size;
    bool big = strcmp(s->kind, "BIG") == 0;
    unsigned value_bits = is_signed(s) ? bits - 1 : bits;
    if (big) { /* as powers of two: shorter than their digits (a minifier folds Numbers, not BigInts) */
        if (is_signed(s))
            snprintf(min, n, "-(2n ** %un)", value_bits);
        else
            snprintf(min, n, "0n");
        snprintf(max, n, "2n ** %un - 1n", value_bits);
    } else if (strcmp(s->kind, "INT") == 0) {
        unsigned long long top = is_signed(s) ? 1ull << value_bits : 0; /* -min */
        snprintf(min, n, "%s%llu", top ? "-" : "", top);
        snprintf(max, n, "%llu", (1ull << value_bits) - 1);
    } else if (strcmp(s->kind, "INT53") == 0) {
        snprintf(min, n, "-%llu", (1ull << 53) - 1);
        snprintf(max, n, "%llu", (1ull << 53) - 1);
    } else if (strcmp(s->kind, "FLOAT") == 0) {
        snprintf(min, n, "-Infinity");
        snprintf(max, n, "Infinity");
    } else {
        snprintf(min, n, "null");
        snprintf(max, n, "null");
    }
}

static void js_tables(void) {
    printf("\n");
    banner("// ==== ", "// ", "tables.mjs");
    printf("\n/** The kinds of scalar types (a type's `kind`): see compiler/types.def. */\n");
    for (size_t k = 0; k < NKINDS; k++)
        printf("export const %s = %zu;\n", KINDS[k], k);
    printf("\n/**\n"
           " * The scalar types, in the order of compiler/types.def: the IDL name, kind\n"
           " * (BOOL, INT, BIG, INT53, FLOAT), size in bytes, the typed array of arrays\n"
           " * of the type (null: no arrays of it), the least and the most value it\n"
           " * holds (BigInts for BIG; null for BOOL; signed: min < 0). (Rows of values, made\n"
           " * objects once: shorter, minified, than object literals.)\n"
           " */\n"
           "export const SCALAR_TYPES = /* @__PURE__ */ [\n");
    for (size_t i = 0; i < NSCALARS; i++) {
        const Scalar *s = &scalars[i];
        char min[32], max[32];
        js_limits(s, min, max, sizeof min);
        printf("  ['%s', %s, %u, %s, %s, %s],\n", s->idl, s->kind, s->size, s->typed_array ? s->typed_array : "null",
               min, max);
    }
    printf("].map(([name, kind, size, Array, min, max]) => ({ name, kind, size, Array, min, max }));\n\n");
    /* The element types' names alone: a module without handles names them
     * (its m.alloc.TYPE throw) without the table above. */
    printf("/** The element types of arrays (the types with a typed array), by name. */\n"
           "export const ELEMENT_NAMES = '");
    for (size_t i = 0, n = 0; i < NSCALARS; i++)
        if (scalars[i].typed_array)
            printf("%s%s", n++ ? " " : "", scalars[i].idl);
    printf("';\n\n"
           "/** The kinds of members of a module object: a method, a value or the runtime itself (see MEMBERS). */\n");
    static const char *const kinds[] = {"METHOD", "VALUE", "SELF"}; /* (Numbers: a minifier inlines them) */
    for (size_t k = 0; k < sizeof kinds / sizeof kinds[0]; k++)
        printf("export const %s_MEMBER = %zu;\n", kinds[k], k);
    printf("/** The members of every module object besides its functions, in order (see Runtime.finish). */\n"
           "export const MEMBERS = {\n");
    for (size_t i = 0; i < NMEMBERS; i++)
        printf("  %s: %s_MEMBER,\n", members[i].name, members[i].kind);
    printf("};\n");
    for (size_t i = 0; i < NNUMBERS; i++) {
        char doc[512];
        snprintf(doc, sizeof doc, "%s (%s in C)", numbers[i].doc, numbers[i].c);
        prose("\n/** ", " * ", doc, " */\n");
        printf("export const %s = %ld;\n", numbers[i].js, numbers[i].value);
    }
}

static void element_types(void) {
    Wrap w;
    printf("/** Element type names of arrays. */\nexport type ElementType =\n");
    wrap_start(&w, "  | ");
    for (size_t i = 0; i < NSCALARS; i++) {
        if (!scalars[i].typed_array)
            continue;
        char item[64];
        snprintf(item, sizeof item, "'%s'", scalars[i].idl);
        wrap_item(&w, " | ", item);
    }
    printf(";\n\n/** The typed array of each element type. */\nexport interface ElementArrays {\n");
    wrap_start(&w, "  ");
    for (size_t i = 0; i < NSCALARS; i++) {
        if (!scalars[i].typed_array)
            continue;
        char item[128];
        snprintf(item, sizeof item, "%s: %s;", scalars[i].idl, scalars[i].typed_array);
        wrap_item(&w, " ", item);
    }
    printf("\n}\n");
}

static void typed_arrays(void) {
    Wrap w;
    printf("/** Any typed array of an element type. */\nexport type AnyTypedArray =\n");
    wrap_start(&w, "  | ");
    for (size_t i = 0; i < NSCALARS; i++) {
        const char *ta = scalars[i].typed_array;
        bool seen = false;
        for (size_t j = 0; j < i && ta && !seen; j++)
            seen = scalars[j].typed_array && strcmp(scalars[j].typed_array, ta) == 0;
        if (ta && !seen)
            wrap_item(&w, " | ", ta);
    }
    printf(";\n");
}

static void member_decls(bool self) {
    for (size_t i = 0; i < NMEMBERS; i++) {
        const Member *m = &members[i];
        if ((strcmp(m->kind, "SELF") == 0) != self)
            continue;
        if (m->doc[1] == NULL) {
            printf("  /** %s */\n", m->doc[0]);
        } else {
            printf("  /**\n");
            for (const char *const *d = m->doc; *d; d++)
                printf("   * %s\n", *d);
            printf("   */\n");
        }
        printf("  %s\n", m->ts);
    }
}

int main(int argc, char **argv) {
    const char *what = argc == 2 ? argv[1] : "";
    if (!typed_arrays_agree() || !kinds_known())
        return 1;
    if (strcmp(what, "wasmgen_tables.h") == 0)
        c_header();
    else if (strcmp(what, "wasmgen_host_tables.h") == 0)
        host_header();
    else if (strcmp(what, "tables.mjs") == 0)
        js_tables();
    else if (strcmp(what, "element-types.d.ts") == 0)
        element_types();
    else if (strcmp(what, "typed-arrays.d.ts") == 0)
        typed_arrays();
    else if (strcmp(what, "runtime-members.d.ts") == 0)
        member_decls(false);
    else if (strcmp(what, "module-members.d.ts") == 0)
        member_decls(true);
    else {
        fprintf(stderr, "usage: gen_tables wasmgen_tables.h | wasmgen_host_tables.h | tables.mjs | element-types.d.ts | "
                        "typed-arrays.d.ts | runtime-members.d.ts | module-members.d.ts\n");
        return 2;
    }
    return fflush(stdout) == 0 && !ferror(stdout) ? 0 : 1;
}
