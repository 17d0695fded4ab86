#include "jsonata/regex.hpp"

#include "jsonata/failure.hpp"

namespace stepsim::jsonata::detail {

std::shared_ptr<regex_rep const> compile_regex(std::string const& source, std::string const& flags, std::size_t position) {
  auto r = std::make_shared<regex_rep>();
  r->source = source;
  r->flags = flags;
  auto options = boost::regex::ECMAScript | boost::regex::no_mod_s;
  if (flags.find('i') != std::string::npos) options |= boost::regex::icase;
  try {
    r->re.assign(source, options);
  } catch (boost::regex_error const&) {
    throw failure("S0302").at(position);
  }
  r->native = compile_native_regex(source, flags);
  return r;
}

bool boost_find(regex_rep const& re, std::string_view subject, std::size_t from, native_match& out) {
  auto flags = boost::match_default | boost::match_not_dot_newline;
  if (re.flags.find('m') == std::string::npos) flags |= boost::match_single_line;
  if (from > 0) flags |= boost::match_prev_avail;
  // kept per thread: its storage is reused from one search to the next
  thread_local boost::match_results<std::string_view::const_iterator> m;
  if (!boost::regex_search(subject.begin() + static_cast<std::ptrdiff_t>(from), subject.end(), m, re.re, flags))
    return false;
  auto offset = [&](std::string_view::const_iterator i) { return static_cast<std::size_t>(i - subject.begin()); };
  out.start = offset(m[0].first);
  out.end = offset(m[0].second);
  out.groups.resize(m.size() - 1);
  for (std::size_t i = 1; i < m.size(); ++i)
    out.groups[i - 1] = m[i].matched ? std::pair{offset(m[i].first), offset(m[i].second)} : std::pair{native_npos, native_npos};
  return true;
}

bool regex_find(regex_rep const& re, std::string_view subject, std::size_t from, regex_match& out) {
  if (from > subject.size()) return false;
  thread_local native_match m;
  native_outcome found = native_outcome::unsupported;
  try {
    if (re.native) found = native_find(*re.native, subject, from, m);
    if (found == native_outcome::unsupported)
      found = boost_find(re, subject, from, m) ? native_outcome::found : native_outcome::not_found;
  } catch (std::runtime_error const&) {  // either matcher's bound on a search's steps
    throw failure("D1004").with(value::string(re.source));
  }
  if (found == native_outcome::not_found) return false;
  out.start = m.start;
  out.end = m.end;
  out.text = subject.substr(m.start, m.end - m.start);
  out.groups.resize(m.groups.size());
  for (std::size_t i = 0; i < m.groups.size(); ++i) {
    auto [a, b] = m.groups[i];
    out.groups[i] = a == native_npos ? std::string_view() : subject.substr(a, b - a);
  }
  return true;
}
std::size_t utf16_offset(std::string_view s, std::size_t bytes) noexcept {
  std::size_t units = 0;
  for (std::size_t i = 0; i < bytes && i < s.size(); ++i) {
    auto c = static_cast<unsigned char>(s[i]);
    if ((c & 0xC0) == 0x80) continue;
    units += (c >= 0xF0) ? 2 : 1;
  }
  return units;
}

std::size_t byte_offset(std::string_view s, std::size_t units) noexcept {
  std::size_t seen = 0;
  for (std::size_t i = 0; i < s.size(); ++i) {
    auto c = static_cast<unsigned char>(s[i]);
    if ((c & 0xC0) == 0x80) continue;
    std::size_t width = c >= 0xF0 ? 2 : 1;
    if (seen + width > units) return i;
    seen += width;
  }
  return s.size();
}

}  // namespace stepsim::jsonata::detail
