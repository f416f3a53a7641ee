// RUN: %check_threadlint %s threadlint-missing-stop %t -- -- -std=c++20 -pthread
// (c) A member std::stop_source whose tokens reach spawned work, and whose
// request_stop() no member function calls.

#include <functional>
#include <stop_token>
#include <thread>
#include <vector>

void consume(std::stop_token token);
void consumeUntil(std::stop_token token, int id);

class ThreadPool {
public:
  void enqueue(std::function<void()> task);
};

// ------------------------------------------------------------------ positives

// The token is taken in the member function the thread runs.
class Crawler {
public:
  void start() { thread_ = std::thread(&Crawler::run, this); }
  ~Crawler() { thread_.join(); }

private:
  void run() { consume(stop_.get_token()); }
  std::stop_source stop_;
  // CHECK-MESSAGES: :[[@LINE-1]]:20: warning: std::stop_source 'stop_' hands its token to spawned work, but request_stop() is never called on it in this class [threadlint-missing-stop]
  std::thread thread_;
};

// A token taken into a local, then captured by the task.
class Fetcher {
public:
  void start() {
    std::stop_token token = stop_.get_token();
    workers_.emplace_back([token] { consume(token); });
  }
  ~Fetcher() {
    for (auto &w : workers_)
      w.join();
  }

private:
  std::stop_source stop_;
  // CHECK-MESSAGES: :[[@LINE-1]]:20: warning: std::stop_source 'stop_' hands its token to spawned work, but request_stop() is never called on it in this class
  std::vector<std::thread> workers_;
};

// An init-capture of the token, in a pool task.
class Scheduler {
public:
  void schedule(int id) {
    pool_.enqueue([token = stop_.get_token(), id] { consumeUntil(token, id); });
  }

private:
  ThreadPool pool_;
  std::stop_source stop_;
  // CHECK-MESSAGES: :[[@LINE-1]]:20: warning: std::stop_source 'stop_' hands its token to spawned work, but request_stop() is never called on it in this class
};

// The token passed as the thread's argument, from a constructor.
class Uploader {
public:
  Uploader() : thread_(consume, stop_.get_token()) {}
  ~Uploader() { thread_.join(); }

private:
  std::stop_source stop_;
  // CHECK-MESSAGES: :[[@LINE-1]]:20: warning: std::stop_source 'stop_' hands its token to spawned work, but request_stop() is never called on it in this class
  std::thread thread_;
};

// A class template.
template <typename T> class Watcher {
public:
  void start() {
    thread_ = std::thread([this] { consume(stop_.get_token()); });
  }
  ~Watcher() { thread_.join(); }

private:
  std::stop_source stop_;
  // CHECK-MESSAGES: :[[@LINE-1]]:20: warning: std::stop_source 'stop_' hands its token to spawned work, but request_stop() is never called on it in this class
  std::thread thread_;
};

void useWatcher() {
  Watcher<int> w;
  w.start();
}

// Spawned through a macro.
#define SPAWN(body) workers_.emplace_back(body)

class Macroed {
public:
  void start() { SPAWN([this] { consume(stop_.get_token()); }); }
  ~Macroed() {
    for (auto &w : workers_)
      w.join();
  }

private:
  std::stop_source stop_;
  // CHECK-MESSAGES: :[[@LINE-1]]:20: warning: std::stop_source 'stop_' hands its token to spawned work, but request_stop() is never called on it in this class
  std::vector<std::thread> workers_;
};

// A local source keeps working.
void positiveLocalTokenVariable() {
  std::stop_source source;
  // CHECK-MESSAGES: :[[@LINE-1]]:20: warning: std::stop_source 'source' hands its token to spawned work, but request_stop() is never called on it in this function
  std::stop_token token = source.get_token();
  std::thread t([token] { consume(token); });
  t.join();
}

// ------------------------------------------------------------------ negatives

// Stopped in the destructor.
class NegativeStoppedInDestructor {
public:
  void start() { thread_ = std::thread(&NegativeStoppedInDestructor::run, this); }
  ~NegativeStoppedInDestructor() {
    stop_.request_stop();
    thread_.join();
  }

private:
  void run() { consume(stop_.get_token()); }
  std::stop_source stop_;
  std::thread thread_;
};

// Stopped in a helper.
class NegativeStoppedInAHelper {
public:
  void start() {
    std::stop_token token = stop_.get_token();
    workers_.emplace_back([token] { consume(token); });
  }
  void cancel() { stop_.request_stop(); }
  ~NegativeStoppedInAHelper() {
    cancel();
    for (auto &w : workers_)
      w.join();
  }

private:
  std::stop_source stop_;
  std::vector<std::thread> workers_;
};

// The source itself is handed out: whoever gets it may stop it.
class NegativeSourceHandedOut {
public:
  void start() { thread_ = std::thread(consume, stop_.get_token()); }
  std::stop_source source() const { return stop_; }
  ~NegativeSourceHandedOut() { thread_.join(); }

private:
  std::stop_source stop_;
  std::thread thread_;
};

// A member function defined in another file may stop it.
class NegativeOutOfLineMember {
public:
  void start() { thread_ = std::thread(consume, stop_.get_token()); }
  void stop();
  ~NegativeOutOfLineMember() { thread_.join(); }

private:
  std::stop_source stop_;
  std::thread thread_;
};

// A class template stopped in stop().
template <typename T> class NegativeTemplateStopped {
public:
  void start() {
    thread_ = std::thread([this] { consume(stop_.get_token()); });
  }
  void stop() { stop_.request_stop(); }
  ~NegativeTemplateStopped() {
    stop();
    thread_.join();
  }

private:
  std::stop_source stop_;
  std::thread thread_;
};

void useTemplateStopped() {
  NegativeTemplateStopped<int> s;
  s.start();
}

// No worker gets a token.
class NegativeNoWorkerGetsAToken {
public:
  bool stopping() const { return stop_.stop_requested(); }

private:
  std::stop_source stop_;
};

// A public member: the code that owns the object may stop it.
struct NegativePublicSource {
  void start() { thread = std::thread(consume, stop.get_token()); }
  ~NegativePublicSource() { thread.join(); }
  std::stop_source stop;
  std::thread thread;
};
void shutdown(NegativePublicSource &s) { s.stop.request_stop(); }
