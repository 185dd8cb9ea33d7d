/*
 * emit_host.c - NAME_host.h and NAME_host.c: the module run natively,
 * sandboxed, through wabt's wasm2c (the README's "Native host").
 *
 * NAME_host.h declares a typed API mirroring NAME.h: NAME_host_new/free,
 * one `int NAME_host_F(NAME_host *h, ...)` per IDL function with every
 * result through a pointer, zero-copy NAME_host_F_view variants for string
 * and array results, resources as opaque handles, and the imports as a
 * table of C function pointers. NAME_host.c implements it over wasm2c's
 * NAME.wasm2c.h and libwasmgen-host.a: a body function per call, run by
 * WG_HOST_CALL, whose every statement is a template of the parameters' and
 * result's rows in abi.def (the host columns); plus, per struct, list, enum
 * and resource, the hs_* helpers those templates name. It holds only what
 * is the module's own: what is the same for every module is in the runtime
 * (wasmgen-host-glue.h's functions, and its macros where the module's names
 * must appear: WG_HOST_MODULE, WG_HOST_INSTANCE_API, WG_HOST_STRUCT,
 * WG_HOST_LIST, WG_HOST_ENUM; the scalars' conversions in
 * wasmgen_host_tables.h, from types.def).
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "emit.h"

/* ---- Names */

/* wasm2c's mangling of a module or export name: Z_ then the name with
 * every byte but letters, digits and '_' (and 'Z' itself) as Z and two hex
 * digits. */
static void mangle(Buf *out, const char *s) {
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if ((isalnum(c) && c != 'Z') || c == '_')
            buf_putc(out, (char)c);
        else
            buf_printf(out, "Z%02X", c);
    }
}

/* Z_<module> of wasm2c -n NAME. */
static void wasm_module(Buf *out, const Module *m) {
    buf_puts(out, "Z_");
    mangle(out, m->name);
}

/* The export's C function: Z_<module>Z_<export>. */
static void wasm_export(Buf *out, const Module *m, const char *export_name) {
    wasm_module(out, m);
    buf_puts(out, "Z_");
    mangle(out, export_name);
}

/* The import module "wasmgen:NAME", mangled. */
static void import_module(Buf *out, const Module *m) {
    buf_puts(out, "Z_");
    Buf name = {0};
    buf_printf(&name, "wasmgen:%s", m->name);
    mangle(out, name.data);
    buf_free(&name);
}

static void upper(Buf *out, const char *s) {
    for (; *s; s++)
        buf_putc(out, (char)toupper((unsigned char)*s));
}

/* The host API's name of a function: NAME_host_F, NAME_host_R_new, NAME_host_R_M. */
static void api_name(Buf *out, const Module *m, const Func *f) {
    if (f->owner)
        buf_printf(out, "%s_host_%s_%s", m->name, f->owner->name, f->is_ctor ? "new" : f->name);
    else
        buf_printf(out, "%s_host_%s", m->name, f->name);
}

/* The body and context of a function in NAME_host.c (static). */
static void local_name(Buf *out, const char *kind, const Func *f) {
    if (f->owner)
        buf_printf(out, "hs_%s_%s_%s", kind, f->owner->name, f->is_ctor ? "new" : f->name);
    else
        buf_printf(out, "hs_%s_%s", kind, f->name);
}

/* ---- Names the API declares, checked for collisions: an IDL function
 * `free` would be NAME_host_free. A collision becomes an #error. */

typedef struct NameSet {
    const char **slots;
    size_t cap, n;
} NameSet;

static size_t hash(const char *s) {
    size_t h = 1469598103934665603u;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211u;
    return h;
}

/* Add `name`; false if it was there. The set keeps `name` (not a copy). */
static bool name_add(NameSet *set, const char *name) {
    if (set->n * 2 >= set->cap) {
        size_t cap = set->cap ? set->cap * 2 : 64;
        const char **slots = calloc(cap, sizeof *slots);
        if (slots == NULL)
            return true; /* no check rather than no output */
        for (size_t i = 0; i < set->cap; i++) {
            if (!set->slots[i])
                continue;
            size_t j = hash(set->slots[i]) & (cap - 1);
            while (slots[j])
                j = (j + 1) & (cap - 1);
            slots[j] = set->slots[i];
        }
        free(set->slots);
        set->slots = slots;
        set->cap = cap;
    }
    size_t i = hash(name) & (set->cap - 1);
    for (; set->slots[i]; i = (i + 1) & (set->cap - 1))
        if (strcmp(set->slots[i], name) == 0)
            return false;
    set->slots[i] = name;
    set->n++;
    return true;
}

/* ---- Parameter lists: a declaration like "const char *s, size_t s_len"
 * is pieces, each a declaration whose last identifier is its name. */

#define MAX_PIECES 4

typedef struct Pieces {
    Buf text[MAX_PIECES];
    int n;
} Pieces;

static void pieces_of(Pieces *p, const char *decl) {
    p->n = 0;
    for (const char *s = decl; *s && p->n < MAX_PIECES;) {
        const char *comma = strstr(s, ", ");
        size_t len = comma ? (size_t)(comma - s) : strlen(s);
        p->text[p->n].len = 0;
        buf_putn(&p->text[p->n], s, len);
        p->n++;
        s += len + (comma ? 2 : 0);
    }
}

static void pieces_free(Pieces *p) {
    for (int i = 0; i < MAX_PIECES; i++)
        buf_free(&p->text[i]);
}

/* The name a declaration piece declares. */
static void piece_name(Buf *out, const Buf *piece) {
    size_t end = piece->len, start = end;
    while (start > 0 && (isalnum((unsigned char)piece->data[start - 1]) || piece->data[start - 1] == '_'))
        start--;
    buf_putn(out, piece->data + start, end - start);
}

/* One call's C parameters, as the host API declares them, in order: self,
 * then every IDL parameter, then the result; for the view variant, its
 * result. Each entry is a declaration piece and whether it is a result
 * pointer (checked for NULL). */
typedef struct Decl {
    Buf text;
    bool result;
    bool buffer; /* a result that is the caller's buffer (an out array), written in place */
} Decl;

typedef struct Decls {
    Decl *d;
    int n, cap;
} Decls;

static void decls_add(Decls *ds, const char *text, size_t len, bool result, bool buffer) {
    if (ds->n == ds->cap) {
        ds->cap = ds->cap ? ds->cap * 2 : 8;
        Decl *d = realloc(ds->d, (size_t)ds->cap * sizeof *d);
        if (d == NULL)
            abort();
        ds->d = d;
    }
    Decl *d = &ds->d[ds->n++];
    memset(d, 0, sizeof *d);
    buf_putn(&d->text, text, len);
    d->result = result;
    d->buffer = buffer;
}

static void decls_expand(Decls *ds, const char *tmpl, const Bind *b, bool result, bool buffer) {
    Buf decl = {0};
    abi_expand(&decl, tmpl, b, "", NULL, 0);
    Pieces p;
    memset(&p, 0, sizeof p);
    pieces_of(&p, decl.data ? decl.data : "");
    for (int i = 0; i < p.n; i++)
        decls_add(ds, p.text[i].data, p.text[i].len, result, buffer);
    pieces_free(&p);
    buf_free(&decl);
}

static void decls_free(Decls *ds) {
    for (int i = 0; i < ds->n; i++)
        buf_free(&ds->d[i].text);
    free(ds->d);
    memset(ds, 0, sizeof *ds);
}

static const char *param_decl(const Param *p) {
    const AbiRow *row = abi_row(p->abi);
    return row->host_decl ? row->host_decl : row->c_decl;
}

/* The host API's parameters of f (the view variant's when `view`). */
static void call_decls(Decls *ds, const Module *m, const Func *f, bool view) {
    (void)m;
    for (const Param *p = f->params; p; p = p->next)
        if (param_decl(p))
            decls_expand(ds, param_decl(p), &p->b, abi_has(p->abi, A_OUT), abi_has(p->abi, A_DEST));
    const AbiRow *row = abi_row(f->ret_abi);
    const char *result = view ? row->host_view_decl : row->host_decl;
    if (result)
        decls_expand(ds, result, &f->rb, true, false);
}

static bool has_view(const Func *f) { return abi_row(f->ret_abi)->host_view_decl != NULL; }

/* The prototype: int NAME_host_F(NAME_host *h, ...). */
static void prototype(Buf *out, const Module *m, const Func *f, bool view) {
    Buf name = {0};
    api_name(&name, m, f);
    buf_printf(out, "int %s%s(%s_host *%s", name.data, view ? "_view" : "", m->name, f->host_h);
    buf_free(&name);
    Decls ds = {0};
    call_decls(&ds, m, f, view);
    for (int i = 0; i < ds.n; i++)
        buf_printf(out, ", %s", ds.d[i].text.data);
    decls_free(&ds);
    buf_putc(out, ')');
}

/* The resource type of the handle f's call makes, or NULL. */
static const Resource *result_resource(const Func *f) {
    switch (f->ret_abi) {
    case ABI_RET_NEW:
    case ABI_B_RET_NEW:
    case ABI_B_RET_SELF: return f->owner;
    case ABI_RET_RESOURCE:
    case ABI_B_RET_RESOURCE:
    case ABI_B_RET_BORROWED: return f->named_ctor ? f->owner : f->ret.res;
    default: return NULL;
    }
}

/* ---- What the native host does not do yet: the rows of abi.def without
 * a host form (a parameter JS passes or gets, with neither a host nor a C
 * declaration; a result JS gets, without a host declaration). */

/* A reason naming a parameter (the compiler runs once, on one thread). */
static const char *reason(const char *fmt, const char *name) {
    static char text[256];
    snprintf(text, sizeof text, fmt, name);
    return text;
}

/* Why f has no host form, or NULL. */
static const char *hostless(const Func *f) {
    for (const Param *p = f->params; p; p = p->next) /* the host API's `void *CB_user` after a callback */
        for (const Param *q = f->params; p->type.kind == TK_CALLBACK && p->life != LIFE_STORED && q; q = q->next)
            if (strncmp(q->name, p->name, strlen(p->name)) == 0 && strcmp(q->name + strlen(p->name), "_user") == 0)
                return reason("its parameter '%s_user' is named like the host API's user pointer of the callback", p->name);
    for (const Param *p = f->params; p; p = p->next) {
        const AbiRow *row = abi_row(p->abi);
        if ((row->flags & (A_IN | A_OUT)) && !row->host_decl && !row->c_decl)
            return "a parameter of its";
    }
    const AbiRow *row = abi_row(f->ret_abi);
    if (f->ret_abi != ABI_NONE && !(row->flags & A_NORET) && !row->host_decl)
        return "its result";
    return NULL;
}

/* Does a struct hold memory of its own (strings, arrays, lists)? */
static bool has_insides(const Struct *st) {
    for (const Field *f = st->fields; f; f = f->next) {
        if (f->type.is_array || f->type.kind == TK_STRING)
            return true;
        if (f->type.kind == TK_STRUCT && has_insides(f->type.st))
            return true;
    }
    return false;
}

/* A value the host takes out of the module that holds memory: a string or
 * an array (its bytes), a struct holding either (at any depth). */
static bool holds_memory(const TypeRef *t) {
    return t->is_array || t->kind == TK_STRING || (t->kind == TK_STRUCT && has_insides(t->st));
}

/* A callback parameter's row for the host: an array C lends for writing
 * (out, inout: CB_ARRAY in JS, a view either way) takes the host columns
 * of an import's array the host writes into (I_ARRAY_INOUT: `T *`). */
static const AbiRow *rev_row(const Param *p) {
    return abi_row(p->abi == ABI_CB_ARRAY && p->mode != MODE_IN ? ABI_I_ARRAY_INOUT : p->abi);
}

/* Why callback type cb has no host form, or NULL: a parameter or result
 * whose reverse row has no host columns, or an array C lends for writing. */
static const char *callback_hostless(const Func *cb) {
    for (const Param *p = cb->params; p; p = p->next) {
        if (strcmp(p->name, "user") == 0) /* the host function's first parameter is `void *user` */
            return "its parameter 'user' is named like the host callback's user pointer";
        if (cb->raw_ret && strcmp(p->name, "result") == 0) /* the host function's last parameter is `result` */
            return "its parameter 'result' is named like the host callback's result pointer";
        if (!abi_row(p->abi)->host_decl)
            return reason("its parameter '%s' (strings, string arrays, numbers, enums, numeric arrays, structs and "
                          "resources only)", p->name);
    }
    if (!abi_row(cb->ret_abi)->host_import_type)
        return "its result";
    return NULL;
}

/* The first thing of m the host cannot do: *what is its name, the result why. */
static const char *unsupported(const Module *m, const char **what) {
    const char *why;
    for (const Func *cb = m->callbacks; cb; cb = cb->next)
        if ((why = callback_hostless(cb)))
            return *what = cb->name, why;
    for (const Func *f = m->funcs; f; f = f->next)
        if ((why = hostless(f)))
            return *what = f->name, why;
    for (const Resource *r = m->resources; r; r = r->next) {
        const Func *lists[] = {r->ctor, r->ctors, r->methods};
        for (int i = 0; i < 3; i++)
            for (const Func *f = lists[i]; f; f = i == 0 ? NULL : f->next)
                if ((why = hostless(f)))
                    return *what = f->name, why;
    }
    return NULL;
}

/* ... nor imports with values the glue does not pass through (the reverse
 * rows without host columns), or a parameter named like the result
 * pointer. */
static const char *import_hostless(const Func *f) {
    for (const Param *p = f->params; p; p = p->next) {
        const AbiRow *row = abi_row(p->abi);
        if (!row->host_import_param || !row->host_import_decode)
            return reason("its parameter '%s' (strings, numbers, enums, numeric arrays and structs only)",
                          p->name);
        if (!f->wrapped && p->type.optional)
            return reason("its parameter '%s' is optional", p->name);
        if (f->raw_ret && strcmp(p->name, "result") == 0)
            return "its parameter 'result' is named like the host import's result pointer";
    }
    if (!abi_row(f->ret_abi)->host_import_type)
        return "its result";
    return NULL;
}

/* A file that says so instead, at compile time. */
static bool refuse_unsupported(Buf *out, const Module *m) {
    for (const Func *f = m->imports; f; f = f->next) {
        const char *why = import_hostless(f);
        if (why) {
            buf_printf(out, "#error \"wasmgen: the native host does not support import '%s' yet: %s; use the module "
                            "from JavaScript\"\n", f->name, why);
            return true;
        }
    }
    const char *what = NULL, *why = unsupported(m, &what);
    if (!why)
        return false;
    buf_printf(out, "#error \"wasmgen: the native host does not support '%s' yet: %s; use the module from JavaScript\"\n",
               what, why);
    return true;
}

/* ---- NAME_host.h */

static void doc_func(Buf *out, const Module *m, const Func *f, bool view) {
    enum { MAX_LINES = 8 };
    Buf lines[MAX_LINES] = {{0}};
    const char *ptrs[MAX_LINES + 1];
    int n = 0;
    const char *r = f->rb.R;
    if (f->throws)
        buf_printf(&lines[n++], "@return WG_HOST_FAILED when C fails: the code is %s_host_error_code().", m->name);
    if (f->checked) {
        buf_printf(&lines[n++], "@return WG_HOST_FAILED when the library reports failure (%s_host_error_code(),",
                   m->name);
        buf_printf(&lines[n++], "  %s_host_error()); WG_HOST_BAD_ARGUMENT for a length or capacity out of range.",
                   m->name);
    }
    for (const Param *p = f->params; p && n < MAX_LINES - 2; p = p->next) {
        if (p->abi == ABI_B_OUT_ARRAY || p->abi == ABI_B_OUT_ALLOC || p->abi == ABI_B_FIELD_OUT)
            buf_printf(&lines[n++], "@param %s a copy of what C produced: .ptr from malloc, .len elements; free(.ptr).",
                       p->name);
        if (p->abi == ABI_B_RESOURCE_GIVEN && p->given_to)
            buf_printf(&lines[n++], "@param %s given to %s: once the call succeeded, a borrowed handle (as if returned "
                       "borrowed from %s).", p->name, p->given_to, p->given_to);
        else if (p->abi == ABI_B_RESOURCE_GIVEN)
            buf_printf(&lines[n++], "@param %s given: once the call succeeded, spent (refused; free() frees the handle "
                       "only).", p->name);
    }
    const TypeRef *t = &f->ret;
    switch (f->ret_abi) {
    case ABI_B_RET_BORROWED:
        buf_printf(&lines[n++], "@param %s a borrowed handle%s: freeing it leaves the object to its owner, and it", r,
                   t->optional ? " (NULL for none)" : "");
        buf_puts(&lines[n++], "  is refused (WG_HOST_BAD_ARGUMENT) once the handle it came from is freed.");
        break;
    case ABI_B_RET_STRING:
    case ABI_B_RET_STRING_BORROWED:
        buf_printf(&lines[n++], "@param %s a NUL-terminated copy from malloc (NULL for null): free() it.", r);
        break;
    case ABI_RET_STRING:
        if (view) {
            buf_printf(&lines[n++], "@param %s the string in the module's memory, `*%s_len` bytes, not NUL-terminated;", r, r);
            buf_puts(&lines[n++], "  valid until the next call into the instance.");
        }
        else
            buf_printf(&lines[n++], "@param %s a NUL-terminated copy from malloc (NULL for null): free() it.", r);
        break;
    case ABI_RET_ARRAY:
        if (view)
            buf_printf(&lines[n++], "@param %s the elements in the module's memory, valid until the next call.", r);
        else
            buf_printf(&lines[n++], "@param %s a copy: .ptr from malloc (NULL for null), .len elements; free(.ptr).", r);
        break;
    case ABI_RET_STRUCT:
        if (has_insides(t->st))
            buf_printf(&lines[n++], "@param %s a copy: free what it holds with %s_host_free_%s().", r, m->name, t->name);
        break;
    case ABI_RET_STRUCT_OPT:
        if (has_insides(t->st))
            buf_printf(&lines[n++], "@param %s NULL for none, else a copy from malloc: %s_host_free_%s(), then free().", r,
                       m->name, t->name);
        else
            buf_printf(&lines[n++], "@param %s NULL for none, else a copy from malloc: free() it.", r);
        break;
    case ABI_RET_LIST:
        if (t->kind == TK_STRING)
            buf_printf(&lines[n++], "@param %s a copy: free it with wg_host_free_strs().", r);
        else
            buf_printf(&lines[n++], "@param %s a copy: free it with %s_host_free_%s_array().", r, m->name, t->name);
        break;
    case ABI_RET_RESOURCE:
    case ABI_RET_NEW:
    case ABI_B_RET_RESOURCE:
    case ABI_B_RET_NEW:
    case ABI_B_RET_SELF: {
        bool own = f->ret_abi == ABI_RET_NEW || f->ret_abi == ABI_B_RET_NEW || f->ret_abi == ABI_B_RET_SELF;
        buf_printf(&lines[n++], "@param %s a new handle%s, until %s_host_%s_free() or the instance's end.", r,
                   !own && t->optional ? " (NULL for none)" : "", m->name, own ? f->owner->name : t->res->name);
        break;
    }
        break;
    default: break;
    }
    for (int i = 0; i < n; i++)
        ptrs[i] = lines[i].data;
    ptrs[n] = NULL;
    emit_doc(out, 0, f->doc, ptrs);
    for (int i = 0; i < n; i++)
        buf_free(&lines[i]);
}

static void h_func(Buf *out, const Module *m, const Func *f) {
    buf_putc(out, '\n');
    doc_func(out, m, f, false);
    prototype(out, m, f, false);
    buf_puts(out, ";\n");
    if (has_view(f)) {
        buf_putc(out, '\n');
        doc_func(out, m, f, true);
        prototype(out, m, f, true);
        buf_puts(out, ";\n");
    }
}

/* The lifetimes callback type cb is passed with: a set of 1 << CbLife. */
static unsigned func_lives(const Func *f, const Func *cb) {
    unsigned lives = 0;
    for (const Param *p = f->params; p; p = p->next)
        if (p->type.kind == TK_CALLBACK && p->type.cb == cb)
            lives |= 1u << p->life;
    return lives;
}

static unsigned cb_lives(const Module *m, const Func *cb) {
    unsigned lives = 0;
    for (const Func *f = m->funcs; f; f = f->next)
        lives |= func_lives(f, cb);
    for (const Resource *r = m->resources; r; r = r->next) {
        const Func *lists[] = {r->ctor, r->ctors, r->methods};
        for (int i = 0; i < 3; i++)
            for (const Func *f = lists[i]; f; f = i == 0 ? NULL : f->next)
                lives |= func_lives(f, cb);
    }
    return lives;
}

/* Is cb passed as `stored` somewhere (the host API then has NAME_host_callback_CB)? */
static bool stored_type(const Module *m, const Func *cb) { return cb_lives(m, cb) & (1u << LIFE_STORED); }

/* Every name the API declares; an #error for each one declared twice. */
static void check_names(Buf *out, const Module *m) {
    NameSet set = {0};
    Buf names = {0}; /* NUL-separated, kept until the end */
    size_t *offsets = NULL;
    size_t n = 0, cap = 0;
#define NAME(...)                                                             \
    do {                                                                      \
        if (n == cap) {                                                       \
            cap = cap ? cap * 2 : 64;                                         \
            size_t *o_ = realloc(offsets, cap * sizeof *o_);                  \
            if (o_ == NULL)                                                   \
                abort();                                                      \
            offsets = o_;                                                     \
        }                                                                     \
        offsets[n++] = names.len;                                             \
        buf_printf(&names, __VA_ARGS__);                                      \
        buf_putc(&names, '\0');                                               \
    } while (0)
    static const char *const fixed[] = {"new", "free", "error", "error_code", "exit_code", "flush_output",
                                        "stats", "imports", NULL};
    for (const char *const *s = fixed; *s; s++)
        NAME("%s_host_%s", m->name, *s);
    bool stored = false;
    for (const Func *cb = m->callbacks; cb; cb = cb->next) {
        NAME("%s_host_%s", m->name, cb->name);
        if (stored_type(m, cb)) {
            NAME("%s_host_callback_%s", m->name, cb->name);
            stored = true;
        }
    }
    if (stored)
        NAME("%s_host_callback_free", m->name);
    for (const Func *f = m->funcs; f; f = f->next) {
        NAME("%s_host_%s", m->name, f->name);
        if (has_view(f))
            NAME("%s_host_%s_view", m->name, f->name);
    }
    for (const Resource *r = m->resources; r; r = r->next) {
        NAME("%s_host_%s", m->name, r->name);
        NAME("%s_host_%s_new", m->name, r->name);
        NAME("%s_host_%s_free", m->name, r->name);
        for (const Func *f = r->ctors; f; f = f->next)
            NAME("%s_host_%s_%s", m->name, r->name, f->name);
        for (const Func *f = r->methods; f; f = f->next) {
            NAME("%s_host_%s_%s", m->name, r->name, f->name);
            if (has_view(f))
                NAME("%s_host_%s_%s_view", m->name, r->name, f->name);
        }
    }
    for (const Struct *st = m->structs; st; st = st->next) {
        NAME("%s_host_free_%s", m->name, st->name);
        if (st->used_as_list)
            NAME("%s_host_free_%s_array", m->name, st->name);
    }
#undef NAME
    for (size_t i = 0; i < n; i++) {
        const char *name = names.data + offsets[i];
        if (!name_add(&set, name))
            buf_printf(out, "#error \"wasmgen: two declarations would be named %s; rename one in the IDL to use "
                            "the native host\"\n",
                       name);
    }
    free(set.slots);
    free(offsets);
    buf_free(&names);
}

static void guard_name(Buf *out, const Module *m) {
    buf_puts(out, "WASMGEN_");
    upper(out, m->name);
    buf_puts(out, "_HOST_H");
}

/* The host callback of an import: its C type and parameters. */
static void import_callback(Buf *out, const Func *f) {
    const AbiRow *row = abi_row(f->ret_abi);
    Buf type = {0};
    abi_expand(&type, row->host_import_type, &f->rb, "", NULL, 0);
    if (f->raw_ret) /* a struct or array result: written through the last parameter, as a callback's */
        buf_printf(out, "    void (*%s)(void *user", f->name);
    else
        buf_printf(out, "    %s%s(*%s)(void *user", type.data, type.data[type.len - 1] == '*' ? "" : " ", f->name);
    for (const Param *p = f->params; p; p = p->next) {
        /* through the glue (wrapped): the reverse rows' host declarations, as a callback's */
        const char *decl = f->wrapped ? abi_row(p->abi)->host_decl : abi_row(p->abi)->c_decl;
        if (!decl || !*decl)
            continue;
        buf_puts(out, ", ");
        abi_expand(out, decl, &p->b, "", NULL, 0);
    }
    if (f->raw_ret)
        buf_printf(out, ", %s *result", type.data);
    buf_puts(out, ");\n");
    buf_free(&type);
}

/* A callback type's host function: its result type, `user`, then its
 * parameters as the host sees them (the reverse rows' host declarations;
 * the user data and lengths another parameter carries are not among them). */
static void h_callback(Buf *out, const Module *m, const Func *cb) {
    unsigned lives = cb_lives(m, cb);
    Buf stored = {0};
    buf_printf(&stored, "as a wg_host_callback until %s_host_callback_free() (stored);", m->name);
    const char *lines[12];
    int n = 0;
    if (lives & ~(1u << LIFE_CALL)) {
        lines[n++] = "Called with the `void *` given beside it as `user`, during the call it was passed to,";
        lines[n++] = "and after it: kept";
        if (lives & (1u << LIFE_OWNED))
            lines[n++] = "by a resource's handle until it is freed, after its destructor (stored(self));";
        if (lives & (1u << LIFE_STORED))
            lines[n++] = stored.data;
        lines[n++] = "it may call into the instance.";
    } else {
        lines[n++] = "Called during the call it was passed to (with the `void *` passed beside it as `user`),";
        lines[n++] = "never after it returns; it may call into the instance.";
    }
    for (const Param *p = cb->params; p && n < 9; p = p->next)
        if (p->abi == ABI_CB_RESOURCE) {
            lines[n++] = "A handle it is passed is lent: usable while it runs, refused once it returned (what was";
            lines[n++] = "borrowed from it too); it costs nothing after, and need not be freed.";
            break;
        }
    for (const Param *p = cb->params; p && n < 9; p = p->next)
        if (p->abi == ABI_CB_STRUCT || p->abi == ABI_CB_STRUCT_PTR) {
            lines[n++] = "A struct it is passed is a copy for the call, with what it holds (strings, arrays, lists).";
            break;
        }
    if (cb->ret_abi == ABI_CB_RET_STRUCT)
        lines[n++] = "It writes its result into *result (zeroed first), which C gets as a copy.";
    else if (cb->ret_abi == ABI_CB_RET_ARRAY)
        lines[n++] = "It sets *result ({NULL, 0} first) to elements it keeps: C gets a copy, from the module's heap.";
    lines[n] = NULL;
    buf_putc(out, '\n');
    emit_doc(out, 0, cb->doc, lines);
    buf_free(&stored);
    Buf type = {0};
    abi_expand(&type, abi_row(cb->ret_abi)->host_import_type, &cb->rb, "", NULL, 0);
    if (cb->raw_ret) /* a struct or array result: written through the last parameter */
        buf_printf(out, "typedef void (*%s_host_%s)(void *user", m->name, cb->name);
    else
        buf_printf(out, "typedef %s%s(*%s_host_%s)(void *user", type.data, type.data[type.len - 1] == '*' ? "" : " ",
                   m->name, cb->name);
    for (const Param *p = cb->params; p; p = p->next) {
        const char *decl = rev_row(p)->host_decl;
        if (!decl || !*decl)
            continue;
        buf_puts(out, ", ");
        abi_expand(out, decl, &p->b, "", NULL, 0);
    }
    if (cb->raw_ret)
        buf_printf(out, ", %s *result", type.data);
    buf_puts(out, ");\n");
    buf_free(&type);
}

void emit_host_h(const Module *m, const EmitOptions *o, Buf *out) {
    const char *n = m->name;
    buf_puts(out, "/*\n");
    emit_banner(out, " *", m, o, "_host.h");
    buf_printf(out,
               " *\n"
               " * The module %s run natively, sandboxed, through wasm2c. Build NAME_host.a\n"
               " * with wasmgen.mk's wasmgen_host rules (wasm2c's %s.wasm2c.c and %s_host.c),\n"
               " * link it with -lwasmgen-host -lpthread, and see the README's \"Native host\".\n"
               " *\n"
               " * Every function returns 0 (WG_HOST_OK) or a status (wasmgen-host.h), with the\n"
               " * message in %s_host_error(). An instance is used by one thread at a time.\n"
               " */\n",
               n, n, n, n);
    Buf guard = {0};
    guard_name(&guard, m);
    buf_printf(out, "#ifndef %s\n#define %s\n\n", guard.data, guard.data);
    if (refuse_unsupported(out, m)) {
        buf_printf(out, "\n#endif /* %s */\n", guard.data);
        buf_free(&guard);
        return;
    }
    buf_puts(out, "#include <wasmgen-host.h>\n#include <wasmgen.h>\n\n");
    buf_puts(out, "#ifdef __cplusplus\nextern \"C\" {\n#endif\n");
    check_names(out, m);
    if (m->doc) {
        buf_putc(out, '\n');
        emit_doc(out, 0, m->doc, NULL);
    }
    emit_c_types(m, out);
    emit_library_types(m, out);
    if (m->consts)
        buf_puts(out, "\n/* The library's constants the IDL gives (the glue checks them against its header). */\n");
    for (const Const *c = m->consts; c; c = c->next) {
        emit_doc(out, 0, c->doc, NULL);
        bool wide = c->value < INT32_MIN || c->value > INT32_MAX;
        buf_printf(out, c->value < 0 ? "#define %s (%lld%s)\n" : "#define %s %lld%s\n", c->name, (long long)c->value,
                   wide ? "LL" : "");
    }

    buf_printf(out, "\n/** An instance of the module: its own memory, stack and globals. */\n"
                    "typedef struct %s_host %s_host;\n",
               n, n);
    for (const Resource *r = m->resources; r; r = r->next) {
        buf_putc(out, '\n');
        const char *lines[] = {"A handle: freed by its _free function, or with its instance.", NULL};
        emit_doc(out, 0, r->doc, lines);
        buf_printf(out, "typedef struct %s_host_%s %s_host_%s;\n", n, r->name, n, r->name);
    }

    bool stored = false;
    for (const Func *cb = m->callbacks; cb; cb = cb->next) {
        h_callback(out, m, cb);
        if (stored_type(m, cb)) {
            buf_printf(out,
                       "/**\n * fn and user as a %s callback for the parameters that store one (`stored`),\n"
                       " * in *out until %s_host_callback_free() or the instance's end.\n */\n"
                       "int %s_host_callback_%s(%s_host *h, %s_host_%s fn, void *user, wg_host_callback **out);\n",
                       cb->name, n, n, cb->name, n, n, cb->name);
            stored = true;
        }
    }
    if (stored)
        buf_printf(out,
                   "/**\n * Release a callback: C calling it afterwards fails that call (WG_HOST_BAD_RESULT).\n"
                   " * NULL does nothing.\n */\n"
                   "int %s_host_callback_free(%s_host *h, wg_host_callback *cb);\n",
                   n, n);

    if (m->imports) {
        buf_printf(out, "\n/** The imports: C functions the module calls, each given `user` first. */\n"
                        "typedef struct %s_host_imports {\n    void *user;\n",
                   n);
        for (const Func *f = m->imports; f; f = f->next) {
            if (f->doc)
                emit_doc(out, 4, f->doc, NULL);
            import_callback(out, f);
        }
        buf_printf(out, "} %s_host_imports;\n", n);
    }

    buf_printf(out,
               "\n/**\n * A new instance in *out (NULL on failure: the message is %s_host_error(NULL)).\n"
               " * `options` may be NULL.%s\n */\n",
               n, m->imports ? " Every import must be given; the table is copied." : "");
    if (m->imports)
        buf_printf(out, "int %s_host_new(%s_host **out, const wg_host_options *options, const %s_host_imports *imports);\n",
                   n, n, n);
    else
        buf_printf(out, "int %s_host_new(%s_host **out, const wg_host_options *options);\n", n, n);
    buf_printf(out,
               "/** Free the instance, its memory, and every handle it still has. NULL does nothing. */\n"
               "void %s_host_free(%s_host *h);\n"
               "/** The message of the last failure (of %s_host_new on this thread for NULL). */\n"
               "const char *%s_host_error(const %s_host *h);\n"
               "/** The code C passed to wg_fail, after WG_HOST_FAILED. */\n"
               "int32_t %s_host_error_code(const %s_host *h);\n"
               "/** The status the module passed to exit(), or -1 while it has not exited. */\n"
               "int %s_host_exit_code(const %s_host *h);\n"
               "/** Pass on the partial lines the module printed. */\n"
               "void %s_host_flush_output(%s_host *h);\n"
               "/** The module's allocator counters: live allocations, bytes, ... */\n"
               "int %s_host_stats(%s_host *h, wg_host_stats *out);\n",
               n, n, n, n, n, n, n, n, n, n, n, n, n);

    for (const Struct *st = m->structs; st; st = st->next) {
        buf_printf(out, "/** Free what a %s the host got holds (its strings, arrays and lists), not the %s itself. */\n"
                        "void %s_host_free_%s(%s *v);\n",
                   st->name, st->name, n, st->name, st->c_name);
        if (st->used_as_list)
            buf_printf(out, "/** Free a %s[] the host got, and what its elements hold. */\n"
                            "void %s_host_free_%s_array(%s_array *list);\n",
                       st->name, n, st->name, st->c_name);
    }

    for (const Func *f = m->funcs; f; f = f->next)
        h_func(out, m, f);
    for (const Resource *r = m->resources; r; r = r->next) {
        buf_printf(out, "\n/* ---- Resource %s */\n", r->name);
        if (r->ctor)
            h_func(out, m, r->ctor);
        for (const Func *f = r->ctors; f; f = f->next)
            h_func(out, m, f);
        for (const Func *f = r->methods; f; f = f->next)
            h_func(out, m, f);
        buf_printf(out, "\n/** Run the destructor and free the handle (also when the destructor traps). */\n"
                        "int %s_host_%s_free(%s_host *h, %s_host_%s *self);\n",
                   n, r->name, n, n, r->name);
    }
    buf_printf(out, "\n#ifdef __cplusplus\n}\n#endif\n\n#endif /* %s */\n", guard.data);
    buf_free(&guard);
}

/* ---- NAME_host.c */

/* Expand a template (indented 4 within a body, 8 within a loop). */
static void put(Buf *out, int indent, const char *tmpl, const Bind *b, const char *x) {
    buf_indent(out, indent);
    abi_expand(out, tmpl, b, x, NULL, indent);
    buf_putc(out, '\n');
}

/* The wasm value of a result in return-area slot `b->slot`. */
static void slot_read(Buf *out, const Bind *b) {
    abi_expand(out, "wg_host_ld_%W(sb, r + 8 * %s)", b, "", NULL, 0);
}

/* ---- Enums */

static void c_enum(Buf *out, const Module *m, const Enum *en) {
    (void)m;
    if (en->is_flags) { /* a set of bits: the bits of its flags, and no other */
        uint64_t mask = 0;
        for (const EnumValue *v = en->values; v; v = v->next)
            mask |= (uint64_t)v->value;
        buf_printf(out, "\nWG_HOST_FLAGS(%s, %s, 0x%llxu); /* hs_enum_in_%s, hs_enum_out_%s */\n", en->c_name, en->name,
                   (unsigned long long)mask, en->name, en->name);
        return;
    }
    buf_printf(out, "\nWG_HOST_HELPER bool hs_enum_ok_%s(int64_t v) {\n    switch (v) {\n", en->name);
    for (const EnumValue *v = en->values; v; v = v->next)
        buf_printf(out, "    case %lld:\n", (long long)v->value);
    buf_puts(out, "        return true;\n    default:\n        return false;\n    }\n}\n");
    buf_printf(out, "WG_HOST_ENUM(%s, %s); /* hs_enum_in_%s, hs_enum_out_%s */\n", en->c_name, en->name, en->name,
               en->name);
}

/* ---- Structs: written into linear memory (the wasm32 layout sema laid
 * out), read back into host values with the insides copied, and freed. */

static void field_write(Buf *out, const Module *m, const Struct *st, const Field *f) {
    const TypeRef *t = &f->type;
    unsigned off = (unsigned)f->offset;
    const char *opt = t->optional ? "true" : "false";
    Buf what = {0};
    buf_printf(&what, "\"field '%s.%s'\"", st->name, f->name);
    if (t->is_array && (t->kind == TK_STRING || t->kind == TK_STRUCT)) {
        buf_printf(out, "    {\n        u32 q = hs_put_L_%s(sb, v->%s, v->%s_len, %s, %s);\n", t->name, f->name,
                   f->name, opt, what.data);
        buf_printf(out, "        wg_host_st_u32(sb, p + %u, q);\n        wg_host_st_u32(sb, p + %u, q ? (u32)v->%s_len : 0u);\n    }\n",
                   off, off + 4, f->name);
    } else if (t->is_array) {
        buf_printf(out, "    {\n        u32 q = wg_host_put_arr(sb, v->%s, v->%s_len, sizeof *v->%s, %s, %s);\n",
                   f->name, f->name, f->name, opt, what.data);
        buf_printf(out, "        wg_host_st_u32(sb, p + %u, q);\n        wg_host_st_u32(sb, p + %u, q ? (u32)v->%s_len : 0u);\n    }\n",
                   off, off + 4, f->name);
    } else if (t->kind == TK_STRING) {
        buf_printf(out, "    {\n        u32 q = wg_host_put_str(sb, v->%s, v->%s_len, %s, %s);\n", f->name, f->name,
                   opt, what.data);
        buf_printf(out, "        wg_host_st_u32(sb, p + %u, q);\n        wg_host_st_u32(sb, p + %u, q ? (u32)v->%s_len : 0u);\n    }\n",
                   off, off + 4, f->name);
    } else if (t->kind == TK_STRUCT) {
        buf_printf(out, "    hs_write_S_%s(sb, p + %u, &v->%s, what);\n", t->name, off, f->name);
    } else if (t->kind == TK_ENUM) {
        buf_printf(out, "    wg_host_st_u32(sb, p + %u, (u32)hs_enum_in_%s(sb, v->%s, %s));\n", off, t->name, f->name,
                   what.data);
    } else {
        buf_printf(out, "    WG_HOST_STORE_%s(sb, p + %u, v->%s, %s);\n", t->name, off, f->name, what.data);
    }
    (void)m;
    buf_free(&what);
}

static void field_read(Buf *out, const Struct *st, const Field *f) {
    const TypeRef *t = &f->type;
    unsigned off = (unsigned)f->offset;
    const char *opt = t->optional ? "true" : "false";
    Buf what = {0};
    buf_printf(&what, "\"field '%s.%s'\"", st->name, f->name);
    if (t->is_array && t->kind == TK_STRING) {
        buf_printf(out, "    {\n        wg_str_array l;\n        hs_take_L_string(sb, p + %u, &l, %s);\n"
                        "        v->%s = l.ptr;\n        v->%s_len = l.len;\n    }\n",
                   off, what.data, f->name, f->name);
    } else if (t->is_array && t->kind == TK_STRUCT) {
        buf_printf(out, "    {\n        %s_array l;\n        hs_take_L_%s(sb, p + %u, &l, %s);\n"
                        "        v->%s = l.ptr;\n        v->%s_len = l.len;\n    }\n",
                   t->st->c_name, t->name, off, what.data, f->name, f->name);
    } else if (t->is_array) {
        buf_printf(out, "    v->%s = wg_host_take_arr(sb, p + %u, sizeof *v->%s, true, &v->%s_len, %s);\n", f->name,
                   off, f->name, f->name, what.data);
    } else if (t->kind == TK_STRING) {
        buf_printf(out, "    v->%s = wg_host_take_strn(sb, p + %u, %s, &v->%s_len, %s);\n", f->name, off, opt,
                   f->name, what.data);
    } else if (t->kind == TK_STRUCT) {
        buf_printf(out, "    hs_read_S_%s(sb, p + %u, &v->%s, what);\n", t->name, off, f->name);
    } else if (t->kind == TK_ENUM) {
        buf_printf(out, "    v->%s = hs_enum_out_%s(sb, wg_host_ld_u32(sb, p + %u), %s);\n", f->name, t->name, off,
                   what.data);
    } else {
        buf_printf(out, "    v->%s = WG_HOST_LOAD_%s(sb, p + %u, %s);\n", f->name, t->name, off, what.data);
    }
    buf_free(&what);
}

static void field_free(Buf *out, const Module *m, const Field *f) {
    const TypeRef *t = &f->type;
    if (t->is_array && t->kind == TK_STRING)
        buf_printf(out, "    wg_host_free_strs_of(v->%s, v->%s_len);\n", f->name, f->name);
    else if (t->is_array && t->kind == TK_STRUCT)
        buf_printf(out, "    {\n        %s_array l = {(%s *)(uintptr_t)v->%s, v->%s_len};\n"
                        "        %s_host_free_%s_array(&l);\n    }\n",
                   t->st->c_name, t->st->c_name, f->name, f->name, m->name, t->name);
    else if (t->is_array || t->kind == TK_STRING)
        buf_printf(out, "    free((void *)(uintptr_t)v->%s);\n", f->name);
    else if (t->kind == TK_STRUCT)
        buf_printf(out, "    %s_host_free_%s(&v->%s);\n", m->name, t->name, f->name);
    else
        return;
    if (t->is_array || t->kind == TK_STRING)
        buf_printf(out, "    v->%s = NULL;\n    v->%s_len = 0;\n", f->name, f->name);
}

static void c_struct_decls(Buf *out, const Struct *st) {
    buf_printf(out, "WG_HOST_HELPER void hs_write_S_%s(wg_sandbox *sb, u32 p, const %s *v, const char *what);\n",
               st->name, st->c_name);
    buf_printf(out, "WG_HOST_HELPER void hs_read_S_%s(wg_sandbox *sb, u32 p, %s *v, const char *what);\n", st->name,
               st->c_name);
    if (st->used_as_list) {
        buf_printf(out,
                   "WG_HOST_HELPER u32 hs_put_L_%s(wg_sandbox *sb, const %s *l, size_t n, bool optional, const char *what);\n",
                   st->name, st->c_name);
        buf_printf(out, "WG_HOST_HELPER void hs_take_L_%s(wg_sandbox *sb, u32 at, %s_array *out, const char *what);\n",
                   st->name, st->c_name);
    }
}

static void c_struct(Buf *out, const Module *m, const Struct *st) {
    unsigned long long size = (unsigned long long)st->size;
    buf_printf(out, "\n/* ---- struct %s: %llu bytes in wasm32 */\n", st->name, size);
    /* write: host value -> linear memory at p (zeroed), insides allocated */
    buf_printf(out, "\nWG_HOST_HELPER void hs_write_S_%s(wg_sandbox *sb, u32 p, const %s *v, const char *what) {\n"
                    "    (void)what;\n",
               st->name, st->c_name);
    for (const Field *f = st->fields; f; f = f->next)
        field_write(out, m, st, f);
    buf_puts(out, "}\n");
    /* read: linear memory at p -> host value, insides copied and freed in the module */
    buf_printf(out, "\nWG_HOST_HELPER void hs_read_S_%s(wg_sandbox *sb, u32 p, %s *v, const char *what) {\n"
                    "    (void)what;\n    memset(v, 0, sizeof *v);\n",
               st->name, st->c_name);
    for (const Field *f = st->fields; f; f = f->next)
        field_read(out, st, f);
    buf_puts(out, "}\n");
    buf_printf(out, "\nWG_HOST_STRUCT(%s, %s, %llu); /* hs_put_S_%s, hs_take_S_%s, hs_take_SO_%s */\n", st->c_name,
               st->name, size, st->name, st->name, st->name);
    /* free */
    buf_printf(out, "\nvoid %s_host_free_%s(%s *v) {\n    if (v == NULL)\n        return;\n", m->name, st->name,
               st->c_name);
    for (const Field *f = st->fields; f; f = f->next)
        field_free(out, m, f);
    buf_puts(out, "}\n");
    if (st->used_as_list)
        buf_printf(out, "\nWG_HOST_LIST(%s, %s, %s, %llu); /* hs_put_L_%s, hs_take_L_%s, %s_host_free_%s_array */\n",
                   m->name, st->c_name, st->name, size, st->name, st->name, m->name, st->name);
}

/* ---- Structs C passes a callback or an import (CB_STRUCT, CB_STRUCT_PTR):
 * read into the thunk's local with the insides copied, C's memory left as
 * it is (C owns it), and the copies given back once the host function
 * returned (a failure first frees them with the call). */

/* The structs C passes a callback or an import, and those they hold (by
 * value or in lists, at any depth): marks[i] for m->ordered_structs[i]. */
static int struct_index(const Module *m, const Struct *st) {
    if (st->order >= 0 && st->order < m->nstructs && m->ordered_structs[st->order] == st)
        return st->order;
    for (int i = 0; i < m->nstructs; i++)
        if (m->ordered_structs[i] == st)
            return i;
    return -1;
}

static void mark_passed(const Module *m, const Struct *st, bool *marks) {
    int i = struct_index(m, st);
    if (i < 0 || marks[i])
        return;
    marks[i] = true;
    for (const Field *f = st->fields; f; f = f->next)
        if (f->type.kind == TK_STRUCT)
            mark_passed(m, f->type.st, marks);
}

static void passed_to_host(const Module *m, bool *marks) {
    const Func *lists[] = {m->callbacks, m->imports};
    for (int k = 0; k < 2; k++)
        for (const Func *f = lists[k]; f; f = f->next)
            for (const Param *p = f->params; p; p = p->next)
                if (p->abi == ABI_CB_STRUCT || p->abi == ABI_CB_STRUCT_PTR)
                    mark_passed(m, p->type.st, marks);
}

/* The helpers' prototypes (a struct may hold a list of one defined later,
 * or of itself). */
static void c_cb_struct_decls(Buf *out, const Struct *st) {
    const char *s = st->name, *t = st->c_name;
    if (has_insides(st))
        buf_printf(out, "WG_HOST_HELPER void hs_cbr_S_%s(wg_sandbox *sb, u32 p, %s *v, const char *what);\n", s, t);
    buf_printf(out, "WG_HOST_HELPER void hs_cb_end_S_%s(wg_sandbox *sb, const %s *v);\n", s, t);
    buf_printf(out, "WG_HOST_HELPER const %s *hs_cbl_S_%s(wg_sandbox *sb, u32 at, size_t *len, const char *what);\n",
               t, s);
    buf_printf(out, "WG_HOST_HELPER void hs_cbl_end_S_%s(wg_sandbox *sb, const %s *l, size_t n);\n", s, t);
}

/* Give back the copies of `f` and the fields after it, newest (last)
 * first: each is found at the top of the call's blocks (oldest first, each
 * release would move every newer block: two long lists cost their product). */
static void cb_end_fields(Buf *out, const Field *f) {
    if (f == NULL)
        return;
    cb_end_fields(out, f->next);
    const TypeRef *ft = &f->type;
    if (ft->is_array && ft->kind == TK_STRING)
        buf_printf(out, "    wg_host_arg_strs_end(sb, v->%s, v->%s_len);\n", f->name, f->name);
    else if (ft->is_array && ft->kind == TK_STRUCT)
        buf_printf(out, "    hs_cbl_end_S_%s(sb, v->%s, v->%s_len);\n", ft->name, f->name, f->name);
    else if (ft->is_array || ft->kind == TK_STRING)
        buf_printf(out, "    wg_host_release(sb, (void *)(uintptr_t)v->%s);\n", f->name);
    else if (ft->kind == TK_STRUCT && has_insides(ft->st))
        buf_printf(out, "    hs_cb_end_S_%s(sb, &v->%s);\n", ft->name, f->name);
}

static void c_cb_struct(Buf *out, const Struct *st) {
    const char *s = st->name, *t = st->c_name;
    bool insides = has_insides(st);
    if (insides) {
        buf_printf(out, "\nWG_HOST_HELPER void hs_cbr_S_%s(wg_sandbox *sb, u32 p, %s *v, const char *what) {\n"
                        "    (void)what;\n    memset(v, 0, sizeof *v);\n", s, t);
        for (const Field *f = st->fields; f; f = f->next) {
            const TypeRef *ft = &f->type;
            unsigned off = (unsigned)f->offset;
            if (ft->is_array && ft->kind == TK_STRING)
                buf_printf(out, "    v->%s = wg_host_arg_strs_of(sb, p + %u, &v->%s_len, \"field '%s.%s'\");\n", f->name,
                           off, f->name, s, f->name);
            else if (ft->is_array && ft->kind == TK_STRUCT)
                buf_printf(out, "    v->%s = hs_cbl_S_%s(sb, p + %u, &v->%s_len, \"field '%s.%s'\");\n", f->name,
                           ft->name, off, f->name, s, f->name);
            else if (ft->is_array)
                buf_printf(out, "    v->%s = wg_host_take_arr(sb, p + %u, sizeof *v->%s, false, &v->%s_len, \"field '%s.%s'\");\n",
                           f->name, off, f->name, f->name, s, f->name);
            else if (ft->kind == TK_STRING)
                buf_printf(out, "    v->%s = wg_host_arg_strn(sb, p + %u, %s, &v->%s_len, \"field '%s.%s'\");\n", f->name,
                           off, ft->optional ? "true" : "false", f->name, s, f->name);
            else if (ft->kind == TK_STRUCT && has_insides(ft->st))
                buf_printf(out, "    hs_cbr_S_%s(sb, p + %u, &v->%s, what);\n", ft->name, off, f->name);
            else
                field_read(out, st, f);
        }
        buf_puts(out, "}\n");
    }
    buf_printf(out, "\nWG_HOST_HELPER void hs_cb_end_S_%s(wg_sandbox *sb, const %s *v) {\n", s, t);
    if (insides) {
        buf_puts(out, "    if (v == NULL)\n        return;\n");
        cb_end_fields(out, st->fields);
    } else {
        buf_puts(out, "    (void)sb;\n    (void)v; /* a struct of numbers: nothing copied */\n");
    }
    buf_puts(out, "}\n");
    buf_printf(out,
               "\nWG_HOST_HELPER const %s *hs_cb_S_%s(wg_sandbox *sb, u32 p, bool optional, %s *v, const char *what) {\n"
               "    if (p == 0) {\n        if (optional)\n            return NULL;\n"
               "        wg_host_fail(sb, WG_HOST_BAD_RESULT, \"C passed NULL for %%s, a struct %s\", what);\n    }\n"
               "    (void)wg_host_ptr(sb, p, %llu, what);\n"
               "%s"
               "    hs_%s_S_%s(sb, p, v, what);\n    return v;\n}\n",
               t, s, t, s, (unsigned long long)st->size,
               insides ? "    wg_host_copy_start(sb, what); /* at most the memory's size read for its insides */\n" : "",
               insides ? "cbr" : "read", s);
    /* a list of them in a struct C passes: host copies, as the struct's */
    buf_printf(out,
               "\nWG_HOST_HELPER const %s *hs_cbl_S_%s(wg_sandbox *sb, u32 at, size_t *len, const char *what) {\n"
               "    u32 p = wg_host_ld_u32(sb, at), n = wg_host_ld_u32(sb, at + 4);\n"
               "    *len = 0;\n    if (p == 0)\n        return NULL;\n"
               "    (void)wg_host_ptr(sb, p, (uint64_t)n * %llu, what);\n",
               t, s, (unsigned long long)st->size);
    if (insides) /* lists in lists: C's memory may nest them without end */
        buf_puts(out, "    wg_host_nest(sb, what);\n");
    /* or share them: counted (a DAG's copy would grow as 2^depth) */
    buf_printf(out, "    wg_host_copied(sb, (uint64_t)n * %llu, what);\n", (unsigned long long)st->size);
    buf_printf(out,
               "    %s *v = wg_host_alloc(sb, (size_t)n * sizeof *v);\n"
               "    memset(v, 0, (size_t)n * sizeof *v);\n"
               "    for (u32 i = 0; i < n; i++)\n        hs_%s_S_%s(sb, p + i * %lluu, &v[i], what);\n"
               "    *len = n;\n    return v;\n}\n",
               t, insides ? "cbr" : "read", s, (unsigned long long)st->size);
    buf_printf(out, "\nWG_HOST_HELPER void hs_cbl_end_S_%s(wg_sandbox *sb, const %s *l, size_t n) {\n"
                    "    if (l == NULL)\n        return;\n", s, t);
    if (insides) /* newest first: each is found at the top of the call's blocks */
        buf_printf(out, "    for (size_t i = n; i-- > 0;)\n        hs_cb_end_S_%s(sb, &l[i]);\n", s);
    else
        buf_puts(out, "    (void)n;\n");
    buf_puts(out, "    wg_host_release(sb, (void *)(uintptr_t)l);\n}\n");
}

/* ---- Resources: a handle is the module's pointer and its instance, in
 * the instance's list until freed. */

static void c_resource(Buf *out, const Module *m, const Resource *r) {
    const char *n = m->name, *rn = r->name;
    buf_printf(out, "\n/* ---- resource %s */\n", rn);
    buf_printf(out, "\nstruct %s_host_%s {\n    wg_host_res r; /* the module's pointer, its instance, the list of handles */\n};\n",
               n, rn);
    buf_printf(out,
               "\nWG_HOST_HELPER u32 hs_borrow_%s(wg_sandbox *sb, const %s_host_%s *v, bool optional, const char *what) {\n"
               "    return wg_host_borrow(sb, (const wg_host_res *)v, optional, \"%s\", what);\n}\n",
               rn, n, rn, rn);
    if (r->given)
        buf_printf(out,
                   "WG_HOST_HELPER u32 hs_give_%s(wg_sandbox *sb, const %s_host_%s *v, bool optional, const void *to,\n"
                   "                  const char *what) {\n"
                   "    return wg_host_give(sb, (const wg_host_res *)v, optional, (const wg_host_res *)to, \"%s\", what);\n}\n",
                   rn, n, rn, rn);
    buf_printf(out,
               "WG_HOST_HELPER %s_host_%s *hs_adopt_%s(wg_sandbox *sb, u32 p, bool optional) {\n"
               "    return (%s_host_%s *)wg_host_adopt(sb, p, optional, \"%s\");\n}\n",
               n, rn, rn, n, rn, rn);
    Buf drop = {0};
    wasm_export(&drop, m, r->drop_export);
    buf_printf(out,
               "\nstatic void hs_b_%s_free(wg_sandbox *sb, void *ctx) {\n"
               "    %s(&((%s_host *)sb)->inst, ((wg_host_res *)ctx)->ptr);\n}\n",
               rn, drop.data, n);
    buf_free(&drop);
    buf_printf(out,
               "\nint %s_host_%s_free(%s_host *h, %s_host_%s *self) {\n"
               "    if (h == NULL)\n        return WG_HOST_BAD_ARGUMENT;\n"
               "    return wg_host_res_free(&h->sb, (wg_host_res *)self, \"%s_free\", \"%s\", hs_b_%s_free, %s);\n}\n",
               n, rn, n, n, rn, rn, rn, rn, m->borrows ? "true" : "false");
}

/* ---- Functions */

/* A handle the host passes (a method's self, a resource parameter). */
static bool host_handle_param(const Param *p) {
    return p->abi == ABI_SELF || p->abi == ABI_RESOURCE_IN || p->abi == ABI_B_RESOURCE ||
           p->abi == ABI_B_RESOURCE_GIVEN;
}

static void c_func(Buf *out, const Module *m, const Func *f, bool view) {
    const char *n = m->name;
    const AbiRow *rrow = abi_row(f->ret_abi);
    Decls ds = {0};
    call_decls(&ds, m, f, view);
    Buf ctx = {0}, body = {0}, api = {0};
    local_name(&ctx, view ? "cv" : "c", f);
    local_name(&body, view ? "bv" : "b", f);
    api_name(&api, m, f);
    if (view)
        buf_puts(&api, "_view");
    const char *label = api.data + strlen(n) + strlen("_host_"); /* F, R_M: for messages */

    /* the arguments, as members */
    if (ds.n > 0) {
        buf_puts(out, "\ntypedef struct {\n");
        for (int i = 0; i < ds.n; i++)
            buf_printf(out, "    %s;\n", ds.d[i].text.data);
        buf_printf(out, "} %s;\n", ctx.data);
    }

    /* the body: copy in, call, copy out (inlined into the API function) */
    if (ds.n > 0)
        buf_printf(out, "\nstatic void %s(wg_sandbox *sb, %s *c) {\n", body.data, ctx.data);
    else
        buf_printf(out, "\nstatic void %s(wg_sandbox *sb) {\n", body.data);
    buf_puts(out, "    ");
    wasm_module(out, m);
    buf_printf(out, "_instance_t *i = &((%s_host *)sb)->inst;\n", n);
    /* handles first: a lent handle's token becomes its handle (or the call
     * is refused), which is what the rest reads */
    for (const Param *p = f->params; p; p = p->next)
        if (host_handle_param(p)) {
            Buf ty = {0};
            abi_expand(&ty, "%y", &p->b, "", NULL, 0);
            buf_printf(out, "    c->%s = (%s_host_%s *)wg_host_res_of(sb, c->%s, \"%s\", \"%s%s%s\");\n", p->name,
                       n, ty.data, p->name, ty.data, p->is_self ? "" : "parameter '",
                       p->name, p->is_self ? "" : "'");
            buf_free(&ty);
        }
    for (int i = 0; i < ds.n; i++) {
        if (!ds.d[i].result)
            continue;
        Buf name = {0};
        piece_name(&name, &ds.d[i].text);
        buf_printf(out, "    wg_host_need(sb, c->%s, \"%s\");\n", name.data, name.data);
        buf_free(&name);
    }
    if (f->nslots > 0 && f->heap_ret_area) /* a big struct result: allocated for the call */
        buf_printf(out, "    u32 r = wg_host_scratch(sb, %d, \"the return area\");\n", 8 * f->nslots);
    else if (f->nslots > 0)
        buf_printf(out, "    u32 r = wg_host_ret(sb, %d);\n", f->nslots);
    for (const Param *p = f->params; p; p = p->next)
        if (abi_row(p->abi)->host_marshal)
            put(out, 4, abi_row(p->abi)->host_marshal, &p->b, "");
    /* a handle whose object the module takes (`given`) is no other argument
     * of the call, nor what another was borrowed from (at any depth) */
    for (const Param *p = f->params; p; p = p->next) {
        if (p->abi != ABI_B_RESOURCE_GIVEN)
            continue;
        for (const Param *q = f->params; q; q = q->next)
            if (q != p && (q->abi == ABI_B_RESOURCE || q->abi == ABI_B_RESOURCE_GIVEN || q->abi == ABI_SELF))
                buf_printf(out,
                           "    if (c->%s != NULL && wg_host_reaches((const wg_host_res *)c->%s, (const wg_host_res *)c->%s))\n"
                           "        wg_host_fail(sb, WG_HOST_BAD_ARGUMENT, \"parameter '%s' is %s%s%s too, or what it "
                           "was borrowed from: a handle given to the module is no other argument of the call\");\n",
                           p->name, q->name, p->name, p->name, q->is_self ? "" : "parameter '", q->name,
                           q->is_self ? "" : "'");
    }

    /* the call */
    buf_puts(out, "    ");
    if (f->direct) {
        const Bind *b = f->direct_out ? &f->direct_out->b : &f->rb;
        abi_expand(out, "%W x = ", b, "", NULL, 0);
    }
    wasm_export(out, m, f->export_name);
    buf_puts(out, "(i");
    if (f->nslots > 0)
        buf_puts(out, ", r");
    for (const Param *p = f->params; p; p = p->next) {
        const char *arg = abi_row(p->abi)->host_arg;
        if (!arg)
            continue;
        buf_puts(out, ", ");
        abi_expand(out, arg, &p->b, "", NULL, 4);
    }
    buf_puts(out, ");\n");
    /* what the results' copies read: at most the memory's size (C's lists
     * may share elements, which copying would repeat without bound) */
    bool copies = holds_memory(&f->ret);
    for (const Param *p = f->params; p && !copies; p = p->next)
        copies = abi_row(p->abi)->host_after && holds_memory(&p->type);
    if (copies && f->nslots > 0)
        buf_puts(out, "    wg_host_copy_start(sb, \"its results\");\n");
    /* A binding's failure first: its results were never made (the glue freed them). */
    if (f->checked)
        buf_printf(out, "    wg_host_check_error(sb, r + %d);\n", 8 * f->err_slot);
    /* The call succeeded: a given object is the module's now, before any
     * result is checked (a result refused then must not leave the handle
     * owning what C consumed), as JS hands it over first. */
    for (const Param *p = f->params; p; p = p->next)
        if (abi_has(p->abi, A_GIVE))
            put(out, 4, abi_row(p->abi)->host_after, &p->b, "");

    /* the results */
    const char *take = view ? rrow->host_view_result : rrow->host_result;
    if (f->free_export && f->rb.slot >= 0) {
        /* owned(FN): a copy, then FN frees the string, through the glue's export */
        Buf fn = {0};
        wasm_export(&fn, m, f->free_export);
        buf_printf(out,
                   "    u32 wg_s = wg_host_ld_u32(sb, r + 8 * %d);\n"
                   "    *c->%s = wg_host_take_str(sb, r + 8 * %d, false, \"the result\");\n"
                   "    if (wg_s != 0)\n        %s(i, wg_s);\n",
                   f->rb.slot, f->rb.R, f->rb.slot, fn.data);
        buf_free(&fn);
        take = NULL;
    }
    if (take) {
        Buf x = {0};
        if (f->direct && !f->direct_out)
            buf_puts(&x, "x");
        else if (f->rb.slot >= 0)
            slot_read(&x, &f->rb);
        put(out, 4, take, &f->rb, x.data ? x.data : "");
        buf_free(&x);
    }
    if (f->ret_abi == ABI_B_RET_BORROWED) {
        /* whose it is: the method's resource, or the first resource passed (as lower.c's %P) */
        const char *owner = NULL;
        if (f->owner && !f->is_ctor && !f->named_ctor)
            owner = "self";
        else
            for (const Param *p = f->params; p && !owner; p = p->next)
                if (p->abi == ABI_B_RESOURCE)
                    owner = p->name;
        buf_printf(out, "    if (*c->%s != NULL) {\n        (*c->%s)->r.hd.borrowed = true;\n", f->rb.R, f->rb.R);
        if (owner)
            buf_printf(out, "        (*c->%s)->r.hd.owner = c->%s != NULL ? &c->%s->r.hd : NULL;\n", f->rb.R, owner,
                       owner);
        buf_puts(out, "    }\n");
    }
    for (const Param *p = f->params; p; p = p->next) {
        const char *after = abi_row(p->abi)->host_after;
        if (!after || abi_has(p->abi, A_GIVE))
            continue;
        Buf x = {0};
        if (f->direct_out == p)
            buf_puts(&x, "x");
        else if (p->b.slot >= 0)
            slot_read(&x, &p->b);
        put(out, 4, after, &p->b, x.data ? x.data : "");
        buf_free(&x);
    }
    if (f->throws)
        buf_printf(out, "    wg_host_check_error(sb, r + %d);\n", 8 * f->err_slot);
    buf_puts(out, "}\n");

    /* the API function */
    const char *h = f->host_h;
    buf_putc(out, '\n');
    prototype(out, m, f, view);
    buf_printf(out, " {\n    if (%s == NULL)\n        return WG_HOST_BAD_ARGUMENT;\n", h);
    if (ds.n > 0) {
        /* the body writes the results into locals (zeroed), copied out below;
         * an out array is the caller's buffer, numbers written in place */
        for (int i = 0; i < ds.n; i++) {
            if (!ds.d[i].result || ds.d[i].buffer)
                continue;
            Buf name = {0};
            piece_name(&name, &ds.d[i].text);
            buf_printf(out, "    __typeof__(*%s) wg_o_%s;\n    memset(&wg_o_%s, 0, sizeof wg_o_%s);\n", name.data,
                       name.data, name.data, name.data);
            buf_free(&name);
        }
        buf_printf(out, "    %s wg_c = {", ctx.data);
        for (int i = 0; i < ds.n; i++) {
            if (i)
                buf_puts(out, ", ");
            Buf name = {0};
            piece_name(&name, &ds.d[i].text);
            if (ds.d[i].result && !ds.d[i].buffer)
                buf_printf(out, "%s != NULL ? &wg_o_%s : NULL", name.data, name.data);
            else
                buf_puts(out, name.data);
            buf_free(&name);
        }
        buf_puts(out, "};\n");
    }
    /* the call: its jump point here, in the caller's frame (wasmgen-host-glue.h) */
    buf_printf(out, "    int wg_status;\n    WG_HOST_CALL(wg_status, &%s->sb, \"%s\", %s(&%s->sb%s));\n", h, label,
               body.data, h, ds.n ? ", &wg_c" : "");
    /* the results reach the caller only from a call that succeeded: a failed
     * one's were freed with it (a struct's first string, a list's first
     * elements, a handle), and the caller's variables keep what they held */
    bool any = false;
    for (int i = 0; i < ds.n; i++) {
        if (!ds.d[i].result || ds.d[i].buffer)
            continue;
        Buf name = {0};
        piece_name(&name, &ds.d[i].text);
        if (!any)
            buf_puts(out, "    if (wg_status == WG_HOST_OK) {\n");
        any = true;
        buf_printf(out, "        if (%s != NULL)\n            *%s = wg_o_%s;\n", name.data, name.data, name.data);
        buf_free(&name);
    }
    if (any)
        buf_puts(out, "    }\n");
    const Resource *made = result_resource(f);
    if (made) /* an owned one, where handles are borrowed, takes those borrowed for its object */
        buf_printf(out, "    if (wg_status == WG_HOST_OK && *%s != NULL)\n        wg_host_%s(&%s->sb, &(*%s)->r);\n",
                   f->rb.R, f->ret_abi != ABI_B_RET_BORROWED && m->borrows ? "own" : "link", h, f->rb.R);
    buf_puts(out, "    return wg_status;\n}\n");
    buf_free(&ctx);
    buf_free(&body);
    buf_free(&api);
    decls_free(&ds);
}

static void c_funcs(Buf *out, const Module *m, const Func *f) {
    c_func(out, m, f, false);
    if (has_view(f))
        c_func(out, m, f, true);
}

/* ---- Imports: thunks wasm2c's translation calls, to the host's table. */

/* The thunk's signature: wasm2c's (a mismatch with the translation's is a
 * compile error). */
static void import_signature(Buf *out, const Module *m, const Func *f) {
    abi_expand(out, abi_row(f->ret_abi)->host_import_wasm, &f->rb, "", NULL, 0);
    buf_putc(out, ' ');
    import_module(out, m);
    buf_puts(out, "Z_");
    mangle(out, f->name);
    buf_puts(out, "(struct ");
    import_module(out, m);
    buf_puts(out, f->raw_ret ? "_instance_t *wi, u32 wg_ret" : "_instance_t *wi");
    for (const Param *p = f->params; p; p = p->next) {
        if (!abi_row(p->abi)->host_import_param)
            continue;
        buf_puts(out, ", ");
        abi_expand(out, abi_row(p->abi)->host_import_param, &p->b, "", NULL, 0);
    }
    buf_putc(out, ')');
}

/* A thunk gives back the copies of its parameters newest (last) first: each
 * is found at the top of the call's blocks. `rev`: a callback's rows. */
static void import_frees(Buf *out, const Param *p, bool rev) {
    if (p == NULL)
        return;
    import_frees(out, p->next, rev);
    const char *tmpl = (rev ? rev_row(p) : abi_row(p->abi))->host_import_free;
    if (tmpl)
        put(out, 4, tmpl, &p->b, "");
}

static void c_import(Buf *out, const Module *m, const Func *f) {
    const AbiRow *rrow = abi_row(f->ret_abi);
    buf_putc(out, '\n');
    import_signature(out, m, f);
    buf_puts(out, ";\n");
    import_signature(out, m, f);
    buf_printf(out, " {\n    %s_host *h = wi->host;\n    wg_sandbox *sb = &h->sb;\n", m->name);
    /* the innermost call's frame names the import while it runs, for messages */
    buf_printf(out, "    wg_host_frame *wg_f = wg__top;\n    const char *wg_fn = wg_f->fn;\n"
                    "    wg_f->fn = \"import %s\";\n", f->name);
    for (const Param *p = f->params; p; p = p->next)
        if (abi_row(p->abi)->host_import_decode)
            put(out, 4, abi_row(p->abi)->host_import_decode, &p->b, "");
    if (f->raw_ret) {
        Buf type = {0};
        abi_expand(&type, rrow->host_import_type, &f->rb, "", NULL, 0);
        buf_printf(out, "    %s wg_v;\n    memset(&wg_v, 0, sizeof wg_v);\n", type.data);
        buf_free(&type);
    }
    buf_puts(out, "    wg_host_import_enter(sb);\n    ");
    if (f->ret_abi != ABI_NONE && f->ret_abi != ABI_CB_RET_NONE && !f->raw_ret) {
        Buf type = {0};
        abi_expand(&type, rrow->host_import_type, &f->rb, "", NULL, 0);
        buf_printf(out, "%s%swg_v = ", type.data, type.data[type.len - 1] == '*' ? "" : " ");
        buf_free(&type);
    }
    buf_printf(out, "h->imports.%s(h->imports.user", f->name);
    for (const Param *p = f->params; p; p = p->next) {
        if (!abi_row(p->abi)->host_import_arg)
            continue;
        buf_puts(out, ", ");
        abi_expand(out, abi_row(p->abi)->host_import_arg, &p->b, "", NULL, 4);
    }
    buf_puts(out, f->raw_ret ? ", &wg_v);\n" : ");\n");
    import_frees(out, f->params, false);
    buf_puts(out, "    wg_f->fn = wg_fn;\n    wg_host_import_leave(sb);\n");
    if (f->raw_ret) {
        buf_printf(out, "    wg_f->fn = \"import %s\";\n    ", f->name);
        abi_expand(out, rrow->host_import_return, &f->rb, "", NULL, 4);
        buf_puts(out, ";\n    wg_f->fn = wg_fn;\n}\n");
    } else if (rrow->host_import_return) {
        buf_printf(out, "    wg_f->fn = \"import %s\";\n    ", f->name);
        abi_expand(out, rrow->host_import_wasm, &f->rb, "", NULL, 0);
        buf_puts(out, " wg_r = ");
        abi_expand(out, rrow->host_import_return, &f->rb, "", NULL, 4);
        buf_puts(out, ";\n    wg_f->fn = wg_fn;\n    return wg_r;\n}\n");
    } else {
        buf_puts(out, "}\n");
    }
}

/* ---- Callbacks: the thunk of a callback type's raw import `wg_cb_F`
 * (which the glue's trampoline calls with the user data first) finds the
 * host function registered for the call (wg_host_cb_find: by the id C passed
 * as the user data, or the innermost call's for a type without user data),
 * decodes the arguments as an import's and calls it. */
static void c_callback(Buf *out, const Module *m, const Func *cb) {
    const AbiRow *rrow = abi_row(cb->ret_abi);
    Buf sig = {0};
    abi_expand(&sig, rrow->host_import_wasm, &cb->rb, "", NULL, 0);
    buf_putc(&sig, ' ');
    import_module(&sig, m);
    buf_puts(&sig, "Z_");
    mangle(&sig, cb->export_name);
    buf_puts(&sig, "(struct ");
    import_module(&sig, m);
    buf_puts(&sig, cb->raw_ret ? "_instance_t *wi, u32 wg_ret, u32 wg_ud" : "_instance_t *wi, u32 wg_ud");
    for (const Param *p = cb->params; p; p = p->next)
        if (rev_row(p)->host_import_param) {
            buf_puts(&sig, ", ");
            abi_expand(&sig, rev_row(p)->host_import_param, &p->b, "", NULL, 0);
        }
    buf_putc(&sig, ')');
    buf_printf(out, "\n%s;\n%s {\n    %s_host *h = wi->host;\n    wg_sandbox *sb = &h->sb;\n", sig.data, sig.data,
               m->name);
    buf_free(&sig);
    buf_printf(out, "    wg_host_frame *wg_f = wg__top;\n    const char *wg_fn = wg_f->fn;\n"
                    "    wg_f->fn = \"callback %s\";\n",
               cb->name);
    buf_printf(out, "    const wg_host_cb *wg_e = wg_host_cb_find(sb, HS_CB_%s, %s, wg_ud);\n", cb->name,
               cb->ud ? "true" : "false");
    /* copied: the host function may register more (a call it makes), moving the registry */
    buf_printf(out, "    %s_host_%s wg_cb = (%s_host_%s)wg_e->fn;\n    void *wg_user = wg_e->user;\n", m->name,
               cb->name, m->name, cb->name);
    /* resources last: their handles outlive a later argument's failure */
    for (int pass = 0; pass < 2; pass++)
        for (const Param *p = cb->params; p; p = p->next)
            if (rev_row(p)->host_import_decode && (p->abi == ABI_CB_RESOURCE) == pass)
                put(out, 4, rev_row(p)->host_import_decode, &p->b, "");
    if (cb->raw_ret) {
        Buf type = {0};
        abi_expand(&type, rrow->host_import_type, &cb->rb, "", NULL, 0);
        buf_printf(out, "    %s wg_v;\n    memset(&wg_v, 0, sizeof wg_v);\n", type.data);
        buf_free(&type);
    }
    buf_puts(out, "    wg_host_import_enter(sb);\n    ");
    if (rrow->host_import_return && !cb->raw_ret) {
        Buf type = {0};
        abi_expand(&type, rrow->host_import_type, &cb->rb, "", NULL, 0);
        buf_printf(out, "%s%swg_v = ", type.data, type.data[type.len - 1] == '*' ? "" : " ");
        buf_free(&type);
    }
    buf_puts(out, "wg_cb(wg_user");
    for (const Param *p = cb->params; p; p = p->next)
        if (rev_row(p)->host_import_arg) {
            buf_puts(out, ", ");
            abi_expand(out, rev_row(p)->host_import_arg, &p->b, "", NULL, 4);
        }
    buf_puts(out, cb->raw_ret ? ", &wg_v);\n" : ");\n");
    import_frees(out, cb->params, true);
    buf_puts(out, "    wg_f->fn = wg_fn;\n    wg_host_import_leave(sb);\n");
    if (cb->raw_ret) {
        buf_printf(out, "    wg_f->fn = \"callback %s\";\n", cb->name);
        buf_puts(out, "    ");
        abi_expand(out, rrow->host_import_return, &cb->rb, "", NULL, 4);
        buf_puts(out, ";\n    wg_f->fn = wg_fn;\n}\n");
    } else if (rrow->host_import_return) {
        buf_printf(out, "    wg_f->fn = \"callback %s\";\n    ", cb->name);
        abi_expand(out, rrow->host_import_wasm, &cb->rb, "", NULL, 0);
        buf_puts(out, " wg_r = ");
        abi_expand(out, rrow->host_import_return, &cb->rb, "", NULL, 4);
        buf_puts(out, ";\n    wg_f->fn = wg_fn;\n    return wg_r;\n}\n");
    } else {
        buf_puts(out, "}\n");
    }
}

/* ---- The instance */

static void c_instance(Buf *out, const Module *m) {
    const char *n = m->name;
    Buf mod = {0}, inst = {0};
    wasm_module(&mod, m);
    import_module(&inst, m);
    buf_printf(out, "\nstruct %s_instance_t {\n    %s_host *host;\n};\n", inst.data, n);
    buf_printf(out, "\nstruct %s_host {\n    wg_sandbox sb; /* first: a body's sb is its instance */\n"
                    "    %s_instance_t inst;\n    struct %s_instance_t imp;\n",
               n, mod.data, inst.data);
    if (m->imports)
        buf_printf(out, "    %s_host_imports imports;\n", n);
    buf_puts(out, "};\n");

    /* the adapters the runtime calls the translation through, and hs_module() */
    buf_printf(out, "\nWG_HOST_MODULE(%s, %s, \"%s\");\n", mod.data, inst.data, n);
    buf_free(&mod);
    buf_free(&inst);
}

/* new, free and the accessors. */
static void c_lifecycle(Buf *out, const Module *m) {
    const char *n = m->name;
    /* new */
    if (m->imports)
        buf_printf(out, "\nint %s_host_new(%s_host **out, const wg_host_options *options, const %s_host_imports *imports) {\n",
                   n, n, n);
    else
        buf_printf(out, "\nint %s_host_new(%s_host **out, const wg_host_options *options) {\n", n, n);
    buf_printf(out,
               "    if (WG_HOST_RT_CONFIG != 1) /* a link error when the WASM_RT_* flags differ */\n"
               "        return WG_HOST_BAD_ARGUMENT;\n"
               "    if (out == NULL)\n        return WG_HOST_BAD_ARGUMENT;\n"
               "    *out = NULL;\n");
    if (m->imports) {
        buf_printf(out, "    if (imports == NULL)\n        return wg_host_refuse(NULL, \"new\", \"imports is NULL\");\n");
        for (const Func *f = m->imports; f; f = f->next)
            buf_printf(out,
                       "    if (imports->%s == NULL)\n"
                       "        return wg_host_refuse(NULL, \"new\", \"import '%s' is missing\");\n",
                       f->name, f->name);
    }
    buf_printf(out,
               "    const wg_sandbox_ops *ops = hs_module();\n"
               "    %s_host *h = calloc(1, sizeof *h);\n"
               "    if (h == NULL)\n        return wg_host_refuse(NULL, \"new\", \"out of host memory\");\n"
               "    h->imp.host = h;\n",
               n);
    if (m->imports)
        buf_puts(out, "    h->imports = *imports;\n");
    buf_puts(out, "    int status = wg_sandbox_init(&h->sb, ops, &h->inst, &h->imp, options);\n"
                  "    if (status != WG_HOST_OK) {\n        free(h);\n        return status;\n    }\n"
                  "    *out = h;\n    return WG_HOST_OK;\n}\n");
    buf_printf(out, "\n/* %s_host_free, _error, _error_code, _exit_code, _stats, _flush_output */\n"
                    "WG_HOST_INSTANCE_API(%s);\n", n, n);
}

void emit_host_c(const Module *m, const EmitOptions *o, Buf *out) {
    const char *n = m->name;
    buf_puts(out, "/*\n");
    emit_banner(out, " *", m, o, "_host.c");
    buf_printf(out,
               " *\n"
               " * Compile with wasm2c's %s.wasm2c.c and the same WASM_RT_* flags\n"
               " * (wasmgen.mk's WASMGEN_HOST_RT_FLAGS); link with -lwasmgen-host -lpthread.\n"
               " */\n"
               "#include <stdlib.h>\n#include <string.h>\n\n"
               "#include \"%s.wasm2c.h\"\n#include \"%s_host.h\"\n#include <wasmgen-host-glue.h>\n",
               n, n, n);
    const char *what;
    for (const Func *f = m->imports; f; f = f->next)
        if (import_hostless(f))
            return; /* NAME_host.h stops the compilation with the reason */
    if (unsupported(m, &what))
        return;
    c_instance(out, m);
    for (const Enum *en = m->enums; en; en = en->next)
        c_enum(out, m, en);
    if (m->structs)
        buf_putc(out, '\n');
    for (const Struct *st = m->structs; st; st = st->next)
        c_struct_decls(out, st);
    for (int i = 0; i < m->nstructs; i++)
        c_struct(out, m, m->ordered_structs[i]);
    bool *passed = calloc((size_t)m->nstructs + 1, sizeof *passed);
    if (passed == NULL) {
        fprintf(stderr, "wasmgen: out of memory\n");
        exit(1);
    }
    passed_to_host(m, passed);
    for (int i = 0; i < m->nstructs; i++)
        if (passed[i])
            c_cb_struct_decls(out, m->ordered_structs[i]);
    for (int i = 0; i < m->nstructs; i++)
        if (passed[i])
            c_cb_struct(out, m->ordered_structs[i]);
    free(passed);
    for (const Resource *r = m->resources; r; r = r->next)
        c_resource(out, m, r);
    for (const Func *f = m->imports; f; f = f->next)
        c_import(out, m, f);
    if (m->callbacks) {
        buf_puts(out, "\n/* The callback types, numbered for the registry (wg_host_cb_add). */\nenum {\n");
        int k = 1;
        for (const Func *cb = m->callbacks; cb; cb = cb->next)
            buf_printf(out, "    HS_CB_%s = %d,\n", cb->name, k++);
        buf_printf(out, "    HS_CBS = %d /* how many */\n};\n", k - 1);
    }
    bool stored = false;
    for (const Func *cb = m->callbacks; cb; cb = cb->next)
        if (stored_type(m, cb)) {
            buf_printf(out,
                       "\nint %s_host_callback_%s(%s_host *h, %s_host_%s fn, void *user, wg_host_callback **out) {\n"
                       "    if (h == NULL)\n        return WG_HOST_BAD_ARGUMENT;\n"
                       "    return wg_host_callback_new(&h->sb, \"callback_%s\", HS_CB_%s, (void (*)(void))fn, user, out);\n}\n",
                       m->name, cb->name, m->name, m->name, cb->name, cb->name, cb->name);
            stored = true;
        }
    if (stored)
        buf_printf(out,
                   "\nint %s_host_callback_free(%s_host *h, wg_host_callback *cb) {\n"
                   "    if (h == NULL)\n        return WG_HOST_BAD_ARGUMENT;\n"
                   "    return wg_host_callback_free(&h->sb, cb);\n}\n",
                   m->name, m->name);
    for (const Func *cb = m->callbacks; cb; cb = cb->next)
        c_callback(out, m, cb);
    for (const Func *f = m->funcs; f; f = f->next)
        c_funcs(out, m, f);
    for (const Resource *r = m->resources; r; r = r->next) {
        if (r->ctor)
            c_funcs(out, m, r->ctor);
        for (const Func *f = r->ctors; f; f = f->next)
            c_funcs(out, m, f);
        for (const Func *f = r->methods; f; f = f->next)
            c_funcs(out, m, f);
    }
    c_lifecycle(out, m);
}
