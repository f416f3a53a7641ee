// RUN: %check_threadlint %s threadlint-unsynchronized-capture-write %t -- -- -std=c++17 -pthread

#include <thread>
#include <vector>

int sum(int n) {
  int total = 0;
  std::vector<std::thread> workers;
  for (int i = 0; i < n; ++i)
    workers.emplace_back([&, i] { total += i; });
  // CHECK-NOTES: :[[@LINE-1]]:35: warning: unsynchronized write to 'total', captured by reference: several instances of this task run at once
  // CHECK-NOTES: :[[@LINE-2]]:27: note: 'total' is captured by reference here
  // CHECK-NOTES: :[[@LINE-3]]:5: note: the task is spawned here, once per loop iteration
  for (auto &w : workers)
    w.join();
  return total;
}

int peek() {
  int value = 0;
  std::thread t([&value] { value = 7; });
  int seen = value;
  t.join();
  return seen;
  // CHECK-NOTES: :[[@LINE-4]]:28: warning: unsynchronized write to 'value', captured by reference: the spawning function uses it before joining
  // CHECK-NOTES: :[[@LINE-5]]:19: note: 'value' is captured by reference here
  // CHECK-NOTES: :[[@LINE-6]]:15: note: the task is spawned here
  // CHECK-NOTES: :[[@LINE-6]]:14: note: the spawning function uses 'value' here, before joining
}

long lines;
struct Logger {
  Logger() : flusher_([] { ++lines; }) {}
  void shutdown() {
    std::thread([] { lines = 0; }).detach();
  }
  std::thread flusher_;
};
// CHECK-NOTES: :[[@LINE-6]]:28: warning: unsynchronized write to 'lines', a global: another spawned task writes it too
// CHECK-NOTES: :[[@LINE-7]]:14: note: the task is spawned here
// CHECK-NOTES: :[[@LINE-6]]:5: note: another task that writes 'lines' is spawned here
// CHECK-NOTES: :[[@LINE-7]]:22: warning: unsynchronized write to 'lines', a global: another spawned task writes it too
// CHECK-NOTES: :[[@LINE-8]]:5: note: the task is spawned here
// CHECK-NOTES: :[[@LINE-11]]:14: note: another task that writes 'lines' is spawned here
