// RUN: %check_threadlint %s threadlint-non-atomic-rmw %t -- -- -std=c++20 -pthread
//
// A split update loses nothing when every other write of the atomic is
// ordered with it: the work made its writes before it handed off to the
// updating function (a notify it waits for with a predicate, a semaphore
// release, a release store it spins on). Writes the work makes after it
// handed off, or with no hand-off, race with the update (the
// condition-variable twin of this file's first case, with the work writing
// after it notifies, is in non-atomic-rmw-condition-wait.cpp).

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <semaphore>
#include <thread>

std::atomic<int> handed{0};

void negativeWorkWroteBeforeNotifying() {
  std::mutex mu;
  std::condition_variable cv;
  bool ready = false;
  std::thread worker([&] {
    handed.fetch_add(1);
    {
      std::lock_guard<std::mutex> lock(mu);
      ready = true;
    }
    cv.notify_one();
  });
  {
    std::unique_lock<std::mutex> lock(mu);
    cv.wait(lock, [&] { return ready; });
  }
  handed.store(handed.load() + 1); // the worker's write happened before
  worker.detach();
}

std::atomic<long> spun{0};
std::atomic<bool> spunReady{false};

void negativeSpinsOnReleaseStore() {
  std::thread worker([] {
    spun.fetch_add(10);
    spunReady.store(true, std::memory_order_release);
  });
  while (!spunReady.load(std::memory_order_acquire))
    std::this_thread::yield();
  spun = spun + 1;
  worker.detach();
}

std::atomic<long> relaxedSpun{0};
std::atomic<bool> relaxedReady{false};

void positiveRelaxedSpinOrdersNothing() {
  std::thread worker([] {
    relaxedSpun.fetch_add(10);
    relaxedReady.store(true, std::memory_order_relaxed);
  });
  while (!relaxedReady.load(std::memory_order_relaxed))
    std::this_thread::yield();
  relaxedSpun = relaxedSpun + 1;
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: read-modify-write of atomic 'relaxedSpun'
  // CHECK-FIXES: {{^}}  relaxedSpun += 1;{{$}}
  worker.detach();
}

// A class: the method that starts the work waits on a member semaphore the
// work releases after its last write.
class Batch {
public:
  void runOnce() {
    worker_ = std::thread([this] {
      done_.fetch_add(1);
      finished_.release();
    });
    finished_.acquire();
    done_.store(done_.load() + 1);
    worker_.detach();
  }
  void runTwice() {
    worker_ = std::thread([this] {
      finished_.release();
      late_.fetch_add(1);
    });
    finished_.acquire();
    late_.store(late_.load() + 1);
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: read-modify-write of atomic 'late_'
    // CHECK-FIXES: {{^}}    late_.fetch_add(1);{{$}}
    worker_.detach();
  }

private:
  std::thread worker_;
  std::binary_semaphore finished_{0};
  std::atomic<int> done_{0};
  std::atomic<int> late_{0};
};
