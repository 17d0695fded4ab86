#include <stepsim/study/runner.hpp>

#include <stepsim/engine/engine.hpp>
#include <stepsim/lambda/prewarm.hpp>
#include <stepsim/lambda/pricing.hpp>
#include <stepsim/lambda/service.hpp>
#include <stepsim/sim/scheduler.hpp>
#include <stepsim/task_adapters/lambda_tasks.hpp>
#include <stepsim/tasks/registry.hpp>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/deferred.hpp>
#include <boost/asio/detached.hpp>
#include <boost/json.hpp>
#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <condition_variable>
#include <mutex>
#include <queue>
#include <thread>

namespace stepsim::study {

namespace asio = boost::asio;
namespace json = boost::json;

// ---- duration_stats ---------------------------------------------------------

namespace {

// Histogram buckets 0.5% wide on a log scale; bucket 0 holds values <= 0.001 ms.
int bucket_of(double ms) { return ms <= 0.001 ? 0 : 1 + int(std::floor(std::log(ms / 0.001) / std::log(1.005))); }
double bucket_value(int b) { return b == 0 ? 0.0 : 0.001 * std::pow(1.005, double(b) - 0.5); }

}  // namespace

void duration_stats::add(double ms) {
  if (n_ == 0) min_ = max_ = ms;
  min_ = std::min(min_, ms);
  max_ = std::max(max_, ms);
  ++n_;
  sum_ += ms;
  if (keep_) {
    values_.push_back(ms);
    sorted_ = false;
  } else {
    ++buckets_[bucket_of(ms)];
  }
}

double duration_stats::percentile(double p) const {
  if (n_ == 0) return 0;
  auto rank = static_cast<std::uint64_t>(std::ceil(p / 100.0 * double(n_)));
  rank = std::clamp<std::uint64_t>(rank, 1, n_);
  if (keep_) {
    sort();
    return values_[rank - 1];
  }
  std::uint64_t acc = 0;
  for (auto const& [b, c] : buckets_) {
    acc += c;
    if (acc >= rank) return std::clamp(bucket_value(b), min_, max_);
  }
  return max_;
}

void duration_stats::merge(duration_stats const& o) {
  if (o.n_ == 0) return;
  if (n_ == 0) min_ = o.min_, max_ = o.max_;
  min_ = std::min(min_, o.min_);
  max_ = std::max(max_, o.max_);
  n_ += o.n_;
  sum_ += o.sum_;
  if (sorted_ && o.sorted_ && !values_.empty() && !o.values_.empty()) {
    // Sorted halves (a shard's part stores them sorted) merge in linear time, and stay sorted.
    std::vector<double> both(values_.size() + o.values_.size());
    std::merge(values_.begin(), values_.end(), o.values_.begin(), o.values_.end(), both.begin());
    values_.swap(both);
  } else if (!o.values_.empty()) {
    sorted_ = values_.empty() && o.sorted_;
    values_.insert(values_.end(), o.values_.begin(), o.values_.end());
  }
  for (auto const& [b, c] : o.buckets_) buckets_[b] += c;
}

void duration_stats::sort() const {
  if (!sorted_) std::sort(values_.begin(), values_.end()), sorted_ = true;
}

duration_stats::state duration_stats::save() const {
  sort();
  return state{keep_, n_, sum_, min_, max_, values_, buckets_};
}

duration_stats duration_stats::restore(state s) {
  duration_stats d(s.keep);
  d.n_ = s.n;
  d.sum_ = s.sum;
  d.min_ = s.min;
  d.max_ = s.max;
  d.values_ = std::move(s.values);
  d.sorted_ = std::is_sorted(d.values_.begin(), d.values_.end());
  d.buckets_ = std::move(s.buckets);
  return d;
}

std::vector<std::pair<double, double>> duration_stats::cdf(std::size_t points) const {
  std::vector<std::pair<double, double>> out;
  if (n_ == 0 || points < 2) return out;
  for (std::size_t i = 0; i < points; ++i) {
    double p = 100.0 * double(i) / double(points - 1);
    out.emplace_back(percentile(std::max(p, 0.0001)), p / 100.0);
  }
  return out;
}

// ---- one run -----------------------------------------------------------------

namespace {

/// A run's seed from (study seed, replication), mixed. Scenarios share it on
/// purpose (common random numbers): two scenarios differ only by their
/// settings, not by their draws, so their comparison carries no sampling noise.
std::uint64_t run_seed(std::uint64_t seed, int replication) {
  std::uint64_t h = 1469598103934665603ULL ^ seed;
  h = (h ^ std::uint64_t(replication)) * 1099511628211ULL;
  h ^= h >> 33;
  h *= 0xff51afd7ed558ccdULL;
  h ^= h >> 33;
  return h;
}

struct in_flight {
  execution_record rec;
};

struct run_state {
  study const& s;
  run_config const& c;
  run_result& result;
  sim::scheduler sched;
  sim::rng rng;
  lambda::service svc;
  lambda::prewarmer prewarm;
  tasks::registry registry;
  std::unique_ptr<engine::engine> eng;
  std::unordered_map<std::uint64_t, in_flight> running;
  sim::random_stream invoke_overhead_rng;
  bool keep;

  run_state(study const& st, run_config const& cfg, run_result& r, std::uint64_t seed)
      : s(st),
        c(cfg),
        result(r),
        sched(sim::scheduler::virtual_time(st.start)),
        rng(seed),
        svc(sched, rng, cfg.service),
        prewarm(svc, cfg.prewarm),
        invoke_overhead_rng(rng.stream("study/invoke-overhead")),
        keep(st.write_executions) {}
};

class recording_sink : public lambda::record_sink {
 public:
  explicit recording_sink(run_result& r) : r_(r) {}
  void on_invocation(lambda::invocation_record const& rec) override {
    r_.lambda.on_invocation(rec);
    if (r_.records) r_.records->add(rec);
  }
  void on_container(lambda::container_record const& rec) override {
    r_.lambda.on_container(rec);
    r_.containers.push_back(rec);
    if (r_.records) r_.records->add(rec);
  }

 private:
  run_result& r_;
};

std::uint64_t index_of(std::string_view name) {
  std::uint64_t i = 0;
  std::from_chars(name.data(), name.data() + name.size(), i);
  return i;
}

/// `function` must outlive the call: a Task's Resource lives in the study's
/// state machine, a lambda:invoke request in the frame of its caller.
asio::awaitable<json::value> call_lambda(run_state& rs, std::string_view function, json::value payload,
                                         std::uint64_t idx) {
  if (rs.c.invoke_overhead)
    co_await rs.sched.async_sleep(rs.c.invoke_overhead->sample(rs.invoke_overhead_rng), asio::deferred);
  lambda::invocation_result res;
  // Named: g++ 12 may destroy a temporary of a co_await expression twice.
  auto op = rs.svc.async_invoke_into(function, std::move(payload), std::to_string(idx), res, asio::deferred);
  co_await std::move(op);
  if (auto it = rs.running.find(idx); it != rs.running.end()) {
    auto& rec = it->second.rec;
    ++rec.invocations;
    if (res.record.cold) ++rec.cold_starts;
    if (res.result == lambda::outcome::throttled) ++rec.throttles;
    rec.init += res.record.init;
    rec.run += res.record.run;
  }
  if (res.result != lambda::outcome::success) throw tasks::task_error(res.error, res.cause);
  co_return std::move(res.payload);
}

void bind(run_state& rs) {
  rs.registry.add_async("arn:aws:lambda:*:function:*", [&rs](tasks::invocation const& inv) {
    return call_lambda(rs, inv.resource, inv.movable_input ? std::move(*inv.movable_input) : json::value(inv.input),
                       index_of(inv.execution_name));
  }, tasks::context_use::ignores);
  rs.registry.add_async("arn:aws:states:::lambda:invoke", [&rs](tasks::invocation const& inv) {
    return [](run_state& r, tasks::lambda_invoke_request req, std::uint64_t idx) -> asio::awaitable<json::value> {
      auto result = co_await call_lambda(r, req.function, std::move(req.payload), idx);
      co_return tasks::lambda_invoke_result(std::move(result));
    }(rs, tasks::read_lambda_invoke(inv.input), index_of(inv.execution_name));
  }, tasks::context_use::ignores);
  // Any other resource: returns its input at once (studies model Lambda functions only).
  rs.registry.add("*", [](json::value const& in) { return in; });
}

void finished(run_state& rs, std::uint64_t idx, engine::execution_result const& r) {
  auto it = rs.running.find(idx);
  if (it == rs.running.end()) return;
  auto rec = std::move(it->second.rec);
  rs.running.erase(it);
  rec.stop = *r.stop_date;
  rec.status = r.status;
  rec.error = r.error.value_or("");
  rec.transitions = r.states_entered;
  auto& w = rs.result.workflows.try_emplace(rec.workflow, rs.keep).first->second;
  double ms = std::chrono::duration<double, std::milli>(rec.duration()).count();
  w.all.add(ms);
  (rec.cold() ? w.cold : w.warm).add(ms);
  ++(r.succeeded() ? w.succeeded : w.failed);
  w.throttles += std::uint64_t(rec.throttles);
  w.cold_starts += std::uint64_t(rec.cold_starts);
  w.invocations += std::uint64_t(rec.invocations);
  w.init += rec.init;
  w.run += rec.run;
  auto orchestration = rec.duration() - rec.init - rec.run;
  if (orchestration > sim::duration::zero()) w.orchestration += orchestration;
  w.transitions += rec.transitions;
  auto const& spec = rs.s.workflows.at(rec.workflow);
  auto const& prices = rs.c.service.pricing;
  rs.result.workflow_cost += spec.type == engine::execution_type::express
                                 ? lambda::express_workflow_cost(prices, rec.duration())
                                 : lambda::standard_workflow_cost(prices, rec.transitions);
  if (rs.keep) rs.result.executions.push_back(std::move(rec));
}

/// Starts executions as the workloads' arrivals come due (merged in time order).
asio::awaitable<void> drive(run_state& rs) {
  struct source {
    std::unique_ptr<arrival_stream> stream;
    std::optional<arrival> next;
  };
  std::vector<source> sources;
  for (auto const& [name, w] : rs.c.workloads) {
    auto hour = int(std::chrono::floor<std::chrono::hours>(rs.s.start.time_since_epoch()).count() % 24);
    source src{make_stream(w, rs.rng.stream("workload/" + name), hour), std::nullopt};
    src.next = src.stream->next();
    sources.push_back(std::move(src));
  }
  std::uint64_t index = 0;
  for (;;) {
    source* first = nullptr;
    for (auto& src : sources)
      if (src.next && (!first || src.next->at < first->next->at)) first = &src;
    if (!first) break;
    auto a = std::move(*first->next);
    first->next = first->stream->next();
    co_await rs.sched.async_sleep_until(sim::saturating_add(rs.s.start, a.at), asio::deferred);
    if (!a.function.empty()) {  // a direct invocation: no execution, no Step Functions overhead
      json::value payload = json::object();
      rs.svc.async_invoke(a.function, std::move(payload), [](boost::system::error_code, lambda::invocation_result) {});
      continue;
    }
    auto const& wf = rs.s.workflows.at(a.workflow);
    auto idx = index++;
    execution_record rec;
    rec.index = idx;
    rec.workflow = a.workflow;
    rec.period = a.period;
    rec.start = rs.sched.now();
    rs.running.emplace(idx, in_flight{std::move(rec)});
    engine::execution_options o;
    o.name = std::to_string(idx);
    o.state_machine_name = a.workflow;
    o.type = wf.type;
    o.max_transitions = 100000;
    // The study outlives the run: the engine gets the machine without an
    // owner, so that runs on other threads (--jobs) never write one shared
    // use count, twice per execution.
    std::shared_ptr<asl::state_machine const> machine(std::shared_ptr<void>(), wf.machine.get());
    rs.eng->start(std::move(machine), wf.input, std::move(o),
                  [&rs, idx](engine::execution_result const& r) { finished(rs, idx, r); });
  }
}

}  // namespace

std::shared_ptr<lambda::keep_alive_policy> make_keep_alive(keep_alive_spec const& k) {
  switch (k.type) {
    case keep_alive_spec::kind::random:
      return std::make_shared<lambda::random_keep_alive>(k.random);
    case keep_alive_spec::kind::hybrid_histogram:
      return std::make_shared<lambda::hybrid_histogram_keep_alive>();
    case keep_alive_spec::kind::fixed:
      break;
  }
  return std::make_shared<lambda::fixed_keep_alive>(k.fixed);
}

run_result run_once(study const& s, run_config const& c, int replication, std::filesystem::path const& records_dir) {
  run_result result;
  result.scenario = c.scenario;
  result.replication = replication;
  result.seed = run_seed(s.seed, replication);
  result.start = s.start;
  result.lambda.measure_from = sim::saturating_add(s.start, s.warm_up);
  if (!records_dir.empty()) result.records = std::make_shared<record_parts>(records_dir, c.scenario, replication, s.start);
  run_state rs(s, c, result, result.seed);
  recording_sink sink(result);
  rs.svc.set_sink(&sink);
  rs.svc.set_keep_alive(make_keep_alive(c.keep_alive));
  for (auto const& [name, f] : c.functions) rs.svc.add(f);
  for (auto const& w : c.warmers) rs.svc.start_warmer(w.function, w.period, w.concurrency, w.until);
  bind(rs);
  engine::engine_options eo;
  eo.seed = result.seed;
  if (c.transition_overhead) {
    auto l = *c.transition_overhead;
    eo.transition_overhead = [l](sim::random_stream& r) { return l.sample(r); };
  }
  if (c.prewarm != lambda::prewarm_mode::none) {
    eo.on_execution_started = [&rs](asl::state_machine const& m, std::string const&) { rs.prewarm.execution_started(m); };
    eo.on_state_entered = [&rs](asl::state_machine const& m, asl::state const& st) { rs.prewarm.state_entered(m, st); };
  }
  rs.eng = std::make_unique<engine::engine>(rs.sched, rs.registry, std::move(eo));
  asio::co_spawn(rs.sched.get_executor(), drive(rs), asio::detached);
  rs.sched.run();
  result.end = rs.sched.now();
  result.provisioned_cost = rs.svc.finish();
  if (result.records) result.records->close();
  std::sort(result.executions.begin(), result.executions.end(),
            [](execution_record const& a, execution_record const& b) { return a.index < b.index; });
  return result;
}

std::vector<std::pair<run_config const*, int>> runs_of(study const& s, std::optional<std::string> const& only) {
  std::vector<std::pair<run_config const*, int>> work;
  for (auto const& c : s.scenarios)
    if (!only || c.scenario == *only)
      for (int r = 0; r < s.replications; ++r) work.emplace_back(&c, r);
  return work;
}

void run_each(study const& s, int jobs, std::optional<std::string> const& only,
              std::function<void(run_result&&)> const& consume,
              std::function<void(std::size_t, std::size_t)> const& progress,
              std::filesystem::path const& records_dir, shard part) {
  std::vector<std::pair<run_config const*, int>> work;
  auto all = runs_of(s, only);
  for (std::size_t k = 0; k < all.size(); ++k)
    if (part.count <= 1 || k % std::size_t(part.count) == std::size_t(part.index)) work.push_back(all[k]);
  jobs = std::max(1, std::min<int>(jobs, int(work.size())));
  // A worker starts run i only while i < delivered + window, so the runs
  // ended but not yet handed over stay few whatever their order of ending.
  const std::size_t window = 2 * std::size_t(jobs);
  std::map<std::size_t, run_result> ready;
  std::size_t next = 0, delivered = 0;
  std::mutex m;
  std::condition_variable cv;
  std::exception_ptr failure;
  auto fail = [&](std::exception_ptr e) {
    std::lock_guard lock(m);
    if (!failure) failure = std::move(e);
    cv.notify_all();
  };
  auto worker = [&] {
    for (;;) {
      std::size_t i = 0;
      {
        std::unique_lock lock(m);
        cv.wait(lock, [&] { return failure || next >= work.size() || next < delivered + window; });
        if (failure || next >= work.size()) return;
        i = next++;
      }
      try {
        auto r = run_once(s, *work[i].first, work[i].second, records_dir);
        std::lock_guard lock(m);
        ready.emplace(i, std::move(r));
        cv.notify_all();
      } catch (...) {
        fail(std::current_exception());
        return;
      }
    }
  };
  std::vector<std::thread> threads;
  for (int j = 0; j < jobs; ++j) threads.emplace_back(worker);
  try {
    while (delivered < work.size()) {
      run_result r;
      {
        std::unique_lock lock(m);
        cv.wait(lock, [&] { return failure || ready.contains(delivered); });
        if (failure) break;
        auto node = ready.extract(delivered);
        r = std::move(node.mapped());
      }
      consume(std::move(r));
      {
        std::lock_guard lock(m);
        ++delivered;
        cv.notify_all();
      }
      if (progress) progress(delivered, work.size());
    }
  } catch (...) {
    fail(std::current_exception());
  }
  for (auto& t : threads) t.join();
  if (failure) std::rethrow_exception(failure);
}

std::vector<run_result> run_all(study const& s, int jobs, std::optional<std::string> const& only,
                                std::function<void(std::size_t, std::size_t)> const& progress) {
  std::vector<run_result> results;
  run_each(s, jobs, only, [&](run_result&& r) { results.push_back(std::move(r)); }, progress);
  return results;
}

}  // namespace stepsim::study
