// Private: InputPath, ResultPath, OutputPath and payload templates, with AWS's errors.
#pragma once

#include <stepsim/asl/state_machine.hpp>

#include <boost/json.hpp>

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
