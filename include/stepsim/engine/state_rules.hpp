// stepsim::engine state rules: what an execution does with every state's data
// (InputPath, ResultPath, OutputPath, payload limits, with AWS's errors) and how
// Retry and Catch match an error. Public so that a tool applying one state
// outside an execution (testing::test_state) follows exactly the same rules.
#pragma once

#include <stepsim/asl/state_machine.hpp>

#include <boost/json.hpp>

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
