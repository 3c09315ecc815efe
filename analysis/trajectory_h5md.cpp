// H5MD trajectory reader for the layout in docs/formats.md ("H5MD trajectory"): reads one frame
// per next() through HDF5 hyperslabs, so memory stays O(atoms).
#include <hdf5.h>

#include <cstring>

#include "core/elements.hpp"
#include "core/error.hpp"
#include "io/h5_handle.hpp"
#include "trajectory.hpp"

namespace superion::analysis {
namespace {

using Handle = io::H5Handle;

class H5mdReader : public TrajectoryReader {
 public:
  H5mdReader(std::string path, TrajectoryOptions opt)
      : path_(std::move(path)), opt_(std::move(opt)) {
    H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);
    file_ = Handle(H5Fopen(path_.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT), H5Fclose);
    if (!file_.ok()) throw InputError(path_, 0, "cannot open as HDF5");
    pos_ = open_ds("/particles/all/position/value");
    const auto dims = dims_of(pos_, "/particles/all/position/value");
    if (dims.size() != 3 || dims[2] != 3)
      throw InputError(path_, 0, "/particles/all/position/value must be [F, N, 3]");
    nframes_ = static_cast<long>(dims[0]);
    natoms_ = static_cast<std::size_t>(dims[1]);
    // time
    if (exists("/particles/all/position/time")) {
      Handle t = open_ds("/particles/all/position/time");
      times_.resize(nframes_);
      if (dims_of(t, "time").size() == 1 && static_cast<long>(dims_of(t, "time")[0]) == nframes_) {
        H5Dread(t.get(), H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, times_.data());
      } else {
        throw InputError(path_, 0, "/particles/all/position/time must have one value per frame");
      }
    } else if (opt_.frame_interval_ps > 0) {
      times_.resize(nframes_);
      for (long f = 0; f < nframes_; ++f) times_[f] = f * opt_.frame_interval_ps;
    } else {
      throw InputError(path_, 0,
                       "missing /particles/all/position/time and no frame interval given");
    }
    for (long f = 1; f < nframes_; ++f)
      if (!(times_[f] > times_[f - 1]))
        throw InputError(path_, 0,
                         "/particles/all/position/time is not strictly increasing at frame " +
                             std::to_string(f));
    if (exists("/particles/all/position/step")) {
      Handle s = open_ds("/particles/all/position/step");
      steps_.resize(nframes_);
      H5Dread(s.get(), H5T_NATIVE_LONG, H5S_ALL, H5S_ALL, H5P_DEFAULT, steps_.data());
    }
    // box
    if (exists("/particles/all/box/edges/value")) {
      box_ = open_ds("/particles/all/box/edges/value");
      const auto bd = dims_of(box_, "edges/value");
      if (bd.size() != 3 || static_cast<long>(bd[0]) != nframes_ || bd[1] != 3 || bd[2] != 3)
        throw InputError(path_, 0, "/particles/all/box/edges/value must be [F, 3, 3]");
    } else if (exists("/particles/all/box/edges")) {
      Handle e = open_ds("/particles/all/box/edges");
      const auto bd = dims_of(e, "edges");
      if (bd.size() == 2 && bd[0] == 3 && bd[1] == 3) {
        H5Dread(e.get(), H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, &fixed_cell_.m[0][0]);
      } else if (bd.size() == 1 && bd[0] == 3) {
        double l[3];
        H5Dread(e.get(), H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, l);
        for (int k = 0; k < 3; ++k) fixed_cell_[k][k] = l[k];
      } else {
        throw InputError(path_, 0, "/particles/all/box/edges must be [3] or [3, 3]");
      }
    } else {
      throw InputError(path_, 0, "missing /particles/all/box/edges");
    }
    if (exists("/particles/all/image/value")) {
      img_ = open_ds("/particles/all/image/value");
      const auto d = dims_of(img_, "image/value");
      if (d != dims)
        throw InputError(path_, 0, "/particles/all/image/value must match position/value");
    }
    if (exists("/particles/all/velocity/value")) {
      vel_ = open_ds("/particles/all/velocity/value");
      if (dims_of(vel_, "velocity/value") != dims)
        throw InputError(path_, 0, "/particles/all/velocity/value must match position/value");
    }
    // species
    if (!exists("/particles/all/species"))
      throw InputError(path_, 0, "missing /particles/all/species");
    Handle sp = open_ds("/particles/all/species");
    const auto sd = dims_of(sp, "species");
    if (sd.size() != 1 || sd[0] != natoms_)
      throw InputError(path_, 0, "/particles/all/species must be [N]");
    sys_.types.resize(natoms_);
    H5Dread(sp.get(), H5T_NATIVE_INT, H5S_ALL, H5S_ALL, H5P_DEFAULT, sys_.types.data());
    int ntypes = 0;
    for (int t : sys_.types) {
      if (t < 0) throw InputError(path_, 0, "negative species index in /particles/all/species");
      ntypes = std::max(ntypes, t + 1);
    }
    sys_.species_symbols = read_symbols(sp.get());
    if (sys_.species_symbols.empty())
      for (int t = 0; t < ntypes; ++t) sys_.species_symbols.push_back("X" + std::to_string(t));
    if (static_cast<int>(sys_.species_symbols.size()) < ntypes)
      throw InputError(
          path_, 0, "attribute 'symbols' of /particles/all/species has fewer entries than types");
    sys_.masses.assign(natoms_, 0.0);
    if (exists("/particles/all/mass")) {
      Handle m = open_ds("/particles/all/mass");
      H5Dread(m.get(), H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, sys_.masses.data());
    } else {
      for (std::size_t i = 0; i < natoms_; ++i)
        if (const Element* e = find_element(sys_.species_symbols[sys_.types[i]]))
          sys_.masses[i] = e->mass;
    }
    if (H5Aexists(pos_.get(), "unwrapped") > 0) {
      Handle a(H5Aopen(pos_.get(), "unwrapped", H5P_DEFAULT), H5Aclose);
      int u = 0;
      H5Aread(a.get(), H5T_NATIVE_INT, &u);
      sys_.positions_unwrapped = u != 0;
    }
    if (exists("/particles/all/box")) {
      Handle g(H5Gopen2(file_.get(), "/particles/all/box", H5P_DEFAULT), H5Gclose);
      const auto b = read_string_attr(g.get(), "boundary");
      for (std::size_t k = 0; k < 3 && k < b.size(); ++k) sys_.pbc[k] = b[k] != "none";
    }
  }
  const TrajectorySystem& system() const override { return sys_; }
  std::string source() const override { return path_; }
  long frame_count() const override { return nframes_; }
  void rewind() override { cursor_ = 0; }
  bool next(Frame& frame) override {
    if (cursor_ >= nframes_) return false;
    frame.positions.resize(natoms_);
    read_slab(pos_, H5T_NATIVE_DOUBLE, &frame.positions[0].x, true);
    if (vel_.ok()) {
      frame.velocities.resize(natoms_);
      read_slab(vel_, H5T_NATIVE_DOUBLE, &frame.velocities[0].x, true);
    } else {
      frame.velocities.clear();
    }
    if (img_.ok()) {
      frame.images.resize(natoms_);
      read_slab(img_, H5T_NATIVE_INT, frame.images[0].data(), true);
    } else {
      frame.images.clear();
    }
    if (box_.ok())
      read_slab(box_, H5T_NATIVE_DOUBLE, &frame.cell.m[0][0], false);
    else
      frame.cell = fixed_cell_;
    frame.time_ps = times_[cursor_];
    frame.step = steps_.empty() ? cursor_ : steps_[cursor_];
    ++cursor_;
    return true;
  }

 private:
  static_assert(sizeof(Vec3) == 3 * sizeof(double), "Vec3 must be 3 packed doubles");
  bool exists(const char* p) const {
    // Check each path component (H5Lexists fails on missing intermediates).
    std::string s(p), cur;
    std::size_t i = 1;
    while (i <= s.size()) {
      const std::size_t j = s.find('/', i);
      cur = s.substr(0, j == std::string::npos ? s.size() : j);
      if (H5Lexists(file_.get(), cur.c_str(), H5P_DEFAULT) <= 0) return false;
      if (j == std::string::npos) break;
      i = j + 1;
    }
    return true;
  }
  Handle open_ds(const char* p) const {
    Handle d(H5Dopen2(file_.get(), p, H5P_DEFAULT), H5Dclose);
    if (!d.ok()) throw InputError(path_, 0, std::string("missing dataset ") + p);
    return d;
  }
  std::vector<hsize_t> dims_of(const Handle& d, const char* what) const {
    Handle sp(H5Dget_space(d.get()), H5Sclose);
    const int nd = H5Sget_simple_extent_ndims(sp.get());
    std::vector<hsize_t> out(nd > 0 ? nd : 0);
    if (nd > 0) H5Sget_simple_extent_dims(sp.get(), out.data(), nullptr);
    return out;
  }
  void read_slab(const Handle& d, hid_t type, void* buf, bool per_atom) {
    Handle fs(H5Dget_space(d.get()), H5Sclose);
    hsize_t start[3] = {static_cast<hsize_t>(cursor_), 0, 0};
    hsize_t count[3] = {1, per_atom ? natoms_ : 3, 3};
    H5Sselect_hyperslab(fs.get(), H5S_SELECT_SET, start, nullptr, count, nullptr);
    Handle ms(H5Screate_simple(3, count, nullptr), H5Sclose);
    if (H5Dread(d.get(), type, ms.get(), fs.get(), H5P_DEFAULT, buf) < 0)
      throw InputError(path_, 0, "HDF5 read failed at frame " + std::to_string(cursor_));
  }
  std::vector<std::string> read_symbols(hid_t obj) const {
    return read_string_attr(obj, "symbols");
  }
  std::vector<std::string> read_string_attr(hid_t obj, const char* name) const {
    std::vector<std::string> out;
    if (H5Aexists(obj, name) <= 0) return out;
    Handle a(H5Aopen(obj, name, H5P_DEFAULT), H5Aclose);
    Handle ft(H5Aget_type(a.get()), H5Tclose);
    if (H5Tget_class(ft.get()) != H5T_STRING)
      throw InputError(path_, 0, std::string("attribute ") + name + " must be strings");
    Handle sp(H5Aget_space(a.get()), H5Sclose);
    const hssize_t n = H5Sget_simple_extent_npoints(sp.get());
    if (H5Tis_variable_str(ft.get()) > 0) {
      std::vector<char*> ptrs(static_cast<std::size_t>(n), nullptr);
      Handle mt(H5Tcopy(H5T_C_S1), H5Tclose);
      H5Tset_size(mt.get(), H5T_VARIABLE);
      H5Tset_cset(mt.get(),
                  H5Tget_cset(ft.get()));  // h5py writes UTF-8; no ASCII↔UTF-8 conversion exists
      if (H5Aread(a.get(), mt.get(), ptrs.data()) < 0)
        throw InputError(path_, 0, std::string("cannot read string attribute ") + name);
      for (auto* p : ptrs) out.emplace_back(p ? p : "");
      H5Dvlen_reclaim(mt.get(), sp.get(), H5P_DEFAULT, ptrs.data());
    } else {
      const std::size_t len = H5Tget_size(ft.get());
      std::vector<char> buf(len * static_cast<std::size_t>(n) + 1, '\0');
      if (H5Aread(a.get(), ft.get(), buf.data()) < 0)
        throw InputError(path_, 0, std::string("cannot read string attribute ") + name);
      for (hssize_t i = 0; i < n; ++i) {
        std::string s(buf.data() + i * len, len);
        s = s.substr(0, s.find('\0'));
        while (!s.empty() && s.back() == ' ') s.pop_back();
        out.push_back(s);
      }
    }
    return out;
  }

  std::string path_;
  TrajectoryOptions opt_;
  Handle file_, pos_, box_, img_, vel_;
  long nframes_ = 0;
  std::size_t natoms_ = 0;
  std::vector<double> times_;
  std::vector<long> steps_;
  Mat3 fixed_cell_;
  TrajectorySystem sys_;
  long cursor_ = 0;
};

}  // namespace

std::unique_ptr<TrajectoryReader> open_h5md(const std::string& path,
                                            const TrajectoryOptions& options) {
  return std::make_unique<H5mdReader>(path, options);
}

}  // namespace superion::analysis
