#pragma once
// Helpers for the CPU plugin's attention tests: describe a case, run it through the plugin and
// compare every output element and LSE value with a naive double-precision reference.

#include "cpu_plugin.hpp"

#include <cstdint>
#include <ostream>
#include <string>
#include <vector>

namespace suanli::cpu_test {

/// Sets an environment variable for the scope (the plugin reads it at init only), then restores
/// the value it had.
class scoped_env {
public:
  scoped_env(const char *name, const char *value);
  ~scoped_env();
  scoped_env(const scoped_env &) = delete;
  scoped_env &operator=(const scoped_env &) = delete;

private:
  std::string name_;
  bool had_ = false;
  std::string old_;
};

/// An attention test case (head_dim_qk = head_dim_v = d unless d_v is set).
struct attention_case {
  const char *name; ///< gtest-friendly name
  sl_dtype dtype;   ///< Q, K, V and O (fp32 or bf16); compute is fp32
  int32_t layout;   ///< sl_attention_layout
  int32_t causal;   ///< 0 or 1
  int64_t batch, seq_q, seq_kv, heads_q, heads_kv, d;
  int64_t causal_offset; ///< used when causal
  int64_t d_v = 0;       ///< 0: d
};

/// Prints a case by name (gtest would dump its bytes, padding included).
void PrintTo(const attention_case &c, std::ostream *os);

/// The descriptor of a case (scale 1/sqrt(d), want_lse = 1).
sl_attention_desc make_attention_desc(const attention_case &c);

/// Outcome of running a case through the plugin.
struct attention_outcome {
  sl_status status = SL_OK; ///< of attention_plan_create (then attention_forward)
  std::string reason;       ///< last_error when status is not OK
  std::string describe;     ///< attention_plan_describe
  uint64_t workspace_bytes = 0;
  int64_t checked = 0;      ///< O elements compared with the reference
  int64_t wrong = 0;        ///< of those, outside the tolerance
  int64_t wrong_lse = 0;    ///< LSE values outside the tolerance
  int64_t empty_rows = 0;   ///< query rows that see no key (O = 0 and LSE = -inf expected)
  double max_error = 0;     ///< largest |O - reference|
  double max_lse_error = 0; ///< largest |LSE - reference| over rows that see keys
  std::vector<double> o;    ///< O as stored (decoded), in the case's layout
  std::vector<float> lse;   ///< LSE [batch][heads_q][seq_q]
};

/// Fill Q, K, V with the plugin's fill (O and LSE with NaN), run the forward pass and compare
/// every O element and LSE value with a naive double reference.
attention_outcome run_attention(const context &ctx, const attention_case &c);

/// Index of element (b, s, h, x) of a [batch][seq][heads][dim] tensor stored in layout.
int64_t attention_index(int32_t layout, int64_t b, int64_t s, int64_t h, int64_t x, int64_t seq,
                        int64_t heads, int64_t dim);

} // namespace suanli::cpu_test
