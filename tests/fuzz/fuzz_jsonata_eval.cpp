// libFuzzer target: JSONata expression text -> compile, then evaluate against a
// small fixed document and against undefined input, in both dialects, with
// depth, step and time bounds and a fixed clock and random source (so a run is
// reproducible). jsonata::error is an accepted outcome; any other exception
// escapes and aborts. A result must serialise and hold only finite numbers.
#include <stepsim/jsonata/expression.hpp>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <string_view>

namespace {

namespace json = boost::json;
namespace jsonata = stepsim::jsonata;

json::value const& document() {
  static json::value const v = json::parse(R"({
    "a": 1, "b": [1, 2, 3, 2], "s": "hello world", "names": ["x", "y"],
    "n": null, "f": 2.5, "big": 9007199254740993, "neg": -3, "t": true,
    "obj": {"k": "v", "nested": {"z": [1, {"y": 2}]}}, "date": "2024-01-01T00:00:00.000Z",
    "Account": {"Order": [{"Product": [{"Price": 34.45, "Quantity": 2, "SKU": "0406654608"},
                                       {"Price": 21.67, "Quantity": 1, "SKU": "040657863"}]},
                          {"Product": [{"Price": 107.99, "Quantity": 1, "SKU": "0406634348"}]}]},
    "empty": "", "arr": [], "mixed": [1, "two", [3, [4]], {"five": 5}, null, false]
  })");
  return v;
}

json::object const& variables() {
  static json::object const v = json::parse(R"({"v": 42, "states": {"input": {"x": 1}}, "list": [3, 1, 2]})").as_object();
  return v;
}

// Every number in a result is finite (JSON has no NaN or Infinity).
bool finite(json::value const& v) {
  switch (v.kind()) {
    case json::kind::double_: return std::isfinite(v.get_double());
    case json::kind::array:
      for (auto const& e : v.get_array())
        if (!finite(e)) return false;
      return true;
    case json::kind::object:
      for (auto const& kv : v.get_object())
        if (!finite(kv.value())) return false;
      return true;
    default: return true;
  }
}

void run(jsonata::expression const& e, json::value const* input, jsonata::dialect d) {
  jsonata::environment env;
  env.variables = &variables();
  env.functions = d;
  env.clock_ms = [] { return std::int64_t{1704067200000}; };
  std::uint64_t state = 0x9e3779b97f4a7c15ULL;
  env.random = [state]() mutable {
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    return static_cast<double>(state >> 11) / 9007199254740992.0;
  };
  env.max_depth = 200;
  env.max_steps = 100000;
  env.time_limit = std::chrono::milliseconds(100);
  try {
    auto r = e.evaluate(input, env);
    if (r) {
      if (!finite(*r)) __builtin_trap();
      (void)json::serialize(*r);
    }
  } catch (jsonata::error const& err) {
    if (err.code().empty()) __builtin_trap();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(std::uint8_t const* data, std::size_t size) {
  std::string_view text(reinterpret_cast<char const*>(data), size);
  std::optional<jsonata::expression> e;
  try {
    e = jsonata::expression::compile(text);
  } catch (jsonata::error const&) {
    return 0;
  }
  run(*e, &document(), jsonata::dialect::jsonata);
  run(*e, nullptr, jsonata::dialect::step_functions);
  return 0;
}
