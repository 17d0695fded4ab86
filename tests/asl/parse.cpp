#include <stepsim/asl/parse.hpp>

#include <stepsim/asl/state_machine.hpp>

#include "asl/definitions.hpp"

#include <catch2/catch.hpp>

#include <string>

using namespace stepsim::asl;
using Catch::Matchers::Contains;
using Catch::Matchers::StartsWith;

using stepsim::test::describe;
using stepsim::test::errors_of;
using stepsim::test::one_state;
using stepsim::test::only_error_of;

TEST_CASE("Malformed JSON is reported with its line and column", "[asl][parse]") {
  auto d = only_error_of("{\n  \"StartAt\": \"A\",\n  \"States\": {\n    \"A\": {\"Type\": \"Pass\" \"End\": true}\n  }\n}");
  CHECK(d.pointer == "");
  CHECK_THAT(d.message, StartsWith("the definition is not valid JSON: "));
  CHECK_THAT(d.message, Contains("at line 4, column 26"));
}

TEST_CASE("A definition that is not an object is refused as a whole", "[asl][parse]") {
  auto d = only_error_of("[1, 2]");
  CHECK(d.pointer == "");
  CHECK(d.message == "a state machine must be a JSON object with 'StartAt' and 'States'");
}

TEST_CASE("A missing StartAt is reported at the document root", "[asl][parse]") {
  auto d = only_error_of(R"({"States": {"A": {"Type": "Succeed"}}})");
  CHECK(d.pointer == "");
  CHECK(d.message == "'StartAt' is required: the name of the first state");
}

TEST_CASE("StartAt naming a missing state is reported at /StartAt", "[asl][parse]") {
  auto d = only_error_of(R"({"StartAt": "Nowhere", "States": {"A": {"Type": "Succeed"}}})");
  CHECK(d.pointer == "/StartAt");
  CHECK(d.message == "StartAt names the state 'Nowhere', which is not defined in 'States'");
}

TEST_CASE("Next naming a missing state suggests the closest state name", "[asl][parse]") {
  auto d = only_error_of(R"({"StartAt": "Start", "States": {
    "Start": {"Type": "Pass", "Next": "Finsh"},
    "Finish": {"Type": "Succeed"}}})");
  CHECK(d.pointer == "/States/Start/Next");
  CHECK(d.message == "Next names the state 'Finsh', which is not defined in 'States' (did you mean 'Finish'?)");
}

TEST_CASE("Next naming a missing state with no close name gives no suggestion", "[asl][parse]") {
  auto d = only_error_of(R"({"StartAt": "Start", "States": {
    "Start": {"Type": "Pass", "Next": "CompletelyDifferent"},
    "Finish": {"Type": "Succeed"}}})");
  CHECK(d.pointer == "/States/Start/Next");
  CHECK(d.message == "Next names the state 'CompletelyDifferent', which is not defined in 'States'");
}

TEST_CASE("An unknown state type is reported at its Type", "[asl][parse]") {
  auto d = only_error_of(one_state(R"({"Type": "Sleep", "End": true})"));
  CHECK(d.pointer == "/States/S/Type");
  CHECK(d.message == "unknown state type 'Sleep'; expected Pass, Task, Choice, Wait, Succeed, Fail, Parallel or Map");
}

TEST_CASE("A state with an unknown type does not also make transitions to it look undefined", "[asl][parse]") {
  // B is defined; only its Type is wrong. One diagnostic, not a second one
  // claiming that A's Next names a state that is not defined.
  auto d = only_error_of(R"({"StartAt": "A", "States": {
    "A": {"Type": "Pass", "Next": "B"},
    "B": {"Type": "Sleep", "End": true}}})");
  CHECK(d.pointer == "/States/B/Type");
}

TEST_CASE("A state with both End and Next is reported at End", "[asl][parse]") {
  auto d = only_error_of(R"({"StartAt": "A", "States": {
    "A": {"Type": "Pass", "Next": "B", "End": true},
    "B": {"Type": "Succeed"}}})");
  CHECK(d.pointer == "/States/A/End");
  CHECK(d.message == "a state cannot have both 'Next' and 'End': true; keep one of them");
}

TEST_CASE("A state with neither End nor Next is reported at the state", "[asl][parse]") {
  auto d = only_error_of(one_state(R"({"Type": "Wait", "Seconds": 1})"));
  CHECK(d.pointer == "/States/S");
  CHECK(d.message == "a Wait state needs 'Next' (the state to go to) or 'End': true");
}

TEST_CASE("End false without Next counts as neither", "[asl][parse]") {
  auto d = only_error_of(one_state(R"({"Type": "Pass", "End": false})"));
  CHECK(d.pointer == "/States/S");
  CHECK(d.message == "a Pass state needs 'Next' (the state to go to) or 'End': true");
}

TEST_CASE("A state that cannot be reached from StartAt is reported", "[asl][parse]") {
  auto d = only_error_of(R"({"StartAt": "A", "States": {
    "A": {"Type": "Succeed"},
    "Orphan": {"Type": "Pass", "Next": "A"}}})");
  CHECK(d.pointer == "/States/Orphan");
  CHECK(d.message == "the state 'Orphan' cannot be reached from StartAt 'A'");
}

TEST_CASE("States reached only through Choices, Default or Catch count as reachable", "[asl][parse]") {
  auto r = parse(std::string_view(R"({"StartAt": "C", "States": {
    "C": {"Type": "Choice", "Choices": [{"Variable": "$.x", "IsPresent": true, "Next": "T"}], "Default": "D"},
    "T": {"Type": "Task", "Resource": "arn:x", "End": true,
          "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "Caught"}]},
    "D": {"Type": "Succeed"},
    "Caught": {"Type": "Fail"}}})"));
  INFO(describe(r.errors));
  REQUIRE(r.ok());
  CHECK(r.errors.empty());
}

TEST_CASE("A field of the wrong type names the type it must have", "[asl][parse]") {
  auto d = only_error_of(one_state(R"({"Type": "Wait", "Seconds": "ten", "End": true})"));
  CHECK(d.pointer == "/States/S/Seconds");
  CHECK(d.message == "'Seconds' must be an integer, not a string");
}

TEST_CASE("A string field given a number is reported as such", "[asl][parse]") {
  auto d = only_error_of(one_state(R"({"Type": "Task", "Resource": 42, "End": true})"));
  CHECK(d.pointer == "/States/S/Resource");
  CHECK(d.message == "'Resource' must be a string, not an integer");
}

TEST_CASE("An integer field out of range gives its bounds", "[asl][parse]") {
  auto d = only_error_of(one_state(R"({"Type": "Task", "Resource": "arn:x", "TimeoutSeconds": 0, "End": true})"));
  CHECK(d.pointer == "/States/S/TimeoutSeconds");
  CHECK(d.message == "'TimeoutSeconds' must be between 1 and 99999999, not 0");
}

TEST_CASE("A field that belongs to another state type is not allowed", "[asl][parse]") {
  auto d = only_error_of(one_state(R"({"Type": "Pass", "Seconds": 10, "End": true})"));
  CHECK(d.pointer == "/States/S/Seconds");
  CHECK(d.message == "'Seconds' is not allowed on a Pass state");
}

TEST_CASE("An unknown field on a state is reported by name", "[asl][parse]") {
  auto d = only_error_of(one_state(R"({"Type": "Pass", "Nxet": "S", "End": true})"));
  CHECK(d.pointer == "/States/S/Nxet");
  CHECK(d.message == "unknown field 'Nxet' on a Pass state");
}

TEST_CASE("An unknown field at the top level is reported by name", "[asl][parse]") {
  auto d = only_error_of(R"({"StartAt": "A", "Stats": 1, "States": {"A": {"Type": "Succeed"}}})");
  CHECK(d.pointer == "/Stats");
  CHECK(d.message == "unknown field 'Stats' in a state machine");
}

TEST_CASE("A Choice state without Choices is reported at the state", "[asl][parse]") {
  auto d = only_error_of(R"({"StartAt": "C", "States": {
    "C": {"Type": "Choice", "Default": "D"},
    "D": {"Type": "Succeed"}}})");
  CHECK(d.pointer == "/States/C");
  CHECK(d.message == "a Choice state needs 'Choices': a non-empty array of rules");
}

TEST_CASE("A Choice state with empty Choices is reported at Choices", "[asl][parse]") {
  auto d = only_error_of(R"({"StartAt": "C", "States": {
    "C": {"Type": "Choice", "Choices": [], "Default": "D"},
    "D": {"Type": "Succeed"}}})");
  CHECK(d.pointer == "/States/C/Choices");
  CHECK(d.message == "'Choices' must be a non-empty array of rules");
}

TEST_CASE("A Choice state cannot be terminal with End", "[asl][parse]") {
  auto d = only_error_of(R"({"StartAt": "C", "States": {
    "C": {"Type": "Choice", "End": true,
          "Choices": [{"Variable": "$.x", "BooleanEquals": true, "Next": "D"}]},
    "D": {"Type": "Succeed"}}})");
  CHECK(d.pointer == "/States/C/End");
  CHECK(d.message == "'End' is not allowed on a Choice state");
}

TEST_CASE("Default naming a missing state is reported at Default", "[asl][parse]") {
  auto d = only_error_of(R"({"StartAt": "C", "States": {
    "C": {"Type": "Choice", "Default": "Dd",
          "Choices": [{"Variable": "$.x", "BooleanEquals": true, "Next": "D"}]},
    "D": {"Type": "Succeed"}}})");
  CHECK(d.pointer == "/States/C/Default");
  CHECK(d.message == "Default names the state 'Dd', which is not defined in 'States' (did you mean 'D'?)");
}

TEST_CASE("A Choice rule Next naming a missing state is reported inside the rule", "[asl][parse]") {
  auto d = only_error_of(R"({"StartAt": "C", "States": {
    "C": {"Type": "Choice", "Default": "D",
          "Choices": [{"Variable": "$.x", "BooleanEquals": true, "Next": "Gone"}]},
    "D": {"Type": "Succeed"}}})");
  CHECK(d.pointer == "/States/C/Choices/0/Next");
  CHECK(d.message == "Next names the state 'Gone', which is not defined in 'States'");
}

TEST_CASE("An InputPath that does not parse is reported with the path", "[asl][parse]") {
  auto d = only_error_of(one_state(R"({"Type": "Pass", "InputPath": "$.a[", "End": true})"));
  CHECK(d.pointer == "/States/S/InputPath");
  CHECK_THAT(d.message, StartsWith("'$.a[' is not a valid JSONPath: "));
}

TEST_CASE("An InputPath not starting with $ is refused", "[asl][parse]") {
  auto d = only_error_of(one_state(R"({"Type": "Pass", "InputPath": "a.b", "End": true})"));
  CHECK(d.pointer == "/States/S/InputPath");
  CHECK_THAT(d.message, StartsWith("'a.b' is not a valid JSONPath: "));
}

TEST_CASE("ResultPath must be a reference path", "[asl][parse]") {
  auto d = only_error_of(one_state(R"({"Type": "Pass", "ResultPath": "$.a[*]", "End": true})"));
  CHECK(d.pointer == "/States/S/ResultPath");
  CHECK(d.message ==
        "'ResultPath' must be a reference path (names and single indexes only, no wildcards, slices or filters): "
        "'$.a[*]'");
}

TEST_CASE("ResultPath cannot point into the context object", "[asl][parse]") {
  auto d = only_error_of(one_state(R"({"Type": "Pass", "ResultPath": "$$.Execution", "End": true})"));
  CHECK(d.pointer == "/States/S/ResultPath");
  CHECK(d.message == "'ResultPath' cannot point into the context object ('$$'): '$$.Execution'");
}

TEST_CASE("A .$ field in Parameters whose value is not a string is reported at the field", "[asl][parse]") {
  auto d = only_error_of(one_state(R"({"Type": "Pass", "Parameters": {"x.$": 5}, "End": true})"));
  CHECK(d.pointer == "/States/S/Parameters/x.$");
  CHECK(d.message ==
        "the value of 'x.$' must be a string holding a JSONPath or an intrinsic function call, because the key "
        "ends with '.$'");
}

TEST_CASE("A .$ field in Parameters that is neither a path nor an intrinsic is reported", "[asl][parse]") {
  auto d = only_error_of(one_state(R"({"Type": "Pass", "Parameters": {"in": {"x.$": "x"}}, "End": true})"));
  CHECK(d.pointer == "/States/S/Parameters/in/x.$");
  CHECK_THAT(d.message,
             StartsWith("the value of 'x.$' must be a JSONPath or an intrinsic function call: 'x' is neither ("));
}

TEST_CASE("A Wait state with both Seconds and Timestamp is refused", "[asl][parse]") {
  auto d = only_error_of(
      one_state(R"({"Type": "Wait", "Seconds": 5, "Timestamp": "2024-01-01T00:00:00Z", "End": true})"));
  CHECK(d.pointer == "/States/S");
  CHECK(d.message == "a Wait state takes only one of 'Seconds', 'SecondsPath', 'Timestamp' and 'TimestampPath'");
}

TEST_CASE("A Wait state with SecondsPath and TimestampPath is refused", "[asl][parse]") {
  auto d = only_error_of(one_state(R"({"Type": "Wait", "SecondsPath": "$.s", "TimestampPath": "$.t", "End": true})"));
  CHECK(d.pointer == "/States/S");
  CHECK(d.message == "a Wait state takes only one of 'Seconds', 'SecondsPath', 'Timestamp' and 'TimestampPath'");
}

TEST_CASE("A Wait state with none of its duration fields is refused", "[asl][parse]") {
  auto d = only_error_of(one_state(R"({"Type": "Wait", "End": true})"));
  CHECK(d.pointer == "/States/S");
  CHECK(d.message == "a Wait state needs one of 'Seconds', 'SecondsPath', 'Timestamp' or 'TimestampPath'");
}

TEST_CASE("A Retry entry with States.ALL that is not the last one is refused", "[asl][parse]") {
  auto d = only_error_of(one_state(R"({"Type": "Task", "Resource": "arn:x", "End": true, "Retry": [
      {"ErrorEquals": ["States.ALL"]},
      {"ErrorEquals": ["States.Timeout"]}]})"));
  CHECK(d.pointer == "/States/S/Retry/0/ErrorEquals");
  CHECK(d.message == "the entry with 'States.ALL' must be the last one in 'Retry'");
}

TEST_CASE("States.ALL must be alone in a retrier's ErrorEquals", "[asl][parse]") {
  auto d = only_error_of(one_state(R"({"Type": "Task", "Resource": "arn:x", "End": true, "Retry": [
      {"ErrorEquals": ["States.Timeout", "States.ALL"]}]})"));
  CHECK(d.pointer == "/States/S/Retry/0/ErrorEquals");
  CHECK(d.message == "'States.ALL' must appear alone in 'ErrorEquals'");
}

TEST_CASE("A Catch entry with States.ALL that is not the last one is refused", "[asl][parse]") {
  auto d = only_error_of(R"({"StartAt": "S", "States": {
    "S": {"Type": "Task", "Resource": "arn:x", "End": true, "Catch": [
      {"ErrorEquals": ["States.ALL"], "Next": "F"},
      {"ErrorEquals": ["States.Timeout"], "Next": "F"}]},
    "F": {"Type": "Fail"}}})");
  CHECK(d.pointer == "/States/S/Catch/0/ErrorEquals");
  CHECK(d.message == "the entry with 'States.ALL' must be the last one in 'Catch'");
}

TEST_CASE("QueryLanguage JSONPath is accepted at the top level and on a state", "[asl][parse]") {
  auto r = parse(std::string_view(R"({"QueryLanguage": "JSONPath", "StartAt": "A",
                     "States": {"A": {"Type": "Succeed", "QueryLanguage": "JSONPath"}}})"));
  CHECK(r.ok());
  CHECK(r.errors.empty());
}

TEST_CASE("A QueryLanguage other than JSONPath or JSONata is refused where it is written", "[asl][parse]") {
  auto d = only_error_of(R"({"QueryLanguage": "XPath", "StartAt": "A", "States": {"A": {"Type": "Succeed"}}})");
  CHECK(d.pointer == "/QueryLanguage");
  CHECK(d.message == "'QueryLanguage' must be JSONPath or JSONata, not 'XPath'");
}

TEST_CASE("A distributed Map with ItemsPath compiles as a distributed Map", "[asl][parse]") {
  auto r = stepsim::asl::parse(one_state(R"({"Type": "Map", "End": true, "ItemProcessor": {
      "ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"},
      "StartAt": "I", "States": {"I": {"Type": "Succeed"}}}})"));
  REQUIRE(r.ok());
  CHECK(r.machine->at(0).distributed);
  CHECK(r.machine->at(0).item_processor->at(0).name == "I");
}

TEST_CASE("A Map with an unknown ProcessorConfig Mode is reported at Mode", "[asl][parse]") {
  auto d = only_error_of(one_state(R"({"Type": "Map", "End": true, "ItemProcessor": {
      "ProcessorConfig": {"Mode": "SIDEWAYS"},
      "StartAt": "I", "States": {"I": {"Type": "Succeed"}}}})"));
  CHECK(d.pointer == "/States/S/ItemProcessor/ProcessorConfig/Mode");
  CHECK(d.message == "'Mode' must be INLINE or DISTRIBUTED, not 'SIDEWAYS'");
}

TEST_CASE("An ItemReader on an inline Map is refused: it needs a distributed Map", "[asl][parse]") {
  auto d = only_error_of(one_state(R"({"Type": "Map", "End": true,
      "ItemReader": {"Resource": "arn:aws:states:::s3:getObject"},
      "ItemProcessor": {"StartAt": "I", "States": {"I": {"Type": "Succeed"}}}})"));
  CHECK(d.pointer == "/States/S/ItemReader");
  CHECK(d.message == "'ItemReader' needs a distributed Map: set \"ProcessorConfig\": {\"Mode\": \"DISTRIBUTED\"} in "
                     "the ItemProcessor");
}

TEST_CASE("Errors inside a Parallel branch carry the branch's pointer", "[asl][parse]") {
  auto d = only_error_of(one_state(R"({"Type": "Parallel", "End": true, "Branches": [
      {"StartAt": "B1", "States": {"B1": {"Type": "Succeed"}}},
      {"StartAt": "B2", "States": {"B2": {"Type": "Pass", "Next": "Missing"}}}]})"));
  CHECK(d.pointer == "/States/S/Branches/1/States/B2/Next");
  CHECK(d.message == "Next names the state 'Missing', which is not defined in 'States'");
}

TEST_CASE("A valid definition with every state type compiles into the right states and indexes",
          "[asl][parse]") {
  auto r = parse(std::string_view(R"({
    "Comment": "all types", "TimeoutSeconds": 300, "StartAt": "P",
    "States": {
      "P": {"Type": "Pass", "Result": {"n": 1}, "ResultPath": "$.p", "Next": "T"},
      "T": {"Type": "Task", "Resource": "arn:aws:lambda:us-east-1:1:function:f", "TimeoutSeconds": 30,
            "Retry": [{"ErrorEquals": ["States.Timeout"], "IntervalSeconds": 2, "MaxAttempts": 5, "BackoffRate": 1.5},
                      {"ErrorEquals": ["States.ALL"], "JitterStrategy": "FULL", "MaxDelaySeconds": 10}],
            "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "F", "ResultPath": "$.err"}],
            "Next": "C"},
      "C": {"Type": "Choice",
            "Choices": [{"Variable": "$.p.n", "NumericEquals": 1, "Next": "W"},
                        {"Variable": "$$.Execution.Id", "IsPresent": true, "Next": "Par"}],
            "Default": "F"},
      "W": {"Type": "Wait", "Seconds": 5, "Next": "Par"},
      "Par": {"Type": "Parallel", "Next": "M",
              "Branches": [{"StartAt": "B", "States": {"B": {"Type": "Pass", "End": true}}},
                           {"StartAt": "B0", "States": {"B0": {"Type": "Pass", "Next": "B1"},
                                                        "B1": {"Type": "Succeed"}}}]},
      "M": {"Type": "Map", "ItemsPath": "$.items", "MaxConcurrency": 2, "Next": "Ok",
            "ItemSelector": {"v.$": "$$.Map.Item.Value"},
            "ItemProcessor": {"ProcessorConfig": {"Mode": "INLINE"},
                              "StartAt": "I", "States": {"I": {"Type": "Pass", "End": true}}}},
      "Ok": {"Type": "Succeed"},
      "F": {"Type": "Fail", "Error": "E", "Cause": "c"}
    }})"));
  INFO(describe(r.errors));
  REQUIRE(r.ok());
  auto const& m = *r.machine;

  REQUIRE(m.states().size() == 8);
  CHECK(m.comment() == "all types");
  CHECK(m.timeout_seconds() == std::optional<std::int64_t>(300));
  CHECK(m.start() == 0);
  CHECK(m.find("P") == 0);
  CHECK(m.find("T") == 1);
  CHECK(m.find("C") == 2);
  CHECK(m.find("W") == 3);
  CHECK(m.find("Par") == 4);
  CHECK(m.find("M") == 5);
  CHECK(m.find("Ok") == 6);
  CHECK(m.find("F") == 7);
  CHECK(m.find("Nope") == no_state);

  CHECK(m.at(0).type == state_type::pass);
  CHECK(m.at(1).type == state_type::task);
  CHECK(m.at(2).type == state_type::choice);
  CHECK(m.at(3).type == state_type::wait);
  CHECK(m.at(4).type == state_type::parallel);
  CHECK(m.at(5).type == state_type::map);
  CHECK(m.at(6).type == state_type::succeed);
  CHECK(m.at(7).type == state_type::fail);
  CHECK(std::string(to_string(m.at(4).type)) == "Parallel");

  CHECK(m.at(0).name == "P");
  CHECK(m.at(0).pointer == "/States/P");
  CHECK(m.at(0).next == 1);
  CHECK_FALSE(m.at(0).end);
  REQUIRE(m.at(0).result);
  CHECK(*m.at(0).result == boost::json::value{{"n", 1}});
  REQUIRE(m.at(0).result_path.selected);
  CHECK(m.at(0).result_path.selected->text() == "$.p");
  CHECK(m.at(0).input_path.is_identity());

  auto const& t = m.at(1);
  CHECK(t.next == 2);
  CHECK(t.resource == "arn:aws:lambda:us-east-1:1:function:f");
  CHECK(t.timeout_seconds == std::optional<std::int64_t>(30));
  REQUIRE(t.retry.size() == 2);
  CHECK(t.retry[0].error_equals == std::vector<std::string>{"States.Timeout"});
  CHECK(t.retry[0].interval_seconds == 2.0);
  CHECK(t.retry[0].max_attempts == 5);
  CHECK(t.retry[0].backoff_rate == 1.5);
  CHECK_FALSE(t.retry[0].jitter_full);
  CHECK(t.retry[1].interval_seconds == 1.0);
  CHECK(t.retry[1].max_attempts == 3);
  CHECK(t.retry[1].backoff_rate == 2.0);
  CHECK(t.retry[1].max_delay_seconds == std::optional<std::int64_t>(10));
  CHECK(t.retry[1].jitter_full);
  REQUIRE(t.catch_.size() == 1);
  CHECK(t.catch_[0].next == 7);
  CHECK(t.catch_[0].next_name == "F");

  auto const& c = m.at(2);
  CHECK(c.next == no_state);
  REQUIRE(c.choices.size() == 2);
  CHECK(c.choices[0].next == 3);
  CHECK(c.choices[1].next == 4);
  CHECK(c.default_next == 7);
  CHECK(c.uses_context);

  CHECK(m.at(3).seconds == std::optional<std::int64_t>(5));
  CHECK(m.at(3).next == 4);

  auto const& par = m.at(4);
  CHECK(par.next == 5);
  REQUIRE(par.branches.size() == 2);
  CHECK(par.branches[0]->states().size() == 1);
  CHECK(par.branches[0]->at(0).end);
  CHECK(par.branches[0]->at(0).next == no_state);
  REQUIRE(par.branches[1]->states().size() == 2);
  CHECK(par.branches[1]->start() == 0);
  CHECK(par.branches[1]->at(0).next == 1);
  CHECK(par.branches[1]->find("B1") == 1);
  CHECK(par.branches[1]->at(0).pointer == "/States/Par/Branches/1/States/B0");

  auto const& map = m.at(5);
  CHECK(map.next == 6);
  REQUIRE(map.item_processor);
  CHECK(map.item_processor->states().size() == 1);
  CHECK(map.item_processor->at(0).end);
  CHECK(map.max_concurrency == 2);
  REQUIRE(map.items_path);
  CHECK(map.items_path->text() == "$.items");
  CHECK(map.parameters);
  CHECK(map.uses_context);

  CHECK(m.at(6).next == no_state);
  CHECK(m.at(7).error == std::optional<std::string>("E"));
  CHECK(m.at(7).cause == std::optional<std::string>("c"));
  CHECK(m.at(7).next == no_state);
  CHECK_FALSE(m.at(1).uses_context);
}

TEST_CASE("StartAt need not be the first state listed", "[asl][parse]") {
  auto r = parse(std::string_view(R"({"StartAt": "Second", "States": {
    "First": {"Type": "Succeed"},
    "Second": {"Type": "Pass", "Next": "First"}}})"));
  REQUIRE(r.ok());
  CHECK(r.machine->start() == 1);
  CHECK(r.machine->at(1).next == 0);
  CHECK(r.machine->at(0).next == no_state);
}

TEST_CASE("Every error found is reported, not just the first", "[asl][parse]") {
  auto e = errors_of(R"({"StartAt": "A", "States": {
    "A": {"Type": "Pass", "Seconds": 3, "Next": "B"},
    "B": {"Type": "Wait", "Seconds": "ten", "Next": "C"},
    "C": {"Type": "Task", "End": true, "Resource": "arn:x", "Retry": [{"ErrorEquals": ["States.ALL", "X"]}]}}})");
  INFO(describe(e));
  REQUIRE(e.size() == 3);
  CHECK(e[0] == diagnostic{"/States/A/Seconds", "'Seconds' is not allowed on a Pass state"});
  CHECK(e[1] == diagnostic{"/States/B/Seconds", "'Seconds' must be an integer, not a string"});
  CHECK(e[2] == diagnostic{"/States/C/Retry/0/ErrorEquals", "'States.ALL' must appear alone in 'ErrorEquals'"});
}

TEST_CASE("parse_or_throw lists every diagnostic in what(), one per line", "[asl][parse]") {
  try {
    parse_or_throw(R"({"States": {"A": {"Type": "Pass", "Next": "Bb"}, "B": {"Type": "Succeed"}}})");
    FAIL("parse_or_throw did not throw");
  } catch (definition_error const& e) {
    CHECK(std::string(e.what()) ==
          "/: 'StartAt' is required: the name of the first state\n"
          "/States/A/Next: Next names the state 'Bb', which is not defined in 'States' (did you mean 'B'?)");
    REQUIRE(e.errors().size() == 2);
    CHECK(e.errors()[1].pointer == "/States/A/Next");
  }
}

TEST_CASE("parse_or_throw returns the machine of a valid definition", "[asl][parse]") {
  auto m = parse_or_throw(R"({"StartAt": "A", "States": {"A": {"Type": "Succeed"}}})");
  REQUIRE(m);
  CHECK(m->states().size() == 1);
  CHECK(m->start() == 0);
}

TEST_CASE("A definition nested 2000 levels deep gives a clean error", "[asl][parse]") {
  std::string text = R"({"StartAt": "A", "States": {"A": {"Type": "Pass", "End": true, "Result": )";
  text += std::string(2000, '[') + std::string(2000, ']') + "}}}";
  auto d = only_error_of(text);
  CHECK(d.pointer == "");
  CHECK_THAT(d.message, StartsWith("the definition is not valid JSON: nested deeper than 1000 levels at line 1"));
}

TEST_CASE("A definition of 2000 chained Pass states parses", "[asl][parse]") {
  std::string text = R"({"StartAt": "S0", "States": {)";
  for (int i = 0; i < 2000; ++i) {
    if (i) text += ',';
    text += "\"S" + std::to_string(i) + "\": {\"Type\": \"Pass\", ";
    text += i + 1 < 2000 ? "\"Next\": \"S" + std::to_string(i + 1) + "\"}" : std::string("\"End\": true}");
  }
  text += "}}";
  auto r = parse(text);
  REQUIRE(r.ok());
  auto const& m = *r.machine;
  REQUIRE(m.states().size() == 2000);
  CHECK(m.start() == 0);
  CHECK(m.at(0).next == 1);
  CHECK(m.at(1998).next == 1999);
  CHECK(m.at(1999).end);
  CHECK(m.at(1999).next == no_state);
  CHECK(m.find("S1234") == 1234);
}

TEST_CASE("A catcher without Next gets one diagnostic, not a second about a state named ''", "[asl][parse]") {
  auto d = only_error_of(one_state(R"({"Type": "Task", "Resource": "arn:x", "End": true,
      "Catch": [{"ErrorEquals": ["States.ALL"]}]})"));
  CHECK(d.pointer == "/States/S/Catch/0");
  CHECK(d.message == "a catcher needs 'Next': the state to go to");
}
