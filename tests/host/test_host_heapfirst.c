/* test_host_heapfirst.c - a module linked without -Wl,--stack-first (its
 * data below the C stack, which would run over it when it overflows) is
 * refused when the host makes an instance of it, by name, as JS's
 * instantiate() refuses it. The module is rt (tests/host/rt.idl), linked
 * without wasmgen.mk's WASMGEN_LINK (host.mk). */
#include <check.h>
#include <stdlib.h>

#include "rt_harness.h"

START_TEST(test_refused) {
    rt_host *h = NULL;
    ck_assert_int_eq(rt_new(&h, NULL), WG_HOST_BAD_RESULT);
    ck_assert_ptr_null(h);
    ck_assert_ptr_nonnull(strstr(wg_host_last_error(), "linked without -Wl,--stack-first"));
}
END_TEST

int main(void) {
    Suite *s = suite_create("host: a module linked with its data first");
    TCase *tc = tcase_create("refused");
    tcase_add_test(tc, test_refused);
    suite_add_tcase(s, tc);
    SRunner *r = srunner_create(s);
    srunner_run_all(r, CK_NORMAL);
    int failed = srunner_ntests_failed(r);
    srunner_free(r);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
