// RUN: %check_threadlint %s threadlint-non-atomic-rmw %t -- -- -std=c++20 -pthread -I%S

#include <algorithm>
#include <atomic>
#include <mutex>

std::atomic<int> counter{0};
std::atomic<unsigned> bits{0};
std::atomic<long *> cursor{nullptr};
std::atomic<double> total{0.0};
std::atomic<bool> claimed{false};
std::atomic<int> state{0};
int plain = 0;

// ------------------------------------------------------- a = a op x

void positiveAddAssign(int x) {
  counter = counter + x;
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: read-modify-write of atomic 'counter' is split into a load and a separate store: an update another thread makes in between is lost [threadlint-non-atomic-rmw]
  // CHECK-FIXES: {{^}}  counter += x;{{$}}
}

void positiveCommutedOperands(int x) {
  counter = x + counter;
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: read-modify-write of atomic 'counter'
  // CHECK-FIXES: {{^}}  counter += x;{{$}}
}

void positiveBitwise(unsigned m) {
  bits = bits | m;
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: read-modify-write of atomic 'bits'
  // CHECK-FIXES: {{^}}  bits |= m;{{$}}
  bits = bits.load() & ~m;
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: read-modify-write of atomic 'bits'
  // CHECK-FIXES: {{^}}  bits &= ~m;{{$}}
}

void positivePointer() {
  cursor = cursor + 1;
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: read-modify-write of atomic 'cursor'
  // CHECK-FIXES: {{^}}  cursor += 1;{{$}}
}

void positiveFloatingCxx20(double d) {
  total = total + d;
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: read-modify-write of atomic 'total'
  // CHECK-FIXES: {{^}}  total += d;{{$}}
}

// No compound form: flagged, not fixed.
void positiveNoCompoundForm(int x) {
  counter = counter * x;
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: read-modify-write of atomic 'counter'
  counter = x - counter;
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: read-modify-write of atomic 'counter'
  counter = std::max(counter.load(), x);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: read-modify-write of atomic 'counter'
}

// ------------------------------------------------ a.store(a.load() op x)

void positiveStoreOfLoad(int x) {
  counter.store(counter.load() + x);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: read-modify-write of atomic 'counter'
  // CHECK-FIXES: {{^}}  counter.fetch_add(x);{{$}}
  counter.store(counter.load() - 1);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: read-modify-write of atomic 'counter'
  // CHECK-FIXES: {{^}}  counter.fetch_sub(1);{{$}}
  bits.store(bits.load() ^ 4u);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: read-modify-write of atomic 'bits'
  // CHECK-FIXES: {{^}}  bits.fetch_xor(4u);{{$}}
}

void positiveThroughPointer(std::atomic<int> *p) {
  p->store(p->load() + 2);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: read-modify-write of atomic 'p'
  // CHECK-FIXES: {{^}}  p->fetch_add(2);{{$}}
}

// One explicit order: flagged, but the fix would change the ordering.
void positiveOneExplicitOrder(int x) {
  counter.store(counter.load(std::memory_order_acquire) + x);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: read-modify-write of atomic 'counter'
}

void positiveAtomicRef(int &v) {
  std::atomic_ref<int> r(v);
  r.store(r.load() + 1);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: read-modify-write of atomic 'r'
  // CHECK-FIXES: {{^}}  r.fetch_add(1);{{$}}
}

struct Stats {
  void add(long n) {
    bytes_ = bytes_ + n;
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: read-modify-write of atomic 'bytes_'
    // CHECK-FIXES: {{^}}    bytes_ += n;{{$}}
  }
  std::atomic<long> bytes_{0};
};

template <typename T> void positiveTemplate(std::atomic<T> &a) {
  a = a + 1;
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: read-modify-write of atomic 'a'
  // CHECK-FIXES: {{^}}  a += 1;{{$}}
}
template void positiveTemplate(std::atomic<int> &);
template void positiveTemplate(std::atomic<long> &);

// ------------------------------------------------------ check-then-act

bool positiveClaim() {
  if (!claimed) {
    claimed = true;
    return true;
  }
  // CHECK-MESSAGES: :[[@LINE-4]]:7: warning: check-then-act on atomic 'claimed': another thread can change it between this check and the store; use exchange() or compare_exchange_strong() [threadlint-non-atomic-rmw]
  // CHECK-FIXES: {{^}}  if (!claimed.exchange(true)) {{{$}}
  // CHECK-FIXES-NEXT: {{^}}    {{$}}
  // CHECK-FIXES-NEXT: {{^}}    return true;{{$}}
  return false;
}

bool positiveClaimWithLoadAndStore() {
  if (!claimed.load()) {
    claimed.store(true);
    return true;
  }
  // CHECK-MESSAGES: :[[@LINE-4]]:7: warning: check-then-act on atomic 'claimed'
  // CHECK-FIXES: {{^}}  if (!claimed.exchange(true)) {{{$}}
  return false;
}

bool positiveClaimComparedWithFalse() {
  if (claimed == false) {
    claimed = true;
    return true;
  }
  // CHECK-MESSAGES: :[[@LINE-4]]:7: warning: check-then-act on atomic 'claimed'
  // CHECK-FIXES: {{^}}  if (!claimed.exchange(true)) {{{$}}
  return false;
}

// A transition between two values: flagged; compare_exchange_strong needs
// an lvalue for the expected value, so no fix-it.
bool positiveTransition() {
  if (state.load() == 0) {
    state.store(1);
    return true;
  }
  // CHECK-MESSAGES: :[[@LINE-4]]:7: warning: check-then-act on atomic 'state'
  return false;
}

void positiveClaimWithoutBraces() {
  if (!claimed)
    claimed = true;
  // CHECK-MESSAGES: :[[@LINE-2]]:7: warning: check-then-act on atomic 'claimed'
}

// ------------------------------------------------------------ negatives

void negativeAtomicOperations(int x) {
  counter.fetch_add(x);
  ++counter;
  counter += x;
  counter++;
  claimed.exchange(true);
}

bool negativeCompareExchangeLoop(int x) {
  int expected = counter.load();
  while (!counter.compare_exchange_weak(expected, expected + x)) {
  }
  return true;
}

void negativeDifferentObjects(std::atomic<int> &other) {
  counter = other + 1;
  counter.store(other.load() + 1);
  if (!claimed)
    other = 1;
}

void negativePlainInts() {
  plain = plain + 1;
}

// The single-writer idiom: explicit orders on both the load and the store.
void negativeSingleWriterRelaxed() {
  counter.store(counter.load(std::memory_order_relaxed) + 1,
                std::memory_order_relaxed);
}

std::mutex mu;
void negativeUnderLock(int x) {
  std::lock_guard<std::mutex> g(mu);
  counter = counter + x;
}

// Double-checked locking: the inner check-then-act runs under the lock.
void init();
void negativeDoubleCheckedLocking() {
  if (!claimed.load()) {
    std::lock_guard<std::mutex> g(mu);
    if (!claimed.load()) {
      init();
      claimed.store(true);
    }
  }
}

void negativeIdempotentStore(int v) {
  if (state != v)
    state = v;
}

void negativeNolint(int x) {
  counter = counter + x; // NOLINT(threadlint-non-atomic-rmw)
}

// Inside a macro another file defines: the macro's user cannot change it.
#include "Inputs/every-n.h"
void log();
void negativeLibraryMacro() { EVERY_N(10, log()); }

// A macro of this file is this file's code.
#define BUMP(a) a = a + 1
void positiveOwnMacro() {
  BUMP(counter);
  // CHECK-MESSAGES: :[[@LINE-1]]:8: warning: read-modify-write of atomic 'counter'
}

// After waiting for all the work it spawned, the function is alone.
#include <thread>
#include <vector>
bool negativeAfterAllWorkJoined() {
  std::vector<std::atomic<bool>> flags(4);
  std::vector<std::thread> workers;
  for (int i = 0; i < 4; ++i)
    workers.emplace_back([&flags, i] { flags[i] = true; });
  for (auto &w : workers)
    w.join();
  flags[0] = !flags[0];
  return flags[0];
}

// Work still runs: flagged.
void positiveWhileWorkRuns() {
  std::thread t([] { counter.fetch_add(1); });
  counter = counter + 2;
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: read-modify-write of atomic 'counter'
  // CHECK-FIXES: {{^}}  counter += 2;{{$}}
  t.join();
}

// ------------------------------------------------------------ one writer
// A local atomic that only the declaring function writes, while the work it
// spawns only reads it (taskflow's notifier test bumps a round counter its
// workers watch): no other thread's update can be lost.
void negativeOnlyTheSpawnerWrites() {
  std::atomic<unsigned> round{0};
  std::atomic<bool> stop{false};
  std::thread watcher([&] {
    unsigned seen = 0;
    while (!stop.load()) {
      if (round.load() != seen)
        seen = round;
    }
  });
  round.store(round.load() + 1);
  round = round + 1;
  if (round == 2)
    round = 3;
  stop = true;
  watcher.join();
}

// A spawned task that writes it too: flagged.
void positiveTheWorkAlsoWrites() {
  std::atomic<unsigned> round{0};
  std::thread worker([&] { round.fetch_add(1); });
  round.store(round.load() + 1);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: read-modify-write of atomic 'round'
  // CHECK-FIXES: {{^}}  round.fetch_add(1);{{$}}
  worker.join();
}

// Handed to other code by reference: who writes it is unknown, flagged.
void bumpElsewhere(std::atomic<unsigned> &r);
void positiveHandedByReference() {
  std::atomic<unsigned> round{0};
  std::thread worker(bumpElsewhere, std::ref(round));
  round = round + 1;
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: read-modify-write of atomic 'round'
  // CHECK-FIXES: {{^}}  round += 1;{{$}}
  worker.join();
}
