// RUN: %check_threadlint %s threadlint-add-inside-spawned-task %t -- -- -std=c++20 -pthread
// The notes: where the task starts, and where the spawner waits.

#include <atomic>
#include <thread>
#include <vector>

struct WaitGroup {
  void Add(int);
  void Done();
  void Wait();
};

void waitGroup() {
  WaitGroup wg;
  std::vector<std::thread> workers;
  for (int i = 0; i < 2; ++i) {
    workers.emplace_back([&wg] {
      wg.Add(1);
      wg.Done();
    });
  }
  // CHECK-NOTES: :[[@LINE-4]]:7: warning: 'Add' on 'wg' runs inside the spawned task, so the spawner's wait can return before it runs; call it before starting the task [threadlint-add-inside-spawned-task]
  // CHECK-NOTES: :[[@LINE-6]]:5: note: the task is started here
  // CHECK-NOTES: :[[@LINE+3]]:3: note: the spawner waits on 'wg' here
  // CHECK-FIXES: wg.Add(1);
  // CHECK-FIXES-NEXT: workers.emplace_back([&wg] {
  wg.Wait();
  for (auto &w : workers)
    w.join();
}

void pendingCounter() {
  std::atomic<long> pending{0};
  std::thread([&] {
    pending += 2;
    pending -= 2;
  }).detach();
  // CHECK-NOTES: :[[@LINE-3]]:5: warning: increment of 'pending' runs inside the spawned task, so the spawner's wait can return before it runs; increment before starting the task [threadlint-add-inside-spawned-task]
  // CHECK-NOTES: :[[@LINE-5]]:3: note: the task is started here
  // CHECK-NOTES: :[[@LINE+3]]:10: note: the spawner waits here for 'pending' to reach zero
  // CHECK-FIXES: pending += 2;
  // CHECK-FIXES-NEXT: std::thread([&] {
  while (pending != 0)
    std::this_thread::yield();
}
