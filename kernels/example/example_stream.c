/* example_stream.c: streams and events of the simulated device.
 *
 * A stream is an in-order queue. Enqueuing (fill, gemm_run, attention_forward, collective_run,
 * event_record) only appends a command and returns: the work is asynchronous, as on a real
 * accelerator. The queue runs, on the calling host thread, when the host waits for it:
 * stream_sync runs one stream; copies, mem_free and work on the NULL stream run every stream
 * first. An event_record appends a marker; the marker's timestamp (CLOCK_MONOTONIC) is taken
 * when the queue reaches it, so two events bracket exactly the work queued between them, and
 * event_elapsed_ns is only defined once both markers have been reached.
 *
 * The NULL stream is the default stream: its work is ordered after all queued work of the
 * context and has completed when the call returns (a stricter form of CUDA's legacy default
 * stream). */
#include "example.h"

#include <stdlib.h>

/* ---- Ownership checks ----------------------------------------------------------------------- */

static int owns_stream(const sl_context *ctx, const sl_stream *stream) {
  for (const sl_stream *s = ctx->streams; s != NULL; s = s->next) {
    if (s == stream) {
      return 1;
    }
  }
  return 0;
}

static int owns_event(const sl_context *ctx, const sl_event *event) {
  for (const sl_event *e = ctx->events; e != NULL; e = e->next) {
    if (e == event) {
      return 1;
    }
  }
  return 0;
}

sl_status ex_stream_device(sl_context *ctx, const sl_stream *stream, int32_t *device,
                           const char *call) {
  if (stream == NULL) {
    return SL_OK;
  }
  if (!owns_stream(ctx, stream)) {
    return ex_fail(ctx, SL_INVALID_ARGUMENT, "%s: stream is not a live stream of this context",
                   call);
  }
  *device = stream->device;
  return SL_OK;
}

sl_status ex_check_stream(sl_context *ctx, const sl_stream *stream, int32_t device,
                          const char *call) {
  int32_t on = device;
  if (ex_stream_device(ctx, stream, &on, call) != SL_OK) {
    return SL_INVALID_ARGUMENT;
  }
  return on == device ? SL_OK
                      : ex_fail(ctx, SL_INVALID_ARGUMENT,
                                "%s: the stream is on device %d, the work is for device %d", call,
                                (int)on, (int)device);
}

/* ---- The queue ------------------------------------------------------------------------------ */

/* Run one command: an operation, or an event marker that timestamps its event if no later
 * event_record has replaced it. */
static void run_command(const ex_command *command) {
  if (command->execute != NULL) {
    command->execute(command);
  } else if (command->event != NULL && command->event->generation == command->generation) {
    command->event->timestamp_ns = ex_monotonic_ns();
    command->event->state = EX_EVENT_COMPLETE;
  }
}

/* Run and free every queued command of stream, oldest first. */
static void drain(sl_stream *stream) {
  while (stream->head != NULL) {
    ex_command *command = stream->head;
    stream->head = command->next;
    run_command(command);
    free(command);
  }
  stream->tail = NULL;
  stream->queued = 0;
}

void ex_drain_all(sl_context *ctx) {
  /* VENDOR: aclrtSynchronizeDevice (Ascend), cnrtSyncDevice (Cambricon), xpu_wait per stream
   * (Kunlun), hipDeviceSynchronize / musaDeviceSynchronize / mcDeviceSynchronize. */
  for (sl_stream *s = ctx->streams; s != NULL; s = s->next) {
    drain(s);
  }
}

sl_status ex_enqueue(sl_context *ctx, sl_stream *stream, ex_command *command) {
  command->next = NULL;
  if (stream == NULL) {
    ex_drain_all(ctx);
    run_command(command);
    free(command);
    return SL_OK;
  }
  /* VENDOR: this is where the real launch goes, asynchronous on the vendor's stream; see each
   * operation's file for the call. */
  if (stream->tail != NULL) {
    stream->tail->next = command;
  } else {
    stream->head = command;
  }
  stream->tail = command;
  ++stream->queued;
  return SL_OK;
}

/* ---- Streams -------------------------------------------------------------------------------- */

sl_status ex_stream_create(sl_context *ctx, int32_t device, sl_stream **stream) {
  if (ex_check_device(ctx, device, "stream_create") != SL_OK) {
    return SL_INVALID_ARGUMENT;
  }
  if (stream == NULL) {
    return ex_fail(ctx, SL_INVALID_ARGUMENT, "stream_create: stream output pointer is NULL");
  }
  /* VENDOR: aclrtCreateStream (Ascend), cnrtQueueCreate (Cambricon; cnrtCreateQueue before
   * CNRT 5), xpu_stream_create (Kunlun), hipStreamCreate / musaStreamCreate / mcStreamCreate.
   * Keep the vendor handle inside sl_stream. */
  sl_stream *created = calloc(1, sizeof *created);
  *stream = created;
  if (created == NULL) {
    return ex_fail(ctx, SL_OUT_OF_MEMORY, "stream_create: cannot allocate a stream");
  }
  created->device = device;
  created->next = ctx->streams;
  ctx->streams = created;
  return SL_OK;
}

sl_status ex_stream_destroy(sl_context *ctx, sl_stream *stream) {
  if (ex_need_context(ctx, "stream_destroy") != SL_OK) {
    return SL_INVALID_ARGUMENT;
  }
  sl_stream **link = &ctx->streams;
  while (*link != NULL && *link != stream) {
    link = &(*link)->next;
  }
  if (stream == NULL || *link == NULL) {
    return ex_fail(ctx, SL_INVALID_ARGUMENT,
                   "stream_destroy: stream is NULL or not a live stream of this context");
  }
  /* Work already queued still completes (as with cudaStreamDestroy).
   * VENDOR: aclrtDestroyStream / cnrtQueueDestroy / xpu_stream_destroy / hipStreamDestroy. */
  drain(stream);
  *link = stream->next;
  free(stream);
  return SL_OK;
}

sl_status ex_stream_sync(sl_context *ctx, sl_stream *stream) {
  if (ex_need_context(ctx, "stream_sync") != SL_OK) {
    return SL_INVALID_ARGUMENT;
  }
  if (stream == NULL) {
    ex_drain_all(ctx);
    return SL_OK;
  }
  if (!owns_stream(ctx, stream)) {
    return ex_fail(ctx, SL_INVALID_ARGUMENT,
                   "stream_sync: stream is not a live stream of this context");
  }
  /* VENDOR: aclrtSynchronizeStream (Ascend), cnrtQueueSync (Cambricon), xpu_wait(stream)
   * (Kunlun), hipStreamSynchronize / musaStreamSynchronize / mcStreamSynchronize. Errors of
   * work that ran asynchronously surface here: return SL_DEVICE_ERROR with the runtime's text
   * and name the operation when the runtime says which one failed. */
  drain(stream);
  return SL_OK;
}

/* ---- Events --------------------------------------------------------------------------------- */

sl_status ex_event_create(sl_context *ctx, int32_t device, sl_event **event) {
  if (ex_check_device(ctx, device, "event_create") != SL_OK) {
    return SL_INVALID_ARGUMENT;
  }
  if (event == NULL) {
    return ex_fail(ctx, SL_INVALID_ARGUMENT, "event_create: event output pointer is NULL");
  }
  /* VENDOR: aclrtCreateEvent (Ascend; aclrtCreateEventWithFlag(&e, ACL_EVENT_TIME_LINE) where
   * timing needs it), cnrtNotifierCreate (Cambricon: events are "notifiers"),
   * xpu_event_create (Kunlun), hipEventCreate / musaEventCreate / mcEventCreate. A runtime
   * without event timing (Kunlun as far as public wrappers show) leaves event_create,
   * event_record and event_elapsed_ns NULL or sets SL_DEVICE_HOST_TIMED in device_props: the
   * host then times around stream_sync and says so in the report. */
  sl_event *created = calloc(1, sizeof *created);
  *event = created;
  if (created == NULL) {
    return ex_fail(ctx, SL_OUT_OF_MEMORY, "event_create: cannot allocate an event");
  }
  created->device = device;
  created->state = EX_EVENT_NEW;
  created->next = ctx->events;
  ctx->events = created;
  return SL_OK;
}

sl_status ex_event_destroy(sl_context *ctx, sl_event *event) {
  if (ex_need_context(ctx, "event_destroy") != SL_OK) {
    return SL_INVALID_ARGUMENT;
  }
  sl_event **link = &ctx->events;
  while (*link != NULL && *link != event) {
    link = &(*link)->next;
  }
  if (event == NULL || *link == NULL) {
    return ex_fail(ctx, SL_INVALID_ARGUMENT,
                   "event_destroy: event is NULL or not a live event of this context");
  }
  /* Markers still queued for this event become no-ops. VENDOR: aclrtDestroyEvent /
   * cnrtNotifierDestroy / xpu_event_destroy / hipEventDestroy. */
  for (sl_stream *s = ctx->streams; s != NULL; s = s->next) {
    for (ex_command *c = s->head; c != NULL; c = c->next) {
      if (c->execute == NULL && c->event == event) {
        c->event = NULL;
      }
    }
  }
  *link = event->next;
  free(event);
  return SL_OK;
}

sl_status ex_event_record(sl_context *ctx, sl_event *event, sl_stream *stream) {
  if (ex_need_context(ctx, "event_record") != SL_OK) {
    return SL_INVALID_ARGUMENT;
  }
  if (event == NULL || !owns_event(ctx, event)) {
    return ex_fail(ctx, SL_INVALID_ARGUMENT,
                   "event_record: event is NULL or not a live event of this context");
  }
  if (ex_check_stream(ctx, stream, event->device, "event_record") != SL_OK) {
    return SL_INVALID_ARGUMENT;
  }
  ex_command *marker = calloc(1, sizeof *marker);
  if (marker == NULL) {
    return ex_fail(ctx, SL_OUT_OF_MEMORY, "event_record: cannot allocate the marker");
  }
  /* VENDOR: aclrtRecordEvent(event, stream) (Ascend), cnrtPlaceNotifier(notifier, queue)
   * (Cambricon), xpu_event_record (Kunlun), hipEventRecord / musaEventRecord /
   * mcEventRecord. */
  marker->event = event;
  marker->generation = ++event->generation;
  event->state = EX_EVENT_PENDING;
  return ex_enqueue(ctx, stream, marker);
}

sl_status ex_event_elapsed_ns(sl_context *ctx, const sl_event *start, const sl_event *end,
                              uint64_t *elapsed_ns) {
  if (ex_need_context(ctx, "event_elapsed_ns") != SL_OK) {
    return SL_INVALID_ARGUMENT;
  }
  if (start == NULL || end == NULL || elapsed_ns == NULL) {
    return ex_fail(ctx, SL_INVALID_ARGUMENT, "event_elapsed_ns: NULL event or output pointer");
  }
  if (!owns_event(ctx, start) || !owns_event(ctx, end)) {
    return ex_fail(ctx, SL_INVALID_ARGUMENT,
                   "event_elapsed_ns: an event is not a live event of this context");
  }
  for (int i = 0; i < 2; ++i) {
    const sl_event *e = i == 0 ? start : end;
    const char *which = i == 0 ? "start" : "end";
    if (e->state == EX_EVENT_NEW) {
      return ex_fail(ctx, SL_INVALID_ARGUMENT, "event_elapsed_ns: the %s event was never recorded",
                     which);
    }
    if (e->state == EX_EVENT_PENDING) {
      return ex_fail(ctx, SL_INVALID_ARGUMENT,
                     "event_elapsed_ns: the %s event has not completed: its stream has not "
                     "reached it (call stream_sync first)",
                     which);
    }
  }
  if (end->timestamp_ns < start->timestamp_ns) {
    return ex_fail(ctx, SL_INVALID_ARGUMENT,
                   "event_elapsed_ns: the end event completed before the start event");
  }
  /* VENDOR: mind the unit. aclrtEventElapsedTime gives float milliseconds (Ascend),
   * cnrtNotifierDuration microseconds (Cambricon; cnrtNotifierElapsedTime in CNRT 6.x),
   * hipEventElapsedTime / musaEventElapsedTime / mcEventElapsedTime float milliseconds. The ABI
   * wants integer nanoseconds: convert with llround(ms * 1e6) or llround(us * 1e3), and say in
   * the README what resolution the runtime really has. */
  *elapsed_ns = end->timestamp_ns - start->timestamp_ns;
  return SL_OK;
}

void ex_free_all_streams(sl_context *ctx) {
  while (ctx->streams != NULL) {
    sl_stream *s = ctx->streams;
    ctx->streams = s->next;
    while (s->head != NULL) { /* discard, do not run */
      ex_command *c = s->head;
      s->head = c->next;
      free(c);
    }
    free(s);
  }
  while (ctx->events != NULL) {
    sl_event *e = ctx->events;
    ctx->events = e->next;
    free(e);
  }
}
