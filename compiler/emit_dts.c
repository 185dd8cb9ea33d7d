/* emit_dts.c - NAME.d.ts: TypeScript declarations for NAME.mjs. The
 * runtime's own declarations are included, so the file stands alone.
 * TypeScript looks for the declarations of `import './NAME.mjs'` in
 * NAME.d.mts, so that file re-exports NAME.d.ts. */
#include "emit.h"
#include "sema.h"

static const ScalarInfo *si(const TypeRef *t) { return scalar_info(t->id); }

static void ts_handle(Buf *out, const TypeRef *t) {
    buf_printf(out, "WasmArray<%s>", si(t)->typed_array);
}

static void ts_param(Buf *out, const Param *p) {
    const TypeRef *t = &p->type;
    switch (p->abi) {
    case ABI_SCALAR: buf_puts(out, si(t)->ts); break;
    case ABI_STRING_IN: buf_puts(out, "string"); break;
    case ABI_ARRAY_IN:
    case ABI_ARRAY_INOUT:
        buf_printf(out, "%s | ArrayLike<%s> | ", si(t)->typed_array, si(t)->ts);
        ts_handle(out, t);
        break;
    default: break;
    }
}

static void ts_value(Buf *out, AbiClass abi, const TypeRef *t, bool into) {
    if (abi == ABI_OUT_ARRAY && into) {
        ts_handle(out, t);
        buf_printf(out, " | %s", si(t)->typed_array);
        return;
    }
    switch (abi) {
    case ABI_SCALAR:
    case ABI_OUT_SCALAR: buf_puts(out, si(t)->ts); break;
    case ABI_RET_STRING: buf_puts(out, "string | null"); break;
    case ABI_RET_ARRAY:
    case ABI_OUT_ARRAY: ts_handle(out, t); break;
    default: buf_puts(out, "void"); break;
    }
}

/* `into`: the call was given destinations, so out arrays may come back as
 * the typed arrays given. */
static void ts_result(Buf *out, const Func *f, bool into) {
    if (f->nresults == 0) {
        buf_puts(out, "void");
    } else if (f->nresults == 1) {
        if (f->ret_abi != ABI_NONE)
            ts_value(out, f->ret_abi, &f->ret, into);
        else
            for (const Param *p = f->params; p; p = p->next)
                if (p->mode == MODE_OUT)
                    ts_value(out, p->abi, &p->type, into);
    } else {
        buf_puts(out, "{ ");
        if (f->ret_abi != ABI_NONE) {
            buf_puts(out, "return: ");
            ts_value(out, f->ret_abi, &f->ret, into);
            buf_puts(out, "; ");
        }
        for (const Param *p = f->params; p; p = p->next) {
            if (p->mode != MODE_OUT)
                continue;
            buf_printf(out, "%s: ", p->js_name);
            ts_value(out, p->abi, &p->type, into);
            buf_puts(out, "; ");
        }
        buf_puts(out, "}");
    }
}

static bool has_out_arrays(const Func *f) {
    for (const Param *p = f->params; p; p = p->next)
        if (p->abi == ABI_OUT_ARRAY)
            return true;
    return false;
}

/* One method signature; `into` adds the trailing object of destinations. */
static void signature(Buf *out, const Func *f, bool into) {
    buf_printf(out, "  %s(", f->js_name);
    int n = 0;
    for (const Param *p = f->params; p; p = p->next) {
        if (p->mode == MODE_OUT)
            continue;
        buf_printf(out, "%s%s: ", n++ ? ", " : "", p->js_local);
        ts_param(out, p);
    }
    if (into) {
        buf_printf(out, "%sinto: { ", n ? ", " : "");
        for (const Param *p = f->params; p; p = p->next) {
            if (p->abi != ABI_OUT_ARRAY)
                continue;
            buf_printf(out, "%s?: %s | ", p->js_name, si(&p->type)->typed_array);
            ts_handle(out, &p->type);
            buf_puts(out, "; ");
        }
        buf_puts(out, "}");
    }
    buf_puts(out, "): ");
    ts_result(out, f, into);
    buf_puts(out, ";\n");
}

void emit_dts(const Module *m, const EmitOptions *o, Buf *out) {
    emit_banner(out, "//", m, o, ".d.ts");
    buf_puts(out, "\n// ---- The wasmgen runtime's declarations.\n");
    buf_puts(out, o->runtime_dts);
    buf_puts(out, "// ---- End of the runtime's declarations.\n\n");


    emit_doc(out, 0, m->doc, NULL);
    /* A function named like a runtime member replaces it (see sema.c). */
    Buf base = {0};
    for (const Func *f = m->funcs; f; f = f->next)
        if (wg_is_runtime_member(f->js_name))
            buf_printf(&base, "%s'%s'", base.len ? " | " : "", f->js_name);
    if (base.len)
        buf_printf(out, "export interface %s extends Omit<WasmgenModule, %s> {\n", m->ts_name, base.data);
    else
        buf_printf(out, "export interface %s extends WasmgenModule {\n", m->ts_name);
    buf_free(&base);
    for (const Func *f = m->funcs; f; f = f->next) {
        if (f != m->funcs)
            buf_putc(out, '\n');
        emit_doc(out, 2, f->doc, NULL);
        signature(out, f, false);
        if (has_out_arrays(f))
            signature(out, f, true);
    }
    buf_puts(out, "}\n\n");
    const char *lines[] = {"Compile and instantiate the module.", NULL};
    emit_doc(out, 0, NULL, lines);
    buf_printf(out,
               "export declare function instantiate(source: WasmSource, options?: InstantiateOptions): Promise<%s>;\n",
               m->ts_name);
}

void emit_dmts(const Module *m, const EmitOptions *o, Buf *out) {
    emit_banner(out, "//", m, o, ".d.mts");
    buf_printf(out, "export * from './%s.js';\n", m->name);
}
