// TrajectorySystem helpers, the in-memory reader and format dispatch for open_trajectory.
#include "trajectory.hpp"

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <numeric>

#include "core/error.hpp"
#include "io/text_input.hpp"

namespace superion::analysis {

std::vector<std::size_t> TrajectorySystem::indices_of(const std::string& symbol) const {
  std::vector<std::size_t> out;
  for (std::size_t i = 0; i < types.size(); ++i) {
    const int t = types[i];
    if (t >= 0 && t < static_cast<int>(species_symbols.size()) && species_symbols[t] == symbol)
      out.push_back(i);
  }
  return out;
}

std::string reduced_formula(const std::vector<int>& types,
                            const std::vector<std::string>& symbols) {
  std::vector<long> count(symbols.size(), 0);
  for (int t : types)
    if (t >= 0 && t < static_cast<int>(count.size())) ++count[static_cast<std::size_t>(t)];
  long g = 0;
  for (long c : count) g = std::gcd(g, c);
  if (g == 0) return {};
  std::string f;
  for (std::size_t k = 0; k < count.size(); ++k) {
    if (count[k] == 0) continue;
    f += symbols[k];
    if (count[k] / g != 1) f += std::to_string(count[k] / g);
  }
  return f;
}

MemoryTrajectory::MemoryTrajectory(TrajectorySystem system, std::vector<Mat3> cells,
                                   std::vector<double> times_ps,
                                   std::vector<std::vector<Vec3>> positions, std::string name)
    : system_(std::move(system)),
      cells_(std::move(cells)),
      times_(std::move(times_ps)),
      positions_(std::move(positions)),
      name_(std::move(name)) {
  if (cells_.size() != 1 && cells_.size() != positions_.size())
    throw InputError(name_, 0, "need one cell or one cell per frame");
  if (times_.size() != positions_.size()) throw InputError(name_, 0, "need one time per frame");
  for (std::size_t f = 0; f < positions_.size(); ++f) {
    if (positions_[f].size() != system_.size())
      throw InputError(name_, 0,
                       "frame " + std::to_string(f) + " has " +
                           std::to_string(positions_[f].size()) + " atoms, expected " +
                           std::to_string(system_.size()));
    if (f > 0 && !(times_[f] > times_[f - 1]))
      throw InputError(name_, 0, "time is not strictly increasing at frame " + std::to_string(f));
  }
}

std::unique_ptr<MemoryTrajectory> MemoryTrajectory::from_displacements(
    TrajectorySystem system, std::vector<Mat3> cells, const std::vector<Vec3>& initial,
    const std::vector<std::vector<Vec3>>& displacements, double frame_interval_ps,
    std::string name) {
  if (displacements.size() != initial.size())
    throw InputError(name, 0,
                     "displacements have " + std::to_string(displacements.size()) +
                         " atoms, structure has " + std::to_string(initial.size()));
  const std::size_t nf = displacements.empty() ? 0 : displacements[0].size();
  std::vector<std::vector<Vec3>> pos(nf, std::vector<Vec3>(initial.size()));
  for (std::size_t i = 0; i < initial.size(); ++i) {
    if (displacements[i].size() != nf)
      throw InputError(name, 0,
                       "atom " + std::to_string(i) + " has " +
                           std::to_string(displacements[i].size()) + " frames, expected " +
                           std::to_string(nf));
    for (std::size_t f = 0; f < nf; ++f) pos[f][i] = initial[i] + displacements[i][f];
  }
  if (cells.size() != 1 && cells.size() != nf)
    throw InputError(name, 0,
                     std::to_string(cells.size()) + " lattices for " + std::to_string(nf) +
                         " frames (expected one, or one per frame)");
  std::vector<double> times(nf);
  for (std::size_t f = 0; f < nf; ++f) times[f] = static_cast<double>(f) * frame_interval_ps;
  system.positions_unwrapped = true;
  return std::make_unique<MemoryTrajectory>(std::move(system), std::move(cells), std::move(times),
                                            std::move(pos), std::move(name));
}

bool MemoryTrajectory::next(Frame& frame) {
  if (cursor_ >= positions_.size()) return false;
  frame.step = static_cast<long>(cursor_);
  frame.time_ps = times_[cursor_];
  frame.cell = cells_.size() == 1 ? cells_[0] : cells_[cursor_];
  frame.positions = positions_[cursor_];
  frame.velocities.clear();
  frame.images.clear();
  ++cursor_;
  return true;
}

namespace {
std::string lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}
}  // namespace

std::unique_ptr<TrajectoryReader> open_trajectory(const std::string& path,
                                                  const TrajectoryOptions& options) {
  std::string fmt = lower(options.format);
  if (!std::filesystem::exists(path)) throw InputError(path, 0, "file not found");
  if (fmt == "auto") {
    // A trailing ".gz" only says the file is compressed (the text readers decompress it).
    const std::string name =
        lower(io::strip_gz_suffix(std::filesystem::path(path).filename().string()));
    const std::string ext = lower(std::filesystem::path(name).extension().string());
    if (ext == ".xyz" || ext == ".extxyz")
      fmt = "extxyz";
    else if (name.rfind("xdatcar", 0) == 0 || ext == ".xdatcar")
      fmt = "xdatcar";
    else if (ext == ".dump" || ext == ".lammpstrj" || name.find("dump") != std::string::npos)
      fmt = "lammps-dump";
    else if (ext == ".h5" || ext == ".h5md" || ext == ".hdf5")
      fmt = "h5md";
    else if (ext == ".json")
      fmt = "pymatgen-json";
    else
      throw InputError(path, 0,
                       "cannot tell the trajectory format from the name; pass --format "
                       "extxyz|xdatcar|lammps-dump|h5md|pymatgen-json");
  }
  if (fmt == "extxyz" || fmt == "xyz") return open_extxyz_trajectory(path, options);
  if (fmt == "xdatcar") return open_xdatcar(path, options);
  if (fmt == "lammps-dump" || fmt == "dump" || fmt == "lammpstrj")
    return open_lammps_dump(path, options);
  if (fmt == "h5md") {
    if (io::is_gzip_file(path))
      throw InputError(path, 0, "gzip-compressed H5MD cannot be read directly: gunzip it first");
    return open_h5md(path, options);
  }
  if (fmt == "pymatgen-json" || fmt == "json") return open_pymatgen_json(path, options);
  throw InputError(path, 0, "unknown trajectory format '" + options.format + "'");
}

}  // namespace superion::analysis
