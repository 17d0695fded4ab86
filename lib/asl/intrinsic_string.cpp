// States.StringSplit, Base64Encode, Base64Decode.
#include <algorithm>
#include <boost/json/string.hpp>

#include "intrinsic_impl.hpp"

namespace stepsim::asl::intrinsic_detail {

namespace {

// AWS limits Base64 and hash input to 10,000 characters.
constexpr std::size_t max_input_chars = 10000;

constexpr char base64_alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

std::string_view string_arg(arg const& a, function f) {
  if (!a->is_string()) fail(f);
  return a->get_string();
}

// Length in bytes of the UTF-8 sequence starting with `lead` (1 for a stray byte).
std::size_t utf8_length(unsigned char lead) { return lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1; }

json::value split(node const& c, eval_context const& ctx) {
  auto text_arg = evaluate_arg(c.args[0], ctx);
  auto delim_arg = evaluate_arg(c.args[1], ctx);
  auto text = string_arg(text_arg, c.fn);
  auto delims = string_arg(delim_arg, c.fn);
  // Like Java's StringTokenizer: every character of `delims` separates, and
  // empty tokens are dropped.
  std::vector<std::string_view> delim_chars;
  for (std::size_t i = 0; i < delims.size();) {
    auto n = std::min(utf8_length(static_cast<unsigned char>(delims[i])), delims.size() - i);
    delim_chars.push_back(delims.substr(i, n));
    i += n;
  }
  json::array out;
  std::size_t token_start = 0;
  auto flush = [&](std::size_t end) {
    if (end > token_start) out.emplace_back(json::string(text.substr(token_start, end - token_start)));
  };
  for (std::size_t i = 0; i < text.size();) {
    auto n = std::min(utf8_length(static_cast<unsigned char>(text[i])), text.size() - i);
    auto ch = text.substr(i, n);
    if (std::find(delim_chars.begin(), delim_chars.end(), ch) != delim_chars.end()) {
      flush(i);
      token_start = i + n;
    }
    i += n;
  }
  flush(text.size());
  return out;
}

json::value encode(std::string_view in) {
  std::string out;
  out.reserve((in.size() + 2) / 3 * 4);
  std::size_t i = 0;
  for (; i + 2 < in.size(); i += 3) {
    std::uint32_t n = static_cast<unsigned char>(in[i]) << 16 | static_cast<unsigned char>(in[i + 1]) << 8 |
                      static_cast<unsigned char>(in[i + 2]);
    for (int shift : {18, 12, 6, 0}) out += base64_alphabet[(n >> shift) & 63];
  }
  if (i < in.size()) {
    std::uint32_t n = static_cast<unsigned char>(in[i]) << 16;
    if (i + 1 < in.size()) n |= static_cast<unsigned char>(in[i + 1]) << 8;
    out += base64_alphabet[(n >> 18) & 63];
    out += base64_alphabet[(n >> 12) & 63];
    out += i + 1 < in.size() ? base64_alphabet[(n >> 6) & 63] : '=';
    out += '=';
  }
  return json::string(out);
}

// Recorded AWS behaviour is lenient: characters outside the alphabet are
// skipped, decoding stops at the first '=', and a partial last group still
// yields its whole bytes.
std::string decode(std::string_view in) {
  std::string out;
  std::uint32_t acc = 0;
  int bits = 0;
  for (char c : in) {
    if (c == '=') break;
    auto const* p = std::find(base64_alphabet, base64_alphabet + 64, c);
    if (p == base64_alphabet + 64) continue;
    acc = (acc << 6) | static_cast<std::uint32_t>(p - base64_alphabet);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out += static_cast<char>((acc >> bits) & 0xFF);
    }
  }
  return out;
}

// Java's new String(bytes, UTF_8): each malformed byte becomes U+FFFD.
std::string valid_utf8(std::string bytes) {
  auto is_cont = [&](std::size_t i) {
    return i < bytes.size() && (static_cast<unsigned char>(bytes[i]) & 0xC0) == 0x80;
  };
  std::string out;
  bool changed = false;
  for (std::size_t i = 0; i < bytes.size();) {
    auto lead = static_cast<unsigned char>(bytes[i]);
    std::size_t n = lead < 0x80                      ? 1
                    : (lead >= 0xC2 && lead <= 0xDF) ? 2
                    : (lead >= 0xE0 && lead <= 0xEF) ? 3
                    : (lead >= 0xF0 && lead <= 0xF4) ? 4
                                                     : 0;
    bool ok = n > 0;
    for (std::size_t k = 1; ok && k < n; ++k) ok = is_cont(i + k);
    if (ok) {
      out.append(bytes, i, n);
      i += n;
    } else {
      out += "\xEF\xBF\xBD";
      changed = true;
      ++i;
    }
  }
  return changed ? out : bytes;
}

}  // namespace

json::value call_string_family(node const& c, eval_context const& ctx) {
  if (c.fn == function::string_split) return split(c, ctx);
  auto a = evaluate_arg(c.args[0], ctx);
  auto in = string_arg(a, c.fn);
  if (java_length(in) > max_input_chars) fail(c.fn);
  if (c.fn == function::base64_encode) return encode(in);
  return json::string(valid_utf8(decode(in)));
}

}  // namespace stepsim::asl::intrinsic_detail
