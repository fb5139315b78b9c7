#!/usr/bin/env python3
"""Inputs that make the ordering rules (OPS001-OPS007) work at scale (standard library only).

  teardown PLAN OUT   rewrites a plan written by `bench/gen.py --format plan`: every proxy-only
                      subnet is deleted (its prior object names its network), every NEG is
                      replaced destroy-first, networks and forwarding rules stay (no-op). Each
                      stack then has one OPS001, one OPS003 and one OPS007 finding.
  script N OUT        a gcloud script of N stacks (NEG, backend service, add-backend), then
                      the N NEG deletes: N OPS001 findings.

Check that the rules stay linear by timing them alone at two sizes, e.g.

  bench/gen.py /tmp/ops/s2k --stacks 2000 --format plan
  bench/gen.py /tmp/ops/s8k --stacks 8000 --format plan
  bench/ops_inputs.py teardown /tmp/ops/s2k/plan.tfplan.json /tmp/ops/td2k.tfplan.json
  bench/ops_inputs.py teardown /tmp/ops/s8k/plan.tfplan.json /tmp/ops/td8k.tfplan.json
  bench/ops_inputs.py script 1000 /tmp/ops/s1k.sh
  bench/ops_inputs.py script 4000 /tmp/ops/s4k.sh
  time build/lbcheck -j1 --rule OPS001,OPS002,OPS003,OPS004,OPS005,OPS006,OPS007 \
      /tmp/ops/td8k.tfplan.json

and comparing with one cheap rule (`--rule NET001`), which costs about the same reading.
"""
import json
import sys


def teardown(src, dst):
    with open(src) as f:
        plan = json.load(f)
    networks = {}
    for r in plan["resource_changes"]:
        if r["type"] == "google_compute_network":
            after = r["change"]["after"]
            networks[r.get("module_address")] = (after["project"], after["name"])
    for r in plan["resource_changes"]:
        change = r["change"]
        kind = r["type"]
        if kind == "google_compute_subnetwork" and r["name"] == "proxy_only":
            project, network = networks[r.get("module_address")]
            before = dict(change["after"])
            before["network"] = (
                "https://www.googleapis.com/compute/v1/projects/%s/global/networks/%s"
                % (project, network))
            change.update(actions=["delete"], before=before, after=None, after_unknown={})
        elif kind == "google_compute_region_network_endpoint_group":
            change.update(actions=["delete", "create"], before=dict(change["after"]))
        elif kind in ("google_compute_forwarding_rule", "google_compute_network"):
            change.update(actions=["no-op"], before=dict(change["after"]))
    with open(dst, "w") as f:
        json.dump(plan, f, separators=(",", ":"))


def script(n, dst):
    with open(dst, "w") as f:
        f.write("#!/bin/sh\nREGION=us-central1\n")
        for i in range(n):
            f.write("gcloud compute network-endpoint-groups create neg-%d --region=$REGION "
                    "--network-endpoint-type=serverless --cloud-run-service=svc-%d\n" % (i, i))
            f.write("gcloud compute backend-services create bs-%d "
                    "--load-balancing-scheme=INTERNAL_MANAGED --protocol=HTTP "
                    "--region=$REGION\n" % i)
            f.write("gcloud compute backend-services add-backend bs-%d --region=$REGION "
                    "--network-endpoint-group=neg-%d --network-endpoint-group-region=$REGION\n"
                    % (i, i))
        for i in range(n):
            f.write("gcloud compute network-endpoint-groups delete neg-%d "
                    "--region=$REGION --quiet\n" % i)


def main():
    if len(sys.argv) == 4 and sys.argv[1] == "teardown":
        teardown(sys.argv[2], sys.argv[3])
    elif len(sys.argv) == 4 and sys.argv[1] == "script":
        script(int(sys.argv[2]), sys.argv[3])
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main()
