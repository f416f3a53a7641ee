// RUN: %check_threadlint %s threadlint-unsynchronized-capture-write %t -- -- -std=c++20 -pthread
// thread_local variables: every thread has its own, so writes to them never
// race, wherever they are declared (a block, a class, a namespace).

#include <string>
#include <thread>
#include <vector>

// ---------------------------------------------------- free-function form

void countCallsPerThread() {
  thread_local int calls = 0;
  ++calls;
}

// The task's own function keeps a thread_local counter.
void negativeThreadLocalInNamedTask(int n) {
  std::vector<std::thread> workers;
  for (int i = 0; i < n; ++i)
    workers.emplace_back(countCallsPerThread);
  for (auto &w : workers)
    w.join();
}

void countCallsShared() {
  static int sharedCalls = 0;
  ++sharedCalls;
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: unsynchronized write to 'sharedCalls', a global: several instances of this task run at once; protect it with a lock, make it atomic, or give each task its own [threadlint-unsynchronized-capture-write]
}

void positiveStaticLocalInNamedTask(int n) {
  std::vector<std::thread> workers;
  for (int i = 0; i < n; ++i)
    workers.emplace_back(countCallsShared);
  for (auto &w : workers)
    w.join();
}

// A `static thread_local` buffer in a lambda task.
void negativeStaticThreadLocalInLambda(int n) {
  std::vector<std::thread> workers;
  for (int i = 0; i < n; ++i)
    workers.emplace_back([] {
      static thread_local std::string scratch;
      scratch += "x";
    });
  for (auto &w : workers)
    w.join();
}

void positiveStaticInLambda(int n) {
  std::vector<std::thread> workers;
  for (int i = 0; i < n; ++i)
    workers.emplace_back([] {
      static std::string scratch;
      scratch += "x";
      // CHECK-MESSAGES: :[[@LINE-1]]:7: warning: unsynchronized write to 'scratch', a global: several instances
    });
  for (auto &w : workers)
    w.join();
}

// GNU __thread is thread-local storage too.
void negativeGnuThreadInLambda(int n) {
  std::vector<std::thread> workers;
  for (int i = 0; i < n; ++i)
    workers.emplace_back([] {
      static __thread int depth;
      depth = depth + 1;
    });
  for (auto &w : workers)
    w.join();
}

// Two spawn sites writing one namespace-scope thread_local.
thread_local long perThreadTotal;
void negativeTwoSitesThreadLocalGlobal() {
  std::thread a([] { perThreadTotal = 1; });
  std::thread b([] { perThreadTotal = 2; });
  a.join();
  b.join();
}

// --------------------------------------------------------------- class form

long allProcessed;

class Workers {
public:
  void start(int n) {
    for (int i = 0; i < n; ++i)
      threads_.emplace_back(&Workers::run, this);
  }
  void stop() {
    for (auto &t : threads_)
      t.join();
  }

private:
  // The entry point: a member function; started in start(), joined in stop().
  void run() {
    thread_local int processed = 0;
    ++processed;
    ++allProcessed;
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: unsynchronized write to 'allProcessed', a global: several instances
    ++perThreadStat;
  }
  static thread_local int perThreadStat;
  std::vector<std::thread> threads_;
};
thread_local int Workers::perThreadStat;

// A `[this]` lambda task writes a thread_local of its function.
class Pollers {
public:
  void start(int n) {
    for (int i = 0; i < n; ++i)
      threads_.emplace_back([this] {
        thread_local unsigned rounds = 0;
        rounds += step_;
      });
  }
  void stop() {
    for (auto &t : threads_)
      t.join();
  }

private:
  unsigned step_ = 1;
  std::vector<std::thread> threads_;
};

// ---------------------------------------------------------------- templates

template <typename T> void negativeThreadLocalInTemplate(int n) {
  std::vector<std::thread> workers;
  for (int i = 0; i < n; ++i)
    workers.emplace_back([] {
      thread_local T scratch{};
      scratch += T(1);
    });
  for (auto &w : workers)
    w.join();
}
template void negativeThreadLocalInTemplate<int>(int);
template void negativeThreadLocalInTemplate<double>(int);

template <typename T> void positiveStaticInTemplate(int n) {
  std::vector<std::thread> workers;
  for (int i = 0; i < n; ++i)
    workers.emplace_back([] {
      static T total{};
      total += T(1);
      // CHECK-MESSAGES: :[[@LINE-1]]:7: warning: unsynchronized write to 'total', a global: several instances
    });
  for (auto &w : workers)
    w.join();
}
template void positiveStaticInTemplate<int>(int);

// ------------------------------------------------------------------- macros

#define COUNT_PER_THREAD()                                                     \
  do {                                                                         \
    thread_local int macroCalls = 0;                                           \
    ++macroCalls;                                                              \
  } while (0)

void negativeThreadLocalInMacro(int n) {
  std::vector<std::thread> workers;
  for (int i = 0; i < n; ++i)
    workers.emplace_back([] { COUNT_PER_THREAD(); });
  for (auto &w : workers)
    w.join();
}

#define COUNT_SHARED()                                                         \
  do {                                                                         \
    static int macroShared = 0;                                                \
    ++macroShared;                                                             \
  } while (0)

void positiveStaticInMacro(int n) {
  std::vector<std::thread> workers;
  for (int i = 0; i < n; ++i)
    workers.emplace_back([] { COUNT_SHARED(); });
  // CHECK-MESSAGES: :[[@LINE-1]]:31: warning: unsynchronized write to 'macroShared', a global: several instances
  for (auto &w : workers)
    w.join();
}
