// What parseMessage does beyond the floor of bench/ts/parse-worker.mjs, per message (CPU ns,
// median of rounds, one process, candidates alternating; JSON.parse left out: every candidate
// reads an already-parsed message, or the text for the text scans). The floor checks the tag,
// walks the keys and checks the timestamp's format and the message_id's pattern; an exact
// validator also checks every other field (the timestamp's own pattern, enums, lengths,
// bounds), the closed property set, the open fields' depth and number range, the text's
// surrogate escapes, and returns a result. Usage: node bench/ts/parse-parts.mjs [--quick]
import { WORKLOADS } from './workloads.mjs';

const G = new URL('../../dist/generated/ts/', import.meta.url).href;
const { validateMessage } = await import(G + 'index.js');
const validators = await import(G + 'validators/index.js');
const open = await import(G + 'open.js');
const { isDateTime } = await import(G + 'runtime.js');
const { MessageType } = await import(G + 'enums.js');

const quick = process.argv.includes('--quick');
const tags = new Set(Object.values(MessageType));
const messageId = /^[A-Za-z0-9._:-]{1,128}$/;
/** The floor's checks, as parse-worker.mjs makes them. */
function floor(d) {
  if (!tags.has(d.type)) throw new Error('invalid');
  let keys = 0;
  for (const k in d) keys++;
  if (d.timestamp !== undefined && !isDateTime(d.timestamp)) throw new Error('invalid');
  if (d.message_id !== undefined && !messageId.test(d.message_id)) throw new Error('invalid');
  return keys;
}

/** A type's name from its tag (user_message → UserMessage), as the generated modules name it. */
const typeName = (tag) => tag.split('_').map((s) => s[0].toUpperCase() + s.slice(1)).join('');

function measure(texts) {
  const parsed = texts.map((t) => JSON.parse(t));
  const accepts = parsed.map((d) => validators[`accepts${typeName(d.type)}`]);
  // The open-field check of each type (open.js), as parse.js calls it.
  const openCheck = parsed.map((d) => open[`openIssueIn${typeName(d.type)}`] ?? open.noOpenIssue);
  const n = texts.length;
  const candidates = {
    'floor checks': (i) => floor(parsed[i]),
    'validateMessage (all below)': (i) => validateMessage(parsed[i]).ok,
    "type's verdict (accepts<Type>)": (i) => accepts[i](parsed[i]),
    'open fields: depth and number range': (i) => openCheck[i](parsed[i]) === undefined,
    // parseMessage's scans of the text (parse.js), besides validateMessage.
    'text: surrogate escapes, well-formed': (i) => texts[i].isWellFormed() && !texts[i].includes('\\u'),
  };
  const names = Object.keys(candidates);
  const res = Object.fromEntries(names.map((k) => [k, []]));
  let sink = 0;
  const N = quick ? 50_000 : 200_000;
  for (const k of names) for (let j = 0; j < N; j++) sink ^= candidates[k](j % n) ? 1 : 0;
  for (let r = 0; r < (quick ? 3 : 7); r++) {
    for (const k of names) {
      const f = candidates[k];
      const c0 = process.cpuUsage();
      for (let j = 0; j < N; j++) sink ^= f(j % n) ? 1 : 0;
      const c = process.cpuUsage(c0);
      res[k].push(((c.user + c.system) * 1000) / N);
    }
  }
  const med = Object.fromEntries(names.map((k) => [k, res[k].sort((a, b) => a - b)[res[k].length >> 1]]));
  med['the rest: tag dispatch, result object'] = med['validateMessage (all below)'] - med["type's verdict (accepts<Type>)"] - med['open fields: depth and number range'];
  return med;
}

const rows = Object.entries(WORKLOADS).map(([w, texts]) => [w, measure(texts)]);
const names = Object.keys(rows[0][1]).sort((a, b) => (a.startsWith('text') ? 1 : 0) - (b.startsWith('text') ? 1 : 0));
console.log('What parseMessage does beyond the floor (CPU ns per message, JSON.parse excluded, one process):');
console.log(['part'.padEnd(38), ...rows.map(([w]) => w.padStart(20))].join('  '));
for (const k of names) console.log([k.padEnd(38), ...rows.map(([, r]) => r[k].toFixed(0).padStart(20))].join('  '));
