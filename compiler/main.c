/* main.c - the wasmgen command line: read the IDL, compile it in memory,
 * and write the outputs only when everything succeeded. */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "emit.h"
#include "wasmgen.h"

/* The --emit keys, from the target table, once each: "h, c, js, dts". */
static const char *emit_keys(const char *sep) {
    static char keys[256];
    keys[0] = '\0';
    for (size_t i = 0; i < emit_ntargets; i++) {
        bool seen = false;
        for (size_t j = 0; j < i; j++)
            seen |= strcmp(emit_targets[j].key, emit_targets[i].key) == 0;
        if (seen)
            continue;
        if (keys[0])
            strncat(keys, sep, sizeof keys - strlen(keys) - 1);
        strncat(keys, emit_targets[i].key, sizeof keys - strlen(keys) - 1);
    }
    return keys;
}

static void usage(FILE *to) {
    fputs("Usage: wasmgen [OPTIONS] FILE.idl\n"
          "\n"
          "Reads an interface description of C functions and writes, for module NAME:\n",
          to);
    for (size_t i = 0; i < emit_ntargets; i++)
        fprintf(to, "  NAME%-10s %s\n", emit_targets[i].suffix, emit_targets[i].what);
    fputs("  " WASMGEN_RUNTIME_JS_NAME "  the JS runtime NAME.mjs imports (see --js-runtime)\n"
          "  " WASMGEN_RUNTIME_WASI_NAME "     its WASI part (and import object), loaded for a module that\n"
          "                       imports WASI or raw imports\n"
          "  " WASMGEN_RUNTIME_UNFREED_NAME "  its part for handles nobody frees and options.debug, loaded\n"
          "                       when needed\n"
          "\n"
          "Options:\n"
          "  -o, --output DIR     write into DIR, made if missing (default: the current directory)\n"
          "      --emit LIST      write only these outputs; LIST is a comma-separated\n",
          to);
    fprintf(to, "                       subset of %s (default: all)\n", emit_keys(","));
    fputs("      --js-runtime MODE  file: write " WASMGEN_RUNTIME_JS_NAME " beside NAME.mjs (default)\n"
          "                       inline: paste the runtime into NAME.mjs\n"
          "                       none: neither write nor paste it; you provide " WASMGEN_RUNTIME_JS_NAME "\n"
          "      --package        also write package.json: with NAME.wasm built into DIR,\n"
          "                       DIR is an npm package (ES module, with types)\n"
          "      --package-name NAME      its name (default: the module's, lowercased)\n"
          "      --package-version VERSION  its version (default: " WASMGEN_PACKAGE_VERSION ")\n"
          "  -h, --help           show this help and exit\n"
          "  -V, --version        show the version and exit\n"
          "\n"
          "Exit status: 0 on success; 1 when the input has errors or cannot be read\n"
          "(nothing is written); 2 on a usage error or when an output cannot be written.\n"
          "The IDL is described in share/doc/wasmgen/idl.md where wasmgen is installed\n"
          "(idl/README.md in its source).\n",
          to);
}

static int fail_usage(const char *fmt, const char *arg) {
    fputs("wasmgen: ", stderr);
    fprintf(stderr, fmt, arg);
    fputs("\nTry 'wasmgen --help'.\n", stderr);
    return 2;
}

/* Read a whole file; NULL with errno set on failure: EFBIG for one longer
 * than WASMGEN_MAX_SOURCE (a regular file's size says so before it is read;
 * a pipe's, once one byte more is). */
static char *read_file(const char *path, size_t *len) {
    struct stat st;
    if (stat(path, &st) != 0)
        return NULL;
    if (S_ISDIR(st.st_mode)) {
        errno = EISDIR;
        return NULL;
    }
    if (S_ISREG(st.st_mode) && (uintmax_t)st.st_size > WASMGEN_MAX_SOURCE) {
        errno = EFBIG;
        return NULL;
    }
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    size_t cap = 65536, n = 0;
    char *data = malloc(cap);
    for (;;) {
        if (!data) {
            fclose(f);
            errno = ENOMEM;
            return NULL;
        }
        n += fread(data + n, 1, cap - n, f);
        if (n < cap)
            break;
        if (n > WASMGEN_MAX_SOURCE) {
            free(data);
            fclose(f);
            errno = EFBIG;
            return NULL;
        }
        cap *= 2;
        char *bigger = realloc(data, cap);
        if (!bigger)
            free(data);
        data = bigger;
    }
    int err = ferror(f);
    fclose(f);
    if (err) {
        free(data);
        errno = EIO;
        return NULL;
    }
    *len = n;
    return data;
}

static unsigned parse_emit(const char *list) {
    unsigned mask = 0;
    const char *s = list;
    while (*s) {
        size_t n = strcspn(s, ",");
        bool found = false;
        for (size_t i = 0; i < emit_ntargets; i++)
            if (strlen(emit_targets[i].key) == n && strncmp(emit_targets[i].key, s, n) == 0) {
                mask |= 1u << i;
                found = true;
            }
        if (!found)
            return 0;
        s += n;
        if (*s == ',')
            s++;
    }
    return mask;
}

/* The output directory and its missing parents, made when the first output
 * is written (so that an input with errors makes none); `made` lists the ones
 * made, outermost first, so that a failure can remove them again. */
typedef struct OutDir {
    const char *path;
    bool ready;
    int nmade;
    char *made[64];
} OutDir;

static int make_outdir(OutDir *d) {
    if (d->ready)
        return 0;
    size_t n = strlen(d->path);
    char *p = malloc(n + 1);
    if (!p) {
        fputs("wasmgen: out of memory\n", stderr);
        return 2;
    }
    memcpy(p, d->path, n + 1);
    /* Each prefix ending before a '/', then the whole path. */
    for (size_t i = 1; i <= n; i++) {
        if (i < n && p[i] != '/')
            continue;
        if (i < n && p[i - 1] == '/')
            continue;
        char c = p[i];
        p[i] = '\0';
        struct stat st;
        if (stat(p, &st) == 0) {
            if (!S_ISDIR(st.st_mode)) {
                fprintf(stderr, "wasmgen: output directory '%s': '%s' is not a directory\n", d->path, p);
                free(p);
                return 2;
            }
        } else if (mkdir(p, 0777) == 0) {
            if (d->nmade < (int)(sizeof d->made / sizeof d->made[0]))
                d->made[d->nmade++] = strdup(p);
        } else {
            fprintf(stderr, "wasmgen: cannot create output directory '%s': %s\n", p, strerror(errno));
            free(p);
            return 2;
        }
        p[i] = c;
    }
    free(p);
    d->ready = true;
    return 0;
}

/* After a failure, remove the directories make_outdir() made (innermost
 * first; rmdir leaves any that are not empty). */
static void unmake_outdir(OutDir *d, bool failed) {
    for (int i = d->nmade - 1; i >= 0; i--) {
        if (failed && d->made[i])
            rmdir(d->made[i]);
        free(d->made[i]);
    }
    d->nmade = 0;
}

/* Outputs are written to temporary names as the compiler makes them, and
 * renamed into place only when all were written, so that a failure never
 * leaves a half-written or half-updated set. */
typedef struct Writer {
    const char *dir;
    OutDir *outdir;
    int n;
    char *tmp[WASMGEN_MAX_FILES];
    char *dst[WASMGEN_MAX_FILES];
} Writer;

static int write_temp(void *ctx, const char *name, const char *data, size_t len) {
    Writer *w = ctx;
    if (w->n == WASMGEN_MAX_FILES)
        return 2;
    int rc = make_outdir(w->outdir);
    if (rc != 0)
        return rc;
    size_t n = strlen(w->dir) + strlen(name) + 32;
    char *dst = malloc(n), *tmp = malloc(n);
    if (!dst || !tmp) {
        free(dst);
        free(tmp);
        fputs("wasmgen: out of memory\n", stderr);
        return 2;
    }
    snprintf(dst, n, "%s/%s", w->dir, name);
    snprintf(tmp, n, "%s/.%s.%ld.tmp", w->dir, name, (long)getpid());
    w->dst[w->n] = dst;
    w->tmp[w->n++] = tmp;
    FILE *f = fopen(tmp, "wb");
    if (!f || fwrite(data, 1, len, f) != len || fclose(f) != 0) {
        fprintf(stderr, "wasmgen: cannot write %s: %s\n", dst, strerror(errno));
        return 2;
    }
    return 0;
}

/* After a successful compilation, rename the temporaries into place; in any
 * case, remove what is left of them. */
static int finish_writes(Writer *w, int rc) {
    for (int i = 0; i < w->n && rc == 0; i++)
        if (rename(w->tmp[i], w->dst[i]) != 0) {
            fprintf(stderr, "wasmgen: cannot write %s: %s\n", w->dst[i], strerror(errno));
            rc = 2;
        }
    for (int i = 0; i < w->n; i++) {
        if (rc != 0)
            remove(w->tmp[i]);
        free(w->tmp[i]);
        free(w->dst[i]);
    }
    return rc;
}

int main(int argc, char **argv) {
    const char *input = NULL, *outdir = ".";
    wasmgen_options opt = {.emit = WASMGEN_EMIT_ALL, .runtime_file = true};
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *val = NULL;
        if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
            usage(stdout);
            return 0;
        } else if (strcmp(a, "-V") == 0 || strcmp(a, "--version") == 0) {
            printf("wasmgen %s\n", WASMGEN_VERSION);
            return 0;
        } else if (strcmp(a, "--package") == 0) {
            opt.package = true;
            continue;
        } else if (strcmp(a, "-o") == 0 || strcmp(a, "--output") == 0 ||
                   strcmp(a, "--emit") == 0 || strcmp(a, "--js-runtime") == 0 ||
                   strcmp(a, "--package-name") == 0 || strcmp(a, "--package-version") == 0) {
            if (i + 1 >= argc)
                return fail_usage("option '%s' needs a value", a);
            val = argv[++i];
        } else if (strncmp(a, "--output=", 9) == 0 || strncmp(a, "--emit=", 7) == 0 ||
                   strncmp(a, "--js-runtime=", 13) == 0 || strncmp(a, "--package-name=", 15) == 0 ||
                   strncmp(a, "--package-version=", 18) == 0) {
            val = strchr(a, '=') + 1;
        } else if (a[0] == '-' && a[1] != '\0') {
            return fail_usage("unknown option '%s'", a);
        } else {
            if (input)
                return fail_usage("one input file at a time; '%s' is a second", a);
            input = a;
            continue;
        }
        if (a[1] == 'o' || strncmp(a, "--output", 8) == 0) {
            outdir = val;
        } else if (strncmp(a, "--package-name", 14) == 0) {
            if (!wasmgen_valid_package_name(val))
                return fail_usage("--package-name: '%s' is not a valid npm package name "
                                  "(lowercase letters, digits, '-', '.', '_', '~'; optionally @scope/)", val);
            opt.package = true;
            opt.package_name = val;
        } else if (strncmp(a, "--package-version", 17) == 0) {
            if (!wasmgen_valid_version(val))
                return fail_usage("--package-version: '%s' is not a semantic version (MAJOR.MINOR.PATCH)", val);
            opt.package = true;
            opt.package_version = val;
        } else if (strncmp(a, "--emit", 6) == 0) {
            opt.emit = parse_emit(val);
            if (opt.emit == 0) {
                fprintf(stderr, "wasmgen: --emit takes a comma-separated list of %s; got '%s'\n"
                                "Try 'wasmgen --help'.\n", emit_keys(", "), val);
                return 2;
            }
        } else if (strcmp(val, "file") == 0) {
            opt.inline_runtime = false;
            opt.runtime_file = true;
        } else if (strcmp(val, "inline") == 0) {
            opt.inline_runtime = true;
        } else if (strcmp(val, "none") == 0) {
            opt.inline_runtime = false;
            opt.runtime_file = false;
        } else {
            return fail_usage("--js-runtime takes file, inline or none; got '%s'", val);
        }
    }
    if (!input)
        return fail_usage("%s", "no input file");
    if (opt.package) { /* the package's entry points */
        unsigned need = (1u << emit_target_index(".mjs")) | (1u << emit_target_index(".d.ts"));
        if ((opt.emit & need) != need)
            return fail_usage("%s", "--package needs the js and dts outputs (see --emit)");
    }

    size_t len = 0;
    char *src = read_file(input, &len);
    if (!src) {
        if (errno == EFBIG)
            fprintf(stderr, "%s: error: " WASMGEN_TOO_LARGE "\n", input);
        else
            fprintf(stderr, "%s: error: cannot read: %s\n", input, strerror(errno));
        return 1;
    }
    /* -o DIR: DIR is made (with its parents) when the first output is
     * written; something other than a directory there is an error now. */
    struct stat st;
    if (stat(outdir, &st) == 0 && !S_ISDIR(st.st_mode)) {
        free(src);
        fprintf(stderr, "wasmgen: output directory '%s' is not a directory\n", outdir);
        return 2;
    }
    OutDir od = {.path = outdir};
    Writer w = {.dir = outdir, .outdir = &od};
    opt.sink = write_temp;
    opt.sink_ctx = &w;
    wasmgen_result res;
    int rc = wasmgen_compile(input, src, len, &opt, &res);
    fputs(res.diagnostics, stderr);
    rc = finish_writes(&w, rc);
    unmake_outdir(&od, rc != 0);
    wasmgen_result_free(&res);
    free(src);
    return rc;
}
