// A part's blobs, mapped rather than read: merge reads every byte of every
// part once, and most of them (the executions.csv rows) go straight out again.
#include "study/part_reader.hpp"

#include <stepsim/study/part.hpp>

#include <fmt/format.h>

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <utility>

namespace stepsim::study::detail {

namespace {

/// Below this, a blob is read into a buffer: mapping costs more than copying.
constexpr std::uint64_t map_from_bytes = 64 * 1024;

}  // namespace

part_blob::part_blob(part_blob&& o) noexcept
    : map_(std::exchange(o.map_, nullptr)), map_bytes_(std::exchange(o.map_bytes_, 0)), copy_(std::move(o.copy_)),
      view_(map_ ? std::exchange(o.view_, {}) : std::string_view(copy_.data(), o.view_.size())) {
  o.view_ = {};
}

part_blob::~part_blob() {
  if (map_) ::munmap(map_, map_bytes_);
}

part_reader::part_reader(std::filesystem::path file, std::uint64_t offset, bool keep_open)
    : file_(std::move(file)), offset_(offset), keep_open_(keep_open) {
  int fd = open();
  struct stat st {};
  if (::fstat(fd, &st) != 0) {
    auto why = std::strerror(errno);
    ::close(fd);
    fd_ = -1;
    throw part_error(fmt::format("cannot read '{}': {}", file_.string(), why));
  }
  size_ = std::uint64_t(st.st_size);
  done(fd);
}

part_reader::part_reader(part_reader&& o) noexcept
    : file_(std::move(o.file_)), offset_(o.offset_), size_(o.size_), keep_open_(o.keep_open_),
      fd_(std::exchange(o.fd_, -1)) {}

part_reader::~part_reader() {
  if (fd_ >= 0) ::close(fd_);
}

int part_reader::open() {
  if (fd_ >= 0) return fd_;
  fd_ = ::open(file_.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd_ < 0) throw part_error(fmt::format("cannot read '{}': {}", file_.string(), std::strerror(errno)));
  return fd_;
}

void part_reader::done(int fd) {
  if (!keep_open_) {
    ::close(fd);
    fd_ = -1;
  }
}

void part_reader::check_left(std::uint64_t bytes) const {
  if (bytes > size_ - std::min(size_, offset_))
    throw part_error(fmt::format("'{}' ends too soon (byte {}): the part is cut short", file_.string(), size_));
}

void part_reader::read_exact(char* into, std::uint64_t bytes) {
  check_left(bytes);
  int fd = open();
  for (std::uint64_t got = 0; got < bytes;) {
    auto n = ::pread(fd, into + got, std::size_t(bytes - got), off_t(offset_ + got));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      auto why = n < 0 ? std::string(std::strerror(errno)) : std::string("it ends too soon");
      done(fd);
      throw part_error(fmt::format("cannot read '{}': {}", file_.string(), why));
    }
    got += std::uint64_t(n);
  }
  offset_ += bytes;
  done(fd);
}

part_blob part_reader::blob() {
  unsigned char length_bytes[8];
  read_exact(reinterpret_cast<char*>(length_bytes), 8);
  std::uint64_t length = 0;
  for (int b = 0; b < 8; ++b) length |= std::uint64_t(length_bytes[b]) << (8 * b);
  check_left(length);
  part_blob out;
  if (length >= map_from_bytes) {
    static auto const page = std::uint64_t(::sysconf(_SC_PAGESIZE));
    auto from = offset_ - offset_ % page;
    auto bytes = std::size_t(offset_ + length - from);
    int fd = open();
    void* at = ::mmap(nullptr, bytes, PROT_READ, MAP_PRIVATE | MAP_POPULATE, fd, off_t(from));
    struct stat st {};
    // A file cut short since it was opened would fault when read: check it still holds the blob.
    bool whole = at != MAP_FAILED && ::fstat(fd, &st) == 0 && std::uint64_t(st.st_size) >= offset_ + length;
    done(fd);
    if (whole) {
      out.map_ = at;
      out.map_bytes_ = bytes;
      out.view_ = std::string_view(static_cast<char const*>(at) + (offset_ - from), std::size_t(length));
      offset_ += length;
      return out;
    }
    if (at != MAP_FAILED) ::munmap(at, bytes);  // then read it, which says what is wrong
  }
  out.copy_.resize(std::size_t(length));
  read_exact(out.copy_.data(), length);
  out.view_ = out.copy_;
  return out;
}

void part_reader::expect_end(std::string_view trailer) {
  std::string end(trailer.size(), '\0');
  read_exact(end.data(), end.size());
  if (end != trailer || offset_ != size_)
    throw part_error(fmt::format("'{}' does not end where its last run does: the part is damaged", file_.string()));
}

}  // namespace stepsim::study::detail
