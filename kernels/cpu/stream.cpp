// Streams are synchronous (work runs at enqueue); events are CLOCK_MONOTONIC timestamps.

#include <kernels/cpu/api.hpp>
#include <kernels/cpu/context.hpp>

namespace suanli::cpu {

namespace {

// Create a T owned by pool and return it through out.
template <class T>
sl_status create(sl_context *ctx, T **out, std::unordered_map<T *, std::unique_ptr<T>> &pool,
                 const char *call) {
  if (out == nullptr) {
    return fail(ctx, SL_INVALID_ARGUMENT, std::string(call) + ": output pointer is NULL");
  }
  *out = nullptr;
  return guarded(ctx, call, [&] {
    auto owned = std::make_unique<T>();
    T *raw = owned.get();
    pool.emplace(raw, std::move(owned));
    *out = raw;
    return SL_OK;
  });
}

// Destroy a T owned by pool; unknown handles are an error.
template <class T>
sl_status destroy(sl_context *ctx, T *handle, std::unordered_map<T *, std::unique_ptr<T>> &pool,
                  const char *call) {
  if (handle == nullptr || pool.erase(handle) == 0) {
    return fail(ctx, SL_INVALID_ARGUMENT,
                std::string(call) + ": handle is NULL or not owned by this context");
  }
  return SL_OK;
}

sl_status need_ctx(sl_context *ctx, const char *call) {
  return ctx == nullptr
             ? fail(nullptr, SL_INVALID_ARGUMENT, std::string(call) + ": context is NULL")
             : SL_OK;
}

} // namespace

sl_status stream_create(sl_context *ctx, int32_t device, sl_stream **stream) {
  if (const sl_status s = check_device(ctx, device, "stream_create"); s != SL_OK) {
    return s;
  }
  return create(ctx, stream, ctx->streams, "stream_create");
}

sl_status stream_destroy(sl_context *ctx, sl_stream *stream) {
  if (const sl_status s = need_ctx(ctx, "stream_destroy"); s != SL_OK) {
    return s;
  }
  return destroy(ctx, stream, ctx->streams, "stream_destroy");
}

sl_status stream_sync(sl_context *ctx, sl_stream *) {
  return need_ctx(ctx, "stream_sync");
}

sl_status event_create(sl_context *ctx, int32_t device, sl_event **event) {
  if (const sl_status s = check_device(ctx, device, "event_create"); s != SL_OK) {
    return s;
  }
  return create(ctx, event, ctx->events, "event_create");
}

sl_status event_destroy(sl_context *ctx, sl_event *event) {
  if (const sl_status s = need_ctx(ctx, "event_destroy"); s != SL_OK) {
    return s;
  }
  return destroy(ctx, event, ctx->events, "event_destroy");
}

sl_status event_record(sl_context *ctx, sl_event *event, sl_stream *) {
  if (const sl_status s = need_ctx(ctx, "event_record"); s != SL_OK) {
    return s;
  }
  if (event == nullptr) {
    return fail(ctx, SL_INVALID_ARGUMENT, "event_record: event is NULL");
  }
  // Work queued before this call has already completed: streams are synchronous.
  event->timestamp_ns = monotonic_ns();
  event->recorded = true;
  return SL_OK;
}

sl_status event_elapsed_ns(sl_context *ctx, const sl_event *start, const sl_event *end,
                           uint64_t *elapsed_ns) {
  if (const sl_status s = need_ctx(ctx, "event_elapsed_ns"); s != SL_OK) {
    return s;
  }
  if (start == nullptr || end == nullptr || elapsed_ns == nullptr) {
    return fail(ctx, SL_INVALID_ARGUMENT, "event_elapsed_ns: NULL event or output pointer");
  }
  if (!start->recorded || !end->recorded) {
    return fail(ctx, SL_INVALID_ARGUMENT,
                std::string("event_elapsed_ns: the ") + (start->recorded ? "end" : "start") +
                    " event was never recorded");
  }
  if (end->timestamp_ns < start->timestamp_ns) {
    return fail(ctx, SL_INVALID_ARGUMENT,
                "event_elapsed_ns: the end event was recorded before the start event");
  }
  *elapsed_ns = end->timestamp_ns - start->timestamp_ns;
  return SL_OK;
}

} // namespace suanli::cpu
