"""Samples the memory of an Odoo server's processes (the master's children:
HTTP workers, cron worker, job runner, gevent) until the master exits or
SIGTERM, then writes the peaks as JSON. Odoo's limit_memory_* apply to the
virtual size (VmSize), so both it and the resident size (VmRSS) are kept.

    python bench/load/memwatch.py MASTER_PID OUT_JSON [INTERVAL_SECONDS]
"""

import json
import os
import signal
import sys
import time


def children(master):
    for pid in os.listdir("/proc"):
        if not pid.isdigit():
            continue
        try:
            with open(f"/proc/{pid}/stat") as f:
                ppid = int(f.read().rsplit(")", 1)[1].split()[1])
            if ppid != master:
                continue
            with open(f"/proc/{pid}/status") as f:
                status = dict(line.split(":", 1) for line in f if ":" in line)
            with open(f"/proc/{pid}/cmdline", "rb") as f:
                kind = "gevent" if b"\0gevent\0" in f.read() else "worker"
        except (OSError, ValueError, IndexError):
            continue
        yield int(pid), kind, int(status["VmRSS"].split()[0]) * 1024, int(status["VmSize"].split()[0]) * 1024


def main():
    master, out = int(sys.argv[1]), sys.argv[2]
    interval = float(sys.argv[3]) if len(sys.argv) > 3 else 5.0
    peaks, samples, started = {}, 0, time.time()
    stop = []
    signal.signal(signal.SIGTERM, lambda *a: stop.append(1))
    while not stop and os.path.exists(f"/proc/{master}"):
        for pid, kind, rss, vms in children(master):
            peak = peaks.setdefault(str(pid), {"kind": kind, "rss": 0, "vms": 0, "first": time.time() - started})
            peak["rss"], peak["vms"] = max(peak["rss"], rss), max(peak["vms"], vms)
            peak["last"] = time.time() - started
        samples += 1
        time.sleep(interval)
    with open(out, "w") as f:
        json.dump({"seconds": time.time() - started, "samples": samples, "processes": peaks}, f, indent=1)


if __name__ == "__main__":
    main()
