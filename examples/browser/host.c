// host.c - the page's calls again (main.mjs's table), natively: the browser
// module through the generated C API (browser_host.h), sandboxed by wasm2c.
// Each row prints its label, the result as the page shows it (JSON) and ✔
// when that is what the page expects; then the status line and what C
// printed (`make run-host`; make check compares the rows with main.mjs's).
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "browser_host.h"

static int rows, passed;

static void row(const char *label, const char *result, const char *expected) {
    bool ok = strcmp(result, expected) == 0;
    rows++;
    passed += ok;
    printf("%s\t%s\t%s\n", label, result, ok ? "\xe2\x9c\x94" : "\xe2\x9c\x98");
}

// What C prints, kept as the page keeps it in its #stdout and #stderr.
typedef struct {
    char out[1024], err[1024];
} Printed;
static void append(char *to, const char *line, size_t len) {
    size_t used = strlen(to);
    snprintf(to + used, 1024 - used, "%.*s\n", (int)len, line);
}
static void on_out(void *user, const char *line, size_t len) { append(((Printed *)user)->out, line, len); }
static void on_err(void *user, const char *line, size_t len) { append(((Printed *)user)->err, line, len); }

static browser_host *m;

// A string result as JSON (the page's show()): quoted, or null.
static const char *json_str(char *s, char *buf, size_t n) {
    if (s == NULL)
        snprintf(buf, n, "null");
    else
        snprintf(buf, n, "\"%s\"", s);
    free(s);
    return buf;
}

static const char *json_f64s(const double *v, size_t n, char *buf, size_t cap) {
    size_t at = (size_t)snprintf(buf, cap, "[");
    for (size_t i = 0; i < n; i++)
        at += (size_t)snprintf(buf + at, cap - at, "%s%g", i ? "," : "", v[i]);
    snprintf(buf + at, cap - at, "]");
    return buf;
}

static void fail(const char *what) {
    fprintf(stderr, "%s: %s\n", what, browser_host_error(m));
    exit(1);
}
#define CHECK(call)                    \
    do {                               \
        if ((call) != WG_HOST_OK)      \
            fail(#call);               \
    } while (0)

int main(void) {
    const char *env[] = {"WHERE=in a browser", NULL}; // the page's options.env
    Printed printed = {{0}, {0}};
    wg_host_options options = {.env = env, .out = on_out, .err = on_err, .user = &printed};
    if (browser_host_new(&m, &options) != WG_HOST_OK) {
        fprintf(stderr, "%s\n", browser_host_error(NULL));
        return 1;
    }
    char buf[256];
    char *s;

    CHECK(browser_host_greet(m, "browser", 7, &s));
    row("greet(\"browser\")", json_str(s, buf, sizeof buf), "\"Hello, browser!\"");

    const char *text = "h\xc3\xa9llo w\xc3\xb6rld \xf0\x9f\x8c\x8d";
    CHECK(browser_host_reverse(m, text, strlen(text), &s));
    row("reverse(\"h\xc3\xa9llo w\xc3\xb6rld \xf0\x9f\x8c\x8d\")", json_str(s, buf, sizeof buf),
        "\"\xf0\x9f\x8c\x8d dlr\xc3\xb6w oll\xc3\xa9h\"");

    const double a[] = {1, 2, 3}, b[] = {10, 20, 30};
    wg_f64_array sum3;
    CHECK(browser_host_add(m, a, 3, b, 3, &sum3));
    row("add([1, 2, 3], Float64Array [10, 20, 30])", json_f64s(sum3.ptr, sum3.len, buf, sizeof buf), "[11,22,33]");
    free(sum3.ptr);

    const double c[] = {0.5, 1.5}, d[] = {2, 4};
    const double *view;
    size_t n;
    double total;
    CHECK(browser_host_add_view(m, c, 2, d, 2, &view, &n)); // a view into the module's memory
    CHECK(browser_host_sum(m, view, n, &total));              // passed back in the next call
    snprintf(buf, sizeof buf, "%g", total);
    row("sum(add(...)) with no copy between", buf, "8");

    float data[] = {1.5f, 2, 2.5f};
    CHECK(browser_host_scale(m, data, 3, 2));
    snprintf(buf, sizeof buf, "[%g,%g,%g]", data[0], data[1], data[2]);
    row("scale(Float32Array [1.5, 2, 2.5], 2)", buf, "[3,4,5]");

    int32_t q, r;
    CHECK(browser_host_divide(m, 7, 2, &r, &q));
    snprintf(buf, sizeof buf, "{\"return\":%" PRId32 ",\"remainder\":%" PRId32 "}", q, r);
    row("divide(7, 2)", buf, "{\"return\":3,\"remainder\":1}");

    CHECK(browser_host_log_lines(m, 3));
    row("logLines(3)", "undefined", "undefined");

    CHECK(browser_host_env(m, "WHERE", 5, &s));
    row("env(\"WHERE\") from options.env", json_str(s, buf, sizeof buf), "\"in a browser\"");
    CHECK(browser_host_env(m, "HOME", 4, &s));
    row("env(\"HOME\")", json_str(s, buf, sizeof buf), "null");

    double ms;
    CHECK(browser_host_now_ms(m, &ms));
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    row("nowMs() within 1 s of Date.now()", fabs(ms - (ts.tv_sec * 1e3 + ts.tv_nsec / 1e6)) < 1000 ? "true" : "false",
        "true");

    const uint8_t *bytes;
    CHECK(browser_host_random_bytes_view(m, 32, &bytes, &n));
    bool nonzero = false;
    for (size_t i = 0; i < n; i++)
        nonzero |= bytes[i] != 0;
    row("randomBytes(32): not all zero", nonzero ? "true" : "false", "true");

    browser_point mid;
    CHECK(browser_host_midpoint(m, (browser_point){0, 0}, (browser_point){2, 4}, &mid));
    snprintf(buf, sizeof buf, "{\"x\":%g,\"y\":%g}", mid.x, mid.y);
    row("midpoint({x: 0, y: 0}, {x: 2, y: 4}): a struct", buf, "{\"x\":1,\"y\":2}");

    browser_host_tally *t;
    double t1, t2;
    browser_shade mood;
    CHECK(browser_host_tally_new(m, 1, &t));
    CHECK(browser_host_tally_add(m, t, 2.5, &t1));
    CHECK(browser_host_tally_add(m, t, -10, &t2));
    CHECK(browser_host_tally_mood(m, t, &mood));
    CHECK(browser_host_tally_free(m, t));
    snprintf(buf, sizeof buf, "[%g,%g,\"%s\"]", t1, t2, mood == BROWSER_SHADE_DARK ? "dark" : "light");
    row("new Tally(1).add(2.5), then mood(): a resource and an enum", buf, "[3.5,-6.5,\"dark\"]");

    browser_host_flush_output(m);
    printf("%d of %d calls gave the expected result.\n", passed, rows);
    printf("stdout:\n%sstderr:\n%s", printed.out, printed.err);
    browser_host_free(m);
    return passed == rows ? 0 : 1;
}
