// A flag set with __atomic_store_n by one thread and cleared with a plain
// store by another: racy; the fix-it makes the clear an atomic store.
// RUN: %python %tools/prove_fixit.py --threadlint=%threadlint --clangxx=%clangxx \
// RUN:   --check=threadlint-mixed-atomic-access --expect=race %s %t | FileCheck %s
// CHECK: before: ThreadSanitizer reports a data race
// CHECK: after: clean under ThreadSanitizer, exit 0

#include <thread>

int pending;

void raise() {
  for (int i = 0; i < 10000; ++i)
    __atomic_store_n(&pending, 1, __ATOMIC_RELEASE);
}

void clear() {
  pending = 0; // PROVE-FIX: __atomic_store_n(&pending, 0, __ATOMIC_SEQ_CST);
}

int main() {
  std::thread a(raise);
  std::thread b([] {
    for (int i = 0; i < 10000; ++i)
      clear();
  });
  a.join();
  b.join();
  return 0;
}
