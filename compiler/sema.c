/*
 * sema.c - from a parsed tree to one the emitters can print without
 * deciding anything: types resolved, names checked, and every parameter and
 * result lowered to an ABI class with its return-area slot.
 */
#include "sema.h"

#include <ctype.h>
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
    "yield", "arguments", "eval", "undefined", "NaN", "Infinity", NULL};

/* Members of the object instantiate() resolves to, besides the functions. */
/* Members of the module object besides the functions. A function may take
 * one of these names (it wins; the member stays reachable as m.runtime.NAME),
 * except "runtime" itself. ORDER MEMBERS: keep in step with Runtime.finish in
 * runtime/wasmgen-runtime.mjs and WasmgenModule in wasmgen-runtime.d.ts. */
static const char *const runtime_members[] = {"stats",  "flush",       "scope",  "alloc",
                                              "from",   "leaks",       "flushOutput", "memory",
                                              "exports", "runtime",    NULL};

static bool in_list(const char *const *list, const char *s) {
    for (; *list; list++)
        if (strcmp(*list, s) == 0)
            return true;
    return false;
}

bool wg_is_runtime_member(const char *js_name) { return in_list(runtime_members, js_name); }

char *wg_camel(Arena *arena, const char *name) {
    size_t n = strlen(name);
    char *out = arena_alloc(arena, n + 1);
    size_t o = 0;
    for (size_t i = 0; i < n; i++) {
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
    if (best)
        diag_error(ck->diag, t->loc, "unknown type '%s'; did you mean '%s'?", t->name, best);
    else
        diag_error(ck->diag, t->loc, "unknown type '%s'", t->name);
}

/* Resolve a type; false (reported) when it does not name one. */
static bool resolve(Checker *ck, TypeRef *t) {
    t->id = scalar_lookup(t->name);
    if (t->id == T_UNRESOLVED) {
        unknown_type(ck, t);
        return false;
    }
    if (t->is_array) {
        if (t->id == T_VOID || t->id == T_STRING || t->id == T_BOOL) {
            const char *hint = t->id == T_BOOL ? "; use u8[] for an array of flags" : "";
            diag_error(ck->diag, t->loc, "arrays of '%s' are not supported%s", t->name, hint);
            return false;
        }
    }
    return true;
}

static bool is_integer(ScalarId id) {
    const ScalarInfo *si = scalar_info(id);
    return si && si->kind == K_INT;
}

/* Rules every declared name must keep. `what` says what it names. */
static void check_name(Checker *ck, Loc loc, const char *name, const char *what, bool c_visible) {
    if (strncmp(name, "wg_", 3) == 0 || strncmp(name, "__", 2) == 0)
        diag_error(ck->diag, loc, "%s name '%s' is reserved: names starting with 'wg_' or '__' belong to wasmgen",
                   what, name);
    else if (c_visible && in_list(c_reserved, name))
        diag_error(ck->diag, loc, "%s name '%s' is a reserved word in C or C++; choose another name",
                   what, name);
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
        } else if (q->mode != MODE_IN || q->type.is_array || !is_integer(scalar_lookup(q->type.name))) {
            diag_error(ck->diag, t->len_loc,
                       "out array length '%s' must be an in parameter of an integer type "
                       "(i8 to u32); it is %s%s%s",
                       t->len_name, q->mode == MODE_OUT ? "out " : q->mode == MODE_INOUT ? "inout " : "",
                       q->type.name, q->type.is_array ? "[]" : "");
        } else {
            p->len_param = q;
        }
        return;
    }
    case LEN_OF: {
        Param *q = find_param(f, t->len_name);
        if (!q)
            diag_error(ck->diag, t->len_loc, "len(%s): '%s' is not a parameter of '%s'",
                       t->len_name, t->len_name, f->name);
        else if (!q->type.is_array || q->mode == MODE_OUT)
            diag_error(ck->diag, t->len_loc, "len(%s): '%s' must be an in or inout array parameter",
                       t->len_name, t->len_name);
        else
            p->len_param = q;
        return;
    }
    }
}

static void check_param(Checker *ck, Func *f, Param *p) {
    check_name(ck, p->loc, p->name, "parameter", true);
    if (!resolve(ck, &p->type))
        return;
    TypeRef *t = &p->type;
    if (t->id == T_VOID) {
        diag_error(ck->diag, t->loc, "parameter '%s' cannot be void", p->name);
        return;
    }
    switch (p->mode) {
    case MODE_IN:
        if (t->len_kind != LEN_NONE)
            diag_error(ck->diag, t->len_loc,
                       "only out arrays declare a length; an in array brings its own");
        p->abi = t->is_array ? ABI_ARRAY_IN : t->id == T_STRING ? ABI_STRING_IN : ABI_SCALAR;
        break;
    case MODE_INOUT:
        if (!t->is_array) {
            diag_error(ck->diag, p->loc,
                       "inout applies to arrays only; '%s' is %s (use out for a result)", p->name,
                       t->name);
            return;
        }
        if (t->len_kind != LEN_NONE)
            diag_error(ck->diag, t->len_loc,
                       "only out arrays declare a length; an inout array brings its own");
        p->abi = ABI_ARRAY_INOUT;
        break;
    case MODE_OUT:
        if (t->id == T_STRING) {
            diag_error(ck->diag, t->loc, "out strings are not supported; return the string instead");
            return;
        }
        if (t->is_array) {
            check_out_length(ck, f, p);
            p->abi = ABI_OUT_ARRAY;
        } else {
            p->abi = ABI_OUT_SCALAR;
        }
        break;
    }
}

static void check_func(Checker *ck, Func *f) {
    Module *m = ck->m;
    check_name(ck, f->loc, f->name, "function", false);
    f->c_name = arena_printf(ck->arena, "%s_%s", m->name ? m->name : "", f->name);
    f->js_name = wg_camel(ck->arena, f->name);
    f->export_name = arena_printf(ck->arena, "wg_f_%s", f->name);
    if (strcmp(f->js_name, "runtime") == 0)
        diag_error(ck->diag, f->loc,
                   "function 'runtime' would hide m.runtime, which keeps the runtime's members "
                   "reachable; choose another name");

    /* The result. */
    if (resolve(ck, &f->ret)) {
        TypeRef *t = &f->ret;
        if (t->len_kind != LEN_NONE)
            diag_error(ck->diag, t->len_loc,
                       "a returned array carries its own length; write %s[]", t->name);
        f->ret_abi = t->id == T_VOID ? ABI_NONE
                     : t->is_array   ? ABI_RET_ARRAY
                     : t->id == T_STRING ? ABI_RET_STRING
                                         : ABI_SCALAR;
    }

    /* Parameters: names first, so lengths can name later parameters. */
    int index = 0;
    for (Param *p = f->params; p; p = p->next) {
        p->index = index++;
        p->js_name = wg_camel(ck->arena, p->name);
        p->js_local = in_list(js_reserved, p->js_name)
                          ? arena_printf(ck->arena, "%s_", p->js_name)
                          : p->js_name;
        for (Param *q = f->params; q != p; q = q->next) {
            if (strcmp(q->name, p->name) == 0) {
                diag_error(ck->diag, p->loc, "duplicate parameter '%s' (first declared at column %d)",
                           p->name, q->loc.col);
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
    for (Param *p = f->params; p; p = p->next)
        check_param(ck, f, p);

    /* Names the C prototype adds: X_len for strings and arrays. */
    for (Param *p = f->params; p; p = p->next) {
        if (p->abi != ABI_STRING_IN && p->abi != ABI_ARRAY_IN && p->abi != ABI_ARRAY_INOUT)
            continue;
        const char *len_name = arena_printf(ck->arena, "%s_len", p->name);
        Param *q = find_param(f, len_name);
        if (q)
            diag_error(ck->diag, q->loc,
                       "parameter '%s' collides with the length C passes for '%s'; rename it",
                       q->name, p->name);
    }

    /* Results: the return value, then out scalars, take return-area slots;
     * out arrays come back through buffers the caller allocates. A single
     * scalar result is the export's own wasm result. */
    int slots = 0, outs = 0, out_scalars = 0;
    Param *only_out_scalar = NULL;
    for (Param *p = f->params; p; p = p->next) {
        if (p->mode != MODE_OUT)
            continue;
        outs++;
        if (p->abi == ABI_OUT_SCALAR) {
            out_scalars++;
            only_out_scalar = p;
        }
    }
    bool has_ret = f->ret_abi != ABI_NONE;
    f->nresults = (has_ret ? 1 : 0) + outs;
    if (has_ret && f->ret_abi == ABI_SCALAR && out_scalars == 0) {
        f->direct = true;
    } else if (!has_ret && out_scalars == 1) {
        f->direct = true;
        f->direct_out = only_out_scalar;
    } else {
        if (has_ret)
            f->ret_slot = slots++;
        for (Param *p = f->params; p; p = p->next)
            if (p->abi == ABI_OUT_SCALAR)
                p->slot = slots++;
    }
    f->nslots = slots;
}

/* ---- A small open-addressing table of names, so that checking stays
 * linear in the number of functions. */
typedef struct NameTable {
    const char **keys;
    Func **vals;
    size_t cap;
} NameTable;

static size_t hash(const char *s) {
    size_t h = 1469598103934665603u;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211u;
    return h;
}

/* Insert name -> f; returns the function already there, or NULL. */
static Func *table_put(NameTable *t, const char *name, Func *f) {
    size_t i = hash(name) & (t->cap - 1);
    while (t->keys[i]) {
        if (strcmp(t->keys[i], name) == 0)
            return t->vals[i];
        i = (i + 1) & (t->cap - 1);
    }
    t->keys[i] = name;
    t->vals[i] = f;
    return NULL;
}

bool wg_check(Module *m, Arena *arena, Diag *diag) {
    Checker ck = {m, arena, diag};
    int before = diag->errors;
    if (m->name) {
        check_name(&ck, m->loc, m->name, "module", false);
        if (strcmp(m->name, "wg") == 0)
            diag_error(diag, m->loc, "module name 'wg' is reserved: it is the runtime's C prefix");
        char *ts = arena_printf(arena, "%sModule", wg_camel(arena, m->name));
        ts[0] = (char)toupper((unsigned char)ts[0]);
        m->ts_name = ts;
    }
    size_t cap = 16;
    while (cap < (size_t)m->nfuncs * 4)
        cap *= 2;
    NameTable names = {arena_alloc(arena, cap * sizeof(char *)), arena_alloc(arena, cap * sizeof(Func *)), cap};
    NameTable js_names = {arena_alloc(arena, cap * sizeof(char *)), arena_alloc(arena, cap * sizeof(Func *)), cap};
    for (Func *f = m->funcs; f; f = f->next) {
        check_func(&ck, f);
        Func *g = table_put(&names, f->name, f);
        if (g)
            diag_error(diag, f->loc, "function '%s' is already declared on line %d", f->name,
                       g->loc.line);
        else if ((g = table_put(&js_names, f->js_name, f)) != NULL)
            diag_error(diag, f->loc,
                       "functions '%s' (line %d) and '%s' are both '%s' in JavaScript", g->name,
                       g->loc.line, f->name, f->js_name);
        if (diag_full(diag))
            break;
    }
    return diag->errors == before;
}
