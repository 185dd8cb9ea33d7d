/*
 * lower.c - from a checked module to rows of the wasm boundary (abi.def).
 *
 * Every decision about what crosses wasm is made here, once: the ABI class
 * of each parameter and result, the values of its row's template codes,
 * the return-area slots, whether a result is the export's own wasm result,
 * the JS argument counts, the struct order, the codecs a module declares,
 * and every name the generated code introduces. Printers only expand.
 */
#include "lower.h"

#include <ctype.h>
#include <stdint.h>
#include <string.h>

const AbiRow abi_rows[ABI_COUNT] = {
#define PARAM(id, fl, decl, gp, call, local, store, marshal, arg, after, res, ip, idec, gb, ga, gc,    \
              hdecl, hmarshal, harg, hafter, hip, hidec, hiarg, hifree)                           \
    [ABI_##id] = {#id, fl, decl, gp, call, local, store, marshal, arg, after, res, ip, idec,        \
                  gb, ga, gc, NULL, NULL, NULL, NULL, NULL,                                       \
                  hdecl, hmarshal, harg, hafter, hip, hidec, hiarg, hifree,                       \
                  NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL},
#define RESULT(id, fl, type, note, gt, gd, store, res, iret, ga, gc, drop,                         \
               hdecl, hres, hvdecl, hvres, hitype, hiwasm, hiret)                                 \
    [ABI_##id] = {#id, fl, type, NULL, NULL, NULL, store, NULL, NULL, NULL, res, NULL, NULL,      \
                  NULL, ga, gc, note, gt, gd, iret, drop,                                         \
                  hdecl, NULL, NULL, NULL, NULL, NULL, NULL, NULL,                                \
                  hres, hvdecl, hvres, hitype, hiwasm, hiret, NULL, NULL, NULL, NULL},
/* The reverse direction; the host columns are a callback thunk's (emit_host.c). */
#define REV(id, fl, decl, local, rp, ra, ip, idec, hdecl, hip, hidec, hiarg, hifree)               \
    [ABI_##id] = {#id, fl, decl, NULL, NULL, local, NULL, NULL, NULL, NULL, NULL, ip, idec,       \
                  NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,                                 \
                  hdecl, NULL, NULL, NULL, hip, hidec, hiarg, hifree,                             \
                  NULL, NULL, NULL, NULL, NULL, NULL, rp, ra, NULL, NULL},
#define REV_RESULT(id, fl, type, rt, rv, iret, hitype, hiwasm, hiret)                              \
    [ABI_##id] = {#id, fl, type, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,      \
                  NULL, NULL, NULL, NULL, NULL, NULL, iret, NULL,                                 \
                  NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,                                 \
                  NULL, NULL, NULL, hitype, hiwasm, hiret, NULL, NULL, rt, rv},
#include "abi.def"
#undef PARAM
#undef RESULT
#undef REV
#undef REV_RESULT
};

/* ---- Template expansion */

static void slot_addr(Buf *out, int slot) {
    if (slot == 0)
        buf_puts(out, "$r");
    else
        buf_printf(out, "$r + %d", slot * 8);
}

void abi_slot_read(Buf *out, const Bind *b) {
    const char *shift = b->view[1] == '6' ? "3" : "2"; /* i64, f64 */
    if (b->slot == 0)
        buf_printf(out, "$rt.%s[$r >>> %s]", b->view, shift);
    else
        buf_printf(out, "$rt.%s[($r + %d) >>> %s]", b->view, b->slot * 8, shift);
}

/* wasm2c's C type for a wasm value type (a heap view's name). */
static const char *wasm2c_type(const char *view) {
    if (view == NULL)
        return "void";
    switch (view[0]) {
    case 'f': return view[1] == '6' ? "f64" : "f32";
    default: return view[1] == '6' ? "u64" : "u32"; /* i32 u32 i64 */
    }
}

/* Replace '@' in a types.def template by `value`, '#' by the JS function
 * name `fn`, a JS expression (%F). */
static void subst(Buf *out, const char *tmpl, const char *value, const char *fn) {
    for (const char *s = tmpl; *s;) {
        if (*s == '@') {
            buf_puts(out, value);
            s++;
        } else if (*s == '#') {
            buf_puts(out, fn ? fn : "''");
            s++;
        } else { /* a run of plain text, at once */
            size_t n = 1;
            while (s[n] && s[n] != '@' && s[n] != '#')
                n++;
            buf_putn(out, s, n);
            s += n;
        }
    }
}

void abi_expand(Buf *out, const char *tmpl, const Bind *b, const char *x, const char *subject,
                int indent) {
    const char *subj = subject ? subject : b->l;
    for (const char *s = tmpl; *s; s++) {
        if (*s == '\n') {
            buf_putc(out, '\n');
            buf_indent(out, indent);
            continue;
        }
        if (*s != '%') { /* a run of plain text, at once (a few bytes: a loop, not a call) */
            size_t n = 1;
            while (s[n] && s[n] != '%' && s[n] != '\n')
                n++;
            buf_putn(out, s, n);
            s += n - 1;
            continue;
        }
        switch (*++s) {
        case 'n': buf_puts(out, b->n); break;
        case 't': buf_puts(out, b->t); break;
        case 'e': buf_puts(out, b->e); break;
        case 'g': buf_puts(out, b->g); break;
        case 'y': buf_puts(out, b->y); break;
        case 'l': buf_puts(out, b->l); break;
        case 'j': buf_puts(out, b->j); break;
        case 'f': buf_puts(out, b->f); break;
        case 'F': buf_puts(out, b->F ? b->F : "''"); break;
        case 'c': buf_puts(out, b->c); break;
        case 'd': buf_puts(out, b->d); break;
        case 'L': buf_puts(out, b->L); break;
        case 'C': buf_puts(out, b->C); break;
        case 'D': /* a declaration's type: `const char *name`, `int name` */
            buf_puts(out, b->C);
            if (!b->C[0] || b->C[strlen(b->C) - 1] != '*')
                buf_putc(out, ' ');
            break;
        case 'E': buf_puts(out, b->E); break;
        case 'P': buf_puts(out, b->P); break;
        case 'Q': buf_puts(out, b->Q); break;
        case 'K': buf_puts(out, b->K ? b->K : ""); break;
        case 'B': buf_puts(out, b->K ? "By" : ""); break; /* takeStrBy: freed by the export %K names */
        case 'H': buf_puts(out, b->H); break;
        case 'J': buf_puts(out, b->J); break;
        case 'R': buf_puts(out, b->R); break;
        case 'm': buf_puts(out, b->m); break;
        case 'W': buf_puts(out, wasm2c_type(b->view)); break;
        case 'Z': buf_puts(out, b->Z); break;
        case 'h': buf_puts(out, b->h); break;
        case 'k': buf_puts(out, b->k); break;
        case 'o': buf_puts(out, b->optional ? "true" : "false"); break;
        case 'O': buf_puts(out, b->optional ? "Opt" : ""); break;
        case 'T': buf_puts(out, b->optional ? ", true" : ""); break;
        case 's': buf_printf(out, "%d", b->slot); break;
        case 'a': slot_addr(out, b->slot); break;
        case 'N': /* a NULL result where the IDL has no `?`: name the function (and its error slot) */
            if (!b->optional)
                buf_puts(out, ", true");
            if (!b->optional && b->err_slot >= 0) {
                buf_puts(out, ", ");
                slot_addr(out, b->err_slot);
            }
            break;
        case 'x': buf_puts(out, x); break;
        case 'r': buf_puts(out, b->r); break;
        case 'v': subst(out, b->si->js_invalid, subj, b->F); break;
        case 'w': subst(out, b->si->js_to_wasm, subj, b->F); break;
        case 'u': subst(out, b->si->js_from_wasm, x, b->F); break;
        case '%': buf_putc(out, '%'); break;
        default: buf_putc(out, '%'); buf_putc(out, *s); break; /* not a code */
        }
    }
}

/* ---- Classes */

static bool is_list(const TypeRef *t) {
    return t->is_array && (t->kind == TK_STRING || t->kind == TK_STRUCT);
}

static AbiClass param_class(const Func *f, const Param *p) {
    const TypeRef *t = &p->type;
    if (t->kind == TK_CALLBACK)
        return t->cb->ud ? ABI_CALLBACK_UD : ABI_CALLBACK;
    if (p->mode == MODE_INOUT || (f->is_import && p->mode == MODE_OUT))
        return ABI_ARRAY_INOUT; /* an import's: a view JS writes into */
    if (p->mode == MODE_OUT)
        return t->is_array ? ABI_OUT_ARRAY : t->kind == TK_ENUM ? ABI_OUT_ENUM : ABI_OUT_SCALAR;
    if (is_list(t))
        return ABI_LIST_IN;
    if (t->is_array)
        return ABI_ARRAY_IN;
    switch (t->kind) {
    case TK_STRING: return ABI_STRING_IN;
    case TK_STRUCT: return t->optional ? ABI_STRUCT_OPT_IN : ABI_STRUCT_IN;
    case TK_ENUM: return ABI_ENUM_IN;
    case TK_RESOURCE: return ABI_RESOURCE_IN;
    default: return t->optional ? ABI_OPT_IN : ABI_SCALAR_IN;
    }
}

static AbiClass result_class(const Func *f) {
    const TypeRef *t = &f->ret;
    if (f->is_ctor)
        return ABI_RET_NEW;
    if (t->kind == TK_VOID)
        return ABI_NONE;
    if (is_list(t))
        return ABI_RET_LIST;
    if (t->is_array)
        return ABI_RET_ARRAY;
    switch (t->kind) {
    case TK_STRING: return ABI_RET_STRING;
    case TK_STRUCT: return t->optional ? ABI_RET_STRUCT_OPT : ABI_RET_STRUCT;
    case TK_ENUM: return ABI_RET_ENUM;
    case TK_RESOURCE: return ABI_RET_RESOURCE;
    default: return t->optional ? ABI_RET_OPT : ABI_RET_SCALAR;
    }
}

/* ---- Names: every name the generated code introduces is built here. */

typedef struct Lowerer {
    Module *m;
    Arena *a;
    CodecDecl **codec_tail;
    /* codec names declared so far: an open-addressing set */
    const char **seen;
    size_t seen_cap, seen_n;
    const char *elem_types[T_STRING]; /* $T.NAME of each scalar type, made once */
} Lowerer;

/* JS's element type of an array of t: $T.f64. */
static const char *elem_type(Lowerer *lw, const TypeRef *t) {
    if (t->kind != TK_SCALAR)
        return arena_printf(lw->a, "$T.%s", t->name);
    const char **d = &lw->elem_types[t->id];
    if (!*d)
        *d = arena_printf(lw->a, "$T.%s", t->name);
    return *d;
}

static char *upper(Arena *a, const char *s) {
    char *u = arena_printf(a, "%s", s);
    for (char *p = u; *p; p++)
        *p = (char)toupper((unsigned char)*p);
    return u;
}

static size_t hash(const char *s) {
    size_t h = 1469598103934665603u;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211u;
    return h;
}

/* Declare codec `name` = `init` once per module. */
static void declare_codec(Lowerer *lw, const char *name, const char *init) {
    if (lw->seen_n * 2 >= lw->seen_cap) {
        size_t cap = lw->seen_cap ? lw->seen_cap * 2 : 64;
        const char **seen = arena_alloc(lw->a, cap * sizeof *seen);
        for (size_t i = 0; i < lw->seen_cap; i++) {
            if (!lw->seen[i])
                continue;
            size_t j = hash(lw->seen[i]) & (cap - 1);
            while (seen[j])
                j = (j + 1) & (cap - 1);
            seen[j] = lw->seen[i];
        }
        lw->seen = seen;
        lw->seen_cap = cap;
    }
    size_t i = hash(name) & (lw->seen_cap - 1);
    for (; lw->seen[i]; i = (i + 1) & (lw->seen_cap - 1))
        if (strcmp(lw->seen[i], name) == 0)
            return;
    lw->seen[i] = name;
    lw->seen_n++;
    CodecDecl *d = arena_alloc(lw->a, sizeof *d);
    d->name = name;
    d->init = init;
    *lw->codec_tail = d;
    lw->codec_tail = &d->next;
}

/* The codec of a list, optional struct or optional scalar, declared on
 * first use; a struct's own codec for a struct by value. */
static const char *value_codec(Lowerer *lw, const TypeRef *t) {
    Arena *a = lw->a;
    const char *o = t->optional ? "O" : "";
    const char *opt = t->optional ? "true" : "false";
    const char *name, *init;
    if (is_list(t) && t->kind == TK_STRUCT) {
        name = arena_printf(a, "$L%s_%s", o, t->name);
        init = arena_printf(a, "$rt.listType(%s, %s)", t->st->codec, opt);
    } else if (is_list(t)) {
        name = arena_printf(a, "$L%s_string", o);
        init = arena_printf(a, "$rt.listType($rt.stringField(), %s)", opt);
    } else if (t->kind == TK_STRUCT && !t->optional) {
        return t->st->codec;
    } else if (t->kind == TK_STRUCT) {
        name = arena_printf(a, "$SO_%s", t->name);
        init = arena_printf(a, "%s.nullable()", t->st->codec);
    } else {
        name = arena_printf(a, "$O_%s", t->name);
        init = arena_printf(a, "$rt.optType($V.%s)", t->name);
    }
    declare_codec(lw, name, init);
    return name;
}

/* The codec expression of a struct field: a name the module declares, so
 * that the struct's specialized reader (field_read) can call it directly. */
static const char *field_codec(Lowerer *lw, const TypeRef *t) {
    Arena *a = lw->a;
    const char *o = t->optional ? "O" : "";
    const char *opt = t->optional ? "true" : "false";
    const char *name, *init;
    if (t->is_array && (t->kind == TK_STRUCT || t->kind == TK_STRING))
        return value_codec(lw, t);
    if (t->is_array) {
        name = arena_printf(a, "$A%s_%s", o, t->name);
        init = arena_printf(a, "$rt.arrayField($T.%s, %s)", t->name, opt);
    } else if (t->kind == TK_STRING) {
        name = arena_printf(a, "$F%s_string", o);
        init = arena_printf(a, "$rt.stringField(%s)", opt);
    } else if (t->kind == TK_STRUCT) {
        return t->st->codec;
    } else if (t->kind == TK_ENUM) {
        return t->en->codec;
    } else {
        return arena_printf(a, "$V.%s", t->name);
    }
    declare_codec(lw, name, init);
    return name;
}

/* A struct field's value in its struct's specialized reader: a JS
 * expression over $d (the memory's DataView), $a (the struct's address),
 * $own and $fn (see codecs.mjs, read). Scalars and enums are read in
 * place; what points elsewhere goes through its codec's read. */
static const char *field_read(Lowerer *lw, const Field *f) {
    Arena *a = lw->a;
    const TypeRef *t = &f->type;
    const char *at = f->offset ? arena_printf(a, "$a + %u", (unsigned)f->offset) : "$a";
    if (t->is_array || t->kind == TK_STRING || t->kind == TK_STRUCT)
        return arena_printf(a, "%s.read($rt, %s, $own, $fn)", f->js_codec, at);
    if (t->kind == TK_ENUM)
        return arena_printf(a, "%s.out($d.getInt32(%s, true), $fn)", t->en->codec, at);
    const ScalarInfo *si = scalar_info(t->id);
    unsigned bits = 8 * si->size;
    bool sign = strncmp(si->c, "uint", 4) != 0;
    switch (si->kind) {
    case K_BOOL: return arena_printf(a, "$d.getUint8(%s) !== 0", at);
    case K_INT53: return arena_printf(a, "$rt.i53($d.getBigInt64(%s, true), $fn)", at);
    case K_FLOAT: return arena_printf(a, "$d.getFloat%u(%s, true)", bits, at);
    case K_BIG: return arena_printf(a, "$d.getBig%s%u(%s, true)", sign ? "Int" : "Uint", bits, at);
    default: return arena_printf(a, "$d.get%s%u(%s%s)", sign ? "Int" : "Uint", bits, at, bits > 8 ? ", true" : "");
    }
}

/* The C value type of t: a scalar's, or the declared type's C name. */
static const char *c_value(const TypeRef *t) {
    switch (t->kind) {
    case TK_ENUM: return t->en->c_name;
    case TK_STRUCT: return t->st->c_name;
    case TK_RESOURCE: return t->res->c_name;
    case TK_STRING: return "char";
    case TK_VOID: return "void";
    case TK_CALLBACK: return t->cb->c_type;
    case TK_UNRESOLVED: return "void"; /* user_data */
    default: return scalar_info(t->id)->c;
    }
}

/* Template values a type gives: %t %e %g %y %d %si, the heap view, %o. */
static void bind_type(Lowerer *lw, Bind *b, const TypeRef *t) {
    b->m = lw->m->name;
    b->y = t->name;
    b->t = c_value(t);
    b->e = t->kind == TK_STRING ? "wg_str" : b->t;
    b->optional = t->optional;
    b->slot = -1;
    if (t->kind == TK_SCALAR) {
        b->si = scalar_info(t->id);
        b->g = b->si->glue_c;
        b->view = b->si->wasm;
        b->d = elem_type(lw, t);
    } else if (t->kind == TK_ENUM) {
        b->g = "int32_t";
        b->view = "i32";
        b->c = t->en->codec;
    } else if (t->kind == TK_RESOURCE) {
        b->view = "u32";
    }
}

/* A struct field's C member(s): a pointer and its length for strings and
 * arrays (the layout wg_str and the wg_T_array types have). */
static const char *field_decl(Lowerer *lw, const Field *f) {
    const TypeRef *t = &f->type;
    if (t->is_array || t->kind == TK_STRING)
        return arena_printf(lw->a, "const %s *%s;\n    size_t %s_len",
                            t->is_array ? (t->kind == TK_STRING ? "wg_str" : c_value(t)) : "char",
                            f->name, f->name);
    return arena_printf(lw->a, "%s %s", c_value(t), f->name);
}

/* ---- Bindings: the library's own function (idl/binding.md) */

static bool c_pointer(const char *c_type) { return c_type && strchr(c_type, '*') != NULL; }

/* An expression as C. `plain`: as written (a value passed on, a value a
 * result is compared with); otherwise in int64_t, each operation checked
 * for overflow into the glue's local flag wg_xb (see WG_BIND_INT). */
static void c_expr(Buf *out, const Expr *e, bool plain) {
    switch (e->kind) {
    case E_INT:
        if (plain && !e->neg && e->lit > (uint64_t)INT64_MAX) /* as written (value saturates): a uint64_t */
            buf_printf(out, "%lluu", (unsigned long long)e->lit);
        else if (e->neg && e->lit > (uint64_t)INT64_MAX) /* -2^63 (no C literal is 2^63; sema refuses below) */
            buf_puts(out, plain ? "(-9223372036854775807LL - 1)" : "(int64_t)(-9223372036854775807LL - 1)");
        else if (plain)
            buf_printf(out, "%lld", (long long)e->value);
        else /* (sema refuses one above INT64_MAX here: check_int64) */
            buf_printf(out, "(int64_t)%lldLL", (long long)e->value);
        return;
    case E_NAME:
        buf_printf(out, plain ? "%s" : "(int64_t)(%s)", e->name);
        return;
    case E_LEN:
    case E_ADDR_LEN:
        buf_printf(out, plain ? "%s_len" : "(int64_t)%s_len", e->name);
        return;
    case E_FIELD:
        buf_printf(out, plain ? "self->%s" : "(int64_t)self->%s", e->name);
        return;
    case E_NULL:
        buf_puts(out, "NULL");
        return;
    case E_CALL: /* the arguments convert as C converts them, sign included (WG_BIND_CALL) */
        buf_printf(out, plain ? "WG_BIND_CALL(%s(" : "(int64_t)WG_BIND_CALL(%s(", e->name);
        for (const Expr *a = e->args; a; a = a->next) {
            if (a != e->args)
                buf_puts(out, ", ");
            c_expr(out, a, true);
        }
        buf_puts(out, "))");
        return;
    case E_NEG:
        if (plain) {
            buf_puts(out, "(-");
            c_expr(out, e->lhs, true);
            buf_putc(out, ')');
        } else {
            buf_puts(out, "wg_x_sub(0, ");
            c_expr(out, e->lhs, false);
            buf_puts(out, ", &wg_xb)");
        }
        return;
    case E_BIN:
        if (plain) {
            buf_putc(out, '(');
            c_expr(out, e->lhs, true);
            buf_printf(out, " %c ", e->op);
            c_expr(out, e->rhs, true);
            buf_putc(out, ')');
        } else {
            buf_printf(out, "wg_x_%s(", e->op == '+' ? "add" : e->op == '-' ? "sub" : e->op == '*' ? "mul" : "div");
            c_expr(out, e->lhs, false);
            buf_puts(out, ", ");
            c_expr(out, e->rhs, false);
            buf_puts(out, ", &wg_xb)");
        }
        return;
    }
}

static const char *expr_text(Lowerer *lw, const Expr *e, bool plain) {
    Buf b = {0};
    c_expr(&b, e, plain);
    const char *s = arena_strndup(lw->a, b.data ? b.data : "", b.len);
    buf_free(&b);
    return s;
}

static AbiClass bound_param_class(const Func *f, const Param *p) {
    const TypeRef *t = &p->type;
    if (p->is_self)
        return f->is_ctor ? ABI_B_SELF_NEW : ABI_SELF;
    if (p->is_user_data)
        return ABI_B_USER_DATA;
    if (t->kind == TK_CALLBACK) {
        const Resource *owner = p->life != LIFE_OWNED ? NULL : p->owner ? p->owner->type.res : f->owner;
        return owner && owner->ud_fn && !p->ud_param ? ABI_B_CALLBACK_SET : ABI_B_CALLBACK;
    }
    if (p->field_ptr)
        return p->mode == MODE_OUT ? ABI_B_FIELD_OUT : ABI_B_FIELD_IN;
    if (p->js_only)
        return ABI_B_JS_ONLY;
    if (p->value) {
        if (p->mode == MODE_OUT)
            return ABI_B_OUT_AFTER;
        if (p->value->kind == E_ADDR_LEN)
            return p->value->param && p->value->param->type.len_kind == LEN_NONE ? ABI_B_LEN_OUT
                                                                                : ABI_B_LEN_PTR;
        return p->value->kind == E_NULL || c_pointer(t->c_type) || t->kind != TK_SCALAR ? ABI_B_VALUE
                                                                                         : ABI_B_COMPUTED;
    }
    if (p->mode == MODE_OUT) {
        if (t->is_array)
            return t->len_kind == LEN_NONE ? ABI_B_OUT_ALLOC : ABI_B_OUT_ARRAY;
        return t->kind == TK_STRUCT ? ABI_B_OUT_STRUCT : t->kind == TK_ENUM ? ABI_B_OUT_ENUM : ABI_B_OUT_SCALAR;
    }
    if (p->mode == MODE_INOUT)
        return t->len_expr ? ABI_B_ARRAY_INOUT_SIZED : ABI_B_ARRAY_INOUT;
    if (is_list(t))
        return t->kind == TK_STRING ? ABI_B_CSTRS : ABI_B_LIST;
    if (t->is_array)
        return t->len_expr ? ABI_B_ARRAY_SIZED : ABI_B_ARRAY;
    switch (t->kind) {
    case TK_STRING: return ABI_B_STRING;
    case TK_STRUCT: return c_pointer(t->c_type) ? ABI_B_STRUCT_PTR : ABI_B_STRUCT;
    case TK_ENUM: return ABI_B_ENUM;
    case TK_RESOURCE: return p->given ? ABI_B_RESOURCE_GIVEN : ABI_B_RESOURCE;
    default: return t->optional ? ABI_OPT_IN : t->c_type ? ABI_B_SCALAR_AS : ABI_B_SCALAR;
    }
}

static AbiClass bound_result_class(const Func *f) {
    const TypeRef *t = &f->ret;
    if (f->is_ctor)
        return f->owner->caller_allocated ? ABI_B_RET_SELF : ABI_B_RET_NEW;
    if (f->named_ctor)
        return ABI_B_RET_RESOURCE;
    if (f->returns_param)
        return ABI_B_RET_LEN;
    switch (t->kind) {
    case TK_VOID: return t->c_type ? ABI_B_RET_STATUS : ABI_NONE;
    case TK_STRING: return f->own == OWN_BORROWED ? ABI_B_RET_STRING_BORROWED : ABI_B_RET_STRING;
    case TK_RESOURCE: return f->own == OWN_BORROWED ? ABI_B_RET_BORROWED : ABI_B_RET_RESOURCE;
    case TK_ENUM: return ABI_B_RET_ENUM;
    case TK_STRUCT: return ABI_B_RET_STRUCT;
    default: return t->c_type && strncmp(t->c_type, "enum ", 5) == 0 ? ABI_B_RET_CENUM : ABI_B_RET_SCALAR;
    }
}

/* ---- Callbacks, and imports C calls through the glue: the reverse rows. */

/* The C type a callback's parameter has by default (without `as`). */
static const char *rev_c_type(Lowerer *lw, const Param *p) {
    const TypeRef *t = &p->type;
    if (t->c_type)
        return t->c_type;
    if (p->is_user_data)
        return "void *";
    if (t->kind == TK_STRING && t->is_array)
        return "const char **";
    if (t->kind == TK_STRING)
        return "const char *";
    if (t->is_array)
        return arena_printf(lw->a, p->mode == MODE_IN ? "const %s *" : "%s *", c_value(t));
    if (t->kind == TK_STRUCT && t->optional)
        return arena_printf(lw->a, "const %s *", c_value(t));
    if (t->kind == TK_RESOURCE)
        return arena_printf(lw->a, "%s *", c_value(t));
    return c_value(t);
}

/* The C expression of a length C passes: its parameter, or strlen's. */
static const char *rev_length(Lowerer *lw, const Param *p, const char *measure) {
    if (p->cb_len)
        return arena_printf(lw->a, "WG_CB_LEN(%s)", p->cb_len->name);
    if (p->type.len_kind == LEN_LITERAL)
        return arena_printf(lw->a, "%lluu", (unsigned long long)p->type.len_value);
    return arena_printf(lw->a, measure, p->name);
}

static void lower_rev_param(Lowerer *lw, Func *f, Param *p) {
    TypeRef *t = &p->type;
    Bind *b = &p->b;
    bind_type(lw, b, t);
    b->n = p->name;
    b->l = p->js_local;
    b->j = p->js_name;
    b->f = f->is_callback ? arena_printf(lw->a, "callback %s", f->name) : f->js_fn;
    b->F = arena_printf(lw->a, "'%s'", b->f);
    b->C = rev_c_type(lw, p);
    if (p->is_user_data) {
        p->abi = ABI_CB_USER_DATA;
    } else if (p->len_of) {
        p->abi = ABI_CB_LENGTH;
    } else if (t->is_array && t->kind == TK_STRING) {
        p->abi = ABI_CB_LIST;
        b->E = rev_length(lw, p, "wg_cb_count((const void *const *)%s)");
    } else if (t->kind == TK_STRING) {
        p->abi = f->is_callback ? ABI_CB_STRING : ABI_I_STRING;
        b->E = rev_length(lw, p, "WG_CB_STRLEN(%s)");
    } else if (t->is_array) {
        p->abi = f->is_callback ? ABI_CB_ARRAY : p->mode == MODE_IN ? ABI_I_ARRAY : ABI_I_ARRAY_INOUT;
        b->E = rev_length(lw, p, "0u");
    } else if (t->kind == TK_STRUCT) {
        p->abi = c_pointer(b->C) ? ABI_CB_STRUCT_PTR : ABI_CB_STRUCT;
        b->c = t->st->codec;
    } else if (t->kind == TK_RESOURCE) {
        p->abi = ABI_CB_RESOURCE;
        t->res->borrowed = true; /* its class takes an owner */
        b->c = t->res->borrow_wrap;
        b->view = "u32";
    } else if (t->kind == TK_ENUM) {
        p->abi = ABI_CB_ENUM;
    } else {
        p->abi = c_pointer(b->C) ? ABI_CB_SCALAR_PTR : ABI_CB_SCALAR;
    }
}

static void lower_rev_result(Lowerer *lw, Func *f) {
    TypeRef *t = &f->ret;
    Bind *b = &f->rb;
    bind_type(lw, b, t);
    b->l = "$v";
    b->f = f->is_callback ? arena_printf(lw->a, "callback %s", f->name)
                          : arena_printf(lw->a, "options.imports.%s", f->js_name);
    b->F = arena_printf(lw->a, "'%s'", b->f);
    switch (t->kind) {
    case TK_VOID: f->ret_abi = ABI_CB_RET_NONE; break;
    case TK_STRING: f->ret_abi = ABI_CB_RET_STRING; break;
    case TK_ENUM: f->ret_abi = ABI_CB_RET_ENUM; break;
    case TK_STRUCT: f->ret_abi = ABI_CB_RET_STRUCT; b->c = t->st->codec; break;
    default: f->ret_abi = t->is_array ? ABI_CB_RET_ARRAY : ABI_CB_RET_SCALAR; break;
    }
    if (t->is_array) {
        b->d = elem_type(lw, t);
        b->C = t->c_type ? t->c_type : arena_printf(lw->a, "wg_%s_array", t->name);
    } else {
        b->C = t->c_type ? t->c_type : t->kind == TK_STRING ? "char *" : c_value(t);
    }
    f->raw_ret = abi_row(f->ret_abi)->raw_type == NULL;
}

/* The C type a binding's parameter has by default (without `as`). */
static const char *bound_c_type(Lowerer *lw, const Param *p) {
    const TypeRef *t = &p->type;
    if (t->c_type)
        return t->c_type;
    const char *v = p->is_self ? p->b.t : c_value(t);
    switch (p->abi) {
    case ABI_B_STRING: return "const char *";
    case ABI_B_CSTRS: return "const char **";
    case ABI_B_LIST: return arena_printf(lw->a, "const %s *", v);
    case ABI_B_ARRAY:
    case ABI_B_ARRAY_SIZED:
    case ABI_B_FIELD_IN: return arena_printf(lw->a, "const %s *", v);
    case ABI_B_ARRAY_INOUT:
    case ABI_B_ARRAY_INOUT_SIZED:
    case ABI_B_OUT_ARRAY:
    case ABI_B_FIELD_OUT:
    case ABI_B_LEN_OUT:
    case ABI_B_OUT_SCALAR:
    case ABI_B_OUT_ENUM:
    case ABI_B_OUT_STRUCT:
    case ABI_B_LEN_PTR:
    case ABI_B_RESOURCE:
    case ABI_B_RESOURCE_GIVEN:
    case ABI_SELF: return arena_printf(lw->a, "%s *", v);
    default: return v;
    }
}

static void lower_binding_param(Lowerer *lw, Func *f, Param *p) {
    Bind *b = &p->b;
    b->C = bound_c_type(lw, p);
    switch (p->abi) {
    case ABI_B_COMPUTED:
    case ABI_B_OUT_AFTER: b->E = expr_text(lw, p->value, false); break;
    case ABI_B_VALUE: b->E = expr_text(lw, p->value, true); break;
    case ABI_B_LEN_PTR:
    case ABI_B_LEN_OUT: b->Q = p->value->param ? p->value->param->name : p->value->name; break;
    case ABI_B_ARRAY_SIZED:
    case ABI_B_ARRAY_INOUT_SIZED:
    case ABI_B_OUT_ARRAY: b->E = expr_text(lw, p->type.len_expr, false); break;
    case ABI_B_FIELD_OUT:
        b->E = expr_text(lw, p->type.len_expr, false);
        /* fall through */
    case ABI_B_FIELD_IN:
        b->P = p->field_ptr;
        b->Q = p->field_len;
        break;
    case ABI_B_RESOURCE: b->c = p->type.res->codec; break;
    case ABI_B_RESOURCE_GIVEN: /* where the object goes: %P in JS, %Q in the native host (NULL: consumed) */
        b->c = p->type.res->codec;
        p->type.res->given = true;
        lw->m->borrows |= p->given_to != NULL;
        b->P = !p->given_to ? "null" : p->given_owner ? p->given_owner->js_local : "this";
        b->Q = !p->given_to ? "NULL"
                            : arena_printf(lw->a, "(wg_host_res *)c->%s", p->given_owner ? p->given_owner->name : "self");
        break;
    case ABI_B_LIST:
        b->c = value_codec(lw, &p->type);
        p->type.st->used_as_list = true;
        break;
    case ABI_B_USER_DATA:
        b->C = p->type.c_type ? p->type.c_type : "void *";
        b->Q = p->ud_param ? p->ud_param->name : "0";
        break;
    case ABI_B_CALLBACK_SET: {
        const Resource *owner = p->owner ? p->owner->type.res : f->owner;
        b->P = owner->ud_fn;
        b->Q = p->owner ? p->owner->name : "self";
        break;
    }
    case ABI_B_STRUCT:
    case ABI_B_STRUCT_PTR:
    case ABI_B_OUT_STRUCT: b->c = value_codec(lw, &p->type); break;
    default: break;
    }
    if (p->abi == ABI_B_OUT_ARRAY || p->abi == ABI_B_FIELD_OUT || p->abi == ABI_B_ARRAY_SIZED ||
        p->abi == ABI_B_OUT_ALLOC)
        b->d = elem_type(lw, &p->type);
    (void)f;
}

/* The export that frees results with `owned(FN)`, one per function named. */
static const char *free_export(Lowerer *lw, const char *fn) {
    Module *m = lw->m;
    for (int i = 0; i < m->nfree_fns; i++)
        if (strcmp(m->free_fns[i], fn) == 0)
            return arena_printf(lw->a, FREE_FN_EXPORT "%s", fn);
    const char **fns = arena_alloc(lw->a, (size_t)(m->nfree_fns + 1) * sizeof *fns);
    for (int i = 0; i < m->nfree_fns; i++)
        fns[i] = m->free_fns[i];
    fns[m->nfree_fns++] = fn;
    m->free_fns = fns;
    return arena_printf(lw->a, FREE_FN_EXPORT "%s", fn);
}

static void lower_binding_result(Lowerer *lw, Func *f) {
    Bind *b = &f->rb;
    const TypeRef *t = &f->ret;
    const char *res = f->owner ? f->owner->c_name : t->kind == TK_RESOURCE ? t->res->c_name : NULL;
    switch (f->ret_abi) {
    case ABI_B_RET_STRING: b->C = t->c_type ? t->c_type : "char *"; break;
    case ABI_B_RET_STRING_BORROWED: b->C = t->c_type ? t->c_type : "const char *"; break;
    case ABI_B_RET_NEW:
    case ABI_B_RET_RESOURCE:
    case ABI_B_RET_BORROWED:
        b->C = t->c_type ? t->c_type : arena_printf(lw->a, "%s *", f->is_ctor || f->named_ctor ? res : t->res->c_name);
        b->view = "u32";
        break;
    case ABI_B_RET_SELF: b->C = t->c_type ? t->c_type : "void"; b->view = "u32"; break;
    case ABI_B_RET_LEN: b->C = t->c_type ? t->c_type : c_value(t); b->Q = f->returns_param->name; break;
    default: b->C = t->c_type ? t->c_type : c_value(t); break;
    }
    if (f->ret_abi == ABI_B_RET_RESOURCE || f->ret_abi == ABI_B_RET_BORROWED) {
        Resource *r = f->named_ctor ? f->owner : t->res;
        b->c = f->ret_abi == ABI_B_RET_BORROWED ? r->borrow_wrap : r->wrap;
        b->r = r->codec;
        if (f->ret_abi == ABI_B_RET_BORROWED) {
            r->borrowed = true;
            b->P = "null";
            if (f->owner && !f->is_ctor && !f->named_ctor)
                b->P = "this";
            else
                for (Param *p = f->params; p; p = p->next)
                    if (p->abi == ABI_B_RESOURCE) {
                        b->P = p->js_local;
                        break;
                    }
        }
    }
    /* what frees a result the C function made (abi.def's glue release) */
    if (f->ret_abi == ABI_B_RET_STRING)
        b->E = f->own == OWN_FREE ? f->free_fn : "free";
    else if (f->ret_abi == ABI_B_RET_NEW || f->ret_abi == ABI_B_RET_SELF || f->ret_abi == ABI_B_RET_RESOURCE)
        b->E = (f->ret_abi == ABI_B_RET_RESOURCE && !f->named_ctor ? t->res : f->owner)->drop_fn;
    if (f->ret_abi == ABI_B_RET_STRUCT)
        b->c = value_codec(lw, t);
    if (f->ret_abi == ABI_B_RET_ENUM)
        b->g = "int32_t";
    if (f->own == OWN_FREE)
        b->K = arena_printf(lw->a, ", $x.%s", f->free_export = free_export(lw, f->free_fn));

    /* Failure: the C result compared, its code, its message. */
    bool ptr = c_pointer(b->C);
    if (f->fails) {
        Buf test = {0};
        for (const FailCond *c = f->fails; c; c = c->next) {
            if (c != f->fails)
                buf_puts(&test, " || ");
            buf_printf(&test, "wg_r %s ", c->op);
            c_expr(&test, c->value, true);
        }
        f->fail_test = arena_strndup(lw->a, test.data, test.len);
        buf_free(&test);
        f->fail_code = ptr ? "0" : "(int32_t)wg_r";
        if (f->message && f->message->kind == E_FIELD)
            f->fail_msg = arena_printf(lw->a, "self->%s", f->message->name);
        else if (f->message && f->message->kind == E_CALL) /* fn(args): called as written */
            f->fail_msg = expr_text(lw, f->message, true);
        else if (f->message)
            f->fail_msg = arena_printf(lw->a, "WG_BIND_CALL(%s(wg_r))", f->message->name);
        else
            f->fail_msg = "NULL";
    }
}

/* %F: the function's name in JS code. A function of the module object or
 * a resource class holds it in its local $f (emit_js.c); an import's code
 * has it as a literal. */
static const char *fn_expr(Lowerer *lw, const Func *f) {
    return f->is_import ? arena_printf(lw->a, "'%s'", f->js_fn) : "$f";
}

/* A callback argument: its registration in JS (%H), its trampoline (%Z). */
static void lower_callback_arg(Lowerer *lw, Func *f, Param *p) {
    Bind *b = &p->b;
    const Func *cb = p->type.cb;
    const char *opt = p->type.optional ? "true" : "false";
    b->t = cb->c_type;
    b->c = cb->cb_codec;
    b->Z = arena_printf(lw->a, "(%s ? %s : NULL)", p->name, cb->tramp);
    /* the native host: a function and its `void *` (a stored one: a wg_host_callback) */
    b->h = arena_printf(lw->a, "%s_host_%s %s, void *%s_user", lw->m->name, cb->name, p->name, p->name);
    const char *host_fn = arena_printf(lw->a, "(void (*)(void))c->%s, c->%s_user", p->name, p->name);
    switch (p->life) {
    case LIFE_CALL:
        b->J = arena_printf(lw->a, "$rt.cbCall(%s, %s, %s, '%s', %s)", cb->cb_codec, p->js_local, fn_expr(lw, f),
                            p->js_name, opt);
        b->k = arena_printf(lw->a, "wg_host_cb_add(sb, HS_CB_%s, %s, %s, \"parameter '%s'\")", cb->name, host_fn,
                            opt, p->name);
        break;
    case LIFE_STORED:
        b->J = arena_printf(lw->a, "$rt.cbStored(%s, %s, %s, '%s', %s)", cb->cb_codec, p->js_local, fn_expr(lw, f),
                            p->js_name, opt);
        b->h = arena_printf(lw->a, "const wg_host_callback *%s", p->name);
        b->k = arena_printf(lw->a, "wg_host_cb_kept(sb, c->%s, HS_CB_%s, %s, \"parameter '%s'\")", p->name,
                            cb->name, opt, p->name);
        break;
    case LIFE_OWNED: {
        const char *owner = p->owner ? p->owner->name : "self";
        const Resource *res = p->owner ? p->owner->type.res : f->owner;
        b->J = arena_printf(lw->a, "$rt.cbOwned(%s, %s, %s, %s, '%s', %s)", cb->cb_codec,
                            p->owner ? p->owner->js_local : "this", p->js_local, fn_expr(lw, f), p->js_name, opt);
        b->k = arena_printf(lw->a,
                            "wg_host_cb_own(sb, (wg_host_res *)c->%s, \"%s\", \"%s%s%s\", HS_CB_%s, HS_CBS, %s, %s, "
                            "\"parameter '%s'\")",
                            owner, res->name, p->owner ? "parameter '" : "", owner, p->owner ? "'" : "", cb->name,
                            host_fn, opt, p->name);
        break;
    }
    }
}

static void lower_param(Lowerer *lw, Func *f, Param *p) {
    TypeRef *t = &p->type;
    Bind *b = &p->b;
    if (p->is_self) {
        p->abi = f->bind ? bound_param_class(f, p) : ABI_SELF;
        b->t = f->owner->c_name;
        b->c = f->owner->codec;
        b->f = f->js_fn;
        b->F = fn_expr(lw, f);
        b->n = b->l = b->j = "self";
        b->y = f->owner->name;
        b->m = lw->m->name;
        b->slot = -1;
        if (f->bind)
            b->C = bound_c_type(lw, p);
        return;
    }
    if (f->is_callback || f->wrapped) {
        lower_rev_param(lw, f, p);
        return;
    }
    p->abi = f->bind ? bound_param_class(f, p) : param_class(f, p);
    bind_type(lw, b, t);
    b->n = p->name;
    b->l = p->js_local;
    b->j = p->js_name;
    b->f = f->js_fn;
    b->F = fn_expr(lw, f);
    if (t->kind == TK_CALLBACK)
        lower_callback_arg(lw, f, p);
    if (f->bind) {
        lower_binding_param(lw, f, p);
        return;
    }
    switch (p->abi) {
    case ABI_RESOURCE_IN: b->c = t->res->codec; break;
    case ABI_STRUCT_IN:
    case ABI_STRUCT_OPT_IN:
    case ABI_OPT_IN:
    case ABI_LIST_IN: b->c = value_codec(lw, t); break;
    default: break;
    }
    if (p->abi == ABI_LIST_IN && t->kind == TK_STRUCT)
        t->st->used_as_list = true;
    if (p->abi != ABI_OUT_ARRAY)
        return;
    const Param *q = p->len_param; /* sema linked it (LEN_PARAM, LEN_OF) */
    switch (t->len_kind) {
    case LEN_LITERAL:
        b->L = arena_printf(lw->a, "%llu", (unsigned long long)t->len_value);
        b->H = b->L;
        p->len_note = arena_printf(lw->a, "%llu elements", (unsigned long long)t->len_value);
        break;
    case LEN_PARAM:
        b->L = q->js_local; /* (out() refuses a negative length) */
        b->H = arena_printf(lw->a, "c->%s", q->name);
        p->len_note = arena_printf(lw->a, "`%s` elements", t->len_name);
        break;
    case LEN_OF:
        b->L = arena_printf(lw->a, "%s$n", q->js_local);
        b->H = arena_printf(lw->a, "c->%s_len", q->name);
        p->len_note = arena_printf(lw->a, "`%s_len` elements", t->len_name);
        break;
    case LEN_NONE:
    case LEN_EXPR: break;
    }
}

static void lower_result(Lowerer *lw, Func *f) {
    TypeRef *t = &f->ret;
    Bind *b = &f->rb;
    if (f->is_callback || f->wrapped) {
        lower_rev_result(lw, f);
        return;
    }
    f->ret_abi = f->bind ? bound_result_class(f) : result_class(f);
    bind_type(lw, b, t);
    b->f = f->js_fn;
    b->F = fn_expr(lw, f);
    b->l = "$v";
    if (f->bind) {
        lower_binding_result(lw, f);
        return;
    }
    switch (f->ret_abi) {
    case ABI_RET_NEW:
        b->t = f->owner->c_name;
        b->y = f->owner->name;
        b->view = "u32";
        break;
    case ABI_RET_RESOURCE: b->c = t->res->wrap, b->r = t->res->codec; break;
    case ABI_RET_STRUCT:
    case ABI_RET_STRUCT_OPT:
    case ABI_RET_LIST:
    case ABI_RET_OPT: b->c = value_codec(lw, t); break;
    case ABI_RET_ARRAY: b->d = elem_type(lw, t); break;
    default: break;
    }
    if (f->ret_abi == ABI_RET_LIST && t->kind == TK_STRUCT)
        t->st->used_as_list = true;
}

/* Return-area slots a result takes (8 bytes each). */
static int result_slots(const Func *f) {
    if (f->ret_abi == ABI_RET_STRUCT || f->ret_abi == ABI_B_RET_STRUCT)
        return (int)((f->ret.st->size + 7) / 8); /* the struct itself */
    if (f->ret_abi == ABI_RET_OPT)
        return scalar_info(f->ret.id)->size == 8 ? 2 : 1; /* wg_opt_T: has, value */
    return 1;
}

/* Is `name` free among f's C parameter names (each parameter and its _len)? */
static bool name_free(const Func *f, const char *name) {
    size_t n = strlen(name);
    for (const Param *p = f->params; p; p = p->next) {
        if (strcmp(p->name, name) == 0)
            return false;
        if (strncmp(name, p->name, strlen(p->name)) == 0 && strcmp(name + strlen(p->name), "_len") == 0)
            return false;
        if (strncmp(p->name, name, n) == 0 && strcmp(p->name + n, "_len") == 0)
            return false; /* the result's own _len */
    }
    return true;
}

/* The first of `names` free in f; the last, wg_-prefixed, always is. */
static const char *pick_name(const Func *f, const char *const *names) {
    for (; names[1]; names++)
        if (name_free(f, *names))
            return *names;
    return *names;
}

static void lower_func(Lowerer *lw, Func *f, const char *c_prefix) {
    Arena *a = lw->a;
    f->c_name = f->bind ? f->bind : arena_printf(a, "%s_%s", c_prefix, f->name);
    if (f->is_import) {
        /* Values that are more than wasm arguments go through the glue. */
        const TypeRef *r = &f->ret;
        f->wrapped = r->kind == TK_STRUCT || (r->is_array && r->kind == TK_SCALAR);
        for (const Param *p = f->params; p; p = p->next)
            f->wrapped |= p->type.kind == TK_STRUCT;
        if (f->wrapped)
            f->raw_name = arena_printf(a, "wg__%s_i_%s", lw->m->c_prefix, f->name);
    }
    if (f->is_callback) {
        f->wrapped = true;
        f->js_fn = arena_printf(a, "callback %s", f->name);
    } else if (f->owner) {
        f->export_name = arena_printf(a, "wg_r_%s_%s", f->owner->name, f->name);
        f->glue_name = arena_printf(a, "wg__%s_%s_%s", lw->m->c_prefix, f->owner->name, f->name);
        f->js_fn = f->is_ctor ? f->owner->js_name
                              : arena_printf(a, "%s.%s", f->owner->js_name, f->js_name);
    } else {
        f->export_name = arena_printf(a, "wg_f_%s", f->name);
        f->glue_name = arena_printf(a, "wg__%s_%s", lw->m->c_prefix, f->name);
        f->js_fn = f->js_name;
    }

    /* A method's resource is a parameter like the others: first, unless a
     * binding places `self` among the C function's parameters. */
    bool has_self = false;
    for (Param *p = f->params; p; p = p->next)
        has_self |= p->is_self;
    if (f->owner && !f->is_ctor && !f->named_ctor && !has_self) {
        Param *self = arena_alloc(a, sizeof *self);
        self->loc = f->loc;
        self->name = "self";
        self->is_self = true;
        self->synthetic = true;
        self->slot = -1;
        self->next = f->params;
        f->params = self;
    }

    lower_result(lw, f);
    int out_scalars = 0, outs = 0, slot_outs = 0;
    bool after = false; /* JS does something after the call (a copy back, a transfer): not direct */
    Param *only_out_scalar = NULL;
    for (Param *p = f->params; p; p = p->next) {
        lower_param(lw, f, p);
        p->slot = -1;
        f->calls_back |= p->type.kind == TK_CALLBACK;
        if (abi_has(p->abi, A_IN)) {
            f->nargs++;
            if (!p->type.optional)
                f->nrequired = f->nargs;
        } else if (abi_has(p->abi, A_OUT)) {
            outs++;
        }
        f->nout_arrays += abi_has(p->abi, A_DEST);
        f->temps |= abi_has(p->abi, A_TEMP | A_PIN);
        const AbiRow *row = abi_row(p->abi);
        after |= row->js_after != NULL;
        f->checked |= row->glue_before != NULL || (row->glue_after && abi_has(p->abi, A_OUT));
        if (abi_has(p->abi, A_OUT) && abi_has(p->abi, A_VIEW)) {
            out_scalars++;
            only_out_scalar = p;
        }
        slot_outs += abi_has(p->abi, A_SLOT);
    }

    /* Results: the return value, then out scalars, then the error record,
     * take return-area slots; out arrays come back through buffers the
     * caller allocates. A single scalar result is the export's own wasm
     * result. */
    f->checked |= f->fails != NULL || abi_row(f->ret_abi)->glue_after != NULL;
    bool has_ret = abi_returns(f);
    bool fails = f->throws || f->checked;
    /* In a module with deferred callbacks, any call's C may run one: JS
     * looks for its exception after the call, before the results. */
    f->settles = lw->m->defers && !f->is_import && !f->is_callback;
    f->nresults = (has_ret ? 1 : 0) + outs;
    f->ret_slot = f->err_slot = -1;
    int slots = 0;
    if (f->is_import || f->is_callback) {
        /* An import's result is its wasm result. */
    } else if (!fails && !after && !f->settles && has_ret && abi_row(f->ret_abi)->glue_type && out_scalars == 0 &&
               slot_outs == 0) {
        f->direct = true;
    } else if (!fails && !after && !f->settles && !has_ret && out_scalars == 1 && slot_outs == 0) {
        f->direct = true;
        f->direct_out = only_out_scalar;
    } else {
        if (has_ret) {
            f->ret_slot = slots;
            f->ret_slots = result_slots(f);
            slots += f->ret_slots;
        }
        for (Param *p = f->params; p; p = p->next) {
            if (abi_has(p->abi, A_OUT) && abi_has(p->abi, A_VIEW))
                p->slot = slots++;
            else if (abi_has(p->abi, A_SLOT)) {
                p->slot = slots;
                slots += p->type.kind == TK_STRUCT && !p->type.is_array ? (int)((p->type.st->size + 7) / 8) : 1;
            }
        }
        if (fails) {
            f->err_slot = slots;
            slots += 2; /* wg_error: code, failed, message */
        }
        f->sync = has_ret && abi_has(f->ret_abi, A_VIEW);
        f->sync |= out_scalars > 0;
    }
    /* A return area larger than a quarter of the return-area stack (a big
     * struct result) is allocated for the call instead. */
    f->heap_ret_area = (uint64_t)slots * 8 > RET_STACK_BYTES / 4;
    /* The native host's names beside the parameters: NAME_host_F(h, ..., result). */
    static const char *const results[] = {"result", "ret", "wg_result", NULL};
    static const char *const hosts[] = {"h", "host", "wg_h", NULL};
    f->rb.R = pick_name(f, results);
    f->host_h = pick_name(f, hosts);
    f->rb.slot = f->ret_slot;
    f->rb.err_slot = f->throws ? f->err_slot : -1;
    for (Param *p = f->params; p; p = p->next)
        p->b.slot = p->slot, p->b.err_slot = -1;
    f->nslots = slots;
}

static void lower_resource(Lowerer *lw, Resource *r) {
    if (r->ctor)
        lower_func(lw, r->ctor, r->c_name);
    for (Func *f = r->ctors; f; f = f->next)
        lower_func(lw, f, r->c_name);
    for (Func *f = r->methods; f; f = f->next)
        lower_func(lw, f, r->c_name);
}

/* Whether the module's JS can meet a handle: a WasmArray (an array
 * parameter, result or field) or a resource. Only then does its JS runtime
 * ship the handles, their lifetimes, m.alloc and m.from (handleFeature), and
 * its .mjs and .d.ts export WasmArray. Anything beyond scalars and strings
 * passed by functions counts (structs, enums, callbacks, imports, and the
 * codecs of optional scalars): the parts of the runtime those use lean on
 * handles. Called once the module is lowered (its codecs made). */
static bool module_has_handles(const Module *m) {
    if (m->structs || m->enums || m->resources || m->imports || m->callbacks || m->codecs)
        return true;
    for (const Func *f = m->funcs; f; f = f->next) {
        if (f->ret.is_array || (f->ret.kind != TK_SCALAR && f->ret.kind != TK_STRING && f->ret.kind != TK_VOID))
            return true;
        for (const Param *p = f->params; p; p = p->next)
            if (p->type.is_array || (p->type.kind != TK_SCALAR && p->type.kind != TK_STRING))
                return true;
    }
    return false;
}

/* Can m make a borrowed resource handle: a `borrowed` result, a resource a
 * callback or an import is passed (both mark the resource borrowed), a
 * handle given to another (`given(NAME)`, `given(self)`)? Only then does its
 * JS ship the bookkeeping of borrowed handles whose object gets a new owner
 * (followFeature: its JS calls $rt.follows()), and its native host code
 * orphan what was borrowed when a handle is freed or its object gets a new
 * owner (emit_host.c). Called once the module is lowered. */
static bool module_borrows(const Module *m) {
    for (const Resource *r = m->resources; r; r = r->next)
        if (r->borrowed)
            return true;
    return m->borrows; /* (a `given(NAME)` parameter, as it was lowered) */
}

void lower_module(Module *m, Arena *arena) {
    Lowerer lw = {.m = m, .a = arena, .codec_tail = &m->codecs};
    m->c_prefix = m->c_prefix_decl ? m->c_prefix_decl : m->name;
    m->binds = m->includes != NULL;
    const char *cp = m->c_prefix;

    /* Names of the declared types first: functions refer to them. The
     * library's own types keep their C names (`as "T"`). */
    for (Enum *en = m->enums; en; en = en->next) {
        en->c_name = en->c_type ? en->c_type : arena_printf(arena, "%s_%s", cp, en->name);
        en->codec = arena_printf(arena, "$E_%s", en->name);
        const char *stem = upper(arena, arena_printf(arena, "%s_%s", cp, en->name));
        for (EnumValue *v = en->values; v; v = v->next)
            v->c_name = en->c_type ? arena_printf(arena, "%s%s", en->prefix ? en->prefix : "", v->name)
                                   : arena_printf(arena, "%s_%s", stem, upper(arena, v->name));
    }
    for (Struct *st = m->structs; st; st = st->next) {
        st->c_name = st->c_type ? st->c_type : arena_printf(arena, "%s_%s", cp, st->name);
        st->codec = arena_printf(arena, "$S_%s", st->name);
        m->nstructs++;
    }
    for (Resource *r = m->resources; r; r = r->next) {
        r->c_name = r->c_type ? r->c_type : arena_printf(arena, "%s_%s", cp, r->name);
        r->codec = arena_printf(arena, "$R_%s", r->name);
        r->wrap = arena_printf(arena, "$W_%s", r->name);
        r->borrow_wrap = arena_printf(arena, "$B_%s", r->name);
        r->cls = arena_printf(arena, "$C_%s", r->name);
        r->new_fn = arena_printf(arena, "$new_%s", r->name);
        r->drop_export = arena_printf(arena, "wg_r_%s_drop", r->name);
        r->drop_glue = arena_printf(arena, "wg__%s_%s_drop", cp, r->name);
        if (!r->drop_fn) {
            r->drop_stmt = arena_printf(arena, "%s_drop(self);", r->c_name);
            r->drop_queued = arena_printf(arena, "%s_drop((%s *)ptr);", r->c_name, r->c_name);
        } else {
            r->drop_stmt = r->caller_allocated
                               ? arena_printf(arena, "(void)%s(self);\n    free(self);", r->drop_fn)
                               : arena_printf(arena, "(void)%s(self);", r->drop_fn);
            r->drop_queued = r->caller_allocated
                                 ? arena_printf(arena, "(void)%s((%s *)ptr); free(ptr);", r->drop_fn, r->c_name)
                                 : arena_printf(arena, "(void)%s((%s *)ptr);", r->drop_fn, r->c_name);
        }
    }

    /* Structs in dependency order (sema numbered them as it laid them out). */
    m->ordered_structs = arena_alloc(arena, (size_t)(m->nstructs ? m->nstructs : 1) * sizeof(Struct *));
    for (Struct *st = m->structs; st; st = st->next) {
        m->ordered_structs[st->order] = st;
        for (Field *f = st->fields; f; f = f->next) {
            f->js_codec = field_codec(&lw, &f->type);
            f->js_read = field_read(&lw, f);
            st->nfields++;
            f->c_decl = field_decl(&lw, f);
            f->has_len = f->type.is_array || f->type.kind == TK_STRING;
            if (f->type.is_array && f->type.kind == TK_STRUCT)
                f->type.st->used_as_list = true;
        }
    }

    /* Callback types: their C typedef, trampoline, raw import and JS descriptor. */
    for (Func *cb = m->callbacks; cb; cb = cb->next) {
        cb->c_type = arena_printf(arena, "%s_%s", cp, cb->name);
        cb->tramp = arena_printf(arena, "wg_cb_%s", cb->name);
        cb->raw_name = arena_printf(arena, "wg__%s_cb_%s", cp, cb->name);
        cb->cb_codec = arena_printf(arena, "$K_%s", cb->name);
        cb->export_name = arena_printf(arena, "wg_cb_%s", cb->name); /* the raw import's wasm name */
    }
    for (Func *cb = m->callbacks; cb; cb = cb->next)
        m->defers |= cb->deferred;
    for (Func *cb = m->callbacks; cb; cb = cb->next)
        lower_func(&lw, cb, cp);
    for (Func *f = m->funcs; f; f = f->next)
        lower_func(&lw, f, cp);
    for (Resource *r = m->resources; r; r = r->next)
        lower_resource(&lw, r);
    for (Func *f = m->imports; f; f = f->next)
        lower_func(&lw, f, cp);
    m->handles = module_has_handles(m);
    m->borrows = module_borrows(m);
}
