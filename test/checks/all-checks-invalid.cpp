// Every check on half-typed code, as the editor sees it: compile errors and
// no crash, in both front ends.
// RUN: not %threadlint --checks=-*,threadlint-* %s -- -std=c++20 2>&1 | FileCheck %s
// RUN: not %clang_tidy --load=%plugin --checks=-*,threadlint-* %s -- -std=c++20 -resource-dir=%resource_dir 2>&1 | FileCheck %s
// CHECK: error:
// CHECK-NOT: Stack dump
// CHECK-NOT: PLEASE submit a bug report

#include <atomic>
#include <stop_token>
#include <thread>
#include <vector>

struct WaitGroup { void Add(int); void Wait(); };

void unfinishedThread(bool b) {
  std::thread t(undeclared_function);
  if (b)
    return
  t.join();
}

void unfinishedTask() {
  WaitGroup wg;
  std::thread([&] { wg.Add(missing); }).detach();
  wg.Wait(
}

void unfinishedLoop() {
  std::thread([] {
    while (true) {
      poll(
  }).detach();
}

class Half {
  Half() : worker_([this] { run(); }) {}
  std::thread worker_
  std::stop_source stop_;
};

void unfinishedJThread() {
  std::jthread w([](std::stop_token st) { for (;;) { st. } });
}

// Hand-offs half typed: an order that does not exist, a future of nothing.
long handedHits;
std::atomic<bool> handedDone{false};
void unfinishedHandOff() {
  std::thread t([] {
    __atomic_fetch_add(&handedHits, 1, __ATOMIC_RELAXED);
    handedDone.store(true, std::memory_order_bogus);
  });
  while (!handedDone.load(no_such_order)) {
  }
  long seen = handedHits + missing_future.get();
  t.detach();
}
