// Which of the two builds of the device sources this translation unit belongs to.
//   superion_cuda        nvcc, THRUST_DEVICE_SYSTEM_CUDA (the GPU backend)
//   superion_device_emu  the host compiler, THRUST_DEVICE_SYSTEM_OMP (the same code on the CPU)
// The sources are written once; only the thin layer in launch_cuda.hpp / launch_omp.hpp differs.
// Every symbol lives in superion::device::SUPERION_DEVICE_NS so both builds link into one program.
#pragma once

#include <thrust/detail/config.h>

#if THRUST_DEVICE_SYSTEM == THRUST_DEVICE_SYSTEM_CUDA
#if !defined(__CUDACC__)
#error "the CUDA device system needs nvcc"
#endif
#define SUPERION_DEVICE_CUDA 1
#define SUPERION_DEVICE_NS cuda_backend
#elif THRUST_DEVICE_SYSTEM == THRUST_DEVICE_SYSTEM_OMP
#define SUPERION_DEVICE_CUDA 0
#define SUPERION_DEVICE_NS emu_backend
#else
#error "superion's device backend is built for the CUDA or the OpenMP Thrust device system"
#endif
