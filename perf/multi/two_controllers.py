#!/usr/bin/env python3
"""Several controllers on one PostgreSQL (issue 11): the fleet goals measured against the REAL services.

  ingest  a local PostgreSQL (initdb in a temporary folder, run as the postgres user), a local mosquitto, TWO
          edgeml-controllers (--db on the same database, --mqtt on the same broker, different client ids), N devices
          registered as MQTT devices, then `edgeml fleet-sim` playing them. Both controllers subscribe to every
          device's telemetry; each message is stored once (unique (device, stream, seq)). Reports samples the
          simulator sent and the broker confirmed against the rows in the telemetry table, duplicates each controller
          skipped, the ingest lag p50/p99 over both controllers (their /metrics histograms summed; bucket bounds) and
          the CPU of each process.
  query   a day of one device's telemetry (one sample per 5 s) among --devices devices' --hours of telemetry loaded
          with generate_series, then --queries GETs of /api/devices/<id>/telemetry?since=now-24h (raw and step=60)
          through a controller, and the same SELECT timed inside PostgreSQL (EXPLAIN ANALYZE): p50/p99.

  perf/multi/two_controllers.py ingest [--build build] --devices 10000 --hz 0.2 --seconds 120 [--processes 2]
                                       [--share-group edgeml]   (MQTT 5 shared subscription for telemetry)
  perf/multi/two_controllers.py query  [--build build] --devices 10000 --hours 1 --queries 100

Everything runs on 127.0.0.1 and stops by itself; the temporary folder is removed at the end."""
import argparse, http.client, json, os, pwd, re, shutil, signal, socket, statistics, subprocess, sys, tempfile, time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
from procs import cpu_s, free_port, lag_quantile, wait_port

PG_BIN = "/usr/lib/postgresql/15/bin"

class Postgres:
    """initdb + pg_ctl as the postgres user (PostgreSQL refuses root), on a free loopback port."""
    def __init__(self, work):
        self.dir = os.path.join(work, "pg"); os.makedirs(self.dir)
        pw = pwd.getpwnam("postgres"); os.chown(self.dir, pw.pw_uid, pw.pw_gid); os.chmod(work, 0o755)
        self.port = free_port()
        run = ["runuser", "-u", "postgres", "--"] if os.getuid() == 0 else []
        self.run = run
        subprocess.run(run + [f"{PG_BIN}/initdb", "-D", self.dir, "-A", "trust", "-U", "postgres"], check=True,
                       capture_output=True)
        subprocess.run(run + [f"{PG_BIN}/pg_ctl", "-D", self.dir, "-o",
                              f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1 -c fsync=on",
                              "-l", os.path.join(self.dir, "log"), "-w", "start"], check=True, capture_output=True)
        subprocess.run(["createdb", "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres", "edgeml"], check=True)
        self.url = f"postgresql://postgres@127.0.0.1:{self.port}/edgeml"

    def sql(self, text):
        r = subprocess.run(["psql", "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres", "-d", "edgeml", "-At",
                            "-c", text], check=True, capture_output=True, text=True)
        return r.stdout.strip()

    def pid(self):
        return int(open(os.path.join(self.dir, "postmaster.pid")).readline())

    def stop(self):
        subprocess.run(self.run + [f"{PG_BIN}/pg_ctl", "-D", self.dir, "-m", "immediate", "stop"], capture_output=True)

def start_controller(bin_dir, work, name, db, extra, procs):
    port = free_port()
    log = open(os.path.join(work, name + ".log"), "w")
    p = subprocess.Popen([os.path.join(bin_dir, "edgeml-controller"), "--host", "127.0.0.1", "--port", str(port),
                          "--state", os.path.join(work, name), "--db", db, "--instance-id", name] + extra,
                         stdout=log, stderr=log)
    procs.append(p); wait_port(port, 300)
    return p, port

def get(port, path, timeout=60):
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout); c.request("GET", path)
    r = c.getresponse(); body = r.read(); c.close()
    return r.status, body

def metrics(port):
    out = {}
    for line in get(port, "/metrics")[1].decode().splitlines():
        if line.startswith("edgeml_telemetry_"):
            k, v = line.rsplit(" ", 1); out[k] = float(v)
    return out

def ingest(o, bin_dir, work, procs, pg):
    bport = free_port()
    conf = os.path.join(work, "mosquitto.conf")
    with open(conf, "w") as f:
        if os.getuid() == 0: f.write("user root\n")
        f.write(f"listener {bport} 127.0.0.1\nallow_anonymous true\npersistence false\nmax_connections -1\n"
                "set_tcp_nodelay true\nmax_queued_messages 0\nmax_queued_bytes 268435456\n"
                f"log_dest file {work}/broker.log\nconnection_messages false\n")
    import resource
    hard = resource.getrlimit(resource.RLIMIT_NOFILE)[1]
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    broker = subprocess.Popen(["mosquitto", "-c", conf]); procs.append(broker); wait_port(bport)
    ctls = []
    for name in ("ctl-a", "ctl-b"):
        ctls.append(start_controller(bin_dir, work, name, pg.url,
                                     ["--mqtt", f"mqtt://127.0.0.1:{bport}", "--mqtt-client-id", "edgeml-" + name]
                                     + (["--mqtt-share-group", o.share_group] if o.share_group else []),
                                     procs))
    t = time.time(); c = http.client.HTTPConnection("127.0.0.1", ctls[0][1], timeout=30)
    for i in range(o.devices):  # registered through A; B reads them from the database
        c.request("POST", "/api/devices", json.dumps({"name": f"sim-{i:05d}", "device_type": "jetson_nano",
                                                      "transport": "mqtt"}), {"Content-Type": "application/json"})
        r = c.getresponse(); r.read()
        if r.status != 201: raise SystemExit(f"registering sim-{i:05d}: HTTP {r.status}")
    print(f"registered {o.devices} MQTT devices in {time.time() - t:.1f} s", file=sys.stderr)
    pids = {"ctl-a": ctls[0][0].pid, "ctl-b": ctls[1][0].pid, "mosquitto": broker.pid, "postgres": pg.pid()}
    cpu0, t0 = {k: cpu_s(p) for k, p in pids.items() if k != "postgres"}, time.time()
    sim = subprocess.run([os.path.join(bin_dir, "edgeml"), "fleet-sim", "--mqtt", f"mqtt://127.0.0.1:{bport}",
                          "--devices", str(o.devices), "--hz", str(o.hz), "--seconds", str(o.seconds),
                          "--processes", str(o.processes), "--threads", str(o.threads)],
                         capture_output=True, text=True)
    summary = json.loads(sim.stdout.strip().splitlines()[-1])
    confirmed = summary.get("acknowledged")
    stored = 0
    for _ in range(120):  # what the broker confirmed reaches the table within the ingest interval
        stored = int(pg.sql("SELECT COUNT(*) FROM telemetry"))
        if stored >= confirmed: break
        time.sleep(0.5)
    t1 = time.time()
    ms = [metrics(port) for _, port in ctls]
    cpu = {k: round((cpu_s(pids[k]) - v) / (t1 - t0), 3) for k, v in cpu0.items()}
    return {"devices": o.devices, "hz": o.hz, "seconds": o.seconds, "controllers": 2, "share_group": o.share_group,
            "samples_sent": summary.get("sent"), "samples_confirmed_by_broker": confirmed,
            "samples_stored_rows": stored,
            "stored_by_controller": [int(m.get("edgeml_telemetry_samples_stored_total", 0)) for m in ms],
            "duplicates_skipped_by_controller": [int(m.get("edgeml_telemetry_samples_duplicate_total", 0)) for m in ms],
            "ingest_lag_p50_le_s": lag_quantile(ms, 0.5), "ingest_lag_p99_le_s": lag_quantile(ms, 0.99),
            "cpu_share_of_one_core": cpu, "simulator": summary}

def pct(xs, q):
    xs = sorted(xs); return xs[min(len(xs) - 1, int(q * len(xs)))]

def query(o, bin_dir, work, procs, pg):
    ctl, port = start_controller(bin_dir, work, "ctl-a", pg.url, [], procs)  # creates the schema
    now = time.time()
    t = time.time()
    pg.sql(f"INSERT INTO devices (name, address, device_type, token, created_at, online, last_error, transport) "
           f"SELECT 'dev-' || g, '', 'jetson_nano', '', {now}, 0, '', 'mqtt' FROM generate_series(1, {o.devices}) g")
    # Every device: --hours at one sample per 5 s; device 1: the whole day.
    n_other = int(o.hours * 3600 / 5)
    pg.sql(f"INSERT INTO telemetry (device_id, t, cpu_ratio, memory_ratio, temp_c, power_w, active_model, downsampled, "
           f"stream, seq) SELECT d, {now} - s * 5, 0.3, 0.5, 45, 4.2, 'm', 0, 'bench', s "
           f"FROM generate_series(2, {o.devices}) d, generate_series(0, {n_other - 1}) s")
    pg.sql(f"INSERT INTO telemetry (device_id, t, cpu_ratio, memory_ratio, temp_c, power_w, active_model, downsampled, "
           f"stream, seq) SELECT 1, {now} - s * 5, 0.3, 0.5, 45, 4.2, 'm', 0, 'bench', s "
           f"FROM generate_series(0, 17279) s")
    pg.sql("ANALYZE telemetry")
    rows = int(pg.sql("SELECT COUNT(*) FROM telemetry"))
    size = pg.sql("SELECT pg_size_pretty(pg_total_relation_size('telemetry'))")
    print(f"loaded {rows} rows ({size}) in {time.time() - t:.0f} s", file=sys.stderr)
    since = now - 86400
    out = {"devices": o.devices, "rows": rows, "table_size": size, "queries": o.queries}
    for label, step in (("http_raw", 0), ("http_step60", 60)):
        times, n = [], 0
        for _ in range(o.queries):
            t = time.perf_counter()
            status, body = get(port, f"/api/devices/1/telemetry?since={since}&until={now + 1}&step={step}")
            times.append((time.perf_counter() - t) * 1000)
            if status != 200: raise SystemExit(f"query: HTTP {status} {body[:200]}")
            n = json.loads(body)["count"]
        out[label] = {"samples": n, "p50_ms": round(pct(times, 0.5), 2), "p99_ms": round(pct(times, 0.99), 2)}
    times = []
    for _ in range(o.queries):
        plan = pg.sql(f"EXPLAIN (ANALYZE, FORMAT TEXT) SELECT * FROM telemetry WHERE device_id = 1 AND t >= {since} "
                      f"AND t < {now + 1} ORDER BY t LIMIT 100000")
        times.append(float(re.search(r"Execution Time: ([0-9.]+) ms", plan).group(1)))
    out["sql_in_postgres"] = {"p50_ms": round(pct(times, 0.5), 2), "p99_ms": round(pct(times, 0.99), 2),
                              "plan": plan.splitlines()[:4]}
    return out

def main():
    a = argparse.ArgumentParser()
    a.add_argument("mode", choices=["ingest", "query"])
    a.add_argument("--build", default="build"); a.add_argument("--devices", type=int, default=10000)
    a.add_argument("--hz", type=float, default=0.2); a.add_argument("--seconds", type=float, default=120)
    a.add_argument("--processes", type=int, default=2); a.add_argument("--threads", type=int, default=2)
    a.add_argument("--share-group", default="", help="telemetry through $share/<group>/ (one copy per message)")
    a.add_argument("--hours", type=float, default=1); a.add_argument("--queries", type=int, default=100)
    o = a.parse_args()
    bin_dir = os.path.abspath(os.path.join(o.build, "bin"))
    work = tempfile.mkdtemp(prefix="edgeml-multi.")
    procs, pg = [], None
    try:
        pg = Postgres(work)
        result = (ingest if o.mode == "ingest" else query)(o, bin_dir, work, procs, pg)
        print(json.dumps(result))
    finally:
        for p in reversed(procs):
            p.send_signal(signal.SIGTERM)
            try: p.wait(30)
            except subprocess.TimeoutExpired: p.kill()
        if pg: pg.stop()
        shutil.rmtree(work, ignore_errors=True)

if __name__ == "__main__":
    main()
