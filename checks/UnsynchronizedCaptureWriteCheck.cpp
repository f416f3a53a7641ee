//===--- UnsynchronizedCaptureWriteCheck.cpp - threadlint -----------------===//
#include "UnsynchronizedCaptureWriteCheck.h"
#include "model/AstHelpers.h"
#include "model/HandOff.h"
#include "model/BlockingModel.h"
#include "model/ConcurrencyModel.h"
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

/// Containers whose elements are bits packed into shared words: writing one
/// element reads and writes its neighbours too.
enum class Bits { None, VectorBool, Bitset };

Bits bitContainer(QualType T) {
  const CXXRecordDecl *RD = stdRecord(T);
  if (!RD)
    return Bits::None;
  if (RD->getName() == "bitset")
    return Bits::Bitset;
  if (RD->getName() == "vector") {
    QualType Element = firstTemplateTypeArg(RD);
    if (!Element.isNull() && Element->isBooleanType())
      return Bits::VectorBool;
  }
  return Bits::None;
}

/// A type whose writes this check judges: a standard container or string,
/// or a std::bitset.
bool isJudgedClass(QualType T) {
  return isStdContainerOrString(T) || bitContainer(T) == Bits::Bitset;
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

/// set/reset/flip on a std::bitset, flip on a std::vector<bool>.
bool isBitMutatingMethod(llvm::StringRef Name, Bits Kind) {
  if (Kind == Bits::Bitset)
    return Name == "set" || Name == "reset" || Name == "flip";
  return Kind == Bits::VectorBool && Name == "flip";
}

/// A scalar (or pointer, or enum) that is not atomic, or a standard
/// container, string or bitset.
bool isRacyType(QualType T) {
  T = T.getNonReferenceType();
  if (T.isConstQualified() || T->isAtomicType())
    return false;
  if (T->isScalarType())
    return true;
  return isJudgedClass(T);
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

/// For an element of a std::vector<bool> or std::bitset (`v[i]`,
/// `v.at(i)`, the proxy object either returns): the container expression.
const Expr *bitElementContainer(const Expr *E) {
  E = E->IgnoreImplicit();
  if (const auto *Op = dyn_cast<CXXOperatorCallExpr>(E))
    if (Op->getOperator() == OO_Subscript && Op->getNumArgs() == 2 &&
        bitContainer(Op->getArg(0)->getType()) != Bits::None)
      return Op->getArg(0);
  if (const auto *MC = dyn_cast<CXXMemberCallExpr>(E))
    if (const CXXMethodDecl *MD = MC->getMethodDecl())
      if (MD->getIdentifier() && MD->getName() == "at" &&
          MC->getImplicitObjectArgument() &&
          bitContainer(MC->getImplicitObjectArgument()->getType()) !=
              Bits::None)
        return MC->getImplicitObjectArgument();
  return nullptr;
}

/// One write of a spawned body.
struct FoundWrite {
  const VarDecl *Var = nullptr;
  const Expr *Where = nullptr;
  /// The write sets one element of a bit container: other elements share
  /// its storage word.
  Bits Element = Bits::None;
};

/// The writes of a spawned body, not entering nested lambdas.
class WriteFinder : public RecursiveASTVisitor<WriteFinder> {
public:
  std::vector<FoundWrite> Found;
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
    if (Op->getNumArgs() < 1)
      return true;
    // `bits[i] = x`: the assignment of the proxy a std::vector<bool> or a
    // std::bitset returns.
    if (Op->isAssignmentOp())
      if (const Expr *Container = bitElementContainer(Op->getArg(0))) {
        addElement(Container, Op);
        return true;
      }
    // Assignments and compound assignments on strings, containers and
    // bitsets, and the insertion a map's operator[] makes.
    if (isJudgedClass(Op->getArg(0)->getType()) &&
        (Op->isAssignmentOp() ||
         (Op->getOperator() == OO_Subscript &&
          isStdMap(Op->getArg(0)->getType()))))
      add(Op->getArg(0), Op);
    return true;
  }
  bool VisitCXXMemberCallExpr(CXXMemberCallExpr *MC) {
    const CXXMethodDecl *MD = MC->getMethodDecl();
    const Expr *Object = MC->getImplicitObjectArgument();
    if (!MD || !MD->getIdentifier() || !Object)
      return true;
    llvm::StringRef Name = MD->getName();
    // `bits[i].flip()`
    if (Name == "flip")
      if (const Expr *Container = bitElementContainer(Object)) {
        addElement(Container, MC);
        return true;
      }
    const Bits Kind = bitContainer(Object->getType());
    if (isBitMutatingMethod(Name, Kind)) {
      // `bits.set(i)` writes one bit; `bits.set()` all of them.
      if (MC->getNumArgs() > 0)
        addElement(Object, MC);
      else
        add(Object, MC);
      return true;
    }
    if (isStdContainerOrString(Object->getType()) && isMutatingMethod(Name))
      add(Object, MC);
    return true;
  }

private:
  void add(const Expr *Target, const Expr *Where) {
    if (const VarDecl *V = writtenVar(Target))
      Found.push_back({V, Where, Bits::None});
  }
  void addElement(const Expr *Container, const Expr *Where) {
    if (const VarDecl *V = writtenVar(Container))
      Found.push_back({V, Where, bitContainer(V->getType())});
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

// ---- What may order an access with other threads --------------------------

/// Whether \p S only leaves the loop: `break;`, `return ...;`, or a block
/// ending in one of them.
bool exitsLoop(const Stmt *S) {
  if (const auto *Block = dyn_cast_or_null<CompoundStmt>(S))
    S = Block->body_empty() ? nullptr : Block->body_back();
  return isa_and_nonnull<BreakStmt, ReturnStmt>(S);
}

/// Whether \p Loc lies inside the source range of \p S.
bool inRangeOf(SourceLocation Loc, const Stmt *S, const SourceManager &SM) {
  return S && !isBefore(Loc, S->getBeginLoc(), SM) &&
         !isBefore(S->getEndLoc(), Loc, SM);
}

/// Whether the atomic load \p Load checks a stop flag of a loop whose body
/// contains \p Target: the loop's condition (`while (!stop) {...}`), or an
/// `if (stop) break;` in its body. Such a load does not order what the loop
/// body does with anything: the body runs while the flag is not yet set.
bool isStopFlagCheck(const Expr *Load, SourceLocation Target,
                     ASTContext &Ctx) {
  if (Target.isInvalid())
    return false;
  const SourceManager &SM = Ctx.getSourceManager();
  DynTypedNode Child = DynTypedNode::create(*Load);
  bool ExitTest = false;
  for (unsigned Depth = 0; Depth < 64; ++Depth) {
    DynTypedNodeList Parents = Ctx.getParents(Child);
    if (Parents.empty())
      return false;
    const DynTypedNode Parent = Parents[0];
    const auto *P = Parent.get<Stmt>();
    if (!P) {
      if (Parent.get<VarDecl>() || Parent.get<DeclStmt>()) {
        Child = Parent; // a condition variable
        continue;
      }
      return false; // a function or a lambda's class
    }
    if (isa<LambdaExpr>(P))
      return false;
    const Stmt *C = Child.get<Stmt>();
    if (const auto *If = dyn_cast<IfStmt>(P))
      if (C != If->getThen() && C != If->getElse() && !If->getElse() &&
          exitsLoop(If->getThen()))
        ExitTest = true;
    if (isLoop(P)) {
      // The innermost loop decides: its condition (or a for's increment,
      // or a condition variable) checked each round, or an exit test in
      // its body; the write must be in that loop's body.
      const auto *For = dyn_cast<ForStmt>(P);
      const bool FromHeader =
          C && (C == loopCondition(P) || (For && C == For->getInc()) ||
                (isa<DeclStmt>(C) && !isa<CXXForRangeStmt>(P) &&
                 !(For && C == For->getInit())));
      if (!FromHeader && !(ExitTest && C == loopBody(P)))
        return false;
      return inRangeOf(Target, loopBody(P), SM);
    }
    Child = Parent;
  }
  return false;
}

/// stdio calls that wait for input another thread may write (a pipe):
/// opening, writing, flushing and closing a FILE wait for nobody.
bool isStdioInput(llvm::StringRef Name) {
  static const llvm::StringSet<> Names = {"fread",  "fgets",   "fgetc",
                                          "getc",   "getchar", "fscanf",
                                          "scanf",  "getline", "getdelim"};
  return Names.contains(Name);
}

/// Whether \p S makes, before \p Before, a call that may order what comes
/// after it with other threads: a wait that another thread's action ends
/// (a join, a future, a latch, a barrier, a semaphore, a condition
/// variable, a pipe or socket read), an atomic load or read-modify-write,
/// a happens-before annotation. Such code may be synchronised in ways this
/// check cannot follow, so it does not judge it. A signal (an atomic
/// store, a notify, closing a file) orders nothing that comes after it.
class SyncFinder : public RecursiveASTVisitor<SyncFinder> {
public:
  SyncFinder(SourceLocation After, SourceLocation Before, ASTContext &Ctx)
      : After(After), Before(Before), Ctx(Ctx), SM(Ctx.getSourceManager()),
        Blocking(BlockingModel::builtin()) {}
  bool Found = false;
  bool TraverseLambdaExpr(LambdaExpr *) { return true; }
  bool VisitAtomicExpr(AtomicExpr *E) { return atomic(E); }
  // A polling loop whose condition calls something (`while
  // (!server.is_running()) sleep_for(1ms);`) waits for a state the other
  // thread publishes: a handshake this check cannot see through.
  bool VisitWhileStmt(WhileStmt *W) {
    return pollingLoop(W->getCond(), W->getBody(), W);
  }
  bool VisitDoStmt(DoStmt *D) {
    return pollingLoop(D->getCond(), D->getBody(), D);
  }
  bool VisitForStmt(ForStmt *F) {
    return pollingLoop(F->getCond(), F->getBody(), F);
  }
  bool VisitCallExpr(CallExpr *E) {
    if (!inRange(E))
      return true;
    // In the task (no range start given), a condition-variable wait is the
    // task waiting for its input (a work queue), not for the other writer:
    // it orders nothing with a thread that never notifies it.
    if (After.isInvalid() && BlockingModel::conditionWaitLock(E))
      return true;
    if (mayWaitForOtherThreads(E))
      return note(E);
    // A wait that another thread's action ends (I/O, a join, a future, a
    // latch, a barrier, a semaphore) may order this thread after it.
    // Sleeps, console and file output, processes and name lookups order
    // nothing; locks only protect what is done while the lock is held,
    // which the lock model already judges.
    if (std::optional<BlockingCall> B = Blocking.blocks(E)) {
      const FunctionDecl *FD = B->Callee;
      llvm::StringRef F = B->Family;
      if (F == "stdio" ? FD && FD->getIdentifier() &&
                             isStdioInput(FD->getName())
                       : F != "sleep" && F != "console output" &&
                             F != "process" && F != "DNS lookup" &&
                             F != "file stream")
        return note(E);
    }
    if (atomicAccessOf(E) != AtomicAccess::None)
      return atomic(E);
    // A project's own synchronisation helpers (the ThreadSanitizer suite's
    // barrier_wait, AnnotateHappensAfter).
    const FunctionDecl *FD = E->getDirectCallee();
    if (FD && FD->getIdentifier()) {
      std::string Name = FD->getName().lower();
      for (const char *Word : {"barrier", "latch", "semaphore", "sem_wait",
                               "annotate", "happens"})
        if (llvm::StringRef(Name).contains(Word))
          return note(E);
    }
    return true;
  }

private:
  bool atomic(const Expr *E) {
    // A store (or a notify) orders nothing that follows it.
    const AtomicAccess Op = atomicAccessOf(E);
    if (Op == AtomicAccess::Store || Op == AtomicAccess::Notify ||
        !inRange(E))
      return true;
    // `while (!stop) { v.push_back(x); }`: the load checks a stop flag; the
    // body's writes run while it is still clear.
    if (Op == AtomicAccess::Load && isStopFlagCheck(E, Before, Ctx))
      return true;
    return note(E);
  }
  bool pollingLoop(const Expr *Cond, const Stmt *Body, const Stmt *Loop) {
    // Only the spawner's waiting counts (a range [After, Before) is given);
    // a task's own loops are its work. A loop whose body makes the use
    // itself (`for (...; i < items.size(); ...) v.push_back(...)`) does
    // not wait before it.
    if (!Cond || After.isInvalid() ||
        !isBefore(Loop->getBeginLoc(), Before, SM) ||
        !isBefore(After, Loop->getBeginLoc(), SM) ||
        inRangeOf(Before, Body, SM))
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
  ASTContext &Ctx;
  const SourceManager &SM;
  const BlockingModel &Blocking;
};

bool syncsBefore(const Stmt *S, SourceLocation Before, ASTContext &Ctx) {
  SyncFinder F(SourceLocation(), Before, Ctx);
  F.TraverseStmt(const_cast<Stmt *>(S));
  return F.Found;
}

/// The same, for calls between \p After and \p Before.
bool syncsBetween(const Stmt *S, SourceLocation After, SourceLocation Before,
                  ASTContext &Ctx) {
  SyncFinder F(After, Before, Ctx);
  F.TraverseStmt(const_cast<Stmt *>(S));
  return F.Found;
}

} // namespace

UnsynchronizedCaptureWriteCheck::UnsynchronizedCaptureWriteCheck(
    StringRef Name, ClangTidyContext *Context)
    : ClangTidyCheck(Name, Context),
      ModelOpts(ModelOptions::read(Options)), Spawns(ModelOpts.SpawnFunctions),
      LockOptions(ModelOpts.Locks) {}

void UnsynchronizedCaptureWriteCheck::storeOptions(
    ClangTidyOptions::OptionMap &Opts) {
  ModelOpts.store(Options, Opts);
}

void UnsynchronizedCaptureWriteCheck::registerMatchers(MatchFinder *Finder) {
  Spawns.registerCandidates(*Finder, this);
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
  // The shared lock model of the body (built once per function for every
  // check of the translation unit); none when the body takes no lock.
  const LockModel *Locks =
      ConcurrencyModel::get(Ctx, ModelOpts, Model).locksIn(Def);

  // Several instances at once: spawned in a loop, outliving the iteration.
  const Stmt *Loop = enclosingLoop(Site.Site, Spawner->getBody(), Ctx);
  const bool Several =
      Loop && Spawns.lifetimeIn(Site, loopBody(Loop), Ctx).outlives();
  const Lifetime InFunction = Spawns.lifetimeIn(Site, Spawner->getBody(), Ctx);

  llvm::DenseSet<const VarDecl *> Done;
  for (const FoundWrite &Found : Finder.Found) {
    const VarDecl *Var = Found.Var;
    const Expr *Where = Found.Where;
    if (!Done.insert(Var).second)
      continue;
    // Each thread has its own thread_local variable.
    if (Var->getTLSKind() != VarDecl::TLS_None)
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
    if (Var->hasGlobalStorage() && !Var->isLocalVarDecl())
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
    if (syncsBefore(Def->getBody(), Where->getBeginLoc(), Ctx))
      continue;
    Write W{Var,
            Where,
            Site.Site,
            Capture,
            Spawner,
            InFunction.Holder,
            InFunction.outlives() || InInitializer,
            Found.Element != Bits::None,
            Found.Element == Bits::Bitset};
    Writes[Var].push_back(W);

    if (Several) {
      report(W, Why::SeveralInstances, SourceLocation(), Ctx);
      continue;
    }
    // The spawning function uses the variable before it joins the work.
    // The work is waited for in the spawner (a join, a future's get, the
    // pool's wait: the model's waitsFor), and the model says the use and
    // the write may run at the same time (ConcurrencyModel::order: after
    // the spawn, before that wait, with no hand-off or lock between them).
    if (Capture.isValid()) {
      ConcurrencyModel &M = ConcurrencyModel::get(Ctx, ModelOpts, Model);
      const SpawnRecord *R = M.spawnAt(Site.Site);
      if (!R)
        continue;
      const unsigned Work = M.indexOf(*R);
      if (!M.waitsInFunction(Spawner, Work))
        continue;
      UseFinder Uses(Var);
      Uses.TraverseStmt(Spawner->getBody());
      for (const DeclRefExpr *U : Uses.Uses)
        if (!contains(Site.Site, U, Ctx) &&
            isBefore(Site.Site->getEndLoc(), U->getBeginLoc(), SM) &&
            M.order(Where, U, Def, Spawner) ==
                ConcurrencyModel::Order::Concurrent &&
            !syncsBetween(Spawner->getBody(), Site.Site->getEndLoc(),
                          U->getBeginLoc(), Ctx)) {
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
  if (W.BitElement)
    // Different tasks may set different elements, but the elements are bits
    // of shared words: each write reads and writes its neighbours too.
    diag(W.Where->getBeginLoc(),
         "unsynchronized write to an element of '%0', %select{captured by "
         "reference|a global}1: %select{several instances of this task run at "
         "once|another spawned task writes it too|the spawning function uses "
         "it before joining}2, and the elements of a %select{std::vector<bool>|"
         "std::bitset}3 are bits that share storage words, so writes to "
         "different elements race; protect it with a lock, or give each "
         "element its own byte (e.g. std::vector<char>)")
        << W.Var->getName() << W.Capture.isInvalid()
        << static_cast<int>(Reason) << W.Bitset;
  else
    diag(W.Where->getBeginLoc(),
         "unsynchronized write to '%0', %select{captured by reference|a "
         "global}1: %select{several instances of this task run at "
         "once|another spawned task writes it too|the spawning function uses "
         "it before joining}2; protect it with a lock, make it atomic, or "
         "give each task its own")
        << W.Var->getName() << W.Capture.isInvalid()
        << static_cast<int>(Reason);
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
                                                 ASTContext &Ctx) {
  if (A.Spawner != B.Spawner)
    // Different functions: only work that outlives both spawners is known
    // to run alongside the other (a thread a constructor starts and one a
    // shutdown function detaches).
    return A.OutlivesSpawner && B.OutlivesSpawner;
  // One function: one work still runs when the other starts. The second
  // spawn may follow the first on the spawner's CFG (either way round: in
  // a loop) with no wait for the first work on the way.
  ConcurrencyModel &M = ConcurrencyModel::get(Ctx, ModelOpts, Model);
  auto StillRuns = [&](const Write &First, const Write &Second) {
    if (!M.mayFollow(First.Site, Second.Site))
      return false;
    if (!First.Holder)
      return First.OutlivesSpawner;
    const SpawnRecord *R = M.spawnAt(First.Site);
    return !R || !M.isAfterWait(Second.Site, M.indexOf(*R), First.Spawner);
  };
  return StillRuns(A, B) || StillRuns(B, A);
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
  Model.reset();
}

} // namespace clang::tidy::threadlint
