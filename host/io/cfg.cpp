// MLIP .cfg reader/writer (see cfg.hpp for the conventions).
#include "io/cfg.hpp"

#include <array>
#include <cmath>
#include <cstdio>
#include <string>

#include "core/atomic_file.hpp"
#include "core/string_format.hpp"
#include "io/line_reader.hpp"

namespace superion::io {
namespace {

enum class Col {
  kId,
  kType,
  kCx,
  kCy,
  kCz,
  kDx,
  kDy,
  kDz,
  kFx,
  kFy,
  kFz,
  kSiteEn,
  kCharge,
  kNbhGrades
};

bool column_from_name(std::string_view name, Col& c) {
  static const std::pair<const char*, Col> kNames[] = {
      {"id", Col::kId},         {"type", Col::kType},
      {"cartes_x", Col::kCx},   {"cartes_y", Col::kCy},
      {"cartes_z", Col::kCz},   {"direct_x", Col::kDx},
      {"direct_y", Col::kDy},   {"direct_z", Col::kDz},
      {"fx", Col::kFx},         {"fy", Col::kFy},
      {"fz", Col::kFz},         {"site_en", Col::kSiteEn},
      {"charge", Col::kCharge}, {"nbh_grades", Col::kNbhGrades}};
  for (const auto& [n, col] : kNames)
    if (name == n) {
      c = col;
      return true;
    }
  return false;
}

bool is_keyword(std::string_view tok) {
  return tok == "Size" || tok == "Supercell" || tok == "SuperCell" || tok == "AtomData:" ||
         tok == "Atomic_data:" || tok == "Energy" || tok == "PlusStress:" || tok == "Virial:" ||
         tok == "Stress:" || tok == "Feature" || tok == "Features:" || tok == "END_CFG" ||
         tok == "BEGIN_CFG";
}

void add_feature(Configuration& c, std::string_view name, std::string_view value) {
  if (name == "config_type") {
    c.config_type =
        c.config_type.empty() ? std::string(value) : c.config_type + "\n" + std::string(value);
    return;
  }
  for (auto& [n, v] : c.features)
    if (n == name) {
      v += '\n';
      v += value;
      return;
    }
  c.features.emplace_back(std::string(name), std::string(value));
}

// Reads the six-component stress-like block: labels on the keyword line, values on the next.
Mat3 read_six(LineReader& r, const std::vector<std::string_view>& header, const char* key) {
  int index[6];  // index[k] = which of xx yy zz yz xz xy the k-th value is
  if (header.size() != 7)
    throw r.error(std::string(key) + " needs the 6 labels xx yy zz yz xz xy on its line");
  static const char* kLabels[6] = {"xx", "yy", "zz", "yz", "xz", "xy"};
  bool seen[6] = {false, false, false, false, false, false};
  for (int k = 0; k < 6; ++k) {
    int found = -1;
    for (int l = 0; l < 6; ++l)
      if (header[static_cast<std::size_t>(k + 1)] == kLabels[l]) found = l;
    if (found < 0 || seen[found])
      throw r.error(std::string(key) + ": unknown or repeated label '" +
                    std::string(header[static_cast<std::size_t>(k + 1)]) +
                    "' (expected xx yy zz yz xz xy)");
    seen[found] = true;
    index[k] = found;
  }
  const auto values = split_ws(r.require_nonblank(std::string("6 values after ") + key));
  if (values.size() != 6)
    throw r.error(std::string("expected 6 values after ") + key + ", got " +
                  std::to_string(values.size()));
  Mat3 w;
  static const int kRow[6] = {0, 1, 2, 1, 0, 0}, kCol[6] = {0, 1, 2, 2, 2, 1};
  for (int k = 0; k < 6; ++k) {
    const double v = to_double(r, values[static_cast<std::size_t>(k)], key);
    const int l = index[k];
    w[kRow[l]][kCol[l]] = w[kCol[l]][kRow[l]] = v;
  }
  return w;
}

Configuration read_one(LineReader& r) {
  Configuration c;
  Structure& s = c.structure;
  s.pbc = {false, false, false};
  long size = -1;
  int n_rows = 0;
  bool have_atoms = false, direct = false;
  long direct_line = 0;
  std::vector<std::string_view> tok;
  std::string_view line;
  for (;;) {
    if (!r.next_nonblank(line))
      throw r.error("unexpected end of file inside a configuration: missing END_CFG");
    split_ws(line, tok);
    const std::string_view key = tok[0];
    if (key == "END_CFG") break;
    if (key == "Size") {
      const auto v = split_ws(r.require_nonblank("the number of atoms after Size"));
      if (v.size() != 1) throw r.error("expected one integer (number of atoms) after Size");
      size = to_long(r, v[0], "number of atoms");
      if (size < 0) throw r.error("Size must be >= 0");
    } else if (key == "Supercell" || key == "SuperCell") {
      n_rows = 0;
      while (r.next_nonblank(line)) {
        split_ws(line, tok);
        if (is_keyword(tok[0])) {
          r.unread();
          break;
        }
        if (n_rows == 3) throw r.error("Supercell has more than 3 lattice vectors");
        if (tok.size() != 3) throw r.error("expected a lattice vector (3 numbers) in Supercell");
        for (int k = 0; k < 3; ++k)
          s.cell[n_rows][k] = to_double(r, tok[static_cast<std::size_t>(k)], "lattice component");
        s.pbc[static_cast<std::size_t>(n_rows)] = true;
        ++n_rows;
      }
      if (n_rows == 0) throw r.error("Supercell block without lattice vectors");
    } else if (key == "AtomData:" || key == "Atomic_data:") {
      if (size < 0) throw r.error("AtomData before Size");
      if (have_atoms) throw r.error("second AtomData block in one configuration");
      have_atoms = true;
      const std::size_t ncol = tok.size() - 1;
      std::vector<Col> cols(ncol);
      int count[14] = {0};
      for (std::size_t k = 0; k < ncol; ++k) {
        if (!column_from_name(tok[k + 1], cols[k]))
          throw r.error("AtomData column '" + std::string(tok[k + 1]) +
                        "' is not supported (known: id type cartes_x/y/z direct_x/y/z fx fy fz "
                        "site_en charge nbh_grades)");
        if (++count[static_cast<int>(cols[k])] > 1)
          throw r.error("AtomData column '" + std::string(tok[k + 1]) + "' repeated");
      }
      auto has = [&](Col cl) { return count[static_cast<int>(cl)] > 0; };
      const int n_cart = has(Col::kCx) + has(Col::kCy) + has(Col::kCz);
      const int n_dir = has(Col::kDx) + has(Col::kDy) + has(Col::kDz);
      const int n_f = has(Col::kFx) + has(Col::kFy) + has(Col::kFz);
      if (!((n_cart == 3 && n_dir == 0) || (n_cart == 0 && n_dir == 3)))
        throw r.error(
            "AtomData needs either cartes_x cartes_y cartes_z or direct_x direct_y direct_z");
      if (n_f != 0 && n_f != 3) throw r.error("AtomData needs all of fx fy fz or none");
      direct = n_dir == 3;
      direct_line = r.line_number();
      const auto n = static_cast<std::size_t>(size);
      s.positions.assign(n, Vec3{});
      s.types.assign(n, 0);
      if (n_f) c.forces.emplace(n, Vec3{});
      if (has(Col::kSiteEn)) c.site_energies.emplace(n, 0.0);
      if (has(Col::kCharge)) c.charges.emplace(n, 0.0);
      if (has(Col::kNbhGrades)) c.nbh_grades.emplace(n, 0.0);
      for (std::size_t i = 0; i < n; ++i) {
        if (!r.next_nonblank(line))
          throw r.error("unexpected end of file: expected " + std::to_string(n) +
                        " atom lines (Size), got " + std::to_string(i));
        split_ws(line, tok);
        if (is_keyword(tok[0]))
          throw r.error("expected " + std::to_string(n) + " atom lines (Size), got " +
                        std::to_string(i));
        if (tok.size() != ncol)
          throw r.error("atom line has " + std::to_string(tok.size()) +
                        " columns, the AtomData header " + std::to_string(ncol));
        for (std::size_t k = 0; k < ncol; ++k) {
          const std::string_view t = tok[k];
          switch (cols[k]) {
            case Col::kId: {
              const long id = to_long(r, t, "atom id");
              if (id != static_cast<long>(i) + 1)
                throw r.error("atom id " + std::string(t) + " out of order (expected " +
                              std::to_string(i + 1) + ")");
              break;
            }
            case Col::kType: {
              const long ty = to_long(r, t, "atom type");
              if (ty < 0 || ty > 100000)
                throw r.error("atom type must be a non-negative integer, got " + std::string(t));
              s.types[i] = static_cast<int>(ty);
              break;
            }
            case Col::kCx:
            case Col::kDx:
              s.positions[i].x = to_double(r, t, "coordinate");
              break;
            case Col::kCy:
            case Col::kDy:
              s.positions[i].y = to_double(r, t, "coordinate");
              break;
            case Col::kCz:
            case Col::kDz:
              s.positions[i].z = to_double(r, t, "coordinate");
              break;
            case Col::kFx:
              (*c.forces)[i].x = to_double(r, t, "force");
              break;
            case Col::kFy:
              (*c.forces)[i].y = to_double(r, t, "force");
              break;
            case Col::kFz:
              (*c.forces)[i].z = to_double(r, t, "force");
              break;
            case Col::kSiteEn:
              (*c.site_energies)[i] = to_double(r, t, "site energy");
              break;
            case Col::kCharge:
              (*c.charges)[i] = to_double(r, t, "charge");
              break;
            case Col::kNbhGrades:
              (*c.nbh_grades)[i] = to_double(r, t, "neighbourhood grade");
              break;
          }
        }
      }
    } else if (key == "Energy") {
      const auto v = split_ws(r.require_nonblank("the energy after Energy"));
      if (v.size() != 1) throw r.error("expected one number (energy, eV) after Energy");
      c.energy = to_double(r, v[0], "energy");
    } else if (key == "PlusStress:") {
      c.virial = read_six(r, tok, "PlusStress:");
    } else if (key == "Virial:") {
      // MLIP's legacy key: the numbers are divided by the cell volume on read (MTP_FACTS §7).
      if (n_rows != 3)
        throw r.error(
            "Virial: needs a 3-row Supercell before it (values are divided by the volume)");
      const Mat3 w = read_six(r, tok, "Virial:");
      c.virial = (1.0 / std::fabs(det(s.cell))) * w;
    } else if (key == "Stress:") {
      throw r.error(
          "legacy 'Stress:' block is not accepted (its sign is ambiguous; MLIP-2 refuses it too): "
          "write the virial in eV as 'PlusStress:' (positive = compressed)");
    } else if (key == "Feature") {
      if (tok.size() < 2) throw r.error("Feature needs a name");
      const std::string_view rest =
          trim(line.substr(static_cast<std::size_t>(tok[1].data() + tok[1].size() - line.data())));
      add_feature(c, tok[1], rest);
    } else if (key == "Features:") {
      while (r.next_nonblank(line)) {
        split_ws(line, tok);
        if (is_keyword(tok[0])) {
          r.unread();
          break;
        }
        add_feature(c, tok[0],
                    trim(line.substr(
                        static_cast<std::size_t>(tok[0].data() + tok[0].size() - line.data()))));
      }
    } else if (key == "BEGIN_CFG") {
      throw r.error("BEGIN_CFG inside a configuration (missing END_CFG of the previous one)");
    } else {
      throw r.error("unknown keyword '" + std::string(key) + "' in configuration");
    }
  }
  if (!have_atoms) {
    if (size != 0) throw r.error("configuration without AtomData");
  }
  if (direct) {
    if (n_rows != 3)
      throw InputError(r.name(), direct_line,
                       "direct_x/y/z coordinates need a Supercell with 3 lattice vectors");
    for (auto& p : s.positions) p = row_times(p, s.cell);
  }
  return c;
}

Dataset parse_cfg(LineReader& r) {
  Dataset data;
  std::string_view line;
  while (r.next_nonblank(line)) {
    const std::string_view t = trim(line);
    if (t == "BEGIN_CFG") {
      data.configs.push_back(read_one(r));
    } else if (r.line_number() == 1 && !t.empty() && t[0] == 'n') {
      throw r.error(
          "binary .cfg files are not supported: convert with `mlp convert-cfg "
          "--output-format=txt`");
    } else if (t == "BEGIN") {
      throw r.error("pre-2018 .cfg format (BEGIN … END) is not supported");
    } else {
      throw r.error("expected BEGIN_CFG, got '" + std::string(t.substr(0, 40)) + "'");
    }
  }
  return data;
}

}  // namespace

Dataset read_cfg_text(std::string text, const std::string& name) {
  LineReader r(std::move(text), name);
  return parse_cfg(r);
}

Dataset read_cfg(const std::filesystem::path& path) {
  LineReader r(path);
  return parse_cfg(r);
}

void format_cfg(std::string& out, const Configuration& c, const CfgWriteOptions& o) {
  const Structure& s = c.structure;
  const std::size_t n = s.size();
  const bool L = o.lossless;
  out += "BEGIN_CFG\n Size\n";
  appendf(out, "    %zu\n", n);
  int n_rows = 0;
  while (n_rows < 3 && s.pbc[static_cast<std::size_t>(n_rows)]) ++n_rows;
  for (int k = n_rows; k < 3; ++k)
    if (s.pbc[static_cast<std::size_t>(k)])
      throw Error(
          ".cfg can only represent periodic directions as the first lattice rows (pbc must be T.., "
          "TT., TTT or FFF)");
  if (n_rows > 0) {
    out += " Supercell\n";
    for (int k = 0; k < n_rows; ++k) {
      if (L)
        appendf(out, "    %.16e %.16e %.16e\n", s.cell[k][0], s.cell[k][1], s.cell[k][2]);
      else
        appendf(out, "    %13.6f %13.6f %13.6f\n", s.cell[k][0], s.cell[k][1], s.cell[k][2]);
    }
  }
  out += " AtomData:  id type       cartes_x      cartes_y      cartes_z";
  if (c.forces) out += "           fx          fy          fz";
  if (c.site_energies) out += "      site_en";
  if (c.charges) out += "      charge";
  if (c.nbh_grades) out += "  nbh_grades";
  out += '\n';
  if (s.types.size() != n || (c.forces && c.forces->size() != n) ||
      (c.site_energies && c.site_energies->size() != n) || (c.charges && c.charges->size() != n) ||
      (c.nbh_grades && c.nbh_grades->size() != n))
    throw Error("configuration arrays have inconsistent sizes; cannot write .cfg");
  for (std::size_t i = 0; i < n; ++i) {
    const Vec3& p = s.positions[i];
    if (L) {
      appendf(out, "    %zu %d  %.16e %.16e %.16e", i + 1, s.types[i], p.x, p.y, p.z);
      if (c.forces) {
        const Vec3& f = (*c.forces)[i];
        appendf(out, "  %.16e %.16e %.16e", f.x, f.y, f.z);
      }
      if (c.site_energies) appendf(out, "  %.16e", (*c.site_energies)[i]);
      if (c.charges) appendf(out, "  %.16e", (*c.charges)[i]);
      if (c.nbh_grades) appendf(out, "  %.16e", (*c.nbh_grades)[i]);
    } else {
      appendf(out, "%14zu %4d %14.6f %13.6f %13.6f", i + 1, s.types[i], p.x, p.y, p.z);
      if (c.forces) {
        const Vec3& f = (*c.forces)[i];
        appendf(out, " %11.6f %11.6f %11.6f", f.x, f.y, f.z);
      }
      if (c.site_energies) appendf(out, " %20.12f", (*c.site_energies)[i]);
      if (c.charges) appendf(out, " %11.4f", (*c.charges)[i]);
      if (c.nbh_grades) appendf(out, " %16.10g", (*c.nbh_grades)[i]);
    }
    out += '\n';
  }
  if (c.energy) {
    out += " Energy\n";
    appendf(out, L ? "    %.16e\n" : "    %20.12f\n", *c.energy);
  }
  if (c.virial) {
    const Mat3& w = *c.virial;
    out += " PlusStress:  xx          yy          zz          yz          xz          xy\n";
    if (L)
      appendf(out, "     %.16e %.16e %.16e %.16e %.16e %.16e\n", w[0][0], w[1][1], w[2][2], w[1][2],
              w[0][2], w[0][1]);  // MLIP's lossless layout (5 spaces)
    else
      appendf(out, "    %12.5f %11.5f %11.5f %11.5f %11.5f %11.5f\n", w[0][0], w[1][1], w[2][2],
              w[1][2], w[0][2], w[0][1]);
  }
  auto write_feature = [&out](const std::string& name, const std::string& value) {
    std::size_t start = 0;
    for (;;) {
      const std::size_t nl = value.find('\n', start);
      out += " Feature   ";
      out += name;
      out += '\t';
      out.append(value, start, nl == std::string::npos ? std::string::npos : nl - start);
      out += '\n';
      if (nl == std::string::npos) break;
      start = nl + 1;
    }
  };
  if (!c.config_type.empty()) write_feature("config_type", c.config_type);
  for (const auto& [name, value] : c.features) {
    if (name.empty() || name.find_first_of(" \t\n") != std::string::npos)
      throw Error(".cfg feature names cannot contain whitespace: '" + name + "'");
    write_feature(name, value);
  }
  out += "END_CFG\n\n";
}

void write_cfg(const std::filesystem::path& path, const Dataset& data,
               const CfgWriteOptions& options) {
  write_text_atomically(path, data.configs, [&options](std::string& buf, const Configuration& c) {
    format_cfg(buf, c, options);
  });
}

}  // namespace superion::io
