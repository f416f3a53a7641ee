//===--- Version.h - what `threadlint --version` says ----------*- C++ -*-===//
#ifndef THREADLINT_DRIVER_THREADLINT_VERSION_H
#define THREADLINT_DRIVER_THREADLINT_VERSION_H

#include "llvm/ADT/StringRef.h"

namespace llvm {
class raw_ostream;
} // namespace llvm

namespace threadlint {

/// threadlint's version ("0.1.0").
llvm::StringRef threadlintVersion();
/// The git revision of the sources it was built from (`git describe
/// --always --dirty` at build time), or "unknown".
llvm::StringRef gitRevision();
/// The version of the LLVM it was built against ("22.1.8").
llvm::StringRef llvmVersion();

/// The lines of `threadlint --version`:
///   threadlint version 0.1.0
///     git revision 4b40cd8
///     built against LLVM 22.1.8
void printVersion(llvm::raw_ostream &OS);

} // namespace threadlint

#endif
