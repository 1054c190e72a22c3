import type { NextFunction, Request, Response } from 'express';
import type { Config } from '../../config';
import type { Actor } from '../../context';
import type { AnyModel } from '../../db/models';
import { NotFoundError } from '../../errors';
import { actorOf } from '../request-context';

declare module 'express-serve-static-core' {
  interface Request {
    /** The organization the request's Base44 app id names, when one does. */
    appOrganizationId?: string;
  }
}

/**
 * Base44 routes name an app (`/apps/:appId/...`). Each organization answers to its own app id; with
 * BASE44_ANY_APP_ID an unknown one means the caller's own organization. Data is always the caller's
 * organization's: an app id never reaches another organization, it can only be refused.
 */
export function resolveApp(organizations: AnyModel) {
  return async (req: Request, _res: Response, next: NextFunction): Promise<void> => {
    const appId = req.params.appId;
    if (typeof appId === 'string' && appId)
      req.appOrganizationId = await organizationOfApp(organizations, appId);
    next();
  };
}

/** The organization that answers to an app id, if one does. */
export async function organizationOfApp(organizations: AnyModel, appId: string): Promise<string | undefined> {
  const org = (await organizations.findOne({
    where: { app_id: appId },
    attributes: ['id'],
    raw: true,
  })) as { id: string } | null;
  return org?.id;
}

/** The rule above, for any transport (HTTP, realtime sockets): may this actor use the app? */
export function mayUseApp(
  base44: Config['base44'],
  appOrganizationId: string | undefined,
  actor: Actor,
): boolean {
  return appOrganizationId !== undefined ? appOrganizationId === actor.organizationId : base44.anyAppId;
}

/** After authentication: the caller must belong to the app's organization. */
export function requireAppMember(base44: Config['base44']) {
  return (req: Request, _res: Response, next: NextFunction): void => {
    if (!mayUseApp(base44, req.appOrganizationId, actorOf(req))) {
      throw new NotFoundError(`No app with id ${JSON.stringify(req.params.appId)}`);
    }
    next();
  };
}

/** Before authentication (sign-in, registration): an app id no organization has is unknown, unless any will do. */
export function requireKnownApp(base44: Config['base44']) {
  return (req: Request, _res: Response, next: NextFunction): void => {
    if (req.appOrganizationId === undefined && !base44.anyAppId) {
      throw new NotFoundError(`No app with id ${JSON.stringify(req.params.appId)}`);
    }
    next();
  };
}
