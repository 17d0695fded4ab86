#include "jsonata/signature.hpp"

#include "jsonata/failure.hpp"

namespace stepsim::jsonata::detail {

char signature_symbol(value const& v) {
  switch (v.type()) {
    case kind::function: return 'f';
    case kind::string: return 's';
    case kind::number: return 'n';
    case kind::boolean: return 'b';
    case kind::null: return 'l';
    case kind::array: return 'a';
    case kind::object: return 'o';
    case kind::undefined: return 'm';
  }
  return 'm';
}

std::shared_ptr<signature const> parse_signature(std::string_view text, std::size_t position) {
  auto sig = std::make_shared<signature>();
  sig->definition = std::string(text);
  auto& params = sig->params;
  auto closing = [&](std::size_t start, char open, char close) {
    int depth = 1;
    std::size_t p = start;
    while (p < text.size()) {
      ++p;
      if (p >= text.size()) break;
      if (text[p] == close) {
        if (--depth == 0) break;
      } else if (text[p] == open) {
        ++depth;
      }
    }
    return p;
  };
  for (std::size_t p = 1; p < text.size(); ++p) {
    char c = text[p];
    if (c == ':') break;
    signature::param prm;
    switch (c) {
      case 's': case 'n': case 'b': case 'l': case 'o':
        prm.symbols = std::string(1, c) + "m";
        prm.type = c;
        params.push_back(prm);
        break;
      case 'a':
        prm.symbols = "asnblfom";
        prm.type = 'a';
        params.push_back(prm);
        break;
      case 'f':
        prm.symbols = "f";
        prm.type = 'f';
        params.push_back(prm);
        break;
      case 'j':
        prm.symbols = "asnblom";
        prm.type = 'j';
        params.push_back(prm);
        break;
      case 'x':
        prm.symbols = "asnblfom";
        prm.type = 'x';
        params.push_back(prm);
        break;
      case '-':
        if (!params.empty()) params.back().context = true;
        break;
      case '?':
      case '+':
        if (!params.empty()) params.back().repeat = c;
        break;
      case '(': {
        auto end = closing(p, '(', ')');
        auto choice = text.substr(p + 1, end - p - 1);
        if (choice.find('<') != std::string_view::npos) {
          throw failure("S0402").at(position + p).with(value::string(choice));
        }
        prm.symbols = std::string(choice) + "m";
        prm.type = '(';
        params.push_back(prm);
        p = end;
        break;
      }
      case '<': {
        if (!params.empty() && (params.back().type == 'a' || params.back().type == 'f')) {
          auto end = closing(p, '<', '>');
          params.back().subtype = std::string(text.substr(p + 1, end - p - 1));
          p = end;
        } else {
          throw failure("S0401").at(position + p).with(value::string(params.empty() ? "" : std::string(1, params.back().type)));
        }
        break;
      }
      default: break;
    }
  }
  return sig;
}

namespace {

bool accepts(signature::param const& p, char s) { return p.symbols.find(s) != std::string::npos; }

// Backtracking match of params[pi..] against symbols[ai..], greedy first (as
// the reference's regular expression). `anchored` requires all symbols consumed.
bool match(std::vector<signature::param> const& params, std::size_t pi, std::size_t last, std::string const& symbols,
           std::size_t ai, bool anchored, std::vector<std::size_t>& counts, std::size_t& consumed) {
  if (pi == last) {
    if (anchored && ai != symbols.size()) return false;
    consumed = ai;
    return true;
  }
  auto const& p = params[pi];
  bool optional = p.context || p.repeat == '?';
  std::size_t max = 0;
  while (ai + max < symbols.size() && accepts(p, symbols[ai + max])) {
    ++max;
    if (p.repeat != '+') break;
  }
  std::size_t min = optional ? 0 : 1;
  if (p.repeat == '+' && p.context) min = 0;
  for (std::size_t n = max + 1; n-- > min;) {
    counts[pi] = n;
    if (match(params, pi + 1, last, symbols, ai + n, anchored, counts, consumed)) return true;
    if (n == 0) break;
  }
  return false;
}

/// An array argument for an `a<x>` parameter that takes it as it is: its
/// items all of the subtype (validate's check, which passes).
bool array_as_is(signature::param const& p, value const& arg) {
  if (!arg.is_array()) return false;
  if (p.subtype.empty() || arg.size() == 0) return true;
  for (std::size_t i = 0, n = arg.size(); i < n; ++i)
    if (signature_symbol(arg.at(i)) != p.subtype[0]) return false;
  return true;
}

}  // namespace

void signature::validate_in_place(std::vector<value>& args, value const& context) const {
  if (args.size() <= params.size()) {
    bool direct = true;
    for (std::size_t i = 0; i < params.size() && direct; ++i) {
      auto const& p = params[i];
      if (i >= args.size()) {
        direct = p.repeat == '?' && !p.context;
      } else if (p.repeat == '+') {
        direct = false;
      } else if (p.type == 'a') {
        value const& arg = args[i];
        char single = signature_symbol(arg);
        // an array taken as it is, or a single value of the subtype, wrapped below
        direct = arg.undefined() || array_as_is(p, arg) ||
                 (single != 'a' && accepts(p, single) && (p.subtype.empty() || (p.subtype.size() == 1 && p.subtype[0] == single)));
      } else {
        direct = accepts(p, signature_symbol(args[i]));
      }
    }
    if (direct) {
      for (std::size_t i = 0; i < args.size(); ++i) {
        if (params[i].type != 'a' || args[i].undefined() || args[i].is_array()) continue;
        auto a = make_array();
        a->items.push_back(std::move(args[i]));
        args[i] = value::of(std::move(a));
      }
      args.resize(params.size());
      return;
    }
  }
  args = validate(args, context);
}

std::vector<value> signature::validate(std::vector<value> const& args, value const& context) const {
  std::string symbols;
  symbols.reserve(args.size());
  for (auto const& a : args) symbols += signature_symbol(a);
  // The common case: one argument per parameter, each accepted as it is,
  // and the parameters left over optional ones (undefined): the match the
  // greedy search below tries first.
  if (args.size() <= params.size()) {
    bool direct = true;
    for (std::size_t i = 0; i < params.size() && direct; ++i) {
      auto const& p = params[i];
      direct = i < args.size() ? p.repeat != '+' && p.type != 'a' && accepts(p, symbols[i])
                               : p.repeat == '?' && !p.context;
    }
    if (direct) {
      std::vector<value> out(args);
      out.resize(params.size());
      return out;
    }
  }
  std::vector<std::size_t> counts(params.size(), 0);
  std::size_t consumed = 0;
  if (!match(params, 0, params.size(), symbols, 0, true, counts, consumed)) {
    std::size_t good = 0;
    for (std::size_t k = 1; k <= params.size(); ++k) {
      std::vector<std::size_t> c(params.size(), 0);
      if (!match(params, 0, k, symbols, 0, false, c, consumed)) break;
      good = consumed;
    }
    throw failure("T0410").arg(static_cast<int>(good) + 1).with(good < args.size() ? args[good] : value{});
  }
  std::vector<value> out;
  out.reserve(params.size());
  std::size_t ai = 0;
  for (std::size_t pi = 0; pi < params.size(); ++pi) {
    auto const& p = params[pi];
    if (counts[pi] == 0) {
      if (p.context) {
        char s = signature_symbol(context);
        if (accepts(p, s)) out.push_back(context);
        else throw failure("T0411").arg(static_cast<int>(ai) + 1).with(context);
      } else {
        out.push_back(ai < args.size() ? args[ai] : value{});
        ++ai;
      }
      continue;
    }
    for (std::size_t k = 0; k < counts[pi]; ++k) {
      value arg = ai < args.size() ? args[ai] : value{};
      char single = symbols[ai];
      if (p.type == 'a') {
        if (single == 'm') {
          arg = value{};
        } else {
          bool ok = true;
          if (!p.subtype.empty()) {
            if (single != 'a' && std::string(1, single) != p.subtype) {
              ok = false;
            } else if (single == 'a' && arg.size() > 0) {
              char item = signature_symbol(arg.at(0));
              if (item != p.subtype[0]) {
                ok = false;
              } else {
                for (std::size_t i = 0, n = arg.size(); i < n && ok; ++i) ok = signature_symbol(arg.at(i)) == item;
              }
            }
          }
          if (!ok) {
            static constexpr std::pair<char, char const*> names[] = {
                {'a', "arrays"}, {'b', "booleans"}, {'f', "functions"}, {'n', "numbers"}, {'o', "objects"}, {'s', "strings"}};
            failure f("T0412");
            f.index = static_cast<int>(ai) + 1;
            f.val = arg;
            for (auto const& [c, name] : names)
              if (!p.subtype.empty() && p.subtype[0] == c) f.type = name;
            throw f;
          }
          if (single != 'a') {
            auto a = make_array();
            a->items.push_back(arg);
            arg = value::of(std::move(a));
          }
        }
      }
      out.push_back(std::move(arg));
      ++ai;
    }
  }
  return out;
}

}  // namespace stepsim::jsonata::detail
