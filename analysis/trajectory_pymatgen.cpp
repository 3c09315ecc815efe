// Reader for pymatgen's DiffusionAnalyzer.as_dict() JSON (structure + unwrapped displacements
// [site][step][3] in Å), so users can cross-check superion against pymatgen on the same data.
#include <map>
#include <nlohmann/json.hpp>

#include "core/elements.hpp"
#include "core/error.hpp"
#include "core/geometry.hpp"
#include "io/text_input.hpp"
#include "trajectory.hpp"

namespace superion::analysis {
namespace {

Vec3 vec3_of(const nlohmann::json& a) {
  return {a.at(0).get<double>(), a.at(1).get<double>(), a.at(2).get<double>()};
}

// Cartesian position of a site. pymatgen's own Structure.from_dict builds sites from the
// fractional `abc` and the lattice (and ignores `xyz`), so `abc` wins when present; files written
// by other tools may carry only `xyz`.
Vec3 site_position(const nlohmann::json& site, const Mat3& cell, const std::string& path) {
  if (site.contains("abc")) return to_cartesian(vec3_of(site.at("abc")), cell);
  if (site.contains("xyz")) return vec3_of(site.at("xyz"));
  throw InputError(path, 0,
                   "a site has neither 'abc' (fractional) nor 'xyz' (cartesian) coordinates");
}

}  // namespace

std::unique_ptr<TrajectoryReader> open_pymatgen_json(const std::string& path,
                                                     const TrajectoryOptions& options,
                                                     PymatgenAnalyzerInfo* info) {
  const std::string text = io::read_text_file(path);  // plain or .gz
  nlohmann::json j;
  try {
    j = nlohmann::json::parse(text);
  } catch (const std::exception& e) {
    throw InputError(path, 0, std::string("invalid JSON: ") + e.what());
  }
  if (!j.contains("structure") || !j.contains("displacements"))
    throw InputError(
        path, 0, "expected a pymatgen DiffusionAnalyzer JSON with 'structure' and 'displacements'");
  try {
    const auto& st = j.at("structure");
    Mat3 cell;
    const auto& m = st.at("lattice").at("matrix");
    for (int r = 0; r < 3; ++r)
      for (int c = 0; c < 3; ++c) cell[r][c] = m.at(r).at(c).get<double>();
    TrajectorySystem sys;
    std::vector<Vec3> initial;
    std::map<std::string, int> index;
    for (const auto& site : st.at("sites")) {
      const auto& sp = site.at("species");
      if (sp.size() != 1) throw InputError(path, 0, "disordered sites are not supported");
      const std::string el = sp.at(0).at("element").get<std::string>();
      if (!index.count(el)) {
        index[el] = static_cast<int>(sys.species_symbols.size());
        sys.species_symbols.push_back(el);
      }
      sys.types.push_back(index[el]);
      const Element* e = find_element(el);
      sys.masses.push_back(e ? e->mass : 0.0);
      initial.push_back(site_position(site, cell, path));
    }
    const auto& d = j.at("displacements");
    std::vector<std::vector<Vec3>> disp(d.size());
    for (std::size_t i = 0; i < d.size(); ++i) {
      disp[i].resize(d[i].size());
      for (std::size_t f = 0; f < d[i].size(); ++f)
        disp[i][f] = {d[i][f].at(0).get<double>(), d[i][f].at(1).get<double>(),
                      d[i][f].at(2).get<double>()};
    }
    PymatgenAnalyzerInfo local;
    local.temperature = j.value("temperature", 0.0);
    local.specie = j.value("specie", std::string());
    local.time_step_fs = j.value("time_step", 0.0);
    local.step_skip = j.value("step_skip", 1);
    local.min_obs = j.value("min_obs", 30);
    if (info) *info = local;
    sys.analyzer_specie = local.specie;
    double interval = options.frame_interval_ps;
    if (interval <= 0) interval = local.time_step_fs * local.step_skip * 1e-3;
    if (interval <= 0)
      throw InputError(path, 0, "no time_step/step_skip in JSON and no frame interval given");
    // NPT runs: pymatgen's from_dict takes `lattices` (one matrix per frame) when present.
    std::vector<Mat3> cells{cell};
    if (j.contains("lattices")) {
      cells.clear();
      for (const auto& l : j.at("lattices")) {
        Mat3 c;
        for (int r = 0; r < 3; ++r)
          for (int k = 0; k < 3; ++k) c[r][k] = l.at(r).at(k).get<double>();
        cells.push_back(c);
      }
    }
    return MemoryTrajectory::from_displacements(std::move(sys), std::move(cells), initial, disp,
                                                interval, path);
  } catch (const nlohmann::json::exception& e) {
    throw InputError(path, 0, std::string("unexpected DiffusionAnalyzer JSON layout: ") + e.what());
  }
}

}  // namespace superion::analysis
