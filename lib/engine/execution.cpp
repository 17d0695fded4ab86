#include <stepsim/engine/execution.hpp>

#include <stepsim/asl/json_text.hpp>

namespace stepsim::engine {

namespace json = boost::json;

char const* to_string(execution_status s) noexcept {
  switch (s) {
    case execution_status::running: return "RUNNING";
    case execution_status::succeeded: return "SUCCEEDED";
    case execution_status::failed: return "FAILED";
    case execution_status::timed_out: return "TIMED_OUT";
    case execution_status::aborted: return "ABORTED";
  }
  return "?";
}

char const* to_string(redrive_status s) noexcept {
  switch (s) {
    case redrive_status::redrivable: return "REDRIVABLE";
    case redrive_status::not_redrivable: return "NOT_REDRIVABLE";
    case redrive_status::redrivable_by_map_run: return "REDRIVABLE_BY_MAP_RUN";
  }
  return "?";
}

json::object execution_result::describe() const {
  json::object d;
  d["executionArn"] = execution_arn;
  d["stateMachineArn"] = state_machine_arn;
  d["name"] = name;
  d["status"] = to_string(status);
  d["startDate"] = sim::format_iso8601(start_date);
  if (stop_date) d["stopDate"] = sim::format_iso8601(*stop_date);
  d["input"] = asl::to_text(input);
  d["inputDetails"] = json::object{{"included", true}};
  if (output) {
    d["output"] = asl::to_text(*output);
    d["outputDetails"] = json::object{{"included", true}};
  }
  if (error) d["error"] = *error;
  if (cause) d["cause"] = *cause;
  d["redriveCount"] = redrive_count;
  if (redrive_date) d["redriveDate"] = sim::format_iso8601(*redrive_date);
  d["redriveStatus"] = to_string(redrive);
  if (redrive == redrive_status::not_redrivable && !redrive_status_reason.empty())
    d["redriveStatusReason"] = json::string(redrive_status_reason);
  json::array p;
  for (auto const& s : path) p.emplace_back(s);
  d["path"] = std::move(p);
  return d;
}

}  // namespace stepsim::engine
