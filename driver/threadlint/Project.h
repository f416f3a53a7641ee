//===--- Project.h - whole-project runs of threadlint ----------*- C++ -*-===//
//
// The pieces of a whole-project run that do not depend on the command line:
// the worker protocol (one translation unit analysed by a child threadlint
// process, its diagnostics written as JSON), the files an analysis read, the
// result cache, changed lines from `git diff`, path filters, and the pool of
// worker processes.
//
//===----------------------------------------------------------------------===//
#ifndef THREADLINT_DRIVER_THREADLINT_PROJECT_H
#define THREADLINT_DRIVER_THREADLINT_PROJECT_H

#include "clang-tidy/ClangTidyDiagnosticConsumer.h"
#include "model/LockGraph.h"
#include "clang/Tooling/CompilationDatabase.h"
#include "llvm/ADT/STLFunctionalExtras.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/Support/GlobPattern.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/VirtualFileSystem.h"
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <vector>

namespace threadlint {

/// What analysing one translation unit produced.
struct TuResult {
  std::string File; ///< the main file, as the database names it
  std::vector<clang::tidy::ClangTidyError> Errors;
  /// Every file the analysis read (absolute) with its content hash.
  std::vector<std::pair<std::string, std::string>> Inputs;
  /// Why the TU could not be analysed (crash, timeout, no report), or "".
  /// Compile errors are not set here: they are clang-diagnostic-error
  /// diagnostics among Errors.
  std::string Crash;
  /// The lock-order edges threadlint-lock-order-inversion exported, each
  /// with Unit set to the main file (absolute).
  std::vector<clang::tidy::threadlint::LockOrderEdge> LockEdges;
  bool Cached = false;
  double Seconds = 0;
};

llvm::json::Value tuResultToJson(const TuResult &R);
/// False when Text is not a worker report.
bool tuResultFromJson(llvm::StringRef Text, TuResult &R);

// --- lock-order cycles across translation units ------------------------------

/// The check whose in-TU cycles the driver extends across translation units.
inline constexpr llvm::StringLiteral LockOrderCheck =
    "threadlint-lock-order-inversion";

/// A lock-order cycle to report: its edges in order around the cycle
/// (pointers into the edges it was found in) and the one that closes it
/// (closingEdge: the warning goes on its Taken site).
struct LockCycle {
  std::vector<const clang::tidy::threadlint::LockOrderEdge *> Edges;
  size_t Closing = 0;
};

/// Strict weak order over every field of an edge: a canonical order, so
/// that the cycles found do not depend on the order the units ended in.
bool lockEdgeLess(const clang::tidy::threadlint::LockOrderEdge &A,
                  const clang::tidy::threadlint::LockOrderEdge &B);
/// Sorts Edges by lockEdgeLess and drops repeats.
void sortLockEdges(std::vector<clang::tidy::threadlint::LockOrderEdge> &Edges);

/// The cycles of the joined graph of Edges that no single unit closes: a
/// cycle all of whose (From, To) pairs have an edge from one unit is that
/// unit's, and threadlint-lock-order-inversion reported it there. For each
/// pair the edge is taken from a unit the cycle does not use yet, so the
/// notes show the files involved. Cycles with the same locks are reported
/// once; the search is bounded as findLockCycles is.
std::vector<LockCycle> crossUnitLockCycles(
    llvm::ArrayRef<clang::tidy::threadlint::LockOrderEdge> Edges);

/// For `threadlint merge`: Edges joined from several reports, ShardOf[I]
/// the report edge I came from. The cross-unit cycles of all the edges but
/// those a report found among its own edges (and so reported already).
std::vector<LockCycle> crossShardLockCycles(
    llvm::ArrayRef<clang::tidy::threadlint::LockOrderEdge> Edges,
    llvm::ArrayRef<size_t> ShardOf);

/// The finding of a cycle: a warning (an error with AsError) of
/// LockOrderCheck at the closing edge's Taken site, with lockCycleMessage,
/// and for every edge, from the one after the closing edge round to it,
/// a lockHeldNote at its Held site and a lockTakenNote at its Taken site.
clang::tidy::ClangTidyError lockCycleError(const LockCycle &Cycle,
                                           bool AsError);

/// A file system that remembers the absolute paths of the files opened.
class RecordingFileSystem : public llvm::vfs::ProxyFileSystem {
public:
  explicit RecordingFileSystem(
      llvm::IntrusiveRefCntPtr<llvm::vfs::FileSystem> FS)
      : ProxyFileSystem(std::move(FS)) {}
  llvm::ErrorOr<std::unique_ptr<llvm::vfs::File>>
  openFileForRead(const llvm::Twine &Path) override;
  std::set<std::string> read() const;

private:
  void record(const llvm::Twine &Path);
  mutable std::mutex Lock;
  std::set<std::string> Read;
};

/// Content hashes of files, each file read once. "" for a missing file.
class FileHashes {
public:
  std::string hashOf(llvm::StringRef Path);

private:
  llvm::StringMap<std::string> Known;
};

/// Hex xxh3-64 of Text, 16 digits.
std::string hashText(llvm::StringRef Text);

/// Results by key in a directory: one JSON file per key. An entry is valid
/// while every file it read still has the hash it had.
class ResultCache {
public:
  explicit ResultCache(std::string Dir) : Dir(std::move(Dir)) {}
  /// Creates the directory; false (with Error) when it cannot.
  bool prepare(std::string &Error);
  bool lookup(llvm::StringRef Key, FileHashes &Hashes, TuResult &Out) const;
  void store(llvm::StringRef Key, const TuResult &R) const;

private:
  std::string path(llvm::StringRef Key) const;
  std::string Dir;
};

/// Lines added or modified, by absolute file path.
class ChangedLines {
public:
  /// Reads `git diff -U0` output; paths are relative to Toplevel.
  void addDiff(llvm::StringRef Diff, llvm::StringRef Toplevel);
  bool contains(llvm::StringRef File, unsigned Line) const;
  size_t files() const { return Ranges.size(); }

private:
  std::map<std::string, std::vector<std::pair<unsigned, unsigned>>> Ranges;
};

/// Runs git in Dir: the lines changed between Ref and the working tree.
bool gitChangedLines(llvm::StringRef Ref, llvm::StringRef Dir,
                     ChangedLines &Out, std::string &Error);

/// --include/--exclude globs. A pattern matches a path (relative to the
/// source root, or absolute) or any directory above it; `*` also matches
/// '/'. With includes, a path must match one; it must match no exclude.
class PathFilter {
public:
  bool add(llvm::StringRef Pattern, bool Include, std::string &Error);
  bool accepts(llvm::StringRef Rel, llvm::StringRef Abs) const;
  bool empty() const { return Includes.empty() && Excludes.empty(); }

private:
  static bool matches(const std::vector<llvm::GlobPattern> &Patterns,
                      llvm::StringRef Rel, llvm::StringRef Abs);
  std::vector<llvm::GlobPattern> Includes, Excludes;
};

/// Child threadlint processes, at most Jobs at a time, each analysing one
/// file: `Program Args... --worker-output=OUT --worker-file=FILE FILE`
/// (before a "--" separator of Args, if any). FILE is also the worker's one
/// source path, so that its compilation database is made as the parent's.
struct WorkerPool {
  std::string Program;
  /// What every worker is told: configuration, analysis and compilation
  /// database options (not the parent's source paths or report options).
  std::vector<std::string> Args;
  unsigned Jobs = 1;
  unsigned TimeoutSeconds = 0; ///< 0: none
  /// Runs every file; Done is called in the parent thread as each ends.
  /// False (with Error) when no temporary directory can be made.
  bool run(const std::vector<std::string> &Files,
           llvm::function_ref<void(size_t Index, TuResult &&)> Done,
           std::string &Error) const;
};

/// A compilation database that gives each file's compile commands once:
/// commands that differ only in their outputs (-o, -MF, -MT, -MQ) are the
/// same analysis. (leveldb compiles util/testutil.cc into 32 test targets.)
class DistinctCommandsDatabase : public clang::tooling::CompilationDatabase {
public:
  explicit DistinctCommandsDatabase(const CompilationDatabase &Base)
      : Base(Base) {}
  std::vector<clang::tooling::CompileCommand>
  getCompileCommands(llvm::StringRef File) const override;
  std::vector<std::string> getAllFiles() const override {
    return Base.getAllFiles();
  }
  std::vector<clang::tooling::CompileCommand>
  getAllCompileCommands() const override {
    return Base.getAllCompileCommands();
  }

private:
  const CompilationDatabase &Base;
};

/// Path made absolute (relative paths are relative to Dir, or to the
/// current directory without one), with "." and ".." removed.
std::string absolutePath(const llvm::Twine &Path, llvm::StringRef Dir = "");

/// Args with Extra inserted before a "--" separator, if any.
std::vector<std::string> insertBeforeSeparator(std::vector<std::string> Args,
                                               llvm::ArrayRef<std::string> Extra);

} // namespace threadlint

#endif
