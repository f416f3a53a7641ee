// Unit tests of the traversal-scope narrowing every threadlint check registers:
// declarations from system headers leave the scope, the project's stay, and a
// scope the host already narrowed (clangd's) is left as it is.
#include "UserCodeScope.h"
#include "clang/AST/ASTContext.h"
#include "clang/AST/Decl.h"
#include "clang/ASTMatchers/ASTMatchFinder.h"
#include "clang/Tooling/Tooling.h"
#include "gtest/gtest.h"

using namespace clang;
using namespace clang::tidy::threadlint;

namespace {

// A line marker with flag 3 makes what follows a system header.
constexpr const char *Code = R"cpp(
# 1 "sys/vendor.h" 1 3
namespace vendor { inline int helper() { return 1; } }
# 4 "input.cc" 2
namespace app { int run() { return vendor::helper(); } }
int top() { return app::run(); }
)cpp";

std::unique_ptr<ASTUnit> parse() {
  return tooling::buildASTFromCodeWithArgs(Code, {"-std=c++17"}, "input.cc");
}

// Names of the named top-level declarations in the AST's traversal scope.
std::vector<std::string> scopeNames(ASTContext &Ctx) {
  std::vector<std::string> Names;
  for (Decl *D : Ctx.getTraversalScope())
    if (const auto *N = dyn_cast<NamedDecl>(D))
      Names.push_back(N->getNameAsString());
  return Names;
}

void match(ASTContext &Ctx, bool SystemHeaders) {
  ast_matchers::MatchFinder Finder;
  registerUserCodeScope(&Finder, SystemHeaders);
  Finder.matchAST(Ctx);
}

TEST(UserCodeScope, SystemHeaderDeclarationsLeaveTheScope) {
  auto AST = parse();
  ASSERT_TRUE(AST);
  ASTContext &Ctx = AST->getASTContext();
  match(Ctx, /*SystemHeaders=*/false);
  std::vector<std::string> Names = scopeNames(Ctx);
  EXPECT_EQ(std::count(Names.begin(), Names.end(), "vendor"), 0);
  EXPECT_EQ(std::count(Names.begin(), Names.end(), "app"), 1);
  EXPECT_EQ(std::count(Names.begin(), Names.end(), "top"), 1);
}

TEST(UserCodeScope, SystemHeadersRequestedKeepsTheWholeUnit) {
  auto AST = parse();
  ASSERT_TRUE(AST);
  ASTContext &Ctx = AST->getASTContext();
  match(Ctx, /*SystemHeaders=*/true);
  ASSERT_EQ(Ctx.getTraversalScope().size(), 1u);
  EXPECT_EQ(Ctx.getTraversalScope().front(), Ctx.getTranslationUnitDecl());
}

TEST(UserCodeScope, AScopeTheHostNarrowedIsLeftAlone) {
  auto AST = parse();
  ASSERT_TRUE(AST);
  ASTContext &Ctx = AST->getASTContext();
  std::vector<Decl *> Mine;
  for (Decl *D : Ctx.getTranslationUnitDecl()->decls())
    if (const auto *F = dyn_cast<FunctionDecl>(D); F && F->getName() == "top")
      Mine.push_back(D);
  ASSERT_EQ(Mine.size(), 1u);
  Ctx.setTraversalScope(Mine);
  match(Ctx, /*SystemHeaders=*/false);
  EXPECT_EQ(scopeNames(Ctx), std::vector<std::string>{"top"});
}

} // namespace
