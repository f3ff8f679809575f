#!/usr/bin/env python3
"""Latency of a V2 push of one small image, as a lean client makes it, one request at a time on one connection.

    image_push.py PORT REPOSITORY COUNT [TAGS]

Pushes COUNT images (a fresh random 4 KiB layer, a config, an OCI manifest) into REPOSITORY-0 … REPOSITORY-<COUNT-1>:
for each blob POST an upload and PUT the bytes with the digest (monolithic), then PUT the manifest under the tags
(TAGS: comma-separated, default "latest"). Prints "<median ms> <min ms> <max ms>" of a whole push (blobs and the first
tag; further tags are not timed). Uses only the standard library.
"""
import hashlib
import http.client
import json
import os
import statistics
import sys
import time

port, repository, count = int(sys.argv[1]), sys.argv[2], int(sys.argv[3])
tags = (sys.argv[4] if len(sys.argv) > 4 else "latest").split(",")
connection = http.client.HTTPConnection("127.0.0.1", port)


def request(method, path, body=None, headers=None, expect=(200, 201, 202)):
    connection.request(method, path, body=body, headers=headers or {})
    response = connection.getresponse()
    response.read()
    if response.status not in expect:
        sys.exit(f"{method} {path} answered {response.status}")
    return response


def local(location):
    return location if location.startswith("/") else "/" + location.split("/", 3)[3]


def push_blob(name, data):
    digest = "sha256:" + hashlib.sha256(data).hexdigest()
    upload = local(request("POST", f"/v2/{name}/blobs/uploads/").getheader("Location"))
    request("PUT", upload + ("&" if "?" in upload else "?") + "digest=" + digest, data, {"Content-Type": "application/octet-stream"})
    return {"digest": digest, "size": len(data)}


times = []
for i in range(count):
    name = f"{repository}-{i}" if count > 1 else repository
    start = time.perf_counter()
    layer = push_blob(name, os.urandom(4096))
    config = push_blob(name, json.dumps({"architecture": "amd64", "os": "linux",
                                         "rootfs": {"type": "layers", "diff_ids": [layer["digest"]]}}).encode())
    manifest = json.dumps({"schemaVersion": 2, "mediaType": "application/vnd.oci.image.manifest.v1+json",
                           "config": {"mediaType": "application/vnd.oci.image.config.v1+json", **config},
                           "layers": [{"mediaType": "application/vnd.oci.image.layer.v1.tar", **layer}]}).encode()
    for n, tag in enumerate(tags):
        request("PUT", f"/v2/{name}/manifests/{tag}", manifest, {"Content-Type": "application/vnd.oci.image.manifest.v1+json"})
        if n == 0:
            times.append(1000 * (time.perf_counter() - start))
print(f"{statistics.median(times):.2f} {min(times):.2f} {max(times):.2f}")
