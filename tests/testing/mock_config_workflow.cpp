// AWS's MockConfigFile example (LambdaSQSIntegration) run through workflow::use_mock_config.
#include <stepsim/testing/workflow.hpp>

#include <catch2/catch.hpp>

#include <boost/json.hpp>

#include <filesystem>
#include <fstream>

using namespace std::chrono_literals;
namespace json = boost::json;
using stepsim::testing::workflow;

namespace {

std::string const data = std::string(STEPSIM_SOURCE_DIR) + "/tests/testing/data";
std::string const machine = data + "/LambdaSQSIntegration.asl.json";
std::string const mocks = data + "/MockConfigFile.json";

json::value const sqs_result = json::parse(
    R"({"MD5OfMessageBody": "3bcb6e8e-7h85-4375-b0bc-1a59812c6e51", "MessageId": "3bcb6e8e-8b51-4375-b0bc-1a59812c6e51"})");

std::string scratch_file(std::string const& name, std::string const& text) {
  auto path = std::filesystem::temp_directory_path() / ("stepsim-testing-" + name);
  std::ofstream(path, std::ios::binary) << text;
  return path.string();
}

}  // namespace

TEST_CASE("MockConfigFile HappyPath: both states return their mocked responses at once", "[testing][mock_config]") {
  auto wf = workflow::from_file(machine);
  CHECK(wf.state_machine_name() == "LambdaSQSIntegration");
  wf.use_mock_config(mocks, "HappyPath");
  auto r = wf.run({{"hello", "world"}});
  REQUIRE(r.succeeded());
  CHECK(*r.output == sqs_result);
  CHECK(*r.stop_date == r.start_date);
  REQUIRE(wf.calls("LambdaState").size() == 1);
  CHECK(wf.calls("LambdaState")[0].input == json::parse(R"({"Payload": {"hello": "world"}, "FunctionName": "HelloWorldFunction"})"));
  REQUIRE(wf.calls("SQSState").size() == 1);
  CHECK(wf.calls("SQSState")[0].input.at("MessageBody").at("Payload").at("body") == "Hello from Lambda!");
}

TEST_CASE("MockConfigFile RetryPath: three failures then success, after 2 + 4 + 8 s of retries",
          "[testing][mock_config]") {
  auto wf = workflow::from_file(machine);
  wf.use_mock_config(mocks, "RetryPath");
  auto r = wf.run();
  REQUIRE(r.succeeded());
  CHECK(*r.output == sqs_result);
  auto calls = wf.calls("LambdaState");
  REQUIRE(calls.size() == 4);
  auto const t0 = stepsim::testing::default_start;
  CHECK(calls[0].time == t0);
  CHECK(calls[1].time == t0 + 2s);
  CHECK(calls[2].time == t0 + 6s);
  CHECK(calls[3].time == t0 + 14s);
  CHECK(*r.stop_date - r.start_date == 14s);
  // The history shows the mocked errors in order.
  std::vector<std::string> errors;
  for (auto const& e : r.events)
    if (e.type == "TaskFailed") errors.push_back(std::string(e.details.at("error").as_string()));
  CHECK(errors == std::vector<std::string>{"Lambda.ResourceNotReadyException", "Lambda.TimeoutException",
                                           "Lambda.TimeoutException"});
}

TEST_CASE("MockConfigFile HybridPath: states the test case does not name fall back to mocks and handlers",
          "[testing][mock_config]") {
  auto wf = workflow::from_file(machine);
  wf.use_mock_config(mocks, "HybridPath");
  wf.handlers().add("arn:aws:states:::sqs:sendMessage", [](json::value const& in) {
    return json::value{{"sent", in.at("MessageBody").at("StatusCode")}};
  });
  auto r = wf.run();
  REQUIRE(r.succeeded());
  CHECK(*r.output == json::parse(R"({"sent": 200})"));

  auto wf2 = workflow::from_file(machine);
  wf2.use_mock_config(mocks, "HybridPath");
  wf2.mock("SQSState").returns("mocked in code");
  wf2.mock("LambdaState").returns("the test case wins");
  auto r2 = wf2.run();
  REQUIRE(r2.succeeded());
  CHECK(*r2.output == "mocked in code");
  CHECK(wf2.calls("SQSState")[0].input.at("MessageBody").at("StatusCode") == 200);
}

TEST_CASE("An attempt past a mocked response's last key fails the Task", "[testing][mock_config]") {
  auto wf = workflow::from_text(R"({"StartAt": "T", "States": {"T": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
      "Retry": [{"ErrorEquals": ["States.ALL"], "IntervalSeconds": 1, "MaxAttempts": 1}], "End": true}}})");
  wf.set_state_machine_name("M");
  wf.use_mock_config(stepsim::tasks::read_mock_config_or_throw(
                         R"({"StateMachines": {"M": {"TestCases": {"T": {"T": "R"}}}},
                             "MockedResponses": {"R": {"0": {"Throw": {"Error": "E", "Cause": "C"}}}}})",
                         "inline"),
                     "T", "inline");
  auto r = wf.run();
  CHECK(r.status == stepsim::engine::execution_status::failed);
  CHECK(r.error == "States.TaskFailed");
  CHECK(*r.cause == "The mocked response 'R' (inline test case 'T') has no invocation 1 for the state 'T'");
}

TEST_CASE("A mocked .waitForTaskToken Task completes with its mocked response", "[testing][mock_config]") {
  auto wf = workflow::from_text(R"({"StartAt": "Ask", "States": {
      "Ask": {"Type": "Task", "Resource": "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
              "Parameters": {"token.$": "$$.Task.Token"}, "Next": "Deny"},
      "Deny": {"Type": "Task", "Resource": "arn:aws:states:::sqs:sendMessage.waitForTaskToken", "End": true,
               "Parameters": {"token.$": "$$.Task.Token"}}}})");
  wf.set_state_machine_name("M");
  wf.use_mock_config(stepsim::tasks::read_mock_config_or_throw(
                         R"({"StateMachines": {"M": {"TestCases": {"T": {"Ask": "Yes", "Deny": "No"}}}},
                             "MockedResponses": {"Yes": {"0": {"Return": {"approved": true}}},
                                                 "No": {"0": {"Throw": {"Error": "Denied", "Cause": "by the mock"}}}}})",
                         "inline"),
                     "T");
  auto r = wf.run();
  CHECK(r.status == stepsim::engine::execution_status::failed);
  CHECK(r.error == "Denied");
  CHECK(r.cause == "by the mock");
  REQUIRE(wf.calls("Deny").size() == 1);
  CHECK(wf.calls("Deny")[0].input.at("token").as_string().size() > 0);
}

TEST_CASE("use_mock_config refuses a bad file, an unknown state machine, test case or state, naming them",
          "[testing][mock_config]") {
  auto wf = workflow::from_file(machine);
  CHECK_THROWS_WITH(wf.use_mock_config(mocks, "SadPath"),
                    mocks + ": /StateMachines/LambdaSQSIntegration/TestCases: no test case named 'SadPath' for the "
                            "state machine 'LambdaSQSIntegration' (it has 'HappyPath', 'HybridPath', 'RetryPath')");
  CHECK_THROWS_WITH(wf.use_mock_config(data + "/missing.json", "HappyPath"),
                    data + "/missing.json: /: cannot open '" + data + "/missing.json': No such file or directory");
  auto bad = scratch_file("bad-mock.json", R"({"StateMachines": {}, "MockedResponses": {"R": {"0": {"Throw": {"Error": "E"}}}}})");
  CHECK_THROWS_WITH(wf.use_mock_config(bad, "HappyPath"),
                    bad + ": /MockedResponses/R/0/Throw: 'Throw' needs the field 'Cause' (a string)");
  auto other = workflow::from_file(machine);
  other.set_state_machine_name("Renamed");
  CHECK_THROWS_WITH(other.use_mock_config(mocks, "HappyPath"),
                    mocks + ": /StateMachines: no state machine named 'Renamed' (the file has 'LambdaSQSIntegration'); "
                            "set the state machine's name to the one the file uses");
  auto typo = scratch_file("typo-mock.json", R"({"StateMachines": {"LambdaSQSIntegration": {"TestCases": {"T": {"LambdaStat": "R"}}}},
      "MockedResponses": {"R": {"0": {"Return": 1}}}})");
  CHECK_THROWS_WITH(wf.use_mock_config(typo, "T"),
                    typo + ": /StateMachines/LambdaSQSIntegration/TestCases/T/LambdaStat: the state machine "
                           "'LambdaSQSIntegration' has no Task state named 'LambdaStat'");
}
