/* lendlib.h - a small C library that lends its objects to callbacks, bound
 * as it is by tests/host/lend.idl (test_host_lend.c runs it natively): a box
 * holds a number and owns up to four child boxes. */
#ifndef LENDLIB_H
#define LENDLIB_H

typedef struct lb_box lb_box;

lb_box *lb_box_new(int value);
/* Frees the box and the children it owns. */
void lb_box_free(lb_box *b);
int lb_box_value(const lb_box *b);
/* Its i-th child (the box keeps it), NULL for none. */
lb_box *lb_box_child(lb_box *b, int i);
/* The box takes `child`: 0, or -1 (and nothing taken) when it has four. */
int lb_box_adopt(lb_box *b, lb_box *child);

typedef int (*lb_visit)(void *user, lb_box *b);
typedef int (*lb_visit2)(void *user, lb_box *a, lb_box *b);

/* A box of `value` with a child of value + 1, lent to fn, then freed: fn's result. */
int lb_with_box(int value, lb_visit fn, void *user);
/* Two boxes lent to fn (`b` NULL when `value` is negative): fn's result. */
int lb_with_pair(int value, lb_visit2 fn, void *user);
/* Boxes freed so far. */
int lb_frees(void);

#endif
