// $match, $contains, $replace, $split: with a string or a regular expression.
#include "jsonata/functions.hpp"
#include "jsonata/utf8.hpp"

#include <cmath>

namespace stepsim::jsonata::detail {

namespace {

regex_rep const& matcher(value const& v) {
  auto* f = v.fn();
  if (!f || f->kind != function_rep::regex) throw failure("T1010");
  return *f->re;
}

/// Successive matches as the reference's `next()` chain finds them (empty
/// matches after the first raise D1004).
template <class Visit>
void for_each_match(regex_rep const& re, std::string_view s, std::optional<double> limit, Visit&& visit) {
  regex_match m;
  if (!regex_find(re, s, 0, m)) return;
  double count = 0;
  for (;;) {
    if (limit && count >= *limit) return;
    visit(m);
    ++count;
    if (m.end >= s.size()) return;
    std::size_t from = m.end;
    if (!regex_find(re, s, from, m)) return;
    if (m.start == m.end) throw failure("D1004").with(value::string(re.source));
  }
}

std::optional<double> limit_of(value const& v) {
  if (v.is_number()) return v.number() < 0 ? v.number() : std::floor(v.number());
  return std::nullopt;
}

}  // namespace

STEPSIM_JSONATA_FN(fn_match) {
  (void)ci;
  value s = arg(a, 0);
  if (s.undefined()) return {};
  auto limit = limit_of(arg(a, 2));
  if (limit && *limit < 0) throw failure("D3040").with(arg(a, 2)).arg(3);
  auto result = make_sequence();
  if (limit && *limit == 0) return value::of(std::move(result));
  auto str = s.str();
  for_each_match(matcher(arg(a, 1)), str, limit, [&](regex_match const& m) {
    auto o = make_object();
    o->set("match", value::string(m.text));
    o->set("index", value(static_cast<double>(utf16_offset(str, m.start))));
    auto groups = make_array();
    for (auto const& g : m.groups) groups->items.push_back(value::string(g));
    o->set("groups", value::of(std::move(groups)));
    result->items.push_back(value::of(std::move(o)));
  });
  return value::of(std::move(result));
}

STEPSIM_JSONATA_FN(fn_contains) {
  (void)ci;
  value s = arg(a, 0), t = arg(a, 1);
  if (s.undefined() || t.undefined()) return {};
  if (t.is_string()) return value(s.str().find(t.str()) != std::string_view::npos);
  regex_match m;
  return value(regex_find(matcher(t), s.str(), 0, m));
}

namespace {

std::string substitute(std::string_view repl, regex_match const& m) {
  std::string out;
  std::size_t pos = 0;
  auto idx = repl.find('$', pos);
  while (idx != std::string_view::npos && pos < repl.size()) {
    out.append(repl.substr(pos, idx - pos));
    pos = idx + 1;
    char d = pos < repl.size() ? repl[pos] : '\0';
    if (d == '$') {
      out += '$';
      ++pos;
    } else if (d == '0') {
      out.append(m.text);
      ++pos;
    } else {
      std::size_t ngroups = m.groups.size();
      std::size_t max_digits = ngroups == 0 ? 1 : static_cast<std::size_t>(std::floor(std::log10(static_cast<double>(ngroups)))) + 1;
      auto parse = [&](std::size_t digits) -> long {
        std::size_t k = pos;
        long v = -1;
        while (k < repl.size() && k < pos + digits && std::isdigit(static_cast<unsigned char>(repl[k]))) {
          v = (v < 0 ? 0 : v * 10) + (repl[k] - '0');
          ++k;
        }
        return v;
      };
      long index = parse(max_digits);
      if (max_digits > 1 && index > static_cast<long>(ngroups)) index = parse(max_digits - 1);
      if (index >= 0) {
        if (ngroups > 0 && index >= 1 && static_cast<std::size_t>(index) <= ngroups) out += m.groups[static_cast<std::size_t>(index - 1)];
        pos += std::to_string(index).size();
      } else {
        out += '$';
      }
    }
    idx = repl.find('$', pos);
  }
  if (pos < repl.size()) out.append(repl.substr(pos));
  return out;
}

}  // namespace

STEPSIM_JSONATA_FN(fn_replace) {
  value s = arg(a, 0);
  if (s.undefined()) return {};
  value pattern = arg(a, 1), repl = arg(a, 2);
  if (pattern.is_string() && pattern.str().empty()) throw failure("D3010").with(pattern).arg(2);
  auto limit = limit_of(arg(a, 3));
  if (limit && *limit < 0) throw failure("D3011").with(arg(a, 3)).arg(4);
  auto str = s.str();
  if (limit && *limit == 0) return s;
  std::string out;
  std::size_t pos = 0;
  if (pattern.is_string()) {
    auto p = pattern.str();
    double count = 0;
    auto idx = str.find(p);
    while (idx != std::string_view::npos && (!limit || count < *limit)) {
      out.append(str.substr(pos, idx - pos));
      out.append(to_string(repl));
      pos = idx + p.size();
      ++count;
      idx = str.find(p, pos);
    }
    out.append(str.substr(pos));
    return value::string(std::move(out));
  }
  for_each_match(matcher(pattern), str, limit, [&](regex_match const& m) {
    out.append(str.substr(pos, m.start - pos));
    if (repl.is_string()) {
      out += substitute(repl.str(), m);
    } else {
      auto o = make_object();
      o->set("match", value::string(m.text));
      o->set("start", value(static_cast<double>(utf16_offset(str, m.start))));
      o->set("end", value(static_cast<double>(utf16_offset(str, m.end))));
      auto groups = make_array();
      for (auto const& g : m.groups) groups->items.push_back(value::string(g));
      o->set("groups", value::of(std::move(groups)));
      std::vector<value> args{value::of(std::move(o))};
      value r = ci.ev.apply(repl, args, ci.input, ci.env);
      if (!r.is_string()) throw failure("D3012").with(r);
      out.append(r.str());
    }
    pos = m.end;
  });
  out.append(str.substr(std::min(pos, str.size())));
  return value::string(std::move(out));
}

STEPSIM_JSONATA_FN(fn_split) {
  (void)ci;
  value s = arg(a, 0);
  if (s.undefined()) return {};
  // The reference passes a string separator's limit to JavaScript's split
  // (which truncates it) but compares a regex's match count with the limit as
  // given: $split("a", /,/, 0.5) is ["a"], $split("a", ",", 0.5) is [].
  std::optional<double> limit;
  if (arg(a, 2).is_number()) limit = arg(a, 2).number();
  if (limit && *limit < 0) throw failure("D3020").with(arg(a, 2)).arg(3);
  std::vector<value> parts;
  auto str = s.str();
  if (limit && *limit == 0) return array_of({});
  value sep = arg(a, 1);
  if (sep.is_string()) {
    if (limit) limit = std::floor(*limit);
    auto p = sep.str();
    auto room = [&] { return !limit || static_cast<double>(parts.size()) < *limit; };
    if (p.empty()) {
      for (auto cp : split_code_points(str)) {
        if (!room()) break;
        parts.push_back(value::string(cp));
      }
    } else {
      std::size_t pos = 0;
      for (;;) {
        if (!room()) break;
        auto idx = str.find(p, pos);
        if (idx == std::string_view::npos) {
          parts.push_back(value::string(str.substr(pos)));
          break;
        }
        parts.push_back(value::string(str.substr(pos, idx - pos)));
        pos = idx + p.size();
      }
    }
    return array_of(std::move(parts));
  }
  std::size_t start = 0;
  double count = 0;
  bool any = false;
  for_each_match(matcher(sep), str, limit, [&](regex_match const& m) {
    any = true;
    parts.push_back(value::string(str.substr(start, m.start - start)));
    start = m.end;
    ++count;
  });
  if (!any) parts.push_back(s);
  else if (!limit || count < *limit) parts.push_back(value::string(str.substr(start)));
  return array_of(std::move(parts));
}

}  // namespace stepsim::jsonata::detail
