/* lendlib.c - see lendlib.h. */
#include <stdlib.h>

#include "lendlib.h"

struct lb_box {
    int value;
    int nkids;
    lb_box *kids[4];
};

static int frees;

lb_box *lb_box_new(int value) {
    lb_box *b = calloc(1, sizeof *b);
    if (b != NULL)
        b->value = value;
    return b;
}

void lb_box_free(lb_box *b) {
    if (b == NULL)
        return;
    for (int i = 0; i < b->nkids; i++)
        lb_box_free(b->kids[i]);
    frees++;
    free(b);
}

int lb_box_value(const lb_box *b) { return b->value; }

lb_box *lb_box_child(lb_box *b, int i) { return i >= 0 && i < b->nkids ? b->kids[i] : NULL; }

int lb_box_adopt(lb_box *b, lb_box *child) {
    if (b->nkids == 4)
        return -1;
    b->kids[b->nkids++] = child;
    return 0;
}

int lb_with_box(int value, lb_visit fn, void *user) {
    lb_box *b = lb_box_new(value);
    if (b == NULL)
        return -1;
    lb_box_adopt(b, lb_box_new(value + 1));
    int r = fn(user, b);
    lb_box_free(b);
    return r;
}

int lb_with_pair(int value, lb_visit2 fn, void *user) {
    lb_box *a = lb_box_new(value), *b = value < 0 ? NULL : lb_box_new(value + 1);
    int r = fn(user, a, b);
    lb_box_free(a);
    lb_box_free(b);
    return r;
}

int lb_frees(void) { return frees; }
