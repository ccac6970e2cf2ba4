// `suanli run` under mpirun, end to end: the cluster report of a mixed suite (signed, verified,
// shown, valid against the JSON Schema, bandwidths recomputed from the raw figures), 4 and 3
// ranks with fitted sizes, fault injection, the bad inputs of a multi-rank job, and a backend
// with a vendor-style restriction (tests/plugins/restricted_collectives.c).
#include "cli_cluster_support.hpp"

#include <kernels/abi/suanli_backend.h>

#include <dlfcn.h>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <cmath>
#include <cstdlib>
#include <map>
#include <regex>
#include <string>
#include <vector>

namespace suanli::test {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

// A fresh folder per test, removed when the test passed (kept for a look when it failed).
class cli_cluster : public ::testing::Test {
protected:
  void SetUp() override {
    dir_ = fresh_dir(std::string("cluster_") +
                     ::testing::UnitTest::GetInstance()->current_test_info()->name());
  }
  void TearDown() override {
    if (!HasFailure()) {
      fs::remove_all(dir_);
    }
  }
  [[nodiscard]] fs::path path(const std::string &name) const { return dir_ / name; }

  // `mpirun -np <ranks> suanli run --suite <cluster data> --threads 1 --out <out> <extra>`.
  cli_result run(int ranks, const std::string &suite, const std::string &out,
                 const std::string &extra = "", const env_list &env = {}) const {
    return run_mpi(ranks,
                   "run --suite " + quoted(cluster_data(suite)) + " --threads 1 --out " +
                       quoted(path(out).string()) + (extra.empty() ? "" : " " + extra),
                   dir_, env);
  }

  fs::path dir_;
};

// The busbw factor of suanli.collective.bw.v1 (nccl-tests' definitions), written out here
// independently of bench/collective_problem.cpp.
double busbw_factor(const std::string &op, int n) {
  if (op == "all_reduce") {
    return 2.0 * (n - 1) / n;
  }
  if (op == "all_gather" || op == "reduce_scatter" || op == "all_to_all") {
    return static_cast<double>(n - 1) / n;
  }
  EXPECT_TRUE(op == "broadcast" || op == "reduce" || op == "sendrecv") << op;
  return 1.0;
}

// Whether S is split into n blocks (so that S = n * count * element size).
bool block_split(const std::string &op) {
  return op == "all_gather" || op == "reduce_scatter" || op == "all_to_all";
}

void expect_rel(double actual, double expected, const std::string &what) {
  EXPECT_LE(std::abs(actual - expected), 1e-12 * std::abs(expected))
      << what << ": " << actual << " vs " << expected;
}

// A passed collective case: verified with no wrong element, and its figures recomputed from
// parameters.bytes, parameters.ranks and the median time of statistics.
void expect_passed_collective(const json &c, int ranks) {
  const std::string name = c["name"];
  ASSERT_EQ(c["operation"], "collective") << name;
  EXPECT_EQ(c["status"], "pass") << name << ": " << c["reason"];
  ASSERT_TRUE(c["metrics"].is_object()) << name;
  const auto &p = c["parameters"];
  const auto &v = c["verification"];
  const auto &m = c["metrics"];
  const std::string op = p["op"];
  EXPECT_EQ(c["ranks"], ranks) << name;
  EXPECT_EQ(p["ranks"], ranks) << name;
  EXPECT_TRUE(v["passed"].get<bool>()) << name;
  EXPECT_EQ(v["wrong_elements"], 0) << name;
  EXPECT_GT(v["elements_checked"].get<uint64_t>(), 0u) << name;
  EXPECT_TRUE(v["ranks_wrong"].empty()) << name;
  EXPECT_EQ(v["samples_checked"], c["statistics"]["time_s"]["count"]) << name;

  // S = count x element size (x n for the block-split operations).
  const uint64_t bytes = p["bytes"];
  const uint64_t elem = p["dtype"] == "fp32" ? 4 : p["dtype"] == "int8" ? 1 : 0;
  ASSERT_NE(elem, 0u) << name;
  EXPECT_EQ(bytes, p["count"].get<uint64_t>() * elem * (block_split(op) ? ranks : 1)) << name;
  EXPECT_EQ(m["bytes"], bytes) << name;

  const double t = c["statistics"]["time_s"]["median"];
  const double t_lo = c["statistics"]["time_s"]["ci_low"];
  const double t_hi = c["statistics"]["time_s"]["ci_high"];
  const double f = busbw_factor(op, ranks);
  const double s = static_cast<double>(bytes);
  expect_rel(m["time_median_s"], t, name + " time_median_s");
  expect_rel(m["latency_us"], t * 1e6, name + " latency_us");
  expect_rel(p["busbw_factor"], f, name + " parameters.busbw_factor");
  expect_rel(m["busbw_factor"], f, name + " metrics.busbw_factor");
  expect_rel(m["algbw_gbps"], s / t / 1e9, name + " algbw");
  expect_rel(m["busbw_gbps"], s / t / 1e9 * f, name + " busbw");
  expect_rel(m["algbw_ci_low_gbps"], s / t_hi / 1e9, name + " algbw CI low");
  expect_rel(m["algbw_ci_high_gbps"], s / t_lo / 1e9, name + " algbw CI high");
  expect_rel(m["busbw_ci_low_gbps"], s / t_hi / 1e9 * f, name + " busbw CI low");
  expect_rel(m["busbw_ci_high_gbps"], s / t_lo / 1e9 * f, name + " busbw CI high");
}

const json *find_case(const json &cases, const std::string &name) {
  for (const auto &c : cases) {
    if (c["name"] == name) {
      return &c;
    }
  }
  return nullptr;
}

// Exit code 2, one "suanli: error:" line, no report.
void expect_refused(const cli_result &r, const fs::path &report) {
  EXPECT_EQ(r.exit_code, 2) << r.out << r.err;
  EXPECT_EQ(occurrences(r.err, "suanli: error:"), 1u) << r.err;
  EXPECT_FALSE(fs::exists(report));
}

TEST_F(cli_cluster, mixed_suite_on_2_ranks_is_signed_verified_shown_and_recomputes) {
  ASSERT_EQ(run_suanli("keygen --out " + quoted(path("k").string())).exit_code, 0);
  const auto r = run(2, "cluster_mixed.toml", "r.json", "--key " + quoted(path("k.key").string()));
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;

  const auto v = run_suanli("verify " + quoted(path("r.json").string()) + " --pubkey " +
                            quoted(path("k.pub").string()));
  EXPECT_EQ(v.exit_code, 0) << v.out << v.err;
  EXPECT_NE(v.out.find(": OK: "), std::string::npos) << v.out;

  const auto p = predicate_of(path("r.json"));
  EXPECT_EQ(schema_problem(p, dir_), "");

  // The job and its one node, whose GEMM case carries the rank that ran it.
  EXPECT_EQ(p["cluster"]["ranks"], 2);
  EXPECT_EQ(p["cluster"]["nodes"], 1);
  EXPECT_EQ(p["cluster"]["launcher"], "mpirun");
  ASSERT_EQ(p["cluster"]["layout"].size(), 2u);
  ASSERT_EQ(p["nodes"].size(), 1u);
  const auto &node = p["nodes"][0];
  EXPECT_EQ(node["ranks"], json::array({0, 1}));
  ASSERT_EQ(node["cases"].size(), 1u);
  const auto &gemm = node["cases"][0];
  EXPECT_EQ(gemm["name"], "gemm.fp32.256x256x256");
  EXPECT_EQ(gemm["status"], "pass") << gemm["reason"];
  ASSERT_TRUE(gemm["rank"].is_number_integer());
  EXPECT_EQ(gemm["rank"], 0);
  EXPECT_EQ(gemm["node"], 0);
  EXPECT_TRUE(p["peaks"].empty());
  EXPECT_EQ(p["totals"]["cluster"]["ranks"], 2);
  EXPECT_EQ(p["totals"]["cluster"]["sum_of_verified_device_medians"].size(), 1u);

  // 7 operations x 2 sizes, every one verified, with its figures recomputed.
  ASSERT_EQ(p["cases"].size(), 14u);
  std::map<std::string, int> per_op;
  for (const auto &c : p["cases"]) {
    expect_passed_collective(c, 2);
    ++per_op[c["parameters"]["op"].get<std::string>()];
  }
  EXPECT_EQ(per_op.size(), 7u);
  for (const auto &[op, n] : per_op) {
    EXPECT_EQ(n, 2) << op;
  }
  EXPECT_EQ(p["totals"]["cases"], 15);
  EXPECT_EQ(p["totals"]["passed"], 15);
  EXPECT_EQ(p["totals"]["cluster"]["collective_sweeps"].size(), 7u);

  const auto show = run_suanli("show " + quoted(path("r.json").string()));
  EXPECT_EQ(show.exit_code, 0) << show.out << show.err;
  for (const char *op :
       {"all_reduce", "all_gather", "all_to_all", "broadcast", "reduce", "reduce_scatter",
        "sendrecv", "busbw", "2 ranks on 1 node(s)", "mpirun", "gemm.fp32.256x256x256"}) {
    EXPECT_NE(show.out.find(op), std::string::npos) << op << "\n" << show.out;
  }

  // show and verify refuse a damaged cluster report with the path of what is wrong.
  const auto damaged = [&](const std::string &name, auto change) {
    auto q = p;
    change(q);
    write_with_predicate(path("r.json"), path(name), q);
    return run_suanli("show " + quoted(path(name).string()));
  };
  const auto no_rank =
      damaged("no_rank.json", [](json &q) { q["nodes"][0]["cases"][0].erase("rank"); });
  EXPECT_EQ(no_rank.exit_code, 1);
  EXPECT_NE(no_rank.out.find("report.nodes[0].cases[0].rank: missing"), std::string::npos)
      << no_rank.out;
  const auto no_wrong = damaged(
      "no_wrong.json", [](json &q) { q["cases"][3]["verification"].erase("wrong_elements"); });
  EXPECT_EQ(no_wrong.exit_code, 1);
  EXPECT_NE(no_wrong.out.find("report.cases[3].verification.wrong_elements: missing"),
            std::string::npos)
      << no_wrong.out;
  const auto no_totals = damaged("no_totals.json", [](json &q) { q["totals"].erase("cluster"); });
  EXPECT_EQ(no_totals.exit_code, 1);
  EXPECT_NE(no_totals.out.find("report.totals.cluster: missing"), std::string::npos)
      << no_totals.out;
  const auto bad_bytes =
      damaged("bad_bytes.json", [](json &q) { q["cases"][0]["metrics"]["bytes"] = "1 KiB"; });
  EXPECT_EQ(bad_bytes.exit_code, 1);
  EXPECT_NE(bad_bytes.out.find("report.cases[0].metrics.bytes: has the wrong type"),
            std::string::npos)
      << bad_bytes.out;
  EXPECT_NE(schema_problem(json::parse(slurp(path("r.json"))), dir_), "")
      << "the schema must refuse an envelope in place of a payload";
}

TEST_F(cli_cluster, four_ranks_fit_a_size_that_does_not_split_into_4_blocks) {
  const auto r = run(4, "cluster_four.toml", "r.json");
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  const auto p = predicate_of(path("r.json"));
  EXPECT_EQ(schema_problem(p, dir_), "");
  EXPECT_EQ(p["cluster"]["ranks"], 4);
  EXPECT_EQ(p["cluster"]["layout"].size(), 4u);
  EXPECT_EQ(p["nodes"][0]["ranks"], json::array({0, 1, 2, 3}));
  ASSERT_EQ(p["cases"].size(), 5u);
  for (const auto &c : p["cases"]) {
    expect_passed_collective(c, 4);
  }
  // 1000 B is not a multiple of 4 ranks x 4 B: fitted to 992 B, 62 elements per block.
  const json *fitted = find_case(p["cases"], "coll.all_gather.fp32.oop.1000B");
  ASSERT_NE(fitted, nullptr);
  const auto &fp = (*fitted)["parameters"];
  EXPECT_EQ(fp["bytes_requested"], 1000);
  EXPECT_EQ(fp["bytes"], 992);
  EXPECT_EQ(fp["count"], 62);
  EXPECT_EQ(fp["send_elements"], 62);
  EXPECT_EQ(fp["recv_elements"], 248);
  EXPECT_EQ((*fitted)["metrics"]["bytes"], 992);
  EXPECT_NE((*fitted)["note"].get<std::string>().find("size rounded from 1000 B to 992 B"),
            std::string::npos)
      << (*fitted)["note"];
  const json *whole = find_case(p["cases"], "coll.all_gather.fp32.oop.4KiB");
  ASSERT_NE(whole, nullptr);
  EXPECT_EQ((*whole)["parameters"]["bytes"], 4096);
  EXPECT_EQ((*whole)["note"], "");
}

TEST_F(cli_cluster, three_ranks_fit_the_block_split_operations) {
  const auto r = run(3, "cluster_fit.toml", "r.json");
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  const auto p = predicate_of(path("r.json"));
  EXPECT_EQ(schema_problem(p, dir_), "");
  EXPECT_EQ(p["cluster"]["ranks"], 3);
  ASSERT_EQ(p["cases"].size(), 3u);
  for (const auto &c : p["cases"]) {
    expect_passed_collective(c, 3);
    // 1000 B is not a multiple of 3 ranks x 4 B: S = 996 B, 83 elements per block.
    EXPECT_EQ(c["parameters"]["bytes_requested"], 1000);
    EXPECT_EQ(c["parameters"]["bytes"], 996) << c["name"];
    EXPECT_EQ(c["parameters"]["count"], 83) << c["name"];
    EXPECT_NE(c["note"].get<std::string>().find("size rounded from 1000 B to 996 B"),
              std::string::npos)
        << c["name"] << ": " << c["note"];
  }
}

TEST_F(cli_cluster, one_wrong_element_per_call_on_the_last_rank_fails_the_case) {
  const auto r = run(2, "cluster_fault.toml", "r.json", "",
                     {{"SUANLI_CPU_FAULT", "corrupt_collective_output"}});
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
  const auto p = predicate_of(path("r.json"));
  EXPECT_EQ(schema_problem(p, dir_), "");
  ASSERT_EQ(p["cases"].size(), 1u);
  const auto &c = p["cases"][0];
  EXPECT_EQ(c["status"], "fail");
  EXPECT_TRUE(c["metrics"].is_null());
  const auto &v = c["verification"];
  ASSERT_TRUE(v.is_object()) << c.dump();
  EXPECT_FALSE(v["passed"].get<bool>());
  // One element (count / 2 = 512 of 1024) wrong per timed call, on rank 1 only.
  const auto calls = c["statistics"]["time_s"]["count"].get<uint64_t>();
  EXPECT_GT(calls, 0u);
  EXPECT_EQ(v["samples_checked"], calls);
  EXPECT_EQ(v["wrong_elements"], calls);
  EXPECT_EQ(v["ranks_wrong"], json::array({1}));
  const std::string first = v["first_failure"];
  EXPECT_NE(first.find("rank 1"), std::string::npos) << first;
  EXPECT_NE(first.find("element 512"), std::string::npos) << first;
  EXPECT_EQ(p["totals"]["failed"], 1);
}

TEST_F(cli_cluster, collectives_in_a_single_process_are_refused_before_anything_runs) {
  const auto r = run_suanli("run --suite collectives-quick --threads 1 --out " +
                            quoted(path("r.json").string()));
  EXPECT_EQ(r.exit_code, 2) << r.out << r.err;
  EXPECT_EQ(occurrences(r.err, "\n"), 1u) << r.err;
  EXPECT_NE(r.err.find("at least 2 ranks"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("mpirun"), std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists(path("r.json")));
}

TEST_F(cli_cluster, a_root_outside_the_job_is_refused_with_the_case_and_rank_count) {
  const auto r = run(2, "cluster_root.toml", "r.json");
  expect_refused(r, path("r.json"));
  EXPECT_NE(r.err.find("coll.broadcast.fp32.oop.4KiB"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("root 5"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("2 ranks"), std::string::npos) << r.err;
}

TEST_F(cli_cluster, a_suite_error_is_printed_once_for_all_ranks) {
  const auto r = run(2, "cluster_unknown_op.toml", "r.json");
  expect_refused(r, path("r.json"));
  const std::regex where("cluster_unknown_op\\.toml:[0-9]+:[0-9]+: [^\\n]*'allreduce'");
  EXPECT_EQ(std::distance(std::sregex_iterator(r.err.begin(), r.err.end(), where),
                          std::sregex_iterator()),
            1)
      << r.err;
}

TEST_F(cli_cluster, a_restricted_backend_reports_int8_prod_unsupported_and_runs_sum) {
  const auto r = run(2, "cluster_restricted.toml", "r.json",
                     "--backend-path " + quoted(RESTRICTED_PLUGIN) + " --backend restricted",
                     {{"SUANLI_WRAPPED_PLUGIN", SUANLI_CPU_PLUGIN}});
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  const auto p = predicate_of(path("r.json"));
  EXPECT_EQ(schema_problem(p, dir_), "");
  EXPECT_EQ(p["backends"][0]["name"], "restricted");
  const json *prod = find_case(p["cases"], "coll.all_reduce.int8.prod.oop.4KiB");
  const json *sum = find_case(p["cases"], "coll.all_reduce.int8.sum.oop.4KiB");
  ASSERT_NE(prod, nullptr);
  ASSERT_NE(sum, nullptr);
  EXPECT_EQ((*prod)["status"], "unsupported");
  EXPECT_NE((*prod)["reason"].get<std::string>().find(
                "restricted: prod is not offered for int8 (as in HCCL)"),
            std::string::npos)
      << (*prod)["reason"];
  EXPECT_TRUE((*prod)["metrics"].is_null());
  expect_passed_collective(*sum, 2);
  EXPECT_EQ(p["totals"]["unsupported"], 1);
  EXPECT_EQ(p["totals"]["passed"], 1);
  const auto show = run_suanli("show " + quoted(path("r.json").string()));
  EXPECT_EQ(show.exit_code, 0) << show.err;
  EXPECT_NE(show.out.find("prod is not offered for int8"), std::string::npos) << show.out;
}

TEST_F(cli_cluster, the_restricted_backend_without_its_wrapped_plugin_fails_to_initialise) {
  const auto r = run_suanli("devices --backend-path " + quoted(RESTRICTED_PLUGIN),
                            "env -u SUANLI_WRAPPED_PLUGIN");
  EXPECT_EQ(r.exit_code, 3) << r.out << r.err;
  EXPECT_NE(r.err.find("SUANLI_WRAPPED_PLUGIN is not set"), std::string::npos) << r.err;
  const auto bad = run_suanli("devices --backend-path " + quoted(RESTRICTED_PLUGIN),
                              "SUANLI_WRAPPED_PLUGIN=" + quoted(path("none.so").string()));
  EXPECT_EQ(bad.exit_code, 3) << bad.out << bad.err;
  EXPECT_NE(bad.err.find("cannot load SUANLI_WRAPPED_PLUGIN="), std::string::npos) << bad.err;
}

// The restricted plugin through its C ABI, in this process (no communicator needed: the
// refusal comes before the real plugin sees the call).
TEST(restricted_plugin, refuses_int8_prod_in_check_and_run_and_forwards_the_rest) {
  ASSERT_EQ(setenv("SUANLI_WRAPPED_PLUGIN", SUANLI_CPU_PLUGIN, 1), 0);
  void *lib = dlopen(RESTRICTED_PLUGIN, RTLD_NOW | RTLD_LOCAL);
  ASSERT_NE(lib, nullptr) << dlerror();
  const auto entry = reinterpret_cast<sl_entry_fn>(dlsym(lib, SL_ENTRY_SYMBOL));
  ASSERT_NE(entry, nullptr);
  const sl_backend_api *api = entry();
  ASSERT_NE(api, nullptr);
  EXPECT_STREQ(api->name, "restricted");
  EXPECT_EQ(api->abi_major, SL_ABI_MAJOR);
  ASSERT_NE(api->collective_check, nullptr);
  ASSERT_NE(api->collective_run, nullptr);

  sl_init_options options{};
  options.struct_size = sizeof options;
  options.threads = 1;
  sl_context *ctx = nullptr;
  ASSERT_EQ(api->init(&options, &ctx), SL_OK) << api->last_error(nullptr);
  int32_t devices = 0;
  EXPECT_EQ(api->device_count(ctx, &devices), SL_OK);
  EXPECT_EQ(devices, 1);

  sl_collective_desc d{};
  d.struct_size = sizeof d;
  d.op = SL_COLL_ALL_REDUCE;
  d.dtype = SL_DTYPE_INT8;
  d.reduce = SL_REDUCE_PROD;
  d.count = 4096;
  const std::string refusal = "restricted: prod is not offered for int8 (as in HCCL)";
  EXPECT_EQ(api->collective_check(ctx, nullptr, &d), SL_UNSUPPORTED);
  EXPECT_EQ(api->last_error(ctx), refusal);
  // A later failure of the real plugin is reported with its own reason.
  sl_device_props props{};
  props.struct_size = sizeof props;
  EXPECT_EQ(api->device_props(ctx, 99, &props), SL_INVALID_ARGUMENT);
  EXPECT_NE(api->last_error(ctx), refusal);
  std::vector<int8_t> send(4096), recv(4096);
  EXPECT_EQ(api->collective_run(ctx, nullptr, &d, send.data(), recv.data(), nullptr),
            SL_UNSUPPORTED);
  EXPECT_EQ(api->last_error(ctx), refusal);
  // Every other combination goes to the real plugin, which wants a communicator here.
  d.reduce = SL_REDUCE_SUM;
  EXPECT_NE(api->collective_check(ctx, nullptr, &d), SL_UNSUPPORTED);
  EXPECT_NE(api->last_error(ctx), refusal);
  d.dtype = SL_DTYPE_FP32;
  d.reduce = SL_REDUCE_PROD;
  EXPECT_NE(api->collective_check(ctx, nullptr, &d), SL_UNSUPPORTED);
  EXPECT_NE(api->last_error(ctx), refusal);
  api->finalize(ctx);
  dlclose(lib);
  unsetenv("SUANLI_WRAPPED_PLUGIN");
}

} // namespace
} // namespace suanli::test
