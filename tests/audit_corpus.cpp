#include "audit_corpus.hpp"

#include <bench/seeds.hpp>
#include <bench/stats.hpp>
#include <reports/atomic_file.hpp>
#include <reports/dsse.hpp>
#include <reports/statement.hpp>

#include <fstream>
#include <stdexcept>

namespace suanli::test {

using nlohmann::json;

json decode_report(const std::filesystem::path &file) {
  const auto env = reports::parse_envelope(reports::read_file(file, "report"), file.string());
  const auto st = reports::read_statement(env);
  if (!st.result.ok()) {
    throw std::runtime_error(file.string() + ": " + st.result.reason);
  }
  return st.predicate;
}

void write_signed(const json &report, const reports::private_key &key,
                  const std::filesystem::path &file) {
  const auto statement = reports::make_statement(file.filename().string(), report);
  std::ofstream(file) << reports::serialize_envelope(reports::sign_statement(statement, key));
}

void resummarize(json &c) {
  auto &m = c["measurement"];
  const auto samples = m["samples_s"].get<std::vector<double>>();
  const auto s = bench::summarize(samples);
  c["statistics"]["time_s"] = {
      {"count", s.count},       {"median", s.median}, {"ci_low", s.ci_low}, {"ci_high", s.ci_high},
      {"ci_level", s.ci_level}, {"min", s.min},       {"max", s.max},       {"p5", s.p5},
      {"p95", s.p95},           {"mean", s.mean},     {"stddev", s.stddev}, {"cov", s.cov}};
  double sum = 0;
  for (const double t : samples) {
    sum += t;
  }
  m["sampled_s"] = sum * m["batch"].get<double>();
  const double flops = c["flops_per_call"].get<double>();
  if (c["metrics"].is_object() && c["metrics"].contains("gflops_median")) {
    c["metrics"]["gflops_median"] = flops / s.median * 1e-9;
    c["metrics"]["gflops_ci_low"] = flops / s.ci_high * 1e-9;
    c["metrics"]["gflops_ci_high"] = flops / s.ci_low * 1e-9;
  }
}

void set_identities(json &report, const std::string &tag) {
  int n = 0;
  for (auto &b : report["backends"]) {
    for (auto &d : b["devices"]) {
      d["uuid"] = tag + "-uuid-" + std::to_string(n);
      d["serial"] = tag + "-sn-" + std::to_string(n);
      ++n;
    }
  }
}

json make_challenge(const reports::private_key &platform, const std::string &nonce,
                    const std::string &issued, const std::string &expires) {
  const json payload = {{"schema", "suanli.challenge.v1"},
                        {"nonce", nonce},
                        {"issued", issued},
                        {"expires", expires},
                        {"scope", {{"provider", "acme"}, {"cluster", "c1"}}}};
  const auto env =
      reports::sign_envelope(payload.dump(), "application/vnd.suanli.challenge+json", platform);
  return {{"envelope", reports::envelope_to_json(env)},
          {"nonce", nonce},
          {"platform_keyid", platform.keyid()}};
}

namespace {

std::string hex_seed(uint64_t v) {
  static constexpr char digits[] = "0123456789abcdef";
  std::string s(16, '0');
  for (int i = 15; i >= 0; --i) {
    s[static_cast<size_t>(i)] = digits[v & 15];
    v >>= 4;
  }
  return s;
}

// The first GEMM case of the report.
json &first_gemm(json &report) {
  for (auto &c : report["cases"]) {
    if (c["operation"] == "gemm" && c["status"] == "pass") {
      return c;
    }
  }
  throw std::runtime_error("no passed GEMM case in the genuine report");
}

} // namespace

void embed_challenge(json &report, const json &challenge) {
  const auto nonce = challenge["nonce"].get<std::string>();
  report["challenge"] = challenge;
  report["run"]["nonce"] = nonce;
  for (auto &c : report["cases"]) {
    const auto name = c["name"].get<std::string>();
    if (c["operation"] == "gemm") {
      c["seeds"]["a"] = hex_seed(bench::derive_seed(nonce, name, "A"));
      c["seeds"]["b"] = hex_seed(bench::derive_seed(nonce, name, "B"));
    } else if (c["operation"] == "attention") {
      c["seeds"]["q"] = hex_seed(bench::derive_seed(nonce, name, "Q"));
      c["seeds"]["k"] = hex_seed(bench::derive_seed(nonce, name, "K"));
      c["seeds"]["v"] = hex_seed(bench::derive_seed(nonce, name, "V"));
    }
  }
}

std::vector<tamper> single_report_tampers() {
  return {
      {"edited_median", "stats.median_mismatch",
       [](json &r) {
         auto &t = first_gemm(r)["statistics"]["time_s"];
         t["median"] = t["median"].get<double>() * 0.9;
       }},
      {"edited_ci", "stats.ci_mismatch",
       [](json &r) {
         auto &t = first_gemm(r)["statistics"]["time_s"];
         t["ci_high"] = t["ci_high"].get<double>() * 0.99;
       }},
      {"edited_mean", "stats.summary_mismatch",
       [](json &r) {
         auto &t = first_gemm(r)["statistics"]["time_s"];
         t["mean"] = t["mean"].get<double>() * 0.8;
       }},
      {"edited_samples", "samples.sampled_time_mismatch",
       [](json &r) {
         auto &c = first_gemm(r);
         const double sampled = c["measurement"]["sampled_s"].get<double>();
         for (auto &s : c["measurement"]["samples_s"]) {
           s = s.get<double>() * 0.5;
         }
         resummarize(c);
         c["measurement"]["sampled_s"] = sampled; // the forger forgot the sampled time
       }},
      {"fewer_samples", "samples.below_suite_minimum",
       [](json &r) {
         auto &c = first_gemm(r);
         auto &s = c["measurement"]["samples_s"];
         s.erase(s.begin() + 3, s.end());
         resummarize(c);
       }},
      {"fewer_samples_policy_lowered", "samples.policy_mismatch",
       [](json &r) {
         auto &c = first_gemm(r);
         auto &s = c["measurement"]["samples_s"];
         s.erase(s.begin() + 3, s.end());
         resummarize(c);
         c["policy"]["min_samples"] = 3;
       }},
      {"inflated_gflops", "metrics.gflops_mismatch",
       [](json &r) {
         auto &m = first_gemm(r)["metrics"];
         m["gflops_median"] = m["gflops_median"].get<double>() * 2;
       }},
      {"inflated_shape", "metrics.gflops_mismatch",
       [](json &r) { first_gemm(r)["parameters"]["k"] = 7200; }},
      {"failed_verification_marked_passed", "verification.missing_or_failed",
       [](json &r) {
         auto &v = first_gemm(r)["verification"];
         v["rows_failed"] = 1;
         v["first_failure"] = "row 3: error 41 x tolerance";
       }},
      {"verification_removed", "verification.missing_or_failed",
       [](json &r) { first_gemm(r)["verification"] = nullptr; }},
      {"edited_suite", "suite.edited",
       [](json &r) {
         r["suite"]["name"] = "quick";
         r["suite"]["sha256"] = std::string(64, 'a');
       }},
      {"impossible_clock", "plausibility.impossible_clock",
       [](json &r) { r["backends"][0]["devices"][0]["clock_mhz_max"] = 25000; }},
      {"above_rated_peak", "plausibility.above_rated_peak",
       [](json &r) {
         auto &d = r["backends"][0]["devices"][0];
         d["vendor"] = "NVIDIA";
         d["model"] = "NVIDIA H100 80GB HBM3";
         for (auto &c : r["cases"]) {
           if (c["operation"] == "gemm" && c["status"] == "pass") {
             for (auto &s : c["measurement"]["samples_s"]) {
               s = s.get<double>() * 1e-5;
             }
             resummarize(c);
           }
         }
       }},
      {"seeds_not_from_nonce", "seeds.not_from_nonce",
       [](json &r) { r["run"]["nonce"] = std::string(64, 'b'); }},
  };
}

} // namespace suanli::test
