// Executions: start (asynchronous and synchronous), describe, stop, list, redrive; map runs.
#include "server/service_impl.hpp"

#include <stepsim/asl/json_text.hpp>

#include <boost/asio/post.hpp>
#include <fmt/format.h>

#include <algorithm>
#include <cmath>

namespace stepsim::server {

namespace {

/// What an ARN given to StartExecution names.
struct start_target {
  machine_record const* machine = nullptr;
  std::string alias_arn;
  std::string test_case;  ///< after '#': a MockConfigFile test case
};

/// AWS's answer to an operation the state machine's type does not allow (ListExecutions of an
/// EXPRESS machine, StartSyncExecution of a STANDARD one).
api_error type_not_supported() {
  return api_error("StateMachineTypeNotSupported", "This operation is not supported by this type of state machine");
}

}  // namespace

json::object execution_item(std::string_view arn, std::string_view machine_arn, std::string_view name,
                            engine::execution_status status, sim::instant start, std::optional<sim::instant> stop) {
  json::object o{{"executionArn", arn},
                 {"stateMachineArn", machine_arn},
                 {"name", name},
                 {"status", engine::to_string(status)},
                 {"startDate", epoch(start)}};
  if (stop) o["stopDate"] = epoch(*stop);
  return o;
}

execution_record& service::impl::execution(std::string_view arn) {
  auto p = parse_arn(arn);
  // AWS keeps nothing of an EXPRESS execution for these operations: its ARN
  // (...:express:MACHINE:NAME:ID) is refused as a resource type, whether it ran or not. Only
  // the EXPRESS children of a Distributed Map (...:express:MACHINE/LABEL:...) may be named.
  bool map_child = p.kind == "express" && p.rest.substr(0, p.rest.find(':')).find('/') != std::string::npos;
  if (p.kind != "execution" && !map_child)
    throw api_error("InvalidArn", fmt::format("Invalid Arn: 'Resource type not valid in this context: {}'", p.kind));
  auto it = executions.find(arn);
  if (it == executions.end()) throw api_error("ExecutionDoesNotExist", fmt::format("Execution Does Not Exist: '{}'", arn));
  return *it->second;
}

std::shared_ptr<execution_record> service::impl::launch(request const& r, bool sync, bool& already_running) {
  std::string target = r.required_string("stateMachineArn");
  start_target t;
  if (auto hash = target.find('#'); hash != std::string::npos) {
    t.test_case = target.substr(hash + 1);
    target.resize(hash);
  }
  auto p = parse_arn(target);
  if (p.kind != "stateMachine")
    throw api_error("InvalidArn", fmt::format("Invalid Arn: 'Resource type not valid in this context: {}'", p.kind));
  if (auto it = machines.find(target); it != machines.end()) {
    t.machine = it->second.get();
  } else if (auto a = aliases.find(target); a != aliases.end()) {
    // Routed by weight, as AWS routes an alias.
    auto pick = routing_stream.uniform_int(0, 99);
    for (auto const& [version, weight] : a->second.routing) {
      t.machine = machines.at(version).get();
      if (pick < weight) break;
      pick -= weight;
    }
    t.alias_arn = target;
  } else {
    throw api_error("StateMachineDoesNotExist", fmt::format("State Machine Does Not Exist: '{}'", target));
  }
  auto const& m = *t.machine;
  // StartExecution starts either type (an EXPRESS one asynchronously); StartSyncExecution only EXPRESS.
  if (sync && m.type != "EXPRESS")
    throw type_not_supported();
  auto name = r.string("name");
  if (name) check_name(*name);
  auto input_text = r.string("input").value_or("{}");
  std::string why;
  auto input = asl::parse_json(input_text, why);
  if (!input) throw api_error("InvalidExecutionInput", fmt::format("Invalid State Machine Execution Input: '{}'", why));
  std::string const machine_arn = m.version ? m.machine_arn : m.arn;
  if (name && m.type == "STANDARD") {
    auto ex_arn = arn("execution", m.name + ":" + *name);
    if (auto it = executions.find(ex_arn); it != executions.end()) {
      auto const& old = *it->second;
      // A retried StartExecution of a running execution with the same input is the same call.
      if (old.result().status == engine::execution_status::running && asl::to_text(old.result().input) == asl::to_text(*input) &&
          old.machine_arn == machine_arn) {
        already_running = true;
        return it->second;
      }
      throw api_error("ExecutionAlreadyExists", fmt::format("Execution Already Exists: '{}'", ex_arn));
    }
  }
  auto& slot = slot_for(m, t.test_case);
  engine::execution_options eo;
  eo.type = m.type == "EXPRESS" ? engine::execution_type::express : engine::execution_type::standard;
  // Named here rather than by the engine: a name must not come back after a restart with --data.
  eo.name = name ? *name : next_id();
  eo.state_machine_name = m.name;
  eo.role_arn = m.role_arn;
  // AWS records no history of an EXPRESS execution for the API (CloudWatch Logs only): none is
  // kept, so a long EXPRESS loop costs no memory. A STANDARD one keeps its whole history, and what
  // RedriveExecution needs to continue it from where it stopped.
  eo.history = m.type == "EXPRESS" ? engine::history_level::off : engine::history_level::full;
  eo.redrivable = m.type != "EXPRESS";
  auto rec = std::make_shared<execution_record>();
  rec->machine_arn = machine_arn;
  rec->version_arn = m.version ? m.arn : "";
  rec->alias_arn = t.alias_arn;
  rec->trace_header = r.string("traceHeader").value_or("");
  rec->machine = machines.at(m.arn);
  rec->express = m.type == "EXPRESS";
  std::weak_ptr<execution_record> weak = rec;
  rec->run = slot.eng->start(rec->machine->compiled, std::move(*input), eo, [this, weak](engine::execution_result const&) {
    // On the next turn: the engine may end an execution inside `start`, before `run` is set.
    boost::asio::post(sched.get_executor(), [this, weak] {
      if (auto e = weak.lock(); e && e->run) finished(*e);  // a stopped execution has ended already
    });
  });
  rec->arn = rec->run->result().execution_arn;
  // An EXPRESS execution is held only while it runs (finished() lets go of it), never listed or stored.
  executions[rec->arn] = rec;
  if (rec->express) return rec;
  started.push_back(rec);
  if (options.persistence) options.persistence->save_execution(*rec);
  return rec;
}

void service::impl::finished(execution_record& e) {
  auto const& name = e.result().name;
  std::erase_if(token_waits, [&](auto const& w) { return w.second == name; });
  auto held = executions.find(e.arn);
  std::shared_ptr<execution_record> keep = held != executions.end() ? held->second : nullptr;
  if (e.express) {
    if (held != executions.end()) executions.erase(held);
  } else if (options.persistence) {
    options.persistence->save_execution(e);
  }
  auto it = on_end.find(e.arn);
  if (it == on_end.end()) return;
  auto waiting = std::move(it->second);
  on_end.erase(it);
  for (auto& f : waiting) f();
}

engine::redrive_eligibility service::impl::redrivability(execution_record const& e) const {
  if (e.run) return e.run->redrivability();
  // Loaded from --data after a restart: the engine's run, and what a redrive needs, are gone.
  auto const& r = e.result();
  if (r.status == engine::execution_status::succeeded)
    return {engine::redrive_status::not_redrivable, "Execution is SUCCEEDED and cannot be redriven"};
  return {engine::redrive_status::not_redrivable,
          "Execution was loaded from the data directory after a restart: what a redrive needs is kept in memory only"};
}

json::object service::impl::describe(execution_record const& e, bool include_data, json::storage_ptr sp) const {
  auto const& r = e.result();
  json::object o(20, std::move(sp));
  o.emplace("executionArn", e.arn);
  o.emplace("stateMachineArn", e.machine_arn);
  o.emplace("name", r.name);
  o.emplace("status", engine::to_string(r.status));
  o.emplace("startDate", epoch(r.start_date));
  if (r.stop_date) o["stopDate"] = epoch(*r.stop_date);
  if (include_data) o["input"] = asl::to_text(r.input);
  o["inputDetails"] = json::object{{"included", include_data}};
  if (r.output) {
    if (include_data) o["output"] = asl::to_text(*r.output);
    o["outputDetails"] = json::object{{"included", include_data}};
  }
  if (!e.trace_header.empty()) o["traceHeader"] = e.trace_header;
  if (r.error) o["error"] = *r.error;
  if (r.cause) o["cause"] = *r.cause;
  if (!e.version_arn.empty()) o["stateMachineVersionArn"] = e.version_arn;
  if (!e.alias_arn.empty()) o["stateMachineAliasArn"] = e.alias_arn;
  if (!e.express) {
    auto why = redrivability(e);
    o["redriveCount"] = r.redrive_count;
    o["redriveStatus"] = engine::to_string(why.status);
    if (!why.redrivable()) o["redriveStatusReason"] = json::string(why.reason);
    if (r.redrive_date) o["redriveDate"] = epoch(*r.redrive_date);
  }
  return o;
}

void service::impl::start_execution(request const& r, reply_to const& reply) {
  bool again = false;
  auto e = launch(r, false, again);
  reply.ok({{"executionArn", e->arn}, {"startDate", epoch(e->result().start_date)}});
}

void service::impl::start_sync_execution(request const& r, reply_to const& reply) {
  bool again = false;
  auto e = launch(r, true, again);
  bool include = r.string("includedData").value_or("ALL_DATA") == "ALL_DATA";
  std::weak_ptr<execution_record> weak = e;
  on_end[e->arn].push_back([this, weak, reply, include] {
    auto rec = weak.lock();
    if (!rec) return;
    unsigned char buffer[4096];
    json::monotonic_resource memory(buffer, sizeof buffer);
    auto o = describe(*rec, include, &memory);
    for (auto const* key : {"redriveCount", "redriveStatus", "redriveStatusReason", "stateMachineVersionArn", "stateMachineAliasArn"})
      o.erase(key);
    auto const& res = rec->result();
    auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(*res.stop_date - res.start_date).count();
    // Express executions are billed per 100 ms, at least 100 ms, and 64 MB.
    o["billingDetails"] = json::object{{"billedMemoryUsedInMB", 64},
                                       {"billedDurationInMilliseconds", std::max<std::int64_t>(100, (ms + 99) / 100 * 100)}};
    reply.ok(o);
  });
}

void service::impl::describe_execution(request const& r, reply_to const& reply) {
  auto const& e = execution(r.required_string("executionArn"));
  unsigned char buffer[4096];
  json::monotonic_resource memory(buffer, sizeof buffer);
  reply.ok(describe(e, r.string("includedData").value_or("ALL_DATA") == "ALL_DATA", &memory));
}

void service::impl::stop_execution(request const& r, reply_to const& reply) {
  auto& e = execution(r.required_string("executionArn"));
  auto error = r.string("error");
  auto cause = r.string("cause");
  // The engine stops the run at once (ABORTED, ExecutionAborted with the
  // error and cause, its waits cancelled, its .sync children stopped); its
  // on_done then reaches finished() on the next turn. An execution that has
  // ended stays as it is.
  if (e.run) e.run->stop(std::move(error), std::move(cause));
  auto const& now = e.result();
  reply.ok({{"stopDate", epoch(now.stop_date.value_or(now.start_date))}});
}

void service::impl::list_executions(request const& r, reply_to const& reply) {
  auto arn = r.string("stateMachineArn");
  if (auto map_run_arn = r.string("mapRunArn")) {
    list_map_run_executions(r, *map_run_arn, reply);
    return;
  }
  if (!arn) throw api_error("ValidationException", "Must provide a StateMachine ARN or MapRun ARN");
  std::string machine_arn = *arn, version_arn, alias_arn;
  if (aliases.count(*arn)) {
    alias_arn = *arn;
    machine_arn = aliases.at(*arn).machine_arn;
    if (auto m = machines.find(machine_arn); m != machines.end() && m->second->type == "EXPRESS")
      throw type_not_supported();
  } else {
    auto const& m = machine(*arn);
    if (m.version) machine_arn = m.machine_arn, version_arn = m.arn;
    if (m.type == "EXPRESS")
      throw type_not_supported();
  }
  auto status = r.string("statusFilter");
  auto redrive_filter = r.string("redriveFilter");
  if (redrive_filter && *redrive_filter != "REDRIVEN" && *redrive_filter != "NOT_REDRIVEN")
    throw api_error("ValidationException",
                    fmt::format("1 validation error detected: Value '{}' at 'redriveFilter' failed to satisfy "
                                "constraint: Member must satisfy enum value set: [REDRIVEN, NOT_REDRIVEN]",
                                *redrive_filter));
  json::array items;
  for (auto it = started.rbegin(); it != started.rend(); ++it) {
    auto const& e = **it;
    if (e.machine_arn != machine_arn || (!version_arn.empty() && e.version_arn != version_arn) ||
        (!alias_arn.empty() && e.alias_arn != alias_arn))
      continue;
    auto const& res = e.result();
    if (status && *status != engine::to_string(res.status)) continue;
    if (redrive_filter && (*redrive_filter == "REDRIVEN") != (res.redrive_count > 0)) continue;
    auto o = execution_item(e.arn, e.machine_arn, res.name, res.status, res.start_date, res.stop_date);
    if (!e.version_arn.empty()) o["stateMachineVersionArn"] = e.version_arn;
    if (!e.alias_arn.empty()) o["stateMachineAliasArn"] = e.alias_arn;
    o["redriveCount"] = res.redrive_count;
    if (res.redrive_date) o["redriveDate"] = epoch(*res.redrive_date);
    items.push_back(std::move(o));
  }
  reply.ok(page(r, "executions", std::move(items)));
}

void service::impl::describe_machine_for_execution(request const& r, reply_to const& reply) {
  auto const& e = execution(r.required_string("executionArn"));
  auto const& m = *e.machine;
  json::object o{{"stateMachineArn", e.machine_arn},
                 {"name", m.name},
                 {"definition", m.definition},
                 {"roleArn", m.role_arn},
                 {"updateDate", epoch(m.updated)},
                 {"loggingConfiguration", json::object{{"level", "OFF"}, {"includeExecutionData", false}}},
                 {"tracingConfiguration", json::object{{"enabled", false}}}};
  if (!m.revision_id.empty()) o["revisionId"] = m.revision_id;
  reply.ok(o);
}

void service::impl::redrive_execution(request const& r, reply_to const& reply) {
  auto& e = execution(r.required_string("executionArn"));
  auto token = r.string("clientToken");
  // The same clientToken again (one of the last 10 that redrove it) gets the same answer.
  auto& tokens = redrive_tokens[e.arn];
  if (token)
    for (auto const& [t, date] : tokens)
      if (t == *token) return reply.ok({{"redriveDate", epoch(date)}});
  if (e.express)
    throw api_error("ExecutionNotRedrivable", fmt::format("Execution is EXPRESS and cannot be redriven: '{}'", e.arn));
  auto why = e.run ? e.run->redrive() : redrivability(e);
  if (!why.redrivable())
    throw api_error("ExecutionNotRedrivable", fmt::format("{}: '{}'", why.reason, e.arn));
  auto date = *e.result().redrive_date;
  if (token) {
    tokens.emplace_back(*token, date);
    if (tokens.size() > 10) tokens.pop_front();
  }
  if (options.persistence) options.persistence->save_execution(e);
  reply.ok({{"redriveDate", epoch(date)}});
}

}  // namespace stepsim::server
