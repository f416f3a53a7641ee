//===--- Driver.cpp - the threadlint command ------------------------------===//
//
// A clang-tidy compatible command line with the threadlint profile as its
// default configuration. The pieces are separate functions (options, the
// options provider, the input list, the run) so that CI features (output
// formats, baselines, sharding) can be added around them.
//
//===----------------------------------------------------------------------===//
#include "threadlint/Driver.h"
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
#include "llvm/Support/xxhash.h"
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
};

class SourceCache {
public:
  explicit SourceCache(std::string Root) : Root(std::move(Root)) {}
  // Path as clang-tidy reports it: relative ones are relative to the
  // compile command's directory.
  Location locate(llvm::StringRef Path, unsigned Offset,
                  llvm::StringRef BuildDir) {
    Location L;
    llvm::SmallString<256> Abs(Path);
    if (!llvm::sys::path::is_absolute(Abs) && !BuildDir.empty())
      llvm::sys::path::make_absolute(BuildDir, Abs);
    llvm::sys::fs::make_absolute(Abs);
    llvm::sys::path::remove_dots(Abs, true);
    L.File = std::string(Abs);
    L.Offset = Offset;
    llvm::SmallString<256> Rel(Abs);
    if (llvm::sys::path::replace_path_prefix(Rel, Root, ""))
      L.Rel = std::string(llvm::StringRef(Rel).ltrim('/'));
    else
      L.Rel = L.File;
    llvm::StringRef Text = text(L.File);
    if (Offset > Text.size())
      return L;
    llvm::StringRef Before = Text.take_front(Offset);
    L.Line = Before.count('\n') + 1;
    size_t LineStart = Before.rfind('\n');
    L.Column = Offset - (LineStart == llvm::StringRef::npos ? 0 : LineStart + 1) + 1;
    return L;
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
  if (!SourceRoot.empty()) {
    llvm::SmallString<256> Dir(SourceRoot);
    llvm::sys::fs::make_absolute(Dir);
    llvm::sys::path::remove_dots(Dir, true);
    return std::string(Dir);
  }
  llvm::SmallString<256> Dir;
  llvm::sys::fs::current_path(Dir);
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
  for (const ClangTidyError &E : Errors) {
    Finding F;
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

// The findings of a JSON report (our schema, version 1), for `merge`.
bool readJsonReport(llvm::StringRef Path, std::vector<Finding> &Out,
                    std::vector<std::string> &Checks, std::string &Root) {
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
  if (!Obj || Obj->getInteger("version") != int64_t(1) ||
      !Obj->getArray("findings")) {
    llvm::errs() << "error: '" << Path
                 << "' is not a threadlint JSON report (version 1)\n";
    return false;
  }
  if (auto R = Obj->getString("sourceRoot"); R && Root.empty())
    Root = R->str();
  if (const auto *C = Obj->getArray("checks"))
    for (const auto &V : *C)
      if (auto N = V.getAsString(); N && !llvm::is_contained(Checks, *N))
        Checks.push_back(N->str());
  auto loc = [](const llvm::json::Object *L) {
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
    F.Loc = loc(FO->getObject("location"));
    if (const auto *Notes = FO->getArray("notes"))
      for (const auto &N : *Notes)
        if (const auto *NO = N.getAsObject())
          F.Notes.push_back({loc(NO->getObject("location")),
                             NO->getString("message").value_or("").str()});
    if (const auto *Fixes = FO->getArray("fixes"))
      for (const auto &X : *Fixes)
        if (const auto *XO = X.getAsObject()) {
          Replacement R;
          R.Start = loc(XO->getObject("location"));
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
                             const std::string &Root) {
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
  return llvm::json::Object{{"version", 1},
                            {"tool", "threadlint"},
                            {"toolVersion", THREADLINT_VERSION},
                            {"sourceRoot", Root},
                            {"checks", llvm::json::Array(Checks)},
                            {"findings", std::move(Items)}};
}

llvm::json::Object sarifLocation(const Location &L, unsigned EndLine = 0,
                                 unsigned EndColumn = 0) {
  llvm::json::Object Region{{"startLine", std::max(L.Line, 1u)},
                            {"startColumn", std::max(L.Column, 1u)}};
  if (EndLine) {
    Region["endLine"] = EndLine;
    Region["endColumn"] = EndColumn;
  }
  llvm::json::Object Artifact{{"uri", L.Rel}};
  if (!llvm::sys::path::is_absolute(L.Rel))
    Artifact["uriBaseId"] = "%SRCROOT%";
  else
    Artifact["uri"] = "file://" + L.Rel;
  return llvm::json::Object{
      {"physicalLocation",
       llvm::json::Object{{"artifactLocation", std::move(Artifact)},
                          {"region", std::move(Region)}}}};
}

llvm::json::Value renderSarif(const std::vector<Finding> &Findings,
                              std::vector<std::string> Rules,
                              const std::string &Root) {
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
         llvm::json::Object{{"threadlintFingerprint/v1", F.Fingerprint}}}};
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
            {"insertedContent", llvm::json::Object{{"text", R.Text}}}});
      }
      llvm::json::Array ArtifactChanges;
      for (const std::string &File : Files)
        ArtifactChanges.push_back(llvm::json::Object{
            {"artifactLocation",
             llvm::json::Object{{"uri", File}, {"uriBaseId", "%SRCROOT%"}}},
            {"replacements", std::move(Changes[File])}});
      Result["fixes"] = llvm::json::Array{llvm::json::Object{
          {"description", llvm::json::Object{{"text", "threadlint fix-it"}}},
          {"artifactChanges", std::move(ArtifactChanges)}}};
    }
    Results.push_back(std::move(Result));
  }
  std::string RootUri = "file://" + Root;
  if (!llvm::StringRef(RootUri).ends_with("/"))
    RootUri += "/";
  return llvm::json::Object{
      {"$schema", "https://json.schemastore.org/sarif-2.1.0.json"},
      {"version", "2.1.0"},
      {"runs",
       llvm::json::Array{llvm::json::Object{
           {"tool",
            llvm::json::Object{
                {"driver",
                 llvm::json::Object{
                     {"name", "threadlint"},
                     {"version", THREADLINT_VERSION},
                     {"informationUri", THREADLINT_DOC_BASE "README.md"},
                     {"rules", std::move(RuleArray)}}}}},
           {"originalUriBaseIds",
            llvm::json::Object{
                {"%SRCROOT%", llvm::json::Object{{"uri", RootUri}}}}},
           {"results", std::move(Results)}}}}};
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
                const std::string &Root) {
  if (Format == "text") {
    for (const Finding &F : Findings)
      llvm::outs() << F.Loc.Rel << ":" << F.Loc.Line << ":" << F.Loc.Column
                   << ": " << F.Level << ": " << F.Message << " [" << F.Check
                   << "]\n";
    return true;
  }
  llvm::json::Value Report = Format == "json" ? renderJson(Findings, Checks, Root)
                             : Format == "sarif"
                                 ? renderSarif(Findings, Checks, Root)
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

bool applyBaseline(std::vector<Finding> &Findings) {
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
  llvm::erase_if(Findings, [&](const Finding &F) {
    return Prints->find(F.Fingerprint) != Prints->end();
  });
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
  const tooling::CompilationDatabase *Database = nullptr;
  std::vector<std::string> Files;
};

template <typename T> T *registeredOption(llvm::StringRef Name) {
  return static_cast<T *>(cl::getRegisteredOptions().lookup(Name));
}

bool loadInputs(tooling::CommonOptionsParser &Parser, Inputs &In) {
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
  In.Owned = std::move(Adjusted);
  In.Database = In.Owned.get();
  return true;
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

} // namespace

// threadlint merge [--format F] [--output FILE] [--baseline FILE] JSON...:
// one report from the JSON reports of shards, with the exit code one run
// over all of them gives.
int runMerge(int Argc, const char **Argv) {
  std::vector<std::string> Inputs;
  for (int I = 2; I < Argc; ++I) {
    llvm::StringRef A = Argv[I];
    auto value = [&](llvm::StringRef Name, std::string &Into) {
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
    if (value("--format", V) || value("-format", V))
      Format = V;
    else if (value("--output", V) || value("-output", V))
      OutputFile = V;
    else if (value("--baseline", V) || value("-baseline", V))
      BaselineFile = V;
    else if (A.starts_with("-")) {
      llvm::errs() << "error: threadlint merge: unknown option '" << A
                   << "'\nusage: threadlint merge [--format text|json|sarif|"
                      "codeclimate] [--output FILE] [--baseline FILE] "
                      "REPORT.json...\n";
      return 2;
    } else
      Inputs.push_back(A.str());
  }
  if (Format != "text" && Format != "json" && Format != "sarif" &&
      Format != "codeclimate") {
    llvm::errs() << "error: unknown --format '" << Format << "'\n";
    return 2;
  }
  if (Inputs.empty()) {
    llvm::errs() << "error: threadlint merge: no reports given\n";
    return 2;
  }
  std::vector<Finding> Findings;
  std::vector<std::string> Checks;
  std::string Root;
  for (const std::string &In : Inputs)
    if (!readJsonReport(In, Findings, Checks, Root))
      return 2;
  finalizeFindings(Findings);
  if (!BaselineFile.empty() && !applyBaseline(Findings))
    return 2;
  if (!emitReport(Findings, Checks, Root))
    return 2;
  return Findings.empty() ? 0 : 1;
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
  if (!loadInputs(*Parser, In) || !applyShard(In.Files))
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
  if (Format != "text" && Format != "json" && Format != "sarif" &&
      Format != "codeclimate") {
    llvm::errs() << "error: unknown --format '" << Format
                 << "' (text, json, sarif, codeclimate)\n";
    return 2;
  }
  if (getCheckNames(Effective, false, false).empty()) {
    llvm::errs() << "error: no checks enabled\n";
    return 2;
  }
  if (Files.empty() && !Shard.empty()) {
    // More shards than files: an empty report.
    if (Format != "text" && !emitReport({}, getCheckNames(Effective, false,
                                                           false),
                                        defaultSourceRoot()))
      return 2;
    return 0;
  }
  if (Files.empty()) {
    llvm::errs() << "error: no input files (name files, or give -p with a "
                    "compile_commands.json)\n";
    return 2;
  }

  llvm::InitializeAllTargetInfos();
  llvm::InitializeAllTargetMCs();
  llvm::InitializeAllAsmParsers();

  ClangTidyContext Context(std::move(Provider), false, false, false);
  std::vector<ClangTidyError> Errors =
      runClangTidy(Context, *In.Database, Files, BaseFS,
                   FixNotes, false, "", Quiet);
  const bool CiMode = Format != "text" || !BaselineFile.empty();
  std::vector<Finding> Findings;
  if (CiMode || !WriteBaseline.empty()) {
    std::string Root = defaultSourceRoot();
    SourceCache Sources(Root);
    Findings = collectFindings(Errors, Sources);
    if (!WriteBaseline.empty() && !writeBaselineFile(Findings))
      return 2;
    if (!BaselineFile.empty()) {
      if (!applyBaseline(Findings))
        return 2;
      // Text output of what is left: keep the errors whose finding stayed.
      std::set<std::pair<std::string, unsigned>> Kept;
      for (const Finding &F : Findings)
        Kept.insert({F.Loc.File + "\n" + F.Check + "\n" + F.Message,
                     F.Loc.Offset});
      llvm::erase_if(Errors, [&](const ClangTidyError &E) {
        llvm::SmallString<256> Abs(E.Message.FilePath);
        if (!llvm::sys::path::is_absolute(Abs) && !E.BuildDirectory.empty())
          llvm::sys::path::make_absolute(E.BuildDirectory, Abs);
        llvm::sys::fs::make_absolute(Abs);
        llvm::sys::path::remove_dots(Abs, true);
        return !Kept.count({(Abs + "\n" + E.DiagnosticName + "\n" +
                             E.Message.Message).str(),
                            E.Message.FileOffset});
      });
    }
    if (Format != "text" &&
        !emitReport(Findings, getCheckNames(Effective, false, false), Root))
      return 2;
  }
  const bool FoundErrors = llvm::any_of(Errors, [](const ClangTidyError &E) {
    return E.DiagLevel == ClangTidyError::Error;
  });
  const FixBehaviour Behaviour = FixNotes               ? FB_FixNotes
                                 : (Fix || FixErrors) ? FB_Fix
                                                      : FB_NoFix;
  const bool DisableFixes = FoundErrors && !FixErrors;
  unsigned WErrorCount = 0;
  if (Format == "text" || Fix || FixErrors || FixNotes)
    handleErrors(Errors, Context, DisableFixes ? FB_NoFix : Behaviour,
                 WErrorCount, BaseFS);

  if (!ExportFixes.empty() && !Errors.empty()) {
    std::error_code EC;
    llvm::raw_fd_ostream OS(ExportFixes, EC, llvm::sys::fs::OF_None);
    if (EC) {
      llvm::errs() << "error: cannot write '" << ExportFixes
                   << "': " << EC.message() << "\n";
      return 2;
    }
    exportReplacements(FirstFile.str(), Errors, OS);
  }
  if (CiMode)
    return Findings.empty() ? 0 : 1;
  if (WErrorCount)
    return 1;
  return FoundErrors ? 1 : 0;
}

} // namespace threadlint
