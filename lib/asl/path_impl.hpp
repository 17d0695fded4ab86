// Private representation of stepsim::asl::path, shared by path*.cpp.
#pragma once

#include <stepsim/asl/path.hpp>

#include <boost/json/value.hpp>

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace stepsim::asl::detail {

struct filter;

enum class step_kind : std::uint8_t {
  name,      // .a  ['a']
  index,     // [0]  [-1]
  from_end,  // [(@.length-2)]: `index` counts back from the end (index 2 = length-2)
  wildcard,  // .*  [*]
  slice,     // [1:3]  [::2]
  names,     // ['a','b']: the last step builds one object of the present keys; elsewhere it iterates
  indexes,   // [0,2]
  filter,    // [?(...)]
  descend,   // ..  (applies the next step to every container below, self included)
};

struct step {
  step_kind kind = step_kind::name;
  std::string name;                   // name; decoded once at parse time
  std::int64_t index = 0;             // index
  std::optional<std::int64_t> start;  // slice
  std::optional<std::int64_t> end;    // slice
  std::int64_t stride = 1;            // slice, never 0
  std::vector<std::string> names;     // names
  std::vector<std::int64_t> indexes;  // indexes
  std::shared_ptr<filter const> predicate;  // filter
};

/// A filter operand: a definite path from `@` (the candidate) or `$` (the
/// document root), or a literal.
struct operand {
  enum class kind : std::uint8_t { current, root, literal } from = kind::literal;
  std::vector<step> steps;
  boost::json::value literal;
};

/// A filter expression. `&&` and `||` chains are n-ary so that a long chain
/// does not make a deep tree; only parentheses and `!` nest (bounded by the parser).
struct filter {
  enum class op : std::uint8_t { any_of, all_of, negate, exists, eq, ne, lt, le, gt, ge };
  op what = op::exists;
  std::vector<filter> children;  // any_of, all_of, negate
  operand lhs;                   // exists and comparisons
  operand rhs;                   // comparisons
};

/// Parses `text` into `out` (steps, context flag, variable name of a `$name`
/// path); on failure sets `error`.
bool parse_path(std::string_view text, std::vector<step>& out, bool& context, std::string& variable,
                std::string& error);

/// True when every step is a name, a single index or a script index.
bool all_definite(std::span<step const> steps) noexcept;

/// True when the last step is a multi-name bracket (`$.a['b','c']`), which
/// builds an object of the present keys from each value it applies to.
bool ends_in_merge(std::span<step const> steps) noexcept;

/// Follows name and index steps from `from`; nullptr when a step cannot be taken.
boost::json::value const* find_definite(std::span<step const> steps,
                                        boost::json::value const& from) noexcept;

/// Every match of `steps` from `root`, in document order.
std::vector<boost::json::value const*> select_all(std::span<step const> steps,
                                                  boost::json::value const& root);

}  // namespace stepsim::asl::detail

namespace stepsim::asl {

struct path::impl {
  std::string text;
  bool context = false;
  std::string variable;  // `$name...`: the variable's name; empty otherwise
  bool definite = true;
  std::vector<detail::step> steps;
};

}  // namespace stepsim::asl
