//===--- Reports.h - report formats: writers and readers -------*- C++ -*-===//
//
// Every report format threadlint writes (--format, `merge --format`), each
// with its reader when `merge` can read it back: the writer and the reader
// of a schema sit together in Reports.cpp. A new format is one more entry
// of reportFormats() there.
//
//===----------------------------------------------------------------------===//
#ifndef THREADLINT_DRIVER_THREADLINT_REPORTS_H
#define THREADLINT_DRIVER_THREADLINT_REPORTS_H

#include "threadlint/Findings.h"
#include "llvm/ADT/ArrayRef.h"

namespace llvm {
class raw_ostream;
namespace json {
class Object;
} // namespace json
} // namespace llvm

namespace threadlint {

struct ReportFormat {
  llvm::StringRef Name;
  /// Writes the whole report.
  void (*Write)(const Report &R, llvm::raw_ostream &OS);
  /// Adds a report of this format to Into (findings, checks, files,
  /// failures, lock edges; the source root if Into has none). False when
  /// Doc is not one. Null for a format `merge` cannot read.
  bool (*Read)(const llvm::json::Object &Doc, Report &Into);
};

/// The formats, "text" first (the default).
llvm::ArrayRef<ReportFormat> reportFormats();
/// The format called Name, or null.
const ReportFormat *findReportFormat(llvm::StringRef Name);
/// The names of the formats, in order.
std::vector<llvm::StringRef> reportFormatNames();
/// "text (default), json, sarif or codeclimate", for help texts.
llvm::StringRef reportFormatList();

/// Writes R in Format to OutputFile, or stdout when it is empty (text goes
/// to stdout always, as the run's text output does); false (with a message
/// on stderr) when the file cannot be written.
bool writeReport(const ReportFormat &Format, const Report &R,
                 llvm::StringRef OutputFile);

/// Adds the report in the file Path (any readable format) to Into; false
/// (with a message on stderr) when it cannot be read or is none of them.
bool readReport(llvm::StringRef Path, Report &Into);

} // namespace threadlint

#endif
