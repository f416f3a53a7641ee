//===--- UnsafeLazyInitCheck.cpp - threadlint -----------------------------===//
#include "UnsafeLazyInitCheck.h"
#include "model/AstHelpers.h"
#include "model/ConcurrencyModel.h"
#include "model/GuardModel.h"
#include "model/LockModel.h"
#include "model/SpawnModel.h"
#include "clang/AST/ParentMapContext.h"
#include "clang/AST/RecursiveASTVisitor.h"
#include "clang/ASTMatchers/ASTMatchFinder.h"
#include "clang/Lex/Lexer.h"

using namespace clang::ast_matchers;

namespace clang::tidy::threadlint {

namespace {

/// How deep the walks below look into a then-branch.
constexpr unsigned MaxDepth = 64;
/// How many callers of the function are asked about.
constexpr unsigned MaxCallers = 32;

/// What a lazily created variable holds.
enum class LazyKind { Pointer, SmartPointer, Optional, Flag };

bool isStdClass(const CXXRecordDecl *RD,
                std::initializer_list<llvm::StringRef> Names) {
  if (!RD || !RD->isInStdNamespace() || !RD->getIdentifier())
    return false;
  return llvm::is_contained(Names, RD->getName());
}

std::optional<LazyKind> kindOf(QualType T) {
  if (T.isNull() || T->isReferenceType() || T.isConstQualified() ||
      T->isAtomicType())
    return std::nullopt;
  if (T->isPointerType())
    return LazyKind::Pointer;
  if (T->isBooleanType() || (T->isIntegerType() && !T->isEnumeralType()))
    return LazyKind::Flag;
  const CXXRecordDecl *RD = T->getAsCXXRecordDecl();
  if (isStdClass(RD, {"unique_ptr", "shared_ptr"}))
    return LazyKind::SmartPointer;
  if (isStdClass(RD, {"optional"}))
    return LazyKind::Optional;
  return std::nullopt;
}

/// The variable \p E names when it can be created lazily by several
/// threads: a global, a static data member, a function-local static, or a
/// field of `*this`; not thread_local, not const, not atomic, not a
/// reference.
const ValueDecl *lazyVariable(const Expr *E) {
  if (!E)
    return nullptr;
  E = E->IgnoreParenImpCasts();
  const ValueDecl *D = nullptr;
  if (const auto *DRE = dyn_cast<DeclRefExpr>(E))
    D = DRE->getDecl();
  else if (const auto *ME = dyn_cast<MemberExpr>(E)) {
    if (isa<FieldDecl>(ME->getMemberDecl()) &&
        !isa<CXXThisExpr>(ME->getBase()->IgnoreParenImpCasts()))
      return nullptr;
    D = ME->getMemberDecl();
  }
  if (const auto *VD = dyn_cast_or_null<VarDecl>(D)) {
    if (!VD->hasGlobalStorage() || VD->getTLSKind() != VarDecl::TLS_None)
      return nullptr;
  } else if (!isa_and_nonnull<FieldDecl>(D)) {
    return nullptr;
  }
  if (D->isInvalidDecl() || !kindOf(D->getType()))
    return nullptr;
  return cast<ValueDecl>(D->getCanonicalDecl());
}

/// The object whose presence \p E reads: `p`, `sp` (its operator bool),
/// `sp.get()`, `opt.has_value()`.
const Expr *presenceOf(const Expr *E) {
  E = E->IgnoreParenImpCasts();
  if (const auto *MC = dyn_cast<CXXMemberCallExpr>(E)) {
    const CXXMethodDecl *MD = MC->getMethodDecl();
    if (!MD || MC->getNumArgs() != 0 || !MC->getImplicitObjectArgument())
      return nullptr;
    if (isa<CXXConversionDecl>(MD) ||
        (MD->getIdentifier() &&
         (MD->getName() == "get" || MD->getName() == "has_value")))
      return MC->getImplicitObjectArgument()->IgnoreParenImpCasts();
    return nullptr;
  }
  return E;
}

/// `nullptr`, `NULL`, `0`, `false`, `std::nullopt`.
bool isEmptyValue(const Expr *E, ASTContext &Ctx) {
  E = E->IgnoreParenImpCasts();
  if (isa<CXXNullPtrLiteralExpr, GNUNullExpr>(E))
    return true;
  if (const auto *B = dyn_cast<CXXBoolLiteralExpr>(E))
    return !B->getValue();
  if (const auto *I = dyn_cast<IntegerLiteral>(E))
    return I->getValue() == 0;
  if (const auto *DRE = dyn_cast<DeclRefExpr>(E))
    return DRE->getDecl()->isInStdNamespace() &&
           DRE->getDecl()->getIdentifier() &&
           DRE->getDecl()->getName() == "nullopt";
  if (const auto *CE = dyn_cast<CXXConstructExpr>(E))
    return CE->getNumArgs() == 1 && isEmptyValue(CE->getArg(0), Ctx);
  return !E->isValueDependent() &&
         E->isNullPointerConstant(Ctx, Expr::NPC_ValueDependentIsNotNull) !=
             Expr::NPCK_NotNull;
}

/// The expression naming the variable a branch condition tests for "not
/// created yet": `!p`, `p == nullptr`, `nullptr == p`, `!sp`, `!opt`,
/// `!opt.has_value()`, `opt == std::nullopt`, `!flag`, `flag == false`.
const Expr *unsetTest(const Expr *Cond, ASTContext &Ctx) {
  if (!Cond)
    return nullptr;
  Cond = Cond->IgnoreParenImpCasts();
  auto Compare = [&](const Expr *L, const Expr *R) -> const Expr * {
    if (isEmptyValue(R, Ctx))
      return presenceOf(L);
    if (isEmptyValue(L, Ctx))
      return presenceOf(R);
    return nullptr;
  };
  if (const auto *U = dyn_cast<UnaryOperator>(Cond))
    return U->getOpcode() == UO_LNot ? presenceOf(U->getSubExpr()) : nullptr;
  if (const auto *R = dyn_cast<CXXRewrittenBinaryOperator>(Cond)) {
    CXXRewrittenBinaryOperator::DecomposedForm F = R->getDecomposedForm();
    return F.Opcode == BO_EQ ? Compare(F.LHS, F.RHS) : nullptr;
  }
  if (const auto *B = dyn_cast<BinaryOperator>(Cond))
    return B->getOpcode() == BO_EQ ? Compare(B->getLHS(), B->getRHS())
                                   : nullptr;
  if (const auto *Op = dyn_cast<CXXOperatorCallExpr>(Cond))
    return Op->getOperator() == OO_EqualEqual && Op->getNumArgs() == 2
               ? Compare(Op->getArg(0), Op->getArg(1))
               : nullptr;
  return nullptr;
}

/// Whether \p Value, stored into a variable of kind \p K, creates it: a
/// `new` or a factory call for a raw pointer, anything but empty for a
/// smart pointer or an optional, `true` (or a non-zero literal) for a flag.
bool createsValue(const Expr *Value, LazyKind K, ASTContext &Ctx) {
  if (!Value || isEmptyValue(Value, Ctx))
    return false;
  const Expr *V = Value->IgnoreParenImpCasts();
  switch (K) {
  case LazyKind::Pointer:
    return isa<CXXNewExpr, CallExpr>(V);
  case LazyKind::SmartPointer:
  case LazyKind::Optional:
    return true;
  case LazyKind::Flag:
    if (const auto *B = dyn_cast<CXXBoolLiteralExpr>(V))
      return B->getValue();
    if (const auto *I = dyn_cast<IntegerLiteral>(V))
      return I->getValue() != 0;
    return false;
  }
  return false;
}

/// A statement that creates the variable \p D: `D = new T`, `D =
/// std::make_unique<T>()`, `D.reset(new T)`, `D.emplace(...)`, `D = true`.
/// The value stored is set in \p Value when there is one.
bool isCreation(const Stmt *S, const ValueDecl *D, ASTContext &Ctx,
                const Expr **Value = nullptr) {
  const auto *E = dyn_cast<Expr>(S);
  if (!E)
    return false;
  E = E->IgnoreParenImpCasts();
  std::optional<LazyKind> K = kindOf(D->getType());
  if (!K)
    return false;
  const Expr *Target = nullptr, *Stored = nullptr;
  bool Creates = false;
  if (const auto *B = dyn_cast<BinaryOperator>(E);
      B && B->getOpcode() == BO_Assign) {
    Target = B->getLHS();
    Stored = B->getRHS();
    Creates = createsValue(Stored, *K, Ctx);
  } else if (const auto *Op = dyn_cast<CXXOperatorCallExpr>(E);
             Op && Op->getOperator() == OO_Equal && Op->getNumArgs() == 2) {
    Target = Op->getArg(0);
    Stored = Op->getArg(1);
    Creates = createsValue(Stored, *K, Ctx);
  } else if (const auto *MC = dyn_cast<CXXMemberCallExpr>(E)) {
    const CXXMethodDecl *MD = MC->getMethodDecl();
    Target = MC->getImplicitObjectArgument();
    if (MD && MD->getIdentifier() &&
        ((MD->getName() == "reset" && MC->getNumArgs() >= 1 &&
          *K == LazyKind::SmartPointer &&
          !isEmptyValue(MC->getArg(0), Ctx)) ||
         (MD->getName() == "emplace" && *K == LazyKind::Optional)))
      Creates = true;
  }
  if (!Creates || lazyVariable(Target) != D)
    return false;
  if (Value)
    *Value = Stored;
  return true;
}

/// Visits \p S and what it contains (not lambdas, not nested too deep).
template <typename Fn>
void forEachInside(const Stmt *S, Fn &&Visit, unsigned Depth = 0) {
  if (!S || Depth > MaxDepth || isa<LambdaExpr>(S))
    return;
  if (!Visit(S))
    return;
  for (const Stmt *C : S->children())
    forEachInside(C, Visit, Depth + 1);
}

/// The first creation of \p D in \p S.
const Expr *findCreation(const Stmt *S, const ValueDecl *D, ASTContext &Ctx) {
  const Expr *Found = nullptr;
  forEachInside(S, [&](const Stmt *X) {
    if (Found)
      return false;
    if (isCreation(X, D, Ctx))
      Found = cast<Expr>(X);
    return !Found;
  });
  return Found;
}

/// An `if` inside \p S that tests \p D again and creates it.
const IfStmt *findInnerCheck(const Stmt *S, const ValueDecl *D,
                             ASTContext &Ctx) {
  const IfStmt *Found = nullptr;
  forEachInside(S, [&](const Stmt *X) {
    if (Found)
      return false;
    const auto *If = dyn_cast<IfStmt>(X);
    if (If && lazyVariable(unsetTest(If->getCond(), Ctx)) == D &&
        findCreation(If->getThen(), D, Ctx))
      Found = If;
    return !Found;
  });
  return Found;
}

std::string nameOf(const ValueDecl *D) { return D->getNameAsString(); }

/// The text of `new T(args)` for the fix-it, when the check-then-create is
/// exactly `static T *p = nullptr; if (!p) p = new T(args);`: the
/// declaration statement right before the `if`, the `if` with no else whose
/// branch is that assignment alone, and no other write of `p` in the
/// function. Empty when any of that does not hold.
std::optional<FixItHint> staticInitFix(const IfStmt *If, const ValueDecl *D,
                                       const Expr *Creation,
                                       const FunctionDecl *FD,
                                       ASTContext &Ctx) {
  const auto *VD = dyn_cast<VarDecl>(D);
  if (!VD || !VD->isStaticLocal() || !VD->getType()->isPointerType() ||
      VD->getDeclContext() != FD || If->getElse() || If->getInit() ||
      If->getConditionVariable() || If->isConstexpr())
    return std::nullopt;
  if (VD->getInit() && !isEmptyValue(VD->getInit(), Ctx))
    return std::nullopt;
  // The branch is the assignment alone.
  const Stmt *Then = If->getThen();
  if (const auto *C = dyn_cast<CompoundStmt>(Then))
    Then = C->size() == 1 ? C->body_front() : nullptr;
  const auto *Assign = dyn_cast_or_null<BinaryOperator>(Then);
  if (!Assign || Assign != Creation->IgnoreParens() ||
      !isa<CXXNewExpr>(Assign->getRHS()->IgnoreParenImpCasts()))
    return std::nullopt;
  // The declaration right before the `if`, declaring the variable alone.
  DynTypedNodeList Parents = Ctx.getParents(*If);
  const auto *Block =
      Parents.size() == 1 ? Parents[0].get<CompoundStmt>() : nullptr;
  if (!Block)
    return std::nullopt;
  const DeclStmt *Decl = nullptr;
  for (auto It = Block->body_begin(); It != Block->body_end(); ++It)
    if (*It == If && It != Block->body_begin())
      Decl = dyn_cast<DeclStmt>(*std::prev(It));
  if (!Decl || !Decl->isSingleDecl() || Decl->getSingleDecl() != VD)
    return std::nullopt;
  // No other write of the variable, nor its address taken.
  bool OtherWrite = false;
  forEachInside(FD->getBody(), [&](const Stmt *S) {
    if (S == Assign || OtherWrite)
      return !OtherWrite;
    const Expr *Target = nullptr;
    if (const auto *B = dyn_cast<BinaryOperator>(S); B && B->isAssignmentOp())
      Target = B->getLHS();
    else if (const auto *U = dyn_cast<UnaryOperator>(S);
             U && (U->isIncrementDecrementOp() || U->getOpcode() == UO_AddrOf))
      Target = U->getSubExpr();
    if (Target && lazyVariable(Target) == D)
      OtherWrite = true;
    return !OtherWrite;
  });
  if (OtherWrite)
    return std::nullopt;
  // Nor through a lambda capturing it by reference (lambdas are skipped
  // above): a static local is not captured, it is named; any write in a
  // lambda counts.
  bool LambdaWrite = false;
  struct LambdaWrites : RecursiveASTVisitor<LambdaWrites> {
    const ValueDecl *D;
    bool &Found;
    unsigned Depth = 0;
    LambdaWrites(const ValueDecl *D, bool &Found) : D(D), Found(Found) {}
    bool TraverseLambdaExpr(LambdaExpr *L) {
      ++Depth;
      bool Continue = RecursiveASTVisitor::TraverseLambdaExpr(L);
      --Depth;
      return Continue;
    }
    bool VisitDeclRefExpr(DeclRefExpr *E) {
      if (Depth && E->getDecl()->getCanonicalDecl() == D)
        Found = true;
      return !Found;
    }
  } W(D, LambdaWrite);
  W.TraverseStmt(FD->getBody());
  if (LambdaWrite)
    return std::nullopt;
  const SourceManager &SM = Ctx.getSourceManager();
  const LangOptions &LO = Ctx.getLangOpts();
  const Stmt *Last = If->getThen();
  if (Decl->getBeginLoc().isMacroID() || Last->getEndLoc().isMacroID() ||
      If->getBeginLoc().isMacroID())
    return std::nullopt;
  std::optional<std::string> NewText =
      sourceText(Assign->getRHS()->getSourceRange(), Ctx);
  if (!NewText)
    return std::nullopt;
  // Up to and including the `;` ending the `if`.
  SourceLocation End;
  if (isa<CompoundStmt>(Last)) {
    End = Lexer::getLocForEndOfToken(Last->getEndLoc(), 0, SM, LO);
  } else {
    std::optional<Token> Semi = Lexer::findNextToken(Last->getEndLoc(), SM, LO);
    if (!Semi || !Semi->is(tok::semi))
      return std::nullopt;
    End = Semi->getEndLoc();
  }
  SourceLocation Begin;
  std::string Replacement;
  if (const Expr *Init = VD->getInit()) {
    if (VD->getInitStyle() != VarDecl::CInit)
      return std::nullopt;
    Begin = Init->getBeginLoc();
    Replacement = *NewText + ";";
  } else {
    Begin = Lexer::getLocForEndOfToken(VD->getLocation(), 0, SM, LO);
    Replacement = " = " + *NewText + ";";
  }
  if (Begin.isInvalid() || End.isInvalid() || Begin.isMacroID())
    return std::nullopt;
  return FixItHint::CreateReplacement(CharSourceRange::getCharRange(Begin, End),
                                      Replacement);
}

} // namespace

/// Why two threads may run one check-then-create at once.
struct UnsafeLazyInitCheck::Evidence {
  enum Kind {
    Instances, ///< the work running it is spawned several times
    TwoSpawns, ///< two spawns run it
    Caller,    ///< it also runs in a call made while the work runs
    Public,    ///< a public method of the work's class, also called by it
  } K;
  const Expr *Spawn = nullptr;
  const Expr *Other = nullptr; ///< the second spawn, or the call
};

std::optional<UnsafeLazyInitCheck::Evidence>
UnsafeLazyInitCheck::concurrentRuns(const IfStmt *If, const FunctionDecl *FD,
                                    ASTContext &Ctx) {
  ConcurrencyModel &M = ConcurrencyModel::get(Ctx, ModelOpts, Model);
  llvm::ArrayRef<EntryReach> Reaches = M.entryReaches(FD);
  if (Reaches.empty())
    return std::nullopt;
  llvm::ArrayRef<SpawnRecord> Records = M.spawns();
  // Callers that hold a lock on every call: the whole check-then-create
  // runs under it.
  EntryLocks &Entry = M.guards().entryLocks();
  if (!Entry.at(FD).empty())
    return std::nullopt;
  // Several instances of the work.
  for (const EntryReach &R : Reaches)
    if (M.manyInstances(R.Spawn))
      return Evidence{Evidence::Instances, Records[R.Spawn].Site.Site, nullptr};
  // Two pieces of work, unless one is started after the other was waited.
  for (const EntryReach &A : Reaches)
    for (const EntryReach &B : Reaches) {
      if (A.Spawn >= B.Spawn)
        continue;
      const SpawnRecord &RA = Records[A.Spawn], &RB = Records[B.Spawn];
      if (RA.Spawner == RB.Spawner &&
          (M.isAfterWait(RB.Site.Site, A.Spawn, RB.Spawner) ||
           M.isAfterWait(RA.Site.Site, B.Spawn, RA.Spawner)))
        continue;
      return Evidence{Evidence::TwoSpawns, RA.Site.Site, RB.Site.Site};
    }
  // A call from outside the work, made while it runs: the spawner between
  // the spawn and the wait, other work, a public method of the work's class.
  unsigned Asked = 0;
  for (const EntryLocks::CallSite &C : Entry.callersOf(FD)) {
    if (!C.Caller || ++Asked > MaxCallers)
      break;
    for (const EntryReach &R : Reaches) {
      const SpawnRecord &Rec = Records[R.Spawn];
      if (llvm::any_of(M.entryReaches(C.Caller), [&](const EntryReach &CR) {
            return CR.Spawn == R.Spawn;
          }))
        continue; // the work's own call
      // A method of the work's class the spawner does not run, and no one
      // outside the class can call: the model's class rule would take it
      // to run with the work, but nothing shows another thread calls it.
      const auto *MD = dyn_cast<CXXMethodDecl>(outermostFunction(C.Caller));
      if (Rec.Class && classOfFunction(C.Caller) == Rec.Class &&
          outermostFunction(C.Caller) != outermostFunction(Rec.Spawner) &&
          M.entryReaches(C.Caller).empty() &&
          (!MD || MD->getAccess() != AS_public))
        continue;
      if (M.order(If->getCond(), C.Call, FD, C.Caller) ==
          ConcurrencyModel::Order::Concurrent)
        return Evidence{Evidence::Caller, Rec.Site.Site, C.Call};
    }
  }
  // A public method of the class the work runs on, called by the work
  // itself: the class's users call it on their own threads.
  const auto *MD = dyn_cast<CXXMethodDecl>(FD);
  if (MD && MD->getAccess() == AS_public && !MD->isStatic() &&
      !isa<CXXConstructorDecl, CXXDestructorDecl>(MD) &&
      MD->isExternallyVisible() && !MD->getParent()->isLambda())
    for (const EntryReach &R : Reaches) {
      const SpawnRecord &Rec = Records[R.Spawn];
      if (!R.Call || !Rec.Class ||
          Rec.Class != MD->getParent()->getCanonicalDecl() ||
          llvm::is_contained(Rec.Bodies, FD) || M.isAfterWait(If->getCond(), R.Spawn, FD))
        continue;
      return Evidence{Evidence::Public, Rec.Site.Site, R.Call};
    }
  return std::nullopt;
}

UnsafeLazyInitCheck::UnsafeLazyInitCheck(StringRef Name,
                                         ClangTidyContext *Context)
    : ClangTidyCheck(Name, Context), ModelOpts(ModelOptions::read(Options)) {}

void UnsafeLazyInitCheck::storeOptions(ClangTidyOptions::OptionMap &Opts) {
  ModelOpts.store(Options, Opts);
}

void UnsafeLazyInitCheck::onEndOfTranslationUnit() {
  Reported.clear();
  Model.reset();
}

void UnsafeLazyInitCheck::registerMatchers(MatchFinder *Finder) {
  Finder->addMatcher(ifStmt(unless(isExpansionInSystemHeader())).bind("if"),
                     this);
}

void UnsafeLazyInitCheck::check(const MatchFinder::MatchResult &Result) {
  const auto *If = Result.Nodes.getNodeAs<IfStmt>("if");
  ASTContext &Ctx = *Result.Context;
  const SourceManager &SM = Ctx.getSourceManager();
  if (!If || !If->getThen() || If->isConstexpr() ||
      If->getConditionVariable() ||
      inForeignMacro(If->getBeginLoc(), SM))
    return;
  const Expr *Tested = unsetTest(If->getCond(), Ctx);
  const ValueDecl *D = lazyVariable(Tested);
  if (!D)
    return;
  const Expr *Creation = findCreation(If->getThen(), D, Ctx);
  if (!Creation || hasErrors(If))
    return;
  const FunctionDecl *FD = enclosingFunction(If, Ctx);
  if (!FD || FD->isInvalidDecl() || !FD->getBody() ||
      isa<CXXConstructorDecl, CXXDestructorDecl>(outermostFunction(FD)))
    return;
  // A static local is created where it is declared's function only; a
  // field of `this` in a lambda is the enclosing method's.
  ConcurrencyModel &M = ConcurrencyModel::get(Ctx, ModelOpts, Model);
  // The check itself under a lock (or unknown): the whole check-then-create
  // is serialised by it.
  const LockSet *AtCheck = M.locksHeldAt(If->getCond());
  if (!AtCheck || !AtCheck->empty())
    return;
  // Double-checked locking: a second check under a lock inside.
  const IfStmt *Inner = findInnerCheck(If->getThen(), D, Ctx);
  const LockSet *AtInner = Inner ? M.locksHeldAt(Inner->getCond()) : nullptr;
  const bool DoubleChecked = AtInner && !AtInner->empty();
  if (DoubleChecked)
    Creation = findCreation(Inner->getThen(), D, Ctx);
  const LockSet *AtCreation = M.locksHeldAt(Creation);
  const bool CreatedUnderLock =
      !DoubleChecked && AtCreation && !AtCreation->empty();
  std::optional<Evidence> Why;
  if (!DoubleChecked && !CreatedUnderLock) {
    Why = concurrentRuns(If, FD, Ctx);
    if (!Why)
      return;
  }
  if (!Reported.insert(SM.getExpansionLoc(If->getCond()->getBeginLoc())
                           .getRawEncoding())
           .second)
    return;

  const std::string Name = nameOf(D);
  const SourceLocation At = Tested->getBeginLoc();
  if (DoubleChecked) {
    diag(At, "double-checked locking reads '%0' outside the lock while "
             "another thread may be creating it under the lock; make it "
             "std::atomic with acquire/release or use std::call_once")
        << Name;
    diag(Creation->getBeginLoc(), "'%0' is created here, with '%1' held",
         DiagnosticIDs::Note)
        << Name << AtInner->front().Name;
    return;
  }
  if (CreatedUnderLock) {
    diag(At, "'%0' is checked outside the lock and created under it: two "
             "threads can both see it unset and both create it")
        << Name;
    diag(Creation->getBeginLoc(), "'%0' is created here, with '%1' held",
         DiagnosticIDs::Note)
        << Name << AtCreation->front().Name;
    return;
  }
  {
    auto Diag = diag(At, "lazy initialization of '%0' is not thread-safe: "
                         "two threads can both see it unset and both create "
                         "it; use a function-local static or std::call_once")
                << Name;
    if (std::optional<FixItHint> Fix =
            staticInitFix(If, D, Creation, FD, Ctx))
      Diag << *Fix;
  }
  diag(Creation->getBeginLoc(), "'%0' is created here", DiagnosticIDs::Note)
      << Name;
  switch (Why->K) {
  case Evidence::Instances:
    diag(Why->Spawn->getBeginLoc(),
         "this code runs in work started here, several instances of which "
         "run at once",
         DiagnosticIDs::Note);
    break;
  case Evidence::TwoSpawns:
    diag(Why->Spawn->getBeginLoc(),
         "this code runs on the thread started here", DiagnosticIDs::Note);
    diag(Why->Other->getBeginLoc(),
         "and on the thread started here, at the same time",
         DiagnosticIDs::Note);
    break;
  case Evidence::Caller:
    diag(Why->Spawn->getBeginLoc(),
         "this code runs on the thread started here", DiagnosticIDs::Note);
    diag(Why->Other->getBeginLoc(),
         "and is called here while that thread may run", DiagnosticIDs::Note);
    break;
  case Evidence::Public:
    diag(Why->Spawn->getBeginLoc(),
         "this code runs on the thread started here", DiagnosticIDs::Note);
    diag(FD->getLocation(),
         "'%0' is public: other threads may call it while that thread runs",
         DiagnosticIDs::Note)
        << FD->getNameAsString();
    break;
  }
}

} // namespace clang::tidy::threadlint
