// Runs a Shelly script outside the device: the script API it uses (Shelly.call, Shelly.getComponentStatus,
// Shelly.getDeviceInfo, Timer.set/clear, print) is stubbed on a virtual clock, HTTP.POST is answered
// from a scenario, and every request and timer the script makes is printed as one JSON document.
//
//   node shelly-harness.js SCRIPT SCENARIO
//
// SCENARIO (JSON): {"device": "shellypro2pm-...", "start_unixtime": 1763629200,
//   "statuses": [{"switch:0": {...}, "switch:1": {...}}, ...]   // the n-th snapshot; the last one repeats
//   "answers": [{"code": 200}, {"code": 503, "headers": {"Retry-After": "30"}},
//               {"error_code": -114, "error_message": "..."}, ...],   // one per HTTP.POST, in order
//   "posts": 5}                                                     // stop after this many requests
'use strict';

const fs = require('fs');
const vm = require('vm');

const [scriptFile, scenarioFile] = process.argv.slice(2);
const scenario = JSON.parse(fs.readFileSync(scenarioFile, 'utf8'));
const code = fs.readFileSync(scriptFile, 'utf8');

let now = 0; // virtual milliseconds since the script started
let seq = 0;
const events = []; // {at, seq, run}
const output = { posts: [], timers: [], prints: [], calls: [] };
let snapshots = 0;

function later(delayMs, run) {
  events.push({ at: now + delayMs, seq: seq++, run });
}

function statusNow() {
  const statuses = scenario.statuses;
  return statuses[Math.min(snapshots, statuses.length - 1)];
}

const Shelly = {
  getDeviceInfo() {
    return { id: scenario.device, mac: 'A8032AB1C2D3', gen: 2 };
  },
  getComponentStatus(key) {
    if (key === 'sys') {
      // A snapshot starts with sys: the next statuses entry applies from here on.
      const sys = { unixtime: scenario.start_unixtime + Math.floor(now / 1000), uptime: Math.floor(now / 1000) };
      return sys;
    }
    const status = statusNow()[key];
    return status === undefined ? null : JSON.parse(JSON.stringify(status));
  },
  call(method, params, callback, userdata) {
    output.calls.push(method);
    if (method !== 'HTTP.POST') {
      throw new Error('the harness answers HTTP.POST only, got ' + method);
    }
    snapshots++;
    const answer = scenario.answers[Math.min(output.posts.length, scenario.answers.length - 1)];
    output.posts.push({ at_ms: now, url: params.url, body: params.body, content_type: params.content_type,
      timeout: params.timeout, answer });
    // The device answers later, on its own event loop, as the firmware does.
    later(0, () => {
      if (answer.error_code) {
        callback(undefined, answer.error_code, answer.error_message || '', userdata);
      } else {
        callback({ code: answer.code, message: '', headers: answer.headers || {}, body: answer.body || '' }, 0, '',
          userdata);
      }
    });
  },
};

const timers = new Map();
let nextTimer = 1;
const Timer = {
  set(periodMs, repeat, callback, userdata) {
    const handle = nextTimer++;
    output.timers.push({ at_ms: now, ms: periodMs, repeat });
    const fire = () => {
      if (!timers.has(handle)) {
        return;
      }
      if (repeat) {
        later(periodMs, fire);
      } else {
        timers.delete(handle);
      }
      callback(userdata);
    };
    timers.set(handle, true);
    later(periodMs, fire);
    return handle;
  },
  clear(handle) {
    return timers.delete(handle);
  },
};

const sandbox = { Shelly, Timer, JSON, Math, print: (...a) => output.prints.push(a.join(' ')) };
sandbox.console = { log: sandbox.print };
vm.runInNewContext(code, sandbox, { filename: scriptFile });

while (events.length > 0 && output.posts.length < scenario.posts) {
  events.sort((a, b) => a.at - b.at || a.seq - b.seq);
  const e = events.shift();
  now = e.at;
  e.run();
}
// Let the last answer's callback run, so the timer it sets is seen too.
events.sort((a, b) => a.at - b.at || a.seq - b.seq);
while (events.length > 0 && events[0].at === now) {
  events.shift().run();
}
process.stdout.write(JSON.stringify(output));
