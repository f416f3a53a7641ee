//===--- Driver.cpp - the threadlint command ------------------------------===//
//
// A clang-tidy compatible command line with the threadlint profile as its
// default configuration. The pieces are separate functions (options, the
// options provider, the input list, the run) so that CI features (output
// formats, baselines, sharding) can be added around them.
//
//===----------------------------------------------------------------------===//
#include "threadlint/Driver.h"
#include "threadlint/Project.h"
#include "ThreadlintProfile.h"
#include "common/ResourceDir.h"
#include "clang-tidy/ClangTidy.h"
#include "clang-tidy/ClangTidyDiagnosticConsumer.h"
#include "clang-tidy/ClangTidyOptions.h"
#include "clang/Tooling/ArgumentsAdjusters.h"
#include "clang/Tooling/CommonOptionsParser.h"
#include "clang/Tooling/CompilationDatabase.h"
#include "llvm/ADT/SmallString.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Process.h"
#include "llvm/Support/TargetSelect.h"
#include "llvm/Support/WithColor.h"
#include "llvm/Support/raw_ostream.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/Path.h"
#include "llvm/Config/llvm-config.h"
#include "llvm/Support/Threading.h"
#include "llvm/Support/xxhash.h"
#include <chrono>
#include <map>
#include <set>
#include <tuple>

#ifndef THREADLINT_VERSION
#define THREADLINT_VERSION "0.0.0"
#endif
// Where the check doc pages (docs/checks/*.md) are published.
#ifndef THREADLINT_DOC_BASE
#define THREADLINT_DOC_BASE "https://github.com/threadlint/threadlint/blob/main/"
#endif

using namespace clang;
using namespace clang::tidy;
namespace cl = llvm::cl;

namespace threadlint {
namespace {

using clang::tidy::threadlint::defaultProfileCheckOptions;
using clang::tidy::threadlint::defaultProfileChecks;
using clang::tidy::threadlint::LockOrderEdge;
using clang::tidy::threadlint::LockSite;

cl::OptionCategory Category("threadlint options");

const char Overview[] = R"(
threadlint finds concurrency pitfalls in C++ code. It accepts clang-tidy's
options; without --checks, --config or a .clang-tidy file it runs the
threadlint profile: threadlint-* plus the built-in clang-tidy checks listed in
the catalogue. With -p and no source files it analyses every file of the
compilation database.
)";

cl::opt<std::string> Checks("checks", cl::desc(R"(Comma-separated list of globs with optional '-' prefix,
appended to the configured checks (default profile:
-*,threadlint-*,bugprone-unused-return-value,...).)"),
                            cl::init(""), cl::cat(Category));
cl::opt<std::string> Config("config",
                            cl::desc("Configuration in YAML/JSON, as for "
                                     "clang-tidy (replaces .clang-tidy files)."),
                            cl::init(""), cl::cat(Category));
cl::opt<std::string> ConfigFile("config-file",
                                cl::desc("Read the configuration from this "
                                         "file instead of .clang-tidy files."),
                                cl::init(""), cl::cat(Category));
cl::opt<std::string> HeaderFilter(
    "header-filter",
    cl::desc("Regular expression of headers to report diagnostics from."),
    cl::init(""), cl::cat(Category));
cl::opt<bool> SystemHeaders("system-headers",
                            cl::desc("Report diagnostics in system headers."),
                            cl::init(false), cl::cat(Category));
cl::opt<std::string> WarningsAsErrors(
    "warnings-as-errors",
    cl::desc("Checks whose warnings are errors (same syntax as --checks)."),
    cl::init(""), cl::cat(Category));
cl::opt<bool> Fix("fix", cl::desc("Apply the suggested fixes."),
                  cl::init(false), cl::cat(Category));
cl::opt<bool> FixErrors("fix-errors",
                        cl::desc("Apply fixes even if compilation errors "
                                 "were found."),
                        cl::init(false), cl::cat(Category));
cl::opt<bool> FixNotes("fix-notes",
                       cl::desc("Also apply fixes attached to notes."),
                       cl::init(false), cl::cat(Category));
cl::opt<std::string> ExportFixes(
    "export-fixes",
    cl::desc("Write the fixes to this YAML file for clang-apply-replacements."),
    cl::value_desc("filename"), cl::cat(Category));
cl::opt<bool> ListChecks("list-checks", cl::desc("List the enabled checks."),
                         cl::init(false), cl::cat(Category));
cl::opt<bool> DumpConfig("dump-config",
                         cl::desc("Print the effective configuration."),
                         cl::init(false), cl::cat(Category));
cl::opt<bool> Quiet("quiet", cl::desc("Do not print statistics."),
                    cl::init(false), cl::cat(Category));

// ---------------------------------------------------------------------------
// Machine-readable reports (--format json|sarif|codeclimate) and baselines.
// A finding's fingerprint hashes its check, its path relative to the source
// root, the whitespace-normalised text of its line and its index among
// identical (check, path, text) findings: stable when lines move.

cl::opt<std::string> Format("format",
                            cl::desc("Report format: text (default), json, "
                                     "sarif or codeclimate."),
                            cl::init("text"), cl::cat(Category));
cl::opt<std::string> OutputFile("output",
                                cl::desc("Write the report to this file "
                                         "instead of stdout."),
                                cl::init(""), cl::cat(Category));
cl::opt<std::string> SourceRoot(
    "source-root",
    cl::desc("Directory report paths are relative to (%SRCROOT%); default: "
             "the git toplevel, or the current directory."),
    cl::init(""), cl::cat(Category));
cl::opt<std::string> BaselineFile("baseline",
                                  cl::desc("Report only findings not in this "
                                           "baseline file."),
                                  cl::init(""), cl::cat(Category));
cl::opt<std::string> WriteBaseline("write-baseline",
                                   cl::desc("Record the current findings in "
                                            "this baseline file."),
                                   cl::init(""), cl::cat(Category));

cl::opt<std::string> Shard("shard",
                           cl::desc("K/N: analyse only the K-th of N parts of "
                                    "the sorted file list (round robin)."),
                           cl::init(""), cl::cat(Category));

// ---------------------------------------------------------------------------
// Whole-project runs: worker processes, the result cache, filters, diff mode.

cl::opt<unsigned> Jobs("j", cl::Prefix,
                       cl::desc("Translation units analysed at once, each in "
                                "a worker process (default: the number of "
                                "cores)."),
                       cl::init(0), cl::cat(Category));
cl::opt<std::string> CacheDir(
    "cache-dir",
    cl::desc("Keep results here; a translation unit whose inputs (its files' "
             "contents, compile command, configuration, threadlint build) "
             "are unchanged is not analysed again."),
    cl::init(""), cl::cat(Category));
cl::opt<std::string> DiffBase(
    "diff-base",
    cl::desc("Report only findings on lines changed since this git ref "
             "(e.g. the merge base of a pull request)."),
    cl::init(""), cl::cat(Category));
cl::list<std::string> IncludePaths(
    "include",
    cl::desc("Analyse and report only paths matching this glob (relative to "
             "the source root; a directory matches what is under it). "
             "Repeatable."),
    cl::cat(Category));
cl::list<std::string> ExcludePaths(
    "exclude",
    cl::desc("Neither analyse nor report paths matching this glob. "
             "Repeatable."),
    cl::cat(Category));
cl::opt<std::string> ParseErrors(
    "parse-errors",
    cl::desc("fail (default): a translation unit that does not compile or "
             "cannot be analysed fails the run; ignore: it is only listed in "
             "the summary and the report."),
    cl::init("fail"), cl::cat(Category));
cl::opt<std::string> ProgressMode(
    "progress",
    cl::desc("auto (default: a bar on a terminal, lines otherwise), bar, "
             "lines or none."),
    cl::init("auto"), cl::cat(Category));
cl::opt<unsigned> Timeout("timeout",
                          cl::desc("Stop analysing a translation unit after "
                                   "this many seconds (0: no limit)."),
                          cl::init(0), cl::cat(Category));
cl::opt<std::string> WorkerOutput("worker-output", cl::Hidden, cl::init(""),
                                  cl::cat(Category));
cl::opt<std::string> WorkerFile("worker-file", cl::Hidden, cl::init(""),
                                cl::cat(Category));

struct Location {
  std::string File; // absolute
  std::string Rel;  // relative to the source root, '/' separated
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
  size_t ErrorIndex = ~size_t(0); // into the run's errors
};
// A translation unit that could not be analysed.
struct Failure {
  std::string Path, Error;
  bool operator<(const Failure &O) const {
    return std::tie(Path, Error) < std::tie(O.Path, O.Error);
  }
  bool operator==(const Failure &O) const {
    return std::tie(Path, Error) == std::tie(O.Path, O.Error);
  }
};
// A lock-order edge as reports carry it, for `merge` to join the edges of
// shards: its paths (sites, unit) relative to the source root, and the text
// of the line its Taken site is on (the fingerprint of a cycle it closes).
struct ReportedEdge {
  LockOrderEdge Edge;
  std::string TakenLine;
};
// What a report says about the run besides its findings.
struct RunInfo {
  std::vector<std::string> Files; // analysed TUs, relative, sorted
  std::vector<Failure> Failures;  // sorted
  std::vector<ReportedEdge> LockEdges; // sorted by lockEdgeLess
  void normalize() {
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
};

llvm::json::Array lockEdgesToJson(const std::vector<ReportedEdge> &Edges) {
  llvm::json::Array Out;
  for (const ReportedEdge &E : Edges) {
    llvm::json::Value V = clang::tidy::threadlint::lockEdgeToJson(E.Edge);
    V.getAsObject()->try_emplace("takenLineText", E.TakenLine);
    Out.push_back(std::move(V));
  }
  return Out;
}

// The "lockEdges" of a JSON report (or the SARIF run's property), absent in
// reports of older threadlint versions; malformed entries are skipped.
void readLockEdges(const llvm::json::Array *Edges, RunInfo &Info) {
  if (!Edges)
    return;
  for (const llvm::json::Value &V : *Edges) {
    ReportedEdge E;
    if (!clang::tidy::threadlint::lockEdgeFromJson(V, E.Edge))
      continue;
    E.TakenLine =
        V.getAsObject()->getString("takenLineText").value_or("").str();
    Info.LockEdges.push_back(std::move(E));
  }
}

class SourceCache {
public:
  explicit SourceCache(std::string Root) : Root(std::move(Root)) {}
  // Path as clang-tidy reports it: relative ones are relative to the
  // compile command's directory.
  Location locate(llvm::StringRef Path, unsigned Offset,
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
    L.Column = Offset - (LineStart == llvm::StringRef::npos ? 0 : LineStart + 1) + 1;
    return L;
  }
  // Abs relative to the source root, or Abs when it is outside.
  std::string relative(llvm::StringRef Abs) const {
    llvm::SmallString<256> Rel(Abs);
    if (llvm::sys::path::replace_path_prefix(Rel, Root, ""))
      return std::string(llvm::StringRef(Rel).ltrim('/'));
    return Abs.str();
  }
  // The text of L's line with runs of whitespace collapsed.
  std::string lineText(const Location &L) {
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

private:
  llvm::StringRef text(const std::string &File) {
    auto &Entry = Files[File];
    if (!Entry) {
      auto Buffer = llvm::MemoryBuffer::getFile(File);
      Entry = Buffer ? std::move(*Buffer)
                     : llvm::MemoryBuffer::getMemBuffer("");
    }
    return Entry->getBuffer();
  }
  std::string Root;
  llvm::StringMap<std::unique_ptr<llvm::MemoryBuffer>> Files;
};

std::string defaultSourceRoot() {
  if (!SourceRoot.empty())
    return absolutePath(SourceRoot);
  std::string Dir = absolutePath(".");
  // The nearest directory with a .git entry: the git toplevel.
  for (llvm::StringRef D = Dir; !D.empty(); D = llvm::sys::path::parent_path(D)) {
    llvm::SmallString<256> Git(D);
    llvm::sys::path::append(Git, ".git");
    if (llvm::sys::fs::exists(Git))
      return std::string(D);
  }
  return std::string(Dir);
}

const char *levelName(ClangTidyError::Level L) {
  switch (L) {
  case ClangTidyError::Error:
    return "error";
  case ClangTidyError::Warning:
    return "warning";
  default:
    return "note";
  }
}

// Sorts, drops duplicates (a header's finding reached from several TUs or
// shards: same check, file, offset and message) and fingerprints.
void finalizeFindings(std::vector<Finding> &Out) {
  llvm::sort(Out, [](const Finding &A, const Finding &B) {
    return std::tie(A.Loc.Rel, A.Loc.Offset, A.Check, A.Message) <
           std::tie(B.Loc.Rel, B.Loc.Offset, B.Check, B.Message);
  });
  Out.erase(std::unique(Out.begin(), Out.end(),
                        [](const Finding &A, const Finding &B) {
                          return std::tie(A.Loc.Rel, A.Loc.Offset, A.Check,
                                          A.Message) ==
                                 std::tie(B.Loc.Rel, B.Loc.Offset, B.Check,
                                          B.Message);
                        }),
            Out.end());
  std::map<std::string, unsigned> Occurrences;
  for (Finding &F : Out) {
    std::string Key = F.Check + "\n" + F.Loc.Rel + "\n" + F.LineText;
    unsigned Index = Occurrences[Key]++;
    F.Fingerprint = llvm::utohexstr(
        llvm::xxh3_64bits(Key + "\n" + std::to_string(Index)), true, 16);
    F.Fingerprint.insert(0, 16 - F.Fingerprint.size(), '0');
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
    F.Level = levelName(E.DiagLevel);
    F.Message = E.Message.Message;
    F.Loc = Sources.locate(E.Message.FilePath, E.Message.FileOffset,
                           E.BuildDirectory);
    F.LineText = Sources.lineText(F.Loc);
    for (const auto &N : E.Notes)
      F.Notes.push_back(
          {Sources.locate(N.FilePath, N.FileOffset, E.BuildDirectory),
           N.Message});
    for (const auto &[File, Replacements] : E.Message.Fix)
      for (const tooling::Replacement &R : Replacements) {
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

// The findings of a SARIF report written by threadlint, for `merge`.
void readSarifRun(const llvm::json::Object &Run, std::vector<Finding> &Out,
                  std::vector<std::string> &Checks, std::string &Root,
                  RunInfo &Info) {
  using llvm::json::Object;
  auto TextOf = [](const Object *O, llvm::StringRef Key) {
    const Object *M = O ? O->getObject(Key) : nullptr;
    return M ? M->getString("text").value_or("").str() : std::string();
  };
  auto UriOf = [](const Object *Artifact) {
    std::string Uri =
        Artifact ? Artifact->getString("uri").value_or("").str() : "";
    if (llvm::StringRef(Uri).starts_with("file://"))
      Uri = Uri.substr(7);
    return Uri;
  };
  auto Loc = [&](const Object *L) {
    Location Out;
    const Object *Phys = L ? L->getObject("physicalLocation") : nullptr;
    if (!Phys)
      return Out;
    Out.Rel = Out.File = UriOf(Phys->getObject("artifactLocation"));
    if (const Object *Region = Phys->getObject("region")) {
      Out.Line = Region->getInteger("startLine").value_or(0);
      Out.Column = Region->getInteger("startColumn").value_or(0);
    }
    if (const Object *Props = L->getObject("properties"))
      Out.Offset = Props->getInteger("offset").value_or(0);
    return Out;
  };
  if (const Object *Tool = Run.getObject("tool"))
    if (const Object *Driver = Tool->getObject("driver"))
      if (const auto *Rules = Driver->getArray("rules"))
        for (const auto &R : *Rules)
          if (const Object *RO = R.getAsObject())
            if (auto Id = RO->getString("id");
                Id && !llvm::is_contained(Checks, *Id))
              Checks.push_back(Id->str());
  if (const Object *Bases = Run.getObject("originalUriBaseIds"))
    if (const Object *Src = Bases->getObject("%SRCROOT%"))
      if (Root.empty()) {
        llvm::StringRef R = Src->getString("uri").value_or("");
        R.consume_front("file://");
        if (R.size() > 1)
          R = R.rtrim('/');
        Root = R.str();
      }
  if (const Object *Props = Run.getObject("properties"))
    readLockEdges(Props->getArray("threadlintLockEdges"), Info);
  if (const auto *Artifacts = Run.getArray("artifacts"))
    for (const auto &A : *Artifacts)
      if (const Object *AO = A.getAsObject())
        Info.Files.push_back(UriOf(AO->getObject("location")));
  if (const auto *Invocations = Run.getArray("invocations"))
    for (const auto &I : *Invocations)
      if (const Object *IO = I.getAsObject())
        if (const auto *Notes = IO->getArray("toolExecutionNotifications"))
          for (const auto &N : *Notes)
            if (const Object *NO = N.getAsObject()) {
              const auto *Locs = NO->getArray("locations");
              Location L = Loc(Locs && !Locs->empty()
                                   ? (*Locs)[0].getAsObject()
                                   : nullptr);
              Info.Failures.push_back({L.Rel, TextOf(NO, "message")});
            }
  const auto *Results = Run.getArray("results");
  if (!Results)
    return;
  for (const auto &V : *Results) {
    const Object *RO = V.getAsObject();
    if (!RO)
      continue;
    Finding F;
    F.Check = RO->getString("ruleId").value_or("").str();
    F.Level = RO->getString("level").value_or("warning").str();
    F.Message = TextOf(RO, "message");
    if (const auto *Locs = RO->getArray("locations"); Locs && !Locs->empty())
      F.Loc = Loc((*Locs)[0].getAsObject());
    if (const Object *Props = RO->getObject("properties")) {
      F.LineText = Props->getString("lineText").value_or("").str();
      F.Loc.Offset = Props->getInteger("offset").value_or(0);
    }
    if (const auto *Related = RO->getArray("relatedLocations"))
      for (const auto &N : *Related)
        if (const Object *NO = N.getAsObject())
          F.Notes.push_back({Loc(NO), TextOf(NO, "message")});
    if (const auto *Fixes = RO->getArray("fixes"))
      for (const auto &X : *Fixes)
        if (const Object *XO = X.getAsObject())
          if (const auto *Changes = XO->getArray("artifactChanges"))
            for (const auto &C : *Changes)
              if (const Object *CO = C.getAsObject())
                if (const auto *Reps = CO->getArray("replacements"))
                  for (const auto &Rep : *Reps) {
                    const Object *P = Rep.getAsObject();
                    const Object *Del = P ? P->getObject("deletedRegion")
                                          : nullptr;
                    if (!Del)
                      continue;
                    Replacement R;
                    R.Start.Rel = R.Start.File =
                        UriOf(CO->getObject("artifactLocation"));
                    R.Start.Line = Del->getInteger("startLine").value_or(0);
                    R.Start.Column =
                        Del->getInteger("startColumn").value_or(0);
                    R.EndLine = Del->getInteger("endLine").value_or(0);
                    R.EndColumn = Del->getInteger("endColumn").value_or(0);
                    if (const Object *Props = P->getObject("properties")) {
                      R.Start.Offset =
                          Props->getInteger("offset").value_or(0);
                      R.Length = Props->getInteger("length").value_or(0);
                    }
                    R.Text = TextOf(P, "insertedContent");
                    F.Fixes.push_back(std::move(R));
                  }
    Out.push_back(std::move(F));
  }
}

// The findings of a report, for `merge`: our JSON schema (version 1) or
// SARIF written by threadlint.
bool readReport(llvm::StringRef Path, std::vector<Finding> &Out,
                std::vector<std::string> &Checks, std::string &Root,
                RunInfo &Info) {
  auto Buffer = llvm::MemoryBuffer::getFile(Path);
  if (!Buffer) {
    llvm::errs() << "error: cannot read '" << Path
                 << "': " << Buffer.getError().message() << "\n";
    return false;
  }
  llvm::Expected<llvm::json::Value> Parsed =
      llvm::json::parse((*Buffer)->getBuffer());
  const llvm::json::Object *Obj = Parsed ? Parsed->getAsObject() : nullptr;
  if (!Parsed)
    llvm::consumeError(Parsed.takeError());
  if (Obj && Obj->getString("version") == llvm::StringRef("2.1.0") &&
      Obj->getArray("runs")) {
    for (const auto &Run : *Obj->getArray("runs"))
      if (const auto *RunObj = Run.getAsObject())
        readSarifRun(*RunObj, Out, Checks, Root, Info);
    return true;
  }
  if (!Obj || Obj->getInteger("version") != int64_t(1) ||
      !Obj->getArray("findings")) {
    llvm::errs() << "error: '" << Path
                 << "' is neither a threadlint JSON report (version 1) nor "
                    "SARIF 2.1.0\n";
    return false;
  }
  if (auto R = Obj->getString("sourceRoot"); R && Root.empty())
    Root = R->str();
  if (const auto *Files = Obj->getArray("files"))
    for (const auto &F : *Files)
      if (auto Name = F.getAsString())
        Info.Files.push_back(Name->str());
  if (const auto *Failures = Obj->getArray("failures"))
    for (const auto &F : *Failures)
      if (const auto *FO = F.getAsObject())
        Info.Failures.push_back({FO->getString("path").value_or("").str(),
                                 FO->getString("error").value_or("").str()});
  readLockEdges(Obj->getArray("lockEdges"), Info);
  if (const auto *C = Obj->getArray("checks"))
    for (const auto &V : *C)
      if (auto N = V.getAsString(); N && !llvm::is_contained(Checks, *N))
        Checks.push_back(N->str());
  auto Loc = [](const llvm::json::Object *L) {
    Location Out;
    if (!L)
      return Out;
    Out.Rel = L->getString("path").value_or("").str();
    Out.File = Out.Rel;
    Out.Line = L->getInteger("line").value_or(0);
    Out.Column = L->getInteger("column").value_or(0);
    Out.Offset = L->getInteger("offset").value_or(0);
    return Out;
  };
  for (const auto &V : *Obj->getArray("findings")) {
    const auto *FO = V.getAsObject();
    if (!FO)
      continue;
    Finding F;
    F.Check = FO->getString("check").value_or("").str();
    F.Level = FO->getString("level").value_or("warning").str();
    F.Message = FO->getString("message").value_or("").str();
    F.LineText = FO->getString("lineText").value_or("").str();
    F.Loc = Loc(FO->getObject("location"));
    if (const auto *Notes = FO->getArray("notes"))
      for (const auto &N : *Notes)
        if (const auto *NO = N.getAsObject())
          F.Notes.push_back({Loc(NO->getObject("location")),
                             NO->getString("message").value_or("").str()});
    if (const auto *Fixes = FO->getArray("fixes"))
      for (const auto &X : *Fixes)
        if (const auto *XO = X.getAsObject()) {
          Replacement R;
          R.Start = Loc(XO->getObject("location"));
          R.Length = XO->getInteger("length").value_or(0);
          R.EndLine = XO->getInteger("endLine").value_or(0);
          R.EndColumn = XO->getInteger("endColumn").value_or(0);
          R.Text = XO->getString("text").value_or("").str();
          F.Fixes.push_back(std::move(R));
        }
    Out.push_back(std::move(F));
  }
  return true;
}

std::string helpUri(llvm::StringRef Check) {
  for (const auto &Info : clang::tidy::threadlint::threadlintChecks())
    if (Info.Name == Check)
      return (llvm::Twine(THREADLINT_DOC_BASE) + Info.DocPage).str();
  auto [Group, Rest] = Check.split('-');
  if (Group == "clang" && Rest.starts_with("diagnostic-"))
    return "https://clang.llvm.org/docs/DiagnosticsReference.html";
  return ("https://clang.llvm.org/extra/clang-tidy/checks/" + Group + "/" +
          Rest + ".html")
      .str();
}

std::string summaryOf(llvm::StringRef Check) {
  for (const auto &Info : clang::tidy::threadlint::threadlintChecks())
    if (Info.Name == Check)
      return Info.Summary.str();
  if (Check.starts_with("clang-diagnostic-"))
    return "Clang compiler diagnostic";
  return ("clang-tidy check " + Check).str();
}

llvm::json::Object jsonLocation(const Location &L) {
  return llvm::json::Object{{"path", L.Rel},
                            {"line", L.Line},
                            {"column", L.Column},
                            {"offset", L.Offset}};
}

llvm::json::Value renderJson(const std::vector<Finding> &Findings,
                             const std::vector<std::string> &Checks,
                             const std::string &Root, const RunInfo &Info) {
  llvm::json::Array Items;
  for (const Finding &F : Findings) {
    llvm::json::Array Notes, Fixes;
    for (const Note &N : F.Notes)
      Notes.push_back(llvm::json::Object{{"message", N.Message},
                                         {"location", jsonLocation(N.Loc)}});
    for (const Replacement &R : F.Fixes)
      Fixes.push_back(llvm::json::Object{{"location", jsonLocation(R.Start)},
                                         {"length", R.Length},
                                         {"endLine", R.EndLine},
                                         {"endColumn", R.EndColumn},
                                         {"text", R.Text}});
    Items.push_back(llvm::json::Object{{"check", F.Check},
                                       {"level", F.Level},
                                       {"message", F.Message},
                                       {"location", jsonLocation(F.Loc)},
                                       {"lineText", F.LineText},
                                       {"fingerprint", F.Fingerprint},
                                       {"notes", std::move(Notes)},
                                       {"fixes", std::move(Fixes)}});
  }
  llvm::json::Array Failures;
  for (const Failure &F : Info.Failures)
    Failures.push_back(
        llvm::json::Object{{"path", F.Path}, {"error", F.Error}});
  llvm::json::Object Report{{"version", 1},
                            {"tool", "threadlint"},
                            {"toolVersion", THREADLINT_VERSION},
                            {"sourceRoot", Root},
                            {"checks", llvm::json::Array(Checks)},
                            {"files", llvm::json::Array(Info.Files)},
                            {"failures", std::move(Failures)},
                            {"findings", std::move(Items)}};
  if (!Info.LockEdges.empty())
    Report["lockEdges"] = lockEdgesToJson(Info.LockEdges);
  return Report;
}

// A path as a SARIF artifactLocation: relative to %SRCROOT% when it can be.
llvm::json::Object sarifArtifact(llvm::StringRef Rel) {
  if (llvm::sys::path::is_absolute(Rel))
    return llvm::json::Object{{"uri", ("file://" + Rel).str()}};
  return llvm::json::Object{{"uri", Rel.str()}, {"uriBaseId", "%SRCROOT%"}};
}

llvm::json::Object sarifLocation(const Location &L, unsigned EndLine = 0,
                                 unsigned EndColumn = 0) {
  llvm::json::Object Region{{"startLine", std::max(L.Line, 1u)},
                            {"startColumn", std::max(L.Column, 1u)}};
  if (EndLine) {
    Region["endLine"] = EndLine;
    Region["endColumn"] = EndColumn;
  }
  return llvm::json::Object{
      {"physicalLocation",
       llvm::json::Object{{"artifactLocation", sarifArtifact(L.Rel)},
                          {"region", std::move(Region)}}},
      {"properties", llvm::json::Object{{"offset", L.Offset}}}};
}


llvm::json::Value renderSarif(const std::vector<Finding> &Findings,
                              std::vector<std::string> Rules,
                              const std::string &Root, const RunInfo &Info) {
  for (const Finding &F : Findings)
    if (!llvm::is_contained(Rules, F.Check))
      Rules.push_back(F.Check);
  llvm::json::Array RuleArray;
  for (const std::string &R : Rules) {
    std::string Summary = summaryOf(R);
    RuleArray.push_back(llvm::json::Object{
        {"id", R},
        {"shortDescription", llvm::json::Object{{"text", Summary}}},
        {"fullDescription",
         llvm::json::Object{{"text", Summary + " (see " + helpUri(R) + ")"}}},
        {"helpUri", helpUri(R)},
        {"defaultConfiguration", llvm::json::Object{{"level", "warning"}}}});
  }
  llvm::json::Array Results;
  for (const Finding &F : Findings) {
    llvm::json::Object Result{
        {"ruleId", F.Check},
        {"ruleIndex",
         int64_t(llvm::find(Rules, F.Check) - Rules.begin())},
        {"level", F.Level},
        {"message", llvm::json::Object{{"text", F.Message}}},
        {"locations", llvm::json::Array{sarifLocation(F.Loc)}},
        {"partialFingerprints",
         llvm::json::Object{{"threadlintFingerprint/v1", F.Fingerprint}}},
        {"properties", llvm::json::Object{{"lineText", F.LineText},
                                          {"offset", F.Loc.Offset}}}};
    if (!F.Notes.empty()) {
      llvm::json::Array Related;
      int64_t Id = 0;
      for (const Note &N : F.Notes) {
        llvm::json::Object L = sarifLocation(N.Loc);
        L["id"] = Id++;
        L["message"] = llvm::json::Object{{"text", N.Message}};
        Related.push_back(std::move(L));
      }
      Result["relatedLocations"] = std::move(Related);
    }
    if (!F.Fixes.empty()) {
      // One artifactChange per file, in first-seen order.
      std::vector<std::string> Files;
      std::map<std::string, llvm::json::Array> Changes;
      for (const Replacement &R : F.Fixes) {
        if (!Changes.count(R.Start.Rel))
          Files.push_back(R.Start.Rel);
        Changes[R.Start.Rel].push_back(llvm::json::Object{
            {"deletedRegion",
             llvm::json::Object{{"startLine", std::max(R.Start.Line, 1u)},
                                {"startColumn", std::max(R.Start.Column, 1u)},
                                {"endLine", std::max(R.EndLine, 1u)},
                                {"endColumn", std::max(R.EndColumn, 1u)}}},
            {"insertedContent", llvm::json::Object{{"text", R.Text}}},
            {"properties", llvm::json::Object{{"offset", R.Start.Offset},
                                              {"length", R.Length}}}});
      }
      llvm::json::Array ArtifactChanges;
      for (const std::string &File : Files)
        ArtifactChanges.push_back(llvm::json::Object{
            {"artifactLocation", sarifArtifact(File)},
            {"replacements", std::move(Changes[File])}});
      Result["fixes"] = llvm::json::Array{llvm::json::Object{
          {"description", llvm::json::Object{{"text", "threadlint fix-it"}}},
          {"artifactChanges", std::move(ArtifactChanges)}}};
    }
    Results.push_back(std::move(Result));
  }
  // The analysed translation units, and the ones that could not be.
  llvm::json::Array Artifacts, Notifications;
  for (const std::string &File : Info.Files)
    Artifacts.push_back(
        llvm::json::Object{{"location", sarifArtifact(File)},
                           {"roles", llvm::json::Array{"analysisTarget"}}});
  for (const Failure &F : Info.Failures)
    Notifications.push_back(llvm::json::Object{
        {"level", "error"},
        {"message", llvm::json::Object{{"text", F.Error}}},
        {"locations",
         llvm::json::Array{llvm::json::Object{
             {"physicalLocation",
              llvm::json::Object{
                  {"artifactLocation", sarifArtifact(F.Path)}}}}}}});
  llvm::json::Object Invocation{{"executionSuccessful", Info.Failures.empty()}};
  if (!Notifications.empty())
    Invocation["toolExecutionNotifications"] = std::move(Notifications);
  std::string RootUri = "file://" + Root;
  if (!llvm::StringRef(RootUri).ends_with("/"))
    RootUri += "/";
  llvm::json::Object Run{
      {"tool",
       llvm::json::Object{
           {"driver", llvm::json::Object{{"name", "threadlint"},
                                         {"version", THREADLINT_VERSION},
                                         {"informationUri",
                                          THREADLINT_DOC_BASE "README.md"},
                                         {"rules", std::move(RuleArray)}}}}},
      {"originalUriBaseIds",
       llvm::json::Object{{"%SRCROOT%", llvm::json::Object{{"uri", RootUri}}}}},
      {"invocations", llvm::json::Array{std::move(Invocation)}},
      {"artifacts", std::move(Artifacts)},
      {"results", std::move(Results)}};
  // The lock-order edges, for `merge` (a property bag: SARIF has no place
  // of its own for them).
  if (!Info.LockEdges.empty())
    Run["properties"] = llvm::json::Object{
        {"threadlintLockEdges", lockEdgesToJson(Info.LockEdges)}};
  return llvm::json::Object{
      {"$schema", "https://json.schemastore.org/sarif-2.1.0.json"},
      {"version", "2.1.0"},
      {"runs", llvm::json::Array{std::move(Run)}}};
}

llvm::json::Value renderCodeClimate(const std::vector<Finding> &Findings) {
  llvm::json::Array Items;
  for (const Finding &F : Findings)
    Items.push_back(llvm::json::Object{
        {"type", "issue"},
        {"description", F.Message},
        {"check_name", F.Check},
        {"categories", llvm::json::Array{"Bug Risk"}},
        {"fingerprint", F.Fingerprint},
        {"severity", F.Level == "error" ? "critical" : "major"},
        {"location",
         llvm::json::Object{
             {"path", F.Loc.Rel},
             {"lines", llvm::json::Object{{"begin", std::max(F.Loc.Line, 1u)}}}}}});
  return std::move(Items);
}

// Writes Findings in --format to --output (or stdout); false on an error.
bool emitReport(const std::vector<Finding> &Findings,
                const std::vector<std::string> &Checks,
                const std::string &Root, const RunInfo &Info) {
  if (Format == "text") {
    for (const Finding &F : Findings)
      llvm::outs() << F.Loc.Rel << ":" << F.Loc.Line << ":" << F.Loc.Column
                   << ": " << F.Level << ": " << F.Message << " [" << F.Check
                   << "]\n";
    return true;
  }
  llvm::json::Value Report =
      Format == "json"    ? renderJson(Findings, Checks, Root, Info)
      : Format == "sarif" ? renderSarif(Findings, Checks, Root, Info)
                                 : renderCodeClimate(Findings);
  std::error_code EC;
  std::unique_ptr<llvm::raw_fd_ostream> File;
  if (!OutputFile.empty()) {
    File = std::make_unique<llvm::raw_fd_ostream>(OutputFile, EC,
                                                  llvm::sys::fs::OF_Text);
    if (EC) {
      llvm::errs() << "error: cannot write '" << OutputFile
                   << "': " << EC.message() << "\n";
      return false;
    }
  }
  (File ? *File : llvm::outs()) << llvm::formatv("{0:2}", Report) << "\n";
  return true;
}

// Baseline file: {"version":1,"fingerprints":{"<fp>":<count>}}. Fingerprints
// carry the occurrence index, so counts are 1; a count is kept for readers.
bool writeBaselineFile(const std::vector<Finding> &Findings) {
  llvm::json::Object Prints;
  for (const Finding &F : Findings)
    Prints[F.Fingerprint] = llvm::json::Object{
        {"check", F.Check}, {"path", F.Loc.Rel}, {"line", F.Loc.Line}};
  std::error_code EC;
  llvm::raw_fd_ostream OS(WriteBaseline, EC, llvm::sys::fs::OF_Text);
  if (EC) {
    llvm::errs() << "error: cannot write '" << WriteBaseline
                 << "': " << EC.message() << "\n";
    return false;
  }
  OS << llvm::formatv("{0:2}", llvm::json::Value(llvm::json::Object{
                                   {"version", 1},
                                   {"fingerprints", std::move(Prints)}}))
     << "\n";
  return true;
}

bool applyBaseline(std::vector<Finding> &Findings, unsigned &Suppressed) {
  auto Buffer = llvm::MemoryBuffer::getFile(BaselineFile);
  if (!Buffer) {
    llvm::errs() << "error: cannot read baseline '" << BaselineFile
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
    llvm::errs() << "error: '" << BaselineFile
                 << "' is not a threadlint baseline\n";
    return false;
  }
  size_t Before = Findings.size();
  llvm::erase_if(Findings, [&](const Finding &F) {
    return Prints->find(F.Fingerprint) != Prints->end();
  });
  Suppressed += Before - Findings.size();
  return true;
}

ClangTidyOptions defaultOptions() {
  ClangTidyOptions Defaults;
  Defaults.Checks = defaultProfileChecks();
  Defaults.WarningsAsErrors = "";
  Defaults.HeaderFilterRegex = HeaderFilter;
  Defaults.SystemHeaders = SystemHeaders;
  Defaults.User = llvm::sys::Process::GetEnv("USER");
  for (const auto &[Key, Value] : defaultProfileCheckOptions())
    Defaults.CheckOptions[Key] = ClangTidyOptions::ClangTidyValue(Value);
  return Defaults;
}

ClangTidyOptions overrideOptions() {
  ClangTidyOptions Override;
  if (Checks.getNumOccurrences())
    Override.Checks = Checks;
  if (WarningsAsErrors.getNumOccurrences())
    Override.WarningsAsErrors = WarningsAsErrors;
  if (HeaderFilter.getNumOccurrences())
    Override.HeaderFilterRegex = HeaderFilter;
  if (SystemHeaders.getNumOccurrences())
    Override.SystemHeaders = SystemHeaders;
  return Override;
}

// The clang-tidy option layering, with the threadlint profile as the
// binary's defaults: .clang-tidy files (or --config/--config-file) come on
// top of it, and command-line flags on top of those.
std::unique_ptr<ClangTidyOptionsProvider>
createOptionsProvider(llvm::IntrusiveRefCntPtr<llvm::vfs::FileSystem> FS) {
  ClangTidyGlobalOptions Global;
  std::string Text;
  llvm::StringRef Source;
  if (!ConfigFile.empty()) {
    if (!Config.empty()) {
      llvm::WithColor::error() << "--config-file and --config are mutually "
                                  "exclusive\n";
      return nullptr;
    }
    auto Buffer = llvm::MemoryBuffer::getFile(ConfigFile);
    if (!Buffer) {
      llvm::WithColor::error() << "cannot read '" << ConfigFile
                               << "': " << Buffer.getError().message() << "\n";
      return nullptr;
    }
    Text = (*Buffer)->getBuffer().str();
    Source = ConfigFile;
  } else if (!Config.empty()) {
    Text = Config;
    Source = "<command-line-config>";
  }
  if (!Source.empty()) {
    llvm::ErrorOr<ClangTidyOptions> Parsed =
        parseConfiguration(llvm::MemoryBufferRef(Text, Source));
    if (!Parsed) {
      llvm::WithColor::error() << "invalid configuration: "
                               << Parsed.getError().message() << "\n";
      return nullptr;
    }
    return std::make_unique<ConfigOptionsProvider>(
        std::move(Global), ClangTidyOptions::getDefaults().merge(
                               defaultOptions(), 0),
        std::move(*Parsed), overrideOptions(), std::move(FS));
  }
  return std::make_unique<FileOptionsProvider>(
      std::move(Global), defaultOptions(), overrideOptions(), std::move(FS));
}

// argv with `--extra-arg-before=-resource-dir=...` added, so that builtin
// headers are found whatever compiler the compilation database names.
std::vector<const char *> withResourceDir(int Argc, const char **Argv,
                                          std::string &Storage) {
  std::vector<const char *> Args(Argv, Argv + Argc);
  if (hasResourceDirArg(Argc, Argv))
    return Args;
  std::string Dir = findResourceDir(Argv[0]);
  if (Dir.empty())
    return Args;
  Storage = "--extra-arg-before=-resource-dir=" + Dir;
  // Before a "--" separator, if any: options after it are compiler flags.
  auto Sep = std::find_if(Args.begin() + 1, Args.end(), [](const char *A) {
    return llvm::StringRef(A) == "--";
  });
  Args.insert(Sep, Storage.c_str());
  return Args;
}

// The compilation database and the files to analyse: the files named, or
// with none and -p, every file of the database. (CommonOptionsParser loads
// no database when no file is named, so that case loads it here, with the
// same --extra-arg adjustments.)
struct Inputs {
  std::unique_ptr<tooling::CompilationDatabase> Owned;
  std::unique_ptr<DistinctCommandsDatabase> Distinct;
  const tooling::CompilationDatabase *Database = nullptr;
  std::vector<std::string> Files;
  bool WholeDatabase = false; // no files named: every file of the database
};

template <typename T> T *registeredOption(llvm::StringRef Name) {
  return static_cast<T *>(cl::getRegisteredOptions().lookup(Name));
}

bool loadDatabase(tooling::CommonOptionsParser &Parser, Inputs &In) {
  In.Files = Parser.getSourcePathList();
  if (!In.Files.empty()) {
    In.Database = &Parser.getCompilations();
    return true;
  }
  auto *BuildPath = registeredOption<cl::opt<std::string>>("p");
  if (!BuildPath || BuildPath->getNumOccurrences() == 0)
    return true; // nothing to analyse: the caller says so
  std::string Error;
  std::unique_ptr<tooling::CompilationDatabase> Database =
      tooling::CompilationDatabase::autoDetectFromDirectory(
          BuildPath->getValue(), Error);
  if (!Database) {
    llvm::WithColor::error() << Error << "\n";
    return false;
  }
  auto Adjusted =
      std::make_unique<tooling::ArgumentsAdjustingCompilations>(
          std::move(Database));
  if (auto *Before = registeredOption<cl::list<std::string>>(
          "extra-arg-before"))
    Adjusted->appendArgumentsAdjuster(tooling::getInsertArgumentAdjuster(
        std::vector<std::string>(Before->begin(), Before->end()),
        tooling::ArgumentInsertPosition::BEGIN));
  if (auto *After = registeredOption<cl::list<std::string>>("extra-arg"))
    Adjusted->appendArgumentsAdjuster(tooling::getInsertArgumentAdjuster(
        std::vector<std::string>(After->begin(), After->end()),
        tooling::ArgumentInsertPosition::END));
  In.Files = Adjusted->getAllFiles();
  In.WholeDatabase = true;
  In.Owned = std::move(Adjusted);
  In.Database = In.Owned.get();
  return true;
}

bool loadInputs(tooling::CommonOptionsParser &Parser, Inputs &In) {
  if (!loadDatabase(Parser, In))
    return false;
  if (In.Database) {
    In.Distinct = std::make_unique<DistinctCommandsDatabase>(*In.Database);
    In.Database = In.Distinct.get();
  }
  return true;
}


bool validChoice(llvm::StringRef Option, llvm::StringRef Value,
                 std::initializer_list<llvm::StringRef> Choices) {
  if (llvm::is_contained(Choices, Value))
    return true;
  llvm::errs() << "error: unknown --" << Option << " '" << Value << "' (";
  llvm::interleave(Choices, llvm::errs(), ", ");
  llvm::errs() << ")\n";
  return false;
}

bool isCompileError(const ClangTidyError &E) {
  return E.DiagLevel == ClangTidyError::Error &&
         E.DiagnosticName == "clang-diagnostic-error";
}

// Sorts the errors of all TUs by place and drops repeats: a diagnostic in a
// header that several TUs include is reported once.
void dedupeErrors(std::vector<ClangTidyError> &Errors) {
  using Key = std::tuple<std::string, unsigned, std::string, std::string>;
  std::vector<std::pair<Key, size_t>> Keys;
  for (size_t I = 0; I < Errors.size(); ++I) {
    const ClangTidyError &E = Errors[I];
    Keys.push_back({Key(absolutePath(E.Message.FilePath, E.BuildDirectory),
                        E.Message.FileOffset, E.DiagnosticName,
                        E.Message.Message),
                    I});
  }
  llvm::sort(Keys); // by key, then by arrival
  std::vector<ClangTidyError> Out;
  for (size_t I = 0; I < Keys.size(); ++I)
    if (I == 0 || Keys[I].first != Keys[I - 1].first)
      Out.push_back(std::move(Errors[Keys[I].second]));
  Errors = std::move(Out);
}

// Analyses one file in this process. With Record, the files read and their
// hashes are kept (for the cache).
TuResult analyse(ClangTidyContext &Context,
                 const tooling::CompilationDatabase &Database,
                 const std::string &File, bool Record) {
  TuResult R;
  R.File = File;
  auto Recording = llvm::makeIntrusiveRefCnt<RecordingFileSystem>(
      llvm::vfs::getRealFileSystem());
  llvm::IntrusiveRefCntPtr<llvm::vfs::OverlayFileSystem> FS(
      new llvm::vfs::OverlayFileSystem(
          Record ? llvm::IntrusiveRefCntPtr<llvm::vfs::FileSystem>(Recording)
                 : llvm::vfs::getRealFileSystem()));
  auto Start = std::chrono::steady_clock::now();
  // threadlint-lock-order-inversion leaves its exported edges here.
  std::vector<LockOrderEdge> Edges;
  clang::tidy::threadlint::setLockEdgeCollector(&Edges);
  R.Errors = runClangTidy(Context, Database, {File}, FS, FixNotes, false, "",
                          Quiet);
  clang::tidy::threadlint::setLockEdgeCollector(nullptr);
  const std::string Unit = absolutePath(File);
  for (LockOrderEdge &E : Edges)
    E.Unit = Unit;
  sortLockEdges(Edges);
  R.LockEdges = std::move(Edges);
  R.Seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() -
                                            Start)
                  .count();
  if (Record) {
    FileHashes Hashes;
    for (const std::string &Path : Recording->read())
      R.Inputs.emplace_back(Path, Hashes.hashOf(Path));
  }
  return R;
}

// --worker-output: analyse --worker-file and write what was found.
int runWorker(ClangTidyContext &Context,
              const tooling::CompilationDatabase &Database) {
  TuResult R = analyse(Context, Database, WorkerFile, /*Record=*/true);
  std::error_code EC;
  llvm::raw_fd_ostream OS(WorkerOutput, EC, llvm::sys::fs::OF_Text);
  if (EC) {
    llvm::errs() << "error: cannot write '" << WorkerOutput
                 << "': " << EC.message() << "\n";
    return 2;
  }
  OS << llvm::json::Value(tuResultToJson(R));
  return 0;
}

// What a cached result depends on besides the files it read: this build of
// threadlint, the configuration for the file and its compile commands.
// The configuration is looked up once per directory (.clang-tidy files are
// per directory; a broken one is then reported once, not once per file).
std::string cacheKey(ClangTidyContext &Context,
                     const tooling::CompilationDatabase &Database,
                     const std::string &File, llvm::StringRef Build,
                     llvm::StringMap<std::string> &ConfigByDir) {
  std::string Text;
  llvm::raw_string_ostream OS(Text);
  std::string Abs = absolutePath(File);
  auto [Config, New] =
      ConfigByDir.try_emplace(llvm::sys::path::parent_path(Abs));
  if (New)
    Config->second = configurationAsText(Context.getOptionsForFile(Abs));
  OS << "threadlint-cache-v1\n" << Build << "\n" << FixNotes << "\n";
  OS << Config->second << "\n";
  for (const tooling::CompileCommand &Cmd : Database.getCompileCommands(File)) {
    OS << Cmd.Directory << '\0' << Cmd.Filename << '\0';
    for (const std::string &Arg : Cmd.CommandLine)
      OS << Arg << '\0';
    OS << "\n";
  }
  OS << Abs;
  return hashText(Text);
}

// This build of threadlint: version, LLVM version and the executable's hash.
std::string buildIdentity(llvm::StringRef Executable) {
  FileHashes Hashes;
  return (llvm::Twine(THREADLINT_VERSION) + " " + LLVM_VERSION_STRING + " " +
          Hashes.hashOf(Executable))
      .str();
}

// Progress of a whole-project run on stderr: a bar on a terminal, a line per
// file otherwise.
class ProgressDisplay {
public:
  explicit ProgressDisplay(size_t Total) : Total(Total) {
    llvm::StringRef Mode = ProgressMode;
    if (Quiet || Mode == "none")
      return;
    if (Mode == "auto")
      Mode = llvm::sys::Process::StandardErrIsDisplayed() ? "bar" : "lines";
    Bar = Mode == "bar";
    Lines = Mode == "lines";
  }
  void done(llvm::StringRef Rel, const TuResult &R) {
    ++Done;
    if (Lines) {
      llvm::errs() << llvm::formatv("[{0}/{1}] {2}", Done, Total, Rel);
      if (R.Cached)
        llvm::errs() << " (cached)";
      else if (!R.Crash.empty())
        llvm::errs() << " (" << R.Crash << ")";
      else
        llvm::errs() << llvm::formatv(" ({0:F1} s)", R.Seconds);
      llvm::errs() << "\n";
    } else if (Bar) {
      const unsigned Width = 24;
      unsigned Filled = Total ? Width * Done / Total : Width;
      std::string Name = Rel.str();
      if (Name.size() > 48)
        Name = "..." + Name.substr(Name.size() - 45);
      llvm::errs() << "\r\x1b[K[" << std::string(Filled, '#')
                   << std::string(Width - Filled, '.') << "] " << Done << "/"
                   << Total << " " << Name;
      llvm::errs().flush();
    }
  }
  void finish() {
    if (Bar && Done)
      llvm::errs() << "\r\x1b[K";
  }

private:
  size_t Total, Done = 0;
  bool Bar = false, Lines = false;
};

// Every file in worker processes, results from the cache where it has them.
bool runProject(ClangTidyContext &Context,
                const tooling::CompilationDatabase &Database,
                const std::vector<std::string> &Files, const char *Argv0,
                llvm::ArrayRef<const char *> Args, SourceCache &Sources,
                std::vector<TuResult> &Results, size_t &Cached) {
  Results.assign(Files.size(), TuResult());
  ProgressDisplay Progress(Files.size());
  std::string Executable = llvm::sys::fs::getMainExecutable(
      Argv0, reinterpret_cast<void *>(&runThreadlint));
  std::optional<ResultCache> Cache;
  std::vector<std::string> Keys(Files.size());
  std::vector<size_t> ToRun;
  std::string Error;
  if (!CacheDir.empty()) {
    Cache.emplace(CacheDir);
    if (!Cache->prepare(Error)) {
      llvm::errs() << "error: " << Error << "\n";
      return false;
    }
    std::string Build = buildIdentity(Executable);
    FileHashes Hashes;
    llvm::StringMap<std::string> ConfigByDir;
    for (size_t I = 0; I < Files.size(); ++I) {
      Keys[I] = cacheKey(Context, Database, Files[I], Build, ConfigByDir);
      if (Cache->lookup(Keys[I], Hashes, Results[I])) {
        Results[I].File = Files[I];
        ++Cached;
        Progress.done(Sources.relative(absolutePath(Files[I])), Results[I]);
        continue;
      }
      ToRun.push_back(I);
    }
  } else {
    for (size_t I = 0; I < Files.size(); ++I)
      ToRun.push_back(I);
  }
  WorkerPool Pool;
  Pool.Program = Executable;
  Pool.Args.assign(Args.begin(), Args.end());
  Pool.Jobs = Jobs ? unsigned(Jobs)
                   : llvm::hardware_concurrency().compute_thread_count();
  Pool.TimeoutSeconds = Timeout;
  std::vector<std::string> RunFiles;
  RunFiles.reserve(ToRun.size());
  for (size_t I : ToRun)
    RunFiles.push_back(Files[I]);
  bool Ok = Pool.run(
      RunFiles,
      [&](size_t K, TuResult &&R) {
        size_t I = ToRun[K];
        // Not kept: crashes and timeouts (they may not happen again), and
        // compile errors (a missing generated header is not among the
        // files read, so its appearance would not invalidate the entry).
        if (Cache && R.Crash.empty() && llvm::none_of(R.Errors, isCompileError))
          Cache->store(Keys[I], R);
        Progress.done(Sources.relative(absolutePath(Files[I])), R);
        Results[I] = std::move(R);
      },
      Error);
  Progress.finish();
  if (!Ok)
    llvm::errs() << "error: " << Error << "\n";
  return Ok;
}

// The TUs that could not be analysed: a crash or timeout, or a compile
// error (the first one).
std::vector<Failure> failuresOf(const std::vector<TuResult> &Results,
                                SourceCache &Sources) {
  std::vector<Failure> Out;
  for (const TuResult &R : Results) {
    std::string Rel = Sources.relative(absolutePath(R.File));
    if (!R.Crash.empty()) {
      Out.push_back({Rel, R.Crash});
      continue;
    }
    // The first error with a place ("too many errors emitted" has none, and
    // sorts first); one without a place only when there is no other.
    auto First = llvm::find_if(R.Errors, [](const ClangTidyError &E) {
      return isCompileError(E) && !E.Message.FilePath.empty();
    });
    if (First == R.Errors.end())
      First = llvm::find_if(R.Errors, isCompileError);
    if (First == R.Errors.end())
      continue;
    if (First->Message.FilePath.empty()) {
      Out.push_back({Rel, "error: " + First->Message.Message});
      continue;
    }
    Location L = Sources.locate(First->Message.FilePath,
                                First->Message.FileOffset,
                                First->BuildDirectory);
    Out.push_back({Rel, llvm::formatv("{0}:{1}:{2}: error: {3}", L.Rel, L.Line,
                                      L.Column, First->Message.Message)
                            .str()});
  }
  return Out;
}

struct Suppressed {
  unsigned InBaseline = 0, OutsideDiff = 0, Excluded = 0;
};

// The end-of-run summary on stderr.
void printSummary(const RunInfo &Info, const std::vector<Finding> &Findings,
                  size_t Cached, const Suppressed &S, double Seconds) {
  if (Quiet)
    return;
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

// The exit code of a run (or merge) that reported Findings.
int exitCode(bool CiMode, const std::vector<Finding> &Findings,
             const RunInfo &Info, unsigned WErrorCount) {
  const bool FailuresFail = ParseErrors == "fail" && !Info.Failures.empty();
  if (CiMode)
    return FailuresFail ? 2 : Findings.empty() ? 0 : 1;
  return WErrorCount || FailuresFail ? 1 : 0;
}

int listChecks(const ClangTidyOptions &Effective) {
  std::vector<std::string> Enabled = getCheckNames(Effective, false, false);
  if (Enabled.empty()) {
    llvm::errs() << "No checks enabled.\n";
    return 1;
  }
  llvm::outs() << "Enabled checks:";
  for (const std::string &Name : Enabled)
    llvm::outs() << "\n    " << Name;
  llvm::outs() << "\n\n";
  return 0;
}

// The edges of a run as its report carries them.
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

// `merge`: the findings of the lock-order cycles that span reports (those
// within one report were reported by its run).
void addCrossShardCycles(const std::vector<ReportedEdge> &Reported,
                         llvm::ArrayRef<size_t> ShardOf,
                         std::vector<Finding> &Out) {
  std::vector<LockOrderEdge> Edges;
  Edges.reserve(Reported.size());
  for (const ReportedEdge &R : Reported)
    Edges.push_back(R.Edge);
  for (const LockCycle &C : crossShardLockCycles(Edges, ShardOf)) {
    ClangTidyError E = lockCycleError(C, /*AsError=*/false);
    // The report's paths are relative already; lines and columns are the
    // sites'.
    auto At = [&](const tooling::DiagnosticMessage &M) {
      Location L;
      L.File = L.Rel = M.FilePath;
      L.Offset = M.FileOffset;
      for (const LockOrderEdge *Edge : C.Edges)
        for (const LockSite *S : {&Edge->Held, &Edge->Taken})
          if (S->File == M.FilePath && S->Offset == M.FileOffset) {
            L.Line = S->Line;
            L.Column = S->Column;
          }
      return L;
    };
    Finding F;
    F.Check = E.DiagnosticName;
    F.Level = levelName(E.DiagLevel);
    F.Message = E.Message.Message;
    F.Loc = At(E.Message);
    F.LineText =
        Reported[static_cast<size_t>(C.Edges[C.Closing] - Edges.data())]
            .TakenLine;
    for (const tooling::DiagnosticMessage &N : E.Notes)
      F.Notes.push_back({At(N), N.Message});
    Out.push_back(std::move(F));
  }
}

// threadlint merge [--format F] [--output FILE] [--baseline FILE] JSON...:
// one report from the JSON reports of shards, with the exit code one run
// over all of them gives.
int runMerge(int Argc, const char **Argv) {
  std::vector<std::string> Inputs;
  for (int I = 2; I < Argc; ++I) {
    llvm::StringRef A = Argv[I];
    auto Value = [&](llvm::StringRef Name, std::string &Into) {
      if (A == Name && I + 1 < Argc) {
        Into = Argv[++I];
        return true;
      }
      if (A.consume_front(Name) && A.consume_front("=")) {
        Into = A.str();
        return true;
      }
      return false;
    };
    std::string V;
    if (Value("--format", V) || Value("-format", V))
      Format = V;
    else if (Value("--output", V) || Value("-output", V))
      OutputFile = V;
    else if (Value("--baseline", V) || Value("-baseline", V))
      BaselineFile = V;
    else if (Value("--parse-errors", V) || Value("-parse-errors", V))
      ParseErrors = V;
    else if (A == "--quiet" || A == "-quiet")
      Quiet = true;
    else if (A.starts_with("-")) {
      llvm::errs() << "error: threadlint merge: unknown option '" << A
                   << "'\nusage: threadlint merge [--format text|json|sarif|"
                      "codeclimate] [--output FILE] [--baseline FILE] "
                      "[--parse-errors fail|ignore] [--quiet] "
                      "REPORT.json|REPORT.sarif...\n";
      return 2;
    } else
      Inputs.push_back(A.str());
  }
  if (!validChoice("format", Format, {"text", "json", "sarif", "codeclimate"}) ||
      !validChoice("parse-errors", ParseErrors, {"fail", "ignore"}))
    return 2;
  if (Inputs.empty()) {
    llvm::errs() << "error: threadlint merge: no reports given\n";
    return 2;
  }
  auto Start = std::chrono::steady_clock::now();
  std::vector<Finding> Findings;
  std::vector<std::string> Checks;
  std::string Root;
  RunInfo Info;
  std::vector<size_t> ShardOf; // the input each lock edge came from
  for (size_t I = 0; I < Inputs.size(); ++I) {
    if (!readReport(Inputs[I], Findings, Checks, Root, Info))
      return 2;
    ShardOf.resize(Info.LockEdges.size(), I);
  }
  if (llvm::is_contained(Checks, LockOrderCheck))
    addCrossShardCycles(Info.LockEdges, ShardOf, Findings);
  Info.normalize();
  finalizeFindings(Findings);
  Suppressed S;
  if (!BaselineFile.empty() && !applyBaseline(Findings, S.InBaseline))
    return 2;
  if (!emitReport(Findings, Checks, Root, Info))
    return 2;
  printSummary(Info, Findings, 0, S,
               std::chrono::duration<double>(std::chrono::steady_clock::now() -
                                             Start)
                   .count());
  return exitCode(/*CiMode=*/true, Findings, Info, 0);
}

// Keeps the K-th of N parts (1-based) of the sorted files; false on a bad
// --shard value.
bool applyShard(std::vector<std::string> &Files) {
  if (Shard.empty())
    return true;
  auto [KText, NText] = llvm::StringRef(Shard).split('/');
  unsigned K = 0, N = 0;
  if (KText.getAsInteger(10, K) || NText.getAsInteger(10, N) || N == 0 ||
      K == 0 || K > N) {
    llvm::errs() << "error: --shard wants K/N with 1 <= K <= N, not '"
                 << Shard << "'\n";
    return false;
  }
  llvm::sort(Files);
  Files.erase(std::unique(Files.begin(), Files.end()), Files.end());
  std::vector<std::string> Mine;
  for (size_t I = 0; I < Files.size(); ++I)
    if (I % N == K - 1)
      Mine.push_back(Files[I]);
  Files = std::move(Mine);
  return true;
}

} // namespace

int runThreadlint(int Argc, const char **Argv) {
  llvm::InitLLVM X(Argc, Argv);
  if (Argc > 1 && llvm::StringRef(Argv[1]) == "merge")
    return runMerge(Argc, Argv);
  static volatile int Keep = linkAllModules();
  (void)Keep;

  std::string ResourceArg;
  std::vector<const char *> Args = withResourceDir(Argc, Argv, ResourceArg);
  int ArgCount = static_cast<int>(Args.size());
  auto Parser = tooling::CommonOptionsParser::create(
      ArgCount, Args.data(), Category, cl::ZeroOrMore, Overview);
  if (!Parser) {
    llvm::WithColor::error() << llvm::toString(Parser.takeError());
    return 2;
  }

  llvm::IntrusiveRefCntPtr<llvm::vfs::OverlayFileSystem> BaseFS(
      new llvm::vfs::OverlayFileSystem(llvm::vfs::getRealFileSystem()));
  std::unique_ptr<ClangTidyOptionsProvider> Provider =
      createOptionsProvider(BaseFS);
  if (!Provider)
    return 2;

  Inputs In;
  if (!loadInputs(*Parser, In))
    return 2;
  if (!WorkerOutput.empty()) {
    // A worker of a whole-project run: one file, raw diagnostics.
    llvm::InitializeAllTargetInfos();
    llvm::InitializeAllTargetMCs();
    llvm::InitializeAllAsmParsers();
    if (!In.Database) {
      llvm::errs() << "error: worker without a compilation database\n";
      return 2;
    }
    ClangTidyContext Context(std::move(Provider), false, false, false);
    return runWorker(Context, *In.Database);
  }
  if (!validChoice("format", Format, {"text", "json", "sarif", "codeclimate"}) ||
      !validChoice("parse-errors", ParseErrors, {"fail", "ignore"}) ||
      !validChoice("progress", ProgressMode, {"auto", "bar", "lines", "none"}))
    return 2;

  const auto Start = std::chrono::steady_clock::now();
  const std::string Root = defaultSourceRoot();
  SourceCache Sources(Root);
  PathFilter Filter;
  std::string FilterError;
  for (const std::string &P : IncludePaths)
    if (!Filter.add(P, /*Include=*/true, FilterError)) {
      llvm::errs() << "error: --include: " << FilterError << "\n";
      return 2;
    }
  for (const std::string &P : ExcludePaths)
    if (!Filter.add(P, /*Include=*/false, FilterError)) {
      llvm::errs() << "error: --exclude: " << FilterError << "\n";
      return 2;
    }
  llvm::erase_if(In.Files, [&](const std::string &File) {
    std::string Abs = absolutePath(File);
    return !Filter.accepts(Sources.relative(Abs), Abs);
  });
  if (!applyShard(In.Files))
    return 2;
  const std::vector<std::string> &Files = In.Files;
  llvm::SmallString<256> FirstFile(Files.empty() ? "dummy" : Files.front());
  if (std::error_code EC = llvm::sys::fs::make_absolute(FirstFile))
    llvm::WithColor::warning() << "cannot make '" << FirstFile
                               << "' absolute: " << EC.message() << "\n";
  ClangTidyOptions Effective = Provider->getOptions(FirstFile);

  if (ListChecks)
    return listChecks(Effective);
  if (DumpConfig) {
    Effective.CheckOptions = getCheckOptions(Effective, false, false);
    llvm::outs() << configurationAsText(
                        ClangTidyOptions::getDefaults().merge(Effective, 0))
                 << "\n";
    return 0;
  }
  const std::vector<std::string> CheckNames =
      getCheckNames(Effective, false, false);
  if (CheckNames.empty()) {
    llvm::errs() << "error: no checks enabled\n";
    return 2;
  }
  const bool Selected = !Shard.empty() || !Filter.empty();
  if (Files.empty() && !Selected) {
    llvm::errs() << "error: no input files (name files, or give -p with a "
                    "compile_commands.json)\n";
    return 2;
  }
  std::optional<ChangedLines> Changes;
  if (!DiffBase.empty()) {
    std::string Error;
    Changes.emplace();
    if (!gitChangedLines(DiffBase, Root, *Changes, Error)) {
      llvm::errs() << "error: --diff-base " << DiffBase << ": " << Error
                   << "\n";
      return 2;
    }
  }

  llvm::InitializeAllTargetInfos();
  llvm::InitializeAllTargetMCs();
  llvm::InitializeAllAsmParsers();

  ClangTidyContext Context(std::move(Provider), false, false, false);
  // One named file runs in this process, as clang-tidy would; a whole
  // database, several files, -j or a cache in worker processes.
  const bool Project = In.WholeDatabase || Files.size() > 1 ||
                       Jobs.getNumOccurrences() || !CacheDir.empty();
  std::vector<TuResult> Results;
  size_t Cached = 0;
  if (Project) {
    if (!runProject(Context, *In.Database, Files, Argv[0],
                    llvm::ArrayRef<const char *>(Argv + 1, Argv + Argc),
                    Sources, Results, Cached))
      return 2;
    Context.setCurrentFile(FirstFile);
  } else if (!Files.empty()) {
    Results.push_back(analyse(Context, *In.Database, Files.front(), false));
  }

  RunInfo Info;
  Info.Failures = failuresOf(Results, Sources);
  std::vector<ClangTidyError> Errors;
  std::vector<LockOrderEdge> LockEdges;
  for (TuResult &R : Results) {
    Info.Files.push_back(Sources.relative(absolutePath(R.File)));
    std::move(R.Errors.begin(), R.Errors.end(), std::back_inserter(Errors));
    std::move(R.LockEdges.begin(), R.LockEdges.end(),
              std::back_inserter(LockEdges));
  }
  // The lock-order cycles no one translation unit closes (the check
  // reported those of each unit).
  sortLockEdges(LockEdges);
  if (llvm::is_contained(CheckNames, LockOrderCheck))
    for (const LockCycle &C : crossUnitLockCycles(LockEdges))
      Errors.push_back(lockCycleError(C, Context.treatAsError(LockOrderCheck)));
  Info.LockEdges = reportedEdges(LockEdges, Sources);
  Info.normalize();
  dedupeErrors(Errors);

  // Findings: every diagnostic but compile errors (those are failures),
  // then the path filter, the baseline to write, diff mode, the baseline.
  std::vector<Finding> Findings = collectFindings(Errors, Sources);
  Suppressed S;
  llvm::erase_if(Findings, [&](const Finding &F) {
    return F.Check == "clang-diagnostic-error" ||
           !Filter.accepts(F.Loc.Rel, F.Loc.File);
  });
  if (!WriteBaseline.empty() && !writeBaselineFile(Findings))
    return 2;
  if (Changes)
    llvm::erase_if(Findings, [&](const Finding &F) {
      bool Outside = !Changes->contains(F.Loc.File, F.Loc.Line);
      S.OutsideDiff += Outside;
      return Outside;
    });
  if (!BaselineFile.empty() && !applyBaseline(Findings, S.InBaseline))
    return 2;
  // The text output shows what is reported, and the compile errors.
  std::vector<bool> Reported(Errors.size(), false);
  for (const Finding &F : Findings)
    Reported[F.ErrorIndex] = true;
  std::vector<ClangTidyError> Shown;
  for (size_t I = 0; I < Errors.size(); ++I)
    if (Reported[I] || isCompileError(Errors[I]))
      Shown.push_back(std::move(Errors[I]));

  if (Format != "text" && !emitReport(Findings, CheckNames, Root, Info))
    return 2;
  const bool FoundErrors = llvm::any_of(Shown, isCompileError);
  const FixBehaviour Behaviour = FixNotes               ? FB_FixNotes
                                 : (Fix || FixErrors) ? FB_Fix
                                                      : FB_NoFix;
  const bool DisableFixes = FoundErrors && !FixErrors;
  unsigned WErrorCount = 0;
  if (Format == "text" || Fix || FixErrors || FixNotes)
    handleErrors(Shown, Context, DisableFixes ? FB_NoFix : Behaviour,
                 WErrorCount, BaseFS);

  if (!ExportFixes.empty() && !Shown.empty()) {
    std::error_code EC;
    llvm::raw_fd_ostream OS(ExportFixes, EC, llvm::sys::fs::OF_None);
    if (EC) {
      llvm::errs() << "error: cannot write '" << ExportFixes
                   << "': " << EC.message() << "\n";
      return 2;
    }
    exportReplacements(FirstFile.str(), Shown, OS);
  }
  if (Project)
    printSummary(Info, Findings, Cached, S,
                 std::chrono::duration<double>(
                     std::chrono::steady_clock::now() - Start)
                     .count());
  const bool CiMode =
      Format != "text" || !BaselineFile.empty() || !DiffBase.empty();
  return exitCode(CiMode, Findings, Info, WErrorCount);
}

} // namespace threadlint
