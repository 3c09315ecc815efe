// Host-side layout of a training set for the device trainer (pure host code, built with both
// builds of device/):
//   rows      every configuration has its design rows [energy] [3N forces] [9 virial] (present
//             quantities only), numbered consecutively over the data set
//   groups    consecutive configurations with at most `group_rows` rows together (at least one
//             configuration). The dense sums (normal matrix, Gauss–Newton blocks) are taken group
//             by group in order, each group's rows as one column-major block, so their rounding
//             depends only on the data and group_rows, never on chunks or memory
//   chunks    consecutive whole groups processed together, as many as the memory budget allows
//   ranges    the flat arrays (atoms, pairs, reverse index, rows, per-species-pair pair lists) of
//             a range of configurations, with indices relative to the range
#pragma once

#include <cstddef>
#include <vector>

#include "backend.hpp"
#include "train_api.hpp"
#include "training_set.hpp"

namespace superion::device::SUPERION_DEVICE_NS {

// Sizes of the model being trained.
struct TrainSizes {
  int C = 0, K = 0, R = 0;  // species, radial functions, radial basis size
  int A = 0;                // scalar basis functions (moment coefficients)
  int P = 0;                // linear coefficients C + A
  int n_radial = 0;         // C²KR
  int L = 0;                // Jacobian lanes per atom: CKR
  int n_moments = 0, n_basic = 0;
};

struct TrainLayout {
  long configs = 0;
  std::vector<long> atom_begin, pair_begin, row_begin;  // per configuration, size configs + 1
  std::vector<int> row_e, row_f, row_s;                 // row offsets within the configuration (-1)
  std::vector<long> group_begin;                        // configurations, size groups + 1
  std::vector<int> group_of;                            // per configuration
  long max_group_rows = 0;
  long groups() const { return static_cast<long>(group_begin.size()) - 1; }
  long group_rows(long g) const {
    return row_begin[group_begin[g + 1]] - row_begin[group_begin[g]];
  }
};

TrainLayout make_train_layout(const TrainingSet& data, long group_rows);

// Flat arrays of configurations [c0, c1) (indices relative to the range).
struct HostRange {
  long c0 = 0, c1 = 0;
  // per configuration
  std::vector<long> atom_begin, pair_begin, row_begin;  // n + 1
  std::vector<int> row_e, row_f, row_s, n_atoms;
  std::vector<double> w_energy, w_force, w_stress, energy, virial;  // virial: 9 each
  std::vector<long> block_row0;  // first row of the configuration's group (range-relative)
  std::vector<int> block_rows;   // rows of that group (the block's leading dimension)
  std::vector<long> sp_begin;    // pairs of species pair (t_i, t_j): n·C² + 1
  std::vector<long> sp_pairs;    // pair indices, in pair order within each (config, t_i, t_j)
  std::vector<long> cs_begin;    // pairs of centre species t_i: n·C + 1
  std::vector<long> cs_pairs;    // pair indices, in pair order within each (config, t_i)
  // per atom
  std::vector<int> type, cfg;
  std::vector<long> atom_pairs;  // n_atoms + 1: pairs of atom a are atom_pairs[a] .. [a+1]
  std::vector<long> rev_begin;   // n_atoms + 1
  std::vector<long> rev_pairs;   // pairs with neighbour a, increasing pair index
  std::vector<long> rev_sbegin;  // the same by centre species: atom a, species s at a·C + s
  std::vector<long> rev_spairs;  // (n_atoms·C + 1 offsets), increasing pair index within each
  // per pair
  std::vector<int> center, nbr, ntype;
  std::vector<double> ru, disp;  // 4 and 3 per pair
  // per row
  std::vector<double> y, w;  // target and square root of the loss weight
  std::vector<int> row_cfg;  // configuration of the row
};

HostRange make_host_range(const TrainingSet& data, const TrainLayout& lay, int species, long c0,
                          long c1);

// Byte counts of the plan (estimates of what the device arrays need).
struct TrainBytes {
  double per_atom_range = 0, per_pair_range = 0, per_row_range = 0, per_config_range = 0;
  double per_atom_work = 0, per_pair_work = 0, per_row_work = 0, per_config_work = 0;
  double fixed = 0;
  double scratch_item_max = 0;  // largest scratch of one work item (lane block, atom, pair)
};
TrainBytes train_bytes(const TrainSizes& z, const TrainLayout& lay);

struct TrainPlan {
  bool resident = false;
  std::vector<long> chunk_begin;  // groups, size chunks + 1
  std::size_t budget = 0, planned = 0;
  std::size_t scratch = 0;  // bytes of per-launch scratch
  long max_chunk_configs = 0;
};

// Chooses residency and chunks for `budget` bytes; throws superion::Error when not even one group
// fits (the message names the budget and what one group needs).
TrainPlan plan_train_chunks(const TrainSizes& z, const TrainLayout& lay, std::size_t budget,
                            const TrainDeviceOptions& options);

}  // namespace superion::device::SUPERION_DEVICE_NS
