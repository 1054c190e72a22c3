import type { Declaration, EntityDeclaration } from '../schema/entity';
import { Account } from './account';
import { ApiKey } from './api-key';
import { AuditEntry } from './audit-entry';
import { Activity } from './activity';
import { Call } from './call';
import { Campaign } from './campaign';
import { Contact } from './contact';
import { Customer } from './customer';
import { Deal } from './deal';
import { Document } from './document';
import { Email } from './email';
import { Goal } from './goal';
import { ImportJob } from './import-job';
import { IntakeForm } from './intake-form';
import { Invoice } from './invoice';
import { Lead } from './lead';
import { LeadScreening } from './lead-screening';
import { LinkAnalytics } from './link-analytics';
import { Meeting } from './meeting';
import { OneTimeToken } from './one-time-token';
import { Order } from './order';
import { Organization } from './organization';
import { Product } from './product';
import { RefreshToken } from './refresh-token';
import { Supplier } from './supplier';
import { Task } from './task';
import { Ticket } from './ticket';
import { User } from './user';
import { Workflow } from './workflow';

/**
 * The registry: every CRM entity the API serves. Adding an entity means a declaration file, a line here,
 * and a migration (`npm run migration:generate -- add-<name>`); the generic layer picks up the rest.
 */
export const entities: readonly EntityDeclaration[] = [
  User,
  Lead,
  Contact,
  Account,
  Deal,
  Task,
  Meeting,
  Call,
  Activity,
  Customer,
  Product,
  Order,
  Campaign,
  Supplier,
  Invoice,
  Ticket,
  LinkAnalytics,
  Email,
  Document,
  Workflow,
];

/** Tables the service layer uses itself; no generic routes. */
export const systemTables: readonly Declaration[] = [
  Organization,
  RefreshToken,
  OneTimeToken,
  ApiKey,
  AuditEntry,
  Goal,
  ImportJob,
  IntakeForm,
  LeadScreening,
];

export const allTables: readonly Declaration[] = [...systemTables, ...entities];
