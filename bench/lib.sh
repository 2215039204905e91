# Shared by the bench/*.sh scripts (sourced from the repository root).

# Sets BIN to the Release binary ($ONESTOP_BINARY, else build/release/onestop),
# installing the packages and building it first when it is missing.
release_binary() {
  BIN=${ONESTOP_BINARY:-build/release/onestop}
  if [ ! -x "$BIN" ]; then
    bash scripts/install-deps.sh
    cmake -S . -B build/release -G Ninja -DCMAKE_BUILD_TYPE=Release -DONESTOP_BUILD_TESTS=OFF >/dev/null
    cmake --build build/release -j "$(nproc)" --target onestop
  fi
}
