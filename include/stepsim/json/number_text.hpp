// stepsim::json: numbers as text, as the two languages stepsim speaks print them.
//
// Step Functions (Java) and JSONata (JavaScript) print the same double
// differently: 1.0 vs 1, 1.0E10 vs 10000000000. Both use the shortest digits
// that read back as the same double; they differ in where they switch to
// exponent notation and how they write it.
#pragma once

#include <string>

namespace stepsim::json {

/// Appends `d` as Java's `Double.toString` prints it: shortest digits that
/// round-trip; plain notation with at least one fraction digit for
/// 1e-3 <= |d| < 1e7, else `d.dddE[-]n`; `NaN`, `Infinity`, `-Infinity`.
void append_java_double(std::string& out, double d);

/// Appends `d` as JavaScript's `String(d)` prints it (and JSON.stringify, for
/// finite numbers): shortest digits that round-trip; integers up to 1e21
/// without a fraction (`1`, `100`), plain notation for 1e-6 <= |d| < 1e21
/// (`0.000001`, `1.5`), else `de[+-]n` (`1e+21`, `1.5e-7`); `-0` as `0`;
/// `NaN`, `Infinity`, `-Infinity`.
void append_js_double(std::string& out, double d);

}  // namespace stepsim::json
