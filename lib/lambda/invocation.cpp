#include "lambda/invocation.hpp"

#include <stepsim/asl/json_text.hpp>

#include <boost/json.hpp>
#include <fmt/format.h>

#include <stdexcept>

namespace stepsim::lambda {

namespace json = boost::json;

function_state::function_state(function_config c, sim::rng const& rng, std::optional<sim::duration> max_lifetime)
    : cfg(std::move(c)),
      init(cfg.init ? *cfg.init : default_init(cfg.runtime)),
      init_rng(rng.stream("lambda/" + cfg.name + "/init")),
      run_rng(rng.stream("lambda/" + cfg.name + "/run")),
      keep_rng(rng.stream("lambda/" + cfg.name + "/keep-alive")),
      fault_rng(rng.stream("lambda/" + cfg.name + "/faults")),
      pool(cfg.name, max_lifetime) {}

void call::on_timer() { owner->advance(*this); }

namespace {

sim::duration extra_init(function_state const& f) { return f.cfg.init_addition(); }

/// The cause Step Functions gives Lambda.Unknown: no error type came back,
/// only `returned_payload` (JSON text).
std::string unknown_cause(std::string_view returned_payload) {
  return fmt::format("The cause could not be determined because Lambda did not return an error type. "
                     "Returned payload: {}",
                     returned_payload);
}

}  // namespace

invoker::invoker(sim::scheduler& sched, sim::rng const& rng, service_config config)
    : sched_(sched), rng_(rng), config_(std::move(config)), limits_(config_) {}

function_state& invoker::add(function_config f) {
  f.validate();
  if (functions_.contains(f.name)) throw std::invalid_argument("function '" + f.name + "' is added twice");
  auto share = limits_.add(f.name, f.reserved_concurrency, sched_.now());
  auto fs = std::make_unique<function_state>(std::move(f), rng_, config_.max_lifetime);
  fs->share = share;
  fs->added_at = sched_.now();
  fs->pool.sink = sink_;
  for (int i = 0; i < fs->cfg.provisioned_concurrency; ++i)
    fs->pool.idle_provisioned(fs->pool.create(++next_container_, sched_.now(), true, false));
  return *functions_.emplace(fs->cfg.name, std::move(fs)).first->second;
}

function_state* invoker::lookup(std::string_view name) const {
  if (auto const* recent = recent_.find(name)) return *recent;
  function_state* f = nullptr;
  if (auto hit = found_.find(name); hit != found_.end()) {
    f = hit->second;
  } else {
    auto it = functions_.find(function_name(name));
    if (it == functions_.end()) return nullptr;
    f = it->second.get();
    found_.emplace(std::string(name), f);
  }
  recent_.put(name, f);
  return f;
}

void invoker::set_sink(record_sink* s) {
  sink_ = s;
  for (auto& named : functions_) named.second->pool.sink = s;
}

void invoker::set_failure(invocation_result& res, outcome o, std::string const& error, std::string cause) {
  res.result = res.record.result = o;
  res.error = res.record.error = error;
  res.cause = std::move(cause);
}

std::string invoker::what_of(std::exception_ptr e) {
  try {
    std::rethrow_exception(e);
  } catch (std::exception const& x) {
    return x.what();
  } catch (...) {
    return "an exception that is not a std::exception";
  }
}

void invoker::fail_fast(call& cl, outcome o, char const* error, std::string cause) {
  set_failure(cl.res, o, error, std::move(cause));
  emit(cl.res.record);
  completed(cl, false);
}

void invoker::arrive(call& cl, std::string_view function) {
  auto& rec = cl.res.record;
  auto now = sched_.now();
  rec.requested = rec.started = rec.finished = now;
  auto* f = lookup(function);
  if (!f) {
    rec.function = std::string(function_name(function));
    fail_fast(cl, outcome::not_found, "Lambda.ResourceNotFoundException",
              fmt::format("Function not found: {}", function));
    return;
  }
  cl.f = f;
  rec.function = f->cfg.name;
  if (f->predicted > 0) --f->predicted;
  keep_alive_->on_invocation(f->cfg.name, now);
  double fault = f->cfg.fault_probability;
  for (auto const& w : f->cfg.fault_schedule)
    if (now - f->added_at >= w.from && now - f->added_at < w.to) {
      fault = w.probability;
      break;
    }
  if (fault > 0 && f->fault_rng.bernoulli(fault)) {
    fail_fast(cl, outcome::service_error, "Lambda.ServiceException",
              "Lambda.ServiceException: An internal error occurred in the Lambda service (injected fault)");
    return;
  }
  std::optional<container> c;
  bool cold = false;
  if (limits_.allows(f->share)) {
    c = f->pool.take_idle(now);
    if (!c && limits_.take_token(f->share, now)) {
      c = f->pool.create(++next_container_, now, false, false);
      cold = true;
    }
  }
  if (!c) {
    fail_fast(cl, outcome::throttled, "Lambda.TooManyRequestsException", "Rate Exceeded.");
    return;
  }
  limits_.enter(f->share);
  cl.c = *c;
  ++cl.c.invocations;
  rec.container = c->id;
  rec.cold = cold;
  rec.provisioned = c->provisioned;
  if (cold) {
    rec.init = f->init.sample(f->init_rng) + extra_init(*f);
    cl.next = call::step::init_done;
    sched_.call_after(rec.init, cl);
    return;
  }
  start_run(cl);
}

void invoker::start_run(call& cl) {
  auto& f = *cl.f;
  auto& rec = cl.res.record;
  rec.started = sched_.now();
  auto run = f.cfg.run.sample(f.cfg.memory_mb, f.run_rng);
  if (run > f.cfg.timeout) {
    rec.run = f.cfg.timeout;
    cl.next = call::step::timed_out;
  } else {
    rec.run = run;
    cl.next = call::step::run_done;
  }
  sched_.call_after(rec.run, cl);
}

void invoker::advance(call& cl) {
  auto& f = *cl.f;
  auto& res = cl.res;
  auto& rec = res.record;
  bool destroyed = false;
  switch (cl.next) {
    case call::step::init_done:
      cl.c.ready = sched_.now();
      start_run(cl);
      return;
    case call::step::timed_out:
      set_failure(res, outcome::timeout, "Lambda.Unknown",
                  unknown_cause(fmt::format("{{\"errorMessage\":\"Task timed out after {:.2f} seconds\"}}",
                                            std::chrono::duration<double>(f.cfg.timeout).count())));
      destroyed = true;
      break;
    case call::step::run_done:
      try {
        if (f.cfg.handler) {
          json::value out = f.cfg.handler(cl.payload);
          res.payload.swap(out);
        } else {
          res.payload.swap(cl.payload);
        }
      } catch (function_error const& e) {
        set_failure(res, outcome::function_error, e.error_type(),
                    asl::to_text(json::object{{"errorMessage", e.error_message()},
                                              {"errorType", e.error_type()},
                                              {"stackTrace", json::array()}}));
      } catch (...) {
        set_failure(res, outcome::crash, "Lambda.Unknown",
                    unknown_cause(asl::to_text(json::object{{"errorMessage", what_of(std::current_exception())},
                                                            {"errorType", "Runtime.ExitError"}})));
        destroyed = true;
      }
      break;
  }
  limits_.leave(f.share);
  rec.finished = sched_.now();
  auto billed = rec.run;
  if (rec.cold && config_.pricing.bill_init) billed += rec.init;
  rec.billed_ms = billed_ms(billed);
  rec.cost = invocation_cost(config_.pricing, f.cfg, rec.billed_ms, rec.provisioned);
  try {
    if (destroyed) f.pool.reap(cl.c, rec.finished, res.result == outcome::timeout ? "timeout" : "crash");
    else release(f, cl.c);
    emit(rec);
  } catch (...) {
    completed(cl, true);  // a policy or a sink threw: the caller still gets its result
    throw;
  }
  completed(cl, true);
}

/// An environment finished a request (or its init) and goes idle, or is unloaded.
void invoker::release(function_state& f, container c) {
  auto now = sched_.now();
  if (c.provisioned) {
    f.pool.idle_provisioned(c);
    return;
  }
  if (f.pool.past_lifetime(c, now)) {
    f.pool.reap(c, now, "lifetime");
    return;
  }
  auto plan = keep_alive_->plan(f.cfg.name, now, f.keep_rng);
  if (plan.prewarm_after) {
    // Unload now; load a fresh environment when the pre-warm window ends.
    f.pool.reap(c, now, "keep-alive");
    prewarm_later(f, *plan.prewarm_after, plan.keep_alive);
    return;
  }
  f.pool.idle_until(c, now + plan.keep_alive);
}

std::pair<container, sim::duration> invoker::start_warming(function_state& f) {
  auto c = f.pool.create(++next_container_, sched_.now(), false, true);
  ++f.warming;
  return {c, f.init.sample(f.init_rng) + extra_init(f)};
}

void invoker::warmed(function_state& f, container c, std::optional<sim::duration> keep) {
  --f.warming;
  c.ready = sched_.now();
  if (keep) f.pool.idle_until(c, c.ready + *keep);
  else release(f, c);
}

double invoker::finish() {
  auto now = sched_.now();
  double cost = 0;
  for (auto& named : functions_) {
    auto& f = *named.second;
    f.pool.finish(now);
    cost += provisioned_cost(config_.pricing, f.cfg, f.cfg.provisioned_concurrency, now - f.added_at);
  }
  return cost;
}

}  // namespace stepsim::lambda
