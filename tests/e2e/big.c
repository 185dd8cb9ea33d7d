#include <string.h>

#include "big.h"

big_b3 big_block(double start) {
    big_b3 r;
    double *d = (double *)&r;
    for (size_t i = 0; i < sizeof r / sizeof *d; i++)
        d[i] = start + (double)i;
    return r;
}

big_b3 big_block_or_fail(double start, bool fail, wg_error *err) {
    if (fail) {
        big_b3 none;
        memset(&none, 0, sizeof none);
        wg_fail(err, 7, "failed at %g", start);
        return none;
    }
    return big_block(start);
}

double big_total(big_b3 value) {
    const double *d = (const double *)&value;
    double sum = 0;
    for (size_t i = 0; i < sizeof value / sizeof *d; i++)
        sum += d[i];
    return sum;
}
