// RUN: %check_threadlint %s threadlint-thread-not-joined %t -- -- -std=c++17 -pthread
// The notes of a member finding: where the thread starts, and where it is
// joined when that is a member function the destructor does not call.

#include <thread>
#include <vector>

void work();

class Listener {
public:
  void start() { thread_ = std::thread(&Listener::run, this); }
  void terminate() {
    if (thread_.joinable())
      thread_.join();
  }
  ~Listener() = default;

private:
  void run();
  std::thread thread_;
};
// CHECK-NOTES: :[[@LINE-2]]:15: warning: thread member 'thread_' is started but the destructor of 'Listener' neither joins nor detaches it; destroying it while joinable calls std::terminate [threadlint-thread-not-joined]
// CHECK-NOTES: :[[@LINE-12]]:28: note: the thread is started here, in 'start()'
// CHECK-NOTES: :[[@LINE-10]]:7: note: joined only in 'terminate()', which the destructor does not call

class Detaching {
public:
  Detaching() : worker_(work) {}
  void release() { worker_.detach(); }

private:
  std::thread worker_;
};
// CHECK-NOTES: :[[@LINE-2]]:15: warning: thread member 'worker_' is started but the destructor of 'Detaching' neither joins nor detaches it
// CHECK-NOTES: :[[@LINE-7]]:17: note: the thread is started here, in the constructor
// CHECK-NOTES: :[[@LINE-7]]:20: note: detached only in 'release()', which the destructor does not call

class Pool {
public:
  void start() { workers_.emplace_back(work); }
  ~Pool() {}

private:
  std::vector<std::thread> workers_;
};
// CHECK-NOTES: :[[@LINE-2]]:28: warning: threads in member 'workers_' are started but the destructor of 'Pool' neither joins nor detaches them
// CHECK-NOTES: :[[@LINE-7]]:18: note: the thread is started here, in 'start()'
// CHECK-NOTES: :[[@LINE-7]]:3: note: destructor of 'Pool' defined here
