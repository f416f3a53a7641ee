#include "logger.h"

#include <chrono>

namespace demo {

namespace {
std::size_t g_lines_written = 0;
} // namespace

std::size_t lines_written() { return g_lines_written; }

Logger& Logger::instance() {
  // Never destroyed: other threads may still log while statics are torn down.
  static Logger* const logger = new Logger("threadlint_examples.log");
  return *logger;
}

Logger::Logger(const char* path) : file_(std::fopen(path, "a")) {
  flusher_ = std::thread([this] {
    // pitfall: threadlint-missing-stop (nothing ever ends this loop)
    while (true) {
      std::unique_lock<std::mutex> lock(mu_);
      cv_.wait(lock, [this] { return !pending_.empty(); });
      std::vector<std::string> batch;
      batch.swap(pending_);
      // fine: 'mu_' is released before the batch goes to the file
      lock.unlock();
      write_batch(batch);
      // pitfall: threadlint-unsynchronized-capture-write (a global the shutdown thread writes too, no lock)
      g_lines_written += batch.size();
    }
  });
}

// pitfall: threadlint-thread-not-joined ('flusher_' is neither joined nor detached: std::terminate)
Logger::~Logger() {
  if (file_ != nullptr) std::fclose(file_);
}

void Logger::write_batch(const std::vector<std::string>& batch) {
  if (file_ == nullptr) return;
  for (const auto& line : batch) std::fprintf(file_, "%s\n", line.c_str());
  std::fflush(file_);
}

void Logger::log(std::string line) {
  std::lock_guard<std::mutex> lock(mu_);
  // fine: backlog_locked() expects 'mu_' to be held and does not lock it
  if (backlog_locked() >= kMaxBacklog) return; // the flusher is stuck: drop the line
  pending_.push_back(std::move(line));
  cv_.notify_one();
}

std::size_t Logger::backlog() {
  std::lock_guard<std::mutex> lock(mu_);
  return backlog_locked();
}

void Logger::log_backlog() {
  std::lock_guard<std::mutex> lock(mu_);
  // pitfall: threadlint-double-lock (backlog() locks 'mu_' again while this thread holds it; std::mutex is not recursive)
  pending_.push_back("backlog=" + std::to_string(backlog()));
  cv_.notify_one();
}

void Logger::shutdown() {
  std::thread([this] {
    std::vector<std::string> batch;
    {
      std::lock_guard<std::mutex> lock(mu_);
      // fine: 'pending_' is written under 'mu_'
      batch.swap(pending_);
    }
    write_batch(batch);
    // pitfall: threadlint-unsynchronized-capture-write (a global the flush thread writes too, no lock)
    g_lines_written += batch.size();
  }).detach();
  // pitfall: threadlint-sleep-as-sync (returns while the detached flush may still run)
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
}

} // namespace demo
