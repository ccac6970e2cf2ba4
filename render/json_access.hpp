#pragma once
// Lenient reads of report fields for printing: a missing, null or mistyped field gives the
// fallback instead of an exception (reports are shape-checked on load; optional fields may be
// null, and printers must never fail on them).

#include <nlohmann/json.hpp>

#include <string>
#include <string_view>

namespace suanli::render {

/// The object at `key` of `j`, or an empty object.
[[nodiscard]] const nlohmann::json &obj_at(const nlohmann::json &j, std::string_view key);
/// The array at `key` of `j`, or an empty array.
[[nodiscard]] const nlohmann::json &arr_at(const nlohmann::json &j, std::string_view key);
/// The string at `key` of `j`, or `fallback`.
[[nodiscard]] std::string str_at(const nlohmann::json &j, std::string_view key,
                                 std::string_view fallback = "");
/// The number at `key` of `j`, or NaN.
[[nodiscard]] double num_at(const nlohmann::json &j, std::string_view key);
/// The integer at `key` of `j`, or `fallback`.
[[nodiscard]] long long int_at(const nlohmann::json &j, std::string_view key,
                               long long fallback = 0);
/// The boolean at `key` of `j`, or `fallback`.
[[nodiscard]] bool bool_at(const nlohmann::json &j, std::string_view key, bool fallback = false);
/// Any value as text: strings as they are, null as "-", others as JSON.
[[nodiscard]] std::string text_of(const nlohmann::json &v);

} // namespace suanli::render
