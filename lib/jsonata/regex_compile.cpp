// The native regex matcher's compiler: JavaScript pattern syntax (the part
// regex_native.hpp covers) to a tree, then to the matcher's program.
#include "jsonata/regex_native.hpp"

#include <algorithm>

namespace stepsim::jsonata::detail {

namespace {

struct unsupported {};  // the pattern is left to Boost

struct rnode {
  enum kind_t { empty, single, group, alt, seq, repeat, line_start, line_end, boundary, not_boundary } kind = empty;
  regex_inst atom{};      // single: a one-character test (byte, byte_i, any or cls)
  std::string bytes;      // single: a non-ASCII literal's UTF-8 (then atom is unused)
  int capture = 0;        // group: its number, 0 for (?:...)
  std::uint32_t min = 0, max = 0;
  bool greedy = true;
  int first_capture = 0, captures = 0;  // capturing groups inside (numbers first_capture..)
  std::vector<rnode> kids;
};

constexpr std::size_t max_code = 20000;     // instructions; past this, Boost
constexpr std::uint32_t max_count = 1000;   // {m,n} bounds; past this, Boost

void add_ascii(regex_class& c, unsigned lo, unsigned hi) {
  for (unsigned b = lo; b <= hi; ++b) c.ascii[b >> 6] |= std::uint64_t{1} << (b & 63);
}

void add_range(regex_class& c, std::uint32_t lo, std::uint32_t hi) {
  if (lo < 128) {
    add_ascii(c, lo, std::min<std::uint32_t>(hi, 127));
    lo = 128;
  }
  if (lo <= hi) c.ranges.emplace_back(lo, hi);
}

// JavaScript's WhiteSpace and LineTerminator characters beyond ASCII.
constexpr std::pair<std::uint32_t, std::uint32_t> unicode_spaces[] = {
    {0xA0, 0xA0}, {0x1680, 0x1680}, {0x2000, 0x200A}, {0x2028, 0x2029},
    {0x202F, 0x202F}, {0x205F, 0x205F}, {0x3000, 0x3000}, {0xFEFF, 0xFEFF}};

/// Adds \d \w \s (or, upper case, their complements) to `c`.
void add_escape_class(regex_class& c, char e) {
  regex_class k;
  char lower = static_cast<char>(e | 0x20);
  if (lower == 'd') add_ascii(k, '0', '9');
  if (lower == 'w') {
    add_ascii(k, '0', '9');
    add_ascii(k, 'A', 'Z');
    add_ascii(k, 'a', 'z');
    add_ascii(k, '_', '_');
  }
  if (lower == 's') {
    add_ascii(k, 9, 13);
    add_ascii(k, ' ', ' ');
    for (auto r : unicode_spaces) k.ranges.push_back(r);
  }
  if (e != lower) {  // the complement within the BMP
    k.ascii[0] = ~k.ascii[0];
    k.ascii[1] = ~k.ascii[1];
    std::vector<std::pair<std::uint32_t, std::uint32_t>> rest;
    std::uint32_t next = 0x80;
    for (auto [lo, hi] : k.ranges) {
      if (lo > next) rest.emplace_back(next, lo - 1);
      next = hi + 1;
    }
    if (next <= 0xFFFF) rest.emplace_back(next, 0xFFFF);
    k.ranges = std::move(rest);
  }
  c.ascii[0] |= k.ascii[0];
  c.ascii[1] |= k.ascii[1];
  c.ranges.insert(c.ranges.end(), k.ranges.begin(), k.ranges.end());
}

void normalize(regex_class& c, bool icase) {
  if (icase) {  // an ASCII letter is in the class when either of its cases is
    for (unsigned b = 'a'; b <= 'z'; ++b) {
      bool in = ((c.ascii[1] >> (b & 63)) & 1U) || ((c.ascii[1] >> ((b - 32) & 63)) & 1U);
      if (in) add_ascii(c, b, b), add_ascii(c, b - 32, b - 32);
    }
  }
  std::sort(c.ranges.begin(), c.ranges.end());
  std::vector<std::pair<std::uint32_t, std::uint32_t>> merged;
  for (auto r : c.ranges) {
    if (!merged.empty() && r.first <= merged.back().second + 1) merged.back().second = std::max(merged.back().second, r.second);
    else merged.push_back(r);
  }
  c.ranges = std::move(merged);
}

class parser {
 public:
  parser(std::string_view src, bool icase, regex_program& prog) : s_(src), icase_(icase), prog_(prog) {}

  rnode parse() {
    rnode n = disjunction();
    if (pos_ != s_.size()) throw unsupported{};  // an unbalanced ')'
    return n;
  }

  int groups() const { return groups_; }

 private:
  std::string_view s_;
  std::size_t pos_ = 0;
  bool icase_;
  regex_program& prog_;
  int groups_ = 0;

  bool at_end() const { return pos_ >= s_.size(); }
  char peek() const { return at_end() ? '\0' : s_[pos_]; }

  /// The code point at pos_ (advancing); outside the BMP or malformed: Boost.
  std::uint32_t code_point() {
    auto b = static_cast<unsigned char>(s_[pos_]);
    if (b < 0x80) {
      ++pos_;
      return b;
    }
    if (icase_) throw unsupported{};  // case folding beyond ASCII is left to Boost
    int len = b >= 0xE0 ? 3 : 2;
    if (b >= 0xF0 || b < 0xC2 || pos_ + static_cast<std::size_t>(len) > s_.size()) throw unsupported{};
    std::uint32_t cp = b & (len == 2 ? 0x1F : 0x0F);
    for (int i = 1; i < len; ++i) {
      auto c = static_cast<unsigned char>(s_[pos_ + static_cast<std::size_t>(i)]);
      if ((c & 0xC0) != 0x80) throw unsupported{};
      cp = (cp << 6) | (c & 0x3F);
    }
    if (cp < (len == 2 ? 0x80U : 0x800U) || (cp >= 0xD800 && cp <= 0xDFFF)) throw unsupported{};
    pos_ += static_cast<std::size_t>(len);
    return cp;
  }

  rnode disjunction() {
    rnode first = alternative();
    if (peek() != '|') return first;
    rnode n;
    n.kind = rnode::alt;
    n.kids.push_back(std::move(first));
    while (peek() == '|') {
      ++pos_;
      n.kids.push_back(alternative());
    }
    return n;
  }

  rnode alternative() {
    rnode n;
    n.kind = rnode::seq;
    while (!at_end() && peek() != '|' && peek() != ')') n.kids.push_back(term());
    return n;
  }

  rnode term() {
    char c = peek();
    rnode n;
    if (c == '^' || c == '$') {
      ++pos_;
      n.kind = c == '^' ? rnode::line_start : rnode::line_end;
      if (quantifier_next()) throw unsupported{};
      return n;
    }
    if (c == '\\' && pos_ + 1 < s_.size() && (s_[pos_ + 1] == 'b' || s_[pos_ + 1] == 'B')) {
      n.kind = s_[pos_ + 1] == 'b' ? rnode::boundary : rnode::not_boundary;
      pos_ += 2;
      if (quantifier_next()) throw unsupported{};
      return n;
    }
    int captures_before = groups_;
    n = atom();
    if (!quantifier_next()) return n;
    rnode r;
    r.kind = rnode::repeat;
    char q = s_[pos_++];
    if (q == '*') r.max = regex_program::many;
    else if (q == '+') r.min = 1, r.max = regex_program::many;
    else if (q == '?') r.max = 1;
    else braces(r);
    if (peek() == '?') {
      r.greedy = false;
      ++pos_;
    }
    if (quantifier_next()) throw unsupported{};  // a**, a{2}{3}: syntax errors in JavaScript
    r.first_capture = captures_before + 1;
    r.captures = groups_ - captures_before;
    r.kids.push_back(std::move(n));
    return r;
  }

  bool quantifier_next() const {
    char c = peek();
    return c == '*' || c == '+' || c == '?' || c == '{';
  }

  std::uint32_t number() {
    std::size_t start = pos_;
    std::uint32_t v = 0;
    while (!at_end() && peek() >= '0' && peek() <= '9') {
      v = v * 10 + static_cast<std::uint32_t>(peek() - '0');
      if (v > max_count) throw unsupported{};
      ++pos_;
    }
    if (pos_ == start) throw unsupported{};
    return v;
  }

  /// {n}, {n,}, {n,m} (pos_ after the '{'); anything else is left to Boost.
  void braces(rnode& r) {
    r.min = r.max = number();
    if (peek() == ',') {
      ++pos_;
      r.max = peek() == '}' ? regex_program::many : number();
    }
    if (peek() != '}' || r.min > r.max) throw unsupported{};
    ++pos_;
  }

  rnode single(regex_inst atom) {
    rnode n;
    n.kind = rnode::single;
    n.atom = atom;
    return n;
  }

  rnode literal(std::uint32_t cp) {
    if (cp >= 0x80) {
      rnode n;
      n.kind = rnode::single;
      char buf[3];
      std::size_t len = cp < 0x800 ? 2 : 3;
      if (len == 2) {
        buf[0] = static_cast<char>(0xC0 | (cp >> 6));
        buf[1] = static_cast<char>(0x80 | (cp & 0x3F));
      } else {
        buf[0] = static_cast<char>(0xE0 | (cp >> 12));
        buf[1] = static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        buf[2] = static_cast<char>(0x80 | (cp & 0x3F));
      }
      n.bytes.assign(buf, len);
      return n;
    }
    bool letter = (cp | 0x20) >= 'a' && (cp | 0x20) <= 'z';
    if (icase_ && letter) return single({regex_inst::byte_i, cp | 0x20, 0});
    return single({regex_inst::byte, cp, 0});
  }

  rnode class_atom(regex_class c) {
    normalize(c, icase_);
    prog_.classes.push_back(std::move(c));
    return single({regex_inst::cls, static_cast<std::uint32_t>(prog_.classes.size() - 1), 0});
  }

  static bool syntax_char(char c) {
    return c == '^' || c == '$' || c == '\\' || c == '.' || c == '*' || c == '+' || c == '?' || c == '(' ||
           c == ')' || c == '[' || c == ']' || c == '{' || c == '}' || c == '|' || c == '/' || c == '-';
  }

  /// A control escape's character (\n \r \t \f \v), 0 for none.
  static std::uint32_t control(char e) {
    switch (e) {
      case 'n': return '\n';
      case 'r': return '\r';
      case 't': return '\t';
      case 'f': return '\f';
      case 'v': return '\v';
      default: return 0;
    }
  }

  static bool class_escape(char e) {
    char lower = static_cast<char>(e | 0x20);
    return lower == 'd' || lower == 'w' || lower == 's';
  }

  rnode atom() {
    char c = peek();
    if (c == '.') {
      ++pos_;
      return single({regex_inst::any, 0, 0});
    }
    if (c == '(') {
      ++pos_;
      rnode n;
      n.kind = rnode::group;
      if (peek() == '?') {
        if (pos_ + 1 >= s_.size() || s_[pos_ + 1] != ':') throw unsupported{};  // lookaround, named groups
        pos_ += 2;
      } else {
        n.capture = ++groups_;
      }
      n.kids.push_back(disjunction());
      if (peek() != ')') throw unsupported{};
      ++pos_;
      return n;
    }
    if (c == '[') return bracket();
    if (c == '\\') {
      if (pos_ + 1 >= s_.size()) throw unsupported{};
      char e = s_[pos_ + 1];
      pos_ += 2;
      if (class_escape(e)) {
        regex_class k;
        add_escape_class(k, e);
        return class_atom(std::move(k));
      }
      if (auto ctl = control(e)) return literal(ctl);
      if (syntax_char(e)) return literal(static_cast<unsigned char>(e));
      throw unsupported{};  // backreferences, \u \x \c \0, identity escapes of letters
    }
    if (c == '*' || c == '+' || c == '?' || c == '{' || c == '}' || c == ']') throw unsupported{};
    return literal(code_point());
  }

  /// One class member that stands for a single character, or -1 for \d \w \s ... (added to `c`).
  long class_member(regex_class& c) {
    if (peek() != '\\') {
      if (peek() == '[') throw unsupported{};  // [[:alpha:]] means something else to Boost
      return static_cast<long>(code_point());
    }
    if (pos_ + 1 >= s_.size()) throw unsupported{};
    char e = s_[pos_ + 1];
    pos_ += 2;
    if (class_escape(e)) {
      add_escape_class(c, e);
      return -1;
    }
    if (auto ctl = control(e)) return static_cast<long>(ctl);
    if (syntax_char(e)) return static_cast<unsigned char>(e);
    throw unsupported{};  // \b (backspace), \u, \x, \c, \0 ...
  }

  rnode bracket() {
    ++pos_;
    regex_class c;
    if (peek() == '^') {
      c.negated = true;
      ++pos_;
    }
    if (peek() == ']') throw unsupported{};  // [] and [^]
    while (!at_end() && peek() != ']') {
      long lo = class_member(c);
      if (peek() == '-' && pos_ + 1 < s_.size() && s_[pos_ + 1] != ']') {
        ++pos_;
        long hi = class_member(c);
        if (lo < 0 || hi < 0 || lo > hi) throw unsupported{};  // [\d-z], [z-a]
        add_range(c, static_cast<std::uint32_t>(lo), static_cast<std::uint32_t>(hi));
      } else if (lo >= 0) {
        add_range(c, static_cast<std::uint32_t>(lo), static_cast<std::uint32_t>(lo));
      }
    }
    if (at_end()) throw unsupported{};
    ++pos_;
    return class_atom(std::move(c));
  }
};

bool nullable(rnode const& n) {
  switch (n.kind) {
    case rnode::single: return false;
    case rnode::group: return nullable(n.kids[0]);
    case rnode::alt: return std::any_of(n.kids.begin(), n.kids.end(), nullable);
    case rnode::seq: return std::all_of(n.kids.begin(), n.kids.end(), nullable);
    case rnode::repeat: return n.min == 0 || nullable(n.kids[0]);
    default: return true;
  }
}

class emitter {
 public:
  explicit emitter(regex_program& p) : p_(p) {}

  void emit(rnode const& n) {
    if (p_.code.size() > max_code) throw unsupported{};
    switch (n.kind) {
      case rnode::empty: break;
      case rnode::single:
        if (n.bytes.empty()) add(n.atom);
        else
          for (char b : n.bytes) add({regex_inst::byte, static_cast<unsigned char>(b), 0});
        break;
      case rnode::group:
        if (n.capture) add({regex_inst::save, static_cast<std::uint32_t>(2 * n.capture), 0});
        emit(n.kids[0]);
        if (n.capture) add({regex_inst::save, static_cast<std::uint32_t>(2 * n.capture + 1), 0});
        break;
      case rnode::seq:
        for (auto const& k : n.kids) emit(k);
        break;
      case rnode::alt: {
        std::vector<std::size_t> exits;
        for (std::size_t i = 0; i < n.kids.size(); ++i) {
          std::size_t split = 0;
          if (i + 1 < n.kids.size()) split = add({regex_inst::split, here() + 1, 0});
          emit(n.kids[i]);
          if (i + 1 < n.kids.size()) {
            exits.push_back(add({regex_inst::jump, 0, 0}));
            p_.code[split].y = here();
          }
        }
        for (auto e : exits) p_.code[e].x = here();
        break;
      }
      case rnode::repeat: repeat(n); break;
      case rnode::line_start: add({regex_inst::line_start, 0, 0}); break;
      case rnode::line_end: add({regex_inst::line_end, 0, 0}); break;
      case rnode::boundary: add({regex_inst::boundary, 0, 0}); break;
      case rnode::not_boundary: add({regex_inst::not_boundary, 0, 0}); break;
    }
  }

 private:
  regex_program& p_;

  std::uint32_t here() const { return static_cast<std::uint32_t>(p_.code.size()); }
  std::size_t add(regex_inst i) {
    p_.code.push_back(i);
    return p_.code.size() - 1;
  }

  /// One iteration: the group's captures cleared first (as JavaScript does at
  /// each), and, for an optional one whose body may match empty, a check
  /// that it did not.
  void iteration(rnode const& n, bool optional, std::uint32_t mark) {
    if (n.captures) add({regex_inst::reset, static_cast<std::uint32_t>(2 * n.first_capture), static_cast<std::uint32_t>(2 * n.captures)});
    if (optional && mark) add({regex_inst::save, mark, 0});
    emit(n.kids[0]);
    if (optional && mark) add({regex_inst::check, mark, 0});
  }

  void repeat(rnode const& n) {
    rnode const& body = n.kids[0];
    if (n.max == 0) return;
    if (body.kind == rnode::single && body.bytes.empty()) {  // one character at a time, no state per iteration
      add({n.greedy ? regex_inst::repeat : regex_inst::repeat_lazy, n.min, n.max});
      add(body.atom);
      return;
    }
    std::uint32_t mark = 0;
    if (nullable(body)) mark = static_cast<std::uint32_t>(p_.slots++);
    for (std::uint32_t i = 0; i < n.min; ++i) iteration(n, false, mark);
    if (n.max == regex_program::many) {
      auto loop = add({regex_inst::split, 0, 0});
      std::uint32_t body_at = here();
      iteration(n, true, mark);
      add({regex_inst::jump, static_cast<std::uint32_t>(loop), 0});
      set_split(loop, body_at, here(), n.greedy);
      return;
    }
    std::vector<std::size_t> splits;
    for (std::uint32_t i = n.min; i < n.max; ++i) {
      splits.push_back(add({regex_inst::split, 0, 0}));
      p_.code[splits.back()].x = here();  // the body, exit patched below
      iteration(n, true, mark);
      if (p_.code.size() > max_code) throw unsupported{};
    }
    for (auto s : splits) set_split(s, p_.code[s].x, here(), n.greedy);
  }

  void set_split(std::size_t at, std::uint32_t body, std::uint32_t exit, bool greedy) {
    p_.code[at].x = greedy ? body : exit;
    p_.code[at].y = greedy ? exit : body;
  }
};

}  // namespace

std::optional<regex_program> compile_native_regex(std::string_view source, std::string_view flags) {
  bool icase = false, multiline = false;
  for (char f : flags) {
    if (f == 'i') icase = true;
    else if (f == 'm') multiline = true;
    else return std::nullopt;
  }
  regex_program p;
  p.multiline = multiline;
  try {
    parser ps(source, icase, p);
    rnode root = ps.parse();
    p.groups = static_cast<std::size_t>(ps.groups());
    p.slots = 2 * (p.groups + 1);
    emitter(p).emit(root);
    p.code.push_back({regex_inst::match, 0, 0});
  } catch (unsupported const&) {
    return std::nullopt;
  }
  if (p.code.size() > max_code) return std::nullopt;
  if (p.code[0].op == regex_inst::byte) p.first_byte = static_cast<int>(p.code[0].x);
  return p;
}

}  // namespace stepsim::jsonata::detail
