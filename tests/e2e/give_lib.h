/* give_lib.h - a small C library bound as it is (tests/e2e/give.idl): a
 * node takes other nodes as children and destroys them with itself. Its
 * destructor refuses a node it does not know (destroyed already), and
 * counts it: JS must never let two owners destroy one object. */
#ifndef GIVE_LIB_H
#define GIVE_LIB_H
#include <stddef.h>
#include <stdint.h>

typedef struct give_node give_node;
typedef void (*give_visit)(void *user, int32_t x);

give_node *give_node_new(int32_t value);
void give_node_free(give_node *n);
/* Adds 1 to each of xs, then takes child. */
void give_node_adopt(give_node *parent, double *xs, size_t n, give_node *child);
/* Calls fn(user, i) for i below 3, then takes child. */
void give_node_adopt_visit(give_node *parent, give_node *child, give_visit fn, void *user);
int32_t give_node_children(const give_node *n);
/* Nodes alive, and destructions of a node that was not (refused). */
uint32_t give_live(void);
uint32_t give_bad_frees(void);
#endif
