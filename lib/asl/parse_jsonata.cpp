// JSONata states and variables: the query language of each state, Assign, and the `{% %}` fields.
#include "asl/parse_detail.hpp"

#include <fmt/format.h>

namespace stepsim::asl::detail {

namespace {

constexpr unsigned bound_always = unsigned(states_field::input) | unsigned(states_field::context);

std::optional<query_language> language_of(field_reader const& r) {
  auto ql = r.string("QueryLanguage");
  if (!ql) return std::nullopt;
  if (*ql == "JSONPath") return query_language::jsonpath;
  if (*ql == "JSONata") return query_language::jsonata;
  r.error("QueryLanguage", fmt::format("'QueryLanguage' must be JSONPath or JSONata, not '{}'", *ql));
  return std::nullopt;
}

char const* field_name(unsigned bit) {
  switch (bit) {
    case unsigned(states_field::result): return "$states.result";
    case unsigned(states_field::error_output): return "$states.errorOutput";
    case unsigned(states_field::input): return "$states.input";
    default: return "$states.context";
  }
}

std::optional<jsonata_template> template_field(field_reader const& r, std::string_view key, unsigned bound,
                                               bool expression_only) {
  auto const* v = r.find(key);
  if (!v || (expression_only && !jsonata_template::is_expression(*v))) return std::nullopt;
  auto t = jsonata_template::parse(*v, r.at(key), std::string(key), r.out);
  if (t) check_states_reads(r, key, t->reads(), bound);
  return t;
}

void collect(state const& s, bool& any) {
  if (any) return;
  if (s.assign) any = true;
  for (auto const& c : s.catch_) any = any || c.assign.has_value();
  for (auto const& c : s.choices) any = any || c.assign.has_value();
  for (auto const& b : s.branches) any = any || b->assigns_variables();
  if (s.item_processor) any = any || s.item_processor->assigns_variables();
}

}  // namespace

query_language machine_language(field_reader const& r) { return language_of(r).value_or(query_language::jsonpath); }

query_language state_language(field_reader const& r, query_language inherited, bool jsonata_top) {
  auto own = language_of(r);
  if (own == query_language::jsonpath && jsonata_top) {
    r.error("QueryLanguage", "a state cannot use JSONPath when the state machine's top-level 'QueryLanguage' is "
                             "JSONata; set JSONPath at the top level and JSONata on the states that use it");
    return query_language::jsonata;
  }
  return own.value_or(inherited);
}

void check_states_reads(field_reader const& r, std::string_view key, unsigned reads, unsigned bound) {
  if (reads & unsigned(states_field::whole)) return;  // `$states` itself reads what is bound here
  for (unsigned bit : {unsigned(states_field::result), unsigned(states_field::error_output)}) {
    if (!(reads & bit) || (bound & bit)) continue;
    r.error(key, fmt::format("'{}' reads {}, which is not bound here: {}", key, field_name(bit),
                             bit == unsigned(states_field::result)
                                 ? "only the Output and Assign of a Task, Parallel or Map state see the result"
                                 : "only the Output and Assign of a catcher see the error output"));
  }
}

std::optional<assignment> parse_assign(field_reader const& r, query_language language) {
  auto const* v = r.find("Assign");
  if (!v) return std::nullopt;
  return assignment::parse(*v, r.at("Assign"), language == query_language::jsonata, r.out);
}

void parse_jsonata_fields(field_reader const& r, state const& s, jsonata_fields& f) {
  bool has_result = s.type == state_type::task || s.type == state_type::parallel || s.type == state_type::map;
  unsigned after = bound_always | (has_result ? unsigned(states_field::result) : 0u);
  if (s.type == state_type::task || s.type == state_type::parallel)
    f.arguments = template_field(r, "Arguments", bound_always, false);
  if (s.type != state_type::fail) f.output = template_field(r, "Output", after, false);
  switch (s.type) {
    case state_type::map:
      f.items = template_field(r, "Items", bound_always, false);
      if (f.items && f.items->literal() && !f.items->literal()->is_array())
        r.error("Items", "'Items' must be an array or a {% %} expression giving one");
      f.item_selector = template_field(r, "ItemSelector", bound_always, false);
      f.max_concurrency = template_field(r, "MaxConcurrency", bound_always, true);
      f.tolerated_failure_count = template_field(r, "ToleratedFailureCount", bound_always, true);
      f.tolerated_failure_percentage = template_field(r, "ToleratedFailurePercentage", bound_always, true);
      break;
    case state_type::wait:
      f.seconds = template_field(r, "Seconds", bound_always, true);
      f.timestamp = template_field(r, "Timestamp", bound_always, true);
      break;
    case state_type::task:
      f.timeout_seconds = template_field(r, "TimeoutSeconds", bound_always, true);
      f.heartbeat_seconds = template_field(r, "HeartbeatSeconds", bound_always, true);
      break;
    case state_type::fail:
      f.error = template_field(r, "Error", bound_always, true);
      f.cause = template_field(r, "Cause", bound_always, true);
      break;
    default: break;
  }
}

bool any_assignment(std::vector<state> const& states) noexcept {
  bool any = false;
  for (auto const& s : states) collect(s, any);
  return any;
}

}  // namespace stepsim::asl::detail
