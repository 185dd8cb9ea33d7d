/* emit_pkg.c - package.json for `wasmgen --package`: the output directory,
 * with NAME.wasm built beside the other files, is then an npm package. ES
 * module only ("type": "module"); `exports` lists the types condition first
 * (TypeScript takes the first condition that matches); `files` is what
 * `npm pack` takes; `sideEffects: false` lets bundlers drop it when unused. */
#include "emit.h"

#include <ctype.h>
#include <string.h>

#include "wasmgen.h"

/* A JSON string literal. */
static void json_str(Buf *out, const char *s, size_t n) {
    buf_putc(out, '"');
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '"' || c == '\\')
            buf_printf(out, "\\%c", c);
        else if (c == '\n')
            buf_puts(out, "\\n");
        else if (c == '\t')
            buf_puts(out, "\\t");
        else if (c < 0x20 || c == 0x7f)
            buf_printf(out, "\\u%04x", c);
        else
            buf_putc(out, (char)c);
    }
    buf_putc(out, '"');
}

static void json_cstr(Buf *out, const char *s) { json_str(out, s, strlen(s)); }

const char *emit_package_name(const Module *m, Arena *a) {
    /* The module's name, lowercased, without leading '_' or '.'. */
    const char *s = m->name;
    while (*s == '_' || *s == '.')
        s++;
    char *name = arena_printf(a, "%s", *s ? s : "module");
    for (char *p = name; *p; p++)
        *p = (char)tolower((unsigned char)*p);
    return name;
}

void emit_package(const Module *m, const PackageOptions *po, Buf *out) {
    buf_puts(out, "{\n  \"name\": ");
    json_cstr(out, po->name);
    buf_puts(out, ",\n  \"version\": ");
    json_cstr(out, po->version);
    if (m->doc) { /* the module doc's first line */
        buf_puts(out, ",\n  \"description\": ");
        json_str(out, m->doc, strcspn(m->doc, "\n"));
    }
    buf_printf(out,
               ",\n  \"type\": \"module\",\n"
               "  \"main\": \"./%s.mjs\",\n"
               "  \"types\": \"./%s.d.ts\",\n"
               "  \"exports\": {\n"
               "    \".\": {\n"
               "      \"types\": \"./%s.d.ts\",\n"
               "      \"default\": \"./%s.mjs\"\n"
               "    },\n"
               "    \"./%s.wasm\": \"./%s.wasm\",\n"
               "    \"./package.json\": \"./package.json\"\n"
               "  },\n"
               "  \"files\": [\n"
               "    \"%s.mjs\",\n"
               "    \"%s.d.ts\",\n"
               "    \"%s.d.mts\",\n"
               "    \"%s.wasm\"%s\n"
               "  ],\n"
               "  \"sideEffects\": false\n"
               "}\n",
               m->name, m->name, m->name, m->name, m->name, m->name, m->name, m->name, m->name,
               m->name, po->runtime_file ? ",\n    \"" WASMGEN_RUNTIME_JS_NAME "\",\n    \"" WASMGEN_RUNTIME_WASI_NAME
               "\",\n    \"" WASMGEN_RUNTIME_UNFREED_NAME "\"" : "");
}
