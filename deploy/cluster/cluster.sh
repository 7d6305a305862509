#!/usr/bin/env bash
# Wattstream's production shape on one machine, each part a process of its own started from its own
# main with the settings the compose cluster file (docker-compose.cluster.yml) gives it: three KRaft
# brokers, one PostgreSQL server, two Kafka Connect workers in one group, three stream processors,
# two gateways, two query APIs (and the notifier where the repository has one).
#
#   cluster.sh build                 build every part's classpath once (Maven)
#   cluster.sh up                    start whatever is not running, in dependency order; wait until healthy
#   cluster.sh down [--purge]        stop every process and remove every namespace it made (--purge: data too)
#   cluster.sh status                one line per instance (name, URL, health), then leadership and lag
#   cluster.sh kill NAME             SIGKILL one instance
#   cluster.sh stop NAME             SIGTERM one instance and wait until it is gone
#   cluster.sh start NAME            start one instance (after kill or stop) and wait until it is healthy
#   cluster.sh restart NAME          stop, then start
#   cluster.sh partition NAME        cut one instance off the network
#   cluster.sh heal NAME             restore it
#   cluster.sh names                 the instance names, in start order
#   cluster.sh url NAME              the instance's address as status shows it
#   cluster.sh config NAME           the settings an instance runs with (password masked)
#
# Where this runs as root with `ip netns`, every instance gets a network namespace of its own with its own
# address on a bridge the script makes (veth pairs), and `partition` is a real network cut: the instance's
# link to the bridge goes down. Elsewhere every instance gets a loopback address of its own (127.0.77.N)
# and `partition` freezes the process instead (SIGSTOP; `heal` sends SIGCONT), which it says.
# Traffic never leaves the machine: the namespaces have no route but the bridge's own subnet.
#
# Environment:
#   CLUSTER_DIR      state: pid files, logs, generated configs, data (default: data/cluster in the repository)
#   CLUSTER_NAME     prefix of namespaces, bridge and links, at most 5 characters (default ws)
#   CLUSTER_SUBNET   first three octets of the bridge's /24 (default 198.18.0, the range set aside
#                    for network tests, RFC 2544)
#   CLUSTER_NETWORK  netns | loopback | auto (default auto: netns when root and `ip netns` work)
#   CLUSTER_JAVA_OPTS  more JVM options for every Java process (default -XX:+UseSerialGC)
#   CLUSTER_WAIT     seconds to wait for an instance to become healthy (default 180)
#   POSTGRES_PASSWORD  the database password (default: generated once, kept in CLUSTER_DIR)
#   and every Wattstream setting of .env-sample (ALERT_THRESHOLD, GATEWAY_TOKENS, ...), passed on as compose does.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
dir=${CLUSTER_DIR:-$root/data/cluster}
prefix=${CLUSTER_NAME:-ws}
subnet=${CLUSTER_SUBNET:-198.18.0}
java_opts=${CLUSTER_JAVA_OPTS:--XX:+UseSerialGC}
wait_s=${CLUSTER_WAIT:-180}
[ ${#prefix} -le 5 ] || { echo "CLUSTER_NAME must be at most 5 characters (interface names are short)" >&2; exit 2; }

# --- Settings shared with docker-compose.cluster.yml (ClusterMatchesComposeTest keeps them equal) ---------
replication=3
min_isr=2
partitions=${TOPIC_PARTITIONS:-3}
raw_topic=${KAFKA_TOPIC:-shelly.readings.raw}
connect_group=wattstream-connect
# Faster fail-over than the client defaults: a dead stream processor's partitions move after 10 s (45 s by
# default), a standby keeps a warm copy of each store, and a dead Connect worker's tasks move after 10 s
# (5 minutes by default).
streams_config=${STREAMS_CONFIG:-num.standby.replicas=1,session.timeout.ms=10000,heartbeat.interval.ms=3000}
connect_rebalance_delay_ms=10000
# A follower cut off the network stays in the ISR until it lags this long, and acks=all writes to every
# partition it follows wait for it meanwhile: 30 s by default, longer than the gateway's publish timeout.
replica_lag_ms=10000
connect_offset_flush_ms=10000

# --- Instances: name, octet of its address ------------------------------------------------------------------
instances=(postgres:10 broker-1:11 broker-2:12 broker-3:13 connect-1:21 connect-2:22
           streams-1:31 streams-2:32 streams-3:33 gateway-1:41 gateway-2:42 query-1:51 query-2:52)
[ -f "$root/notifier/pom.xml" ] && instances+=(notifier:61)

names() { local i; for i in "${instances[@]}"; do echo "${i%%:*}"; done; }
octet() { local i; for i in "${instances[@]}"; do [ "${i%%:*}" = "$1" ] && { echo "${i##*:}"; return; }; done
          echo "unknown instance '$1' (cluster.sh names lists them)" >&2; exit 2; }
role() { case "$1" in broker-*) echo broker ;; connect-*) echo connect ;; streams-*) echo streams ;;
                      gateway-*) echo gateway ;; query-*) echo query ;; *) echo "$1" ;; esac; }
index() { case "$1" in *-[0-9]) echo "${1##*-}" ;; *) echo 1 ;; esac; }
port() { case "$(role "$1")" in postgres) echo 5432 ;; broker) echo 9092 ;; connect) echo 8083 ;; streams) echo 8084 ;;
                                gateway) echo 8080 ;; query) echo 8081 ;; notifier) echo 8085 ;; esac; }

log() { printf '%s cluster: %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }
die() { printf 'cluster: %s\n' "$*" >&2; exit 1; }

# --- Network ------------------------------------------------------------------------------------------------
mode_file="$dir/network"
network_mode() {
  if [ -f "$mode_file" ]; then cat "$mode_file"; return; fi
  local want=${CLUSTER_NETWORK:-auto}
  if [ "$want" = auto ]; then
    want=loopback
    if [ "$(id -u)" -eq 0 ] && command -v ip >/dev/null && ip netns list >/dev/null 2>&1; then want=netns; fi
  fi
  echo "$want"
}
addr() { if [ "$(network_mode)" = netns ]; then echo "$subnet.$(octet "$1")"; else echo "127.0.77.$(octet "$1")"; fi; }
ns() { echo "$prefix-$1"; }
bridge="${prefix}br0"
host_link() { echo "${prefix}h$(octet "$1")"; }

network_up() {
  mkdir -p "$dir/logs" "$dir/pids"
  local mode; mode=$(network_mode); echo "$mode" > "$mode_file"
  if [ "$mode" != netns ]; then
    log "no network namespaces here (needs root and ip netns): every instance gets a loopback address (127.0.77.N);"
    log "partition NAME freezes the process (SIGSTOP) instead of cutting its network"
    return
  fi
  if ! ip link show "$bridge" >/dev/null 2>&1; then
    ip link add "$bridge" type bridge
    ip addr add "$subnet.1/24" dev "$bridge"
    ip link set "$bridge" up
  fi
  local name n
  for name in $(names); do
    n=$(ns "$name")
    ip netns list | grep -qx "$n\( (id: [0-9]*)\)\?" && continue
    ip netns add "$n"
    ip link add "$(host_link "$name")" type veth peer name eth0 netns "$n"
    ip link set "$(host_link "$name")" master "$bridge" up
    ip -n "$n" addr add "$(addr "$name")/24" dev eth0
    ip -n "$n" link set lo up
    ip -n "$n" link set eth0 up
  done
  log "network: bridge $bridge $subnet.1/24, one namespace per instance ($prefix-NAME)"
}

network_down() {
  [ "$(network_mode)" = netns ] || { rm -f "$mode_file"; return 0; }
  local name
  for name in $(names); do
    ip link del "$(host_link "$name")" 2>/dev/null || true
    ip netns del "$(ns "$name")" 2>/dev/null || true
  done
  ip link del "$bridge" 2>/dev/null || true
  rm -f "$mode_file"
}

# Runs a command in the instance's namespace (netns mode) or as it is.
in_ns() {
  local name=$1; shift
  if [ "$(network_mode)" = netns ]; then ip netns exec "$(ns "$name")" "$@"; else "$@"; fi
}

# --- Classpaths (built once with Maven; every module writes target/runtime.classpath) ------------------------
modules() {
  local m="gateway,streams-processor,query-api,db-schema,deploy/cluster/kafka,deploy/cluster/connect,deploy/cluster/jdbc-sink,deploy/cluster/postgres"
  [ -f "$root/notifier/pom.xml" ] && m="$m,notifier"
  echo "$m"
}
classpath() {
  local module=$1 file="$root/$1/target/runtime.classpath" own
  [ -f "$file" ] || die "$file is missing: run cluster.sh build"
  own=$(ls "$root/$module"/target/*.jar 2>/dev/null | grep -v -- '-\(sources\|tests\|javadoc\)\.jar$' | head -1 || true)
  if [ -n "$own" ]; then echo "$own:$(cat "$file")"; else cat "$file"; fi
}
build() {
  local jdk_script="$root/scripts/jdk.sh"
  # shellcheck source=../../scripts/jdk.sh
  . "$jdk_script"
  select_jdk || die "$(no_jdk_message)"
  use_selected_jdk
  log "building every part's classpath (mvn package -DskipTests)"
  (cd "$root" && mvn -B -q -ntp -pl "$(modules)" -am -DskipTests package)
}
ensure_built() {
  local m
  for m in ${1//,/ }; do [ -f "$root/$m/target/runtime.classpath" ] || { build; return; }; done
}

java_bin() {
  if [ -z "${java_cmd:-}" ]; then
    # shellcheck source=../../scripts/jdk.sh
    . "$root/scripts/jdk.sh"
    select_jdk || die "$(no_jdk_message)"
    java_cmd="$JAVA_HOME/bin/java"
  fi
  echo "$java_cmd"
}

# --- Settings per instance ----------------------------------------------------------------------------------
bootstrap() { echo "$(addr broker-1):9092,$(addr broker-2):9092,$(addr broker-3):9092"; }
password() {
  if [ -n "${POSTGRES_PASSWORD:-}" ]; then echo "$POSTGRES_PASSWORD"; return; fi
  local f="$dir/postgres.password"
  [ -f "$f" ] || { mkdir -p "$dir"; (umask 077; head -c 18 /dev/urandom | base64 | tr -d '/+=' > "$f"); }
  cat "$f"
}
state_urls() { echo "http://$(addr streams-1):8084,http://$(addr streams-2):8084,http://$(addr streams-3):8084"; }

# A setting of .env-sample passed on only when set, as compose's ${NAME:-} does (blank means the default).
# Every write to the query API needs an admin token (compose takes it from .env): AUTH_ADMIN_TOKEN, or
# one generated on the first `up` and kept in the cluster's directory (mode 600).
admin_token() {
  if [ -n "${AUTH_ADMIN_TOKEN:-}" ]; then echo "$AUTH_ADMIN_TOKEN"; return; fi
  local f=$dir/admin-token
  if [ ! -s "$f" ]; then
    mkdir -p "$dir"
    (umask 077; { printf 'wst_'; head -c 32 /dev/urandom | base64 | tr -d '\n=' | tr '+/' '-_'; } > "$f")
  fi
  cat "$f"
}
pass() { local v; for v in "$@"; do [ -n "${!v:-}" ] && echo "$v=${!v}"; done; return 0; }

postgres_env() {
  echo "POSTGRES_HOST=$(addr postgres)"
  echo "POSTGRES_PORT=5432"
  echo "POSTGRES_DB=${POSTGRES_DB:-wattstream}"
  echo "POSTGRES_USER=${POSTGRES_USER:-wattstream}"
  echo "POSTGRES_PASSWORD=$(password)"
}

# The environment of a Wattstream service instance (compose's environment: block for it).
service_env() {
  local name=$1
  case "$(role "$name")" in
    gateway)
      echo "KAFKA_BROKER=$(bootstrap)"
      echo "KAFKA_TOPIC=$raw_topic"
      echo "GATEWAY_PORT=8080"
      pass GATEWAY_TOKENS GATEWAY_PUBLISH_TIMEOUT GATEWAY_RETRY_AFTER GATEWAY_MAX_BODY_BYTES GATEWAY_BODY_READ_TIMEOUT \
           GATEWAY_KAFKA_LINGER GATEWAY_PRODUCER_CONFIG GATEWAY_WS_PING_INTERVAL GATEWAY_WS_IDLE_TIMEOUT \
           GATEWAY_WS_MAX_FRAME_BYTES GATEWAY_WS_MAX_FRAMES_PER_SECOND GATEWAY_WS_STATUS_POLL ;;
    streams)
      echo "KAFKA_BROKER=$(bootstrap)"
      echo "KAFKA_TOPIC=$raw_topic"
      echo "STATE_PORT=8084"
      echo "APPLICATION_SERVER=$(addr "$name"):8084"
      echo "STREAMS_STATE_DIR=$dir/data/$name/streams-state"
      echo "TOPIC_PARTITIONS=$partitions"
      echo "STREAMS_CONFIG=$streams_config"
      pass ALERT_THRESHOLD ALERT_HYSTERESIS OFFLINE_AFTER RAW_RETENTION ENERGY_DIP_TOLERANCE_WH ENERGY_DIP_TOLERANCE_SHARE \
           ENERGY_MAX_POWER_W ENERGY_RECONCILE_SHARE TEMPERATURE_LIMIT_C STREAMS_DEDUP_RETENTION STREAMS_COMMIT_INTERVAL \
           STREAMS_CACHE_MAX_BYTES STREAMS_THREADS ;;
    query)
      postgres_env
      echo "KAFKA_BROKER=$(bootstrap)"
      echo "QUERY_PORT=8081"
      echo "STATE_URL=$(state_urls)"
      echo "NOTIFIER_URL=http://$(addr notifier):8085"
      echo "AUTH_ADMIN_TOKEN=$(admin_token)"
      pass AUTH_TOKENS AUTH_OPEN_READS QUERY_DB_POOL_SIZE QUERY_DB_CONNECTION_TIMEOUT STATE_TIMEOUT QUERY_SSE_HEARTBEAT QUERY_SSE_CLIENT_QUEUE \
           QUERY_SSE_REPLAY_BUFFER ;;
    notifier)
      echo "KAFKA_BROKER=$(bootstrap)"
      echo "NOTIFIER_PORT=8085"
      echo "TOPIC_PARTITIONS=$partitions" ;;
  esac
}

# server.properties of a broker (compose: the KAFKA_* environment of kafka-N).
broker_properties() {
  local name=$1 n a
  n=$(index "$name"); a=$(addr "$name")
  cat <<EOF
node.id=$n
process.roles=broker,controller
controller.quorum.voters=1@$(addr broker-1):9093,2@$(addr broker-2):9093,3@$(addr broker-3):9093
listeners=INTERNAL://$a:9092,CONTROLLER://$a:9093
advertised.listeners=INTERNAL://$a:9092
listener.security.protocol.map=INTERNAL:PLAINTEXT,CONTROLLER:PLAINTEXT
inter.broker.listener.name=INTERNAL
controller.listener.names=CONTROLLER
log.dirs=$dir/data/$name/kafka
offsets.topic.replication.factor=$replication
transaction.state.log.replication.factor=$replication
transaction.state.log.min.isr=$min_isr
share.coordinator.state.topic.replication.factor=$replication
share.coordinator.state.topic.min.isr=$min_isr
default.replication.factor=$replication
min.insync.replicas=$min_isr
auto.create.topics.enable=false
replica.lag.time.max.ms=$replica_lag_ms
EOF
}

# connect-distributed.properties of a worker (compose: the Debezium image's variables for connect-N and
# sink/Dockerfile's ENV).
connect_properties() {
  local name=$1 a
  a=$(addr "$name")
  cat <<EOF
bootstrap.servers=$(bootstrap)
group.id=$connect_group
config.storage.topic=wattstream-connect-configs
offset.storage.topic=wattstream-connect-offsets
status.storage.topic=wattstream-connect-status
config.storage.replication.factor=$replication
offset.storage.replication.factor=$replication
status.storage.replication.factor=$replication
key.converter=org.apache.kafka.connect.json.JsonConverter
value.converter=org.apache.kafka.connect.json.JsonConverter
listeners=http://$a:8083
rest.advertised.host.name=$a
rest.advertised.port=8083
plugin.path=$dir/plugins
plugin.discovery=service_load
consumer.isolation.level=read_committed
config.providers=env
config.providers.env.class=org.apache.kafka.common.config.provider.EnvVarConfigProvider
connector.client.config.override.policy=All
scheduled.rebalance.max.delay.ms=$connect_rebalance_delay_ms
offset.flush.interval.ms=$connect_offset_flush_ms
EOF
}

# The database password shown as "(set)": `config` prints what an instance gets, never the secret.
masked() { sed 's/^\(POSTGRES_PASSWORD\)=.*/\1=(set)/'; }

config() {
  local name=$1
  octet "$name" >/dev/null
  case "$(role "$name")" in
    broker) broker_properties "$name" ;;
    connect) connect_properties "$name"; postgres_env | masked ;;
    postgres) postgres_env | masked ;;
    *) service_env "$name" | masked ;;
  esac
}

# --- Processes ----------------------------------------------------------------------------------------------
pidfile() { echo "$dir/pids/$1.pid"; }
logfile() { echo "$dir/logs/$1.log"; }

# The instance's pid, if its process still runs and is the one this script started (its environment
# carries the instance's tag), else nothing.
pid_of() {
  local f pid
  f=$(pidfile "$1")
  [ -f "$f" ] || return 0
  pid=$(cat "$f")
  if [ -r "/proc/$pid/environ" ] && tr '\0' '\n' < "/proc/$pid/environ" 2>/dev/null | grep -qx "WATTSTREAM_CLUSTER_INSTANCE=$prefix/$1"; then
    echo "$pid"
  fi
}
running() { [ -n "$(pid_of "$1")" ]; }

# launch NAME ENV_LINES COMMAND...: starts COMMAND in the instance's namespace with exactly that environment,
# in a session of its own, output appended to its log; the pid file names the process itself.
launch() {
  local name=$1 env_lines=$2; shift 2
  mkdir -p "$dir/pids" "$dir/logs"
  local -a env_args=(env -i "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin" "HOME=${HOME:-/root}"
                     "LANG=C.UTF-8" "WATTSTREAM_CLUSTER_INSTANCE=$prefix/$name")
  local line
  while IFS= read -r line; do [ -n "$line" ] && env_args+=("$line"); done <<<"$env_lines"
  local -a wrap=()
  [ "$(network_mode)" = netns ] && wrap=(ip netns exec "$(ns "$name")")
  printf '\n=== %s start %s ===\n' "$name" "$(date -u +%FT%TZ)" >> "$(logfile "$name")"
  # bash writes its own pid, then every step execs: the pid is the final process's.
  setsid bash -c 'echo $$ > "$1"; shift; exec "$@"' _ "$(pidfile "$name")" "${wrap[@]}" "${env_args[@]}" "$@" \
    >> "$(logfile "$name")" 2>&1 < /dev/null &
  local t=0
  until [ -s "$(pidfile "$name")" ] && running "$name"; do
    sleep 0.1; t=$((t + 1))
    [ $t -lt 100 ] || die "$name did not start; see $(logfile "$name")"
  done
}

jvm() {
  local name=$1 heap=$2 cp=$3; shift 3
  # shellcheck disable=SC2086
  echo "$(java_bin)" -Xmx"$heap" -XX:+ExitOnOutOfMemoryError --enable-native-access=ALL-UNNAMED \
    -Djava.util.logging.manager=org.apache.logging.log4j.jul.LogManager -Dserver.host="$(addr "$name")" $java_opts -cp "$cp" "$@"
}

start_postgres() {
  local bin="$dir/postgres-bin" data="$dir/data/postgres/pgdata"
  if [ ! -x "$bin/bin/postgres" ]; then
    local jar; jar=$(cat "$root/deploy/cluster/postgres/target/runtime.classpath")
    mkdir -p "$bin"
    unzip -p "$jar" postgres-linux-x86_64.txz | tar -xJ -C "$bin"
  fi
  # PostgreSQL refuses to run as root; as root it runs in a user namespace of its own, where it is not.
  local -a user=()
  [ "$(id -u)" -eq 0 ] && user=(unshare --user)
  if [ ! -f "$data/PG_VERSION" ]; then
    mkdir -p "$data"; chmod 700 "$data"
    local pw="$dir/data/postgres/pw"
    (umask 077; password > "$pw")
    "${user[@]}" "$bin/bin/initdb" -D "$data" -U "${POSTGRES_USER:-wattstream}" --pwfile="$pw" -A scram-sha-256 \
      -E UTF8 --locale=C >> "$(logfile postgres)" 2>&1 || die "initdb failed; see $(logfile postgres)"
    rm -f "$pw"
    echo "CREATE DATABASE \"${POSTGRES_DB:-wattstream}\"" | "${user[@]}" "$bin/bin/postgres" --single -D "$data" postgres \
      >> "$(logfile postgres)" 2>&1 || die "creating the database failed; see $(logfile postgres)"
    printf 'host all all 0.0.0.0/0 scram-sha-256\n' >> "$data/pg_hba.conf"
  fi
  rm -f "$data/postmaster.pid"
  launch postgres "" "${user[@]}" "$bin/bin/postgres" -D "$data" -p 5432 -c listen_addresses="$(addr postgres)" \
    -c unix_socket_directories= -c timezone=UTC -c max_connections=200
}

start_broker() {
  local name=$1 conf="$dir/conf/$1.properties" cp
  mkdir -p "$dir/conf" "$dir/data/$name"
  broker_properties "$name" > "$conf"
  cp=$(classpath deploy/cluster/kafka)
  if [ ! -f "$dir/data/$name/kafka/meta.properties" ]; then
    [ -f "$dir/cluster.id" ] || head -c 16 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=' > "$dir/cluster.id"
    # shellcheck disable=SC2046
    $(jvm "$name" 256m "$cp" -Dlog4j2.configurationFile="$here/log4j2-kafka.xml" kafka.tools.StorageTool) \
      format -t "$(cat "$dir/cluster.id")" -c "$conf" --ignore-formatted >> "$(logfile "$name")" 2>&1 \
      || die "formatting $name failed; see $(logfile "$name")"
  fi
  # shellcheck disable=SC2046
  launch "$name" "" $(jvm "$name" 384m "$cp" -Dlog4j2.configurationFile="$here/log4j2-kafka.xml" kafka.Kafka "$conf")
}

prepare_plugins() {
  local plugins="$dir/plugins" jar
  rm -rf "$plugins"; mkdir -p "$plugins/debezium-connector-jdbc" "$plugins/wattstream-converter"
  for jar in $(tr ':' ' ' < "$root/deploy/cluster/jdbc-sink/target/runtime.classpath"); do
    case "$(basename "$jar")" in
      sink-*.jar) cp "$jar" "$plugins/wattstream-converter/" ;;
      *) cp "$jar" "$plugins/debezium-connector-jdbc/" ;;
    esac
  done
}

start_connect() {
  local name=$1 conf="$dir/conf/$1.properties"
  mkdir -p "$dir/conf"
  connect_properties "$name" > "$conf"
  [ -d "$dir/plugins/wattstream-converter" ] || prepare_plugins
  # shellcheck disable=SC2046
  launch "$name" "$(postgres_env)" $(jvm "$name" 384m "$(classpath deploy/cluster/connect)" \
    -Dlog4j2.configurationFile="$here/log4j2-kafka.xml" org.apache.kafka.connect.cli.ConnectDistributed "$conf")
}

start_service() {
  local name=$1 module main heap=256m
  case "$(role "$name")" in
    gateway) module=gateway; main=io.wattstream.gateway.Main ;;
    streams) module=streams-processor; main=io.wattstream.streams.app.StreamsMain; heap=384m
             mkdir -p "$dir/data/$name" ;;
    query) module=query-api; main=io.wattstream.query.Main ;;
    notifier) module=notifier; main=io.wattstream.notifier.Main ;;
  esac
  # shellcheck disable=SC2046
  launch "$name" "$(service_env "$name")" $(jvm "$name" "$heap" "$(classpath "$module")" "$main")
}

start_one() {
  local name=$1
  running "$name" && return 0
  case "$(role "$name")" in
    postgres) start_postgres ;;
    broker) start_broker "$name" ;;
    connect) start_connect "$name" ;;
    *) start_service "$name" ;;
  esac
}

# --- Health -------------------------------------------------------------------------------------------------
tcp_open() { timeout 2 bash -c "exec 3<>/dev/tcp/$1/$2" 2>/dev/null; }
http_code() { curl -s -o /dev/null -w '%{http_code}' --max-time 3 "$1" 2>/dev/null || true; }
health_url() {
  case "$(role "$1")" in
    connect) echo "http://$(addr "$1"):8083/health" ;;
    *) echo "http://$(addr "$1"):$(port "$1")/observe/health" ;;
  esac
}
healthy() {
  local name=$1
  running "$name" || return 1
  case "$(role "$name")" in
    postgres|broker) tcp_open "$(addr "$name")" "$(port "$name")" ;;
    *) [ "$(http_code "$(health_url "$name")")" = 200 ] ;;
  esac
}
await_healthy() {
  local name t0
  t0=$(date +%s)
  for name in "$@"; do
    until healthy "$name"; do
      running "$name" || die "$name exited; last lines of $(logfile "$name"):
$(tail -n 30 "$(logfile "$name")")"
      [ $(( $(date +%s) - t0 )) -lt "$wait_s" ] || die "$name not healthy after ${wait_s}s; see $(logfile "$name")"
      sleep 0.5
    done
  done
}

# --- Kafka tools --------------------------------------------------------------------------------------------
# Kafka's command-line tools start a JVM per call: a class-data archive (kept beside the build output,
# made by the first call) shortens their start.
tool_opts() {
  mkdir -p "$root/deploy/cluster/target"
  echo "-Xmx256m -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -XX:+AutoCreateSharedArchive" \
       "-XX:SharedArchiveFile=$root/deploy/cluster/target/kafka-tools.jsa -Xlog:cds=off -Xlog:cds+dynamic=off" \
       "-Dlog4j2.configurationFile=$here/log4j2-tools.xml"
}
kafka_tool() {
  local main=$1; shift
  # shellcheck disable=SC2046
  "$(java_bin)" $(tool_opts) -cp "$(classpath deploy/cluster/kafka)" "$main" "$@"
}
tools_bin() {
  mkdir -p "$dir/bin"
  cat > "$dir/bin/kafka-topics.sh" <<EOF
#!/usr/bin/env bash
exec "$(java_bin)" $(tool_opts) -cp "$(classpath deploy/cluster/kafka)" org.apache.kafka.tools.TopicCommand "\$@"
EOF
  chmod +x "$dir/bin/kafka-topics.sh"
}

create_topics() {
  tools_bin
  KAFKA_BIN="$dir/bin" BOOTSTRAP="$(bootstrap)" TOPIC_PARTITIONS="$partitions" TOPIC_REPLICATION="$replication" \
    KAFKA_TOPIC="$raw_topic" TOPICS_MARKER="$dir/topics-created" bash "$root/deploy/create-topics.sh" >> "$dir/logs/init.log" 2>&1 \
    || die "creating the topics failed; see $dir/logs/init.log"
}

migrate() {
  local env_lines; env_lines=$(postgres_env)
  # shellcheck disable=SC2046
  env -i PATH="$PATH" $env_lines $(jvm postgres 256m "$(classpath db-schema)" io.wattstream.schema.MigrateMain) \
    >> "$dir/logs/init.log" 2>&1 || die "migrations failed; see $dir/logs/init.log"
}

apply_connectors() {
  CONNECT_URL="http://$(addr connect-1):8083" CONNECT_TIMEOUT=180 \
    bash "$root/sink/apply-connectors.sh" "$root/sink/src/main/resources/connectors" >> "$dir/logs/init.log" 2>&1 \
    || die "applying the connectors failed; see $dir/logs/init.log"
}

# --- Commands -----------------------------------------------------------------------------------------------
of_role() { local n; for n in $(names); do [ "$(role "$n")" = "$1" ] && echo "$n"; done; return 0; }

up() {
  ensure_built "$(modules)"
  network_up
  local n t0 topics migrations; t0=$(date +%s)
  for n in $(of_role postgres) $(of_role broker); do start_one "$n"; done
  # shellcheck disable=SC2046
  await_healthy $(of_role postgres) $(of_role broker)
  log "postgres and brokers up; creating topics, applying migrations, starting Connect and the gateways"
  # What does not depend on each other starts at once: the JVMs' start-up is most of the time.
  create_topics & topics=$!
  migrate & migrations=$!
  for n in $(of_role connect) $(of_role gateway); do start_one "$n"; done
  wait "$topics" || die "creating the topics failed; see $dir/logs/init.log"
  for n in $(of_role streams) $(of_role notifier); do start_one "$n"; done
  wait "$migrations" || die "migrations failed; see $dir/logs/init.log"
  for n in $(of_role query); do start_one "$n"; done
  # shellcheck disable=SC2046
  await_healthy $(of_role connect)
  apply_connectors
  # shellcheck disable=SC2046
  await_healthy $(of_role gateway) $(of_role streams) $(of_role query) $(of_role notifier)
  log "all $(names | wc -l) instances healthy in $(( $(date +%s) - t0 ))s ($(network_mode) network)"
}

# Stops one instance: SIGTERM (PostgreSQL: SIGINT, its fast shutdown), then SIGKILL after the grace period.
stop_one() {
  local name=$1 grace=${2:-60} pid sig=TERM t=0
  pid=$(pid_of "$name")
  [ -n "$pid" ] || { rm -f "$(pidfile "$name")"; return 0; }
  [ "$(role "$name")" = postgres ] && sig=INT
  kill -CONT "$pid" 2>/dev/null || true
  kill -"$sig" "$pid" 2>/dev/null || true
  while kill -0 "$pid" 2>/dev/null; do
    sleep 0.2; t=$((t + 1))
    if [ $t -ge $((grace * 5)) ]; then
      log "$name still running ${grace}s after SIG$sig: SIGKILL"
      kill -KILL "$pid" 2>/dev/null || true
      break
    fi
  done
  rm -f "$(pidfile "$name")"
}

down() {
  local r n
  for r in notifier query gateway streams connect broker postgres; do
    for n in $(of_role $r); do stop_one "$n" 60 & done
    wait
  done
  network_down
  rm -rf "$dir/pids"
  [ "${1:-}" = --purge ] && rm -rf "$dir"
  log "down"
}

kill_one() {
  local pid; pid=$(pid_of "$1")
  [ -n "$pid" ] || die "$1 is not running"
  kill -KILL "$pid"
  while kill -0 "$pid" 2>/dev/null; do sleep 0.1; done
  log "$1 (pid $pid) killed"
}

partition() {
  local name=$1
  octet "$name" >/dev/null
  if [ "$(network_mode)" = netns ]; then
    ip link set "$(host_link "$name")" down
    log "$name cut off the network ($(addr "$name"))"
  else
    local pid; pid=$(pid_of "$name"); [ -n "$pid" ] || die "$name is not running"
    kill -STOP "$pid"
    log "$name frozen with SIGSTOP (loopback network: no real cut possible here)"
  fi
  touch "$dir/partitioned.$name"
}

heal() {
  local name=$1
  octet "$name" >/dev/null
  if [ "$(network_mode)" = netns ]; then
    ip link set "$(host_link "$name")" up
  else
    local pid; pid=$(pid_of "$name"); [ -n "$pid" ] && kill -CONT "$pid"
  fi
  rm -f "$dir/partitioned.$name"
  log "$name healed"
}

url_of() {
  case "$(role "$1")" in
    postgres) echo "postgresql://$(addr "$1"):5432" ;;
    broker) echo "$(addr "$1"):9092" ;;
    *) echo "http://$(addr "$1"):$(port "$1")" ;;
  esac
}

status() {
  local name url state
  for name in $(names); do
    url=$(url_of "$name")
    if ! running "$name"; then state=stopped
    elif [ -f "$dir/partitioned.$name" ]; then state=partitioned
    elif healthy "$name"; then state=healthy
    else state=unhealthy; fi
    printf '%-10s %-28s %-11s pid %s\n' "$name" "$url" "$state" "$(pid_of "$name")"
  done
  local bs="" n
  for n in $(of_role broker); do
    if running "$n" && [ ! -f "$dir/partitioned.$n" ]; then bs="${bs:+$bs,}$(addr "$n"):9092"; fi
  done
  [ -n "$bs" ] || { echo "no broker reachable: no leadership or lag to show"; return 0; }
  echo
  echo "partition leadership (broker ids 1-3 = broker-1..3):"
  kafka_tool org.apache.kafka.tools.TopicCommand --bootstrap-server "$bs" --describe --exclude-internal 2>/dev/null \
    | awk '/Partition:/ { all[$6]++; if ($2 ~ /^shelly\./) printf "  %-22s p%-3s leader %-3s replicas %-8s isr %s\n", $2, $4, $6, $8, $10 }
           END { printf "  leaders per broker over every topic:"; for (b in all) printf " %s=%d", b, all[b]; print "" }' || true
  echo
  echo "consumer lag:"
  kafka_tool org.apache.kafka.tools.consumer.group.ConsumerGroupCommand --bootstrap-server "$bs" --describe --all-groups \
    2>/dev/null | awk 'NF >= 6 && $1 != "GROUP" { lag[$1] += ($6 ~ /^[0-9]+$/ ? $6 : 0) } END { for (g in lag) printf "  %-40s %d\n", g, lag[g] }' \
    | sort || true
}

cmd=${1:-}
case "$cmd" in
  build) build ;;
  up) up ;;
  down) shift; down "${1:-}" ;;
  status) status ;;
  names) names ;;
  url) [ $# -eq 2 ] || die "usage: cluster.sh url NAME"; octet "$2" >/dev/null; url_of "$2" ;;
  config) [ $# -eq 2 ] || die "usage: cluster.sh config NAME"; config "$2" ;;
  kill) [ $# -eq 2 ] || die "usage: cluster.sh kill NAME"; octet "$2" >/dev/null; kill_one "$2" ;;
  stop) [ $# -eq 2 ] || die "usage: cluster.sh stop NAME"; octet "$2" >/dev/null; stop_one "$2" 60 ;;
  start) [ $# -eq 2 ] || die "usage: cluster.sh start NAME"; octet "$2" >/dev/null; start_one "$2"; await_healthy "$2" ;;
  restart) [ $# -eq 2 ] || die "usage: cluster.sh restart NAME"; octet "$2" >/dev/null; stop_one "$2" 60; start_one "$2"; await_healthy "$2" ;;
  partition) [ $# -eq 2 ] || die "usage: cluster.sh partition NAME"; partition "$2" ;;
  heal) [ $# -eq 2 ] || die "usage: cluster.sh heal NAME"; heal "$2" ;;
  *) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; [ -z "$cmd" ] || exit 2 ;;
esac
