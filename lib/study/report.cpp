// stepsim::study::report_html: the summary's tables and inline SVG charts in one self-contained page.
//
// Layout: a header (study, seed, start, scenarios), the headline charts
// (average cold vs warm per scenario, duration over time, duration CDF,
// containers alive), then the detailed tables. Deterministic: the page
// depends on the summary and the runs only; charts thin their dots on a
// pixel grid and then by a fixed stride, never at random.
#include <stepsim/study/report.hpp>

#include "study/svg.hpp"

#include <boost/json.hpp>
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <string>
#include <string_view>

namespace stepsim::study {

namespace json = boost::json;
using svg::esc;

namespace {

// ---- the summary, read defensively ------------------------------------------------

json::value const* get(json::object const& o, std::string_view key) { return o.if_contains(key); }

double num(json::value const* v, double fallback = 0) {
  if (!v) return fallback;
  if (v->is_double()) return v->get_double();
  if (v->is_int64()) return double(v->get_int64());
  if (v->is_uint64()) return double(v->get_uint64());
  return fallback;
}
double num(json::object const& o, std::string_view key) { return num(get(o, key)); }

std::string str(json::object const& o, std::string_view key) {
  auto const* v = get(o, key);
  if (!v) return "";
  if (v->is_string()) return std::string(v->get_string());
  return json::serialize(*v);
}

json::array const* arr(json::object const& o, std::string_view key) {
  auto const* v = get(o, key);
  return v ? v->if_array() : nullptr;
}

json::object const* obj(json::value const& v) { return v.if_object(); }

std::string usd(double v) {
  if (v == 0) return "$0";
  int decimals = v >= 1 ? 2 : std::clamp(2 - int(std::floor(std::log10(std::fabs(v)))), 2, 8);
  return "$" + svg::number(v, decimals);
}

// ---- tables -------------------------------------------------------------------------

enum class kind { text, count, ms, rate, usd, seconds };

struct column {
  std::string key, label;
  kind k = kind::count;
  std::string unless_zero;  ///< a count field: "–" when it is 0 (averages of nothing)
};

std::string cell(json::object const& row, column const& c) {
  auto const* v = get(row, c.key);
  if (!v || v->is_null()) return c.k == kind::text ? "<td></td>" : "<td class=\"n\">\u2013</td>";
  if (c.k == kind::text) return "<td>" + esc(str(row, c.key)) + "</td>";
  if (!c.unless_zero.empty() && num(row, c.unless_zero) == 0) return "<td class=\"n muted\">\u2013</td>";
  double x = num(v);
  std::string text;
  switch (c.k) {
    case kind::count: text = svg::short_number(x, 3); break;
    case kind::ms: text = svg::number(x, 1); break;
    case kind::rate: text = svg::number(x * 100, 1) + "%"; break;
    case kind::usd: text = usd(x); break;
    case kind::seconds: text = svg::short_number(x, 3); break;
    case kind::text: break;
  }
  return "<td class=\"n\">" + esc(text) + "</td>";
}

/// A table of rows grouped under a first column (the scenario), or plain when `group_label` is empty.
std::string grouped_table(std::string const& caption, std::string const& group_label,
                          std::vector<std::pair<std::string, std::vector<json::object const*>>> const& groups,
                          std::vector<column> const& cols) {
  std::string o = "<div class=\"tw\"><table>\n<caption>" + esc(caption) + "</caption>\n<thead><tr>";
  if (!group_label.empty()) o += "<th>" + esc(group_label) + "</th>";
  for (auto const& c : cols) o += (c.k == kind::text ? "<th>" : "<th class=\"n\">") + esc(c.label) + "</th>";
  o += "</tr></thead>\n<tbody>\n";
  for (auto const& [group, rows] : groups) {
    bool first = true;
    for (auto const* r : rows) {
      o += first && !group_label.empty() ? "<tr class=\"g\">" : "<tr>";
      if (!group_label.empty() && first)
        o += fmt::format("<th scope=\"rowgroup\" rowspan=\"{}\">{}</th>", rows.size(), esc(group));
      for (auto const& c : cols) o += cell(*r, c);
      o += "</tr>\n";
      first = false;
    }
  }
  o += "</tbody></table></div>\n";
  return o;
}

std::vector<json::object const*> objects(json::array const* a) {
  std::vector<json::object const*> out;
  if (a)
    for (auto const& v : *a)
      if (auto const* o = obj(v)) out.push_back(o);
  return out;
}

std::vector<column> const workflow_columns = {
    {"workflow", "workflow", kind::text, ""},
    {"executions", "executions", kind::count, ""},
    {"failed", "failed", kind::count, ""},
    {"cold_executions", "cold", kind::count, ""},
    {"warm_executions", "warm", kind::count, ""},
    {"avg_cold_ms", "avg cold (ms)", kind::ms, "cold_executions"},
    {"avg_warm_ms", "avg warm (ms)", kind::ms, "warm_executions"},
    {"p50_ms", "p50 (ms)", kind::ms, "executions"},
    {"p90_ms", "p90 (ms)", kind::ms, "executions"},
    {"p99_ms", "p99 (ms)", kind::ms, "executions"},
    {"cold_starts", "cold starts", kind::count, ""},
    {"throttles", "throttles", kind::count, ""}};

std::vector<column> const function_columns = {
    {"function", "function", kind::text, ""},
    {"invocations", "invocations", kind::count, ""},
    {"cold", "cold", kind::count, ""},
    {"warm", "warm", kind::count, ""},
    {"cold_start_probability", "cold-start rate", kind::rate, ""},
    {"throttled", "throttled", kind::count, ""},
    {"errors", "errors", kind::count, ""},
    {"containers", "containers", kind::count, ""},
    {"avg_instances", "avg alive", kind::count, ""},
    {"avg_busy_instances", "avg busy", kind::count, ""},
    {"avg_idle_instances", "avg idle", kind::count, ""},
    {"cost_usd", "cost", kind::usd, ""}};

std::vector<column> const cost_columns = {{"lambda", "Lambda", kind::usd, ""},
                                          {"provisioned_concurrency", "provisioned concurrency", kind::usd, ""},
                                          {"step_functions", "Step Functions", kind::usd, ""},
                                          {"total", "total", kind::usd, ""}};

std::vector<column> const period_columns = {
    {"workflow", "workflow", kind::text, ""},
    {"executions", "executions", kind::count, ""},
    {"periods", "periods", kind::count, ""},
    {"cold_periods", "cold periods", kind::count, ""},
    {"cold_executions", "cold executions", kind::count, ""},
    {"warm_executions", "warm executions", kind::count, ""},
    {"avg_cold_ms", "avg cold (ms)", kind::ms, "cold_executions"},
    {"avg_warm_ms", "avg warm (ms)", kind::ms, "warm_executions"}};

// ---- the page -------------------------------------------------------------------------

constexpr char const* css = R"(
*{box-sizing:border-box}
body{margin:0;background:#f4f5f7;color:#1f2328;font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif}
main{max-width:1400px;margin:0 auto;padding:20px 28px 40px}
header{background:#fff;border:1px solid #d8dbe0;border-radius:8px;padding:16px 20px;margin-bottom:18px}
h1{font-size:24px;margin:0 0 4px}
h2{font-size:19px;margin:28px 0 6px;padding-bottom:4px;border-bottom:2px solid #d8dbe0}
h3{font-size:15px;margin:16px 0 8px;color:#333}
p.meta{margin:0 0 10px;color:#555}
p.meta b{color:#1f2328}
p.lead{margin:4px 0 12px;color:#444;max-width:75em}
.grid{display:grid;grid-template-columns:repeat(auto-fill,minmax(400px,1fr));gap:14px}
.grid.wide{grid-template-columns:repeat(auto-fill,minmax(580px,1fr))}
figure{margin:0;background:#fff;border:1px solid #d8dbe0;border-radius:8px;padding:8px;overflow:hidden}
svg{display:block;max-width:100%;height:auto;font-family:inherit}
svg text{fill:#1f2328;font-size:12px}
svg text.t{font-size:14px;font-weight:600}
svg text.yt{font-size:11px;text-anchor:end;fill:#444}
svg text.xt{font-size:11px;text-anchor:middle;fill:#444}
svg text.xl{font-size:12px;text-anchor:middle;fill:#444}
svg text.nt{font-size:11px;text-anchor:end;fill:#6a6f76}
svg text.bv{font-size:11px;fill:#333}
svg text.bc{font-size:12px;text-anchor:end}
svg text.empty{font-size:13px;text-anchor:middle;fill:#6a6f76}
.tw{overflow-x:auto;margin:10px 0 18px}
table{border-collapse:collapse;background:#fff;border:1px solid #d8dbe0;font-variant-numeric:tabular-nums;min-width:50%}
caption{text-align:left;font-weight:600;padding:4px 0 6px}
th,td{padding:4px 8px;border-bottom:1px solid #eceef1;text-align:left;vertical-align:top;white-space:nowrap}
thead th{white-space:normal;vertical-align:bottom;background:#eef1f5;border-bottom:1px solid #d0d4da;font-weight:600}
th.n,td.n{text-align:right}
td.muted{color:#9aa0a6}
td.desc{white-space:normal;min-width:14em;max-width:26em}
tr.g>*{border-top:2px solid #d0d4da}
tbody th{background:#fafbfc;font-weight:600}
footer{margin-top:28px;color:#6a6f76;font-size:12px}
)";

std::string section(std::string const& title, std::string const& lead) {
  return "<h2>" + esc(title) + "</h2>\n" + (lead.empty() ? "" : "<p class=\"lead\">" + esc(lead) + "</p>\n");
}

std::string header_simulation(json::object const& s) {
  std::string o = "<header>\n<h1>" + esc(str(s, "study").empty() ? "stepsim study" : str(s, "study")) + "</h1>\n";
  auto scenarios = objects(arr(s, "scenarios"));
  o += "<p class=\"meta\">";
  o += "seed <b>" + esc(str(s, "seed")) + "</b> \u00b7 start <b>" + esc(str(s, "start")) + "</b>";
  if (get(s, "replications"))
    o += " \u00b7 <b>" + esc(str(s, "replications")) + "</b> replication" + (num(s, "replications") == 1 ? "" : "s");
  o += fmt::format(" \u00b7 <b>{}</b> scenario{}", scenarios.size(), scenarios.size() == 1 ? "" : "s");
  o += "</p>\n";
  // One line per scenario and workflow: what the scenario changes and each workflow's headline figures
  // (different workflows are never pooled: their durations do not mix).
  o += "<div class=\"tw\"><table>\n<thead><tr><th>scenario</th><th>description</th><th class=\"n\">runs</th>"
       "<th>workflow</th><th class=\"n\">executions</th><th class=\"n\">cold</th><th class=\"n\">avg cold (ms)</th>"
       "<th class=\"n\">avg warm (ms)</th><th class=\"n\">p99 (ms)</th><th class=\"n\">cold starts</th>"
       "<th class=\"n\">throttles</th><th class=\"n\">total cost</th></tr></thead>\n<tbody>\n";
  auto dash = std::string("<td class=\"n muted\">\u2013</td>");
  for (auto const* sc : scenarios) {
    auto workflows = objects(arr(*sc, "workflows"));
    double total = 0;
    if (auto const* c = get(*sc, "cost_usd"); c && c->is_object()) total = num(c->get_object(), "total");
    auto span = std::max<std::size_t>(1, workflows.size());
    auto rowspan = span > 1 ? fmt::format(" rowspan=\"{}\"", span) : std::string();
    o += "<tr class=\"g\"><th" + rowspan + ">" + esc(str(*sc, "name")) + "</th><td class=\"desc\"" + rowspan + ">" +
         esc(str(*sc, "description")) + "</td>";
    o += "<td class=\"n\"" + rowspan + ">" + esc(str(*sc, "runs")) + "</td>";
    if (workflows.empty()) o += "<td class=\"muted\">no workflow</td>" + dash + dash + dash + dash + dash + dash + dash;
    for (std::size_t i = 0; i < workflows.size(); ++i) {
      auto const& w = *workflows[i];
      if (i > 0) o += "<tr>";
      double n = num(w, "executions"), cold = num(w, "cold_executions"), warm = num(w, "warm_executions");
      o += "<td>" + esc(str(w, "workflow")) + "</td>";
      o += "<td class=\"n\">" + svg::number(n, 0) + "</td>";
      o += "<td class=\"n\">" + svg::number(cold, 0) + "</td>";
      o += cold ? "<td class=\"n\">" + svg::number(num(w, "avg_cold_ms"), 1) + "</td>" : dash;
      o += warm ? "<td class=\"n\">" + svg::number(num(w, "avg_warm_ms"), 1) + "</td>" : dash;
      o += n ? "<td class=\"n\">" + svg::number(num(w, "p99_ms"), 1) + "</td>" : dash;
      o += "<td class=\"n\">" + svg::number(num(w, "cold_starts"), 0) + "</td>";
      o += "<td class=\"n\">" + svg::number(num(w, "throttles"), 0) + "</td>";
      if (i == 0) o += "<td class=\"n\"" + rowspan + ">" + esc(usd(total)) + "</td>";
      o += "</tr>\n";
    }
    if (workflows.empty()) o += "<td class=\"n\">" + esc(usd(total)) + "</td></tr>\n";
  }
  o += "</tbody></table></div>\n";
  o += "<p class=\"meta\">Each row is one workflow of a scenario, its replications pooled; an execution is cold "
       "when at least one of its Lambda invocations was a cold start. The cost is the scenario's.</p>\n</header>\n";
  return o;
}

std::string header_analysis(json::object const& s, std::vector<exported_execution> const* rows) {
  std::string o = "<header>\n<h1>Period analysis of exported executions</h1>\n<p class=\"meta\">";
  o += "period gap <b>" + esc(svg::short_number(num(s, "period_gap_s"), 3)) + " s</b> \u00b7 cold gap <b>" +
       esc(svg::short_number(num(s, "cold_gap_s"), 3)) + " s</b>";
  if (rows) {
    o += fmt::format(" \u00b7 <b>{}</b> executions", svg::number(double(rows->size()), 0));
    if (!rows->empty()) {
      auto first = std::min_element(rows->begin(), rows->end(), [](auto& a, auto& b) { return a.start < b.start; });
      o += " \u00b7 first start <b>" + esc(sim::format_iso8601(first->start)) + "</b>";
    }
  }
  o += "</p>\n<p class=\"meta\">Per workflow, executions are split into periods wherever the idle time since every "
       "earlier execution stopped reaches the period gap; a period is cold when it is the first one or follows at "
       "least the cold gap of idle time, and every execution of a cold period counts as cold.</p>\n</header>\n";
  return o;
}

}  // namespace

std::string report_html(json::object const& summary, std::vector<run_result> const* runs,
                        std::vector<exported_execution> const* rows) {
  bool analysis = get(summary, "analysis") != nullptr || !get(summary, "scenarios");

  std::string title = analysis ? "stepsim analysis" : "stepsim study: " + str(summary, "study");
  std::string o = "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
                  "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>" +
                  esc(title) + "</title>\n<style>" + css + "</style>\n</head>\n<body>\n<main>\n";
  o += analysis ? header_analysis(summary, rows) : header_simulation(summary);

  o += detail::report_charts(summary, analysis ? nullptr : runs, analysis ? rows : nullptr, analysis);

  // ---- tables ----
  o += section("Tables", "");
  if (!analysis) {
    auto scenarios = objects(arr(summary, "scenarios"));
    std::vector<std::pair<std::string, std::vector<json::object const*>>> wf, fn, cost, periods;
    for (auto const* sc : scenarios) {
      auto name = str(*sc, "name");
      wf.emplace_back(name, objects(arr(*sc, "workflows")));
      fn.emplace_back(name, objects(arr(*sc, "functions")));
      if (auto const* c = get(*sc, "cost_usd"); c && c->is_object())
        cost.emplace_back(name, std::vector<json::object const*>{&c->get_object()});
      if (auto const* p = arr(*sc, "by_period")) periods.emplace_back(name, objects(p));
    }
    o += grouped_table("Per workflow: executions, cold and warm durations, percentiles", "scenario", wf,
                       workflow_columns);
    o += grouped_table("Per function: invocations, cold starts, environments (average alive, busy and idle over the horizon), cost", "scenario", fn, function_columns);
    o += grouped_table("Cost breakdown (USD)", "scenario", cost, cost_columns);
    if (!periods.empty())
      o += grouped_table("By period (the seed's analysis: every execution of a cold period counts as cold)",
                         "scenario", periods, period_columns);
  } else {
    std::vector<std::pair<std::string, std::vector<json::object const*>>> periods{
        {"", objects(arr(summary, "by_period"))}};
    o += grouped_table("By period", "", periods, period_columns);
  }
  o += analysis ? "<footer>Generated by stepsim analyze. "
                  : "<footer>Generated by stepsim simulate. Times are virtual, counted from the study's start. ";
  o += "This page is self-contained: no scripts, fonts or images are loaded.</footer>\n";
  o += "</main>\n</body>\n</html>\n";
  return o;
}

}  // namespace stepsim::study
