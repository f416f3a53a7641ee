// With Verbose, a check that asks the concurrency model says, as remarks,
// which methods the model took for spawn functions and where its bounds cut
// the search for what the work calls. Without it, nothing is said.
// RUN: %threadlint --checks=-*,threadlint-add-inside-spawned-task %s \
// RUN:   -config="{CheckOptions: {threadlint-add-inside-spawned-task.Verbose: true, threadlint-add-inside-spawned-task.MaxEntryDepth: 1}}" \
// RUN:   -- -std=c++17 -pthread 2>&1 | FileCheck %s --implicit-check-not=remark: --implicit-check-not=warning:
// RUN: %clang_tidy --load=%plugin --checks=-*,threadlint-add-inside-spawned-task %s \
// RUN:   -config="{CheckOptions: {threadlint-add-inside-spawned-task.Verbose: true, threadlint-add-inside-spawned-task.MaxEntryDepth: 1}}" \
// RUN:   -- -std=c++17 -pthread -resource-dir=%resource_dir 2>&1 | FileCheck %s --implicit-check-not=remark: --implicit-check-not=warning:
//
// The same through mixed-atomic-access, which asks the model only when a
// variable is accessed both atomically and plainly (here: `hits`):
// RUN: %threadlint --checks=-*,threadlint-mixed-atomic-access %s \
// RUN:   -config="{CheckOptions: {threadlint-mixed-atomic-access.Verbose: true, threadlint-mixed-atomic-access.MaxEntryDepth: 1}}" \
// RUN:   -- -std=c++17 -pthread 2>&1 | FileCheck %s --check-prefix=MIXED --implicit-check-not=remark:
//
// Without Verbose (the default), no remark:
// RUN: %threadlint --checks=-*,threadlint-add-inside-spawned-task %s \
// RUN:   -config="{CheckOptions: {threadlint-add-inside-spawned-task.MaxEntryDepth: 1}}" \
// RUN:   -- -std=c++17 -pthread 2>&1 | FileCheck %s --allow-empty --check-prefix=QUIET --implicit-check-not=remark:
// QUIET-NOT: remark:

#include <deque>
#include <functional>
#include <mutex>
#include <thread>

class Executor {
public:
  // The executor's own thread: drainQueue() calls beyond depth 1 too.
  // CHECK: :[[@LINE+2]]:26: remark: the search for the functions this work calls stopped
  // MIXED: :[[@LINE+1]]:26: remark: the search for the functions this work calls stopped
  Executor() { worker_ = std::thread([this] { drainQueue(); }); }
  ~Executor() { worker_.join(); }
  // CHECK: :[[@LINE+2]]:8: remark: 'post' is taken for a spawn function: it stores its callable argument in 'queue_', which a thread of its class takes from and calls [threadlint-add-inside-spawned-task]
  // MIXED: :[[@LINE+1]]:8: remark: 'post' is taken for a spawn function
  void post(std::function<void()> task) {
    std::lock_guard<std::mutex> lock(mu_);
    queue_.push_back(std::move(task));
  }

private:
  void drainQueue() {
    for (;;) {
      std::function<void()> task;
      {
        std::lock_guard<std::mutex> lock(mu_);
        if (queue_.empty())
          return;
        task = std::move(queue_.front());
        queue_.pop_front();
      }
      task();
    }
  }
  std::mutex mu_;
  std::deque<std::function<void()>> queue_;
  std::thread worker_;
};

void leaf();
void middle() { leaf(); }
void top() { middle(); }

int hits;

void run() {
  // The work calls top(), which calls middle(): beyond MaxEntryDepth 1.
  // CHECK: :[[@LINE+2]]:15: remark: the search for the functions this work calls stopped at MaxEntryDepth (1) or MaxEntryFunctions (300): what it calls beyond them is not taken to run on its thread [threadlint-add-inside-spawned-task]
  // MIXED: :[[@LINE+1]]:15: remark: the search for the functions this work calls stopped
  std::thread t([] {
    top();
    __atomic_fetch_add(&hits, 1, __ATOMIC_RELAXED);
  });
  t.join();
  hits = 0;
}
