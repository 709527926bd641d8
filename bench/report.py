#!/usr/bin/env python3
"""bench/report.py: merge the JSON files of one bench/run.sh run into
bench/results/latest.json (an array, one object per measurement), print one
table, and append a dated row to docs/benchmarks.md.

Every object has at least: bench, suite, payload, direction, flows, and its
figure (mpps, tps, p50_us/p99_us/p999_us, bytes_per_flow), plus bound_mpps
and ratio where a bound applies. bench/crypto's own rows (op/engine) are
mapped onto that shape here, so its JSON format stays as specified.
"""
import argparse
import datetime
import glob
import json
import os
import shutil
import sys

CM = "AES_CM_128_HMAC_SHA1_80"
GCM = "AEAD_AES_128_GCM"
# every suite, in the order of the tables (rows without data are left out)
ALL_SUITES = (CM, GCM, "AES_CM_128_HMAC_SHA1_32", "AEAD_AES_256_GCM",
              "AES_256_CM_HMAC_SHA1_80", "AES_256_CM_HMAC_SHA1_32")
DIRS = ("access-in", "core-in")


def load(work):
    rows = []
    for p in sorted(glob.glob(os.path.join(work, "*.json"))):
        base = os.path.basename(p)
        if "-try" in base:
            continue
        try:
            data = json.load(open(p))
        except (OSError, ValueError):
            continue
        if isinstance(data, dict):
            data = [data]
        if base.startswith("crypto-"):
            data = crypto_rows(data)
        rows.extend(data)
    for p in sorted(glob.glob(os.path.join(work, "machine-*.jsonl"))):
        for line in open(p):
            if line.strip():
                rows.append(json.loads(line))
    return rows


def crypto_rows(data):
    """imsagw-crypto-bench rows -> the common shape."""
    bound = {(r["suite"], r["payload"], r["op"]): r["mpps"]
             for r in data if r.get("engine") == "bound"}
    out = []
    for r in data:
        x = {"bench": "crypto", "suite": r["suite"], "payload": r["payload"],
             "direction": r["op"], "flows": r.get("sessions", 1), "engine": r["engine"],
             "mpps": r["mpps"]}
        b = bound.get((r["suite"], r["payload"], r["op"]))
        if r["engine"] != "bound" and b:
            x["bound_mpps"] = b
            x["ratio"] = r["mpps"] / b
        out.append(x)
    return out


def pick(rows, **kw):
    """The first row with every field of kw; rows of the compact GCM key
    layout (gcm_keys) only when kw asks for them."""
    for r in rows:
        if r.get("gcm_keys") != kw.get("gcm_keys"):
            continue
        if all(r.get(k) == v for k, v in kw.items()):
            return r
    return None


def scale_ratio(rows, s, d):
    """1M flows against 1k: the median of the alternating rounds (rows
    "scale", run.sh) when there are, else the table's two runs."""
    sr = pick(rows, bench="scale", suite=s, direction=d)
    if sr and sr.get("ratio") is not None:
        return sr["ratio"]
    pk = pick(rows, bench="pipeline", suite=s, direction=d, flows=1000)
    pm = pick(rows, bench="pipeline", suite=s, direction=d, flows=1000000)
    return pm["mpps"] / pk["mpps"] if pk and pm and pk["mpps"] > 0 else None


def f(v, fmt="%.2f", none="-"):
    return none if v is None else fmt % v


def table(rows, seconds, quick):
    out = []
    m0 = pick(rows, bench="machine")
    m1 = [r for r in rows if r.get("bench") == "machine"]
    load = " -> ".join(r.get("loadavg_start") or r.get("loadavg_end") or "?" for r in m1)
    out.append("imsagw benchmarks%s, %s" % (" (QUICK)" if quick else "",
               datetime.datetime.now().strftime("%Y-%m-%d %H:%M")))
    if m0:
        out.append("machine: %s, %s CPUs, kernel %s, DPDK %s; load average %s; %d s"
                   % (m0.get("cpu"), m0.get("cpus"), m0.get("kernel"), m0.get("dpdk"), load,
                      seconds))
    out.append("")
    out.append("Throughput, 160-byte payloads, M packets/s per worker core")
    hdr = "%-24s %-9s %9s %9s %9s %6s %10s %8s %8s %8s" % (
        "suite", "direction", "pipe 1fl", "pipe 1k", "bound", "ratio", "e2e memif",
        "p50 us", "p99 us", "p99.9 us")
    out.append(hdr)
    out.append("-" * len(hdr))
    for s in ALL_SUITES + ("RTP",):
        for d in DIRS:
            p1 = pick(rows, bench="pipeline", suite=s, direction=d, flows=1)
            pk = pick(rows, bench="pipeline", suite=s, direction=d, flows=1000)
            e = pick(rows, bench="e2e-memif", suite=s, direction=d)
            lat = pick(rows, bench="e2e-memif-lat50", suite=s, direction=d)
            if not (p1 or pk or e):
                continue
            out.append("%-24s %-9s %9s %9s %9s %6s %10s %8s %8s %8s" % (
                s, d, f(p1 and p1["mpps"], "%.3f"), f(pk and pk["mpps"], "%.3f"),
                f(pk and pk.get("bound_mpps"), "%.3f"), f(pk and pk.get("ratio")),
                f(e and e["mpps"], "%.3f"), f(lat and lat.get("p50_us"), "%.1f"),
                f(lat and lat.get("p99_us"), "%.1f"), f(lat and lat.get("p999_us"), "%.1f")))
    out.append("  pipe: in-process worker path, one core (1 flow / 1k flows); bound: raw "
               "cryptodev op, same size, same run; e2e memif: no-drop rate (loss < 0.1 %) "
               "through the real gateway, 1 worker core; latency at 50 % of it")
    out.append("")
    out.append("Flow scaling (pipeline, Mpps) and memory per flow")
    hdr = "%-24s %-9s %8s %8s %8s %8s %9s %12s" % (
        "suite", "direction", "1", "1k", "100k", "1M", "1M/1k", "bytes/flow")
    out.append(hdr)
    out.append("-" * len(hdr))
    for s in ALL_SUITES:
        for d in DIRS:
            v = {n: pick(rows, bench="pipeline", suite=s, direction=d, flows=n)
                 for n in (1, 1000, 100000, 1000000)}
            mem = mem_row(rows, s, d)
            if not any(v.values()):
                continue
            sc = scale_ratio(rows, s, d)
            out.append("%-24s %-9s %8s %8s %8s %8s %9s %12s" % (
                s, d, *(f(v[n] and v[n]["mpps"], "%.3f") for n in (1, 1000, 100000, 1000000)),
                f(sc), f(mem and mem["bytes_per_flow"], "%.0f") +
                ("" if not mem else " @%d" % mem["flows"])))
    if any(r.get("bench") == "scale" for r in rows):
        out.append("  1M/1k: median of 1k and 1M runs alternating, 3 rounds (rows scale)")
    out.append("")
    out.append("Rejection (pipeline, 1k flows, Mpps) vs goodput (access-in)")
    hdr = "%-24s %9s %9s %9s %9s %14s" % ("suite", "goodput", "forged", "replayed", "unknown",
                                         "forged/goodput")
    out.append(hdr)
    out.append("-" * len(hdr))
    for s in ALL_SUITES:
        g = pick(rows, bench="pipeline", suite=s, direction="access-in", flows=1000)
        fo = pick(rows, bench="rejection", suite=s, direction="forged", flows=1000)
        rp = pick(rows, bench="rejection", suite=s, direction="replayed", flows=1000)
        un = pick(rows, bench="rejection", suite=s, direction="unknown-flow", flows=1000)
        if not (g or fo):
            continue
        out.append("%-24s %9s %9s %9s %9s %14s" % (
            s, f(g and g["mpps"], "%.3f"), f(fo and fo["mpps"], "%.3f"),
            f(rp and rp["mpps"], "%.3f"), f(un and un["mpps"], "%.3f"),
            f(fo and g and fo["mpps"] / g["mpps"])))
    # the floor (bench/floor.sh): dpdk-testpmd io forward in the gateway's
    # place, one per transport (on SRTP the generator does the e2e's
    # crypto itself); an e2e is divided by the floor of its own suite
    def short(s):
        return s.split("_")[0] + "/" + s.split("_")[-1] if s != "RTP" else "RTP"
    for d in DIRS:
        ratios, floors = [], []
        for s in (CM, GCM, "RTP"):
            fl = pick(rows, bench="floor-memif", suite=s, direction=d)
            fll = pick(rows, bench="floor-memif-lat50", suite=s, direction=d)
            ga = pick(rows, bench="gen-alone", suite=s, direction=d)
            if fl or ga:
                floors.append("%s %s Mpps (p50/p99/p99.9 %s/%s/%s us; generator alone %s sent)" % (
                    short(s), f(fl and fl["mpps"], "%.3f"),
                    *(f(fll and fll.get(k), "%.0f") for k in ("p50_us", "p99_us", "p999_us")),
                    f(ga and ga.get("offered_mpps"), "%.3f")))
            e = pick(rows, bench="e2e-memif", suite=s, direction=d)
            el = pick(rows, bench="e2e-memif-lat50", suite=s, direction=d)
            if e and fl and fl["mpps"] > 0:
                ratios.append("%s %.2f (p50/p99/p99.9 %s/%s/%s us)" % (
                    short(s), e["mpps"] / fl["mpps"], *(f(el and el.get(k), "%.0f")
                                                        for k in ("p50_us", "p99_us", "p999_us"))))
        if floors:
            out.append("  e2e floor %s, testpmd io: %s" % (d, "; ".join(floors)))
            out.append("  e2e / floor %s: %s" % (d, ", ".join(ratios) or "-"))
    # the e2e figure attributed: TSC cycles a packet on the forwarding core,
    # I/O included, the gateway's workers (admin stats busy_cycles over the
    # flat out) against testpmd io on the same links (the memif I/O alone)
    ec = []
    for s in (CM, GCM, "RTP"):
        e = pick(rows, bench="e2e-cycles", suite=s)
        fc = pick(rows, bench="floor-cycles", suite="RTP")
        if e:
            ec.append("%s %.0f%s (busy %.0f %%, burst %.1f)" % (
                short(s), e["cycles_per_pkt"],
                " = io + %.0f" % (e["cycles_per_pkt"] - fc["cycles_per_pkt"]) if fc else "",
                100 * e["busy_share"], e["mean_burst"]))
    fc = pick(rows, bench="floor-cycles", suite="RTP")
    if fc or ec:
        out.append("  e2e cycles a packet, I/O included: testpmd io %s; gateway flat out %s" % (
            f(fc and fc["cycles_per_pkt"], "%.0f"), ", ".join(ec) or "-"))
    att = [r for r in rows if r.get("bench") == "e2e-memif-attack"]
    if att:
        out.append("  e2e attack mix (5 %% forged, replayed, unknown): %s" % ", ".join(
            "%s %s %.3f Mpps loss %.4f%%" % (r["suite"], r["direction"], r["mpps"],
                                             100 * r["loss"]) for r in att))
    out.append("")
    iq = [r for r in rows if r.get("bench") == "iq"]
    for r in iq:
        out.append("Iq: %.0f transactions/s (%s, window %d, Add p50 %.0f us p99 %.0f us, %d "
                   "errors)" % (r["tps"], "e2ae SRTP" if r["suite"] != "RTP" else "RTP",
                                r["window"], r["add_p50_us"], r["add_p99_us"], r["errors"]))
    st = [r for r in rows if r.get("bench") in ("iq-setup", "setup-admin")]
    if st:
        r = max(st, key=lambda r: r["flows"])
        out.append("call setup by imsagw-gen (one at a time): %.0f calls/s (%s)" % (
            r["calls_per_s"], r["bench"]))
    rt = [r for r in rows if r.get("bench") == "rtpengine"]
    for r in rt:
        im = pick(rows, bench="rtpengine-imsagw", flows=r["flows"])
        out.append("rtpengine %s (userspace, closed loop) %5d calls: %7.1f kpps, %6.1f kpps per "
                   "CPU-second | imsagw same calls: %s kpps on one worker core (x%s)" % (
                       r.get("version", ""), r["flows"], r["kpps"], r.get("kpps_per_core", 0),
                       f(im and im["kpps"], "%.1f"),
                       f(im and r.get("kpps_per_core") and im["kpps"] / r["kpps_per_core"],
                         "%.0f")))
    out.extend(pktgen_lines(rows))
    out.append("")
    out.append("Targets (issues 5 and 13; in-process, one core, 160 B):")
    for s in (CM, GCM):
        # issue 13: <= 1 KB a flow for AES-CM, 1.5 KB for GCM; GCM >= 10 Mpps
        mem_max = 1536 if s == GCM else 1024
        for d in DIRS:
            pk = pick(rows, bench="pipeline", suite=s, direction=d, flows=1000)
            mem = mem_row(rows, s, d)
            if not pk:
                continue
            want = 10 if s == GCM else 5
            marks = ["%s >= %d Mpps: %s" % (f(pk["mpps"], "%.2f"), want,
                                             "met" if pk["mpps"] >= want else "NOT met"),
                     "ratio %s >= 0.7: %s" % (f(pk.get("ratio")), "met"
                                              if (pk.get("ratio") or 0) >= 0.7 else "NOT met")]
            sc = scale_ratio(rows, s, d)
            if sc is not None:
                sr = pick(rows, bench="scale", suite=s, direction=d)
                marks.append("1M/1k %.2f%s >= 0.8: %s" % (
                    sc, " [%.2f-%.2f] of %d alternating rounds" % (
                        sr["ratio_min"], sr["ratio_max"], sr["rounds"])
                    if sr and sr.get("ratio") is not None else "",
                    "met" if sc >= 0.8 else "NOT met"))
            if mem:
                marks.append("%.0f B/flow <= %d: %s" % (
                    mem["bytes_per_flow"], mem_max,
                    "met" if mem["bytes_per_flow"] <= mem_max else "NOT met"))
            cm = mem_row(rows, s, d, compact=True)
            if cm:
                marks.append("compact GCM keys %.0f B/flow <= %d: %s" % (
                    cm["bytes_per_flow"], mem_max,
                    "met" if cm["bytes_per_flow"] <= mem_max else "NOT met"))
            # e2e over memif against the floor of its own suite (floor.sh)
            e = pick(rows, bench="e2e-memif", suite=s, direction=d)
            fl = pick(rows, bench="floor-memif", suite=s, direction=d)
            if e and fl and fl["mpps"] > 0:
                er = e["mpps"] / fl["mpps"]
                marks.append("e2e/floor %.2f >= 0.8: %s" % (er, "met" if er >= 0.8 else "NOT met"))
            if d == "access-in":
                fo = pick(rows, bench="rejection", suite=s, direction="forged", flows=1000)
                if fo:
                    marks.append("forged %.2f >= goodput: %s" % (
                        fo["mpps"], "met" if fo["mpps"] >= pk["mpps"] else "NOT met"))
            out.append("  %s %s: %s" % (s, d, "; ".join(marks)))
    cr = [r for r in rows if r.get("bench") == "crypto" and r.get("engine") != "bound"]
    if cr:
        out.append("")
        out.append("crypto only (bench/crypto, 160 B, one core): " + "; ".join(
            "%s %s %s x%d %.2f Mpps (%.2f of bound)" % (
                r["suite"].split("_")[0] + "/" + r["suite"].split("_")[-1], r["direction"],
                r["engine"], r["flows"], r["mpps"], r.get("ratio", 0))
            for r in cr if r["engine"] == "cryptodev"))
    return "\n".join(out), load


def mem_row(rows, suite, direction, compact=False):
    """The memory row of the most flows for suite and direction, with the
    default GCM key layout or (compact) crypto.gcm_keys = "compact"."""
    mem = [r for r in rows if r.get("bench") == "memory" and r.get("suite") == suite
           and r.get("direction") == direction
           and (r.get("gcm_keys") == "compact") == compact]
    return max(mem, key=lambda r: r["flows"]) if mem else None


def pktgen_lines(rows):
    """Pktgen-DPDK's steps (bench/pktgen/run.sh) beside imsagw-gen's e2e figure
    for the same suite and direction."""
    if pick(rows, bench="pktgen-skipped"):
        return ["pktgen: skipped (make bench PKTGEN=/path/to/pktgen; docs/pktgen.md)", ""]
    pg = [r for r in rows if r.get("bench") == "pktgen"]
    lat = pick(rows, bench="pktgen-latency")
    if not (pg or lat):
        return []
    out = ["pktgen over memif, core -> access, 160-byte payloads, 100 calls (Mpps)"]
    hdr = "%-14s %-24s %9s %9s %10s %7s %-11s %12s" % (
        "script", "suite", "want", "offered", "forwarded", "fw/off", "figure", "imsagw-gen")
    out.append(hdr)
    out.append("-" * len(hdr))
    for r in pg:
        e = pick(rows, bench="e2e-memif", suite=r["suite"], direction=r["direction"])
        want = r["want_pps"]
        out.append("%-14s %-24s %9s %9.3f %10.3f %7.4f %-11s %12s" % (
            r["script"], r["suite"], "max" if want == "max" else "%.3f" % (float(want) / 1e6),
            r["tx_mpps"], r["mpps"], r["rx"] / r["tx"] if r["tx"] else 0,
            "valid" if r["valid"] else "rates only", f(e and e["mpps"], "%.3f")))
    if lat:
        out.append("pktgen latency probes through a core-to-core relay beside %.3f Mpps: "
                   "%d probes, min %.1f us, avg %.1f us, max %.1f us" % (
                       lat["tx_mpps"], lat["probes"], lat["min_us"], lat["avg_us"],
                       lat["max_us"]))
    out.append("  offered: what pktgen sent (its per-second rate), forwarded: what came back on "
               "the access port; imsagw-gen: its no-drop core-in rate (both directions "
               "loaded); rates only: the looped pcap's replays (docs/pktgen.md)")
    out.append("")
    return out


def doc_row(rows, load, quick):
    def g(**kw):
        r = pick(rows, **kw)
        return r and r.get("mpps")

    m = pick(rows, bench="machine") or {}
    mem = [r for r in rows if r.get("bench") == "memory" and r.get("gcm_keys") is None]
    memv = max(mem, key=lambda r: r["flows"]) if mem else None
    iq = pick(rows, bench="iq", suite="RTP")
    cells = [
        datetime.date.today().isoformat() + (" (quick)" if quick else ""),
        "%s, %s CPUs, load %s" % ((m.get("cpu") or "?").replace("|", "/"), m.get("cpus"), load),
        "/".join(f(g(bench="pipeline", suite=CM, direction=d, flows=1000), "%.2f")
                 for d in DIRS),
        "/".join(f(g(bench="pipeline", suite=GCM, direction=d, flows=1000), "%.2f")
                 for d in DIRS),
        "/".join(f(g(bench="e2e-memif", suite=CM, direction=d), "%.3f") for d in DIRS),
        f(scale_ratio(rows, CM, "access-in")),
        f(memv and memv["bytes_per_flow"], "%.0f"),
        f(g(bench="rejection", suite=CM, direction="forged", flows=1000), "%.2f"),
        (f(iq and iq["tps"], "%.0f") +
         (" (%d errors)" % iq["errors"] if iq and iq.get("errors") else "")),
        f((pick(rows, bench="rtpengine") or {}).get("kpps"), "%.1f"),
    ]
    return "| " + " | ".join(cells) + " |\n"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--work", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--doc")
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--seconds", type=int, default=0)
    a = ap.parse_args()
    rows = load(a.work)
    text, load_s = table(rows, a.seconds, a.quick)
    print(text)
    os.makedirs(os.path.dirname(a.out), exist_ok=True)
    with open(a.out, "w") as fp:
        json.dump(rows, fp, indent=1)
    shutil.copy(a.out, os.path.join(os.path.dirname(a.out), datetime.datetime.now().strftime(
        "bench-%Y%m%d-%H%M%S.json")))
    if a.doc and os.path.exists(a.doc):
        with open(a.doc, "a") as fp:
            fp.write(doc_row(rows, load_s, a.quick))
    print("\nwritten: %s%s" % (a.out, (", row appended to " + a.doc) if a.doc else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main())
