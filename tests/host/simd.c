// simd.c - a module clang vectorizes with -msimd128: wasmgen_wasm2c must
// refuse it with a clear message (wasm2c 1.0.32 aborts on SIMD).
__attribute__((export_name("scale"))) void scale(float *a, const float *b, int n) {
    for (int i = 0; i < n; i++)
        a[i] += b[i] * 2.0f;
}
