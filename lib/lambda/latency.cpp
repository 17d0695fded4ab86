#include <stepsim/lambda/latency.hpp>

#include <boost/json.hpp>
#include <fmt/format.h>

#include <algorithm>
#include <cmath>

namespace stepsim::lambda {

namespace json = boost::json;

double latency::mean_ms() const noexcept {
  switch (kind_) {
    case kind::constant: return a_;
    case kind::uniform: return (a_ + b_) / 2;
    case kind::exponential: return a_;
    case kind::normal: return a_;
    case kind::lognormal: return a_ * std::exp(b_ * b_ / 2);
  }
  return a_;
}

sim::duration latency::sample(sim::random_stream& r) const noexcept {
  double ms = a_;
  switch (kind_) {
    case kind::constant: break;
    case kind::uniform: ms = r.uniform(a_, b_); break;
    case kind::exponential: ms = r.exponential(a_); break;
    case kind::normal: ms = r.normal(a_, b_); break;
    case kind::lognormal: ms = a_ > 0 ? r.lognormal(std::log(a_), b_) : 0; break;
  }
  if (!(ms > 0)) return sim::duration::zero();
  ms = std::min(ms, max_ms);
  return sim::saturating_milliseconds(ms);
}

std::optional<latency> latency::from_json(json::value const& v, std::string& error) {
  auto number = [](json::value const& x) -> std::optional<double> {
    if (x.is_number()) return x.to_number<double>();
    return std::nullopt;
  };
  if (auto n = number(v)) {
    if (*n < 0 || *n > max_ms) {
      error = fmt::format("a duration in milliseconds must be between 0 and {:.0f}, not {}", max_ms, *n);
      return std::nullopt;
    }
    return constant(*n);
  }
  auto const* o = v.if_object();
  if (!o || o->size() != 1) {
    error = "expected a number of milliseconds or one of {\"constant\": ms}, {\"uniform\": [lo, hi]}, "
            "{\"exponential\": mean}, {\"normal\": [mean, sd]}, {\"lognormal\": [median, sigma]}";
    return std::nullopt;
  }
  // Not a structured binding: clang 14 (the fuzz build) cannot capture one.
  auto const key = o->begin()->key();
  auto const& arg = o->begin()->value();
  auto pair = [&](char const* first, char const* second) -> std::optional<std::pair<double, double>> {
    // A lognormal's second number is its sigma; every other number is milliseconds.
    bool const sigma = key == "lognormal";
    auto const* a = arg.if_array();
    if (a && a->size() == 2) {
      auto x = number((*a)[0]), y = number((*a)[1]);
      if (x && y && *x >= 0 && *y >= 0 && *x <= max_ms && *y <= (sigma ? max_sigma : max_ms)) return std::pair{*x, *y};
    }
    error = sigma ? fmt::format("\"{}\" takes [{}, {}] with {} between 0 and {:.0f} ms and {} between 0 and {:.0f}",
                                std::string_view(key), first, second, first, max_ms, second, max_sigma)
                  : fmt::format("\"{}\" takes [{}, {}] with {} and {} between 0 and {:.0f} ms", std::string_view(key),
                                first, second, first, second, max_ms);
    return std::nullopt;
  };
  auto one = [&](char const* what) -> std::optional<double> {
    auto x = number(arg);
    if (x && *x >= 0 && *x <= max_ms) return x;
    error = fmt::format("\"{}\" takes one number between 0 and {:.0f} ({})", std::string_view(key), max_ms, what);
    return std::nullopt;
  };
  if (key == "constant") {
    if (auto x = one("milliseconds")) return constant(*x);
  } else if (key == "exponential") {
    if (auto x = one("the mean in milliseconds")) return exponential(*x);
  } else if (key == "uniform") {
    if (auto p = pair("lo", "hi")) {
      if (p->first <= p->second) return uniform(p->first, p->second);
      error = "\"uniform\" needs lo <= hi";
    }
  } else if (key == "normal") {
    if (auto p = pair("mean", "sd")) return normal(p->first, p->second);
  } else if (key == "lognormal") {
    if (auto p = pair("median", "sigma")) return lognormal(p->first, p->second);
  } else {
    error = fmt::format("unknown distribution \"{}\"; expected constant, uniform, exponential, normal or lognormal",
                        std::string_view(key));
  }
  return std::nullopt;
}

json::value latency::to_json() const {
  switch (kind_) {
    case kind::constant: return json::object{{"constant", a_}};
    case kind::uniform: return json::object{{"uniform", json::array{a_, b_}}};
    case kind::exponential: return json::object{{"exponential", a_}};
    case kind::normal: return json::object{{"normal", json::array{a_, b_}}};
    case kind::lognormal: return json::object{{"lognormal", json::array{a_, b_}}};
  }
  return nullptr;
}

}  // namespace stepsim::lambda
