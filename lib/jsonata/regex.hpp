// Regular expressions of JSONata (`/pattern/flags`) with JavaScript semantics:
// searched by the matcher of regex_native.hpp when it covers the pattern, else
// by Boost.Regex in ECMAScript mode (which also decides what is a syntax error).
#pragma once

#include "jsonata/pool.hpp"
#include "jsonata/regex_native.hpp"

#include <boost/regex.hpp>

#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace stepsim::jsonata::detail {

struct regex_rep {
  std::string source;
  std::string flags;
  boost::regex re;
  std::optional<regex_program> native;  // when the native matcher covers the pattern
};

struct regex_match {
  std::size_t start = 0;  // byte offsets in the subject
  std::size_t end = 0;
  // captured groups 1..n (empty when a group did not take part)
  std::vector<std::string_view, pool::allocator<std::string_view>> groups;
  std::string_view text;
};

/// Compiles `source`; a pattern Boost.Regex refuses is an S0302-style syntax error at `position`.
std::shared_ptr<regex_rep const> compile_regex(std::string const& source, std::string const& flags, std::size_t position);

/// The first match at or after byte offset `from`; false when none. The
/// native matcher's when it covers the pattern and the subject, else Boost's.
bool regex_find(regex_rep const& re, std::string_view subject, std::size_t from, regex_match& out);

/// The same search by Boost.Regex alone (the fallback; for tests, the native
/// matcher's reference on what both cover).
bool boost_find(regex_rep const& re, std::string_view subject, std::size_t from, native_match& out);

/// Offset in UTF-16 code units (JavaScript string indices) of byte offset `bytes` in UTF-8 `s`.
std::size_t utf16_offset(std::string_view s, std::size_t bytes) noexcept;

/// Byte offset in UTF-8 `s` of UTF-16 offset `units` (the inverse of
/// utf16_offset); past the end gives s.size(). An offset inside a surrogate
/// pair (between the halves of one character) gives the character's start.
std::size_t byte_offset(std::string_view s, std::size_t units) noexcept;

}  // namespace stepsim::jsonata::detail
