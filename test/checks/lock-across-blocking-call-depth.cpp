// RUN: %check_threadlint %s threadlint-lock-across-blocking-call %t -- -- -std=c++17 -pthread

// Whether a call under a lock is reported does not depend on which calls
// the check looked at before (MaxCallDepth is 4).

#include <mutex>
#include <unistd.h>

std::mutex mu;

void sleepy() { ::usleep(1); }
void c3() { sleepy(); }
void c2() { c3(); }
void mid() { c2(); }
void top() { mid(); }

void positiveThreeLevelsDown() {
  std::lock_guard<std::mutex> g(mu);
  c2();
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: call to 'c2' may block (sleep in 'usleep') while holding 'mu'
}

void negativeBeyondTheDepth() {
  // the sleep is five calls down: further than MaxCallDepth
  std::lock_guard<std::mutex> g(mu);
  top();
}

// Four calls down, within the depth: reported although the query above
// already looked at 'mid' with less depth left.
void positiveFourLevelsDownAfterADeeperQuery() {
  std::lock_guard<std::mutex> g(mu);
  mid();
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: call to 'mid' may block (sleep in 'usleep') while holding 'mu'
}
