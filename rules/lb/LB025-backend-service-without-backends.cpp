// LB025: a backend service that a URL map sends traffic to has no backend.
#include <limits>

#include "engine/chain.h"
#include "engine/change.h"
#include "engine/rule.h"
#include "engine/views.h"

namespace lbcheck {
namespace {

class BackendServiceWithoutBackends : public Rule {
 public:
  const RuleInfo& info() const override {
    static const RuleInfo kInfo{"LB025", "backend-service-without-backends",
                                "A backend service that a URL map uses has no backend, so the "
                                "load balancer answers its requests with an error.",
                                Severity::Warning, "lb"};
    return kInfo;
  }

  void check(const Graph& g, Reporter& out) const override {
    for (const int32_t i : g.ofKind(Kind::BackendService)) {
      const Resource& bs = g.at(i);
      // Only a backend service whose whole configuration is in the inputs: a
      // script that only updates it, or an unknown backend list, proves nothing.
      if (!live(bs) || bs.partial) continue;
      const auto list = BackendServiceView(bs).backends();
      if (!list.empty() || list.field().state != State::Absent) continue;
      // Backends taken away on purpose (a plan's update, a teardown script's
      // remove-backend) are the change itself, not a forgotten backend.
      if (bs.priorListSize(BackendServiceView::kBackends) > 0 || removesBackend(g, i)) continue;
      const Resource* map = nullptr;
      for (const auto& ref : g.referrers(i)) {
        const Resource& from = g.at(ref.resource);
        if (!ref.prior && from.id.kind == Kind::UrlMap && live(from)) {
          map = &from;
          break;
        }
      }
      if (!map) continue;
      std::string message = describe(bs) + " has no backend, but " + describe(*map) +
                            " sends requests to it: the load balancer answers them with an error";
      const Step* typo = closestUnmatchedAddBackend(g, bs);
      const std::string& typoName = typo ? g.at(typo->resource).id.name : bs.id.name;
      if (typo)
        message += "; " + q(std::string(typo->command) + " " + typoName) +
                   " adds a backend to a backend service that the inputs never create (a typo?)";
      Finding& f = out.report(bs, "", std::move(message));
      if (typo) {
        f.related.push_back(
            {typo->name, "this add-backend names " + q(typoName) + ", not " + q(bs.id.name)});
        f.help = "name " + q(bs.id.name) + " in the add-backend command";
      } else {
        // A serverless NEG takes no health check (LB005): suggest one only for a
        // backend service that names none.
        const auto checks = BackendServiceView(bs).healthChecks();
        const bool checked = !checks.empty() || checks.field().state != State::Absent;
        f.help = std::string("add the backend (") +
                 (checked ? "an instance group or a NEG, since it names a health check"
                          : "a serverless NEG") +
                 ": `backend { group = ... }`, `backends[].group`, or gcloud compute "
                 "backend-services add-backend)";
      }
      f.related.push_back({map->header, describe(*map) + " uses it"});
    }
  }

 private:
  static bool removesBackend(const Graph& g, int32_t bs) {
    for (const Step* s : g.changes().stepsOf(bs))
      if (s->detaches) return true;
    return false;
  }

  /// The step of the same input document that adds a backend to a backend
  /// service nothing creates, with the name closest to `bs`'s (at most half its
  /// length away).
  static const Step* closestUnmatchedAddBackend(const Graph& g, const Resource& bs) {
    const Step* best = nullptr;
    size_t bestDistance = std::numeric_limits<size_t>::max();
    for (const Step& s : g.changes().steps()) {
      if (!s.attaches || s.document != bs.document) continue;
      if (s.resource < 0 || !g.at(s.resource).partial) continue;
      const Identity& target = g.at(s.resource).id;
      if (target.kind != Kind::BackendService) continue;
      const size_t d = editDistance(target.name, bs.id.name);
      if (d == 0 || d > std::max<size_t>(2, bs.id.name.size() / 2) || d >= bestDistance) continue;
      best = &s;
      bestDistance = d;
    }
    return best;
  }
};

LBCHECK_REGISTER_RULE(BackendServiceWithoutBackends);

}  // namespace
}  // namespace lbcheck
