// Batched systems on the device: S systems (MD replicas, or the configurations of a data set) with
// A atoms in total. The atoms of system s are [begin[s], begin[s+1]) of every per-atom array;
// each system has its own periodic cell. One launch covers all atoms of all systems.
#pragma once

#include <vector>

#include "backend.hpp"
#include "buffers.hpp"
#include "core/vec3.hpp"

namespace superion::device::SUPERION_DEVICE_NS {

struct DeviceSystems {
  std::vector<long> begin_host;  // S+1
  std::vector<Mat3> cell_host, inv_host;
  dvec<int> atom_sys;  // per atom: its system
  dvec<int> local;     // per atom: index within its system (random-number stream index)
  dvec<long> begin;    // S+1
  dvec<Mat3> cell, inv_cell;

  int size() const { return static_cast<int>(cell_host.size()); }
  long atoms() const { return begin_host.empty() ? 0 : begin_host.back(); }
  long atoms(int s) const { return begin_host[s + 1] - begin_host[s]; }
  // Throws superion::Error for a singular cell.
  void setup(const std::vector<long>& begin, const std::vector<Mat3>& cells);
};

}  // namespace superion::device::SUPERION_DEVICE_NS
