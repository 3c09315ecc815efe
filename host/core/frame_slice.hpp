// Frame selection with Python slice semantics, for `superion convert --frames`: "START:STOP:STEP"
// with every part optional ("100::5", ":-10", "::2"), negative START/STOP counted from the end
// and clamped to the sequence like Python does, STEP > 0; a lone integer ("0", "-1") selects that
// one frame (an error when it is out of range).
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

namespace superion {

struct FrameSlice {
  std::optional<long> start, stop;  // empty = from the beginning / to the end
  long step = 1;
  bool single = false;  // a lone index: `start` is the frame
  std::string text;     // as given, for messages
};

// Throws InputError("--frames 'TEXT'", 0, what was expected) on malformed text or STEP <= 0.
FrameSlice parse_frame_slice(const std::string& text);

// Indices selected from a sequence of n frames (ascending). Throws InputError for a lone index
// outside [-n, n).
std::vector<std::size_t> slice_indices(const FrameSlice& slice, std::size_t n);

}  // namespace superion
