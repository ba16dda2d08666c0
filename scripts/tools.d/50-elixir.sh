# shellcheck shell=bash
# Toolchain of templates/elixir-fanout (sourced by scripts/install-tools.sh; uses its helpers).
#
# 1. Elixir and Erlang/OTP from Debian (Elixir 1.14 / OTP 25 on bookworm), installed with apt
#    when `elixir` or `mix` is missing. The Hex registry is not reachable from the project's
#    machines, so nothing else comes from Elixir's own package channel.
# 2. cowboy, cowlib, ranch and gun, compiled for that OTP, taken from Debian's rabbitmq-server
#    .deb (which bundles them as RabbitMQ plugins). The .deb is only downloaded and unpacked into
#    the cache: it is never installed and no RabbitMQ service is started. The libraries are linked
#    as $TOOLS/erl-libs; the template's test puts that folder on ERL_LIBS.

ELIXIR_APT_PACKAGES=(elixir erlang-dev erlang-src erlang-ssl)
ERL_LIBS_APPS=(cowboy cowlib ranch gun)

if ! command -v elixir >/dev/null 2>&1 || ! command -v mix >/dev/null 2>&1; then
  [[ "$(id -u)" == 0 ]] \
    || die "elixir/mix are not installed and this is not root: run as root, or 'apt-get install ${ELIXIR_APT_PACKAGES[*]}'"
  say "elixir: not installed; installing ${ELIXIR_APT_PACKAGES[*]} with apt-get (apt-get update first)…"
  DEBIAN_FRONTEND=noninteractive apt-get update -qq >"$CACHE/logs/apt-elixir.log" 2>&1 \
    || { tail -n 20 "$CACHE/logs/apt-elixir.log" >&2; die "elixir: apt-get update failed (log: $CACHE/logs/apt-elixir.log)"; }
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${ELIXIR_APT_PACKAGES[@]}" >>"$CACHE/logs/apt-elixir.log" 2>&1 \
    || { tail -n 20 "$CACHE/logs/apt-elixir.log" >&2; die "elixir: apt-get install ${ELIXIR_APT_PACKAGES[*]} failed (log: $CACHE/logs/apt-elixir.log)"; }
fi
check_runs elixir "Elixir 1." elixir --version
# With Debian's elixir, the rest of the Debian toolchain too (erlang-ssl: gun needs ssl). An
# Elixir installed some other way is left alone: the bundle check below says if it fits.
elixir_from_debian=false
dpkg-query -W -f='${Status}' elixir 2>/dev/null | grep -q 'install ok installed' && elixir_from_debian=true
for pkg in "${ELIXIR_APT_PACKAGES[@]}"; do
  [[ "$elixir_from_debian" == true ]] || break
  if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed'; then
    [[ "$(id -u)" == 0 ]] || die "elixir: Debian package $pkg is missing and this is not root"
    say "elixir: installing missing Debian package $pkg with apt-get…"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$pkg" >>"$CACHE/logs/apt-elixir.log" 2>&1 \
      || die "elixir: apt-get install $pkg failed (log: $CACHE/logs/apt-elixir.log)"
  fi
done

# The bundle is keyed by the .deb's version: the candidate apt would download.
rabbitmq_deb_version() { apt-cache policy rabbitmq-server 2>/dev/null | awk '/Candidate:/ { print $2 }'; }
cowboy_deb_version="$(rabbitmq_deb_version)"
if [[ -z "$cowboy_deb_version" || "$cowboy_deb_version" == "(none)" ]]; then
  [[ "$(id -u)" == 0 ]] || die "cowboy bundle: apt knows no rabbitmq-server package and this is not root to run 'apt-get update'"
  say "cowboy bundle: apt knows no rabbitmq-server package; running apt-get update…"
  DEBIAN_FRONTEND=noninteractive apt-get update -qq >>"$CACHE/logs/apt-elixir.log" 2>&1 || die "cowboy bundle: apt-get update failed"
  cowboy_deb_version="$(rabbitmq_deb_version)"
  [[ -n "$cowboy_deb_version" && "$cowboy_deb_version" != "(none)" ]] || die "cowboy bundle: Debian has no rabbitmq-server package here"
fi
cowboy_entry="cowboy-bundle-${cowboy_deb_version//[:~]/_}"

build_cowboy_bundle() {
  local tmp=$1 plugins app dir
  mkdir -p "$tmp/deb" "$tmp/root" "$tmp/lib"
  # apt-get download writes into the current folder; it needs no root and installs nothing.
  (cd "$tmp/deb" && apt-get download "rabbitmq-server=$cowboy_deb_version")
  dpkg-deb -x "$tmp"/deb/rabbitmq-server_*.deb "$tmp/root"
  plugins="$(find "$tmp/root" -type d -path '*/rabbitmq_server-*/plugins' | head -n 1)"
  [[ -n "$plugins" ]] || { echo "no rabbitmq_server-*/plugins folder in the .deb"; return 1; }
  for app in "${ERL_LIBS_APPS[@]}"; do
    dir="$(find "$plugins" -maxdepth 1 -type d -name "$app-[0-9]*" | head -n 1)"
    if [[ -z "$dir" ]]; then
      # Some RabbitMQ builds ship plugins as .ez (zip) archives.
      local ez
      ez="$(find "$plugins" -maxdepth 1 -type f -name "$app-[0-9]*.ez" | head -n 1)"
      [[ -n "$ez" ]] || { echo "the .deb has no $app plugin"; return 1; }
      python3 -c 'import sys, zipfile; zipfile.ZipFile(sys.argv[1]).extractall(sys.argv[2])' "$ez" "$tmp/lib"
      dir="$(find "$tmp/lib" -maxdepth 1 -type d -name "$app-[0-9]*" | head -n 1)"
    else
      cp -a "$dir" "$tmp/lib/"
      dir="$tmp/lib/$(basename "$dir")"
    fi
    [[ -f "$dir/ebin/$app.app" ]] || { echo "$dir/ebin/$app.app missing"; return 1; }
    echo "took $(basename "$dir")"
  done
  rm -rf "$tmp/deb" "$tmp/root"
  (cd "$tmp/lib" && ls -1) >"$tmp/apps.txt"
}
ensure_entry "cowboy/gun bundle (Debian rabbitmq-server $cowboy_deb_version)" "$cowboy_entry" apps.txt build_cowboy_bundle
link "$CACHE/$cowboy_entry/lib" "$TOOLS/erl-libs"
check_runs "cowboy bundle" "cowboy-gun-ok" env ERL_LIBS="$TOOLS/erl-libs" erl -noshell -eval \
  '{ok, _} = application:ensure_all_started(cowboy), {ok, _} = application:ensure_all_started(gun), io:format("cowboy-gun-ok~n"), halt().'
