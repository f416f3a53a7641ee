// RUN: %check_threadlint %s threadlint-mixed-atomic-access %t -- -- -std=c++20 -pthread

#include <atomic>
#include <thread>
#include <vector>

// --------------------------------------------- __atomic_* builtins style

long hits;
void recordHit() { __atomic_fetch_add(&hits, 1, __ATOMIC_RELAXED); }

long readHits() {
  return hits;
  // CHECK-MESSAGES: :[[@LINE-1]]:10: warning: plain read of 'hits', which is accessed atomically elsewhere: the plain access races with the atomic ones [threadlint-mixed-atomic-access]
  // CHECK-FIXES: {{^}}  return __atomic_load_n(&hits, __ATOMIC_SEQ_CST);{{$}}
}

void resetHits() {
  hits = 0;
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: plain write of 'hits', which is accessed atomically elsewhere
  // CHECK-FIXES: {{^}}  __atomic_store_n(&hits, 0, __ATOMIC_SEQ_CST);{{$}}
}

void bumpHits() {
  hits++;
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: plain write of 'hits'
  hits += 2;
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: plain write of 'hits'
}

// ------------------------------------------------ __sync_* builtins style

int flags;
void setFlag(int f) { __sync_fetch_and_or(&flags, f); }
bool hasFlag(int f) {
  return (flags & f) != 0;
  // CHECK-MESSAGES: :[[@LINE-1]]:11: warning: plain read of 'flags'
  // CHECK-FIXES: {{^}}  return (__atomic_load_n(&flags, __ATOMIC_SEQ_CST) & f) != 0;{{$}}
}

// ------------------------------------------------ std::atomic_ref style

class Stats {
public:
  Stats() : dropped_(0) {}
  ~Stats() { dropped_ = 0; }
  void recordDrop() { std::atomic_ref<long>(dropped_).fetch_add(1); }
  long dropped() {
    return dropped_;
    // CHECK-MESSAGES: :[[@LINE-1]]:12: warning: plain read of 'dropped_'
    // CHECK-FIXES: {{^}}    return std::atomic_ref<long>(dropped_).load();{{$}}
  }
  // In a const member function the field is const: std::atomic_ref<long>
  // cannot bind to it, so there is no fix-it.
  long droppedConst() const {
    return dropped_;
    // CHECK-MESSAGES: :[[@LINE-1]]:12: warning: plain read of 'dropped_'
  }
  void reset() {
    dropped_ = 0;
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: plain write of 'dropped_'
    // CHECK-FIXES: {{^}}    std::atomic_ref<long>(dropped_).store(0);{{$}}
  }

private:
  long dropped_;
};

int level;
void raise() {
  std::atomic_ref<int> ref(level);
  ref.fetch_add(1);
}
int currentLevel() {
  return level + 1;
  // CHECK-MESSAGES: :[[@LINE-1]]:10: warning: plain read of 'level'
  // CHECK-FIXES: {{^}}  return std::atomic_ref<int>(level).load() + 1;{{$}}
}

// Inside spawned work too.
void positiveInsideThread() {
  std::thread t([] {
    for (int i = 0; i < 3; ++i)
      hits = hits * 2;
    // CHECK-MESSAGES: :[[@LINE-1]]:7: warning: plain write of 'hits'
    // CHECK-MESSAGES: :[[@LINE-2]]:14: warning: plain read of 'hits'
  });
  t.join();
}

template <typename T> T readTemplate(T *unused) {
  (void)unused;
  return level;
  // CHECK-MESSAGES: :[[@LINE-1]]:10: warning: plain read of 'level'
  // CHECK-FIXES: {{^}}  return std::atomic_ref<int>(level).load();{{$}}
}
template int readTemplate(int *);
template long readTemplate(long *);

// ------------------------------------------------------------ negatives

// Initialisation before any thread is started in this function.
long total;
void negativeInitialisedBeforeSpawn() {
  total = 0;
  std::vector<std::thread> workers;
  for (int i = 0; i < 4; ++i)
    workers.emplace_back([] { __atomic_add_fetch(&total, 1, __ATOMIC_SEQ_CST); });
  for (auto &w : workers)
    w.join();
}

// std::atomic objects: every access is atomic.
std::atomic<int> ready{0};
void negativeStdAtomic() {
  ready.store(1);
  int r = ready;
  (void)r;
}

// Never accessed atomically.
int onlyPlain;
int negativeOnlyPlain() { return onlyPlain++; }

// Constructors and destructors (above: Stats) are not reported.

void negativeNolint() {
  hits = 5; // NOLINT(threadlint-mixed-atomic-access)
}

// Through a pointer the atomic object is *p, not p: reading p is fine.
long counters[4];
void negativePointerOperand(long *p) {
  __atomic_fetch_add(p, 1, __ATOMIC_RELAXED);
  long *q = p + 1;
  (void)q;
}
