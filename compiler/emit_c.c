/*
 * emit_c.c - NAME_glue.c: one exported wrapper per function and method. A
 * wrapper takes the flat wasm ABI (pointers, lengths, scalars), drains the
 * free-on-finalize queue, calls the C function and stores results beyond a
 * single scalar in the return area the JS runtime passes first. Every
 * piece of a wrapper is a template of its parameters' and result's rows in
 * abi.def. Struct layouts the JS relies on are pinned with _Static_assert.
 */
#include "emit.h"

#include <stddef.h>
#include <string.h>

/* Expand a row's template for a parameter or result, with `x` as %x. */
static void put(Buf *out, const char *tmpl, const Bind *b, const char *x) {
    abi_expand(out, tmpl, b, x, NULL, 4);
}

/* The wrapper's parameters: the flat ABI. */
static void wrapper_params(Buf *out, const Func *f) {
    int n = 0;
    if (f->nslots > 0) {
        buf_puts(out, "void *wg_ret");
        n++;
    }
    for (const Param *p = f->params; p; p = p->next) {
        const char *tmpl = abi_row(p->abi)->glue_param;
        if (!tmpl)
            continue; /* a local in the wrapper */
        if (n++)
            buf_puts(out, ", ");
        put(out, tmpl, &p->b, "");
    }
    if (n == 0)
        buf_puts(out, "void");
}

/* A direct out scalar (or enum) is returned as a scalar result would be
 * (a binding's: converted to the IDL's type as its results are). */
static const AbiRow *direct_row(const Func *f) {
    return abi_row(f->direct_out ? (f->bind ? ABI_B_RET_SCALAR : ABI_RET_SCALAR) : f->ret_abi);
}

static const Bind *direct_bind(const Func *f) { return f->direct_out ? &f->direct_out->b : &f->rb; }

static void wrapper_return_type(Buf *out, const Func *f) {
    if (f->direct)
        put(out, direct_row(f)->glue_type, direct_bind(f), "");
    else
        buf_puts(out, "void");
}

static void call(Buf *out, const Func *f) {
    buf_printf(out, "%s(", f->c_name);
    int n = 0;
    for (const Param *p = f->params; p; p = p->next) {
        const char *arg = abi_row(p->abi)->call_arg;
        if (!arg)
            continue; /* not a C parameter: bound to fields, or computed after the call */
        if (n++)
            buf_puts(out, ", ");
        put(out, arg, &p->b, "");
    }
    if (f->throws)
        buf_printf(out, "%s&wg_e", n ? ", " : "");
    buf_puts(out, ")");
}

/* One template column of every parameter, a line each; `outs_first`: out
 * parameters before the others (a binding allocates its out arrays before
 * computing what refers to their lengths). */
static void each_param(Buf *out, const Func *f, size_t column, bool outs_first) {
    for (int pass = outs_first ? 0 : 1; pass < 2; pass++) {
        for (const Param *p = f->params; p; p = p->next) {
            const AbiRow *row = abi_row(p->abi);
            const char *tmpl = *(const char *const *)((const char *)row + column);
            if (!tmpl || (outs_first && (pass == 0) != ((row->flags & A_OUT) != 0)))
                continue;
            buf_puts(out, "    ");
            put(out, tmpl, &p->b, "");
            buf_putc(out, '\n');
        }
    }
}

/* Text a wrapper builds before it prints it, in buffers reused from one
 * wrapper to the next rather than allocated for each. */
typedef struct Scratch {
    Buf sig, ret, value;
} Scratch;

static void wrapper(Buf *out, const Func *f, Scratch *s) {
    Buf *sig = &s->sig, *ret = &s->ret, *value = &s->value;
    buf_clear(sig);
    buf_clear(ret);
    buf_clear(value);
    buf_printf(sig, "%s(", f->glue_name);
    wrapper_params(sig, f);
    buf_puts(sig, ")");

    if (f->bind)
        buf_puts(out, "\nWG_BIND_BEGIN");
    buf_printf(out, "\nWG_EXPORT(\"%s\") ", f->export_name);
    wrapper_return_type(out, f);
    buf_printf(out, " %s;\n", sig->data);
    wrapper_return_type(out, f);
    buf_printf(out, " %s {\n    WG_ENTER();\n", sig->data);
    each_param(out, f, offsetof(AbiRow, glue_local), false);
    if (f->throws || f->checked)
        buf_puts(out, "    wg_error wg_e = {0, 0, NULL};\n");
    if (f->calls_back)
        buf_puts(out, "    WG_CB_CALL();\n");
    /* What the C function made is given back when a check after it fails
     * (a produced length over the capacity, an out value out of range): the
     * result and whether it was made are declared before anything can jump
     * to wg_failed. */
    const AbiRow *rrow = abi_row(f->ret_abi);
    emit_c_return(ret, f);
    bool keep = f->ret_abi != ABI_NONE && strcmp(ret->data, "void") != 0 &&
                (rrow->glue_store || rrow->glue_after || f->fail_test);
    bool post = rrow->glue_after != NULL;
    for (const Param *p = f->params; p && !post; p = p->next)
        post = abi_row(p->abi)->glue_after != NULL;
    bool release = !f->direct && f->checked && post && rrow->glue_cleanup && f->rb.E;
    const char *space = ret->len && ret->data[ret->len - 1] == '*' ? "" : " ";
    if (release && keep)
        buf_printf(out, "    %s%swg_r = 0;\n", ret->data, space);
    if (release)
        buf_puts(out, "    int wg_made = 0;\n");
    each_param(out, f, offsetof(AbiRow, glue_before), true);
    /* What the glue allocated is held while callbacks may throw across it. */
    for (const Param *p = f->params; f->calls_back && p; p = p->next)
        if (abi_has(p->abi, A_ALLOC))
            buf_printf(out, "    WG_CB_HOLD(%s);\n", p->b.n);

    call(value, f);
    if (f->direct && !f->direct_out && f->calls_back) {
        buf_printf(out, "    %s%swg_r = %s;\n    WG_CB_DONE();\n    ", ret->data, space, value->data);
        put(out, direct_row(f)->glue_direct, &f->rb, "wg_r");
        buf_puts(out, "\n}\n");
        if (f->bind)
            buf_puts(out, "WG_BIND_END\n");
        return;
    }
    if (f->direct && !f->direct_out) {
        buf_puts(out, "    ");
        put(out, direct_row(f)->glue_direct, &f->rb, value->data);
        buf_puts(out, "\n}\n");
        if (f->bind)
            buf_puts(out, "WG_BIND_END\n");
        return;
    }
    if (release && keep)
        buf_puts(out, "    wg_r = ");
    else if (keep)
        buf_printf(out, "    %s%swg_r = ", ret->data, space);
    else
        buf_puts(out, "    ");
    buf_printf(out, "%s;\n", value->data);
    if (f->calls_back)
        buf_puts(out, "    WG_CB_DONE();\n");
    if (f->fail_test)
        buf_printf(out, "    if (%s)\n        WG_BIND_FAILED(%s, %s, \"%s\");\n", f->fail_test, f->fail_code,
                   f->fail_msg, f->c_name);
    if (release)
        buf_puts(out, "    wg_made = 1;\n");
    if (rrow->glue_after) {
        buf_puts(out, "    ");
        put(out, rrow->glue_after, &f->rb, "");
        buf_putc(out, '\n');
    }
    each_param(out, f, offsetof(AbiRow, glue_after), false);
    if (f->direct_out) {
        Buf local = {0};
        buf_printf(&local, "wg_o_%s", f->direct_out->name);
        buf_puts(out, "    ");
        put(out, direct_row(f)->glue_direct, direct_bind(f), local.data);
        buf_puts(out, "\n}\n");
        buf_free(&local);
        if (f->bind)
            buf_puts(out, "WG_BIND_END\n");
        return;
    }
    if (keep && rrow->glue_store) {
        buf_puts(out, "    ");
        put(out, rrow->glue_store, &f->rb, "");
        buf_putc(out, '\n');
    }
    each_param(out, f, offsetof(AbiRow, glue_store), false);
    if (f->throws || f->checked)
        buf_printf(out, "    __builtin_memcpy(WG_RET_SLOT(wg_ret, %d), &wg_e, sizeof wg_e);\n",
                   f->err_slot);
    if (f->checked) {
        buf_puts(out, "    return;\nwg_failed:\n");
        if (f->calls_back) /* the cleanup frees what the glue held */
            buf_puts(out, "    wg_cb_release(wg_cb_l0, wg__cb_held.n);\n");
        if (release) {
            buf_puts(out, "    if (wg_made) {\n        ");
            put(out, rrow->glue_cleanup, &f->rb, "");
            buf_puts(out, "\n    }\n");
        }
        each_param(out, f, offsetof(AbiRow, glue_cleanup), false);
        buf_printf(out, "    __builtin_memcpy(WG_RET_SLOT(wg_ret, %d), &wg_e, sizeof wg_e);\n",
                   f->err_slot);
    }
    buf_puts(out, "}\n");
    if (f->bind)
        buf_puts(out, "WG_BIND_END\n");
}

/* The layout JS reads and writes, pinned: a different compiler or flags
 * that change it fail to compile instead of corrupting memory. */
static void layout_asserts(Buf *out, const Struct *st) {
    buf_printf(out, "_Static_assert(sizeof(%s) == %llu && _Alignof(%s) == %u, \"layout of %s\");\n",
               st->c_name, (unsigned long long)st->size, st->c_name, st->align, st->name);
    for (const Field *f = st->fields; f; f = f->next) {
        buf_printf(out, "_Static_assert(offsetof(%s, %s) == %u, \"%s.%s\");\n", st->c_name, f->name,
                   (unsigned)f->offset, st->name, f->name);
        if (f->has_len)
            buf_printf(out, "_Static_assert(offsetof(%s, %s_len) == %u, \"%s.%s_len\");\n",
                       st->c_name, f->name, (unsigned)f->offset + 4, st->name, f->name);
    }
}

/* ---- C calling JavaScript through the glue: a callback's trampoline (a C
 * function of the library's function-pointer type), or an import whose
 * values need more than wasm arguments. Either calls the raw wasm import
 * JS provides: the user data first for a callback, and first of all, for a
 * struct or array result, where JS writes it. */
static void raw_params(Buf *out, const Func *f) {
    int n = 0;
    if (f->raw_ret)
        buf_puts(out, n++ ? ", void *wg_ret" : "void *wg_ret");
    if (f->is_callback)
        buf_puts(out, n++ ? ", uint32_t wg_ud" : "uint32_t wg_ud");
    for (const Param *p = f->params; p; p = p->next) {
        const char *tmpl = abi_row(p->abi)->raw_param;
        if (!tmpl)
            continue;
        if (n++)
            buf_puts(out, ", ");
        put(out, tmpl, &p->b, "");
    }
    if (n == 0)
        buf_puts(out, "void");
}

static void raw_call(Buf *out, const Func *f) {
    buf_printf(out, "%s(", f->raw_name);
    int n = 0;
    if (f->raw_ret)
        buf_puts(out, n++ ? ", &wg_rv" : "&wg_rv");
    if (f->is_callback) {
        buf_puts(out, n++ ? ", " : "");
        if (f->ud)
            buf_printf(out, "(uint32_t)(uintptr_t)%s", f->ud->name);
        else
            buf_puts(out, "0u");
    }
    for (const Param *p = f->params; p; p = p->next) {
        const char *tmpl = abi_row(p->abi)->raw_arg;
        if (!tmpl)
            continue;
        if (n++)
            buf_puts(out, ", ");
        put(out, tmpl, &p->b, "");
    }
    buf_puts(out, ")");
}

static void trampoline(Buf *out, const Module *m, const Func *f) {
    const AbiRow *rrow = abi_row(f->ret_abi);
    Buf ret = {0};
    emit_c_return(&ret, f);
    const char *sp = ret.data[ret.len - 1] == '*' ? "" : " ";
    buf_printf(out, "\n__attribute__((import_module(\"wasmgen:%s\"), import_name(\"%s\")))\n", m->name,
               f->is_callback ? f->export_name : f->name);
    if (f->raw_ret) {
        buf_printf(out, "void %s(", f->raw_name);
    } else {
        Buf rt = {0};
        abi_expand(&rt, rrow->raw_type, &f->rb, "", NULL, 0);
        buf_printf(out, "%s%s%s(", rt.data, rt.data[rt.len - 1] == '*' ? "" : " ", f->raw_name);
        buf_free(&rt);
    }
    raw_params(out, f);
    buf_puts(out, ");\n");
    if (f->is_callback)
        buf_printf(out, "WG_BIND_BEGIN\nstatic WG_UNUSED %s%s%s(", ret.data, sp, f->tramp);
    else
        buf_printf(out, "WG_BIND_BEGIN\n%s%s%s(", ret.data, sp, f->c_name);
    emit_c_params(out, f);
    buf_puts(out, ") {\n    WG_CB_ENTER();\n");
    each_param(out, f, offsetof(AbiRow, glue_local), false);
    Buf call = {0};
    raw_call(&call, f);
    if (f->raw_ret) {
        buf_printf(out, "    %s%swg_rv;\n    __builtin_memset(&wg_rv, 0, sizeof wg_rv);\n    %s;\n", ret.data, sp,
                   call.data);
        buf_puts(out, "    WG_CB_LEAVE();\n    return wg_rv;\n");
    } else if (f->ret_abi == ABI_CB_RET_NONE) {
        buf_printf(out, "    %s;\n    WG_CB_LEAVE();\n", call.data);
    } else {
        Buf rt = {0};
        abi_expand(&rt, rrow->raw_type, &f->rb, "", NULL, 0);
        buf_printf(out, "    %s%swg_v = %s;\n    WG_CB_LEAVE();\n    return ", rt.data,
                   rt.data[rt.len - 1] == '*' ? "" : " ", call.data);
        buf_free(&rt);
        put(out, rrow->raw_value, &f->rb, "wg_v");
        buf_puts(out, ";\n");
    }
    buf_puts(out, "}\nWG_BIND_END\n");
    buf_free(&call);
    buf_free(&ret);
}

static void resource_glue(Buf *out, const Resource *r, Scratch *s) {
    if (r->ctor)
        wrapper(out, r->ctor, s);
    for (const Func *f = r->ctors; f; f = f->next)
        wrapper(out, f, s);
    for (const Func *f = r->methods; f; f = f->next)
        wrapper(out, f, s);
    buf_printf(out,
               "\nWG_EXPORT(\"%s\") void %s(%s *self);\n"
               "void %s(%s *self) {\n    WG_ENTER();\n    %s\n}\n",
               r->drop_export, r->drop_glue, r->c_name, r->drop_glue, r->c_name, r->drop_stmt);
}

void emit_c(const Module *m, const EmitOptions *o, Buf *out) {
    buf_puts(out, "/*\n");
    emit_banner(out, " *", m, o, "_glue.c");
    buf_puts(out, " *\n"
                  " * Compile this file into the same wasm module as the implementation and\n"
                  " * link libwasmgen.a. Each wrapper is the wasm export the JS module calls.\n"
                  " */\n");
    buf_printf(out, "#include \"%s.h\"\n", m->c_prefix);
    if (m->structs)
        buf_putc(out, '\n');
    for (const Struct *st = m->structs; st; st = st->next)
        layout_asserts(out, st);
    for (const Enum *en = m->enums; en; en = en->next) {
        const char *kind = en->is_flags ? "flags" : "enum";
        buf_printf(out, "_Static_assert(sizeof(%s) == 4, \"%s %s is 32-bit\");\n", en->c_name, kind, en->name);
        /* The library's constants have the values the IDL gives JS (a flag's
         * bits: compared as 32 unsigned bits, whatever the library's type). */
        for (const EnumValue *v = en->values; en->c_type && v; v = v->next)
            if (en->is_flags)
                buf_printf(out, "_Static_assert((uint32_t)(%s) == 0x%llxu, \"%s.%s: %s is not 0x%llx in the library's header\");\n",
                           v->c_name, (unsigned long long)v->value, en->name, v->name, v->c_name,
                           (unsigned long long)v->value);
            else
                buf_printf(out, "_Static_assert((%s) == %lld, \"%s.%s: %s is not %lld in the library's header\");\n",
                           v->c_name, (long long)v->value, en->name, v->name, v->c_name, (long long)v->value);
    }
    if (m->consts)
        buf_putc(out, '\n');
    for (const Const *c = m->consts; c; c = c->next)
        buf_printf(out, "_Static_assert((%s) == %lld, \"const %s: the library's header does not say %lld\");\n",
                   c->name, (long long)c->value, c->name, (long long)c->value);
    for (const Func *f = m->callbacks; f; f = f->next)
        trampoline(out, m, f);
    for (const Func *f = m->imports; f; f = f->next)
        if (f->wrapped)
            trampoline(out, m, f);
    /* Functions that free results (owned(FN)), for JS to call. */
    for (int i = 0; i < m->nfree_fns; i++)
        buf_printf(out, "\nWG_EXPORT(\"" FREE_FN_EXPORT "%s\") void wg__x_free_%s(void *p);\n"
                        "void wg__x_free_%s(void *p) {\n    WG_ENTER();\n    %s(p);\n}\n",
                   m->free_fns[i], m->free_fns[i], m->free_fns[i], m->free_fns[i]);
    Scratch s = {{0}, {0}, {0}};
    for (const Func *f = m->funcs; f; f = f->next)
        wrapper(out, f, &s);
    for (const Resource *r = m->resources; r; r = r->next)
        resource_glue(out, r, &s);
    buf_free(&s.sig);
    buf_free(&s.ret);
    buf_free(&s.value);
    if (m->resources) {
        /* Finalized handles reach here through the free-on-finalize queue. */
        buf_puts(out, "\nvoid wg__drop_resource(uint32_t kind, void *ptr) {\n    switch (kind) {\n");
        for (const Resource *r = m->resources; r; r = r->next)
            buf_printf(out, "    case %d: %s break;\n", r->kind, r->drop_queued);
        buf_puts(out, "    default: break;\n    }\n}\n");
    }
}
