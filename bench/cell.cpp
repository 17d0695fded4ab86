#include "cell.hpp"

#include <stepsim/asl/json_text.hpp>
#include <stepsim/asl/parse.hpp>
#include <stepsim/engine/engine.hpp>
#include <stepsim/sim/scheduler.hpp>
#include <stepsim/tasks/registry.hpp>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value_from.hpp>
#include <boost/json/value_to.hpp>
#include <fmt/format.h>

#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstring>
#include <stdexcept>

namespace stepsim::bench {

namespace json = boost::json;

double seconds_since(clock::time_point t0) { return std::chrono::duration<double>(clock::now() - t0).count(); }

void finish(cell_result& c, std::uint64_t executions, std::uint64_t states, double wall) {
  c.executions = executions;
  c.wall_s = wall;
  c.exec_per_s = wall > 0 ? static_cast<double>(executions) / wall : 0;
  c.transitions_per_s = wall > 0 ? static_cast<double>(states) / wall : 0;
  c.ms_per_op = executions ? wall * 1e3 / static_cast<double>(executions) : 0;
}

namespace {

std::uint64_t scaled(std::uint64_t n, double scale) {
  return std::max<std::uint64_t>(1, static_cast<std::uint64_t>(std::llround(static_cast<double>(n) * scale)));
}

/// Throws with a short description when `r` is not the expected success.
void check(engine::execution_result const& r, json::value const& expected) {
  if (!r.succeeded())
    throw std::runtime_error(fmt::format("execution {}: {} {}", engine::to_string(r.status), r.error.value_or(""),
                                         r.cause.value_or("")));
  if (*r.output != expected) {
    auto text = asl::to_text(*r.output);
    if (text.size() > 200) text = text.substr(0, 200) + "...";
    throw std::runtime_error(fmt::format("wrong output: {}", text));
  }
}

}  // namespace

cell_result run_workload(workload const& w, std::string const& mode, cell_options const& o) {
  cell_result c;
  c.workload = w.name;
  c.mode = mode;
  if (!w.load_error.empty()) {
    c.error = w.load_error;
    return c;
  }
  auto sched = sim::scheduler::virtual_time(sim::instant{});
  tasks::registry tasks;
  // Every Task returns its input, taken by value: the engine moves it in, so
  // the handler copies nothing (as the peer's tasks return the same object).
  tasks.add_consuming("*", [](json::value in) { return in; });
  engine::engine eng(sched, tasks);
  engine::execution_options eo;
  eo.history = o.history;
  try {
    // Verification run: output and states entered per execution.
    auto first = eng.run(w.machine, w.input, eo);
    check(first, w.expected);
    c.states_per_execution = first.states_entered;
    if (first.states_entered != w.states_per_execution)
      throw std::runtime_error(fmt::format("entered {} states, workloads.json says {}", first.states_entered,
                                           w.states_per_execution));
    for (int i = 0; i < 3; ++i) check(eng.run(w.machine, w.input, eo), w.expected);  // warm-up

    std::uint64_t executions = 0, states = 0;
    auto const t0 = clock::now();
    if (mode == "seq") {
      auto const n = scaled(w.sequential_executions, o.scale);
      c.batch = 1;
      // Each execution's input is the previous one's, moved out of its result
      // (an execution keeps its input unchanged), so the harness copies no JSON.
      json::value input = w.input;
      do {
        for (std::uint64_t i = 0; i < n; ++i) {
          auto r = eng.run(w.machine, std::move(input), eo);
          check(r, w.expected);
          states += r.states_entered;
          input = std::move(r.input);
        }
        executions += n;
      } while (seconds_since(t0) < o.min_time_s);
    } else if (mode == "conc") {
      auto const batch = scaled(w.name == "map1000" ? o.map1000_batch : w.concurrent_batch, o.scale);
      auto const rounds = w.concurrent_rounds;
      c.batch = batch;
      std::string failure;
      std::uint64_t done = 0;
      auto on_done = [&](engine::execution_result const& r) {
        ++done;
        states += r.states_entered;
        if (failure.empty()) try {
            check(r, w.expected);
          } catch (std::exception const& e) {
            failure = e.what();
          }
      };
      do {
        for (std::uint64_t round = 0; round < rounds; ++round) {
          for (std::uint64_t i = 0; i < batch; ++i) eng.start(w.machine, w.input, eo, on_done);
          sched.run();
          executions += batch;
          if (!failure.empty()) throw std::runtime_error(failure);
          if (done != executions)
            throw std::runtime_error(fmt::format("{} of {} executions finished", done, executions));
        }
      } while (seconds_since(t0) < o.min_time_s);
    } else {
      throw std::invalid_argument("mode must be seq or conc");
    }
    finish(c, executions, states, seconds_since(t0));
  } catch (std::exception const& e) {
    c.error = e.what();
  }
  return c;
}

cell_result run_parse500(cell_options const& o) {
  cell_result c;
  c.workload = "parse500";
  c.mode = "parse";
  c.batch = 1;
  c.states_per_execution = 500;
  auto const text = generated_definition(500);
  try {
    auto const first = asl::parse(text);
    if (!first.ok()) {
      std::string msg = "generated definition does not parse:";
      for (auto const& d : first.errors) msg += fmt::format("\n  {}", d.message);
      throw std::runtime_error(msg);
    }
    if (first.machine->states().size() != 500)
      throw std::runtime_error(fmt::format("parsed {} states, expected 500", first.machine->states().size()));
    std::uint64_t n = 0;
    auto const t0 = clock::now();
    do {
      if (!asl::parse(text).ok()) throw std::runtime_error("parse500: a later parse failed");
      ++n;
    } while (seconds_since(t0) < o.min_time_s);
    finish(c, n, 0, seconds_since(t0));
  } catch (std::exception const& e) {
    c.error = e.what();
  }
  return c;
}

cell_result run_isolated(std::string const& workload, std::string const& mode,
                         std::function<cell_result()> const& body) {
  cell_result failed;
  failed.workload = workload;
  failed.mode = mode;
  int fds[2];
  if (::pipe(fds) != 0) {
    failed.error = fmt::format("pipe: {}", std::strerror(errno));
    return failed;
  }
  std::fflush(nullptr);
  pid_t pid = ::fork();
  if (pid < 0) {
    failed.error = fmt::format("fork: {}", std::strerror(errno));
    return failed;
  }
  if (pid == 0) {
    ::close(fds[0]);
    int rc = 0;
    try {
      auto text = json::serialize(body().to_json());
      for (std::size_t off = 0; off < text.size();) {
        auto k = ::write(fds[1], text.data() + off, text.size() - off);
        if (k <= 0) break;
        off += static_cast<std::size_t>(k);
      }
    } catch (...) {
      rc = 2;
    }
    ::_exit(rc);
  }
  ::close(fds[1]);
  std::string text;
  char buf[4096];
  for (ssize_t k; (k = ::read(fds[0], buf, sizeof buf)) != 0;) {
    if (k < 0) {
      if (errno == EINTR) continue;
      break;
    }
    text.append(buf, static_cast<std::size_t>(k));
  }
  ::close(fds[0]);
  int status = 0;
  rusage ru{};
  while (::wait4(pid, &status, 0, &ru) < 0 && errno == EINTR) {
  }
  if (WIFSIGNALED(status)) {
    failed.error = fmt::format("child killed by signal {} ({})", WTERMSIG(status), strsignal(WTERMSIG(status)));
    return failed;
  }
  boost::system::error_code ec;
  auto v = json::parse(text, ec);
  if (ec || !v.is_object() || WEXITSTATUS(status) != 0) {
    failed.error = fmt::format("child exited with {} and no result", WEXITSTATUS(status));
    return failed;
  }
  auto r = cell_result::from_json(v.as_object());
  r.peak_rss_mb = static_cast<double>(ru.ru_maxrss) / 1024.0;  // Linux: kilobytes
  return r;
}

json::object cell_result::to_json() const {
  if (mode == "eval") {  // a JSONata expression: evaluations, as the reference's bench.mjs reports them
    json::object o{{"workload", workload}, {"mode", mode}, {"evals", executions}, {"wall_s", wall_s},
                   {"evals_per_s", exec_per_s}};
    if (!error.empty()) o["error"] = error;
    return o;
  }
  json::object o{{"workload", workload},
                 {"mode", mode},
                 {"executions", executions},
                 {"batch", batch},
                 {"states_per_exec", states_per_execution},
                 {"wall_s", wall_s},
                 {"exec_per_s", exec_per_s},
                 {"transitions_per_s", transitions_per_s},
                 {"ms_per_op", ms_per_op},
                 {"peak_rss_mb", peak_rss_mb}};
  if (p50_ms >= 0) o["p50_ms"] = p50_ms;
  if (p99_ms >= 0) o["p99_ms"] = p99_ms;
  if (ratio >= 0) o["ratio"] = ratio;
  if (!error.empty()) o["error"] = error;
  return o;
}

cell_result cell_result::from_json(json::object const& o) {
  auto num = [&](char const* k) { return json::value_to<double>(o.at(k)); };
  auto u64 = [&](char const* k) { return json::value_to<std::uint64_t>(o.at(k)); };
  cell_result c;
  c.workload = json::value_to<std::string>(o.at("workload"));
  c.mode = json::value_to<std::string>(o.at("mode"));
  if (auto const* e = o.if_contains("error")) c.error = json::value_to<std::string>(*e);
  if (c.mode == "eval") {
    c.batch = 1;
    c.executions = u64("evals");
    c.wall_s = num("wall_s");
    c.exec_per_s = num("evals_per_s");
    c.ms_per_op = c.executions ? c.wall_s * 1e3 / static_cast<double>(c.executions) : 0;
    return c;
  }
  c.executions = u64("executions");
  c.batch = u64("batch");
  c.states_per_execution = u64("states_per_exec");
  c.wall_s = num("wall_s");
  c.exec_per_s = num("exec_per_s");
  c.transitions_per_s = num("transitions_per_s");
  c.ms_per_op = num("ms_per_op");
  c.peak_rss_mb = num("peak_rss_mb");
  if (o.contains("p50_ms")) c.p50_ms = num("p50_ms");
  if (o.contains("p99_ms")) c.p99_ms = num("p99_ms");
  if (o.contains("ratio")) c.ratio = num("ratio");
  if (auto const* e = o.if_contains("error")) c.error = json::value_to<std::string>(*e);
  return c;
}

}  // namespace stepsim::bench
