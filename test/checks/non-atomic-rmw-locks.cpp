// RUN: %check_threadlint %s threadlint-non-atomic-rmw %t -- -- -std=c++17 -pthread

// Writes serialised by one mutex do not lose updates: a split
// read-modify-write is not reported when every write of the atomic in the
// translation unit holds a common lock, taken in the writing function or
// held by its callers (thread-safety annotations, an assertion at entry, a
// private helper whose callers all hold it).

#include <atomic>
#include <cstdint>
#include <mutex>

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

// --------------------------------------------- class form, member atomics

// rocksdb's DBImpl::InstallSuperVersionAndScheduleWork: a private method,
// every call holds the DB mutex, like every other writer.
class DBImpl {
public:
  void SetOptions(uint64_t size) {
    InstrumentedMutexLock l(&mutex_);
    negativeHelperOnlyCalledUnderTheLock(size);
  }
  void Open() {
    mutex_.Lock();
    negativeHelperOnlyCalledUnderTheLock(0);
    mutex_.Unlock();
  }
  void Reset() {
    InstrumentedMutexLock l(&mutex_);
    max_total_in_memory_state_.store(0);
  }
  uint64_t Get() const { return max_total_in_memory_state_.load(); }

private:
  void negativeHelperOnlyCalledUnderTheLock(uint64_t size) {
    // private: SetOptions and Open call it with mutex_ held
    max_total_in_memory_state_ = max_total_in_memory_state_ - old_ + size;
    old_ = size;
  }
  InstrumentedMutex mutex_;
  std::atomic<uint64_t> max_total_in_memory_state_{0};
  uint64_t old_ = 0;
};

// The same in a public method that asserts the mutex at its entry.
class VersionSet {
public:
  void negativeAssertsTheMutexAtEntry(uint64_t n) {
    // mu_.AssertHeld(): the callers hold mu_, as in the other writer
    mu_.AssertHeld();
    next_ = next_ + n;
  }
  void Clear() {
    InstrumentedMutexLock l(&mu_);
    next_ = 0;
  }

private:
  InstrumentedMutex mu_;
  std::atomic<uint64_t> next_{0};
};

// Called once without the lock: the helper's callers do not all hold it.
class Stats {
public:
  void Locked() {
    std::lock_guard<std::mutex> g(mu_);
    bump();
  }
  void Unlocked() { bump(); }

private:
  void bump() {
    hits_ = hits_ + 1;
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: read-modify-write of atomic 'hits_' is split into a load and a separate store
    // CHECK-FIXES: {{^}}    hits_ += 1;{{$}}
  }
  std::mutex mu_;
  std::atomic<int> hits_{0};
};

// Every caller holds a lock, but another writer holds a different one.
class TwoLocks {
public:
  void ViaA() {
    std::lock_guard<std::mutex> g(a_);
    grow(2);
  }
  void ViaB() {
    std::lock_guard<std::mutex> g(b_);
    size_.store(0);
  }

private:
  void grow(int n) {
    size_ = size_ + n;
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: read-modify-write of atomic 'size_'
    // CHECK-FIXES: {{^}}    size_ += n;{{$}}
  }
  std::mutex a_, b_;
  std::atomic<int> size_{0};
};

// A public helper: callers in other files may not hold the lock.
class Public {
public:
  void Locked() {
    std::lock_guard<std::mutex> g(mu_);
    add(1);
  }
  void add(int n) {
    value_ = value_ + n;
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: read-modify-write of atomic 'value_'
    // CHECK-FIXES: {{^}}    value_ += n;{{$}}
  }

private:
  std::mutex mu_;
  std::atomic<int> value_{0};
};

// ---------------------------------------- thread-safety annotations

class __attribute__((capability("mutex"))) Mutex {
public:
  void lock() __attribute__((acquire_capability()));
  void unlock() __attribute__((release_capability()));
};

class Ledger {
public:
  void Deposit(long n) {
    std::lock_guard<Mutex> g(mu_);
    negativeRequiresTheMutex(n);
  }
  void Clear() {
    std::lock_guard<Mutex> g(mu_);
    balance_.store(0);
  }
  // Public, but annotated: every caller must hold mu_.
  void negativeRequiresTheMutex(long n) __attribute__((requires_capability(mu_)));

private:
  Mutex mu_;
  std::atomic<long> balance_{0};
};

void Ledger::negativeRequiresTheMutex(long n) {
  // requires_capability(mu_), like Clear's lock
  balance_ = balance_ + n;
}

// The usual macro over the attribute.
#define REQUIRES(...) __attribute__((requires_capability(__VA_ARGS__)))

class Account {
public:
  void Add(int n) {
    std::lock_guard<Mutex> g(mu_);
    negativeRequiresThroughTheMacro(n);
  }
  void negativeRequiresThroughTheMacro(int n) REQUIRES(mu_) {
    // REQUIRES(mu_): the only writer runs with mu_ held
    points_ = points_ * 2 + n;
  }

private:
  Mutex mu_;
  std::atomic<int> points_{0};
};

Mutex gmu;
std::atomic<long> total{0};
std::atomic<int> level{0};

void negativeRequiresTheGlobalMutex(long n)
    __attribute__((exclusive_locks_required(gmu)));
void negativeRequiresTheGlobalMutex(long n) {
  // exclusive_locks_required(gmu), like resetTotal's lock
  total.store(total.load() + n);
}

void resetTotal() {
  std::lock_guard<Mutex> g(gmu);
  total = 0;
}

void raiseLevel(int n) __attribute__((requires_capability(gmu)));
void raiseLevel(int n) {
  level = level + n;
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: read-modify-write of atomic 'level'
  // CHECK-FIXES: {{^}}  level += n;{{$}}
}

// Another writer without the lock: the annotation alone does not
// serialise the writes.
void clearLevel() { level.store(0); }

// ------------------------------------------ free functions, globals

std::mutex mu;
std::atomic<long> bytes{0};
std::atomic<long> misses{0};

static void negativeInternalHelperCalledUnderTheLock(long n) {
  // internal linkage: both callers hold mu
  bytes = bytes + n;
}

void addBytes(long n) {
  std::lock_guard<std::mutex> g(mu);
  negativeInternalHelperCalledUnderTheLock(n);
}

void addTwice(long n) {
  std::lock_guard<std::mutex> g(mu);
  negativeInternalHelperCalledUnderTheLock(n);
  negativeInternalHelperCalledUnderTheLock(n);
}

namespace {
void countMiss() {
  misses = misses + 1;
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: read-modify-write of atomic 'misses'
  // CHECK-FIXES: {{^}}  misses += 1;{{$}}
}
} // namespace

void lockedMiss() {
  std::lock_guard<std::mutex> g(mu);
  countMiss();
}

// The one call without the lock.
void unlockedMiss() { countMiss(); }

// Taking the helper's address: it may be called from anywhere.
std::atomic<long> drops{0};
static void drop() {
  drops = drops + 1;
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: read-modify-write of atomic 'drops'
  // CHECK-FIXES: {{^}}  drops += 1;{{$}}
}
void lockedDrop() {
  std::lock_guard<std::mutex> g(mu);
  drop();
}
void (*dropper)() = drop;

// Two levels: the helper's caller is itself a helper called under the lock.
std::atomic<long> depth2{0};
static void innerHelper() {
  // innerHelper's only caller, outerHelper, is only called under mu
  depth2 = depth2 + 1;
}
static void outerHelper() { innerHelper(); }
void negativeTwoLevelsOfHelpers() {
  std::lock_guard<std::mutex> g(mu);
  outerHelper();
}

// ---------------------------------------------------------- templates

template <class T> class Counter {
public:
  void add(T n) {
    std::lock_guard<std::mutex> g(mu_);
    negativeTemplateHelperUnderTheLock(n);
  }
  void set(T n) {
    std::lock_guard<std::mutex> g(mu_);
    value_.store(n);
  }

private:
  void negativeTemplateHelperUnderTheLock(T n) {
    // private; add holds mu_, set holds it too
    value_ = value_ + n;
  }
  std::mutex mu_;
  std::atomic<T> value_{0};
};

template <class T> class Gauge {
public:
  void add(T n) { addUnlocked(n); }
  void set(T n) {
    std::lock_guard<std::mutex> g(mu_);
    value_.store(n);
  }

private:
  void addUnlocked(T n) {
    value_ = value_ + n;
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: read-modify-write of atomic 'value_'
    // CHECK-FIXES: {{^}}    value_ += n;{{$}}
  }
  std::mutex mu_;
  std::atomic<T> value_{0};
};

void useTemplates() {
  Counter<int> c;
  c.add(1);
  c.set(2);
  Gauge<int> g;
  g.add(1);
  g.set(2);
}

// ---------------------------- compare-exchange elsewhere, explicit order

// rocksdb's MemTable::Add: the non-concurrent path stores with an explicit
// order, the concurrent path updates the same atomic with a CAS loop.
class MemTable {
public:
  void negativeSingleWriterPathOfACasUpdatedAtomic(uint64_t s,
                                                   bool concurrent) {
    if (!concurrent) {
      // the author chose a plain store for the single-writer path
      if (first_seqno_ == 0) {
        first_seqno_.store(s, std::memory_order_relaxed);
      }
    } else {
      uint64_t cur = first_seqno_.load(std::memory_order_relaxed);
      while ((cur == 0 || s < cur) &&
             !first_seqno_.compare_exchange_weak(cur, s)) {
      }
    }
  }
  void negativeOrderedStoreOfACasUpdatedAtomic(uint64_t n) {
    // explicit order on the store, and a CAS elsewhere
    bytes_.store(bytes_ + n, std::memory_order_release);
  }
  void AddConcurrently(uint64_t n) {
    uint64_t cur = bytes_.load();
    while (!bytes_.compare_exchange_weak(cur, cur + n)) {
    }
  }

  // The author compare-exchanges state_ where writers contend (TryClaim)
  // and chose a plain transition here: the owner's path.
  void negativeTransitionOfACasUpdatedAtomic() {
    if (state_ == 0) {
      state_.store(1);
    }
  }
  void TryClaim() {
    int expected = 0;
    state_.compare_exchange_strong(expected, 2);
  }

  void positiveOrderedClaimWithoutACas(uint64_t s) {
    if (last_ == 0) {
      // CHECK-MESSAGES: :[[@LINE-1]]:9: warning: check-then-act on atomic 'last_'
      last_.store(s, std::memory_order_relaxed);
    }
  }

  // rocksdb's MemTable::Add again: earliest_seqno_ itself is never
  // compare-exchanged, but its store is on the one-writer branch.
  void negativeOtherAtomicOnTheOneWriterBranch(uint64_t s, bool concurrent) {
    if (!concurrent) {
      if (first_seqno_ == 0) {
        first_seqno_.store(s, std::memory_order_relaxed);
        if (earliest_ == ~uint64_t{0})
          earliest_.store(s, std::memory_order_relaxed);
      }
    } else {
      uint64_t cur = first_seqno_.load(std::memory_order_relaxed);
      while (!first_seqno_.compare_exchange_weak(cur, s)) {
      }
    }
  }
  // The other branch only adds: no sign of a one-writer path.
  void positiveClaimBesideAFetchAdd(uint64_t s, bool concurrent) {
    if (!concurrent) {
      if (latest_ == 0) {
        // CHECK-MESSAGES: :[[@LINE-1]]:11: warning: check-then-act on atomic 'latest_'
        latest_.store(s);
      }
    } else {
      latest_.fetch_add(s);
    }
  }

private:
  std::atomic<uint64_t> earliest_{~uint64_t{0}};
  std::atomic<uint64_t> latest_{0};
  std::atomic<uint64_t> first_seqno_{0};
  std::atomic<uint64_t> bytes_{0};
  std::atomic<int> state_{0};
  std::atomic<uint64_t> last_{0};
};

// ------------------- compare-exchange through the free functions

// rocksdb's PessimisticTransaction: lock stealing (a contender) changes the
// state with std::atomic_compare_exchange_strong; the transaction's owner
// drives its own transitions with plain check-then-store.
enum TxnState { STARTED, AWAITING_PREPARE, PREPARED, AWAITING_ROLLBACK };
class Transaction {
public:
  bool negativePrepareBesideAFreeCompareExchange(bool expiring) {
    if (expiring) {
      TxnState expected = STARTED;
      return std::atomic_compare_exchange_strong(&state_, &expected,
                                                 AWAITING_PREPARE);
    } else if (state_ == STARTED) {
      state_.store(AWAITING_PREPARE);
      return true;
    }
    return false;
  }
  void negativeRollbackOfTheOwner() {
    if (state_ == PREPARED) {
      state_.store(AWAITING_ROLLBACK);
    }
  }
  void positiveTransitionOfAnAtomicNeverCompareExchanged() {
    if (phase_ == PREPARED) {
      // CHECK-MESSAGES: :[[@LINE-1]]:9: warning: check-then-act on atomic 'phase_'
      phase_.store(AWAITING_ROLLBACK);
    }
  }

private:
  std::atomic<TxnState> state_{STARTED};
  std::atomic<TxnState> phase_{STARTED};
};

// The same in a template, instantiated.
template <typename T> struct Slot {
  void negativeOwnerStoreOfACasUpdatedAtomic(T v) {
    if (value_ == T{}) {
      value_.store(v);
    }
  }
  bool tryReplace(T old, T v) { return value_.compare_exchange_strong(old, v); }
  void positiveAddToAnAtomicNeverCompareExchanged(T v) {
    total_.store(total_.load() + v);
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: read-modify-write of atomic 'total_'
  }
  std::atomic<T> value_{};
  std::atomic<T> total_{};
};
void useSlot() {
  Slot<int> s;
  s.negativeOwnerStoreOfACasUpdatedAtomic(1);
  s.tryReplace(1, 2);
  s.positiveAddToAnAtomicNeverCompareExchanged(3);
}
