#!/usr/bin/env python3
"""Runs a composite action.yml the way the GitHub runner does, as far as lbcheck's
action needs: inputs with their defaults, `${{ }}` expressions (contexts inputs,
steps.<id>.outputs, github.action_path, github.workspace, runner.temp; ==, !=, &&,
||, !, parentheses, success(), failure(), always()), each step's `if`, env and
working-directory, `run` steps through `bash --noprofile --norc -eo pipefail`
with GITHUB_OUTPUT and GITHUB_STEP_SUMMARY, and the action's outputs.
`uses: github/codeql-action/upload-sarif@...` is not fetched: the step records
its `with` and checks that the file is a SARIF 2.1.0 log. Any other `uses` fails.

usage: run_action.py ACTION_YML WORKSPACE RUNNER_TEMP [input=value ...]
Prints a JSON summary (steps and outcomes, outputs, uploads) on the last line
of standard output; exits 1 when a step failed, as the job would.
"""
import json
import os
import re
import subprocess
import sys

import yaml


class ExpressionError(Exception):
    pass


TOKEN = re.compile(r"\s*(?:(?P<str>'(?:[^']|'')*')|(?P<op>==|!=|&&|\|\||!|\(|\))"
                   r"|(?P<call>(?:success|failure|always|cancelled)\(\))"
                   r"|(?P<bool>true|false)\b|(?P<num>\d+)\b|(?P<ref>[A-Za-z_][\w.-]*))")


def evaluate(expr, ctx, status_ok):
    """Evaluates one expression; returns a string, bool or number."""
    out, pos, has_status = [], 0, False
    while pos < len(expr):
        m = TOKEN.match(expr, pos)
        if not m or m.end() == pos:
            if expr[pos:].strip() == "":
                break
            raise ExpressionError(f"cannot read expression at: {expr[pos:]!r}")
        pos = m.end()
        if m.group("str") is not None:
            out.append(repr(m.group("str")[1:-1].replace("''", "'")))
        elif m.group("op"):
            out.append({"&&": " and ", "||": " or ", "!": " not "}.get(m.group("op"), m.group("op")))
        elif m.group("call"):
            has_status = True
            name = m.group("call")[:-2]
            out.append(repr({"success": status_ok, "failure": not status_ok,
                             "always": True, "cancelled": False}[name]))
        elif m.group("bool"):
            out.append(m.group("bool") == "true" and "True" or "False")
        elif m.group("num"):
            out.append(m.group("num"))
        else:
            out.append(repr(lookup(m.group("ref"), ctx)))
    value = eval("".join(out), {"__builtins__": {}}, {})  # only literals and operators remain
    return value, has_status


def lookup(ref, ctx):
    parts = ref.split(".")
    if parts[0] == "inputs" and len(parts) == 2:
        if parts[1] not in ctx["inputs"]:
            raise ExpressionError(f"inputs.{parts[1]} is not an input of the action")
        return ctx["inputs"][parts[1]]
    if parts[0] == "steps" and len(parts) == 4 and parts[2] == "outputs":
        if parts[1] not in ctx["step_ids"]:
            raise ExpressionError(f"steps.{parts[1]}: no step has that id")
        return ctx["steps"].get(parts[1], {}).get(parts[3], "")
    if parts[0] == "steps" and len(parts) == 3 and parts[2] in ("outcome", "conclusion"):
        return ctx["outcomes"].get(parts[1], "")
    if parts[0] in ("github", "runner") and len(parts) == 2 and ref in ctx["vars"]:
        return ctx["vars"][ref]
    raise ExpressionError(f"unknown context {ref}")


def as_string(value):
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def substitute(text, ctx, status_ok=True):
    return re.sub(r"\$\{\{(.*?)\}\}", lambda m: as_string(evaluate(m.group(1), ctx, status_ok)[0]),
                  str(text))


def condition(cond, ctx, status_ok):
    if cond is None:
        return status_ok
    cond = str(cond).strip()
    if cond.startswith("${{") and cond.endswith("}}"):
        cond = cond[3:-2]
    value, has_status = evaluate(cond, ctx, status_ok)
    truthy = value not in ("", 0, False, None)
    return truthy if has_status else (status_ok and truthy)


def read_outputs(path):
    outputs, lines, i = {}, open(path).read().splitlines(), 0
    while i < len(lines):
        line = lines[i]
        if "<<" in line and ("=" not in line or line.index("<<") < line.index("=")):
            name, delim = line.split("<<", 1)
            i, value = i + 1, []
            while lines[i] != delim:
                value.append(lines[i])
                i += 1
            outputs[name] = "\n".join(value)
        elif "=" in line:
            name, value = line.split("=", 1)
            outputs[name] = value
        i += 1
    return outputs


def upload_sarif(with_, workspace):
    path = os.path.join(workspace, with_.get("sarif_file", "../results"))
    if not os.path.isfile(path):
        raise RuntimeError(f"upload-sarif: {path} is not a file")
    log = json.load(open(path))
    if log.get("version") != "2.1.0" or not isinstance(log.get("runs"), list):
        raise RuntimeError(f"upload-sarif: {path} is not a SARIF 2.1.0 log")
    print(f"upload-sarif (simulated): {with_.get('sarif_file')} category={with_.get('category', '')}")


def main():
    action_yml, workspace, temp = sys.argv[1:4]
    action = yaml.safe_load(open(action_yml))
    given = dict(a.split("=", 1) for a in sys.argv[4:])
    declared = action.get("inputs", {}) or {}
    unknown = set(given) - set(declared)
    if unknown:
        sys.exit(f"run_action: {', '.join(sorted(unknown))}: not inputs of the action")
    inputs = {k: given.get(k, as_string(v.get("default", ""))) for k, v in declared.items()}
    steps = action["runs"]["steps"]
    ctx = {"inputs": inputs, "steps": {}, "outcomes": {},
           "step_ids": {s["id"] for s in steps if "id" in s},
           "vars": {"github.action_path": os.path.dirname(os.path.abspath(action_yml)),
                    "github.workspace": os.path.abspath(workspace), "runner.temp": temp}}
    summary = {"steps": [], "uploads": []}
    status_ok = True
    for n, step in enumerate(steps):
        name = step.get("name", step.get("id", f"step {n}"))
        if not condition(step.get("if"), ctx, status_ok):
            summary["steps"].append({"name": name, "outcome": "skipped"})
            if "id" in step:
                ctx["outcomes"][step["id"]] = "skipped"
            continue
        print(f"--- {name}", flush=True)
        outcome = "success"
        if "run" in step:
            if step.get("shell") != "bash":
                sys.exit(f"run_action: step {name!r}: shell must be bash")
            env = dict(os.environ)
            env.update({k: substitute(v, ctx, status_ok) for k, v in (step.get("env") or {}).items()})
            out_file = os.path.join(temp, f"output-{n}")
            open(out_file, "w").close()
            env.update(GITHUB_OUTPUT=out_file, GITHUB_WORKSPACE=ctx["vars"]["github.workspace"],
                       GITHUB_STEP_SUMMARY=os.path.join(temp, "step-summary"), RUNNER_TEMP=temp,
                       GITHUB_ACTION_PATH=ctx["vars"]["github.action_path"])
            script = os.path.join(temp, f"step-{n}.sh")
            with open(script, "w") as f:
                f.write(substitute(step["run"], ctx, status_ok))
            cwd = substitute(step.get("working-directory", "${{ github.workspace }}"), ctx, status_ok)
            rc = subprocess.call(["bash", "--noprofile", "--norc", "-eo", "pipefail", script], cwd=cwd, env=env)
            sys.stdout.flush()
            if "id" in step:
                ctx["steps"][step["id"]] = read_outputs(out_file)
            outcome = "success" if rc == 0 else "failure"
        elif str(step.get("uses", "")).startswith("github/codeql-action/upload-sarif@"):
            with_ = {k: substitute(v, ctx, status_ok) for k, v in (step.get("with") or {}).items()}
            try:
                upload_sarif(with_, ctx["vars"]["github.workspace"])
                summary["uploads"].append(with_)
            except (RuntimeError, ValueError) as e:
                print(e)
                outcome = "failure"
        else:
            sys.exit(f"run_action: step {name!r}: cannot run `uses: {step.get('uses')}` here")
        summary["steps"].append({"name": name, "outcome": outcome})
        if "id" in step:
            ctx["outcomes"][step["id"]] = outcome
        status_ok = status_ok and outcome == "success"
    step_summary = os.path.join(temp, "step-summary")
    summary["stepSummary"] = open(step_summary).read() if os.path.exists(step_summary) else ""
    summary["outputs"] = {k: substitute(v["value"], ctx) for k, v in (action.get("outputs") or {}).items()}
    summary["status"] = 0 if status_ok else 1
    print(json.dumps(summary))
    sys.exit(summary["status"])


if __name__ == "__main__":
    main()
