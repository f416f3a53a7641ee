// A unique_lock released early, then the field written: finish() stores the
// result under mu_, unlocks, and only then sets done_, which done() and
// reset() use under mu_.
// RUN: %python %tools/prove_finding.py --threadlint=%threadlint --clangxx=%clangxx \
// RUN:   --resource-dir=%resource_dir --check=threadlint-inconsistent-locking --expect=race %s %t \
// RUN:   | FileCheck %s
// CHECK: threadlint: threadlint-inconsistent-locking at every PROVE-WARN line
// CHECK: tsan: data race reported ({{[0-9]+ reports?}}), at PROVE-WARN line {{[0-9]+}}, run finished

#include <cstdio>
#include <mutex>
#include <thread>

class Task {
public:
  void finish(int result) {
    std::unique_lock<std::mutex> lock(mu_);
    result_ = result;
    lock.unlock();
    done_ = true; // PROVE-WARN
  }

  bool done() {
    std::lock_guard<std::mutex> lock(mu_);
    return done_;
  }

  void reset() {
    std::lock_guard<std::mutex> lock(mu_);
    done_ = false;
    result_ = 0;
  }

  int result() {
    std::lock_guard<std::mutex> lock(mu_);
    return result_;
  }

private:
  std::mutex mu_;
  bool done_ = false;
  int result_ = 0;
};

int main() {
  Task task;
  task.reset();
  std::thread worker([&task] { task.finish(42); });
  while (!task.done())
    std::this_thread::yield();
  worker.join();
  std::printf("result %d\n", task.result());
  return 0;
}
