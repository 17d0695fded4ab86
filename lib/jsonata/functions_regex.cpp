// $match, $contains, $replace, $split: with a string or a regular expression.
#include "jsonata/functions.hpp"
#include "jsonata/utf8.hpp"

#include <algorithm>
#include <cmath>

namespace stepsim::jsonata::detail {

namespace {

/// The regex behind a matcher argument when it is a plain regex (searched
/// directly, the fast path); null for any other function (a matcher function,
/// or a match's next(), called as the reference calls them).
regex_rep const* plain_regex(value const& v) {
  auto* f = v.fn();
  return f && f->kind == function_rep::regex && !f->resume_at ? f->re.get() : nullptr;
}

/// Successive matches as the reference's `next()` chain finds them (empty
/// matches after the first raise D1004).
template <class Visit>
void for_each_match(evaluator& ev, regex_rep const& re, std::string_view s, std::optional<double> limit, Visit&& visit) {
  regex_match m;
  if (!regex_find(re, s, 0, m)) return;
  double count = 0;
  for (;;) {
    if (limit && count >= *limit) return;
    visit(m);
    ++count;
    ev.charge(1);
    if (m.end >= s.size()) return;
    std::size_t from = m.end;
    if (!regex_find(re, s, from, m)) return;
    if (m.start == m.end) throw failure("D1004").with(value::string(re.source));
  }
}

/// JavaScript's falsy values other than undefined.
bool js_falsy(value const& v) {
  return v.is_null() || (v.is_bool() && !v.boolean()) || (v.is_number() && !(v.number() != 0)) ||
         (v.is_string() && v.str().empty());
}

/// What a matcher function returned, checked as the reference's
/// evaluateMatcher does: undefined (no more matches) or a match object, one
/// with a numeric `start`, an array `groups` or a function `next` (T1010
/// otherwise; the reference fails with a JavaScript TypeError on the falsy
/// values it lets through, which only $contains reads).
value checked_match(value r) {
  if (r.undefined()) return r;
  if (r.is_object() && (r.get("start").is_number() || r.get("groups").is_array() || r.get("next").is_function()))
    return r;
  throw failure("T1010");
}

/// The matches of a matcher function on `subject`: the function called with
/// the string, then each match's `next()`, until one gives undefined or
/// `limit` matches were visited (next() is called after each visit, as the
/// reference does).
template <class Visit>
void for_each_call(call_info const& ci, value const& fn, value const& subject, std::optional<double> limit, Visit&& visit) {
  std::vector<value> args{subject};
  value m = checked_match(ci.ev.apply(fn, args, ci.input, ci.env));
  double count = 0;
  while (m.defined() && (!limit || count < *limit)) {
    visit(m);
    ci.ev.charge(1);
    value next = m.get("next");
    if (!next.is_function()) throw failure("T1010");
    std::vector<value> none{value{}};
    m = checked_match(ci.ev.apply(next, none, ci.input, ci.env));
    ++count;
  }
}

/// A JavaScript string index argument (a number, undefined = `dflt`, NaN = 0)
/// clamped to [0, length in UTF-16 units].
double js_index(value const& v, double dflt, double length) {
  double d = v.undefined() ? dflt : v.is_number() ? v.number() : v.is_bool() && v.boolean() ? 1 : 0;
  if (std::isnan(d)) d = 0;
  return std::clamp(std::trunc(d), 0.0, length);
}

/// JavaScript's `s.substring(a, b)`: UTF-16 indices, `b` undefined = the end,
/// swapped when a > b.
std::string_view js_substring(std::string_view s, value const& a, value const& b) {
  auto length = static_cast<double>(utf16_offset(s, s.size()));
  double from = js_index(a, 0, length), to = js_index(b, length, length);
  if (from > to) std::swap(from, to);
  auto begin = byte_offset(s, static_cast<std::size_t>(from));
  return s.substr(begin, byte_offset(s, static_cast<std::size_t>(to)) - begin);
}

/// A match object made by a matcher function, read as the `$n` substitution
/// reads it (`match` and `groups`; T1010 when they are not a string and an array).
struct object_match {
  std::string text;
  std::vector<std::string> groups;
  regex_match m;  // views of the above
  explicit object_match(value const& o) {
    value match = o.get("match"), gs = o.get("groups");
    if (!match.is_string() || !gs.is_array()) throw failure("T1010");
    text = std::string(match.str());
    m.text = text;
    for (std::size_t i = 0, n = gs.size(); i < n; ++i) {
      value g = gs.at(i);
      groups.push_back(g.undefined() ? std::string() : g.is_string() ? std::string(g.str()) : to_string(g));
    }
    m.groups.assign(groups.begin(), groups.end());
  }
  object_match(object_match const&) = delete;
  object_match& operator=(object_match const&) = delete;
};

/// A match as the reference's regex closure returns it: {match, start, end,
/// groups, next}, next() searching on from the end of this match.
value match_object(std::shared_ptr<regex_rep const> const& re, value const& subject, regex_match const& m) {
  auto s = subject.str();
  auto o = make_object();
  o->set("match", value::string(m.text));
  o->set("start", value(static_cast<double>(utf16_offset(s, m.start))));
  o->set("end", value(static_cast<double>(utf16_offset(s, m.end))));
  auto groups = make_array();
  for (auto const& g : m.groups) groups->items.push_back(value::string(g));
  o->set("groups", value::of(std::move(groups)));
  auto next = make_pooled<function_rep>();
  next->kind = function_rep::regex;
  next->re = re;
  next->input = subject;
  next->resume_at = m.end;
  o->set("next", function_value(std::move(next)));
  return value::of(std::move(o));
}

std::optional<double> limit_of(value const& v) {
  if (v.is_number()) return v.number() < 0 ? v.number() : std::floor(v.number());
  return std::nullopt;
}

}  // namespace

value call_regex(function_rep const& f, std::vector<value> const& args) {
  value subject = f.resume_at ? f.input : (args.empty() ? value{} : args[0]);
  if (!subject.is_string()) return {};
  std::size_t from = f.resume_at.value_or(0);
  // next(): none past the end; an empty match would never progress (D1004).
  if (f.resume_at && from >= subject.str().size()) return {};
  regex_match m;
  if (!regex_find(*f.re, subject.str(), from, m)) return {};
  if (f.resume_at && m.start == m.end) throw failure("D1004").with(value::string(f.re->source));
  return match_object(f.re, subject, m);
}

STEPSIM_JSONATA_FN(fn_match) {
  value s = arg(a, 0);
  if (s.undefined()) return {};
  auto limit = limit_of(arg(a, 2));
  if (limit && *limit < 0) throw failure("D3040").with(arg(a, 2)).arg(3);
  auto result = make_sequence();
  if (limit && *limit == 0) return value::of(std::move(result));
  auto const* re = plain_regex(arg(a, 1));
  if (!re) {
    for_each_call(ci, arg(a, 1), s, limit, [&](value const& m) {
      auto o = make_object();
      if (value v = m.get("match"); v.defined()) o->set("match", v);
      if (value v = m.get("start"); v.defined()) o->set("index", v);
      if (value v = m.get("groups"); v.defined()) o->set("groups", v);
      result->items.push_back(value::of(std::move(o)));
    });
    return value::of(std::move(result));
  }
  auto str = s.str();
  for_each_match(ci.ev, *re, str, limit, [&](regex_match const& m) {
    auto o = make_object();  // three new keys: built in place, no lookups, one allocation
    o->items.reserve(3);
    o->items.emplace_back("match", value::string(m.text));
    o->items.emplace_back("index", value(static_cast<double>(utf16_offset(str, m.start))));
    auto groups = make_array();
    groups->items.reserve(m.groups.size());
    for (auto const& g : m.groups) groups->items.push_back(value::string(g));
    o->items.emplace_back("groups", value::of(std::move(groups)));
    result->items.push_back(value::of(std::move(o)));
  });
  return value::of(std::move(result));
}

STEPSIM_JSONATA_FN(fn_contains) {
  value s = arg(a, 0), t = arg(a, 1);
  if (s.undefined() || t.undefined()) return {};
  if (t.is_string()) return value(s.str().find(t.str()) != std::string_view::npos);
  if (auto const* re = plain_regex(t)) {
    regex_match m;
    return value(regex_find(*re, s.str(), 0, m));
  }
  // Any answer but undefined is a match (the reference lets falsy ones through unchecked).
  std::vector<value> args{s};
  value r = ci.ev.apply(t, args, ci.input, ci.env);
  return value(r.defined() && (js_falsy(r) || checked_match(r).defined()));
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
      ci.ev.charge(1);
      idx = str.find(p, pos);
    }
    out.append(str.substr(pos));
    return value::string(std::move(out));
  }
  auto const* re = plain_regex(pattern);
  if (!re) {
    // Positions are the matcher's JavaScript string indices (UTF-16 units).
    value position(0.0);
    for_each_call(ci, pattern, s, limit, [&](value const& m) {
      out.append(js_substring(str, position, m.get("start")));
      object_match match(m);
      value r;
      if (repl.is_string()) {
        r = value::string(substitute(repl.str(), match.m));
      } else {
        std::vector<value> args{m};
        r = ci.ev.apply(repl, args, ci.input, ci.env);
        if (!r.is_string()) throw failure("D3012").with(r);
      }
      out.append(r.str());
      value start = m.get("start");
      position = value((start.is_number() ? start.number() : std::nan("")) +
                       static_cast<double>(utf16_offset(match.text, match.text.size())));
    });
    out.append(js_substring(str, position, value{}));
    return value::string(std::move(out));
  }
  for_each_match(ci.ev, *re, str, limit, [&](regex_match const& m) {
    out.append(str.substr(pos, m.start - pos));
    if (repl.is_string()) {
      out += substitute(repl.str(), m);
    } else {
      std::vector<value> args{match_object(pattern.fn()->re, s, m)};
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
        ci.ev.charge(1);
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
        ci.ev.charge(1);
        pos = idx + p.size();
      }
    }
    return array_of(std::move(parts));
  }
  double count = 0;
  bool any = false;
  auto const* re = plain_regex(sep);
  if (!re) {
    value start(0.0);
    for_each_call(ci, sep, s, limit, [&](value const& m) {
      any = true;
      parts.push_back(value::string(js_substring(str, start, m.get("start"))));
      start = m.get("end");
      ++count;
    });
    if (!any) parts.push_back(s);
    else if (!limit || count < *limit) parts.push_back(value::string(js_substring(str, start, value{})));
    return array_of(std::move(parts));
  }
  std::size_t start = 0;
  for_each_match(ci.ev, *re, str, limit, [&](regex_match const& m) {
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
