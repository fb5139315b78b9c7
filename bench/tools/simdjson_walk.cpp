// simdjson On-Demand raw walk: visits every value of every JSON file (keys, strings unescaped,
// numbers parsed), keeping nothing. The physical anchor of bench/run.sh.
//
//   simdjson_walk FILE|DIR...   (directories: every *.json below them)
#include <simdjson.h>

#include <cstdint>
#include <cstdio>

#include "files.h"

namespace {

struct Counts {
  uint64_t values = 0;
  uint64_t stringBytes = 0;
  double sum = 0;
};

simdjson::error_code walk(simdjson::ondemand::value v, Counts& c) {
  ++c.values;
  simdjson::ondemand::json_type t;
  if (auto e = v.type().get(t)) return e;
  switch (t) {
    case simdjson::ondemand::json_type::object: {
      simdjson::ondemand::object o;
      if (auto e = v.get_object().get(o)) return e;
      for (auto field : o) {
        std::string_view key;
        if (auto e = field.unescaped_key().get(key)) return e;
        c.stringBytes += key.size();
        simdjson::ondemand::value child;
        if (auto e = field.value().get(child)) return e;
        if (auto e = walk(child, c)) return e;
      }
      return simdjson::SUCCESS;
    }
    case simdjson::ondemand::json_type::array: {
      simdjson::ondemand::array a;
      if (auto e = v.get_array().get(a)) return e;
      for (auto element : a) {
        simdjson::ondemand::value child;
        if (auto e = element.get(child)) return e;
        if (auto e = walk(child, c)) return e;
      }
      return simdjson::SUCCESS;
    }
    case simdjson::ondemand::json_type::string: {
      std::string_view s;
      if (auto e = v.get_string().get(s)) return e;
      c.stringBytes += s.size();
      return simdjson::SUCCESS;
    }
    case simdjson::ondemand::json_type::number: {
      double d;
      if (auto e = v.get_double().get(d)) return e;
      c.sum += d;
      return simdjson::SUCCESS;
    }
    case simdjson::ondemand::json_type::boolean: {
      bool b;
      if (auto e = v.get_bool().get(b)) return e;
      c.sum += b ? 1 : 0;
      return simdjson::SUCCESS;
    }
    case simdjson::ondemand::json_type::null:
      return v.is_null().error();
  }
  return simdjson::SUCCESS;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: simdjson_walk FILE|DIR...\n");
    return 2;
  }
  simdjson::ondemand::parser parser;
  Counts c;
  uint64_t bytes = 0;
  const auto files = bench::collect(argc, argv, {".json"});
  for (const auto& path : files) {
    simdjson::padded_string json;
    if (auto e = simdjson::padded_string::load(path).get(json)) {
      std::fprintf(stderr, "%s: %s\n", path.c_str(), simdjson::error_message(e));
      return 1;
    }
    bytes += json.size();
    simdjson::ondemand::document doc;
    simdjson::ondemand::value root;
    simdjson::error_code e = parser.iterate(json).get(doc);
    // A scalar document is not a value in On-Demand; plan and export files never are.
    if (!e) e = doc.get_value().get(root);
    if (!e) e = walk(root, c);
    if (e) {
      std::fprintf(stderr, "%s: %s\n", path.c_str(), simdjson::error_message(e));
      return 1;
    }
  }
  std::printf("files %zu bytes %llu values %llu string-bytes %llu (%g)\n", files.size(),
              static_cast<unsigned long long>(bytes), static_cast<unsigned long long>(c.values),
              static_cast<unsigned long long>(c.stringBytes), c.sum);
  return 0;
}
