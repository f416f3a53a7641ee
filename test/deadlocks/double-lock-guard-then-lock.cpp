// A guard, then lock() on the same mutex: flush() holds mu_ through its
// lock_guard and locks mu_ again by hand.
// RUN: %python %tools/prove_finding.py --threadlint=%threadlint --clangxx=%clangxx \
// RUN:   --resource-dir=%resource_dir --check=threadlint-double-lock %s %t \
// RUN:   | FileCheck %s
// CHECK: threadlint: threadlint-double-lock at every PROVE-WARN line
// CHECK: tsan: double-lock: {{reported|hung}}

#include <mutex>
#include <string>
#include <thread>

class Journal {
public:
  void append(const std::string &line) {
    std::lock_guard<std::mutex> lock(mu_);
    pending_ += line;
    pending_ += '\n';
  }

  void flush() {
    std::lock_guard<std::mutex> lock(mu_);
    if (pending_.empty())
      return;
    mu_.lock(); // PROVE-WARN
    written_ += pending_;
    pending_.clear();
    mu_.unlock();
  }

  size_t written() {
    std::lock_guard<std::mutex> lock(mu_);
    return written_.size();
  }

private:
  std::mutex mu_;
  std::string pending_;
  std::string written_;
};

int main() {
  Journal journal;
  journal.append("started");
  std::thread flusher([&journal] { journal.flush(); });
  flusher.join();
  return journal.written() > 0 ? 0 : 1;
}
