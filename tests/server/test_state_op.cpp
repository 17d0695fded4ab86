// The server's TestState operation with the request fields of AWS's 2025 TestState:
// Map and Parallel states with their mock, stateConfiguration, and AWS's error names.
#include "server/api_client.hpp"

#include <catch2/catch.hpp>

#include <boost/json.hpp>

#include <string>

namespace json = boost::json;
using stepsim::server::test::client;

namespace {

char const* const map_state = R"({"Type": "Map", "QueryLanguage": "JSONata", "Items": "{% $states.input.Values %}",
    "ToleratedFailureCount": 1, "End": true,
    "ItemProcessor": {"ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"}, "StartAt": "TestState",
      "States": {"TestState": {"Type": "Pass", "End": true}}}})";

}  // namespace

TEST_CASE("serve: TestState tests a Map state with its mock and stateConfiguration, as AWS's TestState does",
          "[server][test_state]") {
  client c;
  auto r = c.call("TestState", {{"definition", map_state},
                                {"input", R"({"Values": ["first", "second", "third"]})"},
                                {"inspectionLevel", "DEBUG"},
                                {"mock", json::object{{"result", "[0, 0, 1]"}}},
                                {"stateConfiguration", json::object{{"mapIterationFailureCount", 2}}}});
  CHECK(r == json::parse(R"({"error": "States.ExceedToleratedFailureThreshold",
      "cause": "The specified tolerated failure threshold was exceeded",
      "inspectionData": {"input": "{\"Values\":[\"first\",\"second\",\"third\"]}", "maxConcurrency": 0,
                         "toleratedFailureCount": 1},
      "status": "FAILED"})"));
  auto ok = c.call("TestState", {{"definition", map_state},
                                 {"input", R"({"Values": [1, 2, 3]})"},
                                 {"mock", json::object{{"result", "[1, 1, 1]"}}},
                                 {"stateConfiguration", json::object{{"mapIterationFailureCount", 1}}}});
  CHECK(ok == json::parse(R"({"output": "[1,1,1]", "status": "SUCCEEDED"})"));
}

TEST_CASE("serve: TestState answers refused requests with AWS's error names and messages", "[server][test_state]") {
  client c;
  std::string message;
  CHECK(c.error("TestState", {{"definition", map_state}}, &message) == "InvalidDefinition");
  CHECK(message == "TestState API does not support Map or Parallel states. Supported state types include: "
                   "[Task, Wait, Pass, Succeed, Fail, Choice]");
  CHECK(c.error("TestState", {{"definition", R"({"Type": "Pass", "End": true})"},
                              {"mock", json::object{{"result", "{}"}}}},
                &message) == "ValidationException");
  CHECK(message == "State type 'Pass' is not supported when a mock is specified");
  CHECK(c.error("TestState", {{"definition", map_state}, {"mock", json::object{{"result", "[1"}}}}, &message) ==
        "ValidationException");
  CHECK(message == "Mocked result must be valid JSON");
  CHECK(c.error("TestState", {{"definition", map_state},
                              {"mock", json::object{{"result", "[1]"}}},
                              {"stateConfiguration", json::object{{"mapIterationFailureCount", 2}}}},
                &message) == "ValidationException");
  CHECK(message == "Map iteration failure count must be less than or equal to the number of Map iterations");
}
