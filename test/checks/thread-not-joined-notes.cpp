// RUN: %check_threadlint %s threadlint-thread-not-joined %t -- -- -std=c++20 -pthread
// The note names the exit that leaves the thread joinable.

#include <string>
#include <thread>

void work();

void returnPath(bool fail) {
  std::thread t(work);
  // CHECK-NOTES: :[[@LINE-1]]:15: warning: thread 't' can be destroyed while still joinable, which calls std::terminate [threadlint-thread-not-joined]
  // CHECK-FIXES: std::jthread t(work);
  if (fail)
    return;
  // CHECK-NOTES: :[[@LINE-1]]:5: note: 't' is still joinable when this 'return' leaves its scope
  t.join();
}

int exceptionPath(const std::string &s) {
  std::thread t(work);
  // CHECK-NOTES: :[[@LINE-1]]:15: warning: thread 't' can be destroyed while still joinable
  // CHECK-FIXES: std::jthread t(work);
  int v = std::stoi(s);
  // CHECK-NOTES: :[[@LINE-1]]:11: note: 't' is still joinable if 'stoi' throws here
  t.join();
  return v;
}

void endOfScope() {
  std::thread t(work);
  // CHECK-NOTES: :[[@LINE-1]]:15: warning: thread 't' can be destroyed while still joinable
  // CHECK-FIXES: std::jthread t(work);
}
// CHECK-NOTES: :[[@LINE-1]]:1: note: 't' is still joinable at the end of its scope

class Poller {
public:
  Poller() : worker_(work) {}
  ~Poller() {}
private:
  std::thread worker_;
};
// CHECK-NOTES: :[[@LINE-2]]:15: warning: thread member 'worker_' is started but the destructor of 'Poller' neither joins nor detaches it
// CHECK-NOTES: :[[@LINE-6]]:14: note: the thread is started here
// CHECK-NOTES: :[[@LINE-6]]:3: note: destructor of 'Poller' defined here
