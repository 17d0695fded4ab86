// Higher-order functions and $eval.
#include "jsonata/functions.hpp"
#include "jsonata/parser.hpp"

namespace stepsim::jsonata::detail {

namespace {

value as_index(std::size_t i) { return value(static_cast<double>(i)); }

}  // namespace

STEPSIM_JSONATA_FN(fn_map) {
  value arr = arg(a, 0);
  if (arr.undefined()) return {};
  value fn = arg(a, 1);
  auto out = make_sequence();
  for (std::size_t i = 0, n = arr.size(); i < n; ++i) {
    value r = ci.ev.call_hof(fn, arr.at(i), as_index(i), arr, value::null(), ci.env);
    if (r.defined()) out->items.push_back(std::move(r));
  }
  return value::of(std::move(out));
}

STEPSIM_JSONATA_FN(fn_filter) {
  value arr = arg(a, 0);
  if (arr.undefined()) return {};
  value fn = arg(a, 1);
  auto out = make_sequence();
  for (std::size_t i = 0, n = arr.size(); i < n; ++i) {
    value item = arr.at(i);
    value r = ci.ev.call_hof(fn, item, as_index(i), arr, value::null(), ci.env);
    if (truthy(r).value_or(false)) out->items.push_back(std::move(item));
  }
  return value::of(std::move(out));
}

STEPSIM_JSONATA_FN(fn_single) {
  value arr = arg(a, 0);
  if (arr.undefined()) return {};
  value fn = arg(a, 1);
  bool found = false;
  value result;
  for (std::size_t i = 0, n = arr.size(); i < n; ++i) {
    value item = arr.at(i);
    bool ok = true;
    if (fn.defined()) ok = truthy(ci.ev.call_hof(fn, item, as_index(i), arr, value::null(), ci.env)).value_or(false);
    if (!ok) continue;
    if (found) throw failure("D3138").arg(static_cast<int>(i));
    result = item;
    found = true;
  }
  if (!found) throw failure("D3139");
  return result;
}

STEPSIM_JSONATA_FN(fn_reduce) {
  value seq = arg(a, 0);
  if (seq.undefined()) return {};
  value fn = arg(a, 1);
  int ar = ci.ev.arity(fn);
  if (ar < 2) throw failure("D3050").arg(1);
  std::size_t index = 0;
  value result;
  std::size_t n = seq.size();
  if (arg(a, 2).undefined() && n > 0) {
    result = seq.at(0);
    index = 1;
  } else {
    result = arg(a, 2);
  }
  for (; index < n; ++index) {
    std::vector<value> args{result, seq.at(index)};
    if (ar >= 3) args.push_back(as_index(index));
    if (ar >= 4) args.push_back(seq);
    result = ci.ev.apply(fn, args, value::null(), ci.env);
  }
  return result;
}

STEPSIM_JSONATA_FN(fn_sift) {
  value obj = arg(a, 0);
  value fn = arg(a, 1);
  auto out = make_object();
  for (std::size_t i = 0, n = obj.is_object() ? obj.obj_size() : 0; i < n; ++i) {
    value item = obj.value_at(i);
    value r = ci.ev.call_hof(fn, item, value::string(obj.key_at(i)), obj, value::null(), ci.env);
    if (truthy(r).value_or(false)) out->items.emplace_back(std::string(obj.key_at(i)), std::move(item));
  }
  if (out->items.empty()) return {};
  return value::of(std::move(out));
}

STEPSIM_JSONATA_FN(fn_each) {
  value obj = arg(a, 0);
  value fn = arg(a, 1);
  auto out = make_sequence();
  for (std::size_t i = 0, n = obj.is_object() ? obj.obj_size() : 0; i < n; ++i) {
    value r = ci.ev.call_hof(fn, obj.value_at(i), value::string(obj.key_at(i)), obj, value::null(), ci.env);
    if (r.defined()) out->items.push_back(std::move(r));
  }
  return value::of(std::move(out));
}

STEPSIM_JSONATA_FN(fn_eval) {
  value text = arg(a, 0);
  if (text.undefined()) return {};
  value input = ci.input;
  if (arg(a, 1).defined()) {
    input = arg(a, 1);
    if (input.is_array() && !input.is_sequence()) {
      auto seq = make_sequence();
      seq->items.push_back(input);
      seq->outer_wrapper = true;
      input = value::of(std::move(seq));
    }
  }
  // the parsed tree must outlive every value the evaluation returns (lambdas point into it)
  auto store = std::make_shared<tree_store>();
  node* root = nullptr;
  try {
    root = parse(text.str(), *store);
  } catch (failure const& f) {
    throw failure("D3120").with(value::string(f.text()));
  }
  ci.ev.keep_alive(store);
  try {
    return ci.ev.eval(root, input, ci.env);
  } catch (failure const& f) {
    throw failure("D3121").with(value::string(f.text()));
  }
}

}  // namespace stepsim::jsonata::detail
