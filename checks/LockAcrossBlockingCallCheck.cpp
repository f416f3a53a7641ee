//===--- LockAcrossBlockingCallCheck.cpp - threadlint ---------------------===//
#include "LockAcrossBlockingCallCheck.h"
#include "model/AstHelpers.h"
#include "model/ConcurrencyModel.h"
#include "model/GuardModel.h"
#include "model/OptionLists.h"
#include "clang/AST/ParentMapContext.h"
#include "clang/AST/RecursiveASTVisitor.h"
#include "clang/ASTMatchers/ASTMatchFinder.h"

using namespace clang::ast_matchers;

namespace clang::tidy::threadlint {

namespace {

/// The calls and constructions of a body, in source order, not entering
/// lambdas (a lambda's body is analysed as a function of its own).
struct CallCollector : RecursiveASTVisitor<CallCollector> {
  std::vector<const Expr *> Calls;
  bool shouldVisitLambdaBody() const { return false; }
  bool VisitCallExpr(CallExpr *E) {
    Calls.push_back(E);
    return true;
  }
  bool VisitCXXConstructExpr(CXXConstructExpr *E) {
    Calls.push_back(E);
    return true;
  }
};

/// 'f', 'Class::f' or 'lambda': short enough for a message.
std::string functionName(const FunctionDecl *FD) {
  if (const auto *MD = dyn_cast<CXXMethodDecl>(FD)) {
    if (MD->getParent()->isLambda())
      return "lambda";
    return MD->getParent()->getNameAsString() + "::" + MD->getNameAsString();
  }
  return FD->getNameAsString();
}

SourceLocation callLoc(const Expr *E) {
  if (const auto *Construct = dyn_cast<CXXConstructExpr>(E))
    return Construct->getBeginLoc();
  return E->getExprLoc();
}

/// "'a'", "'a' and 'b'", "'a', 'b' and 'c'".
std::string lockNames(const LockSet &Locks) {
  std::string Out;
  for (size_t I = 0; I < Locks.size(); ++I) {
    if (I > 0)
      Out += I + 1 == Locks.size() ? " and " : ", ";
    Out += "'" + Locks[I].Name + "'";
  }
  return Out;
}

// --- What a blocking call works on ------------------------------------------

bool isStdSmartPointer(QualType T) {
  const auto *RD = T.getNonReferenceType()->getAsCXXRecordDecl();
  return RD && RD->isInStdNamespace() && RD->getIdentifier() &&
         (RD->getName() == "unique_ptr" || RD->getName() == "shared_ptr");
}

bool isStdStream(QualType T) {
  const auto *RD = T.getNonReferenceType()->getAsCXXRecordDecl();
  return RD && RD->isInStdNamespace() && RD->getIdentifier() &&
         RD->getName().ends_with("stream");
}

/// The expression that names the resource in \p E: `fileno(f)` is `f`,
/// `p.get()`, `*p` and `p->` of a standard smart pointer are `p`, a chain
/// of stream operators (`out_ << a << b`) is its stream.
const Expr *peelResource(const Expr *E) {
  for (int Depth = 0; E && Depth < 16; ++Depth) {
    E = E->IgnoreParenImpCasts();
    if (const auto *Op = dyn_cast<CXXOperatorCallExpr>(E)) {
      OverloadedOperatorKind K = Op->getOperator();
      if ((K == OO_LessLess || K == OO_GreaterGreater) &&
          Op->getNumArgs() == 2 && isStdStream(Op->getArg(0)->getType())) {
        E = Op->getArg(0);
        continue;
      }
      if ((K == OO_Star || K == OO_Arrow) && Op->getNumArgs() == 1 &&
          isStdSmartPointer(Op->getArg(0)->getType())) {
        E = Op->getArg(0);
        continue;
      }
      return E;
    }
    if (const auto *M = dyn_cast<CXXMemberCallExpr>(E)) {
      const CXXMethodDecl *MD = M->getMethodDecl();
      const Expr *Obj = M->getImplicitObjectArgument();
      if (MD && Obj && MD->getIdentifier() && MD->getName() == "get" &&
          isStdSmartPointer(Obj->getType())) {
        E = Obj;
        continue;
      }
      return E;
    }
    if (const auto *C = dyn_cast<CallExpr>(E)) {
      const FunctionDecl *FD = C->getDirectCallee();
      if (FD && FD->getIdentifier() && FD->getName() == "fileno" &&
          C->getNumArgs() == 1 &&
          FD->getDeclContext()->getRedeclContext()->isTranslationUnit()) {
        E = C->getArg(0);
        continue;
      }
      return E;
    }
    return E;
  }
  return E;
}

/// Where the blocking functions of the table take their resource: an
/// argument (Last: the last one), or the variable their result is assigned
/// to (Result: `file_ = fopen(...)`, `fd_ = open(...)`).
constexpr int Last = -1, Result = -2;
struct ResourceArg {
  const char *Name;
  int Index;
};
const ResourceArg ResourceArgs[] = {
    // stdio: the FILE *.
    {"fclose", 0}, {"fflush", 0}, {"fgetc", 0}, {"getc", 0},
    {"fscanf", 0}, {"fprintf", 0}, {"vfprintf", 0}, {"fread", Last},
    {"fwrite", Last}, {"fgets", Last}, {"fputs", Last}, {"fputc", Last},
    {"putc", Last}, {"getline", Last}, {"getdelim", Last},
    {"fopen", Result}, {"fopen64", Result},
    // File descriptors and sockets: the descriptor.
    {"read", 0}, {"write", 0}, {"pread", 0}, {"pwrite", 0},
    {"pread64", 0}, {"pwrite64", 0}, {"readv", 0}, {"writev", 0},
    {"fsync", 0}, {"fdatasync", 0}, {"flock", 0}, {"lockf", 0},
    {"open", Result}, {"open64", Result}, {"openat", Result},
    {"creat", Result},
    {"recv", 0}, {"recvfrom", 0}, {"recvmsg", 0}, {"recvmmsg", 0},
    {"send", 0}, {"sendto", 0}, {"sendmsg", 0}, {"sendmmsg", 0},
    {"accept", 0}, {"accept4", 0}, {"connect", 0},
};

/// What \p Call's result is stored in: the left side of the assignment
/// whose right side it is, or the standard smart pointer it is handed to
/// by `reset` (`file_.reset(fopen(...))`); null otherwise.
const Expr *assignedTo(const Expr *Call, ASTContext &Ctx) {
  DynTypedNode N = DynTypedNode::create(*Call);
  for (int Depth = 0; Depth < 8; ++Depth) {
    auto Parents = Ctx.getParents(N);
    if (Parents.empty())
      return nullptr;
    const auto *P = Parents[0].get<Expr>();
    if (!P)
      return nullptr;
    if (isa<ImplicitCastExpr, ParenExpr>(P)) {
      N = Parents[0];
      continue;
    }
    if (const auto *B = dyn_cast<BinaryOperator>(P);
        B && B->getOpcode() == BO_Assign &&
        B->getRHS()->IgnoreParenImpCasts() == Call)
      return B->getLHS();
    if (const auto *M = dyn_cast<CXXMemberCallExpr>(P)) {
      const CXXMethodDecl *MD = M->getMethodDecl();
      const Expr *Obj = M->getImplicitObjectArgument();
      if (MD && Obj && MD->getIdentifier() && MD->getName() == "reset" &&
          M->getNumArgs() == 1 &&
          M->getArg(0)->IgnoreParenImpCasts() == Call &&
          isStdSmartPointer(Obj->getType()))
        return Obj;
    }
    return nullptr;
  }
  return nullptr;
}

/// What the blocking call \p E of kind \p Family works on: the FILE *, the
/// descriptor or socket, the stream (the left operand of `<<`/`>>`, the
/// object of a member call, `std::getline`'s first argument), or what the
/// handle an open returns is assigned to. Null for the other kinds (a
/// sleep, a join or a wait works on no resource a lock serialises), for a
/// stream constructed here, and for BlockingFunctions entries.
const Expr *resourceOf(const Expr *E, llvm::StringRef Family,
                       ASTContext &Ctx) {
  if (Family != "stdio" && Family != "file I/O" && Family != "socket I/O" &&
      Family != "file stream" && Family != "console output")
    return nullptr;
  const auto *Call = dyn_cast<CallExpr>(E);
  const FunctionDecl *FD = Call ? Call->getDirectCallee() : nullptr;
  if (!FD)
    return nullptr;
  if (const auto *Op = dyn_cast<CXXOperatorCallExpr>(Call))
    return Op->getNumArgs() == 2 ? peelResource(Op->getArg(0)) : nullptr;
  if (const auto *M = dyn_cast<CXXMemberCallExpr>(Call))
    return peelResource(M->getImplicitObjectArgument());
  if (!FD->getIdentifier())
    return nullptr;
  if (FD->isInStdNamespace()) // std::getline(stream, line)
    return FD->getName() == "getline" && Call->getNumArgs() >= 1
               ? peelResource(Call->getArg(0))
               : nullptr;
  for (const ResourceArg &R : ResourceArgs) {
    if (FD->getName() != R.Name)
      continue;
    if (R.Index == Result)
      return assignedTo(Call, Ctx);
    int Index = R.Index == Last ? static_cast<int>(Call->getNumArgs()) - 1
                                : R.Index;
    if (Index < 0 || Index >= static_cast<int>(Call->getNumArgs()))
      return nullptr;
    return peelResource(Call->getArg(Index));
  }
  return nullptr;
}

/// A lock that is the same mutex in every function reached from the one
/// that holds it through calls on `this`: a member (or a member's part) of
/// `this`, or a global.
bool stableLock(const HeldLock &H) {
  llvm::StringRef K(H.Key);
  if (K.starts_with("f") && !K.contains('.'))
    return true;
  return H.Object && rootTarget(H.Object);
}

/// What a function's `this` is, seen from the function holding the lock:
/// its own `this` (reached through calls on `this`), (a part of) an object
/// the lock guards (`file_->Flush()`), or anything else.
enum class Self { Caller, Guarded, Other };

/// Whether all that a callee blocks on, directly or through the functions
/// of the translation unit it calls (as far as the blocking summary looks),
/// is what one held lock guards.
class GuardedIO {
public:
  GuardedIO(GuardModel &Guards, const BlockingModel &Blocking,
            BlockingSummary &Summary, unsigned MaxDepth, const HeldLock &Lock,
            ASTContext &Ctx)
      : Guards(Guards), Blocking(Blocking), Summary(Summary),
        MaxDepth(MaxDepth), Lock(Lock), Stable(stableLock(Lock)), Ctx(Ctx) {}

  /// Whether \p Obj, in \p In (whose `this` is \p S), is or is part of what
  /// the lock guards. \p Top: \p In is the function holding the lock.
  bool guarded(const Expr *Obj, Self S, const FunctionDecl *In, bool Top) {
    const ValueDecl *Root = Obj ? rootTarget(Obj) : nullptr;
    if (!Root)
      return false;
    if (isa<FieldDecl>(Root)) {
      if (S == Self::Guarded)
        return true;
      if (S == Self::Other)
        return false;
    }
    if (!Top && !Stable)
      return false;
    return Guards.guardedBy(Obj, Lock, In) != nullptr;
  }

  /// The `this` of the function \p Call (in \p In, whose `this` is \p S)
  /// calls.
  Self selfOf(const Expr *Call, Self S, const FunctionDecl *In, bool Top) {
    const auto *M = dyn_cast<CXXMemberCallExpr>(Call);
    const Expr *Obj = M ? M->getImplicitObjectArgument() : nullptr;
    if (!Obj)
      return Self::Other;
    const Expr *O = Obj->IgnoreParenImpCasts();
    if (const auto *U = dyn_cast<UnaryOperator>(O);
        U && U->getOpcode() == UO_Deref)
      O = U->getSubExpr()->IgnoreParenImpCasts();
    if (isa<CXXThisExpr>(O))
      return S;
    return guarded(peelResource(Obj), S, In, Top) ? Self::Guarded
                                                  : Self::Other;
  }

  /// Whether every call that blocks in \p FD (whose `this` is \p S, \p
  /// Depth calls below the function holding the lock), directly or through
  /// the functions it calls, works on what the lock guards. Mirrors
  /// BlockingSummary: what it would not find blocking is not looked at.
  bool onlyGuarded(const FunctionDecl *FD, Self S, unsigned Depth) {
    const FunctionDecl *Def = nullptr;
    if (!FD || !FD->hasBody(Def) || !Def || Depth >= MaxDepth)
      return true;
    if (++Visits > MaxVisits)
      return false;
    const SourceManager &SM = Ctx.getSourceManager();
    CallCollector Collector;
    Collector.TraverseStmt(const_cast<Stmt *>(Def->getBody()));
    for (const Expr *Call : Collector.Calls) {
      if (BlockingModel::hasZeroTimeout(Call))
        continue;
      if (std::optional<BlockingCall> B = Blocking.blocks(Call)) {
        if (!guarded(resourceOf(Call, B->Family, Ctx), S, Def, false))
          return false;
        continue;
      }
      if (BlockingModel::globalMutexWaitedOn(Call, Ctx))
        return false;
      const FunctionDecl *Callee = calleeOf(Call);
      if (!Callee || Callee == Def || Depth + 1 >= MaxDepth ||
          inForeignMacro(Call->getBeginLoc(), SM) ||
          !Summary.mayBlock(Callee, Ctx))
        continue;
      if (!onlyGuarded(Callee, selfOf(Call, S, Def, false), Depth + 1))
        return false;
    }
    return true;
  }

private:
  GuardModel &Guards;
  const BlockingModel &Blocking;
  BlockingSummary &Summary;
  const unsigned MaxDepth;
  const HeldLock &Lock;
  const bool Stable;
  ASTContext &Ctx;
  unsigned Visits = 0;
  static constexpr unsigned MaxVisits = 400;
};

} // namespace

LockAcrossBlockingCallCheck::LockAcrossBlockingCallCheck(
    StringRef Name, ClangTidyContext *Context)
    : ClangTidyCheck(Name, Context), ModelOpts(ModelOptions::read(Options)),
      LockOptions(ModelOpts.Locks),
      Blocking(parseList(Options.get("BlockingFunctions", "")),
               Options.get("IncludeConsoleOutput", false)),
      MaxCallDepth(Options.get("MaxCallDepth", 4U)),
      ReportGuardedResource(Options.get("ReportGuardedResource", false)),
      Summary(Blocking, MaxCallDepth, LockOptions) {}

void LockAcrossBlockingCallCheck::storeOptions(
    ClangTidyOptions::OptionMap &Opts) {
  Options.store(Opts, "LockTypes", serializeList(LockOptions.LockTypes));
  Options.store(Opts, "GuardTypes", serializeList(LockOptions.GuardTypes));
  Options.store(Opts, "BlockingFunctions",
                serializeList(Blocking.extraFunctions()));
  Options.store(Opts, "IncludeConsoleOutput", Blocking.includeConsoleOutput());
  Options.store(Opts, "MaxCallDepth", MaxCallDepth);
  Options.store(Opts, "ReportGuardedResource", ReportGuardedResource);
}

void LockAcrossBlockingCallCheck::registerMatchers(MatchFinder *Finder) {
  Finder->addMatcher(
      functionDecl(isDefinition(), unless(isExpansionInSystemHeader()))
          .bind("fn"),
      this);
  Finder->addMatcher(lambdaExpr(unless(isExpansionInSystemHeader()))
                         .bind("lambda"),
                     this);
}

void LockAcrossBlockingCallCheck::onEndOfTranslationUnit() {
  Done.clear();
  ReportedCalls.clear();
  ReportedSections.clear();
  Summary.clear();
  Model.reset();
}

void LockAcrossBlockingCallCheck::check(const MatchFinder::MatchResult &Result) {
  if (const auto *FD = Result.Nodes.getNodeAs<FunctionDecl>("fn"))
    checkBody(FD, *Result.Context);
  else if (const auto *L = Result.Nodes.getNodeAs<LambdaExpr>("lambda"))
    checkBody(L->getCallOperator(), *Result.Context);
}

void LockAcrossBlockingCallCheck::checkBody(const FunctionDecl *FD,
                                            ASTContext &Ctx) {
  if (!FD || !FD->doesThisDeclarationHaveABody() || FD->isInvalidDecl() ||
      FD->isDependentContext() || !Done.insert(FD).second)
    return;
  const Stmt *Body = FD->getBody();
  // Cheapest filters first: most functions take no lock.
  if (!Body || Ctx.getSourceManager().isInSystemHeader(FD->getLocation()) ||
      !LockModel::mayLock(Body, LockOptions) || hasErrors(Body))
    return;
  // The lock model is the one the concurrency model keeps for every check of
  // this translation unit: one CFG walk per function, however many ask.
  const LockModel *Locks =
      ConcurrencyModel::get(Ctx, ModelOpts, Model).locksIn(FD);
  if (!Locks || !Locks->analysed())
    return;
  CallCollector Collector;
  Collector.TraverseStmt(const_cast<Stmt *>(Body));
  for (const Expr *Call : Collector.Calls)
    checkCall(Call, *Locks, FD, Ctx);
}

void LockAcrossBlockingCallCheck::checkCall(const Expr *Call,
                                            const LockModel &Locks,
                                            const FunctionDecl *In,
                                            ASTContext &Ctx) {
  const LockSet *HeldPtr = Locks.heldAt(Call);
  if (!HeldPtr || HeldPtr->empty() || BlockingModel::hasZeroTimeout(Call))
    return;
  LockSet Held = *HeldPtr;
  const FunctionDecl *Callee = calleeOf(Call);
  std::optional<BlockingCall> Direct = Blocking.blocks(Call);
  const std::vector<BlockingStep> *Chain = nullptr;

  if (!Direct)
    if (const Expr *Released = BlockingModel::conditionWaitLock(Call)) {
      // The wait releases its own lock: only the others stay held.
      llvm::SmallVector<std::string, 2> Keys;
      const Expr *L = Released->IgnoreParenImpCasts();
      const auto *DRE = dyn_cast<DeclRefExpr>(L);
      const auto *Guard = DRE ? dyn_cast<VarDecl>(DRE->getDecl()) : nullptr;
      if (Guard && LockModel::isGuardType(Guard->getType(), LockOptions)) {
        for (const HeldLock &M : Locks.mutexesOf(Guard))
          Keys.push_back(M.Key);
        if (Keys.empty())
          return; // a guard we know nothing of (a parameter): do not guess
      } else {
        Keys.push_back(LockModel::describeMutex(Released, Ctx).Key);
      }
      llvm::erase_if(Held, [&](const HeldLock &H) {
        return llvm::is_contained(Keys, H.Key);
      });
      if (Held.empty())
        return;
      Direct = BlockingCall{
          Callee, Callee ? displayName(Call, Callee) : std::string("wait"),
          "condition variable wait"};
    }
  // Indirectly, through a function of the translation unit; not through a
  // macro another file defines (doctest's REQUIRE calls a reporter that
  // reads files when an assertion fails): its user cannot move that call.
  if (!Direct && Callee && !Callee->isInStdNamespace() &&
      !inForeignMacro(Call->getBeginLoc(), Ctx.getSourceManager())) {
    Chain = Summary.mayBlock(Callee, Ctx);
    // A helper that releases its caller's lock before it blocks (rocksdb's
    // ErrorHandler: `db_mutex_->Unlock(); thread.join(); db_mutex_->Lock();`)
    // does not block under it. Which lock it releases cannot always be
    // matched (a pointer member): precision first, none is assumed held.
    if (Chain && BlockingSummary::releasesCallersLock(*Chain))
      Chain = nullptr;
    // A helper's condition-variable wait releases its own (global) mutex.
    if (Chain)
      if (std::optional<std::string> Released =
              BlockingModel::globalMutexWaitedOn(Chain->back().Call, Ctx)) {
        llvm::erase_if(Held,
                       [&](const HeldLock &H) { return H.Key == *Released; });
        if (Held.empty())
          return;
      }
  }
  if (!Direct && !Chain)
    return;

  // I/O on what a held lock guards is what the lock is for: that lock does
  // not count (ReportGuardedResource). Following the callee again runs the
  // blocking summary, which may reuse the chain's storage: keep a copy.
  std::vector<BlockingStep> ChainCopy;
  if (!ReportGuardedResource) {
    if (Chain) {
      ChainCopy = *Chain;
      Chain = &ChainCopy;
    }
    dropGuardingLocks(Held, Call, Direct, Chain, In, Ctx);
    if (Held.empty())
      return;
  }

  std::string Family;
  std::string Name;
  if (Direct) {
    Family = Direct->Family.str();
    Name = Direct->Name;
  } else {
    Family = "blocking call";
    Name = "?";
    const Expr *Last = Chain->back().Call;
    if (std::optional<BlockingCall> End = Summary.blockingEnd(*Chain)) {
      Family = End->Family.str();
      Name = End->Name;
    } else if (BlockingModel::conditionWaitLock(Last)) {
      Family = "condition variable wait";
      const FunctionDecl *W = calleeOf(Last);
      Name = W ? displayName(Last, W) : "wait";
    }
  }

  // One report per location (template instantiations share them), and one
  // per kind of wait in a critical section: the first file write under a
  // lock says what the next ones would.
  const SourceManager &SM = Ctx.getSourceManager();
  SourceLocation Loc = callLoc(Call);
  if (!ReportedCalls.insert(SM.getExpansionLoc(Loc).getRawEncoding()).second)
    return;
  if (!ReportedSections.insert({Held.front().Acquisition, Family}).second)
    return;

  if (Direct)
    diag(Loc, "blocking call '%0' (%1) while holding %2; move the call out of "
              "the critical section")
        << Name << Family << lockNames(Held);
  else
    diag(Loc, "call to '%0' may block (%1 in '%2') while holding %3; move the "
              "call out of the critical section")
        << functionName(Callee) << Family << Name << lockNames(Held);
  for (const HeldLock &H : Held)
    if (H.Acquisition)
      diag(H.Acquisition->getBeginLoc(), "'%0' is acquired here",
           DiagnosticIDs::Note)
          << H.Name;
  if (Chain)
    for (size_t I = 0; I < Chain->size(); ++I) {
      const BlockingStep &Step = (*Chain)[I];
      const FunctionDecl *Next = Step.Callee;
      std::string NextName = Next ? functionName(Next) : "?";
      if (I + 1 == Chain->size()) {
        if (std::optional<BlockingCall> End = Blocking.blocks(Step.Call))
          NextName = End->Name;
        diag(callLoc(Step.Call), "'%0' blocks here, calling '%1'",
             DiagnosticIDs::Note)
            << functionName(Step.Caller) << NextName;
      } else {
        diag(callLoc(Step.Call), "'%0' calls '%1' here", DiagnosticIDs::Note)
            << functionName(Step.Caller) << NextName;
      }
    }
}

void LockAcrossBlockingCallCheck::dropGuardingLocks(
    LockSet &Held, const Expr *Call, const std::optional<BlockingCall> &Direct,
    const std::vector<BlockingStep> *Chain, const FunctionDecl *In,
    ASTContext &Ctx) {
  // Cheap first: the blocking call (the chain's last) must work on a field
  // or global before the guard model is asked.
  const Expr *Last = Direct ? Call : Chain ? Chain->back().Call : nullptr;
  std::optional<BlockingCall> End =
      Direct ? Direct : Chain ? Summary.blockingEnd(*Chain) : std::nullopt;
  if (!Last || !End)
    return;
  const Expr *Obj = resourceOf(Last, End->Family, Ctx);
  if (!Obj || !rootTarget(Obj))
    return;
  GuardModel &Guards = ConcurrencyModel::get(Ctx, ModelOpts, Model).guards();
  if (Direct) {
    llvm::erase_if(Held, [&](const HeldLock &H) {
      return Guards.guardedBy(Obj, H, In) != nullptr;
    });
    return;
  }
  // Through a callee: every blocking call it makes must work on what the
  // lock guards, not only the one its chain shows.
  const FunctionDecl *Callee = calleeOf(Call);
  llvm::erase_if(Held, [&](const HeldLock &H) {
    GuardedIO Walk(Guards, Blocking, Summary, MaxCallDepth, H, Ctx);
    Self S = Walk.selfOf(Call, Self::Caller, In, /*Top=*/true);
    return Walk.onlyGuarded(Callee, S, 0);
  });
}

} // namespace clang::tidy::threadlint
