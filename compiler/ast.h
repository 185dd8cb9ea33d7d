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

/* How an out array's length is given. */
typedef enum LenKind { LEN_NONE, LEN_LITERAL, LEN_PARAM, LEN_OF } LenKind;

typedef struct Struct Struct;
typedef struct Enum Enum;
typedef struct Resource Resource;

/* What a type names, once sema has resolved it. */
typedef enum TypeKind {
    TK_UNRESOLVED,
    TK_VOID,
    TK_SCALAR,   /* bool, the integers, i53, the floats: `id` */
    TK_STRING,
    TK_STRUCT,   /* `st` */
    TK_ENUM,     /* `en` */
    TK_RESOURCE  /* `res` */
} TypeKind;

typedef struct TypeRef {
    Loc loc;
    const char *name; /* as written */
    bool is_array;    /* T[] or T[len] */
    bool optional;    /* T? */
    LenKind len_kind;
    uint64_t len_value;   /* LEN_LITERAL */
    const char *len_name; /* LEN_PARAM, LEN_OF: the parameter named */
    Loc len_loc;
    /* resolved by sema */
    TypeKind kind;
    ScalarId id;      /* TK_SCALAR; T_STRING and T_VOID for those kinds */
    Struct *st;
    Enum *en;
    Resource *res;
} TypeRef;

/* The ABI class of a parameter or result: one C shape at the wasm
 * boundary, a row of abi.def. lower.c picks it. */
typedef enum AbiClass {
#define PARAM(id, ...) ABI_##id,
#define RESULT(id, ...) ABI_##id,
#include "abi.def"
#undef PARAM
#undef RESULT
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
    const char *c;    /* %c JS codec */
    const char *d;    /* %d JS element type */
    const char *L;    /* %L an out array's length (JS) */
    const char *K;    /* %K an out array's length (C, the native host) */
    const char *m;    /* %m the module's C prefix */
    const char *r;    /* %r the native host's result parameter */
    const char *view; /* the heap view a return-area read uses: i32, u32, i64, f32, f64 */
    const ScalarInfo *si; /* scalars: %v %w %u */
    bool optional;
    int slot;         /* %s, %a: return-area slot, -1 when none */
} Bind;

typedef struct Param Param;
struct Param {
    Param *next;
    Loc loc;
    const char *name;
    ParamMode mode;
    TypeRef type;
    /* set by sema */
    const char *js_name;  /* camelCase, the key of an out result */
    const char *js_local; /* a valid JS identifier for the argument */
    Param *len_param;     /* LEN_PARAM / LEN_OF: the parameter it names */
    int index;            /* position among the parameters */
    /* set by lower.c */
    AbiClass abi;
    Bind b;
    int slot;             /* return-area slot of an out scalar, else -1 */
    const char *len_note; /* out arrays: their room, for NAME.h */
};

typedef struct Func Func;
struct Func {
    Func *next;
    Loc loc;
    const char *doc; /* NULL or the text of its /// lines */
    const char *name;
    TypeRef ret;
    Param *params;
    bool throws;          /* a trailing wg_error *err reports failure */
    bool is_import;       /* provided by JS, called from C */
    Resource *owner;      /* a method or the constructor of this resource */
    bool is_ctor;
    /* set by sema */
    int nparams;
    const char *js_name;  /* camelCase */
    /* set by lower.c */
    AbiClass ret_abi;
    Bind rb;              /* the result's template values */
    int ret_slot;         /* -1 when returned directly or void */
    int ret_slots;        /* return-area slots the result takes */
    int err_slot;         /* throws: the error record's slot */
    int nslots;           /* return-area slots (0: no return area) */
    bool heap_ret_area;   /* too large for the return-area stack: malloc'ed per call */
    int nresults;         /* result + out parameters */
    bool direct;          /* the single scalar result is the wasm result */
    Param *direct_out;    /* ... and it is this out parameter (else the return) */
    const char *c_name;   /* module_name: the C function */
    const char *export_name; /* the glue's wasm export */
    const char *glue_name;   /* the glue's C function */
    const char *js_fn;    /* the name JS errors use: add, Canvas.fill, Canvas */
    int nargs;            /* JS arguments (in and inout parameters) */
    int nrequired;        /* ... of which the trailing optional ones may be left out */
    int nout_arrays;      /* results that may be given destinations in a trailing object */
    bool temps;           /* marshalling allocates temporaries */
    bool sync;            /* results are read through heap views */
    const char *host_h;   /* the native host's instance parameter: h, unless a parameter is */
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
    const char *c_decl;   /* its member(s) in the C struct */
    bool has_len;         /* ... a pointer and NAME_len, 4 bytes after it */
};

struct Struct {
    Struct *next;
    Loc loc;
    const char *doc;
    const char *name;
    Field *fields;
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

struct Enum {
    Enum *next;
    Loc loc;
    const char *doc;
    const char *name;
    EnumValue *values;
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
};

/* A codec the module declares beyond the structs' and enums' own. */
typedef struct CodecDecl CodecDecl;
struct CodecDecl {
    CodecDecl *next;
    const char *name; /* $L_point */
    const char *init; /* $rt.listType($S_point, false) */
};

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
    /* set by lower.c */
    Struct **ordered_structs; /* after the structs they hold by value */
    int nstructs;
    CodecDecl *codecs;
    const char *c_prefix;     /* of every C name: the module name */
} Module;

#endif
