// The evidence a guard is inferred from: the mutex held at MinWritePercent
// of the writes and MinAccessPercent of all accesses. Three settings on the
// same code: the defaults (50, 25), stricter (100, 60) and looser (30, 10).
// Every shape here races on threads, so each finding names the thread.
//
// RUN: %check_threadlint --check-suffixes=DEFAULT %s threadlint-inconsistent-locking %t -- -- -std=c++17 -pthread
// RUN: %check_threadlint --check-suffixes=STRICT %s threadlint-inconsistent-locking %t -- \
// RUN:   -config="{CheckOptions: {threadlint-inconsistent-locking.MinWritePercent: 100, threadlint-inconsistent-locking.MinAccessPercent: 60}}" \
// RUN:   -- -std=c++17 -pthread
// RUN: %check_threadlint --check-suffixes=LOOSE %s threadlint-inconsistent-locking %t -- \
// RUN:   -config="{CheckOptions: {threadlint-inconsistent-locking.MinWritePercent: 30, threadlint-inconsistent-locking.MinAccessPercent: 10}}" \
// RUN:   -- -std=c++17 -pthread
//
// RUN: %threadlint --checks=-*,threadlint-inconsistent-locking --dump-config \
// RUN:   -config="{CheckOptions: {threadlint-inconsistent-locking.MinWritePercent: 100, threadlint-inconsistent-locking.MinAccessPercent: 60}}" \
// RUN:   | FileCheck %s --check-prefix=DUMP
// RUN: %clang_tidy --load=%plugin --checks=-*,threadlint-inconsistent-locking --dump-config \
// RUN:   -config="{CheckOptions: {threadlint-inconsistent-locking.MinWritePercent: 100, threadlint-inconsistent-locking.MinAccessPercent: 60}}" \
// RUN:   | FileCheck %s --check-prefix=DUMP
// DUMP-DAG: threadlint-inconsistent-locking.MinWritePercent: '100'
// DUMP-DAG: threadlint-inconsistent-locking.MinAccessPercent: '60'
// RUN: %threadlint --checks=-*,threadlint-inconsistent-locking --dump-config --config={} \
// RUN:   | FileCheck %s --check-prefix=DEFAULTS
// DEFAULTS-DAG: threadlint-inconsistent-locking.MinWritePercent: '50'
// DEFAULTS-DAG: threadlint-inconsistent-locking.MinAccessPercent: '25'

#include <mutex>
#include <thread>

void use(int);

// Half the writes locked, a third of the accesses: a guard by default and
// when looser, not when every write must hold it.
std::mutex half_mu;
int half = 0;
void halfGuarded() {
  std::lock_guard<std::mutex> g(half_mu);
  half = 1;
}
void halfBare() { half = 2; }
// CHECK-MESSAGES-DEFAULT: :[[@LINE-1]]:19: warning: 'half' is written without holding 'half_mu', which is held at 1 of its 3 accesses [threadlint-inconsistent-locking]
// CHECK-MESSAGES-LOOSE: :[[@LINE-2]]:19: warning: 'half' is written without holding 'half_mu', which is held at 1 of its 3 accesses [threadlint-inconsistent-locking]
void halfRead() { use(half); }
// CHECK-MESSAGES-DEFAULT: :[[@LINE-1]]:23: warning: 'half' is read without holding 'half_mu', which is held at 1 of its 3 accesses
// CHECK-MESSAGES-LOOSE: :[[@LINE-2]]:23: warning: 'half' is read without holding 'half_mu', which is held at 1 of its 3 accesses
void runHalf() {
  std::thread a(halfGuarded), b(halfBare), c(halfRead);
  a.join();
  b.join();
  c.join();
}

// Every write locked but read bare in four places: 1 of 5 accesses is too
// little evidence unless looser.
std::mutex seen_mu;
int seen = 0;
void seenWrite() {
  std::lock_guard<std::mutex> g(seen_mu);
  seen = 1;
}
void seenReads() {
  use(seen);
  // CHECK-MESSAGES-LOOSE: :[[@LINE-1]]:7: warning: 'seen' is read without holding 'seen_mu', which is held at 1 of its 5 accesses
  use(seen * 2);
  use(seen * 3);
  use(seen * 4);
}
void runSeen() {
  std::thread a(seenWrite), b(seenReads);
  a.join();
  b.join();
}

// Every write and three of four accesses locked: a guard under all three.
std::mutex most_mu;
int most = 0;
void mostWrite() {
  std::lock_guard<std::mutex> g(most_mu);
  most = most + 1;
}
void mostRead() {
  std::lock_guard<std::mutex> g(most_mu);
  use(most);
}
void mostBare() { use(most); }
// CHECK-MESSAGES-DEFAULT: :[[@LINE-1]]:23: warning: 'most' is read without holding 'most_mu', which is held at 3 of its 4 accesses
// CHECK-MESSAGES-STRICT: :[[@LINE-2]]:23: warning: 'most' is read without holding 'most_mu', which is held at 3 of its 4 accesses [threadlint-inconsistent-locking]
// CHECK-MESSAGES-LOOSE: :[[@LINE-3]]:23: warning: 'most' is read without holding 'most_mu', which is held at 3 of its 4 accesses
void runMost() {
  std::thread a(mostWrite), b(mostRead), c(mostBare);
  a.join();
  b.join();
  c.join();
}
