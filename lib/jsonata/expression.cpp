#include <stepsim/jsonata/expression.hpp>

#include "jsonata/eval.hpp"
#include "jsonata/parser.hpp"

namespace stepsim::jsonata {

expression expression::compile(std::string_view text) {
  auto tree = std::make_shared<expression_tree>();
  tree->text = std::string(text);
  try {
    tree->root = detail::parse(tree->text, tree->store);
  } catch (detail::failure const& f) {
    throw f.to_error(tree->text);
  }
  return expression(std::move(tree));
}

std::optional<boost::json::value> expression::evaluate(boost::json::value const* input, environment const& env) const {
  using namespace detail;
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
