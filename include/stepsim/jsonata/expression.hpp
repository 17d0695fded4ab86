// stepsim::jsonata::expression: a JSONata expression compiled once, evaluated many times.
//
// The language is that of jsonata-js 2.x (the reference implementation), on
// boost::json values. An expression is parsed into an immutable tree by
// `compile`; `evaluate` may be called any number of times, from any number of
// threads at once (the tree is never modified).
//
// The component knows nothing of Step Functions states: the caller binds the
// variables (`$states`, `Assign`ed variables...), the clock read by `$now()`
// and `$millis()`, and the random source of `$random()` / `$uuid()`, so a run
// in virtual time is reproducible.
#pragma once

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>

namespace stepsim::jsonata {

/// An error of the reference implementation's kind: `code` is its code
/// (`S0201` syntax, `T2001` type, `D3001` dynamic, `U1001` stack/time
/// exhausted...), `position` the character offset in the expression (as the
/// reference reports it; 0 when it reports none), `token` the offending token
/// or value when the reference names one. `what()` is the reference's message
/// with its placeholders filled in. Positions count UTF-16 code units, as
/// JavaScript strings do.
class error : public std::runtime_error {
 public:
  error(std::string code, std::string message, std::size_t position = 0, std::string token = {})
      : std::runtime_error(std::move(message)),
        code_(std::move(code)),
        position_(position),
        token_(std::move(token)) {}
  std::string const& code() const noexcept { return code_; }
  std::size_t position() const noexcept { return position_; }
  std::string const& token() const noexcept { return token_; }

 private:
  std::string code_;
  std::size_t position_;
  std::string token_;
};

/// Which function library is visible.
enum class dialect {
  jsonata,         ///< jsonata-js 2.x: `$eval` available, no Step Functions functions
  step_functions,  ///< AWS Step Functions: adds `$partition`, `$range`, `$hash`, `$random`, `$uuid`, `$parse`; no `$eval`
};

/// A member of a record variable (see `environment::record`): its name and
/// the JSON value it stands for, held by the caller (null = no such member).
struct record_member {
  std::string_view name;
  boost::json::value const* value = nullptr;
};

/// What an evaluation may read from outside the expression and how far it may go.
struct environment {
  /// Variables visible as `$name` (e.g. `states` for `$states`, and
  /// variables set by `Assign`). Looked up by name without the `$`. May be null.
  boost::json::object const* variables = nullptr;
  /// A second, outer scope searched when `variables` lacks a name (e.g. the
  /// variables of an enclosing Parallel or Map). May be null.
  boost::json::object const* outer_variables = nullptr;

  /// One more variable, looked up before `variables`: `$<record_name>` is an
  /// object whose members (in this order) are JSON values the caller keeps
  /// apart, read in place and never gathered into one object (Step
  /// Functions' `$states`, whose `input`, `result`... live in different
  /// places). Empty name = none. The members must outlive the call.
  std::string_view record_name;
  std::span<record_member const> record;

  dialect functions = dialect::jsonata;

  /// Milliseconds since the Unix epoch for `$now()` and `$millis()`; the same
  /// value for the whole evaluation (as the reference does). When empty, the
  /// system clock is read: a caller that needs reproducible results binds its
  /// scheduler's clock here.
  std::function<std::int64_t()> clock_ms;
  /// Uniform doubles in [0, 1) for `$random()`, `$shuffle()` and `$uuid()`.
  /// When empty, a fixed-seed generator local to the evaluation is used.
  std::function<double()> random;

  /// Maximum evaluation depth: the number of expression nodes being evaluated
  /// inside one another, counted as the reference's test runner counts them
  /// (so a `depth` of the official suite means the same here). Calls in tail
  /// position do not deepen it. 0 = the default bound, 500, which keeps the
  /// native stack safe (also under sanitizers). Exceeding it raises `U1001`
  /// ("Stack overflow error...").
  std::size_t max_depth = 0;
  /// Wall-time bound for one evaluation; zero = none. Exceeding it raises
  /// `U1001` ("Expression evaluation timeout...").
  std::chrono::milliseconds time_limit{0};
  /// Bound on evaluation steps (a deterministic stand-in for a time limit);
  /// 0 = none. Exceeding it raises `U1001`.
  std::uint64_t max_steps = 0;
};

class expression_tree;  // private: the compiled tree

/// A compiled JSONata expression. Cheap to copy (the tree is shared and immutable).
class expression {
 public:
  /// Parses `text`. Throws `error` (codes S0xxx, with the position) on a
  /// syntax error; an expression nested deeper than the native stack allows
  /// (about 800 levels of brackets or 1000 levels of operators) is refused
  /// with `U1001`. Complexity: linear in the length of `text`.
  static expression compile(std::string_view text);

  /// Evaluates against `input` (nullptr = undefined input, as when the
  /// reference is given no data). `input` and the objects `env` points to
  /// must outlive the call; they are read in place, never copied. Returns the
  /// result, or nullopt when it is undefined. A result that is a function (a
  /// lambda or a built-in) is returned as the empty string "" as the
  /// reference serialises it; integral numbers below 2^53 are JSON integers.
  /// Throws `error` with the reference's code on a dynamic or type error.
  /// `env.clock_ms` and `env.random` are called on the evaluating thread.
  std::optional<boost::json::value> evaluate(boost::json::value const* input, environment const& env = {}) const;

  /// The value `evaluate` would give, when it is a JSON value held in place
  /// in `input` or in the variables of `env`, read there: the expression is a
  /// path of plain field names, optionally after a variable (`a.b`,
  /// `$states.input`, `$v.x.y`) that meets single objects on its way. nullptr
  /// in every other case (other expressions, an undefined result, arrays on
  /// the way): `evaluate` then gives the result. A caller that owns the value
  /// pointed to may move it instead of copying it. Never throws.
  boost::json::value const* find_in_place(boost::json::value const* input, environment const& env = {}) const noexcept;

  /// The source text the expression was compiled from.
  std::string const& text() const noexcept;

 private:
  explicit expression(std::shared_ptr<expression_tree const> tree) : tree_(std::move(tree)) {}
  std::shared_ptr<expression_tree const> tree_;
};

}  // namespace stepsim::jsonata
