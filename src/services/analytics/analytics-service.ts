import type { Actor } from '../../context';
import type { CrudServices } from '../../crud/services';
import type { AnyModel } from '../../db/models';
import { Dashboard } from './dashboard';
import { Goals } from './goals';
import { People } from './people';
import { Performance } from './performance';
import { dashboardRange } from './periods';

/** The analytics surface: dashboard, performance, leaderboard and goals. `now` is injectable for tests. */
export class AnalyticsService {
  readonly goals: Goals;
  private readonly dashboardFigures: Dashboard;
  private readonly performance: Performance;

  constructor(
    crud: CrudServices,
    users: AnyModel,
    goals: AnyModel,
    teamOf: (actor: Actor) => Promise<string[]>,
    readonly now: () => Date = () => new Date(),
  ) {
    const people = new People(users, teamOf);
    this.goals = new Goals(goals, crud, people);
    this.dashboardFigures = new Dashboard(crud);
    this.performance = new Performance(crud, people);
  }

  dashboard(actor: Actor, query: { from?: unknown; to?: unknown }) {
    const now = this.now();
    return this.dashboardFigures.build(actor, dashboardRange(query, now), now);
  }

  performanceReport(actor: Actor, query: unknown) {
    return this.performance.report(actor, query, this.now());
  }

  leaderboard(actor: Actor, query: unknown) {
    return this.performance.leaderboard(actor, query, this.now());
  }
}
