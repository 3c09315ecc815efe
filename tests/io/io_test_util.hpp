// Helpers for the io tests: exact dataset comparison and error-message assertions.
#pragma once

#include <gtest/gtest.h>

#include <fstream>
#include <functional>
#include <string>

#include "core/configuration.hpp"
#include "core/error.hpp"

namespace superion::testing {

inline void write_text(const std::filesystem::path& p, const std::string& text) {
  std::ofstream(p, std::ios::binary) << text;
}

// Expects `fn` to throw InputError whose message starts with "<file>:<line>:".
inline void expect_input_error(const std::function<void()>& fn, const std::string& file, long line,
                               const std::string& fragment = "") {
  try {
    fn();
    ADD_FAILURE() << "expected InputError at " << file << ":" << line;
  } catch (const InputError& e) {
    const std::string msg = e.what();
    const std::string prefix = line > 0 ? file + ":" + std::to_string(line) + ":" : file + ":";
    EXPECT_EQ(msg.rfind(prefix, 0), 0u) << msg;
    EXPECT_EQ(e.line(), line) << msg;
    if (!fragment.empty()) {
      EXPECT_NE(msg.find(fragment), std::string::npos) << msg;
    }
  }
}

// Relative/absolute closeness: |a-b| <= tol * max(1, |a|, |b|).
inline bool close(double a, double b, double tol) {
  return std::fabs(a - b) <= tol * std::max({1.0, std::fabs(a), std::fabs(b)});
}

// Compares two datasets component by component with tolerance `tol` (0 = bit-identical).
inline void expect_same_dataset(const Dataset& a, const Dataset& b, double tol,
                                bool compare_cell = true) {
  ASSERT_EQ(a.size(), b.size());
  for (std::size_t k = 0; k < a.size(); ++k) {
    const auto& ca = a.configs[k];
    const auto& cb = b.configs[k];
    SCOPED_TRACE("config " + std::to_string(k));
    ASSERT_EQ(ca.size(), cb.size());
    for (int i = 0; i < 3; ++i) {
      if (compare_cell) {
        EXPECT_EQ(ca.structure.pbc[i], cb.structure.pbc[i]);
      }
      for (int j = 0; j < 3; ++j)
        if (compare_cell) {
          EXPECT_TRUE(close(ca.structure.cell[i][j], cb.structure.cell[i][j], tol));
        }
    }
    EXPECT_EQ(ca.structure.types, cb.structure.types);
    for (std::size_t i = 0; i < ca.size(); ++i)
      for (int d = 0; d < 3; ++d)
        ASSERT_TRUE(close(ca.structure.positions[i][d], cb.structure.positions[i][d], tol))
            << "atom " << i << ": " << ca.structure.positions[i][d] << " vs "
            << cb.structure.positions[i][d];
    ASSERT_EQ(ca.energy.has_value(), cb.energy.has_value());
    if (ca.energy) {
      EXPECT_TRUE(close(*ca.energy, *cb.energy, tol)) << *ca.energy << " vs " << *cb.energy;
    }
    ASSERT_EQ(ca.forces.has_value(), cb.forces.has_value());
    if (ca.forces)
      for (std::size_t i = 0; i < ca.size(); ++i)
        for (int d = 0; d < 3; ++d) {
          ASSERT_TRUE(close((*ca.forces)[i][d], (*cb.forces)[i][d], tol));
        }
    ASSERT_EQ(ca.virial.has_value(), cb.virial.has_value());
    if (ca.virial)
      for (int i = 0; i < 3; ++i)
        for (int j = 0; j < 3; ++j) {
          EXPECT_TRUE(close((*ca.virial)[i][j], (*cb.virial)[i][j], tol));
        }
    ASSERT_EQ(ca.charges.has_value(), cb.charges.has_value());
    if (ca.charges)
      for (std::size_t i = 0; i < ca.size(); ++i) {
        EXPECT_TRUE(close((*ca.charges)[i], (*cb.charges)[i], tol));
      }
    ASSERT_EQ(ca.site_energies.has_value(), cb.site_energies.has_value());
    if (ca.site_energies)
      for (std::size_t i = 0; i < ca.size(); ++i) {
        EXPECT_TRUE(close((*ca.site_energies)[i], (*cb.site_energies)[i], tol));
      }
  }
}

}  // namespace superion::testing
