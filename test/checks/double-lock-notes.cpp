// RUN: %check_threadlint %s threadlint-double-lock %t -- -- -std=c++17 -pthread

// The notes: where the lock was first taken, where the callee takes it
// again, and the call where both names meet.

#include <mutex>
#include <set>

class Sessions {
public:
  size_t size() {
    std::lock_guard<std::mutex> l(mu_);
    return ids_.size();
  }
  template <class F> void forEach(F f) {
    std::lock_guard<std::mutex> l(mu_);
    for (int id : ids_)
      f(id);
  }

private:
  std::mutex mu_;
  std::set<int> ids_;
};
// CHECK-NOTES: :[[@LINE-7]]:7: warning: 'sessions.mu_' is locked again in 'lambda -> Sessions::size' while this thread already holds it; a non-recursive mutex locked twice deadlocks [threadlint-double-lock]
// CHECK-NOTES: :[[@LINE-10]]:5: note: 'sessions.mu_' acquired here
// CHECK-NOTES: :[[@LINE-15]]:5: note: acquired again here, in 'Sessions::size'
// CHECK-NOTES: :[[@LINE+3]]:3: note: in this call to 'Sessions::forEach', where both name 'sessions.mu_'

void ping(Sessions &sessions) {
  sessions.forEach([&sessions](int) { (void)sessions.size(); });
}

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
}
// CHECK-NOTES: :[[@LINE-2]]:3: warning: 'q.mu' is locked again in 'bump' while this thread already holds it
// CHECK-NOTES: :[[@LINE-4]]:3: note: 'q.mu' acquired here
// CHECK-NOTES: :[[@LINE-9]]:3: note: acquired again here, in 'bump'
