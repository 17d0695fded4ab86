// Typed field readers for the definition parser.
#include "asl/parse_detail.hpp"

#include <fmt/format.h>

#include <cmath>

namespace stepsim::asl::detail {

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
