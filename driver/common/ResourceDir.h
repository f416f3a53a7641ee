//===--- ResourceDir.h - where clang's builtin headers are -----*- C++ -*-===//
#ifndef THREADLINT_DRIVER_RESOURCEDIR_H
#define THREADLINT_DRIVER_RESOURCEDIR_H

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"
#include <string>
#include <vector>

namespace threadlint {

/// The clang resource directory (builtin headers such as <stddef.h>) for
/// the running executable: $THREADLINT_RESOURCE_DIR, else
/// <exe>/../lib/clang/<major> when it exists (an install next to LLVM), else
/// the directory of the LLVM the binary was built against. Empty if none
/// of them exists.
std::string findResourceDir(const char *Argv0);

/// Argv with Flag followed by findResourceDir(Argv[0]) added before a "--"
/// separator, if any (options after it are compiler flags), else at the
/// end; Argv as it is when an argument already chooses a resource directory
/// or none is found. Storage keeps the added argument.
std::vector<const char *> withResourceDirArg(llvm::ArrayRef<const char *> Argv,
                                             llvm::StringRef Flag,
                                             std::string &Storage);

/// Anchors that make the linker keep every clang-tidy module and the
/// threadlint module in an executable.
int linkAllModules();

} // namespace threadlint

#endif
