// The bundled reference of `superion demo` (data/reference/<compound>-chgnet, made by
// scripts/teacher/chgnet_teacher.py) and the paper's published numbers to compare with.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace superion::demo {

// One CHGNet diffusion replica (positions every 0.1 ps after its equilibration).
struct TeacherTrajectory {
  double T = 0;
  int replica = 0;
  std::filesystem::path file;
};

struct Reference {
  std::string compound;
  std::filesystem::path dir;
  std::vector<std::string> species;                // MTP type order: Na, halide, centre, O
  std::vector<std::filesystem::path> train_files;  // train/*.xyz.gz, sorted
  std::filesystem::path start_cell;                // start_schottky.xyz (defective 2x2x2 at a0)
  double a0 = 0;                                   // Å, lattice parameter of start_cell
  std::vector<double> a_poly;              // a(T) = polyval(a_poly, T) (highest power first), Å
  std::vector<TeacherTrajectory> teacher;  // may be empty (diffusion not made yet)
  // Lattice parameter at T from the zero-pressure volumes of the reference (volumes.json).
  double lattice_at(double T) const;
};

// Reads DIR (train/, start_schottky.xyz, volumes.json, diffusion/). Throws InputError naming the
// missing or malformed file.
Reference load_reference(const std::filesystem::path& dir, const std::string& compound);

// The species of a compound name in MTP type order (Na3ClSO4 → Na, Cl, S, O); throws InputError
// for a compound the demo does not know.
std::vector<std::string> compound_species(const std::string& compound);

// Numbers of the paper (Guan et al., ACS Appl. Mater. Interfaces 16, 70665 (2024)); NaN where
// the paper gives none for that compound.
struct PaperValues {
  double Ea_aimd_eV, Ea_mtp_eV, sigma300_mS_cm, D300_mtp_cm2_s, D300_aimd_cm2_s;
  double mtp_energy_err_meV_atom, mtp_force_err_eV_A;
  const char* citation;
};
PaperValues paper_values(const std::string& compound);

}  // namespace superion::demo
