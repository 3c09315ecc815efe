// Test helper: writes a trajectory as a pymatgen DiffusionAnalyzer.as_dict() JSON (structure with
// sites, displacements [site][frame][3] in Å from the first frame, specie, temperature, time_step
// in fs, step_skip), with the sites' coordinates as fractional `abc`, cartesian `xyz` or both, so
// readers and peers (pymatgen's own from_dict) see the same data.
#pragma once

#include <fstream>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "core/geometry.hpp"
#include "core/vec3.hpp"

namespace superion::testing {

enum class SiteCoords { kAbc, kXyz, kBoth };

struct AnalyzerJson {
  Mat3 cell;
  std::vector<std::string> symbols;          // per atom
  std::vector<std::vector<Vec3>> unwrapped;  // [frame][atom], cartesian Å
  std::string specie = "Na";
  double temperature = 600;
  double time_step_fs = 2;
  int step_skip = 10;
};

inline void write_analyzer_json(const std::string& path, const AnalyzerJson& a, SiteCoords how) {
  using nlohmann::json;
  json lattice;
  for (int r = 0; r < 3; ++r)
    lattice["matrix"].push_back({a.cell[r][0], a.cell[r][1], a.cell[r][2]});
  const Mat3 inv = inverse(a.cell);
  json sites = json::array();
  const auto& first = a.unwrapped.front();
  for (std::size_t i = 0; i < first.size(); ++i) {
    json site{{"species", {{{"element", a.symbols[i]}, {"occu", 1}}}}, {"label", a.symbols[i]}};
    const Vec3 f = to_fractional(first[i], inv);
    if (how != SiteCoords::kXyz) site["abc"] = {f.x, f.y, f.z};
    if (how != SiteCoords::kAbc) site["xyz"] = {first[i].x, first[i].y, first[i].z};
    sites.push_back(site);
  }
  json disp = json::array();
  for (std::size_t i = 0; i < first.size(); ++i) {
    json row = json::array();
    for (const auto& frame : a.unwrapped) {
      const Vec3 d = frame[i] - first[i];
      row.push_back({d.x, d.y, d.z});
    }
    disp.push_back(row);
  }
  json j{{"@module", "pymatgen.analysis.diffusion.analyzer"},
         {"@class", "DiffusionAnalyzer"},
         {"structure",
          {{"@module", "pymatgen.core.structure"},
           {"@class", "Structure"},
           {"charge", 0},
           {"lattice", lattice},
           {"properties", json::object()},
           {"sites", sites}}},
         {"displacements", disp},
         {"specie", a.specie},
         {"temperature", a.temperature},
         {"time_step", a.time_step_fs},
         {"step_skip", a.step_skip},
         {"min_obs", 30},
         {"smoothed", "max"},
         {"avg_nsteps", 1000}};
  std::ofstream(path) << j.dump();
}

}  // namespace superion::testing
