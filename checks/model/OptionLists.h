//===--- OptionLists.h - ';'-separated check options ------------*- C++ -*-===//
//
// Parsing and printing of list-valued check options. The plugin may only use
// symbols that clang-tidy-22 exports, so this does not call clangTidyUtils.
//
//===----------------------------------------------------------------------===//
#ifndef THREADLINT_CHECKS_MODEL_OPTIONLISTS_H
#define THREADLINT_CHECKS_MODEL_OPTIONLISTS_H

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"
#include <string>
#include <vector>

namespace clang::tidy::threadlint {

/// Splits "a; b;;c" into {"a", "b", "c"}: items are trimmed, empty ones dropped.
std::vector<std::string> parseList(llvm::StringRef Option);

/// Joins items with ';' (the inverse of parseList for trimmed, non-empty items).
std::string serializeList(llvm::ArrayRef<std::string> Items);

} // namespace clang::tidy::threadlint

#endif
