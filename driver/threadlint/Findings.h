//===--- Findings.h - what threadlint reports are made of ------*- C++ -*-===//
//
// The findings of a run (or of `merge`) as the report formats and baselines
// see them: each finding's place (absolute, and relative to the source root),
// its notes and fixes; and what a report says about the run besides: the
// files analysed, those that could not be, the lock-order edges that `merge`
// joins. Also the end-of-run summary and exit code, shared by the run and
// `merge`.
//
//===----------------------------------------------------------------------===//
#ifndef THREADLINT_DRIVER_THREADLINT_FINDINGS_H
#define THREADLINT_DRIVER_THREADLINT_FINDINGS_H

#include "model/LockGraph.h"
#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/MemoryBuffer.h"
#include <memory>
#include <string>
#include <tuple>
#include <vector>

namespace clang::tidy {
struct ClangTidyError;
} // namespace clang::tidy

namespace threadlint {

struct Location {
  std::string File; ///< absolute (in a report read back: as Rel)
  std::string Rel;  ///< relative to the source root, '/' separated
  unsigned Offset = 0, Line = 0, Column = 0;
};
struct Replacement {
  Location Start;
  unsigned Length = 0, EndLine = 0, EndColumn = 0;
  std::string Text;
};
struct Note {
  Location Loc;
  std::string Message;
};
struct Finding {
  std::string Check, Level, Message, LineText, Fingerprint;
  Location Loc;
  std::vector<Note> Notes;
  std::vector<Replacement> Fixes;
  size_t ErrorIndex = ~size_t(0); ///< into the run's errors
};
/// A translation unit that could not be analysed.
struct Failure {
  std::string Path, Error;
  bool operator<(const Failure &O) const {
    return std::tie(Path, Error) < std::tie(O.Path, O.Error);
  }
  bool operator==(const Failure &O) const {
    return std::tie(Path, Error) == std::tie(O.Path, O.Error);
  }
};
/// A lock-order edge as reports carry it, for `merge` to join the edges of
/// shards: its paths (sites, unit) relative to the source root, and the text
/// of the line its Taken site is on (the fingerprint of a cycle it closes).
struct ReportedEdge {
  clang::tidy::threadlint::LockOrderEdge Edge;
  std::string TakenLine;
};
/// What a report says about the run besides its findings.
struct RunInfo {
  std::vector<std::string> Files;      ///< analysed TUs, relative, sorted
  std::vector<Failure> Failures;       ///< sorted
  std::vector<ReportedEdge> LockEdges; ///< sorted by lockEdgeLess
  /// Sorts the lists and drops repeats.
  void normalize();
};
/// Everything a report holds: what each format writes and `merge` reads.
struct Report {
  std::vector<Finding> Findings;
  std::vector<std::string> Checks; ///< the checks that ran
  std::string Root;                ///< the source root, absolute
  RunInfo Info;
};

/// The texts of source files, for lines, columns and line texts.
class SourceCache {
public:
  explicit SourceCache(std::string Root) : Root(std::move(Root)) {}
  /// Path as clang-tidy reports it: relative ones are relative to the
  /// compile command's directory.
  Location locate(llvm::StringRef Path, unsigned Offset,
                  llvm::StringRef BuildDir);
  /// Abs relative to the source root, or Abs when it is outside.
  std::string relative(llvm::StringRef Abs) const;
  /// The text of L's line with runs of whitespace collapsed.
  std::string lineText(const Location &L);

private:
  llvm::StringRef text(const std::string &File);
  std::string Root;
  llvm::StringMap<std::unique_ptr<llvm::MemoryBuffer>> Files;
};

/// --source-root made absolute; without one, the git toplevel (the nearest
/// directory with a .git entry), or the current directory.
std::string defaultSourceRoot(llvm::StringRef Given);

/// "error", "warning" or "note".
const char *levelOf(const clang::tidy::ClangTidyError &E);

/// The findings of the run's Errors (each with its index in Errors),
/// finalized (finalizeFindings: sorted, one per place, fingerprinted).
std::vector<Finding>
collectFindings(const std::vector<clang::tidy::ClangTidyError> &Errors,
                SourceCache &Sources);

/// The edges of a run as its report carries them.
std::vector<ReportedEdge> reportedEdges(
    const std::vector<clang::tidy::threadlint::LockOrderEdge> &Edges,
    SourceCache &Sources);

/// True if Value is one of Choices; else says so on stderr ("unknown
/// --Option 'Value' (a, b)").
bool validChoice(llvm::StringRef Option, llvm::StringRef Value,
                 llvm::ArrayRef<llvm::StringRef> Choices);

/// Findings left out of the report, for the summary.
struct Suppressed {
  unsigned InBaseline = 0, OutsideDiff = 0, Excluded = 0;
};

/// The end-of-run summary on stderr.
void printSummary(const RunInfo &Info, const std::vector<Finding> &Findings,
                  size_t Cached, const Suppressed &S, double Seconds);

/// The exit code of a run (or merge) that reported Findings. FailuresFail:
/// some translation units failed and --parse-errors=fail. In CI mode (a
/// report format, a baseline or a diff base): 2 when FailuresFail, else 1
/// with findings, 0 without; otherwise 1 on warnings-as-errors or when
/// FailuresFail.
int exitCode(bool CiMode, bool FailuresFail,
             const std::vector<Finding> &Findings, unsigned WErrorCount);

} // namespace threadlint

#endif
