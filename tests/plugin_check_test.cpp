// `suanli plugin check` end to end: the CPU plugin passes; a broken plugin fails on the check
// that its mutation breaks, with the right detail; bad input is exit 2.

#include "cli_support.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <filesystem>
#include <map>
#include <string>

namespace suanli::test {
namespace {

// result and detail of every check of a `--json` run, by id.
struct check_run {
  int exit_code = -1;
  std::map<std::string, std::pair<std::string, std::string>> checks; // id -> (result, detail)
  nlohmann::json doc;
  std::string err;
};

check_run check_json(const std::string &plugin, const std::string &extra = "",
                     const std::string &env = "") {
  const auto r = run_suanli("plugin check --json " + extra + " '" + plugin + "'", env);
  check_run out;
  out.exit_code = r.exit_code;
  out.err = r.err;
  out.doc = nlohmann::json::parse(r.out, nullptr, false);
  if (out.doc.is_object()) {
    for (const auto &c : out.doc["checks"]) {
      out.checks[c["id"].get<std::string>()] = {c["result"].get<std::string>(),
                                                c["detail"].get<std::string>()};
    }
  }
  return out;
}

std::string broken(const std::string &mutation) {
  return "SUANLI_BROKEN=" + mutation;
}

TEST(plugin_check, the_cpu_plugin_passes_every_check) {
  const auto r = run_suanli(std::string("plugin check '") + SUANLI_CPU_PLUGIN + "'");
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_EQ(r.out.find("FAIL"), std::string::npos) << r.out;
  for (const char *id : {"table", "lifecycle", "devices", "links", "memory", "fill", "timing",
                         "gemm", "attention", "collectives", "invalid_args", "reasons"}) {
    EXPECT_NE(r.out.find(std::string("\n") + id + " "), std::string::npos) << id << "\n" << r.out;
  }
  EXPECT_NE(r.out.find(" 0 failed, "), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("check         result  detail"), std::string::npos) << r.out;
}

TEST(plugin_check, the_example_plugin_vendors_copy_passes_every_check) {
  const auto r = check_json(EXAMPLE_PLUGIN);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  ASSERT_EQ(r.checks.size(), 12U) << r.err;
  for (const auto &[id, outcome] : r.checks) {
    EXPECT_EQ(outcome.first, "pass") << id << ": " << outcome.second;
  }
}

TEST(plugin_check, json_has_one_object_per_check_and_a_summary) {
  const auto r = check_json(SUANLI_CPU_PLUGIN, "--only table,fill,reasons");
  EXPECT_EQ(r.exit_code, 0) << r.err;
  ASSERT_TRUE(r.doc.is_object()) << r.err;
  ASSERT_EQ(r.doc["checks"].size(), 3u);
  EXPECT_EQ(r.doc["checks"][0]["id"], "table");
  EXPECT_EQ(r.doc["checks"][1]["id"], "fill");
  EXPECT_EQ(r.doc["checks"][2]["id"], "reasons");
  EXPECT_EQ(r.doc["summary"]["passed"], 3);
  EXPECT_EQ(r.doc["summary"]["failed"], 0);
  EXPECT_EQ(r.checks.at("fill").first, "pass");
  // fp8 fills are not offered by the CPU plugin: seen by the reasons row, each with a reason.
  EXPECT_NE(r.checks.at("fill").second.find("fp8_e4m3"), std::string::npos);
  EXPECT_NE(r.checks.at("reasons").second.find("each with a reason"), std::string::npos);
}

TEST(plugin_check, the_broken_plugin_unmutated_passes) {
  const auto r = check_json(BROKEN_PLUGIN, "--only table,gemm,attention", broken(""));
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.checks.at("gemm").first, "pass") << r.checks.at("gemm").second;
}

TEST(plugin_check, a_wrong_gemm_element_fails_the_gemm_check) {
  const auto r = check_json(BROKEN_PLUGIN, "", broken("wrong_gemm"));
  EXPECT_EQ(r.exit_code, 1) << r.err;
  ASSERT_EQ(r.checks.count("gemm"), 1u) << r.err;
  const auto &[result, detail] = r.checks.at("gemm");
  EXPECT_EQ(result, "fail");
  EXPECT_NE(detail.find("wrong result"), std::string::npos) << detail;
  // Every other check still passes: the wrong element is caught where it is.
  for (const char *id : {"table", "memory", "fill", "attention", "invalid_args"}) {
    EXPECT_EQ(r.checks.at(id).first, "pass") << id << ": " << r.checks.at(id).second;
  }
}

TEST(plugin_check, an_unsupported_without_reason_fails_attention_and_reasons) {
  const auto r = check_json(BROKEN_PLUGIN, "", broken("no_reason"));
  EXPECT_EQ(r.exit_code, 1) << r.err;
  const auto &[result, detail] = r.checks.at("attention");
  EXPECT_EQ(result, "fail");
  EXPECT_NE(detail.find("no reason"), std::string::npos) << detail;
  EXPECT_NE(detail.find("attention_plan_create"), std::string::npos) << detail;
  EXPECT_EQ(r.checks.at("reasons").first, "fail");
  EXPECT_NE(r.checks.at("reasons").second.find("no reason"), std::string::npos);
  EXPECT_EQ(r.checks.at("gemm").first, "pass") << r.checks.at("gemm").second;
}

TEST(plugin_check, a_crash_is_a_fail_naming_sigsegv_and_the_run_goes_on) {
  const auto r = check_json(BROKEN_PLUGIN, "", broken("crash"));
  EXPECT_EQ(r.exit_code, 1) << r.err;
  const auto &[result, detail] = r.checks.at("fill");
  EXPECT_EQ(result, "fail");
  EXPECT_NE(detail.find("killed by SIGSEGV"), std::string::npos) << detail;
  EXPECT_NE(detail.find("during fill"), std::string::npos) << detail;
  // The checks after the crash ran: those that need no fill still pass.
  EXPECT_EQ(r.checks.at("memory").first, "pass");
  EXPECT_EQ(r.checks.at("invalid_args").first, "pass");
  EXPECT_EQ(r.doc["checks"].size(), 12u);
}

TEST(plugin_check, a_hang_is_a_fail_after_the_timeout) {
  const auto r = check_json(BROKEN_PLUGIN, "--timeout 2 --only memory,fill,gemm", broken("hang"));
  EXPECT_EQ(r.exit_code, 1) << r.err;
  const auto &[result, detail] = r.checks.at("fill");
  EXPECT_EQ(result, "fail");
  EXPECT_NE(detail.find("no result within the 2 s timeout"), std::string::npos) << detail;
  EXPECT_NE(detail.find("stream_sync"), std::string::npos) << detail;
  EXPECT_EQ(r.checks.at("gemm").first, "fail");
  EXPECT_EQ(r.checks.at("memory").first, "pass");
}

TEST(plugin_check, a_version_lie_fails_the_table_check) {
  const auto r = check_json(BROKEN_PLUGIN, "", broken("version_lie"));
  EXPECT_EQ(r.exit_code, 1) << r.err;
  const auto &[result, detail] = r.checks.at("table");
  EXPECT_EQ(result, "fail");
  EXPECT_NE(detail.find("version lie"), std::string::npos) << detail;
  EXPECT_NE(detail.find("ABI 1.2"), std::string::npos) << detail;
  // The host reads only the 1.0 table: attention, collectives and links are not offered.
  EXPECT_EQ(r.checks.at("attention").first, "unsupported");
  EXPECT_EQ(r.checks.at("collectives").first, "unsupported");
  EXPECT_EQ(r.checks.at("links").first, "unsupported");
  EXPECT_NE(r.checks.at("links").second.find("(ABI 1.2) offers no device_link"), std::string::npos)
      << r.checks.at("links").second;
  EXPECT_EQ(r.checks.at("gemm").first, "pass");
}

TEST(plugin_check, links_of_devices_that_do_not_exist_fail_the_links_check) {
  const auto r = check_json(BROKEN_PLUGIN, "--only devices,links", broken("link_index"));
  EXPECT_EQ(r.exit_code, 1) << r.err;
  const auto &[result, detail] = r.checks.at("links");
  EXPECT_EQ(result, "fail");
  EXPECT_NE(detail.find("device_link(-1, 0) of a device that does not exist returned ok"),
            std::string::npos)
      << detail;
  EXPECT_EQ(r.checks.at("devices").first, "pass") << r.checks.at("devices").second;
}

TEST(plugin_check, the_links_check_passes_on_the_cpu_plugin) {
  const auto r = check_json(SUANLI_CPU_PLUGIN, "--only links");
  EXPECT_EQ(r.exit_code, 0) << r.err;
  const auto &[result, detail] = r.checks.at("links");
  EXPECT_EQ(result, "pass") << detail;
  EXPECT_NE(detail.find("self is SELF"), std::string::npos) << detail;
  EXPECT_NE(detail.find("indices -1 and 1 refused"), std::string::npos) << detail;
}

TEST(plugin_check, a_missing_or_unloadable_file_is_bad_input) {
  const auto missing = run_suanli("plugin check /nonexistent/libnothing.so");
  EXPECT_EQ(missing.exit_code, 2);
  EXPECT_NE(missing.err.find("/nonexistent/libnothing.so"), std::string::npos) << missing.err;
  EXPECT_EQ(missing.out, "");

  const auto dir = fresh_dir("plugin_check");
  const auto text = dir / "libnot-a-plugin.so";
  spit(text, std::string(256, 'x')); // long enough for dlopen to read an ELF header
  const auto r = run_suanli("plugin check '" + text.string() + "'");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("cannot open plugin " + text.string()), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("invalid ELF header"), std::string::npos) << r.err;
  std::filesystem::remove_all(dir);
}

TEST(plugin_check, an_unknown_check_id_is_bad_input) {
  const auto r =
      run_suanli(std::string("plugin check --only table,bogus '") + SUANLI_CPU_PLUGIN + "'");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("bogus"), std::string::npos) << r.err;
}

} // namespace
} // namespace suanli::test
