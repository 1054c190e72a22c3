import Joi from 'joi';
import { Sequelize, type Transaction } from 'sequelize';
import { ROLES, type Actor, type Role } from '../context';
import type { CrudServices } from '../crud/services';
import { validate } from '../crud/validation';
import type { AnyModel } from '../db/models';
import { AppError } from '../errors';
import type { Logger } from '../logger';
import type { BackgroundWork } from '../services/background-work';
import type { EmailService } from '../services/mail/email-service';
import type { TemplateName } from '../services/mail/templates';
import type { OneTimePurpose, OneTimeTokens } from './one-time-tokens';
import type { Passwords } from './passwords';
import { passwordRule } from './password-policy';
import type { Device, Session, Sessions } from './sessions';

const HOUR_MS = 3_600_000;
const RESET_TTL_MS = HOUR_MS;
const INVITATION_TTL_MS = 7 * 24 * HOUR_MS;

const email = Joi.string().trim().lowercase().email({ tlds: false }).max(255);
const resetRequest = Joi.object({ email: email.required() });
const newPassword = Joi.object({ password: passwordRule.required() });
const invitation = Joi.object({
  email: email.required(),
  role: Joi.string()
    .valid(...ROLES)
    .required(),
  first_name: Joi.string().trim().max(100).allow('', null),
  last_name: Joi.string().trim().max(100).allow('', null),
  manager_id: Joi.string().guid().allow(null),
}).messages({ 'object.unknown': '{{#label}} is not a field of an invitation' });

interface UserRow {
  id: string;
  organization_id: string;
  email: string;
  role: Role;
  first_name: string | null;
  last_name: string | null;
}

export interface LinkTemplates {
  /** URLs with a `{token}` placeholder. */
  passwordReset: string;
  invite: string;
}

const INVALID_LINK = () =>
  new AppError(
    400,
    'INVALID_TOKEN',
    'This link is not valid: it has expired, was already used, or a newer one was sent. Ask for a new one',
  );

const fullName = (u: Pick<UserRow, 'first_name' | 'last_name'>): string =>
  [u.first_name, u.last_name].filter(Boolean).join(' ');

const body = (value: unknown): Record<string, unknown> => (value ?? {}) as Record<string, unknown>;

/**
 * Emailed single-use links that let someone choose a password: resetting a forgotten one, and accepting an
 * invitation. Following either also proves the address, so it marks the email verified.
 */
export class AccountLinks {
  constructor(
    private readonly users: AnyModel,
    private readonly organizations: AnyModel,
    private readonly tokens: OneTimeTokens,
    private readonly sessions: Sessions,
    private readonly passwords: Passwords,
    private readonly crud: CrudServices,
    private readonly emails: EmailService,
    private readonly sequelize: Sequelize,
    private readonly links: LinkTemplates,
    private readonly logger: Logger,
    private readonly background: BackgroundWork,
  ) {}

  /**
   * Validates the address and returns at once: looking the account up, making the token and sending the
   * email happen after the answer, so neither the answer nor its timing tells whether the account exists.
   */
  requestReset(input: unknown): void {
    const { email: address } = validate(resetRequest, body(input), {
      entityName: 'password reset request',
      stripUnknown: true,
    }) as { email: string };
    this.background.start('A password reset email was not sent', () => this.sendReset(address));
  }

  /** Sets the password a reset link was sent for, and ends every session of the account. */
  async completeReset(token: unknown, input: unknown): Promise<void> {
    const { password } = this.newPassword(input);
    const user = await this.setPassword(token, 'password_reset', password);
    if (!user) throw INVALID_LINK();
  }

  /** Creates the user without a password (an admin's action: the User policy decides) and emails a link. */
  async invite(actor: Actor, input: unknown): Promise<Record<string, unknown>> {
    const users = this.crud.for(actor, 'User');
    users.authorize('create');
    const values = validate(invitation, body(input), { entityName: 'invitation', stripUnknown: false });
    const { user, token } = await this.sequelize.transaction(async (t) => {
      const created = await users.create(values, { transaction: t });
      const issued = await this.tokens.issue(created.id as string, 'invitation', INVITATION_TTL_MS, t);
      return { user: created, token: issued };
    });
    await this.sendInvitation(actor, user as unknown as UserRow, token);
    return user;
  }

  /** Sets the invited user's first password and signs them in. */
  async acceptInvite(token: unknown, input: unknown, device: Device): Promise<Session> {
    const { password } = this.newPassword(input);
    const user = await this.setPassword(token, 'invitation', password);
    if (!user) throw INVALID_LINK();
    return this.sessions.start(
      { userId: user.id, organizationId: user.organization_id, email: user.email, role: user.role },
      device,
    );
  }

  private newPassword(input: unknown): { password: string } {
    return validate(newPassword, body(input), { entityName: 'password', stripUnknown: false }) as {
      password: string;
    };
  }

  /** Spends the token and sets the password of its (still active) user; undefined when the link is no good. */
  private async setPassword(
    token: unknown,
    purpose: OneTimePurpose,
    password: string,
  ): Promise<UserRow | undefined> {
    return this.sequelize.transaction(async (t: Transaction) => {
      const userId = await this.tokens.consume(token, purpose, t);
      if (!userId) return undefined;
      const user = (await this.users.findOne({
        where: { id: userId, is_active: true },
        attributes: ['id', 'organization_id', 'email', 'role', 'first_name', 'last_name'],
        transaction: t,
        raw: true,
      })) as UserRow | null;
      if (!user) return undefined;
      await this.users.update(
        {
          password_hash: await this.passwords.hash(password),
          email_verified_at: Sequelize.fn(
            'COALESCE',
            Sequelize.col('email_verified_at'),
            Sequelize.fn('NOW'),
          ),
        },
        { where: { id: userId }, transaction: t },
      );
      await this.sessions.endAll(userId, purpose, t);
      return user;
    });
  }

  private async sendReset(address: string): Promise<void> {
    const user = (await this.users.findOne({
      where: { email: address, is_active: true },
      attributes: ['id', 'organization_id', 'email', 'first_name', 'last_name'],
      raw: true,
    })) as UserRow | null;
    if (!user) return;
    const token = await this.tokens.issue(user.id, 'password_reset', RESET_TTL_MS);
    await this.send(user, 'password-reset', {
      name: fullName(user) || user.email,
      reset_url: this.link(this.links.passwordReset, token),
      expires_in: '1 hour',
    });
  }

  /** A failed invitation email is logged, not thrown: the user exists and the Email record shows the failure. */
  private async sendInvitation(actor: Actor, user: UserRow, token: string): Promise<void> {
    const [inviter, organization] = await Promise.all([
      this.users.findOne({ where: { id: actor.userId }, attributes: ['first_name', 'last_name'], raw: true }),
      this.organizations.findOne({ where: { id: actor.organizationId }, attributes: ['name'], raw: true }),
    ]);
    try {
      await this.send(user, 'invite', {
        inviter_name: (inviter && fullName(inviter as unknown as UserRow)) || actor.email,
        organization_name: (organization as unknown as { name: string } | null)?.name ?? 'Nexa CRM',
        role: user.role.replace(/_/g, ' '),
        accept_url: this.link(this.links.invite, token),
      });
    } catch (err) {
      this.logger.warn(
        `The invitation email to user ${user.id} was not sent: ${err instanceof Error ? err.message : String(err)}`,
      );
    }
  }

  private async send(user: UserRow, template: TemplateName, data: Record<string, unknown>): Promise<void> {
    await this.emails.sendSystem(user.organization_id, {
      to: user.email,
      template,
      data,
      related: { type: 'user', id: user.id },
    });
  }

  private link = (template: string, token: string): string =>
    template.replace('{token}', encodeURIComponent(token));
}

/** The request schemas, for the OpenAPI document (src/http/openapi). */
export { resetRequest as resetRequestSchema };
