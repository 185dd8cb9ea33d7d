/* sema.h - checks and ABI lowering. */
#ifndef COMPILER_SEMA_H
#define COMPILER_SEMA_H

#include "ast.h"

/* Resolve types, check every rule, and annotate the tree for the emitters.
 * Reports through `diag`; true when the module is fit to emit. */
bool sema_check(Module *m, Arena *arena, Diag *diag);

/* IDL snake_case -> JS camelCase: add_into -> addInto. */
const char *sema_camel(Arena *arena, const char *name);

/* Names the generated module object already uses (m.stats(), ...). */
bool sema_is_runtime_member(const char *js_name);

#endif
