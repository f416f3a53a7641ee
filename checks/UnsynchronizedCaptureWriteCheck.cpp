//===--- UnsynchronizedCaptureWriteCheck.cpp - threadlint -----------------===//
#include "UnsynchronizedCaptureWriteCheck.h"
#include "model/AstHelpers.h"
#include "model/BlockingModel.h"
#include "model/OptionLists.h"
#include "clang/AST/ParentMapContext.h"
#include "clang/AST/RecursiveASTVisitor.h"
#include "clang/ASTMatchers/ASTMatchFinder.h"
#include "llvm/ADT/StringSet.h"

using namespace clang::ast_matchers;

namespace clang::tidy::threadlint {

namespace {

const CXXRecordDecl *stdRecord(QualType T) {
  const CXXRecordDecl *RD = T.getNonReferenceType()->getAsCXXRecordDecl();
  if (RD && RD->isInStdNamespace() && RD->getIdentifier())
    return RD;
  return nullptr;
}

bool isStdContainerOrString(QualType T) {
  static const llvm::StringSet<> Names = {
      "vector", "deque", "list", "forward_list", "map", "multimap",
      "unordered_map", "unordered_multimap", "set", "multiset",
      "unordered_set", "unordered_multiset", "basic_string", "queue",
      "stack", "priority_queue"};
  const CXXRecordDecl *RD = stdRecord(T);
  return RD && Names.contains(RD->getName());
}

bool isStdMap(QualType T) {
  const CXXRecordDecl *RD = stdRecord(T);
  return RD && (RD->getName() == "map" || RD->getName() == "unordered_map");
}

bool isMutatingMethod(llvm::StringRef Name) {
  static const llvm::StringSet<> Names = {
      "push_back", "emplace_back", "push_front", "emplace_front", "pop_back",
      "pop_front", "insert", "emplace", "emplace_hint", "try_emplace",
      "insert_or_assign", "erase", "clear", "resize", "reserve", "assign",
      "append", "push", "pop", "swap", "merge", "extract", "replace",
      "shrink_to_fit", "sort", "unique", "remove", "remove_if", "splice"};
  return Names.contains(Name);
}

/// A scalar (or pointer, or enum) that is not atomic, or a standard
/// container or string.
bool isRacyType(QualType T) {
  T = T.getNonReferenceType();
  if (T.isConstQualified() || T->isAtomicType())
    return false;
  if (T->isScalarType())
    return true;
  return isStdContainerOrString(T);
}

/// The variable written by \p Target (`x`, `x.push_back(...)`'s object,
/// `m[k]` for a std::map), or null when the write is not one this check
/// judges (vector and array elements are taken as per-task slots).
const VarDecl *writtenVar(const Expr *Target) {
  Target = Target->IgnoreParenImpCasts();
  if (const auto *DRE = dyn_cast<DeclRefExpr>(Target))
    return dyn_cast<VarDecl>(DRE->getDecl());
  if (const auto *Op = dyn_cast<CXXOperatorCallExpr>(Target))
    if (Op->getOperator() == OO_Subscript && Op->getNumArgs() == 2 &&
        isStdMap(Op->getArg(0)->getType()))
      return writtenVar(Op->getArg(0));
  return nullptr;
}

/// The writes of a spawned body, not entering nested lambdas.
class WriteFinder : public RecursiveASTVisitor<WriteFinder> {
public:
  std::vector<std::pair<const VarDecl *, const Expr *>> Found;
  bool TraverseLambdaExpr(LambdaExpr *) { return true; }

  bool VisitBinaryOperator(BinaryOperator *B) {
    if (B->isAssignmentOp())
      add(B->getLHS(), B);
    return true;
  }
  bool VisitUnaryOperator(UnaryOperator *U) {
    if (U->isIncrementDecrementOp())
      add(U->getSubExpr(), U);
    return true;
  }
  bool VisitCXXOperatorCallExpr(CXXOperatorCallExpr *Op) {
    // Assignments and compound assignments on strings and containers, and
    // the insertion a map's operator[] makes.
    if (Op->getNumArgs() >= 1 &&
        isStdContainerOrString(Op->getArg(0)->getType()) &&
        (Op->isAssignmentOp() ||
         (Op->getOperator() == OO_Subscript &&
          isStdMap(Op->getArg(0)->getType()))))
      add(Op->getArg(0), Op);
    return true;
  }
  bool VisitCXXMemberCallExpr(CXXMemberCallExpr *MC) {
    const CXXMethodDecl *MD = MC->getMethodDecl();
    const Expr *Object = MC->getImplicitObjectArgument();
    if (MD && MD->getIdentifier() && Object &&
        isStdContainerOrString(Object->getType()) &&
        isMutatingMethod(MD->getName()))
      add(Object, MC);
    return true;
  }

private:
  void add(const Expr *Target, const Expr *Where) {
    if (const VarDecl *V = writtenVar(Target))
      Found.push_back({V, Where});
  }
};

/// Uses of \p V in \p S (not entering lambdas).
class UseFinder : public RecursiveASTVisitor<UseFinder> {
public:
  explicit UseFinder(const VarDecl *V) : V(V) {}
  std::vector<const DeclRefExpr *> Uses;
  bool TraverseLambdaExpr(LambdaExpr *) { return true; }
  bool VisitDeclRefExpr(DeclRefExpr *E) {
    if (E->getDecl() == V)
      Uses.push_back(E);
    return true;
  }

private:
  const VarDecl *V;
};

/// The first `h.join()` / `h.get()` / `h.wait()` on the variable \p Holder
/// after \p After in \p Body.
class JoinFinder : public RecursiveASTVisitor<JoinFinder> {
public:
  JoinFinder(const NamedDecl *Holder, SourceLocation After,
             const SourceManager &SM)
      : Holder(Holder), After(After), SM(SM) {}
  std::optional<SourceLocation> First;
  bool VisitCXXMemberCallExpr(CXXMemberCallExpr *MC) {
    const CXXMethodDecl *MD = MC->getMethodDecl();
    if (!MD || !MD->getIdentifier())
      return true;
    llvm::StringRef N = MD->getName();
    if (N != "join" && N != "get" && N != "wait")
      return true;
    if (referencedDecl(MC->getImplicitObjectArgument()) != Holder)
      return true;
    SourceLocation L = MC->getBeginLoc();
    if (isBefore(After, L, SM) && (!First || isBefore(L, *First, SM)))
      First = L;
    return true;
  }

private:
  const NamedDecl *Holder;
  SourceLocation After;
  const SourceManager &SM;
};

/// Whether \p S makes, before \p Before, a call that may order it with
/// other threads: an atomic operation, a lock, a wait, a blocking call (a
/// pipe read, a join), a happens-before annotation. Such code may be
/// synchronised in ways this check cannot follow, so it does not judge it.
class SyncFinder : public RecursiveASTVisitor<SyncFinder> {
public:
  SyncFinder(SourceLocation After, SourceLocation Before,
             const SourceManager &SM)
      : After(After), Before(Before), SM(SM), Blocking({}, false) {}
  bool Found = false;
  bool TraverseLambdaExpr(LambdaExpr *) { return true; }
  bool VisitAtomicExpr(AtomicExpr *E) { return note(E); }
  // A polling loop whose condition calls something (`while
  // (!server.is_running()) sleep_for(1ms);`) waits for a state the other
  // thread publishes: a handshake this check cannot see through.
  bool VisitWhileStmt(WhileStmt *W) { return pollingLoop(W->getCond(), W); }
  bool VisitDoStmt(DoStmt *D) { return pollingLoop(D->getCond(), D); }
  bool VisitForStmt(ForStmt *F) { return pollingLoop(F->getCond(), F); }
  bool VisitCallExpr(CallExpr *E) {
    if (!inRange(E))
      return true;
    // A wait that another thread's action ends (I/O, a join, a future, a
    // latch, a barrier, a semaphore) may order this thread after it.
    // Sleeps order nothing, and a condition-variable wait or a lock only
    // protects what is done while the lock is held, which the lock model
    // already judges.
    if (std::optional<BlockingCall> B = Blocking.blocks(E))
      if (B->Family != "sleep" && B->Family != "console output" &&
          B->Family != "process")
        return note(E);
    if (const auto *MC = dyn_cast<CXXMemberCallExpr>(E))
      if (const Expr *Object = MC->getImplicitObjectArgument()) {
        const CXXRecordDecl *RD =
            Object->getType().getNonReferenceType()->getAsCXXRecordDecl();
        if (RD && RD->isInStdNamespace() && RD->getIdentifier() &&
            RD->getName().starts_with("atomic"))
          return note(E);
      }
    const FunctionDecl *FD = E->getDirectCallee();
    if (FD && FD->getIdentifier()) {
      std::string Name = FD->getName().lower();
      for (const char *Word : {"barrier", "latch", "semaphore", "sem_wait",
                               "annotate", "happens", "join"})
        if (llvm::StringRef(Name).contains(Word))
          return note(E);
    }
    return true;
  }

private:
  bool pollingLoop(const Expr *Cond, const Stmt *Loop) {
    // Only the spawner's waiting counts (a range [After, Before) is given);
    // a task's own loops are its work.
    if (!Cond || After.isInvalid() ||
        !isBefore(Loop->getBeginLoc(), Before, SM) ||
        (After.isValid() && !isBefore(After, Loop->getBeginLoc(), SM)))
      return true;
    struct HasCall : RecursiveASTVisitor<HasCall> {
      bool Found = false;
      bool VisitCallExpr(CallExpr *) { return !(Found = true); }
    } C;
    C.TraverseStmt(const_cast<Expr *>(Cond));
    if (C.Found)
      Found = true;
    return !Found;
  }
  bool inRange(const Stmt *E) const {
    return isBefore(E->getBeginLoc(), Before, SM) &&
           (After.isInvalid() || isBefore(After, E->getBeginLoc(), SM));
  }
  bool note(const Expr *E) {
    if (inRange(E))
      Found = true;
    return !Found;
  }
  SourceLocation After;
  SourceLocation Before;
  const SourceManager &SM;
  BlockingModel Blocking;
};

bool syncsBefore(const Stmt *S, SourceLocation Before,
                 const SourceManager &SM) {
  SyncFinder F(SourceLocation(), Before, SM);
  F.TraverseStmt(const_cast<Stmt *>(S));
  return F.Found;
}

/// The same, for calls between \p After and \p Before.
bool syncsBetween(const Stmt *S, SourceLocation After, SourceLocation Before,
                  const SourceManager &SM) {
  SyncFinder F(After, Before, SM);
  F.TraverseStmt(const_cast<Stmt *>(S));
  return F.Found;
}

} // namespace

UnsynchronizedCaptureWriteCheck::UnsynchronizedCaptureWriteCheck(
    StringRef Name, ClangTidyContext *Context)
    : ClangTidyCheck(Name, Context),
      Spawns(parseList(Options.get("SpawnFunctions",
                                   SpawnModel::defaultSpawnFunctions()))),
      LockOptions{parseList(Options.get("LockTypes",
                                        LockModelOptions::defaultLockTypes())),
                  parseList(Options.get(
                      "GuardTypes", LockModelOptions::defaultGuardTypes()))} {}

void UnsynchronizedCaptureWriteCheck::storeOptions(
    ClangTidyOptions::OptionMap &Opts) {
  Options.store(Opts, "SpawnFunctions",
                serializeList(Spawns.spawnFunctions()));
  Options.store(Opts, "LockTypes", serializeList(LockOptions.LockTypes));
  Options.store(Opts, "GuardTypes", serializeList(LockOptions.GuardTypes));
}

void UnsynchronizedCaptureWriteCheck::registerMatchers(MatchFinder *Finder) {
  Finder->addMatcher(Spawns.candidateMatcher(), this);
}

void UnsynchronizedCaptureWriteCheck::check(
    const MatchFinder::MatchResult &Result) {
  Context = Result.Context;
  const auto *E = Result.Nodes.getNodeAs<Expr>("spawn");
  if (!E || !SitesSeen.insert(E).second)
    return;
  const SourceManager &SM = *Result.SourceManager;
  if (SM.isInSystemHeader(SM.getExpansionLoc(E->getBeginLoc())))
    return;
  if (std::optional<SpawnSite> Site = Spawns.classify(E, *Result.Context))
    checkSite(*Site, *Result.Context);
}

void UnsynchronizedCaptureWriteCheck::checkSite(const SpawnSite &Site,
                                                ASTContext &Ctx) {
  const FunctionDecl *Body = Site.Body;
  const FunctionDecl *Def = nullptr;
  if (!Body || !Body->hasBody(Def) || !Def || Def->isInvalidDecl() ||
      Def->isDependentContext() || hasErrors(Def->getBody()))
    return;
  const SourceManager &SM = Ctx.getSourceManager();
  if (SM.isInSystemHeader(Def->getLocation()))
    return;
  const FunctionDecl *Spawner = enclosingFunction(Site.Site, Ctx);
  if (!Spawner || !Spawner->getBody() || Spawner->isDependentContext())
    return;

  WriteFinder Finder;
  Finder.TraverseStmt(Def->getBody());
  if (Finder.Found.empty())
    return;
  std::unique_ptr<LockModel> Locks;
  if (LockModel::mayLock(Def->getBody(), LockOptions))
    Locks = std::make_unique<LockModel>(Def->getBody(), Def, Ctx, LockOptions);

  // Several instances at once: spawned in a loop, outliving the iteration.
  const Stmt *Loop = enclosingLoop(Site.Site, Spawner->getBody(), Ctx);
  const bool Several =
      Loop && Spawns.lifetimeIn(Site, loopBody(Loop), Ctx).outlives();
  const Lifetime InFunction = Spawns.lifetimeIn(Site, Spawner->getBody(), Ctx);

  llvm::DenseSet<const VarDecl *> Done;
  for (const auto &[Var, Where] : Finder.Found) {
    if (!Done.insert(Var).second)
      continue;
    // Shared: captured by reference by the lambda, or a global / static.
    SourceLocation Capture;
    bool Shared = false;
    if (Site.Lambda)
      for (const LambdaCapture &C : Site.Lambda->captures())
        if (C.capturesVariable() && C.getCapturedVar() == Var &&
            C.getCaptureKind() == LCK_ByRef) {
          Shared = true;
          Capture = C.isImplicit() ? Site.Lambda->getCaptureDefaultLoc()
                                   : C.getLocation();
        }
    if (Var->hasGlobalStorage() && Var->getTLSKind() == VarDecl::TLS_None &&
        !Var->isLocalVarDecl())
      Shared = true;
    if (Var->isStaticLocal())
      Shared = true;
    if (!Shared || !isRacyType(Var->getType()))
      continue;
    // A write under a lock (or where the lock state is unknown).
    if (Locks) {
      const LockSet *Held = Locks->heldAt(Where);
      if (!Held || !Held->empty())
        continue;
    }
    // A thread a constructor's initialiser list starts lives in a member.
    const bool InInitializer = isa<CXXConstructorDecl>(Spawner) &&
                               !contains(Spawner->getBody(), Site.Site, Ctx);
    // Something in the task may order the write (a wait, a lock, a pipe
    // read): do not judge it.
    if (syncsBefore(Def->getBody(), Where->getBeginLoc(), SM))
      continue;
    Write W{Var,     Where, Site.Site, Capture, Spawner, InFunction.Holder,
            InFunction.outlives() || InInitializer};
    Writes[Var].push_back(W);

    if (Several) {
      report(W, Why::SeveralInstances, SourceLocation(), Ctx);
      continue;
    }
    // The spawning function uses the variable before it joins the work.
    if (Capture.isValid() && InFunction.Holder) {
      JoinFinder Joins(InFunction.Holder, Site.Site->getEndLoc(), SM);
      Joins.TraverseStmt(Spawner->getBody());
      if (!Joins.First)
        continue;
      UseFinder Uses(Var);
      Uses.TraverseStmt(Spawner->getBody());
      for (const DeclRefExpr *U : Uses.Uses)
        if (isBefore(Site.Site->getEndLoc(), U->getBeginLoc(), SM) &&
            isBefore(U->getBeginLoc(), *Joins.First, SM) &&
            !syncsBetween(Spawner->getBody(), Site.Site->getEndLoc(),
                          U->getBeginLoc(), SM)) {
          report(W, Why::ParentUses, U->getBeginLoc(), Ctx);
          break;
        }
    }
  }
}

void UnsynchronizedCaptureWriteCheck::report(const Write &W, Why Reason,
                                             SourceLocation Other,
                                             ASTContext &Ctx) {
  const SourceManager &SM = Ctx.getSourceManager();
  if (!Reported.insert(SM.getExpansionLoc(W.Where->getBeginLoc())
                           .getRawEncoding())
           .second)
    return;
  diag(W.Where->getBeginLoc(),
       "unsynchronized write to '%0', %select{captured by reference|a "
       "global}1: %select{several instances of this task run at once|another "
       "spawned task writes it too|the spawning function uses it before "
       "joining}2; protect it with a lock, make it atomic, or give each task "
       "its own")
      << W.Var->getName() << W.Capture.isInvalid() << static_cast<int>(Reason);
  if (W.Capture.isValid())
    diag(W.Capture, "'%0' is captured by reference here", DiagnosticIDs::Note)
        << W.Var->getName();
  diag(W.Site->getBeginLoc(),
       Reason == Why::SeveralInstances
           ? "the task is spawned here, once per loop iteration"
           : "the task is spawned here",
       DiagnosticIDs::Note);
  if (Reason == Why::TwoSites)
    diag(Other, "another task that writes '%0' is spawned here",
         DiagnosticIDs::Note)
        << W.Var->getName();
  else if (Reason == Why::ParentUses)
    diag(Other, "the spawning function uses '%0' here, before joining",
         DiagnosticIDs::Note)
        << W.Var->getName();
}

bool UnsynchronizedCaptureWriteCheck::mayOverlap(const Write &A,
                                                 const Write &B,
                                                 ASTContext &Ctx) const {
  if (A.Spawner != B.Spawner)
    // Different functions: only work that outlives both spawners is known
    // to run alongside the other (a thread a constructor starts and one a
    // shutdown function detaches).
    return A.OutlivesSpawner && B.OutlivesSpawner;
  // One function: the earlier work must still run when the later starts.
  const SourceManager &SM = Ctx.getSourceManager();
  const Write &First =
      isBefore(A.Site->getBeginLoc(), B.Site->getBeginLoc(), SM) ? A : B;
  const Write &Second = &First == &A ? B : A;
  if (!First.Holder)
    return First.OutlivesSpawner;
  JoinFinder Joins(First.Holder, First.Site->getEndLoc(), SM);
  Joins.TraverseStmt(First.Spawner->getBody());
  return !Joins.First || !isBefore(*Joins.First, Second.Site->getBeginLoc(), SM);
}

void UnsynchronizedCaptureWriteCheck::onEndOfTranslationUnit() {
  if (Context)
    for (const auto &[Var, List] : Writes) {
      // Written (unlocked) by two or more spawn sites.
      llvm::SmallPtrSet<const Expr *, 4> Sites;
      for (const Write &W : List)
        Sites.insert(W.Site);
      if (Sites.size() < 2)
        continue;
      for (const Write &W : List) {
        const Write *Other = nullptr;
        for (const Write &O : List)
          if (O.Site != W.Site && mayOverlap(W, O, *Context)) {
            Other = &O;
            break;
          }
        if (Other)
          report(W, Why::TwoSites, Other->Site->getBeginLoc(), *Context);
      }
    }
  Writes.clear();
  SitesSeen.clear();
  Reported.clear();
  Context = nullptr;
}

} // namespace clang::tidy::threadlint
