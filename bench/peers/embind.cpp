// embind.cpp - the same C functions (bench.c) bound with Embind, the way its
// documentation suggests: std::string for strings, emscripten::val and
// convertJSArrayToNumberVector for arrays in, a typed_memory_view copied into
// a new JS typed array for arrays out.
#include <emscripten/bind.h>
#include <emscripten/val.h>

#include <cstdlib>
#include <string>
#include <vector>

extern "C" {
#include "bench.h"
}

using emscripten::val;

static int add(int a, int b) { return bench_add(a, b); }

static std::string reverse(const std::string &s) {
    char *r = bench_reverse(s.data(), s.size());
    std::string out(r);
    std::free(r);
    return out;
}

static double sum(const val &values) {
    std::vector<double> v = emscripten::convertJSArrayToNumberVector<double>(values);
    return bench_sum(v.data(), v.size());
}

template <typename T> static val copy_out(const char *ctor, T *p, size_t n) {
    val out = val::global(ctor).new_(n);
    out.call<void>("set", val(emscripten::typed_memory_view(n, p)));
    std::free(p);
    return out;
}

static val make(unsigned n) {
    wg_u8_array r = bench_make(n);
    return copy_out("Uint8Array", r.ptr, r.len);
}

static val vadd(const val &a, const val &b) {
    std::vector<double> x = emscripten::convertJSArrayToNumberVector<double>(a);
    std::vector<double> y = emscripten::convertJSArrayToNumberVector<double>(b);
    wg_f64_array r = bench_vadd(x.data(), x.size(), y.data(), y.size());
    return copy_out("Float64Array", r.ptr, r.len);
}

static val vscale(const val &a, double k) {
    std::vector<double> x = emscripten::convertJSArrayToNumberVector<double>(a);
    wg_f64_array r = bench_vscale(x.data(), x.size(), k);
    return copy_out("Float64Array", r.ptr, r.len);
}

EMSCRIPTEN_BINDINGS(bench) {
    emscripten::function("add", &add);
    emscripten::function("reverse", &reverse);
    emscripten::function("sum", &sum);
    emscripten::function("make", &make);
    emscripten::function("vadd", &vadd);
    emscripten::function("vscale", &vscale);
}
