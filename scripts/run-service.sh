#!/usr/bin/env bash
# Runs the re-ID service on its embedded defaults: PostgreSQL under ./data (kept across restarts),
# the bundled demo model, a synthetic demo gallery seeded on first start, and an ADMIN key printed
# on first start (or the key in REID_ADMIN_KEY). The page is at http://localhost:8080/.
# Extra arguments go to the service, e.g. --server.port=9090 or --spring.profiles.active=prod.
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -B -q -pl service -am package -DskipTests
# libtorch's OpenMP threads sleep between forward passes instead of spinning (docs/benchmarks-service.md)
export OMP_WAIT_POLICY="${OMP_WAIT_POLICY:-PASSIVE}"
# glibc malloc keeps libtorch's freed batch tensors for the next forward pass instead of unmapping
# them and page-faulting them back in (a batch of 128 crops: 2-5x less CPU; docs/benchmarks-service.md)
export GLIBC_TUNABLES="${GLIBC_TUNABLES:-glibc.malloc.mmap_threshold=33554432:glibc.malloc.trim_threshold=4294967295}"
exec java --add-modules jdk.incubator.vector -Dai.djl.offline=true -jar service/target/service-exec.jar "$@"
