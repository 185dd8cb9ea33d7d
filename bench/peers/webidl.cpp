// webidl.cpp - the class the WebIDL binder binds (webidl.idl), a thin layer
// over bench.c, and the binder's generated C glue (glue.cpp, made by
// bench.mk in build/bench/webidl/). What the binder needs and does not do:
// - a string result is read by UTF8ToString and never freed, so reverse()
//   keeps its last result and frees it on the next call (and in ~Bench);
// - strings and arrays arrive without their length (strlen; n passed in);
// - a buffer result is returned as void* and given back through release().
#include <cstdlib>
#include <cstring>

extern "C" {
#include "bench.h"
}

class Bench {
  public:
    Bench() = default;
    Bench(const Bench &) = delete;
    Bench &operator=(const Bench &) = delete;
    ~Bench() { std::free(last_); }

    int add(int a, int b) { return bench_add(a, b); }

    const char *reverse(const char *text) {
        std::free(last_);
        last_ = bench_reverse(text, std::strlen(text));
        return last_;
    }

    double sum(const double *values, unsigned n) { return bench_sum(values, n); }

    void *make(unsigned n) { return bench_make(n).ptr; }

    void *vadd(const double *a, const double *b, unsigned n) { return bench_vadd(a, n, b, n).ptr; }

    void *vscale(const double *a, unsigned n, double k) { return bench_vscale(a, n, k).ptr; }

    void release(void *p) { std::free(p); }

  private:
    char *last_ = nullptr;
};

#include "glue.cpp"
