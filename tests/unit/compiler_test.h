/*
 * compiler_test.h - what the compiler's unit tests (test_lexer, test_parser,
 * test_sema, test_emit) share: running the suites, and string assertions
 * that print both sides on failure.
 *
 * Everything here is static inline, so a test that does not use a helper
 * does not warn about it.
 */
#ifndef WG_COMPILER_TEST_H
#define WG_COMPILER_TEST_H

#include <check.h>
#include <stdlib.h>
#include <string.h>

/* The file name every test compiles under; it starts each message. */
#define TEST_FILE "t.idl"

/* `hay` contains `needle`. Failure messages show at most the first 2000
 * bytes of `hay`: Check refuses longer ones. */
#define ck_assert_has(hay, needle)                                                     \
    do {                                                                               \
        const char *hay_ = (hay), *needle_ = (needle);                                 \
        ck_assert_msg(hay_ && strstr(hay_, needle_), "expected to find\n%s\nin\n%.2000s",\
                      needle_, hay_ ? hay_ : "(null)");                                \
    } while (0)

/* `hay` does not contain `needle`. */
#define ck_assert_lacks(hay, needle)                                                   \
    do {                                                                               \
        const char *hay_ = (hay), *needle_ = (needle);                                 \
        ck_assert_msg(hay_ && !strstr(hay_, needle_), "did not expect\n%s\nin\n%.2000s", \
                      needle_, hay_ ? hay_ : "(null)");                                \
    } while (0)

/* The first line of `text` (a diagnostic's "file:line:col: error: ..."),
 * copied into `line` of `size` bytes. */
static inline const char *first_line(const char *text, char *line, size_t size) {
    size_t n = strcspn(text ? text : "", "\n");
    if (n >= size)
        n = size - 1;
    memcpy(line, text ? text : "", n);
    line[n] = '\0';
    return line;
}

/* How many times `needle` occurs in `hay`. */
static inline int count_of(const char *hay, const char *needle) {
    int n = 0;
    size_t len = strlen(needle);
    for (const char *s = hay; s && (s = strstr(s, needle)) != NULL; s += len)
        n++;
    return n;
}

/* Run every suite; the exit status of main. */
static inline int run_suites(Suite *const *suites, size_t n) {
    SRunner *sr = srunner_create(suites[0]);
    for (size_t i = 1; i < n; i++)
        srunner_add_suite(sr, suites[i]);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}

#endif
