//===--- Driver.cpp - the threadlint command ------------------------------===//
//
// A clang-tidy compatible command line with the threadlint profile as its
// default configuration. The pieces are separate functions (options, the
// options provider, the input list, the run) so that CI features (output
// formats, baselines, sharding) can be added around them.
//
//===----------------------------------------------------------------------===//
#include "threadlint/Driver.h"
#include "ThreadlintProfile.h"
#include "common/ResourceDir.h"
#include "clang-tidy/ClangTidy.h"
#include "clang-tidy/ClangTidyDiagnosticConsumer.h"
#include "clang-tidy/ClangTidyOptions.h"
#include "clang/Tooling/ArgumentsAdjusters.h"
#include "clang/Tooling/CommonOptionsParser.h"
#include "clang/Tooling/CompilationDatabase.h"
#include "llvm/ADT/SmallString.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Process.h"
#include "llvm/Support/TargetSelect.h"
#include "llvm/Support/WithColor.h"
#include "llvm/Support/raw_ostream.h"

using namespace clang;
using namespace clang::tidy;
namespace cl = llvm::cl;

namespace threadlint {
namespace {

using clang::tidy::threadlint::defaultProfileCheckOptions;
using clang::tidy::threadlint::defaultProfileChecks;

cl::OptionCategory Category("threadlint options");

const char Overview[] = R"(
threadlint finds concurrency pitfalls in C++ code. It accepts clang-tidy's
options; without --checks, --config or a .clang-tidy file it runs the
threadlint profile: threadlint-* plus the built-in clang-tidy checks listed in
the catalogue. With -p and no source files it analyses every file of the
compilation database.
)";

cl::opt<std::string> Checks("checks", cl::desc(R"(Comma-separated list of globs with optional '-' prefix,
appended to the configured checks (default profile:
-*,threadlint-*,bugprone-unused-return-value,...).)"),
                            cl::init(""), cl::cat(Category));
cl::opt<std::string> Config("config",
                            cl::desc("Configuration in YAML/JSON, as for "
                                     "clang-tidy (replaces .clang-tidy files)."),
                            cl::init(""), cl::cat(Category));
cl::opt<std::string> ConfigFile("config-file",
                                cl::desc("Read the configuration from this "
                                         "file instead of .clang-tidy files."),
                                cl::init(""), cl::cat(Category));
cl::opt<std::string> HeaderFilter(
    "header-filter",
    cl::desc("Regular expression of headers to report diagnostics from."),
    cl::init(""), cl::cat(Category));
cl::opt<bool> SystemHeaders("system-headers",
                            cl::desc("Report diagnostics in system headers."),
                            cl::init(false), cl::cat(Category));
cl::opt<std::string> WarningsAsErrors(
    "warnings-as-errors",
    cl::desc("Checks whose warnings are errors (same syntax as --checks)."),
    cl::init(""), cl::cat(Category));
cl::opt<bool> Fix("fix", cl::desc("Apply the suggested fixes."),
                  cl::init(false), cl::cat(Category));
cl::opt<bool> FixErrors("fix-errors",
                        cl::desc("Apply fixes even if compilation errors "
                                 "were found."),
                        cl::init(false), cl::cat(Category));
cl::opt<bool> FixNotes("fix-notes",
                       cl::desc("Also apply fixes attached to notes."),
                       cl::init(false), cl::cat(Category));
cl::opt<std::string> ExportFixes(
    "export-fixes",
    cl::desc("Write the fixes to this YAML file for clang-apply-replacements."),
    cl::value_desc("filename"), cl::cat(Category));
cl::opt<bool> ListChecks("list-checks", cl::desc("List the enabled checks."),
                         cl::init(false), cl::cat(Category));
cl::opt<bool> DumpConfig("dump-config",
                         cl::desc("Print the effective configuration."),
                         cl::init(false), cl::cat(Category));
cl::opt<bool> Quiet("quiet", cl::desc("Do not print statistics."),
                    cl::init(false), cl::cat(Category));

ClangTidyOptions defaultOptions() {
  ClangTidyOptions Defaults;
  Defaults.Checks = defaultProfileChecks();
  Defaults.WarningsAsErrors = "";
  Defaults.HeaderFilterRegex = HeaderFilter;
  Defaults.SystemHeaders = SystemHeaders;
  Defaults.User = llvm::sys::Process::GetEnv("USER");
  for (const auto &[Key, Value] : defaultProfileCheckOptions())
    Defaults.CheckOptions[Key] = ClangTidyOptions::ClangTidyValue(Value);
  return Defaults;
}

ClangTidyOptions overrideOptions() {
  ClangTidyOptions Override;
  if (Checks.getNumOccurrences())
    Override.Checks = Checks;
  if (WarningsAsErrors.getNumOccurrences())
    Override.WarningsAsErrors = WarningsAsErrors;
  if (HeaderFilter.getNumOccurrences())
    Override.HeaderFilterRegex = HeaderFilter;
  if (SystemHeaders.getNumOccurrences())
    Override.SystemHeaders = SystemHeaders;
  return Override;
}

// The clang-tidy option layering, with the threadlint profile as the
// binary's defaults: .clang-tidy files (or --config/--config-file) come on
// top of it, and command-line flags on top of those.
std::unique_ptr<ClangTidyOptionsProvider>
createOptionsProvider(llvm::IntrusiveRefCntPtr<llvm::vfs::FileSystem> FS) {
  ClangTidyGlobalOptions Global;
  std::string Text;
  llvm::StringRef Source;
  if (!ConfigFile.empty()) {
    if (!Config.empty()) {
      llvm::WithColor::error() << "--config-file and --config are mutually "
                                  "exclusive\n";
      return nullptr;
    }
    auto Buffer = llvm::MemoryBuffer::getFile(ConfigFile);
    if (!Buffer) {
      llvm::WithColor::error() << "cannot read '" << ConfigFile
                               << "': " << Buffer.getError().message() << "\n";
      return nullptr;
    }
    Text = (*Buffer)->getBuffer().str();
    Source = ConfigFile;
  } else if (!Config.empty()) {
    Text = Config;
    Source = "<command-line-config>";
  }
  if (!Source.empty()) {
    llvm::ErrorOr<ClangTidyOptions> Parsed =
        parseConfiguration(llvm::MemoryBufferRef(Text, Source));
    if (!Parsed) {
      llvm::WithColor::error() << "invalid configuration: "
                               << Parsed.getError().message() << "\n";
      return nullptr;
    }
    return std::make_unique<ConfigOptionsProvider>(
        std::move(Global), ClangTidyOptions::getDefaults().merge(
                               defaultOptions(), 0),
        std::move(*Parsed), overrideOptions(), std::move(FS));
  }
  return std::make_unique<FileOptionsProvider>(
      std::move(Global), defaultOptions(), overrideOptions(), std::move(FS));
}

// argv with `--extra-arg-before=-resource-dir=...` added, so that builtin
// headers are found whatever compiler the compilation database names.
std::vector<const char *> withResourceDir(int Argc, const char **Argv,
                                          std::string &Storage) {
  std::vector<const char *> Args(Argv, Argv + Argc);
  if (hasResourceDirArg(Argc, Argv))
    return Args;
  std::string Dir = findResourceDir(Argv[0]);
  if (Dir.empty())
    return Args;
  Storage = "--extra-arg-before=-resource-dir=" + Dir;
  // Before a "--" separator, if any: options after it are compiler flags.
  auto Sep = std::find_if(Args.begin() + 1, Args.end(), [](const char *A) {
    return llvm::StringRef(A) == "--";
  });
  Args.insert(Sep, Storage.c_str());
  return Args;
}

// The compilation database and the files to analyse: the files named, or
// with none and -p, every file of the database. (CommonOptionsParser loads
// no database when no file is named, so that case loads it here, with the
// same --extra-arg adjustments.)
struct Inputs {
  std::unique_ptr<tooling::CompilationDatabase> Owned;
  const tooling::CompilationDatabase *Database = nullptr;
  std::vector<std::string> Files;
};

template <typename T> T *registeredOption(llvm::StringRef Name) {
  return static_cast<T *>(cl::getRegisteredOptions().lookup(Name));
}

bool loadInputs(tooling::CommonOptionsParser &Parser, Inputs &In) {
  In.Files = Parser.getSourcePathList();
  if (!In.Files.empty()) {
    In.Database = &Parser.getCompilations();
    return true;
  }
  auto *BuildPath = registeredOption<cl::opt<std::string>>("p");
  if (!BuildPath || BuildPath->getNumOccurrences() == 0)
    return true; // nothing to analyse: the caller says so
  std::string Error;
  std::unique_ptr<tooling::CompilationDatabase> Database =
      tooling::CompilationDatabase::autoDetectFromDirectory(
          BuildPath->getValue(), Error);
  if (!Database) {
    llvm::WithColor::error() << Error << "\n";
    return false;
  }
  auto Adjusted =
      std::make_unique<tooling::ArgumentsAdjustingCompilations>(
          std::move(Database));
  if (auto *Before = registeredOption<cl::list<std::string>>(
          "extra-arg-before"))
    Adjusted->appendArgumentsAdjuster(tooling::getInsertArgumentAdjuster(
        std::vector<std::string>(Before->begin(), Before->end()),
        tooling::ArgumentInsertPosition::BEGIN));
  if (auto *After = registeredOption<cl::list<std::string>>("extra-arg"))
    Adjusted->appendArgumentsAdjuster(tooling::getInsertArgumentAdjuster(
        std::vector<std::string>(After->begin(), After->end()),
        tooling::ArgumentInsertPosition::END));
  In.Files = Adjusted->getAllFiles();
  In.Owned = std::move(Adjusted);
  In.Database = In.Owned.get();
  return true;
}

int listChecks(const ClangTidyOptions &Effective) {
  std::vector<std::string> Enabled = getCheckNames(Effective, false, false);
  if (Enabled.empty()) {
    llvm::errs() << "No checks enabled.\n";
    return 1;
  }
  llvm::outs() << "Enabled checks:";
  for (const std::string &Name : Enabled)
    llvm::outs() << "\n    " << Name;
  llvm::outs() << "\n\n";
  return 0;
}

} // namespace

int runThreadlint(int Argc, const char **Argv) {
  llvm::InitLLVM X(Argc, Argv);
  static volatile int Keep = linkAllModules();
  (void)Keep;

  std::string ResourceArg;
  std::vector<const char *> Args = withResourceDir(Argc, Argv, ResourceArg);
  int ArgCount = static_cast<int>(Args.size());
  auto Parser = tooling::CommonOptionsParser::create(
      ArgCount, Args.data(), Category, cl::ZeroOrMore, Overview);
  if (!Parser) {
    llvm::WithColor::error() << llvm::toString(Parser.takeError());
    return 2;
  }

  llvm::IntrusiveRefCntPtr<llvm::vfs::OverlayFileSystem> BaseFS(
      new llvm::vfs::OverlayFileSystem(llvm::vfs::getRealFileSystem()));
  std::unique_ptr<ClangTidyOptionsProvider> Provider =
      createOptionsProvider(BaseFS);
  if (!Provider)
    return 2;

  Inputs In;
  if (!loadInputs(*Parser, In))
    return 2;
  const std::vector<std::string> &Files = In.Files;
  llvm::SmallString<256> FirstFile(Files.empty() ? "dummy" : Files.front());
  if (std::error_code EC = llvm::sys::fs::make_absolute(FirstFile))
    llvm::WithColor::warning() << "cannot make '" << FirstFile
                               << "' absolute: " << EC.message() << "\n";
  ClangTidyOptions Effective = Provider->getOptions(FirstFile);

  if (ListChecks)
    return listChecks(Effective);
  if (DumpConfig) {
    Effective.CheckOptions = getCheckOptions(Effective, false, false);
    llvm::outs() << configurationAsText(
                        ClangTidyOptions::getDefaults().merge(Effective, 0))
                 << "\n";
    return 0;
  }
  if (getCheckNames(Effective, false, false).empty()) {
    llvm::errs() << "error: no checks enabled\n";
    return 2;
  }
  if (Files.empty()) {
    llvm::errs() << "error: no input files (name files, or give -p with a "
                    "compile_commands.json)\n";
    return 2;
  }

  llvm::InitializeAllTargetInfos();
  llvm::InitializeAllTargetMCs();
  llvm::InitializeAllAsmParsers();

  ClangTidyContext Context(std::move(Provider), false, false, false);
  std::vector<ClangTidyError> Errors =
      runClangTidy(Context, *In.Database, Files, BaseFS,
                   FixNotes, false, "", Quiet);
  const bool FoundErrors = llvm::any_of(Errors, [](const ClangTidyError &E) {
    return E.DiagLevel == ClangTidyError::Error;
  });
  const FixBehaviour Behaviour = FixNotes               ? FB_FixNotes
                                 : (Fix || FixErrors) ? FB_Fix
                                                      : FB_NoFix;
  const bool DisableFixes = FoundErrors && !FixErrors;
  unsigned WErrorCount = 0;
  handleErrors(Errors, Context, DisableFixes ? FB_NoFix : Behaviour,
               WErrorCount, BaseFS);

  if (!ExportFixes.empty() && !Errors.empty()) {
    std::error_code EC;
    llvm::raw_fd_ostream OS(ExportFixes, EC, llvm::sys::fs::OF_None);
    if (EC) {
      llvm::errs() << "error: cannot write '" << ExportFixes
                   << "': " << EC.message() << "\n";
      return 2;
    }
    exportReplacements(FirstFile.str(), Errors, OS);
  }
  if (WErrorCount)
    return 1;
  return FoundErrors ? 1 : 0;
}

} // namespace threadlint
