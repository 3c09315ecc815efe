// H5MD 1.1 writer: HDF5 C API behind small RAII handles; chunked, extendible time series.
#include "h5md_writer.hpp"

#include <hdf5.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>

#include "core/atomic_file.hpp"
#include "core/error.hpp"
#include "io/h5_handle.hpp"

#ifndef SUPERION_VERSION_STRING
#define SUPERION_VERSION_STRING "unknown"
#endif

namespace superion::md {
namespace {

using Handle = io::H5Handle;

Handle vlen_string_type() {
  Handle t(H5Tcopy(H5T_C_S1), H5Tclose);
  H5Tset_size(t.get(), H5T_VARIABLE);
  H5Tset_cset(t.get(), H5T_CSET_UTF8);
  return t;
}

void string_attr(hid_t obj, const char* name, const std::vector<std::string>& values, bool scalar,
                 const std::string& file) {
  Handle type = vlen_string_type();
  const hsize_t n = values.size();
  Handle space(scalar ? H5Screate(H5S_SCALAR) : H5Screate_simple(1, &n, nullptr), H5Sclose);
  Handle a(H5Acreate2(obj, name, type.get(), space.get(), H5P_DEFAULT, H5P_DEFAULT), H5Aclose);
  std::vector<const char*> ptrs;
  for (const auto& v : values) ptrs.push_back(v.c_str());
  if (!a.ok() || H5Awrite(a.get(), type.get(), ptrs.data()) < 0)
    throw Error(file + ": cannot write attribute " + name);
}

void int_attr(hid_t obj, const char* name, const std::vector<int>& values, bool scalar,
              const std::string& file) {
  const hsize_t n = values.size();
  Handle space(scalar ? H5Screate(H5S_SCALAR) : H5Screate_simple(1, &n, nullptr), H5Sclose);
  Handle a(H5Acreate2(obj, name, H5T_STD_I32LE, space.get(), H5P_DEFAULT, H5P_DEFAULT), H5Aclose);
  if (!a.ok() || H5Awrite(a.get(), H5T_NATIVE_INT, values.data()) < 0)
    throw Error(file + ": cannot write attribute " + name);
}

Handle make_group(hid_t parent, const char* name, const std::string& file) {
  Handle g(H5Gcreate2(parent, name, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT), H5Gclose);
  if (!g.ok()) throw Error(file + ": cannot create group " + name);
  return g;
}

std::string unit_of(const std::string& name) {
  auto ends = [&](const std::string& s) {
    return name.size() >= s.size() && name.compare(name.size() - s.size(), s.size(), s) == 0;
  };
  if (ends("energy")) return "eV";
  if (name == "temperature") return "K";
  if (name == "pressure") return "GPa";
  if (name == "volume") return "Angstrom^3";
  return "";
}

// One extendible dataset [F, inner...] with its element type.
struct Series {
  Handle set;
  hid_t mem_type = -1;
  std::vector<hsize_t> inner;  // dims after the frame axis
};

}  // namespace

struct H5mdWriter::Impl {
  std::filesystem::path path, temp;
  H5mdOptions opt;
  std::size_t natoms = 0;
  Handle file;
  Series step, time, position, image, velocity, edges;
  std::vector<Series> observables;
  long nframes = 0;
  std::int64_t last_step = -1;
  double last_time = 0.0;
  bool closed = false;

  std::string display;  // name used in messages when it differs from `temp`
  std::string name() const { return display.empty() ? temp.string() : display; }

  Handle chunked_props(const std::vector<hsize_t>& dims_chunk, bool compress) const {
    Handle p(H5Pcreate(H5P_DATASET_CREATE), H5Pclose);
    H5Pset_chunk(p.get(), static_cast<int>(dims_chunk.size()), dims_chunk.data());
    if (compress && opt.compression > 0) {
      if (H5Zfilter_avail(H5Z_FILTER_DEFLATE) <= 0)
        throw Error(name() + ": this HDF5 library has no gzip (deflate) filter; use compression 0");
      H5Pset_shuffle(p.get());
      H5Pset_deflate(p.get(), static_cast<unsigned>(std::min(opt.compression, 9)));
    }
    return p;
  }

  int chunk_frames() const {
    if (opt.chunk_frames > 0) return opt.chunk_frames;
    const double frame_bytes = 24.0 * std::max<std::size_t>(natoms, 1);
    return static_cast<int>(std::clamp(std::floor((1 << 20) / frame_bytes), 1.0, 64.0));
  }

  Series create_series(hid_t group, const char* dname, hid_t file_type, hid_t mem_type,
                       std::vector<hsize_t> inner, bool compress, int chunk) {
    std::vector<hsize_t> dims{0}, maxd{H5S_UNLIMITED}, ch{static_cast<hsize_t>(chunk)};
    for (hsize_t d : inner) {
      dims.push_back(d);
      maxd.push_back(d);
      ch.push_back(std::max<hsize_t>(d, 1));
    }
    Handle space(H5Screate_simple(static_cast<int>(dims.size()), dims.data(), maxd.data()),
                 H5Sclose);
    Handle props = chunked_props(ch, compress);
    Series s;
    s.set = Handle(
        H5Dcreate2(group, dname, file_type, space.get(), H5P_DEFAULT, props.get(), H5P_DEFAULT),
        H5Dclose);
    if (!s.set.ok()) throw Error(name() + ": cannot create dataset " + dname);
    s.mem_type = mem_type;
    s.inner = std::move(inner);
    return s;
  }

  void link_step_time(hid_t group, const std::string& group_path) {
    for (const char* what : {"step", "time"}) {
      const std::string src = std::string("/particles/all/position/") + what;
      if (H5Lcreate_hard(file.get(), src.c_str(), group, what, H5P_DEFAULT, H5P_DEFAULT) < 0)
        throw Error(name() + ": cannot link " + group_path + "/" + what);
    }
  }

  void unit_attr(const Series& s, const std::string& unit) {
    if (!unit.empty()) string_attr(s.set.get(), "unit", {unit}, true, name());
  }

  void create(const Structure& s) {
    file = Handle(H5Fcreate(temp.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT), H5Fclose);
    if (!file.ok()) throw Error("cannot create HDF5 file '" + temp.string() + "'");
    const std::string f = name();
    {
      Handle h5md = make_group(file.get(), "h5md", f);
      int_attr(h5md.get(), "version", {1, 1}, false, f);
      Handle author = make_group(h5md.get(), "author", f);
      std::string who = opt.author;
      if (who.empty()) {
        const char* u = std::getenv("USER");
        who = u && *u ? u : "unknown";
      }
      string_attr(author.get(), "name", {who}, true, f);
      Handle creator = make_group(h5md.get(), "creator", f);
      string_attr(creator.get(), "name", {"superion"}, true, f);
      string_attr(creator.get(), "version", {SUPERION_VERSION_STRING}, true, f);
    }
    Handle particles = make_group(file.get(), "particles", f);
    Handle all = make_group(particles.get(), "all", f);
    const int chunk = chunk_frames();
    const hsize_t n = natoms;
    {
      Handle g = make_group(all.get(), "position", f);
      step = create_series(g.get(), "step", H5T_STD_I64LE, H5T_NATIVE_INT64, {}, false, 1024);
      time = create_series(g.get(), "time", H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, {}, false, 1024);
      position =
          create_series(g.get(), "value", H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, {n, 3}, true, chunk);
      unit_attr(time, "ps");
      unit_attr(position, "Angstrom");
    }
    {
      Handle g = make_group(all.get(), "image", f);
      link_step_time(g.get(), "image");
      image = create_series(g.get(), "value", H5T_STD_I32LE, H5T_NATIVE_INT, {n, 3}, true, chunk);
    }
    if (opt.velocities) {
      Handle g = make_group(all.get(), "velocity", f);
      link_step_time(g.get(), "velocity");
      velocity =
          create_series(g.get(), "value", H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, {n, 3}, true, chunk);
      unit_attr(velocity, "Angstrom ps-1");
    }
    {
      Handle box = make_group(all.get(), "box", f);
      int_attr(box.get(), "dimension", {3}, true, f);
      std::vector<std::string> boundary;
      for (int k = 0; k < 3; ++k) boundary.push_back(s.pbc[k] ? "periodic" : "none");
      string_attr(box.get(), "boundary", boundary, false, f);
      Handle g = make_group(box.get(), "edges", f);
      link_step_time(g.get(), "box/edges");
      edges = create_series(g.get(), "value", H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, {3, 3}, false,
                            std::max(chunk, 64));
      unit_attr(edges, "Angstrom");
    }
    {
      const hsize_t dims = n;
      Handle space(H5Screate_simple(1, &dims, nullptr), H5Sclose);
      Handle sp(H5Dcreate2(all.get(), "species", H5T_STD_I32LE, space.get(), H5P_DEFAULT,
                           H5P_DEFAULT, H5P_DEFAULT),
                H5Dclose);
      if (!sp.ok() || (n > 0 && H5Dwrite(sp.get(), H5T_NATIVE_INT, H5S_ALL, H5S_ALL, H5P_DEFAULT,
                                         s.types.data()) < 0))
        throw Error(f + ": cannot write /particles/all/species");
      std::vector<std::string> symbols = s.species_symbols;
      for (int t = static_cast<int>(symbols.size()); t < s.n_species(); ++t)
        symbols.push_back("X" + std::to_string(t));
      string_attr(sp.get(), "symbols", symbols, false, f);
      std::vector<double> masses;
      try {
        masses = s.atom_masses();
      } catch (const Error&) {
        masses.clear();  // unknown symbols and no masses: the file simply has no /mass
      }
      if (masses.size() == n && n > 0) {
        Handle m(H5Dcreate2(all.get(), "mass", H5T_IEEE_F64LE, space.get(), H5P_DEFAULT,
                            H5P_DEFAULT, H5P_DEFAULT),
                 H5Dclose);
        if (!m.ok() ||
            H5Dwrite(m.get(), H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, masses.data()) < 0)
          throw Error(f + ": cannot write /particles/all/mass");
        string_attr(m.get(), "unit", {"amu"}, true, f);
      }
    }
    if (!opt.observables.empty()) {
      Handle obs = make_group(file.get(), "observables", f);
      for (const auto& o : opt.observables) {
        Handle g = make_group(obs.get(), o.c_str(), f);
        link_step_time(g.get(), "observables/" + o);
        observables.push_back(
            create_series(g.get(), "value", H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, {}, false, 1024));
        unit_attr(observables.back(), unit_of(o));
      }
    }
  }

  // --- resume -----------------------------------------------------------------------------
  Series open_series(const std::string& dpath, hid_t mem_type, std::vector<hsize_t> inner) {
    if (H5Lexists(file.get(), dpath.c_str(), H5P_DEFAULT) <= 0)
      throw InputError(name(), 0, "cannot resume: missing dataset " + dpath);
    Series s;
    s.set = Handle(H5Dopen2(file.get(), dpath.c_str(), H5P_DEFAULT), H5Dclose);
    if (!s.set.ok()) throw InputError(name(), 0, "cannot resume: cannot open " + dpath);
    Handle space(H5Dget_space(s.set.get()), H5Sclose);
    const int nd = H5Sget_simple_extent_ndims(space.get());
    std::vector<hsize_t> dims(std::max(nd, 0));
    H5Sget_simple_extent_dims(space.get(), dims.data(), nullptr);
    std::vector<hsize_t> want{dims.empty() ? 0 : dims[0]};
    want.insert(want.end(), inner.begin(), inner.end());
    if (dims != want)
      throw InputError(name(), 0,
                       "cannot resume: " + dpath + " has a different shape (atom count?)");
    s.mem_type = mem_type;
    s.inner = std::move(inner);
    return s;
  }

  bool has(const char* p) const {
    std::string s(p), cur;
    std::size_t i = 1;
    while (i <= s.size()) {
      const std::size_t j = s.find('/', i);
      cur = s.substr(0, j == std::string::npos ? s.size() : j);
      if (H5Lexists(file.get(), cur.c_str(), H5P_DEFAULT) <= 0) return false;
      if (j == std::string::npos) break;
      i = j + 1;
    }
    return true;
  }

  void reopen(const Structure& s, std::int64_t keep_through) {
    file = Handle(H5Fopen(temp.c_str(), H5F_ACC_RDWR, H5P_DEFAULT), H5Fclose);
    if (!file.ok())
      throw InputError(name(), 0,
                       "cannot resume: not a readable HDF5 file (damaged by a crash during a "
                       "write? start a new trajectory file)");
    const hsize_t n = natoms;
    step = open_series("/particles/all/position/step", H5T_NATIVE_INT64, {});
    time = open_series("/particles/all/position/time", H5T_NATIVE_DOUBLE, {});
    position = open_series("/particles/all/position/value", H5T_NATIVE_DOUBLE, {n, 3});
    image = open_series("/particles/all/image/value", H5T_NATIVE_INT, {n, 3});
    edges = open_series("/particles/all/box/edges/value", H5T_NATIVE_DOUBLE, {3, 3});
    const bool file_vel = has("/particles/all/velocity/value");
    if (file_vel != opt.velocities)
      throw InputError(name(), 0,
                       std::string("cannot resume: the trajectory ") +
                           (file_vel ? "stores" : "has no") + " velocities but this run asks " +
                           (opt.velocities ? "for them" : "for none"));
    if (file_vel)
      velocity = open_series("/particles/all/velocity/value", H5T_NATIVE_DOUBLE, {n, 3});
    for (const auto& o : opt.observables)
      observables.push_back(open_series("/observables/" + o + "/value", H5T_NATIVE_DOUBLE, {}));
    // species must match
    {
      Handle sp(H5Dopen2(file.get(), "/particles/all/species", H5P_DEFAULT), H5Dclose);
      std::vector<int> types(natoms);
      if (!sp.ok() || (n > 0 && H5Dread(sp.get(), H5T_NATIVE_INT, H5S_ALL, H5S_ALL, H5P_DEFAULT,
                                        types.data()) < 0))
        throw InputError(name(), 0, "cannot resume: cannot read /particles/all/species");
      if (types != s.types)
        throw InputError(name(), 0,
                         "cannot resume: /particles/all/species differs from the structure");
    }
    // frames to keep: steps are increasing, keep those <= keep_through
    const long total = static_cast<long>(extent(step));
    std::vector<std::int64_t> steps(total);
    std::vector<double> times(total);
    if (total > 0) {
      H5Dread(step.set.get(), H5T_NATIVE_INT64, H5S_ALL, H5S_ALL, H5P_DEFAULT, steps.data());
      H5Dread(time.set.get(), H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, times.data());
    }
    long keep = 0;
    while (keep < total && steps[keep] <= keep_through) ++keep;
    for (Series* ser : all_series()) {
      if (static_cast<long>(extent(*ser)) < keep)
        throw InputError(name(), 0, "cannot resume: datasets have fewer frames than position/step");
      resize(*ser, keep);
    }
    nframes = keep;
    last_step = keep > 0 ? steps[keep - 1] : -1;
    last_time = keep > 0 ? times[keep - 1] : 0.0;
  }

  // --- frames -----------------------------------------------------------------------------
  std::vector<Series*> all_series() {
    std::vector<Series*> v{&step, &time, &position, &image, &edges};
    if (velocity.set.ok()) v.push_back(&velocity);
    for (auto& o : observables) v.push_back(&o);
    return v;
  }

  static hsize_t extent(const Series& s) {
    Handle space(H5Dget_space(s.set.get()), H5Sclose);
    hsize_t dims[4] = {0, 0, 0, 0};
    H5Sget_simple_extent_dims(space.get(), dims, nullptr);
    return dims[0];
  }

  void resize(Series& s, long frames) {
    std::vector<hsize_t> dims{static_cast<hsize_t>(frames)};
    dims.insert(dims.end(), s.inner.begin(), s.inner.end());
    if (H5Dset_extent(s.set.get(), dims.data()) < 0)
      throw Error(name() + ": cannot resize a dataset to " + std::to_string(frames) + " frames");
  }

  void write_frame(Series& s, const void* data) {
    resize(s, nframes + 1);
    std::vector<hsize_t> start{static_cast<hsize_t>(nframes)}, count{1};
    for (hsize_t d : s.inner) {
      start.push_back(0);
      count.push_back(d);
    }
    Handle fs(H5Dget_space(s.set.get()), H5Sclose);
    H5Sselect_hyperslab(fs.get(), H5S_SELECT_SET, start.data(), nullptr, count.data(), nullptr);
    Handle ms(H5Screate_simple(static_cast<int>(count.size()), count.data(), nullptr), H5Sclose);
    if (H5Dwrite(s.set.get(), s.mem_type, ms.get(), fs.get(), H5P_DEFAULT, data) < 0)
      throw Error(name() + ": HDF5 write failed at frame " + std::to_string(nframes));
  }

  void close_handles() {
    step.set.reset();
    time.set.reset();
    position.set.reset();
    image.set.reset();
    velocity.set.reset();
    edges.set.reset();
    observables.clear();
    file.reset();
  }
};

H5mdWriter::H5mdWriter(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

H5mdWriter::H5mdWriter(const std::filesystem::path& path, const Structure& s,
                       const H5mdOptions& options)
    : impl_(std::make_unique<Impl>()) {
  H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);
  s.validate();
  impl_->path = path;
  impl_->temp = path.string() + ".tmp";
  impl_->opt = options;
  impl_->natoms = s.size();
  try {
    impl_->create(s);
  } catch (...) {
    impl_->close_handles();
    std::error_code ec;
    std::filesystem::remove(impl_->temp, ec);
    throw;
  }
}

H5mdWriter H5mdWriter::resume(const std::filesystem::path& path, const Structure& s,
                              const H5mdOptions& options, std::int64_t last_step) {
  H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);
  s.validate();
  auto impl = std::make_unique<Impl>();
  impl->path = path;
  impl->temp = path.string() + ".tmp";
  impl->opt = options;
  impl->natoms = s.size();
  bool moved = false;
  if (!std::filesystem::exists(impl->temp)) {
    if (!std::filesystem::exists(path))
      throw InputError(path.string(), 0,
                       "cannot resume: neither this trajectory nor its .tmp exists");
    std::filesystem::rename(path, impl->temp);
    moved = true;
    impl->display = path.string();
  }
  try {
    impl->reopen(s, last_step);
  } catch (...) {
    // A refused resume must leave a finished trajectory where it was.
    impl->close_handles();
    if (moved) {
      std::error_code ec;
      std::filesystem::rename(impl->temp, path, ec);
    }
    throw;
  }
  impl->display.clear();
  return H5mdWriter(std::move(impl));
}

H5mdWriter::~H5mdWriter() {
  if (impl_ && !impl_->closed) impl_->close_handles();  // keeps <path>.tmp for resume()
}

H5mdWriter::H5mdWriter(H5mdWriter&&) noexcept = default;
H5mdWriter& H5mdWriter::operator=(H5mdWriter&&) noexcept = default;

void H5mdWriter::append(std::int64_t step, double time_ps, const Mat3& cell,
                        const std::vector<Vec3>& positions,
                        const std::vector<std::array<int, 3>>& images,
                        const std::vector<Vec3>* velocities,
                        const std::vector<double>& observables) {
  Impl& m = *impl_;
  if (m.closed) throw Error(m.path.string() + ": append after close()");
  const std::string f = m.name();
  auto count = [&](const char* what, std::size_t have) {
    if (have != m.natoms)
      throw Error(f + ": " + what + " has " + std::to_string(have) + " atoms, expected " +
                  std::to_string(m.natoms));
  };
  count("positions", positions.size());
  count("images", images.size());
  if (m.opt.velocities) {
    if (!velocities) throw Error(f + ": velocities are required (H5mdOptions::velocities)");
    count("velocities", velocities->size());
  }
  if (observables.size() != m.opt.observables.size())
    throw Error(f + ": " + std::to_string(observables.size()) + " observables given, expected " +
                std::to_string(m.opt.observables.size()));
  if (m.nframes > 0 && !(step > m.last_step && time_ps > m.last_time))
    throw Error(f + ": frame step/time must increase (last step " + std::to_string(m.last_step) +
                ", new step " + std::to_string(step) + ")");
  static_assert(sizeof(Vec3) == 3 * sizeof(double), "Vec3 must be 3 packed doubles");
  static_assert(sizeof(std::array<int, 3>) == 3 * sizeof(int), "image flags must be packed");
  const std::int64_t st = step;
  m.write_frame(m.step, &st);
  m.write_frame(m.time, &time_ps);
  m.write_frame(m.position, positions.data());
  m.write_frame(m.image, images.data());
  m.write_frame(m.edges, &cell.m[0][0]);
  if (m.opt.velocities) m.write_frame(m.velocity, velocities->data());
  for (std::size_t k = 0; k < observables.size(); ++k)
    m.write_frame(m.observables[k], &observables[k]);
  ++m.nframes;
  m.last_step = step;
  m.last_time = time_ps;
}

void H5mdWriter::flush() {
  Impl& m = *impl_;
  if (m.closed) return;
  if (H5Fflush(m.file.get(), H5F_SCOPE_GLOBAL) < 0) throw Error(m.name() + ": HDF5 flush failed");
}

void H5mdWriter::close() {
  Impl& m = *impl_;
  if (m.closed) return;
  flush();
  m.close_handles();
  m.closed = true;
  commit_temp_file(m.temp, m.path);
}

long H5mdWriter::frames() const {
  return impl_->nframes;
}
std::int64_t H5mdWriter::last_step() const {
  return impl_->last_step;
}
const std::filesystem::path& H5mdWriter::path() const {
  return impl_->path;
}
std::filesystem::path H5mdWriter::temp_path() const {
  return impl_->temp;
}

}  // namespace superion::md
