/* rt_harness.h - the rt test module (rt.idl) run through the host runtime
 * by hand, without generated code: the adapters generated NAME_host.c gets
 * (WG_HOST_MODULE), and a few calls. For the runtime's own tests. */
#ifndef RT_HARNESS_H
#define RT_HARNESS_H

#include <stdlib.h>
#include <string.h>

#include "rt.wasm2c.h"
#include "wasmgen-host-glue.h"

struct Z_wasmgenZ3Art_instance_t {
    struct rt_host *host;
};

typedef struct rt_host {
    Z_rt_instance_t inst;
    wg_sandbox sb;
    struct Z_wasmgenZ3Art_instance_t imp;
    /* the import: reenter(n) */
    uint32_t (*reenter)(struct rt_host *h, uint32_t n);
    int reenter_status;
} rt_host;

/* The adapters a generated NAME_host.c gets from the same macro, and hs_module(). */
WG_HOST_MODULE(Z_rt, Z_wasmgenZ3Art, "rt");

static inline int rt_new(rt_host **out, const wg_host_options *o) {
    (void)WG_HOST_RT_CONFIG;
    const wg_sandbox_ops *ops = hs_module();
    rt_host *h = calloc(1, sizeof *h);
    *out = NULL;
    if (h == NULL)
        return WG_HOST_NO_MEMORY;
    h->imp.host = h;
    int st = wg_sandbox_init(&h->sb, ops, &h->inst, &h->imp, o);
    if (st != WG_HOST_OK) {
        free(h);
        return st;
    }
    *out = h;
    return WG_HOST_OK;
}

static inline void rt_free_host(rt_host *h) {
    if (h == NULL)
        return;
    wg_sandbox_destroy(&h->sb);
    free(h);
}

/* The import the module calls. */
u32 Z_wasmgenZ3ArtZ_reenter(struct Z_wasmgenZ3Art_instance_t *imp, u32 n) {
    rt_host *h = imp->host;
    wg_host_import_enter(&h->sb);
    uint32_t r = h->reenter ? h->reenter(h, n) : n;
    wg_host_import_leave(&h->sb);
    return r;
}

/* ---- Calls: u32 -> u32 exports, through one body. */
typedef struct {
    u32 (*fn)(Z_rt_instance_t *, u32, u32);
    u32 a, b, r;
} rt_call2;

static void rt_body2(wg_sandbox *sb, void *ctx) {
    rt_call2 *c = ctx;
    rt_host *h = (rt_host *)((char *)sb - offsetof(rt_host, sb));
    c->r = c->fn(&h->inst, c->a, c->b);
}

#define RT_ADAPT1(name) \
    static u32 rt_x_##name(Z_rt_instance_t *i, u32 a, u32 b) { (void)b; return (u32)Z_rtZ_wg_f_##name(i, a); }
#define RT_ADAPT0(name) \
    static u32 rt_x_##name(Z_rt_instance_t *i, u32 a, u32 b) { (void)a, (void)b; return (u32)Z_rtZ_wg_f_##name(i); }
#define RT_ADAPTV1(name) \
    static u32 rt_x_##name(Z_rt_instance_t *i, u32 a, u32 b) { (void)b; Z_rtZ_wg_f_##name(i, a); return 0; }
#define RT_ADAPTV0(name) \
    static u32 rt_x_##name(Z_rt_instance_t *i, u32 a, u32 b) { (void)a, (void)b; Z_rtZ_wg_f_##name(i); return 0; }
static u32 rt_x_add(Z_rt_instance_t *i, u32 a, u32 b) { return Z_rtZ_wg_f_add(i, a, b); }
static u32 rt_x_divide(Z_rt_instance_t *i, u32 a, u32 b) { return Z_rtZ_wg_f_divide(i, a, b); }
static u32 rt_x_store(Z_rt_instance_t *i, u32 a, u32 b) { Z_rtZ_wg_f_store(i, a, b); return 0; }
RT_ADAPT1(load)
RT_ADAPT1(recurse)
RT_ADAPT1(trap_in_frame)
RT_ADAPT1(grow)
RT_ADAPT0(pages)
RT_ADAPT1(callback)
RT_ADAPT0(random_u32)
RT_ADAPT0(counter)
RT_ADAPT1(wasi_probe)
RT_ADAPTV0(crash)
RT_ADAPTV1(quit)
RT_ADAPTV0(flush_out)

/* Call `fn`(a, b) in h: the status; the result in *r. */
static inline int rt_call(rt_host *h, const char *name, u32 (*fn)(Z_rt_instance_t *, u32, u32), u32 a, u32 b,
                          u32 *r) {
    rt_call2 c = {fn, a, b, 0};
    int st = wg_host_call(&h->sb, name, rt_body2, &c);
    if (r)
        *r = c.r;
    return st;
}
#define RT_CALL(h, name, a, b, r) rt_call(h, #name, rt_x_##name, a, b, r)

/* say/shout/env: a string in, through the checked helpers. */
typedef struct {
    int which; /* 0 say, 1 shout, 2 env */
    const char *s;
    char *result;
} rt_str_call;

static void rt_body_str(wg_sandbox *sb, void *ctx) {
    rt_str_call *c = ctx;
    rt_host *h = (rt_host *)((char *)sb - offsetof(rt_host, sb));
    size_t n = strlen(c->s);
    if (c->which == 2) {
        u32 ret = wg_host_ret(sb, 1);
        u32 p = wg_host_put_str(sb, c->s, n, false, "name");
        Z_rtZ_wg_f_env(&h->inst, ret, p, (u32)n);
        c->result = wg_host_take_str(sb, ret, true, "the result");
        return;
    }
    u32 p = wg_host_put_str(sb, c->s, n, false, "text");
    if (c->which == 0)
        Z_rtZ_wg_f_say(&h->inst, p, (u32)n);
    else
        Z_rtZ_wg_f_shout(&h->inst, p, (u32)n);
}

static inline int rt_say(rt_host *h, const char *s) {
    rt_str_call c = {0, s, NULL};
    return wg_host_call(&h->sb, "say", rt_body_str, &c);
}
static inline int rt_shout(rt_host *h, const char *s) {
    rt_str_call c = {1, s, NULL};
    return wg_host_call(&h->sb, "shout", rt_body_str, &c);
}
static inline int rt_env(rt_host *h, const char *name, char **out) {
    rt_str_call c = {2, name, NULL};
    int st = wg_host_call(&h->sb, "env", rt_body_str, &c);
    *out = c.result;
    return st;
}

#endif
