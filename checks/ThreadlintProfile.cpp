#include "ThreadlintProfile.h"
#include <string>

namespace clang::tidy::threadlint {

llvm::ArrayRef<CheckInfo> threadlintChecks() {
  static const CheckInfo Checks[] = {
      {"threadlint-add-inside-spawned-task",
       "a spawned task adds itself to the wait group or pending counter its "
       "spawner waits on",
       "docs/checks/add-inside-spawned-task.md"},
      {"threadlint-double-lock",
       "a non-recursive mutex locked again by the thread that holds it",
       "docs/checks/double-lock.md"},
      {"threadlint-exception-escapes-thread",
       "an exception can escape a thread's body (std::terminate)",
       "docs/checks/exception-escapes-thread.md"},
      {"threadlint-inconsistent-locking",
       "a field or global accessed without the mutex that guards it "
       "elsewhere, where the access can run alongside a guarded one",
       "docs/checks/inconsistent-locking.md"},
      {"threadlint-lock-across-blocking-call",
       "a call that blocks (I/O, sleep, join, wait) while a lock is held",
       "docs/checks/lock-across-blocking-call.md"},
      {"threadlint-lock-order-inversion",
       "locks taken in orders that form a cycle (A then B, B then A): two "
       "threads can deadlock",
       "docs/checks/lock-order-inversion.md"},
      {"threadlint-loop-variable-capture",
       "a task that outlives a loop iteration captures a loop variable by "
       "reference",
       "docs/checks/loop-variable-capture.md"},
      {"threadlint-missing-stop",
       "spawned work that can never be stopped",
       "docs/checks/missing-stop.md"},
      {"threadlint-mixed-atomic-access",
       "a plain read or write of a variable that is also accessed atomically",
       "docs/checks/mixed-atomic-access.md"},
      {"threadlint-non-atomic-rmw",
       "a read-modify-write of an atomic split into a load and a separate "
       "store",
       "docs/checks/non-atomic-rmw.md"},
      {"threadlint-skipped-done",
       "an early exit of spawned work skips the completion signal its "
       "waiter relies on (count_down, Done, set_value)",
       "docs/checks/skipped-done.md"},
      {"threadlint-sleep-as-sync",
       "a sleep stands in for waiting on spawned work",
       "docs/checks/sleep-as-sync.md"},
      {"threadlint-thread-not-joined",
       "a std::thread can be destroyed while joinable (std::terminate)",
       "docs/checks/thread-not-joined.md"},
      {"threadlint-unsafe-lazy-init",
       "check-then-create of a shared pointer, optional or flag that several "
       "threads reach, or double-checked locking on a plain variable",
       "docs/checks/unsafe-lazy-init.md"},
      {"threadlint-unsynchronized-capture-write",
       "spawned work writes a shared variable that other work or the "
       "spawner uses at the same time, with no lock",
       "docs/checks/unsynchronized-capture-write.md"},
  };
  return Checks;
}

llvm::ArrayRef<llvm::StringRef> builtinProfileChecks() {
  static const llvm::StringRef Checks[] = {
      "bugprone-bad-signal-to-kill-thread",
      "bugprone-spuriously-wake-up-functions",
      "bugprone-unused-raii",
      "bugprone-unused-return-value",
  };
  return Checks;
}

std::string defaultProfileChecks() {
  std::string Result = "-*,threadlint-*";
  for (llvm::StringRef Check : builtinProfileChecks())
    (Result += ',') += Check.str();
  return Result;
}

llvm::ArrayRef<std::pair<llvm::StringRef, llvm::StringRef>>
defaultProfileCheckOptions() {
  // bugprone-unused-return-value is on for std::async only: a discarded
  // future makes the call synchronous. Its default lists are not about
  // concurrency: the functions (std::remove, ...) and the return types
  // (std::error_code, std::expected, ...) whose values it checks whatever
  // function returns them, so both are replaced ("" matches no type).
  static const std::pair<llvm::StringRef, llvm::StringRef> Options[] = {
      {"bugprone-unused-return-value.CheckedFunctions", "::std::async"},
      {"bugprone-unused-return-value.CheckedReturnTypes", ""},
  };
  return Options;
}

} // namespace clang::tidy::threadlint
