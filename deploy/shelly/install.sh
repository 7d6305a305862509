#!/usr/bin/env bash
# Installs the Wattstream status script (wattstream-status.js, beside this file) on a Shelly Gen2+
# meter through the device's own RPC API, sets the gateway URL and the device token in it, makes it
# start on boot and starts it. Running it again replaces the script's code.
#
#   deploy/shelly/install.sh DEVICE GATEWAY_WEBHOOK_URL [TOKEN] [PERIOD_S]
#   deploy/shelly/install.sh 192.168.1.50 http://192.168.1.10:8080/webhook/ s3cret 10
#
# DEVICE is the meter's address on your network; TOKEN is its entry in GATEWAY_TOKENS (leave it out
# when the gateway requires none; the script puts it in the URL as it is, so keep it to letters,
# digits, '-', '_' and '.'). Needs curl and jq. For a device protected by its admin login, put
# "admin:PASSWORD@" before the address and add --digest to CURL_OPTS.
set -euo pipefail

if [ $# -lt 2 ]; then
  sed -n '2,12p' "$0" | sed 's/^# \{0,1\}//'
  exit 2
fi
device=$1 url=$2 token=${3:-} period=${4:-10}
for tool in curl jq; do
  command -v "$tool" >/dev/null || { echo "install.sh: $tool is needed (Debian: apt-get install $tool)" >&2; exit 1; }
done

# One RPC call: POST the params as JSON to http://DEVICE/rpc/METHOD; fails on an error answer.
rpc() {
  # shellcheck disable=SC2086
  curl -fsS ${CURL_OPTS:-} -X POST -H 'Content-Type: application/json' -d "$2" "http://$device/rpc/$1"
}

# The script with this device's settings; jq writes them as JavaScript string literals.
code=$(jq -Rrs --arg url "$url" --arg token "$token" --argjson period "$period" '
  sub("url: \"http://wattstream.example:8080/webhook/\""; "url: " + ($url | tojson))
  | sub("token: \"\""; "token: " + ($token | tojson))
  | sub("period_s: 10,"; "period_s: " + ($period | tostring) + ",")' "$(dirname "$0")/wattstream-status.js")

if [[ "$code" == *wattstream.example* ]]; then
  echo "install.sh: the script's CONFIG block is not the one this installer knows; set url and token by hand" >&2
  exit 1
fi

id=$(rpc Script.List '{}' | jq -r '[.scripts[] | select(.name == "wattstream") | .id][0] // empty')
if [ -z "$id" ]; then
  id=$(rpc Script.Create '{"name":"wattstream"}' | jq -r .id)
  echo "created script $id on $device"
else
  rpc Script.Stop "{\"id\":$id}" >/dev/null || true
  echo "replacing script $id on $device"
fi

# The device takes the code in pieces: the first replaces it, the others are appended.
chunk=1024
for ((offset = 0; offset < ${#code}; offset += chunk)); do
  append=$([ "$offset" -eq 0 ] && echo false || echo true)
  rpc Script.PutCode "$(jq -n --argjson id "$id" --arg code "${code:offset:chunk}" --argjson append "$append" \
    '{id: $id, code: $code, append: $append}')" >/dev/null
done
rpc Script.SetConfig "{\"id\":$id,\"config\":{\"enable\":true}}" >/dev/null
rpc Script.Start "{\"id\":$id}" >/dev/null
echo "script $id runs on $device: every ${period} s to $url"
