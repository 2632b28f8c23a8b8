#!/usr/bin/env bash
# Builds and runs TorchSharpAnchor; arguments go to the program (--json, --seconds S, --only NAME, --threads N).
#
# TorchSharp 0.107's libLibTorchSharp.so needs GLIBCXX_3.4.32 (GCC 13's libstdc++). Where the system's libstdc++ lacks
# it (Debian 12 ships GCC 12's), this script takes libc6, libstdc++6 and libgcc-s1 from Debian 13 (trixie) with apt's
# ordinary client into a private directory (a private source list and state: nothing of the system changes) and runs
# the program under trixie's dynamic loader with those libraries first. libstdc++ alone is not enough: trixie's needs
# GLIBC_2.38 and Debian 12 has glibc 2.36, so the whole C runtime comes from trixie, for this process only.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
out="$here/bin/Release/net10.0"
# TORCHSHARP_ANCHOR_NO_BUILD=1 skips the build (interleave.sh builds once, then runs the program many times).
[ -n "${TORCHSHARP_ANCHOR_NO_BUILD:-}" ] || dotnet build "$here/TorchSharpAnchor.csproj" -c Release --nologo -v quiet >&2
# awk reads all of ldconfig's output: exiting at the first match would end ldconfig with SIGPIPE, which pipefail and set -e
# turn into this script's exit (status 141, at random).
system_libstdcxx="$(/sbin/ldconfig -p | awk '/libstdc\+\+\.so\.6 .*x86-64/ && !found {print $NF; found = 1}')"
if [ -n "$system_libstdcxx" ] && grep -q GLIBCXX_3.4.32 "$system_libstdcxx"; then
  exec "$out/TorchSharpAnchor" "$@"
fi
cache="${TORCHSHARP_ANCHOR_CACHE:-$HOME/.cache/torchsharp-anchor}"
root="$cache/trixie-root"
if [ ! -e "$root/usr/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2" ]; then
  mkdir -p "$cache/apt/lists/partial" "$cache/apt/cache/archives/partial" "$cache/debs"
  echo "deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] http://deb.debian.org/debian trixie main" > "$cache/apt/sources.list"
  apt_opts=(-o Dir::Etc::SourceList="$cache/apt/sources.list" -o Dir::Etc::SourceParts=/dev/null
    -o Dir::State::Lists="$cache/apt/lists" -o Dir::Cache="$cache/apt/cache" -o Dir::State::Status=/dev/null
    -o APT::Architecture=amd64)
  apt-get "${apt_opts[@]}" update >&2
  (cd "$cache/debs" && apt-get "${apt_opts[@]}" download libc6 libstdc++6 libgcc-s1 >&2)
  for deb in "$cache"/debs/*.deb; do dpkg-deb -x "$deb" "$root"; done
fi
# The .NET app host finds its app next to /proc/self/exe, which is the loader here, so the loader goes next to the app.
cp "$root/usr/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2" "$out/"
export DOTNET_ROOT="${DOTNET_ROOT:-$(dirname "$(readlink -f "$(command -v dotnet)")")}"
# libtorch's own directory first: --library-path outranks the libraries' RUNPATH, and Debian's python3-torch puts an older
# libc10.so and libtorch_cpu.so (PyTorch 1.13) in /usr/lib/x86_64-linux-gnu, which would otherwise be loaded instead.
exec "$out/ld-linux-x86-64.so.2" --library-path "$out/runtimes/linux-x64/native:$root/usr/lib/x86_64-linux-gnu:/usr/lib/x86_64-linux-gnu:/lib/x86_64-linux-gnu" \
  "$out/TorchSharpAnchor" "$@"
