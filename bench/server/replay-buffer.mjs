// The replay buffer of the benchmark's floor-replay server (server-child.mjs) and of core.mjs's in-process
// floor-replay: what any server offering resume keeps per connection, with wsgen's default bounds.

/** floor-replay's buffer: the latest replies of a connection within wsgen's default replay bounds (a queue of parallel arrays). */
export class ReplayBuffer {
  texts = [];
  sizes = [];
  times = [];
  head = 0;
  bytes = 0;
  keep(text, size, now) {
    const { texts, sizes, times } = this;
    texts.push(text);
    sizes.push(size);
    times.push(now);
    this.bytes += size;
    let head = this.head;
    while (texts.length - head > 256 || this.bytes > 262144 || times[head] < now - 60000) {
      texts[head] = undefined;
      this.bytes -= sizes[head];
      head++;
    }
    if (head >= 32 && head * 2 >= texts.length) {
      texts.splice(0, head);
      sizes.splice(0, head);
      times.splice(0, head);
      head = 0;
    }
    this.head = head;
  }
}
