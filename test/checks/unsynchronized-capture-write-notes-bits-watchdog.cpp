// RUN: %check_threadlint %s threadlint-unsynchronized-capture-write %t -- -- -std=c++17 -pthread
// Notes of the bit-container and watchdog findings.

#include <atomic>
#include <string>
#include <thread>
#include <vector>

void markAll(int n) {
  std::vector<bool> done(n);
  std::vector<std::thread> workers;
  for (int i = 0; i < n; ++i)
    workers.emplace_back([&done, i] { done[i] = true; });
  // CHECK-NOTES: :[[@LINE-1]]:39: warning: unsynchronized write to an element of 'done', captured by reference: several instances of this task run at once, and the elements of a std::vector<bool> are bits that share storage words, so writes to different elements race; protect it with a lock, or give each element its own byte (e.g. std::vector<char>)
  // CHECK-NOTES: :[[@LINE-2]]:28: note: 'done' is captured by reference here
  // CHECK-NOTES: :[[@LINE-3]]:5: note: the task is spawned here, once per loop iteration
  for (auto &w : workers)
    w.join();
}

void watch(const std::vector<std::string> &items) {
  std::vector<std::string> events;
  std::atomic<bool> stop{false};
  std::thread watchdog([&] {
    while (!stop)
      events.push_back("tick");
  });
  for (const auto &item : items)
    events.push_back(item);
  stop = true;
  watchdog.join();
  // CHECK-NOTES: :[[@LINE-6]]:7: warning: unsynchronized write to 'events', captured by reference: the spawning function uses it before joining
  // CHECK-NOTES: :[[@LINE-9]]:25: note: 'events' is captured by reference here
  // CHECK-NOTES: :[[@LINE-10]]:15: note: the task is spawned here
  // CHECK-NOTES: :[[@LINE-6]]:5: note: the spawning function uses 'events' here, before joining
}
