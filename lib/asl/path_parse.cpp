// JSONPath text -> steps. Positions in messages are 1-based.
#include "path_impl.hpp"

#include <fmt/format.h>

#include <charconv>
#include <string_view>

namespace stepsim::asl::detail {
namespace {

constexpr int max_filter_nesting = 64;

step make(step_kind kind) {
  step s;
  s.kind = kind;
  return s;
}

bool is_space(char c) noexcept { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

// Jayway reads a dot-name up to the next '.', '[' or blank. We also stop at
// ']', '(' and ')' so that `$.a]` or a function call such as `$.length()`
// is reported instead of silently becoming an odd key.
bool ends_name(char c, bool in_filter) noexcept {
  if (is_space(c) || c == '.' || c == '[' || c == ']' || c == '(' || c == ')') return true;
  if (!in_filter) return false;
  return c == '=' || c == '!' || c == '<' || c == '>' || c == '&' || c == '|' || c == ',';
}

// `$name`: a variable reference. Names start with a letter, '_' or a
// non-ASCII character (AWS allows Unicode identifiers).
bool variable_start(char c) noexcept {
  auto u = static_cast<unsigned char>(c);
  return (u >= 'a' && u <= 'z') || (u >= 'A' && u <= 'Z') || u == '_' || u >= 0x80;
}

class parser {
 public:
  explicit parser(std::string_view text) noexcept : text_(text) {}

  bool path(std::vector<step>& out, bool& context, std::string& variable) {
    if (!eat('$')) return fail_here();
    context = eat('$');
    if (!context && variable_start(cur())) {
      std::size_t from = pos_;
      while (!at_end() && !ends_name(cur(), false)) ++pos_;
      variable = std::string(text_.substr(from, pos_ - from));
    }
    if (!steps(out, false)) return false;
    return at_end() || fail_here();
  }

  std::string error;

 private:
  std::string_view text_;
  std::size_t pos_ = 0;
  std::size_t bracket_ = 0;  // position of the '[' being read
  int nesting_ = 0;

  bool at_end() const noexcept { return pos_ >= text_.size(); }
  char cur() const noexcept { return at_end() ? '\0' : text_[pos_]; }
  bool eat(char c) noexcept {
    if (at_end() || text_[pos_] != c) return false;
    ++pos_;
    return true;
  }
  bool eat(std::string_view s) noexcept {
    if (text_.substr(pos_, s.size()) != s) return false;
    pos_ += s.size();
    return true;
  }
  void skip_space() noexcept {
    while (!at_end() && is_space(text_[pos_])) ++pos_;
  }

  bool fail(std::string what, std::size_t at) {
    error = fmt::format("{} at position {} in '{}'", what, at + 1, text_);
    return false;
  }
  // Names the character at the cursor, whole if it is a multi-byte UTF-8 sequence.
  bool fail_here() {
    if (at_end()) return fail("unexpected end of path", pos_);
    auto lead = static_cast<unsigned char>(text_[pos_]);
    std::size_t len = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1;
    return fail(fmt::format("unexpected character '{}'", text_.substr(pos_, len)), pos_);
  }
  bool expect_in_bracket(char c) {
    skip_space();
    if (at_end()) return fail("missing ']' for the '['", bracket_);
    return eat(c) || fail_here();
  }

  bool steps(std::vector<step>& out, bool in_filter) {
    while (!at_end()) {
      char c = text_[pos_];
      if (c == '.') {
        ++pos_;
        if (eat('.')) out.emplace_back(make(step_kind::descend));
        // Jayway reads `$.[0]` as `$[0]` and `$.a.['b c']` as `$.a['b c']`.
        if (cur() == '[') continue;
        if (!member(out, in_filter)) return false;
      } else if (c == '[') {
        if (!bracket(out)) return false;
      } else if (in_filter) {
        return true;
      } else if (is_space(c)) {
        // Jayway trims the path, so AWS takes "$$.Execution.Name " as "$$.Execution.Name".
        std::size_t blank = pos_;
        skip_space();
        if (at_end()) return true;
        return fail("a blank inside a path (a name with blanks needs brackets: ['my name'])", blank);
      } else {
        return fail_here();
      }
    }
    return true;
  }

  bool member(std::vector<step>& out, bool in_filter) {
    if (eat('*')) {
      out.emplace_back(make(step_kind::wildcard));
      return true;
    }
    std::size_t begin = pos_;
    while (!at_end() && !ends_name(text_[pos_], in_filter)) ++pos_;
    if (pos_ == begin) return fail_here();
    out.emplace_back(make(step_kind::name)).name = text_.substr(begin, pos_ - begin);
    return true;
  }

  bool bracket(std::vector<step>& out) {
    bracket_ = pos_++;
    skip_space();
    char c = cur();
    if (c == '*') {
      ++pos_;
      out.emplace_back(make(step_kind::wildcard));
      return expect_in_bracket(']');
    }
    if (c == '\'' || c == '"') return quoted_names(out);
    if (c == '?') return predicate(out);
    if (c == '-' || c == ':' || (c >= '0' && c <= '9')) return numbers(out);
    if (c == '(') return script_index(out);
    if (at_end()) return fail("missing ']' for the '['", bracket_);
    return fail_here();
  }

  // The one script the JSONPath library of Step Functions' runtime evaluates:
  // `[(@.length-n)]` or `[(@.size()-n)]`, the element n places before the end.
  bool script_index(std::vector<step>& out) {
    ++pos_;  // '('
    skip_space();
    if (!eat("@.length") && !eat("@.size()"))
      return fail("a script index must read (@.length-n) or (@.size()-n)", pos_);
    skip_space();
    if (!eat('-')) return fail_here();
    skip_space();
    if (cur() < '0' || cur() > '9') return fail_here();
    step s = make(step_kind::from_end);
    if (!integer(s.index)) return false;
    skip_space();
    if (!eat(')')) return fail_here();
    if (!expect_in_bracket(']')) return false;
    out.push_back(std::move(s));
    return true;
  }

  // AWS matches `$['Test\""Name"']` against the key `Test\""Name"`: a
  // backslash keeps the next character from closing the name but stays in it.
  bool quoted(std::string& raw) {
    char quote = text_[pos_];
    std::size_t open = pos_++;
    std::size_t begin = pos_;
    while (!at_end() && text_[pos_] != quote) pos_ += text_[pos_] == '\\' ? 2 : 1;
    if (at_end()) return fail("unterminated string", open);
    raw.assign(text_.substr(begin, pos_ - begin));
    ++pos_;
    return true;
  }

  bool quoted_names(std::vector<step>& out) {
    std::vector<std::string> names(1);
    if (!quoted(names.back())) return false;
    for (skip_space(); eat(','); skip_space()) {
      skip_space();  // after the comma
      if (cur() != '\'' && cur() != '"') return at_end() ? expect_in_bracket(']') : fail_here();
      if (!quoted(names.emplace_back())) return false;
    }
    if (!expect_in_bracket(']')) return false;
    if (names.size() == 1)
      out.emplace_back(make(step_kind::name)).name = std::move(names[0]);
    else
      out.emplace_back(make(step_kind::names)).names = std::move(names);
    return true;
  }

  bool starts_integer() const noexcept { return cur() == '-' || (cur() >= '0' && cur() <= '9'); }

  bool integer(std::int64_t& v) {
    std::size_t begin = pos_;
    if (cur() == '-') ++pos_;
    while (!at_end() && text_[pos_] >= '0' && text_[pos_] <= '9') ++pos_;
    auto [end, ec] = std::from_chars(text_.data() + begin, text_.data() + pos_, v);
    if (ec == std::errc::result_out_of_range) return fail("integer out of range", begin);
    if (ec != std::errc{} || end != text_.data() + pos_) {
      pos_ = begin + (text_[begin] == '-' ? 1 : 0);
      return fail_here();
    }
    return true;
  }

  bool numbers(std::vector<step>& out) {
    std::optional<std::int64_t> first;
    if (starts_integer() && !integer(first.emplace())) return false;
    skip_space();
    if (eat(':')) return slice(out, first);
    if (!first) return fail_here();
    std::vector<std::int64_t> list{*first};
    while (eat(',')) {
      skip_space();
      if (!starts_integer()) return at_end() ? expect_in_bracket(']') : fail_here();
      if (!integer(list.emplace_back())) return false;
      skip_space();
    }
    if (!expect_in_bracket(']')) return false;
    if (list.size() == 1)
      out.emplace_back(make(step_kind::index)).index = list[0];
    else
      out.emplace_back(make(step_kind::indexes)).indexes = std::move(list);
    return true;
  }

  bool slice(std::vector<step>& out, std::optional<std::int64_t> start) {
    step s = make(step_kind::slice);
    s.start = start;
    skip_space();
    if (starts_integer() && !integer(s.end.emplace())) return false;
    skip_space();
    if (eat(':')) {
      skip_space();
      if (starts_integer()) {
        std::size_t at = pos_;
        if (!integer(s.stride)) return false;
        if (s.stride == 0) return fail("slice step 0", at);
      }
    }
    if (!expect_in_bracket(']')) return false;
    out.push_back(std::move(s));
    return true;
  }

  bool predicate(std::vector<step>& out) {
    std::size_t open = bracket_;
    ++pos_;  // '?'
    skip_space();
    if (!eat('(')) return fail_here();
    auto f = std::make_shared<filter>();
    if (!any_of(*f)) return false;
    skip_space();
    if (!eat(')')) return fail_here();
    bracket_ = open;
    if (!expect_in_bracket(']')) return false;
    out.emplace_back(make(step_kind::filter)).predicate = std::move(f);
    return true;
  }

  // `||` binds looser than `&&`.
  bool any_of(filter& out) { return chain(out, "||", filter::op::any_of, &parser::all_of); }
  bool all_of(filter& out) { return chain(out, "&&", filter::op::all_of, &parser::unary); }

  // `a && b && c` becomes one node with three children, not a nested tree.
  bool chain(filter& out, std::string_view token, filter::op kind, bool (parser::*next)(filter&)) {
    if (!(this->*next)(out)) return false;
    bool started = false;
    for (skip_space(); eat(token); skip_space()) {
      if (!started) {
        filter first = std::move(out);
        out = filter{};
        out.what = kind;
        out.children.push_back(std::move(first));
        started = true;
      }
      if (!(this->*next)(out.children.emplace_back())) return false;
    }
    return true;
  }

  bool unary(filter& out) {
    skip_space();
    if (++nesting_ > max_filter_nesting) return fail("filter nested too deeply", pos_);
    bool ok;
    if (eat('!')) {
      out.what = filter::op::negate;
      ok = unary(out.children.emplace_back());
    } else if (eat('(')) {
      ok = any_of(out) && (skip_space(), eat(')') || fail_here());
    } else {
      ok = comparison(out);
    }
    --nesting_;
    return ok;
  }

  bool comparison(filter& out) {
    if (!value(out.lhs)) return false;
    skip_space();
    using op = filter::op;
    if (eat("==")) out.what = op::eq;
    else if (eat("!=")) out.what = op::ne;
    else if (eat("<=")) out.what = op::le;
    else if (eat(">=")) out.what = op::ge;
    else if (eat('<')) out.what = op::lt;
    else if (eat('>')) out.what = op::gt;
    else {
      // A bare operand is an existence test, which only means something for a path.
      if (out.lhs.from == operand::kind::literal || cur() == '=') return fail_here();
      out.what = op::exists;
      return true;
    }
    skip_space();
    return value(out.rhs);
  }

  bool value(operand& out) {
    skip_space();
    std::size_t begin = pos_;
    char c = cur();
    if (c == '@' || c == '$') {
      ++pos_;
      out.from = c == '@' ? operand::kind::current : operand::kind::root;
      if (!steps(out.steps, true)) return false;
      return all_definite(out.steps) || fail("filter operands must be definite paths", begin);
    }
    out.from = operand::kind::literal;
    if (c == '\'' || c == '"') return string_literal(out.literal);
    if (starts_integer()) return number_literal(out.literal);
    while (!at_end() && is_word(cur())) ++pos_;
    if (pos_ == begin) return fail_here();
    auto word = text_.substr(begin, pos_ - begin);
    if (word == "true") out.literal = true;
    else if (word == "false") out.literal = false;
    else if (word == "null") out.literal = nullptr;
    else out.literal = boost::json::string(word);  // `@.Name==Receipt`: see is_word()
    return true;
  }

  // The filter parser of Step Functions' runtime (Jayway 2.0) keeps the text
  // after an operator as it stands, so an unquoted word is a string.
  static bool is_word(char c) noexcept {
    return !is_space(c) && std::string_view("()[]&|=!<>'\",").find(c) == std::string_view::npos;
  }

  // Filter strings, unlike bracket names, are unescaped as Jayway's filter parser does.
  bool string_literal(boost::json::value& out) {
    std::string raw;
    if (!quoted(raw)) return false;
    std::string s;
    for (std::size_t i = 0; i < raw.size(); ++i) {
      char c = raw[i];
      if (c == '\\' && i + 1 < raw.size()) {
        c = raw[++i];
        c = c == 'n' ? '\n' : c == 't' ? '\t' : c == 'r' ? '\r' : c;
      }
      s += c;
    }
    out = boost::json::string(s);
    return true;
  }

  bool number_literal(boost::json::value& out) {
    std::size_t begin = pos_;
    bool integral = true;
    if (cur() == '-') ++pos_;
    auto digits = [&] {
      std::size_t from = pos_;
      while (!at_end() && text_[pos_] >= '0' && text_[pos_] <= '9') ++pos_;
      return pos_ > from;
    };
    if (!digits()) return fail_here();
    if (eat('.')) {
      integral = false;
      if (!digits()) return fail_here();
    }
    if (cur() == 'e' || cur() == 'E') {
      integral = false;
      ++pos_;
      if (cur() == '+' || cur() == '-') ++pos_;
      if (!digits()) return fail_here();
    }
    char const* first = text_.data() + begin;
    char const* last = text_.data() + pos_;
    if (integral) {
      std::int64_t i = 0;
      if (std::from_chars(first, last, i).ec == std::errc{}) {
        out = i;
        return true;
      }
    }
    double d = 0;
    if (std::from_chars(first, last, d).ec != std::errc{}) return fail("number out of range", begin);
    out = d;
    return true;
  }
};

}  // namespace

bool parse_path(std::string_view text, std::vector<step>& out, bool& context, std::string& variable,
                std::string& error) {
  parser p{text};
  if (p.path(out, context, variable)) return true;
  error = std::move(p.error);
  return false;
}

}  // namespace stepsim::asl::detail
