// Power Tuning's arithmetic: trimmed means, the tool's prices, per-power statistics and the strategies.
#include <stepsim/study/power_tuning.hpp>

#include <boost/json.hpp>

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace stepsim::study {

namespace json = boost::json;

namespace {

struct regional_price {
  std::string_view region;
  double price;
};

double lookup(std::initializer_list<regional_price> table, std::string_view region, double fallback) {
  for (auto const& p : table)
    if (p.region == region) return p.price;
  return fallback;
}

/// A candidate of the analyzer.
struct candidate {
  int power;
  double cost, duration, total_cost;
};

}  // namespace

double trimmed_mean(std::vector<double> values, double discard) {
  if (values.empty()) return 0;
  auto drop = std::size_t(double(values.size()) * discard);
  auto kept = values.size() - 2 * std::min(drop, values.size() / 2);
  if (kept == 0) return 0;
  std::sort(values.begin(), values.end());
  double sum = 0;
  for (std::size_t i = drop; i < drop + kept; ++i) sum += values[i];
  return sum / double(kept);
}

double power_tuning_ms_price(std::string_view region, lambda::architecture arch) noexcept {
  if (arch == lambda::architecture::arm64) return 1.7e-9;
  return lookup({{"ap-east-1", 2.9e-9},
                 {"af-south-1", 2.8e-9},
                 {"me-south-1", 2.6e-9},
                 {"eu-south-1", 2.4e-9},
                 {"ap-northeast-3", 2.7e-9},
                 {"cn-north-1", 1.42e-8},
                 {"cn-northwest-1", 1.42e-8}},
                region, 2.1e-9);
}

double power_tuning_execution_cost(std::string_view region, std::size_t power_values, bool only_cold_starts, int num) {
  double per_transition = lookup({{"us-gov-west-1", 0.00003},
                                  {"ap-northeast-2", 0.0000271},
                                  {"eu-south-1", 0.00002625},
                                  {"af-south-1", 0.00002975},
                                  {"us-west-1", 0.0000279},
                                  {"eu-west-3", 0.0000297},
                                  {"ap-east-1", 0.0000275},
                                  {"me-south-1", 0.0000275},
                                  {"ap-south-1", 0.0000285},
                                  {"us-gov-east-1", 0.00003},
                                  {"sa-east-1", 0.0000375},
                                  {"cn-north-1", 0.0001891},
                                  {"cn-northwest-1", 0.0001891}},
                                 region, 0.000025);
  auto n = double(power_values);
  double transitions = only_cold_starts ? 6 + n + 2 * n * num : 6 + 3 * n;
  return std::round(per_transition * transitions * 1e5) / 1e5;
}

power_stats compute_power_stats(int value, std::vector<tuning_sample> const& samples, double discard, double ms_price) {
  power_stats s;
  s.value = value;
  s.invocations = int(samples.size());
  std::vector<double> durations, billed;
  durations.reserve(samples.size());
  billed.reserve(samples.size());
  double per_ms = ms_price * value / 128.0;
  for (auto const& x : samples) {
    durations.push_back(x.duration_ms);
    billed.push_back(double(x.billed_ms));
    s.total_cost += double(x.billed_ms) * per_ms;
    s.cold_starts += x.cold;
  }
  s.average_duration = trimmed_mean(std::move(durations), discard);
  s.average_price = std::ceil(trimmed_mean(std::move(billed), discard)) * per_ms;
  return s;
}

json::value analyze_power_stats(std::vector<power_stats> const& stats, power_tuning_input const& in,
                                std::string_view region) {
  std::vector<candidate> c;
  for (auto const& s : stats)
    if (s.average_duration != 0) c.push_back({s.value, s.average_price, s.average_duration, s.total_cost});
  if (c.empty()) throw std::invalid_argument("no power value has results to analyze");

  switch (in.strategy) {
    case tuning_strategy::cost:
      std::stable_sort(c.begin(), c.end(), [](candidate const& a, candidate const& b) {
        return a.cost != b.cost ? a.cost < b.cost : a.duration < b.duration;
      });
      break;
    case tuning_strategy::speed:
      std::stable_sort(c.begin(), c.end(), [](candidate const& a, candidate const& b) {
        return a.duration != b.duration ? a.duration < b.duration : a.cost < b.cost;
      });
      break;
    case tuning_strategy::balanced: {
      double max_cost = 0, max_duration = 0;
      for (auto const& x : c) max_cost = std::max(max_cost, x.cost), max_duration = std::max(max_duration, x.duration);
      double w = in.balanced_weight;
      auto value = [&](candidate const& x) {
        return w * (max_cost > 0 ? x.cost / max_cost : 0) + (1 - w) * x.duration / max_duration;
      };
      std::stable_sort(c.begin(), c.end(), [&](candidate const& a, candidate const& b) { return value(a) < value(b); });
      break;
    }
  }
  double lambda_cost = 0;
  for (auto const& x : c) lambda_cost += x.total_cost;

  json::object out;
  out["power"] = c.front().power;
  out["cost"] = c.front().cost;
  out["duration"] = c.front().duration;
  out["stateMachine"] = json::object{
      {"executionCost", power_tuning_execution_cost(region, stats.size(), in.only_cold_starts, in.num)},
      {"lambdaCost", lambda_cost}};
  if (in.include_output_results) {
    json::array a;
    for (auto const& s : stats)
      a.push_back(json::object{{"value", s.value}, {"averagePrice", s.average_price}, {"averageDuration", s.average_duration}});
    out["stats"] = std::move(a);
  }
  return out;
}

}  // namespace stepsim::study
