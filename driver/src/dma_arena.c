/* dma_arena.c - bounce buffers for requests, carved from one DMA window in
 * whole pages (first fit). Small and predictable: the engine may only
 * touch this window and the rings. */
#include <string.h>

#include "xce_internal.h"

int xce_arena_alloc(struct xce_arena *a, size_t size, uint8_t **va, uint64_t *bus)
{
    size_t need = (size + XCE_ARENA_PAGE - 1) / XCE_ARENA_PAGE;
    if (need == 0 || need > XCE_ARENA_PAGES)
        return XCE_ERR_INVAL;
    size_t run = 0;
    for (size_t i = 0; i < XCE_ARENA_PAGES; i++) {
        run = a->used[i] ? 0 : run + 1;
        if (run == need) {
            size_t first = i + 1 - need;
            /* the first page records the length in pages (capped), the rest are marked */
            memset(&a->used[first], 0xff, need);
            a->used[first] = need > 254 ? 254 : (uint8_t)need;
            *va = a->va + first * XCE_ARENA_PAGE;
            *bus = a->bus + first * XCE_ARENA_PAGE;
            return XCE_OK;
        }
    }
    return XCE_ERR_BUSY;
}

void xce_arena_free(struct xce_arena *a, uint8_t *va)
{
    size_t first = (size_t)(va - a->va) / XCE_ARENA_PAGE;
    if (first >= XCE_ARENA_PAGES || a->used[first] == 0 || a->used[first] == 0xff)
        return;
    a->used[first] = 0;
    for (size_t i = first + 1; i < XCE_ARENA_PAGES && a->used[i] == 0xff; i++)
        a->used[i] = 0;
}
