// stepsim::study power tuning: AWS Lambda Power Tuning, offline, on a simulated function in virtual time.
//
// The state machine (`power_tuning_definition()`, the same text as
// examples/power-tuning/power-tuning.asl.json) has the tool's shape: an
// initializer, a Map over the power values whose executor invokes the
// function `num` times at that memory size (in parallel or one after the
// other), a cleaner, an analyzer and an optimizer. Its Tasks are C++ handlers
// (`bind_power_tuning`) that invoke the function on `lambda::service`.
// Input and output are the tool's (docs/power-tuning.md); so are its cost
// formulas: a price per millisecond at 128 MB by architecture and region,
// averages trimmed by `discardTopBottom`.
#pragma once

#include <stepsim/asl/error.hpp>
#include <stepsim/engine/execution.hpp>
#include <stepsim/lambda/function.hpp>
#include <stepsim/lambda/service.hpp>
#include <stepsim/tasks/registry.hpp>

#include <boost/json/value.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace stepsim::study {

/// The power values tested when the input gives none (the tool's deploy-time default).
inline constexpr int default_power_values[] = {128, 256, 512, 1024, 1536, 3008};

enum class tuning_strategy { cost, speed, balanced };

/// One entry of a weighted payload: `{"payload": ..., "weight": w}`.
struct weighted_payload {
  boost::json::value payload;
  double weight = 0;
};

/// The state machine's input, read and checked.
struct power_tuning_input {
  std::string lambda_arn;             ///< `lambdaARN` (required): the function's ARN or name
  std::vector<int> power_values;      ///< `powerValues`: a list, "ALL" (128 to 3,008 by 64), or the default
  int num = 0;                        ///< `num` (required, at least 5): invocations per power value
  boost::json::value payload;         ///< `payload`: the same for every invocation (null when absent)
  std::vector<weighted_payload> weighted;  ///< set instead when `payload` is a weighted list
  bool parallel_invocation = false;   ///< `parallelInvocation`
  tuning_strategy strategy = tuning_strategy::cost;  ///< `strategy`
  double balanced_weight = 0.5;       ///< `balancedWeight`, clamped to [0, 1]
  double discard_top_bottom = 0.2;    ///< `discardTopBottom`, clamped to [0, 0.4]; 0 with onlyColdStarts
  std::int64_t sleep_between_runs_ms = 0;  ///< `sleepBetweenRunsMs` (series only)
  bool only_cold_starts = false;      ///< `onlyColdStarts`: every invocation on a fresh environment
  bool include_output_results = false;  ///< `includeOutputResults`: add `stats` to the output
  /// `dryRun`: one invocation per power value (a weighted payload's first
  /// entry), no analysis: the output is null.
  bool dry_run = false;
};

struct power_tuning_input_result {
  std::optional<power_tuning_input> value;
  asl::diagnostics errors;  ///< each with the JSON pointer of the field at fault
};

/// Reads the input as the tool does (defaults, clamping, "ALL", weighted
/// payloads), refusing with a JSON pointer what the tool refuses (a missing
/// `lambdaARN`, `num` below 5, power values outside 128 to 10,240 MB) and
/// what it would misread (a field of the wrong type).
power_tuning_input_result parse_power_tuning_input(boost::json::value const& input);

/// The payloads of `num` invocations, as the tool generates them: the same
/// payload `num` times, or, for a weighted list, floor(weight × num / total)
/// copies of each entry in order, the last one filling up to `num`. A string
/// payload that is JSON text is sent as that JSON value. Throws
/// std::invalid_argument with the tool's message when `num` is smaller than
/// the list or an entry would get no invocation.
std::vector<boost::json::value> generate_payloads(power_tuning_input const& in, int num);

/// Mean of `values` without the floor(n × discard) smallest and largest
/// (the tool's `discardTopBottom` trimming); 0 for no values.
double trimmed_mean(std::vector<double> values, double discard);

/// The tool's price of one millisecond at 128 MB (its `baseCosts`): x86_64
/// 2.1e-9 USD (2.9e-9 ap-east-1, 2.8e-9 af-south-1, 2.6e-9 me-south-1,
/// 2.4e-9 eu-south-1, 2.7e-9 ap-northeast-3, 1.42e-8 cn-north-1 and
/// cn-northwest-1), arm64 1.7e-9.
double power_tuning_ms_price(std::string_view region, lambda::architecture arch) noexcept;

/// The tool's `stateMachine.executionCost`: its Step Functions price per
/// transition in `region` (0.000025 USD by default) × (6 + 3 × power values),
/// or × (6 + power values + 2 × power values × num) with onlyColdStarts,
/// rounded to 5 decimals.
double power_tuning_execution_cost(std::string_view region, std::size_t power_values, bool only_cold_starts, int num);

/// What one invocation reported: REPORT's Duration plus Init Duration (ms,
/// each to 0.01 ms) and its Billed Duration (whole ms).
struct tuning_sample {
  double duration_ms = 0;
  std::int64_t billed_ms = 0;
  bool cold = false;
};

/// The executor's statistics at one power value.
struct power_stats {
  int value = 0;                ///< memory, MB
  double average_price = 0;     ///< ceil(trimmed mean billed ms) × ms price × value / 128
  double average_duration = 0;  ///< trimmed mean duration, ms
  double total_cost = 0;        ///< Σ billed ms × ms price × value / 128, every invocation
  int invocations = 0;
  int cold_starts = 0;
};

/// Statistics of `samples` taken at `value` MB.
power_stats compute_power_stats(int value, std::vector<tuning_sample> const& samples, double discard,
                                double ms_price);

/// The analyzer: the best power value by the input's strategy (cost: the
/// cheapest, ties to the faster; speed: the fastest, ties to the cheaper;
/// balanced: the least weight × cost / max cost + (1 − weight) × duration /
/// max duration, ties to the earlier), among the values with a non-zero
/// average duration, in AWS's output shape: `{"power", "cost", "duration",
/// "stateMachine": {"executionCost", "lambdaCost"}}` plus `stats` with
/// includeOutputResults. Throws std::invalid_argument when no value has one.
boost::json::value analyze_power_stats(std::vector<power_stats> const& stats, power_tuning_input const& in,
                                       std::string_view region);

/// The state machine, as examples/power-tuning/power-tuning.asl.json.
std::string_view power_tuning_definition() noexcept;

/// What the Tasks work on: the function being tuned and the statistics the
/// executors gathered (by power value, in the order they finished).
struct power_tuning_context {
  lambda::function_config function;  ///< its memory is set per power value
  lambda::service_config service;
  std::uint64_t seed = 1;            ///< every power value draws the same random numbers
  std::vector<power_stats> stats;
};

/// Registers the handlers of the state machine's five Task resources
/// (`arn:aws:lambda:us-east-1:123456789012:function:power-tuning-initializer`,
/// `-executor`, `-cleaner`, `-analyzer`, `-optimizer`) in `r`. `ctx` must
/// outlive the registry's use. The executor invokes `ctx.function` at the
/// power value's memory on its own `lambda::service` (one per power value, or
/// one per invocation with onlyColdStarts, as the tool's aliases are separate
/// versions with their own environments), on the Task's scheduler. Failures
/// are `task_error`s named "Error", as the tool's own exceptions.
void bind_power_tuning(tasks::registry& r, power_tuning_context& ctx);

struct power_tuning_options {
  std::uint64_t seed = 1;
  sim::instant start{};  ///< when the clock starts
  lambda::service_config service;
};

/// One run of the state machine on `function` with `input`.
struct power_tuning_run {
  engine::execution_result execution;  ///< its output is the tool's output
  lambda::function_config function;
  std::vector<power_stats> stats;      ///< per power value tested, by increasing memory
};

/// Runs the state machine in virtual time. The function's name, region and
/// account come from `lambdaARN` when it is an ARN (its name alone
/// otherwise). Bad input fails the execution (error "Error", as the tool's
/// initializer); check it first with `parse_power_tuning_input` for pointers.
power_tuning_run run_power_tuning(lambda::function_config function, boost::json::value input,
                                  power_tuning_options const& options = {});

/// A self-contained HTML page of a run: the result, Power Tuning's chart
/// (average duration and average cost per power value, on two axes) and the
/// statistics table. No scripts, fonts or links; the same run gives the same bytes.
std::string power_tuning_report_html(power_tuning_run const& run, boost::json::value const& input);

}  // namespace stepsim::study
