/**
 * A stand-in for the customer's webhook endpoint, the receiving end of trigger
 * deliveries. How it answers a delivery is the scenario's choice: healthy,
 * flaky (fails once, then accepts), down (always 500), or in maintenance
 * (503 with a Retry-After of an hour, so the retry is still queued when the
 * demo ends).
 */
import express from 'express';
import { type LocalServer, listenLocal } from './listen.ts';

export type ReceiverBehaviour = 'ok' | 'flaky' | 'down' | 'maintenance';

export const DELIVERY_ID_HEADER = 'x-delivery-id';

export interface CustomerWebhooks extends LocalServer {
  webhookUrl: string;
  received: number;
}

export async function startCustomerWebhooks(
  behaviourOf: (deliveryId: string) => ReceiverBehaviour,
): Promise<CustomerWebhooks> {
  const attempts = new Map<string, number>();
  let received = 0;
  const app = express();
  app.use(express.json());
  app.post('/hooks/actionkit', (req, res) => {
    const deliveryId = req.header(DELIVERY_ID_HEADER) ?? '';
    const attempt = (attempts.get(deliveryId) ?? 0) + 1;
    attempts.set(deliveryId, attempt);
    switch (behaviourOf(deliveryId)) {
      case 'ok':
        break;
      case 'flaky':
        if (attempt === 1) {
          res.status(502).json({ error: 'upstream connect error or disconnect/reset before headers' });
          return;
        }
        break;
      case 'down':
        res
          .status(500)
          .json({ error: 'Internal Server Error', trace: 'NullPointerException at WebhookController.java:88' });
        return;
      case 'maintenance':
        res.setHeader('retry-after', '3600');
        res.status(503).json({ error: 'down for maintenance' });
        return;
    }
    received += 1;
    res.status(200).json({ received: true });
  });
  const server = await listenLocal(app);
  return {
    ...server,
    webhookUrl: `${server.url}/hooks/actionkit`,
    get received() {
      return received;
    },
  };
}
