//===--- Findings.cpp - what threadlint reports are made of ---------------===//
#include "threadlint/Findings.h"
#include "threadlint/Baseline.h"
#include "threadlint/Project.h"
#include "clang-tidy/ClangTidyDiagnosticConsumer.h"
#include "llvm/ADT/SmallString.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"
#include <map>

using clang::tidy::ClangTidyError;
using clang::tidy::threadlint::LockOrderEdge;

namespace threadlint {

void RunInfo::normalize() {
  llvm::sort(Files);
  Files.erase(std::unique(Files.begin(), Files.end()), Files.end());
  llvm::sort(Failures);
  Failures.erase(std::unique(Failures.begin(), Failures.end()),
                 Failures.end());
  llvm::stable_sort(LockEdges,
                    [](const ReportedEdge &A, const ReportedEdge &B) {
                      return lockEdgeLess(A.Edge, B.Edge);
                    });
  LockEdges.erase(
      std::unique(LockEdges.begin(), LockEdges.end(),
                  [](const ReportedEdge &A, const ReportedEdge &B) {
                    return !lockEdgeLess(A.Edge, B.Edge) &&
                           !lockEdgeLess(B.Edge, A.Edge);
                  }),
      LockEdges.end());
}

Location SourceCache::locate(llvm::StringRef Path, unsigned Offset,
                             llvm::StringRef BuildDir) {
  Location L;
  L.File = absolutePath(Path, BuildDir);
  L.Offset = Offset;
  L.Rel = relative(L.File);
  llvm::StringRef Text = text(L.File);
  if (Offset > Text.size())
    return L;
  llvm::StringRef Before = Text.take_front(Offset);
  L.Line = Before.count('\n') + 1;
  size_t LineStart = Before.rfind('\n');
  L.Column =
      Offset - (LineStart == llvm::StringRef::npos ? 0 : LineStart + 1) + 1;
  return L;
}

std::string SourceCache::relative(llvm::StringRef Abs) const {
  llvm::SmallString<256> Rel(Abs);
  if (llvm::sys::path::replace_path_prefix(Rel, Root, ""))
    return std::string(llvm::StringRef(Rel).ltrim('/'));
  return Abs.str();
}

std::string SourceCache::lineText(const Location &L) {
  llvm::StringRef Text = text(L.File);
  if (L.Offset > Text.size())
    return "";
  size_t Start = Text.take_front(L.Offset).rfind('\n');
  Start = Start == llvm::StringRef::npos ? 0 : Start + 1;
  llvm::StringRef Line = Text.substr(Start).split('\n').first;
  std::string Out;
  bool Space = false;
  for (char C : Line.trim()) {
    if (llvm::isSpace(C)) {
      Space = true;
      continue;
    }
    if (Space)
      Out += ' ';
    Space = false;
    Out += C;
  }
  return Out;
}

llvm::StringRef SourceCache::text(const std::string &File) {
  auto &Entry = Files[File];
  if (!Entry) {
    auto Buffer = llvm::MemoryBuffer::getFile(File);
    Entry = Buffer ? std::move(*Buffer) : llvm::MemoryBuffer::getMemBuffer("");
  }
  return Entry->getBuffer();
}

std::string defaultSourceRoot(llvm::StringRef Given) {
  if (!Given.empty())
    return absolutePath(Given);
  std::string Dir = absolutePath(".");
  // The nearest directory with a .git entry: the git toplevel.
  for (llvm::StringRef D = Dir; !D.empty();
       D = llvm::sys::path::parent_path(D)) {
    llvm::SmallString<256> Git(D);
    llvm::sys::path::append(Git, ".git");
    if (llvm::sys::fs::exists(Git))
      return std::string(D);
  }
  return std::string(Dir);
}

const char *levelOf(const ClangTidyError &E) {
  switch (E.DiagLevel) {
  case ClangTidyError::Error:
    return "error";
  case ClangTidyError::Warning:
    return "warning";
  default:
    return "note";
  }
}

std::vector<Finding> collectFindings(const std::vector<ClangTidyError> &Errors,
                                     SourceCache &Sources) {
  std::vector<Finding> Out;
  for (size_t I = 0; I < Errors.size(); ++I) {
    const ClangTidyError &E = Errors[I];
    Finding F;
    F.ErrorIndex = I;
    F.Check = E.DiagnosticName;
    F.Level = levelOf(E);
    F.Message = E.Message.Message;
    F.Loc = Sources.locate(E.Message.FilePath, E.Message.FileOffset,
                           E.BuildDirectory);
    F.LineText = Sources.lineText(F.Loc);
    for (const auto &N : E.Notes)
      F.Notes.push_back(
          {Sources.locate(N.FilePath, N.FileOffset, E.BuildDirectory),
           N.Message});
    for (const auto &[File, Replacements] : E.Message.Fix)
      for (const clang::tooling::Replacement &R : Replacements) {
        Replacement Rep;
        Rep.Start =
            Sources.locate(R.getFilePath(), R.getOffset(), E.BuildDirectory);
        Location End =
            Sources.locate(R.getFilePath(), R.getOffset() + R.getLength(),
                           E.BuildDirectory);
        Rep.Length = R.getLength();
        Rep.EndLine = End.Line;
        Rep.EndColumn = End.Column;
        Rep.Text = R.getReplacementText().str();
        F.Fixes.push_back(std::move(Rep));
      }
    Out.push_back(std::move(F));
  }
  finalizeFindings(Out);
  return Out;
}

std::vector<ReportedEdge> reportedEdges(const std::vector<LockOrderEdge> &Edges,
                                        SourceCache &Sources) {
  std::vector<ReportedEdge> Out;
  for (const LockOrderEdge &E : Edges) {
    ReportedEdge R{
        E, Sources.lineText(Sources.locate(E.Taken.File, E.Taken.Offset, ""))};
    R.Edge.Held.File = Sources.relative(E.Held.File);
    R.Edge.Taken.File = Sources.relative(E.Taken.File);
    R.Edge.Unit = Sources.relative(E.Unit);
    Out.push_back(std::move(R));
  }
  return Out;
}

bool validChoice(llvm::StringRef Option, llvm::StringRef Value,
                 llvm::ArrayRef<llvm::StringRef> Choices) {
  if (llvm::is_contained(Choices, Value))
    return true;
  llvm::errs() << "error: unknown --" << Option << " '" << Value << "' (";
  llvm::interleave(Choices, llvm::errs(), ", ");
  llvm::errs() << ")\n";
  return false;
}

void printSummary(const RunInfo &Info, const std::vector<Finding> &Findings,
                  size_t Cached, const Suppressed &S, double Seconds) {
  auto &OS = llvm::errs();
  auto Plural = [](size_t N, llvm::StringRef One, llvm::StringRef Many) {
    return (llvm::Twine(N) + " " + (N == 1 ? One : Many)).str();
  };
  OS << "threadlint: " << Plural(Info.Files.size(), "file", "files");
  if (Cached)
    OS << " (" << Cached << " from the cache)";
  OS << ", " << Plural(Info.Failures.size(), "failure", "failures") << ", "
     << Plural(Findings.size(), "finding", "findings")
     << llvm::formatv(", {0:F1} s\n", Seconds);
  std::map<std::string, unsigned> ByCheck;
  for (const Finding &F : Findings)
    ++ByCheck[F.Check];
  std::vector<std::pair<std::string, unsigned>> Sorted(ByCheck.begin(),
                                                       ByCheck.end());
  llvm::sort(Sorted, [](const auto &A, const auto &B) {
    return std::tie(B.second, A.first) < std::tie(A.second, B.first);
  });
  for (const auto &[Check, Count] : Sorted)
    OS << llvm::formatv("{0,6}  {1}\n", Count, Check);
  if (S.InBaseline)
    OS << "  not reported: " << Plural(S.InBaseline, "finding", "findings")
       << " in the baseline\n";
  if (S.OutsideDiff)
    OS << "  not reported: " << Plural(S.OutsideDiff, "finding", "findings")
       << " on lines the diff does not change\n";
  for (const Failure &F : Info.Failures)
    OS << "  failed: " << F.Path << ": " << F.Error << "\n";
}

int exitCode(bool CiMode, bool FailuresFail,
             const std::vector<Finding> &Findings, unsigned WErrorCount) {
  if (CiMode)
    return FailuresFail ? 2 : Findings.empty() ? 0 : 1;
  return WErrorCount || FailuresFail ? 1 : 0;
}

} // namespace threadlint
