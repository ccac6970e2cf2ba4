// invalid_args and reasons: invalid calls are errors with a reason (never a crash: a crash is
// a FAIL naming its signal, thanks to the child process), and unusual requests that the plugin
// does not offer are "unsupported" with a reason.

#include <conformance/checks.hpp>
#include <conformance/isolate.hpp>
#include <conformance/session.hpp>

#include <bench/attention_problem.hpp>
#include <bench/gemm_problem.hpp>

#include <algorithm>
#include <cstddef>
#include <functional>
#include <string>
#include <vector>

namespace suanli::conformance {
namespace {

// One call that must not succeed: its text, the call, and whose last_error gives the reason.
struct invalid_call {
  std::string what;
  std::function<sl_status()> call;
  bool null_ctx = false; // the reason is last_error(NULL)
};

sl_gemm_desc fp32_gemm(int64_t m, int64_t n, int64_t k) {
  bench::gemm_problem p;
  p.precision = bench::find_gemm_precision("fp32");
  p.m = m;
  p.n = n;
  p.k = k;
  sl_gemm_desc d = p.to_desc();
  d.lda = d.lda > 0 ? d.lda : 1; // tight leading dimensions of a zero dim would be 0
  d.ldb = d.ldb > 0 ? d.ldb : 1;
  d.ldc = d.ldc > 0 ? d.ldc : 1;
  return d;
}

std::vector<invalid_call> invalid_calls(const session &s, int32_t count) {
  const sl_backend_api &api = s.api();
  sl_context *ctx = s.ctx();
  std::vector<invalid_call> calls;
  // Handles an accidental success would leak are not freed: the child process ends anyway.
  calls.push_back({"device_count(ctx = NULL)",
                   [&api] {
                     int32_t n = 0;
                     return api.device_count(nullptr, &n);
                   },
                   true});
  calls.push_back({"mem_alloc(ctx = NULL)",
                   [&api] {
                     void *p = nullptr;
                     return api.mem_alloc(nullptr, 0, 64, &p);
                   },
                   true});
  calls.push_back({"stream_create(ctx = NULL)",
                   [&api] {
                     sl_stream *st = nullptr;
                     return api.stream_create(nullptr, 0, &st);
                   },
                   true});
  for (const int32_t device : {int32_t{-1}, count}) {
    const std::string dev = std::to_string(device);
    calls.push_back({"mem_alloc(device " + dev + ")", [&api, ctx, device] {
                       void *p = nullptr;
                       return api.mem_alloc(ctx, device, 64, &p);
                     }});
    calls.push_back({"stream_create(device " + dev + ")", [&api, ctx, device] {
                       sl_stream *st = nullptr;
                       return api.stream_create(ctx, device, &st);
                     }});
  }
  if (api.gemm_plan_create != nullptr) {
    calls.push_back({"gemm_plan_create(desc = NULL)", [&api, ctx] {
                       sl_gemm_plan *plan = nullptr;
                       uint64_t ws = 0;
                       return api.gemm_plan_create(ctx, 0, nullptr, &plan, &ws);
                     }});
    struct zero_dim {
      const char *name;
      int64_t m, n, k;
    };
    for (const zero_dim &z :
         {zero_dim{"m", 0, 8, 8}, zero_dim{"n", 8, 0, 8}, zero_dim{"k", 8, 8, 0}}) {
      const sl_gemm_desc d = fp32_gemm(z.m, z.n, z.k);
      calls.push_back({std::string("gemm_plan_create(fp32, ") + z.name + " = 0)", [&api, ctx, d] {
                         sl_gemm_plan *plan = nullptr;
                         uint64_t ws = 0;
                         return api.gemm_plan_create(ctx, 0, &d, &plan, &ws);
                       }});
    }
  }
  if (s.covers(offsetof(sl_backend_api, attention_plan_create)) &&
      api.attention_plan_create != nullptr) {
    calls.push_back({"attention_plan_create(desc = NULL)", [&api, ctx] {
                       sl_attention_plan *plan = nullptr;
                       uint64_t ws = 0;
                       return api.attention_plan_create(ctx, 0, nullptr, &plan, &ws);
                     }});
  }
  if (s.covers(offsetof(sl_backend_api, comm_init)) && api.comm_init != nullptr) {
    uint64_t id_bytes = 32;
    if (api.comm_unique_id_size != nullptr && api.comm_unique_id_size(ctx, &id_bytes) != SL_OK) {
      id_bytes = 32;
    }
    id_bytes = std::min<uint64_t>(std::max<uint64_t>(id_bytes, 1), 4096);
    calls.push_back({"comm_init(rank 1 of 1)", [&api, ctx, id_bytes] {
                       const std::vector<unsigned char> id(id_bytes);
                       sl_comm *comm = nullptr;
                       return api.comm_init(ctx, 0, 1, 1, id.data(), id_bytes, &comm);
                     }});
  }
  return calls;
}

} // namespace

check_result check_invalid_args(const check_input &in) {
  session s(in.plugin);
  const int32_t count = s.device_count();
  const auto calls = invalid_calls(s, count);
  for (const auto &c : calls) {
    note_stage(c.what);
    const sl_status st = c.call();
    if (st == SL_OK) {
      return fail(c.what + " returned ok; expected an error status with a reason");
    }
    const std::string why = plugin_text(s.api().last_error(c.null_ctx ? nullptr : s.ctx()));
    if (st == SL_UNSUPPORTED) {
      log_unsupported(c.what, why);
    }
    if (why.empty()) {
      return fail(c.what + " returned " + sl_status_name(st) + " with an empty last_error" +
                  (c.null_ctx ? "(NULL)" : ""));
    }
  }
  return pass(std::to_string(calls.size()) + " invalid calls (NULL ctx or desc, devices -1 and " +
              std::to_string(count) + ", zero GEMM dims) answered an error with a reason");
}

check_result check_reasons(const check_input &in) {
  session s(in.plugin);
  const auto &api = s.api();
  int asked = 0;
  // Requests a plugin may well not offer; whatever it does not offer must say why.
  const auto probe = [&](const std::string &what, sl_status st) {
    ++asked;
    if (st == SL_UNSUPPORTED && s.unsupported_reason(what).empty()) {
      return false;
    }
    return true;
  };
  std::vector<std::string> missing;
  if (api.gemm_plan_create != nullptr) {
    sl_gemm_desc d = fp32_gemm(8, 8, 8);
    d.a_type = SL_DTYPE_FP8_E5M2; // fp8 x int8 -> fp16, fp64 accumulate: an odd mix
    d.b_type = SL_DTYPE_INT8;
    d.c_type = SL_DTYPE_FP16;
    d.compute_type = SL_DTYPE_FP64;
    sl_gemm_plan *plan = nullptr;
    uint64_t ws = 0;
    note_stage("gemm_plan_create(fp8_e5m2 x int8 -> fp16)");
    const sl_status st = api.gemm_plan_create(s.ctx(), 0, &d, &plan, &ws);
    if (!probe("gemm_plan_create(fp8_e5m2 x int8 -> fp16, fp64 accumulate)", st)) {
      missing.push_back("gemm_plan_create of an odd dtype mix");
    }
    if (st == SL_OK && plan != nullptr && api.gemm_plan_destroy != nullptr) {
      api.gemm_plan_destroy(s.ctx(), plan);
    }
  }
  if (s.covers(offsetof(sl_backend_api, attention_plan_create)) &&
      api.attention_plan_create != nullptr) {
    bench::attention_problem p;
    p.precision = bench::find_attention_precision("fp32");
    p.seq_q = p.seq_kv = 8;
    p.heads_q = p.heads_kv = 1;
    p.head_dim_qk = 1000;
    p.head_dim_v = 24;
    const sl_attention_desc d = p.to_desc();
    sl_attention_plan *plan = nullptr;
    uint64_t ws = 0;
    note_stage("attention_plan_create(head dims 1000 and 24)");
    const sl_status st = api.attention_plan_create(s.ctx(), 0, &d, &plan, &ws);
    if (!probe("attention_plan_create(head_dim_qk 1000, head_dim_v 24)", st)) {
      missing.push_back("attention_plan_create of head dims 1000 and 24");
    }
    if (st == SL_OK && plan != nullptr && api.attention_plan_destroy != nullptr) {
      api.attention_plan_destroy(s.ctx(), plan);
    }
  }
  if (api.rated_peak != nullptr) {
    double flops = 0;
    char source[512] = {};
    note_stage("rated_peak(fp8_e4m3)");
    if (!probe("rated_peak(fp8_e4m3)",
               api.rated_peak(s.ctx(), 0, SL_DTYPE_FP8_E4M3, &flops, source, sizeof source))) {
      missing.push_back("rated_peak(fp8_e4m3)");
    }
  }
  if (!missing.empty()) {
    return fail(no_reason_text(missing.front()));
  }
  return pass(std::to_string(asked) + " unusual requests probed");
}

} // namespace suanli::conformance
