/* emit_h.c - NAME.h: the prototypes the C implementation provides. */
#include <ctype.h>

#include "emit.h"

/* Notes the header adds to a function's doc: where out arrays get their
 * length, and who owns what is returned. */
static void notes(const Module *m, const Func *f, Buf *out) {
    (void)m;
    enum { MAX_NOTES = 64 };
    Buf lines[MAX_NOTES] = {{0}};
    const char *ptrs[MAX_NOTES + 1];
    int n = 0;
    for (const Param *p = f->params; p && n < MAX_NOTES - 1; p = p->next) {
        if (p->abi != ABI_OUT_ARRAY)
            continue;
        const TypeRef *t = &p->type;
        if (t->len_kind == LEN_LITERAL)
            buf_printf(&lines[n], "@param %s room for %llu elements.", p->name,
                       (unsigned long long)t->len_value);
        else if (t->len_kind == LEN_PARAM)
            buf_printf(&lines[n], "@param %s room for `%s` elements.", p->name, t->len_name);
        else
            buf_printf(&lines[n], "@param %s room for `%s_len` elements.", p->name, t->len_name);
        ptrs[n] = lines[n].data;
        n++;
    }
    if (f->ret_abi == ABI_RET_STRING || f->ret_abi == ABI_RET_ARRAY) {
        buf_puts(&lines[n], f->ret_abi == ABI_RET_STRING
                                ? "@return a NUL-terminated string from malloc (NULL for null); the caller frees it."
                                : "@return .ptr from malloc, .len elements; the caller frees .ptr.");
        ptrs[n] = lines[n].data;
        n++;
    }
    ptrs[n] = NULL;
    emit_doc(out, 0, f->doc, ptrs);
    for (int i = 0; i < n; i++)
        buf_free(&lines[i]);
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
    for (const char *s = m->name; *s; s++)
        buf_putc(&guard, (char)toupper((unsigned char)*s));
    buf_puts(&guard, "_H");
    buf_printf(out, "#ifndef %s\n#define %s\n\n#include <wasmgen.h>\n\n", guard.data, guard.data);
    buf_puts(out, "#ifdef __cplusplus\nextern \"C\" {\n#endif\n");
    if (m->doc) {
        buf_putc(out, '\n');
        emit_doc(out, 0, m->doc, NULL);
    }
    for (const Func *f = m->funcs; f; f = f->next) {
        buf_putc(out, '\n');
        notes(m, f, out);
        emit_c_return(out, f);
        buf_printf(out, "%s%s(", f->ret_abi == ABI_RET_STRING ? "" : " ", f->c_name);
        emit_c_params(out, f);
        buf_puts(out, ");\n");
    }
    buf_printf(out, "\n#ifdef __cplusplus\n}\n#endif\n\n#endif /* %s */\n", guard.data);
    buf_free(&guard);
}
