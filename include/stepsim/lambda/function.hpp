// stepsim::lambda function configuration: what a simulated function is and how long it takes.
#pragma once

#include <stepsim/lambda/latency.hpp>
#include <stepsim/sim/time.hpp>

#include <boost/json/value.hpp>

#include <cstdint>
#include <functional>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace stepsim::lambda {

enum class architecture { x86_64, arm64 };

/// Thrown by a function's handler to fail the invocation with a function
/// error, as a Lambda function's own exception: Step Functions reports it
/// with `error_type` as the error name and a JSON cause
/// `{"errorMessage", "errorType", "stackTrace"}`.
class function_error : public std::runtime_error {
 public:
  function_error(std::string error_type, std::string error_message)
      : std::runtime_error(error_type + ": " + error_message),
        type_(std::move(error_type)),
        message_(std::move(error_message)) {}
  std::string const& error_type() const noexcept { return type_; }
  std::string const& error_message() const noexcept { return message_; }

 private:
  std::string type_, message_;
};

/// Memory at which a function has one full vCPU (AWS documentation).
inline constexpr int full_vcpu_memory_mb = 1769;

/// The CPU a function with `memory_mb` is given, in vCPUs: proportional to
/// memory, one full vCPU at 1,769 MB (AWS: "one vCPU-second of credits per
/// second"), so 0.072 at 128 MB and 5.79 at 10,240 MB (AWS: "up to 6 vCPUs").
double vcpu_share(int memory_mb) noexcept;

/// How much faster than on one full vCPU code that keeps `threads` threads
/// busy runs with `memory_mb`: min(vcpu_share(memory_mb), threads). Below
/// 1,769 MB every program gets the same fraction of a vCPU; above it only
/// the threads that run at once can use the extra vCPUs, so single-threaded
/// code gains nothing past 1,769 MB. `threads` below 1 counts as 1.
double cpu_speed(int memory_mb, int threads) noexcept;

/// The most `run_model::threads` a function may declare (beyond 6 threads
/// nothing changes: 10,240 MB gives 5.79 vCPUs).
inline constexpr int max_threads = 1024;

/// How long one run of the handler takes (after init, for a cold start):
/// `duration` + `cpu_ms` / cpu_speed(memory, threads) + `io`.
struct run_model {
  /// A duration distribution, independent of memory (the default: constant 0 ms).
  latency duration = latency::constant(0);
  /// CPU-bound part: the CPU time the handler needs, as it would take with
  /// one full vCPU. It takes `cpu_ms / cpu_speed(memory_mb, threads)`:
  /// `cpu_ms * 1769 / memory_mb` below 1,769 MB, and above that no faster
  /// for single-threaded code, up to `threads` times faster for code that
  /// spreads it over `threads` threads. 0 = none.
  double cpu_ms = 0;
  /// Threads the CPU-bound part runs on at once (1: single-threaded code).
  int threads = 1;
  /// Sampled and added to the CPU part (I/O, waiting on other services).
  latency io = latency::constant(0);

  /// One sample of the run duration for a function with `memory_mb`.
  sim::duration sample(int memory_mb, sim::random_stream& r) const noexcept;
};

/// The default init-duration model of a runtime family: lognormal with the
/// median below and sigma 0.2. Medians (ms), from published cold-start
/// measurements of minimal functions (e.g. the "lambda-perf" daily benchmark
/// by M. Mazzani, 2023-2024): python 85, nodejs 140, java 235, dotnet 250,
/// go / provided (custom runtime) 50, rust 17, ruby 235. The runtime string is
/// matched by prefix ("python3.12" -> python); unknown runtimes get 150.
latency default_init(std::string const& runtime);

/// The function NAME inside NAME, NAME:QUALIFIER, ACCOUNT:function:NAME[:QUALIFIER]
/// or a function ARN, as Lambda resolves the FunctionName of an invoke.
std::string_view function_name(std::string_view function) noexcept;

/// One simulated Lambda function.
struct function_config {
  std::string name;                 ///< function name ("Step1")
  std::string region = "us-east-1";
  std::string account = "123456789012";
  int memory_mb = 128;              ///< 128 to 10,240
  architecture arch = architecture::x86_64;
  std::string runtime = "python3.12";
  sim::duration timeout = std::chrono::seconds(3);  ///< default 3 s, at most 900 s
  std::optional<int> reserved_concurrency;          ///< at most this many in flight; 0 disables the function
  int provisioned_concurrency = 0;                  ///< environments kept initialized; they never pay init
  std::optional<latency> init;                      ///< nullopt: default_init(runtime)
  double init_extra_ms = 0;                         ///< added to every init (package size, container image)
  /// CPU-bound part of init (loading and compiling code, building clients),
  /// as it would take with one full vCPU; added to every init as
  /// `init_cpu_ms / cpu_speed(memory_mb, 1)`: init code is taken as
  /// single-threaded, so it scales with memory up to 1,769 MB only.
  double init_cpu_ms = 0;
  run_model run;
  /// Probability that an invoke fails with Lambda.ServiceException before running.
  double fault_probability = 0;
  /// A fault schedule: during [from, to) (offsets from when the function was
  /// added) invokes fail with this probability instead (the first window
  /// that contains the instant wins), e.g. an outage of two minutes.
  struct fault_window {
    sim::duration from{}, to{};
    double probability = 1;
  };
  std::vector<fault_window> fault_schedule;
  /// Computes the result; nullopt: the result is the payload. May throw
  /// function_error (a handled error) or anything else (a crash: Lambda.Unknown).
  std::function<boost::json::value(boost::json::value const&)> handler;

  /// What every init adds to the `init` sample: `init_extra_ms` plus the
  /// CPU-bound part `init_cpu_ms`, scaled to `memory_mb`.
  sim::duration init_addition() const noexcept;

  /// `arn:aws:lambda:REGION:ACCOUNT:function:NAME`
  std::string arn() const;
  /// Throws std::invalid_argument naming the field when a value is out of
  /// range (memory, timeout, concurrency, probabilities, CPU parts, threads).
  void validate() const;
};

}  // namespace stepsim::lambda
