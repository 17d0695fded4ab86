#include <stepsim/json/read_file.hpp>

#include <fmt/format.h>

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace stepsim::json {

namespace {

constexpr std::size_t MiB = std::size_t(1) << 20;

std::string size_text(std::size_t bytes) {
  if (bytes % (MiB << 10) == 0) return fmt::format("{} GiB", bytes / (MiB << 10));
  return fmt::format("{} MiB", bytes / MiB);
}

/// "a definition file", "an input file".
std::string a_file_of(file_kind k) {
  return fmt::format("{} {} file", k == file_kind::input || k == file_kind::aws_export ? "an" : "a", to_string(k));
}

/// Closes the descriptor on every path out.
struct descriptor {
  int fd;
  ~descriptor() {
    if (fd >= 0) ::close(fd);
  }
};

}  // namespace

std::size_t max_file_bytes(file_kind k) noexcept {
  switch (k) {
    case file_kind::definition: return 4 * MiB;
    case file_kind::input: return 4 * MiB;
    case file_kind::study: return 4 * MiB;
    case file_kind::trace: return 256 * MiB;
    case file_kind::aws_export: return 1024 * MiB;
    case file_kind::logs: return 1024 * MiB;
    case file_kind::mock: return 4 * MiB;
  }
  return 4 * MiB;
}

char const* to_string(file_kind k) noexcept {
  switch (k) {
    case file_kind::definition: return "definition";
    case file_kind::input: return "input";
    case file_kind::study: return "study";
    case file_kind::trace: return "trace";
    case file_kind::aws_export: return "AWS export";
    case file_kind::logs: return "logs";
    case file_kind::mock: return "mock";
  }
  return "?";
}

std::optional<std::string> read_file(std::string const& path, file_kind kind, std::string& error) {
  descriptor f{::open(path.c_str(), O_RDONLY | O_CLOEXEC)};
  if (f.fd < 0) {
    error = fmt::format("cannot open '{}': {}", path, std::strerror(errno));
    return std::nullopt;
  }
  auto const bound = max_file_bytes(kind);
  auto too_large = [&] {
    error = fmt::format("'{}' is larger than {}, the most stepsim reads from {}", path, size_text(bound),
                        a_file_of(kind));
    return std::nullopt;
  };
  struct stat st {};
  if (::fstat(f.fd, &st) == 0) {
    if (S_ISDIR(st.st_mode)) {
      error = fmt::format("'{}' is a directory, not {}", path, a_file_of(kind));
      return std::nullopt;
    }
    if (S_ISREG(st.st_mode) && static_cast<std::size_t>(st.st_size) > bound) return too_large();
  }
  std::string text;
  if (S_ISREG(st.st_mode)) text.reserve(static_cast<std::size_t>(st.st_size));
  char buf[65536];
  for (;;) {
    auto n = ::read(f.fd, buf, sizeof buf);
    if (n < 0) {
      if (errno == EINTR) continue;
      error = fmt::format("cannot read '{}': {}", path, std::strerror(errno));
      return std::nullopt;
    }
    if (n == 0) break;
    // Checked while reading: a device or pipe has no size to check first.
    if (text.size() + static_cast<std::size_t>(n) > bound) return too_large();
    text.append(buf, static_cast<std::size_t>(n));
  }
  return text;
}

}  // namespace stepsim::json
