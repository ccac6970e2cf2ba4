#pragma once

#include <string>

namespace suanli::bench {

/// A number with a fixed count of decimals ("%.*f").
[[nodiscard]] std::string fixed(double value, int decimals);

/// A number with `digits` significant digits ("%.*g").
[[nodiscard]] std::string significant(double value, int digits);

} // namespace suanli::bench
