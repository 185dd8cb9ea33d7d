/*
 * emit_js.c - NAME.mjs: an ES module whose instantiate() resolves to an
 * object with one method per IDL function. Each method checks its
 * arguments, marshals them through the JS runtime, calls the glue's export
 * and unmarshals the results. Everything the method allocates is released
 * in a `finally`, so a throw at any point leaks nothing.
 *
 * Names the generated code introduces all contain '$', which IDL names
 * cannot, so they never collide with parameters.
 */
#include "emit.h"

#include <string.h>

static const ScalarInfo *si(const TypeRef *t) { return scalar_info(t->id); }

/* $T.f64 - the runtime's descriptor for an element type. */
static void type_desc(Buf *out, const TypeRef *t) { buf_printf(out, "$T.%s", t->name); }

static bool has_temps(const Func *f) {
    for (const Param *p = f->params; p; p = p->next)
        if (p->abi == ABI_STRING_IN || p->abi == ABI_ARRAY_IN || p->abi == ABI_ARRAY_INOUT ||
            p->abi == ABI_OUT_ARRAY)
            return true;
    return false;
}

static int out_arrays(const Func *f) {
    int n = 0;
    for (const Param *p = f->params; p; p = p->next)
        n += p->abi == ABI_OUT_ARRAY;
    return n;
}

static int nargs(const Func *f) {
    int n = 0;
    for (const Param *p = f->params; p; p = p->next)
        if (p->mode != MODE_OUT)
            n++;
    return n;
}

/* The address of return-area slot `slot`. */
static void slot_addr(Buf *out, int slot) {
    if (slot == 0)
        buf_puts(out, "$r");
    else
        buf_printf(out, "$r + %d", slot * 8);
}

/* A scalar read from return-area slot `slot`. */
static void slot_read(Buf *out, const TypeRef *t, int slot) {
    const ScalarInfo *s = si(t);
    const char *shift = (strcmp(s->wasm, "i64") == 0 || strcmp(s->wasm, "f64") == 0) ? "3" : "2";
    Buf e = {0};
    if (slot == 0)
        buf_printf(&e, "$rt.%s[$r >>> %s]", s->wasm, shift);
    else
        buf_printf(&e, "$rt.%s[($r + %d) >>> %s]", s->wasm, slot * 8, shift);
    emit_subst(out, s->js_from_wasm, e.data);
    buf_free(&e);
}

/* The JS value of the function's own result, after the call. */
static void ret_value(Buf *out, const Func *f) {
    switch (f->ret_abi) {
    case ABI_SCALAR: slot_read(out, &f->ret, f->ret_slot); break;
    case ABI_RET_STRING:
        buf_puts(out, "$rt.takeStr(");
        slot_addr(out, f->ret_slot);
        buf_puts(out, ")");
        break;
    case ABI_RET_ARRAY:
        buf_puts(out, "$rt.takeArr(");
        type_desc(out, &f->ret);
        buf_puts(out, ", ");
        slot_addr(out, f->ret_slot);
        buf_puts(out, ")");
        break;
    default: break;
    }
}

/* The JS value of an out parameter, after the call. */
static void out_value(Buf *out, const Param *p) {
    if (p->abi == ABI_OUT_SCALAR) {
        slot_read(out, &p->type, p->slot);
    } else {
        buf_puts(out, "$rt.own(");
        type_desc(out, &p->type);
        buf_printf(out, ", %s$p, %s$n, $o?.%s)", p->js_local, p->js_local, p->js_name);
    }
}

static void call_expr(Buf *out, const Func *f) {
    buf_printf(out, "$x.%s(", f->export_name);
    int n = 0;
    if (f->nslots > 0) {
        buf_puts(out, "$r");
        n++;
    }
    for (const Param *p = f->params; p; p = p->next) {
        if (p->abi == ABI_OUT_SCALAR)
            continue;
        if (n++)
            buf_puts(out, ", ");
        switch (p->abi) {
        case ABI_SCALAR: emit_subst(out, si(&p->type)->js_to_wasm, p->js_local); break;
        case ABI_STRING_IN:
        case ABI_ARRAY_IN:
        case ABI_ARRAY_INOUT: buf_printf(out, "%s$p, %s$n", p->js_local, p->js_local); break;
        case ABI_OUT_ARRAY: buf_printf(out, "%s$p", p->js_local); break;
        default: break;
        }
    }
    buf_puts(out, ")");
}

static void doc_lines(Buf *out, const Func *f) {
    if (!f->doc)
        return;
    emit_doc(out, 4, f->doc, NULL);
}

static void method(Buf *out, const Func *f) {
    const char *fn = f->js_name;
    int in = 6; /* statement indent inside the method */
    bool temps = has_temps(f), slots = f->nslots > 0, guarded = temps || slots;

    buf_putc(out, '\n');
    doc_lines(out, f);
    buf_printf(out, "    %s(", fn);
    int n = 0;
    for (const Param *p = f->params; p; p = p->next)
        if (p->mode != MODE_OUT)
            buf_printf(out, "%s%s", n++ ? ", " : "", p->js_local);
    buf_puts(out, ") {\n");
    if (out_arrays(f) == 0) {
        buf_printf(out, "      if (arguments.length !== %d) $rt.arity('%s', %d, arguments.length);\n",
                   nargs(f), fn, nargs(f));
    } else {
        /* Out arrays may be given destinations in a trailing options object. */
        buf_printf(out,
                   "      if (arguments.length !== %d && arguments.length !== %d) $rt.arityOpt('%s', %d, arguments.length);\n",
                   nargs(f), nargs(f) + 1, fn, nargs(f));
        buf_printf(out, "      const $o = $rt.opts(arguments[%d], '%s', [", nargs(f), fn);
        int k = 0;
        for (const Param *p = f->params; p; p = p->next)
            if (p->abi == ABI_OUT_ARRAY)
                buf_printf(out, "%s'%s'", k++ ? ", " : "", p->js_name);
        buf_puts(out, "]);\n");
    }

    /* Scalars are checked before anything is allocated. */
    for (const Param *p = f->params; p; p = p->next) {
        if (p->abi != ABI_SCALAR)
            continue;
        buf_puts(out, "      if (");
        emit_subst(out, si(&p->type)->js_invalid, p->js_local);
        buf_printf(out, ") $rt.bad('%s', %s, '%s', '%s');\n", p->type.name, p->js_local, fn,
                   p->js_name);
    }

    if (temps)
        buf_puts(out, "      const $m = $rt.mark();\n");
    if (slots)
        buf_printf(out, "      const $r = $rt.push(%d);\n", f->nslots);
    if (guarded) {
        buf_puts(out, "      try {\n");
        in = 8;
    }

    /* Strings and arrays in, then out arrays (whose lengths may use them). */
    for (const Param *p = f->params; p; p = p->next) {
        if (p->abi == ABI_STRING_IN) {
            buf_indent(out, in);
            buf_printf(out, "const %s$p = $rt.str(%s, '%s', '%s'), %s$n = $rt.n;\n", p->js_local,
                       p->js_local, fn, p->js_name, p->js_local);
        } else if (p->abi == ABI_ARRAY_IN || p->abi == ABI_ARRAY_INOUT) {
            buf_indent(out, in);
            buf_printf(out, "const %s$p = $rt.arr(", p->js_local);
            type_desc(out, &p->type);
            buf_printf(out, ", %s, '%s', '%s'), %s$n = $rt.n;\n", p->js_local, fn, p->js_name,
                       p->js_local);
        }
    }
    for (const Param *p = f->params; p; p = p->next) {
        if (p->abi != ABI_OUT_ARRAY)
            continue;
        buf_indent(out, in);
        buf_printf(out, "const %s$n = ", p->js_local);
        switch (p->type.len_kind) {
        case LEN_LITERAL: buf_printf(out, "%llu", (unsigned long long)p->type.len_value); break;
        case LEN_PARAM: buf_printf(out, "$rt.len(%s, '%s', '%s')", p->len_param->js_local, fn, p->js_name); break;
        case LEN_OF: buf_printf(out, "%s$n", p->len_param->js_local); break;
        default: break;
        }
        buf_printf(out, ", %s$p = $rt.out(", p->js_local);
        type_desc(out, &p->type);
        buf_printf(out, ", %s$n, '%s', '%s', $o?.%s);\n", p->js_local, fn, p->js_name, p->js_name);
    }

    /* The call, and the results. */
    buf_indent(out, in);
    if (f->direct) {
        const TypeRef *t = f->direct_out ? &f->direct_out->type : &f->ret;
        Buf call = {0};
        call_expr(&call, f);
        buf_puts(out, "return ");
        emit_subst(out, si(t)->js_from_wasm, call.data);
        buf_puts(out, ";\n");
        buf_free(&call);
    } else {
        call_expr(out, f);
        buf_puts(out, ";\n");
        for (const Param *p = f->params; p; p = p->next) {
            if (p->abi != ABI_ARRAY_INOUT)
                continue;
            buf_indent(out, in);
            buf_puts(out, "$rt.back(");
            type_desc(out, &p->type);
            buf_printf(out, ", %s, %s$p, %s$n);\n", p->js_local, p->js_local, p->js_local);
        }
        bool scalar_slots = f->ret_abi == ABI_SCALAR;
        for (const Param *p = f->params; p; p = p->next)
            scalar_slots |= p->abi == ABI_OUT_SCALAR;
        if (scalar_slots) {
            buf_indent(out, in);
            buf_puts(out, "$rt.sync();\n");
        }
        if (f->nresults == 1) {
            buf_indent(out, in);
            buf_puts(out, "return ");
            if (f->ret_abi != ABI_NONE)
                ret_value(out, f);
            else
                for (const Param *p = f->params; p; p = p->next)
                    if (p->mode == MODE_OUT)
                        out_value(out, p);
            buf_puts(out, ";\n");
        } else if (f->nresults > 1) {
            buf_indent(out, in);
            buf_puts(out, "return {\n");
            if (f->ret_abi != ABI_NONE) {
                buf_indent(out, in + 2);
                buf_puts(out, "return: ");
                ret_value(out, f);
                buf_puts(out, ",\n");
            }
            for (const Param *p = f->params; p; p = p->next) {
                if (p->mode != MODE_OUT)
                    continue;
                buf_indent(out, in + 2);
                buf_printf(out, "%s: ", p->js_name);
                out_value(out, p);
                buf_puts(out, ",\n");
            }
            buf_indent(out, in);
            buf_puts(out, "};\n");
        }
    }
    if (guarded) {
        buf_puts(out, "      } finally {\n");
        if (slots)
            buf_puts(out, "        $rt.pop($r);\n");
        if (temps)
            buf_puts(out, "        $rt.release($m);\n");
        buf_puts(out, "      }\n");
    }
    buf_puts(out, "    },\n");
}

void emit_js(const Module *m, const EmitOptions *o, Buf *out) {
    emit_banner(out, "//", m, o, ".mjs");
    if (o->inline_runtime) {
        buf_puts(out, "\n// ---- The wasmgen JS runtime, inlined (--js-runtime=inline).\n");
        buf_puts(out, o->runtime_js);
        buf_puts(out, "// ---- End of the wasmgen JS runtime.\n");
    } else {
        buf_puts(out, "import { Runtime, types } from './wasmgen-runtime.mjs';\n"
                      "export { WasmArray, WasmgenError } from './wasmgen-runtime.mjs';\n");
    }
    buf_putc(out, '\n');
    const char *lines[] = {
        "Compile and instantiate the module.",
        "@param {BufferSource | WebAssembly.Module | Response | PromiseLike<Response>} source",
        "@param {import('./wasmgen-runtime.mjs').InstantiateOptions} [options]", NULL};
    emit_doc(out, 0, m->doc, lines);
    buf_puts(out, "export async function instantiate(source, options = {}) {\n");
    buf_printf(out, "  const $rt = await Runtime.create(source, options, '%s', [", m->name);
    for (const Func *f = m->funcs; f; f = f->next)
        buf_printf(out, "%s'%s'", f == m->funcs ? "" : ", ", f->export_name);
    buf_puts(out, "]);\n");
    buf_puts(out, "  const $x = $rt.exports, $T = types;\n");
    buf_puts(out, "  return $rt.finish({");
    for (const Func *f = m->funcs; f; f = f->next)
        method(out, f);
    buf_puts(out, m->funcs ? "  });\n}\n" : "});\n}\n");
}
