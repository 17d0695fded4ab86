// The chart sections of the HTML report: average cold vs warm bars, duration
// over time, duration CDFs and containers alive, as inline SVG.
#include "study/svg.hpp"

#include <boost/json.hpp>
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <unordered_set>

namespace stepsim::study::detail {

namespace json = boost::json;
using svg::esc;

namespace {

constexpr std::size_t max_dots = 2000;  ///< per scatter chart
constexpr std::size_t max_steps = 1500; ///< change points per step line before it is down-sampled
constexpr std::size_t cdf_points = 201;

std::string const title_bars = "Average cold vs warm duration";
std::string const title_scatter = "Execution duration over time";
std::string const title_cdf = "Duration distribution (CDF)";
std::string const title_containers = "Containers alive over time";

double seconds_of(sim::duration d) { return std::chrono::duration<double>(d).count(); }
double ms_of(sim::duration d) { return std::chrono::duration<double, std::milli>(d).count(); }

double num(json::object const& o, std::string_view key) {
  auto const* v = o.if_contains(key);
  if (!v) return 0;
  if (v->is_double()) return v->get_double();
  if (v->is_int64()) return double(v->get_int64());
  if (v->is_uint64()) return double(v->get_uint64());
  return 0;
}

std::string str(json::object const& o, std::string_view key) {
  auto const* v = o.if_contains(key);
  return v && v->is_string() ? std::string(v->get_string()) : std::string();
}

std::vector<json::object const*> objects(json::object const& o, std::string_view key) {
  std::vector<json::object const*> out;
  if (auto const* v = o.if_contains(key); v && v->is_array())
    for (auto const& e : v->get_array())
      if (e.is_object()) out.push_back(&e.get_object());
  return out;
}

/// Seconds, minutes or hours, whichever keeps the time axis readable.
struct time_unit {
  double per;
  char const* name;
};
time_unit unit_for(double span_s) {
  if (span_s <= 900) return {1, "s"};
  if (span_s <= 36000) return {60, "min"};
  return {3600, "h"};
}

std::string empty_chart(std::string const& title, std::string const& message, double w = 460, double h = 140) {
  svg::chart c(w, h, title);
  c.set_margins(16, 16, 30, 10);
  c.add(fmt::format(R"(<text x="{}" y="{}" class="empty">{}</text>)", svg::coord(w / 2), svg::coord(h / 2 + 10),
                    esc(message)));
  return "<figure>\n" + c.finish() + "</figure>\n";
}

// ---- a. duration over time ----------------------------------------------------

struct point {
  double t_s;  ///< since the start
  double ms;
  bool cold;
};

std::string scatter_chart(std::string const& title, std::vector<point> const& pts, double span_s, double y_max,
                          std::string const& since) {
  if (pts.empty()) return empty_chart(title, "no executions");
  auto u = unit_for(span_s);
  svg::chart c(460, 290, title);
  std::size_t n_cold = 0;
  for (auto const& p : pts) n_cold += p.cold;
  std::vector<svg::legend_item> legend{
      {fmt::format("warm ({})", svg::number(double(pts.size() - n_cold), 0)), svg::warm_colour, "dot", ""},
      {fmt::format("cold ({})", svg::number(double(n_cold), 0)), svg::cold_colour, "square", ""}};
  c.set_legend(legend);
  c.set_inset(6);
  c.set_x(svg::nice_axis(0, std::max(span_s / u.per, 1e-3), 6), fmt::format("time since {} ({})", since, u.name));
  c.set_y(svg::nice_axis(0, y_max, 5), "duration (ms)");
  // Thin: one dot per 2-pixel cell and class (what would be drawn over anyway), then a fixed stride.
  std::vector<point const*> kept;
  std::unordered_set<std::uint64_t> cells;
  for (auto const& p : pts) {
    auto cx = std::uint64_t(std::max(0.0, std::floor(c.px(p.t_s / u.per) / 2)));
    auto cy = std::uint64_t(std::max(0.0, std::floor(c.py(p.ms) / 2)));
    if (cells.insert((cx << 32) | (cy << 1) | std::uint64_t(p.cold)).second) kept.push_back(&p);
  }
  std::size_t stride = 1;
  if (kept.size() > max_dots) {
    stride = (kept.size() + max_dots - 1) / max_dots;
    std::vector<point const*> fewer;
    for (std::size_t i = 0; i < kept.size(); i += stride) fewer.push_back(kept[i]);
    kept.swap(fewer);
  }
  std::vector<std::pair<double, double>> warm, cold;
  for (auto const* p : kept) (p->cold ? cold : warm).emplace_back(p->t_s / u.per, p->ms);
  c.dots(warm, svg::warm_colour, false, 5);
  c.dots(cold, svg::cold_colour, true, 4.5);
  // Dots that would land on one another are drawn once; beyond that, say how many are left out.
  c.set_note(stride > 1 ? fmt::format("{} executions, 1 dot in {} drawn", svg::number(double(pts.size()), 0), stride)
                        : fmt::format("{} executions", svg::number(double(pts.size()), 0)));
  return "<figure>\n" + c.finish() + "</figure>\n";
}

// ---- b. average cold vs warm bars ----------------------------------------------------

struct bar_group {
  std::string label;
  double cold = 0, warm = 0;
  bool has_cold = false, has_warm = false;
};

std::string bar_chart(std::string const& title, std::vector<bar_group> const& groups) {
  if (groups.empty()) return empty_chart(title, "no data");
  double label_w = 60;
  for (auto const& g : groups) label_w = std::max(label_w, svg::text_width(g.label, 12));
  double bar = 13, pad = 14, group_h = 2 * bar + 2 + pad;
  svg::chart c(640, 0, title);
  std::vector<svg::legend_item> legend{{"avg cold (ms)", svg::cold_colour, "bar", ""},
                                       {"avg warm (ms)", svg::warm_colour, "bar", ""}};
  double top = 50, height = top + double(groups.size()) * group_h + 44;
  c = svg::chart(640, height, title);
  c.set_legend(legend);
  c.set_margins(label_w + 18, 64, top, 44);
  double vmax = 0;
  for (auto const& g : groups) vmax = std::max({vmax, g.has_cold ? g.cold : 0.0, g.has_warm ? g.warm : 0.0});
  auto xa = svg::nice_axis(0, std::max(vmax, 1.0), 5);
  svg::axis ya;
  ya.lo = 0, ya.hi = double(groups.size());
  c.set_x(xa, "average execution duration (ms)");
  c.set_y(ya, "");
  std::string grid;
  for (double t : xa.ticks)
    if (t > 0) grid += "M" + svg::coord(c.px(t)) + " " + svg::coord(c.top()) + "V" + svg::coord(c.bottom());
  std::string marks = fmt::format(R"(<path d="{}" stroke="#e4e4e4"/>)", grid) + "\n";
  for (std::size_t i = 0; i < groups.size(); ++i) {
    auto const& g = groups[i];
    double y0 = c.top() + pad / 2 + double(i) * group_h;
    marks += fmt::format(R"(<text x="{}" y="{}" class="bc">{}</text>)", svg::coord(c.left() - 8),
                         svg::coord(y0 + bar + 5), esc(g.label));
    auto one = [&](bool has, double v, double y, char const* colour, char const* what) {
      if (!has) {
        marks += fmt::format(R"(<text x="{}" y="{}" class="bv" font-style="italic">no {} executions</text>)",
                             svg::coord(c.left() + 4), svg::coord(y + bar - 3), what);
        return;
      }
      double x1 = c.px(v);
      marks += fmt::format(R"(<rect x="{}" y="{}" width="{}" height="{}" fill="{}"/>)", svg::coord(c.left()),
                           svg::coord(y), svg::coord(std::max(x1 - c.left(), 1.0)), svg::coord(bar), colour);
      marks += fmt::format(R"(<text x="{}" y="{}" class="bv">{}</text>)", svg::coord(x1 + 4),
                           svg::coord(y + bar - 2.5), esc(svg::number(v, v >= 100 ? 0 : 1)));
    };
    one(g.has_cold, g.cold, y0, svg::cold_colour, "cold");
    one(g.has_warm, g.warm, y0 + bar + 2, svg::warm_colour, "warm");
    marks += "\n";
  }
  c.add(marks);
  return "<figure>\n" + c.finish() + "</figure>\n";
}

// ---- c. duration CDF ---------------------------------------------------------------------

std::string cdf_chart(std::string const& title, std::vector<std::pair<std::string, duration_stats const*>> const& lines) {
  double xmax = 0;
  std::size_t total = 0;
  for (auto const& [label, st] : lines) xmax = std::max(xmax, st->max()), total += st->count();
  if (total == 0) return empty_chart(title, "no executions");
  svg::chart c(600, 0, title);
  std::vector<svg::legend_item> legend;
  for (std::size_t i = 0; i < lines.size(); ++i) {
    auto s = svg::series_style(i);
    legend.push_back({lines[i].first, s.colour, "line", s.dash});
  }
  c = svg::chart(600, 250 + 16.0 * double(svg::chart::legend_rows(legend, 600 - 64 - 18)), title);
  c.set_legend(legend);
  c.set_x(svg::nice_axis(0, xmax, 6), "execution duration (ms)");
  c.set_y(svg::nice_axis(0, 1, 4), "executions at or under", [](double v, int) { return svg::number(v * 100, 0) + "%"; });
  for (std::size_t i = 0; i < lines.size(); ++i) {
    auto pts = lines[i].second->cdf(cdf_points);
    c.line(pts, svg::series_style(i), 2);
  }
  return "<figure>\n" + c.finish() + "</figure>\n";
}

// ---- d. containers alive --------------------------------------------------------------

std::string containers_chart(std::string const& title, run_result const& r,
                             std::vector<std::string> const& all_functions) {
  if (r.containers.empty()) return empty_chart(title, "no containers", 600);
  double span = std::max(seconds_of(r.end - r.start), 1e-3);
  for (auto const& k : r.containers) {
    span = std::max(span, seconds_of(k.created - r.start));
    if (k.reaped) span = std::max(span, seconds_of(*k.reaped - r.start));
  }
  auto u = unit_for(span);
  std::map<std::string, std::vector<std::pair<sim::duration, int>>> events;
  for (auto const& k : r.containers) {
    auto& e = events[k.function];
    e.emplace_back(k.created - r.start, +1);
    if (k.reaped) e.emplace_back(*k.reaped - r.start, -1);
  }
  std::map<std::string, std::vector<std::pair<double, double>>> lines;
  double ymax = 1;
  for (auto& [function, e] : events) {
    std::sort(e.begin(), e.end());
    std::vector<std::pair<double, double>> pts{{0.0, 0.0}};
    int alive = 0;
    for (std::size_t i = 0; i < e.size();) {
      auto t = e[i].first;
      for (; i < e.size() && e[i].first == t; ++i) alive += e[i].second;
      double x = seconds_of(t) / u.per;
      if (pts.back().first == x) pts.back().second = alive;
      else pts.emplace_back(x, alive);
      ymax = std::max(ymax, double(alive));
    }
    if (pts.size() > max_steps) {
      // Down-sample: the peak of each of 600 equal intervals.
      constexpr int bins = 600;
      double w = span / u.per / bins;
      std::vector<std::pair<double, double>> peak;
      double current = 0;
      std::size_t j = 0;
      for (int b = 0; b < bins; ++b) {
        double b1 = w * (b + 1);
        double m = current;
        for (; j < pts.size() && pts[j].first < b1; ++j) current = pts[j].second, m = std::max(m, current);
        if (peak.empty() || peak.back().second != m) peak.emplace_back(w * b, m);
      }
      pts.swap(peak);
    }
    lines[function] = std::move(pts);
  }
  std::vector<svg::legend_item> legend;
  std::vector<std::pair<std::size_t, std::string>> order;
  for (auto const& [function, pts] : lines) {
    auto idx = std::size_t(std::find(all_functions.begin(), all_functions.end(), function) - all_functions.begin());
    order.emplace_back(idx, function);
  }
  for (auto const& [idx, function] : order) {
    auto s = svg::series_style(idx);
    legend.push_back({function, s.colour, "line", s.dash});
  }
  svg::chart c(600, 240 + 16.0 * double(svg::chart::legend_rows(legend, 600 - 64 - 18)), title);
  c.set_legend(legend);
  c.set_x(svg::nice_axis(0, span / u.per, 6), fmt::format("time since start ({})", u.name));
  c.set_y(svg::nice_axis(0, ymax, 5, true), "containers alive");
  for (auto const& [idx, function] : order) c.steps(lines[function], span / u.per, svg::series_style(idx), 2);
  return "<figure>\n" + c.finish() + "</figure>\n";
}

// ---- the data behind the charts -----------------------------------------------------------

std::string section(std::string const& title, std::string const& lead) {
  return "<h2>" + esc(title) + "</h2>\n<p class=\"lead\">" + esc(lead) + "</p>\n";
}

std::string simulation_charts(json::object const& summary, std::vector<run_result> const& runs) {
  // Scenarios in the summary's order (those with runs), then any others in run order.
  std::vector<std::string> scenarios;
  for (auto const* sc : objects(summary, "scenarios")) {
    auto name = str(*sc, "name");
    if (std::any_of(runs.begin(), runs.end(), [&](auto const& r) { return r.scenario == name; }))
      scenarios.push_back(name);
  }
  for (auto const& r : runs)
    if (std::find(scenarios.begin(), scenarios.end(), r.scenario) == scenarios.end()) scenarios.push_back(r.scenario);
  std::map<std::string, run_result const*> first;
  std::map<std::string, std::map<std::string, duration_stats>> pooled;  // scenario -> workflow -> durations
  std::set<std::string> workflow_set, function_set;
  for (auto const& r : runs) {
    auto& f = first[r.scenario];
    if (!f || r.replication < f->replication) f = &r;
    for (auto const& [w, t] : r.workflows) {
      workflow_set.insert(w);
      auto& p = pooled[r.scenario];
      if (auto it = p.find(w); it == p.end()) p.emplace(w, t.all);
      else it->second.merge(t.all);
    }
    for (auto const& [fname, ft] : r.lambda.functions) function_set.insert(fname);
    for (auto const& k : r.containers) function_set.insert(k.function);
  }
  std::vector<std::string> workflows(workflow_set.begin(), workflow_set.end());
  std::vector<std::string> functions(function_set.begin(), function_set.end());
  bool several = false;
  for (auto const& r : runs) several = several || r.replication != first[r.scenario]->replication;
  std::string o;

  // b. Average cold vs warm per workflow across scenarios, from the summary (all replications).
  o += section(title_bars,
               "Per workflow, the average duration of cold executions (at least one cold start) and of warm ones, in "
               "each scenario. The gap between the two bars is what cold starts cost.");
  o += "<div class=\"grid wide\">\n";
  for (auto const& w : workflows) {
    std::vector<bar_group> groups;
    for (auto const* sc : objects(summary, "scenarios")) {
      for (auto const* row : objects(*sc, "workflows")) {
        if (str(*row, "workflow") != w) continue;
        groups.push_back({str(*sc, "name"), num(*row, "avg_cold_ms"), num(*row, "avg_warm_ms"),
                          num(*row, "cold_executions") > 0, num(*row, "warm_executions") > 0});
      }
    }
    o += bar_chart(w, groups);
  }
  o += "</div>\n";

  // a. Duration over time, first replication of each scenario.
  o += section(title_scatter,
               std::string("Each dot is one execution: when it started and how long it took, orange squares for cold "
                           "executions, blue dots for warm ones. ") +
                   (several ? "First replication of each scenario; " : "") +
                   "the duration axis is shared by the charts of a workflow.");
  bool any_points = false;
  for (auto const& w : workflows) {
    double ymax = 0;
    for (auto const& sc : scenarios)
      for (auto const& e : first[sc]->executions)
        if (e.workflow == w) ymax = std::max(ymax, ms_of(e.duration())), any_points = true;
    if (!any_points) continue;
    o += "<h3>" + esc(w) + "</h3>\n<div class=\"grid\">\n";
    for (auto const& sc : scenarios) {
      auto const& r = *first[sc];
      std::vector<point> pts;
      double span = 0;
      for (auto const& e : r.executions) {
        if (e.workflow != w) continue;
        pts.push_back({seconds_of(e.start - r.start), ms_of(e.duration()), e.cold()});
        span = std::max(span, pts.back().t_s);
      }
      o += scatter_chart(sc + " \u00b7 " + w, pts, span, ymax, "start");
    }
    o += "</div>\n";
  }
  if (!any_points) o += "<p class=\"lead\">No per-execution data: the study does not keep executions.</p>\n";

  // c. CDF per workflow, one line per scenario (all replications).
  o += section(title_cdf,
               "For each duration, the share of executions that took at most that long, one line per scenario. "
               "Lines further left are faster; a step shows a group of cold executions.");
  o += "<div class=\"grid wide\">\n";
  for (auto const& w : workflows) {
    std::vector<std::pair<std::string, duration_stats const*>> lines;
    for (auto const& sc : scenarios)
      if (auto it = pooled[sc].find(w); it != pooled[sc].end()) lines.emplace_back(sc, &it->second);
    o += cdf_chart(w, lines);
  }
  o += "</div>\n";

  // d. Containers alive, first replication of each scenario.
  o += section(title_containers,
               std::string("Execution environments alive per function, from creation (including init) until they are "
                           "reaped or the run ends") +
                   (several ? "; first replication of each scenario." : "."));
  o += "<div class=\"grid wide\">\n";
  for (auto const& sc : scenarios) o += containers_chart(sc, *first[sc], functions);
  o += "</div>\n";
  return o;
}

std::string analysis_charts(json::object const& summary, std::vector<exported_execution> const* rows) {
  std::string o;
  // b. From the by-period table.
  std::vector<bar_group> groups;
  for (auto const* row : objects(summary, "by_period"))
    groups.push_back({str(*row, "workflow"), num(*row, "avg_cold_ms"), num(*row, "avg_warm_ms"),
                      num(*row, "cold_executions") > 0, num(*row, "warm_executions") > 0});
  o += section(title_bars,
               "Per workflow, the average duration of the executions of cold periods and of warm ones.");
  o += "<div class=\"grid wide\">\n" + bar_chart("by workflow", groups) + "</div>\n";
  if (!rows || rows->empty()) return o;

  // Classify the rows as the analysis does (cold periods), per workflow.
  auto gap = [&](std::string_view key) {
    return sim::saturating_seconds(num(summary, key));
  };
  auto period_gap = gap("period_gap_s"), cold_gap = gap("cold_gap_s");
  std::map<std::string, std::vector<exported_execution const*>> by_workflow;
  auto t0 = rows->front().start;
  for (auto const& r : *rows) by_workflow[r.workflow].push_back(&r), t0 = std::min(t0, r.start);
  std::map<std::string, std::vector<point>> points;
  std::map<std::string, duration_stats> stats;
  double ymax = 0;
  for (auto& [w, list] : by_workflow) {
    std::stable_sort(list.begin(), list.end(), [](auto* a, auto* b) { return a->start < b->start; });
    std::optional<sim::instant> busy_until;
    bool cold = false;
    auto& st = stats.emplace(w, duration_stats(true)).first->second;
    for (auto const* e : list) {
      if (!busy_until || e->start - *busy_until >= period_gap)
        cold = !busy_until || e->start - *busy_until >= cold_gap;
      busy_until = busy_until ? std::max(*busy_until, e->stop) : e->stop;
      double ms = ms_of(e->stop - e->start);
      points[w].push_back({seconds_of(e->start - t0), ms, cold});
      st.add(ms);
      ymax = std::max(ymax, ms);
    }
  }
  // a.
  o += section(title_scatter,
               "Each dot is one execution: when it started and how long it took, orange squares for executions of "
               "cold periods, blue dots for warm ones.");
  o += "<div class=\"grid\">\n";
  for (auto const& [w, pts] : points) {
    double span = 0;
    for (auto const& p : pts) span = std::max(span, p.t_s);
    o += scatter_chart(w, pts, span, ymax, "first execution");
  }
  o += "</div>\n";
  // c.
  o += section(title_cdf, "For each duration, the share of executions that took at most that long, per workflow.");
  std::vector<std::pair<std::string, duration_stats const*>> lines;
  for (auto const& [w, st] : stats) lines.emplace_back(w, &st);
  o += "<div class=\"grid wide\">\n" + cdf_chart("by workflow", lines) + "</div>\n";
  o += "<p class=\"lead\">Containers alive over time need a simulation: exported executions do not show "
       "execution environments.</p>\n";
  return o;
}

}  // namespace

std::string report_charts(json::object const& summary, std::vector<run_result> const* runs,
                          std::vector<exported_execution> const* rows, bool analysis) {
  if (analysis) return analysis_charts(summary, rows);
  if (!runs || runs->empty()) return "<p class=\"lead\">No runs: the summary's tables only.</p>\n";
  return simulation_charts(summary, *runs);
}

}  // namespace stepsim::study::detail
