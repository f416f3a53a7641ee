#pragma once

#include <condition_variable>
#include <cstddef>
#include <cstdio>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace demo {

// Appends lines to a file: log() queues them, a background thread writes.
class Logger {
public:
  static Logger& instance();
  ~Logger();
  void log(std::string line);
  void shutdown(); // writes what is still queued

private:
  explicit Logger(const char* path);
  void write_batch(const std::vector<std::string>& batch);

  std::FILE* file_; // stdio locks the stream on each call
  std::mutex mu_;   // guards pending_
  std::condition_variable cv_;
  std::vector<std::string> pending_;
  std::thread flusher_;
};

std::size_t lines_written(); // lines written to the log file so far

} // namespace demo
