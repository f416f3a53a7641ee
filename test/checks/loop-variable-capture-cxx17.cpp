// RUN: %check_threadlint %s threadlint-loop-variable-capture %t -- -- -std=c++17 -pthread
// The same rules in C++17: no std::jthread, no captured structured bindings.

#include <future>
#include <string>
#include <thread>
#include <vector>

void use(int);
void useString(const std::string &);

void positiveIndexAndCopyInOneDefaultCapture() {
  // Two variables of two loops in one [&]: one warning and one insertion
  // each; both insertions apply.
  std::vector<std::thread> workers;
  for (int i = 0; i < 4; ++i)
    for (int j = 0; j < 4; ++j)
      workers.emplace_back([&] { use(i + j); });
  // CHECK-MESSAGES: :[[@LINE-1]]:38: warning: loop variable 'i' is captured by reference to a task that may outlive the iteration [threadlint-loop-variable-capture]
  // CHECK-MESSAGES: :[[@LINE-2]]:42: warning: loop variable 'j' is captured by reference to a task that may outlive the iteration [threadlint-loop-variable-capture]
  // CHECK-FIXES: workers.emplace_back([&, i, j] { use(i + j); });
  for (auto &w : workers)
    w.join();
}

void positiveRangeCopyDetached(const std::vector<std::string> &names) {
  for (std::string name : names)
    std::thread([&name] { useString(name); }).detach();
  // CHECK-MESSAGES: :[[@LINE-1]]:19: warning: loop variable 'name' is captured by reference
  // CHECK-FIXES: std::thread([name] { useString(name); }).detach();
}

void positiveAsyncFutureKept() {
  std::vector<std::future<void>> results;
  for (int i = 0; i < 4; ++i)
    results.emplace_back(std::async(std::launch::async, [&i] { use(i); }));
  // CHECK-MESSAGES: :[[@LINE-1]]:59: warning: loop variable 'i' is captured by reference
  // CHECK-FIXES: results.emplace_back(std::async(std::launch::async, [i] { use(i); }));
  for (auto &r : results)
    r.wait();
}

void negativeJoinedInTheIteration() {
  for (int i = 0; i < 4; ++i) {
    std::thread t([&] { use(i); });
    t.join();
  }
}

void negativeCopiedIntoTheTask() {
  std::vector<std::thread> workers;
  for (int i = 0; i < 4; ++i)
    workers.emplace_back([i] { use(i); });
  for (auto &w : workers)
    w.join();
}
