// A total bumped through std::atomic_ref while a monitor reads it plainly:
// racy; the fix-it reads it through std::atomic_ref too.
// RUN: %python %tools/prove_fixit.py --threadlint=%threadlint --clangxx=%clangxx \
// RUN:   --check=threadlint-mixed-atomic-access --expect=race %s %t | FileCheck %s
// CHECK: before: ThreadSanitizer reports a data race
// CHECK: after: clean under ThreadSanitizer, exit 0

#include <atomic>
#include <thread>

long total;

void add() {
  for (int i = 0; i < 10000; ++i)
    std::atomic_ref<long>(total).fetch_add(1);
}

long snapshot() {
  return total; // PROVE-FIX: return std::atomic_ref<long>(total).load();
}

int main() {
  std::thread a(add);
  long last = 0;
  std::thread monitor([&last] {
    for (int i = 0; i < 10000; ++i)
      last = snapshot();
  });
  a.join();
  monitor.join();
  return last >= 0 && std::atomic_ref<long>(total).load() == 10000 ? 0 : 1;
}
