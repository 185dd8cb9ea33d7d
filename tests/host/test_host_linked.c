/* test_host_linked.c - a module linked wrong is refused when the host makes
 * an instance of it, by name, as JS's instantiate() refuses it. Built twice
 * (host.mk), against the rt module (tests/host/rt.idl) linked two ways:
 *   - test_host_heapfirst: without -Wl,--stack-first (wasmgen.mk's
 *     WASMGEN_LINK): its data below the C stack, which would run over it;
 *   - test_host_v999: with a libwasmgen.a of another runtime version (999).
 * EXPECT is a piece of the message. */
#include <check.h>
#include <stdlib.h>

#include "rt_harness.h"

START_TEST(test_refused) {
    rt_host *h = NULL;
    ck_assert_int_eq(rt_new(&h, NULL), WG_HOST_BAD_RESULT);
    ck_assert_ptr_null(h);
    ck_assert_msg(strstr(wg_host_last_error(), EXPECT) != NULL, "%s", wg_host_last_error());
}
END_TEST

int main(void) {
    Suite *s = suite_create("host: a module linked wrong");
    TCase *tc = tcase_create("refused");
    tcase_add_test(tc, test_refused);
    suite_add_tcase(s, tc);
    SRunner *r = srunner_create(s);
    srunner_run_all(r, CK_NORMAL);
    int failed = srunner_ntests_failed(r);
    srunner_free(r);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
