#!/bin/sh
# servmon agent installer, served by the servmon hub at /install/agent.sh.
#
#   curl -fsSL <hub>/install/agent.sh | sudo sh -s -- --key KEY [--interval SECONDS]
#
# Checks for Java 17 or newer, downloads the agent's jar from the same hub, checks its
# SHA-256 against the one below, and runs its --install, which sets up and starts the
# systemd service servmon-agent. A hub with a self-signed certificate also hands out that
# certificate: it is checked against CA_SHA256 below, kept in /etc/servmon/hub-ca.pem and is
# the only certificate the downloads and the agent trust (docs/security.md, "TLS and headers"). Arguments after "--" go to --install; the options are
# listed by: java -jar servmon-agent.jar --help
set -eu

HUB=@HUB_URL@
JAR_SHA256=@JAR_SHA256@
CA_SHA256=@CA_SHA256@

say() { printf 'servmon: %s\n' "$*" >&2; }

java_hints() {
  say "install Java 17 or newer, then run this again:"
  say "  Debian, Ubuntu:     apt-get install -y openjdk-17-jre-headless"
  say "  Fedora, RHEL, Alma: dnf install -y java-17-openjdk-headless"
  say "  Alpine:             apk add openjdk17-jre-headless"
}

if ! command -v java >/dev/null 2>&1; then
  say "java not found on the PATH; the agent runs on Java 17 or newer."
  java_hints
  exit 1
fi
java_version=$(java -version 2>&1 | sed -n 's/.*version "\([0-9][0-9]*\).*/\1/p' | head -n 1)
case "$java_version" in
  '' | *[!0-9]*)
    say "cannot tell the version of $(command -v java) from 'java -version'; the agent needs Java 17 or newer."
    exit 1 ;;
esac
if [ "$java_version" -lt 17 ]; then
  say "$(command -v java) is Java $java_version; the agent needs Java 17 or newer."
  java_hints
  exit 1
fi

tmp=$(mktemp -d 2>/dev/null || mktemp -d -t servmon)
trap 'rm -rf "$tmp"' EXIT
trap 'exit 130' INT TERM

sha256_of() {
  if command -v sha256sum >/dev/null 2>&1; then
    sha256sum "$1" | cut -d ' ' -f 1
  elif command -v shasum >/dev/null 2>&1; then
    shasum -a 256 "$1" | cut -d ' ' -f 1
  elif command -v openssl >/dev/null 2>&1; then
    openssl dgst -sha256 -r "$1" | cut -d ' ' -f 1
  else
    say "cannot check downloads: none of sha256sum, shasum or openssl is installed."
    exit 1
  fi
}

# A self-signed hub: fetch its certificate without checking it (there is nothing to check it
# with yet), then accept it only if it is the one this script names, and trust only it after.
ca_args=""
if [ -n "$CA_SHA256" ]; then
  ca="$tmp/hub-ca.pem"
  if command -v curl >/dev/null 2>&1; then
    curl -fsSLk -o "$ca" "$HUB/install/ca.pem" || { say "cannot download $HUB/install/ca.pem"; exit 1; }
  else
    wget -q --no-check-certificate -O "$ca" "$HUB/install/ca.pem" || { say "cannot download $HUB/install/ca.pem with wget"; exit 1; }
  fi
  if [ "$(sha256_of "$ca")" != "$CA_SHA256" ]; then
    say "the hub's certificate is not the one this script names: not installing (is someone between you and the hub?)."
    exit 1
  fi
  # SERVMON_INSTALL_ROOT stages the install elsewhere (as --install does); the agent reads /etc.
  etc="${SERVMON_INSTALL_ROOT:-}"
  etc="${etc%/}/etc/servmon"
  mkdir -p "$etc"
  cp "$ca" "$etc/hub-ca.pem"
  chmod 0644 "$etc/hub-ca.pem"
  ca_args="--ca-file /etc/servmon/hub-ca.pem"
  say "hub certificate checked; saved to $etc/hub-ca.pem"
fi

jar="$tmp/servmon-agent.jar"
url="$HUB/install/servmon-agent.jar"
say "downloading $url"
if command -v curl >/dev/null 2>&1; then
  if [ -n "$ca_args" ]; then
    curl -fsSL --cacert "$tmp/hub-ca.pem" -o "$jar" "$url" || { say "cannot download $url (see the curl message above)"; exit 1; }
  else
    curl -fsSL -o "$jar" "$url" || { say "cannot download $url (see the curl message above)"; exit 1; }
  fi
elif command -v wget >/dev/null 2>&1; then
  if [ -n "$ca_args" ]; then
    wget -q --ca-certificate="$tmp/hub-ca.pem" -O "$jar" "$url" || { say "cannot download $url with wget"; exit 1; }
  else
    wget -q -O "$jar" "$url" || { say "cannot download $url with wget"; exit 1; }
  fi
else
  say "neither curl nor wget is installed; install one of them and run this again."
  exit 1
fi

actual=$(sha256_of "$jar")
if [ "$actual" != "$JAR_SHA256" ]; then
  say "the downloaded jar has SHA-256 $actual, but the hub announced $JAR_SHA256: not installing it."
  say "It was damaged on the way, or the hub was upgraded after this script was fetched: run the command again."
  exit 1
fi
say "SHA-256 verified; installing"

status=0
# $ca_args is empty or two words without spaces in them: unquoted on purpose.
# shellcheck disable=SC2086
java -XX:+UseSerialGC -Xmx64m -jar "$jar" --install --hub "$HUB" "$@" $ca_args || status=$?
exit "$status"
