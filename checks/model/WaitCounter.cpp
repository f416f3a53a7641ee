//===--- WaitCounter.cpp - counters and wait groups ------------------------===//
#include "model/WaitCounter.h"
#include "model/SpawnModel.h"
#include "clang/AST/ExprCXX.h"

namespace clang::tidy::threadlint {

namespace {
bool isNamed(const NamedDecl *D, llvm::ArrayRef<std::string> Names) {
  return D && D->getIdentifier() && llvm::is_contained(Names, D->getName());
}
bool isZeroLiteral(const Expr *E, ASTContext &Ctx) {
  std::optional<llvm::APSInt> V = literalValue(E, Ctx);
  return V && V->isZero();
}
} // namespace

// An integer literal's value, if E is one (through casts and parentheses).
std::optional<llvm::APSInt> literalValue(const Expr *E, ASTContext &Ctx) {
  E = E->IgnoreParenImpCasts();
  if (E->isValueDependent() || !E->getType()->isIntegralOrEnumerationType())
    return std::nullopt;
  if (std::optional<llvm::APSInt> V = E->getIntegerConstantExpr(Ctx))
    return V;
  return std::nullopt;
}

// An argument that may add (not a literal <= 0, not a negation).
bool mayBePositive(const Expr *Arg, ASTContext &Ctx) {
  if (std::optional<llvm::APSInt> V = literalValue(Arg, Ctx))
    return V->isStrictlyPositive();
  if (const auto *U =
          llvm::dyn_cast<UnaryOperator>(Arg->IgnoreParenImpCasts()))
    return U->getOpcode() != UO_Minus;
  return true;
}

// The object is a std::atomic of an integer type (seen through the implicit
// conversion to its base class that libstdc++'s members need).
bool isStdAtomicIntegral(const Expr *Obj) {
  const QualType T = Obj->IgnoreParenImpCasts()->getType();
  const auto *RD = T.getNonReferenceType()->getAsCXXRecordDecl();
  const auto *Spec =
      llvm::dyn_cast_or_null<ClassTemplateSpecializationDecl>(RD);
  if (!Spec || !Spec->isInStdNamespace() || !Spec->getIdentifier() ||
      Spec->getName() != "atomic" || Spec->getTemplateArgs().size() != 1)
    return false;
  const TemplateArgument &Arg = Spec->getTemplateArgs()[0];
  return Arg.getKind() == TemplateArgument::Type &&
         Arg.getAsType()->isIntegerType() && !Arg.getAsType()->isBooleanType();
}

// E reads Object's value: `c`, `c.load()`, an implicit conversion of `c`.
bool readsObject(const Expr *E, const NamedDecl *Object) {
  E = E->IgnoreParenImpCasts();
  if (const auto *MC = llvm::dyn_cast<CXXMemberCallExpr>(E)) {
    const CXXMethodDecl *M = MC->getMethodDecl();
    if (M && (llvm::isa<CXXConversionDecl>(M) ||
              (M->getIdentifier() && M->getName() == "load")))
      return referencedDecl(MC->getImplicitObjectArgument()) == Object;
    return false;
  }
  return llvm::isa<DeclRefExpr, MemberExpr>(E) && referencedDecl(E) == Object;
}

// Cond holds while Object is not zero: `c`, `c != 0`, `c > 0`, `0 < c`,
// either side of && or ||.
bool testsNonZero(const Expr *Cond, const NamedDecl *Object, ASTContext &Ctx) {
  Cond = Cond->IgnoreParenImpCasts();
  if (readsObject(Cond, Object))
    return true;
  const auto *B = llvm::dyn_cast<BinaryOperator>(Cond);
  if (!B)
    return false;
  if (B->getOpcode() == BO_LAnd || B->getOpcode() == BO_LOr)
    return testsNonZero(B->getLHS(), Object, Ctx) ||
           testsNonZero(B->getRHS(), Object, Ctx);
  const Expr *L = B->getLHS(), *R = B->getRHS();
  switch (B->getOpcode()) {
  case BO_NE:
    return (readsObject(L, Object) && isZeroLiteral(R, Ctx)) ||
           (readsObject(R, Object) && isZeroLiteral(L, Ctx));
  case BO_GT:
    return readsObject(L, Object) && isZeroLiteral(R, Ctx);
  case BO_LT:
    return readsObject(R, Object) && isZeroLiteral(L, Ctx);
  default:
    return false;
  }
}

// Cond holds once Object is zero: `c == 0`, `c <= 0`, `!c`, `0 == c`.
bool testsZero(const Expr *Cond, const NamedDecl *Object, ASTContext &Ctx) {
  Cond = Cond->IgnoreParenImpCasts();
  if (const auto *U = llvm::dyn_cast<UnaryOperator>(Cond))
    return U->getOpcode() == UO_LNot && readsObject(U->getSubExpr(), Object);
  const auto *B = llvm::dyn_cast<BinaryOperator>(Cond);
  if (!B)
    return false;
  if (B->getOpcode() == BO_LAnd)
    return testsZero(B->getLHS(), Object, Ctx) ||
           testsZero(B->getRHS(), Object, Ctx);
  const Expr *L = B->getLHS(), *R = B->getRHS();
  switch (B->getOpcode()) {
  case BO_EQ:
    return (readsObject(L, Object) && isZeroLiteral(R, Ctx)) ||
           (readsObject(R, Object) && isZeroLiteral(L, Ctx));
  case BO_LE:
    return readsObject(L, Object) && isZeroLiteral(R, Ctx);
  default:
    return false;
  }
}

// The value a predicate lambda returns: [&] { return c == 0; }
const Expr *predicateResult(const Expr *Arg) {
  const auto *L = llvm::dyn_cast<LambdaExpr>(Arg->IgnoreImplicit());
  if (!L)
    if (const auto *M = llvm::dyn_cast<MaterializeTemporaryExpr>(
            Arg->IgnoreImplicit()))
      L = llvm::dyn_cast<LambdaExpr>(M->getSubExpr()->IgnoreImplicit());
  if (!L)
    return nullptr;
  const auto *Body = llvm::dyn_cast<CompoundStmt>(L->getBody());
  if (!Body || Body->size() != 1)
    return nullptr;
  const auto *Ret = llvm::dyn_cast<ReturnStmt>(Body->body_front());
  return Ret ? Ret->getRetValue() : nullptr;
}

bool isWaitGroupClass(const CXXRecordDecl *RD,
                      llvm::ArrayRef<std::string> Types,
                      llvm::ArrayRef<std::string> AddMethods,
                      llvm::ArrayRef<std::string> WaitMethods) {
  if (!RD || !RD->hasDefinition())
    return false;
  RD = RD->getDefinition();
  if (matchesAnyName(RD, Types))
    return true;
  // Structurally: an Add-like method taking a count (and nothing else that
  // is not a number: a pool's add(task) is not a wait group) and a
  // Wait-like method.
  bool HasAdd = false, HasWait = false;
  for (const CXXMethodDecl *M : RD->methods()) {
    if (isNamed(M, WaitMethods))
      HasWait = true;
    if (isNamed(M, AddMethods) && M->getNumParams() <= 1 &&
        llvm::all_of(M->parameters(), [](const ParmVarDecl *P) {
          return P->getType()->isIntegralOrEnumerationType();
        }))
      HasAdd = true;
  }
  return HasAdd && HasWait;
}

} // namespace clang::tidy::threadlint
