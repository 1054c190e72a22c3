import { Op, type Transaction } from 'sequelize';
import { ROLES, type Actor, type Role } from '../context';
import type { AnyModel } from '../db/models';
import { UnauthorizedError } from '../errors';
import type { AccessClaims } from './access-tokens';

interface UserRow {
  id: string;
  organization_id: string;
  email: string;
  role: Role;
  is_active: boolean;
}

/** Who a token belongs to, read fresh on every request so deactivation and role changes apply at once. */
export class Directory {
  constructor(private readonly users: AnyModel) {}

  async actorFor(claims: AccessClaims): Promise<Actor> {
    const user = (await this.users.findOne({
      where: { id: claims.userId, organization_id: claims.organizationId },
      attributes: ['id', 'organization_id', 'email', 'role', 'is_active'],
      raw: true,
    })) as UserRow | null;
    if (!user || !user.is_active || !ROLES.includes(user.role)) {
      throw new UnauthorizedError('This account no longer has access: sign in again');
    }
    return { userId: user.id, organizationId: user.organization_id, email: user.email, role: user.role };
  }

  /** The actor and everyone who reports to them. */
  teamOf = async (actor: Actor, transaction?: Transaction): Promise<string[]> => {
    const reports = (await this.users.findAll({
      where: {
        organization_id: actor.organizationId,
        manager_id: actor.userId,
        id: { [Op.ne]: actor.userId },
      },
      attributes: ['id'],
      raw: true,
      transaction,
    })) as unknown as { id: string }[];
    return [actor.userId, ...reports.map((r) => r.id)];
  };
}
