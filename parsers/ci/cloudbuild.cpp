// Cloud Build configs (cloudbuild.yaml): a YAML document with top-level
// `steps:` whose items have a `name` (the builder image) and `args`,
// `entrypoint` or `script`. Steps that run gcloud (`entrypoint: gcloud`, the
// gcloud builder, a Cloud SDK image with `gcloud` as the first arg) become
// gcloud commands, and `bash -c` / `sh -c` bodies and `script:` are shell
// scripts, in step order. `substitutions:` defaults resolve `$_X` / `${_X}`;
// built-in substitutions (`$PROJECT_ID`, `$SHORT_SHA`...) are unknown.
#include <algorithm>
#include <map>
#include <optional>
#include <string>

#include "engine/adapter.h"
#include "parsers/ci/embedded.h"

namespace lbcheck {
namespace {

using Substitutions = std::map<std::string, std::optional<std::string>, std::less<>>;

bool substitutionChar(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
}

/// Cloud Build's substitution of `text`: `$$` is `$`, `$NAME` and `${NAME}` are
/// the substitution's value. False when one is not known (a built-in, or none).
bool substitute(std::string_view text, const Substitutions& subs, std::string* out) {
  bool known = true;
  size_t k = 0;
  while (k < text.size()) {
    if (text[k] != '$' || k + 1 >= text.size()) {
      *out += text[k++];
      continue;
    }
    if (text[k + 1] == '$') {
      *out += '$';
      k += 2;
      continue;
    }
    size_t b = k + 1, e = b;
    const bool braced = text[b] == '{';
    if (braced) ++b, e = b;
    while (e < text.size() && substitutionChar(text[e])) ++e;
    if (e == b || (braced && (e >= text.size() || text[e] != '}'))) {
      *out += text[k++];
      continue;
    }
    const auto it = subs.find(text.substr(b, e - b));
    if (it == subs.end() || !it->second) {
      known = false;
    } else {
      *out += *it->second;
    }
    k = braced ? e + 1 : e;
  }
  return known;
}

bool sdkImage(std::string_view image) {
  return image.find("cloud-builders/gcloud") != std::string_view::npos ||
         image.find("cloudsdktool/cloud-sdk") != std::string_view::npos ||
         image.find("cloudsdktool/google-cloud-cli") != std::string_view::npos ||
         image.find("google.com/cloudsdktool") != std::string_view::npos;
}

std::string_view baseName(std::string_view p) {
  const size_t slash = p.rfind('/');
  return slash == std::string_view::npos ? p : p.substr(slash + 1);
}

bool shellProgram(std::string_view p) {
  const std::string_view b = baseName(p);
  return b == "bash" || b == "sh";
}

/// `-c`, `-ec`, `-euxc`...: the next argument is the script.
bool commandOption(std::string_view a) {
  return a.size() >= 2 && a[0] == '-' && a[1] != '-' && a.find('c') != std::string_view::npos;
}

/// The steps each step waits for (transitively), when some steps may run at
/// the same time; nullopt when they all run one after the other. A step waits
/// for the steps whose `id` its `waitFor` lists; `-` alone is the start of the
/// build; no `waitFor` (or an empty one) waits for every step before it. An
/// id not defined by an earlier step orders nothing (Cloud Build rejects it).
/// Past kMaxOrderedSteps steps (the table is quadratic), the written order.
std::optional<std::vector<std::vector<uint32_t>>> stepOrder(json::Value steps) {
  constexpr size_t kMaxOrderedSteps = 1000;
  bool named = false;  // some step names what it waits for
  steps.forEachElement([&](size_t, json::Value step) {
    const json::Value w = step.get("waitFor");
    named = named || (w.isArray() && w.size() > 0);
  });
  if (!named || steps.size() > kMaxOrderedSteps) return std::nullopt;
  std::vector<std::vector<uint32_t>> after;
  std::map<std::string, uint32_t, std::less<>> ids;
  bool concurrent = false;
  steps.forEachElement([&](size_t index, json::Value step) {
    const auto self = static_cast<uint32_t>(index);
    std::vector<uint32_t> waits;
    const json::Value waitFor = step.get("waitFor");
    if (!waitFor.isArray() || waitFor.size() == 0) {
      for (uint32_t k = 0; k < self; ++k) waits.push_back(k);
    } else {
      waitFor.forEachElement([&](size_t, json::Value id) {
        const auto it = ids.find(ci::scalarText(id));
        if (it == ids.end()) return;  // `-`, or an id no earlier step defines
        waits.push_back(it->second);
        waits.insert(waits.end(), after[it->second].begin(), after[it->second].end());
      });
      std::sort(waits.begin(), waits.end());
      waits.erase(std::unique(waits.begin(), waits.end()), waits.end());
    }
    concurrent = concurrent || waits.size() != self;
    after.push_back(std::move(waits));
    if (const std::string id = ci::scalarText(step.get("id")); !id.empty()) ids[id] = self;
  });
  if (!concurrent) return std::nullopt;
  return after;
}

class CloudBuildAdapter : public Adapter {
 public:
  std::string_view name() const override { return "cloud-build"; }
  int sniffDocument(json::Value value, bool whole) const override {
    if (!whole || !value.isObject()) return confidence::kNone;
    const json::Value steps = value.get("steps");
    if (!steps.isArray() || steps.size() == 0) return confidence::kNone;
    bool all = true;
    steps.forEachElement([&](size_t, json::Value step) {
      all = all && step.isObject() && step.get("name").isString() &&
            (step.get("args") || step.get("entrypoint") || step.get("script"));
    });
    return all ? confidence::kContent : confidence::kNone;
  }
  void lowerDocument(const json::Document&, json::Value root, const SourceFile& file,
                     Lowered& out) const override;
};

void CloudBuildAdapter::lowerDocument(const json::Document&, json::Value root,
                                      const SourceFile& file, Lowered& out) const {
  // Built-ins are unknown: they are simply not in the map.
  Substitutions subs;
  root.get("substitutions").forEachMember([&](std::string_view key, json::Value v) {
    const std::string text = ci::scalarText(v);
    std::string value;
    // A default may use built-ins (dynamic substitutions): unknown then.
    if (text.find('$') == std::string::npos && (v.isString() || v.isNumber() || v.isBool()))
      subs[std::string(key)] = text;
    else
      subs[std::string(key)] = std::nullopt;
  });
  script::Environment known;  // the substitutions a shell step sees as variables
  for (const auto& [k, v] : subs)
    if (v) known[k] = *v;
  // The build's `options.env` applies to every step.
  std::vector<json::Value> envLists = {root.get("options").get("env")};

  ci::EmbeddedScripts scripts(file);
  if (auto after = stepOrder(root.get("steps"))) scripts.laneOrder(std::move(*after));
  root.get("steps").forEachElement([&](size_t index, json::Value step) {
    scripts.lane(static_cast<uint32_t>(index));
    const json::Value image = step.get("name");
    const json::Value entry = step.get("entrypoint");
    const json::Value args = step.get("args");
    script::Environment environment = known;
    std::map<std::string, std::string, std::less<>> cloudsdk;
    auto addEnv = [&](json::Value list) {
      list.forEachElement([&](size_t, json::Value e) {
        const std::string text = ci::scalarText(e);
        const size_t eq = text.find('=');
        if (eq == std::string::npos || eq == 0) return;
        std::string value;
        if (!substitute(text.substr(eq + 1), subs, &value)) return;
        const std::string name = text.substr(0, eq);
        environment[name] = value;
        if (name.rfind("CLOUDSDK_", 0) == 0) cloudsdk[name] = value;
      });
    };
    for (const json::Value& l : envLists) addEnv(l);
    addEnv(step.get("env"));

    if (const json::Value body = step.get("script"); body.isString()) {
      scripts.addScript({body}, environment);
      return;
    }
    std::vector<json::Value> argv;
    args.forEachElement([&](size_t, json::Value a) { argv.push_back(a); });
    if (args.isString()) argv.push_back(args);  // `args: gcloud ...` written as one string
    const std::string program = entry.isString() ? std::string(entry.str()) : "";
    if (shellProgram(program) || (program.empty() && !argv.empty() &&
                                  shellProgram(ci::scalarText(argv[0])) && sdkImage(image.str()))) {
      size_t k = program.empty() ? 1 : 0;
      for (; k + 1 < argv.size(); ++k)
        if (commandOption(ci::scalarText(argv[k]))) {
          scripts.addScript({argv[k + 1]}, environment);
          return;
        }
      return;  // `bash script.sh`: a file, not read here
    }
    script::Command cmd;
    auto word = [&](json::Value v) {
      script::Word w;
      w.unknown = !substitute(ci::scalarText(v), subs, &w.text);
      w.span = v.span();
      return w;
    };
    size_t first = 0;
    if (baseName(program) == "gcloud") {
      script::Word w;
      w.text = "gcloud";
      w.span = entry.span();
      cmd.words.push_back(std::move(w));
    } else if (program.empty() && image.str().find("cloud-builders/gcloud") != std::string::npos &&
               !(argv.size() > 0 && ci::scalarText(argv[0]) == "gcloud")) {
      script::Word w;  // the gcloud builder's entrypoint is gcloud
      w.text = "gcloud";
      w.span = image.span();
      cmd.words.push_back(std::move(w));
    } else if (program.empty() && !argv.empty() && ci::scalarText(argv[0]) == "gcloud") {
      cmd.words.push_back(word(argv[0]));
      first = 1;
    } else {
      return;  // docker, npm...: nothing lbcheck reads
    }
    for (size_t k = first; k < argv.size() && k < 4096; ++k) cmd.words.push_back(word(argv[k]));
    cmd.span = cmd.words.front().span;
    for (const script::Word& w : cmd.words) {  // `entrypoint:` may follow `args:`
      cmd.span.begin = std::min(cmd.span.begin, w.span.begin);
      cmd.span.end = std::max(cmd.span.end, w.span.end);
    }
    cmd.vars = std::move(cloudsdk);
    scripts.addCommand(std::move(cmd));
  });
  scripts.lower(out);
}

}  // namespace

LBCHECK_REGISTER_ADAPTER(CloudBuildAdapter, 55);

}  // namespace lbcheck
