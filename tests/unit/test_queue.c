/*
 * test_queue.c - unit tests for the free-on-finalize queue (runtime/wg_queue.c).
 *
 * Each test runs in a forked child (Check's default), so the queue and the
 * heap start empty. Blocks are allocated before anything is pushed, because
 * every allocation drains the queue.
 */
#include <check.h>
#include <stdint.h>
#include <stdlib.h>

#include "wasmgen.h"
#include "wg_alloc_test.h"
#include "wg_internal.h"

static const wg_stats *st(void) { return wg_get_stats(); }

START_TEST(test_push_and_drain_order) {
    enum { N = 6 };
    void *p[N], *guard[N];
    for (size_t i = 0; i < N; i++) { /* equal sizes, kept apart by guards */
        p[i] = wg_malloc(48);
        guard[i] = wg_malloc(16);
    }
    uint32_t head = wg__queue.head;
    for (size_t i = 0; i < N; i++)
        wg_queue_push(p[i]);
    ck_assert_uint_eq(wg_queue_pending(), N);
    /* JavaScript's view: slots in push order from head, tail advanced. */
    for (uint32_t i = 0; i < N; i++)
        ck_assert_uint_eq(wg__queue.slots[(head + i) & wg__queue.mask], (uintptr_t)p[i]);
    ck_assert_uint_eq(wg__queue.tail, head + N);
    ck_assert_uint_eq(wg_queue_drain(), N);
    ck_assert_uint_eq(wg_queue_pending(), 0);
    ck_assert_uint_eq(wg__queue.head, wg__queue.tail);
    /* Freed head to tail: equal-size free blocks are reused last-freed
     * first, so they come back in reverse push order. */
    for (size_t i = N; i-- > 0;)
        ck_assert_ptr_eq(wg_malloc(48), p[i]);
    ck_assert_uint_eq(st()->queue_frees, N);
    ck_assert_uint_eq(st()->live_count, 2 * N);
    for (size_t i = 0; i < N; i++) {
        wg_free(p[i]);
        wg_free(guard[i]);
    }
    ck_assert_int_eq(wg__heap_check(), 0);
}
END_TEST

START_TEST(test_pending_counts) {
    void *p[10];
    for (size_t i = 0; i < 10; i++)
        p[i] = wg_malloc(i * 10);
    ck_assert_uint_eq(wg_queue_pending(), 0);
    ck_assert_uint_eq(wg_queue_drain(), 0);
    for (size_t i = 0; i < 10; i++) {
        wg_queue_push(p[i]);
        ck_assert_uint_eq(wg_queue_pending(), i + 1);
    }
    ck_assert_uint_eq(st()->live_count, 10); /* pushing frees nothing */
    ck_assert_uint_eq(wg_queue_drain(), 10);
    ck_assert_uint_eq(wg_queue_pending(), 0);
    ck_assert_uint_eq(wg_queue_drain(), 0);
    ck_assert_uint_eq(st()->live_count, 0);
    ck_assert_uint_eq(st()->live_bytes, 0);
    ck_assert_uint_eq(st()->total_frees, 10);
    ck_assert_uint_eq(st()->queue_frees, 10);
}
END_TEST

START_TEST(test_null_push_ignored) {
    void *p = wg_malloc(8);
    wg_queue_push(NULL);
    ck_assert_uint_eq(wg_queue_pending(), 0);
    wg_queue_push(p);
    wg_queue_push(NULL);
    ck_assert_uint_eq(wg_queue_pending(), 1);
    ck_assert_uint_eq(wg_queue_drain(), 1);
    ck_assert_uint_eq(st()->total_frees, 1);
    ck_assert_uint_eq(st()->live_count, 0);
}
END_TEST

START_TEST(test_null_slot_skipped) {
    /* A zero slot written by JavaScript is skipped, not freed or counted. */
    void *p = wg_malloc(8);
    wg_queue_push(p);
    wg__queue.slots[wg__queue.tail & wg__queue.mask] = 0;
    wg__queue.tail++;
    ck_assert_uint_eq(wg_queue_pending(), 2);
    ck_assert_uint_eq(wg_queue_drain(), 1);
    ck_assert_uint_eq(st()->queue_frees, 1);
    ck_assert_uint_eq(st()->live_count, 0);
}
END_TEST

START_TEST(test_full_ring_drained_not_dropped) {
    enum { N = WG_QUEUE_CAPACITY + 10 };
    static void *p[N];
    for (size_t i = 0; i < N; i++)
        p[i] = wg_malloc(24 + i % 100);
    wg_stats s0 = *st();
    ck_assert_uint_eq(s0.live_count, N);
    for (size_t i = 0; i < WG_QUEUE_CAPACITY; i++)
        wg_queue_push(p[i]);
    ck_assert_uint_eq(wg_queue_pending(), WG_QUEUE_CAPACITY);
    ck_assert_uint_eq(st()->total_frees, s0.total_frees); /* full, not yet drained */
    for (size_t i = WG_QUEUE_CAPACITY; i < N; i++)
        wg_queue_push(p[i]); /* the first of these drains the full ring */
    ck_assert_uint_eq(wg_queue_pending(), 10);
    ck_assert_uint_eq(st()->total_frees, s0.total_frees + WG_QUEUE_CAPACITY);
    ck_assert_uint_eq(st()->queue_frees, WG_QUEUE_CAPACITY);
    ck_assert_uint_eq(st()->live_count, 10);
    ck_assert_uint_eq(wg_queue_drain(), 10);
    ck_assert_uint_eq(st()->total_frees, s0.total_frees + N);
    ck_assert_uint_eq(st()->queue_frees, N);
    ck_assert_uint_eq(st()->live_count, 0);
    ck_assert_uint_eq(st()->live_bytes, 0);
    ck_assert_int_eq(wg__heap_check(), 0);
}
END_TEST

START_TEST(test_counters_wrap) {
    enum { N = 40 };
    void *p[N];
    for (size_t i = 0; i < N; i++)
        p[i] = wg_malloc(100);
    for (uint32_t k = 0; k < 8; k++) { /* starts from 2^32 - 26 to 2^32 + 23 */
        uint32_t start = UINT32_MAX - 25u + 7u * k;
        wg__queue.head = wg__queue.tail = start;
        ck_assert_uint_eq(wg_queue_pending(), 0);
        for (size_t i = 0; i < N; i++)
            wg_queue_push(p[i]);
        ck_assert_uint_eq(wg_queue_pending(), N);
        ck_assert_uint_eq(wg__queue.tail, (uint32_t)(start + N));
        ck_assert_uint_eq(wg_queue_drain(), N);
        ck_assert_uint_eq(wg_queue_pending(), 0);
        ck_assert_uint_eq(wg__queue.head, (uint32_t)(start + N));
        ck_assert_uint_eq(st()->live_count, 0);
        for (size_t i = 0; i < N; i++) /* same sizes: reallocate for the next round */
            p[i] = wg_malloc(100);
    }
    for (size_t i = 0; i < N; i++)
        wg_free(p[i]);
    ck_assert_uint_eq(st()->live_count, 0);
    ck_assert_uint_eq(st()->total_frees, st()->total_allocs);
    ck_assert_int_eq(wg__heap_check(), 0);
}
END_TEST

START_TEST(test_full_ring_across_wrap) {
    enum { N = 2 * WG_QUEUE_CAPACITY + 3 };
    static void *p[N];
    for (size_t i = 0; i < N; i++)
        p[i] = wg_malloc(16);
    wg__queue.head = wg__queue.tail = UINT32_MAX - 100;
    for (size_t i = 0; i < N; i++)
        wg_queue_push(p[i]);
    ck_assert_uint_eq(wg_queue_pending(), 3);
    ck_assert_uint_eq(st()->queue_frees, 2 * WG_QUEUE_CAPACITY);
    ck_assert_uint_eq(wg_queue_drain(), 3);
    ck_assert_uint_eq(st()->queue_frees, N);
    ck_assert_uint_eq(st()->live_count, 0);
}
END_TEST

START_TEST(test_enter_drains) {
    void *p = wg_malloc(8);
    wg_queue_push(p);
    WG_ENTER();
    ck_assert_uint_eq(wg_queue_pending(), 0);
    ck_assert_uint_eq(st()->live_count, 0);
    WG_ENTER(); /* nothing pending: no-op */
    ck_assert_uint_eq(st()->total_frees, 1);
}
END_TEST

static Suite *queue_suite(void) {
    Suite *s = suite_create("queue");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, test_push_and_drain_order);
    tcase_add_test(tc, test_pending_counts);
    tcase_add_test(tc, test_null_push_ignored);
    tcase_add_test(tc, test_null_slot_skipped);
    tcase_add_test(tc, test_full_ring_drained_not_dropped);
    tcase_add_test(tc, test_counters_wrap);
    tcase_add_test(tc, test_full_ring_across_wrap);
    tcase_add_test(tc, test_enter_drains);
    suite_add_tcase(s, tc);
    return s;
}

int main(void) {
    SRunner *sr = srunner_create(queue_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
