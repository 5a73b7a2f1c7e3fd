#!/bin/sh
# servmon agent installer, served by the servmon hub at /install/agent.sh.
#
#   curl -fsSL <hub>/install/agent.sh | sudo sh -s -- --key KEY [--interval SECONDS]
#
# Checks for Java 17 or newer, downloads the agent's jar from the same hub, checks its
# SHA-256 against the one below, and runs its --install, which sets up and starts the
# systemd service servmon-agent. Arguments after "--" go to --install; the options are
# listed by: java -jar servmon-agent.jar --help
set -eu

HUB=@HUB_URL@
JAR_SHA256=@JAR_SHA256@

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
jar="$tmp/servmon-agent.jar"
url="$HUB/install/servmon-agent.jar"
say "downloading $url"
if command -v curl >/dev/null 2>&1; then
  curl -fsSL -o "$jar" "$url" || { say "cannot download $url (see the curl message above)"; exit 1; }
elif command -v wget >/dev/null 2>&1; then
  wget -q -O "$jar" "$url" || { say "cannot download $url with wget"; exit 1; }
else
  say "neither curl nor wget is installed; install one of them and run this again."
  exit 1
fi

if command -v sha256sum >/dev/null 2>&1; then
  actual=$(sha256sum "$jar" | cut -d ' ' -f 1)
elif command -v shasum >/dev/null 2>&1; then
  actual=$(shasum -a 256 "$jar" | cut -d ' ' -f 1)
elif command -v openssl >/dev/null 2>&1; then
  actual=$(openssl dgst -sha256 -r "$jar" | cut -d ' ' -f 1)
else
  say "cannot check the download: none of sha256sum, shasum or openssl is installed."
  exit 1
fi
if [ "$actual" != "$JAR_SHA256" ]; then
  say "the downloaded jar has SHA-256 $actual, but the hub announced $JAR_SHA256: not installing it."
  say "It was damaged on the way, or the hub was upgraded after this script was fetched: run the command again."
  exit 1
fi
say "SHA-256 verified; installing"

status=0
java -XX:+UseSerialGC -Xmx64m -jar "$jar" --install --hub "$HUB" "$@" || status=$?
exit "$status"
