/*
 * test_host_types.c - the generated native host API (wasmgen --emit host) on
 * tests/e2e/types.idl, the module the JS end-to-end tests use: structs
 * (nested, with strings, arrays and lists), enums, lists, optionals, i53,
 * throws, resources and imports both ways, each checked for values, for the
 * statuses of wrong arguments and results, and for leaks on both sides (the
 * module's allocator counters; ASan's leak checker in the sanitized build).
 */
#include <check.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "types_host.h"

#define ck_assert_has(hay, needle)                                                               \
    do {                                                                                         \
        const char *hay_ = (hay), *needle_ = (needle);                                           \
        ck_assert_msg(hay_ && strstr(hay_, needle_), "expected \"%s\" in \"%s\"", needle_, hay_); \
    } while (0)

/* ---- The imports, recording what they saw */

static struct {
    char notes[8][64];
    int nnotes;
    double total_seen;
    types_host *self; /* for reenter */
    int bad_pick, bad_bump;
} seen;

static void note(void *user, const char *text, size_t len) {
    (void)user;
    ck_assert_uint_eq(strlen(text), len); /* the host's own NUL, no embedded ones here */
    if (seen.nnotes < 8)
        snprintf(seen.notes[seen.nnotes++], 64, "%s", text);
}
static double twice(void *user, double x) {
    (void)user;
    return 2 * x;
}
static int32_t total(void *user, const double *values, size_t n) {
    (void)user;
    double t = 0;
    for (size_t i = 0; i < n; i++)
        t += values[i];
    seen.total_seen = t;
    return (int32_t)t;
}
static const char *greet(void *user, const char *name, size_t len) {
    (void)user;
    if (len == 4 && memcmp(name, "null", 4) == 0)
        return NULL; /* where the IDL says `string`, not `string?` */
    static char buf[64];
    snprintf(buf, sizeof buf, "hi %.*s", (int)len, name);
    return buf;
}
static types_color pick(void *user, types_color c) {
    (void)user;
    return seen.bad_pick ? (types_color)77 : c == TYPES_COLOR_RED ? TYPES_COLOR_BLUE : TYPES_COLOR_RED;
}
static int64_t bump(void *user, int64_t v) {
    (void)user;
    return seen.bad_bump ? (int64_t)1 << 60 : v + 1;
}
static bool flip(void *user, bool b) {
    (void)user;
    return !b;
}
static uint32_t reenter(void *user, uint32_t n) {
    (void)user;
    if (n == 0)
        return 0;
    uint32_t r = 0;
    ck_assert_int_eq(types_host_call_reenter(seen.self, n - 1, &r), WG_HOST_OK); /* back into the module */
    return r + 1;
}

static const types_host_imports imports = {NULL, note, twice, total, greet, pick, bump, flip, reenter};

static types_host *fresh(void) {
    types_host *h = NULL;
    int st = types_host_new(&h, NULL, &imports);
    ck_assert_msg(st == WG_HOST_OK, "new: %s", types_host_error(NULL));
    memset(&seen, 0, sizeof seen);
    seen.self = h;
    return h;
}

static uint64_t live(types_host *h) {
    wg_host_stats s;
    ck_assert_int_eq(types_host_stats(h, &s), WG_HOST_OK);
    return s.live_count;
}

#define OK(call) ck_assert_msg((call) == WG_HOST_OK, "%s: %s", #call, types_host_error(h))

/* ---- Structs */

static const uint8_t bytes3[] = {1, 2, 3};
static const int32_t extra2[] = {-5, 6};
static const types_point trail2[] = {{1, 2}, {3, 4}};
static const wg_str tags2[] = {{"x", 1}, {"y\0z", 3}}; /* an embedded NUL, kept */

static types_tagged sample(void) {
    types_tagged t = {"name", 4, bytes3, 3, "a note", 6, extra2, 2, {7.5, -1}, trail2, 2, tags2, 2,
                      TYPES_COLOR_NEGATIVE, -9007199254740991LL, true, -128, UINT64_MAX};
    return t;
}

static void check_sample(const types_tagged *r) {
    ck_assert_str_eq(r->name, "name");
    ck_assert_uint_eq(r->name_len, 4);
    ck_assert_uint_eq(r->data_len, 3);
    ck_assert_mem_eq(r->data, bytes3, 3);
    ck_assert_str_eq(r->note, "a note");
    ck_assert_uint_eq(r->extra_len, 2);
    ck_assert_int_eq(r->extra[0], -5);
    ck_assert_int_eq(r->extra[1], 6);
    ck_assert(r->at.x == 7.5 && r->at.y == -1);
    ck_assert_uint_eq(r->trail_len, 2);
    ck_assert(r->trail[1].x == 3 && r->trail[1].y == 4);
    ck_assert_uint_eq(r->tags_len, 2);
    ck_assert_str_eq(r->tags[0].ptr, "x");
    ck_assert_uint_eq(r->tags[1].len, 3);
    ck_assert_mem_eq(r->tags[1].ptr, "y\0z", 4); /* with the host's own NUL after */
    ck_assert_int_eq(r->tint, TYPES_COLOR_NEGATIVE);
    ck_assert_int_eq(r->big, -9007199254740991LL);
    ck_assert(r->on);
    ck_assert_int_eq(r->small, -128);
    ck_assert_uint_eq(r->wide, UINT64_MAX);
}

START_TEST(test_structs) {
    types_host *h = fresh();
    uint64_t base = live(h);
    types_point m;
    OK(types_host_mid(h, (types_point){0, 0}, (types_point){2, 4}, &m));
    ck_assert(m.x == 1 && m.y == 2);

    types_tagged r;
    OK(types_host_echo_tagged(h, sample(), &r));
    check_sample(&r);
    types_host_free_tagged(&r);
    ck_assert_ptr_null(r.name);

    /* optional fields left out: NULL in, NULL out; an empty required list is not NULL */
    types_tagged t = sample();
    t.note = NULL;
    t.note_len = 0;
    t.extra = NULL;
    t.extra_len = 0;
    t.trail = NULL;
    t.trail_len = 0;
    OK(types_host_echo_tagged(h, t, &r));
    ck_assert_ptr_null(r.note);
    ck_assert_ptr_null(r.extra);
    ck_assert_uint_eq(r.trail_len, 0);
    types_host_free_tagged(&r);

    types_tagged *o = (types_tagged *)1;
    OK(types_host_maybe_tagged(h, false, sample(), &o));
    ck_assert_ptr_null(o);
    OK(types_host_maybe_tagged(h, true, sample(), &o));
    check_sample(o);
    types_host_free_tagged(o);
    free(o);
    ck_assert_uint_eq(live(h), base); /* the module freed everything it handed over */
    types_host_free(h);
}
END_TEST

START_TEST(test_lists_and_optionals) {
    types_host *h = fresh();
    uint64_t base = live(h);
    types_point pts[] = {{1, 2}, {3, 4}, {5, 6}};
    types_point_array pa;
    OK(types_host_points(h, pts, 3, &pa));
    ck_assert_uint_eq(pa.len, 3);
    ck_assert(pa.ptr[2].x == 5 && pa.ptr[2].y == 6);
    types_host_free_point_array(&pa);
    OK(types_host_points(h, NULL, 0, &pa)); /* empty */
    ck_assert_uint_eq(pa.len, 0);
    types_host_free_point_array(&pa);

    wg_str in[] = {{"", 0}, {"\xf0\x9f\x8c\x8d", 4}, {"abc", 3}};
    wg_str_array sa;
    OK(types_host_strings(h, in, 3, &sa));
    ck_assert_uint_eq(sa.len, 3);
    ck_assert_str_eq(sa.ptr[0].ptr, "");
    ck_assert_str_eq(sa.ptr[1].ptr, "\xf0\x9f\x8c\x8d");
    ck_assert_str_eq(sa.ptr[2].ptr, "abc");
    wg_host_free_strs(&sa);

    OK(types_host_maybe_strings(h, false, &sa));
    ck_assert_ptr_null(sa.ptr);
    OK(types_host_maybe_strings(h, true, &sa));
    ck_assert_uint_eq(sa.len, 1);
    ck_assert_str_eq(sa.ptr[0].ptr, "only");
    wg_host_free_strs(&sa);

    uint32_t n;
    OK(types_host_count(h, NULL, 0, &n));
    ck_assert_uint_eq(n, 999); /* NULL: none */
    OK(types_host_count(h, in, 0, &n));
    ck_assert_uint_eq(n, 0); /* empty, not NULL */

    double d;
    OK(types_host_norm(h, NULL, &d));
    ck_assert(d == -1);
    OK(types_host_norm(h, &pts[0], &d));
    ck_assert(d == 5);
    double v = 2.5;
    OK(types_host_opt_in(h, &v, &d));
    ck_assert(d == 2.5);
    OK(types_host_opt_in(h, NULL, &d));
    ck_assert(d == -1);

    wg_opt_f64 of;
    OK(types_host_maybe_f64(h, true, -0.0, &of));
    ck_assert(of.has && of.value == 0 && signbit(of.value));
    OK(types_host_maybe_f64(h, false, 1, &of));
    ck_assert(!of.has);
    wg_opt_i64 oi;
    OK(types_host_maybe_i64(h, true, INT64_MIN, &oi));
    ck_assert(oi.has && oi.value == INT64_MIN);
    wg_opt_bool ob;
    OK(types_host_maybe_bool(h, true, true, &ob));
    ck_assert(ob.has && ob.value);

    char *s;
    OK(types_host_maybe_str(h, false, &s));
    ck_assert_ptr_null(s);
    OK(types_host_maybe_str(h, true, &s));
    ck_assert_str_eq(s, "yes");
    free(s);
    OK(types_host_str_len(h, NULL, 0, &n));
    ck_assert_uint_eq(n, 999);
    OK(types_host_str_len(h, "", 0, &n));
    ck_assert_uint_eq(n, 0);
    OK(types_host_arr_len(h, NULL, 0, &n));
    ck_assert_uint_eq(n, 999);
    OK(types_host_arr_len(h, &v, 0, &n));
    ck_assert_uint_eq(n, 0);
    ck_assert_uint_eq(live(h), base);
    types_host_free(h);
}
END_TEST

/* Zero-copy results: a view of the module's memory, valid through the next
 * call (also as its argument), freed after it. */
START_TEST(test_views) {
    types_host *h = fresh();
    uint64_t base = live(h);
    const char *s;
    size_t n;
    OK(types_host_maybe_str_view(h, true, &s, &n));
    ck_assert_uint_eq(n, 3);
    ck_assert_mem_eq(s, "yes", 3);
    ck_assert_uint_eq(live(h), base + 1); /* the module's buffer lives on */
    uint32_t len;
    OK(types_host_str_len(h, s, n, &len)); /* the view as the next call's argument */
    ck_assert_uint_eq(len, 3);
    ck_assert_uint_eq(live(h), base); /* freed after that call */
    const double *a;
    OK(types_host_fail_arr_view(h, false, 5, &a, &n));
    ck_assert_uint_eq(n, 5);
    for (size_t i = 0; i < 5; i++)
        ck_assert(a[i] == 0);
    types_host_free(h); /* with a view pending: nothing leaks on the host */
}
END_TEST

/* ---- Enums and i53 */

START_TEST(test_enums_and_i53) {
    types_host *h = fresh();
    types_color c;
    OK(types_host_next_color(h, TYPES_COLOR_BLUE, &c));
    ck_assert_int_eq(c, TYPES_COLOR_NEGATIVE);
    OK(types_host_color_out(h, TYPES_COLOR_RED, &c));
    ck_assert_int_eq(c, TYPES_COLOR_GREEN);
    ck_assert_int_eq(types_host_next_color(h, (types_color)3, &c), WG_HOST_BAD_ARGUMENT);
    ck_assert_str_eq(types_host_error(h), "next_color: parameter 'c' is 3, not a value of enum color");
    ck_assert_int_eq(types_host_bad_color(h, &c), WG_HOST_BAD_RESULT);
    ck_assert_str_eq(types_host_error(h), "bad_color: the module gave 99 for the result, not a value of enum color");

    int64_t v;
    OK(types_host_id_i53(h, 9007199254740991LL, &v));
    ck_assert_int_eq(v, 9007199254740991LL);
    ck_assert_int_eq(types_host_id_i53(h, 9007199254740992LL, &v), WG_HOST_BAD_ARGUMENT);
    ck_assert_int_eq(types_host_big_i53(h, &v), WG_HOST_BAD_RESULT);
    ck_assert_has(types_host_error(h), "1152921504606846976");
    OK(types_host_i53_out(h, 5, &v));
    ck_assert_int_eq(v, -5);
    types_host_free(h);
}
END_TEST

/* ---- throws: the status, the code, the message; partial results freed */

START_TEST(test_throws) {
    types_host *h = fresh();
    uint64_t base = live(h);
    uint32_t u = 0;
    OK(types_host_fail_if(h, false, &u));
    ck_assert_uint_eq(u, 1);
    ck_assert_int_eq(types_host_fail_if(h, true, &u), WG_HOST_FAILED);
    ck_assert_int_eq(types_host_error_code(h), 7);
    ck_assert_str_eq(types_host_error(h), "fail_if: asked to fail (7)");
    char *s = (char *)1;
    ck_assert_int_eq(types_host_fail_str(h, true, &s), WG_HOST_FAILED);
    ck_assert_int_eq(types_host_error_code(h), 8);
    OK(types_host_fail_str(h, false, &s));
    ck_assert_str_eq(s, "partial");
    free(s);
    wg_f64_array a;
    ck_assert_int_eq(types_host_fail_arr(h, true, 4, &a), WG_HOST_FAILED);
    types_tagged t;
    ck_assert_int_eq(types_host_fail_struct(h, true, &t), WG_HOST_FAILED);
    ck_assert_str_eq(types_host_error(h), "fail_struct: no struct");
    OK(types_host_fail_struct(h, false, &t));
    ck_assert_str_eq(t.name, "made");
    ck_assert_int_eq(t.tint, TYPES_COLOR_BLUE);
    types_host_free_tagged(&t);
    int32_t r, ret;
    double pair[2];
    ck_assert_int_eq(types_host_fail_out(h, true, &r, pair, &ret), WG_HOST_FAILED);
    OK(types_host_fail_out(h, false, &r, pair, &ret));
    ck_assert(r == 5 && pair[0] == 1 && pair[1] == 2 && ret == 3);
    ck_assert_uint_eq(live(h), base); /* every partial result freed in the module */
    types_host_free(h);
}
END_TEST

/* ---- Resources */

START_TEST(test_resources) {
    types_host *h = fresh();
    types_host_counter *c, *d, *e;
    OK(types_host_counter_new(h, 10, &c));
    int32_t v;
    OK(types_host_counter_add(h, c, 5, &v));
    ck_assert_int_eq(v, 15);
    OK(types_host_counter_clone(h, c, &d));
    OK(types_host_peek(h, d, &v));
    ck_assert_int_eq(v, 15);
    char *label;
    OK(types_host_counter_label(h, c, "n", 1, &label));
    ck_assert_str_eq(label, "n");
    free(label);
    ck_assert_int_eq(types_host_counter_label(h, c, "", 0, &label), WG_HOST_FAILED);
    ck_assert_str_eq(types_host_error(h), "counter_label: empty prefix for 15");
    OK(types_host_make_counter(h, 3, &e));
    OK(types_host_maybe_counter(h, false, &e)); /* NULL: none (the earlier e stays live) */
    ck_assert_ptr_null(e);
    ck_assert_int_eq(types_host_null_counter(h, &e), WG_HOST_BAD_RESULT);
    ck_assert_str_eq(types_host_error(h), "null_counter: the module returned NULL for a counter");
    ck_assert_int_eq(types_host_peek(h, NULL, &v), WG_HOST_BAD_ARGUMENT);
    OK(types_host_peek_opt(h, NULL, &v));
    ck_assert_int_eq(v, -1);

    /* a handle of another instance is refused */
    types_host *other = NULL;
    ck_assert_int_eq(types_host_new(&other, NULL, &imports), WG_HOST_OK);
    ck_assert_int_eq(types_host_peek(other, c, &v), WG_HOST_BAD_ARGUMENT);
    ck_assert_str_eq(types_host_error(other), "peek: parameter 'c' is a counter of another instance");
    ck_assert_int_eq(types_host_counter_free(other, c), WG_HOST_BAD_ARGUMENT);
    types_host_free(other);

    uint32_t n;
    OK(types_host_live_counters(h, &n));
    ck_assert_uint_eq(n, 3);
    OK(types_host_counter_free(h, d)); /* runs the destructor in the module */
    OK(types_host_drops(h, &n));
    ck_assert_uint_eq(n, 1);
    OK(types_host_live_counters(h, &n));
    ck_assert_uint_eq(n, 2);
    types_host_free(h); /* frees the handles still live */
}
END_TEST

/* ---- Imports, both ways */

START_TEST(test_imports) {
    types_host *h = fresh();
    uint64_t base = live(h);
    uint32_t u;
    OK(types_host_call_note(h, "hello", 5, 2, &u));
    ck_assert_uint_eq(u, 2);
    ck_assert_int_eq(seen.nnotes, 2);
    ck_assert_str_eq(seen.notes[1], "hello");
    double d;
    OK(types_host_call_twice(h, 21, &d));
    ck_assert(d == 42);
    double values[] = {1.5, 2.5, 3};
    int32_t t;
    OK(types_host_call_total(h, values, 3, &t));
    ck_assert_int_eq(t, 7);
    char *g;
    OK(types_host_call_greet(h, "you", 3, &g));
    ck_assert_str_eq(g, "hi you");
    free(g);
    /* NULL for a `string` result: refused, as JS refuses null with a TypeError */
    ck_assert_int_eq(types_host_call_greet(h, "null", 4, &g), WG_HOST_BAD_ARGUMENT);
    ck_assert_str_eq(types_host_error(h), "import greet: the result is NULL");
    types_color c;
    OK(types_host_call_pick(h, TYPES_COLOR_RED, &c));
    ck_assert_int_eq(c, TYPES_COLOR_BLUE);
    int64_t v;
    OK(types_host_call_bump(h, 41, &v));
    ck_assert_int_eq(v, 42);
    bool b;
    OK(types_host_call_flip(h, true, &b));
    ck_assert(!b);
    OK(types_host_call_reenter(h, 20, &u)); /* host -> module -> host -> ... 20 deep */
    ck_assert_uint_eq(u, 20);
    /* What the host's callbacks return is checked too */
    seen.bad_pick = 1;
    ck_assert_int_eq(types_host_call_pick(h, TYPES_COLOR_RED, &c), WG_HOST_BAD_ARGUMENT);
    ck_assert_str_eq(types_host_error(h), "import pick: the result is 77, not a value of enum color");
    seen.bad_bump = 1;
    ck_assert_int_eq(types_host_call_bump(h, 1, &v), WG_HOST_BAD_ARGUMENT);
    ck_assert_uint_eq(live(h), base);
    uint32_t sp1, sp2;
    OK(types_host_stack_probe(h, &sp1));
    OK(types_host_stack_probe(h, &sp2));
    ck_assert_uint_eq(sp1, sp2); /* the module's stack pointer put back after the failures */
    types_host_free(h);
}
END_TEST

START_TEST(test_missing_import) {
    types_host_imports partial = imports;
    partial.flip = NULL;
    types_host *h = (types_host *)1;
    ck_assert_int_eq(types_host_new(&h, NULL, &partial), WG_HOST_BAD_ARGUMENT);
    ck_assert_ptr_null(h);
    ck_assert_str_eq(types_host_error(NULL), "new: import 'flip' is missing");
}
END_TEST

/* ---- Arguments the host gets wrong */

START_TEST(test_bad_arguments) {
    types_host *h = fresh();
    uint64_t base = live(h);
    uint32_t n;
    ck_assert_int_eq(types_host_str_len(NULL, "x", 1, &n), WG_HOST_BAD_ARGUMENT);
    ck_assert_int_eq(types_host_drops(h, NULL), WG_HOST_BAD_ARGUMENT);
    ck_assert_str_eq(types_host_error(h), "drops: result is NULL");
    wg_str_array sa;
    ck_assert_int_eq(types_host_strings(h, NULL, 2, &sa), WG_HOST_BAD_ARGUMENT);
    ck_assert_str_eq(types_host_error(h), "strings: parameter 'list' is NULL with 2 elements");
    wg_str holes[] = {{"a", 1}, {NULL, 0}};
    ck_assert_int_eq(types_host_strings(h, holes, 2, &sa), WG_HOST_BAD_ARGUMENT);
    ck_assert_int_eq(types_host_arr_len(h, NULL, 3, &n), WG_HOST_BAD_ARGUMENT);
    ck_assert_int_eq(types_host_str_len(h, "x", (size_t)1 << 33, &n), WG_HOST_BAD_ARGUMENT);
    ck_assert_has(types_host_error(h), "too long");
    /* a big argument (a temporary in the module) freed after a failure */
    static char big[100000];
    memset(big, 'a', sizeof big);
    wg_str two[] = {{big, sizeof big}, {NULL, 1}};
    ck_assert_int_eq(types_host_strings(h, two, 2, &sa), WG_HOST_BAD_ARGUMENT);
    ck_assert_uint_eq(live(h), base);
    types_host_free(h);
}
END_TEST

static Suite *suite(void) {
    Suite *s = suite_create("host API (types.idl)");
    TCase *tc = tcase_create("types");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, test_structs);
    tcase_add_test(tc, test_lists_and_optionals);
    tcase_add_test(tc, test_views);
    tcase_add_test(tc, test_enums_and_i53);
    tcase_add_test(tc, test_throws);
    tcase_add_test(tc, test_resources);
    tcase_add_test(tc, test_imports);
    tcase_add_test(tc, test_missing_import);
    tcase_add_test(tc, test_bad_arguments);
    suite_add_tcase(s, tc);
    return s;
}

int main(void) {
    SRunner *sr = srunner_create(suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
