// RUN: %check_threadlint %s threadlint-skipped-done %t -- -- -std=c++20 -pthread

#include <atomic>
#include <condition_variable>
#include <functional>
#include <future>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <thread>
#include <vector>
#include <barrier>
#include <latch>
#include <semaphore>

bool valid(int);
void process(int);
void log(const char *);

// A wait group as projects write one (Go's sync.WaitGroup).
class WaitGroup {
public:
  void Add(int n);
  void Done();
  void Wait();
};

// A pool that runs tasks on its threads (named by the SpawnFunctions
// default `ThreadPool::enqueue`).
class ThreadPool {
public:
  template <class F> std::future<void> enqueue(F &&f) {
    return std::async(std::launch::async, static_cast<F &&>(f));
  }
};

// ---------------------------------------------------------------- positives

void latchEarlyReturn(const std::vector<int> &items) {
  std::latch done(static_cast<std::ptrdiff_t>(items.size()));
  std::vector<std::thread> workers;
  for (int item : items)
    workers.emplace_back([&done, item] {
      if (!valid(item))
        return;
      // CHECK-MESSAGES: :[[@LINE-1]]:9: warning: 'return' skips 'done.count_down()'; the waiter at 'done.wait()' can hang [threadlint-skipped-done]
      process(item);
      done.count_down();
    });
  done.wait();
  for (auto &w : workers)
    w.join();
}

// The latch handed to a free function by reference.
void worker(std::latch &done, int item) {
  if (!valid(item)) {
    log("bad item");
    return;
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: 'return' skips 'done.count_down()'; the waiter at 'done.wait()' can hang [threadlint-skipped-done]
  }
  process(item);
  done.count_down();
}

void latchFreeFunction(int n) {
  std::latch done(n);
  std::vector<std::thread> workers;
  for (int i = 0; i < n; ++i)
    workers.emplace_back(worker, std::ref(done), i);
  done.wait();
  for (auto &w : workers)
    w.join();
}

void barrierArrival(int n) {
  std::barrier sync(n + 1);
  std::vector<std::jthread> workers;
  for (int i = 0; i < n; ++i)
    workers.emplace_back([&sync, i] {
      if (!valid(i))
        return;
      // CHECK-MESSAGES: :[[@LINE-1]]:9: warning: 'return' skips 'sync.arrive_and_wait()'; the waiter at 'sync.arrive_and_wait()' can hang [threadlint-skipped-done]
      process(i);
      sync.arrive_and_wait();
    });
  sync.arrive_and_wait();
}

void semaphorePerTask(int n) {
  std::counting_semaphore<> finished(0);
  std::vector<std::thread> workers;
  for (int i = 0; i < n; ++i)
    workers.emplace_back([&finished, i] {
      if (!valid(i))
        return;
      // CHECK-MESSAGES: :[[@LINE-1]]:9: warning: 'return' skips 'finished.release()'; the waiter at 'finished.acquire()' can hang [threadlint-skipped-done]
      process(i);
      finished.release();
    });
  for (int i = 0; i < n; ++i)
    finished.acquire();
  for (auto &w : workers)
    w.join();
}

// A signal made once per iteration of a counted loop: `continue` skips it.
void latchPerItem(const std::vector<int> &items) {
  std::latch done(static_cast<std::ptrdiff_t>(items.size()));
  std::thread t([&] {
    for (int item : items) {
      if (!valid(item))
        continue;
      // CHECK-MESSAGES: :[[@LINE-1]]:9: warning: 'continue' skips 'done.count_down()'; the waiter at 'done.wait()' can hang [threadlint-skipped-done]
      process(item);
      done.count_down();
    }
  });
  done.wait();
  t.join();
}

// Pool tasks with a wait group: an exception thrown in a pool task does not
// end the process, the pool catches it, and the wait hangs.
void poolWaitGroup(ThreadPool &pool, const std::vector<int> &items) {
  WaitGroup wg;
  for (int item : items) {
    wg.Add(1);
    pool.enqueue([&wg, item] {
      if (!valid(item))
        throw std::invalid_argument("bad item");
      // CHECK-MESSAGES: :[[@LINE-1]]:9: warning: 'throw' skips 'wg.Done()'; the waiter at 'wg.Wait()' can hang [threadlint-skipped-done]
      process(item);
      wg.Done();
    });
  }
  wg.Wait();
}

void promiseFuture(int item) {
  std::promise<int> result;
  std::future<int> f = result.get_future();
  std::thread t([&result, item] {
    if (!valid(item))
      return;
    // CHECK-MESSAGES: :[[@LINE-1]]:7: warning: 'return' skips 'result.set_value(item * 2)'; the waiter at 'f.get()' can hang [threadlint-skipped-done]
    result.set_value(item * 2);
  });
  process(f.get());
  t.join();
}

void atomicCounterSpin(int n) {
  std::atomic<int> pending{n};
  std::vector<std::thread> workers;
  for (int i = 0; i < n; ++i)
    workers.emplace_back([&pending, i] {
      if (!valid(i))
        return;
      // CHECK-MESSAGES: :[[@LINE-1]]:9: warning: 'return' skips 'pending.fetch_sub(1)'; the waiter at 'pending.load() > 0' can hang [threadlint-skipped-done]
      process(i);
      pending.fetch_sub(1);
    });
  while (pending.load() > 0)
    std::this_thread::yield();
  for (auto &w : workers)
    w.join();
}

void doneFlagAndCv(int item) {
  std::mutex m;
  std::condition_variable cv;
  bool done = false;
  std::thread t([&] {
    if (!valid(item))
      return;
    // CHECK-MESSAGES: :[[@LINE-1]]:7: warning: 'return' skips 'cv.notify_one()'; the waiter at 'cv.wait(lock, [&] { return done; })' can hang [threadlint-skipped-done]
    process(item);
    {
      std::lock_guard<std::mutex> lock(m);
      done = true;
    }
    cv.notify_one();
  });
  std::unique_lock<std::mutex> lock(m);
  cv.wait(lock, [&] { return done; });
  lock.unlock();
  t.join();
}

// A project's condition variable (leveldb's port::CondVar): a flag set, then
// SignalAll; the waiter loops on the flag around Wait().
namespace port {
class Mutex {
public:
  void Lock();
  void Unlock();
};
class CondVar {
public:
  explicit CondVar(Mutex *mu);
  void Wait();
  void Signal();
  void SignalAll();
};
} // namespace port

void condVarFlag(int item) {
  port::Mutex mu;
  port::CondVar cv(&mu);
  bool done = false;
  std::thread t([&] {
    if (!valid(item))
      return;
    // CHECK-MESSAGES: :[[@LINE-1]]:7: warning: 'return' skips 'cv.SignalAll()'; the waiter at '!done' can hang [threadlint-skipped-done]
    process(item);
    mu.Lock();
    done = true;
    cv.SignalAll();
    mu.Unlock();
  });
  mu.Lock();
  while (!done)
    cv.Wait();
  mu.Unlock();
  t.join();
}

// A counter lowered under a lock, the waiter's predicate reads it.
void counterUnderLockAndCv(int n) {
  std::mutex m;
  std::condition_variable cv;
  std::atomic<int> left{n};
  std::vector<std::thread> workers;
  for (int i = 0; i < n; ++i)
    workers.emplace_back([&, i] {
      if (!valid(i))
        return;
      // CHECK-MESSAGES: :[[@LINE-1]]:9: warning: 'return' skips '--left'; the waiter at 'cv.wait(lock, [&] { return left == 0; })' can hang [threadlint-skipped-done]
      process(i);
      --left;
      cv.notify_all();
    });
  std::unique_lock<std::mutex> lock(m);
  cv.wait(lock, [&] { return left == 0; });
  lock.unlock();
  for (auto &w : workers)
    w.join();
}

// std::async: the exception goes to the future, which the spawner gets
// only after the wait group: the wait hangs first.
void asyncThrow(int item) {
  WaitGroup wg;
  wg.Add(1);
  auto f = std::async(std::launch::async, [&wg, item] {
    if (!valid(item))
      throw std::runtime_error("bad");
    // CHECK-MESSAGES: :[[@LINE-1]]:7: warning: 'throw' skips 'wg.Done()'; the waiter at 'wg.Wait()' can hang [threadlint-skipped-done]
    wg.Done();
  });
  wg.Wait();
  f.get();
}

// An early-return macro: one warning, at the macro's use.
#define RETURN_IF_ERROR(x)                                                     \
  do {                                                                         \
    if (!(x))                                                                  \
      return;                                                                  \
  } while (0)

void macroEarlyReturn(int n) {
  WaitGroup wg;
  std::vector<std::thread> workers;
  for (int i = 0; i < n; ++i) {
    wg.Add(1);
    workers.emplace_back([&wg, i] {
      RETURN_IF_ERROR(valid(i));
      // CHECK-MESSAGES: :[[@LINE-1]]:7: warning: 'return' skips 'wg.Done()'; the waiter at 'wg.Wait()' can hang [threadlint-skipped-done]
      process(i);
      wg.Done();
    });
  }
  wg.Wait();
  for (auto &w : workers)
    w.join();
}

// Templates: one warning for the pattern, not one per instantiation.
template <class T> void templated(const std::vector<T> &items) {
  WaitGroup wg;
  std::vector<std::thread> workers;
  for (const T &item : items) {
    wg.Add(1);
    workers.emplace_back([&wg, &item] {
      if (!valid(static_cast<int>(item)))
        return;
      // CHECK-MESSAGES: :[[@LINE-1]]:9: warning: 'return' skips 'wg.Done()'; the waiter at 'wg.Wait()' can hang [threadlint-skipped-done]
      process(static_cast<int>(item));
      wg.Done();
    });
  }
  wg.Wait();
  for (auto &w : workers)
    w.join();
}
template void templated<int>(const std::vector<int> &);
template void templated<long>(const std::vector<long> &);

// NOLINT silences the warning.
void nolint(int n) {
  WaitGroup wg;
  wg.Add(1);
  std::thread t([&wg, n] {
    if (!valid(n))
      return; // NOLINT(threadlint-skipped-done)
    wg.Done();
  });
  wg.Wait();
  t.join();
}
