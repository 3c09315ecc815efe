// Test helper shared by the md and pso grading tests: the 22 Na3ClSO4 CP2K frames of
// data/reference/Na3ClSO4 (five MD runs) written as one training file, and the active set of a
// potential built from them with `superion grade` (MLIP's calc-grade), written as state.als.
#pragma once

#include <gtest/gtest.h>

#include <cstdlib>
#include <string>

#include "test_util.hpp"

namespace superion::testing {

// Writes the frames to `train` (extended XYZ) and the active set of `potential` (species Na, Cl,
// S, O) to `als`; `grade_out` receives the grades of the frames.
inline ::testing::AssertionResult make_na3clso4_active_set(const std::string& potential,
                                                           const std::string& train,
                                                           const std::string& als,
                                                           const std::string& grade_out) {
  std::string all;
  for (const char* f : {"md_1100K_strain+0.00", "md_500K_strain+0.00", "md_800K_strain+0.00",
                        "md_800K_strain+0.05", "md_800K_strain-0.05"})
    all += std::string(" ") + SUPERION_SOURCE_DIR + "/data/reference/Na3ClSO4/" + f + ".xyz";
  if (std::system(("cat" + all + " > " + train).c_str()) != 0)
    return ::testing::AssertionFailure() << "cannot write " << train;
  std::string log;
  if (run_superion("grade " + potential + " " + train + " " + train + " -o " + grade_out +
                       " --species Na,Cl,S,O --als " + als,
                   &log) != 0)
    return ::testing::AssertionFailure() << log;
  return ::testing::AssertionSuccess();
}

}  // namespace superion::testing
