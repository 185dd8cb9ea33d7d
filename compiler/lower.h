/*
 * lower.h - the wasm boundary, decided once. After sema has checked a
 * module, lower_module gives every parameter and result its ABI class (a
 * row of abi.def) and the values of the row's template codes, and fills in
 * everything the printers need: counts, return-area slots, the struct
 * order, the codecs, and every generated name. Printers expand rows.
 */
#ifndef COMPILER_LOWER_H
#define COMPILER_LOWER_H

#include "ast.h"
#include "buf.h"

/* The numbers the runtimes and the generated code share (runtime.def):
 * RUNTIME_VERSION, RET_STACK_BYTES. */
enum {
#define K(c, js, value, doc) js = value,
#define M(...)
#include "runtime.def"
#undef K
#undef M
};

enum {
    A_IN = 1 << 0,
    A_OUT = 1 << 1,
    A_LEN = 1 << 2,
    A_TEMP = 1 << 3,
    A_CHECK = 1 << 4,
    A_VIEW = 1 << 5,
    A_HANDLE = 1 << 6,
    A_NULL = 1 << 7,
    A_DEST = 1 << 8,
    A_SLOT = 1 << 9,
    A_NORET = 1 << 10,
    A_PIN = 1 << 11,
    A_ALLOC = 1 << 12,
    A_GIVE = 1 << 13,
};

/* One row of abi.def. A parameter class fills the first group, a result
 * class the second; what a class does not have is NULL. */
typedef struct AbiRow {
    const char *id;
    unsigned flags;
    const char *c_decl;      /* parameters: the C declaration; results: the C type */
    /* parameters */
    const char *glue_param;
    const char *call_arg;
    const char *glue_local;
    const char *glue_store;  /* also results */
    const char *js_marshal;
    const char *js_arg;
    const char *js_after;
    const char *js_result;   /* also results */
    const char *import_param;
    const char *import_decode;
    const char *glue_before;  /* bindings: before the call */
    const char *glue_after;   /* also results: after it succeeded */
    const char *glue_cleanup; /* when it failed */
    /* results */
    const char *c_note;
    const char *glue_type;
    const char *glue_direct;
    const char *import_return;
    const char *js_drop;      /* results: free, unread, what a failed call's result owns */
    /* the native host (emit_host.c): parameters */
    const char *host_decl;      /* also results */
    const char *host_marshal;
    const char *host_arg;
    const char *host_after;
    const char *host_import_param;
    const char *host_import_decode;
    const char *host_import_arg;
    const char *host_import_free;
    /* results */
    const char *host_result;
    const char *host_view_decl;
    const char *host_view_result;
    const char *host_import_type;
    const char *host_import_wasm;
    const char *host_import_return;
    /* the reverse direction (REV rows) */
    const char *raw_param;   /* the raw import's C parameters */
    const char *raw_arg;     /* ... its arguments, from the C parameters */
    const char *raw_type;    /* results: the raw import's C result type (NULL: written at a pointer) */
    const char *raw_value;   /* results: the C result, from the raw one (%x) */
} AbiRow;

extern const AbiRow abi_rows[ABI_COUNT];
static inline const AbiRow *abi_row(AbiClass c) { return &abi_rows[c]; }

static inline bool abi_has(AbiClass c, unsigned flag) { return (abi_row(c)->flags & flag) != 0; }

/* Print `tmpl` with its codes replaced from `b`; `x` is the value (%x, %u).
 * `subject` is what %v and %w test and convert (NULL: the JS local). Each
 * line after a '\n' in the template starts with `indent` spaces. */
void abi_expand(Buf *out, const char *tmpl, const Bind *b, const char *x, const char *subject,
                int indent);

/* The return-area read of a slot value: $rt.f64[($r + 8) >>> 3]. */
void abi_slot_read(Buf *out, const Bind *b);

/* Does JS get the function's C result? */
static inline bool abi_returns(const Func *f) {
    return f->ret_abi != ABI_NONE && !abi_has(f->ret_abi, A_NORET);
}

/* Lower a module sema has accepted. Everything is allocated in `arena`. */
void lower_module(Module *m, Arena *arena);

#endif
