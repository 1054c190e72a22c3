import crypto from 'node:crypto';
import Joi from 'joi';
import type { Sequelize } from 'sequelize';
import { ROLES, type Actor, type Role } from '../context';
import type { CrudServices } from '../crud/services';
import { isPlainObject } from '../crud/filter/values';
import { validate } from '../crud/validation';
import type { AnyModel } from '../db/models';
import {
  AppError,
  ConflictError,
  ForbiddenError,
  NotFoundError,
  UnauthorizedError,
  ValidationError,
} from '../errors';
import type { Logger } from '../logger';
import type { BackgroundWork } from '../services/background-work';
import type { EmailService } from '../services/mail/email-service';
import type { AccountLinks } from './account-links';
import type { AuthService } from './auth-service';
import type { OneTimeTokens } from './one-time-tokens';
import type { Passwords } from './passwords';
import { passwordRule } from './password-policy';
import type { Device, Session, Sessions } from './sessions';

const CODE_TTL_MS = 10 * 60_000;

const email = Joi.string().trim().lowercase().email({ tlds: false }).max(255);
const registration = Joi.object({
  email: email.required(),
  password: passwordRule.required(),
  full_name: Joi.string().trim().max(201).allow('', null),
  first_name: Joi.string().trim().max(100).allow('', null),
  last_name: Joi.string().trim().max(100).allow('', null),
});
const codeCheck = Joi.object({ email: email.required(), otp_code: Joi.string().trim().max(20).required() });
const codeRequest = Joi.object({ email: email.required() });
const passwordChange = Joi.object({
  user_id: Joi.string().allow(null, ''),
  current_password: Joi.string().max(200).required(),
  new_password: Joi.string().max(200).required(),
});
const invitation = Joi.object({ user_email: email.required(), role: Joi.string().required() });

/** What `updateMe` never changes, whoever calls it: who the account is and where it belongs. */
const IDENTITY = ['id', 'email', 'role', 'organization_id'] as const;
/** Base44's server-assigned fields, which apps send back with whole records: ignored. */
const BUILT_IN = ['created_date', 'updated_date', 'created_by', 'created_by_id', 'full_name'];

interface AccountRow {
  id: string;
  organization_id: string;
  email: string;
  role: Role;
  is_active: boolean;
  email_verified_at: Date | null;
  tokens_valid_after: Date | null;
  password_hash: string | null;
}

export interface AppAccountOptions {
  /** Our role for Base44's `user`; self-registration is refused without one. */
  signupRole: Role | undefined;
}

const INVALID_CODE = () =>
  new AppError(
    400,
    'INVALID_CODE',
    'This code is not valid: it is wrong, expired or already used. Ask for a new one with auth/resend-otp',
  );

const body = (value: unknown): Record<string, unknown> => (value ?? {}) as Record<string, unknown>;

/**
 * Accounts as a Base44 app manages them, inside the organization its app id names: people register
 * themselves and confirm their address with a six-digit emailed code before they can sign in; everything
 * else (sign-in, password changes, invitations, profile) is the same services /api/v1 uses.
 */
export class AppAccounts {
  constructor(
    private readonly users: AnyModel,
    private readonly organizations: AnyModel,
    private readonly codes: OneTimeTokens,
    private readonly auth: AuthService,
    private readonly links: AccountLinks,
    private readonly sessions: Sessions,
    private readonly passwords: Passwords,
    private readonly crud: CrudServices,
    private readonly emails: EmailService,
    private readonly sequelize: Sequelize,
    private readonly options: AppAccountOptions,
    private readonly logger: Logger,
    private readonly background: BackgroundWork,
  ) {}

  /** A registration still waiting for its code is told so (with the right password), not called deactivated. */
  async login(organizationId: string | undefined, input: unknown, device: Device): Promise<Session> {
    try {
      return await this.auth.login(input, device, organizationId);
    } catch (err) {
      const { email: address, password } = body(input);
      const user =
        err instanceof UnauthorizedError &&
        typeof address === 'string' &&
        (await this.account(address.trim().toLowerCase()));
      if (
        user &&
        (!organizationId || user.organization_id === organizationId) &&
        (await this.pending(user)) &&
        (await this.passwords.verify(String(password), user.password_hash))
      ) {
        throw new UnauthorizedError(
          'Confirm your email address first: enter the 6-digit code we sent (auth/verify-otp), or ask for a new one (auth/resend-otp)',
        );
      }
      throw err;
    }
  }

  /**
   * Creates an inactive account in the app's organization and emails it a code; `verifyCode` activates it.
   * Registering again before confirming replaces the password and sends a new code.
   */
  async register(organizationId: string | undefined, input: unknown): Promise<{ message: string }> {
    const role = this.options.signupRole;
    if (!role) {
      throw new ForbiddenError(
        'Registration is turned off for this app (BASE44_SIGNUP_ROLE is not set): ask an administrator for an invitation',
      );
    }
    if (!organizationId)
      throw new NotFoundError('No app with this id: registration needs an app id that exists');
    const values = validate(registration, body(input), {
      entityName: 'registration',
      stripUnknown: true,
    }) as { email: string; password: string; full_name?: string; first_name?: string; last_name?: string };
    const [first, ...rest] = (values.full_name ?? '').split(/\s+/).filter(Boolean);
    const names = {
      first_name: values.first_name || first || null,
      last_name: values.last_name || rest.join(' ') || null,
    };
    const existing = await this.account(values.email);
    if (existing && !(existing.organization_id === organizationId && (await this.pending(existing)))) {
      throw new ConflictError('An account with this email already exists: sign in, or reset its password', [
        { field: 'email', message: 'taken' },
      ]);
    }
    const userId = existing?.id ?? crypto.randomUUID();
    const code = await this.sequelize.transaction(async (t) => {
      if (existing) {
        await this.users.update(
          { password_hash: await this.passwords.hash(values.password), ...names },
          { where: { id: userId }, transaction: t },
        );
      } else {
        // The registrant creates their own record, as the admin of it they are for this one write.
        const self: Actor = { userId, organizationId, email: values.email, role: 'admin' };
        await this.crud
          .for(self, 'User')
          .create(
            { email: values.email, password: values.password, ...names },
            { transaction: t, assign: { id: userId, role, is_active: false } },
          );
      }
      return this.codes.issueCode(userId, CODE_TTL_MS, t);
    });
    await this.sendCode(organizationId, userId, values.email, code);
    return { message: `We sent a 6-digit code to ${values.email}: confirm it to finish signing up` };
  }

  /** Answers the same whether or not the address awaits a code, so it tells nobody which accounts exist. */
  resendCode(organizationId: string | undefined, input: unknown): { message: string } {
    const { email: address } = validate(codeRequest, body(input), {
      entityName: 'code request',
      stripUnknown: true,
    }) as { email: string };
    this.background.start('A verification code was not sent', () =>
      this.sendNewCode(organizationId, address),
    );
    return { message: 'If this address is waiting for confirmation, a new code is on its way' };
  }

  /** The right code activates the registration, marks the address verified and signs the person in. */
  async verifyCode(organizationId: string | undefined, input: unknown, device: Device): Promise<Session> {
    const values = validate(codeCheck, body(input), { entityName: 'code', stripUnknown: true }) as {
      email: string;
      otp_code: string;
    };
    const user = await this.account(values.email);
    if (!user || (organizationId && user.organization_id !== organizationId) || !(await this.pending(user)))
      throw INVALID_CODE();
    // A wrong guess must be counted: the transaction commits either way, and the refusal comes after it.
    const right = await this.sequelize.transaction(async (t) => {
      const ok = await this.codes.consumeCode(user.id, values.otp_code, t);
      if (ok)
        await this.users.update(
          { is_active: true, email_verified_at: new Date() },
          { where: { id: user.id }, transaction: t },
        );
      return ok;
    });
    if (!right) throw INVALID_CODE();
    return this.sessions.start(
      { userId: user.id, organizationId: user.organization_id, email: user.email, role: user.role },
      device,
    );
  }

  requestReset(input: unknown): void {
    this.links.requestReset(input);
  }

  async resetPassword(input: unknown): Promise<void> {
    const { reset_token, new_password } = body(input);
    await this.links.completeReset(reset_token, { password: new_password });
  }

  /** Base44 names the user; only one's own password can be changed here. Every other session ends. */
  async changePassword(actor: Actor, input: unknown, device: Device): Promise<Session> {
    const values = validate(passwordChange, body(input), {
      entityName: 'password change',
      stripUnknown: true,
    }) as { user_id?: string; current_password: string; new_password: string };
    if (values.user_id && values.user_id !== actor.userId)
      throw new ForbiddenError('You can only change your own password');
    return this.auth.updatePassword(
      actor,
      { current_password: values.current_password, new_password: values.new_password },
      device,
    );
  }

  /**
   * The caller's own record, merged. Apps send whole records back: identity fields are ignored while
   * unchanged and refused when changed; fields the User entity does not have are dropped.
   */
  async updateMe(actor: Actor, input: unknown): Promise<Record<string, unknown>> {
    if (!isPlainObject(input)) throw new ValidationError('The body must be a JSON object of fields');
    const users = this.crud.for(actor, 'User', { unknownFields: 'ignore' });
    const current = await users.get(actor.userId);
    const changes: Record<string, unknown> = { ...input };
    for (const field of [...IDENTITY, ...BUILT_IN]) {
      const changed =
        field in changes &&
        (IDENTITY as readonly string[]).includes(field) &&
        changes[field] !== current[field];
      if (changed) throw new ForbiddenError(`updateMe cannot change ${field}: an administrator can`);
      delete changes[field];
    }
    return users.update(actor.userId, changes);
  }

  /** Base44's roles are `admin` and `user`; ours are accepted too. */
  invite(actor: Actor, input: unknown): Promise<Record<string, unknown>> {
    const values = validate(invitation, body(input), { entityName: 'invitation', stripUnknown: true }) as {
      user_email: string;
      role: string;
    };
    const role = values.role === 'user' ? (this.options.signupRole ?? 'sales_rep') : values.role;
    if (!(ROLES as readonly string[]).includes(role)) {
      throw new ValidationError(`"role" must be user, ${ROLES.join(', ')}`, [
        { field: 'role', message: `got ${JSON.stringify(values.role)}` },
      ]);
    }
    return this.links.invite(actor, { email: values.user_email, role });
  }

  private async account(address: string): Promise<AccountRow | null> {
    return (await this.users.findOne({
      where: { email: address },
      attributes: [
        'id',
        'organization_id',
        'email',
        'role',
        'is_active',
        'email_verified_at',
        'tokens_valid_after',
        'password_hash',
      ],
      raw: true,
    })) as AccountRow | null;
  }

  /**
   * A registration that awaits its code: inactive, unconfirmed, registered by code, and never deactivated
   * (a deactivation sets `tokens_valid_after`, which nothing else sets on an account that never signed in).
   * So a code never reactivates an account an administrator deactivated, before or after it was confirmed.
   */
  private async pending(user: AccountRow): Promise<boolean> {
    return (
      !user.is_active &&
      !user.email_verified_at &&
      !user.tokens_valid_after &&
      (await this.codes.everIssuedCode(user.id))
    );
  }

  private async sendNewCode(organizationId: string | undefined, address: string): Promise<void> {
    const user = await this.account(address);
    if (!user || (organizationId && user.organization_id !== organizationId) || !(await this.pending(user)))
      return;
    const code = await this.codes.issueCode(user.id, CODE_TTL_MS);
    await this.sendCode(user.organization_id, user.id, user.email, code);
  }

  /** A code that fails to send is logged: the person can ask for a new one. */
  private async sendCode(organizationId: string, userId: string, to: string, code: string): Promise<void> {
    const org = (await this.organizations.findByPk(organizationId, { attributes: ['name'], raw: true })) as {
      name: string;
    } | null;
    try {
      await this.emails.sendSystem(organizationId, {
        to,
        template: 'verification-code',
        data: { code, expires_in: '10 minutes', organization_name: org?.name ?? 'Nexa CRM' },
        related: { type: 'user', id: userId },
      });
    } catch (err) {
      this.logger.warn(
        `The verification code for user ${userId} was not sent: ${err instanceof Error ? err.message : String(err)}`,
      );
    }
  }
}

/** The request schemas, for the OpenAPI document (src/http/openapi). */
export {
  registration as appRegistrationSchema,
  codeCheck as appCodeCheckSchema,
  codeRequest as appCodeRequestSchema,
  passwordChange as appPasswordChangeSchema,
  invitation as appInvitationSchema,
};
