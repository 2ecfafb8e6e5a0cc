/** Child script for the --tls test: publishes with the SDK's defaults (https, no insecure option). */
import { AzureKeyCredential, EventGridPublisherClient } from '@azure/eventgrid';

const [endpoint, key] = process.argv.slice(2) as [string, string];
const client = new EventGridPublisherClient(endpoint, 'EventGrid', new AzureKeyCredential(key), { retryOptions: { maxRetries: 0 } });
client
  .send([{ id: 'tls-1', eventType: 'T', subject: '/s', dataVersion: '1', data: {} }])
  .then(() => process.stdout.write('sent\n'), (error: Error) => { process.stdout.write(`failed: ${error.message}\n`); process.exitCode = 1; });
