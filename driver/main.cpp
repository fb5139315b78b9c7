// lbcheck command line: the only file that knows about CLI11.
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iostream>
#include <iterator>
#include <memory>
#include <set>
#include <thread>

#include "driver/fixes.h"
#include "driver/gate.h"
#include "driver/lsp/jsonrpc.h"
#include "driver/lsp/server.h"
#include "driver/output/diagram.h"
#include "driver/output/formats.h"
#include "driver/output/report.h"
#include "driver/runner.h"
#include "engine/phases.h"
#include "engine/topology.h"
#include "engine/urlmask.h"

namespace {

using namespace lbcheck;

int listRules(const std::string& format) {
  if (format == "json") {
    nlohmann::ordered_json out = nlohmann::ordered_json::array();
    for (const Rule* r : allRules()) {
      const RuleInfo& i = r->info();
      out.push_back({{"id", i.id},
                     {"name", i.slug},
                     {"severity", severityName(i.severity)},
                     {"area", i.area},
                     {"kind", i.diagnostic ? "diagnostic" : "check"},
                     {"fix", fixSafetyName(i.fix)},
                     {"summary", i.summary}});
    }
    std::cout << out.dump(2) << "\n";
    return 0;
  }
  // The fix column: what `--fix` (safe) or `--unsafe-fixes` (unsafe) applies.
  std::printf("%-7s %-8s %-6s %-32s %s\n", "ID", "SEVERITY", "FIX", "NAME", "SUMMARY");
  for (const Rule* r : allRules()) {
    const RuleInfo& i = r->info();
    std::printf("%-7s %-8s %-6s %-32s %s\n", std::string(i.id).c_str(),
                std::string(severityName(i.severity)).c_str(),
                i.fix == FixSafety::None ? "-" : std::string(fixSafetyName(i.fix)).c_str(),
                std::string(i.slug).c_str(), std::string(i.summary).c_str());
  }
  return 0;
}

/// `lbcheck url-mask MASK [URL...]`: 0 when the mask is valid and every URL
/// routes, 1 when the mask is malformed or a URL does not fit it.
int urlMask(const std::string& mask, const std::vector<std::string>& urls) {
  const UrlMask m = UrlMask::parse(mask);
  int status = 0;
  if (!m.valid()) {
    for (const UrlMaskProblem& p : m.problems()) {
      std::cout << "error: " << p.message << "\n  " << mask << "\n  " << std::string(p.offset, ' ')
                << "^" << std::string(p.length > 1 ? p.length - 1 : 0, '~') << "\n";
    }
    return 1;
  }
  std::cout << "mask: " << mask << "\n  host part: " << (m.host().empty() ? "(any host)" : m.host())
            << "\n  path part: " << (m.path().empty() ? "(any path)" : m.path())
            << "\n  placeholders: " << (m.hasService() ? "<service> " : "")
            << (m.hasTag() ? "<tag>" : "") << (m.hasPlaceholder() ? "" : "none") << "\n";
  if (!m.hasService())
    std::cout << "note: no <service>: the NEG must name the service itself (NEG008)\n";
  for (const std::string& url : urls) {
    if (const auto match = m.match(url)) {
      std::cout << url
                << " -> service=" << (match->service.empty() ? "(from the NEG)" : match->service)
                << (match->tag.empty() ? "" : " tag=" + match->tag) << "\n";
    } else {
      std::cout << url << " -> no match\n";
      status = 1;
    }
  }
  return status;
}

int explain(const std::string& id) {
  const Rule* rule = findRule(id);
  if (!rule) {
    std::cerr << "lbcheck: unknown rule id '" << id << "' (see `lbcheck rules`)\n";
    return 2;
  }
  const std::string_view doc = ruleDoc(rule->info().id);
  std::cout << (doc.empty() ? rule->info().summary : doc);
  if (!doc.empty() && doc.back() != '\n') std::cout << "\n";
  return 0;
}

}  // namespace

namespace {
/// Inputs from this size on are read on transparent huge pages.
constexpr uint64_t kHugePagesFrom = 8u << 20;

/// A large run spends a sixth of its time in page faults: every 4 KiB of the
/// heap that the graph grows into faults once (100,000 faults for a 35 MB KRM
/// tree). glibc puts its heap on transparent huge pages with the tunable
/// glibc.malloc.hugetlb=1 (a 2 MiB fault for 512 small ones), but reads
/// tunables only when a process starts. So once the inputs are known to be
/// large, and before anything is read or printed, lbcheck starts itself again
/// with the tunable added, once. LBCHECK_HUGE_PAGES=0 turns that off, =1 does
/// it whatever the size. When the restart is not possible (no /proc/self/exe, or exec fails)
/// the run goes on as it is.
void restartOnHugePages(char** argv, uint64_t inputBytes) {
  const char* setting = std::getenv("LBCHECK_HUGE_PAGES");
  const std::string_view mode = setting ? setting : "auto";
  if (mode == "0" || (mode != "1" && inputBytes < kHugePagesFrom)) return;
  if (std::getenv("LBCHECK_RESTARTED")) {  // the restarted process: never again
    phases::mark("restarted with glibc.malloc.hugetlb=1");
    return;
  }
  const char* tunables = std::getenv("GLIBC_TUNABLES");
  if (tunables && std::string_view(tunables).find("glibc.malloc.hugetlb") != std::string_view::npos)
    return;  // the user chose
  const std::string value = tunables && *tunables
                                ? std::string(tunables) + ":glibc.malloc.hugetlb=1"
                                : std::string("glibc.malloc.hugetlb=1");
  std::cout.flush();
  if (::setenv("GLIBC_TUNABLES", value.c_str(), 1) != 0 ||
      ::setenv("LBCHECK_RESTARTED", "1", 1) != 0)
    return;
  // The binary's own path (not /proc/self/exe, which would make `ps` show "exe").
  char self[4096];
  const ssize_t n = ::readlink("/proc/self/exe", self, sizeof self - 1);
  if (n > 0) {
    self[n] = '\0';
    ::execv(self, argv);
  }
  // Not restarted: carry on in this process, with the environment as it was.
  if (tunables)
    ::setenv("GLIBC_TUNABLES", tunables, 1);
  else
    ::unsetenv("GLIBC_TUNABLES");
  ::unsetenv("LBCHECK_RESTARTED");
}

/// Ends the process once every report is written, without destroying the run:
/// a large run's graph is millions of small objects, freeing them one by one
/// costs more than the rules do (the kernel drops the whole heap at once), so
/// main() ends here instead of returning. Sanitizer builds return normally, so
/// that LeakSanitizer still checks the run's memory.
int exitWithoutCleanup(int code) {
  std::cout.flush();
  std::cerr.flush();
#if defined(__SANITIZE_ADDRESS__)
  return code;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
  return code;
#endif
#endif
  std::fflush(nullptr);
  std::_Exit(code);
}
}  // namespace

namespace {

/// Everything the command line sets.
struct CommandLine {
  std::vector<std::string> paths;
  std::vector<std::string> formats;  // in command-line order, paired with -o by planOutputs
  std::vector<std::string> outputs;
  std::string failOnText = "warning";
  bool statistics = false;
  std::string color = "auto";
  Options options;
  std::string baselineIn, baselineOut;
  std::string sarifRoot;
  bool printGraph = false;
  bool showSkipped = false;
  bool fix = false, unsafeFixes = false, diff = false;
  std::string addSuppressions;  // the reason
  CLI::Option* addSuppressionsOpt = nullptr;
  std::string rulesFormat = "text";
  std::string maskText;
  std::vector<std::string> maskUrls;
  std::string explainId;
  std::vector<std::string> graphPaths;
  std::string graphFormat = "mermaid";
  std::string graphOutput;
  // The options and subcommands asked about after parsing.
  CLI::Option* formatOpt = nullptr;
  CLI::Option* outputOpt = nullptr;
  CLI::App* rulesCmd = nullptr;
  CLI::App* maskCmd = nullptr;
  CLI::App* explainCmd = nullptr;
  CLI::App* graphCmd = nullptr;
  CLI::App* lspCmd = nullptr;
};

/// Declares every option and subcommand of `app`, storing into `cl`.
void defineOptions(CLI::App& app, CommandLine& cl) {
  app.set_version_flag("--version", std::string("lbcheck ") + kVersion);
  app.require_subcommand(0, 1);
  app.footer(
      "Examples:\n"
      "  lbcheck infra/                         text report\n"
      "  lbcheck --format sarif -o lbcheck.sarif plan.json\n"
      "  lbcheck --format sarif -o lbcheck.sarif --format text plan.json\n"
      "                                         SARIF to a file and text to the terminal\n"
      "  lbcheck --format github --fail-on error infra/\n"
      "                                         annotations in GitHub Actions, fail on errors\n"
      "  lbcheck --format junit -o lbcheck.xml --statistics infra/\n"
      "                                         JUnit XML to a file, counts per rule\n"
      "  lbcheck rules                          list the rules\n"
      "  lbcheck explain NEG007                 a rule's documentation\n"
      "  lbcheck graph --format mermaid infra/  the load-balancer chains as diagrams\n"
      "  lbcheck lsp                            a Language Server on stdio for editors\n"
      "                                         (docs/editors.md)\n"
      "Colour is used on a terminal unless NO_COLOR is set or --color never.");

  Options& options = cl.options;
  app.add_option("paths", cl.paths, "Files or directories to check")->type_name("PATH");
  std::vector<std::string> formatNames;
  for (const ReportFormat& f : reportFormats()) formatNames.emplace_back(f.name);
  cl.formatOpt =
      app.add_option("-f,--format", cl.formats,
                     "Report format: " + formatList(true) +
                         ". Repeatable: each -o FILE after a --format writes that "
                         "format to FILE, and at most one format goes to standard output")
          ->type_name("FORMAT")
          ->default_str(std::string(reportFormats().front().name))
          ->allow_extra_args(false)
          ->check(CLI::IsMember(formatNames));
  cl.outputOpt =
      app.add_option("-o,--output", cl.outputs,
                     "Write the report of the --format just before it to FILE (atomically: a "
                     "temporary file, then rename; /dev/stdout and other devices are written "
                     "into) instead of standard output; with one "
                     "--format, -o may come before or after it")
          ->type_name("FILE")
          ->allow_extra_args(false);
  app.add_option("--fail-on", cl.failOnText,
                 "Exit 1 when an active finding (not suppressed, not in the baseline) is at "
                 "this severity or above: error, warning, note, or never (always exit 0 unless "
                 "usage or internal error)")
      ->type_name("LEVEL")
      ->check(CLI::IsMember({"error", "warning", "note", "never"}))
      ->capture_default_str();
  app.add_flag("--fix", cl.fix,
               "Apply the safe fixes to the files they were read from (atomically, keeping "
               "comments, layout and line endings), then report what is left. Generated "
               "inputs (plans, exports) are never edited: a plan's fix goes to the .tf file "
               "that writes the value. `lbcheck rules` says which rules have safe fixes");
  app.add_flag("--unsafe-fixes", cl.unsafeFixes,
               "With --fix or --diff, also apply the fixes that change more than the finding "
               "is about, or pick the first of several ways (see each rule's doc)");
  app.add_flag("--diff", cl.diff,
               "Print the fixes --fix would apply as a unified diff, write nothing; exit 1 "
               "when there is one");
  cl.addSuppressionsOpt =
      app.add_option("--add-suppressions", cl.addSuppressions,
                     "Add `# lbcheck:ignore ID -- REASON` above the line of every active "
                     "finding (above a continued command's first line), then exit 0. JSON "
                     "inputs hold no comments: their findings are counted, and go under "
                     "`suppress:` in .lbcheck.yaml")
          ->type_name("REASON");
  app.add_flag("--statistics", cl.statistics,
               "After the report, count the active findings per rule: count, id, severity, "
               "name. To standard output, or to standard error when standard output carries "
               "a " +
                   formatList(false, "text") + " report");
  app.add_option("--color", cl.color,
                 "Colour in text output: auto (on a terminal, unless NO_COLOR is set), always "
                 "(also in a text report written with -o), never")
      ->type_name("WHEN")
      ->check(CLI::IsMember({"auto", "always", "never"}))
      ->capture_default_str();
  app.add_option("--rule", options.onlyRules,
                 "Run only these rules (repeatable, or comma-separated: --rule NET001,LB001)")
      ->type_name("ID")
      ->allow_extra_args(false)
      ->delimiter(',');
  app.add_option("--max-file-size", options.maxFileSize,
                 "Files larger than this many bytes are reported, not read")
      ->capture_default_str();
  options.jobs = std::max(1u, std::thread::hardware_concurrency());
  app.add_option("-j,--jobs", options.jobs,
                 "Threads that read and parse files (default: one per core)")
      ->capture_default_str()
      ->check(CLI::Range(size_t{1}, size_t{256}));
  app.add_option("--timeout", options.timeLimitSeconds,
                 "Stop reading new files after this many seconds (0: no limit); the rest is "
                 "reported, what was read is still checked")
      ->capture_default_str()
      ->check(CLI::NonNegativeNumber);
  app.add_option("--max-depth", options.maxDepth, "Deepest JSON and YAML nesting accepted")
      ->capture_default_str()
      ->check(CLI::Range(size_t{1}, size_t{100000}));

  app.add_option("--config", options.configFile,
                 "Use this configuration file for every input instead of the nearest "
                 ".lbcheck.yaml up from each file")
      ->type_name("FILE");
  app.add_flag("--no-config", options.noConfig, "Read no .lbcheck.yaml at all");
  app.add_option("--baseline", cl.baselineIn,
                 "Findings listed in FILE (by fingerprint) are reported as unchanged and do "
                 "not fail the run; only new ones do")
      ->type_name("FILE");
  app.add_option("--write-baseline", cl.baselineOut,
                 "Write every finding of this run (except suppressed ones) to FILE as the "
                 "baseline to compare later runs with")
      ->type_name("FILE");
  app.add_option("--sarif-root", cl.sarifRoot,
                 "The directory SARIF paths are relative to (%SRCROOT%), normally the "
                 "repository's root; default: $GITHUB_WORKSPACE when set, else the current "
                 "directory. Files outside it get absolute file:// URIs")
      ->type_name("DIR");
  app.add_option("--var-file", options.varFiles,
                 "Terraform variables file for the .tf root modules (repeatable)")
      ->type_name("FILE")
      ->allow_extra_args(false);
  app.add_option("--tf-source", options.sourceDirs,
                 "Directory of the .tf files a plan was made from: plan findings point there")
      ->type_name("DIR")
      ->allow_extra_args(false);
  app.add_flag("--show-skipped", cl.showSkipped,
               "List each file that was skipped as none of lbcheck's formats, and why (the text "
               "report always counts them in its last line; JSON lists them under \"skipped\", "
               "SARIF as notifications of the invocation)");
  app.add_flag("--print-graph", cl.printGraph,
               "Print the resource graph lbcheck built (resources, identities, resolved "
               "references) instead of findings");

  cl.rulesCmd = app.add_subcommand("rules", "List every rule: id, severity, name, summary");
  cl.rulesCmd->add_option("-f,--format", cl.rulesFormat, "text or json")
      ->check(CLI::IsMember({"text", "json"}))
      ->capture_default_str();
  cl.maskCmd = app.add_subcommand(
      "url-mask",
      "Check a serverless NEG URL mask and show where each URL would be routed, e.g.\n"
      "  lbcheck url-mask 'example.com/<service>' https://example.com/login");
  cl.maskCmd->add_option("MASK", cl.maskText, "The URL mask (cloudRun.urlMask)")->required();
  cl.maskCmd->add_option("URL", cl.maskUrls, "Request URLs to route through the mask");
  cl.explainCmd = app.add_subcommand("explain", "Print a rule's documentation");
  cl.explainCmd->add_option("ID", cl.explainId, "Rule id, e.g. NET001")->required();
  cl.graphCmd = app.add_subcommand(
      "graph",
      "Draw each load-balancer chain (forwarding rule -> proxy -> URL map -> backend "
      "services -> NEGs -> Cloud Run, and the subnets it depends on), each resource marked "
      "with the worst severity and the rule ids of its findings, e.g.\n"
      "  lbcheck graph --format mermaid infra/\n"
      "  lbcheck graph --format dot -o chains.dot infra/ && dot -Tsvg -O chains.dot\n"
      "The check's options (--config, --rule, --var-file, --tf-source) may follow `graph`.");
  cl.graphCmd->add_option("paths", cl.graphPaths, "Files or directories to read")
      ->type_name("PATH")
      ->required();
  cl.graphCmd
      ->add_option("-f,--format", cl.graphFormat,
                   "mermaid (one flowchart per chain, separated by blank lines), dot (one "
                   "Graphviz digraph per chain) or json")
      ->type_name("FORMAT")
      ->check(CLI::IsMember({"mermaid", "dot", "json"}))
      ->capture_default_str();
  cl.graphCmd->add_option("-o,--output", cl.graphOutput, "Write to FILE instead of standard output")
      ->type_name("FILE");
  // The check's options (--config, --rule, --var-file, --tf-source...) may follow `graph`.
  cl.graphCmd->fallthrough();
  cl.lspCmd = app.add_subcommand(
      "lsp",
      "Run as a Language Server (LSP 3.17, JSON-RPC on standard input and output): the "
      "editor's workspace folders are checked as one graph, with unsaved buffers in place of "
      "their files; findings are published as diagnostics, with hover documentation and quick "
      "fixes. Setup for VS Code, Neovim, Helix and Emacs: docs/editors.md. The check's options "
      "(--config, --no-config, --rule, --var-file, --tf-source, --jobs) may follow `lsp`.");
  cl.lspCmd->fallthrough();
}

/// --rule ids as the rules spell them; false (after saying why) for an unknown one.
bool canonicalRuleIds(Options& options) {
  for (auto& id : options.onlyRules) {
    const Rule* rule = findRule(id);
    if (!rule) {
      std::cerr << "lbcheck: unknown rule id '" << id << "' in --rule (see `lbcheck rules`)\n";
      return false;
    }
    id = std::string(rule->info().id);
  }
  return true;
}

/// `lbcheck graph PATH...`: the chains as diagrams. The options that shape a
/// check (--config, --rule, --var-file, --tf-source...) shape the findings drawn.
int drawGraph(CommandLine& cl) {
  Options options = cl.options;
  if (!canonicalRuleIds(options)) return 2;
  options.paths = cl.graphPaths;
  RunResult result;
  try {
    run(options, result);
  } catch (const std::exception& e) {
    std::cerr << "lbcheck: internal error: " << e.what() << "\n";
    return 2;
  }
  const auto diagrams = buildDiagrams(result.sources, result.graph, result.findings);
  const std::string text = cl.graphFormat == "dot"    ? renderDot(diagrams)
                           : cl.graphFormat == "json" ? renderDiagramJson(diagrams)
                                                      : renderMermaid(diagrams);
  if (cl.graphOutput.empty()) {
    std::cout << text;
    return 0;
  }
  std::string error;
  if (!writeAtomically(
          cl.graphOutput, [&](std::ostream& out) { out << text; }, &error)) {
    std::cerr << "lbcheck: " << error << "\n";
    return 2;
  }
  return 0;
}

/// `lbcheck lsp`: serves editors on standard input and output until `exit`.
int serveLanguageClients(CommandLine& cl) {
  Options options = cl.options;
  if (!canonicalRuleIds(options)) return 2;
  lsp::FdInputBuffer input(STDIN_FILENO);
  std::istream in(&input);
  std::ios::sync_with_stdio(false);
  lsp::Server server(in, std::cout, options);
  return server.run();
}

/// Each --format and -o, in the order given: which report goes where. False
/// (after saying why) when they do not pair up.
bool planTargets(const CLI::App& app, const CommandLine& cl, std::vector<OutputTarget>* targets) {
  std::vector<OutputArg> outputArgs;
  size_t nextFormat = 0, nextOutput = 0;
  for (const CLI::Option* opt : app.parse_order()) {
    if (opt == cl.formatOpt && nextFormat < cl.formats.size())
      outputArgs.push_back({OutputArg::Kind::Format, cl.formats[nextFormat++]});
    else if (opt == cl.outputOpt && nextOutput < cl.outputs.size())
      outputArgs.push_back({OutputArg::Kind::Output, cl.outputs[nextOutput++]});
  }
  std::string planError;
  if (!planOutputs(outputArgs, targets, &planError)) {
    std::cerr << "lbcheck: " << planError << "\n"
              << "usage: lbcheck --format F1 -o FILE1 --format F2 ... PATH...  (see --help)\n";
    return false;
  }
  return true;
}

/// Applies --baseline and writes --write-baseline; false (after saying why) when
/// either file cannot be used.
bool handleBaselines(const CommandLine& cl, RunResult& result) {
  if (!cl.baselineIn.empty()) {
    size_t fixed = 0;
    const std::string problem =
        applyBaseline(cl.baselineIn, result.sources, result.findings, &fixed);
    if (!problem.empty()) {
      std::cerr << "lbcheck: --baseline: " << problem << "\n";
      return false;
    }
    if (fixed > 0)
      std::cerr << "lbcheck: " << fixed << " finding" << (fixed == 1 ? "" : "s")
                << " of the baseline no longer occur; rewrite it with --write-baseline\n";
  }
  if (!cl.baselineOut.empty()) {
    std::string error;
    if (!replaceFile(cl.baselineOut, renderBaseline(result.sources, result.findings), &error)) {
      std::cerr << "lbcheck: --write-baseline: " << error << "\n";
      return false;
    }
  }
  return true;
}

/// Writes each report (and --statistics); false when a report file could not be written.
bool writeReports(const CommandLine& cl, const std::vector<OutputTarget>& targets,
                  const RunResult& result) {
  std::vector<RuleInfo> policyRules;
  for (const Policy* p : result.configs->policies()) policyRules.push_back(p->info);

  bool stdoutIsMachineReadable = false;
  bool writeFailed = false;
  for (const OutputTarget& target : targets) {
    const bool toStdout = target.path.empty();
    // Reports are written straight into their stream: a large run's report is
    // never held in memory whole beside the graph and the findings.
    auto write = [&](std::ostream& out) {
      if (cl.printGraph) {
        out << renderGraph(result.sources, result.graph) << renderChains(result.graph);
        return;
      }
      const ReportFormat* format = findFormat(target.format);
      if (!format) format = &reportFormats().front();
      format->write(ReportInput{result, policyRules, cl.options.onlyRules, !cl.baselineIn.empty(),
                                cl.sarifRoot, cl.color, toStdout, cl.showSkipped},
                    out);
    };
    if (toStdout) {
      write(std::cout);
      stdoutIsMachineReadable = !cl.printGraph && target.format != "text";
      continue;
    }
    std::string error;
    if (!writeAtomically(target.path, write, &error)) {
      std::cerr << "lbcheck: " << error << "\n";
      writeFailed = true;
    }
  }
  // The reports read the lines they quote again (SourceManager::release).
  for (uint32_t i = 0; i < result.sources.size(); ++i)
    if (result.sources.get(i).changedOnDisk())
      std::cerr << "lbcheck: warning: " << result.sources.get(i).path()
                << " changed while lbcheck read it; the locations and lines quoted from it may "
                   "be off\n";
  if (cl.statistics) {
    // Never inside a machine-readable report: JSON, SARIF and XML must stay parseable.
    (stdoutIsMachineReadable ? std::cerr : std::cout)
        << renderStatistics(result.findings, policyRules);
  }
  return !writeFailed;
}

std::string plural(size_t n, std::string_view one, std::string_view many) {
  return std::to_string(n) + " " + std::string(n == 1 ? one : many);
}

/// The bytes of a file as lbcheck read it, if the file on disk still holds
/// them: a fix is made only to the text it was computed on.
bool unchangedOnDisk(const SourceFile& file, std::string* error) {
  std::ifstream in(file.origin(), std::ios::binary);
  const std::string disk((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (in.bad() || disk != file.text() || file.changedOnDisk()) {
    *error = file.path() + " changed while lbcheck read it; not edited";
    return false;
  }
  return true;
}

/// `--fix`, `--unsafe-fixes`, `--diff`: applies the fixes (pass after pass,
/// re-checking in between, until none is left or ten passes ran) and leaves in
/// `result` the run on the fixed files. Returns the exit status for --diff, a
/// usage error, or -1 to go on and report `result`.
int applyFixes(CommandLine& cl, std::unique_ptr<RunResult>& result) {
  const bool unsafe = cl.unsafeFixes;
  size_t total = 0, unsafeLeft = 0;
  std::set<std::string> changed;
  std::string diffs;
  bool failed = false;
  for (int pass = 0; pass < 10; ++pass) {
    size_t fixed = 0;
    const auto edits = fixEdits(result->findings, unsafe, &fixed, &unsafeLeft);
    if (edits.empty()) break;
    for (const auto& [fileId, list] : edits) {
      const SourceFile& file = result->sources.get(fileId);
      std::string error;
      if (file.origin().empty() || !unchangedOnDisk(file, &error)) {
        if (!error.empty()) std::cerr << "lbcheck: " << error << "\n";
        failed = true;
        continue;
      }
      const std::string after = applyEdits(file.text(), list);
      if (cl.diff) {
        diffs += unifiedDiff(file.path(), file.text(), after);
      } else if (!replaceFile(file.origin(), after, &error)) {
        std::cerr << "lbcheck: " << error << "\n";
        failed = true;
        continue;
      }
      changed.insert(file.path());
    }
    total += fixed;
    if (cl.diff) break;  // one pass: what the diff shows is what the first --fix pass writes
    auto again = std::make_unique<RunResult>();
    run(cl.options, *again);
    result = std::move(again);
    if (!handleBaselines(cl, *result)) return 2;
    (void)fixEdits(result->findings, unsafe, nullptr, &unsafeLeft);
  }
  std::string summary = cl.diff ? plural(total, "fix", "fixes") + " would change " +
                                      plural(changed.size(), "file", "files")
                                : "fixed " + plural(total, "finding", "findings") + " in " +
                                      plural(changed.size(), "file", "files");
  if (unsafeLeft > 0)
    summary += "; " + plural(unsafeLeft, "more finding has a fix", "more findings have fixes") +
               " that --unsafe-fixes applies";
  std::cerr << "lbcheck: " << summary << "\n";
  if (cl.diff) {
    std::cout << diffs;
    return exitWithoutCleanup(failed ? 2 : diffs.empty() ? 0 : 1);
  }
  if (failed) return 2;
  return -1;
}

/// `--add-suppressions REASON`: a suppression comment above every active finding.
int addSuppressions(CommandLine& cl) {
  if (cl.addSuppressions.find_first_not_of(" \t") == std::string::npos) {
    std::cerr << "lbcheck: --add-suppressions needs a reason (the suppression is ignored "
                 "without one)\n";
    return 2;
  }
  if (cl.addSuppressions.find('\n') != std::string::npos) {
    std::cerr << "lbcheck: --add-suppressions: the reason must be one line\n";
    return 2;
  }
  RunResult result;
  run(cl.options, result);
  if (!handleBaselines(cl, result)) return 2;
  size_t unsupported = 0;
  const auto edits =
      suppressionEdits(result.sources, result.findings, cl.addSuppressions, &unsupported);
  size_t comments = 0, files = 0;
  bool failed = false;
  for (const auto& [fileId, list] : edits) {
    const SourceFile& file = result.sources.get(fileId);
    std::string error;
    if (!unchangedOnDisk(file, &error) ||
        !replaceFile(file.origin(), applyEdits(file.text(), list), &error)) {
      std::cerr << "lbcheck: " << error << "\n";
      failed = true;
      continue;
    }
    comments += list.size();
    ++files;
  }
  std::cerr << "lbcheck: added " << plural(comments, "suppression comment", "suppression comments")
            << " to " << plural(files, "file", "files") << "\n";
  if (unsupported > 0)
    std::cerr << "lbcheck: " << plural(unsupported, "finding is", "findings are")
              << " in JSON files, which hold no comments: suppress them under `suppress:` in "
                 ".lbcheck.yaml\n";
  return failed ? 2 : 0;
}

/// The reports will read again a large file that reading released (a 100 MB
/// plan): freeing the graph first keeps that copy from adding to the peak.
/// Otherwise freeing it only costs time (0.1 s per 100,000 resources).
bool readsBackALargeFile(const RunResult& result) {
  constexpr size_t kLarge = size_t{8} << 20;
  std::vector<bool> seen(result.sources.size());
  for (const Finding& f : result.findings) {
    const uint32_t id = f.span.file;
    if (id >= seen.size() || seen[id]) continue;
    seen[id] = true;
    const SourceFile& file = result.sources.get(id);
    if (!file.resident() && file.size() >= kLarge) return true;
  }
  return false;
}

/// `lbcheck [options] PATH...`: checks the inputs, writes the reports and returns
/// the exit status.
int check(const CLI::App& app, CommandLine& cl, char** argv) {
  Options& options = cl.options;
  if (cl.paths.empty()) {
    std::cerr << "lbcheck: no PATH given\n"
              << "usage: lbcheck [options] PATH...  (see --help)\n";
    return 2;
  }
  if (!canonicalRuleIds(options)) return 2;
  options.paths = cl.paths;
  options.beforeReading = [argv](uint64_t bytes) { restartOnHugePages(argv, bytes); };
  if (const char* t = std::getenv("GLIBC_TUNABLES"))
    options.hugePages =
        std::string_view(t).find("glibc.malloc.hugetlb=1") != std::string_view::npos;

  std::vector<OutputTarget> targets;
  if (!planTargets(app, cl, &targets)) return 2;
  if (cl.printGraph && targets.size() > 1) {
    std::cerr << "lbcheck: --print-graph writes one report; give at most one --format\n";
    return 2;
  }
  const auto failOn = parseFailOn(cl.failOnText);
  if (!failOn) {  // CLI11 already checked it: this guards against the two lists drifting apart
    std::cerr << "lbcheck: --fail-on must be error, warning, note or never\n";
    return 2;
  }

  if (cl.addSuppressionsOpt->count() > 0) return addSuppressions(cl);
  auto result = std::make_unique<RunResult>();
  try {
    run(options, *result);
    if (!handleBaselines(cl, *result)) return 2;
    if (cl.fix || cl.diff || cl.unsafeFixes) {
      const int fixed = applyFixes(cl, result);
      if (fixed >= 0) return fixed;
    }
  } catch (const std::exception& e) {
    std::cerr << "lbcheck: internal error: " << e.what() << "\n";
    return 2;
  }
  const bool graphDrawn = cl.printGraph || std::any_of(targets.begin(), targets.end(), [](auto& t) {
                            const ReportFormat* f = findFormat(t.format);
                            return f != nullptr && f->drawsGraph;
                          });
  if (!graphDrawn && readsBackALargeFile(*result)) releaseGraph(*result);
  const RunResult& done = *result;
  const bool written = writeReports(cl, targets, done);
  phases::mark("reports written");
  const int code = !written ? 2 : failsGate(done.findings, *failOn) ? 1 : 0;
  return exitWithoutCleanup(code);
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{
      "lbcheck: a static linter for Google Cloud load-balancer configuration.\n"
      "It reads Terraform (plans, .tf, state), gcloud exports and scripts, Config\n"
      "Connector manifests and CI files (Cloud Build, GitHub Actions, GitLab CI) into one\n"
      "resource graph and checks the Application Load Balancer chains (regional and\n"
      "cross-region internal, global and regional external, classic) down to their\n"
      "serverless NEGs and Cloud Run services. Directories are walked recursively (.git,\n"
      ".terraform and node_modules are skipped).\n\n"
      "Exit status: 0 when no active finding (not suppressed, not in the baseline)\n"
      "is at or above the --fail-on severity (default warning: notes alone pass);\n"
      "1 when at least one is (an input that cannot be read or parsed is an error);\n"
      "2 usage error, a report file that cannot be written, or internal failure.\n"
      "--fail-on never always exits 0 unless the status would be 2.",
      "lbcheck"};
  CommandLine cl;
  defineOptions(app, cl);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int code = app.exit(e);
    return code == 0 ? 0 : 2;
  }
  if (cl.rulesCmd->parsed()) return listRules(cl.rulesFormat);
  if (cl.explainCmd->parsed()) return explain(cl.explainId);
  if (cl.maskCmd->parsed()) return urlMask(cl.maskText, cl.maskUrls);
  if (cl.graphCmd->parsed()) return drawGraph(cl);
  if (cl.lspCmd->parsed()) return serveLanguageClients(cl);
  return check(app, cl, argv);
}
