// RUN: %check_threadlint %s threadlint-sleep-as-sync %t -- -- -std=c++17 -pthread
// The same rules in C++17: no std::jthread, no std::latch.

#include <chrono>
#include <condition_variable>
#include <future>
#include <mutex>
#include <thread>
#include <unistd.h>
#include <vector>

void use(int);
int compute();

void positiveSleepBeforeAssert() {
  std::vector<int> seen;
  std::thread t([&seen] { seen.push_back(compute()); });
  std::this_thread::sleep_for(std::chrono::milliseconds(20));
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: sleep used as synchronisation: 'seen' is read while the work started earlier may still write it; join the thread instead [threadlint-sleep-as-sync]
  use(static_cast<int>(seen.size()));
  t.join();
}
// CHECK-FIXES: {{^}}  t.join();{{$}}
// CHECK-FIXES-NEXT: {{^}}  //{{$}}
// CHECK-FIXES-NEXT: {{^}}  use(static_cast<int>(seen.size()));{{$}}
// CHECK-FIXES-NEXT: {{^}}}{{$}}

int positiveDetachedWritesThroughAPointer() {
  auto *result = new int(0);
  std::thread([result] { *result = compute(); }).detach();
  sleep(1);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: sleep used as synchronisation: the function returns while the work started earlier may still run; wait on a latch or a condition variable instead [threadlint-sleep-as-sync]
  return 0;
}

int positiveAsync() {
  int x = 0;
  std::future<void> f = std::async(std::launch::async, [&x] { x = compute(); });
  usleep(100);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: sleep used as synchronisation: 'x' is read while the work started earlier may still write it; wait on the future instead [threadlint-sleep-as-sync]
  return x;
}

void negativeConditionVariable() {
  std::mutex m;
  std::condition_variable cv;
  bool ready = false;
  int x = 0;
  std::thread t([&] {
    std::lock_guard<std::mutex> lock(m);
    x = compute();
    ready = true;
    cv.notify_one();
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(1));
  std::unique_lock<std::mutex> lock(m);
  cv.wait(lock, [&ready] { return ready; });
  use(x);
  lock.unlock();
  t.join();
}

void negativePollingLoop() {
  std::atomic<bool> done{false};
  std::thread t([&done] { done.store(true); });
  do {
    usleep(100);
  } while (!done.load());
  t.join();
}
