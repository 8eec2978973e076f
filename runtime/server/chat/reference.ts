// Reference agents with mock replies, for demos and tests. They stream their
// answers word by word, and understand a few commands that exercise the
// runtime: "/echo <text>" (one agent_message), "/fail" (the handler throws),
// "/hang" (never answers: the timeout fires), "/progress" (progress_update
// events, then a reply) and "/stream <n>" (n numbered chunks).
import { AgentType, type AgentType as Agent, type PillarType, type ProgressUpdate } from '../../../generated/ts/index.js';
import type { AgentChunk, AgentHandler, AgentRequest } from './service.js';
import { timestamp } from '../wire.js';

/** Options of the reference agents. */
export interface ReferenceAgentOptions {
  /** Delay between stream chunks in ms (default 15). */
  chunkDelayMs?: number;
}

const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve) => {
    if (signal?.aborted) return resolve();
    const onAbort = () => {
      clearTimeout(t);
      resolve();
    };
    const t = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });

async function* words(text: string, delayMs: number, signal: AbortSignal): AsyncGenerator<AgentChunk> {
  const parts = text.split(/(?<= )/);
  for (const p of parts) {
    if (signal.aborted) return;
    await sleep(delayMs, signal);
    yield p;
  }
}

async function* numbered(n: number, delayMs: number, signal: AbortSignal): AsyncGenerator<AgentChunk> {
  for (let i = 0; i < n; i++) {
    if (signal.aborted) return;
    if (delayMs > 0) await sleep(delayMs, signal);
    yield `chunk ${i} `;
  }
}

function commands(name: string, o: ReferenceAgentOptions): AgentHandler {
  const delay = o.chunkDelayMs ?? 15;
  return (req: AgentRequest) => {
    const text = req.message.message ?? (req.message.type === 'file_selected' ? `file ${req.message.file_name}` : '');
    if (text.startsWith('/echo ')) return text.slice(6);
    if (text === '/fail') throw new Error('reference agent failure (requested with /fail)');
    if (text === '/hang') return new Promise<never>(() => {});
    if (text.startsWith('/stream ')) return numbered(Math.min(1000, Number(text.slice(8)) || 0), delay, req.signal);
    if (text === '/progress') {
      return (async () => {
        for (const p of [0.25, 0.5, 0.75, 1]) {
          const u: ProgressUpdate = { type: 'progress_update', timestamp: timestamp(), progress: p, agent: req.endpoint.agent };
          if (req.messageId !== undefined) u.message_id = req.messageId;
          req.emit(u);
          await sleep(delay, req.signal);
        }
        return { message: `${name}: done`, data: { steps: 4 } };
      })();
    }
    return words(`${name} here. You said: ${text}. This is a mock streamed answer.`, delay, req.signal);
  };
}

/** The reference guide agent. */
export function referenceGuideAgent(o: ReferenceAgentOptions = {}): AgentHandler {
  return commands('Guide agent', o);
}

/** The reference liaison agent (one handler for every pillar; it names the pillar it serves). */
export function referenceLiaisonAgent(o: ReferenceAgentOptions = {}): AgentHandler {
  const byPillar = new Map<PillarType, AgentHandler>();
  return (req) => {
    const pillar = req.endpoint.pillar ?? 'content';
    let h = byPillar.get(pillar);
    if (h === undefined) byPillar.set(pillar, (h = commands(`${pillar} liaison`, o)));
    return h(req);
  };
}

/** An agent that answers every message with its own text, synchronously (benchmarks). */
export const echoAgent: AgentHandler = (req) => req.message.message ?? '';

/** The `agents` option serving the guide and every liaison with the reference agents. */
export function referenceAgents(o: ReferenceAgentOptions = {}): Partial<Record<Agent, AgentHandler>> {
  const liaison = referenceLiaisonAgent(o);
  return {
    [AgentType.GUIDE_AGENT]: referenceGuideAgent(o),
    [AgentType.CONTENT_LIAISON]: liaison,
    [AgentType.INSIGHTS_LIAISON]: liaison,
    [AgentType.OPERATIONS_LIAISON]: liaison,
    [AgentType.BUSINESS_OUTCOMES_LIAISON]: liaison,
  };
}
