// RUN: %check_threadlint %s threadlint-skipped-done %t -- -- -std=c++20 -pthread
// The notes: where the other paths signal, and where the waiter waits.

#include <latch>
#include <thread>
#include <vector>

bool valid(int);
void process(int);

void notes(int n) {
  std::latch done(n);
  std::vector<std::thread> workers;
  for (int i = 0; i < n; ++i)
    workers.emplace_back([&done, i] {
      if (!valid(i))
        return;
      process(i);
      done.count_down();
    });
  // CHECK-NOTES: :[[@LINE-4]]:9: warning: 'return' skips 'done.count_down()'; the waiter at 'done.wait()' can hang [threadlint-skipped-done]
  // CHECK-NOTES: :[[@LINE-3]]:7: note: the other paths signal 'done' here
  // CHECK-NOTES: :[[@LINE+1]]:3: note: 'notes' waits here for the signal
  done.wait();
  for (auto &w : workers)
    w.join();
}
