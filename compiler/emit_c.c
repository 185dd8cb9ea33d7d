/*
 * emit_c.c - NAME_glue.c: one exported wrapper per function. A wrapper
 * takes the flat wasm ABI (pointers, lengths, scalars), drains the
 * free-on-finalize queue, calls the user's function and stores results
 * beyond a single scalar in the return area the JS runtime passes first.
 */
#include "emit.h"

static const char *glue_c(const TypeRef *t) { return scalar_info(t->id)->glue_c; }

/* The wrapper's parameters: the flat ABI. */
static void wrapper_params(Buf *out, const Func *f) {
    int n = 0;
    if (f->nslots > 0) {
        buf_puts(out, "void *wg_ret");
        n++;
    }
    for (const Param *p = f->params; p; p = p->next) {
        if (p->abi == ABI_OUT_SCALAR)
            continue; /* a local in the wrapper */
        if (n++)
            buf_puts(out, ", ");
        switch (p->abi) {
        case ABI_SCALAR: buf_printf(out, "%s %s", c_scalar(&p->type), p->name); break;
        case ABI_STRING_IN: buf_printf(out, "const char *%s, size_t %s_len", p->name, p->name); break;
        case ABI_ARRAY_IN:
            buf_printf(out, "const %s *%s, size_t %s_len", c_scalar(&p->type), p->name, p->name);
            break;
        case ABI_ARRAY_INOUT:
            buf_printf(out, "%s *%s, size_t %s_len", c_scalar(&p->type), p->name, p->name);
            break;
        case ABI_OUT_ARRAY: buf_printf(out, "%s *%s", c_scalar(&p->type), p->name); break;
        default: break;
        }
    }
    if (n == 0)
        buf_puts(out, "void");
}

static void wrapper_return_type(Buf *out, const Func *f) {
    if (!f->direct)
        buf_puts(out, "void");
    else if (f->direct_out)
        buf_puts(out, glue_c(&f->direct_out->type));
    else
        buf_puts(out, glue_c(&f->ret));
}

static void call_args(Buf *out, const Func *f) {
    for (const Param *p = f->params; p; p = p->next) {
        if (p != f->params)
            buf_puts(out, ", ");
        switch (p->abi) {
        case ABI_STRING_IN:
        case ABI_ARRAY_IN:
        case ABI_ARRAY_INOUT: buf_printf(out, "%s, %s_len", p->name, p->name); break;
        case ABI_OUT_SCALAR: buf_printf(out, "&wg_o_%s", p->name); break;
        default: buf_puts(out, p->name); break;
        }
    }
}

static void wrapper(Buf *out, const Module *m, const Func *f) {
    Buf sig = {0};
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
            buf_printf(out, "    %s wg_o_%s = 0;\n", c_scalar(&p->type), p->name);

    buf_puts(out, "    ");
    if (f->direct && !f->direct_out) {
        buf_printf(out, "return (%s)%s(", glue_c(&f->ret), f->c_name);
        call_args(out, f);
        buf_puts(out, ");\n}\n");
        buf_free(&sig);
        return;
    }
    if (f->ret_abi != ABI_NONE) {
        emit_c_return(out, f);
        buf_puts(out, f->ret_abi == ABI_RET_STRING ? "wg_r = " : " wg_r = ");
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
    switch (f->ret_abi) {
    case ABI_SCALAR:
        buf_printf(out, "    WG_RET(wg_ret, %d, %s, wg_r);\n", f->ret_slot, glue_c(&f->ret));
        break;
    case ABI_RET_STRING:
        buf_printf(out, "    WG_RET_BUF(wg_ret, %d, wg_r, wg_strlen(wg_r));\n", f->ret_slot);
        break;
    case ABI_RET_ARRAY:
        buf_printf(out, "    WG_RET_BUF(wg_ret, %d, wg_r.ptr, wg_r.ptr ? wg_r.len : 0);\n",
                   f->ret_slot);
        break;
    default: break;
    }
    for (const Param *p = f->params; p; p = p->next)
        if (p->abi == ABI_OUT_SCALAR)
            buf_printf(out, "    WG_RET(wg_ret, %d, %s, wg_o_%s);\n", p->slot, glue_c(&p->type),
                       p->name);
    buf_puts(out, "}\n");
    buf_free(&sig);
}

void emit_c(const Module *m, const EmitOptions *o, Buf *out) {
    buf_puts(out, "/*\n");
    emit_banner(out, " *", m, o, "_glue.c");
    buf_puts(out, " *\n"
                  " * Compile this file into the same wasm module as the implementation and\n"
                  " * link libwasmgen.a. Each wrapper is the wasm export the JS module calls.\n"
                  " */\n");
    buf_printf(out, "#include \"%s.h\"\n", m->name);
    for (const Func *f = m->funcs; f; f = f->next)
        wrapper(out, m, f);
}
