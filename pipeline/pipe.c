#include "pipeline/pipe.h"

#include <pthread.h>
#include <stdlib.h>

#include "pipeline/util.h"

/* Two rings of batch pointers: empty ones waiting for the producer, full
 * ones waiting for the consumer.  Each holds at most `depth` entries. */
typedef struct ring {
    void **slot;
    size_t head, count;
} ring;

struct vsp_pipe {
    pthread_mutex_t lock;
    pthread_cond_t changed;
    size_t depth;
    ring empty, full;
    bool closed, cancelled;
};

static void ring_push(ring *r, size_t depth, void *b)
{
    r->slot[(r->head + r->count) % depth] = b;
    r->count++;
}

static void *ring_pop(ring *r, size_t depth)
{
    void *b = r->slot[r->head];
    r->head = (r->head + 1) % depth;
    r->count--;
    return b;
}

vsp_pipe *vsp_pipe_new(void *const *batches, size_t depth)
{
    vsp_pipe *p = vsp_xcalloc(1, sizeof *p);
    pthread_mutex_init(&p->lock, NULL);
    pthread_cond_init(&p->changed, NULL);
    p->depth = depth;
    p->empty.slot = vsp_xcalloc(depth, sizeof *p->empty.slot);
    p->full.slot = vsp_xcalloc(depth, sizeof *p->full.slot);
    for (size_t i = 0; i < depth; i++)
        ring_push(&p->empty, depth, batches[i]);
    return p;
}

void vsp_pipe_free(vsp_pipe *p)
{
    if (!p)
        return;
    pthread_mutex_destroy(&p->lock);
    pthread_cond_destroy(&p->changed);
    free(p->empty.slot);
    free(p->full.slot);
    free(p);
}

void *vsp_pipe_take_empty(vsp_pipe *p)
{
    void *b = NULL;
    pthread_mutex_lock(&p->lock);
    while (!p->cancelled && p->empty.count == 0)
        pthread_cond_wait(&p->changed, &p->lock);
    if (!p->cancelled)
        b = ring_pop(&p->empty, p->depth);
    pthread_mutex_unlock(&p->lock);
    return b;
}

bool vsp_pipe_send(vsp_pipe *p, void *batch)
{
    pthread_mutex_lock(&p->lock);
    bool ok = !p->cancelled;
    if (ok) {
        /* Cannot be full: only depth batches exist and this one was not in it. */
        ring_push(&p->full, p->depth, batch);
        pthread_cond_broadcast(&p->changed);
    }
    pthread_mutex_unlock(&p->lock);
    return ok;
}

void vsp_pipe_close(vsp_pipe *p)
{
    pthread_mutex_lock(&p->lock);
    p->closed = true;
    pthread_cond_broadcast(&p->changed);
    pthread_mutex_unlock(&p->lock);
}

void *vsp_pipe_receive(vsp_pipe *p)
{
    void *b = NULL;
    pthread_mutex_lock(&p->lock);
    while (!p->cancelled && !p->closed && p->full.count == 0)
        pthread_cond_wait(&p->changed, &p->lock);
    if (!p->cancelled && p->full.count)
        b = ring_pop(&p->full, p->depth);
    pthread_mutex_unlock(&p->lock);
    return b;
}

void vsp_pipe_give_back(vsp_pipe *p, void *batch)
{
    pthread_mutex_lock(&p->lock);
    ring_push(&p->empty, p->depth, batch);
    pthread_cond_broadcast(&p->changed);
    pthread_mutex_unlock(&p->lock);
}

void vsp_pipe_cancel(vsp_pipe *p)
{
    pthread_mutex_lock(&p->lock);
    p->cancelled = true;
    pthread_cond_broadcast(&p->changed);
    pthread_mutex_unlock(&p->lock);
}
