// Map Runs of the distributed Maps of served executions: ListMapRuns, DescribeMapRun, UpdateMapRun.
#include "server/service_impl.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace stepsim::server {

namespace {

json::object counts_json(engine::map_run_counts const& c) {
  return {{"pending", c.pending}, {"running", c.running},   {"succeeded", c.succeeded}, {"failed", c.failed},
          {"timedOut", c.timed_out}, {"aborted", c.aborted}, {"total", c.total},       {"resultsWritten", c.results_written}};
}

api_error no_map_run(std::string_view arn) {
  return api_error("ResourceNotFound", fmt::format("Resource not found: '{}'", arn));
}

}  // namespace

std::shared_ptr<engine::map_run_status const> service::impl::map_run(std::string_view arn) const {
  for (auto const& [key, slot] : slots)
    for (auto& run : slot->eng->map_runs())
      if (run->arn == arn) return run;
  return nullptr;
}

void service::impl::list_map_runs(request const& r, reply_to const& reply) {
  auto const& e = execution(r.required_string("executionArn"));
  std::vector<std::shared_ptr<engine::map_run_status const>> runs;
  for (auto const& [key, slot] : slots)
    for (auto& run : slot->eng->map_runs())
      if (run->execution_arn == e.arn) runs.push_back(std::move(run));
  // Newest first, as ListExecutions.
  std::stable_sort(runs.begin(), runs.end(), [](auto const& a, auto const& b) { return a->start_date > b->start_date; });
  json::array items;
  for (auto const& run : runs) {
    json::object item{{"executionArn", run->execution_arn},
                      {"mapRunArn", run->arn},
                      {"stateMachineArn", run->state_machine_arn},
                      {"startDate", epoch(run->start_date)}};
    if (run->stop_date) item["stopDate"] = epoch(*run->stop_date);
    items.push_back(std::move(item));
  }
  reply.ok(page(r, "mapRuns", std::move(items)));
}

void service::impl::list_map_run_executions(request const& r, std::string const& arn, reply_to const& reply) {
  parse_arn(arn);
  auto run = map_run(arn);
  if (!run) throw no_map_run(arn);
  auto status = r.string("statusFilter");
  json::array items;
  // Newest first, as ListExecutions lists a state machine's.
  for (auto c = run->children.rbegin(); c != run->children.rend(); ++c) {
    if (status && *status != engine::to_string(c->status)) continue;
    auto o = execution_item(c->execution_arn, run->state_machine_arn, c->name, c->status, c->start_date, c->stop_date);
    o["mapRunArn"] = run->arn;
    items.push_back(std::move(o));
  }
  reply.ok(page(r, "executions", std::move(items)));
}

void service::impl::describe_map_run(request const& r, reply_to const& reply) {
  auto arn = r.required_string("mapRunArn");
  parse_arn(arn);
  auto run = map_run(arn);
  if (!run) throw no_map_run(arn);
  json::object out{{"mapRunArn", run->arn},
                   {"executionArn", run->execution_arn},
                   {"status", engine::to_string(run->status)},
                   {"startDate", epoch(run->start_date)},
                   {"maxConcurrency", run->max_concurrency},
                   {"toleratedFailurePercentage", run->tolerated_failure_percentage},
                   {"toleratedFailureCount", run->tolerated_failure_count},
                   {"itemCounts", counts_json(run->items)},
                   {"executionCounts", counts_json(run->executions)},
                   {"redriveCount", run->redrive_count}};
  if (run->stop_date) out["stopDate"] = epoch(*run->stop_date);
  if (run->redrive_date) out["redriveDate"] = epoch(*run->redrive_date);
  reply.ok(out);
}

void service::impl::update_map_run(request const& r, reply_to const& reply) {
  auto arn = r.required_string("mapRunArn");
  parse_arn(arn);
  engine::map_run_update u{r.integer("maxConcurrency"), r.number("toleratedFailurePercentage"),
                           r.integer("toleratedFailureCount")};
  bool found = false;
  for (auto const& [key, slot] : slots) found = slot->eng->update_map_run(arn, u) || found;
  if (!found) throw no_map_run(arn);
  reply.ok({});
}

}  // namespace stepsim::server
