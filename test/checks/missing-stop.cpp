// RUN: %check_threadlint %s threadlint-missing-stop %t -- -- -std=c++20 -pthread

#include <atomic>
#include <condition_variable>
#include <cstdlib>
#include <deque>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <stop_token>
#include <thread>
#include <vector>

void poll();
void handle(int);
[[noreturn]] void fatal(const char *);

// A blocking queue that can be closed: pop() returns nothing once closed.
class Queue {
public:
  std::optional<int> pop();
  void close();
};

// ------------------------------------------------------- (a) loops forever

void positiveWhileTrueDetached() {
  std::thread([] {
    while (true) {
      // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: this loop in a spawned task can never end: nothing breaks, returns or throws out of it, and its condition is always true [threadlint-missing-stop]
      poll();
    }
  }).detach();
}

class Heartbeat {
public:
  Heartbeat() : thread_([this] { run(); }) {}
  ~Heartbeat() { thread_.join(); } // waits forever

private:
  void run() {
    for (;;) {
      // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: this loop in a spawned task can never end
      poll();
      std::this_thread::sleep_for(std::chrono::seconds(1));
    }
  }
  std::thread thread_;
};

void positiveBreakOnlyLeavesTheInnerLoop(Queue &q) {
  std::thread t([&q] {
    do {
      // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: this loop in a spawned task can never end
      for (int i = 0; i < 3; ++i) {
        if (!q.pop())
          break; // leaves the for loop only
      }
    } while (1);
  });
  t.join();
}

// ---------------------------------------------- (b) stop_token never read

void positiveJThreadIgnoresItsToken() {
  std::jthread worker([](std::stop_token token) {
    // CHECK-MESSAGES: :[[@LINE-1]]:42: warning: the std::jthread task takes a std::stop_token but never consults it, so request_stop() cannot end its loop; the jthread's destructor will wait forever [threadlint-missing-stop]
    std::atomic<bool> done{false};
    while (!done)
      poll();
  });
}

// ------------------------------------- (c) stop_source never asked to stop

void consume(std::stop_token token);

void positiveLocalSourceNeverStopped() {
  std::stop_source source;
  // CHECK-MESSAGES: :[[@LINE-1]]:20: warning: std::stop_source 'source' hands its token to spawned work, but request_stop() is never called on it in this function [threadlint-missing-stop]
  std::thread t(consume, source.get_token());
  t.join();
}

class Workers {
public:
  void start() {
    threads_.emplace_back([this] { consume(stop_.get_token()); });
  }
  ~Workers() {
    for (auto &t : threads_)
      t.join();
  }

private:
  std::stop_source stop_;
  // CHECK-MESSAGES: :[[@LINE-1]]:20: warning: std::stop_source 'stop_' hands its token to spawned work, but request_stop() is never called on it in this class
  std::vector<std::thread> threads_;
};

void suppressedWithNolint() {
  std::thread([] {
    while (true) // NOLINT(threadlint-missing-stop)
      poll();
  }).detach();
}

// ---------------------------------------------------------------- negatives

void negativeLoopChecksAStopFlag(std::atomic<bool> &stop) {
  std::thread t([&stop] {
    while (!stop.load())
      poll();
  });
  t.join();
}

void negativeInfiniteLoopBreaksOnAFlag(std::atomic<bool> &stop) {
  std::thread t([&stop] {
    while (true) {
      if (stop)
        break;
      poll();
    }
  });
  t.join();
}

void negativeClosedQueueEndsTheLoop(Queue &q) {
  std::thread t([&q] {
    for (;;) {
      std::optional<int> item = q.pop();
      if (!item)
        return;
      handle(*item);
    }
  });
  q.close();
  t.join();
}

void negativeSentinel(Queue &q) {
  std::thread t([&q] {
    while (true) {
      int v = q.pop().value_or(-1);
      if (v < 0) // the sentinel
        break;
      handle(v);
    }
  });
  t.join();
}

void negativeThrowsOutOfTheLoop() {
  std::thread t([] {
    while (true) {
      poll();
      throw std::runtime_error("stop");
    }
  });
  t.join();
}

void negativeExitsTheProcess() {
  std::thread([] {
    for (;;) {
      poll();
      std::exit(0);
    }
  }).detach();
  std::thread([] {
    while (true)
      fatal("watchdog fired");
  }).detach();
}

void negativeJThreadChecksItsToken() {
  std::jthread worker([](std::stop_token token) {
    while (!token.stop_requested())
      poll();
  });
}

void negativeJThreadWaitsWithTheToken(std::mutex &mu,
                                      std::condition_variable_any &cv,
                                      std::deque<int> &jobs) {
  std::jthread worker([&](std::stop_token token) {
    for (;;) {
      std::unique_lock lock(mu);
      if (!cv.wait(lock, token, [&] { return !jobs.empty(); }))
        return;
      jobs.pop_front();
    }
  });
}

bool consumeOne(std::stop_token token);

void negativeJThreadPassesTheTokenOn() {
  // The callee sees the token and reports when to stop.
  std::jthread worker([](std::stop_token token) {
    while (consumeOne(token)) {
    }
  });
}

void negativeJThreadWithoutALoop() {
  std::jthread worker([](std::stop_token) { poll(); });
}

void negativeSourceStopped() {
  std::stop_source source;
  std::thread t(consume, source.get_token());
  source.request_stop();
  t.join();
}

void shutdownAll(std::stop_source &source);

void negativeSourceHandedToAFunctionThatMayStopIt() {
  std::stop_source source;
  std::thread t(consume, source.get_token());
  shutdownAll(source);
  t.join();
}

void negativeSourceNobodyListensTo() {
  std::stop_source source;
  (void)source.stop_possible();
}

class StoppedWorkers {
public:
  void start() { thread_ = std::thread(consume, stop_.get_token()); }
  void stop() {
    stop_.request_stop();
    thread_.join();
  }

private:
  std::stop_source stop_;
  std::thread thread_;
};
