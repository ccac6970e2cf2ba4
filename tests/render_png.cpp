#include "render_png.hpp"

#include <zlib.h>

#include <cstdlib>
#include <set>

namespace suanli::test {
namespace {

uint32_t be32(const std::string &b, size_t at) {
  return (uint32_t(uint8_t(b[at])) << 24) | (uint32_t(uint8_t(b[at + 1])) << 16) |
         (uint32_t(uint8_t(b[at + 2])) << 8) | uint32_t(uint8_t(b[at + 3]));
}

uint8_t paeth(int a, int b, int c) {
  const int p = a + b - c, pa = std::abs(p - a), pb = std::abs(p - b), pc = std::abs(p - c);
  return static_cast<uint8_t>(pa <= pb && pa <= pc ? a : pb <= pc ? b : c);
}

} // namespace

rgba_image decode_png(const std::string &b, std::string &error) {
  rgba_image img;
  if (b.size() < 8 || b.compare(0, 8, "\x89PNG\r\n\x1a\n") != 0) {
    error = "not a PNG file";
    return img;
  }
  std::string idat;
  uint8_t depth = 0, type = 0, interlace = 0;
  for (size_t at = 8; at + 12 <= b.size();) {
    const uint32_t len = be32(b, at);
    const std::string kind = b.substr(at + 4, 4);
    if (at + 12 + len > b.size()) {
      error = "truncated chunk " + kind;
      return img;
    }
    if (kind == "IHDR") {
      img.width = be32(b, at + 8);
      img.height = be32(b, at + 12);
      depth = uint8_t(b[at + 16]);
      type = uint8_t(b[at + 17]);
      interlace = uint8_t(b[at + 20]);
    } else if (kind == "IDAT") {
      idat += b.substr(at + 8, len);
    }
    at += 12 + len;
  }
  if (depth != 8 || (type != 2 && type != 6) || interlace != 0 || img.width == 0) {
    error = "unsupported PNG (depth " + std::to_string(depth) + ", colour type " +
            std::to_string(type) + ")";
    img.width = img.height = 0;
    return img;
  }
  const size_t channels = type == 6 ? 4 : 3, stride = img.width * channels;
  std::vector<uint8_t> raw((stride + 1) * img.height);
  uLongf raw_len = static_cast<uLongf>(raw.size());
  if (uncompress(raw.data(), &raw_len, reinterpret_cast<const Bytef *>(idat.data()),
                 static_cast<uLong>(idat.size())) != Z_OK ||
      raw_len != raw.size()) {
    error = "zlib could not inflate the image data";
    img.width = img.height = 0;
    return img;
  }
  std::vector<uint8_t> prev(stride, 0), cur(stride);
  img.pixels.resize(size_t(img.width) * img.height * 4);
  for (uint32_t y = 0; y < img.height; ++y) {
    const uint8_t filter = raw[y * (stride + 1)];
    const uint8_t *in = &raw[y * (stride + 1) + 1];
    for (size_t x = 0; x < stride; ++x) {
      const int a = x >= channels ? cur[x - channels] : 0, up = prev[x],
                c = x >= channels ? prev[x - channels] : 0;
      int v = in[x];
      switch (filter) {
      case 1: v += a; break;
      case 2: v += up; break;
      case 3: v += (a + up) / 2; break;
      case 4: v += paeth(a, up, c); break;
      default: break;
      }
      cur[x] = static_cast<uint8_t>(v);
    }
    for (uint32_t x = 0; x < img.width; ++x) {
      for (size_t k = 0; k < 4; ++k) {
        img.pixels[(size_t(y) * img.width + x) * 4 + k] =
            k < channels ? cur[x * channels + k] : uint8_t(255);
      }
    }
    prev.swap(cur);
  }
  return img;
}

image_stats stats_of(const rgba_image &img) {
  image_stats s;
  if (img.pixels.empty()) {
    return s;
  }
  std::set<uint32_t> colours;
  size_t differ = 0;
  const size_t n = size_t(img.width) * img.height;
  for (size_t i = 0; i < n; ++i) {
    const uint8_t *p = &img.pixels[i * 4];
    const uint32_t rgb = (uint32_t(p[0]) << 16) | (uint32_t(p[1]) << 8) | p[2];
    if (colours.size() < 4096) {
      colours.insert(rgb);
    }
    differ += (p[0] != img.pixels[0] || p[1] != img.pixels[1] || p[2] != img.pixels[2]) ? 1 : 0;
  }
  s.non_background = double(differ) / double(n);
  s.colours = colours.size();
  return s;
}

} // namespace suanli::test
