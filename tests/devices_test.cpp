// The shipped rated-peak device database (suites/devices/*.toml), its dtype mapping, and matching
// devices as backends report them.
#include <devices/database.hpp>
#include <devices/match.hpp>

#include <gtest/gtest.h>

#include <algorithm>
#include <set>
#include <string>

namespace {

using namespace suanli::devices;
namespace fs = std::filesystem;

const fs::path shipped = fs::path(SUANLI_SOURCE_DIR) / "suites" / "devices";

const database &real() {
  static const database db = load(shipped);
  return db;
}

const device_entry &entry(const std::string &id) {
  const auto *e = real().find(id);
  if (e == nullptr) {
    throw std::runtime_error("no entry " + id);
  }
  return *e;
}

bool contains(const std::string &text, const std::string &part) {
  return text.find(part) != std::string::npos;
}

TEST(DevicesDatabase, RealDatabaseLoadsWithAtLeast25Entries) {
  EXPECT_GE(real().entries.size(), 25U);
  EXPECT_GE(real().files.size(), 10U); // one file per vendor
}

TEST(DevicesDatabase, HasEveryAcceleratorTheIssueNames) {
  for (const char *id :
       {"nvidia-h100-sxm",  "nvidia-h100-pcie",     "nvidia-h200-sxm",      "nvidia-h800-sxm",
        "nvidia-h20",       "nvidia-a100-sxm-80gb", "nvidia-a800-sxm-80gb", "nvidia-l20",
        "nvidia-b200",      "amd-mi300x",           "ascend-910b1",         "ascend-910b2",
        "ascend-910b3",     "ascend-910b4",         "ascend-910c-die",      "cambricon-mlu370-x8",
        "cambricon-mlu590", "kunlunxin-p800",       "hygon-k100",           "mthreads-s4000",
        "biren-br100",      "biren-br104",          "metax-c500",           "iluvatar-bi150"}) {
    EXPECT_NE(real().find(id), nullptr) << id;
  }
}

TEST(DevicesDatabase, EveryEntryStatesItsPeaksAndEveryFigureHasASource) {
  std::set<std::string> unpublished;
  for (const auto &e : real().entries) {
    EXPECT_FALSE(e.vendor.empty()) << e.id;
    EXPECT_FALSE(e.model.empty()) << e.id;
    EXPECT_FALSE(e.names.empty() && e.name_patterns.empty() && e.pci_ids.empty()) << e.id;
    EXPECT_FALSE(e.peaks.empty() && e.not_published.empty()) << e.id;
    if (e.peaks.empty()) {
      unpublished.insert(e.id);
      EXPECT_TRUE(e.is_not_published("fp16")) << e.id;
    }
    for (const auto &[key, p] : e.peaks) {
      EXPECT_EQ(p.key, key) << e.id;
      EXPECT_GT(p.tflops, 0) << e.id << " " << name(key);
      EXPECT_FALSE(p.from.key.empty()) << e.id << " " << name(key);
      EXPECT_FALSE(p.from.ref.empty()) << e.id << " " << name(key);
      EXPECT_TRUE(contains(p.origin, e.file)) << p.origin;
    }
    for (const auto *f : {&e.memory_gib, &e.memory_bandwidth_gbps, &e.tdp_watts}) {
      if (f->has_value()) {
        EXPECT_GT((*f)->value, 0) << e.id;
        EXPECT_FALSE((*f)->from.ref.empty()) << e.id;
      }
    }
    if (e.link) {
      EXPECT_FALSE(e.link->kind.empty()) << e.id;
      EXPECT_FALSE(e.link->from.ref.empty()) << e.id;
    }
  }
  // The devices no stored source rates: the database says so rather than guessing.
  EXPECT_EQ(unpublished, (std::set<std::string>{"cambricon-mlu590", "kunlunxin-p800", "hygon-k100",
                                                "iluvatar-bi150"}));
  EXPECT_GE(real().entries.size() - unpublished.size(), 25U);
}

TEST(DevicesDatabase, PeaksAreConsistentAcrossDtypes) {
  // Catches a sparse figure or a typo: for dense peaks, int8 >= fp16 >= tf32 and fp32 >= fp64.
  for (const auto &e : real().entries) {
    const auto at = [&](peak_key k) { return e.rated(k) ? e.rated(k)->tflops : 0.0; };
    if (at(peak_key::int8) > 0 && at(peak_key::fp16) > 0) {
      EXPECT_GE(at(peak_key::int8), at(peak_key::fp16)) << e.id;
    }
    if (at(peak_key::fp16) > 0 && at(peak_key::tf32) > 0) {
      EXPECT_GE(at(peak_key::fp16), at(peak_key::tf32)) << e.id;
    }
    if (at(peak_key::fp32) > 0 && at(peak_key::fp64) > 0) {
      EXPECT_GE(at(peak_key::fp32), at(peak_key::fp64)) << e.id;
    }
  }
}

TEST(DevicesDatabase, RatedMapsProjectDtypesToDatabaseFields) {
  const auto &h100 = entry("nvidia-h100-sxm");
  EXPECT_DOUBLE_EQ(h100.rated(SL_DTYPE_BF16)->tflops, 989.4);
  EXPECT_EQ(h100.rated(SL_DTYPE_FP64)->key, peak_key::fp64_tensor); // a DGEMM runs on tensor cores
  EXPECT_DOUBLE_EQ(h100.rated(SL_DTYPE_FP64)->tflops, 66.9);
  EXPECT_EQ(h100.rated(SL_DTYPE_FP32)->key, peak_key::fp32);
  EXPECT_DOUBLE_EQ(h100.rated(SL_DTYPE_TF32)->tflops, 494.7); // TF32 is its own dtype
  EXPECT_EQ(h100.rated(SL_DTYPE_FP8_E4M3)->key, peak_key::fp8);
  EXPECT_EQ(h100.rated(SL_DTYPE_FP8_E5M2)->key, peak_key::fp8);
  EXPECT_EQ(h100.rated(SL_DTYPE_INT8)->unit(), "TOPS");
  EXPECT_EQ(h100.rated(SL_DTYPE_FP16)->unit(), "TFLOP/s");
  EXPECT_FALSE(h100.rated(SL_DTYPE_UINT8));
  EXPECT_EQ(h100.status(SL_DTYPE_INT32), peak_status::not_listed);
  EXPECT_EQ(h100.rated(SL_DTYPE_FP16)->trust, confidence::press);
  EXPECT_TRUE(contains(h100.rated(SL_DTYPE_FP16)->from.ref, "https://"));

  const auto &pcie = entry("nvidia-h100-pcie"); // sparse datasheet figures stored halved
  EXPECT_DOUBLE_EQ(pcie.rated(SL_DTYPE_FP16)->tflops, 756.5);
  EXPECT_TRUE(contains(pcie.rated(SL_DTYPE_FP16)->note, "sparsity"));
  EXPECT_EQ(pcie.rated(SL_DTYPE_FP16)->trust, confidence::vendor_datasheet);

  const auto &a100 = entry("nvidia-a100-sxm-80gb");
  EXPECT_FALSE(a100.rated(SL_DTYPE_FP8_E4M3));
  EXPECT_EQ(a100.status(SL_DTYPE_FP8_E4M3), peak_status::unsupported);
  EXPECT_EQ(a100.status(SL_DTYPE_FP64), peak_status::rated);
  EXPECT_EQ(entry("cambricon-mlu590").status(SL_DTYPE_FP16), peak_status::not_published);
  EXPECT_EQ(entry("metax-c500").rated(SL_DTYPE_FP32)->key, peak_key::fp32_tensor);
  EXPECT_EQ(entry("ascend-910b3").rated(SL_DTYPE_FP16)->trust, confidence::derived);
  EXPECT_EQ(entry("ascend-910c-die").devices_per_package, 2);
  EXPECT_DOUBLE_EQ(entry("ascend-910b2").memory_bandwidth_gbps->value, 1600);
}

TEST(DevicesDatabase, DefaultPathIsTheShippedFolder) {
  EXPECT_EQ(fs::weakly_canonical(default_path()), fs::weakly_canonical(shipped));
  EXPECT_EQ(load(default_path()).entries.size(), real().entries.size());
}

TEST(DevicesMatch, CudaNamesResolveToTheirEntries) {
  const std::pair<const char *, const char *> cases[] = {
      {"NVIDIA H100 80GB HBM3", "nvidia-h100-sxm"},
      {"NVIDIA H100 PCIe", "nvidia-h100-pcie"},
      {"NVIDIA H200", "nvidia-h200-sxm"},
      {"NVIDIA A100-SXM4-80GB", "nvidia-a100-sxm-80gb"},
      {"NVIDIA A100-SXM4-40GB", "nvidia-a100-sxm-40gb"},
      {"NVIDIA H800", "nvidia-h800-sxm"}};
  for (const auto &[name, id] : cases) {
    const auto m = match(real(), "NVIDIA", name);
    ASSERT_TRUE(m) << name << ": " << m.reason;
    EXPECT_EQ(m.entry->id, id);
    EXPECT_TRUE(m.reason.empty());
  }
  EXPECT_EQ(match(real(), "NVIDIA Corporation", "NVIDIA B200").entry->id, "nvidia-b200");
  EXPECT_EQ(match(real(), "", "nvidia a100 sxm4 80gb").entry->id, "nvidia-a100-sxm-80gb");
}

TEST(DevicesMatch, AscendNamesResolveWithOrWithoutVendor) {
  EXPECT_EQ(match(real(), "Huawei", "Ascend910B3").entry->id, "ascend-910b3");
  EXPECT_EQ(match(real(), "HiSilicon", "Ascend910B1").entry->id, "ascend-910b1");
  EXPECT_EQ(match(real(), "", "Ascend 910B4").entry->id, "ascend-910b4");
  EXPECT_EQ(match(real(), "Huawei", "Ascend910_9391").entry->id, "ascend-910c-die");
  EXPECT_EQ(match(real(), "AMD", "AMD Instinct MI300X").entry->id, "amd-mi300x");
}

TEST(DevicesMatch, UnknownNamesAreRefusedWithAReasonNotGuessed) {
  const auto nvl = match(real(), "NVIDIA", "NVIDIA H100 NVL");
  EXPECT_FALSE(nvl);
  EXPECT_EQ(nvl.entry, nullptr);
  EXPECT_TRUE(contains(nvl.reason, "'NVIDIA H100 NVL'")) << nvl.reason;
  EXPECT_TRUE(contains(nvl.reason, "no rated peak applies")) << nvl.reason;
  // A MIG slice is not the whole GPU: refused, with the GPU named as a similar entry.
  const auto mig = match(real(), "NVIDIA", "NVIDIA H100 80GB HBM3 MIG 1g.10gb");
  EXPECT_FALSE(mig);
  EXPECT_TRUE(contains(mig.reason, "similar entries: nvidia-h100-sxm")) << mig.reason;
  EXPECT_FALSE(match(real(), "Acme", "Acme Rocket 9000"));
  EXPECT_FALSE(match(real(), "NVIDIA", ""));
  EXPECT_TRUE(contains(match(real(), "NVIDIA", " - ").reason, "no device name"));
}

TEST(DevicesMatch, AVendorThatDisagreesIsRefused) {
  const auto m = match(real(), "AMD", "NVIDIA H100 PCIe");
  EXPECT_FALSE(m);
  EXPECT_TRUE(contains(m.reason, "nvidia-h100-pcie of vendor NVIDIA")) << m.reason;
  EXPECT_TRUE(contains(m.reason, "vendor 'AMD'")) << m.reason;
}

TEST(DevicesMatch, PciIdsResolve) {
  EXPECT_EQ(match_pci(real(), "10de:2330").entry->id, "nvidia-h100-sxm");
  EXPECT_EQ(match_pci(real(), "0x10DE:0x2331").entry->id, "nvidia-h100-pcie");
  EXPECT_EQ(match_pci(real(), "2057:3688").entry->id, "kunlunxin-p800");
  const auto none = match_pci(real(), "abcd:0001");
  EXPECT_FALSE(none);
  EXPECT_TRUE(contains(none.reason, "'abcd:0001'")) << none.reason;
  EXPECT_FALSE(match_pci(real(), "garbage"));
}

TEST(DevicesMatch, PatternsMatchButTwoMatchingPatternsAreAmbiguous) {
  const database db = parse(R"(
[vendor]
name = "Acme"
[sources]
s = { ref = "fixture", confidence = "estimate" }
[[device]]
id = "acme-r1"
model = "R1"
names = ["Acme R1 Max"]
name_patterns = ["Acme R1*"]
peaks.fp16 = { tflops = 10, source = "s" }
[[device]]
id = "acme-r1x"
model = "R1X"
name_patterns = ["acme r1 x*"]
peaks.fp16 = { tflops = 20, source = "s" }
)",
                            "acme.toml");
  EXPECT_EQ(match(db, "Acme", "Acme R1 Max").entry->id, "acme-r1"); // a listed name wins
  EXPECT_EQ(match(db, "Acme", "Acme R1 Lite").entry->id, "acme-r1");
  const auto both = match(db, "Acme", "Acme R1X-16");
  EXPECT_FALSE(both);
  EXPECT_TRUE(contains(both.reason, "ambiguous")) << both.reason;
  EXPECT_TRUE(contains(both.reason, "acme-r1, acme-r1x")) << both.reason;
}

TEST(DevicesMatch, CompactNamesAndGlobs) {
  EXPECT_EQ(compact_name("NVIDIA A100-SXM4-80GB"), "nvidiaa100sxm480gb");
  EXPECT_EQ(compact_name("Ascend 910_B3"), "ascend910b3");
  EXPECT_EQ(compact_name("寒武纪 MLU"), "寒武纪mlu");
  EXPECT_EQ(compact_name("R1 *", true), "r1*");
  EXPECT_TRUE(glob_match("ascend910b*", "ascend910b3"));
  EXPECT_TRUE(glob_match("*b3", "ascend910b3"));
  EXPECT_TRUE(glob_match("a*9*3", "ascend910b3"));
  EXPECT_FALSE(glob_match("ascend910b*", "ascend910"));
  EXPECT_FALSE(glob_match("ascend", "ascend910b3"));
}

} // namespace
