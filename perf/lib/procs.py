"""Shared by the perf scripts that start real services on 127.0.0.1: free ports, waiting for a listener, a process's
CPU time and peak RSS from /proc, and the ingest-lag quantile from the controllers' Prometheus histograms."""
import os, socket, time

def free_port():
    s = socket.socket(); s.bind(("127.0.0.1", 0)); p = s.getsockname()[1]; s.close(); return p

def wait_port(port, timeout=60):
    end = time.time() + timeout
    while time.time() < end:
        try:
            socket.create_connection(("127.0.0.1", port), 0.5).close(); return
        except OSError:
            time.sleep(0.1)
    raise SystemExit(f"nothing listens on {port}")

def cpu_s(pid):
    f = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
    return (int(f[11]) + int(f[12])) / os.sysconf("SC_CLK_TCK")

def hwm_mib(pid):
    for line in open(f"/proc/{pid}/status"):
        if line.startswith("VmHWM:"): return int(line.split()[1]) / 1024
    return 0

def lag_quantile(ms, q):
    """Summed histogram of one or more controllers' /metrics (parsed dicts): the smallest bucket bound holding q of
    the samples (None without samples)."""
    total = sum(m.get("edgeml_telemetry_ingest_lag_seconds_count", 0) for m in ms)
    if not total: return None
    buckets = {}
    for m in ms:
        for k, v in m.items():
            if k.startswith("edgeml_telemetry_ingest_lag_seconds_bucket") and "+Inf" not in k:
                le = float(k.split('le="')[1].split('"')[0]); buckets[le] = buckets.get(le, 0) + v
    for le in sorted(buckets):
        if buckets[le] >= q * total: return le
    return float("inf")
