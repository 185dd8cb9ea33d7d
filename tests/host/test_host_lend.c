/*
 * test_host_lend.c - resources C lends callbacks, through the native host:
 * tests/host/lend.idl binds lendlib.h (a box owns child boxes) as it is.
 * A lent handle is the token of a handle the runtime reuses once the
 * callback returned: a callback called 100000 times leaves the host's
 * handles and memory where they were; a token kept past its callback is
 * refused, never taken for the handle lent after it; what was borrowed from
 * a lent handle, or given to it, is refused with it; a call that fails
 * between two lent handles ends the first.
 */
#include <check.h>
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lend_host.h"
#include "wg_host_internal.h" /* wg__lent_next */

#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define LEND_ASAN 1
#endif
#endif
#if defined(__SANITIZE_ADDRESS__)
#define LEND_ASAN 1
#endif
#ifdef LEND_ASAN
#include <sanitizer/allocator_interface.h>
#endif

#define ck_assert_has(hay, needle)                                                               \
    do {                                                                                         \
        const char *hay_ = (hay), *needle_ = (needle);                                           \
        ck_assert_msg(hay_ && strstr(hay_, needle_), "expected \"%s\" in \"%s\"", needle_, hay_); \
    } while (0)

static lend_host *m;

static wg_host_stats stats(void) {
    wg_host_stats s;
    ck_assert_int_eq(lend_host_stats(m, &s), WG_HOST_OK);
    return s;
}

/* The host's heap in use, in bytes (ASan's count in the sanitized build). */
static size_t host_heap(void) {
#ifdef LEND_ASAN
    return __sanitizer_get_current_allocated_bytes();
#else
    return mallinfo2().uordblks;
#endif
}

static wg_host_stats s0;

static void setup(void) {
    ck_assert_int_eq(lend_host_new(&m, NULL), WG_HOST_OK);
    s0 = stats();
}

static void teardown(void) {
    wg_host_stats s = stats();
    ck_assert_uint_eq(s.live_count, s0.live_count); /* nothing left in the sandbox */
    lend_host_free(m);
    m = NULL;
}

static int32_t value(lend_host_box *b) {
    int32_t v = -1;
    ck_assert_int_eq(lend_host_box_value(m, b, &v), WG_HOST_OK);
    return v;
}

/* A callback that uses its box and its child, keeps the box's token, and
 * tries the one it kept last time. */
typedef struct {
    lend_host_box *prev;
    uint32_t calls, refused;
} churn;

static int32_t use_and_keep(void *user, lend_host_box *b) {
    churn *c = user;
    int32_t v = value(b);
    lend_host_box *kid = NULL;
    ck_assert_int_eq(lend_host_box_child(m, b, 0, &kid), WG_HOST_OK);
    ck_assert_int_eq(value(kid), v + 1);
    ck_assert_int_eq(lend_host_box_free(m, kid), WG_HOST_OK);
    if (c->prev != NULL) {
        /* last call's token: refused, never this call's box (whose handle is the same one, reused) */
        ck_assert_ptr_ne(c->prev, b);
        int32_t w = 0;
        if (lend_host_box_value(m, c->prev, &w) == WG_HOST_BAD_ARGUMENT)
            c->refused++;
    }
    c->prev = b;
    c->calls++;
    return v;
}

/* A callback called 100000 times costs nothing once each returned: the
 * handles the host holds, the module's blocks and the host's heap are where
 * they were after the first thousand (the old runtime kept every lent
 * handle until the host freed it: ~8 MB here). */
START_TEST(test_many_calls_flat) {
    churn c = {0};
    int32_t r = 0;
    for (int i = 0; i < 1000; i++)
        ck_assert_int_eq(lend_host_with_box(m, i, use_and_keep, &c, &r), WG_HOST_OK);
    wg_host_stats before = stats();
    size_t heap = host_heap();
    for (int i = 0; i < 100000; i++) {
        ck_assert_int_eq(lend_host_with_box(m, i, use_and_keep, &c, &r), WG_HOST_OK);
        ck_assert_int_eq(r, i);
    }
    wg_host_stats after = stats();
    size_t grown = host_heap() - heap;
    ck_assert_uint_eq(c.calls, 101000);
    ck_assert_uint_eq(c.refused, 100999);
    ck_assert_uint_eq(after.live_handles, before.live_handles);
    ck_assert_uint_eq(after.live_handles, 0);
    ck_assert_uint_eq(after.live_count, before.live_count);
    ck_assert_uint_eq(after.live_bytes, before.live_bytes);
    ck_assert_uint_eq(after.live_callbacks, before.live_callbacks);
    ck_assert_msg(host_heap() <= heap || grown < 64 * 1024, "the host's heap grew by %zu bytes", grown);
    /* the last one kept: refused, with why; freeing it does nothing */
    ck_assert_int_eq(lend_host_box_value(m, c.prev, &r), WG_HOST_BAD_ARGUMENT);
    ck_assert_str_eq(lend_host_error(m), "box_value: self is a box C lent to a callback that has returned (a lent "
                                         "handle is valid only while its callback runs, in its instance)");
    ck_assert_int_eq(lend_host_box_free(m, c.prev), WG_HOST_OK);
    ck_assert_int_eq(lend_host_box_free(m, c.prev), WG_HOST_OK);
}
END_TEST

typedef struct {
    lend_host_box *box, *kid, *given;
    int32_t kid_value, given_value;
} kept;

static int32_t borrow_from(void *user, lend_host_box *b) {
    kept *k = user;
    k->box = b;
    ck_assert_int_eq(lend_host_box_child(m, b, 0, &k->kid), WG_HOST_OK);
    k->kid_value = value(k->kid);
    return 0;
}

/* A handle borrowed from a lent one (its child) is refused with it: its
 * object was C's, freed after the callback (the old runtime let the host
 * read it); the host frees the handle it made. */
START_TEST(test_borrowed_from_lent) {
    kept k = {0};
    int32_t r = 0, frees0 = 0, frees = 0;
    ck_assert_int_eq(lend_host_frees(m, &frees0), WG_HOST_OK);
    ck_assert_int_eq(lend_host_with_box(m, 5, borrow_from, &k, &r), WG_HOST_OK);
    ck_assert_int_eq(k.kid_value, 6);
    ck_assert_uint_eq(stats().live_handles, 1); /* the child's handle, the host's */
    ck_assert_int_eq(lend_host_box_value(m, k.kid, &r), WG_HOST_BAD_ARGUMENT);
    ck_assert_str_eq(lend_host_error(m), "box_value: self is a box whose owner was freed");
    ck_assert_int_eq(lend_host_box_value(m, k.box, &r), WG_HOST_BAD_ARGUMENT);
    ck_assert_int_eq(lend_host_box_free(m, k.kid), WG_HOST_OK); /* the handle only */
    ck_assert_int_eq(lend_host_frees(m, &frees), WG_HOST_OK);
    ck_assert_int_eq(frees, frees0 + 2); /* C's box and its child, once */
    ck_assert_uint_eq(stats().live_handles, 0);
}
END_TEST

static int32_t give_to(void *user, lend_host_box *b) {
    kept *k = user;
    k->box = b;
    ck_assert_int_eq(lend_host_box_new(m, 7, &k->given), WG_HOST_OK);
    ck_assert_int_eq(lend_host_box_adopt(m, b, k->given), WG_HOST_OK);
    k->given_value = value(k->given); /* usable, borrowed from b */
    lend_host_box *second = NULL;
    ck_assert_int_eq(lend_host_box_child(m, b, 1, &second), WG_HOST_OK);
    ck_assert_int_eq(value(second), 7);
    ck_assert_int_eq(lend_host_box_free(m, second), WG_HOST_OK);
    return 0;
}

/* A handle given to a lent one (adopted by it) is refused once the callback
 * returned: C freed it with its new owner. */
START_TEST(test_given_to_lent) {
    kept k = {0};
    int32_t r = 0, frees0 = 0, frees = 0;
    ck_assert_int_eq(lend_host_frees(m, &frees0), WG_HOST_OK);
    ck_assert_int_eq(lend_host_with_box(m, 1, give_to, &k, &r), WG_HOST_OK);
    ck_assert_int_eq(k.given_value, 7);
    ck_assert_int_eq(lend_host_box_value(m, k.given, &r), WG_HOST_BAD_ARGUMENT);
    ck_assert_str_eq(lend_host_error(m), "box_value: self is a box whose owner was freed");
    ck_assert_int_eq(lend_host_box_free(m, k.given), WG_HOST_OK); /* borrowed: no destructor */
    ck_assert_int_eq(lend_host_frees(m, &frees), WG_HOST_OK);
    ck_assert_int_eq(frees, frees0 + 3);
    ck_assert_uint_eq(stats().live_handles, 0);
}
END_TEST

static int32_t free_then_use(void *user, lend_host_box *b) {
    (void)user;
    ck_assert_int_eq(lend_host_box_free(m, b), WG_HOST_OK); /* the handle only: the box is C's */
    int32_t v = 0;
    ck_assert_int_eq(lend_host_box_value(m, b, &v), WG_HOST_BAD_ARGUMENT);
    ck_assert_str_eq(lend_host_error(m), "box_value: self is a box C lent to a callback, which the host freed");
    ck_assert_int_eq(lend_host_box_free(m, b), WG_HOST_OK);
    return 3;
}

/* Freed during its callback: refused from then on, C's object left alone. */
START_TEST(test_freed_during_callback) {
    int32_t r = 0, frees0 = 0, frees = 0;
    ck_assert_int_eq(lend_host_frees(m, &frees0), WG_HOST_OK);
    ck_assert_int_eq(lend_host_with_box(m, 1, free_then_use, NULL, &r), WG_HOST_OK);
    ck_assert_int_eq(r, 3);
    ck_assert_int_eq(lend_host_frees(m, &frees), WG_HOST_OK);
    ck_assert_int_eq(frees, frees0 + 2);
}
END_TEST

typedef struct {
    lend_host_box *outer, *inner;
    int depth;
} nest;

static int32_t nested(void *user, lend_host_box *b) {
    nest *n = user;
    int32_t r = 0;
    if (n->depth++ == 0) {
        n->outer = b;
        ck_assert_int_eq(lend_host_with_box(m, 20, nested, n, &r), WG_HOST_OK);
        ck_assert_int_eq(r, 20 + 10);
        /* the inner callback's box: refused; this one's: usable */
        ck_assert_int_eq(lend_host_box_value(m, n->inner, &r), WG_HOST_BAD_ARGUMENT);
        ck_assert_int_eq(value(b), 10);
        return 10;
    }
    n->inner = b;
    ck_assert_ptr_ne(n->inner, n->outer);
    return value(b) + value(n->outer); /* the outer callback's box: still lent */
}

/* Callbacks nest: the outer callback's box stays lent through the inner one. */
START_TEST(test_nested) {
    nest n = {0};
    int32_t r = 0;
    ck_assert_int_eq(lend_host_with_box(m, 10, nested, &n, &r), WG_HOST_OK);
    ck_assert_int_eq(r, 10);
    ck_assert_int_eq(lend_host_box_value(m, n.outer, &r), WG_HOST_BAD_ARGUMENT);
    ck_assert_uint_eq(stats().live_handles, 0);
}
END_TEST

static int32_t pair(void *user, lend_host_box *a, lend_host_box *b) {
    (void)user;
    return value(a) * 100 + value(b);
}

/* Two lent at once; C passing NULL for the second fails the call (BAD_RESULT)
 * after the first was lent: the failed call ends it. */
START_TEST(test_failed_between_two) {
    int32_t r = 0;
    ck_assert_int_eq(lend_host_with_pair(m, 4, pair, NULL, &r), WG_HOST_OK);
    ck_assert_int_eq(r, 405);
    ck_assert_int_eq(lend_host_with_pair(m, -1, pair, NULL, &r), WG_HOST_BAD_RESULT);
    ck_assert_has(lend_host_error(m), "C passed NULL for argument 'b', a box");
    ck_assert_uint_eq(stats().live_handles, 0);
    /* C, abandoned in the middle of with_pair, never freed its box: the sandbox's loss */
    ck_assert_uint_eq(stats().live_count, s0.live_count + 1);
    s0.live_count++;
    ck_assert_int_eq(lend_host_with_pair(m, 6, pair, NULL, &r), WG_HOST_OK);
    ck_assert_int_eq(r, 607);
}
END_TEST

static lend_host *other;

static int32_t pass_to_other(void *user, lend_host_box *b) {
    int32_t v = 0;
    ck_assert_int_eq(lend_host_box_value(other, b, &v), WG_HOST_BAD_ARGUMENT);
    ck_assert_has(lend_host_error(other), "self is a box C lent to a callback that has returned");
    *(int *)user = 1;
    return value(b);
}

/* A token is its instance's: another instance refuses it, during the callback too. */
START_TEST(test_other_instance) {
    ck_assert_int_eq(lend_host_new(&other, NULL), WG_HOST_OK);
    int ran = 0;
    int32_t r = 0;
    ck_assert_int_eq(lend_host_with_box(m, 8, pass_to_other, &ran, &r), WG_HOST_OK);
    ck_assert_int_eq(ran, 1);
    ck_assert_int_eq(r, 8);
    lend_host_free(other);
    other = NULL;
}
END_TEST

/* Lends whose tokens are kept: each callback finds every token kept
 * before refused, and none of them its own. */
typedef struct {
    lend_host_box *tokens[64];
    uint32_t n, refused, clashes;
} hoard;

static int32_t keep_every(void *user, lend_host_box *b) {
    hoard *h = user;
    for (uint32_t i = 0; i < h->n; i++) {
        int32_t w = 0;
        h->clashes += h->tokens[i] == b;
        h->refused += lend_host_box_value(m, h->tokens[i], &w) == WG_HOST_BAD_ARGUMENT;
    }
    h->tokens[h->n++] = b;
    return value(b);
}

/* Where the process's count of lent handles wraps around (2^32 of them, in
 * a long-running process), the tokens go on: none is reused sooner than the
 * serials allow (2^29 - 1 lends), so a token kept past its callback is still
 * refused, never taken for the handle lent now (a 32-bit count gave the
 * serials 1 - 8 again 8 lends after they were last used). */
START_TEST(test_tokens_across_the_count_wrap) {
    hoard h = {0};
    int32_t r = 0;
    atomic_store(&wg__lent_next, 0xFFFFFFFFu - 40);
    for (int i = 0; i < 60; i++) {
        ck_assert_int_eq(lend_host_with_box(m, i, keep_every, &h, &r), WG_HOST_OK);
        ck_assert_int_eq(r, i);
    }
    ck_assert_uint_eq(h.n, 60);
    ck_assert_uint_eq(h.clashes, 0);
    ck_assert_uint_eq(h.refused, 60 * 59 / 2);
}
END_TEST

int main(void) {
    Suite *s = suite_create("host_lend");
    TCase *tc = tcase_create("lent");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, test_many_calls_flat);
    tcase_add_test(tc, test_borrowed_from_lent);
    tcase_add_test(tc, test_given_to_lent);
    tcase_add_test(tc, test_freed_during_callback);
    tcase_add_test(tc, test_nested);
    tcase_add_test(tc, test_failed_between_two);
    tcase_add_test(tc, test_other_instance);
    tcase_add_test(tc, test_tokens_across_the_count_wrap);
    suite_add_tcase(s, tc);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
