#!/usr/bin/env python3
"""Per-kernel registers, spills, stack and the theoretical occupancy on an H100 (sm_90) from the
`nvcc -Xptxas -v` output of the CUDA build (SUPERION_PTXAS_VERBOSE=ON), for docs/gpu.md.

Usage: scripts/ptxas_occupancy.py BUILD_LOG [--block 128]
Occupancy model (sm_90): 65536 registers, 2048 threads, 32 blocks and 228 KiB shared memory per
SM; registers are allocated per warp in units of 256; at most 255 registers per thread.
"""
import re
import subprocess
import sys


def demangle(name):
    try:
        return subprocess.run(["c++filt", name], capture_output=True, text=True).stdout.strip()
    except OSError:
        return name


def occupancy(regs, smem, block):
    warps_per_block = (block + 31) // 32
    regs_per_warp = ((max(regs, 1) * 32 + 255) // 256) * 256
    by_regs = 65536 // (regs_per_warp * warps_per_block)
    by_threads = 2048 // block
    by_smem = (228 * 1024) // smem if smem > 0 else 32
    blocks = min(by_regs, by_threads, by_smem, 32)
    return blocks * block / 2048.0


def main():
    log = sys.argv[1]
    block = 128
    if "--block" in sys.argv:
        block = int(sys.argv[sys.argv.index("--block") + 1])
    kernels = {}
    current = None
    for line in open(log, errors="replace"):
        m = re.search(r"Compiling entry function '([^']+)' for 'sm_(\d+)'", line)
        if m:
            current = m.group(1)
            kernels[current] = {"regs": 0, "smem": 0, "stack": 0, "spill_st": 0, "spill_ld": 0}
            continue
        if current is None:
            continue
        m = re.search(r"(\d+) bytes stack frame, (\d+) bytes spill stores, (\d+) bytes spill loads", line)
        if m:
            kernels[current].update(stack=int(m.group(1)), spill_st=int(m.group(2)), spill_ld=int(m.group(3)))
        m = re.search(r"Used (\d+) registers(?:, used \d+ barriers)?(?:, (\d+) bytes smem)?", line)
        if m:
            kernels[current]["regs"] = int(m.group(1))
            kernels[current]["smem"] = int(m.group(2) or 0)
    print("| kernel (functor) | registers | stack B | spill st/ld B | smem B | occupancy (block %d) |" % block)
    print("|---|---|---|---|---|---|")
    rows = []
    for name, k in kernels.items():
        d = demangle(name)
        m = re.search(r"for_n_kernel<([^,]+?(?:<[^>]*>)?)>", d)
        label = m.group(1) if m else d[:80]
        label = re.sub(r"superion::device::cuda_backend::(\(anonymous namespace\)::)?", "", label)
        rows.append((label, k))
    for label, k in sorted(rows, key=lambda r: -r[1]["regs"]):
        print("| %s | %d | %d | %d/%d | %d | %.0f %% |" % (label[:70], k["regs"], k["stack"], k["spill_st"],
                                                         k["spill_ld"], k["smem"],
                                                         100 * occupancy(k["regs"], k["smem"], block)))


if __name__ == "__main__":
    main()
