// Four threads add to an atomic counter with `c = c + 1`: updates can be
// lost (ThreadSanitizer cannot see it: every access is atomic). After the
// fix-it (`c += 1`) the count is exact.
// RUN: %python %tools/prove_fixit.py --threadlint=%threadlint --clangxx=%clangxx \
// RUN:   --check=threadlint-non-atomic-rmw --expect=exact %s %t | FileCheck %s
// CHECK: after: clean under ThreadSanitizer, exit 0

#include <atomic>
#include <thread>
#include <vector>

std::atomic<long> counter{0};

void add() {
  for (int i = 0; i < 20000; ++i)
    counter = counter + 1; // PROVE-FIX: counter += 1;
}

int main() {
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t)
    threads.emplace_back(add);
  for (auto &t : threads)
    t.join();
  return counter.load() == 4 * 20000 ? 0 : 1;
}
