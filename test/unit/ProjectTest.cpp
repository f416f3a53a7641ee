//===--- ProjectTest.cpp - the pieces of whole-project runs ---------------===//
#include "threadlint/Project.h"
#include "clang/Tooling/JSONCompilationDatabase.h"
#include "gtest/gtest.h"

using namespace threadlint;
using clang::tidy::ClangTidyError;

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

TEST(ArgumentsForWorkers, InsertedBeforeTheCompilerFlags) {
  std::vector<std::string> Args =
      insertBeforeSeparator({"a.cc", "--", "-DX"}, {"--worker-file=a.cc"});
  EXPECT_EQ(Args, (std::vector<std::string>{"a.cc", "--worker-file=a.cc", "--",
                                            "-DX"}));
  Args = insertBeforeSeparator({"-p", "b"}, {"--x"});
  EXPECT_EQ(Args, (std::vector<std::string>{"-p", "b", "--x"}));
}

} // namespace
