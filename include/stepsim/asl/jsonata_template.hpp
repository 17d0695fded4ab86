// stepsim::asl::jsonata_template: a field of a JSONata state, its `{% %}` expressions compiled once.
#pragma once

#include <stepsim/asl/error.hpp>
#include <stepsim/jsonata/expression.hpp>

#include <span>

#include <boost/json/value.hpp>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace stepsim::asl {

/// The fields of the reserved variable `$states` that an expression reads.
enum class states_field : std::uint8_t {
  input = 1,         ///< `$states.input`: the state's input (bound everywhere)
  result = 2,        ///< `$states.result`: Task/Parallel/Map result (their Output and Assign)
  error_output = 4,  ///< `$states.errorOutput`: the error output (a catcher's Output and Assign)
  context = 8,       ///< `$states.context`: the context object (bound everywhere)
  /// `$states` itself (set with all four above): it reads whatever is bound
  /// where it is read, so it is never refused for a field bound elsewhere
  /// (AWS accepts `{% $states %}` in a catcher's Output).
  whole = 16,
};

/// The value of a field of a JSONata state (`Arguments`, `Output`, `Items`,
/// `Condition`, `Seconds`, one variable of `Assign`...): any JSON value in
/// which a string that starts with `{%` and ends with `%}` is a JSONata
/// expression (the text between, trimmed), in objects and arrays at any
/// depth. Anything else is copied as written (`"$.x"`, `" {% x %}"` with
/// blanks outside the braces, `"States.Format(...)"` are plain strings).
/// Expressions are compiled when the definition is parsed; evaluation never
/// parses text.
class jsonata_template {
 public:
  /// Compiles `v` found at JSON pointer `pointer`. `field` names the field as
  /// AWS quotes it in causes (`Output`, `Assign/total`, `Items`). Appends
  /// every syntax error to `out` (the expression's pointer, the jsonata
  /// error code, message and the character position inside the expression)
  /// and returns nullopt if any.
  static std::optional<jsonata_template> parse(boost::json::value const& v, std::string const& pointer,
                                               std::string field, diagnostics& out);

  /// True when `v` is a string of the `{% expression %}` form.
  static bool is_expression(boost::json::value const& v) noexcept;

  jsonata_template(jsonata_template const&);
  jsonata_template(jsonata_template&&) noexcept;
  jsonata_template& operator=(jsonata_template const&);
  jsonata_template& operator=(jsonata_template&&) noexcept;
  ~jsonata_template();

  /// The field name given to `parse`.
  std::string const& field() const noexcept;
  /// The value as written when it holds no expression; nullptr otherwise.
  boost::json::value const* literal() const noexcept;
  /// The expression when the whole value is one `{% %}` string; "" otherwise.
  std::string const& expression_text() const noexcept;
  /// Bitwise or of the `states_field`s its expressions read (found in their text).
  unsigned reads() const noexcept;

  /// Evaluates every expression with `env` (which binds `$states` and the
  /// variables) and `input` as the context item `$`. An expression that
  /// fails throws `states_error` States.QueryEvaluationError with AWS's
  /// cause: "The JSONata expression 'E' specified for the field 'F' threw an
  /// error during evaluation. CODE: message", or, when it gives nothing,
  /// "... returned nothing (undefined)." (`F` is the field of the
  /// expression itself: `Output/total`). The caller adds AWS's "An error
  /// occurred while executing the state ..." prefix.
  boost::json::value evaluate(jsonata::environment const& env, boost::json::value const* input) const;
  /// `evaluate`, where the caller gives up the values `yours` points to (null
  /// entries are ignored): when the field is one expression whose result is
  /// one of them itself, read in place (`{% $states.result %}`, see
  /// jsonata::expression::find_in_place), it is moved out instead of copied.
  boost::json::value evaluate(jsonata::environment const& env, boost::json::value const* input,
                              std::span<boost::json::value* const> yours) const;

 private:
  struct impl;
  explicit jsonata_template(std::shared_ptr<impl const> p) noexcept;
  std::shared_ptr<impl const> impl_;
};

/// AWS's cause for a field whose value has the wrong type, e.g. "The JSONata
/// expression '1' specified for the field 'Items' returned an unexpected
/// result type. Expected 'array', but was 'number' for value: 1" (a literal
/// field is quoted as its JSON text).
std::string unexpected_type_cause(jsonata_template const& t, std::string_view expected, boost::json::value const& v);

/// The JSONata type name of a JSON value: `null`, `boolean`, `number`,
/// `string`, `array`, `object`.
char const* jsonata_type_name(boost::json::value const& v) noexcept;

}  // namespace stepsim::asl
