//===--- FunctionWalker.h - a TU walk that knows the function it is in -*- C++ -*-===//
//
// A RecursiveASTVisitor base for per-translation-unit collections: it skips
// system headers, visits template instantiations, and keeps the stack of
// functions (and lambda call operators) being walked, so a derived visitor
// knows which function each node is in (`Stack.back()`).
//
//===----------------------------------------------------------------------===//
#ifndef THREADLINT_CHECKS_MODEL_FUNCTIONWALKER_H
#define THREADLINT_CHECKS_MODEL_FUNCTIONWALKER_H

#include "clang/AST/RecursiveASTVisitor.h"
#include <vector>

namespace clang::tidy::threadlint {

template <typename Derived>
class FunctionWalker : public RecursiveASTVisitor<Derived> {
  using Base = RecursiveASTVisitor<Derived>;

  // Only the derived walker constructs its base (CRTP).
  friend Derived;
  explicit FunctionWalker(const SourceManager &SM) : SM(SM) {}

public:
  bool shouldVisitTemplateInstantiations() const { return true; }

  // RecursiveASTVisitor's hooks keep its names.
  // NOLINTNEXTLINE(readability-identifier-naming)
  bool TraverseDecl(Decl *D) {
    if (!D)
      return true;
    if (!isa<TranslationUnitDecl>(D) && SM.isInSystemHeader(D->getLocation()))
      return true;
    const auto *FD = dyn_cast<FunctionDecl>(D);
    if (!FD || !FD->doesThisDeclarationHaveABody())
      return Base::TraverseDecl(D);
    Stack.push_back(FD);
    bool Continue = Base::TraverseDecl(D);
    Stack.pop_back();
    return Continue;
  }
  // NOLINTNEXTLINE(readability-identifier-naming)
  bool TraverseLambdaExpr(LambdaExpr *L) {
    Stack.push_back(L->getCallOperator());
    bool Continue = Base::TraverseLambdaExpr(L);
    Stack.pop_back();
    return Continue;
  }

protected:
  const SourceManager &SM;
  /// The functions being walked, innermost last.
  std::vector<const FunctionDecl *> Stack;
};

} // namespace clang::tidy::threadlint

#endif
