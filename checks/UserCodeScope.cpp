//===--- UserCodeScope.cpp - walk only the code outside system headers ----===//
#include "UserCodeScope.h"
#include "clang/AST/ASTContext.h"
#include "clang/ASTMatchers/ASTMatchFinder.h"

namespace clang::tidy::threadlint {
namespace {

using namespace ast_matchers;

/// Narrows the scope the first time it sees the translation unit; stateless,
/// so one instance serves every check, file and thread.
class Narrower : public MatchFinder::MatchCallback {
public:
  void run(const MatchFinder::MatchResult &Result) override {
    ASTContext &Ctx = *Result.Context;
    TranslationUnitDecl *TU = Ctx.getTranslationUnitDecl();
    // Only a whole-TU scope: a narrower one is the host's choice (clangd's
    // main-file scope), and the matchers may be walking it right now.
    llvm::ArrayRef<Decl *> Scope = Ctx.getTraversalScope();
    if (Scope.size() != 1 || Scope.front() != TU)
      return;
    const SourceManager &SM = Ctx.getSourceManager();
    std::vector<Decl *> User;
    size_t All = 0;
    for (Decl *D : TU->decls()) {
      ++All;
      if (!SM.isInSystemHeader(D->getLocation()))
        User.push_back(D);
    }
    if (User.size() < All)
      Ctx.setTraversalScope(User);
  }
  StringRef getID() const override { return "threadlint-user-code-scope"; }
};

} // namespace

void registerUserCodeScope(MatchFinder *Finder, bool SystemHeaders) {
  static Narrower Instance;
  if (!SystemHeaders)
    Finder->addMatcher(translationUnitDecl(), &Instance);
}

} // namespace clang::tidy::threadlint
