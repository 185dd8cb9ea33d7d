// host.c - demo.mjs again, natively: every construct of shapes.idl through
// the generated C API (shapes_host.h), the module sandboxed by wasm2c. It
// prints what demo.mjs prints (`make run-host` here; make check compares).
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "shapes_host.h"

// The imports: C functions the module calls (JS functions in demo.mjs).
static void log_line(void *user, const char *message, size_t len) {
    (void)user;
    printf("  [log from C] %.*s\n", (int)len, message);
}

static double now(void *user) {
    (void)user;
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

// Stop at the first failure, with its message.
#define CHECK(call)                                                                        \
    do {                                                                                   \
        int status_ = (call);                                                              \
        if (status_ != WG_HOST_OK) {                                                       \
            fprintf(stderr, "%s: %s (%s)\n", #call, shapes_host_error(m), wg_host_status_name(status_)); \
            exit(1);                                                                       \
        }                                                                                  \
    } while (0)

static const char *color_name(shapes_color c) {
    return c == SHAPES_COLOR_RED ? "red" : c == SHAPES_COLOR_GREEN ? "green" : "blue";
}

int main(void) {
    shapes_host_imports imports = {.log = log_line, .now = now};
    shapes_host *m = NULL;
    CHECK(shapes_host_new(&m, NULL, &imports));

    shapes_point a = {0, 0}, b = {2, 4}, mid;
    CHECK(shapes_host_midpoint(m, a, b, &mid));
    printf("midpoint   {\"x\":%g,\"y\":%g}\n", mid.x, mid.y);

    shapes_point vertices[] = {{0, 0}, {2, 0}, {2, 2}, {0, 2}};
    shapes_polygon square = {"square", 6, vertices, 4};
    double area;
    CHECK(shapes_host_area(m, square, &area)); // C logs 'square' first
    printf("area       %g\n", area);

    shapes_point_array moved;
    CHECK(shapes_host_translate(m, vertices, 2, 10, 0, &moved));
    printf("translate  [{\"x\":%g,\"y\":%g},{\"x\":%g,\"y\":%g}]\n", moved.ptr[0].x, moved.ptr[0].y, moved.ptr[1].x,
           moved.ptr[1].y);
    shapes_host_free_point_array(&moved);

    wg_str_array parts;
    CHECK(shapes_host_split(m, "a,b,,c", 6, ",", 1, &parts));
    printf("split      [");
    for (size_t i = 0; i < parts.len; i++)
        printf("%s\"%s\"", i ? "," : "", parts.ptr[i].ptr);
    printf("]\n");
    wg_host_free_strs(&parts);

    wg_str xyz[] = {{"x", 1}, {"y", 1}, {"z", 1}};
    char *joined;
    CHECK(shapes_host_join(m, xyz, 3, "-", 1, &joined));
    printf("join       %s\n", joined);
    free(joined);

    wg_str fruit[] = {{"apple", 5}, {"banana", 6}};
    char *found, *missing;
    CHECK(shapes_host_find(m, fruit, 2, "nan", 3, &found));
    CHECK(shapes_host_find(m, fruit, 1, "kiwi", 4, &missing));
    printf("find       %s %s\n", found ? found : "null", missing ? missing : "null");
    free(found);
    free(missing);

    shapes_point p34 = {3, 4};
    double n1, n2;
    CHECK(shapes_host_norm(m, &p34, &n1));
    CHECK(shapes_host_norm(m, NULL, &n2)); // an optional parameter: NULL
    printf("norm       %g %g\n", n1, n2);

    shapes_color color;
    CHECK(shapes_host_parse_color(m, "green", 5, &color));
    printf("parseColor %s\n", color_name(color));
    int status = shapes_host_parse_color(m, "mauve", 5, &color); // C fails: a status, a code, a message
    printf("error      %s %" PRId32 " %s\n", status == WG_HOST_FAILED ? "true" : "false", shapes_host_error_code(m),
           shapes_host_error(m));

    int64_t size;
    CHECK(shapes_host_file_size(m, "/tmp/x", 6, &size));
    printf("fileSize   %" PRId64 "\n", size);

    shapes_host_canvas *canvas;
    CHECK(shapes_host_canvas_new(m, 2, 1, &canvas)); // a resource: an opaque handle
    CHECK(shapes_host_canvas_fill(m, canvas, SHAPES_COLOR_BLUE));
    const uint8_t *px;
    size_t npx;
    CHECK(shapes_host_canvas_pixels_view(m, canvas, &px, &npx)); // zero-copy: valid until the next call
    printf("pixels     [");
    for (size_t i = 0; i < npx; i += 4)
        printf("%u,%u,%u,%u%s", px[i], px[i + 1], px[i + 2], px[i + 3], i + 4 < npx ? "," : "");
    printf("]\n");
    CHECK(shapes_host_canvas_free(m, canvas)); // runs shapes_canvas_drop in the sandbox

    wg_host_stats stats;
    CHECK(shapes_host_stats(m, &stats));
    printf("live       %" PRIu64 "\n", stats.live_count);
    shapes_host_free(m);
    return 0;
}
