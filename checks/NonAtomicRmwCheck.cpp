//===--- NonAtomicRmwCheck.cpp - threadlint -------------------------------===//
#include "NonAtomicRmwCheck.h"
#include "model/AstHelpers.h"
#include "model/ConcurrencyModel.h"
#include "model/FunctionWalker.h"
#include "model/GuardModel.h"
#include "model/OptionLists.h"
#include "model/SpawnModel.h"
#include "clang/AST/ParentMapContext.h"
#include "clang/AST/RecursiveASTVisitor.h"
#include "clang/ASTMatchers/ASTMatchFinder.h"
#include "clang/Lex/Lexer.h"

using namespace clang::ast_matchers;

namespace clang::tidy::threadlint {

namespace {

/// std::atomic<T> or std::atomic_ref<T>: T, else null.
QualType atomicValueType(QualType T) {
  T = T.getNonReferenceType();
  if (const auto *P = T->getAs<PointerType>())
    T = P->getPointeeType();
  const auto *Spec = dyn_cast_or_null<ClassTemplateSpecializationDecl>(
      T->getAsCXXRecordDecl());
  if (!Spec || !Spec->isInStdNamespace() || !Spec->getIdentifier() ||
      (Spec->getName() != "atomic" && Spec->getName() != "atomic_ref") ||
      Spec->getTemplateArgs().size() < 1 ||
      Spec->getTemplateArgs()[0].getKind() != TemplateArgument::Type)
    return QualType();
  return Spec->getTemplateArgs()[0].getAsType();
}

bool isAtomicObject(const Expr *E) {
  return E && !atomicValueType(E->IgnoreParenImpCasts()->getType()).isNull();
}

std::string keyOf(const Expr *E, ASTContext &Ctx) {
  // The lock model's naming of a mutex object names any object.
  return LockModel::describeMutex(E, Ctx).Key;
}

/// Whether a call's argument I was written (not a default argument).
bool explicitArg(const CallExpr *Call, unsigned I) {
  return I < Call->getNumArgs() && !isa<CXXDefaultArgExpr>(Call->getArg(I));
}

/// A read of an atomic: `a.load(...)` or the implicit `operator T()`.
struct AtomicRead {
  const Expr *Object = nullptr;
  const CXXMemberCallExpr *Call = nullptr;
  bool ExplicitOrder = false;
};

std::optional<AtomicRead> readOf(const Expr *E) {
  if (!E)
    return std::nullopt;
  E = E->IgnoreParenImpCasts();
  const auto *MC = dyn_cast<CXXMemberCallExpr>(E);
  if (!MC || !MC->getMethodDecl())
    return std::nullopt;
  const Expr *Object = MC->getImplicitObjectArgument();
  if (!isAtomicObject(Object))
    return std::nullopt;
  const CXXMethodDecl *MD = MC->getMethodDecl();
  if (isa<CXXConversionDecl>(MD) ||
      (MD->getIdentifier() && MD->getName() == "load"))
    return AtomicRead{Object->IgnoreParenImpCasts(), MC, explicitArg(MC, 0)};
  return std::nullopt;
}

/// A store to an atomic: `a = v` or `a.store(v, ...)`.
struct AtomicStore {
  const Expr *Object = nullptr;
  const Expr *Value = nullptr;
  bool IsStoreCall = false;
  bool ExplicitOrder = false;
};

std::optional<AtomicStore> storeOf(const Expr *E) {
  if (!E)
    return std::nullopt;
  E = E->IgnoreParenImpCasts();
  if (const auto *Op = dyn_cast<CXXOperatorCallExpr>(E)) {
    if (Op->getOperator() == OO_Equal && Op->getNumArgs() == 2 &&
        isAtomicObject(Op->getArg(0)) &&
        atomicValueType(Op->getArg(1)->getType()).isNull())
      return AtomicStore{Op->getArg(0)->IgnoreParenImpCasts(), Op->getArg(1),
                         false, false};
    return std::nullopt;
  }
  if (const auto *MC = dyn_cast<CXXMemberCallExpr>(E)) {
    const CXXMethodDecl *MD = MC->getMethodDecl();
    const Expr *Object = MC->getImplicitObjectArgument();
    if (MD && MD->getIdentifier() && MD->getName() == "store" &&
        MC->getNumArgs() >= 1 && isAtomicObject(Object))
      return AtomicStore{Object->IgnoreParenImpCasts(), MC->getArg(0), true,
                         explicitArg(MC, 1)};
  }
  return std::nullopt;
}

/// Reads of the object with key \p Key anywhere in \p S.
struct ReadFinder : RecursiveASTVisitor<ReadFinder> {
  ASTContext &Ctx;
  std::string Key;
  std::optional<AtomicRead> Found;
  ReadFinder(ASTContext &Ctx, std::string Key) : Ctx(Ctx), Key(std::move(Key)) {}
  bool VisitCXXMemberCallExpr(CXXMemberCallExpr *E) {
    if (std::optional<AtomicRead> R = readOf(E))
      if (keyOf(R->Object, Ctx) == Key) {
        Found = R;
        return false;
      }
    return true;
  }
};

bool isCommutative(BinaryOperatorKind Op) {
  return Op == BO_Add || Op == BO_Mul || Op == BO_And || Op == BO_Or ||
         Op == BO_Xor;
}

/// The compound assignment / fetch operation for \p Op on an atomic of
/// \p T, or "" when the atomic has none.
llvm::StringRef compoundFor(BinaryOperatorKind Op, QualType T, bool Fetch,
                            const LangOptions &LO) {
  bool Integral = T->isIntegralOrEnumerationType() && !T->isBooleanType() &&
                  !T->isEnumeralType();
  bool Pointer = T->isPointerType();
  bool Floating = T->isRealFloatingType() && LO.CPlusPlus20;
  switch (Op) {
  case BO_Add:
    if (Integral || Pointer || Floating)
      return Fetch ? "fetch_add" : "+=";
    return "";
  case BO_Sub:
    if (Integral || Pointer || Floating)
      return Fetch ? "fetch_sub" : "-=";
    return "";
  case BO_And:
    return Integral ? (Fetch ? "fetch_and" : "&=") : "";
  case BO_Or:
    return Integral ? (Fetch ? "fetch_or" : "|=") : "";
  case BO_Xor:
    return Integral ? (Fetch ? "fetch_xor" : "^=") : "";
  default:
    return "";
  }
}

/// The parent of \p E above implicit casts and parentheses (null when there
/// is not exactly one); \p Child becomes the expression under it.
const Stmt *parentAboveCasts(const Expr *E, ASTContext &Ctx,
                             const Expr *&Child) {
  Child = E;
  DynTypedNodeList Parents = Ctx.getParents(*E);
  while (Parents.size() == 1 && (Parents[0].get<ImplicitCastExpr>() ||
                                 Parents[0].get<ParenExpr>())) {
    Child = Parents[0].get<Expr>();
    Parents = Ctx.getParents(Parents[0]);
  }
  return Parents.size() == 1 ? Parents[0].get<Stmt>() : nullptr;
}

/// Whether \p Ref only reads the atomic it names: `x.load()`, `x.wait(v)`,
/// `x.is_lock_free()`, or the conversion `T(x)`.
bool onlyReads(const DeclRefExpr *Ref, ASTContext &Ctx) {
  const Expr *Child = nullptr;
  const auto *Member =
      dyn_cast_or_null<MemberExpr>(parentAboveCasts(Ref, Ctx, Child));
  if (!Member)
    return false;
  DynTypedNodeList Up = Ctx.getParents(*Member);
  const auto *Call = Up.size() == 1 ? Up[0].get<CXXMemberCallExpr>() : nullptr;
  const CXXMethodDecl *MD = Call ? Call->getMethodDecl() : nullptr;
  if (!MD)
    return false;
  if (isa<CXXConversionDecl>(MD))
    return true;
  return MD->getIdentifier() &&
         llvm::is_contained({"load", "wait", "is_lock_free"}, MD->getName());
}

/// Whether only the thread running \p FD writes the local atomic \p VD:
/// the lambdas of FD (the work it spawns) only read it, and FD does not
/// hand it to anything else (by reference or address). Then a load and a
/// store of FD cannot lose another thread's update: there is none (a
/// counter a test's main thread bumps while its workers watch it).
bool onlyThisFunctionWrites(const VarDecl *VD, const FunctionDecl *FD,
                            ASTContext &Ctx) {
  if (!VD || !FD || !FD->getBody() || !VD->isLocalVarDecl() ||
      VD->isStaticLocal() || VD->getDeclContext() != FD)
    return false;
  // The atomic object itself, not a view of shared memory (an atomic_ref, a
  // reference or a pointer to an atomic elsewhere).
  QualType T = VD->getType();
  const CXXRecordDecl *RD = T->getAsCXXRecordDecl();
  if (!T->isAtomicType() &&
      !(RD && RD->isInStdNamespace() && RD->getIdentifier() &&
        RD->getName() == "atomic"))
    return false;
  struct Uses : RecursiveASTVisitor<Uses> {
    const VarDecl *VD;
    ASTContext &Ctx;
    unsigned LambdaDepth = 0;
    bool Safe = true;
    Uses(const VarDecl *VD, ASTContext &Ctx) : VD(VD), Ctx(Ctx) {}
    bool TraverseLambdaExpr(LambdaExpr *L) {
      ++LambdaDepth;
      bool Continue = RecursiveASTVisitor::TraverseLambdaExpr(L);
      --LambdaDepth;
      return Continue;
    }
    bool VisitDeclRefExpr(DeclRefExpr *Ref) {
      if (Ref->getDecl() != VD)
        return true;
      if (LambdaDepth ? !onlyReads(Ref, Ctx) : !isMemberCallObject(Ref))
        Safe = false;
      return Safe;
    }
    // FD's own uses: any member function or operator called on it (FD may
    // write it), nothing else.
    bool isMemberCallObject(const DeclRefExpr *Ref) {
      const Expr *Child = nullptr;
      const Stmt *Parent = parentAboveCasts(Ref, Ctx, Child);
      if (isa_and_nonnull<MemberExpr>(Parent))
        return true;
      const auto *Op = dyn_cast_or_null<CXXOperatorCallExpr>(Parent);
      return Op && Op->getNumArgs() > 0 && Op->getArg(0) == Child &&
             isa_and_nonnull<CXXMethodDecl>(Op->getDirectCallee());
    }
  } V(VD, Ctx);
  V.TraverseStmt(FD->getBody());
  return V.Safe;
}

/// Whether \p Object, stored to in \p S, is a local atomic that only the
/// function declaring it writes (a store inside a lambda is not in the
/// declaring function, so it never qualifies).
bool singleWriter(const Expr *Object, const Stmt *S, ASTContext &Ctx) {
  const auto *Ref = dyn_cast<DeclRefExpr>(Object->IgnoreParenImpCasts());
  const auto *VD = Ref ? dyn_cast<VarDecl>(Ref->getDecl()) : nullptr;
  return onlyThisFunctionWrites(VD, enclosingFunction(S, Ctx), Ctx);
}

std::string nameOf(const Expr *Object, ASTContext &Ctx) {
  return LockModel::describeMutex(Object, Ctx).Name;
}

/// The variable or field \p Object names when it is a std::atomic object
/// itself (not a reference, a pointer or an atomic_ref): the identity under
/// which its writes are gathered.
const ValueDecl *atomicIdentity(const Expr *Object) {
  if (!Object)
    return nullptr;
  Object = Object->IgnoreParenImpCasts();
  const ValueDecl *D = nullptr;
  if (const auto *ME = dyn_cast<MemberExpr>(Object))
    D = ME->getMemberDecl();
  else if (const auto *DRE = dyn_cast<DeclRefExpr>(Object))
    D = DRE->getDecl();
  if (!D || (!isa<FieldDecl>(D) && !isa<VarDecl>(D)))
    return nullptr;
  QualType T = D->getType();
  const auto *RD = T->getAsCXXRecordDecl();
  if (T->isReferenceType() || !RD || !RD->isInStdNamespace() ||
      !RD->getIdentifier() || RD->getName() != "atomic")
    return nullptr;
  return cast<ValueDecl>(D->getCanonicalDecl());
}

/// The base object of a member access (null for `this` and for variables).
const Expr *memberBase(const Expr *Object) {
  const auto *ME = dyn_cast<MemberExpr>(Object->IgnoreParenImpCasts());
  if (!ME || !isa<FieldDecl>(ME->getMemberDecl()))
    return nullptr;
  const Expr *Base = ME->getBase()->IgnoreParenImpCasts();
  if (isa<CXXThisExpr>(Base))
    return nullptr;
  if (const auto *U = dyn_cast<UnaryOperator>(Base);
      U && U->getOpcode() == UO_Deref &&
      isa<CXXThisExpr>(U->getSubExpr()->IgnoreParenImpCasts()))
    return nullptr;
  return Base;
}

/// `std::atomic_compare_exchange_{weak,strong}[_explicit](&a, ...)`.
bool isFreeCompareExchange(const CallExpr *E) {
  const auto *FD = dyn_cast_or_null<FunctionDecl>(E->getCalleeDecl());
  return FD && FD->getIdentifier() && FD->isInStdNamespace() &&
         FD->getName().starts_with("atomic_compare_exchange_") &&
         E->getNumArgs() >= 3;
}

/// Whether \p S contains a compare-exchange of any atomic.
bool containsCompareExchange(const Stmt *S) {
  if (!S)
    return false;
  if (const auto *MC = dyn_cast<CXXMemberCallExpr>(S)) {
    const CXXMethodDecl *MD = MC->getMethodDecl();
    if (MD && MD->getIdentifier() &&
        MD->getName().starts_with("compare_exchange") &&
        isAtomicObject(MC->getImplicitObjectArgument()))
      return true;
  } else if (const auto *Call = dyn_cast<CallExpr>(S);
             Call && isFreeCompareExchange(Call)) {
    return true;
  }
  if (isa<LambdaExpr>(S))
    return false;
  return llvm::any_of(S->children(), [](const Stmt *C) {
    return containsCompareExchange(C);
  });
}

/// Whether \p S lies in one branch of an `if` whose other branch updates
/// atomics by compare-exchange: the function has a path for concurrent
/// callers and a path for one writer (rocksdb's MemTable::Add with and
/// without allow_concurrent), and \p S is on the latter.
bool onSerialPathBesideCompareExchange(const Stmt *S, ASTContext &Ctx) {
  const Stmt *Child = S;
  for (unsigned Depth = 0; Depth < 32; ++Depth) {
    auto Parents = Ctx.getParents(*Child);
    if (Parents.size() != 1)
      return false;
    const Stmt *P = Parents[0].get<Stmt>();
    if (!P || isa<LambdaExpr>(P))
      return false;
    if (const auto *If = dyn_cast<IfStmt>(P)) {
      if (Child == If->getThen() && containsCompareExchange(If->getElse()))
        return true;
      if (Child == If->getElse() && containsCompareExchange(If->getThen()))
        return true;
    }
    Child = P;
  }
  return false;
}

} // namespace

/// Every write of every std::atomic variable and field of the translation
/// unit: member calls other than load/wait/notify/is_lock_free and the
/// conversion, operators (=, +=, ++, ...), and any other use (the atomic
/// handed by reference or address to something else counts as a write
/// there). Writes in a constructor or destructor of the field's own object
/// are not concurrent with anything and are left out.
struct NonAtomicRmwCheck::AtomicWrites {
  struct Write {
    /// The writing expression (a call) or the use.
    const Expr *Site;
    /// The function (or lambda) it is in.
    const FunctionDecl *Fn;
    /// The object a field is written through; null for `this` or a variable.
    const Expr *Base;
    bool IsField;
    bool CompareExchange;
  };
  llvm::DenseMap<const ValueDecl *, std::vector<Write>> Of;
};

const NonAtomicRmwCheck::AtomicWrites &
NonAtomicRmwCheck::writes(ASTContext &Ctx) {
  if (Writes)
    return *Writes;
  Writes = std::make_unique<AtomicWrites>();
  struct Collector : FunctionWalker<Collector> {
    AtomicWrites &W;
    llvm::DenseSet<const Expr *> Objects;
    Collector(AtomicWrites &W, const SourceManager &SM)
        : FunctionWalker(SM), W(W) {}
    void record(const Expr *Object, const Expr *Site, bool Cas) {
      const ValueDecl *Id = atomicIdentity(Object);
      if (!Id || Stack.empty())
        return;
      const FunctionDecl *Fn = Stack.back();
      const Expr *B = memberBase(Object);
      bool IsField = isa<FieldDecl>(Id);
      // Construction and destruction of the object itself: no one else
      // can see it yet, or any more.
      if (IsField && !B &&
          (isa<CXXConstructorDecl>(Fn) || isa<CXXDestructorDecl>(Fn)))
        return;
      W.Of[Id].push_back({Site, Fn, B, IsField, Cas});
    }
    bool VisitCXXMemberCallExpr(CXXMemberCallExpr *E) {
      const Expr *Obj = E->getImplicitObjectArgument();
      const CXXMethodDecl *MD = E->getMethodDecl();
      if (!Obj || !MD || !atomicIdentity(Obj))
        return true;
      Objects.insert(Obj->IgnoreParenImpCasts());
      if (isa<CXXConversionDecl>(MD))
        return true;
      llvm::StringRef N = MD->getIdentifier() ? MD->getName() : "";
      if (llvm::is_contained({"load", "wait", "notify_one", "notify_all",
                              "is_lock_free"},
                             N))
        return true;
      record(Obj, E, N.starts_with("compare_exchange"));
      return true;
    }
    bool VisitCXXOperatorCallExpr(CXXOperatorCallExpr *E) {
      if (E->getNumArgs() == 0 ||
          !isa_and_nonnull<CXXMethodDecl>(E->getDirectCallee()) ||
          !atomicIdentity(E->getArg(0)))
        return true;
      Objects.insert(E->getArg(0)->IgnoreParenImpCasts());
      record(E->getArg(0), E, false);
      return true;
    }
    // `std::atomic_compare_exchange_*(&a, ...)`: a compare-exchange too.
    bool VisitCallExpr(CallExpr *E) {
      if (isa<CXXMemberCallExpr>(E) || isa<CXXOperatorCallExpr>(E) ||
          !isFreeCompareExchange(E))
        return true;
      const auto *Addr =
          dyn_cast<UnaryOperator>(E->getArg(0)->IgnoreParenImpCasts());
      if (!Addr || Addr->getOpcode() != UO_AddrOf ||
          !atomicIdentity(Addr->getSubExpr()))
        return true;
      Objects.insert(Addr->getSubExpr()->IgnoreParenImpCasts());
      record(Addr->getSubExpr(), E, true);
      return true;
    }
    // Any other use: handed to something that may write it.
    bool VisitDeclRefExpr(DeclRefExpr *E) {
      if (!Objects.count(E))
        record(E, E, false);
      return true;
    }
    bool VisitMemberExpr(MemberExpr *E) {
      if (!Objects.count(E))
        record(E, E, false);
      return true;
    }
  } C(*Writes, Ctx.getSourceManager());
  C.TraverseDecl(Ctx.getTranslationUnitDecl());
  return *Writes;
}

// The guard model's entry locks: one call index and one lock model per
// function for every check of the translation unit.
EntryLocks &NonAtomicRmwCheck::entryLocks(ASTContext &Ctx) {
  return ConcurrencyModel::get(Ctx, ModelOpts, Model).guards().entryLocks();
}

bool NonAtomicRmwCheck::writesShareALock(const Expr *Object, ASTContext &Ctx) {
  const ValueDecl *Id = atomicIdentity(Object);
  if (!Id)
    return false;
  if (auto It = SharedLock.find(Id); It != SharedLock.end())
    return It->second;
  bool &Result = SharedLock[Id];
  Result = false;
  const AtomicWrites &W = writes(Ctx);
  auto It = W.Of.find(Id);
  if (It == W.Of.end() || It->second.empty() || It->second.size() > 64)
    return false;
  EntryLocks &Locks = entryLocks(Ctx);
  std::optional<std::vector<std::string>> Common;
  for (const AtomicWrites::Write &Wr : It->second) {
    // The locks held at the write, named as for the atomic's own object:
    // through another object `o`, `o.mu_` is its `mu_`, and the writing
    // function's own members say nothing; for a variable, only locks that
    // are not members of the writing function's object count.
    std::string Prefix =
        Wr.Base ? LockModel::describeMutex(Wr.Base, Ctx).Key + "." : "";
    std::vector<std::string> Keys;
    for (const HeldLock &L : Locks.heldAt(Wr.Site, Wr.Fn)) {
      llvm::StringRef K = L.Key;
      if ((!Prefix.empty() && K.consume_front(Prefix)) ||
          !K.starts_with("f") || (Wr.IsField && !Wr.Base))
        Keys.push_back(K.str());
    }
    if (!Common)
      Common = std::move(Keys);
    else
      llvm::erase_if(*Common, [&](const std::string &K) {
        return !llvm::is_contained(Keys, K);
      });
    if (Common->empty())
      return false;
  }
  Result = Common && !Common->empty();
  return Result;
}

bool NonAtomicRmwCheck::updatedByCompareExchange(const Expr *Object,
                                                 ASTContext &Ctx) {
  const ValueDecl *Id = atomicIdentity(Object);
  if (!Id)
    return false;
  const AtomicWrites &W = writes(Ctx);
  auto It = W.Of.find(Id);
  return It != W.Of.end() &&
         llvm::any_of(It->second, [](const AtomicWrites::Write &Wr) {
           return Wr.CompareExchange;
         });
}

// A transition the author wrote plainly on purpose: the state is changed
// by compare-exchange elsewhere in the translation unit (the contending
// writers, such as rocksdb's lock stealing on a transaction's state, use it;
// the owner's own transitions do not), or this store is on the one-writer
// branch of an `if` whose other branch uses compare-exchange. A split
// arithmetic update beside a compare-exchange loop is still reported unless
// its store names an order (checkStore): a counter's CAS loop says nothing
// of one writer.
// Every write of the member atomic in the translation unit is made by the
// one thread its object runs (ConcurrencyModel::soleThreadOf): a worker's
// own progress counter that getters only read. One writer: a split update
// loses nothing.
bool NonAtomicRmwCheck::writtenByOneThread(const Expr *Object,
                                           ASTContext &Ctx) {
  const auto *Field = dyn_cast_or_null<FieldDecl>(atomicIdentity(Object));
  if (!Field)
    return false;
  const AtomicWrites &All = writes(Ctx);
  auto It = All.Of.find(Field);
  if (It == All.Of.end() || It->second.empty())
    return false;
  ConcurrencyModel &M = ConcurrencyModel::get(Ctx, ModelOpts, Model);
  const auto *Owner = cast<CXXRecordDecl>(Field->getParent()->getCanonicalDecl());
  std::optional<unsigned> Thread;
  for (const AtomicWrites::Write &W : It->second) {
    // Through `this` in a method of the field's class, on its one thread.
    if (W.Base || classOfFunction(W.Fn) != Owner)
      return false;
    std::optional<unsigned> T = M.soleThreadOf(W.Fn);
    if (!T || (Thread && *T != *Thread))
      return false;
    const CXXRecordDecl *RunsOn = M.spawns()[*T].Class;
    if (!RunsOn || RunsOn->getCanonicalDecl() != Owner)
      return false;
    Thread = T;
  }
  return true;
}

bool NonAtomicRmwCheck::oneWriterPath(const Expr *Object, const Stmt *S,
                                      ASTContext &Ctx) {
  return updatedByCompareExchange(Object, Ctx) ||
         onSerialPathBesideCompareExchange(S, Ctx);
}

NonAtomicRmwCheck::NonAtomicRmwCheck(StringRef Name, ClangTidyContext *Context)
    : ClangTidyCheck(Name, Context),
      IgnoreExplicitOrders(Options.get("IgnoreExplicitOrders", true)),
      ModelOpts(ModelOptions::read(Options)), LockOptions(ModelOpts.Locks) {}

NonAtomicRmwCheck::~NonAtomicRmwCheck() = default;

void NonAtomicRmwCheck::onEndOfTranslationUnit() {
  Reported.clear();
  SharedLock.clear();
  Writes.reset();
  Model.reset();
}

void NonAtomicRmwCheck::storeOptions(ClangTidyOptions::OptionMap &Opts) {
  Options.store(Opts, "IgnoreExplicitOrders", IgnoreExplicitOrders);
  ModelOpts.store(Options, Opts);
}

void NonAtomicRmwCheck::registerMatchers(MatchFinder *Finder) {
  Finder->addMatcher(
      cxxOperatorCallExpr(hasOverloadedOperatorName("="),
                          unless(isExpansionInSystemHeader()))
          .bind("store"),
      this);
  Finder->addMatcher(cxxMemberCallExpr(callee(cxxMethodDecl(hasName("store"))),
                                       unless(isExpansionInSystemHeader()))
                         .bind("store"),
                     this);
  Finder->addMatcher(ifStmt(unless(isExpansionInSystemHeader())).bind("if"),
                     this);
}

void NonAtomicRmwCheck::check(const MatchFinder::MatchResult &Result) {
  ASTContext &Ctx = *Result.Context;
  if (const auto *Store = Result.Nodes.getNodeAs<Expr>("store"))
    checkStore(Store, Ctx);
  else if (const auto *If = Result.Nodes.getNodeAs<IfStmt>("if"))
    checkClaim(If, Ctx);
}

bool NonAtomicRmwCheck::lockHeldAt(const Stmt *S, ASTContext &Ctx) {
  const FunctionDecl *FD = enclosingFunction(S, Ctx);
  if (!FD || !FD->getBody())
    return false;
  if (!LockModel::mayLock(FD->getBody(), LockOptions))
    return false;
  const LockModel *Locks = entryLocks(Ctx).modelOf(FD);
  const LockSet *Held = Locks ? Locks->heldAt(S) : nullptr;
  // Unknown counts as held: do not warn on what cannot be judged.
  return !Held || !Held->empty();
}

// After the function waited for all the work it spawned, it is alone with
// its atomics (a test checking its results after pool.wait()): the
// concurrency model's answer, on the function's CFG. Or the function runs
// once at a time (it spawns work, like the case above, or it is the one
// thread of its work) and the model orders every other write of the atomic
// with this update: made by work before it handed off to this function
// (a notify, a semaphore release, a release store this function spins
// on), or under a lock held here too.
bool NonAtomicRmwCheck::sequentialAt(const Expr *Object, const Stmt *S,
                                     ASTContext &Ctx) {
  ConcurrencyModel &M = ConcurrencyModel::get(Ctx, ModelOpts, Model);
  if (M.afterAllWorkWaited(S))
    return true;
  const ValueDecl *Id = atomicIdentity(Object);
  const FunctionDecl *FD = enclosingFunction(S, Ctx);
  if (!Id || !FD)
    return false;
  const AtomicWrites &All = writes(Ctx);
  auto It = All.Of.find(Id);
  if (It == All.Of.end() || It->second.size() > 32)
    return false;
  if (M.spawnsIn(FD).empty() && !M.soleThreadOf(FD))
    return false;
  unsigned Others = 0;
  for (const AtomicWrites::Write &W : It->second) {
    if (W.Fn == FD) // this function's own writes: one after the other
      continue;
    ++Others;
    if (M.order(S, W.Site, FD, W.Fn) != ConcurrencyModel::Order::Ordered)
      return false;
  }
  return Others > 0;
}

void NonAtomicRmwCheck::checkStore(const Expr *E, ASTContext &Ctx) {
  std::optional<AtomicStore> Store = storeOf(E);
  if (!Store || hasErrors(E) ||
      inForeignMacro(E->getBeginLoc(), Ctx.getSourceManager()))
    return;
  const std::string Key = keyOf(Store->Object, Ctx);
  ReadFinder Finder(Ctx, Key);
  Finder.TraverseStmt(const_cast<Expr *>(Store->Value));
  if (!Finder.Found)
    return;
  const AtomicRead Read = *Finder.Found;
  // `a.store(a.load(relaxed) + 1, relaxed)`: explicit orders on both sides
  // are the single-writer idiom (only one thread stores), written on purpose.
  if (IgnoreExplicitOrders && Read.ExplicitOrder && Store->ExplicitOrder)
    return;
  // Under a lock every writer may take: not a race of the atomic's own.
  // Every write under one lock (taken there, or held by the callers): the
  // writes are serialised. One writer, by construction: see oneWriterPath.
  if (lockHeldAt(E, Ctx) || sequentialAt(Store->Object, E, Ctx) ||
      singleWriter(Store->Object, E, Ctx) ||
      writesShareALock(Store->Object, Ctx) ||
      writtenByOneThread(Store->Object, Ctx) ||
      onSerialPathBesideCompareExchange(E, Ctx) ||
      (Store->ExplicitOrder && updatedByCompareExchange(Store->Object, Ctx)))
    return;
  const SourceManager &SM = Ctx.getSourceManager();
  if (!Reported.insert(SM.getExpansionLoc(E->getBeginLoc()).getRawEncoding())
           .second)
    return;

  const std::string Name = nameOf(Store->Object, Ctx);
  { // The warning is emitted when D goes out of scope, before its note.
  auto D = diag(E->getBeginLoc(),
                "read-modify-write of atomic '%0' is split into a load and a "
                "separate store: an update another thread makes in between is "
                "lost")
           << Name;

  // The fix-it, for `a op x` or `x op a` (op commutative) on a type that has
  // the compound operation, with the default (seq_cst) order on both sides.
  const auto *Bin = dyn_cast<BinaryOperator>(Store->Value->IgnoreParenImpCasts());
  QualType T = atomicValueType(Store->Object->getType());
  if (Bin && !T.isNull() && !Read.ExplicitOrder && !Store->ExplicitOrder) {
    const Expr *Other = nullptr;
    std::optional<AtomicRead> L = readOf(Bin->getLHS());
    std::optional<AtomicRead> R = readOf(Bin->getRHS());
    if (L && keyOf(L->Object, Ctx) == Key)
      Other = Bin->getRHS();
    else if (R && keyOf(R->Object, Ctx) == Key && isCommutative(Bin->getOpcode()))
      Other = Bin->getLHS();
    llvm::StringRef Op =
        compoundFor(Bin->getOpcode(), T, Store->IsStoreCall, Ctx.getLangOpts());
    std::optional<std::string> ObjectText =
        sourceText(Store->Object->getSourceRange(), Ctx);
    std::optional<std::string> OtherText =
        Other ? sourceText(Other->getSourceRange(), Ctx) : std::nullopt;
    if (Other && !Op.empty() && ObjectText && OtherText &&
        !E->getBeginLoc().isMacroID() && !E->getEndLoc().isMacroID()) {
      // For `x op a` the read must be all of the other side.
      std::string Replacement =
          Store->IsStoreCall
              ? *ObjectText + (isa<MemberExpr>(
                                   cast<CXXMemberCallExpr>(E)->getCallee()) &&
                                       cast<MemberExpr>(
                                           cast<CXXMemberCallExpr>(E)->getCallee())
                                           ->isArrow()
                                   ? "->"
                                   : ".") +
                    Op.str() + "(" + *OtherText + ")"
              : *ObjectText + " " + Op.str() + " " + *OtherText;
      D << FixItHint::CreateReplacement(E->getSourceRange(), Replacement);
    }
  }
  }
  diag(Read.Call->getExprLoc(), "'%0' is read here, separately",
       DiagnosticIDs::Note)
      << Name;
}

void NonAtomicRmwCheck::checkClaim(const IfStmt *If, ASTContext &Ctx) {
  if (If->getInit() || If->getConditionVariable() || If->isConstexpr() ||
      !If->getThen() || hasErrors(If) ||
      inForeignMacro(If->getBeginLoc(), Ctx.getSourceManager()))
    return;
  // The condition: the atomic read alone, negated, or compared with
  // something that does not read it again.
  const Expr *Cond = If->getCond()->IgnoreParenImpCasts();
  std::optional<AtomicRead> Read;
  bool ExactNotClaim = false; // `!a` / `a == false`
  if (const auto *U = dyn_cast<UnaryOperator>(Cond);
      U && U->getOpcode() == UO_LNot) {
    Read = readOf(U->getSubExpr());
    ExactNotClaim = Read.has_value();
  } else if (const auto *Op = dyn_cast<CXXOperatorCallExpr>(Cond)) {
    (void)Op; // comparisons of atomics go through operator T(): builtin
  } else if (const auto *Bin = dyn_cast<BinaryOperator>(Cond);
             Bin && Bin->isEqualityOp()) {
    const Expr *Other = nullptr;
    Read = readOf(Bin->getLHS());
    if (Read) {
      Other = Bin->getRHS();
    } else {
      Read = readOf(Bin->getRHS());
      if (Read)
        Other = Bin->getLHS();
    }
    if (Read && Bin->getOpcode() == BO_EQ)
      if (const auto *B = dyn_cast<CXXBoolLiteralExpr>(Other->IgnoreParenImpCasts());
          B && !B->getValue())
        ExactNotClaim = true;
    if (Read && Bin->getOpcode() == BO_NE)
      Read.reset(); // `if (a != v) a = v` is idempotent, not a claim
  }
  if (!Read)
    return;
  const std::string Key = keyOf(Read->Object, Ctx);

  // The store: the first statement of the then-branch (or the branch).
  const Stmt *Then = If->getThen();
  const Stmt *First = Then;
  if (const auto *C = dyn_cast<CompoundStmt>(Then))
    First = C->body_empty() ? nullptr : C->body_front();
  const auto *StoreExpr = dyn_cast_or_null<Expr>(First);
  std::optional<AtomicStore> Store = storeOf(StoreExpr);
  if (!Store || keyOf(Store->Object, Ctx) != Key)
    return;
  if (IgnoreExplicitOrders && Read->ExplicitOrder && Store->ExplicitOrder)
    return;
  // A check and a store both under a lock (double-checked locking's inner
  // test) are atomic with respect to every writer that takes the lock.
  if (lockHeldAt(StoreExpr, Ctx) ||
      sequentialAt(Store->Object, StoreExpr, Ctx) ||
      singleWriter(Store->Object, StoreExpr, Ctx) ||
      writesShareALock(Store->Object, Ctx) ||
      writtenByOneThread(Store->Object, Ctx) ||
      oneWriterPath(Store->Object, StoreExpr, Ctx))
    return;
  const SourceManager &SM = Ctx.getSourceManager();
  if (!Reported.insert(SM.getExpansionLoc(If->getBeginLoc()).getRawEncoding())
           .second)
    return;

  const std::string Name = nameOf(Read->Object, Ctx);
  { // The warning is emitted when D goes out of scope, before its note.
  auto D = diag(If->getCond()->getBeginLoc(),
                "check-then-act on atomic '%0': another thread can change it "
                "between this check and the store; use exchange() or "
                "compare_exchange_strong()")
           << Name;
  // `if (!a) { a = true; ... }` on std::atomic<bool> → `if (!a.exchange(true))`.
  const auto *Value =
      dyn_cast<CXXBoolLiteralExpr>(Store->Value->IgnoreParenImpCasts());
  QualType T = atomicValueType(Read->Object->getType());
  std::optional<std::string> ObjectText =
      sourceText(Read->Object->getSourceRange(), Ctx);
  if (ExactNotClaim && Value && Value->getValue() && !T.isNull() &&
      T->isBooleanType() && isa<CompoundStmt>(Then) && ObjectText &&
      !Read->ExplicitOrder && !Store->ExplicitOrder &&
      !If->getCond()->getBeginLoc().isMacroID() &&
      !If->getCond()->getEndLoc().isMacroID() &&
      !StoreExpr->getBeginLoc().isMacroID()) {
    std::optional<Token> Semi = Lexer::findNextToken(
        StoreExpr->getEndLoc(), SM, Ctx.getLangOpts());
    if (Semi && Semi->is(tok::semi)) {
      bool Arrow = false;
      if (const auto *MC = dyn_cast<CXXMemberCallExpr>(
              Read->Call->IgnoreParenImpCasts()))
        if (const auto *ME = dyn_cast<MemberExpr>(MC->getCallee()))
          Arrow = ME->isArrow() && !isa<CXXConversionDecl>(MC->getMethodDecl());
      D << FixItHint::CreateReplacement(
               If->getCond()->getSourceRange(),
               "!" + *ObjectText + (Arrow ? "->" : ".") + "exchange(true)")
        << FixItHint::CreateRemoval(CharSourceRange::getCharRange(
               StoreExpr->getBeginLoc(), Semi->getEndLoc()));
    }
  }
  }
  diag(StoreExpr->getBeginLoc(), "'%0' is stored here", DiagnosticIDs::Note)
      << Name;
}

} // namespace clang::tidy::threadlint
