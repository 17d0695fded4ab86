// stepsim::asl::path: a JSONPath compiled once, at definition load.
#pragma once

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace stepsim::asl {

/// A compiled JSONPath in the subset Amazon States Language uses:
///
///   $  $$  .name  ['name']  ["name"]  [0]  [-1]  [*]  .*  [1:3]  [:2]  [::2]
///   [0,2]  ['a','b']  ..name (recursive descent)  [(@.length-1)]
///   [?(@.x > 1)]  [?(@.x == 'a' && @.y)]  [?(@.x < 1 || @.z != null)]
///
/// Forms AWS accepts because its JSONPath library (Jayway) does: a dot before
/// a bracket (`$.[0]`, `$.a.['b c']`, `$..[0]`), trailing blanks (`"$.a "`),
/// the script index `[(@.length-n)]` / `[(@.size()-n)]` (the element n places
/// before the end; definite), and unquoted words in filters (below).
///
/// Multi-name brackets follow Jayway: as the last step, `['a','b']` builds
/// one object of the keys present (`$['a','b']` on {"a":1,"c":3} gives
/// {"a":1}); after a definite prefix the path selects that one object (and is
/// missing when the prefix does not reach an object); after an indefinite one
/// (`$.x[*]['bucket','key']`) a list of such objects, one per object reached
/// (after `..`, per object holding every name). Elsewhere in a path the
/// bracket visits each name in turn.
///
/// A path starting with `$$` addresses the context object; `$name` (a name
/// right after the `$`: `$total`, `$order.items[0]`) the workflow variable
/// `name` set by `Assign`; `$` alone the state input.
/// A path is *definite* (a reference path in ASL terms) when it has only names
/// and single indexes: it selects at most one value. Any wildcard, slice,
/// union, filter or recursive descent makes it indefinite: it selects a list.
///
/// Names: a dot-name runs to the next `.`, `[`, `]`, `(`, `)` or blank and may
/// hold any other character (`$.int-literal`, `$.a_b`, `$.café`). A quoted
/// name is taken verbatim: a backslash stops the next character from closing
/// it but stays in the name, as AWS does (`$['a\'b']` names the key `a\'b`).
///
/// Filters: operands are definite `@`/`$` paths, numbers, 'single' or
/// "double" quoted strings (unescaped), true, false, null, and unquoted words
/// (`@.Name==Receipt`), which are strings as in the Jayway release Step
/// Functions runs (a word runs to a blank or one of `()[]&|=!<>'",`); operators
/// == != < <= > >=, `&&` (binds tighter), `||`, `!`, parentheses; a bare path
/// tests existence. Numbers compare numerically, strings by code point, other
/// kinds only for (in)equality; a missing operand or mismatched kinds make
/// every test but `!=` false. On an array a filter tests each element, on an
/// object the object itself (Jayway's rule).
///
/// Parsing never throws; evaluation never re-parses text and never recurses
/// (a deep document or a long path cannot exhaust the stack). find() does not
/// allocate.
class path {
 public:
  /// Parses `text`. On failure returns nullopt and sets `error` to a message
  /// naming the offending 1-based position, e.g.
  /// "unexpected character ']' at position 4 in '$.a]'".
  static std::optional<path> parse(std::string_view text, std::string& error);

  /// Parses or throws std::invalid_argument with the message above.
  static path parse(std::string_view text);

  path(path const&);
  path(path&&) noexcept;
  path& operator=(path const&);
  path& operator=(path&&) noexcept;
  ~path();

  /// The text it was parsed from.
  std::string const& text() const noexcept;
  /// True when the path starts with `$$` (context object).
  bool is_context() const noexcept;
  /// True when the path is `$` or `$$` alone.
  bool is_root() const noexcept;
  /// The variable a `$name...` path starts from; empty for `$` and `$$` paths.
  std::string const& variable() const noexcept;

  /// The value the path starts from: `context` for `$$`, the variable for
  /// `$name` (nullptr when `variables` is null or lacks it), else `input`.
  boost::json::value const* root_in(boost::json::value const& input, boost::json::value const& context,
                                    boost::json::object const* variables) const noexcept;
  /// find() / select() from root_in(); nullptr / nullopt when the root is missing.
  boost::json::value const* find_in(boost::json::value const& input, boost::json::value const& context,
                                    boost::json::object const* variables) const noexcept;
  std::optional<boost::json::value> select_in(boost::json::value const& input, boost::json::value const& context,
                                              boost::json::object const* variables) const;
  /// True when the path selects at most one value of the document (see
  /// class comment): names, single indexes and script indexes only.
  bool is_definite() const noexcept;
  /// True for a reference path as ASL defines it: names and single indexes only.
  bool is_reference() const noexcept;

  /// The path in the bracket notation AWS quotes in error causes, the form
  /// the Java JSONPath library prints: `$.a.b[0]` -> `$['a']['b'][0]`;
  /// `$$.Execution.Id` -> `$['Execution']['Id']`; also `[*]`, `[1:3]`, `[::2]`,
  /// `[0,2]`, `['a','b']`, `$..['name']`, and `[?]` for a filter.
  std::string canonical() const;

  /// Definite paths: a pointer to the selected value inside `root`, or nullptr
  /// when it does not exist (missing key, index out of range, not a container).
  /// Indefinite paths: always nullptr (use `select`).
  boost::json::value const* find(boost::json::value const& root) const noexcept;

  /// General evaluation with AWS semantics. Definite path: a copy of the value,
  /// or nullopt when missing. A multi-name bracket after a definite prefix:
  /// the object it builds, or nullopt when the prefix reaches no object.
  /// Other indefinite paths: an array of every match in document order
  /// (possibly empty, never nullopt).
  std::optional<boost::json::value> select(boost::json::value const& root) const;

  /// ResultPath semantics (definite paths only; precondition is_definite() and
  /// !is_context()). Sets the location in `root` to `v`, creating missing
  /// object members along the way (`$.b.greeting` on `{"a":1}` gives
  /// `{"a":1,"b":{"greeting":v}}`, as the States Language spec shows), and
  /// replacing `root` itself when the path is `$`. Existing members and array
  /// elements are overwritten; arrays are never created or extended.
  ///
  /// Fails, leaving `root` untouched, when a step cannot be taken: a name step
  /// on an existing non-object (string, number, null, array), an index step on
  /// a non-array, out of range, or below a member that does not exist. AWS
  /// raises `States.ResultPathMatchFailure` for this (spec, "Runtime Errors");
  /// `error` is then AWS's cause as reported by users (no recording in our
  /// corpus): `Unable to apply ReferencePath $.x to input "foo"`, the input
  /// being compact JSON. (The Jayway text `Missing property in path $['no']`
  /// is not used: the spec and AWS create missing members instead.)
  bool assign(boost::json::value& root, boost::json::value v, std::string& error) const;

 private:
  struct impl;
  explicit path(std::shared_ptr<impl const> p) noexcept;
  std::shared_ptr<impl const> impl_;
};

}  // namespace stepsim::asl
