// spglib wrappers.
#include "pso/symmetry.hpp"

extern "C" {
#include <spglib.h>
}

#include <map>
#include <mutex>

#include "core/error.hpp"
#include "core/geometry.hpp"

namespace superion {

std::vector<SymOp> space_group_operations(int number) {
  if (number < 1 || number > 230) throw Error("space group number must be 1..230");
  static std::mutex mutex;
  static std::map<int, int> first_hall;  // space group → its first (standard) Hall number
  std::lock_guard<std::mutex> lock(mutex);
  if (first_hall.empty())
    for (int h = 530; h >= 1; --h) first_hall[spg_get_spacegroup_type(h).number] = h;
  int rot[192][3][3];
  double trans[192][3];
  const int n = spg_get_symmetry_from_database(rot, trans, first_hall.at(number));
  if (n <= 0) throw Error("spglib has no operations for space group " + std::to_string(number));
  std::vector<SymOp> ops(static_cast<std::size_t>(n));
  for (int k = 0; k < n; ++k) {
    auto& op = ops[static_cast<std::size_t>(k)];
    for (int i = 0; i < 3; ++i) {
      for (int j = 0; j < 3; ++j)
        op.R[static_cast<std::size_t>(i)][static_cast<std::size_t>(j)] = rot[k][i][j];
      op.t[static_cast<std::size_t>(i)] = trans[k][i];
    }
  }
  return ops;
}

std::string crystal_system(int n) {
  if (n <= 2) return "triclinic";
  if (n <= 15) return "monoclinic";
  if (n <= 74) return "orthorhombic";
  if (n <= 142) return "tetragonal";
  if (n <= 167) return "trigonal";
  if (n <= 194) return "hexagonal";
  return "cubic";
}

std::pair<std::string, int> detect_space_group(const Structure& s, double symprec) {
  double lattice[3][3];
  for (int i = 0; i < 3; ++i)
    for (int j = 0; j < 3; ++j) lattice[i][j] = s.cell[j][i];  // spglib: lattice vectors as columns
  const Mat3 inv = inverse(s.cell);
  std::vector<double> pos(3 * s.size());
  std::vector<int> types(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    const Vec3 f = to_fractional(s.positions[i], inv);
    pos[3 * i] = f.x, pos[3 * i + 1] = f.y, pos[3 * i + 2] = f.z;
    types[i] = s.types[i];
  }
  char symbol[11] = {0};
  std::lock_guard<std::mutex> lock(*[] {
    static std::mutex m;
    return &m;
  }());
  const int number =
      spg_get_international(symbol, lattice, reinterpret_cast<double(*)[3]>(pos.data()),
                            types.data(), static_cast<int>(s.size()), symprec);
  if (number <= 0) return {"P1?", 1};
  return {symbol, number};
}

}  // namespace superion
