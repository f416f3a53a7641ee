//===--- ExceptionModel.cpp - what can throw out of a function ------------===//
#include "model/ExceptionModel.h"
#include "model/AstHelpers.h"
#include "clang/AST/ExprCXX.h"
#include "clang/Analysis/CFG.h"
#include "clang/Lex/Lexer.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/StringSwitch.h"

namespace clang::tidy::threadlint {

namespace {

/// Distinct exceptions kept per function: a caller's handler may catch some
/// of them and not the others.
constexpr unsigned MaxEscapesPerFunction = 4;
/// Functions whose CFG has more blocks are not searched for a second
/// `set_value` (the same bound as the concurrency model's).
constexpr unsigned MaxBlocks = 4000;

/// The base of a standard exception class, for the ones the by-contract
/// calls throw and their bases ("" for std::exception and unknown names).
llvm::StringRef stdBaseOf(llvm::StringRef Name) {
  return llvm::StringSwitch<llvm::StringRef>(Name)
      .Cases({"out_of_range", "invalid_argument", "future_error",
              "length_error", "domain_error"},
             "logic_error")
      .Case("bad_any_cast", "bad_cast")
      .Cases({"logic_error", "runtime_error", "bad_cast",
              "bad_optional_access", "bad_variant_access", "bad_alloc",
              "bad_expected_access"},
             "exception")
      .Default("");
}

bool isStdClass(const CXXRecordDecl *RD, llvm::StringRef Name) {
  return RD && RD->getIdentifier() && RD->getName() == Name &&
         RD->isInStdNamespace();
}

const CXXRecordDecl *stdClassOf(QualType T) {
  const CXXRecordDecl *RD = recordOfObjectType(T);
  return RD && RD->getIdentifier() && RD->isInStdNamespace() ? RD : nullptr;
}

bool inSystemHeader(SourceLocation Loc, const SourceManager &SM) {
  return Loc.isValid() && SM.isInSystemHeader(SM.getExpansionLoc(Loc));
}

const FunctionDecl *definitionOf(const FunctionDecl *FD) {
  const FunctionDecl *Def = nullptr;
  if (!FD || !FD->hasBody(Def) || !Def || Def->isInvalidDecl())
    return nullptr;
  return Def;
}

ThrownType stdException(llvm::StringRef Name) {
  ThrownType T;
  T.K = ThrownType::Kind::Std;
  T.StdName = Name;
  return T;
}

/// \p Loc is in the expansion of a test framework's assertion macro
/// (`REQUIRE`, `CHECK_MESSAGE`, `FAIL`, `ASSERT_*` defined in another file): it
/// throws only once the test has failed, to report the failure.
bool inAssertionMacro(SourceLocation Loc, const ASTContext &Ctx) {
  const SourceManager &SM = Ctx.getSourceManager();
  if (!inForeignMacro(Loc, SM))
    return false;
  for (unsigned Depth = 0; Loc.isMacroID() && Depth < 16; ++Depth) {
    llvm::StringRef Name =
        Lexer::getImmediateMacroName(Loc, SM, Ctx.getLangOpts());
    if (isAssertionName(Name) || Name.contains("REQUIRE") ||
        Name.contains("FAIL"))
      return true;
    Loc = SM.getImmediateMacroCallerLoc(Loc);
  }
  return false;
}

/// A std::bad_alloc (or a class derived from it): an allocation failure.
bool isBadAlloc(const CXXRecordDecl *RD) {
  if (!RD || !RD->hasDefinition())
    return false;
  if (isStdClass(RD, "bad_alloc"))
    return true;
  bool Derived = false;
  RD->getDefinition()->forallBases([&](const CXXRecordDecl *Base) {
    Derived |= isStdClass(Base, "bad_alloc");
    return true;
  });
  return Derived;
}

/// The promise methods that satisfy it (a second one throws future_error).
bool isPromiseSet(const CXXMethodDecl *MD) {
  if (!MD || !MD->getIdentifier() || !isStdClass(MD->getParent(), "promise"))
    return false;
  return llvm::StringSwitch<bool>(MD->getName())
      .Cases({"set_value", "set_exception", "set_value_at_thread_exit",
              "set_exception_at_thread_exit"},
             true)
      .Default(false);
}

/// What \p Call throws by contract, appended to \p Out (nothing when it is
/// not one of the calls the model knows).
void byContract(const CallExpr *Call, const FunctionDecl *FD,
                llvm::SmallVectorImpl<ThrownType> &Out) {
  if (!FD->getIdentifier())
    return;
  const llvm::StringRef Name = FD->getName();
  if (const auto *MD = llvm::dyn_cast<CXXMethodDecl>(FD)) {
    const CXXRecordDecl *RD = MD->getParent();
    if (!RD->getIdentifier() || !RD->isInStdNamespace())
      return;
    const llvm::StringRef Class = RD->getName();
    if (Name == "at" &&
        llvm::StringSwitch<bool>(Class)
            .Cases({"vector", "basic_string", "basic_string_view", "deque",
                    "array", "map", "unordered_map", "flat_map", "span"},
                   true)
            .Default(false))
      Out.push_back(stdException("out_of_range"));
    else if (Name == "value" && Class == "optional")
      Out.push_back(stdException("bad_optional_access"));
    else if (Name == "value" && Class == "expected")
      Out.push_back(stdException("bad_expected_access"));
    else if (Name == "get" && (Class == "future" || Class == "shared_future"))
      Out.push_back(ThrownType()); // what the future stores: any type
    return;
  }
  if (!FD->isInStdNamespace())
    return;
  if (llvm::StringSwitch<bool>(Name)
          .Cases({"stoi", "stol", "stoll", "stoul", "stoull", "stof", "stod",
                  "stold"},
                 true)
          .Default(false)) {
    Out.push_back(stdException("invalid_argument"));
    Out.push_back(stdException("out_of_range"));
    return;
  }
  if (Call->getNumArgs() != 1)
    return;
  const QualType Arg = Call->getArg(0)->getType();
  // std::any_cast<T>(a) of a value; of a pointer it returns null instead.
  if (Name == "any_cast" && !Arg->isPointerType())
    Out.push_back(stdException("bad_any_cast"));
  // std::get<I>(v) of a variant; of a tuple, pair or array it cannot fail.
  else if (Name == "get" && isStdClass(stdClassOf(Arg), "variant"))
    Out.push_back(stdException("bad_variant_access"));
}

/// The object a promise call is made on, when it is one the model can tell
/// apart: a variable, or a field of `this`.
const ValueDecl *promiseObject(const CXXMemberCallExpr *Call) {
  const Expr *Obj = Call->getImplicitObjectArgument();
  if (!Obj)
    return nullptr;
  Obj = Obj->IgnoreParenImpCasts();
  if (const auto *DRE = llvm::dyn_cast<DeclRefExpr>(Obj))
    if (const auto *VD = llvm::dyn_cast<VarDecl>(DRE->getDecl()))
      return VD->getCanonicalDecl();
  if (const auto *ME = llvm::dyn_cast<MemberExpr>(Obj))
    if (llvm::isa<CXXThisExpr>(ME->getBase()->IgnoreParenImpCasts()))
      if (const auto *FD = llvm::dyn_cast<FieldDecl>(ME->getMemberDecl()))
        return FD->getCanonicalDecl();
  return nullptr;
}

/// A key telling distinct exceptions apart.
bool sameException(const ThrownType &A, const ThrownType &B) {
  if (A.K != B.K)
    return false;
  switch (A.K) {
  case ThrownType::Kind::Class:
    return A.Class == B.Class;
  case ThrownType::Kind::Std:
    return A.StdName == B.StdName;
  case ThrownType::Kind::Other:
    return A.Type.getCanonicalType() == B.Type.getCanonicalType();
  case ThrownType::Kind::Any:
    return true;
  }
  return false;
}

} // namespace

struct ExceptionModel::Summary {
  llvm::SmallVector<ExceptionEscape, 2> Escapes;
  /// A bound stopped the search below this function.
  bool Cut = false;
};

std::string ThrownType::name(const ASTContext &Ctx) const {
  switch (K) {
  case Kind::Class: {
    PrintingPolicy Policy = Ctx.getPrintingPolicy();
    Policy.SuppressInlineNamespace =
        llvm::to_underlying(PrintingPolicy::SuppressInlineNamespaceMode::All);
    std::string Name;
    llvm::raw_string_ostream OS(Name);
    Class->getNameForDiagnostic(OS, Policy, /*Qualified=*/true);
    return Name;
  }
  case Kind::Std:
    return ("std::" + StdName).str();
  case Kind::Other:
    return Type.getAsString(Ctx.getPrintingPolicy());
  case Kind::Any:
    return "";
  }
  return "";
}

bool ExceptionModel::isNoexcept(const FunctionDecl *FD) {
  if (!FD)
    return false;
  const auto *Proto = FD->getType()->getAs<FunctionProtoType>();
  if (!Proto)
    return false;
  const ExceptionSpecificationType EST = Proto->getExceptionSpecType();
  // Destructors are noexcept unless they say otherwise; their specification
  // may not be computed yet.
  if (isUnresolvedExceptionSpec(EST))
    return llvm::isa<CXXDestructorDecl>(FD);
  return Proto->canThrow() == CT_Cannot;
}

bool ExceptionModel::catches(const CXXCatchStmt *Handler, const ThrownType &T) {
  QualType H = Handler->getCaughtType();
  if (H.isNull()) // catch (...)
    return true;
  if (H->isDependentType() || T.K == ThrownType::Kind::Any)
    return true;
  H = H.getNonReferenceType().getCanonicalType().getUnqualifiedType();
  const CXXRecordDecl *HR = H->getAsCXXRecordDecl();
  switch (T.K) {
  case ThrownType::Kind::Class: {
    if (!HR)
      return false;
    if (!T.Class->hasDefinition() || !HR->hasDefinition())
      return true; // cannot tell
    const CXXRecordDecl *C = T.Class->getDefinition();
    const CXXRecordDecl *HD = HR->getDefinition();
    return C->getCanonicalDecl() == HD->getCanonicalDecl() ||
           C->isDerivedFrom(HD);
  }
  case ThrownType::Kind::Std: {
    if (!HR || !HR->getIdentifier() || !HR->isInStdNamespace())
      return false;
    for (llvm::StringRef N = T.StdName; !N.empty(); N = stdBaseOf(N))
      if (HR->getName() == N)
        return true;
    return false;
  }
  case ThrownType::Kind::Other: {
    if (HR)
      return false;
    if (H->isPointerType() && T.Type->isPointerType())
      return true; // pointer conversions: not told apart
    return H == T.Type.getCanonicalType().getUnqualifiedType();
  }
  case ThrownType::Kind::Any:
    return true;
  }
  return true;
}

namespace {

/// One walk of a function's body: its throw points, each matched against
/// the handlers around it, and its calls, whose summaries are composed.
class BodyScan {
public:
  using SummarizeFn = llvm::function_ref<llvm::ArrayRef<ExceptionEscape>(
      const FunctionDecl *)>;

  BodyScan(ASTContext &Ctx, const FunctionDecl *F, bool ReportAllocation,
           bool FollowCalls, SummarizeFn Summarize,
           llvm::SmallVectorImpl<ExceptionEscape> &Out, bool &Cut)
      : Ctx(Ctx), F(F), ReportAllocation(ReportAllocation),
        FollowCalls(FollowCalls), Summarize(Summarize), Out(Out), Cut(Cut) {}

  void run() {
    const Stmt *Body = F->getBody();
    // A constructor's or destructor's function-try-block rethrows at the end
    // of each handler: it catches nothing for good.
    const auto *Try = llvm::dyn_cast_or_null<CXXTryStmt>(Body);
    const bool Rethrows = Try && (llvm::isa<CXXConstructorDecl>(F) ||
                                  llvm::isa<CXXDestructorDecl>(F));
    if (const auto *Ctor = llvm::dyn_cast<CXXConstructorDecl>(F)) {
      if (Try && !Rethrows)
        pushTry(Try);
      for (const CXXCtorInitializer *Init : Ctor->inits())
        visit(Init->getInit());
      if (Try && !Rethrows)
        popTry();
    }
    if (Rethrows) {
      // Its handlers see nothing (the try does not catch for good), so a
      // rethrow in them adds nothing either.
      visit(Try->getTryBlock());
      for (unsigned I = 0; I < Try->getNumHandlers(); ++I)
        visitHandler(Try->getHandler(I), {});
    } else {
      visit(Body);
    }
    secondSets();
  }

private:
  void pushTry(const CXXTryStmt *Try) {
    Tries.push_back(Try);
    CaughtBy.emplace_back(Try->getNumHandlers());
  }
  std::vector<std::vector<ExceptionEscape>> popTry() {
    Tries.pop_back();
    return CaughtBy.pop_back_val();
  }

  void visitHandler(const CXXCatchStmt *H, std::vector<ExceptionEscape> Caught) {
    Handlers.push_back({H, std::move(Caught)});
    visit(H->getHandlerBlock());
    Handlers.pop_back();
  }

  void visit(const Stmt *S) {
    if (!S)
      return;
    if (++Steps > MaxSteps) {
      Cut = true;
      return;
    }
    // Not run here: a lambda's body (unless it is called: a call of its
    // operator() is followed like any call), unevaluated operands.
    if (const auto *L = llvm::dyn_cast<LambdaExpr>(S)) {
      for (const Expr *Init : L->capture_inits())
        visit(Init);
      return;
    }
    if (llvm::isa<BlockExpr, UnaryExprOrTypeTraitExpr, CXXNoexceptExpr,
                  RequiresExpr, DeclStmt>(S)) {
      if (const auto *DS = llvm::dyn_cast<DeclStmt>(S))
        for (const Decl *D : DS->decls())
          if (const auto *VD = llvm::dyn_cast<VarDecl>(D))
            visit(VD->getInit());
      return;
    }
    if (const auto *TE = llvm::dyn_cast<CXXTypeidExpr>(S);
        TE && !TE->isPotentiallyEvaluated())
      return;
    if (const auto *Try = llvm::dyn_cast<CXXTryStmt>(S)) {
      pushTry(Try);
      visit(Try->getTryBlock());
      std::vector<std::vector<ExceptionEscape>> Caught = popTry();
      for (unsigned I = 0; I < Try->getNumHandlers(); ++I)
        visitHandler(Try->getHandler(I), std::move(Caught[I]));
      return;
    }
    if (const auto *DA = llvm::dyn_cast<CXXDefaultArgExpr>(S)) {
      visit(DA->getExpr());
      return;
    }
    if (const auto *DI = llvm::dyn_cast<CXXDefaultInitExpr>(S)) {
      visit(DI->getExpr());
      return;
    }
    for (const Stmt *Child : S->children())
      visit(Child);
    if (llvm::isa<CXXThrowExpr, CallExpr, CXXConstructExpr>(S) &&
        S->getBeginLoc().isMacroID() && inAssertionMacro(S->getBeginLoc(), Ctx))
      return;
    if (const auto *Throw = llvm::dyn_cast<CXXThrowExpr>(S))
      onThrow(Throw);
    else if (const auto *New = llvm::dyn_cast<CXXNewExpr>(S))
      onNew(New);
    else if (const auto *Call = llvm::dyn_cast<CallExpr>(S))
      onCall(Call);
    else if (const auto *Construct = llvm::dyn_cast<CXXConstructExpr>(S))
      onConstruct(Construct);
  }

  bool caught(const ThrownType &T,
              llvm::ArrayRef<const CXXTryStmt *> Around) const {
    for (const CXXTryStmt *Try : Around)
      for (unsigned I = 0; I < Try->getNumHandlers(); ++I)
        if (ExceptionModel::catches(Try->getHandler(I), T))
          return true;
    return false;
  }

  /// Keeps \p E unless a handler around it catches it; the handler that
  /// does (of a try on the stack) remembers it for a rethrow.
  void add(ExceptionEscape E) {
    for (unsigned T = Tries.size(); T-- > 0;)
      for (unsigned I = 0; I < Tries[T]->getNumHandlers(); ++I)
        if (ExceptionModel::catches(Tries[T]->getHandler(I), E.What)) {
          std::vector<ExceptionEscape> &Caught = CaughtBy[T][I];
          if (Caught.size() < MaxEscapesPerFunction)
            Caught.push_back(std::move(E));
          return;
        }
    keep(std::move(E));
  }

  void add(ExceptionEscape E, llvm::ArrayRef<const CXXTryStmt *> Around) {
    if (!caught(E.What, Around))
      keep(std::move(E));
  }

  void keep(ExceptionEscape E) {
    if (llvm::any_of(Out, [&](const ExceptionEscape &Old) {
          return sameException(Old.What, E.What);
        }))
      return;
    if (Out.size() < MaxEscapesPerFunction)
      Out.push_back(std::move(E));
  }

  void onThrow(const CXXThrowExpr *Throw) {
    ExceptionEscape E;
    E.At = Throw;
    if (const Expr *Sub = Throw->getSubExpr()) {
      QualType T = Sub->getType();
      if (T.isNull() || T->isDependentType() || Sub->containsErrors())
        return;
      E.Origin = ThrowOrigin::Throw;
      if (const CXXRecordDecl *RD = T->getAsCXXRecordDecl()) {
        // An allocator's own `throw std::bad_alloc()`: an allocation
        // failure, reported only as `new` is.
        if (!ReportAllocation && isBadAlloc(RD))
          return;
        E.What.K = ThrownType::Kind::Class;
        E.What.Class = RD;
      } else {
        E.What.K = ThrownType::Kind::Other;
        E.What.Type = T->isArrayType() || T->isFunctionType()
                          ? Ctx.getDecayedType(T)
                          : T.getUnqualifiedType();
      }
      add(std::move(E));
      return;
    }
    // `throw;` outside a handler of this function rethrows whatever is
    // being handled where it is called: not judged. Inside one, it rethrows
    // what the handler caught of what its try block is known to throw (an
    // exception of unknown origin is not one: `catch (...) { throw; }`
    // around calls the model knows nothing of is not reported).
    if (Handlers.empty())
      return;
    for (const ExceptionEscape &Caught : Handlers.back().second) {
      ExceptionEscape R;
      R.At = Throw;
      R.Origin = ThrowOrigin::Rethrow;
      R.What = Caught.What;
      add(std::move(R));
    }
  }

  void onNew(const CXXNewExpr *New) {
    // Plain `new T`: not nothrow, not placement.
    if (!ReportAllocation || New->getNumPlacementArgs() != 0 ||
        New->shouldNullCheckAllocation())
      return;
    ExceptionEscape E;
    E.At = New;
    E.Origin = ThrowOrigin::New;
    E.What = stdException("bad_alloc");
    add(std::move(E));
  }

  void onCall(const CallExpr *Call) {
    const FunctionDecl *FD = Call->getDirectCallee();
    if (!FD || Call->containsErrors())
      return;
    llvm::SmallVector<ThrownType, 2> Types;
    byContract(Call, FD, Types);
    if (!Types.empty()) {
      if (checkedBefore(Call, FD))
        return;
      for (const ThrownType &T : Types) {
        ExceptionEscape E;
        E.At = Call;
        E.Origin = ThrowOrigin::Call;
        E.Callee = FD;
        E.What = T;
        add(std::move(E));
      }
      return;
    }
    if (const auto *MC = llvm::dyn_cast<CXXMemberCallExpr>(Call)) {
      if (isPromiseSet(MC->getMethodDecl())) {
        if (const ValueDecl *Obj = promiseObject(MC))
          Sets.push_back({MC, Obj, {Tries.begin(), Tries.end()}});
        return;
      }
    }
    if (!followable(Call, FD))
      return;
    follow(Call, FD);
  }

  void onConstruct(const CXXConstructExpr *Construct) {
    const CXXConstructorDecl *Ctor = Construct->getConstructor();
    if (!Ctor || Ctor->isTrivial() || Construct->containsErrors() ||
        !Ctor->isUserProvided())
      return;
    if (ExceptionModel::isNoexcept(Ctor))
      return;
    follow(Construct, Ctor);
  }

  /// The variable or field a lookup is made on (`v.at(i)`, `o.value()`,
  /// `std::get<int>(var)`), if it is one.
  static const ValueDecl *lookedUpIn(const CallExpr *Call) {
    const Expr *Obj = nullptr;
    if (const auto *MC = llvm::dyn_cast<CXXMemberCallExpr>(Call))
      Obj = MC->getImplicitObjectArgument();
    else if (Call->getNumArgs() == 1)
      Obj = Call->getArg(0);
    if (!Obj)
      return nullptr;
    Obj = Obj->IgnoreParenImpCasts();
    if (const auto *DRE = llvm::dyn_cast<DeclRefExpr>(Obj))
      return llvm::dyn_cast<VarDecl>(DRE->getDecl());
    if (const auto *ME = llvm::dyn_cast<MemberExpr>(Obj))
      return llvm::dyn_cast<FieldDecl>(ME->getMemberDecl());
    return nullptr;
  }

  /// The function tests (or sets) the object a by-contract lookup is made
  /// on: `if (o.has_value()) use(o.value())`, `if (m.count(k)) m.at(k)`,
  /// `if (i < v.size()) v.at(i)`. The test is not related to the lookup
  /// path by path: any such use in the function counts (precision first).
  bool checkedBefore(const CallExpr *Call, const FunctionDecl *FD) {
    // Only at(), value(), any_cast and std::get look up; stoi and
    // future::get do not.
    const llvm::StringRef Name =
        FD->getIdentifier() ? FD->getName() : llvm::StringRef();
    const bool At = Name == "at";
    if (!At && Name != "value" && Name != "any_cast" && Name != "get")
      return false;
    if (Name == "get" && llvm::isa<CXXMemberCallExpr>(Call))
      return false; // future::get
    const ValueDecl *Object = lookedUpIn(Call);
    if (!Object)
      return false;
    bool Checked = false;
    forEachIn(F->getBody(), [&](const Stmt *S) {
      if (Checked)
        return;
      const auto *E = llvm::dyn_cast<Expr>(S);
      if (!E)
        return;
      const ValueDecl *Named = nullptr;
      if (const auto *DRE = llvm::dyn_cast<DeclRefExpr>(E))
        Named = DRE->getDecl();
      else if (const auto *ME = llvm::dyn_cast<MemberExpr>(E))
        Named = ME->getMemberDecl();
      if (Named != Object)
        return;
      // The use: the object of which call?
      const CallExpr *User = Uses.lookup(E);
      if (!User) {
        // Not the object of a call: a test (`if (o)`, `o == nullopt`),
        // an assignment, a pass by reference.
        Checked = !At;
        return;
      }
      const FunctionDecl *UF = User->getDirectCallee();
      llvm::StringRef UN =
          UF && UF->getIdentifier() ? UF->getName() : llvm::StringRef();
      if (At)
        Checked = UN == "count" || UN == "find" || UN == "contains" ||
                  UN == "size" || UN == "empty" || UN == "resize" ||
                  UN == "lower_bound" || UN == "upper_bound";
      else
        Checked = UN != Name;
    });
    return Checked;
  }

  /// Walks \p Body (not into lambdas) and maps each object expression of a
  /// call to that call.
  template <typename Fn> void forEachIn(const Stmt *Body, Fn Visit) {
    if (!UsesDone) {
      UsesDone = true;
      indexUses(Body);
    }
    walkAll(Body, Visit);
  }
  template <typename Fn> static void walkAll(const Stmt *S, Fn &Visit) {
    if (!S || llvm::isa<LambdaExpr>(S))
      return;
    Visit(S);
    for (const Stmt *Child : S->children())
      walkAll(Child, Visit);
  }
  void indexUses(const Stmt *S) {
    if (!S || llvm::isa<LambdaExpr>(S))
      return;
    if (const auto *Call = llvm::dyn_cast<CallExpr>(S)) {
      const Expr *Obj = nullptr;
      if (const auto *MC = llvm::dyn_cast<CXXMemberCallExpr>(Call))
        Obj = MC->getImplicitObjectArgument();
      else if (const auto *Op = llvm::dyn_cast<CXXOperatorCallExpr>(Call);
               Op && Op->getNumArgs() > 0)
        Obj = Op->getArg(0);
      else if (Call->getNumArgs() == 1)
        Obj = Call->getArg(0);
      if (Obj)
        Uses[Obj->IgnoreParenImpCasts()] = Call;
    }
    for (const Stmt *Child : S->children())
      indexUses(Child);
  }

  /// A call the walk may follow into: not virtual unless the target is
  /// certain (final, qualified, on an object of known type).
  bool followable(const CallExpr *Call, const FunctionDecl *FD) const {
    if (ExceptionModel::isNoexcept(FD))
      return false;
    const auto *MD = llvm::dyn_cast<CXXMethodDecl>(FD);
    if (!MD || !MD->isVirtual())
      return true;
    if (MD->hasAttr<FinalAttr>() || MD->getParent()->hasAttr<FinalAttr>())
      return true;
    const auto *MC = llvm::dyn_cast<CXXMemberCallExpr>(Call);
    if (!MC)
      return false;
    if (const auto *ME =
            llvm::dyn_cast<MemberExpr>(MC->getCallee()->IgnoreParens());
        ME && ME->hasQualifier())
      return true;
    const Expr *Obj = MC->getImplicitObjectArgument();
    if (!Obj)
      return false;
    if (const auto *DRE =
            llvm::dyn_cast<DeclRefExpr>(Obj->IgnoreParenImpCasts()))
      if (const auto *VD = llvm::dyn_cast<VarDecl>(DRE->getDecl()))
        return !VD->getType()->isReferenceType() &&
               !VD->getType()->isPointerType();
    return false;
  }

  void follow(const Expr *Call, const FunctionDecl *FD) {
    const FunctionDecl *Def = definitionOf(FD);
    if (!Def || Def->isDependentContext() ||
        inSystemHeader(Def->getLocation(), Ctx.getSourceManager()) ||
        ExceptionModel::isNoexcept(Def))
      return;
    if (!FollowCalls) {
      Cut = true;
      return;
    }
    for (const ExceptionEscape &Inner : Summarize(Def)) {
      ExceptionEscape E = Inner;
      E.Through.insert(E.Through.begin(), {Call, Def});
      add(std::move(E));
    }
  }

  /// A second set on the same promise that follows the first on every path
  /// (the second throws future_error: promise_already_satisfied).
  void secondSets() {
    if (Sets.size() < 2)
      return;
    bool Pair = false;
    for (unsigned I = 0; I < Sets.size() && !Pair; ++I)
      for (unsigned J = I + 1; J < Sets.size() && !Pair; ++J)
        Pair = Sets[I].Object == Sets[J].Object;
    if (!Pair)
      return;
    CFG::BuildOptions Opts;
    Opts.setAllAlwaysAdd();
    std::unique_ptr<CFG> G =
        CFG::buildCFG(F, F->getBody(), &Ctx, Opts);
    if (!G || G->getNumBlockIDs() > MaxBlocks)
      return;
    for (unsigned I = 0; I < Sets.size(); ++I)
      for (unsigned J = 0; J < Sets.size(); ++J)
        if (I != J && Sets[I].Object == Sets[J].Object &&
            alwaysFollows(*G, Sets[I].Call, Sets[J].Call, Sets[I].Object)) {
          ExceptionEscape E;
          E.At = Sets[J].Call;
          E.Origin = ThrowOrigin::SecondSet;
          E.Callee = Sets[J].Call->getMethodDecl();
          E.FirstSet = Sets[I].Call;
          E.What = stdException("future_error");
          add(std::move(E), Sets[J].Tries);
          return;
        }
  }

  /// Every path from \p A reaches \p B, without passing the declaration of
  /// \p Object again (a loop's variable names a new promise each time).
  static bool alwaysFollows(const CFG &G, const Stmt *A, const Stmt *B,
                            const ValueDecl *Object) {
    const CFGBlock *Start = nullptr;
    unsigned Index = 0;
    for (const CFGBlock *Block : G) {
      unsigned I = 0;
      for (const CFGElement &El : *Block) {
        if (auto CS = El.getAs<CFGStmt>(); CS && CS->getStmt() == A) {
          Start = Block;
          Index = I;
        }
        ++I;
      }
    }
    if (!Start)
      return false;
    auto Declares = [&](const Stmt *S) {
      if (const auto *DS = llvm::dyn_cast<DeclStmt>(S))
        for (const Decl *D : DS->decls())
          if (D->getCanonicalDecl() == Object)
            return true;
      return false;
    };
    // In A's block after A.
    unsigned I = 0;
    for (const CFGElement &El : *Start) {
      if (I++ <= Index)
        continue;
      if (auto CS = El.getAs<CFGStmt>()) {
        if (CS->getStmt() == B)
          return true;
        if (Declares(CS->getStmt()))
          return false;
      }
    }
    llvm::SmallVector<const CFGBlock *, 16> Work;
    llvm::DenseSet<const CFGBlock *> Seen;
    auto Push = [&](const CFGBlock *Block) {
      for (const CFGBlock::AdjacentBlock &Succ : Block->succs())
        if (const CFGBlock *S = Succ.getReachableBlock())
          if (Seen.insert(S).second)
            Work.push_back(S);
    };
    Push(Start);
    bool Reached = false;
    while (!Work.empty()) {
      const CFGBlock *Block = Work.pop_back_val();
      if (Block == &G.getExit() || Block->succ_empty())
        return false;
      bool Stop = false;
      for (const CFGElement &El : *Block) {
        auto CS = El.getAs<CFGStmt>();
        if (!CS)
          continue;
        if (CS->getStmt() == B) {
          Reached = Stop = true;
          break;
        }
        if (Declares(CS->getStmt()))
          return false;
      }
      if (!Stop)
        Push(Block);
    }
    return Reached;
  }

  struct SetCall {
    const CXXMemberCallExpr *Call;
    const ValueDecl *Object;
    llvm::SmallVector<const CXXTryStmt *, 2> Tries;
  };

  /// Statements one walk visits at most.
  static constexpr unsigned MaxSteps = 200000;

  ASTContext &Ctx;
  const FunctionDecl *F;
  const bool ReportAllocation;
  const bool FollowCalls;
  SummarizeFn Summarize;
  llvm::SmallVectorImpl<ExceptionEscape> &Out;
  bool &Cut;
  unsigned Steps = 0;
  /// The try blocks around the statement being visited, innermost last.
  llvm::SmallVector<const CXXTryStmt *, 4> Tries;
  /// Per try block on the stack (parallel to Tries): what each of its
  /// handlers catches of what its block throws, for a rethrow there.
  llvm::SmallVector<std::vector<std::vector<ExceptionEscape>>, 4> CaughtBy;
  /// The handlers being visited, innermost last, with what each catches.
  llvm::SmallVector<std::pair<const CXXCatchStmt *,
                              std::vector<ExceptionEscape>>,
                    2>
      Handlers;
  llvm::SmallVector<SetCall, 2> Sets;
  /// Per object expression of a call in F's body, the call (built once).
  llvm::DenseMap<const Expr *, const CallExpr *> Uses;
  bool UsesDone = false;
};

} // namespace

ExceptionModel::ExceptionModel(ASTContext &Ctx, ExceptionModelOptions Options)
    : Ctx(Ctx), Options(Options) {}

ExceptionModel::~ExceptionModel() = default;

const ExceptionModel::Summary &
ExceptionModel::summarize(const FunctionDecl *FD, unsigned DepthLeft,
                          unsigned &Budget) {
  static const Summary OverBudget = [] {
    Summary S;
    S.Cut = true;
    return S;
  }();
  auto Key = std::make_pair(FD, DepthLeft);
  if (auto It = Summaries.find(Key); It != Summaries.end())
    return *It->second; // also a recursion in progress: empty so far
  if (Budget == 0)
    return OverBudget;
  --Budget;
  // The summary lives on the heap: its address survives the map's growth
  // while the callees are summarised.
  Summary *S = (Summaries[Key] = std::make_unique<Summary>()).get();
  // A coroutine hands its exceptions to its promise's unhandled_exception().
  if (FD->isInvalidDecl() || !FD->getBody() || hasErrors(FD->getBody()) ||
      llvm::isa<CoroutineBodyStmt>(FD->getBody()))
    return *S;
  llvm::SmallVector<ExceptionEscape, 2> Found;
  bool Cut = false;
  // Named: the scan keeps a function_ref to it.
  auto Callee = [&](const FunctionDecl *F) -> llvm::ArrayRef<ExceptionEscape> {
    const Summary &Inner = summarize(F, DepthLeft - 1, Budget);
    Cut |= Inner.Cut;
    return Inner.Escapes;
  };
  BodyScan Scan(Ctx, FD, Options.ReportAllocation, DepthLeft > 0, Callee,
                Found, Cut);
  Scan.run();
  S->Escapes = std::move(Found);
  S->Cut = Cut;
  return *S;
}

llvm::ArrayRef<ExceptionEscape>
ExceptionModel::escapesFrom(const FunctionDecl *FD, bool *Cut) {
  if (Cut)
    *Cut = false;
  const FunctionDecl *Def = definitionOf(FD);
  if (!Def || Def->isDependentContext() || isNoexcept(FD) || isNoexcept(Def))
    return {};
  unsigned Budget = Options.MaxFunctions;
  const Summary &S = summarize(Def, Options.MaxDepth, Budget);
  if (Cut)
    *Cut = S.Cut;
  return S.Escapes;
}

} // namespace clang::tidy::threadlint
