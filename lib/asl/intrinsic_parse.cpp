// Parsing an intrinsic call into a node tree, once, at definition load.
#include <boost/json/value.hpp>
#include <array>
#include <charconv>
#include <cstdlib>
#include <stepsim/asl/intrinsic.hpp>
#include <stepsim/json/parse.hpp>

#include "intrinsic_impl.hpp"

namespace stepsim::asl {

using namespace intrinsic_detail;

struct intrinsic::impl {
  std::string text;
  node root;
};

namespace {

// What a literal argument must be, as the AWS documentation of each function
// types its arguments; a path or a nested call is checked when it runs.
// `container`: an array or object, which no literal is.
enum class takes : std::uint8_t { any, string, number, boolean, container };

struct signature {
  std::string_view name;
  function fn;
  int min_args;
  int max_args;  // -1: no limit
  std::array<takes, 3> args = {};  // by position; arguments past the third take any
};

using enum takes;
constexpr signature signatures[] = {
    {"States.Format", function::format, 1, -1, {string}},
    {"States.StringToJson", function::string_to_json, 1, 1, {string}},
    {"States.JsonToString", function::json_to_string, 1, 1},
    {"States.Array", function::array, 0, -1},
    {"States.ArrayPartition", function::array_partition, 2, 2, {container, number}},
    {"States.ArrayContains", function::array_contains, 2, 2, {container, any}},
    {"States.ArrayRange", function::array_range, 3, 3, {number, number, number}},
    {"States.ArrayGetItem", function::array_get_item, 2, 2, {container, number}},
    {"States.ArrayLength", function::array_length, 1, 1, {container}},
    {"States.ArrayUnique", function::array_unique, 1, 1, {container}},
    {"States.Base64Encode", function::base64_encode, 1, 1, {string}},
    {"States.Base64Decode", function::base64_decode, 1, 1, {string}},
    {"States.Hash", function::hash, 2, 2, {any, string}},
    {"States.JsonMerge", function::json_merge, 3, 3, {container, container, boolean}},
    {"States.MathRandom", function::math_random, 2, 3, {number, number, number}},
    {"States.MathAdd", function::math_add, 2, 2, {number, number}},
    {"States.StringSplit", function::string_split, 2, 2, {string, string}},
    {"States.UUID", function::uuid, 0, 0},
};

bool fits(takes t, json::value const& literal) noexcept {
  switch (t) {
    case takes::any: return true;
    case takes::string: return literal.is_string();
    case takes::number: return literal.is_number();
    case takes::boolean: return literal.is_bool();
    case takes::container: return false;
  }
  return false;
}

char const* noun(takes t) noexcept {
  switch (t) {
    case takes::string: return "a string";
    case takes::number: return "a number";
    case takes::boolean: return "a boolean";
    case takes::container: return "an array or object (a path or a call)";
    default: return "any value";
  }
}

char const* kind_of(json::value const& v) noexcept {
  return v.is_string() ? "the string" : v.is_number() ? "the number" : v.is_bool() ? "the boolean" : "null";
}

// AWS documents at most 10 nested intrinsic functions in one field.
constexpr int max_depth = 10;

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }
bool is_ident(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_'; }

class parser {
 public:
  explicit parser(std::string_view text) : s_(text) {}

  std::optional<node> parse_all(std::string& error) {
    // AWS refuses " States.Format(...)": the name must come first.
    auto root = !s_.empty() && is_space(s_[0]) ? failure("a blank before the intrinsic function's name")
                                                : parse_call(1);
    if (root) {
      skip_space();
      if (i_ != s_.size()) root = failure("unexpected '" + std::string(s_.substr(i_, 1)) + "'");
    }
    if (!root) error = error_;
    return root;
  }

 private:
  std::optional<node> failure(std::string what) {
    if (error_.empty()) error_ = what + " at " + std::to_string(i_);
    return std::nullopt;
  }
  void skip_space() {
    while (i_ < s_.size() && is_space(s_[i_])) ++i_;
  }
  bool at(std::string_view word) const { return s_.substr(i_, word.size()) == word; }

  std::optional<node> parse_call(int depth) {
    if (depth > max_depth) return failure("more than 10 nested intrinsic functions");
    std::size_t start = i_;
    if (!at("States.")) return failure("expected an intrinsic function name");
    std::size_t end = i_ + 7;
    while (end < s_.size() && is_ident(s_[end])) ++end;
    std::string_view name = s_.substr(start, end - start);
    signature const* sig = nullptr;
    for (auto const& candidate : signatures)
      if (candidate.name == name) sig = &candidate;
    if (!sig) return failure("unknown intrinsic function '" + std::string(name) + "'");
    i_ = end;
    skip_space();
    if (!at("(")) return failure("expected '(' after " + std::string(name));
    ++i_;
    node call;
    call.k = node::kind::call;
    call.fn = sig->fn;
    std::optional<std::string> raw_template;
    skip_space();
    if (at(")")) {
      ++i_;
    } else {
      for (;;) {
        skip_space();
        std::string raw;
        std::size_t arg_start = i_;
        auto a = parse_arg(depth, raw);
        if (!a) return a;
        if (auto pos = call.args.size(); a->k == node::kind::literal && pos < sig->args.size() &&
                                         !fits(sig->args[pos], a->literal)) {
          auto shown = a->literal.is_null() ? std::string() : " " + std::string(s_.substr(arg_start, i_ - arg_start));
          i_ = arg_start;
          return failure(std::string(name) + " argument " + std::to_string(pos + 1) + " must be " +
                         noun(sig->args[pos]) + ", not " + kind_of(a->literal) + shown);
        }
        if (call.args.empty() && a->literal.is_string() && a->k == node::kind::literal) raw_template = raw;
        call.args.push_back(std::move(*a));
        skip_space();
        if (at(",")) {
          ++i_;
          continue;
        }
        if (at(")")) {
          ++i_;
          break;
        }
        return failure("expected ',' or ')'");
      }
    }
    auto n = static_cast<int>(call.args.size());
    if (n < sig->min_args || (sig->max_args >= 0 && n > sig->max_args)) {
      std::string expected = sig->min_args == sig->max_args ? std::to_string(sig->min_args)
                             : sig->max_args < 0
                                 ? "at least " + std::to_string(sig->min_args)
                                 : std::to_string(sig->min_args) + " to " + std::to_string(sig->max_args);
      i_ = start;
      bool one = expected == "1" || expected.ends_with(" 1");
      return failure(std::string(name) + " takes " + expected + (one ? " argument" : " arguments") + ", got " +
                     std::to_string(n));
    }
    if (call.fn == function::format && raw_template) call.tmpl = compile_template(*raw_template);
    return call;
  }

  // `raw` receives a string literal's text with its escapes still in place.
  std::optional<node> parse_arg(int depth, std::string& raw) {
    if (i_ >= s_.size()) return failure("unexpected end");
    char c = s_[i_];
    if (c == '\'') return parse_string(raw);
    if (c == '$') return parse_path();
    if (c == '-' || (c >= '0' && c <= '9')) return parse_number();
    for (auto [word, value] :
         {std::pair<std::string_view, json::value>{"true", true}, {"false", false}, {"null", nullptr}}) {
      if (at(word) && (i_ + word.size() == s_.size() || !is_ident(s_[i_ + word.size()]))) {
        i_ += word.size();
        node n;
        n.literal = value;
        return n;
      }
    }
    if (at("States.")) return parse_call(depth + 1);
    return failure("unexpected '" + std::string(1, c) + "'");
  }

  std::optional<node> parse_string(std::string& raw) {
    std::size_t start = ++i_;
    std::string value;
    while (i_ < s_.size() && s_[i_] != '\'') {
      if (s_[i_] == '\\' && i_ + 1 < s_.size()) {
        char next = s_[i_ + 1];
        // Only these four are escapes; any other backslash is kept as written.
        if (next == '\'' || next == '{' || next == '}' || next == '\\') {
          value += next;
          i_ += 2;
          continue;
        }
      }
      value += s_[i_++];
    }
    if (i_ >= s_.size()) {
      i_ = start - 1;
      return failure("unterminated string literal");
    }
    raw = std::string(s_.substr(start, i_ - start));
    ++i_;
    node n;
    n.literal = json::string(value);
    return n;
  }

  std::optional<node> parse_path() {
    std::size_t start = i_;
    int brackets = 0;
    char quote = 0;
    while (i_ < s_.size()) {
      char c = s_[i_];
      if (quote) {
        if (c == '\\' && i_ + 1 < s_.size())  // a trailing backslash must not step past the end
          ++i_;
        else if (c == quote)
          quote = 0;
      } else if (c == '\'' || c == '"') {
        quote = c;
      } else if (c == '[' || c == '(') {
        ++brackets;
      } else if (c == ']' || c == ')') {
        if (brackets == 0) break;
        --brackets;
      } else if (c == ',' && brackets == 0) {
        break;
      }
      ++i_;
    }
    std::size_t end = i_;
    while (end > start && is_space(s_[end - 1])) --end;
    std::string error;
    auto p = asl::path::parse(s_.substr(start, end - start), error);
    if (!p) {
      i_ = start;
      return failure("invalid path '" + std::string(s_.substr(start, end - start)) + "' (" + error + ")");
    }
    node n;
    n.k = node::kind::path;
    n.p = std::move(p);
    return n;
  }

  // JSON number grammar: -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?
  std::optional<node> parse_number() {
    std::size_t start = i_;
    auto digits = [&] {
      std::size_t from = i_;
      while (i_ < s_.size() && s_[i_] >= '0' && s_[i_] <= '9') ++i_;
      return i_ > from;
    };
    if (at("-")) ++i_;
    if (at("0"))
      ++i_;
    else if (!digits())
      return failure("invalid number");
    bool integral = true;
    if (at(".")) {
      ++i_;
      integral = false;
      if (!digits()) return failure("invalid number");
    }
    if (at("e") || at("E")) {
      ++i_;
      integral = false;
      if (at("+") || at("-")) ++i_;
      if (!digits()) return failure("invalid number");
    }
    if (i_ < s_.size() && (is_ident(s_[i_]) || s_[i_] == '.')) return failure("invalid number");
    std::string_view text = s_.substr(start, i_ - start);
    node n;
    std::int64_t as_int = 0;
    auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), as_int);
    if (integral && ec == std::errc{} && ptr == text.data() + text.size())
      n.literal = as_int;
    else
      n.literal = stepsim::json::read_decimal(text).value_or(0.0);  // the grammar above admits decimal numbers only
    return n;
  }

  std::string_view s_;
  std::size_t i_ = 0;
  std::string error_;
};

}  // namespace

namespace intrinsic_detail {
std::string_view name_of(function f) noexcept {
  for (auto const& s : signatures)
    if (s.fn == f) return s.name;
  return "States.?";
}
}  // namespace intrinsic_detail

bool intrinsic::looks_like_call(std::string_view text) noexcept {
  while (!text.empty() && is_space(text.front())) text.remove_prefix(1);
  return text.starts_with("States.") && text.find('(') != std::string_view::npos;
}

std::optional<intrinsic> intrinsic::parse(std::string_view text, std::string& error) {
  auto root = parser(text).parse_all(error);
  if (!root) return std::nullopt;
  return intrinsic(std::make_shared<impl const>(impl{std::string(text), std::move(*root)}));
}

intrinsic::intrinsic(std::shared_ptr<impl const> p) noexcept : impl_(std::move(p)) {}
intrinsic::intrinsic(intrinsic const&) = default;
intrinsic::intrinsic(intrinsic&&) noexcept = default;
intrinsic& intrinsic::operator=(intrinsic const&) = default;
intrinsic& intrinsic::operator=(intrinsic&&) noexcept = default;
intrinsic::~intrinsic() = default;

std::string const& intrinsic::text() const noexcept { return impl_->text; }

boost::json::value intrinsic::evaluate(eval_context const& ctx) const {
  return intrinsic_detail::evaluate(impl_->root, ctx);
}

}  // namespace stepsim::asl
