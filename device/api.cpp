// The device backend's entry points (api.hpp) for this build: batched MTP evaluation, the MD engine
// factory (md_engine.cpp) and device discovery.
#include "api.hpp"

#include <algorithm>
#include <string>

#include "buffers.hpp"
#include "core/error.hpp"
#include "launch.hpp"
#include "mtp_device.hpp"
#include "neighbor_list.hpp"
#include "status.hpp"
#include "systems.hpp"

namespace superion::device::SUPERION_DEVICE_NS {

std::unique_ptr<MdEngine> make_md_engine(const MdEngineConfig& config,
                                         const std::vector<MdSystemInput>& systems);

std::vector<MtpPrediction> evaluate(const Mtp& model, const std::vector<Structure>& structures,
                                    const std::optional<TypeWalls>& walls) {
  std::vector<MtpPrediction> out(structures.size());
  if (structures.empty()) return out;
  const DeviceMtpModel m(model, walls);
  std::vector<long> begin{0};
  std::vector<Mat3> cells;
  std::vector<Vec3> x;
  std::vector<int> types;
  for (std::size_t c = 0; c < structures.size(); ++c) {
    const Structure& s = structures[c];
    s.validate();
    if (!s.periodic() || !(s.pbc[0] && s.pbc[1] && s.pbc[2]))
      throw Error("the device backend needs 3-D periodic structures (configuration " +
                  std::to_string(c + 1) + ")");
    if (s.types.size() != s.size()) throw Error("structure has no species type per atom");
    for (std::size_t i = 0; i < s.size(); ++i)
      if (s.types[i] < 0 || s.types[i] >= m.species())
        throw Error("configuration " + std::to_string(c + 1) + ", atom " + std::to_string(i + 1) +
                    ": species type " + std::to_string(s.types[i]) + " but the MTP has " +
                    std::to_string(m.species()) + " species");
    begin.push_back(begin.back() + static_cast<long>(s.size()));
    cells.push_back(s.cell);
    x.insert(x.end(), s.positions.begin(), s.positions.end());
    types.insert(types.end(), s.types.begin(), s.types.end());
  }
  DeviceSystems sys;
  sys.setup(begin, cells);
  dvec<Vec3> dx, forces;
  dvec<int> dt;
  upload(dx, x);
  upload(dt, types);
  std::vector<int> st0(kStatusWords);
  for (int w = 0; w < kStatusWords; ++w) st0[static_cast<std::size_t>(w)] = status_initial(w);
  dvec<int> status;
  upload(status, st0);
  DeviceNeighborList nl;
  nl.build(sys, dx, m.range(), raw(status));
  if (download(status)[kPositionNotFinite] != status_initial(kPositionNotFinite))
    throw Error("an atom position is not finite");
  MtpResults r;
  prepare_mtp_results(m, sys, r);
  evaluate_mtp(m, sys, nl, dx, dt, r, forces, raw(status));
  const std::vector<double> e = download(r.energy), w = download(r.virial), site = download(r.site),
                            wall = download(r.wall_energy), viol = download(r.max_violation),
                            av = download(r.atom_virial);
  const std::vector<Vec3> f = download(forces);
  for (std::size_t c = 0; c < structures.size(); ++c) {
    MtpPrediction& p = out[c];
    const auto b = static_cast<std::size_t>(begin[c]), n = structures[c].size();
    p.energy = e[c];
    for (int a = 0; a < 3; ++a)
      for (int k = 0; k < 3; ++k) p.virial[a][k] = w[9 * c + 3 * a + k];
    p.forces.assign(f.begin() + static_cast<long>(b), f.begin() + static_cast<long>(b + n));
    p.site_energies.assign(site.begin() + static_cast<long>(b),
                           site.begin() + static_cast<long>(b + n));
    p.atom_virials.assign(av.begin() + static_cast<long>(9 * b),
                          av.begin() + static_cast<long>(9 * (b + n)));
    p.wall_energy = walls ? wall[c] : 0.0;
    p.max_wall_violation = walls ? viol[c] : 0.0;
  }
  return out;
}

int device_count() {
  return runtime_device_count();
}
std::string device_name() {
  return runtime_device_name();
}

}  // namespace superion::device::SUPERION_DEVICE_NS
