/*
 * parser.y - the grammar of the wasmgen IDL. It builds the tree and checks
 * only what the grammar itself says; names and types are sema.c's work.
 *
 *   file     -> decl*
 *   decl     -> doc? 'module' IDENT ';'
 *             | doc? ['import'] func
 *             | doc? 'struct' IDENT '{' (doc? type IDENT ';')* '}' [';']
 *             | doc? 'enum' IDENT '{' value (',' value)* [','] '}' [';']
 *             | doc? 'resource' IDENT '{' member* '}' [';']
 *   func     -> type IDENT '(' [param (',' param)*] ')' ['throws'] ';'
 *   value    -> doc? IDENT ['=' ['-'] INTEGER]
 *   member   -> doc? 'new' '(' [param (',' param)*] ')' ';' | doc? func
 *   param    -> ['in' | 'out' | 'inout'] type IDENT
 *   type     -> IDENT ['?'] | IDENT '[' ']' ['?'] | IDENT '[' length ']'
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

static Func *func_new(ParseCtx *ctx, Loc loc, const char *doc, TypeRef ret, const char *name,
                      Param *params, bool throws) {
    Func *f = arena_alloc(ctx->arena, sizeof *f);
    f->loc = loc;
    f->doc = doc;
    f->ret = ret;
    f->name = name;
    f->params = params;
    f->throws = throws;
    f->ret_slot = -1;
    f->err_slot = -1;
    return f;
}

/* Declarations other than 'module' need the module line first. */
static void need_module(ParseCtx *ctx, Loc at) {
    if (!ctx->saw_module && !ctx->warned_module) {
        diag_error(ctx->diag, at, "expected 'module NAME;' before the first declaration");
        ctx->warned_module = true;
    }
}

/* Lists are built with a tail pointer, so a long one costs linear time. */
#define APPEND(list, node)                             \
    do {                                               \
        if ((list).tail)                               \
            (list).tail->next = (node);                \
        else                                           \
            (list).head = (node);                      \
        (list).tail = (node);                          \
    } while (0)

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
    int64_t snum;
    bool flag;
    TypeRef type;
    Param *param;
    struct { Param *head, *tail; } params;
    ParamMode mode;
    Func *func;
    Field *field;
    struct { Field *head, *tail; } fields;
    EnumValue *value;
    struct { EnumValue *head, *tail; } values;
    struct { Func *ctor, *head, *tail; } members;
}

%token YYEOF 0 "end of file"
%token <str> IDENT "identifier"
%token <str> DOC "doc comment"
%token <num> INTEGER "integer"
%token MODULE "'module'" IN "'in'" OUT "'out'" INOUT "'inout'"
%token STRUCT "'struct'" ENUM "'enum'" RESOURCE "'resource'" IMPORT "'import'" THROWS "'throws'"

%type <str> doc_opt
%type <type> type length
%type <param> param
%type <params> params params_opt
%type <mode> mode
%type <func> func
%type <flag> throws_opt optional
%type <field> field
%type <fields> fields
%type <value> value
%type <values> values
%type <snum> enum_int
%type <members> members

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
        else if (m->funcs || m->structs || m->enums || m->resources || m->imports)
            diag_error(ctx->diag, @2, "'module' must be the first declaration");
        else {
            m->loc = @3;
            m->name = $3;
            m->doc = $1;
        }
        ctx->saw_module = true;
    }
    | doc_opt func {
        $2->doc = $1;
        need_module(ctx, $2->ret.loc);
        *ctx->func_tail = $2;
        ctx->func_tail = &$2->next;
        ctx->module->nfuncs++;
    }
    | doc_opt IMPORT func {
        $3->doc = $1;
        $3->is_import = true;
        need_module(ctx, @2);
        APPEND(ctx->imports, $3);
    }
    | doc_opt STRUCT IDENT '{' fields '}' semi_opt {
        Struct *st = arena_alloc(ctx->arena, sizeof *st);
        st->loc = @3;
        st->doc = $1;
        st->name = $3;
        st->fields = $5.head;
        need_module(ctx, @2);
        APPEND(ctx->structs, st);
    }
    | doc_opt ENUM IDENT '{' values comma_opt '}' semi_opt {
        Enum *en = arena_alloc(ctx->arena, sizeof *en);
        en->loc = @3;
        en->doc = $1;
        en->name = $3;
        en->values = $5.head;
        need_module(ctx, @2);
        APPEND(ctx->enums, en);
    }
    | doc_opt RESOURCE IDENT '{' members '}' semi_opt {
        Resource *r = arena_alloc(ctx->arena, sizeof *r);
        r->loc = @3;
        r->doc = $1;
        r->name = $3;
        r->ctor = $5.ctor;
        r->methods = $5.head;
        need_module(ctx, @2);
        APPEND(ctx->resources, r);
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

func
    : type IDENT '(' params_opt ')' throws_opt ';' {
        $$ = func_new(ctx, @2, NULL, $1, $2, $4.head, $6);
    }
    ;

throws_opt
    : %empty { $$ = false; }
    | THROWS { $$ = true; }
    ;

semi_opt
    : %empty
    | ';'
    ;

comma_opt
    : %empty
    | ','
    ;

fields
    : %empty       { $$.head = $$.tail = NULL; }
    | fields field { $$ = $1; APPEND($$, $2); }
    ;

field
    : doc_opt type IDENT ';' {
        $$ = arena_alloc(ctx->arena, sizeof *$$);
        $$->loc = @3;
        $$->doc = $1;
        $$->type = $2;
        $$->name = $3;
    }
    ;

values
    : value            { $$.head = $$.tail = $1; }
    | values ',' value { $$ = $1; APPEND($$, $3); }
    ;

value
    : doc_opt IDENT {
        $$ = arena_alloc(ctx->arena, sizeof *$$);
        $$->loc = @2;
        $$->doc = $1;
        $$->name = $2;
    }
    | doc_opt IDENT '=' enum_int {
        $$ = arena_alloc(ctx->arena, sizeof *$$);
        $$->loc = @2;
        $$->doc = $1;
        $$->name = $2;
        $$->has_value = true;
        $$->value = $4;
    }
    ;

enum_int
    : INTEGER     { $$ = $1 > INT64_MAX ? INT64_MAX : (int64_t)$1; }
    | '-' INTEGER { $$ = $2 > INT64_MAX ? INT64_MIN : -(int64_t)$2; }
    ;

members
    : %empty { $$.ctor = $$.head = $$.tail = NULL; }
    | members doc_opt IDENT '(' params_opt ')' ';' {
        $$ = $1;
        Func *f = func_new(ctx, @3, $2, (TypeRef){0}, $3, $5.head, false);
        f->is_ctor = true;
        f->ret.loc = @3;
        if (strcmp($3, "new") != 0)
            diag_error(ctx->diag, @3, "method '%s' needs a result type (void if none); only the constructor, 'new', has none", $3);
        else if ($$.ctor)
            diag_error(ctx->diag, @3, "a second constructor; a resource has at most one 'new'");
        else
            $$.ctor = f;
    }
    | members doc_opt func {
        $$ = $1;
        $3->doc = $2;
        APPEND($$, $3);
    }
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
    : IDENT optional {
        memset(&$$, 0, sizeof $$);
        $$.loc = @1;
        $$.name = $1;
        $$.optional = $2;
        $$.id = T_UNRESOLVED;
    }
    | IDENT '[' ']' optional {
        memset(&$$, 0, sizeof $$);
        $$.loc = @1;
        $$.name = $1;
        $$.is_array = true;
        $$.optional = $4;
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

optional
    : %empty { $$ = false; }
    | '?'    { $$ = true; }
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

bool parse_idl(ParseCtx *ctx) {
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
    ctx->module->structs = ctx->structs.head;
    ctx->module->enums = ctx->enums.head;
    ctx->module->resources = ctx->resources.head;
    ctx->module->imports = ctx->imports.head;
    if (rc == 0 && !ctx->saw_module && ctx->diag->errors == 0)
        diag_error(ctx->diag, (Loc){1, 1, 0}, "expected 'module NAME;': the file declares nothing");
    return rc == 0 && ctx->diag->errors == 0;
}
