// stepsim::study workloads: when executions start.
#pragma once

#include <stepsim/sim/rng.hpp>
#include <stepsim/sim/time.hpp>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace stepsim::study {

/// One planned execution start.
struct arrival {
  sim::duration at{};    ///< offset from the study's start instant
  std::string workflow;  ///< which workflow to start ("" when `function` is set)
  std::uint32_t period = 0;  ///< thread-group period (0 for other workloads)
  std::string function;  ///< the function to invoke directly, without a workflow ("" for executions)
};

/// A workload description (one of the kinds below), as the study file gives it.
struct workload_spec {
  enum class kind { thread_group, poisson, constant, trace };
  kind type = kind::thread_group;
  std::string workflow;  ///< default workflow of its arrivals
  /// When set, each arrival invokes this Lambda function directly (no
  /// workflow, no Step Functions overhead), as SimFaaS drives a function.
  std::string function;
  // thread_group (JMeter): `loops` periods of `threads` requests; request i
  // of a period starts i * ramp_up / threads after the period's start, and
  // period k starts at k * (ramp_up + pause). (Step Functions answers
  // StartExecution at once, so a thread does not wait for the workflow.)
  int threads = 1;
  sim::duration ramp_up{};
  int loops = 1;
  sim::duration pause{};
  // poisson / constant: `rate` arrivals per second for `duration`; poisson
  // may scale the rate by the hour of the day (24 multipliers).
  double rate_per_s = 1;
  sim::duration duration = std::chrono::seconds(60);
  std::vector<double> hourly;  ///< empty: flat
  // trace: offsets (and optionally workflows) read from a CSV file.
  std::vector<arrival> trace;
  sim::duration start_offset{};  ///< shifts every arrival
};

/// Produces a workload's arrivals in time order, one at a time (so a
/// million-arrival workload takes no memory up front).
class arrival_stream {
 public:
  virtual ~arrival_stream() = default;
  virtual std::optional<arrival> next() = 0;
};

/// A stream for `spec`; Poisson draws come from `random`. `start_hour` is the
/// hour of day (UTC) of the study start, for hourly rate profiles.
std::unique_ptr<arrival_stream> make_stream(workload_spec const& spec, sim::random_stream random, int start_hour = 0);

/// Every arrival of `spec` (for tests and small workloads).
std::vector<arrival> arrivals(workload_spec const& spec, sim::random_stream random, int start_hour = 0);

/// Reads a trace CSV (RFC 4180): a header row, then rows of `start` (seconds
/// from the study start, read by std::from_chars whatever the locale, or an
/// ISO-8601 instant relative to `origin`) and optionally `workflow`. Errors
/// name the line.
std::optional<std::vector<arrival>> read_trace(std::string const& csv_text, sim::instant origin,
                                               std::string const& default_workflow, std::string& error);

}  // namespace stepsim::study
