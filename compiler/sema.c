/*
 * sema.c - the rules of the IDL: types resolved, names and forms checked,
 * struct layouts computed, every error reported at its place. What crosses
 * wasm is decided afterwards, by lower.c.
 */
#include "sema.h"

#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* Reserved words of C and C++ (the header is included from both), and the
 * names the header itself uses. A parameter may not be called one of these. */
static const char *const c_reserved[] = {
    "auto", "break", "case", "char", "const", "continue", "default", "do", "double", "else",
    "enum", "extern", "float", "for", "goto", "if", "inline", "int", "long", "register",
    "restrict", "return", "short", "signed", "sizeof", "static", "struct", "switch", "typedef",
    "union", "unsigned", "void", "volatile", "while", "_Alignas", "_Alignof", "_Atomic",
    "_Bool", "_Complex", "_Generic", "_Imaginary", "_Noreturn", "_Static_assert",
    "_Thread_local", "bool", "true", "false", "NULL", "size_t", "int8_t", "uint8_t",
    "int16_t", "uint16_t", "int32_t", "uint32_t", "int64_t", "uint64_t",
    /* C++ */
    "alignas", "alignof", "and", "and_eq", "asm", "bitand", "bitor", "catch", "char8_t",
    "char16_t", "char32_t", "class", "compl", "concept", "consteval", "constexpr", "constinit",
    "const_cast", "co_await", "co_return", "co_yield", "decltype", "delete", "dynamic_cast",
    "explicit", "export", "friend", "mutable", "namespace", "new", "noexcept", "not",
    "not_eq", "nullptr", "operator", "or", "or_eq", "private", "protected", "public",
    "reinterpret_cast", "requires", "static_assert", "static_cast", "template", "this",
    "thread_local", "throw", "try", "typeid", "typename", "using", "virtual", "wchar_t", "xor",
    "xor_eq", NULL};

/* Words JavaScript does not allow as a parameter name in a module. Arguments
 * with these names get a trailing '_' in the generated JS and .d.ts. */
static const char *const js_reserved[] = {
    "await", "break", "case", "catch", "class", "const", "continue", "debugger", "default",
    "delete", "do", "else", "enum", "export", "extends", "false", "finally", "for",
    "function", "if", "implements", "import", "in", "instanceof", "interface", "let", "new",
    "null", "package", "private", "protected", "public", "return", "static", "super",
    "switch", "this", "throw", "true", "try", "typeof", "var", "void", "while", "with",
    "yield", "arguments", "eval", "undefined", "NaN", "Infinity",
    /* globals the generated function bodies use */
    "BigInt", "Number", NULL};

/* Members of the module object besides the functions (runtime.def, which
 * the JS runtime and its .d.ts are generated from). A function may take one
 * of these names (it wins; the member stays reachable as m.runtime.NAME),
 * except "runtime" itself. */
static const char *const runtime_members[] = {
#define K(c, js, value, doc)
#define M(name, kind, ts, ...) #name,
#include "runtime.def"
#undef K
#undef M
    NULL};

/* Macros of the standard headers the generated header includes (wasmgen.h:
 * <stdbool.h>, <stddef.h>, <stdint.h>, <stdlib.h>, <string.h>), as
 * wasi-libc defines them. A parameter or field is a bare C name, so one
 * named like these would be replaced by the preprocessor. */
static const char *const c_macros[] = {
    "EXIT_FAILURE", "EXIT_SUCCESS", "INT16_C", "INT16_MAX", "INT16_MIN", "INT32_C", "INT32_MAX",
    "INT32_MIN", "INT64_C", "INT64_MAX", "INT64_MIN", "INT8_C", "INT8_MAX", "INT8_MIN", "INTMAX_C",
    "INTMAX_MAX", "INTMAX_MIN", "INTPTR_MAX", "INTPTR_MIN", "INT_FAST16_MAX", "INT_FAST16_MIN",
    "INT_FAST32_MAX", "INT_FAST32_MIN", "INT_FAST64_MAX", "INT_FAST64_MIN", "INT_FAST8_MAX",
    "INT_FAST8_MIN", "INT_LEAST16_MAX", "INT_LEAST16_MIN", "INT_LEAST32_MAX", "INT_LEAST32_MIN",
    "INT_LEAST64_MAX", "INT_LEAST64_MIN", "INT_LEAST8_MAX", "INT_LEAST8_MIN", "MB_CUR_MAX",
    "PTRDIFF_MAX", "PTRDIFF_MIN", "RAND_MAX", "SIG_ATOMIC_MAX", "SIG_ATOMIC_MIN", "SIZE_MAX",
    "UINT16_C", "UINT16_MAX", "UINT32_C", "UINT32_MAX", "UINT64_C", "UINT64_MAX", "UINT8_C",
    "UINT8_MAX", "UINTMAX_C", "UINTMAX_MAX", "UINTPTR_MAX", "UINT_FAST16_MAX", "UINT_FAST32_MAX",
    "UINT_FAST64_MAX", "UINT_FAST8_MAX", "UINT_LEAST16_MAX", "UINT_LEAST32_MAX", "UINT_LEAST64_MAX",
    "UINT_LEAST8_MAX", "WCHAR_MAX", "WCHAR_MIN", "WINT_MAX", "WINT_MIN", "alloca", "offsetof",
    /* (NULL, bool, true and false are among the reserved words above) */
    /* wasmgen.h's own */
    "WASMGEN_H", "WASMGEN_RUNTIME_VERSION", NULL};

/* Names at the top level of the .d.ts that are not the module's own types:
 * the runtime's declarations (runtime/wasmgen-runtime.d.ts), the global
 * types and values they and the generated declarations refer to, and those
 * the generated JS uses inside a resource class (TypeError). A struct, enum
 * or resource whose TypeScript name is one of these would replace it. */
static const char *const ts_taken[] = {
    /* the runtime's */
    "AnyTypedArray", "ElementArrays", "ElementType", "InstantiateOptions", "Resource", "WasmArray",
    "WasmSource", "WasmgenAlloc", "WasmgenError", "WasmgenLeak", "WasmgenModule", "WasmgenRuntime",
    "WasmgenStats",
    /* globals */
    "ArrayLike", "BigInt64Array", "BigUint64Array", "BufferSource", "Error", "Float32Array",
    "Float64Array", "Int16Array", "Int32Array", "Int8Array", "Iterable", "Iterator", "Omit",
    "Promise", "PromiseLike", "Record", "Response", "Symbol", "TypeError", "Uint16Array",
    "Uint32Array", "Uint8Array", "Uint8ClampedArray", "WebAssembly", NULL};

static bool in_list(const char *const *list, const char *s) {
    for (; *list; list++)
        if (strcmp(*list, s) == 0)
            return true;
    return false;
}

static size_t hash(const char *s) {
    size_t h = 1469598103934665603u;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211u;
    return h;
}

/* The reserved words again, in a hash set made once: checking every name
 * against them linearly was a quarter of the compiler's time on large
 * inputs, and a binary search still a few percent. */
enum { WORD_SLOTS = 512 }; /* a power of two, over twice the words of a set */
typedef struct WordSet {
    const char *slots[WORD_SLOTS];
    bool made;
} WordSet;

static void words_add(WordSet *set, const char *const *list) {
    for (; *list; list++) {
        size_t i = hash(*list) & (WORD_SLOTS - 1);
        while (set->slots[i])
            i = (i + 1) & (WORD_SLOTS - 1);
        set->slots[i] = *list;
    }
}

static bool words_has(const WordSet *set, const char *s) {
    for (size_t i = hash(s) & (WORD_SLOTS - 1); set->slots[i]; i = (i + 1) & (WORD_SLOTS - 1))
        if (strcmp(set->slots[i], s) == 0)
            return true;
    return false;
}

static bool is_js_reserved(const char *s) {
    static WordSet set;
    if (!set.made) {
        words_add(&set, js_reserved);
        set.made = true;
    }
    return words_has(&set, s);
}

/* A C reserved word or a macro of the included headers: one search. */
static bool is_c_taken(const char *s) {
    static WordSet set;
    if (!set.made) {
        words_add(&set, c_reserved);
        words_add(&set, c_macros);
        set.made = true;
    }
    return words_has(&set, s);
}

bool sema_is_runtime_member(const char *js_name) {
    static WordSet set;
    if (!set.made) {
        words_add(&set, runtime_members);
        set.made = true;
    }
    return words_has(&set, js_name);
}

/* A name without an underscore to fold is its own camelCase: no copy. */
const char *sema_camel(Arena *arena, const char *name) {
    const char *u = strchr(name, '_');
    if (!u)
        return name;
    size_t n = strlen(name);
    char *out = arena_alloc(arena, n + 1);
    size_t o = (size_t)(u - name);
    memcpy(out, name, o);
    for (size_t i = o; i < n; i++) {
        if (name[i] == '_' && o > 0 && isalnum((unsigned char)out[o - 1]) && i + 1 < n &&
            islower((unsigned char)name[i + 1])) {
            out[o++] = (char)toupper((unsigned char)name[++i]);
            continue;
        }
        out[o++] = name[i];
    }
    out[o] = '\0';
    return out;
}

/* ---- A small open-addressing table of names, so that checking stays
 * linear in the number of functions. */
typedef struct Declared {
    const char *name; /* as declared */
    void *node;       /* what it names, where the table resolves names */
    Loc loc;
    TypeKind kind;    /* ... and what that is */
} Declared;

typedef struct NameTable {
    const char **keys;
    Declared *vals;
    size_t cap;
} NameTable;

static NameTable table_new(Arena *a, size_t n) {
    size_t cap = 16;
    while (cap * 3 < n * 4) /* at most three quarters full */
        cap *= 2;
    NameTable t = {arena_alloc(a, cap * sizeof(char *)), arena_alloc(a, cap * sizeof(Declared)), cap};
    return t;
}

/* Insert key (declared as `name` at loc, naming `node`); returns what is
 * already there, or NULL. */
static const Declared *table_put_node(NameTable *t, const char *key, const char *name, Loc loc,
                                      void *node, TypeKind kind) {
    size_t i = hash(key) & (t->cap - 1);
    while (t->keys[i]) {
        if (strcmp(t->keys[i], key) == 0)
            return &t->vals[i];
        i = (i + 1) & (t->cap - 1);
    }
    t->keys[i] = key;
    t->vals[i] = (Declared){name, node, loc, kind};
    return NULL;
}

static const Declared *table_put(NameTable *t, const char *key, const char *name, Loc loc) {
    return table_put_node(t, key, name, loc, NULL, TK_UNRESOLVED);
}

static const Declared *table_get(const NameTable *t, const char *key) {
    if (t->cap == 0)
        return NULL;
    for (size_t i = hash(key) & (t->cap - 1); t->keys[i]; i = (i + 1) & (t->cap - 1))
        if (strcmp(t->keys[i], key) == 0)
            return &t->vals[i];
    return NULL;
}

/* Edit distance for "did you mean": insertions, deletions, substitutions and
 * swaps of neighbouring characters each count one (f46 is one from f64).
 * Names are short. */
static size_t distance(const char *a, const char *b) {
    size_t la = strlen(a), lb = strlen(b);
    if (la > 32 || lb > 32)
        return 99;
    size_t d[33][33];
    for (size_t i = 0; i <= la; i++)
        d[i][0] = i;
    for (size_t j = 0; j <= lb; j++)
        d[0][j] = j;
    for (size_t i = 1; i <= la; i++) {
        for (size_t j = 1; j <= lb; j++) {
            size_t best = d[i - 1][j - 1] + (a[i - 1] != b[j - 1]);
            if (d[i - 1][j] + 1 < best) best = d[i - 1][j] + 1;
            if (d[i][j - 1] + 1 < best) best = d[i][j - 1] + 1;
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] && d[i - 2][j - 2] + 1 < best)
                best = d[i - 2][j - 2] + 1;
            d[i][j] = best;
        }
    }
    return d[la][lb];
}

typedef struct Checker {
    Module *m;
    Arena *arena;
    Diag *diag;
    int order;        /* structs laid out so far */
    NameTable types;  /* declared type names -> their Struct, Enum or Resource */
} Checker;

/* Report an unknown type name, with a hint where one is likely. */
static void unknown_type(Checker *ck, const TypeRef *t) {
    static const char *const c_names[][2] = {
        {"int", "i32"}, {"unsigned", "u32"}, {"long", "i64"}, {"short", "i16"},
        {"char", "i8"}, {"double", "f64"}, {"float", "f32"}, {"size_t", "u32"},
        {"str", "string"}, {"String", "string"}, {"boolean", "bool"}};
    for (size_t i = 0; i < sizeof c_names / sizeof c_names[0]; i++)
        if (strcmp(t->name, c_names[i][0]) == 0) {
            diag_error(ck->diag, t->loc, "unknown type '%s'; did you mean '%s'?", t->name,
                       c_names[i][1]);
            return;
        }
    const char *best = NULL;
    size_t best_d = 3;
    for (int id = 0; id < T_UNRESOLVED; id++) {
        const ScalarInfo *si = scalar_info((ScalarId)id);
        const char *candidates[2] = {si ? si->idl : (id == T_STRING ? "string" : "void"),
                                     si ? si->c : NULL};
        for (int k = 0; k < 2; k++) {
            if (!candidates[k])
                continue;
            if (k == 1 && strcmp(t->name, candidates[1]) == 0) {
                diag_error(ck->diag, t->loc, "unknown type '%s'; did you mean '%s'?", t->name,
                           candidates[0]);
                return;
            }
            size_t d = distance(t->name, candidates[k]);
            if (d < best_d) {
                best_d = d;
                best = candidates[0];
            }
        }
    }
    for (const Struct *st = ck->m->structs; st; st = st->next)
        if (distance(t->name, st->name) < best_d)
            best_d = distance(t->name, st->name), best = st->name;
    for (const Enum *en = ck->m->enums; en; en = en->next)
        if (distance(t->name, en->name) < best_d)
            best_d = distance(t->name, en->name), best = en->name;
    for (const Resource *r = ck->m->resources; r; r = r->next)
        if (distance(t->name, r->name) < best_d)
            best_d = distance(t->name, r->name), best = r->name;
    for (const Func *cb = ck->m->callbacks; cb; cb = cb->next)
        if (distance(t->name, cb->name) < best_d)
            best_d = distance(t->name, cb->name), best = cb->name;
    if (best)
        diag_error(ck->diag, t->loc, "unknown type '%s'; did you mean '%s'?", t->name, best);
    else
        diag_error(ck->diag, t->loc, "unknown type '%s'", t->name);
}

/* ---- Types */

/* The declared type named `name`, if it is of the kind `kind`. */
static void *find_type(const Checker *ck, const char *name, TypeKind kind) {
    const Declared *d = table_get(&ck->types, name);
    return d && d->kind == kind ? d->node : NULL;
}

/* Resolve what a type names and check the forms it may take anywhere:
 * arrays of numbers, strings and structs; T? of anything but void and
 * bool arrays. False (reported) when it is not a type. */
static bool resolve(Checker *ck, TypeRef *t) {
    t->id = scalar_lookup(t->name);
    if (t->id == T_VOID)
        t->kind = TK_VOID;
    else if (t->id == T_STRING)
        t->kind = TK_STRING;
    else if (t->id != T_UNRESOLVED)
        t->kind = TK_SCALAR;
    else if ((t->st = find_type(ck, t->name, TK_STRUCT)) != NULL)
        t->kind = TK_STRUCT;
    else if ((t->en = find_type(ck, t->name, TK_ENUM)) != NULL)
        t->kind = TK_ENUM;
    else if ((t->res = find_type(ck, t->name, TK_RESOURCE)) != NULL)
        t->kind = TK_RESOURCE;
    else if ((t->cb = find_type(ck, t->name, TK_CALLBACK)) != NULL)
        t->kind = TK_CALLBACK;
    else {
        unknown_type(ck, t);
        return false;
    }
    if (t->kind == TK_VOID && (t->is_array || t->optional)) {
        diag_error(ck->diag, t->loc, "'void' is not a value type; it can only be a result");
        return false;
    }
    if (t->kind == TK_CALLBACK && t->is_array) {
        diag_error(ck->diag, t->loc, "arrays of callbacks are not supported; '%s' is a callback type", t->name);
        return false;
    }
    if (t->is_array) {
        bool ok = t->kind == TK_STRING || t->kind == TK_STRUCT ||
                  (t->kind == TK_SCALAR && scalar_info(t->id)->typed_array);
        if (!ok) {
            const char *hint = t->id == T_BOOL  ? "; use u8[] for an array of flags"
                               : t->id == T_I53 ? "; use i64[] (BigInts) for 64-bit integers"
                                                : "";
            diag_error(ck->diag, t->loc, "arrays of '%s' are not supported%s", t->name, hint);
            return false;
        }
    }
    if (t->optional && t->kind == TK_ENUM && !t->is_array) {
        if (t->en->is_flags)
            diag_error(ck->diag, t->loc, "optional flags are not supported: no flag is the empty list, [] in JS");
        else
            diag_error(ck->diag, t->loc, "optional enums are not supported; add a value such as 'none' to '%s'",
                       t->name);
        return false;
    }
    return true;
}

static bool is_integer(ScalarId id) {
    const ScalarInfo *si = scalar_info(id);
    return si && si->kind == K_INT;
}

/* A list: an array of strings or structs, which JS builds and reads element
 * by element (as opposed to a numeric array, which is one block). */
static bool is_list(const TypeRef *t) {
    return t->is_array && (t->kind == TK_STRING || t->kind == TK_STRUCT);
}

/* Rules every declared name must keep. `what` says what it names. */
static void check_name(Checker *ck, Loc loc, const char *name, const char *what, bool c_visible) {
    if (strncmp(name, "wg_", 3) == 0 || strncmp(name, "__", 2) == 0)
        diag_error(ck->diag, loc, "%s name '%s' is reserved: names starting with 'wg_' or '__' belong to wasmgen",
                   what, name);
    else if (c_visible && is_c_taken(name)) {
        if (in_list(c_macros, name))
            diag_error(ck->diag, loc,
                       "%s name '%s' is a macro of the standard C headers the generated header includes; "
                       "choose another name", what, name);
        else
            diag_error(ck->diag, loc, "%s name '%s' is a reserved word in C or C++; choose another name",
                       what, name);
    }
}

static char *pascal(Arena *a, const char *s) {
    const char *c = sema_camel(a, s);
    char *p = c == s ? arena_strndup(a, s, strlen(s)) : (char *)c; /* sema_camel's copy is ours to change */
    p[0] = (char)toupper((unsigned char)p[0]);
    return p;
}

/* ---- Structs: fields, recursion, and the wasm32 layout */

static uint64_t align_up(uint64_t n, uint64_t a) { return (n + a - 1) / a * a; }

/* The largest struct: sizes are computed in 64 bits and refused past this,
 * so that nothing downstream wraps. */
#define MAX_STRUCT_SIZE 0x7fffffffu

/* Size and alignment of a field of type t in the wasm32 layout. */
static void field_layout(const TypeRef *t, uint64_t *size, unsigned *align) {
    if (t->is_array || t->kind == TK_STRING) {
        *size = 8; /* pointer, length */
        *align = 4;
    } else if (t->kind == TK_STRUCT) {
        *size = t->st->size;
        *align = t->st->align;
    } else if (t->kind == TK_ENUM) {
        *size = *align = 4;
    } else {
        *size = *align = scalar_info(t->id)->size;
    }
}

/* Lay out st after the structs it holds by value; reports recursion and
 * sizes past MAX_STRUCT_SIZE. Iterative (an explicit stack), so that deep
 * chains of structs cannot exhaust the C stack. */
static void layout(Checker *ck, Struct *root) {
    if (root->state == 2)
        return;
    size_t cap = 16, n = 0;
    Struct **stack = malloc(cap * sizeof *stack);
    Field **at = malloc(cap * sizeof *at); /* the next field to lay out */
    if (!stack || !at)
        abort();
    stack[n] = root, at[n] = root->fields, n++;
    root->state = 1;
    while (n > 0) {
        Struct *st = stack[n - 1];
        Field *f = at[n - 1];
        /* Descend into the first field whose struct is not laid out yet. */
        while (f && !(f->type.kind == TK_STRUCT && !f->type.is_array && f->type.st->state != 2))
            f = f->next;
        at[n - 1] = f;
        if (f) {
            Struct *inner = f->type.st;
            if (inner->state == 1) {
                diag_error(ck->diag, inner->loc,
                           "struct '%s' contains itself by value; hold it in an array instead (%s[])",
                           inner->name, inner->name);
                inner->state = 2;
                inner->size = inner->align = 1;
                continue;
            }
            if (n == cap) {
                cap *= 2;
                stack = realloc(stack, cap * sizeof *stack);
                at = realloc(at, cap * sizeof *at);
                if (!stack || !at)
                    abort();
            }
            inner->state = 1;
            stack[n] = inner, at[n] = inner->fields, n++;
            continue;
        }
        /* Every field's struct is laid out: lay out st. */
        uint64_t offset = 0;
        unsigned align = 1;
        bool reported = false;
        for (Field *g = st->fields; g; g = g->next) {
            uint64_t size;
            unsigned a;
            field_layout(&g->type, &size, &a);
            offset = align_up(offset, a);
            g->offset = (uint32_t)offset;
            offset += size;
            if (a > align)
                align = a;
            if (offset > MAX_STRUCT_SIZE && !reported) {
                diag_error(ck->diag, g->loc, "struct '%s' is larger than 2^31 bytes at field '%s'",
                           st->name, g->name);
                reported = true;
            }
        }
        st->align = align;
        st->size = reported ? 1 : align_up(offset ? offset : 1, align);
        st->state = 2;
        st->order = ck->order++;
        n--;
    }
    free(stack);
    free(at);
}

static void check_struct(Checker *ck, Struct *st) {
    check_name(ck, st->loc, st->name, "struct", true);
    st->ts_name = pascal(ck->arena, st->name);
    if (!st->fields)
        diag_error(ck->diag, st->loc, "struct '%s' has no fields", st->name);
    size_t nfields = 0;
    for (Field *f = st->fields; f; f = f->next)
        nfields++;
    NameTable names = table_new(ck->arena, nfields), js_names = table_new(ck->arena, nfields);
    const Declared *prev;
    for (Field *f = st->fields; f; f = f->next) {
        check_name(ck, f->loc, f->name, "field", true);
        f->js_name = sema_camel(ck->arena, f->name);
        if (table_put(&names, f->name, f->name, f->loc))
            diag_error(ck->diag, f->loc, "duplicate field '%s' in struct '%s'", f->name, st->name);
        else if ((prev = table_put(&js_names, f->js_name, f->name, f->loc)) != NULL)
            diag_error(ck->diag, f->loc, "fields '%s' and '%s' are both '%s' in JavaScript",
                       prev->name, f->name, f->js_name);
        TypeRef *t = &f->type;
        if (t->len_kind != LEN_NONE) {
            diag_error(ck->diag, t->len_loc, "a field's array carries its own length; write %s[]", t->name);
            continue;
        }
        if (!resolve(ck, t)) {
            t->kind = TK_SCALAR, t->id = T_I32; /* keep laying out */
            continue;
        }
        if (t->kind == TK_VOID || t->kind == TK_RESOURCE || t->kind == TK_CALLBACK) {
            diag_error(ck->diag, t->loc, "a field cannot be %s '%s'",
                       t->kind == TK_VOID ? "of type" : t->kind == TK_RESOURCE ? "a resource" : "a callback",
                       t->name);
            t->kind = TK_SCALAR, t->id = T_I32;
        } else if (t->optional && !t->is_array && t->kind != TK_STRING) {
            diag_error(ck->diag, t->loc,
                       "only strings and arrays may be optional in a struct; '%s?' has no place for "
                       "the missing value", t->name);
        }
    }
    for (Field *f = st->fields; f; f = f->next) {
        if (f->type.kind != TK_STRING && !(f->type.is_array && f->type.kind != TK_STRUCT))
            continue;
        const char *len_name = arena_printf(ck->arena, "%s_len", f->name);
        const Declared *g = table_get(&names, len_name);
        if (g)
            diag_error(ck->diag, g->loc,
                       "field '%s' collides with the length C keeps for '%s'; rename it", g->name,
                       f->name);
    }
}

/* ---- Enums */

/* A name the JS module itself exports (beside the constants and flag sets). */
static bool is_module_export(const char *name) {
    static const char *const runtime[] = {"instantiate", "WasmArray", "WasmgenError", "Resource", NULL};
    return in_list(runtime, name);
}

/* An enum's values are 32-bit signed integers, by default one more than the
 * value before; a flag set's are sets of bits in 32 unsigned bits, by default
 * the bit after the highest bit of the value before (1, 2, 4, ...). */
static void check_enum(Checker *ck, Enum *en) {
    const char *kind = en->is_flags ? "flags" : "enum", *member = en->is_flags ? "flag" : "enum value";
    check_name(ck, en->loc, en->name, kind, true);
    en->ts_name = pascal(ck->arena, en->name);
    int64_t next = en->is_flags ? 1 : 0;
    int64_t lo = en->is_flags ? 0 : INT32_MIN, hi = en->is_flags ? (int64_t)UINT32_MAX : INT32_MAX;
    size_t nvalues = 0;
    for (EnumValue *v = en->values; v; v = v->next)
        nvalues++;
    NameTable names = table_new(ck->arena, nvalues), values = table_new(ck->arena, nvalues);
    const Declared *prev;
    for (EnumValue *v = en->values; v; v = v->next) {
        check_name(ck, v->loc, v->name, member, false);
        if (!v->has_value)
            v->value = next;
        if (v->value < lo || v->value > hi) {
            if (en->is_flags)
                diag_error(ck->diag, v->loc, "flag '%s' = %lld is not a set of bits of 32 (0 to 0xffffffff)",
                           v->name, (long long)v->value);
            else
                diag_error(ck->diag, v->loc, "enum value '%s' = %lld does not fit in 32 bits", v->name,
                           (long long)v->value);
            v->value = 0;
        }
        if (!en->is_flags) {
            next = v->value + 1;
        } else {
            int64_t top = 1; /* the bit after the value's highest */
            while (top <= v->value)
                top <<= 1;
            next = top;
        }
        if (table_put(&names, v->name, v->name, v->loc))
            diag_error(ck->diag, v->loc, "duplicate %s '%s' in '%s'", member, v->name, en->name);
        else if ((prev = table_put(&values, arena_printf(ck->arena, "%lld", (long long)v->value),
                                   v->name, v->loc)) != NULL)
            diag_error(ck->diag, v->loc, "'%s' and '%s' in '%s' have the same value, %lld; "
                       "JavaScript could not tell them apart", prev->name, v->name, en->name,
                       (long long)v->value);
    }
}

/* ---- Functions, methods, imports */

/* A struct of numbers, bools, enums and such structs: JS can write one into
 * C's memory without allocating (an import's or a callback's result). */
static bool is_flat(const Struct *st) {
    for (const Field *f = st->fields; f; f = f->next) {
        const TypeRef *t = &f->type;
        if (t->is_array || t->kind == TK_STRING || (t->kind == TK_STRUCT && !is_flat(t->st)))
            return false;
    }
    return true;
}

static Param *find_param(Func *f, const char *name) {
    for (Param *p = f->params; p; p = p->next)
        if (strcmp(p->name, name) == 0)
            return p;
    return NULL;
}

static void check_out_length(Checker *ck, Func *f, Param *p) {
    TypeRef *t = &p->type;
    switch (t->len_kind) {
    case LEN_NONE:
        diag_error(ck->diag, t->loc,
                   "out array '%s' needs a length: write %s[N], %s[param] or %s[len(array)]",
                   p->name, t->name, t->name, t->name);
        return;
    case LEN_LITERAL:
        if (t->len_value > 0x7fffffffu)
            diag_error(ck->diag, t->len_loc, "out array length %llu is too large",
                       (unsigned long long)t->len_value);
        return;
    case LEN_PARAM: {
        Param *q = find_param(f, t->len_name);
        if (!q) {
            diag_error(ck->diag, t->len_loc, "out array length '%s' is not a parameter of '%s'",
                       t->len_name, f->name);
        } else if (q->mode != MODE_IN || q->type.is_array || q->type.optional ||
                   !is_integer(scalar_lookup(q->type.name))) {
            diag_error(ck->diag, t->len_loc,
                       "out array length '%s' must be an in parameter of an integer type "
                       "(i8 to u32); it is %s%s%s%s",
                       t->len_name, q->mode == MODE_OUT ? "out " : q->mode == MODE_INOUT ? "inout " : "",
                       q->type.name, q->type.is_array ? "[]" : "", q->type.optional ? "?" : "");
        } else {
            p->len_param = q;
        }
        return;
    }
    case LEN_EXPR:
        if (t->len_expr->kind == E_CALL)
            diag_error(ck->diag, t->len_expr->loc,
                       "unknown length function '%s'; the length of an array parameter is written len(name)",
                       t->len_expr->name);
        else
            diag_error(ck->diag, t->len_loc,
                       "a length computed from an expression needs a binding: '= c_function' after the parameters");
        return;
    case LEN_OF: {
        Param *q = find_param(f, t->len_name);
        if (!q)
            diag_error(ck->diag, t->len_loc, "len(%s): '%s' is not a parameter of '%s'",
                       t->len_name, t->len_name, f->name);
        else if (!q->type.is_array || q->mode == MODE_OUT || q->type.optional)
            diag_error(ck->diag, t->len_loc,
                       "len(%s): '%s' must be an in or inout array parameter that is not optional",
                       t->len_name, t->len_name);
        else
            p->len_param = q;
        return;
    }
    }
}

static void check_callback_arg(Checker *ck, Func *f, Param *p);

static void check_param(Checker *ck, Func *f, Param *p) {
    if (p->is_self)
        return;
    if (p->is_user_data) {
        if (!p->ud_of)
            diag_error(ck->diag, p->loc, "'user_data' alone marks where a callback gets its user data: "
                       "only in a callback's parameters; a function passes user_data(callback)");
        else if (!f->bind)
            diag_error(ck->diag, p->loc, "user_data(%s) places a callback's user data among a C function's "
                       "parameters: it needs a binding ('= c_function'); without one C gets %s_data",
                       p->ud_of, p->ud_of);
        return;
    }
    check_name(ck, p->loc, p->name, "parameter", true);
    if (!resolve(ck, &p->type))
        return;
    TypeRef *t = &p->type;
    if (t->kind == TK_VOID) {
        diag_error(ck->diag, t->loc, "parameter '%s' cannot be void", p->name);
        return;
    }
    if (t->kind == TK_CALLBACK) {
        check_callback_arg(ck, f, p);
        return;
    }
    if (p->life != LIFE_CALL) {
        diag_error(ck->diag, p->loc, "'stored' says how long a callback stays registered; '%s' is not a callback",
                   p->name);
        return;
    }
    if (f->is_import && p->mode != MODE_IN && !(t->is_array && t->kind == TK_SCALAR)) {
        diag_error(ck->diag, p->loc, "an import's out and inout parameters are numeric arrays (a view of C's "
                   "memory JS writes into); return other results instead");
        return;
    }
    if (f->is_import && p->mode != MODE_IN) {
        if (t->len_kind != LEN_NONE)
            diag_error(ck->diag, t->len_loc, "an import's %s array brings its length from C; write %s[]",
                       p->mode == MODE_OUT ? "out" : "inout", t->name);
        if (t->optional)
            diag_error(ck->diag, t->loc, "an import's %s array cannot be optional",
                       p->mode == MODE_OUT ? "out" : "inout");
        return;
    }
    switch (p->mode) {
    case MODE_IN:
        if (t->len_kind != LEN_NONE && f->bind && t->is_array)
            break; /* a bound function checks the length before the call */
        if (t->len_kind != LEN_NONE)
            diag_error(ck->diag, t->len_loc,
                       "only out arrays declare a length; an in array brings its own");
        if (f->is_import && (is_list(t) || t->kind == TK_RESOURCE ||
                             (t->kind == TK_SCALAR && t->optional && !t->is_array)))
            diag_error(ck->diag, t->loc,
                       "an import takes numbers, bools, enums, strings, numeric arrays and structs; "
                       "'%s' is not supported there yet", t->name);

        else if (f->is_import && t->optional)
            diag_error(ck->diag, t->loc, "optional import parameters are not supported yet");
        break;
    case MODE_INOUT:
        if (!t->is_array || is_list(t)) {
            diag_error(ck->diag, p->loc,
                       "inout applies to numeric arrays only; '%s' is %s%s (use out for a result)", p->name,
                       t->name, t->is_array ? "[]" : "");
            return;
        }
        if (t->len_kind != LEN_NONE && !f->bind)
            diag_error(ck->diag, t->len_loc,
                       "only out arrays declare a length; an inout array brings its own");
        if (t->optional)
            diag_error(ck->diag, t->loc, "an inout array cannot be optional");
        break;
    case MODE_OUT:
        if (t->optional) {
            diag_error(ck->diag, t->loc, "an out parameter cannot be optional; return '%s?' instead", t->name);
            return;
        }
        if (f->bind && t->kind == TK_STRUCT && !t->is_array)
            break; /* the glue's local struct, copied out */
        if (t->kind == TK_STRING || t->kind == TK_STRUCT || t->kind == TK_RESOURCE || is_list(t)) {
            diag_error(ck->diag, t->loc,
                       "out parameters are numbers, bools, enums and numeric arrays; return the %s instead",
                       t->kind == TK_RESOURCE ? "resource" : t->kind == TK_STRING && !t->is_array ? "string" : "value");
            return;
        }
        if (t->is_array && !f->bind)
            check_out_length(ck, f, p);
        break;
    }
}

/* The result's forms. */
static void check_result(Checker *ck, Func *f) {
    TypeRef *t = &f->ret;
    if (f->is_ctor || f->named_ctor)
        return;
    if (!resolve(ck, t))
        return;
    if (t->len_kind != LEN_NONE)
        diag_error(ck->diag, t->len_loc, "a returned array carries its own length; write %s[]", t->name);
    if (t->kind == TK_CALLBACK) {
        diag_error(ck->diag, t->loc, "a callback is a parameter type; a function cannot return '%s'", t->name);
        return;
    }
    bool import_ok = t->kind == TK_VOID || (t->kind == TK_STRING && !t->is_array) ||
                     (!t->optional && !is_list(t) &&
                      (t->kind == TK_SCALAR || t->kind == TK_ENUM || t->kind == TK_STRING ||
                       (t->kind == TK_STRUCT && is_flat(t->st))));
    if ((f->is_import || f->is_callback) && !import_ok)
        diag_error(ck->diag, t->loc,
                   "%s returns a number, a bool, an enum, a string, a numeric array or a struct of numbers; "
                   "'%s%s%s' is not supported there yet", f->is_callback ? "a callback" : "an import",
                   t->name, t->is_array ? "[]" : "", t->optional ? "?" : "");
}

/* ---- Bindings: `= c_function` (idl/binding.md) */

/* The values of an integer type: false for floats and bool. (u64's upper
 * half is beyond a literal's int64_t: [0, INT64_MAX].) */
static bool int_range(const ScalarInfo *si, int64_t *lo, int64_t *hi) {
    if (si->kind == K_FLOAT || si->kind == K_BOOL)
        return false;
    if (si->kind == K_INT53) {
        *lo = -(((int64_t)1 << 53) - 1);
        *hi = ((int64_t)1 << 53) - 1;
    } else if (si->size == 8) {
        *lo = si->idl[0] == 'u' ? 0 : INT64_MIN;
        *hi = INT64_MAX;
    } else {
        *lo = si->idl[0] == 'u' ? 0 : -((int64_t)1 << (si->size * 8 - 1));
        *hi = si->idl[0] == 'u' ? ((int64_t)1 << (si->size * 8)) - 1 : ((int64_t)1 << (si->size * 8 - 1)) - 1;
    }
    return true;
}

static bool is_int_type(const TypeRef *t) {
    return t->kind == TK_SCALAR && !t->is_array && !t->optional && scalar_info(t->id)->kind != K_FLOAT &&
           scalar_info(t->id)->kind != K_BOOL;
}

/* An expression the glue works out in int64_t, each operation checked (a
 * length, a computed number: lower.c's c_expr, not `plain`): an integer
 * literal in it above INT64_MAX is an error (it would be INT64_MAX). A
 * library call's arguments are passed on as written. */
static void check_int64(Checker *ck, const Expr *e) {
    if (e->kind == E_INT && !e->neg && e->lit > (uint64_t)INT64_MAX)
        diag_error(ck->diag, e->loc, "integer %llu is above the greatest 64-bit integer, 9223372036854775807: "
                   "a length or computed value is worked out in int64_t", (unsigned long long)e->lit);
    if (e->kind == E_NEG || e->kind == E_BIN)
        check_int64(ck, e->lhs);
    if (e->kind == E_BIN)
        check_int64(ck, e->rhs);
}

/* Resolve the names of an expression: parameters, len(p), self.f; what is
 * not a parameter is a C name of the library's header, which the C
 * compiler checks. `after`: evaluated after the call (an out value). */
static void check_expr(Checker *ck, Func *f, Param *at, Expr *e, bool after) {
    for (; e; e = NULL) {
        switch (e->kind) {
        case E_INT:
            if (e->neg && e->lit > (uint64_t)INT64_MAX + 1)
                diag_error(ck->diag, e->loc, "integer -%llu is below the least 64-bit integer, "
                           "-9223372036854775808", (unsigned long long)e->lit);
            return;
        case E_NULL:
            return;
        case E_NAME: {
            Param *q = find_param(f, e->name);
            if (q && q == at) {
                diag_error(ck->diag, e->loc, "parameter '%s' is defined by itself", e->name);
            } else if (q) {
                if (q->type.is_array || q->type.kind == TK_STRING || q->type.kind == TK_STRUCT ||
                    q->type.kind == TK_RESOURCE || q->type.kind == TK_CALLBACK || q->is_self ||
                    q->is_user_data || q->mode != MODE_IN ||
                    (q->value && q->value->kind == E_ADDR_LEN))
                    diag_error(ck->diag, e->loc,
                               "'%s' is not a number here: an expression uses in parameters of "
                               "integer types, len(array), self.field and the header's constants",
                               e->name);
                else if (q->value && q->index > (at ? at->index : 1 << 30))
                    diag_error(ck->diag, e->loc, "'%s' is computed later; use it after its definition", e->name);
                e->param = q;
                q->in_expr = true;
            }
            return;
        }
        case E_LEN:
        case E_ADDR_LEN: {
            Param *q = find_param(f, e->name);
            if (!q)
                diag_error(ck->diag, e->loc, "len(%s): '%s' is not a parameter of '%s'", e->name, e->name,
                           f->name);
            else if (!(q->type.is_array || q->type.kind == TK_STRING) || q->type.optional)
                diag_error(ck->diag, e->loc, "len(%s): '%s' is not an array or string parameter (or is optional)",
                           e->name, e->name);
            else if (e->kind == E_ADDR_LEN && q->mode != MODE_OUT)
                diag_error(ck->diag, e->loc,
                           "&len(%s): '%s' must be an out array, whose produced length C writes back",
                           e->name, e->name);
            else if (at && at->mode == MODE_OUT && q->mode == MODE_OUT && at->type.is_array)
                diag_error(ck->diag, e->loc, "an out array's length cannot depend on another out array");
            e->param = q;
            return;
        }
        case E_FIELD:
            if (!f->owner || (!f->owner->c_type))
                diag_error(ck->diag, e->loc, "self.%s: only a method of a resource over a library type "
                           "(resource NAME as \"T\") has fields", e->name);
            return;
        case E_CALL:
            for (Expr *a = e->args; a; a = a->next) {
                /* a library call may take what the glue has as a pointer, as it is:
                 * a resource, a string, an in array (sqlite3_errmsg(db)) */
                Param *q = a->kind == E_NAME ? find_param(f, a->name) : NULL;
                if (q && q != at && q->mode == MODE_IN && !q->is_user_data && q->type.kind != TK_CALLBACK &&
                    (q->type.kind == TK_RESOURCE || q->type.kind == TK_STRING || q->type.is_array)) {
                    a->param = q;
                    q->in_expr = true;
                    continue;
                }
                check_expr(ck, f, at, a, after);
            }
            return;
        case E_BIN:
            check_expr(ck, f, at, e->lhs, after);
            check_expr(ck, f, at, e->rhs, after);
            return;
        case E_NEG:
            check_expr(ck, f, at, e->lhs, after);
            return;
        }
    }
}

/* The parameters, result and clauses of a function bound to a C function. */
static void check_binding(Checker *ck, Func *f) {
    if (!ck->m->includes) {
        diag_error(ck->diag, f->bind_loc,
                   "'%s' binds the C function '%s', but the module includes no header: add include \"lib.h\";",
                   f->name, f->bind);
        return;
    }
    if (f->is_import) {
        diag_error(ck->diag, f->bind_loc, "an import cannot be bound to a C function: JavaScript provides it");
        return;
    }
    if (f->throws)
        diag_error(ck->diag, f->bind_loc,
                   "a bound function reports failure with 'fails when', not 'throws' (the C function has no wg_error)");
    int selves = 0;
    for (Param *p = f->params; p; p = p->next) {
        TypeRef *t = &p->type;
        if (p->is_self) {
            if (!f->owner) {
                diag_error(ck->diag, p->loc, "'self' is a parameter of a resource's methods and constructors only");
                continue;
            }
            if (selves++)
                diag_error(ck->diag, p->loc, "a second 'self'");
            if (f->is_ctor && !f->owner->c_type)
                diag_error(ck->diag, p->loc,
                           "a constructor taking 'self' initializes a struct the glue allocates: "
                           "give its C type (resource %s as \"T\")", f->owner->name);
            if (f->is_ctor)
                f->owner->caller_allocated = true;
            continue;
        }
        if (p->value && !p->value->loc.line)
            p->value->loc = p->loc;
        if (p->js_only && !is_int_type(t))
            diag_error(ck->diag, t->loc,
                       "a 'js' parameter is an integer the expressions use (a capacity, a count); '%s' is %s%s%s",
                       p->name, t->name, t->is_array ? "[]" : "", t->optional ? "?" : "");
        if (p->field_ptr) {
            if (!f->owner || f->is_ctor || !f->owner->c_type)
                diag_error(ck->diag, p->field_loc,
                           "'-> self.field' binds a parameter to fields of the resource's struct: "
                           "only in a method of a resource over a library type");
            else if (!t->is_array || t->kind != TK_SCALAR || t->optional || p->mode == MODE_INOUT)
                diag_error(ck->diag, p->field_loc,
                           "'-> self.%s[self.%s]' takes an in or out numeric array", p->field_ptr, p->field_len);
            else if (p->value)
                diag_error(ck->diag, p->value->loc, "a parameter bound to fields is not also computed");
        }
        if (p->value) {
            check_expr(ck, f, p, p->value, p->mode == MODE_OUT);
            /* worked out in int64_t (lower.c: ABI_B_OUT_AFTER, ABI_B_COMPUTED), else passed as written */
            if (p->mode == MODE_OUT || (t->kind == TK_SCALAR && !(t->c_type && strchr(t->c_type, '*'))))
                check_int64(ck, p->value);
            if (p->mode == MODE_INOUT || t->is_array || t->kind == TK_STRUCT || t->kind == TK_RESOURCE ||
                t->optional || t->kind == TK_STRING)
                diag_error(ck->diag, p->value->loc,
                           "a computed parameter ('= expression') is a number, bool or enum (or a pointer with "
                           "'as'): '%s' is not", p->name);
            else if (p->mode == MODE_OUT && p->value->kind == E_ADDR_LEN)
                diag_error(ck->diag, p->value->loc, "&len(...) is an in parameter: C gets the pointer");
            else if ((p->value->kind == E_NULL || p->value->kind == E_ADDR_LEN) && !t->c_type &&
                     p->value->kind == E_NULL)
                diag_error(ck->diag, p->value->loc,
                           "'= null' passes a null pointer: give the parameter's C type with as \"T *\"");
        }
        if (p->mode == MODE_OUT && t->is_array && !p->field_ptr && !p->value && t->len_kind == LEN_NONE) {
            /* C allocates it: its length comes back through &len(it). */
            bool reported = false;
            for (Param *q = f->params; q && !reported; q = q->next)
                reported = q->value && q->value->kind == E_ADDR_LEN && strcmp(q->value->name, p->name) == 0;
            if (!reported)
                diag_error(ck->diag, t->loc,
                           "out array '%s' has no length: give its capacity (%s[expression]), or, when C "
                           "allocates it, a parameter '= &len(%s)' for the length C reports",
                           p->name, t->name, p->name);
            else if (!p->type.c_type || !strstr(p->type.c_type, "**"))
                diag_error(ck->diag, t->loc,
                           "out array '%s' is allocated by C: give its C type, a pointer to a pointer (as \"T **\")",
                           p->name);
        }
        if (t->len_expr) {
            check_expr(ck, f, p, t->len_expr, false);
            check_int64(ck, t->len_expr);
        }
    }
    if (f->named_ctor || f->is_ctor) {
        if (f->own != OWN_DEFAULT)
            diag_error(ck->diag, f->own_loc, "a constructor's result belongs to its handle");
    } else if (f->own == OWN_BORROWED) {
        const TypeRef *t = &f->ret;
        if (!(t->kind == TK_STRING || t->kind == TK_RESOURCE) || t->is_array)
            diag_error(ck->diag, f->own_loc,
                       "'borrowed' applies to string and resource results; '%s' is copied anyway", t->name);
    } else if (f->own == OWN_FREE) {
        const TypeRef *t = &f->ret;
        if (t->kind != TK_STRING || t->is_array)
            diag_error(ck->diag, f->own_loc, "'owned(%s)' applies to string results", f->free_fn);
    }
    if (f->returns_len) {
        Param *q = find_param(f, f->returns_len);
        if (!q || q->mode != MODE_OUT || !q->type.is_array || q->field_ptr)
            diag_error(ck->diag, f->returns_loc, "returns len(%s): '%s' is not an out array of '%s'",
                       f->returns_len, f->returns_len, f->name);
        else if (!(f->ret.kind == TK_VOID ? f->ret.c_type != NULL : is_int_type(&f->ret)))
            diag_error(ck->diag, f->returns_loc,
                       "returns len(%s): the result must be an integer (or void as \"C type\")", f->returns_len);
        else
            f->returns_param = q;
    }
    for (FailCond *c = f->fails; c; c = c->next) {
        check_expr(ck, f, NULL, c->value, true);
        bool ptr = f->is_ctor || f->named_ctor || f->ret.kind == TK_RESOURCE || f->ret.kind == TK_STRING;
        if (c->value->kind == E_NULL && !ptr && !(f->ret.c_type && strchr(f->ret.c_type, '*')))
            diag_error(ck->diag, c->loc, "'fails when == null' tests a pointer result; '%s' returns %s",
                       f->name, f->ret.kind == TK_VOID && !f->ret.c_type ? "nothing" : "a number");
        else if (f->ret.kind == TK_VOID && !f->ret.c_type && !f->is_ctor)
            diag_error(ck->diag, c->loc,
                       "'fails when' tests the C result, but '%s' returns void: give its C type (void %s(...) as \"int\")",
                       f->name, f->name);
        else if (f->is_ctor && !f->owner->caller_allocated && c->value->kind != E_NULL)
            diag_error(ck->diag, c->loc, "a constructor's C function returns the new object; it fails when == null");
    }
    if (f->message) {
        if (!f->fails)
            diag_error(ck->diag, f->message->loc, "'message' says why a call failed: it needs 'fails when'");
        else if (f->message->kind == E_LEN)
            diag_error(ck->diag, f->message->loc,
                       "'message' is a function of the library (fn, or fn(args)) or self.field; len() is not one");
        check_expr(ck, f, NULL, f->message, true);
    }
    if (f->is_ctor && f->owner->caller_allocated && !f->ret.c_type)
        f->ret.c_type = "void";
    for (const Param *p = f->params; p; p = p->next)
        if (p->js_only && !p->in_expr)
            diag_error(ck->diag, p->js_loc,
                       "'js' parameter '%s' is used by no expression: the C function does not take it, "
                       "so a length, a computed parameter or a 'fails when' must (out u8[%s] ...)", p->name, p->name);
}

/* A function without `= c_function` uses none of the binding's forms. */
static void check_no_binding(Checker *ck, Func *f) {
    for (Param *p = f->params; p; p = p->next) {
        if (p->is_self)
            diag_error(ck->diag, p->loc, "'self' as a parameter places the resource among a C function's "
                       "parameters: it needs a binding ('= c_function')");
        else if (p->value)
            diag_error(ck->diag, p->value->loc,
                       "a computed parameter ('= expression') needs a binding: '= c_function' after the parameters");
        else if (p->type.c_type && p->type.kind != TK_CALLBACK) /* (a callback's is reported apart) */
            diag_error(ck->diag, p->type.c_type_loc,
                       "'as' gives the library's C type of a bound function's parameter: it needs '= c_function'");
        else if (p->field_ptr)
            diag_error(ck->diag, p->field_loc, "'-> self.field' needs a binding ('= c_function')");
        else if (p->js_only)
            diag_error(ck->diag, p->js_loc,
                       "'js' marks a parameter the bound C function does not take: it needs a binding ('= c_function')");
    }
    if (f->ret.c_type)
        diag_error(ck->diag, f->ret.c_type_loc,
                   "'as' gives the library's C type of a bound function's result: it needs '= c_function'");
    if (f->own != OWN_DEFAULT)
        diag_error(ck->diag, f->own_loc, "'%s' says who owns a bound function's result: it needs '= c_function'",
                   f->own == OWN_BORROWED ? "borrowed" : "owned");
}

/* ---- Callbacks */

/* A parameter of callback type: a JS function C calls through a pointer. */
static void check_callback_arg(Checker *ck, Func *f, Param *p) {
    TypeRef *t = &p->type;
    Func *cb = t->cb;
    if (f->is_import || f->is_callback) {
        diag_error(ck->diag, t->loc, "%s cannot take a callback ('%s'): JavaScript functions are called from C, "
                   "not passed to JavaScript", f->is_import ? "an import" : "a callback", t->name);
        return;
    }
    if (p->mode != MODE_IN) {
        diag_error(ck->diag, p->loc, "a callback is an in parameter; '%s' is %s", p->name,
                   p->mode == MODE_OUT ? "out" : "inout");
        return;
    }
    if (t->c_type)
        diag_error(ck->diag, t->c_type_loc, "a callback argument is its trampoline, of the type '%s' declares: "
                   "the C compiler checks it against the library's prototype; 'as' does not apply", cb->name);
    if (p->value)
        diag_error(ck->diag, p->value->loc, "a callback is passed from JavaScript; it cannot be computed");
    if (p->field_ptr)
        diag_error(ck->diag, p->field_loc, "'-> self.field' takes arrays; '%s' is a callback", p->name);
    if (p->life != LIFE_CALL && !cb->ud)
        diag_error(ck->diag, p->loc, "a stored callback needs user data: '%s' has no 'user_data' parameter, so its "
                   "trampoline could not tell two registered functions apart; only a call may use it", cb->name);
    if (p->life == LIFE_OWNED) {
        if (strcmp(p->owner_name, "self") == 0) {
            if (!f->owner)
                diag_error(ck->diag, p->owner_loc, "stored(self): only a resource's method has self");
            else if (f->is_ctor || f->named_ctor)
                diag_error(ck->diag, p->owner_loc, "stored(self) in a constructor: the object has no handle yet; "
                           "set the callback with a method");
        } else {
            Param *q = find_param(f, p->owner_name);
            if (!q || q->type.kind != TK_RESOURCE || q->type.is_array || q->mode != MODE_IN || q->is_self)
                diag_error(ck->diag, p->owner_loc, "stored(%s): '%s' must be 'self' or a resource parameter of '%s', "
                           "whose handle keeps the callback", p->owner_name, p->owner_name, f->name);
            else if (q->type.optional)
                diag_error(ck->diag, p->owner_loc, "stored(%s): the owner cannot be optional", p->owner_name);
            else
                p->owner = q;
        }
    }
}

/* `given`, `given(NAME)`: a bound function's resource parameter whose object
 * the C function takes; NAME (`self` or another resource parameter) is
 * where it goes. After every parameter is resolved (NAME may come later). */
static void check_given(Checker *ck, Func *f, Param *p) {
    const TypeRef *t = &p->type;
    if (t->kind == TK_UNRESOLVED || (t->kind == TK_RESOURCE && (t->is_array || p->mode != MODE_IN)))
        return; /* reported: no arrays of resources, no out or inout resources */
    if (f->is_import) {
        diag_error(ck->diag, p->given_loc, "'given' passes a resource's object to a bound C function; "
                   "an import is JavaScript's");
        return;
    }
    if (t->kind != TK_RESOURCE || t->is_array || p->mode != MODE_IN) {
        diag_error(ck->diag, p->given_loc, "'given' passes a resource's object to the C function; '%s' is not a "
                   "resource parameter", p->name);
        return;
    }
    if (p->value || p->field_ptr)
        return; /* reported: a resource is not computed, nor bound to fields */
    if (!f->bind) {
        diag_error(ck->diag, p->given_loc, "'given' says the library's C function takes the object: it needs "
                   "a binding ('= c_function')");
        return;
    }
    if ((f->is_ctor || f->named_ctor) && !f->fails)
        diag_error(ck->diag, p->given_loc, "a constructor taking a 'given' parameter needs 'fails when': its NULL is "
                   "a failure, and the object stays JS's unless the library succeeded");
    if (!p->given_to)
        return;
    if (strcmp(p->given_to, "self") == 0) {
        if (!f->owner)
            diag_error(ck->diag, p->given_loc, "given(self): only a resource's method has self");
        else if (f->is_ctor || f->named_ctor)
            diag_error(ck->diag, p->given_loc, "given(self) in a constructor: the new object has no handle yet; "
                       "write 'given' (consumed), or give it with a method");
        return;
    }
    Param *q = find_param(f, p->given_to);
    if (!q || q == p || q->is_self || q->is_user_data || q->type.kind != TK_RESOURCE || q->type.is_array ||
        q->mode != MODE_IN || q->value || q->given)
        diag_error(ck->diag, p->given_loc, "given(%s): '%s' must be 'self' or another resource parameter of '%s' "
                   "(not given itself), which the object then belongs to", p->given_to, p->given_to, f->name);
    else if (q->type.optional)
        diag_error(ck->diag, p->given_loc, "given(%s): the owner cannot be optional", p->given_to);
    else
        p->given_owner = q;
}

/* After the parameters: user_data(cb) names a callback argument, and a
 * bound function passes the user data of every callback that has one. */
static void check_callback_links(Checker *ck, Func *f) {
    for (Param *p = f->params; p; p = p->next) {
        if (!p->is_user_data || !p->ud_of)
            continue;
        Param *q = find_param(f, p->ud_of);
        if (!q || q->type.kind != TK_CALLBACK)
            diag_error(ck->diag, p->loc, "user_data(%s): '%s' is not a callback parameter of '%s'", p->ud_of,
                       p->ud_of, f->name);
        else if (!q->type.cb->ud)
            diag_error(ck->diag, p->loc, "user_data(%s): callback '%s' has no 'user_data' parameter",
                       p->ud_of, q->type.cb->name);
        else if (q->ud_param)
            diag_error(ck->diag, p->loc, "a second user_data(%s)", p->ud_of);
        else
            q->ud_param = p, p->ud_param = q;
    }
    /* A callback type without user data is found as the innermost call's
     * argument: two of one such type in a call could not be told apart. */
    for (Param *p = f->params; p; p = p->next) {
        if (p->type.kind != TK_CALLBACK || !p->type.cb || p->type.cb->ud)
            continue;
        for (Param *q = p->next; q; q = q->next)
            if (q->type.kind == TK_CALLBACK && q->type.cb == p->type.cb) {
                diag_error(ck->diag, q->loc,
                           "'%s' and '%s' are both '%s', a callback without user data: C calls its trampoline, "
                           "which finds the function as the call's one '%s' argument; take one, or give the "
                           "callback type a user_data parameter", p->name, q->name, p->type.cb->name,
                           p->type.cb->name);
                break;
            }
    }
    if (!f->bind)
        return;
    for (Param *p = f->params; p; p = p->next) {
        if (p->type.kind != TK_CALLBACK || p->is_user_data || !p->type.cb || !p->type.cb->ud || p->ud_param)
            continue;
        Resource *owner = p->life != LIFE_OWNED ? NULL : p->owner ? p->owner->type.res : f->owner;
        if (owner && owner->ud_fn)
            continue; /* the owner's user data is set with its user_data function */
        diag_error(ck->diag, p->loc, "callback '%s' gets user data: pass it to the C function with "
                   "user_data(%s)%s", p->name, p->name,
                   p->life == LIFE_OWNED ? ", or give the owner's resource 'user_data = c_function;'" : "");
    }
}

/* What C gets from a deferred callback once one has thrown (JS is not
 * called then): `deferred(VALUE)`, for a callback returning a number, a
 * bool or an enum, its value as the wasm result's integer; a void one
 * gives C nothing. */
static void check_deferred_value(Checker *ck, Func *f) {
    const TypeRef *t = &f->ret;
    const Expr *v = f->deferred_value;
    bool is_void = t->kind == TK_VOID || (t->kind == TK_UNRESOLVED && strcmp(t->name, "void") == 0);
    if (is_void) {
        if (v)
            diag_error(ck->diag, v->loc, "callback '%s' returns void: 'deferred' takes no value (C gets nothing "
                       "from it)", f->name);
        return;
    }
    if (t->kind == TK_UNRESOLVED)
        return; /* reported */
    bool scalar = t->kind == TK_SCALAR && !t->is_array && !t->optional;
    if (!(scalar || (t->kind == TK_ENUM && !t->en->is_flags && !t->is_array && !t->optional))) {
        diag_error(ck->diag, v ? v->loc : t->loc, "a deferred callback returns void, a number, a bool or an "
                   "enum (deferred(VALUE) gives C one once a call has thrown); '%s%s%s' is none of them",
                   t->name, t->is_array ? "[]" : "", t->optional ? "?" : "");
        return;
    }
    if (!v) {
        diag_error(ck->diag, t->loc, "deferred callback '%s' returns %s: say what C gets from it once one has "
                   "thrown (deferred(VALUE) callback ..., e.g. a value that makes the library stop)", f->name,
                   t->name);
        return;
    }
    if (t->kind == TK_ENUM || (scalar && scalar_info(t->id)->kind == K_BOOL)) {
        if (v->kind == E_NAME && t->kind == TK_ENUM) {
            for (const EnumValue *ev = t->en->values; ev; ev = ev->next)
                if (strcmp(ev->name, v->name) == 0) {
                    f->deferred_int = ev->value;
                    return;
                }
        } else if (v->kind == E_NAME && (strcmp(v->name, "true") == 0 || strcmp(v->name, "false") == 0)) {
            f->deferred_int = v->name[0] == 't';
            return;
        }
        diag_error(ck->diag, v->loc, "deferred(VALUE) of callback '%s': VALUE must be %s%s", f->name,
                   t->kind == TK_ENUM ? "a value of enum " : "true or false",
                   t->kind == TK_ENUM ? t->en->name : "");
        return;
    }
    if (v->kind != E_INT) {
        diag_error(ck->diag, v->loc, "deferred(VALUE) of callback '%s': VALUE must be an integer literal", f->name);
        return;
    }
    /* The literal as written (v->value saturates at INT64_MAX): a u64 takes
     * up to UINT64_MAX, as the wasm result's bits; the rest, int64_t's range. */
    const ScalarInfo *si = scalar_info(t->id);
    bool u64 = si->size == 8 && si->kind != K_INT53 && si->kind != K_FLOAT && si->idl[0] == 'u';
    uint64_t mag = v->lit;
    bool fits = v->neg ? mag <= (uint64_t)INT64_MAX + 1 : mag <= (uint64_t)INT64_MAX || u64;
    int64_t value = !v->neg ? (int64_t)mag : mag > (uint64_t)INT64_MAX ? INT64_MIN : -(int64_t)mag;
    int64_t lo, hi;
    if (fits && int_range(si, &lo, &hi) && !(u64 && !v->neg))
        fits = value >= lo && value <= hi;
    if (!fits)
        diag_error(ck->diag, v->loc, "deferred(%s%llu) of callback '%s': the value does not fit in %s",
                   v->neg ? "-" : "", (unsigned long long)mag, f->name, t->name);
    f->deferred_int = value;
}

/* A callback's signature: its parameters as the library's function-pointer
 * type has them, and what JS gets of each. */
static void check_callback(Checker *ck, Func *f) {
    if (f->bind)
        diag_error(ck->diag, f->bind_loc, "a callback is a JavaScript function: it cannot be bound to a C function");
    if (f->throws)
        diag_error(ck->diag, f->loc, "a callback cannot be declared 'throws': a JS callback reports errors by "
                   "throwing, and the exception reaches the JS caller of the call that led to it");
    if (f->own != OWN_DEFAULT)
        diag_error(ck->diag, f->own_loc, "a callback's result is copied into memory C owns; 'borrowed' and "
                   "'owned' do not apply");
    if (f->deferred)
        check_deferred_value(ck, f);
    for (Param *p = f->params; p; p = p->next) {
        TypeRef *t = &p->type;
        if (p->is_user_data) {
            if (p->ud_of)
                diag_error(ck->diag, p->loc, "in a callback, 'user_data' alone marks where C passes the user data");
            else if (f->ud)
                diag_error(ck->diag, p->loc, "a second 'user_data'");
            else
                f->ud = p;
            continue;
        }
        if (p->is_self) {
            diag_error(ck->diag, p->loc, "a callback has no 'self'");
            continue;
        }
        if (p->js_only)
            diag_error(ck->diag, p->js_loc, "'js' marks a parameter of a bound function; a callback's come from C");
        check_name(ck, p->loc, p->name, "parameter", true);
        if (p->life != LIFE_CALL)
            diag_error(ck->diag, p->loc, "'stored' applies to callback arguments of functions");
        if (p->given)
            diag_error(ck->diag, p->given_loc, "'given' passes a resource's object to a bound C function; a "
                       "callback's arguments come from C");
        if (p->field_ptr)
            diag_error(ck->diag, p->field_loc, "'-> self.field' needs a method of a resource");
        if (!resolve(ck, t))
            continue;
        if (t->kind == TK_VOID || t->kind == TK_CALLBACK) {
            diag_error(ck->diag, t->loc, "a callback's parameter is a number, bool, enum, string, array, struct or "
                       "resource; '%s' is %s", p->name, t->kind == TK_VOID ? "void" : "a callback");
            continue;
        }
        if (t->optional && !t->is_array && t->kind != TK_STRING && t->kind != TK_STRUCT && t->kind != TK_RESOURCE)
            diag_error(ck->diag, t->loc, "optional numbers are not supported in a callback's parameters");
        if (t->is_array && t->kind == TK_STRUCT)
            diag_error(ck->diag, t->loc, "a callback takes string[] and numeric arrays; arrays of structs are not "
                       "supported yet");
        if (p->mode != MODE_IN && !(t->is_array && t->kind == TK_SCALAR))
            diag_error(ck->diag, p->loc, "a callback's out and inout parameters are numeric arrays (a view of C's "
                       "memory JS writes into)");
        if (t->kind == TK_STRUCT && t->c_type && !strchr(t->c_type, '*') && t->optional)
            diag_error(ck->diag, t->loc, "an optional struct comes by pointer: give its C type as \"const T *\"");
        if (p->value) {
            Expr *e = p->value;
            Param *q = e->kind == E_LEN ? find_param(f, e->name) : NULL;
            if (e->kind != E_LEN)
                diag_error(ck->diag, e->loc, "in a callback, '= len(x)' says that C passes x's length here; "
                           "nothing else is computed");
            else if (!q || q == p || !(q->type.is_array || q->type.kind == TK_STRING) || q->is_user_data)
                diag_error(ck->diag, e->loc, "len(%s): '%s' is not an array or string parameter of callback '%s'",
                           e->name, e->name, f->name);
            else if (q->cb_len || q->type.len_kind != LEN_NONE)
                diag_error(ck->diag, e->loc, "len(%s): '%s' already has its length", e->name, e->name);
            else if (!(t->kind == TK_SCALAR && !t->is_array && !t->optional && is_integer(t->id)))
                diag_error(ck->diag, t->loc, "a length is an integer (i8 to u32); '%s' is not", p->name);
            else
                q->cb_len = p, p->len_of = q;
        }
    }
    /* Lengths written as T[n]: n another parameter, or a literal. */
    for (Param *p = f->params; p; p = p->next) {
        TypeRef *t = &p->type;
        if (!t->is_array || t->kind == TK_UNRESOLVED)
            continue;
        if (t->len_kind == LEN_PARAM) {
            Param *q = find_param(f, t->len_name);
            if (!q || q == p || q->is_user_data || q->len_of || q->type.is_array || q->type.kind != TK_SCALAR ||
                !is_integer(q->type.id))
                diag_error(ck->diag, t->len_loc, "'%s' is not an integer parameter of callback '%s' (nor the "
                           "length of another)", t->len_name, f->name);
            else
                p->cb_len = q, q->len_of = p;
        } else if (t->len_kind == LEN_OF || t->len_kind == LEN_EXPR) {
            diag_error(ck->diag, t->len_loc, "a callback's array takes its length from a parameter: "
                       "T[n], or n = len(array)");
        } else if (t->len_kind == LEN_NONE && !p->cb_len && t->kind == TK_SCALAR) {
            diag_error(ck->diag, t->loc, "a callback's numeric array '%s' needs its length: a parameter "
                       "'u32 n = len(%s)', or %s[n], or %s[N]", p->name, p->name, t->name, t->name);
        }
    }
}

static void check_func(Checker *ck, Func *f) {
    check_name(ck, f->loc, f->name, f->is_import ? "import" : f->is_callback ? "callback" : "function", false);
    f->js_name = sema_camel(ck->arena, f->name);
    if (!f->owner && !f->is_import && !f->is_callback && strcmp(f->js_name, "then") == 0)
        diag_error(ck->diag, f->loc,
                   "function 'then' would make the module object a thenable: `await instantiate()` "
                   "would call it instead of giving the module; choose another name");
    if (!f->owner && !f->is_import && !f->is_callback && strcmp(f->js_name, "runtime") == 0)
        diag_error(ck->diag, f->loc,
                   "function 'runtime' would hide m.runtime, which keeps the runtime's members "
                   "reachable; choose another name");
    if (f->is_import && f->throws)
        diag_error(ck->diag, f->loc,
                   "an import cannot be declared 'throws': a JS import reports errors by throwing, "
                   "and the exception reaches the JS caller");

    check_result(ck, f);

    /* Parameters: names first, so lengths can name later parameters. */
    int index = 0;
    for (Param *p = f->params; p; p = p->next) {
        p->index = index++;
        p->js_name = sema_camel(ck->arena, p->name);
        p->js_local = is_js_reserved(p->js_name)
                          ? arena_printf(ck->arena, "%s_", p->js_name)
                          : p->js_name;
        if (f->owner && strcmp(p->name, "self") == 0 && !p->is_self)
            diag_error(ck->diag, p->loc, "'self' is the resource itself in C; name the parameter otherwise");
        if (f->throws && strcmp(p->name, "err") == 0)
            diag_error(ck->diag, p->loc, "'err' is the error report of a 'throws' function in C; name the parameter otherwise");
        for (Param *q = f->params; q != p && !p->is_self && !p->is_user_data; q = q->next) {
            if (strcmp(q->name, p->name) == 0) {
                /* (the column is worked out only for a message that is shown) */
                diag_error(ck->diag, p->loc, "duplicate parameter '%s' (first declared at column %d)",
                           p->name, diag_full(ck->diag) ? 0 : diag_col(ck->diag, q->loc));
                break;
            }
            if (strcmp(q->js_name, p->js_name) == 0) {
                diag_error(ck->diag, p->loc,
                           "parameters '%s' and '%s' are both '%s' in JavaScript", q->name,
                           p->name, p->js_name);
                break;
            }
        }
    }
    f->nparams = index;
    if (f->is_callback) {
        check_callback(ck, f);
        return;
    }
    for (Param *p = f->params; p; p = p->next)
        check_param(ck, f, p);
    for (Param *p = f->params; p; p = p->next)
        if (p->given)
            check_given(ck, f, p);
    if (f->bind)
        check_binding(ck, f);
    else
        check_no_binding(ck, f);
    check_callback_links(ck, f);

    /* Names the C prototype adds: X_len for strings and arrays. */
    for (Param *p = f->params; p; p = p->next) {
        bool has_len = (p->mode != MODE_OUT || (f->bind && !p->field_ptr)) &&
                       (p->type.kind == TK_STRING || p->type.is_array);
        if (!has_len)
            continue;
        const char *len_name = arena_printf(ck->arena, "%s_len", p->name);
        Param *q = find_param(f, len_name);
        if (q)
            diag_error(ck->diag, q->loc,
                       "parameter '%s' collides with the length C passes for '%s'; rename it",
                       q->name, p->name);
    }
}

static void check_resource(Checker *ck, Resource *r, int kind) {
    check_name(ck, r->loc, r->name, "resource", true);
    r->js_name = pascal(ck->arena, r->name);
    r->kind = kind;
    if (r->drop_fn && !r->c_type)
        diag_error(ck->diag, r->drop_loc,
                   "'drop' names the library's destructor of a resource over a library type: "
                   "write resource %s as \"T\" { ... }", r->name);
    else if (r->c_type && !r->drop_fn)
        diag_error(ck->diag, r->loc,
                   "resource '%s' over the library's '%s' needs its destructor: drop = c_function;",
                   r->name, r->c_type);
    if (r->ud_fn && !r->c_type)
        diag_error(ck->diag, r->ud_loc,
                   "'user_data' names the library's function setting the user data of an object of a library "
                   "type: write resource %s as \"T\" { ... }", r->name);
    if (r->ctor) {
        r->ctor->owner = r;
        r->ctor->ret.kind = TK_RESOURCE;
        r->ctor->ret.res = r;
        r->ctor->ret.name = r->name;
        check_func(ck, r->ctor);
        if (r->c_type && !r->ctor->bind)
            diag_error(ck->diag, r->ctor->loc,
                       "the constructor of a resource over a library type calls the library: new(...) = c_function;");
        else if (!r->c_type && r->ctor->bind)
            diag_error(ck->diag, r->ctor->bind_loc,
                       "a bound constructor makes the library's object: give its C type (resource %s as \"T\")",
                       r->name);
    }
    for (Func *f = r->ctors; f; f = f->next) {
        f->owner = r;
        f->ret.kind = TK_RESOURCE;
        f->ret.res = r;
        f->ret.name = r->name;
        if (!r->c_type)
            diag_error(ck->diag, f->loc, "named constructors make the library's object: give its C type "
                       "(resource %s as \"T\")", r->name);
        check_func(ck, f);
        for (Func *g = r->ctors; g != f; g = g->next)
            if (strcmp(g->js_name, f->js_name) == 0)
                diag_error(ck->diag, f->loc, "constructor '%s' of '%s' is already declared on line %d",
                           f->name, r->name, g->loc.line);
        if (f->params && f->params->is_self)
            diag_error(ck->diag, f->params->loc, "a named constructor returns the library's new object; "
                       "only 'new(self, ...)' initializes one the glue allocates");
    }
    for (Func *f = r->methods; f; f = f->next) {
        f->owner = r;
        if (strcmp(f->name, "drop") == 0 || strcmp(f->name, "new") == 0)
            diag_error(ck->diag, f->loc, "a method cannot be called '%s': %s_%s_%s is the %s", f->name,
                       ck->m->name, r->name, f->name, f->name[0] == 'd' ? "destructor" : "constructor");
        else if (strcmp(f->name, "free") == 0 || strcmp(f->name, "keep") == 0 || strcmp(f->name, "freed") == 0)
            diag_error(ck->diag, f->loc, "a method cannot be called '%s': every resource handle has it in JS",
                       f->name);
        else if (strcmp(f->name, "constructor") == 0)
            diag_error(ck->diag, f->loc, "a method cannot be called 'constructor': it is the JS class's constructor");
        else if (strcmp(f->name, "then") == 0)
            diag_error(ck->diag, f->loc,
                       "a method cannot be called 'then': `await` would call it on a handle, and a promise "
                       "could not resolve to one");
        check_func(ck, f);
        for (Func *g = r->methods; g != f; g = g->next)
            if (strcmp(g->name, f->name) == 0 || strcmp(g->js_name, f->js_name) == 0) {
                diag_error(ck->diag, f->loc, "method '%s' of '%s' is already declared on line %d",
                           f->name, r->name, g->loc.line);
                break;
            }
    }
}

/* ---- Names in the generated C and TypeScript
 *
 * The IDL's namespaces are not C's: a struct and a function may share a
 * name in the IDL but both become m_NAME in C; a.b_c and a_b.c both make
 * m_a_b_c; enum values red and RED both make M_E_RED. Likewise struct
 * point_input and the input type of struct point are both PointInput in
 * TypeScript. Every name the outputs declare at the top level is listed
 * here with what declares it, in source order, and a second declaration of
 * one is an error at the later IDL name. */

static size_t count_decls(const Module *m);

typedef struct OutName {
    const char *k1, *k2; /* the C or TypeScript name: k1, or k1 '_' k2 */
    const char *fmt;     /* what declares it: printf(fmt, a, b), made only for a message */
    const char *a, *b;
    Loc loc;             /* line 0: not from the IDL */
    uint32_t n1;         /* strlen(k1) (a name of the source, which is below 2 GiB) */
    bool after;          /* declared by what is at loc, just after it (a destructor, an input type) */
} OutName;

typedef struct OutNames {
    OutName *v;
    size_t n, cap;
    Arena *arena;
    size_t *slots; /* open addressing: index + 1 into v, 0 empty */
    size_t nslots;
} OutNames;

static void out_name2(OutNames *o, const char *k1, const char *k2, Loc loc, const char *fmt, const char *a,
                      const char *b) {
    if (o->n == o->cap) {
        size_t cap = o->cap ? 2 * o->cap : 64;
        OutName *v = arena_alloc(o->arena, cap * sizeof *v);
        if (o->n)
            memcpy(v, o->v, o->n * sizeof *v);
        o->v = v, o->cap = cap;
    }
    o->v[o->n++] = (OutName){k1, k2, fmt, a, b, loc, (uint32_t)strlen(k1), false};
}

static void out_name(OutNames *o, const char *key, Loc loc, const char *fmt, const char *a, const char *b) {
    out_name2(o, key, NULL, loc, fmt, a, b);
}

/* The i-th character of e's name (0 past its end). */
static inline char out_char(const OutName *e, size_t i) {
    if (i < e->n1)
        return e->k1[i];
    if (!e->k2)
        return '\0';
    return i == e->n1 ? '_' : e->k2[i - e->n1 - 1];
}

static size_t out_hash(const OutName *e) { /* hash() of the name spelled out */
    size_t h = 1469598103934665603u;
    char c;
    for (size_t i = 0; (c = out_char(e, i)) != '\0'; i++)
        h = (h ^ (unsigned char)c) * 1099511628211u;
    return h;
}

static bool out_same(const OutName *x, const OutName *y) {
    for (size_t i = 0;; i++) {
        char c = out_char(x, i);
        if (c != out_char(y, i))
            return false;
        if (c == '\0')
            return true;
    }
}

static bool out_is(const OutName *e, const char *key) {
    for (size_t i = 0;; i++) {
        char c = out_char(e, i);
        if (c != key[i])
            return false;
        if (c == '\0')
            return true;
    }
}

static const char *out_key(Arena *arena, const OutName *e) {
    return e->k2 ? arena_printf(arena, "%s_%s", e->k1, e->k2) : e->k1;
}

static const char *out_what(Arena *arena, const OutName *e) { return arena_printf(arena, e->fmt, e->a, e->b); }

static int compare_out_names(const void *x, const void *y) {
    const OutName *p = x, *q = y;
    if (p->loc.line != q->loc.line) /* no location (0) first */
        return p->loc.line < q->loc.line ? -1 : 1;
    if (p->loc.offset != q->loc.offset)
        return p->loc.offset < q->loc.offset ? -1 : 1;
    return p->after - q->after;
}

static const OutName *out_find(const OutNames *o, const char *key) {
    for (size_t i = hash(key) & (o->nslots - 1); o->slots[i]; i = (i + 1) & (o->nslots - 1))
        if (out_is(&o->v[o->slots[i] - 1], key))
            return &o->v[o->slots[i] - 1];
    return NULL;
}

/* Report every name declared twice, at the later declaration; then
 * out_find() looks names up. */
static void check_out_names(Checker *ck, OutNames *o, const char *lang) {
    /* In the order of the IDL (only the fixed names, line 0, share a
     * location): often already so, and a sort is n log n even then. */
    size_t sorted = 1;
    while (sorted < o->n && compare_out_names(&o->v[sorted - 1], &o->v[sorted]) <= 0)
        sorted++;
    if (sorted < o->n)
        qsort(o->v, o->n, sizeof *o->v, compare_out_names);
    o->nslots = 16;
    while (o->nslots < 2 * o->n)
        o->nslots *= 2;
    o->slots = arena_alloc(ck->arena, o->nslots * sizeof *o->slots);
    memset(o->slots, 0, o->nslots * sizeof *o->slots);
    for (size_t k = 0; k < o->n; k++) {
        const OutName *e = &o->v[k];
        size_t i = out_hash(e) & (o->nslots - 1);
        while (o->slots[i] && !out_same(&o->v[o->slots[i] - 1], e))
            i = (i + 1) & (o->nslots - 1);
        if (!o->slots[i]) {
            o->slots[i] = k + 1;
            continue;
        }
        const OutName *prev = &o->v[o->slots[i] - 1];
        const char *what = out_what(ck->arena, e), *pwhat = out_what(ck->arena, prev);
        const char *key = out_key(ck->arena, e);
        if (prev->loc.line == 0)
            diag_error(ck->diag, e->loc, "%s is '%s' in %s, which is %s; rename it", what, key, lang, pwhat);
        else
            diag_error(ck->diag, e->loc, "%s is '%s' in %s, like %s on line %d; rename one", what, key, lang,
                       pwhat, prev->loc.line);
    }
}

/* A parameter is a bare C name in the prototype and in the glue's wrapper,
 * where it must not hide a type or function of the module. */
static void check_param_c_names(Checker *ck, const OutNames *c, const Func *f) {
    for (const Param *p = f->params; p; p = p->next) {
        const OutName *d = out_find(c, p->name);
        if (d && d->loc.line != 0)
            diag_error(ck->diag, p->loc, "parameter '%s' is the C name of %s (line %d); choose another name",
                       p->name, out_what(ck->arena, d), d->loc.line);
    }
}

static char *upper(Arena *a, const char *s) {
    char *u = arena_strndup(a, s, strlen(s));
    for (char *p = u; *p; p++)
        *p = (char)toupper((unsigned char)*p);
    return u;
}

/* Note in `lists` each struct that is an element type of an array. */
static void note_list(NameTable *lists, const TypeRef *t) {
    if (t->is_array && t->kind == TK_STRUCT)
        table_put(lists, t->name, t->name, t->loc);
}

static void note_func_lists(NameTable *lists, const Func *f) {
    note_list(lists, &f->ret);
    for (const Param *p = f->params; p; p = p->next)
        note_list(lists, &p->type);
}

/* The C names the outputs declare, spelled as lower_module (lower.c) spells
 * them: m_NAME for types, functions and imports, m_R_NAME for a resource's
 * constructor (new), methods and destructor (drop), M_E_V for enum values,
 * m_S_array for the list type of a struct used as S[]. Keep in step. */
static void check_c_names(Checker *ck) {
    Module *m = ck->m;
    Arena *a = ck->arena;
    if (!m->name)
        return;
    const char *pre = m->name;
    OutNames o = {0};
    o.arena = a;
    o.cap = 4 + (size_t)m->nfuncs;
    for (const Struct *st = m->structs; st; st = st->next)
        o.cap += 2;
    for (const Enum *en = m->enums; en; en = en->next)
        for (const EnumValue *v = en->values; v; v = v->next)
            o.cap += 2;
    for (const Resource *r = m->resources; r; r = r->next)
        for (const Func *f = r->methods; f; f = f->next)
            o.cap += 3;
    for (const Func *f = m->imports; f; f = f->next)
        o.cap++;
    o.v = arena_alloc(a, o.cap * sizeof *o.v);
    Loc fixed = {0};
    out_name(&o, arena_printf(a, "WASMGEN_%s_H", upper(a, pre)), fixed, "the generated header's include guard",
             NULL, NULL);
    out_name(&o, "WASMGEN_H", fixed, "a macro of wasmgen.h", NULL, NULL);
    out_name(&o, "WASMGEN_RUNTIME_VERSION", fixed, "a macro of wasmgen.h", NULL, NULL);
    size_t nstructs = 0;
    for (const Struct *st = m->structs; st; st = st->next)
        nstructs++;
    NameTable lists = table_new(a, nstructs);
    for (const Struct *st = m->structs; st; st = st->next)
        for (const Field *f = st->fields; f; f = f->next)
            note_list(&lists, &f->type);
    for (const Func *f = m->funcs; f; f = f->next)
        note_func_lists(&lists, f);
    for (const Resource *r = m->resources; r; r = r->next)
        for (const Func *f = r->methods; f; f = f->next)
            note_func_lists(&lists, f);
    for (const Struct *st = m->structs; st; st = st->next) {
        out_name(&o, arena_printf(a, "%s_%s", pre, st->name), st->loc, "struct '%s'", st->name, NULL);
        if (table_get(&lists, st->name))
            out_name(&o, arena_printf(a, "%s_%s_array", pre, st->name), st->loc, "the list type of struct '%s'",
                     st->name, NULL);
    }
    for (const Enum *en = m->enums; en; en = en->next) {
        out_name(&o, arena_printf(a, "%s_%s", pre, en->name), en->loc, en->is_flags ? "flags '%s'" : "enum '%s'",
                 en->name, NULL);
        const char *stem = upper(a, arena_printf(a, "%s_%s", pre, en->name));
        for (const EnumValue *v = en->values; v; v = v->next)
            out_name(&o, arena_printf(a, "%s_%s", stem, upper(a, v->name)), v->loc,
                     en->is_flags ? "flag '%s' of flags '%s'" : "value '%s' of enum '%s'", v->name, en->name);
    }
    for (const Resource *r = m->resources; r; r = r->next) {
        const char *rc = arena_printf(a, "%s_%s", pre, r->name);
        out_name(&o, rc, r->loc, "resource '%s'", r->name, NULL);
        if (r->ctor)
            out_name2(&o, rc, "new", r->ctor->loc, "the constructor of resource '%s'", r->name, NULL);
        for (const Func *f = r->methods; f; f = f->next)
            out_name2(&o, rc, f->name, f->loc, "method '%s.%s'", r->name, f->name);
        /* The destructor has no IDL declaration: it comes right after the resource's name. */
        out_name2(&o, rc, "drop", r->loc, "the destructor of resource '%s'", r->name, NULL);
        o.v[o.n - 1].after = true;
    }
    for (const Func *f = m->funcs; f; f = f->next)
        out_name2(&o, pre, f->name, f->loc, "function '%s'", f->name, NULL);
    for (const Func *f = m->imports; f; f = f->next)
        out_name2(&o, pre, f->name, f->loc, "import '%s'", f->name, NULL);
    check_out_names(ck, &o, "C");
    for (const Resource *r = m->resources; r; r = r->next) {
        if (r->ctor)
            check_param_c_names(ck, &o, r->ctor);
        for (const Func *f = r->methods; f; f = f->next)
            check_param_c_names(ck, &o, f);
    }
    for (const Func *f = m->funcs; f; f = f->next)
        check_param_c_names(ck, &o, f);
    for (const Func *f = m->imports; f; f = f->next)
        check_param_c_names(ck, &o, f);
}

static void check_ts_names(Checker *ck) {
    Module *m = ck->m;
    Arena *a = ck->arena;
    if (!m->name || !m->ts_name)
        return;
    OutNames o = {0};
    o.arena = a;
    Loc fixed = {0};
    for (const char *const *t = ts_taken; *t; t++)
        out_name(&o, *t, fixed, "a name the runtime's declarations already use", NULL, NULL);
    out_name(&o, m->ts_name, m->loc, "the module's interface", NULL, NULL);
    out_name(&o, arena_printf(a, "%sImports", m->ts_name), m->loc, "the interface of the module's imports", NULL, NULL);
    for (const Struct *st = m->structs; st; st = st->next) {
        out_name(&o, st->ts_name, st->loc, "struct '%s'", st->name, NULL);
        out_name(&o, arena_printf(a, "%sInput", st->ts_name), st->loc, "the input type of struct '%s'", st->name, NULL);
        o.v[o.n - 1].after = true; /* right after the struct's name */
    }
    for (const Enum *en = m->enums; en; en = en->next)
        out_name(&o, en->ts_name, en->loc, en->is_flags ? "flags '%s'" : "enum '%s'", en->name, NULL);
    for (const Resource *r = m->resources; r; r = r->next)
        out_name(&o, r->js_name, r->loc, "resource '%s'", r->name, NULL);
    check_out_names(ck, &o, "TypeScript");
}

static size_t count_decls(const Module *m) {
    size_t n = (size_t)m->nfuncs + 8;
    for (const Struct *s = m->structs; s; s = s->next) n++;
    for (const Enum *e = m->enums; e; e = e->next) n++;
    for (const Resource *r = m->resources; r; r = r->next) n++;
    for (const Func *f = m->imports; f; f = f->next) n++;
    for (const Func *f = m->callbacks; f; f = f->next) n++;
    return n;
}

bool sema_check(Module *m, Arena *arena, Diag *diag) {
    Checker ck = {m, arena, diag, 0, {0}};
    int before = diag->errors;
    if (m->name) {
        check_name(&ck, m->loc, m->name, "module", false);
        if ((m->name[0] | 0x20) == 'w' && (m->name[1] | 0x20) == 'g' && m->name[2] == '\0')
            diag_error(diag, m->loc, "module name '%s' is reserved: it is the runtime's C prefix", m->name);
        char *ts = arena_printf(arena, "%sModule", sema_camel(arena, m->name));
        ts[0] = (char)toupper((unsigned char)ts[0]);
        m->ts_name = ts;
    }
    size_t n = count_decls(m);

    /* Types: one namespace, apart from the built-in names (its table sized
     * by the types, not by every declaration: a table is touched whole). */
    size_t ntypes = 0, nconsts = 0;
    for (const Struct *st = m->structs; st; st = st->next)
        ntypes++;
    for (const Enum *en = m->enums; en; en = en->next)
        ntypes++, nconsts += en->is_flags;
    for (const Resource *r = m->resources; r; r = r->next)
        ntypes++;
    for (const Func *cb = m->callbacks; cb; cb = cb->next)
        ntypes++;
    for (const Const *c = m->consts; c; c = c->next)
        nconsts++;
    ck.types = table_new(arena, ntypes);
    const Declared *prev;
#define DECLARE_TYPE(node, what, tk)                                                           \
    do {                                                                                       \
        if (scalar_lookup((node)->name) != T_UNRESOLVED)                                       \
            diag_error(diag, (node)->loc, "%s '%s' has the name of a built-in type", what,     \
                       (node)->name);                                                          \
        else if ((prev = table_put_node(&ck.types, (node)->name, (node)->name, (node)->loc,    \
                                        (node), (tk))) != NULL)                                \
            diag_error(diag, (node)->loc, "type '%s' is already declared on line %d",          \
                       (node)->name, prev->loc.line);                                          \
    } while (0)
    for (Struct *st = m->structs; st; st = st->next)
        DECLARE_TYPE(st, "struct", TK_STRUCT);
    for (Enum *en = m->enums; en; en = en->next)
        DECLARE_TYPE(en, "enum", TK_ENUM);
    for (Resource *r = m->resources; r; r = r->next)
        DECLARE_TYPE(r, "resource", TK_RESOURCE);
    for (Func *cb = m->callbacks; cb; cb = cb->next)
        DECLARE_TYPE(cb, "callback", TK_CALLBACK);
#undef DECLARE_TYPE

    for (Enum *en = m->enums; en; en = en->next)
        check_enum(&ck, en);
    for (Struct *st = m->structs; st; st = st->next)
        check_struct(&ck, st);

    /* A library binding: headers, the C prefix, constants, library types. */
    if (m->c_prefix_decl) {
        check_name(&ck, m->c_prefix_loc, m->c_prefix_decl, "C prefix", false);
        if (strcmp(m->c_prefix_decl, "wg") == 0)
            diag_error(diag, m->c_prefix_loc, "C prefix 'wg' is reserved: it is the runtime's C prefix");
    }
    for (Include *inc = m->includes; inc; inc = inc->next)
        if (!*inc->path || strchr(inc->path, '>') || strchr(inc->path, '<'))
            diag_error(diag, inc->loc, "include \"%s\": give the header's path, as #include \"...\" takes it",
                       inc->path);
    bool library_types = false;
    for (Enum *en = m->enums; en; en = en->next)
        library_types |= en->c_type != NULL;
    for (Struct *st = m->structs; st; st = st->next) {
        library_types |= st->c_type != NULL;
        if (!st->c_type)
            continue;
        for (Field *f = st->fields; f; f = f->next)
            if (f->type.kind == TK_STRING || f->type.is_array)
                diag_error(diag, f->loc, "a library struct holds numbers, enums and structs here: its "
                           "pointers' owner is the library's business; '%s' is %s", f->name,
                           f->type.kind == TK_STRING ? "a string" : "an array");
    }
    for (Resource *r = m->resources; r; r = r->next)
        library_types |= r->c_type != NULL;
    if ((library_types || m->consts) && !m->includes)
        diag_error(diag, m->loc, "the module names the library's types or constants but includes no header: "
                   "add include \"lib.h\";");
    /* The JS module's own exports: the constants and the flag sets' values. */
    NameTable consts = table_new(arena, nconsts);
    for (const Enum *en = m->enums; en; en = en->next) {
        if (!en->is_flags)
            continue;
        if (is_module_export(en->ts_name))
            diag_error(diag, en->loc, "flags '%s' would export '%s' from the JS module, which is the runtime's",
                       en->name, en->ts_name);
        table_put(&consts, en->ts_name, en->name, en->loc);
    }
    for (Const *c = m->consts; c; c = c->next) {
        check_name(&ck, c->loc, c->name, "constant", true);
        if (is_js_reserved(c->name) || is_module_export(c->name))
            diag_error(diag, c->loc, "constant '%s' would not be a valid export of the JS module", c->name);
        if ((prev = table_put(&consts, c->name, c->name, c->loc)) == NULL)
            ;
        else if (strcmp(prev->name, c->name) == 0)
            diag_error(diag, c->loc, "constant '%s' is already declared on line %d", c->name, prev->loc.line);
        else
            diag_error(diag, c->loc, "constant '%s' has the name the JS module exports the values of flags '%s' "
                       "under (line %d)", c->name, prev->name, prev->loc.line);
        if (!resolve(&ck, &c->type))
            continue;
        const TypeRef *t = &c->type;
        if (t->kind != TK_SCALAR || t->is_array || t->optional || scalar_info(t->id)->kind != K_INT) {
            diag_error(diag, t->loc, "a constant is an integer of up to 32 bits (i8 to u32); '%s' is not",
                       t->name);
            continue;
        }
        int64_t lo, hi;
        int_range(scalar_info(t->id), &lo, &hi);
        if (c->value < lo || c->value > hi)
            diag_error(diag, c->loc, "constant '%s' = %lld does not fit in %s", c->name, (long long)c->value, t->name);
    }
    for (Struct *st = m->structs; st; st = st->next)
        layout(&ck, st);

    /* Callback types, before the functions that take them. */
    int ncb = 0;
    for (Func *cb = m->callbacks; cb; cb = cb->next) {
        cb->cb_index = ncb++;
        cb->ts_name = pascal(arena, cb->name);
        check_func(&ck, cb);
    }
    m->ncallbacks = ncb;

    /* Names on the module object: functions, resource classes. */
    NameTable names = table_new(arena, n), js_names = table_new(arena, n);
    int kind = 1;
    for (Resource *r = m->resources; r; r = r->next) {
        check_resource(&ck, r, kind++);
        if ((prev = table_put(&js_names, r->js_name, r->name, r->loc)) != NULL)
            diag_error(diag, r->loc, "resources '%s' (line %d) and '%s' are both m.%s in JavaScript",
                       prev->name, prev->loc.line, r->name, r->js_name);
    }
    for (Func *f = m->funcs; f; f = f->next) {
        check_func(&ck, f);
        if ((prev = table_put(&names, f->name, f->name, f->loc)) != NULL)
            diag_error(diag, f->loc, "function '%s' is already declared on line %d", f->name,
                       prev->loc.line);
        else if ((prev = table_put(&js_names, f->js_name, f->name, f->loc)) != NULL)
            diag_error(diag, f->loc, "'%s' (line %d) and '%s' are both m.%s in JavaScript",
                       prev->name, prev->loc.line, f->name, f->js_name);
        if (diag_full(diag))
            break;
    }
    for (Func *f = m->imports; f; f = f->next) {
        check_func(&ck, f);
        if ((prev = table_put(&names, f->name, f->name, f->loc)) != NULL)
            diag_error(diag, f->loc, "'%s' is already declared on line %d; an import needs a name of its own",
                       f->name, prev->loc.line);
    }
    if (diag->errors == before) { /* names already in error would be reported twice */
        check_c_names(&ck);
        check_ts_names(&ck);
    }
    return diag->errors == before;
}
