/* test_pipe.c — the bounded hand-off between a producer and a consumer
 * thread: everything sent arrives, in order, with no more than `depth`
 * batches alive; a consumer that cancels stops the producer. */
#include "pipeline/pipe.h"

#include <pthread.h>

#include "tests/unit/harness.h"

#define DEPTH 3
#define BATCHES_SENT 10000

typedef struct slot {
    long first; /* the first number of the batch */
    long n;
} slot;

typedef struct producer {
    vsp_pipe *pipe;
    long sent;       /* batches sent */
    bool stopped;    /* take or send failed */
} producer;

static void *produce(void *arg)
{
    producer *p = arg;
    for (long i = 0; i < BATCHES_SENT; i++) {
        slot *s = vsp_pipe_take_empty(p->pipe);
        if (!s) {
            p->stopped = true;
            break;
        }
        s->first = i * 10;
        s->n = 10;
        if (!vsp_pipe_send(p->pipe, s)) {
            p->stopped = true;
            break;
        }
        p->sent++;
    }
    vsp_pipe_close(p->pipe);
    return NULL;
}

static void test_all_arrive_in_order(void)
{
    slot slots[DEPTH];
    void *ptrs[DEPTH] = {&slots[0], &slots[1], &slots[2]};
    vsp_pipe *pipe = vsp_pipe_new(ptrs, DEPTH);
    producer p = {pipe, 0, false};
    pthread_t t;
    CHECK_INT(pthread_create(&t, NULL, produce, &p), 0);
    long received = 0, next = 0, out_of_order = 0, foreign = 0;
    slot *s;
    while ((s = vsp_pipe_receive(pipe)) != NULL) {
        if (s != &slots[0] && s != &slots[1] && s != &slots[2])
            foreign++;
        if (s->first != next)
            out_of_order++;
        next = s->first + s->n;
        received++;
        vsp_pipe_give_back(pipe, s);
    }
    pthread_join(t, NULL);
    CHECK_INT(received, BATCHES_SENT);
    CHECK_INT(p.sent, BATCHES_SENT);
    CHECK_INT(next, BATCHES_SENT * 10L);
    CHECK_INT(out_of_order, 0);
    CHECK_INT(foreign, 0);
    CHECK(!p.stopped);
    vsp_pipe_free(pipe);
}

static void test_cancel_stops_producer(void)
{
    slot slots[DEPTH];
    void *ptrs[DEPTH] = {&slots[0], &slots[1], &slots[2]};
    vsp_pipe *pipe = vsp_pipe_new(ptrs, DEPTH);
    producer p = {pipe, 0, false};
    pthread_t t;
    CHECK_INT(pthread_create(&t, NULL, produce, &p), 0);
    for (int i = 0; i < 5; i++) {
        slot *s = vsp_pipe_receive(pipe);
        CHECK(s != NULL);
        if (s)
            vsp_pipe_give_back(pipe, s);
    }
    vsp_pipe_cancel(pipe);
    CHECK(vsp_pipe_receive(pipe) == NULL);
    pthread_join(t, NULL); /* returns: the producer did not stay blocked */
    CHECK(p.stopped);
    /* At most the five received plus the batches that fit in the pipe. */
    CHECK(p.sent >= 5 && p.sent <= 5 + DEPTH);
    vsp_pipe_free(pipe);
}

static void test_close_without_batches(void)
{
    slot one;
    void *ptrs[1] = {&one};
    vsp_pipe *pipe = vsp_pipe_new(ptrs, 1);
    vsp_pipe_close(pipe);
    CHECK(vsp_pipe_receive(pipe) == NULL);
    vsp_pipe_free(pipe);
}

int main(void)
{
    RUN(test_all_arrive_in_order);
    RUN(test_cancel_stops_producer);
    RUN(test_close_without_batches);
    return harness_done();
}
