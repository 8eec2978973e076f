/**
 * `wsgen breaking`: compares two schemas' IRs message type by message type
 * and keeps the changes that break old clients given each type's direction
 * (rules.ts), as `buf breaking` does for protobuf.
 */
import { pointerJoin } from '../errors.js';
import { type IR, objectByName } from '../ir.js';
import { compareObjects } from './compare-types.js';
import { type Change, type Direction, type Finding, breaks } from './rules.js';
import { taggedUnion } from '../root.js';

/** The `x-direction` of a message type; absent or unknown counts as `both`. */
export function directionOf(ir: IR, object: string): Direction {
  const d = objectByName(ir, object).meta.direction;
  return d === 'client' || d === 'server' ? d : 'both';
}

/** Every breaking change from `before` to `after`, deduplicated by rule and place (schema side, file and pointer), in a stable order. */
export function findBreaking(before: IR, after: IR): Finding[] {
  const sides = { before, after };
  const found = new Map<string, Finding>();
  const add = (c: Change, direction: Direction, tag: string) => {
    if (!breaks(c, direction)) return;
    // One finding per rule and place: a `$defs` entry reached through several fields is reported once, named by the first path.
    const key = `${c.rule}\u0000${c.schema}\u0000${c.file}\u0000${c.pointer}`;
    const f = found.get(key);
    if (!f) found.set(key, { rule: c.rule, direction, messages: [tag], file: c.file, pointer: c.pointer, schema: c.schema, message: c.message });
    else {
      if (f.direction !== direction) f.direction = 'both';
      if (!f.messages.includes(tag)) f.messages.push(tag);
    }
  };
  const afterTags = new Map(taggedUnion(after, 'wsgen breaking').variants.map((v) => [v.tag, v.object]));
  const beforeTags = new Map(taggedUnion(before, 'wsgen breaking').variants.map((v) => [v.tag, v.object]));
  for (const [tag, name] of beforeTags) {
    const old = objectByName(before, name);
    const dir = directionOf(before, name);
    const now = afterTags.get(tag);
    if (now === undefined) {
      add({ rule: 'MESSAGE_REMOVED', narrows: true, widens: false, file: old.loc.file, pointer: old.loc.pointer, schema: 'old', message: `message type "${tag}" was removed` }, dir, tag);
      continue;
    }
    const nowDir = directionOf(after, now);
    const loc = objectByName(after, now).loc;
    if (dir !== 'server' && nowDir === 'server') {
      add({ rule: 'MESSAGE_DIRECTION_REMOVED', narrows: true, widens: false, file: loc.file, pointer: pointerJoin(loc.pointer, 'x-direction'), schema: 'new', message: `message type "${tag}": x-direction ${dir} → server, clients may no longer send it` }, 'client', tag);
    }
    // When the direction changed, a change counts through both (conservative: old and new peers differ on who sends it).
    const d: Direction = dir === nowDir ? dir : 'both';
    for (const c of compareObjects(sides, old, objectByName(after, now), tag, new Set([now]))) add(c, d, tag);
  }
  for (const [tag, name] of afterTags) {
    if (beforeTags.has(tag)) continue;
    const o = objectByName(after, name);
    add({ rule: 'MESSAGE_ADDED', narrows: false, widens: true, file: o.loc.file, pointer: o.loc.pointer, schema: 'new', message: `message type "${tag}" was added` }, directionOf(after, name), tag);
  }
  return [...found.values()];
}
