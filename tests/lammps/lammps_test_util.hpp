// Helpers for the superion-lammps tests: run the executable (serial or under mpirun), read thermo
// values from its log and per-atom columns from a `dump custom` file, and relative differences.
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "test_util.hpp"

namespace superion::testing {

// LAMMPS metal units: pressure (bar) · volume (Å³) / nktv2p = eV.
constexpr double kLammpsNktv2pMetal = 1.6021765e6;

// Runs superion-lammps in `dir` on `input` (a file name in dir), with `nprocs` MPI ranks when
// > 0 (mpirun; root allowed as in CI). Output (stdout+stderr) into *output; returns the exit code
// or -1 when killed by a signal.
inline int run_lammps(const std::filesystem::path& dir, const std::string& input, int nprocs,
                      std::string* output = nullptr) {
  std::string launcher;
  if (nprocs > 0) {
    setenv("OMPI_ALLOW_RUN_AS_ROOT", "1", 1);
    setenv("OMPI_ALLOW_RUN_AS_ROOT_CONFIRM", "1", 1);
    launcher = "mpirun --oversubscribe -np " + std::to_string(nprocs) + " ";
  }
  const std::string cmd = "cd '" + dir.string() + "' && OMP_NUM_THREADS=1 " + launcher +
                          SUPERION_LAMMPS_BINARY + " -in " + input + " -log log.lammps 2>&1";
  return run_captured(cmd, output);
}

// Thermo rows of a LAMMPS log: every line after a header starting with "Step" whose fields are all
// numbers. Returns one map column → value per row.
inline std::vector<std::map<std::string, double>> read_thermo(const std::filesystem::path& log) {
  std::ifstream in(log);
  std::vector<std::map<std::string, double>> rows;
  std::vector<std::string> header;
  std::string line;
  while (std::getline(in, line)) {
    std::istringstream ls(line);
    std::vector<std::string> tok;
    for (std::string t; ls >> t;) tok.push_back(t);
    if (tok.empty()) {
      header.clear();
      continue;
    }
    if (tok[0] == "Step") {
      header = tok;
      continue;
    }
    if (header.empty() || tok.size() != header.size()) {
      header.clear();
      continue;
    }
    std::map<std::string, double> row;
    bool numeric = true;
    for (std::size_t k = 0; k < tok.size() && numeric; ++k) {
      char* end = nullptr;
      row[header[k]] = std::strtod(tok[k].c_str(), &end);
      numeric = end && *end == '\0';
    }
    if (numeric) rows.push_back(row);
  }
  return rows;
}

// Last frame of a `dump custom` file: column name → values (in file order).
inline std::map<std::string, std::vector<double>> read_dump(const std::filesystem::path& path) {
  std::ifstream in(path);
  std::map<std::string, std::vector<double>> cols;
  std::vector<std::string> names;
  std::string line;
  long remaining = 0;
  while (std::getline(in, line)) {
    if (line.rfind("ITEM: NUMBER OF ATOMS", 0) == 0) {
      std::getline(in, line);
      remaining = std::stol(line);
    } else if (line.rfind("ITEM: ATOMS", 0) == 0) {
      std::istringstream ls(line.substr(11));
      names.clear();
      cols.clear();
      for (std::string t; ls >> t;) names.push_back(t);
      for (long k = 0; k < remaining && std::getline(in, line); ++k) {
        std::istringstream rs(line);
        for (const auto& n : names) {
          double v = 0;
          rs >> v;
          cols[n].push_back(v);
        }
      }
    }
  }
  return cols;
}

// max |a − b| / max(max |b|, floor) (0/0 = 0).
inline double relative_difference(const std::vector<double>& a, const std::vector<double>& b,
                                  double floor = 0.0) {
  EXPECT_EQ(a.size(), b.size());
  double d = 0, s = 0;
  for (std::size_t k = 0; k < std::min(a.size(), b.size()); ++k) {
    d = std::max(d, std::abs(a[k] - b[k]));
    s = std::max(s, std::abs(b[k]));
  }
  s = std::max(s, floor);
  return s > 0 ? d / s : d;
}

inline void write_text(const std::filesystem::path& path, const std::string& text) {
  std::ofstream(path) << text;
}

}  // namespace superion::testing
