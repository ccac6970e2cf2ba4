#pragma once
// A minimal PNG decoder (8-bit RGB/RGBA, non-interlaced: what Chromium's screenshots are) for the
// browser test's "not blank" check.

#include <cstdint>
#include <string>
#include <vector>

namespace suanli::test {

/// A decoded image: RGBA, 8 bits per channel, row-major.
struct rgba_image {
  uint32_t width = 0, height = 0; ///< size [pixels]
  std::vector<uint8_t> pixels;    ///< width * height * 4 bytes
};

/// Decodes PNG bytes; on failure returns an empty image and sets `error`.
[[nodiscard]] rgba_image decode_png(const std::string &bytes, std::string &error);

/// Pixel statistics for a blankness check.
struct image_stats {
  double non_background = 0; ///< fraction of pixels that differ from the top-left pixel
  size_t colours = 0;        ///< distinct RGB values (capped at 4096)
};

/// The statistics of an image.
[[nodiscard]] image_stats stats_of(const rgba_image &image);

} // namespace suanli::test
