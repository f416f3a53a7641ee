// RUN: %check_threadlint %s threadlint-add-inside-spawned-task %t -- -- -std=c++20 -pthread
// RUN: %check_threadlint %s threadlint-add-inside-spawned-task %t.cxx17 -- -- -std=c++17 -pthread

#include <atomic>
#include <condition_variable>
#include <functional>
#include <future>
#include <mutex>
#include <thread>
#include <vector>

void work(int);

// A wait group as projects write one: a mutex, a condition variable and a
// count (Go's sync.WaitGroup).
class WaitGroup {
public:
  void Add(int n) {
    std::lock_guard<std::mutex> lock(mu_);
    count_ += n;
  }
  void Done() {
    std::lock_guard<std::mutex> lock(mu_);
    if (--count_ == 0)
      cv_.notify_all();
  }
  void Wait() {
    std::unique_lock<std::mutex> lock(mu_);
    cv_.wait(lock, [this] { return count_ == 0; });
  }

private:
  std::mutex mu_;
  std::condition_variable cv_;
  int count_ = 0;
};

// Lower-case spelling, recognised by structure too.
struct wait_group {
  void add(unsigned n);
  void done();
  void wait();
};

// A pool with add(task) and wait(): add takes a task, not a count, so it is
// no wait group.
struct TaskQueue {
  void add(std::function<void()> task);
  void wait();
};

class ThreadPool {
public:
  template <class F> std::future<void> enqueue(F &&f) {
    return std::async(std::launch::deferred, static_cast<F &&>(f));
  }
};

// ---------------------------------------------------------------- positives

void positiveAddInsideThread() {
  WaitGroup wg;
  std::vector<std::thread> workers;
  for (int i = 0; i < 4; ++i) {
    workers.emplace_back([&wg, i] {
      wg.Add(1);
      // CHECK-MESSAGES: :[[@LINE-1]]:7: warning: 'Add' on 'wg' runs inside the spawned task, so the spawner's wait can return before it runs; call it before starting the task [threadlint-add-inside-spawned-task]
      work(i);
      wg.Done();
    });
  }
  // CHECK-FIXES: for (int i = 0; i < 4; ++i) {
  // CHECK-FIXES-NEXT: wg.Add(1);
  // CHECK-FIXES-NEXT: workers.emplace_back([&wg, i] {
  // CHECK-FIXES-NEXT: {{^      //$}}
  // CHECK-FIXES-NEXT: work(i);
  wg.Wait();
  for (auto &w : workers)
    w.join();
}

void positiveAddInsidePoolTask(ThreadPool &pool) {
  wait_group group;
  for (int i = 0; i < 4; ++i) {
    pool.enqueue([&, i] {
      group.add(1);
      // CHECK-MESSAGES: :[[@LINE-1]]:7: warning: 'add' on 'group' runs inside the spawned task
      work(i);
      group.done();
    });
  }
  // CHECK-FIXES: group.add(1);
  // CHECK-FIXES-NEXT: pool.enqueue([&, i] {
  group.wait();
}

void positiveDetachedThreadNoLoop() {
  WaitGroup wg;
  std::thread([&] {
    wg.Add(1);
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: 'Add' on 'wg' runs inside the spawned task
    work(0);
    wg.Done();
  }).detach();
  // CHECK-FIXES: wg.Add(1);
  // CHECK-FIXES-NEXT: std::thread([&] {
  // CHECK-FIXES-NEXT: {{^    //$}}
  // CHECK-FIXES-NEXT: work(0);
  wg.Wait();
}

void positiveAtomicPendingCounterPolled() {
  std::atomic<int> pending{0};
  std::vector<std::thread> workers;
  for (int i = 0; i < 4; ++i)
    workers.emplace_back([&pending, i] {
      pending++;
      // CHECK-MESSAGES: :[[@LINE-1]]:7: warning: increment of 'pending' runs inside the spawned task, so the spawner's wait can return before it runs; increment before starting the task
      work(i);
      pending--;
    });
  // The spawn is the body of the for statement: nowhere to insert a
  // statement without adding braces, so no fix-it.
  // CHECK-FIXES: pending++;
  while (pending.load() > 0)
    std::this_thread::yield();
  for (auto &w : workers)
    w.join();
}

void positiveAtomicFetchAddWithConditionVariable() {
  std::atomic<int> inFlight{0};
  std::mutex mu;
  std::condition_variable cv;
  for (int i = 0; i < 4; ++i) {
    std::thread([&, i] {
      inFlight.fetch_add(1);
      // CHECK-MESSAGES: :[[@LINE-1]]:7: warning: increment of 'inFlight' runs inside the spawned task
      work(i);
      if (inFlight.fetch_sub(1) == 1)
        cv.notify_all();
    }).detach();
  }
  // CHECK-FIXES: inFlight.fetch_add(1);
  // CHECK-FIXES-NEXT: std::thread([&, i] {
  std::unique_lock<std::mutex> lock(mu);
  cv.wait(lock, [&] { return inFlight == 0; });
}

class Server {
public:
  void handleAll(int n) {
    for (int i = 0; i < n; ++i) {
      pool_.enqueue([this, i] {
        inflight_.Add(1);
        // CHECK-MESSAGES: :[[@LINE-1]]:9: warning: 'Add' on 'inflight_' runs inside the spawned task
        work(i);
        inflight_.Done();
      });
    }
    // CHECK-FIXES: inflight_.Add(1);
    // CHECK-FIXES-NEXT: pool_.enqueue([this, i] {
    inflight_.Wait();
  }

private:
  ThreadPool pool_;
  WaitGroup inflight_;
};

void positiveAddWithTaskLocalArgumentHasNoFix() {
  WaitGroup wg;
  std::thread t([&] {
    int parts = 3;
    wg.Add(parts);
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: 'Add' on 'wg' runs inside the spawned task
    // CHECK-FIXES: wg.Add(parts);
    wg.Done();
  });
  wg.Wait();
  t.join();
}

void positiveConditionalAddHasNoFix(bool heavy) {
  WaitGroup wg;
  std::thread t([&] {
    if (heavy)
      wg.Add(1);
    // CHECK-MESSAGES: :[[@LINE-1]]:7: warning: 'Add' on 'wg' runs inside the spawned task
    // CHECK-FIXES: wg.Add(1);
    work(1);
  });
  wg.Wait();
  t.join();
}

template <typename Group> void positiveInTemplate() {
  Group wg;
  std::thread t([&] {
    wg.Add(1);
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: 'Add' on 'wg' runs inside the spawned task
    wg.Done();
  });
  // CHECK-FIXES: wg.Add(1);
  // CHECK-FIXES-NEXT: std::thread t([&] {
  // CHECK-FIXES-NEXT: {{^    //$}}
  // CHECK-FIXES-NEXT: wg.Done();
  wg.Wait();
  t.join();
}
template void positiveInTemplate<WaitGroup>();

void suppressedWithNolint() {
  WaitGroup wg;
  std::thread t([&] {
    wg.Add(1); // NOLINT(threadlint-add-inside-spawned-task)
    wg.Done();
  });
  wg.Wait();
  t.join();
}

// ---------------------------------------------------------------- negatives

void negativeAddInTheParentBeforeTheSpawn() {
  WaitGroup wg;
  std::vector<std::thread> workers;
  for (int i = 0; i < 4; ++i) {
    wg.Add(1);
    workers.emplace_back([&wg, i] {
      work(i);
      wg.Done();
    });
  }
  wg.Wait();
  for (auto &w : workers)
    w.join();
}

void negativeDoneInTheTask() {
  // Done (and Add with a negative count) only lowers the count.
  WaitGroup wg;
  wg.Add(2);
  std::thread t([&] {
    wg.Done();
    wg.Add(-1);
  });
  wg.Wait();
  t.join();
}

void negativeStatisticsCounterNobodyWaitsOn() {
  std::atomic<int> processed{0};
  std::vector<std::thread> workers;
  for (int i = 0; i < 4; ++i)
    workers.emplace_back([&processed, i] {
      work(i);
      processed++;
    });
  for (auto &w : workers)
    w.join();
  work(processed.load());
}

void negativeCompletionCounterWaitedUpToN() {
  // The parent waits for the count to reach n, not zero: incrementing it in
  // the task is how the task says it finished.
  std::atomic<int> finished{0};
  for (int i = 0; i < 4; ++i)
    std::thread([&finished, i] {
      work(i);
      finished.fetch_add(1);
    }).detach();
  while (finished.load() < 4)
    std::this_thread::yield();
}

void negativeWaitGroupLocalToTheTask() {
  std::thread t([] {
    WaitGroup inner;
    inner.Add(1);
    std::thread child([&inner] { inner.Done(); });
    inner.Wait();
    child.join();
  });
  t.join();
}

void negativeAddForAChildTask() {
  // The task holds its own count while it adds one for the child it starts.
  WaitGroup wg;
  std::vector<std::thread> threads;
  std::mutex mu;
  wg.Add(1);
  std::thread parent([&] {
    wg.Add(1);
    std::thread child([&] { wg.Done(); });
    child.detach();
    wg.Done();
  });
  wg.Wait();
  parent.join();
}

void negativeNotAWaitGroup(TaskQueue &queue) {
  std::thread t([&] { queue.add([] { work(1); }); });
  t.join();
  queue.wait();
}

void negativeWaitBeforeTheSpawn() {
  // The wait the spawner does is over before the task exists.
  WaitGroup wg;
  wg.Wait();
  std::thread t([&] {
    wg.Add(1);
    wg.Done();
  });
  t.join();
}

void negativeSynchronousAsync() {
  // A discarded std::async future blocks: the add runs before the wait.
  WaitGroup wg;
  std::async(std::launch::async, [&] {
    wg.Add(1);
    wg.Done();
  });
  wg.Wait();
}
