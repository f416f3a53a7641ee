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
  std::vector<char *> Args(argv, argv + argc);
  std::string ResourceArg;
  if (!threadlint::hasResourceDirArg(argc, argv)) {
    std::string Dir = threadlint::findResourceDir(argv[0]);
    if (!Dir.empty()) {
      ResourceArg = "--resource-dir=" + Dir;
      Args.insert(Args.begin() + 1, ResourceArg.data());
    }
  }
  Args.push_back(nullptr);
  return clang::clangd::clangdMain(static_cast<int>(Args.size()) - 1,
                                   Args.data());
}
