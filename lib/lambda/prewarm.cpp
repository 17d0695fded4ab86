#include <stepsim/lambda/prewarm.hpp>

#include <set>

namespace stepsim::lambda {

bool parse_prewarm_mode(std::string_view text, prewarm_mode& out) {
  if (text == "none") out = prewarm_mode::none;
  else if (text == "next-step") out = prewarm_mode::next_step;
  else if (text == "at-start") out = prewarm_mode::at_start;
  else return false;
  return true;
}

std::string lambda_function_of(asl::state const& s) {
  if (s.type != asl::state_type::task) return {};
  auto const& r = s.resource;
  if (r.starts_with("arn:aws:lambda:"))
    return r.find(":function:") == std::string::npos ? std::string() : std::string(function_name(r));
  // An invoke Task's function is known before it runs only when FunctionName is literal.
  if (r.starts_with("arn:aws:states:::lambda:invoke") && s.parameters)
    if (auto const* n = s.parameters->literal("FunctionName"); n && n->is_string())
      return std::string(function_name(n->get_string()));
  return {};
}

namespace {

void collect(asl::state_machine const& m, std::set<std::string>& out) {
  for (auto const& s : m.states()) {
    if (auto f = lambda_function_of(s); !f.empty()) out.insert(f);
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
    if (auto f = lambda_function_of(machine.at(i)); !f.empty()) functions.insert(f);
  };
  add(s.next);
  add(s.default_next);
  for (auto const& c : s.choices) add(c.next);
  for (auto const& f : functions) svc_.expect_request(f);
}

}  // namespace stepsim::lambda
