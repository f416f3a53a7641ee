//===--- ThreadlintProfile.h - the checks threadlint runs -------*- C++ -*-===//
//
// The single list of threadlint's checks (name, summary, doc page) and the
// default profile of the `threadlint` command: threadlint-* plus the built-in
// clang-tidy checks the catalogue turns on. Front ends and reports (SARIF rule
// metadata) read this table instead of repeating names.
//
//===----------------------------------------------------------------------===//
#ifndef THREADLINT_CHECKS_THREADLINTPROFILE_H
#define THREADLINT_CHECKS_THREADLINTPROFILE_H

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"
#include <utility>

namespace clang::tidy::threadlint {

struct CheckInfo {
  llvm::StringRef Name;    ///< e.g. "threadlint-loop-variable-capture"
  llvm::StringRef Summary; ///< one line, for --list-checks style listings
  llvm::StringRef DocPage; ///< path below the repository root
};

/// Every threadlint check, in alphabetical order.
llvm::ArrayRef<CheckInfo> threadlintChecks();

/// The built-in clang-tidy checks that the threadlint profile enables.
llvm::ArrayRef<llvm::StringRef> builtinProfileChecks();

/// The `Checks:` value of the default profile ("-*,threadlint-*,...").
std::string defaultProfileChecks();

/// Check options the default profile sets (key, value); a user's
/// configuration overrides them.
llvm::ArrayRef<std::pair<llvm::StringRef, llvm::StringRef>>
defaultProfileCheckOptions();

} // namespace clang::tidy::threadlint

#endif
