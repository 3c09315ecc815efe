// FrameSeries / SeriesBuilder: frame checks, unwrapping and finite-difference velocities.
#include "mechanism/series.hpp"

#include <cmath>

#include "core/error.hpp"
#include "core/geometry.hpp"
#include "core/progress.hpp"

namespace superion::mechanism {

int FrameSeries::species_index(const std::string& symbol) const {
  std::string have;
  for (std::size_t k = 0; k < symbols.size(); ++k) {
    if (symbols[k] == symbol) return static_cast<int>(k);
    have += (k ? ", " : "") + symbols[k];
  }
  throw InputError(
      source, 0,
      "species '" + symbol + "' is not in the trajectory (species present: " + have + ")");
}

std::vector<int> FrameSeries::atoms_of(const std::string& symbol) const {
  const int k = species_index(symbol);
  std::vector<int> out;
  for (std::size_t i = 0; i < types.size(); ++i)
    if (types[i] == k) out.push_back(static_cast<int>(i));
  if (out.empty())
    throw InputError(source, 0, "no atom of species '" + symbol + "' in the trajectory");
  return out;
}

std::vector<int> FrameSeries::atoms_not_of(const std::string& symbol) const {
  std::vector<int> out;
  for (std::size_t i = 0; i < types.size(); ++i)
    if (types[i] < 0 || types[i] >= static_cast<int>(symbols.size()) || symbols[types[i]] != symbol)
      out.push_back(static_cast<int>(i));
  return out;
}

void FrameSeries::require_frames(std::size_t min_frames, const std::string& what) const {
  if (n_frames() < min_frames)
    throw InputError(source, 0,
                     what + " needs at least " + std::to_string(min_frames) +
                         " frames, the trajectory has " + std::to_string(n_frames()));
  if (!(dt_ps > 0.0))
    throw InputError(source, 0, what + " needs a positive frame interval (--dt in ps)");
}

std::vector<Vec3> FrameSeries::velocities_at(std::size_t t) const {
  if (has_velocities()) return velocities[t];
  require_frames(2, "finite-difference velocities");
  const std::size_t T = n_frames();
  const std::size_t a = t == 0 ? 0 : t - 1, b = t + 1 >= T ? T - 1 : t + 1;
  const double inv = 1.0 / (static_cast<double>(b - a) * dt_ps);
  std::vector<Vec3> v(n_atoms());
  for (std::size_t i = 0; i < v.size(); ++i) v[i] = (unwrapped[b][i] - unwrapped[a][i]) * inv;
  return v;
}

SeriesBuilder::SeriesBuilder(std::string source, double dt_ps, std::vector<int> types,
                             std::vector<std::string> symbols, std::vector<double> masses) {
  s_.source = std::move(source);
  s_.dt_ps = dt_ps;
  s_.types = std::move(types);
  s_.symbols = std::move(symbols);
  s_.masses = std::move(masses);
  for (int t : s_.types)
    if (t < 0 || t >= static_cast<int>(s_.symbols.size()))
      throw InputError(s_.source, 0, "atom type " + std::to_string(t) + " has no species symbol");
}

void SeriesBuilder::add(const Mat3& cell, const std::vector<Vec3>& positions_in,
                        const std::vector<Vec3>& velocities, const std::vector<Vec3>& unwrapped) {
  const std::size_t f = s_.n_frames();
  const std::string where = "frame " + std::to_string(f) + ": ";
  const auto& positions = positions_in;
  if (positions.size() != s_.n_atoms())
    throw InputError(s_.source, 0,
                     where + "has " + std::to_string(positions.size()) + " atoms, expected " +
                         std::to_string(s_.n_atoms()) +
                         " (the mechanism analyses need a fixed atom count)");
  const double v = det(cell);
  if (!std::isfinite(v) || std::fabs(v) < 1e-9)
    throw InputError(s_.source, 0, where + "degenerate or non-finite cell");
  for (const Vec3& p : positions)
    if (!std::isfinite(p.x) || !std::isfinite(p.y) || !std::isfinite(p.z))
      throw InputError(s_.source, 0, where + "non-finite position");
  if (f > 0 && velocities.empty() != s_.velocities.empty())
    throw InputError(s_.source, 0, where + "velocities are present in some frames only");
  if (!velocities.empty() && velocities.size() != positions.size())
    throw InputError(s_.source, 0, where + "velocity count differs from atom count");
  if (!unwrapped.empty() && unwrapped.size() != positions_in.size())
    throw InputError(s_.source, 0, where + "unwrapped position count differs from atom count");
  std::vector<Vec3> wrapped_pos = positions_in;
  std::vector<Vec3> un(positions.size());
  if (!unwrapped.empty()) {
    const Mat3 inv = inverse(cell);
    const bool pbc[3] = {true, true, true};
    for (std::size_t i = 0; i < positions.size(); ++i) {
      un[i] = unwrapped[i];
      wrapped_pos[i] = to_cartesian(wrap_fractional(to_fractional(unwrapped[i], inv), pbc), cell);
    }
  } else if (f == 0) {
    un = positions;
  } else {
    const Mat3 inv = inverse(cell);
    const bool pbc[3] = {true, true, true};
    const auto& prev_w = s_.wrapped.back();
    const auto& prev_u = s_.unwrapped.back();
    for (std::size_t i = 0; i < positions.size(); ++i)
      un[i] = prev_u[i] + minimum_image(positions[i] - prev_w[i], cell, inv, pbc);
  }
  s_.cells.push_back(cell);
  s_.wrapped.push_back(std::move(wrapped_pos));
  s_.unwrapped.push_back(std::move(un));
  if (!velocities.empty()) s_.velocities.push_back(velocities);
}

FrameSeries load_series(analysis::TrajectoryReader& reader, double frame_interval_ps, int stride) {
  if (stride < 1) throw InputError(reader.source(), 0, "frame stride must be >= 1");
  const auto& sys = reader.system();
  std::vector<double> masses = sys.masses;
  SeriesBuilder b(reader.source(), frame_interval_ps, sys.types, sys.species_symbols, masses);
  analysis::Frame fr;
  std::vector<double> times;
  std::vector<Vec3> un;
  long index = 0;
  Progress::Options po;
  po.delay_s = 2.0;  // quiet for short trajectories
  Progress progress(stderr, "reading " + reader.source(), static_cast<double>(reader.frame_count()),
                    po);
  while (reader.next(fr)) {
    progress.update(static_cast<double>(index));
    if (index++ % stride != 0) continue;
    un.clear();
    if (sys.positions_unwrapped) {
      un = fr.positions;
    } else if (!fr.images.empty()) {
      if (fr.images.size() != fr.positions.size())
        throw InputError(reader.source(), 0, "image flag count differs from atom count");
      un.resize(fr.positions.size());
      for (std::size_t i = 0; i < un.size(); ++i) {
        const auto& n = fr.images[i];
        un[i] =
            fr.positions[i] + to_cartesian(Vec3{double(n[0]), double(n[1]), double(n[2])}, fr.cell);
      }
    }
    b.add(fr.cell, fr.positions, fr.velocities, un);
    times.push_back(fr.time_ps);
  }
  progress.finish({}, static_cast<double>(index));
  FrameSeries s = b.take();
  s.analyzer_specie = sys.analyzer_specie;
  if (!(frame_interval_ps > 0.0) && times.size() >= 2) {
    const double dt = times[1] - times[0];
    for (std::size_t k = 2; k < times.size(); ++k)
      if (std::fabs(times[k] - times[k - 1] - dt) > 1e-6 * std::fabs(dt))
        throw InputError(reader.source(), 0,
                         "frame times are not evenly spaced (frame " + std::to_string(k) +
                             "); the mechanism analyses need a uniform frame interval");
    s.dt_ps = dt;
  }
  if (s.n_frames() == 0) throw InputError(reader.source(), 0, "the trajectory has no frames");
  return s;
}

}  // namespace superion::mechanism
