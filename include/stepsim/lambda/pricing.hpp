// stepsim::lambda::pricing: what invocations and workflows cost, with AWS's published prices as defaults.
#pragma once

#include <stepsim/lambda/function.hpp>

#include <cstdint>

namespace stepsim::lambda {

/// Prices in US dollars (us-east-1, as published on the AWS Lambda and Step
/// Functions pricing pages). Every field is configuration.
struct prices {
  double per_million_requests = 0.20;
  double gb_second_x86_64 = 0.0000166667;  ///< on-demand duration
  double gb_second_arm64 = 0.0000133334;
  /// Provisioned concurrency: the charge for keeping environments ready...
  double provisioned_gb_second_x86_64 = 0.0000041667;
  double provisioned_gb_second_arm64 = 0.0000033334;
  /// ...and the (lower) duration price of requests they serve.
  double provisioned_duration_gb_second_x86_64 = 0.0000097222;
  double provisioned_duration_gb_second_arm64 = 0.0000077778;
  /// Since August 1, 2025 the init phase of on-demand functions is billed as
  /// duration (for every runtime). Set false to model the earlier rule.
  bool bill_init = true;
  /// Step Functions Standard: per 1,000 state transitions.
  double sfn_standard_per_thousand_transitions = 0.025;
  /// Step Functions Express: per million requests, and per GB-second of
  /// duration (first tier) billed in 100 ms increments at 64 MB.
  double sfn_express_per_million_requests = 1.00;
  double sfn_express_gb_second = 0.00001667;
};

/// Billed duration: rounded up to the next millisecond.
std::int64_t billed_ms(sim::duration d) noexcept;

/// Cost of one request with `billed` milliseconds of duration.
double invocation_cost(prices const& p, function_config const& f, std::int64_t billed, bool provisioned) noexcept;

/// Cost of keeping `count` environments of `f` provisioned for `d`.
double provisioned_cost(prices const& p, function_config const& f, int count, sim::duration d) noexcept;

/// Cost of a Standard execution with `transitions` state transitions.
double standard_workflow_cost(prices const& p, std::uint64_t transitions) noexcept;

/// Cost of an Express execution lasting `d` (billed per 100 ms at 64 MB memory).
double express_workflow_cost(prices const& p, sim::duration d) noexcept;

}  // namespace stepsim::lambda
