//===--- ReportsTest.cpp - report formats, fingerprints -------------------===//
//
// Each readable format reads back what it writes: write, read, write again
// gives the same text, and the findings, checks, files, failures and lock
// edges survive. finalizeFindings keeps one finding per place.
//
//===----------------------------------------------------------------------===//
#include "threadlint/Baseline.h"
#include "threadlint/Reports.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/raw_ostream.h"
#include "gtest/gtest.h"

using namespace threadlint;
using clang::tidy::threadlint::LockOrderEdge;

namespace {

Location at(llvm::StringRef Rel, unsigned Line, unsigned Column,
            unsigned Offset) {
  Location L;
  L.File = L.Rel = Rel.str();
  L.Line = Line;
  L.Column = Column;
  L.Offset = Offset;
  return L;
}

// A report with a bit of everything the formats carry.
Report sample() {
  Report R;
  R.Root = "/src/project";
  R.Checks = {"threadlint-lock-order-inversion",
              "threadlint-loop-variable-capture",
              "clang-diagnostic-unused-variable"};
  Finding Capture;
  Capture.Check = "threadlint-loop-variable-capture";
  Capture.Level = "warning";
  Capture.Message = "loop variable 'i' is captured by reference";
  Capture.LineText = "workers.emplace_back([&] { use(i); });";
  Capture.Loc = at("src/a.cpp", 30, 36, 812);
  Capture.Notes.push_back({at("src/a.cpp", 29, 12, 770), "the loop is here"});
  Replacement Fix;
  Fix.Start = at("src/a.cpp", 30, 27, 803);
  Fix.Length = 1;
  Fix.EndLine = 30;
  Fix.EndColumn = 28;
  Fix.Text = "&, i";
  Capture.Fixes.push_back(Fix);
  Replacement Other = Fix;
  Other.Start = at("include/b.h", 3, 1, 40);
  Other.Text = "";
  Capture.Fixes.push_back(Other);
  R.Findings.push_back(Capture);
  Finding Outside;
  Outside.Check = "clang-diagnostic-unused-variable";
  Outside.Level = "error";
  Outside.Message = "unused variable 'x'";
  Outside.LineText = "int x;";
  Outside.Loc = at("/usr/include/outside.h", 7, 5, 99);
  R.Findings.push_back(Outside);
  finalizeFindings(R.Findings);
  R.Info.Files = {"src/a.cpp", "src/c.cpp"};
  R.Info.Failures = {{"src/c.cpp", "src/c.cpp:1:10: error: 'x.h' not found"}};
  ReportedEdge E;
  E.Edge.From = "::a";
  E.Edge.To = "::b";
  E.Edge.FromName = "a";
  E.Edge.ToName = "b";
  E.Edge.Held = {"src/a.cpp", 100, 5, 3};
  E.Edge.Taken = {"src/a.cpp", 120, 6, 3};
  E.Edge.Function = "f";
  E.Edge.Unit = "src/a.cpp";
  E.TakenLine = "std::lock_guard g(b);";
  R.Info.LockEdges.push_back(E);
  return R;
}

std::string write(llvm::StringRef Format, const Report &R) {
  const ReportFormat *F = findReportFormat(Format);
  EXPECT_NE(F, nullptr);
  std::string Text;
  llvm::raw_string_ostream OS(Text);
  F->Write(R, OS);
  return Text;
}

Report read(llvm::StringRef Format, llvm::StringRef Text) {
  const ReportFormat *F = findReportFormat(Format);
  Report R;
  llvm::Expected<llvm::json::Value> Doc = llvm::json::parse(Text);
  if (!Doc) {
    ADD_FAILURE() << llvm::toString(Doc.takeError());
    return R;
  }
  EXPECT_TRUE(F && F->Read && Doc->getAsObject() &&
              F->Read(*Doc->getAsObject(), R));
  return R;
}

void expectSameFindings(const std::vector<Finding> &A,
                        const std::vector<Finding> &B) {
  ASSERT_EQ(A.size(), B.size());
  for (size_t I = 0; I < A.size(); ++I) {
    EXPECT_EQ(A[I].Check, B[I].Check);
    EXPECT_EQ(A[I].Level, B[I].Level);
    EXPECT_EQ(A[I].Message, B[I].Message);
    EXPECT_EQ(A[I].LineText, B[I].LineText);
    EXPECT_EQ(A[I].Loc.Rel, B[I].Loc.Rel);
    EXPECT_EQ(A[I].Loc.Line, B[I].Loc.Line);
    EXPECT_EQ(A[I].Loc.Column, B[I].Loc.Column);
    EXPECT_EQ(A[I].Loc.Offset, B[I].Loc.Offset);
    ASSERT_EQ(A[I].Notes.size(), B[I].Notes.size());
    for (size_t N = 0; N < A[I].Notes.size(); ++N) {
      EXPECT_EQ(A[I].Notes[N].Message, B[I].Notes[N].Message);
      EXPECT_EQ(A[I].Notes[N].Loc.Rel, B[I].Notes[N].Loc.Rel);
      EXPECT_EQ(A[I].Notes[N].Loc.Offset, B[I].Notes[N].Loc.Offset);
    }
    ASSERT_EQ(A[I].Fixes.size(), B[I].Fixes.size());
    for (size_t X = 0; X < A[I].Fixes.size(); ++X) {
      EXPECT_EQ(A[I].Fixes[X].Start.Rel, B[I].Fixes[X].Start.Rel);
      EXPECT_EQ(A[I].Fixes[X].Start.Offset, B[I].Fixes[X].Start.Offset);
      EXPECT_EQ(A[I].Fixes[X].Length, B[I].Fixes[X].Length);
      EXPECT_EQ(A[I].Fixes[X].EndColumn, B[I].Fixes[X].EndColumn);
      EXPECT_EQ(A[I].Fixes[X].Text, B[I].Fixes[X].Text);
    }
  }
}

void expectRoundTrip(llvm::StringRef Format) {
  SCOPED_TRACE(Format.str());
  Report Original = sample();
  std::string Written = write(Format, Original);
  Report Back = read(Format, Written);
  EXPECT_EQ(Back.Root, Original.Root);
  EXPECT_EQ(Back.Checks, Original.Checks);
  EXPECT_EQ(Back.Info.Files, Original.Info.Files);
  EXPECT_EQ(Back.Info.Failures, Original.Info.Failures);
  ASSERT_EQ(Back.Info.LockEdges.size(), 1u);
  EXPECT_EQ(Back.Info.LockEdges[0].Edge.From, "::a");
  EXPECT_EQ(Back.Info.LockEdges[0].Edge.Taken.Offset, 120u);
  EXPECT_EQ(Back.Info.LockEdges[0].TakenLine, "std::lock_guard g(b);");
  expectSameFindings(Back.Findings, Original.Findings);
  // Fingerprints are recomputed (merge finalizes what it read) to the same.
  std::vector<Finding> Refingerprinted = Back.Findings;
  finalizeFindings(Refingerprinted);
  ASSERT_EQ(Refingerprinted.size(), Original.Findings.size());
  for (size_t I = 0; I < Refingerprinted.size(); ++I)
    EXPECT_EQ(Refingerprinted[I].Fingerprint, Original.Findings[I].Fingerprint);
  // What is read back writes the same report.
  Back.Findings = Refingerprinted;
  EXPECT_EQ(write(Format, Back), Written);
}

TEST(Reports, JsonRoundTrip) { expectRoundTrip("json"); }

TEST(Reports, SarifRoundTrip) { expectRoundTrip("sarif"); }

TEST(Reports, EveryFormatIsListedAndWrites) {
  std::vector<llvm::StringRef> Names = reportFormatNames();
  ASSERT_FALSE(Names.empty());
  EXPECT_EQ(Names.front(), "text");
  for (llvm::StringRef Name : Names)
    EXPECT_FALSE(write(Name, sample()).empty()) << Name.str();
  EXPECT_EQ(findReportFormat("xml"), nullptr);
  EXPECT_EQ(reportFormatList(), "text (default), json, sarif or codeclimate");
}

TEST(Reports, ReadersRejectTheOtherSchema) {
  Report Into;
  std::string Sarif = write("sarif", sample());
  std::string Json = write("json", sample());
  auto Obj = [](const std::string &Text) {
    llvm::Expected<llvm::json::Value> V = llvm::json::parse(Text);
    EXPECT_TRUE(bool(V));
    return std::move(*V);
  };
  llvm::json::Value SarifDoc = Obj(Sarif), JsonDoc = Obj(Json);
  EXPECT_FALSE(findReportFormat("json")->Read(*SarifDoc.getAsObject(), Into));
  EXPECT_FALSE(findReportFormat("sarif")->Read(*JsonDoc.getAsObject(), Into));
  EXPECT_TRUE(Into.Findings.empty());
}

TEST(Fingerprints, OneFindingPerPlaceTheFirstToArrive) {
  Finding A;
  A.Check = "c";
  A.Message = "m";
  A.Loc = at("h.h", 2, 1, 10);
  A.Notes.push_back({at("a.cpp", 1, 1, 0), "from a.cpp"});
  Finding B = A;
  B.Notes[0].Message = "from b.cpp";
  Finding Earlier = A;
  Earlier.Loc = at("h.h", 1, 1, 0);
  std::vector<Finding> Findings = {A, B, Earlier};
  finalizeFindings(Findings);
  ASSERT_EQ(Findings.size(), 2u);
  EXPECT_EQ(Findings[0].Loc.Offset, 0u);
  EXPECT_EQ(Findings[1].Notes[0].Message, "from a.cpp");
  // Identical lines get distinct fingerprints (the occurrence index).
  EXPECT_NE(Findings[0].Fingerprint, Findings[1].Fingerprint);
  EXPECT_EQ(Findings[0].Fingerprint.size(), 16u);
}

} // namespace
