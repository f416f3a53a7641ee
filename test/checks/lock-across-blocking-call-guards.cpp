// RUN: %check_threadlint %s threadlint-lock-across-blocking-call %t -- -- -std=c++17 -pthread

// Project guards nobody listed in GuardTypes are recognised by what their
// constructor does to the lockable object it is handed.

#include <mutex>
#include <thread>
#include <unistd.h>

namespace port {
class __attribute__((capability("mutex"))) Mutex {
public:
  void Lock();
  void Unlock();
};
// leveldb's and rocksdb's port::CondVar: bound to a mutex, its constructor
// (in another file) does not lock it.
class CondVar {
public:
  explicit CondVar(Mutex *mu);
  ~CondVar();
  void Wait();
  void Signal();

private:
  Mutex *mu_;
};
} // namespace port

// leveldb's MutexLock: the constructor locks through the member it keeps.
class MutexLock {
public:
  explicit MutexLock(port::Mutex *mu) : mu_(mu) { this->mu_->Lock(); }
  ~MutexLock() { this->mu_->Unlock(); }

private:
  port::Mutex *const mu_;
};

// rocksdb's InstrumentedMutexUnlock: the constructor unlocks, the
// destructor locks again.
class AutoUnlock {
public:
  explicit AutoUnlock(port::Mutex *mu) : mu_(mu) { mu_->Unlock(); }
  ~AutoUnlock() { mu_->Lock(); }

private:
  port::Mutex *mu_;
};

port::Mutex mu;

// ------------------------------------------------- condition variables

void negativeCondVarBoundToTheMutexIsNotAGuard(std::thread &t) {
  // cv is bound to mu; nothing locks mu here
  port::CondVar cv(&mu);
  t.join();
}

// A condition variable whose constructor is visible and does not lock.
class VisibleCondVar {
public:
  explicit VisibleCondVar(port::Mutex *mu) : mu_(mu) {}
  ~VisibleCondVar() {}
  void Wait();

private:
  port::Mutex *mu_;
};

void negativeVisibleCondVarIsNotAGuard() {
  // the constructor only stores the pointer
  VisibleCondVar cv(&mu);
  ::usleep(10);
}

class Worker {
public:
  void negativeCondVarInAMethod() {
    // rocksdb's repeatable_thread_test: a condition variable on the mutex
    port::CondVar test_cv(&mutex_);
    thread_.join();
  }
  void positiveMutexLockInAMethod() {
    MutexLock l(&mutex_);
    thread_.join();
    // CHECK-MESSAGES: :[[@LINE-1]]:13: warning: blocking call 'std::thread::join' (thread join) while holding 'mutex_'
  }

private:
  port::Mutex mutex_;
  std::thread thread_;
};

// ----------------------------------------------------- locking guards

void positiveMutexLockConstructorLocks(std::thread &t) {
  MutexLock l(&mu);
  t.join();
  // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: blocking call 'std::thread::join' (thread join) while holding 'mu'
}

void positiveCondVarAndAGuard(std::thread &t) {
  MutexLock l(&mu);
  port::CondVar cv(&mu);
  t.join();
  // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: blocking call 'std::thread::join' (thread join) while holding 'mu'
}

// A guard class template: the instantiated constructor locks.
template <class M> class BasicHolder {
public:
  explicit BasicHolder(M &m) : m_(m) { m_.lock(); }
  ~BasicHolder() { m_.unlock(); }

private:
  M &m_;
};
std::mutex stdMu;

void positiveTemplateGuard() {
  BasicHolder<std::mutex> h(stdMu);
  ::sleep(1);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: blocking call 'sleep' (sleep) while holding 'stdMu'
}

// A condition-variable class template: stores the mutex, does not lock.
template <class M> class BasicCondVar {
public:
  explicit BasicCondVar(M *m) : m_(m) {}
  ~BasicCondVar() {}

private:
  M *m_;
};

void negativeTemplateCondVar() {
  // the instantiated constructor only stores the pointer
  BasicCondVar<std::mutex> cv(&stdMu);
  ::sleep(1);
}

// A guard that locks through a helper of its class.
class HelperGuard {
public:
  explicit HelperGuard(port::Mutex *mu) : mu_(mu) { acquire(); }
  ~HelperGuard() { mu_->Unlock(); }

private:
  void acquire() { mu_->Lock(); }
  port::Mutex *mu_;
};

void positiveGuardLockingThroughAHelper() {
  HelperGuard g(&mu);
  ::sleep(1);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: blocking call 'sleep' (sleep) while holding 'mu'
}

// A guard whose member is a standard guard.
class WrappedGuard {
public:
  explicit WrappedGuard(std::mutex &m) : lock_(m) {}
  ~WrappedGuard() {}

private:
  std::lock_guard<std::mutex> lock_;
};

void positiveGuardWrappingAStandardGuard() {
  WrappedGuard g(stdMu);
  ::sleep(1);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: blocking call 'sleep' (sleep) while holding 'stdMu'
}

// --------------------------------------------------------- unlockers

void negativeUnlockerAloneIsNotAGuard(std::thread &t) {
  // AutoUnlock releases mu: it never holds it
  AutoUnlock u(&mu);
  t.join();
}

void negativeUnlockerReleasesTheHeldLock(std::thread &t) {
  MutexLock l(&mu);
  {
    // mu is released until u goes out of scope
    AutoUnlock u(&mu);
    t.join();
  }
}

void positiveAfterTheUnlockerScope(std::thread &t) {
  MutexLock l(&mu);
  { AutoUnlock u(&mu); }
  t.join();
  // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: blocking call 'std::thread::join' (thread join) while holding 'mu'
}

// ------------------------------------ constructors that are not visible

// The class name says it: the last word is Guard, Lock, Locker or Holder.
class ScopedLocker {
public:
  explicit ScopedLocker(port::Mutex *mu);
  ~ScopedLocker();
};

void positiveGuardNamedByItsClass() {
  ScopedLocker l(&mu);
  ::sleep(1);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: blocking call 'sleep' (sleep) while holding 'mu'
}

class ScopedUnlock {
public:
  explicit ScopedUnlock(port::Mutex *mu);
  ~ScopedUnlock();
};

void negativeUnlockNamedClassWithoutABody() {
  // the name says it releases: not taken for a guard
  ScopedUnlock u(&mu);
  ::sleep(1);
}

// Thread-safety attributes say what an invisible constructor does.
class __attribute__((scoped_lockable)) Critical {
public:
  explicit Critical(port::Mutex *m) __attribute__((acquire_capability(m)));
  ~Critical() __attribute__((release_capability()));
};

void positiveAnnotatedScopedCapability() {
  Critical c(&mu);
  ::sleep(1);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: blocking call 'sleep' (sleep) while holding 'mu'
}

// oneTBB's spin_mutex::scoped_lock: the constructor hands the mutex to a
// method of the class that locks it.
class SpinMutex {
public:
  void lock();
  void unlock();
};
class SpinScoped {
public:
  explicit SpinScoped(SpinMutex &m) { acquire(m); }
  ~SpinScoped() {
    if (m_)
      m_->unlock();
  }

private:
  void acquire(SpinMutex &m) {
    m_ = &m;
    m.lock();
  }
  SpinMutex *m_ = nullptr;
};
SpinMutex spinMu;

void positiveGuardLockingThroughAMethodItHandsTheMutexTo() {
  SpinScoped l(spinMu);
  ::sleep(1);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: blocking call 'sleep' (sleep) while holding 'spinMu'
}

// The constructor hands the mutex to a function whose body is elsewhere:
// what it does is unknown, and the class name decides.
void registerMutex(port::Mutex *);
class Tracked {
public:
  explicit Tracked(port::Mutex *mu) : mu_(mu) { registerMutex(mu); }
  ~Tracked() {}

private:
  port::Mutex *mu_;
};
class TrackedLock {
public:
  explicit TrackedLock(port::Mutex *mu) : mu_(mu) { registerMutex(mu); }
  ~TrackedLock() {}

private:
  port::Mutex *mu_;
};

void negativeUnknownConstructorEffectWithoutAGuardName() {
  // registerMutex may do anything; 'Tracked' does not say guard
  Tracked t(&mu);
  ::sleep(1);
}

void positiveUnknownConstructorEffectWithAGuardName() {
  TrackedLock t(&mu);
  ::sleep(1);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: blocking call 'sleep' (sleep) while holding 'mu'
}
