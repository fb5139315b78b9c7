// CI workflows: GitHub Actions (`.github/workflows/*.yml`: `jobs:` whose
// steps `run:` shell) and GitLab CI (`.gitlab-ci.yml`: jobs with `script:`).
// Each step's script is read with the variables its `env:` / `variables:`
// give (known values only); GitHub's `${{ vars.X }}` and `${{ secrets.X }}`
// are unknown, `${{ env.X }}` is X when known. A
// `google-github-actions/deploy-cloudrun` step deploys a Cloud Run service:
// `gcloud run deploy SERVICE --region=REGION FLAGS...`, its region the
// action's default (`us-central1`) when the step names none.
#include <string>
#include <vector>

#include "engine/adapter.h"
#include "parsers/ci/embedded.h"

namespace lbcheck {
namespace {

/// The action's default region (`inputs.region.default` of
/// google-github-actions/deploy-cloudrun's action.yml).
constexpr std::string_view kDeployCloudRunRegion = "us-central1";

/// `env:` (GitHub) or `variables:` (GitLab) into `environment`: values GitHub
/// or GitLab substitutes at run time, or that name other variables, are left
/// out (unknown to the shell).
void addEnvironment(json::Value map, script::Environment& environment, bool github) {
  map.forEachMember([&](std::string_view key, json::Value v) {
    if (!github && v.isObject()) v = v.get("value");  // GitLab: `X: {value: ..., description: ...}`
    if (!(v.isString() || v.isNumber() || v.isBool())) return;
    const std::string text = ci::scalarText(v);
    std::string value;
    if (github ? !ci::resolveGithub(text, environment, &value)
               : text.find('$') != std::string::npos)
      return;
    environment[std::string(key)] = github ? value : text;
  });
}

script::Word fixedWord(std::string text, Span at) {
  script::Word w;
  w.text = std::move(text);
  w.span = at;
  return w;
}

/// A `with:` input as one word: `${{ env.X }}` resolved, any other expression unknown.
script::Word inputWord(const std::string& prefix, json::Value v,
                       const script::Environment& environment) {
  script::Word w;
  w.span = v.span();
  std::string value;
  w.unknown = !ci::resolveGithub(ci::scalarText(v), environment, &value);
  w.text = prefix + value;
  return w;
}

/// google-github-actions/deploy-cloudrun: one `gcloud run deploy` per region.
void deployCloudRun(json::Value step, json::Value uses, const script::Environment& environment,
                    ci::EmbeddedScripts& scripts) {
  const json::Value with = step.get("with");
  const json::Value service = with.get("service");
  if (!service || with.get("job")) return;  // `metadata:` or a job: not a service lbcheck reads
  std::vector<std::pair<std::string, Span>> regions;
  if (const json::Value region = with.get("region"); region) {
    // A comma-separated list deploys to each region.
    std::string value;
    const bool known = ci::resolveGithub(ci::scalarText(region), environment, &value);
    if (!known) {
      regions.push_back({std::string(), region.span()});
    } else {
      size_t b = 0;
      while (b <= value.size() && regions.size() < 64) {
        size_t e = value.find(',', b);
        if (e == std::string::npos) e = value.size();
        std::string one = value.substr(b, e - b);
        while (!one.empty() && (one.front() == ' ' || one.front() == '\n')) one.erase(0, 1);
        while (!one.empty() && (one.back() == ' ' || one.back() == '\n')) one.pop_back();
        if (!one.empty()) regions.push_back({one, region.span()});
        b = e + 1;
      }
    }
  } else {
    regions.push_back({std::string(kDeployCloudRunRegion), uses.span()});
  }
  for (const auto& [region, at] : regions) {
    script::Command cmd;
    cmd.words.push_back(fixedWord("gcloud", uses.span()));
    cmd.words.push_back(fixedWord("run", uses.span()));
    cmd.words.push_back(fixedWord("deploy", uses.span()));
    cmd.words.push_back(inputWord("", service, environment));
    script::Word r = fixedWord("--region=" + region, at);
    r.unknown = region.empty();
    cmd.words.push_back(std::move(r));
    if (const json::Value project = with.get("project_id"); project)
      cmd.words.push_back(inputWord("--project=", project, environment));
    if (const json::Value image = with.get("image"); image)
      cmd.words.push_back(inputWord("--image=", image, environment));
    for (script::Word& w : ci::splitWords(with.get("flags"), scripts.file())) {
      std::string value;
      w.unknown = !ci::resolveGithub(w.text, environment, &value);
      if (!w.unknown) w.text = value;
      cmd.words.push_back(std::move(w));
    }
    cmd.span = step.span();
    scripts.addCommand(std::move(cmd));
  }
}

class GithubActionsAdapter : public Adapter {
 public:
  std::string_view name() const override { return "github-actions"; }
  int sniffDocument(json::Value value, bool whole) const override {
    if (!whole || !value.isObject() || value.get("apiVersion")) return confidence::kNone;
    const json::Value jobs = value.get("jobs");
    if (!jobs.isObject()) return confidence::kNone;
    bool steps = false;
    jobs.forEachMember([&](std::string_view, json::Value job) {
      steps = steps || job.get("steps").isArray() || job.get("runs-on") || job.get("uses");
    });
    return steps || value.get("on") ? confidence::kContent : confidence::kNone;
  }
  void lowerDocument(const json::Document&, json::Value root, const SourceFile& file,
                     Lowered& out) const override {
    ci::EmbeddedScripts scripts(file);
    scripts.githubExpressions(true);
    script::Environment workflow;
    addEnvironment(root.get("env"), workflow, true);
    root.get("jobs").forEachMember([&](std::string_view, json::Value job) {
      script::Environment jobEnv = workflow;
      addEnvironment(job.get("env"), jobEnv, true);
      job.get("steps").forEachElement([&](size_t, json::Value step) {
        script::Environment env = jobEnv;
        addEnvironment(step.get("env"), env, true);
        if (const json::Value run = step.get("run"); run.isString()) {
          const std::string shell = ci::scalarText(step.get("shell"));
          if (shell.empty() || shell.rfind("bash", 0) == 0 || shell.rfind("sh", 0) == 0)
            scripts.addScript({run}, env);
          return;
        }
        const json::Value uses = step.get("uses");
        if (uses.isString() && uses.str().rfind("google-github-actions/deploy-cloudrun", 0) == 0)
          deployCloudRun(step, uses, env, scripts);
      });
    });
    scripts.lower(out);
  }
};

/// GitLab's keywords that are not jobs.
bool gitlabKeyword(std::string_view key) {
  return key == "variables" || key == "stages" || key == "default" || key == "include" ||
         key == "workflow" || key == "image" || key == "services" || key == "before_script" ||
         key == "after_script" || key == "cache" || key == "spec";
}

std::vector<json::Value> lines(json::Value v) {
  std::vector<json::Value> out;
  if (v.isString()) out.push_back(v);
  v.forEachElement([&](size_t, json::Value e) {
    if (e.isString()) out.push_back(e);
    // Nested lists (from !reference / anchors) one level deep.
    e.forEachElement([&](size_t, json::Value f) {
      if (f.isString()) out.push_back(f);
    });
  });
  return out;
}

class GitlabCiAdapter : public Adapter {
 public:
  std::string_view name() const override { return "gitlab-ci"; }
  int sniffDocument(json::Value value, bool whole) const override {
    if (!whole || !value.isObject() || value.get("apiVersion") || value.get("jobs") ||
        value.get("steps"))
      return confidence::kNone;
    bool job = false;
    value.forEachMember([&](std::string_view key, json::Value v) {
      job = job || (!gitlabKeyword(key) && v.isObject() && v.get("script"));
    });
    return job ? confidence::kContent : confidence::kNone;
  }
  void lowerDocument(const json::Document&, json::Value root, const SourceFile& file,
                     Lowered& out) const override {
    ci::EmbeddedScripts scripts(file);
    script::Environment global;
    addEnvironment(root.get("variables"), global, false);
    const json::Value defaults = root.get("default");
    root.forEachMember([&](std::string_view key, json::Value job) {
      // Hidden jobs (`.template:`) only run through `extends:`.
      if (gitlabKeyword(key) || key.empty() || key[0] == '.' || !job.isObject() ||
          !job.get("script"))
        return;
      script::Environment env = global;
      addEnvironment(job.get("variables"), env, false);
      json::Value before = job.get("before_script");
      if (!before) before = defaults.get("before_script");
      if (!before) before = root.get("before_script");
      // before_script and script run in one shell.
      std::vector<json::Value> body = lines(before);
      for (json::Value v : lines(job.get("script"))) body.push_back(v);
      scripts.addScript(body, env);
    });
    scripts.lower(out);
  }
};

}  // namespace

LBCHECK_REGISTER_ADAPTER(GithubActionsAdapter, 56);
LBCHECK_REGISTER_ADAPTER(GitlabCiAdapter, 57);

}  // namespace lbcheck
