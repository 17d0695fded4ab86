#include <stepsim/engine/engine.hpp>
#include <stepsim/sim/uuid.hpp>

#include "engine/execution_state.hpp"
#include "engine/error_handling.hpp"

#include <stepsim/asl/json_text.hpp>
#include <stepsim/engine/state_rules.hpp>

#include <boost/asio/bind_cancellation_slot.hpp>
#include <boost/asio/cancellation_signal.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/post.hpp>
#include <fmt/format.h>

#include <utility>

namespace stepsim::engine {

namespace {

// The longest an execution may run: five minutes (Express), one year of 365
// days (Standard); past it the execution times out with States.Timeout.
constexpr sim::duration express_duration = std::chrono::minutes(5);
constexpr sim::duration standard_duration = std::chrono::days(365);
// How long after its end an execution may be redriven.
constexpr sim::duration redrivable_period = std::chrono::days(14);

std::string uuid(sim::random_stream& r) { return sim::random_uuid(r); }

/// "arn:aws:states:REGION:ACCOUNT:KIND:" followed by `parts` joined with ':'.
template <typename... Parts>
std::string states_arn(engine_options const& o, std::string_view kind, Parts const&... parts) {
  constexpr std::string_view prefix = "arn:aws:states:";
  std::string out;
  out.reserve(prefix.size() + o.region.size() + o.account.size() + kind.size() + 3 +
              (std::string_view(parts).size() + ...) + sizeof...(parts));
  out.append(prefix).append(o.region).append(1, ':').append(o.account).append(1, ':').append(kind);
  ((out.append(1, ':').append(parts)), ...);
  return out;
}

}  // namespace

json::value& execution::state::ensure_context() {
  if (!context.is_null()) return context;
  auto const& r = result;
  json::object execution{{"Id", r.execution_arn},
                         {"Input", r.input},
                         {"Name", r.name},
                         {"RoleArn", options.role_arn},
                         {"StartTime", sim::format_iso8601(r.start_date)}};
  // Express executions cannot be redriven, and AWS shows no RedriveCount for them.
  if (options.type == execution_type::standard) execution["RedriveCount"] = 0;
  context = json::object{
      {"Execution", std::move(execution)},
      {"State", json::object{}},
      {"StateMachine", json::object{{"Id", r.state_machine_arn}, {"Name", options.state_machine_name}}}};
  return context;
}

void execution::state::enter_state_context(std::string const& name, sim::instant entered, std::optional<std::int64_t> retries) {
  auto& st = ensure_context().as_object()["State"].emplace_object();
  st["EnteredTime"] = sim::format_iso8601(entered);
  st["Name"] = name;
  if (retries) st["RetryCount"] = *retries;
}

void finish(execution::state& ex, execution_status status, std::optional<json::value> output,
            std::optional<std::string> error, std::optional<std::string> cause) {
  if (ex.done) return;  // stopped while its states were still unwinding
  auto& r = ex.result;
  r.status = status;
  r.stop_date = ex.now();
  if (output) r.output = std::move(*output);
  r.error = std::move(error);
  r.cause = std::move(cause);
  if (ex.options.history != history_level::off) {
    json::object d(2);
    if (status == execution_status::succeeded) {
      if (ex.full_history()) {
        d.emplace("output", asl::to_text(*r.output));
        d.emplace("outputDetails", json::object{{"truncated", false}});
      }
      ex.emit("ExecutionSucceeded", "executionSucceededEventDetails", std::move(d));
    } else {
      if (r.error) d["error"] = *r.error;
      if (r.cause) d["cause"] = *r.cause;
      char const* type = status == execution_status::failed      ? "ExecutionFailed"
                         : status == execution_status::timed_out ? "ExecutionTimedOut"
                                                                 : "ExecutionAborted";
      char const* key = status == execution_status::failed      ? "executionFailedEventDetails"
                        : status == execution_status::timed_out ? "executionTimedOutEventDetails"
                                                                : "executionAbortedEventDetails";
      ex.emit(type, key, std::move(d));
    }
  } else {
    r.event_count = ++ex.last_event_id;  // the closing event, numbered as at every level
  }
  ex.done = true;
  ex.cancel_run = nullptr;
  auto e = redrive_eligibility_of(ex);
  r.redrive = e.status;
  r.redrive_status_reason = e.reason;
  if (ex.on_done) ex.on_done(r);
}

redrive_eligibility redrive_eligibility_of(execution::state const& ex) {
  auto const& r = ex.result;
  auto no = [](std::string_view reason) { return redrive_eligibility{redrive_status::not_redrivable, reason}; };
  if (ex.options.type == execution_type::express) return no("Execution is EXPRESS and cannot be redriven");
  if (r.status == execution_status::running) return no("Execution is RUNNING and cannot be redriven");
  if (r.status == execution_status::succeeded) return no("Execution is SUCCEEDED and cannot be redriven");
  if (!ex.options.redrivable)
    return no("Execution was run without execution_options::redrivable: nothing was kept to redrive it from");
  // Room for ExecutionRedriven and at least one more event.
  if (ex.last_event_id >= max_history_events - 1) return no("Execution history event limit exceeded");
  auto const now = ex.now();
  if (now - r.start_date > standard_duration) return no("Execution has exceeded the max execution time");
  if (r.stop_date && now - *r.stop_date > redrivable_period) return no("Execution redrivable period exceeded");
  return {redrive_status::redrivable, {}};
}

bool stop_execution(execution::state& ex, std::optional<std::string> error, std::optional<std::string> cause) {
  if (ex.done) return false;
  // The ExecutionAborted event and the result come first, on this call; the
  // coroutine then unwinds on the scheduler's next turns, recording nothing.
  auto cancel = std::move(ex.cancel_run);
  finish(ex, execution_status::aborted, std::nullopt, std::move(error), std::move(cause));
  if (cancel) {
    ex.unwinding = true;
    cancel();
  }
  return true;
}

bool finish_failed(execution::state& ex, std::exception_ptr e) {
  try {
    std::rethrow_exception(e);
  } catch (asl::states_error const& e) {
    finish(ex, execution_status::failed, std::nullopt, e.error(), e.cause());
  } catch (state_failure const& f) {
    finish(ex, execution_status::failed, std::nullopt, f.error, f.cause);
  } catch (history_limit_reached const&) {
    finish(ex, execution_status::failed, std::nullopt, "States.Runtime",
           fmt::format("The execution reached the maximum number of history events ({}).", max_history_events));
  } catch (aborted const& a) {
    finish(ex, execution_status::aborted, std::nullopt, a.error, a.cause);
  } catch (...) {
    return false;
  }
  return true;
}

namespace {

/// How long an execution may run, and whether running out is a timeout
/// (States.Timeout) or this run's time budget (ABORTED).
struct time_limit {
  sim::duration limit{};
  bool timeout = true;
  // The limit runs beside the execution's coroutine: a sleep that, ending
  // first, marks the execution expired (so its states know why they stop)
  // and cancels the coroutine; the coroutine, ending first, cancels the
  // sleep, so the clock never moves on to it. Cheaper than racing two
  // coroutines, which every Standard execution would pay for its one year.
  boost::asio::cancellation_signal stop_run, stop_sleep;
};

/// Starts the sleep of `t`, unless the execution has ended.
void arm(std::shared_ptr<execution::state> const& self, std::shared_ptr<time_limit> const& t) {
  if (self->done) return;
  self->eng.scheduler().async_sleep(
      t->limit, boost::asio::bind_cancellation_slot(t->stop_sleep.slot(), [self, t](boost::system::error_code ec) {
        if (ec || self->done) return;
        self->expired = true;
        t->stop_run.emit(boost::asio::cancellation_type::terminal);
      }));
}

std::shared_ptr<time_limit> time_limit_of(execution::state const& ex) {
  auto t = std::make_shared<time_limit>();
  t->limit = ex.options.type == execution_type::express ? express_duration : standard_duration;
  if (auto seconds = ex.machine->timeout_seconds(); seconds && std::chrono::seconds(*seconds) < t->limit)
    t->limit = std::chrono::seconds(*seconds);
  if (ex.options.time_budget && *ex.options.time_budget < t->limit) t->limit = *ex.options.time_budget, t->timeout = false;
  return t;
}

void finish_expired(execution::state& ex, time_limit const& t) {
  if (t.timeout) finish(ex, execution_status::timed_out, std::nullopt, "States.Timeout", std::nullopt);
  else
    finish(ex, execution_status::aborted, std::nullopt, "stepsim.TimeBudgetExceeded",
           fmt::format("The execution was still running after the time budget of this run ({} s of "
                       "scheduler time)",
                       std::chrono::duration<double>(t.limit).count()));
}

/// The rest of an execution once a state must wait: a coroutine, cancelled
/// when its time limit (started with it) runs out.
boost::asio::awaitable<void> continue_execution(std::shared_ptr<execution::state> self, machine_cursor c,
                                                std::unique_ptr<handled_state> resume, std::shared_ptr<time_limit> t) {
  auto& ex = *self;
  // Started once the machine waits for the first time: at the limit's instant,
  // what the execution started waiting for before then (a Wait of one year)
  // comes first, and what it starts after comes second.
  boost::asio::post(ex.eng.scheduler().get_executor(), [self, t] { arm(self, t); });
  try {
    json::value output = co_await run_machine(ex, std::move(c), std::move(resume));
    t->stop_sleep.emit(boost::asio::cancellation_type::terminal);
    if (std::exchange(ex.unwinding, false) || ex.done) co_return;  // stopped
    if (ex.expired) finish_expired(ex, *t);
    else finish(ex, execution_status::succeeded, std::move(output), std::nullopt, std::nullopt);
  } catch (...) {
    t->stop_sleep.emit(boost::asio::cancellation_type::terminal);
    // Stopped: what unwound it is no failure of its own.
    if (std::exchange(ex.unwinding, false) || ex.done) co_return;
    if (ex.expired) finish_expired(ex, *t);
    else if (!finish_failed(ex, std::current_exception())) throw;
  }
}

/// Runs an execution's states on this call until one must wait; only then
/// is a coroutine made, to go on from that state. A run that never waits
/// takes no scheduler time, so the execution's timeout cannot fire in it.
void run_from(std::shared_ptr<execution::state> const& self, machine_cursor c) {
  auto& ex = *self;
  try {
    std::unique_ptr<handled_state> resume;
    if (run_ready_states(ex, c, resume)) {
      finish(ex, execution_status::succeeded, std::move(c.data), std::nullopt, std::nullopt);
      return;
    }
    if (ex.done) return;  // stopped by one of its own handlers
    auto t = time_limit_of(ex);
    ex.cancel_run = [t] { t->stop_run.emit(boost::asio::cancellation_type::terminal); };
    auto& sched = ex.eng.scheduler();
    boost::asio::co_spawn(sched.context(), continue_execution(self, std::move(c), std::move(resume), t),
                          // The handler holds the signals until the coroutine has let go of their slot.
                          boost::asio::bind_cancellation_slot(t->stop_run.slot(), [t](std::exception_ptr e) {
                            if (e) std::rethrow_exception(e);
                          }));
  } catch (...) {
    if (!finish_failed(ex, std::current_exception())) throw;
  }
}

/// The cursor of a run, recording where it stops for a redrive when the execution keeps it.
machine_cursor kept_cursor(execution::state& ex, machine_cursor c) {
  if (ex.options.redrivable && ex.options.type == execution_type::standard) {
    ex.resume_point = std::make_unique<redrive_point>();
    c.failed_at = ex.resume_point.get();
  }
  return c;
}

void run_execution(std::shared_ptr<execution::state> const& self) {
  auto& ex = *self;
  if (ex.done) return;  // stopped before it ran
  if (data_flow::exceeds_payload_limit(ex.result.input)) {
    finish(ex, execution_status::failed, std::nullopt, "States.DataLimitExceeded",
           "The input of the execution exceeds the maximum number of bytes service limit (262144 bytes).");
    return;
  }
  run_from(self, kept_cursor(ex, machine_cursor(*ex.machine, ex.result.input, true)));
}

/// A redriven execution's run, once a stopped run has unwound: from where
/// the last run stopped (from the start when it never entered a state).
void run_redriven(std::shared_ptr<execution::state> const& self) {
  auto& ex = *self;
  if (ex.unwinding) {
    boost::asio::post(ex.eng.scheduler().get_executor(), [self] { run_redriven(self); });
    return;
  }
  if (ex.done) return;  // stopped again before it ran: the old point stays for the next redrive
  ex.redriven_from = std::move(ex.resume_point);
  auto c = ex.redriven_from ? resume_cursor(*ex.machine, *ex.redriven_from, true)
                            : machine_cursor(*ex.machine, ex.result.input, true);
  run_from(self, kept_cursor(ex, std::move(c)));
}

redrive_eligibility redrive_execution(std::shared_ptr<execution::state> const& self) {
  auto& ex = *self;
  auto e = redrive_eligibility_of(ex);
  if (!e.redrivable()) return e;
  auto& r = ex.result;
  ++r.redrive_count;
  r.redrive_date = ex.now();
  r.status = execution_status::running;
  r.stop_date.reset();
  r.output.reset();
  r.error.reset();
  r.cause.reset();
  r.redrive = redrive_status::not_redrivable;
  r.redrive_status_reason = "Execution is RUNNING and cannot be redriven";
  ex.done = false;
  ex.expired = false;
  if (!ex.context.is_null()) ex.context.as_object()["Execution"].as_object()["RedriveCount"] = r.redrive_count;
  bool const unwinding = std::exchange(ex.unwinding, false);  // the event belongs to the new run
  ex.emit("ExecutionRedriven", "executionRedrivenEventDetails", json::object{{"redriveCount", r.redrive_count}});
  ex.unwinding = unwinding;
  // Like engine::start: on the scheduler's next turn when called from outside it.
  boost::asio::dispatch(ex.eng.scheduler().context().get_executor(), [self] { run_redriven(self); });
  return e;
}

}  // namespace

void open_execution(execution::state& st, json::value input, sim::random_stream& names) {
  auto& r = st.result;
  auto const& o = st.options;
  auto const& eo = st.eng.options();
  // The name lives in the result; options.name keeps what the caller gave.
  r.name = o.name.empty() ? uuid(names) : o.name;
  r.path.reserve(8);
  r.state_machine_arn = states_arn(eo, "stateMachine", o.state_machine_name);
  r.execution_arn = o.type == execution_type::express
                        ? states_arn(eo, "express", o.state_machine_name, r.name, uuid(names))
                        : states_arn(eo, "execution", o.state_machine_name, r.name);
  r.input = std::move(input);
  r.start_date = st.now();
  r.redrive_status_reason = "Execution is RUNNING and cannot be redriven";
  if (st.recording()) {
    json::object d(3);
    if (st.full_history()) {
      d.emplace("input", asl::to_text(r.input));
      d.emplace("inputDetails", json::object{{"truncated", false}});
    }
    d.emplace("roleArn", o.role_arn);
    st.emit("ExecutionStarted", "executionStartedEventDetails", std::move(d), 0);
  } else {
    st.result.event_count = ++st.last_event_id;
  }
}

std::string new_uuid(sim::random_stream& r) { return uuid(r); }

std::string arn_of(engine_options const& o, std::string_view kind, std::string_view name) {
  return states_arn(o, kind, name);
}

std::int64_t execution::state::emit(std::string_view type, std::string_view details_key, json::object details,
                                    std::optional<std::int64_t> previous) {
  if (done || unwinding) return last_event_id;  // a stopped execution's states unwinding: no event after the last
  if (history_full(type)) throw history_limit_reached{};
  auto id = ++last_event_id;
  result.event_count = id;
  if (options.history == history_level::off) return id;
  history_event e;
  e.id = id;
  e.previous_event_id = previous.value_or(id - 1);
  e.timestamp = now();
  e.type = type;
  e.details_key = details_key;
  e.details = std::move(details);
  result.events.push_back(std::move(e));
  return id;
}

std::int64_t execution::state::count_event() {
  if (done || unwinding) return last_event_id;
  if (history_full({})) throw history_limit_reached{};
  return result.event_count = ++last_event_id;
}

bool execution::state::history_full(std::string_view next_type) const noexcept {
  // As AWS: event 25,000 of a Standard execution is ExecutionSucceeded or
  // ExecutionFailed (or another end of the execution); anything else fails it.
  return options.type == execution_type::standard && last_event_id + 1 >= max_history_events &&
         !next_type.starts_with("Execution");
}

engine::engine(sim::scheduler& sched, tasks::registry const& tasks, engine_options options)
    : sched_(sched),
      tasks_(tasks),
      options_(std::move(options)),
      internals_(std::make_unique<internals>(options_.seed)) {}

engine::~engine() = default;

std::shared_ptr<execution> engine::start(std::shared_ptr<asl::state_machine const> machine, json::value input,
                                         execution_options options,
                                         std::function<void(execution_result const&)> on_done) {
  auto st = launch(std::move(machine), std::move(input), std::move(options), std::move(on_done));
  auto* handle = &st->handle;
  return std::shared_ptr<execution>(std::move(st), handle);
}

std::shared_ptr<execution::state> engine::launch(std::shared_ptr<asl::state_machine const> machine,
                                                 json::value input, execution_options options,
                                                 std::function<void(execution_result const&)> on_done) {
  auto st = std::make_shared<execution::state>(*this, *internals_, std::move(machine), std::move(options));
  st->self = st;
  st->on_done = std::move(on_done);
  open_execution(*st, std::move(input), internals_->names);
  if (options_.on_execution_started) options_.on_execution_started(*st->machine, st->result.name);
  // Like the coroutine it replaces (co_spawn): runs here when called from a
  // handler the scheduler's io_context runs, otherwise (from outside, or from
  // a sim::timer_task such as a Lambda invocation's end) on its next turn.
  boost::asio::dispatch(sched_.context().get_executor(), [st] { run_execution(st); });
  return st;
}

execution_result engine::run(std::shared_ptr<asl::state_machine const> machine, json::value input,
                             execution_options options) {
  auto st = launch(std::move(machine), std::move(input), std::move(options), {});
  sched_.run();
  return std::move(st->result);  // nothing else holds the execution
}

bool engine::send_task_success(std::string_view token, json::value output) {
  return internals_->tokens.send_success(token, std::move(output));
}

bool engine::send_task_failure(std::string_view token, std::string error, std::string cause) {
  return internals_->tokens.send_failure(token, std::move(error), std::move(cause));
}

bool engine::send_task_heartbeat(std::string_view token) { return internals_->tokens.send_heartbeat(token); }

std::vector<std::shared_ptr<map_run_status const>> engine::map_runs() const {
  std::vector<std::shared_ptr<map_run_status const>> out;
  for (auto const& e : internals_->map_runs) out.emplace_back(e, &e->status);
  return out;
}

bool engine::update_map_run(std::string_view arn, map_run_update const& update) {
  for (auto const& e : internals_->map_runs) {
    if (e->status.arn != arn) continue;
    auto& st = e->status;
    if (update.max_concurrency) st.max_concurrency = *update.max_concurrency;
    if (update.tolerated_failure_percentage) st.tolerated_failure_percentage = *update.tolerated_failure_percentage;
    if (update.tolerated_failure_count) st.tolerated_failure_count = *update.tolerated_failure_count;
    if (e->live) e->live(update);
    return true;
  }
  return false;
}

bool execution::done() const noexcept { return state_->done; }
bool execution::stop(std::optional<std::string> error, std::optional<std::string> cause) {
  return stop_execution(*state_, std::move(error), std::move(cause));
}
redrive_eligibility execution::redrivability() const { return redrive_eligibility_of(*state_); }
redrive_eligibility execution::redrive() {
  auto self = state_->self.lock();
  if (!self) return {redrive_status::not_redrivable, "Execution is not one engine::start started."};
  return redrive_execution(self);
}
execution_result const& execution::result() const noexcept { return state_->result; }

}  // namespace stepsim::engine
