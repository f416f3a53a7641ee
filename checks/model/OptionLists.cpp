#include "model/OptionLists.h"
#include "llvm/ADT/SmallVector.h"

namespace clang::tidy::threadlint {

std::vector<std::string> parseList(llvm::StringRef Option) {
  llvm::SmallVector<llvm::StringRef, 8> Parts;
  Option.split(Parts, ';', /*MaxSplit=*/-1, /*KeepEmpty=*/false);
  std::vector<std::string> Result;
  for (llvm::StringRef Part : Parts) {
    Part = Part.trim();
    if (!Part.empty())
      Result.push_back(Part.str());
  }
  return Result;
}

std::string serializeList(llvm::ArrayRef<std::string> Items) {
  std::string Result;
  for (const std::string &Item : Items) {
    if (!Result.empty())
      Result += ';';
    Result += Item;
  }
  return Result;
}

} // namespace clang::tidy::threadlint
