// Double-checked locking on a plain pointer (the doc's second example):
// the first check reads the pointer without the lock while another thread
// writes it under the lock. Threads start together at a barrier so they
// collide; ThreadSanitizer sees the unlocked read race with the locked
// write.
// RUN: %python %tools/prove_finding.py --threadlint=%threadlint --clangxx=%clangxx \
// RUN:   --resource-dir=%resource_dir --check=threadlint-unsafe-lazy-init --expect=race %s %t \
// RUN:   | FileCheck %s
// CHECK: threadlint: threadlint-unsafe-lazy-init at every PROVE-WARN line
// CHECK: tsan: data race reported ({{[0-9]+ reports?}}), at PROVE-WARN line {{[0-9]+}}, run finished

#include <atomic>
#include <cstdio>
#include <mutex>
#include <thread>
#include <vector>

struct Settings {
  int Retries = 3;
};

std::mutex g_mu;
Settings *g_settings = nullptr;

Settings &settings() {
  if (!g_settings) { // PROVE-WARN
    std::lock_guard<std::mutex> Lock(g_mu);
    if (!g_settings)
      g_settings = new Settings;
  }
  return *g_settings;
}

std::atomic<int> g_waiting{0};

int main() {
  const int N = 4;
  std::vector<std::thread> Workers;
  std::atomic<int> Sum{0};
  for (int I = 0; I < N; ++I)
    Workers.emplace_back([&Sum] {
      // A start barrier: every worker asks at about the same time.
      g_waiting.fetch_add(1);
      while (g_waiting.load() < N)
        std::this_thread::yield();
      Sum += settings().Retries;
    });
  for (std::thread &T : Workers)
    T.join();
  std::printf("retries summed: %d\n", Sum.load());
  return Sum.load() == 3 * N ? 0 : 1;
}
