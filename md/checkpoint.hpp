// MD checkpoint: a versioned binary snapshot of everything needed to continue a run
// bit-identically on CPU (step, time, cell, positions, image flags, velocities, species, masses,
// thermostat state, RNG state, named extra arrays, free-form metadata).
//
// File layout (all integers little-endian, doubles as their IEEE-754 bit patterns, so values
// round-trip bit-exactly):
//   magic "SUPERION_CKPT\0\0\0" (16 bytes) | u32 version (=1) | u64 payload_bytes |
//   payload | u32 CRC-32 (IEEE 802.3, of the payload bytes)
// The payload is a sequence of fields in a fixed order (docs/md-io.md, "Checkpoint").
//
// Writing is atomic (temporary file + rename) and the previous checkpoint is kept as
// "<path>.bak", so a crash while writing never destroys the last good state. Reading checks magic,
// version, length and checksum and throws InputError naming the file for truncated or corrupt
// files.
#pragma once

#include <array>
#include <cstdint>
#include <filesystem>
#include <map>
#include <random>
#include <string>
#include <vector>

#include "core/vec3.hpp"

namespace superion::md {

struct Checkpoint {
  std::int64_t step = 0;  // MD step of this state
  double time_ps = 0.0;   // simulated time (ps)
  Mat3 cell;              // rows = lattice vectors (Å)
  std::array<bool, 3> pbc{true, true, true};
  std::vector<Vec3> positions;               // Å (wrapped or not: stored as given)
  std::vector<std::array<int, 3>> images;    // image flags (may be empty)
  std::vector<Vec3> velocities;              // Å/ps
  std::vector<int> types;                    // species index per atom
  std::vector<std::string> species_symbols;  // symbol per species index
  std::vector<double> masses;                // amu per atom
  std::string thermostat_type;               // e.g. "nose-hoover", "csvr", "none"
  std::vector<double> thermostat_state;      // thermostat-specific blob (ξ, p_ξ, integrals…)
  std::string rng_state;                     // std::mt19937_64 state (rng_state_string)
  // Named double arrays for anything else that must survive a restart bit-exactly
  // (e.g. barostat state, rigid-cluster body offsets).
  std::map<std::string, std::vector<double>> arrays;
  // Free-form metadata: potential path, seed, command-line options, program version…
  std::map<std::string, std::string> metadata;

  std::size_t size() const { return positions.size(); }
};

inline constexpr std::uint32_t kCheckpointVersion = 1;

// Writes `ckpt` atomically to `path`; an existing `path` is first preserved as `path.bak`
// (replacing an older .bak). Throws superion::Error when the file cannot be written or when the
// per-atom arrays have inconsistent sizes (images may be empty; all others must match positions).
void write_checkpoint(const std::filesystem::path& path, const Checkpoint& ckpt);

// Reads a checkpoint. Throws InputError(path, 0, what) for a missing file, wrong magic,
// unsupported version, truncation, checksum mismatch or inconsistent contents.
Checkpoint read_checkpoint(const std::filesystem::path& path);

// Serialises to / parses from bytes (what write/read put in the file). `name` is used in messages.
std::vector<unsigned char> encode_checkpoint(const Checkpoint& ckpt);
Checkpoint decode_checkpoint(const std::vector<unsigned char>& bytes, const std::string& name);

// The standard text form of the engine state (operator<<), and its inverse (throws on garbage).
std::string rng_state_string(const std::mt19937_64& rng);
void restore_rng_state(std::mt19937_64& rng, const std::string& state);

// CRC-32 (IEEE 802.3, reflected polynomial 0xEDB88320), as zlib's crc32().
std::uint32_t crc32(const unsigned char* data, std::size_t n);

}  // namespace superion::md
