//===--- Baseline.h - fingerprints and baseline files ----------*- C++ -*-===//
//
// A finding's fingerprint hashes its check, its path relative to the source
// root, the whitespace-normalised text of its line and its index among
// identical (check, path, text) findings: stable when lines move. A baseline
// file records fingerprints: {"version":1,"fingerprints":{"<fp>":{...}}}.
//
//===----------------------------------------------------------------------===//
#ifndef THREADLINT_DRIVER_THREADLINT_BASELINE_H
#define THREADLINT_DRIVER_THREADLINT_BASELINE_H

#include "threadlint/Findings.h"

namespace threadlint {

/// Sorts Findings by place (path relative to the source root, offset, check,
/// message), keeps the first of each place (a header's finding reached from
/// several translation units or shards is reported once) and fingerprints
/// them. The one deduplication of findings, for runs and `merge` alike.
void finalizeFindings(std::vector<Finding> &Findings);

/// Records the fingerprints of Findings in the baseline file Path; false
/// (with a message on stderr) when it cannot be written.
bool writeBaselineFile(llvm::StringRef Path,
                       const std::vector<Finding> &Findings);

/// Drops the findings whose fingerprints the baseline file Path records,
/// adding their number to Suppressed; false (with a message on stderr) when
/// it is not a readable baseline.
bool applyBaseline(llvm::StringRef Path, std::vector<Finding> &Findings,
                   unsigned &Suppressed);

} // namespace threadlint

#endif
