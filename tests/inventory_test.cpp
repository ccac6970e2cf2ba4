// System inventory and tool identity: probed values are present and plausible.
#include <bench/inventory.hpp>
#include <bench/inventory_io.hpp>
#include <bench/sha256.hpp>

#include <gtest/gtest.h>

#include <algorithm>

namespace {

using namespace suanli::bench;
using namespace suanli::bench::inventory_detail;

bool is_hex64(const std::string &s) {
  return s.size() == 64 && std::all_of(s.begin(), s.end(), [](char c) {
           return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
         });
}

TEST(Inventory, ProbesCpuMemoryAndOs) {
  const auto sys = probe_system();
  for (const char *part : {"host", "cpu", "memory", "os", "virtualization"}) {
    EXPECT_TRUE(sys.contains(part)) << part;
  }
  const auto &cpu = sys["cpu"];
  ASSERT_TRUE(cpu["model"].is_string()) << cpu.dump();
  EXPECT_FALSE(cpu["model"].get<std::string>().empty());
  ASSERT_TRUE(cpu["cores"].is_number_integer()) << cpu.dump();
  EXPECT_GE(cpu["cores"].get<int64_t>(), 1);
  ASSERT_TRUE(cpu["threads"].is_number_integer());
  EXPECT_GE(cpu["threads"].get<int64_t>(), cpu["cores"].get<int64_t>());
  EXPECT_GE(cpu["sockets"].get<int64_t>(), 1);
  EXPECT_TRUE(cpu["isa_flags"].is_array());
  EXPECT_TRUE(cpu["frequency_mhz"].contains("source"));
  EXPECT_TRUE(cpu["caches"].contains("l1d_bytes"));
  ASSERT_TRUE(sys["memory"]["total_bytes"].is_number_integer());
  EXPECT_GT(sys["memory"]["total_bytes"].get<int64_t>(), 0);
  EXPECT_TRUE(sys["os"]["kernel"].is_string());
  EXPECT_TRUE(sys["os"]["machine"].is_string());
  EXPECT_TRUE(sys["host"]["hostname"].is_string());
}

TEST(Inventory, ToolIdentityHashesTheRunningBinary) {
  const auto id = tool_identity();
  EXPECT_EQ(id["name"], "suanli");
  EXPECT_FALSE(id["version"].get<std::string>().empty());
  EXPECT_FALSE(id["git_commit"].get<std::string>().empty());
  ASSERT_TRUE(id["binary_sha256"].is_string());
  const std::string sha = id["binary_sha256"].get<std::string>();
  EXPECT_TRUE(is_hex64(sha)) << sha;
  EXPECT_EQ(sha, sha256_file_hex(id["binary"].get<std::string>()));
}

TEST(InventoryParsing, CpuListsSizesAndCpuinfoBlocks) {
  EXPECT_EQ(parse_cpu_list("0-3,8,10-11\n"), (std::vector<int>{0, 1, 2, 3, 8, 10, 11}));
  EXPECT_TRUE(parse_cpu_list("3-1").empty());
  EXPECT_TRUE(parse_cpu_list("x").empty());
  EXPECT_EQ(parse_size("32K"), 32 * 1024);
  EXPECT_EQ(parse_size("32M\n"), int64_t{32} << 20);
  EXPECT_EQ(parse_size("512"), 512);
  EXPECT_FALSE(parse_size("").has_value());
  EXPECT_EQ(parse_int("0xd0c", 16), 0xd0c);
  EXPECT_FALSE(parse_int("12a").has_value());
  const auto blocks = cpuinfo_blocks("processor\t: 0\nmodel name\t: A\n\nprocessor\t: 1\n"
                                     "model name\t: B\nflags\t\t: sse avx\n\n");
  ASSERT_EQ(blocks.size(), 2U);
  EXPECT_EQ(blocks[1].at("model name"), "B");
  EXPECT_EQ(blocks[1].at("flags"), "sse avx");
  EXPECT_EQ(key_values("A=1\nB=\"x y\"\n", '=', false).at("B"), "\"x y\"");
}

} // namespace
