// RUN: %check_threadlint %s threadlint-non-atomic-rmw %t -- -- -std=c++20 -pthread
//
// A condition-variable wait after the spawn waits for a notification, not
// for the work to end: the function is not alone with its atomics after it.

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <thread>

std::atomic<int> rounds{0};

void positiveAfterConditionWait() {
  std::mutex mu;
  std::condition_variable cv;
  bool ready = false;
  std::thread worker([&] {
    {
      std::lock_guard<std::mutex> lock(mu);
      ready = true;
    }
    cv.notify_one();
    rounds.fetch_add(1);
  });
  {
    std::unique_lock<std::mutex> lock(mu);
    cv.wait(lock, [&] { return ready; });
  }
  rounds.store(rounds.load() + 1);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: read-modify-write of atomic 'rounds' is split into a load and a separate store
  // CHECK-FIXES: {{^}}  rounds.fetch_add(1);{{$}}
  worker.join();
}

void negativeAfterTheJoin() {
  std::thread worker([] { rounds.fetch_add(1); });
  worker.join();
  // The work has ended: nobody else updates 'rounds' now.
  rounds.store(rounds.load() + 1);
}
