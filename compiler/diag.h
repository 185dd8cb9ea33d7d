/*
 * diag.h - the one error reporter. Every phase reports through it:
 *
 *   file:line:col: error: message
 *     source line
 *     ^
 *
 * Columns count characters (UTF-8 code points) from 1. After `max_errors`
 * errors it says so and stops reporting.
 */
#ifndef COMPILER_DIAG_H
#define COMPILER_DIAG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "buf.h"

/* A place in the source. 8 bytes: every node of the tree holds a few, so
 * the column is not kept but worked out from the offset when a message
 * needs it (diag_col). A source is below 2 GiB (flex counts in int), so
 * its offsets fit 32 bits. */
typedef struct Loc {
    int line;        /* from 1; 0: no location */
    uint32_t offset; /* of its first byte in the source */
} Loc;

typedef struct Diag {
    const char *file;   /* the name shown */
    const char *src;    /* the source text (may contain NUL bytes) */
    size_t src_len;
    Buf *out;           /* where messages go */
    int errors;
    int max_errors;
} Diag;

#define DIAG_MAX_ERRORS 20

void diag_init(Diag *d, const char *file, const char *src, size_t len, Buf *out);
void diag_error(Diag *d, Loc loc, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
bool diag_full(const Diag *d); /* reporting stopped: too many errors */
/* The column of `loc`, from 1: the characters (UTF-8 code points; any other
 * byte counts one) before it on its line. */
int diag_col(const Diag *d, Loc loc);

#endif
