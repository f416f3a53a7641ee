//===--- ResourceDir.h - where clang's builtin headers are -----*- C++ -*-===//
#ifndef THREADLINT_DRIVER_RESOURCEDIR_H
#define THREADLINT_DRIVER_RESOURCEDIR_H

#include <string>

namespace threadlint {

/// The clang resource directory (builtin headers such as <stddef.h>) for
/// the running executable: $THREADLINT_RESOURCE_DIR, else
/// <exe>/../lib/clang/<major> when it exists (an install next to LLVM), else
/// the directory of the LLVM the binary was built against. Empty if none
/// of them exists.
std::string findResourceDir(const char *Argv0);

/// True if Args already choose a resource directory.
bool hasResourceDirArg(int Argc, const char *const *Argv);

/// Anchors that make the linker keep every clang-tidy module and the
/// threadlint module in an executable.
int linkAllModules();

} // namespace threadlint

#endif
