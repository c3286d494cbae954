#!/usr/bin/env bash
# Install the Debian packages the test suite drives for real: OpenLink Virtuoso (a second SPARQL
# server beside Oxigraph, which comes from PyPI) and Chromium with its driver (the browser tests of
# `citynet visualize`, driven by Playwright from PyPI), Apache httpd (the published site's
# redirect rules) and raptor's rapper (an independent parser of every RDF file citynet writes).
# Skips what is already there.
set -euo pipefail
PACKAGES=()
command -v virtuoso-t >/dev/null && command -v isql-vt >/dev/null || PACKAGES+=(virtuoso-opensource)
command -v chromium >/dev/null || PACKAGES+=(chromium)
command -v chromedriver >/dev/null || PACKAGES+=(chromium-driver)
command -v apache2 >/dev/null || [ -x /usr/sbin/apache2 ] || PACKAGES+=(apache2)
command -v rapper >/dev/null || PACKAGES+=(raptor2-utils)
[ ${#PACKAGES[@]} -eq 0 ] && exit 0
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
echo "Installing Debian packages for the tests: ${PACKAGES[*]}" >&2
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${PACKAGES[@]}" >/dev/null
