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
  std::size_t backlog(); // lines queued, not yet written
  void log_backlog();    // queues a line that reports the backlog
  void shutdown();       // writes what is still queued

private:
  static constexpr std::size_t kMaxBacklog = 10000; // past it, log() drops lines
  explicit Logger(const char* path);
  void write_batch(const std::vector<std::string>& batch);
  std::size_t backlog_locked() const { return pending_.size(); } // 'mu_' must be held

  std::FILE* file_; // stdio locks the stream on each call
  std::mutex mu_;   // guards pending_
  std::condition_variable cv_;
  std::vector<std::string> pending_;
  std::thread flusher_;
};

std::size_t lines_written(); // lines written to the log file so far

} // namespace demo
