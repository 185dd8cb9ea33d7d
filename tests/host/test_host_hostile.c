/*
 * test_host_hostile.c - a module that lies (tests/host/hostile.c: exports
 * written by hand, no generated glue) never corrupts the host: every lie
 * gets its status and a message, nothing of a refused result reaches the
 * caller, the host's memory stays clean (ASan and UBSan in the sanitized
 * build), and the instance goes on working until exit() ends it.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hostile_host.h"
#include "wasmgen-host-glue.h" /* (the instance's count of handle_steps) */

#define ck_assert_has(hay, needle)                                                               \
    do {                                                                                         \
        const char *hay_ = (hay), *needle_ = (needle);                                           \
        ck_assert_msg(hay_ && strstr(hay_, needle_), "expected \"%s\" in \"%s\"", needle_, hay_); \
    } while (0)

static int echoes;
static uint32_t echo(void *user, const char *s, size_t n, const double *v, size_t vn) {
    (void)user;
    echoes++;
    ck_assert_uint_eq(strlen(s), n);
    for (size_t i = 0; i < vn; i++)
        ck_assert(v[i] == (double)(i + 1));
    return (uint32_t)(n + vn);
}

/* poke(): what the module's free() calls when armed (poke_on_free), with
 * `poke_mode` saying what the host does then: 1 a call back in with 20
 * long strings (20 temporaries of its own), 2 twenty calls back in that
 * each hand out a view. */
static hostile_host *poke_h;
static int poke_mode, pokes_seen;
static char long_text[600];

static void poke(void *user) {
    (void)user;
    pokes_seen++;
    if (poke_mode == 1) {
        wg_str l[20];
        for (int i = 0; i < 20; i++)
            l[i] = (wg_str){long_text, sizeof long_text - 1};
        uint32_t n = 0;
        ck_assert_int_eq(hostile_host_count(poke_h, l, 20, &n), WG_HOST_OK);
        ck_assert_uint_eq(n, 20);
    } else if (poke_mode == 2) {
        for (int i = 0; i < 20; i++) {
            const char *v;
            size_t n;
            ck_assert_int_eq(hostile_host_text_view(poke_h, 0, &v, &n), WG_HOST_OK);
            ck_assert(n == 6 && memcmp(v, "honest", 6) == 0);
        }
    }
}

/* echo(): with poke_mode 2, two views handed out inside the call. */
static uint32_t echo_views(void *user, const char *s, size_t n, const double *v, size_t vn) {
    (void)user, (void)s, (void)v, (void)vn;
    for (int i = 0; i < 2; i++) {
        const char *t;
        size_t tn;
        ck_assert_int_eq(hostile_host_text_view(poke_h, 0, &t, &tn), WG_HOST_OK);
    }
    return (uint32_t)n;
}

/* tally(l): the strings' total length. */
static int tallies;
static uint32_t tally(void *user, const char *const *l, size_t n) {
    (void)user;
    tallies++;
    size_t total = 0;
    for (size_t i = 0; i < n; i++)
        total += strlen(l[i]);
    ck_assert_ptr_null(l[n]);
    return (uint32_t)total;
}

static const hostile_host_imports imports = {NULL, echo, poke};

static hostile_host *fresh(void) {
    hostile_host *h = NULL;
    ck_assert_int_eq(hostile_host_new(&h, NULL, &imports), WG_HOST_OK);
    return h;
}

/* The instance still answers honestly after whatever came before. */
static void still_works(hostile_host *h) {
    char *s = NULL;
    ck_assert_int_eq(hostile_host_text(h, 0, &s), WG_HOST_OK);
    ck_assert_str_eq(s, "honest");
    free(s);
}

START_TEST(test_strings_out_of_bounds) {
    hostile_host *h = fresh();
    still_works(h);
    for (uint32_t how = 1; how <= 3; how++) {
        char *s = (char *)1;
        ck_assert_int_eq(hostile_host_text(h, how, &s), WG_HOST_BAD_RESULT);
        ck_assert_has(hostile_host_error(h), "text: the module gave the result out of bounds");
        const char *v;
        size_t n;
        ck_assert_int_eq(hostile_host_text_view(h, how, &v, &n), WG_HOST_BAD_RESULT);
        still_works(h);
    }
    hostile_host_free(h);
}
END_TEST

/* 0x20000001 f64s are 8 bytes in 32-bit arithmetic: refused, not copied. */
START_TEST(test_lengths_that_overflow) {
    hostile_host *h = fresh();
    wg_f64_array a = {NULL, 0};
    ck_assert_int_eq(hostile_host_numbers(h, 4, &a), WG_HOST_BAD_RESULT);
    ck_assert_has(hostile_host_error(h), "4294967304 bytes");
    ck_assert_ptr_null(a.ptr);
    for (uint32_t how = 1; how <= 3; how++)
        ck_assert_int_eq(hostile_host_numbers(h, how, &a), WG_HOST_BAD_RESULT);
    ck_assert_int_eq(hostile_host_numbers(h, 0, &a), WG_HOST_OK);
    ck_assert_uint_eq(a.len, 3);
    ck_assert(a.ptr[2] == 3);
    free(a.ptr);
    wg_str_array w;
    for (uint32_t how = 1; how <= 5; how++)
        ck_assert_int_eq(hostile_host_words(h, how, &w), WG_HOST_BAD_RESULT);
    ck_assert_int_eq(hostile_host_words(h, 0, &w), WG_HOST_OK);
    ck_assert_str_eq(w.ptr[1].ptr, "two");
    wg_host_free_strs(&w);
    hostile_pair p;
    ck_assert_int_eq(hostile_host_record(h, 1, &p), WG_HOST_BAD_RESULT);
    ck_assert_has(hostile_host_error(h), "field 'pair.name'");
    ck_assert_int_eq(hostile_host_record(h, 4, &p), WG_HOST_BAD_RESULT);
    ck_assert_has(hostile_host_error(h), "field 'pair.values'");
    ck_assert_int_eq(hostile_host_record(h, 0, &p), WG_HOST_OK);
    ck_assert_str_eq(p.name, "pair");
    ck_assert(p.values_len == 2 && p.values[1] == 1.5);
    hostile_host_free_pair(&p);
    hostile_pair_array l;
    ck_assert_int_eq(hostile_host_records(h, 4, &l), WG_HOST_BAD_RESULT); /* 16 * count wraps */
    ck_assert_int_eq(hostile_host_records(h, 1, &l), WG_HOST_BAD_RESULT); /* an element lies */
    ck_assert_int_eq(hostile_host_records(h, 3, &l), WG_HOST_BAD_RESULT); /* one byte past the end */
    ck_assert_has(hostile_host_error(h), "records: the module gave the result out of bounds");
    ck_assert_int_eq(hostile_host_records(h, 0, &l), WG_HOST_OK);
    ck_assert_uint_eq(l.len, 2);
    hostile_host_free_pair_array(&l);
    still_works(h);
    hostile_host_free(h);
}
END_TEST

/* A misaligned array copies fine; as a view, it is refused. */
START_TEST(test_misaligned_views) {
    hostile_host *h = fresh();
    wg_f64_array a;
    ck_assert_int_eq(hostile_host_numbers(h, 5, &a), WG_HOST_OK);
    ck_assert_uint_eq(a.len, 3);
    free(a.ptr);
    const double *v = (const double *)1;
    size_t n;
    ck_assert_int_eq(hostile_host_numbers_view(h, 5, &v, &n), WG_HOST_BAD_RESULT);
    ck_assert_has(hostile_host_error(h), "misaligned");
    ck_assert_int_eq(hostile_host_numbers_view(h, 0, &v, &n), WG_HOST_OK);
    ck_assert(n == 3 && v[0] == 1 && ((uintptr_t)v & 7) == 0);
    hostile_host_free(h);
}
END_TEST

/* Enums range-checked, bools normalised, i53s checked, NULL resources refused. */
START_TEST(test_values) {
    hostile_host *h = fresh();
    hostile_mode m;
    ck_assert_int_eq(hostile_host_pick(h, 0, &m), WG_HOST_OK);
    ck_assert_int_eq(m, HOSTILE_MODE_B);
    ck_assert_int_eq(hostile_host_pick(h, 1, &m), WG_HOST_BAD_RESULT);
    ck_assert_str_eq(hostile_host_error(h), "pick: the module gave 7 for the result, not a value of enum mode");
    bool b = false;
    ck_assert_int_eq(hostile_host_truth(h, 1, &b), WG_HOST_OK); /* the module said 2 */
    unsigned char byte;
    memcpy(&byte, &b, 1);
    ck_assert_uint_eq(byte, 1);
    int64_t big;
    ck_assert_int_eq(hostile_host_big(h, 0, &big), WG_HOST_OK);
    ck_assert_int_eq(big, -9007199254740991LL);
    ck_assert_int_eq(hostile_host_big(h, 1, &big), WG_HOST_BAD_RESULT);
    hostile_host_thing *t = NULL;
    ck_assert_int_eq(hostile_host_make(h, 1, &t), WG_HOST_BAD_RESULT);
    ck_assert_int_eq(hostile_host_make(h, 0, &t), WG_HOST_OK);
    ck_assert_int_eq(hostile_host_thing_free(h, t), WG_HOST_OK);
    hostile_host_free(h);
}
END_TEST

/* A throws record whose message is out of bounds, or has no NUL. */
START_TEST(test_error_records) {
    hostile_host *h = fresh();
    uint32_t r;
    ck_assert_int_eq(hostile_host_fail(h, 0, &r), WG_HOST_OK);
    ck_assert_uint_eq(r, 42);
    ck_assert_int_eq(hostile_host_fail(h, 1, &r), WG_HOST_FAILED);
    ck_assert_str_eq(hostile_host_error(h), "fail: a message");
    ck_assert_int_eq(hostile_host_error_code(h), 5);
    ck_assert_int_eq(hostile_host_fail(h, 2, &r), WG_HOST_FAILED);
    ck_assert_str_eq(hostile_host_error(h), "fail: failed");
    ck_assert_int_eq(hostile_host_fail(h, 3, &r), WG_HOST_FAILED); /* read up to the end of memory only */
    ck_assert_has(hostile_host_error(h), "fail: xxxxxxxx");
    ck_assert_uint_le(strlen(hostile_host_error(h)), 6 + 100);
    hostile_host_free(h);
}
END_TEST

/* Every kind of trap, then stack exhaustion, then the instance again. */
START_TEST(test_traps) {
    hostile_host *h = fresh();
    static const char *const why[] = {"unreachable executed", "out of bounds memory access", "call stack exhausted",
                                      "integer divide by zero"};
    for (int round = 0; round < 2; round++) {
        for (uint32_t how = 0; how < 4; how++) {
            ck_assert_int_eq(hostile_host_trap(h, how), WG_HOST_TRAP);
            ck_assert_has(hostile_host_error(h), why[how]);
            still_works(h);
        }
    }
    hostile_host_free(h);
}
END_TEST

/* Bad arguments to an import: the call fails before the host's callback. */
START_TEST(test_import_arguments) {
    hostile_host *h = fresh();
    uint32_t r;
    ck_assert_int_eq(hostile_host_call_echo(h, 0, &r), WG_HOST_OK);
    ck_assert_uint_eq(r, 7);
    ck_assert_int_eq(echoes, 1);
    ck_assert_int_eq(hostile_host_call_echo(h, 1, &r), WG_HOST_BAD_RESULT);
    ck_assert_has(hostile_host_error(h), "import echo: the module gave argument 's' out of bounds");
    ck_assert_int_eq(hostile_host_call_echo(h, 2, &r), WG_HOST_BAD_RESULT);
    ck_assert_has(hostile_host_error(h), "misaligned");
    ck_assert_int_eq(hostile_host_call_echo(h, 3, &r), WG_HOST_BAD_RESULT);
    ck_assert_int_eq(echoes, 1);
    still_works(h);
    hostile_host_free(h);
}
END_TEST

/* exit() leaves the instance dead, and says so. */
START_TEST(test_exit) {
    hostile_host *h = fresh();
    ck_assert_int_eq(hostile_host_exit_code(h), -1);
    ck_assert_int_eq(hostile_host_quit(h, 3), WG_HOST_EXITED);
    ck_assert_str_eq(hostile_host_error(h), "quit: the module called exit(3)");
    ck_assert_int_eq(hostile_host_exit_code(h), 3);
    char *s;
    ck_assert_int_eq(hostile_host_text(h, 0, &s), WG_HOST_EXITED);
    ck_assert_str_eq(hostile_host_error(h), "text: the module called exit(3) earlier; make a new instance");
    hostile_host_free(h);
}
END_TEST

/* Refused results leave nothing behind in the module either, as far as its
 * own allocator counts: what the host did not take, it did not free, so
 * the count only grows by what the lies allocated. */
START_TEST(test_module_state_after_lies) {
    hostile_host *h = fresh();
    uint32_t before, after;
    ck_assert_int_eq(hostile_host_live(h, &before), WG_HOST_OK);
    char *s;
    for (int i = 0; i < 100; i++) {
        ck_assert_int_eq(hostile_host_text(h, 0, &s), WG_HOST_OK); /* honest: freed in the module */
        free(s);
    }
    ck_assert_int_eq(hostile_host_live(h, &after), WG_HOST_OK);
    ck_assert_uint_eq(after, before);
    hostile_host_free(h);
}
END_TEST

/* A call that fails leaves the caller's result variables as they were: a
 * struct whose first field was copied before its second was refused held
 * the copy the failure freed (a caller that frees results whatever the
 * status freed it twice; one that reads them read freed memory). */
START_TEST(test_failed_results_are_untouched) {
    hostile_host *h = fresh();
    static const char mine[] = "the caller's";
    hostile_pair p = {mine, 3, NULL, 0};
    ck_assert_int_eq(hostile_host_record(h, 4, &p), WG_HOST_BAD_RESULT); /* name copied, values refused */
    ck_assert_ptr_eq(p.name, mine);
    ck_assert_uint_eq(p.name_len, 3);
    ck_assert_ptr_null(p.values);
    hostile_pair_array l = {NULL, 0};
    ck_assert_int_eq(hostile_host_records(h, 1, &l), WG_HOST_BAD_RESULT); /* the first element copied */
    ck_assert_ptr_null(l.ptr);
    ck_assert_uint_eq(l.len, 0);
    hostile_host_free_pair_array(&l); /* nothing to free: no double free */
    ck_assert_int_eq(hostile_host_record(h, 0, &p), WG_HOST_OK); /* and an honest one arrives */
    ck_assert_str_eq(p.name, "pair");
    hostile_host_free_pair(&p);
    char *s = (char *)mine;
    ck_assert_int_eq(hostile_host_quit(h, 2), WG_HOST_EXITED);
    ck_assert_int_eq(hostile_host_text(h, 0, &s), WG_HOST_EXITED); /* refused before it starts */
    ck_assert_ptr_eq(s, mine);
    hostile_host_free(h);
}
END_TEST

/* The module's free() may call an import that calls back into the module,
 * while the host frees a call's temporaries or the buffers behind views:
 * the nested call's own temporaries and views grow the host's lists of
 * them, which the freeing goes on reading (it read them through a pointer
 * the growth had freed: ASan's heap-use-after-free). */
START_TEST(test_free_that_calls_back) {
    hostile_host *h = poke_h = fresh();
    memset(long_text, 't', sizeof long_text - 1);
    wg_str two[2] = {{long_text, sizeof long_text - 1}, {long_text, sizeof long_text - 1}};
    uint32_t n = 0, live0, live1;
    ck_assert_int_eq(hostile_host_live(h, &live0), WG_HOST_OK);
    /* temporaries: two long strings, the first freed pokes */
    poke_mode = 1;
    pokes_seen = 0;
    ck_assert_int_eq(hostile_host_poke_on_free(h, 1), WG_HOST_OK);
    ck_assert_int_eq(hostile_host_count(h, two, 2, &n), WG_HOST_OK);
    ck_assert_uint_eq(n, 2);
    ck_assert_int_eq(pokes_seen, 1);
    ck_assert_int_eq(hostile_host_live(h, &live1), WG_HOST_OK);
    ck_assert_uint_eq(live1, live0); /* every temporary freed, once */
    /* views: two handed out inside a call, freed at the next, the first pokes */
    hostile_host_imports with_views = imports;
    with_views.echo = echo_views;
    hostile_host_free(h);
    ck_assert_int_eq(hostile_host_new(&h, NULL, &with_views), WG_HOST_OK);
    poke_h = h;
    ck_assert_int_eq(hostile_host_live(h, &live0), WG_HOST_OK);
    ck_assert_int_eq(hostile_host_call_echo(h, 0, &n), WG_HOST_OK);
    poke_mode = 2;
    pokes_seen = 0;
    ck_assert_int_eq(hostile_host_poke_on_free(h, 1), WG_HOST_OK); /* frees the two views: the first pokes */
    ck_assert_int_eq(pokes_seen, 1);
    poke_mode = 0;
    still_works(h); /* frees the 20 views of the pokes */
    ck_assert_int_eq(hostile_host_live(h, &live1), WG_HOST_OK);
    ck_assert_uint_eq(live1, live0);
    hostile_host_free(h);
}
END_TEST

/* A string[] C passes a callback is copied up to the
 * module memory's size, which strings that share no bytes cannot exceed:
 * 1500 pointers to one string of 1 MiB were measured and copied 1500
 * times (1.5 GiB of the host's memory from 1 MiB of the module's). */
START_TEST(test_string_list_sharing_bytes) {
    hostile_host *h = fresh();
    uint32_t r = 0;
    tallies = 0;
    ck_assert_int_eq(hostile_host_call_tally(h, 0, tally, NULL, &r), WG_HOST_OK);
    ck_assert_uint_eq(r, 6);
    ck_assert_int_eq(hostile_host_call_tally(h, 1, tally, NULL, &r), WG_HOST_BAD_RESULT);
    ck_assert_has(hostile_host_error(h), "callback tally: the module gave argument 'l' holding more than its memory's");
    ck_assert_int_eq(tallies, 1);
    still_works(h);
    hostile_host_free(h);
}
END_TEST

/* The module chooses its objects' addresses: 3,000 resources at addresses
 * that all land in one probe sequence of an unseeded hash of the host's
 * table of handles by address (the hash's mixing, found by trying) made
 * each new handle probe past all the others (1,500 steps a handle, ~4.5
 * million in all); the hash is seeded per instance, so that they spread. */
static uint32_t unseeded_hash(uint32_t p) { /* wg_host_sandbox.c's ptr_hash with seed 0 */
    p ^= p >> 16;
    p *= 0x7feb352du;
    p ^= p >> 15;
    p *= 0x846ca68bu;
    return p ^ (p >> 16);
}

START_TEST(test_chosen_addresses_spread) {
    hostile_host *h = fresh();
    wg_sandbox *sb = (wg_sandbox *)h; /* (hostile_host's first member) */
    enum { N = 3000 };
    uint32_t found = 0;
    for (uint32_t p = 8; found < N; p += 8)
        if ((unseeded_hash(p) & 0x3fffu) == 0x1234u) { /* the same slot of every table up to 16,384 */
            hostile_host_thing *t = NULL;
            ck_assert_int_eq(hostile_host_make(h, p, &t), WG_HOST_OK);
            found++;
        }
    uint64_t steps = sb->handle_steps;
    ck_assert_msg(steps < 20u * N, "%llu steps for %d handles", (unsigned long long)steps, N);
    hostile_host_free(h); /* (frees the handles; no destructor runs) */
}
END_TEST

static Suite *suite(void) {
    Suite *s = suite_create("host API against a hostile module");
    TCase *tc = tcase_create("hostile");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, test_strings_out_of_bounds);
    tcase_add_test(tc, test_lengths_that_overflow);
    tcase_add_test(tc, test_misaligned_views);
    tcase_add_test(tc, test_values);
    tcase_add_test(tc, test_error_records);
    tcase_add_test(tc, test_traps);
    tcase_add_test(tc, test_import_arguments);
    tcase_add_test(tc, test_exit);
    tcase_add_test(tc, test_module_state_after_lies);
    tcase_add_test(tc, test_failed_results_are_untouched);
    tcase_add_test(tc, test_free_that_calls_back);
    tcase_add_test(tc, test_string_list_sharing_bytes);
    tcase_add_test(tc, test_chosen_addresses_spread);
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
