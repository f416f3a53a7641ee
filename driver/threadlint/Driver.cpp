//===--- Driver.cpp - the threadlint command ------------------------------===//
//
// A clang-tidy compatible command line with the threadlint profile as its
// default configuration: its options, the options provider, the input list
// and the run (in this process, or in worker processes for a whole
// project). What a run reports is built elsewhere: Findings.h (the findings
// and the summary), Reports.h (the formats), Baseline.h (fingerprints and
// baselines), Merge.h (--shard and `threadlint merge`).
//
//===----------------------------------------------------------------------===//
#include "threadlint/Driver.h"
#include "threadlint/Baseline.h"
#include "threadlint/Findings.h"
#include "threadlint/Merge.h"
#include "threadlint/Project.h"
#include "threadlint/Reports.h"
#include "threadlint/Version.h"
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
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Process.h"
#include "llvm/Support/TargetSelect.h"
#include "llvm/Support/Threading.h"
#include "llvm/Support/WithColor.h"
#include "llvm/Support/raw_ostream.h"
#include <chrono>
#include <tuple>

using namespace clang;
using namespace clang::tidy;
namespace cl = llvm::cl;

namespace threadlint {
namespace {

using clang::tidy::threadlint::defaultProfileCheckOptions;
using clang::tidy::threadlint::defaultProfileChecks;
using clang::tidy::threadlint::LockOrderEdge;

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

// ---------------------------------------------------------------------------
// Machine-readable reports (--format json|sarif|codeclimate) and baselines.

llvm::StringRef formatHelp() {
  static const std::string Help =
      ("Report format: " + reportFormatList() + ".").str();
  return Help;
}
cl::opt<std::string> Format("format", cl::desc(formatHelp()),
                            cl::init("text"), cl::cat(Category));
cl::opt<std::string> OutputFile("output",
                                cl::desc("Write the report to this file "
                                         "instead of stdout."),
                                cl::init(""), cl::cat(Category));
cl::opt<std::string> SourceRoot(
    "source-root",
    cl::desc("Directory report paths are relative to (%SRCROOT%); default: "
             "the git toplevel, or the current directory."),
    cl::init(""), cl::cat(Category));
cl::opt<std::string> BaselineFile("baseline",
                                  cl::desc("Report only findings not in this "
                                           "baseline file."),
                                  cl::init(""), cl::cat(Category));
cl::opt<std::string> WriteBaseline("write-baseline",
                                   cl::desc("Record the current findings in "
                                            "this baseline file."),
                                   cl::init(""), cl::cat(Category));

cl::opt<std::string> Shard("shard",
                           cl::desc("K/N: analyse only the K-th of N parts of "
                                    "the sorted file list (round robin)."),
                           cl::init(""), cl::cat(Category));

// ---------------------------------------------------------------------------
// Whole-project runs: worker processes, the result cache, filters, diff mode.

cl::opt<unsigned> Jobs("j", cl::Prefix,
                       cl::desc("Translation units analysed at once, each in "
                                "a worker process (default: the number of "
                                "cores)."),
                       cl::init(0), cl::cat(Category));
cl::opt<std::string> CacheDir(
    "cache-dir",
    cl::desc("Keep results here; a translation unit whose inputs (its files' "
             "contents, compile command, configuration, threadlint build) "
             "are unchanged is not analysed again."),
    cl::init(""), cl::cat(Category));
cl::opt<std::string> DiffBase(
    "diff-base",
    cl::desc("Report only findings on lines changed since this git ref "
             "(e.g. the merge base of a pull request)."),
    cl::init(""), cl::cat(Category));
cl::list<std::string> IncludePaths(
    "include",
    cl::desc("Analyse and report only paths matching this glob (relative to "
             "the source root; a directory matches what is under it). "
             "Repeatable."),
    cl::cat(Category));
cl::list<std::string> ExcludePaths(
    "exclude",
    cl::desc("Neither analyse nor report paths matching this glob. "
             "Repeatable."),
    cl::cat(Category));
cl::opt<std::string> ParseErrors(
    "parse-errors",
    cl::desc("fail (default): a translation unit that does not compile or "
             "cannot be analysed fails the run; ignore: it is only listed in "
             "the summary and the report."),
    cl::init("fail"), cl::cat(Category));
cl::opt<std::string> ProgressMode(
    "progress",
    cl::desc("auto (default: a bar on a terminal, lines otherwise), bar, "
             "lines or none."),
    cl::init("auto"), cl::cat(Category));
cl::opt<unsigned> Timeout("timeout",
                          cl::desc("Stop analysing a translation unit after "
                                   "this many seconds (0: no limit)."),
                          cl::init(0), cl::cat(Category));
cl::opt<std::string> WorkerOutput("worker-output", cl::Hidden, cl::init(""),
                                  cl::cat(Category));
cl::opt<std::string> WorkerFile("worker-file", cl::Hidden, cl::init(""),
                                cl::cat(Category));

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

// The compilation database and the files to analyse: the files named, or
// with none and -p, every file of the database. (CommonOptionsParser loads
// no database when no file is named, so that case loads it here, with the
// same --extra-arg adjustments.)
struct Inputs {
  std::unique_ptr<tooling::CompilationDatabase> Owned;
  std::unique_ptr<DistinctCommandsDatabase> Distinct;
  const tooling::CompilationDatabase *Database = nullptr;
  std::vector<std::string> Files;
  bool WholeDatabase = false; // no files named: every file of the database
};

template <typename T> T *registeredOption(llvm::StringRef Name) {
  return static_cast<T *>(cl::getRegisteredOptions().lookup(Name));
}

bool loadDatabase(tooling::CommonOptionsParser &Parser, Inputs &In) {
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
  In.WholeDatabase = true;
  In.Owned = std::move(Adjusted);
  In.Database = In.Owned.get();
  return true;
}

bool loadInputs(tooling::CommonOptionsParser &Parser, Inputs &In) {
  if (!loadDatabase(Parser, In))
    return false;
  if (In.Database) {
    In.Distinct = std::make_unique<DistinctCommandsDatabase>(*In.Database);
    In.Database = In.Distinct.get();
  }
  return true;
}

// What a worker process is told besides its file (WorkerPool adds that):
// the options that decide the configuration and the analysis, and those
// that make its compilation database the one the parent uses. Report,
// baseline, filter and scheduling options stay with the parent. Named: the
// source paths named on the command line; Args: the parent's arguments.
std::vector<std::string> workerArgs(const std::vector<std::string> &Named,
                                    llvm::ArrayRef<const char *> Args) {
  std::vector<std::string> Out;
  auto Forward = [&](const cl::Option &O, const std::string &Value) {
    if (O.getNumOccurrences())
      Out.push_back(("--" + O.ArgStr + "=" + Value).str());
  };
  auto ForwardBool = [&](const cl::opt<bool> &O) {
    Forward(O, O ? "true" : "false");
  };
  Forward(Checks, Checks);
  Forward(Config, Config);
  Forward(ConfigFile, ConfigFile);
  Forward(HeaderFilter, HeaderFilter);
  Forward(WarningsAsErrors, WarningsAsErrors);
  ForwardBool(SystemHeaders);
  ForwardBool(FixNotes);
  ForwardBool(Quiet);
  for (llvm::StringRef Name : {"extra-arg-before", "extra-arg"})
    if (auto *List = registeredOption<cl::list<std::string>>(Name))
      for (const std::string &Arg : *List)
        Out.push_back(("--" + Name + "=" + Arg).str());
  // The database: the parent's -p; without one, the database found from
  // the first file named (CommonOptionsParser searches from there), unless
  // a compile command follows "--" (then the worker gets it too).
  const auto *Sep = llvm::find_if(
      Args, [](const char *A) { return llvm::StringRef(A) == "--"; });
  auto *BuildPath = registeredOption<cl::opt<std::string>>("p");
  if (BuildPath && BuildPath->getNumOccurrences())
    Out.push_back("-p=" + BuildPath->getValue());
  else if (Sep == Args.end() && !Named.empty())
    Out.push_back(
        "-p=" +
        llvm::sys::path::parent_path(absolutePath(Named.front())).str());
  Out.insert(Out.end(), Sep, Args.end());
  return Out;
}


bool isCompileError(const ClangTidyError &E) {
  return E.DiagLevel == ClangTidyError::Error &&
         E.DiagnosticName == "clang-diagnostic-error";
}

// Analyses one file in this process. With Record, the files read and their
// hashes are kept (for the cache).
TuResult analyse(ClangTidyContext &Context,
                 const tooling::CompilationDatabase &Database,
                 const std::string &File, bool Record) {
  TuResult R;
  R.File = File;
  auto Recording = llvm::makeIntrusiveRefCnt<RecordingFileSystem>(
      llvm::vfs::getRealFileSystem());
  llvm::IntrusiveRefCntPtr<llvm::vfs::OverlayFileSystem> FS(
      new llvm::vfs::OverlayFileSystem(
          Record ? llvm::IntrusiveRefCntPtr<llvm::vfs::FileSystem>(Recording)
                 : llvm::vfs::getRealFileSystem()));
  auto Start = std::chrono::steady_clock::now();
  // threadlint-lock-order-inversion leaves its exported edges here.
  std::vector<LockOrderEdge> Edges;
  clang::tidy::threadlint::setLockEdgeCollector(&Edges);
  R.Errors = runClangTidy(Context, Database, {File}, FS, FixNotes, false, "",
                          Quiet);
  clang::tidy::threadlint::setLockEdgeCollector(nullptr);
  const std::string Unit = absolutePath(File);
  for (LockOrderEdge &E : Edges)
    E.Unit = Unit;
  sortLockEdges(Edges);
  R.LockEdges = std::move(Edges);
  R.Seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() -
                                            Start)
                  .count();
  if (Record) {
    FileHashes Hashes;
    for (const std::string &Path : Recording->read())
      R.Inputs.emplace_back(Path, Hashes.hashOf(Path));
  }
  return R;
}

// --worker-output: analyse --worker-file and write what was found.
int runWorker(ClangTidyContext &Context,
              const tooling::CompilationDatabase &Database) {
  TuResult R = analyse(Context, Database, WorkerFile, /*Record=*/true);
  std::error_code EC;
  llvm::raw_fd_ostream OS(WorkerOutput, EC, llvm::sys::fs::OF_Text);
  if (EC) {
    llvm::errs() << "error: cannot write '" << WorkerOutput
                 << "': " << EC.message() << "\n";
    return 2;
  }
  OS << llvm::json::Value(tuResultToJson(R));
  return 0;
}

// What a cached result depends on besides the files it read: this build of
// threadlint, the configuration for the file and its compile commands.
// The configuration is looked up once per directory (.clang-tidy files are
// per directory; a broken one is then reported once, not once per file).
std::string cacheKey(ClangTidyContext &Context,
                     const tooling::CompilationDatabase &Database,
                     const std::string &File, llvm::StringRef Build,
                     llvm::StringMap<std::string> &ConfigByDir) {
  std::string Text;
  llvm::raw_string_ostream OS(Text);
  std::string Abs = absolutePath(File);
  auto [Config, New] =
      ConfigByDir.try_emplace(llvm::sys::path::parent_path(Abs));
  if (New)
    Config->second = configurationAsText(Context.getOptionsForFile(Abs));
  OS << "threadlint-cache-v1\n" << Build << "\n" << FixNotes << "\n";
  OS << Config->second << "\n";
  for (const tooling::CompileCommand &Cmd : Database.getCompileCommands(File)) {
    OS << Cmd.Directory << '\0' << Cmd.Filename << '\0';
    for (const std::string &Arg : Cmd.CommandLine)
      OS << Arg << '\0';
    OS << "\n";
  }
  OS << Abs;
  return hashText(Text);
}

// This build of threadlint: version, LLVM version and the executable's hash.
std::string buildIdentity(llvm::StringRef Executable) {
  FileHashes Hashes;
  return (threadlintVersion() + " " + llvmVersion() + " " +
          Hashes.hashOf(Executable))
      .str();
}

// Progress of a whole-project run on stderr: a bar on a terminal, a line per
// file otherwise.
class ProgressDisplay {
public:
  explicit ProgressDisplay(size_t Total) : Total(Total) {
    llvm::StringRef Mode = ProgressMode;
    if (Quiet || Mode == "none")
      return;
    if (Mode == "auto")
      Mode = llvm::sys::Process::StandardErrIsDisplayed() ? "bar" : "lines";
    Bar = Mode == "bar";
    Lines = Mode == "lines";
  }
  void done(llvm::StringRef Rel, const TuResult &R) {
    ++Done;
    if (Lines) {
      llvm::errs() << llvm::formatv("[{0}/{1}] {2}", Done, Total, Rel);
      if (R.Cached)
        llvm::errs() << " (cached)";
      else if (!R.Crash.empty())
        llvm::errs() << " (" << R.Crash << ")";
      else
        llvm::errs() << llvm::formatv(" ({0:F1} s)", R.Seconds);
      llvm::errs() << "\n";
    } else if (Bar) {
      const unsigned Width = 24;
      unsigned Filled = Total ? Width * Done / Total : Width;
      std::string Name = Rel.str();
      if (Name.size() > 48)
        Name = "..." + Name.substr(Name.size() - 45);
      llvm::errs() << "\r\x1b[K[" << std::string(Filled, '#')
                   << std::string(Width - Filled, '.') << "] " << Done << "/"
                   << Total << " " << Name;
      llvm::errs().flush();
    }
  }
  void finish() {
    if (Bar && Done)
      llvm::errs() << "\r\x1b[K";
  }

private:
  size_t Total, Done = 0;
  bool Bar = false, Lines = false;
};

// Every file in worker processes, results from the cache where it has them.
bool runProject(ClangTidyContext &Context,
                const tooling::CompilationDatabase &Database,
                const std::vector<std::string> &Files, const char *Argv0,
                std::vector<std::string> WorkerArgs, SourceCache &Sources,
                std::vector<TuResult> &Results, size_t &Cached) {
  Results.assign(Files.size(), TuResult());
  ProgressDisplay Progress(Files.size());
  std::string Executable = llvm::sys::fs::getMainExecutable(
      Argv0, reinterpret_cast<void *>(&runThreadlint));
  std::optional<ResultCache> Cache;
  std::vector<std::string> Keys(Files.size());
  std::vector<size_t> ToRun;
  std::string Error;
  if (!CacheDir.empty()) {
    Cache.emplace(CacheDir);
    if (!Cache->prepare(Error)) {
      llvm::errs() << "error: " << Error << "\n";
      return false;
    }
    std::string Build = buildIdentity(Executable);
    FileHashes Hashes;
    llvm::StringMap<std::string> ConfigByDir;
    for (size_t I = 0; I < Files.size(); ++I) {
      Keys[I] = cacheKey(Context, Database, Files[I], Build, ConfigByDir);
      if (Cache->lookup(Keys[I], Hashes, Results[I])) {
        Results[I].File = Files[I];
        ++Cached;
        Progress.done(Sources.relative(absolutePath(Files[I])), Results[I]);
        continue;
      }
      ToRun.push_back(I);
    }
  } else {
    for (size_t I = 0; I < Files.size(); ++I)
      ToRun.push_back(I);
  }
  WorkerPool Pool;
  Pool.Program = Executable;
  Pool.Args = std::move(WorkerArgs);
  Pool.Jobs = Jobs ? unsigned(Jobs)
                   : llvm::hardware_concurrency().compute_thread_count();
  Pool.TimeoutSeconds = Timeout;
  std::vector<std::string> RunFiles;
  RunFiles.reserve(ToRun.size());
  for (size_t I : ToRun)
    RunFiles.push_back(Files[I]);
  bool Ok = Pool.run(
      RunFiles,
      [&](size_t K, TuResult &&R) {
        size_t I = ToRun[K];
        // Not kept: crashes and timeouts (they may not happen again), and
        // compile errors (a missing generated header is not among the
        // files read, so its appearance would not invalidate the entry).
        if (Cache && R.Crash.empty() && llvm::none_of(R.Errors, isCompileError))
          Cache->store(Keys[I], R);
        Progress.done(Sources.relative(absolutePath(Files[I])), R);
        Results[I] = std::move(R);
      },
      Error);
  Progress.finish();
  if (!Ok)
    llvm::errs() << "error: " << Error << "\n";
  return Ok;
}

// The TUs that could not be analysed: a crash or timeout, or a compile
// error (the first one).
std::vector<Failure> failuresOf(const std::vector<TuResult> &Results,
                                SourceCache &Sources) {
  std::vector<Failure> Out;
  for (const TuResult &R : Results) {
    std::string Rel = Sources.relative(absolutePath(R.File));
    if (!R.Crash.empty()) {
      Out.push_back({Rel, R.Crash});
      continue;
    }
    // The first error with a place ("too many errors emitted" has none, and
    // sorts first); one without a place only when there is no other.
    auto First = llvm::find_if(R.Errors, [](const ClangTidyError &E) {
      return isCompileError(E) && !E.Message.FilePath.empty();
    });
    if (First == R.Errors.end())
      First = llvm::find_if(R.Errors, isCompileError);
    if (First == R.Errors.end())
      continue;
    if (First->Message.FilePath.empty()) {
      Out.push_back({Rel, "error: " + First->Message.Message});
      continue;
    }
    Location L = Sources.locate(First->Message.FilePath,
                                First->Message.FileOffset,
                                First->BuildDirectory);
    Out.push_back({Rel, llvm::formatv("{0}:{1}:{2}: error: {3}", L.Rel, L.Line,
                                      L.Column, First->Message.Message)
                            .str()});
  }
  return Out;
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
  if (Argc > 1 && llvm::StringRef(Argv[1]) == "merge")
    return runMerge(llvm::ArrayRef<const char *>(Argv + 2, Argv + Argc));
  static volatile int Keep = linkAllModules();
  (void)Keep;

  // --version names threadlint's version, revision and LLVM.
  cl::SetVersionPrinter([](llvm::raw_ostream &OS) { printVersion(OS); });
  // -resource-dir for the compiler, so that builtin headers are found
  // whatever compiler the compilation database names.
  std::string ResourceArg;
  std::vector<const char *> Args = withResourceDirArg(
      llvm::ArrayRef<const char *>(Argv, Argv + Argc),
      "--extra-arg-before=-resource-dir=", ResourceArg);
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
  if (!WorkerOutput.empty()) {
    // A worker of a whole-project run: one file, raw diagnostics.
    llvm::InitializeAllTargetInfos();
    llvm::InitializeAllTargetMCs();
    llvm::InitializeAllAsmParsers();
    if (!In.Database) {
      llvm::errs() << "error: worker without a compilation database\n";
      return 2;
    }
    ClangTidyContext Context(std::move(Provider), false, false, false);
    return runWorker(Context, *In.Database);
  }
  if (!validChoice("format", Format, reportFormatNames()) ||
      !validChoice("parse-errors", ParseErrors, {"fail", "ignore"}) ||
      !validChoice("progress", ProgressMode, {"auto", "bar", "lines", "none"}))
    return 2;

  const auto Start = std::chrono::steady_clock::now();
  const std::string Root = defaultSourceRoot(SourceRoot);
  SourceCache Sources(Root);
  PathFilter Filter;
  std::string FilterError;
  for (const std::string &P : IncludePaths)
    if (!Filter.add(P, /*Include=*/true, FilterError)) {
      llvm::errs() << "error: --include: " << FilterError << "\n";
      return 2;
    }
  for (const std::string &P : ExcludePaths)
    if (!Filter.add(P, /*Include=*/false, FilterError)) {
      llvm::errs() << "error: --exclude: " << FilterError << "\n";
      return 2;
    }
  llvm::erase_if(In.Files, [&](const std::string &File) {
    std::string Abs = absolutePath(File);
    return !Filter.accepts(Sources.relative(Abs), Abs);
  });
  // The files named, before the filters: a worker's database is found from
  // the first of them, as this process's was.
  const std::vector<std::string> Named = Parser->getSourcePathList();
  if (!applyShard(Shard, In.Files))
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
  const std::vector<std::string> CheckNames =
      getCheckNames(Effective, false, false);
  if (CheckNames.empty()) {
    llvm::errs() << "error: no checks enabled\n";
    return 2;
  }
  const bool Selected = !Shard.empty() || !Filter.empty();
  if (Files.empty() && !Selected) {
    llvm::errs() << "error: no input files (name files, or give -p with a "
                    "compile_commands.json)\n";
    return 2;
  }
  std::optional<ChangedLines> Changes;
  if (!DiffBase.empty()) {
    std::string Error;
    Changes.emplace();
    if (!gitChangedLines(DiffBase, Root, *Changes, Error)) {
      llvm::errs() << "error: --diff-base " << DiffBase << ": " << Error
                   << "\n";
      return 2;
    }
  }

  llvm::InitializeAllTargetInfos();
  llvm::InitializeAllTargetMCs();
  llvm::InitializeAllAsmParsers();

  ClangTidyContext Context(std::move(Provider), false, false, false);
  // One named file runs in this process, as clang-tidy would; a whole
  // database, several files, -j or a cache in worker processes.
  const bool Project = In.WholeDatabase || Files.size() > 1 ||
                       Jobs.getNumOccurrences() || !CacheDir.empty();
  std::vector<TuResult> Results;
  size_t Cached = 0;
  if (Project) {
    if (!runProject(Context, *In.Database, Files, Argv[0],
                    workerArgs(Named, Args), Sources, Results, Cached))
      return 2;
    Context.setCurrentFile(FirstFile);
  } else if (!Files.empty()) {
    Results.push_back(analyse(Context, *In.Database, Files.front(), false));
  }

  // What the report says: the run's findings, checks, source root, files,
  // failures and lock-order edges.
  Report Out;
  Out.Checks = CheckNames;
  Out.Root = Root;
  RunInfo &Info = Out.Info;
  Info.Failures = failuresOf(Results, Sources);
  std::vector<ClangTidyError> Errors;
  std::vector<LockOrderEdge> LockEdges;
  for (TuResult &R : Results) {
    Info.Files.push_back(Sources.relative(absolutePath(R.File)));
    std::move(R.Errors.begin(), R.Errors.end(), std::back_inserter(Errors));
    std::move(R.LockEdges.begin(), R.LockEdges.end(),
              std::back_inserter(LockEdges));
  }
  // The lock-order cycles no one translation unit closes (the check
  // reported those of each unit).
  sortLockEdges(LockEdges);
  if (llvm::is_contained(CheckNames, LockOrderCheck))
    for (const LockCycle &C : crossUnitLockCycles(LockEdges))
      Errors.push_back(lockCycleError(C, Context.treatAsError(LockOrderCheck)));
  Info.LockEdges = reportedEdges(LockEdges, Sources);
  Info.normalize();

  // Findings: one per place (a diagnostic in a header that several TUs
  // include is reported once), every diagnostic but compile errors (those
  // are failures), then the path filter, the baseline to write, diff mode,
  // the baseline.
  std::vector<Finding> &Findings = Out.Findings;
  Findings = collectFindings(Errors, Sources);
  // The errors the text output may show, one per place, in clang-tidy's
  // order (by absolute path).
  std::vector<const Finding *> ByPath;
  for (const Finding &F : Findings)
    ByPath.push_back(&F);
  llvm::sort(ByPath, [](const Finding *A, const Finding *B) {
    return std::tie(A->Loc.File, A->Loc.Offset, A->Check, A->Message) <
           std::tie(B->Loc.File, B->Loc.Offset, B->Check, B->Message);
  });
  std::vector<size_t> Distinct;
  for (const Finding *F : ByPath)
    Distinct.push_back(F->ErrorIndex);
  ByPath.clear();
  Suppressed S;
  llvm::erase_if(Findings, [&](const Finding &F) {
    return F.Check == "clang-diagnostic-error" ||
           !Filter.accepts(F.Loc.Rel, F.Loc.File);
  });
  if (!WriteBaseline.empty() && !writeBaselineFile(WriteBaseline, Findings))
    return 2;
  if (Changes)
    llvm::erase_if(Findings, [&](const Finding &F) {
      bool Outside = !Changes->contains(F.Loc.File, F.Loc.Line);
      S.OutsideDiff += Outside;
      return Outside;
    });
  if (!BaselineFile.empty() &&
      !applyBaseline(BaselineFile, Findings, S.InBaseline))
    return 2;
  // The text output shows what is reported, and the compile errors.
  std::vector<bool> Reported(Errors.size(), false);
  for (const Finding &F : Findings)
    Reported[F.ErrorIndex] = true;
  std::vector<ClangTidyError> Shown;
  for (size_t I : Distinct)
    if (Reported[I] || isCompileError(Errors[I]))
      Shown.push_back(std::move(Errors[I]));

  if (Format != "text" &&
      !writeReport(*findReportFormat(Format), Out, OutputFile))
    return 2;
  const bool FoundErrors = llvm::any_of(Shown, isCompileError);
  const FixBehaviour Behaviour = FixNotes               ? FB_FixNotes
                                 : (Fix || FixErrors) ? FB_Fix
                                                      : FB_NoFix;
  const bool DisableFixes = FoundErrors && !FixErrors;
  unsigned WErrorCount = 0;
  if (Format == "text" || Fix || FixErrors || FixNotes)
    handleErrors(Shown, Context, DisableFixes ? FB_NoFix : Behaviour,
                 WErrorCount, BaseFS);

  if (!ExportFixes.empty() && !Shown.empty()) {
    std::error_code EC;
    llvm::raw_fd_ostream OS(ExportFixes, EC, llvm::sys::fs::OF_None);
    if (EC) {
      llvm::errs() << "error: cannot write '" << ExportFixes
                   << "': " << EC.message() << "\n";
      return 2;
    }
    exportReplacements(FirstFile.str(), Shown, OS);
  }
  if (Project && !Quiet)
    printSummary(Info, Findings, Cached, S,
                 std::chrono::duration<double>(
                     std::chrono::steady_clock::now() - Start)
                     .count());
  const bool CiMode =
      Format != "text" || !BaselineFile.empty() || !DiffBase.empty();
  return exitCode(CiMode, ParseErrors == "fail" && !Info.Failures.empty(),
                  Findings, WErrorCount);
}

} // namespace threadlint
