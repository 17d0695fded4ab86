// States.StringToJson, JsonToString, JsonMerge.
#include <stepsim/asl/json_text.hpp>

#include "intrinsic_impl.hpp"

namespace stepsim::asl::intrinsic_detail {

namespace {

json::value string_to_json(node const& c, eval_context const& ctx) {
  auto a = evaluate_arg(c.args[0], ctx);
  if (!a->is_string()) fail(c.fn);
  std::string_view text = a->get_string();
  // Recorded AWS behaviour: blank text parses to null rather than failing.
  if (text.find_first_not_of(" \t\r\n") == std::string_view::npos) return nullptr;
  // Numbers beyond a finite double (1e400) are refused like any text that is not JSON.
  auto r = read_json(text);
  if (!r.value) fail(c.fn);
  return std::move(*r.value);
}

json::value json_merge(node const& c, eval_context const& ctx) {
  auto first = evaluate_arg(c.args[0], ctx);
  auto second = evaluate_arg(c.args[1], ctx);
  auto deep = evaluate_arg(c.args[2], ctx);
  // AWS supports only the shallow merge: the flag must be false.
  if (!first->is_object() || !second->is_object() || !deep->is_bool() || deep->get_bool()) fail(c.fn);
  json::value out = first.take();
  auto& merged = out.get_object();
  for (auto const& kv : second->get_object()) merged.insert_or_assign(kv.key(), kv.value());
  return out;
}

}  // namespace

json::value call_json_family(node const& c, eval_context const& ctx) {
  switch (c.fn) {
    case function::string_to_json:
      return string_to_json(c, ctx);
    case function::json_to_string:
      return json::string(to_text(evaluate_arg(c.args[0], ctx).get()));
    default:
      return json_merge(c, ctx);
  }
}

}  // namespace stepsim::asl::intrinsic_detail
