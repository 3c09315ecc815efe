// How grades are stored and summarised: the feature `MV_grade` in .cfg files (MLIP's name; MLIP-2
// writes it with std::to_string, 6 decimals, we write 10 significant digits) and `mv_grade` in
// extended XYZ (lower-case, as ASE info keys); a summary of many grades.
#pragma once

#include <string>
#include <vector>

#include "core/configuration.hpp"

namespace superion {

// "MV_grade" unless the file name says extended XYZ ("mv_grade").
std::string grade_feature_name(const std::string& path);
// Sets (replaces) the grade feature of a configuration; removes the other spelling.
void set_grade(Configuration& c, const std::string& feature, double grade);
// The grade stored in a configuration's features (either spelling); NaN when absent.
double stored_grade(const Configuration& c);
// Lines: count, min/median/max, how many above `threshold`.
std::string grade_summary(const std::vector<double>& grades, double threshold);

}  // namespace superion
