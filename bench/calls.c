/* calls.c - workload 13: C calling JS (see calls.idl). */
#include "calls.h"

int32_t calls_call_import(int32_t n) {
    int32_t s = 0;
    for (int32_t i = 0; i < n; i++)
        s += calls_tick(i);
    return s;
}

int32_t calls_call_back(int32_t n, calls_step fn, void *fn_data) {
    int32_t s = 0;
    for (int32_t i = 0; i < n; i++)
        s += fn(fn_data, i);
    return s;
}

int32_t calls_call_back_plain(int32_t n, calls_step_plain fn) {
    int32_t s = 0;
    for (int32_t i = 0; i < n; i++)
        s += fn(i);
    return s;
}
