// stepsim::engine state rules: what an execution does with every state's data
// (InputPath, ResultPath, OutputPath, payload limits, with AWS's errors) and how
// Retry and Catch match an error. Public so that a tool applying one state
// outside an execution (testing::test_state) follows exactly the same rules.
#pragma once

#include <stepsim/asl/state_machine.hpp>
#include <stepsim/sim/time.hpp>

#include <boost/json.hpp>

#include <cstdint>
#include <string>
#include <vector>

namespace stepsim::engine::data_flow {

namespace json = boost::json;

/// InputPath or OutputPath applied to `v`. `keep` false lets it move out of
/// `v`. A path matching nothing throws States.Runtime ("Invalid path '$.x' :
/// No results for path: $['x']").
/// `vars`: the variables a `$name` path reads (may be null).
json::value select(asl::path_field const& f, json::value& v, bool keep, json::value const& context,
                   json::object const* vars = nullptr);

/// ResultPath: combines `result` into the state's input `raw`.
json::value combine(asl::path_field const& f, json::value raw, json::value result);

/// Largest payload Step Functions accepts: state and execution input and output.
inline constexpr std::size_t max_payload_bytes = 262144;

/// True when `v` as JSON text is larger than `max_payload_bytes`. First
/// bounds the size from above without formatting anything (a string may take
/// 6 bytes a character escaped, a number 40), which settles most payloads;
/// only a payload whose bound passes the limit is measured exactly.
bool exceeds_payload_limit(json::value const& v);

/// Longest Wait AWS accepts: 24,855 days.
inline constexpr sim::duration max_wait = std::chrono::hours(24 * 24855);

/// When a Wait state that started at `now` ends: its Seconds, Timestamp,
/// SecondsPath or TimestampPath (the paths read from `input`, the state's
/// effective input, `context` and `vars`). A path that reads nothing, or
/// not a non-negative integer or an ISO-8601 timestamp, or seconds past
/// `max_wait`, throws States.Runtime with AWS's cause. For a JSONata state,
/// only its literal Seconds or Timestamp are read here.
sim::instant wait_until(asl::state const& s, json::value const& input, json::value const& context,
                        json::object const* vars, sim::instant now);

/// The value `v` of the JSONata field `t` (TimeoutSeconds, HeartbeatSeconds,
/// Seconds, MaxConcurrency, ToleratedFailureCount...) as an integer of at
/// least `min` (0 or 1). Anything else (a fraction, a string, a number below
/// `min`) throws States.QueryEvaluationError with AWS's cause.
std::int64_t jsonata_integer(asl::jsonata_template const& t, json::value const& v, std::int64_t min);

/// The value `v` of a JSONata Wait's Timestamp as an instant. A value that is
/// not an ISO-8601 timestamp string throws States.QueryEvaluationError with
/// AWS's cause.
sim::instant jsonata_timestamp(json::value const& v);

/// Throws States.DataLimitExceeded, worded as AWS words it, when the result
/// of state `s` is larger than `max_payload_bytes` as JSON text.
void check_result_size(asl::state const& s, json::value const& result);

}  // namespace stepsim::engine::data_flow

namespace stepsim::engine {

/// True when an ErrorEquals list matches `error`, as AWS matches it:
/// the exact name, `States.ALL` (anything but States.Runtime), or
/// `States.TaskFailed` (anything but States.Timeout and States.Runtime).
bool error_matches(std::vector<std::string> const& error_equals, std::string const& error) noexcept;

}  // namespace stepsim::engine
