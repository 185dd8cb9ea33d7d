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

#include <ctype.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wasmgen.h"

/* Expand a row's template for a parameter or result. */
static void put(Buf *out, const char *tmpl, const Bind *b, const char *x, int indent) {
    abi_expand(out, tmpl, b, x, NULL, indent);
}

/* The wasm value of a result read from the return area (%x). */
static char *slot_value(const Bind *b) {
    Buf e = {0};
    abi_slot_read(&e, b);
    return e.data;
}

/* A result's or out parameter's JS value after the call. */
static void result_value(Buf *out, const char *tmpl, const Bind *b, int indent) {
    char *x = b->view ? slot_value(b) : NULL;
    put(out, tmpl, b, x ? x : "", indent);
    free(x);
}

static void call_expr(Buf *out, const Func *f) {
    buf_printf(out, "$%s(", f->export_name);
    int n = 0;
    if (f->nslots > 0) {
        buf_puts(out, "$r");
        n++;
    }
    for (const Param *p = f->params; p; p = p->next) {
        const char *arg = abi_row(p->abi)->js_arg;
        if (!arg)
            continue;
        if (n++)
            buf_puts(out, ", ");
        put(out, arg, &p->b, "", 0);
    }
    buf_puts(out, ")");
}

/* The argument count of a function with optional arguments or out arrays
 * (the others' is checked by start() or enter()), and the trailing options
 * object (read once). */
static void arity(Buf *out, const Func *f, int in) {
    buf_indent(out, in);
    if (f->nout_arrays == 0 && f->nrequired < f->nargs) {
        buf_puts(out, "if (");
        if (f->nrequired > 0)
            buf_printf(out, "arguments.length < %d || ", f->nrequired);
        buf_printf(out, "arguments.length > %d) $rt.arityRange($f, %d, %d, arguments.length);\n",
                   f->nargs, f->nrequired, f->nargs);
    } else {
        /* Out arrays may be given destinations in a trailing options object:
         * opts() checks the count, then the object. */
        buf_printf(out, "const $o = $rt.opts($f, arguments.length, %d, arguments[%d], [", f->nargs, f->nargs);
        int k = 0;
        for (const Param *p = f->params; p; p = p->next)
            if (abi_has(p->abi, A_DEST))
                buf_printf(out, "%s'%s'", k++ ? ", " : "", p->js_name);
        buf_puts(out, "]);\n");
    }
}

/* Checks that allocate nothing: scalars, enums, resources (a resource, and
 * `this` of a method, is pinned for the call: inside the try, after enter()).
 * A handle whose object C takes (`given`) is checked last: every other
 * handle of the call is pinned by then, so one passed twice is seen. */
static void checks(Buf *out, const Func *f, int in) {
    for (int given = 0; given < 2; given++) {
        for (const Param *p = f->params; p; p = p->next) {
            if (abi_has(p->abi, A_CHECK) && abi_has(p->abi, A_GIVE) == given) {
                buf_indent(out, in);
                put(out, abi_row(p->abi)->js_marshal, &p->b, "", in);
                buf_putc(out, '\n');
            }
        }
    }
}

/* Marshal what allocates: in arguments first, then out arrays (whose
 * lengths may be those of in arrays). */
static void marshal(Buf *out, const Func *f, int in) {
    for (unsigned phase = A_IN; phase; phase = phase == A_IN ? A_OUT : 0) {
        for (const Param *p = f->params; p; p = p->next) {
            const AbiRow *row = abi_row(p->abi);
            if (!(row->flags & phase) || (row->flags & A_CHECK) || !row->js_marshal)
                continue;
            buf_indent(out, in);
            put(out, row->js_marshal, &p->b, "", in);
            buf_putc(out, '\n');
        }
    }
}

/* The call and the results: `return value;` (or `return;` nothing). */
static void results(Buf *out, const Func *f, int in) {
    buf_indent(out, in);
    if (f->direct) {
        const Param *o = f->direct_out;
        const Bind *b = o ? &o->b : &f->rb;
        const AbiRow *row = abi_row(o ? o->abi : f->ret_abi);
        Buf call = {0};
        call_expr(&call, f);
        if (strcmp(b->view, "u32") == 0) /* a pointer: unsigned */
            buf_puts(&call, " >>> 0");
        buf_puts(out, "return ");
        put(out, row->js_result, b, call.data, in);
        buf_puts(out, ";\n");
        buf_free(&call);
        return;
    }
    call_expr(out, f);
    buf_puts(out, ";\n");
    const char *drop = abi_row(f->ret_abi)->js_drop;
    if (f->checked || (f->throws && !drop)) {
        /* A failure is checked first: nothing else of the call is valid (a
         * binding's glue found it, or C reported it). */
        buf_indent(out, in);
        buf_printf(out, "$rt.raiseIf($r + %d, $f);\n", f->err_slot * 8);
    } else if (f->throws) {
        /* ... and what C returned anyway is freed unread. */
        buf_indent(out, in);
        buf_printf(out, "if ($rt.failed($r + %d)) $rt.raise($r + %d, $f, () => ", f->err_slot * 8, f->err_slot * 8);
        result_value(out, drop, &f->rb, in);
        buf_puts(out, ");\n");
    }
    /* The call succeeded: a given object is the library's now, before
     * anything else can throw (a deferred callback's exception, an inout
     * array's write-back, a result refused): the handle must not keep
     * owning what the library took (the native host's order too). */
    for (const Param *p = f->params; p; p = p->next) {
        if (abi_has(p->abi, A_GIVE)) {
            buf_indent(out, in);
            put(out, abi_row(p->abi)->js_after, &p->b, "", in);
            buf_putc(out, '\n');
        }
    }
    if (f->settles) {
        /* A deferred callback's exception: what C returned is freed unread. (A
         * failure C reported, raised above, gives way to it in $unwind.) */
        buf_indent(out, in);
        buf_puts(out, "$rt.cbSettle(");
        if (drop) {
            buf_puts(out, "() => ");
            result_value(out, drop, &f->rb, in);
        }
        buf_puts(out, ");\n");
    }
    bool after = false, outs = false;
    for (const Param *p = f->params; p; p = p->next) {
        after |= abi_row(p->abi)->js_after != NULL && !abi_has(p->abi, A_GIVE);
        outs |= abi_has(p->abi, A_HANDLE) && abi_has(p->abi, A_OUT);
    }
    /* What can throw after the call, besides a lone result's own conversion
     * (which frees what it was converting), runs protected when something
     * is owned: then the handles made so far are freed, and the result C
     * returned too. */
    bool guard = (drop || outs) && (f->nresults > 1 || after);
    int in2 = in;
    if (guard) {
        buf_indent(out, in);
        buf_puts(out, "const $k = $rt.begin();\n");
        buf_indent(out, in);
        buf_puts(out, "try {\n");
        in2 = in + 2;
    }
    for (const Param *p = f->params; p; p = p->next) {
        if (abi_row(p->abi)->js_after && !abi_has(p->abi, A_GIVE)) {
            buf_indent(out, in2);
            put(out, abi_row(p->abi)->js_after, &p->b, "", in2);
            buf_putc(out, '\n');
        }
    }
    if (f->sync) {
        buf_indent(out, in2);
        buf_puts(out, "$rt.sync();\n");
    }
    if (f->nresults > 0) {
        buf_indent(out, in2);
        buf_puts(out, guard ? "const $v = " : "return ");
        if (f->nresults == 1) {
            if (abi_returns(f))
                result_value(out, abi_row(f->ret_abi)->js_result, &f->rb, in2);
            else
                for (const Param *p = f->params; p; p = p->next)
                    if (abi_has(p->abi, A_OUT))
                        result_value(out, abi_row(p->abi)->js_result, &p->b, in2);
        } else {
            buf_puts(out, "{\n");
            if (abi_returns(f)) {
                buf_indent(out, in2 + 2);
                buf_puts(out, "return: ");
                result_value(out, abi_row(f->ret_abi)->js_result, &f->rb, in2 + 2);
                buf_puts(out, ",\n");
            }
            for (const Param *p = f->params; p; p = p->next) {
                if (!abi_has(p->abi, A_OUT))
                    continue;
                buf_indent(out, in2 + 2);
                buf_printf(out, "%s: ", p->js_name);
                result_value(out, abi_row(p->abi)->js_result, &p->b, in2 + 2);
                buf_puts(out, ",\n");
            }
            buf_indent(out, in2);
            buf_puts(out, "}");
        }
        buf_puts(out, ";\n");
    }
    if (guard) {
        buf_indent(out, in2);
        buf_puts(out, "$rt.end($k);\n");
        if (f->nresults > 0) {
            buf_indent(out, in2);
            buf_puts(out, "return $v;\n");
        }
        buf_indent(out, in);
        buf_puts(out, "} catch ($e) {\n");
        buf_indent(out, in + 2);
        buf_puts(out, "$rt.abort($k);\n");
        if (drop) {
            buf_indent(out, in + 2);
            result_value(out, drop, &f->rb, in + 2);
            buf_puts(out, ";\n");
        }
        buf_indent(out, in + 2);
        buf_puts(out, "throw $e;\n");
        buf_indent(out, in);
        buf_puts(out, "}\n");
    }
}

/* One function: `head` is what comes before the parameter list, e.g.
 * "    addInto" for a method of the module object; `in` the indentation of
 * its body. Its name, for error messages, is its local $f. */
static void function(Buf *out, const Func *f, const char *head, const char *tail, int in, const char *unwind) {
    bool slots = f->nslots > 0, cleanup = f->temps || slots;

    buf_putc(out, '\n');
    emit_func_doc(out, in - 2, f);
    buf_printf(out, "%s(", head);
    int n = 0;
    for (const Param *p = f->params; p; p = p->next)
        if (abi_has(p->abi, A_IN))
            buf_printf(out, "%s%s", n++ ? ", " : "", p->js_local);
    buf_puts(out, ") {\n");
    buf_indent(out, in);
    buf_printf(out, "const $f = '%s';\n", f->js_fn);
    /* A call starts with start(), or enter() when it has temporaries or a
     * return area: either checks an exact argument count, then gives back
     * what finalizers left (at the next call, before it starts: destructors
     * never run inside a finalizer); enter() then marks the call's
     * temporaries and reserves its return area ($r), which release() ends.
     * A return area too large for the stack is a temporary of the call. */
    bool exact = f->nout_arrays == 0 && f->nrequired == f->nargs;
    bool stack_slots = slots && !f->heap_ret_area;
    if (!exact)
        arity(out, f, in);
    buf_indent(out, in);
    if (cleanup)
        buf_printf(out, "%s$rt.enter($f, %d", stack_slots ? "const $r = " : "", stack_slots ? f->nslots : 0);
    else
        buf_puts(out, "$rt.start($f");
    if (exact)
        buf_printf(out, ", arguments.length, %d", f->nargs);
    buf_puts(out, ");\n");
    if (!cleanup)
        checks(out, f, in);
    buf_indent(out, in);
    buf_puts(out, "try {\n");
    if (slots && f->heap_ret_area) {
        buf_indent(out, in + 2);
        buf_printf(out, "const $r = $rt.pushHeap(%d, $f);\n", f->nslots);
    }
    /* Checks that pin a handle (`this`, a resource argument) come after
     * enter(): inside the try, with the rest. */
    if (cleanup)
        checks(out, f, in + 2);
    marshal(out, f, in + 2);
    results(out, f, in + 2);
    /* An exception that crossed wasm frames (from an import, exit() or a
     * trap) left their C stack in use: the outermost call gives it back. */
    buf_indent(out, in);
    buf_puts(out, "} catch ($e) {\n");
    buf_indent(out, in + 2);
    buf_printf(out, "throw %s($e);\n", unwind);
    buf_indent(out, in);
    buf_puts(out, "}");
    if (cleanup) {
        buf_puts(out, " finally {\n");
        buf_indent(out, in + 2);
        buf_puts(out, "$rt.release();\n");
        buf_indent(out, in);
        buf_puts(out, "}");
    }
    buf_putc(out, '\n');
    buf_indent(out, in - 2);
    buf_printf(out, "}%s\n", tail);
}

/* ---- Codecs: what the runtime needs to know of structs, enums, lists. */

/* Structs of up to this many fields get a specialized reader; larger ones
 * (rare, and a function of that many locals is slow to compile) read
 * through the generic loop of codecs.mjs. */
#define SPECIAL_MAX_FIELDS 64

/* A struct's specialized reader (codecs.mjs, structCodec's define): its
 * fields read in order at fixed offsets into locals, then one object
 * literal (one hidden class). If a read throws, what was read and what is
 * left at $a are freed (the codec's failed()). */
static void reader(Buf *out, const Struct *st) {
    buf_puts(out, ",\n    ($rt, $a, $own, $fn) => {\n      const $d = $rt.dv;\n      let ");
    unsigned i = 0;
    for (const Field *f = st->fields; f; f = f->next, i++)
        buf_printf(out, "%s$%u", i ? ", " : "", i);
    buf_puts(out, ";\n      try {\n");
    i = 0;
    for (const Field *f = st->fields; f; f = f->next, i++)
        buf_printf(out, "        $%u = %s;\n", i, f->js_read);
    buf_printf(out, "      } catch ($e) {\n        throw %s.failed($rt, $e, $a, $own, [", st->codec);
    for (i = 0; i < st->nfields; i++)
        buf_printf(out, "%s$%u", i ? ", " : "", i);
    buf_puts(out, "]);\n      }\n      return { ");
    i = 0;
    for (const Field *f = st->fields; f; f = f->next, i++) {
        /* '__proto__': x in a literal would set the prototype */
        if (strcmp(f->js_name, "__proto__") == 0)
            buf_printf(out, "%s['__proto__']: $%u", i ? ", " : "", i);
        else
            buf_printf(out, "%s%s: $%u", i ? ", " : "", f->js_name, i);
    }
    buf_puts(out, " };\n    }");
}

static void codecs(Buf *out, const Module *m) {
    for (const Enum *en = m->enums; en; en = en->next) {
        buf_printf(out, "  const %s = $rt.%sType('%s', { ", en->codec, en->is_flags ? "flags" : "enum", en->name);
        for (const EnumValue *v = en->values; v; v = v->next)
            buf_printf(out, "%s%s: %lld", v == en->values ? "" : ", ", v->name, (long long)v->value);
        buf_puts(out, " });\n");
    }
    for (const Struct *st = m->structs; st; st = st->next)
        buf_printf(out, "  const %s = $rt.structType('%s', %llu, %u);\n", st->codec, st->name,
                   (unsigned long long)st->size, st->align);
    /* The codecs fields, parameters and results use beyond the structs'
     * own (declared before the structs are defined: fields refer to them). */
    for (const CodecDecl *d = m->codecs; d; d = d->next)
        buf_printf(out, "  const %s = %s;\n", d->name, d->init);
    for (const Struct *st = m->structs; st; st = st->next) {
        buf_printf(out, "  %s.define([", st->codec);
        for (const Field *f = st->fields; f; f = f->next)
            buf_printf(out, "%s['%s', %s, %u]", f == st->fields ? "" : ", ", f->js_name, f->js_codec,
                       (unsigned)f->offset);
        buf_puts(out, "]");
        if (st->nfields > 0 && st->nfields <= SPECIAL_MAX_FIELDS)
            reader(out, st);
        buf_puts(out, ");\n");
    }
    /* Callback types: where the trampolines find the JS functions. */
    for (const Func *f = m->callbacks; f; f = f->next)
        buf_printf(out, "  const %s = $rt.callbackType('%s', %s);\n", f->cb_codec, f->name,
                   f->ud ? "true" : "false");
}

/* ---- Resources: a class each. */

static void resource_class(Buf *out, Arena *a, const Resource *r, const char *unwind) {
    buf_printf(out, "  const %s = $rt.resourceType('%s', '%s', %d);\n", r->codec, r->name, r->js_name,
               r->kind);
    if (r->ctor)
        function(out, r->ctor, arena_printf(a, "  function %s", r->new_fn), "", 4, unwind);
    buf_putc(out, '\n');
    if (r->doc)
        emit_doc(out, 2, r->doc, NULL);
    buf_printf(out, "  const %s = class %s extends Resource {\n", r->cls, r->js_name);
    /* A borrowed handle (from a function returning it `borrowed`) is made
     * with the handle it belongs to: $owner. */
    const char *owner = r->borrowed ? ", $a[0] === $rt.ADOPT ? $a[2] : undefined" : "";
    if (r->ctor)
        buf_printf(out, "    constructor(...$a) {\n"
                        "      super(%s, $a[0] === $rt.ADOPT ? $a[1] : %s(...$a)%s);\n    }\n",
                   r->codec, r->new_fn, owner);
    else
        buf_printf(out,
                   "    constructor($k, $p%s) {\n"
                   "      if ($k !== $rt.ADOPT) throw new TypeError('%s: instances come from the module\\'s functions%s');\n"
                   "      super(%s, $p%s);\n    }\n",
                   r->borrowed ? ", $owner" : "", r->js_name,
                   r->ctors ? " and its named constructors" : "; it has no constructor", r->codec,
                   r->borrowed ? ", $owner" : "");
    for (const Func *f = r->ctors; f; f = f->next)
        function(out, f, arena_printf(a, "    static %s", f->js_name), "", 6, unwind);
    for (const Func *f = r->methods; f; f = f->next)
        function(out, f, arena_printf(a, "    %s", f->js_name), "", 6, unwind);
    buf_puts(out, "  };\n");
    if (r->borrowed)
        buf_printf(out,
                   "  const %s = ($p, $fn, $optional, $owner) => {\n"
                   "    if ($p !== 0) return new %s($rt.ADOPT, $p, $owner);\n"
                   "    if ($optional) return null;\n"
                   "    throw new WasmgenError(`${$fn}: the module returned NULL for a %s`);\n  };\n",
                   r->borrow_wrap, r->cls, r->name);
    buf_printf(out,
               "  const %s = ($p, $fn, $optional) => {\n"
               "    if ($p !== 0) return new %s($rt.ADOPT, $rt.fresh($p, $fn, 'a %s'));\n"
               "    if ($optional) return null;\n"
               "    throw new WasmgenError(`${$fn}: the module returned NULL for a %s`);\n  };\n",
               r->wrap, r->cls, r->js_name, r->name);
}

/* ---- Imports: the wasm imports that call options.imports.NAME. */

static void import_func(Buf *out, const Func *f) {
    /* A callback's wasm import is called with the user data (0 if none)
     * and, for a result JS writes into C's memory, where to write it. */
    buf_printf(out, "      %s(", f->is_callback ? f->export_name : f->name);
    int n = 0;
    if (f->raw_ret)
        buf_puts(out, n++ ? ", $ret" : "$ret");
    if (f->is_callback)
        buf_puts(out, n++ ? ", $ud" : "$ud");
    for (const Param *p = f->params; p; p = p->next) {
        const char *tmpl = abi_row(p->abi)->import_param;
        if (!tmpl)
            continue;
        if (n++)
            buf_puts(out, ", ");
        put(out, tmpl, &p->b, "", 0);
    }
    /* Resources C passes a callback are borrowed for its call: $cbo owns them. */
    bool borrows = false;
    for (const Param *p = f->params; p; p = p->next)
        borrows |= p->abi == ABI_CB_RESOURCE;
    buf_puts(out, ") {\n");
    /* A deferred callback's value for C once one has thrown: deferred(VALUE)'s, as the wasm result. */
    char skip[48] = "";
    if (f->deferred_value)
        snprintf(skip, sizeof skip, " %lld%s", (long long)f->deferred_int,
                 f->ret.kind == TK_SCALAR && strcmp(scalar_info(f->ret.id)->wasm, "i64") == 0 ? "n" : "");
    if (f->deferred) /* once one has thrown, C goes on without JS until it returns to the call */
        buf_printf(out, "        if ($rt.cbSkip()) return%s;\n", skip);
    buf_puts(out, "        $rt.inImport++;\n");
    if (borrows)
        buf_puts(out, "        const $cbo = $rt.cbOwner();\n");
    buf_puts(out, "        try {\n          $rt.sync();\n");
    for (const Param *p = f->params; p; p = p->next) {
        const char *tmpl = abi_row(p->abi)->import_decode;
        if (!tmpl)
            continue;
        Buf x = {0};
        buf_printf(&x, "%s$w", p->js_local);
        buf_puts(out, "          ");
        put(out, tmpl, &p->b, x.data, 10);
        buf_putc(out, '\n');
        buf_free(&x);
    }
    buf_puts(out, "          const $v = ");
    if (f->is_callback)
        buf_printf(out, "$rt.cbFind(%s, $ud)(", f->cb_codec);
    else
        buf_printf(out, "$u.%s(", f->js_name);
    n = 0;
    for (const Param *p = f->params; p; p = p->next)
        if (abi_row(p->abi)->import_decode)
            buf_printf(out, "%s%s", n++ ? ", " : "", p->js_local);
    buf_puts(out, ");\n");
    const char *ret = abi_row(f->ret_abi)->import_return;
    if (*ret) {
        buf_puts(out, "          ");
        abi_expand(out, ret, &f->rb, "", "$v", 10);
        buf_putc(out, '\n');
    }
    if (f->deferred) { /* held until C returns to the call that led to it (cbSettle) */
        buf_puts(out, "        } catch ($e) {\n          $rt.cbDefer($e);\n");
        if (*skip)
            buf_printf(out, "          return%s;\n", skip);
    }
    buf_puts(out, "        } finally {\n          $rt.inImport--;\n");
    if (borrows)
        buf_puts(out, "          $cbo.free();\n");
    buf_puts(out, "        }\n      },\n");
}

static void imports(Buf *out, const Module *m) {
    if (!m->imports && !m->callbacks) {
        buf_puts(out, "null");
        return;
    }
    /* options.imports, checked first (importFeature's imported()). */
    buf_puts(out, "{\n    build: ($rt, $u) => ($u = $rt.imported($u, [");
    for (const Func *f = m->imports; f; f = f->next)
        buf_printf(out, "%s'%s'", f == m->imports ? "" : ", ", f->js_name);
    buf_puts(out, "]), {\n");
    for (const Func *f = m->imports; f; f = f->next)
        import_func(out, f);
    /* Callbacks: each trampoline's import finds the JS function registered. */
    for (const Func *f = m->callbacks; f; f = f->next)
        import_func(out, f);
    buf_puts(out, "    }),\n  }");
}

/* A list item of the required exports, wrapped before 100 columns. */
static void export_item(Buf *out, int *n, size_t *col, const char *name) {
    size_t len = strlen(name) + 4;
    if (*n && *col + len > 96) {
        buf_puts(out, ",\n    ");
        *col = 4;
    } else if (*n) {
        buf_puts(out, ", ");
        *col += 2;
    }
    buf_printf(out, "'%s'", name);
    *col += len - 2;
    (*n)++;
}

/* A local of the exports' destructuring ($wg_f_add), wrapped like export_item. */
static void export_local(Buf *out, int *n, size_t *col, const char *name) {
    size_t len = strlen(name) + 3;
    if (*n && *col + len > 96) {
        buf_puts(out, ",\n    ");
        *col = 4;
    } else if (*n) {
        buf_puts(out, ", ");
        *col += 2;
    }
    buf_printf(out, "$%s", name);
    *col += len - 2;
    (*n)++;
}

/* What the generated names mean, for a reader of the module. */
static const char legend[] =
    "// Names with '$' are the generated code's own (IDL names cannot contain '$'):\n"
    "//   $rt the runtime, $required the exports it checks, $wg_f_NAME and $wg_r_...\n"
    "//   those the functions call, $x the module's exports, $T element types, $V\n"
    "//   scalar types; $E_ enums, $S_ structs ($SO_ nullable), $L_ lists ($LO_\n"
    "//   nullable), $O_ optional scalars, $R_ resource types, $C_ resource classes,\n"
    "//   $W_ wrap a returned pointer, $new_ constructors, $unwind $rt.unwind, $c_\n"
    "//   the exported constants and flag sets' values; in a\n"
    "//   function: $f its name (for error messages), x$p a pointer to the argument\n"
    "//   x in wasm memory, x$n its length, x$v its converted value, self$p the\n"
    "//   resource, $o the trailing options, $r the return area (enter() to\n"
    "//   release()), $v the result.\n";

/* The runtime's features (runtime/js: codecFeature, ...): the methods
 * only some modules' code calls on $rt, each in the feature object that holds
 * it. A generated module imports the features whose methods its code calls
 * and gives them to Runtime.create, which puts them on its runtime, so that a
 * bundler drops the others. This table is the one place that says which
 * feature holds a method: the features follow from the code emitted (the ABI
 * rows' templates and this file's), whatever ABI class asked for it. */
static const struct {
    const char *name, *methods; /* methods: space-separated, with a space at each end */
    bool handles;               /* needs handleFeature (the handles and their lifetimes) */
} FEATURES[] = {
    {"handleFeature", " ", true}, /* HANDLE_FEATURE: called by the runtime, not by generated code: see emit_js */
    {"noHandleFeature", " ", false}, /* NO_HANDLE_FEATURE: the same, in a module without handles (m.alloc throws) */
    {"codecFeature", " enumType structType listType stringField arrayField optType ", true},
    {"flagsFeature", " flagsType ", true},
    {"resourceFeature", " resourceType ", true},
    {"scalarFeature", " bad ", false},
    {"scalarCallFeature", " start ", false},
    {"arrayFeature", " arr ", true},
    {"arrayResultFeature", " takeArr ownArr ", true},
    {"inoutFeature", " inout back ", true},           /* (with arrayFeature's methods) */
    {"arrayOptFeature", " arrOpt inoutOpt ", true},   /* (with inoutFeature's) */
    {"outFeature", " out own opts ", true},
    {"strOptFeature", " strOpt ", false},
    {"resultFeature", " i53 owns givable fresh begin end abort ownStr takeStrBy peekStr dropStr dropArr arityRange ", false},
    {"throwsFeature", " failed raise raiseIf ", false},
    {"heapFeature", " pushHeap ", false},
    {"importFeature", " imported owned ownedOpt badResult cbStr cbArr cbStrs cbStruct cbWrite ownedArr ", true},
    {"callbackFeature", " callbackType cbCall cbStored cbOwned cbFind cbOwner cbSkip cbDefer cbSettle cbFirst ", true},
    {"cstrsFeature", " cstrs cstrsOpt ", false},
    {"followFeature", " follows ", true},
};
#define NFEATURES (sizeof FEATURES / sizeof FEATURES[0])
enum { HANDLE_FEATURE = 0, NO_HANDLE_FEATURE = 1 }; /* FEATURES' first rows */

/* FEATURES as (method, feature) pairs sorted by method, for a binary
 * search per $rt call (the emitted code of 10,000 functions has some
 * 150,000 of them). */
typedef struct FeatureMethod {
    char name[24];
    size_t len; /* strlen(name) */
    size_t feature;
} FeatureMethod;
enum { MAX_FEATURE_METHODS = 128 };

static int feature_method_cmp(const void *a, const void *b) {
    return strcmp(((const FeatureMethod *)a)->name, ((const FeatureMethod *)b)->name);
}

static size_t feature_methods(FeatureMethod *t) {
    size_t n = 0;
    for (size_t f = 0; f < NFEATURES; f++)
        for (const char *s = FEATURES[f].methods; *s;) {
            size_t k = strcspn(s, " ");
            if (k > 0 && k < sizeof t->name && n < MAX_FEATURE_METHODS) {
                memcpy(t[n].name, s, k);
                t[n].name[k] = '\0';
                t[n].len = k;
                t[n++].feature = f;
            }
            s += k + (s[k] == ' ');
        }
    qsort(t, n, sizeof *t, feature_method_cmp);
    return n;
}

/* Mark in `used` the features whose methods `code` (`len` bytes) calls on
 * $rt, in one pass. The methods are looked up among those of their first
 * letter (a few), without copying the name. */
static void scan_features(const char *code, size_t len, bool *used) {
    FeatureMethod table[MAX_FEATURE_METHODS];
    size_t ntable = feature_methods(table);
    size_t first[UCHAR_MAX + 2] = {0}; /* table[first[c]..first[c + 1]): the names starting with c */
    for (size_t j = 0; j < ntable; j++)
        first[(unsigned char)table[j].name[0] + 1] = j + 1;
    for (size_t c = 1; c < UCHAR_MAX + 2; c++)
        if (first[c] < first[c - 1])
            first[c] = first[c - 1];
    for (size_t i = 0; i + 4 <= len; i++) {
        const char *d = memchr(code + i, '$', len - i);
        if (d == NULL)
            break;
        i = (size_t)(d - code);
        if (i + 4 > len || memcmp(code + i, "$rt.", 4) != 0)
            continue;
        const char *name = code + i + 4;
        size_t n = 0;
        while (isalnum((unsigned char)name[n]) || name[n] == '_' || name[n] == '$')
            n++;
        unsigned char c = (unsigned char)name[0];
        for (size_t j = first[c]; n < sizeof table->name && j < first[c + 1]; j++) /* (a method of several features: each) */
            if (table[j].len == n && memcmp(table[j].name, name, n) == 0)
                used[table[j].feature] = true;
        i += 3 + n;
    }
}

void emit_js(const Module *m, const EmitOptions *o, Buf *out) {
    Arena *a = arena_new();
    bool codecs_used = m->enums || m->structs || m->codecs;
    /* The code after the import line is written first, then the features
     * it calls (see FEATURES) are inserted: in the import line and in the
     * list given to Runtime.create. One copy of the output in memory. */
    Buf feats = {0};
    emit_banner(out, "//", m, o, ".mjs");
    size_t at_unfreed = 0, at_runtime = 0;
    if (o->inline_runtime) {
        buf_puts(out, "\n// ---- The wasmgen JS runtime, inlined (--js-runtime=inline).\n");
        at_runtime = out->len; /* with or without the handles' parts, once the features are known (the end) */
        if (codecs_used) /* only the parts the module uses (WASI: whether the C does is not known here) */
            buf_puts(out, o->runtime_codecs_js);
        buf_puts(out, o->runtime_wasi_js);
        at_unfreed = out->len; /* the part for unfreed handles, once the features are known (see the end) */
        buf_puts(out, "// ---- End of the wasmgen JS runtime.\n");
    }
    size_t at_import = out->len;
    /* The library's constants (the glue checks them against its header),
     * and each flag set's bits by name (what its parameters take as a
     * number). Their bindings are $c_NAME, exported under their names: a
     * name of the runtime's (Runtime, describe: the inlined runtime's are
     * the module's own) cannot collide with them. */
    Buf exports = {0};
    if (m->consts)
        buf_putc(out, '\n');
    for (const Const *c = m->consts; c; c = c->next) {
        emit_doc(out, 0, c->doc, NULL);
        buf_printf(out, "const $c_%s = %lld;\n", c->name, (long long)c->value);
        buf_printf(&exports, "%s$c_%s as %s", exports.len ? ", " : "", c->name, c->name);
    }
    for (const Enum *en = m->enums; en; en = en->next) {
        if (!en->is_flags)
            continue;
        buf_putc(out, '\n');
        emit_doc(out, 0, en->doc, NULL);
        buf_printf(out, "const $c_%s = Object.freeze({ ", en->ts_name);
        for (const EnumValue *v = en->values; v; v = v->next)
            buf_printf(out, "%s%s: 0x%llx", v == en->values ? "" : ", ", v->name, (unsigned long long)v->value);
        buf_puts(out, " });\n");
        buf_printf(&exports, "%s$c_%s as %s", exports.len ? ", " : "", en->ts_name, en->ts_name);
    }
    if (exports.len)
        buf_printf(out, "export { %s };\n", exports.data);
    buf_free(&exports);
    buf_putc(out, '\n');
    buf_puts(out, legend);
    buf_putc(out, '\n');
    emit_doc(out, 0, m->doc, NULL);
    if (m->doc)
        buf_putc(out, '\n');
    const char *lines[] = {
        "Compile and instantiate the module.",
        arena_printf(a, "Without a source (or with null), %s.wasm is loaded from beside this file:", m->name),
        "Node reads it, browsers compile it while it streams in; bundlers see the",
        "`new URL(..., import.meta.url)` below and ship the file.",
        "@param {BufferSource | WebAssembly.Module | Response | URL | PromiseLike<Response>} [source]",
        "@param {import('./wasmgen-runtime.mjs').InstantiateOptions} [options]", NULL};
    emit_doc(out, 0, NULL, lines);
    buf_puts(out, "export async function instantiate(source, options = {}) {\n");
    buf_printf(out, "  source ?" "?= new URL('./%s.wasm', import.meta.url);\n", m->name); /* no trigraph */
    /* The exports the generated code calls, checked by Runtime.create, then
     * held in locals ($wg_f_NAME: a minifier shortens those, never property
     * names); the resources' destructors, which the runtime calls, last. */
    buf_puts(out, "  const $required = [\n    ");
    int n = 0;
    size_t col = 4;
    for (const Func *f = m->funcs; f; f = f->next)
        export_item(out, &n, &col, f->export_name);
    for (const Resource *r = m->resources; r; r = r->next) {
        if (r->ctor)
            export_item(out, &n, &col, r->ctor->export_name);
        for (const Func *f = r->ctors; f; f = f->next)
            export_item(out, &n, &col, f->export_name);
        for (const Func *f = r->methods; f; f = f->next)
            export_item(out, &n, &col, f->export_name);
    }
    int ncalled = n;
    for (const Resource *r = m->resources; r; r = r->next)
        export_item(out, &n, &col, r->drop_export);
    for (int i = 0; i < m->nfree_fns; i++) /* (passed as $x.wg_x_free_FN: checked all the same) */
        export_item(out, &n, &col, arena_printf(a, FREE_FN_EXPORT "%s", m->free_fns[i]));
    buf_puts(out, "\n  ];\n");
    buf_printf(out, "  const $rt = await Runtime.create(source, options, '%s', $required, ", m->name);
    imports(out, m);
    /* WASI (and the import object) is loaded only for a wasm module that
     * imports WASI or raw imports: in file mode, the file beside this one
     * (bundlers make it a chunk of its own). */
    buf_printf(out, ", %d, %s, [", RUNTIME_VERSION,
               o->inline_runtime ? "async () => ({ importObject })" : "() => import('./" WASMGEN_RUNTIME_WASI_NAME "')");
    size_t at_list = out->len;
    buf_puts(out, "]);\n");
    if (ncalled > 0) {
        buf_puts(out, "  const [");
        n = 0;
        col = 9;
        for (const Func *f = m->funcs; f; f = f->next)
            export_local(out, &n, &col, f->export_name);
        for (const Resource *r = m->resources; r; r = r->next) {
            if (r->ctor)
                export_local(out, &n, &col, r->ctor->export_name);
            for (const Func *f = r->ctors; f; f = f->next)
                export_local(out, &n, &col, f->export_name);
            for (const Func *f = r->methods; f; f = f->next)
                export_local(out, &n, &col, f->export_name);
        }
        buf_puts(out, "] = $required.map((e) => $rt.exports[e]);\n");
    }
    /* `const $x = $rt.exports, $T = types, $V = scalars, $unwind = ...;` goes
     * here, each if the code uses it ($x: the few exports it passes rather
     * than calls, %K). $unwind: every function's catch calls $rt.unwind; from
     * three functions on, through a local, which a minifier shortens (an
     * error path: the indirection costs nothing that matters). */
    size_t at_decl = out->len;
    bool unwind_local = ncalled >= 3 || m->defers;
    const char *unwind = unwind_local ? "$unwind" : "$rt.unwind";
    codecs(out, m);
    if (m->borrows) /* before any handle is made: borrowed handles follow their object to a new owner */
        buf_puts(out, "  $rt.follows();\n");
    for (const Resource *r = m->resources; r; r = r->next)
        resource_class(out, a, r, unwind);
    buf_puts(out, "  return $rt.finish({");
    for (const Func *f = m->funcs; f; f = f->next)
        function(out, f, arena_printf(a, "    %s", f->js_name), ",", 6, unwind);
    for (const Resource *r = m->resources; r; r = r->next)
        buf_printf(out, "    %s: %s,\n", r->js_name, r->cls);
    buf_puts(out, m->funcs || m->resources ? "  });\n}\n" : "});\n}\n");
    bool used[NFEATURES] = {0};
    scan_features(out->data + at_import, out->len - at_import, used);
    /* The handles, for a module whose JS can meet one, and for any feature
     * leaning on them (module_has_handles should have said so already);
     * otherwise the stand-ins of m.alloc and m.from, which throw. */
    bool handles = m->handles;
    for (size_t i = 0; i < NFEATURES; i++)
        handles = handles || (used[i] && FEATURES[i].handles);
    used[HANDLE_FEATURE] = handles;
    used[NO_HANDLE_FEATURE] = !handles;
    for (size_t i = 0; i < NFEATURES; i++)
        if (used[i])
            buf_printf(&feats, ", %s", FEATURES[i].name);
    /* (a Buf ends with a NUL) */
    bool types_used = strstr(out->data + at_decl, "$T.") != NULL, x_used = strstr(out->data + at_decl, "$x.") != NULL;
    /* Inserted from the last position back, so that the earlier ones hold. */
    const char *decls[] = {x_used ? "$x = $rt.exports" : NULL, types_used ? "$T = types" : NULL,
                           codecs_used ? "$V = scalars" : NULL,
                           !unwind_local ? NULL
                           : m->defers  ? "$unwind = (e) => $rt.unwind($rt.cbFirst(e))" /* the first exception wins */
                                        : "$unwind = (e) => $rt.unwind(e)"};
    Buf decl = {0};
    for (size_t i = 0; i < sizeof decls / sizeof decls[0]; i++)
        if (decls[i])
            buf_printf(&decl, "%s%s", decl.len ? ", " : "  const ", decls[i]);
    if (decl.len) {
        buf_puts(&decl, ";\n");
        buf_insert(out, at_decl, decl.data, decl.len);
    }
    buf_free(&decl);
    if (feats.len)
        buf_insert(out, at_list, feats.data + 2, feats.len - 2);
    /* The part for unfreed handles and debugging, which the runtime file
     * loads on demand (file-exports.mjs): here, at hand, in a module with
     * handles (only their Lifetime loads it). */
    if (o->inline_runtime && handles) {
        static const char loader[] = "function loadUnfreed() { return Promise.resolve({ Unfreed }); }\n";
        buf_insert(out, at_unfreed, loader, sizeof loader - 1);
        buf_insert(out, at_unfreed, o->runtime_unfreed_js, strlen(o->runtime_unfreed_js));
    }
    /* The runtime itself: without the handles' parts where the module has none. */
    if (o->inline_runtime) {
        const char *rt = handles ? o->runtime_js : o->runtime_lean_js;
        buf_insert(out, at_runtime, rt, strlen(rt));
    }
    if (!o->inline_runtime) {
        Buf line = {0};
        buf_printf(&line, "import { Runtime, WasmgenError%s%s%s%s } from './wasmgen-runtime.mjs';\n"
                          "export { %sWasmgenError%s } from './wasmgen-runtime.mjs';\n",
                   m->resources ? ", Resource" : "", types_used ? ", types" : "", codecs_used ? ", scalars" : "",
                   feats.len ? feats.data : "", handles ? "WasmArray, " : "", m->resources ? ", Resource" : "");
        buf_insert(out, at_import, line.data, line.len);
        buf_free(&line);
    }
    buf_free(&feats);
    arena_free(a);
}
