#include "ingest.h"

#include <exception>

namespace demo {

Ingest::~Ingest() { stop(); }

void Ingest::start() {
  // pitfall: threadlint-exception-escapes-thread (std::stoi in parse_count throws on a bad record; nothing on the worker catches it)
  worker_ = std::thread(&Ingest::run, this);
}

void Ingest::stop() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    closed_ = true;
  }
  cv_.notify_all();
  if (worker_.joinable()) worker_.join();
}

void Ingest::push(std::string record) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    queue_.push_back(std::move(record));
  }
  cv_.notify_one();
}

long Ingest::total() {
  std::lock_guard<std::mutex> lock(mu_);
  return total_;
}

int Ingest::parse_count(const std::string& record) {
  const std::size_t eq = record.find('=');
  return std::stoi(record.substr(eq == std::string::npos ? 0 : eq + 1));
}

void Ingest::run() {
  for (;;) {
    std::string record;
    {
      std::unique_lock<std::mutex> lock(mu_);
      cv_.wait(lock, [this] { return closed_ || !queue_.empty(); });
      if (queue_.empty()) return;
      record = std::move(queue_.front());
      queue_.pop_front();
    }
    const int count = parse_count(record);
    std::lock_guard<std::mutex> lock(mu_);
    total_ += count;
  }
}

long sum_counts(const std::vector<std::string>& records) {
  long sum = 0;
  std::exception_ptr error;
  // fine: the body catches everything and hands it to the caller through 'error'
  std::thread parser([&records, &sum, &error] {
    try {
      for (const std::string& record : records) sum += Ingest::parse_count(record);
    } catch (...) {
      error = std::current_exception();
    }
  });
  parser.join();
  if (error) std::rethrow_exception(error);
  return sum;
}

} // namespace demo
