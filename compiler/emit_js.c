/*
 * emit_js.c - NAME.mjs: an ES module whose instantiate() resolves to an
 * object with one method per IDL function, and a class per resource. Each
 * method checks its arguments, marshals them through the JS runtime, calls
 * the glue's export and unmarshals the results. Everything the method
 * allocates is released in a `finally`, so a throw at any point leaks
 * nothing. Structs, lists and optional scalars go through codecs, layout
 * descriptors declared once per module and interpreted by the runtime.
 *
 * Names the generated code introduces all contain '$', which IDL names
 * cannot, so they never collide with parameters.
 */
#include "emit.h"

#include <string.h>

static const ScalarInfo *si(const TypeRef *t) { return scalar_info(t->id); }

/* $T.f64 - the runtime's descriptor for a numeric element type. */
static void type_desc(Buf *out, const TypeRef *t) { buf_printf(out, "$T.%s", t->name); }

static bool has_temps(const Func *f) {
    for (const Param *p = f->params; p; p = p->next)
        if (p->abi == ABI_STRING_IN || p->abi == ABI_ARRAY_IN || p->abi == ABI_ARRAY_INOUT ||
            p->abi == ABI_OUT_ARRAY || p->abi == ABI_CODEC_IN)
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

/* The name errors use: addInto, Canvas.fill, Canvas (the constructor). */
static const char *fn_name(Arena *a, const Func *f) {
    if (!f->owner)
        return f->js_name;
    if (f->is_ctor)
        return f->owner->js_name;
    return arena_printf(a, "%s.%s", f->owner->js_name, f->js_name);
}

/* The address of return-area slot `slot`. */
static void slot_addr(Buf *out, int slot) {
    if (slot == 0)
        buf_puts(out, "$r");
    else
        buf_printf(out, "$r + %d", slot * 8);
}

/* A JS value from a wasm value `e` of type t: scalars and enums. */
static void from_wasm(Buf *out, const TypeRef *t, const char *e, const char *fn) {
    if (t->kind == TK_ENUM)
        buf_printf(out, "$E_%s.out(%s, '%s')", t->name, e, fn);
    else
        emit_subst(out, si(t)->js_from_wasm, e);
}

/* A scalar or enum read from return-area slot `slot`. */
static void slot_read(Buf *out, const TypeRef *t, int slot, const char *fn) {
    const char *wasm = t->kind == TK_ENUM ? "i32" : si(t)->wasm;
    const char *shift = (strcmp(wasm, "i64") == 0 || strcmp(wasm, "f64") == 0) ? "3" : "2";
    Buf e = {0};
    if (slot == 0)
        buf_printf(&e, "$rt.%s[$r >>> %s]", wasm, shift);
    else
        buf_printf(&e, "$rt.%s[($r + %d) >>> %s]", wasm, slot * 8, shift);
    from_wasm(out, t, e.data, fn);
    buf_free(&e);
}

/* The JS value of the function's own result, after the call. */
static void ret_value(Buf *out, const Func *f, const char *fn) {
    const TypeRef *t = &f->ret;
    switch (f->ret_abi) {
    case ABI_SCALAR: slot_read(out, t, f->ret_slot, fn); break;
    case ABI_RET_STRING:
        buf_puts(out, "$rt.takeStr(");
        slot_addr(out, f->ret_slot);
        buf_puts(out, ")");
        break;
    case ABI_RET_ARRAY:
        buf_puts(out, "$rt.takeArr(");
        type_desc(out, t);
        buf_puts(out, ", ");
        slot_addr(out, f->ret_slot);
        buf_puts(out, t->optional ? ", true)" : ")");
        break;
    case ABI_CODEC_RET:
        buf_printf(out, "%s.take($rt, ", f->ret_codec);
        slot_addr(out, f->ret_slot);
        buf_puts(out, ")");
        break;
    case ABI_RET_RESOURCE:
        buf_printf(out, "$W_%s($rt.u32[", t->name);
        slot_addr(out, f->ret_slot);
        buf_puts(out, " >>> 2], '");
        buf_puts(out, fn);
        buf_printf(out, "', %s)", t->optional ? "true" : "false");
        break;
    default: break;
    }
}

/* The JS value of an out parameter, after the call. */
static void out_value(Buf *out, const Param *p, const char *fn) {
    if (p->abi == ABI_OUT_SCALAR) {
        slot_read(out, &p->type, p->slot, fn);
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
    if (f->owner && !f->is_ctor)
        buf_printf(out, "%sself$p", n++ ? ", " : "");
    for (const Param *p = f->params; p; p = p->next) {
        if (p->abi == ABI_OUT_SCALAR)
            continue;
        if (n++)
            buf_puts(out, ", ");
        switch (p->abi) {
        case ABI_SCALAR: emit_subst(out, si(&p->type)->js_to_wasm, p->js_local); break;
        case ABI_ENUM_IN:
        case ABI_RESOURCE_IN: buf_printf(out, "%s$v", p->js_local); break;
        case ABI_STRING_IN:
        case ABI_ARRAY_IN:
        case ABI_ARRAY_INOUT: buf_printf(out, "%s$p, %s$n", p->js_local, p->js_local); break;
        case ABI_CODEC_IN:
            if (p->type.is_array)
                buf_printf(out, "%s$p, %s$n", p->js_local, p->js_local);
            else
                buf_printf(out, "%s$p", p->js_local);
            break;
        case ABI_OUT_ARRAY: buf_printf(out, "%s$p", p->js_local); break;
        default: break;
        }
    }
    buf_puts(out, ")");
}

/* How many arguments a call needs: trailing optional ones may be left out. */
static int required_args(const Func *f) {
    int n = 0, req = 0;
    for (const Param *p = f->params; p; p = p->next) {
        if (p->mode == MODE_OUT)
            continue;
        n++;
        if (!p->type.optional)
            req = n;
    }
    return req;
}

/* Checks that allocate nothing: arity, scalars, enums, resources. */
static void checks(Buf *out, const Func *f, const char *fn) {
    int req = required_args(f);
    if (out_arrays(f) == 0 && req < nargs(f)) {
        buf_printf(out,
                   "      if (arguments.length < %d || arguments.length > %d) $rt.arityRange('%s', %d, %d, arguments.length);\n",
                   req, nargs(f), fn, req, nargs(f));
    } else if (out_arrays(f) == 0) {
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
    if (f->owner && !f->is_ctor)
        buf_printf(out, "      const self$p = $R_%s.self(this, '%s');\n", f->owner->name, fn);
    for (const Param *p = f->params; p; p = p->next) {
        if (p->abi == ABI_SCALAR) {
            buf_puts(out, "      if (");
            emit_subst(out, si(&p->type)->js_invalid, p->js_local);
            buf_printf(out, ") $rt.bad('%s', %s, '%s', '%s');\n", p->type.name, p->js_local, fn,
                       p->js_name);
        } else if (p->abi == ABI_ENUM_IN) {
            buf_printf(out, "      const %s$v = $E_%s.in(%s, '%s', '%s');\n", p->js_local, p->type.name,
                       p->js_local, fn, p->js_name);
        } else if (p->abi == ABI_RESOURCE_IN) {
            buf_printf(out, "      const %s$v = $R_%s.borrow(%s, '%s', '%s', %s);\n", p->js_local,
                       p->type.name, p->js_local, fn, p->js_name, p->type.optional ? "true" : "false");
        }
    }
}

/* Marshal strings, arrays and codec values, then out arrays. */
static void marshal(Buf *out, const Func *f, const char *fn, int in) {
    for (const Param *p = f->params; p; p = p->next) {
        const char *l = p->js_local;
        if (p->abi == ABI_STRING_IN) {
            buf_indent(out, in);
            buf_printf(out, "const %s$p = $rt.%s(%s, '%s', '%s'), %s$n = $rt.n;\n", l,
                       p->type.optional ? "strOpt" : "str", l, fn, p->js_name, l);
        } else if (p->abi == ABI_ARRAY_IN || p->abi == ABI_ARRAY_INOUT) {
            buf_indent(out, in);
            buf_printf(out, "const %s$p = $rt.%s(", l, p->type.optional ? "arrOpt" : "arr");
            type_desc(out, &p->type);
            buf_printf(out, ", %s, '%s', '%s'), %s$n = $rt.n;\n", l, fn, p->js_name, l);
        } else if (p->abi == ABI_CODEC_IN) {
            buf_indent(out, in);
            buf_printf(out, "const %s$p = %s.pass($rt, %s, '%s', '%s')", l, p->codec, l, fn, p->js_name);
            if (p->type.is_array)
                buf_printf(out, ", %s$n = $rt.n", l);
            buf_puts(out, ";\n");
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
}

/* The call and the results: `return value;` (or `return;` nothing). */
static void results(Buf *out, const Func *f, const char *fn, int in) {
    buf_indent(out, in);
    if (f->direct) {
        const TypeRef *t = f->direct_out ? &f->direct_out->type : &f->ret;
        Buf call = {0};
        call_expr(&call, f);
        buf_puts(out, "return ");
        if (f->ret_abi == ABI_RET_RESOURCE && !f->direct_out) {
            if (f->is_ctor)
                buf_printf(out, "%s >>> 0", call.data);
            else
                buf_printf(out, "$W_%s(%s >>> 0, '%s', %s)", t->name, call.data, fn,
                           t->optional ? "true" : "false");
        } else {
            from_wasm(out, t, call.data, fn);
        }
        buf_puts(out, ";\n");
        buf_free(&call);
        return;
    }
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
    bool scalar_slots = f->ret_abi == ABI_SCALAR || f->ret_abi == ABI_RET_RESOURCE;
    for (const Param *p = f->params; p; p = p->next)
        scalar_slots |= p->abi == ABI_OUT_SCALAR;
    if (scalar_slots) {
        buf_indent(out, in);
        buf_puts(out, "$rt.sync();\n");
    }
    if (f->nresults == 0 && !f->throws)
        return;
    buf_indent(out, in);
    buf_puts(out, f->throws ? "const $v = " : "return ");
    if (f->nresults == 0) {
        buf_puts(out, "undefined");
    } else if (f->nresults == 1) {
        if (f->ret_abi != ABI_NONE)
            ret_value(out, f, fn);
        else
            for (const Param *p = f->params; p; p = p->next)
                if (p->mode == MODE_OUT)
                    out_value(out, p, fn);
    } else {
        buf_puts(out, "{\n");
        if (f->ret_abi != ABI_NONE) {
            buf_indent(out, in + 2);
            buf_puts(out, "return: ");
            ret_value(out, f, fn);
            buf_puts(out, ",\n");
        }
        for (const Param *p = f->params; p; p = p->next) {
            if (p->mode != MODE_OUT)
                continue;
            buf_indent(out, in + 2);
            buf_printf(out, "%s: ", p->js_name);
            out_value(out, p, fn);
            buf_puts(out, ",\n");
        }
        buf_indent(out, in);
        buf_puts(out, "}");
    }
    buf_puts(out, ";\n");
    if (f->throws) {
        buf_indent(out, in);
        buf_printf(out, "if ($rt.failed($r + %d)) $rt.raise($r + %d, '%s', $v);\n", f->err_slot * 8,
                   f->err_slot * 8, fn);
        buf_indent(out, in);
        buf_puts(out, "return $v;\n");
    }
}

/* One function: `head` is what comes before the parameter list, e.g.
 * "    addInto" for a method of the module object. */
static void function(Buf *out, Arena *a, const Func *f, const char *head, const char *tail) {
    const char *fn = fn_name(a, f);
    bool temps = has_temps(f), slots = f->nslots > 0;

    buf_putc(out, '\n');
    if (f->doc)
        emit_doc(out, 4, f->doc, NULL);
    buf_printf(out, "%s(", head);
    int n = 0;
    for (const Param *p = f->params; p; p = p->next)
        if (p->mode != MODE_OUT)
            buf_printf(out, "%s%s", n++ ? ", " : "", p->js_local);
    buf_puts(out, ") {\n");
    checks(out, f, fn);
    if (slots)
        buf_printf(out, "      const $r = $rt.push(%d);\n", f->nslots);
    if (temps)
        buf_puts(out, "      const $m = $rt.mark();\n");
    buf_puts(out, "      try {\n");
    marshal(out, f, fn, 8);
    results(out, f, fn, 8);
    /* An exception that crossed wasm frames (from an import, exit() or a
     * trap) left their C stack in use: give it back. */
    buf_puts(out, "      } catch ($e) {\n        throw $rt.unwind($e);\n      }");
    if (temps || slots) {
        buf_puts(out, " finally {\n");
        if (temps)
            buf_puts(out, "        $rt.release($m);\n");
        if (slots)
            buf_puts(out, "        $rt.pop($r);\n");
        buf_puts(out, "      }");
    }
    buf_printf(out, "\n    }%s\n", tail);
}

/* ---- Codecs: what the runtime needs to know of structs, enums, lists. */

/* The codec expression of a struct field of type t. */
static void field_codec(Buf *out, const TypeRef *t) {
    if (t->is_array && t->kind == TK_STRUCT)
        buf_printf(out, "$rt.listType($S_%s, %s)", t->name, t->optional ? "true" : "false");
    else if (t->is_array && t->kind == TK_STRING)
        buf_printf(out, "$rt.listType($rt.stringField(), %s)", t->optional ? "true" : "false");
    else if (t->is_array)
        buf_printf(out, "$rt.arrayField($T.%s, %s)", t->name, t->optional ? "true" : "false");
    else if (t->kind == TK_STRING)
        buf_printf(out, "$rt.stringField(%s)", t->optional ? "true" : "false");
    else if (t->kind == TK_STRUCT)
        buf_printf(out, "$S_%s", t->name);
    else if (t->kind == TK_ENUM)
        buf_printf(out, "$E_%s", t->name);
    else
        buf_printf(out, "$V.%s", t->name);
}

/* Declare a codec named `name` (from sema) once. */
static void declare_codec(Buf *out, Buf *seen, const char *name, const TypeRef *t) {
    if (!name)
        return;
    /* `seen` holds " $A $B ..." */
    Buf key = {0};
    buf_printf(&key, " %s ", name);
    bool dup = seen->data && strstr(seen->data, key.data);
    buf_free(&key);
    if (dup)
        return;
    buf_printf(seen, " %s ", name);
    buf_printf(out, "  const %s = ", name);
    if (t->is_array && t->kind == TK_STRUCT)
        buf_printf(out, "$rt.listType($S_%s, %s);\n", t->name, t->optional ? "true" : "false");
    else if (t->is_array)
        buf_printf(out, "$rt.listType($rt.stringField(), %s);\n", t->optional ? "true" : "false");
    else if (t->kind == TK_STRUCT)
        buf_printf(out, "$S_%s.nullable();\n", t->name);
    else
        buf_printf(out, "$rt.optType($V.%s);\n", t->name);
}

/* A struct passed or returned by value uses the struct's own codec. */
static bool own_codec(const TypeRef *t) {
    return t->kind == TK_STRUCT && !t->is_array && !t->optional;
}

static void func_codecs(Buf *out, Buf *seen, const Func *f) {
    if (f->ret_abi == ABI_CODEC_RET && !own_codec(&f->ret))
        declare_codec(out, seen, f->ret_codec, &f->ret);
    for (const Param *p = f->params; p; p = p->next)
        if (p->abi == ABI_CODEC_IN && !own_codec(&p->type))
            declare_codec(out, seen, p->codec, &p->type);
}

static void codecs(Buf *out, const Module *m) {
    for (const Enum *en = m->enums; en; en = en->next) {
        buf_printf(out, "  const $E_%s = $rt.enumType('%s', { ", en->name, en->name);
        for (const EnumValue *v = en->values; v; v = v->next)
            buf_printf(out, "%s%s: %lld", v == en->values ? "" : ", ", v->name, (long long)v->value);
        buf_puts(out, " });\n");
    }
    for (const Struct *st = m->structs; st; st = st->next)
        buf_printf(out, "  const $S_%s = $rt.structType('%s', %u, %u);\n", st->name, st->name, st->size,
                   st->align);
    for (const Struct *st = m->structs; st; st = st->next) {
        buf_printf(out, "  $S_%s.define([", st->name);
        for (const Field *f = st->fields; f; f = f->next) {
            buf_printf(out, "%s['%s', ", f == st->fields ? "" : ", ", f->js_name);
            field_codec(out, &f->type);
            buf_printf(out, ", %u]", f->offset);
        }
        buf_puts(out, "]);\n");
    }
    /* The codecs parameters and results use beyond the structs' own. */
    Buf seen = {0};
    for (const Func *f = m->funcs; f; f = f->next)
        func_codecs(out, &seen, f);
    for (const Resource *r = m->resources; r; r = r->next) {
        if (r->ctor)
            func_codecs(out, &seen, r->ctor);
        for (const Func *f = r->methods; f; f = f->next)
            func_codecs(out, &seen, f);
    }
    buf_free(&seen);
}

/* ---- Resources: a class each. */

static void resource_class(Buf *out, Arena *a, const Resource *r) {
    buf_printf(out, "  const $R_%s = $rt.resourceType('%s', '%s', %d);\n", r->name, r->name, r->js_name,
               r->kind);
    if (r->ctor)
        function(out, a, r->ctor, arena_printf(a, "  function $new_%s", r->name), "");
    buf_putc(out, '\n');
    if (r->doc)
        emit_doc(out, 2, r->doc, NULL);
    buf_printf(out, "  const $C_%s = class %s extends Resource {\n", r->name, r->js_name);
    if (r->ctor)
        buf_printf(out, "    constructor(...$a) {\n"
                        "      super($R_%s, $a[0] === $rt.ADOPT ? $a[1] : $new_%s(...$a));\n    }\n",
                   r->name, r->name);
    else
        buf_printf(out,
                   "    constructor($k, $p) {\n"
                   "      if ($k !== $rt.ADOPT) throw new TypeError('%s: instances come from the module\\'s functions; it has no constructor');\n"
                   "      super($R_%s, $p);\n    }\n",
                   r->js_name, r->name);
    for (const Func *f = r->methods; f; f = f->next)
        function(out, a, f, arena_printf(a, "    %s", f->js_name), "");
    buf_puts(out, "  };\n");
    buf_printf(out,
               "  const $W_%s = ($p, $fn, $optional) => {\n"
               "    if ($p !== 0) return new $C_%s($rt.ADOPT, $p);\n"
               "    if ($optional) return null;\n"
               "    throw new WasmgenError(`${$fn}: the module returned NULL for a %s`);\n  };\n",
               r->name, r->name, r->name);
}

/* ---- Imports: the wasm imports that call options.imports.NAME. */

static void import_func(Buf *out, const Module *m, const Func *f) {
    const char *fn = f->js_name;
    (void)m;
    buf_printf(out, "      %s(", f->name);
    int n = 0;
    for (const Param *p = f->params; p; p = p->next) {
        if (p->abi == ABI_STRING_IN || p->abi == ABI_ARRAY_IN)
            buf_printf(out, "%s%s$p, %s$n", n++ ? ", " : "", p->js_local, p->js_local);
        else
            buf_printf(out, "%s%s$w", n++ ? ", " : "", p->js_local);
    }
    buf_puts(out, ") {\n        $rt.inImport++;\n        try {\n          $rt.sync();\n");
    for (const Param *p = f->params; p; p = p->next) {
        const char *l = p->js_local;
        buf_printf(out, "          const %s = ", l);
        if (p->abi == ABI_STRING_IN) {
            buf_printf(out, "$rt.decode(%s$p >>> 0, %s$n >>> 0);\n", l, l);
        } else if (p->abi == ABI_ARRAY_IN) {
            buf_printf(out, "new $T.%s.Array($rt.buffer, %s$p >>> 0, %s$n >>> 0);\n", p->type.name, l, l);
        } else {
            Buf e = {0};
            buf_printf(&e, "%s$w", l);
            from_wasm(out, &p->type, e.data, fn);
            buf_free(&e);
            buf_puts(out, ";\n");
        }
    }
    buf_printf(out, "          const $v = $u.%s(", fn);
    n = 0;
    for (const Param *p = f->params; p; p = p->next)
        buf_printf(out, "%s%s", n++ ? ", " : "", p->js_local);
    buf_puts(out, ");\n");
    const TypeRef *t = &f->ret;
    if (f->ret_abi == ABI_SCALAR && t->kind == TK_ENUM) {
        buf_printf(out, "          return $E_%s.in($v, 'options.imports.%s', 'result');\n", t->name, fn);
    } else if (f->ret_abi == ABI_SCALAR) {
        buf_puts(out, "          if (");
        emit_subst(out, si(t)->js_invalid, "$v");
        buf_printf(out, ") $rt.badResult('options.imports.%s', $v, '%s');\n          return ", fn, t->name);
        emit_subst(out, si(t)->js_to_wasm, "$v");
        buf_puts(out, ";\n");
    } else if (f->ret_abi == ABI_RET_STRING) {
        buf_printf(out, "          return $rt.owned($v, 'options.imports.%s');\n", fn);
    }
    buf_puts(out, "        } finally {\n          $rt.inImport--;\n        }\n      },\n");
}

static void imports(Buf *out, const Module *m) {
    if (!m->imports) {
        buf_puts(out, "null");
        return;
    }
    buf_puts(out, "{\n    names: [");
    for (const Func *f = m->imports; f; f = f->next)
        buf_printf(out, "%s'%s'", f == m->imports ? "" : ", ", f->js_name);
    buf_puts(out, "],\n    build: ($rt, $u) => ({\n");
    for (const Func *f = m->imports; f; f = f->next)
        import_func(out, m, f);
    buf_puts(out, "    }),\n  }");
}

void emit_js(const Module *m, const EmitOptions *o, Buf *out) {
    Arena *a = arena_new();
    emit_banner(out, "//", m, o, ".mjs");
    if (o->inline_runtime) {
        buf_puts(out, "\n// ---- The wasmgen JS runtime, inlined (--js-runtime=inline).\n");
        buf_puts(out, o->runtime_js);
        buf_puts(out, "// ---- End of the wasmgen JS runtime.\n");
    } else {
        buf_puts(out, "import { Runtime, Resource, WasmgenError, types, scalars } from './wasmgen-runtime.mjs';\n"
                      "export { WasmArray, WasmgenError, Resource } from './wasmgen-runtime.mjs';\n");
    }
    buf_putc(out, '\n');
    const char *lines[] = {
        "Compile and instantiate the module.",
        "@param {BufferSource | WebAssembly.Module | Response | PromiseLike<Response>} source",
        "@param {import('./wasmgen-runtime.mjs').InstantiateOptions} [options]", NULL};
    emit_doc(out, 0, m->doc, lines);
    buf_puts(out, "export async function instantiate(source, options = {}) {\n");
    buf_printf(out, "  const $rt = await Runtime.create(source, options, '%s', [", m->name);
    int n = 0;
    for (const Func *f = m->funcs; f; f = f->next)
        buf_printf(out, "%s'%s'", n++ ? ", " : "", f->export_name);
    for (const Resource *r = m->resources; r; r = r->next) {
        if (r->ctor)
            buf_printf(out, "%s'%s'", n++ ? ", " : "", r->ctor->export_name);
        for (const Func *f = r->methods; f; f = f->next)
            buf_printf(out, "%s'%s'", n++ ? ", " : "", f->export_name);
        buf_printf(out, "%s'wg_r_%s_drop'", n++ ? ", " : "", r->name);
    }
    buf_puts(out, "], ");
    imports(out, m);
    buf_puts(out, ");\n");
    buf_puts(out, "  const $x = $rt.exports, $T = types, $V = scalars;\n");
    codecs(out, m);
    for (const Resource *r = m->resources; r; r = r->next)
        resource_class(out, a, r);
    buf_puts(out, "  return $rt.finish({");
    for (const Func *f = m->funcs; f; f = f->next)
        function(out, a, f, arena_printf(a, "    %s", f->js_name), ",");
    for (const Resource *r = m->resources; r; r = r->next)
        buf_printf(out, "    %s: $C_%s,\n", r->js_name, r->name);
    buf_puts(out, m->funcs || m->resources ? "  });\n}\n" : "});\n}\n");
    arena_free(a);
}
