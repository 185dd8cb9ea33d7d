/*
 * ev.h - "tinyevents", a small library that calls back, written the way
 * real C APIs are, for the callback tests (tests/bind/callbacks.test.mjs):
 * function-pointer typedefs with a `void *` user data first or last, or
 * none (qsort-style); callbacks called during a call, or kept by an object
 * (with a set-user-data function, as expat's XML_SetUserData) or globally
 * until replaced; arguments that are numbers, enums, strings with and
 * without a length, argv-style lists, structs by value and by pointer,
 * buffers the callback fills; results that are numbers, strings the
 * library frees, structs. Nothing in it knows about wasmgen.
 */
#ifndef EV_H
#define EV_H

#include <stddef.h>

typedef struct ev_point { double x, y; } ev_point;
typedef enum ev_level { EV_DEBUG = 10, EV_INFO = 20, EV_ERROR = 40 } ev_level;

/* Call fn(ud, i, values[i]) for each value until it returns nonzero; the number visited. */
typedef int (*ev_visit_fn)(void *ud, int index, double value);
int ev_each(const double *values, size_t n, ev_visit_fn fn, void *ud);

/* Sum `data` in chunks of `chunk` bytes, reporting progress after each
 * chunk and at the end (stage "done"). Returns the sum. */
typedef void (*ev_progress_fn)(unsigned done, unsigned total, const char *stage, void *ud);
unsigned long ev_process(const unsigned char *data, size_t n, size_t chunk, ev_progress_fn progress, void *ud);

/* The order that sorts points (order[k]: the index of the k-th point), with a
 * comparator of no user data (as qsort's). */
typedef int (*ev_cmp_fn)(const void *a, const void *b);
void ev_sort_order(const ev_point *pts, size_t n, ev_cmp_fn cmp, unsigned *order);

/* Read everything a source gives (until it returns 0 or less) into a
 * malloc'ed string the caller frees; read fills at most cap bytes of buf. */
typedef long (*ev_read_fn)(void *ud, char *buf, size_t cap);
char *ev_read_all(ev_read_fn read, void *ud, size_t cap);

/* Join the names fn makes of each name with ','; fn returns a malloc'ed
 * string (the library frees it) or NULL to skip. */
typedef char *(*ev_name_fn)(void *ud, const char *name, size_t len);
char *ev_rename(const char *const *names, size_t n, ev_name_fn fn, void *ud);

/* Split a command line on spaces and pass it to fn as a NULL-terminated argv. */
typedef int (*ev_args_fn)(void *ud, const char **argv);
int ev_run(const char *cmdline, ev_args_fn fn, void *ud);

/* Structs by value and by pointer in; a struct out. */
typedef double (*ev_point_fn)(void *ud, ev_point p, const ev_point *q);
double ev_sum_points(const ev_point *pts, size_t n, ev_point_fn fn, void *ud);
typedef ev_point (*ev_make_fn)(void *ud, int i);
double ev_make_sum(int n, ev_make_fn fn, void *ud);

/* An emitter keeps one handler and calls it on every emit; its user data
 * is set apart, as expat's. */
typedef struct ev_emitter ev_emitter;
typedef int (*ev_handler_fn)(void *ud, const char *event, const int *args, int nargs, ev_level level);
ev_emitter *ev_emitter_new(void);
void ev_emitter_free(ev_emitter *e);
void ev_emitter_set_data(ev_emitter *e, void *ud);
void ev_emitter_on(ev_emitter *e, ev_handler_fn fn);
/* Sets the handler, but ignores NULL (keeps the one it had), as some libraries do. */
void ev_emitter_on_sticky(ev_emitter *e, ev_handler_fn fn);
/* Calls the handler (if any); returns its result, or -1 without one. */
int ev_emitter_emit(ev_emitter *e, const char *event, const int *args, int nargs, ev_level level);
/* Emits "close" from the destructor, when a handler is set. */
void ev_emitter_close_on_free(ev_emitter *e, int yes);

/* Takes `e`: calls fn(ud, 0, 0.0), then frees `e` (its "close" too); fn's result. */
int ev_emitter_consume(ev_emitter *e, ev_visit_fn fn, void *ud);

/* A temporary emitter, passed to fn and then freed; fn's result. */
typedef int (*ev_scratch_fn)(void *ud, ev_emitter *e);
int ev_with_scratch(ev_scratch_fn fn, void *ud);

/* A global logger, kept until replaced (NULL: none). Returns whether one was called. */
typedef void (*ev_log_fn)(ev_level level, const char *msg, void *ud);
void ev_set_logger(ev_log_fn fn, void *ud);
int ev_log(ev_level level, const char *msg);

#endif
