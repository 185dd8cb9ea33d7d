// host.c - demo.mjs again, natively: Debian's cJSON, unmodified, compiled to
// wasm and run sandboxed through wasm2c, called through the generated C API
// (`make run-host` here; make check compares its output with demo.mjs's,
// but for the lines about JS's own values: the tags array, and the
// TypeErrors of a node used after its tree was freed and of a node given
// twice, shown here as C gets them).
// A borrowed node (get, item, add_*, and a node given to another with
// add_item or append) is a handle that never destroys its node; it is
// refused once the handle it was borrowed from is freed.
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cjson_host.h"

static cjson_host *j;

static void check(int status) {
    if (status != WG_HOST_OK) {
        fprintf(stderr, "%s (%s)\n", cjson_host_error(j), wg_host_status_name(status));
        exit(1);
    }
}

int main(void) {
    if (cjson_host_new(&j, NULL) != WG_HOST_OK) {
        fprintf(stderr, "%s\n", cjson_host_error(NULL));
        return 1;
    }
    char *s = NULL;
    check(cjson_host_version(j, &s));
    printf("version  %s\n", s);
    free(s);

    const char *text = "{\"name\": \"wasmgen\", \"tags\": [\"c\", \"wasm\", \"js\"], \"stars\": 42}";
    cjson_host_node *doc = NULL, *name = NULL, *tags = NULL, *stars = NULL, *missing = NULL;
    check(cjson_host_node_parse(j, text, strlen(text), &doc));
    check(cjson_host_node_get(j, doc, "tags", 4, &tags)); // borrowed from doc
    check(cjson_host_node_get(j, doc, "name", 4, &name));
    check(cjson_host_node_string_value(j, name, &s));
    printf("name     %s\n", s);
    free(s);
    int32_t n = 0;
    check(cjson_host_node_size(j, tags, &n));
    printf("tags     %d:", (int)n);
    for (int32_t i = 0; i < n; i++) {
        cjson_host_node *tag = NULL;
        check(cjson_host_node_item(j, tags, i, &tag));
        check(cjson_host_node_string_value(j, tag, &s));
        printf(" %s", s);
        free(s);
        cjson_host_node_free(j, tag); // the handle only: the node is doc's
    }
    printf("\n");
    double stars_value = 0;
    check(cjson_host_node_get(j, doc, "stars", 5, &stars));
    check(cjson_host_node_number_value(j, stars, &stars_value));
    check(cjson_host_node_get(j, doc, "nope", 4, &missing));
    printf("stars    %g missing: %s\n", stars_value, missing == NULL ? "null" : "a node");
    check(cjson_host_node_print_unformatted(j, doc, &s)); // cJSON allocates it, cJSON_free frees it
    printf("print    %s\n", s);
    free(s);
    check(cjson_host_node_free(j, doc)); // the tree is gone...
    int status = cjson_host_node_size(j, tags, &n); // ...and so are its borrowed nodes
    printf("after    %s: %s\n", wg_host_status_name(status), cjson_host_error(j));
    cjson_host_node_free(j, tags);
    cjson_host_node_free(j, name);
    cjson_host_node_free(j, stars);

    cjson_host_node *o = NULL, *member = NULL, *nested = NULL;
    check(cjson_host_node_object(j, &o));
    check(cjson_host_node_add_string(j, o, "lib", 3, "cJSON", 5, &member));
    cjson_host_node_free(j, member);
    check(cjson_host_node_add_array(j, o, "list", 4, &member));
    cjson_host_node_free(j, member);
    check(cjson_host_node_add_object(j, o, "nested", 6, &nested));
    check(cjson_host_node_add_number(j, nested, "n", 1, 1.5, &member));
    cjson_host_node_free(j, member);
    cjson_host_node_free(j, nested);
    check(cjson_host_node_print_unformatted(j, o, &s));
    printf("built    %s\n", s);
    free(s);
    const char *bad = "{\"unterminated\": ";
    cjson_host_node *none = NULL;
    status = cjson_host_node_parse(j, bad, strlen(bad), &none);
    printf("error    %s: %s\n", status == WG_HOST_FAILED ? "WasmgenError" : wg_host_status_name(status),
           cjson_host_error(j));
    check(cjson_host_node_free(j, o));

    /* A tree from owned nodes: add_item and append give each node to its
     * parent; its handle is borrowed from the parent from then on. */
    cjson_host_node *root = NULL, *list = NULL, *item = NULL, *taken = NULL;
    check(cjson_host_node_object(j, &root));
    check(cjson_host_node_array(j, &list));
    for (int v = 1; v <= 3; v++) {
        check(cjson_host_node_number(j, v, &item));
        check(cjson_host_node_append(j, list, item));
        cjson_host_node_free(j, item); /* the handle only: the node is list's */
    }
    check(cjson_host_node_add_item(j, root, "list", 4, list));
    check(cjson_host_node_str(j, "tree", 4, &item));
    check(cjson_host_node_add_item(j, root, "name", 4, item));
    cjson_host_node_free(j, item);
    check(cjson_host_node_str(j, "four", 4, &item));
    check(cjson_host_node_append(j, list, item)); /* still usable while root lives */
    cjson_host_node_free(j, item);
    check(cjson_host_node_print_unformatted(j, root, &s));
    printf("tree     %s\n", s);
    free(s);
    check(cjson_host_node_detach(j, root, "name", 4, &taken)); /* the caller's again */
    char *value = NULL;
    check(cjson_host_node_string_value(j, taken, &value));
    check(cjson_host_node_print_unformatted(j, root, &s));
    printf("detached %s %s\n", value, s);
    free(value);
    free(s);
    status = cjson_host_node_add_item(j, root, "again", 5, list); /* list is root's now */
    printf("given    %s: %s\n", wg_host_status_name(status), cjson_host_error(j));
    check(cjson_host_node_add_item(j, root, "name", 4, taken));
    cjson_host_node_free(j, taken);
    cjson_host_node_free(j, list);
    check(cjson_host_node_free(j, root)); /* frees the whole tree, once */
    wg_host_stats stats;
    check(cjson_host_stats(j, &stats));
    printf("cJSON_Number %d liveAllocations: %llu\n", cJSON_Number, (unsigned long long)stats.live_count);
    cjson_host_free(j);
    return 0;
}
