// stepsim::lambda keep-alive policies: how long an idle container stays warm.
#pragma once

#include <stepsim/lambda/latency.hpp>
#include <stepsim/sim/rng.hpp>
#include <stepsim/sim/time.hpp>

#include <array>
#include <map>
#include <memory>
#include <optional>
#include <string>

namespace stepsim::lambda {

/// What a policy decides when a container goes idle.
struct idle_plan {
  /// Keep the container warm this long after it went idle, then reap it.
  sim::duration keep_alive{};
  /// Pre-warming (hybrid histogram): unload the container at once and load a
  /// fresh one (paying init, but not in any request's time) this long after
  /// the invocation ended; the fresh one then stays warm for `keep_alive`.
  std::optional<sim::duration> prewarm_after;
};

/// A keep-alive policy. The service calls `on_invocation` at every request
/// (idle-time history policies learn from it) and `plan` each time one of the
/// function's containers goes idle.
class keep_alive_policy {
 public:
  virtual ~keep_alive_policy() = default;
  virtual void on_invocation(std::string const& function, sim::instant now) { (void)function, (void)now; }
  virtual idle_plan plan(std::string const& function, sim::instant now, sim::random_stream& r) = 0;
};

/// Every idle container stays warm for the same time. Default 10 minutes:
/// AWS does not publish its keep-alive; measurements commonly report idle
/// environments reclaimed after 5 to 15 minutes, "Serverless in the Wild"
/// (Shahrad et al., ATC 2020) describes AWS's policy as a fixed 10 minutes,
/// and SimFaaS uses 600 s in its validation.
class fixed_keep_alive : public keep_alive_policy {
 public:
  explicit fixed_keep_alive(sim::duration d = std::chrono::minutes(10)) : d_(d) {}
  idle_plan plan(std::string const&, sim::instant, sim::random_stream&) override { return {d_, std::nullopt}; }

 private:
  sim::duration d_;
};

/// Each idle period's keep-alive drawn from a distribution.
class random_keep_alive : public keep_alive_policy {
 public:
  explicit random_keep_alive(latency d) : d_(d) {}
  idle_plan plan(std::string const&, sim::instant, sim::random_stream& r) override { return {d_.sample(r), std::nullopt}; }

 private:
  latency d_;
};

/// The hybrid histogram policy of "Serverless in the Wild" (Shahrad et al.,
/// ATC 2020), per function: a histogram of idle times (time between one
/// invocation's arrival and the next) in 1-minute bins over a 4-hour range.
/// With enough samples and a representative pattern (coefficient of variation
/// of the bin counts above `cv_threshold`), the pre-warm window is the
/// `head_percentile` of idle times (minus a 10% margin) and the keep-alive
/// window reaches the `tail_percentile` (plus 10%); a container is unloaded
/// after each invocation and pre-loaded when the pre-warm window ends. When
/// the pattern is not representative, or too many idle times fall outside the
/// range, it keeps containers for the whole range (standard keep-alive), as the
/// paper's fallback does (its ARIMA branch for out-of-range patterns is not
/// modelled).
class hybrid_histogram_keep_alive : public keep_alive_policy {
 public:
  struct settings {
    sim::duration bin = std::chrono::minutes(1);
    int bins = 240;                ///< 4 hours
    double head_percentile = 5;
    double tail_percentile = 99;
    double margin = 0.10;
    double cv_threshold = 2;
    int min_samples = 10;
    double max_out_of_range = 0.5;  ///< share of idle times beyond the range that triggers the fallback
  };
  hybrid_histogram_keep_alive() : hybrid_histogram_keep_alive(settings{}) {}
  explicit hybrid_histogram_keep_alive(settings s) : s_(s) {}

  void on_invocation(std::string const& function, sim::instant now) override;
  idle_plan plan(std::string const& function, sim::instant now, sim::random_stream& r) override;

 private:
  struct history {
    std::optional<sim::instant> last_arrival;
    std::vector<std::uint32_t> counts;
    std::uint64_t samples = 0, out_of_range = 0;
  };
  settings s_;
  std::map<std::string, history> functions_;
};

}  // namespace stepsim::lambda
