/*
 * test_host_big.c - results larger than the return-area stack through the
 * native host (tests/e2e/big.idl): a 64 KiB struct returned by value gets
 * a return area allocated for the call, as in JS; passed by value, a
 * temporary; nothing is left behind in the module.
 */
#include <check.h>
#include <stdlib.h>

#include "big_host.h"

static uint64_t live(big_host *h) {
    wg_host_stats s;
    ck_assert_int_eq(big_host_stats(h, &s), WG_HOST_OK);
    return s.live_count;
}

START_TEST(test_big_struct_results) {
    big_host *h = NULL;
    ck_assert_int_eq(big_host_new(&h, NULL), WG_HOST_OK);
    uint64_t base = live(h);
    static big_b3 b; /* 64 KiB: not on the stack */
    ck_assert_int_eq(big_host_block(h, 1.5, &b), WG_HOST_OK);
    const double *d = (const double *)&b;
    for (size_t i = 0; i < sizeof b / sizeof *d; i++)
        ck_assert(d[i] == 1.5 + (double)i);
    double sum = 0;
    ck_assert_int_eq(big_host_total(h, b, &sum), WG_HOST_OK);
    size_t n = sizeof b / sizeof *d;
    ck_assert(sum == 1.5 * (double)n + (double)n * (double)(n - 1) / 2);
    ck_assert_int_eq(big_host_block_or_fail(h, 2, false, &b), WG_HOST_OK);
    ck_assert(d[8191] == 2 + 8191);
    ck_assert_int_eq(big_host_block_or_fail(h, 2, true, &b), WG_HOST_FAILED);
    ck_assert_str_eq(big_host_error(h), "block_or_fail: failed at 2");
    ck_assert_int_eq(big_host_error_code(h), 7);
    ck_assert_uint_eq(live(h), base);
    big_host_free(h);
}
END_TEST

int main(void) {
    Suite *s = suite_create("host API, 64 KiB results");
    TCase *tc = tcase_create("big");
    tcase_add_test(tc, test_big_struct_results);
    suite_add_tcase(s, tc);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
