/*
 * test_host_bare.c - the module code the host runs around a call, not in
 * it: the module's wg_stack_get (read as a call nests in an import) and
 * wg_stack_set (the stack pointer put back after a failed call). A module
 * whose own exports trap or call an import there (tests/host/bare.c, the
 * runtime's exports written by hand) makes the call fail, not the host
 * abort, crash, or skip the import it was in.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bare_host.h"

static bare_host *cur;
static int mode, backs, back_done, nested_status;

/* back(n): 2n; in mode 1, first a call back into the module. */
static uint32_t back(void *user, uint32_t n) {
    (void)user;
    backs++;
    if (mode == 1) {
        uint32_t r = 0;
        nested_status = bare_host_add(cur, 1, 2, &r);
    }
    back_done++;
    return 2 * n;
}

static const bare_host_imports imports = {NULL, back};

static bare_host *fresh(void) {
    bare_host *h = NULL;
    ck_assert_int_eq(bare_host_new(&h, NULL, &imports), WG_HOST_OK);
    cur = h;
    mode = backs = back_done = 0;
    nested_status = -1;
    return h;
}

static void still_works(bare_host *h) {
    uint32_t r = 0;
    ck_assert_int_eq(bare_host_add(h, 40, 2, &r), WG_HOST_OK);
    ck_assert_uint_eq(r, 42);
}

START_TEST(test_honest) {
    bare_host *h = fresh();
    uint32_t r = 0;
    ck_assert_int_eq(bare_host_via(h, 5, &r), WG_HOST_OK);
    ck_assert_uint_eq(r, 11);
    ck_assert_int_eq(bare_host_boom(h), WG_HOST_TRAP);
    still_works(h);
    bare_host_free(h);
}
END_TEST

/* wg_stack_set traps as a failed call puts the stack pointer back (the
 * host aborted: "a wasm trap outside any call into a module"). */
START_TEST(test_stack_set_traps) {
    bare_host *h = fresh();
    ck_assert_int_eq(bare_host_arm(h, 2), WG_HOST_OK);
    ck_assert_int_eq(bare_host_boom(h), WG_HOST_TRAP);
    ck_assert_str_eq(bare_host_error(h), "boom: the module trapped: unreachable executed");
    ck_assert_int_eq(bare_host_arm(h, 0), WG_HOST_OK);
    still_works(h);
    bare_host_free(h);
}
END_TEST

/* wg_stack_set calls an import there (the import's thunk found no call in
 * progress: a NULL dereference). */
START_TEST(test_stack_set_calls_import) {
    bare_host *h = fresh();
    ck_assert_int_eq(bare_host_arm(h, 3), WG_HOST_OK);
    ck_assert_int_eq(bare_host_boom(h), WG_HOST_TRAP);
    ck_assert_int_eq(backs, 1);
    still_works(h);
    bare_host_free(h);
}
END_TEST

/* wg_stack_get traps as a call nests in an import: that call fails, and
 * the import goes on (the trap jumped to the outer call, over the
 * import's own frames). */
START_TEST(test_stack_get_traps) {
    bare_host *h = fresh();
    ck_assert_int_eq(bare_host_arm(h, 1), WG_HOST_OK);
    mode = 1;
    uint32_t r = 0;
    ck_assert_int_eq(bare_host_via(h, 5, &r), WG_HOST_OK);
    ck_assert_uint_eq(r, 11);
    ck_assert_int_eq(back_done, 1);
    ck_assert_int_eq(nested_status, WG_HOST_TRAP);
    mode = 0;
    ck_assert_int_eq(bare_host_arm(h, 0), WG_HOST_OK);
    still_works(h);
    ck_assert_int_eq(bare_host_via(h, 1, &r), WG_HOST_OK);
    ck_assert_uint_eq(r, 3);
    bare_host_free(h);
}
END_TEST

static Suite *suite(void) {
    Suite *s = suite_create("host API: the module's own runtime exports");
    TCase *tc = tcase_create("bare");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, test_honest);
    tcase_add_test(tc, test_stack_set_traps);
    tcase_add_test(tc, test_stack_set_calls_import);
    tcase_add_test(tc, test_stack_get_traps);
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
