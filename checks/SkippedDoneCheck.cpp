//===--- SkippedDoneCheck.cpp - threadlint --------------------------------===//
//
// Spawned work signals its completion (a latch's count_down, a wait group's
// Done, a promise's set_value, a counter lowered to zero, a flag set and a
// condition variable notified) and someone waits for that signal. An early
// exit of the work that skips the signal leaves the waiter waiting forever:
// Go's `wg.Done()` skipped on an error path, for which Go writes
// `defer wg.Done()`. The check walks each spawned body's CFG: a path from
// the start of the body (or of the loop iteration, for a signal made once
// per iteration) reaches the exit with no signal, no signal can follow the
// exit, and another path does signal.
//
//===----------------------------------------------------------------------===//
#include "SkippedDoneCheck.h"
#include "model/AstHelpers.h"
#include "model/HandOff.h"
#include "model/OptionLists.h"
#include "model/WaitCounter.h"
#include "clang/AST/ParentMapContext.h"
#include "clang/AST/RecursiveASTVisitor.h"
#include "clang/ASTMatchers/ASTMatchFinder.h"
#include "clang/Analysis/CFG.h"
#include "llvm/ADT/SmallPtrSet.h"

using namespace clang::ast_matchers;

namespace clang::tidy::threadlint {

/// A completion signal in a spawned body.
struct SkippedDoneCheck::Signal {
  const Expr *E = nullptr;
  /// The object signalled, as the body names it (a parameter, a captured
  /// variable, a field, a global).
  const NamedDecl *Object = nullptr;
  SignalKind Kind = SignalKind::Latch;
};

/// Where the waiting side waits for the signal.
struct SkippedDoneCheck::Waiter {
  const Expr *E = nullptr;
  /// The function that waits.
  const FunctionDecl *In = nullptr;
  /// It is a method of the class other than the one that spawns.
  bool OtherMethod = false;
};

namespace {

using SignalKind = SkippedDoneCheck::SignalKind;

bool isNamed(const NamedDecl *D, llvm::ArrayRef<std::string> Names) {
  return D && D->getIdentifier() && llvm::is_contained(Names, D->getName());
}

bool hasName(const NamedDecl *D, llvm::StringRef Name) {
  return D && D->getIdentifier() && D->getName() == Name;
}

bool isStdClass(const CXXRecordDecl *RD, llvm::StringRef Name) {
  return RD && RD->isInStdNamespace() && hasName(RD, Name);
}

bool isOneOf(llvm::StringRef Name, std::initializer_list<llvm::StringRef> L) {
  return llvm::is_contained(L, Name);
}

// Whether S names D anywhere (a variable, a parameter, a field), nested
// lambdas included.
bool mentions(const Stmt *S, const NamedDecl *D) {
  if (!S || !D)
    return false;
  class Finder : public RecursiveASTVisitor<Finder> {
  public:
    explicit Finder(const NamedDecl *D) : D(D) {}
    bool Found = false;
    bool VisitDeclRefExpr(DeclRefExpr *E) {
      Found = E->getDecl() == D;
      return !Found;
    }
    bool VisitMemberExpr(MemberExpr *E) {
      Found = E->getMemberDecl() == D;
      return !Found;
    }

  private:
    const NamedDecl *D;
  };
  Finder F(D);
  F.TraverseStmt(const_cast<Stmt *>(S));
  return F.Found;
}

// The argument a spawner passes for a reference or pointer: `std::ref(x)`,
// `&x`, `x`.
const Expr *throughRef(const Expr *E) {
  E = E->IgnoreParenImpCasts();
  if (const auto *Ctor = llvm::dyn_cast<CXXConstructExpr>(E))
    if (Ctor->getNumArgs() == 1)
      E = Ctor->getArg(0)->IgnoreParenImpCasts();
  if (const auto *M = llvm::dyn_cast<MaterializeTemporaryExpr>(E))
    E = M->getSubExpr()->IgnoreParenImpCasts();
  if (const auto *Call = llvm::dyn_cast<CallExpr>(E))
    if (const FunctionDecl *FD = Call->getDirectCallee())
      if (FD->isInStdNamespace() &&
          (hasName(FD, "ref") || hasName(FD, "cref")) &&
          Call->getNumArgs() == 1)
        E = Call->getArg(0)->IgnoreParenImpCasts();
  if (const auto *U = llvm::dyn_cast<UnaryOperator>(E))
    if (U->getOpcode() == UO_AddrOf)
      E = U->getSubExpr()->IgnoreParenImpCasts();
  return E;
}

// The exits the check judges.
enum class ExitKind { Return, Continue, Break, Throw };

const char *exitName(ExitKind K) {
  switch (K) {
  case ExitKind::Return:
    return "return";
  case ExitKind::Continue:
    return "continue";
  case ExitKind::Break:
    return "break";
  case ExitKind::Throw:
    return "throw";
  }
  return "";
}

// Whether S lies in a try block of Body.
bool inTry(const Stmt *S, const Stmt *Body, ASTContext &Ctx) {
  DynTypedNode Node = DynTypedNode::create(*S);
  for (unsigned Depth = 0; Depth < 256; ++Depth) {
    DynTypedNodeList Parents = Ctx.getParents(Node);
    if (Parents.empty())
      return false;
    Node = Parents[0];
    const auto *P = Node.get<Stmt>();
    if (!P || P == Body || llvm::isa<LambdaExpr>(P))
      return false;
    if (llvm::isa<CXXTryStmt>(P))
      return true;
  }
  return false;
}

// What a spawned body writes (assignments, increments, atomic stores and
// read-modify-writes), not counting nested lambdas.
llvm::SmallPtrSet<const NamedDecl *, 8> writtenIn(const Stmt *Body) {
  class Finder : public RecursiveASTVisitor<Finder> {
  public:
    llvm::SmallPtrSet<const NamedDecl *, 8> Written;
    bool TraverseLambdaExpr(LambdaExpr *) { return true; }
    bool VisitBinaryOperator(BinaryOperator *B) {
      if (B->isAssignmentOp())
        add(B->getLHS());
      return true;
    }
    bool VisitUnaryOperator(UnaryOperator *U) {
      if (U->isIncrementDecrementOp())
        add(U->getSubExpr());
      return true;
    }
    bool VisitCXXOperatorCallExpr(CXXOperatorCallExpr *Op) {
      if (Op->getNumArgs() >= 1 &&
          (Op->isAssignmentOp() || Op->getOperator() == OO_PlusPlus ||
           Op->getOperator() == OO_MinusMinus))
        add(Op->getArg(0));
      return true;
    }
    bool VisitCXXMemberCallExpr(CXXMemberCallExpr *MC) {
      AtomicAccess A = atomicAccessOf(MC);
      if (A == AtomicAccess::Store || A == AtomicAccess::ReadModifyWrite)
        add(MC->getImplicitObjectArgument());
      return true;
    }

  private:
    void add(const Expr *E) {
      if (E)
        if (const NamedDecl *D = referencedDecl(E))
          Written.insert(D);
    }
  };
  Finder F;
  F.TraverseStmt(const_cast<Stmt *>(Body));
  return std::move(F.Written);
}

// A future made by `P.get_future()`: the expression itself
// (`p.get_future().wait()`) or a variable initialised from one.
bool madeFromPromise(const Expr *Future, const NamedDecl *Promise) {
  class Finder : public RecursiveASTVisitor<Finder> {
  public:
    explicit Finder(const NamedDecl *P) : P(P) {}
    bool Found = false;
    bool VisitCXXMemberCallExpr(CXXMemberCallExpr *MC) {
      if (hasName(MC->getMethodDecl(), "get_future") &&
          MC->getImplicitObjectArgument() &&
          referencedDecl(MC->getImplicitObjectArgument()) == P)
        Found = true;
      return !Found;
    }

  private:
    const NamedDecl *P;
  };
  Finder F(Promise);
  F.TraverseStmt(const_cast<Expr *>(Future));
  if (F.Found)
    return true;
  if (const auto *VD =
          llvm::dyn_cast_or_null<VarDecl>(referencedDecl(Future)))
    if (const Expr *Init = VD->getInit()) {
      F.TraverseStmt(const_cast<Expr *>(Init));
      return F.Found;
    }
  return false;
}

// The text of E as written (its expansion for a macro), or the fallback.
std::string textOf(const Expr *E, llvm::StringRef Fallback, ASTContext &Ctx) {
  const SourceManager &SM = Ctx.getSourceManager();
  SourceRange R(SM.getFileLoc(E->getBeginLoc()), SM.getFileLoc(E->getEndLoc()));
  if (std::optional<std::string> T = sourceText(R, Ctx))
    if (T->size() <= 60 && T->find('\n') == std::string::npos)
      return *T;
  return Fallback.str();
}

// The function a lambda body forwards to, when its body is that one call
// (`[this, i] { upload(i); }`), with a definition outside system headers.
const FunctionDecl *forwardedTo(const FunctionDecl *Body) {
  const auto *MD = llvm::dyn_cast<CXXMethodDecl>(Body);
  if (!MD || !MD->getParent()->isLambda())
    return nullptr;
  const auto *CS = llvm::dyn_cast_or_null<CompoundStmt>(Body->getBody());
  if (!CS || CS->size() != 1)
    return nullptr;
  const auto *E = llvm::dyn_cast<Expr>(CS->body_front());
  if (!E)
    return nullptr;
  const auto *Call = llvm::dyn_cast<CallExpr>(E->IgnoreImplicit());
  const FunctionDecl *Callee = Call ? Call->getDirectCallee() : nullptr;
  const FunctionDecl *Def = nullptr;
  if (!Callee || !Callee->hasBody(Def) || !Def || Def->isInvalidDecl() ||
      Def == Body ||
      Body->getASTContext().getSourceManager().isInSystemHeader(
          Def->getLocation()) ||
      hasErrors(Def->getBody()))
    return nullptr;
  return Def;
}

} // namespace

SkippedDoneCheck::SkippedDoneCheck(StringRef Name, ClangTidyContext *Context)
    : ClangTidyCheck(Name, Context), ModelOpts(ModelOptions::read(Options)),
      WaitGroupTypes(parseList(Options.get("WaitGroupTypes", ""))),
      AddMethods(parseList(Options.get("AddMethods", "Add;add"))),
      DoneMethods(parseList(Options.get("DoneMethods", "Done;done"))),
      WaitMethods(parseList(Options.get("WaitMethods", "Wait;wait"))),
      MaxBlocks(Options.get("MaxBlocks", 2000U)) {}

void SkippedDoneCheck::storeOptions(ClangTidyOptions::OptionMap &Opts) {
  ModelOpts.store(Options, Opts);
  Options.store(Opts, "WaitGroupTypes", serializeList(WaitGroupTypes));
  Options.store(Opts, "AddMethods", serializeList(AddMethods));
  Options.store(Opts, "DoneMethods", serializeList(DoneMethods));
  Options.store(Opts, "WaitMethods", serializeList(WaitMethods));
  Options.store(Opts, "MaxBlocks", MaxBlocks);
}

void SkippedDoneCheck::onEndOfTranslationUnit() {
  Reported.clear();
  Model.reset();
}

void SkippedDoneCheck::registerMatchers(MatchFinder *Finder) {
  // The spawned bodies come from the concurrency model, once per TU.
  Finder->addMatcher(translationUnitDecl().bind("tu"), this);
}

std::optional<SkippedDoneCheck::Signal>
SkippedDoneCheck::classify(const Expr *E, ASTContext &Ctx) const {
  Signal S;
  S.E = E;
  if (const auto *MC = llvm::dyn_cast<CXXMemberCallExpr>(E)) {
    const CXXMethodDecl *MD = MC->getMethodDecl();
    const Expr *Obj = MC->getImplicitObjectArgument();
    if (!MD || !Obj || !MD->getIdentifier())
      return std::nullopt;
    const CXXRecordDecl *RD = MD->getParent();
    llvm::StringRef Name = MD->getName();
    if (hasName(RD, "latch") && isOneOf(Name, {"count_down", "arrive_and_wait"}))
      S.Kind = SignalKind::Latch;
    else if (hasName(RD, "BlockingCounter") && Name == "DecrementCount")
      S.Kind = SignalKind::Latch;
    else if (isStdClass(RD, "barrier") &&
             isOneOf(Name, {"arrive", "arrive_and_wait", "arrive_and_drop"}))
      S.Kind = SignalKind::Barrier;
    else if (isStdClass(RD, "counting_semaphore") && Name == "release")
      S.Kind = SignalKind::Semaphore;
    else if (isStdClass(RD, "promise") &&
             isOneOf(Name, {"set_value", "set_exception"}))
      S.Kind = SignalKind::Promise;
    else if (isNamed(MD, DoneMethods) &&
             isWaitGroupClass(RD, WaitGroupTypes, AddMethods, WaitMethods))
      S.Kind = SignalKind::WaitGroup;
    else if (isOneOf(Name, {"notify_one", "notify_all", "Signal",
                            "SignalAll"}) &&
             isConditionVariable(Obj))
      S.Kind = SignalKind::Notify;
    else if (Name == "fetch_sub" && MC->getNumArgs() >= 1 &&
             isStdAtomicIntegral(Obj) && mayBePositive(MC->getArg(0), Ctx))
      S.Kind = SignalKind::Counter;
    else
      return std::nullopt;
    S.Object = referencedDecl(Obj);
  } else if (const auto *Op = llvm::dyn_cast<CXXOperatorCallExpr>(E)) {
    if (Op->getNumArgs() < 1 || !isStdAtomicIntegral(Op->getArg(0)))
      return std::nullopt;
    if (Op->getOperator() != OO_MinusMinus &&
        !(Op->getOperator() == OO_MinusEqual && Op->getNumArgs() == 2 &&
          mayBePositive(Op->getArg(1), Ctx)))
      return std::nullopt;
    S.Kind = SignalKind::Counter;
    S.Object = referencedDecl(Op->getArg(0));
  } else {
    return std::nullopt;
  }
  if (!S.Object || E->containsErrors())
    return std::nullopt;
  return S;
}

std::optional<SkippedDoneCheck::Waiter>
SkippedDoneCheck::findWait(const Signal &S, const NamedDecl *Object,
                           const SpawnRecord &R, const FunctionDecl *Body,
                           ASTContext &Ctx) const {
  // Where the waiting side may be: the spawner, and for a member of a class
  // the other methods of the class (work started in start(), waited for in
  // finish()).
  llvm::SmallVector<std::pair<const FunctionDecl *, bool>, 8> Places;
  if (R.Spawner)
    Places.push_back({outermostFunction(R.Spawner), false});
  if (const auto *Field = llvm::dyn_cast<FieldDecl>(Object))
    if (const auto *RD = llvm::dyn_cast_or_null<CXXRecordDecl>(
            Field->getParent()->getDefinition()))
      for (const CXXMethodDecl *M : RD->methods()) {
        const FunctionDecl *Def = nullptr;
        if (M->hasBody(Def) && Def && Def != Body && !Def->isInvalidDecl() &&
            (Places.empty() || Def != Places.front().first))
          Places.push_back({Def, true});
        if (Places.size() > 64)
          break;
      }

  llvm::SmallPtrSet<const NamedDecl *, 8> Written;
  if (S.Kind == SignalKind::Notify)
    Written = writtenIn(Body->getBody());

  class Finder : public RecursiveASTVisitor<Finder> {
  public:
    Finder(const SkippedDoneCheck &Check, const Signal &S,
           const NamedDecl *Object,
           const llvm::SmallPtrSet<const NamedDecl *, 8> &Written,
           ASTContext &Ctx)
        : Check(Check), S(S), Object(Object), Written(Written), Ctx(Ctx) {}
    const Expr *Found = nullptr;

    bool TraverseLambdaExpr(LambdaExpr *) { return true; } // other work

    bool VisitCXXMemberCallExpr(CXXMemberCallExpr *MC) {
      const CXXMethodDecl *MD = MC->getMethodDecl();
      const Expr *Obj = MC->getImplicitObjectArgument();
      if (!MD || !Obj || !MD->getIdentifier())
        return true;
      llvm::StringRef Name = MD->getName();
      switch (S.Kind) {
      case SignalKind::Latch:
      case SignalKind::Barrier:
        if (isOneOf(Name, {"wait", "arrive_and_wait", "Wait"}) &&
            referencedDecl(Obj) == Object)
          Found = MC;
        break;
      case SignalKind::WaitGroup:
        if (isNamed(MD, Check.WaitMethods) && referencedDecl(Obj) == Object)
          Found = MC;
        break;
      case SignalKind::Semaphore:
        if (Name == "acquire" && referencedDecl(Obj) == Object)
          Found = MC;
        break;
      case SignalKind::Promise:
        if (isOneOf(Name, {"get", "wait"}) &&
            madeFromPromise(Obj, Object))
          Found = MC;
        break;
      case SignalKind::Counter:
        // cv.wait(lock, [&] { return pending == 0; })
        if (isOneOf(Name, {"wait", "wait_for", "wait_until"}) &&
            MC->getNumArgs() >= 2)
          if (const Expr *Result =
                  predicateResult(MC->getArg(MC->getNumArgs() - 1)))
            if (testsZero(Result, Object, Ctx))
              Found = MC;
        break;
      case SignalKind::Notify:
        // cv.wait(lock, [&] { return done; }) on the notified variable,
        // reading what the work writes.
        if (isOneOf(Name, {"wait", "wait_for", "wait_until"}) &&
            MC->getNumArgs() >= 2 && referencedDecl(Obj) == Object)
          if (const Expr *Result =
                  predicateResult(MC->getArg(MC->getNumArgs() - 1)))
            if (llvm::any_of(Written, [&](const NamedDecl *D) {
                  return mentions(Result, D);
                }))
              Found = MC;
        break;
      }
      return !Found;
    }

    // while (pending.load() > 0) ...; while (!done) cv.wait(lock);
    bool VisitWhileStmt(WhileStmt *W) { return loop(W->getCond(), W); }
    bool VisitDoStmt(DoStmt *D) { return loop(D->getCond(), D); }
    bool VisitForStmt(ForStmt *F) { return loop(F->getCond(), F); }

  private:
    bool loop(const Expr *Cond, const Stmt *Loop) {
      if (Found || !Cond)
        return !Found;
      if (S.Kind == SignalKind::Counter && testsNonZero(Cond, Object, Ctx))
        Found = Cond;
      if (S.Kind == SignalKind::Notify && isWaitOnObject(loopBody(Loop)) &&
          llvm::any_of(Written,
                       [&](const NamedDecl *D) { return mentions(Cond, D); }))
        Found = Cond;
      return !Found;
    }
    // The loop body waits on the condition variable (directly, or as its
    // only statement).
    bool isWaitOnObject(const Stmt *LoopBody) const {
      if (!LoopBody)
        return false;
      llvm::SmallVector<const Stmt *, 4> Stmts;
      if (const auto *CS = llvm::dyn_cast<CompoundStmt>(LoopBody))
        Stmts.append(CS->body_begin(), CS->body_end());
      else
        Stmts.push_back(LoopBody);
      for (const Stmt *St : Stmts)
        if (const auto *MC = llvm::dyn_cast<CXXMemberCallExpr>(St))
          if ((hasName(MC->getMethodDecl(), "wait") ||
               hasName(MC->getMethodDecl(), "Wait")) &&
              MC->getImplicitObjectArgument() &&
              referencedDecl(MC->getImplicitObjectArgument()) == Object)
            return true;
      return false;
    }

    const SkippedDoneCheck &Check;
    const Signal &S;
    const NamedDecl *Object;
    const llvm::SmallPtrSet<const NamedDecl *, 8> &Written;
    ASTContext &Ctx;
  };

  for (auto [F, Other] : Places) {
    if (!F || !F->getBody() || F->isInvalidDecl())
      continue;
    Finder Fi(*this, S, Object, Written, Ctx);
    Fi.TraverseStmt(F->getBody());
    if (Fi.Found) {
      Waiter W;
      W.E = Fi.Found;
      W.In = F;
      W.OtherMethod = Other;
      return W;
    }
  }
  return std::nullopt;
}

void SkippedDoneCheck::check(const MatchFinder::MatchResult &Result) {
  ASTContext &Ctx = *Result.Context;
  ConcurrencyModel &M = ConcurrencyModel::get(Ctx, ModelOpts, Model);
  const SourceManager &SM = Ctx.getSourceManager();
  for (const SpawnRecord &R : M.spawns()) {
    // An exception leaving a std::thread or pthread terminates the process
    // (no hang); a pool task's or std::async's does not.
    const bool ThrowsHang = R.Site.Kind == SpawnKind::Async ||
                            R.Site.Kind == SpawnKind::Function;
    for (const FunctionDecl *B : R.Bodies) {
      const FunctionDecl *Def = nullptr;
      if (!B || !B->hasBody(Def) || !Def || Def->isInvalidDecl() ||
          SM.isInSystemHeader(Def->getLocation()) ||
          hasErrors(Def->getBody()))
        continue;
      checkBody(R, Def, /*Entry=*/true, ThrowsHang, Ctx);
      // A lambda that only forwards to a function of the TU
      // (`[this, i] { upload(i); }`): the work is that function's body.
      if (const FunctionDecl *Callee = forwardedTo(Def))
        checkBody(R, Callee, /*Entry=*/false, ThrowsHang, Ctx);
    }
  }
}

void SkippedDoneCheck::checkBody(const SpawnRecord &R,
                                 const FunctionDecl *Body, bool Entry,
                                 bool ThrowsHang, ASTContext &Ctx) {
  const Stmt *BodyStmt = Body->getBody();

  // The signals of the body (not of nested lambdas: other work or
  // callbacks), by object.
  class Collector : public RecursiveASTVisitor<Collector> {
  public:
    Collector(const SkippedDoneCheck &Check, ASTContext &Ctx)
        : Check(Check), Ctx(Ctx) {}
    std::vector<Signal> Signals;
    bool TraverseLambdaExpr(LambdaExpr *) { return true; }
    bool VisitExpr(Expr *E) {
      if (Signals.size() < 64)
        if (std::optional<Signal> S = Check.classify(E, Ctx))
          Signals.push_back(*S);
      return true;
    }

  private:
    const SkippedDoneCheck &Check;
    ASTContext &Ctx;
  };
  Collector C(*this, Ctx);
  C.TraverseStmt(const_cast<Stmt *>(BodyStmt));
  if (C.Signals.empty())
    return;

  // Locals of the body and what they were initialised from.
  llvm::SmallVector<const VarDecl *, 16> Locals;
  {
    class LocalFinder : public RecursiveASTVisitor<LocalFinder> {
    public:
      llvm::SmallVector<const VarDecl *, 16> &Out;
      explicit LocalFinder(llvm::SmallVector<const VarDecl *, 16> &Out)
          : Out(Out) {}
      bool TraverseLambdaExpr(LambdaExpr *) { return true; }
      bool VisitVarDecl(VarDecl *VD) {
        if (Out.size() < 256)
          Out.push_back(VD);
        return true;
      }
    };
    LocalFinder LF(Locals);
    LF.TraverseStmt(const_cast<Stmt *>(BodyStmt));
  }

  std::unique_ptr<CFG> Graph;
  llvm::SmallPtrSet<const NamedDecl *, 4> Done;
  for (const Signal &First : C.Signals) {
    const NamedDecl *Object = First.Object;
    if (!Done.insert(Object).second)
      continue;
    llvm::SmallVector<const Signal *, 4> Signals;
    for (const Signal &S : C.Signals)
      if (S.Object == Object)
        Signals.push_back(&S);

    // The object as the waiting side names it. A local of the body, or one
    // passed by value (a promise moved into the work: destroyed unset, it
    // breaks its future instead of hanging it), is the work's own.
    const NamedDecl *Waited = Object;
    if (const auto *PVD = llvm::dyn_cast<ParmVarDecl>(Object)) {
      Waited = nullptr;
      const QualType T = PVD->getType();
      if (Entry && (T->isReferenceType() || T->isPointerType()))
        for (unsigned I = 0; I < R.Site.Args.size(); ++I)
          if (R.Site.paramFor(I) == PVD)
            Waited = referencedDecl(throughRef(R.Site.Args[I]));
    } else if (const auto *VD = llvm::dyn_cast<VarDecl>(Object)) {
      if (VD->isInitCapture() || VD->getDeclContext() == Body ||
          llvm::is_contained(Locals, VD))
        Waited = nullptr;
    }
    if (!Waited)
      continue;

    // The work claims its own count (wg.Add, ++pending, a semaphore it
    // acquires itself): an exit before the claim owes no signal.
    if (claimsItself(BodyStmt, Object))
      continue;

    // An RAII guard signals in its destructor: a local with a destructor
    // initialised from the object (or from `this`, for a member; or from a
    // local lambda that names it), or whose destructor names it.
    llvm::SmallPtrSet<const VarDecl *, 4> Carriers;
    bool Guarded = false;
    for (const VarDecl *VD : Locals) {
      const Expr *Init = VD->getInit();
      bool FromObject =
          Init && (mentions(Init, Object) ||
                   llvm::any_of(Carriers, [&](const VarDecl *Cr) {
                     return mentions(Init, Cr);
                   }));
      if (Init && llvm::isa<FieldDecl>(Object)) {
        class ThisFinder : public RecursiveASTVisitor<ThisFinder> {
        public:
          bool Found = false;
          bool VisitCXXThisExpr(CXXThisExpr *) {
            Found = true;
            return false;
          }
        };
        ThisFinder TF;
        TF.TraverseStmt(const_cast<Expr *>(Init));
        FromObject |= TF.Found;
      }
      if (FromObject)
        Carriers.insert(VD);
      const CXXRecordDecl *RD =
          VD->getType()->isReferenceType()
              ? nullptr
              : VD->getType()->getAsCXXRecordDecl();
      if (!RD || !RD->hasDefinition() || RD->hasTrivialDestructor())
        continue;
      bool DtorSignals = false;
      if (const CXXDestructorDecl *Dtor = RD->getDestructor())
        if (const FunctionDecl *DD = nullptr; Dtor->hasBody(DD) && DD)
          DtorSignals = mentions(DD->getBody(), Object);
      if (FromObject || DtorSignals) {
        Guarded = true;
        break;
      }
    }
    if (Guarded)
      continue;

    // The signals are made once per body or once per iteration of one
    // counted loop (for, range-for). A signal in a while or do loop belongs
    // to a worker loop whose exits the check does not judge.
    const Stmt *Loop = enclosingLoop(Signals.front()->E, BodyStmt, Ctx);
    if (llvm::any_of(Signals, [&](const Signal *S) {
          return enclosingLoop(S->E, BodyStmt, Ctx) != Loop;
        }))
      continue;
    if (Loop && !llvm::isa<ForStmt, CXXForRangeStmt>(Loop))
      continue;

    std::optional<Waiter> W =
        findWait(*Signals.front(), Waited, R, Body, Ctx);
    if (!W)
      continue;

    if (!Graph) {
      CFG::BuildOptions Opts;
      Opts.AddImplicitDtors = true;
      Opts.AddTemporaryDtors = true;
      Opts.setAllAlwaysAdd();
      Graph = CFG::buildCFG(Body, const_cast<Stmt *>(BodyStmt), &Ctx, Opts);
      if (!Graph || Graph->getNumBlockIDs() > MaxBlocks)
        return;
    }
    judgeExits(*Graph, Signals, Object, Loop, Body, ThrowsHang, *W, Ctx);
  }
}

bool SkippedDoneCheck::claimsItself(const Stmt *Body,
                                    const NamedDecl *Object) const {
  class Finder : public RecursiveASTVisitor<Finder> {
  public:
    Finder(const SkippedDoneCheck &Check, const NamedDecl *Object)
        : Check(Check), Object(Object) {}
    bool Found = false;
    bool TraverseLambdaExpr(LambdaExpr *) { return true; }
    bool VisitCXXMemberCallExpr(CXXMemberCallExpr *MC) {
      const CXXMethodDecl *MD = MC->getMethodDecl();
      const Expr *Obj = MC->getImplicitObjectArgument();
      if (MD && Obj && MD->getIdentifier() && referencedDecl(Obj) == Object &&
          (isNamed(MD, Check.AddMethods) ||
           isOneOf(MD->getName(), {"fetch_add", "acquire", "try_acquire"})))
        Found = true;
      return !Found;
    }
    bool VisitCXXOperatorCallExpr(CXXOperatorCallExpr *Op) {
      if (Op->getNumArgs() >= 1 &&
          (Op->getOperator() == OO_PlusPlus ||
           Op->getOperator() == OO_PlusEqual) &&
          referencedDecl(Op->getArg(0)) == Object)
        Found = true;
      return !Found;
    }

  private:
    const SkippedDoneCheck &Check;
    const NamedDecl *Object;
  };
  Finder F(*this, Object);
  F.TraverseStmt(const_cast<Stmt *>(Body));
  return F.Found;
}

namespace {

// A call that may signal the object on the work's behalf: it is handed the
// object, or its callee (two calls deep) names it.
bool callMaySignal(const Stmt *S, const NamedDecl *Object, unsigned Depth) {
  const auto *Call = llvm::dyn_cast<CallExpr>(S);
  if (!Call)
    return false;
  for (const Expr *Arg : Call->arguments())
    if (Arg && referencedDecl(throughRef(Arg)) == Object)
      return true;
  const FunctionDecl *Callee = Call->getDirectCallee();
  const FunctionDecl *Def = nullptr;
  if (!Callee || !Callee->hasBody(Def) || !Def || !Def->getBody())
    return false;
  if (mentions(Def->getBody(), Object))
    return true;
  if (Depth == 0)
    return false;
  class Calls : public RecursiveASTVisitor<Calls> {
  public:
    Calls(const NamedDecl *Object, unsigned Depth)
        : Object(Object), Depth(Depth) {}
    bool Found = false;
    unsigned Seen = 0;
    bool VisitCallExpr(CallExpr *C) {
      Found = ++Seen < 32 && callMaySignal(C, Object, Depth - 1);
      return !Found && Seen < 32;
    }

  private:
    const NamedDecl *Object;
    unsigned Depth;
  };
  Calls C(Object, Depth);
  C.TraverseStmt(Def->getBody());
  return C.Found;
}

// The target a write assigns: `done = true`, `done.store(true)`, `++n`.
const NamedDecl *writeTarget(const Stmt *S) {
  if (const auto *B = llvm::dyn_cast<BinaryOperator>(S))
    return B->isAssignmentOp() ? referencedDecl(B->getLHS()) : nullptr;
  if (const auto *U = llvm::dyn_cast<UnaryOperator>(S))
    return U->isIncrementDecrementOp() ? referencedDecl(U->getSubExpr())
                                       : nullptr;
  if (const auto *Op = llvm::dyn_cast<CXXOperatorCallExpr>(S))
    return Op->getNumArgs() >= 1 &&
                   (Op->isAssignmentOp() ||
                    Op->getOperator() == OO_PlusPlus ||
                    Op->getOperator() == OO_MinusMinus)
               ? referencedDecl(Op->getArg(0))
               : nullptr;
  if (const auto *MC = llvm::dyn_cast<CXXMemberCallExpr>(S)) {
    AtomicAccess A = atomicAccessOf(MC);
    if ((A == AtomicAccess::Store || A == AtomicAccess::ReadModifyWrite) &&
        MC->getImplicitObjectArgument())
      return referencedDecl(MC->getImplicitObjectArgument());
  }
  return nullptr;
}

} // namespace

void SkippedDoneCheck::judgeExits(const CFG &Graph,
                                  llvm::ArrayRef<const Signal *> Signals,
                                  const NamedDecl *Object, const Stmt *Loop,
                                  const FunctionDecl *Body, bool ThrowsHang,
                                  const Waiter &W, ASTContext &Ctx) {
  const Stmt *BodyStmt = Body->getBody();
  llvm::SmallPtrSet<const Stmt *, 8> Direct;
  for (const Signal *S : Signals)
    Direct.insert(S->E);
  // For a notified condition variable, the writes of what the waiter's
  // predicate reads count as the signal too (`done = true` before the
  // notify, on the same paths).
  llvm::SmallPtrSet<const NamedDecl *, 4> Flags;
  if (Signals.front()->Kind == SignalKind::Notify)
    for (const NamedDecl *D : writtenIn(BodyStmt))
      if (mentions(W.E, D))
        Flags.insert(D);
  auto IsSignal = [&](const Stmt *S) {
    if (Direct.count(S) || callMaySignal(S, Object, /*Depth=*/1))
      return true;
    const NamedDecl *T = writeTarget(S);
    return T && Flags.count(T);
  };

  // The first signal (or call that may signal) of each block.
  llvm::DenseMap<const CFGBlock *, unsigned> FirstSignal;
  llvm::DenseSet<const CFGBlock *> HasDirect;
  for (const CFGBlock *B : Graph) {
    unsigned I = 0;
    for (const CFGElement &E : *B) {
      if (std::optional<CFGStmt> CS = E.getAs<CFGStmt>()) {
        if (Direct.count(CS->getStmt()))
          HasDirect.insert(B);
        if (!FirstSignal.count(B) && IsSignal(CS->getStmt()))
          FirstSignal[B] = I;
      }
      ++I;
    }
  }
  auto FirstSignalOf = [&](const CFGBlock *B) {
    auto It = FirstSignal.find(B);
    return It == FirstSignal.end() ? ~0U : It->second;
  };

  // Where a run of the body (or of one loop iteration) starts, and where an
  // iteration ends (the loop's condition block).
  const CFGBlock *Head = nullptr;
  const CFGBlock *Start = &Graph.getEntry();
  if (Loop) {
    for (const CFGBlock *B : Graph)
      if (B->getTerminatorStmt() == Loop)
        Head = B;
    if (!Head || Head->succ_empty() || !Head->succ_begin()->getReachableBlock())
      return;
    Start = Head->succ_begin()->getReachableBlock();
  }
  auto Walk = [&](llvm::ArrayRef<const CFGBlock *> From, bool StopAtSignal,
                  llvm::function_ref<bool(const CFGBlock *)> Found) {
    llvm::DenseSet<const CFGBlock *> Seen;
    llvm::SmallVector<const CFGBlock *, 32> Work(From.begin(), From.end());
    while (!Work.empty()) {
      const CFGBlock *B = Work.pop_back_val();
      if (!B || B == Head || !Seen.insert(B).second)
        continue;
      if (Found(B))
        return true;
      if (StopAtSignal && FirstSignal.count(B))
        continue;
      for (const CFGBlock::AdjacentBlock &Succ : B->succs())
        Work.push_back(Succ.getReachableBlock());
    }
    return false;
  };

  // Some path of the body (or iteration) signals.
  if (!Walk({Start}, false, [&](const CFGBlock *B) { return HasDirect.count(B) > 0; }))
    return;
  // The blocks a path reaches with no signal yet.
  llvm::DenseSet<const CFGBlock *> Clean;
  Walk({Start}, true, [&](const CFGBlock *B) {
    Clean.insert(B);
    return false;
  });

  for (const CFGBlock *B : Graph) {
    if (!Clean.count(B))
      continue;
    const unsigned SigAt = FirstSignalOf(B);
    llvm::SmallVector<std::pair<const Stmt *, ExitKind>, 2> Exits;
    unsigned I = 0;
    for (const CFGElement &E : *B) {
      if (I >= SigAt)
        break;
      if (std::optional<CFGStmt> CS = E.getAs<CFGStmt>()) {
        if (llvm::isa<ReturnStmt>(CS->getStmt()))
          Exits.push_back({CS->getStmt(), ExitKind::Return});
        else if (llvm::isa<CXXThrowExpr>(CS->getStmt()))
          Exits.push_back({CS->getStmt(), ExitKind::Throw});
      }
      ++I;
    }
    if (SigAt == ~0U)
      if (const Stmt *T = B->getTerminatorStmt()) {
        if (llvm::isa<ContinueStmt>(T))
          Exits.push_back({T, ExitKind::Continue});
        else if (llvm::isa<BreakStmt>(T))
          Exits.push_back({T, ExitKind::Break});
      }
    for (auto [X, Kind] : Exits) {
      if (Loop && !contains(loopBody(Loop), X, Ctx))
        continue; // before or after the loop whose iterations signal
      if (Kind == ExitKind::Throw &&
          (!ThrowsHang || inTry(X, BodyStmt, Ctx)))
        continue; // terminates the process, or is caught in the body
      if (Kind == ExitKind::Break && Loop &&
          enclosingLoop(X, BodyStmt, Ctx, /*OrSwitch=*/true) == Loop)
        continue; // ends the loop: the waiter may count the iterations run
      // No signal can follow the exit (before the body or the iteration
      // ends).
      if (SigAt != ~0U)
        continue;
      llvm::SmallVector<const CFGBlock *, 2> Next;
      for (const CFGBlock::AdjacentBlock &Succ : B->succs())
        Next.push_back(Succ.getReachableBlock());
      if (Walk(Next, false,
               [&](const CFGBlock *S) { return FirstSignal.count(S) > 0; }))
        continue;
      report(X, static_cast<int>(Kind), *Signals.front(), W, Ctx);
    }
  }
}

void SkippedDoneCheck::report(const Stmt *X, int Kind, const Signal &S,
                              const Waiter &W, ASTContext &Ctx) {
  const SourceManager &SM = Ctx.getSourceManager();
  const SourceLocation Loc = SM.getExpansionLoc(X->getBeginLoc());
  if (Loc.isInvalid() || SM.isInSystemHeader(Loc) ||
      !Reported.insert(Loc.getRawEncoding()).second)
    return;
  const std::string SignalText = textOf(S.E, "the signal", Ctx);
  const std::string WaitText = textOf(W.E, "the wait", Ctx);
  diag(Loc, "'%0' skips '%1'; the waiter at '%2' can hang")
      << exitName(static_cast<ExitKind>(Kind)) << SignalText << WaitText;
  diag(SM.getExpansionLoc(S.E->getBeginLoc()),
       "the other paths signal %0 here", DiagnosticIDs::Note)
      << S.Object;
  diag(SM.getExpansionLoc(W.E->getBeginLoc()), "%0 waits here for the signal",
       DiagnosticIDs::Note)
      << W.In;
}

} // namespace clang::tidy::threadlint
