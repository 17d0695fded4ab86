// Private: field readers shared by the definition parser's files.
#pragma once

#include <stepsim/asl/error.hpp>
#include <stepsim/asl/state_machine.hpp>

#include <boost/json.hpp>

#include <optional>
#include <string>

namespace stepsim::asl::detail {

namespace json = boost::json;

/// Reads the fields of one JSON object, reporting type errors with their pointer.
struct field_reader {
  json::object const& object;
  std::string const& pointer;
  diagnostics& out;

  std::string at(std::string_view key) const { return pointer_append(pointer, key); }
  json::value const* find(std::string_view key) const { return object.if_contains(key); }
  void error(std::string_view key, std::string message) const { out.push_back({at(key), std::move(message)}); }

  std::optional<std::string> string(std::string_view key) const;
  std::optional<bool> boolean(std::string_view key) const;
  /// A JSON integer in [min, max] (doubles with a fraction, or any double, are refused).
  std::optional<std::int64_t> integer(std::string_view key, std::int64_t min, std::int64_t max) const;
  std::optional<double> number(std::string_view key, double min, double max) const;
  /// A path (JSONPath, `$` or `$$` rooted). `reference`: must be definite.
  std::optional<path> path_value(std::string_view key, bool reference) const;
  /// InputPath / OutputPath / ResultPath: absent, null, or a path.
  path_field path_field_value(std::string_view key, bool reference) const;
  std::optional<payload_template> payload(std::string_view key, bool& uses_context) const;
};

/// Parses a state machine (top level, a Parallel branch or a Map item
/// processor) found at `pointer`.
std::shared_ptr<state_machine const> parse_machine(json::value const& v, std::string const& pointer,
                                                   diagnostics& out, bool top_level);

/// A transition named in a state, to resolve once every state is known.
struct target_ref {
  std::string pointer;  ///< where the name is written ("/States/A/Next")
  std::string name;
};

/// The transitions a state names, for the caller to resolve into indexes.
struct state_targets {
  std::optional<target_ref> next;
  std::optional<target_ref> default_next;
  std::vector<target_ref> choices;  ///< one per choice_branch, in order
  std::vector<target_ref> catches;  ///< one per catcher, in order
};

/// Parses one state's fields into `s` (name and pointer are set by the
/// caller) and returns the transitions it names.
state_targets parse_state(json::object const& o, state& s, diagnostics& out);

}  // namespace stepsim::asl::detail
