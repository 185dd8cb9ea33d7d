/* ev.c - the implementation of ev.h (a test library; see ev.h). */
#include "ev.h"

#include <stdlib.h>
#include <string.h>

int ev_each(const double *values, size_t n, ev_visit_fn fn, void *ud) {
    size_t i = 0;
    while (i < n) {
        int stop = fn(ud, (int)i, values[i]);
        i++;
        if (stop)
            break;
    }
    return (int)i;
}

unsigned long ev_process(const unsigned char *data, size_t n, size_t chunk, ev_progress_fn progress, void *ud) {
    unsigned long sum = 0;
    if (chunk == 0)
        chunk = 1;
    for (size_t i = 0; i < n; i += chunk) {
        size_t end = i + chunk < n ? i + chunk : n;
        for (size_t j = i; j < end; j++)
            sum += data[j];
        if (progress)
            progress((unsigned)end, (unsigned)n, "sum", ud);
    }
    if (progress)
        progress((unsigned)n, (unsigned)n, "done", ud);
    return sum;
}

void ev_sort_order(const ev_point *pts, size_t n, ev_cmp_fn cmp, unsigned *order) {
    /* insertion sort: calls cmp with pointers to the points, as qsort does */
    for (size_t i = 0; i < n; i++)
        order[i] = (unsigned)i;
    for (size_t i = 1; i < n; i++) {
        unsigned key = order[i];
        size_t j = i;
        while (j > 0 && cmp(&pts[order[j - 1]], &pts[key]) > 0) {
            order[j] = order[j - 1];
            j--;
        }
        order[j] = key;
    }
}

char *ev_read_all(ev_read_fn read, void *ud, size_t cap) {
    size_t len = 0, size = cap + 1;
    char *out = malloc(size);
    char *buf = malloc(cap ? cap : 1);
    if (!out || !buf) {
        free(out);
        free(buf);
        return NULL;
    }
    for (;;) {
        memset(buf, '#', cap);
        long got = read(ud, buf, cap);
        if (got <= 0)
            break;
        if ((size_t)got > cap)
            got = (long)cap;
        if (len + (size_t)got + 1 > size) {
            size = 2 * (len + (size_t)got + 1);
            char *bigger = realloc(out, size);
            if (!bigger)
                break;
            out = bigger;
        }
        memcpy(out + len, buf, (size_t)got);
        len += (size_t)got;
    }
    out[len] = '\0';
    free(buf);
    return out;
}

char *ev_rename(const char *const *names, size_t n, ev_name_fn fn, void *ud) {
    size_t len = 0;
    char *out = calloc(1, 1);
    for (size_t i = 0; i < n && out; i++) {
        char *s = fn(ud, names[i], strlen(names[i]));
        if (!s)
            continue;
        size_t k = strlen(s);
        char *bigger = realloc(out, len + k + 2);
        if (bigger) {
            out = bigger;
            if (len)
                out[len++] = ',';
            memcpy(out + len, s, k + 1);
            len += k;
        }
        free(s);
    }
    return out;
}

int ev_run(const char *cmdline, ev_args_fn fn, void *ud) {
    size_t n = strlen(cmdline);
    char *copy = malloc(n + 1);
    const char **argv = calloc(n / 2 + 2, sizeof *argv);
    int argc = 0, r = -1;
    if (copy && argv) {
        memcpy(copy, cmdline, n + 1);
        for (char *s = strtok(copy, " "); s; s = strtok(NULL, " "))
            argv[argc++] = s;
        argv[argc] = NULL;
        r = fn(ud, argv);
    }
    free(copy);
    free(argv);
    return r;
}

double ev_sum_points(const ev_point *pts, size_t n, ev_point_fn fn, void *ud) {
    double sum = 0;
    for (size_t i = 0; i + 1 < n; i++)
        sum += fn(ud, pts[i], &pts[i + 1]);
    return sum;
}

double ev_make_sum(int n, ev_make_fn fn, void *ud) {
    double sum = 0;
    for (int i = 0; i < n; i++) {
        ev_point p = fn(ud, i);
        sum += p.x + p.y;
    }
    return sum;
}

struct ev_emitter { ev_handler_fn fn; void *ud; int close_on_free; };

ev_emitter *ev_emitter_new(void) { return calloc(1, sizeof(ev_emitter)); }

void ev_emitter_free(ev_emitter *e) {
    if (e && e->fn && e->close_on_free)
        e->fn(e->ud, "close", NULL, 0, EV_INFO);
    free(e);
}

int ev_emitter_consume(ev_emitter *e, ev_visit_fn fn, void *ud) {
    int r = fn(ud, 0, 0.0);
    ev_emitter_free(e);
    return r;
}

void ev_emitter_set_data(ev_emitter *e, void *ud) { e->ud = ud; }
void ev_emitter_on(ev_emitter *e, ev_handler_fn fn) { e->fn = fn; }
void ev_emitter_on_sticky(ev_emitter *e, ev_handler_fn fn) {
    if (fn)
        e->fn = fn;
}
void ev_emitter_close_on_free(ev_emitter *e, int yes) { e->close_on_free = yes; }

int ev_emitter_emit(ev_emitter *e, const char *event, const int *args, int nargs, ev_level level) {
    return e->fn ? e->fn(e->ud, event, args, nargs, level) : -1;
}

int ev_with_scratch(ev_scratch_fn fn, void *ud) {
    ev_emitter *e = ev_emitter_new();
    if (!e)
        return -1;
    int r = fn(ud, e);
    ev_emitter_free(e);
    return r;
}

static ev_log_fn logger;
static void *logger_ud;

void ev_set_logger(ev_log_fn fn, void *ud) {
    logger = fn;
    logger_ud = ud;
}

int ev_log(ev_level level, const char *msg) {
    if (!logger)
        return 0;
    logger(level, msg, logger_ud);
    return 1;
}
