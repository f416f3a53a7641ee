// Half-typed code, as the editor sees it: compile errors, no crash, and no
// threadlint warning from the declarations with errors.
// RUN: not %threadlint --checks=-*,threadlint-skipped-done %s -- -std=c++20 2>&1 | FileCheck %s
// RUN: not %clang_tidy --load=%plugin --checks=-*,threadlint-skipped-done %s -- -std=c++20 -resource-dir=%resource_dir 2>&1 | FileCheck %s
// CHECK: error:
// CHECK-NOT: threadlint-skipped-done
// CHECK-NOT: Stack dump

#include <latch>
#include <thread>
#include <vector>

bool valid(int);

void unfinishedBody(int n) {
  std::latch done(n);
  std::vector<std::thread> workers;
  for (int i = 0; i < n; ++i)
    workers.emplace_back([&done, i] {
      if (!valid(i))
        return;
      process(i + );
      done.count_down();
    });
  done.wait();
}

void unfinishedSignal(int n) {
  std::latch done(n);
  std::thread t([&done, n] {
    if (!valid(n))
      return;
    done.count_down(missing);
  });
  done.wait(
  t.join();
}

struct Half {
  void work(int i) {
    if (!valid(i))
      return;
    done_.count_down();
  }
  void finish() { done_.wait(); }
  std::latch done_
  std::thread t_{&Half::work, this, 1};
};
