// stepsim::lambda::limits: account concurrency, reserved concurrency and the scaling rate (private to lambda).
#pragma once

#include <stepsim/sim/time.hpp>

#include <optional>
#include <string>

namespace stepsim::lambda {

struct service_config;

/// The admission rules of the account: how many requests may run at once
/// (the account's concurrency, less what functions reserve, shared by the
/// functions without a reservation; a reservation is also its function's
/// cap) and how fast each function may add environments (a token bucket of
/// `scaling_burst` tokens refilled continuously over `scaling_period`).
class limits {
 public:
  /// One function's share: its reservation, requests in flight, scaling tokens.
  struct function_share {
    std::optional<int> reserved;
    int in_flight = 0;
    double tokens = 0;
    sim::instant tokens_at{};
  };

  limits(int account_concurrency, int scaling_burst, sim::duration scaling_period);
  explicit limits(service_config const& c);

  /// A share for a new function at `now`, with a full token bucket. Throws
  /// std::invalid_argument (naming `function`) when its reservation would
  /// leave the other functions less than nothing.
  function_share add(std::string const& function, std::optional<int> reserved, sim::instant now);

  /// May one more request of `f` run now?
  bool allows(function_share const& f) const noexcept;
  /// Takes a token for a new environment of `f` at `now`, if one is left.
  bool take_token(function_share& f, sim::instant now) noexcept;
  /// A request of `f` starts / ends running.
  void enter(function_share& f) noexcept;
  void leave(function_share& f) noexcept;

  int account_in_flight() const noexcept { return account_in_flight_; }

 private:
  int account_concurrency_;
  int scaling_burst_;
  sim::duration scaling_period_;
  int account_in_flight_ = 0;
  int unreserved_in_flight_ = 0;
  int reserved_total_ = 0;
};

}  // namespace stepsim::lambda
