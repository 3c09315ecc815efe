// Loading or building an active set; see active_set_source.hpp.
#include "active_set_source.hpp"

#include <chrono>
#include <cstdio>

#include "als_file.hpp"
#include "core/error.hpp"
#include "io/formats.hpp"

namespace superion {

AlsWeights weights_for_mode(const std::string& mode) {
  if (mode == "cfg") return AlsWeights{0.0, 1.0, 0.0, 0.0};
  if (mode == "nbh") return AlsWeights{1.0, 0.0, 0.0, 0.0};
  throw InputError("--mode", 0, "expected cfg or nbh, got '" + mode + "'");
}

std::string mode_name(const AlsWeights& w) {
  if (w.neighborhood() && w.energy != 0.0) return "nbh+cfg";
  return w.neighborhood() ? "nbh" : "cfg";
}

GradeScope parse_grade_scope(const std::string& s) {
  if (s == "mlip") return GradeScope::kAllRows;
  if (s == "data") return GradeScope::kDataRows;
  throw InputError("--grade-scope", 0, "expected mlip or data, got '" + s + "'");
}

WeightingScheme parse_weighting_scheme(const std::string& s) {
  if (s == "vibrations") return WeightingScheme::kVibrations;
  if (s == "molecules") return WeightingScheme::kMolecules;
  if (s == "structures") return WeightingScheme::kStructures;
  throw InputError("--weighting", 0,
                   "expected vibrations, molecules or structures, got '" + s + "'");
}

bool same_potential(const Mtp& a, const Mtp& b) {
  return a.species_count == b.species_count && a.radial_funcs_count == b.radial_funcs_count &&
         a.radial_basis_size == b.radial_basis_size && a.min_dist == b.min_dist &&
         a.max_dist == b.max_dist && a.scaling == b.scaling &&
         a.alpha_index_basic == b.alpha_index_basic && a.alpha_index_times == b.alpha_index_times &&
         a.alpha_moment_mapping == b.alpha_moment_mapping && a.parameters() == b.parameters();
}

ActiveSet load_active_set(const Mtp& potential, const std::string& potential_name,
                          const ActiveSetSource& src, bool quiet) {
  if (looks_like_als(src.path)) {
    ActiveSet set = read_als(src.path);
    if (!same_potential(set.model(), potential))
      throw InputError(src.path, 0,
                       "this active-learning state was made with a different potential than " +
                           potential_name + " (its grades would mean nothing)");
    if (src.mode_given && mode_name(set.weights()) != src.mode)
      throw InputError(src.path, 0,
                       "the state holds " + mode_name(set.weights()) + " rows, but --mode " +
                           src.mode + " was asked for");
    if (!quiet)
      std::printf(
          "active set: %s (%s rows, %d of %d rows hold configurations, max |A A^-1 - I| = "
          "%.2g)\n",
          src.path.c_str(), mode_name(set.weights()).c_str(), set.size() - set.placeholder_rows(),
          set.size(), set.maxvol().inverse_defect());
    return set;
  }
  io::ReadOptions ro;
  ro.species = src.species;
  const Dataset train = io::read_dataset(src.path, src.format, ro);
  if (train.size() == 0) throw InputError(src.path, 0, "no configurations");
  const auto t0 = std::chrono::steady_clock::now();
  ActiveSet set(potential, weights_for_mode(src.mode), src.init_threshold);
  long swaps = 0;
  try {
    swaps = set.select_training(train, src.entry_threshold, src.swap_threshold, src.weighting);
  } catch (const InputError&) {
    throw;
  } catch (const Error& e) {
    throw InputError(src.path, 0, e.what());
  }
  if (!quiet)
    std::printf(
        "active set: MaxVol over %zu training configurations (%s rows): %ld swaps, %zu "
        "configurations in %d of %d rows (%d rows still at their initial value), max |A A^-1 - "
        "I| = %.2g, %.2f s\n",
        train.size(), src.mode.c_str(), swaps, set.configurations().size(),
        set.size() - set.placeholder_rows(), set.size(), set.placeholder_rows(),
        set.maxvol().inverse_defect(),
        std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
  return set;
}

}  // namespace superion
