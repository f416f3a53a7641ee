// RUN: %check_threadlint %s threadlint-sleep-as-sync %t -- -- -std=c++20 -pthread

// Real libstdc++ headers, as users have them.
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <ctime>
#include <functional>
#include <future>
#include <latch>
#include <mutex>
#include <pthread.h>
#include <string>
#include <thread>
#include <unistd.h>
#include <vector>

using namespace std::chrono_literals;

void use(int);
void use(const std::string &);
int compute();
void compute(int &out);
bool tryConnect();
void serve();

// A gtest-style assertion, without gtest.
void reportFailure(const char *expression);
#define EXPECT_EQ(a, b)                                                        \
  do {                                                                         \
    if (!((a) == (b)))                                                         \
      reportFailure(#a " == " #b);                                             \
  } while (0)

// A thread pool with an `enqueue` method, as in progschj/ThreadPool: matched
// by the default SpawnFunctions entry `ThreadPool::enqueue`. Its destructor
// runs the queued tasks to the end.
class ThreadPool {
public:
  ~ThreadPool();
  template <class F> std::future<void> enqueue(F &&f) {
    return std::async(std::launch::deferred, static_cast<F &&>(f));
  }
  void wait_for_tasks();
};

// ---------------------------------------------------------------- positives

void positiveGtestStyleSleepBeforeAssert() {
  std::vector<int> received;
  std::thread consumer([&] { received.push_back(42); });
  std::this_thread::sleep_for(100ms);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: sleep used as synchronisation: 'received' is read while the work started earlier may still write it; join the thread instead [threadlint-sleep-as-sync]
  EXPECT_EQ(received.size(), 1u);
  consumer.join();
}
// The later join is removed: joining twice throws.
// CHECK-FIXES: {{^}}  consumer.join();{{$}}
// CHECK-FIXES-NEXT: {{^}}  //{{$}}
// CHECK-FIXES-NEXT: {{^}}  EXPECT_EQ(received.size(), 1u);{{$}}
// CHECK-FIXES-NEXT: {{^}}}{{$}}

// The demo's JobRunner::probe_latency_us.
long positiveProbeLatency() {
  long elapsed_us = -1;
  const auto start = std::chrono::steady_clock::now();
  std::thread probe([&elapsed_us, start] {
    const auto took = std::chrono::steady_clock::now() - start;
    elapsed_us = static_cast<long>(
        std::chrono::duration_cast<std::chrono::microseconds>(took).count());
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: sleep used as synchronisation: 'elapsed_us' is read while the work started earlier may still write it; join the thread instead
  const long result = elapsed_us;
  probe.join();
  return result;
}
// CHECK-FIXES: {{^}}  probe.join();{{$}}
// CHECK-FIXES-NEXT: {{^}}  //{{$}}
// CHECK-FIXES-NEXT: {{^}}  const long result = elapsed_us;{{$}}
// CHECK-FIXES-NEXT: {{^}}  return result;{{$}}

void positiveNoLaterJoin() {
  // No join at all yet (the thread would std::terminate): the fix adds it.
  int answer = 0;
  std::thread worker([&answer] { answer = compute(); });
  usleep(1000);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: sleep used as synchronisation: 'answer' is read while the work started earlier may still write it; join the thread instead
  // CHECK-FIXES: {{^}}  worker.join();{{$}}
  use(answer);
}

void fill(int &out) { out = compute(); }

void positiveStdRefArgument() {
  int result = 0;
  std::thread t(fill, std::ref(result));
  sleep(1);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: sleep used as synchronisation: 'result' is read while the work started earlier may still write it; join the thread instead
  use(result);
  t.join();
}
// CHECK-FIXES: {{^}}  t.join();{{$}}
// CHECK-FIXES-NEXT: {{^}}  //{{$}}
// CHECK-FIXES-NEXT: {{^}}  use(result);{{$}}
// CHECK-FIXES-NEXT: {{^}}}{{$}}

void positiveNamedTaskVariable() {
  std::string status;
  auto task = [&] { status = "done"; };
  std::jthread t(task);
  std::this_thread::sleep_for(10ms);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: sleep used as synchronisation: 'status' is read while the work started earlier may still write it; join the thread instead
  // CHECK-FIXES: {{^}}  t.join();{{$}}
  use(status);
}

void positiveSleepAndReadInTheSameIteration(std::vector<int> &out) {
  for (int i = 0; i < 4; ++i) {
    int square = 0;
    std::thread t([&square, i] { square = i * i; });
    std::this_thread::sleep_for(1ms);
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: sleep used as synchronisation: 'square' is read while the work started earlier may still write it; join the thread instead
    out.push_back(square);
    t.join();
  }
}
// CHECK-FIXES: {{^}}    t.join();{{$}}
// CHECK-FIXES-NEXT: {{^}}    //{{$}}
// CHECK-FIXES-NEXT: {{^}}    out.push_back(square);{{$}}
// CHECK-FIXES-NEXT: {{^}}  }{{$}}

// A detached thread, a sleep "long enough", and the function returns: the
// demo's Logger::shutdown.
class Logger {
public:
  void shutdown() {
    std::thread([this] {
      std::lock_guard<std::mutex> lock(mu_);
      flushed_ = pending_;
    }).detach();
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: sleep used as synchronisation: the function returns while the work started earlier may still run; wait on a latch or a condition variable instead
  }

private:
  std::mutex mu_;
  int pending_ = 0;
  int flushed_ = 0;
};

int positiveDetachedHandleThenSleepInMain() {
  std::thread printer([] { std::puts("hello from the thread"); });
  printer.detach();
  sleep(1);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: sleep used as synchronisation: the function returns while the work started earlier may still run; wait on a latch or a condition variable instead
  return 0;
}

int g_ready = 0;

int positiveGlobalWrittenByDetachedThread() {
  std::thread([] { g_ready = 1; }).detach();
  std::this_thread::sleep_for(20ms);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: sleep used as synchronisation: 'g_ready' is read while the work started earlier may still write it; wait on a latch or a condition variable instead
  return g_ready;
}

class Cache {
public:
  int refreshNow() {
    pool_.enqueue([this] { size_ = compute(); });
    std::this_thread::sleep_for(50ms);
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: sleep used as synchronisation: 'size_' is read while the work started earlier may still write it; wait for the pool's tasks instead
    return size_;
  }
  void refreshLater() {
    pool_.enqueue([this] { size_ = compute(); });
    std::this_thread::sleep_for(50ms);
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: sleep used as synchronisation: the function returns while the work started earlier may still run; wait for the pool's tasks instead
  }

private:
  ThreadPool pool_;
  int size_ = 0;
};

void positivePoolFutureKept(ThreadPool &pool) {
  int total = 0;
  std::future<void> done = pool.enqueue([&total] { total = compute(); });
  std::this_thread::sleep_for(10ms);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: sleep used as synchronisation: 'total' is read while the work started earlier may still write it; wait on the future instead
  use(total);
  done.get();
}

int positiveAsyncFuture() {
  int answer = 0;
  auto pending = std::async(std::launch::async, [&] { answer = compute(); });
  std::this_thread::sleep_for(10ms);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: sleep used as synchronisation: 'answer' is read while the work started earlier may still write it; wait on the future instead
  return answer;
}

struct Job {
  int input = 0;
  int output = 0;
};

void *runJob(void *arg) {
  auto *job = static_cast<Job *>(arg);
  job->output = job->input * 2;
  return nullptr;
}

void positivePthreadCreate() {
  Job job;
  job.input = 21;
  pthread_t tid;
  pthread_create(&tid, nullptr, runJob, &job);
  sleep(1);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: sleep used as synchronisation: 'job' is read while the work started earlier may still write it; join the thread instead
  std::printf("%d\n", job.output);
  pthread_join(tid, nullptr);
}

void positivePthreadNeverJoined() {
  pthread_t tid;
  static Job job;
  pthread_create(&tid, nullptr, runJob, &job);
  usleep(500);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: sleep used as synchronisation: the function returns while the work started earlier may still run; join the thread instead
}

void positiveThreadsInAContainer() {
  std::vector<int> results(4);
  std::vector<std::thread> workers;
  for (int i = 0; i < 4; ++i)
    workers.emplace_back([&results, i] { results[i] = i * i; });
  std::this_thread::sleep_for(1s);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: sleep used as synchronisation: 'results' is read while the work started earlier may still write it; join the thread instead
  int sum = 0;
  for (int r : results)
    sum += r;
  use(sum);
  for (auto &w : workers)
    w.join();
}

class Server {
public:
  void startAndCheck() {
    worker_ = std::thread([this] {
      listening_ = true;
      serve();
    });
    std::this_thread::sleep_for(200ms);
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: sleep used as synchronisation: 'listening_' is read while the work started earlier may still write it; wait on a latch or a condition variable instead
    if (!listening_)
      std::puts("server did not start");
  }

private:
  std::thread worker_;
  std::atomic<bool> listening_{false};
};

void positiveSleepUntil() {
  std::atomic<int> stage{0};
  std::thread t([&] { stage.store(2); });
  std::this_thread::sleep_until(std::chrono::steady_clock::now() + 10ms);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: sleep used as synchronisation: 'stage' is read while the work started earlier may still write it; join the thread instead
  use(stage.load());
  t.join();
}
// CHECK-FIXES: {{^}}  t.join();{{$}}
// CHECK-FIXES-NEXT: {{^}}  //{{$}}
// CHECK-FIXES-NEXT: {{^}}  use(stage.load());{{$}}
// CHECK-FIXES-NEXT: {{^}}}{{$}}

void positiveNanosleep() {
  int value = 0;
  std::thread t([&] { value = 7; });
  timespec delay{0, 1000000};
  nanosleep(&delay, nullptr);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: sleep used as synchronisation: 'value' is read while the work started earlier may still write it; join the thread instead
  use(value);
  t.join();
}
// CHECK-FIXES: {{^}}  t.join();{{$}}
// CHECK-FIXES-NEXT: {{^}}  //{{$}}
// CHECK-FIXES-NEXT: {{^}}  use(value);{{$}}
// CHECK-FIXES-NEXT: {{^}}}{{$}}

// BS::thread_pool (bshoshany/thread-pool), with pausing.
namespace BS {
template <unsigned Flags = 0> class thread_pool {
public:
  template <class F> void detach_task(F &&f) { f(); }
  void pause();
  void unpause();
  bool is_paused() const;
  void wait();
};
} // namespace BS

void check(bool);

void positivePausedPoolTest() {
  // After the pause, the first sleep gives the task a chance to run wrongly
  // (then the pool is told to go on); the second one waits for the task.
  BS::thread_pool<> pool;
  pool.pause();
  std::atomic<bool> flag = false;
  pool.detach_task([&flag] { flag = true; });
  std::this_thread::sleep_for(200ms);
  check(!flag);
  pool.unpause();
  std::this_thread::sleep_for(200ms);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: sleep used as synchronisation: 'flag' is read while the work started earlier may still write it; wait for the pool's tasks instead
  check(flag);
  check(!pool.is_paused());
}

// ------------------------------------------- positives without a fix-it

void positiveNoFixTwoThreads() {
  // Joining one thread would not be enough.
  int a = 0, b = 0;
  std::thread ta([&a] { a = 1; });
  std::thread tb([&b] { b = 2; });
  std::this_thread::sleep_for(10ms);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: sleep used as synchronisation: 'a' is read while the work started earlier may still write it; join the thread instead
  // CHECK-FIXES: {{^}}  std::this_thread::sleep_for(10ms);{{$}}
  use(a + b);
  ta.join();
  tb.join();
}

void positiveNoFixThreadDetachedLater() {
  int x = 0;
  std::thread t([&x] { x = 1; });
  std::this_thread::sleep_for(10ms);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: sleep used as synchronisation: 'x' is read while the work started earlier may still write it; wait on a latch or a condition variable instead
  // CHECK-FIXES: {{^}}  std::this_thread::sleep_for(10ms);{{$}}
  use(x);
  t.detach();
}

void positiveNoFixThreadMovedBeforeTheSleep() {
  int x = 0;
  std::thread t([&x] { x = 1; });
  std::thread owner = std::move(t);
  std::this_thread::sleep_for(10ms);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: sleep used as synchronisation: 'x' is read while the work started earlier may still write it; join the thread instead
  // CHECK-FIXES: {{^}}  std::this_thread::sleep_for(10ms);{{$}}
  use(x);
  owner.join();
}

void positiveNoFixGuardedLaterJoin() {
  // `if (t.joinable()) t.join();` is a second use: not touched.
  int x = 0;
  std::thread t([&x] { x = 1; });
  std::this_thread::sleep_for(10ms);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: sleep used as synchronisation: 'x' is read
  // CHECK-FIXES: {{^}}  std::this_thread::sleep_for(10ms);{{$}}
  use(x);
  if (t.joinable())
    t.join();
}

void positiveNoFixSleepInABranch(bool check) {
  // Replacing the sleep and removing the join would leave the thread
  // unjoined when `check` is false.
  int x = 0;
  std::thread t([&x] { x = 1; });
  if (check) {
    std::this_thread::sleep_for(10ms);
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: sleep used as synchronisation: 'x' is read
    // CHECK-FIXES: {{^}}    std::this_thread::sleep_for(10ms);{{$}}
    use(x);
  }
  t.join();
}

#define SETTLE() std::this_thread::sleep_for(5ms)

void positiveNoFixSleepInAMacro() {
  int x = 0;
  std::thread t([&x] { x = 1; });
  SETTLE();
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: sleep used as synchronisation: 'x' is read
  // CHECK-FIXES: {{^}}  SETTLE();{{$}}
  use(x);
  t.join();
}

// ------------------------------------------------- templates and NOLINT

template <class T> T positiveTemplate(T seed) {
  T value = seed;
  std::thread t([&value] { value = value + value; });
  // One warning for both instantiations.
  std::this_thread::sleep_for(1ms);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: sleep used as synchronisation: 'value' is read
  T copy = value;
  t.join();
  return copy;
}
// CHECK-FIXES: {{^}}  // One warning for both instantiations.{{$}}
// CHECK-FIXES-NEXT: {{^}}  t.join();{{$}}
// CHECK-FIXES-NEXT: {{^}}  //{{$}}
// CHECK-FIXES-NEXT: {{^}}  T copy = value;{{$}}
// CHECK-FIXES-NEXT: {{^}}  return copy;{{$}}

void instantiate() {
  positiveTemplate(1);
  positiveTemplate(2.0);
}

void negativeSilencedWithNolint() {
  int x = 0;
  std::thread t([&x] { x = 1; });
  std::this_thread::sleep_for(10ms); // NOLINT(threadlint-sleep-as-sync)
  use(x);
  t.join();
}

// ---------------------------------------------------------------- negatives

void negativePollingLoopChecksCondition() {
  // The loop checks the condition; the sleep only paces it.
  std::atomic<bool> done{false};
  std::thread t([&] { done = true; });
  while (!done)
    std::this_thread::sleep_for(1ms);
  t.join();
}

void negativeSleepThenPollingLoop() {
  std::atomic<bool> done{false};
  std::thread t([&] { done = true; });
  std::this_thread::sleep_for(10ms);
  while (!done.load())
    std::this_thread::yield();
  t.join();
}

void negativeRetryBackoff() {
  std::thread heartbeat(serve);
  for (int attempt = 0; attempt < 5; ++attempt) {
    if (tryConnect())
      break;
    // Back-off between retries: no work was started in this loop.
    std::this_thread::sleep_for(std::chrono::milliseconds(100 << attempt));
  }
  heartbeat.join();
}

void negativeSleepInsideWorker() {
  // The worker simulates work; the spawner joins before reading.
  int processed = 0;
  std::thread t([&processed] {
    std::this_thread::sleep_for(10ms);
    processed = 1;
  });
  t.join();
  use(processed);
}

void negativeJoinBeforeRead() {
  int x = 0;
  std::thread t([&x] { x = 1; });
  std::this_thread::sleep_for(10ms);
  t.join();
  use(x);
}

void negativeFutureGetBeforeRead() {
  int x = 0;
  auto f = std::async(std::launch::async, [&x] { x = 1; });
  std::this_thread::sleep_for(10ms);
  f.get();
  use(x);
}

void negativeLatchWaitBeforeRead() {
  int x = 0;
  std::latch ready(1);
  std::thread t([&] {
    x = 1;
    ready.count_down();
  });
  std::this_thread::sleep_for(10ms);
  ready.wait();
  use(x);
  t.join();
}

void negativeConditionVariableWaitBeforeRead() {
  std::mutex m;
  std::condition_variable cv;
  bool ready = false;
  int x = 0;
  std::thread t([&] {
    std::lock_guard<std::mutex> lock(m);
    x = 1;
    ready = true;
    cv.notify_one();
  });
  std::this_thread::sleep_for(10ms);
  {
    std::unique_lock<std::mutex> lock(m);
    cv.wait(lock, [&] { return ready; });
  }
  use(x);
  t.join();
}

void negativePoolWaitBeforeRead(ThreadPool &pool) {
  int x = 0;
  pool.enqueue([&x] { x = 1; });
  std::this_thread::sleep_for(10ms);
  pool.wait_for_tasks();
  use(x);
}

void negativeLocalPoolDestroyedBeforeReturn() {
  // The pool's destructor runs the tasks to the end before the return.
  ThreadPool pool;
  pool.enqueue([] { std::puts("task"); });
  std::this_thread::sleep_for(10ms);
}

void negativeJThreadScopeEndsBeforeRead() {
  int x = 0;
  {
    std::jthread t([&x] { x = 1; });
    std::this_thread::sleep_for(10ms);
  } // joins here
  use(x);
}

void negativeSleepBeforeSpawn() {
  int x = 0;
  std::this_thread::sleep_for(10ms);
  std::thread t([&x] { x = 1; });
  t.join();
  use(x);
}

void negativeNothingReadBeforeJoin() {
  // A pointless sleep, but nothing relies on it.
  int x = 0;
  std::thread t([&x] { x = 1; });
  std::this_thread::sleep_for(10ms);
  t.join();
  use(x);
}

void negativeLetItRunThenStop() {
  // A stress test: let the worker run for a while, sample, then stop it.
  std::atomic<bool> stop{false};
  std::atomic<long> iterations{0};
  std::thread t([&] {
    while (!stop)
      ++iterations;
  });
  std::this_thread::sleep_for(1s);
  const long sampled = iterations.load();
  stop = true;
  t.join();
  use(static_cast<int>(sampled));
}

void negativeStillBlockedThenUnlock() {
  // Checks that the worker is still blocked, then lets it go.
  std::mutex m;
  bool acquired = false;
  m.lock();
  std::thread t([&] {
    std::lock_guard<std::mutex> lock(m);
    acquired = true;
  });
  std::this_thread::sleep_for(50ms);
  EXPECT_EQ(acquired, false);
  m.unlock();
  t.join();
}

void negativeByCopyCapture() {
  // The task writes its own copy.
  int x = 0;
  std::thread t([x]() mutable { x = 1; use(x); });
  std::this_thread::sleep_for(10ms);
  use(x);
  t.join();
}

void negativeStateTheWorkOnlyReads() {
  std::string config = "fast";
  std::thread t([&config] { use(config); });
  std::this_thread::sleep_for(10ms);
  use(config);
  t.join();
}

thread_local int tl_counter = 0;

void negativeThreadLocalState() {
  // Each thread has its own counter.
  std::thread t([] { ++tl_counter; });
  std::this_thread::sleep_for(10ms);
  use(tl_counter);
  t.join();
}

void negativeDeferredAsync() {
  // A deferred task runs in get(), on this thread.
  int x = 0;
  auto f = std::async(std::launch::deferred, [&x] { x = 1; });
  std::this_thread::sleep_for(10ms);
  use(x);
  f.get();
}

void negativeZeroSleepIsAYield() {
  std::atomic<int> x{0};
  std::thread t([&x] { x = 1; });
  std::this_thread::sleep_for(0ms);
  use(x.load());
  t.join();
}

void negativePeriodicSubmitLoop(ThreadPool &pool, std::atomic<bool> &running) {
  std::atomic<int> ticks{0};
  while (running) {
    pool.enqueue([&ticks] { ++ticks; });
    std::this_thread::sleep_for(1s);
  }
  pool.wait_for_tasks();
}

class Service {
public:
  void start() {
    // Long-running work kept in a member: the sleep lets it start, the
    // function is not waiting for it to finish (see the doc's limits).
    worker_ = std::thread([this] { loop(); });
    std::this_thread::sleep_for(100ms);
  }
  void startDetachedDaemon() {
    // The detached work loops until told to stop: it is not expected to
    // finish before the return.
    std::thread([this] {
      while (!stopping_)
        ++ticks_;
    }).detach();
    std::this_thread::sleep_for(100ms);
  }

private:
  void loop();
  std::thread worker_;
  std::atomic<bool> stopping_{false};
  std::atomic<int> ticks_{0};
};

void negativeSpawnInAStoredLambda(std::vector<std::function<void()>> &later) {
  // The spawn is in a lambda that runs some other time.
  int x = 0;
  later.push_back([&x] { std::thread([&x] { x = 1; }).detach(); });
  std::this_thread::sleep_for(10ms);
  use(x);
}

class HttpServer {
public:
  int bindToAnyPort();
  void listenAfterBind();
  bool isRunning() const;
  void stop();
};
void get(int port);

void negativePollBeforeTheSleep() {
  // The polling loop has synchronised with the server thread: the port is
  // set before the server runs.
  HttpServer server;
  int port = 0;
  std::thread t([&] {
    port = server.bindToAnyPort();
    server.listenAfterBind();
  });
  while (!server.isRunning())
    std::this_thread::sleep_for(1ms);
  std::this_thread::sleep_for(1s);
  get(port);
  server.stop();
  t.join();
}

void negativeReadinessSleepThenStop() {
  // "Give the server time to start" before talking to it over a socket: the
  // analysis cannot see the socket (see the doc's limits), and the server is
  // told to stop before it is joined.
  HttpServer server;
  std::thread t([&server] { server.listenAfterBind(); });
  std::this_thread::sleep_for(1s);
  get(8080);
  server.stop();
  t.join();
}

void negativeJoinAllInALoopBeforeRead() {
  // The CFG has a path that skips the loop body; a loop that joins is a wait.
  std::vector<int> results(4);
  std::vector<std::thread> workers;
  for (int i = 0; i < 4; ++i)
    workers.emplace_back([&results, i] { results[i] = i; });
  std::this_thread::sleep_for(1ms);
  for (auto &w : workers)
    w.join();
  use(results[0]);
}

void negativeStaggeredDetachedSpawns() {
  // The sleep staggers the starts; nothing waits for the work here.
  for (int i = 0; i < 4; ++i) {
    std::thread(serve).detach();
    std::this_thread::sleep_for(10ms);
  }
}

void positiveGenericLambda() {
  auto body = [](auto seed) {
    auto value = seed;
    std::thread t([&value] { value = value + 1; });
    std::this_thread::sleep_for(1ms);
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: sleep used as synchronisation: 'value' is read
    use(static_cast<int>(value));
    t.join();
  };
  body(1);
  body(2L);
}
// CHECK-FIXES: {{^}}    t.join();{{$}}
// CHECK-FIXES-NEXT: {{^}}    //{{$}}
// CHECK-FIXES-NEXT: {{^}}    use(static_cast<int>(value));{{$}}
// CHECK-FIXES-NEXT: {{^}}  };{{$}}

void positiveThreadsPushedIntoAContainer() {
  std::atomic<int> counter{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < 3; ++i)
    threads.push_back(std::thread([&counter] { ++counter; }));
  std::this_thread::sleep_for(1s);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: sleep used as synchronisation: 'counter' is read while the work started earlier may still write it; join the thread instead
  use(counter.load());
  for (auto &t : threads)
    t.join();
}

void negativeStillBlockedThenStartTheLastThread() {
  // As absl's barrier test: the threads block until the last one arrives;
  // the sleep gives them a chance to pass wrongly, then the last one starts.
  std::mutex m;
  int passed = 0;
  auto arrive = [&] {
    tryConnect(); // blocks until every thread has arrived
    std::lock_guard<std::mutex> lock(m);
    ++passed;
  };
  std::vector<std::thread> threads;
  for (int i = 0; i < 3; ++i)
    threads.push_back(std::thread(arrive));
  std::this_thread::sleep_for(1s);
  {
    std::lock_guard<std::mutex> lock(m);
    EXPECT_EQ(passed, 0);
  }
  threads.push_back(std::thread(arrive));
  for (auto &t : threads)
    t.join();
}

void *serveForever(void *);

class Daemon {
public:
  void start() {
    // The handle is kept for stop(): a service, not work to wait for here.
    pthread_create(&tid_, nullptr, serveForever, this);
    usleep(1000);
  }

private:
  pthread_t tid_;
};
