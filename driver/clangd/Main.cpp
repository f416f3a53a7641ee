//===--- threadlint-clangd: clangd with the threadlint checks built in ---===//
//
// Stock clangd cannot load clang-tidy plugins. This is clangd's own main with
// the threadlint module linked in, and a resource directory found from where
// LLVM is installed (the binary does not live in LLVM's tree).
//
//===----------------------------------------------------------------------===//
#include "common/ResourceDir.h"
#include <string>
#include <vector>

namespace clang::clangd {
// Defined in clangd's clangdMain library; its header is not installed.
int clangdMain(int argc, char *argv[]);
} // namespace clang::clangd

int main(int argc, char *argv[]) {
  static volatile int Keep = threadlint::linkAllModules();
  (void)Keep;
  std::string ResourceArg;
  std::vector<const char *> Args = threadlint::withResourceDirArg(
      llvm::ArrayRef<const char *>(argv, argv + argc), "--resource-dir=",
      ResourceArg);
  Args.push_back(nullptr);
  // clangdMain takes char *; it does not modify the strings.
  return clang::clangd::clangdMain(static_cast<int>(Args.size()) - 1,
                                   const_cast<char **>(Args.data()));
}
