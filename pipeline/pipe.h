/* pipe.h — a bounded hand-off of work batches between two threads.
 *
 * One producer fills batches while one consumer empties them, so that two
 * stages of a stream (e.g. parsing and storing) run on two cores.  Batches
 * circulate: the producer takes an empty one (vsp_pipe_take_empty), fills
 * it and sends it (vsp_pipe_send); the consumer receives it
 * (vsp_pipe_receive), works through it and gives it back
 * (vsp_pipe_give_back).  Only `depth` batches exist, so memory is bounded
 * by depth times the size of a batch, whatever the length of the stream.
 *
 * Ending: the producer calls vsp_pipe_close after its last batch, and the
 * consumer's vsp_pipe_receive returns NULL once every batch sent before
 * has been received.  The consumer may stop early with vsp_pipe_cancel:
 * from then on the producer's take and send fail, and it should stop.
 * The pipe does not own the batches; the caller frees them. */
#ifndef VSP_PIPE_H
#define VSP_PIPE_H

#include <stdbool.h>
#include <stddef.h>

typedef struct vsp_pipe vsp_pipe;

/* A pipe holding the `depth` empty batches given (depth >= 1). */
vsp_pipe *vsp_pipe_new(void *const *batches, size_t depth);
void vsp_pipe_free(vsp_pipe *p);

/* Producer side.  Both block while they must wait; both return false
 * (and take returns NULL) once the consumer has cancelled. */
void *vsp_pipe_take_empty(vsp_pipe *p);
bool vsp_pipe_send(vsp_pipe *p, void *batch);
void vsp_pipe_close(vsp_pipe *p);

/* Consumer side. */
void *vsp_pipe_receive(vsp_pipe *p); /* NULL: closed and drained, or cancelled */
void vsp_pipe_give_back(vsp_pipe *p, void *batch);
void vsp_pipe_cancel(vsp_pipe *p);

#endif
