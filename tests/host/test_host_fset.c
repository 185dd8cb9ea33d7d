/*
 * test_host_fset.c - flag sets through the native host (tests/e2e/fset.idl):
 * the host passes and gets the bits, under fset.h's macros; bits the set
 * does not have are refused both ways, as JS refuses them.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "fset_host.h"

static fset_host *h;

START_TEST(test_bits_both_ways) {
    ck_assert_int_eq(fset_host_new(&h, NULL), WG_HOST_OK);
    uint32_t n = 0;
    ck_assert_int_eq(fset_host_bits(h, FSET_PERMS_READ | FSET_PERMS_EXEC, &n), WG_HOST_OK);
    ck_assert_uint_eq(n, 9);
    fset_perms p = 0;
    ck_assert_int_eq(fset_host_drop_write(h, FSET_PERMS_RW, &p), WG_HOST_OK);
    ck_assert_uint_eq(p, FSET_PERMS_READ);
    fset_wide w = 0;
    ck_assert_int_eq(fset_host_echo_wide(h, FSET_WIDE_TOP | FSET_WIDE_LOW, &w), WG_HOST_OK);
    ck_assert_uint_eq(w, 0x80000001u);
    fset_perms readable = 0;
    uint32_t count = 0;
    ck_assert_int_eq(fset_host_split(h, FSET_PERMS_RW | FSET_PERMS_EXEC, &readable, &count), WG_HOST_OK);
    ck_assert_uint_eq(readable, FSET_PERMS_READ);
    ck_assert_uint_eq(count, 3);
    fset_entry e = {"f", 1, FSET_PERMS_WRITE};
    ck_assert_int_eq(fset_host_mode_of(h, e, &p), WG_HOST_OK);
    ck_assert_uint_eq(p, FSET_PERMS_WRITE);
    /* bits the set does not have: refused before C runs, and when C returns them */
    ck_assert_int_eq(fset_host_bits(h, 4, &n), WG_HOST_BAD_ARGUMENT);
    ck_assert_str_eq(fset_host_error(h), "bits: parameter 'p' is 0x4, with bits flags perms does not have (0x4)");
    e.mode = 0x10;
    ck_assert_int_eq(fset_host_mode_of(h, e, &p), WG_HOST_BAD_ARGUMENT);
    ck_assert_int_eq(fset_host_from_bits(h, 0x14, &p), WG_HOST_BAD_RESULT);
    ck_assert_str_eq(fset_host_error(h), "from_bits: the module gave 0x14 for the result, with bits flags perms does not have (0x14)");
    ck_assert_int_eq(fset_host_from_bits(h, 3, &p), WG_HOST_OK);
    ck_assert_uint_eq(p, 3);
    fset_host_free(h);
}
END_TEST

static fset_perms add_exec(void *user, fset_perms p) {
    (void)user;
    return p | FSET_PERMS_EXEC;
}

static fset_perms bogus(void *user, fset_perms p) {
    (void)user, (void)p;
    return 0x40;
}

START_TEST(test_callbacks) {
    ck_assert_int_eq(fset_host_new(&h, NULL), WG_HOST_OK);
    fset_perms p = 0;
    ck_assert_int_eq(fset_host_apply(h, FSET_PERMS_READ, add_exec, NULL, &p), WG_HOST_OK);
    ck_assert_uint_eq(p, FSET_PERMS_READ | FSET_PERMS_EXEC);
    ck_assert_int_eq(fset_host_apply(h, FSET_PERMS_READ, bogus, NULL, &p), WG_HOST_BAD_ARGUMENT);
    ck_assert_str_eq(fset_host_error(h), "callback filter: the result is 0x40, with bits flags perms does not have (0x40)");
    fset_host_free(h);
}
END_TEST

int main(void) {
    Suite *s = suite_create("host_fset");
    TCase *tc = tcase_create("flags");
    tcase_add_test(tc, test_bits_both_ways);
    tcase_add_test(tc, test_callbacks);
    suite_add_tcase(s, tc);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
