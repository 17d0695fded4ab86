// The compiled tree of an expression: nodes owned by the tree, linked by plain
// pointers, never modified after `compile` returns.
#pragma once

#include "jsonata/value.hpp"

#include <deque>
#include <memory>
#include <string>
#include <vector>

namespace stepsim::jsonata::detail {

struct builtin;
struct signature;
struct regex_rep;

enum class node_type : std::uint8_t {
  // literals and names
  string, number, literal,  // literal: true / false / null
  name, variable, wildcard, descendant, parent, regex,
  // operators
  binary,       // op: + - * / % = != < <= > >= & .. in and or
  negate,       // unary minus
  array,        // [ ... ]
  object,       // { k: v, ... } (unary) or group-by (binary, before processing)
  path,         // a sequence of steps
  condition, block, bind, apply, call, partial, lambda, transform, sort,
  placeholder,  // the `?` of a partial application
  end,          // the end of the expression where an operand was expected (S0207 when processed)
  // raw parse nodes, gone after processing
  raw_dot, raw_filter, raw_group, raw_sort, raw_focus, raw_index, raw_bind, raw_apply,
};

enum class binop : std::uint8_t { add, sub, mul, div, mod, eq, ne, lt, le, gt, ge, concat, range, in, and_, or_ };

struct node;

/// A parent-operator slot: which ancestor label a `%` reads (labels are fixed
/// when the path that derives the ancestor is processed).
struct slot {
  std::string label;
  int level = 1;
  int index = 0;
};

struct stage {
  enum { filter, index } type = filter;
  node* expr = nullptr;      // filter
  std::string name;          // index variable
  std::size_t position = 0;
};

struct group_by {
  std::vector<std::pair<node*, node*>> pairs;
  std::size_t position = 0;
};

struct sort_term {
  node* expr = nullptr;
  bool descending = false;
};

struct node {
  node_type type;
  std::size_t position = 0;
  binop op = binop::add;
  std::string text;   // name, variable, string literal, operator token
  value literal;      // string / number / literal
  std::string regex_source;
  std::string regex_flags;
  std::shared_ptr<regex_rep const> regex;

  node* lhs = nullptr;
  node* rhs = nullptr;
  node* expr = nullptr;       // negate; procedure of call/partial; body of lambda; pattern of transform
  node* then = nullptr;
  node* otherwise = nullptr;  // else; delete clause of transform; update is `then`
  std::vector<node*> items;   // array items, block expressions, path steps, call arguments
  std::vector<std::pair<node*, node*>> pairs;  // object constructor
  std::vector<sort_term> terms;
  std::vector<std::string> params;             // lambda parameters (without `$`)
  std::shared_ptr<signature const> sig;

  // step / path annotations
  std::vector<stage> stages;
  std::vector<stage> predicate;
  std::unique_ptr<group_by> group;
  std::string focus;   // `@$v`
  std::string index;   // `#$i`
  slot* ancestor = nullptr;
  slot* parent_slot = nullptr;          // node_type::parent
  std::vector<slot*> seeking_parent;    // parse time
  bool tuple = false;
  bool keep_array = false;
  bool cons_array = false;
  bool keep_singleton_array = false;
  bool thunk = false;
  bool range_item = false;              // an array item written `a..b`
  bool needs_frame = true;              // block: it may bind variables, so it gets its own frame

  builtin const* fn = nullptr;  // a variable naming a built-in (looked up only if not shadowed)
};

/// A path step that only names a field or a variable: no filter, index,
/// focus, grouping or tuple binding.
inline bool is_plain_step(node const* step) noexcept {
  return (step->type == node_type::name || step->type == node_type::variable) && step->stages.empty() &&
         step->predicate.empty() && !step->group && !step->keep_array && step->focus.empty() && step->index.empty() &&
         !step->tuple && !step->cons_array && !step->ancestor;
}

/// Owner of the nodes.
struct tree_store {
  std::deque<node> nodes;
  std::deque<slot> slots;
  node* make(node_type t, std::size_t pos) {
    auto& n = nodes.emplace_back();
    n.type = t;
    n.position = pos;
    return &n;
  }
};

}  // namespace stepsim::jsonata::detail

namespace stepsim::jsonata {

class expression_tree {
 public:
  std::string text;
  detail::tree_store store;
  detail::node* root = nullptr;
  /// The steps when the whole expression is a path of plain steps (`a.b`,
  /// `$v.x`, `$v`): it may be read in place (expression::find_in_place).
  std::vector<detail::node const*> plain_steps;
};

}  // namespace stepsim::jsonata
