#include "render_fixture.hpp"

namespace suanli::test {

using nlohmann::json;

namespace {

json timed(json c, double median_s) {
  json samples = json::array();
  for (int i = 0; i < 9; ++i) {
    samples.push_back(median_s * (1 + 0.01 * (i - 4)));
  }
  c["measurement"] = {{"samples_s", samples}};
  c["statistics"] = {{"time_s", {{"median", median_s}, {"count", 9}}}};
  return c;
}

json system_json(const std::string &host) {
  return {{"host", {{"hostname", host}}},
          {"cpu", {{"vendor", "TestVendor"}, {"model", "Test CPU"}, {"cores", 8}}},
          {"memory", {{"total_bytes", 1073741824.0}}},
          {"os", {{"pretty_name", "Test OS"}, {"kernel", "6.1"}}}};
}

} // namespace

json gemm_case(const std::string &precision, int m, double gflops, const std::string &status) {
  const double flops = 2.0 * m * m * m;
  json c = {{"name", "gemm." + precision + "." + std::to_string(m)},
            {"operation", "gemm"},
            {"status", status},
            {"reason", status == "pass" ? "" : "wrong result"},
            {"device", 0},
            {"parameters", {{"precision", precision}, {"m", m}, {"n", m}, {"k", m}, {"batch", 1}}},
            {"verification", {{"method", "Freivalds"}, {"summary", "ok"}}}};
  if (status == "pass") {
    c["metrics"] = {{"gflops_median", gflops},
                    {"gflops_ci_low", gflops * 0.98},
                    {"gflops_ci_high", gflops * 1.02},
                    {"efficiency_rated", gflops / 1000}};
  }
  return timed(c, flops / (gflops * 1e9));
}

json attention_case(int seq, double gflops) {
  json c = {{"name", "attn.fp32.s" + std::to_string(seq)},
            {"operation", "attention"},
            {"status", "pass"},
            {"parameters",
             {{"precision", "fp32"},
              {"seq_q", seq},
              {"heads_q", 8},
              {"heads_kv", 2},
              {"head_dim_qk", 64}}},
            {"metrics", {{"gflops_median", gflops}}}};
  return timed(c, 1e-3);
}

json collective_case(double bytes, double busbw_gbps) {
  const double t = bytes / (busbw_gbps * 1e9);
  json c = {
      {"name", "coll.all_reduce.fp32.sum.oop." + std::to_string(static_cast<long>(bytes)) + "B"},
      {"operation", "collective"},
      {"status", "pass"},
      {"parameters", {{"op", "all_reduce"}, {"dtype", "fp32"}, {"in_place", false}}},
      {"metrics", {{"bytes", bytes}, {"busbw_gbps", busbw_gbps}, {"time_median_s", t}}}};
  return timed(c, t);
}

json single_report() {
  json cases = {
      gemm_case("fp32", 256, 100), gemm_case("fp32", 512, 200),        gemm_case("fp32", 1024, 300),
      gemm_case("bf16", 512, 400), gemm_case("bf16", 1024, 0, "fail"), attention_case(256, 50),
      attention_case(1024, 80)};
  return {
      {"schema", "suanli.report.v1"},
      {"created", "2026-11-23T00:00:00Z"},
      {"suite", {{"name", "fixture"}, {"description", "synthetic"}}},
      {"tool", {{"version", "0.1.0"}, {"git_commit", "abc"}}},
      {"system", system_json("host-a")},
      {"backends", {{{"name", "cpu"}, {"devices", {{{"index", 0}, {"model", "Test CPU"}}}}}}},
      {"peaks",
       {{{"dtype", "fp32"},
         {"rated", {{"gflops", 1000}, {"source", "formula"}}},
         {"measured", {{"gflops", 900}, {"source", "kernel"}}},
         {"database", nullptr}},
        {{"dtype", "bf16"}, {"rated", {{"gflops", 2000}, {"source", "formula"}}}}}},
      {"claims",
       {{"provider", "acme"},
        {"devices", {{{"model", "Test CPU"}, {"dense_tflops", {{"fp32", 0.95}}}}}}}},
      {"conventions", {{{"id", "suanli.gemm.flops.v1"}, {"text", "FLOPs = 2MNK"}}}},
      {"cases", cases},
      {"totals", {{"cases", 7}, {"passed", 6}, {"failed", 1}, {"unsupported", 0}, {"errors", 0}}}};
}

json cluster_report() {
  json r = single_report();
  r.erase("peaks");
  r.erase("system");
  r["peaks"] = json::array();
  r["cases"] = {collective_case(1024, 1), collective_case(65536, 5), collective_case(4194304, 9)};
  r["cluster"] = {{"nodes", 3}, {"ranks", 3}, {"launcher", "mpirun"}};
  r["nodes"] = json::array();
  for (int n = 0; n < 3; ++n) {
    const double speed = n == 2 ? 0.6 : 1.0;
    r["nodes"].push_back(
        {{"index", n},
         {"host", "node" + std::to_string(n)},
         {"system", system_json("node" + std::to_string(n))},
         {"backends", r["backends"]},
         {"peaks", json::array()},
         {"cases", {gemm_case("fp32", 512, 200 * speed), attention_case(256, 50 * speed)}}});
  }
  r["totals"] = {{"cases", 9}, {"passed", 9}, {"failed", 0}, {"unsupported", 0}, {"errors", 0}};
  return r;
}

} // namespace suanli::test
