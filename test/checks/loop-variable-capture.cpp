// RUN: %check_threadlint %s threadlint-loop-variable-capture %t -- -- -std=c++20 -pthread

// Real libstdc++ headers, as users have them.
#include <algorithm>
#include <functional>
#include <future>
#include <latch>
#include <map>
#include <memory>
#include <pthread.h>
#include <string>
#include <thread>
#include <vector>

void use(int);
void useString(const std::string &);
void byValue(int);
void byConstRef(const int &);
void byMutableRef(int &);
void *routine(void *);

// A thread pool with an `enqueue` method, as in progschj/ThreadPool: matched
// by the default SpawnFunctions entry `ThreadPool::enqueue`.
class ThreadPool {
public:
  template <class F> std::future<void> enqueue(F &&f) {
    return std::async(std::launch::deferred, static_cast<F &&>(f));
  }
};

// BS::thread_pool (bshoshany/thread-pool) is a class template: its methods
// are matched by their plain name, BS::thread_pool::detach_task.
namespace BS {
template <unsigned Flags = 0> class thread_pool {
public:
  template <class F> void detach_task(F &&f) { f(); }
  void wait();
};
} // namespace BS

// ---------------------------------------------------------------- positives

void positiveClassTemplatePool() {
  BS::thread_pool<> pool;
  for (std::size_t i = 0; i < 4; ++i)
    pool.detach_task([&i] { use(static_cast<int>(i)); });
  // CHECK-MESSAGES: :[[@LINE-1]]:24: warning: loop variable 'i' is captured by reference to a task that may outlive the iteration [threadlint-loop-variable-capture]
  // CHECK-FIXES: pool.detach_task([i] { use(static_cast<int>(i)); });
  pool.wait();
}

void negativeClassTemplatePoolWaitedInIteration() {
  BS::thread_pool<> pool;
  for (std::size_t i = 0; i < 4; ++i) {
    pool.detach_task([&i] { use(static_cast<int>(i)); });
    pool.wait();
  }
}

void positiveIndexCapturedByReferenceExplicitly() {
  std::vector<std::thread> workers;
  for (int i = 0; i < 4; ++i)
    workers.emplace_back([&i] { use(i); });
  // CHECK-MESSAGES: :[[@LINE-1]]:28: warning: loop variable 'i' is captured by reference to a task that may outlive the iteration [threadlint-loop-variable-capture]
  // CHECK-FIXES: workers.emplace_back([i] { use(i); });
  for (auto &w : workers)
    w.join();
}

void positiveIndexUsedUnderDefaultReferenceCapture() {
  std::vector<std::thread> workers;
  for (int i = 0; i < 4; ++i)
    workers.emplace_back([&] { use(i); });
  // CHECK-MESSAGES: :[[@LINE-1]]:36: warning: loop variable 'i' is captured by reference
  // CHECK-FIXES: workers.emplace_back([&, i] { use(i); });
  for (auto &w : workers)
    w.join();
}

void positiveRangeCopyDetached(const std::vector<std::string> &names) {
  for (auto name : names)
    std::thread([&name] { useString(name); }).detach();
  // CHECK-MESSAGES: :[[@LINE-1]]:19: warning: loop variable 'name' is captured by reference
  // CHECK-FIXES: std::thread([name] { useString(name); }).detach();
}

void positiveStructuredBinding(const std::map<int, std::string> &m) {
  std::vector<std::thread> workers;
  for (auto [key, value] : m)
    workers.push_back(std::thread([&] { use(key); }));
  // CHECK-MESSAGES: :[[@LINE-1]]:45: warning: loop variable 'key' is captured by reference
  // CHECK-FIXES: workers.push_back(std::thread([&, key] { use(key); }));
  for (auto &w : workers)
    w.join();
}

void positiveLocalOfTheLoopBody(ThreadPool &pool) {
  for (int i = 0; i < 4; ++i) {
    int square = i * i;
    pool.enqueue([&square] { use(square); });
    // CHECK-MESSAGES: :[[@LINE-1]]:20: warning: 'square', declared in the loop body, is captured by reference
    // CHECK-FIXES: pool.enqueue([square] { use(square); });
  }
}

void positiveStdRefToValueParameter() {
  std::vector<std::thread> workers;
  for (int i = 0; i < 4; ++i)
    workers.emplace_back(byValue, std::ref(i));
  // CHECK-MESSAGES: :[[@LINE-1]]:35: warning: loop variable 'i' is passed by 'std::ref' to a task
  // CHECK-FIXES: workers.emplace_back(byValue, i);
  for (auto &w : workers)
    w.join();
}

void positiveStdCrefToConstReferenceParameter() {
  std::vector<std::thread> workers;
  for (int i = 0; i < 4; ++i)
    workers.emplace_back(byConstRef, std::cref(i));
  // CHECK-MESSAGES: :[[@LINE-1]]:38: warning: loop variable 'i' is passed by 'std::cref' to a task
  // CHECK-FIXES: workers.emplace_back(byConstRef, i);
  for (auto &w : workers)
    w.join();
}

void positiveStdRefToMutableReferenceHasNoFix() {
  // byMutableRef(int&) cannot take a copy: warn without a fix-it.
  std::vector<std::thread> workers;
  for (int i = 0; i < 4; ++i)
    workers.emplace_back(byMutableRef, std::ref(i));
  // CHECK-MESSAGES: :[[@LINE-1]]:40: warning: loop variable 'i' is passed by 'std::ref'
  // CHECK-FIXES: workers.emplace_back(byMutableRef, std::ref(i));
  for (auto &w : workers)
    w.join();
}

void positiveAddressToPthreadCreate() {
  pthread_t threads[4];
  for (int i = 0; i < 4; ++i)
    pthread_create(&threads[i], nullptr, routine, &i);
  // CHECK-MESSAGES: :[[@LINE-1]]:51: warning: loop variable 'i' is passed by address to a task
  for (pthread_t t : threads)
    pthread_join(t, nullptr);
}

void positiveAsyncFutureKeptOutsideTheLoop() {
  std::vector<std::future<void>> results;
  for (int i = 0; i < 4; ++i)
    results.push_back(std::async(std::launch::async, [&] { use(i); }));
  // CHECK-MESSAGES: :[[@LINE-1]]:64: warning: loop variable 'i' is captured by reference
  // CHECK-FIXES: results.push_back(std::async(std::launch::async, [&, i] { use(i); }));
  for (auto &r : results)
    r.get();
}

void positiveThreadMadeUniqueAndKept() {
  std::vector<std::unique_ptr<std::thread>> workers;
  for (int i = 0; i < 4; ++i)
    workers.push_back(std::make_unique<std::thread>([&] { use(i); }));
  // CHECK-MESSAGES: :[[@LINE-1]]:63: warning: loop variable 'i' is captured by reference
  // CHECK-FIXES: workers.push_back(std::make_unique<std::thread>([&, i] { use(i); }));
  for (auto &w : workers)
    w->join();
}

void positiveNamedLambdaVariable() {
  std::vector<std::thread> workers;
  for (int i = 0; i < 4; ++i) {
    auto task = [&] { use(i); };
    // CHECK-MESSAGES: :[[@LINE-1]]:27: warning: loop variable 'i' is captured by reference
    // CHECK-FIXES: auto task = [&, i] { use(i); };
    workers.emplace_back(task);
  }
  for (auto &w : workers)
    w.join();
}

void positiveLocalThreadMovedIntoOuterContainer() {
  std::vector<std::thread> workers;
  for (int i = 0; i < 4; ++i) {
    std::thread t([&] { use(i); });
    // CHECK-MESSAGES: :[[@LINE-1]]:29: warning: loop variable 'i' is captured by reference
    // CHECK-FIXES: std::thread t([&, i] { use(i); });
    workers.push_back(std::move(t));
  }
  for (auto &w : workers)
    w.join();
}

void positiveWhileLoopLocal(ThreadPool &pool, int n) {
  while (n-- > 0) {
    std::string label = "job";
    pool.enqueue([&] { useString(label); });
    // CHECK-MESSAGES: :[[@LINE-1]]:34: warning: 'label', declared in the loop body, is captured by reference
    // CHECK-FIXES: pool.enqueue([&, label] { useString(label); });
  }
}

void positiveThreadAssignedToOuterSlot() {
  std::thread slots[4];
  for (int i = 0; i < 4; ++i)
    slots[i] = std::thread([&] { use(i); });
  // CHECK-MESSAGES: :[[@LINE-1]]:38: warning: loop variable 'i' is captured by reference
  // CHECK-FIXES: slots[i] = std::thread([&, i] { use(i); });
  for (auto &s : slots)
    s.join();
}

void positiveMutatedCaptureHasNoFix() {
  // The task writes the variable: a copy would not compile, so no fix-it.
  for (int i = 0; i < 4; ++i)
    std::thread([&i] { ++i; }).detach();
  // CHECK-MESSAGES: :[[@LINE-1]]:19: warning: loop variable 'i' is captured by reference
  // CHECK-FIXES: std::thread([&i] { ++i; }).detach();
}

void positiveMoveOnlyTypeHasNoFix() {
  for (int i = 0; i < 4; ++i) {
    std::unique_ptr<int> owned = std::make_unique<int>(i);
    std::thread([&owned] { use(*owned); }).detach();
    // CHECK-MESSAGES: :[[@LINE-1]]:19: warning: 'owned', declared in the loop body, is captured by reference
    // CHECK-FIXES: std::thread([&owned] { use(*owned); }).detach();
  }
}

void positiveCopyDefaultWithExplicitReferenceHasNoFix() {
  // [=, i] would be ill-formed, so the capture is not rewritten.
  for (int i = 0; i < 4; ++i)
    std::thread([=, &i] { use(i); }).detach();
  // CHECK-MESSAGES: :[[@LINE-1]]:22: warning: loop variable 'i' is captured by reference
  // CHECK-FIXES: std::thread([=, &i] { use(i); }).detach();
}

void positiveInitCaptureReference() {
  for (int i = 0; i < 4; ++i)
    std::thread([&r = i] { use(r); }).detach();
  // CHECK-MESSAGES: :[[@LINE-1]]:19: warning: loop variable 'i' is captured by reference
  // CHECK-FIXES: std::thread([&r = i] { use(r); }).detach();
}

void positiveInnerLoopIndexIntoIterationLocalContainer() {
  for (int i = 0; i < 2; ++i) {
    // `workers` lives in the outer iteration, so `i` is fine, but it
    // outlives every iteration of the inner loop: `j` is shared.
    std::vector<std::thread> workers;
    for (int j = 0; j < 2; ++j)
      workers.emplace_back([&] { use(i + j); });
    // CHECK-MESSAGES: :[[@LINE-1]]:42: warning: loop variable 'j' is captured by reference
    // CHECK-FIXES: workers.emplace_back([&, j] { use(i + j); });
    for (auto &w : workers)
      w.join();
  }
}

// ---------------------------------------------------------------- templates

template <typename T> void positiveInTemplate(const std::vector<T> &items) {
  for (T item : items)
    std::thread([&item] { (void)item; }).detach();
  // One warning, whatever the number of instantiations.
  // CHECK-MESSAGES: :[[@LINE-2]]:19: warning: loop variable 'item' is captured by reference
  // CHECK-FIXES: std::thread([item] { (void)item; }).detach();
}
template void positiveInTemplate<int>(const std::vector<int> &);
template void positiveInTemplate<long>(const std::vector<long> &);

// ------------------------------------------------------------------- macros

#define SPAWN_DETACHED(...) std::thread(__VA_ARGS__).detach()

void positiveSpawnInMacroArgument() {
  for (int i = 0; i < 4; ++i)
    SPAWN_DETACHED([&i] { use(i); });
  // CHECK-MESSAGES: :[[@LINE-1]]:22: warning: loop variable 'i' is captured by reference
  // CHECK-FIXES: SPAWN_DETACHED([i] { use(i); });
}

#define DETACH_CAPTURING_BY_REFERENCE(v) std::thread([&] { use(v); }).detach()

void positiveLambdaInsideMacroHasNoFix() {
  for (int i = 0; i < 4; ++i)
    DETACH_CAPTURING_BY_REFERENCE(i);
  // CHECK-MESSAGES: :[[@LINE-1]]:35: warning: loop variable 'i' is captured by reference
  // CHECK-FIXES: DETACH_CAPTURING_BY_REFERENCE(i);
}

// ---------------------------------------------------------------- NOLINT

void suppressedWithNolint() {
  for (int i = 0; i < 4; ++i)
    std::thread([&i] { use(i); }).detach(); // NOLINT(threadlint-loop-variable-capture)
}

// ---------------------------------------------------------------- negatives

void negativeCapturedByCopy() {
  // Each task has its own copy of `i`.
  std::vector<std::thread> workers;
  for (int i = 0; i < 4; ++i)
    workers.emplace_back([i] { use(i); });
  for (int i = 0; i < 4; ++i)
    workers.emplace_back([=] { use(i); });
  for (auto &w : workers)
    w.join();
}

void negativeReferenceLoopVariable(std::vector<int> &values) {
  // `v` names the element, which outlives the loop; not a per-iteration copy.
  std::vector<std::thread> workers;
  for (auto &v : values)
    workers.emplace_back([&v] { use(v); });
  for (const auto &v : values)
    workers.emplace_back([&] { use(v); });
  for (auto &w : workers)
    w.join();
}

void negativeReferenceStructuredBinding(std::map<int, std::string> &m) {
  // The bindings refer into the map's elements.
  std::vector<std::thread> workers;
  for (auto &[key, value] : m)
    workers.emplace_back([&] { use(key); });
  for (auto &w : workers)
    w.join();
}

void negativeJoinedInTheSameIteration() {
  for (int i = 0; i < 4; ++i) {
    std::thread t([&] { use(i); });
    t.join();
  }
}

void negativeJThreadJoinsAtTheEndOfTheIteration() {
  for (int i = 0; i < 4; ++i) {
    std::jthread t([&] { use(i); });
  }
}

void negativeAsyncFutureLocalToTheIteration() {
  // The future of std::async blocks in its destructor.
  for (int i = 0; i < 4; ++i) {
    auto done = std::async(std::launch::async, [&] { use(i); });
  }
}

void negativeAsyncDiscardedIsSynchronous() {
  for (int i = 0; i < 4; ++i)
    std::async(std::launch::async, [&] { use(i); });
}

void negativeFutureWaitedInTheIteration(ThreadPool &pool) {
  for (int i = 0; i < 4; ++i) {
    auto done = pool.enqueue([&] { use(i); });
    done.get();
  }
}

void negativeLatchWaitedInTheIteration(ThreadPool &pool) {
  for (int i = 0; i < 4; ++i) {
    std::latch done(1);
    pool.enqueue([&] {
      use(i);
      done.count_down();
    });
    done.wait();
  }
}

void negativeThreadsOfTheIterationJoinedInIt() {
  for (int i = 0; i < 4; ++i) {
    std::vector<std::thread> workers;
    workers.emplace_back([&] { use(i); });
    for (auto &w : workers)
      w.join();
  }
}

void negativeSynchronousAlgorithms(std::vector<int> &values) {
  // Algorithms and comparators run their lambdas before returning.
  for (int i = 0; i < 4; ++i) {
    std::for_each(values.begin(), values.end(), [&](int v) { use(v + i); });
    std::sort(values.begin(), values.end(),
              [&](int a, int b) { return a + i < b + i; });
  }
}

void negativeLambdaNotSpawned(std::vector<std::function<void()>> &later) {
  // Stored, not started: nothing runs concurrently here.
  for (int i = 0; i < 4; ++i)
    later.push_back([&] { use(i); });
}

void negativeForInitVariableTheLoopNeverChanges() {
  // `n` is one object, alive for the whole loop, never written.
  std::vector<std::thread> workers;
  for (int i = 0, n = 4; i < n; ++i)
    workers.emplace_back([&n] { use(n); });
  for (auto &w : workers)
    w.join();
}

void negativeVariableDeclaredOutsideTheLoop() {
  int total = 0;
  std::vector<std::thread> workers;
  for (int i = 0; i < 4; ++i)
    workers.emplace_back([&total] { use(total); });
  for (auto &w : workers)
    w.join();
}

void negativeStaticLocalInTheLoop() {
  for (int i = 0; i < 4; ++i) {
    static int calls = 0;
    std::thread([&] { use(calls); }).detach();
  }
}

void negativeSpawnOutsideAnyLoop() {
  int x = 0;
  std::thread([&x] { use(x); }).detach();
}

void negativePthreadJoinedInTheIteration() {
  for (int i = 0; i < 4; ++i) {
    pthread_t t;
    pthread_create(&t, nullptr, routine, &i);
    pthread_join(t, nullptr);
  }
}
