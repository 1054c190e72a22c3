import crypto from 'node:crypto';
import Joi from 'joi';
import type { Sequelize, Transaction } from 'sequelize';
import { slugify } from '../bootstrap';
import type { Actor } from '../context';
import type { AnyModel } from '../db/models';
import type { CrudServices } from '../crud/services';
import { isPlainObject } from '../crud/filter/values';
import { ForbiddenError, UnauthorizedError, ValidationError } from '../errors';
import type { Logger } from '../logger';
import type { EmailService } from '../services/mail/email-service';
import { validate } from '../crud/validation';
import type { Passwords } from './passwords';
import { passwordRule } from './password-policy';
import type { Device, Session, Sessions } from './sessions';

const email = Joi.string().trim().lowercase().email({ tlds: false }).max(255);

const credentials = Joi.object({
  email: email.required(),
  password: Joi.string().max(200).required(),
});

const registration = Joi.object({
  email: email.required(),
  password: passwordRule.required(),
  first_name: Joi.string().trim().max(100).allow('', null),
  last_name: Joi.string().trim().max(100).allow('', null),
  organization_name: Joi.string().trim().min(1).max(200).required(),
});

const passwordChange = Joi.object({
  current_password: Joi.string().max(200).required(),
  new_password: passwordRule.required(),
});

const refreshBody = Joi.object({ refresh_token: Joi.string().max(200).required() });
const logoutBody = Joi.object({ refresh_token: Joi.string().max(200).required(), all: Joi.boolean() });

/** What a person may change about themselves at PUT /auth/update-profile. */
const PROFILE_FIELDS = [
  'first_name',
  'last_name',
  'phone',
  'title',
  'department',
  'avatar_url',
  'timezone',
] as const;

interface LoginRow {
  id: string;
  organization_id: string;
  email: string;
  role: Actor['role'];
  is_active: boolean;
  password_hash: string | null;
}

export interface AuthOptions {
  allowSignup: boolean;
  loginUrl: string;
}

const WRONG = 'Email or password is incorrect';

const body = (value: unknown): Record<string, unknown> => (value ?? {}) as Record<string, unknown>;

/** Signing up, in and out, and what people change about their own account. */
export class AuthService {
  constructor(
    private readonly users: AnyModel,
    private readonly organizations: AnyModel,
    private readonly passwords: Passwords,
    private readonly sessions: Sessions,
    private readonly crud: CrudServices,
    private readonly emails: EmailService,
    private readonly sequelize: Sequelize,
    private readonly options: AuthOptions,
    private readonly logger: Logger,
  ) {}

  /** Tenant sign-up: a new organization with the registrant as its admin. */
  async register(input: unknown, device: Device): Promise<Session> {
    if (!this.options.allowSignup) {
      throw new ForbiddenError(
        'Sign-up is turned off on this server: ask an administrator of your organization for an invitation',
      );
    }
    // Anything else a sign-up form sends (a role, an organization id, verification flags) is never applied.
    const values = validate(registration, body(input), {
      entityName: 'registration',
      stripUnknown: true,
    }) as {
      email: string;
      password: string;
      first_name?: string | null;
      last_name?: string | null;
      organization_name: string;
    };
    const userId = crypto.randomUUID();
    const actor = await this.sequelize.transaction(async (t) => {
      const org = await this.organizations.create(
        { name: values.organization_name, slug: await this.freeSlug(values.organization_name, t) },
        { transaction: t },
      );
      // The registrant creates their own record, as the admin they are about to be.
      const self: Actor = {
        userId,
        organizationId: org.get('id') as string,
        email: values.email,
        role: 'admin',
      };
      await this.crud.for(self, 'User').create(
        {
          email: values.email,
          password: values.password,
          first_name: values.first_name || null,
          last_name: values.last_name || null,
        },
        { transaction: t, assign: { id: userId, role: 'admin' } },
      );
      return self;
    });
    const session = await this.sessions.start(actor, device);
    await this.sendWelcome(actor, values.organization_name, values.first_name);
    return session;
  }

  /** `within`: an organization the account must belong to (a Base44 app's), else it is unknown here. */
  async login(input: unknown, device: Device, within?: string): Promise<Session> {
    const { email: address, password } = validate(credentials, body(input), {
      entityName: 'sign-in',
      stripUnknown: true,
    }) as { email: string; password: string };
    const user = (await this.users.findOne({
      where: { email: address, ...(within ? { organization_id: within } : {}) },
      attributes: ['id', 'organization_id', 'email', 'role', 'is_active', 'password_hash'],
      raw: true,
    })) as LoginRow | null;
    // Compared even when the account does not exist, so the answer takes the same time either way.
    const ok = await this.passwords.verify(password, user?.password_hash);
    if (!user || !ok) throw new UnauthorizedError(WRONG);
    if (!user.is_active)
      throw new UnauthorizedError('This account has been deactivated: ask an administrator');
    await this.users.update({ last_login_at: new Date() }, { where: { id: user.id } });
    const actor: Actor = {
      userId: user.id,
      organizationId: user.organization_id,
      email: user.email,
      role: user.role,
    };
    return this.sessions.start(actor, device);
  }

  async refresh(input: unknown, device: Device): Promise<Session> {
    const { refresh_token } = validate(refreshBody, body(input), {
      entityName: 'refresh request',
      stripUnknown: true,
    }) as { refresh_token: string };
    return this.sessions.refresh(refresh_token, device);
  }

  async logout(input: unknown): Promise<void> {
    const { refresh_token, all } = validate(logoutBody, body(input), {
      entityName: 'sign-out request',
      stripUnknown: true,
    }) as { refresh_token: string; all?: boolean };
    await this.sessions.end(refresh_token, all === true);
  }

  me(actor: Actor): Promise<Record<string, unknown>> {
    return this.crud.for(actor, 'User').get(actor.userId);
  }

  async updateProfile(actor: Actor, input: unknown): Promise<Record<string, unknown>> {
    if (!isPlainObject(input)) throw new ValidationError('The body must be a JSON object of fields');
    const others = Object.keys(input).filter((k) => !(PROFILE_FIELDS as readonly string[]).includes(k));
    if (others.length) {
      throw new ValidationError(
        `Only profile fields (${PROFILE_FIELDS.join(', ')}) can be changed here; not ${others.join(', ')}`,
        others.map((field) => ({ field, message: 'not a profile field' })),
      );
    }
    await this.crud.for(actor, 'User').update(actor.userId, input);
    return this.me(actor);
  }

  /** Needs the current password; ends every session, then starts a new one for the caller. */
  async updatePassword(actor: Actor, input: unknown, device: Device): Promise<Session> {
    const values = validate(passwordChange, body(input), {
      entityName: 'password change',
      stripUnknown: false,
    }) as { current_password: string; new_password: string };
    const row = (await this.users.findOne({
      where: { id: actor.userId },
      attributes: ['password_hash'],
      raw: true,
    })) as Pick<LoginRow, 'password_hash'> | null;
    if (!(await this.passwords.verify(values.current_password, row?.password_hash))) {
      throw new ValidationError('The current password is incorrect', [
        { field: 'current_password', message: 'incorrect' },
      ]);
    }
    const hash = await this.passwords.hash(values.new_password);
    await this.sequelize.transaction(async (t) => {
      await this.users.update({ password_hash: hash }, { where: { id: actor.userId }, transaction: t });
      await this.sessions.endAll(actor.userId, 'password_changed', t);
    });
    return this.sessions.start(actor, device);
  }

  /** The organization's slug: its name's, made unique with a random suffix when that one is taken. */
  private async freeSlug(name: string, transaction: Transaction): Promise<string> {
    const slug = slugify(name);
    const taken = await this.organizations.count({ where: { slug }, transaction });
    return taken ? `${slug}-${crypto.randomBytes(3).toString('hex')}` : slug;
  }

  /** A welcome that fails to send is logged: the account exists and works without it. */
  private async sendWelcome(
    actor: Actor,
    organizationName: string,
    firstName?: string | null,
  ): Promise<void> {
    try {
      await this.emails.sendSystem(actor.organizationId, {
        to: actor.email,
        template: 'welcome',
        data: {
          name: firstName || actor.email,
          organization_name: organizationName,
          email: actor.email,
          login_url: this.options.loginUrl,
        },
        related: { type: 'user', id: actor.userId },
      });
    } catch (err) {
      this.logger.warn(
        `The welcome email to user ${actor.userId} was not sent: ${err instanceof Error ? err.message : String(err)}`,
      );
    }
  }
}

/** The request schemas, for the OpenAPI document (src/http/openapi). */
export { credentials as credentialsSchema };
