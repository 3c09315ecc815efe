// `superion bench md`: times NVE steps of an MTP on a (super)cell with the CPU engine or a device
// (--device, --replicas copies advanced together) and prints atom*step/s, ns/day, µs per atom and
// step, neighbour-list builds and the memory (peak resident memory on the CPU; counted device
// memory per atom on a device). --json writes the numbers for bench/results (scripts/gpu-check.sh).
#pragma once

#include <string>

#include "md_run.hpp"

namespace superion::md {

struct MdBenchResult {
  std::size_t n_atoms = 0;  // per replica
  int replicas = 1;
  std::int64_t steps = 0;
  double seconds = 0, atom_steps_per_second = 0, ns_per_day = 0;
  long peak_rss_kb = 0;
  double bytes_per_atom = 0;  // device memory (peak, counted) per atom; 0 on the CPU engine
  std::string device, backend;
  int level = 0;
};

MdBenchResult run_md_bench(const MdRunOptions& options, const std::string& json_path = "");

// Peak resident set size of this process so far (getrusage), kB.
long peak_rss_kb();

}  // namespace superion::md
