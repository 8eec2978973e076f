// The bundled chat app's endpoints: the guide at /api/ws/guide and one liaison
// per pillar at /api/ws/liaison/{pillar} ({pillar} ranges over the schema's
// PillarType), and the chat view of a core endpoint (its kind, agent, pillar).
import { AgentType, type PillarType, type Protocol } from '../../../generated/ts/index.js';
import type { EndpointOf, EndpointSpecs } from '../endpoints.js';
import type { Endpoint } from '../types.js';

/** The guide endpoint path. */
export const GUIDE_PATH = '/api/ws/guide';
/** Prefix of the liaison endpoint paths (`/api/ws/liaison/{pillar}`). */
export const LIAISON_PREFIX = '/api/ws/liaison/';

/** The `endpoints` option of the chat app: `guide`, and `liaison` with `{pillar}` checked against PillarType (else 404). */
export const CHAT_ENDPOINTS = {
  guide: { path: GUIDE_PATH },
  liaison: { path: `${LIAISON_PREFIX}{pillar}`, params: { pillar: 'PillarType' } },
} as const satisfies EndpointSpecs<Protocol>;

/** The endpoint a chat handler sees: `name: 'liaison'` has `params.pillar` typed by PillarType, the guide none. */
export type ChatCoreEndpoint = EndpointOf<Protocol, typeof CHAT_ENDPOINTS>;

/** The liaison agent of each pillar. */
export const LIAISON_AGENT: Readonly<Record<PillarType, AgentType>> = {
  content: AgentType.CONTENT_LIAISON,
  insights: AgentType.INSIGHTS_LIAISON,
  operations: AgentType.OPERATIONS_LIAISON,
  business_outcomes: AgentType.BUSINESS_OUTCOMES_LIAISON,
};

/** A chat endpoint: the guide agent, or the liaison agent of one pillar (the key is the core endpoint's). */
export type ChatEndpoint =
  | { readonly kind: 'guide'; readonly key: 'guide'; readonly agent: AgentType; readonly pillar?: undefined }
  | { readonly kind: 'liaison'; readonly key: `liaison:${PillarType}`; readonly agent: AgentType; readonly pillar: PillarType };

const views = new WeakMap<Endpoint, ChatEndpoint>();

/**
 * The chat view of a core endpoint of {@link CHAT_ENDPOINTS} (cached per endpoint object).
 * @throws {Error} for an endpoint the chat app did not declare (a bug: the core routes only declared endpoints).
 */
export function chatEndpoint(ep: Endpoint): ChatEndpoint {
  let v = views.get(ep);
  if (v !== undefined) return v;
  if (ep.name === 'guide') v = { kind: 'guide', key: 'guide', agent: AgentType.GUIDE_AGENT };
  else {
    const pillar = ep.params['pillar'] as PillarType | undefined;
    if (ep.name !== 'liaison' || pillar === undefined || !(pillar in LIAISON_AGENT)) throw new Error(`not a chat endpoint: ${ep.key}`);
    v = { kind: 'liaison', key: `liaison:${pillar}`, agent: LIAISON_AGENT[pillar], pillar };
  }
  views.set(ep, v);
  return v;
}

/** The endpoint key serving an agent (`guide` for the guide agent, `liaison:<pillar>` for a liaison agent). */
export function endpointKeyOfAgent(agent: AgentType): string | undefined {
  if (agent === AgentType.GUIDE_AGENT) return 'guide';
  for (const [pillar, a] of Object.entries(LIAISON_AGENT)) if (a === agent) return `liaison:${pillar}`;
  return undefined;
}
