// Live mode: the contract suite runs against a real server through Prism's validating proxy when
// MARKET_BASE_URL is set, together with a credential and the ids of a real business and order.
// Off by default; `npm test` never needs it. It reads (createChat finds or creates the order's chat,
// getChats, getChat, getChatHistory, getChatMessage); it writes to a customer only with the extra switch
// MARKET_LIVE_WRITES=1 and the chat to write to, MARKET_CHAT_ID.

export interface LiveConfig {
  baseUrl: string;
  credential: { apiKey: string } | { oauthToken: string };
  businessId: number;
  orderId: number;
  /** Optional: a return to open a RETURN chat about. */
  returnId: number | undefined;
  /** Optional: the chat to read (else the first chat getChats lists); the chat to write to, with `writes`. */
  chatId: number | undefined;
  /**
   * MARKET_LIVE_WRITES=1: also send a message and a small file to chat `chatId`, which its customer sees.
   * Off unless set to exactly 1.
   */
  writes: boolean;
}

function positiveId(name: string, value: string | undefined, problems: string[]): number {
  const text = value?.trim() ?? '';
  const id = Number(text);
  if (text === '') problems.push(`${name} is not set`);
  else if (!/^\d+$/.test(text) || !Number.isSafeInteger(id) || id < 1) {
    problems.push(`${name} must be a positive integer, got "${value}"`);
  }
  return id;
}

/** undefined when MARKET_BASE_URL is unset (mock mode); throws naming what is missing when it is incomplete. */
export function readLiveConfig(env: NodeJS.ProcessEnv): LiveConfig | undefined {
  const baseUrl = env.MARKET_BASE_URL?.trim();
  if (baseUrl === undefined || baseUrl === '') return undefined;
  const problems: string[] = [];
  try {
    new URL(baseUrl);
  } catch {
    problems.push(`MARKET_BASE_URL is not a URL: "${baseUrl}"`);
  }
  const apiKey = env.MARKET_API_KEY?.trim();
  const oauthToken = env.MARKET_OAUTH_TOKEN?.trim();
  if (!apiKey && !oauthToken) problems.push('MARKET_API_KEY (or MARKET_OAUTH_TOKEN) is not set');
  if (apiKey && oauthToken) problems.push('set only one of MARKET_API_KEY and MARKET_OAUTH_TOKEN');
  const businessId = positiveId('MARKET_BUSINESS_ID', env.MARKET_BUSINESS_ID, problems);
  const orderId = positiveId('MARKET_ORDER_ID', env.MARKET_ORDER_ID, problems);
  const returnId = env.MARKET_RETURN_ID?.trim()
    ? positiveId('MARKET_RETURN_ID', env.MARKET_RETURN_ID, problems)
    : undefined;
  const chatId = env.MARKET_CHAT_ID?.trim()
    ? positiveId('MARKET_CHAT_ID', env.MARKET_CHAT_ID, problems)
    : undefined;
  const writesSwitch = env.MARKET_LIVE_WRITES?.trim() ?? '';
  const writes = writesSwitch === '1';
  if (writesSwitch !== '' && !writes) {
    problems.push(
      `MARKET_LIVE_WRITES must be 1 (to send to a real customer) or unset, got "${writesSwitch}"`,
    );
  }
  if (writes && chatId === undefined) {
    problems.push(
      'MARKET_LIVE_WRITES=1 needs MARKET_CHAT_ID, the chat whose customer gets the test message and file',
    );
  }
  if (problems.length > 0) {
    throw new Error(
      `contract tests, live mode (MARKET_BASE_URL is set): ${problems.join('; ')}. ` +
        'Unset MARKET_BASE_URL to run against the Prism mock instead.',
    );
  }
  return {
    baseUrl,
    credential: apiKey ? { apiKey } : { oauthToken: oauthToken ?? '' },
    businessId,
    orderId,
    returnId,
    chatId,
    writes,
  };
}
