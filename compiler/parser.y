/*
 * parser.y - the grammar of the wasmgen IDL. It builds the tree and checks
 * only what the grammar itself says; names and types are sema.c's work.
 *
 *   file     -> decl*
 *   decl     -> doc? 'module' IDENT ';'
 *             | 'include' STRING ';' | 'c_prefix' IDENT ';'
 *             | doc? 'const' type NAME '=' ['-'] INTEGER ';'
 *             | doc? ['import'] func | doc? ['deferred' ['(' expr ')']] 'callback' func
 *             | doc? 'struct' IDENT [as] '{' (doc? type NAME ';')* '}' [';']
 *             | doc? ('enum' | 'flags') IDENT [as ['prefix' IDENT]] '{' value (',' value)* [','] '}' [';']
 *             | doc? 'resource' IDENT [as] '{' member* '}' [';']
 *   func     -> [own] type NAME '(' [param (',' param)*] ')' [as] ['throws'] [bind] ';'
 *   own      -> 'borrowed' | 'owned' '(' IDENT ')'
 *   bind     -> '=' IDENT clause*
 *   clause   -> 'returns' IDENT '(' NAME ')' | 'fails' 'when' cond ('or' cond)*
 *             | 'message' (IDENT | 'self' '.' NAME)
 *   cond     -> ('<' | '<=' | '>' | '>=' | '==' | '!=') expr
 *   value    -> doc? NAME ['=' ['-'] INTEGER]
 *   member   -> doc? 'new' [NAME] '(' [param (',' param)*] ')' [as] [bind] ';'
 *             | 'drop' '=' IDENT ';' | 'user_data' '=' IDENT ';' | doc? func
 *   param    -> 'self' | 'user_data' [as] | 'user_data' '(' NAME ')' [as]
 *             | ['stored' ['(' NAME ')']] ['in' | 'out' | 'inout'] type NAME ... (as below)
 *             | 'given' ['(' NAME ')'] type NAME ... (as below)
 *             | ['in' | 'out' | 'inout'] type NAME ['=' expr | '=' '&' IDENT '(' NAME ')'] [as]
 *               ['->' 'self' '.' NAME '[' 'self' '.' NAME ']']
 *   as       -> 'as' STRING                   (the library's C type)
 *   type     -> IDENT ['?'] | IDENT '[' ']' ['?'] | IDENT '[' expr ']'
 *   expr     -> INTEGER | IDENT | IDENT '(' [expr (',' expr)*] ')' | 'self' '.' NAME | 'null'
 *             | '(' expr ')' | '-' expr | expr ('+' | '-' | '*' | '/') expr
 *   NAME     -> IDENT, or a keyword (`out`, `in`, `self` ...) where a name is expected
 */
%define api.pure full
%locations
%define api.location.type {Loc}
%define parse.error custom
/* A syntax error's "expecting" list is exact: canonical LR tables without
 * default reductions (but to accept) detect the error before any reduction
 * the lookahead does not allow. Lookahead correction (parse.lac) does the
 * same by exploring the stack at every token, 4 % of a large compile. */
%define lr.type canonical-lr
%define lr.default-reduction accepting
%expect 0
%param {yyscan_t scanner}
%parse-param {ParseCtx *ctx}

%code requires {
#include "parse.h"
typedef void *yyscan_t;

/* The parser's values are copied on every step, so they are kept small:
 * a type as written (its TypeRef is made where it is used, at the type's
 * location), and the rarer constructs' parts in the arena. */
typedef struct TypeSyntax {
    const char *name;
    Expr *len;          /* T[len] */
    bool is_array;      /* T[] or T[len] */
    bool optional;      /* T? */
} TypeSyntax;

typedef struct Members { /* a resource's */
    Func *ctor, *head, *tail, *chead, *ctail;
    const char *drop;
    Loc drop_loc;
    const char *ud;
    Loc ud_loc;
} Members;

typedef struct OwnSyntax {
    Ownership own;
    const char *fn;
    Loc loc;
} OwnSyntax;

typedef struct BindSyntax { /* = c_function clauses... */
    const char *fn;
    Loc loc;
    const char *ret;
    Loc ret_loc;
    FailCond *fails;
    Expr *message;
} BindSyntax;

typedef struct FieldSyntax { /* -> self.PTR[self.LEN] */
    const char *ptr, *len;
    Loc loc;
} FieldSyntax;
}

%code provides {
int yylex(YYSTYPE *lvalp, YYLTYPE *llocp, yyscan_t scanner);
}

%code {
#include <stdio.h>
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

/* The TypeRef of a type written at loc. */
static TypeRef type_ref(TypeSyntax s, Loc loc) {
    TypeRef t;
    memset(&t, 0, sizeof t);
    t.loc = loc;
    t.name = s.name;
    t.is_array = s.is_array;
    t.optional = s.optional;
    t.id = T_UNRESOLVED;
    Expr *e = s.len;
    if (e) {
        t.len_expr = e;
        t.len_loc = e->loc;
        if (e->kind == E_INT && e->value >= 0) {
            t.len_kind = LEN_LITERAL;
            t.len_value = (uint64_t)e->value;
        } else if (e->kind == E_NAME) {
            t.len_kind = LEN_PARAM;
            t.len_name = e->name;
        } else if (e->kind == E_LEN) {
            t.len_kind = LEN_OF;
            t.len_name = e->name;
        } else {
            t.len_kind = LEN_EXPR;
        }
    }
    return t;
}

/* The clauses after `= c_function` (if any) go to the function. */
static void set_bind(Func *f, const BindSyntax *b) {
    if (!b)
        return;
    f->bind = b->fn;
    f->bind_loc = b->loc;
    f->returns_len = b->ret;
    f->returns_loc = b->ret_loc;
    f->fails = b->fails;
    f->message = b->message;
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

static Expr *expr_new(ParseCtx *ctx, ExprKind kind, Loc loc) {
    Expr *e = arena_alloc(ctx->arena, sizeof *e);
    e->kind = kind;
    e->loc = loc;
    return e;
}

static Expr *expr_bin(ParseCtx *ctx, char op, Expr *l, Expr *r) {
    Expr *e = expr_new(ctx, E_BIN, l->loc);
    e->op = op;
    e->lhs = l;
    e->rhs = r;
    return e;
}

/* A call: len(x) is the length of parameter x; anything else a C function. */
static Expr *expr_call(ParseCtx *ctx, Loc loc, const char *name, Expr *args) {
    if (strcmp(name, "len") == 0 && args && !args->next && args->kind == E_NAME) {
        Expr *e = expr_new(ctx, E_LEN, args->loc);
        e->name = args->name;
        return e;
    }
    Expr *e = expr_new(ctx, E_CALL, loc);
    e->name = name;
    e->args = args;
    return e;
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

/* What may follow a parameter's name: a value, `as "C type"`, the fields it is bound to. */
static void param_tail(Param *p, Expr *value, const char *c_type, Loc c_type_loc, const FieldSyntax *fields) {
    p->value = value;
    p->type.c_type = c_type;
    p->type.c_type_loc = c_type_loc;
    if (fields) {
        p->field_ptr = fields->ptr;
        p->field_len = fields->len;
        p->field_loc = fields->loc;
    }
}
}

%union {
    const char *str;
    uint64_t num;
    int64_t snum;
    bool flag;
    TypeSyntax type;
    Param *param;
    struct { Param *head, *tail; } params;
    ParamMode mode;
    Func *func;
    Field *field;
    struct { Field *head, *tail; } fields;
    EnumValue *value;
    struct { EnumValue *head, *tail; } values;
    Members *members;
    Expr *expr;
    struct { Expr *head, *tail; } exprs;
    FailCond *cond;
    struct { FailCond *head, *tail; } conds;
    OwnSyntax *own;
    BindSyntax *bind;
    struct { const char *type; Loc loc; } as;
    FieldSyntax *fieldb;
}

%token YYEOF 0 "end of file"
%token <str> IDENT "identifier"
%token <str> DOC "doc comment"
%token <num> INTEGER "integer"
%token MODULE "'module'" IN "'in'" OUT "'out'" INOUT "'inout'"
%token STRUCT "'struct'" ENUM "'enum'" FLAGS "'flags'" RESOURCE "'resource'" IMPORT "'import'" THROWS "'throws'"
%token <str> STRING "string literal"
%token INCLUDE "'include'" C_PREFIX "'c_prefix'" CONST "'const'" AS "'as'" PREFIX "'prefix'"
%token BORROWED "'borrowed'" OWNED "'owned'" FAILS "'fails'" WHEN "'when'" OR "'or'"
%token MESSAGE "'message'" RETURNS "'returns'" DROP "'drop'" SELF "'self'" NULL_ "'null'"
%token CALLBACK "'callback'" USER_DATA "'user_data'" STORED "'stored'" JS "'js'" GIVEN "'given'"
%token DEFERRED "'deferred'"
%token ARROW "'->'" EQ "'=='" NE "'!='" LE "'<='" GE "'>='"

%left '+' '-'
%left '*' '/'
%precedence UMINUS

%type <str> doc_opt
%type <type> type
%type <param> param
%type <params> params params_opt
%type <mode> mode
%type <func> func func_body
%type <flag> throws_opt optional enum_kw
%type <field> field
%type <fields> fields
%type <value> value
%type <values> values
%type <snum> enum_int
%type <members> members
%type <str> name kwname kwname_all prefix_opt cmpop given_to
%type <expr> expr init_opt msg
%type <exprs> args args_opt
%type <cond> cond
%type <conds> conds
%type <own> own_opt
%type <bind> clauses
%type <bind> bind_opt
%type <as> as_opt
%type <fieldb> field_opt

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
        /* Until the end of the parse, the lists are the parser's (ctx). */
        else if (m->funcs || ctx->structs.head || ctx->enums.head || ctx->resources.head || ctx->imports.head ||
                 ctx->callbacks.head || ctx->includes.head || ctx->consts.head || m->c_prefix_decl)
            diag_error(ctx->diag, @2, "'module' must be the first declaration");
        else {
            m->loc = @3;
            m->name = $3;
            m->doc = $1;
        }
        ctx->saw_module = true;
    }
    | INCLUDE STRING ';' {
        Include *inc = arena_alloc(ctx->arena, sizeof *inc);
        inc->loc = @2;
        inc->path = $2;
        need_module(ctx, @1);
        APPEND(ctx->includes, inc);
    }
    | C_PREFIX IDENT ';' {
        need_module(ctx, @1);
        if (ctx->module->c_prefix_decl)
            diag_error(ctx->diag, @1, "a second 'c_prefix'; the first is on line %d", ctx->module->c_prefix_loc.line);
        else {
            ctx->module->c_prefix_decl = $2;
            ctx->module->c_prefix_loc = @2;
        }
    }
    | doc_opt CONST type name '=' enum_int ';' {
        Const *c = arena_alloc(ctx->arena, sizeof *c);
        c->loc = @4;
        c->doc = $1;
        c->type = type_ref($3, @3);
        c->name = $4;
        c->value = $6;
        need_module(ctx, @2);
        APPEND(ctx->consts, c);
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
    | doc_opt CALLBACK func {
        $3->doc = $1;
        $3->is_callback = true;
        need_module(ctx, @2);
        APPEND(ctx->callbacks, $3);
    }
    | doc_opt DEFERRED CALLBACK func {
        $4->doc = $1;
        $4->is_callback = true;
        $4->deferred = true;
        need_module(ctx, @2);
        APPEND(ctx->callbacks, $4);
    }
    | doc_opt DEFERRED '(' expr ')' CALLBACK func {
        $7->doc = $1;
        $7->is_callback = true;
        $7->deferred = true;
        $7->deferred_value = $4;
        need_module(ctx, @2);
        APPEND(ctx->callbacks, $7);
    }
    | doc_opt STRUCT IDENT as_opt '{' fields '}' semi_opt {
        Struct *st = arena_alloc(ctx->arena, sizeof *st);
        st->loc = @3;
        st->doc = $1;
        st->name = $3;
        st->fields = $6.head;
        st->c_type = $4.type;
        need_module(ctx, @2);
        APPEND(ctx->structs, st);
    }
    | doc_opt enum_kw IDENT as_opt prefix_opt '{' values comma_opt '}' semi_opt {
        Enum *en = arena_alloc(ctx->arena, sizeof *en);
        en->loc = @3;
        en->doc = $1;
        en->name = $3;
        en->is_flags = $2;
        en->values = $7.head;
        en->c_type = $4.type;
        en->prefix = $5;
        if ($5 && !$4.type)
            diag_error(ctx->diag, @5, "'prefix' names the library's constants: it needs 'as \"C type\"' before it");
        need_module(ctx, @2);
        APPEND(ctx->enums, en);
    }
    | doc_opt RESOURCE IDENT as_opt '{' members '}' semi_opt {
        Resource *r = arena_alloc(ctx->arena, sizeof *r);
        r->loc = @3;
        r->doc = $1;
        r->name = $3;
        r->ctor = $6->ctor;
        r->methods = $6->head;
        r->ctors = $6->chead;
        r->c_type = $4.type;
        r->drop_fn = $6->drop;
        r->drop_loc = $6->drop_loc;
        r->ud_fn = $6->ud;
        r->ud_loc = $6->ud_loc;
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

/* A name: an identifier, or a keyword where nothing else can stand. */
name
    : IDENT
    | kwname_all
    ;

kwname
    : IN { $$ = "in"; } | OUT { $$ = "out"; } | INOUT { $$ = "inout"; }
    | MODULE { $$ = "module"; } | STRUCT { $$ = "struct"; } | ENUM { $$ = "enum"; } | FLAGS { $$ = "flags"; }
    | RESOURCE { $$ = "resource"; } | IMPORT { $$ = "import"; } | THROWS { $$ = "throws"; }
    | INCLUDE { $$ = "include"; } | C_PREFIX { $$ = "c_prefix"; } | CONST { $$ = "const"; }
    | AS { $$ = "as"; } | PREFIX { $$ = "prefix"; } | BORROWED { $$ = "borrowed"; }
    | OWNED { $$ = "owned"; } | FAILS { $$ = "fails"; } | WHEN { $$ = "when"; } | OR { $$ = "or"; }
    | MESSAGE { $$ = "message"; } | RETURNS { $$ = "returns"; } | DROP { $$ = "drop"; }
    | SELF { $$ = "self"; } | CALLBACK { $$ = "callback"; } | USER_DATA { $$ = "user_data"; }
    | DEFERRED { $$ = "deferred"; }
    | STORED { $$ = "stored"; } | JS { $$ = "js"; } | GIVEN { $$ = "given"; }
    ;

kwname_all
    : kwname
    | NULL_ { $$ = "null"; }
    ;

as_opt
    : %empty    { $$.type = NULL; }
    | AS STRING { $$.type = $2; $$.loc = @2; }
    ;

prefix_opt
    : %empty       { $$ = NULL; }
    | PREFIX IDENT { $$ = $2; }
    ;

own_opt
    : BORROWED {
        $$ = arena_alloc(ctx->arena, sizeof *$$);
        $$->own = OWN_BORROWED;
        $$->loc = @1;
    }
    | OWNED '(' IDENT ')' {
        $$ = arena_alloc(ctx->arena, sizeof *$$);
        $$->own = OWN_FREE;
        $$->fn = $3;
        $$->loc = @3;
    }
    | GIVEN given_to {
        diag_error(ctx->diag, @1, "'given' marks a parameter whose object the C function takes; a result is "
                   "owned by its new handle, or says 'borrowed' or 'owned(FN)'");
        $$ = arena_alloc(ctx->arena, sizeof *$$);
        $$->own = OWN_DEFAULT;
        $$->loc = @1;
    }
    ;

given_to
    : %empty          { $$ = NULL; }
    | '(' name ')'    { $$ = $2; }
    ;

func
    : func_body
    | own_opt func_body {
        $$ = $2;
        $$->own = $1->own;
        $$->free_fn = $1->fn;
        $$->own_loc = $1->loc;
    }
    ;

func_body
    : type name '(' params_opt ')' as_opt throws_opt bind_opt ';' {
        $$ = func_new(ctx, @2, NULL, type_ref($1, @1), $2, $4.head, $7);
        $$->ret.c_type = $6.type;
        $$->ret.c_type_loc = $6.loc;
        set_bind($$, $8);
    }
    ;

bind_opt
    : %empty { $$ = NULL; }
    | '=' IDENT clauses {
        $$ = $3;
        $$->fn = $2;
        $$->loc = @2;
    }
    ;

clauses
    : %empty { $$ = arena_alloc(ctx->arena, sizeof *$$); }
    | clauses RETURNS IDENT '(' name ')' {
        $$ = $1;
        if (strcmp($3, "len") != 0)
            diag_error(ctx->diag, @3, "'returns' takes len(array): the out array whose produced length the result is");
        else if ($$->ret)
            diag_error(ctx->diag, @2, "a second 'returns'");
        $$->ret = $5;
        $$->ret_loc = @5;
    }
    | clauses FAILS WHEN conds {
        $$ = $1;
        if ($$->fails)
            diag_error(ctx->diag, @2, "a second 'fails when'; join the conditions with 'or'");
        else
            $$->fails = $4.head;
    }
    | clauses MESSAGE msg {
        $$ = $1;
        if ($$->message)
            diag_error(ctx->diag, @2, "a second 'message'");
        $$->message = $3;
    }
    ;

msg
    : IDENT { $$ = expr_new(ctx, E_NAME, @1); $$->name = $1; }
    | SELF '.' name { $$ = expr_new(ctx, E_FIELD, @3); $$->name = $3; }
    | IDENT '(' args_opt ')' { $$ = expr_call(ctx, @1, $1, $3.head); }
    | IDENT '(' kwname ')' { /* fn(self), fn(out) ... */
        Expr *a = expr_new(ctx, E_NAME, @3);
        a->name = $3;
        $$ = expr_call(ctx, @1, $1, a);
    }
    ;

conds
    : cond          { $$.head = $$.tail = $1; }
    | conds OR cond { $$ = $1; APPEND($$, $3); }
    ;

cond
    : cmpop expr {
        $$ = arena_alloc(ctx->arena, sizeof *$$);
        $$->loc = @1;
        $$->op = $1;
        $$->value = $2;
    }
    ;

cmpop
    : '<' { $$ = "<"; } | '>' { $$ = ">"; } | LE { $$ = "<="; } | GE { $$ = ">="; }
    | EQ { $$ = "=="; } | NE { $$ = "!="; }
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
    : doc_opt type name ';' {
        $$ = arena_alloc(ctx->arena, sizeof *$$);
        $$->loc = @3;
        $$->doc = $1;
        $$->type = type_ref($2, @2);
        $$->name = $3;
    }
    ;

values
    : value            { $$.head = $$.tail = $1; }
    | values ',' value { $$ = $1; APPEND($$, $3); }
    ;

value
    : doc_opt name {
        $$ = arena_alloc(ctx->arena, sizeof *$$);
        $$->loc = @2;
        $$->doc = $1;
        $$->name = $2;
    }
    | doc_opt name '=' enum_int {
        $$ = arena_alloc(ctx->arena, sizeof *$$);
        $$->loc = @2;
        $$->doc = $1;
        $$->name = $2;
        $$->has_value = true;
        $$->value = $4;
    }
    ;

enum_kw
    : ENUM  { $$ = false; }
    | FLAGS { $$ = true; }
    ;

enum_int
    : INTEGER     { $$ = $1 > INT64_MAX ? INT64_MAX : (int64_t)$1; }
    | '-' INTEGER { $$ = $2 > INT64_MAX ? INT64_MIN : -(int64_t)$2; }
    ;

members
    : %empty { $$ = arena_alloc(ctx->arena, sizeof *$$); }
    | members doc_opt IDENT '(' params_opt ')' as_opt bind_opt ';' {
        $$ = $1;
        Func *f = func_new(ctx, @3, $2, (TypeRef){0}, $3, $5.head, false);
        f->is_ctor = true;
        f->ret.loc = @3;
        f->ret.c_type = $7.type;
        f->ret.c_type_loc = $7.loc;
        set_bind(f, $8);
        if (strcmp($3, "new") != 0)
            diag_error(ctx->diag, @3, "method '%s' needs a result type (void if none); only the constructor, 'new', has none", $3);
        else if ($$->ctor)
            diag_error(ctx->diag, @3, "a second constructor; a resource has at most one 'new' (name the others: new NAME(...) = c_function)");
        else
            $$->ctor = f;
    }
    | members DROP '=' IDENT ';' {
        $$ = $1;
        if ($$->drop)
            diag_error(ctx->diag, @2, "a second 'drop'");
        $$->drop = $4;
        $$->drop_loc = @4;
    }
    | members USER_DATA '=' IDENT ';' {
        $$ = $1;
        if ($$->ud)
            diag_error(ctx->diag, @2, "a second 'user_data'");
        $$->ud = $4;
        $$->ud_loc = @4;
    }
    | members doc_opt func {
        $$ = $1;
        Func *f = $3;
        f->doc = $2;
        if (strcmp(f->ret.name, "new") == 0 && !f->ret.is_array && !f->ret.optional && f->own == OWN_DEFAULT) {
            /* new NAME(...) = c_function: a named constructor */
            f->named_ctor = true;
            if (!f->bind)
                diag_error(ctx->diag, f->loc, "named constructor '%s' needs a binding: new %s(...) = c_function;",
                           f->name, f->name);
            if ($$->ctail) $$->ctail->next = f; else $$->chead = f;
            $$->ctail = f;
        } else {
            APPEND(*$$, f);
        }
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
    : mode type name init_opt as_opt field_opt {
        $$ = param_new(ctx, @3, $1, type_ref($2, @2), $3);
        param_tail($$, $4, $5.type, $5.loc, $6);
    }
    | STORED mode type name init_opt as_opt field_opt {
        $$ = param_new(ctx, @4, $2, type_ref($3, @3), $4);
        $$->life = LIFE_STORED;
        param_tail($$, $5, $6.type, $6.loc, $7);
    }
    | STORED '(' name ')' mode type name init_opt as_opt field_opt {
        $$ = param_new(ctx, @7, $5, type_ref($6, @6), $7);
        $$->life = LIFE_OWNED;
        $$->owner_name = $3;
        $$->owner_loc = @3;
        param_tail($$, $8, $9.type, $9.loc, $10);
    }
    | GIVEN given_to mode type name init_opt as_opt field_opt {
        $$ = param_new(ctx, @5, $3, type_ref($4, @4), $5);
        $$->given = true;
        $$->given_to = $2;
        $$->given_loc = $2 ? @2 : @1;
        param_tail($$, $6, $7.type, $7.loc, $8);
    }
    | JS type name {
        $$ = param_new(ctx, @3, MODE_IN, type_ref($2, @2), $3);
        $$->js_only = true;
        $$->js_loc = @1;
    }
    | USER_DATA as_opt {
        TypeRef t;
        memset(&t, 0, sizeof t);
        t.loc = @1;
        t.name = "user_data";
        t.id = T_UNRESOLVED;
        t.c_type = $2.type;
        t.c_type_loc = $2.loc;
        $$ = param_new(ctx, @1, MODE_IN, t, "user_data");
        $$->is_user_data = true;
    }
    | USER_DATA '(' name ')' as_opt {
        TypeRef t;
        memset(&t, 0, sizeof t);
        t.loc = @1;
        t.name = "user_data";
        t.id = T_UNRESOLVED;
        t.c_type = $5.type;
        t.c_type_loc = $5.loc;
        $$ = param_new(ctx, @3, MODE_IN, t, arena_printf(ctx->arena, "user_data_%s", $3));
        $$->is_user_data = true;
        $$->ud_of = $3;
    }
    | SELF {
        TypeRef t;
        memset(&t, 0, sizeof t);
        t.loc = @1;
        t.name = "self";
        t.id = T_UNRESOLVED;
        $$ = param_new(ctx, @1, MODE_IN, t, "self");
        $$->is_self = true;
    }
    | GIVEN given_to SELF {
        diag_error(ctx->diag, @3, "a method cannot give its own object to C ('given self'): bind the C function "
                   "as a function of the module, taking 'given R x' (R the resource)");
        TypeRef t;
        memset(&t, 0, sizeof t);
        t.loc = @3;
        t.name = "self";
        t.id = T_UNRESOLVED;
        $$ = param_new(ctx, @3, MODE_IN, t, "self");
        $$->is_self = true;
    }
    ;

init_opt
    : %empty { $$ = NULL; }
    | '=' expr { $$ = $2; }
    | '=' '&' IDENT '(' name ')' {
        $$ = expr_new(ctx, E_ADDR_LEN, @5);
        $$->name = $5;
        if (strcmp($3, "len") != 0)
            diag_error(ctx->diag, @3, "'&' takes len(array): a pointer to the array's length");
    }
    ;

field_opt
    : %empty { $$ = NULL; }
    | ARROW SELF '.' name '[' SELF '.' name ']' {
        $$ = arena_alloc(ctx->arena, sizeof *$$);
        $$->ptr = $4;
        $$->len = $8;
        $$->loc = @4;
    }
    ;

mode
    : %empty  { $$ = MODE_IN; }
    | IN      { $$ = MODE_IN; }
    | OUT     { $$ = MODE_OUT; }
    | INOUT   { $$ = MODE_INOUT; }
    ;

type
    : IDENT optional             { $$ = (TypeSyntax){$1, NULL, false, $2}; }
    | IDENT '[' ']' optional     { $$ = (TypeSyntax){$1, NULL, true, $4}; }
    | IDENT '[' expr ']'         { $$ = (TypeSyntax){$1, $3, true, false}; }
    ;

optional
    : %empty { $$ = false; }
    | '?'    { $$ = true; }
    ;

expr
    : INTEGER {
        $$ = expr_new(ctx, E_INT, @1);
        $$->value = $1 > INT64_MAX ? INT64_MAX : (int64_t)$1;
        $$->lit = $1;
    }
    | IDENT { $$ = expr_new(ctx, E_NAME, @1); $$->name = $1; }
    | IDENT '(' args_opt ')' { $$ = expr_call(ctx, @1, $1, $3.head); }
    | IDENT '(' kwname ')' {
        Expr *a = expr_new(ctx, E_NAME, @3);
        a->name = $3;
        $$ = expr_call(ctx, @1, $1, a);
    }
    | SELF '.' name { $$ = expr_new(ctx, E_FIELD, @3); $$->name = $3; }
    | NULL_ { $$ = expr_new(ctx, E_NULL, @1); }
    | '(' expr ')' { $$ = $2; }
    | '-' expr %prec UMINUS {
        if ($2->kind == E_INT) { $$ = $2; $$->value = -$$->value; $$->neg = !$$->neg; $$->loc = @1; }
        else { $$ = expr_new(ctx, E_NEG, @1); $$->lhs = $2; }
    }
    | expr '+' expr { $$ = expr_bin(ctx, '+', $1, $3); }
    | expr '-' expr { $$ = expr_bin(ctx, '-', $1, $3); }
    | expr '*' expr { $$ = expr_bin(ctx, '*', $1, $3); }
    | expr '/' expr { $$ = expr_bin(ctx, '/', $1, $3); }
    ;

args_opt
    : %empty { $$.head = $$.tail = NULL; }
    | args
    ;

args
    : expr          { $$.head = $$.tail = $1; }
    | args ',' expr { $$ = $1; APPEND($$, $3); }
    ;

%%

/* Keywords that are also names where a name is expected (`out`, `self` ...). */
static const yysymbol_kind_t name_keywords[] = {
    YYSYMBOL_IN, YYSYMBOL_OUT, YYSYMBOL_INOUT, YYSYMBOL_MODULE, YYSYMBOL_STRUCT, YYSYMBOL_ENUM, YYSYMBOL_FLAGS,
    YYSYMBOL_RESOURCE, YYSYMBOL_IMPORT, YYSYMBOL_THROWS, YYSYMBOL_INCLUDE, YYSYMBOL_C_PREFIX,
    YYSYMBOL_CONST, YYSYMBOL_AS, YYSYMBOL_PREFIX, YYSYMBOL_BORROWED, YYSYMBOL_OWNED, YYSYMBOL_FAILS,
    YYSYMBOL_WHEN, YYSYMBOL_OR, YYSYMBOL_MESSAGE, YYSYMBOL_RETURNS, YYSYMBOL_DROP, YYSYMBOL_SELF,
    YYSYMBOL_NULL_, YYSYMBOL_CALLBACK, YYSYMBOL_USER_DATA, YYSYMBOL_STORED, YYSYMBOL_JS, YYSYMBOL_GIVEN,
    YYSYMBOL_DEFERRED};
enum { NAME_KEYWORDS = sizeof name_keywords / sizeof name_keywords[0] };

/* "syntax error, unexpected X, expecting A or B": where a name is expected,
 * "identifier" stands for the keywords that are names there too; past six
 * possibilities, none is listed. */
static int yyreport_syntax_error(const yypcontext_t *yyctx, yyscan_t scanner, ParseCtx *ctx) {
    (void)scanner;
    enum { MAX = 96 };
    yysymbol_kind_t expected[MAX];
    int n = yypcontext_expected_tokens(yyctx, expected, MAX);
    if (n < 0)
        n = 0;
    int keywords = 0;
    for (int i = 0; i < n; i++)
        for (int k = 0; k < NAME_KEYWORDS; k++)
            keywords += expected[i] == name_keywords[k];
    if (keywords == NAME_KEYWORDS) {
        int m = 0;
        for (int i = 0; i < n; i++) {
            bool kw = false;
            for (int k = 0; k < NAME_KEYWORDS; k++)
                kw |= expected[i] == name_keywords[k];
            if (!kw)
                expected[m++] = expected[i];
        }
        n = m;
    }
    /* The bindings' and callbacks' parameter forms ('js ...', 'stored ...',
     * 'given ...', 'user_data') are not listed: where a parameter may start they would
     * crowd out the rest. */
    int kept = 0;
    for (int i = 0; i < n; i++)
        if (expected[i] != YYSYMBOL_STORED && expected[i] != YYSYMBOL_USER_DATA && expected[i] != YYSYMBOL_JS &&
            expected[i] != YYSYMBOL_GIVEN)
            expected[kept++] = expected[i];
    n = kept;
    char msg[512];
    int len = snprintf(msg, sizeof msg, "syntax error, unexpected %s",
                       yysymbol_name(yypcontext_token(yyctx)));
    for (int i = 0; n <= 6 && i < n && len > 0 && (size_t)len < sizeof msg; i++)
        len += snprintf(msg + len, sizeof msg - (size_t)len, "%s%s", i ? " or " : ", expecting ",
                        yysymbol_name(expected[i]));
    diag_error(ctx->diag, *yypcontext_location(yyctx), "%s", msg);
    return 0;
}

#include "lexer.h"

bool parse_idl(ParseCtx *ctx) {
    yyscan_t scanner;
    if (yylex_init_extra(ctx, &scanner) != 0)
        return false;
    ctx->pos.line = 1;
    ctx->pos.offset = 0;
    ctx->func_tail = &ctx->module->funcs;
    /* (an int: wasmgen_compile refuses a source over WASMGEN_MAX_SOURCE) */
    YY_BUFFER_STATE b = yy_scan_bytes(ctx->diag->src, (int)ctx->diag->src_len, scanner);
    int rc = yyparse(scanner, ctx);
    yy_delete_buffer(b, scanner);
    yylex_destroy(scanner);
    ctx->module->structs = ctx->structs.head;
    ctx->module->enums = ctx->enums.head;
    ctx->module->resources = ctx->resources.head;
    ctx->module->imports = ctx->imports.head;
    ctx->module->callbacks = ctx->callbacks.head;
    ctx->module->includes = ctx->includes.head;
    ctx->module->consts = ctx->consts.head;
    if (rc == 0 && !ctx->saw_module && ctx->diag->errors == 0)
        diag_error(ctx->diag, (Loc){1, 0}, "expected 'module NAME;': the file declares nothing");
    return rc == 0 && ctx->diag->errors == 0;
}
