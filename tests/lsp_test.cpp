// `lbcheck lsp`: the protocol, driven over in-memory streams.
#include <gtest/gtest.h>

#include <filesystem>
#include <map>
#include <set>
#include <sstream>

#include "driver/lsp/jsonrpc.h"
#include "driver/lsp/server.h"
#include "driver/lsp/suppress.h"
#include "tests/helpers.h"

namespace lbcheck::lsp {
namespace {

using json = nlohmann::json;
using lbcheck::testing::TempDir;

// A certificate whose private key is written into the manifest: TLS006 at the value.
const char* const kCertificate = R"(apiVersion: compute.cnrm.cloud.google.com/v1beta1
kind: ComputeSSLCertificate
metadata:
  name: hello-cert
  annotations:
    cnrm.cloud.google.com/project-id: demo-proj
spec:
  location: us-central1
  certificate:
    value: "-----BEGIN CERTIFICATE-----\nMIIBfake==\n-----END CERTIFICATE-----\n"
  privateKey:
    value: "-----BEGIN PRIVATE KEY-----\nMIIBfake==\n-----END PRIVATE KEY-----\n"
)";

// The same certificate, the key gone.
const char* const kCertificateFixed = R"(apiVersion: compute.cnrm.cloud.google.com/v1beta1
kind: ComputeSSLCertificate
metadata:
  name: hello-cert
  annotations:
    cnrm.cloud.google.com/project-id: demo-proj
spec:
  location: us-central1
  certificate:
    value: "-----BEGIN CERTIFICATE-----\nMIIBfake==\n-----END CERTIFICATE-----\n"
)";

// A regional backend service with scheme EXTERNAL (backend.yaml) behind a
// regional URL map (lb.yaml): LB014 at the URL map's reference, fixed in the
// backend service.
const char* const kBackend = R"(apiVersion: compute.cnrm.cloud.google.com/v1beta1
kind: ComputeBackendService
metadata:
  name: web-backend
  annotations:
    cnrm.cloud.google.com/project-id: demo-proj
spec:
  location: us-central1
  loadBalancingScheme: EXTERNAL
  protocol: HTTP
  healthChecks:
    - healthCheckRef:
        name: web-hc
)";

const char* const kFrontend = R"(apiVersion: compute.cnrm.cloud.google.com/v1beta1
kind: ComputeHealthCheck
metadata:
  name: web-hc
  annotations:
    cnrm.cloud.google.com/project-id: demo-proj
spec:
  location: us-central1
  httpHealthCheck:
    port: 80
---
apiVersion: compute.cnrm.cloud.google.com/v1beta1
kind: ComputeURLMap
metadata:
  name: web-map
  annotations:
    cnrm.cloud.google.com/project-id: demo-proj
spec:
  location: us-central1
  defaultService:
    backendServiceRef:
      name: web-backend
---
apiVersion: compute.cnrm.cloud.google.com/v1beta1
kind: ComputeTargetHTTPProxy
metadata:
  name: web-proxy
  annotations:
    cnrm.cloud.google.com/project-id: demo-proj
spec:
  location: us-central1
  urlMapRef:
    name: web-map
)";

std::string frame(const std::string& body) {
  return "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body;
}

/// A client on the other end of in-memory streams.
class Client {
 public:
  explicit Client(Options options = {}) : server_(in_, out_, std::move(options)) {
    server_.log = &log;  // bad notifications are told there, not on the test's output
  }
  std::ostringstream log;

  void raw(const std::string& bytes) { in_ << bytes; }
  void notify(const std::string& method, json params) {
    raw(frame(json{{"jsonrpc", "2.0"}, {"method", method}, {"params", std::move(params)}}.dump()));
  }
  int request(const std::string& method, json params) {
    const int id = nextId_++;
    raw(frame(
        json{{"jsonrpc", "2.0"}, {"id", id}, {"method", method}, {"params", std::move(params)}}
            .dump()));
    return id;
  }
  /// Lets the server handle what was sent; the messages it wrote since the last call.
  std::vector<json> pump() {
    server_.pump();
    std::vector<json> messages = std::move(pending_);
    pending_.clear();
    for (json& m : received()) messages.push_back(std::move(m));
    return messages;
  }
  std::vector<json> received() {
    const std::string all = out_.str();
    std::istringstream rest(all.substr(read_));
    read_ = all.size();
    std::vector<json> messages;
    for (;;) {
      Frame f = readFrame(rest, 1 << 30);
      if (f.status != Frame::Status::Message) break;
      messages.push_back(json::parse(f.body));
    }
    return messages;
  }
  void initialize(const std::string& root) {
    const int id =
        request("initialize", {{"processId", nullptr},
                               {"rootUri", root.empty() ? json() : json(pathToUri(root))},
                               {"capabilities", json::object()}});
    notify("initialized", json::object());
    auto messages = pump();
    ASSERT_FALSE(messages.empty());
    ASSERT_EQ(messages[0]["id"], id);
    capabilities = messages[0]["result"]["capabilities"];
    // The workspace's first diagnostics: the next pump() returns them.
    pending_.assign(messages.begin() + 1, messages.end());
  }
  void open(const std::string& path, const std::string& text) {
    notify("textDocument/didOpen",
           {{"textDocument",
             {{"uri", pathToUri(path)}, {"languageId", "yaml"}, {"version", 1}, {"text", text}}}});
  }
  void change(const std::string& path, const std::string& text) {
    notify("textDocument/didChange",
           {{"textDocument", {{"uri", pathToUri(path)}, {"version", ++version_}}},
            {"contentChanges", json::array({{{"text", text}}})}});
  }
  Server& server() { return server_; }
  json capabilities;

 private:
  std::stringstream in_, out_;
  Server server_;
  size_t read_ = 0;
  std::vector<json> pending_;
  int nextId_ = 1;
  int version_ = 1;
};

/// The last diagnostics published for `path` among `messages` (null: none).
json diagnosticsFor(const std::vector<json>& messages, const std::string& path) {
  json last;
  for (const json& m : messages)
    if (m.value("method", "") == "textDocument/publishDiagnostics" &&
        m["params"]["uri"] == pathToUri(path))
      last = m["params"]["diagnostics"];
  return last;
}

json responseTo(const std::vector<json>& messages, int id) {
  for (const json& m : messages)
    if (m.contains("id") && m["id"] == id && !m.contains("method")) return m;
  return json();
}

bool hasRule(const json& diagnostics, const std::string& rule) {
  for (const json& d : diagnostics)
    if (d["code"] == rule) return true;
  return false;
}

const json* findRuleDiagnostic(const json& diagnostics, const std::string& rule) {
  for (const json& d : diagnostics)
    if (d["code"] == rule) return &d;
  return nullptr;
}

/// `text` with the TextEdits `edits` applied (last first: they do not overlap).
std::string applyEdits(std::string text, json edits) {
  std::vector<std::pair<uint32_t, std::pair<uint32_t, std::string>>> at;
  const LineMap lines(text);
  for (const json& e : edits) {
    const Position from{e["range"]["start"]["line"], e["range"]["start"]["character"]};
    const Position to{e["range"]["end"]["line"], e["range"]["end"]["character"]};
    at.push_back(
        {lines.offset(text, from), {lines.offset(text, to), e["newText"].get<std::string>()}});
  }
  std::sort(at.begin(), at.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
  for (const auto& [from, rest] : at) text.replace(from, rest.first - from, rest.second);
  return text;
}

/// "RULE file:line" of each active finding.
std::vector<std::string> summary(const RunResult& r) {
  std::vector<std::string> out;
  for (const Finding& f : r.findings)
    if (f.active())
      out.push_back(f.ruleId + " " + r.sources.get(f.span.file).path() + ":" +
                    std::to_string(r.sources.get(f.span.file).locate(f.span.begin).line));
  return out;
}

TEST(LspRunner, OverlayStandsForFilesAndAddsFiles) {
  TempDir dir, elsewhere;
  const std::string backend = dir.file("backend.yaml", kBackend);
  dir.file("lb.yaml", kFrontend);
  Options options;
  options.paths = {dir.path()};
  RunResult plain;
  run(options, plain);
  auto has = [](const std::vector<std::string>& found, std::string_view what) {
    for (const std::string& f : found)
      if (f.find(what) != std::string::npos) return true;
    return false;
  };
  EXPECT_TRUE(has(summary(plain), "LB014 ")) << ::testing::PrintToString(summary(plain));

  std::string fixed = kBackend;
  fixed.replace(fixed.find("EXTERNAL"), 8, "EXTERNAL_MANAGED");
  options.overlay[std::filesystem::path(backend).lexically_normal().generic_string()] = fixed;
  const std::string extra = elsewhere.path() + "/cert.yaml";  // on no disk
  options.overlay[extra] = kCertificate;
  RunResult overlaid;
  run(options, overlaid);
  const auto found = summary(overlaid);
  EXPECT_FALSE(has(found, "LB014")) << ::testing::PrintToString(found);
  EXPECT_TRUE(has(found, "TLS006 ")) << ::testing::PrintToString(found);
  EXPECT_EQ(testing::readText(backend), kBackend);  // the disk is not written
}

TEST(LspRunner, CachedRunsFindWhatFreshRunsFind) {
  TempDir dir;
  dir.file("backend.yaml", kBackend);
  dir.file("lb.yaml", kFrontend);
  dir.file("cert.yaml", kCertificate);
  Options options;
  options.paths = {dir.path()};
  RunResult fresh;
  run(options, fresh);
  options.cache = newReadCache();
  for (int i = 0; i < 3; ++i) {
    RunResult cached;
    run(options, cached);
    EXPECT_EQ(summary(cached), summary(fresh)) << "run " << i;
    EXPECT_EQ(cached.graph.size(), fresh.graph.size());
  }
  // A changed file is read again.
  std::string fixed = kBackend;
  fixed.replace(fixed.find("EXTERNAL"), 8, "EXTERNAL_MANAGED");
  dir.file("backend.yaml", fixed);
  RunResult after;
  run(options, after);
  for (const std::string& s : summary(after)) EXPECT_EQ(s.find("LB014"), std::string::npos) << s;
}

TEST(LspText, PositionsCountUtf16CodeUnits) {
  // é is 2 bytes and 1 unit; 😀 is 4 bytes and 2 units; lines end LF, CRLF or CR.
  const std::string text =
      "a\xC3\xA9\xF0\x9F\x98\x80"
      "b\r\nxy\rz\n";
  const LineMap lines(text);
  EXPECT_EQ(lines.position(text, 0), (Position{0, 0}));
  EXPECT_EQ(lines.position(text, 3), (Position{0, 2}));   // after é
  EXPECT_EQ(lines.position(text, 7), (Position{0, 4}));   // after 😀
  EXPECT_EQ(lines.position(text, 8), (Position{0, 5}));   // the line's end
  EXPECT_EQ(lines.position(text, 10), (Position{1, 0}));  // after CRLF
  EXPECT_EQ(lines.position(text, 13), (Position{2, 0}));  // after CR
  EXPECT_EQ(lines.offset(text, Position{0, 4}), 7u);
  EXPECT_EQ(lines.offset(text, Position{0, 3}), 3u);  // inside the pair: before it
  EXPECT_EQ(lines.offset(text, Position{1, 99}), 12u);
  EXPECT_EQ(lines.offset(text, Position{9, 0}), text.size());
  // Bytes that are not UTF-8 count one unit each and never throw.
  const std::string bad = "\xFF\xFEz";
  EXPECT_EQ(LineMap(bad).position(bad, 2), (Position{0, 2}));
}

TEST(LspText, FileUris) {
  EXPECT_EQ(pathToUri("/a b/c%.tf"), "file:///a%20b/c%25.tf");
  EXPECT_EQ(uriToPath("file:///a%20b/c%25.tf"), "/a b/c%.tf");
  EXPECT_EQ(uriToPath("FILE:///x"), "/x");
  EXPECT_EQ(uriToPath("untitled:1"), "");
  EXPECT_EQ(uriToPath("file://"), "");
}

TEST(LspSuppression, CommentAboveTheLineWithItsIndentation) {
  const std::string text = "a:\n  b: 1\n";
  const auto s = suppressionInsertion("x.yaml", text, 5, "LB014");
  ASSERT_TRUE(s);
  EXPECT_EQ(s->offset, 3u);
  EXPECT_EQ(s->text, "  # lbcheck:ignore LB014 -- TODO: why this is fine\n");
  EXPECT_FALSE(suppressionInsertion("plan.json", "{}", 0, "LB014"));
  EXPECT_FALSE(suppressionInsertion("x.yaml", "{\"a\": 1}", 0, "LB014"));  // JSON in YAML's name
  EXPECT_TRUE(suppressionInsertion("main.tf", "x = 1", 0, "LB014"));
  // A continued shell command: above its first line.
  const std::string script = "echo\n  gcloud a \\\n    --b \\  \n    --c\n";
  const auto c =
      suppressionInsertion("x.sh", script, static_cast<uint32_t>(script.find("--c")), "NEG005");
  ASSERT_TRUE(c);
  EXPECT_EQ(c->offset, 5u);
  EXPECT_EQ(c->text, "  # lbcheck:ignore NEG005 -- TODO: why this is fine\n");
  // CRLF lines: the comment's too.
  const auto crlf = suppressionInsertion("x.tf", "a = 1\r\n  b = 2\r\n", 9, "LB001");
  ASSERT_TRUE(crlf);
  EXPECT_EQ(crlf->offset, 7u);
  EXPECT_EQ(crlf->text, "  # lbcheck:ignore LB001 -- TODO: why this is fine\r\n");
}

TEST(LspSuppression, TheCommentSuppressesAFindingOnAContinuedLine) {
  // NEG005 is reported at --cloud-run-service, on the second line of the command.
  TempDir dir;
  std::string text =
      testing::readText(std::string(LBCHECK_SOURCE_DIR) + "/fixtures/rules/LB003/fail.sh");
  const std::string path = dir.file("fail.sh", text);
  RunResult before = testing::runOn({path});
  const Finding* neg = nullptr;
  for (const Finding& f : before.findings)
    if (f.ruleId == "NEG005") neg = &f;
  ASSERT_TRUE(neg);
  const auto s = suppressionInsertion(path, text, neg->span.begin, "NEG005");
  ASSERT_TRUE(s);
  text.insert(s->offset, s->text);
  dir.file("fail.sh", text);
  RunResult after = testing::runOn({path});
  for (const Finding& f : after.findings) {
    if (f.ruleId == "NEG005") {
      EXPECT_FALSE(f.active()) << text;
    }
    EXPECT_NE(f.ruleId, "LBC009") << f.message;  // not malformed
    EXPECT_NE(f.ruleId, "LBC010") << f.message;  // and used
  }
}

TEST(LspServer, InitializeAdvertisesCapabilities) {
  TempDir dir;
  Client client;
  client.initialize(dir.path());
  EXPECT_EQ(client.capabilities["textDocumentSync"]["change"], 1);
  EXPECT_EQ(client.capabilities["textDocumentSync"]["openClose"], true);
  EXPECT_TRUE(client.capabilities["textDocumentSync"].contains("save"));
  EXPECT_EQ(client.capabilities["hoverProvider"], true);
  EXPECT_EQ(client.capabilities["codeActionProvider"]["codeActionKinds"][0], "quickfix");
}

TEST(LspServer, PublishesFindingsOnOpenAndClearsThemWhenFixed) {
  TempDir dir;
  const std::string path = dir.path() + "/cert.yaml";  // not on disk: the buffer only
  Client client;
  client.initialize(dir.path());
  client.open(path, kCertificate);
  auto messages = client.pump();
  const json diagnostics = diagnosticsFor(messages, path);
  ASSERT_TRUE(diagnostics.is_array()) << json(messages).dump();
  const json* d = findRuleDiagnostic(diagnostics, "TLS006");
  ASSERT_TRUE(d) << diagnostics.dump();
  EXPECT_EQ((*d)["range"]["start"]["line"], 11);
  EXPECT_EQ((*d)["range"]["start"]["character"], 11);
  EXPECT_EQ((*d)["range"]["end"]["line"], 11);
  EXPECT_EQ((*d)["severity"], 2);
  EXPECT_EQ((*d)["source"], "lbcheck");
  EXPECT_NE((*d)["codeDescription"]["href"].get<std::string>().find("TLS006"), std::string::npos);
  EXPECT_NE((*d)["message"].get<std::string>().find("private key"), std::string::npos);

  client.change(path, kCertificateFixed);
  messages = client.pump();
  EXPECT_EQ(diagnosticsFor(messages, path), json::array());
}

TEST(LspServer, ColumnsAfterNonAsciiTextAreUtf16) {
  TempDir dir;
  const std::string path = dir.path() + "/cert.yaml";
  std::string text = kCertificate;
  // A two-unit character before the value, on its line: the column moves by 2, not by 4 bytes.
  const std::string from = "    value: \"-----BEGIN PRIVATE";
  text.replace(text.find(from), from.size(), "    value: \"\xF0\x9F\x98\x80-----BEGIN PRIVATE");
  Client client;
  client.initialize(dir.path());
  client.open(path, text);
  const json published = diagnosticsFor(client.pump(), path);
  const json* d = findRuleDiagnostic(published, "TLS006");
  ASSERT_TRUE(d);
  const std::string line =
      "    value: \"\xF0\x9F\x98\x80-----BEGIN PRIVATE KEY-----\\nMIIBfake==\\n-----END PRIVATE "
      "KEY-----\\n\"";
  EXPECT_EQ((*d)["range"]["start"]["character"], 11);
  // The value ends at the line's end: 4 bytes of the emoji are 2 units.
  EXPECT_EQ((*d)["range"]["end"]["character"], line.size() - 2);
}

TEST(LspServer, ChangeInOneFileRechecksTheOthers) {
  TempDir dir;
  const std::string backend = dir.file("backend.yaml", kBackend);
  const std::string frontend = dir.file("lb.yaml", kFrontend);
  Client client;
  client.initialize(dir.path());
  // The workspace is checked at once: the URL map's finding, nothing opened.
  auto messages = client.pump();
  ASSERT_TRUE(hasRule(diagnosticsFor(messages, frontend), "LB014")) << json(messages).dump();

  std::string fixed = kBackend;
  fixed.replace(fixed.find("EXTERNAL"), 8, "EXTERNAL_MANAGED");
  client.open(backend, kBackend);
  client.change(backend, fixed);  // two messages, one check
  messages = client.pump();
  const json after = diagnosticsFor(messages, frontend);
  ASSERT_TRUE(after.is_array()) << json(messages).dump();
  EXPECT_FALSE(hasRule(after, "LB014")) << after.dump();
  // The change is not saved: the file on disk still has the problem, the buffer does not.
  EXPECT_NE(testing::readText(backend).find("EXTERNAL\n"), std::string::npos);
  size_t publications = 0;
  for (const json& m : messages)
    publications += m.value("method", "") == "textDocument/publishDiagnostics" &&
                    m["params"]["uri"] == pathToUri(frontend);
  EXPECT_EQ(publications, 1u);

  // Closed, the buffer no longer counts: the disk's text is checked again.
  client.notify("textDocument/didClose", {{"textDocument", {{"uri", pathToUri(backend)}}}});
  EXPECT_TRUE(hasRule(diagnosticsFor(client.pump(), frontend), "LB014"));
}

/// The diagnostics of every file as the client holds them after `messages`
/// (the last publication of each uri), empty lists left out.
void holdDiagnostics(std::map<std::string, json>& held, const std::vector<json>& messages) {
  for (const json& m : messages)
    if (m.value("method", "") == "textDocument/publishDiagnostics") {
      const std::string uri = m["params"]["uri"];
      if (m["params"]["diagnostics"].empty())
        held.erase(uri);
      else
        held[uri] = m["params"]["diagnostics"];
    }
}

// After an edit only the files it reaches are checked again; what the client
// then holds is what a server that checks everything from scratch publishes.
TEST(LspServer, ChecksAfterAnEditAgreeWithAWholeCheck) {
  TempDir dir;
  const std::string backend = dir.file("backend.yaml", kBackend);
  dir.file("lb.yaml", kFrontend);
  const std::string cert = dir.file("cert.yaml", kCertificate);
  std::string fixedBackend = kBackend;
  fixedBackend.replace(fixedBackend.find("EXTERNAL"), 8, "EXTERNAL_MANAGED");
  // Each step: the open documents' texts.
  const std::vector<std::map<std::string, std::string>> steps = {
      {{backend, fixedBackend}},
      {{backend, fixedBackend}, {cert, kCertificateFixed}},
      {{backend, kBackend}, {cert, kCertificateFixed}},
      {{backend, std::string(kBackend) + "---\n" + kCertificate}, {cert, kCertificateFixed}},
  };
  Client editing;
  editing.initialize(dir.path());
  std::map<std::string, json> held;
  holdDiagnostics(held, editing.pump());
  std::set<std::string> open;
  for (size_t i = 0; i < steps.size(); ++i) {
    for (const auto& [path, text] : steps[i]) {
      if (open.insert(path).second) editing.open(path, testing::readText(path));
      editing.change(path, text);
    }
    holdDiagnostics(held, editing.pump());
    Client fresh;
    fresh.initialize(dir.path());
    for (const auto& [path, text] : steps[i]) fresh.open(path, text);
    // Saved: a save checks the whole workspace.
    fresh.notify("textDocument/didSave", {{"textDocument", {{"uri", pathToUri(backend)}}}});
    std::map<std::string, json> expected;
    holdDiagnostics(expected, fresh.pump());
    EXPECT_EQ(json(held).dump(1), json(expected).dump(1)) << "step " << i;
    EXPECT_EQ(fresh.server().checks().whole, 2u);
    EXPECT_EQ(fresh.server().checks().partial, 0u);
  }
  // Opening a file of the workspace and every change after it were partial checks.
  EXPECT_EQ(editing.server().checks().whole, 1u);
  EXPECT_EQ(editing.server().checks().partial, steps.size());
}

TEST(LspServer, WorkspaceFoldersAndRootPathAreOneGraph) {
  // Two folders: the backend service in one, the URL map in the other, one chain.
  TempDir a, b;
  a.file("backend.yaml", kBackend);
  const std::string frontend = b.file("lb.yaml", kFrontend);
  {
    Client client;
    const int id = client.request(
        "initialize",
        {{"rootUri", pathToUri(a.path())},
         {"workspaceFolders", json::array({{{"uri", pathToUri(a.path())}, {"name", "a"}},
                                           {{"uri", pathToUri(b.path())}, {"name", "b"}}})},
         {"capabilities", json::object()}});
    const auto messages = client.pump();
    EXPECT_TRUE(responseTo(messages, id).contains("result"));
    EXPECT_TRUE(hasRule(diagnosticsFor(messages, frontend), "LB014")) << json(messages).dump();
  }
  {
    Client client;
    client.request("initialize", {{"rootPath", b.path()}, {"capabilities", json::object()}});
    const auto messages = client.pump();
    // The backend service is not in this workspace: no LB014 (its scheme is unknown).
    const json diagnostics = diagnosticsFor(messages, frontend);
    ASSERT_TRUE(diagnostics.is_array()) << json(messages).dump();
    EXPECT_FALSE(hasRule(diagnostics, "LB014"));
  }
}

TEST(LspServer, DocumentsOutsideTheWorkspaceAreChecked) {
  TempDir root, elsewhere;
  const std::string path = elsewhere.path() + "/cert.yaml";
  Client client;
  client.initialize(root.path());
  client.open(path, kCertificate);
  EXPECT_TRUE(hasRule(diagnosticsFor(client.pump(), path), "TLS006"));
  client.notify("textDocument/didClose", {{"textDocument", {{"uri", pathToUri(path)}}}});
  EXPECT_EQ(diagnosticsFor(client.pump(), path), json::array());
}

TEST(LspServer, HoverShowsTheRuleAndItsDocumentation) {
  TempDir dir;
  const std::string path = dir.path() + "/cert.yaml";
  Client client;
  client.initialize(dir.path());
  client.open(path, kCertificate);
  client.pump();
  int id = client.request("textDocument/hover", {{"textDocument", {{"uri", pathToUri(path)}}},
                                                 {"position", {{"line", 11}, {"character", 20}}}});
  json r = responseTo(client.pump(), id);
  ASSERT_TRUE(r.contains("result")) << r.dump();
  EXPECT_EQ(r["result"]["contents"]["kind"], "markdown");
  const std::string text = r["result"]["contents"]["value"];
  EXPECT_NE(text.find("**TLS006**"), std::string::npos) << text;
  EXPECT_NE(text.find("private key"), std::string::npos);

  // Nothing there: null.
  id = client.request("textDocument/hover", {{"textDocument", {{"uri", pathToUri(path)}}},
                                             {"position", {{"line", 0}, {"character", 0}}}});
  r = responseTo(client.pump(), id);
  EXPECT_TRUE(r.contains("result") && r["result"].is_null()) << r.dump();
}

TEST(LspServer, HoverOnARuleIdInASuppressionComment) {
  TempDir dir;
  const std::string path = dir.path() + "/cert.yaml";
  std::string text = kCertificate;
  text.insert(text.find("    value: \"-----BEGIN PRIVATE"),
              "    # lbcheck:ignore TLS006 -- a test key\n");
  Client client;
  client.initialize(dir.path());
  client.open(path, text);
  const json diagnostics = diagnosticsFor(client.pump(), path);
  EXPECT_FALSE(hasRule(diagnostics, "TLS006")) << diagnostics.dump();  // suppressed: not shown
  const int id =
      client.request("textDocument/hover", {{"textDocument", {{"uri", pathToUri(path)}}},
                                            {"position", {{"line", 11}, {"character", 24}}}});
  const json r = responseTo(client.pump(), id);
  ASSERT_TRUE(r["result"].is_object()) << r.dump();
  EXPECT_NE(r["result"]["contents"]["value"].get<std::string>().find("TLS006"), std::string::npos);
}

TEST(LspServer, QuickFixEditRemovesTheFinding) {
  TempDir dir;
  const std::string path = dir.path() + "/lb.yaml";
  const std::string text = std::string(kBackend) + "---\n" + kFrontend;
  Client client;
  client.initialize(dir.path());
  client.open(path, text);
  const json published = diagnosticsFor(client.pump(), path);
  const json* d = findRuleDiagnostic(published, "LB014");
  ASSERT_TRUE(d);
  const json diagnostic = *d;
  const int id = client.request("textDocument/codeAction",
                                {{"textDocument", {{"uri", pathToUri(path)}}},
                                 {"range", diagnostic["range"]},
                                 {"context", {{"diagnostics", json::array({diagnostic})}}}});
  const json r = responseTo(client.pump(), id);
  ASSERT_TRUE(r["result"].is_array()) << r.dump();
  json fix;
  for (const json& action : r["result"])
    if (action["title"] == "set spec.loadBalancingScheme: EXTERNAL_MANAGED") fix = action;
  ASSERT_TRUE(fix.is_object()) << r.dump();
  EXPECT_EQ(fix["kind"], "quickfix");
  EXPECT_EQ(fix["diagnostics"][0]["code"], "LB014");
  const std::string fixed = applyEdits(text, fix["edit"]["changes"][pathToUri(path)]);
  EXPECT_NE(fixed.find("loadBalancingScheme: EXTERNAL_MANAGED\n"), std::string::npos);
  client.change(path, fixed);
  const json after = diagnosticsFor(client.pump(), path);
  ASSERT_TRUE(after.is_array());
  EXPECT_FALSE(hasRule(after, "LB014")) << after.dump();
}

TEST(LspServer, QuickFixInAnotherFile) {
  TempDir dir;
  const std::string backend = dir.file("backend.yaml", kBackend);
  const std::string frontend = dir.file("lb.yaml", kFrontend);
  Client client;
  client.initialize(dir.path());
  const json published = diagnosticsFor(client.pump(), frontend);
  const json* d = findRuleDiagnostic(published, "LB014");
  ASSERT_TRUE(d);
  const int id = client.request("textDocument/codeAction",
                                {{"textDocument", {{"uri", pathToUri(frontend)}}},
                                 {"range", (*d)["range"]},
                                 {"context", {{"diagnostics", json::array({*d})}}}});
  const json r = responseTo(client.pump(), id);
  bool editsBackend = false;
  for (const json& action : r["result"])
    editsBackend |= action["edit"]["changes"].contains(pathToUri(backend));
  EXPECT_TRUE(editsBackend) << r.dump();
}

TEST(LspServer, SuppressionActionInsertsACommentAbove) {
  TempDir dir;
  const std::string path = dir.path() + "/cert.yaml";
  Client client;
  client.initialize(dir.path());
  client.open(path, kCertificate);
  const json published = diagnosticsFor(client.pump(), path);
  const json* d = findRuleDiagnostic(published, "TLS006");
  ASSERT_TRUE(d);
  const int id = client.request("textDocument/codeAction",
                                {{"textDocument", {{"uri", pathToUri(path)}}},
                                 {"range", (*d)["range"]},
                                 {"context", {{"diagnostics", json::array({*d})}}}});
  const json r = responseTo(client.pump(), id);
  json suppress;
  for (const json& action : r["result"])
    if (action["title"] == "Suppress TLS006 with a reason") suppress = action;
  ASSERT_TRUE(suppress.is_object()) << r.dump();
  // Asked for refactorings only: none.
  const int refactor = client.request(
      "textDocument/codeAction",
      {{"textDocument", {{"uri", pathToUri(path)}}},
       {"range", (*d)["range"]},
       {"context", {{"diagnostics", json::array()}, {"only", json::array({"refactor"})}}}});
  EXPECT_EQ(responseTo(client.pump(), refactor)["result"], json::array());
  const std::string text = applyEdits(kCertificate, suppress["edit"]["changes"][pathToUri(path)]);
  EXPECT_NE(text.find("  privateKey:\n    # lbcheck:ignore TLS006 -- TODO: why this is fine\n    "
                      "value: \"-----BEGIN PRIVATE"),
            std::string::npos)
      << text;
  client.change(path, text);
  const json after = diagnosticsFor(client.pump(), path);
  ASSERT_TRUE(after.is_array());
  EXPECT_FALSE(hasRule(after, "TLS006")) << after.dump();
}

TEST(LspServer, ProtocolErrors) {
  TempDir dir;
  Client client;
  // Before initialize: -32002.
  int id = client.request("textDocument/hover", json::object());
  auto messages = client.pump();
  EXPECT_EQ(responseTo(messages, id)["error"]["code"], -32002);
  client.initialize(dir.path());
  // Malformed JSON: -32700, id null.
  client.raw(frame("{\"jsonrpc\": \"2.0\", \"id\": 5, \"method\": "));
  messages = client.pump();
  ASSERT_EQ(messages.size(), 1u);
  EXPECT_EQ(messages[0]["error"]["code"], -32700);
  EXPECT_TRUE(messages[0]["id"].is_null());
  // Unknown request: -32601; unknown notification: nothing.
  id = client.request("workspace/frobnicate", json::object());
  client.notify("workspace/frobnicated", json::object());
  client.notify("$/cancelRequest", {{"id", 1}});
  messages = client.pump();
  ASSERT_EQ(messages.size(), 1u);
  EXPECT_EQ(responseTo(messages, id)["error"]["code"], -32601);
  // Invalid params: -32602.
  id = client.request("textDocument/hover", {{"textDocument", 3}});
  const int id2 = client.request(
      "textDocument/codeAction",
      {{"textDocument", {{"uri", "file:///x"}}},
       {"range",
        {{"start", {{"line", -1}, {"character", 0}}}, {"end", {{"line", 0}, {"character", 0}}}}}});
  messages = client.pump();
  EXPECT_EQ(responseTo(messages, id)["error"]["code"], -32602);
  EXPECT_EQ(responseTo(messages, id2)["error"]["code"], -32602);
  // A bad notification gets no answer.
  client.notify("textDocument/didOpen", {{"textDocument", 1}});
  EXPECT_TRUE(client.pump().empty());
  EXPECT_NE(client.log.str().find("textDocument/didOpen"), std::string::npos);  // but is logged
}

TEST(LspServer, ExitStatusDependsOnShutdown) {
  {
    std::istringstream in(frame(R"({"jsonrpc":"2.0","id":1,"method":"initialize","params":{}})") +
                          frame(R"({"jsonrpc":"2.0","id":2,"method":"shutdown"})") +
                          frame(R"({"jsonrpc":"2.0","method":"exit"})") +
                          frame(R"({"jsonrpc":"2.0","id":3,"method":"shutdown"})"));
    std::ostringstream out;
    Server server(in, out);
    EXPECT_EQ(server.run(), 0);
    EXPECT_NE(out.str().find(R"("id":2,"jsonrpc":"2.0","result":null)"), std::string::npos)
        << out.str();
    EXPECT_EQ(out.str().find(R"("id":3)"), std::string::npos);  // nothing read after exit
  }
  {
    std::istringstream in(frame(R"({"jsonrpc":"2.0","id":1,"method":"initialize","params":{}})") +
                          frame(R"({"jsonrpc":"2.0","method":"exit"})"));
    std::ostringstream out;
    Server server(in, out);
    EXPECT_EQ(server.run(), 1);
  }
  {
    // Requests after shutdown are refused.
    std::istringstream in(frame(R"({"jsonrpc":"2.0","id":1,"method":"initialize","params":{}})") +
                          frame(R"({"jsonrpc":"2.0","id":2,"method":"shutdown"})") +
                          frame(R"({"jsonrpc":"2.0","id":3,"method":"textDocument/hover"})"));
    std::ostringstream out;
    Server server(in, out);
    EXPECT_EQ(server.run(), 0);  // the input ended after shutdown: as an exit would
    EXPECT_NE(out.str().find(R"("code":-32600)"), std::string::npos) << out.str();
  }
}

TEST(LspServer, SurvivesGarbageAndTruncatedInput) {
  const std::string init = frame(R"({"jsonrpc":"2.0","id":1,"method":"initialize","params":{}})");
  const std::vector<std::string> inputs = {
      std::string("\0\xFF\xFE garbage\r\n\r\n", 16),
      "Content-Length: banana\r\n\r\n{}",
      "Content-Length: 99999999999999999999999\r\n\r\n{}",
      "Content-Length: 68000000\r\n\r\n{}",
      "Content-Length: 20\r\n\r\n{\"jsonrpc\"",  // cut off
      "Content-Length: 10\r\n",                  // cut off in the headers
      std::string(100000, 'x'),                  // one endless header line
      frame("\"just a string\""),
      frame("[1, 2, 3]"),
      frame(std::string(1 << 20, '[')),  // deeper than any message
      frame("{\"a\": \"[[[[\", \"id\": 1}"),
      frame("{\"jsonrpc\":\"2.0\",\"id\":{},\"method\":\"x\"}"),
      frame("{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"textDocument/didOpen\",\"params\":1}"),
      frame("{\"jsonrpc\":\"2.0\",\"method\":\"textDocument/didOpen\",\"params\":{\"textDocument\":"
            "{\"uri\":\"file:///tmp/x\xFF.yaml\",\"text\":\"a\"}}}"),  // not UTF-8
      frame("{\"jsonrpc\":\"2.0\",\"method\":\"textDocument/didOpen\",\"params\":{\"textDocument\":"
            "{\"uri\":\"file:///nonexistent-dir/x.yaml\",\"text\":\"a: \\u00ff\\ud83d\"}}}"),
  };
  for (const std::string& tail : inputs) {
    std::istringstream in(init + tail);
    std::ostringstream out;
    Server server(in, out);
    EXPECT_EQ(server.run(), 1);
    EXPECT_NE(out.str().find(R"("id":1)"), std::string::npos);
  }
  // A bad frame is answered, and the next one is still read.
  std::istringstream in(init + "Content-Length: x\r\n\r\n" +
                        frame(R"({"jsonrpc":"2.0","id":2,"method":"shutdown"})"));
  std::ostringstream out;
  Server server(in, out);
  server.run();
  EXPECT_NE(out.str().find(R"("code":-32700)"), std::string::npos);
  EXPECT_NE(out.str().find(R"("id":2,"jsonrpc":"2.0","result":null)"), std::string::npos);
}

}  // namespace
}  // namespace lbcheck::lsp

namespace lbcheck::lsp {
namespace {

TEST(LspBinary, ServesOnStandardInputAndOutput) {
  // The real process: framing on stdin/stdout, the exit status after shutdown and exit.
  TempDir dir;
  const std::string init =
      R"({"jsonrpc":"2.0","id":1,"method":"initialize","params":{"rootUri":")" +
      pathToUri(dir.path()) + R"("}})";
  const std::string doc =
      R"({"jsonrpc":"2.0","method":"textDocument/didOpen","params":{"textDocument":{"uri":")" +
      pathToUri(dir.path() + "/cert.yaml") + R"(","text":)" + json(kCertificate).dump() + "}}}";
  const std::string input = frame(init) + frame(doc) +
                            frame(R"({"jsonrpc":"2.0","id":2,"method":"shutdown"})") +
                            frame(R"({"jsonrpc":"2.0","method":"exit"})");
  const std::string in = dir.file("in", input);
  const auto r = testing::runCommand(std::string(LBCHECK_BINARY) + " lsp < " + in);
  EXPECT_EQ(r.status, 0) << r.out;
  EXPECT_NE(r.out.find(R"("id":2,"jsonrpc":"2.0","result":null)"), std::string::npos) << r.out;
  const auto noShutdown =
      testing::runCommand(std::string(LBCHECK_BINARY) + " lsp < " + dir.file("in2", frame(init)));
  EXPECT_EQ(noShutdown.status, 1);
}

}  // namespace
}  // namespace lbcheck::lsp
