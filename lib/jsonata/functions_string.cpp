// String functions. Strings are UTF-8; lengths and offsets count code points,
// as the reference does (it splits strings into code points).
#include "jsonata/functions.hpp"
#include "jsonata/utf8.hpp"

#include <cmath>

namespace stepsim::jsonata::detail {

std::vector<std::string_view> split_code_points(std::string_view s) {
  std::vector<std::string_view> out;
  std::size_t i = 0;
  while (i < s.size()) {
    auto c = static_cast<unsigned char>(s[i]);
    std::size_t len = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 1;
    if (i + len > s.size()) len = s.size() - i;
    out.push_back(s.substr(i, len));
    i += len;
  }
  return out;
}

std::vector<std::uint32_t> decode_utf8(std::string_view s) {
  std::vector<std::uint32_t> out;
  for (auto cp : split_code_points(s)) {
    auto c0 = static_cast<unsigned char>(cp[0]);
    std::uint32_t v = c0;
    if (cp.size() == 2) v = ((c0 & 0x1Fu) << 6) | (static_cast<unsigned char>(cp[1]) & 0x3Fu);
    else if (cp.size() == 3)
      v = ((c0 & 0x0Fu) << 12) | ((static_cast<unsigned char>(cp[1]) & 0x3Fu) << 6) | (static_cast<unsigned char>(cp[2]) & 0x3Fu);
    else if (cp.size() == 4)
      v = ((c0 & 0x07u) << 18) | ((static_cast<unsigned char>(cp[1]) & 0x3Fu) << 12) |
          ((static_cast<unsigned char>(cp[2]) & 0x3Fu) << 6) | (static_cast<unsigned char>(cp[3]) & 0x3Fu);
    out.push_back(v);
  }
  return out;
}

void encode_utf8(std::string& out, std::uint32_t cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

STEPSIM_JSONATA_FN(fn_string) {
  (void)ci;
  value v = arg(a, 0);
  if (v.undefined()) return {};
  bool pretty = arg(a, 1).is_bool() && arg(a, 1).boolean();
  return value::string(to_string(v, pretty));
}

std::string substring_cp(std::string_view s, double start, std::optional<double> length) {
  auto cps = split_code_points(s);
  double n = static_cast<double>(cps.size());
  if (n + start < 0) start = 0;
  double end = n;
  if (length) {
    if (*length <= 0) return {};
    end = start >= 0 ? start + *length : n + start + *length;
  }
  // JavaScript slice semantics on the code point array
  auto clamp = [&](double x) {
    if (std::isnan(x)) return 0.0;
    x = std::trunc(x);
    if (x < 0) x = std::max(0.0, n + x);
    return std::min(x, n);
  };
  double b = clamp(start), e = clamp(end);
  std::string out;
  for (double i = b; i < e; ++i) out += cps[static_cast<std::size_t>(i)];
  return out;
}

STEPSIM_JSONATA_FN(fn_substring) {
  (void)ci;
  value s = arg(a, 0);
  if (s.undefined()) return {};
  std::optional<double> len;
  if (arg(a, 2).is_number()) len = arg(a, 2).number();
  // An undefined start is JavaScript's undefined in the reference's arithmetic: NaN.
  double start = arg(a, 1).is_number() ? arg(a, 1).number() : std::nan("");
  return value::string(substring_cp(s.str(), start, len));
}

STEPSIM_JSONATA_FN(fn_substring_before) {
  (void)ci;
  value s = arg(a, 0);
  if (s.undefined()) return {};
  value c = arg(a, 1);
  auto pos = s.str().find(c.is_string() ? c.str() : std::string_view("undefined"));
  if (pos == std::string_view::npos) return s;
  return value::string(s.str().substr(0, pos));
}

STEPSIM_JSONATA_FN(fn_substring_after) {
  (void)ci;
  value s = arg(a, 0);
  if (s.undefined()) return {};
  auto chars = arg(a, 1).is_string() ? arg(a, 1).str() : std::string_view("undefined");
  auto pos = s.str().find(chars);
  if (pos == std::string_view::npos) return s;
  return value::string(s.str().substr(pos + chars.size()));
}

STEPSIM_JSONATA_FN(fn_lowercase) {
  (void)ci;
  value s = arg(a, 0);
  if (s.undefined()) return {};
  std::string out(s.str());
  bool ascii = true;
  for (char& c : out) {
    if (static_cast<unsigned char>(c) >= 0x80) ascii = false;
    else if (c >= 'A' && c <= 'Z') c = static_cast<char>(c + 32);
  }
  if (ascii) return value::string(std::move(out));
  return value::string(js_lowercase(s.str()));
}

STEPSIM_JSONATA_FN(fn_uppercase) {
  (void)ci;
  value s = arg(a, 0);
  if (s.undefined()) return {};
  std::string out(s.str());
  bool ascii = true;
  for (char& c : out) {
    if (static_cast<unsigned char>(c) >= 0x80) ascii = false;
    else if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 32);
  }
  if (ascii) return value::string(std::move(out));
  return value::string(js_uppercase(s.str()));
}

STEPSIM_JSONATA_FN(fn_length) {
  (void)ci;
  value s = arg(a, 0);
  if (s.undefined()) return {};
  return value(static_cast<double>(code_points(s.str())));
}

STEPSIM_JSONATA_FN(fn_trim) {
  (void)ci;
  value s = arg(a, 0);
  if (s.undefined()) return {};
  std::string out;
  bool in_space = false;
  for (char c : s.str()) {
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
      if (!in_space) out += ' ';
      in_space = true;
    } else {
      out += c;
      in_space = false;
    }
  }
  if (!out.empty() && out.front() == ' ') out.erase(0, 1);
  if (!out.empty() && out.back() == ' ') out.pop_back();
  return value::string(std::move(out));
}

STEPSIM_JSONATA_FN(fn_pad) {
  value s = arg(a, 0);
  if (s.undefined()) return {};
  std::string ch = arg(a, 2).is_string() && !arg(a, 2).str().empty() ? std::string(arg(a, 2).str()) : " ";
  double width = std::trunc(arg(a, 1).number());
  double pad_len = std::fabs(width) - static_cast<double>(code_points(s.str()));
  if (!(pad_len > 0)) return s;
  // JavaScript makes no string longer than 2^29 - 24 units (V8's limit; the
  // reference then fails with a RangeError)
  if (pad_len > 536870888) {
    failure f("D3137");
    f.message = "Invalid string length: $pad would make a string of more than 536870888 characters";
    throw f;
  }
  auto n = static_cast<std::size_t>(pad_len);
  // code points as substring_cp counts them (a stray continuation byte is one)
  auto per = split_code_points(ch).size();
  std::string padding;
  padding.reserve((n / per + 1) * ch.size());
  for (std::size_t have = 0; have < n; have += per) {
    padding += ch;
    ci.ev.charge(per);
  }
  if (per > 1) padding = substring_cp(padding, 0, pad_len);
  return value::string(width > 0 ? std::string(s.str()) + padding : padding + std::string(s.str()));
}

STEPSIM_JSONATA_FN(fn_join) {
  value v = arg(a, 0);
  if (v.undefined()) return {};
  std::string sep = arg(a, 1).is_string() ? std::string(arg(a, 1).str()) : "";
  std::string out;
  for (std::size_t i = 0, n = v.size(); i < n; ++i) {
    if (i) out += sep;
    out += v.at(i).str();
    ci.ev.charge(1);
  }
  return value::string(std::move(out));
}

namespace {

constexpr char b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

bool unreserved(std::uint32_t c, std::string_view extra) {
  return (c < 0x80) && (std::isalnum(static_cast<int>(c)) || std::string_view("-_.!~*'()").find(static_cast<char>(c)) != std::string_view::npos ||
                        extra.find(static_cast<char>(c)) != std::string_view::npos);
}

value encode_uri(value const& s, std::string_view extra, char const* name) {
  if (s.undefined()) return {};
  std::string out;
  auto cps = decode_utf8(s.str());
  for (auto cp : cps) {
    if (cp >= 0xD800 && cp <= 0xDFFF) {
      failure f("D3140");
      f.val = s;
      f.message = name;
      throw f;
    }
    if (unreserved(cp, extra)) {
      out += static_cast<char>(cp);
    } else {
      std::string bytes;
      encode_utf8(bytes, cp);
      for (unsigned char b : bytes) {
        char buf[4];
        std::snprintf(buf, sizeof buf, "%%%02X", b);
        out += buf;
      }
    }
  }
  return value::string(std::move(out));
}

value decode_uri(value const& s, std::string_view reserved, char const* name) {
  if (s.undefined()) return {};
  auto str = s.str();
  std::string out;
  auto bad = [&] {
    failure f("D3140");
    f.val = s;
    f.message = name;
    return f;
  };
  for (std::size_t i = 0; i < str.size();) {
    if (str[i] != '%') {
      out += str[i++];
      continue;
    }
    auto hex = [&](std::size_t p) -> int {
      if (p + 2 >= str.size() + 0 && p + 2 > str.size()) return -1;
      if (p + 3 > str.size()) return -1;
      unsigned v = 0;
      for (std::size_t k = p + 1; k < p + 3; ++k) {
        char c = str[k];
        v <<= 4;
        if (c >= '0' && c <= '9') v |= static_cast<unsigned>(c - '0');
        else if (c >= 'a' && c <= 'f') v |= static_cast<unsigned>(c - 'a' + 10);
        else if (c >= 'A' && c <= 'F') v |= static_cast<unsigned>(c - 'A' + 10);
        else return -1;
      }
      return static_cast<int>(v);
    };
    int b = hex(i);
    if (b < 0) throw bad();
    if (b < 0x80) {
      if (reserved.find(static_cast<char>(b)) != std::string_view::npos) out.append(str.substr(i, 3));
      else out += static_cast<char>(b);
      i += 3;
      continue;
    }
    int len = (b >> 5) == 6 ? 2 : (b >> 4) == 14 ? 3 : (b >> 3) == 30 ? 4 : 0;
    if (!len) throw bad();
    std::string bytes(1, static_cast<char>(b));
    std::size_t j = i + 3;
    for (int k = 1; k < len; ++k) {
      if (j >= str.size() || str[j] != '%') throw bad();
      int c = hex(j);
      if (c < 0 || (c & 0xC0) != 0x80) throw bad();
      bytes += static_cast<char>(c);
      j += 3;
    }
    out += bytes;
    i = j;
  }
  return value::string(std::move(out));
}

}  // namespace

STEPSIM_JSONATA_FN(fn_base64encode) {
  (void)ci;
  value s = arg(a, 0);
  if (s.undefined()) return {};
  std::string bytes;
  for (auto cp : decode_utf8(s.str())) bytes += static_cast<char>(cp & 0xFF);
  std::string out;
  std::size_t i = 0;
  for (; i + 2 < bytes.size(); i += 3) {
    unsigned v = (static_cast<unsigned char>(bytes[i]) << 16) | (static_cast<unsigned char>(bytes[i + 1]) << 8) |
                 static_cast<unsigned char>(bytes[i + 2]);
    out += b64[(v >> 18) & 63];
    out += b64[(v >> 12) & 63];
    out += b64[(v >> 6) & 63];
    out += b64[v & 63];
  }
  if (i < bytes.size()) {
    unsigned v = static_cast<unsigned char>(bytes[i]) << 16;
    if (i + 1 < bytes.size()) v |= static_cast<unsigned char>(bytes[i + 1]) << 8;
    out += b64[(v >> 18) & 63];
    out += b64[(v >> 12) & 63];
    out += i + 1 < bytes.size() ? b64[(v >> 6) & 63] : '=';
    out += '=';
  }
  return value::string(std::move(out));
}

STEPSIM_JSONATA_FN(fn_base64decode) {
  (void)ci;
  value s = arg(a, 0);
  if (s.undefined()) return {};
  std::string out;
  unsigned acc = 0;
  int bits = 0;
  for (char c : s.str()) {
    auto p = std::string_view(b64).find(c);
    if (c == '-') p = 62;
    if (c == '_') p = 63;
    if (p == std::string_view::npos) {
      if (c == '=') break;
      continue;
    }
    acc = (acc << 6) | static_cast<unsigned>(p);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      encode_utf8(out, (acc >> bits) & 0xFF);
    }
  }
  return value::string(std::move(out));
}

STEPSIM_JSONATA_FN(fn_encode_url_component) { (void)ci; return encode_uri(arg(a, 0), "", "encodeUrlComponent"); }
STEPSIM_JSONATA_FN(fn_encode_url) { (void)ci; return encode_uri(arg(a, 0), ";,/?:@&=+$#", "encodeUrl"); }
STEPSIM_JSONATA_FN(fn_decode_url_component) { (void)ci; return decode_uri(arg(a, 0), "", "decodeUrlComponent"); }
STEPSIM_JSONATA_FN(fn_decode_url) { (void)ci; return decode_uri(arg(a, 0), ";,/?:@&=+$#", "decodeUrl"); }

}  // namespace stepsim::jsonata::detail
