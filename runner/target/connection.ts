/**
 * Reading Azure connection strings (pure): `Key=Value;` pairs, keys case-insensitive as the SDKs
 * treat them. Used to find the endpoints of a target (for the loopback guard and the fault
 * proxy) and its secrets (so they can be kept out of every file a run writes).
 */
import { DEV_ACCOUNT, DEV_ACCOUNT_KEY } from '../../fixtures/emulators/endpoints.ts';

export type ConnectionParts = Map<string, string>;

export function parseConnectionString(text: string): ConnectionParts {
  const parts: ConnectionParts = new Map();
  for (const piece of text.split(';')) {
    const at = piece.indexOf('=');
    if (at <= 0) continue;
    parts.set(piece.slice(0, at).trim().toLowerCase(), piece.slice(at + 1).trim());
  }
  return parts;
}

/** The secret values of a connection string: account keys, shared access keys and signatures. */
export function connectionSecrets(text: string): string[] {
  const parts = parseConnectionString(text);
  return ['accountkey', 'sharedaccesskey', 'sharedaccesssignature'].map((k) => parts.get(k)).filter((v): v is string => Boolean(v));
}

/** `Endpoint=sb://host[:port]/` of a Service Bus / Event Hubs connection string, or an error text. */
export function brokerEndpoint(text: string): { endpoint: string } | { problem: string } {
  const parts = parseConnectionString(text);
  const endpoint = parts.get('endpoint');
  if (!endpoint) return { problem: 'has no Endpoint=sb://<namespace>.servicebus.windows.net/ part' };
  if (!/^sb:\/\/[^/;]+/.test(endpoint)) return { problem: `Endpoint ${JSON.stringify(endpoint)} is not an sb://host address` };
  if (!parts.get('sharedaccesskeyname') && !parts.get('sharedaccesssignature')) return { problem: 'has no SharedAccessKeyName/SharedAccessKey (or SharedAccessSignature)' };
  return { endpoint };
}

export const isDevelopmentEmulator = (text: string) => parseConnectionString(text).get('usedevelopmentemulator')?.toLowerCase() === 'true';

/** Azurite's default endpoints, as UseDevelopmentStorage=true means them. */
const AZURITE_QUEUE = `http://127.0.0.1:10001/${DEV_ACCOUNT}`;
const AZURITE_BLOB = `http://127.0.0.1:10000/${DEV_ACCOUNT}`;

export interface StorageAccount {
  connectionString: string;
  queueEndpoint: string;
  blobEndpoint: string;
  development: boolean;
}

/** The queue and blob endpoints of a storage connection string (explicit, from the account name, or Azurite's). */
export function storageAccount(text: string): StorageAccount | { problem: string } {
  const parts = parseConnectionString(text);
  if (parts.get('usedevelopmentstorage')?.toLowerCase() === 'true') {
    const connectionString = `DefaultEndpointsProtocol=http;AccountName=${DEV_ACCOUNT};AccountKey=${DEV_ACCOUNT_KEY};BlobEndpoint=${AZURITE_BLOB};QueueEndpoint=${AZURITE_QUEUE};`;
    return { connectionString, queueEndpoint: AZURITE_QUEUE, blobEndpoint: AZURITE_BLOB, development: true };
  }
  const account = parts.get('accountname');
  if (!account) return { problem: 'has no AccountName= part (or UseDevelopmentStorage=true)' };
  if (!parts.get('accountkey') && !parts.get('sharedaccesssignature')) return { problem: 'has no AccountKey= (or SharedAccessSignature=) part' };
  const protocol = parts.get('defaultendpointsprotocol') ?? 'https';
  const suffix = parts.get('endpointsuffix') ?? 'core.windows.net';
  const queueEndpoint = parts.get('queueendpoint') ?? `${protocol}://${account}.queue.${suffix}`;
  const blobEndpoint = parts.get('blobendpoint') ?? `${protocol}://${account}.blob.${suffix}`;
  return { connectionString: text, queueEndpoint, blobEndpoint, development: account === DEV_ACCOUNT };
}

/** True for 127.0.0.0/8, ::1 and localhost: the only hosts a run may reach without --allow-remote. */
export function isLoopbackHost(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  return h === 'localhost' || h.endsWith('.localhost') || h === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(h) || h === '::ffff:127.0.0.1';
}

/** The host of an http(s):// or sb:// URL (undefined when it is not a URL). */
export function hostOf(url: string): string | undefined {
  try {
    return new URL(url.replace(/^sb:/, 'http:')).hostname;
  } catch {
    return undefined;
  }
}
