import Joi from 'joi';
import type { Sequelize, Transaction } from 'sequelize';
import type { Actor } from '../../context';
import type { CrudServices } from '../../crud/services';
import { validate } from '../../crud/validation';
import type { AnyModel } from '../../db/models';
import { ConflictError, ForbiddenError, NotFoundError } from '../../errors';
import type { BackgroundWork } from '../background-work';
import { LEAD_STATUSES } from '../../entities/lead';
import type { EmailService } from '../mail/email-service';
import { parseAggregateSpec } from '../../crud/aggregate';

type Values = Record<string, unknown>;

const assignSchema = Joi.object({ user_id: Joi.string().guid().required() });
const convertSchema = Joi.object({
  account_id: Joi.string().guid(),
  create_deal: Joi.boolean().default(false),
  deal: Joi.object({
    name: Joi.string().max(200),
    amount: Joi.number().min(0),
    stage: Joi.string(),
    expected_close_date: Joi.date().iso(),
  }).default({}),
});

const escapeRegex = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const ADDRESS = ['address', 'city', 'state', 'country', 'postal_code'] as const;
const pick = (from: Values, names: readonly string[]) =>
  Object.fromEntries(names.filter((n) => from[n] != null).map((n) => [n, from[n]]));

export interface LeadLinks {
  /** Where the backoffice shows a lead, for links in emails. */
  leadUrl(id: string): string;
}

/**
 * What sales people do with leads beyond editing them: assign, convert, and count. Every read and write
 * goes through the CrudService, so the caller's role and scope apply exactly as on the plain routes.
 */
export class LeadService {
  constructor(
    private readonly crud: CrudServices,
    private readonly sequelize: Sequelize,
    private readonly users: AnyModel,
    private readonly emails: EmailService,
    private readonly links: LeadLinks,
    private readonly background: BackgroundWork,
  ) {}

  /** Managers and admins hand a lead to someone; a manager only within their team. */
  async assign(actor: Actor, leadId: string, body: unknown): Promise<Values> {
    if (actor.role !== 'admin' && actor.role !== 'manager')
      throw new ForbiddenError('Only managers and admins assign leads');
    const leads = this.crud.for(actor, 'Lead');
    leads.authorize('update');
    const { user_id } = validate(assignSchema, (body ?? {}) as Values, {
      entityName: 'assignment',
      stripUnknown: false,
    }) as {
      user_id: string;
    };
    const assignee = (await this.users.findOne({
      where: { id: user_id, organization_id: actor.organizationId, is_active: true },
      attributes: ['id', 'email', 'first_name', 'last_name'],
      raw: true,
    })) as unknown as Values | null;
    if (!assignee)
      throw new NotFoundError('No active user with this id', [
        { field: 'user_id', message: 'not an active user of your organization' },
      ]);
    const lead = await leads.update(leadId, { assigned_to: user_id });
    if (user_id !== actor.userId) this.notifyAssignee(actor, assignee, lead);
    return lead;
  }

  /** The assignment stands even when the notification cannot be sent; the Email record shows why. */
  private notifyAssignee(actor: Actor, assignee: Values, lead: Values): void {
    const name = (v: Values) => [v.first_name, v.last_name].filter(Boolean).join(' ');
    this.background.start('Lead assignment email not sent', () =>
      this.emails.sendSystem(actor.organizationId, {
        to: assignee.email as string,
        template: 'lead-assigned',
        data: {
          name: name(assignee) || (assignee.email as string),
          assigned_by: actor.email,
          lead_name: name(lead) || (lead.email as string),
          lead_company: (lead.company as string | null) ?? 'no company',
          lead_url: this.links.leadUrl(lead.id as string),
        },
        related: { type: 'lead', id: lead.id as string },
      }),
    );
  }

  /**
   * Turns a lead into a contact, an account (an existing one with the same company name, or a new one) and
   * optionally a deal, in one transaction: all of it happens, or none.
   */
  async convert(
    actor: Actor,
    leadId: string,
    body: unknown,
  ): Promise<{ lead: Values; contact: Values; account: Values | null; deal: Values | null }> {
    const input = validate(convertSchema, (body ?? {}) as Values, {
      entityName: 'conversion',
      stripUnknown: false,
    }) as {
      account_id?: string;
      create_deal: boolean;
      deal: Values;
    };
    return this.sequelize.transaction(async (transaction) => {
      const leads = this.crud.for(actor, 'Lead');
      const lead = await leads.get(leadId, { transaction });
      if (lead.status === 'converted') throw new ConflictError('This lead has already been converted');
      const owner = (lead.assigned_to as string | null) ?? actor.userId;
      const account = await this.accountFor(actor, lead, input.account_id, owner, transaction);
      const contact = await this.crud.for(actor, 'Contact').create(
        {
          first_name: lead.first_name ?? String(lead.email).split('@')[0],
          ...pick(lead, ['last_name', 'email', 'phone', 'title', 'notes', ...ADDRESS]),
          account_id: account?.id ?? null,
          lead_source: lead.source,
        },
        { transaction, assign: { owner_id: owner } },
      );
      const deal = input.create_deal
        ? await this.crud.for(actor, 'Deal').create(
            {
              name:
                input.deal.name ??
                `${(lead.company as string | null) ?? [lead.first_name, lead.last_name].filter(Boolean).join(' ')} opportunity`,
              stage: 'qualification',
              ...input.deal,
              account_id: account?.id ?? null,
              contact_id: contact.id,
              lead_id: lead.id,
            },
            { transaction, assign: { owner_id: owner } },
          )
        : null;
      const converted = await leads.update(
        leadId,
        { status: 'converted', converted_date: new Date().toISOString() },
        {
          transaction,
          assign: {
            converted_contact_id: contact.id,
            converted_account_id: account?.id ?? null,
            converted_deal_id: deal?.id ?? null,
          },
        },
      );
      return { lead: converted, contact, account, deal };
    });
  }

  private async accountFor(
    actor: Actor,
    lead: Values,
    accountId: string | undefined,
    owner: string,
    transaction: Transaction,
  ): Promise<Values | null> {
    const accounts = this.crud.for(actor, 'Account');
    if (accountId) return accounts.get(accountId, { transaction });
    const company = typeof lead.company === 'string' ? lead.company.trim() : '';
    if (!company) return null;
    const [existing] = (
      await accounts.list({
        filter: { name: { $regex: `^${escapeRegex(company)}$`, $options: 'i' } },
        limit: 1,
        sort: 'created_at',
        transaction,
      })
    ).rows;
    if (existing) return existing;
    return accounts.create(
      {
        name: company,
        type: 'prospect',
        ...pick(lead, ['industry', 'website', 'phone', 'annual_revenue', 'employees', ...ADDRESS]),
      },
      { transaction, assign: { owner_id: owner } },
    );
  }

  /** Counts by status and source, conversion rate and average score — of the leads the caller can see. */
  async stats(actor: Actor, filter?: unknown) {
    const leads = this.crud.for(actor, 'Lead');
    const [byStatus, bySource, overall] = await Promise.all([
      leads.aggregate(parseAggregateSpec({ filter, groupBy: ['status'] })),
      leads.aggregate(parseAggregateSpec({ filter, groupBy: ['source'], sort: '-count', limit: 50 })),
      leads.aggregate(parseAggregateSpec({ filter, avg: ['lead_score'] })),
    ]);
    const total = Number(overall.rows[0]?.count ?? 0);
    const statusCounts = Object.fromEntries(LEAD_STATUSES.map((s) => [s, 0]));
    for (const row of byStatus.rows) statusCounts[row.status as string] = row.count as number;
    const converted = statusCounts.converted ?? 0;
    return {
      total,
      by_status: statusCounts,
      by_source: Object.fromEntries(bySource.rows.map((r) => [r.source, r.count])),
      converted,
      conversion_rate: total ? Math.round((converted / total) * 10_000) / 10_000 : 0,
      average_score:
        overall.rows[0]?.avg_lead_score == null
          ? null
          : Math.round((overall.rows[0].avg_lead_score as number) * 100) / 100,
    };
  }
}
