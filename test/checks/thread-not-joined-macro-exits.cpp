// RUN: %check_threadlint %s threadlint-thread-not-joined %t -- \
// RUN:   -config="{CheckOptions: {threadlint-thread-not-joined.ReportExitsInMacros: true}}" \
// RUN:   -- -std=c++17 -pthread
// With ReportExitsInMacros, the early return of an assertion macro counts.

#include <thread>

void work();
bool ready();

#define ASSERT_TRUE_LIKE(cond)                                                 \
  if (!(cond))                                                                 \
  return

void positiveMacroExitReported() {
  std::thread t(work);
  // CHECK-MESSAGES: :[[@LINE-1]]:15: warning: thread 't' can be destroyed while still joinable
  ASSERT_TRUE_LIKE(ready());
  t.join();
}
