// `a.store(a.load() + x)` from four threads loses updates; after the
// fix-it (`a.fetch_add(x)`) the total is exact.
// RUN: %python %tools/prove_fixit.py --threadlint=%threadlint --clangxx=%clangxx \
// RUN:   --check=threadlint-non-atomic-rmw --expect=exact %s %t | FileCheck %s
// CHECK: after: clean under ThreadSanitizer, exit 0

#include <atomic>
#include <thread>
#include <vector>

std::atomic<unsigned long> bytes{0};

void account(unsigned long n) {
  for (int i = 0; i < 20000; ++i)
    bytes.store(bytes.load() + n); // PROVE-FIX: bytes.fetch_add(n);
}

int main() {
  std::vector<std::thread> threads;
  for (unsigned long t = 1; t <= 4; ++t)
    threads.emplace_back(account, t);
  for (auto &t : threads)
    t.join();
  return bytes.load() == 20000ul * (1 + 2 + 3 + 4) ? 0 : 1;
}
