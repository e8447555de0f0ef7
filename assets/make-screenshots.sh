#!/usr/bin/env bash
# Regenerates the README's screenshots (and the trajectory GIF) from the real app: it starts the app through
# the tour's launcher (org.diffusionlab.tour) with DIFFUSIONLAB_SCREENSHOTS set, which walks through the
# views, saves each as PNG into assets/screenshots, and quits. Without a display it uses Xvfb on :97 (apt install xvfb). Takes about four minutes, most of
# it training the digits preset for the two image-model screenshots.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
xvfb=""
if [ -z "${DISPLAY:-}" ]; then
  Xvfb :97 -screen 0 1280x800x24 >/dev/null 2>&1 &
  xvfb=$!
  export DISPLAY=:97
  sleep 1
fi
cd "$root"
DIFFUSIONLAB_SCREENSHOTS="$root/assets/screenshots" mvn -q javafx:run -Dstyle.color=never \
  -Dmain.launcher=org.diffusionlab.tour.TourLauncher
[ -n "$xvfb" ] && kill "$xvfb" 2>/dev/null || true
ls -la "$root/assets/screenshots"
