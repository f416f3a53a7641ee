//===--- BlockingModelTest.cpp - the blocking summary on its own ----------===//
#include "model/BlockingModel.h"
#include "clang/ASTMatchers/ASTMatchFinder.h"
#include "clang/Frontend/ASTUnit.h"
#include "clang/Tooling/Tooling.h"
#include "gtest/gtest.h"
#include <algorithm>

using namespace clang;
using namespace clang::ast_matchers;
using namespace clang::tidy::threadlint;

namespace {

const char Prelude[] = R"cpp(
extern "C" unsigned sleep(unsigned);
namespace std {
class mutex { public: void lock(); void unlock(); };
}
)cpp";

struct Fixture {
  std::unique_ptr<ASTUnit> AST;
  BlockingModel Model{{}, false};
};

std::unique_ptr<Fixture> parse(const std::string &Code) {
  auto X = std::make_unique<Fixture>();
  X->AST = tooling::buildASTFromCodeWithArgs(std::string(Prelude) + Code,
                                             {"-std=c++17"});
  EXPECT_TRUE(X->AST);
  if (X->AST)
    EXPECT_FALSE(X->AST->getDiagnostics().hasErrorOccurred());
  return X;
}

const FunctionDecl *function(Fixture &X, const std::string &Name) {
  auto Found = match(functionDecl(hasName(Name), isDefinition()).bind("f"),
                     X.AST->getASTContext());
  EXPECT_EQ(Found.size(), 1u) << Name;
  return Found.empty() ? nullptr : Found.front().getNodeAs<FunctionDecl>("f");
}

/// "-" when \p Name does not block, else the callees of its chain joined
/// by '>' ("mid>c2>c3>sleepy>sleep"), with "!" when it releases a caller's
/// lock.
std::string answer(Fixture &X, BlockingSummary &S, const std::string &Name) {
  const std::vector<BlockingStep> *Chain =
      S.mayBlock(function(X, Name), X.AST->getASTContext());
  if (!Chain)
    return "-";
  std::string Out = Name;
  for (const BlockingStep &Step : *Chain)
    Out += ">" + (Step.Callee ? Step.Callee->getNameAsString() : "?");
  if (BlockingSummary::releasesCallersLock(*Chain))
    Out += "!";
  return Out;
}

/// Asks about every function of \p Names in every order, each order with a
/// fresh summary, and expects the answers a fresh summary gives for each
/// function asked first.
void expectOrderIndependent(const std::string &Code,
                            std::vector<std::string> Names,
                            unsigned MaxDepth) {
  std::unique_ptr<Fixture> X = parse(Code);
  ASSERT_TRUE(X->AST);
  std::map<std::string, std::string> Alone;
  for (const std::string &N : Names) {
    BlockingSummary S(X->Model, MaxDepth);
    Alone[N] = answer(*X, S, N);
  }
  std::sort(Names.begin(), Names.end());
  do {
    BlockingSummary S(X->Model, MaxDepth);
    for (const std::string &N : Names)
      EXPECT_EQ(answer(*X, S, N), Alone[N])
          << "asked after " << llvm::join(Names, ",");
  } while (std::next_permutation(Names.begin(), Names.end()));
}

const char Ladder[] = R"cpp(
void sleepy() { sleep(1); }
void c3() { sleepy(); }
void c2() { c3(); }
void mid() { c2(); }
void top() { mid(); }
)cpp";

TEST(BlockingSummary, DepthBoundIsIndependentOfQueryOrder) {
  std::unique_ptr<Fixture> X = parse(Ladder);
  ASSERT_TRUE(X->AST);
  // Asked first, within the depth of four calls: blocks.
  {
    BlockingSummary S(X->Model, 4);
    EXPECT_EQ(answer(*X, S, "mid"), "mid>c2>c3>sleepy>sleep");
  }
  // After top (five calls down: beyond the depth) looked at mid with less
  // depth left, mid alone still blocks.
  {
    BlockingSummary S(X->Model, 4);
    EXPECT_EQ(answer(*X, S, "c2"), "c2>c3>sleepy>sleep");
    EXPECT_EQ(answer(*X, S, "top"), "-");
    EXPECT_EQ(answer(*X, S, "mid"), "mid>c2>c3>sleepy>sleep");
  }
  expectOrderIndependent(Ladder, {"sleepy", "c3", "c2", "mid", "top"}, 4);
  expectOrderIndependent(Ladder, {"sleepy", "c3", "c2", "mid", "top"}, 2);
}

TEST(BlockingSummary, CyclesAreIndependentOfQueryOrder) {
  const char Code[] = R"cpp(
    void sleepy() { sleep(1); }
    void a(int n);
    void b(int n) { if (n) a(n - 1); sleepy(); }
    void a(int n) { b(n); }
    void c(int n) { if (n) c(n - 1); a(n); }
    void d(int n);
    void e(int n) { if (n) d(n - 1); }
    void d(int n) { e(n); }
  )cpp";
  expectOrderIndependent(Code, {"a", "b", "c", "d", "e"}, 4);
  expectOrderIndependent(Code, {"a", "b", "c", "d", "e"}, 2);
}

TEST(BlockingSummary, ChainsThatReleaseTheCallersLock) {
  const char Code[] = R"cpp(
    void releases(std::mutex *m) { m->unlock(); sleep(1); m->lock(); }
    void keeps(std::mutex *) { sleep(1); }
    void both(std::mutex *m) { releases(m); keeps(m); }
    void viaReleases(std::mutex *m) { releases(m); }
    void own(std::mutex *m) { m->lock(); m->unlock(); sleep(1); }
  )cpp";
  std::unique_ptr<Fixture> X = parse(Code);
  ASSERT_TRUE(X->AST);
  BlockingSummary S(X->Model, 4);
  EXPECT_EQ(answer(*X, S, "releases"), "releases>sleep!");
  EXPECT_EQ(answer(*X, S, "keeps"), "keeps>sleep");
  // A chain that keeps the caller's lock is preferred.
  EXPECT_EQ(answer(*X, S, "both"), "both>keeps>sleep");
  EXPECT_EQ(answer(*X, S, "viaReleases"), "viaReleases>releases>sleep!");
  // Releasing a lock it took itself is not releasing the caller's.
  EXPECT_EQ(answer(*X, S, "own"), "own>sleep");
  expectOrderIndependent(Code, {"releases", "keeps", "both", "viaReleases"},
                         4);
}

} // namespace
