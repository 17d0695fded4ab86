#include <stepsim/server/service.hpp>

#include "server/api_client.hpp"

#include <catch2/catch.hpp>

using namespace stepsim::server::test;
using stepsim::server::response;

namespace {

constexpr char const* pass_machine = R"({"StartAt": "P", "States": {"P": {"Type": "Pass", "Result": {"ok": true}, "ResultPath": "$.r", "End": true}}})";

}  // namespace

TEST_CASE("serve: an unknown operation is UnknownOperationException in the Coral namespace", "[server]") {
  client c;
  auto r = c.raw("DoesNotExist", "{}");
  CHECK(r.status == 400);
  CHECK(json::parse(r.body) == json::parse(R"({"__type": "com.amazon.coral.service#UnknownOperationException",
                                              "message": "Unknown operation: 'DoesNotExist'"})"));
  auto missing = c.svc->handle_now("", "{}");
  CHECK(missing.status == 400);
  CHECK(json::parse(missing.body).at("__type") == "com.amazon.coral.service#UnknownOperationException");
}

TEST_CASE("serve: an unknown operation's message escapes the target's bytes outside printable ASCII, so it stays JSON",
          "[server]") {
  client c;
  auto r = c.svc->handle_now("AWSStepFunctions.X\xff\x01y", "{}");
  CHECK(r.status == 400);
  CHECK(json::parse(r.body).at("message") == "Unknown operation: 'X\\xff\\x01y'");  // Boost.JSON checks the UTF-8
  auto other = c.svc->handle_now("Nope\xc3", "{}");
  CHECK(json::parse(other.body).at("message") == "Unknown operation: 'Nope\\xc3'");
}

TEST_CASE("serve: a body that is not a JSON object, or a member of the wrong type, is SerializationException", "[server]") {
  client c;
  for (auto const* body : {"{", "[1]", "\"x\"", "{\"maxResults\": \"ten\"}", "{\"maxResults\": 1.5}"}) {
    auto r = c.raw("ListStateMachines", body);
    INFO(body << " -> " << r.body);
    CHECK(r.status == 400);
    CHECK(json::parse(r.body).at("__type") == "com.amazon.coral.service#SerializationException");
  }
  CHECK(c.raw("ListStateMachines", "").status == 200);  // no body: no members
}

TEST_CASE("serve: missing or out-of-range members are ValidationException, worded as AWS words them", "[server]") {
  client c;
  std::string message;
  CHECK(c.error("DescribeStateMachine", {}, &message) == "ValidationException");
  CHECK(message ==
        "1 validation error detected: Value null at 'stateMachineArn' failed to satisfy constraint: Member must not be null");
  CHECK(c.error("ListStateMachines", {{"maxResults", 1001}}, &message) == "ValidationException");
  CHECK(message ==
        "1 validation error detected: Value '1001' at 'maxResults' failed to satisfy constraint: Member must have value "
        "less than or equal to 1000");
  CHECK(c.error("CreateStateMachine", {{"name", "x"}, {"definition", pass_machine}, {"roleArn", "arn:aws:iam::1:role/r"},
                                        {"type", "FAST"}},
                &message) == "ValidationException");
  CHECK(message ==
        "1 validation error detected: Value 'FAST' at 'type' failed to satisfy constraint: Member must satisfy enum value "
        "set: [STANDARD, EXPRESS]");
  auto r = json::parse(c.raw("StartExecution", "{}").body).as_object();
  CHECK(r.at("__type") == "com.amazon.coral.validate#ValidationException");
}

TEST_CASE("serve: errors of the service carry AWS's model namespace and the code botocore reads after '#'", "[server]") {
  client c;
  auto arn = "arn:aws:states:us-east-1:123456789012:stateMachine:Nope";
  auto r = c.raw("DescribeStateMachine", json::serialize(json::object{{"stateMachineArn", arn}}));
  CHECK(r.status == 400);
  CHECK(json::parse(r.body) ==
        json::parse(R"({"__type": "com.amazonaws.swf.service.v2.model#StateMachineDoesNotExist",
                       "message": "State Machine Does Not Exist: 'arn:aws:states:us-east-1:123456789012:stateMachine:Nope'"})"));
  std::string message;
  CHECK(c.error("DescribeStateMachine", {{"stateMachineArn", "not-an-arn"}}, &message) == "InvalidArn");
  CHECK(message == "Invalid Arn: 'Invalid ARN prefix: not-an-arn'");
  CHECK(c.error("DescribeStateMachine", {{"stateMachineArn", "arn:aws:states:us-east-1:123456789012:execution:A:b"}}, &message) ==
        "InvalidArn");
  CHECK(message == "Invalid Arn: 'Resource type not valid in this context: execution'");
}

TEST_CASE("serve: responses are answered on a later turn, never inside async_handle", "[server]") {
  client c;
  bool answered = false;
  c.svc->async_handle("AWSStepFunctions.ListStateMachines", "{}", [&](response r) {
    answered = true;
    CHECK(r.status == 200);
    CHECK(json::parse(r.body) == json::parse(R"({"stateMachines": []})"));
  });
  CHECK_FALSE(answered);
  c.settle();
  CHECK(answered);
}

TEST_CASE("serve: every operation of the model is answered, and only those", "[server]") {
  client c;
  for (auto const& op : model().at("operations").as_object()) {
    auto r = c.raw(std::string(op.key()), "{}");
    INFO(op.key() << " -> " << r.body);
    auto body = json::parse(r.body);
    auto const* type = body.as_object().if_contains("__type");
    CHECK((type == nullptr || type->as_string().find("UnknownOperationException") == json::string::npos));
  }
}

TEST_CASE("serve: ListStateMachines pages with maxResults and nextToken, a foreign token is InvalidToken", "[server]") {
  client c;
  for (auto const* n : {"A", "B", "C"}) c.create(n, pass_machine);
  auto first = c.call("ListStateMachines", {{"maxResults", 2}});
  REQUIRE(first.at("stateMachines").as_array().size() == 2);
  CHECK(first.at("stateMachines").as_array()[0].at("name") == "A");
  CHECK(first.at("stateMachines").as_array()[0].at("type") == "STANDARD");
  CHECK(first.at("stateMachines").as_array()[0].at("creationDate") == 1704067200.0);
  auto second = c.call("ListStateMachines", {{"maxResults", 2}, {"nextToken", first.at("nextToken")}});
  REQUIRE(second.at("stateMachines").as_array().size() == 1);
  CHECK(second.at("stateMachines").as_array()[0].at("name") == "C");
  CHECK_FALSE(second.contains("nextToken"));
  CHECK(c.error("ListStateMachines", {{"nextToken", "garbage"}}) == "InvalidToken");
}
