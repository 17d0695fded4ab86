// Array and object functions, $error and $assert.
#include "jsonata/functions.hpp"
#include "jsonata/sort.hpp"

#include <cmath>

namespace stepsim::jsonata::detail {

STEPSIM_JSONATA_FN(fn_append) {
  (void)ci;
  return append(arg(a, 0), arg(a, 1));
}

STEPSIM_JSONATA_FN(fn_reverse) {
  (void)ci;
  value v = arg(a, 0);
  if (v.undefined() || v.size() <= 1) return v;
  auto items = items_of(v);
  std::reverse(items.begin(), items.end());
  return array_of(std::move(items));
}

STEPSIM_JSONATA_FN(fn_shuffle) {
  value v = arg(a, 0);
  if (v.undefined() || v.size() <= 1) return v;
  auto items = items_of(v);
  // Fisher-Yates from the end, as the reference does
  for (std::size_t i = items.size() - 1; i > 0; --i) {
    auto j = static_cast<std::size_t>(std::floor(ci.ev.random() * static_cast<double>(i + 1)));
    if (j > i) j = i;
    std::swap(items[i], items[j]);
  }
  return array_of(std::move(items));
}

STEPSIM_JSONATA_FN(fn_distinct) {
  value v = arg(a, 0);
  if (v.undefined() || !v.is_array() || v.size() <= 1) return v;
  std::vector<value> out;
  for (std::size_t i = 0, n = v.size(); i < n; ++i) {
    value item = v.at(i);
    ci.ev.charge(out.size() + 1);
    bool seen = false;
    for (auto const& o : out)
      if (deep_equal(item, o)) {
        seen = true;
        break;
      }
    if (!seen) out.push_back(std::move(item));
  }
  return v.is_sequence() ? sequence_from(std::move(out)) : array_of(std::move(out));
}

STEPSIM_JSONATA_FN(fn_zip) {
  std::size_t len = a.empty() ? 0 : SIZE_MAX;
  for (auto const& x : a) len = std::min(len, x.is_array() ? x.size() : std::size_t{0});
  std::vector<value> out;
  for (std::size_t i = 0; i < len; ++i) {
    std::vector<value> tuple;
    for (auto const& x : a) tuple.push_back(x.at(i));
    ci.ev.charge(a.size());
    out.push_back(array_of(std::move(tuple)));
  }
  return array_of(std::move(out));
}

STEPSIM_JSONATA_FN(fn_sort) {
  value v = arg(a, 0);
  if (v.undefined()) return {};
  if (v.size() <= 1) return v;
  auto items = items_of(v);
  value fn = arg(a, 1);
  if (fn.undefined()) {
    bool nums = is_array_of_numbers(v), strs = is_array_of_strings(v);
    if (!nums && !strs) throw failure("D3070").arg(1);
    merge_sort(items, [&](value const& x, value const& y) {
      return nums ? x.number() > y.number() : x.str() > y.str();
    });
  } else {
    merge_sort(items, [&](value const& x, value const& y) {
      std::vector<value> args{x, y};
      value r = ci.ev.apply(fn, args, value::null(), ci.env);
      return truthy(r).value_or(false);
    });
  }
  return array_of(std::move(items));
}

namespace {

void collect_keys(value const& v, std::vector<std::string>& keys) {
  if (v.is_array()) {
    for (std::size_t i = 0, n = v.size(); i < n; ++i) collect_keys(v.at(i), keys);
  } else if (v.is_object()) {
    for (std::size_t i = 0, n = v.obj_size(); i < n; ++i) {
      auto k = v.key_at(i);
      if (std::find(keys.begin(), keys.end(), k) == keys.end()) keys.emplace_back(k);
    }
  }
}

}  // namespace

STEPSIM_JSONATA_FN(fn_keys) {
  (void)ci;
  std::vector<std::string> keys;
  collect_keys(arg(a, 0), keys);
  std::vector<value> out;
  for (auto& k : keys) out.push_back(value::string(std::move(k)));
  return sequence_from(std::move(out));
}

STEPSIM_JSONATA_FN(fn_lookup) {
  (void)ci;
  value key = arg(a, 1);
  // An undefined key is looked up as the reference's input[undefined] is: "undefined".
  return lookup_key(arg(a, 0), key.undefined() ? std::string_view("undefined") : key.str());
}

namespace {

value spread(value const& v) {
  if (v.is_array()) {
    value result = sequence_from({});
    for (std::size_t i = 0, n = v.size(); i < n; ++i) result = append(result, spread(v.at(i)));
    return result;
  }
  if (v.is_object()) {
    auto seq = make_sequence();
    for (std::size_t i = 0, n = v.obj_size(); i < n; ++i) {
      auto o = make_object();
      o->items.emplace_back(std::string(v.key_at(i)), v.value_at(i));
      seq->items.push_back(value::of(std::move(o)));
    }
    return value::of(std::move(seq));
  }
  return v;
}

}  // namespace

STEPSIM_JSONATA_FN(fn_spread) {
  (void)ci;
  value v = arg(a, 0);
  if (v.undefined()) return sequence_from({});
  return spread(v);
}

STEPSIM_JSONATA_FN(fn_merge) {
  (void)ci;
  value v = arg(a, 0);
  if (v.undefined()) return {};
  auto out = make_object();
  for (std::size_t i = 0, n = v.size(); i < n; ++i) {
    value o = v.at(i);
    for (std::size_t k = 0, m = o.obj_size(); k < m; ++k) out->set(o.key_at(k), o.value_at(k));
  }
  return value::of(std::move(out));
}

STEPSIM_JSONATA_FN(fn_error) {
  (void)ci;
  failure f("D3137");
  f.message = arg(a, 0).is_string() && !arg(a, 0).str().empty() ? std::string(arg(a, 0).str()) : "$error() function evaluated";
  throw f;
}

STEPSIM_JSONATA_FN(fn_assert) {
  (void)ci;
  if (!arg(a, 0).boolean()) {
    failure f("D3141");
    f.message = arg(a, 1).is_string() && !arg(a, 1).str().empty() ? std::string(arg(a, 1).str()) : "$assert() statement failed";
    throw f;
  }
  return {};
}

STEPSIM_JSONATA_FN(fn_clone) {
  (void)ci;
  value v = arg(a, 0);
  if (v.undefined()) return {};
  return deep_copy(unwrap_outer(v));
}

}  // namespace stepsim::jsonata::detail
