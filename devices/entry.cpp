#include <devices/entry.hpp>

#include <algorithm>

namespace suanli::devices {

std::string_view name(peak_status status) {
  switch (status) {
  case peak_status::rated: return "rated";
  case peak_status::not_published: return "not published";
  case peak_status::unsupported: return "unsupported";
  case peak_status::not_listed: return "not listed";
  }
  return "invalid";
}

std::optional<rated_peak> device_entry::rated(peak_key key) const {
  if (const auto it = peaks.find(key); it != peaks.end()) {
    return it->second;
  }
  return std::nullopt;
}

std::optional<rated_peak> device_entry::rated(sl_dtype dtype) const {
  for (const peak_key key : peak_keys_for(dtype)) {
    if (auto peak = rated(key)) {
      return peak;
    }
  }
  return std::nullopt;
}

bool device_entry::is_not_published(std::string_view field) const {
  return std::find(not_published.begin(), not_published.end(), field) != not_published.end();
}

peak_status device_entry::status(sl_dtype dtype) const {
  const auto keys = peak_keys_for(dtype);
  if (rated(dtype)) {
    return peak_status::rated;
  }
  for (const peak_key key : keys) {
    if (std::find(unsupported.begin(), unsupported.end(), key) != unsupported.end()) {
      return peak_status::unsupported;
    }
  }
  for (const peak_key key : keys) {
    if (is_not_published(name(key))) {
      return peak_status::not_published;
    }
  }
  return peak_status::not_listed;
}

} // namespace suanli::devices
