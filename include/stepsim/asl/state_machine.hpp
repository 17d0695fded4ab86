// stepsim::asl::state_machine: a definition compiled once into states by index.
#pragma once

#include <stepsim/asl/choice_rule.hpp>
#include <stepsim/asl/distributed_map.hpp>
#include <stepsim/asl/jsonata_template.hpp>
#include <stepsim/asl/path.hpp>
#include <stepsim/asl/payload_template.hpp>
#include <stepsim/asl/variables.hpp>
#include <stepsim/sim/time.hpp>

#include <boost/json/value.hpp>

#include <cstddef>
#include <cstdint>
#include <limits>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace stepsim::asl {

enum class state_type { pass, task, choice, wait, succeed, fail, parallel, map };

/// How a state's fields select and transform data: JSONPath (InputPath,
/// Parameters, ResultSelector, ResultPath, OutputPath, `.$` keys) or JSONata
/// (Arguments, Output, `{% %}` expressions). Set by `QueryLanguage` on the
/// state, else inherited from the enclosing state or the top level.
enum class query_language { jsonpath, jsonata };

/// "Pass", "Task", ... as written in definitions.
char const* to_string(state_type t) noexcept;

/// Index of a state inside its machine.
using state_index = std::uint32_t;
inline constexpr state_index no_state = std::numeric_limits<state_index>::max();

/// InputPath / OutputPath / ResultPath: absent (the default, `$`), explicitly
/// `null`, or a path.
struct path_field {
  bool is_null = false;          ///< the field was JSON null
  std::optional<path> selected;  ///< the path; nullopt when absent or null (= `$`)
  /// True when the field is absent or exactly `$` (nothing to do).
  bool is_identity() const noexcept {
    return !is_null && (!selected || (selected->is_root() && !selected->is_context()));
  }
};

/// One entry of a state's `Retry`.
struct retrier {
  std::vector<std::string> error_equals;
  double interval_seconds = 1.0;
  std::int64_t max_attempts = 3;
  double backoff_rate = 2.0;
  std::optional<std::int64_t> max_delay_seconds;
  bool jitter_full = false;
};

/// One entry of a state's `Catch`.
struct catcher {
  std::vector<std::string> error_equals;
  state_index next = no_state;
  std::string next_name;
  path_field result_path;                 ///< JSONPath
  std::optional<jsonata_template> output;  ///< JSONata: the output (default: the error output)
  std::optional<assignment> assign;       ///< variables set when this catcher is taken
};

/// A Choice rule at the top of `Choices` with its resolved target.
struct choice_branch {
  std::optional<choice_rule> rule;            ///< JSONPath: the comparison
  std::optional<jsonata_template> condition;  ///< JSONata: `Condition` (true or false)
  std::optional<jsonata_template> output;     ///< JSONata: `Output` when this rule is taken
  std::optional<assignment> assign;           ///< variables set when this rule is taken
  state_index next = no_state;
};

/// The fields of a JSONata state that hold `{% %}` expressions (or, for
/// Arguments, Output and Items, any value). A field given as a plain value
/// where the state's JSONPath twin takes one (Seconds, TimeoutSeconds...) is
/// read into that field of `state` instead.
struct jsonata_fields {
  std::optional<jsonata_template> arguments;  ///< Task, Parallel: the work's input (default: the state input)
  std::optional<jsonata_template> output;     ///< all but Fail: the state's output
  std::optional<jsonata_template> items;      ///< Map: the items (default: the state input)
  std::optional<jsonata_template> item_selector;  ///< Map: each iteration's input
  std::optional<jsonata_template> seconds, timestamp;                  ///< Wait
  std::optional<jsonata_template> timeout_seconds, heartbeat_seconds;  ///< Task
  std::optional<jsonata_template> max_concurrency, tolerated_failure_count, tolerated_failure_percentage;  ///< Map
  std::optional<jsonata_template> error, cause;  ///< Fail
};

class state_machine;

/// One compiled state. Fields that do not apply to its type stay empty.
struct state {
  std::string name;
  state_type type = state_type::pass;
  std::string pointer;  ///< JSON pointer of the state in the definition ("/States/Name")

  state_index next = no_state;  ///< resolved Next; no_state when End (or Choice/Succeed/Fail)
  bool end = false;
  query_language language = query_language::jsonpath;
  /// `Assign`: variables set when the state succeeds (Choice: when Default is taken).
  std::optional<assignment> assign;
  /// The JSONata fields; null for a JSONPath state.
  std::shared_ptr<jsonata_fields const> jsonata;

  // Data flow.
  path_field input_path;
  path_field output_path;
  path_field result_path;
  std::optional<payload_template> parameters;       ///< Pass, Task, Parallel, Map (Parameters / ItemSelector)
  std::optional<payload_template> result_selector;  ///< Task, Parallel, Map
  bool uses_context = false;  ///< some template or rule of this state reads `$$`

  // Pass.
  std::optional<boost::json::value> result;

  // Task.
  std::string resource;
  std::optional<std::int64_t> timeout_seconds;
  std::optional<path> timeout_seconds_path;
  std::optional<std::int64_t> heartbeat_seconds;
  std::optional<path> heartbeat_seconds_path;
  /// The resource ends in `.waitForTaskToken`: the state waits for
  /// engine::send_task_success / send_task_failure with `$$.Task.Token`.
  bool waits_for_token = false;

  // Task, Parallel, Map.
  std::vector<retrier> retry;
  std::vector<catcher> catch_;

  // Choice.
  std::vector<choice_branch> choices;
  state_index default_next = no_state;

  // Wait.
  std::optional<std::int64_t> seconds;
  std::optional<path> seconds_path;
  std::optional<sim::instant> timestamp;
  std::string timestamp_text;
  std::optional<path> timestamp_path;

  // Fail.
  std::optional<std::string> error;
  std::optional<std::string> cause;
  std::optional<path> error_path;
  std::optional<path> cause_path;
  std::optional<intrinsic> error_function;  ///< ErrorPath given as an intrinsic call
  std::optional<intrinsic> cause_function;  ///< CausePath given as an intrinsic call

  // Parallel.
  std::vector<std::shared_ptr<state_machine const>> branches;

  // Map: inline, or distributed (its iterations are child executions of a Map Run).
  std::shared_ptr<state_machine const> item_processor;
  bool distributed = false;  ///< ProcessorConfig Mode DISTRIBUTED: iterations are child executions
  /// A distributed Map's child execution type, ItemReader, ItemBatcher and ResultWriter (null when inline).
  std::shared_ptr<distributed_map const> map_run;
  std::optional<path> items_path;
  std::int64_t max_concurrency = 0;
  std::optional<path> max_concurrency_path;
  std::optional<std::int64_t> tolerated_failure_count;
  std::optional<double> tolerated_failure_percentage;
  std::optional<path> tolerated_failure_count_path;
  std::optional<path> tolerated_failure_percentage_path;
  std::string label;
};

/// A compiled, immutable state machine (or a Parallel branch / Map item
/// processor, which have the same shape). States refer to each other by index.
class state_machine {
 public:
  state_machine(std::vector<state> states, state_index start, std::optional<std::int64_t> timeout_seconds,
                std::string comment, boost::json::value definition);

  std::vector<state> const& states() const noexcept { return states_; }
  state const& at(state_index i) const { return states_.at(i); }
  state_index start() const noexcept { return start_; }
  /// Index of the state named `name`, or no_state.
  state_index find(std::string_view name) const noexcept;
  /// Top-level TimeoutSeconds, if any.
  std::optional<std::int64_t> timeout_seconds() const noexcept { return timeout_seconds_; }
  /// True when some state of this machine (Parallel branches and Map item
  /// processors included) has an `Assign`: runs then keep variable scopes.
  bool assigns_variables() const noexcept { return assigns_variables_; }
  std::string const& comment() const noexcept { return comment_; }
  /// The definition as it was given (for DescribeStateMachine and the context object).
  boost::json::value const& definition() const noexcept { return definition_; }

 private:
  std::vector<state> states_;
  state_index start_;
  std::optional<std::int64_t> timeout_seconds_;
  bool assigns_variables_ = false;
  std::string comment_;
  boost::json::value definition_;
};

}  // namespace stepsim::asl
