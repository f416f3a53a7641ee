// Functions whose CFG is larger than MaxBlocks are skipped, and with Verbose
// the skip is said as a remark.
// RUN: %threadlint --checks=-*,threadlint-thread-not-joined %s \
// RUN:   -config="{CheckOptions: {threadlint-thread-not-joined.MaxBlocks: 3, threadlint-thread-not-joined.Verbose: true}}" \
// RUN:   -- -std=c++17 2>&1 | FileCheck %s --implicit-check-not=warning:
// RUN: %clang_tidy --load=%plugin --checks=-*,threadlint-thread-not-joined %s \
// RUN:   -config="{CheckOptions: {threadlint-thread-not-joined.MaxBlocks: 3, threadlint-thread-not-joined.Verbose: true}}" \
// RUN:   -- -std=c++17 -resource-dir=%resource_dir 2>&1 | FileCheck %s --implicit-check-not=warning:
// CHECK: :[[@LINE+7]]:5: remark: 'branchy' not analysed: its control-flow graph has {{[0-9]+}} blocks (MaxBlocks is 3) [threadlint-thread-not-joined]
//
// Without the bound, the same function is reported:
// RUN: %threadlint --checks=-*,threadlint-thread-not-joined %s -- -std=c++17 2>&1 | FileCheck %s --check-prefix=UNBOUNDED
// UNBOUNDED: warning: thread 't' can be destroyed while still joinable
#include <thread>
void work();
int branchy(int a, int b) {
  std::thread t(work);
  if (a)
    return 1;
  if (b)
    return 2;
  t.join();
  return 0;
}
