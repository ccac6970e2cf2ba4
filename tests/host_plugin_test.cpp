#include <bench/attention_problem.hpp>
#include <bench/error.hpp>
#include <bench/gemm_verify.hpp>
#include <bench/inventory_links.hpp>
#include <bench/seeds.hpp>
#include <kernels/host/discovery.hpp>
#include <kernels/host/plugin_backend.hpp>
#include <kernels/host/plugin_library.hpp>

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

namespace suanli::host {
namespace {

std::string message_of(const std::function<void()> &f, bench::exit_code expected) {
  try {
    f();
  } catch (const bench::error &e) {
    EXPECT_EQ(e.code(), expected) << e.what();
    return e.what();
  }
  ADD_FAILURE() << "no error thrown";
  return {};
}

TEST(plugin_library, refuses_another_abi_major) {
  const auto msg = message_of([] { (void)plugin_library::open(BAD_MAJOR_PLUGIN); },
                              bench::exit_code::environment);
  EXPECT_NE(msg.find("speaks backend ABI 2.0"), std::string::npos) << msg;
  EXPECT_NE(msg.find("this suanli speaks ABI 1.x"), std::string::npos) << msg;
}

TEST(plugin_library, refuses_a_library_without_the_entry_symbol) {
  const auto msg = message_of([] { (void)plugin_library::open(NO_ENTRY_PLUGIN); },
                              bench::exit_code::environment);
  EXPECT_NE(msg.find("exports no suanli_backend_entry"), std::string::npos) << msg;
}

TEST(plugin_library, refuses_a_table_without_a_mandatory_function) {
  const auto msg = message_of([] { (void)plugin_library::open(MISSING_MEMCPY_PLUGIN); },
                              bench::exit_code::environment);
  EXPECT_NE(msg.find("has no device_count function"), std::string::npos) << msg;
}

TEST(plugin_library, refuses_a_file_that_is_not_a_shared_library) {
  const auto path = std::filesystem::temp_directory_path() / "suanli_not_a_plugin.so";
  std::ofstream(path) << "this is text, not ELF\n";
  const auto msg =
      message_of([&] { (void)plugin_library::open(path); }, bench::exit_code::environment);
  EXPECT_NE(msg.find("is not a loadable shared library"), std::string::npos) << msg;
  std::filesystem::remove(path);
}

TEST(discovery, explicit_bad_plugin_is_an_error_but_a_scanned_folder_lists_it) {
  EXPECT_THROW((void)discover_backends({BAD_MAJOR_PLUGIN}, {}), bench::error);
  // A folder holding a bad plugin named like a plugin: listed as unavailable with the reason.
  const auto dir = std::filesystem::temp_directory_path() / "suanli_scan_test";
  std::filesystem::create_directories(dir);
  std::filesystem::copy_file(BAD_MAJOR_PLUGIN, dir / "libsuanli-badmajor.so",
                             std::filesystem::copy_options::overwrite_existing);
  const auto entries = discover_backends({dir.string()}, {});
  const auto bad = std::find_if(entries.begin(), entries.end(),
                                [](const auto &e) { return e.name == "badmajor"; });
  ASSERT_NE(bad, entries.end());
  EXPECT_FALSE(bad->available);
  EXPECT_NE(bad->reason.find("ABI 2.0"), std::string::npos) << bad->reason;
  std::filesystem::remove_all(dir);
}

TEST(plugin_backend, cpu_plugin_runs_and_verifies_a_gemm_through_the_adapter) {
  plugin_backend b(plugin_library::open(SUANLI_CPU_PLUGIN), {1});
  EXPECT_EQ(b.name(), "cpu");
  const auto devs = b.devices();
  ASSERT_EQ(devs.size(), 1u);
  EXPECT_FALSE(devs[0].model.empty());
  EXPECT_EQ(b.file_identity().second.size(), 64u);

  bench::gemm_problem g;
  g.precision = bench::find_gemm_precision("fp32");
  g.m = 96;
  g.n = 80;
  g.k = 130;
  const bench::tensor_seeds seeds{bench::derive_seed("00112233445566778899", "t", "A"),
                                  bench::derive_seed("00112233445566778899", "t", "B")};
  auto prepared = b.prepare(g, 0, seeds);
  ASSERT_NE(prepared.prepared, nullptr) << prepared.unsupported_reason;
  EXPECT_GT(prepared.prepared->run(3), 0u);
  EXPECT_EQ(prepared.prepared->timer(), "device events");
  const auto c = prepared.prepared->read_output();
  const auto v = bench::verify_gemm(g, seeds, c, 9);
  EXPECT_TRUE(v.passed) << v.first_failure;
}

TEST(plugin_backend, an_older_minor_loads_and_what_it_lacks_reads_as_unsupported) {
  // An ABI 1.0 table whose fields past struct_size hold invalid addresses: reading one crashes.
  plugin_backend b(plugin_library::open(OLD_MINOR_PLUGIN), {1});
  EXPECT_EQ(b.name(), "oldminor");
  bench::gemm_problem g;
  g.precision = bench::find_gemm_precision("fp32");
  g.m = g.n = g.k = 64;
  const bench::tensor_seeds seeds{1, 2};
  auto gemm = b.prepare(g, 0, seeds);
  ASSERT_NE(gemm.prepared, nullptr) << gemm.unsupported_reason;
  EXPECT_TRUE(bench::verify_gemm(g, seeds, (gemm.prepared->run(1), gemm.prepared->read_output()), 3)
                  .passed);

  bench::attention_problem a;
  a.precision = bench::find_attention_precision("fp32");
  a.seq_q = a.seq_kv = 16;
  a.heads_q = a.heads_kv = 1;
  a.head_dim_qk = a.head_dim_v = 64;
  const auto attn = b.prepare(a, 0, {1, 2, 3});
  EXPECT_EQ(attn.prepared, nullptr);
  EXPECT_NE(attn.unsupported_reason.find("ABI 1.0"), std::string::npos) << attn.unsupported_reason;

  std::string why;
  EXPECT_FALSE(b.has_collectives(why));
  EXPECT_NE(why.find("(ABI 1.0) offers no collectives"), std::string::npos) << why;
  EXPECT_EQ(b.telemetry(0, why), nullptr);
  EXPECT_NE(why.find("(ABI 1.0) offers no telemetry"), std::string::npos) << why;
  EXPECT_EQ(b.link(0, 0, why), std::nullopt);
  EXPECT_NE(why.find("(ABI 1.0) offers no device topology"), std::string::npos) << why;
  const auto m = bench::probe_links(b, 2);
  EXPECT_TRUE(m.pairs.empty());
  EXPECT_NE(m.reason.find("(ABI 1.0) offers no device topology"), std::string::npos) << m.reason;
}

TEST(plugin_backend, cpu_plugin_links_its_one_device_to_itself_and_refuses_other_indices) {
  plugin_backend b(plugin_library::open(SUANLI_CPU_PLUGIN), {1});
  std::string why;
  const auto self = b.link(0, 0, why);
  ASSERT_TRUE(self.has_value()) << why;
  EXPECT_EQ(self->kind, bench::link_kind::self);
  EXPECT_EQ(self->name, "X");
  EXPECT_EQ(self->a, 0);
  EXPECT_EQ(self->b, 0);
  EXPECT_EQ(b.link(0, 1, why), std::nullopt);
  EXPECT_NE(why.find("device_link(0, 1): invalid argument: "), std::string::npos) << why;
  EXPECT_NE(why.find("device 1 does not exist"), std::string::npos) << why;
  // One device: the inventory has no pair to ask about, and no reason to give.
  const auto m = bench::probe_links(b, 1);
  EXPECT_TRUE(m.pairs.empty());
  EXPECT_TRUE(m.reason.empty());
}

TEST(plugin_backend, too_large_problem_is_refused_before_allocating) {
  plugin_backend b(plugin_library::open(SUANLI_CPU_PLUGIN), {1});
  bench::gemm_problem g;
  g.precision = bench::find_gemm_precision("fp64");
  g.m = g.n = g.k = 1'000'000; // 8 TB per operand
  const auto msg = message_of([&] { (void)b.prepare(g, 0, {1, 2}); }, bench::exit_code::bad_input);
  EXPECT_NE(msg.find("too large for memory"), std::string::npos) << msg;
}

} // namespace
} // namespace suanli::host
