/* model.c - the implementation of model.idl, for the model-based random test. */
#include "model.h"

#include <stdlib.h>
#include <string.h>

wg_f64_array model_make(uint32_t n, double seed) {
    double *d = malloc((n ? n : 1) * sizeof *d);
    if (!d)
        return (wg_f64_array){NULL, 0};
    for (uint32_t i = 0; i < n; i++)
        d[i] = seed + i;
    return (wg_f64_array){d, n};
}

double model_sum(const double *a, size_t a_len) {
    double s = 0;
    for (size_t i = 0; i < a_len; i++)
        s += a[i];
    return s;
}

void model_scale(double *a, size_t a_len, double k, double add) {
    for (size_t i = 0; i < a_len; i++)
        a[i] = a[i] * k + add;
}

void model_fill(double v, uint32_t n, double *r) {
    for (uint32_t i = 0; i < n; i++)
        r[i] = v;
}

wg_f64_array model_copy_visit(const double *a, size_t a_len, int32_t depth) {
    (void)model_visit(depth);
    double *d = malloc((a_len ? a_len : 1) * sizeof *d);
    if (!d)
        return (wg_f64_array){NULL, 0};
    if (a_len)
        memcpy(d, a, a_len * sizeof *d);
    return (wg_f64_array){d, a_len};
}

char *model_echo(const char *s, size_t s_len) {
    char *r = malloc(s_len + 1);
    if (r) {
        memcpy(r, s, s_len);
        r[s_len] = '\0';
    }
    return r;
}

wg_u8_array model_bytes(uint32_t n, uint8_t v) {
    uint8_t *d = malloc(n ? n : 1);
    if (!d)
        return (wg_u8_array){NULL, 0};
    memset(d, v, n);
    return (wg_u8_array){d, n};
}

/* ---- The box */

static uint32_t live;

struct model_box {
    int32_t value;
    model_mapper hook;
    void *hook_data;
};

model_box *model_box_new(int32_t v) {
    model_box *b = malloc(sizeof *b);
    if (b) {
        b->value = v;
        b->hook = NULL;
        b->hook_data = NULL;
        live++;
    }
    return b;
}

void model_box_hook(model_box *self, model_mapper fn, void *fn_data) {
    self->hook = fn;
    self->hook_data = fn_data;
}

double model_box_get_hooked(model_box *self) {
    volatile char pad[96]; /* C stack in use while JS runs */
    pad[0] = 0;
    return self->hook ? self->hook(self->hook_data, self->value, 1) + pad[0] : self->value;
}

void model_map(const double *a, size_t a_len, model_mapper fn, void *fn_data, double *r) {
    volatile char pad[64];
    pad[0] = 0;
    for (size_t i = 0; i < a_len; i++)
        r[i] = fn(fn_data, a[i], (int32_t)i) + pad[0];
}

uint32_t model_count_if(const double *a, size_t a_len, model_pred fn) {
    uint32_t n = 0;
    for (size_t i = 0; i < a_len; i++)
        n += fn(a[i]) ? 1u : 0u;
    return n;
}

int32_t model_box_get(model_box *self) { return self->value; }
void model_box_set(model_box *self, int32_t v) { self->value = v; }
model_box *model_box_clone(model_box *self) { return model_box_new(self->value); } /* (not its hook) */

int32_t model_box_visit_with(model_box *self, int32_t depth) {
    volatile char pad[128]; /* C stack in use while JS runs */
    pad[0] = 1;
    int32_t r = model_visit(depth);
    return r + self->value + pad[0] - 1;
}

void model_box_drop(model_box *self) {
    volatile char pad[128];
    int32_t v = self->value;
    pad[0] = 1;
    self->value = -1;
    free(self);
    live--;
    model_dropped(v);
    pad[1] = pad[0];
}

int32_t model_peek(model_box *b) { return b->value; }
uint32_t model_live_boxes(void) { return live; }

static uintptr_t probe_at;
uint32_t model_stack_probe(void) {
    volatile char here = 0;
    probe_at = (uintptr_t)&here;
    return (uint32_t)probe_at;
}
