#include "lambda/pool.hpp"

#include <algorithm>

namespace stepsim::lambda {

container pool::create(std::uint64_t id, sim::instant now, bool provisioned, bool prewarmed) {
  ++alive_;
  container c;
  c.id = id;
  c.provisioned = provisioned;
  c.prewarmed = prewarmed;
  c.created = c.ready = now;
  return c;
}

container_record pool::record_of(container const& c) const {
  container_record r;
  r.function = function_;
  r.id = c.id;
  r.provisioned = c.provisioned;
  r.prewarmed = c.prewarmed;
  r.created = c.created;
  r.ready = c.ready;
  r.invocations = c.invocations;
  return r;
}

void pool::reap(container const& c, sim::instant at, char const* reason) {
  --alive_;
  if (!sink) return;
  auto r = record_of(c);
  r.reaped = at;
  r.reason = reason;
  sink->on_container(r);
}

bool pool::past_lifetime(container const& c, sim::instant now) const noexcept {
  return max_lifetime_ && now - c.created >= *max_lifetime_;
}

void pool::idle_until(container c, sim::instant until) {
  c.expiry = until;
  c.expires_by_lifetime = false;
  if (max_lifetime_ && c.created + *max_lifetime_ < until) {
    c.expiry = c.created + *max_lifetime_;
    c.expires_by_lifetime = true;
  }
  idle_.push_back(c);
}

std::optional<container> pool::take_idle(sim::instant now) {
  if (!provisioned_idle_.empty()) {
    auto c = provisioned_idle_.back();
    provisioned_idle_.pop_back();
    return c;
  }
  sweep(now);
  while (!idle_.empty()) {
    auto c = idle_.back();
    idle_.pop_back();
    if (c.expiry > now) return c;
    reap(c, c.expiry, expiry_reason(c));
  }
  return std::nullopt;
}

void pool::sweep(sim::instant now) {
  while (!idle_.empty() && idle_.front().expiry <= now) {
    reap(idle_.front(), idle_.front().expiry, expiry_reason(idle_.front()));
    idle_.pop_front();
  }
}

void pool::sweep_all(sim::instant now) {
  std::erase_if(idle_, [&](container const& c) {
    if (c.expiry > now) return false;
    reap(c, c.expiry, expiry_reason(c));
    return true;
  });
}

void pool::finish(sim::instant now) {
  sweep_all(now);
  if (sink) {
    for (auto const& c : idle_) sink->on_container(record_of(c));
    for (auto const& c : provisioned_idle_) sink->on_container(record_of(c));
  }
  idle_.clear();
  provisioned_idle_.clear();
}

}  // namespace stepsim::lambda
