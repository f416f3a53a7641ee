// RUN: %check_threadlint %s threadlint-add-inside-spawned-task %t -- -- -std=c++20 -pthread
//
// The protocol spread over a class, and tasks handed to a hand-written pool
// that the concurrency model recognises as a spawn function by itself.

#include <atomic>
#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

void work(int);

// A hand-written executor: post() queues a callable, the worker thread
// pops and runs it. Not in SpawnFunctions: inferred.
class Executor {
public:
  Executor() { worker_ = std::thread([this] { drainQueue(); }); }
  ~Executor() { worker_.join(); }
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

class WaitGroup {
public:
  void add(int n);
  void done();
  void wait();
};

// The pending counter is incremented inside the task dispatch() posts and
// waited for in drain(): drain() can see zero before the task ran.
class Dispatcher {
public:
  explicit Dispatcher(Executor &ex) : ex_(ex) {}
  void dispatch(int job) {
    ex_.post([this, job] {
      pending_.fetch_add(1);
      work(job);
      pending_.fetch_sub(1);
    });
  }
  void drain() {
    while (pending_.load() != 0)
      std::this_thread::yield();
  }

private:
  Executor &ex_;
  std::atomic<int> pending_{0};
};
// CHECK-NOTES: :[[@LINE-14]]:7: warning: increment of 'pending_' runs inside the spawned task, so the spawner's wait can return before it runs; increment before starting the task [threadlint-add-inside-spawned-task]
// CHECK-NOTES: :[[@LINE-16]]:5: note: the task is started here, in 'dispatch'
// CHECK-NOTES: :[[@LINE-10]]:12: note: 'drain' waits here for 'pending_' to reach zero
// CHECK-FIXES: {{^}}    pending_.fetch_add(1);{{$}}
// CHECK-FIXES-NEXT: {{^}}    ex_.post([this, job] {
// CHECK-FIXES-NEXT: {{^}}      work(job);{{$}}

// wg.add(1) inside the task a free function posts to the executor, and the
// same function waits.
void parallelForEach(Executor &ex, const std::vector<int> &items) {
  WaitGroup wg;
  for (int item : items)
    ex.post([&wg, item] {
      wg.add(1);
      work(item);
      wg.done();
    });
  wg.wait();
}
// CHECK-NOTES: :[[@LINE-6]]:7: warning: 'add' on 'wg' runs inside the spawned task, so the spawner's wait can return before it runs; call it before starting the task [threadlint-add-inside-spawned-task]
// CHECK-NOTES: :[[@LINE-8]]:5: note: the task is started here
// CHECK-NOTES: :[[@LINE-4]]:3: note: the spawner waits on 'wg' here

// Incremented before the post, decremented inside: correct.
class DispatcherFixed {
public:
  explicit DispatcherFixed(Executor &ex) : ex_(ex) {}
  void negativeAddBeforePost(int job) {
    pending_.fetch_add(1);
    ex_.post([this, job] {
      work(job);
      pending_.fetch_sub(1);
    });
  }
  void drain() {
    while (pending_.load() != 0)
      std::this_thread::yield();
  }

private:
  Executor &ex_;
  std::atomic<int> pending_{0};
};

// A statistics counter nobody waits on.
class Stats {
public:
  explicit Stats(Executor &ex) : ex_(ex) {}
  void negativeCounterNobodyWaitsOn(int job) {
    ex_.post([this, job] {
      served_.fetch_add(1);
      work(job);
    });
  }
  int served() const { return served_.load(); }

private:
  Executor &ex_;
  std::atomic<int> served_{0};
};
