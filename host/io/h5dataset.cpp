// HDF5 dataset container (C API behind small RAII handles).
#include "io/h5dataset.hpp"

#include <hdf5.h>

#include <cstring>
#include <nlohmann/json.hpp>
#include <vector>

#include "core/atomic_file.hpp"
#include "core/error.hpp"
#include "io/h5_handle.hpp"

namespace superion::io {
namespace {

using Handle = H5Handle;

constexpr int kVersion = 1;

void write_array(hid_t file, const char* name, hid_t type, const std::vector<hsize_t>& dims,
                 const void* data, const std::string& path) {
  Handle space(H5Screate_simple(static_cast<int>(dims.size()), dims.data(), nullptr), H5Sclose);
  Handle set(H5Dcreate2(file, name, type, space.get(), H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT),
             H5Dclose);
  if (!set.ok()) throw Error(path + ": cannot create dataset " + name);
  bool empty = false;
  for (hsize_t d : dims) empty |= d == 0;
  if (!empty && H5Dwrite(set.get(), type, H5S_ALL, H5S_ALL, H5P_DEFAULT, data) < 0)
    throw Error(path + ": cannot write dataset " + name);
}

void write_strings(hid_t file, const char* name, const std::vector<std::string>& values,
                   const std::string& path) {
  Handle type(H5Tcopy(H5T_C_S1), H5Tclose);
  H5Tset_size(type.get(), H5T_VARIABLE);
  H5Tset_cset(type.get(), H5T_CSET_UTF8);
  std::vector<const char*> ptrs;
  for (const auto& v : values) ptrs.push_back(v.c_str());
  write_array(file, name, type.get(), {values.size()}, ptrs.data(), path);
}

hsize_t length(hid_t file, const char* name, const std::string& path) {
  Handle set(H5Dopen2(file, name, H5P_DEFAULT), H5Dclose);
  if (!set.ok()) throw InputError(path, 0, std::string("missing dataset /") + name);
  Handle space(H5Dget_space(set.get()), H5Sclose);
  hsize_t dims[4] = {0, 0, 0, 0};
  H5Sget_simple_extent_dims(space.get(), dims, nullptr);
  return dims[0];
}

template <class T>
std::vector<T> read_array(hid_t file, const char* name, hid_t type, std::size_t expected,
                          const std::string& path) {
  Handle set(H5Dopen2(file, name, H5P_DEFAULT), H5Dclose);
  if (!set.ok()) throw InputError(path, 0, std::string("missing dataset /") + name);
  Handle space(H5Dget_space(set.get()), H5Sclose);
  const auto n = static_cast<std::size_t>(H5Sget_simple_extent_npoints(space.get()));
  if (n != expected)
    throw InputError(path, 0,
                     std::string("dataset /") + name + " has " + std::to_string(n) +
                         " values, expected " + std::to_string(expected));
  std::vector<T> out(n);
  if (n > 0 && H5Dread(set.get(), type, H5S_ALL, H5S_ALL, H5P_DEFAULT, out.data()) < 0)
    throw InputError(path, 0, std::string("cannot read dataset /") + name);
  return out;
}

std::vector<std::string> read_strings(hid_t file, const char* name, std::size_t expected,
                                      const std::string& path) {
  Handle type(H5Tcopy(H5T_C_S1), H5Tclose);
  H5Tset_size(type.get(), H5T_VARIABLE);
  H5Tset_cset(type.get(), H5T_CSET_UTF8);
  auto ptrs = read_array<char*>(file, name, type.get(), expected, path);
  std::vector<std::string> out;
  for (char* p : ptrs) out.emplace_back(p ? p : "");
  if (!ptrs.empty()) {
    Handle set(H5Dopen2(file, name, H5P_DEFAULT), H5Dclose);
    Handle space(H5Dget_space(set.get()), H5Sclose);
    H5Dvlen_reclaim(type.get(), space.get(), H5P_DEFAULT, ptrs.data());
  }
  return out;
}

bool exists(hid_t file, const char* name) {
  return H5Lexists(file, name, H5P_DEFAULT) > 0;
}

}  // namespace

void write_h5_dataset(const std::filesystem::path& path, const Dataset& d) {
  const std::filesystem::path temp = temp_path_for(path);
  {
    Handle file(H5Fcreate(temp.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT), H5Fclose);
    if (!file.ok()) throw Error("cannot create '" + temp.string() + "'");
    const std::string p = path.string();
    const std::size_t k = d.size();
    std::vector<long long> n_atoms(k), offsets(k + 1, 0);
    std::vector<double> cell(9 * k), energy(k, 0.0), virial(9 * k, 0.0), weight(k);
    std::vector<unsigned char> pbc(3 * k), has_e(k), has_f(k), has_w(k), has_s(k), has_q(k);
    std::vector<std::string> config_type(k), features(k);
    bool any_s = false, any_q = false;
    for (std::size_t c = 0; c < k; ++c) {
      const Configuration& conf = d.configs[c];
      n_atoms[c] = static_cast<long long>(conf.size());
      offsets[c + 1] = offsets[c] + n_atoms[c];
      for (int a = 0; a < 3; ++a) {
        pbc[3 * c + static_cast<std::size_t>(a)] = conf.structure.pbc[static_cast<std::size_t>(a)];
        for (int b = 0; b < 3; ++b) {
          cell[9 * c + static_cast<std::size_t>(3 * a + b)] = conf.structure.cell[a][b];
          if (conf.virial)
            virial[9 * c + static_cast<std::size_t>(3 * a + b)] = (*conf.virial)[a][b];
        }
      }
      has_e[c] = conf.energy.has_value();
      energy[c] = conf.energy.value_or(0.0);
      has_f[c] = conf.forces.has_value();
      has_w[c] = conf.virial.has_value();
      has_s[c] = conf.site_energies.has_value();
      has_q[c] = conf.charges.has_value();
      any_s |= has_s[c];
      any_q |= has_q[c];
      weight[c] = conf.weight;
      config_type[c] = conf.config_type;
      features[c] = nlohmann::json(conf.features).dump();
    }
    const auto m = static_cast<std::size_t>(offsets[k]);
    std::vector<double> pos(3 * m), forces(3 * m, 0.0), site(m, 0.0), charge(m, 0.0);
    std::vector<int> types(m);
    for (std::size_t c = 0; c < k; ++c) {
      const Configuration& conf = d.configs[c];
      const auto o = static_cast<std::size_t>(offsets[c]);
      for (std::size_t i = 0; i < conf.size(); ++i) {
        for (int a = 0; a < 3; ++a) {
          pos[3 * (o + i) + static_cast<std::size_t>(a)] = conf.structure.positions[i][a];
          if (conf.forces) forces[3 * (o + i) + static_cast<std::size_t>(a)] = (*conf.forces)[i][a];
        }
        types[o + i] = conf.structure.types[i];
        if (conf.site_energies) site[o + i] = (*conf.site_energies)[i];
        if (conf.charges) charge[o + i] = (*conf.charges)[i];
      }
    }
    std::vector<std::string> species = d.species;
    if (species.empty() && !d.configs.empty())
      species = d.configs.front().structure.species_symbols;
    const hid_t f = file.get();
    write_array(f, "n_atoms", H5T_NATIVE_LLONG, {k}, n_atoms.data(), p);
    write_array(f, "offsets", H5T_NATIVE_LLONG, {k + 1}, offsets.data(), p);
    write_array(f, "cell", H5T_NATIVE_DOUBLE, {k, 3, 3}, cell.data(), p);
    write_array(f, "pbc", H5T_NATIVE_UCHAR, {k, 3}, pbc.data(), p);
    write_array(f, "positions", H5T_NATIVE_DOUBLE, {m, 3}, pos.data(), p);
    write_array(f, "types", H5T_NATIVE_INT, {m}, types.data(), p);
    write_array(f, "energy", H5T_NATIVE_DOUBLE, {k}, energy.data(), p);
    write_array(f, "has_energy", H5T_NATIVE_UCHAR, {k}, has_e.data(), p);
    write_array(f, "forces", H5T_NATIVE_DOUBLE, {m, 3}, forces.data(), p);
    write_array(f, "has_forces", H5T_NATIVE_UCHAR, {k}, has_f.data(), p);
    write_array(f, "virial", H5T_NATIVE_DOUBLE, {k, 3, 3}, virial.data(), p);
    write_array(f, "has_virial", H5T_NATIVE_UCHAR, {k}, has_w.data(), p);
    write_array(f, "weight", H5T_NATIVE_DOUBLE, {k}, weight.data(), p);
    write_strings(f, "species", species, p);
    write_strings(f, "config_type", config_type, p);
    write_strings(f, "features", features, p);
    if (any_s) {
      write_array(f, "site_energies", H5T_NATIVE_DOUBLE, {m}, site.data(), p);
      write_array(f, "has_site_energies", H5T_NATIVE_UCHAR, {k}, has_s.data(), p);
    }
    if (any_q) {
      write_array(f, "charges", H5T_NATIVE_DOUBLE, {m}, charge.data(), p);
      write_array(f, "has_charges", H5T_NATIVE_UCHAR, {k}, has_q.data(), p);
    }
    // Root attributes identifying the format.
    Handle scalar(H5Screate(H5S_SCALAR), H5Sclose);
    Handle str(H5Tcopy(H5T_C_S1), H5Tclose);
    const char* fmt = "superion_dataset";
    H5Tset_size(str.get(), std::strlen(fmt));
    Handle a1(H5Acreate2(f, "format", str.get(), scalar.get(), H5P_DEFAULT, H5P_DEFAULT), H5Aclose);
    H5Awrite(a1.get(), str.get(), fmt);
    Handle a2(H5Acreate2(f, "version", H5T_NATIVE_INT, scalar.get(), H5P_DEFAULT, H5P_DEFAULT),
              H5Aclose);
    H5Awrite(a2.get(), H5T_NATIVE_INT, &kVersion);
    if (H5Fflush(f, H5F_SCOPE_GLOBAL) < 0) throw Error("cannot flush '" + temp.string() + "'");
  }
  commit_temp_file(temp, path);
}

bool is_h5_dataset(const std::filesystem::path& path) {
  if (H5Fis_hdf5(path.c_str()) <= 0) return false;
  Handle file(H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT), H5Fclose);
  if (!file.ok() || H5Aexists(file.get(), "format") <= 0) return false;
  Handle attr(H5Aopen(file.get(), "format", H5P_DEFAULT), H5Aclose);
  Handle type(H5Aget_type(attr.get()), H5Tclose);
  if (H5Tget_class(type.get()) != H5T_STRING || H5Tis_variable_str(type.get()) > 0) return false;
  std::string value(H5Tget_size(type.get()), '\0');
  H5Aread(attr.get(), type.get(), value.data());
  return value == "superion_dataset";
}

Dataset read_h5_dataset(const std::filesystem::path& path) {
  const std::string p = path.string();
  H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);  // we report errors ourselves
  if (!is_h5_dataset(path))
    throw InputError(p, 0,
                     "not a superion HDF5 dataset (root attribute format = superion_dataset)");
  Handle file(H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT), H5Fclose);
  const hid_t f = file.get();
  const auto k = static_cast<std::size_t>(length(f, "n_atoms", p));
  const auto n_atoms = read_array<long long>(f, "n_atoms", H5T_NATIVE_LLONG, k, p);
  const auto offsets = read_array<long long>(f, "offsets", H5T_NATIVE_LLONG, k + 1, p);
  for (std::size_t c = 0; c < k; ++c)
    if (n_atoms[c] < 0 || offsets[c + 1] - offsets[c] != n_atoms[c])
      throw InputError(p, 0,
                       "offsets and n_atoms disagree at configuration " + std::to_string(c + 1));
  const auto m = static_cast<std::size_t>(offsets[k]);
  const auto cell = read_array<double>(f, "cell", H5T_NATIVE_DOUBLE, 9 * k, p);
  const auto pbc = read_array<unsigned char>(f, "pbc", H5T_NATIVE_UCHAR, 3 * k, p);
  const auto pos = read_array<double>(f, "positions", H5T_NATIVE_DOUBLE, 3 * m, p);
  const auto types = read_array<int>(f, "types", H5T_NATIVE_INT, m, p);
  const auto energy = read_array<double>(f, "energy", H5T_NATIVE_DOUBLE, k, p);
  const auto has_e = read_array<unsigned char>(f, "has_energy", H5T_NATIVE_UCHAR, k, p);
  const auto forces = read_array<double>(f, "forces", H5T_NATIVE_DOUBLE, 3 * m, p);
  const auto has_f = read_array<unsigned char>(f, "has_forces", H5T_NATIVE_UCHAR, k, p);
  const auto virial = read_array<double>(f, "virial", H5T_NATIVE_DOUBLE, 9 * k, p);
  const auto has_w = read_array<unsigned char>(f, "has_virial", H5T_NATIVE_UCHAR, k, p);
  const auto weight = read_array<double>(f, "weight", H5T_NATIVE_DOUBLE, k, p);
  const auto species =
      read_strings(f, "species", static_cast<std::size_t>(length(f, "species", p)), p);
  const auto config_type = read_strings(f, "config_type", k, p);
  const auto features = read_strings(f, "features", k, p);
  std::vector<double> site, charge;
  std::vector<unsigned char> has_s(k, 0), has_q(k, 0);
  if (exists(f, "site_energies")) {
    site = read_array<double>(f, "site_energies", H5T_NATIVE_DOUBLE, m, p);
    has_s = read_array<unsigned char>(f, "has_site_energies", H5T_NATIVE_UCHAR, k, p);
  }
  if (exists(f, "charges")) {
    charge = read_array<double>(f, "charges", H5T_NATIVE_DOUBLE, m, p);
    has_q = read_array<unsigned char>(f, "has_charges", H5T_NATIVE_UCHAR, k, p);
  }
  Dataset d;
  d.species = species;
  d.configs.resize(k);
  for (std::size_t c = 0; c < k; ++c) {
    Configuration& conf = d.configs[c];
    Structure& s = conf.structure;
    const auto o = static_cast<std::size_t>(offsets[c]), n = static_cast<std::size_t>(n_atoms[c]);
    for (int a = 0; a < 3; ++a) {
      s.pbc[static_cast<std::size_t>(a)] = pbc[3 * c + static_cast<std::size_t>(a)] != 0;
      for (int b = 0; b < 3; ++b) s.cell[a][b] = cell[9 * c + static_cast<std::size_t>(3 * a + b)];
    }
    s.species_symbols = species;
    s.positions.resize(n);
    s.types.resize(n);
    for (std::size_t i = 0; i < n; ++i) {
      s.positions[i] = {pos[3 * (o + i)], pos[3 * (o + i) + 1], pos[3 * (o + i) + 2]};
      s.types[i] = types[o + i];
      if (s.types[i] < 0 || (!species.empty() && s.types[i] >= static_cast<int>(species.size())))
        throw InputError(p, 0,
                         "configuration " + std::to_string(c + 1) + " has type " +
                             std::to_string(s.types[i]) + " outside the species list");
    }
    if (has_e[c]) conf.energy = energy[c];
    if (has_f[c]) {
      std::vector<Vec3> fv(n);
      for (std::size_t i = 0; i < n; ++i)
        fv[i] = {forces[3 * (o + i)], forces[3 * (o + i) + 1], forces[3 * (o + i) + 2]};
      conf.forces = fv;
    }
    if (has_w[c]) {
      Mat3 w;
      for (int a = 0; a < 3; ++a)
        for (int b = 0; b < 3; ++b) w[a][b] = virial[9 * c + static_cast<std::size_t>(3 * a + b)];
      conf.virial = w;
    }
    if (has_s[c])
      conf.site_energies = std::vector<double>(site.begin() + static_cast<long>(o),
                                               site.begin() + static_cast<long>(o + n));
    if (has_q[c])
      conf.charges = std::vector<double>(charge.begin() + static_cast<long>(o),
                                         charge.begin() + static_cast<long>(o + n));
    conf.weight = weight[c];
    conf.config_type = config_type[c];
    try {
      conf.features = nlohmann::json::parse(features[c])
                          .get<std::vector<std::pair<std::string, std::string>>>();
    } catch (const nlohmann::json::exception&) {
      throw InputError(p, 0,
                       "configuration " + std::to_string(c + 1) + " has malformed features JSON");
    }
  }
  return d;
}

}  // namespace superion::io
