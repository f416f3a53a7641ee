//===--- Reports.cpp - report formats: writers and readers ----------------===//
//
// text: one line per finding (`merge`; a run's text output is clang-tidy's).
// json: threadlint's own schema, version 1; `merge` reads it.
// sarif: SARIF 2.1.0, one run; `merge` reads what threadlint wrote.
// codeclimate: GitLab's code quality report.
//
//===----------------------------------------------------------------------===//
#include "threadlint/Reports.h"
#include "threadlint/Version.h"
#include "ThreadlintProfile.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"
#include <map>

// Where the check doc pages (docs/checks/*.md) are published.
#ifndef THREADLINT_DOC_BASE
#define THREADLINT_DOC_BASE "https://github.com/threadlint/threadlint/blob/main/"
#endif

using llvm::json::Array;
using llvm::json::Object;

namespace threadlint {
namespace {

// --- shared by the JSON and SARIF schemas ------------------------------------

Array lockEdgesToJson(const std::vector<ReportedEdge> &Edges) {
  Array Out;
  for (const ReportedEdge &E : Edges) {
    llvm::json::Value V = clang::tidy::threadlint::lockEdgeToJson(E.Edge);
    V.getAsObject()->try_emplace("takenLineText", E.TakenLine);
    Out.push_back(std::move(V));
  }
  return Out;
}

// The "lockEdges" of a JSON report (or the SARIF run's property), absent in
// reports of older threadlint versions; malformed entries are skipped.
void readLockEdges(const Array *Edges, RunInfo &Info) {
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

void addCheck(std::vector<std::string> &Checks, llvm::StringRef Name) {
  if (!llvm::is_contained(Checks, Name))
    Checks.push_back(Name.str());
}

void writeJsonValue(const llvm::json::Value &V, llvm::raw_ostream &OS) {
  OS << llvm::formatv("{0:2}", V) << "\n";
}

// --- text ----------------------------------------------------------------------

void writeText(const Report &R, llvm::raw_ostream &OS) {
  for (const Finding &F : R.Findings)
    OS << F.Loc.Rel << ":" << F.Loc.Line << ":" << F.Loc.Column << ": "
       << F.Level << ": " << F.Message << " [" << F.Check << "]\n";
}

// --- json ----------------------------------------------------------------------

Object jsonLocation(const Location &L) {
  return Object{{"path", L.Rel},
                {"line", L.Line},
                {"column", L.Column},
                {"offset", L.Offset}};
}

Location jsonLocationFrom(const Object *L) {
  Location Out;
  if (!L)
    return Out;
  Out.Rel = L->getString("path").value_or("").str();
  Out.File = Out.Rel;
  Out.Line = L->getInteger("line").value_or(0);
  Out.Column = L->getInteger("column").value_or(0);
  Out.Offset = L->getInteger("offset").value_or(0);
  return Out;
}

void writeJson(const Report &R, llvm::raw_ostream &OS) {
  Array Items;
  for (const Finding &F : R.Findings) {
    Array Notes, Fixes;
    for (const Note &N : F.Notes)
      Notes.push_back(
          Object{{"message", N.Message}, {"location", jsonLocation(N.Loc)}});
    for (const Replacement &X : F.Fixes)
      Fixes.push_back(Object{{"location", jsonLocation(X.Start)},
                             {"length", X.Length},
                             {"endLine", X.EndLine},
                             {"endColumn", X.EndColumn},
                             {"text", X.Text}});
    Items.push_back(Object{{"check", F.Check},
                           {"level", F.Level},
                           {"message", F.Message},
                           {"location", jsonLocation(F.Loc)},
                           {"lineText", F.LineText},
                           {"fingerprint", F.Fingerprint},
                           {"notes", std::move(Notes)},
                           {"fixes", std::move(Fixes)}});
  }
  Array Failures;
  for (const Failure &F : R.Info.Failures)
    Failures.push_back(Object{{"path", F.Path}, {"error", F.Error}});
  Object Doc{{"version", 1},
             {"tool", "threadlint"},
             {"toolVersion", threadlintVersion()},
             {"sourceRoot", R.Root},
             {"checks", Array(R.Checks)},
             {"files", Array(R.Info.Files)},
             {"failures", std::move(Failures)},
             {"findings", std::move(Items)}};
  if (!R.Info.LockEdges.empty())
    Doc["lockEdges"] = lockEdgesToJson(R.Info.LockEdges);
  writeJsonValue(std::move(Doc), OS);
}

bool readJson(const Object &Doc, Report &Into) {
  if (Doc.getInteger("version") != int64_t(1) || !Doc.getArray("findings"))
    return false;
  if (auto Root = Doc.getString("sourceRoot"); Root && Into.Root.empty())
    Into.Root = Root->str();
  if (const Array *Files = Doc.getArray("files"))
    for (const auto &F : *Files)
      if (auto Name = F.getAsString())
        Into.Info.Files.push_back(Name->str());
  if (const Array *Failures = Doc.getArray("failures"))
    for (const auto &F : *Failures)
      if (const Object *FO = F.getAsObject())
        Into.Info.Failures.push_back(
            {FO->getString("path").value_or("").str(),
             FO->getString("error").value_or("").str()});
  readLockEdges(Doc.getArray("lockEdges"), Into.Info);
  if (const Array *C = Doc.getArray("checks"))
    for (const auto &V : *C)
      if (auto N = V.getAsString())
        addCheck(Into.Checks, *N);
  for (const auto &V : *Doc.getArray("findings")) {
    const Object *FO = V.getAsObject();
    if (!FO)
      continue;
    Finding F;
    F.Check = FO->getString("check").value_or("").str();
    F.Level = FO->getString("level").value_or("warning").str();
    F.Message = FO->getString("message").value_or("").str();
    F.LineText = FO->getString("lineText").value_or("").str();
    F.Loc = jsonLocationFrom(FO->getObject("location"));
    if (const Array *Notes = FO->getArray("notes"))
      for (const auto &N : *Notes)
        if (const Object *NO = N.getAsObject())
          F.Notes.push_back({jsonLocationFrom(NO->getObject("location")),
                             NO->getString("message").value_or("").str()});
    if (const Array *Fixes = FO->getArray("fixes"))
      for (const auto &X : *Fixes)
        if (const Object *XO = X.getAsObject()) {
          Replacement R;
          R.Start = jsonLocationFrom(XO->getObject("location"));
          R.Length = XO->getInteger("length").value_or(0);
          R.EndLine = XO->getInteger("endLine").value_or(0);
          R.EndColumn = XO->getInteger("endColumn").value_or(0);
          R.Text = XO->getString("text").value_or("").str();
          F.Fixes.push_back(std::move(R));
        }
    Into.Findings.push_back(std::move(F));
  }
  return true;
}

// --- sarif ---------------------------------------------------------------------

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

// A path as a SARIF artifactLocation: relative to %SRCROOT% when it can be.
Object sarifArtifact(llvm::StringRef Rel) {
  if (llvm::sys::path::is_absolute(Rel))
    return Object{{"uri", ("file://" + Rel).str()}};
  return Object{{"uri", Rel.str()}, {"uriBaseId", "%SRCROOT%"}};
}

// The path of an artifactLocation sarifArtifact wrote.
std::string sarifArtifactPath(const Object *Artifact) {
  std::string Uri =
      Artifact ? Artifact->getString("uri").value_or("").str() : "";
  if (llvm::StringRef(Uri).starts_with("file://"))
    Uri = Uri.substr(7);
  return Uri;
}

Object sarifLocation(const Location &L) {
  Object Region{{"startLine", std::max(L.Line, 1u)},
                {"startColumn", std::max(L.Column, 1u)}};
  return Object{
      {"physicalLocation", Object{{"artifactLocation", sarifArtifact(L.Rel)},
                                  {"region", std::move(Region)}}},
      {"properties", Object{{"offset", L.Offset}}}};
}

Location sarifLocationFrom(const Object *L) {
  Location Out;
  const Object *Phys = L ? L->getObject("physicalLocation") : nullptr;
  if (!Phys)
    return Out;
  Out.Rel = Out.File = sarifArtifactPath(Phys->getObject("artifactLocation"));
  if (const Object *Region = Phys->getObject("region")) {
    Out.Line = Region->getInteger("startLine").value_or(0);
    Out.Column = Region->getInteger("startColumn").value_or(0);
  }
  if (const Object *Props = L->getObject("properties"))
    Out.Offset = Props->getInteger("offset").value_or(0);
  return Out;
}

// The "text" of a SARIF message object O[Key].
std::string sarifText(const Object *O, llvm::StringRef Key) {
  const Object *M = O ? O->getObject(Key) : nullptr;
  return M ? M->getString("text").value_or("").str() : std::string();
}

void writeSarif(const Report &R, llvm::raw_ostream &OS) {
  std::vector<std::string> Rules = R.Checks;
  for (const Finding &F : R.Findings)
    addCheck(Rules, F.Check);
  Array RuleArray;
  for (const std::string &Rule : Rules) {
    std::string Summary = summaryOf(Rule);
    RuleArray.push_back(Object{
        {"id", Rule},
        {"shortDescription", Object{{"text", Summary}}},
        {"fullDescription",
         Object{{"text", Summary + " (see " + helpUri(Rule) + ")"}}},
        {"helpUri", helpUri(Rule)},
        {"defaultConfiguration", Object{{"level", "warning"}}}});
  }
  Array Results;
  for (const Finding &F : R.Findings) {
    Object Result{
        {"ruleId", F.Check},
        {"ruleIndex", int64_t(llvm::find(Rules, F.Check) - Rules.begin())},
        {"level", F.Level},
        {"message", Object{{"text", F.Message}}},
        {"locations", Array{sarifLocation(F.Loc)}},
        {"partialFingerprints",
         Object{{"threadlintFingerprint/v1", F.Fingerprint}}},
        {"properties",
         Object{{"lineText", F.LineText}, {"offset", F.Loc.Offset}}}};
    if (!F.Notes.empty()) {
      Array Related;
      int64_t Id = 0;
      for (const Note &N : F.Notes) {
        Object L = sarifLocation(N.Loc);
        L["id"] = Id++;
        L["message"] = Object{{"text", N.Message}};
        Related.push_back(std::move(L));
      }
      Result["relatedLocations"] = std::move(Related);
    }
    if (!F.Fixes.empty()) {
      // One artifactChange per file, in first-seen order.
      std::vector<std::string> Files;
      std::map<std::string, Array> Changes;
      for (const Replacement &X : F.Fixes) {
        if (!Changes.count(X.Start.Rel))
          Files.push_back(X.Start.Rel);
        Changes[X.Start.Rel].push_back(Object{
            {"deletedRegion",
             Object{{"startLine", std::max(X.Start.Line, 1u)},
                    {"startColumn", std::max(X.Start.Column, 1u)},
                    {"endLine", std::max(X.EndLine, 1u)},
                    {"endColumn", std::max(X.EndColumn, 1u)}}},
            {"insertedContent", Object{{"text", X.Text}}},
            {"properties",
             Object{{"offset", X.Start.Offset}, {"length", X.Length}}}});
      }
      Array ArtifactChanges;
      for (const std::string &File : Files)
        ArtifactChanges.push_back(
            Object{{"artifactLocation", sarifArtifact(File)},
                   {"replacements", std::move(Changes[File])}});
      Result["fixes"] = Array{
          Object{{"description", Object{{"text", "threadlint fix-it"}}},
                 {"artifactChanges", std::move(ArtifactChanges)}}};
    }
    Results.push_back(std::move(Result));
  }
  // The analysed translation units, and the ones that could not be.
  Array Artifacts, Notifications;
  for (const std::string &File : R.Info.Files)
    Artifacts.push_back(Object{{"location", sarifArtifact(File)},
                               {"roles", Array{"analysisTarget"}}});
  for (const Failure &F : R.Info.Failures)
    Notifications.push_back(Object{
        {"level", "error"},
        {"message", Object{{"text", F.Error}}},
        {"locations",
         Array{Object{{"physicalLocation",
                       Object{{"artifactLocation", sarifArtifact(F.Path)}}}}}}});
  Object Invocation{{"executionSuccessful", R.Info.Failures.empty()}};
  if (!Notifications.empty())
    Invocation["toolExecutionNotifications"] = std::move(Notifications);
  std::string RootUri = "file://" + R.Root;
  if (!llvm::StringRef(RootUri).ends_with("/"))
    RootUri += "/";
  Object Run{
      {"tool",
       Object{{"driver",
               Object{{"name", "threadlint"},
                      {"version", threadlintVersion()},
                      {"semanticVersion", threadlintVersion()},
                      {"informationUri", THREADLINT_DOC_BASE "README.md"},
                      // What `threadlint --version` says besides.
                      {"properties", Object{{"gitRevision", gitRevision()},
                                            {"llvmVersion", llvmVersion()}}},
                      {"rules", std::move(RuleArray)}}}}},
      {"originalUriBaseIds",
       Object{{"%SRCROOT%", Object{{"uri", RootUri}}}}},
      {"invocations", Array{std::move(Invocation)}},
      {"artifacts", std::move(Artifacts)},
      {"results", std::move(Results)}};
  // The lock-order edges, for `merge` (a property bag: SARIF has no place
  // of its own for them).
  if (!R.Info.LockEdges.empty())
    Run["properties"] =
        Object{{"threadlintLockEdges", lockEdgesToJson(R.Info.LockEdges)}};
  writeJsonValue(Object{{"$schema", "https://json.schemastore.org/sarif-2.1.0.json"},
                        {"version", "2.1.0"},
                        {"runs", Array{std::move(Run)}}},
                 OS);
}

void readSarifRun(const Object &Run, Report &Into) {
  if (const Object *Tool = Run.getObject("tool"))
    if (const Object *Driver = Tool->getObject("driver"))
      if (const Array *Rules = Driver->getArray("rules"))
        for (const auto &Rule : *Rules)
          if (const Object *RO = Rule.getAsObject())
            if (auto Id = RO->getString("id"))
              addCheck(Into.Checks, *Id);
  if (const Object *Bases = Run.getObject("originalUriBaseIds"))
    if (const Object *Src = Bases->getObject("%SRCROOT%"))
      if (Into.Root.empty()) {
        llvm::StringRef Root = Src->getString("uri").value_or("");
        Root.consume_front("file://");
        if (Root.size() > 1)
          Root = Root.rtrim('/');
        Into.Root = Root.str();
      }
  if (const Object *Props = Run.getObject("properties"))
    readLockEdges(Props->getArray("threadlintLockEdges"), Into.Info);
  if (const Array *Artifacts = Run.getArray("artifacts"))
    for (const auto &A : *Artifacts)
      if (const Object *AO = A.getAsObject())
        Into.Info.Files.push_back(sarifArtifactPath(AO->getObject("location")));
  if (const Array *Invocations = Run.getArray("invocations"))
    for (const auto &I : *Invocations)
      if (const Object *IO = I.getAsObject())
        if (const Array *Notes = IO->getArray("toolExecutionNotifications"))
          for (const auto &N : *Notes)
            if (const Object *NO = N.getAsObject()) {
              const Array *Locs = NO->getArray("locations");
              Location L = sarifLocationFrom(
                  Locs && !Locs->empty() ? (*Locs)[0].getAsObject() : nullptr);
              Into.Info.Failures.push_back({L.Rel, sarifText(NO, "message")});
            }
  const Array *Results = Run.getArray("results");
  if (!Results)
    return;
  for (const auto &V : *Results) {
    const Object *RO = V.getAsObject();
    if (!RO)
      continue;
    Finding F;
    F.Check = RO->getString("ruleId").value_or("").str();
    F.Level = RO->getString("level").value_or("warning").str();
    F.Message = sarifText(RO, "message");
    if (const Array *Locs = RO->getArray("locations"); Locs && !Locs->empty())
      F.Loc = sarifLocationFrom((*Locs)[0].getAsObject());
    if (const Object *Props = RO->getObject("properties")) {
      F.LineText = Props->getString("lineText").value_or("").str();
      F.Loc.Offset = Props->getInteger("offset").value_or(0);
    }
    if (const Array *Related = RO->getArray("relatedLocations"))
      for (const auto &N : *Related)
        if (const Object *NO = N.getAsObject())
          F.Notes.push_back({sarifLocationFrom(NO), sarifText(NO, "message")});
    if (const Array *Fixes = RO->getArray("fixes"))
      for (const auto &X : *Fixes)
        if (const Object *XO = X.getAsObject())
          if (const Array *Changes = XO->getArray("artifactChanges"))
            for (const auto &C : *Changes)
              if (const Object *CO = C.getAsObject())
                if (const Array *Reps = CO->getArray("replacements"))
                  for (const auto &Rep : *Reps) {
                    const Object *P = Rep.getAsObject();
                    const Object *Del =
                        P ? P->getObject("deletedRegion") : nullptr;
                    if (!Del)
                      continue;
                    Replacement R;
                    R.Start.Rel = R.Start.File =
                        sarifArtifactPath(CO->getObject("artifactLocation"));
                    R.Start.Line = Del->getInteger("startLine").value_or(0);
                    R.Start.Column =
                        Del->getInteger("startColumn").value_or(0);
                    R.EndLine = Del->getInteger("endLine").value_or(0);
                    R.EndColumn = Del->getInteger("endColumn").value_or(0);
                    if (const Object *Props = P->getObject("properties")) {
                      R.Start.Offset = Props->getInteger("offset").value_or(0);
                      R.Length = Props->getInteger("length").value_or(0);
                    }
                    R.Text = sarifText(P, "insertedContent");
                    F.Fixes.push_back(std::move(R));
                  }
    Into.Findings.push_back(std::move(F));
  }
}

bool readSarif(const Object &Doc, Report &Into) {
  if (Doc.getString("version") != llvm::StringRef("2.1.0") ||
      !Doc.getArray("runs"))
    return false;
  for (const auto &Run : *Doc.getArray("runs"))
    if (const Object *RunObj = Run.getAsObject())
      readSarifRun(*RunObj, Into);
  return true;
}

// --- codeclimate ---------------------------------------------------------------

void writeCodeClimate(const Report &R, llvm::raw_ostream &OS) {
  Array Items;
  for (const Finding &F : R.Findings)
    Items.push_back(Object{
        {"type", "issue"},
        {"description", F.Message},
        {"check_name", F.Check},
        {"categories", Array{"Bug Risk"}},
        {"fingerprint", F.Fingerprint},
        {"severity", F.Level == "error" ? "critical" : "major"},
        {"location",
         Object{{"path", F.Loc.Rel},
                {"lines", Object{{"begin", std::max(F.Loc.Line, 1u)}}}}}});
  writeJsonValue(std::move(Items), OS);
}

} // namespace

llvm::ArrayRef<ReportFormat> reportFormats() {
  static const ReportFormat Formats[] = {
      {"text", writeText, nullptr},
      {"json", writeJson, readJson},
      {"sarif", writeSarif, readSarif},
      {"codeclimate", writeCodeClimate, nullptr},
  };
  return Formats;
}

const ReportFormat *findReportFormat(llvm::StringRef Name) {
  for (const ReportFormat &F : reportFormats())
    if (F.Name == Name)
      return &F;
  return nullptr;
}

std::vector<llvm::StringRef> reportFormatNames() {
  std::vector<llvm::StringRef> Names;
  for (const ReportFormat &F : reportFormats())
    Names.push_back(F.Name);
  return Names;
}

llvm::StringRef reportFormatList() {
  static const std::string List = [] {
    std::string Out;
    llvm::ArrayRef<ReportFormat> Formats = reportFormats();
    for (size_t I = 0; I < Formats.size(); ++I) {
      if (I)
        Out += I + 1 == Formats.size() ? " or " : ", ";
      Out += Formats[I].Name.str();
      if (I == 0)
        Out += " (default)";
    }
    return Out;
  }();
  return List;
}

bool writeReport(const ReportFormat &Format, const Report &R,
                 llvm::StringRef OutputFile) {
  if (Format.Name == "text" || OutputFile.empty()) {
    Format.Write(R, llvm::outs());
    return true;
  }
  std::error_code EC;
  llvm::raw_fd_ostream File(OutputFile, EC, llvm::sys::fs::OF_Text);
  if (EC) {
    llvm::errs() << "error: cannot write '" << OutputFile
                 << "': " << EC.message() << "\n";
    return false;
  }
  Format.Write(R, File);
  return true;
}

bool readReport(llvm::StringRef Path, Report &Into) {
  auto Buffer = llvm::MemoryBuffer::getFile(Path);
  if (!Buffer) {
    llvm::errs() << "error: cannot read '" << Path
                 << "': " << Buffer.getError().message() << "\n";
    return false;
  }
  llvm::Expected<llvm::json::Value> Parsed =
      llvm::json::parse((*Buffer)->getBuffer());
  if (!Parsed)
    llvm::consumeError(Parsed.takeError());
  else if (const Object *Doc = Parsed->getAsObject())
    for (const ReportFormat &F : reportFormats())
      if (F.Read && F.Read(*Doc, Into))
        return true;
  llvm::errs() << "error: '" << Path
               << "' is neither a threadlint JSON report (version 1) nor "
                  "SARIF 2.1.0\n";
  return false;
}

} // namespace threadlint
