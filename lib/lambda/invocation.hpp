// stepsim::lambda::invoker: the steps of an invocation, from arrival to billing (private to lambda).
#pragma once

#include "lambda/limits.hpp"
#include "lambda/pool.hpp"

#include <stepsim/json/text_memo.hpp>
#include <stepsim/lambda/service.hpp>

#include <boost/json/value.hpp>

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>

namespace stepsim::lambda {

/// A function of the service: its configuration, random streams, environments and share of the limits.
struct function_state {
  function_config cfg;
  latency init;
  sim::random_stream init_rng, run_rng, keep_rng, fault_rng;
  lambda::pool pool;
  limits::function_share share;
  int warming = 0;    ///< pre-warmed environments still initializing
  int predicted = 0;  ///< requests announced by expect_request and not yet arrived
  sim::instant added_at{};

  function_state(function_config c, sim::rng const& rng, std::optional<sim::duration> max_lifetime);
};

class invoker;

/// One invocation in flight: a timer task on the scheduler, so a steady
/// stream of invocations allocates nothing here (the owner pools them).
struct call : sim::timer_task {
  enum class step { init_done, run_done, timed_out };
  invoker* owner = nullptr;
  function_state* f = nullptr;  ///< nullptr until the function is found
  container c;
  step next = step::run_done;
  boost::json::value payload;
  invocation_result res;
  void on_timer() override;
};

/// The invocation steps and the service's state, without Asio's completion
/// machinery: a request arrives (`arrive`: find the function, draw a fault,
/// admit it through the limits, take or create an environment), initializes
/// when cold, runs, and ends (`advance`, called back by the scheduler:
/// handler, timeout or crash, billing, the environment back to its pool or
/// destroyed, the record to the sink). Each ended call goes to `completed`;
/// what comes after (delivering the result) is the derived class's.
class invoker {
 public:
  invoker(sim::scheduler& sched, sim::rng const& rng, service_config config);
  virtual ~invoker() = default;
  invoker(invoker const&) = delete;
  invoker& operator=(invoker const&) = delete;

  /// Adds a function (validated; throws std::invalid_argument with the field at fault).
  function_state& add(function_config f);
  /// The function named by a name, `NAME:QUALIFIER`, or a (partial) ARN; nullptr if none.
  function_state* lookup(std::string_view name) const;

  /// The request of `cl` for `function` arrives now. Ends at once (through
  /// `completed`, not from a timer) when the function is unknown, a fault is
  /// injected, or it is throttled; otherwise schedules its next step on `cl`.
  /// `cl.res` must be fresh and `cl.payload` set.
  void arrive(call& cl, std::string_view function);
  /// The scheduled step of `cl` is due (init done, run done, timed out).
  void advance(call& cl);

  /// Starts loading one environment of `f` outside any request: returns it
  /// and its init time; call `warmed` when that has passed.
  std::pair<container, sim::duration> start_warming(function_state& f);
  /// An environment from `start_warming` is ready: it idles for `keep`, or
  /// as the keep-alive policy says when nullopt.
  void warmed(function_state& f, container c, std::optional<sim::duration> keep);

  /// Ends the run at the current instant (see service::finish).
  double finish();

  void set_sink(record_sink* s);
  void set_keep_alive(std::shared_ptr<keep_alive_policy> p) { keep_alive_ = std::move(p); }
  service_config const& config() const noexcept { return config_; }
  sim::scheduler& scheduler() const noexcept { return sched_; }
  lambda::limits& limits() noexcept { return limits_; }
  lambda::limits const& limits() const noexcept { return limits_; }

  /// Marks `res` (and its record) as ended by `o`, with Step Functions' error and cause.
  static void set_failure(invocation_result& res, outcome o, std::string const& error, std::string cause);
  /// The message of the exception `e`.
  static std::string what_of(std::exception_ptr e);

 protected:
  /// `cl` ended (its result is in `cl.res`): deliver it and free `cl`.
  /// `from_timer`: called back by the scheduler, not inside `arrive`.
  virtual void completed(call& cl, bool from_timer) = 0;
  /// The keep-alive policy unloads an environment now and asks for a fresh
  /// one to be loaded `after` from now, then kept idle for `keep`.
  virtual void prewarm_later(function_state& f, sim::duration after, sim::duration keep) = 0;

 private:
  void fail_fast(call& cl, outcome o, char const* error, std::string cause);
  void start_run(call& cl);
  void release(function_state& f, container c);
  void emit(invocation_record const& r) {
    if (sink_) sink_->on_invocation(r);
  }

  sim::scheduler& sched_;
  sim::rng rng_;
  service_config config_;
  lambda::limits limits_;
  std::map<std::string, std::unique_ptr<function_state>, std::less<>> functions_;
  struct name_hash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const noexcept { return std::hash<std::string_view>{}(s); }
  };
  /// `lookup`'s answers by the text asked, found ones only (functions are
  /// never removed): a study's Task states ask by ARN on every invocation.
  mutable std::unordered_map<std::string, function_state*, name_hash, std::equal_to<>> found_;
  mutable stepsim::json::text_memo<function_state*> recent_;  // in front of found_: no hash for the names in use
  std::shared_ptr<keep_alive_policy> keep_alive_ = std::make_shared<fixed_keep_alive>();
  record_sink* sink_ = nullptr;
  std::uint64_t next_container_ = 0;
};

}  // namespace stepsim::lambda
