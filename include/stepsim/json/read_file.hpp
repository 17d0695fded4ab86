// stepsim::json::read_file: every file stepsim reads, read whole with a bound on its size.
#pragma once

#include <cstddef>
#include <optional>
#include <string>

namespace stepsim::json {

/// What a file holds; each kind has its own size bound (docs/limits.md).
enum class file_kind {
  definition,  ///< an ASL definition: 4 MiB (AWS's 1,048,576 characters, up to 4 bytes each in UTF-8)
  input,       ///< an execution input: 4 MiB (AWS's 256 KiB payload, with room for indentation)
  study,       ///< a study file: 4 MiB
  trace,       ///< a workload trace (CSV): 256 MiB, some millions of rows
  aws_export,  ///< AWS CLI output for `analyze`: 1 GiB, about two million executions as the CLI prints them
  logs,        ///< Lambda logs (CloudWatch export): 1 GiB
  mock,        ///< a Step Functions Local MockConfigFile: 4 MiB
};

/// The most bytes stepsim reads from a file of kind `k`.
std::size_t max_file_bytes(file_kind k) noexcept;

/// "definition", "input", "study", "trace", "AWS export", "logs", "mock".
char const* to_string(file_kind k) noexcept;

/// Reads the whole file at `path`, which may be any readable file (a pipe or
/// a device too). The size bound is checked while reading, so an endless
/// source (/dev/zero) stops at the bound. On failure returns nullopt and sets
/// `error`, naming the file:
///   "cannot open 'f': No such file or directory"
///   "'d' is a directory, not a definition file"
///   "'f' is larger than 4 MiB, the most stepsim reads from a definition file"
///   "cannot read 'f': Input/output error"
std::optional<std::string> read_file(std::string const& path, file_kind kind, std::string& error);

}  // namespace stepsim::json
