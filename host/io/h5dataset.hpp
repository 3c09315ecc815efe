// Binary dataset container in HDF5 for large training sets (`.h5`, root attribute
// format = "superion_dataset", version = 1; not to be confused with H5MD trajectories).
// Layout (K configurations, M atoms in total), all arrays contiguous:
//   /n_atoms int64[K], /offsets int64[K+1] (atom ranges), /cell float64[K,3,3] (rows = lattice
//   vectors), /pbc uint8[K,3], /positions float64[M,3] (Å), /types int32[M], /species string[C],
//   /energy float64[K] + /has_energy uint8[K] (eV), /forces float64[M,3] + /has_forces uint8[K],
//   /virial float64[K,3,3] + /has_virial uint8[K] (PlusStress, eV), /weight float64[K],
//   /config_type string[K], /features string[K] (JSON list of [name, value] pairs),
//   optional /site_energies float64[M] + /has_site_energies, /charges float64[M] + /has_charges.
// Values are stored bit-exactly (write → read is lossless). Written to a temporary file and
// renamed.
#pragma once

#include <filesystem>

#include "core/configuration.hpp"

namespace superion::io {

void write_h5_dataset(const std::filesystem::path& path, const Dataset& data);
// Throws InputError naming the file and the missing/malformed dataset.
Dataset read_h5_dataset(const std::filesystem::path& path);
// True when the file is an HDF5 file with format = "superion_dataset".
bool is_h5_dataset(const std::filesystem::path& path);

}  // namespace superion::io
