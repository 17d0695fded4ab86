#include "jsonata/parser.hpp"

#include "jsonata/lexer.hpp"
#include "jsonata/signature.hpp"
#include "jsonata/stack.hpp"

#include <string_view>

namespace stepsim::jsonata::detail {

namespace {

// Deeper nesting is refused (U1001) so that parsing never exhausts the native stack.
constexpr int max_nesting = 800;

int binding_power(std::string_view id) {
  struct entry { std::string_view id; int bp; };
  static constexpr entry table[] = {
      {".", 75}, {"[", 80}, {"{", 70}, {"(", 80}, {"@", 80}, {"#", 80}, {"?", 20}, {"+", 50}, {"-", 50},
      {"*", 60}, {"/", 60}, {"%", 60}, {"=", 40}, {"<", 40}, {">", 40}, {"^", 40}, {":=", 10}, {"!=", 40},
      {"<=", 40}, {">=", 40}, {"~>", 40}, {"?:", 40}, {"??", 40}, {"and", 30}, {"or", 25}, {"in", 40}, {"&", 50}};
  for (auto const& e : table)
    if (e.id == id) return e.bp;
  return 0;
}

bool known_operator(std::string_view id) {
  static constexpr std::string_view ops[] = {":", ";", ",", ")", "]", "}", "..", ".", "+", "-", "*", "/", "%", "=", "<",
                                             ">", "!=", "<=", ">=", "&", "and", "or", "in", "~>", "??", "**", "(",
                                             "[", "^", "{", ":=", "@", "#", "?", "?:", "|"};
  for (auto o : ops)
    if (o == id) return true;
  return false;
}

class parser {
 public:
  parser(std::string_view text, tree_store& store) : text_(text), lex_(text), store_(store) {}

  node* run() {
    advance({}, false);
    node* e = expression(0);
    if (tok_.kind != token::end) throw failure("S0201").at(tok_.position).tok(tok_.text);
    return e;
  }

 private:
  std::string id() const {
    switch (tok_.kind) {
      case token::end: return "(end)";
      case token::name:
      case token::variable: return "(name)";
      case token::string:
      case token::number:
      case token::literal: return "(literal)";
      case token::regex: return "(regex)";
      case token::op: return tok_.text;
    }
    return {};
  }
  int lbp() const { return tok_.kind == token::op ? binding_power(tok_.text) : 0; }

  void advance(std::string_view expected, bool infix) {
    if (!expected.empty() && id() != expected) {
      if (tok_.kind == token::end) throw failure("S0203").at(tok_.position).with(value::string(expected)).tok(tok_.text);
      auto f = failure("S0202").at(tok_.position).with(value::string(expected));
      f.token = token_value();
      throw std::move(f);
    }
    tok_ = lex_.next(infix);
    if (tok_.kind == token::end) tok_.position = text_.size();
    if (tok_.kind == token::op && !known_operator(tok_.text)) throw failure("S0204").at(tok_.position).tok(tok_.text);
  }
  std::string token_value() const {
    if (tok_.kind == token::number) return tok_.text;
    if (tok_.kind == token::literal) return stringify(tok_.lit, false);
    return tok_.text;
  }

  node* expression(int rbp) {
    struct nesting {
      int& d;
      explicit nesting(int& x, std::size_t pos) : d(x) {
        if (++d > max_nesting || stack_exhausted()) throw failure("U1001").at(pos);
      }
      ~nesting() { --d; }
    } guard(depth_, tok_.position);
    token t = tok_;
    advance({}, true);
    node* left = nud(t);
    while (rbp < lbp()) {
      t = tok_;
      advance({}, false);
      left = led(t, left);
    }
    return left;
  }

  node* make(node_type type, token const& t) { return store_.make(type, t.position); }

  node* nud(token const& t) {
    switch (t.kind) {
      case token::name: {
        node* n = make(node_type::name, t);
        n->text = t.text;
        return n;
      }
      case token::variable: {
        node* n = make(node_type::variable, t);
        n->text = t.text;
        return n;
      }
      case token::string: {
        node* n = make(node_type::string, t);
        n->text = t.text;
        n->literal = value::string(t.text);
        return n;
      }
      case token::number: {
        node* n = make(node_type::number, t);
        n->literal = value(t.num);
        return n;
      }
      case token::literal: {
        node* n = make(node_type::literal, t);
        n->literal = t.lit;
        return n;
      }
      case token::regex: {
        node* n = make(node_type::regex, t);
        n->regex_source = t.text;
        n->regex_flags = t.flags;
        return n;
      }
      case token::end: return make(node_type::end, t);
      case token::op: break;
    }
    std::string const& op = t.text;
    if (op == "and" || op == "or" || op == "in") {
      node* n = make(node_type::name, t);
      n->text = op;
      return n;
    }
    if (op == "-") {
      node* n = make(node_type::negate, t);
      n->expr = expression(70);
      return n;
    }
    if (op == "*") return make(node_type::wildcard, t);
    if (op == "**") return make(node_type::descendant, t);
    if (op == "%") return make(node_type::parent, t);
    if (op == "(") {
      node* n = make(node_type::block, t);
      while (id() != ")") {
        n->items.push_back(expression(0));
        if (id() != ";") break;
        advance(";", false);
      }
      advance(")", true);
      return n;
    }
    if (op == "[") {
      node* n = make(node_type::array, t);
      if (id() != "]") {
        for (;;) {
          node* item = expression(0);
          if (id() == "..") {
            node* range = store_.make(node_type::binary, tok_.position);
            range->op = binop::range;
            range->text = "..";
            range->lhs = item;
            advance("..", false);
            range->rhs = expression(0);
            item = range;
          }
          n->items.push_back(item);
          if (id() != ",") break;
          advance(",", false);
        }
      }
      advance("]", true);
      return n;
    }
    if (op == "{") {
      node* n = make(node_type::object, t);
      object_pairs(n->pairs);
      return n;
    }
    if (op == "|") {
      node* n = make(node_type::transform, t);
      n->expr = expression(0);
      advance("|", false);
      n->then = expression(0);
      if (id() == ",") {
        advance(",", false);
        n->otherwise = expression(0);
      }
      advance("|", false);
      return n;
    }
    throw failure("S0211").at(t.position).tok(op);
  }

  void object_pairs(std::vector<std::pair<node*, node*>>& pairs) {
    if (id() != "}") {
      for (;;) {
        node* k = expression(0);
        advance(":", false);
        node* v = expression(0);
        pairs.emplace_back(k, v);
        if (id() != ",") break;
        advance(",", false);
      }
    }
    advance("}", true);
  }

  node* led(token const& t, node* left) {
    std::string const& op = t.text;
    static constexpr std::pair<std::string_view, binop> binops[] = {
        {"+", binop::add}, {"-", binop::sub}, {"*", binop::mul}, {"/", binop::div}, {"%", binop::mod},
        {"=", binop::eq}, {"!=", binop::ne}, {"<", binop::lt}, {"<=", binop::le}, {">", binop::gt},
        {">=", binop::ge}, {"&", binop::concat}, {"in", binop::in}, {"and", binop::and_}, {"or", binop::or_}};
    for (auto const& [name, b] : binops) {
      if (op == name) {
        node* n = make(node_type::binary, t);
        n->op = b;
        n->text = op;
        n->lhs = left;
        n->rhs = expression(binding_power(op));
        return n;
      }
    }
    if (op == ".") return binary(node_type::raw_dot, t, left, 75);
    if (op == "~>") return binary(node_type::raw_apply, t, left, 40);
    if (op == "??") {
      node* n = make(node_type::condition, t);
      node* call = store_.make(node_type::call, t.position);
      node* proc = store_.make(node_type::variable, t.position);
      proc->text = "exists";
      call->expr = proc;
      call->items.push_back(clone(left));
      n->expr = call;
      n->then = left;
      n->otherwise = expression(0);
      return n;
    }
    if (op == "?:") {
      node* n = make(node_type::condition, t);
      n->expr = clone(left);
      n->then = left;
      n->otherwise = expression(0);
      return n;
    }
    if (op == "?") {
      node* n = make(node_type::condition, t);
      n->expr = left;
      n->then = expression(0);
      if (id() == ":") {
        advance(":", false);
        n->otherwise = expression(0);
      }
      return n;
    }
    if (op == "(") return call(t, left);
    if (op == "[") {
      if (id() == "]") {
        node* step = left;
        while (step && step->type == node_type::raw_filter) step = step->lhs;
        step->keep_array = true;
        advance("]", false);
        return left;
      }
      node* n = make(node_type::raw_filter, t);
      n->lhs = left;
      n->rhs = expression(0);
      advance("]", true);
      return n;
    }
    if (op == "^") {
      advance("(", false);
      node* n = make(node_type::raw_sort, t);
      n->lhs = left;
      for (;;) {
        sort_term term;
        if (id() == "<") {
          advance("<", false);
        } else if (id() == ">") {
          term.descending = true;
          advance(">", false);
        }
        term.expr = expression(0);
        n->terms.push_back(term);
        if (id() != ",") break;
        advance(",", false);
      }
      advance(")", false);
      return n;
    }
    if (op == "{") {
      node* n = make(node_type::raw_group, t);
      n->lhs = left;
      object_pairs(n->pairs);
      return n;
    }
    if (op == ":=") {
      if (left->type != node_type::variable) throw failure("S0212").at(left->position).tok(left->text);
      node* n = make(node_type::raw_bind, t);
      n->lhs = left;
      n->rhs = expression(9);
      return n;
    }
    if (op == "@" || op == "#") {
      node* n = make(op == "@" ? node_type::raw_focus : node_type::raw_index, t);
      n->lhs = left;
      n->rhs = expression(80);
      if (n->rhs->type != node_type::variable) throw failure("S0214").at(n->rhs->position).tok(op);
      return n;
    }
    throw failure("S0201").at(t.position).tok(op);
  }

  node* binary(node_type type, token const& t, node* left, int bp) {
    node* n = make(type, t);
    n->text = t.text;
    n->lhs = left;
    n->rhs = expression(bp);
    return n;
  }

  node* call(token const& t, node* left) {
    node* n = make(node_type::call, t);
    n->expr = left;
    if (id() != ")") {
      for (;;) {
        if (tok_.kind == token::op && tok_.text == "?") {
          n->type = node_type::partial;
          n->items.push_back(store_.make(node_type::placeholder, tok_.position));
          advance("?", false);
        } else {
          n->items.push_back(expression(0));
        }
        if (id() != ",") break;
        advance(",", false);
      }
    }
    advance(")", true);
    if (left->type == node_type::name && (left->text == "function" || left->text == "\u03BB")) {
      int index = 0;
      for (node* arg : n->items) {
        ++index;
        if (arg->type != node_type::variable) {
          auto f = failure("S0208").at(arg->position).with(value(static_cast<double>(index)));
          f.token = arg->text;
          throw std::move(f);
        }
        n->params.push_back(arg->text);
      }
      n->items.clear();
      n->type = node_type::lambda;
      if (id() == "<") {
        std::size_t sig_pos = tok_.position;
        int depth = 1;
        std::string sig = "<";
        while (depth > 0 && id() != "{" && id() != "(end)") {
          advance({}, false);
          if (id() == ">") --depth;
          else if (id() == "<") ++depth;
          sig += token_value();
        }
        advance(">", false);
        n->sig = parse_signature(sig, sig_pos);
      }
      advance("{", false);
      n->expr = expression(0);
      advance("}", false);
    }
    return n;
  }

  node* clone(node const* n, int depth = 0) {
    if (!n) return nullptr;
    if (depth > max_nesting || stack_exhausted()) throw failure("U1001").at(n->position);
    node* c = store_.make(n->type, n->position);
    c->op = n->op;
    c->text = n->text;
    c->literal = n->literal;
    c->regex_source = n->regex_source;
    c->regex_flags = n->regex_flags;
    c->lhs = clone(n->lhs, depth + 1);
    c->rhs = clone(n->rhs, depth + 1);
    c->expr = clone(n->expr, depth + 1);
    c->then = clone(n->then, depth + 1);
    c->otherwise = clone(n->otherwise, depth + 1);
    for (node* i : n->items) c->items.push_back(clone(i, depth + 1));
    for (auto const& [k, v] : n->pairs) c->pairs.emplace_back(clone(k, depth + 1), clone(v, depth + 1));
    for (auto const& t : n->terms) c->terms.push_back({clone(t.expr, depth + 1), t.descending});
    c->params = n->params;
    c->sig = n->sig;
    c->keep_array = n->keep_array;
    return c;
  }

  int depth_ = 0;
  std::string_view text_;
  lexer lex_;
  tree_store& store_;
  token tok_;
};

}  // namespace

node* parse(std::string_view text, tree_store& store) {
  parser p(text, store);
  node* raw = p.run();
  return process(raw, store);
}

}  // namespace stepsim::jsonata::detail
