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

static const AbiRow rows[ABI_COUNT] = {
#define PARAM(id, fl, decl, gp, call, local, store, marshal, arg, after, res, ip, idec) \
    [ABI_##id] = {#id, fl, decl, gp, call, local, store, marshal, arg, after, res, ip, idec,   \
                  NULL, NULL, NULL, NULL},
#define RESULT(id, fl, type, note, gt, gd, store, res, iret) \
    [ABI_##id] = {#id, fl, type, NULL, NULL, NULL, store, NULL, NULL, NULL, res, NULL, NULL, \
                  note, gt, gd, iret},
#include "abi.def"
#undef PARAM
#undef RESULT
};

const AbiRow *abi_row(AbiClass c) { return &rows[c]; }

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

/* Replace '@' in a types.def template by `value`. */
static void subst(Buf *out, const char *tmpl, const char *value) {
    for (const char *s = tmpl; *s; s++) {
        if (*s == '@')
            buf_puts(out, value);
        else
            buf_putc(out, *s);
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
        if (*s != '%') {
            buf_putc(out, *s);
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
        case 'c': buf_puts(out, b->c); break;
        case 'd': buf_puts(out, b->d); break;
        case 'L': buf_puts(out, b->L); break;
        case 'o': buf_puts(out, b->optional ? "true" : "false"); break;
        case 'O': buf_puts(out, b->optional ? "Opt" : ""); break;
        case 'T': buf_puts(out, b->optional ? ", true" : ""); break;
        case 's': buf_printf(out, "%d", b->slot); break;
        case 'a': slot_addr(out, b->slot); break;
        case 'x': buf_puts(out, x); break;
        case 'v': subst(out, b->si->js_invalid, subj); break;
        case 'w': subst(out, b->si->js_to_wasm, subj); break;
        case 'u': subst(out, b->si->js_from_wasm, x); break;
        case '%': buf_putc(out, '%'); break;
        default: buf_putc(out, '%'); buf_putc(out, *s); break; /* not a code */
        }
    }
}

/* ---- Classes */

static bool is_list(const TypeRef *t) {
    return t->is_array && (t->kind == TK_STRING || t->kind == TK_STRUCT);
}

static AbiClass param_class(const Param *p) {
    const TypeRef *t = &p->type;
    if (p->mode == MODE_INOUT)
        return ABI_ARRAY_INOUT;
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
} Lowerer;

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

/* The codec expression of a struct field. */
static const char *field_codec(Lowerer *lw, const TypeRef *t) {
    Arena *a = lw->a;
    const char *opt = t->optional ? "true" : "false";
    if (t->is_array && t->kind == TK_STRUCT)
        return arena_printf(a, "$rt.listType(%s, %s)", t->st->codec, opt);
    if (t->is_array && t->kind == TK_STRING)
        return arena_printf(a, "$rt.listType($rt.stringField(), %s)", opt);
    if (t->is_array)
        return arena_printf(a, "$rt.arrayField($T.%s, %s)", t->name, opt);
    if (t->kind == TK_STRING)
        return arena_printf(a, "$rt.stringField(%s)", opt);
    if (t->kind == TK_STRUCT)
        return t->st->codec;
    if (t->kind == TK_ENUM)
        return t->en->codec;
    return arena_printf(a, "$V.%s", t->name);
}

/* The C value type of t: a scalar's, or the declared type's C name. */
static const char *c_value(const TypeRef *t) {
    switch (t->kind) {
    case TK_ENUM: return t->en->c_name;
    case TK_STRUCT: return t->st->c_name;
    case TK_RESOURCE: return t->res->c_name;
    case TK_STRING: return "char";
    case TK_VOID: return "void";
    default: return scalar_info(t->id)->c;
    }
}

/* Template values a type gives: %t %e %g %y %d %si, the heap view, %o. */
static void bind_type(Lowerer *lw, Bind *b, const TypeRef *t) {
    b->y = t->name;
    b->t = c_value(t);
    b->e = t->kind == TK_STRING ? "wg_str" : b->t;
    b->optional = t->optional;
    b->slot = -1;
    if (t->kind == TK_SCALAR) {
        b->si = scalar_info(t->id);
        b->g = b->si->glue_c;
        b->view = b->si->wasm;
        b->d = arena_printf(lw->a, "$T.%s", t->name);
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

static void lower_param(Lowerer *lw, Func *f, Param *p) {
    TypeRef *t = &p->type;
    Bind *b = &p->b;
    p->abi = param_class(p);
    bind_type(lw, b, t);
    b->n = p->name;
    b->l = p->js_local;
    b->j = p->js_name;
    b->f = f->js_fn;
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
        p->len_note = arena_printf(lw->a, "%llu elements", (unsigned long long)t->len_value);
        break;
    case LEN_PARAM:
        b->L = arena_printf(lw->a, "$rt.len(%s, '%s', '%s')", q->js_local, f->js_fn, p->js_name);
        p->len_note = arena_printf(lw->a, "`%s` elements", t->len_name);
        break;
    case LEN_OF:
        b->L = arena_printf(lw->a, "%s$n", q->js_local);
        p->len_note = arena_printf(lw->a, "`%s_len` elements", t->len_name);
        break;
    case LEN_NONE: break;
    }
}

static void lower_result(Lowerer *lw, Func *f) {
    TypeRef *t = &f->ret;
    Bind *b = &f->rb;
    f->ret_abi = result_class(f);
    bind_type(lw, b, t);
    b->f = f->js_fn;
    b->l = "$v";
    switch (f->ret_abi) {
    case ABI_RET_NEW:
        b->t = f->owner->c_name;
        b->view = "u32";
        break;
    case ABI_RET_RESOURCE: b->c = t->res->wrap; break;
    case ABI_RET_STRUCT:
    case ABI_RET_STRUCT_OPT:
    case ABI_RET_LIST:
    case ABI_RET_OPT: b->c = value_codec(lw, t); break;
    case ABI_RET_ARRAY: b->d = arena_printf(lw->a, "$T.%s", t->name); break;
    default: break;
    }
    if (f->ret_abi == ABI_RET_LIST && t->kind == TK_STRUCT)
        t->st->used_as_list = true;
}

/* Return-area slots a result takes (8 bytes each). */
static int result_slots(const Func *f) {
    if (f->ret_abi == ABI_RET_STRUCT)
        return (int)((f->ret.st->size + 7) / 8); /* the struct itself */
    if (f->ret_abi == ABI_RET_OPT)
        return scalar_info(f->ret.id)->size == 8 ? 2 : 1; /* wg_opt_T: has, value */
    return 1;
}

static void lower_func(Lowerer *lw, Func *f, const char *c_prefix) {
    Arena *a = lw->a;
    f->c_name = arena_printf(a, "%s_%s", c_prefix, f->name);
    if (f->owner) {
        f->export_name = arena_printf(a, "wg_r_%s_%s", f->owner->name, f->name);
        f->glue_name = arena_printf(a, "wg__%s_%s", f->owner->c_name, f->name);
        f->js_fn = f->is_ctor ? f->owner->js_name
                              : arena_printf(a, "%s.%s", f->owner->js_name, f->js_name);
    } else {
        f->export_name = arena_printf(a, "wg_f_%s", f->name);
        f->glue_name = arena_printf(a, "wg__%s_%s", lw->m->name, f->name);
        f->js_fn = f->js_name;
    }

    lower_result(lw, f);
    int out_scalars = 0, outs = 0;
    Param *only_out_scalar = NULL;
    for (Param *p = f->params; p; p = p->next) {
        lower_param(lw, f, p);
        p->slot = -1;
        if (abi_has(p->abi, A_IN)) {
            f->nargs++;
            if (!p->type.optional)
                f->nrequired = f->nargs;
        } else {
            outs++;
        }
        f->nout_arrays += abi_has(p->abi, A_DEST);
        f->temps |= abi_has(p->abi, A_TEMP);
        if (abi_has(p->abi, A_OUT) && abi_has(p->abi, A_VIEW)) {
            out_scalars++;
            only_out_scalar = p;
        }
    }

    /* Results: the return value, then out scalars, then the error record,
     * take return-area slots; out arrays come back through buffers the
     * caller allocates. A single scalar result is the export's own wasm
     * result. */
    bool has_ret = f->ret_abi != ABI_NONE;
    f->nresults = (has_ret ? 1 : 0) + outs;
    f->ret_slot = f->err_slot = -1;
    int slots = 0;
    if (f->is_import) {
        /* An import's result is its wasm result. */
    } else if (!f->throws && has_ret && abi_row(f->ret_abi)->glue_type && out_scalars == 0) {
        f->direct = true;
    } else if (!f->throws && !has_ret && out_scalars == 1) {
        f->direct = true;
        f->direct_out = only_out_scalar;
    } else {
        if (has_ret) {
            f->ret_slot = slots;
            f->ret_slots = result_slots(f);
            slots += f->ret_slots;
        }
        for (Param *p = f->params; p; p = p->next)
            if (abi_has(p->abi, A_OUT) && abi_has(p->abi, A_VIEW))
                p->slot = slots++;
        if (f->throws) {
            f->err_slot = slots;
            slots += 2; /* wg_error: code, failed, message */
        }
        f->sync = has_ret && abi_has(f->ret_abi, A_VIEW);
        f->sync |= out_scalars > 0;
    }
    /* A return area larger than a quarter of the return-area stack (a big
     * struct result) is allocated for the call instead. */
    f->heap_ret_area = (uint64_t)slots * 8 > RET_STACK_BYTES / 4;
    f->rb.slot = f->ret_slot;
    for (Param *p = f->params; p; p = p->next)
        p->b.slot = p->slot;
    f->nslots = slots;
}

static void lower_resource(Lowerer *lw, Resource *r) {
    if (r->ctor)
        lower_func(lw, r->ctor, r->c_name);
    for (Func *f = r->methods; f; f = f->next)
        lower_func(lw, f, r->c_name);
}

void lower_module(Module *m, Arena *arena) {
    Lowerer lw = {m, arena, &m->codecs, NULL, 0, 0};
    m->c_prefix = m->name;

    /* Names of the declared types first: functions refer to them. */
    for (Enum *en = m->enums; en; en = en->next) {
        en->c_name = arena_printf(arena, "%s_%s", m->name, en->name);
        en->codec = arena_printf(arena, "$E_%s", en->name);
        const char *stem = upper(arena, en->c_name);
        for (EnumValue *v = en->values; v; v = v->next)
            v->c_name = arena_printf(arena, "%s_%s", stem, upper(arena, v->name));
    }
    for (Struct *st = m->structs; st; st = st->next) {
        st->c_name = arena_printf(arena, "%s_%s", m->name, st->name);
        st->codec = arena_printf(arena, "$S_%s", st->name);
        m->nstructs++;
    }
    for (Resource *r = m->resources; r; r = r->next) {
        r->c_name = arena_printf(arena, "%s_%s", m->name, r->name);
        r->codec = arena_printf(arena, "$R_%s", r->name);
        r->wrap = arena_printf(arena, "$W_%s", r->name);
        r->cls = arena_printf(arena, "$C_%s", r->name);
        r->new_fn = arena_printf(arena, "$new_%s", r->name);
        r->drop_export = arena_printf(arena, "wg_r_%s_drop", r->name);
        r->drop_glue = arena_printf(arena, "wg__%s_drop", r->c_name);
    }

    /* Structs in dependency order (sema numbered them as it laid them out). */
    m->ordered_structs = arena_alloc(arena, (size_t)(m->nstructs ? m->nstructs : 1) * sizeof(Struct *));
    for (Struct *st = m->structs; st; st = st->next) {
        m->ordered_structs[st->order] = st;
        for (Field *f = st->fields; f; f = f->next) {
            f->js_codec = field_codec(&lw, &f->type);
            f->c_decl = field_decl(&lw, f);
            f->has_len = f->type.is_array || f->type.kind == TK_STRING;
            if (f->type.is_array && f->type.kind == TK_STRUCT)
                f->type.st->used_as_list = true;
        }
    }

    for (Func *f = m->funcs; f; f = f->next)
        lower_func(&lw, f, m->name);
    for (Resource *r = m->resources; r; r = r->next)
        lower_resource(&lw, r);
    for (Func *f = m->imports; f; f = f->next)
        lower_func(&lw, f, m->name);
}
