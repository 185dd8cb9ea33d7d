/*
 * fuzz_compile.c - libFuzzer target over the whole compiler: parse, check and
 * emit every output (the native host's too) into memory, with every option combination picked by the
 * input's first byte. Run with `make fuzz FUZZ_SECONDS=60`.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "wasmgen.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    wasmgen_options opt = {.emit = WASMGEN_EMIT_EVERY, .runtime_file = true};
    if (size > 0) {
        opt.inline_runtime = data[0] & 1;
        opt.runtime_file = (data[0] & 2) != 0;
    }
    wasmgen_result res;
    int rc = wasmgen_compile("fuzz.idl", (const char *)data, size, &opt, &res);
    /* The contract: errors come with diagnostics and no files; success with
     * files and no diagnostics. */
    if (rc != 0 && (res.nfiles != 0 || res.diagnostics[0] == '\0'))
        __builtin_trap();
    if (rc == 0 && (res.nfiles == 0 || res.diagnostics[0] != '\0'))
        __builtin_trap();
    for (int i = 0; i < res.nfiles; i++)
        if (strlen(res.files[i].data) != res.files[i].len)
            __builtin_trap(); /* no NUL bytes in generated text */
    wasmgen_result_free(&res);
    return 0;
}
