/* give.c - the library tests/e2e/give.idl binds (give_lib.h). */
#include "give_lib.h"
#include <stdlib.h>

struct give_node {
    int32_t value;
    int32_t nkids;
    give_node *kids[8];
};

/* Every live node, so that destroying one twice is seen, not done. */
static give_node *live[64];
static uint32_t bad_frees;

static int slot_of(const give_node *n) {
    for (int i = 0; i < 64; i++)
        if (live[i] == n)
            return i;
    return -1;
}

give_node *give_node_new(int32_t value) {
    int i = slot_of(NULL);
    give_node *n = i < 0 ? NULL : calloc(1, sizeof *n);
    if (n) {
        n->value = value;
        live[i] = n;
    }
    return n;
}

void give_node_free(give_node *n) {
    int i = slot_of(n);
    if (n == NULL || i < 0) {
        bad_frees++;
        return;
    }
    live[i] = NULL;
    for (int k = 0; k < n->nkids; k++)
        give_node_free(n->kids[k]);
    free(n);
}

static void take(give_node *parent, give_node *child) {
    if (parent->nkids < 8)
        parent->kids[parent->nkids++] = child;
}

void give_node_adopt(give_node *parent, double *xs, size_t n, give_node *child) {
    for (size_t i = 0; i < n; i++)
        xs[i] += 1;
    take(parent, child);
}

void give_node_adopt_visit(give_node *parent, give_node *child, give_visit fn, void *user) {
    for (int32_t i = 0; i < 3; i++)
        fn(user, i);
    take(parent, child);
}

int32_t give_node_children(const give_node *n) { return n->nkids; }

uint32_t give_live(void) {
    uint32_t k = 0;
    for (int i = 0; i < 64; i++)
        k += live[i] != NULL;
    return k;
}

uint32_t give_bad_frees(void) { return bad_frees; }
