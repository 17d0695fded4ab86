// test_state on Map and Parallel states, which TestState runs only with a
// mock. Where a case names AWS, its request and response are those AWS's
// TestState gave (as recorded by LocalStack's AWS-validated snapshot
// tests, tests/aws/services/stepfunctions/v2/test_state).
#include <stepsim/testing/test_state.hpp>

#include "testing/test_state_helpers.hpp"

#include <catch2/catch.hpp>

#include <boost/json.hpp>

#include <algorithm>
#include <string>
#include <vector>

namespace json = boost::json;
using stepsim::test::debug;
using stepsim::test::j;
using stepsim::test::keys;
using stepsim::testing::mocked_error;
using stepsim::testing::test_state;
using stepsim::testing::test_state_error;
using stepsim::testing::test_state_options;

namespace {

/// The message and kind of the test_state_error `f` throws.
template <class F>
std::pair<std::string, test_state_error::kind> refusal(F&& f) {
  try {
    f();
  } catch (test_state_error const& e) {
    return {e.what(), e.code()};
  }
  return {"(nothing thrown)", test_state_error::kind::invalid_definition};
}

// AWS's test templates: a JSONata distributed Map over $states.input.Values.
json::value jsonata_map(char const* extra) {
  std::string text = R"({"Type": "Map", "QueryLanguage": "JSONata", "Items": "{% $states.input.Values %}",
      "ItemProcessor": {"ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"}, "StartAt": "TestState",
        "States": {"TestState": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
                                 "Arguments": {"FunctionName": "foo", "Payload": "bar"}, "End": true}}},
      "End": true)";
  return json::parse(text + extra + "}");
}

json::value const two_branches = j(R"({"Type": "Parallel", "End": true, "Branches": [
    {"StartAt": "B1", "States": {"B1": {"Type": "Pass", "End": true}}},
    {"StartAt": "B2", "States": {"B2": {"Type": "Pass", "End": true}}}]})");

}  // namespace

TEST_CASE("test_state Map and Parallel: requests AWS refuses are refused with AWS's messages",
          "[testing][test_state][map]") {
  using kind = test_state_error::kind;
  auto const map = jsonata_map(R"(, "Output": "{% $states %}")");
  auto const input = j(R"({"Values": [1, 1, 1]})");
  auto no_mock = refusal([&] { test_state(map, input); });
  CHECK(no_mock.first == "TestState API does not support Map or Parallel states. Supported state types include: "
                         "[Task, Wait, Pass, Succeed, Fail, Choice]");
  CHECK(no_mock.second == kind::unsupported_state);
  CHECK(refusal([&] { test_state(two_branches, input); }).first == no_mock.first);

  test_state_options o;
  o.mock_result = j(R"({"mock": "the unmockable"})");
  for (auto const& [type, definition] : {std::pair{"Pass", R"({"Type": "Pass", "End": true})"},
                                          std::pair{"Fail", R"({"Type": "Fail"})"},
                                          std::pair{"Succeed", R"({"Type": "Succeed"})"}}) {
    auto r = refusal([&] { test_state(j(definition), input, o); });
    CHECK(r.first == std::string("State type '") + type + "' is not supported when a mock is specified");
    CHECK(r.second == kind::validation);
  }
  CHECK(refusal([&] { test_state(map, input, o); }).first == "Mocked result must be an array.");
  CHECK(refusal([&] { test_state(two_branches, input, o); }).first == "Mocked result must be an array.");
  o.mock_result = j(R"([{"branch1": "result"}])");
  CHECK(refusal([&] { test_state(two_branches, input, o); }).first ==
        "Mocked result must contain the same number of items as number of Parallel branches.");
  auto const with_writer = j(R"({"Type": "Map", "ItemsPath": "$.Values", "End": true, "Label": "TestMap",
      "ItemProcessor": {"ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"}, "StartAt": "TestState",
        "States": {"TestState": {"Type": "Pass", "End": true}}},
      "ResultWriter": {"Resource": "arn:aws:states:::s3:putObject", "Parameters": {"Bucket": "result-bucket", "Prefix": "mapJobs"}}})");
  o.mock_result = j(R"(["object is expected but array is provided instead"])");
  CHECK(refusal([&] { test_state(with_writer, input, o); }).first == "Mocked result must be a JSON object.");

  o.mock_result = j("[1, 1, 1]");
  o.reveal_secrets = true;
  CHECK(refusal([&] { test_state(map, input, o); }).first ==
        "TestState does not support RevealSecrets when a mock is specified.");
  o.reveal_secrets = false;
  o.map_iteration_failure_count = 4;
  CHECK(refusal([&] { test_state(map, input, o); }).first ==
        "Map iteration failure count must be less than or equal to the number of Map iterations");
  test_state_options unmocked;
  unmocked.map_iteration_failure_count = 0;
  CHECK(refusal([&] { test_state(j(R"({"Type": "Pass", "End": true})"), input, unmocked); }).first ==
        "TestState does not support MapIterationFailureCount when a mock is not specified.");

  // stepsim's own checks (AWS's messages for these are not known).
  o.map_iteration_failure_count.reset();
  o.map_item_reader_data = "[1]";
  CHECK(refusal([&] { test_state(map, input, o); }).first ==
        "stateConfiguration.mapItemReaderData: only a Map state with an ItemReader reads items");
  o.map_item_reader_data.reset();
  o.error_caused_by_state = "Elsewhere";
  CHECK(refusal([&] { test_state(map, input, o); }).first ==
        "stateConfiguration.errorCausedByState: 'Elsewhere' is not a state inside the tested Map state");
}

TEST_CASE("test_state Map: a JSONata Map gives the mock to Output as $states.result and shows maxConcurrency, as on AWS",
          "[testing][test_state][map]") {
  auto const map = jsonata_map(R"(, "Output": "{% $states %}")");
  auto const input = j(R"({"Values": ["first", "second", "third"]})");
  auto o = debug();
  o.mock_result = j("[1, 1, 1]");
  o.map_iteration_failure_count = 0;
  auto r = test_state(map, input, o);
  CHECK(r.status == "SUCCEEDED");
  CHECK(r.output->at("result") == j("[1, 1, 1]"));
  CHECK(r.output->at("input") == input);
  CHECK(r.output->at("context").at("State") ==
        j(R"({"Name": "StateName", "EnteredTime": "2024-01-01T00:00:00.000Z", "RetryCount": 0})"));
  CHECK(r.inspection_data == j(R"({"input": {"Values": ["first", "second", "third"]}, "maxConcurrency": 0})"));
  CHECK(r.to_json().at("inspectionData").at("maxConcurrency") == 0);
  // Without ToleratedFailureCount or ToleratedFailurePercentage, failed iterations do not fail it.
  o.mock_result = j("[0, 0, 1]");
  o.map_iteration_failure_count = 2;
  auto failing = test_state(map, input, o);
  CHECK(failing.status == "SUCCEEDED");
  CHECK(failing.output->at("result") == j("[0, 0, 1]"));
  // A mocked error: the Map fails with it.
  o.mock_result.reset();
  o.mock_error = mocked_error{"MockException", "Mock the cause of the error."};
  o.error_caused_by_state = "TestState";
  auto error = test_state(map, j(R"({"Values": [1, 1, 1]})"), o);
  CHECK(error.status == "FAILED");
  CHECK(error.error == "MockException");
  CHECK(error.cause == "Mock the cause of the error.");
  CHECK(error.inspection_data == j(R"({"input": {"Values": [1, 1, 1]}, "maxConcurrency": 0})"));
}

TEST_CASE("test_state Map: more failed iterations than tolerated raise States.ExceedToleratedFailureThreshold, as on AWS",
          "[testing][test_state][map]") {
  auto const input = j(R"({"Values": ["first", "second", "third"]})");
  auto const caught = jsonata_map(R"(, "ToleratedFailureCount": 1, "Catch": [
      {"ErrorEquals": ["MockException"], "Output": "{% $states %}", "Next": "HandleMockError"},
      {"ErrorEquals": ["States.ExceedToleratedFailureThreshold"], "Output": "{% $states %}", "Next": "HandleThreshold"}])");
  auto o = debug();
  o.mock_result = j("[1, 1, 1]");
  o.map_iteration_failure_count = 0;
  auto below = test_state(caught, input, o);
  CHECK(below.status == "SUCCEEDED");
  CHECK(*below.output == j("[1, 1, 1]"));
  CHECK(below.inspection_data ==
        j(R"({"input": {"Values": ["first", "second", "third"]}, "maxConcurrency": 0, "toleratedFailureCount": 1})"));
  o.mock_result = j("[0, 0, 1]");
  o.map_iteration_failure_count = 2;
  auto over = test_state(caught, input, o);
  CHECK(over.status == "CAUGHT_ERROR");
  CHECK(over.error == "States.ExceedToleratedFailureThreshold");
  CHECK(over.cause == "The specified tolerated failure threshold was exceeded");
  CHECK(over.next_state == "HandleThreshold");
  CHECK(over.output->at("errorOutput") ==
        j(R"({"Error": "States.ExceedToleratedFailureThreshold", "Cause": "The specified tolerated failure threshold was exceeded"})"));
  CHECK(over.inspection_data.at("errorDetails") == j(R"({"catchIndex": 1})"));

  auto const retried = jsonata_map(R"(, "ToleratedFailureCount": 1, "Retry": [
      {"ErrorEquals": ["MockException"], "MaxAttempts": 3},
      {"ErrorEquals": ["States.ExceedToleratedFailureThreshold"], "MaxAttempts": 2}])");
  auto again = test_state(retried, input, o);
  CHECK(again.status == "RETRIABLE");
  CHECK(again.inspection_data.at("errorDetails") == j(R"({"retryBackoffIntervalSeconds": 1, "retryIndex": 1})"));

  // A percentage: more than 34 % of 3 iterations is 2 of them.
  auto const by_share = jsonata_map(R"(, "ToleratedFailurePercentage": 34)");
  o.map_iteration_failure_count = 1;
  auto share = test_state(by_share, input, o);
  CHECK(share.status == "SUCCEEDED");
  CHECK(share.inspection_data.at("toleratedFailurePercentage") == 34.0);
  o.map_iteration_failure_count = 2;
  CHECK(test_state(by_share, input, o).error == "States.ExceedToleratedFailureThreshold");
}

TEST_CASE("test_state Map: a JSONPath Map shows afterInputPath, afterItemsPath and its limits, as on AWS",
          "[testing][test_state][map]") {
  auto const machine = j(R"({"StartAt": "State0", "States": {"State0": {"Type": "Map", "ItemsPath": "$.Values",
      "ItemProcessor": {"ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"}, "StartAt": "HandleItem",
        "States": {"HandleItem": {"Type": "Pass", "End": true}}},
      "ToleratedFailureCount": 2, "End": true}}})");
  auto o = debug();
  o.state_name = "State0";
  o.mock_error = mocked_error{"MockException", "Mock the error cause."};
  o.map_iteration_failure_count = 2;
  o.error_caused_by_state = "HandleItem";
  auto r = test_state(machine, j(R"({"Values": ["first", "second", "third"]})"), o);
  CHECK(r.status == "FAILED");
  CHECK(r.error == "MockException");
  CHECK(r.cause == "Mock the error cause.");
  auto const text = r.to_json().at("inspectionData");
  CHECK(text == j(R"({"input": "{\"Values\":[\"first\",\"second\",\"third\"]}",
                      "afterInputPath": "{\"Values\":[\"first\",\"second\",\"third\"]}",
                      "afterItemsPath": "[\"first\",\"second\",\"third\"]",
                      "maxConcurrency": 0, "toleratedFailureCount": 2})"));
  auto not_items = test_state(machine, j(R"({"Values": 3})"), o);
  CHECK(not_items.error == "States.Runtime");
  CHECK(not_items.cause == "Reference path \"$.Values\" must point to array.");
}

TEST_CASE("test_state Map: ItemSelector, ItemBatcher, ResultSelector and ResultPath each show their step",
          "[testing][test_state][map]") {
  auto const map = j(R"x({"Type": "Map", "InputPath": "$.in", "ItemsPath": "$.list", "MaxConcurrency": 2,
      "ItemSelector": {"index.$": "$$.Map.Item.Index", "value.$": "$$.Map.Item.Value", "tag.$": "$.tag"},
      "ItemBatcher": {"MaxItemsPerBatch": 2, "BatchInput": {"tag.$": "$.tag"}},
      "ItemProcessor": {"ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "EXPRESS"}, "StartAt": "P",
        "States": {"P": {"Type": "Pass", "End": true}}},
      "ResultSelector": {"n.$": "States.ArrayLength($)"}, "ResultPath": "$.out", "Next": "After"})x");
  auto o = debug();
  o.mock_result = j(R"([{"a": 1}, {"a": 2}])");
  auto r = test_state(map, j(R"({"in": {"list": ["x", "y", "z"], "tag": "t"}})"), o);
  CHECK(r.status == "SUCCEEDED");
  CHECK(r.next_state == "After");
  auto const& d = r.inspection_data;
  CHECK(keys(d) == std::vector<std::string>{"afterInputPath", "afterItemBatcher", "afterItemSelector", "afterItemsPath",
                                            "afterResultPath", "afterResultSelector", "input", "maxConcurrency"});
  CHECK(d.at("afterItemsPath") == j(R"(["x", "y", "z"])"));
  CHECK(d.at("afterItemSelector") == j(R"([{"index": 0, "value": "x", "tag": "t"}, {"index": 1, "value": "y", "tag": "t"},
                                           {"index": 2, "value": "z", "tag": "t"}])"));
  CHECK(d.at("afterItemBatcher") ==
        j(R"([{"Items": [{"index": 0, "value": "x", "tag": "t"}, {"index": 1, "value": "y", "tag": "t"}], "BatchInput": {"tag": "t"}},
              {"Items": [{"index": 2, "value": "z", "tag": "t"}], "BatchInput": {"tag": "t"}}])"));
  CHECK(d.at("maxConcurrency") == 2);
  CHECK(d.at("afterResultSelector") == j(R"({"n": 2})"));
  CHECK(*r.output == j(R"({"in": {"list": ["x", "y", "z"], "tag": "t"}, "out": {"n": 2}})"));
}

TEST_CASE("test_state Map: an ItemReader reads mapItemReaderData, as on AWS", "[testing][test_state][map]") {
  auto const machine = j(R"({"QueryLanguage": "JSONata", "StartAt": "State0", "States": {"State0": {"Type": "Map",
      "MaxConcurrency": 1,
      "ItemReader": {"ReaderConfig": {"InputType": "JSON"}, "Resource": "arn:aws:states:::s3:getObject",
                     "Arguments": {"Bucket": "{% $states.input.Bucket %}", "Key": "{% $states.input.Key %}"}},
      "ItemProcessor": {"ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"}, "StartAt": "HandleItem",
        "States": {"HandleItem": {"Type": "Pass", "End": true}}},
      "End": true}}})");
  auto o = debug();
  o.state_name = "State0";
  o.map_item_reader_data = "[1, 2, 3]";
  o.mock_result = j("[1, 4, 9]");
  auto const input = j(R"({"Bucket": "test-bucket", "Key": "test-key"})");
  auto r = test_state(machine, input, o);
  CHECK(r.status == "SUCCEEDED");
  CHECK(*r.output == j("[1, 4, 9]"));
  CHECK(r.inspection_data == j(R"({"input": {"Bucket": "test-bucket", "Key": "test-key"}, "maxConcurrency": 1})"));
  // The reader's items are what mapIterationFailureCount's percentage counts.
  o.map_item_reader_data = "{\"not\": \"an array\"}";
  CHECK_THROWS_WITH(test_state(machine, input, o),
                    "stateConfiguration.mapItemReaderData: the JSON must be an array of the items");
  o.map_item_reader_data.reset();
  CHECK_THROWS_WITH(test_state(machine, input, o), "stateConfiguration.mapItemReaderData: a Map state with an "
                                                   "ItemReader needs the data its reader reads");
}

TEST_CASE("test_state Parallel: the mock is the branches' outputs, through ResultSelector and ResultPath, as on AWS",
          "[testing][test_state][parallel]") {
  auto const io = j(R"({"Type": "Parallel", "InputPath": "$.parallelInput", "ResultPath": "$.parallelResult",
      "OutputPath": "$", "End": true, "Branches": [
        {"StartAt": "B1", "States": {"B1": {"Type": "Pass", "End": true}}},
        {"StartAt": "B2", "States": {"B2": {"Type": "Pass", "End": true}}}]})");
  auto o = debug();
  o.mock_result = j(R"([{"branch1": "result"}, {"branch2": "result"}])");
  auto const input = j(R"({"parallelInput": {"data": "input_value"}})");
  auto r = test_state(io, input, o);
  CHECK(r.status == "SUCCEEDED");
  auto const expect = j(R"({"parallelInput": {"data": "input_value"},
                            "parallelResult": [{"branch1": "result"}, {"branch2": "result"}]})");
  CHECK(*r.output == expect);
  CHECK(keys(r.inspection_data) == std::vector<std::string>{"afterResultPath", "afterResultSelector", "input"});
  CHECK(r.inspection_data.at("afterResultSelector") == *o.mock_result);
  CHECK(r.inspection_data.at("afterResultPath") == expect);

  auto const jsonata = j(R"({"Type": "Parallel", "QueryLanguage": "JSONata",
      "Arguments": "{% $states.input.parallelInput %}",
      "Output": {"parallelInput": "{% $states.input.parallelInput %}", "parallelResult": "{% $states.result %}"},
      "End": true, "Branches": [
        {"StartAt": "B1", "States": {"B1": {"Type": "Pass", "End": true}}},
        {"StartAt": "B2", "States": {"B2": {"Type": "Pass", "End": true}}}]})");
  auto ja = test_state(jsonata, input, o);
  CHECK(*ja.output == expect);
  CHECK(ja.inspection_data == j(R"({"input": {"parallelInput": {"data": "input_value"}}})"));

  // A mocked error goes through Catch; errorCausedByState names a branch's state.
  o.mock_result.reset();
  o.mock_error = mocked_error{"Boom", "in B2"};
  o.error_caused_by_state = "B2";
  auto caught = test_state(j(R"({"Type": "Parallel", "Next": "Done", "Branches": [
        {"StartAt": "B1", "States": {"B1": {"Type": "Pass", "End": true}}},
        {"StartAt": "B2", "States": {"B2": {"Type": "Pass", "End": true}}}],
      "Catch": [{"ErrorEquals": ["Boom"], "ResultPath": "$.error", "Next": "Handle"}]})"),
                           j(R"({"k": 1})"), o);
  CHECK(caught.status == "CAUGHT_ERROR");
  CHECK(caught.next_state == "Handle");
  CHECK(*caught.output == j(R"({"k": 1, "error": {"Error": "Boom", "Cause": "in B2"}})"));
}

TEST_CASE("test_state Map: ItemsPath may read the given context object, and names it as AWS does",
          "[testing][test_state][map]") {
  auto const map = [](char const* items_path) {
    return json::value{{"Type", "Map"}, {"ItemsPath", items_path}, {"MaxConcurrency", 1}, {"End", true},
                       {"ItemProcessor", j(R"({"StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}})")}};
  };
  auto o = debug();
  o.mock_result = j(R"(["CHARIZARD", "PIKACHU", "BULBASAUR"])");
  o.context = j(R"({"Execution": {"Input": {"values": ["charizard", "pikachu", "bulbasaur"]}}})").as_object();
  auto const input = j(R"(["fire", "electricity", "grass"])");
  auto bad = test_state(map("$$.Execution.Input"), input, o);
  CHECK(bad.status == "FAILED");
  CHECK(bad.error == "States.Runtime");
  CHECK(bad.cause == "Reference path \"$.Execution.Input\" must point to array.");
  CHECK(keys(bad.inspection_data) == std::vector<std::string>{"afterInputPath", "input"});
  auto good = test_state(map("$$.Execution.Input.values"), input, o);
  CHECK(good.status == "SUCCEEDED");
  CHECK(*good.output == *o.mock_result);
  CHECK(good.inspection_data.at("afterItemsPath") == j(R"(["charizard", "pikachu", "bulbasaur"])"));
  CHECK(keys(good.inspection_data) == std::vector<std::string>{"afterInputPath", "afterItemsPath", "afterResultPath",
                                                               "afterResultSelector", "input", "maxConcurrency"});
}
