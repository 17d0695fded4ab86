#include <stepsim/task_adapters/mock_config.hpp>

#include "examples/golden.hpp"
#include "study/mutations.hpp"

#include <catch2/catch.hpp>

#include <boost/json.hpp>
#include <fmt/format.h>

namespace json = boost::json;
using stepsim::tasks::read_mock_config;

namespace {

std::string const data = std::string(STEPSIM_SOURCE_DIR) + "/tests/testing/data";

/// The single error reading `text` gives, as "pointer: message".
std::string only_error(std::string_view text) {
  auto r = read_mock_config(text);
  if (r.ok()) return "accepted";
  if (r.errors.size() != 1) return fmt::format("{} errors", r.errors.size());
  return (r.errors[0].pointer.empty() ? "/" : r.errors[0].pointer) + ": " + r.errors[0].message;
}

/// A file with one state machine "M", test case "T" mapping "S" to response "R" = `response`.
std::string with_response(std::string_view response) {
  return fmt::format(R"({{"StateMachines": {{"M": {{"TestCases": {{"T": {{"S": "R"}}}}}}}}, "MockedResponses": {{"R": {}}}}})",
                     response);
}

}  // namespace

TEST_CASE("AWS's example MockConfigFile is read with its ranges in order", "[tasks][mock_config]") {
  auto r = read_mock_config(stepsim::test::read_text(data + "/MockConfigFile.json"));
  REQUIRE(r.ok());
  auto const& cfg = *r.config;
  auto const* retry = cfg.find("LambdaSQSIntegration", "RetryPath");
  REQUIRE(retry);
  CHECK(retry->at("LambdaState") == "MockedLambdaRetry");
  CHECK(cfg.find("LambdaSQSIntegration", "HybridPath")->size() == 1);
  CHECK(cfg.find("LambdaSQSIntegration", "NoSuchCase") == nullptr);
  CHECK(cfg.find("Other", "HappyPath") == nullptr);
  auto const& m = cfg.response("MockedLambdaRetry");
  REQUIRE(m.ranges.size() == 3);
  CHECK(m.at(0)->error == "Lambda.ResourceNotReadyException");
  CHECK(m.at(1)->error == "Lambda.TimeoutException");
  CHECK(m.at(2)->cause == "Lambda timed out.");
  REQUIRE_FALSE(m.at(3)->throws());
  CHECK(m.at(3)->result->at("Payload").at("body") == "Hello from Lambda!");
  CHECK(m.at(4) == nullptr);
}

TEST_CASE("Attempt keys may come in any order as long as they run from 0 without gaps", "[tasks][mock_config]") {
  auto r = read_mock_config(with_response(R"({"2-3": {"Return": 2}, "0": {"Return": 0}, "1": {"Return": 1}})"));
  REQUIRE(r.ok());
  auto const& m = r.config->response("R");
  CHECK(*m.at(0)->result == 0);
  CHECK(*m.at(1)->result == 1);
  CHECK(*m.at(3)->result == 2);
  CHECK(m.at(4) == nullptr);
}

TEST_CASE("Malformed mocked responses are refused where the fault is", "[tasks][mock_config]") {
  CHECK(only_error(with_response(R"({"0": {"Return": 1}, "2": {"Return": 2}})")) ==
        "/MockedResponses/R/2: invocations must be numbered consecutively from 0: 1 is missing");
  CHECK(only_error(with_response(R"({"1": {"Return": 1}})")) ==
        "/MockedResponses/R/1: invocations must be numbered consecutively from 0: 0 is missing");
  CHECK(only_error(with_response(R"({"0-2": {"Return": 1}, "2": {"Return": 2}})")) ==
        "/MockedResponses/R/2: invocation 2 is given twice");
  CHECK(only_error(with_response(R"({"0": {"Return": 1, "Throw": {"Error": "E", "Cause": "C"}}})")) ==
        "/MockedResponses/R/0: a mocked invocation has exactly one of 'Return' and 'Throw', not both");
  CHECK(only_error(with_response(R"({"0": {}})")) ==
        "/MockedResponses/R/0: a mocked invocation needs one of 'Return' and 'Throw'");
  CHECK(only_error(with_response(R"({"0": {"Retrun": 1}})")) ==
        "2 errors");  // the misspelt field, and no Return or Throw
  CHECK(only_error(with_response(R"({"0": {"Throw": {"Error": "E"}}})")) ==
        "/MockedResponses/R/0/Throw: 'Throw' needs the field 'Cause' (a string)");
  CHECK(only_error(with_response(R"({"0": {"Throw": {"Error": 5, "Cause": "C"}}})")) ==
        "/MockedResponses/R/0/Throw/Error: 'Error' must be a string, not an integer");
  CHECK(only_error(with_response(R"({"0": {"Throw": {"Error": "E", "Cause": "C", "Extra": 1}}})")) ==
        "/MockedResponses/R/0/Throw/Extra: unknown field 'Extra' in 'Throw' (expected Error or Cause)");
  CHECK(only_error(with_response(R"({"0": {"Throw": "E"}})")) ==
        "/MockedResponses/R/0/Throw: 'Throw' must be an object, not a string");
  CHECK(only_error(with_response(R"({"first": {"Return": 1}})")) ==
        "/MockedResponses/R/first: 'first' is not an invocation number (\"0\", \"1\", ...) or an inclusive range of "
        "them (\"1-2\")");
  CHECK(only_error(with_response(R"({"-1": {"Return": 1}})")).starts_with("/MockedResponses/R/-1: '-1' is not"));
  CHECK(only_error(with_response(R"({"0-99999999999": {"Return": 1}})"))
            .starts_with("/MockedResponses/R/0-99999999999: '0-99999999999' is not"));
  CHECK(only_error(with_response(R"({"3-1": {"Return": 1}})")) ==
        "/MockedResponses/R/3-1: the range '3-1' ends before it starts");
  CHECK(only_error(with_response(R"({})")) ==
        "/MockedResponses/R: a mocked response needs at least the invocation \"0\"");
  CHECK(only_error(with_response(R"([])")) == "/MockedResponses/R: a mocked response must be an object, not an array");
}

TEST_CASE("Malformed test cases and state machines are refused where the fault is", "[tasks][mock_config]") {
  CHECK(only_error(R"({"StateMachines": {"M": {"TestCases": {"T": {"S": "Nope"}}}}, "MockedResponses": {}})") ==
        "/StateMachines/M/TestCases/T/S: 'S' names the mocked response 'Nope', which MockedResponses does not define");
  CHECK(only_error(R"({"StateMachines": {"M": {"TestCases": {"T": {"S": 1}}}}, "MockedResponses": {}})") ==
        "/StateMachines/M/TestCases/T/S: a test case maps a state name to the name of a mocked response (a string), "
        "not an integer");
  CHECK(only_error(R"({"StateMachines": {"M": {"TestCases": {"T": []}}}, "MockedResponses": {}})") ==
        "/StateMachines/M/TestCases/T: a test case must be an object, not an array");
  CHECK(only_error(R"({"StateMachines": {"M": {"Cases": {}}}, "MockedResponses": {}})") == "2 errors");
  CHECK(only_error(R"({"StateMachines": {"M": {}}, "MockedResponses": {}})") ==
        "/StateMachines/M: a state machine's entry needs the field 'TestCases'");
  CHECK(only_error(R"({"StateMachines": {}})") == "/: a mock configuration needs the field 'MockedResponses'");
  CHECK(only_error(R"({"MockedResponses": {}})") == "/: a mock configuration needs the field 'StateMachines'");
  CHECK(only_error(R"({"StateMachines": {}, "MockedResponses": {}, "Version": 1})") ==
        "/Version: unknown field 'Version' in a mock configuration (expected StateMachines or MockedResponses)");
  CHECK(only_error(R"([1])") == "/: a mock configuration must be an object, not an array");
  CHECK(only_error("{\"StateMachines\": ").starts_with("/: not valid JSON: "));
}

TEST_CASE("read_mock_config_or_throw names the source and every fault", "[tasks][mock_config]") {
  try {
    stepsim::tasks::read_mock_config_or_throw(R"({"StateMachines": {"M": {}}, "MockedResponses": []})", "mocks.json");
    FAIL("accepted");
  } catch (stepsim::tasks::mock_config_error const& e) {
    CHECK(std::string(e.what()) ==
          "mocks.json: /MockedResponses: 'MockedResponses' must be an object, not an array\n"
          "mocks.json: /StateMachines/M: a state machine's entry needs the field 'TestCases'");
    CHECK(e.errors().size() == 2);
  }
}

TEST_CASE("Every one-place mutation of AWS's example MockConfigFile is read or refused with located errors",
          "[tasks][mock_config]") {
  auto const root = json::parse(stepsim::test::read_text(data + "/MockConfigFile.json"));
  std::size_t refused = 0, accepted = 0;
  stepsim::test::for_each_mutation(root, [&](json::value const& variant, std::string const& at, std::size_t what) {
    INFO("at " << at << ", mutation " << what);
    stepsim::tasks::mock_config_result r;
    REQUIRE_NOTHROW(r = read_mock_config(variant));
    if (r.ok()) {
      ++accepted;
      return;
    }
    ++refused;
    REQUIRE_FALSE(r.errors.empty());
    bool names_place = false;
    for (auto const& e : r.errors) {
      INFO(e.pointer << ": " << e.message);
      CHECK_FALSE(e.message.empty());
      CHECK((e.pointer.empty() || e.pointer.front() == '/'));
      // The fault is at the mutated place, inside it, or at its parent (a field now missing).
      if (e.pointer.starts_with(at) || at.starts_with(e.pointer)) names_place = true;
      // Or a test case names a response the mutation took away.
      if (e.message.ends_with("which MockedResponses does not define")) names_place = true;
    }
    // A removal may instead break what refers to the removed place (a test
    // case naming a response that is gone).
    if (what < stepsim::test::wrong_values().size()) CHECK(names_place);
  });
  // Return values may be anything, so many mutations there are read.
  CHECK(refused > accepted);
  CHECK(accepted > 0);
}
