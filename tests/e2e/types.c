/* types.c - the implementation of types.idl, for the end-to-end tests. */
#include "types.h"

#include <stdlib.h>
#include <string.h>

static char *copy(const char *s, size_t n) {
    char *r = malloc(n + 1);
    if (r) {
        memcpy(r, s, n);
        r[n] = '\0';
    }
    return r;
}

static void *dup_bytes(const void *p, size_t n) {
    void *r = malloc(n ? n : 1);
    if (r && n)
        memcpy(r, p, n);
    return r;
}

types_point types_mid(types_point a, types_point b) { return (types_point){(a.x + b.x) / 2, (a.y + b.y) / 2}; }

/* A deep copy: everything the result points to comes from malloc. */
static types_tagged deep(const types_tagged *t) {
    types_tagged r = *t;
    r.name = copy(t->name, t->name_len);
    r.data = dup_bytes(t->data, t->data_len);
    r.note = t->note ? copy(t->note, t->note_len) : NULL;
    r.extra = t->extra ? dup_bytes(t->extra, t->extra_len * sizeof *t->extra) : NULL;
    r.trail = dup_bytes(t->trail, t->trail_len * sizeof *t->trail);
    wg_str *tags = malloc((t->tags_len ? t->tags_len : 1) * sizeof *tags);
    for (size_t i = 0; tags && i < t->tags_len; i++) {
        tags[i].ptr = copy(t->tags[i].ptr, t->tags[i].len);
        tags[i].len = t->tags[i].len;
    }
    r.tags = tags;
    return r;
}

types_tagged types_echo_tagged(types_tagged t) { return deep(&t); }

types_tagged *types_maybe_tagged(bool give, types_tagged t) {
    if (!give)
        return NULL;
    types_tagged *r = malloc(sizeof *r);
    if (r)
        *r = deep(&t);
    return r;
}

types_point_array types_points(const types_point *pts, size_t pts_len) {
    return (types_point_array){dup_bytes(pts, pts_len * sizeof *pts), pts_len};
}

wg_str_array types_strings(const wg_str *list, size_t list_len) {
    wg_str *r = malloc((list_len ? list_len : 1) * sizeof *r);
    for (size_t i = 0; r && i < list_len; i++) {
        /* NUL-terminated, as promised */
        if (list[i].ptr[list[i].len] != '\0')
            abort();
        r[i].ptr = copy(list[i].ptr, list[i].len);
        r[i].len = list[i].len;
    }
    return (wg_str_array){r, list_len};
}

wg_str_array types_maybe_strings(bool give) {
    if (!give)
        return (wg_str_array){NULL, 0};
    wg_str *r = malloc(sizeof *r);
    r->ptr = copy("only", 4);
    r->len = 4;
    return (wg_str_array){r, 1};
}

uint32_t types_count(const wg_str *list, size_t list_len) { return list ? (uint32_t)list_len : 999; }

double types_norm(const types_point *p) { return p ? p->x * p->x + p->y * p->y : -1; }

wg_opt_f64 types_maybe_f64(bool give, double v) { return (wg_opt_f64){give, v}; }
wg_opt_i64 types_maybe_i64(bool give, int64_t v) { return (wg_opt_i64){give, v}; }
wg_opt_bool types_maybe_bool(bool give, bool v) { return (wg_opt_bool){give, v}; }
double types_opt_in(const double *v) { return v ? *v : -1; }
char *types_maybe_str(bool give) { return give ? copy("yes", 3) : NULL; }
uint32_t types_str_len(const char *s, size_t s_len) { return s ? (uint32_t)s_len : 999; }
uint32_t types_arr_len(const double *a, size_t a_len) { return a ? (uint32_t)a_len : 999; }

types_color types_next_color(types_color c) {
    switch (c) {
    case TYPES_COLOR_RED: return TYPES_COLOR_GREEN;
    case TYPES_COLOR_GREEN: return TYPES_COLOR_BLUE;
    case TYPES_COLOR_BLUE: return TYPES_COLOR_NEGATIVE;
    default: return TYPES_COLOR_RED;
    }
}

types_color types_bad_color(void) { return (types_color)99; }
void types_color_out(types_color c, types_color *r) { *r = types_next_color(c); }
int64_t types_id_i53(int64_t v) { return v; }
int64_t types_big_i53(void) { return (int64_t)1 << 60; }
void types_i53_out(int64_t v, int64_t *r) { *r = -v; }

uint32_t types_fail_if(bool fail, wg_error *err) {
    if (fail)
        wg_fail(err, 7, "asked to fail (%d)", 7);
    return 1;
}

char *types_fail_str(bool fail, wg_error *err) {
    if (fail)
        wg_fail(err, 8, "no string");
    return copy("partial", 7); /* returned even on failure: JS must free it */
}

wg_f64_array types_fail_arr(bool fail, uint32_t n, wg_error *err) {
    if (fail)
        wg_fail(err, 9, "no array");
    return (wg_f64_array){calloc(n ? n : 1, sizeof(double)), n};
}

types_tagged types_fail_struct(bool fail, wg_error *err) {
    static const char name[] = "made";
    static const uint8_t data[] = {1, 2, 3};
    static const wg_str tags[] = {{"a", 1}};
    static const types_point trail[] = {{1, 2}};
    types_tagged t = {name, 4, data, 3, NULL, 0, NULL, 0, {0, 0}, trail, 1, tags, 1,
                      TYPES_COLOR_BLUE, 53, true, -8, 64};
    if (fail)
        wg_fail(err, 10, "no struct");
    return deep(&t);
}

int32_t types_fail_out(bool fail, int32_t *r, double *pair, wg_error *err) {
    *r = 5;
    pair[0] = 1;
    pair[1] = 2;
    if (fail)
        wg_fail(err, 11, "no outs");
    return 3;
}

/* ---- The counter resource */

static uint32_t dropped, live;

struct types_counter {
    int32_t value;
};

types_counter *types_counter_new(int32_t start) {
    types_counter *c = malloc(sizeof *c);
    if (c) {
        c->value = start;
        live++;
    }
    return c;
}

int32_t types_counter_add(types_counter *self, int32_t n) { return self->value += n; }

types_counter *types_counter_clone(types_counter *self) { return types_counter_new(self->value); }

char *types_counter_label(types_counter *self, const char *prefix, size_t prefix_len, wg_error *err) {
    if (prefix_len == 0) {
        wg_fail(err, 1, "empty prefix for %d", self->value);
        return NULL;
    }
    return copy(prefix, prefix_len);
}

void types_counter_drop(types_counter *self) {
    dropped++;
    live--;
    free(self);
}

types_counter *types_make_counter(int32_t start) { return types_counter_new(start); }
types_counter *types_maybe_counter(bool give) { return give ? types_counter_new(1) : NULL; }
types_counter *types_null_counter(void) { return NULL; }
int32_t types_peek(types_counter *c) { return c->value; }
int32_t types_peek_opt(types_counter *c) { return c ? c->value : -1; }
uint32_t types_drops(void) { return dropped; }
uint32_t types_live_counters(void) { return live; }

/* ---- Calling the imports */

uint32_t types_call_note(const char *text, size_t text_len, uint32_t times) {
    for (uint32_t i = 0; i < times; i++)
        types_note(text, text_len);
    return times;
}

double types_call_twice(double x) { return types_twice(x); }
int32_t types_call_total(const double *values, size_t values_len) { return types_total(values, values_len); }

char *types_call_greet(const char *name, size_t name_len) {
    char *g = types_greet(name, name_len); /* C owns what the import returns */
    return g;
}

types_color types_call_pick(types_color c) { return types_pick(c); }
int64_t types_call_bump(int64_t v) { return types_bump(v); }
bool types_call_flip(bool b) { return types_flip(b); }

/* Uses stack space (a local array whose address escapes), so that a JS
 * exception crossing it would leave the C stack pointer lowered. */
uint32_t types_call_reenter(uint32_t n) {
    volatile char pad[256];
    pad[0] = (char)n;
    return types_reenter(n) + (uint32_t)pad[0] - n;
}

/* The C stack pointer, approximately: the address of a local. */
static uintptr_t probe_at;
uint32_t types_stack_probe(void) {
    volatile char here = 0;
    probe_at = (uintptr_t)&here;
    return (uint32_t)probe_at;
}
