# shellcheck shell=bash
# Toolchain of templates/rust-hotpath (sourced by scripts/install-tools.sh).
#
# Rendered services pin Rust in rust-toolchain.toml (channel 1.95.0, clippy and rustfmt). rustup
# would try to download a toolchain named "1.95.0" that it does not know, and only the package
# registries are reachable here. When the machine's installed toolchain already IS 1.95.0 (the
# image's `stable`), register it under that name (a symlink in rustup's toolchains/ folder; offline, no
# download); any other version stops here with a clear message. Crates and build output are
# cached by the tests themselves (toolsCache('cargo-home'), toolsCache('cargo-target-rust-hotpath')).
RUST_HOTPATH_TOOLCHAIN=1.95.0

rust_hotpath_toolchain() {
  command -v cargo >/dev/null 2>&1 || die "rust-hotpath: cargo is not on PATH (Rust $RUST_HOTPATH_TOOLCHAIN with clippy and rustfmt is needed)"
  if ! command -v rustup >/dev/null 2>&1; then
    # No rustup: rust-toolchain.toml is not consulted; the cargo on PATH must be the pinned one.
    check_runs "rust-hotpath rustc" "rustc $RUST_HOTPATH_TOOLCHAIN" rustc --version
    return 0
  fi
  local host name sysroot
  # From / so no rust-toolchain.toml override applies: this asks about the default toolchain.
  host="$(cd / && RUSTUP_AUTO_INSTALL=0 rustc -vV | sed -n 's/^host: //p')"
  [[ -n "$host" ]] || die "rust-hotpath: rustc -vV does not run (no default Rust toolchain?)"
  name="$RUST_HOTPATH_TOOLCHAIN-$host"
  if ! rustup toolchain list | grep -q "^$name"; then
    sysroot="$(cd / && RUSTUP_AUTO_INSTALL=0 rustc --print sysroot)" \
      || die "rust-hotpath: no default toolchain to register as $name"
    local version
    version="$("$sysroot/bin/rustc" --version)"
    [[ "$version" == "rustc $RUST_HOTPATH_TOOLCHAIN "* ]] \
      || die "rust-hotpath: toolchain $name is not installed and the installed stable is '$version'; install $RUST_HOTPATH_TOOLCHAIN with clippy and rustfmt (rustup toolchain install $RUST_HOTPATH_TOOLCHAIN -c clippy -c rustfmt)"
    # `rustup toolchain link` refuses names of official releases, so link the directory the way
    # an install would lay it out: rustup then treats it as the installed $name (with the same
    # components as the default toolchain).
    local home
    home="$(rustup show home)"
    ln -sfn "$sysroot" "$home/toolchains/$name"
    say "rust-hotpath: registered the installed stable ($version) as toolchain $name"
  fi
  check_runs "rust-hotpath rustc" "rustc $RUST_HOTPATH_TOOLCHAIN" env RUSTUP_AUTO_INSTALL=0 rustup run "$name" rustc --version
  check_runs "rust-hotpath clippy" "clippy" env RUSTUP_AUTO_INSTALL=0 rustup run "$name" cargo clippy --version
  check_runs "rust-hotpath rustfmt" "rustfmt" env RUSTUP_AUTO_INSTALL=0 rustup run "$name" rustfmt --version
  say "rust-hotpath: Rust $RUST_HOTPATH_TOOLCHAIN with clippy and rustfmt: ok"
}
rust_hotpath_toolchain
