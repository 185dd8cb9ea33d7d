/* emit_dts.c - NAME.d.ts: TypeScript declarations for NAME.mjs. The
 * runtime's own declarations are included, so the file stands alone.
 * TypeScript looks for the declarations of `import './NAME.mjs'` in
 * NAME.d.mts, so that file re-exports NAME.d.ts. */
#include <string.h>

#include "emit.h"
#include "sema.h"

static const ScalarInfo *si(const TypeRef *t) { return scalar_info(t->id); }

static void ts_handle(Buf *out, const TypeRef *t) {
    buf_printf(out, "WasmArray<%s>", si(t)->typed_array);
}

/* The TS name of a declared type: Point, Color, Canvas. */
static const char *ts_named(const TypeRef *t) {
    switch (t->kind) {
    case TK_STRUCT: return t->st->ts_name;
    case TK_ENUM: return t->en->ts_name;
    case TK_RESOURCE: return t->res->js_name;
    default: return si(t)->ts;
    }
}

/* What JS may pass for a value of type t (`in`), or gets back (!in). A
 * struct has two interfaces: S, as JS gets it back (numeric arrays are
 * WasmArray handles), and SInput, what JS may pass. */
static void ts_type(Buf *out, const TypeRef *t, bool in) {
    if (t->is_array && t->kind == TK_STRING) {
        buf_puts(out, in ? "readonly string[]" : "string[]");
    } else if (t->is_array && t->kind == TK_STRUCT) {
        buf_printf(out, in ? "readonly %sInput[]" : "%s[]", t->st->ts_name);
    } else if (t->kind == TK_STRUCT) {
        buf_printf(out, "%s%s", t->st->ts_name, in ? "Input" : "");
    } else if (t->is_array) {
        if (in)
            buf_printf(out, "%s | ArrayLike<%s> | ", si(t)->typed_array, si(t)->ts);
        ts_handle(out, t);
    } else if (t->kind == TK_ENUM && t->en->is_flags) {
        buf_printf(out, in ? "readonly %s[] | number" : "%s[]", t->en->ts_name);
    } else if (t->kind == TK_STRING) {
        buf_puts(out, "string");
    } else if (t->kind == TK_VOID) {
        buf_puts(out, "void");
    } else {
        buf_puts(out, ts_named(t));
    }
    if (t->optional)
        buf_puts(out, in ? " | null | undefined" : " | null");
}

static void ts_value(Buf *out, const Param *p, const Func *f, bool into) {
    if (p) {
        if (abi_has(p->abi, A_DEST) && into) {
            buf_printf(out, "$%s", p->js_name); /* the destination given, or a new handle */
        } else if (abi_has(p->abi, A_HANDLE)) {
            ts_handle(out, &p->type);
        } else {
            ts_type(out, &p->type, false);
        }
        return;
    }
    ts_type(out, &f->ret, false);
    /* A bound library's string may be NULL where the IDL does not say `?`
     * (A_NULL); a string from the IDL's own C may not (a NULL throws). */
    if (abi_has(f->ret_abi, A_NULL) && !f->ret.optional)
        buf_puts(out, " | null");
}

/* `into`: the call was given destinations, so each out array comes back as
 * the destination given for it (type parameter $NAME), or a new handle. */
static void ts_result(Buf *out, const Func *f, bool into) {
    if (f->nresults == 0) {
        buf_puts(out, "void");
    } else if (f->nresults == 1) {
        if (abi_returns(f))
            ts_value(out, NULL, f, into);
        else
            for (const Param *p = f->params; p; p = p->next)
                if (abi_has(p->abi, A_OUT))
                    ts_value(out, p, f, into);
    } else {
        buf_puts(out, "{ ");
        if (abi_returns(f)) {
            buf_puts(out, "return: ");
            ts_value(out, NULL, f, into);
            buf_puts(out, "; ");
        }
        for (const Param *p = f->params; p; p = p->next) {
            if (!abi_has(p->abi, A_OUT))
                continue;
            buf_printf(out, "%s: ", p->js_name);
            ts_value(out, p, f, into);
            buf_puts(out, "; ");
        }
        buf_puts(out, "}");
    }
}

/* A callback argument: a function (or, registered for longer, a handle
 * from m.callback()). */
static void ts_callback_arg(Buf *out, const Param *p) {
    const char *fn = p->type.cb->ts_name;
    if (p->life == LIFE_CALL)
        buf_printf(out, "%s | WasmgenCallback<%s>", fn, fn);
    else if (p->life == LIFE_STORED)
        buf_printf(out, "WasmgenCallback<%s>", fn);
    else
        buf_puts(out, fn);
    if (p->type.optional)
        buf_puts(out, " | null | undefined");
}

static void params(Buf *out, const Func *f) {
    int n = 0;
    for (const Param *p = f->params; p; p = p->next) {
        if (!abi_has(p->abi, A_IN))
            continue;
        buf_printf(out, "%s%s%s: ", n++ ? ", " : "", p->js_local, p->type.optional ? "?" : "");
        if (p->type.kind == TK_CALLBACK)
            ts_callback_arg(out, p);
        else
            ts_type(out, &p->type, true);
    }
}

/* What a JS function C calls (an import, a callback) gets, and returns. */
static void ts_js_params(Buf *out, const Func *f) {
    int n = 0;
    for (const Param *p = f->params; p; p = p->next) {
        if (!abi_row(p->abi)->import_decode)
            continue; /* user data, a length */
        buf_printf(out, "%s%s: ", n++ ? ", " : "", p->js_local);
        if (p->type.is_array && p->type.kind == TK_SCALAR) { /* a view of wasm memory, valid during the call */
            buf_puts(out, si(&p->type)->typed_array);
            if (p->type.optional)
                buf_puts(out, " | null");
        } else {
            ts_type(out, &p->type, false);
        }
    }
}

static void ts_js_result(Buf *out, const Func *f) {
    const TypeRef *t = &f->ret;
    if (t->is_array && t->kind == TK_SCALAR)
        buf_printf(out, "%s | ArrayLike<%s>", si(t)->typed_array, si(t)->ts);
    else
        ts_type(out, t, t->kind == TK_STRUCT || (t->kind == TK_ENUM && t->en->is_flags)); /* what JS may return */
}

/* One method signature; `into` adds the trailing object of destinations,
 * each typed by a type parameter $NAME so that the call returns what it was
 * given: m.addInto(a, b, { result: f64 }) is a Float64Array. */
static void signature(Buf *out, const Func *f, bool into, int indent) {
    buf_indent(out, indent);
    buf_printf(out, "%s", f->js_name);
    if (into) {
        int n = 0;
        for (const Param *p = f->params; p; p = p->next) {
            if (!abi_has(p->abi, A_DEST))
                continue;
            buf_printf(out, "%s$%s extends %s | ", n++ ? ", " : "<", p->js_name, si(&p->type)->typed_array);
            ts_handle(out, &p->type);
            buf_puts(out, " = ");
            ts_handle(out, &p->type);
        }
        buf_puts(out, ">");
    }
    buf_puts(out, "(");
    params(out, f);
    if (into) {
        buf_printf(out, "%sinto: { ", f->nargs ? ", " : "");
        for (const Param *p = f->params; p; p = p->next)
            if (abi_has(p->abi, A_DEST))
                buf_printf(out, "%s?: $%s; ", p->js_name, p->js_name);
        buf_puts(out, "}");
    }
    buf_puts(out, "): ");
    ts_result(out, f, into);
    buf_puts(out, ";\n");
}

static void declarations(Buf *out, const Module *m) {
    for (const Func *f = m->callbacks; f; f = f->next) {
        Buf note = {0};
        if (f->deferred) {
            const Expr *v = f->deferred_value;
            buf_puts(&note, "Deferred: when it throws, the library is not unwound: ");
            if (v && v->kind == E_NAME)
                buf_printf(&note, "it gets `%s` from this call and from ", v->name);
            else if (v) /* (the literal as written: v->value saturates at INT64_MAX) */
                buf_printf(&note, "it gets %s%llu from this call and from ", v->neg ? "-" : "",
                           (unsigned long long)v->lit);
            buf_puts(&note, v ? "the call's later calls of it, which skip JS, " : "the call's later calls of it skip JS, ");
            buf_puts(&note, "and the call throws the exception once the library returns.");
        }
        const char *extra[] = {note.data, NULL};
        emit_doc(out, 0, f->doc, f->deferred ? extra : NULL);
        buf_free(&note);
        buf_printf(out, "export type %s = (", f->ts_name);
        ts_js_params(out, f);
        buf_puts(out, ") => ");
        ts_js_result(out, f);
        buf_puts(out, ";\n\n");
    }
    for (const Const *c = m->consts; c; c = c->next) {
        emit_doc(out, 0, c->doc, NULL);
        buf_printf(out, "export declare const %s: %lld;\n", c->name, (long long)c->value);
    }
    if (m->consts)
        buf_putc(out, '\n');
    for (const Enum *en = m->enums; en; en = en->next) {
        emit_doc(out, 0, en->doc, NULL);
        buf_printf(out, "export type %s =", en->ts_name);
        for (const EnumValue *v = en->values; v; v = v->next)
            buf_printf(out, "%s'%s'", v == en->values ? " " : " | ", v->name);
        buf_puts(out, ";\n");
        if (en->is_flags) { /* the flags' bits, by name: a parameter takes a list of names, or a number */
            buf_printf(out, "export declare const %s: {", en->ts_name);
            for (const EnumValue *v = en->values; v; v = v->next)
                buf_printf(out, "%s readonly %s: %lld", v == en->values ? "" : ";", v->name, (long long)v->value);
            buf_puts(out, " };\n");
        }
        buf_putc(out, '\n');
    }
    for (const Struct *st = m->structs; st; st = st->next) {
        for (int in = 0; in < 2; in++) {
            if (in) {
                buf_printf(out, "/** What JS may pass for a %s (typed arrays or WasmArrays for its arrays). */\n",
                           st->name);
            } else {
                emit_doc(out, 0, st->doc, NULL);
            }
            buf_printf(out, "export interface %s%s {\n", st->ts_name, in ? "Input" : "");
            for (const Field *f = st->fields; f; f = f->next) {
                emit_doc(out, 2, f->doc, NULL);
                buf_printf(out, "  %s%s: ", f->js_name, in && f->type.optional ? "?" : "");
                ts_type(out, &f->type, in);
                buf_puts(out, ";\n");
            }
            buf_puts(out, "}\n\n");
        }
    }
    for (const Resource *r = m->resources; r; r = r->next) {
        emit_doc(out, 0, r->doc, NULL);
        buf_printf(out, "export declare class %s extends Resource {\n", r->js_name);
        if (r->ctor) {
            buf_puts(out, "  constructor(");
            params(out, r->ctor);
            buf_puts(out, ");\n");
        } else {
            buf_puts(out, "  private constructor();\n");
        }
        for (const Func *f = r->ctors; f; f = f->next) {
            emit_func_doc(out, 2, f);
            buf_printf(out, "  static %s(", f->js_name);
            params(out, f);
            buf_printf(out, "): %s;\n", r->js_name);
        }
        for (const Func *f = r->methods; f; f = f->next) {
            emit_func_doc(out, 2, f);
            signature(out, f, false, 2);
            if (f->nout_arrays)
                signature(out, f, true, 2);
        }
        buf_puts(out, "}\n\n");
    }
    if (m->imports) {
        buf_printf(out, "/** What options.imports must provide. */\nexport interface %sImports {\n",
                   m->ts_name);
        for (const Func *f = m->imports; f; f = f->next) {
            emit_doc(out, 2, f->doc, NULL);
            buf_printf(out, "  %s(", f->js_name);
            ts_js_params(out, f);
            buf_puts(out, "): ");
            ts_js_result(out, f);
            buf_puts(out, ";\n");
        }
        buf_puts(out, "}\n\n");
    }
}

/* The runtime's declarations. A module whose JS meets no handle does not
 * export WasmArray (see module_has_handles), nor one without resources
 * Resource (as the .mjs): their classes are declared, for the types that
 * name them, but not exported. */
static void runtime_decls(Buf *out, const char *dts, const Module *m) {
    static const char *const classes[] = {"\nexport declare class WasmArray<", "\nexport declare class Resource {"};
    const bool exported[] = {m->handles, m->resources != NULL};
    for (const char *s = dts; *s;) {
        const char *next = NULL;
        for (size_t i = 0; i < sizeof classes / sizeof *classes; i++) {
            const char *c = exported[i] ? NULL : strstr(s, classes[i]);
            if (c && (!next || c < next))
                next = c;
        }
        if (!next) {
            buf_puts(out, s);
            break;
        }
        buf_putn(out, s, (size_t)(next - s) + 1); /* through the newline */
        s = next + 1 + strlen("export "); /* from `declare class` */
    }
}

void emit_dts(const Module *m, const EmitOptions *o, Buf *out) {
    emit_banner(out, "//", m, o, ".d.ts");
    buf_puts(out, "\n// ---- The wasmgen runtime's declarations.\n");
    runtime_decls(out, o->runtime_dts, m);
    buf_puts(out, "// ---- End of the runtime's declarations.\n\n");
    declarations(out, m);

    /* A function named like a runtime member replaces it (see sema.c). */
    Buf base = {0};
    for (const Func *f = m->funcs; f; f = f->next)
        if (sema_is_runtime_member(f->js_name))
            buf_printf(&base, "%s'%s'", base.len ? " | " : "", f->js_name);
    emit_doc(out, 0, m->doc, NULL);
    if (base.len)
        buf_printf(out, "export interface %s extends Omit<WasmgenModule, %s> {\n", m->ts_name, base.data);
    else
        buf_printf(out, "export interface %s extends WasmgenModule {\n", m->ts_name);
    buf_free(&base);
    for (const Func *f = m->funcs; f; f = f->next) {
        if (f != m->funcs)
            buf_putc(out, '\n');
        emit_func_doc(out, 2, f);
        signature(out, f, false, 2);
        if (f->nout_arrays)
            signature(out, f, true, 2);
    }
    for (const Resource *r = m->resources; r; r = r->next)
        buf_printf(out, "  readonly %s: typeof %s;\n", r->js_name, r->js_name);
    buf_puts(out, "}\n\n");
    Arena *a = arena_new();
    const char *lines[] = {
        "Compile and instantiate the module. Without a source (or with null),",
        arena_printf(a, "%s.wasm is loaded from beside %s.mjs.", m->name, m->name), NULL};
    emit_doc(out, 0, NULL, lines);
    arena_free(a);
    if (m->imports)
        buf_printf(out,
                   "export declare function instantiate(source: WasmSource | null | undefined, options: InstantiateOptions & { imports: %sImports }): Promise<%s>;\n",
                   m->ts_name, m->ts_name);
    else
        buf_printf(out,
                   "export declare function instantiate(source?: WasmSource | null, options?: InstantiateOptions): Promise<%s>;\n",
                   m->ts_name);
    /* Only what is marked `export` is exported (not WasmArray or Resource
     * where the .mjs does not export them: see runtime_decls), the same
     * names from every module. */
    buf_puts(out, "\nexport {};\n");
}

void emit_dmts(const Module *m, const EmitOptions *o, Buf *out) {
    emit_banner(out, "//", m, o, ".d.mts");
    buf_printf(out, "export * from './%s.js';\n", m->name);
}
