// lbcheck_hcl_outline FILE...: how lbcheck's HCL parser sees each file, one
// JSON object a line: {"file", "ok", "error", "body"}, where a body is
// {"attributes": [names], "blocks": [{"type", "labels", "body"}]}. A test tool
// (built with the tests, not installed): scripts/hcl-differential.sh compares
// it with HashiCorp's parser.
#include <nlohmann/json.hpp>

#include <fstream>
#include <iostream>
#include <iterator>
#include <string>

#include "engine/source.h"
#include "parsers/hcl/parser.h"

namespace {

nlohmann::ordered_json outline(const lbcheck::hcl::Body& body) {
  nlohmann::ordered_json attributes = nlohmann::ordered_json::array();
  for (const auto& a : body.attributes) attributes.push_back(a.name);
  nlohmann::ordered_json blocks = nlohmann::ordered_json::array();
  for (const auto& b : body.blocks)
    blocks.push_back({{"type", b.type}, {"labels", b.labels}, {"body", outline(b.body)}});
  return {{"attributes", std::move(attributes)}, {"blocks", std::move(blocks)}};
}

}  // namespace

int main(int argc, char** argv) {
  lbcheck::SourceManager sources;
  int status = 0;
  for (int i = 1; i < argc; ++i) {
    std::ifstream in(argv[i], std::ios::binary);
    if (!in) {
      std::cerr << "lbcheck_hcl_outline: cannot read " << argv[i] << "\n";
      status = 2;
      continue;
    }
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    const lbcheck::SourceFile& file = sources.add(argv[i], std::move(text));
    lbcheck::hcl::SyntaxError error;
    const auto parsed = lbcheck::hcl::parseFile(file, lbcheck::hcl::Limits{}, &error);
    nlohmann::ordered_json line = {{"file", argv[i]}, {"ok", parsed != nullptr}};
    if (parsed) {
      line["body"] = outline(parsed->body);
    } else {
      const lbcheck::Location at = file.locate(error.span.begin);
      line["error"] =
          std::to_string(at.line) + ":" + std::to_string(at.column) + ": " + error.message;
    }
    std::cout << line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
  }
  return status;
}
