// `superion bench md`: times NVE steps of the CPU MTP backend on a (super)cell and prints
// atom*step/s, µs per atom and step, neighbour-list builds and the peak resident memory.
#pragma once

#include "md_run.hpp"

namespace superion::md {

struct MdBenchResult {
  std::size_t n_atoms = 0;
  std::int64_t steps = 0;
  double seconds = 0, atom_steps_per_second = 0;
  long peak_rss_kb = 0;
};

MdBenchResult run_md_bench(const MdRunOptions& options);

// Peak resident set size of this process so far (getrusage), kB.
long peak_rss_kb();

}  // namespace superion::md
