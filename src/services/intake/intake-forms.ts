import crypto from 'node:crypto';
import Joi from 'joi';
import type { Actor } from '../../context';
import { UUID } from '../../crud/filter/values';
import { validate } from '../../crud/validation';
import type { AnyModel } from '../../db/models';
import { ForbiddenError, NotFoundError } from '../../errors';
import type { Values } from '../../schema/entity';

const fields = {
  name: Joi.string().trim().min(1).max(100),
  source: Joi.string().trim().min(1).max(100),
  assign_to: Joi.string().guid().allow(null),
  honeypot_field: Joi.string()
    .pattern(/^[A-Za-z_][A-Za-z0-9_-]{0,99}$/)
    .message('honeypot_field is a form field name: letters, digits, _ and -'),
  active: Joi.boolean(),
};
const createSchema = Joi.object({ ...fields, name: fields.name.required() });
const updateSchema = Joi.object(fields).min(1);

const iso = (v: unknown) => (v instanceof Date ? v.toISOString() : v);

/** Admins manage the organization's public intake forms; each gets a fresh key for its page to post with. */
export class IntakeForms {
  constructor(
    private readonly forms: AnyModel,
    private readonly users: AnyModel,
  ) {}

  async list(actor: Actor): Promise<Values[]> {
    this.guard(actor);
    const rows = (await this.forms.findAll({
      where: { organization_id: actor.organizationId },
      order: [['created_at', 'ASC']],
      raw: true,
    })) as unknown as Values[];
    return rows.map(present);
  }

  async get(actor: Actor, id: string): Promise<Values> {
    this.guard(actor);
    return present(await this.find(actor, id));
  }

  async create(actor: Actor, body: unknown): Promise<Values> {
    this.guard(actor);
    const values = validate(createSchema, (body ?? {}) as Values, {
      entityName: 'intake form',
      stripUnknown: false,
    });
    await this.checkAssignee(actor, values.assign_to);
    const row = await this.forms.create({
      ...values,
      organization_id: actor.organizationId,
      created_by: actor.userId,
      public_key: newKey(),
    });
    return present(row.get({ plain: true }) as Values);
  }

  async update(actor: Actor, id: string, body: unknown): Promise<Values> {
    this.guard(actor);
    const values = validate(updateSchema, (body ?? {}) as Values, {
      entityName: 'intake form',
      stripUnknown: false,
    });
    await this.find(actor, id);
    await this.checkAssignee(actor, values.assign_to);
    await this.forms.update(values, { where: { id: id.toLowerCase() } });
    return present(await this.find(actor, id));
  }

  /** A new key: the old one stops working at once (a form whose key leaked into spam lists). */
  async rotateKey(actor: Actor, id: string): Promise<Values> {
    this.guard(actor);
    await this.find(actor, id);
    await this.forms.update({ public_key: newKey() }, { where: { id: id.toLowerCase() } });
    return present(await this.find(actor, id));
  }

  async remove(actor: Actor, id: string): Promise<void> {
    this.guard(actor);
    await this.find(actor, id);
    await this.forms.destroy({ where: { id: id.toLowerCase() } });
  }

  private guard(actor: Actor): void {
    if (actor.apiKey) throw new ForbiddenError('API keys cannot manage intake forms: sign in as an admin');
    if (actor.role !== 'admin') throw new ForbiddenError('Only admins manage intake forms');
  }

  private async find(actor: Actor, id: string): Promise<Values> {
    const row = UUID.test(id)
      ? ((await this.forms.findOne({
          where: { id: id.toLowerCase(), organization_id: actor.organizationId },
          raw: true,
        })) as Values | null)
      : null;
    if (!row) throw new NotFoundError(`No intake form with id ${JSON.stringify(id)}`);
    return row;
  }

  private async checkAssignee(actor: Actor, userId: unknown): Promise<void> {
    if (typeof userId !== 'string') return;
    const found = await this.users.count({
      where: { id: userId.toLowerCase(), organization_id: actor.organizationId, is_active: true },
    });
    if (!found)
      throw new NotFoundError(`User ${userId} (assign_to) was not found`, [
        { field: 'assign_to', message: 'no active user of your organization with this id' },
      ]);
  }
}

const newKey = () => `ifk_${crypto.randomBytes(24).toString('base64url')}`;

function present(row: Values): Values {
  return {
    id: row.id,
    name: row.name,
    public_key: row.public_key,
    source: row.source,
    assign_to: row.assign_to ?? null,
    honeypot_field: row.honeypot_field,
    active: row.active,
    created_by: row.created_by,
    created_at: iso(row.created_at),
    updated_at: iso(row.updated_at),
  };
}

/** The request schemas, for the OpenAPI document (src/http/openapi). */
export { createSchema as intakeFormCreateSchema, updateSchema as intakeFormUpdateSchema };
