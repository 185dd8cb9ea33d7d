/*
 * emit_c.c - NAME_glue.c: one exported wrapper per function and method. A
 * wrapper takes the flat wasm ABI (pointers, lengths, scalars), drains the
 * free-on-finalize queue, calls the user's function and stores results
 * beyond a single scalar in the return area the JS runtime passes first.
 * Struct layouts the JS relies on are pinned with _Static_assert.
 */
#include "emit.h"

/* What a scalar crosses wasm as (small integers widened); enums as int32_t. */
static const char *glue_c(const TypeRef *t) {
    return t->kind == TK_ENUM ? "int32_t" : scalar_info(t->id)->glue_c;
}

/* The wrapper's parameters: the flat ABI. */
static void wrapper_params(Buf *out, const Func *f) {
    int n = 0;
    if (f->nslots > 0) {
        buf_puts(out, "void *wg_ret");
        n++;
    }
    if (f->owner && !f->is_ctor)
        buf_printf(out, "%s%s *self", n++ ? ", " : "", f->owner->c_name);
    for (const Param *p = f->params; p; p = p->next) {
        if (p->abi == ABI_OUT_SCALAR)
            continue; /* a local in the wrapper */
        if (n++)
            buf_puts(out, ", ");
        const TypeRef *t = &p->type;
        if (p->abi == ABI_ENUM_IN)
            buf_printf(out, "int32_t %s", p->name);
        else if (p->abi == ABI_CODEC_IN && t->kind == TK_STRUCT && !t->is_array)
            buf_printf(out, "const %s *%s", t->st->c_name, p->name); /* by pointer */
        else
            emit_c_param(out, p);
    }
    if (n == 0)
        buf_puts(out, "void");
}

static void wrapper_return_type(Buf *out, const Func *f) {
    if (!f->direct)
        buf_puts(out, "void");
    else if (f->ret_abi == ABI_RET_RESOURCE)
        emit_c_return(out, f);
    else
        buf_puts(out, glue_c(f->direct_out ? &f->direct_out->type : &f->ret));
}

static void call_args(Buf *out, const Func *f) {
    int n = 0;
    if (f->owner && !f->is_ctor) {
        buf_puts(out, "self");
        n++;
    }
    for (const Param *p = f->params; p; p = p->next) {
        if (n++)
            buf_puts(out, ", ");
        const TypeRef *t = &p->type;
        switch (p->abi) {
        case ABI_STRING_IN:
        case ABI_ARRAY_IN:
        case ABI_ARRAY_INOUT: buf_printf(out, "%s, %s_len", p->name, p->name); break;
        case ABI_OUT_SCALAR: buf_printf(out, "&wg_o_%s", p->name); break;
        case ABI_ENUM_IN: buf_printf(out, "(%s)%s", t->en->c_name, p->name); break;
        case ABI_CODEC_IN:
            if (t->is_array)
                buf_printf(out, "%s, %s_len", p->name, p->name);
            else if (t->kind == TK_STRUCT && !t->optional)
                buf_printf(out, "*%s", p->name);
            else
                buf_puts(out, p->name);
            break;
        default: buf_puts(out, p->name); break;
        }
    }
    if (f->throws)
        buf_printf(out, "%s&wg_e", n ? ", " : "");
}

/* Store the function's own result in its return-area slot. */
static void store_result(Buf *out, const Func *f) {
    const TypeRef *t = &f->ret;
    int slot = f->ret_slot;
    switch (f->ret_abi) {
    case ABI_SCALAR: buf_printf(out, "    WG_RET(wg_ret, %d, %s, wg_r);\n", slot, glue_c(t)); break;
    case ABI_RET_RESOURCE:
        buf_printf(out, "    WG_RET(wg_ret, %d, uint32_t, (uint32_t)(uintptr_t)wg_r);\n", slot);
        break;
    case ABI_RET_STRING:
        buf_printf(out, "    WG_RET_BUF(wg_ret, %d, wg_r, wg_strlen(wg_r));\n", slot);
        break;
    case ABI_RET_ARRAY:
        buf_printf(out, "    WG_RET_BUF(wg_ret, %d, wg_r.ptr, wg_r.ptr ? wg_r.len : 0);\n", slot);
        break;
    case ABI_CODEC_RET:
        if (t->is_array)
            buf_printf(out, "    WG_RET_BUF(wg_ret, %d, wg_r.ptr, wg_r.ptr ? wg_r.len : 0);\n", slot);
        else if (t->kind == TK_STRUCT && t->optional)
            buf_printf(out, "    WG_RET(wg_ret, %d, uint32_t, (uint32_t)(uintptr_t)wg_r);\n", slot);
        else /* a struct or a wg_opt_T, whole */
            buf_printf(out, "    __builtin_memcpy(WG_RET_SLOT(wg_ret, %d), &wg_r, sizeof wg_r);\n", slot);
        break;
    default: break;
    }
}

static void wrapper(Buf *out, const Module *m, const Func *f) {
    Buf sig = {0};
    if (f->owner)
        buf_printf(&sig, "wg__%s_%s(", f->owner->c_name, f->name);
    else
        buf_printf(&sig, "wg__%s_%s(", m->name, f->name);
    wrapper_params(&sig, f);
    buf_puts(&sig, ")");

    buf_printf(out, "\nWG_EXPORT(\"%s\") ", f->export_name);
    wrapper_return_type(out, f);
    buf_printf(out, " %s;\n", sig.data);
    wrapper_return_type(out, f);
    buf_printf(out, " %s {\n    WG_ENTER();\n", sig.data);
    for (const Param *p = f->params; p; p = p->next)
        if (p->abi == ABI_OUT_SCALAR)
            buf_printf(out, "    %s wg_o_%s = (%s)0;\n", c_value(&p->type), p->name, c_value(&p->type));
    if (f->throws)
        buf_puts(out, "    wg_error wg_e = {0, 0, NULL};\n");

    buf_puts(out, "    ");
    if (f->direct && !f->direct_out) {
        if (f->ret_abi == ABI_RET_RESOURCE)
            buf_printf(out, "return %s(", f->c_name);
        else
            buf_printf(out, "return (%s)%s(", glue_c(&f->ret), f->c_name);
        call_args(out, f);
        buf_puts(out, ");\n}\n");
        buf_free(&sig);
        return;
    }
    if (f->ret_abi != ABI_NONE) {
        Buf ret = {0};
        emit_c_return(&ret, f);
        buf_printf(out, "%s%swg_r = ", ret.data, ret.data[ret.len - 1] == '*' ? "" : " ");
        buf_free(&ret);
    }
    buf_printf(out, "%s(", f->c_name);
    call_args(out, f);
    buf_puts(out, ");\n");

    if (f->direct_out) {
        buf_printf(out, "    return (%s)wg_o_%s;\n}\n", glue_c(&f->direct_out->type),
                   f->direct_out->name);
        buf_free(&sig);
        return;
    }
    store_result(out, f);
    for (const Param *p = f->params; p; p = p->next)
        if (p->abi == ABI_OUT_SCALAR)
            buf_printf(out, "    WG_RET(wg_ret, %d, %s, wg_o_%s);\n", p->slot, glue_c(&p->type),
                       p->name);
    if (f->throws)
        buf_printf(out, "    __builtin_memcpy(WG_RET_SLOT(wg_ret, %d), &wg_e, sizeof wg_e);\n",
                   f->err_slot);
    buf_puts(out, "}\n");
    buf_free(&sig);
}

/* The layout JS reads and writes, pinned: a different compiler or flags
 * that change it fail to compile instead of corrupting memory. */
static void layout_asserts(Buf *out, const Struct *st) {
    buf_printf(out, "_Static_assert(sizeof(%s) == %u && _Alignof(%s) == %u, \"layout of %s\");\n",
               st->c_name, st->size, st->c_name, st->align, st->name);
    for (const Field *f = st->fields; f; f = f->next) {
        buf_printf(out, "_Static_assert(offsetof(%s, %s) == %u, \"%s.%s\");\n", st->c_name, f->name,
                   f->offset, st->name, f->name);
        if (f->type.is_array || f->type.kind == TK_STRING)
            buf_printf(out, "_Static_assert(offsetof(%s, %s_len) == %u, \"%s.%s_len\");\n",
                       st->c_name, f->name, f->offset + 4, st->name, f->name);
    }
}

static void resource_glue(Buf *out, const Module *m, const Resource *r) {
    if (r->ctor)
        wrapper(out, m, r->ctor);
    for (const Func *f = r->methods; f; f = f->next)
        wrapper(out, m, f);
    buf_printf(out,
               "\nWG_EXPORT(\"wg_r_%s_drop\") void wg__%s_drop(%s *self);\n"
               "void wg__%s_drop(%s *self) {\n    WG_ENTER();\n    %s_drop(self);\n}\n",
               r->name, r->c_name, r->c_name, r->c_name, r->c_name, r->c_name);
}

void emit_c(const Module *m, const EmitOptions *o, Buf *out) {
    buf_puts(out, "/*\n");
    emit_banner(out, " *", m, o, "_glue.c");
    buf_puts(out, " *\n"
                  " * Compile this file into the same wasm module as the implementation and\n"
                  " * link libwasmgen.a. Each wrapper is the wasm export the JS module calls.\n"
                  " */\n");
    buf_printf(out, "#include \"%s.h\"\n", m->name);
    if (m->structs)
        buf_putc(out, '\n');
    for (const Struct *st = m->structs; st; st = st->next)
        layout_asserts(out, st);
    for (const Enum *en = m->enums; en; en = en->next)
        buf_printf(out, "_Static_assert(sizeof(%s) == 4, \"enum %s is 32-bit\");\n", en->c_name, en->name);
    for (const Func *f = m->funcs; f; f = f->next)
        wrapper(out, m, f);
    for (const Resource *r = m->resources; r; r = r->next)
        resource_glue(out, m, r);
    if (m->resources) {
        /* Finalized handles reach here through the free-on-finalize queue. */
        buf_puts(out, "\nvoid wg__drop_resource(uint32_t kind, void *ptr) {\n    switch (kind) {\n");
        for (const Resource *r = m->resources; r; r = r->next)
            buf_printf(out, "    case %d: %s_drop((%s *)ptr); break;\n", r->kind, r->c_name, r->c_name);
        buf_puts(out, "    default: break;\n    }\n}\n");
    }
}
