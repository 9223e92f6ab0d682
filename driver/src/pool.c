/* pool.c - several devices as one: "pool:sim,sim" or
 * "pool:pci:0000:03:00.0,pci:0000:04:00.0". Each session is placed on one
 * member (round robin), so its requests keep their order; a burst is
 * handed to the members its operations belong to; dequeue collects from
 * every member and waits on one only when none has anything ready.
 * Statistics add up over the members (engine cycles: the largest, since
 * the members run side by side). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xce_internal.h"

#define POOL_MAX 8

/* Split "a,b,c" into member specs; each must be a device on its own. */
int xce_pool_open(const char *list, const struct xce_open_opts *o, xce_dev *pool)
{
    char buf[256];
    if (!list || !*list || strlen(list) >= sizeof buf)
        return XCE_ERR_INVAL;
    strcpy(buf, list);
    pool->members = calloc(POOL_MAX, sizeof *pool->members);
    if (!pool->members)
        return XCE_ERR_NOMEM;
    int r = XCE_OK;
    char *save = NULL;
    for (char *spec = strtok_r(buf, ",", &save); spec && r == XCE_OK; spec = strtok_r(NULL, ",", &save)) {
        if (pool->nmembers == POOL_MAX || strncmp(spec, "pool:", 5) == 0 || !*spec)
            r = XCE_ERR_INVAL;   /* too many, nested, or empty */
        else
            r = xce_open(spec, o, &pool->members[pool->nmembers++]);
        if (r != XCE_OK && pool->nmembers && !pool->members[pool->nmembers - 1])
            pool->nmembers--;
    }
    if (r == XCE_OK && pool->nmembers < 2)
        r = XCE_ERR_INVAL;   /* a pool of one is just the device */
    return r;
}

void xce_pool_close(xce_dev *pool)
{
    for (unsigned i = 0; i < pool->nmembers; i++)
        xce_close(pool->members[i]);
    free(pool->members);
    pool->members = NULL;
    pool->nmembers = 0;
}

xce_dev *xce_pool_pick(xce_dev *dev)
{
    if (!dev || !dev->nmembers)
        return dev;
    pthread_mutex_lock(&dev->lock);
    xce_dev *m = dev->members[dev->next_member++ % dev->nmembers];
    pthread_mutex_unlock(&dev->lock);
    return m;
}

static int is_member(const xce_dev *pool, const xce_dev *d)
{
    for (unsigned i = 0; i < pool->nmembers; i++)
        if (pool->members[i] == d)
            return 1;
    return 0;
}

unsigned xce_pool_enqueue(xce_dev *pool, struct xce_op **ops, unsigned n)
{
    unsigned taken = 0;
    while (taken < n) {
        if (!ops[taken] || !ops[taken]->session || !is_member(pool, ops[taken]->session->dev)) {
            if (ops[taken]) {
                ops[taken]->status = XCE_ERR_INVAL;
                ops[taken]->path = XCE_PATH_NONE;
            }
            break;
        }
        /* the run of operations bound for the same member goes as one burst */
        xce_dev *m = ops[taken]->session->dev;
        unsigned run = 1;
        while (taken + run < n && ops[taken + run] && ops[taken + run]->session &&
               ops[taken + run]->session->dev == m)
            run++;
        unsigned got = xce_enqueue_burst(m, ops + taken, run);
        taken += got;
        if (got < run)
            break;
    }
    return taken;
}

unsigned xce_pool_dequeue(xce_dev *pool, struct xce_op **ops, unsigned max)
{
    unsigned n = 0;
    for (unsigned i = 0; i < pool->nmembers && n < max; i++)
        n += xce_dequeue_ready(pool->members[i], ops + n, max - n, 0);
    if (n)
        return n;
    /* nothing ready: wait on the next member that owes something */
    for (unsigned k = 0; k < pool->nmembers; k++) {
        xce_dev *m = pool->members[(pool->next_member + k) % pool->nmembers];
        if (xce_pending(m))
            return xce_dequeue_ready(m, ops, max, 1);
    }
    return 0;
}

void xce_pool_info(xce_dev *pool, struct xce_info *info)
{
    struct xce_info mi;
    strcpy(info->backend, "pool");
    snprintf(info->location, sizeof info->location, "%u devices", pool->nmembers);
    info->engine_present = 0;
    info->engine_enabled = 1;
    for (unsigned i = 0; i < pool->nmembers; i++) {
        if (xce_get_info(pool->members[i], &mi) != XCE_OK)
            continue;
        if (i == 0) {
            char backend[8], location[32];
            memcpy(backend, info->backend, sizeof backend);
            memcpy(location, info->location, sizeof location);
            *info = mi;
            memcpy(info->backend, backend, sizeof backend);
            memcpy(info->location, location, sizeof location);
            info->cores = info->rings = info->rings_used = info->ring_pending = 0;
            info->engine_present = 0;
            info->engine_enabled = 1;
        }
        info->engine_present |= mi.engine_present;
        info->engine_enabled &= mi.engine_enabled;   /* the pool is only as whole as its members */
        if (!mi.engine_enabled && mi.disabled_reason)
            info->disabled_reason = mi.disabled_reason;
        info->cap_algos &= mi.cap_algos;             /* what every member can do */
        info->cap_modes &= mi.cap_modes;
        info->cores += mi.cores;
        info->rings += mi.rings;
        info->rings_used += mi.rings_used;
        info->ring_pending += mi.ring_pending;
    }
}

void xce_pool_stats(xce_dev *pool, struct xce_stats *st)
{
    struct xce_stats m;
    memset(st, 0, sizeof *st);
    /* verify-after-sign runs on the handle the caller holds: the pool's own */
    pthread_mutex_lock(&pool->lock);
    st->pk_faults = pool->st.pk_faults;
    pthread_mutex_unlock(&pool->lock);
    for (unsigned i = 0; i < pool->nmembers; i++) {
        if (xce_get_stats(pool->members[i], &m) != XCE_OK)
            continue;
        st->hw_requests += m.hw_requests;
        st->hw_bytes += m.hw_bytes;
        st->sw_requests += m.sw_requests;
        st->sw_bytes += m.sw_bytes;
        for (int r = 0; r < XCE_FB_COUNT; r++)
            st->fallback[r] += m.fallback[r];
        st->engine_errors += m.engine_errors;
        st->timeouts += m.timeouts;
        st->resets += m.resets;
        st->selftests += m.selftests;
        st->selftest_failures += m.selftest_failures;
        st->pk_hw_ops += m.pk_hw_ops;
        st->pk_sw_ops += m.pk_sw_ops;
        st->pk_faults += m.pk_faults;
        st->pk_cycles += m.pk_cycles;
        for (unsigned c = 0; c < m.cores && st->cores < XCE_STATS_CORES; c++)
            st->core[st->cores++] = m.core[c];
        if (m.cycles > st->cycles)
            st->cycles = m.cycles;
    }
}
