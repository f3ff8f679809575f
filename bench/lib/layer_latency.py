#!/usr/bin/env python3
"""Per-request latency of the layer push sequence skopeo uses, one layer at a time on one connection.

    layer_latency.py PORT [LAYERS [KIB]]

For each of LAYERS fresh random blobs of KIB KiB: HEAD the blob (404), POST an upload, PATCH the body, PUT with the
digest -- the four requests skopeo makes per layer, in order, waiting for each answer. Prints one line
"HEAD <ms> POST <ms> PATCH <ms> PUT <ms> layer <ms>": the median of each request and the sum of the medians, i.e. how
long the registry keeps a sequential client waiting per layer. Uses only the standard library.
"""
import hashlib
import http.client
import os
import statistics
import sys
import time

port = int(sys.argv[1])
layers = int(sys.argv[2]) if len(sys.argv) > 2 else 200
size = (int(sys.argv[3]) if len(sys.argv) > 3 else 64) * 1024
connection = http.client.HTTPConnection("127.0.0.1", port)
seconds = {"HEAD": [], "POST": [], "PATCH": [], "PUT": []}


def request(method, path, body=None, headers=None):
    start = time.perf_counter()
    connection.request(method, path, body=body, headers=headers or {})
    response = connection.getresponse()
    response.read()
    seconds[method].append(time.perf_counter() - start)
    if response.status >= 400 and method != "HEAD":
        sys.exit(f"{method} {path} answered {response.status}")
    return response


def local(location):
    # Location may be absolute (Dockyard) or a path (Distribution); requests go to the same connection either way.
    return location if location.startswith("/") else "/" + location.split("/", 3)[3]


repository = f"bench/latency-{os.getpid()}"
for _ in range(layers):
    data = os.urandom(size)
    digest = "sha256:" + hashlib.sha256(data).hexdigest()
    request("HEAD", f"/v2/{repository}/blobs/{digest}")
    upload = local(request("POST", f"/v2/{repository}/blobs/uploads/").getheader("Location"))
    upload = local(request("PATCH", upload, data, {"Content-Type": "application/octet-stream"}).getheader("Location"))
    request("PUT", upload + ("&" if "?" in upload else "?") + "digest=" + digest)

medians = {method: 1000 * statistics.median(values) for method, values in seconds.items()}
print(" ".join(f"{method} {ms:.2f}" for method, ms in medians.items()), f"layer {sum(medians.values()):.2f}")
