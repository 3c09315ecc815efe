// Small fixed-size 3-vector and 3x3 matrix types usable on host and device (SUPERION_HD).
// Matrices are row-major; a cell matrix stores the lattice vectors a, b, c as ROWS.
#pragma once

#include <cmath>

#include "core/hd.hpp"

namespace superion {

struct Vec3 {
  double x = 0, y = 0, z = 0;
  SUPERION_HD constexpr double operator[](int i) const { return i == 0 ? x : (i == 1 ? y : z); }
  SUPERION_HD double& operator[](int i) { return i == 0 ? x : (i == 1 ? y : z); }
  SUPERION_HD Vec3& operator+=(const Vec3& o) { x += o.x; y += o.y; z += o.z; return *this; }
  SUPERION_HD Vec3& operator-=(const Vec3& o) { x -= o.x; y -= o.y; z -= o.z; return *this; }
  SUPERION_HD Vec3& operator*=(double s) { x *= s; y *= s; z *= s; return *this; }
};

SUPERION_HD inline Vec3 operator+(Vec3 a, const Vec3& b) { return a += b; }
SUPERION_HD inline Vec3 operator-(Vec3 a, const Vec3& b) { return a -= b; }
SUPERION_HD inline Vec3 operator-(const Vec3& a) { return {-a.x, -a.y, -a.z}; }
SUPERION_HD inline Vec3 operator*(Vec3 a, double s) { return a *= s; }
SUPERION_HD inline Vec3 operator*(double s, Vec3 a) { return a *= s; }
SUPERION_HD inline double dot(const Vec3& a, const Vec3& b) { return a.x * b.x + a.y * b.y + a.z * b.z; }
SUPERION_HD inline double norm2(const Vec3& a) { return dot(a, a); }
SUPERION_HD inline double norm(const Vec3& a) { return sqrt(dot(a, a)); }
SUPERION_HD inline Vec3 cross(const Vec3& a, const Vec3& b) {
  return {a.y * b.z - a.z * b.y, a.z * b.x - a.x * b.z, a.x * b.y - a.y * b.x};
}

struct Mat3 {
  double m[3][3] = {{0, 0, 0}, {0, 0, 0}, {0, 0, 0}};
  SUPERION_HD double* operator[](int i) { return m[i]; }
  SUPERION_HD const double* operator[](int i) const { return m[i]; }
  SUPERION_HD Vec3 row(int i) const { return {m[i][0], m[i][1], m[i][2]}; }
  SUPERION_HD void set_row(int i, const Vec3& v) { m[i][0] = v.x; m[i][1] = v.y; m[i][2] = v.z; }
  SUPERION_HD static Mat3 identity() {
    Mat3 r;
    r.m[0][0] = r.m[1][1] = r.m[2][2] = 1.0;
    return r;
  }
};

SUPERION_HD inline double det(const Mat3& a) {
  return a[0][0] * (a[1][1] * a[2][2] - a[1][2] * a[2][1]) -
         a[0][1] * (a[1][0] * a[2][2] - a[1][2] * a[2][0]) +
         a[0][2] * (a[1][0] * a[2][1] - a[1][1] * a[2][0]);
}

SUPERION_HD inline Mat3 transpose(const Mat3& a) {
  Mat3 r;
  for (int i = 0; i < 3; ++i)
    for (int j = 0; j < 3; ++j) r[i][j] = a[j][i];
  return r;
}

SUPERION_HD inline Mat3 operator*(const Mat3& a, const Mat3& b) {
  Mat3 r;
  for (int i = 0; i < 3; ++i)
    for (int j = 0; j < 3; ++j)
      r[i][j] = a[i][0] * b[0][j] + a[i][1] * b[1][j] + a[i][2] * b[2][j];
  return r;
}

SUPERION_HD inline Mat3 operator+(const Mat3& a, const Mat3& b) {
  Mat3 r;
  for (int i = 0; i < 3; ++i)
    for (int j = 0; j < 3; ++j) r[i][j] = a[i][j] + b[i][j];
  return r;
}

SUPERION_HD inline Mat3 operator*(double s, const Mat3& a) {
  Mat3 r;
  for (int i = 0; i < 3; ++i)
    for (int j = 0; j < 3; ++j) r[i][j] = s * a[i][j];
  return r;
}

// Inverse by the adjugate; the caller guarantees det != 0.
SUPERION_HD inline Mat3 inverse(const Mat3& a) {
  const double d = det(a);
  Mat3 r;
  r[0][0] = (a[1][1] * a[2][2] - a[1][2] * a[2][1]) / d;
  r[0][1] = (a[0][2] * a[2][1] - a[0][1] * a[2][2]) / d;
  r[0][2] = (a[0][1] * a[1][2] - a[0][2] * a[1][1]) / d;
  r[1][0] = (a[1][2] * a[2][0] - a[1][0] * a[2][2]) / d;
  r[1][1] = (a[0][0] * a[2][2] - a[0][2] * a[2][0]) / d;
  r[1][2] = (a[0][2] * a[1][0] - a[0][0] * a[1][2]) / d;
  r[2][0] = (a[1][0] * a[2][1] - a[1][1] * a[2][0]) / d;
  r[2][1] = (a[0][1] * a[2][0] - a[0][0] * a[2][1]) / d;
  r[2][2] = (a[0][0] * a[1][1] - a[0][1] * a[1][0]) / d;
  return r;
}

// Row vector times matrix: v^T M (fractional -> cartesian with a row-vector cell).
SUPERION_HD inline Vec3 row_times(const Vec3& v, const Mat3& a) {
  return {v.x * a[0][0] + v.y * a[1][0] + v.z * a[2][0], v.x * a[0][1] + v.y * a[1][1] + v.z * a[2][1],
          v.x * a[0][2] + v.y * a[1][2] + v.z * a[2][2]};
}

}  // namespace superion
