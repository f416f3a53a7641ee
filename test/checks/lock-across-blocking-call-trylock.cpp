// RUN: %check_threadlint %s threadlint-lock-across-blocking-call %t -- -- -std=c++17 -pthread

// Critical sections the lock model learnt from the deadlock checks' test
// suites: the success branch of a try-lock, and C11 mutexes.

#include <mutex>
#include <pthread.h>
#include <threads.h>
#include <unistd.h>

std::mutex mu;
void tryLockSection() {
  if (mu.try_lock()) {
    sleep(1);
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: blocking call 'sleep' (sleep) while holding
    mu.unlock();
  }
}

pthread_mutex_t pm = PTHREAD_MUTEX_INITIALIZER;
void pthreadTryLockSection() {
  if (pthread_mutex_trylock(&pm) == 0) {
    sleep(1);
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: blocking call 'sleep' (sleep) while holding
    pthread_mutex_unlock(&pm);
  }
}

mtx_t cm;
void c11Section() {
  mtx_lock(&cm);
  sleep(1);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: blocking call 'sleep' (sleep) while holding
  mtx_unlock(&cm);
}

// Not held: the branch where the try-lock failed, and after the unlock.
void failedBranchIsNotACriticalSection() {
  if (!mu.try_lock()) {
    sleep(1);
    return;
  }
  mu.unlock();
  sleep(1);
}
void afterC11Unlock() {
  mtx_lock(&cm);
  mtx_unlock(&cm);
  sleep(1);
}
