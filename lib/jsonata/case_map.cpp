// $uppercase and $lowercase: JavaScript's toUpperCase/toLowerCase, i.e. the
// full Unicode case mappings without a locale (case_tables.hpp), with the
// final sigma rule of toLowerCase.
#include "case_tables.hpp"
#include "utf8.hpp"

#include <algorithm>
#include <iterator>

namespace stepsim::jsonata::detail {

namespace {

namespace ct = case_tables;

template <class Table>
auto const* find_first_at_most(Table const& table, std::uint32_t cp) {
  auto it = std::upper_bound(std::begin(table), std::end(table), cp,
                             [](std::uint32_t c, auto const& entry) { return c < entry.first; });
  return it == std::begin(table) ? nullptr : &*std::prev(it);
}

bool in_ranges(ct::range const* begin, ct::range const* end, std::uint32_t cp) {
  auto it = std::upper_bound(begin, end, cp, [](std::uint32_t c, ct::range const& r) { return c < r.first; });
  return it != begin && cp <= std::prev(it)->last;
}

template <std::size_t N>
bool in(ct::range const (&table)[N], std::uint32_t cp) {
  return in_ranges(table, table + N, cp);
}

template <std::size_t R, std::size_t S>
void append_mapped(std::string& out, std::uint32_t cp, ct::run const (&runs)[R], ct::special const (&specials)[S]) {
  auto sp = std::lower_bound(specials, specials + S, cp, [](ct::special const& s, std::uint32_t c) { return s.cp < c; });
  if (sp != specials + S && sp->cp == cp) {
    out += sp->utf8;
    return;
  }
  auto const* r = find_first_at_most(runs, cp);
  if (r && cp <= r->last && (cp - r->first) % r->stride == 0) cp = static_cast<std::uint32_t>(static_cast<std::int64_t>(cp) + r->delta);
  encode_utf8(out, cp);
}

// Final_Sigma (Unicode 3.13): a capital sigma preceded by a cased letter and
// not followed by one, case-ignorable characters skipped in both directions.
bool final_sigma(std::vector<std::uint32_t> const& cps, std::size_t i) {
  auto cased_next = [](auto first, auto last) {
    for (; first != last; ++first) {
      if (in(ct::case_ignorable, *first)) continue;
      return in(ct::cased, *first);
    }
    return false;
  };
  return cased_next(std::make_reverse_iterator(cps.begin() + static_cast<std::ptrdiff_t>(i)), cps.rend()) &&
         !cased_next(cps.begin() + static_cast<std::ptrdiff_t>(i) + 1, cps.end());
}

}  // namespace

std::string js_uppercase(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (auto cp : decode_utf8(s)) append_mapped(out, cp, ct::upper_runs, ct::upper_special);
  return out;
}

std::string js_lowercase(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  auto cps = decode_utf8(s);
  for (std::size_t i = 0; i < cps.size(); ++i) {
    if (cps[i] == 0x3A3 && final_sigma(cps, i)) encode_utf8(out, 0x3C2);
    else append_mapped(out, cps[i], ct::lower_runs, ct::lower_special);
  }
  return out;
}

}  // namespace stepsim::jsonata::detail
