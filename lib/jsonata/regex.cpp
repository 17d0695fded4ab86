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
  return r;
}

bool regex_find(regex_rep const& re, std::string_view subject, std::size_t from, regex_match& out) {
  if (from > subject.size()) return false;
  auto flags = boost::match_default | boost::match_not_dot_newline;
  if (re.flags.find('m') == std::string::npos) flags |= boost::match_single_line;
  if (from > 0) flags |= boost::match_prev_avail;
  // kept per thread: its storage is reused from one search to the next
  thread_local boost::match_results<std::string_view::const_iterator> m;
  bool found = false;
  try {
    found = boost::regex_search(subject.begin() + static_cast<std::ptrdiff_t>(from), subject.end(), m, re.re, flags);
  } catch (std::runtime_error const&) {
    throw failure("D1004").with(value::string(re.source));
  }
  if (!found) return false;
  out.start = static_cast<std::size_t>(m[0].first - subject.begin());
  out.end = static_cast<std::size_t>(m[0].second - subject.begin());
  out.text = subject.substr(out.start, out.end - out.start);
  out.groups.clear();
  // (sub_match::str() appends a character at a time: the text is copied whole)
  for (std::size_t i = 1; i < m.size(); ++i)
    m[i].matched ? out.groups.emplace_back(m[i].first, m[i].second) : out.groups.emplace_back();
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
