#include "model/AstHelpers.h"
#include "clang/AST/ASTContext.h"
#include "clang/AST/ExprCXX.h"
#include "clang/AST/ParentMapContext.h"
#include "clang/AST/RecursiveASTVisitor.h"
#include "clang/AST/StmtCXX.h"
#include "clang/Lex/Lexer.h"

namespace clang::tidy::threadlint {

const CXXRecordDecl *recordOfObjectType(QualType T) {
  if (T.isNull())
    return nullptr;
  T = T.getNonReferenceType();
  if (const auto *P = T->getAs<PointerType>())
    T = P->getPointeeType();
  return T->getAsCXXRecordDecl();
}

bool isLoop(const Stmt *S) {
  return llvm::isa<ForStmt, CXXForRangeStmt, WhileStmt, DoStmt>(S);
}

const Stmt *loopBody(const Stmt *Loop) {
  if (const auto *F = llvm::dyn_cast<ForStmt>(Loop))
    return F->getBody();
  if (const auto *R = llvm::dyn_cast<CXXForRangeStmt>(Loop))
    return R->getBody();
  if (const auto *W = llvm::dyn_cast<WhileStmt>(Loop))
    return W->getBody();
  if (const auto *D = llvm::dyn_cast<DoStmt>(Loop))
    return D->getBody();
  return nullptr;
}

const Expr *loopCondition(const Stmt *Loop) {
  if (const auto *F = llvm::dyn_cast<ForStmt>(Loop))
    return F->getCond();
  if (const auto *W = llvm::dyn_cast<WhileStmt>(Loop))
    return W->getCond();
  if (const auto *D = llvm::dyn_cast<DoStmt>(Loop))
    return D->getCond();
  return nullptr;
}

bool hasErrors(const Stmt *S) {
  class Finder : public RecursiveASTVisitor<Finder> {
  public:
    bool Found = false;
    bool VisitExpr(Expr *E) {
      Found = E->containsErrors();
      return !Found;
    }
    bool VisitDecl(Decl *D) {
      Found = D->isInvalidDecl();
      return !Found;
    }
    bool VisitLambdaExpr(LambdaExpr *L) {
      Found = L->getCallOperator()->isInvalidDecl();
      return !Found;
    }
  };
  Finder F;
  F.TraverseStmt(const_cast<Stmt *>(S));
  return F.Found;
}

const Stmt *enclosingLoop(const Stmt *S, const Stmt *FunctionBody,
                          ASTContext &Ctx, bool OrSwitch) {
  DynTypedNode Node = DynTypedNode::create(*S);
  for (unsigned Depth = 0; Depth < 256; ++Depth) {
    DynTypedNodeList Parents = Ctx.getParents(Node);
    if (Parents.empty())
      return nullptr;
    Node = Parents[0];
    const auto *P = Node.get<Stmt>();
    if (!P || P == FunctionBody || llvm::isa<LambdaExpr>(P))
      return nullptr;
    if (isLoop(P) || (OrSwitch && llvm::isa<SwitchStmt>(P)))
      return P;
  }
  return nullptr;
}

const FunctionDecl *enclosingFunction(const Stmt *S, ASTContext &Ctx) {
  DynTypedNodeList Parents = Ctx.getParents(*S);
  for (int Depth = 0; Depth < 256 && !Parents.empty(); ++Depth) {
    if (const auto *FD = Parents[0].get<FunctionDecl>())
      return FD;
    if (const auto *L = Parents[0].get<LambdaExpr>())
      return L->getCallOperator();
    Parents = Ctx.getParents(Parents[0]);
  }
  return nullptr;
}

bool inForeignMacro(SourceLocation Loc, const SourceManager &SM) {
  if (!Loc.isMacroID())
    return false;
  SourceLocation Spelling = SM.getSpellingLoc(Loc);
  SourceLocation Expansion = SM.getExpansionLoc(Loc);
  return SM.isInSystemHeader(Spelling) ||
         SM.getFileID(Spelling) != SM.getFileID(Expansion);
}

std::optional<std::string> sourceText(SourceRange R, const ASTContext &Ctx) {
  if (R.isInvalid() || R.getBegin().isMacroID() || R.getEnd().isMacroID())
    return std::nullopt;
  bool Invalid = false;
  llvm::StringRef Text =
      Lexer::getSourceText(CharSourceRange::getTokenRange(R),
                           Ctx.getSourceManager(), Ctx.getLangOpts(), &Invalid);
  if (Invalid || Text.empty())
    return std::nullopt;
  return Text.str();
}

bool isTestFixture(const CXXRecordDecl *Class, unsigned Depth) {
  if (!Class || !Class->hasDefinition() || Depth > 8)
    return false;
  for (const CXXBaseSpecifier &B : Class->bases()) {
    const CXXRecordDecl *BD = B.getType()->getAsCXXRecordDecl();
    if (!BD) // a dependent base: look at the template it names
      if (const auto *TST = B.getType()->getAs<TemplateSpecializationType>())
        if (const TemplateDecl *TD =
                TST->getTemplateName().getAsTemplateDecl())
          BD = dyn_cast_or_null<CXXRecordDecl>(TD->getTemplatedDecl());
    if (!BD)
      continue;
    if (BD->getIdentifier() && BD->getName() == "Test")
      return true;
    if (isTestFixture(BD, Depth + 1))
      return true;
  }
  return false;
}

bool isAssertionName(llvm::StringRef Name) {
  return Name.contains_insensitive("assert") || Name.contains("CHECK");
}

} // namespace clang::tidy::threadlint
