// A field bumped through std::atomic_ref while another thread resets it
// with a plain store: racy; the fix-it makes the store atomic too.
// RUN: %python %tools/prove_fixit.py --threadlint=%threadlint --clangxx=%clangxx \
// RUN:   --check=threadlint-mixed-atomic-access --expect=race %s %t | FileCheck %s
// CHECK: before: ThreadSanitizer reports a data race
// CHECK: after: clean under ThreadSanitizer, exit 0

#include <atomic>
#include <thread>

class Stats {
public:
  void record() { std::atomic_ref<long>(dropped_).fetch_add(1); }
  void reset() {
    dropped_ = 0; // PROVE-FIX: std::atomic_ref<long>(dropped_).store(0);
  }
  long get() { return std::atomic_ref<long>(dropped_).load(); }

private:
  long dropped_ = 0;
};

int main() {
  Stats s;
  std::thread writer([&s] {
    for (int i = 0; i < 10000; ++i)
      s.record();
  });
  std::thread resetter([&s] {
    for (int i = 0; i < 10000; ++i)
      s.reset();
  });
  writer.join();
  resetter.join();
  return s.get() >= 0 ? 0 : 1;
}
