#include <kernels/cuda/inventory_text.hpp>

#include <algorithm>
#include <cstdio>

namespace suanli::cuda {

namespace {

std::string clean(std::string text) {
  std::replace_if(
      text.begin(), text.end(), [](char c) { return c == ';' || c == '='; }, ',');
  return text;
}

} // namespace

std::string cuda_version_text(int version) {
  if (version <= 0) {
    return "none";
  }
  return std::to_string(version / 1000) + "." + std::to_string((version % 1000) / 10);
}

std::string cublas_version_text(uint64_t version) {
  return std::to_string(version / 10000) + "." + std::to_string((version % 10000) / 100) + "." +
         std::to_string(version % 100);
}

std::string gpu_uuid_text(const unsigned char (&b)[16]) {
  char text[48];
  std::snprintf(text, sizeof text,
                "GPU-%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x", b[0],
                b[1], b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12], b[13],
                b[14], b[15]);
  return text;
}

std::string pci_bus_id_text(int domain, int bus, int device) {
  char text[32];
  std::snprintf(text, sizeof text, "%08x:%02x:%02x.0", static_cast<unsigned>(domain),
                static_cast<unsigned>(bus), static_cast<unsigned>(device));
  return text;
}

std::string arch_text(int major, int minor) {
  return "sm_" + std::to_string(major) + std::to_string(minor);
}

std::string join_versions(const std::vector<std::pair<std::string, std::string>> &items) {
  std::string out;
  for (const auto &[name, value] : items) {
    out += (out.empty() ? "" : ";") + clean(name) + "=" + clean(value);
  }
  return out;
}

} // namespace suanli::cuda
