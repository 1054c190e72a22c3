import Joi from 'joi';
import type { Actor } from '../context';
import type { AnyModel } from '../db/models';
import type { CrudServices } from '../crud/services';
import { UnauthorizedError } from '../errors';
import { validate } from '../crud/validation';
import type { AccessTokens } from './access-tokens';
import type { Passwords } from './passwords';

const credentials = Joi.object({
  email: Joi.string().trim().lowercase().email({ tlds: false }).max(255).required(),
  password: Joi.string().max(200).required(),
});

export interface Session {
  access_token: string;
  token_type: 'Bearer';
  expires_in: number;
  user: Record<string, unknown>;
}

interface LoginRow {
  id: string;
  organization_id: string;
  email: string;
  role: Actor['role'];
  is_active: boolean;
  password_hash: string | null;
}

const WRONG = 'Email or password is incorrect';

export class AuthService {
  constructor(
    private readonly users: AnyModel,
    private readonly passwords: Passwords,
    private readonly tokens: AccessTokens,
    private readonly crud: CrudServices,
  ) {}

  async login(body: unknown): Promise<Session> {
    const { email, password } = validate(credentials, (body ?? {}) as Record<string, unknown>, {
      entityName: 'sign-in',
      stripUnknown: true,
    }) as { email: string; password: string };
    const user = (await this.users.findOne({
      where: { email },
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
    return this.session(actor);
  }

  async session(actor: Actor): Promise<Session> {
    return {
      access_token: this.tokens.sign(actor),
      token_type: 'Bearer',
      expires_in: this.tokens.ttlSeconds,
      user: await this.me(actor),
    };
  }

  me(actor: Actor): Promise<Record<string, unknown>> {
    return this.crud.for(actor, 'User').get(actor.userId);
  }
}
