//===--- LockModel.cpp - which locks are held where -----------------------===//
#include "model/LockModel.h"
#include "model/FunctionWalker.h"
#include "model/AstHelpers.h"
#include "model/SpawnModel.h"
#include "clang/AST/Attr.h"
#include "clang/AST/ExprCXX.h"
#include "clang/AST/RecursiveASTVisitor.h"
#include "clang/Analysis/CFG.h"
#include "clang/Basic/CharInfo.h"
#include "llvm/ADT/MapVector.h"
#include "llvm/ADT/StringSwitch.h"
#include <deque>

namespace clang::tidy::threadlint {

namespace {

const char *const StandardMutexes[] = {
    "::std::mutex",         "::std::recursive_mutex",
    "::std::timed_mutex",   "::std::recursive_timed_mutex",
    "::std::shared_mutex",  "::std::shared_timed_mutex",
};
const char *const StandardGuards[] = {
    "::std::lock_guard",
    "::std::scoped_lock",
    "::std::unique_lock",
    "::std::shared_lock",
};

bool nameIn(const NamedDecl *D, llvm::ArrayRef<const char *> Builtin,
            llvm::ArrayRef<std::string> Extra) {
  if (!D || !D->getIdentifier())
    return false;
  // Only names whose last component matches go through matchesAnyName.
  std::vector<std::string> Candidates;
  const llvm::StringRef Last = D->getName();
  auto Consider = [&](llvm::StringRef Name) {
    if (Name.ends_with(Last) &&
        (Name.size() == Last.size() ||
         Name.drop_back(Last.size()).ends_with("::")))
      Candidates.push_back(Name.str());
  };
  for (const char *Name : Builtin)
    Consider(Name);
  for (const std::string &Name : Extra)
    Consider(Name);
  return !Candidates.empty() && matchesAnyName(D, Candidates);
}

// The method called Name of RD or of one of its bases, if any.
const CXXMethodDecl *findMethod(const CXXRecordDecl *RD, llvm::StringRef Name,
                                int Depth = 0) {
  if (!RD || !RD->hasDefinition() || Depth > 4)
    return nullptr;
  RD = RD->getDefinition();
  // The class's own name lookup (a hash table clang keeps per class), not a
  // walk of all its methods: this runs for the type of every argument of
  // every call in a function that may lock.
  IdentifierInfo &Id = RD->getASTContext().Idents.get(Name);
  for (const NamedDecl *D : RD->lookup(DeclarationName(&Id)))
    if (const auto *M = dyn_cast<CXXMethodDecl>(D))
      return M;
  for (const CXXBaseSpecifier &B : RD->bases())
    if (const CXXMethodDecl *M =
            findMethod(B.getType()->getAsCXXRecordDecl(), Name, Depth + 1))
      return M;
  return nullptr;
}

bool hasMethod(const CXXRecordDecl *RD, llvm::StringRef Name) {
  return findMethod(RD, Name) != nullptr;
}

// A lock() written as `{}`: a mutex type that does nothing, such as spdlog's
// null_mutex for single-threaded loggers. Holding it excludes no one.
bool locksNothing(const CXXRecordDecl *RD, llvm::StringRef Name) {
  const CXXMethodDecl *M = findMethod(RD, Name);
  const FunctionDecl *Def = nullptr;
  if (!M || !M->hasBody(Def) || !Def)
    return false;
  const auto *Body = dyn_cast_or_null<CompoundStmt>(Def->getBody());
  return Body && Body->body_empty();
}

bool isShareGuard(const CXXRecordDecl *RD) {
  if (!RD)
    return false;
  llvm::StringRef N = RD->getName();
  return N == "shared_lock" || N == "ReaderMutexLock" ||
         N == "SharedMutexLock" || N == "ReaderLock";
}

enum class LockOp { None, Lock, LockShared, Unlock };

LockOp mutexMethod(llvm::StringRef Name) {
  return llvm::StringSwitch<LockOp>(Name)
      .Cases({"lock", "Lock", "WriterLock", "LockWhen", "WriterLockWhen"},
             LockOp::Lock)
      .Cases({"lock_shared", "ReaderLock", "ReaderLockWhen", "lock_read",
              "ReadLock", "read_lock"},
             LockOp::LockShared)
      .Cases({"unlock", "Unlock", "WriterUnlock", "unlock_shared",
              "ReaderUnlock"},
             LockOp::Unlock)
      .Default(LockOp::None);
}

/// A member that tries to lock and says whether it did.
bool isTryLockName(llvm::StringRef Name) {
  return llvm::is_contained({"try_lock", "try_lock_for", "try_lock_until",
                             "try_lock_shared", "try_lock_shared_for",
                             "try_lock_shared_until", "TryLock",
                             "ReaderTryLock", "WriterTryLock"},
                            Name);
}

/// A C function that tries to lock and returns 0 on success.
bool isTryLockFunction(llvm::StringRef Name) {
  return llvm::is_contained({"pthread_mutex_trylock", "pthread_rwlock_trywrlock",
                             "pthread_rwlock_tryrdlock", "mtx_trylock",
                             "mtx_timedlock", "pthread_mutex_timedlock"},
                            Name);
}

bool isLockableRecord(const CXXRecordDecl *RD, const LockModelOptions &O) {
  if (!RD)
    return false;
  if (nameIn(RD, StandardMutexes, O.LockTypes))
    return true;
  if (nameIn(RD, StandardGuards, O.GuardTypes))
    return false;
  // The BasicLockable requirement, or its capitalised spelling (absl,
  // leveldb, Chromium).
  return (hasMethod(RD, "lock") && hasMethod(RD, "unlock") &&
          !locksNothing(RD, "lock")) ||
         (hasMethod(RD, "Lock") && hasMethod(RD, "Unlock") &&
          !locksNothing(RD, "Lock"));
}

const Expr *skipWrappers(const Expr *E);

/// \p E without parentheses, casts, '&' and '*'.
const Expr *skipAddressing(const Expr *E) {
  const Expr *S = skipWrappers(E);
  while (const auto *U = dyn_cast_or_null<UnaryOperator>(S)) {
    if (U->getOpcode() != UO_AddrOf && U->getOpcode() != UO_Deref)
      break;
    S = skipWrappers(U->getSubExpr());
  }
  return S;
}

bool isThis(const Expr *E) {
  return isa_and_nonnull<CXXThisExpr>(skipAddressing(E));
}

/// What a constructor does to the lockable object it is given.
enum class CtorEffect { Unknown, Nothing, Locks, LocksShared, Unlocks };

/// The words of an identifier: `SpinLockHolder` → spin, lock, holder;
/// `mutex_lock` → mutex, lock.
llvm::SmallVector<std::string, 4> wordsOf(llvm::StringRef Name) {
  llvm::SmallVector<std::string, 4> Words;
  std::string Word;
  auto Flush = [&] {
    if (!Word.empty())
      Words.push_back(llvm::StringRef(Word).lower());
    Word.clear();
  };
  for (size_t I = 0; I < Name.size(); ++I) {
    char C = Name[I];
    if (C == '_' || isDigit(C)) {
      Flush();
      continue;
    }
    bool Upper = isUppercase(C);
    bool PrevLower = I > 0 && isLowercase(Name[I - 1]);
    bool NextLower = I + 1 < Name.size() && isLowercase(Name[I + 1]);
    bool PrevUpper = I > 0 && isUppercase(Name[I - 1]);
    if (Upper && (PrevLower || (PrevUpper && NextLower)))
      Flush();
    Word += C;
  }
  Flush();
  return Words;
}

/// The fallback when a constructor's body is not visible: the class name
/// says guard (its last word is guard, lock, locker or holder) and no word
/// says it releases (`AutoUnlock`, `ScopedUnlock`). `CondVar`,
/// `ConditionVariable`: not guards.
bool hasGuardName(const CXXRecordDecl *RD) {
  if (!RD || !RD->getIdentifier())
    return false;
  llvm::SmallVector<std::string, 4> Words = wordsOf(RD->getName());
  if (Words.empty())
    return false;
  for (const std::string &W : Words)
    if (W == "unlock" || W == "unlocker" || W == "unlocked" || W == "release" ||
        W == "releaser" || W == "reverse" || W == "inverse" || W == "anti")
      return false;
  const std::string &Last = Words.back();
  return Last == "guard" || Last == "lock" || Last == "locker" ||
         Last == "holder";
}

/// Scans a constructor (its initialisers and body, and the functions its
/// body hands the object to) for what it does to the object it is handed as
/// parameter: lock it, lock it shared, unlock it, or nothing. The last
/// operation in source order wins. When the object goes where the scan
/// cannot follow (a function without a body, too deep), and nothing locks
/// or unlocks it, the effect is unknown.
class CtorScanner {
public:
  CtorScanner(const LockModelOptions &O, int Depth) : O(O), Depth(Depth) {}

  CtorEffect scan(const CXXConstructorDecl *Ctor, unsigned ArgIndex);

private:
  using Params = llvm::SmallVector<const ValueDecl *, 2>;
  bool refersTo(const Expr *E, const Params &Ps) const {
    const Expr *S = skipAddressing(E);
    if (const auto *DRE = dyn_cast_or_null<DeclRefExpr>(S))
      return llvm::is_contained(Ps, DRE->getDecl());
    if (const auto *ME = dyn_cast_or_null<MemberExpr>(S))
      return isThis(ME->getBase()) &&
             llvm::is_contained(Fields, ME->getMemberDecl());
    return false;
  }
  void scanBody(const Stmt *Body, const Params &Ps, int Level);
  void initialiser(const CXXCtorInitializer *I, const Params &Ps);

  const LockModelOptions &O;
  const int Depth;
  const CXXRecordDecl *Class = nullptr;
  Params Fields;
  CtorEffect Net = CtorEffect::Nothing;
  bool Opaque = false;
};

CtorEffect constructorEffect(const CXXConstructorDecl *Ctor, unsigned ArgIndex,
                             const LockModelOptions &O, int Depth = 0) {
  if (!Ctor || Depth > 3)
    return CtorEffect::Unknown;
  return CtorScanner(O, Depth).scan(Ctor, ArgIndex);
}

CtorEffect CtorScanner::scan(const CXXConstructorDecl *Ctor,
                             unsigned ArgIndex) {
  const FunctionDecl *Def = nullptr;
  if (!Ctor->hasBody(Def) || !Def) {
    // No body: the thread-safety attributes say what it does, if present.
    for (const FunctionDecl *R : Ctor->redecls()) {
      if (const auto *A = R->getAttr<AcquireCapabilityAttr>())
        return A->isShared() ? CtorEffect::LocksShared : CtorEffect::Locks;
      if (R->hasAttr<ReleaseCapabilityAttr>())
        return CtorEffect::Unlocks;
    }
    return CtorEffect::Unknown;
  }
  const auto *C = dyn_cast<CXXConstructorDecl>(Def);
  if (!C || ArgIndex >= C->getNumParams())
    return CtorEffect::Unknown;
  Class = C->getParent();
  Params Ps{C->getParamDecl(ArgIndex)};
  for (const CXXCtorInitializer *I : C->inits())
    initialiser(I, Ps);
  scanBody(C->getBody(), Ps, 0);
  if (Net == CtorEffect::Nothing && Opaque)
    return CtorEffect::Unknown;
  return Net;
}

void CtorScanner::initialiser(const CXXCtorInitializer *I, const Params &Ps) {
  if (!I->isWritten() && !I->isDelegatingInitializer())
    return;
  const Expr *Init = skipWrappers(I->getInit());
  if (const auto *PLI = dyn_cast_or_null<ParenListExpr>(Init))
    Init = PLI->getNumExprs() == 1 ? skipWrappers(PLI->getExpr(0)) : nullptr;
  if (const auto *ILE = dyn_cast_or_null<InitListExpr>(Init))
    Init = ILE->getNumInits() == 1 ? skipWrappers(ILE->getInit(0)) : nullptr;
  if (!Init)
    return;
  // `mu_(mu)`, `mu_(&mu)`, `mu_(*mu)`: the member names the object from now.
  if (I->isMemberInitializer() && !isa<CXXConstructExpr>(Init)) {
    if (refersTo(Init, Ps))
      Fields.push_back(I->getMember());
    return;
  }
  // A member, base or delegated-to constructor handed the object: a guard
  // member (`std::lock_guard<std::mutex> g_;`), a guard base class, another
  // constructor of the class.
  const auto *CE = dyn_cast<CXXConstructExpr>(Init);
  if (!CE)
    return;
  for (unsigned J = 0; J < CE->getNumArgs(); ++J) {
    if (!refersTo(CE->getArg(J), Ps))
      continue;
    const CXXRecordDecl *RD = CE->getType()->getAsCXXRecordDecl();
    CtorEffect E;
    if (nameIn(RD, StandardGuards, O.GuardTypes)) {
      E = isShareGuard(RD) ? CtorEffect::LocksShared : CtorEffect::Locks;
      for (const Expr *Arg : CE->arguments())
        if (const CXXRecordDecl *A = recordOfObjectType(Arg->getType());
            A && A->getIdentifier() &&
            (A->getName() == "defer_lock_t" || A->getName() == "try_to_lock_t" ||
             A->getName() == "adopt_lock_t"))
          E = CtorEffect::Nothing;
    } else {
      E = constructorEffect(CE->getConstructor(), J, O, Depth + 1);
    }
    if (E == CtorEffect::Unknown)
      Opaque = true;
    else if (E != CtorEffect::Nothing)
      Net = E;
    return;
  }
}

void CtorScanner::scanBody(const Stmt *Body, const Params &Ps, int Level) {
  struct Visitor : RecursiveASTVisitor<Visitor> {
    CtorScanner &S;
    const Params &Ps;
    int Level;
    Visitor(CtorScanner &S, const Params &Ps, int Level)
        : S(S), Ps(Ps), Level(Level) {}
    bool shouldVisitLambdaBody() const { return false; }
    // The object handed on: follow it into the callee's parameter.
    void handedTo(const FunctionDecl *FD, unsigned J) {
      const FunctionDecl *Def = nullptr;
      if (Level >= 2 || !FD || !FD->hasBody(Def) || !Def ||
          J >= Def->getNumParams() ||
          FD->getASTContext().getSourceManager().isInSystemHeader(
              Def->getLocation())) {
        S.Opaque = true;
        return;
      }
      S.scanBody(Def->getBody(), {Def->getParamDecl(J)}, Level + 1);
    }
    bool VisitCallExpr(CallExpr *E) {
      if (const auto *MC = dyn_cast<CXXMemberCallExpr>(E)) {
        const CXXMethodDecl *MD = MC->getMethodDecl();
        const Expr *Obj = MC->getImplicitObjectArgument();
        if (MD && Obj && MD->getDeclName().isIdentifier() &&
            S.refersTo(Obj, Ps)) {
          switch (mutexMethod(MD->getName())) {
          case LockOp::Lock:
            S.Net = CtorEffect::Locks;
            break;
          case LockOp::LockShared:
            S.Net = CtorEffect::LocksShared;
            break;
          case LockOp::Unlock:
            S.Net = CtorEffect::Unlocks;
            break;
          case LockOp::None:
            break; // AssertHeld(), a getter: does not change it
          }
          return true;
        }
        // A helper of the class called on this (`Acquire();`): the members
        // it uses are ours.
        const FunctionDecl *Def = nullptr;
        if (MD && Obj && isThis(Obj) && Level < 2 && MD->getParent() == S.Class &&
            MD->hasBody(Def) && Def &&
            llvm::none_of(E->arguments(),
                          [&](const Expr *A) { return S.refersTo(A, Ps); }))
          S.scanBody(Def->getBody(), {}, Level + 1);
      }
      const FunctionDecl *FD = E->getDirectCallee();
      for (unsigned J = 0; J < E->getNumArgs(); ++J) {
        if (!S.refersTo(E->getArg(J), Ps))
          continue;
        llvm::StringRef N =
            FD && FD->getDeclName().isIdentifier() ? FD->getName() : "";
        if (N == "pthread_mutex_lock" || N == "pthread_rwlock_wrlock" ||
            (N == "lock" && FD->isInStdNamespace()))
          S.Net = CtorEffect::Locks;
        else if (N == "pthread_rwlock_rdlock")
          S.Net = CtorEffect::LocksShared;
        else if (N == "pthread_mutex_unlock" || N == "pthread_rwlock_unlock")
          S.Net = CtorEffect::Unlocks;
        else
          handedTo(FD, J);
      }
      return true;
    }
    // `m_ = &m;`: the member names the object from now.
    bool VisitBinaryOperator(BinaryOperator *E) {
      if (E->getOpcode() != BO_Assign || !S.refersTo(E->getRHS(), Ps))
        return true;
      if (const auto *ME = dyn_cast<MemberExpr>(skipWrappers(E->getLHS()));
          ME && isThis(ME->getBase()))
        S.Fields.push_back(ME->getMemberDecl());
      return true;
    }
    bool VisitCXXConstructExpr(CXXConstructExpr *E) {
      for (const Expr *Arg : E->arguments())
        if (S.refersTo(Arg, Ps) &&
            !nameIn(E->getType()->getAsCXXRecordDecl(), StandardGuards,
                    S.O.GuardTypes))
          S.Opaque = true; // a guard local to the constructor ends in it
      return true;
    }
  } V(*this, Ps, Level);
  V.TraverseStmt(const_cast<Stmt *>(Body));
}

/// What a local variable is to the lock model.
enum class LocalKind { None, Guard, SharedGuard, Unlocker };

/// A project's own guard nobody listed in GuardTypes: a local of a class
/// with a user-written destructor, constructed on a lockable object (by
/// reference or pointer), whose constructor locks it — `SpinLockHolder
/// l(&lock_);`. One whose constructor unlocks it is an unlocker
/// (`InstrumentedMutexUnlock u(&mutex_);`). A constructor on a lockable that
/// does neither (a condition variable bound to a mutex) is nothing.
LocalKind structuralKind(const VarDecl *VD, const LockModelOptions &O) {
  const CXXRecordDecl *RD = VD->getType()->getAsCXXRecordDecl();
  if (!RD || !RD->hasDefinition() || !RD->getDestructor() ||
      !RD->getDestructor()->isUserProvided())
    return LocalKind::None;
  const auto *CE = dyn_cast_or_null<CXXConstructExpr>(skipWrappers(VD->getInit()));
  if (!CE || CE->getNumArgs() == 0 ||
      CE->getConstructor()->isCopyOrMoveConstructor() ||
      !isLockableRecord(recordOfObjectType(CE->getArg(0)->getType()), O))
    return LocalKind::None;
  switch (constructorEffect(CE->getConstructor(), 0, O)) {
  case CtorEffect::Locks:
    return LocalKind::Guard;
  case CtorEffect::LocksShared:
    return LocalKind::SharedGuard;
  case CtorEffect::Unlocks:
    return LocalKind::Unlocker;
  case CtorEffect::Nothing:
    return LocalKind::None;
  case CtorEffect::Unknown:
    break;
  }
  if (!hasGuardName(RD))
    return LocalKind::None;
  return isShareGuard(RD) ? LocalKind::SharedGuard : LocalKind::Guard;
}

const Expr *skipWrappers(const Expr *E) {
  while (E) {
    E = E->IgnoreParenImpCasts();
    if (const auto *EWC = dyn_cast<ExprWithCleanups>(E))
      E = EWC->getSubExpr();
    else if (const auto *MT = dyn_cast<MaterializeTemporaryExpr>(E))
      E = MT->getSubExpr();
    else if (const auto *BT = dyn_cast<CXXBindTemporaryExpr>(E))
      E = BT->getSubExpr();
    else if (const auto *FC = dyn_cast<CXXFunctionalCastExpr>(E))
      E = FC->getSubExpr();
    else
      return E;
  }
  return E;
}

/// std::move(x) / static_cast<T&&>(x) → x.
const Expr *skipMove(const Expr *E) {
  E = skipWrappers(E);
  if (const auto *Call = dyn_cast_or_null<CallExpr>(E))
    if (const FunctionDecl *FD = Call->getDirectCallee())
      if (FD->getNumParams() == 1 && Call->getNumArgs() == 1 &&
          FD->getDeclName().isIdentifier() && FD->getName() == "move" &&
          FD->isInStdNamespace())
        return skipWrappers(Call->getArg(0));
  if (const auto *SC = dyn_cast_or_null<CXXStaticCastExpr>(E))
    return skipWrappers(SC->getSubExpr());
  return E;
}

const VarDecl *localVar(const Expr *E) {
  if (const auto *DRE = dyn_cast_or_null<DeclRefExpr>(skipMove(E)))
    return dyn_cast<VarDecl>(DRE->getDecl());
  return nullptr;
}

bool sameHolding(const HeldLock &A, const HeldLock &B) {
  return A.Key == B.Key && A.Guard == B.Guard;
}

std::string spelled(const Expr *E, ASTContext &Ctx) {
  std::string S;
  llvm::raw_string_ostream OS(S);
  E->printPretty(OS, nullptr, Ctx.getPrintingPolicy());
  return OS.str();
}

} // namespace

llvm::StringRef LockModelOptions::defaultLockTypes() {
  return "::absl::Mutex;::folly::SharedMutex";
}
llvm::StringRef LockModelOptions::defaultGuardTypes() {
  return "::absl::MutexLock;::absl::ReaderMutexLock;::absl::WriterMutexLock";
}

bool LockModel::isGuardType(QualType T, const LockModelOptions &Options) {
  return nameIn(recordOfObjectType(T), StandardGuards, Options.GuardTypes);
}

HeldLock LockModel::describeMutex(const Expr *E, ASTContext &Ctx) {
  HeldLock L;
  L.Object = E;
  const Expr *S = skipWrappers(E);
  while (true) {
    if (const auto *U = dyn_cast<UnaryOperator>(S);
        U && (U->getOpcode() == UO_AddrOf || U->getOpcode() == UO_Deref)) {
      S = skipWrappers(U->getSubExpr());
      continue;
    }
    break;
  }
  auto Ptr = [](const void *P) {
    return std::to_string(reinterpret_cast<uintptr_t>(P));
  };
  if (const auto *DRE = dyn_cast<DeclRefExpr>(S)) {
    L.Key = "v" + Ptr(DRE->getDecl()->getCanonicalDecl());
    L.Name = DRE->getDecl()->getNameAsString();
    return L;
  }
  if (const auto *ME = dyn_cast<MemberExpr>(S)) {
    const ValueDecl *Member = ME->getMemberDecl();
    const Expr *Base = skipWrappers(ME->getBase());
    std::string Field = "f" + Ptr(Member->getCanonicalDecl());
    if (isa<CXXThisExpr>(Base)) {
      L.Key = Field;
      L.Name = Member->getNameAsString();
      return L;
    }
    HeldLock B = describeMutex(Base, Ctx);
    L.Key = B.Key + "." + Field;
    L.Name = B.Name + (ME->isArrow() ? "->" : ".") + Member->getNameAsString();
    return L;
  }
  L.Name = spelled(S, Ctx);
  L.Key = "t" + L.Name;
  return L;
}

bool LockModel::mayLock(const Stmt *S, const LockModelOptions &Options) {
  struct Finder : RecursiveASTVisitor<Finder> {
    const LockModelOptions &O;
    bool Found = false;
    explicit Finder(const LockModelOptions &O) : O(O) {}
    bool shouldVisitLambdaBody() const { return false; }
    bool VisitCXXConstructExpr(CXXConstructExpr *E) {
      if (isGuardType(E->getType(), O) ||
          (E->getNumArgs() > 0 &&
           isLockableRecord(recordOfObjectType(E->getArg(0)->getType()), O)))
        Found = true;
      return !Found;
    }
    bool VisitCallExpr(CallExpr *E) {
      const FunctionDecl *FD = E->getDirectCallee();
      if (FD && FD->getDeclName().isIdentifier()) {
        llvm::StringRef N = FD->getName();
        if (mutexMethod(N) == LockOp::Lock ||
            mutexMethod(N) == LockOp::LockShared || isTryLockName(N) ||
            N.starts_with("pthread_mutex_lock") ||
            N.starts_with("pthread_mutex_trylock") || N == "mtx_lock" ||
            N == "mtx_trylock" || N == "mtx_timedlock" ||
            N.starts_with("pthread_rwlock_") ||
            (N == "lock" && FD->isInStdNamespace()))
          Found = true;
      }
      return !Found;
    }
  } F(Options);
  F.TraverseStmt(const_cast<Stmt *>(S));
  return F.Found;
}

llvm::ArrayRef<HeldLock> LockModel::mutexesOf(const VarDecl *Guard) const {
  auto It = GuardMutexes.find(Guard);
  if (It == GuardMutexes.end())
    return {};
  return It->second;
}

const LockSet *LockModel::heldAt(const Stmt *S) const {
  auto It = StateOf.find(S);
  if (It == StateOf.end())
    return nullptr;
  return &States[It->second];
}

/// The state of the analysis before or after a statement.
struct FlowState {
  /// Held on every path (intersection at joins).
  LockSet Held;
  /// Keys this body acquired itself on some path (union at joins).
  llvm::SmallVector<std::string, 2> Taken;
  /// Keys this body released without having taken them (its caller's), and
  /// not taken back, on some path (union at joins).
  llvm::SmallVector<std::string, 1> Foreign;
};

namespace {
void insertKey(llvm::SmallVectorImpl<std::string> &Keys, llvm::StringRef K) {
  if (!llvm::is_contained(Keys, K))
    Keys.push_back(K.str());
}
bool eraseKey(llvm::SmallVectorImpl<std::string> &Keys, llvm::StringRef K) {
  auto It = llvm::find(Keys, K);
  if (It == Keys.end())
    return false;
  Keys.erase(It);
  return true;
}
bool sameKeys(llvm::ArrayRef<std::string> A, llvm::ArrayRef<std::string> B) {
  return A.size() == B.size() &&
         llvm::all_of(A, [&](const std::string &K) {
           return llvm::is_contained(B, K);
         });
}
std::string pointerKey(const char *Kind, const void *P) {
  return Kind + std::to_string(reinterpret_cast<uintptr_t>(P));
}
} // namespace

/// The transfer function of the analysis: how one CFG element changes the
/// set of held locks.
class LockTransfer {
public:
  LockTransfer(LockModel &M, ASTContext &Ctx, const LockModelOptions &O)
      : M(M), Ctx(Ctx), O(O) {}

  /// Where acquisitions go (set for the last pass over the CFG only).
  std::vector<LockAcquisition> *Record = nullptr;

  /// The mutexes a successful try-lock in condition \p Cond takes on the
  /// branch \p OnTrue (empty when none).
  LockSet tryLocked(const Expr *Cond, bool OnTrue) {
    LockSet Out;
    const Expr *E = skipWrappers(Cond);
    bool WhenTrue = true; // the branch on which the tested call succeeded
    while (E) {
      if (const auto *U = dyn_cast<UnaryOperator>(E);
          U && U->getOpcode() == UO_LNot) {
        WhenTrue = !WhenTrue;
        E = skipWrappers(U->getSubExpr());
        continue;
      }
      // `a && m.try_lock()`: on the true branch both held. The left
      // operand's own block tests it, so only the right one is looked at.
      if (const auto *B = dyn_cast<BinaryOperator>(E);
          B && B->getOpcode() == BO_LAnd && WhenTrue) {
        E = skipWrappers(B->getRHS());
        continue;
      }
      break;
    }
    if (!E)
      return Out;
    // `pthread_mutex_trylock(&m) == 0`, `mtx_trylock(&m) != thrd_success`.
    const Expr *Tested = E;
    bool ZeroIsSuccess = false;
    if (const auto *B = dyn_cast<BinaryOperator>(E);
        B && (B->getOpcode() == BO_EQ || B->getOpcode() == BO_NE)) {
      const Expr *L = skipWrappers(B->getLHS()), *R = skipWrappers(B->getRHS());
      auto IsZero = [&](const Expr *X) {
        if (X->isValueDependent())
          return false;
        Expr::EvalResult V;
        return X->EvaluateAsInt(V, Ctx) && V.Val.getInt() == 0;
      };
      if (IsZero(R))
        Tested = L;
      else if (IsZero(L))
        Tested = R;
      else
        return Out;
      ZeroIsSuccess = true;
      if (B->getOpcode() == BO_NE)
        WhenTrue = !WhenTrue;
    }
    const auto *Call = dyn_cast<CallExpr>(Tested);
    if (!Call)
      return Out;
    if (const auto *MC = dyn_cast<CXXMemberCallExpr>(Call)) {
      const CXXMethodDecl *MD = MC->getMethodDecl();
      const Expr *Obj = MC->getImplicitObjectArgument();
      if (ZeroIsSuccess || !MD || !Obj)
        return Out;
      bool Conversion = isa<CXXConversionDecl>(MD);
      if (!Conversion && !MD->getIdentifier())
        return Out;
      if (WhenTrue != OnTrue)
        return Out;
      if (nameIn(MD->getParent(), StandardGuards, O.GuardTypes)) {
        // `unique_lock lk(m, std::try_to_lock); if (lk.owns_lock())`.
        const VarDecl *G = localVar(Obj);
        if (G && (Conversion || MD->getName() == "owns_lock" ||
                  MD->getName() == "try_lock"))
          for (HeldLock L : M.GuardMutexes.lookup(G)) {
            L.Acquisition = MC;
            Out.push_back(std::move(L));
          }
        return Out;
      }
      if (Conversion || !isTryLockName(MD->getName()) ||
          (!isLockableRecord(MD->getParent(), O) &&
           !isLockableRecord(recordOfObjectType(Obj->getType()), O)))
        return Out;
      HeldLock L = LockModel::describeMutex(Obj, Ctx);
      L.Key = keyOf(Obj);
      L.Acquisition = MC;
      L.Shared = MD->getName().contains("shared") ||
                 MD->getName().starts_with("Reader");
      Out.push_back(std::move(L));
      return Out;
    }
    const FunctionDecl *FD = Call->getDirectCallee();
    if (!FD || !FD->getIdentifier() || Call->getNumArgs() == 0 ||
        !isTryLockFunction(FD->getName()))
      return Out;
    // These return 0 on success: a bare `if (pthread_mutex_trylock(&m))`
    // is the failure branch.
    if (!ZeroIsSuccess)
      WhenTrue = !WhenTrue;
    if (WhenTrue != OnTrue)
      return Out;
    HeldLock L = LockModel::describeMutex(Call->getArg(0), Ctx);
    L.Acquisition = Call;
    L.Shared = FD->getName() == "pthread_rwlock_tryrdlock";
    Out.push_back(std::move(L));
    return Out;
  }

  /// Takes what a try-lock in \p Pred's condition takes on the edge to \p
  /// Succ, recording it (the last pass over an edge wins).
  void acrossEdge(const CFGBlock *Pred, const CFGBlock *Succ,
                  FlowState &State) {
    const Stmt *Cond = Pred->getTerminatorCondition();
    if (!Cond || Pred->succ_size() != 2 || !isa<Expr>(Cond))
      return;
    const CFGBlock *T = *Pred->succ_begin(), *F = *(Pred->succ_begin() + 1);
    if (T == F || (Succ != T && Succ != F))
      return;
    LockSet Taken = tryLocked(cast<Expr>(Cond), Succ == T);
    if (Taken.empty())
      return;
    LockSet Before = State.Held;
    for (HeldLock &L : Taken) {
      TryAcquired[L.Acquisition] = {L, Before, /*Try=*/true, Taken.size() > 1,
                                    llvm::is_contained(State.Foreign, L.Key)};
      acquire(State, std::move(L));
    }
  }

  /// The try-lock acquisitions seen on edges, in no particular order.
  llvm::MapVector<const Stmt *, LockAcquisition> TryAcquired;

  void apply(const CFGElement &E, FlowState &State) {
    if (auto S = E.getAs<CFGStmt>()) {
      applyStmt(S->getStmt(), State);
    } else if (auto D = E.getAs<CFGAutomaticObjDtor>()) {
      const VarDecl *VD = D->getVarDecl();
      releaseGuard(State, VD);
      // An unlocker's destructor takes back what its constructor released.
      if (auto It = Unlocked.find(VD); It != Unlocked.end())
        for (const HeldLock &L : It->second)
          acquire(State, L);
    }
  }

private:
  void add(LockSet &State, HeldLock L) {
    for (const HeldLock &H : State)
      if (sameHolding(H, L))
        return;
    State.push_back(std::move(L));
  }
  /// This body takes \p L (or takes back its caller's lock).
  void acquire(FlowState &State, HeldLock L) {
    if (!eraseKey(State.Foreign, L.Key))
      insertKey(State.Taken, L.Key);
    add(State.Held, std::move(L));
  }
  /// Records that \p L is taken while \p Before is held (last pass only).
  void record(const HeldLock &L, const LockSet &Before, const FlowState &State,
              bool Group = false) {
    if (!Record)
      return;
    LockAcquisition A;
    A.Lock = L;
    A.HeldBefore = Before;
    A.Group = Group;
    A.Retake = llvm::is_contained(State.Foreign, L.Key);
    Record->push_back(std::move(A));
  }
  /// This body releases the mutex \p Key.
  void release(FlowState &State, llvm::StringRef Key) {
    llvm::erase_if(State.Held, [&](const HeldLock &L) { return L.Key == Key; });
    if (!llvm::is_contained(State.Taken, Key))
      insertKey(State.Foreign, Key);
  }
  /// What guard \p G owns is released.
  void releaseGuard(FlowState &State, const VarDecl *G) {
    llvm::SmallVector<std::string, 2> Keys;
    for (const HeldLock &L : State.Held)
      if (L.Guard == G)
        Keys.push_back(L.Key);
    for (const std::string &K : Keys) {
      llvm::erase_if(State.Held, [&](const HeldLock &L) {
        return L.Key == K && L.Guard == G;
      });
      if (!llvm::is_contained(State.Taken, K))
        insertKey(State.Foreign, K);
    }
  }

  LocalKind kindOf(const VarDecl *VD) {
    auto [It, New] = Kinds.try_emplace(VD, LocalKind::None);
    if (New && VD->hasLocalStorage() && VD->getInit())
      It->second = LockModel::isGuardType(VD->getType(), O)
                       ? LocalKind::Guard
                       : structuralKind(VD, O);
    return It->second;
  }

  void applyStmt(const Stmt *S, FlowState &State) {
    if (const auto *DS = dyn_cast<DeclStmt>(S)) {
      for (const Decl *D : DS->decls())
        if (const auto *VD = dyn_cast<VarDecl>(D)) {
          switch (kindOf(VD)) {
          case LocalKind::Guard:
          case LocalKind::SharedGuard:
            constructGuard(VD, DS, State);
            break;
          case LocalKind::Unlocker:
            constructUnlocker(VD, DS, State);
            break;
          case LocalKind::None:
            if (VD->getInit())
              rememberReleased(VD);
            break;
          }
        }
      return;
    }
    if (const auto *MC = dyn_cast<CXXMemberCallExpr>(S)) {
      memberCall(MC, State);
      return;
    }
    if (const auto *Call = dyn_cast<CallExpr>(S);
        Call && !isa<CXXOperatorCallExpr>(S))
      freeCall(Call, State);
  }

  void constructGuard(const VarDecl *VD, const DeclStmt *DS, FlowState &State) {
    const auto *CE = dyn_cast_or_null<CXXConstructExpr>(
        skipWrappers(VD->getInit()));
    if (!CE)
      return;
    bool Owns = true, Adopt = false;
    LockSet Mutexes;
    bool Shared = isShareGuard(recordOfObjectType(VD->getType())) ||
                  kindOf(VD) == LocalKind::SharedGuard;
    for (const Expr *Arg : CE->arguments()) {
      if (isa<CXXDefaultArgExpr>(Arg))
        continue;
      QualType T = Arg->getType();
      const CXXRecordDecl *RD = recordOfObjectType(T);
      if (const VarDecl *From = localVar(Arg);
          From && LockModel::isGuardType(T, O)) {
        // Moved from another guard: take over what it owns.
        M.GuardMutexes[VD] = M.GuardMutexes.lookup(From);
        for (HeldLock &L : State.Held)
          if (L.Guard == From)
            L.Guard = VD;
        return;
      }
      if (RD && RD->getIdentifier()) {
        llvm::StringRef N = RD->getName();
        if (N == "defer_lock_t" || N == "try_to_lock_t") {
          Owns = false;
          continue;
        }
        if (N == "adopt_lock_t") {
          Adopt = true;
          continue;
        }
      }
      if (isLockableRecord(RD, O)) {
        HeldLock L = LockModel::describeMutex(Arg, Ctx);
        L.Acquisition = DS;
        L.Guard = VD;
        L.Shared = Shared;
        Mutexes.push_back(std::move(L));
        continue;
      }
      // A timeout: a timed try, not known to own. Anything else (absl's
      // Condition) waits until it can lock.
      if (RD && RD->isInStdNamespace() && RD->getIdentifier() &&
          (RD->getName() == "duration" || RD->getName() == "time_point"))
        Owns = false;
    }
    M.GuardMutexes[VD] = Mutexes;
    if (!Owns)
      return;
    const LockSet Before = State.Held;
    for (HeldLock &L : Mutexes) {
      if (!Adopt)
        record(L, Before, State, Mutexes.size() > 1);
      if (Adopt) {
        // Takes over a held mutex (this body's or its caller's) without
        // acquiring it.
        llvm::erase_if(State.Held,
                       [&](const HeldLock &H) { return H.Key == L.Key; });
        add(State.Held, L);
      } else {
        acquire(State, L);
      }
    }
  }

  // `InstrumentedMutexUnlock u(&mutex_);`: released until u's destructor.
  void constructUnlocker(const VarDecl *VD, const DeclStmt *DS,
                         FlowState &State) {
    const auto *CE = dyn_cast_or_null<CXXConstructExpr>(
        skipWrappers(VD->getInit()));
    if (!CE)
      return;
    LockSet Back;
    for (const Expr *Arg : CE->arguments()) {
      if (isa<CXXDefaultArgExpr>(Arg) || !isLockableRecord(recordOfObjectType(Arg->getType()), O))
        continue;
      HeldLock L = LockModel::describeMutex(Arg, Ctx);
      L.Acquisition = DS;
      for (const HeldLock &H : State.Held)
        if (H.Key == L.Key) {
          L.Shared = H.Shared;
          if (H.Acquisition)
            L.Acquisition = H.Acquisition;
        }
      release(State, L.Key);
      Back.push_back(std::move(L));
    }
    Unlocked[VD] = std::move(Back);
  }

  // `M *m = lk.release();`: m names the guard's mutex from now on.
  void rememberReleased(const VarDecl *VD) {
    const auto *MC = dyn_cast_or_null<CXXMemberCallExpr>(
        skipWrappers(VD->getInit()));
    if (!MC || !MC->getMethodDecl() || !MC->getMethodDecl()->getIdentifier() ||
        MC->getMethodDecl()->getName() != "release")
      return;
    const VarDecl *G = localVar(MC->getImplicitObjectArgument());
    auto It = G ? M.GuardMutexes.find(G) : M.GuardMutexes.end();
    if (It != M.GuardMutexes.end() && It->second.size() == 1)
      Aliases[VD] = It->second.front().Key;
  }

  /// The key of the mutex \p E denotes, through release() aliases.
  std::string keyOf(const Expr *E) {
    const Expr *S = skipWrappers(E);
    if (const auto *U = dyn_cast<UnaryOperator>(S))
      S = skipWrappers(U->getSubExpr());
    if (const auto *DRE = dyn_cast<DeclRefExpr>(S))
      if (const auto *VD = dyn_cast<VarDecl>(DRE->getDecl()))
        if (auto It = Aliases.find(VD); It != Aliases.end())
          return It->second;
    return LockModel::describeMutex(E, Ctx).Key;
  }

  void memberCall(const CXXMemberCallExpr *MC, FlowState &State) {
    const CXXMethodDecl *MD = MC->getMethodDecl();
    const Expr *Obj = MC->getImplicitObjectArgument();
    if (!MD || !Obj || !MD->getDeclName().isIdentifier())
      return;
    llvm::StringRef Name = MD->getName();
    const CXXRecordDecl *RD = MD->getParent();
    if (nameIn(RD, StandardGuards, O.GuardTypes)) {
      const VarDecl *G = localVar(Obj);
      if (!G)
        return;
      // A guard this body did not construct (a parameter): what it owns is
      // its caller's.
      bool Handed = !M.GuardMutexes.count(G);
      if (Name == "unlock" || Name == "swap") {
        if (Handed && Name == "unlock")
          insertKey(State.Foreign, pointerKey("g", G));
        releaseGuard(State, G);
      } else if (Name == "release") {
        for (HeldLock &L : State.Held)
          if (L.Guard == G)
            L.Guard = nullptr;
      } else if (Name == "lock") {
        if (Handed)
          eraseKey(State.Foreign, pointerKey("g", G));
        const LockSet Before = State.Held;
        const LockSet &Mutexes = M.GuardMutexes.lookup(G);
        for (HeldLock L : Mutexes) {
          L.Acquisition = MC;
          record(L, Before, State, Mutexes.size() > 1);
          acquire(State, L);
        }
      }
      return;
    }
    if (!isLockableRecord(RD, O) &&
        !isLockableRecord(recordOfObjectType(Obj->getType()), O))
      return;
    LockOp Op = mutexMethod(Name);
    if (Op == LockOp::None)
      return;
    HeldLock L = LockModel::describeMutex(Obj, Ctx);
    L.Key = keyOf(Obj);
    if (Op == LockOp::Unlock) {
      release(State, L.Key);
      return;
    }
    L.Acquisition = MC;
    L.Shared = Op == LockOp::LockShared;
    record(L, State.Held, State);
    acquire(State, L);
  }

  void freeCall(const CallExpr *Call, FlowState &State) {
    const FunctionDecl *FD = Call->getDirectCallee();
    if (!FD || !FD->getDeclName().isIdentifier() || Call->getNumArgs() == 0)
      return;
    llvm::StringRef N = FD->getName();
    bool Global = FD->getDeclContext()->getRedeclContext()->isTranslationUnit();
    if (Global && (N == "pthread_mutex_lock" || N == "pthread_rwlock_wrlock" ||
                   N == "pthread_rwlock_rdlock" || N == "mtx_lock")) {
      HeldLock L = LockModel::describeMutex(Call->getArg(0), Ctx);
      L.Acquisition = Call;
      L.Shared = N == "pthread_rwlock_rdlock";
      record(L, State.Held, State);
      acquire(State, L);
    } else if (Global && (N == "pthread_mutex_unlock" ||
                          N == "pthread_rwlock_unlock" || N == "mtx_unlock")) {
      release(State, LockModel::describeMutex(Call->getArg(0), Ctx).Key);
    } else if (N == "lock" && FD->isInStdNamespace()) {
      const LockSet Before = State.Held;
      for (const Expr *Arg : Call->arguments()) {
        if (!isLockableRecord(recordOfObjectType(Arg->getType()), O))
          return;
        HeldLock L = LockModel::describeMutex(Arg, Ctx);
        L.Acquisition = Call;
        record(L, Before, State, Call->getNumArgs() > 1);
        acquire(State, L);
      }
    }
  }

  LockModel &M;
  ASTContext &Ctx;
  const LockModelOptions &O;
  llvm::DenseMap<const VarDecl *, std::string> Aliases;
  llvm::DenseMap<const VarDecl *, LocalKind> Kinds;
  /// What each unlocker released (taken back by its destructor).
  llvm::DenseMap<const VarDecl *, LockSet> Unlocked;
};

LockModel::LockModel(const Stmt *Body, const Decl *Owner, ASTContext &Ctx,
                     const LockModelOptions &Options, unsigned MaxBlocks) {
  if (!Body)
    return;
  CFG::BuildOptions BO;
  BO.AddImplicitDtors = true;
  BO.AddTemporaryDtors = true;
  BO.setAllAlwaysAdd();
  std::unique_ptr<CFG> G =
      CFG::buildCFG(Owner, const_cast<Stmt *>(Body), &Ctx, BO);
  if (!G || G->getNumBlockIDs() > MaxBlocks)
    return;

  LockTransfer Transfer(*this, Ctx, Options);
  const unsigned N = G->getNumBlockIDs();
  // In/out states; std::nullopt = not reached yet (the top of the lattice).
  std::vector<std::optional<FlowState>> In(N), Out(N);
  auto MeetHeld = [](LockSet &Into, const LockSet &Other) {
    llvm::erase_if(Into, [&](HeldLock &L) {
      if (llvm::any_of(Other,
                       [&](const HeldLock &O) { return sameHolding(L, O); }))
        return false;
      // Held by a guard on one path and by a manual lock on the other (the
      // guarded region unlocked and locked again: leveldb's Write): held,
      // and owned by the guard, whose destructor releases it.
      for (const HeldLock &O : Other)
        if (O.Key == L.Key && (!L.Guard || !O.Guard)) {
          if (!L.Guard)
            L = O;
          return false;
        }
      return true;
    });
  };
  auto Meet = [&](FlowState &Into, const FlowState &Other) {
    MeetHeld(Into.Held, Other.Held);
    for (const std::string &K : Other.Taken)
      insertKey(Into.Taken, K);
    for (const std::string &K : Other.Foreign)
      insertKey(Into.Foreign, K);
  };
  auto EqualHeld = [](const LockSet &A, const LockSet &B) {
    if (A.size() != B.size())
      return false;
    for (const HeldLock &L : A)
      if (llvm::none_of(B, [&](const HeldLock &O) { return sameHolding(L, O); }))
        return false;
    return true;
  };
  auto Equal = [&](const FlowState &A, const FlowState &B) {
    return EqualHeld(A.Held, B.Held) && sameKeys(A.Taken, B.Taken) &&
           sameKeys(A.Foreign, B.Foreign);
  };

  std::deque<const CFGBlock *> Work{&G->getEntry()};
  std::vector<bool> Queued(N, false);
  Queued[G->getEntry().getBlockID()] = true;
  unsigned Budget = N * 16 + 64;
  while (!Work.empty()) {
    if (Budget-- == 0)
      return; // did not converge in time: everything stays unknown
    const CFGBlock *B = Work.front();
    Work.pop_front();
    Queued[B->getBlockID()] = false;
    std::optional<FlowState> Entry;
    if (B == &G->getEntry())
      Entry.emplace();
    for (const CFGBlock *P : B->preds()) {
      if (!P || !Out[P->getBlockID()])
        continue;
      FlowState Edge = *Out[P->getBlockID()];
      Transfer.acrossEdge(P, B, Edge);
      if (!Entry)
        Entry = std::move(Edge);
      else
        Meet(*Entry, Edge);
    }
    if (!Entry)
      continue;
    In[B->getBlockID()] = Entry;
    FlowState State = *Entry;
    for (const CFGElement &E : *B)
      Transfer.apply(E, State);
    std::optional<FlowState> &O = Out[B->getBlockID()];
    if (O && Equal(*O, State))
      continue;
    O = std::move(State);
    for (const CFGBlock *S : B->succs())
      if (S && !Queued[S->getBlockID()]) {
        Queued[S->getBlockID()] = true;
        Work.push_back(S);
      }
  }

  // Record the state before every statement of every reached block, and
  // the acquisitions.
  Transfer.Record = &Acquired;
  for (const auto &Entry : Transfer.TryAcquired)
    Acquired.push_back(Entry.second);
  for (const CFGBlock *B : *G) {
    if (!In[B->getBlockID()])
      continue;
    FlowState State = *In[B->getBlockID()];
    for (const CFGElement &E : *B) {
      if (auto S = E.getAs<CFGStmt>()) {
        const Stmt *St = S->getStmt();
        if (!State.Foreign.empty())
          AfterForeignRelease.insert(St);
        auto It = StateOf.find(St);
        if (It != StateOf.end()) {
          LockSet Both = States[It->second];
          MeetHeld(Both, State.Held);
          States.push_back(std::move(Both));
          It->second = States.size() - 1;
        } else {
          unsigned Index = States.size();
          if (!States.empty() && EqualHeld(States.back(), State.Held))
            Index = States.size() - 1;
          else
            States.push_back(State.Held);
          StateOf[St] = Index;
        }
      }
      Transfer.apply(E, State);
    }
  }
  Analysed = true;
}

bool LockModel::mayRelease(const Stmt *S, const LockModelOptions &Options) {
  struct Finder : RecursiveASTVisitor<Finder> {
    const LockModelOptions &O;
    bool Found = false;
    explicit Finder(const LockModelOptions &O) : O(O) {}
    bool shouldVisitLambdaBody() const { return false; }
    bool VisitCXXConstructExpr(CXXConstructExpr *E) {
      // An unlocker, or a guard adopting a lock it then releases.
      for (const Expr *Arg : E->arguments())
        if (isLockableRecord(recordOfObjectType(Arg->getType()), O))
          Found = true;
      return !Found;
    }
    bool VisitCallExpr(CallExpr *E) {
      const FunctionDecl *FD = E->getDirectCallee();
      if (FD && FD->getDeclName().isIdentifier()) {
        llvm::StringRef N = FD->getName();
        if (mutexMethod(N) == LockOp::Unlock || N == "pthread_mutex_unlock" ||
            N == "pthread_rwlock_unlock" || N == "mtx_unlock")
          Found = true;
      }
      return !Found;
    }
  } F(Options);
  F.TraverseStmt(const_cast<Stmt *>(S));
  return F.Found;
}

// ------------------------------------------------------------ EntryLocks

namespace {

/// `mu_.AssertHeld()` and its spellings, or a method annotated
/// assert_capability, on a lockable object: the object.
const Expr *assertedLock(const Stmt *S, const LockModelOptions &O) {
  const auto *E = dyn_cast_or_null<Expr>(S);
  const auto *MC = dyn_cast_or_null<CXXMemberCallExpr>(skipWrappers(E));
  if (!MC || !MC->getMethodDecl())
    return nullptr;
  const CXXMethodDecl *MD = MC->getMethodDecl();
  const Expr *Obj = MC->getImplicitObjectArgument();
  if (!Obj || !isLockableRecord(recordOfObjectType(Obj->getType()), O))
    return nullptr;
  bool Annotated = llvm::any_of(MD->redecls(), [](const FunctionDecl *R) {
    return R->hasAttr<AssertCapabilityAttr>();
  });
  bool Named = MD->getIdentifier() &&
               llvm::is_contained({"AssertHeld", "AssertReaderHeld",
                                   "AssertLockHeld", "AssertAcquired",
                                   "assertHeld", "assert_held"},
                                  MD->getName());
  return Annotated || Named ? Obj : nullptr;
}

/// Whether calls to \p FD may come only from this translation unit and its
/// callers' locks say something: a private non-virtual method, a method of a
/// class with internal linkage, or a function with internal linkage.
bool callersAreLocal(const FunctionDecl *FD) {
  if (const auto *MD = dyn_cast<CXXMethodDecl>(FD)) {
    if (MD->getParent()->isLambda() || MD->isVirtual() ||
        isa<CXXConstructorDecl, CXXDestructorDecl, CXXConversionDecl>(MD))
      return false;
    return MD->getCanonicalDecl()->getAccess() == AS_private ||
           !MD->isExternallyVisible();
  }
  return !FD->isExternallyVisible() && !FD->isMain();
}

void mergeInto(LockSet &Into, const LockSet &From) {
  for (const HeldLock &L : From)
    if (llvm::none_of(Into, [&](const HeldLock &H) { return H.Key == L.Key; }))
      Into.push_back(L);
}

} // namespace

/// Every call of every function in the translation unit, and the functions
/// referred to other than by a direct call (address taken, a callback).
struct EntryLocks::Index {
  llvm::DenseMap<const FunctionDecl *, llvm::SmallVector<CallSite, 4>> Callers;
  llvm::DenseSet<const FunctionDecl *> Escaped;
};

EntryLocks::EntryLocks(ASTContext &Ctx, const LockModelOptions &Options,
                       unsigned MaxCallers, unsigned MaxDepth)
    : Ctx(Ctx), Options(Options), MaxCallers(MaxCallers), MaxDepth(MaxDepth) {}

EntryLocks::~EntryLocks() = default;

const EntryLocks::Index &EntryLocks::index() {
  if (Calls)
    return *Calls;
  Calls = std::make_unique<Index>();
  struct Builder : FunctionWalker<Builder> {
    Index &I;
    llvm::DenseSet<const Expr *> Callees;
    Builder(Index &I, const SourceManager &SM) : FunctionWalker(SM), I(I) {}
    void called(const FunctionDecl *FD, const Expr *Call) {
      if (FD)
        I.Callers[FD->getCanonicalDecl()].push_back(
            {Call, Stack.empty() ? nullptr : Stack.back()});
    }
    bool VisitCallExpr(CallExpr *E) {
      const Expr *Callee = E->getCallee();
      if (!Callee)
        return true;
      Callee = Callee->IgnoreParenImpCasts();
      Callees.insert(Callee);
      if (const FunctionDecl *FD = E->getDirectCallee())
        called(FD, E);
      else if (const auto *O = dyn_cast<OverloadExpr>(Callee))
        for (const NamedDecl *D : O->decls())
          called(D->getAsFunction(), E);
      return true;
    }
    void referred(const Decl *D, const Expr *E) {
      const FunctionDecl *FD = D ? D->getAsFunction() : nullptr;
      if (FD && !Callees.count(E))
        I.Escaped.insert(FD->getCanonicalDecl());
    }
    bool VisitDeclRefExpr(DeclRefExpr *E) {
      referred(E->getDecl(), E);
      return true;
    }
    bool VisitMemberExpr(MemberExpr *E) {
      referred(E->getMemberDecl(), E);
      return true;
    }
    bool VisitOverloadExpr(OverloadExpr *E) {
      if (!Callees.count(E))
        for (const NamedDecl *D : E->decls())
          referred(D, E);
      return true;
    }
  } B(*Calls, Ctx.getSourceManager());
  B.TraverseDecl(Ctx.getTranslationUnitDecl());
  return *Calls;
}

const LockModel *EntryLocks::modelOf(const FunctionDecl *FD) {
  if (!FD)
    return nullptr;
  if (Source) {
    auto [It, New] = Sourced.try_emplace(FD, nullptr);
    if (New) {
      const Stmt *Body = FD->getBody();
      const LockModel *M =
          Body && !hasErrors(Body) ? Source(FD) : nullptr;
      It->second = M && M->analysed() ? M : nullptr;
    }
    return It->second;
  }
  auto [It, New] = Models.try_emplace(FD);
  if (!New)
    return It->second.get();
  const Stmt *Body = FD->getBody();
  if (!Body || hasErrors(Body) || !LockModel::mayLock(Body, Options))
    return nullptr;
  auto M = std::make_unique<LockModel>(Body, FD, Ctx, Options);
  if (M->analysed())
    It->second = std::move(M);
  return It->second.get();
}

llvm::ArrayRef<EntryLocks::CallSite>
EntryLocks::callersOf(const FunctionDecl *FD) {
  if (!FD)
    return {};
  const Index &I = index();
  auto It = I.Callers.find(FD->getCanonicalDecl());
  if (It == I.Callers.end())
    return {};
  return It->second;
}

bool EntryLocks::isReferenced(const FunctionDecl *FD) {
  if (!FD)
    return false;
  const FunctionDecl *Canon = FD->getCanonicalDecl();
  const Index &I = index();
  return I.Callers.count(Canon) || I.Escaped.count(Canon);
}

LockSet EntryLocks::heldAt(const Stmt *S, const FunctionDecl *FD) {
  LockSet Held;
  if (const LockModel *M = modelOf(FD)) {
    const LockSet *H = M->heldAt(S);
    if (!H)
      return Held;
    Held = *H;
  }
  mergeInto(Held, at(FD));
  return Held;
}

const LockSet &EntryLocks::atDepth(const FunctionDecl *FD, unsigned Depth) {
  static const LockSet None;
  if (!FD)
    return None;
  const FunctionDecl *Canon = FD->getCanonicalDecl();
  auto Key = std::make_pair(Canon, Depth);
  if (auto It = Memo.find(Key); It != Memo.end())
    return It->second;

  LockSet Result;
  // (a) Thread-safety annotations on any declaration.
  for (const FunctionDecl *R : FD->redecls())
    for (const auto *A : R->specific_attrs<RequiresCapabilityAttr>())
      for (const Expr *Arg : A->args()) {
        if (!Arg || Arg->isValueDependent() || Arg->isTypeDependent() ||
            isa<StringLiteral>(Arg->IgnoreParenImpCasts()))
          continue;
        if (const auto *U = dyn_cast<UnaryOperator>(Arg->IgnoreParenImpCasts());
            U && U->getOpcode() == UO_LNot)
          continue; // a negative capability: not held
        HeldLock L = LockModel::describeMutex(Arg, Ctx);
        L.Shared = A->isShared();
        mergeInto(Result, {L});
      }
  // (b) Asserted before the body takes or releases anything.
  const FunctionDecl *Def = nullptr;
  if (FD->hasBody(Def) && Def)
    if (const auto *Body = dyn_cast_or_null<CompoundStmt>(Def->getBody()))
      for (const Stmt *S : Body->body()) {
        if (const Expr *Obj = assertedLock(S, Options)) {
          mergeInto(Result, {LockModel::describeMutex(Obj, Ctx)});
          continue;
        }
        if (LockModel::mayLock(S, Options) || LockModel::mayRelease(S, Options))
          break;
      }
  // (c) What every caller holds.
  if (Depth > 0 && callersAreLocal(FD))
    mergeInto(Result, fromCallers(FD, Depth));
  return Memo[Key] = std::move(Result);
}

LockSet EntryLocks::fromCallers(const FunctionDecl *FD, unsigned Depth) {
  const Index &I = index();
  const FunctionDecl *Canon = FD->getCanonicalDecl();
  if (I.Escaped.count(Canon))
    return {};
  auto It = I.Callers.find(Canon);
  if (It == I.Callers.end() || It->second.empty() ||
      It->second.size() > MaxCallers)
    return {};
  std::optional<LockSet> Common;
  for (const CallSite &Site : It->second) {
    if (!Site.Caller)
      return {};
    LockSet AtSite;
    if (const LockModel *M = modelOf(Site.Caller)) {
      const LockSet *H = M->heldAt(Site.Call);
      if (!H)
        return {};
      AtSite = *H;
    }
    mergeInto(AtSite, atDepth(Site.Caller, Depth - 1));

    // In the callee's naming: a member call on `this` keeps the caller's
    // members; on another object `o`, `o.mu` becomes `mu`; the caller's own
    // members mean nothing to a callee on another object.
    const Expr *Obj = nullptr;
    if (const auto *MC = dyn_cast<CXXMemberCallExpr>(Site.Call))
      Obj = MC->getImplicitObjectArgument();
    else if (const auto *Op = dyn_cast<CXXOperatorCallExpr>(Site.Call);
             Op && Op->getNumArgs() > 0 &&
             isa_and_nonnull<CXXMethodDecl>(Op->getDirectCallee()))
      Obj = Op->getArg(0);
    LockSet Translated;
    if (Obj && isThis(Obj)) {
      Translated = AtSite;
    } else {
      HeldLock Base;
      if (Obj)
        Base = LockModel::describeMutex(Obj, Ctx);
      for (HeldLock L : AtSite) {
        llvm::StringRef K = L.Key;
        if (Obj && K.consume_front(Base.Key + ".")) {
          L.Key = K.str();
          llvm::StringRef N = L.Name;
          if (N.consume_front(Base.Name + ".") || N.consume_front(Base.Name + "->"))
            L.Name = N.str();
        } else if (K.starts_with("f")) {
          continue;
        }
        L.Acquisition = nullptr;
        L.Guard = nullptr;
        Translated.push_back(std::move(L));
      }
    }
    if (!Common) {
      Common = std::move(Translated);
    } else {
      llvm::erase_if(*Common, [&](const HeldLock &L) {
        return llvm::none_of(Translated,
                             [&](const HeldLock &T) { return T.Key == L.Key; });
      });
      for (HeldLock &L : *Common)
        for (const HeldLock &T : Translated)
          if (T.Key == L.Key && T.Shared)
            L.Shared = true;
    }
    if (Common->empty())
      return {};
  }
  LockSet Result = Common ? std::move(*Common) : LockSet();
  for (HeldLock &L : Result) {
    L.Acquisition = nullptr;
    L.Guard = nullptr;
  }
  return Result;
}

} // namespace clang::tidy::threadlint
