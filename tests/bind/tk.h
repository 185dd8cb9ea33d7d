/*
 * tk.h - "tinykit", a small image library written the way real C libraries
 * are, for the binding tests (tests/bind/bind.test.mjs): its own names and
 * prefix, its own status codes and message function, structs passed by
 * pointer, lengths as int or size_t in any position, outputs through out
 * pointers, an opaque object with a create/destroy pair, objects owned by
 * their parent, static strings. Nothing in it knows about wasmgen.
 */
#ifndef TK_H
#define TK_H

#include <stddef.h>
#include <stdint.h>

#define TK_VERSION_MAJOR 2
#define TK_MAX_SIDE (1 << 14)

typedef enum tk_status { TK_OK = 0, TK_EINVAL = -22, TK_ENOMEM = -12, TK_ERANGE = -34 } tk_status;
typedef enum tk_channels { TK_GRAY = 1, TK_RGB = 3, TK_RGBA = 4 } tk_channels;

typedef struct tk_desc {
    uint32_t width;
    uint32_t height;
    uint8_t channels;
    uint8_t flags;
} tk_desc;

const char *tk_version(void);
const char *tk_strerror(int status);
/* Why the last call that failed without a status failed (tk_doc_open), or "". */
const char *tk_last_error(void);

/* Sum of `n` bytes; n is an int, after the pointer. */
unsigned long tk_checksum(const unsigned char *data, int n);
/* Length first, then a char pointer. */
int tk_count_char(size_t len, const char *text, char c);
/* Invert `width * height * channels` bytes in place (never checks the buffer). */
void tk_invert(unsigned char *pixels, uint32_t width, uint32_t height, int channels);
/* The size of an image: a struct by pointer in, a size_t through a pointer. */
tk_status tk_image_size(const tk_desc *desc, size_t *out);
/* Parse "WxHxC" into a struct through a pointer; status on failure. */
tk_status tk_parse_desc(const char *text, tk_desc *out);
/* Describe an image: a malloc'ed string the caller frees. */
char *tk_describe(const tk_desc *desc);
/* Fill at most 4 bytes of `dst` with 'n', the count through *len (cap + 1
 * when `lie`, as a buggy library might), and describe it: a malloc'ed
 * string the caller frees. */
char *tk_fill_note(unsigned char *dst, size_t cap, size_t *len, int lie);
/* Free what tk_describe returned, the library's way; how many it freed. */
void tk_release(char *s);
int tk_released(void);
/* Fill `cap` bytes of `dst` with `value`, writing the count through `*len`
 * (may be NULL); returns the count, or a negative status. */
int tk_fill(unsigned char *dst, size_t cap, unsigned char value, size_t *len);
/* Clamp a 16-bit value. */
uint16_t tk_clamp16(uint16_t v, uint16_t max);
/* Encode `n` bytes in hex into a malloc'ed buffer; its length through *out_len. */
tk_status tk_hex(const unsigned char *data, size_t n, char **out, size_t *out_len);

/* The total length of the strings of an argv-style list (up to its NULL),
 * and how many there are through *count. */
size_t tk_total_len(const char *const *parts, int *count);

/* Options, a set of bits the library defines as macros. */
#define TK_OPT_FLIP (1 << 0)
#define TK_OPT_GRAY (1 << 1)
#define TK_OPT_DITHER (1 << 4)
/* The options that apply to an image of `channels` (GRAY only to 3 or 4). */
unsigned tk_opts_for(unsigned opts, int channels);

/* A document with layers: the document owns them. */
typedef struct tk_doc tk_doc;
typedef struct tk_layer tk_layer;
tk_doc *tk_doc_create(const char *title);  /* NULL for an empty title */
tk_doc *tk_doc_open(const tk_desc *desc);   /* NULL when desc is invalid */
void tk_doc_destroy(tk_doc *doc);
int tk_doc_add_layer(tk_doc *doc, const char *name); /* the layer's index, or a status */
const char *tk_doc_error(const tk_doc *doc);        /* why the last call on doc failed */
tk_layer *tk_doc_layer(tk_doc *doc, int index);     /* NULL if none; owned by doc */
const char *tk_doc_title(const tk_doc *doc);        /* inside doc */
const char *tk_layer_name(const tk_layer *layer);   /* inside the layer */
int tk_layer_index(const tk_layer *layer);
tk_doc *tk_layer_doc(const tk_layer *layer);       /* the document it belongs to */
/* Layers are their document's: a binding that destroyed one would call
 * this, which only counts (tk_layer_drops), so that tests can see it. */
void tk_layer_drop(tk_layer *layer);
int tk_layer_drops(void);

/* A note: made alone (its creator owns it), then attached to a document,
 * which owns it from then on (tk_doc_destroy destroys it), or merged into
 * another note, which destroys it: the functions that take a note take its
 * ownership, but only when they succeed. */
typedef struct tk_note tk_note;
tk_note *tk_note_create(const char *text);
void tk_note_destroy(tk_note *note);
tk_note *tk_last_note(void);                      /* the last note made, until it is destroyed (NULL then) */
int tk_note_destroys(void);                      /* how many notes were destroyed */
const char *tk_note_text(const tk_note *note);
/* doc owns `note` from then on; TK_EINVAL (the caller keeps it) for an empty note. */
tk_status tk_doc_attach(tk_doc *doc, tk_note *note);
/* The same, the note first. */
tk_status tk_note_attach_to(tk_note *note, tk_doc *doc);
int tk_doc_notes(const tk_doc *doc);
tk_note *tk_doc_note(tk_doc *doc, int index);    /* NULL if none; owned by doc */
/* Take note `index` out of doc: the caller owns it (NULL if none). */
tk_note *tk_doc_detach_note(tk_doc *doc, int index);
/* A note tk keeps (made on the first call), handed out as a layer that
 * stays tk's (an object that changes type, as a library may hand one out);
 * then taken by the caller as the note it is (tk forgets it). */
tk_layer *tk_kept_as_layer(void);
tk_note *tk_take_kept(void);
/* Append `from`'s text to `into` and destroy `from`; TK_ERANGE (nothing
 * done: the caller keeps `from`) past 32 characters. `from` may be NULL. */
tk_status tk_note_merge(tk_note *into, tk_note *from);
/* The same, `from` first. */
tk_status tk_note_move(tk_note *from, tk_note *into);
/* A document titled and holding `note`, which it takes; NULL (the caller
 * keeps the note) for an empty note. */
tk_doc *tk_doc_from_note(tk_note *note);
/* Destroy `doc`, after reading the name of `layer` (of another document):
 * its length. */
int tk_doc_close(tk_doc *doc, const tk_layer *layer);
/* Destroy `note`, returning the length of its text. */
int tk_note_finish(tk_note *note);
/* Where doc is in memory, so that tests can see an address reused. */
uintptr_t tk_doc_address(const tk_doc *doc);

/* A caller-allocated counter: tk_counter_init, tk_counter_add, tk_counter_fini. */
typedef struct { int64_t total; int calls; int *history; } tk_counter;
tk_status tk_counter_init(tk_counter *c, int start);
tk_status tk_counter_add(tk_counter *c, int amount);
void tk_counter_fini(tk_counter *c);

#endif
