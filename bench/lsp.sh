#!/usr/bin/env bash
# Language server latency (#19): how long after a didChange `lbcheck lsp`
# publishes the changed file's diagnostics, on a workspace of FILES Config
# Connector files (default 200) of STACKS_PER_FILE generated stacks each
# (default 8: about 1,090 lines, 72 resources per file). Prints the median and
# the spread of CHANGES edits (default 25), each a real edit of one open file
# (a value flipped back and forth, so every check has a different answer).
#   bench/lsp.sh [FILES [STACKS_PER_FILE [CHANGES]]]
# lbcheck: LBCHECK, default build/lbcheck.
set -euo pipefail
cd "$(dirname "$0")/.."
LBCHECK=$(realpath "${LBCHECK:-build/lbcheck}")
FILES=${1:-200} PER_FILE=${2:-8} CHANGES=${3:-25}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir "$tmp/ws"
if [ "${LSP_FORMAT:-krm}" = tf ]; then
python3 - "$tmp/ws" "$FILES" "$PER_FILE" <<'PY'
import os, sys
out, files, per = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
STACK = """resource "google_compute_network" "net_@" {
  name                    = "net-@"
  auto_create_subnetworks = false
}

resource "google_compute_subnetwork" "sub_@" {
  name          = "sub-@"
  region        = "us-central1"
  network       = google_compute_network.net_@.id
  ip_cidr_range = "10.1.2.0/24"
}

resource "google_compute_subnetwork" "proxy_@" {
  name          = "proxy-@"
  region        = "us-central1"
  network       = google_compute_network.net_@.id
  ip_cidr_range = "10.129.0.0/23"
  purpose       = "REGIONAL_MANAGED_PROXY"
  role          = "ACTIVE"
}

resource "google_cloud_run_v2_service" "run_@" {
  name     = "s@-run"
  location = "us-central1"
  ingress  = "INGRESS_TRAFFIC_INTERNAL_ONLY"
  template {
    containers {
      image = "us-docker.pkg.dev/cloudrun/container/hello"
    }
  }
}

resource "google_compute_region_network_endpoint_group" "neg_@" {
  name                  = "s@-neg"
  region                = "us-central1"
  network_endpoint_type = "SERVERLESS"
  cloud_run {
    service = google_cloud_run_v2_service.run_@.name
  }
}

resource "google_compute_region_backend_service" "backend_@" {
  name                  = "s@-backend"
  region                = "us-central1"
  load_balancing_scheme = "INTERNAL_MANAGED"
  protocol              = "HTTP"
  backend {
    group           = google_compute_region_network_endpoint_group.neg_@.id
    capacity_scaler = 1.0
  }
}

resource "google_compute_region_url_map" "map_@" {
  name            = "s@-url-map"
  region          = "us-central1"
  default_service = google_compute_region_backend_service.backend_@.id
}

resource "google_compute_region_target_http_proxy" "http_@" {
  name    = "s@-http-proxy"
  region  = "us-central1"
  url_map = google_compute_region_url_map.map_@.id
}

resource "google_compute_forwarding_rule" "fr_@" {
  name                  = "s@-fr"
  region                = "us-central1"
  load_balancing_scheme = "INTERNAL_MANAGED"
  ip_protocol           = "TCP"
  port_range            = "80"
  network               = google_compute_network.net_@.id
  subnetwork            = google_compute_subnetwork.sub_@.id
  target                = google_compute_region_target_http_proxy.http_@.id
  depends_on            = [google_compute_subnetwork.proxy_@]
}
"""
PROVIDER = 'provider "google" {\n  project = "bench-proj"\n}\n\n'
for i in range(files):
    os.makedirs(os.path.join(out, "root-%03d" % i))
    with open(os.path.join(out, "root-%03d" % i, "main.tf"), "w") as f:
        f.write(PROVIDER + "\n".join(STACK.replace("@", str(i * per + k)) for k in range(per)))
PY
else
python3 bench/gen.py "$tmp/gen" --stacks $((FILES * PER_FILE)) --format krm >/dev/null
python3 - "$tmp/gen/krm" "$tmp/ws" "$FILES" "$PER_FILE" <<'PY'
import glob, os, sys
src, out, files, per = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
stacks = sorted(glob.glob(os.path.join(src, "**", "*.yaml"), recursive=True))
for i in range(files):
    parts = [open(p).read().rstrip("\n") + "\n" for p in stacks[i * per:(i + 1) * per]]
    with open(os.path.join(out, "lb-%03d.yaml" % i), "w") as f:
        f.write("---\n".join(parts))
PY
fi
python3 - "$LBCHECK" "$tmp/ws" "$CHANGES" <<'PY'
import json, os, queue, statistics, subprocess, sys, threading, time
lbcheck, ws, changes = sys.argv[1], sys.argv[2], int(sys.argv[3])
files = sorted(os.path.relpath(os.path.join(d, f), ws) for d, _, names in os.walk(ws) for f in names)
lines = sum(open(os.path.join(ws, f)).read().count("\n") for f in files)
print("workspace: %d files, %d lines, %.1f MB" % (len(files), lines,
      sum(os.path.getsize(os.path.join(ws, f)) for f in files) / 1e6))
proc = subprocess.Popen([lbcheck, "lsp"] + os.environ.get("LSP_ARGS", "").split(), stdin=subprocess.PIPE, stdout=subprocess.PIPE)
inbox = queue.Queue()

def reader():
    out = proc.stdout
    while True:
        length = None
        while True:
            line = out.readline()
            if not line:
                inbox.put(None)
                return
            line = line.strip()
            if not line:
                break
            if line.lower().startswith(b"content-length:"):
                length = int(line.split(b":")[1])
        inbox.put((time.perf_counter(), json.loads(out.read(length))))

threading.Thread(target=reader, daemon=True).start()

def send(message):
    body = json.dumps(message).encode()
    proc.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
    proc.stdin.flush()

def wait_for(pred, timeout=120):
    end = time.perf_counter() + timeout
    while True:
        item = inbox.get(timeout=max(0.0, end - time.perf_counter()))
        if item is None:
            sys.exit("lbcheck lsp exited")
        if pred(item[1]):
            return item[0], item[1]

uri = "file://" + os.path.join(ws, files[len(files) // 2])
text = open(uri[7:]).read()
t0 = time.perf_counter()
send({"jsonrpc": "2.0", "id": 1, "method": "initialize",
      "params": {"rootUri": "file://" + ws, "capabilities": {}}})
send({"jsonrpc": "2.0", "method": "initialized", "params": {}})
send({"jsonrpc": "2.0", "method": "textDocument/didOpen",
      "params": {"textDocument": {"uri": uri, "languageId": "yaml", "version": 1, "text": text}}})
is_ours = lambda m: m.get("method") == "textDocument/publishDiagnostics" and m["params"]["uri"] == uri
t1, _ = wait_for(is_ours)
print("first check (every file parsed): %.0f ms" % ((t1 - t0) * 1000))
# Flip the first backend service's protocol: HTTP <-> TCP (LB004 comes and goes).
edit = ("protocol: HTTP", "protocol: TCP") if "protocol: HTTP" in text else (
    'protocol              = "HTTP"', 'protocol              = "TCP"')
variants = [text, text.replace(edit[0], edit[1], 1)]
assert variants[0] != variants[1], "no backend service protocol to edit"
latencies, counts = [], set()
for i in range(changes):
    started = time.perf_counter()
    send({"jsonrpc": "2.0", "method": "textDocument/didChange",
          "params": {"textDocument": {"uri": uri, "version": i + 2},
                     "contentChanges": [{"text": variants[(i + 1) % 2]}]}})
    at, message = wait_for(is_ours)
    latencies.append((at - started) * 1000)
    counts.add(len(message["params"]["diagnostics"]))
    time.sleep(0.05)
send({"jsonrpc": "2.0", "id": 2, "method": "shutdown"})
send({"jsonrpc": "2.0", "method": "exit"})
proc.wait(timeout=30)
latencies.sort()
print("didChange -> publishDiagnostics over %d changes: median %.1f ms, min %.1f, p90 %.1f, max %.1f"
      % (changes, statistics.median(latencies), latencies[0],
         latencies[int(0.9 * (len(latencies) - 1))], latencies[-1]))
print("diagnostics in the file, by edit: %s (the edit toggles a finding)" % sorted(counts))
PY
