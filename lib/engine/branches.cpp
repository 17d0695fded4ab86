#include "engine/branches.hpp"

#include "engine/child_group.hpp"
#include "engine/error_handling.hpp"
#include "engine/jsonata_flow.hpp"
#include "engine/task_runner.hpp"

#include <stepsim/asl/json_text.hpp>

#include <fmt/format.h>

#include <charconv>
#include <cmath>

namespace stepsim::engine {

namespace {

// AWS runs at most 40 iterations of an inline Map at once, and 10,000 child
// executions of a distributed one, whatever MaxConcurrency says above that.
constexpr std::size_t inline_map_ceiling = 40;
constexpr std::size_t distributed_map_ceiling = 10000;

std::string quoted_value(json::value const& v) {
  return v.is_string() ? std::string(v.get_string()) : asl::to_text(v);
}

}  // namespace

std::int64_t integer_from_path(execution::state& ex, asl::path const& p, json::value const& input, char const* field,
                               json::object const* vars, bool negative_ok) {
  if (p.is_context()) ex.ensure_context();
  auto const* v = p.find_in(input, ex.context, vars);
  if (v) {
    if (auto const* i = v->if_int64(); i && (*i >= 0 || negative_ok)) return *i;
    if (auto const* u = v->if_uint64()) return static_cast<std::int64_t>(std::min<std::uint64_t>(*u, INT64_MAX));
    // A string holding an integer is read as one (AWS accepts "1" from a variable).
    if (auto const* str = v->if_string()) {
      std::int64_t n = 0;
      auto [end, ec] = std::from_chars(str->data(), str->data() + str->size(), n);
      if (ec == std::errc() && end == str->data() + str->size() && n >= 0) return n;
    }
  }
  throw asl::states_error("States.Runtime",
                          fmt::format("The {} field refers to value \"{}\" which is not a valid integer: {}", field,
                                      v ? quoted_value(*v) : "null", p.text()));
}

namespace {

double percentage_from_path(execution::state& ex, asl::path const& p, json::value const& input,
                            json::object const* vars) {
  if (p.is_context()) ex.ensure_context();
  auto const* v = p.find_in(input, ex.context, vars);
  if (!v || !v->is_number())
    throw asl::states_error("States.Runtime",
                            fmt::format("The ToleratedFailurePercentagePath field refers to value \"{}\" which is not "
                                        "a valid float: {}",
                                        v ? quoted_value(*v) : "null", p.text()));
  return v->to_number<double>();
}

}  // namespace

namespace {

bool runs_now(execution::state& ex, asl::state_machine const& m) {
  for (auto const& st : m.states()) {
    switch (st.type) {
      case asl::state_type::pass:
      case asl::state_type::choice:
      case asl::state_type::succeed:
      case asl::state_type::fail: break;
      case asl::state_type::task: {
        if (!st.retry.empty()) return false;  // a retry waits
        if (!attempt_runs_now(ex.core.find_task(ex.eng.tasks(), st.resource), st)) return false;  // and so does a task token
        break;
      }
      case asl::state_type::parallel:
        if (!st.retry.empty()) return false;
        for (auto const& b : st.branches)
          if (!runs_now(ex, *b)) return false;
        break;
      default: return false;
    }
  }
  return true;
}

/// Records ParallelStateFailed / MapStateFailed with the failure's error and cause.
void state_failed(execution::state& ex, char const* type, std::exception_ptr e) {
  if (!ex.recording()) {
    ex.count_event();
    return;
  }
  auto [error, cause] = failure_of(e);
  json::object d;
  if (error) d["error"] = *error;
  if (cause) d["cause"] = *cause;
  ex.emit(type, "", std::move(d));
}

}  // namespace

bool parallel_runs_now(execution::state& ex, asl::state const& s) {
  if (ex.eng.options().transition_overhead) return false;
  for (auto const& b : s.branches)
    if (!runs_now(ex, *b)) return false;
  return true;
}

void begin_branches(branch_set* kept, branch_set* plan, std::size_t n) {
  if (!kept) return;
  if (plan && plan != kept) *kept = std::move(*plan);
  else if (!plan) *kept = branch_set{};
  kept->resize(n);
}

void branch_succeeded(branch_set* kept, std::size_t i, json::value const& output) {
  if (!kept) return;
  auto& k = (*kept)[i];
  k.succeeded = true;
  k.output = output;
  k.resume.reset();
}

json::value run_parallel_now(execution::state& ex, asl::state const& s, json::value const& input,
                             json::object const* vars, branch_set* kept) {
  ex.emit("ParallelStateStarted");
  json::array out;
  out.reserve(s.branches.size());
  std::exception_ptr failure;
  begin_branches(kept, nullptr, s.branches.size());
  for (std::size_t i = 0; i < s.branches.size(); ++i) {
    auto const& b = s.branches[i];
    std::unique_ptr<redrive_point> old;
    machine_cursor c = kept ? branch_cursor(*kept, i, *b, old, [&] { return machine_cursor(*b, input, vars); })
                            : machine_cursor(*b, input, vars);
    std::unique_ptr<handled_state> resume;
    bool ended = false;
    try {
      ended = run_ready_states(ex, c, resume);
    } catch (...) {
      if (!failure) failure = std::current_exception();
      out.emplace_back(nullptr);
      continue;
    }
    if (!ended) throw std::logic_error("a Parallel branch run on one call had to wait");
    branch_succeeded(kept, i, c.data);
    out.push_back(std::move(c.data));
  }
  if (failure) {
    state_failed(ex, "ParallelStateFailed", failure);
    std::rethrow_exception(failure);
  }
  ex.emit("ParallelStateSucceeded");
  return out;
}

boost::asio::awaitable<json::value> run_parallel(execution::state& ex, asl::state const& s, json::value const& input,
                                                std::int64_t, work_scope scope) {
  ex.emit("ParallelStateStarted");
  json::array outputs(s.branches.size(), json::value());  // filled in place, by index
  auto* kept = scope.branches;
  begin_branches(kept, scope.plan, s.branches.size());
  try {
    co_await run_children(ex.eng.scheduler().get_executor(), s.branches.size(), 0,
                          [&](std::size_t i) -> boost::asio::awaitable<void> {
                            if (!kept) {
                              outputs[i] = co_await run_machine(ex, *s.branches[i], input, scope.vars);
                              co_return;
                            }
                            if (succeeded_before(kept, i)) {  // a redrive: this branch is not run again
                              outputs[i] = (*kept)[i].output;
                              co_return;
                            }
                            auto const& b = *s.branches[i];
                            std::unique_ptr<redrive_point> old;
                            auto c = branch_cursor(*kept, i, b, old, [&] { return machine_cursor(b, input, scope.vars); });
                            outputs[i] = co_await run_machine(ex, std::move(c));
                            branch_succeeded(kept, i, outputs[i]);
                          });
  } catch (...) {
    state_failed(ex, "ParallelStateFailed", std::current_exception());
    throw;
  }
  ex.emit("ParallelStateSucceeded");
  co_return outputs;
}

json::value const& map_items(execution::state& ex, asl::state const& s, json::value const& input, work_scope scope,
                             json::value& storage) {
  auto const* jf = s.jsonata.get();
  json::value const* items_value = &input;
  if (jf && jf->items) {
    storage = scope.binding->evaluate(*jf->items);
    items_value = &storage;
    if (!items_value->is_array())
      throw asl::states_error("States.QueryEvaluationError",
                              asl::unexpected_type_cause(*jf->items, "array", *items_value));
  } else if (jf) {
    if (!items_value->is_array())
      throw asl::states_error("States.QueryEvaluationError",
                              fmt::format("Map state input must be an array but was: {}", asl::to_text(*items_value)));
  } else if (s.items_path) {
    auto const& p = *s.items_path;
    if (p.is_context()) ex.ensure_context();
    items_value = p.find_in(input, ex.context, scope.vars);
    if (!items_value)
      throw asl::states_error("States.Runtime",
                              fmt::format("Invalid path '{}' : No results for path: {}", p.text(), p.canonical()));
  }
  if (!items_value->is_array())
    throw asl::states_error("States.Runtime",
                            fmt::format("Item selector '{}' must resolve to a JSON array, not {}",
                                        s.items_path ? s.items_path->text() : std::string("$"),
                                        asl::to_text(*items_value)));
  return *items_value;
}

map_limits map_limits_of(execution::state& ex, asl::state const& s, json::value const& input, work_scope scope) {
  auto const* jf = s.jsonata.get();
  auto const* b = scope.binding;
  map_limits m;
  std::size_t limit = static_cast<std::size_t>(s.max_concurrency);
  if (s.max_concurrency_path)
    limit = static_cast<std::size_t>(
        integer_from_path(ex, *s.max_concurrency_path, input, "MaxConcurrencyPath", scope.vars));
  if (jf && jf->max_concurrency) limit = static_cast<std::size_t>(integer_field(*b, *jf->max_concurrency, 0));
  std::size_t ceiling = s.distributed ? distributed_map_ceiling : inline_map_ceiling;
  m.configured = limit;
  m.ceiling = ceiling;
  if (limit == 0 || limit > ceiling) limit = ceiling;
  m.concurrency = limit;

  m.tolerated_count = s.tolerated_failure_count;
  m.tolerated_percentage = s.tolerated_failure_percentage;
  if (s.tolerated_failure_count_path)
    m.tolerated_count =
        integer_from_path(ex, *s.tolerated_failure_count_path, input, "ToleratedFailureCountPath", scope.vars);
  if (jf && jf->tolerated_failure_count) m.tolerated_count = integer_field(*b, *jf->tolerated_failure_count, 0);
  if (jf && jf->tolerated_failure_percentage) {
    auto v = b->evaluate(*jf->tolerated_failure_percentage);
    if (!v.is_number() || v.to_number<double>() < 0 || v.to_number<double>() > 100)
      throw asl::states_error("States.QueryEvaluationError",
                              asl::unexpected_type_cause(*jf->tolerated_failure_percentage,
                                                         "number between 0 and 100", v));
    m.tolerated_percentage = v.to_number<double>();
  }
  if (s.tolerated_failure_percentage_path) {
    m.tolerated_percentage = percentage_from_path(ex, *s.tolerated_failure_percentage_path, input, scope.vars);
    if (*m.tolerated_percentage < 0 || *m.tolerated_percentage > 100)
      throw asl::states_error("States.Runtime", "ToleratedFailurePercentage must be between 0 and 100.");
  }
  return m;
}

bool map_limits::exceeded(std::size_t failures, std::size_t total) const noexcept {
  bool over_count = tolerated_count && std::int64_t(failures) > *tolerated_count;
  bool over_pct = tolerated_percentage && 100.0 * double(failures) / double(total) > *tolerated_percentage;
  return over_count || over_pct;
}

json::value iteration_input(execution::state& ex, asl::state const& s, json::value const& input, work_scope scope,
                            json::value const& item, std::size_t index) {
  auto const* jf = s.jsonata.get();
  if (jf && jf->item_selector) {
    auto& ctx = ex.ensure_context().as_object();
    ctx["Map"] = json::object{{"Item", json::object{{"Index", index}, {"Value", item}}}};
    states_binding selector(ex, s, scope.vars, scope.binding->input());
    ctx.erase("Map");
    return selector.evaluate(*jf->item_selector);
  }
  if (!s.parameters) return item;
  if (!s.parameters->uses_context()) return s.parameters->evaluate({input, ex.context, &ex.random(), scope.vars});
  auto& ctx = ex.ensure_context().as_object();
  ctx["Map"] = json::object{{"Item", json::object{{"Index", index}, {"Value", item}}}};
  auto v = s.parameters->evaluate({input, ex.context, &ex.random(), scope.vars});
  ctx.erase("Map");
  return v;
}

boost::asio::awaitable<json::value> run_map(execution::state& ex, asl::state const& s, json::value const& input,
                                           std::int64_t entered_id, work_scope scope) {
  if (s.map_run) co_return co_await run_map_run(ex, s, input, entered_id, scope);
  json::value jsonata_items;  // Items evaluated (JSONata)
  auto const& items = map_items(ex, s, input, scope, jsonata_items).get_array();
  auto const limits = map_limits_of(ex, s, input, scope);
  bool tolerant = limits.tolerant();

  json::object started;
  started["length"] = items.size();
  ex.emit("MapStateStarted", "mapStateStartedEventDetails", std::move(started));

  json::array outputs(items.size(), json::value());  // filled in place, by index
  std::size_t failures = 0;
  std::string const map_name = s.name;
  auto* kept = scope.branches;
  begin_branches(kept, scope.plan, items.size());
  try {
    co_await run_children(
        ex.eng.scheduler().get_executor(), items.size(), limits.concurrency,
        [&](std::size_t i) -> boost::asio::awaitable<void> {
          if (succeeded_before(kept, i)) {  // a redrive: this iteration is not run again
            outputs[i] = (*kept)[i].output;
            co_return;
          }
          auto iteration_details = [&] { return json::object{{"name", map_name}, {"index", i}}; };
          ex.emit("MapIterationStarted", "mapIterationStartedEventDetails", iteration_details());
          std::exception_ptr failed;
          try {
            if (kept) {
              auto const& m = *s.item_processor;
              std::unique_ptr<redrive_point> old;
              auto c = branch_cursor(*kept, i, m, old, [&] {
                return machine_cursor(m, iteration_input(ex, s, input, scope, items[i], i), scope.vars);
              });
              outputs[i] = co_await run_machine(ex, std::move(c));
              branch_succeeded(kept, i, outputs[i]);
            } else {
              outputs[i] = co_await run_machine(ex, *s.item_processor,
                                                iteration_input(ex, s, input, scope, items[i], i), scope.vars);
            }
          } catch (boost::system::system_error const&) {
            ex.emit("MapIterationAborted", "mapIterationAbortedEventDetails", iteration_details());
            throw;
          } catch (...) {
            failed = std::current_exception();
          }
          if (!failed) {
            ex.emit("MapIterationSucceeded", "mapIterationSucceededEventDetails", iteration_details());
            co_return;
          }
          ex.emit("MapIterationFailed", "mapIterationFailedEventDetails", iteration_details());
          if (!tolerant) std::rethrow_exception(failed);
          auto [error, cause] = failure_of(failed);
          json::object err;
          err["Error"] = error ? json::value(*error) : json::value();
          err["Cause"] = cause ? json::value(*cause) : json::value();
          outputs[i] = std::move(err);
          if (limits.exceeded(++failures, items.size()))
            throw asl::states_error("States.ExceedToleratedFailureThreshold",
                                    "The specified tolerated failure threshold was exceeded");
        });
  } catch (...) {
    state_failed(ex, "MapStateFailed", std::current_exception());
    throw;
  }
  ex.emit("MapStateSucceeded");
  co_return outputs;
}

}  // namespace stepsim::engine
