//===--- LinkModules.cpp - keep every clang-tidy module -------------------===//
//
// clang-tidy modules register themselves from static initialisers in static
// libraries; an executable keeps them only if something references them.
//
//===----------------------------------------------------------------------===//
#include "common/ResourceDir.h"

namespace clang::tidy {
#define THREADLINT_MODULES(X)                                                  \
  X(Abseil) X(Altera) X(Android) X(Boost) X(Bugprone) X(CERT) X(Concurrency)  \
  X(CppCoreGuidelines) X(Darwin) X(Fuchsia) X(Google) X(HICPP)               \
  X(LinuxKernel) X(LLVM) X(LLVMLibc) X(Misc) X(Modernize) X(MPI) X(ObjC)     \
  X(OpenMP) X(Performance) X(Portability) X(Readability) X(Zircon)           \
  X(Threadlint)
#define THREADLINT_DECLARE_ANCHOR(Name)                                        \
  extern volatile int Name##ModuleAnchorSource;
THREADLINT_MODULES(THREADLINT_DECLARE_ANCHOR)
} // namespace clang::tidy

namespace threadlint {
int linkAllModules() {
  int Sum = 0;
#define THREADLINT_USE_ANCHOR(Name)                                            \
  Sum += clang::tidy::Name##ModuleAnchorSource;
  THREADLINT_MODULES(THREADLINT_USE_ANCHOR)
  return Sum;
}
} // namespace threadlint
