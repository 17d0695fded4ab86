#include <stepsim/jsonata/expression.hpp>

#include "jsonata/eval.hpp"
#include "jsonata/parser.hpp"

namespace stepsim::jsonata {

namespace {

// The steps of an expression that is a path of plain steps; empty otherwise.
std::vector<detail::node const*> plain_steps_of(detail::node const* root) {
  using namespace detail;
  std::vector<node const*> out;
  if (root->type == node_type::path) {
    if (!root->predicate.empty() || root->group || root->keep_singleton_array || root->tuple) return out;
    for (node const* s : root->items)
      if (!is_plain_step(s)) return {};
    out.assign(root->items.begin(), root->items.end());
  } else if (is_plain_step(root)) {
    out.push_back(root);
  }
  return out;
}

// A variable as the evaluator looks it up at the top level (no frames yet),
// when it is a JSON value: the record, then the variables; nullptr otherwise
// (`$$`, a built-in function, an unknown name).
boost::json::value const* variable_in_place(std::string_view name, environment const& env) noexcept {
  if (name == "$") return nullptr;
  if (!env.record_name.empty() && name == env.record_name) return nullptr;  // an object made by the evaluator
  for (auto const* vars : {env.variables, env.outer_variables}) {
    if (!vars) continue;
    if (auto const* v = vars->if_contains(name)) return v;
  }
  return nullptr;
}

}  // namespace

expression expression::compile(std::string_view text) {
  auto tree = std::make_shared<expression_tree>();
  tree->text = std::string(text);
  try {
    tree->root = detail::parse(tree->text, tree->store);
  } catch (detail::failure const& f) {
    throw f.to_error(tree->text);
  }
  tree->plain_steps = plain_steps_of(tree->root);
  return expression(std::move(tree));
}

namespace {

// The value a plain path reaches (see find_in_place), numbers included.
boost::json::value const* locate(expression_tree const& tree, boost::json::value const* input,
                                 environment const& env) noexcept {
  using namespace detail;
  auto const& steps = tree.plain_steps;
  if (steps.empty()) return nullptr;
  boost::json::value const* cur = input;
  for (std::size_t i = 0; i < steps.size(); ++i) {
    node const* st = steps[i];
    boost::json::value const* r = nullptr;
    if (st->type == node_type::name) {
      auto const* o = cur ? cur->if_object() : nullptr;
      if (!o) return nullptr;
      r = o->if_contains(st->text);
    } else if (st->text.empty()) {
      r = cur;  // `$`: the context item (an input array whole, as evaluate unwraps it)
    } else if (i + 1 < steps.size() && steps[i + 1]->type == node_type::name && !env.record_name.empty() &&
               st->text == env.record_name) {
      // `$record.member`: the member itself, without making the record's object
      std::string_view member = steps[i + 1]->text;
      for (auto const& m : env.record)
        if (m.name == member) r = m.value;
      ++i;
    } else {
      r = variable_in_place(st->text, env);
    }
    if (!r) return nullptr;
    // An array before the last step is flattened into its items: the general rules.
    if (r->is_array() && i + 1 != steps.size()) return nullptr;
    cur = r;
  }
  return cur;
}

}  // namespace

boost::json::value const* expression::find_in_place(boost::json::value const* input,
                                                    environment const& env) const noexcept {
  auto const* p = locate(*tree_, input, env);
  return p && !p->is_number() ? p : nullptr;
}

std::optional<boost::json::value> expression::evaluate(boost::json::value const* input, environment const& env) const {
  using namespace detail;
  if (auto const* p = locate(*tree_, input, env))  // a number becomes JavaScript's, as to_json makes it
    return p->is_number() ? to_json(value::ref(*p)) : *p;
  value in = input ? value::ref(*input) : value{};
  if (in.is_array()) {
    auto seq = make_sequence();
    seq->items.push_back(in);
    seq->outer_wrapper = true;
    in = value::of(std::move(seq));
  }
  try {
    evaluator ev(env, in);
    value r = ev.eval(tree_->root, in, ev.top());
    if (r.undefined()) return std::nullopt;
    return to_json(r);
  } catch (failure const& f) {
    throw f.to_error(tree_->text);
  }
}

std::string const& expression::text() const noexcept { return tree_->text; }

}  // namespace stepsim::jsonata
