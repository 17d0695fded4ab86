// Variables (Assign, $name) and JSONata states at run time. Each case runs on
// both paths of the engine: states run on one call, and states run by the
// coroutine (forced by a zero transition overhead); both must agree.
#include <stepsim/engine/engine.hpp>

#include "engine/harness.hpp"

#include <stepsim/asl/json_text.hpp>

#include <catch2/catch.hpp>

using stepsim::engine::execution_options;
using stepsim::engine::execution_result;
using stepsim::engine::history_level;
using stepsim::test::harness;
namespace json = boost::json;
namespace sim = stepsim::sim;

namespace {

// Runs `definition` on `input` with the registry `setup` fills, on the path `GENERATE` picks.
execution_result run(std::string_view definition, std::string_view input = "{}",
                     std::function<void(stepsim::tasks::registry&)> setup = {},
                     history_level level = history_level::summary) {
  bool const coroutine = GENERATE(false, true);
  INFO((coroutine ? "coroutine path" : "one-call path"));
  harness h;
  if (coroutine) h.engine_opts.transition_overhead = [](sim::random_stream&) { return sim::duration::zero(); };
  if (setup) setup(h.tasks);
  execution_options o;
  o.history = level;
  return h.run(definition, input, o);
}

json::value output(execution_result const& r) {
  INFO("error " << r.error.value_or("") << ": " << r.cause.value_or(""));
  REQUIRE(r.succeeded());
  return *r.output;
}

}  // namespace

TEST_CASE("OutputPath reads a variable's value from before the state that assigns it", "[engine][variables]") {
  // As recorded on AWS (BASE_EVALUATION_ORDER_PASS_STATE).
  auto r = run(R"({"StartAt": "S0", "States": {
    "S0": {"Type": "Pass", "Result": {"q": "why?"}, "Assign": {"question.$": "$.q", "answer": 42}, "Next": "S1"},
    "S1": {"Type": "Pass", "InputPath": "$answer", "ResultPath": "$.theAnswer", "OutputPath": "$answer",
           "Assign": {"answer": "<omitted>"}, "End": true}}})");
  CHECK(output(r) == json::value(42));
}

TEST_CASE("Every value of one Assign is computed from the variables before the state", "[engine][variables]") {
  auto r = run(R"({"StartAt": "Init", "States": {
    "Init": {"Type": "Pass", "Assign": {"a": 1, "b": 2}, "Next": "Swap"},
    "Swap": {"Type": "Pass", "Assign": {"a.$": "$b", "b.$": "$a"}, "Next": "Show"},
    "Show": {"Type": "Pass", "Parameters": {"a.$": "$a", "b.$": "$b"}, "End": true}}})");
  CHECK(output(r) == json::parse(R"({"a": 2, "b": 1})"));
}

TEST_CASE("A Pass state's Assign reads its Result, a Task's its result after ResultSelector", "[engine][variables]") {
  auto r = run(R"({"StartAt": "P", "States": {
    "P": {"Type": "Pass", "Result": {"n": 5}, "Assign": {"fromResult.$": "$.n"}, "Next": "T"},
    "T": {"Type": "Task", "Resource": "echo", "Parameters": {"v": 7}, "ResultSelector": {"w.$": "$.v"},
          "ResultPath": null, "Assign": {"fromSelector.$": "$.w"}, "Next": "Show"},
    "Show": {"Type": "Pass", "Parameters": {"r.$": "$fromResult", "s.$": "$fromSelector"}, "End": true}}})",
               "{}", [](auto& t) { t.add("echo", [](json::value const& in) { return in; }); });
  CHECK(output(r) == json::parse(R"({"r": 5, "s": 7})"));
}

TEST_CASE("A catcher's Assign reads the error output, and the failed state's own Assign is not applied",
          "[engine][variables]") {
  auto r = run(R"({"StartAt": "T", "States": {
    "T": {"Type": "Task", "Resource": "boom", "Assign": {"ok": true}, "End": true,
          "Catch": [{"ErrorEquals": ["States.ALL"], "Assign": {"why.$": "$.Error"}, "Next": "OkSet?"}]},
    "OkSet?": {"Type": "Choice", "Choices": [{"Variable": "$ok", "IsPresent": true, "Next": "Bad"}],
               "Default": "Show"},
    "Bad": {"Type": "Fail", "Error": "ok was assigned"},
    "Show": {"Type": "Pass", "Parameters": {"why.$": "$why"}, "End": true}}})",
               "{}", [](auto& t) {
                 t.add("boom", [](json::value const&) -> json::value {
                   throw stepsim::asl::states_error("Custom.Error", "it broke");
                 });
               });
  CHECK(output(r) == json::parse(R"({"why": "Custom.Error"})"));
}

TEST_CASE("A Choice rule's Assign applies when it matches, the state's when Default is taken", "[engine][variables]") {
  constexpr char const* machine = R"({"StartAt": "C", "States": {
    "C": {"Type": "Choice", "Assign": {"status": "default", "seen.$": "$.v"},
          "Choices": [{"Variable": "$.v", "NumericEquals": 42, "Assign": {"status": "matched"}, "Next": "Show"}],
          "Default": "Show"},
    "Show": {"Type": "Pass", "Parameters": {"status.$": "$status"}, "End": true}}})";
  CHECK(output(run(machine, R"({"v": 42})")) == json::parse(R"({"status": "matched"})"));
  CHECK(output(run(machine, R"({"v": 1})")) == json::parse(R"({"status": "default"})"));
}

TEST_CASE("Parallel branches read the outer variables, and what they assign stays inside", "[engine][variables]") {
  auto r = run(R"({"StartAt": "Init", "States": {
    "Init": {"Type": "Pass", "Assign": {"x": 1}, "Next": "Par"},
    "Par": {"Type": "Parallel", "Next": "Show", "Branches": [
      {"StartAt": "B1", "States": {"B1": {"Type": "Pass", "Assign": {"x": 99}, "Next": "B2"},
                                   "B2": {"Type": "Pass", "Parameters": {"inner.$": "$x"}, "End": true}}},
      {"StartAt": "C1", "States": {"C1": {"Type": "Pass", "Parameters": {"outer.$": "$x"}, "End": true}}}]},
    "Show": {"Type": "Pass", "Parameters": {"branches.$": "$", "after.$": "$x"}, "End": true}}})");
  CHECK(output(r) == json::parse(R"({"branches": [{"inner": 99}, {"outer": 1}], "after": 1})"));
}

TEST_CASE("Map iterations read variables of every enclosing scope", "[engine][variables]") {
  auto r = run(R"j({"StartAt": "Init", "States": {
    "Init": {"Type": "Pass", "Assign": {"bias": 10, "rows": [[1], [2]]}, "Next": "Outer"},
    "Outer": {"Type": "Map", "ItemsPath": "$rows", "End": true, "ItemProcessor": {"StartAt": "Row", "States": {
      "Row": {"Type": "Pass", "Assign": {"first.$": "$[0]"}, "Next": "Inner"},
      "Inner": {"Type": "Map", "ItemsPath": "$", "End": true, "ItemProcessor": {"StartAt": "Sum", "States": {
        "Sum": {"Type": "Pass", "Parameters": {"v.$": "States.MathAdd($first, $bias)"}, "End": true}}}}}}}}})j");
  CHECK(output(r) == json::parse(R"([[{"v": 11}], [{"v": 12}]])"));
}

TEST_CASE("A path to a variable that is not set fails the state with States.Runtime", "[engine][variables]") {
  auto r = run(R"({"StartAt": "S", "States": {"S": {"Type": "Pass", "OutputPath": "$nothing", "End": true}}})");
  REQUIRE(r.error == "States.Runtime");
  CHECK(r.cause == "An error occurred while executing the state 'S' (entered at the event id #2). Invalid path "
                   "'$nothing' : No results for path: $nothing");
}

TEST_CASE("A variable over 256 KiB fails the state with States.DataLimitExceeded", "[engine][variables]") {
  // The input stays under the payload limit; the variable (the string twice) does not.
  auto r = run(R"j({"StartAt": "S", "States": {"S": {"Type": "Pass", "Assign": {"big.$": "States.Array($.s, $.s)"},
                   "End": true}}})j",
               "{\"s\": \"" + std::string(200000, 'x') + "\"}");
  CHECK(r.error == "States.DataLimitExceeded");
  CHECK(r.cause == "The value assigned to the variable 'big' is larger than the limit of 262144 bytes.");
}

TEST_CASE("StateExited records the variables a state assigns as AWS does", "[engine][variables][history]") {
  auto r = run(R"({"StartAt": "S", "States": {"S": {"Type": "Pass", "Assign": {"n": 1, "o.$": "$"}, "End": true}}})",
               R"({"a": [1.5]})", {}, history_level::full);
  REQUIRE(r.succeeded());
  auto const& exited = r.events.at(r.events.size() - 2);
  REQUIRE(exited.type == "PassStateExited");
  CHECK(json::value(exited.details) == json::parse(R"({"name": "S", "output": "{\"a\":[1.5]}",
      "outputDetails": {"truncated": false}, "assignedVariables": {"n": "1", "o": "{\"a\":[1.5]}"},
      "assignedVariablesDetails": {"truncated": false}})"));
}

TEST_CASE("A JSONata Pass state's Output and Assign both see the variables from before", "[engine][jsonata]") {
  auto r = run(R"({"QueryLanguage": "JSONata", "StartAt": "A", "States": {
    "A": {"Type": "Pass", "Assign": {"x": 1}, "Next": "B"},
    "B": {"Type": "Pass", "Assign": {"x": 2, "old": "{% $x %}"}, "Output": {"seen": "{% $x %}",
          "in": "{% $states.input.v %}"}, "Next": "C"},
    "C": {"Type": "Pass", "Output": {"x": "{% $x %}", "old": "{% $old %}"}, "End": true}}})",
               R"({"v": "input"})");
  CHECK(output(r) == json::parse(R"({"x": 2, "old": 1})"));
}

TEST_CASE("A JSONata Task gets its Arguments and outputs its result unless Output says otherwise",
          "[engine][jsonata]") {
  json::value seen;
  auto r = run(R"({"QueryLanguage": "JSONata", "StartAt": "T", "States": {
    "T": {"Type": "Task", "Resource": "echo", "Arguments": {"id": "{% $states.input.id %}", "k": "const"},
          "Assign": {"got": "{% $states.result.id %}"}, "Next": "U"},
    "U": {"Type": "Task", "Resource": "echo", "Output": {"again": "{% $states.result.id %}", "var": "{% $got %}"},
          "End": true}}})",
               R"({"id": 7})", [&](auto& t) {
                 t.add("echo", [&](json::value const& in) {
                   seen = in;
                   return in;
                 });
               });
  CHECK(output(r) == json::parse(R"({"again": 7, "var": 7})"));
  CHECK(seen == json::parse(R"({"id": 7, "k": "const"})"));  // U's input: T's result, no Arguments
}

TEST_CASE("A JSONata catcher's Output and Assign read $states.errorOutput", "[engine][jsonata]") {
  auto r = run(R"({"QueryLanguage": "JSONata", "StartAt": "T", "States": {
    "T": {"Type": "Task", "Resource": "boom", "End": true,
          "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "Show",
                     "Output": {"e": "{% $states.errorOutput.Error %}", "in": "{% $states.input.k %}"},
                     "Assign": {"cause": "{% $states.errorOutput.Cause %}"}}]},
    "Show": {"Type": "Pass", "Output": {"out": "{% $states.input %}", "cause": "{% $cause %}"}, "End": true}}})",
               R"({"k": 1})", [](auto& t) {
                 t.add("boom", [](json::value const&) -> json::value {
                   throw stepsim::asl::states_error("Custom.Error", "it broke");
                 });
               });
  CHECK(output(r) == json::parse(R"({"out": {"e": "Custom.Error", "in": 1}, "cause": "it broke"})"));
}

TEST_CASE("A JSONata Choice takes the first true Condition with its Output and Assign", "[engine][jsonata]") {
  constexpr char const* machine = R"({"QueryLanguage": "JSONata", "StartAt": "C", "States": {
    "C": {"Type": "Choice", "Output": "default", "Assign": {"how": "default"},
          "Choices": [{"Condition": "{% $states.input.go %}", "Output": "rule", "Assign": {"how": "rule"},
                       "Next": "Show"}],
          "Default": "Show"},
    "Show": {"Type": "Pass", "Output": {"in": "{% $states.input %}", "how": "{% $how %}"}, "End": true}}})";
  CHECK(output(run(machine, R"({"go": true})")) == json::parse(R"({"in": "rule", "how": "rule"})"));
  CHECK(output(run(machine, R"({"go": false})")) == json::parse(R"({"in": "default", "how": "default"})"));
  auto r = run(machine, R"({"go": "yes"})");
  CHECK(r.error == "States.QueryEvaluationError");
  CHECK(r.cause == "An error occurred while executing the state 'C' (entered at the event id #2). The JSONata "
                   "expression '$states.input.go' specified for the field 'Condition' returned an unexpected result "
                   "type. Expected 'boolean', but was 'string' for value: \"yes\"");
}

TEST_CASE("A JSONata Map takes Items from a variable and iterations read the outer scope", "[engine][jsonata]") {
  auto r = run(R"({"QueryLanguage": "JSONata", "StartAt": "Init", "States": {
    "Init": {"Type": "Pass", "Assign": {"items": [1, 2], "tag": "t"}, "Next": "M"},
    "M": {"Type": "Map", "Items": "{% $items %}", "MaxConcurrency": "{% 1 %}",
          "ItemSelector": {"v": "{% $states.context.Map.Item.Value %}", "i": "{% $states.context.Map.Item.Index %}"},
          "ItemProcessor": {"StartAt": "P", "States": {
            "P": {"Type": "Pass", "Output": {"v": "{% $states.input.v %}", "tag": "{% $tag %}"}, "End": true}}},
          "End": true}}})");
  CHECK(output(r) == json::parse(R"([{"v": 1, "tag": "t"}, {"v": 2, "tag": "t"}])"));
}

TEST_CASE("A JSONata Map whose input is not an array fails with AWS's cause", "[engine][jsonata]") {
  auto r = run(R"({"QueryLanguage": "JSONata", "StartAt": "M", "States": {
    "M": {"Type": "Map", "End": true,
          "ItemProcessor": {"StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}}}}})",
               R"({"a": 1})");
  CHECK(r.error == "States.QueryEvaluationError");
  CHECK(r.cause == "An error occurred while executing the state 'M' (entered at the event id #2). Map state input "
                   "must be an array but was: {\"a\":1}");
}

TEST_CASE("A JSONata Fail state computes Error and Cause", "[engine][jsonata]") {
  auto r = run(R"({"QueryLanguage": "JSONata", "StartAt": "F", "States": {
    "F": {"Type": "Fail", "Error": "{% $states.input.e %}", "Cause": "literal"}}})",
               R"({"e": "Oops"})");
  CHECK(r.error == "Oops");
  CHECK(r.cause == "literal");
}

TEST_CASE("A JSONata Wait waits the Seconds its expression gives", "[engine][jsonata]") {
  auto r = run(R"({"QueryLanguage": "JSONata", "StartAt": "W", "States": {
    "W": {"Type": "Wait", "Seconds": "{% $states.input.s %}", "End": true}}})",
               R"({"s": 90})");
  REQUIRE(r.succeeded());
  CHECK(r.stop_date.value() - r.start_date == std::chrono::seconds(90));
}

TEST_CASE("An undefined JSONata result fails the state with States.QueryEvaluationError", "[engine][jsonata]") {
  auto r = run(R"({"QueryLanguage": "JSONata", "StartAt": "S", "States": {
    "S": {"Type": "Pass", "Assign": {"r": "{% $doesNotExist %}"}, "End": true}}})");
  CHECK(r.error == "States.QueryEvaluationError");
  CHECK(r.cause == "An error occurred while executing the state 'S' (entered at the event id #2). The JSONata "
                   "expression '$doesNotExist' specified for the field 'Assign/r' returned nothing (undefined).");
}

TEST_CASE("Both engine paths record the same history for variables and JSONata states",
          "[engine][variables][history]") {
  constexpr char const* machine = R"({"StartAt": "Init", "States": {
    "Init": {"Type": "Pass", "Assign": {"n.$": "$.n"}, "Next": "J"},
    "J": {"Type": "Task", "QueryLanguage": "JSONata", "Resource": "echo", "Arguments": {"v": "{% $n %}"},
          "Assign": {"seen": "{% $states.result.v %}"}, "Output": "{% $states.result %}", "Next": "Par"},
    "Par": {"Type": "Parallel", "Assign": {"both.$": "$"}, "End": true, "Branches": [
      {"StartAt": "A", "States": {"A": {"Type": "Pass", "Assign": {"inner": 1}, "End": true}}},
      {"StartAt": "B", "States": {"B": {"Type": "Pass", "Parameters": {"s.$": "$seen"}, "End": true}}}]}}})";
  std::vector<json::value> histories;
  for (bool coroutine : {false, true}) {
    harness h;
    if (coroutine) h.engine_opts.transition_overhead = [](sim::random_stream&) { return sim::duration::zero(); };
    h.tasks.add("echo", [](json::value const& in) { return in; });
    execution_options o;
    o.history = history_level::full;
    o.name = "same";
    auto r = h.run(machine, R"({"n": 3})", o);
    REQUIRE(r.succeeded());
    CHECK(*r.output == json::parse(R"([{"v": 3}, {"s": 3}])"));
    histories.push_back(stepsim::engine::history_to_json(r.events));
  }
  CHECK(histories[0] == histories[1]);
}

TEST_CASE("$millis() in a JSONata state reads the scheduler's virtual clock", "[engine][jsonata]") {
  auto r = run(R"({"QueryLanguage": "JSONata", "StartAt": "W", "States": {
    "W": {"Type": "Wait", "Seconds": 10, "Next": "T"},
    "T": {"Type": "Pass", "Output": {"ms": "{% $millis() %}"}, "End": true}}})");
  // t0 is 2024-01-01T00:00:00Z = 1704067200000 ms.
  CHECK(output(r) == json::parse(R"({"ms": 1704067210000})"));
}

TEST_CASE("$uuid() and $random() draw from the execution's seeded stream", "[engine][jsonata]") {
  constexpr char const* machine = R"({"QueryLanguage": "JSONata", "StartAt": "R", "States": {
    "R": {"Type": "Pass", "Output": {"id": "{% $uuid() %}", "r": "{% $random() %}"}, "End": true}}})";
  auto once = [&](std::string const& name) {
    harness h;
    execution_options o;
    o.name = name;
    auto r = h.run(machine, "{}", o);
    REQUIRE(r.succeeded());
    return *r.output;
  };
  auto a = once("a");
  CHECK(a == once("a"));
  CHECK(a != once("b"));
  CHECK(a.at("id").as_string().size() == 36);
}
