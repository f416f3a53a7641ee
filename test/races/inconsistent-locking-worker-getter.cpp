// A worker thread runs a member function that counts under the mutex, and
// a public getter reads the counter bare: the getter runs on the caller's
// thread while run() writes on the worker's.
// RUN: %python %tools/prove_finding.py --threadlint=%threadlint --clangxx=%clangxx \
// RUN:   --resource-dir=%resource_dir --check=threadlint-inconsistent-locking --expect=race %s %t \
// RUN:   | FileCheck %s
// CHECK: threadlint: threadlint-inconsistent-locking at every PROVE-WARN line
// CHECK: tsan: data race reported ({{[0-9]+ reports?}}), at PROVE-WARN line {{[0-9]+}}, run finished

#include <cstdio>
#include <mutex>
#include <thread>

class Meter {
public:
  void start() { worker_ = std::thread(&Meter::run, this); }
  void stop() { worker_.join(); }

  long ticks() const {
    return ticks_; // PROVE-WARN
  }

private:
  void run() {
    for (int i = 0; i < 10000; ++i) {
      std::lock_guard<std::mutex> lock(mu_);
      ++ticks_;
    }
  }

  mutable std::mutex mu_;
  std::thread worker_;
  long ticks_ = 0;
};

int main() {
  Meter meter;
  meter.start();
  long seen = meter.ticks();
  meter.stop();
  std::printf("saw %ld of 10000 ticks\n", seen);
  return 0;
}
