#include <stepsim/study/summary.hpp>

#include <stepsim/asl/json_text.hpp>
#include <stepsim/json/parse.hpp>
#include <stepsim/engine/execution.hpp>

#include "study/csv.hpp"

#include <boost/json.hpp>
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <unordered_set>

namespace stepsim::study {

namespace json = boost::json;

namespace {

/// Rounds to the microsecond so summaries print stable, readable numbers.
double ms3(double ms) { return std::round(ms * 1000.0) / 1000.0; }
double ms_of(sim::duration d) { return ms3(std::chrono::duration<double, std::milli>(d).count()); }
double money(double d) { return std::round(d * 1e8) / 1e8; }

sim::instant to_ms(sim::instant t) { return std::chrono::floor<std::chrono::milliseconds>(t); }

}  // namespace

json::array analyze_periods(std::vector<exported_execution> const& rows, period_options const& o) {
  std::map<std::string, std::vector<exported_execution const*>> by_workflow;
  for (auto const& r : rows) by_workflow[r.workflow].push_back(&r);
  json::array out;
  for (auto& [workflow, list] : by_workflow) {
    std::stable_sort(list.begin(), list.end(), [](auto* a, auto* b) { return a->start < b->start; });
    std::uint64_t periods = 0, cold_periods = 0, cold_n = 0, warm_n = 0;
    double cold_sum = 0, warm_sum = 0;
    std::optional<sim::instant> busy_until;
    bool cold = false;
    for (auto const* e : list) {
      auto idle = busy_until ? e->start - *busy_until : sim::duration::max();
      if (!busy_until || idle >= o.period_gap) {
        ++periods;
        cold = !busy_until || idle >= o.cold_gap;
        cold_periods += cold;
      }
      busy_until = busy_until ? std::max(*busy_until, e->stop) : e->stop;
      double ms = std::chrono::duration<double, std::milli>(e->stop - e->start).count();
      if (cold) ++cold_n, cold_sum += ms;
      else ++warm_n, warm_sum += ms;
    }
    out.push_back(json::object{{"workflow", workflow},
                               {"executions", list.size()},
                               {"periods", periods},
                               {"cold_periods", cold_periods},
                               {"cold_executions", cold_n},
                               {"warm_executions", warm_n},
                               {"avg_cold_ms", cold_n ? ms3(cold_sum / double(cold_n)) : 0.0},
                               {"avg_warm_ms", warm_n ? ms3(warm_sum / double(warm_n)) : 0.0}});
  }
  return out;
}

json::object aws_export(run_result const& r) {
  json::array list;
  for (auto it = r.executions.rbegin(); it != r.executions.rend(); ++it) {
    auto const& e = *it;
    std::string name = std::to_string(e.index);
    list.push_back(json::object{
        {"executionArn", fmt::format("arn:aws:states:us-east-1:123456789012:execution:{}:{}", e.workflow, name)},
        {"stateMachineArn", fmt::format("arn:aws:states:us-east-1:123456789012:stateMachine:{}", e.workflow)},
        {"name", name},
        {"status", engine::to_string(e.status)},
        {"startDate", sim::format_iso8601(e.start)},
        {"stopDate", sim::format_iso8601(e.stop)}});
  }
  return json::object{{"executions", std::move(list)}};
}

std::optional<std::vector<exported_execution>> read_export(std::string const& file_text, std::string const& source,
                                                           std::string& error) {
  std::vector<exported_execution> rows;
  // The same execution from list- and describe- output counts once.
  std::unordered_set<std::string> seen;
  auto text = stepsim::json::skip_bom(file_text);
  std::size_t pos = 0;
  int document = 0;
  while (pos < text.size()) {
    auto next = text.find_first_not_of(" \t\r\n", pos);
    if (next == std::string::npos) break;
    auto read = asl::read_json(text, asl::json_read_options{.stop_after_value = true, .from = next});
    if (!read.value) {
      error = fmt::format("{}: not valid JSON: {}", source, read.error);
      return std::nullopt;
    }
    ++document;
    json::value doc = std::move(*read.value);
    pos = next + read.consumed;
    json::array single;
    json::array const* list = doc.if_array();
    if (!list) {
      auto const* o = doc.if_object();
      auto const* ex = o ? o->if_contains("executions") : nullptr;
      if (o && !ex && o->contains("executionArn")) {  // a describe-execution document
        single.push_back(doc);
        list = &single;
      } else if (!ex || !ex->is_array()) {
        error = fmt::format("{}: document {} has no \"executions\" array (expected aws stepfunctions "
                            "list-executions output)",
                            source, document);
        return std::nullopt;
      } else {
        list = &ex->get_array();
      }
    }
    for (std::size_t i = 0; i < list->size(); ++i) {
      auto const* e = (*list)[i].if_object();
      auto field = [&](char const* k) -> std::optional<std::string> {
        auto const* v = e ? e->if_contains(k) : nullptr;
        if (v && v->is_string()) return std::string(v->get_string());
        return std::nullopt;
      };
      auto where = fmt::format("{}: document {}, execution {}", source, document, i);
      auto arn = field("stateMachineArn"), name = field("name"), start = field("startDate");
      if (!arn || !name || !start) {
        error = where + ": needs stateMachineArn, name and startDate";
        return std::nullopt;
      }
      exported_execution x;
      x.workflow = arn->substr(arn->rfind(':') + 1);
      x.name = *name;
      x.status = field("status").value_or("");
      auto t0 = sim::parse_iso8601(*start);
      auto stop = field("stopDate");
      if (!stop) continue;  // still running: not part of the analysis
      auto t1 = sim::parse_iso8601(*stop);
      if (!t0 || !t1) {
        error = where + ": startDate / stopDate must be ISO-8601 instants";
        return std::nullopt;
      }
      x.start = to_ms(*t0);
      x.stop = to_ms(*t1);
      if (x.stop < x.start) {
        error = fmt::format("{}: stopDate {} is before startDate {}", where, *stop, *start);
        return std::nullopt;
      }
      // The workflow name ends at the first ':' of the key; the ARN's last part has none.
      if (seen.insert(x.workflow + ':' + x.name).second) rows.push_back(std::move(x));
    }
  }
  if (rows.empty()) {
    error = source + ": no finished executions found";
    return std::nullopt;
  }
  return rows;
}

namespace {

std::vector<exported_execution> exported_rows(run_result const& r) {
  std::vector<exported_execution> rows;
  for (auto const& e : r.executions)
    rows.push_back({e.workflow, std::to_string(e.index), engine::to_string(e.status), to_ms(e.start), to_ms(e.stop)});
  return rows;
}

}  // namespace

run_totals take_totals(study const& s, run_result& r, period_options const& o) {
  run_totals t;
  t.scenario = r.scenario;
  t.replication = r.replication;
  t.workflows = std::move(r.workflows);
  r.workflows.clear();
  t.functions = r.lambda.functions;
  // The pool picture: the horizon runs from the study's start plus its
  // warm-up to the run's end (its last event); an environment counts while
  // alive within it, and is busy while it serves a request (counted by the
  // sink) or, pre-warmed, while it initializes.
  auto from = std::min(sim::saturating_add(r.start, s.warm_up), r.end);
  t.horizon = r.end - from;
  for (auto const& [name, f] : r.lambda.functions) t.pools[name].busy += f.busy_time;
  for (auto const& c : r.containers) {
    auto& p = t.pools[c.function];
    auto until = std::min(c.reaped.value_or(r.end), r.end);
    if (until > std::max(c.created, from)) p.alive += until - std::max(c.created, from);
    if (c.prewarmed && c.ready > std::max(c.created, from)) p.busy += c.ready - std::max(c.created, from);
    if (c.created >= from) p.lifetimes_ms.push_back(std::chrono::duration<double, std::milli>(until - c.created).count());
  }
  t.provisioned_cost = r.provisioned_cost;
  t.workflow_cost = r.workflow_cost;
  if (s.write_executions)
    for (auto& row : analyze_periods(exported_rows(r), o)) t.periods.push_back(std::move(row.as_object()));
  return t;
}

struct study_aggregate::impl {
  // One scenario's totals, pooled over its replications in their order.
  struct scenario_totals {
    std::size_t runs = 0;
    std::map<std::string, workflow_totals> workflows;
    lambda::aggregate_sink functions;
    double provisioned = 0, sfn = 0;
    std::vector<std::pair<int, json::object>> periods;  // (replication, analysis of one workflow)
    sim::duration horizon{};  // summed over the runs
    struct pool_totals {
      sim::duration alive{}, busy{};  // environment-time within the horizons
      duration_stats lifetimes;       // of the environments created within them
      explicit pool_totals(bool keep) : lifetimes(keep) {}
    };
    std::map<std::string, pool_totals> pools;
  };

  study const& s;
  period_options o;
  std::map<std::string, scenario_totals> scenarios;
  std::vector<run_result> report;            // first run of each scenario, then its pooled rest
  std::map<std::string, std::size_t> rest;   // scenario -> index in `report` of its pooled rest

  impl(study const& st, period_options po) : s(st), o(po) {}

  void fold(run_totals const& r) {
    auto& sc = scenarios[r.scenario];
    ++sc.runs;
    for (auto const& [name, w] : r.workflows) {
      auto& t = sc.workflows.try_emplace(name, s.write_executions).first->second;
      t.all.merge(w.all);
      t.cold.merge(w.cold);
      t.warm.merge(w.warm);
      t.succeeded += w.succeeded;
      t.failed += w.failed;
      t.throttles += w.throttles;
      t.cold_starts += w.cold_starts;
      t.invocations += w.invocations;
      t.init += w.init;
      t.run += w.run;
      t.orchestration += w.orchestration;
      t.transitions += w.transitions;
    }
    for (auto const& [name, f] : r.functions) {
      auto& t = sc.functions.functions[name];
      t.invocations += f.invocations;
      t.cold += f.cold;
      t.warm += f.warm;
      t.throttled += f.throttled;
      t.errors += f.errors;
      t.containers += f.containers;
      t.billed_ms += f.billed_ms;
      t.init_time += f.init_time;
      t.run_time += f.run_time;
      t.busy_time += f.busy_time;
      t.cost += f.cost;
    }
    sc.horizon += r.horizon;
    for (auto const& [name, p] : r.pools) {
      auto& into = sc.pools.try_emplace(name, s.write_executions).first->second;
      into.alive += p.alive;
      into.busy += p.busy;
      for (double ms : p.lifetimes_ms) into.lifetimes.add(ms);
    }
    sc.provisioned += r.provisioned_cost;
    sc.sfn += r.workflow_cost;
    for (auto const& row : r.periods) sc.periods.emplace_back(r.replication, row);
  }

  // Keeps the first run of a scenario whole; pools the durations of the others into one run.
  void keep_for_report(run_totals&& t, std::optional<run_result>&& whole) {
    if (std::none_of(report.begin(), report.end(), [&](run_result const& k) { return k.scenario == t.scenario; })) {
      run_result r = whole ? std::move(*whole) : run_result{};
      r.scenario = t.scenario;
      r.replication = t.replication;
      r.workflows = std::move(t.workflows);
      r.lambda.functions = std::move(t.functions);
      report.push_back(std::move(r));
      return;
    }
    auto it = rest.find(t.scenario);
    if (it == rest.end()) {
      run_result r;
      r.scenario = t.scenario;
      r.replication = t.replication;
      r.workflows = std::move(t.workflows);
      r.lambda.functions = std::move(t.functions);
      rest.emplace(r.scenario, report.size());
      report.push_back(std::move(r));
      return;
    }
    auto& pooled = report[it->second];
    for (auto const& [name, w] : t.workflows) {
      auto& into = pooled.workflows.try_emplace(name, s.write_executions).first->second;
      into.all.merge(w.all);
    }
    for (auto const& [name, f] : t.functions) pooled.lambda.functions.try_emplace(name);
  }

  json::object summary() const;
  json::object scenario_json(run_config const& cfg, scenario_totals const& sc) const {
    json::array wjson;
    for (auto const& [name, t] : sc.workflows) {
      auto n = t.all.count();
      wjson.push_back(json::object{
          {"workflow", name},
          {"executions", n},
          {"succeeded", t.succeeded},
          {"failed", t.failed},
          {"cold_executions", t.cold.count()},
          {"warm_executions", t.warm.count()},
          {"avg_cold_ms", ms3(t.cold.mean())},
          {"avg_warm_ms", ms3(t.warm.mean())},
          {"avg_ms", ms3(t.all.mean())},
          {"p50_ms", ms3(t.all.percentile(50))},
          {"p90_ms", ms3(t.all.percentile(90))},
          {"p99_ms", ms3(t.all.percentile(99))},
          {"max_ms", ms3(t.all.max())},
          {"cold_starts", t.cold_starts},
          {"cold_starts_per_cold_execution", t.cold.count() ? ms3(double(t.cold_starts) / double(t.cold.count())) : 0.0},
          {"invocations", t.invocations},
          {"throttles", t.throttles},
          {"avg_init_ms", n ? ms3(ms_of(t.init) / double(n)) : 0.0},
          {"avg_function_ms", n ? ms3(ms_of(t.run) / double(n)) : 0.0},
          {"avg_orchestration_ms", n ? ms3(ms_of(t.orchestration) / double(n)) : 0.0},
          {"transitions", t.transitions}});
    }
    json::array fjson;
    double lambda_cost = 0;
    double horizon_s = std::chrono::duration<double>(sc.horizon).count();
    auto average = [&](sim::duration d) { return horizon_s > 0 ? std::chrono::duration<double>(d).count() / horizon_s : 0.0; };
    for (auto const& [name, f] : sc.functions.functions) {
      lambda_cost += f.cost;
      auto served = f.cold + f.warm;
      static const scenario_totals::pool_totals none(false);
      auto pit = sc.pools.find(name);
      auto const& pool = pit == sc.pools.end() ? none : pit->second;
      double instances = average(pool.alive), busy = average(pool.busy);
      fjson.push_back(json::object{
          {"function", name},
          {"invocations", f.invocations},
          {"cold", f.cold},
          {"warm", f.warm},
          {"cold_start_rate", served ? ms3(double(f.cold) / double(served)) : 0.0},
          {"cold_start_probability", served ? double(f.cold) / double(served) : 0.0},
          {"rejection_probability", f.invocations ? double(f.throttled) / double(f.invocations) : 0.0},
          {"throttled", f.throttled},
          {"errors", f.errors},
          {"containers", f.containers},
          {"avg_instances", instances},
          {"avg_busy_instances", busy},
          {"avg_idle_instances", std::max(0.0, instances - busy)},
          {"lifetime_mean_s", pool.lifetimes.mean() / 1000.0},
          {"lifetime_p50_s", pool.lifetimes.percentile(50) / 1000.0},
          {"lifetime_p99_s", pool.lifetimes.percentile(99) / 1000.0},
          {"billed_ms", f.billed_ms},
          {"cost_usd", money(f.cost)}});
    }
    json::object out{{"name", cfg.scenario},
                     {"description", cfg.description},
                     {"runs", sc.runs},
                     {"horizon_s", horizon_s},
                     {"workflows", std::move(wjson)},
                     {"functions", std::move(fjson)},
                     {"cost_usd", json::object{{"lambda", money(lambda_cost)},
                                               {"provisioned_concurrency", money(sc.provisioned)},
                                               {"step_functions", money(sc.sfn)},
                                               {"total", money(lambda_cost + sc.provisioned + sc.sfn)}}}};
    if (!cfg.point.empty()) out["sweep"] = cfg.point;
    if (s.write_executions) {
      // Replications are separate runs: their workflows are kept apart as "NAME#R", sorted by that name.
      std::vector<json::object> rows;
      for (auto const& [rep, row] : sc.periods) {
        rows.push_back(row);
        if (sc.runs > 1)
          rows.back()["workflow"] = fmt::format("{}#{}", std::string_view(row.at("workflow").as_string()), rep);
      }
      std::stable_sort(rows.begin(), rows.end(), [](json::object const& a, json::object const& b) {
        return a.at("workflow").as_string() < b.at("workflow").as_string();
      });
      json::array by_period;
      for (auto& row : rows) by_period.push_back(std::move(row));
      out["by_period"] = std::move(by_period);
    }
    return out;
  }
};

json::object study_aggregate::impl::summary() const {
  json::array out;
  for (auto const& cfg : s.scenarios)
    if (auto it = scenarios.find(cfg.scenario); it != scenarios.end()) out.push_back(scenario_json(cfg, it->second));
  return json::object{{"study", s.name},
                      {"seed", s.seed},
                      {"replications", s.replications},
                      {"start", sim::format_iso8601(s.start)},
                      {"scenarios", std::move(out)}};
}

study_aggregate::study_aggregate(study const& s, period_options o) : impl_(std::make_unique<impl>(s, o)) {}
study_aggregate::~study_aggregate() = default;
study_aggregate::study_aggregate(study_aggregate&&) noexcept = default;

void study_aggregate::add(run_result r) {
  auto t = take_totals(impl_->s, r, impl_->o);
  impl_->fold(t);
  impl_->keep_for_report(std::move(t), std::move(r));
}

void study_aggregate::add(run_totals t, std::optional<run_result> whole) {
  impl_->fold(t);
  impl_->keep_for_report(std::move(t), std::move(whole));
}

std::vector<run_result> const& study_aggregate::report_runs() const noexcept { return impl_->report; }

json::object study_aggregate::summary() const { return impl_->summary(); }

json::object summarize(study const& s, std::vector<run_result> const& runs, period_options const& o) {
  study_aggregate::impl totals(s, o);
  for (auto const& r : runs) {
    auto copy = r;
    totals.fold(take_totals(s, copy, o));
  }
  return totals.summary();
}

namespace {

double number_of(json::value const& v) { return v.is_number() ? v.to_number<double>() : 0.0; }

std::string workflow_rows(json::object const& sc) {
  auto num = number_of;
  std::string out = fmt::format("  {:<16} {:>6} {:>6} {:>14} {:>14} {:>10} {:>10} {:>8} {:>9}\n", "workflow", "execs",
                                "cold", "avg cold (ms)", "avg warm (ms)", "p50 (ms)", "p99 (ms)", "starts", "throttles");
  for (auto const& wv : sc.at("workflows").as_array()) {
    auto const& w = wv.as_object();
    out += fmt::format("  {:<16} {:>6} {:>6} {:>14.2f} {:>14.2f} {:>10.2f} {:>10.2f} {:>8} {:>9}\n",
                       std::string_view(w.at("workflow").as_string()), num(w.at("executions")),
                       num(w.at("cold_executions")), num(w.at("avg_cold_ms")), num(w.at("avg_warm_ms")),
                       num(w.at("p50_ms")), num(w.at("p99_ms")), num(w.at("cold_starts")), num(w.at("throttles")));
  }
  return out;
}

/// A scenario that only invokes functions directly has no workflow rows: its functions are the rows.
std::string function_rows(json::object const& sc) {
  auto num = number_of;
  std::string out = fmt::format("  {:<16} {:>11} {:>8} {:>10} {:>9} {:>10} {:>9} {:>9}\n", "function", "invocations",
                                "cold", "P(cold)", "throttled", "avg alive", "avg busy", "avg idle");
  for (auto const& fv : sc.at("functions").as_array()) {
    auto const& f = fv.as_object();
    out += fmt::format("  {:<16} {:>11} {:>8} {:>10.6f} {:>9} {:>10.2f} {:>9.2f} {:>9.2f}\n",
                       std::string_view(f.at("function").as_string()), num(f.at("invocations")), num(f.at("cold")),
                       num(f.at("cold_start_probability")), num(f.at("throttled")), num(f.at("avg_instances")),
                       num(f.at("avg_busy_instances")), num(f.at("avg_idle_instances")));
  }
  return out;
}

}  // namespace

std::string summary_table(json::object const& summary) {
  std::string out;
  auto num = number_of;
  for (auto const& scv : summary.at("scenarios").as_array()) {
    auto const& sc = scv.as_object();
    out += fmt::format("scenario {}", std::string_view(sc.at("name").as_string()));
    if (auto d = sc.at("description").as_string(); !d.empty()) out += fmt::format(" - {}", std::string_view(d));
    out += "\n";
    out += sc.at("workflows").as_array().empty() ? function_rows(sc) : workflow_rows(sc);
    auto const& c = sc.at("cost_usd").as_object();
    out += fmt::format("  cost: ${:.6f} (Lambda ${:.6f}, provisioned ${:.6f}, Step Functions ${:.6f})\n\n",
                       num(c.at("total")), num(c.at("lambda")), num(c.at("provisioned_concurrency")),
                       num(c.at("step_functions")));
  }
  return out;
}

std::string executions_csv_header() {
  std::string out;
  detail::csv_record row(out);
  for (auto name : {"scenario", "replication", "workflow", "execution", "status", "start", "stop", "duration_ms", "cold",
                    "cold_starts", "invocations", "throttles", "init_ms", "function_ms", "transitions", "error"})
    row << name;
  return out;
}

std::string executions_csv_rows(run_result const& r) {
  std::string out;
  for (auto const& e : r.executions) {
    detail::csv_record row(out);
    row << r.scenario << r.replication << e.workflow << e.index << engine::to_string(e.status)
        << sim::format_iso8601(e.start) << sim::format_iso8601(e.stop) << ms_of(e.duration()) << e.cold()
        << e.cold_starts << e.invocations << e.throttles << ms_of(e.init) << ms_of(e.run) << e.transitions << e.error;
  }
  return out;
}

std::string executions_csv(std::vector<run_result> const& runs) {
  std::string out = executions_csv_header();
  for (auto const& r : runs) out += executions_csv_rows(r);
  return out;
}

}  // namespace stepsim::study
