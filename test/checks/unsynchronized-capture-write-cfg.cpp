// RUN: %check_threadlint %s threadlint-unsynchronized-capture-write %t -- -- -std=c++20 -pthread
// Whether the spawning function waited for the work before a use, and
// whether one task still runs when another starts, is the concurrency
// model's answer on the spawner's control-flow graph (not source order): a
// join on one branch does not order a use on another, and a spawn that
// cannot follow another does not overlap it.

#include <functional>
#include <future>
#include <thread>
#include <vector>

int compute(int);
void use(int);

// A task handed to a pool that the function waits for: a use before the
// pool's wait races with the task.
class ThreadPool {
public:
  void enqueue(std::function<void()> task);
  void wait();
};

int positiveUseBeforeThePoolsWait(ThreadPool &pool) {
  int result = 0;
  pool.enqueue([&result] { result = compute(1); });
  // CHECK-MESSAGES: :[[@LINE-1]]:28: warning: unsynchronized write to 'result', captured by reference: the spawning function uses it before joining
  use(result);
  pool.wait();
  return result;
}

// Two tasks: the first is joined only on the branch that does
// not start the second.
void positiveSecondTaskStartsWhileTheFirstRuns(bool quick) {
  int shared = 0;
  std::thread first([&shared] { shared = compute(1); });
  // CHECK-MESSAGES: :[[@LINE-1]]:33: warning: unsynchronized write to 'shared', captured by reference: another spawned task writes it too
  if (quick) {
    first.join();
    return;
  }
  std::thread second([&shared] { shared = compute(2); });
  // CHECK-MESSAGES: :[[@LINE-1]]:34: warning: unsynchronized write to 'shared', captured by reference: another spawned task writes it too
  second.join();
  first.join();
}

// --- Negatives ---------------------------------------------------------------

// Every path to the use passes the join, though a use is written (in
// another branch) above a join.
int negativeJoinedOnEveryPathBeforeUse(bool fast) {
  int result = 0;
  std::thread t([&result] { result = compute(1); });
  if (fast) {
    t.join();
  } else {
    t.join();
  }
  return result;
}

// Two tasks on exclusive branches never run together.
void negativeTasksOnExclusiveBranches(bool which) {
  int shared = 0;
  if (which) {
    std::thread a([&shared] { shared = compute(1); });
    a.join();
    use(shared);
    return;
  }
  std::thread b([&shared] { shared = compute(2); });
  b.join();
  use(shared);
}

// The first task is joined on every path to the second spawn.
void negativeFirstJoinedBeforeTheSecondStarts(bool log) {
  int shared = 0;
  std::thread first([&shared] { shared = compute(1); });
  if (log)
    use(0);
  first.join();
  std::thread second([&shared] { shared = compute(2); });
  second.join();
}

// The pool's wait on every path before the use.
int negativeUseAfterThePoolsWait(ThreadPool &pool, bool log) {
  int result = 0;
  pool.enqueue([&result] { result = compute(1); });
  if (log)
    use(0);
  pool.wait();
  return result;
}

// A future's get on every path before the use.
int negativeFutureGetBeforeUse() {
  int result = 0;
  auto f = std::async(std::launch::async, [&result] { result = compute(3); });
  f.get();
  return result;
}
