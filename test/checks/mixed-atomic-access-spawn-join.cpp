// RUN: %check_threadlint %s threadlint-mixed-atomic-access %t -- -- -std=c++20 -pthread
//
// Thread creation and join order plain accesses with the work: what the
// spawner does before pthread_create (or a std::thread) runs before the
// worker, and what it does after joining every worker runs after it. Only
// accesses between the spawn and the join race with the atomic ones.

#include <pthread.h>
#include <thread>
#include <vector>

long total;

void *addOne(void *) {
  __sync_fetch_and_add(&total, 1);
  return nullptr;
}

// Writes before the first pthread_create and reads after joining every
// worker: ordered by creation and join.
long negativeOrderedByCreateAndJoin() {
  total = 0;
  pthread_t workers[4];
  for (int i = 0; i < 4; ++i)
    pthread_create(&workers[i], nullptr, addOne, nullptr);
  for (int i = 0; i < 4; ++i)
    pthread_join(workers[i], nullptr);
  return total;
}

long positiveReadBeforeJoin() {
  total = 0;
  pthread_t workers[4];
  for (int i = 0; i < 4; ++i)
    pthread_create(&workers[i], nullptr, addOne, nullptr);
  long early = total;
  // CHECK-MESSAGES: :[[@LINE-1]]:16: warning: plain read of 'total', which is accessed atomically elsewhere
  // CHECK-FIXES: {{^}}  long early = __atomic_load_n(&total, __ATOMIC_SEQ_CST);{{$}}
  for (int i = 0; i < 4; ++i)
    pthread_join(workers[i], nullptr);
  return early;
}

// Only the first worker is joined: the others may still add.
long positiveJoinsOnlyOne() {
  pthread_t a, b;
  pthread_create(&a, nullptr, addOne, nullptr);
  pthread_create(&b, nullptr, addOne, nullptr);
  pthread_join(a, nullptr);
  long seen = total;
  // CHECK-MESSAGES: :[[@LINE-1]]:15: warning: plain read of 'total'
  // CHECK-FIXES: {{^}}  long seen = __atomic_load_n(&total, __ATOMIC_SEQ_CST);{{$}}
  pthread_join(b, nullptr);
  return seen;
}

// A write in a loop body before the spawn runs again after the previous
// iteration's worker started.
void positiveResetInSpawningLoop() {
  std::vector<std::thread> threads;
  for (int i = 0; i < 3; ++i) {
    total = 0;
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: plain write of 'total'
    // CHECK-FIXES: {{^}}    __atomic_store_n(&total, 0, __ATOMIC_SEQ_CST);{{$}}
    threads.emplace_back([] { __atomic_fetch_add(&total, 1, __ATOMIC_SEQ_CST); });
  }
  for (auto &t : threads)
    t.join();
}

// std::thread in a vector, every element joined in a range-for: ordered.
long negativeVectorJoined() {
  std::vector<std::thread> threads;
  for (int i = 0; i < 3; ++i)
    threads.emplace_back([] { __atomic_fetch_add(&total, 1, __ATOMIC_SEQ_CST); });
  for (auto &t : threads)
    t.join();
  return total;
}

// A class whose run() is the thread entry: stop() joins, then reads.
class Counter {
public:
  void start() { worker_ = std::thread(&Counter::run, this); }
  long stopAndRead() {
    worker_.join();
    return hits_; // after the join: ordered
  }
  long peek() {
    return hits_;
    // CHECK-MESSAGES: :[[@LINE-1]]:12: warning: plain read of 'hits_'
  }

private:
  void run() { __atomic_fetch_add(&hits_, 1, __ATOMIC_RELAXED); }
  long hits_ = 0;
  std::thread worker_;
};

// In a template, the same shapes.
template <int N> long negativeTemplateJoined() {
  total = 0;
  pthread_t workers[N];
  for (int i = 0; i < N; ++i)
    pthread_create(&workers[i], nullptr, addOne, nullptr);
  for (int i = 0; i < N; ++i)
    pthread_join(workers[i], nullptr);
  return total;
}
template long negativeTemplateJoined<2>();
