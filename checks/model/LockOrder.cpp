//===--- LockOrder.cpp - which locks are taken while which are held -------===//
#include "model/LockOrder.h"
#include "model/ConcurrencyModel.h"
#include "model/FunctionWalker.h"
#include "clang/AST/Attr.h"
#include "clang/AST/ExprCXX.h"
#include "clang/AST/ParentMapContext.h"
#include "clang/AST/RecursiveASTVisitor.h"
#include "clang/Basic/SourceManager.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringMap.h"
#include <algorithm>
#include <map>
#include <set>
#include <tuple>

namespace clang::tidy::threadlint {

namespace {

/// The direct calls of a body (not those inside lambdas written in it: a
/// lambda's call operator is a function of its own) whose callee has a body
/// to follow.
struct CallCollector : RecursiveASTVisitor<CallCollector> {
  std::vector<std::pair<const CallExpr *, const FunctionDecl *>> Calls;
  // Statement traversal enters a lambda's body whatever
  // shouldVisitLambdaBody says: only its init-captures run here.
  bool TraverseLambdaExpr(LambdaExpr *L) {
    for (Expr *Init : L->capture_inits())
      if (Init && !TraverseStmt(Init))
        return false;
    return true;
  }
  bool VisitCallExpr(CallExpr *C) {
    const FunctionDecl *Callee = C->getDirectCallee();
    if (!Callee)
      return true;
    if (const auto *MD = dyn_cast<CXXMethodDecl>(Callee))
      if (MD->isVirtual() && !MD->hasAttr<FinalAttr>() &&
          !MD->getParent()->hasAttr<FinalAttr>())
        return true; // an override may run instead
    const FunctionDecl *Def = nullptr;
    if (Callee->hasBody(Def) && Def && !Def->isInvalidDecl())
      Calls.emplace_back(C, Def);
    return true;
  }
};

/// `a.mu` → (`a`, `.mu`); `p->mu` → (`p`, `->mu`); `mu_` → (`mu_`, ``).
std::pair<llvm::StringRef, llvm::StringRef> splitName(llvm::StringRef Name) {
  size_t Dot = Name.find('.'), Arrow = Name.find("->");
  size_t Cut = std::min(Dot, Arrow);
  if (Cut == llvm::StringRef::npos)
    return {Name, ""};
  return {Name.take_front(Cut), Name.drop_front(Cut)};
}

/// Whether \p Call is made on, or is handed, a guard variable of the body
/// \p Locks describes.
bool handsGuard(const CallExpr *Call, const LockModel &Locks) {
  auto IsGuard = [&](const Expr *E) {
    const auto *DRE =
        dyn_cast_or_null<DeclRefExpr>(E ? E->IgnoreParenImpCasts() : nullptr);
    const auto *VD = DRE ? dyn_cast<VarDecl>(DRE->getDecl()) : nullptr;
    return VD && !Locks.mutexesOf(VD).empty();
  };
  if (const auto *MC = dyn_cast<CXXMemberCallExpr>(Call);
      MC && IsGuard(MC->getImplicitObjectArgument()))
    return true;
  return llvm::any_of(Call->arguments(), IsGuard);
}

bool isThisObject(const Expr *E) {
  E = E ? E->IgnoreParenImpCasts() : nullptr;
  if (const auto *U = dyn_cast_or_null<UnaryOperator>(E);
      U && U->getOpcode() == UO_Deref)
    E = U->getSubExpr()->IgnoreParenImpCasts();
  return isa_and_nonnull<CXXThisExpr>(E);
}

/// The object a member call is made on, or null.
const Expr *objectOf(const CallExpr *C, const FunctionDecl *Callee) {
  if (const auto *MC = dyn_cast<CXXMemberCallExpr>(C))
    return MC->getImplicitObjectArgument();
  if (isa<CXXOperatorCallExpr>(C) && isa<CXXMethodDecl>(Callee) &&
      C->getNumArgs() > 0)
    return C->getArg(0);
  return nullptr;
}

LockSite siteOf(const Stmt *S, const SourceManager &SM) {
  LockSite Site;
  if (!S)
    return Site;
  SourceLocation Loc = SM.getFileLoc(S->getBeginLoc());
  if (Loc.isInvalid())
    return Site;
  FileID File = SM.getFileID(Loc);
  if (OptionalFileEntryRef Entry = SM.getFileEntryRefForID(File)) {
    llvm::StringRef Real = Entry->getFileEntry().tryGetRealPathName();
    Site.File = Real.empty() ? Entry->getName().str() : Real.str();
  }
  Site.Offset = SM.getFileOffset(Loc);
  Site.Line = SM.getSpellingLineNumber(Loc);
  Site.Column = SM.getSpellingColumnNumber(Loc);
  return Site;
}

bool saysRecursive(llvm::StringRef Name) {
  std::string L = Name.lower();
  return llvm::StringRef(L).contains("recursive") ||
         llvm::StringRef(L).contains("reentrant");
}

} // namespace

struct LockOrderModel::Impl {
  ConcurrencyModel &Model;
  ASTContext &Ctx;
  unsigned MaxDepth, MaxLocks, MaxEdges;
  std::map<const FunctionDecl *, Summary> Summaries;
  llvm::DenseSet<const FunctionDecl *> InProgress;
  std::optional<std::vector<OrderEdge>> All;
  std::optional<bool> SetsMutexTypes;
  /// Per function: where its first exit (return, throw, goto) ends.
  llvm::DenseMap<const FunctionDecl *, SourceLocation> FirstExit;

  /// Whether \p S in \p FD's body runs only on some paths through it.
  bool conditional(const Stmt *S, const FunctionDecl *FD) {
    if (!S)
      return true;
    const Stmt *Body = FD->getBody();
    DynTypedNode Node = DynTypedNode::create(*S);
    for (int Depth = 0; Depth < 64; ++Depth) {
      auto Parents = Ctx.getParents(Node);
      if (Parents.empty())
        break;
      const Stmt *P = Parents[0].get<Stmt>();
      const Stmt *C = Node.get<Stmt>();
      if (!P || P == Body)
        break;
      if (const auto *If = dyn_cast<IfStmt>(P);
          If && (C == If->getThen() || C == If->getElse()))
        return true;
      if (const auto *Sw = dyn_cast<SwitchStmt>(P); Sw && C == Sw->getBody())
        return true;
      if (const auto *CO = dyn_cast<AbstractConditionalOperator>(P);
          CO && (C == CO->getTrueExpr() || C == CO->getFalseExpr()))
        return true;
      if (const auto *B = dyn_cast<BinaryOperator>(P);
          B && B->isLogicalOp() && C == B->getRHS())
        return true;
      if (isa<LambdaExpr>(P))
        break;
      Node = Parents[0];
    }
    auto [It, New] = FirstExit.try_emplace(FD);
    if (New) {
      struct Exits : RecursiveASTVisitor<Exits> {
        SourceLocation First;
        const SourceManager &SM;
        explicit Exits(const SourceManager &SM) : SM(SM) {}
        bool TraverseLambdaExpr(LambdaExpr *) { return true; }
        void note(SourceLocation L) {
          if (L.isValid() &&
              (First.isInvalid() || SM.isBeforeInTranslationUnit(L, First)))
            First = L;
        }
        // Where an exit ends: a return that contains the statement
        // (`return get() + get();`) is not before it.
        bool VisitReturnStmt(ReturnStmt *R) {
          note(R->getEndLoc());
          return true;
        }
        bool VisitCXXThrowExpr(CXXThrowExpr *T) {
          note(T->getEndLoc());
          return true;
        }
        bool VisitGotoStmt(GotoStmt *G) {
          note(G->getEndLoc());
          return true;
        }
      } E(Ctx.getSourceManager());
      E.TraverseStmt(const_cast<Stmt *>(Body));
      It->second = E.First;
    }
    return It->second.isValid() &&
           Ctx.getSourceManager().isBeforeInTranslationUnit(It->second,
                                                            S->getBeginLoc());
  }
  /// The declarations behind the components of the keys seen ("v123" a
  /// variable, "f456" a field), learnt from the mutex expressions.
  llvm::StringMap<const ValueDecl *> Components;

  /// Remembers the declarations \p E's key is made of.
  void learn(const Expr *E) {
    for (int Depth = 0; E && Depth < 8; ++Depth) {
      E = E->IgnoreParenImpCasts();
      if (const auto *U = dyn_cast<UnaryOperator>(E);
          U && (U->getOpcode() == UO_AddrOf || U->getOpcode() == UO_Deref)) {
        E = U->getSubExpr();
        continue;
      }
      if (const auto *DRE = dyn_cast<DeclRefExpr>(E)) {
        const ValueDecl *D = cast<ValueDecl>(DRE->getDecl()->getCanonicalDecl());
        Components["v" + std::to_string(reinterpret_cast<uintptr_t>(D))] = D;
        return;
      }
      if (const auto *ME = dyn_cast<MemberExpr>(E)) {
        const auto *D = cast<ValueDecl>(ME->getMemberDecl()->getCanonicalDecl());
        Components["f" + std::to_string(reinterpret_cast<uintptr_t>(D))] = D;
        E = ME->getBase();
        continue;
      }
      return;
    }
  }
  const ValueDecl *declOfComponent(llvm::StringRef C) const {
    return Components.lookup(C);
  }

  Impl(ConcurrencyModel &M, unsigned D, unsigned L, unsigned E)
      : Model(M), Ctx(M.context()), MaxDepth(D), MaxLocks(L), MaxEdges(E) {}

  bool inSystemHeader(const Decl *D) const {
    return Ctx.getSourceManager().isInSystemHeader(D->getLocation());
  }

  const Summary &summary(const FunctionDecl *FD, unsigned Depth);
  std::optional<std::pair<std::string, std::string>>
  rebind(const std::string &Key, const std::string &Name, const CallExpr *C,
         const FunctionDecl *Callee);
  std::string exportName(llvm::StringRef Key) const;
};

std::optional<std::pair<std::string, std::string>>
LockOrderModel::Impl::rebind(const std::string &Key, const std::string &Name,
                             const CallExpr *C,
                             const FunctionDecl *Callee) {
  llvm::StringRef K(Key);
  auto [Root, Rest] = K.split('.');
  std::string Tail = Rest.empty() ? "" : "." + Rest.str();
  auto [RootName, NameTail] = splitName(Name);
  if (Root.starts_with("f")) {
    // A member of the callee's `this`.
    const auto *MD = dyn_cast<CXXMethodDecl>(Callee);
    if (!MD || MD->isStatic() || MD->getParent()->isLambda())
      return std::make_pair(Key, Name);
    const Expr *Obj = objectOf(C, Callee);
    if (!Obj)
      return std::nullopt;
    if (isThisObject(Obj))
      return std::make_pair(Key, Name);
    HeldLock Base = LockModel::describeMutex(Obj, Ctx);
    learn(Obj);
    if (Base.Key.empty() || Base.Key[0] == 't')
      return std::nullopt;
    return std::make_pair(Base.Key + "." + Key, Base.Name + "." + Name);
  }
  if (!Root.starts_with("v"))
    return std::nullopt;
  const ValueDecl *D = declOfComponent(Root);
  const auto *Param = dyn_cast_or_null<ParmVarDecl>(D);
  if (!Param)
    return std::make_pair(Key, Name); // a global, or the callee's own local
  unsigned Offset = objectOf(C, Callee) && isa<CXXOperatorCallExpr>(C) ? 1 : 0;
  for (unsigned I = 0; I < Callee->getNumParams(); ++I) {
    if (Callee->getParamDecl(I)->getCanonicalDecl() != Param)
      continue;
    if (I + Offset >= C->getNumArgs())
      return std::nullopt;
    const Expr *Arg = C->getArg(I + Offset);
    if (isa<CXXDefaultArgExpr>(Arg))
      return std::nullopt;
    HeldLock A = LockModel::describeMutex(Arg, Ctx);
    learn(Arg);
    if (A.Key.empty() || A.Key[0] == 't')
      return std::nullopt;
    // `bump(&q)` with `q->mu` in the callee names `q.mu` here; `use(*p)`
    // with `r.mu` names `p->mu`.
    std::string NameRest = NameTail.str();
    const auto *U = dyn_cast<UnaryOperator>(Arg->IgnoreParenImpCasts());
    if (U && U->getOpcode() == UO_AddrOf && NameTail.starts_with("->"))
      NameRest = "." + NameTail.drop_front(2).str();
    else if (U && U->getOpcode() == UO_Deref && NameTail.starts_with("."))
      NameRest = "->" + NameTail.drop_front(1).str();
    return std::make_pair(A.Key + Tail, A.Name + NameRest);
  }
  // A parameter of another function: the caller's own (captured by the
  // lambda that is the callee), named the same on both sides.
  return std::make_pair(Key, Name);
}

const LockOrderModel::Summary &
LockOrderModel::Impl::summary(const FunctionDecl *FD, unsigned Depth) {
  static const Summary Empty;
  if (!FD || Depth > MaxDepth)
    return Empty;
  if (auto It = Summaries.find(FD); It != Summaries.end())
    return It->second;
  const Stmt *Body = FD->getBody();
  if (!Body || FD->isInvalidDecl() || FD->isDependentContext() ||
      inSystemHeader(FD))
    return Empty;
  if (!InProgress.insert(FD).second)
    return Empty; // recursion: the outer call goes on without it
  Summary S;
  auto AddLock = [&](OrderLock L) {
    if (S.Acquires.size() >= MaxLocks)
      return;
    for (const OrderLock &X : S.Acquires)
      if (X.Key == L.Key && X.Site == L.Site)
        return;
    S.Acquires.push_back(std::move(L));
  };
  auto AddEdge = [&](OrderEdge E) {
    if (S.Edges.size() < MaxEdges)
      S.Edges.push_back(std::move(E));
  };
  auto HeldAsLock = [&](const HeldLock &H) {
    learn(H.Object);
    OrderLock L;
    L.Key = H.Key;
    L.Name = H.Name;
    L.Site = L.Inner = H.Acquisition;
    L.InnerIn = FD;
    L.Object = H.Object;
    L.Shared = H.Shared;
    return L;
  };
  auto Usable = [](llvm::StringRef Key) {
    return !Key.empty() && (Key[0] == 'v' || Key[0] == 'f');
  };

  const LockModel *Locks = Model.locksIn(FD);
  if (Locks) {
    for (const LockAcquisition &A : Locks->acquisitions()) {
      if (!Usable(A.Lock.Key) || !A.Lock.Acquisition)
        continue;
      OrderLock To = HeldAsLock(A.Lock);
      To.Try = A.Try;
      To.Conditional = conditional(A.Lock.Acquisition, FD);
      if (!A.Try) {
        for (const HeldLock &H : A.HeldBefore)
          if (Usable(H.Key) && H.Acquisition) {
            OrderEdge E;
            E.From = HeldAsLock(H);
            E.To = To;
            E.Frame = FD;
            AddEdge(std::move(E));
          }
        if (!A.Retake)
          AddLock(To);
      }
    }
  }

  CallCollector Calls;
  Calls.TraverseStmt(const_cast<Stmt *>(Body));
  for (const auto &[Call, Callee] : Calls.Calls) {
    if (Callee == FD)
      continue;
    const Summary &Sub = summary(Callee, Depth + 1);
    if (Sub.Acquires.empty() && Sub.Edges.empty())
      continue;
    const std::string CalleeName = functionName(Callee);
    const LockSet *Held = Locks ? Locks->heldAt(Call) : nullptr;
    // After this body released a lock of its caller's (leveldb's
    // DoCompactionWork: `mutex_.Unlock()`, then a helper that locks
    // `mutex_`), what the callee takes may be that lock, given back: not a
    // second acquisition for the caller. (Which lock was released is not
    // compared: in doubt, nothing is passed up.)
    const bool AfterRelease = Locks && Locks->releasedCallersLockBefore(Call);
    // A call handed a guard of this body (`add_ref_unsafe(lock, ...)`,
    // `lock.acquire(m)` of a project's guard) may release and retake what
    // it owns: what it takes is not known to be a second acquisition.
    const bool HandsGuard = Locks && handsGuard(Call, *Locks);
    for (const OrderLock &X : Sub.Acquires) {
      auto Bound = rebind(X.Key, X.Name, Call, Callee);
      if (!Bound)
        continue;
      OrderLock To = X;
      To.Key = Bound->first;
      To.Name = Bound->second;
      To.Site = Call;
      To.Via = X.Via.empty() ? CalleeName : CalleeName + " -> " + X.Via;
      To.Conditional = X.Conditional || conditional(Call, FD);
      if (HandsGuard)
        continue;
      if (Held)
        for (const HeldLock &H : *Held)
          if (Usable(H.Key) && H.Acquisition) {
            OrderEdge E;
            E.From = HeldAsLock(H);
            E.To = To;
            E.Frame = FD;
            AddEdge(std::move(E));
          }
      if (!AfterRelease)
        AddLock(std::move(To));
    }
    for (const OrderEdge &X : Sub.Edges) {
      auto From = rebind(X.From.Key, X.From.Name, Call, Callee);
      auto To = rebind(X.To.Key, X.To.Name, Call, Callee);
      if (!From || !To || (From->first == X.From.Key && To->first == X.To.Key))
        continue; // unchanged: the callee's own edge says it already
      OrderEdge E = X;
      E.From.Key = From->first;
      E.From.Name = From->second;
      E.To.Key = To->first;
      E.To.Name = To->second;
      // The call of the last rebinding: where the locks got the names
      // they have here.
      E.Call = Call;
      E.CallIn = FD;
      AddEdge(std::move(E));
    }
  }
  InProgress.erase(FD);
  return Summaries.emplace(FD, std::move(S)).first->second;
}

std::string LockOrderModel::Impl::exportName(llvm::StringRef Key) const {
  llvm::SmallVector<llvm::StringRef, 4> Parts;
  Key.split(Parts, '.');
  std::string Out;
  for (size_t I = 0; I < Parts.size(); ++I) {
    const ValueDecl *D = declOfComponent(Parts[I]);
    if (!D || !D->getIdentifier())
      return "";
    if (I > 0) {
      (Out += ".") += D->getName();
      continue;
    }
    if (Parts[I].starts_with("f")) {
      Out = "::" + D->getQualifiedNameAsString();
      continue;
    }
    const auto *VD = dyn_cast<VarDecl>(D);
    if (!VD || !(VD->isFileVarDecl() || VD->isStaticDataMember()))
      return "";
    Out = "::" + VD->getQualifiedNameAsString();
    if (!VD->isExternallyVisible()) {
      // Internal linkage: one per translation unit, named with its main file.
      const SourceManager &SM = Ctx.getSourceManager();
      OptionalFileEntryRef Entry = SM.getFileEntryRefForID(SM.getMainFileID());
      std::string File = Entry ? Entry->getName().str() : "?";
      Out = File.append(":").append(Out);
    }
  }
  return Out;
}

LockOrderModel::LockOrderModel(ConcurrencyModel &Model, unsigned MaxDepth,
                               unsigned MaxLocks, unsigned MaxEdges)
    : P(std::make_unique<Impl>(Model, MaxDepth, MaxLocks, MaxEdges)) {}
LockOrderModel::~LockOrderModel() = default;

const LockOrderModel::Summary &
LockOrderModel::summaryOf(const FunctionDecl *FD) {
  return P->summary(FD, 0);
}

const std::vector<OrderEdge> &LockOrderModel::edges() {
  if (P->All)
    return *P->All;
  // Every function definition outside system headers (the walk skips
  // them whole): template instances, lambdas' call operators; not templates
  // themselves.
  struct Finder : FunctionWalker<Finder> {
    std::vector<const FunctionDecl *> Functions;
    explicit Finder(const SourceManager &SM) : FunctionWalker(SM) {}
    bool VisitFunctionDecl(FunctionDecl *FD) {
      if (FD->doesThisDeclarationHaveABody() && !FD->isDependentContext() &&
          !FD->isInvalidDecl())
        Functions.push_back(FD);
      return true;
    }
    bool VisitLambdaExpr(LambdaExpr *L) {
      if (CXXMethodDecl *Op = L->getCallOperator();
          Op && !Op->isDependentContext() && !Op->getDescribedTemplate())
        VisitFunctionDecl(Op);
      return true;
    }
  } F(P->Ctx.getSourceManager());
  F.TraverseDecl(P->Ctx.getTranslationUnitDecl());

  std::vector<OrderEdge> All;
  std::set<std::tuple<std::string, std::string, const Stmt *, const Stmt *>>
      Seen;
  llvm::DenseSet<const FunctionDecl *> Done;
  for (const FunctionDecl *FD : F.Functions) {
    if (!Done.insert(FD).second)
      continue;
    for (const OrderEdge &E : summaryOf(FD).Edges)
      if (Seen.emplace(E.From.Key, E.To.Key, E.From.Site, E.To.Site).second)
        All.push_back(E);
  }
  const SourceManager &SM = P->Ctx.getSourceManager();
  // Source order of To, then of From, then as found: a strict order on
  // (file, offset) pairs, whatever the statements.
  auto Place = [&](const Stmt *S) -> std::pair<unsigned, unsigned> {
    if (!S)
      return {0, 0};
    auto [File, Offset] = SM.getDecomposedExpansionLoc(S->getBeginLoc());
    return {File.getHashValue(), Offset};
  };
  std::vector<size_t> Order(All.size());
  for (size_t I = 0; I < Order.size(); ++I)
    Order[I] = I;
  std::sort(Order.begin(), Order.end(), [&](size_t I, size_t J) {
    return std::make_tuple(Place(All[I].To.Site), Place(All[I].From.Site), I) <
           std::make_tuple(Place(All[J].To.Site), Place(All[J].From.Site), J);
  });
  std::vector<OrderEdge> Sorted;
  Sorted.reserve(All.size());
  for (size_t I : Order)
    Sorted.push_back(std::move(All[I]));
  P->All = std::move(Sorted);
  return *P->All;
}

LockOrderEdge LockOrderModel::describe(const OrderEdge &E) const {
  const SourceManager &SM = P->Ctx.getSourceManager();
  LockOrderEdge Out;
  Out.From = E.From.Key;
  Out.To = E.To.Key;
  Out.FromName = E.From.Name;
  Out.ToName = E.To.Name;
  Out.Held = siteOf(E.From.Site, SM);
  Out.Taken = siteOf(E.To.Site, SM);
  if (E.Call)
    Out.Call = siteOf(E.Call, SM);
  Out.Function = functionName(E.Frame);
  Out.Via = E.To.Via;
  return Out;
}

bool LockOrderModel::exportEdge(const OrderEdge &E, LockOrderEdge &Out) const {
  Out = describe(E);
  Out.From = P->exportName(orderIdentity(E.From.Key));
  Out.To = P->exportName(orderIdentity(E.To.Key));
  return !Out.From.empty() && !Out.To.empty() && !Out.Held.File.empty() &&
         !Out.Taken.File.empty();
}

bool LockOrderModel::mayBeRecursive(const Expr *E) {
  if (!E)
    return true;
  QualType T = E->getType();
  if (T->isPointerType())
    T = T->getPointeeType();
  T = T.getNonReferenceType();
  if (saysRecursive(T.getAsString()) ||
      saysRecursive(T.getCanonicalType().getAsString()))
    return true;
  if (const CXXRecordDecl *RD = T->getAsCXXRecordDecl()) {
    if (RD->hasDefinition())
      for (const FieldDecl *F : RD->getDefinition()->fields())
        if (saysRecursive(F->getType().getCanonicalType().getAsString()))
          return true;
  }
  if (llvm::StringRef(T.getCanonicalType().getAsString()).contains("pthread")) {
    if (!P->SetsMutexTypes) {
      // A translation unit that sets mutex attributes may make any of its
      // pthread mutexes recursive.
      struct Finder : RecursiveASTVisitor<Finder> {
        bool Found = false;
        bool VisitDeclRefExpr(DeclRefExpr *D) {
          if (const auto *FD = dyn_cast<FunctionDecl>(D->getDecl());
              FD && FD->getIdentifier() &&
              FD->getName() == "pthread_mutexattr_settype")
            Found = true;
          return !Found;
        }
      } F;
      F.TraverseDecl(P->Ctx.getTranslationUnitDecl());
      P->SetsMutexTypes = F.Found;
    }
    return *P->SetsMutexTypes;
  }
  return false;
}

std::string LockOrderModel::orderIdentity(llvm::StringRef Key) {
  if (!Key.starts_with("f"))
    return Key.str();
  return Key.rsplit('.').second.empty() ? Key.str()
                                        : Key.rsplit('.').second.str();
}

std::string LockOrderModel::functionName(const FunctionDecl *FD) {
  if (!FD)
    return "";
  if (const auto *MD = dyn_cast<CXXMethodDecl>(FD)) {
    if (MD->getParent()->isLambda())
      return "lambda";
    if (MD->getParent()->getIdentifier())
      return MD->getParent()->getName().str() + "::" + FD->getNameAsString();
  }
  return FD->getNameAsString();
}

} // namespace clang::tidy::threadlint
