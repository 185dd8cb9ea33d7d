/* shapes.c - the implementation of shapes.idl. */
#include "shapes.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

shapes_point shapes_midpoint(shapes_point a, shapes_point b) {
    return (shapes_point){(a.x + b.x) / 2, (a.y + b.y) / 2};
}

/* The shoelace formula; logs through the JS import. */
double shapes_area(shapes_polygon p) {
    double twice = 0;
    for (size_t i = 0; i < p.vertices_len; i++) {
        shapes_point a = p.vertices[i], b = p.vertices[(i + 1) % p.vertices_len];
        twice += a.x * b.y - b.x * a.y;
    }
    shapes_log(p.name, p.name_len);
    return fabs(twice) / 2;
}

shapes_point_array shapes_translate(const shapes_point *pts, size_t pts_len, double dx, double dy) {
    shapes_point_array r = {malloc(pts_len * sizeof *pts + 1), pts_len};
    if (!r.ptr)
        return (shapes_point_array){NULL, 0};
    for (size_t i = 0; i < pts_len; i++)
        r.ptr[i] = (shapes_point){pts[i].x + dx, pts[i].y + dy};
    return r;
}

static char *copy(const char *s, size_t n) {
    char *r = malloc(n + 1);
    if (r) {
        memcpy(r, s, n);
        r[n] = '\0';
    }
    return r;
}

wg_str_array shapes_split(const char *text, size_t text_len, const char *sep, size_t sep_len) {
    size_t cap = 8, n = 0, start = 0;
    wg_str *parts = malloc(cap * sizeof *parts);
    for (size_t i = 0; parts && i <= text_len; i++) {
        bool at_sep = sep_len && i + sep_len <= text_len && memcmp(text + i, sep, sep_len) == 0;
        if (!at_sep && i < text_len)
            continue;
        if (n == cap) {
            wg_str *bigger = realloc(parts, (cap *= 2) * sizeof *parts);
            if (!bigger)
                break;
            parts = bigger;
        }
        parts[n].ptr = copy(text + start, i - start);
        parts[n++].len = i - start;
        start = i + sep_len;
        if (at_sep)
            i += sep_len - 1;
    }
    return (wg_str_array){parts, n};
}

char *shapes_join(const wg_str *parts, size_t parts_len, const char *sep, size_t sep_len) {
    size_t total = 1;
    for (size_t i = 0; i < parts_len; i++)
        total += parts[i].len + (i ? sep_len : 0);
    char *r = malloc(total), *at = r;
    for (size_t i = 0; r && i < parts_len; i++) {
        if (i) {
            memcpy(at, sep, sep_len);
            at += sep_len;
        }
        memcpy(at, parts[i].ptr, parts[i].len);
        at += parts[i].len;
    }
    if (r)
        *at = '\0';
    return r;
}

char *shapes_find(const wg_str *haystack, size_t haystack_len, const char *needle, size_t needle_len) {
    for (size_t i = 0; i < haystack_len; i++)
        if (strstr(haystack[i].ptr, needle) && needle_len <= haystack[i].len)
            return copy(haystack[i].ptr, haystack[i].len);
    return NULL;
}

double shapes_norm(const shapes_point *p) { return p ? sqrt(p->x * p->x + p->y * p->y) : -1; }

shapes_color shapes_parse_color(const char *name, size_t name_len, wg_error *err) {
    (void)name_len;
    if (strcmp(name, "red") == 0)
        return SHAPES_COLOR_RED;
    if (strcmp(name, "green") == 0)
        return SHAPES_COLOR_GREEN;
    if (strcmp(name, "blue") == 0)
        return SHAPES_COLOR_BLUE;
    wg_fail(err, 22, "unknown color '%s'", name);
    return SHAPES_COLOR_RED;
}

/* Pretends every path names a file of 2^40 + its length bytes. */
int64_t shapes_file_size(const char *path, size_t path_len) {
    (void)path;
    return ((int64_t)1 << 40) + (int64_t)path_len;
}

struct shapes_canvas {
    uint32_t width, height;
    uint8_t *rgba;
};

shapes_canvas *shapes_canvas_new(uint32_t width, uint32_t height) {
    shapes_canvas *c = malloc(sizeof *c);
    if (!c)
        return NULL;
    c->width = width;
    c->height = height;
    c->rgba = calloc((size_t)width * height, 4);
    if (!c->rgba && width && height) {
        free(c);
        return NULL;
    }
    return c;
}

void shapes_canvas_fill(shapes_canvas *self, shapes_color c) {
    static const uint8_t rgba[3][4] = {{255, 0, 0, 255}, {0, 255, 0, 255}, {0, 0, 255, 255}};
    const uint8_t *px = rgba[c == SHAPES_COLOR_RED ? 0 : c == SHAPES_COLOR_GREEN ? 1 : 2];
    for (size_t i = 0; i < (size_t)self->width * self->height; i++)
        memcpy(self->rgba + 4 * i, px, 4);
    char msg[64];
    size_t n = (size_t)snprintf(msg, sizeof msg, "filled at %.0f", shapes_now() >= 0 ? 1.0 : 0.0);
    shapes_log(msg, n);
}

wg_u8_array shapes_canvas_pixels(shapes_canvas *self) {
    size_t n = (size_t)self->width * self->height * 4;
    wg_u8_array r = {malloc(n ? n : 1), n};
    if (!r.ptr)
        return (wg_u8_array){NULL, 0};
    if (n)
        memcpy(r.ptr, self->rgba, n);
    return r;
}

void shapes_canvas_drop(shapes_canvas *self) {
    free(self->rgba);
    free(self);
}
