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
      r = detail::find_member(*o, st->text);
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

/// The items a plain path of names reaches when it meets arrays before its
/// last step, read straight from the JSON as the evaluator's path rules
/// would give them: each step looks its name up in every object of the
/// previous step's items, an array result adding its items (one level).
/// `items` gets them; `whole` is set when the last step gave one array,
/// which is then the result as it is. False when the general rules are
/// needed (an array inside an array before the last step, an input array,
/// a first step that is not a JSON value in place).
bool gather(expression_tree const& tree, boost::json::value const* input, environment const& env,
            std::vector<boost::json::value const*>& items, boost::json::value const*& whole) {
  using namespace detail;
  auto const& steps = tree.plain_steps;
  thread_local std::vector<boost::json::value const*> next;
  items.clear();
  whole = nullptr;
  std::size_t i = 0;
  if (steps[0]->type == node_type::name) {
    if (!input || input->is_array()) return false;
    items.push_back(input);
  } else {
    std::string_view name = steps[0]->text;
    if (!env.record_name.empty() && name == env.record_name) return false;
    auto const* r = name.empty() ? input : variable_in_place(name, env);
    if (!r || steps.size() < 2) return false;
    if (auto const* a = r->if_array()) {
      for (auto const& e : *a) {
        if (e.is_array()) return false;
        items.push_back(&e);
      }
    } else {
      items.push_back(r);
    }
    i = 1;
  }
  for (; i < steps.size(); ++i) {
    if (steps[i]->type != node_type::name) return false;
    bool const last = i + 1 == steps.size();
    std::string_view key = steps[i]->text;
    next.clear();
    std::size_t count = 0;
    for (auto const* p : items) {
      auto const* o = p->if_object();
      if (!o) {
        if (p->is_array()) return false;  // a field of an array maps over it: the general rules
        continue;                         // of a scalar: no items
      }
      auto const* r = find_member(*o, key);
      if (!r) continue;
      if (last && count++ == 0) whole = r;
      if (auto const* a = r->if_array()) {
        for (auto const& e : *a) next.push_back(&e);
      } else {
        next.push_back(r);
      }
    }
    items.swap(next);
    if (last && (count != 1 || !whole->is_array())) whole = nullptr;
    if (items.empty()) break;
  }
  return true;
}

// A JSON value of the result: numbers as JavaScript's (see evaluate).
boost::json::value result_json(boost::json::value const& v) {
  return v.is_number() ? detail::to_json(detail::value::ref(v)) : v;
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
    return result_json(*p);
  if (!tree_->plain_steps.empty()) {
    thread_local std::vector<boost::json::value const*> items;
    boost::json::value const* whole = nullptr;
    if (gather(*tree_, input, env, items, whole)) {
      if (whole) return *whole;
      if (items.empty()) return std::nullopt;
      if (items.size() == 1) return result_json(*items[0]);
      boost::json::array out;
      out.reserve(items.size());
      for (auto const* p : items) {
        if (p->is_number()) out.emplace_back(to_json(value::ref(*p)));
        else if (auto const* s = p->if_string()) out.emplace_back(std::string_view(*s));
        else out.emplace_back(*p);
      }
      return out;
    }
  }
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
