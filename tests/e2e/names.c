/* names.c - the implementation of names.idl. */
#include "names.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char *copy(const char *s) {
    size_t n = strlen(s);
    char *r = malloc(n + 1);
    if (r)
        memcpy(r, s, n + 1);
    return r;
}

int32_t names_constructor(int32_t a) { return a + 1; }
int32_t names_has_own_property(int32_t a) { return a + 2; }
names_tone names_echo_tone(names_tone t) { return t; }

int32_t names_read_opts(names_opts o) {
    int32_t n = o.constructor;
    if (o.to_string)
        n += 1000 * (int32_t)o.to_string_len;
    if (o.value_of)
        n += 100000 * (int32_t)o.value_of_len;
    return n;
}

double names_globals(double Number, int64_t BigInt, int64_t Math, const char *Object, size_t Object_len,
                     const double *Array, size_t Array_len) {
    (void)Object;
    double s = Number + (double)BigInt + (double)Math + (double)Object_len;
    for (size_t i = 0; i < Array_len; i++)
        s += Array[i];
    return s;
}

struct names_thing {
    int32_t v;
};

names_thing *names_thing_new(int32_t v) {
    names_thing *t = malloc(sizeof *t);
    if (t)
        t->v = v;
    return t;
}
int32_t names_thing_kept(names_thing *self) { return self->v; }
char *names_thing_to_string(names_thing *self) {
    char buf[32];
    snprintf(buf, sizeof buf, "thing %d", (int)self->v);
    return copy(buf);
}
int32_t names_thing_value_of(names_thing *self) { return self->v; }
void names_thing_drop(names_thing *self) { free(self); }

char *names_call_imports(int32_t v) {
    char *s = names_to_string(v);
    int32_t w = names_value_of(v);
    char buf[64];
    snprintf(buf, sizeof buf, "%s/%d", s ? s : "(null)", (int)w);
    free(s);
    return copy(buf);
}

uint32_t names_bits_of(names_runtime r, names_lifetime l, names_handle h) { return r | l | h; }
