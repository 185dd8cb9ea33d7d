// host.c - demo.mjs again, natively: Debian's expat, unmodified, compiled to
// wasm and run sandboxed through wasm2c, called through the generated C API
// (`make run-host` here; make check compares its output with demo.mjs's).
// The handlers are C functions the parser keeps (`stored(self)`): set with
// their `void *`, replaced by the next one set, released when the parser's
// handle is freed. They may call into the instance (line(), column()).
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "expat_host.h"

static expat_host *x;

static void check(int status) {
    if (status != WG_HOST_OK) {
        fprintf(stderr, "%s (%s)\n", expat_host_error(x), wg_host_status_name(status));
        exit(1);
    }
}

// What the handlers share: the parser they report on, and the depth.
typedef struct {
    expat_host_parser *parser;
    int depth;
} state;

static void indent(int depth) {
    for (int i = 0; i < depth; i++)
        fputs("  ", stdout);
}

// The text as JSON.stringify writes it.
static void json(const char *s, size_t n) {
    putchar('"');
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '"' || c == '\\')
            printf("\\%c", c);
        else if (c == '\n')
            fputs("\\n", stdout);
        else if (c == '\t')
            fputs("\\t", stdout);
        else if (c == '\r')
            fputs("\\r", stdout);
        else if (c < 0x20)
            printf("\\u%04x", c);
        else
            putchar(c);
    }
    putchar('"');
}

static void on_start(void *user, const char *name, size_t name_len, const char *const *attributes,
                     size_t attributes_len) {
    (void)name_len;
    state *s = user;
    indent(s->depth++);
    printf("<%s> ", name);
    for (size_t i = 0; i + 1 < attributes_len; i += 2)
        printf("%s%s=%s", i ? " " : "", attributes[i], attributes[i + 1]);
    uint32_t line = 0, column = 0;
    check(expat_host_parser_line(x, s->parser, &line)); // a call into the instance, from its callback
    check(expat_host_parser_column(x, s->parser, &column));
    printf("  (line %u, column %u)\n", (unsigned)line, (unsigned)column);
}

static void on_end(void *user, const char *name, size_t name_len) {
    (void)name_len;
    state *s = user;
    indent(--s->depth);
    printf("</%s>\n", name);
}

static void on_text(void *user, const char *text, size_t len) {
    state *s = user;
    size_t blank = 0;
    while (blank < len && strchr(" \t\r\n", text[blank]))
        blank++;
    if (blank == len)
        return; // whitespace between elements, as demo.mjs skips it
    indent(s->depth);
    fputs("text: ", stdout);
    json(text, len);
    putchar('\n');
}

static void on_comment(void *user, const char *data, size_t len) {
    state *s = user;
    indent(s->depth);
    fputs("comment: ", stdout);
    json(data, len);
    putchar('\n');
}

static void on_pi(void *user, const char *target, size_t target_len, const char *data, size_t data_len) {
    (void)target_len;
    (void)data_len;
    state *s = user;
    indent(s->depth);
    printf("pi: %s %s\n", target, data);
}

static const char *status_name(enum XML_Status st) {
    return st == XML_STATUS_OK ? "OK" : st == XML_STATUS_ERROR ? "ERROR" : "SUSPENDED";
}

int main(void) {
    if (expat_host_new(&x, NULL) != WG_HOST_OK) {
        fprintf(stderr, "%s\n", expat_host_error(NULL));
        return 1;
    }
    char *version = NULL;
    check(expat_host_version(x, &version));
    printf("expat %s\n", version);
    free(version);

    const char *doc = "<?xml version=\"1.0\"?>\n"
                      "<menu lang=\"en\">\n"
                      "  <!-- today -->\n"
                      "  <item price=\"3.50\" id=\"1\">Soup &amp; bread</item>\n"
                      "  <?kitchen hot?>\n"
                      "  <item id=\"2\" price=\"4\">Pie</item>\n"
                      "</menu>";
    state s = {NULL, 0};
    check(expat_host_parser_new(x, NULL, 0, &s.parser)); // NULL: the document's own encoding
    check(expat_host_parser_on_element(x, s.parser, on_start, &s, on_end, &s));
    check(expat_host_parser_on_text(x, s.parser, on_text, &s));
    check(expat_host_parser_on_comment(x, s.parser, on_comment, &s));
    check(expat_host_parser_on_processing_instruction(x, s.parser, on_pi, &s));
    enum XML_Status st;
    check(expat_host_parser_parse(x, s.parser, (const uint8_t *)doc, strlen(doc), true, &st));
    printf("%s\n", status_name(st));

    // An error: parse() says ERROR, the parser says why and where.
    expat_host_parser *bad = NULL;
    check(expat_host_parser_new(x, NULL, 0, &bad));
    const char *broken = "<a><b></a>";
    check(expat_host_parser_parse(x, bad, (const uint8_t *)broken, strlen(broken), true, &st));
    if (st == XML_STATUS_ERROR) {
        int32_t code = 0;
        uint32_t line = 0, column = 0;
        char *why = NULL;
        check(expat_host_parser_error_code(x, bad, &code));
        check(expat_host_error_string(x, code, &why));
        check(expat_host_parser_line(x, bad, &line));
        check(expat_host_parser_column(x, bad, &column));
        printf("error: %s at line %u, column %u\n", why, (unsigned)line, (unsigned)column);
        free(why);
    }
    check(expat_host_parser_free(x, bad));
    check(expat_host_parser_free(x, s.parser));
    wg_host_stats stats;
    check(expat_host_stats(x, &stats));
    printf("live callbacks after free(): %llu\n", (unsigned long long)stats.live_callbacks);
    expat_host_free(x);
    return 0;
}
