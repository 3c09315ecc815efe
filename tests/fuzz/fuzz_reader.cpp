// libFuzzer harness for every text reader. One source, one executable per reader: the reader is
// chosen at compile time by SUPERION_FUZZ_TARGET (see tests/fuzz/CMakeLists.txt).
//
// Contract checked: any byte string is either parsed or rejected with superion::Error (the clear
// "FILE:LINE: what was expected" message). Any other exception, crash, leak, out-of-bounds access
// or undefined behaviour (ASan/UBSan are on in fuzz builds) is a bug and aborts the run.
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include "core/error.hpp"
#include "io/cfg.hpp"
#include "io/cp2k.hpp"
#include "io/extxyz.hpp"
#include "io/lammps_data.hpp"
#include "io/outcar.hpp"
#include "io/poscar.hpp"
#include "io/vasprun.hpp"
#include "mtp/mtp_file.hpp"
#include "trajectory.hpp"

namespace {

// Trajectory readers take a path: write the input to a per-process scratch file.
std::string scratch_file(const std::string& text) {
  static const std::string path = "/tmp/superion-fuzz-" + std::to_string(::getpid()) + ".in";
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(text.data(), static_cast<std::streamsize>(text.size()));
  return path;
}

// CP2K runs are several files: the input is PROJECT-pos-1.xyz, optionally followed by the
// forces file after a line "@@frc@@"; the cell is fixed (CP2K writes it in another file).
void parse_cp2k(const std::string& text) {
  static const std::string dir = "/tmp/superion-fuzz-cp2k-" + std::to_string(::getpid());
  std::filesystem::create_directories(dir);
  const std::string marker = "\n@@frc@@\n";
  const auto split = text.find(marker);
  const std::string pos = split == std::string::npos ? text : text.substr(0, split);
  std::filesystem::remove(dir + "/fuzz-frc-1.xyz");
  std::ofstream(dir + "/fuzz-pos-1.xyz", std::ios::binary | std::ios::trunc) << pos;
  if (split != std::string::npos) {
    std::ofstream(dir + "/fuzz-frc-1.xyz", std::ios::binary | std::ios::trunc)
        << text.substr(split + marker.size());
  }
  superion::io::Cp2kOptions options;
  superion::Mat3 cell = superion::Mat3::identity();
  for (int i = 0; i < 3; ++i) cell[i][i] = 10.0;
  options.cell = cell;
  (void)superion::io::read_cp2k(dir + "/fuzz-pos-1.xyz", options);
}

// Reads every frame so that lazy readers parse the whole input.
void drain(superion::analysis::TrajectoryReader& reader) {
  superion::analysis::Frame frame;
  for (int i = 0; i < 100000 && reader.next(frame); ++i) {
  }
}

void parse(const std::string& text) {
  using namespace superion;
  const std::string target = SUPERION_FUZZ_TARGET;
  if (target == "cfg") {
    (void)io::read_cfg_text(text, "fuzz.cfg");
  } else if (target == "extxyz") {
    (void)io::read_extxyz_text(text, "fuzz.xyz");
  } else if (target == "poscar") {
    (void)io::read_poscar_text(text, "POSCAR");
  } else if (target == "lammps_data") {
    (void)io::read_lammps_data_text(text, "fuzz.data");
  } else if (target == "vasprun") {
    (void)parse_vasprun(text, "vasprun.xml");
  } else if (target == "outcar") {
    (void)parse_outcar(text, "OUTCAR");
  } else if (target == "mtp") {
    (void)parse_mtp(text, "fuzz.mtp");
  } else if (target == "cp2k") {
    parse_cp2k(text);
  } else if (target == "xdatcar") {
    auto reader = analysis::open_xdatcar(scratch_file(text), {});
    drain(*reader);
  } else if (target == "lammps_dump") {
    auto reader = analysis::open_lammps_dump(scratch_file(text), {});
    drain(*reader);
  } else if (target == "extxyz_traj") {
    auto reader = analysis::open_extxyz_trajectory(scratch_file(text), {});
    drain(*reader);
  } else if (target == "pymatgen_json") {
    auto reader = analysis::open_pymatgen_json(scratch_file(text), {});
    drain(*reader);
  } else {
    std::fprintf(stderr, "unknown fuzz target %s\n", target.c_str());
    std::abort();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  try {
    parse(text);
  } catch (const superion::Error&) {
    // Rejected with a clear message: the expected outcome for malformed input.
  }
  return 0;
}
