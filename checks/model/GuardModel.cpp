//===--- GuardModel.cpp - which mutex guards which field ------------------===//
#include "model/GuardModel.h"
#include "model/AstHelpers.h"
#include "model/ConcurrencyModel.h"
#include "model/FunctionWalker.h"
#include "clang/AST/Attr.h"
#include "clang/AST/ExprCXX.h"
#include "clang/AST/ParentMapContext.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringSet.h"

namespace clang::tidy::threadlint {

namespace {

/// What a standard type's plain use is, for access classification.
enum class StdKind { None, Plain, Map };

StdKind stdKindOf(QualType T) {
  T = T.getNonReferenceType();
  const auto *RD = T->getAsCXXRecordDecl();
  if (!RD || !RD->isInStdNamespace() || !RD->getIdentifier())
    return StdKind::None;
  static const llvm::StringSet<> Plain = {
      "vector",       "deque",         "list",          "forward_list",
      "set",          "multiset",      "unordered_set", "unordered_multiset",
      "multimap",     "unordered_multimap", "basic_string", "optional",
      "variant",      "unique_ptr",    "shared_ptr",    "weak_ptr",
      "function",     "pair",          "tuple",         "bitset",
      "array",        "queue",         "stack",         "priority_queue",
      "any"};
  llvm::StringRef Name = RD->getName();
  if (Name == "map" || Name == "unordered_map")
    return StdKind::Map;
  return Plain.count(Name) ? StdKind::Plain : StdKind::None;
}

/// Methods of the standard types above that change the object.
bool isMutatingName(llvm::StringRef N) {
  static const llvm::StringSet<> Names = {
      "push_back", "push_front", "pop_back",  "pop_front", "emplace",
      "emplace_back", "emplace_front", "emplace_hint", "insert",
      "insert_or_assign", "try_emplace", "erase", "clear", "resize",
      "reserve", "shrink_to_fit", "swap", "assign", "append", "push",
      "pop", "reset", "release", "merge", "splice", "remove", "remove_if",
      "unique", "sort", "reverse", "replace", "extract", "rehash",
      "set", "flip", "value_or_assign", "operator=", "operator+=",
      "emplace_value"};
  return Names.count(N) != 0;
}

/// A record type whose assignment is the compiler's (an aggregate of
/// plain members), or a standard type above.
bool plainAssignable(QualType T) {
  if (stdKindOf(T) != StdKind::None)
    return true;
  const auto *RD = T.getNonReferenceType()->getAsCXXRecordDecl();
  if (!RD || !RD->hasDefinition())
    return false;
  return !RD->hasUserDeclaredCopyAssignment() &&
         !RD->hasUserDeclaredMoveAssignment() && RD->isAggregate() &&
         !RD->isInStdNamespace();
}

enum class Use { None, Read, Write };

/// The parent of \p S (the first, for template patterns shared by
/// instances: patterns are what is walked).
DynTypedNode parentOf(const DynTypedNode &N, ASTContext &Ctx) {
  auto Parents = Ctx.getParents(N);
  return Parents.empty() ? DynTypedNode() : Parents[0];
}

bool isStdFunction(const FunctionDecl *FD, llvm::StringRef Name) {
  return FD && FD->isInStdNamespace() && FD->getIdentifier() &&
         FD->getName() == Name;
}

/// How the value of \p E (a field through `this` or a global) is used,
/// and the outermost expression that uses it.
std::pair<Use, const Stmt *> classify(const Expr *E, ASTContext &Ctx) {
  const Expr *Cur = E;
  // Whether \p X is the expression walked so far, parentheses aside:
  // `(x) = v` in a macro body writes x.
  auto IsCur = [&Cur](const Expr *X) {
    return X->IgnoreParens() == Cur->IgnoreParens();
  };
  DynTypedNode Node = DynTypedNode::create(*E);
  for (int Depth = 0; Depth < 16; ++Depth) {
    DynTypedNode PN = parentOf(Node, Ctx);
    if (const auto *VD = PN.get<VarDecl>()) {
      // `for (auto &x : items_)`: the range is read (begin/end).
      if (VD->isImplicit() && VD->getName().starts_with("__range"))
        return {Use::Read, Cur};
      return {Use::None, nullptr};
    }
    const auto *P = PN.get<Stmt>();
    if (!P)
      return {Use::None, nullptr};
    if (isa<ParenExpr>(P)) {
      Cur = cast<Expr>(P);
      Node = PN;
      continue;
    }
    if (const auto *IC = dyn_cast<ImplicitCastExpr>(P)) {
      switch (IC->getCastKind()) {
      case CK_LValueToRValue:
        return {Use::Read, IC};
      case CK_NoOp:
      case CK_DerivedToBase:
      case CK_UncheckedDerivedToBase:
      case CK_ArrayToPointerDecay:
        Cur = IC;
        Node = PN;
        continue;
      default:
        return {Use::None, nullptr};
      }
    }
    if (const auto *ME = dyn_cast<MemberExpr>(P)) {
      if (ME->isArrow())
        return {Use::None, nullptr};
      if (isa<FieldDecl>(ME->getMemberDecl())) {
        Cur = ME;
        Node = PN;
        continue;
      }
      const auto *MD = dyn_cast<CXXMethodDecl>(ME->getMemberDecl());
      const auto *Call =
          parentOf(PN, Ctx).get<CXXMemberCallExpr>();
      if (!MD || !Call || Call->getCallee()->IgnoreParens() != ME)
        return {Use::None, nullptr};
      const StdKind K = stdKindOf(Cur->getType());
      if (K == StdKind::None)
        return {Use::None, nullptr};
      if (MD->isConst())
        return {Use::Read, Call};
      if (MD->getIdentifier() && isMutatingName(MD->getName()))
        return {Use::Write, Call};
      return {Use::Read, Call};
    }
    if (const auto *AS = dyn_cast<ArraySubscriptExpr>(P)) {
      if (AS->getBase()->IgnoreParenImpCasts() != Cur->IgnoreParenImpCasts() &&
          AS->getBase() != Cur)
        return {Use::None, nullptr};
      Cur = AS;
      Node = PN;
      continue;
    }
    if (const auto *B = dyn_cast<BinaryOperator>(P)) {
      if (B->isAssignmentOp() && IsCur(B->getLHS()))
        return {Use::Write, B};
      return {Use::None, nullptr};
    }
    if (const auto *U = dyn_cast<UnaryOperator>(P)) {
      if (U->isIncrementDecrementOp())
        return {Use::Write, U};
      return {Use::None, nullptr};
    }
    if (const auto *Op = dyn_cast<CXXOperatorCallExpr>(P)) {
      if (Op->getNumArgs() == 0 || !IsCur(Op->getArg(0)))
        return {Use::None, nullptr};
      const StdKind K = stdKindOf(Cur->getType());
      if (Op->isAssignmentOp())
        return plainAssignable(Cur->getType())
                   ? std::make_pair(Use::Write, static_cast<const Stmt *>(Op))
                   : std::make_pair(Use::None, nullptr);
      if (K == StdKind::None)
        return {Use::None, nullptr};
      if (Op->getOperator() == OO_Subscript) {
        if (K == StdKind::Map)
          return {Use::Write, Op};
        // An element of a vector, deque or array: what is done with it.
        Cur = Op;
        Node = PN;
        continue;
      }
      if (Op->getOperator() == OO_PlusPlus ||
          Op->getOperator() == OO_MinusMinus)
        return {Use::Write, Op};
      return {Use::Read, Op};
    }
    if (const auto *CE = dyn_cast<CXXConstructExpr>(P)) {
      const CXXConstructorDecl *Ctor = CE->getConstructor();
      if (Ctor && Ctor->isCopyConstructor() &&
          (stdKindOf(Cur->getType()) != StdKind::None ||
           plainAssignable(Cur->getType())))
        return {Use::Read, CE};
      return {Use::None, nullptr};
    }
    if (const auto *Call = dyn_cast<CallExpr>(P)) {
      const FunctionDecl *FD = Call->getDirectCallee();
      if (isStdFunction(FD, "move") || isStdFunction(FD, "swap") ||
          isStdFunction(FD, "exchange"))
        return stdKindOf(Cur->getType()) != StdKind::None ||
                       Cur->getType()->isScalarType()
                   ? std::make_pair(Use::Write, static_cast<const Stmt *>(Call))
                   : std::make_pair(Use::None, nullptr);
      // Bound to a const reference parameter of a call.
      if (FD)
        for (unsigned I = 0; I < Call->getNumArgs() && I < FD->getNumParams();
             ++I)
          if (IsCur(Call->getArg(I))) {
            QualType PT = FD->getParamDecl(I)->getType();
            if (PT->isReferenceType() &&
                PT.getNonReferenceType().isConstQualified() &&
                (Cur->getType()->isScalarType() ||
                 stdKindOf(Cur->getType()) != StdKind::None))
              return {Use::Read, Call};
          }
      return {Use::None, nullptr};
    }
    return {Use::None, nullptr};
  }
  return {Use::None, nullptr};
}

/// Whether accesses of a field of this type can race in the plain sense.
bool eligibleField(const FieldDecl *F) {
  QualType T = F->getType();
  if (T->isReferenceType() || T.isConstQualified() ||
      T.isVolatileQualified())
    return false;
  return true;
}

bool eligibleGlobal(const VarDecl *VD, const SourceManager &SM) {
  if (!VD->hasGlobalStorage() || VD->isStaticLocal() ||
      VD->getTLSKind() != VarDecl::TLS_None || VD->isConstexpr())
    return false;
  QualType T = VD->getType();
  if (T->isReferenceType() || T.isConstQualified() ||
      T.isVolatileQualified())
    return false;
  return !SM.isInSystemHeader(VD->getLocation());
}

bool isThisBase(const Expr *E) {
  return isa_and_nonnull<CXXThisExpr>(E ? E->IgnoreParenImpCasts() : nullptr);
}

class Collector : public FunctionWalker<Collector> {
public:
  Collector(ASTContext &Ctx,
            llvm::DenseMap<const ValueDecl *, std::vector<GuardedAccess>> &Out,
            std::vector<const ValueDecl *> &Order)
      : FunctionWalker(Ctx.getSourceManager()), Ctx(Ctx), Out(Out),
        Order(Order) {}

  bool shouldVisitTemplateInstantiations() const { return false; }

  // NOLINTNEXTLINE(readability-identifier-naming)
  bool TraverseLambdaExpr(LambdaExpr *L) {
    Lambdas[L->getCallOperator()] = {L, Stack.empty() ? nullptr : Stack.back()};
    return FunctionWalker::TraverseLambdaExpr(L);
  }

  /// Per lambda call operator: its expression and the function it is in.
  llvm::DenseMap<const FunctionDecl *,
                 std::pair<const LambdaExpr *, const FunctionDecl *>>
      Lambdas;

  // NOLINTNEXTLINE(readability-identifier-naming)
  bool VisitMemberExpr(MemberExpr *E) {
    if (Stack.empty())
      return true;
    if (const auto *F = dyn_cast<FieldDecl>(E->getMemberDecl())) {
      if (!isThisBase(E->getBase()) || !eligibleField(F))
        return true;
      add(E, F->getCanonicalDecl());
      return true;
    }
    if (const auto *VD = dyn_cast<VarDecl>(E->getMemberDecl()))
      if (eligibleGlobal(VD, SM))
        add(E, VD->getCanonicalDecl());
    return true;
  }
  // NOLINTNEXTLINE(readability-identifier-naming)
  bool VisitDeclRefExpr(DeclRefExpr *E) {
    if (Stack.empty())
      return true;
    if (const auto *VD = dyn_cast<VarDecl>(E->getDecl()))
      if (eligibleGlobal(VD, SM))
        add(E, VD->getCanonicalDecl());
    return true;
  }

private:
  bool usable(const FunctionDecl *FD) {
    auto [It, New] = Usable.try_emplace(FD, true);
    if (New) {
      It->second = FD->getBody() && !hasErrors(FD->getBody()) &&
                   !FD->isTemplateInstantiation() &&
                   !SM.isInSystemHeader(FD->getLocation());
    }
    return It->second;
  }
  void add(const Expr *E, const ValueDecl *Target) {
    const FunctionDecl *FD = Stack.back();
    if (!usable(FD) || E->getBeginLoc().isInvalid() ||
        SM.isInSystemHeader(SM.getFileLoc(E->getBeginLoc())))
      return;
    auto [U, At] = classify(E, Ctx);
    if (U == Use::None)
      return;
    auto &List = Out[Target];
    if (List.empty())
      Order.push_back(Target);
    GuardedAccess A;
    A.E = E;
    A.At = At;
    A.In = FD;
    A.Target = Target;
    A.Write = U == Use::Write;
    List.push_back(std::move(A));
  }

  ASTContext &Ctx;
  llvm::DenseMap<const ValueDecl *, std::vector<GuardedAccess>> &Out;
  std::vector<const ValueDecl *> &Order;
  llvm::DenseMap<const FunctionDecl *, bool> Usable;
};

/// The function's name says it runs with the lock already held, or does
/// the locking's work for a caller that holds it: `FlushUnlocked`,
/// `size_locked`, `AddNoLock`, `resetWithLockHeld`.
bool namedForHeldLock(const FunctionDecl *FD) {
  if (!FD->getIdentifier())
    return false;
  std::string N = FD->getName().lower();
  for (llvm::StringRef Suffix :
       {"locked", "nolock", "no_lock", "withlock", "with_lock", "lockheld",
        "lock_held", "withmutex", "mutexheld", "mutex_held", "_lk", "_l"})
    if (llvm::StringRef(N).ends_with(Suffix))
      return true;
  return llvm::StringRef(N).contains("locked_") ||
         llvm::StringRef(N).contains("unlocked");
}

/// The comment just above a declaration says the caller holds a lock:
/// `// REQUIRES: mutex_ held`, `// Must be called with mu_ locked`,
/// `// Caller must hold lock_`.
bool commentSaysLockHeld(const FunctionDecl *FD, const SourceManager &SM) {
  for (const FunctionDecl *R : FD->redecls()) {
    SourceLocation Loc = SM.getFileLoc(R->getBeginLoc());
    if (Loc.isInvalid())
      continue;
    auto [File, Offset] = SM.getDecomposedLoc(Loc);
    bool Invalid = false;
    llvm::StringRef Buf = SM.getBufferData(File, &Invalid);
    if (Invalid || Offset > Buf.size())
      continue;
    llvm::StringRef Before = Buf.substr(0, Offset);
    // Drop the start of the declaration's own line.
    size_t LineStart = Before.rfind('\n');
    Before = LineStart == llvm::StringRef::npos ? "" : Before.substr(0, LineStart);
    std::string Comment;
    for (int Lines = 0; Lines < 10 && !Before.empty(); ++Lines) {
      size_t NL = Before.rfind('\n');
      llvm::StringRef Line =
          NL == llvm::StringRef::npos ? Before : Before.substr(NL + 1);
      llvm::StringRef T = Line.trim();
      if (!(T.starts_with("//") || T.starts_with("/*") || T.starts_with("*")))
        break;
      Comment += T.lower();
      Comment += ' ';
      Before = NL == llvm::StringRef::npos ? "" : Before.substr(0, NL);
    }
    llvm::StringRef C(Comment);
    const bool NamesLock = C.contains("lock") || C.contains("mutex") ||
                           C.contains("mu_") || C.contains("held");
    if (NamesLock &&
        (C.contains("requires") || C.contains("must hold") ||
         C.contains("must be held") || C.contains("must be called with") ||
         C.contains("must be locked") || C.contains("caller must") ||
         C.contains("caller holds") || C.contains("callers hold") ||
         C.contains("lock held") || C.contains("lock is held") ||
         C.contains("mutex held") || C.contains("mutex is held") ||
         C.contains("locked by the caller") || C.contains("with the lock") ||
         C.contains("under the lock") || C.contains("under lock") ||
         C.contains("assumes") || C.contains("expects")))
      return true;
  }
  return false;
}

/// A mutex that is a local variable (not a parameter) of some function:
/// a new one every call, guarding nothing shared.
bool isLocalMutex(const HeldLock &L) {
  const Expr *O = L.Object ? L.Object->IgnoreParenImpCasts() : nullptr;
  while (const auto *U = dyn_cast_or_null<UnaryOperator>(O))
    O = U->getSubExpr()->IgnoreParenImpCasts();
  const auto *DRE = dyn_cast_or_null<DeclRefExpr>(O);
  const auto *VD = DRE ? dyn_cast<VarDecl>(DRE->getDecl()) : nullptr;
  return VD && VD->isLocalVarDecl() && !VD->isStaticLocal() &&
         !VD->getType()->isReferenceType() &&
         !VD->getType()->isPointerType();
}

bool isOwnMutex(const HeldLock &L) {
  llvm::StringRef K(L.Key);
  return K.starts_with("f") && !K.contains('.');
}

/// The wait call (`cv.wait(lock, pred)`, wait_for, wait_until) that is
/// handed the lambda \p L as its predicate, or null.
const CallExpr *waitGivenPredicate(const LambdaExpr *L, ASTContext &Ctx) {
  DynTypedNode Node = DynTypedNode::create(*L);
  for (int Depth = 0; Depth < 6; ++Depth) {
    auto Parents = Ctx.getParents(Node);
    if (Parents.size() != 1)
      return nullptr;
    const auto *P = Parents[0].get<Stmt>();
    if (!P)
      return nullptr;
    if (const auto *Call = dyn_cast<CXXMemberCallExpr>(P)) {
      const CXXMethodDecl *MD = Call->getMethodDecl();
      if (!MD || !MD->getIdentifier() || Call->getNumArgs() < 2 ||
          !llvm::is_contained({"wait", "wait_for", "wait_until"},
                              MD->getName()))
        return nullptr;
      const Expr *Last = Call->getArg(Call->getNumArgs() - 1);
      return Last->IgnoreImplicit() == L ||
                     Last->IgnoreImplicit()->IgnoreParenImpCasts() == L ||
                     Node.get<Stmt>() == Last
                 ? Call
                 : nullptr;
    }
    if (!isa<MaterializeTemporaryExpr>(P) && !isa<CXXBindTemporaryExpr>(P) &&
        !isa<ImplicitCastExpr>(P) && !isa<CXXConstructExpr>(P) &&
        !isa<ParenExpr>(P) && !isa<CXXFunctionalCastExpr>(P))
      return nullptr;
    Node = Parents[0];
  }
  return nullptr;
}

/// A mutex the object was handed (a reference or pointer member: `mu_`,
/// `*mu_`): its owner's, which callers may hold around every call.
/// The member of \p RD (or of a base) whose lock-model key is \p Key.
const FieldDecl *memberByKey(llvm::StringRef Key, const CXXRecordDecl *RD,
                             int Depth = 0) {
  if (!RD || !RD->hasDefinition() || Depth > 4)
    return nullptr;
  RD = RD->getDefinition();
  for (const FieldDecl *F : RD->fields())
    if (Key == "f" + std::to_string(reinterpret_cast<uintptr_t>(
                         F->getCanonicalDecl())))
      return F;
  for (const CXXBaseSpecifier &B : RD->bases())
    if (const FieldDecl *F = memberByKey(
            Key, B.getType()->getAsCXXRecordDecl(), Depth + 1))
      return F;
  return nullptr;
}

bool handedIn(const HeldLock &L) {
  const Expr *O = L.Object ? L.Object->IgnoreParenImpCasts() : nullptr;
  while (const auto *U = dyn_cast_or_null<UnaryOperator>(O))
    O = U->getSubExpr()->IgnoreParenImpCasts();
  const auto *ME = dyn_cast_or_null<MemberExpr>(O);
  const auto *F = ME ? dyn_cast<FieldDecl>(ME->getMemberDecl()) : nullptr;
  return F && (F->getType()->isReferenceType() || F->getType()->isPointerType());
}

const Attr *declaredGuard(const ValueDecl *D) {
  for (const Decl *R : D->redecls())
    if (const auto *A = R->getAttr<GuardedByAttr>())
      return A;
  return nullptr;
}

/// Whether a class declares GUARDED_BY / PT_GUARDED_BY on some field.
bool classAnnotatesGuards(const RecordDecl *RD) {
  for (const FieldDecl *F : RD->fields())
    if (F->hasAttr<GuardedByAttr>() || F->hasAttr<PtGuardedByAttr>())
      return true;
  return false;
}

/// The expression \p E stands for, past the implicit nodes around a
/// closure object or a reference to it.
const Expr *skipClosureWrappers(const Expr *E) {
  while (E) {
    E = E->IgnoreParenImpCasts();
    if (const auto *M = dyn_cast<MaterializeTemporaryExpr>(E))
      E = M->getSubExpr();
    else if (const auto *B = dyn_cast<CXXBindTemporaryExpr>(E))
      E = B->getSubExpr();
    else if (const auto *W = dyn_cast<ExprWithCleanups>(E))
      E = W->getSubExpr();
    else
      return E;
  }
  return E;
}

/// A standard function that calls the callable it is handed before it
/// returns, on the calling thread: an algorithm, call_once, invoke. (A
/// condition variable's wait predicate is waitGivenPredicate's.)
bool callsArgumentInPlace(const FunctionDecl *FD) {
  if (!FD || !FD->getIdentifier() || !FD->isInStdNamespace())
    return false;
  llvm::StringRef N = FD->getName();
  static const llvm::StringSet<> Names = {
      "for_each",    "for_each_n",  "find_if",       "find_if_not",
      "any_of",      "all_of",      "none_of",       "count_if",
      "remove_if",   "erase_if",    "sort",          "stable_sort",
      "transform",   "accumulate",  "generate",      "replace_if",
      "copy_if",     "partition",   "min_element",   "max_element",
      "call_once",   "invoke",      "adjacent_find", "unique",
      "lower_bound", "upper_bound", "equal_range",   "binary_search"};
  return Names.count(N) != 0;
}

/// Where the lambda whose call operator is \p CallOp runs, when it runs
/// only synchronously in the function that writes it: called where it is
/// written, called through the local variable it initialises (used in no
/// other way), or handed to a standard algorithm that calls it in place.
/// The calls, in the function that holds the lambda (\p Site); empty when
/// it may run elsewhere or is never called.
llvm::SmallVector<const Expr *, 4>
inPlaceCalls(const CXXMethodDecl *CallOp, const FunctionDecl *&Site,
             ASTContext &Ctx) {
  llvm::SmallVector<const Expr *, 4> Calls;
  const CXXRecordDecl *Closure = CallOp->getParent();
  Site = dyn_cast_or_null<FunctionDecl>(Closure->getDeclContext());
  if (!Site || !Site->getBody())
    return Calls;
  // The lambda expression, and the local variables and calls in the body.
  const LambdaExpr *Lambda = nullptr;
  llvm::SmallVector<const Stmt *, 64> Work{Site->getBody()};
  llvm::SmallVector<const DeclRefExpr *, 8> Refs;
  for (unsigned Seen = 0; !Work.empty() && Seen < 20000; ++Seen) {
    const Stmt *S = Work.pop_back_val();
    if (const auto *L = dyn_cast<LambdaExpr>(S);
        L && L->getLambdaClass() == Closure)
      Lambda = L;
    if (const auto *D = dyn_cast<DeclRefExpr>(S))
      Refs.push_back(D);
    for (const Stmt *C : S->children())
      if (C)
        Work.push_back(C);
  }
  if (!Lambda)
    return Calls;
  // How an expression of the closure (the lambda or a reference to its
  // variable) is used: called, or handed to a function calling it in place.
  auto CallOf = [&](const Expr *E) -> const Expr * {
    DynTypedNode Node = DynTypedNode::create(*E);
    for (int Depth = 0; Depth < 8; ++Depth) {
      auto Parents = Ctx.getParents(Node);
      if (Parents.size() != 1)
        return nullptr;
      const auto *P = Parents[0].get<Expr>();
      if (!P)
        return nullptr;
      if (const auto *Op = dyn_cast<CXXOperatorCallExpr>(P)) {
        if (Op->getOperator() == OO_Call && Op->getNumArgs() > 0 &&
            skipClosureWrappers(Op->getArg(0)) == E)
          return Op;
        return nullptr;
      }
      if (const auto *Call = dyn_cast<CallExpr>(P)) {
        if (!callsArgumentInPlace(Call->getDirectCallee()))
          return nullptr;
        for (const Expr *Arg : Call->arguments())
          if (skipClosureWrappers(Arg) == E)
            return Call;
        return nullptr;
      }
      if (!isa<ImplicitCastExpr, ParenExpr, MaterializeTemporaryExpr,
               CXXBindTemporaryExpr, ExprWithCleanups>(P))
        return nullptr;
      Node = Parents[0];
    }
    return nullptr;
  };
  if (const Expr *Call = CallOf(Lambda)) {
    Calls.push_back(Call);
    return Calls;
  }
  // `auto f = [..] {..};` then only `f(..)` or `wait(lk, f)`.
  auto Parents = Ctx.getParents(*Lambda);
  const VarDecl *Var = nullptr;
  for (int Depth = 0; Depth < 4 && Parents.size() == 1; ++Depth) {
    Var = Parents[0].get<VarDecl>();
    if (Var)
      break;
    const auto *P = Parents[0].get<Expr>();
    if (!P || !isa<ImplicitCastExpr, MaterializeTemporaryExpr,
                   CXXBindTemporaryExpr, ExprWithCleanups, CXXConstructExpr>(P))
      break;
    Parents = Ctx.getParents(Parents[0]);
  }
  if (!Var || !Var->isLocalVarDecl() || Var->isStaticLocal() ||
      Var->getType()->isReferenceType())
    return Calls;
  for (const DeclRefExpr *D : Refs) {
    if (D->getDecl() != Var)
      continue;
    const Expr *Call = CallOf(D);
    if (!Call) {
      Calls.clear();
      return Calls;
    }
    Calls.push_back(Call);
  }
  return Calls;
}

/// Whether \p FD calls a function of the translation unit that returns
/// holding a lock it took by hand (`void lockAll() { mu_.lock(); }`) or
/// that releases its caller's lock (`unlockAll()`): past such a call the
/// function's lock state is not what its own body shows.
bool callsLockHelper(const FunctionDecl *FD, EntryLocks &Entry,
                     const SourceManager &SM,
                     llvm::DenseMap<const FunctionDecl *, bool> &Memo) {
  llvm::SmallVector<const Stmt *, 64> Work{FD->getBody()};
  for (unsigned Seen = 0; !Work.empty() && Seen < 20000; ++Seen) {
    const Stmt *S = Work.pop_back_val();
    if (!S || isa<LambdaExpr>(S))
      continue;
    if (const auto *Call = dyn_cast<CallExpr>(S)) {
      const FunctionDecl *C = Call->getDirectCallee();
      const FunctionDecl *Def = nullptr;
      if (C && C != FD && !C->isInStdNamespace() && C->hasBody(Def) && Def &&
          !SM.isInSystemHeader(Def->getLocation())) {
        auto [It, New] = Memo.try_emplace(Def, false);
        if (New) {
          const Stmt *Body = Def->getBody();
          const bool Releases = LockModel::mayRelease(Body, {});
          bool TakesByHand = false;
          if (const LockModel *M = Entry.modelOf(Def))
            TakesByHand = llvm::any_of(
                M->acquisitions(), [](const LockAcquisition &A) {
                  return !A.Lock.Guard && !A.Try;
                });
          It->second = (TakesByHand && !Releases) ||
                       (Releases && !LockModel::mayLock(Body, {}));
        }
        if (It->second)
          return true;
      }
    }
    for (const Stmt *C : S->children())
      Work.push_back(C);
  }
  return false;
}

} // namespace

const ValueDecl *rootTarget(const Expr *E) {
  for (int Depth = 0; E && Depth < 16; ++Depth) {
    E = E->IgnoreParenImpCasts();
    if (const auto *U = dyn_cast<UnaryOperator>(E)) {
      if (U->getOpcode() == UO_AddrOf || U->getOpcode() == UO_Deref) {
        E = U->getSubExpr();
        continue;
      }
      return nullptr;
    }
    if (const auto *AS = dyn_cast<ArraySubscriptExpr>(E)) {
      E = AS->getBase();
      continue;
    }
    if (const auto *ME = dyn_cast<MemberExpr>(E)) {
      if (isThisBase(ME->getBase())) {
        if (const auto *F = dyn_cast<FieldDecl>(ME->getMemberDecl()))
          return F->getCanonicalDecl();
        return nullptr;
      }
      if (ME->isArrow())
        return nullptr;
      E = ME->getBase();
      continue;
    }
    if (const auto *DRE = dyn_cast<DeclRefExpr>(E)) {
      const auto *VD = dyn_cast<VarDecl>(DRE->getDecl());
      if (VD && VD->hasGlobalStorage() && !VD->isStaticLocal())
        return VD->getCanonicalDecl();
      return nullptr;
    }
    return nullptr;
  }
  return nullptr;
}

GuardModel::GuardModel(ASTContext &Ctx, const LockModelOptions &Options)
    : Ctx(Ctx), Entry(std::make_unique<EntryLocks>(Ctx, Options)) {}

GuardModel::~GuardModel() = default;

void GuardModel::collect() {
  if (Collected)
    return;
  Collected = true;
  Collector C(Ctx, ByTarget, Order);
  C.TraverseDecl(Ctx.getTranslationUnitDecl());
  const SourceManager &SM = Ctx.getSourceManager();
  llvm::DenseMap<const FunctionDecl *, bool> Convention;
  auto HeldByConvention = [&](const FunctionDecl *FD) {
    auto [It, New] = Convention.try_emplace(FD, false);
    if (New)
      It->second = namedForHeldLock(FD) || commentSaysLockHeld(FD, SM);
    return It->second;
  };
  // The locks held where a lambda runs in place, and the functions whose
  // lock state a helper changes.
  llvm::DenseMap<const FunctionDecl *, std::optional<LockSet>> InPlace;
  auto InPlaceLocks = [&](const FunctionDecl *FD) -> const LockSet * {
    const auto *MD = dyn_cast<CXXMethodDecl>(FD);
    if (!MD || !MD->getParent()->isLambda())
      return nullptr;
    auto [It, New] = InPlace.try_emplace(FD);
    if (New) {
      const FunctionDecl *Site = nullptr;
      std::optional<LockSet> Common;
      for (const Expr *Call : inPlaceCalls(MD, Site, Ctx)) {
        LockSet AtCall = Entry->heldAt(Call, Site);
        if (!Common) {
          Common = std::move(AtCall);
          continue;
        }
        llvm::erase_if(*Common, [&](const HeldLock &L) {
          return llvm::none_of(
              AtCall, [&](const HeldLock &H) { return H.Key == L.Key; });
        });
      }
      It->second = std::move(Common);
    }
    return It->second ? &*It->second : nullptr;
  };
  llvm::DenseMap<const FunctionDecl *, bool> Helpers, CallsHelper;
  // Lock states, and which accesses count as evidence.
  for (auto &[Target, List] : ByTarget)
    for (GuardedAccess &A : List) {
      const FunctionDecl *Outer = outermostFunction(A.In);
      if (isa<CXXConstructorDecl>(A.In) || isa<CXXDestructorDecl>(A.In))
        A.Excluded = true;
      if (const auto *MD = dyn_cast_or_null<CXXMethodDecl>(Outer);
          MD && MD->getAccess() == AS_private && !MD->isVirtual() &&
          !Entry->isReferenced(MD))
        A.Excluded = true;
      if (HeldByConvention(A.In) || (Outer && HeldByConvention(Outer)))
        A.Excluded = true;
      // The predicate of a condition variable's wait runs with the lock
      // the wait is handed: what is held at the wait call.
      if (auto It = C.Lambdas.find(A.In); It != C.Lambdas.end())
        if (const CallExpr *Wait = waitGivenPredicate(It->second.first, Ctx);
            Wait && It->second.second) {
          A.Held = Entry->heldAt(Wait, It->second.second);
          A.Known = true;
          continue;
        }
      const LockModel *M = Entry->modelOf(A.In);
      const LockSet *Held = nullptr;
      if (M) {
        Held = M->heldAt(A.E);
        if (!Held && A.At)
          Held = M->heldAt(A.At);
        if (!Held)
          continue; // unreachable, or not analysed
        A.Held = *Held;
      } else if (const Stmt *Body = A.In->getBody();
                 Body && LockModel::mayLock(Body, {})) {
        continue; // it locks, but could not be analysed
      }
      {
        auto [It, New] = CallsHelper.try_emplace(A.In, false);
        if (New)
          It->second = callsLockHelper(A.In, *Entry, SM, Helpers);
        if (It->second)
          continue; // a helper took or released a lock: unknown
      }
      LockSet AtEntry = Entry->at(A.In);
      if (const LockSet *L = InPlaceLocks(A.In))
        AtEntry.append(L->begin(), L->end());
      for (const HeldLock &L : AtEntry)
        if (llvm::none_of(A.Held,
                          [&](const HeldLock &H) { return H.Key == L.Key; }))
          A.Held.push_back(L);
      A.Known = true;
    }
}

llvm::ArrayRef<const ValueDecl *> GuardModel::targets() {
  collect();
  return Order;
}

llvm::ArrayRef<GuardedAccess> GuardModel::accessesOf(const ValueDecl *Target) {
  collect();
  auto It = ByTarget.find(Target);
  if (It == ByTarget.end())
    return {};
  return It->second;
}

std::optional<FieldGuard> GuardModel::guardOf(const ValueDecl *Target,
                                              const GuardThresholds &T) {
  llvm::ArrayRef<GuardedAccess> List = accessesOf(Target);
  if (List.empty() && !declaredGuard(Target))
    return std::nullopt;
  FieldGuard G;
  G.Target = Target;
  auto Holds = [](const GuardedAccess &A, llvm::StringRef Key,
                  bool Exclusive) {
    return llvm::any_of(A.Held, [&](const HeldLock &H) {
      return H.Key == Key && (!Exclusive || !H.Shared);
    });
  };
  auto Count = [&](llvm::StringRef Key) {
    G.Accesses = G.Guarded = G.Writes = G.GuardedWrites = 0;
    G.Witness = nullptr;
    for (const GuardedAccess &A : List) {
      if (!A.Known || A.Excluded)
        continue;
      ++G.Accesses;
      const bool Held = Holds(A, Key, A.Write);
      G.Guarded += Held;
      if (A.Write) {
        ++G.Writes;
        G.GuardedWrites += Held;
      }
      if (Held && (!G.Witness || (A.Write && !G.Witness->Write)))
        G.Witness = &A;
    }
  };
  if (const Attr *A = declaredGuard(Target)) {
    const auto *GA = cast<GuardedByAttr>(A);
    HeldLock L = LockModel::describeMutex(GA->getArg(), Ctx);
    if (const auto *DRE =
            dyn_cast<DeclRefExpr>(GA->getArg()->IgnoreParenImpCasts());
        DRE && isa<FieldDecl>(DRE->getDecl())) {
      L.Key = "f" + std::to_string(reinterpret_cast<uintptr_t>(
                        DRE->getDecl()->getCanonicalDecl()));
      L.Name = DRE->getDecl()->getNameAsString();
    }
    G.Key = L.Key;
    G.Name = L.Name;
    G.Declared = A;
    G.OwnMutex = isOwnMutex(L);
    Count(G.Key);
    return G;
  }
  if (const auto *F = dyn_cast<FieldDecl>(Target);
      F && classAnnotatesGuards(F->getParent()))
    return std::nullopt;
  // Candidates: the exclusive locks held at counted writes.
  std::vector<std::pair<std::string, const HeldLock *>> Candidates;
  for (const GuardedAccess &A : List)
    if (A.Known && !A.Excluded && A.Write)
      for (const HeldLock &H : A.Held)
        if (!H.Shared && !isLocalMutex(H) &&
            llvm::none_of(Candidates,
                          [&](const auto &C) { return C.first == H.Key; }))
          Candidates.emplace_back(H.Key, &H);
  std::optional<FieldGuard> Best;
  for (const auto &[Key, H] : Candidates) {
    Count(Key);
    if (G.GuardedWrites == 0 ||
        G.GuardedWrites * 100 < T.MinWritePercent * G.Writes ||
        G.Guarded * 100 < T.MinAccessPercent * G.Accesses)
      continue;
    if (Best && (Best->GuardedWrites > G.GuardedWrites ||
                 (Best->GuardedWrites == G.GuardedWrites &&
                  Best->Guarded >= G.Guarded)))
      continue;
    G.Key = Key;
    G.Name = H->Name;
    G.OwnMutex = isOwnMutex(*H) && !handedIn(*H);
    // Whatever expression named it: the member must be the object's own
    // mutex, not a pointer or reference to another's (rocksdb's
    // ErrorHandler::db_mutex_).
    if (const auto *F = dyn_cast<FieldDecl>(Target); F && G.OwnMutex)
      if (const FieldDecl *M =
              memberByKey(Key, dyn_cast<CXXRecordDecl>(F->getParent())))
        G.OwnMutex = !M->getType()->isReferenceType() &&
                     !M->getType()->isPointerType();
    Best = G;
  }
  return Best;
}

const ValueDecl *GuardModel::guardedBy(const Expr *Obj, const HeldLock &Lock,
                                       const FunctionDecl *In) {
  (void)In;
  const ValueDecl *Target = rootTarget(Obj);
  if (!Target)
    return nullptr;
  auto It = Defaults.find(Target);
  if (It == Defaults.end())
    It = Defaults.try_emplace(Target, guardOf(Target)).first;
  if (!It->second || It->second->Key != Lock.Key)
    return nullptr;
  return Target;
}

} // namespace clang::tidy::threadlint
