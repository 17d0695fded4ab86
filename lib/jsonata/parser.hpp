// Parsing: text -> raw tree (a Pratt parser with the reference's binding
// powers) -> processed tree (paths flattened into steps, predicates, group-by,
// focus/index bindings, parent slots resolved, tail calls marked).
#pragma once

#include "jsonata/tree.hpp"

namespace stepsim::jsonata::detail {

/// Parses `text` into `store`; returns the root. Throws `failure` (S0xxx).
node* parse(std::string_view text, tree_store& store);

/// Post-processing of a raw tree (process.cpp).
node* process(node* raw, tree_store& store);

/// Built-in lookup for variables (builtins.cpp); null when `name` is none.
builtin const* find_builtin(std::string_view name);

}  // namespace stepsim::jsonata::detail
