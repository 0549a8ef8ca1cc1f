# Sourced by the benchmark scripts that run Debian's python3-torch as a peer. Debian's torch takes
# its GEMM (im2col convolutions, linear layers) from libblas.so.3; when that alternative is the
# netlib reference BLAS (libblas3 without libopenblas0), torch runs ~10x slower than a normal
# install and every DJL/torch ratio would flatter the Java side. Then OpenBLAS is unpacked (not
# installed: apt-get download + dpkg-deb, nothing on the system changes) under benchmarks/target
# and put first on the peer's LD_LIBRARY_PATH. Sets TORCH_ENV (prefix for the python command) and
# TORCH_BLAS (what the peer uses, for the report).
TORCH_ENV=""
blas_target=$(readlink -f /usr/lib/x86_64-linux-gnu/libblas.so.3 2>/dev/null || true)
case "$blas_target" in
  *openblas*|*mkl*|*blis*) TORCH_BLAS="$blas_target (system)" ;;
  *)
    dir=benchmarks/target/openblas
    lib=$(find "$dir" -name libblas.so.3 -path '*openblas*' 2>/dev/null | head -1 || true)
    if [ -z "$lib" ]; then
      mkdir -p "$dir"
      (cd "$dir" && apt-get download -q libopenblas0-pthread >/dev/null 2>&1 \
        || { apt-get update -qq && apt-get download -q libopenblas0-pthread; }) \
        && dpkg-deb -x "$dir"/libopenblas0-pthread_*.deb "$dir"
      lib=$(find "$dir" -name libblas.so.3 -path '*openblas*' 2>/dev/null | head -1 || true)
    fi
    if [ -n "$lib" ]; then
      TORCH_ENV="env LD_LIBRARY_PATH=$(cd "$(dirname "$lib")" && pwd)${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
      TORCH_BLAS="OpenBLAS $(basename "$dir"/libopenblas0-pthread_*.deb .deb | cut -d_ -f2) unpacked ($blas_target is the reference BLAS)"
    else
      TORCH_BLAS="$blas_target (reference BLAS: OpenBLAS could not be fetched, torch is ~10x slower than normal)"
    fi ;;
esac
