//===--- LoopVariableCaptureCheck.cpp - threadlint ------------------------===//
#include "LoopVariableCaptureCheck.h"
#include "model/AstHelpers.h"
#include "model/ConcurrencyModel.h"
#include "model/OptionLists.h"
#include "clang/AST/ASTContext.h"
#include "clang/AST/ParentMapContext.h"
#include "clang/AST/RecursiveASTVisitor.h"
#include "clang/ASTMatchers/ASTMatchFinder.h"
#include "clang/Analysis/Analyses/ExprMutationAnalyzer.h"
#include "clang/Lex/Lexer.h"

using namespace clang::ast_matchers;

namespace clang::tidy::threadlint {
namespace {
/// How a variable reaches the task.
enum class UseKind { CaptureByRef, StdRef, StdCRef, Address };
} // namespace

struct LoopVariableCaptureCheck::Use {
  const ValueDecl *Var = nullptr;
  SourceLocation Loc;  ///< where the warning goes
  UseKind Kind = UseKind::CaptureByRef;
  bool ImplicitCapture = false; ///< [&] rather than [&v]
  bool InitCapture = false;     ///< [&r = v]
  const Expr *ArgExpr = nullptr; ///< std::ref(v) / &v as written
  /// The parameter that receives the argument, when known.
  const ParmVarDecl *Param = nullptr;
  /// The argument is bound by std::bind: the bound function receives the
  /// stored copy as an lvalue.
  bool Bound = false;
};

namespace {

/// Why a variable is a different object (or a changing one) per iteration.
enum Role : unsigned {
  SharedIndex = 0, ///< for-init variable: one object, updated by the loop
  RangeCopy = 1,   ///< range-for variable by value: a fresh copy each time
  BodyLocal = 2,   ///< declared in the loop body (or a loop condition)
};

struct LoopVariable {
  const Stmt *Loop = nullptr;
  const Stmt *Body = nullptr;
  Role Kind = BodyLocal;
};

// Direct writes to V outside lambdas: ++v, v = x, v += x (built-in or
// overloaded). Used for loop bodies that advance a for-init variable.
class DirectWriteFinder : public RecursiveASTVisitor<DirectWriteFinder> {
public:
  explicit DirectWriteFinder(const ValueDecl *V) : V(V) {}
  bool Found = false;

  bool TraverseLambdaExpr(LambdaExpr *) { return true; }
  bool VisitUnaryOperator(UnaryOperator *U) {
    if (U->isIncrementDecrementOp() && refersToV(U->getSubExpr()))
      Found = true;
    return !Found;
  }
  bool VisitBinaryOperator(BinaryOperator *B) {
    if (B->isAssignmentOp() && refersToV(B->getLHS()))
      Found = true;
    return !Found;
  }
  bool VisitCXXOperatorCallExpr(CXXOperatorCallExpr *Op) {
    if (Op->getNumArgs() >= 1 && refersToV(Op->getArg(0)) &&
        (Op->isAssignmentOp() || Op->getOperator() == OO_PlusPlus ||
         Op->getOperator() == OO_MinusMinus))
      Found = true;
    return !Found;
  }

private:
  bool refersToV(const Expr *E) const {
    const auto *DRE = llvm::dyn_cast<DeclRefExpr>(E->IgnoreParenImpCasts());
    return DRE && DRE->getDecl() == V;
  }
  const ValueDecl *V;
};

bool isChangedByLoop(const ForStmt *For, const ValueDecl *V,
                     ASTContext &Ctx) {
  for (const Stmt *Part : {static_cast<const Stmt *>(For->getInc()),
                           static_cast<const Stmt *>(For->getCond())})
    if (Part && ExprMutationAnalyzer(*Part, Ctx).isMutated(V))
      return true;
  DirectWriteFinder Finder(V);
  Finder.TraverseStmt(const_cast<Stmt *>(For->getBody()));
  return Finder.Found;
}

// Walks up from a declaration to the loop that makes it per-iteration (or
// shared by the iteration), stopping at function and lambda boundaries.
std::optional<LoopVariable> findLoopOf(const VarDecl *VD, ASTContext &Ctx) {
  if (!VD || !VD->hasLocalStorage() || llvm::isa<ParmVarDecl>(VD) ||
      VD->getType()->isReferenceType() || VD->isInvalidDecl())
    return std::nullopt;
  DynTypedNode Node = DynTypedNode::create(*VD);
  const Stmt *Prev = nullptr;
  for (unsigned Depth = 0; Depth < 128; ++Depth) {
    DynTypedNodeList Parents = Ctx.getParents(Node);
    if (Parents.empty())
      return std::nullopt;
    Node = Parents[0];
    const auto *S = Node.get<Stmt>();
    if (!S)
      return std::nullopt; // a function, a lambda's class, ...
    if (llvm::isa<LambdaExpr, BlockExpr>(S))
      return std::nullopt;
    if (isLoop(S)) {
      LoopVariable LV;
      LV.Loop = S;
      LV.Body = loopBody(S);
      if (const auto *R = llvm::dyn_cast<CXXForRangeStmt>(S)) {
        if (R->getLoopVariable() == VD) {
          LV.Kind = RangeCopy;
          return LV;
        }
        if (Prev != R->getBody())
          return std::nullopt; // the range or begin/end variables
      } else if (const auto *F = llvm::dyn_cast<ForStmt>(S)) {
        if (Prev == F->getInit()) {
          if (!isChangedByLoop(F, VD, Ctx))
            return std::nullopt; // e.g. `n` in `for (int i = 0, n = ...`
          LV.Kind = SharedIndex;
          return LV;
        }
      }
      // The loop body, or a condition variable re-created each iteration.
      LV.Kind = BodyLocal;
      return LV;
    }
    Prev = S;
  }
  return std::nullopt;
}

std::optional<LoopVariable> findLoopOf(const ValueDecl *V, ASTContext &Ctx) {
  if (const auto *B = llvm::dyn_cast<BindingDecl>(V)) {
    // for (auto [k, v] : m): the bindings name parts of the loop variable.
    const auto *Decomp =
        llvm::dyn_cast_or_null<DecompositionDecl>(B->getDecomposedDecl());
    return findLoopOf(Decomp, Ctx);
  }
  return findLoopOf(llvm::dyn_cast<VarDecl>(V), Ctx);
}

bool isCopyConstructible(QualType T, ASTContext &Ctx) {
  if (T.isNull() || T->isDependentType() || T->isIncompleteType())
    return false;
  if (const ArrayType *AT = Ctx.getAsArrayType(T))
    return isCopyConstructible(AT->getElementType(), Ctx);
  const CXXRecordDecl *RD = T->getAsCXXRecordDecl();
  if (!RD)
    return true;
  RD = RD->getDefinition();
  if (!RD)
    return false;
  if (RD->needsImplicitCopyConstructor())
    return !RD->defaultedCopyConstructorIsDeleted();
  for (const CXXConstructorDecl *Ctor : RD->ctors())
    if (Ctor->isCopyConstructor() && !Ctor->isDeleted() &&
        Ctor->getAccess() == AS_public)
      return true;
  return false;
}

// Where a fix-it at Loc can be written: the location itself, or where a
// macro argument was spelled. Not inside a macro's own body.
std::optional<SourceLocation> editableLoc(SourceLocation Loc,
                                          const SourceManager &SM) {
  if (Loc.isFileID())
    return Loc;
  if (SM.isMacroArgExpansion(Loc)) {
    SourceLocation Spelling = SM.getSpellingLoc(Loc);
    if (Spelling.isFileID())
      return Spelling;
  }
  return std::nullopt;
}

// The location of the '&' written just before Loc ("[&v]"), if any.
std::optional<SourceLocation> ampersandBefore(SourceLocation MacroLoc,
                                              const SourceManager &SM) {
  std::optional<SourceLocation> Editable = editableLoc(MacroLoc, SM);
  if (!Editable)
    return std::nullopt;
  SourceLocation Loc = *Editable;
  auto [File, Offset] = SM.getDecomposedLoc(Loc);
  bool Invalid = false;
  llvm::StringRef Buffer = SM.getBufferData(File, &Invalid);
  if (Invalid || Offset > Buffer.size())
    return std::nullopt;
  while (Offset > 0) {
    const unsigned char C = static_cast<unsigned char>(Buffer[--Offset]);
    if (C == '&')
      return Loc.getLocWithOffset(static_cast<int>(Offset) -
                                  static_cast<int>(SM.getFileOffset(Loc)));
    if (C != ' ' && C != '\t' && C != '\n' && C != '\r')
      return std::nullopt;
  }
  return std::nullopt;
}

const DeclRefExpr *asVarRef(const Expr *E) {
  if (!E)
    return nullptr;
  const auto *DRE = llvm::dyn_cast<DeclRefExpr>(E->IgnoreParenImpCasts());
  if (DRE && llvm::isa<VarDecl, BindingDecl>(DRE->getDecl()))
    return DRE;
  return nullptr;
}

// std::ref(v), std::cref(v), &v among the forwarded arguments.
std::optional<std::pair<UseKind, const DeclRefExpr *>>
referenceArgument(const Expr *Arg) {
  const Expr *E = Arg->IgnoreImplicit();
  if (const auto *M = llvm::dyn_cast<MaterializeTemporaryExpr>(E))
    E = M->getSubExpr()->IgnoreImplicit();
  if (const auto *CE = llvm::dyn_cast<CXXConstructExpr>(E))
    if (CE->getNumArgs() == 1)
      E = CE->getArg(0)->IgnoreImplicit();
  if (const auto *M = llvm::dyn_cast<MaterializeTemporaryExpr>(E))
    E = M->getSubExpr()->IgnoreImplicit();
  if (const auto *Call = llvm::dyn_cast<CallExpr>(E)) {
    const FunctionDecl *FD = Call->getDirectCallee();
    if (FD && FD->isInStdNamespace() && FD->getIdentifier() &&
        Call->getNumArgs() == 1 &&
        (FD->getName() == "ref" || FD->getName() == "cref"))
      if (const DeclRefExpr *DRE = asVarRef(Call->getArg(0)))
        return std::make_pair(
            FD->getName() == "ref" ? UseKind::StdRef : UseKind::StdCRef, DRE);
    return std::nullopt;
  }
  if (const auto *U = llvm::dyn_cast<UnaryOperator>(E))
    if (U->getOpcode() == UO_AddrOf)
      if (const DeclRefExpr *DRE = asVarRef(U->getSubExpr()))
        return std::make_pair(UseKind::Address, DRE);
  return std::nullopt;
}

// A parameter that accepts a copy where std::ref(v) passed a reference. A
// function bound by std::bind receives the bound copy as an lvalue: an
// rvalue reference parameter would not accept it.
bool acceptsCopy(const ParmVarDecl *P, bool Bound) {
  if (!P)
    return false;
  QualType T = P->getType();
  if (T->isDependentType())
    return false;
  if (const auto *LR = T->getAs<LValueReferenceType>())
    return LR->getPointeeType().isConstQualified();
  return !(Bound && T->isRValueReferenceType());
}

// Strips what does not change which callable an expression yields:
// temporaries, copies, and one-argument wrappers (std::function,
// std::packaged_task) built from it.
const Expr *stripCallable(const Expr *E) {
  for (unsigned Depth = 0; E && Depth < 8; ++Depth) {
    E = E->IgnoreParenImpCasts();
    if (const auto *M = llvm::dyn_cast<MaterializeTemporaryExpr>(E))
      E = M->getSubExpr();
    else if (const auto *B = llvm::dyn_cast<CXXBindTemporaryExpr>(E))
      E = B->getSubExpr();
    else if (const auto *C = llvm::dyn_cast<ExprWithCleanups>(E))
      E = C->getSubExpr();
    else if (const auto *F = llvm::dyn_cast<CXXFunctionalCastExpr>(E))
      E = F->getSubExpr();
    else if (const auto *CE = llvm::dyn_cast<CXXConstructExpr>(E);
             CE && CE->getNumArgs() == 1 &&
             !llvm::isa<CXXDefaultArgExpr>(CE->getArg(0)))
      E = CE->getArg(0);
    else if (const auto *Call = llvm::dyn_cast<CallExpr>(E);
             Call && Call->getNumArgs() == 1 && Call->getDirectCallee() &&
             Call->getDirectCallee()->isInStdNamespace() &&
             Call->getDirectCallee()->getIdentifier() &&
             Call->getDirectCallee()->getName() == "move")
      E = Call->getArg(0);
    else
      return E;
  }
  return E;
}

// `std::bind(f, args...)` (or bind_front, boost::bind) as the spawned
// callable, directly or through a local variable it initialises.
const CallExpr *bindCall(const Expr *Callable) {
  const Expr *E = stripCallable(Callable);
  if (const auto *DRE = llvm::dyn_cast_or_null<DeclRefExpr>(E))
    if (const auto *VD = llvm::dyn_cast<VarDecl>(DRE->getDecl());
        VD && VD->hasLocalStorage() && !VD->getType()->isReferenceType() &&
        VD->getInit())
      E = stripCallable(VD->getInit());
  const auto *Call = llvm::dyn_cast_or_null<CallExpr>(E);
  if (!Call || Call->getNumArgs() == 0)
    return nullptr;
  const FunctionDecl *FD = Call->getDirectCallee();
  if (!FD || !FD->getIdentifier())
    return nullptr;
  llvm::StringRef Name = FD->getName();
  if (Name != "bind" && Name != "bind_front")
    return nullptr;
  if (!FD->isInStdNamespace() &&
      !matchesAnyName(FD, {std::string("::boost::bind")}))
    return nullptr;
  return Call;
}

// The function a std::bind binds, and whether it is a non-static member
// (whose object is the next bound argument): only when it names exactly
// one function or lambda.
std::pair<const FunctionDecl *, bool> boundFunction(const CallExpr *Bind) {
  const Expr *E = Bind->getArg(0)->IgnoreParenImpCasts();
  if (const auto *U = llvm::dyn_cast<UnaryOperator>(E);
      U && U->getOpcode() == UO_AddrOf)
    E = U->getSubExpr()->IgnoreParenImpCasts();
  E = stripCallable(E);
  if (const auto *L = llvm::dyn_cast_or_null<LambdaExpr>(E))
    return {L->getCallOperator(), false};
  const auto *DRE = llvm::dyn_cast_or_null<DeclRefExpr>(E);
  const auto *FD =
      DRE ? llvm::dyn_cast<FunctionDecl>(DRE->getDecl()) : nullptr;
  if (!FD || FD->isVariadic())
    return {nullptr, false};
  const auto *MD = llvm::dyn_cast<CXXMethodDecl>(FD);
  return {FD, MD && !MD->isStatic()};
}

// The declaration to name in a note: a function template rather than one of
// its specializations (`enqueue`, not `enqueue<(lambda at ...)>`).
const NamedDecl *spawnerForDiagnostic(const NamedDecl *D) {
  if (const auto *FD = llvm::dyn_cast<FunctionDecl>(D))
    if (const FunctionTemplateDecl *T = FD->getPrimaryTemplate())
      return T->getTemplatedDecl();
  return D;
}

} // namespace

LoopVariableCaptureCheck::LoopVariableCaptureCheck(StringRef Name,
                                                   ClangTidyContext *Context)
    : ClangTidyCheck(Name, Context),
      Spawns(ModelOptions::read(Options).SpawnFunctions) {}

void LoopVariableCaptureCheck::storeOptions(ClangTidyOptions::OptionMap &Opts) {
  Options.store(Opts, "SpawnFunctions",
                serializeList(Spawns.spawnFunctions()));
}

void LoopVariableCaptureCheck::onEndOfTranslationUnit() {
  // Both tables hold pointers and locations of this translation unit.
  Lifetimes.clear();
  Reported.clear();
}

void LoopVariableCaptureCheck::registerMatchers(MatchFinder *Finder) {
  // Every candidate, not only those inside a loop: a captured variable that
  // a loop declares is in scope only inside it, so findLoopOf finds the loop
  // from the variable (an ancestor test per candidate cost more than it saved).
  Spawns.registerCandidates(*Finder, this);
}

void LoopVariableCaptureCheck::check(const MatchFinder::MatchResult &Result) {
  const auto *E = Result.Nodes.getNodeAs<Expr>("spawn");
  ASTContext &Ctx = *Result.Context;
  std::optional<SpawnSite> Site = Spawns.classify(E, Ctx);
  if (!Site)
    return;

  if (const LambdaExpr *L = Site->Lambda) {
    if (L->getCallOperator()->isInvalidDecl() || hasErrors(L->getBody()))
      return;
    for (const LambdaCapture &C : L->captures()) {
      if (!C.capturesVariable())
        continue;
      Use U;
      U.Loc = C.getLocation();
      U.ImplicitCapture = C.isImplicit();
      if (L->isInitCapture(&C)) {
        // [&r = v]: the init-capture is a reference to v.
        const auto *IC = llvm::dyn_cast<VarDecl>(C.getCapturedVar());
        if (!IC || !IC->getType()->isReferenceType())
          continue;
        const DeclRefExpr *Ref = asVarRef(IC->getInit());
        if (!Ref)
          continue;
        U.Var = Ref->getDecl();
        U.InitCapture = true;
      } else {
        if (C.getCaptureKind() != LCK_ByRef)
          continue;
        U.Var = C.getCapturedVar();
      }
      checkUse(U, *Site, Ctx);
    }
  }

  for (unsigned I = 0; I < Site->Args.size(); ++I) {
    auto Ref = referenceArgument(Site->Args[I]);
    if (!Ref)
      continue;
    Use U;
    U.Kind = Ref->first;
    U.Var = Ref->second->getDecl();
    U.Loc = Site->Args[I]->getBeginLoc();
    U.ArgExpr = Site->Args[I];
    U.Param = Site->paramFor(I);
    checkUse(U, *Site, Ctx);
  }

  // pool.enqueue(std::bind(f, std::ref(v))): the bound references travel
  // with the task.
  if (const CallExpr *Bind = Site->Callable ? bindCall(Site->Callable)
                                            : nullptr) {
    if (Bind->containsErrors())
      return;
    auto [Bound, Member] = boundFunction(Bind);
    for (unsigned I = 1; I < Bind->getNumArgs(); ++I) {
      auto Ref = referenceArgument(Bind->getArg(I));
      if (!Ref)
        continue;
      Use U;
      U.Kind = Ref->first;
      U.Var = Ref->second->getDecl();
      U.Loc = Bind->getArg(I)->getBeginLoc();
      U.ArgExpr = Bind->getArg(I);
      U.Bound = true;
      // Argument I of the bind goes to parameter I-1 of the function
      // (I-2 of a member function: the object comes first).
      const unsigned Skip = Member ? 2 : 1;
      if (Bound && I >= Skip && I - Skip < Bound->getNumParams())
        U.Param = Bound->getParamDecl(I - Skip);
      checkUse(U, *Site, Ctx);
    }
  }
}

void LoopVariableCaptureCheck::checkUse(const Use &U, const SpawnSite &Site,
                                        ASTContext &Ctx) {
  if (!U.Var || U.Loc.isInvalid())
    return;
  std::optional<LoopVariable> LV = findLoopOf(U.Var, Ctx);
  if (!LV || !LV->Body || !contains(LV->Body, Site.Site, Ctx))
    return;
  // Several variables of one task share the loop: judge the work once.
  auto [It, Inserted] =
      Lifetimes.try_emplace(std::make_pair(Site.Site, LV->Body), Lifetime());
  if (Inserted)
    It->second = Spawns.lifetimeIn(Site, LV->Body, Ctx);
  const Lifetime Life = It->second;
  if (!Life.outlives())
    return;
  const SourceManager &SM = Ctx.getSourceManager();
  auto Key = std::make_pair(SM.getExpansionLoc(U.Loc).getRawEncoding(),
                            SM.getExpansionLoc(U.Var->getLocation())
                                .getRawEncoding());
  if (!Reported.insert(Key).second)
    return;
  report(U, Site, Life, LV->Kind, Ctx);
}

void LoopVariableCaptureCheck::report(const Use &U, const SpawnSite &Site,
                                      const Lifetime &Life, unsigned Role,
                                      ASTContext &Ctx) {
  const SourceManager &SM = Ctx.getSourceManager();
  const bool CanCopy = isCopyConstructible(U.Var->getType(), Ctx);

  {
    auto D = diag(U.Loc, "%select{loop variable %1|loop variable %1|%1, "
                         "declared in the loop body,}0 is %select{captured "
                         "by reference|passed by 'std::ref'|passed by "
                         "'std::cref'|passed by address}2 to a task that may "
                         "outlive the iteration")
             << Role << U.Var << static_cast<unsigned>(U.Kind);

    // Fix-its: only where the rewrite is certain.
    const LambdaExpr *L = Site.Lambda;
    if (U.Kind == UseKind::CaptureByRef && L && CanCopy && !U.InitCapture &&
        !ExprMutationAnalyzer(*L->getBody(), Ctx).isMutated(U.Var)) {
      if (U.ImplicitCapture) {
        std::optional<SourceLocation> Default =
            editableLoc(L->getCaptureDefaultLoc(), SM);
        if (L->getCaptureDefault() == LCD_ByRef && Default)
          D << FixItHint::CreateInsertion(Default->getLocWithOffset(1),
                                          (", " + U.Var->getName()).str());
      } else if (L->getCaptureDefault() != LCD_ByCopy) {
        // [=, v] would be ill-formed: no fix for [=, &v].
        if (auto Amp = ampersandBefore(U.Loc, SM))
          D << FixItHint::CreateRemoval(CharSourceRange::getCharRange(
              *Amp, Amp->getLocWithOffset(1)));
      }
    }
    if ((U.Kind == UseKind::StdRef || U.Kind == UseKind::StdCRef) && CanCopy &&
        U.ArgExpr && acceptsCopy(U.Param, U.Bound)) {
      std::optional<SourceLocation> Begin =
          editableLoc(U.ArgExpr->getBeginLoc(), SM);
      std::optional<SourceLocation> End =
          editableLoc(U.ArgExpr->getEndLoc(), SM);
      if (Begin && End)
        D << FixItHint::CreateReplacement(SourceRange(*Begin, *End),
                                          U.Var->getName());
    }
  }

  diag(U.Var->getLocation(),
       "%select{%0 is one object shared by every iteration; the loop changes "
       "it while the task may still use it|%0 is a copy made for each "
       "iteration and destroyed at its end|%0 is destroyed at the end of each "
       "iteration}1",
       DiagnosticIDs::Note)
      << U.Var << Role;

  unsigned How = 0;
  switch (Life.Reason) {
  case LifetimeReason::Detached:
    How = 0;
    break;
  case LifetimeReason::StoredOutside:
    How = 1;
    break;
  case LifetimeReason::HandedToPool:
    How = 2;
    break;
  case LifetimeReason::Returned:
    How = 3;
    break;
  default:
    How = 4;
    break;
  }
  auto N = diag(Site.Site->getBeginLoc(),
                "the task starts here and %select{is detached|is kept in %1, "
                "which outlives the iteration|is handed to %1, which may run "
                "it after the iteration|is returned from the function|is not "
                "joined in the iteration}0",
                DiagnosticIDs::Note)
           << How;
  if (How == 1 && Life.Holder)
    N << Life.Holder;
  else if (How == 2 && Site.Spawner)
    N << spawnerForDiagnostic(Site.Spawner);
  else
    N << "";
}

} // namespace clang::tidy::threadlint
