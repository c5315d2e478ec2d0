#!/usr/bin/env bash
# Installs Debian's Chromium (and a CJK font for certificates) when missing and we may.
set -u
need=()
[ -x /usr/bin/chromium ] || need+=(chromium)
[ -n "$(ls /usr/share/fonts/opentype/noto/NotoSansCJK* 2>/dev/null)" ] || need+=(fonts-noto-cjk)
[ ${#need[@]} -eq 0 ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "Installing ${need[*]} from Debian (browser tests, certificate font)..."
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}") >/tmp/netwise-apt.log 2>&1 \
    || echo "Could not install ${need[*]} (see /tmp/netwise-apt.log)."
else
  echo "Chromium is missing and this user cannot install it: browser journeys will be skipped."
  echo "Install it with: sudo apt-get install chromium fonts-noto-cjk"
fi
exit 0
