// RUN: %check_threadlint %s threadlint-mixed-atomic-access %t -- -- -std=c++20 -pthread
//
// Happens-before beyond spawn and join: what the work did before it
// published (a release store to an atomic flag, a notify, a semaphore
// release, a promise's set_value) is ordered before what the spawner does after it received (a
// spin until an acquire load sees the flag, a wait on the condition
// variable or the semaphore, an atomic wait); a lock held at both accesses
// excludes them. Relaxed flags, a test made once, and atomic updates the
// work makes after it published are not ordered.

#include <atomic>
#include <condition_variable>
#include <future>
#include <mutex>
#include <semaphore>
#include <thread>

// --- Free functions ---------------------------------------------------------

long spunHits;
std::atomic<bool> spunDone{false};

long negativeSpinsUntilReleaseStore() {
  std::thread t([] {
    __atomic_fetch_add(&spunHits, 1, __ATOMIC_RELAXED);
    spunDone.store(true, std::memory_order_release);
  });
  while (!spunDone.load(std::memory_order_acquire)) {
  }
  long seen = spunHits; // after the hand-off
  t.detach();
  return seen;
}

long breakHits;
std::atomic<int> breakState{0};

long negativeSpinsWithBreak() {
  std::thread t([] {
    __atomic_fetch_add(&breakHits, 1, __ATOMIC_RELAXED);
    breakState = 1; // sequentially consistent
  });
  for (;;) {
    if (breakState.load() == 1)
      break;
    std::this_thread::yield();
  }
  long seen = breakHits;
  t.detach();
  return seen;
}

long relaxedHits;
std::atomic<bool> relaxedDone{false};

long positiveRelaxedFlag() {
  std::thread t([] {
    __atomic_fetch_add(&relaxedHits, 1, __ATOMIC_RELAXED);
    relaxedDone.store(true, std::memory_order_relaxed);
  });
  while (!relaxedDone.load(std::memory_order_relaxed)) {
  }
  long seen = relaxedHits;
  // CHECK-MESSAGES: :[[@LINE-1]]:15: warning: plain read of 'relaxedHits', which is accessed atomically elsewhere
  // CHECK-FIXES: {{^}}  long seen = __atomic_load_n(&relaxedHits, __ATOMIC_SEQ_CST);{{$}}
  t.detach();
  return seen;
}

long lateHits;
std::atomic<bool> lateDone{false};

long positiveWorkAddsAfterPublishing() {
  std::thread t([] {
    lateDone.store(true);
    __atomic_fetch_add(&lateHits, 1, __ATOMIC_RELAXED);
  });
  while (!lateDone.load()) {
  }
  long seen = lateHits;
  // CHECK-MESSAGES: :[[@LINE-1]]:15: warning: plain read of 'lateHits'
  // CHECK-FIXES: {{^}}  long seen = __atomic_load_n(&lateHits, __ATOMIC_SEQ_CST);{{$}}
  t.detach();
  return seen;
}

long onceHits;
std::atomic<bool> onceDone{false};

long positiveTestedOnceNotSpun() {
  std::thread t([] {
    __atomic_fetch_add(&onceHits, 1, __ATOMIC_RELAXED);
    onceDone.store(true);
  });
  long seen = 0;
  if (onceDone.load())
    seen = 1;
  seen += onceHits; // the test may have missed the store
  // CHECK-MESSAGES: :[[@LINE-1]]:11: warning: plain read of 'onceHits'
  // CHECK-FIXES: {{^}}  seen += __atomic_load_n(&onceHits, __ATOMIC_SEQ_CST); // the test may have missed the store{{$}}
  t.detach();
  return seen;
}

long cvHits;

long negativeConditionVariableHandOff() {
  std::mutex mu;
  std::condition_variable cv;
  bool ready = false;
  std::thread t([&] {
    __atomic_fetch_add(&cvHits, 1, __ATOMIC_RELAXED);
    {
      std::lock_guard<std::mutex> lock(mu);
      ready = true;
    }
    cv.notify_one();
  });
  {
    std::unique_lock<std::mutex> lock(mu);
    cv.wait(lock, [&] { return ready; });
  }
  long seen = cvHits;
  t.detach();
  return seen;
}

long bareHits;

long positiveBareWaitMayWakeSpuriously() {
  std::mutex mu;
  std::condition_variable cv;
  std::thread t([&] {
    __atomic_fetch_add(&bareHits, 1, __ATOMIC_RELAXED);
    cv.notify_one();
  });
  {
    std::unique_lock<std::mutex> lock(mu);
    cv.wait(lock); // no predicate, no loop: a spurious wake-up returns early
  }
  long seen = bareHits;
  // CHECK-MESSAGES: :[[@LINE-1]]:15: warning: plain read of 'bareHits'
  // CHECK-FIXES: {{^}}  long seen = __atomic_load_n(&bareHits, __ATOMIC_SEQ_CST);{{$}}
  t.detach();
  return seen;
}

long loopHits;

long negativeWaitInPredicateLoop() {
  std::mutex mu;
  std::condition_variable cv;
  bool ready = false;
  std::thread t([&] {
    __atomic_fetch_add(&loopHits, 1, __ATOMIC_RELAXED);
    std::lock_guard<std::mutex> lock(mu);
    ready = true;
    cv.notify_all();
  });
  {
    std::unique_lock<std::mutex> lock(mu);
    while (!ready)
      cv.wait(lock);
  }
  long seen = loopHits;
  t.detach();
  return seen;
}

long timedHits;

long positiveTimedWaitMayTimeOut() {
  std::mutex mu;
  std::condition_variable cv;
  bool ready = false;
  std::thread t([&] {
    __atomic_fetch_add(&timedHits, 1, __ATOMIC_RELAXED);
    {
      std::lock_guard<std::mutex> lock(mu);
      ready = true;
    }
    cv.notify_one();
  });
  {
    std::unique_lock<std::mutex> lock(mu);
    cv.wait_for(lock, std::chrono::milliseconds(10), [&] { return ready; });
  }
  long seen = timedHits;
  // CHECK-MESSAGES: :[[@LINE-1]]:15: warning: plain read of 'timedHits'
  // CHECK-FIXES: {{^}}  long seen = __atomic_load_n(&timedHits, __ATOMIC_SEQ_CST);{{$}}
  t.detach();
  return seen;
}

long semHits;

long negativeSemaphoreHandOff() {
  std::binary_semaphore finished{0};
  std::thread t([&] {
    __atomic_fetch_add(&semHits, 1, __ATOMIC_RELAXED);
    finished.release();
  });
  finished.acquire();
  long seen = semHits;
  t.detach();
  return seen;
}

long promisedHits;

long negativePromiseAndItsFuture() {
  std::promise<void> finished;
  std::future<void> done = finished.get_future();
  std::thread t([&] {
    __atomic_fetch_add(&promisedHits, 1, __ATOMIC_RELAXED);
    finished.set_value();
  });
  done.wait();
  long seen = promisedHits;
  t.detach();
  return seen;
}

long otherFutureHits;

long positiveFutureOfAnotherPromise() {
  std::promise<void> finished, unrelated;
  std::future<void> done = unrelated.get_future();
  std::thread t([&] {
    __atomic_fetch_add(&otherFutureHits, 1, __ATOMIC_RELAXED);
    finished.set_value();
  });
  unrelated.set_value();
  done.wait();
  long seen = otherFutureHits;
  // CHECK-MESSAGES: :[[@LINE-1]]:15: warning: plain read of 'otherFutureHits'
  // CHECK-FIXES: {{^}}  long seen = __atomic_load_n(&otherFutureHits, __ATOMIC_SEQ_CST);{{$}}
  t.detach();
  return seen;
}

long waitHits;
std::atomic<int> waitState{0};

long negativeAtomicWait() {
  std::thread t([] {
    __atomic_fetch_add(&waitHits, 1, __ATOMIC_RELAXED);
    waitState.store(1);
    waitState.notify_one();
  });
  waitState.wait(0);
  long seen = waitHits;
  t.detach();
  return seen;
}

std::mutex lockedMu;
long lockedValue;

void negativeBothUnderOneLock() {
  std::thread t([] {
    std::lock_guard<std::mutex> lock(lockedMu);
    __atomic_store_n(&lockedValue, 1, __ATOMIC_RELAXED);
  });
  {
    std::lock_guard<std::mutex> lock(lockedMu);
    long v = lockedValue; // the lock excludes the work's store
    (void)v;
  }
  t.join();
}

std::mutex otherMu;
long unlockedValue;

void positiveOnlyOneSideLocked() {
  std::thread t([] {
    __atomic_store_n(&unlockedValue, 1, __ATOMIC_RELAXED);
  });
  {
    std::lock_guard<std::mutex> lock(otherMu);
    long v = unlockedValue;
    // CHECK-MESSAGES: :[[@LINE-1]]:14: warning: plain read of 'unlockedValue'
    // CHECK-FIXES: {{^}}    long v = __atomic_load_n(&unlockedValue, __ATOMIC_SEQ_CST);{{$}}
    (void)v;
  }
  t.join();
}

// --- A class: the work is a member function, the reader a method ------------

class Loader {
public:
  void start() { worker_ = std::thread(&Loader::run, this); }
  // Waits until run() published, then reads what it counted.
  long loadedAfterReady() {
    while (!ready_.load(std::memory_order_acquire))
      std::this_thread::yield();
    return loaded_;
  }
  // No hand-off: may read while run() still counts.
  long loadedNow() {
    return loaded_;
    // CHECK-MESSAGES: :[[@LINE-1]]:12: warning: plain read of 'loaded_'
    // CHECK-FIXES: {{^}}    return __atomic_load_n(&loaded_, __ATOMIC_SEQ_CST);{{$}}
  }
  ~Loader() {
    if (worker_.joinable())
      worker_.join();
  }

private:
  void run() {
    for (int i = 0; i < 8; ++i)
      __atomic_fetch_add(&loaded_, 1, __ATOMIC_RELAXED);
    ready_.store(true, std::memory_order_release);
  }
  std::thread worker_;
  std::atomic<bool> ready_{false};
  long loaded_ = 0;
};

// --- A class under one member lock --------------------------------------------

class Meter {
public:
  void start() {
    worker_ = std::thread([this] {
      std::lock_guard<std::mutex> lock(mu_);
      __atomic_fetch_add(&count_, 1, __ATOMIC_RELAXED);
    });
  }
  long count() {
    std::lock_guard<std::mutex> lock(mu_);
    return count_; // mu_ excludes the worker's update
  }
  ~Meter() {
    if (worker_.joinable())
      worker_.join();
  }

private:
  std::mutex mu_;
  std::thread worker_;
  long count_ = 0;
};

// --- A template: the same hand-off in each instance ---------------------------

template <typename T> T tplHits;
template <typename T> std::atomic<bool> tplDone{false};

template <typename T> T negativeTemplateHandOff() {
  std::thread t([] {
    __atomic_fetch_add(&tplHits<T>, 1, __ATOMIC_RELAXED);
    tplDone<T>.store(true, std::memory_order_release);
  });
  while (!tplDone<T>.load(std::memory_order_acquire)) {
  }
  T seen = tplHits<T>;
  t.detach();
  return seen;
}

long useTemplate() { return negativeTemplateHandOff<long>(); }
