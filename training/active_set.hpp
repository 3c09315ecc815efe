// The active set of MLIP-2's active learning: a potential, the kind of rows it selects with
// (MLIP's weights: neighbourhood, energy, force, stress), the MaxVol matrix and the configuration
// behind every row. It grades configurations and runs MLIP's selections
// (../shared/docs/MLIP_ACTIVE_LEARNING.md):
//  * calc-grade: from_training(…, entry = select threshold 1.1), then grade();
//  * select-add: from_training(…, entry = swap threshold 1.0000001, weighting), then
//    select_add(candidates, entry = 1.1, swap = 1.0000001).
// Rows per configuration: energy row w_E·s·Σ_i ∂V_i/∂θ (s = 1/N, or 1 for "molecules") when the
// energy weight is non-zero; one row ∂V_i/∂θ per atom when the neighbourhood weight is non-zero
// (site rows first, then the energy row). Force and stress rows are not supported (MLIP-2's own
// code for them is inconsistent; see docs/active-learning.md).
#pragma once

#include <string>
#include <vector>

#include "core/configuration.hpp"
#include "grade_rows.hpp"
#include "maxvol.hpp"

namespace superion {

// MLIP's row weights, in the order state.als stores them.
struct AlsWeights {
  double nbh = 0.0, energy = 1.0, force = 0.0, stress = 0.0;
  bool neighborhood() const { return nbh != 0.0; }
};

// Where the configuration of a row came from.
enum class RowOrigin { kNone, kStored, kTraining, kCandidate };

struct RowSource {
  RowOrigin origin = RowOrigin::kNone;  // kNone: placeholder row ε·e_j
  long index = -1;                      // configuration index in its dataset (0-based)
};

// Which coefficients a grade is the maximum of. kAllRows is MLIP-2's grade (the default: MLIP's
// thresholds 2 and 10 keep their meaning); kDataRows: the coefficients of the least-squares
// projection onto the rows that hold configurations, leaving out the rows still at their initial
// placeholder ε·e_j, whose coefficients scale as 1/ε and otherwise dominate (maxvol.hpp, docs).
enum class GradeScope { kAllRows, kDataRows };

struct SelectOutcome {
  std::vector<long> added;  // candidate indices now in the active set, in row order, once each
  std::vector<long> evicted_training;  // training/stored configurations that lost their rows
  double max_grade = 0.0;              // largest |coefficient| of the candidates before any swap
  long swaps = 0;
  bool limited = false;  // stopped by the limit on new configurations
};

// Which coefficient makes a configuration's MLIP grade: its row (an atom in nbh mode, −1 for the
// configuration row) and the active row j of the largest |c_j|; when that row is still a
// placeholder ε·e_j, the grade comes from parameter θ_j, which no data has determined.
struct GradeExplanation {
  double grade = 0.0;
  long atom = -1;
  int active_row = -1;
  bool placeholder = false;
  std::string parameter;  // θ_j in words, e.g. "radial 1-1 mu 0 beta 3" (species types)
};

// θ_j in words: "radial s1-s2 mu μ beta β", "species constant s", "moment coefficient α".
std::string parameter_name(const Mtp& m, int j);

class ActiveSet {
 public:
  // An empty active set: A = init·I.
  ActiveSet(Mtp model, AlsWeights weights, double init_threshold = 1e-5);
  // A stored state (state.als): `row_config[j]` indexes `configs`, −1 = placeholder.
  ActiveSet(Mtp model, AlsWeights weights, MaxVol maxvol, std::vector<Configuration> configs,
            std::vector<int> row_config);

  // MLIP's training pass: every configuration with atoms becomes a candidate; one selection.
  // Returns the number of swaps.
  long select_training(const Dataset& train, double entry_threshold, double swap_threshold,
                       WeightingScheme weighting = WeightingScheme::kVibrations);
  // MLIP's select-add pass. `max_new > 0` stops the greedy loop before a swap would bring a
  // (max_new+1)-th distinct candidate into the set.
  SelectOutcome select_add(const Dataset& candidates, double entry_threshold, double swap_threshold,
                           WeightingScheme weighting = WeightingScheme::kVibrations,
                           long max_new = 0);

  // Grade of a structure: max over its rows. `site_grades` (neighbourhood rows only) receives
  // the grade of every atom's row. A structure with non-finite rows gets +inf.
  double grade(const Structure& s, std::vector<double>* site_grades = nullptr,
               GradeScope scope = GradeScope::kAllRows) const;
  GradeExplanation explain(const Structure& s) const;
  // The same with a given full neighbour list of `s` (GradeRows::site_rows).
  double grade(const Structure& s, const NeighborList& list, std::vector<double>* site_grades,
               GradeScope scope) const;

  const Mtp& model() const { return rows_.model(); }
  const AlsWeights& weights() const { return weights_; }
  const MaxVol& maxvol() const { return maxvol_; }
  int size() const { return maxvol_.size(); }
  // Per row: the configuration (nullptr for a placeholder row) and where it came from.
  const Configuration* row_configuration(int row) const;
  RowSource row_source(int row) const;
  // Index of the row's configuration in configurations(); −1 for a placeholder row.
  long row_tag(int row) const { return maxvol_.tags().at(static_cast<std::size_t>(row)); }
  // Distinct configurations of the rows, in row order of first appearance.
  std::vector<const Configuration*> configurations() const;
  int placeholder_rows() const { return maxvol_.placeholder_rows(); }

 private:
  // Candidate rows of a configuration (site rows, then the energy row); `list` may be null.
  void configuration_rows(const Structure& s, WeightingScheme weighting, RowMatrix& out,
                          const NeighborList* list = nullptr) const;
  double grade_rows(const Structure& s, const RowMatrix& rows, std::vector<double>* site_grades,
                    GradeScope scope) const;
  // Adds the configurations with atoms to the pool and returns their stacked rows and tags.
  void candidates(const Dataset& data, RowOrigin origin, WeightingScheme weighting, RowMatrix& B,
                  std::vector<long>& tags);
  // Drops pool entries no row refers to and renumbers the row tags; refreshes the per-species
  // rows of A⁻¹ used to grade neighbourhood rows.
  void prune();

  GradeRows rows_;
  AlsWeights weights_;
  MaxVol maxvol_;
  std::vector<Configuration> pool_;                      // configurations referred to by row tags
  std::vector<RowSource> source_;                        // one per pool entry
  std::vector<std::vector<Eigen::Index>> site_columns_;  // per species (GradeRows::site_columns)
  std::vector<RowMatrix> site_inverse_;                  // A⁻¹ rows of those columns
};

}  // namespace superion
