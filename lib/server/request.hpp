// Private to the server: AWS errors, request members read against the API model, wire formats.
#pragma once

#include <stepsim/sim/time.hpp>

#include <boost/json.hpp>

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace stepsim::server {

namespace json = boost::json;

/// An API error as AWS returns it: the code (`StateMachineDoesNotExist`) and
/// message; `type` is the full `__type` (namespace#code).
class api_error : public std::runtime_error {
 public:
  api_error(std::string code, std::string message);
  std::string const& code() const noexcept { return code_; }
  /// "com.amazonaws.swf.service.v2.model#Code", or the Coral namespace for
  /// the protocol's own errors (SerializationException, ValidationException,
  /// UnknownOperationException).
  std::string type() const;

 private:
  std::string code_;
};

/// What a member of a request is, as the service model declares it.
enum class member_type { string, integer, boolean, number, structure, list };

/// One member of an operation's input shape.
struct member_spec {
  std::string_view name;
  member_type type = member_type::string;
  bool required = false;
  std::int64_t min = 0;   ///< string length / integer value / list size
  std::int64_t max = -1;  ///< -1: no maximum
  std::vector<std::string_view> values = {};  ///< allowed values of an enum string
};

/// An operation's input shape: its name and members.
struct operation_spec {
  std::string_view name;
  std::vector<member_spec> members;
};

/// Every operation the service answers, in the model's order.
std::vector<operation_spec> const& operation_specs();
/// The operation called `name`, or nullptr.
operation_spec const* find_operation(std::string_view name);

/// A request body checked against its operation's spec: a JSON object whose
/// members have the declared types (SerializationException otherwise) and
/// whose required members are present and in range (ValidationException,
/// worded as AWS words it). Members the spec lacks are ignored, as AWS does.
class request {
 public:
  request(operation_spec const& op, std::string_view body);

  std::optional<std::string> string(std::string_view name) const;
  std::string required_string(std::string_view name) const;
  std::optional<std::int64_t> integer(std::string_view name) const;
  std::optional<double> number(std::string_view name) const;
  bool boolean(std::string_view name, bool fallback = false) const;
  json::object const* structure(std::string_view name) const;
  json::array const* list(std::string_view name) const;
  json::object const& body() const noexcept { return body_; }

 private:
  json::object body_;
};

/// An instant as the AWS JSON protocol sends a timestamp: epoch seconds,
/// milliseconds as the fraction.
json::value epoch(sim::instant t);

/// An instant as the store keeps it (`--data`): microseconds since the epoch, and back.
std::int64_t stored_time(sim::instant t);
sim::instant time_of_stored(json::value const& v);

/// An opaque page token for position `offset`, and back (InvalidToken when
/// `token` is not one of ours).
std::string page_token(std::size_t offset);
std::size_t page_offset(std::string_view token);
/// The page size asked for: maxResults, or `fallback` when absent or 0.
std::size_t page_size(request const& r, std::size_t fallback = 100);

/// Throws InvalidName unless `name` is 1-80 characters none of which AWS
/// refuses in a name (whitespace, brackets, wildcards, control characters,
/// and `"#%\^|~`$&,;:/`).
void check_name(std::string_view name);

/// `arn:aws:states:REGION:ACCOUNT:KIND:PARTS`.
std::string states_arn(std::string_view region, std::string_view account, std::string_view kind,
                       std::string_view parts);

}  // namespace stepsim::server
