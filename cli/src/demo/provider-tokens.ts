import { logger, traceInternalStep } from '@tooltrace/instrumentation';
import type { Integration } from './catalog.ts';
import { accessTokenOf } from './fake-providers.ts';

/** The service's OAuth access tokens per integration and user; both tool runs and trigger jobs call providers with them. */
export interface ProviderTokens {
  tokenOf(integration: Integration, userId: string): string;
  /** False when the grant is gone (the refresh itself failed; its span says why). */
  tryRefresh(integration: Integration, userId: string): Promise<boolean>;
}

export function createProviderTokens(providers: Record<Integration, string>): ProviderTokens {
  const refreshed = new Map<string, string>();

  const refresh = (integration: Integration, userId: string) =>
    traceInternalStep(
      'refresh OAuth token',
      async () => {
        const response = await fetch(new URL('/oauth/token', providers[integration]), {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ grant_type: 'refresh_token', user_id: userId }),
        });
        const body = (await response.json()) as { access_token?: string };
        if (!response.ok || !body.access_token) throw new Error(`token refresh failed with HTTP ${response.status}`);
        refreshed.set(`${integration}:${userId}`, body.access_token);
        logger.info(`refreshed the ${integration} access token`, { 'user.id': userId });
      },
      { 'tooltrace.integration': integration },
    );

  return {
    tokenOf: (integration, userId) => refreshed.get(`${integration}:${userId}`) ?? accessTokenOf(integration, userId),
    tryRefresh: (integration, userId) =>
      refresh(integration, userId).then(
        () => true,
        () => false,
      ),
  };
}
