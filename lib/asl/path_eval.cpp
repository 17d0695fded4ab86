// Evaluation of compiled steps. Iterative throughout: neither a long path nor
// a deep document grows the call stack.
#include "path_impl.hpp"

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include <algorithm>

namespace stepsim::asl::detail {
namespace json = boost::json;
namespace {

// An index in range, or -1. A negative index selects nothing, as on AWS
// (`$.array[-1]` is "could not be found" there; the last element is
// `[(@.length-1)]`, a from_end step). Slices count from the end on their own.
std::int64_t normalize(std::int64_t i, std::size_t size) noexcept {
  return i >= 0 && i < static_cast<std::int64_t>(size) ? i : -1;
}

// The element an index or script-index step names in `a`; -1 when out of range.
std::int64_t position(step const& s, json::array const& a) noexcept {
  if (s.kind == step_kind::index) return normalize(s.index, a.size());
  auto n = static_cast<std::int64_t>(a.size());
  return s.index <= n && s.index > 0 ? n - s.index : -1;  // [(@.length-0)] is past the end
}

int sign(auto a, auto b) noexcept { return a < b ? -1 : b < a ? 1 : 0; }

int compare_numbers(json::value const& a, json::value const& b) noexcept {
  if (a.is_double() || b.is_double()) return sign(a.to_number<double>(), b.to_number<double>());
  if (a.is_int64() && b.is_int64()) return sign(a.get_int64(), b.get_int64());
  if (a.is_uint64() && b.is_uint64()) return sign(a.get_uint64(), b.get_uint64());
  // One signed, one unsigned.
  if (a.is_int64()) return a.get_int64() < 0 ? -1 : sign(static_cast<std::uint64_t>(a.get_int64()), b.get_uint64());
  return b.get_int64() < 0 ? 1 : sign(a.get_uint64(), static_cast<std::uint64_t>(b.get_int64()));
}

json::value const* resolve(operand const& o, json::value const& current, json::value const& root) noexcept {
  switch (o.from) {
    case operand::kind::current: return find_definite(o.steps, current);
    case operand::kind::root: return find_definite(o.steps, root);
    case operand::kind::literal: return &o.literal;
  }
  return nullptr;
}

// Numbers compare numerically and strings by code point; other kinds only
// (in)equal; a missing operand or mismatched kinds make every test but `!=` false.
bool compare(filter::op op, json::value const* a, json::value const* b) noexcept {
  using enum filter::op;
  if (!a || !b) return op == ne;
  int order;
  if (a->is_number() && b->is_number()) {
    order = compare_numbers(*a, *b);
  } else if (a->is_string() && b->is_string()) {
    order = a->get_string().subview().compare(b->get_string().subview());
    order = sign(order, 0);
  } else {
    bool equal = *a == *b;
    return op == eq ? equal : op == ne ? !equal : false;
  }
  switch (op) {
    case eq: return order == 0;
    case ne: return order != 0;
    case lt: return order < 0;
    case le: return order <= 0;
    case gt: return order > 0;
    case ge: return order >= 0;
    default: return false;
  }
}

bool test(filter const& f, json::value const& current, json::value const& root) noexcept {
  using enum filter::op;
  switch (f.what) {
    case any_of:
      return std::any_of(f.children.begin(), f.children.end(),
                         [&](filter const& c) { return test(c, current, root); });
    case all_of:
      return std::all_of(f.children.begin(), f.children.end(),
                         [&](filter const& c) { return test(c, current, root); });
    case negate: return !test(f.children.front(), current, root);
    case exists: return resolve(f.lhs, current, root) != nullptr;
    default: return compare(f.what, resolve(f.lhs, current, root), resolve(f.rhs, current, root));
  }
}

void slice(step const& s, json::array const& a, std::vector<json::value const*>& out) {
  auto n = static_cast<std::int64_t>(a.size());
  auto bound = [n](std::optional<std::int64_t> v, std::int64_t dflt, std::int64_t lo, std::int64_t hi) {
    if (!v) return dflt;
    std::int64_t i = *v < 0 ? *v + n : *v;
    return std::clamp(i, lo, hi);
  };
  if (s.stride > 0) {
    std::int64_t to = bound(s.end, n, 0, n);
    for (std::int64_t i = bound(s.start, 0, 0, n); i < to; i += s.stride) out.push_back(&a[i]);
  } else {
    std::int64_t to = bound(s.end, -1, -1, n - 1);
    for (std::int64_t i = bound(s.start, n - 1, -1, n - 1); i > to; i += s.stride) out.push_back(&a[i]);
  }
}

// Every container at or below `v`, parent before children, in document order.
void descend(json::value const& v, std::vector<json::value const*>& out) {
  std::vector<json::value const*> stack{&v};
  while (!stack.empty()) {
    json::value const* node = stack.back();
    stack.pop_back();
    if (auto const* o = node->if_object()) {
      out.push_back(node);
      for (auto it = o->end(); it != o->begin();) stack.push_back(&(--it)->value());
    } else if (auto const* a = node->if_array()) {
      out.push_back(node);
      for (auto it = a->end(); it != a->begin();) stack.push_back(&*--it);
    }
  }
}

void apply(step const& s, json::value const& v, json::value const& root, std::vector<json::value const*>& out) {
  auto const* o = v.if_object();
  auto const* a = v.if_array();
  switch (s.kind) {
    case step_kind::name:
      if (o)
        if (auto const* m = o->if_contains(s.name)) out.push_back(m);
      break;
    case step_kind::names:
      if (o)
        for (auto const& n : s.names)
          if (auto const* m = o->if_contains(n)) out.push_back(m);
      break;
    case step_kind::index:
    case step_kind::from_end:
      if (a)
        if (auto i = position(s, *a); i >= 0) out.push_back(&(*a)[i]);
      break;
    case step_kind::indexes:
      if (a)
        for (auto idx : s.indexes)
          if (auto i = normalize(idx, a->size()); i >= 0) out.push_back(&(*a)[i]);
      break;
    case step_kind::wildcard:
      if (o)
        for (auto const& kv : *o) out.push_back(&kv.value());
      if (a)
        for (auto const& e : *a) out.push_back(&e);
      break;
    case step_kind::slice:
      if (a) slice(s, *a, out);
      break;
    case step_kind::filter:
      // Jayway tests an object itself, but each element of an array.
      if (o && test(*s.predicate, v, root)) out.push_back(&v);
      if (a)
        for (auto const& e : *a)
          if (test(*s.predicate, e, root)) out.push_back(&e);
      break;
    case step_kind::descend:
      descend(v, out);
      break;
  }
}

}  // namespace

bool all_definite(std::span<step const> steps) noexcept {
  return std::all_of(steps.begin(), steps.end(), [](step const& s) {
    return s.kind == step_kind::name || s.kind == step_kind::index || s.kind == step_kind::from_end;
  });
}

bool ends_in_merge(std::span<step const> steps) noexcept {
  return !steps.empty() && steps.back().kind == step_kind::names;
}

json::value const* find_definite(std::span<step const> steps, json::value const& from) noexcept {
  json::value const* v = &from;
  for (auto const& s : steps) {
    if (s.kind == step_kind::name) {
      auto const* o = v->if_object();
      if (!o || !(v = o->if_contains(s.name))) return nullptr;
    } else {
      auto const* a = v->if_array();
      if (!a) return nullptr;
      auto i = position(s, *a);
      if (i < 0) return nullptr;
      v = &(*a)[i];
    }
  }
  return v;
}

std::vector<json::value const*> select_all(std::span<step const> steps, json::value const& root) {
  std::vector<json::value const*> current{&root}, next;
  for (auto const& s : steps) {
    next.clear();
    for (auto const* v : current) apply(s, *v, root, next);
    current.swap(next);
    if (current.empty()) break;
  }
  return current;
}

}  // namespace stepsim::asl::detail
