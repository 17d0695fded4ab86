// Private to jsonata: a backtracking matcher of its own for the regular
// expressions it can match exactly as JavaScript does (non-unicode mode, flags
// i and m), compiled once into a small program. What it does not cover (see
// compile_native_regex) is left to Boost.Regex (regex.cpp).
//
// Subjects are UTF-8; positions are byte offsets at character boundaries. A
// character outside the Basic Multilingual Plane is two UTF-16 units to
// JavaScript, which this matcher does not split: a search that meets one
// answers `unsupported`, and the caller searches with Boost instead.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace stepsim::jsonata::detail {

/// A character class: ASCII members as a bit set, others as ranges of BMP code points.
struct regex_class {
  std::uint64_t ascii[2] = {0, 0};
  std::vector<std::pair<std::uint32_t, std::uint32_t>> ranges;  // sorted, disjoint, inclusive
  bool negated = false;

  bool has(std::uint32_t cp) const noexcept {
    bool in = false;
    if (cp < 128) {
      in = (ascii[cp >> 6] >> (cp & 63)) & 1U;
    } else {
      for (auto const& [lo, hi] : ranges) {
        if (cp < lo) break;
        if (cp <= hi) {
          in = true;
          break;
        }
      }
    }
    return in != negated;
  }
};

struct regex_inst {
  enum op_t : std::uint8_t {
    byte,       // the byte x (an ASCII character, or one byte of a literal's UTF-8)
    byte_i,     // an ASCII letter in either case (x: its lower case)
    any,        // `.`: any character but a line terminator
    cls,        // a character of classes[x]
    split,      // go on at x; on failure, at y
    jump,       // go on at x
    save,       // slot x := position
    reset,      // slots x .. x+y-1 := unset (a quantified group's captures, each iteration)
    check,      // fail when the position equals slot x (an iteration that matched empty)
    repeat,     // the one-character test at the next instruction, x to y times (y = many: unbounded)
    repeat_lazy,
    line_start,
    line_end,
    boundary,
    not_boundary,
    match,
  } op;
  std::uint32_t x = 0;
  std::uint32_t y = 0;
};

struct regex_program {
  std::vector<regex_inst> code;
  std::vector<regex_class> classes;
  std::size_t groups = 0;  // capturing groups (1..groups)
  std::size_t slots = 0;   // 2 per group 0..groups, then one per loop that may match empty
  bool multiline = false;
  int first_byte = -1;     // a byte every match starts with, when known
  static constexpr std::uint32_t many = 0xFFFFFFFF;
};

/// The program for `source` with `flags` (i, m); nullopt when the pattern
/// uses anything this matcher leaves to Boost (backreferences, lookaround,
/// named groups, \u \x \c \0 escapes, characters outside the BMP, non-ASCII
/// characters with the i flag, POSIX-looking classes, `{` or `]` as literals,
/// very large counted repetitions...).
std::optional<regex_program> compile_native_regex(std::string_view source, std::string_view flags);

enum class native_outcome { found, not_found, unsupported };

/// Result of a native search: byte offsets of the match and of each group
/// (npos when a group did not take part).
struct native_match {
  std::size_t start = 0;
  std::size_t end = 0;
  std::vector<std::pair<std::size_t, std::size_t>> groups;
};

inline constexpr std::size_t native_npos = static_cast<std::size_t>(-1);

/// The first match at or after byte `from` (JavaScript's search from
/// lastIndex). Throws runtime_error("complexity") when the search takes more
/// steps than a bound growing with the subject's length and the program's
/// size (the caller turns it into D1004, as Boost's own limit).
native_outcome native_find(regex_program const& p, std::string_view subject, std::size_t from, native_match& out);

}  // namespace stepsim::jsonata::detail
