// Eight threads race to claim a one-shot job with `if (!claimed) claimed =
// true;`: two can both win. After the fix-it (`exchange(true)`) exactly one
// thread wins, round after round.
// RUN: %python %tools/prove_fixit.py --threadlint=%threadlint --clangxx=%clangxx \
// RUN:   --check=threadlint-non-atomic-rmw --expect=exact %s %t | FileCheck %s
// CHECK: after: clean under ThreadSanitizer, exit 0

#include <atomic>
#include <thread>
#include <vector>

std::atomic<bool> claimed{false};
std::atomic<int> winners{0};

void tryClaim() {
  if (!claimed) { // PROVE-FIX: if (!claimed.exchange(true)) {
    claimed = true;
    winners.fetch_add(1);
  }
}

int main() {
  for (int round = 0; round < 200; ++round) {
    claimed.store(false);
    winners.store(0);
    std::vector<std::thread> threads;
    for (int t = 0; t < 8; ++t)
      threads.emplace_back(tryClaim);
    for (auto &t : threads)
      t.join();
    if (winners.load() != 1)
      return 1;
  }
  return 0;
}
