// SegmentedSum: the tree levels of core/fixed_sum.hpp, one launch each.
#include "segmented_sum.hpp"

#include <algorithm>

#include "core/error.hpp"
#include "core/fixed_sum.hpp"
#include "launch.hpp"

namespace superion::device::SUPERION_DEVICE_NS {
namespace {

struct SumLevel {
  const double* in;
  double* out;
  const int* seg_of;
  const long *in_begin, *in_n, *out_begin;
  const unsigned char* carry;
  int width;
  SUPERION_HD void operator()(long t) const {
    const long o = t / width;
    const long c = t % width;
    const int s = seg_of[o];
    const double* x = in + in_begin[s] * width + c;
    out[o * width + c] = carry[s] ? x[0] : fixed_sum_chunk(x, in_n[s], width, o - out_begin[s]);
  }
};

}  // namespace

SegmentedSum::SegmentedSum(const std::vector<long>& begin, int width)
    : segments_(static_cast<int>(begin.empty() ? 0 : begin.size() - 1)), width_(width) {
  if (width < 1) throw Error("SegmentedSum: width must be >= 1");
  const std::size_t S = static_cast<std::size_t>(segments_);
  if (S == 0) return;
  std::vector<long> cur_begin(begin.begin(), begin.end() - 1), cur_n(S);
  for (std::size_t s = 0; s < S; ++s) cur_n[s] = begin[s + 1] - begin[s];
  long max_items = 0;
  for (int level = 0;; ++level) {
    std::vector<long> out_n(S), out_begin(S);
    std::vector<unsigned char> carry(S);
    bool done = true;
    long items = 0;
    for (std::size_t s = 0; s < S; ++s) {
      const bool reduce = level == 0 || cur_n[s] > 1;
      carry[s] = reduce ? 0 : 1;
      out_n[s] = reduce ? fixed_sum_chunks(cur_n[s]) : 1;
      out_begin[s] = items;
      items += out_n[s];
      if (out_n[s] > 1) done = false;
    }
    std::vector<int> seg_of(static_cast<std::size_t>(items));
    for (std::size_t s = 0; s < S; ++s)
      std::fill(seg_of.begin() + out_begin[s], seg_of.begin() + out_begin[s] + out_n[s],
                static_cast<int>(s));
    Level L;
    L.items = items;
    upload(L.seg_of, seg_of);
    upload(L.in_begin, cur_begin);
    upload(L.in_n, cur_n);
    upload(L.out_begin, out_begin);
    upload(L.carry, carry);
    levels_.push_back(std::move(L));
    max_items = std::max(max_items, items);
    if (done) break;
    cur_begin = out_begin;
    cur_n = out_n;
  }
  for (auto& b : buf_) b.resize(static_cast<std::size_t>(max_items * width_));
}

void SegmentedSum::sum(const double* values, double* out) {
  const double* in = values;
  for (std::size_t l = 0; l < levels_.size(); ++l) {
    Level& L = levels_[l];
    double* dst = l + 1 == levels_.size() ? out : raw(buf_[l % 2]);
    for_n(L.items * width_, SumLevel{in, dst, raw(L.seg_of), raw(L.in_begin), raw(L.in_n),
                                     raw(L.out_begin), raw(L.carry), width_});
    in = dst;
  }
}

}  // namespace superion::device::SUPERION_DEVICE_NS
