// RUN: %check_threadlint %s threadlint-exception-escapes-thread %t -- -- -std=c++20 -pthread
//
// The protocol spread over a class: the thread started in start() or in a
// constructor, a member function as its entry, the throw in a member the
// entry calls on `this`.

#include <atomic>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

std::string read_line();
void store(int);

class Service {
public:
  void start() { worker_ = std::thread(&Service::loop, this); }
  // CHECK-NOTES: :[[@LINE-1]]:40: warning: an exception thrown by 'std::stoi' can escape the thread started here, which calls 'std::terminate' [threadlint-exception-escapes-thread]
  // CHECK-NOTES: :[[@LINE+10]]:13: note: through this call to 'Service::parse'
  // CHECK-NOTES: :[[@LINE+5]]:31: note: 'std::stoi' can throw 'std::invalid_argument' here and no handler in the thread catches it
  void stop() { running_ = false; worker_.join(); }

private:
  int parse(const std::string &line) {
    return line.empty() ? 0 : std::stoi(line);
  }
  void loop() {
    while (running_)
      store(parse(read_line()));
  }
  std::atomic<bool> running_{true};
  std::thread worker_;
};

// Started in the constructor's initialiser, with a lambda calling a member.
class Tailer {
public:
  Tailer() : thread_([this] { follow(); }) {}
  // CHECK-NOTES: :[[@LINE-1]]:22: warning: an exception of type 'std::runtime_error' can escape the thread started here
  // CHECK-NOTES: :[[@LINE-2]]:31: note: through this call to 'Tailer::follow'
  // CHECK-NOTES: :[[@LINE+11]]:7: note: through this call to 'Tailer::check'
  // CHECK-NOTES: :[[@LINE+6]]:7: note: 'std::runtime_error' is thrown here and no handler in the thread catches it
  ~Tailer() { thread_.join(); }

private:
  void check(int v) {
    if (v < 0)
      throw std::runtime_error("negative offset");
  }
  void follow() {
    for (int i = 0; i < 3; ++i)
      check(static_cast<int>(read_line().size()) - 1);
  }
  std::thread thread_;
};

// A class whose entry catches everything and reports it: fine.
class ok_SafeService {
public:
  void start() { worker_ = std::thread(&ok_SafeService::loop, this); }
  void stop() { worker_.join(); }
  bool failed() const { return failed_; }

private:
  int parse(const std::string &line) { return std::stoi(line); }
  void loop() {
    try {
      store(parse(read_line()));
    } catch (...) {
      failed_ = true;
    }
  }
  std::atomic<bool> failed_{false};
  std::thread worker_;
};

// The member it calls is noexcept: it terminates on its own, and says so.
class ok_NoexceptMember {
public:
  ok_NoexceptMember() : t_(&ok_NoexceptMember::run, this) {}
  ~ok_NoexceptMember() { t_.join(); }

private:
  int parse(const std::string &line) noexcept { return std::stoi(line); }
  void run() { store(parse(read_line())); }
  std::thread t_;
};

// The handler is in the entry; the throwing member is called inside it.
class ok_HandlerInEntry {
public:
  void start() { t_ = std::jthread([this] { run(); }); }

private:
  void step() { store(values_.at(7)); }
  void run() {
    try {
      step();
    } catch (const std::out_of_range &) {
      store(-1);
    }
  }
  std::vector<int> values_;
  std::jthread t_;
};
