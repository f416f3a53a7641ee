//===--- Version.cpp - what `threadlint --version` says -------------------===//
//
// The only file that includes the generated revision header: when HEAD moves
// only this file recompiles.
//
//===----------------------------------------------------------------------===//
#include "threadlint/Version.h"
#include "threadlint/GitRevision.h"
#include "llvm/Config/llvm-config.h"
#include "llvm/Support/raw_ostream.h"

#ifndef THREADLINT_VERSION
#define THREADLINT_VERSION "0.0.0"
#endif

namespace threadlint {

llvm::StringRef threadlintVersion() { return THREADLINT_VERSION; }

llvm::StringRef gitRevision() { return THREADLINT_GIT_REVISION; }

llvm::StringRef llvmVersion() { return LLVM_VERSION_STRING; }

void printVersion(llvm::raw_ostream &OS) {
  OS << "threadlint version " << threadlintVersion() << "\n"
     << "  git revision " << gitRevision() << "\n"
     << "  built against LLVM " << llvmVersion() << "\n";
}

} // namespace threadlint
