// Study files: JSON -> study, with every problem named by its JSON pointer.
#include <stepsim/study/study.hpp>

#include <stepsim/asl/json_text.hpp>
#include <stepsim/json/parse.hpp>
#include <stepsim/asl/parse.hpp>
#include <stepsim/study/function_settings.hpp>
#include <stepsim/json/field_reader.hpp>
#include <stepsim/json/read_file.hpp>

#include "study/sweep.hpp"

#include <boost/json.hpp>
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <set>

namespace stepsim::study {

namespace json = boost::json;
using stepsim::json::field_reader;

namespace {

// The highest arrival rate a workload may have, at any hour.
constexpr double max_rate_per_s = 1e9;

void unknown_fields(field_reader const& r, std::set<std::string_view> const& allowed, char const* what) {
  for (auto const& kv : r.object)
    if (!allowed.contains(kv.key()))
      r.error(kv.key(), fmt::format("unknown field '{}' in {}", std::string_view(kv.key()), what));
}

std::optional<lambda::latency> read_latency(field_reader const& r, std::string_view key) {
  auto const* v = r.find(key);
  if (!v) return std::nullopt;
  std::string why;
  auto l = lambda::latency::from_json(*v, why);
  if (!l) r.error(key, why);
  return l;
}

json::object const* object_at(field_reader const& r, std::string_view key) {
  auto const* v = r.find(key);
  if (!v) return nullptr;
  if (auto const* o = v->if_object()) return o;
  r.error(key, fmt::format("'{}' must be an object", key));
  return nullptr;
}

void read_function(field_reader const& r, lambda::function_config& f) {
  unknown_fields(r,
                 {"memory_mb", "architecture", "runtime", "timeout_s", "reserved_concurrency",
                  "provisioned_concurrency", "init_ms", "init_extra_ms", "init_cpu_ms", "run_ms", "cpu_ms", "threads", "io_ms",
                  "fault_probability", "fault_schedule", "region", "account"},
                 "a function");
  if (auto v = r.integer("memory_mb", 128, 10240)) f.memory_mb = int(*v);
  if (auto a = r.string("architecture")) {
    if (*a == "x86_64") f.arch = lambda::architecture::x86_64;
    else if (*a == "arm64") f.arch = lambda::architecture::arm64;
    else r.error("architecture", fmt::format("'architecture' must be x86_64 or arm64, not '{}'", *a));
  }
  if (auto v = r.string("runtime")) f.runtime = *v;
  if (auto v = r.string("region")) f.region = *v;
  if (auto v = r.string("account")) f.account = *v;
  if (auto v = r.number("timeout_s", 0.001, 900)) f.timeout = sim::saturating_seconds(*v);
  if (auto const* rc = r.find("reserved_concurrency"); rc && rc->is_null()) f.reserved_concurrency.reset();
  else if (auto v = r.integer("reserved_concurrency", 0, 1000000)) f.reserved_concurrency = int(*v);
  if (auto v = r.integer("provisioned_concurrency", 0, 1000000)) f.provisioned_concurrency = int(*v);
  if (auto l = read_latency(r, "init_ms")) f.init = *l;
  if (auto v = r.number("init_extra_ms", 0, 1e9)) f.init_extra_ms = *v;
  if (auto l = read_latency(r, "run_ms")) f.run.duration = *l;
  if (auto v = r.number("cpu_ms", 0, 1e9)) f.run.cpu_ms = *v;
  if (auto v = r.integer("threads", 1, lambda::max_threads)) f.run.threads = int(*v);
  if (auto v = r.number("init_cpu_ms", 0, 1e9)) f.init_cpu_ms = *v;
  if (auto l = read_latency(r, "io_ms")) f.run.io = *l;
  if (auto v = r.number("fault_probability", 0, 1)) f.fault_probability = *v;
  if (auto const* fs = r.find("fault_schedule")) {
    auto const* a = fs->if_array();
    if (!a) r.error("fault_schedule", "'fault_schedule' must be an array of {\"from_s\", \"to_s\", \"probability\"}");
    for (std::size_t i = 0; a && i < a->size(); ++i) {
      std::string where = asl::pointer_append(r.at("fault_schedule"), i);
      auto const* wo = (*a)[i].if_object();
      if (!wo) {
        r.out.push_back({where, "a fault window must be an object {\"from_s\", \"to_s\", \"probability\"}"});
        continue;
      }
      field_reader wr{*wo, where, r.out};
      unknown_fields(wr, {"from_s", "to_s", "probability"}, "a fault window");
      auto from = wr.number("from_s", 0, 1e10), to = wr.number("to_s", 0, 1e10);
      auto p = wr.number("probability", 0, 1);
      if (!from || !to) {
        if (!wr.find("from_s") || !wr.find("to_s")) r.out.push_back({where, "a fault window needs 'from_s' and 'to_s'"});
        continue;
      }
      if (*to <= *from) {
        wr.error("to_s", "'to_s' must be after 'from_s'");
        continue;
      }
      f.fault_schedule.push_back({sim::saturating_seconds(*from), sim::saturating_seconds(*to), p.value_or(1.0)});
    }
  }
}

void read_workload(field_reader const& r, workload_spec& w, std::string const& base_dir, sim::instant start,
                   std::map<std::string, workflow_spec> const& workflows,
                   std::map<std::string, lambda::function_config> const& functions) {
  unknown_fields(r,
                 {"workflow", "function", "type", "threads", "ramp_up_s", "loops", "pause_s", "rate_per_s",
                  "duration_s", "hourly", "file", "start_s"},
                 "a workload");
  if (auto v = r.string("workflow")) w.workflow = *v;
  if (auto v = r.string("function")) w.function = *v;
  if (auto const* fn = r.find("function")) {
    if (r.find("workflow"))
      r.error("function", "a workload names either 'workflow' (executions) or 'function' (direct invocations), not both");
    else if (fn->is_string() && !functions.contains(w.function))
      r.error("function", fmt::format("no function named '{}' in 'functions'", w.function));
  } else if (w.workflow.empty())
    r.out.push_back({r.pointer, "a workload needs 'workflow' (the workflow its executions run) or 'function' (the "
                                "function it invokes directly)"});
  else if (!workflows.contains(w.workflow))
    r.error("workflow", fmt::format("no workflow named '{}' in 'workflows'", w.workflow));
  if (auto t = r.string("type")) {
    if (*t == "thread-group") w.type = workload_spec::kind::thread_group;
    else if (*t == "poisson") w.type = workload_spec::kind::poisson;
    else if (*t == "constant") w.type = workload_spec::kind::constant;
    else if (*t == "trace") w.type = workload_spec::kind::trace;
    else r.error("type", fmt::format("'type' must be thread-group, poisson, constant or trace, not '{}'", *t));
  }
  if (auto v = r.integer("threads", 1, 10000000)) w.threads = int(*v);
  if (auto v = r.number("ramp_up_s", 0, 1e9)) w.ramp_up = sim::saturating_seconds(*v);
  if (auto v = r.integer("loops", 1, 10000000)) w.loops = int(*v);
  if (auto v = r.number("pause_s", 0, 1e9)) w.pause = sim::saturating_seconds(*v);
  if (auto v = r.number("rate_per_s", 1e-9, max_rate_per_s)) w.rate_per_s = *v;
  if (auto v = r.number("duration_s", 0, 1e10)) w.duration = sim::saturating_seconds(*v);
  if (auto v = r.number("start_s", 0, 1e10)) w.start_offset = sim::saturating_seconds(*v);
  if (auto const* h = r.find("hourly")) {
    auto const* a = h->if_array();
    bool ok = a && a->size() == 24;
    if (ok)
      for (auto const& x : *a) ok = ok && x.is_number() && x.to_number<double>() >= 0;
    if (!ok) r.error("hourly", "'hourly' must be 24 non-negative rate multipliers, one per hour of the day (UTC)");
    for (std::size_t i = 0; ok && i < a->size(); ++i) {
      // The rate of an hour is bounded as 'rate_per_s' is: an infinite one never ends.
      double m = (*a)[i].to_number<double>();
      if (!(w.rate_per_s * m <= max_rate_per_s)) {
        r.out.push_back({asl::pointer_append(r.at("hourly"), i),
                         fmt::format("'rate_per_s' times the hour's multiplier must be at most {} arrivals per second, "
                                     "not {} x {}",
                                     max_rate_per_s, w.rate_per_s, json::serialize((*a)[i]))});
        ok = false;
      }
    }
    if (ok)
      for (auto const& x : *a) w.hourly.push_back(x.to_number<double>());
  }
  if (w.type == workload_spec::kind::trace) {
    auto file = r.string("file");
    if (!file) {
      if (!r.find("file")) r.out.push_back({r.pointer, "a trace workload needs 'file': a CSV of start times"});
      return;
    }
    auto path = (std::filesystem::path(base_dir) / *file).string();
    std::string why;
    auto text = stepsim::json::read_file(path, stepsim::json::file_kind::trace, why);
    if (!text) r.error("file", why);
    else if (auto t = read_trace(*text, start, w.workflow, why)) w.trace = std::move(*t);
    else r.error("file", fmt::format("trace '{}': {}", path, why));
    for (auto const& a : w.trace)
      if (!w.function.empty() && !a.workflow.empty()) {
        r.error("file", fmt::format("trace '{}' names the workflow '{}', but this workload invokes the function '{}' "
                                    "directly: leave its 'workflow' column out",
                                    path, a.workflow, w.function));
        break;
      } else if (w.function.empty() && !workflows.contains(a.workflow)) {
        r.error("file", fmt::format("trace '{}' names the workflow '{}', which is not in 'workflows'", path, a.workflow));
        break;
      }
  }
}

/// Whether every workload of the study document `o` invokes a function
/// directly (then it needs no workflows).
bool only_functions_invoked(json::object const& o) {
  auto const* wv = o.if_contains("workloads");
  auto const* wo = wv ? wv->if_object() : nullptr;
  if (!wo) return false;
  bool any = false;
  for (auto const& kv : *wo) {
    if (kv.key() == "*") continue;
    auto const* w = kv.value().if_object();
    if (!w || !w->contains("function")) return false;
    any = true;
  }
  return any;
}

/// Reads the parts a scenario may override into `c`.
void read_run_config(json::object const& o, std::string const& ptr, asl::diagnostics& out, std::string const& base_dir,
                     study const& s, run_config& c) {
  field_reader r{o, ptr, out};
  // Functions: "*" gives defaults to every function.
  if (auto const* fo = object_at(r, "functions")) {
    for (auto const& kv : *fo) {
      if (kv.key() == "*") continue;
      std::string where = asl::pointer_append(r.at("functions"), kv.key());
      auto const* fobj = kv.value().if_object();
      if (!fobj) {
        out.push_back({where, "a function must be an object of settings"});
        continue;
      }
      lambda::function_config f;
      f.name = std::string(kv.key());
      read_function(field_reader{*fobj, where, out}, f);
      c.functions[f.name] = std::move(f);
    }
  }
  if (auto const* lo = object_at(r, "lambda")) {
    field_reader lr{*lo, r.at("lambda"), out};
    unknown_fields(lr,
                   {"account_concurrency", "scaling_burst", "scaling_period_s", "max_lifetime_s", "keep_alive",
                    "prewarm", "prices", "warmers"},
                   "'lambda'");
    if (auto v = lr.integer("account_concurrency", 1, 100000000)) c.service.account_concurrency = int(*v);
    if (auto v = lr.integer("scaling_burst", 1, 100000000)) c.service.scaling_burst = int(*v);
    if (auto v = lr.number("scaling_period_s", 0.001, 1e9)) c.service.scaling_period = sim::saturating_seconds(*v);
    if (auto const* ml = lr.find("max_lifetime_s"); ml && ml->is_null()) c.service.max_lifetime.reset();
    else if (auto v = lr.number("max_lifetime_s", 1, 1e10)) c.service.max_lifetime = sim::saturating_seconds(*v);
    if (auto p = lr.string("prewarm"); p && !lambda::parse_prewarm_mode(*p, c.prewarm))
      lr.error("prewarm", fmt::format("'prewarm' must be none, next-step or at-start, not '{}'", *p));
    if (auto const* ka = lr.find("keep_alive")) {
      auto const* kao = ka->if_object();
      std::string where = lr.at("keep_alive");
      if (!kao || kao->size() != 1) {
        out.push_back({where, "'keep_alive' must be one of {\"fixed_s\": seconds}, {\"random_ms\": distribution}, "
                              "{\"hybrid_histogram\": {}}"});
      } else {
        field_reader kr{*kao, where, out};
        if (auto v = kr.number("fixed_s", 0, 1e10)) c.keep_alive = {keep_alive_spec::kind::fixed, sim::saturating_seconds(*v), {}};
        else if (auto l = read_latency(kr, "random_ms")) c.keep_alive = {keep_alive_spec::kind::random, {}, *l};
        else if (kr.find("hybrid_histogram")) c.keep_alive.type = keep_alive_spec::kind::hybrid_histogram;
        else if (!kr.find("fixed_s") && !kr.find("random_ms"))
          unknown_fields(kr, {"fixed_s", "random_ms", "hybrid_histogram"}, "'keep_alive'");
      }
    }
    if (auto const* wv = lr.find("warmers")) {
      auto const* a = wv->if_array();
      if (!a) lr.error("warmers", "'warmers' must be an array of {\"function\", \"every_s\", \"concurrency\", \"until_s\"}");
      for (std::size_t i = 0; a && i < a->size(); ++i) {
        std::string where = asl::pointer_append(lr.at("warmers"), i);
        auto const* wo = (*a)[i].if_object();
        if (!wo) {
          out.push_back({where, "a warmer must be an object"});
          continue;
        }
        field_reader wr{*wo, where, out};
        unknown_fields(wr, {"function", "every_s", "concurrency", "until_s"}, "a warmer");
        run_config::warmer w;
        w.function = wr.string("function").value_or("");
        auto every = wr.number("every_s", 0.001, 1e9);
        auto until = wr.number("until_s", 0, 1e10);
        if (auto conc = wr.integer("concurrency", 1, 100000)) w.concurrency = int(*conc);
        if (!wr.find("function") || !wr.find("every_s") || !wr.find("until_s")) {
          out.push_back({where, "a warmer needs 'function', 'every_s' and 'until_s'"});
          continue;
        }
        if (w.function.empty() && wr.find("function")->is_string())
          out.push_back({asl::pointer_append(where, "function"), "a warmer's 'function' must not be empty"});
        if (w.function.empty() || !every || !until) continue;  // the field at fault has its error

        w.period = sim::saturating_seconds(*every);
        w.until = sim::saturating_seconds(*until);
        c.warmers.push_back(std::move(w));
      }
    }
    if (auto const* po = object_at(lr, "prices")) {
      field_reader pr{*po, lr.at("prices"), out};
      auto& p = c.service.pricing;
      unknown_fields(pr,
                     {"per_million_requests", "gb_second_x86_64", "gb_second_arm64", "provisioned_gb_second_x86_64",
                      "provisioned_gb_second_arm64", "bill_init", "sfn_standard_per_thousand_transitions",
                      "sfn_express_per_million_requests", "sfn_express_gb_second"},
                     "'prices'");
      auto price = [&](char const* k, double& into) {
        if (auto v = pr.number(k, 0, 1e6)) into = *v;
      };
      price("per_million_requests", p.per_million_requests);
      price("gb_second_x86_64", p.gb_second_x86_64);
      price("gb_second_arm64", p.gb_second_arm64);
      price("provisioned_gb_second_x86_64", p.provisioned_gb_second_x86_64);
      price("provisioned_gb_second_arm64", p.provisioned_gb_second_arm64);
      price("sfn_standard_per_thousand_transitions", p.sfn_standard_per_thousand_transitions);
      price("sfn_express_per_million_requests", p.sfn_express_per_million_requests);
      price("sfn_express_gb_second", p.sfn_express_gb_second);
      if (auto b = pr.boolean("bill_init")) p.bill_init = *b;
    }
  }
  if (auto const* oo = object_at(r, "orchestration")) {
    field_reader orr{*oo, r.at("orchestration"), out};
    unknown_fields(orr, {"transition_ms", "invoke_ms"}, "'orchestration'");
    c.transition_overhead = read_latency(orr, "transition_ms");
    c.invoke_overhead = read_latency(orr, "invoke_ms");
  }
  if (auto const* wo = object_at(r, "workloads")) {
    for (auto const& kv : *wo) {
      if (kv.key() == "*") continue;
      std::string where = asl::pointer_append(r.at("workloads"), kv.key());
      auto const* wobj = kv.value().if_object();
      if (!wobj) {
        out.push_back({where, "a workload must be an object"});
        continue;
      }
      workload_spec w;
      read_workload(field_reader{*wobj, where, out}, w, base_dir, s.start, s.workflows, c.functions);
      c.workloads[std::string(kv.key())] = std::move(w);
    }
  }
  if (c.workloads.empty()) out.push_back({ptr.empty() ? "" : ptr, "a study needs 'workloads': at least one workload"});
  for (std::size_t i = 0; i < c.warmers.size(); ++i)
    if (!c.functions.contains(c.warmers[i].function))
      out.push_back({asl::pointer_append("/lambda/warmers", i),
                     fmt::format("the warmer names the function '{}', which 'functions' does not describe",
                                 c.warmers[i].function)});
  // Every Lambda function the workflows call must be described.
  for (auto const& named : s.workflows) {
    auto const& wname = named.first;  // not a structured binding: clang 14 (the fuzz build) cannot capture one
    std::function<void(asl::state_machine const&)> visit = [&](asl::state_machine const& m) {
      for (auto const& st : m.states()) {
        if (auto fn = lambda::lambda_function_of(st); !fn.empty() && !c.functions.contains(fn))
          out.push_back({"/functions", fmt::format("the workflow '{}' calls the Lambda function '{}' (state '{}'), "
                                                   "which 'functions' does not describe",
                                                   wname, fn, st.name)});
        for (auto const& b : st.branches) visit(*b);
        if (st.item_processor) visit(*st.item_processor);
      }
    };
    visit(*named.second.machine);
  }
}

json::value merge_into(json::value base, json::value const& over, bool wildcard_children) {
  auto const* oo = over.if_object();
  if (!oo || !base.is_object()) return over;
  auto& bo = base.get_object();
  for (auto const& kv : *oo) {
    std::string_view key = kv.key();
    if (wildcard_children && key == "*") {
      for (auto& child : bo)
        if (child.key() != "*") child.value() = merge_into(child.value(), kv.value(), false);
      continue;
    }
    bool children = key == "functions" || key == "workloads";
    if (auto* existing = bo.if_contains(key)) *existing = merge_into(*existing, kv.value(), children);
    else bo[key] = kv.value();
  }
  return base;
}

/// Applies "*" defaults inside functions/workloads of a document.
void apply_wildcards(json::object& o) {
  for (auto key : {"functions", "workloads"}) {
    auto* m = o.if_contains(key);
    if (!m || !m->is_object()) continue;
    auto* star = m->get_object().if_contains("*");
    if (!star) continue;
    json::value defaults = *star;
    for (auto& child : m->get_object())
      if (child.key() != "*") child.value() = merge_into(defaults, child.value(), false);
    m->get_object().erase("*");
  }
}

/// The functions block in `name` (relative to `base_dir`): a JSON object.
std::optional<json::value> read_functions_file(std::string const& name, std::string const& base_dir,
                                               asl::diagnostics& out) {
  namespace fs = std::filesystem;
  fs::path path(name);
  if (path.is_relative() && !base_dir.empty()) path = fs::path(base_dir) / path;
  std::string error;
  auto text = stepsim::json::read_file(path.string(), stepsim::json::file_kind::study, error);
  if (!text) {
    out.push_back({"/functions", error});
    return std::nullopt;
  }
  auto read = asl::read_json(stepsim::json::skip_bom(*text), asl::json_read_options{.find_duplicate_keys = true});
  if (!read.value) {
    out.push_back({"/functions", fmt::format("'{}' is not valid JSON: {}", path.string(), read.error)});
    return std::nullopt;
  }
  for (auto const& d : read.duplicates)
    out.push_back({"/functions", fmt::format("'{}': {}", path.string(), asl::to_string(d))});
  if (!read.value->is_object()) {
    out.push_back({"/functions", fmt::format("'{}' must hold a JSON object: function name -> settings", path.string())});
    return std::nullopt;
  }
  if (!read.duplicates.empty()) return std::nullopt;
  return std::move(read.value);
}

}  // namespace

std::optional<std::string> file_name_problem(std::string_view name) {
  if (name.empty()) return "it is empty";
  if (name.size() > 200) return fmt::format("it is {} bytes long, more than 200", name.size());
  for (unsigned char c : name) {
    if (c == '/' || c == '\\') return fmt::format("it contains the path separator '{}'", char(c));
    if (c < 0x20 || c == 0x7f) return fmt::format("it contains the control character U+{:04X}", unsigned(c));
  }
  if (name.find("..") != std::string_view::npos) return "it contains '..'";
  return std::nullopt;
}

std::optional<std::filesystem::path> output_path(std::filesystem::path const& dir,
                                                 std::filesystem::path const& name) {
  namespace fs = std::filesystem;
  if (name.empty() || name.is_absolute() || name.has_root_name()) return std::nullopt;
  for (auto const& part : name)
    if (part == ".." || part == ".") return std::nullopt;
  std::error_code ec;
  auto base = fs::weakly_canonical(dir, ec);
  if (ec) return std::nullopt;
  auto full = fs::weakly_canonical(base / name, ec);
  if (ec) return std::nullopt;
  auto [end, rest] = std::mismatch(base.begin(), base.end(), full.begin(), full.end());
  if (end != base.end() || rest == full.end()) return std::nullopt;
  return full;
}

double planned_executions(workload_spec const& w) {
  auto const seconds = std::chrono::duration<double>(w.duration).count();
  switch (w.type) {
    case workload_spec::kind::thread_group: return double(w.threads) * double(w.loops);
    case workload_spec::kind::constant: return std::ceil(w.rate_per_s * seconds);
    case workload_spec::kind::poisson: {
      double peak = w.hourly.empty() ? 1.0 : *std::max_element(w.hourly.begin(), w.hourly.end());
      return std::ceil(w.rate_per_s * peak * seconds);
    }
    case workload_spec::kind::trace: return double(w.trace.size());
  }
  return 0;
}

std::optional<asl::diagnostic> check_planned_executions(study const& s, std::optional<std::string> const& only) {
  double total = 0, largest = -1;
  run_config const* at_config = nullptr;
  std::string at_workload;
  for (auto const& c : s.scenarios) {
    if (only && c.scenario != *only) continue;
    for (auto const& [name, w] : c.workloads) {
      double n = planned_executions(w) * double(s.replications);
      total += n;
      if (n > largest) largest = n, at_config = &c, at_workload = name;
    }
  }
  if (!(total > max_planned_executions) || !at_config) return std::nullopt;
  auto const& w = at_config->workloads.at(at_workload);
  char const* field = "rate_per_s";
  char const* fields = "rate_per_s x duration_s";
  if (w.type == workload_spec::kind::thread_group) field = "threads", fields = "threads x loops";
  else if (w.type == workload_spec::kind::poisson && !w.hourly.empty())
    fields = "rate_per_s x the largest 'hourly' multiplier x duration_s";
  else if (w.type == workload_spec::kind::trace) field = "file", fields = "the rows of its trace";
  std::string where = asl::pointer_append(asl::pointer_append("/workloads", at_workload), field);
  std::string scenario = s.scenarios.size() > 1 || at_config->scenario != "baseline"
                             ? fmt::format("scenario '{}': ", at_config->scenario)
                             : std::string();
  return asl::diagnostic{
      where, fmt::format("{}the study plans {:.0f} executions in all (scenarios x {} replications), more than the {:.0f} "
                         "a study may plan; this workload plans {:.0f} per run ({}). Make it smaller, or pass "
                         "--allow-large to run it anyway",
                         scenario, total, s.replications, max_planned_executions, planned_executions(w), fields)};
}

json::value merge(json::value base, json::value const& overrides) { return merge_into(std::move(base), overrides, false); }

study_result parse_study(std::string_view text, std::string const& base_dir) {
  study_result res;
  auto& out = res.errors;
  // A study is the user's own file: a key written twice is refused, not silently dropped.
  auto read = asl::read_json(stepsim::json::skip_bom(text), asl::json_read_options{.find_duplicate_keys = true});
  if (!read.value) {
    out.push_back({"", "the study is not valid JSON: " + read.error});
    return res;
  }
  for (auto const& d : read.duplicates)
    out.push_back({asl::pointer_append(d.pointer, d.key), asl::to_string(d)});
  if (!out.empty()) return res;
  auto doc = std::move(read.value);
  auto const* o = doc->if_object();
  if (!o) {
    out.push_back({"", "a study must be a JSON object"});
    return res;
  }
  // "functions": "FILE": the functions block is that file's object (what
  // `stepsim calibrate` writes), relative to the study's folder.
  if (auto* fv = doc->get_object().if_contains("functions"); fv && fv->is_string()) {
    if (auto block = read_functions_file(std::string(fv->get_string()), base_dir, out)) *fv = std::move(*block);
    else return res;
  }
  study s;
  field_reader r{*o, "", out};
  unknown_fields(r,
                 {"name", "comment", "start", "seed", "replications", "cold_gap_s", "workflows", "functions", "lambda",
                  "orchestration", "workloads", "scenarios", "sweep", "executions_csv", "warm_up_s"},
                 "the study");
  s.name = r.string("name").value_or("study");
  if (auto st = r.string("start")) {
    if (auto t = sim::parse_iso8601(*st)) s.start = *t;
    else r.error("start", fmt::format("'start' must be an ISO-8601 instant such as 2024-01-01T00:00:00Z, not '{}'", *st));
  } else {
    s.start = *sim::parse_iso8601("2024-01-01T00:00:00Z");
  }
  if (auto v = r.integer("seed", 0, INT64_MAX)) s.seed = std::uint64_t(*v);
  if (auto v = r.integer("replications", 1, 100000)) s.replications = int(*v);
  if (auto v = r.number("cold_gap_s", 0, 1e10)) s.cold_gap = sim::saturating_seconds(*v);
  if (auto b = r.boolean("executions_csv")) s.write_executions = *b;
  if (auto v = r.number("warm_up_s", 0, 1e10)) s.warm_up = sim::saturating_seconds(*v);

  if (auto const* wo = object_at(r, "workflows")) {
    for (auto const& kv : *wo) {
      std::string where = asl::pointer_append(r.at("workflows"), kv.key());
      auto const* wobj = kv.value().if_object();
      if (!wobj) {
        out.push_back({where, "a workflow must be an object with 'definition'"});
        continue;
      }
      field_reader wr{*wobj, where, out};
      unknown_fields(wr, {"definition", "input", "type"}, "a workflow");
      workflow_spec w;
      w.name = std::string(kv.key());
      if (auto const* in = wr.find("input")) w.input = *in;
      if (auto t = wr.string("type")) {
        if (*t == "EXPRESS") w.type = engine::execution_type::express;
        else if (*t != "STANDARD") wr.error("type", fmt::format("'type' must be STANDARD or EXPRESS, not '{}'", *t));
      }
      auto def = wr.string("definition");
      if (!def) {
        if (!wr.find("definition")) out.push_back({where, "a workflow needs 'definition': an ASL file"});
        continue;
      }
      w.definition_file = (std::filesystem::path(base_dir) / *def).string();
      std::string why;
      auto textdef = stepsim::json::read_file(w.definition_file, stepsim::json::file_kind::definition, why);
      if (!textdef) {
        wr.error("definition", why);
        continue;
      }
      auto parsed = asl::parse(*textdef);
      if (!parsed.ok()) {
        for (auto const& e : parsed.errors)
          wr.error("definition", fmt::format("{}: {}: {}", w.definition_file, e.pointer.empty() ? "/" : e.pointer,
                                             e.message));
        continue;
      }
      w.machine = parsed.machine;
      s.workflows[w.name] = std::move(w);
    }
  } else if (!r.find("workflows") && !only_functions_invoked(*o)) {
    out.push_back({"", "a study needs 'workflows': the workflows it runs"});
  }
  if (!out.empty()) return res;

  json::object base = *o;
  base.erase("scenarios");
  base.erase("sweep");
  apply_wildcards(base);
  std::vector<std::pair<std::string, json::object>> scenario_docs;
  if (auto const* sv = r.find("scenarios")) {
    auto const* a = sv->if_array();
    if (!a || a->empty()) {
      r.error("scenarios", "'scenarios' must be a non-empty array of {\"name\", \"overrides\"}");
      return res;
    }
    std::set<std::string> names;
    for (std::size_t i = 0; i < a->size(); ++i) {
      std::string where = asl::pointer_append(r.at("scenarios"), i);
      auto const* so = (*a)[i].if_object();
      if (!so) {
        out.push_back({where, "a scenario must be an object with 'name' and 'overrides'"});
        continue;
      }
      field_reader sr{*so, where, out};
      unknown_fields(sr, {"name", "description", "overrides"}, "a scenario");
      auto name = sr.string("name");
      if (!name) {
        if (!sr.find("name")) out.push_back({where, "a scenario needs 'name'"});
        continue;
      }
      // A scenario's name names files (aws/NAME-R.json): it must be one safe file name.
      if (auto why = file_name_problem(*name)) {
        sr.error("name", fmt::format("a scenario's name must be usable as a file name, and {}", *why));
        continue;
      }
      if (!names.insert(*name).second) sr.error("name", fmt::format("two scenarios are named '{}'", *name));
      json::value merged = base;
      if (auto const* ov = object_at(sr, "overrides")) {
        for (auto const& kv : *ov)
          if (kv.key() == "workflows" || kv.key() == "scenarios" || kv.key() == "sweep" || kv.key() == "seed" ||
              kv.key() == "start")
            out.push_back({asl::pointer_append(sr.at("overrides"), kv.key()),
                           fmt::format("a scenario cannot override '{}'", std::string_view(kv.key()))});
        merged = merge_into(std::move(merged), *ov, false);
        apply_wildcards(merged.get_object());
      }
      scenario_docs.emplace_back(*name, merged.get_object());
      scenario_docs.back().second["__description"] = sr.string("description").value_or("");
    }
  } else {
    scenario_docs.emplace_back("baseline", base);
  }
  // A sweep crosses every scenario (or the study alone) with its grid's points.
  std::vector<detail::sweep_point> points;
  std::vector<detail::sweep_point const*> point_of(scenario_docs.size(), nullptr);
  if (auto const* sweep = r.find("sweep")) {
    auto expanded = detail::expand_sweep(*sweep, out);
    if (!expanded || !out.empty()) return res;
    points = std::move(*expanded);
    bool declared = r.find("scenarios") != nullptr;
    std::vector<std::pair<std::string, json::object>> crossed;
    point_of.clear();
    for (auto const& [name, doc_obj] : scenario_docs)
      for (auto const& p : points) {
        json::value merged = merge_into(doc_obj, p.overrides, false);
        apply_wildcards(merged.get_object());
        auto full = declared ? name + "," + p.name : p.name;
        if (auto why = file_name_problem(full)) {
          out.push_back({"/sweep", fmt::format("the scenario name '{}' is not usable as a file name: {}", full, *why)});
          return res;
        }
        crossed.emplace_back(std::move(full), std::move(merged.get_object()));
        if (auto const* d = doc_obj.if_contains("__description")) crossed.back().second["__description"] = *d;
        point_of.push_back(&p);
      }
    scenario_docs = std::move(crossed);
  }
  // Problems of the study itself are reported once, without a scenario's name.
  {
    run_config c;
    read_run_config(base, "", out, base_dir, s, c);
    if (!out.empty()) return res;
  }
  std::set<std::pair<std::string, std::string>> sweep_errors;  // a bad value is named once, not once per point
  for (std::size_t i = 0; i < scenario_docs.size(); ++i) {
    auto& [name, doc_obj] = scenario_docs[i];
    run_config c;
    c.scenario = name;
    if (auto const* d = doc_obj.if_contains("__description")) c.description = std::string(d->get_string());
    doc_obj.erase("__description");
    if (point_of[i]) c.point = point_of[i]->coordinates;
    asl::diagnostics scenario_errors;
    read_run_config(doc_obj, "", scenario_errors, base_dir, s, c);
    for (auto& e : scenario_errors) {
      if (auto at = point_of[i] ? detail::sweep_pointer(*point_of[i], e.pointer) : std::nullopt) {
        if (sweep_errors.emplace(*at, e.message).second) out.push_back({*at, e.message});
        continue;
      }
      e.message = fmt::format("scenario '{}': {}", name, e.message);
      out.push_back(std::move(e));
    }
    s.scenarios.push_back(std::move(c));
  }
  if (out.empty()) res.value = std::move(s);
  return res;
}

study_result load_study(std::string const& file) {
  std::string why;
  auto text = stepsim::json::read_file(file, stepsim::json::file_kind::study, why);
  if (!text) {
    study_result r;
    r.errors.push_back({"", why});
    return r;
  }
  auto r = parse_study(*text, std::filesystem::path(file).parent_path().string());
  if (r.value) r.value->file = file;
  return r;
}

function_settings_result parse_function_settings(json::value const& settings, std::string name,
                                                 std::string const& pointer) {
  function_settings_result r;
  auto const* o = settings.if_object();
  if (!o) {
    r.errors.push_back({pointer, "a function's settings must be an object"});
    return r;
  }
  lambda::function_config f;
  f.name = std::move(name);
  read_function(field_reader{*o, pointer, r.errors}, f);
  if (r.errors.empty()) r.value = std::move(f);
  return r;
}

}  // namespace stepsim::study
