// DeviceSystems::setup: per-atom system indices and the cells on the device.
#include "systems.hpp"

#include <cmath>

#include "core/error.hpp"

namespace superion::device::SUPERION_DEVICE_NS {

void DeviceSystems::setup(const std::vector<long>& b, const std::vector<Mat3>& cells) {
  if (b.size() != cells.size() + 1) throw Error("device systems: offsets and cells disagree");
  begin_host = b;
  cell_host = cells;
  inv_host.clear();
  for (const Mat3& c : cells) {
    if (!(std::fabs(det(c)) > 1e-12)) throw Error("device systems: singular cell");
    inv_host.push_back(inverse(c));
  }
  std::vector<int> sys(static_cast<std::size_t>(atoms())), loc(sys.size());
  for (std::size_t s = 0; s < cells.size(); ++s)
    for (long g = b[s]; g < b[s + 1]; ++g) {
      sys[static_cast<std::size_t>(g)] = static_cast<int>(s);
      loc[static_cast<std::size_t>(g)] = static_cast<int>(g - b[s]);
    }
  upload(atom_sys, sys);
  upload(local, loc);
  upload(begin, b);
  upload(cell, cell_host);
  upload(inv_cell, inv_host);
}

}  // namespace superion::device::SUPERION_DEVICE_NS
