/** Who is acting. Built once per request by authentication and handed to every service call. */
export const ROLES = ['admin', 'manager', 'sales_rep', 'support'] as const;
export type Role = (typeof ROLES)[number];

/** An integration's key: it acts as the admin who made it, narrowed to its scopes (`leads:create`, ...). */
export interface ApiKeyGrant {
  id: string;
  scopes: readonly string[];
  /** Stamped on the records it creates (e.g. a lead's source). */
  sourceCode: string | null;
  /** The key's own requests-per-minute limit (the general limiter counts it as `key:<id>`); null: the default. */
  rateLimitPerMinute: number | null;
}

export interface Actor {
  organizationId: string;
  userId: string;
  email: string;
  role: Role;
  apiKey?: ApiKeyGrant;
}
