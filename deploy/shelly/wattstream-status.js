// Wattstream status script for Shelly Gen2+ meters (Pro 1PM, 2PM, 4PM).
//
// Every period_s seconds it posts the switch status of every channel to the gateway's webhook, in
// one request with the device token. While the gateway answers 503 (Kafka did not store the
// reading), 429 or another 5xx, or cannot be reached, it sends the same status again after a back-off
// that doubles up to max_backoff_s (or the gateway's Retry-After, if longer), so a status is only
// dropped when the gateway refused it (4xx: its answer says why) - never because it was down.
//
// Set url and token (deploy/shelly/install.sh does it), then upload and start the script.
let CONFIG = {
  url: "http://wattstream.example:8080/webhook/",
  token: "",
  period_s: 10,
  max_backoff_s: 300,
  timeout_s: 10
};

let deviceId = Shelly.getDeviceInfo().id;
// The body the gateway has not stored yet; sent again, unchanged, after the back-off.
let pending = null;
let failures = 0;

// One switch status document: src, the device's unix time, and switch:0 .. switch:3 as present.
// Numbers become text through JSON.stringify: older script engines do not convert them on "+".
function snapshot() {
  let body = { src: deviceId };
  let sys = Shelly.getComponentStatus("sys");
  if (sys && sys.unixtime) {
    body.ts = sys.unixtime;
  }
  let channels = 0;
  for (let i = 0; i < 4; i++) {
    let sw = Shelly.getComponentStatus("switch:" + JSON.stringify(i));
    if (sw) {
      body["switch:" + JSON.stringify(i)] = sw;
      channels++;
    }
  }
  return channels > 0 ? JSON.stringify(body) : null;
}

function target() {
  if (!CONFIG.token) {
    return CONFIG.url;
  }
  return CONFIG.url + (CONFIG.url.indexOf("?") < 0 ? "?" : "&") + "token=" + CONFIG.token;
}

// Seconds until the next attempt after the n-th failure in a row: doubling, capped, or Retry-After.
function backoff(retryAfter) {
  let delay = CONFIG.period_s;
  for (let i = 0; i < failures && delay < CONFIG.max_backoff_s; i++) {
    delay = delay * 2;
  }
  if (delay > CONFIG.max_backoff_s) {
    delay = CONFIG.max_backoff_s;
  }
  return retryAfter > delay ? retryAfter : delay;
}

function retryAfterOf(res) {
  if (!res || !res.headers) {
    return 0;
  }
  let v = res.headers["Retry-After"];
  if (v === undefined) {
    v = res.headers["retry-after"];
  }
  // Wattstream sends whole seconds; a number is taken as it is.
  let n = typeof v === "number" ? v : (typeof v === "string" && v.length > 0 && v.length < 7 ? JSON.parse(v) : 0);
  return n > 0 ? n : 0;
}

function schedule(seconds) {
  Timer.set(seconds * 1000, false, tick);
}

function tick() {
  let body = pending !== null ? pending : snapshot();
  if (body === null) {
    schedule(CONFIG.period_s);
    return;
  }
  Shelly.call("HTTP.POST",
    { url: target(), body: body, content_type: "application/json", timeout: CONFIG.timeout_s },
    function (res, errorCode, errorMessage) {
      let code = errorCode === 0 && res ? res.code : 0;
      if (code >= 200 && code < 300) {
        pending = null;
        failures = 0;
        schedule(CONFIG.period_s);
        return;
      }
      if (code === 0 || code === 429 || code >= 500) {
        // Not stored: unreachable, timed out, or the gateway could not make it durable.
        pending = body;
        failures++;
        let delay = backoff(retryAfterOf(res));
        print("wattstream: not stored (" + (code === 0 ? errorMessage : JSON.stringify(code)) + "), again in "
          + JSON.stringify(delay) + " s");
        schedule(delay);
        return;
      }
      // Refused (400 names the field, 401 a wrong token): the same status would be refused again.
      print("wattstream: refused with " + JSON.stringify(code) + ": " + (res.body ? res.body : ""));
      pending = null;
      failures = 0;
      schedule(CONFIG.period_s);
    });
}

tick();
