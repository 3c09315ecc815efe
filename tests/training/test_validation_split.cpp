// The held-out validation split of `superion train` (training/validation_split.hpp): a function of
// (data, fraction, seed) only, the documented count, stratified by config_type (every group gets
// its proportional share up to one, none is emptied while others can give), seed-dependent, and
// split_by_indices partitions the data in file order.
#include <gtest/gtest.h>

#include <map>
#include <set>

#include "core/error.hpp"
#include "validation_split.hpp"

namespace superion {
namespace {

// Configurations with the given config_type group sizes (empty structures: only the types matter
// for the split).
Dataset typed(const std::vector<std::pair<std::string, int>>& groups, bool interleave = true) {
  Dataset d;
  std::vector<std::string> order;
  for (const auto& [type, n] : groups)
    for (int i = 0; i < n; ++i) order.push_back(type);
  if (interleave)  // mix the groups along the file (as real data sets are not sorted by type)
    for (std::size_t i = 0; i + 3 < order.size(); i += 3) std::swap(order[i], order[i + 3]);
  for (const auto& t : order) {
    Configuration c;
    c.config_type = t;
    d.configs.push_back(c);
  }
  return d;
}

std::map<std::string, int> counts(const Dataset& d, const std::vector<std::size_t>& idx) {
  std::map<std::string, int> n;
  for (std::size_t k : idx) ++n[d.configs[k].config_type];
  return n;
}

// The mlearn Li training set's composition (AIMD-NVT 172, Elastic 22, Surface 11, Vacancy 36).
const std::vector<std::pair<std::string, int>> kLi = {
    {"AIMD-NVT", 172}, {"Elastic", 22}, {"Surface", 11}, {"Vacancy", 36}};

TEST(ValidationSplit, SameSeedSameIndicesOtherSeedOthers) {
  const Dataset d = typed(kLi);
  const auto a = validation_indices(d, 0.1, 1);
  EXPECT_EQ(a, validation_indices(d, 0.1, 1));
  EXPECT_TRUE(std::is_sorted(a.begin(), a.end()));
  EXPECT_EQ(std::set<std::size_t>(a.begin(), a.end()).size(), a.size());
  // 24 of 241 held out: two seeds agree on all 24 with probability ~1e-30.
  EXPECT_NE(a, validation_indices(d, 0.1, 2));
}

TEST(ValidationSplit, CountIsRoundedFractionAndGroupsGetTheirShare) {
  const Dataset d = typed(kLi);
  const auto idx = validation_indices(d, 0.1, 7);
  ASSERT_EQ(idx.size(), 24u);  // round(24.1)
  const auto n = counts(d, idx);
  // share = 24·n_g/241: 17.13, 2.19, 1.10, 3.59 → floor or floor + 1.
  for (const auto& [type, size] : kLi) {
    const double share = 24.0 * size / 241.0;
    const int got = n.count(type) ? n.at(type) : 0;
    EXPECT_GE(got, static_cast<int>(share)) << type;
    EXPECT_LE(got, static_cast<int>(share) + 1) << type;
  }
  // The largest remainder (Vacancy, 0.585) takes the one left over.
  EXPECT_EQ(n.at("Vacancy"), 4);
  // No type information: one group, same count.
  Dataset plain = typed({{"", 262}});
  EXPECT_EQ(validation_indices(plain, 0.1, 1).size(), 26u);
}

TEST(ValidationSplit, SmallGroupsAreNotEmptiedWhileOthersCanGive) {
  // 3 one-configuration types and one of 17: 20 % of 20 = 4; the remainders favour nobody in
  // particular, but the singletons must stay in training.
  const Dataset d = typed({{"a", 1}, {"b", 1}, {"c", 1}, {"z", 17}}, false);
  const auto n = counts(d, validation_indices(d, 0.2, 3));
  EXPECT_EQ(n.count("a") + n.count("b") + n.count("c"), 0u);
  EXPECT_EQ(n.at("z"), 4);
  // Only singletons: emptying groups is then unavoidable.
  const Dataset s = typed({{"a", 1}, {"b", 1}, {"c", 1}, {"d", 1}}, false);
  EXPECT_EQ(validation_indices(s, 0.25, 3).size(), 1u);
}

TEST(ValidationSplit, EdgeCases) {
  const Dataset d = typed({{"", 10}});
  EXPECT_TRUE(validation_indices(d, 0.0, 1).empty());
  EXPECT_EQ(validation_indices(d, 0.01, 1).size(), 1u);  // at least one
  EXPECT_EQ(validation_indices(d, 0.99, 1).size(), 9u);  // at most K − 1
  EXPECT_TRUE(validation_indices(typed({{"", 1}}), 0.5, 1).empty());
  EXPECT_THROW(validation_indices(d, 1.0, 1), Error);
  EXPECT_THROW(validation_indices(d, -0.1, 1), Error);
}

TEST(ValidationSplit, SplitByIndicesPartitionsInFileOrder) {
  Dataset d = typed({{"", 6}});
  d.species = {"Li"};
  for (std::size_t k = 0; k < d.size(); ++k) d.configs[k].weight = static_cast<double>(k);
  const auto [train, valid] = split_by_indices(d, {1, 4});
  ASSERT_EQ(train.size(), 4u);
  ASSERT_EQ(valid.size(), 2u);
  EXPECT_EQ(valid.configs[0].weight, 1.0);
  EXPECT_EQ(valid.configs[1].weight, 4.0);
  const std::vector<double> expect = {0, 2, 3, 5};
  for (std::size_t k = 0; k < 4; ++k) EXPECT_EQ(train.configs[k].weight, expect[k]);
  EXPECT_EQ(train.species, d.species);
  EXPECT_EQ(valid.species, d.species);
  EXPECT_THROW(split_by_indices(d, {6}), Error);
}

}  // namespace
}  // namespace superion
