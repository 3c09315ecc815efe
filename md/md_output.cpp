// Thermo CSV and extxyz trajectory writers.
#include "md_output.hpp"

#include <cstdio>
#include <fstream>
#include <vector>

namespace superion::md {

ThermoCsv::ThermoCsv(const std::filesystem::path& path, std::int64_t keep_until_step)
    : file_(path) {
  auto& out = file_.stream();
  out << kThermoCsvHeader << '\n';
  if (keep_until_step >= 0 && std::filesystem::exists(path)) {
    std::ifstream in(path);
    std::string line;
    std::getline(in, line);  // header
    while (std::getline(in, line)) {
      if (line.empty()) continue;
      try {
        if (std::stoll(line) > keep_until_step) break;
      } catch (const std::exception&) {
        break;
      }
      out << line << '\n';
    }
  }
}

void ThermoCsv::write(const ThermoSample& t) {
  char buf[256];
  std::snprintf(buf, sizeof buf, "%lld,%.6f,%.6f,%.10f,%.10f,%.10f,%.8f,%.6f\n",
                static_cast<long long>(t.step), t.time_ps, t.temperature_K, t.potential_eV,
                t.kinetic_eV, t.conserved_eV, t.pressure_GPa, t.volume_A3);
  file_.stream() << buf;
}

void ThermoCsv::publish() {
  file_.stream().flush();
  const std::filesystem::path tmp = temp_path_for(file_.path());
  std::filesystem::copy_file(file_.temp_path(), tmp,
                             std::filesystem::copy_options::overwrite_existing);
  commit_temp_file(tmp, file_.path());
}

XyzDump::XyzDump(const std::filesystem::path& path) : file_(path) {}

void XyzDump::write(const Simulation& sim) {
  write(sim.step_index(), sim.time_ps(), sim.structure(), sim.structure().positions,
        sim.velocities());
}

void XyzDump::write(std::int64_t step, double time_ps, const Structure& s,
                    const std::vector<Vec3>& positions, const std::vector<Vec3>& v) {
  std::vector<Vec3> pos;
  std::vector<std::array<int, 3>> img;
  wrap_positions(positions, s.cell, s.pbc, pos, img);
  auto& out = file_.stream();
  char buf[512];
  out << s.size() << '\n';
  std::snprintf(buf, sizeof buf,
                "Lattice=\"%.10f %.10f %.10f %.10f %.10f %.10f %.10f %.10f %.10f\" "
                "Properties=species:S:1:pos:R:3:vel:R:3:images:I:3 Time=%.6f step=%lld "
                "pbc=\"%s %s %s\"\n",
                s.cell[0][0], s.cell[0][1], s.cell[0][2], s.cell[1][0], s.cell[1][1], s.cell[1][2],
                s.cell[2][0], s.cell[2][1], s.cell[2][2], time_ps, static_cast<long long>(step),
                s.pbc[0] ? "T" : "F", s.pbc[1] ? "T" : "F", s.pbc[2] ? "T" : "F");
  out << buf;
  for (std::size_t i = 0; i < s.size(); ++i) {
    std::snprintf(buf, sizeof buf, "%-3s %.10f %.10f %.10f %.8f %.8f %.8f %d %d %d\n",
                  s.symbol(i).c_str(), pos[i].x, pos[i].y, pos[i].z, v[i].x, v[i].y, v[i].z,
                  img[i][0], img[i][1], img[i][2]);
    out << buf;
  }
}

std::string thermo_header() {
  char buf[200];
  std::snprintf(buf, sizeof buf, "%10s %10s %10s %16s %14s %16s %11s", "step", "time_ps", "T_K",
                "PE_eV", "KE_eV", "conserved_eV", "P_GPa");
  return buf;
}

std::string thermo_line(const ThermoSample& t) {
  char buf[200];
  std::snprintf(buf, sizeof buf, "%10lld %10.4f %10.2f %16.6f %14.6f %16.6f %11.4f",
                static_cast<long long>(t.step), t.time_ps, t.temperature_K, t.potential_eV,
                t.kinetic_eV, t.conserved_eV, t.pressure_GPa);
  return buf;
}

}  // namespace superion::md
