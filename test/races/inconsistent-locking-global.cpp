// A global guarded by a global mutex: record() adds to g_total with g_mu
// held on the recorder thread, total() reads it bare on the reporter
// thread.
// RUN: %python %tools/prove_finding.py --threadlint=%threadlint --clangxx=%clangxx \
// RUN:   --resource-dir=%resource_dir --check=threadlint-inconsistent-locking --expect=race %s %t \
// RUN:   | FileCheck %s
// CHECK: threadlint: threadlint-inconsistent-locking at every PROVE-WARN line
// CHECK: tsan: data race reported ({{[0-9]+ reports?}}), at PROVE-WARN line {{[0-9]+}}, run finished

#include <atomic>
#include <cstdio>
#include <mutex>
#include <thread>

std::mutex g_mu;
long g_total = 0;

void record(long bytes) {
  std::lock_guard<std::mutex> lock(g_mu);
  g_total += bytes;
}

long total() {
  return g_total; // PROVE-WARN
}

int main() {
  // The recorder stays alive until the reporter has read: ThreadSanitizer
  // reuses a finished thread's slot, and a busy machine could otherwise
  // finish the recorder before the reporter starts and hide the race.
  static std::atomic<bool> seen{false};
  std::thread recorder([] {
    for (int i = 0; i < 10000; ++i)
      record(64);
    while (!seen.load())
      std::this_thread::yield();
  });
  std::thread reporter([] {
    while (total() == 0)
      std::this_thread::yield();
    std::printf("first total seen: %ld bytes\n", total());
    seen.store(true);
  });
  recorder.join();
  reporter.join();
  std::lock_guard<std::mutex> lock(g_mu);
  return g_total == 10000 * 64 ? 0 : 1;
}
