// Private to stepsim::study: reading a shard's part front to back, its blobs
// (a little-endian 64-bit length, then that many bytes) seen in place.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>

namespace stepsim::study::detail {

/// The bytes of one blob: the file's pages mapped into memory when the blob
/// is large (no copy: the page cache is read in place), else read into a
/// buffer of its own. Valid while the blob lives.
class part_blob {
 public:
  part_blob() = default;
  part_blob(part_blob&& o) noexcept;
  part_blob& operator=(part_blob&&) = delete;
  ~part_blob();
  std::string_view view() const noexcept { return view_; }

 private:
  friend class part_reader;
  void* map_ = nullptr;
  std::size_t map_bytes_ = 0;
  std::string copy_;
  std::string_view view_;
};

/// One part file, read from `offset` on. Throws part_error naming the file
/// when it cannot be read or ends before a blob does.
class part_reader {
 public:
  /// `keep_open`: keep the file open between reads (else it is opened for
  /// each read, so that thousands of parts do not hold thousands of files).
  part_reader(std::filesystem::path file, std::uint64_t offset, bool keep_open);
  part_reader(part_reader&& o) noexcept;
  part_reader& operator=(part_reader&&) = delete;
  ~part_reader();

  /// The next blob.
  part_blob blob();
  /// Checks that the file ends with `trailer`, right here.
  void expect_end(std::string_view trailer);
  std::filesystem::path const& file() const noexcept { return file_; }

 private:
  int open();
  void done(int fd);
  void read_exact(char* into, std::uint64_t bytes);
  void check_left(std::uint64_t bytes) const;

  std::filesystem::path file_;
  std::uint64_t offset_ = 0, size_ = 0;
  bool keep_open_ = true;
  int fd_ = -1;
};

}  // namespace stepsim::study::detail
