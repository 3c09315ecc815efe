// Streaming MD outputs. Each writes to a temporary file that is renamed onto the final name by
// commit() (at the end of the run, or when a run stops on a physical failure, so the data up to the
// failure are kept); an uncommitted file is removed, so bad input never leaves partial output.
//  * ThermoCsv: step,time_ps,temperature_K,potential_eV,kinetic_eV,conserved_eV,pressure_GPa,
//    volume_A3.
//    When a run is resumed, the rows of an existing file up to the resumed step are kept; the rows
//    are published under the final name at every checkpoint.
//  * XyzDump: extended XYZ frames (wrapped positions, velocities in Å/ps, integer image flags, so
//    positions can be unwrapped; Time in ps and step in the comment line).
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "core/atomic_file.hpp"
#include "simulation.hpp"

namespace superion::md {

inline constexpr const char* kThermoCsvHeader =
    "step,time_ps,temperature_K,potential_eV,kinetic_eV,conserved_eV,pressure_GPa,volume_A3";

class ThermoCsv {
 public:
  // `keep_until_step` >= 0: copy the rows of an existing `path` with step <= it first.
  explicit ThermoCsv(const std::filesystem::path& path, std::int64_t keep_until_step = -1);
  void write(const ThermoSample& t);
  // Publishes the rows so far under the final name (at checkpoints, so that a run resumed after a
  // crash finds them); the file stays open.
  void publish();
  void commit() { file_.commit(); }

 private:
  AtomicFile file_;
};

class XyzDump {
 public:
  explicit XyzDump(const std::filesystem::path& path);
  void write(const Simulation& sim);
  // The same from an engine's numbers (positions continuous, wrapped here).
  void write(std::int64_t step, double time_ps, const Structure& s,
             const std::vector<Vec3>& positions, const std::vector<Vec3>& velocities);
  void commit() { file_.commit(); }

 private:
  AtomicFile file_;
};

// One line of text for a thermo sample (stdout log) and its header.
std::string thermo_header();
std::string thermo_line(const ThermoSample& t);

}  // namespace superion::md
