import { Op, Sequelize, type WhereOptions } from 'sequelize';
import type { Actor } from '../../context';
import type { Directory } from '../../auth/directory';
import { isPlainObject } from '../../crud/filter/values';
import type { CrudServices } from '../../crud/services';
import type { AnyModel } from '../../db/models';
import { MAX_BULK, type ServiceOptions } from '../../crud/crud-service';
import { AppError, NotFoundError, UnauthorizedError, ValidationError } from '../../errors';
import type { Values } from '../../schema/entity';
import { presentScreening } from './present';
import { mainNumber, screen } from './spam-rules';

export interface IntakeSettings {
  spamThreshold: number;
  duplicateWindowHours: number;
  burstLimit: number;
  burstWindowSeconds: number;
}

export type IntakeOutcome =
  { verdict: 'clean'; lead: Values; screening: Values } | { verdict: 'spam'; screening: Values };

/** What became of each record of a screened bulk post, in the order they were sent. */
export type BulkIntakeOutcome = (IntakeOutcome & { index: number })[];

interface Screened {
  row: Values;
  spam: boolean;
}

/** Emails and phones met earlier in the same bulk post: a repeat is a duplicate like one already stored. */
interface BatchSeen {
  emails: Set<string>;
  phones: Set<string>;
}

interface Origin {
  channel: 'form' | 'api_key';
  form_id?: string;
  api_key_id?: string;
}

/** Fields a public form may fill; anything else it posts is dropped (owner, status and score are the CRM's). */
export const FORM_FIELDS = [
  'first_name',
  'last_name',
  'email',
  'phone',
  'company',
  'title',
  'industry',
  'website',
  'address',
  'city',
  'state',
  'country',
  'postal_code',
  'notes',
  'annual_revenue',
  'employees',
] as const;

/** Phones compare by the digits of their main number, so formatting and extensions do not hide a duplicate. */
const digitsOf = (phone: unknown): string | null => {
  const digits = typeof phone === 'string' ? mainNumber(phone).replace(/\D/g, '') : '';
  return digits.length >= 7 ? digits.slice(0, 50) : null;
};

/**
 * Leads that arrive from outside — public web forms and vendors' API keys — are screened before they become
 * leads. A clean one is created through the CrudService (same validation, permissions and audit as any
 * create) together with its screening row; a spam one is only kept as a screening, to be released or
 * deleted by a person.
 */
export class LeadIntake {
  constructor(
    private readonly crud: CrudServices,
    private readonly sequelize: Sequelize,
    private readonly models: { forms: AnyModel; screenings: AnyModel; leads: AnyModel },
    private readonly directory: Directory,
    private readonly settings: IntakeSettings,
  ) {}

  /** Whether a create of `entity` by `actor` is screened: leads a vendor posts with an API key. */
  screens(entity: string, actor: Actor): boolean {
    return (
      this.crud.deps.registry.get(entity).decl.screenApiKeyCreates === true && actor.apiKey !== undefined
    );
  }

  /** A public form's post. The form's creator is who the lead is created as; the form sets source and owner. */
  async fromForm(publicKey: unknown, body: unknown, ip: string | undefined): Promise<IntakeOutcome> {
    if (typeof publicKey !== 'string' || publicKey === '')
      throw new UnauthorizedError('Send the form key in the "X-Intake-Key" header or a "form_key" field');
    const form = (await this.models.forms.findOne({
      where: { public_key: publicKey, active: true },
      raw: true,
    })) as Values | null;
    if (!form) throw new NotFoundError('No active intake form has this key');
    const owner = await this.directory.current(form.created_by as string, {
      organizationId: form.organization_id as string,
    });
    if (!('actor' in owner))
      throw new NotFoundError('This intake form no longer accepts leads: the account that owns it is closed');
    const input = isPlainObject(body) ? body : {};
    const values: Values = {};
    for (const name of FORM_FIELDS) {
      const v = input[name];
      if ((typeof v === 'string' && v.trim() !== '') || typeof v === 'number')
        values[name] = typeof v === 'string' ? v.trim() : v;
    }
    const assign: Values = {
      source: form.source,
      ...(form.assign_to ? { assigned_to: form.assign_to } : {}),
    };
    return this.intake(
      owner.actor,
      { channel: 'form', form_id: form.id as string },
      { values, assign, honeypot: input[form.honeypot_field as string], ip },
      'ignore',
    );
  }

  /**
   * A lead posted with a vendor's API key, on either surface (`POST /api/v1/leads`, Base44's
   * `POST /entities/Lead`): the key's scopes and source code apply as on any create. `unknownFields` is the
   * surface's rule for undeclared fields.
   */
  async fromApiKey(
    actor: Actor,
    body: unknown,
    ip: string | undefined,
    unknownFields: ServiceOptions['unknownFields'] = 'reject',
  ): Promise<IntakeOutcome> {
    this.crud.for(actor, 'Lead').authorize('create', { screened: true });
    if (!isPlainObject(body)) throw new ValidationError('The body must be a JSON object of fields');
    const source = actor.apiKey?.sourceCode;
    return this.intake(
      actor,
      { channel: 'api_key', api_key_id: actor.apiKey?.id },
      { values: body, assign: source ? { source } : {}, honeypot: undefined, ip },
      unknownFields,
    );
  }

  /**
   * Leads bulk-posted with a vendor's API key (`POST /api/v1/leads/bulk`, Base44's `POST /entities/Lead/bulk`).
   * Each record is screened as if posted alone — and a repeat of an email or phone sent earlier in the same
   * post counts as a duplicate. The clean ones are created together, all or none like any bulk create (every
   * invalid one reported with its index), and the spam ones are held, in one transaction.
   */
  async fromApiKeyBulk(
    actor: Actor,
    bodies: unknown,
    ip: string | undefined,
    unknownFields: ServiceOptions['unknownFields'] = 'reject',
  ): Promise<BulkIntakeOutcome> {
    const svc = this.crud.for(actor, 'Lead', { unknownFields });
    svc.authorize('create', { screened: true });
    if (!Array.isArray(bodies)) throw new ValidationError('Send a JSON array of records');
    if (bodies.length === 0) throw new ValidationError('Send at least one record');
    if (bodies.length > MAX_BULK) throw new ValidationError(`Send at most ${MAX_BULK} records at a time`);
    const notObjects = bodies.flatMap((b, index) =>
      isPlainObject(b) ? [] : [{ index, message: 'not an object' }],
    );
    if (notObjects.length)
      throw new ValidationError('Each record must be a JSON object of fields', notObjects);
    const origin: Origin = { channel: 'api_key', api_key_id: actor.apiKey?.id };
    const source = actor.apiKey?.sourceCode;
    const assign = source ? { source } : {};
    const seen: BatchSeen = { emails: new Set(), phones: new Set() };
    const screened: Screened[] = [];
    for (const values of bodies as Values[]) {
      screened.push(await this.screenOne(actor, origin, { values, honeypot: undefined, ip }, seen));
    }
    const clean = screened.flatMap((s, index) => (s.spam ? [] : [index]));
    return this.sequelize.transaction(async (transaction) => {
      const leads = clean.length
        ? await svc
            .bulkCreate(
              clean.map((i) => bodies[i]),
              { transaction, screened: true },
            )
            .catch((err: unknown) => {
              throw err instanceof AppError ? this.reindexed(err, clean, bodies.length) : err;
            })
        : [];
      const leadOf = new Map(clean.map((i, k) => [i, leads[k]!]));
      const rows = await this.models.screenings.bulkCreate(
        screened.map((s, i) =>
          s.spam
            ? { ...s.row, verdict: 'spam', payload: { values: bodies[i], assign } }
            : { ...s.row, verdict: 'clean', lead_id: leadOf.get(i)!.id },
        ),
        { transaction, returning: true },
      );
      return rows.map((r, index): IntakeOutcome & { index: number } => {
        const screening = presentScreening(r.get({ plain: true }) as Values);
        const lead = leadOf.get(index);
        return lead ? { index, verdict: 'clean', lead, screening } : { index, verdict: 'spam', screening };
      });
    });
  }

  private async intake(
    actor: Actor,
    origin: Origin,
    input: { values: Values; assign: Values; honeypot: unknown; ip: string | undefined },
    unknownFields: ServiceOptions['unknownFields'],
  ): Promise<IntakeOutcome> {
    const { values, assign } = input;
    const { row, spam } = await this.screenOne(actor, origin, input);
    if (spam) {
      const held = await this.models.screenings.create({
        ...row,
        verdict: 'spam',
        payload: { values, assign },
      });
      return { verdict: 'spam', screening: presentScreening(held.get({ plain: true }) as Values) };
    }
    return this.sequelize.transaction(async (transaction) => {
      const lead = await this.crud
        .for(actor, 'Lead', { unknownFields })
        .create(values, { transaction, assign, screened: true });
      const screening = await this.models.screenings.create(
        { ...row, verdict: 'clean', lead_id: lead.id },
        { transaction },
      );
      return {
        verdict: 'clean',
        lead,
        screening: presentScreening(screening.get({ plain: true }) as Values),
      };
    });
  }

  /** The screening row of one submission (not yet stored) and whether it is held as spam. */
  private async screenOne(
    actor: Actor,
    origin: Origin,
    input: { values: Values; honeypot: unknown; ip: string | undefined },
    batch?: BatchSeen,
  ): Promise<Screened> {
    const { values, ip } = input;
    const email = typeof values.email === 'string' ? values.email.trim().toLowerCase().slice(0, 255) : null;
    const phone = digitsOf(values.phone);
    const signals = await this.signals(actor.organizationId, origin, email, phone, ip);
    if (batch) {
      if (email && batch.emails.has(email)) signals.duplicateEmail = true;
      if (phone && batch.phones.has(phone)) signals.duplicatePhone = true;
      if (email) batch.emails.add(email);
      if (phone) batch.phones.add(phone);
    }
    const verdict = screen(
      {
        email: values.email,
        phone: values.phone,
        names: [values.first_name, values.last_name, values.company],
        honeypot: input.honeypot,
      },
      signals,
      this.settings.burstLimit,
    );
    return {
      row: {
        organization_id: actor.organizationId,
        ...origin,
        ip: ip?.slice(0, 64) ?? null,
        email,
        phone,
        score: verdict.score,
        reasons: verdict.reasons,
      },
      spam: verdict.score >= this.settings.spamThreshold,
    };
  }

  /** A bulk create's error about the clean records, with each detail's index that of the record as sent. */
  private reindexed(err: AppError, clean: number[], total: number): AppError {
    const details = err.details?.map((d) => (d.index === undefined ? d : { ...d, index: clean[d.index] }));
    const bad = new Set(details?.map((d) => d.index).filter((i) => i !== undefined));
    const first = (details ?? [])
      .slice(0, 3)
      .map((d) => `record ${d.index ?? '?'}: ${d.message}`)
      .join('; ');
    const message = bad.size
      ? `${bad.size} of ${total} records are not valid; nothing was created (${first})`
      : err.message;
    return new AppError(err.status, err.code, message, details, err.headers);
  }

  /** Duplicates among the organization's recent leads and submissions; bursts from the same source or IP. */
  private async signals(
    organizationId: string,
    origin: Origin,
    email: string | null,
    phone: string | null,
    ip: string | undefined,
  ) {
    const { duplicateWindowHours, burstWindowSeconds } = this.settings;
    const since = new Date(Date.now() - duplicateWindowHours * 3600_000);
    const burstSince = new Date(Date.now() - burstWindowSeconds * 1000);
    const recent = { organization_id: organizationId, created_at: { [Op.gte]: since } };
    const seen = async (lead: WhereOptions, screening: WhereOptions) =>
      duplicateWindowHours > 0 &&
      ((await this.models.screenings.count({ where: { ...recent, ...screening } })) > 0 ||
        (await this.models.leads.count({ where: { [Op.and]: [recent, lead] } })) > 0);
    const burstWhere = { organization_id: organizationId, created_at: { [Op.gte]: burstSince } };
    const sourceKey = origin.form_id
      ? { form_id: origin.form_id }
      : { api_key_id: origin.api_key_id ?? null };
    return {
      duplicateEmail: email
        ? await seen(Sequelize.where(Sequelize.fn('lower', Sequelize.col('email')), email), { email })
        : false,
      duplicatePhone: phone
        ? await seen(
            Sequelize.where(Sequelize.fn('regexp_replace', Sequelize.col('phone'), '\\D', '', 'g'), phone),
            { phone },
          )
        : false,
      recentFromSource: await this.models.screenings.count({ where: { ...burstWhere, ...sourceKey } }),
      recentFromIp: ip ? await this.models.screenings.count({ where: { ...burstWhere, ip } }) : 0,
    };
  }
}
