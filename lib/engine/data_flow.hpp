// Private: InputPath, ResultPath, OutputPath and payload templates, with AWS's errors.
#pragma once

#include <stepsim/asl/state_machine.hpp>

#include <boost/json.hpp>

namespace stepsim::engine::data_flow {

namespace json = boost::json;

/// InputPath or OutputPath applied to `v`. `keep` false lets it move out of
/// `v`. A path matching nothing throws States.Runtime ("Invalid path '$.x' :
/// No results for path: $['x']").
json::value select(asl::path_field const& f, json::value& v, bool keep, json::value const& context);

/// ResultPath: combines `result` into the state's input `raw`.
json::value combine(asl::path_field const& f, json::value raw, json::value result);

}  // namespace stepsim::engine::data_flow
