/*
 * parser.y - the grammar of the wasmgen IDL. It builds the tree and checks
 * only what the grammar itself says; names and types are sema.c's work.
 *
 *   file     -> decl*
 *   decl     -> doc? 'module' IDENT ';'
 *             | doc? type IDENT '(' [param (',' param)*] ')' ';'
 *   param    -> ['in' | 'out' | 'inout'] type IDENT
 *   type     -> IDENT | IDENT '[' ']' | IDENT '[' length ']'
 *   length   -> INTEGER | IDENT | IDENT '(' IDENT ')'      (the last: len(p))
 */
%define api.pure full
%locations
%define api.location.type {Loc}
%define parse.error detailed
%define parse.lac full
%expect 0
%param {yyscan_t scanner}
%parse-param {ParseCtx *ctx}

%code requires {
#include "parse.h"
typedef void *yyscan_t;
}

%code provides {
int yylex(YYSTYPE *lvalp, YYLTYPE *llocp, yyscan_t scanner);
}

%code {
#include <string.h>

#define YYLLOC_DEFAULT(Cur, Rhs, N) \
    do { (Cur) = (N) ? YYRHSLOC(Rhs, 1) : YYRHSLOC(Rhs, 0); } while (0)

static void yyerror(YYLTYPE *loc, yyscan_t scanner, ParseCtx *ctx, const char *msg) {
    (void)scanner;
    diag_error(ctx->diag, *loc, "%s", msg);
}

static Param *param_new(ParseCtx *ctx, Loc loc, ParamMode mode, TypeRef type, const char *name) {
    Param *p = arena_alloc(ctx->arena, sizeof *p);
    p->loc = loc;
    p->mode = mode;
    p->type = type;
    p->name = name;
    p->slot = -1;
    return p;
}
}

%union {
    const char *str;
    uint64_t num;
    TypeRef type;
    Param *param;
    struct { Param *head, *tail; } params;
    ParamMode mode;
}

%token YYEOF 0 "end of file"
%token <str> IDENT "identifier"
%token <str> DOC "doc comment"
%token <num> INTEGER "integer"
%token MODULE "'module'" IN "'in'" OUT "'out'" INOUT "'inout'"
/* Reserved for future versions of the IDL. */
%token STRUCT "'struct'" ENUM "'enum'" RESOURCE "'resource'" IMPORT "'import'" THROWS "'throws'"

%type <str> doc_opt
%type <type> type length
%type <param> param
%type <params> params params_opt
%type <mode> mode

%%

file
    : %empty
    | file decl
    ;

decl
    : doc_opt MODULE IDENT ';' {
        Module *m = ctx->module;
        if (ctx->saw_module)
            diag_error(ctx->diag, @2, "a second 'module' declaration; the first is on line %d", m->loc.line);
        else if (m->funcs)
            diag_error(ctx->diag, @2, "'module' must be the first declaration");
        else {
            m->loc = @3;
            m->name = $3;
            m->doc = $1;
        }
        ctx->saw_module = true;
    }
    | doc_opt type IDENT '(' params_opt ')' ';' {
        Func *f = arena_alloc(ctx->arena, sizeof *f);
        f->loc = @3;
        f->doc = $1;
        f->ret = $2;
        f->name = $3;
        f->params = $5.head;
        f->ret_slot = -1;
        if (!ctx->saw_module && !ctx->module->funcs)
            diag_error(ctx->diag, @2, "expected 'module NAME;' before the first function");
        *ctx->func_tail = f;
        ctx->func_tail = &f->next;
        ctx->module->nfuncs++;
    }
    | error ';' {
        yyerrok;
        if (diag_full(ctx->diag))
            YYABORT;
    }
    ;

doc_opt
    : %empty { $$ = NULL; }
    | DOC    { $$ = $1; }
    ;

params_opt
    : %empty { $$.head = $$.tail = NULL; }
    | params
    ;

params
    : param              { $$.head = $$.tail = $1; }
    | params ',' param   { $$ = $1; $$.tail->next = $3; $$.tail = $3; }
    ;

param
    : mode type IDENT    { $$ = param_new(ctx, @3, $1, $2, $3); }
    ;

mode
    : %empty  { $$ = MODE_IN; }
    | IN      { $$ = MODE_IN; }
    | OUT     { $$ = MODE_OUT; }
    | INOUT   { $$ = MODE_INOUT; }
    ;

type
    : IDENT {
        memset(&$$, 0, sizeof $$);
        $$.loc = @1;
        $$.name = $1;
        $$.id = T_UNRESOLVED;
    }
    | IDENT '[' ']' {
        memset(&$$, 0, sizeof $$);
        $$.loc = @1;
        $$.name = $1;
        $$.is_array = true;
        $$.id = T_UNRESOLVED;
    }
    | IDENT '[' length ']' {
        $$ = $3;
        $$.loc = @1;
        $$.name = $1;
        $$.is_array = true;
        $$.id = T_UNRESOLVED;
    }
    ;

length
    : INTEGER {
        memset(&$$, 0, sizeof $$);
        $$.len_kind = LEN_LITERAL;
        $$.len_value = $1;
        $$.len_loc = @1;
    }
    | IDENT {
        memset(&$$, 0, sizeof $$);
        $$.len_kind = LEN_PARAM;
        $$.len_name = $1;
        $$.len_loc = @1;
    }
    | IDENT '(' IDENT ')' {
        memset(&$$, 0, sizeof $$);
        $$.len_kind = LEN_OF;
        $$.len_name = $3;
        $$.len_loc = @3;
        if (strcmp($1, "len") != 0)
            diag_error(ctx->diag, @1, "unknown length function '%s'; the length of an array parameter is written len(name)", $1);
    }
    ;

%%

#include "lexer.h"

bool wg_parse(ParseCtx *ctx) {
    yyscan_t scanner;
    if (yylex_init_extra(ctx, &scanner) != 0)
        return false;
    ctx->pos.line = 1;
    ctx->pos.col = 1;
    ctx->pos.offset = 0;
    ctx->func_tail = &ctx->module->funcs;
    YY_BUFFER_STATE b = yy_scan_bytes(ctx->diag->src, (int)ctx->diag->src_len, scanner);
    int rc = yyparse(scanner, ctx);
    yy_delete_buffer(b, scanner);
    yylex_destroy(scanner);
    if (rc == 0 && !ctx->saw_module && ctx->diag->errors == 0) {
        Loc at = ctx->module->funcs ? ctx->module->funcs->ret.loc : (Loc){1, 1, 0};
        if (!ctx->module->funcs)
            diag_error(ctx->diag, at, "expected 'module NAME;': the file declares nothing");
    }
    return rc == 0 && ctx->diag->errors == 0;
}
