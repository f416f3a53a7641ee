// RUN: %check_threadlint %s threadlint-unsynchronized-capture-write %t -- -- -std=c++20 -pthread
// Only real synchronisation stops the check from judging a write or a use:
// a join of a thread, a wait for work, a wait that another thread ends. A
// function that merely has "join" in its name (a string join) or a file
// call (fclose, fprintf, fflush) orders nothing.

#include <atomic>
#include <condition_variable>
#include <cstdio>
#include <future>
#include <latch>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

// A string-join helper, as many projects have.
std::string join(const std::vector<std::string> &parts, const char *sep);
struct Joiner {
  std::string join(const std::vector<std::string> &parts) const;
};
// A helper that really joins threads.
void joinAll(std::vector<std::thread> &threads);
// A project's own thread class.
class WorkerThread {
public:
  explicit WorkerThread(void (*entry)());
  void join();
};
void idle();

// ------------------------------------- the spawning function: free function

int positiveStringJoinBeforeUse(const std::vector<std::string> &parts) {
  int result = 0;
  std::thread t([&result] { result = 42; });
  // CHECK-MESSAGES: :[[@LINE-1]]:29: warning: unsynchronized write to 'result', captured by reference: the spawning function uses it before joining; protect it with a lock, make it atomic, or give each task its own [threadlint-unsynchronized-capture-write]
  std::string line = join(parts, ",");
  int early = result;
  t.join();
  return early + static_cast<int>(line.size());
}

int positiveMemberStringJoinBeforeUse(const Joiner &joiner,
                                      const std::vector<std::string> &parts) {
  int result = 0;
  std::thread t([&result] { result = 42; });
  // CHECK-MESSAGES: :[[@LINE-1]]:29: warning: unsynchronized write to 'result', captured by reference: the spawning function uses it before joining
  std::string line = joiner.join(parts);
  int early = result;
  t.join();
  return early + static_cast<int>(line.size());
}

int positiveFcloseBeforeUse(FILE *f) {
  int result = 0;
  std::thread t([&result] { result = 42; });
  // CHECK-MESSAGES: :[[@LINE-1]]:29: warning: unsynchronized write to 'result', captured by reference: the spawning function uses it before joining
  fclose(f);
  int early = result;
  t.join();
  return early;
}

int positiveLogLineBeforeUse(FILE *log) {
  int result = 0;
  std::thread t([&result] { result = 42; });
  // CHECK-MESSAGES: :[[@LINE-1]]:29: warning: unsynchronized write to 'result', captured by reference: the spawning function uses it before joining
  fprintf(log, "started\n");
  fflush(log);
  int early = result;
  t.join();
  return early;
}

// An atomic store signals; it does not wait for the task.
int positiveAtomicStoreBeforeUse() {
  int result = 0;
  std::atomic<bool> started{false};
  std::thread t([&result] { result = 42; });
  // CHECK-MESSAGES: :[[@LINE-1]]:29: warning: unsynchronized write to 'result', captured by reference: the spawning function uses it before joining
  started.store(true);
  int early = result;
  t.join();
  return early;
}

int negativeThreadJoinedBeforeUse(const std::vector<std::string> &parts) {
  int result = 0;
  std::thread t([&result] { result = 42; });
  std::string line = join(parts, ",");
  t.join();
  return result + static_cast<int>(line.size());
}

// Joining another thread may wait for this one: not judged.
int negativeOtherThreadJoinedBeforeUse(std::thread &other) {
  int result = 0;
  std::thread t([&result] { result = 42; });
  other.join();
  int seen = result;
  t.join();
  return seen;
}

// A helper that joins a container of threads is a real join.
int negativeJoinHelperTakingThreads(std::vector<std::thread> &pool) {
  int result = 0;
  std::thread t([&result] { result = 42; });
  joinAll(pool);
  int seen = result;
  t.join();
  return seen;
}

// A project's thread class: its join is a join.
int negativeProjectThreadJoined() {
  int result = 0;
  std::thread t([&result] { result = 42; });
  WorkerThread helper(idle);
  helper.join();
  int seen = result;
  t.join();
  return seen;
}

// Project helpers named for joining that take no strings: real joins.
struct Env {
  void WaitForJoin();
};
struct Workers {
  void JoinAll(bool waitForQueue);
};
int negativeEnvWaitForJoin(Env &env) {
  int result = 0;
  std::thread t([&result] { result = 42; });
  env.WaitForJoin();
  int seen = result;
  t.join();
  return seen;
}

int negativePoolJoinAll(Workers &workers) {
  int result = 0;
  std::thread t([&result] { result = 42; });
  workers.JoinAll(true);
  int seen = result;
  t.join();
  return seen;
}

// Waiting on a future, a latch or a condition variable before the use.
int negativeFutureWaitedBeforeUse(std::future<void> &ready) {
  int result = 0;
  std::thread t([&result] { result = 42; });
  ready.get();
  int seen = result;
  t.join();
  return seen;
}

int negativeLatchWaitedBeforeUse() {
  int result = 0;
  std::latch done(1);
  std::thread t([&] {
    result = 42;
    done.count_down();
  });
  done.wait();
  int seen = result;
  t.join();
  return seen;
}

int negativeConditionWaitedBeforeUse() {
  int result = 0;
  bool ready = false;
  std::mutex m;
  std::condition_variable cv;
  std::thread t([&] {
    result = 42;
    std::lock_guard<std::mutex> g(m);
    ready = true;
    cv.notify_one();
  });
  {
    std::unique_lock<std::mutex> lk(m);
    cv.wait(lk, [&] { return ready; });
  }
  int seen = result;
  t.join();
  return seen;
}

// Reading a pipe waits for the task's write.
int negativePipeReadBeforeUse(FILE *pipe) {
  int result = 0;
  std::thread t([&result] { result = 42; });
  char buf[8];
  fgets(buf, sizeof buf, pipe);
  int seen = result;
  t.join();
  return seen;
}

// --------------------------------------------------- the task: free function

long joinedBytes;
void positiveTaskStringJoinBeforeWrite(const std::vector<std::string> &parts,
                                       int n) {
  std::vector<std::thread> workers;
  for (int i = 0; i < n; ++i)
    workers.emplace_back([&parts] {
      std::string line = join(parts, ",");
      joinedBytes += static_cast<long>(line.size());
      // CHECK-MESSAGES: :[[@LINE-1]]:7: warning: unsynchronized write to 'joinedBytes', a global: several instances
    });
  for (auto &w : workers)
    w.join();
}

long closedFiles;
void positiveTaskFcloseBeforeWrite(std::vector<FILE *> &files) {
  std::vector<std::thread> workers;
  for (FILE *f : files)
    workers.emplace_back([f] {
      fclose(f);
      ++closedFiles;
      // CHECK-MESSAGES: :[[@LINE-1]]:7: warning: unsynchronized write to 'closedFiles', a global: several instances
    });
  for (auto &w : workers)
    w.join();
}

// The task waits for another thread before it writes: not judged.
long afterHelper;
void negativeTaskJoinsBeforeWrite(int n) {
  std::vector<std::thread> workers;
  for (int i = 0; i < n; ++i)
    workers.emplace_back([] {
      std::thread helper([] {});
      helper.join();
      ++afterHelper;
    });
  for (auto &w : workers)
    w.join();
}

// ----------------------------------------------------------------- class form

long indexedBytes;
long mergedBytes;

class Indexer {
public:
  void start(int n) {
    for (int i = 0; i < n; ++i)
      workers_.emplace_back(&Indexer::index, this);
  }
  void wait() {
    for (auto &w : workers_)
      w.join();
  }

private:
  // Started in start(), joined in wait(); the string join orders nothing.
  void index() {
    std::string key = join(parts_, "/");
    indexedBytes += static_cast<long>(key.size());
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: unsynchronized write to 'indexedBytes', a global: several instances
  }
  std::vector<std::string> parts_;
  std::vector<std::thread> workers_;
};

class Merger {
public:
  void start(int n) {
    for (int i = 0; i < n; ++i)
      workers_.emplace_back([this] {
        loader_.join();
        mergedBytes += 1;
      });
  }
  void wait() {
    for (auto &w : workers_)
      w.join();
  }

private:
  // Each task waits for the loader thread first: not judged.
  std::thread loader_;
  std::vector<std::thread> workers_;
};

class Reporter {
public:
  int run(const std::vector<std::string> &parts) {
    int lines = 0;
    std::thread t([&lines] { lines = 3; });
    // CHECK-MESSAGES: :[[@LINE-1]]:30: warning: unsynchronized write to 'lines', captured by reference: the spawning function uses it before joining
    header_ = joiner_.join(parts);
    int early = lines;
    t.join();
    return early;
  }

private:
  Joiner joiner_;
  std::string header_;
};

// ----------------------------------------------------------------- templates

template <typename T> T positiveStringJoinInTemplate(const std::vector<std::string> &parts) {
  T result{};
  std::thread t([&result] { result = T(42); });
  // CHECK-MESSAGES: :[[@LINE-1]]:29: warning: unsynchronized write to 'result', captured by reference: the spawning function uses it before joining
  std::string line = join(parts, ",");
  T early = result;
  t.join();
  return early;
}
template int positiveStringJoinInTemplate<int>(const std::vector<std::string> &);

template <typename T> T negativeJoinedInTemplate() {
  T result{};
  std::thread t([&result] { result = T(42); });
  t.join();
  return result;
}
template int negativeJoinedInTemplate<int>();

// -------------------------------------------------------------------- macros

#define CSV(parts) join(parts, ",")
#define JOIN_THREAD(t) (t).join()

int positiveStringJoinMacro(const std::vector<std::string> &parts) {
  int result = 0;
  std::thread t([&result] { result = 42; });
  // CHECK-MESSAGES: :[[@LINE-1]]:29: warning: unsynchronized write to 'result', captured by reference: the spawning function uses it before joining
  std::string line = CSV(parts);
  int early = result;
  JOIN_THREAD(t);
  return early;
}

int negativeJoinMacroBeforeUse(const std::vector<std::string> &parts) {
  int result = 0;
  std::thread t([&result] { result = 42; });
  std::string line = CSV(parts);
  JOIN_THREAD(t);
  return result;
}

// A spin lock made of __sync_* builtins: the task synchronises in a way the
// check cannot follow, so it does not judge the write after it.
void negativeSyncBuiltinSpinLock() {
  int turn = 0;
  long total = 0;
  std::vector<std::thread> threads;
  for (int i = 0; i < 4; ++i)
    threads.emplace_back([&] {
      while (__sync_val_compare_and_swap(&turn, 0, 1) != 0) {
      }
      total += 1;
      __sync_lock_release(&turn);
    });
  for (auto &t : threads)
    t.join();
}
