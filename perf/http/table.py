#!/usr/bin/env python3
"""Prints hold_load JSON summaries (the last line of each file given) as one Markdown table row per run.
   python3 perf/http/table.py RESULT.json...   (file names are used as row labels)"""
import json
import os
import sys


def last_json(path):
    with open(path) as f:
        lines = [l for l in f.read().splitlines() if l.strip().startswith("{")]
    return json.loads(lines[-1]) if lines else None


def num(v, digits=1):
    return "-" if v is None else f"{v:.{digits}f}"


def slow_close(hold):
    g = hold.get("slowloris")
    if not g:
        return "-"
    closes = g["held_before_server_close"]
    if closes.get("count", 0) == 0:
        return f"never (oldest open {g['oldest_open_s']:.0f} s)"
    return f"{closes['count']} closes, {closes['min_s']:.1f}-{closes['max_s']:.1f} s"


def idle_close(hold):
    g = hold.get("idle")
    if not g:
        return "-"
    closes = g["held_before_server_close"]
    if closes.get("count", 0) == 0:
        return f"never (oldest open {g['oldest_open_s']:.0f} s)"
    return f"{closes['count']} closes, p50 {closes['p50_s']:.1f} s"


def main(paths):
    print("| run | probe p50 ms | probe p99 ms | probe max ms | probes failed | wrk req/s unloaded | loaded | ratio "
          "| stream events/stream/s | idle closed by server | slowloris closed | server RSS MiB | server CPU % (hold) |")
    print("|" + "---|" * 13)
    for p in paths:
        s = last_json(p)
        label = os.path.splitext(os.path.basename(p))[0]
        if s is None:
            print(f"| {label} | run failed: no summary (see {label}.log) |" + " |" * 11)
            continue
        pr, hold, wrk = s.get("probe", {}), s.get("hold", {}), s.get("wrk", {})
        srv = s.get("server", {}).get("during_hold_and_probe", {})
        streams = hold.get("streams", {})
        print(f"| {label} | {num(pr.get('p50_ms'), 2)} | {num(pr.get('p99_ms'), 2)} | {num(pr.get('max_ms'), 1)} "
              f"| {pr.get('failures', '-')}/{pr.get('probes', '-')} "
              f"| {num(wrk.get('unloaded', {}).get('requests_per_s'), 0)} "
              f"| {num(wrk.get('loaded', {}).get('requests_per_s'), 0)} | {num(wrk.get('throughput_ratio'), 2)} "
              f"| {num(streams.get('sse_events_per_stream_per_s'), 2)} | {idle_close(hold)} | {slow_close(hold)} "
              f"| {num(srv.get('rss_mib_max'), 1)} | {num(srv.get('cpu_percent'), 1)} |")


if __name__ == "__main__":
    main(sys.argv[1:])
