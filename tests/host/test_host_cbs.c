/*
 * test_host_cbs.c - callbacks through the native host:
 * tests/host/cbs.idl, whose C calls the host's functions through the
 * trampolines' raw imports. Results and arguments of each shape, the user
 * data, NULL where the IDL does not say `?`, calls into the instance from
 * inside a callback (innermost wins, the outer one is found again), and a
 * callback C keeps past its call: refused, by position and by generation;
 * callbacks C may keep (a wg_host_callback, a resource's), and string arrays;
 * structs passed and returned, arrays returned, resources C lends.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cbs_host.h"
#include "wasmgen-host-glue.h" /* wg_sandbox: release_steps (test_copies_given_back_newest_first) */

#define ck_assert_has(hay, needle)                                                               \
    do {                                                                                         \
        const char *hay_ = (hay), *needle_ = (needle);                                           \
        ck_assert_msg(hay_ && strstr(hay_, needle_), "expected \"%s\" in \"%s\"", needle_, hay_); \
    } while (0)

static cbs_host *m;

static uint64_t live(void) {
    wg_host_stats s;
    ck_assert_int_eq(cbs_host_stats(m, &s), WG_HOST_OK);
    return s.live_count;
}

static uint64_t live0;

static void setup(void) {
    ck_assert_int_eq(cbs_host_new(&m, NULL), WG_HOST_OK);
    live0 = live();
}

static void teardown(void) {
    ck_assert_uint_eq(live(), live0); /* nothing left in the sandbox */
    cbs_host_free(m);
    m = NULL;
}

/* A reducer's user data: what it saw. */
typedef struct {
    int calls;
    cbs_op how;
} seen;

static double reduce(void *user, double acc, double x, cbs_op how) {
    seen *s = user;
    s->calls++;
    s->how = how;
    return how == CBS_OP_ADD ? acc + x : acc * x;
}

static bool even(int32_t x) { return x % 2 == 0; }
static bool positive(int32_t x) { return x > 0; }

typedef struct {
    char name[16];
    int32_t parts[4];
    size_t name_len, n;
    cbs_op answer;
} chooser;

static cbs_op choose(void *user, const char *name, size_t name_len, const int32_t *parts, size_t n) {
    chooser *c = user;
    snprintf(c->name, sizeof c->name, "%s", name);
    c->name_len = name_len;
    c->n = n;
    for (size_t i = 0; i < n && i < 4; i++)
        c->parts[i] = parts[i];
    return c->answer;
}

typedef struct {
    uint32_t order[8];
    uint32_t n;
} visits;

static void visit(void *user, uint32_t i) {
    visits *v = user;
    if (v->n < 8)
        v->order[v->n++] = i;
}

START_TEST(test_results_and_user_data) {
    const double xs[] = {1, 2, 3, 4};
    seen s = {0, CBS_OP_MUL};
    double r = 0;
    ck_assert_int_eq(cbs_host_fold(m, xs, 4, 10, CBS_OP_ADD, reduce, &s, &r), WG_HOST_OK);
    ck_assert_double_eq(r, 20);
    ck_assert_int_eq(s.calls, 4);
    ck_assert_int_eq(s.how, CBS_OP_ADD);
    ck_assert_int_eq(cbs_host_fold(m, xs, 4, 1, CBS_OP_MUL, reduce, &s, &r), WG_HOST_OK);
    ck_assert_double_eq(r, 24);
    ck_assert_int_eq(s.calls, 8);
    ck_assert_int_eq(s.how, CBS_OP_MUL);

    uint32_t n = 0;
    /* a string and an array in, an enum out */
    chooser c = {.answer = CBS_OP_MUL};
    cbs_op o = CBS_OP_ADD;
    ck_assert_int_eq(cbs_host_choose_for(m, "hello", 5, choose, &c, &o), WG_HOST_OK);
    ck_assert_int_eq(o, CBS_OP_MUL);
    ck_assert_str_eq(c.name, "hello");
    ck_assert_uint_eq(c.name_len, 5);
    ck_assert_uint_eq(c.n, 2);
    ck_assert_int_eq(c.parts[0], 5);
    ck_assert_int_eq(c.parts[1], 'h');

    /* no result */
    visits v = {{0}, 0};
    ck_assert_int_eq(cbs_host_each(m, 3, visit, &v, &n), WG_HOST_OK);
    ck_assert_uint_eq(n, 3);
    ck_assert_uint_eq(v.n, 3);
    ck_assert_uint_eq(v.order[0], 0);
    ck_assert_uint_eq(v.order[2], 2);
}
END_TEST

static bool keep_even(void *user, int32_t x) {
    (void)user;
    return even(x);
}
static bool keep_positive(void *user, int32_t x) {
    (void)user;
    return positive(x);
}

/* A bool result; C's type has no user data, the host's `user` is still passed. */
static bool keep_multiple(void *user, int32_t x) { return x % *(const int32_t *)user == 0; }

START_TEST(test_bool_results) {
    const int32_t ys[] = {1, 2, 4, 7, 8, -6};
    const int32_t three = 3;
    uint32_t n = 0;
    ck_assert_int_eq(cbs_host_count(m, ys, 6, keep_even, NULL, &n), WG_HOST_OK);
    ck_assert_uint_eq(n, 4);
    ck_assert_int_eq(cbs_host_count_opt(m, ys, 6, keep_positive, NULL, &n), WG_HOST_OK);
    ck_assert_uint_eq(n, 5);
    ck_assert_int_eq(cbs_host_count(m, ys, 6, keep_multiple, (void *)&three, &n), WG_HOST_OK);
    ck_assert_uint_eq(n, 1);
}
END_TEST

START_TEST(test_null_callback) {
    const int32_t ys[] = {1, 2};
    uint32_t n = 99;
    ck_assert_int_eq(cbs_host_count(m, ys, 2, NULL, NULL, &n), WG_HOST_BAD_ARGUMENT);
    ck_assert_has(cbs_host_error(m), "count: parameter 'fn' is NULL");
    ck_assert_uint_eq(n, 99);
    double r = 0;
    ck_assert_int_eq(cbs_host_fold(m, NULL, 0, 1, CBS_OP_ADD, NULL, NULL, &r), WG_HOST_BAD_ARGUMENT);
    ck_assert_has(cbs_host_error(m), "parameter 'fn' is NULL");
    /* `keep? fn`: NULL passes NULL to C */
    ck_assert_int_eq(cbs_host_count_opt(m, ys, 2, NULL, NULL, &n), WG_HOST_OK);
    ck_assert_uint_eq(n, 2);
}
END_TEST

/* The outer keep callback counts in the instance from inside a callback:
 * another count (its own keep, the innermost) and a fold (user data). */
typedef struct {
    int outer_calls;
    uint32_t inner_total;
    int failures;
} nest;

static bool keep_if_evens_inside(void *user, int32_t x) {
    nest *t = user;
    t->outer_calls++;
    int32_t digits[3] = {x, x + 1, x + 2};
    uint32_t k = 0;
    if (cbs_host_count(m, digits, 3, keep_even, NULL, &k) != WG_HOST_OK)
        t->failures++;
    t->inner_total += k;
    seen s = {0, CBS_OP_ADD};
    double sum = 0;
    const double xs[] = {(double)x, 1};
    if (cbs_host_fold(m, xs, 2, 0, CBS_OP_ADD, reduce, &s, &sum) != WG_HOST_OK || sum != x + 1 || s.calls != 2)
        t->failures++;
    return k == 2; /* x even: x and x + 2 */
}

START_TEST(test_reentrant) {
    const int32_t ys[] = {1, 2, 3, 4, 6};
    nest t = {0, 0, 0};
    uint32_t n = 0;
    ck_assert_int_eq(cbs_host_count(m, ys, 5, keep_if_evens_inside, &t, &n), WG_HOST_OK);
    ck_assert_uint_eq(n, 3);          /* the outer callback was found again after each inner call */
    ck_assert_int_eq(t.outer_calls, 5);
    ck_assert_uint_eq(t.inner_total, 1 + 2 + 1 + 2 + 2);
    ck_assert_int_eq(t.failures, 0);
}
END_TEST

/* Inside a call that passed a callback, a nested call failing (a NULL
 * callback) leaves the outer registration alone. */
static bool keep_after_failure(void *user, int32_t x) {
    int *failed = user;
    uint32_t k = 0;
    if (cbs_host_count(m, &x, 1, NULL, NULL, &k) == WG_HOST_BAD_ARGUMENT)
        ++*failed;
    return x > 2;
}

START_TEST(test_nested_failure) {
    const int32_t ys[] = {1, 2, 3, 4};
    int failed = 0;
    uint32_t n = 0;
    ck_assert_int_eq(cbs_host_count(m, ys, 4, keep_after_failure, &failed, &n), WG_HOST_OK);
    ck_assert_uint_eq(n, 2);
    ck_assert_int_eq(failed, 4);
}
END_TEST

START_TEST(test_kept_past_its_call) {
    seen first = {0, CBS_OP_MUL}, second = {0, CBS_OP_MUL};
    double r = 0;
    ck_assert_int_eq(cbs_host_keep_for_later(m, reduce, &first, &r), WG_HOST_OK);
    ck_assert_double_eq(r, 1);
    ck_assert_int_eq(first.calls, 1);
    /* its call returned: the id C kept is no live one's */
    ck_assert_int_eq(cbs_host_recall(m, 1, 2, &r), WG_HOST_BAD_RESULT);
    ck_assert_has(cbs_host_error(m), "callback reducer: C called it with user data");
    ck_assert_has(cbs_host_error(m), "no live callback's");
    /* a new call's callback in the same place: the old id's generation is stale */
    ck_assert_int_eq(cbs_host_fold_recall(m, 1, 2, reduce, &second, &r), WG_HOST_BAD_RESULT);
    ck_assert_int_eq(second.calls, 1);
    ck_assert_int_eq(first.calls, 1);
    /* the failed call's registration was released: the next call registers afresh */
    const double xs[] = {2, 3};
    ck_assert_int_eq(cbs_host_fold(m, xs, 2, 0, CBS_OP_ADD, reduce, &second, &r), WG_HOST_OK);
    ck_assert_double_eq(r, 5);
    ck_assert_int_eq(cbs_host_recall(m, 1, 2, &r), WG_HOST_BAD_RESULT);
}
END_TEST

static cbs_op choose_bad(void *user, const char *name, size_t name_len, const int32_t *parts, size_t n) {
    (void)user, (void)name, (void)name_len, (void)parts, (void)n;
    return (cbs_op)7;
}

/* The module passes NULL for a string and an array the IDL does not make
 * optional: the host callback gets "" and an empty array, never NULL (as JS
 * gets '' and an empty typed array). */
static cbs_op choose_strict(void *user, const char *name, size_t name_len, const int32_t *parts, size_t n) {
    int *seen = user;
    ck_assert_ptr_nonnull(name);
    ck_assert_ptr_nonnull(parts);
    *seen = (int)(strlen(name) + name_len + n) + 1;
    return CBS_OP_MUL;
}

START_TEST(test_null_from_the_module) {
    int seen = 0;
    cbs_op o = CBS_OP_ADD;
    ck_assert_int_eq(cbs_host_choose_for(m, "null!", 5, choose_strict, &seen, &o), WG_HOST_OK);
    ck_assert_int_eq(seen, 1); /* "", length 0, no parts */
    ck_assert_int_eq(o, CBS_OP_MUL);
}
END_TEST

/* A long string argument (copied to the host's heap), then an argument
 * refused: the call fails, and the copy is freed with it (ASan's leak
 * checker in the sanitized build). */
START_TEST(test_refused_after_a_long_string) {
    char name[300];
    memset(name, 'x', sizeof name);
    memcpy(name, "misalign", 8);
    int seen = 0;
    cbs_op o = CBS_OP_ADD;
    ck_assert_int_eq(cbs_host_choose_for(m, name, sizeof name, choose_strict, &seen, &o), WG_HOST_BAD_RESULT);
    ck_assert_has(cbs_host_error(m), "misaligned");
    ck_assert_int_eq(seen, 0); /* the callback never ran */
}
END_TEST

START_TEST(test_bad_callback_result) {
    cbs_op o = CBS_OP_ADD;
    ck_assert_int_ne(cbs_host_choose_for(m, "x", 1, choose_bad, NULL, &o), WG_HOST_OK);
    ck_assert_has(cbs_host_error(m), "callback choose");
    ck_assert_has(cbs_host_error(m), "not a value of enum op");
    /* the instance is still usable */
    chooser c = {.answer = CBS_OP_ADD};
    ck_assert_int_eq(cbs_host_choose_for(m, "", 0, choose, &c, &o), WG_HOST_OK);
    ck_assert_int_eq(c.parts[0], 0);
    ck_assert_int_eq(c.parts[1], -1);
}
END_TEST

/* ---- Callbacks C keeps past the call that passed them */

static uint64_t live_callbacks(cbs_host *h) {
    wg_host_stats s;
    ck_assert_int_eq(cbs_host_stats(h, &s), WG_HOST_OK);
    return s.live_callbacks;
}

/* `stored`: a wg_host_callback the host makes, passes and releases; C
 * calling a released one fails that call, also once its entry is reused. */
START_TEST(test_stored) {
    seen first = {0}, second = {0};
    wg_host_callback *a = NULL, *b = NULL;
    double r = 0;
    ck_assert_int_eq(cbs_host_callback_reducer(m, reduce, &first, &a), WG_HOST_OK);
    ck_assert_ptr_nonnull(a);
    ck_assert_uint_eq(live_callbacks(m), 1);
    ck_assert_int_eq(cbs_host_remember(m, a), WG_HOST_OK);
    ck_assert_int_eq(cbs_host_replay(m, 1, 2, &r), WG_HOST_OK); /* after the call that passed it */
    ck_assert_double_eq(r, 3);
    ck_assert_int_eq(cbs_host_replay(m, 3, 4, &r), WG_HOST_OK);
    ck_assert_double_eq(r, 7);
    ck_assert_int_eq(first.calls, 2);
    /* released: C still holds its id, and is refused */
    ck_assert_int_eq(cbs_host_callback_free(m, a), WG_HOST_OK);
    ck_assert_uint_eq(live_callbacks(m), 0);
    ck_assert_int_eq(cbs_host_replay(m, 1, 2, &r), WG_HOST_BAD_RESULT);
    ck_assert_has(cbs_host_error(m), "callback reducer: C called it with user data");
    ck_assert_has(cbs_host_error(m), "it was released");
    /* a new one in the freed entry: the old id's generation is stale */
    ck_assert_int_eq(cbs_host_callback_reducer(m, reduce, &second, &b), WG_HOST_OK);
    ck_assert_int_eq(cbs_host_replay(m, 1, 2, &r), WG_HOST_BAD_RESULT);
    ck_assert_int_eq(second.calls, 0);
    ck_assert_int_eq(first.calls, 2);
    ck_assert_int_eq(cbs_host_remember(m, b), WG_HOST_OK);
    ck_assert_int_eq(cbs_host_replay(m, 2, 5, &r), WG_HOST_OK);
    ck_assert_double_eq(r, 7);
    ck_assert_int_eq(second.calls, 1);
    /* a call's callback beside it: counted while the call runs only */
    const double xs[] = {1, 2};
    ck_assert_int_eq(cbs_host_fold(m, xs, 2, 0, CBS_OP_ADD, reduce, &first, &r), WG_HOST_OK);
    ck_assert_double_eq(r, 3);
    ck_assert_uint_eq(live_callbacks(m), 1);
    ck_assert_int_eq(cbs_host_forget(m), WG_HOST_OK);
    /* b is left to the instance's end (teardown frees it: ASan would see a leak) */
}
END_TEST

START_TEST(test_stored_refused) {
    wg_host_callback *cb = NULL;
    ck_assert_int_eq(cbs_host_callback_reducer(m, NULL, NULL, &cb), WG_HOST_BAD_ARGUMENT);
    ck_assert_has(cbs_host_error(m), "callback_reducer: fn is NULL");
    ck_assert_ptr_null(cb);
    ck_assert_int_eq(cbs_host_callback_reducer(m, reduce, NULL, NULL), WG_HOST_BAD_ARGUMENT);
    ck_assert_int_eq(cbs_host_remember(m, NULL), WG_HOST_BAD_ARGUMENT);
    ck_assert_has(cbs_host_error(m), "remember: parameter 'fn' is NULL");
    ck_assert_int_eq(cbs_host_callback_free(m, NULL), WG_HOST_OK);
    /* another instance's callback: refused by the call and by free */
    cbs_host *other = NULL;
    seen s = {0};
    ck_assert_int_eq(cbs_host_new(&other, NULL), WG_HOST_OK);
    ck_assert_int_eq(cbs_host_callback_reducer(other, reduce, &s, &cb), WG_HOST_OK);
    ck_assert_int_eq(cbs_host_remember(m, cb), WG_HOST_BAD_ARGUMENT);
    ck_assert_has(cbs_host_error(m), "parameter 'fn' is a callback of another instance");
    ck_assert_int_eq(cbs_host_callback_free(m, cb), WG_HOST_BAD_ARGUMENT);
    ck_assert_uint_eq(live_callbacks(other), 1);
    cbs_host_free(other); /* and its callback with it */
}
END_TEST

/* What a ticker's visits saw. */
typedef struct {
    int calls;
    uint32_t last;
} ticks;

static void tick(void *user, uint32_t i) {
    ticks *v = user;
    v->calls++;
    v->last = i;
}

/* `stored(self)`: a handle keeps one function per callback type, replaced
 * by the next one set, removed by NULL, released after its destructor. */
START_TEST(test_owned) {
    cbs_host_ticker *t = NULL, *u = NULL;
    ticks v1 = {0}, v2 = {0}, v3 = {0};
    seen s = {0};
    uint32_t n = 0;
    double r = 0;
    ck_assert_int_eq(cbs_host_ticker_new(m, &t), WG_HOST_OK);
    ck_assert_int_eq(cbs_host_ticker_new(m, &u), WG_HOST_OK);
    ck_assert_int_eq(cbs_host_ticker_tick(m, t, 3, &n), WG_HOST_OK);
    ck_assert_uint_eq(n, 0);
    ck_assert_int_eq(cbs_host_ticker_on_tick(m, t, tick, &v1), WG_HOST_OK);
    ck_assert_int_eq(cbs_host_ticker_on_fold(m, t, reduce, &s), WG_HOST_OK);
    ck_assert_int_eq(cbs_host_ticker_on_tick(m, u, tick, &v3), WG_HOST_OK);
    ck_assert_uint_eq(live_callbacks(m), 3);
    ck_assert_int_eq(cbs_host_ticker_tick(m, t, 3, &n), WG_HOST_OK);
    ck_assert_uint_eq(n, 3);
    ck_assert_int_eq(v1.calls, 3);
    ck_assert_uint_eq(v1.last, 2);
    ck_assert_int_eq(cbs_host_ticker_fold_with(m, t, 1, 2, &r), WG_HOST_OK);
    ck_assert_double_eq(r, 3);
    ck_assert_int_eq(s.calls, 1);
    ck_assert_int_eq(v3.calls, 0); /* each handle's own */
    /* replaced: the new one only */
    ck_assert_int_eq(cbs_host_ticker_on_tick(m, t, tick, &v2), WG_HOST_OK);
    ck_assert_uint_eq(live_callbacks(m), 3);
    ck_assert_int_eq(cbs_host_ticker_tick(m, t, 1, &n), WG_HOST_OK);
    ck_assert_int_eq(v1.calls, 3);
    ck_assert_int_eq(v2.calls, 1);
    /* removed: C gets NULL */
    ck_assert_int_eq(cbs_host_ticker_on_tick(m, t, NULL, NULL), WG_HOST_OK);
    ck_assert_uint_eq(live_callbacks(m), 2);
    ck_assert_int_eq(cbs_host_ticker_tick(m, t, 3, &n), WG_HOST_OK);
    ck_assert_uint_eq(n, 0);
    ck_assert_int_eq(cbs_host_ticker_on_tick(m, t, tick, &v2), WG_HOST_OK);
    /* freed: its destructor still calls its visit, then they end */
    ck_assert_int_eq(cbs_host_ticker_free(m, t), WG_HOST_OK);
    ck_assert_int_eq(v2.calls, 2);
    ck_assert_uint_eq(v2.last, 999);
    ck_assert_uint_eq(live_callbacks(m), 1);
    ck_assert_int_eq(cbs_host_ticker_tick(m, u, 2, &n), WG_HOST_OK);
    ck_assert_int_eq(v3.calls, 2);
    ck_assert_int_eq(cbs_host_ticker_on_tick(m, NULL, tick, &v1), WG_HOST_BAD_ARGUMENT);
    ck_assert_has(cbs_host_error(m), "ticker_on_tick: self is NULL");
    ck_assert_int_eq(cbs_host_ticker_free(m, u), WG_HOST_OK);
    ck_assert_int_eq(v3.calls, 3);
    ck_assert_uint_eq(live_callbacks(m), 0);
}
END_TEST

/* `stored(t)`: kept by a resource parameter's handle. */
START_TEST(test_owned_by_a_parameter) {
    cbs_host_ticker *t = NULL;
    ticks v = {0};
    uint32_t n = 0;
    ck_assert_int_eq(cbs_host_ticker_new(m, &t), WG_HOST_OK);
    ck_assert_int_eq(cbs_host_watch(m, t, tick, &v), WG_HOST_OK);
    ck_assert_uint_eq(live_callbacks(m), 1);
    ck_assert_int_eq(cbs_host_ticker_tick(m, t, 2, &n), WG_HOST_OK);
    ck_assert_int_eq(v.calls, 2);
    ck_assert_int_eq(cbs_host_watch(m, NULL, tick, &v), WG_HOST_BAD_ARGUMENT);
    ck_assert_has(cbs_host_error(m), "watch: parameter 't' is NULL");
    ck_assert_int_eq(cbs_host_watch(m, t, NULL, NULL), WG_HOST_BAD_ARGUMENT);
    ck_assert_has(cbs_host_error(m), "watch: parameter 'fn' is NULL");
    ck_assert_int_eq(cbs_host_ticker_free(m, t), WG_HOST_OK);
    ck_assert_int_eq(v.calls, 3); /* the destructor's */
    ck_assert_uint_eq(live_callbacks(m), 0);
}
END_TEST

START_TEST(test_owned_other_instance) {
    cbs_host *other = NULL;
    cbs_host_ticker *t = NULL;
    ticks v = {0};
    ck_assert_int_eq(cbs_host_new(&other, NULL), WG_HOST_OK);
    ck_assert_int_eq(cbs_host_ticker_new(other, &t), WG_HOST_OK);
    ck_assert_int_eq(cbs_host_ticker_on_tick(m, t, tick, &v), WG_HOST_BAD_ARGUMENT);
    ck_assert_has(cbs_host_error(m), "self is a ticker of another instance");
    ck_assert_uint_eq(live_callbacks(other), 0);
    ck_assert_uint_eq(live_callbacks(m), 0);
    cbs_host_free(other);
}
END_TEST

/* ---- A string array C passes: host copies, counted and NULL-terminated */

typedef struct {
    size_t len;
    char text[64];
    bool terminated;
    bool null;
} spelled;

static uint32_t names(void *user, const char *const *list, size_t len) {
    spelled *s = user;
    s->len = len;
    s->null = list == NULL;
    s->text[0] = '\0';
    if (list == NULL)
        return 0;
    for (size_t i = 0; i < len; i++) {
        strncat(s->text, list[i], sizeof s->text - strlen(s->text) - 2);
        strcat(s->text, "|");
    }
    s->terminated = list[len] == NULL;
    return (uint32_t)len * 10;
}

START_TEST(test_string_arrays) {
    spelled s = {0};
    uint32_t r = 0;
    ck_assert_int_eq(cbs_host_spell(m, false, false, names, &s, &r), WG_HOST_OK);
    ck_assert_uint_eq(r, 30);
    ck_assert_uint_eq(s.len, 3);
    ck_assert_str_eq(s.text, "one||three|");
    ck_assert(s.terminated);
    /* a NULL array where the IDL has no `?`: an empty one, never NULL */
    memset(&s, 0, sizeof s);
    ck_assert_int_eq(cbs_host_spell(m, true, false, names, &s, &r), WG_HOST_OK);
    ck_assert(!s.null);
    ck_assert_uint_eq(s.len, 0);
    ck_assert(s.terminated);
    /* a string without its NUL inside memory: the call fails, the callback never runs */
    memset(&s, 0, sizeof s);
    s.len = 77;
    ck_assert_int_eq(cbs_host_spell(m, false, true, names, &s, &r), WG_HOST_BAD_RESULT);
    ck_assert_has(cbs_host_error(m), "callback names: argument 'list': a string at");
    ck_assert_has(cbs_host_error(m), "has no NUL inside the module's memory");
    ck_assert_uint_eq(s.len, 77);
}
END_TEST

/* ---- A string a callback returns: copied into the module, C frees it */

static const char *label(void *user, int32_t x) {
    (void)user;
    static char buf[32];
    if (x < 0)
        return NULL;
    snprintf(buf, sizeof buf, "#%d", (int)x);
    return buf;
}

START_TEST(test_string_results) {
    int32_t n = 0;
    ck_assert_int_eq(cbs_host_label_len(m, 1234, label, NULL, &n), WG_HOST_OK);
    ck_assert_int_eq(n, 5);
    ck_assert_int_eq(cbs_host_label_len(m, -1, label, NULL, &n), WG_HOST_OK); /* label?: NULL is none */
    ck_assert_int_eq(n, -1);
    ck_assert_int_eq(cbs_host_name_len(m, 7, label, NULL, &n), WG_HOST_OK);
    ck_assert_int_eq(n, 2);
    /* name_of has no `?`: NULL fails the call, as JS refuses null */
    ck_assert_int_eq(cbs_host_name_len(m, -1, label, NULL, &n), WG_HOST_BAD_ARGUMENT);
    ck_assert_str_eq(cbs_host_error(m), "callback name_of: the result is NULL");
    /* (teardown: the module's live allocations are back where they were) */
}
END_TEST

/* ---- Structs, struct and array results, resources C lends */

typedef struct {
    int calls;
    cbs_tagged t;
    bool has_q;
    cbs_pt q;
} measured;

static double measure(void *user, const cbs_tagged *t, const cbs_pt *q, const cbs_pt *r) {
    measured *s = user;
    ck_assert(r != NULL && r->x == 3 && r->y == 4);
    s->calls++;
    s->t = *t;
    s->has_q = q != NULL;
    if (q)
        s->q = *q;
    return t->at.x * 10 + (q ? q->y : -1);
}

/* A struct by value and by pointer: `const T *` copies for the call; NULL
 * for a `?` pointer (else BAD_RESULT, as JS throws); a pointer out of wasm memory, or a field that is no
 * value of its enum, fails the call (BAD_RESULT) before the callback runs. */
START_TEST(test_struct_arguments) {
    measured s = {0};
    double r = 0;
    ck_assert_int_eq(cbs_host_measure_with(m, 0, measure, &s, &r), WG_HOST_OK);
    ck_assert_int_eq(s.calls, 1);
    ck_assert(s.t.at.x == 1 && s.t.at.y == 2 && s.t.how == CBS_OP_MUL);
    ck_assert(s.has_q && s.q.x == 3 && s.q.y == 4);
    ck_assert(r == 14);
    ck_assert_int_eq(cbs_host_measure_with(m, 1, measure, &s, &r), WG_HOST_OK);
    ck_assert_int_eq(s.calls, 2);
    ck_assert(!s.has_q);
    ck_assert(r == 9);
    ck_assert_int_eq(cbs_host_measure_with(m, 2, measure, &s, &r), WG_HOST_BAD_RESULT);
    ck_assert_has(cbs_host_error(m), "callback measure");
    ck_assert_has(cbs_host_error(m), "argument 'q'");
    ck_assert_int_eq(cbs_host_measure_with(m, 3, measure, &s, &r), WG_HOST_BAD_RESULT);
    ck_assert_has(cbs_host_error(m), "not a value of enum op");
    ck_assert_int_eq(cbs_host_measure_with(m, 4, measure, &s, &r), WG_HOST_BAD_RESULT); /* not `pt?` */
    ck_assert_str_eq(cbs_host_error(m), "callback measure: C passed NULL for argument 'r', a struct pt");
    ck_assert_int_eq(s.calls, 2);
}
END_TEST

static void make(void *user, int32_t i, cbs_tagged *result) {
    (void)user;
    ck_assert(result->at.x == 0 && result->at.y == 0 && result->how == 0); /* zeroed */
    result->at.x = i;
    result->at.y = 0.5;
    result->how = i % 2 ? CBS_OP_MUL : CBS_OP_ADD;
}

static void make_bad(void *user, int32_t i, cbs_tagged *result) {
    (void)user;
    result->at.x = i;
    result->how = (cbs_op)9;
}

/* A struct result: written through `result`, checked as an argument is. */
START_TEST(test_struct_result) {
    double r = 0;
    ck_assert_int_eq(cbs_host_make_sum(m, 4, make, NULL, &r), WG_HOST_OK);
    ck_assert(r == 0 + 1 + 2 + 3 + 4 * 0.5 + 2 * 100);
    ck_assert_int_eq(cbs_host_make_sum(m, 2, make_bad, NULL, &r), WG_HOST_BAD_ARGUMENT);
    ck_assert_str_eq(cbs_host_error(m), "callback make: field 'tagged.how' is 9, not a value of enum op");
}
END_TEST

static double kept_elems[5] = {1, 2, 3, 4, 5};

static void series(void *user, int32_t n, wg_f64_array *result) {
    ck_assert(result->ptr == NULL && result->len == 0);
    if (n < 0) { /* NULL with elements */
        result->len = 2;
        return;
    }
    if (user) { /* the elements in memory the host frees after the call: a copy was made */
        double *d = malloc((size_t)n * sizeof *d + 1);
        for (int32_t i = 0; i < n; i++)
            d[i] = 10 * i;
        *(double **)user = d;
        result->ptr = d;
    } else {
        result->ptr = kept_elems;
    }
    result->len = (size_t)n;
}

/* An array result: the host's elements (it keeps them) copied into memory C
 * owns and frees (teardown: nothing left in the module); empty is {0, 0};
 * NULL with a length fails the call (BAD_ARGUMENT). */
START_TEST(test_array_result) {
    double r = 0;
    ck_assert_int_eq(cbs_host_series_sum(m, 5, series, NULL, &r), WG_HOST_OK);
    ck_assert(r == 5000 + 15);
    ck_assert_int_eq(cbs_host_series_sum(m, 0, series, NULL, &r), WG_HOST_OK);
    ck_assert(r == 0);
    double *mine = NULL;
    ck_assert_int_eq(cbs_host_series_sum(m, 3, series, &mine, &r), WG_HOST_OK);
    ck_assert(r == 3000 + 0 + 10 + 20);
    free(mine);
    ck_assert_int_eq(cbs_host_series_sum(m, -1, series, NULL, &r), WG_HOST_BAD_ARGUMENT);
    ck_assert_has(cbs_host_error(m), "callback series");
    ck_assert_has(cbs_host_error(m), "the result is NULL with 2 elements");
}
END_TEST

typedef struct {
    cbs_host_ticker *kept;
    bool free_it;
    uint32_t ticks;
    int status;
} lender;

static int32_t lend(void *user, cbs_host_ticker *t, cbs_host_ticker *none) {
    lender *l = user;
    ck_assert_ptr_null(none);
    ck_assert_ptr_nonnull(t);
    l->status = cbs_host_ticker_tick(m, t, 3, &l->ticks); /* usable during the callback */
    if (l->free_it)
        ck_assert_int_eq(cbs_host_ticker_free(m, t), WG_HOST_OK); /* leaves the object to C */
    else
        l->kept = t;
    return 42;
}

/* A resource C lends: a borrowed handle, usable during the callback,
 * refused (BAD_ARGUMENT) once it returned; freeing it leaves C's object
 * alone, during the callback or after (when it does nothing). */
START_TEST(test_lent_resource) {
    lender l = {0};
    int32_t r = 0;
    ck_assert_int_eq(cbs_host_with_lent(m, lend, &l, &r), WG_HOST_OK);
    ck_assert_int_eq(r, 42);
    ck_assert_int_eq(l.status, WG_HOST_OK);
    ck_assert_uint_eq(l.ticks, 0); /* no visit set: 0 */
    ck_assert_ptr_nonnull(l.kept);
    uint32_t n = 7;
    ck_assert_int_eq(cbs_host_ticker_tick(m, l.kept, 3, &n), WG_HOST_BAD_ARGUMENT);
    ck_assert_has(cbs_host_error(m), "lent to a callback that has returned");
    ck_assert_int_eq(cbs_host_ticker_free(m, l.kept), WG_HOST_OK); /* the handle only: C freed the ticker */
    lender f = {.free_it = true};
    ck_assert_int_eq(cbs_host_with_lent(m, lend, &f, &r), WG_HOST_OK);
    ck_assert_int_eq(r, 42);
    /* one kept and left to the instance's end (ASan: not leaked) */
    lender k = {0};
    ck_assert_int_eq(cbs_host_with_lent(m, lend, &k, &r), WG_HOST_OK);
}
END_TEST

static void add_visit(void *user, uint32_t i) { *(uint32_t *)user += i + 1; }

typedef struct {
    uint32_t seen, ticks;
    uint64_t during;
    cbs_host_ticker *token;
} watcher;

static int32_t lend_watch(void *user, cbs_host_ticker *t, cbs_host_ticker *none) {
    (void)none;
    watcher *w = user;
    ck_assert_int_eq(cbs_host_watch(m, t, add_visit, &w->seen), WG_HOST_OK);
    ck_assert_int_eq(cbs_host_ticker_tick(m, t, 3, &w->ticks), WG_HOST_OK);
    wg_host_stats s;
    ck_assert_int_eq(cbs_host_stats(m, &s), WG_HOST_OK);
    w->during = s.live_callbacks;
    w->token = t;
    return 0;
}

/* A lent handle the host gave a callback to keep (stored(t)) keeps it after
 * its callback returned, as C may call it (the ticker's destructor does,
 * with 999): refused for anything else, it lasts until the host frees its
 * token (which releases the callback) or the instance's end. */
START_TEST(test_lent_keeps_callbacks) {
    wg_host_stats s;
    ck_assert_int_eq(cbs_host_stats(m, &s), WG_HOST_OK);
    uint64_t before = s.live_callbacks;
    for (int keep = 0; keep < 2; keep++) {
        watcher w = {0};
        int32_t r = 0;
        ck_assert_int_eq(cbs_host_with_lent(m, lend_watch, &w, &r), WG_HOST_OK);
        ck_assert_uint_eq(w.ticks, 3);
        ck_assert_uint_eq(w.seen, 1 + 2 + 3 + 1000); /* and the destructor's, after the callback */
        ck_assert_uint_eq(w.during, before + 2);   /* the call's `lend`, the handle's `visit` */
        ck_assert_int_eq(cbs_host_stats(m, &s), WG_HOST_OK);
        ck_assert_uint_eq(s.live_callbacks, before + 1);
        ck_assert_uint_eq(s.live_handles, 1);
        uint32_t n = 0;
        ck_assert_int_eq(cbs_host_ticker_tick(m, w.token, 1, &n), WG_HOST_BAD_ARGUMENT);
        ck_assert_has(cbs_host_error(m), "lent to a callback that has returned");
        if (keep) /* ASan: the instance's end frees it */
            break;
        ck_assert_int_eq(cbs_host_ticker_free(m, w.token), WG_HOST_OK);
        ck_assert_int_eq(cbs_host_stats(m, &s), WG_HOST_OK);
        ck_assert_uint_eq(s.live_callbacks, before);
        ck_assert_uint_eq(s.live_handles, 0);
        ck_assert_int_eq(cbs_host_ticker_free(m, w.token), WG_HOST_OK); /* again: nothing */
    }
}
END_TEST

static uint32_t fill(void *user, uint8_t *buf, size_t buf_len) {
    *(size_t *)user = buf_len;
    for (size_t i = 0; i < buf_len && i < 3; i++)
        buf[i] = (uint8_t)(10 + i);
    return buf_len < 3 ? (uint32_t)buf_len : 3;
}

/* An array C lends the callback to fill (`out u8[]`): `T *`, a view of C's
 * memory; out of wasm memory: BAD_RESULT before the callback runs. */
START_TEST(test_buffer_to_fill) {
    size_t len = 99;
    uint32_t r = 0;
    ck_assert_int_eq(cbs_host_fill_sum(m, 8, fill, &len, &r), WG_HOST_OK);
    ck_assert_uint_eq(len, 8);
    ck_assert_uint_eq(r, 3000 + 10 + 11 + 12);
    ck_assert_int_eq(cbs_host_fill_sum(m, 0, fill, &len, &r), WG_HOST_OK);
    ck_assert_uint_eq(len, 0);
    ck_assert_uint_eq(r, 0);
    len = 99;
    ck_assert_int_eq(cbs_host_fill_sum(m, 999, fill, &len, &r), WG_HOST_BAD_RESULT);
    ck_assert_has(cbs_host_error(m), "argument 'buf'");
    ck_assert_uint_eq(len, 99);
}
END_TEST

static int32_t weigh(void *user, const cbs_named *n) {
    (void)user;
    ck_assert_str_eq(n->name, "hello");
    ck_assert_uint_eq(n->name_len, 5);
    ck_assert_uint_eq(n->xs_len, 3);
    int32_t sum = n->xs[0] + n->xs[1] + n->xs[2];
    ((char *)(uintptr_t)n->name)[0] = 'J'; /* a copy: C's is unchanged */
    ((int32_t *)(uintptr_t)n->xs)[0] = 100;
    return sum;
}

/* A struct holding a string and an array: copies for the call, given back
 * after it (ASan), C's own unchanged. */
START_TEST(test_struct_with_insides) {
    int32_t r = 0;
    ck_assert_int_eq(cbs_host_weigh_of(m, weigh, NULL, &r), WG_HOST_OK);
    ck_assert_int_eq(r, 1006);
}
END_TEST

typedef struct {
    char text[128];
} tallier;

/* What it got, as text; then scribbles over the copies (C's stay as they were). */
static int32_t tally(void *user, const cbs_roster *r) {
    tallier *t = user;
    size_t n = 0;
    char *s = t->text;
    for (size_t i = 0; i < r->names_len; i++) {
        const wg_str *w = &r->names[i];
        ck_assert_ptr_nonnull(w->ptr); /* C's NULL: "" */
        ck_assert_uint_eq(strlen(w->ptr), w->len); /* its own NUL */
        n += (size_t)snprintf(s + n, sizeof t->text - n, "%s%s", i ? "," : "", w->ptr);
    }
    n += (size_t)snprintf(s + n, sizeof t->text - n, "|");
    for (size_t i = 0; i < r->groups_len; i++) {
        const cbs_named *g = &r->groups[i];
        n += (size_t)snprintf(s + n, sizeof t->text - n, "%s%s:", i ? ";" : "", g->name);
        for (size_t j = 0; j < g->xs_len; j++)
            n += (size_t)snprintf(s + n, sizeof t->text - n, "%s%d", j ? "," : "", g->xs[j]);
    }
    n += (size_t)snprintf(s + n, sizeof t->text - n, "|");
    for (size_t i = 0; i < r->points_len; i++)
        n += (size_t)snprintf(s + n, sizeof t->text - n, "%s%g,%g", i ? ";" : "", r->points[i].x, r->points[i].y);
    snprintf(s + n, sizeof t->text - n, "|%u", r->tag);
    if (r->names_len > 0)
        ((char *)(uintptr_t)r->names[0].ptr)[0] = 'X';
    if (r->groups_len > 1) {
        ((char *)(uintptr_t)r->groups[1].name)[0] = 'X';
        ((int32_t *)(uintptr_t)r->groups[1].xs)[1] = 99;
        ((cbs_named *)(uintptr_t)r->groups)[1].xs_len = 0;
    }
    if (r->points_len > 1)
        ((cbs_pt *)(uintptr_t)r->points)[1].y = 99;
    return (int32_t)(r->names_len * 100 + r->groups_len * 10 + r->points_len);
}

/* A struct holding lists (a string array, a list of structs holding a
 * string and an array, a list of numbers' structs): host copies for the
 * call, given back after it (ASan), C's own unchanged (+ 1000); C's NULL
 * lists are NULL with 0 elements; a list or a string in one out of wasm
 * memory fails the call (BAD_RESULT), what was copied freed. */
START_TEST(test_struct_with_lists) {
    tallier t = {{0}};
    int32_t r = 0;
    ck_assert_int_eq(cbs_host_tally_of(m, 0, tally, &t, &r), WG_HOST_OK);
    ck_assert_str_eq(t.text, "ann,,bob|x:1;yz:2,3|1,2;3,4|7");
    ck_assert_int_eq(r, 1000 + 322);
    ck_assert_int_eq(cbs_host_tally_of(m, 1, tally, &t, &r), WG_HOST_OK);
    ck_assert_str_eq(t.text, "|||7");
    ck_assert_int_eq(r, 1000);
    ck_assert_int_eq(cbs_host_tally_of(m, 2, tally, &t, &r), WG_HOST_BAD_RESULT);
    ck_assert_has(cbs_host_error(m), "callback tally: the module gave field 'roster.names' out of bounds");
    ck_assert_int_eq(cbs_host_tally_of(m, 3, tally, &t, &r), WG_HOST_BAD_RESULT);
    ck_assert_has(cbs_host_error(m), "callback tally: the module gave field 'roster.groups' out of bounds");
    ck_assert_int_eq(cbs_host_tally_of(m, 0, tally, &t, &r), WG_HOST_OK);
    ck_assert_int_eq(r, 1000 + 322);
}
END_TEST

static int32_t tree_sum(const cbs_tree *t) {
    int32_t sum = t->v;
    for (size_t i = 0; i < t->kids_len; i++)
        sum += tree_sum(&t->kids[i]);
    return sum;
}

static int32_t walk(void *user, const cbs_tree *t) {
    ++*(int *)user;
    return tree_sum(t);
}

/* A struct holding a list of itself: copied to any depth; C's memory
 * nesting it without end fails the call (BAD_RESULT) once the native stack
 * runs low, before the host function runs, what was copied freed. Lists
 * sharing elements are copied as often as they are reached: a few times
 * (mode 3: 31 nodes from 9) is fine; 2^41 nodes (mode 2: 80 in C's memory,
 * each level's 2 the kids of every node above) fail the call at the bound
 * of what a copy may read, the memory's size (before: the host copied until
 * its memory ran out). */
START_TEST(test_struct_holding_itself) {
    int calls = 0;
    int32_t r = 0;
    ck_assert_int_eq(cbs_host_walk_of(m, 0, walk, &calls, &r), WG_HOST_OK);
    ck_assert_int_eq(r, 1 + 2 + 3 + 4);
    ck_assert_int_eq(cbs_host_walk_of(m, 1, walk, &calls, &r), WG_HOST_BAD_RESULT);
    ck_assert_str_eq(cbs_host_error(m), "callback walk: the module gave field 'tree.kids' nesting lists deeper than "
                                        "the native stack allows");
    ck_assert_int_eq(calls, 1);
    ck_assert_int_eq(cbs_host_walk_of(m, 3, walk, &calls, &r), WG_HOST_OK);
    ck_assert_int_eq(r, 31);
    ck_assert_int_eq(cbs_host_walk_of(m, 2, walk, &calls, &r), WG_HOST_BAD_RESULT);
    ck_assert_has(cbs_host_error(m), "callback walk: the module gave argument 't' holding more than its memory's ");
    ck_assert_has(cbs_host_error(m), " bytes (at field 'tree.kids'): its lists share elements");
    ck_assert_int_eq(calls, 2);
    ck_assert_int_eq(cbs_host_walk_of(m, 0, walk, &calls, &r), WG_HOST_OK); /* still usable */
    ck_assert_int_eq(r, 1 + 2 + 3 + 4);
}
END_TEST

/* A struct result holding a list of itself: taken to any depth (mode 0);
 * C's lists sharing elements (1: a cycle, 2: 2^41 nodes from 81) fail the
 * call at the bound of what taking a call's results may read, the memory's
 * size (before: a native stack overflow, a trap; and the host copying until
 * its memory ran out), what was copied freed. (The module's blocks a
 * refused result holds stay its own: a fresh instance after.) */
START_TEST(test_struct_result_sharing) {
    cbs_tree t;
    ck_assert_int_eq(cbs_host_grow(m, 0, &t), WG_HOST_OK);
    ck_assert_int_eq(tree_sum(&t), 1 + 2 + 3 + 4);
    cbs_host_free_tree(&t);
    for (int32_t mode = 1; mode <= 2; mode++) {
        ck_assert_int_eq(cbs_host_grow(m, mode, &t), WG_HOST_BAD_RESULT);
        ck_assert_has(cbs_host_error(m), "grow: the module gave its results holding more than its memory's ");
        ck_assert_has(cbs_host_error(m), " bytes (at field 'tree.kids'): its lists share elements");
    }
    cbs_host_free(m);
    ck_assert_int_eq(cbs_host_new(&m, NULL), WG_HOST_OK);
    live0 = live();
}
END_TEST

static int32_t count_roster(void *user, const cbs_roster *r) {
    (void)user;
    int32_t sum = 0;
    for (size_t i = 0; i < r->names_len; i++)
        sum += (int32_t)r->names[i].len;
    for (size_t i = 0; i < r->groups_len; i++)
        sum += r->groups[i].xs[0];
    return sum;
}

/* The copies of a struct's lists are given back newest first, each found at
 * the top of the call's blocks: wg_host_release looks past none of them
 * (release_steps). Before, the fields went back oldest first, each release
 * moving every newer block: 2000 names and 2000 groups cost 8,008,001. */
START_TEST(test_copies_given_back_newest_first) {
    wg_sandbox *sb = (wg_sandbox *)m; /* (cbs_host's first member) */
    int32_t r = 0;
    uint64_t steps0 = sb->release_steps;
    ck_assert_int_eq(cbs_host_tally_of(m, 4, count_roster, NULL, &r), WG_HOST_OK);
    ck_assert_int_eq(r, 4000);
    ck_assert_uint_eq(sb->release_steps - steps0, 0);
}
END_TEST

int main(void) {
    Suite *s = suite_create("host_cbs");
    TCase *tc = tcase_create("callbacks");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_results_and_user_data);
    tcase_add_test(tc, test_null_from_the_module);
    tcase_add_test(tc, test_refused_after_a_long_string);
    tcase_add_test(tc, test_bool_results);
    tcase_add_test(tc, test_null_callback);
    tcase_add_test(tc, test_reentrant);
    tcase_add_test(tc, test_nested_failure);
    tcase_add_test(tc, test_kept_past_its_call);
    tcase_add_test(tc, test_bad_callback_result);
    tcase_add_test(tc, test_stored);
    tcase_add_test(tc, test_stored_refused);
    tcase_add_test(tc, test_owned);
    tcase_add_test(tc, test_owned_by_a_parameter);
    tcase_add_test(tc, test_owned_other_instance);
    tcase_add_test(tc, test_string_arrays);
    tcase_add_test(tc, test_string_results);
    tcase_add_test(tc, test_struct_arguments);
    tcase_add_test(tc, test_struct_result);
    tcase_add_test(tc, test_array_result);
    tcase_add_test(tc, test_lent_resource);
    tcase_add_test(tc, test_lent_keeps_callbacks);
    tcase_add_test(tc, test_buffer_to_fill);
    tcase_add_test(tc, test_struct_with_insides);
    tcase_add_test(tc, test_struct_with_lists);
    tcase_add_test(tc, test_copies_given_back_newest_first);
    tcase_add_test(tc, test_struct_result_sharing);
    tcase_add_test(tc, test_struct_holding_itself);
    suite_add_tcase(s, tc);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
