// RUN: %check_threadlint %s threadlint-non-atomic-rmw %t -- -- -std=c++17 -pthread

#include <atomic>

std::atomic<int> hits{0};
std::atomic<bool> done{false};
std::atomic<double> sum{0.0};

void count(int n) {
  hits.store(hits.load() + n);
  // CHECK-NOTES: :[[@LINE-1]]:3: warning: read-modify-write of atomic 'hits' is split into a load and a separate store
  // CHECK-NOTES: :[[@LINE-2]]:19: note: 'hits' is read here, separately
  // CHECK-FIXES: {{^}}  hits.fetch_add(n);{{$}}
}

// Before C++20, std::atomic<double> has no fetch_add / +=: no fix-it.
void add(double d) {
  sum = sum + d;
  // CHECK-NOTES: :[[@LINE-1]]:3: warning: read-modify-write of atomic 'sum'
  // CHECK-NOTES: :[[@LINE-2]]:9: note: 'sum' is read here, separately
}

bool finish() {
  if (!done) {
    done = true;
    return true;
  }
  // CHECK-NOTES: :[[@LINE-4]]:7: warning: check-then-act on atomic 'done'
  // CHECK-NOTES: :[[@LINE-4]]:5: note: 'done' is stored here
  // CHECK-FIXES: {{^}}  if (!done.exchange(true)) {{{$}}
  return false;
}
