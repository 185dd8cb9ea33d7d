/*
 * ast.h - the syntax tree the parser builds and sema.c annotates.
 *
 * Everything lives in one arena owned by the compilation, so error recovery
 * never leaks. The parser fills in what the source says; sema.c resolves
 * types, checks the rules and lowers every parameter and result to an ABI
 * class, so emitters only print.
 */
#ifndef COMPILER_AST_H
#define COMPILER_AST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "diag.h"

typedef struct Arena Arena;
Arena *arena_new(void);
void arena_free(Arena *a);
void *arena_alloc(Arena *a, size_t size); /* zeroed */
char *arena_strndup(Arena *a, const char *s, size_t n);
char *arena_printf(Arena *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

typedef enum ScalarId {
#define X(id, idl, c, size, kind, ta, wasm, glue, chk, to, from, ts) T_##id,
#include "types.def"
#undef X
    T_STRING, /* not a scalar, but named like one */
    T_VOID,
    T_UNRESOLVED
} ScalarId;

typedef enum ScalarKind { K_BOOL, K_INT, K_BIG, K_INT53, K_FLOAT } ScalarKind;

typedef struct ScalarInfo {
    const char *idl;
    const char *c;
    unsigned size;
    ScalarKind kind;
    const char *typed_array; /* NULL: no arrays of it */
    const char *wasm;        /* i32 i64 f32 f64 */
    const char *glue_c;      /* the C type the glue passes through wasm */
    const char *js_invalid;  /* JS test, '@' for the value */
    const char *js_to_wasm;
    const char *js_from_wasm;
    const char *ts;
} ScalarInfo;

const ScalarInfo *scalar_info(ScalarId id);
ScalarId scalar_lookup(const char *name);

typedef enum ParamMode { MODE_IN, MODE_OUT, MODE_INOUT } ParamMode;

/* How long JS keeps a callback registered: for the call (the default),
 * until released explicitly (`stored`), or as long as a resource
 * (`stored(self)`, `stored(param)`). */
typedef enum CbLife { LIFE_CALL, LIFE_STORED, LIFE_OWNED } CbLife;

/* How an out array's length is given. */
typedef enum LenKind { LEN_NONE, LEN_LITERAL, LEN_PARAM, LEN_OF, LEN_EXPR } LenKind;

/* An expression of a binding (idl/binding.md): a hidden parameter's value,
 * an array's length, a value a result is compared with. The glue evaluates
 * it in C; integers in 64-bit arithmetic checked for overflow. */
typedef enum ExprKind {
    E_INT,     /* value */
    E_NAME,    /* name: a parameter (param set by sema) or a C constant of the header */
    E_LEN,     /* len(name): the length of array or string parameter `param` */
    E_ADDR_LEN,/* &len(name): a pointer to a local holding it; C updates it */
    E_FIELD,   /* self.name */
    E_NULL,    /* null */
    E_CALL,    /* name(args): a C function of the header */
    E_BIN,     /* lhs op rhs: op is one of + - * / */
    E_NEG      /* -lhs */
} ExprKind;

typedef struct Param Param;
typedef struct Expr Expr;
struct Expr {
    ExprKind kind;
    Loc loc;
    char op;
    bool neg;     /* E_INT: negated ('-' an odd number of times) */
    int64_t value;
    uint64_t lit; /* E_INT: the literal as written, which value saturates at INT64_MAX (its magnitude) */
    const char *name;
    Expr *lhs, *rhs;
    Expr *args, *next; /* E_CALL's arguments, a list */
    Param *param;      /* set by sema for E_NAME, E_LEN, E_ADDR_LEN */
};

/* A comparison of a C result that means failure: `fails when < 0`. */
typedef struct FailCond FailCond;
struct FailCond {
    FailCond *next;
    Loc loc;
    const char *op; /* "<" "<=" ">" ">=" "==" "!=" */
    Expr *value;
};

/* Who owns what a bound function returns. */
typedef enum Ownership { OWN_DEFAULT, OWN_BORROWED, OWN_FREE } Ownership;

typedef struct Struct Struct;
typedef struct Enum Enum;
typedef struct Resource Resource;
typedef struct Func Func;

/* What a type names, once sema has resolved it. */
typedef enum TypeKind {
    TK_UNRESOLVED,
    TK_VOID,
    TK_SCALAR,   /* bool, the integers, i53, the floats: `id` */
    TK_STRING,
    TK_STRUCT,   /* `st` */
    TK_ENUM,     /* `en` */
    TK_RESOURCE, /* `res` */
    TK_CALLBACK  /* `cb`: a callback type, a parameter's only */
} TypeKind;

typedef struct TypeRef {
    const char *name; /* as written */
    Loc loc;
    bool is_array;    /* T[] or T[len] */
    bool optional;    /* T? */
    LenKind len_kind;
    uint64_t len_value;   /* LEN_LITERAL */
    const char *len_name; /* LEN_PARAM, LEN_OF: the parameter named */
    Expr *len_expr;       /* LEN_EXPR, and every length of a bound function */
    Loc len_loc;
    Loc c_type_loc;
    const char *c_type;   /* `as "C type"`: the library's own type, or NULL */
    /* resolved by sema */
    TypeKind kind;
    ScalarId id;      /* TK_SCALAR; T_STRING and T_VOID for those kinds */
    Struct *st;
    Enum *en;
    Resource *res;
    Func *cb;
} TypeRef;

/* The ABI class of a parameter or result: one C shape at the wasm
 * boundary, a row of abi.def. lower.c picks it. */
typedef enum AbiClass {
#define PARAM(id, ...) ABI_##id,
#define RESULT(id, ...) ABI_##id,
#define REV(id, ...) ABI_##id,
#define REV_RESULT(id, ...) ABI_##id,
#include "abi.def"
#undef PARAM
#undef RESULT
#undef REV
#undef REV_RESULT
    ABI_COUNT
} AbiClass;

/* The values of abi.def's template codes for one parameter or result,
 * filled in by lower.c (see abi.def for the codes). */
typedef struct Bind {
    const char *n;    /* %n C name */
    const char *t;    /* %t C value type */
    const char *e;    /* %e C element type */
    const char *g;    /* %g glue C type */
    const char *y;    /* %y IDL type name */
    const char *l;    /* %l JS local */
    const char *j;    /* %j JS name */
    const char *f;    /* %f JS function name */
    const char *F;    /* %F the same in JS code: $f in the function's own code, else a literal */
    const char *c;    /* %c JS codec */
    const char *C;    /* %C the C type a bound function's prototype has */
    const char *E;    /* %E a binding's C expression (value, capacity) */
    const char *P;    /* %P a field the value goes to (self->next_in), or the parent handle */
    const char *Q;    /* %Q the field its length goes to, or an out array's name */
    const char *K;    /* %K ", $x.FREE" when a named function frees a result */
    const char *r;    /* %r JS resource type (a resource result's) */
    const char *J;    /* %J the JS registration of a callback argument (its id) */
    const char *Z;    /* %Z the C function pointer a callback argument passes (a trampoline) */
    const char *h;    /* %h the native host's declaration of a callback argument */
    const char *k;    /* %k the native host's registration of a callback argument (its id) */
    const char *d;    /* %d JS element type */
    const char *L;    /* %L an out array's length (JS) */
    const char *H;    /* %H an out array's length (C, the native host) */
    const char *m;    /* %m the module's C prefix */
    const char *R;    /* %R the native host's result parameter */
    const char *view; /* the heap view a return-area read uses: i32, u32, i64, f32, f64 */
    const ScalarInfo *si; /* scalars: %v %w %u */
    bool optional;
    int slot;         /* %s, %a: return-area slot, -1 when none */
    int err_slot;     /* %N: a throwing function's error slot, -1 when none */
} Bind;

/* The members are ordered so that small ones share words: the tree holds
 * one Param per parameter, so its size is most of the compiler's memory. */
struct Param {
    Param *next;
    const char *name;
    Loc loc;
    ParamMode mode;
    TypeRef type;
    Expr *value;          /* `= expr`: computed by the glue (in: before, out: after the call) */
    const char *field_ptr, *field_len; /* `-> self.ptr[self.len]` */
    Loc field_loc;
    Loc js_loc;
    bool is_self;         /* `self`: the resource, placed among the C parameters */
    bool synthetic;       /* made by lower.c (a method's self) */
    bool js_only;         /* `js T name`: JS passes it, the C function does not take it */
    /* set by sema */
    bool in_expr;         /* named by an expression of its function */
    int index;            /* position among the parameters */
    const char *js_name;  /* camelCase, the key of an out result */
    const char *js_local; /* a valid JS identifier for the argument */
    Param *len_param;     /* LEN_PARAM / LEN_OF: the parameter it names */
    /* set by lower.c */
    AbiClass abi;
    int slot;             /* return-area slot of an out scalar, else -1 */
    Bind b;
    const char *len_note; /* out arrays: their room, for NAME.h */
    /* callbacks (a parameter of callback type, or of a callback's signature) */
    CbLife life;          /* a callback argument: how long it stays registered */
    bool is_user_data;    /* `user_data`: in a callback, where C passes the user data;
                             `user_data(NAME)` in a function: NAME's user data */
    bool given;           /* `given`, `given(NAME)`: see given_to */
    Loc owner_loc;
    const char *owner_name; /* `stored(NAME)`: the resource that owns it (`self` or a parameter) */
    Param *owner;         /* ... the parameter (sema), NULL for self */
    const char *ud_of;    /* `user_data(NAME)`: the callback parameter */
    Param *ud_param;      /* ... resolved (sema) */
    Param *len_of;        /* in a callback: this parameter is the length of that one */
    Param *cb_len;        /* in a callback: ... and that one's length is this */
    /* `given`, `given(NAME)`: a resource argument whose object the bound C
     * function takes: consumed, or from then on NAME's (`self` or a parameter) */
    Loc given_loc;
    const char *given_to; /* NAME, or NULL: consumed */
    Param *given_owner;   /* ... the parameter (sema), NULL for self or none */
};

struct Func {
    Func *next;
    const char *doc; /* NULL or the text of its /// lines */
    const char *name;
    Loc loc;
    bool throws;          /* a trailing wg_error *err reports failure */
    bool is_import;       /* provided by JS, called from C */
    bool is_callback;     /* `callback`: a signature of JS functions C calls through a pointer */
    bool deferred;        /* `deferred callback`: its exception waits until C returns to the call */
    bool settles;         /* a call whose C may run a deferred callback: its exception is thrown after it */
    bool is_ctor;         /* the constructor of `owner` */
    bool named_ctor;      /* `new NAME(...)` in a resource: a static method */
    Expr *deferred_value; /* deferred(VALUE): what C gets from it once one has thrown (parser) */
    int64_t deferred_int; /* ... as the wasm result's integer (sema: an enum's value, bool 0 or 1, a u64's bits) */
    TypeRef ret;
    Param *params;
    Resource *owner;      /* a method or the constructor of this resource */
    /* a binding: `= c_function ...` */
    const char *bind;     /* the C function (or function-like macro) called, or NULL */
    FailCond *fails;      /* `fails when ...` */
    Expr *message;        /* `message FN` (E_NAME) or `message self.FIELD` (E_FIELD) */
    const char *returns_len; /* `returns len(x)`: the result is x's produced length */
    Param *returns_param;
    const char *free_fn;  /* OWN_FREE: the function that frees the result */
    Loc bind_loc;
    Loc returns_loc;
    Loc own_loc;
    Ownership own;        /* `borrowed` / `owned(FN)` */
    /* set by sema */
    int nparams;
    const char *js_name;  /* camelCase */
    /* set by lower.c */
    AbiClass ret_abi;
    int ret_slot;         /* -1 when returned directly or void */
    Bind rb;              /* the result's template values */
    int ret_slots;        /* return-area slots the result takes */
    int err_slot;         /* throws: the error record's slot */
    int nslots;           /* return-area slots (0: no return area) */
    int nresults;         /* result + out parameters */
    int nargs;            /* JS arguments (in and inout parameters) */
    int nrequired;        /* ... of which the trailing optional ones may be left out */
    int nout_arrays;      /* results that may be given destinations in a trailing object */
    bool heap_ret_area;   /* too large for the return-area stack: malloc'ed per call */
    bool direct;          /* the single scalar result is the wasm result */
    bool temps;           /* marshalling allocates temporaries or pins handles: mark and release */
    bool sync;            /* results are read through heap views */
    Param *direct_out;    /* ... and it is this out parameter (else the return) */
    const char *c_name;   /* module_name: the C function */
    const char *export_name; /* the glue's wasm export */
    const char *glue_name;   /* the glue's C function */
    const char *js_fn;    /* the name JS errors use: add, Canvas.fill, Canvas */
    const char *c_proto;  /* a binding: "RET (PARAMS)", the prototype it must match */
    const char *fail_test;/* C: the condition on wg_r that means failure */
    const char *fail_code;/* C: the error's code */
    const char *fail_msg; /* C: its message (a const char *), or NULL */
    const char *free_export; /* OWN_FREE: the glue's export that frees a result */
    const char *host_h;   /* the native host's instance parameter: h, unless a parameter is */
    /* callbacks and imports C calls through the glue (lower.c) */
    Param *ud;            /* a callback's `user_data` parameter, or NULL */
    int cb_index;         /* a callback's number in the module, from 0 */
    bool wrapped;         /* the C function JS provides is reached through the glue (a trampoline,
                             or an import whose values need more than wasm arguments) */
    bool raw_ret;         /* ... which writes the result at a pointer passed first (raw_name) */
    bool calls_back;      /* takes callbacks: the glue holds what it allocates while C runs */
    bool checked;         /* a binding whose glue reports failures in the error record */
    const char *ts_name;  /* a callback's TypeScript type: Compare */
    const char *cb_codec; /* $K_compare: its JS descriptor */
    const char *tramp;    /* wg_cb_compare: its trampoline, a C function of the library's type */
    const char *c_type;   /* m_compare: the typedef of its function pointer */
    const char *raw_name; /* ... the wasm import the glue calls */
};

/* A struct field. */
typedef struct Field Field;
struct Field {
    Field *next;
    Loc loc;
    const char *doc;
    const char *name;
    TypeRef type;
    /* set by sema */
    const char *js_name;
    uint32_t offset;      /* in the wasm32 layout */
    /* set by lower.c */
    const char *js_codec; /* the field's codec expression */
    const char *js_read;  /* its value in the struct's specialized reader */
    const char *c_decl;   /* its member(s) in the C struct */
    bool has_len;         /* ... a pointer and NAME_len, 4 bytes after it */
};

struct Struct {
    Struct *next;
    Loc loc;
    const char *doc;
    const char *name;
    Field *fields;
    const char *c_type;  /* `as "qoi_desc"`: the library's struct, layout checked */
    /* set by sema */
    const char *ts_name; /* Point */
    uint64_t size;       /* in the wasm32 layout, checked to fit 2^31 */
    unsigned align;
    int state;           /* layout: 0 not done, 1 in progress, 2 done */
    int order;           /* position in dependency order */
    /* set by lower.c */
    const char *c_name;  /* m_point */
    const char *codec;   /* $S_point */
    bool used_as_list;   /* needs m_point_array */
    unsigned nfields;
};

typedef struct EnumValue EnumValue;
struct EnumValue {
    EnumValue *next;
    Loc loc;
    const char *doc;
    const char *name;
    bool has_value;
    int64_t value;
    const char *c_name; /* M_COLOR_RED (lower.c) */
};

/* `const T NAME = VALUE;`: a constant of the library's header, exported to JS. */
typedef struct Const Const;
struct Const {
    Const *next;
    Loc loc;
    const char *doc;
    const char *name; /* the C name, also the JS export */
    TypeRef type;
    int64_t value;
};

/* `include "x.h";` */
typedef struct Include Include;
struct Include {
    Include *next;
    Loc loc;
    const char *path;
};

struct Enum {
    Enum *next;
    Loc loc;
    const char *doc;
    const char *name;
    EnumValue *values;
    bool is_flags;       /* `flags`: a set of bits; JS passes and gets a list of names */
    const char *c_type;  /* `as "int"`: the library's type; its values are its constants */
    const char *prefix;  /* `prefix Z_`: a value's C name is prefix + its name */
    const char *ts_name; /* Color (sema) */
    const char *c_name;  /* m_color (lower.c) */
    const char *codec;   /* $E_color (lower.c) */
};

struct Resource {
    Resource *next;
    Loc loc;
    const char *doc;
    const char *name;
    Func *ctor;    /* NULL: made only by functions that return it */
    Func *methods;
    Func *ctors;   /* named constructors `new NAME(...) = fn`: static methods */
    const char *c_type;  /* `as "cJSON"`: the library's type */
    const char *drop_fn; /* `drop = cJSON_Delete;` */
    const char *ud_fn;   /* `user_data = XML_SetUserData;`: sets the object's callbacks' user data */
    Loc ud_loc;
    Loc drop_loc;
    bool caller_allocated; /* its constructor takes `self`: the glue allocates sizeof(T) */
    /* set by sema */
    const char *js_name; /* Canvas */
    int kind;            /* its destructor's number in the free-on-finalize queue, from 1 */
    /* set by lower.c */
    const char *c_name;      /* m_canvas */
    const char *codec;       /* $R_canvas: the runtime's resource type */
    const char *wrap;        /* $W_canvas: a new handle for a returned pointer */
    const char *cls;         /* $C_canvas: the JS class */
    const char *new_fn;      /* $new_canvas: the constructor's call */
    const char *drop_export; /* wg_r_canvas_drop: the destructor's export */
    const char *drop_glue;   /* wg__m_canvas_drop: its glue function */
    const char *drop_stmt;   /* the C statement(s) destroying `self` */
    const char *drop_queued; /* ... destroying `ptr`, from the free-on-finalize queue */
    const char *borrow_wrap; /* $B_canvas: a borrowed handle for a returned pointer */
    bool borrowed;           /* some function returns it borrowed */
    bool given;              /* some function takes its object (`given`) */
};

/* A codec the module declares beyond the structs' and enums' own. */
typedef struct CodecDecl CodecDecl;
struct CodecDecl {
    CodecDecl *next;
    const char *name; /* $L_point */
    const char *init; /* $rt.listType($S_point, false) */
};

/* The wasm export of a function freeing results (owned(FN)): this, then FN. */
#define FREE_FN_EXPORT "wg_x_free_"

typedef struct Module {
    Loc loc;
    const char *doc;
    const char *name;
    const char *ts_name; /* set by sema: ArraysModule */
    Func *funcs;
    int nfuncs;
    Struct *structs;
    Enum *enums;
    Resource *resources;
    Func *imports;
    Func *callbacks;     /* `callback` signatures */
    int ncallbacks;
    Include *includes;   /* library headers: the module binds a library */
    Const *consts;
    const char *c_prefix_decl; /* `c_prefix NAME;` */
    Loc c_prefix_loc;
    /* set by lower.c */
    Struct **ordered_structs; /* after the structs they hold by value */
    int nstructs;
    CodecDecl *codecs;
    const char *c_prefix;     /* of every C name and the header's file name: c_prefix, or the module name */
    bool binds;               /* includes a library header */
    bool defers;              /* has a deferred callback (lower.c) */
    const char **free_fns;    /* named functions freeing results, each given an export (FREE_FN_EXPORT) */
    int nfree_fns;
    bool handles;             /* JS can meet a handle (a WasmArray or a resource): see module_has_handles */
    bool borrows;             /* a borrowed resource handle can be made: see module_borrows */
} Module;

#endif
