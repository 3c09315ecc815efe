// The MD integrator kernels (md/integrator_kernels.hpp, md/rng.hpp) give the same results on the
// GPU as on the CPU: Philox draws bit for bit, and one kick-drift-Langevin update per atom to
// rounding (device log/sin/cos may differ from glibc's by an ulp). Skips visibly without a device.
#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "device_info.hpp"
#include "integrator_kernels.hpp"

namespace {

using superion::Vec3;
namespace md = superion::md;

__global__ void update_kernel(Vec3* v, Vec3* x, const Vec3* f, const double* m, int n,
                              unsigned long long seed, md::PhiloxBlock* blocks) {
  const int i = blockIdx.x * blockDim.x + threadIdx.x;
  if (i >= n) return;
  blocks[i] = md::philox4x32_10({static_cast<std::uint32_t>(i), 1u, 2u, 3u}, {7u, 11u});
  md::kick(v[i], f[i], md::kick_factor(m[i], 0.0005));
  md::drift(x[i], v[i], 0.001);
  md::langevin_o(v[i], 0.95, 0.0517, m[i], seed, 42, static_cast<std::uint64_t>(i));
}

TEST(MdKernelsGpu, SameAsCpu) {
  if (superion::cuda::device_count() == 0)
    GTEST_SKIP() << "no CUDA device present: GPU test skipped";
  const int n = 1000;
  const unsigned long long seed = 12345;
  std::vector<Vec3> v(n), x(n), f(n);
  std::vector<double> m(n);
  for (int i = 0; i < n; ++i) {
    v[i] = md::maxwell_boltzmann_velocity(seed, i, 0.05, 23.0);
    x[i] = {0.1 * i, -0.2 * i, 0.3};
    f[i] = {std::sin(i), std::cos(i), 0.5};
    m[i] = 10.0 + i % 7;
  }
  Vec3 *dv, *dx, *df;
  double* dm;
  md::PhiloxBlock* db;
  SUPERION_CUDA_CHECK(cudaMalloc(&dv, n * sizeof(Vec3)));
  SUPERION_CUDA_CHECK(cudaMalloc(&dx, n * sizeof(Vec3)));
  SUPERION_CUDA_CHECK(cudaMalloc(&df, n * sizeof(Vec3)));
  SUPERION_CUDA_CHECK(cudaMalloc(&dm, n * sizeof(double)));
  SUPERION_CUDA_CHECK(cudaMalloc(&db, n * sizeof(md::PhiloxBlock)));
  SUPERION_CUDA_CHECK(cudaMemcpy(dv, v.data(), n * sizeof(Vec3), cudaMemcpyHostToDevice));
  SUPERION_CUDA_CHECK(cudaMemcpy(dx, x.data(), n * sizeof(Vec3), cudaMemcpyHostToDevice));
  SUPERION_CUDA_CHECK(cudaMemcpy(df, f.data(), n * sizeof(Vec3), cudaMemcpyHostToDevice));
  SUPERION_CUDA_CHECK(cudaMemcpy(dm, m.data(), n * sizeof(double), cudaMemcpyHostToDevice));
  update_kernel<<<(n + 127) / 128, 128>>>(dv, dx, df, dm, n, seed, db);
  SUPERION_CUDA_CHECK(cudaGetLastError());
  std::vector<Vec3> gv(n), gx(n);
  std::vector<md::PhiloxBlock> gb(n);
  SUPERION_CUDA_CHECK(cudaMemcpy(gv.data(), dv, n * sizeof(Vec3), cudaMemcpyDeviceToHost));
  SUPERION_CUDA_CHECK(cudaMemcpy(gx.data(), dx, n * sizeof(Vec3), cudaMemcpyDeviceToHost));
  SUPERION_CUDA_CHECK(
      cudaMemcpy(gb.data(), db, n * sizeof(md::PhiloxBlock), cudaMemcpyDeviceToHost));
  for (auto* p : {static_cast<void*>(dv), static_cast<void*>(dx), static_cast<void*>(df),
                  static_cast<void*>(dm), static_cast<void*>(db)})
    SUPERION_CUDA_CHECK(cudaFree(p));
  for (int i = 0; i < n; ++i) {
    EXPECT_EQ(gb[i], md::philox4x32_10({static_cast<std::uint32_t>(i), 1u, 2u, 3u}, {7u, 11u}));
    md::kick(v[i], f[i], md::kick_factor(m[i], 0.0005));
    md::drift(x[i], v[i], 0.001);
    md::langevin_o(v[i], 0.95, 0.0517, m[i], seed, 42, static_cast<std::uint64_t>(i));
    // Kick and drift are the same IEEE operations (no FMA contraction differences beyond 1 ulp);
    // the Langevin noise goes through log/sqrt/cos: 1e-13 relative covers ulp-level differences.
    for (int k = 0; k < 3; ++k) {
      EXPECT_NEAR(gx[i][k], x[i][k], 1e-13 * (1 + std::fabs(x[i][k])));
      EXPECT_NEAR(gv[i][k], v[i][k], 1e-13 * (1 + std::fabs(v[i][k])));
    }
  }
}

}  // namespace
