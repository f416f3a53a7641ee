#include "common/ResourceDir.h"
#include "llvm/ADT/SmallString.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Process.h"
#include <algorithm>

namespace threadlint {

std::string findResourceDir(const char *Argv0) {
  if (std::optional<std::string> Env =
          llvm::sys::Process::GetEnv("THREADLINT_RESOURCE_DIR"))
    if (llvm::sys::fs::is_directory(*Env))
      return *Env;

  // Anchor for getMainExecutable: any function in this binary.
  static int Anchor;
  std::string Exe = llvm::sys::fs::getMainExecutable(Argv0, &Anchor);
  if (!Exe.empty()) {
    llvm::SmallString<256> Dir(llvm::sys::path::parent_path(Exe));
    llvm::sys::path::append(Dir, "..", "lib", "clang",
                            THREADLINT_CLANG_VERSION_MAJOR);
    llvm::SmallString<256> Include(Dir);
    llvm::sys::path::append(Include, "include", "stddef.h");
    if (llvm::sys::fs::exists(Include)) {
      llvm::sys::path::remove_dots(Dir, /*remove_dot_dot=*/true);
      return std::string(Dir);
    }
  }
  if (llvm::sys::fs::is_directory(THREADLINT_CLANG_RESOURCE_DIR))
    return THREADLINT_CLANG_RESOURCE_DIR;
  return {};
}

std::vector<const char *> withResourceDirArg(llvm::ArrayRef<const char *> Argv,
                                             llvm::StringRef Flag,
                                             std::string &Storage) {
  std::vector<const char *> Args(Argv.begin(), Argv.end());
  for (size_t I = 1; I < Args.size(); ++I)
    if (llvm::StringRef(Args[I]).contains("-resource-dir"))
      return Args;
  std::string Dir = findResourceDir(Args.empty() ? "" : Args[0]);
  if (Dir.empty() || Args.empty())
    return Args;
  Storage = (Flag + Dir).str();
  auto Sep = std::find_if(Args.begin() + 1, Args.end(), [](const char *A) {
    return llvm::StringRef(A) == "--";
  });
  Args.insert(Sep, Storage.c_str());
  return Args;
}

} // namespace threadlint
