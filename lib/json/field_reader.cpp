#include <stepsim/json/field_reader.hpp>

#include <boost/json/serialize.hpp>
#include <fmt/format.h>

namespace stepsim::json {

namespace bj = boost::json;

std::string pointer_append(std::string const& base, std::string_view token) {
  std::string out;
  out.reserve(base.size() + token.size() + 1);
  out += base;
  out += '/';
  for (char c : token) {
    if (c == '~')
      out += "~0";
    else if (c == '/')
      out += "~1";
    else
      out += c;
  }
  return out;
}

std::string pointer_append(std::string const& base, std::size_t index) {
  return base + '/' + std::to_string(index);
}

char const* kind_name(bj::value const& v) noexcept {
  switch (v.kind()) {
    case bj::kind::null: return "null";
    case bj::kind::bool_: return "a boolean";
    case bj::kind::int64:
    case bj::kind::uint64: return "an integer";
    case bj::kind::double_: return "a number";
    case bj::kind::string: return "a string";
    case bj::kind::array: return "an array";
    case bj::kind::object: return "an object";
  }
  return "a value";
}

std::optional<std::string> field_reader::string(std::string_view key) const {
  auto const* v = find(key);
  if (!v) return std::nullopt;
  if (auto const* s = v->if_string()) return std::string(*s);
  error(key, fmt::format("'{}' must be a string, not {}", key, kind_name(*v)));
  return std::nullopt;
}

std::optional<bool> field_reader::boolean(std::string_view key) const {
  auto const* v = find(key);
  if (!v) return std::nullopt;
  if (auto const* b = v->if_bool()) return *b;
  error(key, fmt::format("'{}' must be true or false, not {}", key, kind_name(*v)));
  return std::nullopt;
}

std::optional<std::int64_t> field_reader::integer(std::string_view key, std::int64_t min, std::int64_t max) const {
  auto const* v = find(key);
  if (!v) return std::nullopt;
  std::optional<std::int64_t> i;
  if (auto const* p = v->if_int64()) i = *p;
  else if (auto const* u = v->if_uint64()) {
    // Only values above INT64_MAX are stored as uint64: always out of range.
    error(key, fmt::format("'{}' must be between {} and {}, not {}", key, min, max, *u));
    return std::nullopt;
  }
  if (!i) {
    error(key, fmt::format("'{}' must be an integer, not {}", key, kind_name(*v)));
    return std::nullopt;
  }
  if (*i < min || *i > max) {
    error(key, fmt::format("'{}' must be between {} and {}, not {}", key, min, max, bj::serialize(*v)));
    return std::nullopt;
  }
  return i;
}

std::optional<double> field_reader::number(std::string_view key, double min, double max) const {
  auto const* v = find(key);
  if (!v) return std::nullopt;
  if (!v->is_number()) {
    error(key, fmt::format("'{}' must be a number, not {}", key, kind_name(*v)));
    return std::nullopt;
  }
  double d = v->to_number<double>();
  if (!(d >= min && d <= max)) {
    error(key, fmt::format("'{}' must be between {} and {}, not {}", key, min, max, bj::serialize(*v)));
    return std::nullopt;
  }
  return d;
}

}  // namespace stepsim::json
