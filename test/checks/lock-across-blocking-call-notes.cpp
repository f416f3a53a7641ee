// RUN: %check_threadlint %s threadlint-lock-across-blocking-call %t -- -- -std=c++17 -pthread

#include <condition_variable>
#include <mutex>
#include <sys/socket.h>
#include <unistd.h>

std::mutex mu;
std::mutex other;
int fd;
char buf[16];

void direct() {
  std::unique_lock<std::mutex> lk(mu);
  recv(fd, buf, sizeof buf, 0);
  // CHECK-NOTES: :[[@LINE-1]]:3: warning: blocking call 'recv' (socket I/O) while holding 'mu'; move the call out of the critical section
  // CHECK-NOTES: :[[@LINE-3]]:3: note: 'mu' is acquired here
}

void relocked() {
  std::unique_lock<std::mutex> lk(mu);
  lk.unlock();
  lk.lock();
  ::sleep(1);
  // CHECK-NOTES: :[[@LINE-1]]:3: warning: blocking call 'sleep' (sleep) while holding 'mu'
  // CHECK-NOTES: :[[@LINE-3]]:3: note: 'mu' is acquired here
}

void twoLocks() {
  std::lock_guard<std::mutex> a(mu);
  other.lock();
  ::usleep(1);
  // CHECK-NOTES: :[[@LINE-1]]:3: warning: blocking call 'usleep' (sleep) while holding 'mu' and 'other'
  // CHECK-NOTES: :[[@LINE-4]]:3: note: 'mu' is acquired here
  // CHECK-NOTES: :[[@LINE-4]]:3: note: 'other' is acquired here
  other.unlock();
}

int readSome() {
  return static_cast<int>(::read(fd, buf, sizeof buf));
}
int readTwice() {
  return readSome() + readSome();
}

struct Cache {
  void refresh() {
    std::lock_guard<std::mutex> g(mu_);
    value_ = readTwice();
    // CHECK-NOTES: :[[@LINE-1]]:14: warning: call to 'readTwice' may block (file I/O in 'read') while holding 'mu_'; move the call out of the critical section
    // CHECK-NOTES: :[[@LINE-3]]:5: note: 'mu_' is acquired here
    // CHECK-NOTES: :[[@LINE-9]]:10: note: 'readTwice' calls 'readSome' here
    // CHECK-NOTES: :[[@LINE-13]]:27: note: 'readSome' blocks here, calling 'read'
  }
  std::mutex mu_;
  int value_ = 0;
};
