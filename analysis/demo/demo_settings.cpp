// Per-mode settings of `superion demo` (see demo.hpp). Lengths follow the Na hop rate: the
// reference's vacancy hops slow down ~e^(−0.2 eV / kT), so lower temperatures get longer runs.
#include <cmath>

#include "core/error.hpp"
#include "demo.hpp"

namespace superion::demo {

DemoSettings settings_for(const DemoOptions& o) {
  DemoSettings s;
  switch (o.mode) {
    case Mode::kQuick:  // CI: about a minute on one core; Ea may stay unresolved (and says so)
      s.mode = "quick";
      s.level = 6;
      s.max_iter = 40;
      s.frame_stride = 4;
      s.plan = {{900, 1, 8}, {1100, 1, 8}};
      s.mechanism_T = 1100;
      s.mechanism_ps = 3;
      break;
    case Mode::kDefault:  // <= 15 min on 2 cores; resolves Ea from 500-1100 K
      s.mode = "default";
      s.level = 8;
      s.max_iter = 150;
      s.plan = {{500, 4, 40}, {600, 4, 20}, {700, 4, 12}, {800, 4, 10},
                {900, 4, 8},  {1000, 4, 8}, {1100, 4, 8}};
      s.mechanism_T = 900;  // many hop events for the raster and van Hove, clear frozen contrast
      s.mechanism_ps = 10;
      break;
    case Mode::kFull:  // the paper's 100 ns per temperature at 300-500 K (GPU when present)
      s.mode = "full";
      s.level = 12;
      s.max_iter = 1000;
      s.plan = {{300, 1, 100000}, {350, 1, 100000}, {400, 1, 100000}, {450, 1, 100000},
                {500, 1, 100000}, {700, 8, 100},    {800, 8, 100},    {900, 8, 100},
                {1000, 8, 100},   {1100, 8, 100}};
      s.mechanism_T = 500;
      s.mechanism_ps = 100;
      break;
  }
  if (o.level > 0) s.level = o.level;
  if (o.max_iter > 0) s.max_iter = o.max_iter;
  if (o.level > 0 && (o.level < 2 || o.level > 28 || o.level % 2))
    throw InputError("--level", 0, "expected an even level 2..28");
  if (o.replicas < 0) throw InputError("--replicas", 0, "must be >= 1");
  if (o.md_scale < 0 || !std::isfinite(o.md_scale))
    throw InputError("--md-scale", 0, "must be a positive factor");
  for (auto& p : s.plan) {
    if (o.replicas > 0) p.replicas = o.replicas;
    if (o.md_scale > 0) p.ps *= o.md_scale;
  }
  if (o.md_scale > 0) s.mechanism_ps *= o.md_scale;
  return s;
}

}  // namespace superion::demo
