//===--- Baseline.cpp - fingerprints and baseline files -------------------===//
#include "threadlint/Baseline.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/raw_ostream.h"
#include "llvm/Support/xxhash.h"
#include <map>

namespace threadlint {

void finalizeFindings(std::vector<Finding> &Out) {
  auto Place = [](const Finding &F) {
    return std::tie(F.Loc.Rel, F.Loc.Offset, F.Check, F.Message);
  };
  // By place, then by arrival: of the findings at one place, the first to
  // arrive is kept.
  std::vector<size_t> Order(Out.size());
  for (size_t I = 0; I < Order.size(); ++I)
    Order[I] = I;
  llvm::sort(Order, [&](size_t A, size_t B) {
    auto PA = Place(Out[A]), PB = Place(Out[B]);
    return PA < PB || (PA == PB && A < B);
  });
  std::vector<Finding> Sorted;
  Sorted.reserve(Out.size());
  for (size_t I : Order)
    if (Sorted.empty() || Place(Sorted.back()) != Place(Out[I]))
      Sorted.push_back(std::move(Out[I]));
  Out = std::move(Sorted);
  std::map<std::string, unsigned> Occurrences;
  for (Finding &F : Out) {
    std::string Key = F.Check + "\n" + F.Loc.Rel + "\n" + F.LineText;
    unsigned Index = Occurrences[Key]++;
    F.Fingerprint = llvm::utohexstr(
        llvm::xxh3_64bits(Key + "\n" + std::to_string(Index)), true, 16);
    F.Fingerprint.insert(0, 16 - F.Fingerprint.size(), '0');
  }
}

// Fingerprints carry the occurrence index, so each is there once; the check,
// path and line are kept for readers.
bool writeBaselineFile(llvm::StringRef Path,
                       const std::vector<Finding> &Findings) {
  llvm::json::Object Prints;
  for (const Finding &F : Findings)
    Prints[F.Fingerprint] = llvm::json::Object{
        {"check", F.Check}, {"path", F.Loc.Rel}, {"line", F.Loc.Line}};
  std::error_code EC;
  llvm::raw_fd_ostream OS(Path, EC, llvm::sys::fs::OF_Text);
  if (EC) {
    llvm::errs() << "error: cannot write '" << Path << "': " << EC.message()
                 << "\n";
    return false;
  }
  OS << llvm::formatv("{0:2}", llvm::json::Value(llvm::json::Object{
                                   {"version", 1},
                                   {"fingerprints", std::move(Prints)}}))
     << "\n";
  return true;
}

bool applyBaseline(llvm::StringRef Path, std::vector<Finding> &Findings,
                   unsigned &Suppressed) {
  auto Buffer = llvm::MemoryBuffer::getFile(Path);
  if (!Buffer) {
    llvm::errs() << "error: cannot read baseline '" << Path
                 << "': " << Buffer.getError().message() << "\n";
    return false;
  }
  llvm::Expected<llvm::json::Value> Parsed =
      llvm::json::parse((*Buffer)->getBuffer());
  const llvm::json::Object *Prints = nullptr;
  if (Parsed)
    if (const auto *Obj = Parsed->getAsObject())
      Prints = Obj->getObject("fingerprints");
  if (!Prints) {
    if (!Parsed)
      llvm::consumeError(Parsed.takeError());
    llvm::errs() << "error: '" << Path << "' is not a threadlint baseline\n";
    return false;
  }
  size_t Before = Findings.size();
  llvm::erase_if(Findings, [&](const Finding &F) {
    return Prints->find(F.Fingerprint) != Prints->end();
  });
  Suppressed += Before - Findings.size();
  return true;
}

} // namespace threadlint
