#include "driver/lsp/server.h"

#include <algorithm>
#include <filesystem>
#include <iostream>

#include "driver/fixes.h"
#include "driver/lsp/jsonrpc.h"
#include "driver/lsp/reach.h"
#include "driver/lsp/suppress.h"
#include "driver/paths.h"
#include "engine/rule.h"
#include "engine/source.h"

namespace lbcheck::lsp {

namespace fs = std::filesystem;
using json = nlohmann::json;

namespace {

/// Thrown by a request's handler: answered with the matching error.
struct InvalidParams : std::runtime_error {
  using std::runtime_error::runtime_error;
};
struct MethodNotFound : std::runtime_error {
  using std::runtime_error::runtime_error;
};

/// UTF-16 code units of `s` (a byte that is not well-formed UTF-8 counts one).
uint32_t utf16Length(std::string_view s) {
  uint32_t units = 0;
  for (size_t i = 0; i < s.size();) {
    char32_t cp = 0;
    const size_t n = decodeUtf8(s, i, &cp);
    if (n == 0) {
      ++units, ++i;
      continue;
    }
    units += cp >= 0x10000 ? 2 : 1;
    i += n;
  }
  return units;
}

/// The byte offset in `line` after `units` UTF-16 code units (its end at most).
uint32_t bytesForUnits(std::string_view line, uint32_t units) {
  size_t i = 0;
  uint32_t seen = 0;
  while (i < line.size() && seen < units) {
    char32_t cp = 0;
    const size_t n = decodeUtf8(line, i, &cp);
    if (n == 0) {
      ++seen, ++i;
      continue;
    }
    const uint32_t width = cp >= 0x10000 ? 2 : 1;
    if (seen + width > units) break;  // inside a surrogate pair: stay before it
    seen += width;
    i += n;
  }
  return static_cast<uint32_t>(i);
}

int lspSeverity(Severity s) {
  switch (s) {
    case Severity::Error:
      return 1;
    case Severity::Warning:
      return 2;
    case Severity::Note:
      return 3;
  }
  return 3;
}

Position positionOf(const json& p) {
  const auto line = p.at("line").get<int64_t>();
  const auto character = p.at("character").get<int64_t>();
  if (line < 0 || character < 0) throw InvalidParams("a position is never negative");
  return Position{static_cast<uint32_t>(std::min<int64_t>(line, UINT32_MAX)),
                  static_cast<uint32_t>(std::min<int64_t>(character, UINT32_MAX))};
}

/// Brackets nest deeper than `limit` somewhere in `body` (outside strings): a
/// message no client sends, whose tree would take far more memory than its bytes.
bool nestsDeeperThan(std::string_view body, size_t limit) {
  size_t depth = 0;
  bool inString = false;
  for (size_t i = 0; i < body.size(); ++i) {
    const char c = body[i];
    if (inString) {
      if (c == '\\')
        ++i;
      else if (c == '"')
        inString = false;
    } else if (c == '"') {
      inString = true;
    } else if (c == '[' || c == '{') {
      if (++depth > limit) return true;
    } else if ((c == ']' || c == '}') && depth > 0) {
      --depth;
    }
  }
  return false;
}

bool isRuleChar(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; }

}  // namespace

LineMap::LineMap(std::string_view text) {
  starts_.push_back(0);
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\r' && i + 1 < text.size() && text[i + 1] == '\n') ++i;
    if (text[i] == '\n' || text[i] == '\r') starts_.push_back(static_cast<uint32_t>(i + 1));
  }
}

uint32_t LineMap::lineEnd(std::string_view text, uint32_t line) const {
  uint32_t end = line + 1 < starts_.size() ? starts_[line + 1] : static_cast<uint32_t>(text.size());
  while (end > starts_[line] && (text[end - 1] == '\n' || text[end - 1] == '\r')) --end;
  return end;
}

Position LineMap::position(std::string_view text, uint32_t offset) const {
  offset = std::min<uint32_t>(offset, static_cast<uint32_t>(text.size()));
  const auto it = std::upper_bound(starts_.begin(), starts_.end(), offset);
  const auto line = static_cast<uint32_t>(it - starts_.begin() - 1);
  const uint32_t start = starts_[line];
  const uint32_t end = std::min(offset, lineEnd(text, line));
  return Position{line, utf16Length(text.substr(start, end - start))};
}

uint32_t LineMap::offset(std::string_view text, Position p) const {
  if (p.line >= starts_.size()) return static_cast<uint32_t>(text.size());
  const uint32_t start = starts_[p.line];
  const std::string_view line = text.substr(start, lineEnd(text, p.line) - start);
  return start + bytesForUnits(line, p.character);
}

std::string uriToPath(std::string_view uri) {
  constexpr std::string_view kScheme = "file://";
  if (uri.size() < kScheme.size()) return {};
  for (size_t i = 0; i < kScheme.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(uri[i])) != kScheme[i]) return {};
  uri.remove_prefix(kScheme.size());
  // file://host/path: only the local host (empty or localhost).
  if (uri.rfind("localhost/", 0) == 0) uri.remove_prefix(9);
  if (uri.empty() || uri[0] != '/') return {};
  std::string path;
  for (size_t i = 0; i < uri.size(); ++i) {
    if (uri[i] == '%' && i + 2 < uri.size() &&
        std::isxdigit(static_cast<unsigned char>(uri[i + 1])) &&
        std::isxdigit(static_cast<unsigned char>(uri[i + 2]))) {
      path.push_back(static_cast<char>(std::stoi(std::string(uri.substr(i + 1, 2)), nullptr, 16)));
      i += 2;
    } else if (uri[i] == '?' || uri[i] == '#') {
      break;
    } else {
      path.push_back(uri[i]);
    }
  }
  return path;
}

std::string pathToUri(std::string_view path) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string uri = "file://";
  for (const char ch : path) {
    const auto c = static_cast<unsigned char>(ch);
    if (std::isalnum(c) || c == '/' || c == '-' || c == '.' || c == '_' || c == '~') {
      uri.push_back(ch);
    } else {
      uri.push_back('%');
      uri.push_back(kHex[c >> 4]);
      uri.push_back(kHex[c & 15]);
    }
  }
  return uri;
}

std::string ruleHelpUri(std::string_view ruleId) {
  constexpr std::string_view kHome = "https://github.com/lbcheck/lbcheck";
  const Rule* rule = findRule(ruleId);
  if (!rule || rule->info().area == "policy") return std::string(kHome) + "#organisation-policies";
  const RuleInfo& info = rule->info();
  return std::string(kHome) + "/blob/main/rules/" + std::string(info.area) + "/" +
         std::string(info.id) + "-" + std::string(info.slug) + ".md";
}

Server::Server(std::istream& in, std::ostream& out, Options base)
    : in_(in), out_(out), base_(std::move(base)) {
  // Each check parses only the files that changed since the last.
  if (!base_.cache) base_.cache = newReadCache();
}

Server::~Server() = default;

int Server::run() {
  while (!exited_) {
    // Check once no message is waiting: a burst of changes is checked once.
    if (dirty_ && in_.rdbuf()->in_avail() <= 0) check();
    if (!step()) {
      // The client went away: as an `exit` would say.
      exitCode_ = shutdown_ ? 0 : 1;
      break;
    }
  }
  return exitCode_;
}

void Server::pump() {
  in_.clear();
  while (!exited_ && in_.rdbuf()->in_avail() > 0 && step()) {
  }
  if (dirty_ && !exited_) check();
}

bool Server::step() {
  Frame frame = readFrame(in_, maxMessage);
  switch (frame.status) {
    case Frame::Status::End:
      return false;
    case Frame::Status::BadFrame:
      respondError(nullptr, error::kParseError, frame.problem);
      return true;
    case Frame::Status::Message:
      break;
  }
  if (nestsDeeperThan(frame.body, 256)) {
    respondError(nullptr, error::kParseError, "the message nests deeper than 256 levels");
    return true;
  }
  json message = json::parse(frame.body, nullptr, false);
  if (message.is_discarded()) {
    respondError(nullptr, error::kParseError, "the message is not JSON");
    return true;
  }
  handle(message);
  return true;
}

void Server::handle(const json& message) {
  if (!message.is_object()) {
    respondError(nullptr, error::kInvalidRequest, "a message is a JSON object");
    return;
  }
  const auto method = message.find("method");
  const auto id = message.find("id");
  const bool isRequest = id != message.end();
  if (method == message.end() || !method->is_string()) {
    // A response to a request of ours (none are sent), or nonsense.
    if (isRequest && !message.contains("result") && !message.contains("error"))
      respondError(*id, error::kInvalidRequest, "a request needs a method");
    return;
  }
  if (isRequest && !id->is_string() && !id->is_number_integer() && !id->is_null()) {
    respondError(nullptr, error::kInvalidRequest, "a request id is a number or a string");
    return;
  }
  const std::string name = method->get<std::string>();
  static const json kNoParams = json::object();
  const auto paramsAt = message.find("params");
  const json& params = paramsAt == message.end() ? kNoParams : *paramsAt;
  if (!isRequest) {
    try {
      notification(name, params);
    } catch (const std::exception& e) {
      // Notifications get no answer, even when they are wrong.
      *log << "lbcheck lsp: " << name << ": " << e.what() << "\n";
    }
    return;
  }
  if (!initialized_ && name != "initialize") {
    respondError(*id, error::kServerNotInitialized, "the server is not initialized yet");
    return;
  }
  if (shutdown_) {
    respondError(*id, error::kInvalidRequest, "the server is shut down");
    return;
  }
  try {
    respond(*id, request(name, params));
  } catch (const json::exception& e) {
    respondError(*id, error::kInvalidParams, std::string("invalid params: ") + e.what());
  } catch (const InvalidParams& e) {
    respondError(*id, error::kInvalidParams, std::string("invalid params: ") + e.what());
  } catch (const MethodNotFound&) {
    respondError(*id, error::kMethodNotFound, "unknown method " + name);
  } catch (const std::exception& e) {
    respondError(*id, error::kInternalError, e.what());
  }
}

json Server::request(const std::string& method, const json& params) {
  if (method == "initialize") {
    if (initialized_) throw InvalidParams("initialize was already sent");
    return initialize(params);
  }
  if (method == "shutdown") {
    shutdown_ = true;
    return nullptr;
  }
  if (method == "textDocument/hover") return hover(params);
  if (method == "textDocument/codeAction") return codeActions(params);
  throw MethodNotFound(method);
}

void Server::notification(const std::string& method, const json& params) {
  if (method == "exit") {
    exited_ = true;
    exitCode_ = shutdown_ ? 0 : 1;
    return;
  }
  if (!initialized_ || shutdown_) return;
  if (method == "textDocument/didOpen") {
    const json& doc = params.at("textDocument");
    const std::string uri = doc.at("uri").get<std::string>();
    const std::string path = uriToPath(uri);
    if (path.empty()) return;
    const std::string key = absolutePath(path);
    documents_[key] = Document{uri, doc.at("text").get<std::string>()};
    touched_.insert(key);
    dirty_ = true;
  } else if (method == "textDocument/didChange") {
    const std::string uri = params.at("textDocument").at("uri").get<std::string>();
    const auto it = documents_.find(absolutePath(uriToPath(uri)));
    if (it == documents_.end()) return;
    for (const json& change : params.at("contentChanges")) {
      std::string text = change.at("text").get<std::string>();
      if (const auto r = change.find("range"); r != change.end()) {
        // An incremental change (full sync was asked for, but take it).
        const LineMap lines(it->second.text);
        const uint32_t from = lines.offset(it->second.text, positionOf(r->at("start")));
        const uint32_t to = std::max(from, lines.offset(it->second.text, positionOf(r->at("end"))));
        it->second.text.replace(from, to - from, text);
      } else {
        it->second.text = std::move(text);
      }
    }
    touched_.insert(it->first);
    dirty_ = true;
  } else if (method == "textDocument/didSave") {
    const std::string uri = params.at("textDocument").at("uri").get<std::string>();
    const auto it = documents_.find(absolutePath(uriToPath(uri)));
    if (it != documents_.end()) {
      if (const auto text = params.find("text"); text != params.end() && text->is_string())
        it->second.text = text->get<std::string>();
      touched_.insert(it->first);
    }
    wholeCheck_ = true;  // saved: the whole workspace again, as `lbcheck DIR` would see it
    dirty_ = true;
  } else if (method == "textDocument/didClose") {
    const std::string uri = params.at("textDocument").at("uri").get<std::string>();
    documents_.erase(absolutePath(uriToPath(uri)));
    wholeCheck_ = true;  // the file on disk again, or none when it is outside the workspace
    dirty_ = true;
  } else if (method == "workspace/didChangeWatchedFiles") {
    wholeCheck_ = true;
    dirty_ = true;  // files changed on disk (the cache reads only those again)
  }
  // initialized, $/cancelRequest, $/setTrace...: nothing to do.
}

void Server::respond(const json& id, json result) {
  send(json{{"jsonrpc", "2.0"}, {"id", id}, {"result", std::move(result)}});
}

void Server::respondError(const json& id, int code, const std::string& message) {
  send(json{{"jsonrpc", "2.0"}, {"id", id}, {"error", {{"code", code}, {"message", message}}}});
}

void Server::send(const json& message) { writeFrame(out_, message); }

json Server::initialize(const json& params) {
  if (!params.is_object()) throw InvalidParams("initialize takes an object");
  auto addRoot = [&](const std::string& path) {
    std::error_code ec;
    if (path.empty() || !fs::is_directory(path, ec)) return;
    const std::string abs = absolutePath(path);
    if (std::find(roots_.begin(), roots_.end(), abs) == roots_.end()) roots_.push_back(abs);
  };
  if (const auto folders = params.find("workspaceFolders");
      folders != params.end() && folders->is_array() && !folders->empty()) {
    for (const json& folder : *folders) addRoot(uriToPath(folder.at("uri").get<std::string>()));
  } else if (const auto uri = params.find("rootUri"); uri != params.end() && uri->is_string()) {
    addRoot(uriToPath(uri->get<std::string>()));
  } else if (const auto path = params.find("rootPath"); path != params.end() && path->is_string()) {
    addRoot(path->get<std::string>());
  }
  initialized_ = true;
  if (!roots_.empty()) dirty_ = true;  // the workspace's findings, before any document opens
  return json{{"capabilities",
               {{"textDocumentSync",
                 {{"openClose", true}, {"change", 1}, {"save", {{"includeText", false}}}}},
                {"hoverProvider", true},
                {"codeActionProvider", {{"codeActionKinds", json::array({"quickfix"})}}}}},
              {"serverInfo", {{"name", "lbcheck"}, {"version", LBCHECK_VERSION}}}};
}

void Server::check() {
  dirty_ = false;
  const std::vector<std::string> changed(touched_.begin(), touched_.end());
  try {
    if (wholeCheck_ || files_.empty() || changed.empty() || !checkPart(changed)) checkWhole();
  } catch (const std::exception& e) {
    *log << "lbcheck lsp: the check failed: " << e.what() << "\n";
    return;
  }
  wholeCheck_ = false;
  try {
    publish();
  } catch (const std::exception& e) {
    *log << "lbcheck lsp: publishing diagnostics failed: " << e.what() << "\n";
  }
  touched_.clear();
}

void Server::checkWhole() {
  Options options = base_;
  options.paths = roots_;
  options.overlay.clear();
  for (const auto& [path, doc] : documents_) options.overlay[path] = doc.text;
  auto result = std::make_shared<RunResult>();
  lbcheck::run(options, *result);
  files_.clear();
  reach_.clear();
  reach_.record(*result);
  take(result, nullptr);
  ++checks_.whole;
}

bool Server::checkPart(const std::vector<std::string>& changed) {
  std::optional<std::vector<std::string>> part = reach_.closure(changed);
  // The edit may link the changed files to others: check those too, until
  // what was checked holds everything the new texts reach.
  for (int round = 0; part && round < 4; ++round) {
    Options options = base_;
    std::set<std::string> open;
    for (const auto& [path, doc] : documents_) open.insert(path);
    options.paths = Reach::named(*part, roots_, open);
    options.overlay.clear();
    for (const std::string& path : *part)
      if (const auto doc = documents_.find(path); doc != documents_.end())
        options.overlay[path] = doc->second.text;
    if (!partCache_) partCache_ = newReadCache();
    options.cache = partCache_;
    auto result = std::make_shared<RunResult>();
    lbcheck::run(options, *result);
    reach_.record(*result);
    const std::optional<std::vector<std::string>> now = reach_.closure(changed);
    if (!now) return false;
    const std::set<std::string> checked(part->begin(), part->end());
    if (std::all_of(now->begin(), now->end(),
                    [&](const std::string& p) { return checked.count(p) != 0; })) {
      for (const std::string& path : checked) files_.erase(path);
      take(result, &checked);
      ++checks_.partial;
      return true;
    }
    part = now;
  }
  return false;
}

void Server::take(const std::shared_ptr<const RunResult>& result,
                  const std::set<std::string>* only) {
  lineMaps_.clear();
  std::vector<FileState*> byId(result->sources.size(), nullptr);
  for (uint32_t i = 0; i < result->sources.size(); ++i) {
    const std::string path = workspacePath(result->sources.get(i));
    if (only && only->count(path) == 0) continue;
    const auto [it, added] = files_.try_emplace(path, FileState{result, i, {}});
    if (added) byId[i] = &it->second;  // the first file id of a path
  }
  for (const Finding& f : result->findings)
    if (f.active() && f.span.valid() && f.span.file < byId.size() && byId[f.span.file])
      byId[f.span.file]->findings.push_back(&f);
  // What the findings say in a few bytes (publish() compares them).
  for (FileState* state : byId) {
    if (!state || state->findings.empty()) continue;
    std::string& s = state->signature;
    s = std::to_string(result->sources.get(state->id).size()) + "\n";
    for (const Finding* f : state->findings) {
      s += f->ruleId.str() + '\0' + std::to_string(static_cast<int>(f->severity)) + '\0' +
           std::to_string(f->span.begin) + '\0' + std::to_string(f->span.end) + '\0' + f->message +
           '\0' + f->help + '\0';
      for (const Related& r : f->related)
        s += (r.span.valid() && r.span.file < result->sources.size()
                  ? workspacePath(result->sources.get(r.span.file))
                  : std::string()) +
             '\0' + std::to_string(r.span.begin) + '\0' + std::to_string(r.span.end) + '\0' +
             r.message + '\0';
      s += '\n';
    }
  }
}

std::string_view Server::textOf(const RunResult& result, uint32_t file) {
  const SourceFile* f = result.sources.find(file);
  return f ? f->text() : std::string_view();
}

const LineMap& Server::linesOf(const RunResult& result, uint32_t file) {
  const auto key = std::make_pair(&result, file);
  auto it = lineMaps_.find(key);
  if (it == lineMaps_.end()) it = lineMaps_.emplace(key, LineMap(textOf(result, file))).first;
  return it->second;
}

std::string Server::uriOf(const RunResult& result, uint32_t file) {
  return uriOfPath(workspacePath(result.sources.get(file)));
}

std::string Server::uriOfPath(const std::string& path) const {
  if (const auto doc = documents_.find(path); doc != documents_.end()) return doc->second.uri;
  return pathToUri(path);
}

const Server::FileState* Server::fileAt(const std::string& uri) {
  const auto it = files_.find(absolutePath(uriToPath(uri)));
  return it == files_.end() ? nullptr : &it->second;
}

json Server::range(const RunResult& result, uint32_t file, uint32_t begin, uint32_t end) {
  const std::string_view text = textOf(result, file);
  const LineMap& lines = linesOf(result, file);
  const Position from = lines.position(text, begin);
  const Position to = lines.position(text, std::max(begin, end));
  return json{{"start", {{"line", from.line}, {"character", from.character}}},
              {"end", {{"line", to.line}, {"character", to.character}}}};
}

json Server::location(const RunResult& result, const Span& span) {
  return json{{"uri", uriOf(result, span.file)},
              {"range", range(result, span.file, span.begin, span.end)}};
}

json Server::diagnostic(const RunResult& result, const Finding& f) {
  json d{{"range", range(result, f.span.file, f.span.begin, f.span.end)},
         {"severity", lspSeverity(f.severity)},
         {"code", f.ruleId},
         {"codeDescription", {{"href", ruleHelpUri(f.ruleId)}}},
         {"source", "lbcheck"},
         {"message", f.help.empty() ? f.message : f.message + "\n" + f.help}};
  json related = json::array();
  for (const Related& r : f.related)
    if (r.span.valid() && r.span.file < result.sources.size())
      related.push_back({{"location", location(result, r.span)}, {"message", r.message}});
  if (!related.empty()) d["relatedInformation"] = std::move(related);
  return d;
}

void Server::publish() {
  // A file whose findings read as they did when last published (its
  // signature, made when a check took it) is not published again, unless it
  // is a document that changed: one edit costs the diagnostics of the files
  // it changes, not of the whole workspace.
  std::set<std::string> forced;
  for (const std::string& path : touched_)
    if (const auto doc = documents_.find(path); doc != documents_.end())
      forced.insert(doc->second.uri);
  std::set<std::string> now;  // uris with findings
  auto sendFor = [&](const std::string& uri, const FileState* state) {
    json diagnostics = json::array();
    if (state)
      for (const Finding* f : state->findings)
        diagnostics.push_back(diagnostic(*state->result, *f));
    send(json{{"jsonrpc", "2.0"},
              {"method", "textDocument/publishDiagnostics"},
              {"params", {{"uri", uri}, {"diagnostics", std::move(diagnostics)}}}});
  };
  for (const auto& [path, state] : files_) {
    const std::string uri = uriOfPath(path);
    if (state.findings.empty()) {
      if (forced.count(uri) || published_.count(uri)) sendFor(uri, nullptr);
      published_.erase(uri);
      forced.erase(uri);
      continue;
    }
    now.insert(uri);
    std::string& before = published_[uri];
    if (before != state.signature || forced.count(uri)) {
      sendFor(uri, &state);
      before = state.signature;
    }
    forced.erase(uri);
  }
  // Documents no check read, and files no longer read: an empty list.
  for (const std::string& uri : forced) sendFor(uri, nullptr);
  for (auto it = published_.begin(); it != published_.end();) {
    if (now.count(it->first)) {
      ++it;
      continue;
    }
    sendFor(it->first, nullptr);
    it = published_.erase(it);
  }
}

json Server::hover(const json& params) {
  const std::string uri = params.at("textDocument").at("uri").get<std::string>();
  const Position at = positionOf(params.at("position"));
  if (dirty_) check();
  const FileState* state = fileAt(uri);
  if (!state) return nullptr;
  const std::string_view text = textOf(*state->result, state->id);
  const LineMap& lines = linesOf(*state->result, state->id);
  const uint32_t offset = lines.offset(text, at);
  std::string markdown;
  auto ruleSection = [](std::string_view id) {
    const Rule* rule = findRule(id);
    if (!rule) return std::string();
    const std::string_view doc = ruleDoc(rule->info().id);
    return std::string(doc.empty() ? rule->info().summary : doc);
  };
  for (const Finding* finding : state->findings) {
    const Finding& f = *finding;
    if (offset < f.span.begin || offset > std::max(f.span.begin, f.span.end)) continue;
    if (!markdown.empty()) markdown += "\n\n---\n\n";
    const Rule* rule = findRule(f.ruleId);
    markdown += "**" + f.ruleId + "** (" + std::string(severityName(f.severity)) + ")";
    if (rule) markdown += ": " + std::string(rule->info().summary);
    markdown += "\n\n" + f.message;
    if (!f.help.empty()) markdown += "\n\n" + f.help;
    if (const std::string doc = ruleSection(f.ruleId); !doc.empty())
      markdown += "\n\n---\n\n" + doc;
  }
  if (markdown.empty()) {
    // A rule id in a `lbcheck:ignore` comment: that rule's documentation.
    const Position start{at.line, 0};
    const uint32_t lineStart = lines.offset(text, start);
    const uint32_t lineEnd = lines.offset(text, Position{at.line, UINT32_MAX});
    const std::string_view line = text.substr(lineStart, lineEnd - lineStart);
    const size_t tag = line.find("lbcheck:ignore");
    const size_t in = offset - lineStart;
    if (tag != std::string_view::npos && in > tag + 14 && in <= line.size()) {
      size_t b = in, e = in;
      while (b > 0 && isRuleChar(line[b - 1])) --b;
      while (e < line.size() && isRuleChar(line[e])) ++e;
      const size_t reasonAt = line.find("--", tag);
      if (e > b && (reasonAt == std::string_view::npos || b < reasonAt))
        markdown = ruleSection(line.substr(b, e - b));
    }
  }
  if (markdown.empty()) return nullptr;
  return json{{"contents", {{"kind", "markdown"}, {"value", markdown}}}};
}

json Server::codeActions(const json& params) {
  const std::string uri = params.at("textDocument").at("uri").get<std::string>();
  const json& r = params.at("range");
  const Position from = positionOf(r.at("start")), to = positionOf(r.at("end"));
  json actions = json::array();
  // The client asks for other kinds only (source actions, refactorings): none of ours.
  if (const auto context = params.find("context"); context != params.end() && context->is_object())
    if (const auto only = context->find("only"); only != context->end() && only->is_array()) {
      bool wanted = false;
      for (const json& kind : *only)
        wanted |= kind.is_string() && (kind == "quickfix" || kind == "");
      if (!wanted) return actions;
    }
  if (dirty_) check();
  const FileState* state = fileAt(uri);
  if (!state) return actions;
  const RunResult& result = *state->result;
  const uint32_t file = state->id;
  const std::string_view text = textOf(result, file);
  const LineMap& lines = linesOf(result, file);
  const uint32_t begin = lines.offset(text, from), end = std::max(begin, lines.offset(text, to));
  std::set<std::pair<std::string, uint32_t>> suppressing;  // (rule, line start) offered once
  for (const Finding* finding : state->findings) {
    const Finding& f = *finding;
    if (f.span.begin > end || std::max(f.span.begin, f.span.end) < begin) continue;
    const json diag = diagnostic(result, f);
    // Preferred: the fix `lbcheck --fix` would apply (complete, safe, no alternative).
    const Fix* preferred = applicableFix(f, false);
    for (const Fix& fix : f.fixes) {
      if (fix.replacements.empty()) continue;
      json changes = json::object();
      for (const Replacement& rep : fix.replacements) {
        if (!rep.span.valid() || rep.span.file >= result.sources.size()) continue;
        changes[uriOf(result, rep.span.file)].push_back(
            {{"range", range(result, rep.span.file, rep.span.begin, rep.span.end)},
             {"newText", rep.text}});
      }
      if (changes.empty()) continue;
      actions.push_back({{"title", fix.description},
                         {"kind", "quickfix"},
                         {"diagnostics", json::array({diag})},
                         {"isPreferred", &fix == preferred},
                         {"edit", {{"changes", std::move(changes)}}}});
    }
    const auto insertion = suppressionInsertion(workspacePath(result.sources.get(file)), text,
                                                f.span.begin, f.ruleId, kReasonPlaceholder);
    if (!insertion || !suppressing.emplace(f.ruleId, insertion->offset).second) continue;
    actions.push_back(
        {{"title", "Suppress " + f.ruleId + " with a reason"},
         {"kind", "quickfix"},
         {"diagnostics", json::array({diag})},
         {"edit",
          {{"changes",
            {{uri,
              json::array({{{"range", range(result, file, insertion->offset, insertion->offset)},
                            {"newText", insertion->text}}})}}}}}});
  }
  return actions;
}

}  // namespace lbcheck::lsp
