/* fset.c - the implementation of fset.idl: flag sets as C sees them. */
#include "fset.h"

#include <stdlib.h>
#include <string.h>

uint32_t fset_bits(fset_perms p) { return p; }
fset_perms fset_drop_write(fset_perms p) { return p & ~FSET_PERMS_WRITE; }
fset_wide fset_echo_wide(fset_wide w) { return w; }
fset_perms fset_from_bits(uint32_t bits) { return bits; }

void fset_split(fset_perms p, fset_perms *readable, uint32_t *count) {
    *readable = p & FSET_PERMS_READ;
    *count = (uint32_t)__builtin_popcount(p);
}

fset_perms fset_mode_of(fset_entry e) { return e.mode; }

fset_entry fset_make(const char *name, size_t name_len, fset_perms mode) {
    fset_entry e = {0};
    char *copy = malloc(name_len + 1);
    if (copy) {
        memcpy(copy, name, name_len + 1);
        e.name = copy;
        e.name_len = name_len;
    }
    e.mode = mode;
    return e;
}

fset_perms fset_apply(fset_perms p, fset_filter fn, void *fn_data) { return fn(fn_data, fn(fn_data, p)); }
