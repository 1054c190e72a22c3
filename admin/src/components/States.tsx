import type { ReactNode } from 'react';
import { messageOf } from '../api/errors';

export const Loading = ({ what = 'Loading' }: { what?: string }) => (
  <p className="state" role="status" aria-live="polite">
    {what}…
  </p>
);

export const Empty = ({ children }: { children: ReactNode }) => <p className="state empty">{children}</p>;

export const ErrorNote = ({ error }: { error: unknown }) =>
  error ? (
    <p className="state error" role="alert">
      {messageOf(error)}
    </p>
  ) : null;
