// RUN: %check_threadlint %s threadlint-mixed-atomic-access %t -- -- -std=c++17 -pthread

long pending;

void add() { __atomic_add_fetch(&pending, 1, __ATOMIC_RELEASE); }

bool idle() {
  return pending == 0;
  // CHECK-NOTES: :[[@LINE-1]]:10: warning: plain read of 'pending', which is accessed atomically elsewhere: the plain access races with the atomic ones
  // CHECK-NOTES: :[[@LINE-5]]:14: note: 'pending' is accessed atomically here
  // CHECK-FIXES: {{^}}  return __atomic_load_n(&pending, __ATOMIC_SEQ_CST) == 0;{{$}}
}
