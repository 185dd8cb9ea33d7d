/*
 * test_host_bind.c - bindings through the native host: tests/bind/tk.idl,
 * a library bound as it is (tk.h, tk.c), called from C through the
 * generated API with the library in the sandbox. The same cases as
 * tests/bind/bind.test.mjs (lengths, capacities, the library's structs and
 * enums, status codes and messages, out arrays, its resources, borrowed
 * objects and their owners, caller-allocated structs), each checked for
 * values, statuses, messages and leaks (the module's allocator counters;
 * ASan's leak checker in the sanitized build).
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tk_host.h"
#include "wasmgen-host-glue.h" /* wg_host_res: where a handle points (test_detached) */

#define ck_assert_has(hay, needle)                                                               \
    do {                                                                                         \
        const char *hay_ = (hay), *needle_ = (needle);                                           \
        ck_assert_msg(hay_ && strstr(hay_, needle_), "expected \"%s\" in \"%s\"", needle_, hay_); \
    } while (0)

static tk_host *m;

static uint64_t live(void) {
    wg_host_stats s;
    ck_assert_int_eq(tk_host_stats(m, &s), WG_HOST_OK);
    return s.live_count;
}

static uint64_t live0;

static void setup(void) {
    ck_assert_int_eq(tk_host_new(&m, NULL), WG_HOST_OK);
    live0 = live();
}

static void teardown(void) {
    ck_assert_uint_eq(live(), live0); /* nothing left in the sandbox */
    tk_host_free(m);
    m = NULL;
}

START_TEST(test_static_strings_and_enums) {
    char *s = NULL;
    ck_assert_int_eq(tk_host_version(m, &s), WG_HOST_OK);
    ck_assert_str_eq(s, "tinykit 2.1");
    free(s);
    ck_assert_int_eq(tk_host_strerror(m, TK_EINVAL, &s), WG_HOST_OK);
    ck_assert_str_eq(s, "invalid argument");
    free(s);
    /* the library's enums, declared by tk_host.h under tk.h's names */
    ck_assert_int_eq(TK_ERANGE, -34);
    ck_assert_int_eq(TK_RGBA, 4);
    /* ... and its flags' macros; the bits pass both ways, checked */
    unsigned opts = 0;
    ck_assert_int_eq(tk_host_opts_for(m, TK_OPT_GRAY | TK_OPT_DITHER, 1, &opts), WG_HOST_OK);
    ck_assert_uint_eq(opts, TK_OPT_DITHER);
    ck_assert_int_eq(tk_host_opts_for(m, 4, 1, &opts), WG_HOST_BAD_ARGUMENT);
    ck_assert_str_eq(tk_host_error(m), "opts_for: parameter 'o' is 0x4, with bits flags opts does not have (0x4)");
}
END_TEST

START_TEST(test_lengths) {
    const uint8_t data[] = {1, 2, 3, 250};
    uint32_t sum = 0;
    ck_assert_int_eq(tk_host_checksum(m, data, sizeof data, &sum), WG_HOST_OK);
    ck_assert_uint_eq(sum, 256);
    ck_assert_int_eq(tk_host_checksum(m, NULL, 0, &sum), WG_HOST_OK);
    ck_assert_uint_eq(sum, 0);
    int32_t n = 0;
    ck_assert_int_eq(tk_host_count_char(m, "banana", 6, 'a', &n), WG_HOST_OK);
    ck_assert_int_eq(n, 3);
    /* a length given by other parameters, checked before the call */
    uint8_t px[] = {0, 10, 20, 30, 40, 50};
    ck_assert_int_eq(tk_host_invert(m, px, sizeof px, 1, 2, 3), WG_HOST_OK);
    ck_assert_int_eq(px[0], 255);
    ck_assert_int_eq(px[5], 205);
    ck_assert_int_eq(tk_host_invert(m, px, sizeof px, 2, 2, 3), WG_HOST_BAD_ARGUMENT);
    ck_assert_has(tk_host_error(m), "parameter 'pixels' has 6 elements; its length expression says 12");
    ck_assert_int_eq(tk_host_invert(m, px, sizeof px, 0xffffffffu, 0xffffffffu, 0x7fffffff), WG_HOST_BAD_ARGUMENT);
    ck_assert_int_eq(px[0], 255); /* untouched by the refused calls */
}
END_TEST

START_TEST(test_structs_and_statuses) {
    uint32_t size = 0;
    ck_assert_int_eq(tk_host_image_size(m, &(tk_desc){4, 3, 3, 0}, &size), WG_HOST_OK);
    ck_assert_uint_eq(size, 36);
    ck_assert_int_eq(tk_host_image_size(m, NULL, &size), WG_HOST_BAD_ARGUMENT); /* by pointer, as tk takes it */
    ck_assert_has(tk_host_error(m), "parameter 'd' is NULL");
    ck_assert_int_eq(tk_host_image_size(m, &(tk_desc){0, 3, 3, 0}, &size), WG_HOST_FAILED);
    ck_assert_int_eq(tk_host_error_code(m), TK_EINVAL);
    ck_assert_has(tk_host_error(m), "invalid argument");
    tk_desc d = {0};
    ck_assert_int_eq(tk_host_parse_desc(m, "640x480x4", 9, &d), WG_HOST_OK);
    ck_assert_uint_eq(d.width, 640);
    ck_assert_uint_eq(d.height, 480);
    ck_assert_uint_eq(d.channels, 4);
    ck_assert_uint_eq(d.flags, 1);
    ck_assert_int_eq(tk_host_parse_desc(m, "640x480x2", 9, &d), WG_HOST_FAILED);
    ck_assert_int_eq(tk_host_error_code(m), TK_ERANGE);
    char *s = NULL;
    ck_assert_int_eq(tk_host_describe(m, &(tk_desc){2, 1, 1, 0}, &s), WG_HOST_OK);
    ck_assert_str_eq(s, "2x1, 1 channels");
    free(s);
    /* owned(tk_release): a copy, and the library frees its own, through the glue's export */
    int32_t released = 0, after = 0;
    ck_assert_int_eq(tk_host_released(m, &released), WG_HOST_OK);
    ck_assert_int_eq(tk_host_describe_owned(m, &(tk_desc){2, 1, 1, 0}, &s), WG_HOST_OK);
    ck_assert_str_eq(s, "2x1, 1 channels");
    free(s);
    ck_assert_int_eq(tk_host_released(m, &after), WG_HOST_OK);
    ck_assert_int_eq(after, released + 1);
}
END_TEST

START_TEST(test_out_arrays) {
    wg_u8_array a = {0};
    ck_assert_int_eq(tk_host_fill(m, &a, 100, 7), WG_HOST_OK);
    ck_assert_uint_eq(a.len, 10); /* tk_fill fills at most 10: the produced length */
    for (size_t i = 0; i < a.len; i++)
        ck_assert_int_eq(a.ptr[i], 7);
    free(a.ptr);
    ck_assert_int_eq(tk_host_fill_len(m, &a, 50, 1), WG_HOST_OK);
    ck_assert_uint_eq(a.len, 10);
    free(a.ptr);
    const uint8_t bytes[] = {0xde, 0xad, 0xbe, 0xef};
    ck_assert_int_eq(tk_host_hex(m, bytes, sizeof bytes, &a), WG_HOST_OK); /* C allocates it */
    ck_assert_uint_eq(a.len, 8);
    ck_assert_int_eq(memcmp(a.ptr, "deadbeef", 8), 0);
    free(a.ptr);
    /* a check after the call fails: the string tk made is freed too (teardown counts) */
    char *note = NULL;
    ck_assert_int_eq(tk_host_fill_note(m, &a, 8, 0, &note), WG_HOST_OK);
    ck_assert_str_eq(note, "filled 4");
    ck_assert_uint_eq(a.len, 4);
    free(note);
    free(a.ptr);
    ck_assert_int_eq(tk_host_fill_note(m, &a, 8, 1, &note), WG_HOST_FAILED);
    ck_assert_has(tk_host_error(m), "the C function reports 9 elements for a capacity of 8");
    ck_assert_int_eq(tk_host_fill(m, NULL, 3, 9), WG_HOST_BAD_ARGUMENT); /* where would it go? */
    ck_assert_int_eq(tk_host_fill(m, &a, 0xffffffffu, 9), WG_HOST_BAD_ARGUMENT);
    ck_assert_has(tk_host_error(m), "parameter 'dst'");
    uint32_t c = 0;
    ck_assert_int_eq(tk_host_clamp16(m, 70, 50, &c), WG_HOST_OK);
    ck_assert_uint_eq(c, 50);
    ck_assert_int_eq(tk_host_clamp16(m, 65536, 1, &c), WG_HOST_BAD_ARGUMENT); /* a uint16_t in C */
    ck_assert_has(tk_host_error(m), "parameter 'v'");
}
END_TEST

START_TEST(test_resources_and_borrowed) {
    tk_host_doc *d = NULL;
    ck_assert_int_eq(tk_host_doc_new(m, "poster", 6, &d), WG_HOST_OK);
    char *s = NULL;
    ck_assert_int_eq(tk_host_doc_title(m, d, &s), WG_HOST_OK);
    ck_assert_str_eq(s, "poster");
    free(s);
    int32_t i = -1;
    ck_assert_int_eq(tk_host_doc_add_layer(m, d, "background", 10, &i), WG_HOST_OK);
    ck_assert_int_eq(i, 0);
    ck_assert_int_eq(tk_host_doc_add_layer(m, d, "text", 4, &i), WG_HOST_OK);
    ck_assert_int_eq(i, 1);
    tk_host_layer *l = NULL, *none = (tk_host_layer *)1, *l0 = NULL;
    ck_assert_int_eq(tk_host_doc_layer(m, d, 1, &l), WG_HOST_OK);
    ck_assert_int_eq(tk_host_layer_name(m, l, &s), WG_HOST_OK);
    ck_assert_str_eq(s, "text");
    free(s);
    ck_assert_int_eq(tk_host_layer_index(m, l, &i), WG_HOST_OK);
    ck_assert_int_eq(i, 1);
    ck_assert_int_eq(tk_host_name_of_layer(m, l, &s), WG_HOST_OK);
    ck_assert_str_eq(s, "text");
    free(s);
    ck_assert_int_eq(tk_host_doc_layer(m, d, 2, &none), WG_HOST_OK);
    ck_assert_ptr_null(none); /* layer? : none */
    /* a borrowed handle's free leaves the object to its owner: the layer's
     * drop (tk_layer_drop, which counts) is not called */
    int32_t drops = -1, drops_after = -1;
    ck_assert_int_eq(tk_host_layer_drops(m, &drops), WG_HOST_OK);
    ck_assert_int_eq(tk_host_layer_free(m, l), WG_HOST_OK);
    ck_assert_int_eq(tk_host_layer_drops(m, &drops_after), WG_HOST_OK);
    ck_assert_int_eq(drops_after, drops);
    ck_assert_int_eq(tk_host_doc_layer(m, d, 1, &l), WG_HOST_OK);
    ck_assert_int_eq(tk_host_layer_name(m, l, &s), WG_HOST_OK);
    ck_assert_str_eq(s, "text");
    free(s);
    /* message tk_doc_error(self) / tk_doc_error(d): the document's own reason */
    ck_assert_int_eq(tk_host_doc_add_named_layer(m, d, "", 0, &i), WG_HOST_FAILED);
    ck_assert_int_eq(tk_host_error_code(m), TK_EINVAL);
    ck_assert_str_eq(tk_host_error(m), "doc_add_named_layer: a layer needs a name");
    ck_assert_int_eq(tk_host_add_layer_to(m, d, "", 0, &i), WG_HOST_FAILED);
    ck_assert_str_eq(tk_host_error(m), "add_layer_to: a layer needs a name");
    ck_assert_int_eq(tk_host_add_layer_to(m, d, "third", 5, &i), WG_HOST_OK);
    ck_assert_int_eq(i, 2);
    ck_assert_int_eq(tk_host_doc_layer(m, d, 0, &l0), WG_HOST_OK);
    /* a handle borrowed from a borrowed one: the layer's document */
    tk_host_doc *back = NULL;
    ck_assert_int_eq(tk_host_layer_doc(m, l0, &back), WG_HOST_OK);
    ck_assert_int_eq(tk_host_doc_title(m, back, &s), WG_HOST_OK);
    ck_assert_str_eq(s, "poster");
    free(s);
    ck_assert_int_eq(tk_host_doc_free(m, d), WG_HOST_OK);
    /* ... refused with the chain above it: the document it came from through l0 is gone */
    ck_assert_int_eq(tk_host_doc_title(m, back, &s), WG_HOST_BAD_ARGUMENT);
    ck_assert_has(tk_host_error(m), "whose owner was freed");
    ck_assert_int_eq(tk_host_doc_free(m, back), WG_HOST_OK); /* borrowed: the handle only */
    /* the document took its layers with it: their handles are refused */
    ck_assert_int_eq(tk_host_layer_name(m, l0, &s), WG_HOST_BAD_ARGUMENT);
    ck_assert_has(tk_host_error(m), "whose owner was freed");
    ck_assert_int_eq(tk_host_name_of_layer(m, l0, &s), WG_HOST_BAD_ARGUMENT);
    ck_assert_has(tk_host_error(m), "whose owner was freed");
    ck_assert_int_eq(tk_host_layer_free(m, l0), WG_HOST_OK); /* the handle only */
    /* l is left to the instance's end (tk_host_free frees every handle) */
    (void)l;
    /* constructors: NULL is a failure with the function's name, or the library's reason */
    ck_assert_int_eq(tk_host_doc_new(m, "", 0, &d), WG_HOST_FAILED);
    ck_assert_has(tk_host_error(m), "tk_doc_create");
    ck_assert_int_eq(tk_host_doc_open(m, &(tk_desc){3, 2, 4, 0}, &d), WG_HOST_OK);
    ck_assert_int_eq(tk_host_doc_title(m, d, &s), WG_HOST_OK);
    ck_assert_str_eq(s, "3x2");
    free(s);
    ck_assert_int_eq(tk_host_doc_free(m, d), WG_HOST_OK);
    ck_assert_int_eq(tk_host_doc_open(m, &(tk_desc){0, 2, 4, 0}, &d), WG_HOST_BAD_RESULT); /* returned NULL */
    ck_assert_int_eq(tk_host_doc_try_open(m, &(tk_desc){7, 0, 4, 0}, &d), WG_HOST_FAILED);
    ck_assert_str_eq(tk_host_error(m), "doc_try_open: invalid image 7x0x4");
}
END_TEST

/* `given`: the library takes a note (tk_doc_attach, tk_note_merge,
 * tk_note_finish); tk_note_destroys() counts the notes tk destroyed. */
static int32_t destroys(void) {
    int32_t n = -1;
    ck_assert_int_eq(tk_host_note_destroys(m, &n), WG_HOST_OK);
    return n;
}

START_TEST(test_given) {
    int32_t d0 = destroys(), n = -1;
    char *s = NULL;
    tk_host_doc *d = NULL, *e = NULL;
    tk_host_note *a = NULL, *b = NULL, *c = NULL, *empty = NULL, *borrowed = NULL;
    ck_assert_int_eq(tk_host_doc_new(m, "board", 5, &d), WG_HOST_OK);
    ck_assert_int_eq(tk_host_doc_new(m, "other", 5, &e), WG_HOST_OK);
    ck_assert_int_eq(tk_host_note_new(m, "ab", 2, &a), WG_HOST_OK);
    ck_assert_int_eq(tk_host_note_new(m, "cd", 2, &b), WG_HOST_OK);
    ck_assert_int_eq(tk_host_note_new(m, "", 0, &empty), WG_HOST_OK);
    /* given(self): the document takes it; the handle is borrowed from it now */
    ck_assert_int_eq(tk_host_doc_attach(m, d, a), WG_HOST_OK);
    ck_assert_int_eq(tk_host_note_text(m, a, &s), WG_HOST_OK);
    ck_assert_str_eq(s, "ab");
    free(s);
    /* refused before the call: a borrowed handle, a handle passed twice, one already given */
    ck_assert_int_eq(tk_host_doc_note(m, d, 0, &borrowed), WG_HOST_OK);
    ck_assert_int_eq(tk_host_doc_attach(m, e, borrowed), WG_HOST_BAD_ARGUMENT);
    ck_assert_has(tk_host_error(m), "parameter 'n' is a note that does not own its object");
    ck_assert_int_eq(tk_host_doc_attach(m, e, a), WG_HOST_BAD_ARGUMENT);
    ck_assert_has(tk_host_error(m), "does not own its object");
    ck_assert_int_eq(tk_host_note_merge(m, b, b), WG_HOST_BAD_ARGUMENT);
    ck_assert_has(tk_host_error(m), "parameter 'from' is self too");
    ck_assert_int_eq(tk_host_move_note(m, b, b), WG_HOST_BAD_ARGUMENT);
    ck_assert_has(tk_host_error(m), "parameter 'from' is parameter 'into' too");
    ck_assert_int_eq(tk_host_doc_notes(m, e, &n), WG_HOST_OK);
    ck_assert_int_eq(n, 0);
    /* a failed call leaves the note to its handle */
    ck_assert_int_eq(tk_host_doc_attach(m, d, empty), WG_HOST_FAILED);
    ck_assert_int_eq(tk_host_error_code(m), TK_EINVAL);
    /* given(d), a parameter after it */
    ck_assert_int_eq(tk_host_note_new(m, "ef", 2, &c), WG_HOST_OK);
    ck_assert_int_eq(tk_host_attach_note(m, c, e), WG_HOST_OK);
    /* consumed: the handle is spent */
    tk_host_note *f = NULL;
    ck_assert_int_eq(tk_host_note_new(m, "gh", 2, &f), WG_HOST_OK);
    ck_assert_int_eq(tk_host_note_merge(m, b, f), WG_HOST_OK);
    ck_assert_int_eq(destroys(), d0 + 1);
    ck_assert_int_eq(tk_host_note_text(m, f, &s), WG_HOST_BAD_ARGUMENT);
    ck_assert_has(tk_host_error(m), "that was given to the module, which consumed it");
    ck_assert_int_eq(tk_host_note_merge(m, b, f), WG_HOST_BAD_ARGUMENT);
    ck_assert_int_eq(tk_host_note_free(m, f), WG_HOST_OK); /* the handle only */
    ck_assert_int_eq(tk_host_finish(m, b, &n), WG_HOST_OK);
    ck_assert_int_eq(n, 4); /* "cdgh" */
    ck_assert_int_eq(tk_host_note_free(m, b), WG_HOST_OK);
    ck_assert_int_eq(destroys(), d0 + 2);
    /* freeing a given handle leaves the note to the document */
    ck_assert_int_eq(tk_host_note_free(m, borrowed), WG_HOST_OK);
    ck_assert_int_eq(tk_host_doc_free(m, d), WG_HOST_OK);
    ck_assert_int_eq(destroys(), d0 + 3);
    ck_assert_int_eq(tk_host_note_text(m, a, &s), WG_HOST_BAD_ARGUMENT);
    ck_assert_has(tk_host_error(m), "whose owner was freed");
    ck_assert_int_eq(tk_host_note_free(m, a), WG_HOST_OK);
    ck_assert_int_eq(tk_host_doc_free(m, e), WG_HOST_OK);
    ck_assert_int_eq(tk_host_note_free(m, c), WG_HOST_OK);
    /* a constructor taking a note: when it fails, the note stays the caller's */
    tk_host_note *t = NULL;
    tk_host_doc *fd = NULL;
    ck_assert_int_eq(tk_host_doc_from_note(m, empty, &fd), WG_HOST_FAILED);
    ck_assert_int_eq(tk_host_note_new(m, "title", 5, &t), WG_HOST_OK);
    ck_assert_int_eq(tk_host_doc_from_note(m, t, &fd), WG_HOST_OK);
    ck_assert_int_eq(tk_host_note_text(m, t, &s), WG_HOST_BAD_ARGUMENT);
    ck_assert_int_eq(tk_host_note_free(m, t), WG_HOST_OK);
    ck_assert_int_eq(tk_host_doc_free(m, fd), WG_HOST_OK);
    ck_assert_int_eq(tk_host_note_free(m, empty), WG_HOST_OK); /* still its: destroyed now */
    ck_assert_int_eq(destroys(), d0 + 6);
}
END_TEST

START_TEST(test_caller_allocated) {
    tk_host_counter *c = NULL;
    ck_assert_int_eq(tk_host_counter_new(m, 5, &c), WG_HOST_OK);
    for (int k = 0; k < 16; k++)
        ck_assert_int_eq(tk_host_counter_add(m, c, 1), WG_HOST_OK);
    ck_assert_int_eq(tk_host_counter_add(m, c, 1), WG_HOST_FAILED);
    ck_assert_int_eq(tk_host_error_code(m), TK_ERANGE);
    ck_assert_int_eq(tk_host_counter_free(m, c), WG_HOST_OK);
    ck_assert_int_eq(tk_host_counter_new(m, -1, &c), WG_HOST_FAILED);
    ck_assert_int_eq(tk_host_error_code(m), TK_ERANGE);
}
END_TEST

/* A C string array the host passes: copied into the module, argv-style. */
START_TEST(test_c_string_array) {
    const char *parts[] = {"ab", "", "cde"};
    int32_t count = -1;
    uint32_t total = 0;
    ck_assert_int_eq(tk_host_total_len(m, parts, 3, &count, &total), WG_HOST_OK);
    ck_assert_uint_eq(total, 5);
    ck_assert_int_eq(count, 3);
    ck_assert_int_eq(tk_host_total_len(m, parts, 0, &count, &total), WG_HOST_OK); /* the NULL comes first */
    ck_assert_int_eq(count, 0);
    const char *holes[] = {"ab", NULL};
    ck_assert_int_eq(tk_host_total_len(m, holes, 2, &count, &total), WG_HOST_BAD_ARGUMENT);
    ck_assert_str_eq(tk_host_error(m), "total_len: parameter 'parts[1]' is NULL");
    ck_assert_int_eq(tk_host_total_len(m, NULL, 1, &count, &total), WG_HOST_BAD_ARGUMENT);
    ck_assert_has(tk_host_error(m), "parameter 'parts' is NULL with 1 elements");
    ck_assert_int_eq(tk_host_total_len(m, NULL, 0, &count, &total), WG_HOST_OK); /* an empty list */
    ck_assert_int_eq(count, 0);
}
END_TEST

/* A note taken out of its document (tk_doc_detach_note) is the new handle's:
 * the handles borrowed for it (the one that gave it, one tk_doc_note
 * returned) are borrowed from that handle from then on: usable after the
 * document is freed, refused once the new handle freed the note (before,
 * they were the document's, and read the freed note). */
START_TEST(test_detached) {
    int32_t d0 = destroys();
    char *s = NULL;
    tk_host_doc *d = NULL, *e = NULL;
    tk_host_note *n = NULL, *got = NULL, *taken = NULL, *again = NULL, *none = NULL;
    ck_assert_int_eq(tk_host_doc_new(m, "board", 5, &d), WG_HOST_OK);
    ck_assert_int_eq(tk_host_doc_new(m, "other", 5, &e), WG_HOST_OK);
    ck_assert_int_eq(tk_host_note_new(m, "first", 5, &n), WG_HOST_OK);
    ck_assert_int_eq(tk_host_doc_attach(m, d, n), WG_HOST_OK);
    ck_assert_int_eq(tk_host_doc_note(m, d, 0, &got), WG_HOST_OK);
    ck_assert_int_eq(tk_host_doc_detach_note(m, d, 1, &none), WG_HOST_OK);
    ck_assert_ptr_null(none);
    ck_assert_int_eq(tk_host_doc_detach_note(m, d, 0, &taken), WG_HOST_OK);
    ck_assert_int_eq(tk_host_doc_free(m, d), WG_HOST_OK); /* the note is not the document's */
    ck_assert_int_eq(destroys(), d0);
    tk_host_note *h[] = {n, got};
    for (int i = 0; i < 2; i++) {
        ck_assert_int_eq(tk_host_note_text(m, h[i], &s), WG_HOST_OK);
        ck_assert_str_eq(s, "first");
        free(s);
    }
    /* given again, taken again: they follow it */
    ck_assert_int_eq(tk_host_doc_attach(m, e, taken), WG_HOST_OK);
    ck_assert_int_eq(tk_host_doc_detach_note(m, e, 0, &again), WG_HOST_OK);
    ck_assert_int_eq(tk_host_note_free(m, taken), WG_HOST_OK); /* lets go: the note is again's */
    ck_assert_int_eq(tk_host_note_text(m, n, &s), WG_HOST_OK);
    ck_assert_str_eq(s, "first");
    free(s);
    ck_assert_int_eq(tk_host_note_free(m, again), WG_HOST_OK); /* destroys the note */
    ck_assert_int_eq(destroys(), d0 + 1);
    for (int i = 0; i < 2; i++) {
        ck_assert_int_eq(tk_host_note_text(m, h[i], &s), WG_HOST_BAD_ARGUMENT);
        ck_assert_has(tk_host_error(m), "whose owner was freed");
        ck_assert_int_eq(tk_host_doc_attach(m, e, h[i]), WG_HOST_BAD_ARGUMENT);
    }
    /* a note made at the freed one's address does not revive them */
    tk_host_note *fresh = NULL;
    ck_assert_int_eq(tk_host_note_new(m, "fresh", 5, &fresh), WG_HOST_OK);
    ck_assert_int_eq(tk_host_note_text(m, n, &s), WG_HOST_BAD_ARGUMENT);
    ck_assert_int_eq(tk_host_note_free(m, fresh), WG_HOST_OK);
    ck_assert_int_eq(tk_host_note_free(m, n), WG_HOST_OK);
    ck_assert_int_eq(tk_host_note_free(m, got), WG_HOST_OK);
    ck_assert_int_eq(tk_host_doc_free(m, e), WG_HOST_OK);
    ck_assert_int_eq(destroys(), d0 + 2);
    /* nor a document made at a freed one's address the handles that reached
     * it through a layer (orphaned with the layer, the handle itself not) */
    tk_host_doc *old = NULL, *back = NULL, *now[4] = {NULL};
    tk_host_layer *l = NULL;
    int32_t i = -1;
    ck_assert_int_eq(tk_host_doc_new(m, "board", 5, &old), WG_HOST_OK);
    ck_assert_int_eq(tk_host_doc_add_layer(m, old, "top", 3, &i), WG_HOST_OK);
    ck_assert_int_eq(tk_host_doc_layer(m, old, 0, &l), WG_HOST_OK);
    ck_assert_int_eq(tk_host_layer_doc(m, l, &back), WG_HOST_OK);
    ck_assert_int_eq(tk_host_doc_free(m, old), WG_HOST_OK);
    bool reused = false;
    for (int k = 0; k < 4; k++) {
        ck_assert_int_eq(tk_host_doc_new(m, "board", 5, &now[k]), WG_HOST_OK);
        reused |= ((wg_host_res *)now[k])->ptr == ((wg_host_res *)back)->ptr;
    }
    ck_assert(reused); /* (tk's malloc gives the address back) */
    ck_assert_int_eq(tk_host_doc_title(m, back, &s), WG_HOST_BAD_ARGUMENT);
    ck_assert_has(tk_host_error(m), "whose owner was freed");
    for (int k = 0; k < 4; k++)
        ck_assert_int_eq(tk_host_doc_free(m, now[k]), WG_HOST_OK);
    ck_assert_int_eq(tk_host_doc_free(m, back), WG_HOST_OK);
    ck_assert_int_eq(tk_host_layer_free(m, l), WG_HOST_OK);
    /* a new owner of another type (tk's note, handed out as a layer, then
     * taken as the note): the handles borrowed for the layer end */
    tk_host_layer *as_layer = NULL;
    tk_host_note *kept = NULL;
    ck_assert_int_eq(tk_host_kept_as_layer(m, &as_layer), WG_HOST_OK);
    ck_assert_int_eq(tk_host_layer_index(m, as_layer, &i), WG_HOST_OK);
    ck_assert_int_eq(tk_host_take_kept(m, &kept), WG_HOST_OK);
    ck_assert_int_eq(tk_host_layer_index(m, as_layer, &i), WG_HOST_BAD_ARGUMENT);
    ck_assert_has(tk_host_error(m), "whose owner was freed");
    ck_assert_int_eq(tk_host_note_text(m, kept, &s), WG_HOST_OK);
    ck_assert_str_eq(s, "kept");
    free(s);
    ck_assert_int_eq(tk_host_note_free(m, kept), WG_HOST_OK);
    ck_assert_int_eq(tk_host_layer_free(m, as_layer), WG_HOST_OK);
    /* a handle borrowed from the library (tk's last note) ends when a
     * handle's destructor destroys its note */
    tk_host_note *mine = NULL, *last = NULL;
    ck_assert_int_eq(tk_host_note_new(m, "mine", 4, &mine), WG_HOST_OK);
    ck_assert_int_eq(tk_host_last_note(m, &last), WG_HOST_OK);
    ck_assert_int_eq(tk_host_note_text(m, last, &s), WG_HOST_OK);
    ck_assert_str_eq(s, "mine");
    free(s);
    ck_assert_int_eq(tk_host_note_free(m, mine), WG_HOST_OK);
    ck_assert_int_eq(tk_host_note_text(m, last, &s), WG_HOST_BAD_ARGUMENT);
    ck_assert_has(tk_host_error(m), "whose owner was freed");
    ck_assert_int_eq(tk_host_note_free(m, last), WG_HOST_OK);
}
END_TEST

/* A random model of notes in documents: made, attached (given(self)), read
 * (borrowed from the document), taken out (tk_doc_detach_note) and given
 * again, handles freed. The model: a borrowed handle is usable while the
 * handle it is borrowed from is, and those of a note taken out are borrowed
 * from the new handle. After each step every handle not freed is used: a
 * usable one reads the model's text (or count), any other is refused. ASan
 * (the sanitized build) sees any read of a freed note. */
enum { MODEL_STEPS = 4000, MODEL_LIVE = 40, MODEL_KIDS = 64 };
typedef struct {
    void *h;   /* a tk_host_note or tk_host_doc; freed: gone (never passed again) */
    bool doc;
    int obj;   /* the model's object */
    int owner; /* the model handle it is borrowed from, -1 when it owns */
    bool freed;
} model_handle;
typedef struct {
    bool alive;
    int kids[MODEL_KIDS]; /* a document: its notes, in order */
    int nkids;
    char text[16];
} model_object;
static model_handle mh[MODEL_STEPS + 1];
static model_object mo[MODEL_STEPS + 1];
static int nmh, nmo;
static uint32_t model_seed;

static uint32_t model_rand(uint32_t n) {
    model_seed = model_seed * 1103515245u + 12345u;
    return (model_seed >> 8) % n;
}

static bool model_usable(int i) {
    return !mh[i].freed && (mh[i].owner < 0 || model_usable(mh[i].owner));
}

/* A handle chosen at random among those that `fits` (-1: none). */
static int model_pick(bool (*fits)(int)) {
    int n = 0, c = -1;
    for (int i = 0; i < nmh; i++)
        if (fits(i) && model_rand((uint32_t)++n) == 0)
            c = i;
    return c;
}
static bool fits_doc(int i) { return mh[i].doc && model_usable(i); }
static bool fits_owned_note(int i) { return !mh[i].doc && mh[i].owner < 0 && model_usable(i); }
static bool fits_any(int i) { return !mh[i].freed; }

START_TEST(test_detach_model) {
    model_seed = 7;
    nmh = nmo = 0;
    int32_t n = 0;
    char *s = NULL;
    for (int step = 0; step < MODEL_STEPS; step++) {
        int live = 0;
        for (int j = 0; j < nmh; j++)
            live += !mh[j].freed;
        uint32_t op = live >= MODEL_LIVE ? 9 : model_rand(10);
        int d = model_pick(fits_doc), t = model_pick(fits_owned_note);
        if (op <= 1 || d < 0) { /* a document or a note */
            model_object *o = &mo[nmo];
            *o = (model_object){.alive = true};
            snprintf(o->text, sizeof o->text, "n%d", nmo);
            bool doc = op == 0 || d < 0;
            void *h = NULL;
            if (doc)
                ck_assert_int_eq(tk_host_doc_new(m, "d", 1, (tk_host_doc **)&h), WG_HOST_OK);
            else
                ck_assert_int_eq(tk_host_note_new(m, o->text, strlen(o->text), (tk_host_note **)&h), WG_HOST_OK);
            mh[nmh++] = (model_handle){h, doc, nmo++, -1, false};
        } else if (op <= 3 && t >= 0 && mo[mh[d].obj].nkids < MODEL_KIDS) { /* given to a document */
            ck_assert_int_eq(tk_host_doc_attach(m, mh[d].h, mh[t].h), WG_HOST_OK);
            model_object *o = &mo[mh[d].obj];
            o->kids[o->nkids++] = mh[t].obj;
            mh[t].owner = d;
        } else if (op <= 5 && mo[mh[d].obj].nkids > 0) { /* a note read */
            int32_t at = (int32_t)model_rand((uint32_t)mo[mh[d].obj].nkids);
            tk_host_note *h = NULL;
            ck_assert_int_eq(tk_host_doc_note(m, mh[d].h, at, &h), WG_HOST_OK);
            mh[nmh++] = (model_handle){h, false, mo[mh[d].obj].kids[at], d, false};
        } else if (op <= 7 && mo[mh[d].obj].nkids > 0) { /* a note taken out */
            model_object *o = &mo[mh[d].obj];
            int32_t at = (int32_t)model_rand((uint32_t)o->nkids);
            int note = o->kids[at];
            tk_host_note *h = NULL;
            ck_assert_int_eq(tk_host_doc_detach_note(m, mh[d].h, at, &h), WG_HOST_OK);
            memmove(o->kids + at, o->kids + at + 1, (size_t)(o->nkids - at - 1) * sizeof *o->kids);
            o->nkids--;
            for (int j = 0; j < nmh; j++)
                if (!mh[j].doc && mh[j].obj == note && mh[j].owner >= 0 && model_usable(j))
                    mh[j].owner = nmh;
            mh[nmh++] = (model_handle){h, false, note, -1, false};
        } else { /* a handle freed: an owner destroys what it owns */
            int k = model_pick(fits_any);
            if (mh[k].owner < 0 && model_usable(k)) {
                model_object *o = &mo[mh[k].obj];
                o->alive = false;
                for (int j = 0; mh[k].doc && j < o->nkids; j++)
                    mo[o->kids[j]].alive = false;
            }
            if (mh[k].doc)
                ck_assert_int_eq(tk_host_doc_free(m, mh[k].h), WG_HOST_OK);
            else
                ck_assert_int_eq(tk_host_note_free(m, mh[k].h), WG_HOST_OK);
            mh[k].freed = true;
        }
        for (int j = 0; j < nmh; j++) {
            if (mh[j].freed)
                continue;
            int status = mh[j].doc ? tk_host_doc_notes(m, mh[j].h, &n) : tk_host_note_text(m, mh[j].h, &s);
            if (model_usable(j)) {
                ck_assert_msg(status == WG_HOST_OK, "step %d: handle %d refused: %s", step, j, tk_host_error(m));
                ck_assert(mo[mh[j].obj].alive);
                if (mh[j].doc) {
                    ck_assert_int_eq(n, mo[mh[j].obj].nkids);
                } else {
                    ck_assert_str_eq(s, mo[mh[j].obj].text);
                    free(s);
                }
            } else {
                ck_assert_msg(status == WG_HOST_BAD_ARGUMENT, "step %d: handle %d not refused", step, j);
                ck_assert_has(tk_host_error(m), "whose owner was freed");
            }
        }
    }
    for (int pass = 0; pass < 2; pass++) /* what is borrowed first, then the owners */
        for (int j = 0; j < nmh; j++)
            if (!mh[j].freed && (pass == 1 || mh[j].owner >= 0)) {
                if (mh[j].doc)
                    ck_assert_int_eq(tk_host_doc_free(m, mh[j].h), WG_HOST_OK);
                else
                    ck_assert_int_eq(tk_host_note_free(m, mh[j].h), WG_HOST_OK);
                mh[j].freed = true;
            }
}
END_TEST

/* A given object is the module's once the call succeeded, even when a
 * result is refused afterwards; what was borrowed from a consumed handle is
 * refused from then on. */
START_TEST(test_given_then_refused) {
    int32_t d0 = destroys();
    tk_host_note *n = NULL;
    unsigned opts = 0;
    ck_assert_int_eq(tk_host_note_new(m, "abcd", 4, &n), WG_HOST_OK);
    ck_assert_int_eq(tk_host_finish_opts(m, n, &opts), WG_HOST_BAD_RESULT); /* 4: a bit opts lacks */
    ck_assert_int_eq(destroys(), d0 + 1);
    ck_assert_int_eq(tk_host_note_free(m, n), WG_HOST_OK); /* the handle only: the note is gone */
    ck_assert_int_eq(destroys(), d0 + 1);
    ck_assert_int_eq(tk_host_note_new(m, "ab", 2, &n), WG_HOST_OK);
    ck_assert_int_eq(tk_host_finish_opts(m, n, &opts), WG_HOST_OK); /* 2: GRAY */
    ck_assert_uint_eq(opts, TK_OPT_GRAY);
    ck_assert_int_eq(tk_host_note_free(m, n), WG_HOST_OK);
    ck_assert_int_eq(destroys(), d0 + 2);
    tk_host_doc *d = NULL;
    tk_host_layer *l = NULL;
    int32_t i = 0;
    char *s = NULL;
    ck_assert_int_eq(tk_host_doc_new(m, "gone", 4, &d), WG_HOST_OK);
    ck_assert_int_eq(tk_host_doc_add_layer(m, d, "background", 10, &i), WG_HOST_OK);
    ck_assert_int_eq(tk_host_doc_layer(m, d, 0, &l), WG_HOST_OK);
    ck_assert_int_eq(tk_host_drop_doc(m, d), WG_HOST_OK);
    ck_assert_int_eq(tk_host_layer_name(m, l, &s), WG_HOST_BAD_ARGUMENT);
    ck_assert_has(tk_host_error(m), "self is a layer whose owner was freed");
    ck_assert_ptr_null(s);
    ck_assert_int_eq(tk_host_layer_free(m, l), WG_HOST_OK);
    ck_assert_int_eq(tk_host_doc_free(m, d), WG_HOST_OK);
    /* a document given beside one of its own layers: refused, nothing done */
    tk_host_doc *e = NULL, *other = NULL;
    tk_host_layer *own = NULL, *theirs = NULL;
    ck_assert_int_eq(tk_host_doc_new(m, "e", 1, &e), WG_HOST_OK);
    ck_assert_int_eq(tk_host_doc_new(m, "other", 5, &other), WG_HOST_OK);
    ck_assert_int_eq(tk_host_doc_add_layer(m, e, "mine", 4, &i), WG_HOST_OK);
    ck_assert_int_eq(tk_host_doc_add_layer(m, other, "theirs", 6, &i), WG_HOST_OK);
    ck_assert_int_eq(tk_host_doc_layer(m, e, 0, &own), WG_HOST_OK);
    ck_assert_int_eq(tk_host_doc_layer(m, other, 0, &theirs), WG_HOST_OK);
    ck_assert_int_eq(tk_host_close_doc(m, e, own, &i), WG_HOST_BAD_ARGUMENT);
    ck_assert_has(tk_host_error(m), "parameter 'd' is parameter 'l' too, or what it was borrowed from");
    ck_assert_int_eq(tk_host_layer_name(m, own, &s), WG_HOST_OK); /* e is still the host's */
    free(s);
    ck_assert_int_eq(tk_host_close_doc(m, e, theirs, &i), WG_HOST_OK);
    ck_assert_int_eq(i, 6);
    ck_assert_int_eq(tk_host_layer_name(m, own, &s), WG_HOST_BAD_ARGUMENT); /* gone with e */
    ck_assert_int_eq(tk_host_layer_free(m, own), WG_HOST_OK);
    ck_assert_int_eq(tk_host_layer_free(m, theirs), WG_HOST_OK);
    ck_assert_int_eq(tk_host_doc_free(m, e), WG_HOST_OK);
    ck_assert_int_eq(tk_host_doc_free(m, other), WG_HOST_OK);
}
END_TEST

/* What the bookkeeping of owners visits (the instance's handle_steps: the
 * probes of its table of handles by pointer, the handles of one pointer,
 * those borrowed from one handle) is a constant per operation, however many
 * handles the host holds: a host building a tree of 100,000 nodes must not
 * walk them all for each one (before, wg_host_own and a handle's free did).
 * 3,000 notes live, given to documents, read, taken out and freed, then the
 * same with 12,000: the steps per operation stay under a small bound. */
static double steps_per_op(int live) {
    wg_sandbox *sb = (wg_sandbox *)m; /* (tk_host's first member) */
    uint64_t steps0 = sb->handle_steps, ops = 0;
    tk_host_doc *d[4] = {NULL};
    for (int k = 0; k < 4; k++, ops++)
        ck_assert_int_eq(tk_host_doc_new(m, "d", 1, &d[k]), WG_HOST_OK);
    tk_host_note **notes = calloc((size_t)live, sizeof *notes), **got = calloc((size_t)live, sizeof *got);
    ck_assert_ptr_nonnull(notes);
    ck_assert_ptr_nonnull(got);
    for (int i = 0; i < live; i++, ops += 3) { /* made (an owner), given to a document, read back (borrowed) */
        ck_assert_int_eq(tk_host_note_new(m, "n", 1, &notes[i]), WG_HOST_OK);
        ck_assert_int_eq(tk_host_doc_attach(m, d[i % 4], notes[i]), WG_HOST_OK);
        ck_assert_int_eq(tk_host_doc_note(m, d[i % 4], i / 4, &got[i]), WG_HOST_OK);
    }
    for (int i = 0; i < live / 4; i++, ops += 7) { /* taken out of the last document (a new owner), freed with its handles */
        tk_host_note *taken = NULL;
        int at = (live - 1) / 4 - i;
        ck_assert_int_eq(tk_host_doc_detach_note(m, d[3], at, &taken), WG_HOST_OK);
        ck_assert_int_eq(tk_host_note_free(m, taken), WG_HOST_OK); /* destroys it: its other handles end */
        char *s = NULL; /* (found among thousands: the table holds them all, through its growth and deletions) */
        ck_assert_int_eq(tk_host_note_text(m, got[4 * at + 3], &s), WG_HOST_BAD_ARGUMENT);
        ck_assert_int_eq(tk_host_note_text(m, notes[4 * at + 3], &s), WG_HOST_BAD_ARGUMENT);
        ck_assert_int_eq(tk_host_note_text(m, got[4 * at + 2], &s), WG_HOST_OK); /* a neighbour's are not */
        free(s);
        ck_assert_int_eq(tk_host_note_free(m, got[4 * at + 3]), WG_HOST_OK);
        ck_assert_int_eq(tk_host_note_free(m, notes[4 * at + 3]), WG_HOST_OK);
        notes[4 * at + 3] = got[4 * at + 3] = NULL;
    }
    for (int i = 0; i < live; i++, ops += 2)
        if (notes[i] != NULL) {
            ck_assert_int_eq(tk_host_note_free(m, got[i]), WG_HOST_OK);
            ck_assert_int_eq(tk_host_note_free(m, notes[i]), WG_HOST_OK);
        }
    for (int k = 0; k < 4; k++, ops++)
        ck_assert_int_eq(tk_host_doc_free(m, d[k]), WG_HOST_OK);
    free(notes);
    free(got);
    wg_host_stats st;
    ck_assert_int_eq(tk_host_stats(m, &st), WG_HOST_OK);
    ck_assert_uint_eq(st.live_handles, 0);
    return (double)(sb->handle_steps - steps0) / (double)ops;
}

START_TEST(test_handle_steps) {
    double small = steps_per_op(3000), large = steps_per_op(12000);
    ck_assert_msg(small < 8 && large < 8, "steps per operation: %.2f with 3,000 notes, %.2f with 12,000", small,
                  large);
}
END_TEST

int main(void) {
    Suite *s = suite_create("host_bind");
    TCase *tc = tcase_create("tk");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_static_strings_and_enums);
    tcase_add_test(tc, test_lengths);
    tcase_add_test(tc, test_structs_and_statuses);
    tcase_add_test(tc, test_out_arrays);
    tcase_add_test(tc, test_given);
    tcase_add_test(tc, test_detached);
    tcase_add_test(tc, test_detach_model);
    tcase_add_test(tc, test_handle_steps);
    tcase_add_test(tc, test_resources_and_borrowed);
    tcase_add_test(tc, test_caller_allocated);
    tcase_add_test(tc, test_c_string_array);
    tcase_add_test(tc, test_given_then_refused);
    suite_add_tcase(s, tc);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
