// stepsim::lambda::latency: a distribution of durations, sampled from a seeded stream.
#pragma once

#include <stepsim/sim/rng.hpp>
#include <stepsim/sim/time.hpp>

#include <boost/json/value.hpp>

#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace stepsim::lambda {

/// A duration distribution. All parameters in milliseconds; samples are
/// rounded to the microsecond, never negative, and capped at `max_ms`.
///
///   constant(ms)                 always `ms`
///   uniform(lo, hi)              uniform in [lo, hi)
///   exponential(mean)            exponential with that mean
///   normal(mean, sd)             normal, truncated at 0
///   lognormal(median, sigma)     exp(N(ln median, sigma)): median `median`, shape `sigma`
///   empirical(q0, ..., qn)       quantiles at the probabilities 0, 1/n, ..., 1 (n >= 1),
///                                linear between them (what `stepsim calibrate` fits
///                                when a lognormal does not)
class latency {
 public:
  enum class kind { constant, uniform, exponential, normal, lognormal, empirical };

  static latency constant(double ms) { return {kind::constant, ms, 0}; }
  static latency uniform(double lo_ms, double hi_ms) { return {kind::uniform, lo_ms, hi_ms}; }
  static latency exponential(double mean_ms) { return {kind::exponential, mean_ms, 0}; }
  static latency normal(double mean_ms, double sd_ms) { return {kind::normal, mean_ms, sd_ms}; }
  static latency lognormal(double median_ms, double sigma) { return {kind::lognormal, median_ms, sigma}; }
  /// Quantiles at equally spaced probabilities, first 0 and last 1: at least
  /// two, at most `max_quantiles`, non-decreasing, each between 0 and `max_ms`
  /// (`from_json` checks this; here the caller guarantees it).
  static latency empirical(std::vector<double> quantiles_ms);

  latency() = default;

  /// The longest duration a sample takes, and the largest millisecond
  /// parameter `from_json` accepts: 10^10 ms, about 116 days (far beyond any
  /// Lambda or orchestration delay, and far from overflowing an instant).
  static constexpr double max_ms = 1e10;
  /// The largest lognormal sigma `from_json` accepts.
  static constexpr double max_sigma = 10;
  /// The most quantiles an empirical distribution takes.
  static constexpr std::size_t max_quantiles = 10001;

  kind type() const noexcept { return kind_; }
  double a() const noexcept { return a_; }
  double b() const noexcept { return b_; }
  /// An empirical distribution's quantiles (empty for the other kinds).
  std::vector<double> const& quantiles() const noexcept;
  /// The distribution's mean, in milliseconds.
  double mean_ms() const noexcept;

  sim::duration sample(sim::random_stream& r) const noexcept;

  /// The p-quantile (p in [0, 1]) in milliseconds, before the cap at `max_ms`.
  double quantile_ms(double p) const noexcept;

  /// Reads `{"constant": 200}`, `{"uniform": [100, 300]}`, `{"exponential": 200}`,
  /// `{"normal": [200, 20]}`, `{"lognormal": [200, 0.2]}`,
  /// `{"empirical": [120, 150, 210, 900]}` or a bare number
  /// (constant). Millisecond parameters must be between 0 and `max_ms`, a
  /// lognormal sigma between 0 and `max_sigma`. On failure nullopt and
  /// `error` says what was expected.
  static std::optional<latency> from_json(boost::json::value const& v, std::string& error);
  boost::json::value to_json() const;

 private:
  latency(kind k, double a, double b) : kind_(k), a_(a), b_(b) {}
  kind kind_ = kind::constant;
  double a_ = 0, b_ = 0;
  // Shared: a latency is copied into every function and scenario; the
  // quantiles never change once built.
  std::shared_ptr<std::vector<double> const> quantiles_;
};

}  // namespace stepsim::lambda
