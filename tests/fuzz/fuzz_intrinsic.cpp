// libFuzzer target: intrinsic call text -> asl::intrinsic::parse; on success
// evaluate it against a fixed input and context; states_error is an allowed outcome.
#include <stepsim/asl/error.hpp>
#include <stepsim/asl/intrinsic.hpp>
#include <stepsim/sim/rng.hpp>

#include <boost/json/parse.hpp>

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace {

boost::json::value const& input() {
  static boost::json::value const v = boost::json::parse(R"({
    "a": 1, "b": [1, 2, 3, 2], "s": "hello world", "names": ["x", "y"],
    "n": null, "f": 2.5, "big": 9007199254740993, "neg": -3, "t": true,
    "obj": {"k": "v", "nested": {"z": [1, {"y": 2}]}}, "json": "{\"q\":[1,2]}",
    "b64": "aGVsbG8=", "sep": ",", "empty": "", "arr": []
  })");
  return v;
}

boost::json::value const& context() {
  static boost::json::value const v = boost::json::parse(R"({
    "Execution": {"Id": "arn:aws:states:us-east-1:123:execution:m:e", "Name": "e",
                  "Input": {"a": 1}, "StartTime": "2024-01-01T00:00:00.000Z"},
    "State": {"Name": "S", "EnteredTime": "2024-01-01T00:00:00.000Z"},
    "StateMachine": {"Id": "arn:aws:states:us-east-1:123:stateMachine:m", "Name": "m"}
  })");
  return v;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(std::uint8_t const* data, std::size_t size) {
  std::string_view text(reinterpret_cast<char const*>(data), size);
  std::string error;
  auto call = stepsim::asl::intrinsic::parse(text, error);
  if (!call) {
    if (error.empty()) __builtin_trap();
    return 0;
  }
  stepsim::sim::random_stream random(42);
  stepsim::asl::eval_context ctx{input(), context(), &random};
  try {
    (void)call->evaluate(ctx);
  } catch (stepsim::asl::states_error const&) {
  }
  return 0;
}
