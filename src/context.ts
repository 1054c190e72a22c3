/** Who is acting. Built once per request by authentication and handed to every service call. */
export const ROLES = ['admin', 'manager', 'sales_rep', 'support'] as const;
export type Role = (typeof ROLES)[number];

export interface Actor {
  organizationId: string;
  userId: string;
  email: string;
  role: Role;
}
