#include <stepsim/lambda/record.hpp>

#include <algorithm>

namespace stepsim::lambda {

char const* to_string(outcome o) noexcept {
  switch (o) {
    case outcome::success: return "success";
    case outcome::function_error: return "function_error";
    case outcome::throttled: return "throttled";
    case outcome::service_error: return "service_error";
    case outcome::timeout: return "timeout";
    case outcome::crash: return "crash";
    case outcome::not_found: return "not_found";
  }
  return "?";
}

void aggregate_sink::on_invocation(invocation_record const& r) {
  auto& t = functions[r.function];
  ++t.invocations;
  if (r.result == outcome::throttled) ++t.throttled;
  else if (r.container != 0) ++(r.cold ? t.cold : t.warm);
  if (r.result != outcome::success && r.result != outcome::throttled) ++t.errors;
  t.billed_ms += r.billed_ms;
  t.init_time += r.init;
  t.run_time += r.run;
  if (r.container != 0 && r.finished > measure_from) t.busy_time += r.finished - std::max(r.requested, measure_from);
  t.cost += r.cost;
}

void aggregate_sink::on_container(container_record const& r) {
  // Each container reports once, when it is reaped or when the run ends.
  ++functions[r.function].containers;
}

}  // namespace stepsim::lambda
