#pragma once

#include <bench/attention_problem.hpp>
#include <bench/collective_problem.hpp>
#include <bench/gemm_problem.hpp>

#include <variant>

namespace suanli::bench {

/// Any benchmarked operation.
using problem = std::variant<gemm_problem, attention_problem, collective_problem>;

/// Work per call of a problem under its convention [FLOP].
[[nodiscard]] inline double problem_flops(const problem &p) {
  return std::visit([](const auto &x) { return x.flops(); }, p);
}

} // namespace suanli::bench
