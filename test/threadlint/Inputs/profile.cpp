// Input of the threadlint driver tests: one pitfall of the profile's built-in
// checks, one of threadlint's own.
#include <algorithm>
#include <future>
#include <mutex>
#include <thread>
#include <vector>

void use(int);
std::mutex m;

void discardedAsync() {
  // The future is destroyed at once: this waits, it does not run in parallel.
  std::async(std::launch::async, [] { use(1); });
}

void unnamedGuard() {
  std::lock_guard<std::mutex>{m};
  use(2);
}

void notConcurrency(std::vector<int> &v) {
  // The profile narrows bugprone-unused-return-value to std::async.
  std::remove(v.begin(), v.end(), 3);
}

void loopCapture() {
  std::vector<std::thread> workers;
  for (int i = 0; i < 4; ++i)
    workers.emplace_back([&] { use(i); });
  for (auto &w : workers)
    w.join();
}
