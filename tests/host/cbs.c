/* cbs.c - the implementation of cbs.idl: C calling the host's callbacks. */
#include "cbs.h"

#include <stdlib.h>
#include <string.h>

double cbs_fold(const double *xs, size_t xs_len, double init, cbs_op how, cbs_reducer fn, void *fn_data) {
    double acc = init;
    for (size_t i = 0; i < xs_len; i++)
        acc = fn(fn_data, acc, xs[i], how);
    return acc;
}

uint32_t cbs_count(const int32_t *xs, size_t xs_len, cbs_keep fn) {
    uint32_t n = 0;
    for (size_t i = 0; i < xs_len; i++)
        n += fn(xs[i]) ? 1 : 0;
    return n;
}

uint32_t cbs_count_opt(const int32_t *xs, size_t xs_len, cbs_keep fn) {
    return fn ? cbs_count(xs, xs_len, fn) : (uint32_t)xs_len;
}

cbs_op cbs_choose_for(const char *name, size_t name_len, cbs_choose fn, void *fn_data) {
    if (name_len == 5 && memcmp(name, "null!", 5) == 0) /* as a buggy library might: NULL for a string */
        return fn(fn_data, NULL, NULL, 0);
    if (name_len >= 256 && memcmp(name, "misalign", 8) == 0) { /* a long name, then a misaligned array */
        static int32_t parts[3];
        return fn(fn_data, name, (const int32_t *)(const void *)((const char *)parts + 1), 2);
    }
    int32_t parts[2] = {(int32_t)name_len, name_len ? (unsigned char)name[0] : -1};
    char copy[64];
    size_t n = name_len < sizeof copy - 1 ? name_len : sizeof copy - 1;
    memcpy(copy, name, n);
    copy[n] = '\0';
    return fn(fn_data, copy, parts, 2);
}

uint32_t cbs_each(uint32_t n, cbs_visit fn, void *fn_data) {
    for (uint32_t i = 0; i < n; i++)
        fn(fn_data, i);
    return n;
}

static cbs_reducer kept;
static void *kept_data;

double cbs_keep_for_later(cbs_reducer fn, void *fn_data) {
    kept = fn;
    kept_data = fn_data;
    return fn(fn_data, 0, 1, CBS_OP_ADD);
}

double cbs_recall(double acc, double x) { return kept ? kept(kept_data, acc, x, CBS_OP_ADD) : __builtin_nan(""); }

double cbs_fold_recall(double acc, double x, cbs_reducer fn, void *fn_data) {
    acc = fn(fn_data, acc, x, CBS_OP_ADD);
    return cbs_recall(acc, x);
}

static cbs_reducer remembered;
static void *remembered_data;

void cbs_remember(cbs_reducer fn, void *fn_data) {
    remembered = fn;
    remembered_data = fn_data;
}

double cbs_replay(double acc, double x) {
    return remembered ? remembered(remembered_data, acc, x, CBS_OP_ADD) : __builtin_nan("");
}

void cbs_forget(void) { remembered = NULL; }

uint32_t cbs_spell(bool none, bool bad, cbs_names fn, void *fn_data) {
    static const char *list[] = {"one", "", "three", NULL};
    if (none)
        return fn(fn_data, NULL);
    if (bad) { /* a string whose NUL would be past the end of memory: a page of its own, all 'x' */
        size_t page = __builtin_wasm_memory_grow(0, 1);
        if (page == (size_t)-1)
            return 0;
        char *tail = (char *)(page * 65536);
        memset(tail, 'x', 65536);
        const char *broken[] = {"one", tail, NULL};
        return fn(fn_data, broken);
    }
    return fn(fn_data, list);
}

struct cbs_ticker {
    cbs_visit visit;
    void *visit_data;
    cbs_reducer fold;
    void *fold_data;
};

cbs_ticker *cbs_ticker_new(void) {
    static cbs_ticker none;
    cbs_ticker *t = malloc(sizeof *t);
    if (t)
        *t = none;
    return t;
}

void cbs_ticker_on_tick(cbs_ticker *self, cbs_visit fn, void *fn_data) {
    self->visit = fn;
    self->visit_data = fn_data;
}

void cbs_ticker_on_fold(cbs_ticker *self, cbs_reducer fn, void *fn_data) {
    self->fold = fn;
    self->fold_data = fn_data;
}

uint32_t cbs_ticker_tick(cbs_ticker *self, uint32_t n) {
    if (!self->visit)
        return 0;
    for (uint32_t i = 0; i < n; i++)
        self->visit(self->visit_data, i);
    return n;
}

double cbs_ticker_fold_with(cbs_ticker *self, double acc, double x) {
    return self->fold(self->fold_data, acc, x, CBS_OP_ADD);
}

void cbs_ticker_drop(cbs_ticker *self) {
    if (self->visit)
        self->visit(self->visit_data, 999); /* the destructor may still call it */
    free(self);
}

void cbs_watch(cbs_ticker *t, cbs_visit fn, void *fn_data) { cbs_ticker_on_tick(t, fn, fn_data); }

int32_t cbs_label_len(int32_t x, cbs_label fn, void *fn_data) {
    char *s = fn(fn_data, x);
    if (s == NULL)
        return -1;
    int32_t n = (int32_t)strlen(s);
    free(s); /* the callback's string is C's to free */
    return n;
}

int32_t cbs_name_len(int32_t x, cbs_name_of fn, void *fn_data) {
    char *s = fn(fn_data, x);
    int32_t n = s ? (int32_t)strlen(s) : -1;
    free(s);
    return n;
}

double cbs_measure_with(int32_t mode, cbs_measure fn, void *fn_data) {
    cbs_tagged t = {{1, 2}, CBS_OP_MUL};
    cbs_pt q = {3, 4};
    if (mode == 1)
        return fn(fn_data, t, NULL, &q);
    if (mode == 2)
        return fn(fn_data, t, (const cbs_pt *)(uintptr_t)0xfffffff0u, &q);
    if (mode == 3)
        t.how = (cbs_op)7;
    return fn(fn_data, t, &q, mode == 4 ? NULL : &q);
}

double cbs_make_sum(int32_t n, cbs_make fn, void *fn_data) {
    double sum = 0;
    for (int32_t i = 0; i < n; i++) {
        cbs_tagged t = fn(fn_data, i);
        sum += t.at.x + t.at.y + (t.how == CBS_OP_MUL ? 100 : 0);
    }
    return sum;
}

double cbs_series_sum(int32_t n, cbs_series fn, void *fn_data) {
    wg_f64_array a = fn(fn_data, n);
    double sum = 1000.0 * (double)a.len;
    for (size_t i = 0; i < a.len; i++)
        sum += a.ptr[i];
    free(a.ptr); /* the callback's array is C's to free */
    return sum;
}

int32_t cbs_with_lent(cbs_lend fn, void *fn_data) {
    cbs_ticker *t = cbs_ticker_new();
    if (t == NULL)
        return -1;
    int32_t r = fn(fn_data, t, NULL);
    cbs_ticker_drop(t);
    return r;
}

uint32_t cbs_fill_sum(uint32_t cap, cbs_fill fn, void *fn_data) {
    if (cap == 999)
        return fn(fn_data, (uint8_t *)(uintptr_t)0xfffffff0u, 64);
    uint8_t buf[64] = {0};
    if (cap > sizeof buf)
        cap = sizeof buf;
    uint32_t n = fn(fn_data, buf, cap);
    uint32_t sum = 1000 * n;
    for (uint32_t i = 0; i < n && i < cap; i++)
        sum += buf[i];
    return sum;
}

int32_t cbs_weigh_of(cbs_weigh fn, void *fn_data) {
    char name[] = "hello";
    int32_t xs[] = {1, 2, 3};
    cbs_named n = {name, 5, xs, 3};
    int32_t r = fn(fn_data, n);
    return r + (strcmp(name, "hello") == 0 && xs[0] == 1 && xs[2] == 3 ? 1000 : 0);
}

/* Mode 4: a roster of 2000 names and 2000 groups (each with a name and an
 * array), from the heap. */
static int32_t long_roster(cbs_tally fn, void *fn_data) {
    enum { N = 2000 };
    static char word[] = "w";
    static int32_t one[] = {1};
    wg_str *names = malloc(N * sizeof *names);
    cbs_named *groups = malloc(N * sizeof *groups);
    if (names == NULL || groups == NULL)
        return -1;
    for (int i = 0; i < N; i++) {
        names[i] = (wg_str){word, 1};
        groups[i] = (cbs_named){word, 1, one, 1};
    }
    int32_t got = fn(fn_data, (cbs_roster){names, N, groups, N, NULL, 0, 4});
    free(names);
    free(groups);
    return got;
}

int32_t cbs_tally_of(int32_t mode, cbs_tally fn, void *fn_data) {
    if (mode == 4)
        return long_roster(fn, fn_data);
    char ann[] = "ann", bob[] = "bob", x[] = "x", yz[] = "yz";
    wg_str names[3] = {{ann, 3}, {NULL, 0}, {bob, 3}};
    int32_t one[] = {1}, two[] = {2, 3};
    cbs_named groups[2] = {{x, 1, one, 1}, {yz, 2, two, 2}};
    cbs_pt points[2] = {{1, 2}, {3, 4}};
    cbs_roster r = {names, 3, groups, 2, points, 2, 7};
    if (mode == 1)
        r = (cbs_roster){NULL, 0, NULL, 0, NULL, 0, 7};
    if (mode == 2)
        names[2].ptr = (const char *)(uintptr_t)0xfffffff0u;
    if (mode == 3)
        r.groups = (const cbs_named *)(uintptr_t)0xfffffff0u;
    int32_t got = fn(fn_data, r);
    bool same = strcmp(ann, "ann") == 0 && strcmp(yz, "yz") == 0 && names[1].ptr == NULL && one[0] == 1 &&
                two[1] == 3 && groups[1].xs_len == 2 && points[1].y == 4;
    return got + (same ? 1000 : 0);
}

int32_t cbs_walk_of(int32_t mode, cbs_walk fn, void *fn_data) {
    cbs_tree four = {4, NULL, 0};
    cbs_tree kids3[1] = {four};
    cbs_tree kids1[2] = {{2, NULL, 0}, {3, kids3, 1}};
    cbs_tree root = {1, kids1, 2};
    static cbs_tree loop[1];
    if (mode == 1) {
        /* memory grown to 16 MiB first: the copy's bound (the memory's
         * size, 2^20 of these 16-byte nodes) is past what the stack allows */
        (void)__builtin_wasm_memory_grow(0, 256);
        loop[0] = (cbs_tree){5, loop, 1}; /* its own child, without end */
        return fn(fn_data, loop[0]);
    }
    if (mode == 2 || mode == 3) {
        /* every node of level k the same 2 of level k + 1: 2^k copies of
         * each, 2^41 - 1 nodes (mode 2); 2^5 - 1 (mode 3: fits) */
        enum { DEPTH = 40 };
        static cbs_tree level[DEPTH][2];
        int depth = mode == 2 ? DEPTH : 4;
        for (int k = depth - 1; k >= 0; k--)
            for (int j = 0; j < 2; j++)
                level[k][j] = (cbs_tree){1, k + 1 < depth ? level[k + 1] : NULL, k + 1 < depth ? 2u : 0u};
        return fn(fn_data, (cbs_tree){1, level[0], 2});
    }
    return fn(fn_data, root);
}

/* cbs_grow: the lists from the heap, as a result's are (the host frees them). */
static cbs_tree *nodes(size_t n) {
    cbs_tree *l = calloc(n, sizeof *l);
    if (l == NULL)
        abort();
    return l;
}

cbs_tree cbs_grow(int32_t mode) {
    if (mode == 1) {
        cbs_tree *l = nodes(1);
        l[0] = (cbs_tree){6, l, 1}; /* its own child */
        return (cbs_tree){5, l, 1};
    }
    if (mode == 2) {
        enum { DEPTH = 40 };
        cbs_tree *below = NULL;
        for (int k = DEPTH - 1; k >= 0; k--) {
            cbs_tree *l = nodes(2);
            for (int j = 0; j < 2; j++)
                l[j] = (cbs_tree){1, below, below ? 2u : 0u};
            below = l;
        }
        return (cbs_tree){1, below, 2};
    }
    cbs_tree *three = nodes(1), *one = nodes(2);
    three[0] = (cbs_tree){4, NULL, 0};
    one[0] = (cbs_tree){2, NULL, 0};
    one[1] = (cbs_tree){3, three, 1};
    return (cbs_tree){1, one, 2};
}
