/* tk.c - the implementation of tk.h (a test library; see tk.h). */
#include "tk.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct tk_layer { char *name; int index; tk_doc *doc; };
struct tk_note { char text[33]; };
struct tk_doc { char *title; tk_layer *layers; int nlayers; const char *error; tk_note **notes; int nnotes; };

const char *tk_version(void) { return "tinykit 2.1"; }

const char *tk_strerror(int status) {
    switch (status) {
    case TK_OK: return "ok";
    case TK_EINVAL: return "invalid argument";
    case TK_ENOMEM: return "out of memory";
    case TK_ERANGE: return "out of range";
    default: return "unknown error";
    }
}

unsigned long tk_checksum(const unsigned char *data, int n) {
    unsigned long s = 0;
    for (int i = 0; i < n; i++)
        s += data[i];
    return s;
}

int tk_count_char(size_t len, const char *text, char c) {
    int n = 0;
    for (size_t i = 0; i < len; i++)
        n += text[i] == c;
    return n;
}

void tk_invert(unsigned char *pixels, uint32_t width, uint32_t height, int channels) {
    size_t n = (size_t)width * height * (size_t)channels;
    for (size_t i = 0; i < n; i++)
        pixels[i] = (unsigned char)(255 - pixels[i]);
}

static int valid(const tk_desc *d) {
    return d->width > 0 && d->height > 0 && d->width <= TK_MAX_SIDE && d->height <= TK_MAX_SIDE &&
           (d->channels == TK_GRAY || d->channels == TK_RGB || d->channels == TK_RGBA);
}

tk_status tk_image_size(const tk_desc *desc, size_t *out) {
    if (!valid(desc))
        return TK_EINVAL;
    *out = (size_t)desc->width * desc->height * desc->channels;
    return TK_OK;
}

tk_status tk_parse_desc(const char *text, tk_desc *out) {
    unsigned w, h, c;
    if (sscanf(text, "%ux%ux%u", &w, &h, &c) != 3)
        return TK_EINVAL;
    out->width = w;
    out->height = h;
    out->channels = (uint8_t)c;
    out->flags = 1;
    return valid(out) ? TK_OK : TK_ERANGE;
}

char *tk_fill_note(unsigned char *dst, size_t cap, size_t *len, int lie) {
    size_t n = cap < 4 ? cap : 4;
    memset(dst, 'n', n);
    *len = lie ? cap + 1 : n;
    char *s = malloc(32);
    snprintf(s, 32, "filled %zu", n);
    return s;
}

static int released;

void tk_release(char *s) {
    if (s != NULL)
        released++;
    free(s);
}

int tk_released(void) { return released; }

char *tk_describe(const tk_desc *desc) {
    char *s = malloc(64);
    if (s)
        snprintf(s, 64, "%ux%u, %u channels", (unsigned)desc->width, (unsigned)desc->height,
                 (unsigned)desc->channels);
    return s;
}

int tk_fill(unsigned char *dst, size_t cap, unsigned char value, size_t *len) {
    size_t n = cap > 10 ? 10 : cap; /* fills at most 10 */
    memset(dst, value, n);
    if (len)
        *len = n;
    return (int)n;
}

uint16_t tk_clamp16(uint16_t v, uint16_t max) { return v > max ? max : v; }

tk_status tk_hex(const unsigned char *data, size_t n, char **out, size_t *out_len) {
    static const char digits[] = "0123456789abcdef";
    char *s = malloc(2 * n + 1);
    if (!s)
        return TK_ENOMEM;
    for (size_t i = 0; i < n; i++) {
        s[2 * i] = digits[data[i] >> 4];
        s[2 * i + 1] = digits[data[i] & 15];
    }
    s[2 * n] = 0;
    *out = s;
    *out_len = 2 * n;
    return TK_OK;
}

tk_doc *tk_doc_create(const char *title) {
    if (!*title)
        return NULL;
    tk_doc *d = calloc(1, sizeof *d);
    d->title = strdup(title);
    return d;
}

static char last_error[96];

const char *tk_last_error(void) { return last_error; }

tk_doc *tk_doc_open(const tk_desc *desc) {
    if (!valid(desc)) {
        snprintf(last_error, sizeof last_error, "invalid image %ux%ux%u", (unsigned)desc->width,
                 (unsigned)desc->height, (unsigned)desc->channels);
        return NULL;
    }
    char title[64];
    snprintf(title, sizeof title, "%ux%u", (unsigned)desc->width, (unsigned)desc->height);
    return tk_doc_create(title);
}

void tk_doc_destroy(tk_doc *doc) {
    for (int i = 0; i < doc->nnotes; i++)
        tk_note_destroy(doc->notes[i]);
    free(doc->notes);
    for (int i = 0; i < doc->nlayers; i++)
        free(doc->layers[i].name);
    free(doc->layers);
    free(doc->title);
    free(doc);
}

const char *tk_doc_error(const tk_doc *doc) { return doc->error ? doc->error : ""; }

int tk_doc_add_layer(tk_doc *doc, const char *name) {
    if (!*name) {
        doc->error = "a layer needs a name";
        return TK_EINVAL;
    }
    tk_layer *l = realloc(doc->layers, (size_t)(doc->nlayers + 1) * sizeof *l);
    if (!l)
        return TK_ENOMEM;
    doc->layers = l;
    l[doc->nlayers].name = strdup(name);
    l[doc->nlayers].index = doc->nlayers;
    l[doc->nlayers].doc = doc;
    return doc->nlayers++;
}

tk_layer *tk_doc_layer(tk_doc *doc, int index) {
    return index >= 0 && index < doc->nlayers ? &doc->layers[index] : NULL;
}

const char *tk_doc_title(const tk_doc *doc) { return doc->title; }
const char *tk_layer_name(const tk_layer *layer) { return layer->name; }
int tk_layer_index(const tk_layer *layer) { return layer->index; }
tk_doc *tk_layer_doc(const tk_layer *layer) { return layer->doc; }

static int layer_drops;

void tk_layer_drop(tk_layer *layer) {
    (void)layer;
    layer_drops++;
}

int tk_layer_drops(void) { return layer_drops; }

tk_status tk_counter_init(tk_counter *c, int start) {
    if (start < 0)
        return TK_ERANGE;
    c->total = start;
    c->history = malloc(16 * sizeof *c->history);
    return c->history ? TK_OK : TK_ENOMEM;
}

tk_status tk_counter_add(tk_counter *c, int amount) {
    if (c->calls == 16)
        return TK_ERANGE;
    c->history[c->calls++] = amount;
    c->total += amount;
    return TK_OK;
}

void tk_counter_fini(tk_counter *c) { free(c->history); }

size_t tk_total_len(const char *const *parts, int *count) {
    size_t total = 0;
    int n = 0;
    for (; parts[n] != NULL; n++)
        total += strlen(parts[n]);
    *count = n;
    return total;
}

unsigned tk_opts_for(unsigned opts, int channels) {
    return channels >= 3 ? opts : opts & ~(unsigned)TK_OPT_GRAY;
}

static int note_destroys;

static tk_note *last_note;

tk_note *tk_note_create(const char *text) {
    tk_note *n = calloc(1, sizeof *n);
    if (n)
        snprintf(n->text, sizeof n->text, "%s", text);
    last_note = n;
    return n;
}

void tk_note_destroy(tk_note *note) {
    note_destroys++;
    if (note == last_note)
        last_note = NULL;
    free(note);
}

tk_note *tk_last_note(void) { return last_note; }

int tk_note_destroys(void) { return note_destroys; }
const char *tk_note_text(const tk_note *note) { return note->text; }

tk_status tk_doc_attach(tk_doc *doc, tk_note *note) {
    if (!note->text[0])
        return TK_EINVAL;
    tk_note **n = realloc(doc->notes, (size_t)(doc->nnotes + 1) * sizeof *n);
    if (!n)
        return TK_ENOMEM;
    doc->notes = n;
    n[doc->nnotes++] = note;
    return TK_OK;
}

tk_status tk_note_attach_to(tk_note *note, tk_doc *doc) { return tk_doc_attach(doc, note); }

int tk_doc_notes(const tk_doc *doc) { return doc->nnotes; }

tk_note *tk_doc_note(tk_doc *doc, int index) {
    return index >= 0 && index < doc->nnotes ? doc->notes[index] : NULL;
}

tk_note *tk_doc_detach_note(tk_doc *doc, int index) {
    if (index < 0 || index >= doc->nnotes)
        return NULL;
    tk_note *n = doc->notes[index];
    memmove(doc->notes + index, doc->notes + index + 1, (size_t)(doc->nnotes - index - 1) * sizeof *doc->notes);
    doc->nnotes--;
    return n;
}

static tk_note *kept_note;
tk_layer *tk_kept_as_layer(void) {
    if (!kept_note)
        kept_note = tk_note_create("kept");
    return (tk_layer *)kept_note;
}
tk_note *tk_take_kept(void) {
    tk_note *n = (tk_note *)tk_kept_as_layer();
    kept_note = NULL;
    return n;
}

tk_status tk_note_merge(tk_note *into, tk_note *from) {
    if (!from)
        return TK_OK;
    if (strlen(into->text) + strlen(from->text) >= sizeof into->text)
        return TK_ERANGE;
    strcat(into->text, from->text);
    tk_note_destroy(from);
    return TK_OK;
}

tk_status tk_note_move(tk_note *from, tk_note *into) { return tk_note_merge(into, from); }

int tk_note_finish(tk_note *note) {
    int n = (int)strlen(note->text);
    tk_note_destroy(note);
    return n;
}

tk_doc *tk_doc_from_note(tk_note *note) {
    if (!note->text[0])
        return NULL;
    tk_doc *d = tk_doc_create(note->text);
    if (d && tk_doc_attach(d, note) != TK_OK) {
        tk_doc_destroy(d);
        return NULL;
    }
    return d;
}

int tk_doc_close(tk_doc *doc, const tk_layer *layer) {
    int n = (int)strlen(tk_layer_name(layer));
    tk_doc_destroy(doc);
    return n;
}

uintptr_t tk_doc_address(const tk_doc *doc) { return (uintptr_t)doc; }
