// ActiveSet: rows, selections and grades; see active_set.hpp.
#include "active_set.hpp"

#include <cmath>
#include <limits>
#include <map>
#include <string>

#include "core/error.hpp"

namespace superion {
namespace {

void check_weights(const AlsWeights& w) {
  if (w.force != 0.0 || w.stress != 0.0)
    throw Error(
        "active set: force and stress rows are not supported (MLIP-2's own code for them is "
        "inconsistent); use energy rows and/or neighbourhood rows");
  if (w.nbh == 0.0 && w.energy == 0.0)
    throw Error("active set: the energy and neighbourhood weights are both zero: no rows");
  for (double x : {w.nbh, w.energy})
    if (!std::isfinite(x)) throw Error("active set: non-finite row weight");
}

}  // namespace

ActiveSet::ActiveSet(Mtp model, AlsWeights weights, double init_threshold)
    : rows_(model), weights_(weights), maxvol_(static_cast<int>(model.n_params()), init_threshold) {
  check_weights(weights_);
  prune();
}

ActiveSet::ActiveSet(Mtp model, AlsWeights weights, MaxVol maxvol,
                     std::vector<Configuration> configs, std::vector<int> row_config)
    : rows_(model), weights_(weights), maxvol_(std::move(maxvol)), pool_(std::move(configs)) {
  check_weights(weights_);
  if (maxvol_.size() != rows_.n_params())
    throw Error("active set: the matrix has " + std::to_string(maxvol_.size()) +
                " rows but the potential has " + std::to_string(rows_.n_params()) + " parameters");
  if (row_config.size() != static_cast<std::size_t>(maxvol_.size()))
    throw Error("active set: one configuration index per row expected");
  std::vector<long> tags(row_config.size());
  for (std::size_t j = 0; j < row_config.size(); ++j) {
    if (row_config[j] >= static_cast<int>(pool_.size()))
      throw Error("active set: row " + std::to_string(j) + " refers to configuration " +
                  std::to_string(row_config[j]) + " of " + std::to_string(pool_.size()));
    tags[j] = row_config[j];
  }
  source_.resize(pool_.size());
  for (std::size_t k = 0; k < pool_.size(); ++k) source_[k] = {RowOrigin::kStored, long(k)};
  maxvol_.set_tags(std::move(tags));
  prune();
}

void ActiveSet::configuration_rows(const Structure& s, WeightingScheme weighting, RowMatrix& out,
                                   const NeighborList* list) const {
  RowMatrix site;
  if (list)
    rows_.site_rows(s, *list, site);
  else
    rows_.site_rows(s, site);
  const Eigen::Index n_site = weights_.neighborhood() ? site.rows() : 0;
  const Eigen::Index n_rows = n_site + (weights_.energy != 0.0 ? 1 : 0);
  out.resize(n_rows, rows_.n_params());
  if (n_site > 0) out.topRows(n_site) = site;
  if (weights_.energy != 0.0)
    out.row(n_rows - 1) = GradeRows::energy_row(site, weights_.energy, weighting);
}

void ActiveSet::candidates(const Dataset& data, RowOrigin origin, WeightingScheme weighting,
                           RowMatrix& B, std::vector<long>& tags) {
  std::vector<RowMatrix> blocks;
  Eigen::Index total = 0;
  for (std::size_t k = 0; k < data.size(); ++k) {
    const Configuration& c = data.configs[k];
    if (c.size() == 0) continue;  // MLIP skips configurations without atoms
    RowMatrix rows;
    try {
      configuration_rows(c.structure, weighting, rows);
    } catch (const Error& e) {
      throw Error("configuration " + std::to_string(k + 1) + ": " + e.what());
    }
    if (!rows.allFinite())
      throw Error("configuration " + std::to_string(k + 1) +
                  ": non-finite parameter derivatives (atoms on top of each other?)");
    const long tag = static_cast<long>(pool_.size());
    pool_.push_back(c);
    source_.push_back({origin, static_cast<long>(k)});
    tags.insert(tags.end(), static_cast<std::size_t>(rows.rows()), tag);
    total += rows.rows();
    blocks.push_back(std::move(rows));
  }
  B.resize(total, rows_.n_params());
  Eigen::Index at = 0;
  for (const auto& b : blocks) {
    B.middleRows(at, b.rows()) = b;
    at += b.rows();
  }
}

void ActiveSet::prune() {
  std::vector<long> remap(pool_.size(), -1);
  std::vector<Configuration> pool;
  std::vector<RowSource> source;
  std::vector<long> tags = maxvol_.tags();
  for (long& t : tags) {
    if (t < 0) continue;
    if (remap[t] < 0) {
      remap[t] = static_cast<long>(pool.size());
      pool.push_back(std::move(pool_[t]));
      source.push_back(source_[t]);
    }
    t = remap[t];
  }
  pool_ = std::move(pool);
  source_ = std::move(source);
  maxvol_.set_tags(std::move(tags));
  site_columns_.clear();
  site_inverse_.clear();
  for (int t = 0; t < model().species_count; ++t) {
    site_columns_.push_back(rows_.site_columns(t));
    site_inverse_.push_back(maxvol_.inverse_rows(site_columns_.back()));
  }
}

long ActiveSet::select_training(const Dataset& train, double entry_threshold, double swap_threshold,
                                WeightingScheme weighting) {
  RowMatrix B;
  std::vector<long> tags;
  candidates(train, RowOrigin::kTraining, weighting, B, tags);
  const MaxVol::Stats st = maxvol_.select(B, tags, entry_threshold, swap_threshold);
  prune();  // swapped-out rows are not carried over (MLIP's UpateSelected)
  return st.swaps;
}

SelectOutcome ActiveSet::select_add(const Dataset& cand, double entry_threshold,
                                    double swap_threshold, WeightingScheme weighting,
                                    long max_new) {
  const std::size_t first_new = pool_.size();
  RowMatrix B;
  std::vector<long> tags;
  candidates(cand, RowOrigin::kCandidate, weighting, B, tags);
  // Rows per pool entry currently in A (to count distinct new configurations for the limit).
  std::map<long, long> in_a;
  for (long t : maxvol_.tags())
    if (t >= 0) ++in_a[t];
  long distinct_new = 0;
  auto is_new = [&](long t) { return t >= static_cast<long>(first_new); };
  const std::vector<long> before = maxvol_.tags();
  auto guard = [&](long tag_in, long tag_out) {
    const bool enters = is_new(tag_in) && in_a[tag_in] == 0;
    if (max_new > 0 && enters && distinct_new >= max_new) return false;
    distinct_new += enters;
    ++in_a[tag_in];
    if (tag_out >= 0 && --in_a[tag_out] == 0 && is_new(tag_out)) --distinct_new;
    return true;
  };
  const MaxVol::Stats st = maxvol_.select(B, tags, entry_threshold, swap_threshold, guard);
  SelectOutcome out;
  out.max_grade = st.first_max;
  out.swaps = st.swaps;
  out.limited = st.stopped_by_caller;
  std::vector<char> seen(pool_.size(), 0);
  for (long t : maxvol_.tags())
    if (t >= 0 && is_new(t) && !seen[t]) {
      seen[t] = 1;
      out.added.push_back(source_[t].index);
    }
  std::vector<char> still(pool_.size(), 0);
  for (long t : maxvol_.tags())
    if (t >= 0) still[t] = 1;
  std::vector<char> reported(pool_.size(), 0);
  for (long t : before)
    if (t >= 0 && !still[t] && !reported[t]) {
      reported[t] = 1;
      out.evicted_training.push_back(source_[t].index);
    }
  prune();
  return out;
}

double ActiveSet::grade(const Structure& s, std::vector<double>* site_grades,
                        GradeScope scope) const {
  if (site_grades) site_grades->clear();
  if (s.size() == 0) return 0.0;
  RowMatrix rows;
  configuration_rows(s, WeightingScheme::kVibrations, rows);  // MLIP grades with "vibrations"
  return grade_rows(s, rows, site_grades, scope);
}

double ActiveSet::grade(const Structure& s, const NeighborList& list,
                        std::vector<double>* site_grades, GradeScope scope) const {
  if (site_grades) site_grades->clear();
  if (s.size() == 0) return 0.0;
  RowMatrix rows;
  configuration_rows(s, WeightingScheme::kVibrations, rows, &list);
  return grade_rows(s, rows, site_grades, scope);
}

double ActiveSet::grade_rows(const Structure& s, const RowMatrix& rows,
                             std::vector<double>* site_grades, GradeScope scope) const {
  if (!rows.allFinite()) {
    if (site_grades && weights_.neighborhood())
      site_grades->assign(s.size(), std::numeric_limits<double>::infinity());
    return std::numeric_limits<double>::infinity();
  }
  std::vector<double> g;
  if (scope == GradeScope::kDataRows) {
    g = maxvol_.data_grades(rows);
  } else if (!weights_.neighborhood()) {
    g = maxvol_.grades(rows);
  } else {
    // Site rows are zero outside their species' radial block and the linear parameters: grade
    // them species by species on those columns only (the same coefficients, a fraction of the
    // work). The energy row, when present, is the last row and dense.
    g.assign(static_cast<std::size_t>(rows.rows()), 0.0);
    for (int t = 0; t < model().species_count; ++t) {
      std::vector<Eigen::Index> atoms;
      for (std::size_t i = 0; i < s.size(); ++i)
        if (s.types[i] == t) atoms.push_back(static_cast<Eigen::Index>(i));
      if (atoms.empty()) continue;
      const std::vector<Eigen::Index>& cols = site_columns_[static_cast<std::size_t>(t)];
      RowMatrix sub(static_cast<Eigen::Index>(atoms.size()),
                    static_cast<Eigen::Index>(cols.size()));
      for (std::size_t a = 0; a < atoms.size(); ++a)
        for (std::size_t c = 0; c < cols.size(); ++c)
          sub(static_cast<Eigen::Index>(a), static_cast<Eigen::Index>(c)) = rows(atoms[a], cols[c]);
      const RowMatrix coef = sub * site_inverse_[static_cast<std::size_t>(t)];
      for (std::size_t a = 0; a < atoms.size(); ++a)
        g[static_cast<std::size_t>(atoms[a])] =
            coef.row(static_cast<Eigen::Index>(a)).cwiseAbs().maxCoeff();
    }
    if (weights_.energy != 0.0) {
      const RowMatrix last = rows.bottomRows(1);
      g.back() = maxvol_.grades(last).front();
    }
  }
  double m = 0.0;
  for (double x : g) m = std::max(m, x);
  if (site_grades && weights_.neighborhood())
    site_grades->assign(g.begin(), g.begin() + static_cast<long>(s.size()));
  return m;
}

std::string parameter_name(const Mtp& m, int j) {
  const int C = m.species_count, K = m.radial_funcs_count, R = m.radial_basis_size;
  const int n_radial = static_cast<int>(m.n_radial_params());
  if (j < n_radial) {
    const int beta = j % R, mu = (j / R) % K, s2 = (j / (R * K)) % C, s1 = j / (R * K * C);
    return "radial " + std::to_string(s1) + "-" + std::to_string(s2) + " mu " + std::to_string(mu) +
           " beta " + std::to_string(beta);
  }
  if (j < n_radial + C) return "species constant " + std::to_string(j - n_radial);
  return "moment coefficient " + std::to_string(j - n_radial - C);
}

GradeExplanation ActiveSet::explain(const Structure& s) const {
  GradeExplanation e;
  if (s.size() == 0) return e;
  RowMatrix rows;
  configuration_rows(s, WeightingScheme::kVibrations, rows);
  const RowMatrix c = maxvol_.coordinates(rows);
  Eigen::Index i = 0, j = 0;
  e.grade = c.cwiseAbs().maxCoeff(&i, &j);
  e.atom = weights_.neighborhood() && i < static_cast<Eigen::Index>(s.size()) ? i : -1;
  e.active_row = static_cast<int>(j);
  e.placeholder = maxvol_.tags()[static_cast<std::size_t>(j)] < 0;
  if (e.placeholder) e.parameter = parameter_name(model(), e.active_row);
  return e;
}

const Configuration* ActiveSet::row_configuration(int row) const {
  const long t = maxvol_.tags().at(static_cast<std::size_t>(row));
  return t < 0 ? nullptr : &pool_[t];
}

RowSource ActiveSet::row_source(int row) const {
  const long t = maxvol_.tags().at(static_cast<std::size_t>(row));
  return t < 0 ? RowSource{} : source_[t];
}

std::vector<const Configuration*> ActiveSet::configurations() const {
  std::vector<const Configuration*> out;
  for (const Configuration& c : pool_) out.push_back(&c);  // pool is in row order after prune()
  return out;
}

}  // namespace superion
