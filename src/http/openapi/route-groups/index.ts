import type { RouteGroup } from '../types';
import { apiDocsRoutes } from './api-docs';
import { base44AccountRoutes } from './base44-accounts';
import { base44BrowserRoutes } from './base44-browser';
import { base44EntityRoutes } from './base44-entities';
import { base44IntegrationRoutes } from './base44-integrations';
import { fileRoutes } from './files';
import { healthRoutes } from './health';
import { loginPageRoutes } from './login-page';
import { v1AnalyticsRoutes } from './v1-analytics';
import { v1ApiKeyRoutes } from './v1-api-keys';
import { v1AuditRoutes } from './v1-audit';
import { v1AuthRoutes } from './v1-auth';
import { v1DocumentRoutes } from './v1-documents';
import { v1EmailRoutes } from './v1-emails';
import { v1EntityRoutes } from './v1-entities';
import { v1IntakeRoutes } from './v1-intake';
import { v1LeadRoutes } from './v1-leads';
import { v1MetaRoutes } from './v1-meta';
import { v1RealtimeRoutes } from './v1-realtime';
import { v1ReportRoutes } from './v1-reports';
import { v1UserRoutes } from './v1-users';

/**
 * Every documented router, one file each. A new router gets a file here and a line in this list;
 * tests/integration/openapi.test.ts names any mounted route that no group documents.
 */
export const ROUTE_GROUPS: readonly RouteGroup[] = [
  healthRoutes,
  apiDocsRoutes,
  fileRoutes,
  v1AuthRoutes,
  v1RealtimeRoutes,
  v1ApiKeyRoutes,
  v1DocumentRoutes,
  v1EmailRoutes,
  v1LeadRoutes,
  v1IntakeRoutes,
  v1AnalyticsRoutes,
  v1ReportRoutes,
  v1UserRoutes,
  v1AuditRoutes,
  v1MetaRoutes,
  v1EntityRoutes,
  base44BrowserRoutes,
  base44AccountRoutes,
  base44IntegrationRoutes,
  base44EntityRoutes,
  loginPageRoutes,
];
