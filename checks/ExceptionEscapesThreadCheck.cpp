//===--- ExceptionEscapesThreadCheck.cpp - threadlint ---------------------===//
#include "ExceptionEscapesThreadCheck.h"
#include "model/AstHelpers.h"
#include "clang/AST/ExprCXX.h"
#include "clang/ASTMatchers/ASTMatchFinder.h"

using namespace clang::ast_matchers;

namespace clang::tidy::threadlint {
namespace {

/// Strips what does not change which callable an expression denotes.
const Expr *strip(const Expr *E) {
  for (unsigned Depth = 0; E && Depth < 16; ++Depth) {
    E = E->IgnoreParenImpCasts();
    if (const auto *M = llvm::dyn_cast<MaterializeTemporaryExpr>(E))
      E = M->getSubExpr();
    else if (const auto *B = llvm::dyn_cast<CXXBindTemporaryExpr>(E))
      E = B->getSubExpr();
    else if (const auto *C = llvm::dyn_cast<ExprWithCleanups>(E))
      E = C->getSubExpr();
    else if (const auto *F = llvm::dyn_cast<CXXFunctionalCastExpr>(E))
      E = F->getSubExpr();
    else if (const auto *CE = llvm::dyn_cast<CXXConstructExpr>(E);
             CE && CE->getNumArgs() == 1 && CE->getConstructor() &&
             CE->getConstructor()->isCopyOrMoveConstructor())
      E = CE->getArg(0);
    else if (const auto *Call = llvm::dyn_cast<CallExpr>(E);
             Call && Call->getNumArgs() == 1 && Call->getDirectCallee() &&
             Call->getDirectCallee()->isInStdNamespace() &&
             Call->getDirectCallee()->getIdentifier() &&
             (Call->getDirectCallee()->getName() == "move" ||
              Call->getDirectCallee()->getName() == "forward"))
      E = Call->getArg(0);
    else
      return E;
  }
  return E;
}

/// The initialiser of a local variable \p E names (`auto task = ...;
/// std::thread t(task);`), or \p E itself.
const Expr *throughLocal(const Expr *E) {
  if (const auto *DRE = llvm::dyn_cast_or_null<DeclRefExpr>(E))
    if (const auto *VD = llvm::dyn_cast<VarDecl>(DRE->getDecl()))
      if (VD->hasLocalStorage() && VD->getInit() &&
          !VD->getType()->isReferenceType())
        return strip(VD->getInit());
  return E;
}

bool isStdClass(const CXXRecordDecl *RD, llvm::StringRef Name) {
  return RD && RD->getIdentifier() && RD->getName() == Name &&
         RD->isInStdNamespace();
}

/// The callable is a std::packaged_task, which stores the exception in its
/// future (directly, or wrapping the lambda on the way in).
bool isPackagedTask(const Expr *Callable) {
  const Expr *E = Callable;
  for (unsigned Depth = 0; E && Depth < 4; ++Depth) {
    if (isStdClass(recordOfObjectType(E->getType()), "packaged_task"))
      return true;
    E = throughLocal(strip(E));
    if (isStdClass(recordOfObjectType(E->getType()), "packaged_task"))
      return true;
    const auto *Wrap = llvm::dyn_cast<CXXConstructExpr>(E);
    if (!Wrap || Wrap->getNumArgs() != 1)
      return false;
    E = Wrap->getArg(0);
  }
  return false;
}

/// The operator() of a user functor class (not a lambda, not a library
/// binder): the only one, or the only one taking \p Arity arguments.
const FunctionDecl *functorCall(QualType T, std::optional<unsigned> Arity,
                                const SourceManager &SM) {
  const CXXRecordDecl *RD = recordOfObjectType(T);
  if (!RD || !RD->hasDefinition() || RD->isLambda() ||
      RD->isInStdNamespace() ||
      SM.isInSystemHeader(SM.getExpansionLoc(RD->getLocation())))
    return nullptr;
  RD = RD->getDefinition();
  const FunctionDecl *Found = nullptr;
  DeclarationName Call =
      RD->getASTContext().DeclarationNames.getCXXOperatorName(OO_Call);
  for (const NamedDecl *ND : RD->lookup(Call)) {
    const auto *MD = llvm::dyn_cast<CXXMethodDecl>(ND);
    if (!MD || (Arity && MD->getNumParams() != *Arity))
      continue;
    if (Found)
      return nullptr; // overloads: which one runs is not told apart here
    Found = MD;
  }
  return Found;
}

/// The function a callable expression runs: a lambda, a named function, a
/// pointer to a member function, a functor called with \p Arity arguments
/// (any, when not given), or `std::bind` of one of them.
const FunctionDecl *runs(const Expr *Callable, std::optional<unsigned> Arity,
                         const SourceManager &SM, unsigned Depth = 0) {
  if (!Callable || Depth > 2)
    return nullptr;
  const Expr *E = throughLocal(strip(Callable));
  if (const auto *UO = llvm::dyn_cast<UnaryOperator>(E);
      UO && UO->getOpcode() == UO_AddrOf)
    E = strip(UO->getSubExpr());
  if (const auto *L = llvm::dyn_cast<LambdaExpr>(E))
    return L->getCallOperator();
  if (const auto *DRE = llvm::dyn_cast<DeclRefExpr>(E))
    if (const auto *FD = llvm::dyn_cast<FunctionDecl>(DRE->getDecl()))
      return FD;
  // std::bind(f, args...) / boost::bind: runs f, with arguments the binder
  // decides.
  if (const auto *Call = llvm::dyn_cast<CallExpr>(E)) {
    const FunctionDecl *FD = Call->getDirectCallee();
    if (!FD || !FD->getIdentifier() || FD->getName() != "bind" ||
        Call->getNumArgs() == 0)
      return nullptr;
    const auto *NS = llvm::dyn_cast<NamespaceDecl>(
        FD->getDeclContext()->getEnclosingNamespaceContext());
    if (!FD->isInStdNamespace() &&
        !(NS && NS->getIdentifier() && NS->getName() == "boost"))
      return nullptr;
    return runs(Call->getArg(0), std::nullopt, SM, Depth + 1);
  }
  return functorCall(E->getType(), Arity, SM);
}

/// As a function is named in a note: qualified, without inline namespaces
/// or template arguments; "lambda" for a lambda's call operator.
std::string displayName(const FunctionDecl *FD) {
  if (const auto *MD = llvm::dyn_cast<CXXMethodDecl>(FD);
      MD && MD->getParent()->isLambda())
    return "lambda";
  llvm::SmallVector<std::string, 4> Parts;
  Parts.push_back(FD->getNameAsString());
  for (const DeclContext *DC = FD->getDeclContext(); DC;
       DC = DC->getParent()) {
    if (const auto *NS = llvm::dyn_cast<NamespaceDecl>(DC)) {
      if (NS->isInline() || NS->isAnonymousNamespace())
        continue;
      Parts.push_back(NS->getNameAsString());
    } else if (const auto *RD = llvm::dyn_cast<RecordDecl>(DC)) {
      if (!RD->getIdentifier())
        break;
      Parts.push_back(RD->getNameAsString());
    } else if (!DC->isTranslationUnit()) {
      break;
    }
  }
  std::string Name;
  for (const std::string &P : llvm::reverse(Parts)) {
    if (!Name.empty())
      Name += "::";
    Name += P;
  }
  return Name;
}

} // namespace

ExceptionEscapesThreadCheck::ExceptionEscapesThreadCheck(
    StringRef Name, ClangTidyContext *Context)
    : ClangTidyCheck(Name, Context), ModelOpts(ModelOptions::read(Options)),
      ReportAllocation(Options.get("ReportAllocation", false)),
      Verbose(Options.get("Verbose", false)) {}

void ExceptionEscapesThreadCheck::storeOptions(
    ClangTidyOptions::OptionMap &Opts) {
  ModelOpts.store(Options, Opts);
  Options.store(Opts, "ReportAllocation", ReportAllocation);
  Options.store(Opts, "Verbose", Verbose);
}

void ExceptionEscapesThreadCheck::registerMatchers(MatchFinder *Finder) {
  // The spawn sites come from the concurrency model, once per translation
  // unit.
  Finder->addMatcher(translationUnitDecl().bind("tu"), this);
}

void ExceptionEscapesThreadCheck::onEndOfTranslationUnit() {
  Reported.clear();
  Model.reset();
}

void ExceptionEscapesThreadCheck::check(
    const MatchFinder::MatchResult &Result) {
  ASTContext &Ctx = *Result.Context;
  // Built with -fno-exceptions: nothing can be thrown.
  if (!Ctx.getLangOpts().CXXExceptions)
    return;
  const SourceManager &SM = Ctx.getSourceManager();
  ConcurrencyModel &M = ConcurrencyModel::get(Ctx, ModelOpts, Model);
  ExceptionModelOptions Opts;
  Opts.MaxDepth = ModelOpts.MaxEntryDepth;
  Opts.MaxFunctions = ModelOpts.MaxEntryFunctions;
  Opts.ReportAllocation = ReportAllocation;
  ExceptionModel Exceptions(Ctx, Opts);
  for (const SpawnRecord &R : M.spawns()) {
    const SpawnSite &Site = R.Site;
    // std::async and pool tasks: the future (or the pool, perhaps) keeps
    // the exception.
    if (Site.Kind != SpawnKind::Thread && Site.Kind != SpawnKind::JThread &&
        Site.Kind != SpawnKind::PthreadCreate)
      continue;
    if (!Site.Site || Site.Site->containsErrors() ||
        (Site.Callable && isPackagedTask(Site.Callable)))
      continue;
    const FunctionDecl *Body = R.Bodies.empty() ? nullptr : R.Bodies.front();
    if (!Body && Site.Callable)
      Body = runs(Site.Callable,
                  Site.Kind == SpawnKind::JThread
                      ? std::nullopt // perhaps with a std::stop_token
                      : std::optional<unsigned>(Site.Args.size()),
                  SM);
    if (!Body || Body->isInvalidDecl() ||
        SM.isInSystemHeader(SM.getExpansionLoc(Body->getLocation())))
      continue;
    const SourceLocation Loc =
        (Site.Callable ? Site.Callable : Site.Site)->getBeginLoc();
    if (Reported.contains(Loc.getRawEncoding()))
      continue;
    bool Cut = false;
    llvm::ArrayRef<ExceptionEscape> Escapes =
        Exceptions.escapesFrom(Body, &Cut);
    if (Escapes.empty()) {
      if (Cut && Verbose && Reported.insert(Loc.getRawEncoding()).second)
        diag(Loc,
             "the search for exceptions that can escape this thread stopped "
             "at a bound (MaxEntryDepth, MaxEntryFunctions)",
             DiagnosticIDs::Remark);
      continue;
    }
    Reported.insert(Loc.getRawEncoding());
    report(R, Escapes.front(), Ctx);
  }
}

void ExceptionEscapesThreadCheck::report(const SpawnRecord &R,
                                         const ExceptionEscape &E,
                                         ASTContext &Ctx) {
  const SpawnSite &Site = R.Site;
  const SourceLocation Loc =
      (Site.Callable ? Site.Callable : Site.Site)->getBeginLoc();
  const std::string Type = E.What.name(Ctx);
  // What leaves the thread.
  enum { Typed, FromCall, Rethrown, SecondSet, FromNew };
  unsigned What = Typed;
  std::string Arg = Type;
  switch (E.Origin) {
  case ThrowOrigin::Throw:
    What = Typed;
    break;
  case ThrowOrigin::Rethrow:
    What = Rethrown;
    break;
  case ThrowOrigin::Call:
    What = FromCall;
    Arg = displayName(E.Callee);
    break;
  case ThrowOrigin::SecondSet:
    What = SecondSet;
    Arg = E.Callee->getNameAsString();
    break;
  case ThrowOrigin::New:
    What = FromNew;
    break;
  }
  diag(Loc, "%select{an exception of type '%1'|an exception thrown by '%1'|"
            "an exception rethrown by 'throw'|'std::future_error' thrown by a "
            "second '%1' on one promise|'std::bad_alloc' thrown by 'new'}0 can "
            "escape the thread started here, which calls 'std::terminate'")
      << What << Arg;
  const Expr *Previous = nullptr;
  for (const auto &[Call, Callee] : E.Through) {
    if (Call == Previous) // a recursion, followed level by level
      continue;
    Previous = Call;
    diag(Call->getBeginLoc(), "through this call to '%0'", DiagnosticIDs::Note)
        << displayName(Callee);
  }
  switch (E.Origin) {
  case ThrowOrigin::Throw:
    diag(E.At->getBeginLoc(),
         "'%0' is thrown here and no handler in the thread catches it",
         DiagnosticIDs::Note)
        << Type;
    break;
  case ThrowOrigin::Rethrow:
    diag(E.At->getBeginLoc(),
         "the exception is rethrown here and no handler in the thread "
         "catches it",
         DiagnosticIDs::Note);
    break;
  case ThrowOrigin::Call:
    if (E.What.K == ThrownType::Kind::Any)
      diag(E.At->getBeginLoc(),
           "'%0' rethrows the exception stored in the future here and no "
           "handler in the thread catches it",
           DiagnosticIDs::Note)
          << displayName(E.Callee);
    else
      diag(E.At->getBeginLoc(),
           "'%0' can throw '%1' here and no handler in the thread catches it",
           DiagnosticIDs::Note)
          << displayName(E.Callee) << Type;
    break;
  case ThrowOrigin::SecondSet:
    diag(E.FirstSet->getBeginLoc(), "the promise is satisfied here first",
         DiagnosticIDs::Note);
    diag(E.At->getBeginLoc(),
         "'%0' throws 'std::future_error' here, on every path after the "
         "first, and no handler in the thread catches it",
         DiagnosticIDs::Note)
        << E.Callee->getNameAsString();
    break;
  case ThrowOrigin::New:
    diag(E.At->getBeginLoc(),
         "'new' can throw 'std::bad_alloc' here and no handler in the thread "
         "catches it",
         DiagnosticIDs::Note);
    break;
  }
}

} // namespace clang::tidy::threadlint
