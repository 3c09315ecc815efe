// The bundled reference of `superion demo`; see demo_reference.hpp.
#include "demo_reference.hpp"

#include <algorithm>
#include <cmath>
#include <fstream>
#include <limits>
#include <nlohmann/json.hpp>
#include <regex>

#include "core/error.hpp"
#include "io/formats.hpp"

namespace superion::demo {
namespace fs = std::filesystem;

std::vector<std::string> compound_species(const std::string& compound) {
  if (compound == "Na3ClSO4") return {"Na", "Cl", "S", "O"};
  if (compound == "Na3BrSO4") return {"Na", "Br", "S", "O"};
  if (compound == "Na3BrSeO4") return {"Na", "Br", "Se", "O"};
  throw InputError("--compound", 0,
                   "unknown compound '" + compound + "' (Na3ClSO4, Na3BrSO4 or Na3BrSeO4)");
}

double Reference::lattice_at(double T) const {
  double a = 0;
  for (double c : a_poly) a = a * T + c;
  return a;
}

Reference load_reference(const fs::path& dir, const std::string& compound) {
  Reference r;
  r.compound = compound;
  r.dir = dir;
  r.species = compound_species(compound);
  if (!fs::is_directory(dir))
    throw InputError(dir.string(), 0,
                     "reference folder not found (the committed data/reference/" + compound +
                         "-chgnet of this repository, made by scripts/teacher/"
                         "make-teacher-data.sh; or give --data DIR)");
  for (const auto& e : fs::directory_iterator(dir / "train")) {
    const std::string name = e.path().filename().string();
    if (e.is_regular_file() && (name.size() > 7 && (name.rfind(".xyz.gz") == name.size() - 7 ||
                                                    name.rfind(".xyz") == name.size() - 4)))
      r.train_files.push_back(e.path());
  }
  std::sort(r.train_files.begin(), r.train_files.end());
  if (r.train_files.empty())
    throw InputError((dir / "train").string(), 0, "no training frames (*.xyz.gz) in this folder");

  r.start_cell = dir / "start_schottky.xyz";
  if (!fs::exists(r.start_cell))
    throw InputError(r.start_cell.string(), 0, "missing: the MD start cell of the reference");
  {
    io::ReadOptions ro;
    ro.species = r.species;
    const Dataset d = io::read_dataset(r.start_cell, "auto", ro);
    if (d.size() != 1) throw InputError(r.start_cell.string(), 0, "expected one configuration");
    const Mat3& c = d.configs[0].structure.cell;
    r.a0 = norm(c.row(0)) / 2.0;  // the defective 2x2x2 cell
  }

  const fs::path vol = dir / "volumes.json";
  std::ifstream in(vol);
  if (!in) throw InputError(vol.string(), 0, "missing: the zero-pressure volumes of the reference");
  nlohmann::json j;
  try {
    in >> j;
    r.a_poly = j.at("a_of_T_poly").get<std::vector<double>>();
  } catch (const std::exception& e) {
    throw InputError(vol.string(), 0,
                     std::string("expected a JSON object with a_of_T_poly: ") + e.what());
  }
  if (r.a_poly.empty()) throw InputError(vol.string(), 0, "a_of_T_poly is empty");

  // diffusion/md_<T>K_rep<NN>_schottky.xyz.gz
  const std::regex name_re(R"(md_([0-9.]+)K_rep([0-9]+)_schottky\.xyz(\.gz)?)");
  if (fs::is_directory(dir / "diffusion"))
    for (const auto& e : fs::directory_iterator(dir / "diffusion")) {
      std::smatch m;
      const std::string name = e.path().filename().string();
      if (std::regex_match(name, m, name_re))
        r.teacher.push_back({std::stod(m[1]), std::stoi(m[2]), e.path()});
    }
  std::sort(r.teacher.begin(), r.teacher.end(), [](const auto& a, const auto& b) {
    return a.T != b.T ? a.T < b.T : a.replica < b.replica;
  });
  return r;
}

PaperValues paper_values(const std::string& compound) {
  constexpr double nan = std::numeric_limits<double>::quiet_NaN();
  const char* cite = "Guan et al., ACS Appl. Mater. Interfaces 16, 70665 (2024)";
  // MTP errors are the paper's (its Na3ClSO4 potential); Ea from AIMD for all three compounds,
  // from 100-ns MTP-MD for Na3ClSO4; D(300 K) of Na3ClSO4 from MTP-MD and extrapolated from AIMD.
  if (compound == "Na3ClSO4") return {0.162, 0.163, 9.38, 7.07e-8, 6.98e-8, 1.46, 0.05, cite};
  if (compound == "Na3BrSO4") return {0.15, nan, 39.05, nan, nan, 1.46, 0.05, cite};
  if (compound == "Na3BrSeO4") return {0.22, nan, 2.3, nan, nan, 1.46, 0.05, cite};
  return {nan, nan, nan, nan, nan, nan, nan, cite};
}

}  // namespace superion::demo
