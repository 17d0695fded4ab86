// The input shapes of the Step Functions API (service model 2016-11-23): what each operation accepts.
#include "server/request.hpp"

#include <algorithm>

namespace stepsim::server {

namespace {

using mt = member_type;
constexpr bool req = true, opt = false;

member_spec str(std::string_view n, bool r, std::int64_t min, std::int64_t max) { return {n, mt::string, r, min, max}; }
member_spec arn(std::string_view n, bool r = req, std::int64_t max = 256) { return str(n, r, 1, max); }
member_spec integer(std::string_view n, std::int64_t min, std::int64_t max) { return {n, mt::integer, opt, min, max}; }
member_spec boolean(std::string_view n) { return {n, mt::boolean, opt}; }
member_spec structure(std::string_view n, bool r = opt) { return {n, mt::structure, r}; }
member_spec list(std::string_view n, bool r, std::int64_t min = 0, std::int64_t max = -1) {
  return {n, mt::list, r, min, max};
}
member_spec choice(std::string_view n, std::vector<std::string_view> values) {
  return {n, mt::string, opt, 0, -1, std::move(values)};
}

member_spec max_results(std::int64_t max = 1000) { return integer("maxResults", 0, max); }
member_spec next_token(std::int64_t max = 1024) { return str("nextToken", opt, 1, max); }
member_spec included_data() { return choice("includedData", {"ALL_DATA", "METADATA_ONLY"}); }
member_spec type() { return choice("type", {"STANDARD", "EXPRESS"}); }

std::vector<operation_spec> make_specs() {
  auto const sm_arn = arn("stateMachineArn");
  auto const ex_arn = arn("executionArn");
  auto const act_arn = arn("activityArn");
  auto const input = str("input", opt, 0, 262144);
  auto const trace = str("traceHeader", opt, 0, 256);
  auto const description = str("description", opt, 0, 256);
  auto const version_description = str("versionDescription", opt, 0, 256);
  auto const error = str("error", opt, 0, 256);
  auto const cause = str("cause", opt, 0, 32768);
  auto const token = str("taskToken", req, 1, 2048);
  auto const definition = str("definition", req, 1, 1048576);
  auto const routing = list("routingConfiguration", req, 1, 2);
  return {
      {"CreateActivity", {str("name", req, 1, 80), list("tags", opt), structure("encryptionConfiguration")}},
      {"CreateStateMachine",
       {str("name", req, 1, 80), definition, arn("roleArn"), type(), structure("loggingConfiguration"),
        list("tags", opt), structure("tracingConfiguration"), boolean("publish"), version_description,
        structure("encryptionConfiguration")}},
      {"CreateStateMachineAlias", {description, str("name", req, 1, 80), routing}},
      {"DeleteActivity", {act_arn}},
      {"DeleteStateMachine", {sm_arn}},
      {"DeleteStateMachineAlias", {arn("stateMachineAliasArn")}},
      {"DeleteStateMachineVersion", {arn("stateMachineVersionArn", req, 2000)}},
      {"DescribeActivity", {act_arn}},
      {"DescribeExecution", {ex_arn, included_data()}},
      {"DescribeMapRun", {arn("mapRunArn", req, 2000)}},
      {"DescribeStateMachine", {sm_arn, included_data()}},
      {"DescribeStateMachineAlias", {arn("stateMachineAliasArn")}},
      {"DescribeStateMachineForExecution", {ex_arn, included_data()}},
      {"GetActivityTask", {act_arn, str("workerName", opt, 1, 80)}},
      {"GetExecutionHistory",
       {ex_arn, max_results(), boolean("reverseOrder"), next_token(), boolean("includeExecutionData")}},
      {"ListActivities", {max_results(), next_token()}},
      {"ListExecutions",
       {arn("stateMachineArn", opt),
        choice("statusFilter", {"RUNNING", "SUCCEEDED", "FAILED", "TIMED_OUT", "ABORTED", "PENDING_REDRIVE"}),
        max_results(), next_token(3096), arn("mapRunArn", opt, 2000), choice("redriveFilter", {"REDRIVEN", "NOT_REDRIVEN"})}},
      {"ListMapRuns", {ex_arn, max_results(), next_token()}},
      {"ListStateMachineAliases", {sm_arn, next_token(), max_results()}},
      {"ListStateMachineVersions", {sm_arn, next_token(), max_results()}},
      {"ListStateMachines", {max_results(), next_token()}},
      {"ListTagsForResource", {arn("resourceArn")}},
      {"PublishStateMachineVersion", {sm_arn, str("revisionId", opt, 0, -1), description}},
      {"RedriveExecution", {ex_arn, str("clientToken", opt, 1, 64)}},
      {"SendTaskFailure", {token, error, cause}},
      {"SendTaskHeartbeat", {token}},
      {"SendTaskSuccess", {token, str("output", req, 0, 262144)}},
      {"StartExecution", {sm_arn, str("name", opt, 1, 80), input, trace}},
      {"StartSyncExecution", {sm_arn, str("name", opt, 1, 80), input, trace, included_data()}},
      {"StopExecution", {ex_arn, error, cause}},
      {"TagResource", {arn("resourceArn"), list("tags", req)}},
      {"TestState",
       {definition, arn("roleArn", opt), input, choice("inspectionLevel", {"INFO", "DEBUG", "TRACE"}),
        boolean("revealSecrets"), str("variables", opt, 0, 262144), str("stateName", opt, 1, 80), structure("mock"),
        str("context", opt, 0, 262144), structure("stateConfiguration")}},
      {"UntagResource", {arn("resourceArn"), list("tagKeys", req)}},
      {"UpdateMapRun",
       {arn("mapRunArn", req, 2000), integer("maxConcurrency", 0, -1), {"toleratedFailurePercentage", mt::number, opt, 0, 100},
        integer("toleratedFailureCount", 0, -1)}},
      {"UpdateStateMachine",
       {sm_arn, str("definition", opt, 1, 1048576), arn("roleArn", opt), structure("loggingConfiguration"),
        structure("tracingConfiguration"), boolean("publish"), version_description, structure("encryptionConfiguration")}},
      {"UpdateStateMachineAlias", {arn("stateMachineAliasArn"), description, list("routingConfiguration", opt, 1, 2)}},
      {"ValidateStateMachineDefinition",
       {definition, type(), choice("severity", {"ERROR", "WARNING"}), max_results(100)}},
  };
}

}  // namespace

std::vector<operation_spec> const& operation_specs() {
  static std::vector<operation_spec> const specs = make_specs();
  return specs;
}

operation_spec const* find_operation(std::string_view name) {
  auto const& specs = operation_specs();
  auto it = std::find_if(specs.begin(), specs.end(), [&](operation_spec const& o) { return o.name == name; });
  return it == specs.end() ? nullptr : &*it;
}

}  // namespace stepsim::server
