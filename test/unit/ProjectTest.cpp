//===--- ProjectTest.cpp - the pieces of whole-project runs ---------------===//
#include "threadlint/Project.h"
#include "clang/Tooling/JSONCompilationDatabase.h"
#include "gtest/gtest.h"

using namespace threadlint;
using clang::tidy::ClangTidyError;
using clang::tidy::threadlint::LockOrderEdge;

namespace {

// --- one analysis per distinct compile command -----------------------------

std::unique_ptr<clang::tooling::CompilationDatabase>
database(llvm::StringRef Json) {
  std::string Error;
  auto DB = clang::tooling::JSONCompilationDatabase::loadFromBuffer(
      Json, Error, clang::tooling::JSONCommandLineSyntax::Gnu);
  EXPECT_TRUE(DB) << Error;
  return DB;
}

TEST(DistinctCommands, CommandsThatDifferOnlyInOutputsAreOne) {
  // leveldb builds util/testutil.cc into every test target this way.
  auto DB = database(R"([
    {"directory": "/b", "file": "/s/t.cc",
     "command": "c++ -DX -o a/t.o -MF a/t.d -MT a/t.o -c /s/t.cc"},
    {"directory": "/b", "file": "/s/t.cc",
     "command": "c++ -DX -ob/t.o -MFb/t.d -c /s/t.cc"}])");
  DistinctCommandsDatabase Distinct(*DB);
  EXPECT_EQ(DB->getCompileCommands("/s/t.cc").size(), 2u);
  EXPECT_EQ(Distinct.getCompileCommands("/s/t.cc").size(), 1u);
}

TEST(DistinctCommands, OtherFlagsOrDirectoriesStayApart) {
  auto DB = database(R"([
    {"directory": "/b", "file": "/s/t.cc", "command": "c++ -DX -c /s/t.cc"},
    {"directory": "/b", "file": "/s/t.cc", "command": "c++ -DY -c /s/t.cc"},
    {"directory": "/c", "file": "/s/t.cc", "command": "c++ -DX -c /s/t.cc"}])");
  DistinctCommandsDatabase Distinct(*DB);
  EXPECT_EQ(Distinct.getCompileCommands("/s/t.cc").size(), 3u);
}

// --- changed lines from git diff -U0 ----------------------------------------

TEST(ChangedLines, HunksOfTheNewFile) {
  ChangedLines Lines;
  Lines.addDiff("diff --git a/src/a.cc b/src/a.cc\n"
                "--- a/src/a.cc\n"
                "+++ b/src/a.cc\n"
                "@@ -3,0 +4,2 @@ void f() {\n"
                "+added\n+added\n"
                "@@ -10 +12 @@\n"
                "-old\n+new\n"
                "@@ -20,3 +21,0 @@\n"
                "-gone\n-gone\n-gone\n",
                "/repo");
  EXPECT_FALSE(Lines.contains("/repo/src/a.cc", 3));
  EXPECT_TRUE(Lines.contains("/repo/src/a.cc", 4));
  EXPECT_TRUE(Lines.contains("/repo/src/a.cc", 5));
  EXPECT_FALSE(Lines.contains("/repo/src/a.cc", 6));
  EXPECT_TRUE(Lines.contains("/repo/src/a.cc", 12)); // "+12": one line
  // A deletion (",0") adds no line.
  EXPECT_FALSE(Lines.contains("/repo/src/a.cc", 21));
  EXPECT_FALSE(Lines.contains("/repo/src/b.cc", 4));
}

TEST(ChangedLines, DeletedFilesAndContentLinesAreNotFiles) {
  ChangedLines Lines;
  Lines.addDiff("--- a/gone.cc\n"
                "+++ /dev/null\n"
                "@@ -1,2 +0,0 @@\n"
                "--- a line of content that looks like a header\n"
                "+++ b/new.cc\n"
                "@@ -0,0 +1 @@\n"
                "+int x;\n",
                "/repo");
  EXPECT_EQ(Lines.files(), 1u);
  EXPECT_TRUE(Lines.contains("/repo/new.cc", 1));
  EXPECT_FALSE(Lines.contains("/repo/gone.cc", 1));
}

TEST(ChangedLines, ContentThatLooksLikeAHeaderIsContent) {
  // The added line "++ b/other.cc" shows as "+++ b/other.cc"; the removed
  // line "-- a/x" as "--- a/x". Neither starts a file.
  ChangedLines Lines;
  Lines.addDiff("--- a/a.cc\n"
                "+++ b/a.cc\n"
                "@@ -2 +2,2 @@\n"
                "--- a/x\n"
                "+++ b/other.cc\n"
                "+int y;\n"
                "@@ -9,0 +10 @@\n"
                "+int z;\n",
                "/repo");
  EXPECT_EQ(Lines.files(), 1u);
  EXPECT_TRUE(Lines.contains("/repo/a.cc", 3));
  EXPECT_TRUE(Lines.contains("/repo/a.cc", 10));
  EXPECT_FALSE(Lines.contains("/repo/other.cc", 1));
}

// --- --include / --exclude ---------------------------------------------------

TEST(PathFilter, DirectoriesCoverWhatIsUnderThem) {
  PathFilter Filter;
  std::string Error;
  ASSERT_TRUE(Filter.add("third_party", /*Include=*/false, Error));
  EXPECT_FALSE(Filter.accepts("third_party/x/y.h", "/r/third_party/x/y.h"));
  EXPECT_TRUE(Filter.accepts("src/third_party.cc", "/r/src/third_party.cc"));
}

TEST(PathFilter, IncludesThenExcludes) {
  PathFilter Filter;
  std::string Error;
  ASSERT_TRUE(Filter.add("src/*.cc", /*Include=*/true, Error));
  ASSERT_TRUE(Filter.add("src/gen_*", /*Include=*/false, Error));
  EXPECT_TRUE(Filter.accepts("src/a.cc", "/r/src/a.cc"));
  EXPECT_TRUE(Filter.accepts("src/deep/a.cc", "/r/src/deep/a.cc")); // * spans '/'
  EXPECT_FALSE(Filter.accepts("src/gen_a.cc", "/r/src/gen_a.cc"));
  EXPECT_FALSE(Filter.accepts("test/a.cc", "/r/test/a.cc"));
  // Absolute patterns match absolute paths.
  PathFilter Abs;
  ASSERT_TRUE(Abs.add("/r/test", /*Include=*/false, Error));
  EXPECT_FALSE(Abs.accepts("test/a.cc", "/r/test/a.cc"));
}

TEST(PathFilter, BadPatternIsAnError) {
  PathFilter Filter;
  std::string Error;
  EXPECT_FALSE(Filter.add("[", /*Include=*/true, Error));
  EXPECT_NE(Error.find("'['"), std::string::npos);
}

// --- the worker protocol -----------------------------------------------------

TEST(WorkerProtocol, ResultsSurviveTheRoundTrip) {
  TuResult R;
  R.File = "/s/a.cc";
  R.Seconds = 1.5;
  ClangTidyError E("threadlint-loop-variable-capture", ClangTidyError::Error,
                   "/b", /*IsWarningAsError=*/true);
  E.Message.Message = "loop variable 'i'";
  E.Message.FilePath = "/s/a.cc";
  E.Message.FileOffset = 42;
  ASSERT_FALSE(bool(E.Message.Fix["/s/a.cc"].add(
      clang::tooling::Replacement("/s/a.cc", 40, 0, ", i"))));
  clang::tooling::DiagnosticMessage Note("started here");
  Note.FilePath = "/s/a.cc";
  Note.FileOffset = 7;
  E.Notes.push_back(Note);
  R.Errors.push_back(E);
  R.Inputs.emplace_back("/s/a.cc", "00112233aabbccdd");

  std::string Text;
  llvm::raw_string_ostream(Text) << tuResultToJson(R);
  TuResult Back;
  ASSERT_TRUE(tuResultFromJson(Text, Back));
  EXPECT_EQ(Back.File, "/s/a.cc");
  EXPECT_DOUBLE_EQ(Back.Seconds, 1.5);
  ASSERT_EQ(Back.Errors.size(), 1u);
  const ClangTidyError &B = Back.Errors[0];
  EXPECT_EQ(B.DiagnosticName, "threadlint-loop-variable-capture");
  EXPECT_EQ(B.DiagLevel, ClangTidyError::Error);
  EXPECT_TRUE(B.IsWarningAsError);
  EXPECT_EQ(B.BuildDirectory, "/b");
  EXPECT_EQ(B.Message.FileOffset, 42u);
  ASSERT_EQ(B.Notes.size(), 1u);
  EXPECT_EQ(B.Notes[0].Message, "started here");
  ASSERT_EQ(B.Message.Fix.lookup("/s/a.cc").size(), 1u);
  EXPECT_EQ(B.Message.Fix.lookup("/s/a.cc").begin()->getReplacementText(),
            ", i");
  ASSERT_EQ(Back.Inputs.size(), 1u);
  EXPECT_EQ(Back.Inputs[0].second, "00112233aabbccdd");
}

TEST(WorkerProtocol, OtherJsonIsRejected) {
  TuResult R;
  EXPECT_FALSE(tuResultFromJson("{\"version\": 1, \"findings\": []}", R));
  EXPECT_FALSE(tuResultFromJson("not json", R));
}

TEST(WorkerProtocol, LockEdgesSurviveAndMayBeAbsent) {
  TuResult R;
  R.File = "/s/a.cc";
  R.Inputs.emplace_back("/s/a.cc", "00112233aabbccdd");
  LockOrderEdge E;
  E.From = "::mu_a";
  E.To = "::mu_b";
  E.FromName = "mu_a";
  E.ToName = "mu_b";
  E.Held = {"/s/a.cc", 10, 2, 3};
  E.Taken = {"/s/a.cc", 30, 3, 3};
  E.Function = "work";
  E.Unit = "/s/a.cc";
  R.LockEdges.push_back(E);
  std::string Text;
  llvm::raw_string_ostream(Text) << tuResultToJson(R);
  TuResult Back;
  ASSERT_TRUE(tuResultFromJson(Text, Back));
  ASSERT_EQ(Back.LockEdges.size(), 1u);
  EXPECT_EQ(Back.LockEdges[0].To, "::mu_b");
  EXPECT_EQ(Back.LockEdges[0].Taken.Offset, 30u);
  EXPECT_EQ(Back.LockEdges[0].Unit, "/s/a.cc");

  // A cache entry written before edges were exported.
  TuResult Old;
  ASSERT_TRUE(tuResultFromJson(R"({"threadlintWorker": 1, "file": "/s/a.cc",
      "errors": [], "inputs": [["/s/a.cc", "00112233aabbccdd"]]})",
                               Old));
  EXPECT_TRUE(Old.LockEdges.empty());
}

// --- lock-order cycles across translation units ------------------------------

// "In Unit, While holding From (line HeldLine), took To (line TakenLine)";
// sites in the unit's own file.
LockOrderEdge edge(llvm::StringRef From, llvm::StringRef To,
                   llvm::StringRef Unit, unsigned HeldLine = 5,
                   unsigned TakenLine = 6) {
  LockOrderEdge E;
  E.From = ("::" + From).str();
  E.To = ("::" + To).str();
  E.FromName = From.str();
  E.ToName = To.str();
  E.Unit = ("/s/" + Unit).str();
  E.Held = {E.Unit, HeldLine * 10, HeldLine, 3};
  E.Taken = {E.Unit, TakenLine * 10, TakenLine, 3};
  E.Function = "work";
  return E;
}

std::vector<std::string> unitsOf(const LockCycle &C) {
  std::vector<std::string> Units;
  Units.reserve(C.Edges.size());
  for (const LockOrderEdge *E : C.Edges)
    Units.push_back(E->Unit);
  return Units;
}

TEST(CrossUnitLockCycles, OppositeOrdersInTwoUnitsAreOneFinding) {
  std::vector<LockOrderEdge> Edges{edge("mu_b", "mu_a", "b.cpp"),
                                   edge("mu_a", "mu_b", "a.cpp"),
                                   edge("mu_a", "mu_c", "a.cpp")};
  std::vector<LockCycle> Cycles = crossUnitLockCycles(Edges);
  ASSERT_EQ(Cycles.size(), 1u);
  const LockCycle &C = Cycles[0];
  EXPECT_EQ(unitsOf(C), (std::vector<std::string>{"/s/a.cpp", "/s/b.cpp"}));
  // The warning goes where the last file takes its lock: b.cpp.
  EXPECT_EQ(C.Closing, 1u);

  ClangTidyError Err = lockCycleError(C, /*AsError=*/false);
  EXPECT_EQ(Err.DiagnosticName, "threadlint-lock-order-inversion");
  EXPECT_EQ(Err.DiagLevel, ClangTidyError::Warning);
  EXPECT_FALSE(Err.IsWarningAsError);
  EXPECT_EQ(Err.Message.FilePath, "/s/b.cpp");
  EXPECT_EQ(Err.Message.FileOffset, 60u);
  EXPECT_EQ(Err.Message.Message,
            "'mu_a' acquired while holding 'mu_b', the reverse of the order "
            "taken elsewhere ('mu_a' -> 'mu_b'); threads taking both orders "
            "can deadlock");
  // Every edge, the closing one last: held, then taken.
  ASSERT_EQ(Err.Notes.size(), 4u);
  EXPECT_EQ(Err.Notes[0].FilePath, "/s/a.cpp");
  EXPECT_EQ(Err.Notes[0].FileOffset, 50u);
  EXPECT_EQ(Err.Notes[0].Message, "'mu_a' acquired here");
  EXPECT_EQ(Err.Notes[1].FilePath, "/s/a.cpp");
  EXPECT_EQ(Err.Notes[1].Message, "'mu_b' acquired here while 'mu_a' is held");
  EXPECT_EQ(Err.Notes[2].FilePath, "/s/b.cpp");
  EXPECT_EQ(Err.Notes[2].Message, "'mu_b' acquired here");
  EXPECT_EQ(Err.Notes[3].FilePath, "/s/b.cpp");
  EXPECT_EQ(Err.Notes[3].Message, "'mu_a' acquired here while 'mu_b' is held");

  EXPECT_EQ(lockCycleError(C, /*AsError=*/true).DiagLevel,
            ClangTidyError::Error);
}

TEST(CrossUnitLockCycles, ACycleOneUnitClosesIsTheChecks) {
  // a.cpp takes both orders: the check reported it in a.cpp, even though
  // b.cpp takes one of them too.
  std::vector<LockOrderEdge> Edges{edge("mu_a", "mu_b", "a.cpp"),
                                   edge("mu_b", "mu_a", "a.cpp", 8, 9),
                                   edge("mu_a", "mu_b", "b.cpp")};
  EXPECT_TRUE(crossUnitLockCycles(Edges).empty());
  // Two objects of one class in one unit: the check's too.
  std::vector<LockOrderEdge> Self{edge("Account::mu", "Account::mu", "a.cpp")};
  EXPECT_TRUE(crossUnitLockCycles(Self).empty());
  // One order everywhere: nothing.
  std::vector<LockOrderEdge> Consistent{edge("mu_a", "mu_b", "a.cpp"),
                                        edge("mu_a", "mu_b", "b.cpp")};
  EXPECT_TRUE(crossUnitLockCycles(Consistent).empty());
}

TEST(CrossUnitLockCycles, EdgesFromUnitsTheCycleDoesNotUseYet) {
  // a -> b in u1 and u2, b -> c in u2, c -> a in u1 and u3: the cycle
  // shows three files, not u1 twice.
  std::vector<LockOrderEdge> Edges{edge("a", "b", "u1"), edge("a", "b", "u2"),
                                   edge("b", "c", "u2"), edge("c", "a", "u1"),
                                   edge("c", "a", "u3")};
  std::vector<LockCycle> Cycles = crossUnitLockCycles(Edges);
  ASSERT_EQ(Cycles.size(), 1u);
  EXPECT_EQ(unitsOf(Cycles[0]),
            (std::vector<std::string>{"/s/u1", "/s/u2", "/s/u3"}));
}

TEST(CrossUnitLockCycles, SameLocksOnceWhateverTheEdgeOrder) {
  // a -> b -> c -> a and a -> c -> b -> a: two cycles over the same locks,
  // reported once (besides the three pairs taken both ways).
  std::vector<LockOrderEdge> Edges{edge("a", "b", "u1"), edge("b", "c", "u2"),
                                   edge("c", "a", "u3"), edge("a", "c", "u4"),
                                   edge("c", "b", "u5"), edge("b", "a", "u6")};
  std::vector<LockCycle> Cycles = crossUnitLockCycles(Edges);
  EXPECT_EQ(Cycles.size(), 4u);
  EXPECT_EQ(llvm::count_if(
                Cycles, [](const LockCycle &C) { return C.Edges.size() == 3; }),
            1);
  std::vector<LockOrderEdge> Reversed(Edges.rbegin(), Edges.rend());
  std::vector<LockCycle> Again = crossUnitLockCycles(Reversed);
  ASSERT_EQ(Again.size(), Cycles.size());
  for (size_t I = 0; I < Cycles.size(); ++I) {
    EXPECT_EQ(unitsOf(Again[I]), unitsOf(Cycles[I]));
    EXPECT_EQ(Again[I].Closing, Cycles[I].Closing);
  }
}

TEST(CrossShardLockCycles, OnlyCyclesNoReportFoundAlone) {
  // One file per shard: the cycle spans the shards, merge reports it.
  std::vector<LockOrderEdge> Two{edge("mu_a", "mu_b", "a.cpp"),
                                 edge("mu_b", "mu_a", "b.cpp")};
  EXPECT_EQ(crossShardLockCycles(Two, {0, 1}).size(), 1u);
  // Both files in one shard: that shard's run reported it.
  EXPECT_TRUE(crossShardLockCycles(Two, {1, 1}).empty());
  // Shard 0 has a.cpp and b.cpp, shard 1 c.cpp with b.cpp's order again:
  // shard 0 reported the cycle, merge does not report it a second time.
  std::vector<LockOrderEdge> Three{edge("mu_a", "mu_b", "a.cpp"),
                                   edge("mu_b", "mu_a", "b.cpp"),
                                   edge("mu_b", "mu_a", "c.cpp")};
  EXPECT_TRUE(crossShardLockCycles(Three, {0, 0, 1}).empty());
  // A cycle within one unit stays the check's in merge too.
  std::vector<LockOrderEdge> Own{edge("mu_a", "mu_b", "a.cpp"),
                                 edge("mu_b", "mu_a", "a.cpp", 8, 9)};
  EXPECT_TRUE(crossShardLockCycles(Own, {0, 0}).empty());
}

TEST(LockEdgeOrder, SortedAndRepeatsDropped) {
  std::vector<LockOrderEdge> Edges{edge("b", "a", "u1"), edge("a", "b", "u2"),
                                   edge("a", "b", "u1"), edge("b", "a", "u1")};
  sortLockEdges(Edges);
  ASSERT_EQ(Edges.size(), 3u);
  EXPECT_EQ(unitsOf(LockCycle{{&Edges[0], &Edges[1], &Edges[2]}, 0}),
            (std::vector<std::string>{"/s/u1", "/s/u2", "/s/u1"}));
  EXPECT_EQ(Edges[2].From, "::b");
}

TEST(ArgumentsForWorkers, InsertedBeforeTheCompilerFlags) {
  std::vector<std::string> Args =
      insertBeforeSeparator({"a.cc", "--", "-DX"}, {"--worker-file=a.cc"});
  EXPECT_EQ(Args, (std::vector<std::string>{"a.cc", "--worker-file=a.cc", "--",
                                            "-DX"}));
  Args = insertBeforeSeparator({"-p", "b"}, {"--x"});
  EXPECT_EQ(Args, (std::vector<std::string>{"-p", "b", "--x"}));
}

} // namespace
