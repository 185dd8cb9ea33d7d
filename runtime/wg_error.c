/* wg_error.c - wg_fail, for functions declared `throws`. A separate object,
 * so that modules that never fail do not pull in vsnprintf. */
#include <stdarg.h>
#include <stdio.h>

#include "wasmgen.h"

bool wg_fail(wg_error *err, int32_t code, const char *fmt, ...) {
    if (!err)
        return false;
    err->code = code;
    err->failed = 1;
    free(err->message);
    err->message = NULL;
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n >= 0 && (err->message = malloc((size_t)n + 1)) != NULL) {
        va_start(ap, fmt);
        vsnprintf(err->message, (size_t)n + 1, fmt, ap);
        va_end(ap);
    }
    return false;
}
