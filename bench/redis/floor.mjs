// The per-message floor of the Redis store's appends (issue 12 throughput goal), shared by bench/redis-floor.mjs and
// bench/redis-scale.mjs: append_many.lua as the Node store sends it (every stream's batch in one call, one call in
// flight, written as its own command), `streams` x `messages` per call, with the text of an echo reply. Returns the
// client's CPU (ioredis: building the command, writing it, parsing the reply) and redis-server's CPU (the script) per
// message, in µs. Redis CPU is read from /proc (Linux).
import { readFileSync } from 'node:fs';
import { Command, Redis } from 'ioredis';

const SCRIPT = readFileSync(new URL('../../runtime/redis/append_many.lua', import.meta.url), 'utf8');
const PAD = 'lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor incididunt ut labore et dolore magna aliqua.';
const TEXT = JSON.stringify({ type: 'agent_message', message_id: 'm1', timestamp: new Date().toISOString(), session_id: 's', agent: 'guide_agent', realm: 'experience', message: `echo: ${PAD}`, seq: 1 });

/** CPU seconds (user + system) of process `pid` so far. */
export function cpuOf(pid) {
  const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(f[11]) + Number(f[12])) / 100;
}

/**
 * Client and redis-server CPU per message of `calls` append_many.lua calls of `streams` x `messages` (after a
 * warm-up of as many calls), on the Redis at `url`, keys under `prefix`.
 * @returns {Promise<{ clientUs: number, redisUs: number, perCall: number }>}
 */
export async function appendManyFloor(url, { streams = 8, messages = 16, calls = 1000, prefix = 'floor:' } = {}) {
  const r = new Redis(url, { enableOfflineQueue: false });
  await new Promise((res) => r.once('ready', res));
  try {
    const sha = await r.script('LOAD', SCRIPT);
    const pid = Number((await r.info('server')).match(/process_id:(\d+)/)[1]);
    const next = new Array(streams).fill(1);
    for (let s = 0; s < streams; s++) await r.hset(`${prefix}{s${s}}:g:meta`, 'epoch', 'e', 'seq', 0, 'bytes', 0);
    const joined = new Array(messages).fill(TEXT).join('\n');
    const call = () => {
      const argv = [sha, 2 * streams];
      for (let s = 0; s < streams; s++) argv.push(`${prefix}{s${s}}:g:meta`, `${prefix}{s${s}}:g:log`);
      argv.push(Date.now(), 256, 256 * 1024, 60_000, 120_000);
      for (let s = 0; s < streams; s++) {
        argv.push('e', next[s], joined);
        next[s] += messages;
      }
      return r.sendCommand(new Command('evalsha', argv, { replyEncoding: 'utf8' }));
    };
    for (let i = 0; i < calls; i++) await call(); // warm-up: JIT, and the logs reach their count bound (trim)
    const c0 = process.cpuUsage();
    const r0 = cpuOf(pid);
    for (let i = 0; i < calls; i++) await call();
    const c = process.cpuUsage(c0);
    const n = calls * streams * messages;
    return { clientUs: (c.user + c.system) / n, redisUs: ((cpuOf(pid) - r0) * 1e6) / n, perCall: streams * messages };
  } finally {
    r.disconnect();
  }
}
