// The native regex matcher: a backtracking machine over regex_program, with
// an undo log for the capture slots, so that each alternative is tried in
// JavaScript's order with the captures it would see.
#include "jsonata/regex_native.hpp"

#include <cstring>
#include <limits>
#include <stdexcept>

namespace stepsim::jsonata::detail {

namespace {

/// A backtracking entry: resume at `pc` from position `a` (a branch), undo a
/// slot (pc = restore), or a one-character repetition giving back (greedy)
/// or taking (lazy) one more character.
struct frame {
  std::uint32_t pc;
  std::uint32_t kind;  // restore: the slot; else the frame kind
  std::size_t a;
  std::size_t b;
};

constexpr std::uint32_t restore = 0xFFFFFFFF;
enum : std::uint32_t { branch, give_back, take_more };

constexpr std::size_t max_frames = std::size_t{1} << 22;

/// JavaScript's LineTerminator: \n \r U+2028 U+2029.
bool terminator_at(std::string_view s, std::size_t pos) noexcept {
  auto b = static_cast<unsigned char>(s[pos]);
  if (b == '\n' || b == '\r') return true;
  return b == 0xE2 && pos + 2 < s.size() && static_cast<unsigned char>(s[pos + 1]) == 0x80 &&
         (static_cast<unsigned char>(s[pos + 2]) | 1) == 0xA9;
}

bool terminator_before(std::string_view s, std::size_t pos) noexcept {
  auto b = static_cast<unsigned char>(s[pos - 1]);
  if (b == '\n' || b == '\r') return true;
  return b >= 0xA8 && b <= 0xA9 && pos >= 3 && static_cast<unsigned char>(s[pos - 3]) == 0xE2 &&
         static_cast<unsigned char>(s[pos - 2]) == 0x80;
}

bool word_byte(unsigned char b) noexcept {
  return (b >= '0' && b <= '9') || ((b | 0x20) >= 'a' && (b | 0x20) <= 'z') || b == '_';
}

class machine {
 public:
  machine(regex_program const& p, std::string_view s, std::vector<std::size_t>& slots, std::vector<frame>& stack)
      : p_(p), s_(s), slots_(slots), stack_(stack) {}

  std::size_t steps = 0;
  std::size_t limit = 0;
  bool bailed = false;

  /// Runs the program from `start`; true with slots_[1] set on a match.
  bool run(std::size_t start) {
    stack_.clear();
    std::fill(slots_.begin(), slots_.end(), native_npos);
    std::uint32_t pc = 0;
    std::size_t pos = start;
    for (;;) {
      if (++steps > limit) throw std::runtime_error("complexity");
      regex_inst const& in = p_.code[pc];
      switch (in.op) {
        case regex_inst::byte:
        case regex_inst::byte_i:
        case regex_inst::any:
        case regex_inst::cls: {
          int w = width(in, pos);
          if (w > 0) {
            pos += static_cast<std::size_t>(w);
            ++pc;
            continue;
          }
          if (w < 0) return bail();
          break;
        }
        case regex_inst::split:
          push({in.y, branch, pos, 0});
          pc = in.x;
          continue;
        case regex_inst::jump: pc = in.x; continue;
        case regex_inst::save:
          if (!stack_.empty()) push({restore, in.x, slots_[in.x], 0});  // (nothing to undo for otherwise)
          slots_[in.x] = pos;
          ++pc;
          continue;
        case regex_inst::reset:
          for (std::uint32_t k = in.x; k < in.x + in.y; ++k) {
            if (slots_[k] == native_npos) continue;
            if (!stack_.empty()) push({restore, k, slots_[k], 0});
            slots_[k] = native_npos;
          }
          ++pc;
          continue;
        case regex_inst::check:
          if (pos == slots_[in.x]) break;
          ++pc;
          continue;
        case regex_inst::repeat:
        case regex_inst::repeat_lazy: {
          regex_inst const& atom = p_.code[pc + 1];
          std::size_t end = pos, min_end = pos;
          std::uint32_t n = 0;
          std::uint32_t want = in.op == regex_inst::repeat ? in.y : in.x;
          if (atom.op == regex_inst::cls) {  // ASCII characters of a class: a test of its bit set each
            regex_class const& c = p_.classes[atom.x];
            std::size_t const stop = in.x < want ? in.x : want;
            auto const* bytes = reinterpret_cast<unsigned char const*>(s_.data());
            for (unsigned char b; n < want && end < s_.size() && (b = bytes[end]) < 0x80 && c.has(b); ++n, ++end)
              if (n == stop) min_end = end;
            steps += n;
          }
          for (; n < want; ++n) {
            if (n == in.x) min_end = end;
            int w = width(atom, end);
            if (w < 0) return bail();
            if (w == 0) break;
            end += static_cast<std::size_t>(w);
            ++steps;
          }
          if (n < in.x) break;
          if (in.op == regex_inst::repeat) {
            // backtracking gives back characters down to the minimum's end
            if (n > in.x) push({pc + 2, give_back, min_end, end});
          } else if (n < in.y) {
            push({pc, take_more, end, in.y == regex_program::many ? in.y : in.y - n});
          }
          pos = end;
          pc += 2;
          continue;
        }
        case regex_inst::line_start:
          if (pos == 0 || (p_.multiline && terminator_before(s_, pos))) {
            ++pc;
            continue;
          }
          break;
        case regex_inst::line_end:
          if (pos == s_.size() || (p_.multiline && terminator_at(s_, pos))) {
            ++pc;
            continue;
          }
          break;
        case regex_inst::boundary:
        case regex_inst::not_boundary: {
          bool before = pos > 0 && word_byte(static_cast<unsigned char>(s_[pos - 1]));
          bool after = pos < s_.size() && word_byte(static_cast<unsigned char>(s_[pos]));
          if ((before != after) == (in.op == regex_inst::boundary)) {
            ++pc;
            continue;
          }
          break;
        }
        case regex_inst::match:
          slots_[0] = start;
          slots_[1] = pos;
          return true;
      }
      // failure: undo to the latest alternative
      if (!backtrack(pc, pos)) return false;
    }
  }

 private:
  regex_program const& p_;
  std::string_view s_;
  std::vector<std::size_t>& slots_;
  std::vector<frame>& stack_;

  bool bail() {
    bailed = true;
    return false;
  }

  void push(frame f) {
    if (stack_.size() >= max_frames) throw std::runtime_error("complexity");
    stack_.push_back(f);
  }

  /// Width in bytes of the character at `pos` if `in` accepts it, 0 if not,
  /// -1 for a character outside the BMP (or malformed UTF-8).
  [[gnu::always_inline]] int width(regex_inst const& in, std::size_t pos) const noexcept {
    if (pos >= s_.size()) return 0;
    auto b = static_cast<unsigned char>(s_[pos]);
    switch (in.op) {
      case regex_inst::byte: return b == in.x ? 1 : 0;
      case regex_inst::byte_i: return (b | 0x20U) == in.x ? 1 : 0;
      case regex_inst::cls:
        if (b < 0x80) return p_.classes[in.x].has(b) ? 1 : 0;
        break;
      default:
        if (b < 0x80) return b == '\n' || b == '\r' ? 0 : 1;
        break;
    }
    if (b < 0xC2 || b >= 0xF0) return -1;
    int w = b >= 0xE0 ? 3 : 2;
    if (pos + static_cast<std::size_t>(w) > s_.size()) return -1;
    std::uint32_t cp = b & (w == 2 ? 0x1FU : 0x0FU);
    for (int i = 1; i < w; ++i) cp = (cp << 6) | (static_cast<unsigned char>(s_[pos + static_cast<std::size_t>(i)]) & 0x3FU);
    if (in.op == regex_inst::any) return cp == 0x2028 || cp == 0x2029 ? 0 : w;
    return p_.classes[in.x].has(cp) ? w : 0;
  }

  /// Pops to the latest alternative, undoing slots; false when none is left.
  bool backtrack(std::uint32_t& pc, std::size_t& pos) {
    while (!stack_.empty()) {
      frame f = stack_.back();
      stack_.pop_back();
      ++steps;
      if (f.pc == restore) {
        slots_[f.kind] = f.a;
        continue;
      }
      if (f.kind == branch) {
        pc = f.pc;
        pos = f.a;
        return true;
      }
      if (f.kind == give_back) {  // one character less (back to the previous character boundary)
        std::size_t end = f.b - 1;
        while (end > f.a && (static_cast<unsigned char>(s_[end]) & 0xC0) == 0x80) --end;
        if (end > f.a) push({f.pc, give_back, f.a, end});
        pc = f.pc;
        pos = end;
        return true;
      }
      // take_more: one character more, if the atom accepts it
      regex_inst const& atom = p_.code[f.pc + 1];
      int w = width(atom, f.a);
      if (w < 0) {
        bailed = true;
        return false;
      }
      if (w == 0) continue;
      std::size_t end = f.a + static_cast<std::size_t>(w);
      if (f.b > 1) push({f.pc, take_more, end, f.b == regex_program::many ? f.b : f.b - 1});
      pc = f.pc + 2;
      pos = end;
      return true;
    }
    return false;
  }
};

/// Boost.Regex's bound on a search's states, as it estimates it: the larger
/// of S²·N and N² (capped at 10⁸), plus 10⁵, for N characters and S states.
/// (This machine's steps are finer than Boost's states: it allows four times as many.)
std::size_t step_limit(std::size_t states, std::size_t length) {
  constexpr std::size_t k = 100000, cap = 100000000;
  std::size_t const max = std::numeric_limits<std::size_t>::max() / 4;
  std::size_t n = length ? length : 1;
  std::size_t sq = states * states;
  std::size_t a = (sq != 0 && n > (max - k) / sq) ? max : sq * n + k;
  std::size_t b = n > 10000 ? cap : std::min(n * n + k, cap);
  return std::max(a, b);
}

}  // namespace

native_outcome native_find(regex_program const& p, std::string_view subject, std::size_t from, native_match& out) {
  thread_local std::vector<std::size_t> slots;
  thread_local std::vector<frame> stack;
  slots.resize(p.slots);
  machine m(p, subject, slots, stack);
  m.limit = 4 * step_limit(p.code.size(), subject.size() - from);
  for (std::size_t start = from; start <= subject.size();) {
    if (p.first_byte >= 0) {
      void const* hit = std::memchr(subject.data() + start, p.first_byte, subject.size() - start);
      if (!hit) return native_outcome::not_found;
      start = static_cast<std::size_t>(static_cast<char const*>(hit) - subject.data());
    }
    if (m.run(start)) {
      out.start = slots[0];
      out.end = slots[1];
      out.groups.resize(p.groups);
      for (std::size_t g = 0; g < p.groups; ++g) {
        std::size_t a = slots[2 * g + 2], b = slots[2 * g + 3];
        out.groups[g] = (a == native_npos || b == native_npos) ? std::pair{native_npos, native_npos} : std::pair{a, b};
      }
      return native_outcome::found;
    }
    if (m.bailed) return native_outcome::unsupported;
    if (start == subject.size()) break;
    auto b = static_cast<unsigned char>(subject[start]);
    if (b >= 0xF0) return native_outcome::unsupported;  // JavaScript would also start inside its surrogate pair
    start += b < 0x80 ? 1 : b < 0xE0 ? 2 : 3;
    ++m.steps;
  }
  return native_outcome::not_found;
}

}  // namespace stepsim::jsonata::detail
