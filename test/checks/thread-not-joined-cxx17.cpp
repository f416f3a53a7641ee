// RUN: %check_threadlint %s threadlint-thread-not-joined %t -- -- -std=c++17 -pthread
// C++17 has no std::jthread: the same warnings, no fix-it.

#include <thread>

void work();

int positiveEarlyReturn(bool fail) {
  std::thread t(work);
  // CHECK-MESSAGES: :[[@LINE-1]]:15: warning: thread 't' can be destroyed while still joinable, which calls std::terminate [threadlint-thread-not-joined]
  // CHECK-FIXES: std::thread t(work);
  if (fail)
    return -1;
  t.join();
  return 0;
}
