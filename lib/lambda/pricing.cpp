#include <stepsim/lambda/pricing.hpp>

namespace stepsim::lambda {

std::int64_t billed_ms(sim::duration d) noexcept {
  auto us = d.count();
  if (us <= 0) return 0;
  return (us + 999) / 1000;
}

double invocation_cost(prices const& p, function_config const& f, std::int64_t billed, bool provisioned) noexcept {
  bool arm = f.arch == architecture::arm64;
  double rate = provisioned ? (arm ? p.provisioned_duration_gb_second_arm64 : p.provisioned_duration_gb_second_x86_64)
                            : (arm ? p.gb_second_arm64 : p.gb_second_x86_64);
  double gb_s = double(billed) / 1000.0 * double(f.memory_mb) / 1024.0;
  return p.per_million_requests / 1e6 + gb_s * rate;
}

double provisioned_cost(prices const& p, function_config const& f, int count, sim::duration d) noexcept {
  double rate = f.arch == architecture::arm64 ? p.provisioned_gb_second_arm64 : p.provisioned_gb_second_x86_64;
  double seconds = std::chrono::duration<double>(d).count();
  return double(count) * double(f.memory_mb) / 1024.0 * seconds * rate;
}

double standard_workflow_cost(prices const& p, std::uint64_t transitions) noexcept {
  return double(transitions) / 1000.0 * p.sfn_standard_per_thousand_transitions;
}

double express_workflow_cost(prices const& p, sim::duration d) noexcept {
  auto increments = (d.count() + 99999) / 100000;  // 100 ms
  double gb_s = double(increments) * 0.1 * 64.0 / 1024.0;
  return p.sfn_express_per_million_requests / 1e6 + gb_s * p.sfn_express_gb_second;
}

}  // namespace stepsim::lambda
