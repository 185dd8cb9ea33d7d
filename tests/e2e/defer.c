/* defer.c - the implementation of defer.idl: C calling deferred callbacks. */
#include "defer.h"

#include <stdio.h>
#include <stdlib.h>

static uint32_t fed;

uint32_t defer_feed(uint32_t n, defer_sink fn, void *fn_data) {
    for (fed = 0; fed < n; fed++)
        fn(fn_data, (int32_t)fed);
    return n;
}

uint32_t defer_last_fed(void) { return fed; }

char *defer_feed_named(uint32_t n, defer_sink fn, void *fn_data) {
    defer_feed(n, fn, fn_data);
    char *s = malloc(32);
    if (s)
        snprintf(s, 32, "fed %u", (unsigned)n);
    return s;
}

uint32_t defer_feed_or_fail(uint32_t n, defer_sink fn, void *fn_data, bool fail, wg_error *err) {
    defer_feed(n, fn, fn_data);
    if (fail)
        wg_fail(err, 3, "failed after feeding %u", (unsigned)n);
    return n;
}

static defer_sink kept;
static void *kept_data;

void defer_keep_sink(defer_sink fn, void *fn_data) {
    kept = fn;
    kept_data = fn_data;
}

uint32_t defer_feed_kept(uint32_t n) { return kept ? defer_feed(n, kept, kept_data) : 0; }

double defer_fold(const double *xs, size_t xs_len, defer_reducer fn, void *fn_data) {
    double acc = 0;
    for (size_t i = 0; i < xs_len; i++)
        acc = fn(fn_data, acc, xs[i]);
    return acc;
}

static uint32_t made;
static int64_t weight;

uint32_t defer_calls_made(void) { return made; }
int64_t defer_weighed(void) { return weight; }

uint32_t defer_visit_upto(uint32_t n, defer_visit fn, void *fn_data) {
    for (made = 0; made < n;)
        if (fn(fn_data, (int32_t)made++))
            break;
    return made;
}

int32_t defer_pull_all(uint32_t n, defer_pull fn, void *fn_data, int32_t *last) {
    int32_t sum = 0;
    *last = 0;
    for (made = 0; made < n;) {
        *last = fn(fn_data, made++);
        if (*last == -1)
            break;
        sum += *last;
    }
    return sum;
}

void defer_weigh_all(int64_t *got, uint32_t n, defer_weigh fn, void *fn_data) {
    weight = 0;
    for (made = 0; made < n; made++)
        weight += got[made] = fn(fn_data, (int32_t)made);
}

uint32_t defer_judge_upto(uint32_t n, defer_judge fn, void *fn_data) {
    for (made = 0; made < n;)
        if (fn(fn_data, (int32_t)made++) == DEFER_VERDICT_STOP)
            break;
    return made;
}

static uint64_t got_wide;
static int64_t got_low;

void defer_extreme_wide(defer_wide fw, void *fw_data) { got_wide = fw(fw_data, 0); }
void defer_extreme_low(defer_low fl, void *fl_data) { got_low = fl(fl_data, 0); }

char *defer_extremes_got(void) {
    char *s = malloc(48);
    if (s)
        snprintf(s, 48, "%llu %lld", (unsigned long long)got_wide, (long long)got_low);
    return s;
}
