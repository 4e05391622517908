#!/usr/bin/env python3
"""The fleet goal against the REAL controller (issue 10): a local mosquitto, edgeml-controller --mqtt (SQLite), N
devices registered as MQTT devices, then `edgeml fleet-sim` playing them (each its own connection, status, last will).
Reports what the simulator had confirmed by the broker against what the controller stored (its /metrics:
edgeml_telemetry_samples_stored_total), the controller's ingest lag histogram (p50/p99 as bucket bounds), and the
controller's CPU (utime+stime over the run, /proc/<pid>/stat) and peak RSS (VmHWM).

  perf/mqtt/controller_fleet.py [--build build] --devices 1000 --hz 1 --seconds 60 [--processes 2]

Everything runs on 127.0.0.1 and stops by itself; the temporary folder is removed at the end."""
import argparse, http.client, json, os, random, shutil, signal, socket, subprocess, sys, tempfile, time
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
from procs import cpu_s, free_port, hwm_mib, lag_quantile, wait_port


def metrics(port):
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=30); c.request("GET", "/metrics")
    text = c.getresponse().read().decode(); out = {}
    for line in text.splitlines():
        if line.startswith("edgeml_telemetry_") or line.startswith("edgeml_controller_mqtt"):
            k, v = line.rsplit(" ", 1); out[k] = float(v)
    return out

def main():
    a = argparse.ArgumentParser()
    a.add_argument("--build", default="build"); a.add_argument("--devices", type=int, default=1000)
    a.add_argument("--hz", type=float, default=1); a.add_argument("--seconds", type=float, default=60)
    a.add_argument("--processes", type=int, default=1); a.add_argument("--threads", type=int, default=2)
    o = a.parse_args()
    bin_dir = os.path.abspath(os.path.join(o.build, "bin"))
    work = tempfile.mkdtemp(prefix="edgeml-controller-fleet.")
    procs = []
    try:
        bport = free_port()
        conf = os.path.join(work, "mosquitto.conf")
        with open(conf, "w") as f:
            if os.getuid() == 0: f.write("user root\n")
            f.write(f"listener {bport} 127.0.0.1\nallow_anonymous true\npersistence false\nmax_connections -1\n"
                    "set_tcp_nodelay true\nmax_queued_messages 0\nmax_queued_bytes 268435456\n"
                    f"log_dest file {work}/broker.log\nconnection_messages false\n")
        import resource
        hard = resource.getrlimit(resource.RLIMIT_NOFILE)[1]
        resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))  # the broker holds one socket per device
        broker = subprocess.Popen(["mosquitto", "-c", conf])
        procs.append(broker); wait_port(bport)
        cport = free_port()
        ctl_log = open(os.path.join(work, "controller.log"), "w")
        ctl = subprocess.Popen([os.path.join(bin_dir, "edgeml-controller"), "--host", "127.0.0.1", "--port", str(cport),
                                "--state", os.path.join(work, "state"), "--mqtt", f"mqtt://127.0.0.1:{bport}"],
                               stdout=ctl_log, stderr=ctl_log)
        procs.append(ctl); wait_port(cport, 300)
        t = time.time(); c = http.client.HTTPConnection("127.0.0.1", cport, timeout=30)
        for i in range(o.devices):
            c.request("POST", "/api/devices", json.dumps({"name": f"sim-{i:05d}", "device_type": "jetson_nano",
                                                          "transport": "mqtt"}), {"Content-Type": "application/json"})
            r = c.getresponse(); r.read()
            if r.status != 201: raise SystemExit(f"registering sim-{i:05d}: HTTP {r.status}")
        print(f"registered {o.devices} MQTT devices in {time.time() - t:.1f} s", file=sys.stderr)
        cpu0, t0 = cpu_s(ctl.pid), time.time()
        sim = subprocess.run([os.path.join(bin_dir, "edgeml"), "fleet-sim", "--mqtt", f"mqtt://127.0.0.1:{bport}",
                              "--devices", str(o.devices), "--hz", str(o.hz), "--seconds", str(o.seconds),
                              "--processes", str(o.processes), "--threads", str(o.threads)],
                             capture_output=True, text=True)
        summary = json.loads(sim.stdout.strip().splitlines()[-1])
        confirmed = summary.get("acknowledged")
        m = {}
        for _ in range(60):  # what the broker confirmed reaches the store within the ingest interval
            m = metrics(cport)
            if m.get("edgeml_telemetry_samples_stored_total", 0) >= confirmed: break
            time.sleep(0.5)
        cpu1, t1 = cpu_s(ctl.pid), time.time()
        stored = int(m.get("edgeml_telemetry_samples_stored_total", 0))
        result = {"devices": o.devices, "hz": o.hz, "seconds": o.seconds,
                  "samples_confirmed_by_broker": confirmed, "samples_sent": summary.get("sent"),
                  "samples_stored": stored,
                  "duplicates": int(m.get("edgeml_telemetry_samples_duplicate_total", 0)),
                  "ingest_lag_p50_le_s": lag_quantile([m], 0.5), "ingest_lag_p99_le_s": lag_quantile([m], 0.99),
                  "controller_cpu_share_of_one_core": round((cpu1 - cpu0) / (t1 - t0), 3),
                  "controller_peak_rss_mib": round(hwm_mib(ctl.pid), 1), "simulator": summary}
        print(json.dumps(result))
    finally:
        for p in reversed(procs):
            p.send_signal(signal.SIGTERM)
            try: p.wait(30)
            except subprocess.TimeoutExpired: p.kill()
        shutil.rmtree(work, ignore_errors=True)

if __name__ == "__main__":
    main()
