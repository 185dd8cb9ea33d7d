/* parse.h - what the lexer and the parser share. */
#ifndef COMPILER_PARSE_H
#define COMPILER_PARSE_H

#include "ast.h"

typedef struct ParseCtx {
    Diag *diag;
    Arena *arena;
    Module *module;    /* filled by the parser */
    Func **func_tail;  /* where the next function goes */
    /* The module's other lists, built with tails (see APPEND in parser.y). */
    struct { Struct *head, *tail; } structs;
    struct { Enum *head, *tail; } enums;
    struct { Resource *head, *tail; } resources;
    struct { Func *head, *tail; } imports;
    struct { Func *head, *tail; } callbacks;
    struct { Include *head, *tail; } includes;
    struct { Const *head, *tail; } consts;
    Loc pos;           /* the lexer's position: the start of the next token */
    Loc comment_start; /* the start of an open block comment */
    bool saw_module;
    bool warned_module; /* said once that 'module' is missing */
} ParseCtx;

/* Parse ctx->diag's source into ctx->module; false on any error. */
bool parse_idl(ParseCtx *ctx);

#define PARSE_MAX_IDENT 255

#endif
