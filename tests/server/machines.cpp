#include <stepsim/server/service.hpp>

#include "server/api_client.hpp"

#include <catch2/catch.hpp>

using namespace stepsim::server::test;

namespace {

constexpr char const* pass_machine = R"({"StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}})";
constexpr char const* role = "arn:aws:iam::123456789012:role/test";

}  // namespace

TEST_CASE("serve: CreateStateMachine then DescribeStateMachine returns the definition as given", "[server]") {
  client c;
  auto arn = c.create("Hello", pass_machine);
  CHECK(arn == "arn:aws:states:us-east-1:123456789012:stateMachine:Hello");
  auto d = c.call("DescribeStateMachine", {{"stateMachineArn", arn}});
  CHECK(d.at("definition") == pass_machine);
  CHECK(d.at("name") == "Hello");
  CHECK(d.at("status") == "ACTIVE");
  CHECK(d.at("type") == "STANDARD");
  CHECK(d.at("roleArn").as_string() == role);
  CHECK(d.at("creationDate") == 1704067200.0);
}

TEST_CASE("serve: the ARNs take the region and account of the options", "[server]") {
  client c(stepsim::server::service_options{.region = "eu-west-3", .account = "000000000000"});
  CHECK(c.create("M", pass_machine) == "arn:aws:states:eu-west-3:000000000000:stateMachine:M");
}

TEST_CASE("serve: an invalid definition is InvalidDefinition naming each problem and where", "[server]") {
  client c;
  std::string message;
  CHECK(c.error("CreateStateMachine",
                {{"name", "Bad"}, {"definition", R"({"StartAt": "X", "States": {"P": {"Type": "Pass", "End": true}}})"}, {"roleArn", role}},
                &message) == "InvalidDefinition");
  CHECK(message.starts_with("Invalid State Machine Definition: 'SCHEMA_VALIDATION_FAILED: "));
  CHECK(message.find(" at /StartAt") != std::string::npos);
  CHECK(c.error("DescribeStateMachine", {{"stateMachineArn", "arn:aws:states:us-east-1:123456789012:stateMachine:Bad"}}) ==
        "StateMachineDoesNotExist");
}

TEST_CASE("serve: creating a machine again is idempotent when nothing differs, StateMachineAlreadyExists otherwise", "[server]") {
  client c;
  auto arn = c.create("Twice", pass_machine);
  CHECK(c.create("Twice", pass_machine) == arn);
  std::string message;
  CHECK(c.error("CreateStateMachine",
                {{"name", "Twice"}, {"definition", R"({"StartAt": "Q", "States": {"Q": {"Type": "Pass", "End": true}}})"}, {"roleArn", role}},
                &message) == "StateMachineAlreadyExists");
  CHECK(message == "State Machine Already Exists: '" + arn + "'");
}

TEST_CASE("serve: a name with characters AWS refuses is InvalidName", "[server]") {
  client c;
  for (auto const* name : {"has space", "a/b", "x#y", "star*"})
    CHECK(c.error("CreateStateMachine", {{"name", name}, {"definition", pass_machine}, {"roleArn", role}}) == "InvalidName");
}

TEST_CASE("serve: UpdateStateMachine changes the definition and the revision, nothing to change is MissingRequiredParameter",
          "[server]") {
  client c;
  auto arn = c.create("U", pass_machine);
  auto before = c.call("DescribeStateMachine", {{"stateMachineArn", arn}}).at("revisionId");
  auto def2 = R"({"StartAt": "Q", "States": {"Q": {"Type": "Pass", "End": true}}})";
  auto u = c.call("UpdateStateMachine", {{"stateMachineArn", arn}, {"definition", def2}});
  CHECK(u.at("revisionId") != before);
  CHECK(c.call("DescribeStateMachine", {{"stateMachineArn", arn}}).at("definition").as_string() == def2);
  CHECK(c.error("UpdateStateMachine", {{"stateMachineArn", arn}}) == "MissingRequiredParameter");
  CHECK(c.error("UpdateStateMachine", {{"stateMachineArn", arn}, {"definition", "{}"}}) == "InvalidDefinition");
}

TEST_CASE("serve: DeleteStateMachine removes the machine, deleting again succeeds", "[server]") {
  client c;
  auto arn = c.create("D", pass_machine);
  c.call("DeleteStateMachine", {{"stateMachineArn", arn}});
  CHECK(c.error("DescribeStateMachine", {{"stateMachineArn", arn}}) == "StateMachineDoesNotExist");
  c.call("DeleteStateMachine", {{"stateMachineArn", arn}});
  CHECK(c.call("ListStateMachines").at("stateMachines").as_array().empty());
}

TEST_CASE("serve: ValidateStateMachineDefinition reports OK, or FAIL with each diagnostic's location", "[server]") {
  client c;
  auto ok = c.call("ValidateStateMachineDefinition", {{"definition", pass_machine}});
  CHECK(ok == json::parse(R"({"result": "OK", "diagnostics": [], "truncated": false})"));
  auto bad = c.call("ValidateStateMachineDefinition",
                    {{"definition", R"({"StartAt": "X", "States": {"P": {"Type": "Pass", "End": true}}})"}});
  CHECK(bad.at("result") == "FAIL");
  REQUIRE(!bad.at("diagnostics").as_array().empty());
  CHECK(bad.at("diagnostics").as_array()[0].at("severity") == "ERROR");
  CHECK(bad.at("diagnostics").as_array()[0].at("code") == "SCHEMA_VALIDATION_FAILED");
  CHECK(bad.at("diagnostics").as_array()[0].at("location") == "/StartAt");
}

TEST_CASE("serve: versions are published, listed newest first, and refused for deletion while an alias routes to them",
          "[server]") {
  client c;
  auto arn = c.create("V", pass_machine);
  auto v1 = c.call("PublishStateMachineVersion", {{"stateMachineArn", arn}, {"description", "first"}});
  CHECK(v1.at("stateMachineVersionArn").as_string() == arn + ":1");
  // Nothing changed: publishing again gives the same version.
  CHECK(c.call("PublishStateMachineVersion", {{"stateMachineArn", arn}}).at("stateMachineVersionArn").as_string() == arn + ":1");
  c.call("UpdateStateMachine", {{"stateMachineArn", arn}, {"definition", R"({"StartAt": "Q", "States": {"Q": {"Type": "Pass", "End": true}}})"}, {"publish", true}});
  auto list = c.call("ListStateMachineVersions", {{"stateMachineArn", arn}}).at("stateMachineVersions").as_array();
  REQUIRE(list.size() == 2);
  CHECK(list[0].at("stateMachineVersionArn").as_string() == arn + ":2");
  CHECK(c.call("DescribeStateMachine", {{"stateMachineArn", arn + ":1"}}).at("description") == "first");
  CHECK(c.error("PublishStateMachineVersion", {{"stateMachineArn", arn}, {"revisionId", "stale"}}) == "ConflictException");

  auto alias = c.call("CreateStateMachineAlias",
                      {{"name", "live"},
                       {"routingConfiguration", json::array{json::object{{"stateMachineVersionArn", arn + ":1"}, {"weight", 100}}}}});
  CHECK(alias.at("stateMachineAliasArn").as_string() == arn + ":live");
  auto d = c.call("DescribeStateMachineAlias", {{"stateMachineAliasArn", arn + ":live"}});
  CHECK(d.at("routingConfiguration") == json::parse(R"([{"stateMachineVersionArn": ")" + arn + R"(:1", "weight": 100}])"));
  CHECK(c.error("DeleteStateMachineVersion", {{"stateMachineVersionArn", arn + ":1"}}) == "ConflictException");
  c.call("UpdateStateMachineAlias",
         {{"stateMachineAliasArn", arn + ":live"},
          {"routingConfiguration", json::array{json::object{{"stateMachineVersionArn", arn + ":2"}, {"weight", 100}}}}});
  c.call("DeleteStateMachineVersion", {{"stateMachineVersionArn", arn + ":1"}});
  CHECK(c.call("ListStateMachineAliases", {{"stateMachineArn", arn}}).at("stateMachineAliases").as_array().size() == 1);
  CHECK(c.error("CreateStateMachineAlias",
                {{"name", "half"},
                 {"routingConfiguration", json::array{json::object{{"stateMachineVersionArn", arn + ":2"}, {"weight", 50}}}}}) ==
        "ValidationException");
  c.call("DeleteStateMachineAlias", {{"stateMachineAliasArn", arn + ":live"}});
  CHECK(c.error("DescribeStateMachineAlias", {{"stateMachineAliasArn", arn + ":live"}}) == "ResourceNotFound");
}

TEST_CASE("serve: tags are added, replaced, listed and removed, an unknown resource is ResourceNotFound", "[server]") {
  client c;
  auto arn = c.create("T", pass_machine);
  c.call("TagResource", {{"resourceArn", arn}, {"tags", json::parse(R"([{"key": "team", "value": "a"}, {"key": "env", "value": "dev"}])")}});
  c.call("TagResource", {{"resourceArn", arn}, {"tags", json::parse(R"([{"key": "team", "value": "b"}])")}});
  CHECK(c.call("ListTagsForResource", {{"resourceArn", arn}}) ==
        json::parse(R"({"tags": [{"key": "team", "value": "b"}, {"key": "env", "value": "dev"}]})"));
  c.call("UntagResource", {{"resourceArn", arn}, {"tagKeys", json::array{"team"}}});
  CHECK(c.call("ListTagsForResource", {{"resourceArn", arn}}) == json::parse(R"({"tags": [{"key": "env", "value": "dev"}]})"));
  CHECK(c.error("ListTagsForResource", {{"resourceArn", arn + "x"}}) == "ResourceNotFound");
}
