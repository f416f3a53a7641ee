//===--- LockModel.cpp - which locks are held where -----------------------===//
#include "model/LockModel.h"
#include "model/SpawnModel.h"
#include "clang/AST/ExprCXX.h"
#include "clang/AST/RecursiveASTVisitor.h"
#include "clang/Analysis/CFG.h"
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

const CXXRecordDecl *recordOf(QualType T) {
  T = T.getNonReferenceType();
  if (const auto *P = T->getAs<PointerType>())
    T = P->getPointeeType();
  return T->getAsCXXRecordDecl();
}

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
  for (const CXXMethodDecl *M : RD->methods())
    if (M->getDeclName().isIdentifier() && M->getName() == Name)
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
      .Cases({"lock", "Lock", "WriterLock"}, LockOp::Lock)
      .Cases({"lock_shared", "ReaderLock"}, LockOp::LockShared)
      .Cases({"unlock", "Unlock", "WriterUnlock", "unlock_shared",
              "ReaderUnlock"},
             LockOp::Unlock)
      .Default(LockOp::None);
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

/// A project's own guard nobody listed in GuardTypes: a local of a class
/// with a user-written destructor, constructed on a lockable object (by
/// reference or pointer) — `SpinLockHolder l(&lock_);`.
bool isStructuralGuard(const VarDecl *VD, const LockModelOptions &O) {
  const CXXRecordDecl *RD = VD->getType()->getAsCXXRecordDecl();
  if (!RD || !RD->hasDefinition() || !RD->getDestructor() ||
      !RD->getDestructor()->isUserProvided())
    return false;
  const auto *CE = dyn_cast_or_null<CXXConstructExpr>(skipWrappers(VD->getInit()));
  if (!CE || CE->getNumArgs() == 0 ||
      CE->getConstructor()->isCopyOrMoveConstructor())
    return false;
  return isLockableRecord(recordOf(CE->getArg(0)->getType()), O);
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
  return nameIn(recordOf(T), StandardGuards, Options.GuardTypes);
}

HeldLock LockModel::describeMutex(const Expr *E, ASTContext &Ctx) {
  HeldLock L;
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
           isLockableRecord(recordOf(E->getArg(0)->getType()), O)))
        Found = true;
      return !Found;
    }
    bool VisitCallExpr(CallExpr *E) {
      const FunctionDecl *FD = E->getDirectCallee();
      if (FD && FD->getDeclName().isIdentifier()) {
        llvm::StringRef N = FD->getName();
        if (mutexMethod(N) == LockOp::Lock ||
            mutexMethod(N) == LockOp::LockShared ||
            N.starts_with("pthread_mutex_lock") ||
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

/// The transfer function of the analysis: how one CFG element changes the
/// set of held locks.
class LockTransfer {
public:
  LockTransfer(LockModel &M, ASTContext &Ctx, const LockModelOptions &O)
      : M(M), Ctx(Ctx), O(O) {}

  void apply(const CFGElement &E, LockSet &State) {
    if (auto S = E.getAs<CFGStmt>()) {
      applyStmt(S->getStmt(), State);
    } else if (auto D = E.getAs<CFGAutomaticObjDtor>()) {
      const VarDecl *VD = D->getVarDecl();
      llvm::erase_if(State, [&](const HeldLock &L) { return L.Guard == VD; });
    }
  }

private:
  void add(LockSet &State, HeldLock L) {
    for (const HeldLock &H : State)
      if (sameHolding(H, L))
        return;
    State.push_back(std::move(L));
  }
  void removeKey(LockSet &State, llvm::StringRef Key) {
    llvm::erase_if(State, [&](const HeldLock &L) { return L.Key == Key; });
  }

  void applyStmt(const Stmt *S, LockSet &State) {
    if (const auto *DS = dyn_cast<DeclStmt>(S)) {
      for (const Decl *D : DS->decls())
        if (const auto *VD = dyn_cast<VarDecl>(D)) {
          if (VD->hasLocalStorage() && VD->getInit() &&
              (LockModel::isGuardType(VD->getType(), O) ||
               isStructuralGuard(VD, O)))
            constructGuard(VD, DS, State);
          else if (VD->getInit())
            rememberReleased(VD);
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

  void constructGuard(const VarDecl *VD, const DeclStmt *DS, LockSet &State) {
    const auto *CE = dyn_cast_or_null<CXXConstructExpr>(
        skipWrappers(VD->getInit()));
    if (!CE)
      return;
    bool Owns = true, Adopt = false;
    LockSet Mutexes;
    bool Shared = isShareGuard(recordOf(VD->getType()));
    for (const Expr *Arg : CE->arguments()) {
      if (isa<CXXDefaultArgExpr>(Arg))
        continue;
      QualType T = Arg->getType();
      const CXXRecordDecl *RD = recordOf(T);
      if (const VarDecl *From = localVar(Arg);
          From && LockModel::isGuardType(T, O)) {
        // Moved from another guard: take over what it owns.
        M.GuardMutexes[VD] = M.GuardMutexes.lookup(From);
        for (HeldLock &L : State)
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
    for (HeldLock &L : Mutexes) {
      if (Adopt)
        removeKey(State, L.Key);
      add(State, L);
    }
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

  void memberCall(const CXXMemberCallExpr *MC, LockSet &State) {
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
      if (Name == "unlock" || Name == "swap") {
        llvm::erase_if(State, [&](const HeldLock &L) { return L.Guard == G; });
      } else if (Name == "release") {
        for (HeldLock &L : State)
          if (L.Guard == G)
            L.Guard = nullptr;
      } else if (Name == "lock") {
        for (HeldLock L : M.GuardMutexes.lookup(G)) {
          L.Acquisition = MC;
          add(State, L);
        }
      }
      return;
    }
    if (!isLockableRecord(RD, O) &&
        !isLockableRecord(recordOf(Obj->getType()), O))
      return;
    LockOp Op = mutexMethod(Name);
    if (Op == LockOp::None)
      return;
    HeldLock L = LockModel::describeMutex(Obj, Ctx);
    L.Key = keyOf(Obj);
    if (Op == LockOp::Unlock) {
      removeKey(State, L.Key);
      return;
    }
    L.Acquisition = MC;
    L.Shared = Op == LockOp::LockShared;
    add(State, L);
  }

  void freeCall(const CallExpr *Call, LockSet &State) {
    const FunctionDecl *FD = Call->getDirectCallee();
    if (!FD || !FD->getDeclName().isIdentifier() || Call->getNumArgs() == 0)
      return;
    llvm::StringRef N = FD->getName();
    bool Global = FD->getDeclContext()->getRedeclContext()->isTranslationUnit();
    if (Global && (N == "pthread_mutex_lock" || N == "pthread_rwlock_wrlock" ||
                   N == "pthread_rwlock_rdlock")) {
      HeldLock L = LockModel::describeMutex(Call->getArg(0), Ctx);
      L.Acquisition = Call;
      L.Shared = N == "pthread_rwlock_rdlock";
      add(State, L);
    } else if (Global && (N == "pthread_mutex_unlock" ||
                          N == "pthread_rwlock_unlock")) {
      removeKey(State, LockModel::describeMutex(Call->getArg(0), Ctx).Key);
    } else if (N == "lock" && FD->isInStdNamespace()) {
      for (const Expr *Arg : Call->arguments()) {
        if (!isLockableRecord(recordOf(Arg->getType()), O))
          return;
        HeldLock L = LockModel::describeMutex(Arg, Ctx);
        L.Acquisition = Call;
        add(State, L);
      }
    }
  }

  LockModel &M;
  ASTContext &Ctx;
  const LockModelOptions &O;
  llvm::DenseMap<const VarDecl *, std::string> Aliases;
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
  std::vector<std::optional<LockSet>> In(N), Out(N);
  auto Meet = [](LockSet &Into, const LockSet &Other) {
    llvm::erase_if(Into, [&](const HeldLock &L) {
      return llvm::none_of(
          Other, [&](const HeldLock &O) { return sameHolding(L, O); });
    });
  };
  auto Equal = [](const LockSet &A, const LockSet &B) {
    if (A.size() != B.size())
      return false;
    for (const HeldLock &L : A)
      if (llvm::none_of(B, [&](const HeldLock &O) { return sameHolding(L, O); }))
        return false;
    return true;
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
    std::optional<LockSet> Entry;
    if (B == &G->getEntry())
      Entry.emplace();
    for (const CFGBlock *P : B->preds()) {
      if (!P || !Out[P->getBlockID()])
        continue;
      if (!Entry)
        Entry = *Out[P->getBlockID()];
      else
        Meet(*Entry, *Out[P->getBlockID()]);
    }
    if (!Entry)
      continue;
    In[B->getBlockID()] = Entry;
    LockSet State = *Entry;
    for (const CFGElement &E : *B)
      Transfer.apply(E, State);
    std::optional<LockSet> &O = Out[B->getBlockID()];
    if (O && Equal(*O, State))
      continue;
    O = std::move(State);
    for (const CFGBlock *S : B->succs())
      if (S && !Queued[S->getBlockID()]) {
        Queued[S->getBlockID()] = true;
        Work.push_back(S);
      }
  }

  // Record the state before every statement of every reached block.
  for (const CFGBlock *B : *G) {
    if (!In[B->getBlockID()])
      continue;
    LockSet State = *In[B->getBlockID()];
    for (const CFGElement &E : *B) {
      if (auto S = E.getAs<CFGStmt>()) {
        auto It = StateOf.find(S->getStmt());
        if (It != StateOf.end()) {
          LockSet Both = States[It->second];
          Meet(Both, State);
          States.push_back(std::move(Both));
          It->second = States.size() - 1;
        } else {
          unsigned Index = States.size();
          if (!States.empty() && Equal(States.back(), State))
            Index = States.size() - 1;
          else
            States.push_back(State);
          StateOf[S->getStmt()] = Index;
        }
      }
      Transfer.apply(E, State);
    }
  }
  Analysed = true;
}

} // namespace clang::tidy::threadlint
