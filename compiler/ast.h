/*
 * ast.h - the syntax tree the parser builds and sema.c annotates.
 *
 * Everything lives in one arena owned by the compilation, so error recovery
 * never leaks. The parser fills in what the source says; sema.c resolves
 * types, checks the rules and lowers every parameter and result to an ABI
 * class, so emitters only print.
 */
#ifndef WG_AST_H
#define WG_AST_H

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

/* The ABI class of a parameter or result: what crosses the boundary. */
typedef enum AbiClass {
    ABI_NONE,       /* void result */
    ABI_SCALAR,     /* a value, direct */
    ABI_STRING_IN,  /* ptr + len of a NUL-terminated UTF-8 copy the JS makes */
    ABI_ARRAY_IN,   /* ptr + len: a copy, or a WasmArray passed by pointer */
    ABI_ARRAY_INOUT,/* ptr + len, copied back into a JS-owned typed array */
    ABI_OUT_SCALAR, /* a pointer to a glue local, read back from a slot */
    ABI_OUT_ARRAY,  /* a buffer the JS allocates, handed back as a WasmArray */
    ABI_RET_STRING, /* an owned char *: decoded, then freed */
    ABI_RET_ARRAY,  /* an owned wg_T_array: a WasmArray handle, zero-copy */
    /* Values the JS runtime reads and writes with a codec (a layout
     * descriptor the generated module declares): */
    ABI_CODEC_IN,   /* struct, list (string[], point[]), T? scalar: a pointer
                       (+ len for lists) to an image the JS builds */
    ABI_CODEC_RET,  /* returned struct, struct?, list, T? scalar: read, then freed */
    ABI_ENUM_IN,    /* an enum: its value, from the JS string */
    ABI_RESOURCE_IN,/* a borrowed resource: its pointer */
    ABI_RET_RESOURCE/* an owned resource pointer: a new handle */
} AbiClass;

typedef struct Param Param;
struct Param {
    Param *next;
    Loc loc;
    const char *name;
    ParamMode mode;
    TypeRef type;
    /* set by sema */
    AbiClass abi;
    const char *js_name;  /* camelCase, the key of an out result */
    const char *js_local; /* a valid JS identifier for the argument */
    int slot;             /* return-area slot of an out scalar, else -1 */
    const char *codec;    /* ABI_CODEC_IN: the JS codec's name ($S_point, ...) */
    Param *len_param;     /* LEN_PARAM / LEN_OF: the parameter it names */
    int index;            /* position among the parameters */
};

typedef struct Func Func;
struct Func {
    Func *next;
    Loc loc;
    const char *doc; /* NULL or the text of its /// lines */
    const char *name;
    TypeRef ret;
    Param *params;
    /* set by sema */
    AbiClass ret_abi;
    int ret_slot;         /* -1 when returned directly or void */
    int nparams;
    int nslots;           /* return-area slots (0: no return area) */
    int nresults;         /* result + out parameters */
    bool direct;          /* the single scalar result is the wasm result */
    Param *direct_out;    /* ... and it is this out parameter (else the return) */
    const char *c_name;   /* module_name */
    const char *js_name;  /* camelCase */
    const char *export_name;
    bool throws;          /* a trailing wg_error *err reports failure */
    bool is_import;       /* provided by JS, called from C */
    Resource *owner;      /* a method or the constructor of this resource */
    bool is_ctor;
    const char *ret_codec;/* ABI_CODEC_RET: the JS codec's name */
    int ret_slots;        /* return-area slots the result takes */
    int err_slot;         /* throws: the error record's slot */
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
    unsigned offset; /* in the wasm32 layout */
};

struct Struct {
    Struct *next;
    Loc loc;
    const char *doc;
    const char *name;
    Field *fields;
    /* set by sema */
    const char *c_name;  /* m_point */
    const char *ts_name; /* Point */
    unsigned size, align;
    int state;           /* layout: 0 not done, 1 in progress, 2 done */
    int order;           /* position in dependency order */
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
    const char *c_name; /* M_COLOR_RED */
};

struct Enum {
    Enum *next;
    Loc loc;
    const char *doc;
    const char *name;
    EnumValue *values;
    const char *c_name;  /* m_color */
    const char *ts_name; /* Color */
};

struct Resource {
    Resource *next;
    Loc loc;
    const char *doc;
    const char *name;
    Func *ctor;    /* NULL: made only by functions that return it */
    Func *methods;
    /* set by sema */
    const char *c_name;  /* m_canvas */
    const char *js_name; /* Canvas */
    int kind;            /* its destructor's number in the free-on-finalize queue, from 1 */
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
} Module;

#endif
