// Deterministic segmented sums on the device: for each segment s (a replica, a configuration, the
// clusters of one replica …) and each of `width` interleaved components, the fixed-shape sum of
// core/fixed_sum.hpp over the segment's items. One for_n launch per tree level; the tree depends
// only on the segment lengths, so the result is the CPU's fixed_sum() bit for bit, for any thread
// or block count. Reusable by any device code that needs sums feeding physics (MD, training).
#pragma once

#include <vector>

#include "backend.hpp"
#include "buffers.hpp"

namespace superion::device::SUPERION_DEVICE_NS {

class SegmentedSum {
 public:
  SegmentedSum() = default;
  // `begin`: item offsets of the segments (size S+1, items of segment s are begin[s] ..
  // begin[s+1]).
  SegmentedSum(const std::vector<long>& begin, int width);
  // values: device array [items][width]; out: device array [S][width].
  void sum(const double* values, double* out);
  int segments() const { return segments_; }
  int width() const { return width_; }

 private:
  struct Level {
    long items = 0;                        // output items of this level
    dvec<int> seg_of;                      // output item -> segment
    dvec<long> in_begin, in_n, out_begin;  // per segment
    dvec<unsigned char> carry;             // per segment: 1 = already one value, copied
  };
  int segments_ = 0, width_ = 1;
  std::vector<Level> levels_;
  dvec<double> buf_[2];
};

}  // namespace superion::device::SUPERION_DEVICE_NS
