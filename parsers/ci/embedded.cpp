#include "parsers/ci/embedded.h"

#include <algorithm>

#include "parsers/script/gcloud.h"

namespace lbcheck::ci {

namespace {

bool space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }
bool nameChar(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
}
bool shellName(std::string_view s) {
  if (s.empty() || (s[0] >= '0' && s[0] <= '9')) return false;
  return std::all_of(s.begin(), s.end(), nameChar);
}

/// The end of the `${{ ... }}` starting at text[open], or npos (one line at most).
size_t expressionEnd(std::string_view text, size_t open, size_t limit) {
  for (size_t k = open + 3; k + 1 < limit; ++k) {
    if (text[k] == '\n') return std::string_view::npos;
    if (text[k] == '}' && text[k + 1] == '}') return k + 2;
  }
  return std::string_view::npos;
}

}  // namespace

std::optional<Content> contentOf(json::Value value, std::string_view text) {
  if (!value || !(value.isString() || value.isNumber() || value.isBool())) return std::nullopt;
  const Span s = value.span();
  if (s.begin >= text.size() || s.end > text.size() || s.end < s.begin) return std::nullopt;
  Content c;
  const char first = text[s.begin];
  if (value.isString() && (first == '|' || first == '>')) {
    c.block = true;
    c.folded = first == '>';
    size_t p = text.find('\n', s.begin);
    if (p == std::string_view::npos) {
      c.begin = c.end = static_cast<uint32_t>(text.size());
      return c;
    }
    ++p;
    c.begin = c.end = static_cast<uint32_t>(p);
    size_t indent = 0, end = p, q = p;
    bool found = false;
    while (q < text.size()) {
      size_t e = text.find('\n', q);
      if (e == std::string_view::npos) e = text.size();
      const std::string_view line = text.substr(q, e - q);
      size_t n = 0;
      while (n < line.size() && line[n] == ' ') ++n;
      if (line.find_first_not_of(" \t\r") != std::string_view::npos) {
        if (!found) {
          if (n == 0) break;  // not a body: nothing indented under the indicator
          indent = n;
          found = true;
        } else if (n < indent) {
          break;
        }
        end = e;
      }
      q = e < text.size() ? e + 1 : e;
    }
    c.end = static_cast<uint32_t>(end);
    c.indent = static_cast<uint32_t>(indent);
    return c;
  }
  if (value.isString() && (first == '"' || first == '\'') && s.end >= s.begin + 2) {
    c.quoted = true;
    c.begin = s.begin + 1;
    c.end = s.end - 1;
    return c;
  }
  c.begin = s.begin;
  c.end = s.end;
  return c;
}

std::string scalarText(json::Value value) {
  if (value.isString()) return std::string(value.str());
  if (value.isNumber() || value.isBool()) return value.text();
  return {};
}

std::vector<script::Word> splitWords(json::Value value, const SourceFile& file) {
  std::vector<script::Word> out;
  const std::string_view text = file.text();
  const auto c = contentOf(value, text);
  if (!c) return out;
  size_t k = c->begin;
  while (k < c->end && out.size() < 4096) {
    while (k < c->end && space(text[k])) ++k;
    if (k >= c->end) break;
    script::Word w;
    const size_t b = k;
    char quote = 0;
    while (k < c->end && (quote || !space(text[k]))) {
      const char ch = text[k];
      if (quote) {
        if (ch == quote)
          quote = 0;
        else
          w.text += ch;
      } else if (ch == '"' || ch == '\'') {
        quote = ch;
      } else {
        w.text += ch;
      }
      ++k;
    }
    w.span = Span{file.id(), static_cast<uint32_t>(b), static_cast<uint32_t>(k)};
    w.unknown = w.text.find("${{") != std::string::npos;
    out.push_back(std::move(w));
  }
  return out;
}

std::string githubEnvName(std::string_view expression) {
  if (expression.size() < 5 || expression.substr(0, 3) != "${{" ||
      expression.substr(expression.size() - 2) != "}}")
    return {};
  std::string_view inner = expression.substr(3, expression.size() - 5);
  while (!inner.empty() && space(inner.front())) inner.remove_prefix(1);
  while (!inner.empty() && space(inner.back())) inner.remove_suffix(1);
  if (inner.substr(0, 4) != "env.") return {};
  inner.remove_prefix(4);
  return shellName(inner) ? std::string(inner) : std::string();
}

bool resolveGithub(std::string_view text, const script::Environment& environment,
                   std::string* out) {
  size_t k = 0;
  while (k < text.size()) {
    if (text.substr(k, 3) == "${{") {
      const size_t e = expressionEnd(text, k, text.size());
      if (e == std::string_view::npos) return false;
      const std::string name = githubEnvName(text.substr(k, e - k));
      const auto it = name.empty() ? environment.end() : environment.find(name);
      if (it == environment.end()) return false;
      *out += it->second;
      k = e;
      continue;
    }
    *out += text[k++];
  }
  return true;
}

EmbeddedScripts::EmbeddedScripts(const SourceFile& file) : file_(file), bytes_(file.text()) {}

void EmbeddedScripts::rewriteExpressions(const Content& c, const script::Environment& environment) {
  for (size_t k = c.begin; k + 3 <= c.end; ++k) {
    if (bytes_.compare(k, 3, "${{") != 0) continue;
    const size_t e = expressionEnd(bytes_, k, c.end);
    if (e == std::string::npos) continue;
    const std::string name = githubEnvName(std::string_view(bytes_).substr(k, e - k));
    if (name.empty() || !environment.count(name)) continue;
    // `${{ env.X }}` -> `${X-   }`: the same length, X's value when the shell reads it.
    std::string repl = "${" + name + "-";
    if (repl.size() + 1 > e - k) continue;
    repl.append(e - k - repl.size() - 1, ' ');
    repl += '}';
    bytes_.replace(k, e - k, repl);
    k = e - 1;
  }
}

bool EmbeddedScripts::addScript(const std::vector<json::Value>& values,
                                const script::Environment& environment) {
  Item item;
  item.isScript = true;
  item.environment = environment;
  item.lane = lane_;
  for (const json::Value& v : values) {
    if (!v.isString()) continue;
    const auto c = contentOf(v, bytes_);
    if (!c || c->end <= c->begin) continue;
    if (!c->block || c->folded) {
      // A flow scalar's (or a folded block's) line breaks are spaces; an empty
      // line is a line break.
      for (size_t k = c->begin; k < c->end; ++k) {
        if (bytes_[k] != '\n') continue;
        size_t n = k + 1;
        while (n < c->end && (bytes_[n] == ' ' || bytes_[n] == '\t' || bytes_[n] == '\r')) ++n;
        if (n < c->end && bytes_[n] != '\n') bytes_[k] = ' ';
      }
    }
    if (githubExpressions_) rewriteExpressions(*c, environment);
    item.chunks.push_back(script::Chunk{c->begin, c->end, c->indent});
  }
  if (item.chunks.empty()) return false;
  items_.push_back(std::move(item));
  return true;
}

void EmbeddedScripts::addCommand(script::Command command) {
  if (command.words.empty()) return;
  Item item;
  item.command = std::move(command);
  item.command.lane = lane_;
  item.lane = lane_;
  items_.push_back(std::move(item));
}

void EmbeddedScripts::lower(Lowered& out) {
  if (items_.empty()) return;
  const SourceFile view(file_.id(), file_.path(), bytes_);
  script::Script all;
  const std::string_view text = view.text();
  for (Item& item : items_) {
    if (!item.isScript) {
      all.commands.push_back(std::move(item.command));
      continue;
    }
    script::Script s = gcloud::parse(view, item.chunks, item.environment, out.diagnostics);
    const uint32_t offset = static_cast<uint32_t>(all.commands.size());
    for (script::Command& c : s.commands) {
      for (uint32_t& g : c.guards) g += offset;  // indexes into the whole script
      c.lane = item.lane;
      if (githubExpressions_) {
        // An expression GitHub substitutes that lbcheck cannot: the word is
        // unknown, even inside single quotes (GitHub substitutes before the shell runs).
        for (script::Word& w : c.words)
          if (w.span.end <= text.size() && w.span.begin <= w.span.end &&
              text.substr(w.span.begin, w.span.end - w.span.begin).find("${{") !=
                  std::string_view::npos)
            w.unknown = true;
      }
      all.commands.push_back(std::move(c));
    }
  }
  gcloud::lower(all, view, out.graph, out.diagnostics);
  if (after_) out.graph.addLaneOrder(LaneOrder{file_.id(), std::move(*after_)});
  after_.reset();
  file_.copyRedactions(view);
  items_.clear();
}

}  // namespace lbcheck::ci
