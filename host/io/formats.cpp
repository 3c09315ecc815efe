// The format table and the read/write dispatch.
#include "io/formats.hpp"

#include <algorithm>
#include <cctype>
#include <cstdio>

#include "core/error.hpp"
#include "io/cfg.hpp"
#include "io/cp2k.hpp"
#include "io/extxyz.hpp"
#include "io/h5dataset.hpp"
#include "io/lammps_data.hpp"
#include "io/outcar.hpp"
#include "io/poscar.hpp"
#include "io/text_input.hpp"
#include "io/vasprun.hpp"

namespace superion::io {
namespace {

bool ends_with(const std::string& s, const char* suffix) {
  const std::string x(suffix);
  return s.size() >= x.size() && s.compare(s.size() - x.size(), x.size(), x) == 0;
}
bool starts_with(const std::string& s, const char* prefix) {
  return s.rfind(prefix, 0) == 0;
}

bool is_cfg(const std::string& f) {
  return ends_with(f, ".cfg");
}
bool is_xyz(const std::string& f) {
  return ends_with(f, ".xyz") || ends_with(f, ".extxyz");
}
bool is_poscar(const std::string& f) {
  return starts_with(f, "poscar") || starts_with(f, "contcar") || ends_with(f, ".vasp") ||
         ends_with(f, ".poscar");
}
bool is_vasprun(const std::string& f) {
  return f.find("vasprun") != std::string::npos && ends_with(f, ".xml");
}
bool is_outcar(const std::string& f) {
  return starts_with(f, "outcar");
}
bool is_h5(const std::string& f) {
  return ends_with(f, ".h5") || ends_with(f, ".hdf5");
}
bool is_lammps(const std::string& f) {
  return ends_with(f, ".data") || ends_with(f, ".lmp") || starts_with(f, "data.");
}

Dataset read_cfg_any(const std::filesystem::path& p, const ReadOptions& o) {
  Dataset d = read_cfg(p);
  if (!o.species.empty()) {  // cfg has no symbols: the given list names the types 0..C-1
    int max_type = -1;
    for (const auto& c : d.configs)
      for (int t : c.structure.types) max_type = std::max(max_type, t);
    if (max_type >= static_cast<int>(o.species.size()))
      throw InputError(p.string(), 0,
                       "type " + std::to_string(max_type) + " has no symbol in the " +
                           std::to_string(o.species.size()) + " given species");
    d.species = o.species;
    for (auto& c : d.configs) c.structure.species_symbols = o.species;
  }
  return d;
}
void write_cfg_any(const std::filesystem::path& p, const Dataset& d, const WriteOptions& o) {
  write_cfg(p, d, {o.lossless});
}
Dataset read_xyz_any(const std::filesystem::path& p, const ReadOptions& o) {
  return read_extxyz(p, {o.species});
}
void write_xyz_any(const std::filesystem::path& p, const Dataset& d, const WriteOptions& o) {
  write_extxyz(p, d, {o.lossless, o.species});
}
Dataset read_poscar_any(const std::filesystem::path& p, const ReadOptions& o) {
  return read_poscar(p, {o.species});
}
void write_poscar_any(const std::filesystem::path& p, const Dataset& d, const WriteOptions& o) {
  write_poscar(p, d, {o.lossless, false, o.species});
}
Dataset read_lammps_any(const std::filesystem::path& p, const ReadOptions& o) {
  return read_lammps_data(p, {o.species});
}
void write_lammps_any(const std::filesystem::path& p, const Dataset& d, const WriteOptions& o) {
  LammpsWriteOptions w;
  w.lossless = o.lossless;
  w.species = o.species;
  write_lammps_data(p, d, w);
}

Dataset read_vasprun_any(const std::filesystem::path& p, const ReadOptions&) {
  VasprunReport rep;
  Dataset d = read_vasprun(p, {}, &rep);
  if (rep.steps_without_forces || rep.steps_without_stress)
    std::fprintf(stderr, "%s: %zu of %zu ionic steps have no forces, %zu no stress\n",
                 p.string().c_str(), rep.steps_without_forces, rep.steps, rep.steps_without_stress);
  return d;
}
Dataset read_outcar_any(const std::filesystem::path& p, const ReadOptions&) {
  OutcarReport rep;
  Dataset d = read_outcar(p, {}, &rep);
  // Never silent: say what was left out (NWRITE=0 steps without force tables, ML-FF frames).
  if (rep.steps_without_forces || rep.ml_frames_skipped)
    std::fprintf(stderr,
                 "%s: read %zu ab-initio frames; skipped %zu steps without force tables and %zu "
                 "ML-FF frames\n",
                 p.string().c_str(), rep.frames, rep.steps_without_forces, rep.ml_frames_skipped);
  return d;
}

Dataset read_cp2k_any(const std::filesystem::path& p, const ReadOptions& o) {
  Cp2kReport rep;
  Dataset d = read_cp2k(p, {o.species, std::nullopt}, &rep);
  // Never silent about what a frame lacks.
  std::fprintf(stderr, "%s: %zu CP2K frames; forces %s, .ener %s, stress %s, cell from %s\n",
               p.string().c_str(), rep.frames, rep.forces ? "yes" : "NO",
               rep.energy_file ? "yes" : "no",
               rep.stress ? "yes"
                          : (rep.stress_skipped ? "NOT USED (MD stress without -vel-1.xyz "
                                                  "to remove the kinetic part)"
                                                : "no"),
               rep.cell_source.c_str());
  return d;
}

// --species on an HDF5 container, as on the text formats: a container with element names is mapped
// onto the given order by name (every stored name must be in the list); one without names (types
// only, as from .cfg) gets the list as the names of its types 0, 1, ...
Dataset read_h5_any(const std::filesystem::path& p, const ReadOptions& o) {
  if (is_gzip_file(p))
    throw InputError(p.string(), 0,
                     "gzip-compressed HDF5 cannot be read directly: gunzip it first (HDF5 files "
                     "use their own compression)");
  Dataset d = read_h5_dataset(p);
  if (o.species.empty()) return d;
  for (auto& c : d.configs) {
    Structure& st = c.structure;
    if (st.species_symbols.empty()) st.species_symbols = d.species;
    if (st.species_symbols.empty()) {  // types only: the list names them
      for (int t : st.types)
        if (t < 0 || t >= static_cast<int>(o.species.size()))
          throw InputError(p.string(), 0,
                           "type " + std::to_string(t) + " has no name in the species list (" +
                               std::to_string(o.species.size()) + " given)");
    } else {
      std::vector<int> to(st.species_symbols.size());
      for (std::size_t k = 0; k < to.size(); ++k) {
        const auto it = std::find(o.species.begin(), o.species.end(), st.species_symbols[k]);
        if (it == o.species.end())
          throw InputError(p.string(), 0,
                           "species '" + st.species_symbols[k] +
                               "' of the file is not in the given species list");
        to[k] = static_cast<int>(it - o.species.begin());
      }
      for (int& t : st.types) {
        if (t < 0 || t >= static_cast<int>(to.size()))
          throw InputError(p.string(), 0, "type " + std::to_string(t) + " has no species name");
        t = to[static_cast<std::size_t>(t)];
      }
    }
    st.species_symbols = o.species;
  }
  d.species = o.species;
  return d;
}
void write_h5_any(const std::filesystem::path& p, const Dataset& d, const WriteOptions&) {
  write_h5_dataset(p, d);
}

}  // namespace

const std::vector<FormatEntry>& formats() {
  static const std::vector<FormatEntry> kFormats = {
      {"cfg", "MLIP .cfg (types 0..C-1, PlusStress)", is_cfg, read_cfg_any, write_cfg_any},
      {"cp2k", "CP2K run: PROJECT-pos-1.xyz (+ -frc-1.xyz, .ener, .stress, .cell), or PROJECT",
       is_cp2k_pos_name, read_cp2k_any, nullptr},
      {"extxyz", "extended XYZ (ASE conventions)", is_xyz, read_xyz_any, write_xyz_any},
      {"h5", "superion HDF5 dataset container (binary, lossless, fast)", is_h5, read_h5_any,
       write_h5_any},
      {"vasprun", "VASP vasprun.xml (every ionic step, free energy TOTEN)", is_vasprun,
       read_vasprun_any, nullptr},
      {"outcar", "VASP OUTCAR (ab-initio steps; NWRITE=0 and ML-FF aware)", is_outcar,
       read_outcar_any, nullptr},
      {"poscar", "VASP POSCAR/CONTCAR (one structure)", is_poscar, read_poscar_any,
       write_poscar_any},
      {"lammps-data", "LAMMPS data file, atom_style atomic/charge (one structure)", is_lammps,
       read_lammps_any, write_lammps_any},
  };
  return kFormats;
}

std::string format_names() {
  std::string s;
  for (const auto& f : formats()) s += (s.empty() ? "" : ", ") + std::string(f.name);
  return s;
}

const FormatEntry& find_format(const std::filesystem::path& path, const std::string& name) {
  if (name.empty() || name == "auto") {
    // A trailing ".gz" says only that the file is compressed; the name before it says the format.
    std::string lower = strip_gz_suffix(path.filename().string());
    std::transform(lower.begin(), lower.end(), lower.begin(),
                   [](unsigned char c) { return std::tolower(c); });
    for (const auto& f : formats())
      if (f.matches && f.matches(lower)) return f;
    throw Error("cannot tell the format of '" + path.string() + "' from its name: give --format (" +
                format_names() + ")");
  }
  for (const auto& f : formats())
    if (name == f.name) return f;
  throw Error("unknown format '" + name + "' (known: " + format_names() + ")");
}

Dataset read_dataset(const std::filesystem::path& path, const std::string& format,
                     const ReadOptions& options) {
  const FormatEntry& f = find_format(path, format);
  if (!f.read) throw Error(std::string("format ") + f.name + " cannot be read");
  return f.read(path, options);
}

void write_dataset(const std::filesystem::path& path, const Dataset& data,
                   const std::string& format, const WriteOptions& options) {
  const FormatEntry& f = find_format(path, format);
  if (!f.write) throw Error(std::string("format ") + f.name + " cannot be written");
  f.write(path, data, options);
}

}  // namespace superion::io
