// The evaluator: walks the compiled tree over values, with the reference's
// sequence rules, frames of variable bindings, and the depth/step/time bounds.
#pragma once

#include "jsonata/failure.hpp"
#include "jsonata/regex.hpp"
#include "jsonata/signature.hpp"
#include "jsonata/tree.hpp"

#include <chrono>
#include <memory>
#include <optional>
#include <random>
#include <string>
#include <vector>

namespace stepsim::jsonata::detail {

struct frame {
  std::shared_ptr<frame> parent;
  std::vector<std::pair<std::string, value>> binds;
  void bind(std::string_view name, value v);
  value const* find(std::string_view name) const noexcept;
};
using frame_ptr = std::shared_ptr<frame>;

class evaluator;

/// What a built-in sees besides its arguments.
struct call_info {
  evaluator& ev;
  value const& input;  // the context value
  frame_ptr const& env;
};

struct builtin {
  using impl_fn = value (*)(call_info const&, std::vector<value>& args);
  enum availability { both, jsonata_only, step_functions_only };
  builtin(std::string_view n, char const* s, impl_fn f, int a, availability av = both)
      : name(n), signature_text(s), impl(f), arity(a), avail(av) {}
  std::string_view name;
  char const* signature_text;
  value (*impl)(call_info const&, std::vector<value>& args);
  int arity;                           // declared parameters (for higher-order calls and partial application)
  availability avail = both;
  std::shared_ptr<signature const> sig;
  std::shared_ptr<function_rep> self;  // the function value of this built-in
};

struct function_rep : rep {
  enum kind_t { native, lambda, partial_native, regex, transform, chain } kind = native;
  builtin const* bi = nullptr;
  node const* n = nullptr;                       // lambda / transform node
  frame_ptr env;
  value input;
  std::vector<std::string> const* params = nullptr;  // lambda parameters
  std::vector<std::string> own_params;
  std::shared_ptr<signature const> sig;
  std::vector<std::optional<value>> bound;       // partial_native: nullopt = a hole
  std::shared_ptr<regex_rep const> re;
  std::optional<std::size_t> resume_at;          // regex: a match's next(), searching `input` from this byte
  value f, g;                                    // chain: g(f(x))
  bool thunk = false;
};

value function_value(std::shared_ptr<function_rep> f);
/// Calls a regex as a function (functions_regex.cpp): the first match in
/// args[0], or the next one for a match's next(), as the reference's closure.
value call_regex(function_rep const& f, std::vector<value> const& args);

class evaluator {
 public:
  evaluator(environment const& env, value root);
  /// Breaks the cycles of closures bound in the frames they capture
  /// (`$f := function(){ $f() }`), which reference counting alone never frees.
  ~evaluator();
  evaluator(evaluator const&) = delete;
  evaluator& operator=(evaluator const&) = delete;

  value eval(node const* n, value const& input, frame_ptr const& env);

  /// Calls a function value (higher-order built-ins, `~>`).
  /// Where a function is called from: errors raised by the call take this
  /// position (as the reference's apply does).
  struct call_site {
    std::size_t position = 0;
    std::string_view token;
  };
  value apply(value const& fn, std::vector<value>& args, value const& input, frame_ptr const& env,
              call_site const* site = nullptr);
  /// Number of arguments a function takes (for $map/$filter... callbacks).
  int arity(value const& fn) const;
  /// `fn(args...)` trimming the candidate arguments to the function's arity.
  value call_hof(value const& fn, value a1, value a2, value a3, value const& input, frame_ptr const& env);

  std::int64_t now_ms();
  double random();
  /// Work done in one step that loops over a large input or output (a range,
  /// a built-in's items, characters or matches): past the time limit it raises
  /// U1001 as an evaluation step does, so such a step is bounded too.
  void charge(std::size_t units) {
    work_ += units;
    if (deadline_ && work_ >= next_check_) check_deadline();
  }
  environment const& env() const noexcept { return env_; }
  value const& root() const noexcept { return root_; }
  frame_ptr const& top() const noexcept { return top_; }
  value lookup(std::string_view name, frame_ptr const& env, node const* at) const;
  /// Keeps `p` alive as long as the evaluation (trees parsed by $eval).
  void keep_alive(std::shared_ptr<void> p) { kept_.push_back(std::move(p)); }

  /// A filter `[pred]` over a value (evaluateFilter).
  value filter(node const* pred, value const& input, frame_ptr const& env);
  value group(group_by const& g, value const& input, frame_ptr const& env);
  value sort_values(value const& input, std::vector<value>::iterator, std::vector<value>::iterator);

 private:
  friend struct eval_access;
  value eval_inner(node const* n, value const& input, frame_ptr const& env);
  value eval_path(node const* n, value const& input, frame_ptr const& env);
  /// One step over each item of `input` (or over `input` itself when `single`).
  /// A step before the last that gives a single non-array item returns it
  /// bare and sets `one` (it stands for a sequence of itself).
  value eval_step(node const* step, value const& input, bool single, frame_ptr const& env, bool last, bool& one);
  value eval_tuple_step(node const* step, value const& input, value const& tuples, frame_ptr const& env);
  value eval_stages(std::vector<stage> const& stages, value input, frame_ptr const& env);
  value eval_sort(node const* n, value const& input, frame_ptr const& env);
  value eval_binary(node const* n, value const& input, frame_ptr const& env);
  value eval_array(node const* n, value const& input, frame_ptr const& env);
  value eval_call(node const* n, value const& input, frame_ptr const& env, value const* applied);
  value eval_partial(node const* n, value const& input, frame_ptr const& env);
  value eval_apply(node const* n, value const& input, frame_ptr const& env);
  value eval_transform(node const* n, value const& input, frame_ptr const& env);
  value apply_inner(value const& fn, std::vector<value>& args, value const& input, frame_ptr const& env,
                    call_site const* site);
  value apply_function(function_rep const& f, std::vector<value>& args, value const& input, frame_ptr const& env);
  value run_transform(function_rep const& f, value const& obj);
  void guard();
  /// guard's rare checks: the step bound and, every 256 steps, the deadline.
  [[gnu::noinline]] void past_step_limit();

  environment const& env_;
  value root_;
  frame top_frame_;
  frame_ptr top_;  // non-owning: points at top_frame_
  std::size_t depth_ = 0;
  std::size_t max_depth_;
  std::uintptr_t stack_floor_;  // this thread's (stack.hpp), read once
  std::uint64_t step_limit_;    // env.max_steps, or no limit
  std::uint64_t steps_ = 0;
  std::optional<std::chrono::steady_clock::time_point> deadline_;
  std::uint64_t work_ = 0;        // units charged by charge()
  std::uint64_t next_check_ = 0;  // work_ at which the clock is read next
  void check_deadline();
  std::optional<std::int64_t> now_;
  std::optional<std::mt19937_64> rng_;  // made on first use
  std::vector<std::shared_ptr<void>> kept_;
  std::vector<std::weak_ptr<frame>> bound_;
  mutable std::optional<value> record_;  // `$<env.record_name>`, made on first use  // frames given a function, array or object by `:=`
};

/// Effective boolean value (fn.boolean); nullopt when undefined.
std::optional<bool> truthy(value const& v);
/// fn.append: concatenation into a new plain array, undefined sides disregarded.
value append(value const& a, value const& b);
/// fn.lookup: a key looked up in an object or each item of an array.
value lookup_key(value const& input, std::string_view key);
/// fn.string (the `$string` and `&` conversion).
std::string to_string(value const& v, bool pretty = false);
/// A sequence of numbers checks (throws D1001 on infinities, as isNumeric).
bool is_numeric(value const& v);
/// Unwraps an outer-wrapper sequence (the input array of the evaluation).
value unwrap_outer(value const& v);

}  // namespace stepsim::jsonata::detail
