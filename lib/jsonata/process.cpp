// The reference's post-parse stage: location paths become arrays of steps with
// their stages, parent (`%`) references are resolved to the step that binds the
// ancestor, and calls in tail position are marked so lambdas run in constant stack.
#include "jsonata/parser.hpp"

#include "jsonata/failure.hpp"
#include "jsonata/regex.hpp"
#include "jsonata/stack.hpp"

namespace stepsim::jsonata::detail {

namespace {

// A tree deeper than this is refused (U1001): processing and evaluation recurse on it.
constexpr int max_tree_depth = 1000;

class processor {
 public:
  explicit processor(tree_store& store) : store_(store) {}

  node* run(node* raw) {
    node* e = process(raw);
    if (e->type == node_type::parent || !e->seeking_parent.empty())
      throw failure("S0217").at(e->position).tok(e->type == node_type::parent ? "parent" : "path");
    return e;
  }

 private:
  slot* seek_parent(node* n, slot* s) {
    switch (n->type) {
      case node_type::name:
      case node_type::wildcard:
        if (--s->level == 0) {
          if (n->ancestor) {
            ancestry_[static_cast<std::size_t>(s->index)]->parent_slot->label = n->ancestor->label;
          }
          n->ancestor = s;
          n->tuple = true;
        }
        break;
      case node_type::parent: ++s->level; break;
      case node_type::block:
        if (!n->items.empty()) {
          n->tuple = true;
          s = seek_parent(n->items.back(), s);
        }
        break;
      case node_type::path: {
        n->tuple = true;
        int index = static_cast<int>(n->items.size()) - 1;
        s = seek_parent(n->items[static_cast<std::size_t>(index--)], s);
        while (s->level > 0 && index >= 0) s = seek_parent(n->items[static_cast<std::size_t>(index--)], s);
        break;
      }
      default: throw failure("S0217").at(n->position).tok(type_name(n));
    }
    return s;
  }

  static std::string type_name(node const* n) {
    switch (n->type) {
      case node_type::string: return "string";
      case node_type::number: return "number";
      case node_type::literal: return "value";
      case node_type::variable: return "variable";
      case node_type::binary: return "binary";
      case node_type::call: return "function";
      case node_type::lambda: return "lambda";
      case node_type::condition: return "condition";
      case node_type::regex: return "regex";
      case node_type::descendant: return "descendant";
      default: return "unary";
    }
  }

  static void push_ancestry(node* result, node* v) {
    if (v->seeking_parent.empty() && v->type != node_type::parent) return;
    auto slots = v->seeking_parent;
    if (v->type == node_type::parent) slots.push_back(v->parent_slot);
    result->seeking_parent.insert(result->seeking_parent.end(), slots.begin(), slots.end());
  }

  void resolve_ancestry(node* path) {
    auto& steps = path->items;
    node* last = steps.back();
    auto slots = last->seeking_parent;
    if (last->type == node_type::parent) slots.push_back(last->parent_slot);
    for (slot* s : slots) {
      int index = static_cast<int>(steps.size()) - 2;
      while (s->level > 0) {
        if (index < 0) {
          path->seeking_parent.push_back(s);
          break;
        }
        node* step = steps[static_cast<std::size_t>(index--)];
        while (index >= 0 && !step->focus.empty() && !steps[static_cast<std::size_t>(index)]->focus.empty())
          step = steps[static_cast<std::size_t>(index--)];
        s = seek_parent(step, s);
      }
    }
  }

  node* make_path(node* first, std::size_t pos) {
    node* p = store_.make(node_type::path, pos);
    p->items.push_back(first);
    return p;
  }

  node* process(node* e) {
    struct nesting {
      int& d;
      explicit nesting(int& x, std::size_t pos) : d(x) {
        if (++d > max_tree_depth || stack_exhausted()) throw failure("U1001").at(pos);
      }
      ~nesting() { --d; }
    } guard(depth_, e->position);
    node* result = nullptr;
    switch (e->type) {
      case node_type::raw_dot: {
        node* lstep = process(e->lhs);
        if (lstep->type == node_type::path) {
          result = lstep;
        } else {
          result = make_path(lstep, e->position);
        }
        if (lstep->type == node_type::parent) result->seeking_parent = {lstep->parent_slot};
        node* rest = process(e->rhs);
        if (rest->type == node_type::path) {
          for (node* s : rest->items) result->items.push_back(s);
        } else {
          if (!rest->predicate.empty()) {
            rest->stages = std::move(rest->predicate);
            rest->predicate.clear();
          }
          result->items.push_back(rest);
        }
        for (node* step : result->items) {
          if (step->type == node_type::number || step->type == node_type::literal) {
            auto f = failure("S0213").at(step->position).with(step->literal);
            throw std::move(f);
          }
          if (step->type == node_type::string) step->type = node_type::name;
          if (step->keep_array) result->keep_singleton_array = true;
        }
        node* first = result->items.front();
        if (first->type == node_type::array) first->cons_array = true;
        node* last = result->items.back();
        if (last->type == node_type::array) last->cons_array = true;
        resolve_ancestry(result);
        break;
      }
      case node_type::raw_filter: {
        result = process(e->lhs);
        node* step = result;
        bool stages = false;
        if (result->type == node_type::path) {
          step = result->items.back();
          stages = true;
        }
        if (step->group) throw failure("S0209").at(e->position);
        node* pred = process(e->rhs);
        if (!pred->seeking_parent.empty()) {
          for (slot* s : pred->seeking_parent) {
            if (s->level == 1) seek_parent(step, s);
            else --s->level;
          }
          push_ancestry(step, pred);
        }
        stage st;
        st.type = stage::filter;
        st.expr = pred;
        st.position = e->position;
        (stages ? step->stages : step->predicate).push_back(st);
        break;
      }
      case node_type::raw_group: {
        result = process(e->lhs);
        if (result->group) throw failure("S0210").at(e->position);
        auto g = std::make_unique<group_by>();
        g->position = e->position;
        for (auto const& [k, v] : e->pairs) g->pairs.emplace_back(process(k), process(v));
        result->group = std::move(g);
        break;
      }
      case node_type::raw_sort: {
        result = process(e->lhs);
        if (result->type != node_type::path) result = make_path(result, e->position);
        node* sort = store_.make(node_type::sort, e->position);
        for (auto const& t : e->terms) {
          node* x = process(t.expr);
          push_ancestry(sort, x);
          sort->terms.push_back({x, t.descending});
        }
        result->items.push_back(sort);
        resolve_ancestry(result);
        break;
      }
      case node_type::raw_bind: {
        result = store_.make(node_type::bind, e->position);
        result->lhs = process(e->lhs);
        result->rhs = process(e->rhs);
        push_ancestry(result, result->rhs);
        break;
      }
      case node_type::raw_focus: {
        result = process(e->lhs);
        node* step = result;
        if (result->type == node_type::path) step = result->items.back();
        if (!step->stages.empty() || !step->predicate.empty()) throw failure("S0215").at(e->position);
        if (step->type == node_type::sort) throw failure("S0216").at(e->position);
        if (e->keep_array) step->keep_array = true;
        step->focus = e->rhs->text;
        step->tuple = true;
        break;
      }
      case node_type::raw_index: {
        result = process(e->lhs);
        node* step = result;
        if (result->type == node_type::path) {
          step = result->items.back();
        } else {
          result = make_path(result, e->position);
          if (!step->predicate.empty()) {
            step->stages = std::move(step->predicate);
            step->predicate.clear();
          }
        }
        if (step->stages.empty()) {
          step->index = e->rhs->text;
        } else {
          stage st;
          st.type = stage::index;
          st.name = e->rhs->text;
          st.position = e->position;
          step->stages.push_back(st);
        }
        step->tuple = true;
        break;
      }
      case node_type::raw_apply: {
        result = store_.make(node_type::apply, e->position);
        result->lhs = process(e->lhs);
        result->rhs = process(e->rhs);
        result->keep_array = result->lhs->keep_array || result->rhs->keep_array;
        break;
      }
      case node_type::binary: {
        result = e;
        e->lhs = process(e->lhs);
        e->rhs = process(e->rhs);
        push_ancestry(e, e->lhs);
        push_ancestry(e, e->rhs);
        break;
      }
      case node_type::array: {
        result = e;
        for (auto& item : e->items) {
          item = process(item);
          push_ancestry(e, item);
        }
        break;
      }
      case node_type::object: {
        result = e;
        for (auto& [k, v] : e->pairs) {
          k = process(k);
          push_ancestry(e, k);
          v = process(v);
          push_ancestry(e, v);
        }
        break;
      }
      case node_type::negate: {
        e->expr = process(e->expr);
        if (e->expr->type == node_type::number) {
          result = e->expr;
          result->literal = value(-result->literal.number());
        } else {
          result = e;
          push_ancestry(e, e->expr);
        }
        break;
      }
      case node_type::call:
      case node_type::partial: {
        result = e;
        for (auto& arg : e->items) {
          arg = process(arg);
          push_ancestry(e, arg);
        }
        e->expr = process(e->expr);
        break;
      }
      case node_type::lambda: {
        result = e;
        e->expr = tail_call_optimize(process(e->expr));
        break;
      }
      case node_type::condition: {
        result = e;
        e->expr = process(e->expr);
        push_ancestry(e, e->expr);
        e->then = process(e->then);
        push_ancestry(e, e->then);
        if (e->otherwise) {
          e->otherwise = process(e->otherwise);
          push_ancestry(e, e->otherwise);
        }
        break;
      }
      case node_type::transform: {
        result = e;
        e->expr = process(e->expr);
        e->then = process(e->then);
        if (e->otherwise) e->otherwise = process(e->otherwise);
        break;
      }
      case node_type::block: {
        result = e;
        for (auto& item : e->items) {
          item = process(item);
          push_ancestry(e, item);
          if (item->cons_array || (item->type == node_type::path && item->items.front()->cons_array))
            e->cons_array = true;
        }
        e->needs_frame = false;
        for (node const* item : e->items)
          if (may_bind(item)) e->needs_frame = true;
        break;
      }
      case node_type::name: {
        result = make_path(e, e->position);
        if (e->keep_array) result->keep_singleton_array = true;
        break;
      }
      case node_type::parent: {
        result = e;
        slot& s = store_.slots.emplace_back();
        s.label = "!" + std::to_string(label_++);
        s.level = 1;
        s.index = static_cast<int>(ancestry_.size());
        e->parent_slot = &s;
        ancestry_.push_back(e);
        break;
      }
      case node_type::regex: {
        result = e;
        e->regex = compile_regex(e->regex_source, e->regex_flags, e->position);
        break;
      }
      case node_type::variable: {
        result = e;
        e->fn = find_builtin(e->text);
        break;
      }
      case node_type::end: throw failure("S0207").at(e->position);
      default: result = e; break;
    }
    if (e->keep_array) result->keep_array = true;
    return result;
  }

  // Whether evaluating `e` may bind a variable in the frame it is given (nested
  // blocks and lambdas have frames of their own; a call may be $eval).
  static bool may_bind(node const* e) {
    if (!e) return false;
    switch (e->type) {
      case node_type::bind:
      case node_type::call:
      case node_type::partial:
      case node_type::apply: return true;
      case node_type::block:
      case node_type::lambda: return false;
      default: break;
    }
    if (may_bind(e->lhs) || may_bind(e->rhs) || may_bind(e->expr) || may_bind(e->then) || may_bind(e->otherwise)) return true;
    for (node const* i : e->items)
      if (may_bind(i)) return true;
    for (auto const& [k, v] : e->pairs)
      if (may_bind(k) || may_bind(v)) return true;
    for (auto const& t : e->terms)
      if (may_bind(t.expr)) return true;
    for (auto const& st : e->stages)
      if (may_bind(st.expr)) return true;
    for (auto const& st : e->predicate)
      if (may_bind(st.expr)) return true;
    if (e->group)
      for (auto const& [k, v] : e->group->pairs)
        if (may_bind(k) || may_bind(v)) return true;
    return false;
  }

  node* tail_call_optimize(node* e) {
    if (e->type == node_type::call && e->predicate.empty()) {
      node* thunk = store_.make(node_type::lambda, e->position);
      thunk->thunk = true;
      thunk->expr = e;
      return thunk;
    }
    if (e->type == node_type::condition) {
      e->then = tail_call_optimize(e->then);
      if (e->otherwise) e->otherwise = tail_call_optimize(e->otherwise);
      return e;
    }
    if (e->type == node_type::block && !e->items.empty()) {
      e->items.back() = tail_call_optimize(e->items.back());
      return e;
    }
    return e;
  }

  tree_store& store_;
  int depth_ = 0;
  std::vector<node*> ancestry_;
  int label_ = 0;
};

}  // namespace

node* process(node* raw, tree_store& store) { return processor(store).run(raw); }

}  // namespace stepsim::jsonata::detail
