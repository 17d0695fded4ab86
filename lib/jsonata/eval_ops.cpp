// Operators: arithmetic, comparison, string concatenation, ranges, array
// constructors and order-by.
#include "jsonata/eval.hpp"
#include "jsonata/sort.hpp"

#include <cmath>

namespace stepsim::jsonata::detail {

bool is_numeric(value const& v) {
  if (!v.is_number()) return false;
  double d = v.number();
  if (std::isnan(d)) return false;
  if (!std::isfinite(d)) throw failure("D1001").with(v);
  return true;
}

std::optional<bool> truthy(value const& v) {
  switch (v.type()) {
    case kind::undefined: return std::nullopt;
    case kind::null: return false;
    case kind::boolean: return v.boolean();
    case kind::number:  // as the reference's isNumeric: an infinity fails (D1001), NaN is false
      if (std::isinf(v.number())) throw failure("D1001").with(v);
      return v.number() != 0 && !std::isnan(v.number());
    case kind::string: return !v.str().empty();
    case kind::function: return false;
    case kind::object: return v.obj_size() > 0;
    case kind::array: {
      std::size_t n = v.size();
      if (n == 1) return truthy(v.at(0)).value_or(false);
      bool any = false;  // every item is tested (an infinity after a true item still fails)
      for (std::size_t i = 0; i < n; ++i) any = truthy(v.at(i)).value_or(false) || any;
      return any;
    }
  }
  return false;
}

value append(value const& a, value const& b) {
  if (a.undefined()) return b;
  if (b.undefined()) return a;
  auto out = make_array();
  if (a.is_array()) {
    out->items.reserve(a.size() + (b.is_array() ? b.size() : 1));
    for (std::size_t i = 0, n = a.size(); i < n; ++i) out->items.push_back(a.at(i));
  } else {
    out->items.push_back(a);
  }
  if (b.is_array()) {
    for (std::size_t i = 0, n = b.size(); i < n; ++i) out->items.push_back(b.at(i));
  } else {
    out->items.push_back(b);
  }
  return value::of(std::move(out));
}

std::string to_string(value const& v, bool pretty) {
  if (v.is_string()) return std::string(v.str());
  if (v.is_function()) return {};
  if (v.is_number() && !std::isfinite(v.number())) throw failure("D3001").with(v);
  return stringify(unwrap_outer(v), pretty);
}

namespace {

bool comparable(value const& v) { return v.undefined() || v.is_string() || v.is_number(); }

}  // namespace

value evaluator::eval_binary(node const* n, value const& input, frame_ptr const& env) {
  value lhs = eval(n->lhs, input, env);
  if (n->op == binop::and_ || n->op == binop::or_) {
    try {
      bool l = truthy(lhs).value_or(false);
      if (n->op == binop::and_) return value(l && truthy(eval(n->rhs, input, env)).value_or(false));
      return value(l || truthy(eval(n->rhs, input, env)).value_or(false));
    } catch (failure& f) {
      f.position = n->position;
      f.token = n->text;
      throw;
    }
  }
  // a literal operand (`Price > 30`) is its value: no evaluation step
  node const* r = n->rhs;
  bool const literal = (r->type == node_type::number || r->type == node_type::string || r->type == node_type::literal) &&
                       r->predicate.empty() && r->stages.empty() && !r->group && !r->keep_array;
  value rhs = literal ? r->literal : eval(r, input, env);
  try {
    switch (n->op) {
      case binop::add:
      case binop::sub:
      case binop::mul:
      case binop::div:
      case binop::mod: {
        if (lhs.defined() && !is_numeric(lhs)) throw failure("T2001").with(lhs);
        if (rhs.defined() && !is_numeric(rhs)) throw failure("T2002").with(rhs);
        if (lhs.undefined() || rhs.undefined()) return {};
        double a = lhs.number(), b = rhs.number();
        switch (n->op) {
          case binop::add: return value(a + b);
          case binop::sub: return value(a - b);
          case binop::mul: return value(a * b);
          case binop::div: return value(a / b);
          default: return value(std::fmod(a, b));
        }
      }
      case binop::eq:
      case binop::ne: {
        if (lhs.undefined() || rhs.undefined()) return value(false);
        bool eq = deep_equal(lhs, rhs);
        return value(n->op == binop::eq ? eq : !eq);
      }
      case binop::lt:
      case binop::le:
      case binop::gt:
      case binop::ge: {
        if (!comparable(lhs) || !comparable(rhs)) {
          bool lok = lhs.is_string() || lhs.is_number();
          throw failure("T2010").with(lok ? rhs : lhs);
        }
        if (lhs.undefined() || rhs.undefined()) return {};
        if (lhs.type() != rhs.type()) throw failure("T2009").with(lhs).with2(rhs);
        int c;
        if (lhs.is_number()) {
          double a = lhs.number(), b = rhs.number();
          if (std::isnan(a) || std::isnan(b)) return value(false);
          c = a < b ? -1 : (a > b ? 1 : 0);
        } else {
          auto x = lhs.str(), y = rhs.str();
          c = x < y ? -1 : (x > y ? 1 : 0);
        }
        switch (n->op) {
          case binop::lt: return value(c < 0);
          case binop::le: return value(c <= 0);
          case binop::gt: return value(c > 0);
          default: return value(c >= 0);
        }
      }
      case binop::concat: {
        std::string s;
        if (lhs.defined()) s = to_string(lhs);
        if (rhs.defined()) s += to_string(rhs);
        return value::string(std::move(s));
      }
      case binop::range: {
        if (lhs.defined() && !(lhs.is_number() && is_integer(lhs.number()))) throw failure("T2003").with(lhs);
        if (rhs.defined() && !(rhs.is_number() && is_integer(rhs.number()))) throw failure("T2004").with(rhs);
        if (lhs.undefined() || rhs.undefined()) return {};
        double a = lhs.number(), b = rhs.number();
        if (a > b) return {};
        double size = b - a + 1;
        if (size > 1e7) throw failure("D2014").with(value(size));
        auto seq = make_sequence();
        seq->items.reserve(static_cast<std::size_t>(size));
        for (double x = a; x <= b; ++x) {
          seq->items.emplace_back(x);
          charge(1);
        }
        return value::of(std::move(seq));
      }
      case binop::in: {
        if (lhs.undefined() || rhs.undefined()) return value(false);
        auto same = [&](value const& x) {
          if (x.type() != lhs.type()) return false;
          switch (x.type()) {
            case kind::null: return true;
            case kind::boolean: return x.boolean() == lhs.boolean();
            case kind::number: return x.number() == lhs.number();
            case kind::string: return x.str() == lhs.str();
            default: return x.same(lhs);
          }
        };
        if (!rhs.is_array()) return value(same(rhs));
        for (std::size_t i = 0, k = rhs.size(); i < k; ++i)
          if (same(rhs.at(i))) return value(true);
        return value(false);
      }
      default: return {};
    }
  } catch (failure& f) {
    f.position = n->position;
    f.token = n->text;
    throw;
  }
}

value evaluator::eval_array(node const* n, value const& input, frame_ptr const& env) {
  auto out = make_array();
  for (node const* item : n->items) {
    value v = eval(item, input, env);
    if (v.undefined()) continue;
    if (item->type == node_type::array) {
      out->items.push_back(std::move(v));
    } else if (v.is_array()) {
      for (std::size_t i = 0, k = v.size(); i < k; ++i) out->items.push_back(v.at(i));
    } else {
      out->items.push_back(std::move(v));
    }
  }
  if (n->cons_array) out->cons = true;
  return value::of(std::move(out));
}

value evaluator::eval_sort(node const* n, value const& input, frame_ptr const& env) {
  if (input.undefined()) return {};
  auto* ia = input.arr();
  bool tuples = ia && ia->tuple_stream;
  std::vector<value> items;
  std::size_t count = input.is_array() ? input.size() : 1;
  if (!input.is_array()) items.push_back(input);
  else
    for (std::size_t i = 0; i < count; ++i) items.push_back(input.at(i));
  // One item: the reference returns its input sequence as it is. A JSON array
  // here stands for the sequence of its items (a path's in-place prefix hands
  // it over unwrapped), so it becomes that sequence, which then collapses.
  if (items.size() == 1 && input.is_array() && !ia) return sequence_of(items[0]);
  if (items.size() <= 1) return input;
  // evaluate every sort key once per item, then merge sort stably on the keys
  std::vector<std::vector<value>> keys(items.size());
  for (std::size_t i = 0; i < items.size(); ++i) {
    for (auto const& term : n->terms) {
      value ctx = items[i];
      frame_ptr e = env;
      if (tuples) {
        auto* o = items[i].obj();
        value const* at = o->find("@");
        ctx = at ? *at : value{};
        e = make_pooled<frame>();
        e->parent = env;
        for (auto const& [k, v] : o->items) e->binds.emplace_back(k, v);
      }
      keys[i].push_back(eval(term.expr, ctx, e));
    }
  }
  std::vector<std::size_t> order(items.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  auto greater = [&](std::size_t a, std::size_t b) {
    int comp = 0;
    for (std::size_t t = 0; comp == 0 && t < n->terms.size(); ++t) {
      value const& aa = keys[a][t];
      value const& bb = keys[b][t];
      if (aa.undefined()) {
        comp = bb.undefined() ? 0 : 1;
        continue;
      }
      if (bb.undefined()) {
        comp = -1;
        continue;
      }
      bool aok = aa.is_string() || aa.is_number();
      bool bok = bb.is_string() || bb.is_number();
      if (!aok || !bok) throw failure("T2008").at(n->position).with(aok ? bb : aa);
      if (aa.type() != bb.type()) throw failure("T2007").at(n->position).with(aa).with2(bb);
      if (aa.is_number()) {
        if (aa.number() == bb.number()) continue;
        comp = aa.number() < bb.number() ? -1 : 1;
      } else {
        if (aa.str() == bb.str()) continue;
        comp = aa.str() < bb.str() ? -1 : 1;
      }
      if (n->terms[t].descending) comp = -comp;
    }
    return comp == 1;
  };
  merge_sort(order, greater);
  auto out = make_array();
  out->tuple_stream = tuples;
  for (auto i : order) out->items.push_back(items[i]);
  return value::of(std::move(out));
}

}  // namespace stepsim::jsonata::detail
