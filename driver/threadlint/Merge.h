//===--- Merge.h - sharded runs: --shard and `threadlint merge` -*- C++ -*-===//
#ifndef THREADLINT_DRIVER_THREADLINT_MERGE_H
#define THREADLINT_DRIVER_THREADLINT_MERGE_H

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"
#include <string>
#include <vector>

namespace threadlint {

/// --shard K/N: keeps the K-th of N parts (1-based, round robin) of the
/// sorted Files; false (with a message on stderr) on a bad Spec. An empty
/// Spec keeps every file.
bool applyShard(llvm::StringRef Spec, std::vector<std::string> &Files);

/// `threadlint merge [options] REPORT...` (Args: what follows "merge"): one
/// report from the JSON or SARIF reports of shards, with the exit code one
/// run over all of them gives. Its options are its own (--format, --output,
/// --baseline, --parse-errors, --quiet, --help, --version).
int runMerge(llvm::ArrayRef<const char *> Args);

} // namespace threadlint

#endif
