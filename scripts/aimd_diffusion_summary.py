#!/usr/bin/python3
"""Summary of scripts/aimd-diffusion-check.sh: compares the AIMD Na diffusion coefficient at each
temperature with MTP-MD.

Reads OUT/diffusion/<run>_aimd.json, <run>_mtp_r<k>.json (replicas as long as the AIMD run) and
<run>_mtp_long.json (`superion analyze diffusion --json`), OUT/test_errors.json, and writes
OUT/comparison.json plus a table on stdout.

The uncertainty of the AIMD value is taken from the MTP-MD replicas: the sample standard deviation
s of D over independent runs of exactly the AIMD's length and protocol is the sampling spread of one
such run (a vacancy-hop process has few events per picosecond, so the per-ion error of a single
run underestimates it). Agreement criterion per temperature: |D_AIMD - mean_replicas| <= 2 s
(two-sided ~95 % if D of a run is roughly normal), and the AIMD value's percentile among the
replicas is reported so a skewed distribution can be judged. The long MTP run gives the converged
MTP value with its own (per-ion) error.
Only the standard library is used.
"""
import glob
import json
import math
import os
import re
import sys


def load(path):
    with open(path) as f:
        return json.load(f)


def wall_stats(mddir, run):
    """Largest domain-wall energy (eV) and violation (A) over the MTP-MD runs of `run`, from the
    'domain wall:' lines of `superion md` in OUT/md/<run>_{short,long}.log."""
    res = {}
    for kind in ("short", "long"):
        path = os.path.join(mddir, f"{run}_{kind}.log")
        if not os.path.exists(path):
            continue
        e, v = [], []
        for line in open(path):
            m = re.match(r"domain wall: largest energy (\S+) eV, largest violation (\S+) A", line)
            if m:
                e.append(float(m.group(1)))
                v.append(float(m.group(2)))
        if e:
            res[kind] = {"runs": len(e), "max_energy_eV": max(e), "max_violation_A": max(v),
                         "median_energy_eV": sorted(e)[len(e) // 2]}
    return res


def compare_rdfs(aimd, mtp):
    """Per pair: relative L1 difference sum|g_MTP - g_AIMD| / sum g_AIMD over the common bins and
    the first-peak positions (A) of both."""
    out = {}
    r = aimd["r"]
    for pair, ga in aimd["g"].items():
        gm = mtp["g"].get(pair)
        if gm is None or len(gm) != len(ga):
            continue
        norm = sum(ga)
        l1 = sum(abs(a - b) for a, b in zip(ga, gm)) / norm if norm > 0 else float("nan")
        out[pair] = {"rel_L1": l1, "peak_aimd_A": r[max(range(len(ga)), key=ga.__getitem__)],
                     "peak_mtp_A": r[max(range(len(gm)), key=gm.__getitem__)]}
    return out


def main():
    out = sys.argv[1]
    ddir = os.path.join(out, "diffusion")
    runs = sorted({re.sub(r"_aimd\.json$", "", os.path.basename(p))
                   for p in glob.glob(os.path.join(ddir, "*_aimd.json"))})
    if not runs:
        sys.exit(f"error: no *_aimd.json in {ddir}")
    result = {"runs": [], "all_agree": True}
    errors_path = os.path.join(out, "test_errors.json")
    if os.path.exists(errors_path):
        result["test_errors"] = load(errors_path)
    print(f"{'run':34s} {'T/K':>6s} {'D_AIMD':>10s} {'+-(ion)':>9s} {'D_MTP(N)':>10s} "
          f"{'s(N)':>9s} {'z':>6s} {'pct':>5s} {'D_MTP long':>11s} {'+-':>9s}  (cm^2/s)")
    for run in runs:
        aimd = load(os.path.join(ddir, f"{run}_aimd.json"))
        reps = [load(p)["D_cm2_s"] for p in sorted(glob.glob(os.path.join(ddir, f"{run}_mtp_r*.json")))]
        if len(reps) < 2:
            sys.exit(f"error: {run}: fewer than 2 MTP-MD replicas")
        long_path = os.path.join(ddir, f"{run}_mtp_long.json")
        long = load(long_path) if os.path.exists(long_path) else None
        n = len(reps)
        mean = sum(reps) / n
        sd = math.sqrt(sum((d - mean) ** 2 for d in reps) / (n - 1))
        d_aimd = aimd["D_cm2_s"]
        z = (d_aimd - mean) / math.hypot(sd, sd / math.sqrt(n)) if sd > 0 else float("inf")
        pct = 100.0 * sum(1 for d in reps if d < d_aimd) / n
        agree = abs(z) <= 2.0
        result["all_agree"] = result["all_agree"] and agree
        T = aimd.get("temperature_K")
        row = {
            "run": run, "temperature_K": T,
            "aimd_D_cm2_s": d_aimd, "aimd_D_err_cm2_s": aimd.get("D_err_cm2_s"),
            "aimd_sigma_mS_cm": aimd.get("sigma_mS_cm"),
            "aimd_analysed_ps": aimd["last_frame_time_ps"] - aimd["first_frame_time_ps"],
            "mtp_replicas": n, "mtp_replica_D_mean_cm2_s": mean, "mtp_replica_D_sd_cm2_s": sd,
            "mtp_replica_D_cm2_s": reps, "z": z, "aimd_percentile_among_replicas": pct,
            "agree_within_2sd": agree,
        }
        if long is not None:
            row["mtp_long_D_cm2_s"] = long["D_cm2_s"]
            row["mtp_long_D_err_cm2_s"] = long.get("D_err_cm2_s")
        walls = wall_stats(os.path.join(out, "md"), run)
        if walls:
            row["mtp_md_domain_wall"] = walls
        rdf_a = os.path.join(ddir, f"{run}_aimd_rdf.json")
        rdf_m = os.path.join(ddir, f"{run}_mtp_long_rdf.json")
        if os.path.exists(rdf_a) and os.path.exists(rdf_m):
            row["rdf"] = compare_rdfs(load(rdf_a), load(rdf_m))
        result["runs"].append(row)
        lt = f"{long['D_cm2_s']:11.3e} {long.get('D_err_cm2_s') or 0:9.2e}" if long else ""
        print(f"{run:34s} {T:6.0f} {d_aimd:10.3e} {aimd.get('D_err_cm2_s') or 0:9.2e} {mean:10.3e} "
              f"{sd:9.2e} {z:6.2f} {pct:5.0f} {lt}")
    for row in result["runs"]:
        for kind, w in row.get("mtp_md_domain_wall", {}).items():
            print(f"{row['run']}: domain wall in the {w['runs']} {kind} MTP-MD run(s): largest "
                  f"energy {w['max_energy_eV']:.3g} eV (median {w['median_energy_eV']:.3g}), "
                  f"largest violation {w['max_violation_A']:.3f} A")
        if "rdf" in row:
            print(f"{row['run']}: RDF MTP vs AIMD, relative L1 (first peak AIMD/MTP, A): " +
                  ", ".join(f"{p} {v['rel_L1']:.3f} ({v['peak_aimd_A']:.2f}/{v['peak_mtp_A']:.2f})"
                            for p, v in row["rdf"].items()))
    print("all temperatures agree within 2 s:", result["all_agree"])
    tmp = os.path.join(out, "comparison.json.tmp")
    with open(tmp, "w") as f:
        json.dump(result, f, indent=1)
    os.replace(tmp, os.path.join(out, "comparison.json"))


if __name__ == "__main__":
    main()
