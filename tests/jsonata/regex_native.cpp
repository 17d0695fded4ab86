// The native regex matcher (lib/jsonata/regex_native.hpp): what it covers,
// its answers against Boost.Regex's on random patterns and subjects over the
// part of JavaScript's syntax where Boost follows JavaScript, and against
// JavaScript's own answers (node 18's RegExp, recorded below) where Boost
// does not (captures cleared at each iteration, iterations that match empty,
// line terminators, characters beyond ASCII).
#include "jsonata/regex.hpp"

#include <stepsim/jsonata/expression.hpp>

#include <catch2/catch.hpp>
#include <fmt/format.h>

#include <random>

namespace {

using namespace stepsim::jsonata::detail;

std::shared_ptr<regex_rep const> compiled(std::string const& source, std::string const& flags) {
  return compile_regex(source, flags, 0);
}

/// A search as regex_find makes it, keeping which groups took part.
bool search(regex_rep const& re, std::string_view s, std::size_t from, native_match& m) {
  if (re.native) {
    auto r = native_find(*re.native, s, from, m);
    if (r != native_outcome::unsupported) return r == native_outcome::found;
  }
  return boost_find(re, s, from, m);
}

/// Every match, searching on from each one's end (one character further
/// after an empty one), as JavaScript's exec with the g flag: "index:text(g1,g2)"
/// with JavaScript indices and "-" for a group that did not take part.
template <class Search>
std::string all_matches(std::string_view s, Search&& find) {
  std::string out;
  std::size_t from = 0;
  native_match m;
  while (from <= s.size() && find(from, m)) {
    if (!out.empty()) out += ' ';
    out += fmt::format("{}:{}(", utf16_offset(s, m.start), s.substr(m.start, m.end - m.start));
    for (std::size_t g = 0; g < m.groups.size(); ++g) {
      auto [a, b] = m.groups[g];
      out += fmt::format("{}{}", g ? "," : "", a == native_npos ? "-" : std::string(s.substr(a, b - a)));
    }
    out += ')';
    from = m.end;
    if (m.start == m.end) {
      if (from == s.size()) break;
      auto c = static_cast<unsigned char>(s[from]);
      from += c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
    }
  }
  return out;
}

std::string native_matches(regex_rep const& re, std::string_view s, bool first_only) {
  return all_matches(s, [&](std::size_t from, native_match& m) {
    if (first_only && from > 0) return false;
    auto r = native_find(*re.native, s, from, m);
    REQUIRE(r != native_outcome::unsupported);
    return r == native_outcome::found;
  });
}

/// Boost's matches (`first_only`: the first, when `^` outside multiline mode
/// could see a line break before a later search's start: Boost then takes it
/// for a line start, JavaScript does not).
std::string boost_matches(regex_rep const& re, std::string_view s, bool first_only) {
  return all_matches(s, [&](std::size_t from, native_match& m) { return (!first_only || from == 0) && boost_find(re, s, from, m); });
}

/// Random patterns over the syntax the native matcher covers, leaving out
/// where Boost departs from JavaScript: a quantified group holding a capture
/// (JavaScript clears it at each iteration) or able to match empty (JavaScript
/// stops an iteration that matched empty).
class generator {
 public:
  explicit generator(unsigned seed) : rng_(seed) {}

  std::string pattern() { return alternatives(0); }

  std::string flags() {
    static char const* const choices[] = {"", "", "i", "m", "im"};
    return choices[pick(5)];
  }

  std::string subject() {
    static constexpr std::string_view alphabet = "aabbcAB01 -_\n";
    std::string s;
    for (std::size_t n = pick(12); n > 0; --n) s += alphabet[pick(alphabet.size())];
    return s;
  }

 private:
  std::mt19937 rng_;
  bool captured_ = false;  // the last atom holds a capture
  bool empty_ = false;     // the last atom may match empty

  std::size_t pick(std::size_t n) { return std::uniform_int_distribution<std::size_t>(0, n - 1)(rng_); }

  std::string alternatives(int depth) {
    std::string s = sequence(depth);
    bool empty = empty_, captured = captured_;
    while (pick(4) == 0) {
      s += '|' + sequence(depth);
      empty = empty || empty_;
      captured = captured || captured_;
    }
    empty_ = empty;
    captured_ = captured;
    return s;
  }

  std::string sequence(int depth) {
    std::string s;
    bool empty = true, captured = false;
    for (std::size_t n = pick(4); n > 0; --n) {
      s += term(depth);
      empty = empty && empty_;
      captured = captured || captured_;
    }
    empty_ = empty;
    captured_ = captured;
    return s;
  }

  std::string term(int depth) {
    if (pick(10) == 0) {
      static char const* const anchors[] = {"^", "$", "\\b", "\\B"};
      empty_ = true;
      captured_ = false;
      return anchors[pick(4)];
    }
    std::string a = atom(depth);
    if (pick(5) >= 2) return a;
    if (captured_ || empty_) return a;
    static char const* const quantifiers[] = {"*", "+", "?", "{2}", "{0,2}", "{1,}", "{2,3}"};
    std::string q = quantifiers[pick(7)];
    if (pick(3) == 0) q += '?';
    empty_ = q[0] == '*' || q[0] == '?' || q.rfind("{0", 0) == 0;
    return a + q;
  }

  std::string atom(int depth) {
    empty_ = false;
    captured_ = false;
    switch (pick(depth < 3 ? 8 : 6)) {
      case 0:
      case 1: {
        static constexpr std::string_view literals = "abcAB0 -_";
        return std::string(1, literals[pick(literals.size())]);
      }
      case 2: return ".";
      case 3: {
        static char const* const escapes[] = {"\\d", "\\w", "\\s", "\\D", "\\W", "\\S", "\\-", "\\."};
        return escapes[pick(8)];
      }
      case 4:
      case 5: return bracket();
      default: {
        bool capture = pick(2) == 0;
        std::string inner = alternatives(depth + 1);
        captured_ = captured_ || capture;
        return (capture ? "(" : "(?:") + inner + ")";
      }
    }
  }

  std::string bracket() {
    static char const* const members[] = {"a", "b", "A", "0", "_", " ", "a-c", "A-B", "0-1", "\\d", "\\w", "\\s", "\\-", "\\W"};
    std::string s = pick(3) == 0 ? "[^" : "[";
    for (std::size_t n = 1 + pick(3); n > 0; --n) s += members[pick(14)];
    return s + "]";
  }
};

}  // namespace

TEST_CASE("native regex: the same matches and groups as Boost.Regex on random patterns", "[jsonata]") {
  generator gen(20261201);
  int compared = 0;
  for (int i = 0; i < 3000; ++i) {
    std::string pattern = gen.pattern(), flags = gen.flags();
    auto re = compiled(pattern, flags);
    INFO("pattern /" << pattern << "/" << flags);
    REQUIRE(re->native);
    for (int k = 0; k < 8; ++k) {
      std::string s = gen.subject();
      INFO("subject \"" << s << "\"");
      bool first_only = flags.find('m') == std::string::npos && pattern.find('^') != std::string::npos;
      CHECK(native_matches(*re, s, first_only) == boost_matches(*re, s, first_only));
      ++compared;
    }
  }
  CHECK(compared == 24000);
}

TEST_CASE("native regex: JavaScript's answers where Boost.Regex differs", "[jsonata]") {
  struct example {
    char const* pattern;
    char const* flags;
    char const* subject;
    char const* matches;  // node 18: re.exec with the g flag until null
  };
  example const examples[] = {
#include "regex_native_cases.inc"
  };
  for (auto const& e : examples) {
    auto re = compiled(e.pattern, e.flags);
    INFO("pattern /" << e.pattern << "/" << e.flags << " on \"" << e.subject << "\"");
    std::string_view s = e.subject;
    CHECK(all_matches(s, [&](std::size_t from, native_match& m) { return search(*re, s, from, m); }) == e.matches);
  }
}

TEST_CASE("native regex: what it leaves to Boost.Regex", "[jsonata]") {
  for (char const* p : {"(a)\\1", "a(?=b)", "a(?!b)", "(?<=a)b", "(?<n>a)", "\\u0041", "\\x41", "\\cJ", "\\0", "a{",
                        "a{1", "]", "}", "[[:alpha:]]", "[]", "[^]", "[\\b]", "\\e", "\U0001F600", "[a-\\d]", "a**",
                        "^*", "a{1001}"}) {
    INFO(p);
    CHECK_FALSE(compile_native_regex(p, ""));
  }
  CHECK_FALSE(compile_native_regex("\u00E9", "i"));  // case folding beyond ASCII
  CHECK(compile_native_regex("\u00E9", ""));
  CHECK_FALSE(compile_native_regex("a", "g"));
  CHECK(compiled("0(\\d)(\\d+)", "")->native);
  // a subject with a character outside the BMP: the search is Boost's
  auto re = compiled("[^x]", "");
  native_match m;
  CHECK(native_find(*re->native, "x\U0001F600", 0, m) == native_outcome::unsupported);
  CHECK(native_find(*re->native, "x\u00E9", 0, m) == native_outcome::found);
}

TEST_CASE("native regex: a search past its step bound is D1004", "[jsonata]") {
  using stepsim::jsonata::expression;
  auto e = expression::compile(R"($match("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", /(a+)+b/))");
  REQUIRE(compiled("(a+)+b", "")->native);
  try {
    (void)e.evaluate(nullptr);
    FAIL("no error");
  } catch (stepsim::jsonata::error const& err) {
    CHECK(err.code() == "D1004");
  }
}
