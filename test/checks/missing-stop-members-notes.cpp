// RUN: %check_threadlint %s threadlint-missing-stop %t -- -- -std=c++20 -pthread
// A member stop_source: a note where the work starts, and one where the
// token is taken when that is elsewhere.

#include <stop_token>
#include <thread>

void consume(std::stop_token token);

class Crawler {
public:
  void start() { thread_ = std::thread(&Crawler::run, this); }
  ~Crawler() { thread_.join(); }

private:
  void run() { consume(stop_.get_token()); }
  std::stop_source stop_;
  std::thread thread_;
};
// CHECK-NOTES: :[[@LINE-3]]:20: warning: std::stop_source 'stop_' hands its token to spawned work, but request_stop() is never called on it in this class
// CHECK-NOTES: :[[@LINE-9]]:28: note: the work that gets its token starts here
// CHECK-NOTES: :[[@LINE-6]]:24: note: its token is taken here

class Workers {
public:
  void start() { thread_ = std::thread(consume, stop_.get_token()); }
  ~Workers() { thread_.join(); }

private:
  std::stop_source stop_;
  std::thread thread_;
};
// CHECK-NOTES: :[[@LINE-3]]:20: warning: std::stop_source 'stop_' hands its token to spawned work, but request_stop() is never called on it in this class
// CHECK-NOTES: :[[@LINE-8]]:28: note: the work that gets its token starts here
