// Private: field readers shared by the definition parser's files.
#pragma once

#include <stepsim/asl/error.hpp>
#include <stepsim/asl/state_machine.hpp>
#include <stepsim/json/field_reader.hpp>

#include <boost/json.hpp>

#include <optional>
#include <string>

namespace stepsim::asl::detail {

namespace json = boost::json;

/// Reads the fields of one JSON object, reporting type errors with their
/// pointer: json::field_reader's typed fields, and the definition's own.
struct field_reader : stepsim::json::field_reader {
  /// A path (JSONPath, `$` or `$$` rooted). `reference`: must be definite.
  std::optional<path> path_value(std::string_view key, bool reference) const;
  /// InputPath / OutputPath / ResultPath: absent, null, or a path.
  path_field path_field_value(std::string_view key, bool reference) const;
  std::optional<payload_template> payload(std::string_view key, bool& uses_context) const;
  /// True when the field is a `{% expression %}` string.
  bool expression(std::string_view key) const;
};

/// Parses a state machine (top level, a Parallel branch or a Map item
/// processor) found at `pointer`. `inherited`: the query language of its
/// states unless they set their own (the top level's `QueryLanguage`, or the
/// enclosing state's); `jsonata_top`: the top level is JSONata, where AWS
/// refuses JSONPath states.
std::shared_ptr<state_machine const> parse_machine(json::value const& v, std::string const& pointer,
                                                   diagnostics& out, bool top_level,
                                                   query_language inherited = query_language::jsonpath,
                                                   bool jsonata_top = false);

/// A machine's `QueryLanguage` (top level only): JSONPath when absent.
query_language machine_language(field_reader const& r);

/// A state's query language: its `QueryLanguage`, else `inherited`. Reports
/// a value other than JSONPath / JSONata, and JSONPath in a JSONata machine.
query_language state_language(field_reader const& r, query_language inherited, bool jsonata_top);

/// `Assign` at `r` (a state, a top-level choice rule or a catcher), when present and valid.
std::optional<assignment> parse_assign(field_reader const& r, query_language language);

/// A JSONata state's expression fields into `f` (Arguments, Output, Items,
/// ItemSelector, and Seconds, Timestamp, TimeoutSeconds, HeartbeatSeconds,
/// MaxConcurrency, ToleratedFailure*, Error, Cause when given as `{% %}`),
/// with `$states.result` / `$states.errorOutput` refused where AWS does not bind them.
void parse_jsonata_fields(field_reader const& r, state const& s, jsonata_fields& f);

/// Reports a `$states` field that `reads` uses but is not in `bound` (bits of states_field).
void check_states_reads(field_reader const& r, std::string_view key, unsigned reads, unsigned bound);

/// True when any state of `states` (or of its branches / item processors) assigns variables.
bool any_assignment(std::vector<state> const& states) noexcept;

/// A distributed Map's ItemReader, ItemBatcher and ResultWriter into
/// `s.map_run` (set when `s.distributed`); reports them on an inline Map.
void parse_distributed_map(field_reader const& r, state& s, bool express_children);

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
state_targets parse_state(json::object const& o, state& s, diagnostics& out, bool jsonata_top);

/// The rules AWS applies to the parsed machine `top` as a whole, reported
/// into `out` with their pointers: every machine (top level, Parallel
/// branches, Map item processors) has a terminal state (MISSING_END_STATE);
/// a Map takes ToleratedFailureCount or its Path, and ToleratedFailurePercentage
/// or its Path, not both; a Lambda function ARN as a Resource is well formed
/// (INVALID_RESOURCE); a Task's Credentials is an object with RoleArn or RoleArn.$.
void check_whole_machine(state_machine const& top, diagnostics& out);

}  // namespace stepsim::asl::detail
