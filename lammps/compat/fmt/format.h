// Compatibility shim for Debian 12's liblammps-dev (LAMMPS 2022-01). Its headers include
// "fmt/format.h" and name fmt::make_args_checked, which belong to the {fmt} v7 copy bundled inside
// liblammps.so but not shipped with the headers; the system {fmt} 9 removed make_args_checked.
// superion calls only the std::string overloads of LAMMPS (error->all(FLERR, std::string), …), so
// the formatted-argument templates that use it are never instantiated: a declaration that lets
// the headers parse is all that is needed. This directory must come before /usr/include.
#pragma once

#include_next <fmt/format.h>

namespace fmt {
template <typename... Args, typename S, typename... T>
inline auto make_args_checked(const S&, const T&... args) {
  return fmt::make_format_args(args...);
}
}  // namespace fmt
