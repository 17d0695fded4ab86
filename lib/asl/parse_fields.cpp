// Typed field readers for the definition parser.
#include "asl/parse_detail.hpp"

#include <fmt/format.h>

#include <cmath>

namespace stepsim::asl::detail {

namespace {

char const* kind_name(json::value const& v) {
  switch (v.kind()) {
    case json::kind::null: return "null";
    case json::kind::bool_: return "a boolean";
    case json::kind::int64:
    case json::kind::uint64: return "an integer";
    case json::kind::double_: return "a number";
    case json::kind::string: return "a string";
    case json::kind::array: return "an array";
    case json::kind::object: return "an object";
  }
  return "a value";
}

}  // namespace

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
    error(key, fmt::format("'{}' must be between {} and {}, not {}", key, min, max, json::serialize(*v)));
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
    error(key, fmt::format("'{}' must be between {} and {}, not {}", key, min, max, json::serialize(*v)));
    return std::nullopt;
  }
  return d;
}

std::optional<path> field_reader::path_value(std::string_view key, bool reference) const {
  auto text = string(key);
  if (!text) return std::nullopt;
  std::string why;
  auto p = path::parse(*text, why);
  if (!p) {
    error(key, fmt::format("'{}' is not a valid JSONPath: {}", *text, why));
    return std::nullopt;
  }
  if (reference && !p->is_reference()) {
    error(key, fmt::format("'{}' must be a reference path (names and single indexes only, no wildcards, "
                           "slices or filters): '{}'",
                           key, *text));
    return std::nullopt;
  }
  return p;
}

path_field field_reader::path_field_value(std::string_view key, bool reference) const {
  path_field f;
  auto const* v = find(key);
  if (!v) return f;
  if (v->is_null()) {
    f.is_null = true;
    return f;
  }
  f.selected = path_value(key, reference);
  if (f.selected && !f.selected->variable().empty() && key == "ResultPath") {
    error(key, fmt::format("'ResultPath' cannot name a variable ('{}'); set variables with 'Assign'",
                           f.selected->text()));
    f.selected.reset();
  }
  if (f.selected && reference && f.selected->is_context()) {
    error(key, fmt::format("'{}' cannot point into the context object ('$$'): '{}'", key, f.selected->text()));
    f.selected.reset();
  }
  return f;
}

bool field_reader::expression(std::string_view key) const {
  auto const* v = find(key);
  return v && jsonata_template::is_expression(*v);
}

std::optional<payload_template> field_reader::payload(std::string_view key, bool& uses_context) const {
  auto const* v = find(key);
  if (!v) return std::nullopt;
  auto t = payload_template::parse(*v, at(key), out);
  if (t && t->uses_context()) uses_context = true;
  return t;
}

}  // namespace stepsim::asl::detail
