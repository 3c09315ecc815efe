// Neighbour list on the device with the CPU list's semantics (host/neighbor): a full list per atom
// of every pair (j, image n) with |r_j + n·cell − r_i| < cutoff, periodic triclinic cells of any
// size (atoms are replicated into the images within `cutoff` of the cell, so cells shorter than
// the cutoff and self-images are exact), each atom's entries sorted by (j, image). Built for all
// systems of a batch at once:
//   1. wrap each atom into the cell (fractional), count and write its image points;
//   2. bin the points on a fractional grid whose bins are at least `cutoff` wide across each face
//      pair, sort them by bin (thrust::stable_sort_by_key), find bin starts (lower_bound);
//   3. per atom, scan the 27 surrounding bins: count, exclusive_scan, fill;
//   4. sort the entries by (atom, j, image) with two stable radix sorts;
//   5. the reverse index (pairs by neighbour, increasing pair index) for the force gather.
// Images are relative to the continuous (never wrapped) positions, so a pair keeps its (j, n) key
// between builds; with a Verlet skin the list is rebuilt only when an atom moved more than skin/2.
#pragma once

#include "backend.hpp"
#include "buffers.hpp"
#include "systems.hpp"

namespace superion::device::SUPERION_DEVICE_NS {

struct DeviceNeighborList {
  double cutoff = 0.0;
  long pairs = 0;
  dvec<int> offsets;      // A+1
  dvec<int> neighbors;    // P (global atom index)
  dvec<int> pair_atom;    // P (owning atom)
  dvec<int> images;       // 3P
  dvec<int> rev_offsets;  // A+1
  dvec<int> rev_pairs;    // P
  dvec<Vec3> reference;   // positions at the last build (skin check)
  long builds = 0;

  // Builds the list of all systems at cutoff `cutoff` from positions x (device, A atoms).
  // Non-finite positions set status[kPositionNotFinite] and leave the list empty (the caller
  // checks).
  void build(const DeviceSystems& sys, const dvec<Vec3>& x, double cutoff, int* status);
  // Sets status[kRebuild] when an atom moved more than `limit` from its reference position.
  void check_skin(const dvec<Vec3>& x, double limit, int* status) const;
};

}  // namespace superion::device::SUPERION_DEVICE_NS
