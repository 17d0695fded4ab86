#include <stepsim/lambda/function.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

namespace stepsim::lambda {

double vcpu_share(int memory_mb) noexcept { return double(memory_mb) / full_vcpu_memory_mb; }

double cpu_speed(int memory_mb, int threads) noexcept {
  return std::min(vcpu_share(memory_mb), double(std::max(threads, 1)));
}

sim::duration run_model::sample(int memory_mb, sim::random_stream& r) const noexcept {
  auto d = duration.sample(r);
  if (cpu_ms > 0) d += sim::saturating_milliseconds(cpu_ms / cpu_speed(memory_mb, threads));
  return d + io.sample(r);
}

sim::duration function_config::init_addition() const noexcept {
  double ms = init_extra_ms;
  if (init_cpu_ms > 0) ms += init_cpu_ms / cpu_speed(memory_mb, 1);
  return sim::saturating_milliseconds(ms);
}

latency default_init(std::string const& runtime) {
  struct family {
    char const* prefix;
    double median_ms;
  };
  static constexpr family families[] = {{"python", 85},   {"nodejs", 140}, {"java", 235}, {"dotnet", 250},
                                        {"go", 50},       {"provided", 50}, {"rust", 17},  {"ruby", 235}};
  for (auto const& f : families)
    if (runtime.rfind(f.prefix, 0) == 0) return latency::lognormal(f.median_ms, 0.2);
  return latency::lognormal(150, 0.2);
}

std::string_view function_name(std::string_view s) noexcept {
  if (auto p = s.find(":function:"); p != std::string_view::npos) s = s.substr(p + 10);
  return s.substr(0, s.find(':'));
}

std::string function_config::arn() const {
  return fmt::format("arn:aws:lambda:{}:{}:function:{}", region, account, name);
}

void function_config::validate() const {
  auto fail = [&](std::string const& what) {
    throw std::invalid_argument(fmt::format("function '{}': {}", name, what));
  };
  if (name.empty()) throw std::invalid_argument("a function needs a name");
  if (memory_mb < 128 || memory_mb > 10240) fail(fmt::format("memory_mb must be 128 to 10240, not {}", memory_mb));
  if (timeout <= sim::duration::zero() || timeout > std::chrono::seconds(900))
    fail("timeout must be more than 0 and at most 900 s");
  if (reserved_concurrency && *reserved_concurrency < 0) fail("reserved_concurrency must not be negative");
  if (provisioned_concurrency < 0) fail("provisioned_concurrency must not be negative");
  if (reserved_concurrency && provisioned_concurrency > *reserved_concurrency)
    fail("provisioned_concurrency cannot exceed reserved_concurrency");
  if (!(fault_probability >= 0 && fault_probability <= 1)) fail("fault_probability must be between 0 and 1");
  for (auto const& w : fault_schedule)
    if (!(w.probability >= 0 && w.probability <= 1) || w.to <= w.from || w.from < sim::duration::zero())
      fail("each fault_schedule window needs 0 <= from < to and a probability between 0 and 1");
  if (init_extra_ms < 0) fail("init_extra_ms must not be negative");
  if (run.cpu_ms < 0) fail("run cpu_ms must not be negative");
  if (init_cpu_ms < 0) fail("init_cpu_ms must not be negative");
  if (run.threads < 1 || run.threads > max_threads) fail(fmt::format("threads must be 1 to {}, not {}", max_threads, run.threads));
}

}  // namespace stepsim::lambda
