//===--- ThreadlintModule.cpp - the threadlint clang-tidy module ----------===//
#include "AddInsideSpawnedTaskCheck.h"
#include "DoubleLockCheck.h"
#include "ExceptionEscapesThreadCheck.h"
#include "InconsistentLockingCheck.h"
#include "LockAcrossBlockingCallCheck.h"
#include "LockOrderInversionCheck.h"
#include "LoopVariableCaptureCheck.h"
#include "MissingStopCheck.h"
#include "MixedAtomicAccessCheck.h"
#include "NonAtomicRmwCheck.h"
#include "SkippedDoneCheck.h"
#include "SleepAsSyncCheck.h"
#include "ThreadNotJoinedCheck.h"
#include "UnsafeLazyInitCheck.h"
#include "UnsynchronizedCaptureWriteCheck.h"
#include "UserCodeScope.h"
#include "clang-tidy/ClangTidyModule.h"

namespace clang::tidy::threadlint {
namespace {

class ThreadlintModule : public ClangTidyModule {
public:
  void addCheckFactories(ClangTidyCheckFactories &Factories) override {
    // Alphabetical; every name is also listed in ThreadlintProfile.cpp.
    // Each check walks only the code outside system headers (UserCodeScope.h).
    Factories.registerCheck<WithUserCodeScope<AddInsideSpawnedTaskCheck>>(
        "threadlint-add-inside-spawned-task");
    Factories.registerCheck<WithUserCodeScope<DoubleLockCheck>>("threadlint-double-lock");
    Factories.registerCheck<WithUserCodeScope<ExceptionEscapesThreadCheck>>(
        "threadlint-exception-escapes-thread");
    Factories.registerCheck<WithUserCodeScope<InconsistentLockingCheck>>(
        "threadlint-inconsistent-locking");
    Factories.registerCheck<WithUserCodeScope<LockAcrossBlockingCallCheck>>(
        "threadlint-lock-across-blocking-call");
    Factories.registerCheck<WithUserCodeScope<LockOrderInversionCheck>>(
        "threadlint-lock-order-inversion");
    Factories.registerCheck<WithUserCodeScope<LoopVariableCaptureCheck>>(
        "threadlint-loop-variable-capture");
    Factories.registerCheck<WithUserCodeScope<MissingStopCheck>>("threadlint-missing-stop");
    Factories.registerCheck<WithUserCodeScope<MixedAtomicAccessCheck>>(
        "threadlint-mixed-atomic-access");
    Factories.registerCheck<WithUserCodeScope<NonAtomicRmwCheck>>("threadlint-non-atomic-rmw");
    Factories.registerCheck<WithUserCodeScope<SkippedDoneCheck>>("threadlint-skipped-done");
    Factories.registerCheck<WithUserCodeScope<SleepAsSyncCheck>>("threadlint-sleep-as-sync");
    Factories.registerCheck<WithUserCodeScope<ThreadNotJoinedCheck>>(
        "threadlint-thread-not-joined");
    Factories.registerCheck<WithUserCodeScope<UnsafeLazyInitCheck>>(
        "threadlint-unsafe-lazy-init");
    Factories.registerCheck<WithUserCodeScope<UnsynchronizedCaptureWriteCheck>>(
        "threadlint-unsynchronized-capture-write");
  }
};

} // namespace

// Registered on load: by the plugin when clang-tidy dlopens it, by the
// threadlint binaries through ThreadlintModuleAnchorSource.
static ClangTidyModuleRegistry::Add<ThreadlintModule>
    X("threadlint", "Checks for concurrency pitfalls.");

} // namespace clang::tidy::threadlint

namespace clang::tidy {
// Referenced by the threadlint executables so that the linker keeps this
// object file (and its registration) out of the static library.
// NOLINTNEXTLINE(misc-use-internal-linkage)
volatile int ThreadlintModuleAnchorSource = 0;
} // namespace clang::tidy
