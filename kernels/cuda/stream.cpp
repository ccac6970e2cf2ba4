// Streams (blocking CUDA streams) and events (CUDA events with timing).

#include <kernels/cuda/api.hpp>
#include <kernels/cuda/context.hpp>

#include <cmath>

namespace suanli::cuda {

namespace {

// The CUDA stream behind stream (NULL: the legacy default stream), after making its device
// current; checks ownership.
sl_status resolve(sl_context *ctx, sl_stream *stream, int32_t device, cudaStream_t *out,
                  const char *call) {
  if (stream == nullptr) {
    *out = nullptr;
    return use_device(ctx, device, call);
  }
  if (ctx->streams.count(stream) == 0) {
    return fail(ctx, SL_INVALID_ARGUMENT,
                std::string(call) + ": stream is not owned by this context");
  }
  *out = stream->stream;
  return use_device(ctx, stream->device, call);
}

} // namespace

sl_status stream_of(sl_context *ctx, sl_stream *stream, int32_t device, cudaStream_t *out,
                    const char *call) {
  if (stream != nullptr && ctx->streams.count(stream) != 0 && stream->device != device) {
    return fail(ctx, SL_INVALID_ARGUMENT,
                std::string(call) + ": the stream is on device " + std::to_string(stream->device) +
                    ", the work on device " + std::to_string(device));
  }
  return resolve(ctx, stream, device, out, call);
}

sl_status stream_create(sl_context *ctx, int32_t device, sl_stream **stream) {
  if (const sl_status s = use_device(ctx, device, "stream_create"); s != SL_OK) {
    return s;
  }
  if (stream == nullptr) {
    return fail(ctx, SL_INVALID_ARGUMENT, "stream_create: output pointer is NULL");
  }
  *stream = nullptr;
  return guarded(ctx, "stream_create", [&] {
    std::unique_ptr<sl_stream, stream_deleter> owned(new sl_stream{device, nullptr});
    if (const cudaError_t err = cudaStreamCreate(&owned->stream); err != cudaSuccess) {
      owned->stream = nullptr;
      return cuda_fail(ctx, err, "stream_create", "cudaStreamCreate");
    }
    sl_stream *raw = owned.get();
    ctx->streams.emplace(raw, std::move(owned));
    *stream = raw;
    return SL_OK;
  });
}

sl_status stream_destroy(sl_context *ctx, sl_stream *stream) {
  if (const sl_status s = need_ctx(ctx, "stream_destroy"); s != SL_OK) {
    return s;
  }
  if (stream == nullptr || ctx->streams.erase(stream) == 0) {
    return fail(ctx, SL_INVALID_ARGUMENT,
                "stream_destroy: handle is NULL or not owned by this context");
  }
  return SL_OK;
}

sl_status stream_sync(sl_context *ctx, sl_stream *stream) {
  if (const sl_status s = need_ctx(ctx, "stream_sync"); s != SL_OK) {
    return s;
  }
  cudaStream_t raw = nullptr;
  if (const sl_status s = resolve(ctx, stream, 0, &raw, "stream_sync"); s != SL_OK) {
    return s;
  }
  if (const cudaError_t err = cudaStreamSynchronize(raw); err != cudaSuccess) {
    return cuda_fail(ctx, err, "stream_sync", "cudaStreamSynchronize");
  }
  return SL_OK;
}

sl_status event_create(sl_context *ctx, int32_t device, sl_event **event) {
  if (const sl_status s = use_device(ctx, device, "event_create"); s != SL_OK) {
    return s;
  }
  if (event == nullptr) {
    return fail(ctx, SL_INVALID_ARGUMENT, "event_create: output pointer is NULL");
  }
  *event = nullptr;
  return guarded(ctx, "event_create", [&] {
    std::unique_ptr<sl_event, event_deleter> owned(new sl_event{device, nullptr, false});
    if (const cudaError_t err = cudaEventCreate(&owned->event); err != cudaSuccess) {
      owned->event = nullptr;
      return cuda_fail(ctx, err, "event_create", "cudaEventCreate");
    }
    sl_event *raw = owned.get();
    ctx->events.emplace(raw, std::move(owned));
    *event = raw;
    return SL_OK;
  });
}

sl_status event_destroy(sl_context *ctx, sl_event *event) {
  if (const sl_status s = need_ctx(ctx, "event_destroy"); s != SL_OK) {
    return s;
  }
  if (event == nullptr || ctx->events.erase(event) == 0) {
    return fail(ctx, SL_INVALID_ARGUMENT,
                "event_destroy: handle is NULL or not owned by this context");
  }
  return SL_OK;
}

sl_status event_record(sl_context *ctx, sl_event *event, sl_stream *stream) {
  if (const sl_status s = need_ctx(ctx, "event_record"); s != SL_OK) {
    return s;
  }
  if (event == nullptr || ctx->events.count(event) == 0) {
    return fail(ctx, SL_INVALID_ARGUMENT,
                "event_record: event is NULL or not owned by this context");
  }
  cudaStream_t raw = nullptr;
  if (const sl_status s = stream_of(ctx, stream, event->device, &raw, "event_record"); s != SL_OK) {
    return s;
  }
  if (const cudaError_t err = cudaEventRecord(event->event, raw); err != cudaSuccess) {
    return cuda_fail(ctx, err, "event_record", "cudaEventRecord");
  }
  event->recorded = true;
  return SL_OK;
}

sl_status event_elapsed_ns(sl_context *ctx, const sl_event *start, const sl_event *end,
                           uint64_t *elapsed_ns) {
  if (const sl_status s = need_ctx(ctx, "event_elapsed_ns"); s != SL_OK) {
    return s;
  }
  if (start == nullptr || end == nullptr || elapsed_ns == nullptr ||
      ctx->events.count(const_cast<sl_event *>(start)) == 0 ||
      ctx->events.count(const_cast<sl_event *>(end)) == 0) {
    return fail(ctx, SL_INVALID_ARGUMENT,
                "event_elapsed_ns: NULL or foreign event, or NULL output pointer");
  }
  if (!start->recorded || !end->recorded) {
    return fail(ctx, SL_INVALID_ARGUMENT,
                std::string("event_elapsed_ns: the ") + (start->recorded ? "end" : "start") +
                    " event was never recorded");
  }
  if (const cudaError_t err = cudaEventSynchronize(end->event); err != cudaSuccess) {
    return cuda_fail(ctx, err, "event_elapsed_ns", "cudaEventSynchronize");
  }
  float ms = 0;
  if (const cudaError_t err = cudaEventElapsedTime(&ms, start->event, end->event);
      err != cudaSuccess) {
    return cuda_fail(ctx, err, "event_elapsed_ns", "cudaEventElapsedTime");
  }
  if (ms < 0) {
    return fail(ctx, SL_INVALID_ARGUMENT,
                "event_elapsed_ns: the end event completed before the start event");
  }
  *elapsed_ns = static_cast<uint64_t>(std::llround(static_cast<double>(ms) * 1e6));
  return SL_OK;
}

} // namespace suanli::cuda
