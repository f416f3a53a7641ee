// RUN: %check_threadlint %s threadlint-loop-variable-capture %t -- -- -std=c++20 -pthread
// Every note: where the variable is declared and why it is per-iteration or
// shared, and where the task starts and why it outlives the iteration.

#include <future>
#include <string>
#include <thread>
#include <vector>

void use(int);

class ThreadPool {
public:
  template <class F> std::future<void> enqueue(F &&f) {
    return std::async(std::launch::deferred, static_cast<F &&>(f));
  }
};

void sharedIndexKeptInContainer() {
  std::vector<std::thread> workers;
  for (int i = 0; i < 4; ++i)
    workers.emplace_back([&i] { use(i); });
  // CHECK-NOTES: :[[@LINE-1]]:28: warning: loop variable 'i' is captured by reference to a task that may outlive the iteration [threadlint-loop-variable-capture]
  // CHECK-NOTES: :[[@LINE-3]]:12: note: 'i' is one object shared by every iteration; the loop changes it while the task may still use it
  // CHECK-NOTES: :[[@LINE-3]]:5: note: the task starts here and is kept in 'workers', which outlives the iteration
  // CHECK-FIXES: workers.emplace_back([i] { use(i); });
  for (auto &w : workers)
    w.join();
}

void rangeCopyDetached(const std::vector<int> &values) {
  for (auto v : values)
    std::thread([&v] { use(v); }).detach();
  // CHECK-NOTES: :[[@LINE-1]]:19: warning: loop variable 'v' is captured by reference
  // CHECK-NOTES: :[[@LINE-3]]:13: note: 'v' is a copy made for each iteration and destroyed at its end
  // CHECK-NOTES: :[[@LINE-3]]:5: note: the task starts here and is detached
  // CHECK-FIXES: std::thread([v] { use(v); }).detach();
}

void bodyLocalHandedToPool(ThreadPool &pool) {
  for (int i = 0; i < 4; ++i) {
    int square = i * i;
    pool.enqueue([&square] { use(square); });
    // CHECK-NOTES: :[[@LINE-1]]:20: warning: 'square', declared in the loop body, is captured by reference
    // CHECK-NOTES: :[[@LINE-3]]:9: note: 'square' is destroyed at the end of each iteration
    // CHECK-NOTES: :[[@LINE-3]]:5: note: the task starts here and is handed to 'enqueue', which may run it after the iteration
    // CHECK-FIXES: pool.enqueue([square] { use(square); });
  }
}

std::thread returnedFromTheLoop(const std::vector<int> &values) {
  for (auto v : values)
    if (v > 0)
      return std::thread([&v] { use(v); });
  // CHECK-NOTES: :[[@LINE-1]]:28: warning: loop variable 'v' is captured by reference
  // CHECK-NOTES: :[[@LINE-4]]:13: note: 'v' is a copy made for each iteration and destroyed at its end
  // CHECK-NOTES: :[[@LINE-3]]:14: note: the task starts here and is returned from the function
  // CHECK-FIXES: return std::thread([v] { use(v); });
  return std::thread();
}
