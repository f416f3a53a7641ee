// A counter bumped with __atomic_fetch_add by two threads while a third
// polls it with a plain read: racy; the fix-it makes the read atomic.
// RUN: %python %tools/prove_fixit.py --threadlint=%threadlint --clangxx=%clangxx \
// RUN:   --check=threadlint-mixed-atomic-access --expect=race %s %t | FileCheck %s
// CHECK: before: ThreadSanitizer reports a data race
// CHECK: after: clean under ThreadSanitizer, exit 0

#include <thread>

long hits;

void work() {
  for (int i = 0; i < 10000; ++i)
    __atomic_fetch_add(&hits, 1, __ATOMIC_RELAXED);
}

long peek() {
  return hits; // PROVE-FIX: return __atomic_load_n(&hits, __ATOMIC_SEQ_CST);
}

int main() {
  std::thread a(work), b(work);
  long seen = 0;
  std::thread reader([&seen] {
    for (int i = 0; i < 10000; ++i)
      seen += peek() >= 0 ? 1 : 0;
  });
  a.join();
  b.join();
  reader.join();
  return seen == 10000 && __atomic_load_n(&hits, __ATOMIC_SEQ_CST) == 20000 ? 0 : 1;
}
