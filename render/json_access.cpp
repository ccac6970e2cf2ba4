#include <render/json_access.hpp>

#include <limits>

namespace suanli::render {
namespace {

using nlohmann::json;

const json *field(const json &j, std::string_view key) {
  if (!j.is_object()) {
    return nullptr;
  }
  const auto it = j.find(key);
  return it == j.end() ? nullptr : &*it;
}

} // namespace

const json &obj_at(const json &j, std::string_view key) {
  static const json empty = json::object();
  const auto *f = field(j, key);
  return f != nullptr && f->is_object() ? *f : empty;
}

const json &arr_at(const json &j, std::string_view key) {
  static const json empty = json::array();
  const auto *f = field(j, key);
  return f != nullptr && f->is_array() ? *f : empty;
}

std::string str_at(const json &j, std::string_view key, std::string_view fallback) {
  const auto *f = field(j, key);
  return f != nullptr && f->is_string() ? f->get<std::string>() : std::string(fallback);
}

double num_at(const json &j, std::string_view key) {
  const auto *f = field(j, key);
  return f != nullptr && f->is_number() ? f->get<double>()
                                        : std::numeric_limits<double>::quiet_NaN();
}

long long int_at(const json &j, std::string_view key, long long fallback) {
  const auto *f = field(j, key);
  return f != nullptr && f->is_number() ? f->get<long long>() : fallback;
}

bool bool_at(const json &j, std::string_view key, bool fallback) {
  const auto *f = field(j, key);
  return f != nullptr && f->is_boolean() ? f->get<bool>() : fallback;
}

std::string text_of(const json &v) {
  if (v.is_null()) {
    return "-";
  }
  return v.is_string() ? v.get<std::string>() : v.dump();
}

} // namespace suanli::render
