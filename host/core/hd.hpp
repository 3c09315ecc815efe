// SUPERION_HD marks inline physics functions shared by the CPU loops and the CUDA kernels.
// Under nvcc it expands to __host__ __device__, for the host compiler it is empty.
#pragma once

#if defined(__CUDACC__)
#define SUPERION_HD __host__ __device__
#else
#define SUPERION_HD
#endif
