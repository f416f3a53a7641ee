//===--- Project.cpp - whole-project runs of threadlint -------------------===//
#include "threadlint/Project.h"
#include "llvm/ADT/ScopeExit.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Program.h"
#include "llvm/Support/Signals.h"
#include "llvm/Support/raw_ostream.h"
#include "llvm/Support/xxhash.h"
#include <atomic>
#include <chrono>
#include <deque>
#include <thread>
#ifndef _WIN32
#include <signal.h>
#endif

using clang::tidy::ClangTidyError;
using clang::tidy::threadlint::LockOrderEdge;
using clang::tidy::threadlint::LockSite;
namespace json = llvm::json;
namespace fs = llvm::sys::fs;

namespace threadlint {
namespace {

json::Object messageToJson(const clang::tooling::DiagnosticMessage &M) {
  json::Array Fixes, Ranges;
  for (const auto &Entry : M.Fix)
    for (const clang::tooling::Replacement &R : Entry.second)
      Fixes.push_back(json::Object{{"path", R.getFilePath()},
                                   {"offset", R.getOffset()},
                                   {"length", R.getLength()},
                                   {"text", R.getReplacementText()}});
  for (const clang::tooling::FileByteRange &R : M.Ranges)
    Ranges.push_back(json::Object{{"path", R.FilePath},
                                  {"offset", R.FileOffset},
                                  {"length", R.Length}});
  return json::Object{{"message", M.Message},
                      {"path", M.FilePath},
                      {"offset", M.FileOffset},
                      {"fixes", std::move(Fixes)},
                      {"ranges", std::move(Ranges)}};
}

bool messageFromJson(const json::Object *O,
                     clang::tooling::DiagnosticMessage &M) {
  if (!O)
    return false;
  M.Message = O->getString("message").value_or("").str();
  M.FilePath = O->getString("path").value_or("").str();
  M.FileOffset = O->getInteger("offset").value_or(0);
  if (const json::Array *Fixes = O->getArray("fixes"))
    for (const json::Value &V : *Fixes)
      if (const json::Object *F = V.getAsObject()) {
        std::string Path = F->getString("path").value_or("").str();
        clang::tooling::Replacement R(
            Path, F->getInteger("offset").value_or(0),
            F->getInteger("length").value_or(0),
            F->getString("text").value_or(""));
        if (llvm::Error E = M.Fix[Path].add(R))
          llvm::consumeError(std::move(E));
      }
  if (const json::Array *Ranges = O->getArray("ranges"))
    for (const json::Value &V : *Ranges)
      if (const json::Object *R = V.getAsObject()) {
        clang::tooling::FileByteRange B;
        B.FilePath = R->getString("path").value_or("").str();
        B.FileOffset = R->getInteger("offset").value_or(0);
        B.Length = R->getInteger("length").value_or(0);
        M.Ranges.push_back(std::move(B));
      }
  return true;
}


} // namespace

std::string absolutePath(const llvm::Twine &Path, llvm::StringRef Dir) {
  llvm::SmallString<256> Abs;
  Path.toVector(Abs);
  if (!llvm::sys::path::is_absolute(Abs) && !Dir.empty())
    llvm::sys::path::make_absolute(Dir, Abs);
  (void)fs::make_absolute(Abs); // relative to the current directory
  llvm::sys::path::remove_dots(Abs, true);
  return std::string(Abs);
}

json::Value tuResultToJson(const TuResult &R) {
  json::Array Errors, Inputs;
  for (const ClangTidyError &E : R.Errors) {
    json::Array Notes;
    for (const auto &N : E.Notes)
      Notes.push_back(messageToJson(N));
    Errors.push_back(json::Object{
        {"check", E.DiagnosticName},
        {"level", int64_t(E.DiagLevel)},
        {"buildDirectory", E.BuildDirectory},
        {"warningAsError", E.IsWarningAsError},
        {"aliases", json::Array(E.EnabledDiagnosticAliases)},
        {"message", messageToJson(E.Message)},
        {"notes", std::move(Notes)}});
  }
  for (const auto &[Path, Hash] : R.Inputs)
    Inputs.push_back(json::Array{Path, Hash});
  json::Array Edges;
  for (const LockOrderEdge &E : R.LockEdges)
    Edges.push_back(clang::tidy::threadlint::lockEdgeToJson(E));
  return json::Object{{"threadlintWorker", 1},
                      {"file", R.File},
                      {"seconds", R.Seconds},
                      {"errors", std::move(Errors)},
                      {"inputs", std::move(Inputs)},
                      {"lockEdges", std::move(Edges)}};
}

bool tuResultFromJson(llvm::StringRef Text, TuResult &R) {
  llvm::Expected<json::Value> Parsed = json::parse(Text);
  if (!Parsed) {
    llvm::consumeError(Parsed.takeError());
    return false;
  }
  const json::Object *O = Parsed->getAsObject();
  if (!O || O->getInteger("threadlintWorker") != int64_t(1))
    return false;
  const json::Array *Errors = O->getArray("errors");
  const json::Array *Inputs = O->getArray("inputs");
  if (!Errors || !Inputs)
    return false;
  R.File = O->getString("file").value_or("").str();
  R.Seconds = O->getNumber("seconds").value_or(0);
  for (const json::Value &V : *Errors) {
    const json::Object *E = V.getAsObject();
    if (!E)
      return false;
    auto Level = static_cast<ClangTidyError::Level>(
        E->getInteger("level").value_or(ClangTidyError::Warning));
    ClangTidyError Err(E->getString("check").value_or(""), Level,
                       E->getString("buildDirectory").value_or(""),
                       E->getBoolean("warningAsError").value_or(false));
    if (const json::Array *A = E->getArray("aliases"))
      for (const json::Value &Alias : *A)
        if (auto S = Alias.getAsString())
          Err.EnabledDiagnosticAliases.push_back(S->str());
    if (!messageFromJson(E->getObject("message"), Err.Message))
      return false;
    if (const json::Array *Notes = E->getArray("notes"))
      for (const json::Value &N : *Notes) {
        clang::tooling::DiagnosticMessage M;
        if (messageFromJson(N.getAsObject(), M))
          Err.Notes.push_back(std::move(M));
      }
    R.Errors.push_back(std::move(Err));
  }
  for (const json::Value &V : *Inputs) {
    const json::Array *Pair = V.getAsArray();
    if (!Pair || Pair->size() != 2)
      return false;
    std::optional<llvm::StringRef> Path = (*Pair)[0].getAsString();
    std::optional<llvm::StringRef> Hash = (*Pair)[1].getAsString();
    if (!Path || !Hash)
      return false;
    R.Inputs.emplace_back(Path->str(), Hash->str());
  }
  // Absent in entries written before edges were exported.
  if (const json::Array *Edges = O->getArray("lockEdges"))
    for (const json::Value &V : *Edges) {
      LockOrderEdge E;
      if (!clang::tidy::threadlint::lockEdgeFromJson(V, E))
        return false;
      R.LockEdges.push_back(std::move(E));
    }
  return true;
}

namespace {
auto lockEdgeKey(const LockOrderEdge &E) {
  auto Site = [](const LockSite &S) {
    return std::tie(S.File, S.Offset, S.Line, S.Column);
  };
  return std::tuple_cat(std::tie(E.From, E.To, E.Unit), Site(E.Taken),
                        Site(E.Held),
                        std::tie(E.Function, E.Via, E.FromName, E.ToName));
}

// The locks of a cycle, sorted: cycles with the same locks are one finding.
std::vector<std::string> lockSet(const LockCycle &C) {
  std::vector<std::string> Locks;
  Locks.reserve(C.Edges.size());
  for (const LockOrderEdge *E : C.Edges)
    Locks.push_back(E->From);
  llvm::sort(Locks);
  return Locks;
}
} // namespace

bool lockEdgeLess(const LockOrderEdge &A, const LockOrderEdge &B) {
  return lockEdgeKey(A) < lockEdgeKey(B);
}

void sortLockEdges(std::vector<LockOrderEdge> &Edges) {
  llvm::sort(Edges, lockEdgeLess);
  Edges.erase(std::unique(Edges.begin(), Edges.end(),
                          [](const LockOrderEdge &A, const LockOrderEdge &B) {
                            return lockEdgeKey(A) == lockEdgeKey(B);
                          }),
              Edges.end());
}

std::vector<LockCycle>
crossUnitLockCycles(llvm::ArrayRef<LockOrderEdge> Edges) {
  // The distinct (From, To) pairs, each with its edges in canonical order.
  std::vector<const LockOrderEdge *> Sorted;
  for (const LockOrderEdge &E : Edges)
    Sorted.push_back(&E);
  llvm::sort(Sorted, [](const LockOrderEdge *A, const LockOrderEdge *B) {
    return lockEdgeLess(*A, *B);
  });
  std::vector<std::pair<std::string, std::string>> Pairs;
  std::vector<std::vector<const LockOrderEdge *>> EdgesOf;
  std::vector<std::set<llvm::StringRef>> UnitsOf;
  for (const LockOrderEdge *E : Sorted) {
    if (Pairs.empty() || Pairs.back().first != E->From ||
        Pairs.back().second != E->To) {
      Pairs.emplace_back(E->From, E->To);
      EdgesOf.emplace_back();
      UnitsOf.emplace_back();
    }
    EdgesOf.back().push_back(E);
    UnitsOf.back().insert(E->Unit);
  }

  std::vector<LockCycle> Out;
  std::set<std::vector<std::string>> Seen;
  for (const std::vector<size_t> &Cycle :
       clang::tidy::threadlint::findLockCycles(Pairs)) {
    // A unit with an edge for every pair closes the cycle on its own.
    std::set<llvm::StringRef> Common = UnitsOf[Cycle.front()];
    for (size_t P : llvm::drop_begin(Cycle))
      for (auto It = Common.begin(); It != Common.end();)
        It = UnitsOf[P].count(*It) ? std::next(It) : Common.erase(It);
    if (!Common.empty())
      continue;
    LockCycle C;
    std::set<llvm::StringRef> Used;
    for (size_t P : Cycle) {
      const std::vector<const LockOrderEdge *> &Candidates = EdgesOf[P];
      auto Fresh = llvm::find_if(Candidates, [&](const LockOrderEdge *E) {
        return !Used.count(E->Unit);
      });
      const LockOrderEdge *E =
          Fresh != Candidates.end() ? *Fresh : Candidates.front();
      Used.insert(E->Unit);
      C.Edges.push_back(E);
    }
    if (!Seen.insert(lockSet(C)).second)
      continue;
    C.Closing = clang::tidy::threadlint::closingEdge(C.Edges);
    Out.push_back(std::move(C));
  }
  return Out;
}

std::vector<LockCycle> crossShardLockCycles(llvm::ArrayRef<LockOrderEdge> Edges,
                                            llvm::ArrayRef<size_t> ShardOf) {
  // The lock sets a report found (and reported) among its own edges.
  std::set<std::vector<std::string>> Reported;
  std::set<size_t> Shards(ShardOf.begin(), ShardOf.end());
  for (size_t Shard : Shards) {
    std::vector<LockOrderEdge> Own;
    for (size_t I = 0; I < Edges.size(); ++I)
      if (ShardOf[I] == Shard)
        Own.push_back(Edges[I]);
    for (const LockCycle &C : crossUnitLockCycles(Own))
      Reported.insert(lockSet(C));
  }
  std::vector<LockCycle> Out = crossUnitLockCycles(Edges);
  llvm::erase_if(
      Out, [&](const LockCycle &C) { return Reported.count(lockSet(C)); });
  return Out;
}

ClangTidyError lockCycleError(const LockCycle &Cycle, bool AsError) {
  using namespace clang::tidy::threadlint;
  auto Message = [](std::string Text, const LockSite &At) {
    clang::tooling::DiagnosticMessage M;
    M.Message = std::move(Text);
    M.FilePath = At.File;
    M.FileOffset = At.Offset;
    return M;
  };
  ClangTidyError Err(LockOrderCheck,
                     AsError ? ClangTidyError::Error : ClangTidyError::Warning,
                     /*BuildDirectory=*/"", AsError);
  const LockOrderEdge &Closing = *Cycle.Edges[Cycle.Closing];
  Err.Message =
      Message(lockCycleMessage(Cycle.Edges, Cycle.Closing), Closing.Taken);
  for (size_t I = 1; I <= Cycle.Edges.size(); ++I) {
    const LockOrderEdge &E =
        *Cycle.Edges[(Cycle.Closing + I) % Cycle.Edges.size()];
    Err.Notes.push_back(Message(lockHeldNote(E), E.Held));
    Err.Notes.push_back(Message(lockTakenNote(E), E.Taken));
  }
  return Err;
}

void RecordingFileSystem::record(const llvm::Twine &Path) {
  llvm::ErrorOr<std::string> Cwd = getCurrentWorkingDirectory();
  std::string Abs = absolutePath(Path, Cwd ? llvm::StringRef(*Cwd) : "");
  std::lock_guard<std::mutex> Guard(Lock);
  Read.insert(std::move(Abs));
}

llvm::ErrorOr<std::unique_ptr<llvm::vfs::File>>
RecordingFileSystem::openFileForRead(const llvm::Twine &Path) {
  auto File = ProxyFileSystem::openFileForRead(Path);
  if (File)
    record(Path);
  return File;
}

std::set<std::string> RecordingFileSystem::read() const {
  std::lock_guard<std::mutex> Guard(Lock);
  return Read;
}

std::string hashText(llvm::StringRef Text) {
  std::string Hex = llvm::utohexstr(llvm::xxh3_64bits(Text), true, 16);
  Hex.insert(0, 16 - Hex.size(), '0');
  return Hex;
}

std::string FileHashes::hashOf(llvm::StringRef Path) {
  auto It = Known.find(Path);
  if (It != Known.end())
    return It->second;
  auto Buffer = llvm::MemoryBuffer::getFile(Path, /*IsText=*/false,
                                            /*RequiresNullTerminator=*/false);
  std::string Hash = Buffer ? hashText((*Buffer)->getBuffer()) : "";
  Known[Path] = Hash;
  return Hash;
}

bool ResultCache::prepare(std::string &Error) {
  if (std::error_code EC = fs::create_directories(Dir)) {
    Error = "cannot create cache directory '" + Dir + "': " + EC.message();
    return false;
  }
  return true;
}

std::string ResultCache::path(llvm::StringRef Key) const {
  llvm::SmallString<256> P(Dir);
  llvm::sys::path::append(P, Key + ".json");
  return std::string(P);
}

bool ResultCache::lookup(llvm::StringRef Key, FileHashes &Hashes,
                         TuResult &Out) const {
  auto Buffer = llvm::MemoryBuffer::getFile(path(Key));
  if (!Buffer)
    return false;
  TuResult R;
  if (!tuResultFromJson((*Buffer)->getBuffer(), R) || R.Inputs.empty())
    return false;
  for (const auto &[Path, Hash] : R.Inputs)
    if (Hashes.hashOf(Path) != Hash)
      return false;
  R.Cached = true;
  Out = std::move(R);
  return true;
}

void ResultCache::store(llvm::StringRef Key, const TuResult &R) const {
  // Written to a unique name and renamed: readers never see half an entry,
  // and concurrent runs sharing the directory do not interleave.
  llvm::SmallString<256> Temp;
  int FD = -1;
  if (fs::createUniqueFile(path(Key) + ".tmp-%%%%%%", FD, Temp))
    return;
  {
    llvm::raw_fd_ostream OS(FD, /*shouldClose=*/true);
    OS << json::Value(tuResultToJson(R));
    if (OS.has_error()) {
      OS.clear_error();
      (void)fs::remove(Temp);
      return;
    }
  }
  if (fs::rename(Temp, path(Key)))
    (void)fs::remove(Temp);
}

void ChangedLines::addDiff(llvm::StringRef Diff, llvm::StringRef Toplevel) {
  std::vector<std::pair<unsigned, unsigned>> *Current = nullptr;
  // Lines of the current hunk still to come: inside a hunk, a line is
  // content even when it looks like a header ("+++ b/x" adds "++ b/x").
  unsigned OldLeft = 0, NewLeft = 0;
  llvm::SmallVector<llvm::StringRef, 0> Lines;
  Diff.split(Lines, '\n');
  for (llvm::StringRef Line : Lines) {
    if (OldLeft || NewLeft) {
      if (Line.starts_with("-") && OldLeft)
        --OldLeft;
      else if (Line.starts_with("+") && NewLeft)
        --NewLeft;
      else if (Line.starts_with(" ") && OldLeft && NewLeft)
        --OldLeft, --NewLeft;
      continue;
    }
    if (Line.consume_front("+++ ")) {
      Current = nullptr;
      Line = Line.rtrim("\r\t");
      if (Line == "/dev/null" || !Line.consume_front("b/"))
        continue;
      Current = &Ranges[absolutePath(Line, Toplevel)];
      continue;
    }
    // @@ -a[,b] +c[,d] @@: lines c .. c+d-1 of the new file.
    if (!Current || !Line.consume_front("@@ "))
      continue;
    auto [Old, Rest] = Line.split(' ');
    llvm::StringRef New = Rest.split(' ').first;
    unsigned Start = 0, Count = 1, OldCount = 1;
    if (!Old.consume_front("-") || !New.consume_front("+"))
      continue;
    auto [StartText, CountText] = New.split(',');
    if (StartText.getAsInteger(10, Start) ||
        (!CountText.empty() && CountText.getAsInteger(10, Count)))
      continue;
    llvm::StringRef OldCountText = Old.split(',').second;
    if (!OldCountText.empty() && OldCountText.getAsInteger(10, OldCount))
      OldCount = 0;
    OldLeft = OldCount;
    NewLeft = Count;
    if (Count)
      Current->emplace_back(Start, Start + Count - 1);
  }
}

bool ChangedLines::contains(llvm::StringRef File, unsigned Line) const {
  auto It = Ranges.find(File.str());
  if (It == Ranges.end())
    return false;
  return llvm::any_of(It->second, [&](const auto &R) {
    return R.first <= Line && Line <= R.second;
  });
}

namespace {
// Runs git with Args in Dir; its stdout in Out.
bool runGit(llvm::ArrayRef<std::string> Args, llvm::StringRef Dir,
            std::string &Out, std::string &Error) {
  llvm::ErrorOr<std::string> Git = llvm::sys::findProgramByName("git");
  if (!Git) {
    Error = "git is not on PATH";
    return false;
  }
  llvm::SmallString<128> OutFile, ErrFile;
  if (fs::createTemporaryFile("threadlint-git", "out", OutFile) ||
      fs::createTemporaryFile("threadlint-git", "err", ErrFile)) {
    Error = "cannot create a temporary file";
    return false;
  }
  llvm::scope_exit Cleanup([&] {
    (void)fs::remove(OutFile);
    (void)fs::remove(ErrFile);
  });
  std::vector<llvm::StringRef> Argv = {*Git, "-C", Dir};
  for (const std::string &A : Args)
    Argv.push_back(A);
  std::optional<llvm::StringRef> Redirects[] = {llvm::StringRef(""),
                                                 llvm::StringRef(OutFile),
                                                 llvm::StringRef(ErrFile)};
  std::string Msg;
  int Code = llvm::sys::ExecuteAndWait(*Git, Argv, std::nullopt, Redirects, 0,
                                       0, &Msg);
  auto ReadFile = [](llvm::StringRef Path) {
    auto B = llvm::MemoryBuffer::getFile(Path);
    return B ? (*B)->getBuffer().str() : std::string();
  };
  if (Code != 0) {
    Error = llvm::StringRef(ReadFile(ErrFile)).trim().str();
    if (Error.empty())
      Error = Msg.empty() ? "git failed" : Msg;
    return false;
  }
  Out = ReadFile(OutFile);
  return true;
}
} // namespace

bool gitChangedLines(llvm::StringRef Ref, llvm::StringRef Dir,
                     ChangedLines &Out, std::string &Error) {
  std::string Toplevel, Diff;
  if (!runGit({"rev-parse", "--show-toplevel"}, Dir, Toplevel, Error))
    return false;
  Toplevel = llvm::StringRef(Toplevel).trim().str();
  if (!runGit({"-c", "core.quotePath=false", "diff", "-U0", "--no-color",
               "--no-ext-diff", "--src-prefix=a/", "--dst-prefix=b/",
               Ref.str(), "--"},
              Dir, Diff, Error))
    return false;
  Out.addDiff(Diff, Toplevel);
  return true;
}

bool PathFilter::add(llvm::StringRef Pattern, bool Include,
                     std::string &Error) {
  llvm::StringRef P = Pattern.rtrim('/');
  if (P.consume_front("./") && P.empty())
    P = "*";
  llvm::Expected<llvm::GlobPattern> Glob = llvm::GlobPattern::create(P);
  if (!Glob) {
    Error = "bad pattern '" + Pattern.str() +
            "': " + llvm::toString(Glob.takeError());
    return false;
  }
  (Include ? Includes : Excludes).push_back(std::move(*Glob));
  return true;
}

bool PathFilter::matches(const std::vector<llvm::GlobPattern> &Patterns,
                         llvm::StringRef Rel, llvm::StringRef Abs) {
  for (const llvm::GlobPattern &G : Patterns)
    for (llvm::StringRef Path : {Rel, Abs})
      for (llvm::StringRef P = Path; !P.empty() && P != "/";
           P = llvm::sys::path::parent_path(P))
        if (G.match(P))
          return true;
  return false;
}

bool PathFilter::accepts(llvm::StringRef Rel, llvm::StringRef Abs) const {
  if (!Includes.empty() && !matches(Includes, Rel, Abs))
    return false;
  return !matches(Excludes, Rel, Abs);
}

std::vector<clang::tooling::CompileCommand>
DistinctCommandsDatabase::getCompileCommands(llvm::StringRef File) const {
  std::vector<clang::tooling::CompileCommand> Out;
  std::set<std::string> Seen;
  for (clang::tooling::CompileCommand &Cmd : Base.getCompileCommands(File)) {
    std::string Key = Cmd.Directory + '\0' + Cmd.Filename;
    const std::vector<std::string> &Args = Cmd.CommandLine;
    for (size_t I = 0; I < Args.size(); ++I) {
      llvm::StringRef A = Args[I];
      if (A == "-o" || A == "-MF" || A == "-MT" || A == "-MQ") {
        ++I;
        continue;
      }
      if (A.starts_with("-o") || A.starts_with("-MF") ||
          A.starts_with("-MT") || A.starts_with("-MQ"))
        continue;
      Key += '\0';
      Key += A;
    }
    if (Seen.insert(Key).second)
      Out.push_back(std::move(Cmd));
  }
  return Out;
}

std::vector<std::string>
insertBeforeSeparator(std::vector<std::string> Args,
                      llvm::ArrayRef<std::string> Extra) {
  auto Sep = llvm::find(Args, "--");
  Args.insert(Sep, Extra.begin(), Extra.end());
  return Args;
}

namespace {
// The running workers, for the interrupt handler: on Ctrl-C or SIGTERM the
// parent kills them and the pool stops (an orphaned worker would go on
// using a CI runner's cores). Only async-signal-safe operations here.
constexpr unsigned MaxWorkers = 1024;
std::atomic<long> ActivePids[MaxWorkers];
std::atomic<bool> Interrupted{false};

void killWorkers() {
  Interrupted = true;
#ifndef _WIN32
  for (std::atomic<long> &Pid : ActivePids)
    if (long P = Pid.load(); P > 0)
      ::kill(static_cast<pid_t>(P), SIGKILL);
#endif
}

// What a failed worker said last; for a crash, the check that was running
// when it happened (LLVM's stack dump names it: "ASTMatcher: Processing
// 'threadlint-...' against: ...").
std::string lastLine(llvm::StringRef Path) {
  auto B = llvm::MemoryBuffer::getFile(Path);
  if (!B)
    return "";
  llvm::StringRef Text = (*B)->getBuffer().rtrim();
  if (size_t At = Text.find("ASTMatcher: Processing '");
      At != llvm::StringRef::npos)
    return Text.substr(At).split('\n').first.trim().str();
  size_t NL = Text.rfind('\n');
  return (NL == llvm::StringRef::npos ? Text : Text.substr(NL + 1))
      .trim()
      .str();
}
} // namespace

bool WorkerPool::run(const std::vector<std::string> &Files,
                     llvm::function_ref<void(size_t, TuResult &&)> Done,
                     std::string &Error) const {
  llvm::SmallString<128> Temp;
  if (std::error_code EC = fs::createUniqueDirectory("threadlint", Temp)) {
    Error = "cannot create a temporary directory: " + EC.message();
    return false;
  }
  llvm::scope_exit Cleanup([&] { (void)fs::remove_directories(Temp); });
  using Clock = std::chrono::steady_clock;
  struct Running {
    size_t Index;
    llvm::sys::ProcessInfo Process;
    Clock::time_point Start;
    std::string Output, Stderr;
  };
  std::deque<size_t> Pending;
  for (size_t I = 0; I < Files.size(); ++I)
    Pending.push_back(I);
  std::vector<Running> Active;
  const unsigned Width = std::clamp(Jobs, 1u, MaxWorkers);
  // Slot I of ActivePids belongs to Active[I].
  auto Publish = [&] {
    for (unsigned I = 0; I < MaxWorkers; ++I)
      ActivePids[I] = I < Active.size() ? long(Active[I].Process.Pid) : 0;
  };
  Interrupted = false;
  llvm::sys::SetInterruptFunction(killWorkers);
  llvm::scope_exit Unhook([&] {
    llvm::sys::SetInterruptFunction(nullptr);
    Active.clear();
    Publish();
  });

  auto Start = [&](size_t Index) {
    Running R{Index, {}, Clock::now(), "", ""};
    R.Output = (Temp + "/" + llvm::Twine(Index) + ".json").str();
    R.Stderr = (Temp + "/" + llvm::Twine(Index) + ".err").str();
    std::vector<std::string> Argv = insertBeforeSeparator(
        Args, {"--worker-output=" + R.Output, "--worker-file=" + Files[Index],
               Files[Index]});
    Argv.insert(Argv.begin(), Program);
    std::vector<llvm::StringRef> Refs(Argv.begin(), Argv.end());
    std::optional<llvm::StringRef> Redirects[] = {
        llvm::StringRef(""), llvm::StringRef(R.Stderr),
        llvm::StringRef(R.Stderr)};
    std::string Msg;
    bool Failed = false;
    R.Process = llvm::sys::ExecuteNoWait(Program, Refs, std::nullopt,
                                         Redirects, 0, &Msg, &Failed);
    if (Failed || R.Process.Pid <= 0) {
      TuResult Result;
      Result.File = Files[Index];
      Result.Crash = "cannot start a worker: " + Msg;
      Done(Index, std::move(Result));
      return;
    }
    Active.push_back(std::move(R));
    Publish();
  };

  auto Finish = [&](Running &R, int ReturnCode, bool TimedOut) {
    TuResult Result;
    double Seconds =
        std::chrono::duration<double>(Clock::now() - R.Start).count();
    auto Report = llvm::MemoryBuffer::getFile(R.Output);
    if (!TimedOut && ReturnCode == 0 && Report &&
        tuResultFromJson((*Report)->getBuffer(), Result)) {
      Result.File = Files[R.Index];
    } else {
      Result = TuResult();
      Result.File = Files[R.Index];
      std::string Why = lastLine(R.Stderr);
      Result.Crash =
          TimedOut ? "analysis timed out after " +
                         std::to_string(TimeoutSeconds) + " s"
          : ReturnCode == -2 ? "analysis crashed"
                             : "analysis failed (exit code " +
                                   std::to_string(ReturnCode) + ")";
      if (!Why.empty() && !TimedOut)
        Result.Crash += ": " + Why;
    }
    Result.Seconds = Seconds;
    (void)fs::remove(R.Output);
    (void)fs::remove(R.Stderr);
    Done(R.Index, std::move(Result));
  };

  while (!Pending.empty() || !Active.empty()) {
    if (Interrupted) {
      for (Running &R : Active)
        llvm::sys::Wait(R.Process, std::nullopt);
      Error = "interrupted";
      return false;
    }
    while (Active.size() < Width && !Pending.empty()) {
      size_t Next = Pending.front();
      Pending.pop_front();
      Start(Next);
    }
    bool Progress = false;
    for (size_t I = 0; I < Active.size();) {
      Running &R = Active[I];
      std::string Msg;
      llvm::sys::ProcessInfo State =
          llvm::sys::Wait(R.Process, /*SecondsToWait=*/0, &Msg);
      bool TimedOut = false;
      if (State.Pid == 0 && TimeoutSeconds &&
          Clock::now() - R.Start > std::chrono::seconds(TimeoutSeconds)) {
#ifndef _WIN32
        ::kill(R.Process.Pid, SIGKILL);
#endif
        State = llvm::sys::Wait(R.Process, std::nullopt, &Msg);
        TimedOut = true;
      }
      if (State.Pid == 0) {
        ++I;
        continue;
      }
      Finish(R, State.ReturnCode, TimedOut);
      Active.erase(std::next(Active.begin(), static_cast<std::ptrdiff_t>(I)));
      Publish();
      Progress = true;
    }
    if (!Progress && !Active.empty())
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return true;
}

} // namespace threadlint
