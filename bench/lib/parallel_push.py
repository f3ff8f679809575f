#!/usr/bin/env python3
"""Pushes an OCI image layout with the request sequence of `crane push` (go-containerregistry's remote.Write), JOBS
blobs in flight at once. crane itself cannot be installed here (no Go module proxy, no Debian package).

    parallel_push.py PORT REPOSITORY LAYOUT [JOBS]

What go-containerregistry does (pkg/v1/remote: options.go defaultJobs = 4; pusher.go writeManifest/writeLayers;
write.go uploadOne), request for request, without auth:
  1. GET /v2/ (the transport's ping), HEAD the manifest by tag (manifestExists; 404 on a new repository);
  2. every layer, then the config blob, through a pool of JOBS workers (errgroup.SetLimit(jobs)), each blob:
     HEAD /v2/<repo>/blobs/<digest> (200: skip), POST /v2/<repo>/blobs/uploads/ (Content-Type: application/json),
     PATCH <Location> with the whole blob (Content-Type: application/octet-stream, Content-Length set),
     PUT <Location>?digest=<digest> with no body (201);
  3. PUT /v2/<repo>/manifests/latest with the manifest's media type, after every blob.
Go's transport keeps one keep-alive connection per busy worker; here each worker thread owns one HTTPConnection.
Prints "<wall seconds> <client CPU seconds> <requests>". Uses only the standard library.
"""
import http.client
import json
import os
import queue
import sys
import threading
import time

port, repository, layout = int(sys.argv[1]), sys.argv[2], sys.argv[3]
jobs = int(sys.argv[4]) if len(sys.argv) > 4 else 4
MANIFEST_TYPES = ",".join([
    "application/vnd.oci.image.manifest.v1+json", "application/vnd.oci.image.index.v1+json",
    "application/vnd.docker.distribution.manifest.v2+json", "application/vnd.docker.distribution.manifest.list.v2+json"])


def blob_path(digest):
    return os.path.join(layout, "blobs", "sha256", digest.split(":", 1)[1])


def read_json(path):
    with open(path, "rb") as f:
        return f.read()


index = json.loads(read_json(os.path.join(layout, "index.json")))
manifest_descriptor = index["manifests"][0]
manifest_bytes = read_json(blob_path(manifest_descriptor["digest"]))
manifest = json.loads(manifest_bytes)
blobs = [(layer["digest"], layer["size"]) for layer in manifest["layers"]] + [(manifest["config"]["digest"], manifest["config"]["size"])]


class Client:
    """One keep-alive connection; request() checks the status and counts the requests."""

    def __init__(self):
        self.connection = http.client.HTTPConnection("127.0.0.1", port)
        self.requests = 0

    def request(self, method, path, expect, body=None, headers=None):
        self.connection.request(method, path, body=body, headers=headers or {})
        response = self.connection.getresponse()
        response.read()
        self.requests += 1
        if response.status not in expect:
            raise RuntimeError(f"{method} {path} answered {response.status}, expected {expect}")
        return response


def local(location):
    # Location may be absolute (Dockyard) or a path (Distribution); go-containerregistry resolves it against the
    # request's URL, which is the same host either way.
    return location if location.startswith("/") else "/" + location.split("/", 3)[3]


def upload(client, digest, size):
    if client.request("HEAD", f"/v2/{repository}/blobs/{digest}", (200, 404)).status == 200:
        return
    location = local(client.request("POST", f"/v2/{repository}/blobs/uploads/", (201, 202), b"",
                                     {"Content-Type": "application/json"}).getheader("Location"))
    with open(blob_path(digest), "rb") as f:
        body = f.read()
    if len(body) != size:
        raise RuntimeError(f"{digest}: {len(body)} bytes in the layout, {size} in the manifest")
    location = local(client.request("PATCH", location, (201, 202, 204), body,
                                    {"Content-Type": "application/octet-stream"}).getheader("Location"))
    client.request("PUT", location + ("&" if "?" in location else "?") + "digest=" + digest, (201,), b"",
                   {"Content-Type": "application/octet-stream"})


work = queue.Queue()
for blob in blobs:
    work.put(blob)
errors = []


def worker(client):
    try:
        while not errors:
            try:
                digest, size = work.get_nowait()
            except queue.Empty:
                return
            upload(client, digest, size)
    except Exception as error:  # noqa: BLE001 - reported below, the push fails as a whole
        errors.append(error)


clients = [Client() for _ in range(jobs)]
cpu0, start = time.process_time(), time.perf_counter()
first = clients[0]
first.request("GET", "/v2/", (200,))
first.request("HEAD", f"/v2/{repository}/manifests/latest", (404,), headers={"Accept": MANIFEST_TYPES})
threads = [threading.Thread(target=worker, args=(client,)) for client in clients]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()
if errors:
    sys.exit(f"parallel push failed: {errors[0]}")
first.request("PUT", f"/v2/{repository}/manifests/latest", (201,), manifest_bytes,
              {"Content-Type": manifest_descriptor["mediaType"]})
seconds, cpu = time.perf_counter() - start, time.process_time() - cpu0
print(f"{seconds:.3f} {cpu:.2f} {sum(client.requests for client in clients)}")
