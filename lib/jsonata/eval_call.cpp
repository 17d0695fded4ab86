// Function calls: built-ins, lambdas (with tail calls run in a loop), partial
// application, `~>` chaining and the transform operator.
#include "jsonata/eval.hpp"

namespace stepsim::jsonata::detail {

namespace {

// The name the reference reports for a called procedure (none for an inline lambda).
std::optional<std::string_view> procedure_name(node const* proc) {
  if (proc->type == node_type::path && !proc->items.empty()) return proc->items[0]->text;
  if (proc->type == node_type::variable || proc->type == node_type::name) return proc->text;
  return std::nullopt;
}

// Argument vectors kept per thread between calls, so that a call's
// arguments cost no allocation once the thread has made a few.
struct spare_args {
  std::vector<std::vector<value>> free;
  std::vector<value> take() {
    if (free.empty()) return {};
    std::vector<value> v = std::move(free.back());
    free.pop_back();
    return v;
  }
  void give(std::vector<value>&& v) {
    if (free.size() >= 16 || v.capacity() > 64) return;
    v.clear();
    free.push_back(std::move(v));
  }
};

thread_local spare_args spares;

}  // namespace

value evaluator::eval_call(node const* n, value const& input, frame_ptr const& env, value const* applied) {
  value proc = eval(n->expr, input, env);
  if (proc.undefined() && n->expr->type == node_type::path && !n->expr->items.empty() &&
      lookup(n->expr->items[0]->text, env, nullptr).defined()) {
    throw failure("T1005").at(n->position).tok(n->expr->items[0]->text);
  }
  std::vector<value> args = spares.take();
  std::size_t given = n->items.size() + (applied ? 1 : 0);
  // a built-in's optional parameters are filled in when it is called: room for them too
  auto const* f = proc.fn();
  std::size_t const params = f && f->kind == function_rep::native && f->bi->sig ? f->bi->sig->params.size() : 0;
  args.reserve(std::max(given, params));
  if (applied) args.push_back(*applied);
  for (node const* a : n->items) args.push_back(eval(a, input, env));
  auto name = procedure_name(n->expr);
  call_site site{n->position, name.value_or(std::string_view())};
  try {
    value r = apply(proc, args, input, env, proc.is_function() && proc.fn()->kind != function_rep::regex ? &site : nullptr);
    spares.give(std::move(args));
    return r;
  } catch (failure& f) {
    if (!f.position) f.position = n->position;
    if (!f.token)
      if (auto pn = procedure_name(n->expr)) f.token = std::string(*pn);
    throw;
  }
}

value evaluator::apply(value const& fn, std::vector<value>& args, value const& input, frame_ptr const& env,
                        call_site const* site) {
  value result = apply_inner(fn, args, input, env, site);
  for (;;) {
    auto* f = result.fn();
    if (!f || f->kind != function_rep::lambda || !f->thunk) break;
    node const* call = f->n->expr;
    value next = eval(call->expr, f->input, f->env);
    std::vector<value> next_args;
    next_args.reserve(call->items.size());
    for (node const* a : call->items) next_args.push_back(eval(a, f->input, f->env));
    call_site next_site{call->expr->position, call->expr->type == node_type::variable ? std::string_view(call->expr->text) : std::string_view()};
    result = apply_inner(next, next_args, input, env, next.is_function() ? &next_site : nullptr);
  }
  return result;
}

value evaluator::apply_inner(value const& fn, std::vector<value>& args, value const& input, frame_ptr const& env,
                              call_site const* site) {
  function_rep const* f = fn.fn();
  if (!f) throw failure("T1006");
  if (!site) return apply_function(*f, args, input, env);
  try {
    return apply_function(*f, args, input, env);
  } catch (failure& e) {
    if (!e.token && !site->token.empty()) e.token = std::string(site->token);
    if (site->position) e.position = site->position;
    throw;
  }
}

value evaluator::apply_function(function_rep const& fr, std::vector<value>& args, value const& input, frame_ptr const& env) {
  function_rep const* f = &fr;
  switch (f->kind) {
    case function_rep::native: {
      if (f->bi->sig) f->bi->sig->validate_in_place(args, input);
      call_info info{*this, input, env};
      return f->bi->impl(info, args);
    }
    case function_rep::lambda: {
      if (f->sig) f->sig->validate_in_place(args, input);
      std::vector<value> const* use = &args;
      auto call_env = make_pooled<frame>();
      call_env->parent = f->env;
      auto const& params = *f->params;
      call_env->binds.reserve(params.size());
      for (std::size_t i = 0; i < params.size(); ++i)
        call_env->binds.emplace_back(params[i], i < use->size() ? (*use)[i] : value{});
      return eval(f->n->expr, f->input, call_env);
    }
    case function_rep::partial_native: {
      std::vector<value> full;
      std::size_t next = 0;
      for (auto const& b : f->bound) {
        if (b) full.push_back(*b);
        else full.push_back(next < args.size() ? args[next++] : value{});
      }
      while (full.size() < static_cast<std::size_t>(f->bi->arity)) full.emplace_back();
      // The filled-in arguments meet the signature as a direct call's do (every
      // position is given, so an absent one is undefined, never the context).
      if (f->bi->sig) {
        try {
          full = f->bi->sig->validate(full, input);
        } catch (failure& e) {
          if (!e.token) e.token = std::string(f->bi->name);
          throw;
        }
      }
      call_info info{*this, input, env};
      return f->bi->impl(info, full);
    }
    case function_rep::regex: return call_regex(*f, args);
    case function_rep::transform: {
      if (args.empty() || args.size() > 1) throw failure("T0410").arg(2);
      value const& a = args[0];
      if (!(a.undefined() || a.is_object() || a.is_array())) throw failure("T0410").arg(1).with(a);
      return run_transform(*f, a);
    }
    case function_rep::chain: {
      std::vector<value> first = args;
      value mid = apply(f->f, first, input, env);
      std::vector<value> second{mid};
      return apply(f->g, second, input, env);
    }
  }
  return {};
}

int evaluator::arity(value const& fn) const {
  function_rep const* f = fn.fn();
  if (!f) return 0;
  switch (f->kind) {
    case function_rep::native: return f->bi->arity;
    case function_rep::lambda: return static_cast<int>(f->params->size());
    case function_rep::partial_native: {
      int holes = 0;
      for (auto const& b : f->bound) holes += b ? 0 : 1;
      return holes;
    }
    case function_rep::chain: return 1;
    default: return 1;
  }
}

value evaluator::call_hof(value const& fn, value a1, value a2, value a3, value const& input, frame_ptr const& env) {
  int n = arity(fn);
  std::vector<value> args;
  args.push_back(std::move(a1));
  if (n >= 2) args.push_back(std::move(a2));
  if (n >= 3) args.push_back(std::move(a3));
  return apply(fn, args, input, env);
}

value evaluator::eval_partial(node const* n, value const& input, frame_ptr const& env) {
  std::vector<std::optional<value>> args;
  for (node const* a : n->items) {
    if (a->type == node_type::placeholder) args.emplace_back(std::nullopt);
    else args.emplace_back(eval(a, input, env));
  }
  value proc = eval(n->expr, input, env);
  if (proc.undefined() && n->expr->type == node_type::path && !n->expr->items.empty() &&
      lookup(n->expr->items[0]->text, env, nullptr).defined()) {
    throw failure("T1007").at(n->position).tok(n->expr->items[0]->text);
  }
  function_rep const* f = proc.fn();
  if (f && f->kind == function_rep::lambda) {
    auto out = make_pooled<function_rep>();
    out->kind = function_rep::lambda;
    out->n = f->n;
    out->input = f->input;
    auto bound_env = make_pooled<frame>();
    bound_env->parent = f->env ? f->env : env;
    auto const& params = *f->params;
    for (std::size_t i = 0; i < params.size(); ++i) {
      if (i < args.size() && !args[i]) out->own_params.push_back(params[i]);
      else bound_env->bind(params[i], i < args.size() ? *args[i] : value{});
    }
    out->env = std::move(bound_env);
    out->params = &out->own_params;
    return function_value(std::move(out));
  }
  if (f && f->kind == function_rep::native) {
    auto out = make_pooled<function_rep>();
    out->kind = function_rep::partial_native;
    out->bi = f->bi;
    out->bound = std::move(args);
    while (out->bound.size() < static_cast<std::size_t>(f->bi->arity)) out->bound.emplace_back(value{});
    return function_value(std::move(out));
  }
  if (f && f->kind == function_rep::partial_native) {
    // fill the holes of the earlier application, in order, with these arguments
    auto out = make_pooled<function_rep>(*f);
    std::size_t next = 0;
    for (auto& b : out->bound) {
      if (b) continue;
      if (next < args.size()) b = args[next];
      else b = value{};
      ++next;
    }
    return function_value(std::move(out));
  }
  failure err("T1008");
  err.position = n->position;
  if (auto pn = procedure_name(n->expr)) err.token = std::string(*pn);
  throw err;
}

value evaluator::eval_apply(node const* n, value const& input, frame_ptr const& env) {
  value lhs = eval(n->lhs, input, env);
  if (n->rhs->type == node_type::call) return eval_call(n->rhs, input, env, &lhs);
  value fn = eval(n->rhs, input, env);
  if (!fn.is_function()) throw failure("T2006").at(n->position).with(fn);
  if (lhs.is_function()) {
    auto chain = make_pooled<function_rep>();
    chain->kind = function_rep::chain;
    chain->f = lhs;
    chain->g = fn;
    return function_value(std::move(chain));
  }
  std::vector<value> args{lhs};
  return apply(fn, args, input, env);
}

value evaluator::eval_transform(node const* n, value const&, frame_ptr const& env) {
  auto f = make_pooled<function_rep>();
  f->kind = function_rep::transform;
  f->n = n;
  f->env = env;
  return function_value(std::move(f));
}

value evaluator::run_transform(function_rep const& f, value const& obj) {
  if (obj.undefined()) return {};
  value clone_fn = lookup("clone", f.env, nullptr);
  if (!clone_fn.is_function()) throw failure("T2013").at(f.n->position);
  value result = deep_copy(unwrap_outer(obj));
  node const* n = f.n;
  value matches = eval(n->expr, result, f.env);
  if (matches.undefined()) return result;
  if (!matches.is_array()) matches = sequence_of(matches);
  for (std::size_t i = 0, m = matches.size(); i < m; ++i) {
    value match = matches.at(i);
    value update = eval(n->then, match, f.env);
    if (update.defined()) {
      if (!update.is_object()) throw failure("T2011").at(n->then->position).with(update);
      if (auto* target = match.obj())
        // copied: an update holding the matched object itself (`{"b": $}`)
        // must not make it contain itself (the reference builds that cycle
        // and cannot print it; stepsim gives the object as it was)
        for (std::size_t k = 0, ks = update.obj_size(); k < ks; ++k)
          target->set(update.key_at(k), deep_copy(update.value_at(k)));
    }
    if (n->otherwise) {
      value deletions = eval(n->otherwise, match, f.env);
      if (deletions.defined()) {
        value list = deletions.is_array() ? deletions : sequence_of(deletions);
        if (!is_array_of_strings(list)) throw failure("T2012").at(n->otherwise->position).with(deletions);
        if (auto* target = match.obj())
          for (std::size_t k = 0, ks = list.size(); k < ks; ++k) target->erase(list.at(k).str());
      }
    }
  }
  return result;
}

}  // namespace stepsim::jsonata::detail
