// host.c - demo.mjs again, natively: Debian's md4c, unmodified, compiled to
// wasm and run sandboxed through wasm2c, called through the generated C API
// (`make run-host` here; make check compares its output with demo.mjs's).
// md4c_host.h declares md4c's flag macros under md4c's own names; the
// output callback is a C function with its `void *`.
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "md4c_host.h"

static md4c_host *md;

static void check(int status) {
    if (status != WG_HOST_OK) {
        fprintf(stderr, "%s (%s)\n", md4c_host_error(md), wg_host_status_name(status));
        exit(1);
    }
}

// The HTML, gathered piece by piece as md4c writes it.
typedef struct {
    char *text;
    size_t len;
} html;

static void gather(void *user, const char *piece, size_t n) {
    html *h = user;
    char *t = realloc(h->text, h->len + n + 1);
    if (t == NULL)
        abort();
    memcpy(t + h->len, piece, n);
    h->len += n;
    t[h->len] = '\0';
    h->text = t;
}

static void render(const char *text, unsigned parser, unsigned renderer) {
    html h = {NULL, 0};
    check(md4c_host_render(md, text, strlen(text), gather, &h, parser, renderer));
    fputs(h.text ? h.text : "", stdout);
    free(h.text);
}

int main(void) {
    if (md4c_host_new(&md, NULL) != WG_HOST_OK) {
        fprintf(stderr, "%s\n", md4c_host_error(NULL));
        return 1;
    }
    const char *doc = "# Shopping\n"
                      "\n"
                      "| item  | price |\n"
                      "| ----- | ----: |\n"
                      "| bread |  2.50 |\n"
                      "\n"
                      "- [x] ~~milk~~\n"
                      "- [ ] eggs, see www.example.com\n";
    printf("CommonMark (no flags):\n");
    render(doc, 0, 0);
    printf("\nGitHub's dialect (md4c's MD_DIALECT_GITHUB):\n");
    render(doc, MD_FLAG_PERMISSIVEAUTOLINKS | MD_FLAG_TABLES | MD_FLAG_STRIKETHROUGH | MD_FLAG_TASKLISTS,
           MD_HTML_FLAG_XHTML);
    printf("\nParser.TABLES = 0x%x, Parser.PERMISSIVEAUTOLINKS = 0x%x, Renderer.XHTML = %u\n", MD_FLAG_TABLES,
           MD_FLAG_PERMISSIVEAUTOLINKS, MD_HTML_FLAG_XHTML);
    render("a ~~b~~", MD_FLAG_STRIKETHROUGH, 0);
    // A bit md4c.h does not define is refused, as JS refuses a flag it does not have.
    html h = {NULL, 0};
    int status = md4c_host_render(md, doc, strlen(doc), gather, &h, MD_FLAG_TABLES | 0x80, 0);
    printf("refused: %s: %s\n", wg_host_status_name(status), md4c_host_error(md));
    free(h.text);
    wg_host_stats stats;
    check(md4c_host_stats(md, &stats));
    printf("live allocations: %llu, live callbacks: %llu\n", (unsigned long long)stats.live_count,
           (unsigned long long)stats.live_callbacks);
    md4c_host_free(md);
    return 0;
}
