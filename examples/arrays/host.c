// host.c - demo.mjs again, natively: the arrays module through the generated
// C API (arrays_host.h), sandboxed by wasm2c. It prints what demo.mjs prints,
// but for demo.mjs's last two lines, which show JS's own argument checks and
// counters (`make run-host` here; make check compares).
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

#include "arrays_host.h"

#define CHECK(call)                                                                          \
    do {                                                                                     \
        int status_ = (call);                                                                \
        if (status_ != WG_HOST_OK) {                                                         \
            fprintf(stderr, "%s: %s (%s)\n", #call, arrays_host_error(m), wg_host_status_name(status_)); \
            exit(1);                                                                         \
        }                                                                                    \
    } while (0)

/* As demo.mjs prints it: JSON.stringify of the array. */
static void print_array(const char *label, const double *v, size_t n) {
    printf("%s [", label);
    for (size_t i = 0; i < n; i++)
        printf("%s%g", i ? "," : "", v[i]);
    printf("]\n");
}

int main(void) {
    arrays_host *m = NULL;
    CHECK(arrays_host_new(&m, NULL));

    const double a[] = {1, 2, 3, 4}, b[] = {5, 6, 7, 8};
    const double *sum;
    size_t n;
    CHECK(arrays_host_add_view(m, a, 4, b, 4, &sum, &n)); // a view of the module's memory: no copy
    print_array("add      ", sum, n);
    double total;
    CHECK(arrays_host_sum(m, sum, n, &total)); // a view stays valid through the next call
    printf("sum       %g\n", total);

    const double one[] = {1, 1, 1}, more[] = {2, 3, 4};
    double into[3];
    CHECK(arrays_host_add_into(m, one, 3, more, 3, into)); // out f64[len(a)]: into the caller's buffer
    print_array("addInto  ", into, 3);

    float data[] = {1.5f, 2, 2.5f};
    CHECK(arrays_host_scale(m, data, 3, 2)); // inout: updated in place
    printf("scale     [%g,%g,%g]\n", data[0], data[1], data[2]);

    int32_t quotient, remainder;
    CHECK(arrays_host_divide(m, 7, 2, &remainder, &quotient)); // out parameters, then the result
    printf("divide    {\"return\":%" PRId32 ",\"remainder\":%" PRId32 "}\n", quotient, remainder);

    char *reversed;
    CHECK(arrays_host_reverse(m, "stressed", 8, &reversed));
    printf("reverse   %s\n", reversed);
    free(reversed);

    uint64_t checksum;
    CHECK(arrays_host_checksum(m, (const uint8_t *)"wasmgen", 7, &checksum));
    printf("checksum  %" PRIu64 "n\n", checksum);

    bool plain, naive;
    CHECK(arrays_host_is_ascii(m, "plain", 5, &plain));
    CHECK(arrays_host_is_ascii(m, "na\xc3\xafve", 6, &naive));
    printf("isAscii   %s %s\n", plain ? "true" : "false", naive ? "true" : "false");

    arrays_host_free(m);
    return 0;
}
