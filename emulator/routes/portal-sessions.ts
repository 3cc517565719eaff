import type { Route } from '../context';
import { invalidRequest } from '../errors';
import { json, parseJsonObject } from '../http';
import { newId } from '../ids';
import { iso, isoOrNull } from '../time';
import type { PortalSession } from '../types';
import { parseLocale, requireHttpUrl, stringField } from './params';

export function portalSessionStatus(session: PortalSession, now: number): 'active' | 'expired' {
  return now >= session.expiresAt ? 'expired' : 'active';
}

export const portalSessionRoutes: Route[] = [
  {
    method: 'POST',
    path: '/v1/portal/sessions',
    kind: 'api',
    async handler({ app, body }) {
      const input = parseJsonObject(await body());
      const { store, config } = app;
      const customer = store.resolveCustomer({
        id: stringField(input, 'customerId', 'customer_id', 'customer'),
        externalId: stringField(input, 'externalId', 'external_id'),
        email: stringField(input, 'email'),
      });
      const locale = parseLocale(stringField(input, 'locale'));
      const returnUrl = stringField(input, 'returnUrl', 'return_url') ?? config.defaultReturnUrl;
      if (returnUrl === undefined) {
        throw invalidRequest(
          'missing_return_url',
          'No returnUrl given and no default return URL is configured',
        );
      }
      requireHttpUrl(returnUrl, 'returnUrl', 'return_url');
      const now = config.now();
      const session: PortalSession = {
        id: newId('ps'),
        customerId: customer.id,
        returnUrl,
        configurationId: stringField(input, 'configurationId', 'configuration_id') ?? null,
        locale,
        browserToken: null,
        expiresAt: now + config.portalSessionTtlMs,
        accessedAt: null,
        createdAt: now,
      };
      store.data.portalSessions.push(session);
      store.touch();
      return json(201, {
        id: session.id,
        object: 'portal.session',
        url: `${config.publicUrl}/s/${session.id}`,
        customerId: session.customerId,
        returnUrl: session.returnUrl,
        configurationId: session.configurationId,
        locale: session.locale,
        status: portalSessionStatus(session, now),
        expiresAt: iso(session.expiresAt),
        accessedAt: isoOrNull(session.accessedAt),
        createdAt: iso(session.createdAt),
      });
    },
  },
];
