// stepsim::lambda::pool: the execution environments of one function (private to lambda).
#pragma once

#include <stepsim/lambda/record.hpp>
#include <stepsim/sim/time.hpp>

#include <cstdint>
#include <deque>
#include <optional>
#include <string>
#include <vector>

namespace stepsim::lambda {

/// One execution environment.
struct container {
  std::uint64_t id = 0;
  bool provisioned = false;
  bool prewarmed = false;
  sim::instant created{}, ready{};
  sim::instant expiry = sim::instant::max();  ///< end of its keep-alive while idle
  bool expires_by_lifetime = false;           ///< expiry is max_lifetime's, not the keep-alive's
  std::uint64_t invocations = 0;              ///< requests it served (init included for its first)
};

/// The environments of one function: how many are alive, and the idle ones
/// waiting for a request. Busy environments are held by their invocation,
/// not by the pool. Idle on-demand environments are kept in the order they
/// went idle (front = least recently used); a request takes the most recently
/// used one. Expired environments are reaped lazily, at their expiry instant
/// (the record says when), whenever the pool is next looked at.
///
/// Every environment that leaves the pool is reported once to `sink` (when
/// set): when reaped, or by `finish` while still alive.
class pool {
 public:
  /// `max_lifetime`: an environment idle past it is reaped (nullopt: never).
  pool(std::string function, std::optional<sim::duration> max_lifetime)
      : function_(std::move(function)), max_lifetime_(max_lifetime) {}

  record_sink* sink = nullptr;  ///< where reaped environments are reported (not owned)

  /// A new environment, alive from `now` (counted in `alive()`).
  container create(std::uint64_t id, sim::instant now, bool provisioned, bool prewarmed);
  /// Removes `c` (no longer idle in the pool) at `at`, reporting it with `reason`.
  void reap(container const& c, sim::instant at, char const* reason);

  /// Whether `c` has lived `max_lifetime` by `now`.
  bool past_lifetime(container const& c, sim::instant now) const noexcept;
  /// Puts on-demand `c` idle until `until`, or until its lifetime ends if that comes first.
  void idle_until(container c, sim::instant until);
  /// Puts provisioned `c` idle (provisioned environments never expire).
  void idle_provisioned(container c) { provisioned_idle_.push_back(c); }

  /// An idle environment for a request at `now`: a provisioned one first,
  /// else the most recently used on-demand one still within its keep-alive;
  /// nullopt when none. Reaps the expired ones it passes.
  std::optional<container> take_idle(sim::instant now);

  /// Reaps the least recently used idle environments whose keep-alive ended
  /// by `now` (amortized O(1); may leave expired ones behind unexpired ones).
  void sweep(sim::instant now);
  /// Reaps every idle environment expired by `now`, wherever it is (linear in
  /// the idle count: expiries are not in order when keep-alives vary).
  void sweep_all(sim::instant now);

  /// Ends the run at `now`: reaps what expired, reports every environment
  /// still idle as alive, and empties the pool.
  void finish(sim::instant now);

  int alive() const noexcept { return alive_; }
  /// Idle environments held (on-demand, possibly expired but not yet swept, and provisioned).
  std::size_t idle() const noexcept { return idle_.size() + provisioned_idle_.size(); }
  std::string const& function() const noexcept { return function_; }

  /// The record of `c` as reported (reaped and reason unset).
  container_record record_of(container const& c) const;

 private:
  static char const* expiry_reason(container const& c) { return c.expires_by_lifetime ? "lifetime" : "keep-alive"; }

  std::string function_;
  std::optional<sim::duration> max_lifetime_;
  std::deque<container> idle_;  // on-demand, front = least recently used, back = most
  std::vector<container> provisioned_idle_;
  int alive_ = 0;
};

}  // namespace stepsim::lambda
