#!/usr/bin/env bash
# Installs Debian's Noto CJK fonts (fonts-noto-cjk) when missing and we may: certificates
# (PNG and PDF) and PDF exports draw Chinese with them (learning/certificates/drawing.py finds them).
# Idempotent: does nothing when the font is there; never fails the build.
set -u
if [ -n "$(ls /usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc /usr/share/fonts/google-noto-cjk/NotoSansCJK-Regular.ttc /usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc 2>/dev/null)" ]; then
  exit 0
fi
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "Installing fonts-noto-cjk from Debian (Chinese on certificates and PDF exports)..."
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq fonts-noto-cjk) >/tmp/netwise-fonts-apt.log 2>&1 \
    || echo "Could not install fonts-noto-cjk (see /tmp/netwise-fonts-apt.log): Chinese on certificates will show as boxes."
else
  echo "The CJK font (Noto Sans CJK) is missing and this user cannot install it:"
  echo "Chinese text on certificates and PDF exports will not render."
  echo "Install it with: sudo apt-get install fonts-noto-cjk"
fi
exit 0
