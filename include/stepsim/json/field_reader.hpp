// stepsim::json::field_reader: typed fields of one JSON object, each fault
// reported as a diagnostic with its JSON pointer.
#pragma once

#include <stepsim/json/diagnostic.hpp>

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace stepsim::json {

/// The JSON type of `v` as an error message names it: "null", "a boolean",
/// "an integer", "a number" (not an integer), "a string", "an array", "an object".
char const* kind_name(boost::json::value const& v) noexcept;

/// Reads the fields of `object` (found at `pointer`), appending a diagnostic
/// to `out` for each field of the wrong type or out of range. An absent
/// field is nullopt and no error: the caller decides what is required.
/// `field_reader r{object, pointer, out};` (the three are referred to, not copied).
struct field_reader {
  boost::json::object const& object;
  std::string const& pointer;
  diagnostics& out;

  /// The pointer of field `key`.
  std::string at(std::string_view key) const { return pointer_append(pointer, key); }
  boost::json::value const* find(std::string_view key) const { return object.if_contains(key); }
  /// Reports `message` at field `key`.
  void error(std::string_view key, std::string message) const { out.push_back({at(key), std::move(message)}); }

  /// "'k' must be a string, not an integer".
  std::optional<std::string> string(std::string_view key) const;
  /// "'k' must be true or false, not a string".
  std::optional<bool> boolean(std::string_view key) const;
  /// A JSON integer in [min, max] (any double, even 1.0, is refused).
  std::optional<std::int64_t> integer(std::string_view key, std::int64_t min, std::int64_t max) const;
  /// Any JSON number in [min, max].
  std::optional<double> number(std::string_view key, double min, double max) const;
};

}  // namespace stepsim::json
