//===--- SleepAsSyncCheck.cpp - threadlint -------------------------------===//
//
// A sleep after spawning work, with no join or wait on that work in between,
// followed by a read of state the work writes or by the function's return
// while the work may still run. The analysis runs on the CFG of the function
// (or lambda) that holds the sleep: one walk from each spawn site finds the
// sleeps it reaches unsynchronised, one walk from each sleep collects what
// the function does next until something waits.
//
//===----------------------------------------------------------------------===//
#include "SleepAsSyncCheck.h"
#include "model/ConcurrencyModel.h"
#include "model/AstHelpers.h"
#include "model/OptionLists.h"
#include "clang/AST/ASTContext.h"
#include "clang/AST/ParentMapContext.h"
#include "clang/AST/RecursiveASTVisitor.h"
#include "clang/ASTMatchers/ASTMatchFinder.h"
#include "clang/Analysis/CFG.h"
#include "llvm/ADT/BitVector.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/MapVector.h"
#include "llvm/ADT/StringSwitch.h"

using namespace clang::ast_matchers;

namespace clang::tidy::threadlint {
namespace {

// Bounds. A function over these is skipped; a walk over its budget drops the
// finding rather than guess.
constexpr unsigned MaxBlocks = 2000;
constexpr unsigned MaxWalkElements = 100000;
constexpr unsigned MaxSleepsPerFunction = 64;
constexpr unsigned MaxSitesPerFunction = 64;

constexpr llvm::StringLiteral DefaultSleepFunctions =
    "::std::this_thread::sleep_for;::std::this_thread::sleep_until;::sleep;"
    "::usleep;::nanosleep;::clock_nanosleep";

/// What the remedy is, in the order of the diagnostic's %select.
enum Remedy : unsigned {
  JoinThread = 0,
  WaitFuture = 1,
  LatchOrCondVar = 2,
  WaitPool = 3,
};

std::string lowerName(const NamedDecl *D) {
  if (!D || !D->getIdentifier())
    return {};
  return D->getName().lower();
}

bool containsAny(llvm::StringRef S,
                 std::initializer_list<llvm::StringRef> Parts) {
  return llvm::any_of(Parts, [&](llvm::StringRef P) { return S.contains(P); });
}

bool isFutureRecord(const CXXRecordDecl *RD) {
  const std::string N = lowerName(RD);
  return N == "future" || N == "shared_future" || N == "unique_future" ||
         N == "semifuture";
}

// A future, or a container of futures.
bool holdsFutures(QualType T) {
  const CXXRecordDecl *RD = recordOfObjectType(T);
  if (isFutureRecord(RD))
    return true;
  const auto *Spec =
      llvm::dyn_cast_or_null<ClassTemplateSpecializationDecl>(RD);
  if (!Spec || Spec->getTemplateArgs().size() == 0 ||
      Spec->getTemplateArgs()[0].getKind() != TemplateArgument::Type)
    return false;
  return isFutureRecord(recordOfObjectType(Spec->getTemplateArgs()[0].getAsType()));
}

// Handles and synchronisation objects. Locking a mutex or looking at a thread
// handle after a sleep is not reading the work's results.
bool isSyncObjectType(QualType T) {
  if (T.isNull())
    return false;
  T = T.getNonReferenceType();
  while (const ArrayType *AT = T->getAsArrayTypeUnsafe())
    T = AT->getElementType();
  if (const auto *TT = T->getAs<TypedefType>()) {
    llvm::StringRef N = TT->getDecl()->getName();
    if (N.starts_with("pthread_") || N == "sem_t")
      return true;
  }
  const std::string N = lowerName(T->getAsCXXRecordDecl());
  if (N.empty())
    return false;
  if (containsAny(N, {"mutex", "condition_variable", "condvar", "latch",
                      "barrier", "semaphore", "notification"}))
    return true;
  if (N.find("lock") != std::string::npos &&
      N.find("clock") == std::string::npos &&
      N.find("block") == std::string::npos)
    return true;
  return N == "thread" || N == "jthread" || N == "promise" ||
         N == "packaged_task" || N == "once_flag" || N == "stop_source" ||
         N == "stop_token" || isFutureRecord(T->getAsCXXRecordDecl());
}

// ---- Reads and writes -------------------------------------------------------

enum class Access { Read, Write, Unknown };

// Methods that hand out a part of the object: what the caller does with the
// result decides between reading and writing.
bool isAccessor(const CXXMethodDecl *M) {
  if (M->isOverloadedOperator()) {
    const OverloadedOperatorKind Op = M->getOverloadedOperator();
    return Op == OO_Subscript || Op == OO_Star || Op == OO_Arrow;
  }
  if (!M->getIdentifier())
    return false;
  return llvm::StringSwitch<bool>(M->getName())
      .Cases({"at", "front", "back", "data", "get", "value", "top"}, true)
      .Cases({"begin", "end", "rbegin", "rend", "find"}, true)
      .Default(false);
}

Access parameterAccess(const FunctionDecl *FD, unsigned Index,
                       const Expr *Arg) {
  if (!FD)
    return Access::Unknown;
  const bool Indirect = Arg->getType()->isAnyPointerType();
  if (Index >= FD->getNumParams())
    // A C variadic argument: a copy, but a pointer may be written through.
    return Indirect ? Access::Unknown : Access::Read;
  const QualType T = FD->getParamDecl(Index)->getType();
  if (T->isDependentType())
    return Access::Unknown;
  if (T->isReferenceType())
    return T.getNonReferenceType().isConstQualified() ? Access::Read
                                                      : Access::Write;
  if (Indirect && T->isAnyPointerType())
    return T->getPointeeType().isConstQualified() ? Access::Read
                                                  : Access::Write;
  return Access::Read;
}

std::optional<unsigned> argumentIndex(const CallExpr *Call, const Expr *Arg) {
  for (unsigned I = 0, N = Call->getNumArgs(); I < N; ++I)
    if (Call->getArg(I) == Arg)
      return I;
  return std::nullopt;
}

Access declarationInitAccess(const VarDecl *VD, const Expr *Init,
                             ASTContext &Ctx) {
  // for (auto &e : v): the range is bound to an implicit `auto &&__range`;
  // the loop variable tells whether elements are written.
  if (VD->isImplicit()) {
    for (const DynTypedNode &P : Ctx.getParents(*VD))
      if (const auto *DS = P.get<DeclStmt>())
        for (const DynTypedNode &PP : Ctx.getParents(*DS))
          if (const auto *For = PP.get<CXXForRangeStmt>()) {
            const QualType T = For->getLoopVariable()->getType();
            return T->isReferenceType() &&
                           !T.getNonReferenceType().isConstQualified()
                       ? Access::Write
                       : Access::Read;
          }
  }
  const QualType T = VD->getType();
  if (T->isReferenceType())
    return T.getNonReferenceType().isConstQualified() ? Access::Read
                                                      : Access::Write;
  if (T->isAnyPointerType() && Init->getType()->isAnyPointerType())
    return T->getPointeeType().isConstQualified() ? Access::Read
                                                  : Access::Write;
  return Access::Read;
}

// Whether the value denoted by E (a reference to a variable or field) is read
// or written where it appears: follows the expression outwards to the
// operation that consumes it.
Access classifyAccess(const Expr *E, ASTContext &Ctx) {
  const Expr *Cur = E;
  for (unsigned Depth = 0; Depth < 32; ++Depth) {
    DynTypedNodeList Parents = Ctx.getParents(*Cur);
    if (Parents.empty())
      return Access::Read;
    if (const auto *VD = Parents[0].get<VarDecl>())
      return declarationInitAccess(VD, Cur, Ctx);
    const auto *P = Parents[0].get<Stmt>();
    if (!P)
      return Access::Read;

    if (const auto *Cast = llvm::dyn_cast<ImplicitCastExpr>(P)) {
      if (Cast->getCastKind() == CK_LValueToRValue) {
        // Loading a pointer to go through it: `p->x = 1`, `*p = 1`.
        if (Cur->getType()->isAnyPointerType()) {
          DynTypedNodeList Up = Ctx.getParents(*Cast);
          const Stmt *U = Up.empty() ? nullptr : Up[0].get<Stmt>();
          const auto *ME = llvm::dyn_cast_or_null<MemberExpr>(U);
          const auto *UO = llvm::dyn_cast_or_null<UnaryOperator>(U);
          const auto *AS = llvm::dyn_cast_or_null<ArraySubscriptExpr>(U);
          if ((ME && ME->isArrow()) || (UO && UO->getOpcode() == UO_Deref) ||
              (AS && AS->getBase() == Cast)) {
            Cur = Cast;
            continue;
          }
        }
        return Access::Read;
      }
      if (Cast->getCastKind() == CK_ToVoid)
        return Access::Read;
      Cur = Cast;
      continue;
    }
    if (const auto *Cast = llvm::dyn_cast<ExplicitCastExpr>(P)) {
      const QualType T = Cast->getTypeAsWritten();
      if (T->isReferenceType() || T->isAnyPointerType() || Cast->isGLValue()) {
        Cur = Cast;
        continue;
      }
      return Access::Read;
    }
    if (llvm::isa<ParenExpr, MaterializeTemporaryExpr, CXXBindTemporaryExpr,
                  ExprWithCleanups>(P)) {
      Cur = llvm::cast<Expr>(P);
      continue;
    }
    if (const auto *CO = llvm::dyn_cast<ConditionalOperator>(P)) {
      if (CO->getCond() == Cur)
        return Access::Read;
      Cur = CO;
      continue;
    }
    if (const auto *ME = llvm::dyn_cast<MemberExpr>(P)) {
      const auto *M = llvm::dyn_cast<CXXMethodDecl>(ME->getMemberDecl());
      if (!M) { // a field of the object: the access goes on
        Cur = ME;
        continue;
      }
      if (M->isStatic())
        return Access::Read;
      if (isAccessor(M)) {
        DynTypedNodeList Up = Ctx.getParents(*ME);
        const auto *Call =
            Up.empty() ? nullptr : Up[0].get<CXXMemberCallExpr>();
        if (!Call)
          return Access::Unknown;
        Cur = Call;
        continue;
      }
      return M->isConst() ? Access::Read : Access::Write;
    }
    if (const auto *Op = llvm::dyn_cast<CXXOperatorCallExpr>(P)) {
      std::optional<unsigned> Index = argumentIndex(Op, Cur);
      if (!Index)
        return Access::Read;
      const OverloadedOperatorKind Kind = Op->getOperator();
      const bool Mutating =
          Op->isAssignmentOp() || Kind == OO_PlusPlus || Kind == OO_MinusMinus;
      const auto *M =
          llvm::dyn_cast_or_null<CXXMethodDecl>(Op->getDirectCallee());
      if (M && !M->isStatic()) {
        if (*Index != 0)
          return parameterAccess(M, *Index - 1, Cur);
        if (isAccessor(M)) {
          Cur = Op;
          continue;
        }
        if (Mutating)
          return Access::Write;
        return M->isConst() ? Access::Read : Access::Write;
      }
      if (*Index == 0 && Mutating)
        return Access::Write;
      return parameterAccess(Op->getDirectCallee(), *Index, Cur);
    }
    if (const auto *Call = llvm::dyn_cast<CallExpr>(P)) {
      std::optional<unsigned> Index = argumentIndex(Call, Cur);
      if (!Index)
        return Access::Read; // calling a function pointer held in it
      return parameterAccess(Call->getDirectCallee(), *Index, Cur);
    }
    if (const auto *Construct = llvm::dyn_cast<CXXConstructExpr>(P)) {
      for (unsigned I = 0, N = Construct->getNumArgs(); I < N; ++I)
        if (Construct->getArg(I) == Cur)
          return parameterAccess(Construct->getConstructor(), I, Cur);
      return Access::Read;
    }
    if (const auto *UO = llvm::dyn_cast<UnaryOperator>(P)) {
      if (UO->isIncrementDecrementOp())
        return Access::Write;
      if (UO->getOpcode() == UO_Deref || UO->getOpcode() == UO_AddrOf ||
          UO->getOpcode() == UO_Extension) {
        Cur = UO;
        continue;
      }
      return Access::Read;
    }
    if (const auto *BO = llvm::dyn_cast<BinaryOperator>(P)) {
      if (BO->isAssignmentOp() && BO->getLHS() == Cur)
        return Access::Write;
      if ((BO->getOpcode() == BO_Comma && BO->getRHS() == Cur) ||
          BO->isPtrMemOp()) {
        Cur = BO;
        continue;
      }
      return Access::Read;
    }
    if (const auto *AS = llvm::dyn_cast<ArraySubscriptExpr>(P)) {
      if (AS->getBase() == Cur) {
        Cur = AS;
        continue;
      }
      return Access::Read;
    }
    if (const auto *For = llvm::dyn_cast<CXXForRangeStmt>(P)) {
      const QualType T = For->getLoopVariable()->getType();
      return T->isReferenceType() && !T.getNonReferenceType().isConstQualified()
                 ? Access::Write
                 : Access::Read;
    }
    if (llvm::isa<CXXDeleteExpr>(P))
      return Access::Write;
    if (llvm::isa<LambdaExpr>(P))
      return Access::Unknown; // captured by a new lambda
    return Access::Read;
  }
  return Access::Unknown;
}

/// Global state: visible to every thread, unless in a system header
/// (`std::cout`, `stderr`) or per thread.
bool isSharedGlobal(const VarDecl *VD, const SourceManager &SM) {
  return VD->hasGlobalStorage() && VD->getTLSKind() == VarDecl::TLS_None &&
         !VD->getType().isConstQualified() && !VD->isConstexpr() &&
         !SM.isInSystemHeader(VD->getLocation());
}

/// The state a reference denotes, for the parent's side: a variable, or a
/// field accessed through `this`.
const ValueDecl *stateOf(const Stmt *S) {
  if (const auto *DRE = llvm::dyn_cast<DeclRefExpr>(S))
    return llvm::dyn_cast<VarDecl>(DRE->getDecl());
  if (const auto *ME = llvm::dyn_cast<MemberExpr>(S))
    if (llvm::isa<CXXThisExpr>(ME->getBase()->IgnoreParenImpCasts()))
      return llvm::dyn_cast<FieldDecl>(ME->getMemberDecl());
  return nullptr;
}

// ---- What the spawned work touches -----------------------------------------

struct TaskEffects {
  /// State the work writes, with its first write.
  llvm::MapVector<const ValueDecl *, const Expr *> Writes;
  /// State the work reads or writes.
  llvm::DenseSet<const ValueDecl *> Touched;
  /// The work loops until told to stop (or forever): a service, whose
  /// spawner does not wait for it to finish.
  bool LongRunning = false;
};

// The argument a spawn forwards to the body by reference: std::ref(x),
// std::cref(x), &x, or `this` for a member function.
const ValueDecl *forwardedState(const Expr *Arg) {
  const Expr *E = Arg->IgnoreImplicit();
  if (const auto *CE = llvm::dyn_cast<CXXConstructExpr>(E))
    if (CE->getNumArgs() == 1)
      E = CE->getArg(0)->IgnoreImplicit();
  if (const auto *Call = llvm::dyn_cast<CallExpr>(E)) {
    const FunctionDecl *FD = Call->getDirectCallee();
    if (FD && FD->isInStdNamespace() && FD->getIdentifier() &&
        (FD->getName() == "ref" || FD->getName() == "cref") &&
        Call->getNumArgs() == 1)
      if (const auto *DRE =
              llvm::dyn_cast<DeclRefExpr>(Call->getArg(0)->IgnoreImplicit()))
        return llvm::dyn_cast<VarDecl>(DRE->getDecl());
    return nullptr;
  }
  if (const auto *UO = llvm::dyn_cast<UnaryOperator>(E))
    if (UO->getOpcode() == UO_AddrOf)
      if (const auto *DRE =
              llvm::dyn_cast<DeclRefExpr>(UO->getSubExpr()->IgnoreImplicit()))
        return llvm::dyn_cast<VarDecl>(DRE->getDecl());
  return nullptr;
}

class EffectCollector : public RecursiveASTVisitor<EffectCollector> {
public:
  EffectCollector(ASTContext &Ctx, TaskEffects &Out)
      : Ctx(Ctx), SM(Ctx.getSourceManager()), Out(Out) {}

  /// Declarations whose uses in the body denote shared state, mapped to that
  /// state: a by-reference capture to itself, `[&r = x]` and a parameter
  /// bound to std::ref(x) to x.
  llvm::DenseMap<const ValueDecl *, const ValueDecl *> Shared;
  /// Fields reached through `this` are the spawner's object.
  bool SharedThis = false;

  bool VisitVarDecl(VarDecl *VD) {
    // `auto *d = static_cast<Data *>(arg);` in a pthread routine.
    if (!VD->getType()->isAnyPointerType() || !VD->getInit())
      return true;
    const Expr *Init = VD->getInit()->IgnoreParenCasts();
    if (const auto *DRE = llvm::dyn_cast<DeclRefExpr>(Init)) {
      auto It = Shared.find(DRE->getDecl());
      if (It != Shared.end() && llvm::isa<ParmVarDecl>(DRE->getDecl()))
        Shared[VD] = It->second;
    }
    return true;
  }

  bool VisitDeclRefExpr(DeclRefExpr *E) {
    const ValueDecl *State = nullptr;
    if (auto It = Shared.find(E->getDecl()); It != Shared.end())
      State = It->second;
    else if (const auto *VD = llvm::dyn_cast<VarDecl>(E->getDecl());
             VD && isSharedGlobal(VD, SM))
      State = VD;
    if (State)
      note(State, E);
    return true;
  }

  bool VisitMemberExpr(MemberExpr *E) {
    if (SharedThis &&
        llvm::isa<CXXThisExpr>(E->getBase()->IgnoreParenImpCasts()))
      if (const auto *F = llvm::dyn_cast<FieldDecl>(E->getMemberDecl()))
        note(F, E);
    return true;
  }

private:
  void note(const ValueDecl *State, const Expr *E) {
    Out.Touched.insert(State);
    if (isSyncObjectType(State->getType()))
      return;
    if (classifyAccess(E, Ctx) == Access::Write)
      Out.Writes.insert({State, E});
  }

  ASTContext &Ctx;
  const SourceManager &SM;
  TaskEffects &Out;
};

// Loops that only end when told to (or never): `while (true)`, `for (;;)`,
// `while (!stop_)` on state shared with the spawner.
class LongRunningFinder : public RecursiveASTVisitor<LongRunningFinder> {
public:
  LongRunningFinder(ASTContext &Ctx, const TaskEffects &Effects)
      : Ctx(Ctx), Effects(Effects) {}
  bool Found = false;

  bool VisitWhileStmt(WhileStmt *S) { return judge(S->getCond()); }
  bool VisitDoStmt(DoStmt *S) { return judge(S->getCond()); }
  bool VisitForStmt(ForStmt *S) {
    if (!S->getCond() || isConstantTrue(S->getCond()))
      Found = true;
    return !Found;
  }

private:
  bool isConstantTrue(const Expr *Cond) const {
    bool Value = false;
    return !Cond->isValueDependent() &&
           Cond->EvaluateAsBooleanCondition(Value, Ctx) && Value;
  }
  bool judge(const Expr *Cond) {
    if (!Cond)
      return true;
    if (isConstantTrue(Cond)) {
      Found = true;
      return false;
    }
    // The condition reads a flag shared with the spawner.
    class Refs : public RecursiveASTVisitor<Refs> {
    public:
      explicit Refs(const TaskEffects &E) : E(E) {}
      bool Found = false;
      bool VisitDeclRefExpr(DeclRefExpr *R) {
        Found |= E.Touched.contains(R->getDecl());
        return !Found;
      }
      bool VisitMemberExpr(MemberExpr *M) {
        Found |= E.Touched.contains(M->getMemberDecl());
        return !Found;
      }

    private:
      const TaskEffects &E;
    };
    Refs R(Effects);
    R.TraverseStmt(const_cast<Expr *>(Cond));
    Found |= R.Found;
    return !Found;
  }

  ASTContext &Ctx;
  const TaskEffects &Effects;
};

TaskEffects collectEffects(const SpawnSite &Site, ASTContext &Ctx) {
  TaskEffects Effects;
  EffectCollector Collector(Ctx, Effects);
  const FunctionDecl *Def = nullptr;
  if (Site.Body)
    Site.Body->hasBody(Def);
  Stmt *Body = Def ? Def->getBody() : nullptr;

  if (const LambdaExpr *L = Site.Lambda) {
    Body = L->getBody();
    for (const LambdaCapture &C : L->captures()) {
      if (C.capturesThis()) {
        Collector.SharedThis = C.getCaptureKind() == LCK_This;
        continue;
      }
      if (!C.capturesVariable())
        continue;
      ValueDecl *V = C.getCapturedVar();
      if (L->isInitCapture(&C)) {
        const auto *IC = llvm::dyn_cast<VarDecl>(V);
        if (!IC || !IC->getType()->isLValueReferenceType() || !IC->getInit())
          continue;
        if (const auto *DRE = llvm::dyn_cast<DeclRefExpr>(
                IC->getInit()->IgnoreParenImpCasts()))
          Collector.Shared[IC] = DRE->getDecl();
        continue;
      }
      if (C.getCaptureKind() == LCK_ByRef)
        Collector.Shared[V] = V;
    }
  }
  if (!Body || !Def)
    return Effects;

  // Arguments forwarded by reference, and `this` for a member function.
  for (unsigned I = 0; I < Site.Args.size(); ++I) {
    if (Site.MemberPointer && I == 0) {
      if (llvm::isa<CXXThisExpr>(Site.Args[0]->IgnoreParenImpCasts()))
        Collector.SharedThis = true;
      continue;
    }
    const ValueDecl *State = forwardedState(Site.Args[I]);
    const ParmVarDecl *P = Site.paramFor(I);
    if (!State || !P)
      continue;
    const unsigned Index = P->getFunctionScopeIndex();
    if (Index < Def->getNumParams())
      Collector.Shared[Def->getParamDecl(Index)] = State;
  }
  Collector.TraverseStmt(Body);

  LongRunningFinder Loops(Ctx, Effects);
  Loops.TraverseStmt(Body);
  Effects.LongRunning = Loops.Found;
  return Effects;
}

// ---- Calls that wait, calls that signal -----------------------------------

// The spawner tells the work something: stop, go on, a value is ready.
bool isSignalCall(const CallExpr *Call) {
  const std::string N = lowerName(Call->getDirectCallee());
  if (N.empty())
    return false;
  llvm::StringRef Name(N);
  // Closing a file tells no thread anything: `fclose(f)`, `out.close()` on a
  // file stream.
  if (Name == "fclose")
    return false;
  if (const auto *MC = llvm::dyn_cast<CXXMemberCallExpr>(Call))
    if (const Expr *Obj = MC->getImplicitObjectArgument())
      if (const CXXRecordDecl *RD = recordOfObjectType(Obj->getType());
          RD && RD->isInStdNamespace() && RD->getIdentifier() &&
          RD->getName().ends_with("fstream"))
        return false;
  return containsAny(Name,
                     {"notify", "unlock", "signal", "count_down", "countdown",
                      "decrementcount", "arrive", "set_value", "set_exception",
                      "request_stop", "interrupt", "cancel", "shutdown",
                      "unpause", "resume", "wake"}) ||
         Name.starts_with("stop") || Name == "release" ||
         Name.ends_with("close") || Name == "quit" || Name.ends_with("kill") ||
         Name == "sem_post" || Name == "post";
}

// Signals that return at once even when sent to the pool or thread running
// the work (`pool.unpause()`); `pool.shutdown()` may wait for it.
bool isNonBlockingSignal(const CallExpr *Call) {
  const std::string N = lowerName(Call->getDirectCallee());
  return containsAny(N, {"notify", "unpause", "resume", "wake", "count_down",
                         "release", "unlock"});
}

// Calls on a thread handle, or on a container of them, that store or let
// go of the handle: `t.detach()`, `threads.push_back(std::thread(...))`.
bool neitherWaitsNorSignals(const CXXMethodDecl *M) {
  const std::string N = lowerName(M);
  return N == "detach" || N == "reserve" || N == "insert" ||
         llvm::StringRef(N).starts_with("push") ||
         llvm::StringRef(N).starts_with("emplace");
}

bool isDeferredAsync(const SpawnSite &Site) {
  if (Site.Kind != SpawnKind::Async)
    return false;
  const auto *Call = llvm::dyn_cast<CallExpr>(Site.Site);
  if (!Call || Call->getNumArgs() < 2)
    return false;
  const auto *DRE =
      llvm::dyn_cast<DeclRefExpr>(Call->getArg(0)->IgnoreParenImpCasts());
  return DRE && DRE->getDecl()->getIdentifier() &&
         DRE->getDecl()->getName() == "deferred";
}

// `sleep(0)`, `sleep_for(0ms)`: a yield, not a wait. A duration is a class
// holding one number.
bool isZeroDuration(const Expr *E, ASTContext &Ctx) {
  E = E->IgnoreImplicit();
  if (E->isValueDependent() || E->isTypeDependent())
    return false;
  Expr::EvalResult Result;
  if (!E->EvaluateAsRValue(Result, Ctx) || Result.HasSideEffects)
    return false;
  const APValue *V = &Result.Val;
  if (V->isStruct() && V->getStructNumBases() == 0 &&
      V->getStructNumFields() == 1)
    V = &V->getStructField(0);
  if (V->isInt())
    return V->getInt().isZero();
  if (V->isFloat())
    return V->getFloat().isZero();
  return false;
}

// S is (part of) the condition of a loop: the function checks a condition
// rather than trusting the sleep.
bool isInLoopCondition(const Stmt *S, const Stmt *FunctionBody,
                       ASTContext &Ctx) {
  const Stmt *Prev = S;
  for (unsigned Depth = 0; Depth < 64; ++Depth) {
    DynTypedNodeList Parents = Ctx.getParents(*Prev);
    if (Parents.empty())
      return false;
    const auto *P = Parents[0].get<Stmt>();
    if (!P || P == FunctionBody || llvm::isa<LambdaExpr>(P))
      return false;
    if (isLoop(P))
      return loopCondition(P) == Prev;
    Prev = P;
  }
  return false;
}

// Every statement inside S (lambda bodies excluded: not in the CFG).
class StmtCollector : public RecursiveASTVisitor<StmtCollector> {
public:
  explicit StmtCollector(llvm::DenseSet<const Stmt *> &Out) : Out(Out) {}
  bool shouldVisitImplicitCode() const { return true; }
  bool TraverseLambdaExpr(LambdaExpr *) { return true; }
  bool VisitStmt(Stmt *S) {
    Out.insert(S);
    return true;
  }

private:
  llvm::DenseSet<const Stmt *> &Out;
};

// The statement a call is the whole of (`sleep_for(...);`), in a block.
const Stmt *asStatement(const CallExpr *Call, const CompoundStmt *&Block,
                        ASTContext &Ctx) {
  const Stmt *Node = Call;
  for (unsigned Depth = 0; Depth < 4; ++Depth) {
    DynTypedNodeList Parents = Ctx.getParents(*Node);
    if (Parents.empty())
      return nullptr;
    const auto *P = Parents[0].get<Stmt>();
    if (!P)
      return nullptr;
    if (const auto *C = llvm::dyn_cast<CompoundStmt>(P)) {
      Block = C;
      return Node;
    }
    if (!llvm::isa<ExprWithCleanups>(P))
      return nullptr;
    Node = P;
  }
  return nullptr;
}

bool isEditable(SourceRange R) {
  return R.isValid() && R.getBegin().isFileID() && R.getEnd().isFileID();
}

// ---- The CFG walk ----------------------------------------------------------

enum class Next { Continue, StopPath };

/// Visits the elements reachable from just after element \p After of
/// \p Start. \p Visit decides whether a path goes on; \p OnExit is called
/// with the block a path leaves the function from. With \p Loop set, back
/// edges of that loop are not followed. Returns false when out of budget.
template <typename VisitFn, typename ExitFn>
bool walkFrom(const CFG &Cfg, const CFGBlock *Start, unsigned After,
              const Stmt *Loop, VisitFn &&Visit, ExitFn &&OnExit) {
  llvm::BitVector Queued(Cfg.getNumBlockIDs());
  llvm::SmallVector<std::pair<const CFGBlock *, unsigned>, 32> Work;
  Work.push_back({Start, After + 1});
  unsigned Budget = MaxWalkElements;
  while (!Work.empty()) {
    auto [B, From] = Work.pop_back_val();
    bool Stopped = false;
    for (unsigned I = From, N = B->size(); I < N && !Stopped; ++I) {
      if (Budget-- == 0)
        return false;
      Stopped = Visit((*B)[I]) == Next::StopPath;
    }
    if (Stopped || (Loop && B->getLoopTarget() == Loop))
      continue;
    for (const CFGBlock::AdjacentBlock &Succ : B->succs()) {
      const CFGBlock *S = Succ.getReachableBlock();
      if (!S)
        continue;
      if (S == &Cfg.getExit()) {
        OnExit(B);
        continue;
      }
      if (Queued.test(S->getBlockID()))
        continue;
      Queued.set(S->getBlockID());
      Work.push_back({S, 0});
    }
  }
  return true;
}

// A path that leaves through a throw or a noreturn call does not return.
bool endsAbnormally(const CFGBlock *B) {
  if (B->hasNoReturnElement())
    return true;
  for (auto It = B->rbegin(), End = B->rend(); It != End; ++It)
    if (std::optional<CFGStmt> S = It->getAs<CFGStmt>())
      return llvm::isa<CXXThrowExpr>(S->getStmt());
  return false;
}

struct SiteInfo {
  SpawnSite Site;
  const CFGBlock *Block = nullptr;
  unsigned Index = 0;
  Lifetime Life;
  TaskEffects Effects;
};

struct SleepInfo {
  const CallExpr *Call = nullptr;
  const CFGBlock *Block = nullptr;
  unsigned Index = 0;
  const Stmt *Loop = nullptr;
};

struct RefEvent {
  const ValueDecl *State = nullptr;
  const Expr *Ref = nullptr;
  Access How = Access::Read;
};

/// What the function does after a sleep, until something waits.
struct AfterSleep {
  llvm::SmallVector<RefEvent, 16> Refs;
  bool Signals = false;
  bool Returns = false;
  bool Complete = true;
};

/// One function's CFG and the facts every walk shares.
class FunctionFacts {
public:
  FunctionFacts(const Stmt *Body, ASTContext &Ctx)
      : Body(Body), Ctx(Ctx), SM(Ctx.getSourceManager()) {}

  const Stmt *Body;
  ASTContext &Ctx;
  const SourceManager &SM;
  std::unique_ptr<CFG> Cfg;
  llvm::DenseMap<const Stmt *, std::pair<const CFGBlock *, unsigned>> Where;
  std::vector<SiteInfo> Sites;
  llvm::DenseSet<const CallExpr *> SiteCalls;
  llvm::DenseSet<const Stmt *> SiteExprs;
  llvm::DenseSet<const CallExpr *> SleepCalls;
  /// Thread handles, futures and containers of them; pools and executors.
  llvm::DenseSet<const NamedDecl *> Holders;
  llvm::DenseSet<const NamedDecl *> Pools;
  llvm::DenseSet<const NamedDecl *> Detached;
  /// State touched or written by any of the work.
  llvm::DenseSet<const ValueDecl *> AnyTouched;
  llvm::DenseSet<const ValueDecl *> AnyWrites;
  /// Statements of the head (init, range, condition) of loops whose body
  /// waits: `for (auto &t : threads) t.join();` is a wait, although the CFG
  /// has a path that skips the body.
  llvm::DenseSet<const Stmt *> WaitingLoopHeads;
  /// sleepsReached() per (site, loop).
  llvm::DenseMap<std::pair<unsigned, const Stmt *>,
                 llvm::DenseSet<const CallExpr *>>
      Reach;
  /// Statements of a loop body, per loop.
  llvm::DenseMap<const Stmt *, llvm::DenseSet<const Stmt *>> LoopStmts;

  bool build(const Decl *Fn, Stmt *FnBody) {
    CFG::BuildOptions Options;
    Options.AddImplicitDtors = true;
    Options.setAllAlwaysAdd();
    Cfg = CFG::buildCFG(Fn, FnBody, &Ctx, Options);
    if (!Cfg || Cfg->size() > MaxBlocks)
      return false;
    for (const CFGBlock *B : *Cfg)
      for (unsigned I = 0, N = B->size(); I < N; ++I)
        if (std::optional<CFGStmt> S = (*B)[I].getAs<CFGStmt>())
          Where.try_emplace(S->getStmt(), B, I);
    return true;
  }

  const llvm::DenseSet<const Stmt *> &loopStmts(const Stmt *Loop) {
    auto [It, Inserted] = LoopStmts.try_emplace(Loop);
    if (Inserted) {
      StmtCollector Collector(It->second);
      Collector.TraverseStmt(const_cast<Stmt *>(loopBody(Loop)));
    }
    return It->second;
  }

  bool isBarrierDtor(const VarDecl *VD) const {
    if (!VD || Detached.contains(VD))
      return false; // destroying a detached std::thread does nothing
    if (Holders.contains(VD) || holdsFutures(VD->getType()))
      return true;
    const std::string N = lowerName(recordOfObjectType(VD->getType()));
    return containsAny(
        N, {"thread", "pool", "executor", "joiner", "group", "scope"});
  }

  enum class Role { None, Wait, Signal };

  /// Whether an element waits for work (any work: precision first), hands
  /// the work's handle or pool to a call that may, or tells the work
  /// something.
  Role roleOf(const CFGElement &E) const {
    if (std::optional<CFGAutomaticObjDtor> Dtor =
            E.getAs<CFGAutomaticObjDtor>())
      return isBarrierDtor(Dtor->getVarDecl()) ? Role::Wait : Role::None;
    std::optional<CFGStmt> S = E.getAs<CFGStmt>();
    if (!S)
      return Role::None;
    if (WaitingLoopHeads.contains(S->getStmt()))
      return Role::Wait;
    const auto *Call = llvm::dyn_cast<CallExpr>(S->getStmt());
    if (!Call || SiteCalls.contains(Call))
      return Role::None;
    if (mayWaitForOtherThreads(Call))
      return Role::Wait;
    if (const auto *MC = llvm::dyn_cast<CXXMemberCallExpr>(Call))
      if (const Expr *Obj = MC->getImplicitObjectArgument())
        if (const NamedDecl *D = referencedDecl(Obj);
            D && (Holders.contains(D) || Pools.contains(D))) {
          if (neitherWaitsNorSignals(MC->getMethodDecl()))
            return Role::None;
          return isNonBlockingSignal(Call) ? Role::Signal : Role::Wait;
        }
    if (isSignalCall(Call))
      return Role::Signal;
    // `worker_ = std::thread(...)`, `std::move(t)` hand the handle on.
    if (llvm::isa<CXXOperatorCallExpr>(Call))
      return Role::None;
    if (const FunctionDecl *FD = Call->getDirectCallee();
        FD && FD->isInStdNamespace() &&
        (lowerName(FD) == "move" || lowerName(FD) == "forward"))
      return Role::None;
    for (const Expr *Arg : Call->arguments())
      if (const NamedDecl *D = referencedDecl(Arg);
          D && (Holders.contains(D) || Pools.contains(D)))
        return Role::Wait;
    return Role::None;
  }

  bool isNonLocalState(const ValueDecl *D) const {
    if (llvm::isa<FieldDecl>(D))
      return true;
    const auto *VD = llvm::dyn_cast<VarDecl>(D);
    return VD && isSharedGlobal(VD, SM);
  }

  void addSite(const SpawnSite &Site, const SpawnModel &Spawns) {
    auto It = Where.find(Site.Site);
    if (It == Where.end())
      return; // inside a nested lambda: that lambda's business
    SiteInfo SI;
    SI.Site = Site;
    SI.Block = It->second.first;
    SI.Index = It->second.second;
    SI.Life = Spawns.lifetimeIn(Site, Body, Ctx);
    SI.Effects = collectEffects(Site, Ctx);
    if (SI.Life.Holder) {
      Holders.insert(SI.Life.Holder);
      if (SI.Life.Reason == LifetimeReason::Detached)
        Detached.insert(SI.Life.Holder);
    }
    SiteExprs.insert(Site.Site);
    if (const auto *Call = llvm::dyn_cast<CallExpr>(Site.Site)) {
      SiteCalls.insert(Call);
      if (Site.Kind == SpawnKind::PthreadCreate && Call->getNumArgs() > 0)
        if (const NamedDecl *Handle = referencedDecl(Call->getArg(0)))
          Holders.insert(Handle);
      if (Site.Kind == SpawnKind::Function) {
        const Expr *Pool = nullptr;
        if (const auto *MC = llvm::dyn_cast<CXXMemberCallExpr>(Call))
          Pool = MC->getImplicitObjectArgument();
        else if (Call->getNumArgs() > 1 && Call->getArg(0) != Site.Callable)
          Pool = Call->getArg(0); // boost::asio::post(io, task)
        if (const NamedDecl *D = Pool ? referencedDecl(Pool) : nullptr)
          Pools.insert(D);
      }
    }
    for (const ValueDecl *D : SI.Effects.Touched)
      AnyTouched.insert(D);
    for (const auto &W : SI.Effects.Writes)
      AnyWrites.insert(W.first);
    Sites.push_back(std::move(SI));
  }

  void findWaitingLoops() {
    // Whether a statement waits: a wait-like call, or a call on a thread
    // handle or pool other than detach().
    class WaitFinder : public RecursiveASTVisitor<WaitFinder> {
    public:
      explicit WaitFinder(const FunctionFacts &Facts) : Facts(Facts) {}
      bool Found = false;
      bool TraverseLambdaExpr(LambdaExpr *) { return true; }
      bool VisitCallExpr(CallExpr *Call) {
        if (Facts.SiteCalls.contains(Call))
          return true; // `threads.emplace_back(...)` starts work
        if (mayWaitForOtherThreads(Call))
          Found = true;
        else if (const auto *MC = llvm::dyn_cast<CXXMemberCallExpr>(Call))
          if (const Expr *Obj = MC->getImplicitObjectArgument())
            if (const NamedDecl *D = referencedDecl(Obj))
              Found = (Facts.Holders.contains(D) || Facts.Pools.contains(D)) &&
                      !neitherWaitsNorSignals(MC->getMethodDecl());
        return !Found;
      }

    private:
      const FunctionFacts &Facts;
    };
    class LoopFinder : public RecursiveASTVisitor<LoopFinder> {
    public:
      explicit LoopFinder(FunctionFacts &Facts) : Facts(Facts) {}
      bool TraverseLambdaExpr(LambdaExpr *) { return true; }
      bool VisitStmt(Stmt *S) {
        if (!isLoop(S) || llvm::isa<DoStmt>(S)) // a do body always runs
          return true;
        WaitFinder Waits(Facts);
        Waits.TraverseStmt(const_cast<Stmt *>(loopBody(S)));
        if (!Waits.Found)
          return true;
        StmtCollector Head(Facts.WaitingLoopHeads);
        for (Stmt *Child : S->children())
          if (Child && Child != loopBody(S))
            Head.TraverseStmt(Child);
        return true;
      }

    private:
      FunctionFacts &Facts;
    };
    LoopFinder Loops(*this);
    Loops.TraverseStmt(const_cast<Stmt *>(Body));
  }

  /// Whether the work of Sites[Index] reaches Sleep unwaited (within one
  /// iteration of Loop, when set).
  bool reaches(unsigned Index, const Stmt *Loop, const CallExpr *Sleep) {
    auto [It, Inserted] = Reach.try_emplace({Index, Loop});
    if (Inserted)
      It->second = sleepsReached(Sites[Index], Loop);
    return It->second.contains(Sleep);
  }

  /// S reads state some work writes, in a loop condition.
  bool isPoll(const Stmt *S) const {
    const ValueDecl *State = stateOf(S);
    return State && AnyWrites.contains(State) &&
           isInLoopCondition(S, Body, Ctx) &&
           classifyAccess(llvm::cast<Expr>(S), Ctx) == Access::Read;
  }

  /// The sleeps the work started at Site reaches with nothing waiting in
  /// between (within one iteration of Loop, when set).
  llvm::DenseSet<const CallExpr *> sleepsReached(const SiteInfo &Site,
                                                 const Stmt *Loop) {
    llvm::DenseSet<const CallExpr *> Reached;
    const llvm::DenseSet<const Stmt *> *InLoop =
        Loop ? &loopStmts(Loop) : nullptr;
    const bool Complete = walkFrom(
        *Cfg, Site.Block, Site.Index, Loop,
        [&](const CFGElement &E) {
          if (roleOf(E) == Role::Wait)
            return Next::StopPath;
          std::optional<CFGStmt> S = E.getAs<CFGStmt>();
          if (!S)
            return Next::Continue;
          if (InLoop && !InLoop->contains(S->getStmt()))
            return Next::StopPath;
          if (const auto *Call = llvm::dyn_cast<CallExpr>(S->getStmt());
              Call && SleepCalls.contains(Call))
            Reached.insert(Call);
          // `while (!server.running()) ...` before the sleep: the poll has
          // synchronised with the work already.
          if (isPoll(S->getStmt()))
            return Next::StopPath;
          return Next::Continue;
        },
        [](const CFGBlock *) {});
    if (!Complete)
      Reached.clear();
    return Reached;
  }

  AfterSleep walkAfter(const SleepInfo &Sleep) {
    AfterSleep Result;
    const llvm::DenseSet<const Stmt *> *InLoop =
        Sleep.Loop ? &loopStmts(Sleep.Loop) : nullptr;
    Result.Complete = walkFrom(
        *Cfg, Sleep.Block, Sleep.Index, Sleep.Loop,
        [&](const CFGElement &E) {
          const Role R = roleOf(E);
          if (R == Role::Wait)
            return Next::StopPath;
          Result.Signals |= R == Role::Signal;
          std::optional<CFGStmt> CS = E.getAs<CFGStmt>();
          if (!CS)
            return Next::Continue;
          const Stmt *S = CS->getStmt();
          if (InLoop && !InLoop->contains(S))
            return Next::StopPath;
          // More work started after the sleep changes what runs: the sleep
          // let the first work get somewhere ("still blocked" tests).
          if (SiteExprs.contains(S))
            Result.Signals = true;
          if (const auto *Call = llvm::dyn_cast<CallExpr>(S)) {
            // This sleep again (a loop), or a later one, judged on its own.
            if (SleepCalls.contains(Call))
              return Next::StopPath;
            return Next::Continue;
          }
          const ValueDecl *State = stateOf(S);
          if (!State ||
              (!AnyTouched.contains(State) && !isNonLocalState(State)))
            return Next::Continue;
          // `while (!done) ...`: the function checks, it does not trust the
          // sleep.
          if (isPoll(S))
            return Next::StopPath;
          const auto *Ref = llvm::cast<Expr>(S);
          const Access How = classifyAccess(Ref, Ctx);
          Result.Refs.push_back({State, Ref, How});
          return Next::Continue;
        },
        [&](const CFGBlock *From) {
          if (!endsAbnormally(From))
            Result.Returns = true;
        });
    return Result;
  }
};

// A local std::thread/std::jthread variable initialised by the spawn.
const VarDecl *localThreadVariable(const SiteInfo &SI, const Stmt *Body,
                                   ASTContext &Ctx) {
  if (SI.Site.Kind != SpawnKind::Thread && SI.Site.Kind != SpawnKind::JThread)
    return nullptr;
  if (SI.Life.Reason == LifetimeReason::Detached)
    return nullptr;
  const auto *VD = llvm::dyn_cast_or_null<VarDecl>(SI.Life.Holder);
  if (!VD || !VD->hasLocalStorage() || llvm::isa<ParmVarDecl>(VD) ||
      VD->getType()->isReferenceType() || !VD->getInit() ||
      !isDeclaredWithin(VD, Body, Ctx))
    return nullptr;
  const CXXRecordDecl *RD = VD->getType()->getAsCXXRecordDecl();
  if (!RD || !RD->isInStdNamespace() ||
      (lowerName(RD) != "thread" && lowerName(RD) != "jthread"))
    return nullptr;
  const Expr *Init = VD->getInit();
  for (unsigned Depth = 0; Depth < 4; ++Depth) {
    Init = Init->IgnoreImplicit();
    if (const auto *F = llvm::dyn_cast<CXXFunctionalCastExpr>(Init)) {
      Init = F->getSubExpr();
      continue;
    }
    if (const auto *C = llvm::dyn_cast<CXXConstructExpr>(Init);
        C && C->getNumArgs() == 1 && C->getConstructor() &&
        C->getConstructor()->isCopyOrMoveConstructor()) {
      Init = C->getArg(0);
      continue;
    }
    break;
  }
  return Init == SI.Site.Site ? VD : nullptr;
}

class UseCollector : public RecursiveASTVisitor<UseCollector> {
public:
  explicit UseCollector(const VarDecl *V) : V(V) {}
  llvm::SmallVector<const DeclRefExpr *, 4> Uses;
  bool VisitDeclRefExpr(DeclRefExpr *E) {
    if (E->getDecl() == V)
      Uses.push_back(E);
    return true;
  }

private:
  const VarDecl *V;
};

// `t.join();` as a statement of the block the sleep is in, after it: the
// only use of the thread \p Use may be.
const CallExpr *laterJoin(const DeclRefExpr *Use, const CallExpr *Sleep,
                          const CompoundStmt *SleepBlock, ASTContext &Ctx) {
  DynTypedNodeList Parents = Ctx.getParents(*Use);
  const auto *ME = Parents.empty() ? nullptr : Parents[0].get<MemberExpr>();
  if (!ME)
    return nullptr;
  Parents = Ctx.getParents(*ME);
  const auto *Join =
      Parents.empty() ? nullptr : Parents[0].get<CXXMemberCallExpr>();
  if (!Join || Join->getNumArgs() != 0 || !Join->getMethodDecl() ||
      lowerName(Join->getMethodDecl()) != "join")
    return nullptr;
  const CompoundStmt *JoinBlock = nullptr;
  if (!asStatement(Join, JoinBlock, Ctx) || JoinBlock != SleepBlock ||
      !isBefore(Sleep->getEndLoc(), Join->getBeginLoc(),
                Ctx.getSourceManager()))
    return nullptr;
  return Join;
}

// The range to delete for a statement `t.join();`: its whole line when it
// stands alone on it.
std::optional<CharSourceRange> statementRemoval(const CallExpr *Call,
                                                const SourceManager &SM,
                                                const LangOptions &LO) {
  if (!isEditable(Call->getSourceRange()))
    return std::nullopt;
  SourceLocation End = Lexer::getLocForEndOfToken(Call->getEndLoc(), 0, SM, LO);
  if (End.isInvalid())
    return std::nullopt;
  auto [File, EndOffset] = SM.getDecomposedLoc(End);
  const unsigned BeginOffset = SM.getFileOffset(Call->getBeginLoc());
  bool Invalid = false;
  llvm::StringRef Buffer = SM.getBufferData(File, &Invalid);
  if (Invalid || EndOffset > Buffer.size())
    return std::nullopt;
  unsigned Semi = EndOffset;
  while (Semi < Buffer.size() && (Buffer[Semi] == ' ' || Buffer[Semi] == '\t'))
    ++Semi;
  if (Semi >= Buffer.size() || Buffer[Semi] != ';')
    return std::nullopt;
  unsigned From = BeginOffset, To = Semi + 1;
  unsigned LineStart = BeginOffset;
  while (LineStart > 0 &&
         (Buffer[LineStart - 1] == ' ' || Buffer[LineStart - 1] == '\t'))
    --LineStart;
  unsigned LineEnd = To;
  while (LineEnd < Buffer.size() &&
         (Buffer[LineEnd] == ' ' || Buffer[LineEnd] == '\t' ||
          Buffer[LineEnd] == '\r'))
    ++LineEnd;
  // Alone on its line: remove the line with the line break before it.
  if (LineStart > 0 && Buffer[LineStart - 1] == '\n' &&
      LineEnd < Buffer.size() && Buffer[LineEnd] == '\n') {
    From = LineStart - 1;
    if (From > 0 && Buffer[From - 1] == '\r')
      --From;
    To = LineEnd;
    while (To > Semi + 1 && Buffer[To - 1] == '\r')
      --To;
  }
  SourceLocation FileStart = SM.getLocForStartOfFile(File);
  return CharSourceRange::getCharRange(
      FileStart.getLocWithOffset(static_cast<int>(From)),
      FileStart.getLocWithOffset(static_cast<int>(To)));
}

/// Which work reaches a sleep unwaited, and what the function does next.
struct Judgement {
  const SiteInfo *Site = nullptr;
  /// The first read of what that work writes; none when the finding is the
  /// return.
  std::optional<RefEvent> Read;
  /// How many spawn sites reach the sleep unwaited.
  unsigned Unwaited = 0;
};

// The finding for one sleep, if there is one: a read beats a return, and
// among equals the first spawn site wins.
std::optional<Judgement> judgeSleep(FunctionFacts &Facts,
                                    const CallExpr *Call) {
  ASTContext &Ctx = Facts.Ctx;
  auto It = Facts.Where.find(Call);
  if (It == Facts.Where.end())
    return std::nullopt;
  if (Call->getNumArgs() > 0 && isZeroDuration(Call->getArg(0), Ctx))
    return std::nullopt;
  SleepInfo Sleep;
  Sleep.Call = Call;
  Sleep.Block = It->second.first;
  Sleep.Index = It->second.second;
  Sleep.Loop = enclosingLoop(Call, Facts.Body, Ctx);

  // The work that reaches this sleep with nothing waiting for it. A sleep in
  // a loop that does not also start the work paces a poll, a retry or a
  // periodic job.
  llvm::SmallVector<const SiteInfo *, 4> Unwaited;
  for (unsigned I = 0; I < Facts.Sites.size(); ++I) {
    const SiteInfo &SI = Facts.Sites[I];
    if (Sleep.Loop && !contains(Sleep.Loop, SI.Site.Site, Ctx))
      continue;
    if (Facts.reaches(I, Sleep.Loop, Call))
      Unwaited.push_back(&SI);
  }
  if (Unwaited.empty())
    return std::nullopt;

  const AfterSleep After = Facts.walkAfter(Sleep);
  if (!After.Complete || After.Signals)
    return std::nullopt;

  std::optional<Judgement> Best;
  for (const SiteInfo *SI : Unwaited) {
    bool Signals = false;
    const RefEvent *Read = nullptr;
    for (const RefEvent &R : After.Refs) {
      if (isSyncObjectType(R.State->getType()))
        continue;
      if (R.How != Access::Read) {
        // The spawner changes what the work looks at: "let it run, then stop
        // it", not a wait.
        Signals |= SI->Effects.Touched.contains(R.State) ||
                   Facts.isNonLocalState(R.State);
        continue;
      }
      if (SI->Effects.Writes.contains(R.State) &&
          (!Read ||
           isBefore(R.Ref->getBeginLoc(), Read->Ref->getBeginLoc(), Facts.SM)))
        Read = &R;
    }
    if (Signals)
      continue;
    if (!Read) {
      const LifetimeReason Why = SI->Life.Reason;
      // A pthread whose handle is kept in a member is a service, like a
      // std::thread member: not expected to finish before the return.
      const bool RunsOn =
          Why == LifetimeReason::Detached ||
          Why == LifetimeReason::HandedToPool ||
          (Why == LifetimeReason::NotJoined && SI->Life.Holder &&
           isDeclaredWithin(SI->Life.Holder, Facts.Body, Ctx));
      if (!After.Returns || Sleep.Loop || !RunsOn || SI->Effects.LongRunning)
        continue;
    }
    if (!Best || (Read && !Best->Read)) {
      Best = Judgement();
      Best->Site = SI;
      if (Read)
        Best->Read = *Read;
    }
  }
  if (Best)
    Best->Unwaited = Unwaited.size();
  return Best;
}

// A pool whose class has a method that waits for its tasks
// (BS::thread_pool::wait, wait_for_tasks, ...).
bool poolCanWait(const SpawnSite &Site) {
  const auto *M = llvm::dyn_cast_or_null<CXXMethodDecl>(Site.Spawner);
  if (!M)
    return false;
  for (const CXXMethodDecl *Other : M->getParent()->methods())
    if (lowerName(Other).find("wait") != std::string::npos)
      return true;
  return false;
}

unsigned remedyFor(const SiteInfo &SI, const Stmt *Body, ASTContext &Ctx) {
  const NamedDecl *Holder = SI.Life.Holder;
  if (SI.Life.Reason == LifetimeReason::Detached)
    return LatchOrCondVar;
  switch (SI.Site.Kind) {
  case SpawnKind::Async:
    return WaitFuture;
  case SpawnKind::Function:
    if (const auto *VD = llvm::dyn_cast_or_null<ValueDecl>(Holder);
        VD && holdsFutures(VD->getType()))
      return WaitFuture;
    return poolCanWait(SI.Site) ? WaitPool : LatchOrCondVar;
  default:
    return Holder && isDeclaredWithin(Holder, Body, Ctx) ? JoinThread
                                                         : LatchOrCondVar;
  }
}

struct JoinFix {
  const VarDecl *Thread = nullptr;
  /// The later `Thread.join();` to delete, if any.
  std::optional<CharSourceRange> LaterJoin;
};

// The sleep can become `t.join()`: t is a local, joinable thread initialised
// by the spawn and used nowhere but in one later `t.join();` of the sleep's
// block, and the sleep is a statement of its own in t's scope.
std::optional<JoinFix> planJoinFix(const SiteInfo &SI, const CallExpr *Sleep,
                                   const Stmt *Body, ASTContext &Ctx) {
  const VarDecl *Thread = localThreadVariable(SI, Body, Ctx);
  if (!Thread || !isEditable(Sleep->getSourceRange()))
    return std::nullopt;
  const CompoundStmt *SleepBlock = nullptr;
  const Stmt *SleepStmt = asStatement(Sleep, SleepBlock, Ctx);
  const CompoundStmt *DeclBlock = nullptr;
  for (const DynTypedNode &P : Ctx.getParents(*Thread))
    if (const auto *DS = P.get<DeclStmt>())
      for (const DynTypedNode &PP : Ctx.getParents(*DS))
        DeclBlock = PP.get<CompoundStmt>();
  if (!SleepStmt || !DeclBlock || !contains(DeclBlock, SleepStmt, Ctx))
    return std::nullopt;
  UseCollector Uses(Thread);
  Uses.TraverseStmt(const_cast<Stmt *>(Body));
  JoinFix Fix;
  Fix.Thread = Thread;
  if (Uses.Uses.empty())
    return Fix;
  if (Uses.Uses.size() > 1)
    return std::nullopt;
  const CallExpr *Join = laterJoin(Uses.Uses.front(), Sleep, SleepBlock, Ctx);
  if (!Join)
    return std::nullopt;
  // Without the removal the fix would join twice: no fix at all.
  Fix.LaterJoin =
      statementRemoval(Join, Ctx.getSourceManager(), Ctx.getLangOpts());
  if (!Fix.LaterJoin)
    return std::nullopt;
  return Fix;
}

} // namespace

struct SleepAsSyncCheck::Finding {
  const CallExpr *Sleep = nullptr;
  const SiteInfo *Site = nullptr;
  bool ByRead = false;
  const ValueDecl *State = nullptr;
  const Expr *ReadAt = nullptr;
  const Expr *WriteAt = nullptr;
  unsigned Remedy = LatchOrCondVar;
  /// Set when the sleep can become `Thread.join()`.
  const VarDecl *Thread = nullptr;
  /// A later `Thread.join();` that the fix removes.
  std::optional<CharSourceRange> LaterJoin;
};

SleepAsSyncCheck::SleepAsSyncCheck(StringRef Name, ClangTidyContext *Context)
    : ClangTidyCheck(Name, Context),
      SleepFunctions(
          parseList(Options.get("SleepFunctions", DefaultSleepFunctions))),
      ModelOpts(ModelOptions::read(Options)), Spawns(ModelOpts.SpawnFunctions),
      Verbose(Options.get("Verbose", false)) {}

void SleepAsSyncCheck::storeOptions(ClangTidyOptions::OptionMap &Opts) {
  Options.store(Opts, "SleepFunctions", serializeList(SleepFunctions));
  ModelOpts.store(Options, Opts);
  Options.store(Opts, "Verbose", Verbose);
}

void SleepAsSyncCheck::onEndOfTranslationUnit() {
  if (Verbose && Model)
    for (const ConcurrencyModel::Remark &R : Model->remarks())
      diag(R.Loc, R.Text, DiagnosticIDs::Remark);
  Analyzed.clear();
  Reported.clear();
  Model.reset();
}

namespace {
StatementMatcher sleepCallMatcher(const std::vector<std::string> &Names) {
  std::vector<llvm::StringRef> Refs(Names.begin(), Names.end());
  return callExpr(callee(functionDecl(hasAnyName(Refs))),
                  unless(isExpansionInSystemHeader()))
      .bind("sleep");
}
} // namespace

void SleepAsSyncCheck::registerMatchers(MatchFinder *Finder) {
  if (SleepFunctions.empty())
    return;
  Finder->addMatcher(sleepCallMatcher(SleepFunctions), this);
}

void SleepAsSyncCheck::check(const MatchFinder::MatchResult &Result) {
  const auto *Sleep = Result.Nodes.getNodeAs<CallExpr>("sleep");
  ASTContext &Ctx = *Result.Context;
  // The function or lambda the sleep runs in.
  DynTypedNode Node = DynTypedNode::create(*Sleep);
  for (unsigned Depth = 0; Depth < 512; ++Depth) {
    DynTypedNodeList Parents = Ctx.getParents(Node);
    if (Parents.empty())
      return;
    Node = Parents[0];
    if (const auto *L = Node.get<LambdaExpr>()) {
      analyzeFunction(L->getCallOperator(), L->getBody(), Ctx);
      return;
    }
    if (const auto *FD = Node.get<FunctionDecl>()) {
      analyzeFunction(FD, FD->getBody(), Ctx);
      return;
    }
    if (!Node.get<Stmt>())
      return; // a variable's initialiser, a default argument, ...
  }
}

void SleepAsSyncCheck::analyzeFunction(const Decl *Fn, Stmt *Body,
                                       ASTContext &Ctx) {
  if (!Fn || !Body || !Analyzed.insert(Fn).second)
    return;
  const auto *FD = llvm::dyn_cast<FunctionDecl>(Fn);
  if (!FD || FD->isInvalidDecl() || FD->isDependentContext() || hasErrors(Body))
    return;

  FunctionFacts Facts(Body, Ctx);
  llvm::SmallVector<const CallExpr *, 4> Sleeps;
  for (const BoundNodes &N :
       match(findAll(sleepCallMatcher(SleepFunctions)), *Body, Ctx))
    if (const auto *Call = N.getNodeAs<CallExpr>("sleep"))
      Sleeps.push_back(Call);
  if (Sleeps.empty() || Sleeps.size() > MaxSleepsPerFunction)
    return;

  llvm::SmallVector<SpawnSite, 4> Candidates;
  for (const BoundNodes &N :
       match(findAll(Spawns.candidateMatcher()), *Body, Ctx))
    if (std::optional<SpawnSite> Site =
            Spawns.classify(N.getNodeAs<Expr>("spawn"), Ctx))
      if (!isDeferredAsync(*Site))
        Candidates.push_back(*Site);
  if (Candidates.empty()) {
    // Work started by another method of the class (start(), the
    // constructor) and waited for elsewhere, if at all.
    analyzeAcrossMethods(FD, Sleeps, Ctx);
    return;
  }
  if (Candidates.size() > MaxSitesPerFunction)
    return;

  if (!Facts.build(Fn, Body))
    return;
  for (const CallExpr *Call : Sleeps)
    Facts.SleepCalls.insert(Call);

  for (const SpawnSite &Site : Candidates)
    Facts.addSite(Site, Spawns);
  if (Facts.Sites.empty())
    return;
  Facts.findWaitingLoops();

  for (const CallExpr *Call : Sleeps) {
    std::optional<Judgement> J = judgeSleep(Facts, Call);
    if (!J)
      continue;
    Finding F;
    F.Sleep = Call;
    F.Site = J->Site;
    F.ByRead = J->Read.has_value();
    if (J->Read) {
      F.State = J->Read->State;
      F.ReadAt = J->Read->Ref;
      F.WriteAt = J->Site->Effects.Writes.lookup(J->Read->State);
    }
    F.Remedy = remedyFor(*J->Site, Body, Ctx);
    // The fix: only one unwaited thread, a local std::thread.
    if (F.ByRead && J->Unwaited == 1)
      if (std::optional<JoinFix> Fix = planJoinFix(*J->Site, Call, Body, Ctx)) {
        F.Thread = Fix->Thread;
        F.LaterJoin = Fix->LaterJoin;
      }
    report(F, Ctx);
  }
}

void SleepAsSyncCheck::report(const Finding &F, ASTContext &Ctx) {
  const SourceManager &SM = Ctx.getSourceManager();
  if (!Reported
           .insert(SM.getExpansionLoc(F.Sleep->getBeginLoc()).getRawEncoding())
           .second)
    return;
  const SiteInfo &SI = *F.Site;
  {
    auto D = diag(F.Sleep->getBeginLoc(),
                  "sleep used as synchronisation: %select{%1 is read while "
                  "the work started earlier may still write it|the function "
                  "returns while the work started earlier may still run}0; "
                  "%select{join the thread|wait on the future|wait on a latch "
                  "or a condition variable|wait for the pool's tasks}2 "
                  "instead")
             << (F.ByRead ? 0 : 1);
    if (F.State)
      D << F.State;
    else
      D << "";
    D << F.Remedy;
    if (F.Thread) {
      D << FixItHint::CreateReplacement(
          CharSourceRange::getTokenRange(F.Sleep->getSourceRange()),
          (F.Thread->getName() + ".join()").str());
      if (F.LaterJoin)
        D << FixItHint::CreateRemoval(*F.LaterJoin);
    }
  }

  unsigned How = 0;
  if (!F.ByRead) {
    switch (SI.Life.Reason) {
    case LifetimeReason::Detached:
      How = 1;
      break;
    case LifetimeReason::HandedToPool:
      How = 2;
      break;
    default:
      How = 3;
      break;
    }
  }
  const NamedDecl *Spawner = SI.Site.Spawner;
  if (const auto *SpawnFD = llvm::dyn_cast_or_null<FunctionDecl>(Spawner))
    if (const FunctionTemplateDecl *T = SpawnFD->getPrimaryTemplate())
      Spawner = T->getTemplatedDecl();
  {
    auto N = diag(SI.Site.Site->getBeginLoc(),
                  "the work is started here%select{ and not waited on before "
                  "the sleep| and detached| and handed to %1, which may run "
                  "it after the function returns| and never joined}0",
                  DiagnosticIDs::Note)
             << How;
    if (Spawner)
      N << Spawner;
    else
      N << "";
  }
  if (F.ByRead) {
    diag(F.ReadAt->getExprLoc(), "%0 is read here, after the sleep",
         DiagnosticIDs::Note)
        << F.State;
    if (F.WriteAt)
      diag(F.WriteAt->getExprLoc(), "the work writes %0 here",
           DiagnosticIDs::Note)
          << F.State;
  }
}

// A method that sleeps and then reads what the work of its class writes,
// while that work was started by another method (start(), the constructor)
// and is waited for, if at all, elsewhere (stop(), the destructor).
void SleepAsSyncCheck::analyzeAcrossMethods(
    const FunctionDecl *FD, llvm::ArrayRef<const CallExpr *> Sleeps,
    ASTContext &Ctx) {
  ConcurrencyModel &M = ConcurrencyModel::get(Ctx, ModelOpts, Model);
  const ClassProtocol *P = M.protocolOf(classOfFunction(FD));
  if (!P || !P->mayRunWithWork(FD) || M.isThreadEntry(FD))
    return;
  const SourceManager &SM = Ctx.getSourceManager();
  for (const CallExpr *Sleep : Sleeps) {
    if (Sleep->getNumArgs() > 0 && isZeroDuration(Sleep->getArg(0), Ctx))
      continue;
    // A sleep in a loop paces a poll or a periodic job.
    if (enclosingLoop(Sleep, FD->getBody(), Ctx))
      continue;
    for (unsigned Work : P->Work) {
      const SpawnRecord &R = M.spawns()[Work];
      if (isDeferredAsync(R.Site) || M.isAfterWait(Sleep, Work))
        continue;
      // A service loop is not expected to finish: reading its state after
      // a pause is a different question.
      TaskEffects Effects; // what the work touches, for its loop conditions
      for (const FunctionDecl *F : M.functionsOfWork(Work))
        for (const MemberAccess &A : M.accessesOf(F))
          Effects.Touched.insert(A.Target);
      bool LongRunning = false;
      for (const FunctionDecl *F : M.functionsOfWork(Work)) {
        LongRunningFinder Loops(Ctx, Effects);
        Loops.TraverseStmt(F->getBody());
        LongRunning |= Loops.Found;
      }
      if (LongRunning)
        continue;
      const llvm::DenseSet<const ValueDecl *> &Writes = M.writtenByWork(Work);
      const MemberAccess *Read = nullptr;
      for (const MemberAccess &A : M.accessesOf(FD)) {
        if (A.Write || !Writes.contains(A.Target) ||
            !llvm::isa<FieldDecl>(A.Target) ||
            isSyncObjectType(A.Target->getType()) ||
            !M.mayFollow(Sleep, A.E) || M.isAfterWait(A.E, Work))
          continue;
        if (!Read || isBefore(A.E->getBeginLoc(), Read->E->getBeginLoc(), SM))
          Read = &A;
      }
      if (!Read)
        continue;
      if (!Reported
               .insert(SM.getExpansionLoc(Sleep->getBeginLoc()).getRawEncoding())
               .second)
        return;
      unsigned Remedy = LatchOrCondVar;
      if (R.Site.Kind == SpawnKind::Async)
        Remedy = WaitFuture;
      else if (R.Site.Kind == SpawnKind::Thread ||
               R.Site.Kind == SpawnKind::JThread ||
               R.Site.Kind == SpawnKind::PthreadCreate)
        Remedy = JoinThread;
      diag(Sleep->getBeginLoc(),
           "sleep used as synchronisation: %0 is read while the work started "
           "earlier may still write it; %select{join the thread|wait on the "
           "future|wait on a latch or a condition variable|wait for the "
           "pool's tasks}1 instead")
          << Read->Target << Remedy;
      diag(R.Site.Site->getBeginLoc(), "the work is started here, in %0",
           DiagnosticIDs::Note)
          << outermostFunction(R.Spawner);
      if (const ProtocolWait *W = P->waitFor(Work))
        diag(W->Call->getBeginLoc(), "the work is waited for here, in %0",
             DiagnosticIDs::Note)
            << W->Method;
      diag(Read->E->getExprLoc(), "%0 is read here, after the sleep",
           DiagnosticIDs::Note)
          << Read->Target;
      for (const FunctionDecl *F : M.functionsOfWork(Work)) {
        llvm::ArrayRef<MemberAccess> Accesses = M.accessesOf(F);
        const auto *Wr = llvm::find_if(Accesses, [&](const MemberAccess &A) {
          return A.Write && A.Target == Read->Target;
        });
        if (Wr != Accesses.end()) {
          diag(Wr->E->getExprLoc(), "the work writes %0 here",
               DiagnosticIDs::Note)
              << Read->Target;
          break;
        }
      }
      return;
    }
  }
}

} // namespace clang::tidy::threadlint
