// RUN: %check_threadlint %s threadlint-non-atomic-rmw %t -- -- -std=c++20 -pthread
//
// "The function waited for all the work it started" is the concurrency
// model's answer on the CFG (afterAllWorkWaited): a wait on the work's own
// handle, its pool, or a latch the work signals, on every path. A wait on
// an unrelated object, or a join on one branch only, leaves the work
// running, and the split update can still lose the work's increment.

#include <atomic>
#include <future>
#include <latch>
#include <thread>

std::atomic<int> total{0};

void positiveWaitOnAnUnrelatedFuture(std::future<void> &other) {
  std::thread worker([] { total.fetch_add(1); });
  other.wait();
  total.store(total.load() + 1);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: read-modify-write of atomic 'total' is split into a load and a separate store
  // CHECK-FIXES: {{^}}  total.fetch_add(1);{{$}}
  worker.join();
}

void positiveJoinedOnOneBranchOnly(bool early) {
  std::thread worker([] { total.fetch_add(1); });
  if (early)
    worker.join();
  total.store(total.load() + 1);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: read-modify-write of atomic 'total' is split into a load and a separate store
  // CHECK-FIXES: {{^}}  total.fetch_add(1);{{$}}
  if (!early)
    worker.join();
}

void negativeJoinedOnEveryPath(bool log) {
  std::thread worker([] { total.fetch_add(1); });
  if (log)
    total.fetch_add(0);
  worker.join();
  total.store(total.load() + 1);
}

void negativeLatchTheWorkSignals() {
  std::latch done(1);
  std::thread worker([&done] {
    total.fetch_add(1);
    done.count_down();
  });
  worker.detach();
  done.wait();
  total.store(total.load() + 1);
}
