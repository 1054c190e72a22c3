import { Op } from 'sequelize';
import type { Actor } from '../../context';
import type { AnyModel } from '../../db/models';
import { ForbiddenError } from '../../errors';

export interface Person {
  id: string;
  first_name: string | null;
  last_name: string | null;
  email: string;
  role: string;
}

/** Who sells, and so appears in performance reports and leaderboards. */
const SELLING_ROLES = ['manager', 'sales_rep'];

/**
 * Sales figures are counted per person from records their viewer may not list one by one (a rep's rank
 * depends on colleagues' deals), so they are read with the organization-wide reach of an admin of the
 * same organization — keeping any API key's scopes — and who may see whose figures is decided here, by
 * person: admins everyone, managers their team (themselves and their reports), others themselves.
 */
export const organizationReader = (actor: Actor): Actor => ({ ...actor, role: 'admin' });

export class People {
  constructor(
    private readonly users: AnyModel,
    private readonly teamOf: (actor: Actor) => Promise<string[]>,
  ) {}

  /** Support agents do not sell; everyone else takes part in the rankings. */
  refuseNonSellers(actor: Actor): void {
    if (actor.role === 'support') {
      throw new ForbiddenError('Sales performance and leaderboards are for admins, managers and sales reps');
    }
  }

  /** The active selling people of the organization, limited to `ids` when given, by name. */
  async sellers(actor: Actor, ids?: readonly string[]): Promise<Person[]> {
    const rows = await this.users.findAll({
      where: {
        organization_id: actor.organizationId,
        is_active: true,
        role: { [Op.in]: SELLING_ROLES },
        ...(ids ? { id: { [Op.in]: [...ids] } } : {}),
      },
      attributes: ['id', 'first_name', 'last_name', 'email', 'role'],
      order: [
        ['last_name', 'ASC'],
        ['first_name', 'ASC'],
        ['id', 'ASC'],
      ],
      raw: true,
    });
    return rows as unknown as Person[];
  }

  /** The people whose own figures the actor may see: everyone (admin), their team (manager), themselves. */
  async visibleTo(actor: Actor): Promise<Set<string> | 'all'> {
    if (actor.role === 'admin') return 'all';
    if (actor.role === 'manager') return new Set(await this.teamOf(actor));
    return new Set([actor.userId]);
  }

  /** An active user of the actor's organization, or null. */
  async findActive(actor: Actor, id: string): Promise<Person | null> {
    const row = await this.users.findOne({
      where: { id, organization_id: actor.organizationId, is_active: true },
      attributes: ['id', 'first_name', 'last_name', 'email', 'role'],
      raw: true,
    });
    return row as unknown as Person | null;
  }
}
