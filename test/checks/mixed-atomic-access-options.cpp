// RUN: %check_threadlint %s threadlint-mixed-atomic-access %t -- \
// RUN:   -config="{CheckOptions: {threadlint-mixed-atomic-access.AtomicFunctions: '::platform::atomicIncrement'}}" \
// RUN:   -- -std=c++17 -pthread
//
// RUN: %threadlint --checks=-*,threadlint-mixed-atomic-access --dump-config \
// RUN:   -config="{CheckOptions: {threadlint-mixed-atomic-access.AtomicFunctions: '::platform::atomicIncrement'}}" \
// RUN:   | FileCheck %s --check-prefix=DUMP
// RUN: %clang_tidy --load=%plugin --checks=-*,threadlint-mixed-atomic-access --dump-config \
// RUN:   -config="{CheckOptions: {threadlint-mixed-atomic-access.AtomicFunctions: '::platform::atomicIncrement'}}" \
// RUN:   | FileCheck %s --check-prefix=DUMP
// DUMP: threadlint-mixed-atomic-access.AtomicFunctions: '::platform::atomicIncrement'
// RUN: %threadlint --checks=-*,threadlint-mixed-atomic-access --dump-config --config={} \
// RUN:   | FileCheck %s --check-prefix=DEFAULT
// DEFAULT-DAG: threadlint-mixed-atomic-access.AtomicFunctions: ''
// DEFAULT-DAG: threadlint-mixed-atomic-access.SpawnFunctions: '{{.+}}'

namespace platform {
// A project's wrapper around an interlocked increment.
long atomicIncrement(volatile long *p);
} // namespace platform

long refs;
void acquire() { platform::atomicIncrement(&refs); }

bool positiveUniqueOwner() {
  return refs == 1;
  // CHECK-MESSAGES: :[[@LINE-1]]:10: warning: plain read of 'refs', which is accessed atomically elsewhere
}
