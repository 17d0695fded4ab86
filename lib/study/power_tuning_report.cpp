// The Power Tuning report: the result, the cost/speed chart and the statistics, in one self-contained page.
//
// The chart is Power Tuning's: one point per power value tested (x, evenly
// spaced as the tool's visualization draws them), average duration on the
// left axis and average cost per invocation on the right one.
#include <stepsim/study/power_tuning.hpp>

#include "study/svg.hpp"

#include <stepsim/asl/json_text.hpp>

#include <boost/json.hpp>
#include <fmt/format.h>

#include <algorithm>
#include <cmath>

namespace stepsim::study {

namespace json = boost::json;
using svg::esc;

namespace {

constexpr char const* css = R"(
*{box-sizing:border-box}
body{margin:0;background:#f4f5f7;color:#1f2328;font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif}
main{max-width:1100px;margin:0 auto;padding:20px 28px 40px}
header,figure{background:#fff;border:1px solid #d8dbe0;border-radius:8px;padding:16px 20px;margin:0 0 18px}
h1{font-size:24px;margin:0 0 4px}
h2{font-size:19px;margin:24px 0 6px;padding-bottom:4px;border-bottom:2px solid #d8dbe0}
p.meta{margin:0 0 8px;color:#555}
p.meta b{color:#1f2328}
svg{display:block;max-width:100%;height:auto;font-family:inherit}
svg text{fill:#1f2328;font-size:12px}
svg text.t{font-size:14px;font-weight:600}
svg text.yt{font-size:11px;text-anchor:end;fill:#444}
svg text.yr{font-size:11px;text-anchor:start;fill:#444}
svg text.xt{font-size:11px;text-anchor:middle;fill:#444}
svg text.xl{font-size:12px;text-anchor:middle;fill:#444}
svg text.nt{font-size:11px;text-anchor:end;fill:#6a6f76}
table{border-collapse:collapse;background:#fff;border:1px solid #d8dbe0;font-variant-numeric:tabular-nums}
th,td{padding:4px 10px;border-bottom:1px solid #eceef1;text-align:left;white-space:nowrap}
thead th{background:#eef1f5;font-weight:600}
th.n,td.n{text-align:right}
tr.best>*{background:#e8f3ec;font-weight:600}
pre{background:#fff;border:1px solid #d8dbe0;border-radius:8px;padding:12px 16px;overflow-x:auto;font-size:12px}
footer{margin-top:28px;color:#6a6f76;font-size:12px}
)";

constexpr char const* duration_colour = "#D55E00";  // vermillion, as the tool's time line is red
constexpr char const* cost_colour = "#0072B2";      // blue

/// Dollars with enough decimals to show a per-invocation price (about four significant digits).
std::string usd(double v) {
  if (v == 0) return "$0";
  int decimals = std::clamp(3 - int(std::floor(std::log10(std::fabs(v)))), 2, 14);
  return "$" + svg::number(v, decimals);
}

std::string usd_tick(double v, int decimals) { return "$" + svg::short_number(v, decimals); }

std::string chart(std::vector<power_stats> const& stats, int best) {
  svg::chart c(960, 380, "Average duration and cost per invocation, by memory");
  c.set_margins(72, 96, 48, 50);
  c.set_legend({{"average duration (ms)", duration_colour, "line", ""}, {"average cost (USD)", cost_colour, "line", ""}});
  if (stats.empty()) return c.finish();
  double max_duration = 0, max_cost = 0;
  for (auto const& s : stats)
    max_duration = std::max(max_duration, s.average_duration), max_cost = std::max(max_cost, s.average_price);
  auto n = double(stats.size());
  svg::axis x;
  x.lo = -0.5, x.hi = n - 0.5;
  c.set_x(x, "memory (MB)");
  c.set_y(svg::nice_axis(0, max_duration), "average duration (ms)");
  auto cost_axis = svg::nice_axis(0, max_cost);
  // The cost axis on the right: its own scale over the same plot height.
  auto py_cost = [&](double v) {
    return c.bottom() - (c.bottom() - c.top()) * (v - cost_axis.lo) / (cost_axis.hi - cost_axis.lo);
  };
  std::string marks;
  for (double t : cost_axis.ticks)
    marks += fmt::format(R"(<text x="{}" y="{}" class="yr">{}</text>)", svg::coord(c.right() + 6),
                         svg::coord(py_cost(t) + 4), esc(usd_tick(t, cost_axis.decimals)));
  marks += fmt::format(R"x(<text transform="translate({} {}) rotate(90)" class="xl">average cost (USD)</text>)x",
                       svg::coord(c.right() + 84), svg::coord((c.top() + c.bottom()) / 2));
  marks += fmt::format(R"(<path d="M{} {}V{}" stroke="#555" stroke-width="1"/>)", svg::coord(c.right()),
                       svg::coord(c.top()), svg::coord(c.bottom()));
  for (std::size_t i = 0; i < stats.size(); ++i)
    marks += fmt::format(R"(<text x="{}" y="{}" class="xt">{}</text>)", svg::coord(c.px(double(i))),
                         svg::coord(c.bottom() + 16), stats[i].value);
  if (best >= 0)
    marks += fmt::format(R"(<path d="M{} {}V{}" stroke="#009E73" stroke-width="1.5" stroke-dasharray="4 3"/>)",
                         svg::coord(c.px(best)), svg::coord(c.top()), svg::coord(c.bottom()));
  c.add(marks + "\n");
  std::vector<std::pair<double, double>> durations, costs_px;
  for (std::size_t i = 0; i < stats.size(); ++i) durations.emplace_back(double(i), stats[i].average_duration);
  c.line(durations, {duration_colour, ""}, 2.5);
  c.dots(durations, duration_colour, false, 7);
  // The cost line, drawn in pixels on its own axis.
  std::string d;
  for (std::size_t i = 0; i < stats.size(); ++i)
    d += (i ? "L" : "M") + svg::coord(c.px(double(i))) + " " + svg::coord(py_cost(stats[i].average_price));
  std::string dots;
  for (std::size_t i = 0; i < stats.size(); ++i)
    dots += "M" + svg::coord(c.px(double(i))) + " " + svg::coord(py_cost(stats[i].average_price)) + "h0";
  c.add(fmt::format(R"(<path d="{}" stroke="{}" stroke-width="2.5" fill="none" stroke-linejoin="round"/>)", d,
                    cost_colour) +
        fmt::format(R"(<path d="{}" stroke="{}" stroke-width="7" stroke-linecap="square" fill="none"/>)", dots,
                    cost_colour) +
        "\n");
  if (best >= 0) c.set_note(fmt::format("dashed: the {} MB the strategy picked", stats[std::size_t(best)].value));
  return c.finish();
}

std::string field(json::value const& v, std::string_view key) {
  auto const* o = v.if_object();
  auto const* x = o ? o->if_contains(key) : nullptr;
  if (!x) return "";
  if (auto const* s = x->if_string()) return std::string(*s);
  return asl::to_text(*x);
}

}  // namespace

std::string power_tuning_report_html(power_tuning_run const& run, json::value const& input) {
  auto const& ex = run.execution;
  json::value output = ex.output ? *ex.output : json::value();
  int best = -1;
  if (auto const* o = output.if_object(); o && o->contains("power") && o->at("power").is_number())
    for (std::size_t i = 0; i < run.stats.size(); ++i)
      if (double(run.stats[i].value) == o->at("power").to_number<double>()) best = int(i);
  auto strategy = field(input, "strategy");

  std::string o = "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
                  "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>" +
                  esc("Power Tuning: " + run.function.name) + "</title>\n<style>" + css +
                  "</style>\n</head>\n<body>\n<main>\n<header>\n<h1>" + esc("Power Tuning: " + run.function.name) +
                  "</h1>\n";
  o += "<p class=\"meta\">" + esc(field(input, "lambdaARN")) + " \u00b7 " +
       esc(run.function.arch == lambda::architecture::arm64 ? "arm64" : "x86_64") + " \u00b7 strategy <b>" +
       esc(strategy.empty() ? "cost" : strategy) + "</b> \u00b7 num <b>" + esc(field(input, "num")) + "</b>" +
       (field(input, "parallelInvocation") == "true" ? " \u00b7 in parallel" : "") +
       (field(input, "onlyColdStarts") == "true" ? " \u00b7 only cold starts" : "") + "</p>\n";
  if (ex.succeeded() && best >= 0) {
    auto const& b = run.stats[std::size_t(best)];
    o += fmt::format("<p class=\"meta\">Best: <b>{} MB</b> \u00b7 average duration <b>{} ms</b> \u00b7 average cost "
                     "<b>{}</b> per invocation \u00b7 tuning cost: Step Functions <b>{}</b>, Lambda <b>{}</b></p>\n",
                     b.value, esc(svg::number(b.average_duration, 2)), esc(usd(b.average_price)),
                     esc(usd(output.at("stateMachine").at("executionCost").to_number<double>())),
                     esc(usd(output.at("stateMachine").at("lambdaCost").to_number<double>())));
  } else if (ex.succeeded()) {
    o += "<p class=\"meta\">Dry run: each power value was invoked once; nothing was analyzed.</p>\n";
  } else {
    o += "<p class=\"meta\">The tuning failed: <b>" + esc(ex.error.value_or("")) + "</b> " + esc(ex.cause.value_or("")) +
         "</p>\n";
  }
  o += "</header>\n<figure>\n" + chart(run.stats, best) + "</figure>\n";

  o += "<h2>Per power value</h2>\n<table>\n<thead><tr><th class=\"n\">memory (MB)</th><th class=\"n\">vCPUs</th>"
       "<th class=\"n\">average duration (ms)</th><th class=\"n\">average cost</th><th class=\"n\">total cost</th>"
       "<th class=\"n\">invocations</th><th class=\"n\">cold starts</th></tr></thead>\n<tbody>\n";
  for (std::size_t i = 0; i < run.stats.size(); ++i) {
    auto const& s = run.stats[i];
    o += fmt::format("<tr{}><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}"
                     "</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td></tr>\n",
                     int(i) == best ? " class=\"best\"" : "", s.value, svg::number(lambda::vcpu_share(s.value), 2),
                     svg::number(s.average_duration, 2), esc(usd(s.average_price)), esc(usd(s.total_cost)),
                     s.invocations, s.cold_starts);
  }
  o += "</tbody></table>\n<h2>Output</h2>\n<pre>" + esc(asl::to_text(output)) + "</pre>\n";
  o += "<footer>Generated by stepsim power-tune: the function was simulated in virtual time. Averages discard the "
       "top and bottom discardTopBottom share of invocations, as AWS Lambda Power Tuning does. This page is "
       "self-contained: no scripts, fonts or images are loaded.</footer>\n</main>\n</body>\n</html>\n";
  return o;
}

}  // namespace stepsim::study
