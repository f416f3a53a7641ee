// RUN: %check_threadlint %s threadlint-sleep-as-sync %t -- -- -std=c++20 -pthread
//
// One protocol spread over a class: the work is started in start() (or the
// constructor), a public method sleeps "to let it finish" and reads what the
// work writes, and the join is elsewhere (the destructor, stop()).

#include <chrono>
#include <thread>
#include <vector>

int compute();
void use(int);

class Report {
public:
  void start() { worker_ = std::thread(&Report::run, this); }
  int report() {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    return result_;
  }
  ~Report() {
    if (worker_.joinable())
      worker_.join();
  }

private:
  void run() { result_ = compute(); }
  int result_ = 0;
  std::thread worker_;
};
// CHECK-NOTES: :[[@LINE-13]]:5: warning: sleep used as synchronisation: 'result_' is read while the work started earlier may still write it; join the thread instead [threadlint-sleep-as-sync]
// CHECK-NOTES: :[[@LINE-16]]:28: note: the work is started here, in 'start'
// CHECK-NOTES: :[[@LINE-10]]:7: note: the work is waited for here, in '~Report'
// CHECK-NOTES: :[[@LINE-15]]:12: note: 'result_' is read here, after the sleep
// CHECK-NOTES: :[[@LINE-8]]:16: note: the work writes 'result_' here

// A lambda capturing `this` started in the constructor; the work calls a
// helper that writes the member.
class Loader {
public:
  Loader() : thread_([this] { load(); }) {}
  std::vector<int> items() {
    std::this_thread::sleep_for(std::chrono::seconds(1));
    return items_;
  }
  ~Loader() { thread_.join(); }

private:
  void load() { fill(); }
  void fill() { items_.push_back(compute()); }
  std::vector<int> items_;
  std::thread thread_;
};
// CHECK-NOTES: :[[@LINE-11]]:5: warning: sleep used as synchronisation: 'items_' is read while the work started earlier may still write it; join the thread instead [threadlint-sleep-as-sync]
// CHECK-NOTES: :[[@LINE-14]]:14: note: the work is started here, in 'Loader'
// CHECK-NOTES: :[[@LINE-10]]:15: note: the work is waited for here, in '~Loader'
// CHECK-NOTES: :[[@LINE-13]]:12: note: 'items_' is read here, after the sleep
// CHECK-NOTES: :[[@LINE-8]]:17: note: the work writes 'items_' here

// The method joins before it reads: the sleep is only a pause.
class JoinsFirst {
public:
  void start() { worker_ = std::thread(&JoinsFirst::run, this); }
  int negativeJoinedBeforeTheRead() {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
    worker_.join();
    return result_;
  }

private:
  void run() { result_ = compute(); }
  int result_ = 0;
  std::thread worker_;
};

// The method calls stop(), which joins, before it reads.
class StopsFirst {
public:
  void start() { worker_ = std::thread([this] { result_ = compute(); }); }
  void stop() {
    if (worker_.joinable())
      worker_.join();
  }
  int negativeStoppedBeforeTheRead() {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
    stop();
    return result_;
  }

private:
  int result_ = 0;
  std::thread worker_;
};

// A service loop: it never finishes, so the pause is not waiting for it.
class Service {
public:
  void start() { worker_ = std::thread(&Service::loop, this); }
  int negativeServiceLoopIsNotWaitedFor() {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
    return ticks_;
  }
  ~Service() {
    running_ = false;
    worker_.join();
  }

private:
  void loop() {
    while (running_)
      ++ticks_;
  }
  bool running_ = true;
  int ticks_ = 0;
  std::thread worker_;
};

// A sleep in a polling loop paces the poll.
class Poller {
public:
  void start() { worker_ = std::thread(&Poller::run, this); }
  void negativePollingLoop() {
    for (int i = 0; i < 10; ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
      use(result_);
    }
  }
  ~Poller() { worker_.join(); }

private:
  void run() { result_ = compute(); }
  int result_ = 0;
  std::thread worker_;
};

// The sleeping method reads nothing the work writes.
class Unrelated {
public:
  void start() { worker_ = std::thread(&Unrelated::run, this); }
  int negativeReadsOtherState() {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
    return limit_;
  }
  ~Unrelated() { worker_.join(); }

private:
  void run() { result_ = compute(); }
  int result_ = 0;
  int limit_ = 3;
  std::thread worker_;
};
