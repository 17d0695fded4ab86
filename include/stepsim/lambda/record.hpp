// stepsim::lambda records: one per invocation and per container, delivered to a sink.
#pragma once

#include <stepsim/sim/time.hpp>

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace stepsim::lambda {

/// How an invocation ended.
enum class outcome {
  success,         ///< the handler returned
  function_error,  ///< the handler threw function_error (error type and message kept)
  throttled,       ///< over a concurrency or scaling limit: Lambda.TooManyRequestsException
  service_error,   ///< an injected fault: Lambda.ServiceException
  timeout,         ///< ran past the function's timeout: Lambda.Unknown
  crash,           ///< the handler threw something else: Lambda.Unknown
  not_found        ///< no such function: Lambda.ResourceNotFoundException
};
char const* to_string(outcome o) noexcept;

struct invocation_record {
  std::string function;
  std::string caller;           ///< who asked, as service::invoke was told ("" when not)
  std::uint64_t container = 0;  ///< 0 when no container served it (throttled, fault, not found)
  sim::instant requested{};
  sim::instant started{};       ///< when the handler began (after init on a cold start)
  sim::instant finished{};
  bool cold = false;
  bool provisioned = false;     ///< served by a provisioned-concurrency environment
  sim::duration init{};         ///< init time paid by this request (0 when warm)
  sim::duration run{};
  std::int64_t billed_ms = 0;   ///< billed duration (run, plus init for on-demand cold starts when billed)
  double cost = 0;              ///< request + duration cost, in dollars
  outcome result = outcome::success;
  std::string error;            ///< Step Functions error name when not success
};

struct container_record {
  std::string function;
  std::uint64_t id = 0;
  bool provisioned = false;
  bool prewarmed = false;       ///< started by a pre-warm policy, not by a request
  sim::instant created{};
  sim::instant ready{};         ///< created + init
  std::optional<sim::instant> reaped;  ///< nullopt: still alive when the run ended
  std::string reason;           ///< "keep-alive", "lifetime", "timeout", "crash", "" while alive
  std::uint64_t invocations = 0;  ///< requests it served
};

/// Receives every record. The default sinks: `collecting_sink` keeps them
/// all; `aggregate_sink` keeps per-function totals only, so memory does not
/// grow with the number of invocations.
class record_sink {
 public:
  virtual ~record_sink() = default;
  virtual void on_invocation(invocation_record const& r) = 0;
  virtual void on_container(container_record const& r) = 0;
};

class collecting_sink : public record_sink {
 public:
  std::vector<invocation_record> invocations;
  std::vector<container_record> containers;
  void on_invocation(invocation_record const& r) override { invocations.push_back(r); }
  void on_container(container_record const& r) override { containers.push_back(r); }
};

/// Per-function totals.
struct function_totals {
  std::uint64_t invocations = 0, cold = 0, warm = 0, throttled = 0, errors = 0, containers = 0;
  std::int64_t billed_ms = 0;
  sim::duration init_time{}, run_time{};
  /// Time its environments spent serving requests (from the request's
  /// arrival to its end: init included), counted from `measure_from`.
  sim::duration busy_time{};
  double cost = 0;
};

class aggregate_sink : public record_sink {
 public:
  std::map<std::string, function_totals> functions;
  /// Busy time before this instant is left out (a warm-up); the rest is counted whole.
  sim::instant measure_from = sim::instant::min();
  void on_invocation(invocation_record const& r) override;
  void on_container(container_record const& r) override;
};

}  // namespace stepsim::lambda
