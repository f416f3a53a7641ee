// RUN: %check_threadlint %s threadlint-unsynchronized-capture-write %t -- -- -std=c++20 -pthread
// A watchdog or helper thread that appends to a container while the
// spawning function (or another thread) appends to it too. The helper's
// loop checks an atomic stop flag: that load orders nothing the loop body
// does, because the body runs while the flag is still clear.

#include <atomic>
#include <chrono>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

using namespace std::chrono_literals;

// ---------------------------------------------------------- free functions

void positiveWatchdogAndSpawnerAppend(const std::vector<std::string> &items) {
  std::vector<std::string> events;
  std::atomic<bool> stop{false};
  std::thread watchdog([&] {
    while (!stop.load()) {
      events.push_back("tick");
      // CHECK-MESSAGES: :[[@LINE-1]]:7: warning: unsynchronized write to 'events', captured by reference: the spawning function uses it before joining; protect it with a lock, make it atomic, or give each task its own [threadlint-unsynchronized-capture-write]
      std::this_thread::sleep_for(10ms);
    }
  });
  for (const auto &item : items)
    events.push_back(item);
  stop = true;
  watchdog.join();
}

// `if (stop) break;` inside the helper's loop, and a spawner's loop whose
// condition calls size(): the loop makes the use, it does not wait for one.
void positiveWatchdogBreaksOnStop(const std::vector<std::string> &items) {
  std::vector<std::string> events;
  std::atomic<bool> stop{false};
  std::thread watchdog([&] {
    for (;;) {
      if (stop)
        break;
      events.emplace_back("tick");
      // CHECK-MESSAGES: :[[@LINE-1]]:7: warning: unsynchronized write to 'events', captured by reference: the spawning function uses it before joining
      std::this_thread::sleep_for(10ms);
    }
  });
  for (std::size_t i = 0; i < items.size(); ++i)
    events.insert(events.end(), items[i]);
  stop.store(true);
  watchdog.join();
}

// The spawner appends only after the join.
void negativeSpawnerAppendsAfterJoin(const std::vector<std::string> &items) {
  std::vector<std::string> events;
  std::atomic<bool> stop{false};
  std::thread watchdog([&] {
    while (!stop.load()) {
      events.push_back("tick");
      std::this_thread::sleep_for(10ms);
    }
  });
  stop = true;
  watchdog.join();
  for (const auto &item : items)
    events.push_back(item);
}

// Both sides append under the same lock.
void negativeBothAppendUnderLock(const std::vector<std::string> &items) {
  std::vector<std::string> events;
  std::mutex m;
  std::atomic<bool> stop{false};
  std::thread watchdog([&] {
    while (!stop.load()) {
      {
        std::lock_guard<std::mutex> g(m);
        events.push_back("tick");
      }
      std::this_thread::sleep_for(10ms);
    }
  });
  for (const auto &item : items) {
    std::lock_guard<std::mutex> g(m);
    events.push_back(item);
  }
  stop = true;
  watchdog.join();
}

// The helper waits for the spawner's go-ahead before it writes, and the
// spawner writes before giving it: ordered by the flag.
int negativeHandshakeBeforeWrite() {
  int result = 0;
  std::atomic<bool> go{false};
  std::thread helper([&] {
    while (!go.load())
      std::this_thread::yield();
    result = 2;
  });
  result = 1;
  go = true;
  helper.join();
  return result;
}

// An inner loop waits for the go-ahead (`if (go) break;` exits the inner
// loop only); the write comes after it, in the outer loop's body.
int negativeInnerWaitLoopBeforeWrite() {
  int result = 0;
  std::atomic<bool> go{false};
  std::thread helper([&] {
    while (true) {
      for (;;) {
        if (go.load())
          break;
        std::this_thread::yield();
      }
      result = 2;
      break;
    }
  });
  result = 1;
  go = true;
  helper.join();
  return result;
}

// The spawner waits for the helper inside its loop before each use.
void negativeSpawnerWaitsInItsLoop(std::vector<int> &out, int n) {
  std::vector<int> staged;
  std::atomic<int> produced{0};
  std::thread producer([&] {
    staged.push_back(1);
    produced.store(1);
  });
  while (produced.load() == 0)
    std::this_thread::yield();
  for (int i = 0; i < n; ++i)
    out.push_back(staged.back());
  producer.join();
}

// --------------------------------------------------------------- class form

std::vector<std::string> activityLog;

class Monitor {
public:
  void start() {
    watchdog_ = std::thread([this] {
      while (!stop_) {
        activityLog.push_back("tick");
        // CHECK-MESSAGES: :[[@LINE-1]]:9: warning: unsynchronized write to 'activityLog', a global: another spawned task writes it too
        std::this_thread::sleep_for(10ms);
      }
    });
    worker_ = std::thread(&Monitor::work, this);
  }
  void stop() {
    stop_ = true;
    watchdog_.join();
    worker_.join();
  }

private:
  // The entry point of the second thread: a member function. Both threads
  // are started in start() and joined in stop().
  void work() {
    while (!stop_.load(std::memory_order_acquire))
      activityLog.push_back("work");
    // CHECK-MESSAGES: :[[@LINE-1]]:7: warning: unsynchronized write to 'activityLog', a global: another spawned task writes it too
  }
  std::atomic<bool> stop_{false};
  std::thread watchdog_;
  std::thread worker_;
};

std::vector<std::string> guardedLog;
std::mutex guardedLogMutex;

class GuardedMonitor {
public:
  void start() {
    watchdog_ = std::thread([this] {
      while (!stop_) {
        std::lock_guard<std::mutex> g(guardedLogMutex);
        guardedLog.push_back("tick");
      }
    });
    worker_ = std::thread(&GuardedMonitor::work, this);
  }
  void stop() {
    stop_ = true;
    watchdog_.join();
    worker_.join();
  }

private:
  // Both threads append under one lock.
  void work() {
    while (!stop_.load()) {
      std::lock_guard<std::mutex> g(guardedLogMutex);
      guardedLog.push_back("work");
    }
  }
  std::atomic<bool> stop_{false};
  std::thread watchdog_;
  std::thread worker_;
};

// ---------------------------------------------------------------- templates

template <typename Event>
void positiveWatchdogInTemplate(const std::vector<Event> &items) {
  std::vector<Event> events;
  std::atomic<bool> stop{false};
  std::thread watchdog([&] {
    while (!stop) {
      events.push_back(Event{});
      // CHECK-MESSAGES: :[[@LINE-1]]:7: warning: unsynchronized write to 'events', captured by reference: the spawning function uses it before joining
      std::this_thread::sleep_for(10ms);
    }
  });
  for (const Event &e : items)
    events.push_back(e);
  stop = true;
  watchdog.join();
}
template void positiveWatchdogInTemplate<int>(const std::vector<int> &);

// ------------------------------------------------------------------- macros

#define STOPPED(flag) (flag).load(std::memory_order_relaxed)

void positiveWatchdogMacro(const std::vector<std::string> &items) {
  std::vector<std::string> events;
  std::atomic<bool> stop{false};
  std::thread watchdog([&] {
    while (!STOPPED(stop))
      events.push_back("tick");
    // CHECK-MESSAGES: :[[@LINE-1]]:7: warning: unsynchronized write to 'events', captured by reference: the spawning function uses it before joining
  });
  for (const auto &item : items)
    events.push_back(item);
  stop = true;
  watchdog.join();
}
