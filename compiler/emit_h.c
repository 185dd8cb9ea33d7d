/* emit_h.c - NAME.h: the prototypes the C implementation provides. */
#include <ctype.h>
#include <string.h>

#include "emit.h"

/* Notes the header adds to a function's doc: where out arrays get their
 * length, and who owns what is returned. */
static void notes(const Func *f, Buf *out) {
    enum { MAX_NOTES = 64 };
    Buf lines[MAX_NOTES] = {{0}};
    const char *ptrs[MAX_NOTES + 1];
    int n = 0;
    for (const Param *p = f->params; p && n < MAX_NOTES - 1; p = p->next) {
        if (!p->len_note)
            continue;
        buf_printf(&lines[n], "@param %s room for %s.", p->name, p->len_note);
        ptrs[n] = lines[n].data;
        n++;
    }
    if (abi_row(f->ret_abi)->c_note) {
        buf_puts(&lines[n], abi_row(f->ret_abi)->c_note);
        ptrs[n] = lines[n].data;
        n++;
    }
    ptrs[n] = NULL;
    emit_doc(out, 0, f->doc, ptrs);
    for (int i = 0; i < n; i++)
        buf_free(&lines[i]);
}

/* A prototype: doc, return type, name, parameters. */
static void prototype(Buf *out, const Func *f, const char *attrs) {
    buf_putc(out, '\n');
    notes(f, out);
    if (attrs)
        buf_printf(out, "%s\n", attrs);
    emit_c_return(out, f);
    if (out->data[out->len - 1] != '*')
        buf_putc(out, ' ');
    buf_printf(out, "%s(", f->c_name);
    emit_c_params(out, f);
    buf_puts(out, ");\n");
}

static void field(Buf *out, const Field *f) {
    if (f->doc)
        emit_doc(out, 4, f->doc, NULL);
    buf_printf(out, "    %s;\n", f->c_decl);
}

/* Is a library enum's C type a name it may be declared under (tk_status),
 * rather than an integer type (`as "int"`)? */
static bool enum_type_name(const char *t) {
    static const char *const ints[] = {"char", "short", "int", "long", "signed", "unsigned", "size_t", "ptrdiff_t",
                                       "int8_t", "int16_t", "int32_t", "int64_t", "uint8_t", "uint16_t",
                                       "uint32_t", "uint64_t", NULL};
    for (const char *c = t; *c; c++)
        if (!(isalnum((unsigned char)*c) || *c == '_'))
            return false;
    for (int i = 0; ints[i]; i++)
        if (strcmp(t, ints[i]) == 0)
            return false;
    return true;
}

/* The library's types as the IDL gives them (`as "C type"`), for
 * NAME_host.h: a host program does not have the library's header (the
 * library runs in the sandbox), so they are declared here under the
 * library's own names; a file must not include both. An enum over an
 * integer type (`as "int"`) gives its values only. */
void emit_library_types(const Module *m, Buf *out) {
    for (const Enum *en = m->enums; en; en = en->next) {
        if (!en->c_type)
            continue;
        bool tagged = strncmp(en->c_type, "enum ", 5) == 0, named = !tagged && enum_type_name(en->c_type);
        bool again = false; /* the same library enum type bound twice: declared once */
        for (const Enum *e = m->enums; e != en && !again && (tagged || named); e = e->next)
            again = e->c_type && strcmp(e->c_type, en->c_type) == 0;
        if (again)
            continue;
        buf_putc(out, '\n');
        emit_doc(out, 0, en->doc, NULL);
        if (en->is_flags && !tagged && !named) { /* bits of an integer type: the library's macros */
            for (const EnumValue *v = en->values; v; v = v->next)
                buf_printf(out, "#define %s ((%s)0x%llxu)\n", v->c_name, en->c_type, (unsigned long long)v->value);
            continue;
        }
        if (tagged)
            buf_printf(out, "%s {\n", en->c_type); /* enum tag { ... } */
        else if (named)
            buf_printf(out, "typedef enum %s {\n", en->c_type);
        else
            buf_puts(out, "enum {\n"); /* an integer type: the values only */
        for (const EnumValue *v = en->values; v; v = v->next)
            buf_printf(out, "    %s = %lld,\n", v->c_name, (long long)v->value);
        buf_printf(out, "}%s%s;\n", named ? " " : "", named ? en->c_type : "");
    }
    for (int i = 0; i < m->nstructs; i++) {
        const Struct *st = m->ordered_structs[i];
        if (!st->c_type)
            continue;
        bool again = false;
        for (int k = 0; k < i && !again; k++)
            again = m->ordered_structs[k]->c_type && strcmp(m->ordered_structs[k]->c_type, st->c_type) == 0;
        if (again)
            continue;
        bool tagged = strncmp(st->c_type, "struct ", 7) == 0;
        buf_putc(out, '\n');
        emit_doc(out, 0, st->doc, NULL);
        buf_printf(out, "%s%s {\n", tagged ? "" : "typedef struct ", st->c_type);
        for (const Field *f = st->fields; f; f = f->next)
            field(out, f);
        buf_printf(out, "}%s%s;\n", tagged ? "" : " ", tagged ? "" : st->c_type);
    }
}

/* The module's own types: enums, structs, list types (the library's, for a
 * binding, come from its header). NAME.h and NAME_host.h both print them,
 * under one guard, so that a file may include both. */
void emit_c_types(const Module *m, Buf *out) {
    bool any = false;
    for (const Enum *en = m->enums; en; en = en->next)
        any |= !en->c_type;
    for (const Struct *st = m->structs; st; st = st->next)
        any |= !st->c_type;
    if (!any)
        return;
    Buf guard = {0};
    buf_puts(&guard, "WASMGEN_");
    for (const char *s = m->name; *s; s++)
        buf_putc(&guard, (char)toupper((unsigned char)*s));
    buf_puts(&guard, "_TYPES");
    buf_printf(out, "\n#ifndef %s\n#define %s\n", guard.data, guard.data);
    for (const Enum *en = m->enums; en; en = en->next) {
        if (en->c_type)
            continue; /* the library's */
        buf_putc(out, '\n');
        emit_doc(out, 0, en->doc, NULL);
        if (en->is_flags) { /* a set of bits: the values may not fit in an int, an enum constant's type */
            buf_printf(out, "typedef uint32_t %s;\n", en->c_name);
            for (const EnumValue *v = en->values; v; v = v->next) {
                if (v->doc)
                    emit_doc(out, 0, v->doc, NULL);
                buf_printf(out, "#define %s 0x%llxu\n", v->c_name, (unsigned long long)v->value);
            }
            continue;
        }
        buf_printf(out, "typedef enum %s {\n", en->c_name);
        for (const EnumValue *v = en->values; v; v = v->next) {
            if (v->doc)
                emit_doc(out, 4, v->doc, NULL);
            buf_printf(out, "    %s = %lld,\n", v->c_name, (long long)v->value);
        }
        buf_printf(out, "} %s;\n", en->c_name);
    }

    bool own_types = false;
    for (const Struct *st = m->structs; st; st = st->next)
        own_types |= !st->c_type;
    if (own_types)
        buf_putc(out, '\n');
    for (const Struct *st = m->structs; st; st = st->next)
        if (!st->c_type)
            buf_printf(out, "typedef struct %s %s;\n", st->c_name, st->c_name);
    /* Structs after the structs they hold by value. */
    for (int i = 0; i < m->nstructs; i++) {
        const Struct *st = m->ordered_structs[i];
        if (st->c_type)
            continue;
        buf_putc(out, '\n');
        emit_doc(out, 0, st->doc, NULL);
        buf_printf(out, "struct %s {\n", st->c_name);
        for (const Field *f = st->fields; f; f = f->next)
            field(out, f);
        buf_puts(out, "};\n");
    }
    for (const Struct *st = m->structs; st; st = st->next)
        if (st->used_as_list && !st->c_type)
            buf_printf(out, "\n/* A %s[] returned: ptr from malloc, len elements. */\n"
                            "typedef struct %s_array { %s *ptr; size_t len; } %s_array;\n",
                       st->name, st->c_name, st->c_name, st->c_name);
    buf_printf(out, "\n#endif /* %s */\n", guard.data);
    buf_free(&guard);
}

void emit_h(const Module *m, const EmitOptions *o, Buf *out) {
    buf_puts(out, "/*\n");
    emit_banner(out, " *", m, o, ".h");
    buf_puts(out, " *\n"
                  " * Implement every function declared here, include this header, and\n"
                  " * compile the implementation with the glue into one wasm module.\n"
                  " */\n");
    Buf guard = {0};
    buf_puts(&guard, "WASMGEN_");
    for (const char *s = m->c_prefix; *s; s++)
        buf_putc(&guard, (char)toupper((unsigned char)*s));
    buf_puts(&guard, "_H");
    buf_printf(out, "#ifndef %s\n#define %s\n\n#include <wasmgen.h>\n\n", guard.data, guard.data);
    /* The library a module binds: its own declarations, never repeated here. */
    for (const Include *inc = m->includes; inc; inc = inc->next)
        buf_printf(out, "#include \"%s\"\n", inc->path);
    if (m->includes)
        buf_putc(out, '\n');
    buf_puts(out, "#ifdef __cplusplus\nextern \"C\" {\n#endif\n");
    if (m->doc) {
        buf_putc(out, '\n');
        emit_doc(out, 0, m->doc, NULL);
    }

    emit_c_types(m, out);
    bool own_resources = false;
    for (const Resource *r = m->resources; r; r = r->next)
        own_resources |= !r->c_type;
    if (own_resources)
        buf_putc(out, '\n');
    for (const Resource *r = m->resources; r; r = r->next)
        if (!r->c_type)
            buf_printf(out, "typedef struct %s %s; /* defined by the implementation */\n", r->c_name,
                       r->c_name);

    if (m->callbacks) {
        buf_puts(out, "\n/* ---- Callbacks: JavaScript functions C calls through these pointer types. */\n");
        for (const Func *f = m->callbacks; f; f = f->next) {
            buf_putc(out, '\n');
            emit_doc(out, 0, f->doc, NULL);
            buf_puts(out, "typedef ");
            emit_c_return(out, f);
            if (out->data[out->len - 1] != '*')
                buf_putc(out, ' ');
            buf_printf(out, "(*%s)(", f->c_type);
            emit_c_params(out, f);
            buf_puts(out, ");\n");
        }
    }
    if (m->imports) {
        buf_puts(out, "\n/* ---- Imports: JavaScript provides these (options.imports); call them from C. */\n");
        for (const Func *f = m->imports; f; f = f->next) {
            Buf attrs = {0};
            if (!f->wrapped) /* else the glue defines it, calling the wasm import */
                buf_printf(&attrs, "__attribute__((import_module(\"wasmgen:%s\"), import_name(\"%s\")))",
                           m->name, f->name);
            prototype(out, f, f->wrapped ? NULL : attrs.data);
            buf_free(&attrs);
        }
        buf_puts(out, "\n/* ---- Functions: implement these. */\n");
    }
    for (const Func *f = m->funcs; f; f = f->next)
        if (!f->bind)
            prototype(out, f, NULL);

    for (const Resource *r = m->resources; r; r = r->next) {
        if (r->c_type)
            continue; /* the library's, bound */
        buf_printf(out, "\n/* ---- Resource %s: define struct %s and implement these. */\n", r->name,
                   r->c_name);
        if (r->doc)
            emit_doc(out, 0, r->doc, NULL);
        if (r->ctor)
            prototype(out, r->ctor, NULL);
        for (const Func *f = r->methods; f; f = f->next)
            prototype(out, f, NULL);
        buf_printf(out, "\n/** Free everything %s_new made; called once per handle (free(), dispose or GC). */\n"
                        "void %s_drop(%s *self);\n",
                   r->c_name, r->c_name, r->c_name);
    }
    buf_printf(out, "\n#ifdef __cplusplus\n}\n#endif\n\n#endif /* %s */\n", guard.data);
    buf_free(&guard);
}
