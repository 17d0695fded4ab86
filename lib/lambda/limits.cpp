#include "lambda/limits.hpp"

#include <stepsim/lambda/service.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <stdexcept>

namespace stepsim::lambda {

limits::limits(int account_concurrency, int scaling_burst, sim::duration scaling_period)
    : account_concurrency_(account_concurrency), scaling_burst_(scaling_burst), scaling_period_(scaling_period) {}

limits::limits(service_config const& c) : limits(c.account_concurrency, c.scaling_burst, c.scaling_period) {}

limits::function_share limits::add(std::string const& function, std::optional<int> reserved, sim::instant now) {
  int r = reserved.value_or(0);
  if (reserved_total_ + r > account_concurrency_)
    throw std::invalid_argument(fmt::format("function '{}': reserved concurrency {} leaves less than none of the "
                                            "account's {} for the others",
                                            function, r, account_concurrency_));
  reserved_total_ += r;
  function_share f;
  f.reserved = reserved;
  f.tokens = double(scaling_burst_);
  f.tokens_at = now;
  return f;
}

bool limits::allows(function_share const& f) const noexcept {
  if (account_in_flight_ >= account_concurrency_) return false;
  if (f.reserved) return f.in_flight < *f.reserved;
  return unreserved_in_flight_ < account_concurrency_ - reserved_total_;
}

bool limits::take_token(function_share& f, sim::instant now) noexcept {
  double per_us = double(scaling_burst_) / double(scaling_period_.count());
  f.tokens = std::min(double(scaling_burst_), f.tokens + double((now - f.tokens_at).count()) * per_us);
  f.tokens_at = now;
  if (f.tokens < 1) return false;
  f.tokens -= 1;
  return true;
}

void limits::enter(function_share& f) noexcept {
  ++f.in_flight;
  ++account_in_flight_;
  if (!f.reserved) ++unreserved_in_flight_;
}

void limits::leave(function_share& f) noexcept {
  --f.in_flight;
  --account_in_flight_;
  if (!f.reserved) --unreserved_in_flight_;
}

}  // namespace stepsim::lambda
