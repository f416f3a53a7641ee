// RUN: %check_threadlint %s threadlint-lock-across-blocking-call %t -- -- -std=c++17 -pthread

// A helper called under the caller's lock that releases that lock before
// it blocks does not block under it (rocksdb's ErrorHandler::SetBGError,
// called with the DB mutex held: `db_mutex_->Unlock(); join(); Lock();`).

#include <chrono>
#include <memory>
#include <mutex>
#include <pthread.h>
#include <thread>
#include <unistd.h>

// ------------------------------------------------------------ class form

class InstrumentedMutex {
public:
  void Lock();
  void Unlock();
  void AssertHeld();
};

class InstrumentedMutexLock {
public:
  explicit InstrumentedMutexLock(InstrumentedMutex *mu) : mu_(mu) {
    mu_->Lock();
  }
  ~InstrumentedMutexLock() { mu_->Unlock(); }

private:
  InstrumentedMutex *const mu_;
};

class InstrumentedMutexUnlock {
public:
  explicit InstrumentedMutexUnlock(InstrumentedMutex *mu) : mu_(mu) {
    mu_->Unlock();
  }
  ~InstrumentedMutexUnlock() { mu_->Lock(); }

private:
  InstrumentedMutex *const mu_;
};

class ErrorHandler {
public:
  explicit ErrorHandler(InstrumentedMutex *db_mutex) : db_mutex_(db_mutex) {}

  void SetBGError(bool retry) {
    db_mutex_->AssertHeld();
    if (retry && recovery_thread_) {
      db_mutex_->Unlock();
      recovery_thread_->join();
      db_mutex_->Lock();
    }
  }

  void EndAutoRecovery() {
    db_mutex_->Unlock();
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
    db_mutex_->Lock();
  }

  void WaitWithUnlocker() {
    InstrumentedMutexUnlock u(db_mutex_);
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }

  // Joins with the caller's lock held.
  void Stuck() { recovery_thread_->join(); }

  // Blocks first, releases after.
  void JoinThenRelease() {
    recovery_thread_->join();
    db_mutex_->Unlock();
    db_mutex_->Lock();
  }

  // Releases and takes the lock back before it blocks: the join is under
  // the lock taken back, here and for the caller.
  void RetakeThenJoin() {
    db_mutex_->Unlock();
    db_mutex_->Lock();
    recovery_thread_->join();
    // CHECK-MESSAGES: :[[@LINE-1]]:23: warning: blocking call 'std::thread::join' (thread join) while holding 'db_mutex_'
  }

private:
  InstrumentedMutex *db_mutex_;
  std::unique_ptr<std::thread> recovery_thread_;
};

class DB {
public:
  void negativeCalleeReleasesTheDbMutex() {
    // SetBGError unlocks db_mutex_ (our mutex_) before it joins
    InstrumentedMutexLock l(&mutex_);
    error_handler_.SetBGError(true);
  }
  void negativeCalleeReleasesBeforeItSleeps() {
    // EndAutoRecovery sleeps with db_mutex_ released
    InstrumentedMutexLock l(&mutex_);
    error_handler_.EndAutoRecovery();
  }
  void negativeCalleeReleasesWithAnUnlocker() {
    // the unlocker releases the mutex for the sleep
    InstrumentedMutexLock l(&mutex_);
    error_handler_.WaitWithUnlocker();
  }
  void positiveCalleeKeepsTheLock() {
    InstrumentedMutexLock l(&mutex_);
    error_handler_.Stuck();
    // CHECK-MESSAGES: :[[@LINE-1]]:20: warning: call to 'ErrorHandler::Stuck' may block (thread join in 'std::thread::join') while holding 'mutex_'
  }
  void positiveCalleeBlocksBeforeItReleases() {
    InstrumentedMutexLock l(&mutex_);
    error_handler_.JoinThenRelease();
    // CHECK-MESSAGES: :[[@LINE-1]]:20: warning: call to 'ErrorHandler::JoinThenRelease' may block (thread join in 'std::thread::join') while holding 'mutex_'
  }
  void positiveCalleeTakesTheLockBack() {
    InstrumentedMutexLock l(&mutex_);
    error_handler_.RetakeThenJoin();
    // CHECK-MESSAGES: :[[@LINE-1]]:20: warning: call to 'ErrorHandler::RetakeThenJoin' may block (thread join in 'std::thread::join') while holding 'mutex_'
  }

private:
  InstrumentedMutex mutex_;
  ErrorHandler error_handler_{&mutex_};
};

// --------------------------------------------------------- free functions

std::mutex gmu;
std::mutex ownMu;
pthread_mutex_t pmu = PTHREAD_MUTEX_INITIALIZER;

void releaseAndSleep(std::mutex *m) {
  m->unlock();
  ::usleep(10);
  m->lock();
}

void negativeFreeHelperReleasesTheCallersMutex() {
  // releaseAndSleep unlocks gmu around its sleep
  std::lock_guard<std::mutex> g(gmu);
  releaseAndSleep(&gmu);
}

void indirectRelease(std::mutex *m) { releaseAndSleep(m); }

void negativeTwoLevelsDown() {
  // the helper's helper releases the lock before it sleeps
  std::lock_guard<std::mutex> g(gmu);
  indirectRelease(&gmu);
}

void waitHanded(std::unique_lock<std::mutex> &lk) {
  lk.unlock();
  ::usleep(1);
  lk.lock();
}

void negativeHandedUniqueLockReleased() {
  // the helper unlocks the unique_lock it is handed
  std::unique_lock<std::mutex> lk(gmu);
  waitHanded(lk);
}

void pthreadRelease(pthread_mutex_t *m) {
  pthread_mutex_unlock(m);
  ::sleep(1);
  pthread_mutex_lock(m);
}

void negativePthreadHelperReleases() {
  // pthread_mutex_unlock on the caller's mutex before the sleep
  pthread_mutex_lock(&pmu);
  pthreadRelease(&pmu);
  pthread_mutex_unlock(&pmu);
}

void sleepsHoldingIt(std::mutex *) { ::usleep(10); }

void positiveFreeHelperThatDoesNotUnlock() {
  std::lock_guard<std::mutex> g(gmu);
  sleepsHoldingIt(&gmu);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: call to 'sleepsHoldingIt' may block (sleep in 'usleep') while holding 'gmu'
}

// A helper that takes a lock of its own and releases it releases nothing
// of its caller's.
void ownLockThenSleep() {
  ownMu.lock();
  ownMu.unlock();
  ::usleep(1);
}

void positiveHelperReleasesOnlyItsOwnLock() {
  std::lock_guard<std::mutex> g(gmu);
  ownLockThenSleep();
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: call to 'ownLockThenSleep' may block (sleep in 'usleep') while holding 'gmu'
}

// One path releases, the other sleeps with the lock held.
void releasesOnOnePath(std::mutex *m, bool c) {
  if (c) {
    m->unlock();
    ::usleep(1);
    m->lock();
  } else {
    ::sleep(1);
  }
}

void positiveOnePathKeepsTheLock(bool c) {
  std::lock_guard<std::mutex> g(gmu);
  releasesOnOnePath(&gmu, c);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: call to 'releasesOnOnePath' may block (sleep in 'sleep') while holding 'gmu'
}

// ------------------------------------------------------------- templates

template <class M> void releaseWhile(M &m) {
  m.unlock();
  ::usleep(1);
  m.lock();
}

template <class M> void sleepWhile(M &) { ::usleep(1); }

void negativeTemplateHelperReleases() {
  // the instantiated helper unlocks gmu before it sleeps
  std::lock_guard<std::mutex> g(gmu);
  releaseWhile(gmu);
}

void positiveTemplateHelperKeeps() {
  std::lock_guard<std::mutex> g(gmu);
  sleepWhile(gmu);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: call to 'sleepWhile' may block (sleep in 'usleep') while holding 'gmu'
}
