#include <stepsim/lambda/keep_alive.hpp>

#include <cmath>
#include <numeric>

namespace stepsim::lambda {

void hybrid_histogram_keep_alive::on_invocation(std::string const& function, sim::instant now) {
  auto& h = functions_[function];
  if (h.counts.empty()) h.counts.assign(static_cast<std::size_t>(s_.bins), 0);
  if (h.last_arrival) {
    auto idle = now - *h.last_arrival;
    auto bin = idle / s_.bin;
    ++h.samples;
    if (bin >= s_.bins) ++h.out_of_range;
    else ++h.counts[static_cast<std::size_t>(bin)];
  }
  h.last_arrival = now;
}

idle_plan hybrid_histogram_keep_alive::plan(std::string const& function, sim::instant, sim::random_stream&) {
  auto range = s_.bin * s_.bins;
  auto it = functions_.find(function);
  if (it == functions_.end()) return {range, std::nullopt};
  auto const& h = it->second;
  std::uint64_t in_range = h.samples - h.out_of_range;
  if (h.samples < std::uint64_t(s_.min_samples) || in_range == 0 ||
      double(h.out_of_range) / double(h.samples) > s_.max_out_of_range)
    return {range, std::nullopt};
  // Representative when the bin counts are concentrated (high coefficient of variation).
  double n = double(h.counts.size());
  double mean = double(in_range) / n;
  double var = 0;
  for (auto c : h.counts) var += (double(c) - mean) * (double(c) - mean);
  double cv = std::sqrt(var / n) / mean;
  if (cv <= s_.cv_threshold) return {range, std::nullopt};
  auto percentile_bin = [&](double pct) {
    double target = pct / 100.0 * double(in_range);
    std::uint64_t acc = 0;
    for (std::size_t i = 0; i < h.counts.size(); ++i) {
      acc += h.counts[i];
      if (double(acc) >= target) return i;
    }
    return h.counts.size() - 1;
  };
  auto head = s_.bin * static_cast<std::int64_t>(percentile_bin(s_.head_percentile));
  auto tail = s_.bin * static_cast<std::int64_t>(percentile_bin(s_.tail_percentile) + 1);
  auto seconds = [](sim::duration d, double factor) {
    return sim::saturating_seconds(std::chrono::duration<double>(d).count() * factor);
  };
  auto prewarm = seconds(head, 1.0 - s_.margin);
  auto keep = seconds(tail, 1.0 + s_.margin) - prewarm;
  if (prewarm <= sim::duration::zero()) return {keep, std::nullopt};
  return {keep, prewarm};
}

}  // namespace stepsim::lambda
