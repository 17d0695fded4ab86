#include <stepsim/lambda/latency.hpp>

#include <boost/json.hpp>
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>

namespace stepsim::lambda {

namespace json = boost::json;

namespace {

std::vector<double> const no_quantiles;

/// The standard normal's p-quantile, by bisection on its distribution function
/// (used for reports, not per sample): exact to about 1e-12.
double normal_quantile(double p) noexcept {
  if (p <= 0) return -std::numeric_limits<double>::infinity();
  if (p >= 1) return std::numeric_limits<double>::infinity();
  double lo = -40, hi = 40;
  for (int i = 0; i < 200 && hi - lo > 1e-13; ++i) {
    double mid = (lo + hi) / 2;
    if (0.5 * std::erfc(-mid / std::sqrt(2.0)) < p) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

/// Linear interpolation between quantiles at equally spaced probabilities.
double interpolate(std::vector<double> const& q, double p) noexcept {
  double const pos = std::clamp(p, 0.0, 1.0) * double(q.size() - 1);
  auto const i = std::min(std::size_t(pos), q.size() - 2);
  return q[i] + (q[i + 1] - q[i]) * (pos - double(i));
}

}  // namespace

latency latency::empirical(std::vector<double> quantiles_ms) {
  latency l{kind::empirical, 0, 0};
  l.quantiles_ = std::make_shared<std::vector<double> const>(std::move(quantiles_ms));
  return l;
}

std::vector<double> const& latency::quantiles() const noexcept { return quantiles_ ? *quantiles_ : no_quantiles; }

double latency::quantile_ms(double p) const noexcept {
  p = std::clamp(p, 0.0, 1.0);
  switch (kind_) {
    case kind::constant: return a_;
    case kind::uniform: return a_ + (b_ - a_) * p;
    case kind::exponential: return p >= 1 ? max_ms : -a_ * std::log1p(-p);
    case kind::normal: return std::max(0.0, a_ + b_ * normal_quantile(p));
    case kind::lognormal: return a_ * std::exp(b_ * normal_quantile(p));
    case kind::empirical: return interpolate(*quantiles_, p);
  }
  return a_;
}

double latency::mean_ms() const noexcept {
  switch (kind_) {
    case kind::constant: return a_;
    case kind::uniform: return (a_ + b_) / 2;
    case kind::exponential: return a_;
    case kind::normal: return a_;
    case kind::lognormal: return a_ * std::exp(b_ * b_ / 2);
    case kind::empirical: {
      // The mean of the piecewise-linear quantile function: each interval
      // contributes the average of its two ends.
      auto const& q = *quantiles_;
      double sum = 0;
      for (std::size_t i = 0; i + 1 < q.size(); ++i) sum += (q[i] + q[i + 1]) / 2;
      return sum / double(q.size() - 1);
    }
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
    case kind::empirical: ms = interpolate(*quantiles_, r.uniform01()); break;
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
            "{\"exponential\": mean}, {\"normal\": [mean, sd]}, {\"lognormal\": [median, sigma]}, "
            "{\"empirical\": [q0, ..., qn]}";
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
  } else if (key == "empirical") {
    auto const* a = arg.if_array();
    if (!a || a->size() < 2 || a->size() > max_quantiles) {
      error = fmt::format("\"empirical\" takes an array of 2 to {} quantiles in milliseconds, at the probabilities "
                          "0, 1/n, ..., 1", max_quantiles);
      return std::nullopt;
    }
    std::vector<double> q;
    q.reserve(a->size());
    for (std::size_t i = 0; i < a->size(); ++i) {
      auto x = number((*a)[i]);
      if (!x || *x < 0 || *x > max_ms) {
        error = fmt::format("\"empirical\" quantile {} must be a number between 0 and {:.0f} ms", i, max_ms);
        return std::nullopt;
      }
      if (!q.empty() && *x < q.back()) {
        error = fmt::format("\"empirical\" quantiles must not decrease: quantile {} ({}) is below quantile {} ({})", i,
                            *x, i - 1, q.back());
        return std::nullopt;
      }
      q.push_back(*x);
    }
    return empirical(std::move(q));
  } else {
    error = fmt::format("unknown distribution \"{}\"; expected constant, uniform, exponential, normal, lognormal "
                        "or empirical",
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
    case kind::empirical: return json::object{{"empirical", json::array(quantiles_->begin(), quantiles_->end())}};
  }
  return nullptr;
}

}  // namespace stepsim::lambda
