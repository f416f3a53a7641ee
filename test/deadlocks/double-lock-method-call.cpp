// A locking method calling another locking method of the same object:
// add() holds mu_ and calls size(), which locks mu_ again. A std::mutex is
// not recursive: the thread waits for itself forever.
// RUN: %python %tools/prove_finding.py --threadlint=%threadlint --clangxx=%clangxx \
// RUN:   --resource-dir=%resource_dir --check=threadlint-double-lock %s %t \
// RUN:   | FileCheck %s
// CHECK: threadlint: threadlint-double-lock at every PROVE-WARN line
// CHECK: tsan: double-lock: {{reported|hung}}

#include <cstddef>
#include <mutex>
#include <thread>
#include <vector>

class Inbox {
public:
  size_t size() {
    std::lock_guard<std::mutex> lock(mu_);
    return messages_.size();
  }

  bool add(int message) {
    std::lock_guard<std::mutex> lock(mu_);
    if (size() >= kCapacity) // PROVE-WARN
      return false;
    messages_.push_back(message);
    return true;
  }

private:
  static constexpr size_t kCapacity = 16;
  std::mutex mu_;
  std::vector<int> messages_;
};

int main() {
  Inbox inbox;
  std::thread producer([&inbox] { inbox.add(1); });
  producer.join();
  return inbox.size() == 1 ? 0 : 1;
}
