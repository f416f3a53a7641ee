// RUN: %check_threadlint %s threadlint-sleep-as-sync %t -- -- -std=c++20 -pthread
// Every note: where the work starts (and why it may still run), where the
// function reads what the work writes, and where the work writes it.

#include <chrono>
#include <future>
#include <pthread.h>
#include <thread>
#include <unistd.h>

void use(int);
int compute();

class ThreadPool {
public:
  template <class F> std::future<void> enqueue(F &&f) {
    return std::async(std::launch::deferred, static_cast<F &&>(f));
  }
};

void readAfterTheSleep() {
  int answer = 0;
  std::thread worker([&answer] { answer = compute(); });
  std::this_thread::sleep_for(std::chrono::milliseconds(10));
  use(answer);
  worker.join();
}
// CHECK-NOTES: :[[@LINE-4]]:3: warning: sleep used as synchronisation: 'answer' is read while the work started earlier may still write it; join the thread instead [threadlint-sleep-as-sync]
// CHECK-NOTES: :[[@LINE-6]]:15: note: the work is started here and not waited on before the sleep
// CHECK-NOTES: :[[@LINE-5]]:7: note: 'answer' is read here, after the sleep
// CHECK-NOTES: :[[@LINE-8]]:34: note: the work writes 'answer' here
// CHECK-FIXES: {{^}}  worker.join();{{$}}
// CHECK-FIXES-NEXT: {{^}}  use(answer);{{$}}
// CHECK-FIXES-NEXT: {{^}}}{{$}}

void detachedThenReturn() {
  std::thread([] { use(compute()); }).detach();
  sleep(1);
}
// CHECK-NOTES: :[[@LINE-2]]:3: warning: sleep used as synchronisation: the function returns while the work started earlier may still run; wait on a latch or a condition variable instead [threadlint-sleep-as-sync]
// CHECK-NOTES: :[[@LINE-4]]:3: note: the work is started here and detached

void handedToAPoolThenReturn(ThreadPool &pool) {
  pool.enqueue([] { use(compute()); });
  usleep(1000);
}
// CHECK-NOTES: :[[@LINE-2]]:3: warning: sleep used as synchronisation: the function returns while the work started earlier may still run; wait on a latch or a condition variable instead [threadlint-sleep-as-sync]
// CHECK-NOTES: :[[@LINE-4]]:3: note: the work is started here and handed to 'enqueue', which may run it after the function returns

void *work(void *) {
  use(compute());
  return nullptr;
}

void pthreadNeverJoined() {
  pthread_t tid;
  pthread_create(&tid, nullptr, work, nullptr);
  sleep(1);
}
// CHECK-NOTES: :[[@LINE-2]]:3: warning: sleep used as synchronisation: the function returns while the work started earlier may still run; join the thread instead [threadlint-sleep-as-sync]
// CHECK-NOTES: :[[@LINE-4]]:3: note: the work is started here and never joined

struct Counter {
  int hits = 0;
  void bump() {
    std::thread t([this] { ++hits; });
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
    use(hits);
    t.join();
  }
};
// CHECK-NOTES: :[[@LINE-5]]:5: warning: sleep used as synchronisation: 'hits' is read while the work started earlier may still write it; join the thread instead [threadlint-sleep-as-sync]
// CHECK-NOTES: :[[@LINE-7]]:17: note: the work is started here and not waited on before the sleep
// CHECK-NOTES: :[[@LINE-6]]:9: note: 'hits' is read here, after the sleep
// CHECK-NOTES: :[[@LINE-9]]:30: note: the work writes 'hits' here
// CHECK-FIXES: {{^}}    t.join();{{$}}
// CHECK-FIXES-NEXT: {{^}}    use(hits);{{$}}
// CHECK-FIXES-NEXT: {{^}}  }{{$}}
