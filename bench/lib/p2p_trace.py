#!/usr/bin/env python3
"""Where a bench/p2p.sh run's time goes, second by second.

  p2p_trace.py sample OUT.tsv BRIDGE_NS TAG LIMIT_S STOP_FILE PID... (the agents' PIDs, the registry's last)
      every second until STOP_FILE exists (at most LIMIT_S): the machine's CPU split into user, system and softirq
      (/proc/stat), the given processes' CPU seconds, and each host's received MiB (what its bridge port sent it).
  p2p_trace.py digest OUT.tsv IMAGE_BYTES RATE_BYTES
      one line: the machine's mean CPU over the run, the agents' and registry's CPU seconds, and per host the seconds
      it received under a tenth of the link before it had the image (time spent waiting for pieces).
"""
import csv
import json
import os
import subprocess
import sys
import time

TICK = os.sysconf("SC_CLK_TCK")


def machine_cpu():
    """user, system, softirq and idle (with iowait) jiffies of the whole machine."""
    f = [int(x) for x in open("/proc/stat").readline().split()[1:]]
    return f[0] + f[1], f[2] + f[5], f[6], f[3] + f[4]


def process_cpu(pid):
    try:
        fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / TICK
    except OSError:
        return 0.0


def received(bridge, tag):
    """host number -> bytes the bridge sent it (bridge ports are named b<TAG>h<N>)."""
    out = subprocess.run(["ip", "-n", bridge, "-s", "-j", "link"], capture_output=True, text=True, check=False).stdout
    prefix = f"b{tag}h"
    return {int(link["ifname"][len(prefix):]): link["stats64"]["tx"]["bytes"]
            for link in json.loads(out or "[]") if link["ifname"].startswith(prefix)}


def sample(out, bridge, tag, limit, stop, pids):
    first = received(bridge, tag)
    hosts = sorted(first)
    agents, registry = pids[:-1], pids[-1]
    # CPU seconds from the trace's start (the agents' own start-up and JIT are left out).
    agents_base, registry_base = sum(process_cpu(p) for p in agents), process_cpu(registry)
    with open(out, "w", encoding="utf-8") as w:
        w.write("t\tuser_pct\tsys_pct\tsoftirq_pct\tagents_cpu_s\tregistry_cpu_s\t" + "\t".join(f"h{h}_mib" for h in hosts) + "\n")
        before, start = machine_cpu(), time.monotonic()
        while time.monotonic() - start < limit and not os.path.exists(stop):
            time.sleep(1)
            now, got = machine_cpu(), received(bridge, tag)
            delta = [b - a for a, b in zip(before, now)]
            total = sum(delta) or 1
            before = now
            w.write(f"{time.monotonic() - start:.0f}\t{100 * delta[0] / total:.0f}\t{100 * delta[1] / total:.0f}\t{100 * delta[2] / total:.0f}\t"
                    f"{sum(process_cpu(p) for p in agents) - agents_base:.1f}\t{process_cpu(registry) - registry_base:.1f}\t"
                    + "\t".join(f"{(got.get(h, 0) - first[h]) / 2**20:.1f}" for h in hosts) + "\n")
            w.flush()


def digest(path, image, rate):
    rows = list(csv.DictReader(open(path, encoding="utf-8"), delimiter="\t"))
    if not rows:
        return
    mean = lambda key: sum(float(r[key]) for r in rows) / len(rows)
    # Only the run's hosts: the others (there for a larger N of the same sitting) received nothing.
    hosts = [k for k in rows[0] if k.endswith("_mib") and float(rows[-1][k]) > 0]
    waited = []
    for host in hosts:
        previous, slow = 0.0, 0
        for row in rows:
            got = float(row[host])
            if got * 2**20 < image * 0.99 and (got - previous) * 2**20 < rate / 10:
                slow += 1
            previous = got
        waited.append(slow)
    waited.sort()
    if not waited:
        return
    print(f"trace: {len(rows)} s, CPU busy {mean('user_pct') + mean('sys_pct') + mean('softirq_pct'):.0f} % "
          f"(user {mean('user_pct'):.0f}, system {mean('sys_pct'):.0f}, softirq {mean('softirq_pct'):.0f}), "
          f"agents {float(rows[-1]['agents_cpu_s']):.1f} CPU-s, registry {float(rows[-1]['registry_cpu_s']):.1f} CPU-s; "
          f"seconds a host received < 10 % of the link before it had the image: median {waited[len(waited) // 2]}, max {waited[-1]}")


if __name__ == "__main__":
    if sys.argv[1] == "sample":
        sample(sys.argv[2], sys.argv[3], sys.argv[4], int(sys.argv[5]), sys.argv[6], sys.argv[7:])
    else:
        digest(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]))
