#include <stepsim/study/workload.hpp>

#include "study/csv.hpp"

#include <stepsim/json/csv.hpp>
#include <stepsim/json/parse.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

namespace stepsim::study {

namespace {

class thread_group_stream : public arrival_stream {
 public:
  explicit thread_group_stream(workload_spec const& s) : s_(s) {}
  std::optional<arrival> next() override {
    if (period_ >= s_.loops || s_.threads <= 0) return std::nullopt;
    // As JMeter ramps up: request i of a period starts i * ramp_up / threads
    // after the period's start; a period lasts its ramp-up plus the pause.
    auto step = s_.ramp_up / s_.threads;
    auto period_length = s_.ramp_up + s_.pause;
    // Saturating: a million loops of a long pause would pass the end of the tick type.
    auto at = sim::saturating_add(sim::saturating_add(s_.start_offset, sim::saturating_mul(period_length, period_)),
                                  step * thread_);
    arrival a{at, s_.workflow, std::uint32_t(period_), s_.function};
    if (++thread_ == s_.threads) thread_ = 0, ++period_;
    return a;
  }

 private:
  workload_spec s_;
  int period_ = 0, thread_ = 0;
};

/// Arrival k at round(k / rate) seconds, computed for each k rather than by
/// adding a rounded gap: a gap below a microsecond neither rounds to zero
/// (arrivals without end) nor up (too few of them).
class constant_stream : public arrival_stream {
 public:
  explicit constant_stream(workload_spec const& s) : s_(s) {}
  std::optional<arrival> next() override {
    if (!(s_.rate_per_s > 0) || !std::isfinite(s_.rate_per_s)) return std::nullopt;
    const long double us = static_cast<long double>(n_) * 1e6L / static_cast<long double>(s_.rate_per_s);
    if (us >= static_cast<long double>(s_.duration.count())) return std::nullopt;
    ++n_;
    return arrival{s_.start_offset + sim::duration{std::llround(us)}, s_.workflow, 0, s_.function};
  }

 private:
  workload_spec s_;
  std::int64_t n_ = 0;
};

/// Poisson arrivals; an hourly profile scales the rate by thinning (Lewis & Shedler).
class poisson_stream : public arrival_stream {
 public:
  poisson_stream(workload_spec const& s, sim::random_stream r, int start_hour)
      : s_(s), r_(r), start_hour_(start_hour) {
    peak_ = 1;
    if (!s_.hourly.empty()) {
      peak_ = 0;
      for (double m : s_.hourly) peak_ = std::max(peak_, m);
    }
  }
  std::optional<arrival> next() override {
    double rate = s_.rate_per_s * peak_;
    if (!(rate > 0) || !std::isfinite(rate)) return std::nullopt;
    for (;;) {
      t_ += r_.exponential(1.0 / rate);
      auto at = sim::saturating_seconds(t_);
      if (at >= s_.duration) return std::nullopt;
      if (!s_.hourly.empty()) {
        auto hour = (start_hour_ + static_cast<int>(t_ / 3600.0)) % 24;
        double m = s_.hourly[static_cast<std::size_t>(hour)];
        if (!r_.bernoulli(m / peak_)) continue;
      }
      return arrival{s_.start_offset + at, s_.workflow, 0, s_.function};
    }
  }

 private:
  workload_spec s_;
  sim::random_stream r_;
  int start_hour_;
  double peak_;
  double t_ = 0;
};

class trace_stream : public arrival_stream {
 public:
  explicit trace_stream(workload_spec const& s) : s_(s) {}
  std::optional<arrival> next() override {
    if (i_ >= s_.trace.size()) return std::nullopt;
    auto a = s_.trace[i_++];
    a.at += s_.start_offset;
    a.function = s_.function;
    return a;
  }

 private:
  workload_spec s_;
  std::size_t i_ = 0;
};

}  // namespace

std::unique_ptr<arrival_stream> make_stream(workload_spec const& spec, sim::random_stream random, int start_hour) {
  switch (spec.type) {
    case workload_spec::kind::thread_group: return std::make_unique<thread_group_stream>(spec);
    case workload_spec::kind::constant: return std::make_unique<constant_stream>(spec);
    case workload_spec::kind::poisson: return std::make_unique<poisson_stream>(spec, random, start_hour);
    case workload_spec::kind::trace: return std::make_unique<trace_stream>(spec);
  }
  return nullptr;
}

std::vector<arrival> arrivals(workload_spec const& spec, sim::random_stream random, int start_hour) {
  std::vector<arrival> out;
  auto s = make_stream(spec, random, start_hour);
  while (auto a = s->next()) out.push_back(std::move(*a));
  return out;
}

std::optional<std::vector<arrival>> read_trace(std::string const& csv, sim::instant origin,
                                               std::string const& default_workflow, std::string& error) {
  std::vector<arrival> out;
  stepsim::json::csv_reader in(csv, {.trim_blanks = true});
  int start_col = -1, workflow_col = -1;
  std::vector<std::string> cells;
  while (in.next(cells)) {
    auto line_no = in.line();
    if (start_col < 0) {
      for (int i = 0; i < int(cells.size()); ++i) {
        if (cells[std::size_t(i)] == "start") start_col = i;
        if (cells[std::size_t(i)] == "workflow") workflow_col = i;
      }
      if (start_col < 0) {
        error = fmt::format("line {}: the header must name a 'start' column (and optionally 'workflow')", line_no);
        return std::nullopt;
      }
      continue;
    }
    if (int(cells.size()) <= start_col) {
      error = fmt::format("line {}: no 'start' value", line_no);
      return std::nullopt;
    }
    auto const& text = cells[std::size_t(start_col)];
    arrival a;
    a.workflow = workflow_col >= 0 && int(cells.size()) > workflow_col && !cells[std::size_t(workflow_col)].empty()
                     ? cells[std::size_t(workflow_col)]
                     : default_workflow;
    if (auto t = sim::parse_iso8601(text)) {
      a.at = *t - origin;
    } else {
      auto secs = json::read_decimal(text);  // never the locale's decimal point
      if (!secs) {
        error = fmt::format("line {}: start {} is neither seconds from the study start nor an ISO-8601 instant",
                            line_no, detail::echo(text));
        return std::nullopt;
      }
      auto at = sim::seconds_to_duration(*secs);
      if (!at) {
        error = fmt::format("line {}: start {} is out of range: the clock takes {}", line_no, detail::echo(text),
                            sim::seconds_range());
        return std::nullopt;
      }
      a.at = *at;
    }
    if (a.at < sim::duration::zero()) {
      error = fmt::format("line {}: start {} is before the study start", line_no, detail::echo(text));
      return std::nullopt;
    }
    out.push_back(std::move(a));
  }
  if (!in.error().empty()) {
    error = in.error();
    return std::nullopt;
  }
  if (start_col < 0) {
    error = "the trace is empty: expected a header row with a 'start' column";
    return std::nullopt;
  }
  std::stable_sort(out.begin(), out.end(), [](arrival const& x, arrival const& y) { return x.at < y.at; });
  return out;
}

}  // namespace stepsim::study
