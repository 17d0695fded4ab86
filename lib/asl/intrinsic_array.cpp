// States.Array, ArrayPartition, ArrayContains, ArrayRange, ArrayGetItem,
// ArrayLength, ArrayUnique.
#include <boost/json/value.hpp>
#include <stepsim/asl/json_text.hpp>
#include <unordered_set>

#include "intrinsic_impl.hpp"

namespace stepsim::asl::intrinsic_detail {

namespace {

// AWS caps States.ArrayRange results.
constexpr std::uint64_t max_range_items = 1000;

json::array const& array_arg(arg const& a, function f) {
  if (!a->is_array()) fail(f);
  return a->get_array();
}

std::int64_t integer_arg(arg const& a, function f) {
  auto i = to_integer(a.get());
  if (!i) fail(f);
  return *i;
}

bool numbers_equal(json::value const& a, json::value const& b) {
  if (a.is_double() || b.is_double()) return a.to_number<double>() == b.to_number<double>();
  return a == b;  // int64 and uint64 compare by value
}

// Element equality as recorded against AWS for States.ArrayContains: object
// members must come in the same order, and a string matches a number or a
// boolean whose text it is ("true" matches true, "5" matches 5).
bool aws_equal(json::value const& a, json::value const& b) {
  if (a.is_number() && b.is_number()) return numbers_equal(a, b);
  if (a.is_string() != b.is_string()) {
    auto const& s = a.is_string() ? a : b;
    auto const& other = a.is_string() ? b : a;
    if (!other.is_number() && !other.is_bool()) return false;
    return s.get_string() == to_text(other);
  }
  if (a.kind() != b.kind()) return false;
  if (auto const* oa = a.if_object()) {
    auto const& ob = b.get_object();
    if (oa->size() != ob.size()) return false;
    for (auto ia = oa->begin(), ib = ob.begin(); ia != oa->end(); ++ia, ++ib)
      if (ia->key() != ib->key() || !aws_equal(ia->value(), ib->value())) return false;
    return true;
  }
  if (auto const* aa = a.if_array()) {
    auto const& ab = b.get_array();
    if (aa->size() != ab.size()) return false;
    for (std::size_t i = 0; i < aa->size(); ++i)
      if (!aws_equal((*aa)[i], ab[i])) return false;
    return true;
  }
  return a == b;
}

json::value partition(node const& c, eval_context const& ctx) {
  auto a = evaluate_arg(c.args[0], ctx);
  auto const& items = array_arg(a, c.fn);
  auto size = integer_arg(evaluate_arg(c.args[1], ctx), c.fn);
  if (size <= 0) fail(c.fn);
  auto chunk = static_cast<std::size_t>(size);
  json::array out;
  out.reserve(items.size() / chunk + 1);
  for (std::size_t i = 0; i < items.size(); i += chunk) {
    std::size_t n = std::min(chunk, items.size() - i);
    out.emplace_back(json::array(items.begin() + static_cast<std::ptrdiff_t>(i),
                                 items.begin() + static_cast<std::ptrdiff_t>(i + n)));
  }
  return out;
}

json::value range(node const& c, eval_context const& ctx) {
  // AWS truncates fractional bounds and step (1.6 counts as 1).
  auto start = integer_arg(evaluate_arg(c.args[0], ctx), c.fn);
  auto end = integer_arg(evaluate_arg(c.args[1], ctx), c.fn);
  auto step = integer_arg(evaluate_arg(c.args[2], ctx), c.fn);
  if (step == 0) fail(c.fn);
  std::uint64_t count = 0;
  if (step > 0 && start <= end)
    count =
        (static_cast<std::uint64_t>(end) - static_cast<std::uint64_t>(start)) / static_cast<std::uint64_t>(step) + 1;
  else if (step < 0 && start >= end)
    count =
        (static_cast<std::uint64_t>(start) - static_cast<std::uint64_t>(end)) / (0 - static_cast<std::uint64_t>(step)) +
        1;
  if (count > max_range_items) fail(c.fn);
  json::array out;
  out.reserve(count);
  for (std::uint64_t i = 0; i < count; ++i) out.emplace_back(start + static_cast<std::int64_t>(i) * step);
  return out;
}

json::value get_item(node const& c, eval_context const& ctx) {
  auto a = evaluate_arg(c.args[0], ctx);
  auto const& items = array_arg(a, c.fn);
  auto index = integer_arg(evaluate_arg(c.args[1], ctx), c.fn);
  // Recorded AWS behaviour: any index into an empty array gives null.
  if (items.empty()) return nullptr;
  if (index < 0 || static_cast<std::uint64_t>(index) >= items.size()) fail(c.fn);
  if (c.args[0].k == node::kind::call) return std::move(a.take().get_array()[static_cast<std::size_t>(index)]);
  return items[static_cast<std::size_t>(index)];
}

json::value unique(node const& c, eval_context const& ctx) {
  auto a = evaluate_arg(c.args[0], ctx);
  auto const& items = array_arg(a, c.fn);
  json::array out;
  std::unordered_set<json::value> seen;
  for (auto const& v : items)
    if (seen.insert(v).second) out.push_back(v);
  return out;
}

}  // namespace

json::value call_array_family(node const& c, eval_context const& ctx) {
  switch (c.fn) {
    case function::array: {
      json::array out;
      out.reserve(c.args.size());
      for (auto const& a : c.args) out.push_back(evaluate_arg(a, ctx).take());
      return out;
    }
    case function::array_partition:
      return partition(c, ctx);
    case function::array_contains: {
      auto a = evaluate_arg(c.args[0], ctx);
      auto const& items = array_arg(a, c.fn);
      auto needle = evaluate_arg(c.args[1], ctx);
      for (auto const& v : items)
        if (aws_equal(v, needle.get())) return true;
      return false;
    }
    case function::array_range:
      return range(c, ctx);
    case function::array_get_item:
      return get_item(c, ctx);
    case function::array_length: {
      auto a = evaluate_arg(c.args[0], ctx);
      return static_cast<std::int64_t>(array_arg(a, c.fn).size());
    }
    case function::array_unique:
      return unique(c, ctx);
    default:
      fail(c.fn);
  }
}

}  // namespace stepsim::asl::intrinsic_detail
