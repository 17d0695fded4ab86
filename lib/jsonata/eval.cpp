#include "jsonata/eval.hpp"

#include "jsonata/functions.hpp"
#include "jsonata/parser.hpp"
#include "jsonata/stack.hpp"

#include <cmath>
#include <limits>

namespace stepsim::jsonata::detail {

function_rep* value::fn() const noexcept {
  return k_ == kind::function ? static_cast<function_rep*>(p_.get()) : nullptr;
}

value value::of(std::shared_ptr<function_rep> f) noexcept {
  value v;
  v.k_ = kind::function;
  v.p_ = std::move(f);
  return v;
}

value function_value(std::shared_ptr<function_rep> f) { return value::of(std::move(f)); }

void frame::bind(std::string_view name, value v) {
  for (auto& b : binds)
    if (b.first == name) {
      b.second = std::move(v);
      return;
    }
  binds.emplace_back(std::string(name), std::move(v));
}

value const* frame::find(std::string_view name) const noexcept {
  for (auto const& b : binds)
    if (b.first == name) return &b.second;
  return nullptr;
}

namespace {

// About 1.5 KB of native stack per level in an optimised build, several times that
// under sanitizers: 500 levels stay well inside a thread's default stack.
constexpr std::size_t default_max_depth = 500;

frame_ptr child_frame(frame_ptr const& parent) {
  auto f = make_pooled<frame>();
  f->parent = parent;
  return f;
}

frame_ptr frame_from_tuple(frame_ptr const& parent, value const& tuple) {
  auto f = child_frame(parent);
  if (auto* o = tuple.obj())
    for (auto const& [k, v] : o->items) f->binds.emplace_back(k, v);
  return f;
}

value tuple_at(value const& tuple) { return tuple.obj()->find("@") ? *tuple.obj()->find("@") : value{}; }

}  // namespace

evaluator::evaluator(environment const& env, value root)
    : env_(env), root_(std::move(root)), top_(frame_ptr(), &top_frame_),
      max_depth_(env.max_depth ? env.max_depth : default_max_depth), stack_floor_(this_thread_floor()),
      step_limit_(env.max_steps ? env.max_steps : std::numeric_limits<std::uint64_t>::max()) {
  if (env.time_limit.count() > 0) deadline_ = std::chrono::steady_clock::now() + env.time_limit;
}

evaluator::~evaluator() {
  // Nothing of the evaluation outlives it (the result is converted to JSON
  // first), so emptying the frames that `:=` stored into frees every cycle.
  for (auto const& w : bound_) {
    if (auto f = w.lock()) {
      auto binds = std::move(f->binds);
      f->binds.clear();
    }
  }
  top_->binds.clear();
}

std::int64_t evaluator::now_ms() {
  if (!now_) {
    if (env_.clock_ms) {
      now_ = env_.clock_ms();
    } else {
      now_ = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch()).count();
    }
  }
  return *now_;
}

double evaluator::random() {
  if (env_.random) return env_.random();
  if (!rng_) rng_.emplace(0x5eed);
  return static_cast<double>((*rng_)() >> 11) * 0x1.0p-53;
}

void evaluator::guard() {
  if (depth_ > max_depth_ || reinterpret_cast<std::uintptr_t>(__builtin_frame_address(0)) < stack_floor_)
    throw failure("U1001");
  ++steps_;
  if (steps_ > step_limit_ || (deadline_ && (steps_ & 255) == 0)) past_step_limit();
}

void evaluator::past_step_limit() {
  if (env_.max_steps && steps_ > env_.max_steps) throw failure("U1002");
  if (deadline_ && (steps_ & 255) == 0 && std::chrono::steady_clock::now() > *deadline_) throw failure("U1002");
}

void evaluator::check_deadline() {
  next_check_ = work_ + 4096;
  if (std::chrono::steady_clock::now() > *deadline_) throw failure("U1002");
}

value unwrap_outer(value const& v) {
  auto* a = v.arr();
  if (a && a->outer_wrapper && !a->items.empty()) return a->items[0];
  return v;
}

value evaluator::lookup(std::string_view name, frame_ptr const& env, node const* at) const {
  for (frame const* f = env.get(); f; f = f->parent.get())
    if (auto const* v = f->find(name)) return *v;
  if (name == "$") return root_;
  if (!env_.record_name.empty() && name == env_.record_name) {
    if (!record_) {
      auto o = make_object();
      o->items.reserve(env_.record.size());
      for (auto const& m : env_.record)
        if (m.value) o->items.emplace_back(std::string(m.name), value::ref(*m.value));
      record_ = value::of(std::move(o));
    }
    return *record_;
  }
  if (env_.variables) {
    auto it = env_.variables->find(name);
    if (it != env_.variables->end()) return value::ref(it->value());
  }
  if (env_.outer_variables) {
    auto it = env_.outer_variables->find(name);
    if (it != env_.outer_variables->end()) return value::ref(it->value());
  }
  builtin const* b = at ? at->fn : find_builtin(name);
  if (b && b->avail != builtin::both) b = find_builtin(name, env_.functions);
  if (b) return function_value(b->self);
  return {};
}

value evaluator::eval(node const* n, value const& input, frame_ptr const& env) {
  ++depth_;
  guard();
  value result = eval_inner(n, input, env);
  for (auto const& p : n->predicate) result = filter(p.expr, result, env);
  if (n->type != node_type::path && n->group) result = group(*n->group, result, env);
  if (auto* a = result.arr(); a && a->sequence && !a->tuple_stream) {
    if (n->keep_array) a->keep_singleton = true;
    if (a->items.empty()) {
      result = value{};
    } else if (a->items.size() == 1 && !a->keep_singleton) {
      value only = a->items[0];
      result = std::move(only);
    }
  }
  --depth_;
  return result;
}

value lookup_key(value const& input, std::string_view key) {
  if (input.is_array()) {
    auto seq = make_sequence();
    for (std::size_t i = 0, n = input.size(); i < n; ++i) {
      value r = lookup_key(input.at(i), key);
      if (r.undefined()) continue;
      if (r.is_array()) {
        for (std::size_t j = 0, m = r.size(); j < m; ++j) seq->items.push_back(r.at(j));
      } else {
        seq->items.push_back(std::move(r));
      }
    }
    return value::of(std::move(seq));
  }
  if (input.is_object()) return input.get(key);
  return {};
}

namespace {

void flatten_into(value const& v, array_rep& out) {
  if (v.is_array()) {
    for (std::size_t i = 0, n = v.size(); i < n; ++i) flatten_into(v.at(i), out);
  } else {
    out.items.push_back(v);
  }
}

/// What a path step `name[k]` (a number literal k, nothing else to it) makes
/// of the single object `cur`, read in place: the field's k-th item (counted
/// from the end when k < 0), a field that is no array being its own only
/// item, as filter() picks it. `taken`: `cur` is now that item; `none`: no
/// items; `general`: another kind of step, or one the general rules must take
/// (a built array, an array inside the array). Out of line: the plain steps'
/// loop stays as it was.
enum class indexed { taken, none, general };
[[gnu::noinline]] indexed indexed_item(node const* step, value& cur) {
  if (step->type != node_type::name || step->stages.size() != 1 || step->stages[0].type != stage::filter ||
      step->stages[0].expr->type != node_type::number || !step->predicate.empty() || step->group ||
      step->keep_array || !step->focus.empty() || !step->index.empty() || step->tuple || step->cons_array ||
      step->ancestor)
    return indexed::general;
  if (!cur.is_object()) return indexed::none;
  value r = cur.get(step->text);
  if (r.undefined()) return indexed::none;
  if (r.is_array() && r.arr()) return indexed::general;
  std::size_t count = r.is_array() ? r.size() : 1;
  double k = std::floor(step->stages[0].expr->literal.number());
  if (k < 0) k += static_cast<double>(count);
  if (!(k >= 0 && k < static_cast<double>(count))) return indexed::none;
  value item = r.is_array() ? r.at(static_cast<std::size_t>(k)) : std::move(r);
  if (item.is_array()) return indexed::general;
  cur = std::move(item);
  return indexed::taken;
}

void descendants(value const& v, array_rep& out) {
  if (!v.is_array()) out.items.push_back(v);
  if (v.is_array()) {
    for (std::size_t i = 0, n = v.size(); i < n; ++i) descendants(v.at(i), out);
  } else if (v.is_object()) {
    for (std::size_t i = 0, n = v.obj_size(); i < n; ++i) descendants(v.value_at(i), out);
  }
}

}  // namespace

value evaluator::eval_inner(node const* n, value const& input, frame_ptr const& env) {
  switch (n->type) {
    case node_type::path: return eval_path(n, input, env);
    case node_type::binary: return eval_binary(n, input, env);
    case node_type::negate: {
      value v = eval(n->expr, input, env);
      if (v.undefined()) return v;
      if (is_numeric(v)) return value(-v.number());
      throw failure("D1002").at(n->position).tok("-").with(v);
    }
    case node_type::array: return eval_array(n, input, env);
    case node_type::object: {
      group_by g;
      g.pairs = n->pairs;
      g.position = n->position;
      return group(g, input, env);
    }
    case node_type::name: return lookup_key(input, n->text);
    case node_type::string:
    case node_type::number:
    case node_type::literal: return n->literal;
    case node_type::wildcard: {
      // As the reference: an array member is flattened and appended with
      // JavaScript's concat, whose result is a plain array, no longer a
      // sequence; so from the first array member on, the result is an array
      // that keeps a single item (and an empty one stays []).
      auto seq = make_sequence();
      value in = input;
      if (auto* a = in.arr(); a && a->outer_wrapper && !a->items.empty()) in = a->items[0];
      auto add = [&](value v) {
        if (v.is_array()) {
          flatten_into(v, *seq);
          seq->sequence = false;
        } else {
          seq->items.push_back(std::move(v));
        }
      };
      if (in.is_object()) {
        for (std::size_t i = 0, k = in.obj_size(); i < k; ++i) add(in.value_at(i));
      } else if (in.is_array()) {  // JavaScript arrays are objects keyed by index
        for (std::size_t i = 0, k = in.size(); i < k; ++i) add(in.at(i));
      }
      return value::of(std::move(seq));
    }
    case node_type::descendant: {
      if (input.undefined()) return {};
      auto seq = make_sequence();
      descendants(input, *seq);
      if (seq->items.size() == 1) return seq->items[0];
      return value::of(std::move(seq));
    }
    case node_type::parent: return lookup(n->parent_slot->label, env, nullptr);
    case node_type::condition: {
      value c = eval(n->expr, input, env);
      if (truthy(c).value_or(false)) return eval(n->then, input, env);
      if (n->otherwise) return eval(n->otherwise, input, env);
      return {};
    }
    case node_type::block: {
      value r;
      if (!n->needs_frame) {
        for (node const* e : n->items) r = eval(e, input, env);
        return r;
      }
      auto f = child_frame(env);
      for (node const* e : n->items) r = eval(e, input, f);
      return r;
    }
    case node_type::bind: {
      value v = eval(n->rhs, input, env);
      env->bind(n->lhs->text, v);
      if (v.is_function() || v.is_array() || v.is_object()) bound_.push_back(env);
      return v;
    }
    case node_type::regex: {
      auto f = make_pooled<function_rep>();
      f->kind = function_rep::regex;
      f->re = n->regex;
      return function_value(std::move(f));
    }
    case node_type::call: return eval_call(n, input, env, nullptr);
    case node_type::variable:
      if (n->text.empty()) return unwrap_outer(input);
      return lookup(n->text, env, n);
    case node_type::lambda: {
      auto f = make_pooled<function_rep>();
      f->kind = function_rep::lambda;
      f->n = n;
      f->env = env;
      f->input = input;
      f->params = &n->params;
      f->sig = n->sig;
      f->thunk = n->thunk;
      return function_value(std::move(f));
    }
    case node_type::partial: return eval_partial(n, input, env);
    case node_type::apply: return eval_apply(n, input, env);
    case node_type::transform: return eval_transform(n, input, env);
    case node_type::sort: return eval_sort(n, input, env);
    default: throw failure("S0206").at(n->position);
  }
}

value evaluator::eval_path(node const* n, value const& input, frame_ptr const& env) {
  auto const& steps = n->items;
  value in;
  bool single = false;  // `in` stands for a sequence of itself (saves wrapping the common case)
  std::size_t from = 0;
  // The common prefix `$v.a.b` / `a.b` over single objects walks them in place
  // without building sequences: each step's result is a sequence of one item,
  // which the general loop below would only wrap and unwrap. It stops (and the
  // general loop takes over) at the first step that is not a plain name, or
  // that meets an array (flattening rules) or a value built by the evaluation.
  // A grouping applies to what the path gives, however it ends.
  auto done = [&](value r) { return n->group ? group(*n->group, r, env) : r; };
  if (n->predicate.empty() && !n->keep_singleton_array && !n->tuple &&
      !(input.is_array() && steps[0]->type != node_type::variable)) {
    value cur = input;
    for (; from < steps.size(); ++from) {
      node const* step = steps[from];
      if (!is_plain_step(step)) {
        indexed got = indexed_item(step, cur);
        if (got == indexed::general) break;
        if (got == indexed::none) return done({});
        continue;
      }
      value r;
      if (step->type == node_type::name) {
        if (!cur.is_object()) return done({});  // a field of a scalar or of nothing: no items
        r = cur.get(step->text);
      } else {
        r = step->text.empty() ? unwrap_outer(cur) : lookup(step->text, env, step);
      }
      if (r.undefined()) return done({});
      if (r.is_array()) {
        if (r.arr()) break;  // built (a sequence may collapse): the general rules from this step
        if (from + 1 == steps.size()) return done(r);  // the last step's single array is the result, whole
        if (r.size() == 0) return done({});
        in = std::move(r);
        ++from;
        break;
      }
      cur = std::move(r);
    }
    if (from == steps.size()) return done(cur);
    if (!in.is_array() && from > 0) {
      in = std::move(cur);
      single = true;
    }
  }
  if (from == 0) {
    if (input.is_array() && steps[0]->type != node_type::variable) {
      in = input;
    } else if (!steps[0]->tuple && !steps[0]->cons_array && steps[0]->type != node_type::sort) {
      in = input;
      single = true;
    } else {
      in = sequence_of(input);
    }
  }
  value result;
  bool tuples = false;
  bool one = false;  // the step gave a single item, bare
  value bindings;
  for (std::size_t i = from; i < steps.size(); ++i) {
    node const* step = steps[i];
    if (step->tuple) tuples = true;
    if (single && (tuples || step->type == node_type::sort)) {
      in = sequence_of(in);
      single = false;
    }
    if (i == 0 && step->cons_array) {
      result = eval(step, in, env);
    } else if (tuples) {
      bindings = eval_tuple_step(step, in, bindings, env);
    } else {
      one = false;
      result = eval_step(step, in, single, env, i == steps.size() - 1, one);
    }
    if (!tuples && (result.undefined() || (result.is_array() && result.size() == 0))) break;
    if (step->focus.empty()) {
      in = result;
      single = one;
    }
  }
  if (tuples) {
    if (n->tuple) {
      result = bindings;
    } else {
      auto seq = make_sequence();
      if (auto* t = bindings.arr())
        for (auto const& tuple : t->items) seq->items.push_back(tuple_at(tuple));
      result = value::of(std::move(seq));
    }
  }
  if (n->keep_singleton_array) {
    auto* a = result.arr();
    if (a && a->cons && !a->sequence) {
      result = sequence_of(result);
      a = result.arr();
    }
    if (a) a->keep_singleton = true;
  }
  if (n->group) result = group(*n->group, tuples ? bindings : result, env);
  return result;
}

namespace {

// The evaluate() rule for a sequence result: empty is undefined, one item is the item.
void collapse(value& v) {
  auto* a = v.arr();
  if (!a || !a->sequence || a->tuple_stream) return;
  if (a->items.empty()) {
    v = value{};
  } else if (a->items.size() == 1 && !a->keep_singleton) {
    value only = a->items[0];
    v = std::move(only);
  }
}

bool plain_name(node const* step) {
  return step->type == node_type::name && step->stages.empty() && step->predicate.empty() && !step->group &&
         !step->keep_array;
}

}  // namespace

value evaluator::eval_step(node const* step, value const& input, bool single, frame_ptr const& env, bool last,
                           bool& one) {
  if (step->type == node_type::sort) {
    value r = eval_sort(step, input, env);
    if (!step->stages.empty()) r = eval_stages(step->stages, r, env);
    return r;
  }
  // A step after a filtered array constructor (`[0][0].x`) may see a single
  // non-array value: like the reference's loop over input.length, no items.
  std::size_t n = single ? 1 : (input.is_array() ? input.size() : 0);
  bool fast = plain_name(step);
  // The sequence is made at the second result: a single one may be the
  // step's result itself.
  std::shared_ptr<array_rep> seq;
  auto add = [&](value&& r) {
    auto* a = r.arr();
    if (!r.is_array() || (a && a->cons)) {
      seq->items.push_back(std::move(r));
    } else {
      for (std::size_t k = 0, m = r.size(); k < m; ++k) seq->items.push_back(r.at(k));
    }
  };
  value first;
  std::size_t count = 0;
  for (std::size_t i = 0; i < n; ++i) {
    value item = single ? input : input.at(i);
    value r;
    if (fast && item.is_object()) {
      r = item.get(step->text);
      collapse(r);
    } else {
      r = eval(step, item, env);
      for (auto const& st : step->stages) r = filter(st.expr, r, env);
    }
    if (r.undefined()) continue;
    if (count++ == 0) {
      first = std::move(r);
      continue;
    }
    if (count == 2) {
      seq = make_sequence();
      seq->items.reserve(n);
      add(std::move(first));
    }
    add(std::move(r));
  }
  if (count == 1) {
    if (last && first.is_array() && !first.is_sequence()) return first;
    if (!last) {
      // a bare item, or the only item of a sequence, stands for a sequence of itself
      auto* a = first.arr();
      value only = a && a->sequence && a->items.size() == 1 ? a->items[0] : first;
      if (!only.is_array()) {
        one = true;
        return only;
      }
    }
  }
  if (!seq) {
    seq = make_sequence();
    if (count == 1) add(std::move(first));
  }
  return value::of(std::move(seq));
}

value evaluator::eval_stages(std::vector<stage> const& stages, value input, frame_ptr const& env) {
  for (auto const& st : stages) {
    if (st.type == stage::filter) {
      input = filter(st.expr, input, env);
    } else if (auto* a = input.arr()) {
      for (std::size_t i = 0; i < a->items.size(); ++i) {
        auto t = make_object();
        *t = *a->items[i].obj();
        t->set(st.name, value(static_cast<double>(i)));
        a->items[i] = value::of(std::move(t));
      }
    }
  }
  return input;
}

value evaluator::eval_tuple_step(node const* step, value const& input, value const& tuples, frame_ptr const& env) {
  if (step->type == node_type::sort) {
    value r;
    if (tuples.defined()) {
      r = eval_sort(step, tuples, env);
    } else {
      value sorted = eval_sort(step, input, env);
      auto seq = make_sequence();
      seq->tuple_stream = true;
      for (std::size_t i = 0, n = sorted.size(); i < n; ++i) {
        auto t = make_object();
        t->set("@", sorted.at(i));
        if (!step->index.empty()) t->set(step->index, value(static_cast<double>(i)));
        seq->items.push_back(value::of(std::move(t)));
      }
      r = value::of(std::move(seq));
    }
    if (!step->stages.empty()) r = eval_stages(step->stages, r, env);
    return r;
  }
  auto result = make_sequence();
  result->tuple_stream = true;
  value source = tuples;
  if (source.undefined()) {
    auto seq = make_sequence();
    for (std::size_t i = 0, n = input.size(); i < n; ++i) {
      auto t = make_object();
      t->set("@", input.at(i));
      seq->items.push_back(value::of(std::move(t)));
    }
    source = value::of(std::move(seq));
  }
  for (std::size_t e = 0, n = source.size(); e < n; ++e) {
    value tuple = source.at(e);
    frame_ptr step_env = frame_from_tuple(env, tuple);
    value at = tuple_at(tuple);
    value res = eval(step, at, step_env);
    if (res.undefined()) continue;
    if (!res.is_array()) res = sequence_of(res);
    auto* ra = res.arr();
    bool stream = ra && ra->tuple_stream;
    for (std::size_t b = 0, m = res.size(); b < m; ++b) {
      auto t = make_object();
      *t = *tuple.obj();
      if (stream) {
        for (auto const& [k, v] : res.at(b).obj()->items) t->set(k, v);
      } else {
        if (!step->focus.empty()) {
          t->set(step->focus, res.at(b));
          t->set("@", at);
        } else {
          t->set("@", res.at(b));
        }
        if (!step->index.empty()) t->set(step->index, value(static_cast<double>(b)));
        if (step->ancestor) t->set(step->ancestor->label, at);
      }
      result->items.push_back(value::of(std::move(t)));
    }
  }
  value r = value::of(std::move(result));
  if (!step->stages.empty()) r = eval_stages(step->stages, r, env);
  return r;
}

value evaluator::filter(node const* pred, value const& input, frame_ptr const& env) {
  auto results = make_sequence();
  auto* ia = input.arr();
  bool stream = ia && ia->tuple_stream;
  results->tuple_stream = stream;
  value in = input.is_array() ? input : sequence_of(input);
  std::size_t n = in.size();
  if (pred->type == node_type::number) {
    double idx = std::floor(pred->literal.number());
    if (idx < 0) idx += static_cast<double>(n);
    if (idx >= 0 && idx < static_cast<double>(n)) {
      value item = in.at(static_cast<std::size_t>(idx));
      if (item.is_array()) return item;
      results->items.push_back(std::move(item));
    }
    return value::of(std::move(results));
  }
  for (std::size_t i = 0; i < n; ++i) {
    value item = in.at(i);
    value context = item;
    frame_ptr const* e = &env;
    frame_ptr tuple_env;
    if (stream) {
      context = tuple_at(item);
      tuple_env = frame_from_tuple(env, item);
      e = &tuple_env;
    }
    value res = eval(pred, context, *e);
    if (res.is_number()) {
      is_numeric(res);
      double k = std::floor(res.number());
      if (k < 0) k += static_cast<double>(n);
      if (k == static_cast<double>(i)) results->items.push_back(item);
    } else if (is_array_of_numbers(res)) {
      for (std::size_t j = 0, m = res.size(); j < m; ++j) {
        double k = std::floor(res.at(j).number());
        if (k < 0) k += static_cast<double>(n);
        if (k == static_cast<double>(i)) results->items.push_back(item);
      }
    } else if (truthy(res).value_or(false)) {
      results->items.push_back(item);
    }
  }
  return value::of(std::move(results));
}

value evaluator::group(group_by const& g, value const& input, frame_ptr const& env) {
  auto* ia = input.arr();
  bool reduce = ia && ia->tuple_stream;
  // the items of the input (an undefined one when there are none, except for a tuple stream)
  bool const many = input.is_array();
  std::size_t const count = many ? input.size() : 1;
  std::size_t const rounds = count == 0 && !reduce ? 1 : count;
  struct entry {
    std::string key;
    value data;
    std::size_t expr_index;
    bool owned = false;  // data is an array made here: items are appended in place
  };
  std::vector<entry> groups;
  groups.reserve(std::min<std::size_t>(rounds, 16));
  for (std::size_t i = 0; i < rounds; ++i) {
    value const item = many && count ? input.at(i) : many ? value{} : input;
    frame_ptr item_env = reduce ? frame_from_tuple(env, item) : env;
    for (std::size_t p = 0; p < g.pairs.size(); ++p) {
      value key = eval(g.pairs[p].first, reduce ? tuple_at(item) : item, item_env);
      if (key.undefined()) continue;
      if (!key.is_string()) throw failure("T1003").at(g.position).with(key);
      auto k = key.str();
      auto it = std::find_if(groups.begin(), groups.end(), [&](entry const& e) { return e.key == k; });
      if (it == groups.end()) {
        groups.push_back({std::string(k), item, p});
      } else {
        if (it->expr_index != p) throw failure("D1009").at(g.position).with(key);
        if (it->owned && item.defined()) {
          auto& to = it->data.arr()->items;
          if (item.is_array()) {
            for (std::size_t j = 0, m = item.size(); j < m; ++j) to.push_back(item.at(j));
          } else {
            to.push_back(item);
          }
        } else {
          bool const fresh = it->data.defined() && item.defined();
          it->data = append(it->data, item);
          it->owned = fresh;
        }
      }
    }
  }
  // The reference keeps the groups in a JavaScript object and evaluates their
  // values in its property order: array-index keys first, ascending.
  if (std::any_of(groups.begin(), groups.end(), [](entry const& e) { return is_array_index(e.key); }))
    std::stable_sort(groups.begin(), groups.end(),
                     [](entry const& a, entry const& b) { return js_key_before(a.key, b.key); });
  auto result = make_object();
  result->items.reserve(groups.size());
  for (auto& e : groups) {
    value context = e.data;
    frame_ptr genv = env;
    if (reduce) {
      // merge the tuples of the group: each binding becomes the append of its values
      auto merged = make_object();
      if (e.data.is_array() && e.data.arr() && !e.data.arr()->items.empty() && e.data.at(0).is_object() &&
          !e.data.obj()) {
        auto const& first = e.data.at(0);
        *merged = *first.obj();
        for (std::size_t i = 1, n = e.data.size(); i < n; ++i)
          for (auto const& [k, v] : e.data.at(i).obj()->items) {
            value const* cur = merged->find(k);
            merged->set(k, append(cur ? *cur : value{}, v));
          }
      } else if (e.data.obj()) {
        *merged = *e.data.obj();
      }
      value const* at = merged->find("@");
      context = at ? *at : value{};
      merged->erase("@");
      genv = frame_from_tuple(env, value::of(merged));
    }
    value v = eval(g.pairs[e.expr_index].second, context, genv);
    if (v.defined()) result->items.emplace_back(std::move(e.key), std::move(v));
  }
  return value::of(std::move(result));
}

}  // namespace stepsim::jsonata::detail
