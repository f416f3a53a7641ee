// RUN: %check_threadlint %s threadlint-double-lock %t -- -- -std=c++17 -pthread

#include <mutex>
#include <pthread.h>
#include <set>
#include <shared_mutex>
#include <thread>

// --- Positives ---------------------------------------------------------

// A locking method calls another locking method of the same object.
class Sessions {
public:
  size_t size() {
    std::lock_guard<std::mutex> l(mu_);
    return ids_.size();
  }
  void add(int id) {
    std::lock_guard<std::mutex> l(mu_);
    if (size() > 100)
    // CHECK-MESSAGES: :[[@LINE-1]]:9: warning: 'mu_' is locked again in 'Sessions::size' while this thread already holds it; a non-recursive mutex locked twice deadlocks [threadlint-double-lock]
      return;
    ids_.insert(id);
  }
  template <class F> void forEach(F f) {
    std::lock_guard<std::mutex> l(mu_);
    for (int id : ids_)
      f(id);
    // CHECK-MESSAGES: :[[@LINE-1]]:7: warning: 'sessions.mu_' is locked again in 'lambda -> Sessions::size' while this thread already holds it
  }

private:
  std::mutex mu_;
  std::set<int> ids_;
};

// A callback invoked under the lock re-enters a locking method.
void ping(Sessions &sessions) {
  sessions.forEach([&sessions](int) { (void)sessions.size(); });
}

// A guard, then the same mutex locked by hand.
std::mutex table_mu;
void rebuild() {
  std::lock_guard<std::mutex> g(table_mu);
  table_mu.lock();
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: 'table_mu' is locked while this thread already holds it
  table_mu.unlock();
}

// Through a helper with a pointer parameter, on the same object.
struct Queue {
  std::mutex mu;
  int n = 0;
};
void bump(Queue *q) {
  std::lock_guard<std::mutex> g(q->mu);
  ++q->n;
}
void drain(Queue &q) {
  std::lock_guard<std::mutex> g(q.mu);
  bump(&q);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: 'q.mu' is locked again in 'bump' while this thread already holds it
}

// Exclusive after shared on a shared_mutex.
std::shared_mutex rw;
void upgrade() {
  std::shared_lock<std::shared_mutex> r(rw);
  std::unique_lock<std::shared_mutex> w(rw);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: 'rw' is locked while this thread already holds it
}

// C11 mutexes.
#include <threads.h>
mtx_t cm;
void c11() {
  mtx_lock(&cm);
  mtx_lock(&cm);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: 'cm' is locked while this thread already holds it
  mtx_unlock(&cm);
  mtx_unlock(&cm);
}

// A class template, instantiated twice: reported once.
template <class T> class Box {
public:
  T get() {
    std::lock_guard<std::mutex> l(mu_);
    return v_;
  }
  T twice() {
    std::lock_guard<std::mutex> l(mu_);
    return get() + get();
    // CHECK-MESSAGES: :[[@LINE-1]]:12: warning: 'mu_' is locked again in 'Box::get'
  }

private:
  std::mutex mu_;
  T v_{};
};
int useBoxes() { return Box<int>().twice() + int(Box<long>().twice()); }

// --- Negatives ---------------------------------------------------------

// A recursive mutex may be locked again by its holder.
class RecursiveIsFine {
public:
  int size() {
    std::lock_guard<std::recursive_mutex> l(mu_);
    return n_;
  }
  void add() {
    std::lock_guard<std::recursive_mutex> l(mu_);
    if (size() < 10)
      ++n_;
  }

private:
  std::recursive_mutex mu_;
  int n_ = 0;
};

// A *_locked() helper assumes the lock and does not take it.
class LockedHelperTakesNoLock {
public:
  void add() {
    std::lock_guard<std::mutex> l(mu_);
    if (size_locked() < 10)
      ++n_;
  }

private:
  int size_locked() const { return n_; }
  std::mutex mu_;
  int n_ = 0;
};

// The unique_lock is released before the call that locks again.
class ReleasedBeforeTheCall {
public:
  int size() {
    std::lock_guard<std::mutex> l(mu_);
    return n_;
  }
  void add() {
    std::unique_lock<std::mutex> l(mu_);
    ++n_;
    l.unlock();
    (void)size();
  }

private:
  std::mutex mu_;
  int n_ = 0;
};

// Two objects of one class: each call locks its own.
class Counter {
public:
  int get() {
    std::lock_guard<std::mutex> l(mu_);
    return n_;
  }
  void addFrom(Counter &other) {
    std::lock_guard<std::mutex> l(mu_);
    n_ += other.get();
  }

private:
  std::mutex mu_;
  int n_ = 0;
};

// Two reader locks of a shared mutex are both granted.
std::shared_mutex config_mu;
int readTwiceIsShared() {
  std::shared_lock<std::shared_mutex> a(config_mu);
  std::shared_lock<std::shared_mutex> b(config_mu);
  return 0;
}

// A try-lock on a held mutex fails instead of waiting.
std::mutex try_mu;
void tryLockDoesNotWait() {
  std::lock_guard<std::mutex> g(try_mu);
  if (try_mu.try_lock())
    try_mu.unlock();
}

// A callee that releases its caller's lock, works, and takes it back.
std::mutex db_mu;
void waitUnlocked() {
  db_mu.unlock();
  db_mu.lock();
}
void callerLockIsTakenBack() {
  std::lock_guard<std::mutex> g(db_mu);
  waitUnlocked();
}

// Locked, unlocked, locked again: never twice at once.
void lockUnlockLock() {
  table_mu.lock();
  table_mu.unlock();
  std::lock_guard<std::mutex> g(table_mu);
}

// NOLINT silences it.
void quiet() {
  std::lock_guard<std::mutex> g(table_mu);
  table_mu.lock(); // NOLINT(threadlint-double-lock)
}

// A callee that releases its caller's lock, then calls a helper that locks
// it (leveldb's DoCompactionWork and OpenCompactionOutputFile).
class Compactor {
public:
  void background() {
    std::lock_guard<std::mutex> g(mu_);
    doWork();
  }

private:
  void openOutput() {
    mu_.lock();
    ++outputs_;
    mu_.unlock();
  }
  void doWork() {
    mu_.unlock();
    openOutput();
    mu_.lock();
  }
  std::mutex mu_;
  int outputs_ = 0;
};

// Through a macro.
#define WITH_LOCK(m) std::lock_guard<std::mutex> guard_##m(m)
std::mutex reg_mu;
void registerTwice() {
  WITH_LOCK(reg_mu);
  reg_mu.lock();
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: 'reg_mu' is locked while this thread already holds it
  reg_mu.unlock();
}

// A project guard handed to a function that releases it (oneTBB's
// market::add_ref_unsafe(lock, ...)), or told to acquire again after its
// release(): what the guard does is its own business.
class SpinMutex {
public:
  void lock();
  void unlock();
};
class ScopedLock {
public:
  explicit ScopedLock(SpinMutex &m) : m_(&m) { m.lock(); }
  ~ScopedLock() {
    if (m_)
      m_->unlock();
  }
  void release() {
    m_->unlock();
    m_ = nullptr;
  }
  void acquire(SpinMutex &m) {
    m.lock();
    m_ = &m;
  }

private:
  SpinMutex *m_;
};
SpinMutex market_mu;
void setWorkers() { ScopedLock l(market_mu); }
bool addRefUnsafe(ScopedLock &lock) {
  lock.release();
  setWorkers();
  return true;
}
void guardHandedToAFunctionThatReleasesIt() {
  ScopedLock lock(market_mu);
  addRefUnsafe(lock);
}
void guardReleasedThenAcquiredAgain() {
  ScopedLock lock(market_mu);
  lock.release();
  lock.acquire(market_mu);
}

// A callee that locks only under a flag, called locked with the flag set
// (rocksdb's GetIntPropertyInternal(..., is_locked), WriteOptionsFile's
// need_mutex_lock), or after an early return.
class Props {
public:
  int get(bool is_locked) {
    if (is_locked)
      return n_;
    std::lock_guard<std::mutex> l(mu_);
    return n_;
  }
  int getBranch(bool is_locked) {
    if (!is_locked) {
      std::lock_guard<std::mutex> l(mu_);
      return n_;
    }
    return n_;
  }
  int calledWithTheFlagSet() {
    std::lock_guard<std::mutex> l(mu_);
    return get(true) + getBranch(true);
  }

private:
  std::mutex mu_;
  int n_ = 0;
};
