// RUN: %check_threadlint %s threadlint-missing-stop %t -- -- -std=c++20 -pthread

#include <stop_token>
#include <thread>

void poll();
void consume(std::stop_token);

void forever() {
  std::thread t([] {
    while (true)
      poll();
  });
  t.join();
  // CHECK-NOTES: :[[@LINE-4]]:5: warning: this loop in a spawned task can never end
  // CHECK-NOTES: :[[@LINE-6]]:15: note: the task is started here; give it a stop flag, a std::stop_token or a closed-queue check
}

void ignoredToken() {
  std::jthread worker([](std::stop_token token) {
    for (;;)
      poll();
  });
  // CHECK-NOTES: :[[@LINE-4]]:42: warning: the std::jthread task takes a std::stop_token but never consults it
  // CHECK-NOTES: :[[@LINE-4]]:5: note: this loop does not check the token
  // CHECK-NOTES: :[[@LINE-6]]:16: note: the task is started here
}

void neverStopped() {
  std::stop_source source;
  std::thread t(consume, source.get_token());
  t.join();
  // CHECK-NOTES: :[[@LINE-3]]:20: warning: std::stop_source 'source' hands its token to spawned work, but request_stop() is never called on it in this function
  // CHECK-NOTES: :[[@LINE-3]]:15: note: the work that gets its token starts here
}
