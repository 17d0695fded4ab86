#include <stepsim/lambda/prewarm.hpp>

#include <stepsim/asl/intrinsic.hpp>

#include <boost/json.hpp>

#include <set>

namespace stepsim::lambda {

bool parse_prewarm_mode(std::string_view text, prewarm_mode& out) {
  if (text == "none") out = prewarm_mode::none;
  else if (text == "next-step") out = prewarm_mode::next_step;
  else if (text == "at-start") out = prewarm_mode::at_start;
  else return false;
  return true;
}

namespace {

/// NAME from NAME, NAME:QUALIFIER, ACCOUNT:function:NAME[:Q] or a function ARN.
std::string plain_name(std::string_view fn) {
  if (auto p = fn.find(":function:"); p != std::string_view::npos) fn = fn.substr(p + 10);
  return std::string(fn.substr(0, fn.find(':')));
}

bool is_invoke(asl::state const& s) {
  return s.type == asl::state_type::task && s.resource.starts_with("arn:aws:states:::lambda:invoke");
}

/// The literal Parameters.FunctionName of an invoke Task, read from the
/// definition (the compiled template does not expose its literals).
std::string function_of(asl::state_machine const& m, asl::state const& s) {
  if (!is_invoke(s)) return lambda_function_of(s);
  if (auto const* states = m.definition().is_object() ? m.definition().as_object().if_contains("States") : nullptr)
    if (auto const* st = states->is_object() ? states->as_object().if_contains(s.name) : nullptr)
      if (auto const* p = st->is_object() ? st->as_object().if_contains("Parameters") : nullptr)
        if (auto const* n = p->is_object() ? p->as_object().if_contains("FunctionName") : nullptr)
          if (n->is_string()) return plain_name(n->get_string());
  return {};
}

}  // namespace

std::string lambda_function_of(asl::state const& s) {
  if (s.type != asl::state_type::task) return {};
  auto const& r = s.resource;
  if (r.starts_with("arn:aws:lambda:")) {
    auto p = r.find(":function:");
    if (p == std::string::npos) return {};
    return plain_name(r);
  }
  if (is_invoke(s) && s.parameters) {
    // Only a literal FunctionName can be known before the state runs: evaluate
    // the template on an empty input; a field that needs the input fails it.
    try {
      boost::json::value none;
      auto v = s.parameters->evaluate(asl::eval_context{none, none, nullptr});
      if (auto const* o = v.if_object())
        if (auto const* n = o->if_contains("FunctionName"); n && n->is_string()) return plain_name(n->get_string());
    } catch (...) {
    }
  }
  return {};
}

namespace {

void collect(asl::state_machine const& m, std::set<std::string>& out) {
  for (auto const& s : m.states()) {
    if (auto f = function_of(m, s); !f.empty()) out.insert(f);
    for (auto const& b : s.branches) collect(*b, out);
    if (s.item_processor) collect(*s.item_processor, out);
  }
}

}  // namespace

void prewarmer::execution_started(asl::state_machine const& top) {
  if (mode_ != prewarm_mode::at_start) return;
  std::set<std::string> functions;
  collect(top, functions);
  for (auto const& f : functions) svc_.expect_request(f);
}

void prewarmer::state_entered(asl::state_machine const& machine, asl::state const& s) {
  if (mode_ != prewarm_mode::next_step) return;
  std::set<std::string> functions;
  auto add = [&](asl::state_index i) {
    if (i == asl::no_state) return;
    if (auto f = function_of(machine, machine.at(i)); !f.empty()) functions.insert(f);
  };
  add(s.next);
  add(s.default_next);
  for (auto const& c : s.choices) add(c.next);
  for (auto const& f : functions) svc_.expect_request(f);
}

}  // namespace stepsim::lambda
