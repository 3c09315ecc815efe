// Format dispatcher: one table of file formats (name, how a file name is recognised, reader,
// writer). Adding a format = one entry in kFormats (formats.cpp) plus its reader/writer files.
// Auto detection looks at the lower-cased file name: .cfg → cfg; *-pos-N.xyz → cp2k (CP2K run);
// .xyz/.extxyz → extxyz;
// POSCAR*/CONTCAR*/*.vasp/*.poscar → poscar; .data/.lmp/data.* → lammps-data. A trailing .gz is
// ignored (md.xyz.gz → extxyz); the text readers decompress gzip files transparently.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "core/configuration.hpp"

namespace superion::io {

struct ReadOptions {
  std::vector<std::string> species;  // fixed type order / symbols for formats that need them
};

struct WriteOptions {
  bool lossless = false;             // %.16e for every real number
  std::vector<std::string> species;  // symbols for types when the dataset has none
};

using Reader = Dataset (*)(const std::filesystem::path&, const ReadOptions&);
using Writer = void (*)(const std::filesystem::path&, const Dataset&, const WriteOptions&);

struct FormatEntry {
  const char* name;                                    // value of --format
  const char* description;                             // one line for help texts
  bool (*matches)(const std::string& lower_filename);  // auto detection; nullptr = never auto
  Reader read;                                         // nullptr = cannot read
  Writer write;                                        // nullptr = cannot write
};

// All known formats, in detection order.
const std::vector<FormatEntry>& formats();
// Entry by name, or the auto-detected entry for `path` when name is "auto"/empty.
// Throws Error listing the known formats when nothing matches.
const FormatEntry& find_format(const std::filesystem::path& path, const std::string& name = "auto");
// "cfg, extxyz, …" for help texts.
std::string format_names();

Dataset read_dataset(const std::filesystem::path& path, const std::string& format = "auto",
                     const ReadOptions& options = {});
void write_dataset(const std::filesystem::path& path, const Dataset& data,
                   const std::string& format = "auto", const WriteOptions& options = {});

}  // namespace superion::io
