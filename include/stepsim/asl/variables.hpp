// stepsim::asl::assignment: a state's (or choice rule's, or catcher's) `Assign`, compiled once.
#pragma once

#include <stepsim/asl/error.hpp>
#include <stepsim/asl/intrinsic.hpp>
#include <stepsim/asl/jsonata_template.hpp>

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace stepsim::asl {

/// Largest value a variable may hold, and largest total of one `Assign`, as
/// JSON text (AWS: 256 KiB each).
inline constexpr std::size_t max_variable_bytes = 262144;
inline constexpr std::size_t max_assign_bytes = 262144;

/// True when `name` may name a variable: an identifier (a letter, `_` or a
/// non-ASCII character, then letters, digits, `_` or non-ASCII characters)
/// of at most 80 bytes, other than the reserved `states`. Sets `why` otherwise.
bool valid_variable_name(std::string_view name, std::string& why);

/// The `Assign` field: variable names and how each value is computed.
///
/// JSONPath states: the object as a payload template, keys ending in `.$`
/// computed from a path (`$`, `$$`, `$name`) or an intrinsic call, the
/// others copied as written (a string such as `"$.x"` or `"{% x %}"` stays a
/// string). JSONata states: each value a `jsonata_template` (`{% %}` strings
/// at any depth). Every value of one Assign is computed from the variables
/// as they were before the state; the caller stores them afterwards.
class assignment {
 public:
  /// Compiles the `Assign` value `v` found at `pointer`. Reports (to `out`):
  /// a value that is not an object, invalid or reserved names, a name given
  /// twice (`x` and `x.$`), `.$` keys in a JSONata state, paths, intrinsics
  /// and expressions that do not compile. nullopt if any.
  static std::optional<assignment> parse(boost::json::value const& v, std::string const& pointer, bool jsonata,
                                         diagnostics& out);

  assignment(assignment const&);
  assignment(assignment&&) noexcept;
  assignment& operator=(assignment const&);
  assignment& operator=(assignment&&) noexcept;
  ~assignment();

  bool jsonata() const noexcept;
  /// The variable names it assigns, in the order written (without `.$`).
  std::vector<std::string> const& names() const noexcept;
  /// True when some value reads the context object (`$$` paths).
  bool uses_context() const noexcept;
  /// JSONata: the `$states` fields its expressions read (see jsonata_template::reads).
  unsigned reads() const noexcept;

  /// JSONPath: the new values, computed against `ctx` (its `input` is what
  /// `$` means for this Assign). Path failures throw as payload_template does.
  boost::json::object evaluate(eval_context const& ctx) const;
  /// JSONata: the new values (failures throw as jsonata_template does).
  boost::json::object evaluate(jsonata::environment const& env, boost::json::value const* input) const;

 private:
  struct impl;
  explicit assignment(std::shared_ptr<impl const> p) noexcept;
  std::shared_ptr<impl const> impl_;
};

/// Checks AWS's size limits on the values of one Assign: each variable at
/// most `max_variable_bytes` and all together at most `max_assign_bytes` as
/// JSON text. Throws `states_error` States.DataLimitExceeded (the error AWS
/// raises for payloads over their limit) naming the variable or the total.
void check_assigned_sizes(boost::json::object const& values);

}  // namespace stepsim::asl
