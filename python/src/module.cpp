// superion._superion: the compiled part of the Python module (pybind11). In-process access to the
// MTP evaluator (for the ASE calculator) and to the readers/writers of every supported format,
// with numpy arrays in and out. superion::InputError / superion::Error become the Python
// exceptions superion.InputError / superion.Error carrying the CLI's message text.
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <string>
#include <vector>

#include "core/error.hpp"
#include "io/formats.hpp"
#include "mtp/mtp_evaluator.hpp"
#include "mtp/mtp_file.hpp"

namespace py = pybind11;

namespace superion::python {
namespace {

using Array = py::array_t<double, py::array::c_style | py::array::forcecast>;
using IntArray = py::array_t<int, py::array::c_style | py::array::forcecast>;

Mat3 to_mat3(const Array& a, const char* what) {
  if (a.ndim() != 2 || a.shape(0) != 3 || a.shape(1) != 3)
    throw Error(std::string(what) + " must be a 3x3 array");
  auto r = a.unchecked<2>();
  Mat3 m;
  for (int i = 0; i < 3; ++i)
    for (int j = 0; j < 3; ++j) m[i][j] = r(i, j);
  return m;
}

Array from_mat3(const Mat3& m) {
  Array a({3, 3});
  auto w = a.mutable_unchecked<2>();
  for (int i = 0; i < 3; ++i)
    for (int j = 0; j < 3; ++j) w(i, j) = m[i][j];
  return a;
}

std::vector<Vec3> to_vec3s(const Array& a, const char* what) {
  if (a.ndim() != 2 || a.shape(1) != 3) throw Error(std::string(what) + " must be an (N, 3) array");
  auto r = a.unchecked<2>();
  std::vector<Vec3> v(static_cast<std::size_t>(a.shape(0)));
  for (py::ssize_t i = 0; i < a.shape(0); ++i) v[i] = Vec3{r(i, 0), r(i, 1), r(i, 2)};
  return v;
}

Array from_vec3s(const std::vector<Vec3>& v) {
  Array a({static_cast<py::ssize_t>(v.size()), py::ssize_t{3}});
  auto w = a.mutable_unchecked<2>();
  for (std::size_t i = 0; i < v.size(); ++i) {
    w(i, 0) = v[i].x;
    w(i, 1) = v[i].y;
    w(i, 2) = v[i].z;
  }
  return a;
}

Structure make_structure(const Array& positions, const Array& cell, const IntArray& types,
                         const std::array<bool, 3>& pbc) {
  Structure s;
  s.positions = to_vec3s(positions, "positions");
  s.cell = to_mat3(cell, "cell");
  s.pbc = pbc;
  if (types.ndim() != 1 || static_cast<std::size_t>(types.shape(0)) != s.size())
    throw Error("types must be a 1-D array with one MTP type per atom");
  s.types.assign(types.data(), types.data() + types.shape(0));
  s.validate();
  return s;
}

// A configuration as a dict of plain Python objects and numpy arrays.
py::dict config_to_dict(const Configuration& c, const std::vector<std::string>& species) {
  const Structure& s = c.structure;
  py::dict d;
  d["positions"] = from_vec3s(s.positions);
  d["cell"] = from_mat3(s.cell);
  d["pbc"] = py::make_tuple(s.pbc[0], s.pbc[1], s.pbc[2]);
  d["types"] = IntArray(static_cast<py::ssize_t>(s.types.size()), s.types.data());
  std::vector<std::string> symbols;
  for (std::size_t i = 0; i < s.size(); ++i) symbols.push_back(s.symbol(i));
  d["symbols"] = symbols;
  d["species"] = s.species_symbols.empty() ? species : s.species_symbols;
  if (!s.masses.empty())
    d["masses"] = Array(static_cast<py::ssize_t>(s.masses.size()), s.masses.data());
  d["energy"] = c.energy ? py::object(py::float_(*c.energy)) : py::none();
  d["forces"] = c.forces ? py::object(from_vec3s(*c.forces)) : py::none();
  d["virial"] = c.virial ? py::object(from_mat3(*c.virial)) : py::none();
  d["site_energies"] = c.site_energies
                           ? py::object(Array(static_cast<py::ssize_t>(c.site_energies->size()),
                                              c.site_energies->data()))
                           : py::none();
  d["config_type"] = c.config_type;
  d["weight"] = c.weight;
  return d;
}

Configuration dict_to_config(const py::dict& d) {
  Configuration c;
  std::array<bool, 3> pbc{true, true, true};
  if (d.contains("pbc")) pbc = d["pbc"].cast<std::array<bool, 3>>();
  c.structure = make_structure(d["positions"].cast<Array>(), d["cell"].cast<Array>(),
                               d["types"].cast<IntArray>(), pbc);
  if (d.contains("species") && !d["species"].is_none())
    c.structure.species_symbols = d["species"].cast<std::vector<std::string>>();
  if (d.contains("masses") && !d["masses"].is_none())
    c.structure.masses = d["masses"].cast<std::vector<double>>();
  if (d.contains("energy") && !d["energy"].is_none()) c.energy = d["energy"].cast<double>();
  if (d.contains("forces") && !d["forces"].is_none())
    c.forces = to_vec3s(d["forces"].cast<Array>(), "forces");
  if (d.contains("virial") && !d["virial"].is_none())
    c.virial = to_mat3(d["virial"].cast<Array>(), "virial");
  if (d.contains("site_energies") && !d["site_energies"].is_none())
    c.site_energies = d["site_energies"].cast<std::vector<double>>();
  if (d.contains("config_type")) c.config_type = d["config_type"].cast<std::string>();
  if (d.contains("weight")) c.weight = d["weight"].cast<double>();
  return c;
}

class Potential {
 public:
  explicit Potential(const std::string& path) : path_(path), ev_(read_mtp(path)) {}
  const std::string& path() const { return path_; }
  double cutoff() const { return ev_.cutoff(); }
  int species_count() const { return ev_.model().species_count; }
  int level() const { return ev_.model().level(); }
  bool trained() const { return ev_.model().trained; }
  // Element of MTP type 0, 1, … stored in the file (empty for MLIP's own files).
  std::vector<std::string> species_names() const { return ev_.model().species_names; }

  // (energy, forces (N,3), virial (3,3) = MLIP PlusStress in eV, site energies (N,)).
  py::tuple evaluate(const Array& positions, const Array& cell, const IntArray& types,
                     const std::array<bool, 3>& pbc) const {
    const Structure s = make_structure(positions, cell, types, pbc);
    MtpPrediction p;
    {
      py::gil_scoped_release release;
      p = ev_.evaluate(s);
    }
    return py::make_tuple(
        p.energy, from_vec3s(p.forces), from_mat3(p.virial),
        Array(static_cast<py::ssize_t>(p.site_energies.size()), p.site_energies.data()));
  }

 private:
  std::string path_;
  MtpEvaluator ev_;
};

}  // namespace
}  // namespace superion::python

PYBIND11_MODULE(_superion, m) {
  using namespace superion;
  using namespace superion::python;
  m.doc() = "superion compiled core: MTP evaluator and file formats";
  m.attr("__version__") = SUPERION_VERSION_STRING;

  static py::exception<Error> error(m, "Error", PyExc_RuntimeError);
  static py::exception<InputError> input_error(m, "InputError", error.ptr());
  py::register_exception_translator([](std::exception_ptr p) {
    try {
      if (p) std::rethrow_exception(p);
    } catch (const InputError& e) {
      input_error(e.what());
    } catch (const Error& e) {
      error(e.what());
    }
  });

  py::class_<Potential>(m, "Potential", "An MTP potential (.mtp / MLIP-3 .almtp text part)")
      .def(py::init<const std::string&>(), py::arg("path"))
      .def_property_readonly("path", &Potential::path)
      .def_property_readonly("cutoff", &Potential::cutoff, "cutoff radius (Å)")
      .def_property_readonly("species_count", &Potential::species_count)
      .def_property_readonly("level", &Potential::level)
      .def_property_readonly("trained", &Potential::trained)
      .def_property_readonly("species_names", &Potential::species_names,
                             "element of MTP type 0, 1, … as stored in the file (empty if none)")
      .def("evaluate", &Potential::evaluate, py::arg("positions"), py::arg("cell"),
           py::arg("types"), py::arg("pbc") = std::array<bool, 3>{true, true, true},
           "energy (eV), forces (eV/Å), virial (eV, PlusStress), site energies (eV)");

  m.def(
      "read",
      [](const std::string& path, const std::string& format,
         const std::vector<std::string>& species) {
        io::ReadOptions ro;
        ro.species = species;
        const Dataset d = io::read_dataset(path, format, ro);
        py::list out;
        for (const auto& c : d.configs) out.append(config_to_dict(c, d.species));
        return out;
      },
      py::arg("path"), py::arg("format") = "auto", py::arg("species") = std::vector<std::string>{},
      "every configuration of a file as dicts of numpy arrays");
  m.def(
      "write",
      [](const std::string& path, const py::list& configs, const std::string& format,
         const std::vector<std::string>& species, bool lossless) {
        Dataset d;
        for (const auto& c : configs) d.configs.push_back(dict_to_config(c.cast<py::dict>()));
        d.species = species;
        if (d.species.empty() && !d.configs.empty())
          d.species = d.configs[0].structure.species_symbols;
        io::WriteOptions wo;
        wo.lossless = lossless;
        wo.species = d.species;
        io::write_dataset(path, d, format, wo);
      },
      py::arg("path"), py::arg("configs"), py::arg("format") = "auto",
      py::arg("species") = std::vector<std::string>{}, py::arg("lossless") = true);
  m.def("format_names", &io::format_names);
}
