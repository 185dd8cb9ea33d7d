/*
 * test_host_imps.c - imports through the native host: tests/host/imps.idl,
 * whose C calls the host's import table. Buffers the host writes into (out,
 * inout: views of C's memory for the import), structs in (`const S *`) and
 * out (`S *result`), arrays out (`wg_T_array *result`: elements the host
 * keeps, copied into the module for C to free); the module's bad pointers
 * are WG_HOST_BAD_RESULT, the host's bad values WG_HOST_BAD_ARGUMENT, and
 * nothing is left in the sandbox (teardown) or the host (ASan).
 */
#include <check.h>
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "imps_host.h"

#define ck_assert_has(hay, needle)                                                               \
    do {                                                                                         \
        const char *hay_ = (hay), *needle_ = (needle);                                           \
        ck_assert_msg(hay_ && strstr(hay_, needle_), "expected \"%s\" in \"%s\"", needle_, hay_); \
    } while (0)

/* What the imports saw and do. */
typedef struct {
    int calls;
    size_t len;
    imps_vec v;
    char label[16];
    size_t label_len;
    bool label_null;
    double kept[4];
    bool bad; /* return a bad value */
    char text[128];
} state;

static uint32_t fill(void *user, uint8_t *buf, size_t buf_len) {
    state *s = user;
    s->calls++;
    s->len = buf_len;
    for (size_t i = 0; i < buf_len && i < 3; i++)
        buf[i] = (uint8_t)(i + 1);
    return buf_len < 3 ? (uint32_t)buf_len : 3;
}

static void scale(void *user, double *v, size_t v_len, double k) {
    ((state *)user)->calls++;
    for (size_t i = 0; i < v_len; i++)
        v[i] *= k;
}

static double norm(void *user, const imps_vec *v, const char *label, size_t label_len) {
    state *s = user;
    s->calls++;
    s->v = *v;
    s->label_null = label == NULL;
    if (label)
        memcpy(s->label, label, label_len + 1 < sizeof s->label ? label_len + 1 : sizeof s->label - 1);
    s->label_len = label_len;
    return v->x * v->x + v->y * v->y;
}

static void make(void *user, double x, double y, imps_vec *result) {
    state *s = user;
    s->calls++;
    ck_assert(result->x == 0 && result->y == 0); /* zeroed */
    result->x = x;
    result->y = y;
}

static void series(void *user, uint32_t n, wg_f64_array *result) {
    state *s = user;
    s->calls++;
    ck_assert(result->ptr == NULL && result->len == 0);
    for (uint32_t i = 0; i < 4; i++)
        s->kept[i] = i + 0.5;
    result->ptr = s->bad ? NULL : s->kept;
    result->len = n < 4 ? n : 4;
}

static int32_t mark(void *user, const imps_vec *at, const double *xs, size_t xs_len, int32_t *marks,
                    size_t marks_len) {
    state *s = user;
    s->calls++;
    s->v = *at;
    ck_assert_uint_eq(xs_len, marks_len);
    for (size_t i = 0; i < xs_len; i++)
        marks[i] = xs[i] > 0;
    return (int32_t)xs_len;
}

static double weigh(void *user, const imps_tag *t) {
    state *s = user;
    s->calls++;
    ck_assert_ptr_null(t->note); /* string?: NULL for NULL */
    ck_assert_ptr_nonnull(t->name); /* string: "" for NULL */
    ck_assert_uint_eq(strlen(t->name), t->name_len);
    snprintf(s->label, sizeof s->label, "%s", t->name);
    s->len = t->w_len;
    s->v = t->at;
    double sum = 0;
    for (size_t i = 0; i < t->w_len; i++)
        sum += t->w[i];
    /* copies: writing them does not reach C's */
    ((char *)(uintptr_t)t->name)[0] = t->name_len ? 'X' : '\0';
    if (t->w_len)
        ((double *)(uintptr_t)t->w)[0] = 100;
    return sum;
}

/* What it got, as text in s->text; then scribbles over the copies. */
static double pack(void *user, const imps_crate *c) {
    state *s = user;
    s->calls++;
    size_t n = 0;
    char *x = s->text;
    x[0] = '\0';
    for (size_t i = 0; i < c->labels_len; i++) {
        ck_assert_uint_eq(strlen(c->labels[i].ptr), c->labels[i].len);
        n += (size_t)snprintf(x + n, sizeof s->text - n, "%s%s", i ? "," : "", c->labels[i].ptr);
    }
    for (size_t i = 0; i < c->tags_len; i++) {
        const imps_tag *t = &c->tags[i];
        ck_assert_ptr_null(t->note);
        n += (size_t)snprintf(x + n, sizeof s->text - n, "|%s:%g,%g@%g,%g", t->name, t->w[0], t->w[1], t->at.x,
                              t->at.y);
    }
    for (size_t i = 0; i < c->path_len; i++)
        n += (size_t)snprintf(x + n, sizeof s->text - n, "%s%g,%g", i ? ";" : "|", c->path[i].x, c->path[i].y);
    if (c->labels_len > 1)
        ((char *)(uintptr_t)c->labels[1].ptr)[0] = 'X';
    if (c->tags_len > 0) {
        ((char *)(uintptr_t)c->tags[0].name)[0] = 'X';
        ((double *)(uintptr_t)c->tags[0].w)[1] = 99;
        ((imps_tag *)(uintptr_t)c->tags)[0].w_len = 0;
    }
    if (c->path_len > 1)
        ((imps_vec *)(uintptr_t)c->path)[1].y = 99;
    return (double)(c->labels_len * 100 + c->tags_len * 10 + c->path_len);
}

static state st;
static imps_host *m;

static uint64_t live(void) {
    wg_host_stats s;
    ck_assert_int_eq(imps_host_stats(m, &s), WG_HOST_OK);
    return s.live_count;
}

static uint64_t live0;

static void setup(void) {
    memset(&st, 0, sizeof st);
    imps_host_imports imports = {&st, fill, scale, norm, make, series, mark, weigh, pack};
    ck_assert_int_eq(imps_host_new(&m, NULL, &imports), WG_HOST_OK);
    live0 = live();
}

static void teardown(void) {
    ck_assert_uint_eq(live(), live0); /* nothing left in the sandbox */
    imps_host_free(m);
    m = NULL;
}

/* out: a view of C's buffer the host writes into, its length C's. */
START_TEST(test_out_buffer) {
    uint32_t r = 0;
    ck_assert_int_eq(imps_host_read_sum(m, 10, &r), WG_HOST_OK);
    ck_assert_uint_eq(st.len, 10);
    ck_assert_uint_eq(r, 3000 + 1 + 2 + 3);
    ck_assert_int_eq(imps_host_read_sum(m, 0, &r), WG_HOST_OK);
    ck_assert_uint_eq(st.len, 0);
    ck_assert_uint_eq(r, 0);
    /* C passes a buffer out of its memory: refused before the host sees it */
    ck_assert_int_eq(imps_host_read_sum(m, 999, &r), WG_HOST_BAD_RESULT);
    ck_assert_has(imps_host_error(m), "import fill");
    ck_assert_has(imps_host_error(m), "argument 'buf'");
    ck_assert_int_eq(st.calls, 2);
}
END_TEST

/* inout: scaled in place. */
START_TEST(test_inout_buffer) {
    const double v[] = {1, 2, 3};
    wg_f64_array r = {0};
    ck_assert_int_eq(imps_host_scaled(m, v, 3, 2, &r), WG_HOST_OK);
    ck_assert_uint_eq(r.len, 3);
    ck_assert(r.ptr[0] == 2 && r.ptr[1] == 4 && r.ptr[2] == 6);
    free(r.ptr);
}
END_TEST

/* A struct in (`const S *`, a copy) beside a string; C's NULL string is ""
 * (the IDL has no `?`), as JS gets it; a bad string pointer is BAD_RESULT. */
START_TEST(test_struct_in) {
    double r = 0;
    ck_assert_int_eq(imps_host_norm_of(m, 3, 4, 0, &r), WG_HOST_OK);
    ck_assert(r == 25);
    ck_assert(st.v.x == 3 && st.v.y == 4);
    ck_assert_str_eq(st.label, "abc");
    ck_assert_uint_eq(st.label_len, 3);
    ck_assert_int_eq(imps_host_norm_of(m, 1, 1, 1, &r), WG_HOST_OK);
    ck_assert(!st.label_null);
    ck_assert_uint_eq(st.label_len, 0);
    ck_assert_int_eq(imps_host_norm_of(m, 1, 1, 2, &r), WG_HOST_BAD_RESULT);
    ck_assert_has(imps_host_error(m), "import norm");
    ck_assert_has(imps_host_error(m), "argument 'label'");
    ck_assert_int_eq(st.calls, 2);
}
END_TEST

/* A struct out: written through `result` (zeroed first). */
START_TEST(test_struct_out) {
    double r = 0;
    ck_assert_int_eq(imps_host_make_of(m, 7, 0.5, &r), WG_HOST_OK);
    ck_assert(r == 70.5);
}
END_TEST

/* An array out: the host's elements, copied for C (which frees them:
 * teardown checks nothing is left); NULL with a length is BAD_ARGUMENT. */
START_TEST(test_array_out) {
    double r = 0;
    ck_assert_int_eq(imps_host_series_sum(m, 3, &r), WG_HOST_OK);
    ck_assert(r == 3000 + 0.5 + 1.5 + 2.5);
    ck_assert_int_eq(imps_host_series_sum(m, 0, &r), WG_HOST_OK);
    ck_assert(r == 0);
    st.bad = true;
    ck_assert_int_eq(imps_host_series_sum(m, 2, &r), WG_HOST_BAD_ARGUMENT);
    ck_assert_str_eq(imps_host_error(m), "import series: the result is NULL with 2 elements");
    st.bad = false;
    ck_assert_int_eq(imps_host_series_sum(m, 1, &r), WG_HOST_OK); /* the instance is still usable */
    ck_assert(r == 1000.5);
}
END_TEST

/* Through the glue: a struct, an array in and an array the host writes. */
START_TEST(test_arrays_through_the_glue) {
    const double xs[] = {1, -1, 2, 0};
    int32_t r = 0;
    ck_assert_int_eq(imps_host_mark_all(m, xs, 4, &r), WG_HOST_OK);
    ck_assert_int_eq(r, 4 + 200);
    ck_assert(st.v.x == 1 && st.v.y == 2);
    ck_assert_int_eq(imps_host_mark_all(m, NULL, 0, &r), WG_HOST_OK);
    ck_assert_int_eq(r, 0);
}
END_TEST

/* A struct holding strings and an array: host copies (a NUL of their own;
 * "" for a NULL string, NULL for a NULL `string?` or array), given back
 * after the import (ASan), C's own memory untouched; a field out of wasm
 * memory is BAD_RESULT before the host runs. */
START_TEST(test_struct_with_insides) {
    double r = 0;
    ck_assert_int_eq(imps_host_weigh_of(m, 0, &r), WG_HOST_OK);
    ck_assert(r == 6); /* not -1: C's strings and array are as they were */
    ck_assert_str_eq(st.label, "abc");
    ck_assert_uint_eq(st.len, 3);
    ck_assert(st.v.x == 1 && st.v.y == 2);
    ck_assert_int_eq(imps_host_weigh_of(m, 1, &r), WG_HOST_OK);
    ck_assert(r == 0);
    ck_assert_str_eq(st.label, "");
    ck_assert_uint_eq(st.len, 0);
#ifndef __SANITIZE_ADDRESS__ /* ASan's own allocator: its leak checker instead */
    /* the host's copies given back: the host heap as it was, after many calls */
    size_t before = mallinfo2().uordblks;
    for (int i = 0; i < 50; i++)
        ck_assert_int_eq(imps_host_weigh_of(m, i % 2, &r), WG_HOST_OK);
    ck_assert_uint_eq(mallinfo2().uordblks, before);
#endif
    int calls = st.calls;
    ck_assert_int_eq(imps_host_weigh_of(m, 2, &r), WG_HOST_BAD_RESULT);
    ck_assert_has(imps_host_error(m), "import weigh");
    ck_assert_has(imps_host_error(m), "field 'tag.name'");
    ck_assert_int_eq(st.calls, calls);
}
END_TEST

/* A struct holding lists: host copies of them and of what their elements
 * hold, given back after the import (ASan), C's own untouched; NULL lists
 * are NULL with 0 elements; a label out of wasm memory is BAD_RESULT before
 * the host runs. */
START_TEST(test_struct_with_lists) {
    double r = 0;
    ck_assert_int_eq(imps_host_pack_of(m, 0, &r), WG_HOST_OK);
    ck_assert_str_eq(st.text, "a,bc|t:1,2@5,6|1,2;3,4");
    ck_assert(r == 212); /* not -1: C's lists are as they were */
    ck_assert_int_eq(imps_host_pack_of(m, 1, &r), WG_HOST_OK);
    ck_assert_str_eq(st.text, "");
    ck_assert(r == 0);
    int calls = st.calls;
    ck_assert_int_eq(imps_host_pack_of(m, 2, &r), WG_HOST_BAD_RESULT);
    ck_assert_has(imps_host_error(m), "import pack: the module gave field 'crate.labels' out of bounds");
    ck_assert_int_eq(st.calls, calls);
}
END_TEST

int main(void) {
    Suite *s = suite_create("host_imps");
    TCase *tc = tcase_create("imports");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_out_buffer);
    tcase_add_test(tc, test_inout_buffer);
    tcase_add_test(tc, test_struct_in);
    tcase_add_test(tc, test_struct_out);
    tcase_add_test(tc, test_array_out);
    tcase_add_test(tc, test_arrays_through_the_glue);
    tcase_add_test(tc, test_struct_with_insides);
    tcase_add_test(tc, test_struct_with_lists);
    suite_add_tcase(s, tc);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
