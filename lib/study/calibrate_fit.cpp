// Fitting init and run durations from REPORT lines: lognormal or empirical quantiles.
#include <stepsim/study/calibrate.hpp>

#include <boost/json.hpp>
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <numeric>

namespace stepsim::study::calibration {

namespace bj = boost::json;

namespace {

/// To the microsecond: what a duration distribution resolves.
double to_us(double ms) { return std::round(ms * 1000) / 1000; }

/// The p-quantile of sorted values, linear between order statistics
/// (Hyndman and Fan's type 7, R's and NumPy's default).
double quantile(std::vector<double> const& sorted, double p) {
  if (sorted.size() == 1) return sorted.front();
  double const h = double(sorted.size() - 1) * p;
  auto const i = std::min(std::size_t(h), sorted.size() - 2);
  return sorted[i] + (h - double(i)) * (sorted[i + 1] - sorted[i]);
}

double normal_cdf(double z) { return 0.5 * std::erfc(-z / std::sqrt(2.0)); }

/// The 5% critical value of the Kolmogorov-Smirnov distance when the
/// lognormal's parameters come from the samples themselves (Lilliefors' test
/// for normality, applied to the logarithms): 0.886 / sqrt(n), the large-sample
/// approximation, which is within a few percent of the tabulated values from
/// about 30 samples on, and conservative (slightly large) below.
double lilliefors_critical(std::size_t n) { return 0.886 / std::sqrt(double(n)); }

std::string number_text(double d) { return fmt::format("{:.4g}", d); }

}  // namespace

duration_fit fit_durations(std::vector<double> samples, fit_options const& options) {
  duration_fit f;
  std::sort(samples.begin(), samples.end());
  auto const n = samples.size();
  f.samples = n;
  if (n == 0) {
    f.chosen = lambda::latency::constant(0);
    f.choice = "no samples";
    return f;
  }
  f.mean_ms = std::accumulate(samples.begin(), samples.end(), 0.0) / double(n);
  f.p50_ms = quantile(samples, 0.5);
  f.p99_ms = quantile(samples, 0.99);
  f.min_ms = samples.front();
  f.max_ms = samples.back();
  if (samples.front() == samples.back()) {
    f.chosen = lambda::latency::constant(to_us(samples.front()));
    f.choice = n == 1 ? "constant: one sample" : fmt::format("constant: every sample is {} ms", number_text(f.min_ms));
    return f;
  }

  // The lognormal's maximum-likelihood fit and its Kolmogorov-Smirnov distance.
  std::string no_lognormal;
  if (samples.front() <= 0) {
    no_lognormal = "a sample is 0 ms, which a lognormal cannot take";
  } else {
    double mu = 0;
    for (double x : samples) mu += std::log(x);
    mu /= double(n);
    double var = 0;
    for (double x : samples) var += (std::log(x) - mu) * (std::log(x) - mu);
    double const sigma = std::sqrt(var / double(n));
    f.lognormal_median_ms = std::exp(mu);
    f.lognormal_sigma = sigma;
    double d = 0;
    for (std::size_t i = 0; i < n; ++i) {
      double const F = normal_cdf((std::log(samples[i]) - mu) / sigma);
      d = std::max({d, F - double(i) / double(n), double(i + 1) / double(n) - F});
    }
    f.ks_distance = d;
    if (*f.lognormal_median_ms > lambda::latency::max_ms || sigma > lambda::latency::max_sigma)
      no_lognormal = "the lognormal's parameters are out of range";
  }

  auto lognormal = [&] {
    return lambda::latency::lognormal(to_us(*f.lognormal_median_ms), std::round(*f.lognormal_sigma * 1e6) / 1e6);
  };
  auto const k = std::clamp<std::size_t>(options.quantiles, 2, lambda::latency::max_quantiles);
  auto empirical = [&] {
    std::vector<double> q(k);
    for (std::size_t i = 0; i < k; ++i) q[i] = to_us(quantile(samples, double(i) / double(k - 1)));
    // Rounding keeps the order (it is monotonic); the ends are the extremes seen.
    return lambda::latency::empirical(std::move(q));
  };
  switch (options.mode) {
    case fit_mode::lognormal:
      if (no_lognormal.empty()) {
        f.chosen = lognormal();
        f.choice = fmt::format("lognormal, as asked (Kolmogorov-Smirnov distance {})", number_text(*f.ks_distance));
      } else {
        f.chosen = empirical();
        f.choice = fmt::format("empirical ({} quantiles), not the lognormal asked for: {}", k, no_lognormal);
      }
      break;
    case fit_mode::empirical:
      f.chosen = empirical();
      f.choice = fmt::format("empirical ({} quantiles), as asked", k);
      break;
    case fit_mode::automatic:
      if (!no_lognormal.empty()) {
        f.chosen = empirical();
        f.choice = fmt::format("empirical ({} quantiles): {}", k, no_lognormal);
      } else if (*f.ks_distance <= options.max_ks) {
        f.chosen = lognormal();
        f.choice = fmt::format("lognormal: Kolmogorov-Smirnov distance {} <= {}", number_text(*f.ks_distance),
                               number_text(options.max_ks));
      } else if (*f.ks_distance <= lilliefors_critical(n)) {
        f.chosen = lognormal();
        f.choice = fmt::format("lognormal: Kolmogorov-Smirnov distance {} is within what {} samples of a lognormal "
                               "show (Lilliefors test at 5%: {})",
                               number_text(*f.ks_distance), n, number_text(lilliefors_critical(n)));
      } else {
        f.chosen = empirical();
        f.choice = fmt::format("empirical ({} quantiles): the lognormal's Kolmogorov-Smirnov distance {} > {} and > {} "
                               "(Lilliefors test at 5%)",
                               k, number_text(*f.ks_distance), number_text(options.max_ks),
                               number_text(lilliefors_critical(n)));
      }
      break;
  }
  return f;
}

bj::object duration_fit::to_json() const {
  bj::object o{{"samples", samples},   {"mean_ms", to_us(mean_ms)}, {"p50_ms", to_us(p50_ms)},
               {"p99_ms", to_us(p99_ms)}, {"min_ms", to_us(min_ms)},   {"max_ms", to_us(max_ms)}};
  if (lognormal_median_ms)
    o["lognormal"] = bj::array{to_us(*lognormal_median_ms), std::round(*lognormal_sigma * 1e6) / 1e6};
  else o["lognormal"] = nullptr;
  if (ks_distance) o["ks_distance"] = std::round(*ks_distance * 1e6) / 1e6;
  else o["ks_distance"] = nullptr;
  o["fitted_mean_ms"] = to_us(chosen.mean_ms());
  o["fitted_p99_ms"] = to_us(chosen.quantile_ms(0.99));
  o["chosen"] = chosen.to_json();
  o["choice"] = choice;
  return o;
}

std::optional<function_calibration> calibrate(function_logs const& logs, std::optional<int> memory_mb,
                                              fit_options const& options, std::string& error) {
  std::map<int, std::size_t> sizes;
  for (auto const& r : logs.reports) ++sizes[r.memory_mb];
  if (sizes.empty()) {
    error = fmt::format("'{}': no REPORT lines in its logs", logs.name);
    return std::nullopt;
  }
  std::string seen;  // "128 MB (3 reports), 1024 MB (2 reports)"
  for (auto const& [mb, count] : sizes) seen += fmt::format("{}{} MB ({} reports)", seen.empty() ? "" : ", ", mb, count);
  if (memory_mb && !sizes.contains(*memory_mb)) {
    error = fmt::format("'{}': no REPORT line with Memory Size {} MB; the logs show {}", logs.name, *memory_mb, seen);
    return std::nullopt;
  }
  if (!memory_mb && sizes.size() > 1) {
    error = fmt::format("'{}': the logs show {} memory sizes: {}; calibrate one at a time with --memory", logs.name,
                        sizes.size(), seen);
    return std::nullopt;
  }
  function_calibration c;
  c.name = logs.name;
  c.memory_mb = memory_mb ? *memory_mb : sizes.begin()->first;
  std::vector<double> init, run;
  double billed = 0;
  for (auto const& r : logs.reports) {
    if (r.memory_mb != c.memory_mb) continue;
    ++c.invocations;
    billed += r.billed_ms;
    if (r.max_memory_used_mb) c.max_memory_used_mb = std::max(c.max_memory_used_mb.value_or(0), *r.max_memory_used_mb);
    if (r.init_ms) {
      ++c.cold_starts;
      init.push_back(*r.init_ms);
    }
    if (r.status) ++c.unsuccessful;
    else run.push_back(r.duration_ms);
  }
  if (run.empty()) {
    error = fmt::format("'{}': every one of its {} reports has a Status (timeout or error): no run time to fit",
                        logs.name, c.invocations);
    return std::nullopt;
  }
  c.billed_mean_ms = billed / double(c.invocations);
  if (!init.empty()) c.init = fit_durations(std::move(init), options);
  c.run = fit_durations(std::move(run), options);
  return c;
}

bj::object function_calibration::settings() const {
  bj::object o{{"memory_mb", memory_mb}};
  if (init) o["init_ms"] = init->chosen.to_json();
  o["run_ms"] = run.chosen.to_json();
  return o;
}

bj::object function_calibration::report() const {
  bj::object o{{"function", name},
               {"memory_mb", memory_mb},
               {"invocations", invocations},
               {"cold_starts", cold_starts},
               {"unsuccessful", unsuccessful},
               {"billed_mean_ms", to_us(billed_mean_ms)}};
  if (max_memory_used_mb) o["max_memory_used_mb"] = *max_memory_used_mb;
  else o["max_memory_used_mb"] = nullptr;
  if (init) o["init"] = init->to_json();
  else o["init"] = nullptr;
  o["run"] = run.to_json();
  return o;
}

}  // namespace stepsim::study::calibration
