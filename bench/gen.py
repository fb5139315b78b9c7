#!/usr/bin/env python3
"""Benchmark input generator for lbcheck (Python 3 standard library only).

Writes N regional internal Application Load Balancer stacks (VPC network, subnet, proxy-only
subnet, Cloud Run v2 service, serverless NEG, regional backend service, URL map, target HTTP
proxy, INTERNAL_MANAGED forwarding rule: 9 resources each) spread over projects and regions, in
any of four shapes:

  plan    one large Terraform plan JSON (`terraform show -json`, one line), every stack an
          instance of a `module.stack["sN-stack"]` module call with for_each
  plans   one small root-module plan per stack (plans/<project>/stack-N.tfplan.json)
  krm     a Config Connector tree, one multi-document YAML file per stack (krm/<project>/<region>/)
  krm-split  the same objects, one document per file (krm-split/<project>/<region>/stack-N/):
          Spectral reads only single-document YAML, so its baseline runs on this tree
  gcloud  a gcloud export tree, one directory of describe/list/export files per stack
          (gcloud/<project>/<region>/stack-N/)

A fraction of the stacks (--faulty, default 0.1) carry one fault each, in turn: an HTTP keep-alive
of 610 s (LB016), Cloud Run ingress "all" (RUN002) and a TCP backend service (LB004), so rules
fire. Each output directory gets a MANIFEST.json (stacks, resources, bytes, faults by kind).

Size: --stacks N, or --resources R (N = ceil(R / 9)), or --plan-mb M (as many stacks as make the
one-plan output about M MB). Examples:

  bench/gen.py bench/data/big --plan-mb 100 --format plan        # ~100 MB plan
  bench/gen.py bench/data/1m --resources 1000000 --format krm    # 1,000,000 resources as KRM

The stacks are built once per variant with the fixture builders of tools/fixtures (gen_plans.py
and gen_formats.py, so the shapes are the fixtures' shapes) and then renamed per stack by plain
text substitution, which keeps generation fast at any scale.
"""
import argparse
import copy
import json
import math
import os
import random
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.dont_write_bytecode = True  # no __pycache__ in tools/fixtures
sys.path.insert(0, os.path.join(HERE, "..", "tools", "fixtures"))
_argv, sys.argv = sys.argv, sys.argv[:1]  # the fixture generators read argv at import
import gen_formats as gf  # noqa: E402
import gen_plans as gp  # noqa: E402
sys.argv = _argv

REGIONS = ["us-central1", "us-east1", "us-west1", "europe-west1", "europe-west4", "asia-east1",
           "asia-northeast1", "australia-southeast1"]
FAULTS = ["keepalive", "ingress", "protocol"]  # LB016, RUN002, LB004
VARIANTS = ["clean"] + FAULTS
RES_PER_STACK = 9
MODULE = 'module.stack["hello-stack"]'  # "hello-" is renamed to "sN-" per stack


def compact(v):
    return json.dumps(v, separators=(",", ":"))


def localize(text, i, project, region):
    """Renames the builders' single stack into stack i of `project` in `region`."""
    return (text.replace("demo-proj", project)
            .replace("us-central1", region)
            .replace("lb-network", f"net-{i}")
            .replace("lb-subnet", f"sub-{i}")
            .replace("proxy-only-subnet", f"proxy-{i}")
            .replace("hello-", f"s{i}-"))


# --------------------------------------------------------------------------
# Terraform
def plan_parts(variant, module=None):
    kw = {"module": module} if module else {}
    px = gp.http_proxy(keep_alive=610 if variant == "keepalive" else 600, **kw)
    run = gp.run_v2(ingress="INGRESS_TRAFFIC_ALL" if variant == "ingress"
                    else "INGRESS_TRAFFIC_INTERNAL_ONLY")
    bes = gp.backend(**kw)
    if variant == "protocol":
        for d in (bes.known, bes.state):
            d["protocol"] = "TCP"
        bes.expr["protocol"] = gp.const("TCP")
    parts = gp.seed_parts(px=px, run=run, bes=bes, neg=gp.neg(**kw), um=gp.url_map(**kw),
                          fr=gp.fwd_rule(**kw))
    if module:
        for p in parts:
            p.module = module
    return parts


def small_plan_template(variant):
    return compact(gp.build_plan(plan_parts(variant), timestamp="2026-11-27T09:00:00Z")) + "\n"


PER_INSTANCE = {"name", "region", "location", "http_keep_alive_timeout_sec", "ingress",
                "protocol"}


def module_config_expr(v, key=None):
    """Expressions of a for_each module: per-instance values come from each.value."""
    if isinstance(v, dict):
        if "constant_value" in v and key in PER_INSTANCE:
            return {"references": [f"each.value.{key}", "each.value"]}
        return {k: module_config_expr(x, k) for k, x in v.items()}
    if isinstance(v, list):
        return [module_config_expr(x, key) for x in v]
    return v


class ModulePlan:
    """Text pieces of the one-plan output, per variant, with the stack still unnamed."""

    def __init__(self):
        self.child = {}
        self.changes = {}
        self.relevant = {}
        for variant in VARIANTS:
            parts = plan_parts(variant, MODULE)
            parts.sort(key=lambda x: x.address)
            self.child[variant] = compact({
                "resources": [r.values_entry(r.planned_after()) for r in parts],
                "address": MODULE})
            self.changes[variant] = ",".join(compact(r.change()) for r in parts)
            rel = sorted({(f"{MODULE}.{a}", tuple(path)) for r in parts for a, path in r.relevant})
            self.relevant[variant] = ",".join(
                compact({"resource": a, "attribute": list(p)}) for a, p in rel)
            if variant == "clean":
                self.config = [module_config_expr(r.config_entry())
                               for r in sorted(parts, key=lambda x: x.cfg_address)]

    def write(self, path, stacks):
        head = {"format_version": "1.2", "terraform_version": "1.11.4",
                "variables": {"image": {"value": gp.IMAGE}}}
        config = {
            "provider_config": gp.provider_config(),
            "root_module": {
                "module_calls": {"stack": {
                    "source": "./modules/internal-alb-cloud-run",
                    "expressions": {"stack": {"references": ["each.value"]}},
                    "for_each_expression": {"references": ["local.stacks"]},
                    "module": {"resources": self.config, "variables": {
                        "stack": {"description": "Name, region and settings of one stack"}}},
                }},
                "variables": gp.VARIABLES_CFG}}
        with open(path, "w", encoding="utf-8") as f:
            f.write(compact(head)[:-1])
            f.write(',"planned_values":{"root_module":{"resources":[],"child_modules":[')
            self._each(f, stacks, self.child)
            f.write(']}},"resource_changes":[')
            self._each(f, stacks, self.changes)
            f.write('],"configuration":' + compact(config))
            f.write(',"relevant_attributes":[')
            self._each(f, stacks, self.relevant)
            f.write('],"timestamp":"2026-11-27T09:00:00Z","applyable":true,"complete":true,'
                    '"errored":false}\n')

    @staticmethod
    def _each(f, stacks, pieces):
        for n, (i, project, region, variant) in enumerate(stacks):
            if n:
                f.write(",")
            f.write(localize(pieces[variant], i, project, region))


# --------------------------------------------------------------------------
# Config Connector and gcloud
def format_params(variant):
    return gf.params(keepalive=610 if variant == "keepalive" else 600,
                     ingress="all" if variant == "ingress" else "internal")


def set_protocol(text, before, after):
    assert text.count(before) == 1, before
    return text.replace(before, after)


def krm_template(variant):
    text = gf.krm_stack(format_params(variant),
                        "lbcheck benchmark stack (bench/gen.py); variant: " + variant)
    if variant == "protocol":
        text = set_protocol(text, "protocol: HTTP\n", "protocol: TCP\n")
    return text


def krm_split_template(variant):
    """{file name: one KRM document}: the multi-document template cut at its separators."""
    body = krm_template(variant).split("\n", 2)[2]  # drop the two comment lines
    out = {}
    for doc in body.split("---\n"):
        kind = doc.split("kind: ", 1)[1].split("\n", 1)[0]
        name = doc.split("  name: ", 1)[1].split("\n", 1)[0]
        out[f"{kind}-{name}.yaml"] = doc
    assert len(out) == RES_PER_STACK, list(out)
    return out


def gcloud_template(variant):
    files = gf.gcloud_files(format_params(variant))
    if variant == "protocol":
        files["backend-service.json"] = set_protocol(
            files["backend-service.json"], '"protocol": "HTTP"', '"protocol": "TCP"')
    return files


# --------------------------------------------------------------------------
def layout(n, projects, regions, faulty, seed):
    rng = random.Random(seed)
    out = []
    k = 0
    for i in range(n):
        variant = "clean"
        if rng.random() < faulty:
            variant = FAULTS[k % len(FAULTS)]
            k += 1
        out.append((i, f"bench-proj-{i % projects:03d}", regions[(i // projects) % len(regions)],
                    variant))
    return out


def write_text(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        f.write(text)
    return len(text.encode())


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("out", help="output directory")
    size = ap.add_mutually_exclusive_group(required=True)
    size.add_argument("--stacks", type=int, help="number of stacks (9 resources each)")
    size.add_argument("--resources", type=int, help="about this many resources")
    size.add_argument("--plan-mb", type=float, help="stacks for a one-plan output of about M MB")
    ap.add_argument("--format", default="plan,plans,krm,krm-split,gcloud",
                    help="comma-separated: plan, plans, krm, krm-split, gcloud (default: all)")
    ap.add_argument("--projects", type=int, default=16)
    ap.add_argument("--regions", default=",".join(REGIONS))
    ap.add_argument("--faulty", type=float, default=0.1, help="fraction of faulty stacks")
    ap.add_argument("--seed", type=int, default=9)
    a = ap.parse_args()

    formats = [x for x in a.format.split(",") if x]
    for x in formats:
        if x not in ("plan", "plans", "krm", "krm-split", "gcloud"):
            ap.error(f"unknown format {x}")
    module_plan = ModulePlan() if "plan" in formats or a.plan_mb else None
    if a.stacks is not None:
        n = a.stacks
    elif a.resources is not None:
        n = math.ceil(a.resources / RES_PER_STACK)
    else:
        per = len(localize(module_plan.child["clean"] + module_plan.changes["clean"]
                           + module_plan.relevant["clean"], 99999, "bench-proj-000", "us-east1"))
        n = max(1, round(a.plan_mb * 1e6 / (per + 3)))
    stacks = layout(n, max(1, a.projects), a.regions.split(","), a.faulty, a.seed)
    faults = {v: sum(1 for s in stacks if s[3] == v) for v in VARIANTS}
    os.makedirs(a.out, exist_ok=True)
    manifest = {"stacks": n, "resources": n * RES_PER_STACK, "faults": faults,
                "expected": {"LB016": faults["keepalive"], "RUN002": faults["ingress"],
                             "LB004": faults["protocol"]},
                "outputs": {}}

    if "plan" in formats:
        path = os.path.join(a.out, "plan.tfplan.json")
        module_plan.write(path, stacks)
        manifest["outputs"]["plan"] = {"path": "plan.tfplan.json", "files": 1,
                                       "bytes": os.path.getsize(path)}
    if "plans" in formats:
        tpl = {v: small_plan_template(v) for v in VARIANTS}
        total = 0
        for i, project, region, variant in stacks:
            total += write_text(os.path.join(a.out, "plans", project, f"stack-{i}.tfplan.json"),
                                localize(tpl[variant], i, project, region))
        manifest["outputs"]["plans"] = {"path": "plans", "files": n, "bytes": total}
    if "krm" in formats:
        tpl = {v: krm_template(v) for v in VARIANTS}
        total = 0
        for i, project, region, variant in stacks:
            total += write_text(os.path.join(a.out, "krm", project, region, f"stack-{i}.yaml"),
                                localize(tpl[variant], i, project, region))
        manifest["outputs"]["krm"] = {"path": "krm", "files": n, "bytes": total}
    for fmt, builder in (("krm-split", krm_split_template), ("gcloud", gcloud_template)):
        if fmt not in formats:
            continue
        tpl = {v: builder(v) for v in VARIANTS}
        total = 0
        for i, project, region, variant in stacks:
            base = os.path.join(a.out, fmt, project, region, f"stack-{i}")
            for name, text in tpl[variant].items():
                total += write_text(os.path.join(base, localize(name, i, project, region)),
                                    localize(text, i, project, region))
        manifest["outputs"][fmt] = {"path": fmt, "files": n * len(tpl["clean"]), "bytes": total}
    with open(os.path.join(a.out, "MANIFEST.json"), "w") as f:
        json.dump(manifest, f, indent=2)
        f.write("\n")
    print(json.dumps(manifest))


if __name__ == "__main__":
    main()
