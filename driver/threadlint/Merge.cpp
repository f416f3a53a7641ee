//===--- Merge.cpp - sharded runs: --shard and `threadlint merge` ---------===//
#include "threadlint/Merge.h"
#include "threadlint/Baseline.h"
#include "threadlint/Project.h"
#include "threadlint/Reports.h"
#include "threadlint/Version.h"
#include "clang-tidy/ClangTidyDiagnosticConsumer.h"
#include "llvm/Support/raw_ostream.h"
#include <chrono>

using clang::tidy::ClangTidyError;
using clang::tidy::threadlint::LockOrderEdge;
using clang::tidy::threadlint::LockSite;

namespace threadlint {
namespace {

const char MergeUsage[] =
    "usage: threadlint merge [--format text|json|sarif|codeclimate] "
    "[--output FILE] [--baseline FILE] [--parse-errors fail|ignore] "
    "[--quiet] REPORT.json|REPORT.sarif...\n"
    "       threadlint merge --help | --version\n";

// The options of `merge`, apart from those of the main command.
struct MergeOptions {
  std::string Format = "text";
  std::string OutputFile;
  std::string BaselineFile;
  std::string ParseErrors = "fail";
  bool Quiet = false;
  std::vector<std::string> Inputs;
};

enum class ParseResult { Run, Exit, Error };

// Each option as --name VALUE or --name=VALUE, with one or two dashes.
ParseResult parseMergeArgs(llvm::ArrayRef<const char *> Args,
                           MergeOptions &Opts) {
  for (size_t I = 0; I < Args.size(); ++I) {
    llvm::StringRef A = Args[I];
    if (!A.starts_with("-")) {
      Opts.Inputs.push_back(A.str());
      continue;
    }
    llvm::StringRef Name = A;
    if (!Name.consume_front("--"))
      Name.consume_front("-");
    std::pair<llvm::StringRef, llvm::StringRef> KeyValue = Name.split('=');
    llvm::StringRef Key = KeyValue.first, Value = KeyValue.second;
    bool HasValue = Name.contains('=');
    auto TakeValue = [&](std::string &Into) {
      if (HasValue) {
        Into = Value.str();
        return true;
      }
      if (I + 1 < Args.size()) {
        Into = Args[++I];
        return true;
      }
      llvm::errs() << "error: threadlint merge: '" << A
                   << "' needs a value\n"
                   << MergeUsage;
      return false;
    };
    bool Ok = true;
    if (Key == "format")
      Ok = TakeValue(Opts.Format);
    else if (Key == "output")
      Ok = TakeValue(Opts.OutputFile);
    else if (Key == "baseline")
      Ok = TakeValue(Opts.BaselineFile);
    else if (Key == "parse-errors")
      Ok = TakeValue(Opts.ParseErrors);
    else if (Key == "quiet" && !HasValue)
      Opts.Quiet = true;
    else if ((Key == "help" || Key == "h") && !HasValue) {
      llvm::outs() << MergeUsage;
      return ParseResult::Exit;
    } else if (Key == "version" && !HasValue) {
      printVersion(llvm::outs());
      return ParseResult::Exit;
    } else {
      llvm::errs() << "error: threadlint merge: unknown option '" << A
                   << "'\n"
                   << MergeUsage;
      return ParseResult::Error;
    }
    if (!Ok)
      return ParseResult::Error;
  }
  return ParseResult::Run;
}

// The findings of the lock-order cycles that span reports (those within one
// report were reported by its run).
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
    auto At = [&](const clang::tooling::DiagnosticMessage &M) {
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
    F.Level = levelOf(E);
    F.Message = E.Message.Message;
    F.Loc = At(E.Message);
    F.LineText =
        Reported[static_cast<size_t>(C.Edges[C.Closing] - Edges.data())]
            .TakenLine;
    for (const clang::tooling::DiagnosticMessage &N : E.Notes)
      F.Notes.push_back({At(N), N.Message});
    Out.push_back(std::move(F));
  }
}

} // namespace

bool applyShard(llvm::StringRef Spec, std::vector<std::string> &Files) {
  if (Spec.empty())
    return true;
  auto [KText, NText] = Spec.split('/');
  unsigned K = 0, N = 0;
  if (KText.getAsInteger(10, K) || NText.getAsInteger(10, N) || N == 0 ||
      K == 0 || K > N) {
    llvm::errs() << "error: --shard wants K/N with 1 <= K <= N, not '" << Spec
                 << "'\n";
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

int runMerge(llvm::ArrayRef<const char *> Args) {
  MergeOptions Opts;
  switch (parseMergeArgs(Args, Opts)) {
  case ParseResult::Run:
    break;
  case ParseResult::Exit:
    return 0;
  case ParseResult::Error:
    return 2;
  }
  if (!validChoice("format", Opts.Format, reportFormatNames()) ||
      !validChoice("parse-errors", Opts.ParseErrors, {"fail", "ignore"}))
    return 2;
  if (Opts.Inputs.empty()) {
    llvm::errs() << "error: threadlint merge: no reports given\n";
    return 2;
  }
  auto Start = std::chrono::steady_clock::now();
  Report R;
  std::vector<size_t> ShardOf; // the input each lock edge came from
  for (size_t I = 0; I < Opts.Inputs.size(); ++I) {
    if (!readReport(Opts.Inputs[I], R))
      return 2;
    ShardOf.resize(R.Info.LockEdges.size(), I);
  }
  if (llvm::is_contained(R.Checks, LockOrderCheck))
    addCrossShardCycles(R.Info.LockEdges, ShardOf, R.Findings);
  R.Info.normalize();
  finalizeFindings(R.Findings);
  Suppressed S;
  if (!Opts.BaselineFile.empty() &&
      !applyBaseline(Opts.BaselineFile, R.Findings, S.InBaseline))
    return 2;
  if (!writeReport(*findReportFormat(Opts.Format), R, Opts.OutputFile))
    return 2;
  if (!Opts.Quiet)
    printSummary(R.Info, R.Findings, 0, S,
                 std::chrono::duration<double>(
                     std::chrono::steady_clock::now() - Start)
                     .count());
  return exitCode(/*CiMode=*/true,
                  Opts.ParseErrors == "fail" && !R.Info.Failures.empty(),
                  R.Findings, 0);
}

} // namespace threadlint
