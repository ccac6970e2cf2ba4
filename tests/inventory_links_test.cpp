// The link matrix of a backend's devices (bench/inventory_links): probing every pair, the
// report's JSON, and the `suanli devices` matrix, over a fake backend.

#include <bench/inventory_links.hpp>

#include <gtest/gtest.h>

#include <stdexcept>

namespace suanli::bench {
namespace {

// A backend with `devices` devices: NV4 between 0 and 1, SYS otherwise; or no topology at all.
class fake_backend final : public backend {
public:
  fake_backend(int32_t devices, bool offers_links) : devices_(devices), offers_(offers_links) {}

  std::string name() const override { return "fake"; }
  std::string version() const override { return "1"; }
  std::pair<std::string, std::string> file_identity() const override { return {}; }
  std::map<std::string, std::string> library_versions() const override { return {}; }
  std::vector<device_info> devices() const override {
    return std::vector<device_info>(static_cast<size_t>(devices_));
  }
  prepare_result prepare(const problem &, int32_t, const tensor_seeds &) override {
    throw std::logic_error("not used");
  }
  std::optional<peak_rate> rated_peak(int32_t, sl_dtype, std::string &) override {
    return std::nullopt;
  }
  std::optional<peak_rate> measured_peak(int32_t, sl_dtype, std::string &) override {
    return std::nullopt;
  }
  bool has_collectives(std::string &) const override { return false; }
  std::unique_ptr<communicator> join(int32_t, coordinator &) override { return nullptr; }
  std::unique_ptr<prepared_collective> prepare_collective(communicator &,
                                                          const collective_problem &, int32_t,
                                                          int32_t, int32_t,
                                                          std::string &) override {
    return nullptr;
  }
  std::optional<device_link> link(int32_t a, int32_t b, std::string &reason) const override {
    ++calls;
    if (!offers_) {
      return backend::link(a, b, reason);
    }
    device_link l;
    l.a = a;
    l.b = b;
    if ((a == 0 && b == 1) || (a == 1 && b == 0)) {
      l.kind = link_kind::scale_up;
      l.links = 4;
      l.bandwidth_gb_s = 100;
      l.name = "NV4";
    } else {
      l.kind = link_kind::system;
      l.name = "SYS";
    }
    return l;
  }

  mutable int calls = 0; ///< link() calls so far

private:
  int32_t devices_;
  bool offers_;
};

TEST(inventory_links, every_pair_a_below_b_is_asked_once) {
  const fake_backend b(3, true);
  const auto m = probe_links(b, 3);
  EXPECT_EQ(b.calls, 3);
  ASSERT_EQ(m.pairs.size(), 3u);
  EXPECT_EQ(m.pairs[0].a, 0);
  EXPECT_EQ(m.pairs[0].b, 1);
  EXPECT_EQ(m.pairs[2].a, 1);
  EXPECT_EQ(m.pairs[2].b, 2);
  EXPECT_TRUE(m.reason.empty());
}

TEST(inventory_links, the_json_names_kind_label_links_and_bandwidth) {
  const fake_backend b(2, true);
  const auto j = links_json(probe_links(b, 2));
  ASSERT_EQ(j.size(), 1u);
  EXPECT_EQ(j[0]["a"], 0);
  EXPECT_EQ(j[0]["b"], 1);
  EXPECT_EQ(j[0]["kind"], "scale_up");
  EXPECT_EQ(j[0]["name"], "NV4");
  EXPECT_EQ(j[0]["links"], 4);
  EXPECT_EQ(j[0]["bandwidth_gb_s"], 100.0);
}

TEST(inventory_links, a_backend_without_topology_gives_its_reason_and_no_pairs) {
  const fake_backend b(4, false);
  const auto m = probe_links(b, 4);
  EXPECT_TRUE(m.pairs.empty());
  EXPECT_EQ(m.reason, "fake backend offers no device topology");
  EXPECT_EQ(b.calls, 1); // the first refusal ends the probe
  EXPECT_TRUE(links_json(m).empty());
  EXPECT_EQ(link_matrix_text(m, "fake"),
            "  links           unavailable: fake backend offers no device topology\n");
}

TEST(inventory_links, one_device_is_one_line_and_no_call) {
  const fake_backend b(1, true);
  const auto m = probe_links(b, 1);
  EXPECT_EQ(b.calls, 0);
  EXPECT_TRUE(m.reason.empty());
  EXPECT_EQ(link_matrix_text(m, "cpu"), "  links           none: 1 device, no pair to link\n");
}

TEST(inventory_links, the_matrix_is_symmetric_with_x_on_the_diagonal_and_a_legend) {
  const fake_backend b(3, true);
  const auto text = link_matrix_text(probe_links(b, 3), "gpu");
  EXPECT_EQ(text, "  links\n"
                  "           gpu:0  gpu:1  gpu:2\n"
                  "    gpu:0  X      NV4    SYS\n"
                  "    gpu:1  NV4    X      SYS\n"
                  "    gpu:2  SYS    SYS    X\n"
                  "    NV4    scale_up, 4 links, 100 GB/s per direction\n"
                  "    SYS    system\n");
}

TEST(inventory_links, kind_names_are_the_report_strings) {
  EXPECT_EQ(link_kind_name(link_kind::self), "self");
  EXPECT_EQ(link_kind_name(link_kind::pcie_switch), "pcie_switch");
  EXPECT_EQ(link_kind_name(link_kind::pcie_host_bridge), "pcie_host_bridge");
  EXPECT_EQ(link_kind_name(link_kind::numa_node), "numa_node");
  EXPECT_EQ(link_kind_name(link_kind::unknown), "unknown");
}

} // namespace
} // namespace suanli::bench
