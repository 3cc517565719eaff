import type { Route } from '../context';
import { adminRoutes } from './admin';
import { checkoutPageRoutes } from './checkout-pages';
import { checkoutSessionRoutes } from './checkout-sessions';
import { entitlementRoutes } from './entitlements';
import { portalPageRoutes } from './portal-pages';
import { portalSessionRoutes } from './portal-sessions';
import { subscriptionRoutes } from './subscriptions';

export const routes: Route[] = [
  ...portalSessionRoutes,
  ...entitlementRoutes,
  ...subscriptionRoutes,
  ...checkoutSessionRoutes,
  ...portalPageRoutes,
  ...checkoutPageRoutes,
  ...adminRoutes,
];
