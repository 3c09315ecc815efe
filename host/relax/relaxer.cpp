// FIRE relaxation of positions, rigid clusters and cell (see relaxer.hpp for the coordinates).
#include "relax/relaxer.hpp"

#include <algorithm>
#include <cmath>

#include "core/error.hpp"
#include "core/units.hpp"

namespace superion {
namespace {

// Rotation matrix exp([w]×) (Rodrigues).
Mat3 rotation(const Vec3& w) {
  const double th = norm(w);
  Mat3 r = Mat3::identity();
  if (th < 1e-300) return r;
  const Vec3 k = w * (1.0 / th);
  const double c = std::cos(th), s = std::sin(th), v = 1 - c;
  r[0][0] = c + k.x * k.x * v;
  r[0][1] = k.x * k.y * v - k.z * s;
  r[0][2] = k.x * k.z * v + k.y * s;
  r[1][0] = k.y * k.x * v + k.z * s;
  r[1][1] = c + k.y * k.y * v;
  r[1][2] = k.y * k.z * v - k.x * s;
  r[2][0] = k.z * k.x * v - k.y * s;
  r[2][1] = k.z * k.y * v + k.x * s;
  r[2][2] = c + k.z * k.z * v;
  return r;
}

Vec3 apply(const Mat3& r, const Vec3& b) {  // column-vector rotation R b
  return {r[0][0] * b.x + r[0][1] * b.y + r[0][2] * b.z,
          r[1][0] * b.x + r[1][1] * b.y + r[1][2] * b.z,
          r[2][0] * b.x + r[2][1] * b.y + r[2][2] * b.z};
}

struct Cluster {
  std::vector<int> atoms;
  std::vector<Vec3> body;  // atom − centre in the body frame (real space, Å)
  Mat3 orientation = Mat3::identity();
  Vec3 rho;  // reference coordinates of the centre of mass
};

class State {
 public:
  State(const Structure& s, const RelaxOptions& o) : s_(s), o_(o), cell0_(s.cell) {
    const std::size_t n = s.size();
    lambda_ = static_cast<double>(std::max<std::size_t>(n, 1));
    std::vector<int> owner(n, -1);
    const auto masses = s.atom_masses();
    for (const auto& atoms : o.rigid_clusters) {
      Cluster c;
      c.atoms = atoms;
      double m = 0;
      Vec3 com;
      for (int i : atoms) {
        if (i < 0 || static_cast<std::size_t>(i) >= n || owner[static_cast<std::size_t>(i)] >= 0)
          throw Error("rigid cluster atom index " + std::to_string(i) + " is invalid or repeated");
        owner[static_cast<std::size_t>(i)] = static_cast<int>(clusters_.size());
        com += masses[static_cast<std::size_t>(i)] * s.positions[static_cast<std::size_t>(i)];
        m += masses[static_cast<std::size_t>(i)];
      }
      com *= 1.0 / m;
      for (int i : atoms) c.body.push_back(s.positions[static_cast<std::size_t>(i)] - com);
      c.rho = com;
      clusters_.push_back(c);
    }
    for (std::size_t i = 0; i < n; ++i)
      if (owner[i] < 0) {
        free_.push_back(static_cast<int>(i));
        rho_.push_back(s.positions[i]);
      }
  }

  std::size_t dofs() const {
    return 3 * free_.size() + 6 * clusters_.size() + (o_.relax_cell ? 9 : 0);
  }
  Mat3 deformation() const { return Mat3::identity() + eps_; }

  // Rebuilds the structure from the generalized coordinates.
  const Structure& structure() {
    const Mat3 d = deformation();
    s_.cell = cell0_ * d;
    for (std::size_t k = 0; k < free_.size(); ++k)
      s_.positions[static_cast<std::size_t>(free_[k])] = row_times(rho_[k], d);
    for (const Cluster& c : clusters_) {
      const Vec3 com = row_times(c.rho, d);
      for (std::size_t a = 0; a < c.atoms.size(); ++a)
        s_.positions[static_cast<std::size_t>(c.atoms[a])] = com + apply(c.orientation, c.body[a]);
    }
    return s_;
  }

  // Generalized forces into g; returns (fmax, smax_gpa, enthalpy).
  std::tuple<double, double, double, double> forces(const CalcResult& r,
                                                    std::vector<double>& g) const {
    g.assign(dofs(), 0.0);
    const Mat3 d = deformation();
    const Mat3 dt = transpose(d);
    double fmax = 0;
    std::size_t p = 0;
    for (int i : free_) {
      const Vec3& f = r.forces[static_cast<std::size_t>(i)];
      fmax = std::max(fmax, norm(f));
      const Vec3 gf = row_times(f, dt);
      g[p++] = gf.x, g[p++] = gf.y, g[p++] = gf.z;
    }
    Mat3 w = r.virial;
    for (const Cluster& c : clusters_) {
      Vec3 ftot, torque;
      const Vec3 com = row_times(c.rho, d);
      for (int i : c.atoms) {
        const Vec3& f = r.forces[static_cast<std::size_t>(i)];
        const Vec3 arm = s_.positions[static_cast<std::size_t>(i)] - com;
        ftot += f;
        torque += cross(arm, f);
        for (int a = 0; a < 3; ++a)
          for (int b = 0; b < 3; ++b)
            w[a][b] -= arm[a] * f[b];  // internal vectors are not strained
      }
      fmax = std::max({fmax, norm(ftot), norm(torque)});
      const Vec3 gf = row_times(ftot, dt);
      g[p++] = gf.x, g[p++] = gf.y, g[p++] = gf.z;
      g[p++] = torque.x, g[p++] = torque.y, g[p++] = torque.z;
    }
    const double v = s_.volume();
    const double pv = o_.pressure_gpa / units::kEVPerA3ToGPa * v;
    double smax = 0;
    if (o_.relax_cell) {
      Mat3 target = w;
      for (int a = 0; a < 3; ++a) target[a][a] -= pv;
      for (int a = 0; a < 3; ++a)
        for (int b = 0; b < 3; ++b)
          smax = std::max(smax, std::fabs(target[a][b]) / v * units::kEVPerA3ToGPa);
      const Mat3 ge = transpose(inverse(d)) * target;
      for (int a = 0; a < 3; ++a)
        for (int b = 0; b < 3; ++b) g[p++] = ge[a][b] / lambda_;
    }
    return {fmax, smax, r.energy + (o_.relax_cell ? pv : 0.0), r.energy};
  }

  // Moves every coordinate by dx (rotations by the torque-direction components).
  void step(const std::vector<double>& dx) {
    std::size_t p = 0;
    for (auto& r : rho_) {
      r += Vec3{dx[p], dx[p + 1], dx[p + 2]};
      p += 3;
    }
    for (Cluster& c : clusters_) {
      c.rho += Vec3{dx[p], dx[p + 1], dx[p + 2]};
      c.orientation = rotation({dx[p + 3], dx[p + 4], dx[p + 5]}) * c.orientation;
      p += 6;
    }
    if (o_.relax_cell)
      for (int a = 0; a < 3; ++a)
        for (int b = 0; b < 3; ++b) eps_[a][b] += dx[p++] / lambda_;
  }

 private:
  Structure s_;
  const RelaxOptions& o_;
  Mat3 cell0_;
  Mat3 eps_;
  double lambda_;
  std::vector<int> free_;
  std::vector<Vec3> rho_;
  std::vector<Cluster> clusters_;
};

}  // namespace

RelaxResult relax(const Calculator& calc, const Structure& start, const RelaxOptions& o) {
  if (o.relax_cell && !(start.pbc[0] && start.pbc[1] && start.pbc[2]))
    throw Error("cell relaxation needs a fully periodic structure");
  State st(start, o);
  const std::size_t n = st.dofs();
  std::vector<double> v(n, 0.0), g, dx(n);
  double dt = o.dt_start, alpha = 0.1;
  int since_negative = 0;
  RelaxResult res;
  for (int it = 0;; ++it) {
    const CalcResult r = calc.compute(st.structure());
    for (const Vec3& f : r.forces)
      if (!std::isfinite(f.x) || !std::isfinite(f.y) || !std::isfinite(f.z))
        throw Error("relaxation: calculator returned non-finite forces at step " +
                    std::to_string(it));
    const auto [fmax, smax, enthalpy, energy] = st.forces(r, g);
    res.energy = energy;
    res.enthalpy = enthalpy;
    res.fmax = fmax;
    res.smax_gpa = smax;
    res.steps = it;
    if (o.progress) o.progress(it, enthalpy, fmax, smax);
    if (fmax < o.fmax && (!o.relax_cell || smax < o.smax_gpa)) {
      res.converged = true;
      break;
    }
    if (it >= o.max_steps) break;
    // FIRE: mix the velocity towards the force, accelerate while going downhill.
    double power = 0, vnorm = 0, gnorm = 0;
    for (std::size_t k = 0; k < n; ++k) {
      power += g[k] * v[k];
      vnorm += v[k] * v[k];
      gnorm += g[k] * g[k];
    }
    if (power > 0) {
      vnorm = std::sqrt(vnorm);
      gnorm = std::sqrt(gnorm);
      for (std::size_t k = 0; k < n; ++k)
        v[k] = (1 - alpha) * v[k] + alpha * vnorm * g[k] / (gnorm + 1e-300);
      if (++since_negative > 5) {
        dt = std::min(dt * 1.1, o.dt_max);
        alpha *= 0.99;
      }
    } else {
      std::fill(v.begin(), v.end(), 0.0);
      dt *= 0.5;
      alpha = 0.1;
      since_negative = 0;
    }
    double longest = 0;
    for (std::size_t k = 0; k < n; ++k) {
      v[k] += dt * g[k];
      dx[k] = dt * v[k];
      longest = std::max(longest, std::fabs(dx[k]));
    }
    if (longest > o.max_move)
      for (double& x : dx) x *= o.max_move / longest;
    st.step(dx);
  }
  res.structure = st.structure();
  return res;
}

}  // namespace superion
