// Python slice semantics of `--frames START:STOP:STEP` (core/frame_slice.hpp). The expected index
// lists were produced by Python's list(range(n))[START:STOP:STEP] (exact: integer indices).
#include <gtest/gtest.h>

#include <utility>
#include <vector>

#include "core/error.hpp"
#include "core/frame_slice.hpp"

using superion::parse_frame_slice;
using superion::slice_indices;

TEST(FrameSlice, MatchesPythonSlicesOnTenFrames) {
  const std::vector<std::pair<const char*, std::vector<std::size_t>>> cases = {
      {"2::3", {2, 5, 8}},
      {"-3:", {7, 8, 9}},
      {":-8", {0, 1}},
      {"-100:3", {0, 1, 2}},
      {"5:100:2", {5, 7, 9}},
      {"5:2", {}},
      {"::", {0, 1, 2, 3, 4, 5, 6, 7, 8, 9}},
      {":", {0, 1, 2, 3, 4, 5, 6, 7, 8, 9}},
      {"3:-3", {3, 4, 5, 6}},
      {"-4:-1:2", {6, 8}},
      {"::4", {0, 4, 8}},
      {"9:", {9}},
      {"+2:4", {2, 3}},
  };
  for (const auto& [text, expected] : cases)
    EXPECT_EQ(slice_indices(parse_frame_slice(text), 10), expected) << text;
}

TEST(FrameSlice, SingleIndexCountsFromEitherEnd) {
  EXPECT_EQ(slice_indices(parse_frame_slice("0"), 10), std::vector<std::size_t>{0});
  EXPECT_EQ(slice_indices(parse_frame_slice("-1"), 10), std::vector<std::size_t>{9});
  EXPECT_EQ(slice_indices(parse_frame_slice("-10"), 10), std::vector<std::size_t>{0});
  EXPECT_THROW(slice_indices(parse_frame_slice("10"), 10), superion::InputError);
  EXPECT_THROW(slice_indices(parse_frame_slice("-11"), 10), superion::InputError);
}

TEST(FrameSlice, EmptySequence) {
  EXPECT_TRUE(slice_indices(parse_frame_slice("::"), 0).empty());
  EXPECT_TRUE(slice_indices(parse_frame_slice("-5:"), 0).empty());
}

TEST(FrameSlice, RejectsMalformedText) {
  for (const char* text :
       {"", "a", "1:2:3:4", "::0", "::-1", "1.5:", " 1:", "1::x", "--1", "-", "1e3:"}) {
    try {
      parse_frame_slice(text);
      ADD_FAILURE() << "accepted '" << text << "'";
    } catch (const superion::InputError& e) {
      // The message quotes the option and the text so the user sees what was wrong.
      EXPECT_NE(std::string(e.what()).find(std::string("--frames '") + text + "'"),
                std::string::npos)
          << e.what();
    }
  }
}
