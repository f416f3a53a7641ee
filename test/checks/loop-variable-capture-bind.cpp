// RUN: %check_threadlint %s threadlint-loop-variable-capture %t -- -- -std=c++20 -pthread
// std::bind(f, std::ref(v)) carries a reference to v into the task: when
// the work outlives the iteration, a local of the loop body dangles and a
// loop index changes under it.

#include <functional>
#include <future>
#include <memory>
#include <thread>
#include <vector>

struct Block {
  int data[16];
};
void consume(Block b);
void inspect(const Block &b);
void fill(Block &b);
void useIndex(int i);
void useOwned(const std::unique_ptr<int> &p);

// progschj/ThreadPool's shape: matched by the default `ThreadPool::enqueue`.
class ThreadPool {
public:
  template <class F> std::future<void> enqueue(F &&f) {
    return std::async(std::launch::deferred, static_cast<F &&>(f));
  }
};

// bshoshany/thread-pool's class template: `BS::thread_pool::submit_task`.
namespace BS {
template <unsigned Flags = 0> class thread_pool {
public:
  template <class F> std::future<void> submit_task(F &&f) {
    return std::async(std::launch::deferred, static_cast<F &&>(f));
  }
};
} // namespace BS

// ---------------------------------------------------------- free functions

void positiveBodyLocalBoundToPool(ThreadPool &pool, int n) {
  std::vector<std::future<void>> results;
  for (int i = 0; i < n; ++i) {
    Block block{};
    results.push_back(pool.enqueue(std::bind(inspect, std::ref(block))));
    // CHECK-MESSAGES: :[[@LINE-1]]:55: warning: 'block', declared in the loop body, is passed by 'std::ref' to a task that may outlive the iteration [threadlint-loop-variable-capture]
    // CHECK-FIXES: results.push_back(pool.enqueue(std::bind(inspect, block)));
  }
  for (auto &r : results)
    r.get();
}

void positiveBodyLocalBoundToClassTemplatePool(BS::thread_pool<> &pool,
                                               int n) {
  std::vector<std::future<void>> results;
  for (int i = 0; i < n; ++i) {
    Block block{};
    results.push_back(pool.submit_task(std::bind(consume, std::ref(block))));
    // CHECK-MESSAGES: :[[@LINE-1]]:59: warning: 'block', declared in the loop body, is passed by 'std::ref'
    // CHECK-FIXES: results.push_back(pool.submit_task(std::bind(consume, block)));
  }
  for (auto &r : results)
    r.get();
}

// std::async whose future is kept in a vector declared outside the loop.
// fill(Block &) writes the block: a copy would change the meaning, so no
// fix-it.
void positiveBodyLocalBoundToAsync(int n) {
  std::vector<std::future<void>> results;
  for (int i = 0; i < n; ++i) {
    Block block{};
    results.push_back(
        std::async(std::launch::async, std::bind(fill, std::ref(block))));
    // CHECK-MESSAGES: :[[@LINE-1]]:56: warning: 'block', declared in the loop body, is passed by 'std::ref'
    // CHECK-FIXES: std::async(std::launch::async, std::bind(fill, std::ref(block))));
  }
  for (auto &r : results)
    r.get();
}

void positiveLoopIndexBound(ThreadPool &pool, int n) {
  std::vector<std::future<void>> results;
  for (int i = 0; i < n; ++i)
    results.push_back(pool.enqueue(std::bind(useIndex, std::ref(i))));
  // CHECK-MESSAGES: :[[@LINE-1]]:56: warning: loop variable 'i' is passed by 'std::ref' to a task that may outlive the iteration
  // CHECK-FIXES: results.push_back(pool.enqueue(std::bind(useIndex, i)));
  for (auto &r : results)
    r.get();
}

// A bound lambda taking a const reference.
void positiveBoundLambda(ThreadPool &pool, const std::vector<Block> &blocks) {
  std::vector<std::future<void>> results;
  for (Block block : blocks)
    results.push_back(pool.enqueue(
        std::bind([](const Block &b) { inspect(b); }, std::cref(block))));
  // CHECK-MESSAGES: :[[@LINE-1]]:55: warning: loop variable 'block' is passed by 'std::cref'
  // CHECK-FIXES: std::bind([](const Block &b) { inspect(b); }, block)));
  for (auto &r : results)
    r.get();
}

// The bind kept in a local variable first, then handed over.
void positiveBindVariable(ThreadPool &pool, int n) {
  std::vector<std::future<void>> results;
  for (int i = 0; i < n; ++i) {
    Block block{};
    auto task = std::bind(inspect, std::ref(block));
    // CHECK-MESSAGES: :[[@LINE-1]]:36: warning: 'block', declared in the loop body, is passed by 'std::ref'
    // CHECK-FIXES: auto task = std::bind(inspect, block);
    results.push_back(pool.enqueue(task));
  }
  for (auto &r : results)
    r.get();
}

// A std::thread given std::ref(x) directly, detached.
void positiveThreadGivenStdRef(int n) {
  for (int i = 0; i < n; ++i) {
    Block block{};
    std::thread(inspect, std::ref(block)).detach();
    // CHECK-MESSAGES: :[[@LINE-1]]:26: warning: 'block', declared in the loop body, is passed by 'std::ref'
    // CHECK-FIXES: std::thread(inspect, block).detach();
  }
}

// A move-only variable: no fix-it.
void positiveMoveOnlyBound(ThreadPool &pool, int n) {
  std::vector<std::future<void>> results;
  for (int i = 0; i < n; ++i) {
    auto owned = std::make_unique<int>(i);
    results.push_back(pool.enqueue(std::bind(useOwned, std::cref(owned))));
    // CHECK-MESSAGES: :[[@LINE-1]]:56: warning: 'owned', declared in the loop body, is passed by 'std::cref'
    // CHECK-FIXES: results.push_back(pool.enqueue(std::bind(useOwned, std::cref(owned))));
  }
  for (auto &r : results)
    r.get();
}

// The future is read inside the same iteration: the work ends there.
void negativeFutureGotInTheIteration(ThreadPool &pool, int n) {
  for (int i = 0; i < n; ++i) {
    Block block{};
    auto done = pool.enqueue(std::bind(inspect, std::ref(block)));
    done.get();
  }
}

// A variable declared outside the loop outlives every task.
void negativeCrefOfOuterVariable(ThreadPool &pool, int n) {
  Block shared{};
  std::vector<std::future<void>> results;
  for (int i = 0; i < n; ++i)
    results.push_back(pool.enqueue(std::bind(inspect, std::cref(shared))));
  for (auto &r : results)
    r.get();
}

// Bound by value: std::bind keeps its own copy.
void negativeBoundByValue(ThreadPool &pool, int n) {
  std::vector<std::future<void>> results;
  for (int i = 0; i < n; ++i) {
    Block block{};
    results.push_back(pool.enqueue(std::bind(inspect, block)));
  }
  for (auto &r : results)
    r.get();
}

// A reference loop variable names the element, which outlives the loop.
void negativeReferenceLoopVariableBound(ThreadPool &pool,
                                        std::vector<Block> &blocks) {
  std::vector<std::future<void>> results;
  for (Block &b : blocks)
    results.push_back(pool.enqueue(std::bind(fill, std::ref(b))));
  for (auto &r : results)
    r.get();
}

// Called in the iteration, never spawned.
void negativeBindCalledSynchronously(int n) {
  for (int i = 0; i < n; ++i) {
    Block block{};
    std::function<void()> f = std::bind(fill, std::ref(block));
    f();
  }
}

// A discarded std::async future blocks at once.
void negativeAsyncDiscarded(int n) {
  for (int i = 0; i < n; ++i) {
    Block block{};
    std::async(std::launch::async, std::bind(fill, std::ref(block)));
  }
}

// --------------------------------------------------------------- class form

class Pipeline {
public:
  // Work started here and waited for in drain(): a member function bound
  // with `this`.
  void feed(int n) {
    for (int i = 0; i < n; ++i) {
      Block block{};
      pending_.push_back(
          pool_.enqueue(std::bind(&Pipeline::stage, this, std::ref(block))));
      // CHECK-MESSAGES: :[[@LINE-1]]:59: warning: 'block', declared in the loop body, is passed by 'std::ref'
      // CHECK-FIXES: pool_.enqueue(std::bind(&Pipeline::stage, this, block)));
    }
  }
  void drain() {
    for (auto &f : pending_)
      f.get();
  }
  // The object bound by `this` lives on: only the block is per iteration.
  void feedShared(int n) {
    for (int i = 0; i < n; ++i)
      pending_.push_back(
          pool_.enqueue(std::bind(&Pipeline::stage, this, std::cref(last_))));
  }

private:
  void stage(const Block &b);
  Block last_{};
  ThreadPool pool_;
  std::vector<std::future<void>> pending_;
};

// ---------------------------------------------------------------- templates

template <typename T> void process(const T &);

template <typename T>
void positiveBindInTemplate(ThreadPool &pool, const std::vector<T> &items) {
  std::vector<std::future<void>> results;
  for (T item : items)
    results.push_back(pool.enqueue(std::bind(process<T>, std::ref(item))));
  // One warning, whatever the number of instantiations.
  // CHECK-MESSAGES: :[[@LINE-2]]:58: warning: loop variable 'item' is passed by 'std::ref'
  // CHECK-FIXES: results.push_back(pool.enqueue(std::bind(process<T>, item)));
  for (auto &r : results)
    r.get();
}
template void positiveBindInTemplate<int>(ThreadPool &, const std::vector<int> &);
template void positiveBindInTemplate<long>(ThreadPool &, const std::vector<long> &);

// ------------------------------------------------------------------- macros

#define SUBMIT(pool, ...) (pool).enqueue(std::bind(__VA_ARGS__))

void positiveBindInMacroArgument(ThreadPool &pool, int n) {
  std::vector<std::future<void>> results;
  for (int i = 0; i < n; ++i) {
    Block block{};
    results.push_back(SUBMIT(pool, inspect, std::ref(block)));
    // CHECK-MESSAGES: :[[@LINE-1]]:45: warning: 'block', declared in the loop body, is passed by 'std::ref'
    // CHECK-FIXES: results.push_back(SUBMIT(pool, inspect, block));
  }
  for (auto &r : results)
    r.get();
}

void negativeBindInMacroWaited(ThreadPool &pool, int n) {
  for (int i = 0; i < n; ++i) {
    Block block{};
    SUBMIT(pool, inspect, std::ref(block)).get();
  }
}
